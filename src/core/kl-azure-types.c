/* kl-azure-types.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-types"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kl-azure-types.h"
#include "kl-error.h"

/* clouds.json, keyed by Atlas's azureEnvironment. */
typedef struct
{
  const char *environment;
  const char *name;
  const char *login_url;
  const char *arm_url;
  const char *arm_scope;
  const char *key_vault_suffix;
  const char *key_vault_scope;
  const char *portal_url;
} CloudInfo;

static const CloudInfo clouds[KL_AZURE_N_CLOUDS] = {
  [KL_AZURE_CLOUD_PUBLIC] = {
    "AZURE", "AzureCloud", "https://login.microsoftonline.com", "https://management.azure.com",
    "https://management.azure.com/.default", "vault.azure.net",
    "https://vault.azure.net/.default", "https://portal.azure.com",
  },
  [KL_AZURE_CLOUD_CHINA] = {
    "AZURE_CHINA", "AzureChinaCloud", "https://login.chinacloudapi.cn",
    "https://management.chinacloudapi.cn", "https://management.chinacloudapi.cn/.default",
    "vault.azure.cn", "https://vault.azure.cn/.default", "https://portal.azure.cn",
  },
  [KL_AZURE_CLOUD_US_GOVERNMENT] = {
    "AZURE_US_GOVERNMENT", "AzureUSGovernment", "https://login.microsoftonline.us",
    "https://management.usgovcloudapi.net", "https://management.usgovcloudapi.net/.default",
    "vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net/.default",
    "https://portal.azure.us",
  },
};

G_DEFINE_ENUM_TYPE (KlAzureCloud, kl_azure_cloud,
                    G_DEFINE_ENUM_VALUE (KL_AZURE_CLOUD_PUBLIC, "public"),
                    G_DEFINE_ENUM_VALUE (KL_AZURE_CLOUD_CHINA, "china"),
                    G_DEFINE_ENUM_VALUE (KL_AZURE_CLOUD_US_GOVERNMENT, "us-government"))

G_DEFINE_BOXED_TYPE (KlAzureVault, kl_azure_vault, kl_azure_vault_ref, kl_azure_vault_unref)
G_DEFINE_BOXED_TYPE (KlAzureKey, kl_azure_key, kl_azure_key_ref, kl_azure_key_unref)
G_DEFINE_BOXED_TYPE (KlAzureProvider, kl_azure_provider, kl_azure_provider_ref,
                     kl_azure_provider_unref)
G_DEFINE_BOXED_TYPE (KlAzureConnection, kl_azure_connection, kl_azure_connection_copy,
                     kl_azure_connection_free)

static const CloudInfo *
cloud_info (KlAzureCloud cloud)
{
  g_return_val_if_fail ((guint) cloud < KL_AZURE_N_CLOUDS, &clouds[KL_AZURE_CLOUD_PUBLIC]);
  return &clouds[cloud];
}

gboolean
kl_azure_cloud_from_environment (const char   *environment,
                                 KlAzureCloud *cloud)
{
  guint i;

  for (i = 0; environment != NULL && i < KL_AZURE_N_CLOUDS; i++)
    {
      if (strcmp (environment, clouds[i].environment) == 0)
        {
          if (cloud != NULL)
            *cloud = (KlAzureCloud) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
kl_azure_cloud_get_environment (KlAzureCloud cloud)
{
  return cloud_info (cloud)->environment;
}

const char *
kl_azure_cloud_get_name (KlAzureCloud cloud)
{
  return cloud_info (cloud)->name;
}

const char *
kl_azure_cloud_get_login_url (KlAzureCloud cloud)
{
  return cloud_info (cloud)->login_url;
}

const char *
kl_azure_cloud_get_arm_url (KlAzureCloud cloud)
{
  return cloud_info (cloud)->arm_url;
}

const char *
kl_azure_cloud_get_arm_scope (KlAzureCloud cloud)
{
  return cloud_info (cloud)->arm_scope;
}

const char *
kl_azure_cloud_get_key_vault_suffix (KlAzureCloud cloud)
{
  return cloud_info (cloud)->key_vault_suffix;
}

const char *
kl_azure_cloud_get_key_vault_scope (KlAzureCloud cloud)
{
  return cloud_info (cloud)->key_vault_scope;
}

const char *
kl_azure_cloud_get_portal_url (KlAzureCloud cloud)
{
  return cloud_info (cloud)->portal_url;
}

char *
kl_azure_cloud_dup_vault_uri (KlAzureCloud  cloud,
                              const char   *vault_name)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (vault_name != NULL, NULL);

  lower = g_ascii_strdown (vault_name, -1);
  return g_strdup_printf ("https://%s.%s", lower, cloud_info (cloud)->key_vault_suffix);
}

static char *
normalize_vault_uri (const char *uri)
{
  gsize length;

  if (uri == NULL)
    return NULL;

  length = strlen (uri);
  if (length > 0 && uri[length - 1] == '/')
    length--;

  return g_ascii_strdown (uri, (gssize) length);
}

gboolean
kl_azure_vault_uri_equal (const char *a,
                          const char *b)
{
  g_autofree char *na = normalize_vault_uri (a);
  g_autofree char *nb = normalize_vault_uri (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON helpers                                                                                */

#define MAX_DEPTH 64

static gboolean
depth_is_safe (const char *json,
               gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      if (in_string)
        {
          if (json[i] == '\\')
            i++;
          else if (json[i] == '"')
            in_string = FALSE;
        }
      else if (json[i] == '"')
        in_string = TRUE;
      else if ((json[i] == '[' || json[i] == '{') && ++depth > MAX_DEPTH)
        return FALSE;
      else if ((json[i] == ']' || json[i] == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* The root object of @json, or NULL with KL_ERROR_BAD_RESPONSE (@what names the answer). */
static JsonObject *
parse_object (JsonParser  *parser,
              const char  *json,
              gssize       length,
              const char  *what,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize size;

  if (json == NULL)
    {
      kl_error_set_bad_response (error, "%s: no body", what);
      return NULL;
    }

  size = length < 0 ? strlen (json) : (gsize) length;
  if (size == 0)
    {
      kl_error_set_bad_response (error, "%s: empty body", what);
      return NULL;
    }
  if (!depth_is_safe (json, size))
    {
      kl_error_set_bad_response (error, "%s: nested too deep", what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, (gssize) size, &local_error))
    {
      kl_error_set_bad_response (error, "%s: %s", what, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      kl_error_set_bad_response (error, "%s: not a JSON object", what);
      return NULL;
    }

  return json_node_get_object (root);
}

/* A string member, or NULL when absent, null or not a string. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

/* TRUE with *@value when the member is a boolean; FALSE when absent or of another type. */
static gboolean
get_boolean (JsonObject *object,
             const char *name,
             gboolean   *value)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *value)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = (gint64) json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

/* The strings of an array member (other elements skipped); never NULL. */
static GStrv
get_strv (JsonObject *object,
          const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = get_array (object, name);
  guint i;

  for (i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------------------------------ */
/* Connections                                                                                 */

KlAzureConnection *
kl_azure_connection_copy (const KlAzureConnection *connection)
{
  KlAzureConnection *copy;

  g_return_val_if_fail (connection != NULL, NULL);

  copy = g_new0 (KlAzureConnection, 1);
  copy->id = g_strdup (connection->id);
  copy->name = g_strdup (connection->name);
  copy->private_endpoint_id = g_strdup (connection->private_endpoint_id);
  copy->status = g_strdup (connection->status);
  copy->description = g_strdup (connection->description);
  copy->provisioning_state = g_strdup (connection->provisioning_state);
  return copy;
}

void
kl_azure_connection_free (KlAzureConnection *connection)
{
  if (connection == NULL)
    return;

  g_free (connection->id);
  g_free (connection->name);
  g_free (connection->private_endpoint_id);
  g_free (connection->status);
  g_free (connection->description);
  g_free (connection->provisioning_state);
  g_free (connection);
}

/* NULL when @object has no id (a connection without one cannot be named). */
static KlAzureConnection *
connection_from_object (JsonObject *object)
{
  KlAzureConnection *connection;
  JsonObject *properties = get_object (object, "properties");
  JsonObject *state = get_object (properties, "privateLinkServiceConnectionState");
  const char *id = get_string (object, "id");
  const char *slash;

  if (id == NULL || id[0] == '\0')
    return NULL;

  connection = g_new0 (KlAzureConnection, 1);
  connection->id = g_strdup (id);
  slash = strrchr (id, '/');
  connection->name = g_strdup (slash != NULL ? slash + 1 : id);
  connection->private_endpoint_id = g_strdup (get_string (get_object (properties,
                                                                     "privateEndpoint"),
                                                          "id"));
  connection->status = g_strdup (get_string (state, "status"));
  connection->description = g_strdup (get_string (state, "description"));
  connection->provisioning_state = g_strdup (get_string (properties, "provisioningState"));
  return connection;
}

KlAzureConnection *
kl_azure_connection_parse (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  KlAzureConnection *connection;
  JsonObject *object;

  if (!(object = parse_object (parser, json, length, "private endpoint connection", error)))
    return NULL;

  connection = connection_from_object (object);
  if (connection == NULL)
    kl_error_set_bad_response (error, "private endpoint connection without an id");
  return connection;
}

/* ------------------------------------------------------------------------------------------ */
/* Vaults                                                                                      */

static void
access_policy_free (gpointer data)
{
  KlAzureAccessPolicy *policy = data;

  g_free (policy->tenant_id);
  g_free (policy->object_id);
  g_free (policy->application_id);
  g_strfreev (policy->key_permissions);
  g_free (policy);
}

KlAzureVault *
kl_azure_vault_parse (const char  *json,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KlAzureVault) vault = NULL;
  JsonObject *object;
  JsonObject *properties;
  JsonObject *acls;
  JsonArray *array;
  gboolean rbac = FALSE;
  guint i;

  if (!(object = parse_object (parser, json, length, "key vault", error)))
    return NULL;

  properties = get_object (object, "properties");
  if (properties == NULL || get_string (object, "name") == NULL)
    {
      kl_error_set_bad_response (error, "key vault without name or properties");
      return NULL;
    }

  vault = g_new0 (KlAzureVault, 1);
  g_atomic_ref_count_init (&vault->ref_count);
  vault->access_policies = g_ptr_array_new_with_free_func (access_policy_free);
  vault->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_azure_connection_free);

  vault->id = g_strdup (get_string (object, "id"));
  vault->name = g_strdup (get_string (object, "name"));
  vault->location = g_strdup (get_string (object, "location"));
  vault->tenant_id = g_strdup (get_string (properties, "tenantId"));
  vault->vault_uri = g_strdup (get_string (properties, "vaultUri"));
  vault->provisioning_state = g_strdup (get_string (properties, "provisioningState"));
  vault->public_network_access = g_strdup (get_string (properties, "publicNetworkAccess"));

  if (get_boolean (properties, "enableRbacAuthorization", &rbac))
    vault->auth = rbac ? KL_AZURE_VAULT_AUTH_RBAC : KL_AZURE_VAULT_AUTH_ACCESS_POLICIES;
  else
    vault->auth = KL_AZURE_VAULT_AUTH_UNKNOWN;

  array = get_array (properties, "accessPolicies");
  for (i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      KlAzureAccessPolicy *policy;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      policy = g_new0 (KlAzureAccessPolicy, 1);
      policy->tenant_id = g_strdup (get_string (entry, "tenantId"));
      policy->object_id = g_strdup (get_string (entry, "objectId"));
      policy->application_id = g_strdup (get_string (entry, "applicationId"));
      policy->key_permissions = get_strv (get_object (entry, "permissions"), "keys");
      g_ptr_array_add (vault->access_policies, policy);
    }

  acls = get_object (properties, "networkAcls");
  vault->default_action = g_strdup (get_string (acls, "defaultAction"));
  vault->bypass = g_strdup (get_string (acls, "bypass"));
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

    array = get_array (acls, "ipRules");
    for (i = 0; array != NULL && i < json_array_get_length (array); i++)
      {
        JsonNode *node = json_array_get_element (array, i);
        const char *value;

        if (JSON_NODE_HOLDS_OBJECT (node) &&
            (value = get_string (json_node_get_object (node), "value")) != NULL)
          g_strv_builder_add (builder, value);
      }
    vault->ip_rules = g_strv_builder_end (builder);
  }
  array = get_array (acls, "virtualNetworkRules");
  vault->n_virtual_network_rules = array != NULL ? json_array_get_length (array) : 0;

  array = get_array (properties, "privateEndpointConnections");
  for (i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      KlAzureConnection *connection;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          (connection = connection_from_object (json_node_get_object (node))) != NULL)
        g_ptr_array_add (vault->connections, connection);
    }

  return g_steal_pointer (&vault);
}

KlAzureVault *
kl_azure_vault_ref (KlAzureVault *vault)
{
  g_return_val_if_fail (vault != NULL, NULL);

  g_atomic_ref_count_inc (&vault->ref_count);
  return vault;
}

void
kl_azure_vault_unref (KlAzureVault *vault)
{
  if (vault == NULL || !g_atomic_ref_count_dec (&vault->ref_count))
    return;

  g_free (vault->id);
  g_free (vault->name);
  g_free (vault->location);
  g_free (vault->tenant_id);
  g_free (vault->vault_uri);
  g_ptr_array_unref (vault->access_policies);
  g_free (vault->public_network_access);
  g_free (vault->default_action);
  g_free (vault->bypass);
  g_strfreev (vault->ip_rules);
  g_ptr_array_unref (vault->connections);
  g_free (vault->provisioning_state);
  g_free (vault);
}

KlAzureConnection *
kl_azure_vault_find_connection (KlAzureVault *vault,
                                const char   *name)
{
  guint i;

  g_return_val_if_fail (vault != NULL, NULL);

  for (i = 0; name != NULL && i < vault->connections->len; i++)
    {
      KlAzureConnection *connection = g_ptr_array_index (vault->connections, i);

      if (g_ascii_strcasecmp (connection->name, name) == 0)
        return connection;
    }

  return NULL;
}

KlAzureAccessPolicy *
kl_azure_vault_find_policy (KlAzureVault *vault,
                            const char   *client_id)
{
  guint i;

  g_return_val_if_fail (vault != NULL, NULL);

  for (i = 0; client_id != NULL && i < vault->access_policies->len; i++)
    {
      KlAzureAccessPolicy *policy = g_ptr_array_index (vault->access_policies, i);

      if (policy->application_id != NULL &&
          g_ascii_strcasecmp (policy->application_id, client_id) == 0)
        return policy;
    }

  return NULL;
}

gboolean
kl_azure_vault_is_private_only (KlAzureVault *vault)
{
  g_return_val_if_fail (vault != NULL, FALSE);

  return vault->public_network_access != NULL &&
         g_ascii_strcasecmp (vault->public_network_access, "disabled") == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                        */

KlAzureKey *
kl_azure_key_parse (const char  *json,
                    gssize       length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  KlAzureKey *key;
  JsonObject *object;
  JsonObject *jwk;
  JsonObject *attributes;
  gboolean enabled = TRUE;

  if (!(object = parse_object (parser, json, length, "key", error)))
    return NULL;

  jwk = get_object (object, "key");
  if (jwk == NULL || get_string (jwk, "kty") == NULL)
    {
      kl_error_set_bad_response (error, "key bundle without key.kty");
      return NULL;
    }

  attributes = get_object (object, "attributes");
  key = g_new0 (KlAzureKey, 1);
  g_atomic_ref_count_init (&key->ref_count);
  key->kid = g_strdup (get_string (jwk, "kid"));
  key->kty = g_strdup (get_string (jwk, "kty"));
  key->key_ops = get_strv (jwk, "key_ops");
  get_boolean (attributes, "enabled", &enabled);
  key->enabled = enabled;
  key->has_exp = get_int (attributes, "exp", &key->exp);
  key->has_nbf = get_int (attributes, "nbf", &key->nbf);
  return key;
}

KlAzureKey *
kl_azure_key_ref (KlAzureKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  g_atomic_ref_count_inc (&key->ref_count);
  return key;
}

void
kl_azure_key_unref (KlAzureKey *key)
{
  if (key == NULL || !g_atomic_ref_count_dec (&key->ref_count))
    return;

  g_free (key->kid);
  g_free (key->kty);
  g_strfreev (key->key_ops);
  g_free (key);
}

gboolean
kl_azure_key_has_op (KlAzureKey *key,
                     const char *op)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return op != NULL && g_strv_contains ((const char * const *) key->key_ops, op);
}

/* ------------------------------------------------------------------------------------------ */
/* Resource providers                                                                          */

KlAzureProvider *
kl_azure_provider_parse (const char  *json,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  KlAzureProvider *provider;
  JsonObject *object;

  if (!(object = parse_object (parser, json, length, "resource provider", error)))
    return NULL;

  if (get_string (object, "namespace") == NULL)
    {
      kl_error_set_bad_response (error, "resource provider without a namespace");
      return NULL;
    }

  provider = g_new0 (KlAzureProvider, 1);
  g_atomic_ref_count_init (&provider->ref_count);
  provider->namespace_name = g_strdup (get_string (object, "namespace"));
  provider->registration_state = g_strdup (get_string (object, "registrationState"));
  return provider;
}

KlAzureProvider *
kl_azure_provider_ref (KlAzureProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  g_atomic_ref_count_inc (&provider->ref_count);
  return provider;
}

void
kl_azure_provider_unref (KlAzureProvider *provider)
{
  if (provider == NULL || !g_atomic_ref_count_dec (&provider->ref_count))
    return;

  g_free (provider->namespace_name);
  g_free (provider->registration_state);
  g_free (provider);
}
