/* test-flow-actions.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

/* The project's other flows in the real window against the simulator in this process: the
 * actions a configured project offers, rotating the key, the teardown, and a teardown that was
 * interrupted and is finished on the next start. */

/* Requests that change something on the server. */
static guint
count_changes (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (!g_str_equal (request->method, "GET") && !g_str_has_prefix (request->path, "/api/oauth/"))
        n++;
    }

  return n;
}

/* From the Project page of a fully set-up project: rotation, endpoints and both teardowns,
 * each a flow of its own. */
static void
test_project_actions (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const struct
  {
    const char     *row;
    const char     *page_id;
    KlTeardownKind  kind;
  } actions[] = {
    { "Rotate the Key", KL_PAGE_ROTATE, 0 },
    { "Manage Private Endpoints", KL_PAGE_ENDPOINTS, 0 },
    { "Turn Off Private Networking", KL_PAGE_TEARDOWN, KL_TEARDOWN_PRIVATE_NETWORKING },
    { "Turn Off Your Key", KL_PAGE_TEARDOWN, KL_TEARDOWN_CMK },
  };
  KlProjectPage *projects;

  prepare_all_done (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_DONE);
  /* Nothing left to set up. */
  g_assert_false (row_shown (projects, "Next Step"));
  g_assert_false (kl_page_get_complete (KL_PAGE (projects)));
  kl_sim_clear_requests (fixture->sim);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      KlPage *page;

      g_assert_true (row_shown (projects, actions[i].row));
      activate_row (GTK_WIDGET (projects), actions[i].row);
      page = wait_for_page (fixture, actions[i].page_id, TIMEOUT_MS);
      if (g_str_equal (actions[i].page_id, KL_PAGE_TEARDOWN))
        g_assert_cmpint (kl_teardown_page_get_kind (KL_TEARDOWN_PAGE (page)), ==,
                         actions[i].kind);

      /* A flow of its own: none of the setup steps around it; rotations and teardowns end
       * on the summary. */
      for (const char * const *id = (const char * const []) { KL_PAGE_AZURE_APP,
                                                              KL_PAGE_REVIEW,
                                                              KL_PAGE_CLUSTERS, NULL };
           *id != NULL; id++)
        g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant, *id)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_DONE)) ==
                     g_str_equal (actions[i].page_id, KL_PAGE_ENDPOINTS));

      /* Back leads to the project again, in the setup flow (its steps counted again), and
       * nothing was changed. */
      kl_assistant_back (fixture->assistant);
      g_assert_true (current_page (fixture) == KL_PAGE (projects));
      g_assert_false (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                 KL_PAGE_AZURE_APP)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_ROTATE)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_TEARDOWN)));
    }

  g_assert_cmpuint (count_changes (fixture), ==, 0);
}

#define NEW_KEY_ID "https://contoso-keys.vault.azure.net/keys/atlas-cmk/" \
                   "fedcba9876543210fedcba9876543210"

static gboolean
teardown_loaded (gpointer user_data)
{
  return kl_teardown_page_get_loaded (KL_TEARDOWN_PAGE (user_data));
}

/* A teardown's button: the assistant's primary one, in its action bar, none in the page. */
static GtkWidget *
teardown_button (Fixture    *fixture,
                 KlPage     *page,
                 const char *label)
{
  GtkWidget *button = kl_test_find_by_label (GTK_WIDGET (fixture->assistant), label);

  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), label));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_nonnull (gtk_widget_get_ancestor (button, GTK_TYPE_ACTION_BAR));
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
  return button;
}

static gboolean
teardown_over (gpointer user_data)
{
  return !kl_teardown_page_get_running (KL_TEARDOWN_PAGE (user_data)) &&
         !kl_page_get_applying (KL_PAGE (user_data)) &&
         kl_page_get_complete (KL_PAGE (user_data));
}

typedef struct
{
  Fixture    *fixture;
  const char *method;
  guint       n;
} RequestsWait;

static gboolean
requests_answered (gpointer user_data)
{
  RequestsWait *wait = user_data;
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (wait->fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((KlSimRequest *) requests->pdata[i])->method, wait->method))
      n++;

  return n >= wait->n;
}

static gboolean
has_message_dialog (gpointer user_data)
{
  AdwMessageDialog **dialog = user_data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      {
        *dialog = l->data;
        return TRUE;
      }

  return FALSE;
}

/* A rotation from the Project page ends on the summary, which shows the new key. */
static void
test_rotate (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlProjectPage *projects;
  KlRotatePage *rotate;
  AdwMessageDialog *dialog = NULL;
  KlPage *page;

  make_half_done (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_sim_clear_requests (fixture->sim);

  activate_row (GTK_WIDGET (projects), "Rotate the Key");
  rotate = KL_ROTATE_PAGE (wait_for_page (fixture, KL_PAGE_ROTATE, TIMEOUT_MS));
  kl_rotate_page_set_verify_policy (rotate, 2, 10);
  kl_test_type_text (kl_field_get_row (kl_rotate_page_get_field (rotate)), NEW_KEY_ID);
  kl_field_validate (kl_rotate_page_get_field (rotate));
  g_assert_true (kl_page_get_complete (KL_PAGE (rotate)));
  kl_assistant_next (fixture->assistant);
  /* Asked once more, Cancel the default. */
  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "rotate");
  gtk_window_destroy (GTK_WINDOW (dialog));

  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (KL_PAGE (rotate)));
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  /* A finish that says what the flow did. */
  g_assert_cmpstr (kl_page_get_title (page), ==, "Key Rotated");
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "Back to _Project");
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), NEW_KEY_ID));
  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                                    "/encryptionAtRest"), ==, 1);
  ear = read_back (fixture);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (
                     kl_encryption_at_rest_get_azure_key_vault (ear)), ==, NEW_KEY_ID);

  /* Back from the summary: the project (the rotation is done, and out of the way). */
  kl_assistant_back (fixture->assistant);
  g_assert_true (current_page (fixture) == KL_PAGE (projects));
}

/* Turning private networking off from the Project page ends on the summary. */
static void
test_teardown (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlProjectPage *projects;
  KlPage *page;
  GtkWidget *start;
  RequestsWait wait;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_sim_clear_requests (fixture->sim);

  activate_row (GTK_WIDGET (projects), "Turn Off Private Networking");
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  g_assert_false (kl_page_get_complete (page));

  /* The project's name first, then the destructive button. */
  start = teardown_button (fixture, page, "_Turn Off Private Networking");
  g_assert_false (gtk_widget_is_sensitive (start));
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_assert_true (gtk_widget_is_sensitive (start));
  g_signal_emit_by_name (start, "clicked");

  wait = (RequestsWait) { fixture, "DELETE", 2 };
  g_assert_true (kl_test_wait_until (requests_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (fixture->sim, KL_SIM_DELETING_SECONDS);
  g_assert_true (kl_test_wait_until (teardown_over, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  ear = read_back (fixture);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));

  /* Every step done: the summary, without another Next. */
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  g_assert_cmpstr (kl_page_get_title (page), ==, "Private Networking Turned Off");

  /* Next (“Back to Project”): back on the project, which can be set up again. */
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
  g_assert_true (row_shown (projects, "Next Step"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (projects)), ==, "_Continue Setup");
}

/* A crash (here: the window destroyed) after the teardown was confirmed and half done: on the
 * way back the project says the teardown is unfinished and offers to finish it first, never
 * to resume the setup (which would create the endpoints just deleted). */
static void
test_teardown_interrupted (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlProjectPage *projects;
  KlPage *page;
  GtkWidget *start;
  RequestsWait wait;
  KlTeardownKind kind;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  g_assert_false (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                          NULL));

  activate_row (GTK_WIDGET (projects), "Turn Off Your Key");
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  start = teardown_button (fixture, page, "_Turn Off Your Key");
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_signal_emit_by_name (start, "clicked");

  /* The endpoints are being deleted (the simulator's clock stands still): then the crash. */
  wait = (RequestsWait) { fixture, "DELETE", 2 };
  g_assert_true (kl_test_wait_until (requests_answered, &wait, TIMEOUT_MS));
  g_assert_true (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                         &kind));
  g_assert_cmpint (kind, ==, KL_TEARDOWN_CMK);
  window_close (fixture);

  window_open (fixture, 720, 800);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  assert_contains (status_text (projects),
                   "Turning off your key for this project was started and did not finish");
  /* No setup offered: its row is hidden (and never took the title of a setup to resume). */
  g_assert_false (row_shown (projects, "Next Step"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (projects)), ==, "_Finish Turning Off");
  g_assert_true (kl_page_get_complete (KL_PAGE (projects)));

  /* Next finishes it: the teardown page, from the server's state, asking to confirm again. */
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  g_assert_cmpint (kl_teardown_page_get_kind (KL_TEARDOWN_PAGE (page)), ==, KL_TEARDOWN_CMK);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  kl_sim_advance (fixture->sim, KL_SIM_DELETING_SECONDS);
  kl_sim_clear_requests (fixture->sim);
  start = teardown_button (fixture, page, "_Turn Off Your Key");
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_signal_emit_by_name (start, "clicked");
  /* The endpoints are gone by now (no cluster used the key): the key goes off. */
  g_assert_true (kl_test_wait_until (teardown_over, page, TIMEOUT_MS));
  wait = (RequestsWait) { fixture, "PATCH", 1 };
  g_assert_true (requests_answered (&wait));
  g_assert_null (kl_page_get_error (page));

  /* Done: no longer an unfinished teardown. */
  g_assert_false (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                          NULL));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kl_test_flow_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("project-actions", test_project_actions);
  ADD ("rotate", test_rotate);
  ADD ("teardown", test_teardown);
  ADD ("teardown-interrupted", test_teardown_interrupted);

#undef ADD

  ret = g_test_run ();
  kl_test_flow_shutdown ();
  return ret;
}
