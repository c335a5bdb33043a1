/* kl-server-text-view.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-server-text-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "kl-server-text.h"
#include "kl-server-text-view.h"

#define FULL_KEY  "kl-server-text-full"
#define SHOW_ALL  "keylink:show-all"

static gboolean
activate_link_cb (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  if (g_strcmp0 (uri, SHOW_ALL) != 0)
    return FALSE;

  kl_server_text_view_show (GTK_WIDGET (label), _("Whole Message"),
                            kl_server_text_view_get_full (label));
  return TRUE;
}

void
kl_server_text_view_set_label (GtkLabel   *label,
                               const char *text)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (GTK_IS_LABEL (label));

  if (text == NULL)
    text = "";

  g_object_set_data_full (G_OBJECT (label), FULL_KEY, g_strdup (text), g_free);
  if (g_object_get_data (G_OBJECT (label), "kl-server-text-connected") == NULL)
    {
      g_signal_connect (label, "activate-link", G_CALLBACK (activate_link_cb), NULL);
      g_object_set_data (G_OBJECT (label), "kl-server-text-connected", GINT_TO_POINTER (1));
    }

  shown = kl_server_text_dup_plain (text, KL_SERVER_TEXT_SHORT_CHARS);
  if (!kl_server_text_is_long (text, KL_SERVER_TEXT_SHORT_CHARS))
    {
      gtk_label_set_use_markup (label, FALSE);
      gtk_label_set_label (label, shown);
      return;
    }

  {
    g_autofree char *escaped = g_markup_escape_text (shown, -1);
    g_autofree char *markup = NULL;

    /* The link reads in the sentence's direction, after the server's text. */
    markup = g_strdup_printf ("%s <a href=\"" SHOW_ALL "\">%s</a>", escaped, _("Show All"));
    gtk_label_set_markup (label, markup);
  }
}

const char *
kl_server_text_view_get_full (GtkLabel *label)
{
  g_return_val_if_fail (GTK_IS_LABEL (label), NULL);

  return g_object_get_data (G_OBJECT (label), FULL_KEY);
}

GtkWindow *
kl_server_text_view_show (GtkWidget  *parent,
                          const char *title,
                          const char *text)
{
  g_autofree char *full = kl_server_text_dup_full (text != NULL ? text : "");
  GtkWidget *window, *box, *header, *title_label, *scrolled, *view;
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  title_label = adw_window_title_new (title, NULL);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title_label);

  view = g_object_new (GTK_TYPE_TEXT_VIEW,
                       "editable", FALSE,
                       "cursor-visible", FALSE,
                       "wrap-mode", GTK_WRAP_WORD_CHAR,
                       "left-margin", 12, "right-margin", 12,
                       "top-margin", 12, "bottom-margin", 12,
                       NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), full, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  scrolled = g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                           "hscrollbar-policy", GTK_POLICY_NEVER,
                           "vexpand", TRUE,
                           "child", view,
                           NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);

  window = g_object_new (ADW_TYPE_WINDOW,
                         "title", title,
                         "modal", TRUE,
                         "default-width", 560,
                         "default-height", 420,
                         "content", box,
                         NULL);
  gtk_widget_set_name (window, "kl-server-text-window");
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}
