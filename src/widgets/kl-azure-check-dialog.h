/* kl-azure-check-dialog.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-azure-key-vault.h"
#include "kl-context.h"

G_BEGIN_DECLS

/* "Check in Azure" for a project whose key is set up (the Project page): the vault and key
 * Atlas was given, checked with the application's credentials (kl-azure-check.h). Atlas never
 * gives the client secret back: when this session's answers do not hold it, the dialog asks
 * for it, and keeps it only while it is open. */

GtkWindow *kl_azure_check_dialog_present (GtkWidget       *parent,
                                          KlContext       *context,
                                          KlAzureKeyVault *key_vault);

G_END_DECLS
