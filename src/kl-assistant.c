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

/* Navigation between KlPages (GNOME Initial Setup's GisAssistant): a GtkStack holds every
 * page, kept alive so Back never loses input; hidden pages are skipped both ways; Next runs
 * the page's apply and only moves on when it succeeds. */

#define NO_PAGE G_MAXUINT

struct _KlAssistant
{
  AdwBin         parent_instance;

  GPtrArray     *pages;               /* KlPage, in order */
  guint          current;             /* index into pages, or NO_PAGE */

  GCancellable  *cancellable;         /* the window's: cancelled when it closes */
  GCancellable  *apply_cancellable;   /* the running apply's, a child of cancellable */
  gulong         apply_cancelled_id;

  /* Template widgets */
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
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static KlPage *
page_at (KlAssistant *self,
         guint        index)
{
  if (index >= self->pages->len)
    return NULL;

  return g_ptr_array_index (self->pages, index);
}

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
      if (!kl_page_get_hidden (page_at (self, i)))
        return i;
    }
}

static GtkWidget *
page_frame (KlPage *page)
{
  return gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW);
}

static void
update_navigation (KlAssistant *self)
{
  KlPage *page = page_at (self, self->current);
  gboolean applying, complete, has_next, has_prev;
  guint step = 0, n_steps = 0;
  g_autofree char *steps = NULL;
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
  has_next = find_visible (self, +1) != NO_PAGE;
  has_prev = find_visible (self, -1) != NO_PAGE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 complete && !applying && (has_next || kl_page_has_apply (page)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", has_prev && !applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel", applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.show-page", !applying);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), has_prev);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), has_next || kl_page_has_apply (page));

  next_label = kl_page_get_next_label (page);
  gtk_button_set_label (self->next_button, next_label != NULL ? next_label : _("_Next"));

  for (guint i = 0; i < self->pages->len; i++)
    {
      if (kl_page_get_hidden (page_at (self, i)))
        continue;
      n_steps++;
      if (i == self->current)
        step = n_steps;
    }

  /* Translators: the assistant's progress, e.g. “Step 2 of 4” */
  steps = g_strdup_printf (_("Step %u of %u"), step, n_steps);
  gtk_label_set_label (self->step_label, steps);

  gtk_spinner_set_spinning (self->spinner, applying);
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

static void
switch_to (KlAssistant *self,
           guint        index)
{
  KlPage *old_page = page_at (self, self->current);
  KlPage *page = page_at (self, index);

  g_assert (page != NULL);

  if (index == self->current)
    return;

  if (old_page != NULL)
    kl_page_leave (old_page);

  self->current = index;
  gtk_stack_set_visible_child (self->stack, page_frame (page));
  update_navigation (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);

  kl_page_shown (page);
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

  if (page == page_at (self, self->current))
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
            g_strcmp0 (pspec->name, "next-label") == 0))
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
  GtkWidget *scrolled, *clamp, *box, *title, *revealer, *error_box, *icon, *error_label;

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

  clamp = g_object_new (ADW_TYPE_CLAMP,
                        "maximum-size", 600,
                        "tightening-threshold", 400,
                        "child", box,
                        NULL);

  scrolled = g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                           "hscrollbar-policy", GTK_POLICY_NEVER,
                           "child", clamp,
                           NULL);

  return scrolled;
}

static void
kl_assistant_dispose (GObject *object)
{
  KlAssistant *self = KL_ASSISTANT (object);

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  clear_apply (self);

  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kl-assistant.ui");
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

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "assistant.cancel", NULL);
}

static void
kl_assistant_init (KlAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* “Next”, not “_Next Next”, also when a page renames it. */
  kl_a11y_name_button_by_text (self->back_button);
  kl_a11y_name_button_by_text (self->next_button);
  kl_a11y_name_button_by_text (self->cancel_button);

  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
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
  g_return_if_fail (kl_assistant_get_page (self, page_id) == NULL);

  g_ptr_array_add (self->pages, g_object_ref_sink (page));
  gtk_stack_add_named (self->stack, create_frame (page), page_id);
  g_signal_connect_object (page, "notify", G_CALLBACK (page_notify_cb), self, 0);

  if (self->current == NO_PAGE && !kl_page_get_hidden (page))
    switch_to (self, self->pages->len - 1);
  else
    update_navigation (self);
}

/**
 * kl_assistant_get_page:
 *
 * Returns: (transfer none) (nullable): the page called @page_id
 */
KlPage *
kl_assistant_get_page (KlAssistant *self,
                       const char  *page_id)
{
  g_return_val_if_fail (KL_IS_ASSISTANT (self), NULL);
  g_return_val_if_fail (page_id != NULL, NULL);

  for (guint i = 0; i < self->pages->len; i++)
    {
      KlPage *page = page_at (self, i);

      if (g_strcmp0 (kl_page_get_page_id (page), page_id) == 0)
        return page;
    }

  return NULL;
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
  KlPage *page;

  g_return_val_if_fail (KL_IS_ASSISTANT (self), FALSE);
  g_return_val_if_fail (page_id != NULL, FALSE);

  page = kl_assistant_get_page (self, page_id);
  if (page == NULL || kl_page_get_hidden (page))
    return FALSE;

  kl_assistant_cancel (self);

  for (guint i = 0; i < self->pages->len; i++)
    {
      if (page_at (self, i) == page)
        switch_to (self, i);
    }

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
