/* kl-command-view.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-command-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-command-view.h"
#include "kl-server-text.h"

struct _KlCommandView
{
  GtkBox             parent_instance;

  char              *command;

  /* Template widgets */
  GtkScrolledWindow *scrolled;
  GtkLabel          *label;
  GtkButton         *copy_button;
};

G_DEFINE_FINAL_TYPE (KlCommandView, kl_command_view, GTK_TYPE_BOX)

enum {
  COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  kl_command_view_copy (KL_COMMAND_VIEW (widget));
}

static void
kl_command_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KL_TYPE_COMMAND_VIEW);

  G_OBJECT_CLASS (kl_command_view_parent_class)->dispose (object);
}

static void
kl_command_view_finalize (GObject *object)
{
  KlCommandView *self = KL_COMMAND_VIEW (object);

  g_clear_pointer (&self->command, g_free);

  G_OBJECT_CLASS (kl_command_view_parent_class)->finalize (object);
}

static void
kl_command_view_class_init (KlCommandViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_command_view_dispose;
  object_class->finalize = kl_command_view_finalize;

  /**
   * KlCommandView::copied:
   * The command is on the clipboard.
   */
  signals[COPIED] =
    g_signal_new ("copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/endpoints/kl-command-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCommandView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, KlCommandView, label);
  gtk_widget_class_bind_template_child (widget_class, KlCommandView, copy_button);

  gtk_widget_class_install_action (widget_class, "command-view.copy", NULL, copy_action);
}

static void
kl_command_view_init (KlCommandView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "command-view.copy", FALSE);
}

GtkWidget *
kl_command_view_new (void)
{
  return g_object_new (KL_TYPE_COMMAND_VIEW, NULL);
}

/**
 * kl_command_view_set_command:
 * @command: (nullable): the command, exactly as it is to be pasted
 */
void
kl_command_view_set_command (KlCommandView *self,
                             const char    *command)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (KL_IS_COMMAND_VIEW (self));

  if (g_strcmp0 (self->command, command) == 0)
    return;

  g_free (self->command);
  self->command = g_strdup (command);

  /* Shown without bidi controls (a connection name could reorder it); copied as given. */
  shown = kl_server_text_dup_full (command);
  gtk_label_set_label (self->label, shown != NULL ? shown : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "command-view.copy", command != NULL);
}

/**
 * kl_command_view_get_command:
 *
 * Returns: (nullable): the command as it is copied
 */
const char *
kl_command_view_get_command (KlCommandView *self)
{
  g_return_val_if_fail (KL_IS_COMMAND_VIEW (self), NULL);

  return self->command;
}

void
kl_command_view_set_copy_label (KlCommandView *self,
                                const char    *label)
{
  g_return_if_fail (KL_IS_COMMAND_VIEW (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/**
 * kl_command_view_get_label:
 *
 * Returns: (transfer none): the label that shows the command
 */
GtkLabel *
kl_command_view_get_label (KlCommandView *self)
{
  g_return_val_if_fail (KL_IS_COMMAND_VIEW (self), NULL);

  return self->label;
}

/**
 * kl_command_view_get_copy_button:
 *
 * Returns: (transfer none): the Copy button
 */
GtkButton *
kl_command_view_get_copy_button (KlCommandView *self)
{
  g_return_val_if_fail (KL_IS_COMMAND_VIEW (self), NULL);

  return self->copy_button;
}

void
kl_command_view_copy (KlCommandView *self)
{
  g_return_if_fail (KL_IS_COMMAND_VIEW (self));

  if (self->command == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->command);
  g_signal_emit (self, signals[COPIED], 0);
}
