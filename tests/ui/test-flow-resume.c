/* test-flow-resume.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

/* Resuming in a new window from what the server holds: a half-done project (its answers shown
 * read-only), one whose endpoints are active, and one that is done. */

static void
assert_read_only_answers (Fixture *fixture)
{
  KlPage *azure_app = kl_assistant_get_page (fixture->assistant, KL_PAGE_AZURE_APP);
  KlPage *key_vault = kl_assistant_get_page (fixture->assistant, KL_PAGE_KEY_VAULT);
  KlPage *review = kl_assistant_get_page (fixture->assistant, KL_PAGE_REVIEW);
  AdwEntryRow *tenant = find_entry (azure_app, "Directory (Tenant) ID");
  AdwEntryRow *secret = find_entry (azure_app, "Client Secret Value");
  AdwEntryRow *key_id = find_entry (key_vault, "Key Identifier");
  GtkWidget *secret_row;

  /* Shown, with what Atlas holds, and not to be changed. */
  for (KlPage **page = (KlPage *[]) { azure_app, key_vault, review, NULL }; *page != NULL; page++)
    {
      g_assert_false (kl_page_get_hidden (*page));
      g_assert_true (kl_page_get_read_only (*page));
      g_assert_true (kl_page_get_complete (*page));
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==, KL_TEST_TENANT_ID);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (tenant)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (azure_app,
                                                                     "Application (Client) ID"))),
                   ==, KL_TEST_CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_id)), ==, KL_TEST_KEY_ID);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (key_id)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (key_vault, "Key Vault Name"))),
                   ==, KL_TEST_VAULT);

  /* Atlas never returns the secret: it is not asked for, and not shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (secret)));
  g_assert_false (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  secret_row = find_row (GTK_WIDGET (review), "Client Secret", ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (secret_row)), ==,
                   "Kept by Atlas, never shown");
  g_assert_false (kl_page_get_needs_apply (review));
  g_assert_null (kl_page_get_next_label (review));
}

static gboolean
continue_offered (gpointer user_data)
{
  return g_strcmp0 (kl_page_get_next_label (KL_PAGE (user_data)), "_Continue with Payments") == 0;
}

/* “Continue with Payments” is the Welcome page's primary action, the assistant's Next. */
static void
continue_with_payments (Fixture *fixture)
{
  KlPage *welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);

  g_assert_true (kl_test_wait_until (continue_offered, welcome, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_action (welcome), ==, "win.continue-project");
  kl_assistant_next (fixture->assistant);
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  user_data)
{
  Credentials credentials = good_sa;
  g_autoptr(KlProfile) saved = NULL;
  KlProjectPage *projects;
  KlPage *welcome, *page, *networking;

  if (keyring_missing ())
    return;

  /* First run: signed in with a remembered profile, the project chosen. */
  credentials.profile = "Resume test account";
  projects = sign_in (fixture, &credentials);
  choose_project (fixture, projects, "Payments");
  saved = find_saved_profile ("Resume test account");
  g_assert_nonnull (saved);

  /* Meanwhile the key was enabled and private networking turned on; the window closed. */
  make_half_done (fixture);
  window_close (fixture);

  /* The app opens again: the welcome page offers to continue. */
  window_open (fixture, 720, 800);
  welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);
  g_assert_true (kl_test_wait_until (continue_offered, welcome, TIMEOUT_MS));
  save_screenshot (GTK_WIDGET (fixture->window), "welcome-continue-light");
  kl_sim_clear_requests (fixture->sim);
  continue_with_payments (fixture);

  /* Signed in with the keyring's secret, the project read, and on to where it stands. */
  page = wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, KL_SIM_GROUP_READY);
  g_assert_cmpstr (kl_flow_get_stage_page (kl_plan_get_stage (kl_session_get_plan (fixture->session))),
                   ==, KL_PAGE_ENDPOINTS);
  assert_read_only_answers (fixture);

  /* Back shows the earlier steps as done; Next does not send them again. */
  kl_assistant_back (fixture->assistant);
  networking = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (networking), ==, KL_PAGE_PRIVATE_NETWORKING);
  g_assert_true (kl_page_get_read_only (networking));
  g_assert_false (kl_page_get_needs_apply (networking));
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_REVIEW);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_KEY_VAULT);
  kl_assistant_next (fixture->assistant);
  kl_assistant_next (fixture->assistant);
  kl_assistant_next (fixture->assistant);
  g_assert_true (current_page (fixture) == page);
  g_assert_cmpuint (count_requests (fixture, "PATCH",
                                    "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/encryptionAtRest"),
                    ==, 0);

  /* From the project page, Next (Continue Setup) goes to the same place. */
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_PROJECT));
  projects = KL_PROJECT_PAGE (current_page (fixture));
  g_assert_true (row_shown (projects, "Next Step"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (projects)), ==, "_Continue Setup");
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  assert_read_only_answers (fixture);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_PRIVATE_NETWORKING);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_REVIEW);

  delete_saved_profile (saved);
}

/* First run with a remembered profile and Payments chosen; then @prepare changes what the
 * server holds, the window closes, a new one opens and “Continue with Payments” is chosen.
 * Returns the saved profile (the caller deletes it). */
static KlProfile *
continue_after (Fixture *fixture,
                void   (*prepare) (Fixture *fixture))
{
  Credentials credentials = good_sa;
  KlProjectPage *projects;
  KlProfile *saved;

  credentials.profile = "Resume test account";
  projects = sign_in (fixture, &credentials);
  choose_project (fixture, projects, "Payments");
  saved = find_saved_profile ("Resume test account");
  g_assert_nonnull (saved);

  prepare (fixture);
  window_close (fixture);

  window_open (fixture, 720, 800);
  continue_with_payments (fixture);
  return saved;
}

/* Key enabled and valid, private networking required, every endpoint ACTIVE: the clusters
 * are next. */
static void
test_resume_clusters (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(KlProfile) saved = NULL;
  KlPage *page;

  if (keyring_missing ())
    return;

  saved = continue_after (fixture, prepare_endpoints_active);
  page = wait_for_page (fixture, KL_PAGE_CLUSTERS, TIMEOUT_MS);
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_CLUSTERS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Use Key on 2 Clusters");
  assert_read_only_answers (fixture);

  /* Back: the endpoints, all active; private networking, done. */
  kl_assistant_back (fixture->assistant);
  page = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, KL_PAGE_ENDPOINTS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  kl_assistant_back (fixture->assistant);
  page = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, KL_PAGE_PRIVATE_NETWORKING);
  g_assert_true (kl_page_get_read_only (page));

  delete_saved_profile (saved);
}

/* Everything set up: the summary. */
static void
test_resume_done (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(KlProfile) saved = NULL;
  KlPage *page;

  if (keyring_missing ())
    return;

  saved = continue_after (fixture, prepare_all_done);
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_DONE);
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  assert_read_only_answers (fixture);

  delete_saved_profile (saved);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kl_test_flow_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("resume", test_resume);
  ADD ("resume/clusters", test_resume_clusters);
  ADD ("resume/done", test_resume_done);

#undef ADD

  ret = g_test_run ();
  kl_test_flow_shutdown ();
  return ret;
}
