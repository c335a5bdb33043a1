/* kl-azure-key-vault.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kl-types.h"

G_BEGIN_DECLS

#define KL_TYPE_AZURE_KEY_VAULT (kl_azure_key_vault_get_type ())
G_DECLARE_FINAL_TYPE (KlAzureKeyVault, kl_azure_key_vault, KL, AZURE_KEY_VAULT, GObject)

/* ---- KlAzureKeyVault — EncryptionAtRest.azureKeyVault ----
 * Returned by the parser (secret always NULL: it is write-only and never read from a
 * response) and filled by the pages as the input of the PATCH builders. Every string setter
 * takes NULL for "not set". The secret is copied, held only here and wiped (zeroed) when it
 * is replaced or the object is finalized; it has no property and is never logged. */
KlAzureKeyVault *kl_azure_key_vault_new                      (void);
KlAzureKeyVault *kl_azure_key_vault_new_from_node            (JsonNode         *node,
                                                              GError          **error);
KlAzureKeyVault *kl_azure_key_vault_copy                     (KlAzureKeyVault  *self);

const char   *kl_azure_key_vault_get_azure_environment    (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_client_id            (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_tenant_id            (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_subscription_id      (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_resource_group_name  (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_key_vault_name       (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_key_identifier       (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_role_id              (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_enabled              (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_require_private_networking (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_valid                (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_has_secret               (KlAzureKeyVault *self);

void          kl_azure_key_vault_set_azure_environment    (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_client_id            (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_tenant_id            (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_subscription_id      (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_resource_group_name  (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_key_vault_name       (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_key_identifier       (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_role_id              (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_secret               (KlAzureKeyVault *self,
                                                           const char      *secret);
void          kl_azure_key_vault_set_enabled              (KlAzureKeyVault *self,
                                                           gboolean         enabled);
void          kl_azure_key_vault_set_require_private_networking (KlAzureKeyVault *self,
                                                                 gboolean         require);

G_END_DECLS
