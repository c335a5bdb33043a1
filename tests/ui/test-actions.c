/* test-actions.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

/* One primary action per page, always the assistant's, in its action bar (GNOME Initial
 * Setup; HACKING.md, The page contract): Welcome, for a new and for a returning user, the
 * Project page and the teardown; closing while Atlas works (“Finish Later?”); the project
 * list after a project is chosen and while searching. In the real window against the
 * simulator in this process. */

/* ---- helpers ---- */

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Until the window has laid itself out and drawn a frame after now. */
static void
wait_for_frame (Fixture *fixture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));

  g_assert_nonnull (clock);
  for (guint i = 0; i < 2; i++)
    {
      gboolean painted = FALSE;
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

      gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
      g_assert_true (kl_test_wait_for_flag (&painted, TIMEOUT_MS));
      g_signal_handler_disconnect (clock, id);
    }
}

static void
collect_primaries (GtkWidget *widget,
                   GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_BUTTON (widget) &&
      (gtk_widget_has_css_class (widget, "suggested-action") ||
       gtk_widget_has_css_class (widget, "destructive-action")))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_primaries (child, found);
}

/* Exactly one suggested or destructive button on screen, in the assistant's action bar,
 * labelled @label (with its mnemonic) and drawn @destructive; returns it. */
static GtkWidget *
assert_one_primary (Fixture    *fixture,
                    const char *label,
                    gboolean    destructive)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  GtkWidget *button;

  collect_primaries (GTK_WIDGET (fixture->window), found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("primary: “%s”", gtk_button_get_label (found->pdata[i]));
  g_assert_cmpuint (found->len, ==, 1);

  button = found->pdata[0];
  g_assert_nonnull (gtk_widget_get_ancestor (button, GTK_TYPE_ACTION_BAR));
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (fixture->assistant)));
  g_assert_null (gtk_widget_get_ancestor (button, KL_TYPE_PAGE));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, label);
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action") == destructive);
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action") == !destructive);

  return button;
}

static gboolean
welcome_is_current (gpointer user_data)
{
  Fixture *fixture = user_data;

  return g_strcmp0 (current_page_id (fixture), KL_PAGE_WELCOME) == 0;
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

static gboolean
no_message_dialog (gpointer user_data)
{
  AdwMessageDialog *dialog = NULL;

  return !has_message_dialog (&dialog);
}

static gboolean
is_closed (gpointer user_data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (user_data));
}

static gboolean
is_applying (gpointer user_data)
{
  return kl_page_get_applying (KL_PAGE (user_data));
}

/* Closes the window as its close button does: “Finish Later?” comes up; returns it. */
static AdwMessageDialog *
close_and_ask (Fixture *fixture)
{
  AdwMessageDialog *dialog = NULL;

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Finish Later?");
  /* Keep Waiting is the default, and what Escape does. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "wait");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "wait");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "wait"), ==, "_Keep Waiting");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "close"), ==,
                   "_Close Keylink");
  return dialog;
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (kl_test_wait_until (no_message_dialog, NULL, TIMEOUT_MS));
}

/* Endpoints that Atlas is creating (INITIATING: the simulator's clock stands still). */
static void
start_endpoints (Fixture *fixture)
{
  const char *regions[] = { "EUROPE_WEST", "US_EAST_2" };
  g_autoptr(KlAtlasClient) client = test_client (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KlPrivateEndpoint) endpoint = NULL;
      g_autoptr(GError) error = NULL;
      AsyncWait wait = { NULL };

      kl_atlas_client_create_private_endpoint_async (client, KL_SIM_GROUP_READY, regions[i],
                                                     NULL, async_cb, &wait);
      result = async_wait (&wait);
      endpoint = kl_atlas_client_create_private_endpoint_finish (client, result, &error);
      g_assert_no_error (error);
    }
}

/* ---- one primary action per page ---- */

/* A new user: Next (to the sign-in) is the one primary action, and the demo is above the
 * fold at 720×640. */
static void
test_welcome_new (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GtkWidget *demo, *frame;
  graphene_rect_t bounds;
  KlPage *welcome;

  window_close (fixture);
  window_open (fixture, 720, 640);
  welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);
  demo = kl_test_find_by_label (GTK_WIDGET (welcome), "_Try the Demo");
  frame = gtk_widget_get_ancestor (GTK_WIDGET (welcome), GTK_TYPE_SCROLLED_WINDOW);
  wait_for_frame (fixture);

  assert_one_primary (fixture, "_Next", FALSE);
  g_assert_null (kl_page_get_next_action (welcome));

  /* The demo, on screen without scrolling. */
  g_assert_nonnull (demo);
  g_assert_true (gtk_widget_get_mapped (demo));
  g_assert_true (gtk_widget_compute_bounds (demo, frame, &bounds));
  g_test_message ("Try the Demo ends at %.0f of %d px", bounds.origin.y + bounds.size.height,
                  gtk_widget_get_height (frame));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (frame));
}

/* A returning user: “Continue with Payments” is Next, the one primary action and the first
 * focus; a fresh sign-in is the second choice. */
static void
test_welcome_returning (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Credentials credentials = good_sa;
  g_autoptr(KlProfile) saved = NULL;
  KlProjectPage *projects;
  GtkWidget *button, *other;
  KlPage *welcome;

  if (keyring_missing ())
    return;

  credentials.profile = "Actions test account";
  projects = sign_in (fixture, &credentials);
  choose_project (fixture, projects, "Payments");
  saved = find_saved_profile ("Actions test account");
  g_assert_nonnull (saved);
  window_close (fixture);

  window_open (fixture, 720, 640);
  welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);
  g_assert_true (kl_test_wait_until (welcome_loaded, welcome, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_label (welcome), ==, "_Continue with Payments");
  g_assert_cmpstr (kl_page_get_next_action (welcome), ==, "win.continue-project");
  wait_for_frame (fixture);
  button = assert_one_primary (fixture, "_Continue with Payments", FALSE);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == button);
  /* No second Continue in the page: it says where the user left off. */
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (welcome), "Continue with Payments"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (welcome), "Where you left off, with "
                                                                 "“Actions test account”"));

  /* Signing in afresh is still possible, as the second choice. */
  other = find_row (GTK_WIDGET (welcome), "Sign In Another Way", ADW_TYPE_ACTION_ROW);
  g_assert_true (gtk_widget_get_mapped (other));
  gtk_widget_activate (other);
  wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  kl_assistant_back (fixture->assistant);
  g_assert_true (kl_test_wait_until (welcome_is_current, fixture, TIMEOUT_MS));

  /* Next continues: signed in from the keyring, on to where the project stands. */
  g_signal_emit_by_name (button, "clicked");
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);

  delete_saved_profile (saved);
}

/* The Project page: Set Up in the bar, and no Set Up row in the page. */
static void
test_project (Fixture       *fixture,
              gconstpointer  user_data)
{
  KlProjectPage *projects = sign_in (fixture, &good_sa);

  choose_project (fixture, projects, "Payments");
  wait_for_frame (fixture);
  assert_one_primary (fixture, "_Set Up", FALSE);
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (projects), "Set Up Encryption"));
  g_assert_true (row_shown (projects, "Next Step"));
}

static gboolean
teardown_loaded (gpointer user_data)
{
  return kl_teardown_page_get_loaded (KL_TEARDOWN_PAGE (user_data));
}

/* The teardown: its destructive action is the bar's primary button, sensitive only once the
 * project's name is typed; the bar's Cancel stops it (no Stop in the page). */
static void
test_teardown (Fixture       *fixture,
               gconstpointer  user_data)
{
  KlProjectPage *projects;
  GtkWidget *button, *cancel;
  KlPage *page;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  activate_row (GTK_WIDGET (projects), "Turn Off Private Networking");
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  wait_for_frame (fixture);

  button = assert_one_primary (fixture, "_Turn Off Private Networking", TRUE);
  g_assert_false (gtk_widget_is_sensitive (button));
  kl_test_type_text (find_entry (page, "Project Name"), "Payment");
  g_assert_false (gtk_widget_is_sensitive (button));
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "_Stop"));

  /* Pressed: the same Cancel as on Clusters, in the bar, stops it. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (kl_page_get_applying (page));
  cancel = kl_test_find_by_label (kl_test_find_by_type (GTK_WIDGET (fixture->assistant),
                                                        GTK_TYPE_ACTION_BAR), "_Cancel");
  g_assert_true (GTK_IS_BUTTON (cancel));
  g_assert_true (gtk_widget_get_mapped (cancel));
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (kl_test_wait_until (not_applying, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_TEARDOWN);
}

/* ---- Finish Later? ---- */

/* Endpoints being created: the dialog speaks of them; Keep Waiting keeps the window, Close
 * Keylink closes it. */
static void
test_finish_later_endpoints (Fixture       *fixture,
                             gconstpointer  user_data)
{
  KlProjectPage *projects;
  AdwMessageDialog *dialog;
  KlWindow *window;

  make_half_done (fixture);
  start_endpoints (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);

  dialog = close_and_ask (fixture);
  assert_contains (adw_message_dialog_get_body (dialog), "creating the private endpoints");
  assert_contains (adw_message_dialog_get_body (dialog), "Approve each one in Azure");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "clusters"));
  respond (dialog, "wait");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_ENDPOINTS);

  window = fixture->window;
  dialog = close_and_ask (fixture);
  respond (dialog, "close");
  g_assert_true (kl_test_wait_until (is_closed, window, TIMEOUT_MS));
}

/* Clusters updating (Next on Clusters, the clock standing still): the dialog speaks of the
 * clusters, not of endpoints; Keep Waiting leaves the update running. */
static void
test_finish_later_clusters (Fixture       *fixture,
                            gconstpointer  user_data)
{
  KlProjectPage *projects;
  AdwMessageDialog *dialog;
  KlPage *page;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_CLUSTERS, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (is_applying, page, TIMEOUT_MS));

  dialog = close_and_ask (fixture);
  assert_contains (adw_message_dialog_get_body (dialog), "updating the clusters");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "endpoint"));
  respond (dialog, "wait");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_true (kl_page_get_applying (page));
}

/* Nothing under way: closing does not ask; asked anyway (win.finish-later), the dialog does
 * not invent endpoints. */
static void
test_finish_later_nothing (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlProjectPage *projects = sign_in (fixture, &good_sa);
  AdwMessageDialog *dialog = NULL;
  KlWindow *window;

  choose_project (fixture, projects, "Payments");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.finish-later", NULL);
  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  assert_contains (adw_message_dialog_get_body (dialog), "Nothing is left waiting in Atlas");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "endpoint"));
  respond (dialog, "wait");

  window = fixture->window;
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (kl_test_wait_until (is_closed, window, TIMEOUT_MS));
  g_assert_true (no_message_dialog (NULL));
}

/* ---- the project list ---- */

static gboolean
list_laid_out (gpointer user_data)
{
  GtkWidget *scroller = user_data;

  return gtk_widget_get_height (scroller) > 0;
}

/* Choosing a project (its state and actions then fill the page below the list) leaves the
 * list its height, not one row in a scroller of its own; the chosen project stays listed
 * while searching for another, and the status below is always its. */
static void
test_project_list (Fixture       *fixture,
                   gconstpointer  user_data)
{
  KlProjectPage *projects;
  GtkWidget *list, *scroller;
  int before, after;

  window_close (fixture);
  window_open (fixture, 720, 640);
  projects = sign_in (fixture, &good_sa);
  list = kl_test_find_by_type (GTK_WIDGET (projects), GTK_TYPE_GRID_VIEW);
  scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (kl_test_wait_until (list_laid_out, scroller, TIMEOUT_MS));
  wait_for_frame (fixture);
  before = gtk_widget_get_height (scroller);

  /* Sixteen projects: a list of several rows, also once the status fills the page. */
  choose_project (fixture, projects, "Payments");
  search (projects, "", 16);
  wait_for_frame (fixture);
  after = gtk_widget_get_height (scroller);
  g_test_message ("The project list: %d px before choosing, %d px after", before, after);
  g_assert_cmpint (after, >=, 200);
  g_assert_cmpint (after, >=, before);

  /* Searching for another: the chosen one stays listed, and the status is its. */
  search (projects, "Analytics", 2);
  g_assert_nonnull (project_row (projects, "Payments"));
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, KL_SIM_GROUP_READY);
  /* Enter takes the one match, not the chosen project listed beside it. */
  g_signal_emit_by_name (kl_test_find_by_type (GTK_WIDGET (projects), GTK_TYPE_SEARCH_ENTRY),
                         "activate");
  g_assert_cmpstr (kl_project_get_name (kl_session_get_project (fixture->session)), ==,
                   "Analytics");
}

/* ---- help ---- */

static gsize
position_of (const char *text,
             const char *needle,
             gsize       from)
{
  const char *found = strstr (text + from, needle);

  if (found == NULL)
    g_error ("“%s” not found in the guide's index", needle);
  return found - text;
}

/* F1 without a help viewer opens the same guide as HTML: each page's section, its index
 * ordered as the flow goes and never linking to itself; the summary's help is the summary's. */
static void
test_help (Fixture       *fixture,
           gconstpointer  user_data)
{
  static const char *setup_order[] = {
    "prerequisites.html", "sign-in.html", "project.html", "azure-details.html",
    "private-networking.html", "endpoints.html", "clusters.html", "summary.html",
  };
  static const char *maintain_order[] = { "rotate.html", "endpoints.html", "teardown.html" };
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "data", "help", "help-html",
                                                NULL);
  g_autofree char *index_path = g_build_filename (dir, "index.html", NULL);
  g_autofree char *index = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  gsize at = 0;

  /* F1 on each page opens its own section. */
  g_assert_cmpstr (kl_page_get_help_id (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_WELCOME)),
                   ==, "prerequisites");
  g_assert_cmpstr (kl_page_get_help_id (kl_assistant_get_page (fixture->assistant, KL_PAGE_DONE)),
                   ==, "summary");

  if (!g_file_test (index_path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("built without yelp-build: no HTML guide");
      return;
    }
  g_setenv ("KL_HELP_HTML_DIR", dir, TRUE);

  uri = kl_window_dup_help_html_uri ("summary");
  g_assert_true (g_str_has_prefix (uri, "file://"));
  g_assert_true (g_str_has_suffix (uri, "/summary.html"));
  g_free (uri);
  uri = kl_window_dup_help_html_uri (NULL);
  g_assert_true (g_str_has_suffix (uri, "/index.html"));
  g_free (uri);
  uri = kl_window_dup_help_html_uri ("../../etc/passwd");
  g_assert_true (g_str_has_suffix (uri, "/index.html"));

  g_assert_true (g_file_get_contents (index_path, &index, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (index, "href=\"index.html\""));
  for (guint i = 0; i < G_N_ELEMENTS (setup_order); i++)
    at = position_of (index, setup_order[i], at) + 1;
  for (guint i = 0; i < G_N_ELEMENTS (maintain_order); i++)
    at = position_of (index, maintain_order[i], at) + 1;

  g_unsetenv ("KL_HELP_HTML_DIR");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kl_test_flow_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/actions/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("primary/welcome-new", test_welcome_new);
  ADD ("primary/welcome-returning", test_welcome_returning);
  ADD ("primary/project", test_project);
  ADD ("primary/teardown", test_teardown);
  ADD ("finish-later/endpoints", test_finish_later_endpoints);
  ADD ("finish-later/clusters", test_finish_later_clusters);
  ADD ("finish-later/nothing", test_finish_later_nothing);
  ADD ("project-list", test_project_list);
  ADD ("help", test_help);

#undef ADD

  ret = g_test_run ();
  kl_test_flow_shutdown ();
  return ret;
}
