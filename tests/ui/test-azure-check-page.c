/* test-azure-check-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-azure-sim.h"
#include "kl-setup-answers.h"
#include "kl-test-widget.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "widgets/kl-azure-check-view.h"
#include "widgets/kl-azure-finding-row.h"

/* "Check in Azure" on the Key Vault page (issue 24), in a real window, over real HTTP against
 * the Azure simulator: every finding a row, a wrong secret failing with its fix, a vault that
 * refuses this computer's network said as what Keylink cannot see (not a failure), Cancel;
 * and screenshots of the check with failures and all green. */

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

  return g_test_run ();
}
