/* kl-azure-sim-services.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-sim"

#include "config.h"

#include <string.h>

#include "kl-azure-sim-private.h"
#include "kl-sim-json.h"

/* The three services and the control API of the Azure simulator. Error codes and shapes are
 * those of shared/azure/azure-api.md; where it has none for a situation the simulator must
 * answer, the code starts with "Sim" (src/sim/README-azure.md lists them). */

#define ATLAS_PE_SUBSCRIPTION "aaaaaaaa-0000-4000-8000-000000000000"

/* The path's segments, percent-decoded (NULL-terminated). */
static GStrv
split_path (const char *path)
{
  g_auto(GStrv) raw = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  GStrv decoded = g_new0 (char *, g_strv_length (raw) + 1);
  guint i;

  for (i = 0; raw[i] != NULL; i++)
    {
      decoded[i] = g_uri_unescape_string (raw[i], NULL);
      if (decoded[i] == NULL)
        decoded[i] = g_strdup ("");
    }
  return decoded;
}

static const char *
query_value (SoupServerMessage *msg,
             const char        *name,
             char             **owned)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) table = NULL;

  *owned = NULL;
  if (query == NULL)
    return NULL;
  table = soup_form_decode (query);
  *owned = g_strdup (g_hash_table_lookup (table, name));
  return *owned;
}

/* The bearer token's record, or NULL (missing, unknown, expired or for the other audience). */
static SimToken *
bearer (KlAzureSim        *self,
        SoupServerMessage *msg,
        gboolean           key_vault)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  SimToken *token;

  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    return NULL;
  token = g_hash_table_lookup (self->tokens, header + strlen ("Bearer "));
  if (token == NULL || token->key_vault != key_vault || kl_azure_sim_now (self) >= token->expires)
    return NULL;
  return token;
}

static gboolean
is_guid (const char *text)
{
  guint i;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Identity platform: POST /{tenant}/oauth2/v2.0/token                                         */

static gboolean
is_other_cloud_scope (KlAzureSim *self,
                      const char *scope)
{
  static const char * const all[] = {
    "https://management.azure.com/.default", "https://vault.azure.net/.default",
    "https://management.chinacloudapi.cn/.default", "https://vault.azure.cn/.default",
    "https://management.usgovcloudapi.net/.default", "https://vault.usgovcloudapi.net/.default",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (all); i++)
    if (strcmp (scope, all[i]) == 0)
      return TRUE;
  return FALSE;
}

void
kl_azure_sim_handle_login (KlAzureSim        *self,
                           SoupServerMessage *msg)
{
  g_auto(GStrv) segments = split_path (g_uri_get_path (soup_server_message_get_uri (msg)));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *form_text = NULL;
  g_autofree char *tenant = NULL;
  const char *content_type;
  const char *client_id;
  const char *secret;
  const char *scope;
  SimApp *app;
  SimToken *token;
  JsonObject *answer;
  char *access_token;

  if (g_strv_length (segments) != 4 || strcmp (segments[1], "oauth2") != 0 ||
      strcmp (segments[2], "v2.0") != 0 || strcmp (segments[3], "token") != 0)
    {
      kl_azure_sim_respond_aad_error (msg, 404, "invalid_request", 0, "No such endpoint.");
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      kl_azure_sim_respond_aad_error (msg, 405, "invalid_request", 0, "Use POST.");
      return;
    }

  content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    {
      kl_azure_sim_respond_aad_error (msg, 400, "invalid_request", 0,
                                      "The request body must be a form.");
      return;
    }
  form_text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  form = soup_form_decode (form_text);
  explicit_bzero (form_text, strlen (form_text));

  tenant = g_ascii_strdown (segments[0], -1);
  if (g_ptr_array_find_with_equal_func (self->foreign_tenants, tenant, g_str_equal, NULL))
    {
      kl_azure_sim_respond_aad_error (msg, 400, "invalid_request", 90038,
                                      "Tenant is in another national cloud.");
      return;
    }
  if (kl_azure_sim_find_tenant (self, tenant) == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Tenant '%s' not found. Check to make sure you "
                                               "have the correct tenant ID and are signing into "
                                               "the correct cloud.", segments[0]);

      kl_azure_sim_respond_aad_error (msg, 400, "invalid_request", 90002, text);
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
    {
      kl_azure_sim_respond_aad_error (msg, 400, "unsupported_grant_type", 0,
                                      "The grant type is not supported.");
      return;
    }

  client_id = g_hash_table_lookup (form, "client_id");
  secret = g_hash_table_lookup (form, "client_secret");
  scope = g_hash_table_lookup (form, "scope");
  app = kl_azure_sim_find_app (self, client_id);
  if (app == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Application with identifier '%s' was not found "
                                               "in the directory.", client_id ? client_id : "");

      kl_azure_sim_respond_aad_error (msg, 400, "unauthorized_client", 700016, text);
      return;
    }
  if (secret == NULL || secret[0] == '\0')
    {
      kl_azure_sim_respond_aad_error (msg, 401, "invalid_client", 7000218,
                                      "The request body must contain the following parameter: "
                                      "'client_assertion' or 'client_secret'.");
      return;
    }
  if (!app->any_secret && strcmp (secret, app->secret) != 0)
    {
      kl_azure_sim_respond_aad_error (msg, 401, "invalid_client", 7000215,
                                      "Invalid client secret provided. Ensure the secret being "
                                      "sent in the request is the client secret value, not the "
                                      "client secret ID.");
      return;
    }
  switch (app->state)
    {
    case KL_AZURE_SIM_APP_SECRET_EXPIRED:
      kl_azure_sim_respond_aad_error (msg, 401, "invalid_client", 7000222,
                                      "The provided client secret keys are expired.");
      return;
    case KL_AZURE_SIM_APP_DISABLED:
      kl_azure_sim_respond_aad_error (msg, 400, "unauthorized_client", 7000112,
                                      "Application is disabled.");
      return;
    case KL_AZURE_SIM_APP_CONDITIONAL_ACCESS:
      kl_azure_sim_respond_aad_error (msg, 400, "invalid_grant", 53003,
                                      "Access has been blocked by Conditional Access policies.");
      return;
    case KL_AZURE_SIM_APP_OK:
    default:
      break;
    }
  if (scope == NULL || strchr (scope, ' ') != NULL)
    {
      kl_azure_sim_respond_aad_error (msg, 400, "invalid_scope", 70011,
                                      "The provided request must include exactly one 'scope' "
                                      "input parameter.");
      return;
    }
  if (strcmp (scope, self->cloud->arm_scope) != 0 &&
      strcmp (scope, self->cloud->key_vault_scope) != 0)
    {
      if (is_other_cloud_scope (self, scope))
        kl_azure_sim_respond_aad_error (msg, 400, "invalid_resource", 500011,
                                        "The resource principal was not found in the tenant.");
      else
        kl_azure_sim_respond_aad_error (msg, 400, "invalid_scope", 70011,
                                        "The provided value for the input parameter 'scope' "
                                        "is not valid.");
      return;
    }

  {
    g_autofree char *random = g_uuid_string_random ();

    access_token = g_strconcat ("sim-at-", random, NULL);
  }
  token = g_new0 (SimToken, 1);
  token->client_id = g_strdup (app->client_id);
  token->tenant_id = kl_azure_sim_find_tenant (self, tenant);
  token->key_vault = strcmp (scope, self->cloud->key_vault_scope) == 0;
  token->expires = kl_azure_sim_now (self) + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_replace (self->tokens, g_strdup (access_token), token);

  answer = json_object_new ();
  json_object_set_string_member (answer, "token_type", "Bearer");
  json_object_set_int_member (answer, "expires_in", self->token_lifetime);
  json_object_set_int_member (answer, "ext_expires_in", self->token_lifetime);
  json_object_set_string_member (answer, "access_token", access_token);
  g_free (access_token);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (answer));
}

/* ------------------------------------------------------------------------------------------ */
/* ARM                                                                                         */

static char *
vault_id (SimVault *vault)
{
  return g_strdup_printf ("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/"
                          "vaults/%s", vault->subscription_id, vault->resource_group,
                          vault->name);
}

static JsonObject *
connection_json (KlAzureSim    *self,
                 SimVault      *vault,
                 SimConnection *connection,
                 gboolean       with_name)
{
  JsonObject *object = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonObject *endpoint = json_object_new ();
  JsonObject *state = json_object_new ();
  g_autofree char *id = vault_id (vault);
  g_autofree char *pe_name = g_strdup (connection->name);
  g_autofree char *connection_id = g_strconcat (id, "/privateEndpointConnections/",
                                                connection->name, NULL);
  char *dot = strchr (pe_name, '.');

  if (dot != NULL)
    *dot = '\0';
  json_object_set_string_member (object, "id", connection_id);
  json_object_set_string_member (object, "etag", "");
  if (with_name)
    {
      json_object_set_string_member (object, "name", connection->name);
      json_object_set_string_member (object, "type",
                                     "Microsoft.KeyVault/vaults/privateEndpointConnections");
    }
  {
    g_autofree char *pe_id = g_strdup_printf ("/subscriptions/" ATLAS_PE_SUBSCRIPTION
                                              "/resourceGroups/atlas-kms/providers/"
                                              "Microsoft.Network/privateEndpoints/%s", pe_name);

    json_object_set_string_member (endpoint, "id", pe_id);
  }
  json_object_set_object_member (properties, "privateEndpoint", endpoint);
  json_object_set_string_member (state, "status", connection->status);
  json_object_set_string_member (state, "description", connection->description);
  json_object_set_string_member (state, "actionsRequired", "None");
  json_object_set_object_member (properties, "privateLinkServiceConnectionState", state);
  json_object_set_string_member (properties, "provisioningState",
                                 kl_azure_sim_now (self) < connection->updating_until
                                 ? "Updating" : "Succeeded");
  json_object_set_object_member (object, "properties", properties);
  return object;
}

static JsonNode *
vault_json (KlAzureSim *self,
            SimVault   *vault)
{
  JsonObject *object = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonObject *acls = json_object_new ();
  JsonObject *sku = json_object_new ();
  JsonArray *policies = json_array_new ();
  JsonArray *connections = json_array_new ();
  JsonArray *ip_rules = json_array_new ();
  g_autofree char *id = vault_id (vault);
  g_autofree char *uri = g_strdup_printf ("https://%s.%s/", vault->name,
                                          self->cloud->key_vault_suffix);
  guint i;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", vault->name);
  json_object_set_string_member (object, "type", "Microsoft.KeyVault/vaults");
  json_object_set_string_member (object, "location", KL_AZURE_SIM_LOCATION);

  json_object_set_string_member (properties, "tenantId", vault->tenant_id);
  json_object_set_string_member (properties, "vaultUri", uri);
  json_object_set_boolean_member (properties, "enableRbacAuthorization", vault->rbac);
  for (i = 0; i < vault->policies->len; i++)
    {
      SimPolicy *policy = g_ptr_array_index (vault->policies, i);
      JsonObject *entry = json_object_new ();
      JsonObject *permissions = json_object_new ();
      JsonArray *keys = json_array_new ();
      g_autofree char *object_id = g_strdup_printf ("0b0b0b0b-0000-4000-8000-%012u", i);
      guint j;

      json_object_set_string_member (entry, "tenantId", self->tenant_id);
      json_object_set_string_member (entry, "objectId", object_id);
      json_object_set_string_member (entry, "applicationId", policy->client_id);
      for (j = 0; policy->key_permissions[j] != NULL; j++)
        json_array_add_string_element (keys, policy->key_permissions[j]);
      json_object_set_array_member (permissions, "keys", keys);
      json_object_set_array_member (permissions, "secrets", json_array_new ());
      json_object_set_array_member (permissions, "certificates", json_array_new ());
      json_object_set_object_member (entry, "permissions", permissions);
      json_array_add_object_element (policies, entry);
    }
  json_object_set_array_member (properties, "accessPolicies", policies);
  json_object_set_string_member (properties, "publicNetworkAccess",
                                 vault->public_network_access);
  json_object_set_string_member (acls, "bypass", "AzureServices");
  json_object_set_string_member (acls, "defaultAction", vault->default_action);
  if (vault->allows_this_machine && g_ascii_strcasecmp (vault->default_action, "Deny") == 0)
    {
      JsonObject *rule = json_object_new ();

      json_object_set_string_member (rule, "value", "127.0.0.1");
      json_array_add_object_element (ip_rules, rule);
    }
  json_object_set_array_member (acls, "ipRules", ip_rules);
  json_object_set_array_member (acls, "virtualNetworkRules", json_array_new ());
  json_object_set_object_member (properties, "networkAcls", acls);
  for (i = 0; i < vault->connections->len; i++)
    json_array_add_object_element (connections,
                                   connection_json (self, vault,
                                                    g_ptr_array_index (vault->connections, i),
                                                    FALSE));
  json_object_set_array_member (properties, "privateEndpointConnections", connections);
  json_object_set_string_member (properties, "provisioningState", "Succeeded");
  json_object_set_boolean_member (properties, "enableSoftDelete", TRUE);
  json_object_set_int_member (properties, "softDeleteRetentionInDays", 90);
  json_object_set_string_member (sku, "family", "A");
  json_object_set_string_member (sku, "name", "standard");
  json_object_set_object_member (properties, "sku", sku);
  json_object_set_object_member (object, "properties", properties);
  return kl_sim_json_object_node (object);
}

static void
respond_not_authorized (SoupServerMessage *msg,
                        SimApp            *app,
                        const char        *action,
                        const char        *scope)
{
  g_autofree char *oid = g_strdup_printf ("0b0b0b0b-%.4s-4000-8000-000000000000",
                                          app != NULL ? app->client_id : "0000");
  g_autofree char *text = g_strdup_printf ("The client '%s' with object id '%s' does not have "
                                           "authorization to perform action '%s' over scope "
                                           "'%s' or the scope is invalid. If access was "
                                           "recently granted, please refresh your credentials.",
                                           oid, oid, action, scope);

  kl_azure_sim_respond_cloud_error (msg, 403, "AuthorizationFailed", NULL, text);
}

void
kl_azure_sim_handle_arm (KlAzureSim        *self,
                         SoupServerMessage *msg)
{
  g_auto(GStrv) s = split_path (g_uri_get_path (soup_server_message_get_uri (msg)));
  g_autofree char *version_owned = NULL;
  const char *version = query_value (msg, "api-version", &version_owned);
  const char *method = soup_server_message_get_method (msg);
  guint n = g_strv_length (s);
  gboolean provider_route;
  gboolean vault_route;
  gboolean connection_route;
  SimSubscription *subscription;
  SimToken *token;
  SimApp *app;
  SimVault *vault;
  g_autofree char *scope = NULL;

  provider_route = n == 4 && g_ascii_strcasecmp (s[0], "subscriptions") == 0 &&
                   g_ascii_strcasecmp (s[2], "providers") == 0;
  vault_route = n == 8 && g_ascii_strcasecmp (s[0], "subscriptions") == 0 &&
                g_ascii_strcasecmp (s[2], "resourceGroups") == 0 &&
                g_ascii_strcasecmp (s[4], "providers") == 0 &&
                g_ascii_strcasecmp (s[5], "Microsoft.KeyVault") == 0 &&
                g_ascii_strcasecmp (s[6], "vaults") == 0;
  connection_route = n == 10 && g_ascii_strcasecmp (s[0], "subscriptions") == 0 &&
                     g_ascii_strcasecmp (s[2], "resourceGroups") == 0 &&
                     g_ascii_strcasecmp (s[4], "providers") == 0 &&
                     g_ascii_strcasecmp (s[5], "Microsoft.KeyVault") == 0 &&
                     g_ascii_strcasecmp (s[6], "vaults") == 0 &&
                     g_ascii_strcasecmp (s[8], "privateEndpointConnections") == 0;

  if (!provider_route && !vault_route && !connection_route)
    {
      kl_azure_sim_respond_cloud_error (msg, 404, "SimNoSuchPath", NULL,
                                        "The simulator serves no such path.");
      return;
    }
  if ((!connection_route && strcmp (method, SOUP_METHOD_GET) != 0) ||
      (connection_route && strcmp (method, SOUP_METHOD_GET) != 0 &&
       strcmp (method, SOUP_METHOD_PUT) != 0))
    {
      kl_azure_sim_respond_cloud_error (msg, 405, "SimMethodNotAllowed", NULL,
                                        "The simulator serves no such method here.");
      return;
    }
  if (!(token = bearer (self, msg, FALSE)))
    {
      kl_azure_sim_respond_cloud_error (msg, 401, "SimInvalidToken", NULL,
                                        "No valid ARM bearer token.");
      return;
    }
  if (!kl_azure_sim_version_ok (kl_azure_sim_versions (KL_AZURE_SIM_SERVICE_ARM, provider_route),
                                version))
    {
      kl_azure_sim_respond_cloud_error (msg, 400, "SimUnsupportedApiVersion", NULL,
                                        "The api-version is missing or not a stable version.");
      return;
    }

  if (!is_guid (s[1]) || !(subscription = kl_azure_sim_find_subscription (self, s[1])))
    {
      g_autofree char *text = g_strdup_printf ("The subscription '%s' could not be found.", s[1]);

      kl_azure_sim_respond_cloud_error (msg, 404, "SubscriptionNotFound", NULL, text);
      return;
    }
  if (strcmp (subscription->tenant_id, token->tenant_id) != 0)
    {
      kl_azure_sim_respond_cloud_error (msg, 401, "InvalidAuthenticationTokenTenant", NULL,
                                        "The access token is from the wrong issuer. It must "
                                        "match the tenant associated with this subscription.");
      return;
    }
  app = kl_azure_sim_find_app (self, token->client_id);

  if (provider_route)
    {
      const char *state;
      JsonObject *object;
      g_autofree char *lower = g_ascii_strdown (s[3], -1);
      g_autofree char *id = NULL;

      if (app == NULL || !(app->roles & KL_AZURE_SIM_ROLE_PROVIDER_READ))
        {
          scope = g_strdup_printf ("/subscriptions/%s", subscription->id);
          respond_not_authorized (msg, app, "Microsoft.Resources/subscriptions/providers/read",
                                  scope);
          return;
        }
      if (!(state = g_hash_table_lookup (subscription->providers, lower)))
        {
          kl_azure_sim_respond_cloud_error (msg, 404, "SimNoSuchProvider", NULL,
                                            "The simulator knows no such provider.");
          return;
        }
      object = json_object_new ();
      id = g_strdup_printf ("/subscriptions/%s/providers/%s", subscription->id, s[3]);
      json_object_set_string_member (object, "id", id);
      json_object_set_string_member (object, "namespace", s[3]);
      json_object_set_string_member (object, "registrationState", state);
      json_object_set_array_member (object, "resourceTypes", json_array_new ());
      kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (object));
      return;
    }

  scope = g_strdup_printf ("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/"
                           "vaults/%s", subscription->id, s[3], s[7]);
  if (strcmp (method, SOUP_METHOD_PUT) == 0)
    {
      if (app == NULL || !(app->roles & KL_AZURE_SIM_ROLE_APPROVE))
        {
          g_autofree char *pec_scope = g_strconcat (scope, "/privateEndpointConnections/", s[9],
                                                    NULL);

          respond_not_authorized (msg, app,
                                  "Microsoft.KeyVault/vaults/privateEndpointConnections/write",
                                  pec_scope);
          return;
        }
    }
  else if (app == NULL || !(app->roles & KL_AZURE_SIM_ROLE_VAULT_READ))
    {
      respond_not_authorized (msg, app, "Microsoft.KeyVault/vaults/read", scope);
      return;
    }

  {
    gboolean found = FALSE;
    guint i;

    /* Resource group names are not case-sensitive. */
    for (i = 0; i < subscription->resource_groups->len; i++)
      if (g_ascii_strcasecmp (g_ptr_array_index (subscription->resource_groups, i), s[3]) == 0)
        found = TRUE;
    if (!found)
      {
        g_autofree char *text = g_strdup_printf ("Resource group '%s' could not be found.", s[3]);

        kl_azure_sim_respond_cloud_error (msg, 404, "ResourceGroupNotFound", NULL, text);
        return;
      }
  }

  vault = kl_azure_sim_find_vault (self, s[7]);
  if (vault == NULL || strcmp (vault->subscription_id, subscription->id) != 0 ||
      g_ascii_strcasecmp (vault->resource_group, s[3]) != 0)
    {
      g_autofree char *text = g_strdup_printf ("The Resource 'Microsoft.KeyVault/vaults/%s' "
                                               "under resource group '%s' was not found.",
                                               s[7], s[3]);

      kl_azure_sim_respond_cloud_error (msg, 404, "ResourceNotFound", NULL, text);
      return;
    }

  if (vault_route)
    {
      kl_azure_sim_respond_json (msg, 200, vault_json (self, vault));
      return;
    }

  {
    SimConnection *connection = kl_azure_sim_find_connection (vault, s[9]);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonParser) parser = NULL;
    JsonNode *root;
    JsonObject *state = NULL;
    const char *status = NULL;
    const char *description = NULL;

    if (strcmp (method, SOUP_METHOD_GET) == 0)
      {
        /* Get one: 200 with the body, or 204 No Content. */
        if (connection == NULL)
          soup_server_message_set_status (msg, 204, NULL);
        else
          kl_azure_sim_respond_json (msg, 200,
                                     kl_sim_json_object_node (connection_json (self, vault,
                                                                               connection,
                                                                               TRUE)));
        return;
      }

    if (connection == NULL)
      {
        g_autofree char *text = g_strdup_printf ("The Resource 'Microsoft.KeyVault/vaults/%s/"
                                                 "privateEndpointConnections/%s' under resource "
                                                 "group '%s' was not found.", s[7], s[9], s[3]);

        kl_azure_sim_respond_cloud_error (msg, 404, "ResourceNotFound", NULL, text);
        return;
      }

    body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
    parser = json_parser_new ();
    if (g_bytes_get_size (body) > 0 &&
        kl_sim_json_depth_is_safe (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) &&
        json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                    (gssize) g_bytes_get_size (body), NULL) &&
        (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
      {
        JsonNode *properties = json_object_get_member (json_node_get_object (root), "properties");
        JsonNode *state_node = properties != NULL && JSON_NODE_HOLDS_OBJECT (properties)
          ? json_object_get_member (json_node_get_object (properties),
                                    "privateLinkServiceConnectionState")
          : NULL;

        if (state_node != NULL && JSON_NODE_HOLDS_OBJECT (state_node))
          {
            state = json_node_get_object (state_node);
            status = json_object_get_string_member_with_default (state, "status", NULL);
            description = json_object_get_string_member_with_default (state, "description",
                                                                      NULL);
          }
      }
    if (g_strcmp0 (status, "Approved") != 0 && g_strcmp0 (status, "Rejected") != 0)
      {
        kl_azure_sim_respond_cloud_error (msg, 400, "SimInvalidRequestBody", NULL,
                                          "properties.privateLinkServiceConnectionState.status "
                                          "must be Approved or Rejected.");
        return;
      }

    kl_azure_sim_change_connection (self, vault, connection, status,
                                    description != NULL ? description : "");
    kl_azure_sim_respond_json (msg, 200,
                               kl_sim_json_object_node (connection_json (self, vault, connection,
                                                                         TRUE)));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Key Vault data plane: GET /{vault}/keys/{name}/{version}                                    */

static void
respond_challenge (KlAzureSim        *self,
                   SoupServerMessage *msg,
                   SimVault          *vault,
                   const char        *text)
{
  g_autofree char *challenge = g_strdup_printf ("Bearer authorization=\"https://login.windows.net/"
                                                "%s\", resource=\"%s\"", vault->tenant_id,
                                                self->cloud->key_vault_resource);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", challenge);
  kl_azure_sim_respond_cloud_error (msg, 401, "Unauthorized", NULL, text);
}

static gboolean
policy_allows_get (SimVault   *vault,
                   const char *client_id)
{
  guint i;
  guint j;

  for (i = 0; i < vault->policies->len; i++)
    {
      SimPolicy *policy = g_ptr_array_index (vault->policies, i);

      if (g_ascii_strcasecmp (policy->client_id, client_id) != 0)
        continue;
      for (j = 0; policy->key_permissions[j] != NULL; j++)
        if (g_ascii_strcasecmp (policy->key_permissions[j], "get") == 0 ||
            g_ascii_strcasecmp (policy->key_permissions[j], "all") == 0)
          return TRUE;
    }
  return FALSE;
}

gboolean
kl_azure_sim_handle_vault (KlAzureSim        *self,
                           SoupServerMessage *msg)
{
  g_auto(GStrv) s = split_path (g_uri_get_path (soup_server_message_get_uri (msg)));
  g_autofree char *version_owned = NULL;
  const char *version = query_value (msg, "api-version", &version_owned);
  guint n = g_strv_length (s);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SimVault *vault;
  SimToken *token;
  SimApp *app;
  SimKey *key;
  const char *key_version;

  if (n < 1 || !(vault = kl_azure_sim_find_vault (self, s[0])))
    return FALSE;

  soup_message_headers_replace (headers, "x-ms-keyvault-region", KL_AZURE_SIM_LOCATION);
  soup_message_headers_replace (headers, "x-ms-keyvault-service-version", "1.9.0.0");
  soup_message_headers_replace (headers, "x-ms-keyvault-network-info",
                                "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;");

  if (!(n == 3 || n == 4) || strcmp (s[1], "keys") != 0)
    {
      kl_azure_sim_respond_cloud_error (msg, 404, "SimNoSuchPath", NULL,
                                        "The simulator serves no such path.");
      return TRUE;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      kl_azure_sim_respond_cloud_error (msg, 405, "SimMethodNotAllowed", NULL,
                                        "The simulator serves no such method here.");
      return TRUE;
    }
  if (!kl_azure_sim_version_ok (kl_azure_sim_versions (KL_AZURE_SIM_SERVICE_VAULT, FALSE),
                                version))
    {
      kl_azure_sim_respond_cloud_error (msg, 400, "SimUnsupportedApiVersion", NULL,
                                        "The api-version is missing or not a stable version.");
      return TRUE;
    }
  if (!(token = bearer (self, msg, TRUE)))
    {
      respond_challenge (self, msg, vault, "Request is missing a Bearer or PoP token.");
      return TRUE;
    }
  if (strcmp (token->tenant_id, vault->tenant_id) != 0)
    {
      respond_challenge (self, msg, vault, "The token's tenant is not the vault's tenant.");
      return TRUE;
    }
  if (g_ascii_strcasecmp (vault->public_network_access, "Disabled") == 0)
    {
      kl_azure_sim_respond_cloud_error (msg, 403, "Forbidden", "ForbiddenByConnection",
                                        "Public network access is disabled and request is not "
                                        "from a trusted service nor via an approved private "
                                        "link.");
      return TRUE;
    }
  if (g_ascii_strcasecmp (vault->default_action, "Deny") == 0 && !vault->allows_this_machine)
    {
      kl_azure_sim_respond_cloud_error (msg, 403, "Forbidden", "ForbiddenByFirewall",
                                        "Client address is not authorized and caller is not a "
                                        "trusted service. Client address: 127.0.0.1");
      return TRUE;
    }

  app = kl_azure_sim_find_app (self, token->client_id);
  if (vault->rbac && (app == NULL || !(app->roles & KL_AZURE_SIM_ROLE_KEY_READ)))
    {
      kl_azure_sim_respond_cloud_error (msg, 403, "Forbidden", "ForbiddenByRbac",
                                        "Caller is not authorized to perform action on resource. "
                                        "Action: 'Microsoft.KeyVault/vaults/keys/read'");
      return TRUE;
    }
  if (!vault->rbac && !policy_allows_get (vault, token->client_id))
    {
      g_autofree char *text = g_strdup_printf ("Operation \"get\" is not allowed by vault "
                                               "policy. Caller: appid=%s", token->client_id);

      kl_azure_sim_respond_cloud_error (msg, 403, "Forbidden", "ForbiddenByPolicy", text);
      return TRUE;
    }

  key = kl_azure_sim_find_key (vault, s[2]);
  key_version = n == 4 && s[3][0] != '\0' ? s[3] : NULL;
  if (key == NULL || (key_version != NULL && g_ascii_strcasecmp (key_version, key->version) != 0))
    {
      g_autofree char *text = g_strdup_printf ("A key with (name/id) %s was not found in this key "
                                               "vault. If you recently deleted this key you may "
                                               "be able to recover it using the correct recovery "
                                               "command.", s[2]);

      kl_azure_sim_respond_cloud_error (msg, 404, "KeyNotFound", NULL, text);
      return TRUE;
    }

  {
    JsonObject *bundle = json_object_new ();
    JsonObject *jwk = json_object_new ();
    JsonObject *attributes = json_object_new ();
    JsonArray *ops = json_array_new ();
    g_autofree char *kid = g_strdup_printf ("https://%s.%s/keys/%s/%s", vault->name,
                                            self->cloud->key_vault_suffix, key->name,
                                            key->version);
    gint64 created = g_get_real_time () / G_USEC_PER_SEC - 86400;
    guint i;

    json_object_set_string_member (jwk, "kid", kid);
    json_object_set_string_member (jwk, "kty", key->kty);
    for (i = 0; key->key_ops[i] != NULL; i++)
      json_array_add_string_element (ops, key->key_ops[i]);
    json_object_set_array_member (jwk, "key_ops", ops);
    if (g_str_has_prefix (key->kty, "RSA"))
      {
        json_object_set_string_member (jwk, "n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78L"
                                       "hWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV"
                                       "4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4Qy"
                                       "Q5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu"
                                       "6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM"
                                       "4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJ"
                                       "zKnqDKgw");
        json_object_set_string_member (jwk, "e", "AQAB");
      }
    json_object_set_object_member (bundle, "key", jwk);
    json_object_set_boolean_member (attributes, "enabled", key->enabled);
    if (key->nbf != 0)
      json_object_set_int_member (attributes, "nbf", key->nbf);
    if (key->exp != 0)
      json_object_set_int_member (attributes, "exp", key->exp);
    json_object_set_int_member (attributes, "created", created);
    json_object_set_int_member (attributes, "updated", created);
    json_object_set_int_member (attributes, "recoverableDays", 90);
    json_object_set_string_member (attributes, "recoveryLevel", "Recoverable+Purgeable");
    json_object_set_object_member (bundle, "attributes", attributes);
    kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (bundle));
  }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Control API: /__sim/ on the ARM server                                                      */

static void
control_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *text)
{
  kl_azure_sim_respond_cloud_error (msg, status, code, NULL, text);
}

static JsonObject *
control_body (SoupServerMessage *msg,
              JsonParser        *parser)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0)
    {
      static JsonObject *empty;

      if (empty == NULL)
        empty = json_object_new ();
      return empty;
    }
  if (!kl_sim_json_depth_is_safe (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      control_error (msg, 400, "SIM_INVALID_REQUEST", "The body must be a JSON object.");
      return NULL;
    }
  return json_node_get_object (root);
}

static GStrv
string_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  for (i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static gboolean
control_app (KlAzureSim        *self,
             SoupServerMessage *msg,
             const char        *client_id,
             JsonObject        *body)
{
  static const struct { const char *name; KlAzureSimAppState state; } states[] = {
    { "ok", KL_AZURE_SIM_APP_OK },
    { "secret-expired", KL_AZURE_SIM_APP_SECRET_EXPIRED },
    { "disabled", KL_AZURE_SIM_APP_DISABLED },
    { "conditional-access", KL_AZURE_SIM_APP_CONDITIONAL_ACCESS },
  };
  static const struct { const char *name; KlAzureSimRoles role; } roles[] = {
    { "vault-read", KL_AZURE_SIM_ROLE_VAULT_READ },
    { "key-read", KL_AZURE_SIM_ROLE_KEY_READ },
    { "approve", KL_AZURE_SIM_ROLE_APPROVE },
    { "provider-read", KL_AZURE_SIM_ROLE_PROVIDER_READ },
  };
  const char *secret = json_object_get_string_member_with_default (body, "secret", NULL);
  const char *state = json_object_get_string_member_with_default (body, "state", NULL);
  g_auto(GStrv) role_names = string_array (body, "roles");
  guint i;
  guint j;

  if (kl_azure_sim_find_app (self, client_id) == NULL)
    {
      if (secret == NULL)
        {
          control_error (msg, 404, "SIM_NOT_FOUND", "No such application (give a secret to "
                         "add one).");
          return FALSE;
        }
      kl_azure_sim_add_app (self, client_id, secret, KL_AZURE_SIM_ROLE_ALL);
    }
  if (secret != NULL)
    kl_azure_sim_set_app_secret (self, client_id, secret);
  if (state != NULL)
    {
      for (i = 0; i < G_N_ELEMENTS (states) && strcmp (states[i].name, state) != 0; i++)
        ;
      if (i == G_N_ELEMENTS (states))
        {
          control_error (msg, 400, "SIM_INVALID_REQUEST", "Unknown application state.");
          return FALSE;
        }
      kl_azure_sim_set_app_state (self, client_id, states[i].state);
    }
  if (role_names != NULL)
    {
      KlAzureSimRoles value = KL_AZURE_SIM_ROLE_NONE;

      for (j = 0; role_names[j] != NULL; j++)
        {
          for (i = 0; i < G_N_ELEMENTS (roles) && strcmp (roles[i].name, role_names[j]) != 0; i++)
            ;
          if (i == G_N_ELEMENTS (roles))
            {
              control_error (msg, 400, "SIM_INVALID_REQUEST", "Unknown role.");
              return FALSE;
            }
          value |= roles[i].role;
        }
      kl_azure_sim_set_app_roles (self, client_id, value);
    }
  return TRUE;
}

static gboolean
control_vault (KlAzureSim        *self,
               SoupServerMessage *msg,
               GStrv              s,
               JsonObject        *body)
{
  guint n = g_strv_length (s);
  const char *method = soup_server_message_get_method (msg);
  SimVault *vault = kl_azure_sim_find_vault (self, s[2]);

  if (vault == NULL)
    {
      control_error (msg, 404, "SIM_NOT_FOUND", "No such vault.");
      return FALSE;
    }

  if (n == 4 && strcmp (s[3], "network") == 0)
    {
      return kl_azure_sim_set_vault_network (self, s[2],
               json_object_get_string_member_with_default (body, "publicNetworkAccess",
                                                           vault->public_network_access),
               json_object_get_string_member_with_default (body, "defaultAction",
                                                           vault->default_action),
               json_object_get_boolean_member_with_default (body, "allowsThisMachine",
                                                            vault->allows_this_machine));
    }
  if (n == 4 && strcmp (s[3], "rbac") == 0)
    return kl_azure_sim_set_vault_rbac (self, s[2],
                                        json_object_get_boolean_member_with_default (body,
                                                                                     "enabled",
                                                                                     TRUE));
  if (n == 5 && strcmp (s[3], "keys") == 0)
    {
      g_auto(GStrv) ops = string_array (body, "keyOps");
      SimKey *key = kl_azure_sim_find_key (vault, s[4]);
      g_auto(GStrv) old_ops = key != NULL ? g_strdupv (key->key_ops) : NULL;

      if (strcmp (method, SOUP_METHOD_DELETE) == 0)
        return kl_azure_sim_remove_key (self, s[2], s[4]);
      return kl_azure_sim_add_key (self, s[2], s[4],
               json_object_get_string_member_with_default (body, "kty",
                                                           key != NULL ? key->kty : "RSA"),
               (const char * const *) (ops != NULL ? ops : old_ops),
               json_object_get_boolean_member_with_default (body, "enabled",
                                                            key != NULL ? key->enabled : TRUE),
               json_object_get_int_member_with_default (body, "exp", key != NULL ? key->exp : 0),
               json_object_get_int_member_with_default (body, "nbf", key != NULL ? key->nbf : 0));
    }
  if (n == 5 && strcmp (s[3], "connections") == 0)
    {
      const char *status = json_object_get_string_member_with_default (body, "status", NULL);
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (status, "Pending") == 0)
        return kl_azure_sim_add_pending_connection (self, s[2], s[4], NULL);
      if (status == NULL || !kl_azure_sim_set_connection_status (self, s[2], s[4], status, &error))
        {
          control_error (msg, 400, "SIM_INVALID_REQUEST",
                         error != NULL ? error->message : "A status is required.");
          return FALSE;
        }
      return TRUE;
    }

  control_error (msg, 404, "SIM_NOT_FOUND", "No such control path.");
  return FALSE;
}

void
kl_azure_sim_handle_control (KlAzureSim        *self,
                             SoupServerMessage *msg,
                             const char        *path)
{
  g_auto(GStrv) s = split_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *method = soup_server_message_get_method (msg);
  guint n = g_strv_length (s);
  JsonObject *body;
  gboolean ok = FALSE;

  if (n == 2 && strcmp (s[1], "faults") == 0)
    {
      if (strcmp (method, SOUP_METHOD_DELETE) == 0)
        {
          kl_azure_sim_clear_faults (self);
          soup_server_message_set_status (msg, 204, NULL);
        }
      else if (strcmp (method, SOUP_METHOD_GET) == 0)
        {
          JsonObject *object = json_object_new ();

          json_object_set_member (object, "faults", kl_azure_sim_list_faults (self));
          kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (object));
        }
      else
        {
          g_autoptr(GBytes) bytes = soup_message_body_flatten (
            soup_server_message_get_request_body (msg));
          g_autoptr(GError) error = NULL;
          JsonNode *stored = NULL;

          if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                          (gssize) g_bytes_get_size (bytes), NULL))
            stored = kl_azure_sim_add_fault_node (self, json_parser_get_root (parser), &error);
          if (stored == NULL)
            control_error (msg, 400, "SIM_INVALID_FAULT",
                           error != NULL ? error->message : "The body must be a fault rule.");
          else
            kl_azure_sim_respond_json (msg, 201, stored);
        }
      return;
    }

  /* The connections of a vault as the portal lists them (their names are Atlas's). */
  if (n == 4 && strcmp (s[1], "vaults") == 0 && strcmp (s[3], "connections") == 0
      && strcmp (method, SOUP_METHOD_GET) == 0)
    {
      SimVault *vault = kl_azure_sim_find_vault (self, s[2]);
      JsonObject *object;
      JsonArray *array;

      if (vault == NULL)
        {
          control_error (msg, 404, "SIM_NOT_FOUND", "No such vault.");
          return;
        }
      array = json_array_new ();
      for (guint i = 0; i < vault->connections->len; i++)
        {
          SimConnection *connection = g_ptr_array_index (vault->connections, i);
          JsonObject *item = json_object_new ();

          json_object_set_string_member (item, "name", connection->name);
          json_object_set_string_member (item, "status", connection->status);
          json_array_add_object_element (array, item);
        }
      object = json_object_new ();
      json_object_set_array_member (object, "connections", array);
      kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (object));
      return;
    }

  if (strcmp (method, SOUP_METHOD_POST) != 0 && strcmp (method, SOUP_METHOD_DELETE) != 0)
    {
      control_error (msg, 405, "SIM_INVALID_REQUEST", "Use POST.");
      return;
    }
  if (!(body = control_body (msg, parser)))
    return;

  if (n == 2 && strcmp (s[1], "time-scale") == 0)
    {
      double scale = json_object_get_double_member_with_default (body, "timeScale", -1);

      if (scale < 0)
        {
          control_error (msg, 400, "SIM_INVALID_REQUEST", "timeScale must be a number ≥ 0.");
          return;
        }
      kl_azure_sim_set_time_scale (self, scale);
      ok = TRUE;
    }
  else if (n == 2 && strcmp (s[1], "advance") == 0)
    {
      double seconds = json_object_get_double_member_with_default (body, "seconds", -1);

      if (seconds < 0)
        {
          control_error (msg, 400, "SIM_INVALID_REQUEST", "seconds must be a number ≥ 0.");
          return;
        }
      kl_azure_sim_advance (self, seconds);
      ok = TRUE;
    }
  else if (n == 3 && strcmp (s[1], "apps") == 0)
    {
      if (!control_app (self, msg, s[2], body))
        return;
      ok = TRUE;
    }
  else if (n >= 4 && strcmp (s[1], "vaults") == 0)
    {
      if (!control_vault (self, msg, s, body))
        return;
      ok = TRUE;
    }
  else if (n == 5 && strcmp (s[1], "subscriptions") == 0 && strcmp (s[3], "providers") == 0)
    {
      if (kl_azure_sim_find_subscription (self, s[2]) == NULL)
        {
          control_error (msg, 404, "SIM_NOT_FOUND", "No such subscription.");
          return;
        }
      kl_azure_sim_set_provider_state (self, s[2], s[4],
                                       json_object_get_string_member_with_default (
                                         body, "registrationState", NULL));
      ok = TRUE;
    }

  if (!ok)
    {
      control_error (msg, 404, "SIM_NOT_FOUND", "No such control path.");
      return;
    }
  kl_azure_sim_respond_json (msg, 200, kl_sim_json_object_node (json_object_new ()));
}
