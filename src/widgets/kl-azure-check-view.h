/* kl-azure-check-view.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-azure-check.h"

G_BEGIN_DECLS

/* The Azure check (kl-azure-check.h) as the Key Vault page and the Project page show it: while
 * it runs, a spinner and Cancel; then a sentence that sums it up and one KlAzureFindingRow per
 * finding. */

#define KL_TYPE_AZURE_CHECK_VIEW (kl_azure_check_view_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureCheckView, kl_azure_check_view, KL, AZURE_CHECK_VIEW, AdwBin)

GtkWidget  *kl_azure_check_view_new          (void);

/* Runs @check (a check already running is cancelled first). @cancellable (nullable: the
 * window's) cancels it too. "finished" is emitted when it is over, cancelled or not. */
void        kl_azure_check_view_run          (KlAzureCheckView *self,
                                              KlAzureCheck     *check,
                                              GCancellable     *cancellable);
void        kl_azure_check_view_cancel       (KlAzureCheckView *self);
/* Forgets the findings (the values they were about changed). */
void        kl_azure_check_view_clear        (KlAzureCheckView *self);
/* Says why the check could not start (a value the client refused). */
void        kl_azure_check_view_show_error   (KlAzureCheckView *self,
                                              const char       *message);

gboolean    kl_azure_check_view_get_running  (KlAzureCheckView *self);
/* The last run's findings (KlAzureFinding), or NULL. */
GListModel *kl_azure_check_view_get_findings (KlAzureCheckView *self);
/* The sentence shown above the findings, or NULL. */
const char *kl_azure_check_view_get_summary  (KlAzureCheckView *self);
/* How many findings of the last run have @verdict. */
guint       kl_azure_check_view_count        (KlAzureCheckView *self,
                                              KlAzureVerdict    verdict);

G_END_DECLS
