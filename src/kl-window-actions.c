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

/* The window's actions: the user guide (win.help, win.help-section; in the help viewer, else as
 * HTML in the browser), the demo's
 * values (win.fill-demo-values), and the pages' commands to the window: signing in with a
 * saved profile or picking up the last project (win.sign-in-profile, win.continue-project,
 * the Welcome page's) and the flows the Project page starts (win.start-flow). */

/* ---- Help ------------------------------------------------------------------------------ */

/* A section is a page id of the guide: letters, digits and hyphens. */
static gboolean
is_section_name (const char *section)
{
  if (section == NULL || section[0] == '\0')
    return FALSE;

  for (const char *p = section; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

/**
 * kl_window_dup_help_html_uri:
 * @section: (nullable): a section of the guide ("summary"), or %NULL for its index
 *
 * The guide as HTML, built from the same pages as the help viewer's (data/help): the page of
 * @section, else the index. $KL_HELP_HTML_DIR replaces the installed folder (tests, and
 * running from the build folder).
 *
 * Returns: (transfer full) (nullable): a file: URI, or %NULL when the HTML guide is missing
 */
char *
kl_window_dup_help_html_uri (const char *section)
{
  const char *dir = g_getenv ("KL_HELP_HTML_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL || dir[0] == '\0')
    dir = HELP_HTML_DIR;

  if (is_section_name (section))
    {
      g_autofree char *name = g_strconcat (section, ".html", NULL);

      path = g_build_filename (dir, name, NULL);
    }
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_free (path);
      path = g_build_filename (dir, "index.html", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_filename_to_uri (path, NULL, NULL);
}

/* Neither a help viewer nor a browser: said in a dialog that stays until read. */
static void
show_help_unavailable (KlWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Guide Could Not Be Opened"),
                                   _("Keylink’s guide opens in the “Yelp” help viewer (package "
                                     "yelp), or as web pages in a browser. Install either, then "
                                     "press F1 again."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kl_window_help_html_shown_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_debug ("Opening the HTML guide failed: %s", error->message);
      show_help_unavailable (self);
    }
}

/* No help viewer: the same section of the guide as HTML, in the browser. */
static void
kl_window_help_shown_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *section = NULL;
  g_autofree char *uri = NULL;

  section = g_strdup (g_object_get_data (G_OBJECT (self), "kl-help-section"));
  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    return;

  g_debug ("Opening the help failed: %s", error->message);
  uri = kl_window_dup_help_html_uri (section);
  if (uri == NULL)
    {
      show_help_unavailable (self);
      return;
    }

  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, NULL,
                     kl_window_help_html_shown_cb, g_object_ref (self));
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

  if (is_section_name (section))
    uri = g_strdup_printf ("help:keylink/%s", section);
  else
    uri = g_strdup ("help:keylink");
  g_object_set_data_full (G_OBJECT (self), "kl-help-section",
                          is_section_name (section) ? g_strdup (section) : NULL, g_free);

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
