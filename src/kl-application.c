/* kl-application.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-application"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "kl-application.h"
#include "kl-bench.h"
#include "kl-error.h"
#include "kl-sim.h"
#include "kl-window.h"

struct _KlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *atlas_url;
  gboolean        demo;

  /* Demo mode: the simulator runs in this process, with an API key made up at start. The
   * key lives only here (never on a command line, in a file or in GSettings). */
  KlSim          *demo_sim;
  char           *demo_public_key;
  char           *demo_private_key;
};

G_DEFINE_FINAL_TYPE (KlApplication, kl_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

  if (g_variant_dict_contains (options, "demo"))
    kl_application_set_demo (self, TRUE);

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
kl_application_stop_demo (KlApplication *self)
{
  if (self->demo_sim != NULL)
    kl_sim_stop (self->demo_sim);
  g_clear_object (&self->demo_sim);
  g_clear_pointer (&self->demo_public_key, g_free);
  g_clear_pointer (&self->demo_private_key, kl_secret_free);
}

static void
kl_application_shutdown (GApplication *app)
{
  kl_application_stop_demo (KL_APPLICATION (app));

  G_APPLICATION_CLASS (kl_application_parent_class)->shutdown (app);
}

static void
kl_application_finalize (GObject *object)
{
  KlApplication *self = KL_APPLICATION (object);

  kl_application_stop_demo (self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->atlas_url, g_free);

  G_OBJECT_CLASS (kl_application_parent_class)->finalize (object);
}

static void
kl_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KlApplication *self = KL_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KlApplication *self = KL_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      kl_application_set_demo (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_application_class_init (KlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kl_application_finalize;
  object_class->get_property = kl_application_get_property;
  object_class->set_property = kl_application_set_property;

  app_class->activate = kl_application_activate;
  app_class->startup = kl_application_startup;
  app_class->shutdown = kl_application_shutdown;
  app_class->handle_local_options = kl_application_handle_local_options;

  /**
   * KlApplication:demo:
   * Whether the app runs against its built-in simulator (`--demo` or “Try the Demo”). Once
   * on, it stays on until the app quits.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
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

/* “Try the Demo”: the windows see KlApplication:demo turn on and sign in to the simulator. */
static void
kl_application_demo_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  kl_application_set_demo (KL_APPLICATION (user_data), TRUE);
}

/* What stands in for the Azure portal in the demo: approving or rejecting an endpoint in the
 * simulator. The parameter: the project (group) id and the endpoint id. */
static void
kl_application_demo_endpoint_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  KlApplication *self = KL_APPLICATION (user_data);
  gboolean approve = g_str_equal (g_action_get_name (G_ACTION (action)), "demo-approve-endpoint");
  g_autoptr(GError) error = NULL;
  const char *group_id, *endpoint_id;
  GtkWindow *window;
  gboolean ok;

  if (!self->demo || self->demo_sim == NULL)
    return;

  g_variant_get (parameter, "(&s&s)", &group_id, &endpoint_id);
  if (approve)
    ok = kl_sim_approve_endpoint (self->demo_sim, group_id, endpoint_id, &error);
  else
    ok = kl_sim_reject_endpoint (self->demo_sim, group_id, endpoint_id, &error);

  if (ok)
    return;

  g_debug ("The simulated Azure refused: %s", error->message);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (KL_IS_WINDOW (window))
    {
      g_autofree char *notice = g_strdup_printf (_("The simulated Azure refused this: %s"),
                                                 error->message);

      kl_window_add_toast (KL_WINDOW (window), adw_toast_new (notice));
    }
}

static const GActionEntry app_actions[] = {
  { "quit", kl_application_quit_action },
  { "about", kl_application_about_action },
  { "demo", kl_application_demo_action },
  { "demo-approve-endpoint", kl_application_demo_endpoint_action, "(ss)" },
  { "demo-reject-endpoint", kl_application_demo_endpoint_action, "(ss)" },
};

static void
kl_application_init (KlApplication *self)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<primary>w", NULL };
  /* GtkApplication's own, which it sets only for a gtk/help-overlay.ui (KlWindow loads ours). */
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keylink — Atlas encryption at rest with a key in Azure Key Vault"));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);
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

/**
 * kl_application_set_demo:
 *
 * Turns demo mode on (the simulator starts when the first window asks for a demo client).
 * Demo mode cannot be turned off: a window signed in to the simulator would be left talking
 * to nothing.
 */
void
kl_application_set_demo (KlApplication *self,
                         gboolean       demo)
{
  GAction *action;

  g_return_if_fail (KL_IS_APPLICATION (self));
  g_return_if_fail (demo || !self->demo);

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "demo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !demo);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/* Random text for the demo's made-up API key, from the kernel's generator. */
static char *
random_text (const char *alphabet,
             guint       length)
{
  guint8 bytes[64];
  gsize alphabet_len = strlen (alphabet);
  char *text;

  g_assert (length <= sizeof bytes);

  if (getrandom (bytes, length, 0) != (gssize) length)
    {
      /* Not a real secret: it only keeps other local users out of the demo's simulator. */
      for (guint i = 0; i < length; i++)
        bytes[i] = (guint8) g_random_int_range (0, 256);
    }

  text = g_malloc (length + 1);
  for (guint i = 0; i < length; i++)
    text[i] = alphabet[bytes[i] % alphabet_len];
  text[length] = '\0';
  explicit_bzero (bytes, sizeof bytes);

  return text;
}

static gboolean
kl_application_start_demo (KlApplication  *self,
                           GError        **error)
{
  g_autoptr(KlSim) sim = NULL;
  g_autofree char *hex = NULL;
  double speed = 0.02;

  if (self->demo_sim != NULL)
    return TRUE;

  /* Shaped like Atlas's own: 8 lowercase letters, and a UUID for the private key. */
  g_clear_pointer (&self->demo_public_key, g_free);
  g_clear_pointer (&self->demo_private_key, kl_secret_free);
  self->demo_public_key = random_text ("abcdefghijklmnopqrstuvwxyz", 8);
  hex = random_text ("0123456789abcdef", 32);
  self->demo_private_key = g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s",
                                            hex, hex + 8, hex + 12, hex + 16, hex + 20);
  explicit_bzero (hex, strlen (hex));

  if (self->settings != NULL)
    speed = g_settings_get_double (self->settings, "demo-speed");

  sim = kl_sim_new ();
  kl_sim_set_time_scale (sim, speed);
  kl_sim_add_api_key (sim, self->demo_public_key, self->demo_private_key);
  if (!kl_sim_start (sim, 0, error))
    return FALSE;

  /* Azure beside it, on its clock: the check and "Approve in Azure" go there. */
  if (kl_sim_start_azure_sim (sim, "AZURE", error) == NULL)
    return FALSE;

  g_debug ("Demo simulator at %s, time scale %g", kl_sim_get_base_url (sim), speed);
  self->demo_sim = g_steal_pointer (&sim);

  return TRUE;
}

/**
 * kl_application_configure_demo_context:
 * @context: a window's context, in demo mode
 *
 * Points @context's Azure clients at the demo's simulated Azure (started with the demo's
 * simulator): the Azure check and "Approve in Azure" use it, never the real Azure.
 */
void
kl_application_configure_demo_context (KlApplication *self,
                                       KlContext     *context)
{
  KlAzureSim *azure;

  g_return_if_fail (KL_IS_APPLICATION (self));
  g_return_if_fail (KL_IS_CONTEXT (context));

  azure = self->demo_sim != NULL ? kl_sim_get_azure_sim (self->demo_sim) : NULL;
  if (azure == NULL)
    return;

  kl_context_set_azure_endpoints (context, kl_azure_sim_get_login_url (azure),
                                  kl_azure_sim_get_arm_url (azure),
                                  kl_azure_sim_get_vault_url_template (azure));
}

/**
 * kl_application_fill_demo_answers:
 * @answers: the answers to fill
 *
 * Fills @answers with the values of the demo's simulated Azure (its seeded world): the
 * environment, tenant, client ID, client secret, subscription, resource group, vault and key
 * identifier. The secret is the simulator's own made-up one, held in memory like any typed
 * secret. With them, "Check in Azure" passes and the endpoints' connections appear in the
 * simulated vault.
 *
 * Returns: %FALSE (and @answers unchanged) when no simulated Azure runs
 */
gboolean
kl_application_fill_demo_answers (KlApplication  *self,
                                  KlSetupAnswers *answers)
{
  g_autoptr(KlAzureSimValues) values = NULL;
  KlAzureSim *azure;

  g_return_val_if_fail (KL_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (KL_IS_SETUP_ANSWERS (answers), FALSE);

  azure = self->demo_sim != NULL ? kl_sim_get_azure_sim (self->demo_sim) : NULL;
  if (azure == NULL)
    return FALSE;

  values = kl_azure_sim_dup_values (azure);

  g_object_freeze_notify (G_OBJECT (answers));
  kl_setup_answers_set_azure_environment (answers, values->environment);
  kl_setup_answers_set_tenant_id (answers, values->tenant_id);
  kl_setup_answers_set_client_id (answers, values->client_id);
  /* Cleared first, so that has-client-secret tells the page to show it even over another
   * secret (one notification, when thawed). */
  kl_setup_answers_clear_client_secret (answers);
  kl_setup_answers_set_client_secret (answers, values->client_secret);
  kl_setup_answers_set_subscription_id (answers, values->subscription_id);
  kl_setup_answers_set_resource_group (answers, values->resource_group);
  kl_setup_answers_set_key_vault_name (answers, values->vault_name);
  kl_setup_answers_set_key_identifier (answers, values->key_identifier);
  g_object_thaw_notify (G_OBJECT (answers));
  g_clear_pointer (&values->client_secret, kl_secret_free);

  return TRUE;
}

/**
 * kl_application_new_demo_client:
 *
 * Starts the simulator in this process if it is not running yet, and signs in to it with the
 * demo's API key (made up at start, kept in memory only).
 *
 * Returns: (transfer full): a client for the simulator, or %NULL outside demo mode or when
 *   the simulator cannot listen on a loopback port
 */
KlAtlasClient *
kl_application_new_demo_client (KlApplication  *self,
                                GError        **error)
{
  g_return_val_if_fail (KL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->demo)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_FAILED,
                           _("The demo is not running. Choose “Try the Demo” on the welcome "
                             "page."));
      return NULL;
    }

  if (!kl_application_start_demo (self, error))
    {
      g_prefix_error (error, "%s ", _("The demo’s simulated Atlas could not start:"));
      return NULL;
    }

  return kl_atlas_client_new (kl_sim_get_base_url (self->demo_sim), KL_AUTH_API_KEY,
                              self->demo_public_key, self->demo_private_key, error);
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
