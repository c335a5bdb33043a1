/* test-secrets.c — after a full sign-in through the real pages, with "Remember in Keyring" on,
 * no secret is anywhere but the keyring: not in the app's data, config, cache or state dirs (or
 * anywhere under HOME), not in GSettings, not in the debug log (G_MESSAGES_DEBUG=all).
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* memmem */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-plan.h"
#include "kl-session.h"
#include "kl-sim.h"
#include "kl-window.h"
#include "kl-test-widget.h"
#include "pages/project/kl-project-page.h"

#define TIMEOUT_MS   20000
#define SA_CLIENT_ID "mdb_sa_id_65f00000000000000000c0de"
#define SA_SECRET    "mdb_sa_sk_SECRETSCAN-4f7c2e9a1b3d5f7091a2"
#define API_PUBLIC   "scanpub1"
#define API_PRIVATE  "SECRETSCAN-8d2e4f6a-0b1c-4d3e-9f5a-7b6c8d9e0f1a"
#define TENANT_ID    "5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f"
#define CLIENT_ID    "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d"
#define AZURE_SECRET "Xk8Q~SECRETSCAN.Tn5-Lw9_Yb3Vd7Fh1Jm4Pc6"

static const char * const secrets[] = { SA_SECRET, API_PRIVATE, AZURE_SECRET, NULL };

typedef struct
{
  KlAssistant *assistant;
  const char  *page_id;
} PageWait;

static gboolean
is_on_page (gpointer user_data)
{
  PageWait *wait = user_data;
  KlPage *page = kl_assistant_get_current_page (wait->assistant);

  return page != NULL && g_strcmp0 (kl_page_get_page_id (page), wait->page_id) == 0;
}

static gboolean
has_plan (gpointer user_data)
{
  return kl_session_get_plan (KL_SESSION (user_data)) != NULL;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *label,
          GType       type)
{
  GtkWidget *found = kl_test_find_by_label (root, label);

  g_assert_nonnull (found);
  return gtk_widget_get_ancestor (found, type);
}

static void
type_into (KlPage     *page,
           const char *title,
           const char *text)
{
  GtkWidget *row = find_row (GTK_WIDGET (page), title, ADW_TYPE_ENTRY_ROW);

  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Signs in through the sign-in page with "Remember in Keyring", then chooses a project. */
static void
sign_in_and_choose (KlWindow   *window,
                    KlSim      *sim,
                    gboolean    api_key,
                    const char *profile_name)
{
  KlAssistant *assistant = kl_window_get_assistant (window);
  PageWait wait = { assistant, KL_PAGE_PROJECT };
  g_autoptr(GPtrArray) projects = NULL;
  GtkWidget *remember_row;
  KlPage *page;

  g_assert_true (kl_assistant_set_current_page (assistant, KL_PAGE_SIGN_IN));
  page = kl_assistant_get_current_page (assistant);

  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (page), "Sign In With",
                                                       ADW_TYPE_COMBO_ROW)), api_key ? 1 : 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (page), "Service",
                                                       ADW_TYPE_COMBO_ROW)), 2);
  type_into (page, "Atlas Address", kl_sim_get_base_url (sim));
  type_into (page, api_key ? "Public Key" : "Client ID", api_key ? API_PUBLIC : SA_CLIENT_ID);
  type_into (page, api_key ? "Private Key" : "Client Secret", api_key ? API_PRIVATE : SA_SECRET);
  remember_row = find_row (GTK_WIDGET (page), "Remember in Keyring", ADW_TYPE_ACTION_ROW);
  gtk_switch_set_active (GTK_SWITCH (kl_test_find_by_type (remember_row, GTK_TYPE_SWITCH)), TRUE);
  type_into (page, "Profile Name", profile_name);
  g_assert_true (kl_page_get_complete (page));

  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (is_on_page, &wait, TIMEOUT_MS));

  /* Choose the ready project the way the page does: the session reads its state. */
  kl_session_set_project (kl_window_get_session (window), NULL);
  {
    KlProjectPage *project_page = KL_PROJECT_PAGE (kl_assistant_get_current_page (assistant));

    g_assert_true (kl_project_page_select (project_page, KL_SIM_GROUP_READY));
  }
  g_assert_true (kl_test_wait_until (has_plan, kl_window_get_session (window), TIMEOUT_MS));
}

static gboolean
draft_has_tenant (gpointer user_data)
{
  g_autoptr(GVariant) drafts = g_settings_get_value (G_SETTINGS (user_data), "azure-drafts");
  g_autofree char *text = g_variant_print (drafts, FALSE);

  return strstr (text, TENANT_ID) != NULL;
}

/* Types the Azure application's details, secret included, and waits until the project's
 * draft holds them: the scans below then look at a draft that exists. */
static void
type_azure_details (KlWindow      *window,
                    KlApplication *app)
{
  KlAssistant *assistant = kl_window_get_assistant (window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KlPage *page;

  g_assert_true (kl_assistant_set_current_page (assistant, KL_PAGE_AZURE_APP));
  page = kl_assistant_get_current_page (assistant);
  type_into (page, "Directory (Tenant) ID", TENANT_ID);
  type_into (page, "Application (Client) ID", CLIENT_ID);
  type_into (page, "Client Secret Value", AZURE_SECRET);
  g_assert_true (kl_page_get_complete (page));
  g_assert_true (kl_test_wait_until (draft_has_tenant, settings, TIMEOUT_MS));
}

static guint
scan_tree (const char *path,
           guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint found = 0;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        return 0;

      (*n_files)++;
      for (guint i = 0; secrets[i] != NULL; i++)
        if (memmem (contents, length, secrets[i], strlen (secrets[i])) != NULL)
          {
            g_test_message ("secret found in %s", path);
            found++;
          }
      return found;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      found += scan_tree (child, n_files);
    }

  return found;
}

static void
scan_gsettings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_nonnull (keys[0]);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      for (guint j = 0; secrets[j] != NULL; j++)
        g_assert_null (strstr (text, secrets[j]));
    }
}

/* Runs in a child process with G_MESSAGES_DEBUG=all; the parent reads its output. */
static void
test_secrets_child (void)
{
  g_autoptr(KlApplication) app = kl_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSim) sim = kl_sim_new ();
  const char *dirs[5];
  guint n_files = 0;
  guint found = 0;
  KlWindow *window;

  /* Everything into the log, as a user reporting a bug would run it. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  kl_sim_set_time_scale (sim, 0);
  kl_sim_add_service_account (sim, SA_CLIENT_ID, SA_SECRET);
  kl_sim_add_api_key (sim, API_PUBLIC, API_PRIVATE);
  g_assert_true (kl_sim_start (sim, 0, &error));
  g_assert_no_error (error);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = g_object_ref_sink (kl_window_new (app));
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  sign_in_and_choose (window, sim, FALSE, "Scan service account");
  sign_in_and_choose (window, sim, TRUE, "Scan API key");
  type_azure_details (window, app);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* Nothing on disk: HOME and every XDG dir of the isolated session. */
  dirs[0] = g_get_home_dir ();
  dirs[1] = g_get_user_config_dir ();
  dirs[2] = g_get_user_data_dir ();
  dirs[3] = g_get_user_cache_dir ();
  dirs[4] = g_get_user_runtime_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    found += scan_tree (dirs[i], &n_files);
  g_test_message ("scanned %u files", n_files);
  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (found, ==, 0);

  /* Nothing in GSettings. */
  scan_gsettings (kl_application_get_settings (app));

  kl_sim_stop (sim);
}

static void
test_secrets (void)
{
  if (!g_test_subprocess () && g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("Not run by build-aux/test-session.sh: no private keyring");
      return;
    }

  if (g_test_subprocess ())
    {
      test_secrets_child ();
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, 0);

  g_test_trap_assert_passed ();
  /* The log was captured (GLib writes debug messages to stdout): the requests are in it… */
  g_test_trap_assert_stdout ("*GET /api/atlas/v2/groups*");
  g_test_trap_assert_stdout ("*POST /api/oauth/token*");
  /* …and holds no secret. */
  for (guint i = 0; secrets[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*%s*", secrets[i]);

      g_test_trap_assert_stderr_unmatched (pattern);
      g_test_trap_assert_stdout_unmatched (pattern);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/secrets/after-sign-in", test_secrets);

  return g_test_run ();
}
