/* test-ux.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-flow.h"
#include "kl-session.h"
#include "kl-setup-answers.h"
#include "kl-window.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"
#include "pages/done/kl-done-page.h"
#include "pages/private-networking/kl-private-networking-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/welcome/kl-welcome-page.h"

/* A new admin's second look, as the GNOME HIG and GNOME Initial Setup would judge
 * it: values readable (WCAG AA contrast, read from the style, light and dark), the first
 * focus on the page's first field or its primary action, read-only rows out of the tab order,
 * Back and Next as window-level shortcuts, a step counter that does not jump, and a summary
 * that is a finish. */

#define TIMEOUT_MS KL_TEST_DEADLINE_MS
#define GROUP      KL_SIM_GROUP_READY

/* WCAG 2.1 AA for normal text. */
#define MIN_CONTRAST 4.5

static KlApplication *app;

/* ---- helpers ---- */

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Until @widget's window has drawn a frame after now (a new style applied). */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  g_assert_true (kl_test_wait_for_flag (&painted, TIMEOUT_MS));
  g_signal_handler_disconnect (clock, id);
}

static GtkWindow *
window_new (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));

  g_object_ref_sink (window);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), child);
  gtk_window_set_default_size (window, 720, 720);
  g_assert_true (kl_test_window_show (window));

  return window;
}

static void
window_free (GtkWindow *window)
{
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
}

static void
fill_answers (KlSetupAnswers *answers)
{
  g_object_freeze_notify (G_OBJECT (answers));
  kl_setup_answers_set_tenant_id (answers, KL_TEST_TENANT_ID);
  kl_setup_answers_set_client_id (answers, KL_TEST_CLIENT_ID);
  kl_setup_answers_set_client_secret (answers, KL_TEST_CLIENT_SECRET);
  kl_setup_answers_set_subscription_id (answers, KL_TEST_SUBSCRIPTION_ID);
  kl_setup_answers_set_resource_group (answers, KL_TEST_RESOURCE_GROUP);
  kl_setup_answers_set_key_vault_name (answers, KL_TEST_VAULT);
  kl_setup_answers_set_key_identifier (answers, KL_TEST_KEY_ID);
  g_object_thaw_notify (G_OBJECT (answers));
}

/* ---- 1. Contrast ---- */

static double
linear (double channel)
{
  return channel <= 0.04045 ? channel / 12.92 : pow ((channel + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *color)
{
  return 0.2126 * linear (color->red) + 0.7152 * linear (color->green) +
         0.0722 * linear (color->blue);
}

/* @top drawn over the opaque @bottom. */
static GdkRGBA
blend (const GdkRGBA *top,
       const GdkRGBA *bottom)
{
  return (GdkRGBA) {
    top->red * top->alpha + bottom->red * (1 - top->alpha),
    top->green * top->alpha + bottom->green * (1 - top->alpha),
    top->blue * top->alpha + bottom->blue * (1 - top->alpha),
    1.0,
  };
}

static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

typedef struct
{
  guint n_titles;
  guint n_values;
  double lowest;
  char *lowest_text;
} ContrastCheck;

/* Every title and value of the property rows under @widget, against the card they sit on
 * (card_bg_color over window_bg_color), in the colour the style gives them. */
static void
check_labels (GtkWidget     *widget,
              ContrastCheck *check)
{
  if (GTK_IS_LABEL (widget) &&
      (gtk_widget_has_css_class (widget, "title") || gtk_widget_has_css_class (widget, "subtitle")))
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

      if (row != NULL && gtk_widget_has_css_class (row, "kl-property"))
        {
          G_GNUC_BEGIN_IGNORE_DEPRECATIONS
          GtkStyleContext *context = gtk_widget_get_style_context (widget);
          G_GNUC_END_IGNORE_DEPRECATIONS
          GdkRGBA fg, card, window, background, text;
          double ratio;

          G_GNUC_BEGIN_IGNORE_DEPRECATIONS
          gtk_style_context_get_color (context, &fg);
          g_assert_true (gtk_style_context_lookup_color (context, "card_bg_color", &card));
          g_assert_true (gtk_style_context_lookup_color (context, "window_bg_color", &window));
          G_GNUC_END_IGNORE_DEPRECATIONS

          background = blend (&card, &window);
          text = blend (&fg, &background);
          ratio = contrast (&text, &background);
          if (gtk_widget_has_css_class (widget, "title"))
            check->n_titles++;
          else
            check->n_values++;
          g_test_message ("%.2f:1 %s “%s”", ratio,
                          gtk_widget_has_css_class (widget, "title") ? "title" : "value",
                          gtk_label_get_label (GTK_LABEL (widget)));
          if (ratio < check->lowest)
            {
              check->lowest = ratio;
              g_free (check->lowest_text);
              check->lowest_text = g_strdup (gtk_label_get_label (GTK_LABEL (widget)));
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_labels (child, check);
}

static void
assert_contrast (GtkWidget *page,
                 guint      min_rows)
{
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  AdwStyleManager *manager = adw_style_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      ContrastCheck check = { 0, 0, G_MAXDOUBLE, NULL };

      adw_style_manager_set_color_scheme (manager, schemes[i]);
      wait_for_frame (page);
      g_assert_cmpint (adw_style_manager_get_dark (manager), ==,
                       schemes[i] == ADW_COLOR_SCHEME_FORCE_DARK);

      check_labels (page, &check);
      g_test_message ("%s: lowest %.2f:1 (“%s”)", i == 0 ? "light" : "dark", check.lowest,
                      check.lowest_text);
      g_assert_cmpuint (check.n_titles, >=, min_rows);
      g_assert_cmpuint (check.n_values, >=, min_rows);
      g_assert_cmpfloat (check.lowest, >=, MIN_CONTRAST);
      g_free (check.lowest_text);
    }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_contrast_review (void)
{
  g_autoptr(KlSession) session = kl_session_new ();
  g_autoptr(KlSetupAnswers) answers = kl_setup_answers_new ();
  KlPage *page;
  GtkWindow *window;

  fill_answers (answers);
  page = kl_test_prepare_page (kl_prepare_review_page, session, answers, NULL);
  window = window_new (GTK_WIDGET (page));

  /* The eight values an admin checks before Enable. */
  assert_contrast (GTK_WIDGET (page), 8);

  window_free (window);
}

static void
test_contrast_private_networking (void)
{
  g_autoptr(KlSession) session = kl_session_new ();
  g_autoptr(KlSetupAnswers) answers = kl_setup_answers_new ();
  KlPage *page;
  GtkWindow *window;

  fill_answers (answers);
  page = kl_test_prepare_page (kl_prepare_private_networking_page, session, answers, NULL);
  window = window_new (GTK_WIDGET (page));

  /* Vault, resource group and subscription: fixed once private networking is on. */
  assert_contrast (GTK_WIDGET (page), 3);

  window_free (window);
}

/* ---- 3. Keyboard ---- */

typedef struct
{
  KlWindow       *window;
  KlAssistant    *assistant;
  KlSetupAnswers *answers;
} Fixture;

static gboolean
welcome_loaded (gpointer user_data)
{
  return !kl_welcome_page_get_loading (KL_WELCOME_PAGE (user_data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->window = kl_window_new (app);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 720, 720);
  fixture->assistant = kl_window_get_assistant (fixture->window);
  fixture->answers = kl_window_get_answers (fixture->window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));
  g_assert_true (kl_test_wait_until (welcome_loaded,
                                     kl_assistant_get_page (fixture->assistant, "welcome"),
                                     TIMEOUT_MS));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
}

static GtkWidget *
focus_of (gpointer widget)
{
  return gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (widget)));
}

static const char *
button_label (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;
}

static gboolean
transition_over (gpointer user_data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (user_data));
}

/* Until the assistant's slide to @page is over (the old page is a tab stop until then). */
static void
wait_for_slide (KlPage *page)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_STACK);

  g_assert_nonnull (stack);
  g_assert_true (kl_test_wait_until (transition_over, stack, TIMEOUT_MS));
}

/* Tab, as GtkWindow moves the focus: forward, and round to the start at the end. */
static void
press_tab (GtkWidget *window)
{
  if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
    {
      gtk_root_set_focus (GTK_ROOT (window), NULL);
      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
    }
}

/* From the start of the window, the Tab presses until the focus is on @target; asserts that no
 * row of @page that only shows a value was a stop on the way, nor anywhere in the cycle. */
static guint
tabs_to_reach (GtkWidget *window,
               GtkWidget *page,
               GtkWidget *target)
{
  guint tabs = 0, reached = 0;

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  for (guint i = 0; i < 60; i++)
    {
      GtkWidget *focus;

      press_tab (window);
      tabs++;
      focus = focus_of (window);
      g_assert_nonnull (focus);
      g_test_message ("Tab %u: %s “%s” in %s", tabs, G_OBJECT_TYPE_NAME (focus),
                      button_label (focus) != NULL ? button_label (focus) : "",
                      gtk_widget_get_ancestor (focus, KL_TYPE_PAGE) != NULL
                      ? kl_page_get_page_id (KL_PAGE (gtk_widget_get_ancestor (focus, KL_TYPE_PAGE)))
                      : "(no page)");
      if (gtk_widget_is_ancestor (focus, page) && GTK_IS_LIST_BOX_ROW (focus))
        g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (focus)));
      if (focus == target)
        {
          if (reached == 0)
            reached = tabs;
          else
            return reached;   /* once round the whole cycle */
        }
    }

  g_assert_not_reached ();
}

static void
test_review_keyboard (Fixture       *fixture,
                      gconstpointer  user_data)
{
  KlPage *page;
  GtkWidget *focus, *window = GTK_WIDGET (fixture->window);
  guint tabs;

  fill_answers (fixture->answers);
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, "key-vault"));
  kl_assistant_next (fixture->assistant);
  page = kl_assistant_get_current_page (fixture->assistant);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, "review");
  wait_for_slide (page);

  /* First focus: Enable, the page's primary action, so that Enter enables (not an Edit). */
  focus = focus_of (page);
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (button_label (focus), ==, "_Enable");

  /* The eight values are no tab stops: the header's buttons, the two Edits, Back, Enable. */
  tabs = tabs_to_reach (window, GTK_WIDGET (page), focus);
  g_test_message ("Enable after %u Tabs", tabs);
  g_assert_cmpuint (tabs, <=, 7);
}

/* ---- shortcuts ---- */

static GtkShortcut *
find_shortcut (GListModel *shortcuts,
               const char *trigger)
{
  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

      if (strstr (text, trigger) != NULL)
        return g_steal_pointer (&shortcut);
    }

  return NULL;
}

static const char *
shortcut_action_name (GtkShortcut *shortcut)
{
  GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

  g_assert_true (GTK_IS_NAMED_ACTION (action));
  return gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
}

/* The window's own shortcut handling: the managed controllers it gathers, whatever has the
 * focus. */
static gboolean
window_has_shortcut (GtkWidget  *window,
                     const char *trigger,
                     const char *action_name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      g_autoptr(GtkShortcut) shortcut = NULL;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      shortcut = find_shortcut (G_LIST_MODEL (controller), trigger);
      if (shortcut != NULL && g_strcmp0 (shortcut_action_name (shortcut), action_name) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  user_data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->assistant));
  g_autoptr(GtkShortcut) back = NULL;
  g_autoptr(GtkShortcut) next = NULL;
  GtkShortcutController *navigation = NULL;
  KlPage *page;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (GTK_EVENT_CONTROLLER (controller)),
                     "kl-assistant-navigation") == 0)
        navigation = GTK_SHORTCUT_CONTROLLER (controller);
    }
  g_assert_nonnull (navigation);
  /* Managed by the window: they work wherever the focus is, not only inside the assistant. */
  g_assert_cmpint (gtk_shortcut_controller_get_scope (navigation), ==, GTK_SHORTCUT_SCOPE_MANAGED);
  g_assert_true (window_has_shortcut (window, "<Alt>Left", "assistant.back"));
  g_assert_true (window_has_shortcut (window, "<Alt>Right", "assistant.next"));

  back = find_shortcut (G_LIST_MODEL (navigation), "<Alt>Left");
  next = find_shortcut (G_LIST_MODEL (navigation), "<Alt>Right");
  g_assert_nonnull (back);
  g_assert_nonnull (next);

  /* With the focus in the header bar (outside the assistant), on a page without fields. */
  fill_answers (fixture->answers);
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, "review"));
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (back), 0,
                                               GTK_WIDGET (fixture->assistant), NULL));
  page = kl_assistant_get_current_page (fixture->assistant);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, "key-vault");
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (next), 0,
                                               GTK_WIDGET (fixture->assistant), NULL));
  page = kl_assistant_get_current_page (fixture->assistant);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, "review");
}

/* ---- 5. The step counter ---- */

static gboolean
is_step_label (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), "Step ");
}

static const char *
step_text (Fixture *fixture)
{
  GtkWidget *label = kl_test_find (GTK_WIDGET (fixture->assistant), TRUE, is_step_label, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
test_step_counter (Fixture       *fixture,
                   gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;

  /* The setup: ten pages, whatever is hidden on the way. */
  g_assert_cmpstr (step_text (fixture), ==, "Step 1 of 10");
  g_assert_true (kl_assistant_set_current_page (assistant, "azure-app"));
  g_assert_cmpstr (step_text (fixture), ==, "Step 4 of 10");
  kl_assistant_set_page_hidden (assistant, "sign-in", TRUE);
  kl_assistant_set_page_hidden (assistant, "endpoints", TRUE);
  g_assert_cmpstr (step_text (fixture), ==, "Step 4 of 10");
  kl_assistant_set_page_hidden (assistant, "sign-in", FALSE);
  kl_assistant_set_page_hidden (assistant, "endpoints", FALSE);
}

/* ---- 2. The finish ---- */


typedef struct
{
  KlTestProject *project;
  KlSession     *session;
  KlFlow        *flow;
  GtkWindow     *window;
  KlAssistant   *assistant;
  KlPage        *before;
  KlDonePage    *done;
  gboolean       finished;
} Finish;

static gboolean
done_loaded (gpointer user_data)
{
  return kl_done_page_get_loaded (KL_DONE_PAGE (user_data));
}

static KlProject *
get_project (KlTestProject *project)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlProject *found;

  kl_atlas_client_get_project_async (project->client, GROUP, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  found = kl_atlas_client_get_project_finish (project->client, result, &error);
  g_assert_no_error (error);
  return found;
}

static void
finished_cb (KlAssistant *assistant,
             gboolean    *finished)
{
  *finished = TRUE;
}

/* A summary after a page of @flow, in an assistant with a tall page before it, on a project
 * with encryption at rest on (@cmk) or off. */
static void
finish_open (Finish     *finish,
             KlFlowKind  flow,
             gboolean    cmk)
{
  g_autoptr(KlProject) group = NULL;
  GtkWidget *box, *header;

  finish->project = kl_test_project_new (0);
  if (cmk)
    kl_test_project_enable_cmk (finish->project, GROUP, TRUE);
  group = get_project (finish->project);
  finish->session = kl_session_new ();
  kl_session_set_client (finish->session, finish->project->client);
  kl_session_set_project (finish->session, group);

  finish->flow = kl_flow_new ();
  kl_flow_set_current (finish->flow, flow);

  finish->assistant = kl_assistant_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (finish->assistant), TRUE);
  finish->before = kl_test_prepare_page (kl_prepare_review_page, finish->session, NULL, NULL);
  finish->done = KL_DONE_PAGE (kl_test_prepare_page (kl_prepare_done_page, finish->session,
                                                     NULL, NULL));
  kl_context_set_flow (kl_page_get_context (KL_PAGE (finish->done)), finish->flow);
  kl_assistant_add_page (finish->assistant, finish->before);
  kl_assistant_add_page (finish->assistant, KL_PAGE (finish->done));
  g_signal_connect (finish->assistant, "finished", G_CALLBACK (finished_cb), &finish->finished);

  header = adw_header_bar_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (finish->assistant));
  finish->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_object_ref_sink (finish->window);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (finish->window), box);
  /* Short: the summary scrolls. */
  gtk_window_set_default_size (finish->window, 720, 480);
  g_assert_true (kl_test_window_show (finish->window));
}

static void
finish_show (Finish *finish)
{
  g_assert_true (kl_assistant_set_current_page (finish->assistant, KL_PAGE_DONE));
  g_assert_true (kl_test_wait_until (done_loaded, finish->done, TIMEOUT_MS));
  wait_for_slide (KL_PAGE (finish->done));
}

static gboolean
done_unreferenced (gpointer user_data)
{
  return G_OBJECT (user_data)->ref_count == 1;
}

static void
finish_close (Finish *finish)
{
  g_object_ref (finish->done);
  gtk_window_destroy (finish->window);
  g_assert_finalize_object (finish->window);
  g_assert_true (kl_test_wait_until (done_unreferenced, finish->done, TIMEOUT_MS));
  g_assert_finalize_object (finish->done);
  g_clear_object (&finish->session);
  g_clear_object (&finish->flow);
  kl_test_project_free (finish->project);
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, data);
}

static GtkWidget *
next_button (KlAssistant *assistant)
{
  return kl_test_find (GTK_WIDGET (assistant), FALSE, has_class, "suggested-action");
}

static void
test_done_finish (void)
{
  Finish finish = { NULL };
  GtkWidget *scrolled, *next, *close, *window;
  guint tabs;

  finish_open (&finish, KL_FLOW_SETUP, TRUE);
  window = GTK_WIDGET (finish.window);

  /* Scrolled down on the page before, as a long page leaves it. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (finish.done), GTK_TYPE_SCROLLED_WINDOW);
  finish_show (&finish);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 400);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled))), >, 0);
  kl_assistant_back (finish.assistant);
  finish_show (&finish);

  /* At the top, with its two actions: Back to Project (the primary one, in the bar, with the
   * first focus) and Close. */
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled))), ==, 0);
  next = next_button (finish.assistant);
  g_assert_nonnull (next);
  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_cmpstr (button_label (next), ==, "Back to _Project");
  g_assert_true (focus_of (next) == next);
  close = kl_test_find_by_label (GTK_WIDGET (finish.done), "_Close");
  g_assert_true (GTK_IS_BUTTON (close));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (close)), ==, "window.close");

  /* F1 opens the summary's own topic (data/help/C/summary.page), not the clusters'. */
  g_assert_cmpstr (kl_page_get_help_id (KL_PAGE (finish.done)), ==, "summary");

  /* The values and the advice are no tab stops. */
  tabs = tabs_to_reach (window, GTK_WIDGET (finish.done), next);
  g_assert_cmpuint (tabs, <=, 5);

  /* Back to Project ends the flow: the window goes to the Project page. */
  g_assert_false (finish.finished);
  kl_assistant_next (finish.assistant);
  g_assert_true (finish.finished);

  finish_close (&finish);
}

static void
test_done_rotated (void)
{
  Finish finish = { NULL };

  finish_open (&finish, KL_FLOW_ROTATE, TRUE);
  finish_show (&finish);
  g_assert_cmpstr (kl_page_get_title (KL_PAGE (finish.done)), ==, "Key Rotated");
  g_assert_nonnull (kl_test_find (GTK_WIDGET (finish.done), TRUE, label_contains,
                                  "The key was rotated"));
  finish_close (&finish);
}

static void
test_done_turned_off (void)
{
  Finish finish = { NULL };

  finish_open (&finish, KL_FLOW_TEARDOWN, FALSE);
  finish_show (&finish);
  g_assert_cmpstr (kl_page_get_title (KL_PAGE (finish.done)), ==, "Encryption Turned Off");
  g_assert_nonnull (kl_test_find (GTK_WIDGET (finish.done), TRUE, label_contains,
                                  "was turned off"));
  g_assert_null (kl_test_find (GTK_WIDGET (finish.done), TRUE, label_contains, "not set up yet"));
  finish_close (&finish);
}

/* ---- 11 and 17: validation on the page, accessible names ---- */

static gboolean
caption_shown (gpointer user_data)
{
  return kl_test_caption_text (ADW_ENTRY_ROW (user_data)) != NULL;
}

static gboolean
is_peek (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) ||
         (GTK_IS_IMAGE (widget) && gtk_image_get_icon_name (GTK_IMAGE (widget)) != NULL &&
          g_str_has_prefix (gtk_image_get_icon_name (GTK_IMAGE (widget)), "view-"));
}

static void
test_azure_app_pastes (Fixture       *fixture,
                       gconstpointer  user_data)
{
  KlPage *page;
  AdwEntryRow *tenant, *client, *secret;
  GtkWidget *peek, *fix;

  g_assert_true (kl_assistant_set_current_page (fixture->assistant, "azure-app"));
  page = kl_assistant_get_current_page (fixture->assistant);
  tenant = kl_test_find_entry (page, "Directory (Tenant) ID");
  client = kl_test_find_entry (page, "Application (Client) ID");
  secret = kl_test_find_entry (page, "Client Secret Value");

  /* The show-text toggle is there to be named (kl_page_name_password_peek () is critical
   * otherwise: fatal here). Its name is not read back: GTK 4.8 under GTK_A11Y=none gives this
   * image no AT context to ask. */
  peek = kl_test_find (GTK_WIDGET (secret), FALSE, is_peek, NULL);
  g_assert_nonnull (peek);

  /* {GUID}: one click away from the GUID. */
  kl_test_type_text (tenant, "{" KL_TEST_TENANT_ID "}");
  g_assert_true (kl_test_wait_until (caption_shown, tenant, TIMEOUT_MS));
  fix = kl_test_find_by_label (gtk_widget_get_next_sibling (GTK_WIDGET (tenant)), "_Fix");
  g_assert_true (GTK_IS_BUTTON (fix));
  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==, KL_TEST_TENANT_ID);

  /* The tenant ID again as the client ID: flagged. */
  kl_test_type_text (client, KL_TEST_TENANT_ID);
  g_assert_true (kl_test_wait_until (caption_shown, client, TIMEOUT_MS));
  g_assert_nonnull (strstr (kl_test_caption_text (client), "tenant"));
  g_assert_false (kl_page_get_complete (page));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kl_test_widget_init (&argc, &argv);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ux/contrast/review", test_contrast_review);
  g_test_add_func ("/ux/contrast/private-networking", test_contrast_private_networking);
  g_test_add ("/ux/keyboard/review", Fixture, NULL, fixture_set_up, test_review_keyboard,
              fixture_tear_down);
  g_test_add ("/ux/keyboard/shortcuts", Fixture, NULL, fixture_set_up, test_shortcuts,
              fixture_tear_down);
  g_test_add ("/ux/step-counter", Fixture, NULL, fixture_set_up, test_step_counter,
              fixture_tear_down);
  g_test_add_func ("/ux/done/finish", test_done_finish);
  g_test_add_func ("/ux/done/rotated", test_done_rotated);
  g_test_add_func ("/ux/done/turned-off", test_done_turned_off);
  g_test_add ("/ux/azure-app/pastes", Fixture, NULL, fixture_set_up, test_azure_app_pastes,
              fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
