/* bench-projects.c — the project list of a big organization in the real window, for
 * tests/bench/bench.py. Prints one JSON object on stdout.
 *
 *   bench-projects [--projects N]
 *
 * The simulator (on a thread of its own, as a remote Atlas would be) holds N projects (default
 * 5,000: its 16 and "Bench-NNNN"); the real Keylink window signs in to it with a service
 * account, typed into the sign-in page as a person would, and lists them (pages of 500, read
 * on the main loop, parsed in a worker thread). Measured, in µs on the simulator's
 * request-log clock:
 *
 *  - when the last page of projects was answered, and the first frame painted after it with
 *    the Project page showing the list (every project in the model, rows of it mapped):
 *    "on screen";
 *  - the main loop's lateness from Sign In to 200 ms after that frame (a G_PRIORITY_HIGH 1 ms
 *    timer; its own stall without the waits for a CPU, bench-common.c);
 *  - one search keystroke ("7": 5,000 projects down to those with a 7 in their name) and
 *    clearing the search again (back to 5,000): from the entry's search-changed (the end of
 *    its debounce: what the page does with the text) to the first frame painted after the
 *    list has settled, and the lateness meanwhile;
 *  - the process's peak RSS.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-window.h"
#include "kl-test-widget.h"
#include "pages/project/kl-project-page.h"
#include "pages/welcome/kl-welcome-page.h"

#include "bench-common.h"

#define DEFAULT_PROJECTS 5000
#define SEED_PROJECTS    16
#define DEADLINE_MS      (600 * 1000)
#define SETTLE_MS        200
#define GROUPS_PATH      "/api/atlas/v2/groups"

typedef struct
{
  SimThread     *st;
  KlWindow      *window;
  KlProjectPage *page;
  GtkWidget     *entry;
  guint          n_projects;
  gint64         search_changed_us; /* sim clock, the latest search-changed; 0 before */
  gint64         painted_us;        /* sim clock, the frame the wait looks for; 0 before */
  guint          expected;          /* projects the model must hold for that frame, or 0 */
  gboolean       typing;            /* the frame must follow a search-changed */
} Bench;

static Bench bench;

static gboolean
add_groups_cb (gpointer data)
{
  SimThread *st = data;

  for (guint i = SEED_PROJECTS; i < bench.n_projects; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench-%04u", i);
      g_autofree char *id = NULL;
      g_autoptr(GError) error = NULL;

      if ((id = kl_sim_add_group (st->sim, name, &error)) == NULL)
        g_error ("Adding a project failed: %s", error->message);
    }

  return G_SOURCE_REMOVE;
}

static void
wait_for (GSourceFunc  condition,
          gpointer     data,
          const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) DEADLINE_MS * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("bench-projects: timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
welcome_loaded (gpointer data)
{
  return !kl_welcome_page_get_loading (KL_WELCOME_PAGE (data));
}

static gboolean
painted (gpointer data)
{
  return bench.painted_us != 0;
}

static guint
n_shown (void)
{
  return g_list_model_get_n_items (kl_project_page_get_shown (bench.page));
}

static gboolean
filter_settled (void)
{
  GListModel *shown = kl_project_page_get_shown (bench.page);

  return !GTK_IS_FILTER_LIST_MODEL (shown) ||
         gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (shown)) == 0;
}

static gboolean
is_row_text (GtkWidget     *widget,
             gconstpointer  data)
{
  GtkWidget *item = widget;

  if (!(GTK_IS_LABEL (widget) || GTK_IS_INSCRIPTION (widget)) ||
      !gtk_widget_get_mapped (widget))
    return FALSE;
  while (item != NULL &&
         gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item)) !=
         GTK_ACCESSIBLE_ROLE_GRID_CELL)
    item = gtk_widget_get_parent (item);

  return item != NULL;
}

/* The list as the user sees it: the model holds what is expected (all projects, or the
 * search's matches) and rows of it are on screen (nothing is chosen yet: the only list items
 * shown are projects). */
static gboolean
list_shown (void)
{
  if (bench.page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (bench.page)) ||
      !filter_settled () || (bench.expected != 0 && n_shown () != bench.expected) ||
      n_shown () == 0)
    return FALSE;

  return kl_test_find (GTK_WIDGET (bench.page), TRUE, is_row_text, NULL) != NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (bench.painted_us == 0 && (!bench.typing || bench.search_changed_us != 0) &&
      list_shown ())
    bench.painted_us = sim_now (bench.st);
}

static gboolean
search_changed_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               data)
{
  if (g_value_get_object (&values[0]) == (gpointer) bench.entry)
    bench.search_changed_us = sim_now (bench.st);

  return TRUE;
}

static gboolean
settle_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (SETTLE_MS, settle_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title,
          GType       type)
{
  GtkWidget *label = kl_test_find_by_label (root, title);
  GtkWidget *row = label != NULL ? gtk_widget_get_ancestor (label, type) : NULL;

  if (row == NULL)
    g_error ("bench-projects: no “%s” row", title);
  return row;
}

static gint64
last_page_end_us (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *requests;
  gint64 end = 0;

  json_builder_begin_object (builder);
  add_requests (builder, bench.st);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  requests = json_object_get_array_member (json_node_get_object (root), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_strcmp0 (json_object_get_string_member (request, "method"), "GET") == 0 &&
          g_strcmp0 (json_object_get_string_member (request, "path"), GROUPS_PATH) == 0 &&
          json_object_get_int_member (request, "status") == 200)
        end = MAX (end, json_object_get_int_member (request, "endUs"));
    }

  return end;
}

/* One keystroke: from search-changed to the frame showing the list settled. */
static void
keystroke (JsonBuilder *builder,
           const char  *name,
           const char  *text,
           guint        expected)
{
  g_autofree char *us_name = g_strconcat (name, "Us", NULL);
  Stall stall = { 0 };

  bench.search_changed_us = 0;
  bench.painted_us = 0;
  bench.expected = expected;
  bench.typing = TRUE;
  stall_start (&stall);
  gtk_editable_set_text (GTK_EDITABLE (bench.entry), text);
  wait_for (painted, NULL, name);
  if (bench.search_changed_us == 0)
    g_error ("bench-projects: no search-changed for “%s”", text);
  settle ();
  stall_stop (&stall, name, bench.st->started_at, builder);
  json_builder_set_member_name (builder, us_name);
  json_builder_add_int_value (builder, bench.painted_us - bench.search_changed_us);
}

static guint
count_matches (const char *needle)
{
  GListModel *shown = kl_project_page_get_shown (bench.page);
  guint n = 0;

  /* Unfiltered: the whole list. */
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(KlProject) project = g_list_model_get_item (shown, i);
      g_autofree char *name = g_utf8_casefold (kl_project_get_name (project), -1);

      if (strstr (name, needle) != NULL || g_str_has_prefix (kl_project_get_id (project), needle))
        n++;
    }

  return n;
}

static int
run (guint n_projects)
{
  g_autoptr(KlApplication) app = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  GVariantDict *options;
  KlAssistant *assistant;
  GtkWidget *remember;
  KlPage *page;
  Stall stall = { 0 };
  struct rusage usage;
  guint sign_in_hook;
  gint64 last_page;
  int rc;

  bench.n_projects = n_projects;
  bench.st = sim_thread_new (1, 0);
  sim_call (bench.st, add_groups_cb, bench.st);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("bench-projects: %s", error->message);
  /* `keylink --atlas-url URL`: the sign-in page starts on the simulator's address. */
  options = g_variant_dict_new (NULL);
  g_variant_dict_insert (options, "atlas-url", "s", bench.st->base_url);
  g_signal_emit_by_name (app, "handle-local-options", options, &rc);
  g_variant_dict_unref (options);

  bench.window = g_object_ref_sink (kl_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 720, 800);
  if (!kl_test_window_show (GTK_WINDOW (bench.window)))
    g_error ("bench-projects: the window was not shown");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (bench.window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  assistant = kl_window_get_assistant (bench.window);
  wait_for (welcome_loaded, kl_assistant_get_page (assistant, "welcome"), "the welcome page");

  bench.page = KL_PROJECT_PAGE (kl_assistant_get_page (assistant, "project"));
  bench.entry = kl_test_find_by_type (GTK_WIDGET (bench.page), GTK_TYPE_SEARCH_ENTRY);
  sign_in_hook = g_signal_add_emission_hook (g_signal_lookup ("search-changed",
                                                              GTK_TYPE_SEARCH_ENTRY),
                                             0, search_changed_hook, NULL, NULL);

  /* Signing in as a person would. */
  kl_assistant_set_current_page (assistant, "sign-in");
  page = kl_assistant_get_current_page (assistant);
  kl_test_type_text (kl_test_find_entry (page, "Client ID"), SA_CLIENT_ID);
  kl_test_type_text (kl_test_find_entry (page, "Client Secret"), SA_CLIENT_SECRET);
  remember = find_row (GTK_WIDGET (page), "Remember in Keyring", ADW_TYPE_ACTION_ROW);
  gtk_switch_set_active (GTK_SWITCH (kl_test_find_by_type (remember, GTK_TYPE_SWITCH)), FALSE);
  if (!kl_page_get_complete (page))
    g_error ("bench-projects: the sign-in page is not complete");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "projects");
  json_builder_add_int_value (builder, n_projects);

  bench.expected = n_projects;
  stall_start (&stall);
  kl_assistant_next (assistant);
  wait_for (painted, NULL, "the project list");
  settle ();
  stall_stop (&stall, "list", bench.st->started_at, builder);
  last_page = last_page_end_us ();
  json_builder_set_member_name (builder, "lastPageEndUs");
  json_builder_add_int_value (builder, last_page);
  json_builder_set_member_name (builder, "shownUs");
  json_builder_add_int_value (builder, bench.painted_us);

  /* One keystroke that narrows the list, then clearing it (5,000 rows back). */
  keystroke (builder, "keystroke", "7", count_matches ("7"));
  keystroke (builder, "clear", "", n_projects);

  getrusage (RUSAGE_SELF, &usage);
  json_builder_set_member_name (builder, "peakRssKiB");
  json_builder_add_int_value (builder, usage.ru_maxrss);
  json_builder_end_object (builder);
  print_builder (builder);

  g_signal_remove_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY),
                                 sign_in_hook);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_clear_object (&bench.window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sim_thread_free (bench.st);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int n_projects = DEFAULT_PROJECTS;
  GOptionEntry entries[] = {
    { "projects", 0, 0, G_OPTION_ARG_INT, &n_projects,
      "Projects in the organization (default 5000)", "N" },
    { NULL }
  };

  /* No desktop proxy settings to read: no proxy lookup at all. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 ||
      n_projects <= SEED_PROJECTS)
    {
      g_printerr ("usage: bench-projects [--projects N]\n");
      return 2;
    }

  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  return run ((guint) n_projects);
}
