/* kl-window-actions.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-window-private.h"

/* The window's actions: the user guide (win.help, win.help-section), the demo's
 * values (win.fill-demo-values), and the pages' commands to the window: signing in with a
 * saved profile or picking up the last project (win.sign-in-profile, win.continue-project,
 * the Welcome page's) and the flows the Project page starts (win.start-flow). */

/* ---- Help ------------------------------------------------------------------------------ */

static void
kl_window_help_shown_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_debug ("Opening the help failed: %s", error->message);
      kl_window_add_toast (self,
                           adw_toast_new (_("The help could not be opened. Install the “Yelp” help viewer (package yelp) and try again.")));
    }
}

/* win.help: the user guide at the section named by the string parameter; without one (F1,
 * the header's help button), at the current page's section. */
static void
kl_window_help_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  const char *section = parameter ? g_variant_get_string (parameter, NULL) : NULL;
  g_autofree char *uri = NULL;

  if (section == NULL)
    {
      KlPage *page = kl_assistant_get_current_page (self->assistant);

      section = page != NULL ? kl_page_get_help_id (page) : NULL;
    }

  if (section != NULL && section[0] != '\0')
    uri = g_strdup_printf ("help:keylink/%s", section);
  else
    uri = g_strdup ("help:keylink");

  gtk_show_uri_full (GTK_WINDOW (widget), uri, GDK_CURRENT_TIME, NULL,
                     kl_window_help_shown_cb, g_object_ref (widget));
}

/* ---- Demo values ------------------------------------------------------------------------ */

static const char *
vault_suffix (const char *environment)
{
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return "vault.azure.cn";
  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return "vault.usgovcloudapi.net";
  return "vault.azure.net";
}

/* Made-up, well-formed Azure values the simulated Atlas accepts, when no simulated Azure
 * runs. Never the secret: the user types one (any will do). */
static void
fill_made_up_values (KlWindow *self)
{
  g_autofree char *tenant = g_uuid_string_random ();
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *subscription = g_uuid_string_random ();
  g_autofree char *version = g_uuid_string_random ();
  g_autofree char *key_id = NULL;
  GString *hex = g_string_new (NULL);

  for (const char *p = version; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (hex, *p);
  key_id = g_strdup_printf ("https://keylink-demo.%s/keys/atlas-demo-key/%s",
                            vault_suffix (kl_setup_answers_get_azure_environment (self->answers)),
                            hex->str);
  g_string_free (hex, TRUE);

  g_object_freeze_notify (G_OBJECT (self->answers));
  kl_setup_answers_set_tenant_id (self->answers, tenant);
  kl_setup_answers_set_client_id (self->answers, client);
  kl_setup_answers_set_subscription_id (self->answers, subscription);
  kl_setup_answers_set_resource_group (self->answers, "rg-keylink-demo");
  kl_setup_answers_set_key_vault_name (self->answers, "keylink-demo");
  kl_setup_answers_set_key_identifier (self->answers, key_id);
  g_object_thaw_notify (G_OBJECT (self->answers));
}

/* win.fill-demo-values: the values of the demo's simulated Azure, its made-up client secret
 * included, so that "Check in Azure" passes and the endpoints' connections appear in its
 * vault. */
static void
kl_window_fill_demo_values_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (KL_IS_APPLICATION (app) &&
      kl_application_fill_demo_answers (KL_APPLICATION (app), self->answers))
    return;

  fill_made_up_values (self);
}

/* ---- Flows ------------------------------------------------------------------------------ */

/* win.start-flow: the Project page's rows and its Next, with one of the KL_PROJECT_ACTION_*
 * names. */
static void
kl_window_start_flow_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  kl_window_start_flow (KL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* win.sign-in-profile: a saved profile's row, its id the target. */
static void
kl_window_sign_in_profile_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  kl_window_sign_in_profile (KL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* win.continue-project: “Continue with <project>”. */
static void
kl_window_continue_project_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  kl_window_continue_project (KL_WINDOW (widget));
}

/* win.finish-later: “Finish Later?”, what closing leaves Atlas to do, and Keep Waiting. */
static void
kl_window_finish_later_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  kl_window_ask_finish_later (KL_WINDOW (widget));
}

void
kl_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.finish-later", NULL,
                                   kl_window_finish_later_action);
  gtk_widget_class_install_action (widget_class, "win.help", NULL, kl_window_help_action);
  gtk_widget_class_install_action (widget_class, "win.help-section", "s", kl_window_help_action);
  gtk_widget_class_install_action (widget_class, "win.fill-demo-values", NULL,
                                   kl_window_fill_demo_values_action);
  gtk_widget_class_install_action (widget_class, "win.start-flow", "s",
                                   kl_window_start_flow_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in-profile", "s",
                                   kl_window_sign_in_profile_action);
  gtk_widget_class_install_action (widget_class, "win.continue-project", NULL,
                                   kl_window_continue_project_action);
}
