/* test-sim-common.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kl-test-utils.h"
#include "test-sim-common.h"

void
sim_response_free (SimResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_error (&response->error);
  g_free (response);
}

KlSchemaCheck *
sim_schema (void)
{
  static KlSchemaCheck *check;

  if (check == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "atlas-admin-v2-subset.json",
                                                     NULL);
      g_autoptr(GError) error = NULL;

      check = kl_schema_check_new_from_file (path, &error);
      g_assert_no_error (error);
      /* A real Azure region newer than the spec's extract (src/sim/README.md). */
      kl_schema_check_allow_enum_value (check, KL_SIM_NEW_AZURE_REGION);
    }
  return check;
}

/* The Flex API's extract (flex-clusters-subset.yaml), for /flexClusters answers. */
static KlSchemaCheck *
sim_flex_schema (void)
{
  static KlSchemaCheck *check;

  if (check == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "flex-clusters-subset.json",
                                                     NULL);
      g_autoptr(GError) error = NULL;

      check = kl_schema_check_new_from_file (path, &error);
      g_assert_no_error (error);
    }
  return check;
}

void
sim_test_init (int    *argc,
               char ***argv)
{
  g_autofree char *spec = NULL;

  /* With G_TEST_OPTION_ISOLATE_DIRS the desktop's proxy settings schema is out of reach, and
   * GIO's GNOME proxy resolver aborts on the first connection (GProxyAddressEnumerator asks for
   * the default resolver even when the session has its own). The built-in "dummy" resolver
   * connects directly. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Built from the spec's YAML only where PyYAML is (tests/meson.build): without it these
   * tests cannot check anything, and say why rather than fail or pass. */
  spec = g_test_build_filename (G_TEST_BUILT, "atlas-admin-v2-subset.json", NULL);
  if (!g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      /* TAP's skip plan: meson counts any other exit of a TAP test as an error. */
      g_print ("1..0 # SKIP the Atlas spec as JSON was not built (no PyYAML at configure "
               "time)\n");
      exit (0);
    }
}

SoupSession *
sim_new_session (void)
{
  /* No proxy lookup at all: the tests run with isolated XDG dirs, where the desktop proxy
   * settings do not exist, and the simulator is on loopback anyway. */
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

  return soup_session_new_with_options ("proxy-resolver", direct, NULL);
}

void
sim_fixture_setup (SimFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = kl_sim_new ();
  /* Frozen clock: the tests move it with kl_sim_advance(), so every transition is exact. */
  kl_sim_set_time_scale (fixture->sim, 0);
  kl_sim_set_seed (fixture->sim, 42);
  kl_sim_add_api_key (fixture->sim, SIM_PUBLIC_KEY, SIM_PRIVATE_KEY);
  kl_sim_add_service_account (fixture->sim, SIM_CLIENT_ID, SIM_CLIENT_SECRET);
  kl_sim_start (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->base_url = g_strdup (kl_sim_get_base_url (fixture->sim));
  fixture->session = sim_new_session ();
  fixture->user = SIM_PUBLIC_KEY;
  fixture->password = SIM_PRIVATE_KEY;
}

void
sim_fixture_teardown (SimFixture    *fixture,
                      gconstpointer  data)
{
  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  kl_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
  g_clear_pointer (&fixture->base_url, g_free);
  g_clear_pointer (&fixture->bearer, g_free);
}

static gboolean
authenticate_cb (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 SimFixture  *fixture)
{
  if (retrying || fixture->user == NULL)
    return FALSE;
  soup_auth_authenticate (auth, fixture->user, fixture->password);
  return TRUE;
}

/* libsoup 3.2.3 does not send the request body again when it restarts a message (Digest's
 * 401 round trip): the restarted request announces Content-Length and sends nothing, and the
 * server waits for the body. Setting the body again on "restarted" works around it. */
static void
restarted_cb (SoupMessage *msg,
              GBytes      *body)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_request_headers (msg),
                                                            NULL);
  g_autofree char *content_type = g_strdup (type);

  soup_message_set_request_body_from_bytes (msg, content_type, body);
}

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Exchange;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;

  exchange->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &exchange->error);
  exchange->done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

SimResponse *
sim_request (SimFixture *fixture,
             const char *method,
             const char *path,
             const char *accept,
             const char *content_type,
             const char *body)
{
  g_autofree char *url = g_strconcat (fixture->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Exchange exchange = { FALSE, NULL, NULL };
  SimResponse *response = g_new0 (SimResponse, 1);
  SoupMessageHeaders *request_headers;
  GSource *cancel_source = NULL;
  gint64 start;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (accept != NULL)
    soup_message_headers_replace (request_headers, "Accept", accept);
  /* An explicit Authorization header: keep the session's cached Digest credentials out. */
  if (fixture->authorization != NULL || fixture->bearer != NULL)
    soup_message_disable_feature (msg, SOUP_TYPE_AUTH_MANAGER);
  if (fixture->authorization != NULL)
    soup_message_headers_replace (request_headers, "Authorization", fixture->authorization);
  else if (fixture->bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", fixture->bearer, NULL);

      soup_message_headers_replace (request_headers, "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
      g_signal_connect_data (msg, "restarted", G_CALLBACK (restarted_cb), g_bytes_ref (bytes),
                             (GClosureNotify) G_CALLBACK (g_bytes_unref), 0);
    }
  g_signal_connect (msg, "authenticate", G_CALLBACK (authenticate_cb), fixture);

  if (fixture->cancel_after_ms > 0)
    {
      cancel_source = g_timeout_source_new (fixture->cancel_after_ms);
      g_source_set_callback (cancel_source, cancel_cb, cancellable, NULL);
      g_source_attach (cancel_source, g_main_context_get_thread_default ());
    }

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, &exchange);
  g_assert_true (kl_test_wait_for_flag (&exchange.done, 10000));
  response->elapsed_us = g_get_monotonic_time () - start;
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }

  response->error = exchange.error;
  response->body = exchange.body;
  if (response->error != NULL)
    return response;

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (response->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                                      g_bytes_get_size (response->body), NULL))
        response->json = json_node_copy (json_parser_get_root (parser));
    }

  /* Every Admin API answer must be what the spec promises; but a 401 is what Atlas really
   * sends, which lacks the errorCode the spec calls required (README-errors.md). */
  if (g_str_has_prefix (path, "/api/atlas/v2/") && !fixture->skip_schema
      && response->status == 401)
    {
      sim_assert_unauthorized (response);
    }
  else if (g_str_has_prefix (path, "/api/atlas/v2/") && !fixture->skip_schema)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *bare_path = g_strndup (path, strcspn (path, "?"));
      KlSchemaCheck *schema = strstr (bare_path, "/flexClusters") != NULL ? sim_flex_schema ()
                                                                          : sim_schema ();

      kl_schema_check_response (schema, method, bare_path, response->status,
                                soup_message_headers_get_one (response->headers, "Content-Type"),
                                response->body, &error);
      if (error != NULL)
        g_test_message ("%s %s -> %u: %.*s", method, path, response->status,
                        (int) g_bytes_get_size (response->body),
                        (const char *) g_bytes_get_data (response->body, NULL));
      g_assert_no_error (error);
    }
  return response;
}

SimResponse *
sim_get (SimFixture *fixture,
         const char *path,
         const char *version)
{
  g_autofree char *accept = NULL;

  if (version != NULL)
    accept = g_strdup_printf ("application/vnd.atlas.%s+json", version);
  return sim_request (fixture, "GET", path, accept, NULL, NULL);
}

SimResponse *
sim_send (SimFixture *fixture,
          const char *method,
          const char *path,
          const char *version,
          const char *json)
{
  g_autofree char *type = g_strdup_printf ("application/vnd.atlas.%s+json", version);

  return sim_request (fixture, method, path, type, json ? type : NULL, json);
}

SimResponse *
sim_control (SimFixture *fixture,
             const char *method,
             const char *path,
             const char *json)
{
  return sim_request (fixture, method, path, "application/json",
                      json ? "application/json" : NULL, json);
}

void
sim_assert_ok (SimResponse *response,
               guint        status,
               const char  *version)
{
  g_autofree char *expected = NULL;

  g_assert_no_error (response->error);
  if (response->status != status && response->body != NULL)
    g_test_message ("unexpected answer: %.*s", (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
  if (status == SOUP_STATUS_NO_CONTENT)
    {
      g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
      return;
    }
  expected = g_strdup_printf ("application/vnd.atlas.%s+json;charset=utf-8", version);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   expected);
  g_assert_nonnull (response->json);
}

void
sim_assert_error (SimResponse *response,
                  guint        status,
                  const char  *error_code)
{
  JsonObject *object;

  g_assert_no_error (response->error);
  if (response->status != status && response->body != NULL)
    g_test_message ("unexpected answer: %.*s", (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Error-Code"), ==,
                   error_code);
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  object = json_node_get_object (response->json);
  g_assert_cmpuint (json_object_get_size (object), ==, 5);
  g_assert_nonnull (json_object_get_string_member (object, "detail"));
  g_assert_cmpint (json_object_get_int_member (object, "error"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "errorCode"), ==, error_code);
  g_assert_nonnull (json_object_get_array_member (object, "parameters"));
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==,
                   soup_status_get_phrase (status));
}

void
sim_assert_unauthorized (SimResponse *response)
{
  JsonObject *object;

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 401);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "application/json");
  g_assert_null (soup_message_headers_get_one (response->headers, "X-Error-Code"));
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  object = json_node_get_object (response->json);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "error"), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "Unauthorized");
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==,
                   "You are not authorized for this resource.");
  g_assert_false (json_object_has_member (object, "errorCode"));
}

JsonObject *
sim_object (SimResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

const char *
sim_member_string (SimResponse *response,
                   const char  *member)
{
  return json_object_get_string_member_with_default (sim_object (response), member, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
sim_poll_until (gboolean (*condition) (gpointer user_data),
                gpointer   user_data,
                guint      timeout_ms)
{
  GSource *ticker = g_timeout_source_new (5);
  gboolean ok;

  g_source_set_callback (ticker, tick_cb, NULL, NULL);
  g_source_attach (ticker, g_main_context_get_thread_default ());
  ok = kl_test_wait_until (condition, user_data, timeout_ms);
  g_source_destroy (ticker);
  g_source_unref (ticker);
  return ok;
}

void
sim_enable_cmk (SimFixture *fixture,
                const char *group_id,
                gboolean    require_private_networking)
{
  g_autofree char *path = g_strdup_printf ("/api/atlas/v2/groups/%s/encryptionAtRest", group_id);
  g_autofree char *body = NULL;
  g_autoptr(SimResponse) response = NULL;
  JsonObject *akv;

  body = g_strdup_printf ("{\"azureKeyVault\": {"
                          "\"enabled\": true,"
                          "\"azureEnvironment\": \"AZURE\","
                          "\"clientID\": \"8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31\","
                          "\"tenantID\": \"1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f\","
                          "\"secret\": \"made-up-azure-secret\","
                          "\"subscriptionID\": \"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\","
                          "\"resourceGroupName\": \"rg-keylink\","
                          "\"keyVaultName\": \"klsimvault\","
                          "\"keyIdentifier\": \"https://klsimvault.vault.azure.net/keys/atlas-cmk/"
                          "0123456789abcdef0123456789abcdef\","
                          "\"requirePrivateNetworking\": %s}}",
                          require_private_networking ? "true" : "false");
  response = sim_send (fixture, "PATCH", path, V20230101, body);
  sim_assert_ok (response, 200, V20230101);
  akv = json_object_get_object_member (sim_object (response), "azureKeyVault");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_true (json_object_get_boolean_member (akv, "valid"));
  g_assert_cmpint (json_object_get_boolean_member (akv, "requirePrivateNetworking"), ==,
                   require_private_networking);
}

char *
sim_create_endpoint (SimFixture *fixture,
                     const char *group_id,
                     const char *region)
{
  g_autofree char *path = NULL;
  g_autofree char *body = g_strdup_printf ("{\"regionName\": \"%s\"}", region);
  g_autoptr(SimResponse) response = NULL;

  path = g_strdup_printf ("/api/atlas/v2/groups/%s/encryptionAtRest/AZURE/privateEndpoints",
                          group_id);
  response = sim_send (fixture, "POST", path, V20230101, body);
  sim_assert_ok (response, 202, V20230101);
  g_assert_cmpstr (sim_member_string (response, "status"), ==, "INITIATING");
  g_assert_cmpstr (sim_member_string (response, "regionName"), ==, region);
  return g_strdup (sim_member_string (response, "id"));
}

char *
sim_endpoint_status (SimFixture *fixture,
                     const char *group_id,
                     const char *endpoint_id)
{
  g_autofree char *path = NULL;
  g_autoptr(SimResponse) response = NULL;

  path = g_strdup_printf ("/api/atlas/v2/groups/%s/encryptionAtRest/AZURE/privateEndpoints/%s",
                          group_id, endpoint_id);
  response = sim_get (fixture, path, V20230101);
  if (response->status == 404)
    {
      sim_assert_error (response, 404, "RESOURCE_NOT_FOUND");
      return NULL;
    }
  sim_assert_ok (response, 200, V20230101);
  return g_strdup (sim_member_string (response, "status"));
}

char *
sim_basic_header (const char *client_id,
                  const char *secret)
{
  g_autofree char *credentials = g_strconcat (client_id, ":", secret, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));

  return g_strconcat ("Basic ", encoded, NULL);
}

SimResponse *
sim_oauth_post (SimFixture *fixture,
                const char *path,
                const char *authorization,
                const char *content_type,
                const char *form)
{
  SimResponse *response;

  fixture->authorization = authorization;
  response = sim_request (fixture, "POST", path, "application/json", content_type, form);
  fixture->authorization = NULL;
  g_assert_no_error (response->error);
  return response;
}

void
sim_use_token (SimFixture *fixture)
{
  g_autofree char *basic = sim_basic_header (SIM_CLIENT_ID, SIM_CLIENT_SECRET);
  g_autoptr(SimResponse) response = NULL;

  response = sim_oauth_post (fixture, "/api/oauth/token", basic,
                             "application/x-www-form-urlencoded", "grant_type=client_credentials");
  g_assert_cmpuint (response->status, ==, 200);
  g_free (fixture->bearer);
  fixture->bearer = g_strdup (sim_member_string (response, "access_token"));
  fixture->user = NULL;
}
