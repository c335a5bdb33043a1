/* kl-application.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-application"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-application.h"
#include "kl-bench.h"
#include "kl-window.h"

struct _KlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *atlas_url;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (KlApplication, kl_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run against the built-in Atlas simulator: nothing real is changed"), NULL },
  { "atlas-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Use another Atlas base URL (HTTPS, or http:// on loopback)"), N_("URL") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static int
kl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  KlApplication *self = KL_APPLICATION (app);
  const char *url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "Keylink", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "atlas-url", "&s", &url))
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
        {
          g_printerr (_("“%s” is not an Atlas URL. Give one such as https://cloud.mongodb.com.\n"), url);
          return 2;
        }

      g_free (self->atlas_url);
      self->atlas_url = g_strdup (url);
    }

  self->demo = g_variant_dict_contains (options, "demo");

  return -1;
}

static void
kl_application_activate (GApplication *app)
{
  KlApplication *self = KL_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (kl_window_new (self));
      kl_bench_watch_first_frame (window);
    }

  gtk_window_present (window);
}

static void
kl_application_startup (GApplication *app)
{
  KlApplication *self = KL_APPLICATION (app);

  G_APPLICATION_CLASS (kl_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  self->settings = g_settings_new (APP_ID);
}

static void
kl_application_finalize (GObject *object)
{
  KlApplication *self = KL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->atlas_url, g_free);

  G_OBJECT_CLASS (kl_application_parent_class)->finalize (object);
}

static void
kl_application_class_init (KlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kl_application_finalize;

  app_class->activate = kl_application_activate;
  app_class->startup = kl_application_startup;
  app_class->handle_local_options = kl_application_handle_local_options;
}

static void
kl_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  KlApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows cancels their in-flight work before we quit. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
kl_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  KlApplication *self = user_data;
  static const char *developers[] = { "The Keylink authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Keylink"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Keylink authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Set up MongoDB Atlas encryption at rest with your own key in Azure Key Vault, over Azure Private Link"),
                        "website", "https://github.com/keylink/keylink",
                        "issue-url", "https://github.com/keylink/keylink/issues",
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        "copyright", "© 2026 The Keylink authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* TODO(lead): start the demo (simulator in-process). Exists so "Try the Demo" is live. */
static void
kl_application_demo_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_debug ("app.demo is not wired yet");
}

static const GActionEntry app_actions[] = {
  { "quit", kl_application_quit_action },
  { "about", kl_application_about_action },
  { "demo", kl_application_demo_action },
};

static void
kl_application_init (KlApplication *self)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<primary>w", NULL };

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keylink — Atlas encryption at rest with a key in Azure Key Vault"));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

KlApplication *
kl_application_new (void)
{
  return g_object_new (KL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

gboolean
kl_application_get_demo (KlApplication *self)
{
  g_return_val_if_fail (KL_IS_APPLICATION (self), FALSE);

  return self->demo;
}

const char *
kl_application_get_atlas_url (KlApplication *self)
{
  g_return_val_if_fail (KL_IS_APPLICATION (self), NULL);

  return self->atlas_url;
}

GSettings *
kl_application_get_settings (KlApplication *self)
{
  g_return_val_if_fail (KL_IS_APPLICATION (self), NULL);

  return self->settings;
}
