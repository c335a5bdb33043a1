/* test-azure-check.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-azure-check.h"
#include "kl-azure-sim.h"
#include "kl-error.h"
#include "kl-test-utils.h"

/* The preflight's findings against the Azure simulator, in each of the three clouds: one
 * state of the world per case, and the verdict the check must give for it. Nothing is
 * written to Azure: every request the check makes is a GET or the token POST. */

static const char * const environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT" };

#define CONNECTION "kv-kl.5b2f6c1e-0000-4000-8000-0123456789ab"

typedef struct
{
  KlAzureSim    *sim;
  KlAzureClient *client;
  KlAzureCloud   cloud;
  char          *client_secret;
  char          *tenant_id;
  char          *client_id;
  char          *resource_group;
  char          *key_name;
  GStrv          connection_names;
  gint64         now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_azure_cloud_from_environment (data, &fixture->cloud));
  fixture->sim = kl_azure_sim_new (data);
  g_assert_true (kl_azure_sim_start (fixture->sim, &error));
  g_assert_no_error (error);
  fixture->client_secret = g_strdup (KL_AZURE_SIM_CLIENT_SECRET);
  fixture->tenant_id = g_strdup (KL_AZURE_SIM_TENANT_ID);
  fixture->client_id = g_strdup (KL_AZURE_SIM_CLIENT_ID);
  fixture->resource_group = g_strdup (KL_AZURE_SIM_RESOURCE_GROUP);
  fixture->key_name = g_strdup (KL_AZURE_SIM_KEY_NAME);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  kl_azure_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
  g_free (fixture->client_secret);
  g_free (fixture->tenant_id);
  g_free (fixture->client_id);
  g_free (fixture->resource_group);
  g_free (fixture->key_name);
  g_strfreev (fixture->connection_names);
}

static GListModel *
run_check (Fixture *fixture)
{
  g_autoptr(KlAzureCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *findings;
  guint i;

  g_clear_object (&fixture->client);
  fixture->client = kl_azure_client_new (fixture->cloud, fixture->tenant_id, fixture->client_id,
                                         fixture->client_secret, &error);
  g_assert_no_error (error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                kl_azure_sim_get_arm_url (fixture->sim),
                                                kl_azure_sim_get_vault_url_template (fixture->sim),
                                                &error));
  kl_azure_client_set_retry (fixture->client, 2, 10, 100);
  kl_azure_client_set_deadline (fixture->client, 20);

  check = kl_azure_check_new (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                              fixture->resource_group, KL_AZURE_SIM_VAULT_NAME,
                              fixture->key_name, NULL);
  kl_azure_check_set_connection_names (check, (const char * const *) fixture->connection_names);
  kl_azure_check_set_now (check, fixture->now);
  kl_azure_sim_clear_requests (fixture->sim);
  kl_azure_check_run_async (check, NULL, kl_test_store_result, &result);
  findings = kl_azure_check_run_finish (check, kl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);

  /* Nothing is written to Azure. */
  requests = kl_azure_sim_dup_requests (fixture->sim);
  for (i = 0; i < requests->len; i++)
    {
      KlAzureSimRequest *request = g_ptr_array_index (requests, i);

      if (request->service == KL_AZURE_SIM_SERVICE_LOGIN)
        g_assert_cmpstr (request->method, ==, "POST");
      else
        g_assert_cmpstr (request->method, ==, "GET");
    }

  for (i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KlAzureFinding) finding = g_list_model_get_item (findings, i);

      g_test_message ("%s [%d] %s — %s — %s", kl_azure_finding_get_id (finding),
                      kl_azure_finding_get_verdict (finding), kl_azure_finding_get_title (finding),
                      kl_azure_finding_get_detail (finding) ? kl_azure_finding_get_detail (finding) : "",
                      kl_azure_finding_get_action (finding) ? kl_azure_finding_get_action (finding) : "");
      /* Every finding that is not a pass says what to do. */
      if (kl_azure_finding_get_verdict (finding) != KL_AZURE_VERDICT_PASS)
        g_assert_nonnull (kl_azure_finding_get_action (finding));
      g_assert_null (strstr (kl_azure_finding_get_title (finding), KL_AZURE_SIM_CLIENT_SECRET));
    }
  return findings;
}

static void
assert_verdict (GListModel     *findings,
                const char     *id,
                const char     *subject,
                KlAzureVerdict  verdict)
{
  KlAzureFinding *finding = kl_azure_findings_lookup (findings, id, subject);

  if (finding == NULL)
    g_error ("no finding %s", id);
  g_assert_cmpint (kl_azure_finding_get_verdict (finding), ==, verdict);
}

static void
assert_absent (GListModel *findings,
               const char *id)
{
  g_assert_null (kl_azure_findings_lookup (findings, id, NULL));
}

static void
test_all_pass (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;
  guint i;

  kl_azure_sim_add_pending_connection (fixture->sim, KL_AZURE_SIM_VAULT_NAME, CONNECTION, NULL);
  kl_azure_sim_set_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME, CONNECTION,
                                      "Approved", NULL);
  findings = run_check (fixture);
  for (i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KlAzureFinding) finding = g_list_model_get_item (findings, i);

      g_assert_cmpint (kl_azure_finding_get_verdict (finding), ==, KL_AZURE_VERDICT_PASS);
    }
  assert_verdict (findings, KL_AZURE_FINDING_SIGN_IN, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_VAULT, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_NETWORK, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_CONNECTION, CONNECTION, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_PROVIDER, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_TYPE, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_ENABLED, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_OPERATIONS, NULL, KL_AZURE_VERDICT_PASS);
}

static void
assert_sign_in_fails (Fixture      *fixture,
                      KlAzureCause  cause)
{
  g_autoptr(GListModel) findings = run_check (fixture);
  KlAzureFinding *finding = kl_azure_findings_lookup (findings, KL_AZURE_FINDING_SIGN_IN, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
  g_assert_cmpint (kl_azure_finding_get_verdict (finding), ==, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (finding), ==, cause);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_free (fixture->tenant_id);
  fixture->tenant_id = g_strdup ("99999999-1111-4222-8333-444455556666");
  assert_sign_in_fails (fixture, KL_AZURE_CAUSE_WRONG_TENANT);
  g_free (fixture->tenant_id);
  fixture->tenant_id = g_strdup (KL_AZURE_SIM_TENANT_ID);

  g_free (fixture->client_id);
  fixture->client_id = g_strdup ("00000000-1111-4222-8333-444455556666");
  assert_sign_in_fails (fixture, KL_AZURE_CAUSE_UNKNOWN_CLIENT);
  g_free (fixture->client_id);
  fixture->client_id = g_strdup (KL_AZURE_SIM_CLIENT_ID);

  g_free (fixture->client_secret);
  fixture->client_secret = g_strdup ("the-secret-id-not-its-value");
  assert_sign_in_fails (fixture, KL_AZURE_CAUSE_WRONG_SECRET);
  g_free (fixture->client_secret);
  fixture->client_secret = g_strdup (KL_AZURE_SIM_CLIENT_SECRET);

  kl_azure_sim_set_app_state (fixture->sim, KL_AZURE_SIM_CLIENT_ID,
                              KL_AZURE_SIM_APP_SECRET_EXPIRED);
  assert_sign_in_fails (fixture, KL_AZURE_CAUSE_SECRET_EXPIRED);
}

static void
test_sign_in_unreachable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_azure_sim_add_fault (fixture->sim, "{\"path\": \"/*/oauth2/v2.0/token\", "
                                         "\"kind\": \"drop\"}", &error));
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_SIGN_IN, NULL, KL_AZURE_VERDICT_UNKNOWN);
}

static void
test_missing_role (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  /* No role at all: the vault, the providers and the key are all refused. */
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_ROLE_NONE);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_SIGN_IN, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_VAULT, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_VAULT,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_NOT_AUTHORIZED);
  /* Providers unreadable: UNKNOWN, not FAIL. */
  assert_verdict (findings, KL_AZURE_FINDING_PROVIDER, NULL, KL_AZURE_VERDICT_UNKNOWN);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_UNKNOWN);
  g_clear_object (&findings);

  /* The vault is readable, the key's data action is missing (RBAC). */
  kl_azure_sim_set_app_roles (fixture->sim, KL_AZURE_SIM_CLIENT_ID,
                              KL_AZURE_SIM_ROLE_VAULT_READ | KL_AZURE_SIM_ROLE_PROVIDER_READ);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_VAULT, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_ACCESS,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC);
}

static void
test_access_policies (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const get_only[] = { "get", "list", NULL };
  g_autoptr(GListModel) findings = NULL;

  kl_azure_sim_set_vault_rbac (fixture->sim, KL_AZURE_SIM_VAULT_NAME, FALSE);

  /* No policy for the application: the key read is refused. */
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_ACCESS,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY);
  g_clear_object (&findings);

  /* Get, but not Encrypt and Decrypt. */
  kl_azure_sim_add_access_policy (fixture->sim, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_CLIENT_ID,
                                  get_only);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_nonnull (strstr (kl_azure_finding_get_detail (
                              kl_azure_findings_lookup (findings, KL_AZURE_FINDING_ACCESS, NULL)),
                            "encrypt"));
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_PASS);
}

static void
test_access_policies_enough (Fixture       *fixture,
                             gconstpointer  data)
{
  const char * const enough[] = { "Get", "Encrypt", "Decrypt", NULL };
  g_autoptr(GListModel) findings = NULL;

  kl_azure_sim_set_vault_rbac (fixture->sim, KL_AZURE_SIM_VAULT_NAME, FALSE);
  kl_azure_sim_add_access_policy (fixture->sim, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_CLIENT_ID,
                                  enough);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_PASS);
}

static void
add_key (Fixture    *fixture,
         const char *kty,
         gboolean    enabled,
         gint64      exp,
         gint64      nbf)
{
  const char * const ops[] = { "encrypt", "decrypt", "wrapKey", "unwrapKey", NULL };

  g_assert_true (kl_azure_sim_add_key (fixture->sim, KL_AZURE_SIM_VAULT_NAME,
                                       KL_AZURE_SIM_KEY_NAME, kty, ops, enabled, exp, nbf));
}

static void
test_key_states (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 now = 1900000000;
  g_autoptr(GListModel) findings = NULL;

  fixture->now = now;

  add_key (fixture, "RSA", FALSE, now + 86400 * 30, 0);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_ENABLED, NULL, KL_AZURE_VERDICT_FAIL);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_PASS);
  g_clear_object (&findings);

  add_key (fixture, "RSA", TRUE, now - 60, 0);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_ENABLED, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_FAIL);
  g_clear_object (&findings);

  add_key (fixture, "RSA", TRUE, now + 47 * 3600, 0);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_WARN);
  g_clear_object (&findings);

  add_key (fixture, "RSA-HSM", TRUE, 0, now + 3600);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_TYPE, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_FAIL);
  g_clear_object (&findings);

  add_key (fixture, "EC", TRUE, 0, 0);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_TYPE, NULL, KL_AZURE_VERDICT_FAIL);
  assert_verdict (findings, KL_AZURE_FINDING_KEY_DATES, NULL, KL_AZURE_VERDICT_PASS);
  g_clear_object (&findings);

  {
    const char * const sign_only[] = { "sign", "verify", NULL };

    kl_azure_sim_add_key (fixture->sim, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, "RSA",
                          sign_only, TRUE, 0, 0);
    findings = run_check (fixture);
    assert_verdict (findings, KL_AZURE_FINDING_KEY_OPERATIONS, NULL, KL_AZURE_VERDICT_WARN);
    g_clear_object (&findings);
  }

  kl_azure_sim_remove_key (fixture->sim, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_KEY,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_KEY_NOT_FOUND);
  assert_absent (findings, KL_AZURE_FINDING_KEY_ENABLED);
}

static void
test_vault_missing_or_elsewhere (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  /* The vault is in rg-kl; the user typed rg-other (which exists): the vault's host answers,
   * so the vault is elsewhere. */
  kl_azure_sim_add_resource_group (fixture->sim, KL_AZURE_SIM_SUBSCRIPTION_ID, "rg-other");
  g_free (fixture->resource_group);
  fixture->resource_group = g_strdup ("rg-other");
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_VAULT, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_nonnull (strstr (kl_azure_finding_get_title (
                              kl_azure_findings_lookup (findings, KL_AZURE_FINDING_VAULT, NULL)),
                            "not in the resource group"));
  assert_absent (findings, KL_AZURE_FINDING_NETWORK);
  g_clear_object (&findings);

  /* A resource group that does not exist. */
  g_free (fixture->resource_group);
  fixture->resource_group = g_strdup ("rg-nowhere");
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_VAULT, NULL, KL_AZURE_VERDICT_FAIL);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_VAULT,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND);
}

static void
test_network_refuses (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  /* Private only: the key cannot be seen from here; that is UNKNOWN, not FAIL. */
  kl_azure_sim_set_vault_network (fixture->sim, KL_AZURE_SIM_VAULT_NAME, "Disabled", "Deny",
                                  FALSE);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_NETWORK, NULL, KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_UNKNOWN);
  assert_verdict (findings, KL_AZURE_FINDING_ACCESS, NULL, KL_AZURE_VERDICT_UNKNOWN);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_KEY,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION);
  g_clear_object (&findings);

  /* The firewall refuses this machine. */
  kl_azure_sim_set_vault_network (fixture->sim, KL_AZURE_SIM_VAULT_NAME, "Enabled", "Deny",
                                  FALSE);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_UNKNOWN);
  g_assert_cmpint (kl_azure_finding_get_cause (kl_azure_findings_lookup (findings,
                                                                         KL_AZURE_FINDING_KEY,
                                                                         NULL)),
                   ==, KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL);
  g_clear_object (&findings);

  /* It lets this machine in. */
  kl_azure_sim_set_vault_network (fixture->sim, KL_AZURE_SIM_VAULT_NAME, "Enabled", "Deny",
                                  TRUE);
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_KEY, NULL, KL_AZURE_VERDICT_PASS);
}

static void
test_connections (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *names[] = { "kv-kl.aaaa", "kv-kl.bbbb", "kv-kl.cccc", "kv-kl.dddd", NULL };
  g_autoptr(GListModel) findings = NULL;

  kl_azure_sim_add_pending_connection (fixture->sim, KL_AZURE_SIM_VAULT_NAME, names[0], NULL);
  kl_azure_sim_add_pending_connection (fixture->sim, KL_AZURE_SIM_VAULT_NAME, names[1], NULL);
  kl_azure_sim_set_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME, names[1], "Approved",
                                      NULL);
  kl_azure_sim_add_pending_connection (fixture->sim, KL_AZURE_SIM_VAULT_NAME, names[2], NULL);
  kl_azure_sim_set_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME, names[2], "Rejected",
                                      NULL);
  fixture->connection_names = g_strdupv ((char **) names);

  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_CONNECTION, names[0], KL_AZURE_VERDICT_WARN);
  assert_verdict (findings, KL_AZURE_FINDING_CONNECTION, names[1], KL_AZURE_VERDICT_PASS);
  assert_verdict (findings, KL_AZURE_FINDING_CONNECTION, names[2], KL_AZURE_VERDICT_FAIL);
  assert_verdict (findings, KL_AZURE_FINDING_CONNECTION, names[3], KL_AZURE_VERDICT_FAIL);
  /* The check approved nothing. */
  g_assert_cmpstr (kl_azure_sim_get_connection_status (fixture->sim, KL_AZURE_SIM_VAULT_NAME,
                                                       names[0]), ==, "Pending");
}

static void
test_provider (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  kl_azure_sim_set_provider_state (fixture->sim, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                   "Microsoft.Network", "NotRegistered");
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_PROVIDER, NULL, KL_AZURE_VERDICT_FAIL);
  g_clear_object (&findings);

  kl_azure_sim_set_provider_state (fixture->sim, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                   "Microsoft.Network", "Registering");
  findings = run_check (fixture);
  assert_verdict (findings, KL_AZURE_FINDING_PROVIDER, NULL, KL_AZURE_VERDICT_WARN);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlAzureCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *findings;

  fixture->client = kl_azure_client_new (fixture->cloud, fixture->tenant_id, fixture->client_id,
                                         fixture->client_secret, &error);
  g_assert_true (kl_azure_client_set_endpoints (fixture->client,
                                                kl_azure_sim_get_login_url (fixture->sim),
                                                kl_azure_sim_get_arm_url (fixture->sim),
                                                kl_azure_sim_get_vault_url_template (fixture->sim),
                                                &error));
  g_assert_true (kl_azure_sim_add_fault (fixture->sim, "{\"path\": \"/subscriptions/*\", "
                                         "\"kind\": \"stall\"}", &error));
  check = kl_azure_check_new (fixture->client, KL_AZURE_SIM_SUBSCRIPTION_ID,
                              KL_AZURE_SIM_RESOURCE_GROUP, KL_AZURE_SIM_VAULT_NAME,
                              KL_AZURE_SIM_KEY_NAME, NULL);
  kl_azure_check_run_async (check, cancellable, kl_test_store_result, &result);
  g_assert_true (kl_test_wait_until ((KlTestCondition) kl_azure_sim_count_stalled, fixture->sim,
                                     10000));
  g_cancellable_cancel (cancellable);
  findings = kl_azure_check_run_finish (check, kl_test_wait_result (&result, 10000), &error);
  g_assert_null (findings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  kl_azure_sim_clear_faults (fixture->sim);
}

static void
add (const char *name,
     void      (*func) (Fixture *, gconstpointer))
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (environments); i++)
    {
      g_autofree char *path = g_strdup_printf ("/azure-check/%s/%s", environments[i], name);

      g_test_add (path, Fixture, environments[i], fixture_set_up, func, fixture_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add ("all-pass", test_all_pass);
  add ("sign-in", test_sign_in);
  add ("sign-in-unreachable", test_sign_in_unreachable);
  add ("missing-role", test_missing_role);
  add ("access-policies", test_access_policies);
  add ("access-policies-enough", test_access_policies_enough);
  add ("key-states", test_key_states);
  add ("vault-missing-or-elsewhere", test_vault_missing_or_elsewhere);
  add ("network-refuses", test_network_refuses);
  add ("connections", test_connections);
  add ("provider", test_provider);
  add ("cancel", test_cancel);

  return g_test_run ();
}
