/* test-assistant.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-page.h"
#include "kl-window.h"
#include "kl-test-widget.h"

/* The page contract of KlAssistant, with small pages defined here: a plain page with one
 * entry, and one whose apply succeeds, fails or waits until it is cancelled. */

#define TIMEOUT_MS 5000

/* ---- A page with an entry ------------------------------------------------------------ */

#define TEST_TYPE_PAGE (test_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestPage, test_page, TEST, PAGE, KlPage)

struct _TestPageClass
{
  KlPageClass parent_class;
};

typedef struct
{
  GtkWidget *entry;
  guint      shown_count;
  guint      leave_count;
} TestPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TestPage, test_page, KL_TYPE_PAGE)

static void
test_page_entry_activate (GtkEntry *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (entry), "assistant.next", NULL);
}

static void
test_page_read_only_changed (TestPage *self)
{
  TestPagePrivate *priv = test_page_get_instance_private (self);

  gtk_editable_set_editable (GTK_EDITABLE (priv->entry), !kl_page_get_read_only (KL_PAGE (self)));
}

static void
test_page_shown (KlPage *page)
{
  TestPagePrivate *priv = test_page_get_instance_private (TEST_PAGE (page));

  priv->shown_count++;
  gtk_widget_grab_focus (priv->entry);
}

static void
test_page_leave (KlPage *page)
{
  TestPagePrivate *priv = test_page_get_instance_private (TEST_PAGE (page));

  priv->leave_count++;
}

static void
test_page_class_init (TestPageClass *klass)
{
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  page_class->shown = test_page_shown;
  page_class->leave = test_page_leave;
}

static void
test_page_init (TestPage *self)
{
  TestPagePrivate *priv = test_page_get_instance_private (self);

  priv->entry = gtk_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Answer",
                                  -1);
  g_signal_connect (priv->entry, "activate", G_CALLBACK (test_page_entry_activate), NULL);
  g_signal_connect (self, "notify::read-only", G_CALLBACK (test_page_read_only_changed), NULL);
  adw_bin_set_child (ADW_BIN (self), priv->entry);
}

static KlPage *
test_page_new (const char *page_id)
{
  return g_object_new (TEST_TYPE_PAGE,
                       "page-id", page_id,
                       "title", page_id,
                       NULL);
}

static GtkEntry *
test_page_get_entry (KlPage *page)
{
  TestPagePrivate *priv = test_page_get_instance_private (TEST_PAGE (page));

  return GTK_ENTRY (priv->entry);
}

/* ---- A page with an apply ------------------------------------------------------------ */

typedef enum
{
  APPLY_SUCCEED,
  APPLY_FAIL,
  APPLY_WAIT_FOR_CANCEL,
} ApplyMode;

#define APPLY_ERROR_MESSAGE "The vault refused the key. Give the app the Key Vault Crypto User role."

#define TEST_TYPE_APPLY_PAGE (test_apply_page_get_type ())
G_DECLARE_FINAL_TYPE (TestApplyPage, test_apply_page, TEST, APPLY_PAGE, TestPage)

struct _TestApplyPage
{
  TestPage      parent_instance;

  ApplyMode     mode;
  guint         apply_count;
  GTask        *pending;          /* APPLY_WAIT_FOR_CANCEL */
  gulong        cancelled_id;
  guint         idle_id;
};

G_DEFINE_FINAL_TYPE (TestApplyPage, test_apply_page, TEST_TYPE_PAGE)

static gboolean
test_apply_page_return_cb (gpointer user_data)
{
  TestApplyPage *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  self->idle_id = 0;
  g_clear_signal_handler (&self->cancelled_id, g_task_get_cancellable (task));

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (self->mode == APPLY_FAIL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, APPLY_ERROR_MESSAGE);
  else
    g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

/* Runs inside the cancellable's emission: return from an idle. */
static void
test_apply_page_cancelled_cb (GCancellable  *cancellable,
                              TestApplyPage *self)
{
  if (self->idle_id == 0)
    self->idle_id = g_idle_add (test_apply_page_return_cb, self);
}

static void
test_apply_page_apply_async (KlPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TestApplyPage *self = TEST_APPLY_PAGE (page);

  g_assert_null (self->pending);
  g_assert_true (G_IS_CANCELLABLE (cancellable));

  self->apply_count++;
  self->pending = g_task_new (page, cancellable, callback, user_data);

  if (self->mode == APPLY_WAIT_FOR_CANCEL)
    self->cancelled_id = g_signal_connect (cancellable, "cancelled",
                                           G_CALLBACK (test_apply_page_cancelled_cb), self);
  else
    self->idle_id = g_idle_add (test_apply_page_return_cb, self);
}

static void
test_apply_page_class_init (TestApplyPageClass *klass)
{
  KL_PAGE_CLASS (klass)->apply_async = test_apply_page_apply_async;
}

static void
test_apply_page_init (TestApplyPage *self)
{
}

static KlPage *
test_apply_page_new (const char *page_id,
                     ApplyMode   mode)
{
  TestApplyPage *self = g_object_new (TEST_TYPE_APPLY_PAGE,
                                      "page-id", page_id,
                                      "title", page_id,
                                      NULL);

  self->mode = mode;
  return KL_PAGE (self);
}

/* ---- Helpers ------------------------------------------------------------------------- */

typedef struct
{
  GtkWindow   *window;
  KlAssistant *assistant;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 720, 560);
  fixture->assistant = kl_assistant_new ();
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->assistant));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
}

static void
show (Fixture *fixture)
{
  g_assert_true (kl_test_window_show (fixture->window));
}

static GtkWidget *
find_button (KlAssistant *assistant,
             const char  *label)
{
  GtkWidget *button = kl_test_find_by_label (GTK_WIDGET (assistant), label);

  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

static gboolean
next_sensitive (KlAssistant *assistant)
{
  return gtk_widget_is_sensitive (find_button (assistant, "_Next"));
}

static gboolean
back_usable (KlAssistant *assistant)
{
  GtkWidget *back = find_button (assistant, "_Back");

  return gtk_widget_get_visible (back) && gtk_widget_is_sensitive (back);
}

static const char *
current_id (KlAssistant *assistant)
{
  return kl_page_get_page_id (kl_assistant_get_current_page (assistant));
}

static gboolean
step_label_is (KlAssistant *assistant,
               const char  *text)
{
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (assistant), text);

  return label != NULL && gtk_widget_get_visible (label);
}

static gboolean
page_not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

static gboolean
page_has_error (gpointer user_data)
{
  return kl_page_get_error (KL_PAGE (user_data)) != NULL;
}

/* Activates the assistant's keyboard shortcut for @trigger ("<Alt>Left"), as a key press
 * would: the same GtkShortcut, looked up by its trigger. */
static gboolean
activate_shortcut (GtkWidget  *widget,
                   const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *str = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (str, trigger) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

/* ---- Tests --------------------------------------------------------------------------- */

static void
test_next_needs_complete (Fixture       *fixture,
                          gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *first = test_page_new ("first");
  KlPage *second = test_page_new ("second");
  TestPagePrivate *first_priv = test_page_get_instance_private (TEST_PAGE (first));

  kl_assistant_add_page (assistant, first);
  kl_assistant_add_page (assistant, second);
  kl_assistant_add_page (assistant, test_page_new ("third"));
  show (fixture);

  g_assert_cmpstr (current_id (assistant), ==, "first");
  g_assert_cmpstr (kl_assistant_get_title (assistant), ==, "first");
  g_assert_true (step_label_is (assistant, "Step 1 of 3"));
  g_assert_cmpuint (first_priv->shown_count, ==, 1);

  /* Not complete: Next is insensitive and does nothing. */
  g_assert_false (next_sensitive (assistant));
  g_assert_false (gtk_widget_get_visible (find_button (assistant, "_Back")));
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "first");

  kl_page_set_complete (first, TRUE);
  g_assert_true (next_sensitive (assistant));
  kl_page_set_complete (first, FALSE);
  g_assert_false (next_sensitive (assistant));
  kl_page_set_complete (first, TRUE);

  g_signal_emit_by_name (find_button (assistant, "_Next"), "clicked");
  g_assert_cmpstr (current_id (assistant), ==, "second");
  g_assert_cmpstr (kl_assistant_get_title (assistant), ==, "second");
  g_assert_true (step_label_is (assistant, "Step 2 of 3"));
  g_assert_cmpuint (first_priv->leave_count, ==, 1);
  g_assert_false (next_sensitive (assistant));
  g_assert_true (back_usable (assistant));

  /* The last page has no apply and nothing after it: no Next at all. */
  kl_page_set_complete (second, TRUE);
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "third");
  kl_page_set_complete (kl_assistant_get_current_page (assistant), TRUE);
  g_assert_false (gtk_widget_get_visible (find_button (assistant, "_Next")));
}

static void
test_hidden_pages_skipped (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *a = test_page_new ("a");
  KlPage *b = test_page_new ("b");
  KlPage *c = test_page_new ("c");

  kl_page_set_hidden (b, TRUE);
  kl_page_set_complete (a, TRUE);
  kl_page_set_complete (b, TRUE);
  kl_assistant_add_page (assistant, a);
  kl_assistant_add_page (assistant, b);
  kl_assistant_add_page (assistant, c);
  show (fixture);

  g_assert_true (step_label_is (assistant, "Step 1 of 2"));

  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "c");
  g_assert_true (step_label_is (assistant, "Step 2 of 2"));

  kl_assistant_back (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "a");

  /* A hidden page cannot be jumped to either. */
  g_assert_false (kl_assistant_set_current_page (assistant, "b"));
  g_assert_cmpstr (current_id (assistant), ==, "a");

  /* Shown again, it is part of the flow. */
  kl_page_set_hidden (b, FALSE);
  g_assert_true (step_label_is (assistant, "Step 1 of 3"));
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "b");

  /* Hiding the page before the current one: Back skips it. */
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "c");
  kl_page_set_hidden (b, TRUE);
  g_assert_true (step_label_is (assistant, "Step 2 of 2"));
  kl_assistant_back (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "a");
}

/* Pages added lazily: created when shown or asked for, and the rest after the first frame. */

typedef struct
{
  KlAssistant *assistant;
  GPtrArray   *created;   /* page ids, in the order created */
  gboolean     found;     /* kl_assistant_get_page() had the page in page-created */
} LazyState;

static KlPage *
lazy_create_cb (KlAssistant *assistant,
                const char  *page_id,
                gpointer     user_data)
{
  LazyState *state = user_data;

  g_ptr_array_add (state->created, g_strdup (page_id));
  return test_page_new (page_id);
}

static void
lazy_page_created_cb (KlAssistant *assistant,
                      KlPage      *page,
                      LazyState   *state)
{
  state->found = kl_assistant_peek_page (assistant, kl_page_get_page_id (page)) == page &&
                 kl_assistant_get_page (assistant, kl_page_get_page_id (page)) == page;
}

static gboolean
all_created (gpointer user_data)
{
  LazyState *state = user_data;

  return state->created->len == 4;
}

static void
test_lazy_pages (Fixture       *fixture,
                 gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  LazyState state = { assistant, g_ptr_array_new_with_free_func (g_free), FALSE };

  g_signal_connect (assistant, "page-created", G_CALLBACK (lazy_page_created_cb), &state);
  kl_assistant_add_lazy_page (assistant, "a", FALSE, lazy_create_cb, &state);
  kl_assistant_add_lazy_page (assistant, "b", TRUE, lazy_create_cb, &state);
  kl_assistant_add_lazy_page (assistant, "c", FALSE, lazy_create_cb, &state);
  kl_assistant_add_lazy_page (assistant, "d", FALSE, lazy_create_cb, &state);

  /* The first is the current page, so it exists; the others do not, yet they count. */
  g_assert_cmpuint (state.created->len, ==, 1);
  g_assert_cmpstr (current_id (assistant), ==, "a");
  g_assert_true (kl_assistant_has_page (assistant, "c"));
  g_assert_false (kl_assistant_has_page (assistant, "x"));
  g_assert_null (kl_assistant_peek_page (assistant, "c"));
  g_assert_null (kl_assistant_get_page (assistant, "x"));
  g_assert_true (step_label_is (assistant, "Step 1 of 3"));

  /* Next creates the next visible page; the hidden one is skipped and stays uncreated. */
  kl_page_set_complete (kl_assistant_get_current_page (assistant), TRUE);
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "c");
  g_assert_cmpuint (state.created->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (state.created, 1), ==, "c");
  g_assert_true (state.found);
  g_assert_null (kl_assistant_peek_page (assistant, "b"));
  g_assert_false (kl_assistant_set_current_page (assistant, "b"));

  /* Shown while not created: it counts, and Back creates it with that state. */
  kl_assistant_set_page_hidden (assistant, "b", FALSE);
  g_assert_true (step_label_is (assistant, "Step 3 of 4"));
  kl_assistant_back (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "b");
  g_assert_false (kl_page_get_hidden (kl_assistant_get_current_page (assistant)));
  g_assert_true (back_usable (assistant));

  /* Once created, hidden goes to the page itself. */
  kl_assistant_set_page_hidden (assistant, "c", TRUE);
  g_assert_true (kl_page_get_hidden (kl_assistant_peek_page (assistant, "c")));
  kl_assistant_set_page_hidden (assistant, "c", FALSE);

  /* After the first frame, the rest are created on idle. */
  g_assert_cmpuint (state.created->len, ==, 3);
  show (fixture);
  g_assert_true (kl_test_wait_until (all_created, &state, TIMEOUT_MS));
  g_assert_cmpstr (g_ptr_array_index (state.created, 3), ==, "d");
  g_assert_cmpstr (current_id (assistant), ==, "b");

  g_signal_handlers_disconnect_by_data (assistant, &state);
  g_ptr_array_unref (state.created);
}

/* A page created as Next shows it, in a window on screen, takes the focus as any page does. */
static void
test_lazy_page_focus (Fixture       *fixture,
                      gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  LazyState state = { assistant, g_ptr_array_new_with_free_func (g_free), FALSE };
  GtkWidget *focus;
  KlPage *b;

  kl_assistant_add_lazy_page (assistant, "a", FALSE, lazy_create_cb, &state);
  show (fixture);
  /* Added after the first frame: nothing creates it before Next. */
  kl_assistant_add_lazy_page (assistant, "b", FALSE, lazy_create_cb, &state);
  g_assert_null (kl_assistant_peek_page (assistant, "b"));

  kl_page_set_complete (kl_assistant_get_current_page (assistant), TRUE);
  kl_assistant_next (assistant);
  b = kl_assistant_get_current_page (assistant);
  g_assert_cmpstr (kl_page_get_page_id (b), ==, "b");
  g_assert_cmpuint (state.created->len, ==, 2);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (b)));
  focus = gtk_window_get_focus (fixture->window);
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (test_page_get_entry (b))));
  g_assert_true (back_usable (assistant));

  g_ptr_array_unref (state.created);
}

static void
test_back_keeps_input (Fixture       *fixture,
                       gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *first = test_page_new ("first");
  KlPage *second = test_page_new ("second");
  GtkEntry *entry = test_page_get_entry (first);
  GtkEntry *second_entry = test_page_get_entry (second);

  kl_assistant_add_page (assistant, first);
  kl_assistant_add_page (assistant, second);
  show (fixture);

  gtk_editable_set_text (GTK_EDITABLE (entry), "my-answer");
  kl_page_set_complete (first, TRUE);
  kl_assistant_next (assistant);
  gtk_editable_set_text (GTK_EDITABLE (second_entry), "second answer");

  /* Alt+Left is Back. */
  g_assert_true (activate_shortcut (GTK_WIDGET (assistant), "<Alt>Left"));
  g_assert_cmpstr (current_id (assistant), ==, "first");
  g_assert_true (kl_assistant_get_current_page (assistant) == first);
  g_assert_true (test_page_get_entry (first) == entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "my-answer");

  /* And forward again: the second page kept its input too. */
  kl_assistant_next (assistant);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (second_entry)), ==, "second answer");
}

static void
test_enter_is_next_when_complete (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *first = test_page_new ("first");
  GtkEntry *entry = test_page_get_entry (first);

  kl_assistant_add_page (assistant, first);
  kl_assistant_add_page (assistant, test_page_new ("second"));
  show (fixture);

  /* Enter in an incomplete page does nothing. */
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (current_id (assistant), ==, "first");

  kl_page_set_complete (first, TRUE);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (current_id (assistant), ==, "second");
}

static void
test_apply_success_advances (Fixture       *fixture,
                             gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *page = test_apply_page_new ("apply", APPLY_SUCCEED);
  TestApplyPage *apply_page = TEST_APPLY_PAGE (page);
  gboolean finished = FALSE;

  kl_assistant_add_page (assistant, page);
  kl_assistant_add_page (assistant, test_page_new ("after"));
  show (fixture);

  kl_page_set_complete (page, TRUE);
  kl_assistant_next (assistant);
  g_assert_true (kl_page_get_applying (page));
  /* While it applies: the page stays, Next and Back are off. */
  g_assert_cmpstr (current_id (assistant), ==, "apply");
  g_assert_false (next_sensitive (assistant));

  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));
  g_assert_cmpstr (current_id (assistant), ==, "after");
  g_assert_cmpuint (apply_page->apply_count, ==, 1);
  g_assert_false (kl_page_get_needs_apply (page));

  /* Back and Next again: nothing changed, so no second apply. */
  kl_assistant_back (assistant);
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "after");
  g_assert_cmpuint (apply_page->apply_count, ==, 1);

  /* A changed answer applies again. */
  kl_assistant_back (assistant);
  kl_page_input_changed (page);
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));
  g_assert_cmpuint (apply_page->apply_count, ==, 2);
  g_assert_cmpstr (current_id (assistant), ==, "after");

  /* An apply on the last page finishes the assistant. */
  g_signal_connect_swapped (assistant, "finished", G_CALLBACK (set_flag), &finished);
  kl_assistant_back (assistant);
  g_assert_true (kl_assistant_set_current_page (assistant, "apply"));
  kl_page_set_hidden (kl_assistant_get_page (assistant, "after"), TRUE);
  kl_page_input_changed (page);
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));
  g_assert_true (finished);
  g_assert_cmpstr (current_id (assistant), ==, "apply");
}

static void
test_apply_failure_stays (Fixture       *fixture,
                          gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *page = test_apply_page_new ("apply", APPLY_FAIL);
  g_autofree char *shot = NULL;
  GtkWidget *label, *revealer;

  kl_assistant_add_page (assistant, test_page_new ("before"));
  kl_assistant_add_page (assistant, page);
  kl_assistant_add_page (assistant, test_page_new ("after"));
  kl_page_set_complete (kl_assistant_get_page (assistant, "before"), TRUE);
  show (fixture);
  kl_assistant_next (assistant);

  kl_page_set_complete (page, TRUE);
  kl_assistant_next (assistant);
  g_assert_false (back_usable (assistant));
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));

  /* Still here, with the message on the page itself. */
  g_assert_cmpstr (current_id (assistant), ==, "apply");
  g_assert_cmpstr (kl_page_get_error (page), ==, APPLY_ERROR_MESSAGE);
  label = kl_test_find_by_label (GTK_WIDGET (assistant), APPLY_ERROR_MESSAGE);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_ancestor (label, gtk_stack_get_visible_child (
    GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_STACK)))));
  revealer = gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_null (kl_test_find_by_type (GTK_WIDGET (fixture->window), GTK_TYPE_DIALOG));

  /* The user can go back or try again. */
  g_assert_true (back_usable (assistant));
  g_assert_true (next_sensitive (assistant));

  g_assert_true (kl_test_window_show (fixture->window));
  shot = kl_test_save_screenshot (GTK_WIDGET (fixture->window), "assistant-apply-error");

  /* Trying again clears the old message while it runs; editing clears it too. */
  kl_assistant_next (assistant);
  g_assert_null (kl_page_get_error (page));
  g_assert_true (kl_test_wait_until (page_has_error, page, TIMEOUT_MS));
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));
  kl_page_input_changed (page);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
}

static void
test_apply_cancel (Fixture       *fixture,
                   gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *page = test_apply_page_new ("apply", APPLY_WAIT_FOR_CANCEL);
  g_autofree char *shot = NULL;
  GtkWidget *cancel, *spinner;

  kl_assistant_add_page (assistant, test_page_new ("before"));
  kl_assistant_add_page (assistant, page);
  kl_assistant_add_page (assistant, test_page_new ("after"));
  kl_page_set_complete (kl_assistant_get_page (assistant, "before"), TRUE);
  show (fixture);
  kl_assistant_next (assistant);

  cancel = find_button (assistant, "_Cancel");
  spinner = kl_test_find_by_type (GTK_WIDGET (assistant), GTK_TYPE_SPINNER);
  g_assert_false (gtk_widget_get_mapped (cancel));

  kl_page_set_complete (page, TRUE);
  kl_assistant_next (assistant);
  g_assert_true (kl_page_get_applying (page));

  /* Applying: a spinner and Cancel; no Back, no Next, Enter does nothing. */
  g_assert_true (gtk_widget_get_child_visible (gtk_widget_get_parent (cancel)));
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_false (back_usable (assistant));
  g_assert_false (next_sensitive (assistant));
  kl_assistant_back (assistant);
  g_signal_emit_by_name (test_page_get_entry (page), "activate");
  g_assert_cmpstr (current_id (assistant), ==, "apply");
  g_assert_cmpuint (TEST_APPLY_PAGE (page)->apply_count, ==, 1);
  g_assert_true (kl_test_window_show (fixture->window));
  shot = kl_test_save_screenshot (GTK_WIDGET (fixture->window), "assistant-applying");

  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));

  /* Cancelled: silently back to the page as it was. */
  g_assert_cmpstr (current_id (assistant), ==, "apply");
  g_assert_null (kl_page_get_error (page));
  g_assert_true (kl_page_get_needs_apply (page));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_true (next_sensitive (assistant));
  g_assert_true (back_usable (assistant));
}

static void
test_jump_and_read_only (Fixture       *fixture,
                         gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *first = test_page_new ("first");
  KlPage *third = test_page_new ("third");

  kl_assistant_add_page (assistant, first);
  kl_assistant_add_page (assistant, test_page_new ("second"));
  kl_assistant_add_page (assistant, third);
  show (fixture);

  /* Resume: earlier answers shown read-only, straight to the page where the user left. */
  gtk_editable_set_text (GTK_EDITABLE (test_page_get_entry (first)), "earlier answer");
  kl_page_set_read_only (first, TRUE);
  kl_page_set_complete (first, TRUE);
  g_assert_true (kl_assistant_set_current_page (assistant, "third"));
  g_assert_cmpstr (current_id (assistant), ==, "third");
  g_assert_true (step_label_is (assistant, "Step 3 of 3"));
  g_assert_false (kl_assistant_set_current_page (assistant, "nowhere"));

  /* The page action does the same (an "Edit" button on a summary). */
  gtk_widget_activate_action (GTK_WIDGET (third), "assistant.show-page", "s", "first");
  g_assert_cmpstr (current_id (assistant), ==, "first");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (test_page_get_entry (first))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (test_page_get_entry (first))), ==,
                   "earlier answer");
}

/* Screen readers hear the buttons as they read: “Next”, not “_Next Next”, also after a page
 * renames Next. */
static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *first = test_page_new ("first");
  KlPage *second = test_page_new ("second");

  kl_assistant_add_page (assistant, first);
  kl_assistant_add_page (assistant, second);
  show (fixture);

  kl_test_assert_named_by_text (find_button (assistant, "_Next"), "Next");
  kl_test_assert_named_by_text (find_button (assistant, "_Back"), "Back");
  kl_test_assert_named_by_text (find_button (assistant, "_Cancel"), "Cancel");

  kl_page_set_next_label (first, "_Enable");
  kl_test_assert_named_by_text (find_button (assistant, "_Enable"), "Enable");

  kl_page_set_complete (first, TRUE);
  kl_assistant_next (assistant);
  g_assert_cmpstr (current_id (assistant), ==, "second");
  kl_test_assert_named_by_text (find_button (assistant, "_Next"), "Next");
  kl_test_assert_named_by_text (find_button (assistant, "_Back"), "Back");
}

/* Closing the window cancels the apply in flight, through the window's cancellable. */
static void
test_window_close_cancels_apply (void)
{
  g_autoptr(KlApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  KlPage *page;
  KlAssistant *assistant;
  KlWindow *window;
  GCancellable *cancellable;

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = kl_window_new (app);
  g_object_ref_sink (window);
  assistant = kl_window_get_assistant (window);
  g_assert_true (kl_assistant_get_cancellable (assistant) == kl_window_get_cancellable (window));

  page = test_apply_page_new ("slow", APPLY_WAIT_FOR_CANCEL);
  g_object_ref (page);
  kl_assistant_add_page (assistant, page);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));
  g_assert_true (kl_assistant_set_current_page (assistant, "slow"));
  kl_page_set_complete (page, TRUE);
  kl_assistant_next (assistant);
  g_assert_true (kl_page_get_applying (page));

  cancellable = g_object_ref (kl_window_get_cancellable (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_true (kl_test_wait_until (page_not_applying, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  g_object_unref (cancellable);

  g_assert_finalize_object (window);
  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  /* Accessible properties are checked through GTK's test backend. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/assistant/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("next-needs-complete", test_next_needs_complete);
  ADD ("hidden-pages-skipped", test_hidden_pages_skipped);
  ADD ("lazy-pages", test_lazy_pages);
  ADD ("lazy-page-focus", test_lazy_page_focus);
  ADD ("back-keeps-input", test_back_keeps_input);
  ADD ("enter-is-next-when-complete", test_enter_is_next_when_complete);
  ADD ("apply-success-advances", test_apply_success_advances);
  ADD ("apply-failure-stays", test_apply_failure_stays);
  ADD ("apply-cancel", test_apply_cancel);
  ADD ("jump-and-read-only", test_jump_and_read_only);
  ADD ("accessible-names", test_accessible_names);
  g_test_add_func ("/assistant/window-close-cancels-apply", test_window_close_cancels_apply);

#undef ADD

  return g_test_run ();
}
