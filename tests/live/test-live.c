/* test-live.c — the live check against real Atlas (README.md, "Testing against real Atlas").
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs only with KEYLINK_LIVE_ATLAS_URL, KEYLINK_LIVE_GROUP_ID and credentials (a service
 * account: KEYLINK_LIVE_CLIENT_ID + KEYLINK_LIVE_CLIENT_SECRET, or an API key:
 * KEYLINK_LIVE_PUBLIC_KEY + KEYLINK_LIVE_PRIVATE_KEY) in the environment; otherwise it is a
 * TAP skip ("1..0 # SKIP …") naming what is missing, and exits 0 (CI).
 *
 * Keylink's own KlAtlasClient talks to Atlas through a recording, checking proxy on loopback
 * (kl-live-proxy.h): every raw answer is held against the spec extracts the simulator tests
 * use; unknown fields, enum values and error codes are TAP diagnostics, violations of known
 * fields fail; every exchange goes, redacted, to the recording (KEYLINK_LIVE_RECORD, default
 * live-recording.jsonl in this build directory) that test-live-replay.c plays on the simulator.
 *
 * Read-only by default: list projects (once directly, without the proxy, over the real TLS
 * path), read the group, its encryption at rest, its Azure private endpoints, its clusters and
 * its Flex clusters. KEYLINK_LIVE_WRITE=1 adds the whole setup and teardown on that project
 * with KlSetupRunner and KlTeardown: see test_write() and README.md for what it changes. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-http-log.h"
#include "kl-live-proxy.h"
#include "kl-plan.h"
#include "kl-setup-runner.h"
#include "kl-teardown.h"

/* The whole setup (and, again, the whole teardown) must end within this many minutes: real
 * Atlas can keep an endpoint INITIATING for hours. */
#define DEFAULT_DEADLINE_MINUTES 360
/* The watches' base interval; they back off to six times as much while nothing changes. */
#define DEFAULT_POLL_MS 10000
/* Any single read. */
#define READ_DEADLINE_MINUTES 10

enum
{
  AZURE_TENANT_ID,
  AZURE_CLIENT_ID,
  AZURE_SECRET,
  AZURE_SUBSCRIPTION_ID,
  AZURE_RESOURCE_GROUP,
  AZURE_VAULT,
  AZURE_KEY_ID,
  AZURE_REGION,
  N_AZURE
};

static const char *const azure_names[N_AZURE] = {
  "KEYLINK_LIVE_AZURE_TENANT_ID",
  "KEYLINK_LIVE_AZURE_CLIENT_ID",
  "KEYLINK_LIVE_AZURE_SECRET",
  "KEYLINK_LIVE_AZURE_SUBSCRIPTION_ID",
  "KEYLINK_LIVE_AZURE_RESOURCE_GROUP",
  "KEYLINK_LIVE_AZURE_VAULT",
  "KEYLINK_LIVE_AZURE_KEY_ID",
  "KEYLINK_LIVE_AZURE_REGION",
};

typedef struct
{
  char       *url;
  char       *group_id;
  KlAuthType  auth_type;
  char       *principal;
  char       *secret;
  gboolean    write;
  char       *azure[N_AZURE];
  char       *azure_environment;
  guint       deadline_minutes;
  guint       poll_ms;
  char       *record_path;
  gboolean    simulator;
} LiveConfig;

static LiveConfig config;
static KlLiveChecker *checker;
static KlLiveProxy *proxy;
static KlAtlasClient *client;

static char *
dup_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 number;

  if (value == NULL || value[0] == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT / 60000, &number, NULL))
    {
      g_printerr ("%s=%s is not a positive whole number; using %u\n", name, value, fallback);
      return fallback;
    }
  return (guint) number;
}

/* Fills config; returns what is missing for a run at all, as one sentence, or NULL. */
static char *
read_config (void)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *client_id = dup_env ("KEYLINK_LIVE_CLIENT_ID");
  g_autofree char *client_secret = dup_env ("KEYLINK_LIVE_CLIENT_SECRET");
  g_autofree char *public_key = dup_env ("KEYLINK_LIVE_PUBLIC_KEY");
  g_autofree char *private_key = dup_env ("KEYLINK_LIVE_PRIVATE_KEY");
  g_autoptr(GString) sentence = NULL;

  config.url = dup_env ("KEYLINK_LIVE_ATLAS_URL");
  config.group_id = dup_env ("KEYLINK_LIVE_GROUP_ID");
  if (config.url == NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_ATLAS_URL");
  if (config.group_id == NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_GROUP_ID");

  if (client_id != NULL && client_secret != NULL)
    {
      config.auth_type = KL_AUTH_SERVICE_ACCOUNT;
      config.principal = g_steal_pointer (&client_id);
      config.secret = g_steal_pointer (&client_secret);
    }
  else if (public_key != NULL && private_key != NULL)
    {
      config.auth_type = KL_AUTH_API_KEY;
      config.principal = g_steal_pointer (&public_key);
      config.secret = g_steal_pointer (&private_key);
    }
  else if (client_id != NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_CLIENT_SECRET");
  else if (client_secret != NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_CLIENT_ID");
  else if (public_key != NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_PRIVATE_KEY");
  else if (private_key != NULL)
    g_ptr_array_add (missing, (gpointer) "KEYLINK_LIVE_PUBLIC_KEY");
  else
    g_ptr_array_add (missing, (gpointer) "credentials (KEYLINK_LIVE_CLIENT_ID + "
                                         "KEYLINK_LIVE_CLIENT_SECRET for a service account, or "
                                         "KEYLINK_LIVE_PUBLIC_KEY + KEYLINK_LIVE_PRIVATE_KEY "
                                         "for an API key)");

  config.write = g_strcmp0 (g_getenv ("KEYLINK_LIVE_WRITE"), "1") == 0;
  for (guint i = 0; i < N_AZURE; i++)
    config.azure[i] = dup_env (azure_names[i]);
  config.azure_environment = dup_env ("KEYLINK_LIVE_AZURE_ENVIRONMENT");
  if (config.azure_environment == NULL)
    config.azure_environment = g_strdup ("AZURE");
  config.deadline_minutes = env_uint ("KEYLINK_LIVE_DEADLINE_MINUTES", DEFAULT_DEADLINE_MINUTES);
  config.poll_ms = env_uint ("KEYLINK_LIVE_POLL_MS", DEFAULT_POLL_MS);
  config.record_path = dup_env ("KEYLINK_LIVE_RECORD");
  if (config.record_path == NULL)
    config.record_path = g_build_filename (KL_LIVE_BUILD_DIR, "live-recording.jsonl", NULL);

  if (missing->len == 0)
    return NULL;
  sentence = g_string_new (NULL);
  for (guint i = 0; i < missing->len; i++)
    g_string_append_printf (sentence, "%s%s", i == 0 ? "" : i + 1 == missing->len ? " and " : ", ",
                            (const char *) g_ptr_array_index (missing, i));
  return g_string_free (g_steal_pointer (&sentence), FALSE);
}

/* A diagnostic, with every secret we hold replaced (none should be there). */
static void
say (const char *text)
{
  g_autofree char *redacted = kl_http_log_redact (text);
  const char *secrets[] = { config.secret, config.azure[AZURE_SECRET] };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL && strstr (redacted, secrets[i]) != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (redacted, secrets[i], -1);

        g_free (redacted);
        redacted = g_strjoinv ("[REDACTED]", parts);
      }
  g_test_message ("%s", redacted);
}

/* The proxy's notes as TAP diagnostics, and its violations as failures. */
static void
report (void)
{
  g_autoptr(GPtrArray) notes = kl_live_proxy_take_notes (proxy);
  g_autoptr(GPtrArray) violations = kl_live_proxy_take_violations (proxy);

  for (guint i = 0; i < notes->len; i++)
    say (g_ptr_array_index (notes, i));
  for (guint i = 0; i < violations->len; i++)
    {
      g_autofree char *line = g_strdup_printf ("spec violation: %s",
                                               (const char *) g_ptr_array_index (violations, i));

      say (line);
    }
  if (violations->len > 0)
    g_test_fail ();
}

/* ---- Waiting on the main loop, with a deadline (no sleeps) ---- */

typedef gboolean (*Condition) (gpointer user_data);

static gboolean
expire_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Condition condition,
            gpointer  user_data,
            gint64    deadline_us)
{
  gint64 left = deadline_us - g_get_monotonic_time ();
  gboolean expired = FALSE;
  guint id;

  if (condition (user_data))
    return TRUE;
  if (left <= 0)
    return FALSE;
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (left / 1000 + 1, G_MAXUINT),
                           expire_cb, &expired, NULL);
  while (!expired && !condition (user_data))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (user_data);
}

typedef struct
{
  GAsyncResult *result;
} Pending;

static void
pending_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;

  g_assert_null (pending->result);
  pending->result = g_object_ref (result);
}

static gboolean
has_result (gpointer user_data)
{
  return ((Pending *) user_data)->result != NULL;
}

static gint64
minutes_from_now (guint minutes)
{
  return g_get_monotonic_time () + (gint64) minutes * 60 * G_USEC_PER_SEC;
}

/* The result (transfer full). Past @deadline_us the operation is cancelled; @timed_out says
 * so, and the caller's _finish() then gives G_IO_ERROR_CANCELLED. */
static GAsyncResult *
wait_result (Pending      *pending,
             GCancellable *cancellable,
             gint64        deadline_us,
             gboolean     *timed_out)
{
  if (timed_out != NULL)
    *timed_out = FALSE;
  if (!wait_until (has_result, pending, deadline_us))
    {
      g_assert_nonnull (cancellable);
      if (timed_out != NULL)
        *timed_out = TRUE;
      g_cancellable_cancel (cancellable);
      g_assert_true (wait_until (has_result, pending, minutes_from_now (1)));
    }
  return g_steal_pointer (&pending->result);
}

static void
deadline_error (gboolean     timed_out,
                const char  *what,
                GError     **error)
{
  if (!timed_out)
    return;
  g_clear_error (error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               "%s did not end within %u minutes (KEYLINK_LIVE_DEADLINE_MINUTES)", what,
               config.deadline_minutes);
}

/* ---- Read-only ---- */

static gboolean
holds_group (GPtrArray *projects)
{
  for (guint i = 0; i < projects->len; i++)
    if (g_strcmp0 (kl_project_get_id (g_ptr_array_index (projects, i)), config.group_id) == 0)
      return TRUE;
  return FALSE;
}

static GPtrArray *
list_projects (KlAtlasClient *with)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };
  GPtrArray *projects;

  kl_atlas_client_list_projects_async (with, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  projects = kl_atlas_client_list_projects_finish (with, result, &error);
  g_assert_no_error (error);
  return projects;
}

/* The client straight to KEYLINK_LIVE_ATLAS_URL, over its own TLS, as the app does. */
static void
test_read_direct (void)
{
  g_autoptr(KlAtlasClient) direct = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };

  direct = kl_atlas_client_new (config.url, config.auth_type, config.principal, config.secret,
                                &error);
  g_assert_no_error (error);
  projects = list_projects (direct);
  g_assert_true (holds_group (projects));

  kl_atlas_client_sign_out_async (direct, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  kl_atlas_client_sign_out_finish (direct, result, &error);
  g_assert_no_error (error);
}

static void
test_read_projects (void)
{
  g_autoptr(GPtrArray) projects = list_projects (client);
  g_autofree char *line = NULL;

  line = g_strdup_printf ("%u projects, KEYLINK_LIVE_GROUP_ID among them: %s", projects->len,
                          holds_group (projects) ? "yes" : "no");
  say (line);
  g_assert_true (holds_group (projects));
  g_assert_cmpuint (kl_live_proxy_count (proxy, "GET", "/api/atlas/v2/groups"), >, 0);
  report ();
}

static void
test_read_group (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlProject) project = NULL;
  Pending pending = { NULL };

  kl_atlas_client_get_project_async (client, config.group_id, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  project = kl_atlas_client_get_project_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_project_get_id (project), ==, config.group_id);
  report ();
}

static KlEncryptionAtRest *
get_ear (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Pending pending = { NULL };

  kl_atlas_client_get_encryption_at_rest_async (client, config.group_id, NULL, pending_cb,
                                                &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  return kl_atlas_client_get_encryption_at_rest_finish (client, result, error);
}

static void
test_read_encryption_at_rest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear = get_ear (&error);
  g_autofree char *line = NULL;
  KlAzureKeyVault *akv;

  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  line = g_strdup_printf ("Azure Key Vault: enabled %d, valid %d, requirePrivateNetworking %d",
                          kl_azure_key_vault_get_enabled (akv), kl_azure_key_vault_get_valid (akv),
                          kl_azure_key_vault_get_require_private_networking (akv));
  say (line);
  g_assert_cmpuint (kl_live_proxy_count (proxy, "GET", "/encryptionAtRest"), >, 0);
  report ();
}

static GPtrArray *
list_endpoints (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Pending pending = { NULL };

  kl_atlas_client_list_private_endpoints_async (client, config.group_id, NULL, pending_cb,
                                                &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  return kl_atlas_client_list_private_endpoints_finish (client, result, error);
}

static void
test_read_endpoints (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = list_endpoints (&error);

  g_assert_no_error (error);
  for (guint i = 0; i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      g_autofree char *line = g_strdup_printf ("endpoint %s in %s: %s",
                                               kl_private_endpoint_get_id (endpoint),
                                               kl_private_endpoint_get_region_name (endpoint),
                                               kl_private_endpoint_get_status_text (endpoint));

      say (line);
      g_assert_true (kl_atlas_id_is_valid (kl_private_endpoint_get_id (endpoint)));
    }
  g_assert_cmpuint (kl_live_proxy_count (proxy, "GET", "/AZURE/privateEndpoints"), >, 0);
  report ();
}

static GPtrArray *
list_clusters (gboolean   flex,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Pending pending = { NULL };

  if (flex)
    kl_atlas_client_list_flex_clusters_async (client, config.group_id, NULL, pending_cb,
                                              &pending);
  else
    kl_atlas_client_list_clusters_async (client, config.group_id, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  if (flex)
    return kl_atlas_client_list_flex_clusters_finish (client, result, error);
  return kl_atlas_client_list_clusters_finish (client, result, error);
}

static void
say_clusters (GPtrArray *clusters)
{
  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);
      g_autofree char *line = NULL;

      line = g_strdup_printf ("cluster %s: %s, %s, encryptionAtRestProvider %s%s",
                              kl_cluster_get_name (cluster),
                              kl_cluster_get_state_name (cluster),
                              kl_cluster_get_instance_size (cluster),
                              kl_cluster_get_encryption_at_rest_provider (cluster),
                              kl_cluster_get_paused (cluster) ? ", paused" : "");
      say (line);
    }
}

static void
test_read_clusters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clusters = list_clusters (FALSE, &error);

  g_assert_no_error (error);
  say_clusters (clusters);
  for (guint i = 0; i < clusters->len; i++)
    g_assert_false (kl_cluster_is_flex (g_ptr_array_index (clusters, i)));
  g_assert_cmpuint (kl_live_proxy_count (proxy, "GET", "/clusters"), >, 0);
  report ();
}

static void
test_read_flex_clusters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clusters = list_clusters (TRUE, &error);

  g_assert_no_error (error);
  say_clusters (clusters);
  for (guint i = 0; i < clusters->len; i++)
    g_assert_true (kl_cluster_is_flex (g_ptr_array_index (clusters, i)));
  g_assert_cmpuint (kl_live_proxy_count (proxy, "GET", "/flexClusters"), >, 0);
  report ();
}

/* ---- KEYLINK_LIVE_WRITE=1: the whole setup, then the whole teardown ---- */

static KlEncryptionAtRest *
patch_ear (GBytes  *body,
           GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Pending pending = { NULL };

  kl_atlas_client_patch_encryption_at_rest_async (client, config.group_id, body, NULL,
                                                  pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  return kl_atlas_client_patch_encryption_at_rest_finish (client, result, error);
}

typedef struct
{
  KlEndpointWatch *watch;
  const char      *region;
} RegionWait;

static KlEndpointStatus
region_status (RegionWait *wait)
{
  KlPrivateEndpoint *endpoint = kl_endpoint_watch_lookup_region (wait->watch, wait->region);

  return endpoint != NULL ? kl_private_endpoint_get_status (endpoint) : KL_ENDPOINT_STATUS_UNKNOWN;
}

static gboolean
region_waits_for_approval (gpointer user_data)
{
  KlEndpointStatus status = region_status (user_data);

  return status == KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE || status == KL_ENDPOINT_STATUS_ACTIVE
         || status == KL_ENDPOINT_STATUS_FAILED;
}

static gboolean
region_settled (gpointer user_data)
{
  KlEndpointStatus status = region_status (user_data);

  return status == KL_ENDPOINT_STATUS_ACTIVE || status == KL_ENDPOINT_STATUS_FAILED;
}

/* Against keylink-atlas-sim only: the Azure side's approval, through its control API. */
static gboolean
approve_on_simulator (const char  *endpoint_id,
                      GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  Pending pending = { NULL };

  url = g_strdup_printf ("%s/__sim/groups/%s/privateEndpoints/%s/approve", config.url,
                         config.group_id, endpoint_id);
  msg = soup_message_new ("POST", url);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (1), NULL);
  body = soup_session_send_and_read_finish (session, result, error);
  if (body == NULL)
    return FALSE;
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the simulator refused the approval: %u",
                   soup_message_get_status (msg));
      return FALSE;
    }
  return TRUE;
}

static KlAzureKeyVault *
wanted_key_vault (void)
{
  KlAzureKeyVault *wanted = kl_azure_key_vault_new ();

  kl_azure_key_vault_set_azure_environment (wanted, config.azure_environment);
  kl_azure_key_vault_set_tenant_id (wanted, config.azure[AZURE_TENANT_ID]);
  kl_azure_key_vault_set_client_id (wanted, config.azure[AZURE_CLIENT_ID]);
  kl_azure_key_vault_set_secret (wanted, config.azure[AZURE_SECRET]);
  kl_azure_key_vault_set_subscription_id (wanted, config.azure[AZURE_SUBSCRIPTION_ID]);
  kl_azure_key_vault_set_resource_group_name (wanted, config.azure[AZURE_RESOURCE_GROUP]);
  kl_azure_key_vault_set_key_vault_name (wanted, config.azure[AZURE_VAULT]);
  kl_azure_key_vault_set_key_identifier (wanted, config.azure[AZURE_KEY_ID]);
  return wanted;
}

/* The endpoints as a KlEndpointWatch holds them (transfer full). */
static GPtrArray *
watch_endpoints (KlEndpointWatch *watch)
{
  GListModel *model = kl_endpoint_watch_get_model (watch);
  GPtrArray *endpoints = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (endpoints, g_list_model_get_item (model, i));
  return endpoints;
}

/* The setup as the assistant does it (HACKING.md, The flow): the key, private networking, an
 * endpoint in KEYLINK_LIVE_AZURE_REGION followed to ACTIVE (someone approves it in Azure),
 * then the key on every cluster Keylink proposes that reaches it over Private Link. */
static gboolean
run_setup (gint64   deadline_us,
           GError **error)
{
  g_autoptr(KlAzureKeyVault) wanted = wanted_key_vault ();
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlSetupRunner) runner = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GPtrArray) proposed = NULL;
  g_autoptr(GPtrArray) to_enable = NULL;
  g_autoptr(KlPlan) plan = NULL;
  const char *regions[] = { config.azure[AZURE_REGION], NULL };
  KlPrivateEndpoint *endpoint;
  KlEndpointWatch *watch;
  RegionWait region = { NULL, config.azure[AZURE_REGION] };
  Pending pending = { NULL };
  gboolean timed_out;

  say ("setup: PATCH encryptionAtRest, the whole azureKeyVault object");
  body = kl_encryption_at_rest_build_patch (NULL, wanted, error);
  if (body == NULL || (ear = patch_ear (body, error)) == NULL)
    return FALSE;
  if (!kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear))
      || !kl_azure_key_vault_get_valid (kl_encryption_at_rest_get_azure_key_vault (ear)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Atlas took the key but says it is not enabled and valid");
      return FALSE;
    }

  say ("setup: PATCH requirePrivateNetworking true");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_object (&ear);
  body = kl_encryption_at_rest_build_private_networking (TRUE);
  if ((ear = patch_ear (body, error)) == NULL)
    return FALSE;

  say ("setup: the endpoint of KEYLINK_LIVE_AZURE_REGION (KlSetupRunner)");
  runner = kl_setup_runner_new (client, config.group_id);
  kl_setup_runner_set_poll_intervals (runner, config.poll_ms, config.poll_ms * 6);
  kl_setup_runner_create_endpoints_async (runner, regions, cancellable, pending_cb, &pending);
  result = wait_result (&pending, cancellable, deadline_us, &timed_out);
  if (!kl_setup_runner_create_endpoints_finish (runner, result, error))
    {
      deadline_error (timed_out, "creating the endpoint", error);
      return FALSE;
    }
  g_clear_object (&result);

  watch = kl_setup_runner_get_endpoint_watch (runner);
  region.watch = watch;
  kl_endpoint_watch_poke (watch);
  if (!wait_until (region_waits_for_approval, &region, deadline_us))
    {
      deadline_error (TRUE, "INITIATING", error);
      return FALSE;
    }
  endpoint = kl_endpoint_watch_lookup_region (watch, region.region);
  if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE)
    {
      g_autofree char *line = NULL;

      line = g_strdup_printf ("approve the connection in Azure: az keyvault "
                              "private-endpoint-connection approve --subscription %s "
                              "--resource-group %s --vault-name %s --name %s",
                              config.azure[AZURE_SUBSCRIPTION_ID],
                              config.azure[AZURE_RESOURCE_GROUP], config.azure[AZURE_VAULT],
                              kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
      say (line);
      if (config.simulator)
        {
          say ("(the simulator's Azure side approves it: POST /__sim/…/approve)");
          if (!approve_on_simulator (kl_private_endpoint_get_id (endpoint), error))
            return FALSE;
        }
    }
  kl_endpoint_watch_poke (watch);
  if (!wait_until (region_settled, &region, deadline_us))
    {
      deadline_error (TRUE, "waiting for ACTIVE", error);
      return FALSE;
    }
  endpoint = kl_endpoint_watch_lookup_region (watch, region.region);
  if (kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_ACTIVE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the endpoint is %s: %s",
                   kl_private_endpoint_get_status_text (endpoint),
                   kl_private_endpoint_get_error_message (endpoint));
      return FALSE;
    }
  say ("setup: the endpoint is ACTIVE");

  /* The clusters Keylink proposes, of those that reach the key over Private Link now. */
  g_clear_object (&ear);
  if ((ear = get_ear (error)) == NULL || (clusters = list_clusters (FALSE, error)) == NULL)
    return FALSE;
  endpoints = watch_endpoints (watch);
  plan = kl_plan_new (ear, endpoints, clusters);
  proposed = kl_plan_dup_clusters_to_enable (plan);
  to_enable = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < proposed->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (proposed, i);

      if (kl_plan_get_key_access (plan, cluster, NULL) == KL_KEY_ACCESS_PRIVATE_LINK)
        g_ptr_array_add (to_enable, g_object_ref (cluster));
    }
  if (to_enable->len == 0)
    {
      say ("setup: no cluster of the project reaches the key over Private Link: none changed");
      return TRUE;
    }
  {
    g_autofree char *names = kl_plan_dup_cluster_names (to_enable);
    g_autofree char *line = g_strdup_printf ("setup: the key on %s (KlSetupRunner)", names);

    say (line);
  }
  kl_setup_runner_enable_clusters_async (runner, to_enable, cancellable, pending_cb, &pending);
  result = wait_result (&pending, cancellable, deadline_us, &timed_out);
  if (!kl_setup_runner_enable_clusters_finish (runner, result, error))
    {
      deadline_error (timed_out, "turning the key on for the clusters", error);
      return FALSE;
    }
  say ("setup: done");
  return TRUE;
}

static gboolean
run_teardown (gint64   deadline_us,
              GError **error)
{
  g_autoptr(KlTeardown) teardown = kl_teardown_new (client, config.group_id, KL_TEARDOWN_CMK);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Pending pending = { NULL };
  gboolean timed_out;
  GListModel *steps;

  say ("teardown: KlTeardown, customer-managed key off");
  kl_teardown_set_poll_intervals (teardown, config.poll_ms, config.poll_ms * 6);
  kl_teardown_run_async (teardown, cancellable, pending_cb, &pending);
  result = wait_result (&pending, cancellable, deadline_us, &timed_out);
  if (!kl_teardown_run_finish (teardown, result, error))
    {
      deadline_error (timed_out, "the teardown", error);
      return FALSE;
    }
  steps = kl_teardown_get_steps (teardown);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      g_autofree char *line = g_strdup_printf ("teardown step: %s", kl_step_get_title (step));

      say (line);
    }
  return TRUE;
}

static void
test_write (void)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) setup_error = NULL;
  g_autoptr(GError) teardown_error = NULL;
  KlAzureKeyVault *akv;

  if (!config.write)
    {
      g_test_skip ("read-only: KEYLINK_LIVE_WRITE=1 adds the setup and teardown");
      return;
    }
  for (guint i = 0; i < N_AZURE; i++)
    if (config.azure[i] == NULL)
      g_ptr_array_add (missing, (gpointer) azure_names[i]);
  if (missing->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (missing, NULL);
      names = g_strjoinv (", ", (char **) missing->pdata);
      message = g_strdup_printf ("KEYLINK_LIVE_WRITE=1 also needs %s", names);
      g_test_skip (message);
      return;
    }

  /* Only a project where nothing is set up yet: this test turns everything off at the end. */
  ear = get_ear (&error);
  g_assert_no_error (error);
  endpoints = list_endpoints (&error);
  g_assert_no_error (error);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  if (kl_azure_key_vault_get_enabled (akv) || endpoints->len > 0
      || kl_encryption_at_rest_get_aws_kms_enabled (ear)
      || kl_encryption_at_rest_get_google_cloud_kms_enabled (ear))
    {
      say ("KEYLINK_LIVE_GROUP_ID has encryption at rest or endpoints already: "
           "KEYLINK_LIVE_WRITE=1 wants a scratch project where it is all off (turn it off "
           "in Keylink first); nothing was changed");
      g_test_fail ();
      return;
    }

  /* The teardown runs whatever happened to the setup, with a deadline of its own. */
  run_setup (minutes_from_now (config.deadline_minutes), &setup_error);
  if (setup_error != NULL)
    {
      g_autofree char *line = g_strdup_printf ("setup failed: %s; tearing down",
                                               setup_error->message);

      say (line);
    }
  run_teardown (minutes_from_now (config.deadline_minutes), &teardown_error);
  report ();
  g_assert_no_error (setup_error);
  g_assert_no_error (teardown_error);

  /* As the project was before. */
  g_clear_object (&ear);
  g_clear_pointer (&endpoints, g_ptr_array_unref);
  ear = get_ear (&error);
  g_assert_no_error (error);
  g_assert_false (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  endpoints = list_endpoints (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 0);
  clusters = list_clusters (FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < clusters->len; i++)
    g_assert_false (kl_plan_cluster_uses_key (g_ptr_array_index (clusters, i)));
  g_assert_cmpuint (kl_live_proxy_count (proxy, "PATCH", "/encryptionAtRest"), >=, 3);
  g_assert_cmpuint (kl_live_proxy_count (proxy, "POST", "/AZURE/privateEndpoints"), ==, 1);
  g_assert_cmpuint (kl_live_proxy_count (proxy, "DELETE", NULL), >=, 1);
  report ();
}

/* ---- main ---- */

static gboolean
is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host != NULL && (g_str_has_prefix (host, "127.") || g_str_equal (host, "localhost")
                          || g_str_equal (host, "::1"));
}

/* Whether the URL is Keylink's simulator (asked only of loopback URLs, never of Atlas). */
static gboolean
probe_simulator (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  Pending pending = { NULL };

  if (!is_loopback (config.url))
    return FALSE;
  session = soup_session_new ();
  url = g_strconcat (config.url, "/__sim/settings", NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    return FALSE;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (1), NULL);
  body = soup_session_send_and_read_finish (session, result, NULL);
  return body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK
         && g_bytes_get_size (body) > 0
         && strstr (g_bytes_get_data (body, NULL), "timeScale") != NULL;
}

static void
sign_out (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };

  kl_atlas_client_sign_out_async (client, NULL, pending_cb, &pending);
  result = wait_result (&pending, NULL, minutes_from_now (READ_DEADLINE_MINUTES), NULL);
  if (!kl_atlas_client_sign_out_finish (client, result, &error))
    g_printerr ("# sign-out: %s\n", error->message);
}

static void
clear_config (void)
{
  g_free (config.url);
  g_free (config.group_id);
  g_free (config.principal);
  if (config.secret != NULL)
    memset (config.secret, 0, strlen (config.secret));
  g_free (config.secret);
  for (guint i = 0; i < N_AZURE; i++)
    {
      if (i == AZURE_SECRET && config.azure[i] != NULL)
        memset (config.azure[i], 0, strlen (config.azure[i]));
      g_free (config.azure[i]);
    }
  g_free (config.azure_environment);
  g_free (config.record_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *spec = NULL;
  int status;

  /* Direct connections unless told otherwise: isolated test dirs have no proxy settings. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  missing = read_config ();
  if (missing != NULL)
    {
      /* TAP's skip plan: meson counts it as a skip (CI has none of these variables). */
      g_print ("1..0 # SKIP the live check against Atlas needs %s in the environment "
               "(README.md, \"Testing against real Atlas\")\n", missing);
      clear_config ();
      return 0;
    }
  spec = g_build_filename (KL_LIVE_SPEC_DIR, "atlas-admin-v2-subset.json", NULL);
  if (!g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP the Atlas spec as JSON was not built (no PyYAML at configure "
               "time): nothing to hold Atlas's answers against\n");
      clear_config ();
      return 0;
    }
  if (!kl_atlas_check_base_url (config.url, &error) || !kl_atlas_id_is_valid (config.group_id))
    {
      g_print ("Bail out! KEYLINK_LIVE_ATLAS_URL or KEYLINK_LIVE_GROUP_ID: %s\n",
               error != NULL ? error->message : "the group id is not 24 lowercase hex digits");
      clear_config ();
      return 1;
    }

  config.simulator = probe_simulator ();
  checker = kl_live_checker_new (KL_LIVE_SPEC_DIR, KL_LIVE_CATALOGUE, &error);
  g_assert_no_error (error);
  proxy = kl_live_proxy_new (config.url, checker, config.record_path,
                             config.simulator ? "simulator" : "atlas", config.group_id, &error);
  g_assert_no_error (error);
  kl_live_proxy_add_secret (proxy, config.secret);
  kl_live_proxy_add_secret (proxy, config.azure[AZURE_SECRET]);
  client = kl_atlas_client_new (kl_live_proxy_get_url (proxy), config.auth_type,
                                config.principal, config.secret, &error);
  g_assert_no_error (error);

  g_test_add_func ("/live/read/direct", test_read_direct);
  g_test_add_func ("/live/read/projects", test_read_projects);
  g_test_add_func ("/live/read/group", test_read_group);
  g_test_add_func ("/live/read/encryption-at-rest", test_read_encryption_at_rest);
  g_test_add_func ("/live/read/private-endpoints", test_read_endpoints);
  g_test_add_func ("/live/read/clusters", test_read_clusters);
  g_test_add_func ("/live/read/flex-clusters", test_read_flex_clusters);
  g_test_add_func ("/live/write/setup-and-teardown", test_write);

  status = g_test_run ();

  sign_out ();
  g_print ("# %s: %s, %u exchanges recorded in %s\n",
           config.simulator ? "Keylink's simulator" : "Atlas",
           config.auth_type == KL_AUTH_SERVICE_ACCOUNT ? "service account" : "API key",
           kl_live_proxy_get_n_recorded (proxy), config.record_path);
  g_clear_object (&client);
  g_clear_pointer (&proxy, kl_live_proxy_free);
  g_clear_pointer (&checker, kl_live_checker_free);
  clear_config ();
  return status;
}
