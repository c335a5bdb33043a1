/* kl-encryption-at-rest.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-encryption-at-rest.h"
#include "kl-azure-key-vault-private.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* KlEncryptionAtRest                                                                          */

struct _KlEncryptionAtRest
{
  GObject parent_instance;

  KlAzureKeyVault *azure_key_vault;
  gboolean aws_kms_enabled;
  gboolean google_cloud_kms_enabled;
};

G_DEFINE_FINAL_TYPE (KlEncryptionAtRest, kl_encryption_at_rest, G_TYPE_OBJECT)

static void
kl_encryption_at_rest_finalize (GObject *object)
{
  KlEncryptionAtRest *self = (KlEncryptionAtRest *) object;

  g_clear_object (&self->azure_key_vault);

  G_OBJECT_CLASS (kl_encryption_at_rest_parent_class)->finalize (object);
}

static void
kl_encryption_at_rest_class_init (KlEncryptionAtRestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_encryption_at_rest_finalize;
}

static void
kl_encryption_at_rest_init (KlEncryptionAtRest *self)
{
}

static gboolean
provider_enabled (JsonObject  *object,
                  const char  *name,
                  gboolean    *enabled,
                  GError     **error)
{
  JsonObject *provider;

  *enabled = FALSE;
  if (!kl_json_member_object (object, name, &provider, error))
    return FALSE;

  return provider == NULL || kl_json_member_boolean (provider, "enabled", enabled, NULL, error);
}

KlEncryptionAtRest *
kl_encryption_at_rest_new_from_node (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(KlEncryptionAtRest) self = g_object_new (KL_TYPE_ENCRYPTION_AT_REST, NULL);
  JsonObject *object;
  JsonNode *akv;

  if (!(object = kl_json_node_get_object (node, "encryptionAtRest", error)))
    return NULL;

  akv = json_object_get_member (object, "azureKeyVault");
  if (akv == NULL || JSON_NODE_HOLDS_NULL (akv))
    self->azure_key_vault = kl_azure_key_vault_new ();
  else if (!(self->azure_key_vault = kl_azure_key_vault_new_from_node (akv, error)))
    return NULL;

  if (!provider_enabled (object, "awsKms", &self->aws_kms_enabled, error) ||
      !provider_enabled (object, "googleCloudKms", &self->google_cloud_kms_enabled, error))
    return NULL;

  return g_steal_pointer (&self);
}

KlEncryptionAtRest *
kl_encryption_at_rest_parse (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_encryption_at_rest_new_from_node (root, error) : NULL;
}

KlAzureKeyVault *
kl_encryption_at_rest_get_azure_key_vault (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), NULL);
  return self->azure_key_vault;
}

gboolean
kl_encryption_at_rest_get_aws_kms_enabled (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), FALSE);
  return self->aws_kms_enabled;
}

gboolean
kl_encryption_at_rest_get_google_cloud_kms_enabled (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), FALSE);
  return self->google_cloud_kms_enabled;
}

/* The string fields of azureKeyVault in the order they are sent. */
typedef struct
{
  const char *json_name;
  gsize       offset;
  gboolean    case_insensitive;  /* GUIDs and Azure names compare without case */
  gboolean    required;          /* for the first enablement */
  gboolean    frozen;            /* cannot change once private networking is set up */
} AkvField;

static const AkvField akv_fields[] = {
  { "azureEnvironment", G_STRUCT_OFFSET (KlAzureKeyVault, azure_environment), FALSE, TRUE, FALSE },
  { "clientID", G_STRUCT_OFFSET (KlAzureKeyVault, client_id), TRUE, TRUE, FALSE },
  { "tenantID", G_STRUCT_OFFSET (KlAzureKeyVault, tenant_id), TRUE, TRUE, FALSE },
  { "subscriptionID", G_STRUCT_OFFSET (KlAzureKeyVault, subscription_id), TRUE, TRUE, TRUE },
  { "resourceGroupName", G_STRUCT_OFFSET (KlAzureKeyVault, resource_group_name), TRUE, TRUE, TRUE },
  { "keyVaultName", G_STRUCT_OFFSET (KlAzureKeyVault, key_vault_name), TRUE, TRUE, TRUE },
  { "keyIdentifier", G_STRUCT_OFFSET (KlAzureKeyVault, key_identifier), FALSE, TRUE, FALSE },
  { "roleId", G_STRUCT_OFFSET (KlAzureKeyVault, role_id), FALSE, FALSE, FALSE },
};

static const char *
akv_field_value (KlAzureKeyVault *akv,
                 const AkvField  *field)
{
  return akv != NULL ? G_STRUCT_MEMBER (const char *, akv, field->offset) : NULL;
}

static gboolean
akv_value_set (const char *value)
{
  return value != NULL && value[0] != '\0';
}

static const char *
akv_field_label (const char *json_name)
{
  static const struct { const char *json_name; const char *label; } labels[] = {
    { "azureEnvironment", N_("Azure environment") },
    { "clientID", N_("Client ID") },
    { "tenantID", N_("Tenant ID") },
    { "subscriptionID", N_("Subscription ID") },
    { "resourceGroupName", N_("Resource group") },
    { "keyVaultName", N_("Key vault name") },
    { "keyIdentifier", N_("Key identifier") },
    { "secret", N_("Client secret") },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (strcmp (labels[i].json_name, json_name) == 0)
        return _(labels[i].label);
    }

  return json_name;
}

GBytes *
kl_encryption_at_rest_build_patch (KlAzureKeyVault  *current,
                                   KlAzureKeyVault  *wanted,
                                   GError          **error)
{
  gboolean first = current == NULL || !current->enabled;
  gboolean send[G_N_ELEMENTS (akv_fields)] = { FALSE, };
  gboolean send_secret;
  gboolean send_require;
  gboolean any = FALSE;
  KlSecureBuffer *buffer;
  gsize capacity = 64;
  guint i;

  g_return_val_if_fail (current == NULL || KL_IS_AZURE_KEY_VAULT (current), NULL);
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (wanted), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (akv_fields); i++)
    {
      const AkvField *field = &akv_fields[i];
      const char *value = akv_field_value (wanted, field);
      const char *before = akv_field_value (current, field);

      if (first)
        {
          if (field->required && !akv_value_set (value))
            {
              g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("“%s” is missing. Fill it in before turning on encryption with "
                             "your key."),
                           akv_field_label (field->json_name));
              return NULL;
            }
          send[i] = akv_value_set (value);
        }
      else if (akv_value_set (value))
        {
          gboolean same = before != NULL &&
                          (field->case_insensitive ? g_ascii_strcasecmp (before, value) == 0
                                                   : strcmp (before, value) == 0);

          if (!same && field->frozen && current->require_private_networking)
            {
              g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                           _("“%s” cannot change while Atlas reaches the key vault over private "
                             "networking. Keep the current value, or turn off private networking "
                             "first."),
                           akv_field_label (field->json_name));
              return NULL;
            }
          send[i] = !same;
        }

      if (send[i])
        capacity += strlen (field->json_name) + 4 + kl_json_string_bound (value);
    }

  send_secret = kl_azure_key_vault_has_secret (wanted);
  if (first && !send_secret)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                   _("“%s” is missing. Fill it in before turning on encryption with your key."),
                   akv_field_label ("secret"));
      return NULL;
    }
  if (send_secret)
    capacity += strlen ("secret") + 4 + kl_json_string_bound (wanted->secret);

  if (first)
    send_require = wanted->has_require_private_networking;
  else
    send_require = wanted->has_require_private_networking &&
                   wanted->require_private_networking != current->require_private_networking;

  buffer = kl_secure_buffer_new (capacity + 64);
  kl_secure_buffer_append (buffer, "{\"azureKeyVault\":{");

  for (i = 0; i < G_N_ELEMENTS (akv_fields); i++)
    {
      if (!send[i])
        continue;
      if (any)
        kl_secure_buffer_append_c (buffer, ',');
      kl_secure_buffer_append_json_string (buffer, akv_fields[i].json_name);
      kl_secure_buffer_append_c (buffer, ':');
      kl_secure_buffer_append_json_string (buffer, akv_field_value (wanted, &akv_fields[i]));
      any = TRUE;
    }

  if (send_secret)
    {
      if (any)
        kl_secure_buffer_append_c (buffer, ',');
      kl_secure_buffer_append (buffer, "\"secret\":");
      kl_secure_buffer_append_json_string (buffer, wanted->secret);
      any = TRUE;
    }

  if (first)
    {
      if (any)
        kl_secure_buffer_append_c (buffer, ',');
      kl_secure_buffer_append (buffer, "\"enabled\":true");
      any = TRUE;
    }

  if (send_require)
    {
      if (any)
        kl_secure_buffer_append_c (buffer, ',');
      kl_secure_buffer_append (buffer, wanted->require_private_networking
                                         ? "\"requirePrivateNetworking\":true"
                                         : "\"requirePrivateNetworking\":false");
    }

  kl_secure_buffer_append (buffer, "}}");

  return kl_secure_buffer_to_bytes (buffer);
}

GBytes *
kl_encryption_at_rest_build_private_networking (gboolean require)
{
  const char *body = require
                       ? "{\"azureKeyVault\":{\"requirePrivateNetworking\":true}}"
                       : "{\"azureKeyVault\":{\"requirePrivateNetworking\":false}}";

  return g_bytes_new_static (body, strlen (body));
}

GBytes *
kl_encryption_at_rest_build_disable (void)
{
  static const char body[] = "{\"azureKeyVault\":{\"enabled\":false}}";

  return g_bytes_new_static (body, sizeof body - 1);
}
