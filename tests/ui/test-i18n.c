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

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
