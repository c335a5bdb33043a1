/* test-window.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-application.h"
#include "kl-window.h"
#include "kl-test-widget.h"

/* One registered application per process, as in the real program. */
static KlApplication *app;

static gboolean
has_help_overlay (gpointer user_data)
{
  return gtk_application_window_get_help_overlay (user_data) != NULL;
}

static void
test_window_open_and_finalize (void)
{
  g_autofree char *shot = NULL;
  g_auto(GStrv) accel_actions = NULL;
  GCancellable *cancellable;
  KlWindow *window;
  GtkWidget *menu, *popover;

  window = kl_window_new (app);
  g_object_ref_sink (window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  /* A GNOME window: header bar with a title and a primary menu. */
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (window), "Keylink"));
  g_assert_nonnull (kl_test_find_by_type (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR));
  menu = kl_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu)));
  g_assert_true (gtk_widget_get_mapped (menu));

  shot = kl_test_save_screenshot (GTK_WIDGET (window), "window");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));

  /* Its popover is built when first opened, with the app's four items. */
  g_assert_null (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu)));
  g_assert_true (gtk_widget_get_sensitive (menu));
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu)));
  g_assert_nonnull (popover);
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu)));
  g_assert_nonnull (kl_test_find_by_label (popover, "About Keylink"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));

  /* The keyboard shortcuts come after the first frame, with their action and accelerator. */
  g_assert_true (kl_test_wait_until (has_help_overlay, window, 5000));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  accel_actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                        "<Control>question");
  g_assert_true (g_strv_contains ((const char * const *) accel_actions,
                                  "win.show-help-overlay"));

  /* Closing the window cancels what it had in flight. */
  cancellable = g_object_ref (kl_window_get_cancellable (window));
  g_assert_false (g_cancellable_is_cancelled (cancellable));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_object_unref (cancellable);

  g_assert_finalize_object (window);
}

static void
test_window_demo_banner (void)
{
  GVariantDict *options;
  GtkRevealer *revealer;
  GtkWidget *banner;
  KlWindow *window;
  int rc;

  /* The same path the command line takes. */
  options = g_variant_dict_new (NULL);
  g_variant_dict_insert (options, "demo", "b", TRUE);
  g_signal_emit_by_name (app, "handle-local-options", options, &rc);
  g_variant_dict_unref (options);
  g_assert_cmpint (rc, ==, -1);
  g_assert_true (kl_application_get_demo (app));

  window = kl_window_new (app);
  g_object_ref_sink (window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));
  banner = kl_test_find_by_label (GTK_WIDGET (window), "Demo — nothing real is changed");
  g_assert_nonnull (banner);
  revealer = GTK_REVEALER (gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* GTK takes the X11 window icon from the theme at 48 px (or at each fixed size it finds):
 * every one must be a PNG, or the SVG loader (librsvg, 6 MiB) is loaded before the first
 * frame. */
static void
test_window_icon_without_svg (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autofree int *sizes = gtk_icon_theme_get_icon_sizes (theme, APP_ID);
  gboolean found_48 = FALSE;

  for (guint i = 0; sizes[i] != 0; i++)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *uri = NULL;
      int size = sizes[i] == -1 ? 48 : sizes[i];

      icon = gtk_icon_theme_lookup_icon (theme, APP_ID, NULL, size, 1,
                                         GTK_TEXT_DIR_NONE, 0);
      file = gtk_icon_paintable_get_file (icon);
      g_assert_nonnull (file);
      uri = g_file_get_uri (file);
      g_test_message ("size %d: %s", sizes[i], uri);
      g_assert_true (g_str_has_suffix (uri, ".png"));
      found_48 |= size == 48;
    }
  g_assert_true (found_48);
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

  g_test_add_func ("/window/open-and-finalize", test_window_open_and_finalize);
  g_test_add_func ("/window/icon-without-svg", test_window_icon_without_svg);
  g_test_add_func ("/window/demo-banner", test_window_demo_banner);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
