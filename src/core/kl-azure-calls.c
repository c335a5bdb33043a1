/* kl-azure-calls.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-client-private.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-http-log.h"

/* The answer of a call, parsed by @parse: what every _finish () below does. */
typedef gpointer (*KlAzureParseFunc) (const char  *json,
                                      gssize       length,
                                      GError     **error);

static gpointer
finish_parsed (GAsyncResult      *result,
               KlAzureOperation   op,
               KlAzureParseFunc   parse,
               GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gpointer parsed;
  gsize size = 0;
  const char *data;

  if (!(bytes = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!(parsed = parse (data, (gssize) size, &local_error)))
    g_propagate_error (error, kl_azure_error_new_bad_response (op, local_error->message));
  return parsed;
}

/* The parsers, as KlAzureParseFunc. */
static gpointer
parse_vault (const char  *json,
             gssize       length,
             GError     **error)
{
  return kl_azure_vault_parse (json, length, error);
}

static gpointer
parse_provider (const char  *json,
                gssize       length,
                GError     **error)
{
  return kl_azure_provider_parse (json, length, error);
}

static gpointer
parse_key (const char  *json,
           gssize       length,
           GError     **error)
{
  return kl_azure_key_parse (json, length, error);
}

static gpointer
parse_connection (const char  *json,
                  gssize       length,
                  GError     **error)
{
  return kl_azure_connection_parse (json, length, error);
}

/* Checks that report to @callback and return FALSE when a value is not well-formed. */
static gboolean
check_names (KlAzureClient       *self,
             const char          *subscription_id,
             const char          *resource_group,
             const char          *vault_name,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GError *error = NULL;

  if ((subscription_id == NULL || kl_azure_check_subscription_id (subscription_id, &error)) &&
      (resource_group == NULL || kl_azure_check_resource_group (resource_group, &error)) &&
      (vault_name == NULL || kl_azure_check_vault_name (vault_name, &error)))
    return TRUE;

  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static char *
vault_path (KlAzureClient *self,
            const char    *subscription_id,
            const char    *resource_group,
            const char    *vault_name)
{
  g_autofree char *sub = escape (subscription_id);
  g_autofree char *rg = escape (resource_group);
  g_autofree char *name = escape (vault_name);

  return g_strconcat (self->arm_url, "/subscriptions/", sub, "/resourceGroups/", rg,
                      "/providers/Microsoft.KeyVault/vaults/", name, NULL);
}

/* Vault */

void
kl_azure_client_get_vault_async (KlAzureClient       *self,
                                 const char          *subscription_id,
                                 const char          *resource_group,
                                 const char          *vault_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  KlAzureRequest *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, subscription_id != NULL ? subscription_id : "",
                    resource_group != NULL ? resource_group : "",
                    vault_name != NULL ? vault_name : "",
                    kl_azure_client_get_vault_async, callback, user_data))
    return;

  path = vault_path (self, subscription_id, resource_group, vault_name);
  request = kl_azure_request_new (self, KL_AZURE_OP_READ_VAULT, SOUP_METHOD_GET,
                                  g_strconcat (path, "?api-version=", KL_AZURE_KEY_VAULT_ARM_API_VERSION,
                                      NULL),
                                  KL_AZURE_RESOURCE_ARM, KL_AZURE_REQUEST_IDEMPOTENT);
  kl_azure_request_set_names (request, subscription_id, resource_group, vault_name, NULL, NULL);
  kl_azure_request_send (self, request, kl_azure_client_get_vault_async, cancellable, callback, user_data);
}

KlAzureVault *
kl_azure_client_get_vault_finish (KlAzureClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return finish_parsed (result, KL_AZURE_OP_READ_VAULT, parse_vault, error);
}

/* Provider */

void
kl_azure_client_get_provider_async (KlAzureClient       *self,
                                    const char          *subscription_id,
                                    const char          *namespace_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *sub = NULL;
  g_autofree char *ns = NULL;
  KlAzureRequest *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (namespace_name != NULL);

  if (!check_names (self, subscription_id != NULL ? subscription_id : "", NULL, NULL,
                    kl_azure_client_get_provider_async, callback, user_data))
    return;

  sub = escape (subscription_id);
  ns = escape (namespace_name);
  request = kl_azure_request_new (self, KL_AZURE_OP_READ_PROVIDER, SOUP_METHOD_GET,
                                  g_strconcat (self->arm_url, "/subscriptions/", sub, "/providers/", ns,
                                      "?api-version=", KL_AZURE_RESOURCES_API_VERSION, NULL),
                                  KL_AZURE_RESOURCE_ARM, KL_AZURE_REQUEST_IDEMPOTENT);
  kl_azure_request_set_names (request, subscription_id, NULL, NULL, NULL, NULL);
  kl_azure_request_send (self, request, kl_azure_client_get_provider_async, cancellable, callback,
                         user_data);
}

KlAzureProvider *
kl_azure_client_get_provider_finish (KlAzureClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return finish_parsed (result, KL_AZURE_OP_READ_PROVIDER, parse_provider, error);
}

/* Key */

static gboolean
is_key_name (const char *name)
{
  const char *p;

  if (name == NULL || name[0] == '\0' || strlen (name) > 127)
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_key_version (const char *version)
{
  const char *p;

  if (version == NULL || strlen (version) != 32)
    return FALSE;
  for (p = version; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

void
kl_azure_client_get_key_async (KlAzureClient       *self,
                               const char          *vault_name,
                               const char          *key_name,
                               const char          *key_version,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *base = NULL;
  KlAzureRequest *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, NULL, NULL, vault_name != NULL ? vault_name : "",
                    kl_azure_client_get_key_async, callback, user_data))
    return;

  if (!is_key_name (key_name) || (key_version != NULL && !is_key_version (key_version)))
    {
      g_task_report_new_error (self, callback, user_data, kl_azure_client_get_key_async,
                               KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("The key identifier does not name a key and version. Copy the "
                                 "Key Identifier from the key version’s page in the Azure "
                                 "portal."));
      return;
    }

  base = kl_azure_client_dup_vault_url (self, vault_name);
  request = kl_azure_request_new (self, KL_AZURE_OP_READ_KEY, SOUP_METHOD_GET,
                                  g_strconcat (base, "/keys/", key_name, "/",
                                      key_version != NULL ? key_version : "",
                                      "?api-version=", KL_AZURE_KEY_VAULT_DATA_API_VERSION, NULL),
                                  KL_AZURE_RESOURCE_KEY_VAULT, KL_AZURE_REQUEST_IDEMPOTENT);
  kl_azure_request_set_names (request, NULL, NULL, vault_name, key_name, NULL);
  kl_azure_request_send (self, request, kl_azure_client_get_key_async, cancellable, callback, user_data);
}

KlAzureKey *
kl_azure_client_get_key_finish (KlAzureClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return finish_parsed (result, KL_AZURE_OP_READ_KEY, parse_key, error);
}

/* Approval */

static gboolean
is_connection_name (const char *name)
{
  const char *p;

  if (name == NULL || name[0] == '\0' || strlen (name) > 128)
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

void
kl_azure_client_approve_connection_async (KlAzureClient       *self,
                                          const char          *subscription_id,
                                          const char          *resource_group,
                                          const char          *vault_name,
                                          const char          *connection_name,
                                          const char          *description,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  char *text;
  KlAzureRequest *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, subscription_id != NULL ? subscription_id : "",
                    resource_group != NULL ? resource_group : "",
                    vault_name != NULL ? vault_name : "",
                    kl_azure_client_approve_connection_async, callback, user_data))
    return;

  if (!is_connection_name (connection_name))
    {
      g_task_report_new_error (self, callback, user_data,
                               kl_azure_client_approve_connection_async,
                               KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("This is not the name of a private endpoint connection. Reload "
                                 "the endpoints from Atlas, then try again."));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "privateLinkServiceConnectionState");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "Approved");
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description != NULL ? description : DEFAULT_DESCRIPTION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  path = vault_path (self, subscription_id, resource_group, vault_name);
  name = escape (connection_name);
  /* PUT is idempotent: approving twice is approving. */
  request = kl_azure_request_new (self, KL_AZURE_OP_APPROVE_CONNECTION, SOUP_METHOD_PUT,
                                  g_strconcat (path, "/privateEndpointConnections/", name, "?api-version=",
                                      KL_AZURE_KEY_VAULT_ARM_API_VERSION, NULL),
                                  KL_AZURE_RESOURCE_ARM, KL_AZURE_REQUEST_IDEMPOTENT);
  request->body = g_bytes_new_take (text, strlen (text));
  request->content_type = MEDIA_JSON;
  kl_azure_request_set_names (request, subscription_id, resource_group, vault_name, NULL,
                              connection_name);
  kl_azure_request_send (self, request, kl_azure_client_approve_connection_async, cancellable, callback,
                         user_data);
}

KlAzureConnection *
kl_azure_client_approve_connection_finish (KlAzureClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return finish_parsed (result, KL_AZURE_OP_APPROVE_CONNECTION, parse_connection, error);
}
