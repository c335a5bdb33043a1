/* kl-azure-key-vault.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-azure-key-vault-private.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* KlAzureKeyVault                                                                             */

G_DEFINE_FINAL_TYPE (KlAzureKeyVault, kl_azure_key_vault, G_TYPE_OBJECT)

static void
kl_azure_key_vault_finalize (GObject *object)
{
  KlAzureKeyVault *self = (KlAzureKeyVault *) object;

  g_free (self->azure_environment);
  g_free (self->client_id);
  g_free (self->tenant_id);
  g_free (self->subscription_id);
  g_free (self->resource_group_name);
  g_free (self->key_vault_name);
  g_free (self->key_identifier);
  g_free (self->role_id);
  kl_secret_free (self->secret);

  G_OBJECT_CLASS (kl_azure_key_vault_parent_class)->finalize (object);
}

static void
kl_azure_key_vault_class_init (KlAzureKeyVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_azure_key_vault_finalize;
}

static void
kl_azure_key_vault_init (KlAzureKeyVault *self)
{
}

KlAzureKeyVault *
kl_azure_key_vault_new (void)
{
  return g_object_new (KL_TYPE_AZURE_KEY_VAULT, NULL);
}

KlAzureKeyVault *
kl_azure_key_vault_new_from_node (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(KlAzureKeyVault) self = kl_azure_key_vault_new ();
  JsonObject *object;
  gboolean enabled = FALSE;
  gboolean require = FALSE;
  gboolean valid = FALSE;
  gboolean present_enabled;
  gboolean present_require;

  if (!(object = kl_json_node_get_object (node, "azureKeyVault", error)))
    return NULL;

  /* "secret" is write-only: never read back, even if a server sends it. */
  if (!kl_json_member_string (object, "azureEnvironment", &self->azure_environment, error) ||
      !kl_json_member_string (object, "clientID", &self->client_id, error) ||
      !kl_json_member_string (object, "tenantID", &self->tenant_id, error) ||
      !kl_json_member_string (object, "subscriptionID", &self->subscription_id, error) ||
      !kl_json_member_string (object, "resourceGroupName", &self->resource_group_name, error) ||
      !kl_json_member_string (object, "keyVaultName", &self->key_vault_name, error) ||
      !kl_json_member_string (object, "keyIdentifier", &self->key_identifier, error) ||
      !kl_json_member_string (object, "roleId", &self->role_id, error) ||
      !kl_json_member_boolean (object, "enabled", &enabled, &present_enabled, error) ||
      !kl_json_member_boolean (object, "requirePrivateNetworking", &require, &present_require,
                               error) ||
      !kl_json_member_boolean (object, "valid", &valid, NULL, error))
    return NULL;

  self->enabled = enabled;
  self->has_enabled = present_enabled;
  self->require_private_networking = require;
  self->has_require_private_networking = present_require;
  self->valid = valid;

  return g_steal_pointer (&self);
}

KlAzureKeyVault *
kl_azure_key_vault_copy (KlAzureKeyVault *self)
{
  KlAzureKeyVault *copy;

  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), NULL);

  copy = kl_azure_key_vault_new ();
  copy->azure_environment = g_strdup (self->azure_environment);
  copy->client_id = g_strdup (self->client_id);
  copy->tenant_id = g_strdup (self->tenant_id);
  copy->subscription_id = g_strdup (self->subscription_id);
  copy->resource_group_name = g_strdup (self->resource_group_name);
  copy->key_vault_name = g_strdup (self->key_vault_name);
  copy->key_identifier = g_strdup (self->key_identifier);
  copy->role_id = g_strdup (self->role_id);
  copy->secret = g_strdup (self->secret);
  copy->enabled = self->enabled;
  copy->has_enabled = self->has_enabled;
  copy->require_private_networking = self->require_private_networking;
  copy->has_require_private_networking = self->has_require_private_networking;
  copy->valid = self->valid;

  return copy;
}

#define AKV_STRING_ACCESSORS(field)                                              \
  const char *                                                                  \
  kl_azure_key_vault_get_##field (KlAzureKeyVault *self)                        \
  {                                                                             \
    g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), NULL);                  \
    return self->field;                                                         \
  }                                                                             \
                                                                                \
  void                                                                          \
  kl_azure_key_vault_set_##field (KlAzureKeyVault *self,                        \
                                  const char      *value)                       \
  {                                                                             \
    g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));                            \
    if (g_strcmp0 (self->field, value) == 0)                                    \
      return;                                                                   \
    g_free (self->field);                                                       \
    self->field = g_strdup (value);                                             \
  }

AKV_STRING_ACCESSORS (azure_environment)
AKV_STRING_ACCESSORS (client_id)
AKV_STRING_ACCESSORS (tenant_id)
AKV_STRING_ACCESSORS (subscription_id)
AKV_STRING_ACCESSORS (resource_group_name)
AKV_STRING_ACCESSORS (key_vault_name)
AKV_STRING_ACCESSORS (key_identifier)
AKV_STRING_ACCESSORS (role_id)

#undef AKV_STRING_ACCESSORS

gboolean
kl_azure_key_vault_get_enabled (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->enabled;
}

gboolean
kl_azure_key_vault_get_require_private_networking (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->require_private_networking;
}

gboolean
kl_azure_key_vault_get_valid (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->valid;
}

gboolean
kl_azure_key_vault_has_secret (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->secret != NULL && self->secret[0] != '\0';
}

void
kl_azure_key_vault_set_secret (KlAzureKeyVault *self,
                               const char      *secret)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  kl_secret_free (g_steal_pointer (&self->secret));
  self->secret = g_strdup (secret);
}

void
kl_azure_key_vault_set_enabled (KlAzureKeyVault *self,
                                gboolean         enabled)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  self->enabled = !!enabled;
  self->has_enabled = TRUE;
}

void
kl_azure_key_vault_set_require_private_networking (KlAzureKeyVault *self,
                                                   gboolean         require)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  self->require_private_networking = !!require;
  self->has_require_private_networking = TRUE;
}
