/* test-azure-sim.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-sim.h"
#include "kl-test-utils.h"

/* The Azure simulator on its own, with a plain SoupSession: its strictness (api-versions,
 * scopes, token audiences), its control API over HTTP, and the hook KlSim will use
 * (a Pending connection in, "connection-approved" out). */

typedef struct
{
  KlAzureSim  *sim;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

  fixture->sim = kl_azure_sim_new ("AZURE");
  g_assert_true (kl_azure_sim_start (fixture->sim, &error));
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  kl_azure_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
}

typedef struct
{
  guint       status;
  JsonNode   *body;
  char       *www_authenticate;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, json_node_unref);
  g_clear_pointer (&answer->www_authenticate, g_free);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
bytes_arrived (gpointer user_data)
{
  return *(GBytes **) user_data != NULL;
}

static void
call (Fixture    *fixture,
      const char *method,
      const char *url,
      const char *bearer,
      const char *content_type,
      const char *body,
      Answer     *answer)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_nonnull (msg);
  if (bearer != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb,
                                    &bytes);
  g_assert_true (kl_test_wait_until (bytes_arrived, &bytes, 10000));

  answer_clear (answer);
  answer->status = soup_message_get_status (msg);
  answer->www_authenticate = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (msg), "WWW-Authenticate"));
  if (g_bytes_get_size (bytes) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                  (gssize) g_bytes_get_size (bytes), NULL))
    answer->body = json_node_copy (json_parser_get_root (parser));
}

static const char *
member (Answer     *answer,
        const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);
  JsonNode *node = answer->body;
  guint i;

  for (i = 0; names[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), names[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
token (Fixture    *fixture,
       const char *scope)
{
  g_autofree char *url = g_strconcat (kl_azure_sim_get_login_url (fixture->sim), "/",
                                      KL_AZURE_SIM_TENANT_ID, "/oauth2/v2.0/token", NULL);
  g_autofree char *secret = g_uri_escape_string (KL_AZURE_SIM_CLIENT_SECRET, NULL, FALSE);
  g_autofree char *escaped_scope = g_uri_escape_string (scope, NULL, FALSE);
  g_autofree char *form = g_strconcat ("client_id=" KL_AZURE_SIM_CLIENT_ID "&client_secret=",
                                       secret, "&scope=", escaped_scope,
                                       "&grant_type=client_credentials", NULL);
  Answer answer = { 0, };
  char *result;

  call (fixture, "POST", url, NULL, "application/x-www-form-urlencoded", form, &answer);
  if (answer.status != 200)
    {
      g_test_message ("token: %u %s", answer.status, member (&answer, "error_description"));
      answer_clear (&answer);
      return NULL;
    }
  g_assert_cmpstr (member (&answer, "token_type"), ==, "Bearer");
  result = g_strdup (member (&answer, "access_token"));
  answer_clear (&answer);
  return result;
}

static char *
vault_url (Fixture    *fixture,
           const char *api_version)
{
  return g_strconcat (kl_azure_sim_get_arm_url (fixture->sim), "/subscriptions/",
                      KL_AZURE_SIM_SUBSCRIPTION_ID, "/resourceGroups/",
                      KL_AZURE_SIM_RESOURCE_GROUP, "/providers/Microsoft.KeyVault/vaults/",
                      KL_AZURE_SIM_VAULT_NAME, "?api-version=", api_version, NULL);
}

static char *
key_url (Fixture *fixture)
{
  g_auto(GStrv) parts = g_strsplit (kl_azure_sim_get_vault_url_template (fixture->sim),
                                    "{vault}", -1);
  g_autofree char *base = g_strjoinv (KL_AZURE_SIM_VAULT_NAME, parts);

  return g_strconcat (base, "/keys/" KL_AZURE_SIM_KEY_NAME "/?api-version=7.5", NULL);
}

static void
test_strict (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *arm = token (fixture, "https://management.azure.com/.default");
  g_autofree char *kv = token (fixture, "https://vault.azure.net/.default");
  g_autofree char *other_cloud = token (fixture, "https://management.chinacloudapi.cn/.default");
  g_autofree char *good = vault_url (fixture, "2023-07-01");
  g_autofree char *preview = vault_url (fixture, "2024-12-01-preview");
  g_autofree char *key = key_url (fixture);
  Answer answer = { 0, };

  g_assert_nonnull (arm);
  g_assert_nonnull (kv);
  /* A scope of another cloud: AADSTS500011. */
  g_assert_null (other_cloud);

  call (fixture, "GET", good, arm, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (member (&answer, "properties.vaultUri"), ==, "https://kv-kl.vault.azure.net/");

  call (fixture, "GET", preview, arm, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 400);

  /* Each token for its own audience only. */
  call (fixture, "GET", good, kv, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 401);
  call (fixture, "GET", key, arm, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 401);
  g_assert_cmpstr (member (&answer, "error.code"), ==, "Unauthorized");
  g_assert_nonnull (strstr (answer.www_authenticate, KL_AZURE_SIM_TENANT_ID));

  call (fixture, "GET", key, kv, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (member (&answer, "key.kty"), ==, "RSA");
  answer_clear (&answer);
}

static void
test_control_api (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *arm_base = g_strdup (kl_azure_sim_get_arm_url (fixture->sim));
  g_autofree char *kv = token (fixture, "https://vault.azure.net/.default");
  g_autofree char *key = key_url (fixture);
  g_autofree char *url = NULL;
  Answer answer = { 0, };

  /* Disable the key. */
  url = g_strconcat (arm_base, "/__sim/vaults/kv-kl/keys/kl-key", NULL);
  call (fixture, "POST", url, NULL, "application/json", "{\"enabled\": false}", &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  call (fixture, "GET", key, kv, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_false (json_object_get_boolean_member (
    json_object_get_object_member (json_node_get_object (answer.body), "attributes"), "enabled"));
  g_clear_pointer (&url, g_free);

  /* The vault refuses this machine. */
  url = g_strconcat (arm_base, "/__sim/vaults/kv-kl/network", NULL);
  call (fixture, "POST", url, NULL, "application/json",
        "{\"defaultAction\": \"Deny\", \"allowsThisMachine\": false}", &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  call (fixture, "GET", key, kv, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 403);
  g_assert_cmpstr (member (&answer, "error.innererror.code"), ==, "ForbiddenByFirewall");
  g_clear_pointer (&url, g_free);

  /* A missing role. */
  url = g_strconcat (arm_base, "/__sim/apps/" KL_AZURE_SIM_CLIENT_ID, NULL);
  call (fixture, "POST", url, NULL, "application/json", "{\"roles\": [\"vault-read\"]}",
        &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  call (fixture, "POST", url, NULL, "application/json", "{\"roles\": [\"no-such-role\"]}",
        &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  /* A wrong secret. */
  call (fixture, "POST", url, NULL, "application/json", "{\"secret\": \"rotated\"}", &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_null (token (fixture, "https://vault.azure.net/.default"));
  g_clear_pointer (&url, g_free);

  /* Connections and faults. */
  url = g_strconcat (arm_base, "/__sim/vaults/kv-kl/connections/kv-kl.abc", NULL);
  call (fixture, "POST", url, NULL, "application/json", "{\"status\": \"Pending\"}", &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->sim, "kv-kl", "kv-kl.abc"), ==,
                   "Pending");
  call (fixture, "POST", url, NULL, "application/json", "{\"status\": \"Rejected\"}", &answer);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->sim, "kv-kl", "kv-kl.abc"), ==,
                   "Rejected");
  g_clear_pointer (&url, g_free);

  url = g_strconcat (arm_base, "/__sim/faults", NULL);
  call (fixture, "POST", url, NULL, "application/json",
        "{\"path\": \"/*/keys/*\", \"kind\": \"status\", \"status\": 503}", &answer);
  g_assert_cmpuint (answer.status, ==, 201);
  call (fixture, "POST", url, NULL, "application/json", "{\"kind\": \"nonsense\"}", &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  call (fixture, "DELETE", url, NULL, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 204);
  g_clear_pointer (&url, g_free);

  url = g_strconcat (arm_base, "/__sim/nothing", NULL);
  call (fixture, "POST", url, NULL, "application/json", "{}", &answer);
  g_assert_cmpuint (answer.status, ==, 404);
  answer_clear (&answer);
}

typedef struct
{
  guint approved;
  guint rejected;
  char *last;
} Events;

static void
approved_cb (KlAzureSim *sim,
             const char *vault,
             const char *connection,
             Events     *events)
{
  events->approved++;
  g_free (events->last);
  events->last = g_strconcat (vault, "/", connection, NULL);
}

static void
rejected_cb (KlAzureSim *sim,
             const char *vault,
             const char *connection,
             Events     *events)
{
  events->rejected++;
}

static void
test_hook (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *arm = token (fixture, "https://management.azure.com/.default");
  g_autofree char *url = g_strconcat (kl_azure_sim_get_arm_url (fixture->sim), "/subscriptions/",
                                      KL_AZURE_SIM_SUBSCRIPTION_ID, "/resourceGroups/",
                                      KL_AZURE_SIM_RESOURCE_GROUP,
                                      "/providers/Microsoft.KeyVault/vaults/kv-kl/"
                                      "privateEndpointConnections/kv-kl.5b2f?api-version="
                                      "2026-02-01", NULL);
  g_autoptr(GError) error = NULL;
  Events events = { 0, };
  Answer answer = { 0, };

  kl_azure_sim_set_time_scale (fixture->sim, 0);
  g_signal_connect (fixture->sim, "connection-approved", G_CALLBACK (approved_cb), &events);
  g_signal_connect (fixture->sim, "connection-rejected", G_CALLBACK (rejected_cb), &events);

  /* Get one: 204 before it exists. */
  call (fixture, "GET", url, arm, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 204);

  /* What KlSim will do when an endpoint reaches PENDING_ACCEPTANCE. */
  g_assert_true (kl_azure_sim_add_pending_connection (fixture->sim, "kv-kl", "kv-kl.5b2f",
                                                      &error));
  g_assert_false (kl_azure_sim_add_pending_connection (fixture->sim, "kv-none", "x", &error));
  g_clear_error (&error);
  call (fixture, "GET", url, arm, NULL, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (member (&answer, "properties.privateLinkServiceConnectionState.status"), ==,
                   "Pending");
  g_assert_cmpstr (member (&answer, "name"), ==, "kv-kl.5b2f");

  /* A body that approves nothing. */
  call (fixture, "PUT", url, arm, "application/json", "{\"properties\": {}}", &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  g_assert_cmpuint (events.approved, ==, 0);

  call (fixture, "PUT", url, arm, "application/json",
        "{\"etag\":\"\",\"properties\":{\"privateLinkServiceConnectionState\":"
        "{\"status\":\"Approved\",\"description\":\"ok\"}}}", &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpuint (events.approved, ==, 1);
  g_assert_cmpstr (events.last, ==, "kv-kl/kv-kl.5b2f");
  g_assert_cmpstr (member (&answer, "properties.provisioningState"), ==, "Updating");

  /* Approving again is no news. */
  call (fixture, "PUT", url, arm, "application/json",
        "{\"properties\":{\"privateLinkServiceConnectionState\":{\"status\":\"Approved\"}}}",
        &answer);
  g_assert_cmpuint (events.approved, ==, 1);

  /* The simulated clock moves the provisioning on. */
  kl_azure_sim_advance (fixture->sim, KL_AZURE_SIM_APPROVAL_SECONDS + 1);
  call (fixture, "GET", url, arm, NULL, NULL, &answer);
  g_assert_cmpstr (member (&answer, "properties.provisioningState"), ==, "Succeeded");

  g_assert_true (kl_azure_sim_set_connection_status (fixture->sim, "kv-kl", "kv-kl.5b2f",
                                                     "Disconnected", &error));
  g_assert_cmpuint (events.rejected, ==, 1);
  g_assert_false (kl_azure_sim_set_connection_status (fixture->sim, "kv-kl", "kv-kl.5b2f",
                                                      "Gone", &error));
  g_clear_error (&error);

  answer_clear (&answer);
  g_free (events.last);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/azure-sim/strict", Fixture, NULL, fixture_set_up, test_strict,
              fixture_tear_down);
  g_test_add ("/azure-sim/control-api", Fixture, NULL, fixture_set_up, test_control_api,
              fixture_tear_down);
  g_test_add ("/azure-sim/hook", Fixture, NULL, fixture_set_up, test_hook, fixture_tear_down);

  return g_test_run ();
}
