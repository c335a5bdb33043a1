/* test-azure-check-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-azure-sim.h"
#include "kl-endpoint-watch.h"
#include "kl-setup-answers.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"
#include "pages/endpoints/kl-endpoint-row.h"
#include "pages/endpoints/kl-endpoints-page.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "pages/project/kl-project-page.h"
#include "widgets/kl-azure-check-view.h"
#include "widgets/kl-azure-finding-row.h"

/* "Check in Azure" on the Key Vault page, in a real window, over real HTTP against
 * the Azure simulator: every finding a row, a wrong secret failing with its fix, a vault that
 * refuses this computer's network said as what Keylink cannot see (not a failure), Cancel;
 * and screenshots of the check with failures and all green. Then the Azure side of each
 * endpoint on the Endpoints page, against KlSim (Atlas) and KlAzureSim: Pending, Approve in
 * Azure allowed (Approved, waiting for Atlas) and refused (403: the missing role, the az
 * command kept). */

#define TIMEOUT_MS 20000

#define SIM_KEY_ID "https://" KL_AZURE_SIM_VAULT_NAME ".vault.azure.net/keys/" \
                   KL_AZURE_SIM_KEY_NAME "/" KL_AZURE_SIM_KEY_VERSION

typedef struct
{
  KlAzureSim     *azure;
  KlSetupAnswers *answers;
  KlContext      *context;
  GCancellable   *cancellable;
  GtkWindow      *window;
  KlPage         *page;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *scrolled;

  f->azure = kl_azure_sim_new ("AZURE");
  g_assert_true (kl_azure_sim_start (f->azure, &error));
  g_assert_no_error (error);

  /* What the Azure application page and this page hold once filled in. */
  f->answers = kl_setup_answers_new ();
  kl_setup_answers_set_azure_environment (f->answers, "AZURE");
  kl_setup_answers_set_tenant_id (f->answers, KL_AZURE_SIM_TENANT_ID);
  kl_setup_answers_set_client_id (f->answers, KL_AZURE_SIM_CLIENT_ID);
  kl_setup_answers_set_client_secret (f->answers, KL_AZURE_SIM_CLIENT_SECRET);
  kl_setup_answers_set_subscription_id (f->answers, KL_AZURE_SIM_SUBSCRIPTION_ID);
  kl_setup_answers_set_resource_group (f->answers, KL_AZURE_SIM_RESOURCE_GROUP);
  kl_setup_answers_set_key_vault_name (f->answers, KL_AZURE_SIM_VAULT_NAME);
  kl_setup_answers_set_key_identifier (f->answers, SIM_KEY_ID);

  f->cancellable = g_cancellable_new ();
  f->context = kl_context_new (NULL, f->answers);
  kl_context_set_cancellable (f->context, f->cancellable);
  kl_context_set_azure_endpoints (f->context,
                                  kl_azure_sim_get_login_url (f->azure),
                                  kl_azure_sim_get_arm_url (f->azure),
                                  kl_azure_sim_get_vault_url_template (f->azure));

  f->page = g_object_ref_sink (kl_prepare_key_vault_page (f->context));
  f->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (f->window, 640, 900);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_margin_top (GTK_WIDGET (f->page), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (f->page), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (f->page), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (f->page), 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->page));
  adw_window_set_content (ADW_WINDOW (f->window), scrolled);
  g_assert_true (kl_test_window_show (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_cancellable_cancel (f->cancellable);
  gtk_window_destroy (f->window);
  g_clear_object (&f->page);
  g_clear_object (&f->context);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->answers);
  kl_azure_sim_stop (f->azure);
  g_clear_object (&f->azure);
}

static gboolean
is_check_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "C_heck in Azure") == 0;
}

static GtkWidget *
find_check_button (Fixture *f)
{
  GtkWidget *button = kl_test_find (GTK_WIDGET (f->page), TRUE, is_check_button, NULL);

  g_assert_nonnull (button);
  return button;
}

static KlAzureCheckView *
find_view (Fixture *f)
{
  GtkWidget *view = kl_test_find_by_type (GTK_WIDGET (f->page), KL_TYPE_AZURE_CHECK_VIEW);

  g_assert_nonnull (view);
  return KL_AZURE_CHECK_VIEW (view);
}

static gboolean
check_done (gpointer user_data)
{
  KlAzureCheckView *view = user_data;

  return !kl_azure_check_view_get_running (view) && kl_azure_check_view_get_summary (view) != NULL;
}

/* Presses "Check in Azure" and waits until the findings are shown. */
static KlAzureCheckView *
run_check (Fixture *f)
{
  KlAzureCheckView *view = find_view (f);
  GtkWidget *button = find_check_button (f);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (kl_azure_check_view_get_running (view));
  g_assert_true (kl_test_wait_until (check_done, view, TIMEOUT_MS));
  return view;
}

typedef struct
{
  const char *id;
  const char *subject;
} RowWanted;

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  data)
{
  const RowWanted *wanted = data;
  KlAzureFinding *finding;

  if (!KL_IS_AZURE_FINDING_ROW (widget))
    return FALSE;
  finding = kl_azure_finding_row_get_finding (KL_AZURE_FINDING_ROW (widget));
  return g_strcmp0 (kl_azure_finding_get_id (finding), wanted->id) == 0 &&
         (wanted->subject == NULL ||
          g_strcmp0 (kl_azure_finding_get_subject (finding), wanted->subject) == 0);
}

/* The row shown for the finding @id, which must be visible. */
static KlAzureFindingRow *
find_row (KlAzureCheckView *view,
          const char       *id)
{
  RowWanted wanted = { id, NULL };
  GtkWidget *row = kl_test_find (GTK_WIDGET (view), TRUE, is_row_of, &wanted);

  g_assert_nonnull (row);
  return KL_AZURE_FINDING_ROW (row);
}

static guint
count_rows (KlAzureCheckView *view)
{
  GtkWidget *list = kl_test_find_by_type (GTK_WIDGET (view), GTK_TYPE_LIST_BOX);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (KL_IS_AZURE_FINDING_ROW (child) && gtk_widget_get_visible (child))
      n++;
  return n;
}

static void
save_shot (Fixture    *f,
           const char *name)
{
  g_autofree char *shot = NULL;
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (f->page), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  /* Scrolled to the check, below the fields. */
  g_assert_true (kl_test_window_show (f->window));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  g_assert_true (kl_test_window_show (f->window));
  shot = kl_test_save_screenshot (GTK_WIDGET (f->window), name);
  g_test_message ("Screenshot: %s", shot);
}

static void
test_all_green (Fixture       *f,
                gconstpointer  data)
{
  KlAzureCheckView *view = run_check (f);
  GListModel *findings = kl_azure_check_view_get_findings (view);
  KlAzureFindingRow *row;

  g_assert_nonnull (findings);
  g_assert_cmpuint (g_list_model_get_n_items (findings), >=, 8);
  g_assert_cmpuint (count_rows (view), ==, g_list_model_get_n_items (findings));
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_FAIL), ==, 0);
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_WARN), ==, 0);
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_UNKNOWN), ==, 0);
  g_assert_cmpstr (kl_azure_check_view_get_summary (view), ==,
                   "Everything Atlas needs is in place in Azure.");

  /* Each row: its verdict named for screen readers, what was found, no action. */
  row = find_row (view, KL_AZURE_FINDING_SIGN_IN);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==, "Passed");
  g_assert_cmpstr (kl_azure_finding_row_get_title_text (row), ==,
                   "The application signs in with this secret");
  g_assert_null (kl_azure_finding_row_get_action_text (row));
  row = find_row (view, KL_AZURE_FINDING_KEY_TYPE);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==, "Passed");
  find_row (view, KL_AZURE_FINDING_KEY_OPERATIONS);

  /* Nothing was written to Azure: only reads. */
  {
    g_autoptr(GPtrArray) requests = kl_azure_sim_dup_requests (f->azure);

    for (guint i = 0; i < requests->len; i++)
      {
        KlAzureSimRequest *request = g_ptr_array_index (requests, i);

        if (request->service != KL_AZURE_SIM_SERVICE_LOGIN)
          g_assert_cmpstr (request->method, ==, "GET");
      }
  }

  save_shot (f, "azure-check-ok");
}

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  KlAzureCheckView *view;
  KlAzureFindingRow *row;
  const char *action;
  g_autofree char *lower = NULL;

  /* One wrong character in the secret. */
  kl_setup_answers_set_client_secret (f->answers, "sim~Secret~Value~0123456789abcdefXYz");
  view = run_check (f);

  row = find_row (view, KL_AZURE_FINDING_SIGN_IN);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==, "Failed");
  g_assert_cmpstr (kl_azure_finding_row_get_title_text (row), ==,
                   "The application could not sign in");
  /* The fix, from AADSTS7000215. */
  action = kl_azure_finding_row_get_action_text (row);
  g_assert_nonnull (action);
  g_assert_true (g_str_has_prefix (action, "What to do: "));
  lower = g_utf8_strdown (action, -1);
  g_assert_nonnull (strstr (lower, "secret"));
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_FAIL), ==, 1);
  g_assert_true (g_str_has_prefix (kl_azure_check_view_get_summary (view),
                                   "Atlas would fail on 1 thing in Azure."));

  /* The fix passes. */
  kl_setup_answers_set_client_secret (f->answers, KL_AZURE_SIM_CLIENT_SECRET);
  view = run_check (f);
  row = find_row (view, KL_AZURE_FINDING_SIGN_IN);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==, "Passed");
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_FAIL), ==, 0);
}

static void
test_network_refused (Fixture       *f,
                      gconstpointer  data)
{
  KlAzureCheckView *view;
  KlAzureFindingRow *row;

  /* Private traffic only: Atlas will use Private Link; this computer cannot read the key. */
  g_assert_true (kl_azure_sim_set_vault_network (f->azure, KL_AZURE_SIM_VAULT_NAME,
                                                 "Disabled", "Deny", FALSE));
  view = run_check (f);

  row = find_row (view, KL_AZURE_FINDING_KEY);
  g_assert_cmpint (kl_azure_finding_get_verdict (kl_azure_finding_row_get_finding (row)), ==,
                   KL_AZURE_VERDICT_UNKNOWN);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==,
                   "Keylink cannot see this from here");
  /* Not told as a failure: no "What to do", no failed row, and the summary says so. */
  g_assert_false (g_str_has_prefix (kl_azure_finding_row_get_action_text (row), "What to do"));
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_FAIL), ==, 0);
  g_assert_true (g_str_has_prefix (kl_azure_check_view_get_summary (view),
                                   "Nothing to fix in what Keylink can see."));
  row = find_row (view, KL_AZURE_FINDING_NETWORK);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (row), ==, "Passed");
}

static void
test_failures_screenshot (Fixture       *f,
                          gconstpointer  data)
{
  const char *ops[] = { "encrypt", "decrypt", "wrapKey", "unwrapKey", NULL };
  gint64 soon = g_get_real_time () / G_USEC_PER_SEC + 24 * 3600;
  KlAzureCheckView *view;

  /* A disabled key version that expires tomorrow, and Microsoft.Network not registered. */
  g_assert_true (kl_azure_sim_add_key (f->azure, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME,
                                       "RSA", ops, FALSE, soon, 0));
  kl_azure_sim_set_provider_state (f->azure, KL_AZURE_SIM_SUBSCRIPTION_ID, "Microsoft.Network",
                                   "NotRegistered");
  view = run_check (f);

  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_FAIL), ==, 2);
  g_assert_cmpuint (kl_azure_check_view_count (view, KL_AZURE_VERDICT_WARN), ==, 1);
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (find_row (view, KL_AZURE_FINDING_KEY_ENABLED)),
                   ==, "Failed");
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (find_row (view, KL_AZURE_FINDING_PROVIDER)),
                   ==, "Failed");
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (find_row (view, KL_AZURE_FINDING_KEY_DATES)),
                   ==, "Warning");
  g_assert_nonnull (kl_azure_finding_row_get_action_text (find_row (view, KL_AZURE_FINDING_PROVIDER)));

  save_shot (f, "azure-check-failures");
}

static gboolean
has_stalled (gpointer user_data)
{
  return kl_azure_sim_count_stalled (KL_AZURE_SIM (user_data)) > 0;
}

static gboolean
is_cancel_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Cancel") == 0;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KlAzureCheckView *view = find_view (f);
  GtkWidget *cancel;

  g_assert_true (kl_azure_sim_add_fault (f->azure, "{\"path\": \"/*/oauth2/v2.0/token\", \"kind\": \"stall\"}",
                                         &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (find_check_button (f), "clicked");
  g_assert_true (kl_test_wait_until (has_stalled, f->azure, TIMEOUT_MS));

  /* While it runs: a spinner and Cancel. */
  g_assert_true (kl_azure_check_view_get_running (view));
  g_assert_nonnull (kl_test_find_by_type (GTK_WIDGET (view), GTK_TYPE_SPINNER));
  cancel = kl_test_find (GTK_WIDGET (view), TRUE, is_cancel_button, NULL);
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");

  g_assert_true (kl_test_wait_until (check_done, view, TIMEOUT_MS));
  g_assert_null (kl_azure_check_view_get_findings (view));
  g_assert_cmpstr (kl_azure_check_view_get_summary (view), ==,
                   "The check was cancelled. Nothing was changed in Azure.");
  g_assert_null (kl_test_find (GTK_WIDGET (view), TRUE, is_cancel_button, NULL));
  kl_azure_sim_clear_faults (f->azure);
}

static void
test_needs_secret (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *button = find_check_button (f);

  g_assert_true (gtk_widget_is_sensitive (button));

  /* Resumed from a draft: the secret is never kept. */
  kl_setup_answers_clear_client_secret (f->answers);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (f->page),
                                           "To check in Azure, Keylink needs the application’s "
                                           "client secret: type it on the Azure Application "
                                           "page. Keylink does not keep it after it closes."));

  kl_setup_answers_set_client_secret (f->answers, KL_AZURE_SIM_CLIENT_SECRET);
  g_assert_true (gtk_widget_is_sensitive (button));

  /* A changed field makes what was found stale. */
  run_check (f);
  g_assert_nonnull (kl_azure_check_view_get_findings (find_view (f)));
  kl_test_type_text (kl_test_find_entry (f->page, "Resource Group"), "rg-other");
  g_assert_null (kl_azure_check_view_get_findings (find_view (f)));
}

/* ---- The Endpoints page ---------------------------------------------------------------- */

/* What kl_test_project_enable_cmk () gives Atlas. */
#define EP_SUBSCRIPTION_ID "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"
#define EP_RESOURCE_GROUP  "rg-keys"
#define EP_VAULT           "contoso-keys"

typedef struct
{
  KlTestProject   *project;
  KlAzureSim      *azure;
  KlSetupAnswers  *answers;
  KlSession       *session;
  KlContext       *context;
  GCancellable    *cancellable;
  GtkWindow       *window;
  KlEndpointsPage *page;
} EpFixture;

static void
connect_session (EpFixture  *f,
                 const char *group_id)
{
  KlAtlasClient *client = f->project->client;
  KlTestAsync async = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_get_project_async (client, group_id, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  project = kl_atlas_client_get_project_finish (client, result, &error);
  g_assert_no_error (error);

  kl_session_set_client (f->session, client);
  kl_session_set_project (f->session, project);

  g_clear_object (&result);
  kl_session_refresh_async (f->session, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_session_refresh_finish (f->session, result, &error));
  g_assert_no_error (error);
}

static gboolean
page_loaded (gpointer user_data)
{
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (user_data));

  return watch != NULL && kl_watch_get_n_polls (KL_WATCH (watch)) > 0;
}

static gboolean
page_idle (gpointer user_data)
{
  return !kl_endpoints_page_get_busy (KL_ENDPOINTS_PAGE (user_data));
}

static gboolean
is_endpoint_row (GtkWidget     *widget,
                 gconstpointer  region)
{
  return KL_IS_ENDPOINT_ROW (widget) &&
         g_strcmp0 (kl_private_endpoint_get_region_name (
                      kl_endpoint_row_get_endpoint (KL_ENDPOINT_ROW (widget))), region) == 0;
}

static KlEndpointRow *
find_endpoint_row (EpFixture  *f,
                   const char *region)
{
  return (KlEndpointRow *) kl_test_find (GTK_WIDGET (f->page), TRUE, is_endpoint_row, region);
}

typedef struct
{
  EpFixture        *f;
  const char       *region;
  KlEndpointStatus  status;
  const char       *azure_text;
  const char       *notice_prefix;
} RowWait;

static gboolean
row_is (gpointer user_data)
{
  RowWait *wait = user_data;
  KlEndpointRow *row = find_endpoint_row (wait->f, wait->region);

  if (row == NULL ||
      kl_private_endpoint_get_status (kl_endpoint_row_get_endpoint (row)) != wait->status)
    return FALSE;
  if (wait->azure_text != NULL &&
      g_strcmp0 (kl_endpoint_row_get_azure_text (row), wait->azure_text) != 0)
    return FALSE;
  if (wait->notice_prefix != NULL &&
      (kl_endpoint_row_get_notice (row) == NULL ||
       !g_str_has_prefix (kl_endpoint_row_get_notice (row), wait->notice_prefix)))
    return FALSE;
  return TRUE;
}

static KlEndpointRow *
wait_row (EpFixture        *f,
          const char       *region,
          KlEndpointStatus  status,
          const char       *azure_text,
          const char       *notice_prefix)
{
  RowWait wait = { f, region, status, azure_text, notice_prefix };
  KlEndpointRow *row;

  if (!kl_test_wait_until (row_is, &wait, TIMEOUT_MS))
    {
      row = find_endpoint_row (f, region);
      g_error ("%s: Azure side “%s”, notice “%s”", region,
               row != NULL ? kl_endpoint_row_get_azure_text (row) : "no row",
               row != NULL ? kl_endpoint_row_get_notice (row) : "no row");
    }
  return find_endpoint_row (f, region);
}

static gboolean
is_azure_approve_button (GtkWidget     *widget,
                         gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "Approve in _Azure") == 0;
}

static const char *
connection_of (KlEndpointRow *row)
{
  return kl_private_endpoint_get_private_endpoint_connection_name (kl_endpoint_row_get_endpoint (row));
}

#define PENDING_TEXT  "In Azure: Pending. Not approved yet."
#define APPROVED_WAIT "In Azure: Approved. Waiting for Atlas to notice, which can take a few minutes."

static void
ep_set_up (EpFixture     *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *scrolled;

  /* Atlas with its clock stopped; the key set up with private networking required. */
  f->project = kl_test_project_new (0);
  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);

  /* Azure holding the vault Atlas was given. */
  f->azure = kl_azure_sim_new ("AZURE");
  g_assert_true (kl_azure_sim_start (f->azure, &error));
  kl_azure_sim_add_subscription (f->azure, EP_SUBSCRIPTION_ID, NULL);
  kl_azure_sim_add_resource_group (f->azure, EP_SUBSCRIPTION_ID, EP_RESOURCE_GROUP);
  kl_azure_sim_add_vault (f->azure, EP_SUBSCRIPTION_ID, EP_RESOURCE_GROUP, EP_VAULT);

  /* The application's credentials, typed in this session. */
  f->answers = kl_setup_answers_new ();
  kl_setup_answers_set_azure_environment (f->answers, "AZURE");
  kl_setup_answers_set_tenant_id (f->answers, KL_AZURE_SIM_TENANT_ID);
  kl_setup_answers_set_client_id (f->answers, KL_AZURE_SIM_CLIENT_ID);
  kl_setup_answers_set_client_secret (f->answers, KL_AZURE_SIM_CLIENT_SECRET);

  f->session = kl_session_new ();
  connect_session (f, KL_SIM_GROUP_READY);
  f->cancellable = g_cancellable_new ();
  f->context = kl_context_new (f->session, f->answers);
  kl_context_set_cancellable (f->context, f->cancellable);
  kl_context_set_azure_endpoints (f->context,
                                  kl_azure_sim_get_login_url (f->azure),
                                  kl_azure_sim_get_arm_url (f->azure),
                                  kl_azure_sim_get_vault_url_template (f->azure));

  f->page = KL_ENDPOINTS_PAGE (g_object_ref_sink (kl_prepare_endpoints_page (f->context)));
  kl_endpoints_page_set_poll_intervals (f->page, 5, 40);
  f->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (f->window, 720, 900);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_margin_top (GTK_WIDGET (f->page), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (f->page), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (f->page), 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->page));
  adw_window_set_content (ADW_WINDOW (f->window), scrolled);
  g_assert_true (kl_test_window_show (f->window));
  kl_page_shown (KL_PAGE (f->page));
  g_assert_true (kl_test_wait_until (page_loaded, f->page, TIMEOUT_MS));

  /* The endpoints of the clusters' regions, created from the page, then waiting for their
   * approval: Atlas made the connections on the vault, Pending in Azure. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "endpoints.create", NULL);
  g_assert_true (kl_test_wait_until (page_idle, f->page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (f->page)));
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  for (guint i = 0; i < 2; i++)
    {
      const char *region = i == 0 ? "US_EAST_2" : "EUROPE_WEST";
      KlEndpointRow *row = wait_row (f, region, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, NULL, NULL);

      g_assert_true (kl_azure_sim_add_pending_connection (f->azure, EP_VAULT, connection_of (row),
                                                          &error));
      g_assert_no_error (error);
    }
}

static void
ep_tear_down (EpFixture     *f,
              gconstpointer  data)
{
  g_cancellable_cancel (f->cancellable);
  kl_page_leave (KL_PAGE (f->page));
  gtk_window_destroy (f->window);
  g_clear_object (&f->page);
  g_clear_object (&f->context);
  g_clear_object (&f->session);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->answers);
  kl_azure_sim_stop (f->azure);
  g_clear_object (&f->azure);
  kl_test_project_free (f->project);
}

static void
test_endpoints_approve (EpFixture     *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KlEndpointRow *row;
  GtkWidget *button;
  g_autofree char *shot = NULL;
  const char *connection;

  /* Both sides, each row: Atlas waits for the approval, and Azure says it is not given. */
  row = wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT, NULL);
  wait_row (f, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT, NULL);
  g_assert_true (kl_endpoint_row_get_can_approve_in_azure (row));
  connection = connection_of (row);

  /* Approve in Azure: the ARM PUT with the application's credentials. */
  button = kl_test_find (GTK_WIDGET (row), TRUE, is_azure_approve_button, NULL);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  row = wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, APPROVED_WAIT, NULL);
  g_assert_null (kl_endpoint_row_get_notice (row));
  /* Nothing left to do in Azure: the approval command leaves its connection out. */
  g_assert_null (strstr (kl_endpoints_page_get_approval_command (f->page), connection));
  g_assert_cmpstr (kl_azure_sim_get_connection_status (f->azure, EP_VAULT, connection), ==,
                   "Approved");
  g_assert_false (kl_endpoint_row_get_can_approve_in_azure (row));
  /* The other one: still not approved. */
  row = wait_row (f, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT, NULL);
  g_assert_true (kl_endpoint_row_get_can_approve_in_azure (row));

  g_assert_true (kl_test_window_show (f->window));
  shot = kl_test_save_screenshot (GTK_WIDGET (f->window), "endpoints-azure");
  g_test_message ("Screenshot: %s", shot);

  /* Atlas notices (here, told by hand: this KlSim has no Azure of its own). */
  row = find_endpoint_row (f, "US_EAST_2");
  g_assert_true (kl_sim_approve_endpoint (f->project->sim, KL_SIM_GROUP_READY,
                                          kl_private_endpoint_get_id (kl_endpoint_row_get_endpoint (row)),
                                          &error));
  g_assert_no_error (error);
  kl_sim_advance (f->project->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE, "In Azure: Approved.", NULL);
}

static void
test_endpoints_approve_refused (EpFixture     *f,
                                gconstpointer  data)
{
  KlEndpointRow *row;
  const char *notice;
  g_autofree char *command = NULL;

  /* The application may read the vault, not approve its connections. */
  g_assert_true (kl_azure_sim_set_app_roles (f->azure, KL_AZURE_SIM_CLIENT_ID,
                                             KL_AZURE_SIM_ROLE_ALL & ~KL_AZURE_SIM_ROLE_APPROVE));
  row = wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT, NULL);
  command = g_strdup (kl_endpoints_page_get_approval_command (f->page));
  g_assert_nonnull (command);

  g_signal_emit_by_name (kl_test_find (GTK_WIDGET (row), TRUE, is_azure_approve_button, NULL),
                         "clicked");
  row = wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT,
                  "The application may not approve private endpoint connections");
  notice = kl_endpoint_row_get_notice (row);
  /* Which role, and the command kept as the way. */
  g_assert_nonnull (strstr (notice, "Key Vault Contributor"));
  g_assert_nonnull (strstr (notice, "The command above still works"));
  g_assert_cmpstr (kl_endpoints_page_get_approval_command (f->page), ==, command);
  g_assert_cmpstr (kl_azure_sim_get_connection_status (f->azure, EP_VAULT, connection_of (row)),
                   ==, "Pending");
}

static void
test_endpoints_approved_elsewhere (EpFixture     *f,
                                   gconstpointer  data)
{
  KlEndpointRow *row = wait_row (f, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE,
                                 PENDING_TEXT, NULL);
  g_autoptr(GError) error = NULL;

  /* Approved in the portal: the next poll tells it apart from "not approved yet". */
  g_assert_true (kl_azure_sim_set_connection_status (f->azure, EP_VAULT, connection_of (row),
                                                     "Approved", &error));
  row = wait_row (f, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, APPROVED_WAIT, NULL);
  g_assert_false (kl_endpoint_row_get_can_approve_in_azure (row));

  g_assert_true (kl_azure_sim_set_connection_status (f->azure, EP_VAULT, connection_of (row),
                                                     "Rejected", &error));
  wait_row (f, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE,
            "In Azure: Rejected. Atlas cannot use this endpoint.", NULL);
}

typedef struct
{
  KlEndpointWatch *watch;
  guint            polls;
} PollWait;

static gboolean
polled (gpointer user_data)
{
  PollWait *wait = user_data;

  return kl_watch_get_n_polls (KL_WATCH (wait->watch)) >= wait->polls;
}

/* Without the secret (a project set up in another session): no Azure side, no Approve. */
static void
test_endpoints_no_secret (EpFixture     *f,
                          gconstpointer  data)
{
  KlEndpointRow *row;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (f->page);
  guint polls;

  wait_row (f, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, PENDING_TEXT, NULL);
  kl_setup_answers_clear_client_secret (f->answers);
  kl_azure_sim_clear_requests (f->azure);
  polls = kl_watch_get_n_polls (KL_WATCH (watch)) + 3;
  g_assert_true (kl_test_wait_until (polled, &(PollWait) { watch, polls }, TIMEOUT_MS));

  row = find_endpoint_row (f, "US_EAST_2");
  g_assert_null (kl_endpoint_row_get_azure_text (row));
  g_assert_false (kl_endpoint_row_get_can_approve_in_azure (row));
  g_assert_nonnull (kl_endpoints_page_get_approval_command (f->page));
  {
    g_autoptr(GPtrArray) requests = kl_azure_sim_dup_requests (f->azure);

    g_assert_cmpuint (requests->len, ==, 0);
  }
}

static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), "kl-azure-check-dialog") != NULL)
        return window;
    }
  return NULL;
}

/* The Project page of a set-up project: "Check in Azure" checks what Atlas was given, asking
 * for the secret Atlas does not give back. */
static void
test_project_page_check (EpFixture     *f,
                         gconstpointer  data)
{
  const char *ops[] = { "encrypt", "decrypt", NULL };
  g_autoptr(KlPage) page = NULL;
  GtkWidget *label, *row, *secret_row, *button;
  KlAzureCheckView *view;
  GtkWindow *dialog;

  /* The key Atlas was given (kl_test_project_enable_cmk ()). */
  g_assert_true (kl_azure_sim_add_key (f->azure, EP_VAULT, "atlas", "RSA", ops, TRUE, 0, 0));
  kl_setup_answers_clear_client_secret (f->answers);

  page = g_object_ref_sink (kl_prepare_project_page (f->context));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (f->page),
                                                                               GTK_TYPE_SCROLLED_WINDOW)),
                                 GTK_WIDGET (page));
  g_assert_true (kl_test_window_show (f->window));
  kl_page_shown (page);

  label = kl_test_find_by_label (GTK_WIDGET (page), "Check in Azure");
  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW);
  g_assert_true (gtk_widget_is_visible (row));
  g_signal_emit_by_name (row, "activated");

  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  view = KL_AZURE_CHECK_VIEW (kl_test_find_by_type (GTK_WIDGET (dialog), KL_TYPE_AZURE_CHECK_VIEW));
  /* No secret in this session: asked for, the check waits. */
  secret_row = kl_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (secret_row);
  button = kl_test_find (GTK_WIDGET (dialog), TRUE, is_check_button, NULL);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_false (kl_azure_check_view_get_running (view));

  gtk_editable_set_text (GTK_EDITABLE (secret_row), KL_AZURE_SIM_CLIENT_SECRET);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (kl_test_wait_until (check_done, view, TIMEOUT_MS));

  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (find_row (view, KL_AZURE_FINDING_SIGN_IN)),
                   ==, "Passed");
  g_assert_cmpstr (kl_azure_finding_row_get_verdict_text (find_row (view, KL_AZURE_FINDING_KEY_TYPE)),
                   ==, "Passed");
  /* The endpoints' connections, waiting for their approval. */
  find_row (view, KL_AZURE_FINDING_CONNECTION);
  /* The secret typed here stays here. */
  g_assert_false (kl_setup_answers_get_has_client_secret (f->answers));

  gtk_window_destroy (dialog);
}

int
main (int   argc,
      char *argv[])
{
  kl_test_widget_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/azure-check-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("all-green", test_all_green);
  ADD ("wrong-secret", test_wrong_secret);
  ADD ("network-refused", test_network_refused);
  ADD ("failures", test_failures_screenshot);
  ADD ("cancel", test_cancel);
  ADD ("needs-secret", test_needs_secret);
#undef ADD
#define ADD(path, func) \
  g_test_add ("/azure-check-page/endpoints/" path, EpFixture, NULL, ep_set_up, func, ep_tear_down)
  ADD ("approve", test_endpoints_approve);
  ADD ("approve-refused", test_endpoints_approve_refused);
  ADD ("approved-elsewhere", test_endpoints_approved_elsewhere);
  ADD ("no-secret", test_endpoints_no_secret);
  ADD ("project-page", test_project_page_check);
#undef ADD

  return g_test_run ();
}
