/* test-i18n.c — Keylink speaks the language of the session (run once per translation, with
 * LANGUAGE/LANG set by tests/meson.build and LOCPATH pointing at locales built for the test).
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-window.h"
#include "kl-test-utils.h"
#include "kl-test-widget.h"

static KlApplication *app;

static const char *
language (void)
{
  return g_getenv ("KL_TEST_LANGUAGE");
}

/* A translated label for @msgid is on screen, and the English one is not. */
static void
assert_translated (GtkWidget  *root,
                   const char *msgid)
{
  const char *translated = g_dgettext (GETTEXT_PACKAGE, msgid);

  g_assert_cmpstr (translated, !=, msgid);
  g_assert_nonnull (kl_test_find_by_label (root, translated));
  g_assert_null (kl_test_find_by_label (root, msgid));
}

/* Longer words must still fit a 360 px window (the narrowest GNOME's phones and tiled
 * windows give): the page and its button bar need no more. */
static void
assert_fits_narrow (KlWindow   *window,
                    const char *page_id)
{
  int min_width = 0;

  gtk_widget_measure (GTK_WIDGET (kl_window_get_assistant (window)), GTK_ORIENTATION_HORIZONTAL,
                      -1, &min_width, NULL, NULL, NULL);
  g_test_message ("%s: %s needs %d px", language (), page_id, min_width);
  g_assert_cmpint (min_width, <=, 360);
}

static void
screenshot_page (KlWindow   *window,
                 const char *page_id)
{
  KlAssistant *assistant = kl_window_get_assistant (window);
  g_autofree char *name = g_strdup_printf ("i18n-%s-%s", language (), page_id);
  g_autofree char *path = NULL;

  g_assert_true (kl_assistant_set_current_page (assistant, page_id));
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));
  assert_fits_narrow (window, page_id);
  path = kl_test_save_screenshot (GTK_WIDGET (window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_i18n_pages (void)
{
  KlWindow *window = kl_window_new (app);

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  /* The welcome page, as a new admin first sees it. */
  assert_translated (GTK_WIDGET (window), "Welcome to Keylink");
  assert_translated (GTK_WIDGET (window), "Before You Start");
  screenshot_page (window, "welcome");

  /* The pages that ask for input. */
  screenshot_page (window, "sign-in");
  screenshot_page (window, "azure-app");
  screenshot_page (window, "key-vault");

  /* The rest of the flow: measured, not photographed (no project is chosen here). */
  {
    static const char * const later[] = { "project", "review", "private-networking",
                                          "endpoints", "clusters", "done", NULL };

    for (guint i = 0; later[i] != NULL; i++)
      if (kl_assistant_set_current_page (kl_window_get_assistant (window), later[i]))
        {
          g_assert_true (kl_test_window_show (GTK_WINDOW (window)));
          assert_fits_narrow (window, later[i]);
        }
  }

  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* ---- At 360 px ------------------------------------------------------------------------- */

#define NARROW_DEADLINE_MS 5000

typedef struct
{
  GtkWidget *widget;
  guint      n_frames;
} FrameWait;

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  FrameWait *wait = user_data;

  wait->n_frames++;
  return wait->n_frames < 3 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
frames_drawn (gpointer user_data)
{
  FrameWait *wait = user_data;

  gtk_widget_queue_draw (wait->widget);
  return wait->n_frames >= 3;
}

/* A few frames, so that what changed is laid out. */
static void
wait_for_layout (GtkWidget *widget)
{
  FrameWait wait = { widget, 0 };

  gtk_widget_queue_resize (widget);
  gtk_widget_add_tick_callback (widget, count_frame, &wait, NULL);
  g_assert_true (kl_test_wait_until (frames_drawn, &wait, NARROW_DEADLINE_MS));
}

static char *
without_mnemonic (const char *text)
{
  g_autoptr(GString) result = g_string_new (text);

  g_string_replace (result, "_", "", 0);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static gboolean
is_text (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_TEXT (widget);
}

/* The demo's banner (as on the pages with Fill Demo Values, where it is narrowest) keeps to two
 * lines, and a subscription ID is not cut inside its entry, in a 360 px window. */
static void
test_i18n_narrow (void)
{
  static const char guid[] = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  KlWindow *window = kl_window_new (app);
  KlAssistant *assistant;
  g_autofree char *title = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  GtkWidget *banner, *button, *text;
  AdwEntryRow *row;
  int text_width;

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 800);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));
  assistant = kl_window_get_assistant (window);
  g_assert_true (kl_assistant_set_current_page (assistant, "key-vault"));

  /* The banner as the demo shows it on this page: its label beside Fill Demo Values. */
  banner = kl_test_find_by_label (GTK_WIDGET (window),
                                  g_dgettext (GETTEXT_PACKAGE, "Demo — nothing real is changed"));
  g_assert_nonnull (banner);
  button = gtk_widget_get_next_sibling (banner);
  g_assert_true (GTK_IS_BUTTON (button));
  gtk_widget_set_visible (gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER), TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (banner,
                                                                        GTK_TYPE_REVEALER)),
                                 TRUE);
  gtk_widget_set_visible (button, TRUE);

  title = without_mnemonic (g_dgettext (GETTEXT_PACKAGE, "_Subscription ID"));
  row = kl_test_find_entry (KL_PAGE (kl_assistant_get_current_page (assistant)), title);
  gtk_editable_set_text (GTK_EDITABLE (row), guid);
  wait_for_layout (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);

  g_test_message ("%s: the banner takes %d lines, %d px wide beside a button of %d px: “%s”",
                  language (),
                  pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (banner))),
                  gtk_widget_get_width (banner), gtk_widget_get_width (button),
                  gtk_label_get_text (GTK_LABEL (banner)));
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (banner))), <=, 2);

  text = kl_test_find (GTK_WIDGET (row), TRUE, is_text, NULL);
  g_assert_nonnull (text);
  layout = gtk_widget_create_pango_layout (text, guid);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  g_test_message ("%s: the subscription ID needs %d px, its entry has %d", language (),
                  text_width, gtk_widget_get_width (text));
  g_assert_cmpint (text_width, <=, gtk_widget_get_width (text));

  /* Read back on Review: on one line, whole. */
  if (kl_assistant_set_current_page (assistant, "review"))
    {
      GtkWidget *value;

      wait_for_layout (GTK_WIDGET (window));
      value = kl_test_find_by_label (GTK_WIDGET (kl_assistant_get_current_page (assistant)),
                                     guid);
      g_test_message ("%s: review shows the subscription ID: %s", language (),
                      value != NULL ? "yes" : "no");
      if (value != NULL)
        {
          PangoLayout *shown = gtk_label_get_layout (GTK_LABEL (value));

          g_test_message ("%s: on %d lines, ellipsized %d, %d px", language (),
                          pango_layout_get_line_count (shown), pango_layout_is_ellipsized (shown),
                          gtk_widget_get_width (value));
          g_assert_cmpint (pango_layout_get_line_count (shown), ==, 1);
          g_assert_false (pango_layout_is_ellipsized (shown));
        }
    }

  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_assert_nonnull (language ());
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KEYLINK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  kl_test_widget_init (&argc, &argv);
  /* Screenshots of the page itself, not of a crossfade between two. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* gtk_test_init() asks for the C locale; the point here is the translated one. */
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_test_message ("LC_MESSAGES=%s", setlocale (LC_MESSAGES, NULL));

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/i18n/pages", test_i18n_pages);
  g_test_add_func ("/i18n/narrow", test_i18n_narrow);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
