/* kl-azure-finding-row.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-azure-check.h"

G_BEGIN_DECLS

/* One finding of the Azure check (kl-azure-check.h): an icon for its verdict, named for screen
 * readers ("Passed", "Warning", "Failed", "Cannot see from here"), what was found, more about
 * it, and what to do. A finding Keylink cannot see is said as such, never as a failure. Azure's
 * words inside them are shown through kl_server_text. */

#define KL_TYPE_AZURE_FINDING_ROW (kl_azure_finding_row_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureFindingRow, kl_azure_finding_row, KL, AZURE_FINDING_ROW, GtkListBoxRow)

GtkWidget      *kl_azure_finding_row_new              (KlAzureFinding    *finding);

KlAzureFinding *kl_azure_finding_row_get_finding      (KlAzureFindingRow *self);
/* The verdict in words, as the icon is named ("Failed"). */
const char     *kl_azure_finding_row_get_verdict_text (KlAzureFindingRow *self);
/* What the row shows: the title, the detail and the action (nullable when hidden). */
const char     *kl_azure_finding_row_get_title_text   (KlAzureFindingRow *self);
const char     *kl_azure_finding_row_get_detail_text  (KlAzureFindingRow *self);
const char     *kl_azure_finding_row_get_action_text  (KlAzureFindingRow *self);

/* The words, icon and style class of a verdict. */
const char     *kl_azure_verdict_get_text             (KlAzureVerdict     verdict);
const char     *kl_azure_verdict_get_icon_name        (KlAzureVerdict     verdict);

G_END_DECLS
