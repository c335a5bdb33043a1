/* test-server-text-view.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-server-text.h"
#include "kl-server-text-view.h"
#include "kl-test-utils.h"
#include "kl-test-widget.h"
#include "pages/endpoints/kl-endpoint-row.h"

/* Long and bidi-overriding server text in real widgets: a FAILED endpoint with a 10,000-character
 * errorMessage shows its short form, the whole text on demand; the approval command shown
 * holds no bidi control, the one copied stays quoted. */

#define RLO "\xe2\x80\xae"

static GtkLabel *
find_label (GtkWidget  *widget,
            gboolean  (*match) (GtkLabel *label, gpointer data),
            gpointer    data)
{
  if (GTK_IS_LABEL (widget) && match (GTK_LABEL (widget), data))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_full_text (GtkLabel *label,
               gpointer  data)
{
  return g_strcmp0 (kl_server_text_view_get_full (label), data) == 0;
}

static gboolean
is_command (GtkLabel *label,
            gpointer  data)
{
  return strstr (gtk_label_get_label (label), "private-endpoint-connection approve") != NULL;
}

static gboolean
has_bidi_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (kl_server_text_is_bidi_control (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static KlPrivateEndpoint *
endpoint_new (const char *status,
              const char *connection,
              const char *error_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  KlPrivateEndpoint *endpoint;

  json = g_strdup_printf ("{\"id\":\"65f0000000000000000000e1\",\"regionName\":\"US_EAST_2\","
                          "\"status\":\"%s\",\"privateEndpointConnectionName\":\"%s\","
                          "\"errorMessage\":\"%s\"}",
                          status, connection, error_message);
  endpoint = kl_private_endpoint_parse (json, -1, &error);
  g_assert_no_error (error);
  return endpoint;
}

static GtkWindow *
find_text_window (void)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), "kl-server-text-window") == 0)
        return window;
    }
  return NULL;
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_long_error_message (void)
{
  g_autofree char *message = g_strnfill (10000, 'z');
  g_autoptr(KlPrivateEndpoint) endpoint = endpoint_new ("FAILED", "conn", message);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = kl_endpoint_row_new (endpoint);
  GtkLabel *label;
  GtkWindow *text_window;
  GtkTextView *view;
  GtkTextIter start, end;
  g_autofree char *shown_full = NULL;
  gboolean handled = FALSE;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  label = find_label (row, has_full_text, message);
  g_assert_nonnull (label);
  /* The short form: 300 characters, an ellipsis and the link. */
  g_assert_cmpint (g_utf8_strlen (gtk_label_get_text (label), -1), <, 400);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));

  /* The whole text, on demand, in a selectable view. */
  g_signal_emit_by_name (label, "activate-link", "keylink:show-all", &handled);
  g_assert_true (handled);
  text_window = find_text_window ();
  g_assert_nonnull (text_window);
  view = find_text_view (GTK_WIDGET (text_window));
  g_assert_nonnull (view);
  g_assert_false (gtk_text_view_get_editable (view));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  shown_full = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (shown_full, ==, message);

  gtk_window_destroy (text_window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_approval_command_bidi (void)
{
  static const char * const names[] = { "conn" RLO "txet", "plain-name.1", NULL };
  g_autofree char *command = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = kl_command_view_new ();
  GtkLabel *label;

  /* One command for every connection that waits, as the Endpoints page shows it. */
  command = kl_endpoint_build_approvals_command ("AZURE", "sub", "rg", "vault",
                                                names);
  kl_command_view_set_command (KL_COMMAND_VIEW (view), command);
  gtk_window_set_child (GTK_WINDOW (window), view);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  label = find_label (view, is_command, NULL);
  g_assert_nonnull (label);
  g_assert_true (label == kl_command_view_get_label (KL_COMMAND_VIEW (view)));
  g_assert_false (has_bidi_control (gtk_label_get_label (label)));
  /* On one line: a break inside a name would read as part of it. */
  g_assert_false (gtk_label_get_wrap (label));

  /* The copied command keeps the name as Atlas has it, quoted for the shell. */
  g_assert_cmpstr (kl_command_view_get_command (KL_COMMAND_VIEW (view)), ==, command);
  g_assert_nonnull (strstr (command, "for name in 'conn" RLO "txet' plain-name.1; do "));
  g_assert_nonnull (strstr (command, " --name \"$name\" "));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_short_label (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

  kl_server_text_view_set_label (GTK_LABEL (label), "short <b>text</b>");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "short <b>text</b>");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_finalize_object (label);
}

int
main (int   argc,
      char *argv[])
{
  kl_test_widget_init (&argc, &argv);

  g_test_add_func ("/server-text-view/long-error-message", test_long_error_message);
  g_test_add_func ("/server-text-view/approval-command-bidi", test_approval_command_bidi);
  g_test_add_func ("/server-text-view/short-label", test_short_label);

  return g_test_run ();
}
