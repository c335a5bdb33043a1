/* test-flow-setup.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

/* The setup in the real window against the simulator in this process: the walk to an enabled
 * key, an enablement whose answer is lost, and the whole setup to the end. */

#define EAR_PATH "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/encryptionAtRest"

/* The method of the first request to @path (Digest challenges aside), or NULL. */
static const char *
first_request_to (Fixture    *fixture,
                  const char *path)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, path) && request->status != 401)
        return g_intern_string (request->method);
    }

  return NULL;
}

/* ---- The whole walk ----------------------------------------------------------------------- */

static void
fill_azure (Fixture *fixture)
{
  KlPage *page = wait_for_page (fixture, KL_PAGE_AZURE_APP, TIMEOUT_MS);

  kl_test_type_text (find_entry (page, "Directory (Tenant) ID"), KL_TEST_TENANT_ID);
  kl_test_type_text (find_entry (page, "Application (Client) ID"), KL_TEST_CLIENT_ID);
  kl_test_type_text (find_entry (page, "Client Secret Value"), KL_TEST_CLIENT_SECRET);
  kl_assistant_next (fixture->assistant);

  page = wait_for_page (fixture, KL_PAGE_KEY_VAULT, TIMEOUT_MS);
  kl_test_type_text (find_entry (page, "Subscription ID"), KL_TEST_SUBSCRIPTION_ID);
  kl_test_type_text (find_entry (page, "Resource Group"), KL_TEST_RESOURCE_GROUP);
  kl_test_type_text (find_entry (page, "Key Vault Name"), KL_TEST_VAULT);
  kl_test_type_text (find_entry (page, "Key Identifier"), KL_TEST_KEY_ID);
  kl_assistant_next (fixture->assistant);
}

static gboolean
shows_status (gpointer user_data)
{
  gpointer *args = user_data;

  return g_strcmp0 (status_text (args[0]), args[1]) == 0;
}

static guint
count_ear_requests (Fixture    *fixture,
                    const char *method)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((KlSimRequest *) requests->pdata[i])->method, method) &&
        g_str_has_suffix (((KlSimRequest *) requests->pdata[i])->path, "/encryptionAtRest"))
      n++;
  return n;
}

/* Atlas applies Enable but its answer is lost, and so is the read-back: the page says Atlas
 * may have applied it; Enable again reads the project first and sends nothing twice. */
static void
test_enable_unclear (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  KlProjectPage *projects;
  KlPage *review;

  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  fill_azure (fixture);
  review = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (review), 2, 20);

  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"method\": \"PATCH\", \"kind\": \"drop\","
                                   " \"afterProcessing\": true, \"count\": 1}", &error));
  g_assert_no_error (error);
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"method\": \"GET\", \"kind\": \"drop\", \"count\": 50}",
                                   &error));
  g_assert_no_error (error);
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, review, TIMEOUT_MS));
  g_assert_true (current_page (fixture) == review);
  g_assert_nonnull (kl_page_get_error (review));
  assert_contains (kl_page_get_error (review), "Atlas may have applied the change all the same");
  g_assert_cmpuint (count_ear_requests (fixture, "PATCH"), ==, 1);
  g_assert_cmpuint (count_ear_requests (fixture, "GET"), >=, 1);

  /* Enable again: the project is read first; the change is there, nothing is sent. */
  kl_sim_clear_faults (fixture->sim);
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (review));
  g_assert_cmpuint (count_ear_requests (fixture, "PATCH"), ==, 1);
}

static void
test_walk_to_enabled_key (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlAzureKeyVault *akv;
  KlProjectPage *projects;
  KlPage *review, *networking;
  gpointer status_wait[2];

  /* Welcome → Sign in → Project. */
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  projects = sign_in (fixture, &good_sa);

  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  fill_azure (fixture);

  /* Review: everything to be sent, then Enable. */
  review = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  g_assert_cmpstr (kl_review_page_get_group_id (KL_REVIEW_PAGE (review)), ==, KL_SIM_GROUP_READY);
  g_assert_true (kl_review_page_get_client (KL_REVIEW_PAGE (review)) ==
                 kl_session_get_client (fixture->session));
  g_assert_cmpstr (kl_page_get_next_label (review), ==, "_Enable");
  g_assert_true (kl_page_get_complete (review));
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (review), 2, 20);
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_page_get_applying (review));

  /* On to the next step, private networking; the project's state is read again. */
  networking = wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (review));
  /* The session knew the configuration: Enable sent the PATCH without reading it first. */
  g_assert_cmpstr (first_request_to (fixture, EAR_PATH), ==, "PATCH");
  /* Atlas has the Azure secret now; Keylink's copy stays in memory for the Endpoints page's
   * Azure side until the flow ends (test_whole_setup). */
  g_assert_true (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));

  ear = read_back (fixture);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_tenant_id (akv), ==, KL_TEST_TENANT_ID);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==, KL_TEST_KEY_ID);

  status_wait[0] = projects;
  status_wait[1] = (gpointer) "Your Azure key is enabled and valid. Private networking is not "
                              "required yet.";
  g_assert_true (kl_test_wait_until (shows_status, status_wait, TIMEOUT_MS));

  /* With the key read back as valid, private networking is ready to turn on; the pages
   * before show what Atlas now holds, read-only. */
  g_assert_true (kl_page_get_complete (networking));
  g_assert_true (kl_page_get_needs_apply (networking));
  g_assert_cmpstr (kl_page_get_next_label (networking), ==, "_Turn On");
  g_assert_true (kl_page_get_read_only (review));
  g_assert_true (current_page (fixture) == networking);

  /* Turn On is sent, but the project cannot be read back: the page says the change went out
   * unconfirmed, and Check Again reads it again without sending it twice. */
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"" EAR_PATH "\", \"method\": \"GET\","
                                   " \"kind\": \"status\", \"status\": 403,"
                                   " \"errorCode\": \"USER_UNAUTHORIZED\", \"count\": 1}", NULL));
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, networking, TIMEOUT_MS));
  g_assert_true (current_page (fixture) == networking);
  assert_contains (kl_page_get_error (networking), "sent the change to Atlas but could not read");
  assert_contains (kl_page_get_error (networking), "Check Again");
  g_assert_cmpstr (kl_page_get_next_label (networking), ==, "_Check Again");
  g_assert_cmpuint (count_requests (fixture, "PATCH", EAR_PATH), ==, 1);

  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_cmpuint (count_requests (fixture, "PATCH", EAR_PATH), ==, 1);
  g_assert_true (kl_page_get_read_only (networking));
}

/* ---- The whole setup ------------------------------------------------------------------------ */

#define CLUSTERS_PATH "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/clusters/"

typedef struct
{
  KlEndpointsPage  *page;
  KlEndpointStatus  status;
} EndpointsWait;

/* Every endpoint the page follows (at least two) has @status. */
static gboolean
endpoints_have_status (gpointer user_data)
{
  EndpointsWait *wait = user_data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (wait->page);
  GListModel *model = kl_endpoint_watch_get_model (watch);
  guint n = g_list_model_get_n_items (model);

  /* The clock only moves when the test says so: keep the watch looking. */
  kl_endpoint_watch_poke (watch);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);

      if (kl_private_endpoint_get_status (endpoint) != wait->status)
        return FALSE;
    }

  return n >= 2;
}

static void
wait_for_endpoints (KlEndpointsPage  *page,
                    KlEndpointStatus  status)
{
  EndpointsWait wait = { page, status };

  if (!kl_test_wait_until (endpoints_have_status, &wait, TIMEOUT_MS))
    g_error ("The endpoints did not all reach status %d", status);
}

static gboolean
endpoints_loaded (gpointer user_data)
{
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (user_data));

  return watch != NULL && kl_watch_get_n_polls (KL_WATCH (watch)) > 0 &&
         !kl_endpoints_page_get_busy (KL_ENDPOINTS_PAGE (user_data));
}

static guint
count_cluster_patches (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, "PATCH") &&
          g_str_has_prefix (request->path, CLUSTERS_PATH) && request->status == 200)
        n++;
    }

  return n;
}

static gboolean
clusters_patched (gpointer user_data)
{
  return count_cluster_patches (user_data) == 2;
}

static gboolean
stage_is_done (gpointer user_data)
{
  KlPlan *plan = kl_session_get_plan (KL_SESSION (user_data));

  return plan != NULL && kl_plan_get_stage (plan) == KL_PROJECT_STAGE_DONE;
}

/* One window, every step against the simulator, its clock frozen: only kl_sim_advance()
 * moves the endpoints and the clusters on. */
static void
test_whole_setup (Fixture       *fixture,
                  gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlClustersPage *clusters_page;
  KlEndpointsPage *endpoints_page;
  KlProjectPage *projects;
  KlPage *page;
  KlClusterRow *row;
  gpointer status_wait[2];
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) regions = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  const char *names[] = { "payments-eu", "payments-us" };

  endpoints_page = KL_ENDPOINTS_PAGE (kl_assistant_get_page (assistant, KL_PAGE_ENDPOINTS));
  clusters_page = KL_CLUSTERS_PAGE (kl_assistant_get_page (assistant, KL_PAGE_CLUSTERS));
  kl_endpoints_page_set_poll_intervals (endpoints_page, 5, 40);
  kl_clusters_page_set_poll_intervals (clusters_page, 5, 40);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (kl_assistant_get_page (assistant,
                                                                           KL_PAGE_REVIEW)),
                                    2, 20);

  /* Sign in, the project, the Azure answers, Enable. */
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (assistant);
  fill_azure (fixture);
  page = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  kl_assistant_next (assistant);

  /* Private networking: ready once the key reads back valid; Turn On. */
  page = wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Turn On");
  kl_assistant_next (assistant);

  /* Endpoints: the regions of the project's clusters, created at once. */
  page = wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (kl_assistant_get_page (assistant,
                                                           KL_PAGE_PRIVATE_NETWORKING)));
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
    kl_encryption_at_rest_get_azure_key_vault (
      kl_session_get_encryption_at_rest (fixture->session))));
  g_assert_true (kl_test_wait_until (endpoints_loaded, endpoints_page, TIMEOUT_MS));
  regions = kl_endpoints_page_dup_new_regions (endpoints_page);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);
  g_assert_cmpstr (regions[0], ==, "EUROPE_WEST");
  g_assert_cmpstr (regions[1], ==, "US_EAST_2");
  /* Next is the page's one primary action: it creates them. */
  g_assert_true (kl_page_get_complete (page));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Create Endpoints");
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (endpoints_loaded, endpoints_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  g_assert_cmpuint (count_requests (fixture, "POST", "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                                    "/encryptionAtRest/AZURE/privateEndpoints"), ==, 2);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_INITIATING);

  /* Atlas is done with them; approved in (simulated) Azure; Atlas notices. */
  kl_sim_advance (fixture->sim, KL_SIM_INITIATING_SECONDS);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  for (guint i = 0; regions[i] != NULL; i++)
    {
      KlPrivateEndpoint *endpoint =
        kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (endpoints_page), regions[i]);

      g_assert_true (kl_sim_approve_endpoint (fixture->sim, KL_SIM_GROUP_READY,
                                              kl_private_endpoint_get_id (endpoint), &error));
      g_assert_no_error (error);
    }
  kl_sim_advance (fixture->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_ACTIVE);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  kl_assistant_next (assistant);

  /* Clusters: both chosen by default; the key turned on for both, followed to IDLE. */
  page = wait_for_page (fixture, KL_PAGE_CLUSTERS, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      row = kl_clusters_page_get_row (clusters_page, names[i]);
      g_assert_nonnull (row);
      g_assert_true (kl_cluster_row_get_selected (row));
    }
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Use Key on 2 Clusters");
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (clusters_patched, fixture, TIMEOUT_MS));
  g_assert_true (kl_page_get_applying (page));
  kl_sim_advance (fixture->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);

  /* Done: the summary, read from the server. */
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (kl_assistant_get_page (assistant, KL_PAGE_CLUSTERS)));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (kl_cluster_row_get_status_text (kl_clusters_page_get_row (clusters_page,
                                                                               names[i])),
                     ==, "Idle · Uses your key over Private Link");
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_true (kl_test_wait_until (stage_is_done, fixture->session, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "Uses your key over Private Link · Idle"));

  ear = read_back (fixture);
  g_assert_true (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  g_assert_true (kl_azure_key_vault_get_valid (kl_encryption_at_rest_get_azure_key_vault (ear)));

  /* The last step: back on the project, which says it is done; the Azure secret, kept in
   * memory for the Endpoints page, is gone. */
  g_assert_true (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  g_assert_true (kl_page_get_complete (page));
  kl_assistant_next (assistant);
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
  g_assert_false (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  wait_for_label (fixture->window, "Finished. Here is where the project stands now.");
  status_wait[0] = projects;
  status_wait[1] = (gpointer) "Done: all 2 clusters that use your Azure key reach it over "
                              "Private Link.";
  g_assert_true (kl_test_wait_until (shows_status, status_wait, TIMEOUT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kl_test_flow_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("walk-to-enabled-key", test_walk_to_enabled_key);
  ADD ("enable-unclear", test_enable_unclear);
  ADD ("whole-setup", test_whole_setup);

#undef ADD

  ret = g_test_run ();
  kl_test_flow_shutdown ();
  return ret;
}
