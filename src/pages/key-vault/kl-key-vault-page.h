/* kl-key-vault-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_KEY_VAULT_PAGE (kl_key_vault_page_get_type ())

G_DECLARE_FINAL_TYPE (KlKeyVaultPage, kl_key_vault_page, KL, KEY_VAULT_PAGE, KlPage)

KlPage *kl_prepare_key_vault_page (KlContext *context);
const char *kl_key_vault_page_get_azure_environment (KlKeyVaultPage *self);
void        kl_key_vault_page_set_azure_environment (KlKeyVaultPage *self,
                                                     const char     *azure_environment);
gboolean    kl_key_vault_page_get_vault_frozen      (KlKeyVaultPage *self);
void        kl_key_vault_page_set_vault_frozen      (KlKeyVaultPage *self,
                                                     gboolean        vault_frozen);

G_END_DECLS
