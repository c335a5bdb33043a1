/* kl-assistant.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-assistant.h"
#include "pages/kl-page-util.h"

/* Navigation between KlPages (GNOME Initial Setup's GisAssistant): a GtkStack holds every
 * page, kept alive so Back never loses input; hidden pages are skipped both ways; Next runs
 * the page's apply and only moves on when it succeeds.
 *
 * A page may be added lazily, as a slot that knows its id and how to create it: it is
 * created when the flow first shows it, when someone asks for it (kl_assistant_get_page),
 * or on idle, one at a time, after the window's first frame. Until then the slot holds its
 * hidden state. Start-up builds and measures the first page only. */

#define NO_PAGE G_MAXUINT

typedef struct
{
  char                  *page_id;
  KlPage                *page;        /* NULL until created */
  KlAssistantCreateFunc  create;
  gpointer               user_data;
  gboolean               hidden;      /* until created; then the page's */
  gboolean               creating;    /* its create function is running */
} PageSlot;

struct _KlAssistant
{
  AdwBin         parent_instance;

  GPtrArray     *pages;               /* PageSlot, in order */
  guint          current;             /* index into pages, or NO_PAGE */

  GdkFrameClock *paint_clock;         /* while waiting for the first frame */
  gulong         paint_id;
  guint          create_idle_id;      /* creates the pages not shown yet */

  GCancellable  *cancellable;         /* the window's: cancelled when it closes */
  GCancellable  *apply_cancellable;   /* the running apply's, a child of cancellable */
  gulong         apply_cancelled_id;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack      *stack;
  GtkButton     *back_button;
  GtkButton     *next_button;
  GtkButton     *cancel_button;
  GtkStack      *status_stack;
  GtkLabel      *step_label;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (KlAssistant, kl_assistant, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CURRENT_PAGE,
  PROP_TITLE,
  PROP_CANCELLABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  PAGE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
page_slot_free (PageSlot *slot)
{
  g_free (slot->page_id);
  g_clear_object (&slot->page);
  g_free (slot);
}

static PageSlot *
slot_at (KlAssistant *self,
         guint        index)
{
  if (index >= self->pages->len)
    return NULL;

  return g_ptr_array_index (self->pages, index);
}

static guint
find_slot (KlAssistant *self,
           const char  *page_id)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (g_str_equal (slot_at (self, i)->page_id, page_id))
      return i;

  return NO_PAGE;
}

/* The page at @index, if it exists yet: never creates it. */
static KlPage *
page_at (KlAssistant *self,
         guint        index)
{
  PageSlot *slot = slot_at (self, index);

  return slot != NULL ? slot->page : NULL;
}

static gboolean
hidden_at (KlAssistant *self,
           guint        index)
{
  PageSlot *slot = slot_at (self, index);

  return slot->page != NULL ? kl_page_get_hidden (slot->page) : slot->hidden;
}

static KlPage *ensure_page_at (KlAssistant *self,
                               guint        index);

/* The nearest page in @direction (+1 or -1) from the current one that is not hidden. */
static guint
find_visible (KlAssistant *self,
              int          direction)
{
  guint i = self->current;

  if (self->current == NO_PAGE)
    return NO_PAGE;

  for (;;)
    {
      if (direction < 0 && i == 0)
        return NO_PAGE;
      i += direction;
      if (i >= self->pages->len)
        return NO_PAGE;
      if (!hidden_at (self, i))
        return i;
    }
}

/* Whether the page at @index counts in “Step N of M”. With the flow's page table (every
 * page's context has it), all the pages of the flow being walked count, hidden or not: the
 * ones hidden now (a saved step skipped, the demo's sign-in, a rotation page once left)
 * are known up front, so M stays the same for the whole flow and N only grows (never
 * “Step 1 of 10” then “2 of 9”). Without a flow, the visible pages. */
static gboolean
counts_as_step (KlAssistant *self,
                KlFlow      *flow,
                guint        index)
{
  const char *page_id = slot_at (self, index)->page_id;

  if (index == self->current)
    return TRUE;

  if (flow == NULL || !kl_flow_has_page (flow, page_id))
    return !hidden_at (self, index);

  return (kl_flow_get_page_flows (flow, page_id) & kl_flow_get_current (flow)) != 0;
}

static void
update_step_label (KlAssistant *self,
                   KlPage      *page)
{
  KlContext *context = kl_page_get_context (page);
  KlFlow *flow = context != NULL ? kl_context_get_flow (context) : NULL;
  guint step = 0, n_steps = 0;
  g_autofree char *steps = NULL;

  for (guint i = 0; i < self->pages->len; i++)
    {
      if (!counts_as_step (self, flow, i))
        continue;
      n_steps++;
      if (i == self->current)
        step = n_steps;
    }

  /* Translators: the assistant's progress, e.g. “Step 2 of 4” */
  steps = g_strdup_printf (_("Step %u of %u"), step, n_steps);
  gtk_label_set_label (self->step_label, steps);
}

/* A page that names its Next although no page follows it ends the flow with it (the
 * summary's “Back to Project”): Next emits #KlAssistant::finished. */
static gboolean
has_finish (KlPage *page)
{
  return kl_page_get_next_label (page) != NULL;
}

static void
update_navigation (KlAssistant *self)
{
  KlPage *page = page_at (self, self->current);
  gboolean applying, complete, has_next, has_prev;
  const char *next_label;

  if (page == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.show-page", FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
      return;
    }

  applying = kl_page_get_applying (page);
  complete = kl_page_get_complete (page);
  has_next = find_visible (self, +1) != NO_PAGE || kl_page_get_next_action (page) != NULL;
  has_prev = find_visible (self, -1) != NO_PAGE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 complete && !applying &&
                                 (has_next || kl_page_has_apply (page) || has_finish (page)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", has_prev && !applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel", applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.show-page", !applying);

  /* While a step applies, Cancel takes the room of Back (which could not be used anyway):
   * at 360 px, and in longer languages, the bar holds Back + Next or Cancel + Next. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), has_prev && !applying);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button),
                          has_next || kl_page_has_apply (page) || has_finish (page));

  next_label = kl_page_get_next_label (page);
  gtk_button_set_label (self->next_button, next_label != NULL ? next_label : _("_Next"));
  if (kl_page_get_next_destructive (page))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->next_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->next_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->next_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->next_button), "suggested-action");
    }

  update_step_label (self, page);

  kl_page_util_set_spinning (self->spinner, applying);
  gtk_stack_set_visible_child_name (self->status_stack, applying ? "applying" : "steps");
}

static void
clear_apply (KlAssistant *self)
{
  /* Not g_cancellable_disconnect(): this can run inside the parent's "cancelled" emission
   * (an apply that completes as soon as it is cancelled), where that would deadlock. */
  g_clear_signal_handler (&self->apply_cancelled_id, self->cancellable);
  g_clear_object (&self->apply_cancellable);
}

/* The first focus of a page (GNOME Initial Setup): its first field, when its shown()
 * focused one; else the primary action, Next, so that Enter does what the page is for
 * (Review: Enable, not an Edit button). */
static void
focus_default (KlAssistant *self)
{
  KlPage *page = page_at (self, self->current);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus;

  if (page == NULL || root == NULL)
    return;

  focus = gtk_root_get_focus (root);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
    return;

  if (gtk_widget_get_visible (GTK_WIDGET (self->next_button)) &&
      gtk_widget_is_sensitive (GTK_WIDGET (self->next_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

static void
switch_to (KlAssistant *self,
           guint        index)
{
  KlPage *old_page = page_at (self, self->current);
  guint old_index = self->current;
  KlPage *page = ensure_page_at (self, index);
  GtkStackTransitionType transition = GTK_STACK_TRANSITION_TYPE_NONE;

  g_assert (page != NULL);

  if (index == self->current)
    return;

  if (old_page != NULL)
    kl_page_leave (old_page);

  /* Pages created late sit at the end of the stack: the slide follows the flow's order. */
  if (old_index != NO_PAGE)
    transition = index > old_index ? GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT
                                   : GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT;

  /* The stack would carry the focus to the new page's first focusable widget (Review: an
   * Edit button): the page chooses, else Next takes it (focus_default ()). */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = gtk_root_get_focus (root);

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack)))
        gtk_root_set_focus (root, NULL);
    }

  self->current = index;
  gtk_stack_set_visible_child_full (self->stack, kl_page_get_page_id (page), transition);
  update_navigation (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);

  kl_page_shown (page);
  focus_default (self);
}

static void
go_forward (KlAssistant *self)
{
  guint next = find_visible (self, +1);

  if (next == NO_PAGE)
    g_signal_emit (self, signals[FINISHED], 0);
  else
    switch_to (self, next);
}

static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  GCancellable *child = user_data;

  g_cancellable_cancel (child);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KlAssistant) self = user_data;
  KlPage *page = KL_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = kl_page_apply_finish (page, result, &error);

  /* The window went away meanwhile: nothing left to update. */
  if (self->stack == NULL)
    return;

  clear_apply (self);
  update_navigation (self);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Page “%s” failed to apply: %s", kl_page_get_page_id (page), error->message);
          kl_page_set_error (page, error->message);
        }
      return;
    }

  kl_page_set_needs_apply (page, FALSE);

  if (page == page_at (self, self->current) && !KL_PAGE_GET_CLASS (page)->stays_after_apply)
    go_forward (self);
}

static void
kl_assistant_next_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  kl_assistant_next (KL_ASSISTANT (widget));
}

static void
kl_assistant_back_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  kl_assistant_back (KL_ASSISTANT (widget));
}

static void
kl_assistant_cancel_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  kl_assistant_cancel (KL_ASSISTANT (widget));
}

static void
kl_assistant_show_page_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  const char *page_id = g_variant_get_string (parameter, NULL);

  if (!kl_assistant_set_current_page (KL_ASSISTANT (widget), page_id))
    g_warning ("No page “%s” in the assistant", page_id);
}

static void
page_notify_cb (KlPage      *page,
                GParamSpec  *pspec,
                KlAssistant *self)
{
  gboolean is_current = page == page_at (self, self->current);

  if (g_strcmp0 (pspec->name, "title") == 0)
    {
      if (is_current)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  else if (g_strcmp0 (pspec->name, "hidden") == 0)
    {
      update_navigation (self);
    }
  else if (is_current &&
           (g_strcmp0 (pspec->name, "complete") == 0 ||
            g_strcmp0 (pspec->name, "applying") == 0 ||
            g_strcmp0 (pspec->name, "next-label") == 0 ||
            g_strcmp0 (pspec->name, "next-action") == 0 ||
            g_strcmp0 (pspec->name, "next-destructive") == 0))
    {
      update_navigation (self);
    }
}

static void
page_error_cb (KlPage     *page,
               GParamSpec *pspec,
               GtkWidget  *revealer)
{
  const char *error = kl_page_get_error (page);
  GtkWidget *box = gtk_revealer_get_child (GTK_REVEALER (revealer));
  GtkWidget *label = gtk_widget_get_last_child (box);

  /* Keep the old text while the revealer closes. */
  if (error != NULL)
    gtk_label_set_label (GTK_LABEL (label), error);
  gtk_revealer_set_reveal_child (GTK_REVEALER (revealer), error != NULL);
}

/* scrolled window > clamp > box [title, error, page]: every page gets the same frame,
 * scrolls on short windows and keeps a readable width on wide ones. */
static GtkWidget *
create_frame (KlPage *page)
{
  GtkWidget *scrolled, *viewport, *clamp, *box, *title, *revealer, *error_box, *icon;
  GtkWidget *error_label;

  title = g_object_new (GTK_TYPE_LABEL,
                        "wrap", TRUE,
                        "xalign", 0.0f,
                        "css-classes", (const char *[]) { "title-1", NULL },
                        "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                        NULL);
  g_object_bind_property (page, "title", title, "label", G_BINDING_SYNC_CREATE);

  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"),
                                  -1);
  error_label = g_object_new (GTK_TYPE_LABEL,
                              "wrap", TRUE,
                              "wrap-mode", PANGO_WRAP_WORD_CHAR,
                              "xalign", 0.0f,
                              "hexpand", TRUE,
                              NULL);
  error_box = g_object_new (GTK_TYPE_BOX,
                            "spacing", 12,
                            "margin-top", 18,
                            "css-classes", (const char *[]) { "kl-page-error", NULL },
                            NULL);
  gtk_box_append (GTK_BOX (error_box), icon);
  gtk_box_append (GTK_BOX (error_box), error_label);

  revealer = g_object_new (GTK_TYPE_REVEALER,
                           "transition-type", GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN,
                           "child", error_box,
                           NULL);
  g_signal_connect_object (page, "notify::error", G_CALLBACK (page_error_cb), revealer, 0);
  page_error_cb (page, NULL, revealer);

  gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (page), 18);

  /* No spacing: the closed revealer must not add any. */
  box = g_object_new (GTK_TYPE_BOX,
                      "orientation", GTK_ORIENTATION_VERTICAL,
                      "margin-top", 24,
                      "margin-bottom", 24,
                      "margin-start", 12,
                      "margin-end", 12,
                      NULL);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), revealer);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (page));

  /* No tightening below the maximum: libadwaita 1.2's clamp measures its child at the
   * maximum width but allocates it a tightened one, so every wrapping label of the page was
   * laid out at both widths before the first frame. The column is 600 px wide
   * from a 624 px window up, and follows the window below that. */
  clamp = g_object_new (ADW_TYPE_CLAMP,
                        "maximum-size", 600,
                        "tightening-threshold", 600,
                        "child", box,
                        NULL);

  scrolled = g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                           "hscrollbar-policy", GTK_POLICY_NEVER,
                           "child", clamp,
                           NULL);
  /* A page longer than the window scrolls at its natural height, not its minimum: a list
   * with a scroller of its own (the Project page's projects) keeps the height it asks for
   * instead of shrinking to a row. */
  viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  gtk_scrollable_set_vscroll_policy (GTK_SCROLLABLE (viewport), GTK_SCROLL_NATURAL);

  return scrolled;
}

/* Into the stack, and followed: for a page added as it is, or just created for its slot. */
static void
attach_page (KlAssistant *self,
             PageSlot    *slot,
             KlPage      *page)
{
  g_assert (slot->page == NULL);

  slot->page = g_object_ref_sink (page);
  gtk_stack_add_named (self->stack, create_frame (page), slot->page_id);
  g_signal_connect_object (page, "notify", G_CALLBACK (page_notify_cb), self, 0);
}

/* The page at @index, created now if it was not yet. */
static KlPage *
ensure_page_at (KlAssistant *self,
                guint        index)
{
  PageSlot *slot = slot_at (self, index);
  KlPage *page;

  if (slot == NULL || slot->page != NULL)
    return slot != NULL ? slot->page : NULL;

  /* A create function must not ask for its own page. */
  g_assert (!slot->creating);
  slot->creating = TRUE;
  page = slot->create (self, slot->page_id, slot->user_data);
  slot->creating = FALSE;

  g_assert (KL_IS_PAGE (page));
  g_assert (g_strcmp0 (kl_page_get_page_id (page), slot->page_id) == 0);
  g_debug ("Created page “%s”", slot->page_id);

  kl_page_set_hidden (page, slot->hidden);
  attach_page (self, slot, page);
  g_signal_emit (self, signals[PAGE_CREATED], 0, page);

  return page;
}

/* After the first frame: the pages not shown yet, one per idle, so that going on to one later
 * costs no more than showing it, and no single step holds the main loop for long. */
static gboolean
create_next_page_cb (gpointer user_data)
{
  KlAssistant *self = user_data;

  for (guint i = 0; i < self->pages->len; i++)
    {
      if (page_at (self, i) == NULL)
        {
          ensure_page_at (self, i);
          return G_SOURCE_CONTINUE;
        }
    }

  self->create_idle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
clear_paint_watch (KlAssistant *self)
{
  if (self->paint_clock != NULL)
    g_clear_signal_handler (&self->paint_id, self->paint_clock);
  g_clear_object (&self->paint_clock);
}

static void
after_paint_cb (GdkFrameClock *clock,
                KlAssistant   *self)
{
  clear_paint_watch (self);

  /* Off the flow: navigation builds the page it needs itself (ensure_page_at ()), so this
   * head start may wait for a quiet main loop, even forever while the window animates. */
  if (self->create_idle_id == 0)
    self->create_idle_id = g_idle_add_full (G_PRIORITY_LOW, create_next_page_cb, self, NULL);
}

static void
kl_assistant_map (GtkWidget *widget)
{
  KlAssistant *self = KL_ASSISTANT (widget);
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (kl_assistant_parent_class)->map (widget);

  /* The first page was shown before the window existed: its first focus now (else GTK
   * gives it to the first button of the header bar). */
  focus_default (self);

  clock = gtk_widget_get_frame_clock (widget);
  if (clock == NULL || self->paint_clock != NULL || self->create_idle_id != 0)
    return;

  self->paint_clock = g_object_ref (clock);
  self->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
}

static void
kl_assistant_unmap (GtkWidget *widget)
{
  clear_paint_watch (KL_ASSISTANT (widget));

  GTK_WIDGET_CLASS (kl_assistant_parent_class)->unmap (widget);
}

static void
kl_assistant_dispose (GObject *object)
{
  KlAssistant *self = KL_ASSISTANT (object);

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  clear_apply (self);
  clear_paint_watch (self);
  g_clear_handle_id (&self->create_idle_id, g_source_remove);

  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    if (page_at (self, i) != NULL)
      g_signal_handlers_disconnect_by_data (page_at (self, i), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_ASSISTANT);
  self->stack = NULL;

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  self->current = NO_PAGE;

  G_OBJECT_CLASS (kl_assistant_parent_class)->dispose (object);
}

static void
kl_assistant_finalize (GObject *object)
{
  KlAssistant *self = KL_ASSISTANT (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kl_assistant_parent_class)->finalize (object);
}

static void
kl_assistant_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KlAssistant *self = KL_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CURRENT_PAGE:
      g_value_set_object (value, kl_assistant_get_current_page (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, kl_assistant_get_title (self));
      break;

    case PROP_CANCELLABLE:
      g_value_set_object (value, kl_assistant_get_cancellable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_assistant_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KlAssistant *self = KL_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      kl_assistant_set_cancellable (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_assistant_class_init (KlAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_assistant_dispose;
  object_class->finalize = kl_assistant_finalize;
  object_class->get_property = kl_assistant_get_property;
  object_class->set_property = kl_assistant_set_property;

  widget_class->map = kl_assistant_map;
  widget_class->unmap = kl_assistant_unmap;

  properties[PROP_CURRENT_PAGE] =
    g_param_spec_object ("current-page", NULL, NULL,
                         KL_TYPE_PAGE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlAssistant:cancellable:
   * The parent of every apply's cancellable: the window's, cancelled when it closes.
   */
  properties[PROP_CANCELLABLE] =
    g_param_spec_object ("cancellable", NULL, NULL,
                         G_TYPE_CANCELLABLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlAssistant::finished:
   * The last page applied successfully (or Next was pressed on it).
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * KlAssistant::page-created:
   * @page: the page
   *
   * A page added with kl_assistant_add_lazy_page() was created and is in the assistant now
   * (kl_assistant_get_page() returns it): the place to give it state that would change others.
   */
  signals[PAGE_CREATED] =
    g_signal_new ("page-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KL_TYPE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kl-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, status_stack);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, step_label);
  gtk_widget_class_bind_template_child (widget_class, KlAssistant, spinner);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL,
                                   kl_assistant_next_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL,
                                   kl_assistant_back_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL,
                                   kl_assistant_cancel_action);
  gtk_widget_class_install_action (widget_class, "assistant.show-page", "s",
                                   kl_assistant_show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "assistant.cancel", NULL);
}

static void
add_shortcut (GtkEventController *controller,
              guint               keyval,
              GdkModifierType     modifiers,
              const char         *action_name)
{
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                                          gtk_named_action_new (action_name)));
}

/* Back and Next for the whole window (GNOME Initial Setup): wherever the focus is, also in
 * the header bar or nowhere (the summary has no field), not only inside the assistant. */
static void
add_window_shortcuts (KlAssistant *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "kl-assistant-navigation");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (controller, GDK_KEY_Left, GDK_ALT_MASK, "assistant.back");
  add_shortcut (controller, GDK_KEY_KP_Left, GDK_ALT_MASK, "assistant.back");
  add_shortcut (controller, GDK_KEY_Back, 0, "assistant.back");
  add_shortcut (controller, GDK_KEY_Right, GDK_ALT_MASK, "assistant.next");
  add_shortcut (controller, GDK_KEY_KP_Right, GDK_ALT_MASK, "assistant.next");
  add_shortcut (controller, GDK_KEY_Forward, 0, "assistant.next");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
kl_assistant_init (KlAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_window_shortcuts (self);

  /* “Next”, not “_Next Next”, also when a page renames it. */
  kl_a11y_name_button_by_text (self->back_button);
  kl_a11y_name_button_by_text (self->next_button);
  kl_a11y_name_button_by_text (self->cancel_button);

  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) page_slot_free);
  self->current = NO_PAGE;

  update_navigation (self);
}

KlAssistant *
kl_assistant_new (void)
{
  return g_object_new (KL_TYPE_ASSISTANT, NULL);
}

/**
 * kl_assistant_add_page:
 * @page: (transfer floating): a page; its #KlPage:page-id must be unique
 *
 * Appends @page. The first page added becomes the current one.
 */
static PageSlot *
add_slot (KlAssistant *self,
          const char  *page_id)
{
  PageSlot *slot = g_new0 (PageSlot, 1);

  slot->page_id = g_strdup (page_id);
  g_ptr_array_add (self->pages, slot);

  return slot;
}

/* The first page added becomes the current one. */
static void
slot_added (KlAssistant *self)
{
  if (self->current == NO_PAGE && !hidden_at (self, self->pages->len - 1))
    switch_to (self, self->pages->len - 1);
  else
    update_navigation (self);
}

void
kl_assistant_add_page (KlAssistant *self,
                       KlPage      *page)
{
  const char *page_id;

  g_return_if_fail (KL_IS_ASSISTANT (self));
  g_return_if_fail (KL_IS_PAGE (page));
  g_return_if_fail (gtk_widget_get_parent (GTK_WIDGET (page)) == NULL);

  page_id = kl_page_get_page_id (page);
  g_return_if_fail (page_id != NULL);
  g_return_if_fail (find_slot (self, page_id) == NO_PAGE);

  attach_page (self, add_slot (self, page_id), page);
  slot_added (self);
}

/**
 * kl_assistant_add_lazy_page:
 * @page_id: the id the page will have; unique
 * @hidden: whether the page starts hidden
 * @create: (scope forever): returns a new (floating) page with #KlPage:page-id @page_id
 * @user_data: for @create; must outlive the assistant
 *
 * Appends a page that is created only when it is needed: when the flow shows it, when
 * kl_assistant_get_page() asks for it, or on idle after the first frame. Until then,
 * kl_assistant_set_page_hidden() sets whether it is skipped. The first page added becomes
 * the current one (and is created at once).
 */
void
kl_assistant_add_lazy_page (KlAssistant           *self,
                            const char            *page_id,
                            gboolean               hidden,
                            KlAssistantCreateFunc  create,
                            gpointer               user_data)
{
  PageSlot *slot;

  g_return_if_fail (KL_IS_ASSISTANT (self));
  g_return_if_fail (page_id != NULL);
  g_return_if_fail (create != NULL);
  g_return_if_fail (find_slot (self, page_id) == NO_PAGE);

  slot = add_slot (self, page_id);
  slot->create = create;
  slot->user_data = user_data;
  slot->hidden = !!hidden;
  slot_added (self);
}

/**
 * kl_assistant_get_page:
 *
 * The page called @page_id, created now if it was added lazily and not created yet.
 *
 * Returns: (transfer none) (nullable): the page called @page_id
 */
KlPage *
kl_assistant_get_page (KlAssistant *self,
                       const char  *page_id)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);
  g_return_val_if_fail (page_id != NULL, NULL);

  return ensure_page_at (self, find_slot (self, page_id));
}

/**
 * kl_assistant_peek_page:
 *
 * Like kl_assistant_get_page(), but never creates the page.
 *
 * Returns: (transfer none) (nullable): the page called @page_id, if it exists yet
 */
KlPage *
kl_assistant_peek_page (KlAssistant *self,
                        const char  *page_id)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);
  g_return_val_if_fail (page_id != NULL, NULL);

  return page_at (self, find_slot (self, page_id));
}

/**
 * kl_assistant_has_page:
 *
 * Returns: whether the assistant has a page called @page_id, created yet or not
 */
gboolean
kl_assistant_has_page (KlAssistant *self,
                       const char  *page_id)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), FALSE);
  g_return_val_if_fail (page_id != NULL, FALSE);

  return find_slot (self, page_id) != NO_PAGE;
}

/**
 * kl_assistant_set_page_hidden:
 *
 * Sets #KlPage:hidden of the page called @page_id, or what it will be created with.
 */
void
kl_assistant_set_page_hidden (KlAssistant *self,
                              const char  *page_id,
                              gboolean     hidden)
{
  guint index;
  PageSlot *slot;

  g_return_if_fail (KL_IS_ASSISTANT (self));
  g_return_if_fail (page_id != NULL);

  index = find_slot (self, page_id);
  g_return_if_fail (index != NO_PAGE);

  slot = slot_at (self, index);
  if (slot->page != NULL)
    {
      kl_page_set_hidden (slot->page, hidden);
      return;
    }

  if (slot->hidden == !!hidden)
    return;

  slot->hidden = !!hidden;
  update_navigation (self);
}

/**
 * kl_assistant_get_current_page:
 *
 * Returns: (transfer none) (nullable): the visible page
 */
KlPage *
kl_assistant_get_current_page (KlAssistant *self)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);

  return page_at (self, self->current);
}

/**
 * kl_assistant_set_current_page:
 *
 * Jumps to @page_id (resume, or “Edit” on a summary), cancelling an apply in flight.
 * Pages before it keep their answers for Back. A hidden page cannot be shown.
 *
 * Returns: whether the page exists and is now the current one
 */
gboolean
kl_assistant_set_current_page (KlAssistant *self,
                               const char  *page_id)
{
  guint index;

  g_return_val_if_fail (KL_IS_ASSISTANT (self), FALSE);
  g_return_val_if_fail (page_id != NULL, FALSE);

  index = find_slot (self, page_id);
  if (index == NO_PAGE || hidden_at (self, index))
    return FALSE;

  kl_assistant_cancel (self);
  switch_to (self, index);

  return TRUE;
}

/**
 * kl_assistant_get_title:
 *
 * Returns: (nullable): the current page's title
 */
const char *
kl_assistant_get_title (KlAssistant *self)
{
  KlPage *page;

  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);

  page = page_at (self, self->current);
  return page != NULL ? kl_page_get_title (page) : NULL;
}

/**
 * kl_assistant_get_cancellable:
 *
 * Returns: (transfer none) (nullable): the parent cancellable of every apply
 */
GCancellable *
kl_assistant_get_cancellable (KlAssistant *self)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);

  return self->cancellable;
}

void
kl_assistant_set_cancellable (KlAssistant  *self,
                              GCancellable *cancellable)
{
  g_return_if_fail (KL_IS_ASSISTANT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  /* An apply in flight is chained to the old one. */
  g_return_if_fail (self->apply_cancellable == NULL);

  if (g_set_object (&self->cancellable, cancellable))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCELLABLE]);
}

/**
 * kl_assistant_next:
 *
 * What Next and Enter do: on a complete page, run its apply (when it has one and
 * #KlPage:needs-apply is set) and move to the next visible page when that succeeds.
 */
void
kl_assistant_next (KlAssistant *self)
{
  KlPage *page;

  g_return_if_fail (KL_IS_ASSISTANT (self));

  page = page_at (self, self->current);
  if (page == NULL || !kl_page_get_complete (page) || kl_page_get_applying (page))
    return;

  /* The page's primary action is the window's to carry out (Welcome: Continue with). */
  if (kl_page_get_next_action (page) != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (page), kl_page_get_next_action (page), NULL);
      return;
    }

  if (!kl_page_has_apply (page) || !kl_page_get_needs_apply (page))
    {
      go_forward (self);
      return;
    }

  /* A cancelled apply of a page we jumped away from has not returned yet. */
  if (self->apply_cancellable != NULL)
    return;

  kl_page_set_error (page, NULL);
  self->apply_cancellable = g_cancellable_new ();
  if (self->cancellable != NULL)
    {
      self->apply_cancelled_id = g_signal_connect_object (self->cancellable, "cancelled",
                                                          G_CALLBACK (parent_cancelled_cb),
                                                          self->apply_cancellable, 0);
      if (g_cancellable_is_cancelled (self->cancellable))
        g_cancellable_cancel (self->apply_cancellable);
    }

  kl_page_apply_async (page, self->apply_cancellable, apply_cb, g_object_ref (self));
}

/**
 * kl_assistant_back:
 *
 * Shows the previous visible page; nothing happens while a page applies.
 */
void
kl_assistant_back (KlAssistant *self)
{
  KlPage *page;
  guint prev;

  g_return_if_fail (KL_IS_ASSISTANT (self));

  page = page_at (self, self->current);
  if (page == NULL || kl_page_get_applying (page))
    return;

  prev = find_visible (self, -1);
  if (prev != NO_PAGE)
    switch_to (self, prev);
}

/**
 * kl_assistant_cancel:
 *
 * Cancels the apply in flight, if any. The user stays on the page.
 */
void
kl_assistant_cancel (KlAssistant *self)
{
  g_return_if_fail (KL_IS_ASSISTANT (self));

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
}

/**
 * kl_assistant_add_toast:
 * @toast: (transfer full): the toast
 *
 * Shows @toast over the pages, above the action bar: never over Back, Next or the step
 * counter.
 */
void
kl_assistant_add_toast (KlAssistant *self,
                        AdwToast    *toast)
{
  g_return_if_fail (KL_IS_ASSISTANT (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
