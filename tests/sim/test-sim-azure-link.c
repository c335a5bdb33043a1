/* test-sim-azure-link.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kl-azure-check.h"
#include "kl-azure-client.h"
#include "kl-azure-id.h"
#include "kl-azure-sim.h"
#include "kl-private-endpoint.h"
#include "kl-test-project.h"
#include "kl-test-utils.h"

/* KlSim with a KlAzureSim attached (kl_sim_set_azure_sim ()): both sides of a private
 * endpoint agree, whichever side acts, on one clock. The Atlas world's clock is stopped:
 * kl_sim_advance () moves it. */

/* The vault of kl_test_project_enable_cmk (), added to the Azure simulator's seeded
 * subscription and resource group. */
#define VAULT "contoso-keys"

typedef struct
{
  KlTestProject *project;
  KlAzureSim    *azure;   /* owned by the project's KlSim */
  KlAzureClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->project = kl_test_project_new (0);
  fixture->azure = kl_sim_start_azure_sim (fixture->project->sim, "AZURE", &error);
  g_assert_no_error (error);
  g_assert_true (kl_sim_get_azure_sim (fixture->project->sim) == fixture->azure);
  kl_azure_sim_add_vault (fixture->azure, KL_AZURE_SIM_SUBSCRIPTION_ID,
                          KL_AZURE_SIM_RESOURCE_GROUP, VAULT);

  fixture->client = kl_azure_client_new (KL_AZURE_CLOUD_PUBLIC, KL_AZURE_SIM_TENANT_ID,
                                         KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET,
                                         &error);
  g_assert_no_error (error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->azure),
                                                kl_azure_sim_get_arm_url (fixture->azure),
                                                kl_azure_sim_get_vault_url_template (fixture->azure),
                                                &error));
  g_assert_no_error (error);
  kl_azure_client_set_retry (fixture->client, 2, 10, 100);
  kl_azure_client_set_deadline (fixture->client, 20);

  kl_test_project_enable_cmk (fixture->project, KL_SIM_GROUP_READY, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->project, kl_test_project_free);
}

/* The region's newest record (the last listed). */
static KlPrivateEndpoint *
endpoint_in (Fixture    *fixture,
             const char *region,
             guint      *n_records)
{
  g_autoptr(GPtrArray) endpoints = kl_test_project_list_endpoints (fixture->project,
                                                                   KL_SIM_GROUP_READY);
  KlPrivateEndpoint *found = NULL;

  *n_records = 0;
  for (guint i = 0; i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);

      if (g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), region) == 0)
        {
          g_clear_object (&found);
          found = g_object_ref (endpoint);
          (*n_records)++;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static KlPrivateEndpoint *
create_endpoint (Fixture    *fixture,
                 const char *region)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlPrivateEndpoint *endpoint;

  kl_atlas_client_create_private_endpoint_async (fixture->project->client, KL_SIM_GROUP_READY,
                                                 region, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  endpoint = kl_atlas_client_create_private_endpoint_finish (fixture->project->client, result,
                                                             &error);
  g_assert_no_error (error);
  return endpoint;
}

static KlAzureVault *
get_vault (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlAzureVault *vault;

  kl_azure_client_get_vault_async (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                   KL_AZURE_SIM_RESOURCE_GROUP, VAULT, NULL, kl_test_async_cb,
                                   &async);
  result = kl_test_async_wait (&async);
  vault = kl_azure_client_get_vault_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return vault;
}

static void
approve_in_azure (Fixture    *fixture,
                  const char *connection_name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAzureConnection) connection = NULL;
  KlTestAsync async = { NULL };

  kl_azure_client_approve_connection_async (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                            KL_AZURE_SIM_RESOURCE_GROUP, VAULT, connection_name,
                                            NULL, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  connection = kl_azure_client_approve_connection_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (connection->status, ==, "Approved");
}

/* The endpoint reaches PENDING_ACCEPTANCE; Azure is asked first (an ARM read through
 * KlAzureClient), before Atlas is: the connection is there, Pending, with the name Atlas
 * then reports. Approving it with the client's PUT approves the endpoint: ACTIVE after the
 * activation delay, not before. */
static void
test_approve_in_azure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) created = create_endpoint (fixture, "US_EAST_2");
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlAzureVault) vault = NULL;
  KlAzureConnection *connection;
  guint n;

  vault = get_vault (fixture);
  g_assert_cmpuint (vault->connections->len, ==, 0);
  g_clear_pointer (&vault, kl_azure_vault_unref);

  kl_sim_advance (fixture->project->sim, KL_SIM_INITIATING_SECONDS);
  vault = get_vault (fixture);
  g_assert_cmpuint (vault->connections->len, ==, 1);
  connection = g_ptr_array_index (vault->connections, 0);
  g_assert_cmpstr (connection->status, ==, "Pending");

  endpoint = endpoint_in (fixture, "US_EAST_2", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (kl_private_endpoint_get_id (endpoint), ==,
                   kl_private_endpoint_get_id (created));
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==,
                   KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  g_assert_cmpstr (kl_private_endpoint_get_private_endpoint_connection_name (endpoint), ==,
                   connection->name);

  approve_in_azure (fixture, connection->name);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, connection->name),
                   ==, "Approved");
  g_clear_object (&endpoint);
  kl_sim_advance (fixture->project->sim, KL_SIM_ACTIVATION_SECONDS - 1);
  endpoint = endpoint_in (fixture, "US_EAST_2", &n);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==,
                   KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  g_clear_object (&endpoint);
  kl_sim_advance (fixture->project->sim, 1);
  endpoint = endpoint_in (fixture, "US_EAST_2", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==, KL_ENDPOINT_STATUS_ACTIVE);
}

static void
control_sent_cb (GObject      *source,
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

/* The simulator answers on this thread's main context: asynchronously. */
static guint
post_control (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, control_sent_cb,
                                    &answer);
  g_assert_true (kl_test_wait_until (bytes_arrived, &answer, 10000));
  return soup_message_get_status (msg);
}

/* Rejected in Azure: Atlas shows the old record PENDING_RECREATION and a new record, whose
 * own connection is offered in Azure once it reaches PENDING_ACCEPTANCE. Approved through
 * the Atlas simulator's control API: Azure shows that connection Approved. */
static void
test_reject_in_azure (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) created = create_endpoint (fixture, "EUROPE_WEST");
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlPrivateEndpoint) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *url = NULL;
  const char *second_name;
  guint n;

  kl_sim_advance (fixture->project->sim, KL_SIM_INITIATING_SECONDS);
  endpoint = endpoint_in (fixture, "EUROPE_WEST", &n);
  first_name = g_strdup (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  g_assert_nonnull (first_name);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, first_name), ==,
                   "Pending");

  g_assert_true (kl_azure_sim_set_connection_status (fixture->azure, VAULT, first_name,
                                                     "Rejected", &error));
  g_assert_no_error (error);
  renewed = endpoint_in (fixture, "EUROPE_WEST", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (kl_private_endpoint_get_id (renewed), !=, kl_private_endpoint_get_id (created));
  g_assert_cmpint (kl_private_endpoint_get_status (renewed), ==, KL_ENDPOINT_STATUS_INITIATING);
  g_clear_object (&endpoint);
  {
    g_autoptr(GPtrArray) all = kl_test_project_list_endpoints (fixture->project,
                                                               KL_SIM_GROUP_READY);

    for (guint i = 0; i < all->len; i++)
      if (g_strcmp0 (kl_private_endpoint_get_id (g_ptr_array_index (all, i)),
                     kl_private_endpoint_get_id (created)) == 0)
        endpoint = g_object_ref (g_ptr_array_index (all, i));
  }
  g_assert_nonnull (endpoint);
  g_assert_cmpint (kl_private_endpoint_get_status (endpoint), ==,
                   KL_ENDPOINT_STATUS_PENDING_RECREATION);

  /* The Azure simulator's clock is the Atlas one: advanced there, the new record moves on. */
  kl_azure_sim_advance (fixture->azure, KL_SIM_INITIATING_SECONDS);
  g_clear_object (&renewed);
  renewed = endpoint_in (fixture, "EUROPE_WEST", &n);
  g_assert_cmpint (kl_private_endpoint_get_status (renewed), ==,
                   KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  second_name = kl_private_endpoint_get_private_endpoint_connection_name (renewed);
  g_assert_cmpstr (second_name, !=, first_name);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, second_name), ==,
                   "Pending");
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, first_name), ==,
                   "Rejected");

  url = g_strdup_printf ("%s/__sim/groups/%s/privateEndpoints/%s/approve",
                         kl_sim_get_base_url (fixture->project->sim), KL_SIM_GROUP_READY,
                         kl_private_endpoint_get_id (renewed));
  g_assert_cmpuint (post_control (url), ==, 200);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, second_name), ==,
                   "Approved");
  kl_sim_advance (fixture->project->sim, KL_SIM_ACTIVATION_SECONDS);
  g_clear_object (&renewed);
  renewed = endpoint_in (fixture, "EUROPE_WEST", &n);
  g_assert_cmpint (kl_private_endpoint_get_status (renewed), ==, KL_ENDPOINT_STATUS_ACTIVE);
}

/* The Atlas side's removal (C API) disconnects the connection in Azure; a disconnection in
 * Azure removes the endpoint ("private endpoint was removed"). */
static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) created = create_endpoint (fixture, "US_EAST_2");
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint n;

  kl_sim_advance (fixture->project->sim, KL_SIM_INITIATING_SECONDS);
  endpoint = endpoint_in (fixture, "US_EAST_2", &n);
  name = g_strdup (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  g_assert_true (kl_sim_remove_endpoint (fixture->project->sim, KL_SIM_GROUP_READY,
                                         kl_private_endpoint_get_id (endpoint), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->azure, VAULT, name), ==,
                   "Disconnected");

  kl_sim_advance (fixture->project->sim, KL_SIM_INITIATING_SECONDS);
  g_clear_object (&endpoint);
  endpoint = endpoint_in (fixture, "US_EAST_2", &n);
  g_clear_pointer (&name, g_free);
  name = g_strdup (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  g_assert_true (kl_azure_sim_set_connection_status (fixture->azure, VAULT, name,
                                                     "Disconnected", &error));
  g_assert_no_error (error);
  g_clear_object (&endpoint);
  {
    g_autoptr(GPtrArray) all = kl_test_project_list_endpoints (fixture->project,
                                                               KL_SIM_GROUP_READY);
    gboolean seen = FALSE;

    for (guint i = 0; i < all->len; i++)
      {
        KlPrivateEndpoint *record = g_ptr_array_index (all, i);

        if (g_strcmp0 (kl_private_endpoint_get_private_endpoint_connection_name (record),
                       name) == 0)
          {
            seen = TRUE;
            g_assert_cmpint (kl_private_endpoint_get_status (record), ==,
                             KL_ENDPOINT_STATUS_PENDING_RECREATION);
            g_assert_cmpstr (kl_private_endpoint_get_error_message (record), ==,
                             "private endpoint was removed");
          }
      }
    g_assert_true (seen);
  }
}

/* Detached, the Azure simulator keeps its own clock and the Atlas side no longer follows. */
static void
test_detach (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KlPrivateEndpoint) created = NULL;
  g_autoptr(KlAzureVault) vault = NULL;
  KlAzureSim *azure = g_object_ref (fixture->azure);

  kl_sim_set_azure_sim (fixture->project->sim, NULL);
  g_assert_null (kl_sim_get_azure_sim (fixture->project->sim));
  created = create_endpoint (fixture, "US_EAST_2");
  kl_sim_advance (fixture->project->sim, KL_SIM_INITIATING_SECONDS);
  vault = get_vault (fixture);
  g_assert_cmpuint (vault->connections->len, ==, 0);
  g_clear_pointer (&vault, kl_azure_vault_unref);
  kl_azure_sim_stop (azure);
  g_assert_finalize_object (azure);
}

/* The preflight with what a user would type (@values; @typed_secret what goes in the secret
 * field), through a client pointed at the attached Azure simulator as demo mode does it. Returns
 * how many findings FAILed, and whether sign-in passed. */
static guint
run_check (Fixture                *fixture,
           const KlAzureSimValues *values,
           const char             *typed_secret,
           gboolean               *signed_in)
{
  KlAzureSim *azure = kl_sim_get_azure_sim (fixture->project->sim);
  g_autoptr(KlAzureClient) client = NULL;
  g_autoptr(KlAzureCheck) check = NULL;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(KlKeyId) key_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  KlAzureCloud cloud;
  guint failed = 0;

  g_assert_true (kl_azure_cloud_from_environment (values->environment, &cloud));
  key_id = kl_key_id_parse (values->key_identifier, &error);
  g_assert_no_error (error);
  g_assert_true (kl_key_id_check (key_id, values->environment, values->vault_name, &error));
  g_assert_no_error (error);

  client = kl_azure_client_new (cloud, values->tenant_id, values->client_id, typed_secret,
                                &error);
  g_assert_no_error (error);
  g_assert_true (kl_azure_client_set_endpoints (client, kl_azure_sim_get_login_url (azure),
                                                kl_azure_sim_get_arm_url (azure),
                                                kl_azure_sim_get_vault_url_template (azure),
                                                &error));
  g_assert_no_error (error);
  kl_azure_client_set_retry (client, 2, 10, 100);
  check = kl_azure_check_new (client, values->subscription_id, values->resource_group,
                              kl_key_id_get_vault_name (key_id), kl_key_id_get_key_name (key_id),
                              kl_key_id_get_version (key_id));
  kl_azure_check_run_async (check, NULL, kl_test_store_result, &result);
  findings = kl_azure_check_run_finish (check, kl_test_wait_result (&result, 20000), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KlAzureFinding) finding = g_list_model_get_item (findings, i);

      g_test_message ("%s [%d] %s", kl_azure_finding_get_id (finding),
                      kl_azure_finding_get_verdict (finding), kl_azure_finding_get_title (finding));
      if (kl_azure_finding_get_verdict (finding) == KL_AZURE_VERDICT_FAIL)
        failed++;
    }
  *signed_in = kl_azure_finding_get_verdict (
                 kl_azure_findings_lookup (findings, KL_AZURE_FINDING_SIGN_IN, NULL))
               == KL_AZURE_VERDICT_PASS;
  /* Signed in, the check goes as far as the key. */
  if (*signed_in)
    g_assert_nonnull (kl_azure_findings_lookup (findings, KL_AZURE_FINDING_KEY, NULL));
  return failed;
}

/* kl_azure_sim_dup_values (): the seeded world's values pass, key identifier and all (its
 * vault host is the real one; the client's vault template maps it). A wrong secret does not. */
static void
test_seeded_values (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KlAzureSimValues) values = kl_azure_sim_dup_values (fixture->azure);
  gboolean signed_in = FALSE;

  g_assert_cmpstr (values->key_identifier, ==, "https://" KL_AZURE_SIM_VAULT_NAME
                   ".vault.azure.net/keys/" KL_AZURE_SIM_KEY_NAME "/" KL_AZURE_SIM_KEY_VERSION);
  g_assert_cmpuint (run_check (fixture, values, values->client_secret, &signed_in), ==, 0);
  g_assert_true (signed_in);
  g_assert_cmpuint (run_check (fixture, values, "not-the-secret", &signed_in), >, 0);
  g_assert_false (signed_in);
}

/* kl_azure_sim_add_world (): values made up as demo mode's "Fill in demo values" does (random
 * GUIDs and key version, its own names), without a secret: any typed secret passes. */
static void
test_demo_values (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KlAzureSimValues) values = g_new0 (KlAzureSimValues, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *version = g_uuid_string_random ();
  GString *hex = g_string_new (NULL);
  gboolean signed_in = FALSE;

  for (const char *p = version; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (hex, *p);
  values->environment = g_strdup ("AZURE");
  values->tenant_id = g_uuid_string_random ();
  values->client_id = g_uuid_string_random ();
  values->subscription_id = g_uuid_string_random ();
  values->resource_group = g_strdup ("rg-keylink-demo");
  values->vault_name = g_strdup ("keylink-demo");
  values->key_name = g_strdup ("atlas-demo-key");
  values->key_version = g_string_free (hex, FALSE);
  values->key_identifier = g_strdup_printf ("https://keylink-demo.vault.azure.net/keys/"
                                            "atlas-demo-key/%s", values->key_version);

  /* Not yet added: the tenant is unknown. */
  g_assert_cmpuint (run_check (fixture, values, "whatever-I-typed", &signed_in), >, 0);
  g_assert_false (signed_in);

  g_assert_true (kl_azure_sim_add_world (fixture->azure, values, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (run_check (fixture, values, "whatever-I-typed", &signed_in), ==, 0);
  g_assert_true (signed_in);
  /* Once is enough: the vault exists now. */
  g_assert_false (kl_azure_sim_add_world (fixture->azure, values, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sim-azure-link/approve-in-azure", test_approve_in_azure);
  ADD ("/sim-azure-link/reject-in-azure", test_reject_in_azure);
  ADD ("/sim-azure-link/remove", test_remove);
  ADD ("/sim-azure-link/detach", test_detach);
  ADD ("/sim-azure-link/seeded-values", test_seeded_values);
  ADD ("/sim-azure-link/demo-values", test_demo_values);
#undef ADD

  return g_test_run ();
}
