/* kl-test-flow.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

KlApplication *app;

gboolean
has_width (gpointer user_data)
{
  WidthWait *wait = user_data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

gboolean
welcome_loaded (gpointer user_data)
{
  return !kl_welcome_page_get_loading (KL_WELCOME_PAGE (user_data));
}

void
window_open (Fixture *fixture,
             int      width,
             int      height)
{
  WidthWait wait;
  int border;

  fixture->window = g_object_ref_sink (kl_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  fixture->assistant = kl_window_get_assistant (fixture->window);
  fixture->session = kl_window_get_session (fixture->window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));

  border = width - gtk_widget_get_width (GTK_WIDGET (fixture->window));
  if (border != 0)
    {
      wait = (WidthWait) { GTK_WIDGET (fixture->window), width };
      gtk_window_set_default_size (GTK_WINDOW (fixture->window), width + border, height + border);
      g_assert_true (kl_test_wait_until (has_width, &wait, TIMEOUT_MS));
      g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));
    }

  if (!kl_application_get_demo (app))
    g_assert_true (kl_test_wait_until (welcome_loaded,
                                       kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME),
                                       TIMEOUT_MS));
}

void
window_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  fixture->window = NULL;
}

void
reset_memory (void)
{
  GSettings *settings = kl_application_get_settings (app);

  g_settings_reset (settings, "last-profile");
  g_settings_reset (settings, "last-project");
  g_settings_reset (settings, "last-project-name");
  g_settings_reset (settings, "unfinished-teardowns");
}

void
sim_start (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  reset_memory ();
  fixture->sim = kl_sim_new ();
  kl_sim_set_time_scale (fixture->sim, 0);
  /* UPDATING from the PATCH's answer on: the IDLE-after-PATCH delay and the client's answer
   * to it are tests/core/test-clusters.c's. */
  kl_sim_set_cluster_propagation (fixture->sim, 0);
  kl_sim_add_service_account (fixture->sim, SA_CLIENT_ID, SA_SECRET);
  kl_sim_add_api_key (fixture->sim, API_PUBLIC, API_PRIVATE);
  g_assert_true (kl_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  sim_start (fixture);
  window_open (fixture, 720, 800);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    window_close (fixture);
  kl_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
}

/* ---- Finding and using controls as a person would: by their labels ---------------------- */

KlPage *
current_page (Fixture *fixture)
{
  return kl_assistant_get_current_page (fixture->assistant);
}

const char *
current_page_id (Fixture *fixture)
{
  KlPage *page = current_page (fixture);

  return page != NULL ? kl_page_get_page_id (page) : NULL;
}

gboolean
is_on_page (gpointer user_data)
{
  PageWait *wait = user_data;

  return g_strcmp0 (current_page_id (wait->fixture), wait->page_id) == 0;
}

KlPage *
wait_for_page (Fixture    *fixture,
               const char *page_id,
               guint       timeout_ms)
{
  PageWait wait = { fixture, page_id };

  if (!kl_test_wait_until (is_on_page, &wait, timeout_ms))
    g_error ("Still on page “%s” (error: %s), not “%s”", current_page_id (fixture),
             kl_page_get_error (current_page (fixture)), page_id);
  return current_page (fixture);
}

gboolean
is_drawn (gpointer user_data)
{
  GtkWidget *widget = user_data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return node != NULL;
}

/* Wrapped labels take another layout pass: wait until the window is drawn as it is. */
void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *path = NULL;

  gtk_widget_queue_draw (window);
  g_assert_true (kl_test_wait_until (is_drawn, window, TIMEOUT_MS));
  path = kl_test_save_screenshot (window, name);
  g_test_message ("saved %s", path);
}

GtkWidget *
find_row (GtkWidget  *root,
          const char *label,
          GType       type)
{
  GtkWidget *found = kl_test_find_by_label (root, label);
  GtkWidget *row;

  if (found == NULL)
    g_error ("No “%s” found", label);
  row = gtk_widget_get_ancestor (found, type);
  g_assert_nonnull (row);
  return row;
}

AdwEntryRow *
find_entry (KlPage     *page,
            const char *title)
{
  return ADW_ENTRY_ROW (find_row (GTK_WIDGET (page), title, ADW_TYPE_ENTRY_ROW));
}

void
choose (KlPage     *page,
        const char *title,
        guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (page), title,
                                                       ADW_TYPE_COMBO_ROW)), position);
}

void
activate_row (GtkWidget  *root,
              const char *label)
{
  GtkWidget *row = find_row (root, label, GTK_TYPE_LIST_BOX_ROW);

  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (gtk_widget_is_sensitive (row));
  g_signal_emit_by_name (row, "activate");
}

/* A project's row in the list: the list item named by it, which Enter or a click activates.
 * Its name is shown as it is, never read as markup. */
GtkWidget *
project_row (KlProjectPage *page,
             const char    *name)
{
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (page), name);
  GtkWidget *row = label;

  if (label == NULL)
    g_error ("No “%s” found", name);
  /* Its text, found as it is: set as text, never as markup. */
  g_assert_true (GTK_IS_INSCRIPTION (label));
  g_assert_null (gtk_inscription_get_attributes (GTK_INSCRIPTION (label)));
  while (row != NULL &&
         gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)) !=
         GTK_ACCESSIBLE_ROLE_GRID_CELL)
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  return row;
}

gboolean
project_row_mapped (gpointer user_data)
{
  ProjectRowWait *wait = user_data;
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (wait->page), wait->name);

  return label != NULL && gtk_widget_get_mapped (label);
}

/* Once the list has laid out the row (on the frame after a search). */
void
activate_project (KlProjectPage *page,
                  const char    *name)
{
  ProjectRowWait wait = { page, name };
  GtkWidget *row;

  g_assert_true (kl_test_wait_until (project_row_mapped, &wait, TIMEOUT_MS));
  row = project_row (page, name);
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_widget_activate (row);
}

void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” does not say “%s”", text, needle);
}

gboolean
not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

const Credentials good_sa = { KL_AUTH_SERVICE_ACCOUNT, NULL, SA_CLIENT_ID, SA_SECRET, NULL };

GtkSwitch *
remember_switch (KlPage *page)
{
  GtkWidget *row = find_row (GTK_WIDGET (page), "Remember in Keyring", ADW_TYPE_ACTION_ROW);

  return GTK_SWITCH (kl_test_find_by_type (row, GTK_TYPE_SWITCH));
}

KlPage *
fill_sign_in (Fixture           *fixture,
              const Credentials *credentials)
{
  gboolean api_key = credentials->auth_type == KL_AUTH_API_KEY;
  KlPage *page;

  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_SIGN_IN));
  page = current_page (fixture);

  choose (page, "Sign In With", api_key ? 1 : 0);
  choose (page, "Service", 2);
  kl_test_type_text (find_entry (page, "Atlas Address"),
                     credentials->url != NULL ? credentials->url
                                              : kl_sim_get_base_url (fixture->sim));
  kl_test_type_text (find_entry (page, api_key ? "Public Key" : "Client ID"),
                     credentials->principal);
  kl_test_type_text (find_entry (page, api_key ? "Private Key" : "Client Secret"),
                     credentials->secret);

  gtk_switch_set_active (remember_switch (page), credentials->profile != NULL);
  if (credentials->profile != NULL)
    kl_test_type_text (find_entry (page, "Profile Name"), credentials->profile);

  g_assert_true (kl_page_get_complete (page));
  return page;
}

/* Signs in and waits for the project list. */
KlProjectPage *
sign_in (Fixture           *fixture,
         const Credentials *credentials)
{
  fill_sign_in (fixture, credentials);
  kl_assistant_next (fixture->assistant);
  return KL_PROJECT_PAGE (wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS));
}

guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path) &&
          request->status != 401)
        n++;
    }

  return n;
}

void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ListWait *wait = user_data;

  wait->profiles = kl_credentials_list_finish (KL_CREDENTIALS (object), result, &wait->error);
  wait->done = TRUE;
}

/* The saved profile called @name, read from the keyring anew. */
KlProfile *
find_saved_profile (const char *name)
{
  g_autoptr(KlCredentials) credentials = kl_credentials_new ();
  ListWait wait = { NULL, NULL, FALSE };
  KlProfile *found = NULL;

  kl_credentials_list_async (credentials, NULL, list_cb, &wait);
  g_assert_true (kl_test_wait_for_flag (&wait.done, TIMEOUT_MS));
  g_assert_no_error (wait.error);

  for (guint i = 0; i < wait.profiles->len; i++)
    {
      KlProfile *profile = g_ptr_array_index (wait.profiles, i);

      if (g_strcmp0 (kl_profile_get_display_name (profile), name) == 0)
        found = g_object_ref (profile);
    }
  g_ptr_array_unref (wait.profiles);

  return found;
}

void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_credentials_delete_finish (KL_CREDENTIALS (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
delete_saved_profile (KlProfile *profile)
{
  g_autoptr(KlCredentials) credentials = kl_credentials_new ();
  gboolean done = FALSE;

  kl_credentials_delete_async (credentials, kl_profile_get_id (profile), NULL, delete_cb, &done);
  g_assert_true (kl_test_wait_for_flag (&done, TIMEOUT_MS));
}

gboolean
keyring_missing (void)
{
  if (g_getenv ("KL_TEST_NO_KEYRING") == NULL)
    return FALSE;

  g_test_skip ("needs the Secret Service");
  return TRUE;
}

guint
n_shown (KlProjectPage *page)
{
  return g_list_model_get_n_items (kl_project_page_get_shown (page));
}

gboolean
label_shown (gpointer user_data)
{
  LabelWait *wait = user_data;
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (wait->window), wait->label);

  return label != NULL && gtk_widget_get_mapped (label);
}

void
wait_for_label (KlWindow   *window,
                const char *label)
{
  LabelWait wait = { window, label };

  if (!kl_test_wait_until (label_shown, &wait, TIMEOUT_MS))
    g_error ("“%s” is not shown", label);
}

gboolean
shows_n (gpointer user_data)
{
  ShownWait *wait = user_data;

  return n_shown (wait->page) == wait->n;
}

void
search (KlProjectPage *page,
        const char    *text,
        guint          n_expected)
{
  GtkWidget *entry = kl_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  ShownWait wait = { page, n_expected };

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  if (!kl_test_wait_until (shows_n, &wait, TIMEOUT_MS))
    g_error ("Searching “%s” shows %u projects, not %u", text, n_shown (page), n_expected);
}

gboolean
has_plan (gpointer user_data)
{
  return kl_session_get_plan (KL_SESSION (user_data)) != NULL;
}

GtkWidget *
action_row (KlProjectPage *page,
            const char    *title)
{
  return find_row (GTK_WIDGET (page), title, ADW_TYPE_ACTION_ROW);
}

gboolean
row_shown (KlProjectPage *page,
           const char    *title)
{
  GtkWidget *row = action_row (page, title);

  return gtk_widget_get_visible (row) &&
         gtk_widget_get_visible (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
}

/* Chooses a project as a person would (a click on its row) and waits for its state. */
void
choose_project (Fixture       *fixture,
                KlProjectPage *page,
                const char    *name)
{
  KlProject *chosen = kl_session_get_project (fixture->session);
  guint n_expected = 1;

  /* The project chosen before stays listed whatever the search. */
  if (chosen != NULL)
    {
      g_autofree char *chosen_key = g_utf8_casefold (kl_project_get_name (chosen), -1);
      g_autofree char *key = g_utf8_casefold (name, -1);

      if (strstr (chosen_key, key) == NULL)
        n_expected = 2;
    }

  search (page, name, n_expected);
  activate_project (page, name);
  g_assert_true (kl_test_wait_until (has_plan, fixture->session, TIMEOUT_MS));
}

const char *
status_text (KlProjectPage *page)
{
  GtkWidget *group = kl_test_find_by_label (GTK_WIDGET (page), "Clusters");
  GtkWidget *list = gtk_widget_get_ancestor (group, GTK_TYPE_LIST_BOX);
  GtkWidget *status = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status));
}

void
ear_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  EarWait *wait = user_data;

  wait->ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result,
                                                             &wait->error);
  wait->done = TRUE;
}

void
patch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  EarWait *wait = user_data;

  wait->ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result,
                                                               &wait->error);
  wait->done = TRUE;
}

KlAtlasClient *
test_client (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  KlAtlasClient *client;

  client = kl_atlas_client_new (kl_sim_get_base_url (fixture->sim), KL_AUTH_API_KEY, API_PUBLIC,
                                API_PRIVATE, &error);
  g_assert_no_error (error);
  return client;
}

/* What Atlas holds for the ready project, read with a client of the test's own. */
KlEncryptionAtRest *
read_back (Fixture *fixture)
{
  g_autoptr(KlAtlasClient) client = test_client (fixture);
  EarWait wait = { NULL, NULL, FALSE };

  kl_atlas_client_get_encryption_at_rest_async (client, KL_SIM_GROUP_READY, NULL, ear_cb, &wait);
  g_assert_true (kl_test_wait_for_flag (&wait.done, TIMEOUT_MS));
  g_assert_no_error (wait.error);
  return wait.ear;
}

gboolean
page_complete (gpointer user_data)
{
  return kl_page_get_complete (KL_PAGE (user_data));
}

gboolean
done_loaded (gpointer user_data)
{
  return kl_done_page_get_loaded (KL_DONE_PAGE (user_data));
}

/* ---- Resume -------------------------------------------------------------------------------- */

/* What earlier runs of the flow left: the key enabled and valid, private networking required,
 * no endpoint yet (the private networking page did its part; the endpoints are next). */
void
make_half_done (Fixture *fixture)
{
  g_autoptr(KlAtlasClient) client = test_client (fixture);
  g_autoptr(KlAzureKeyVault) wanted = kl_azure_key_vault_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  EarWait wait = { NULL, NULL, FALSE };

  kl_azure_key_vault_set_azure_environment (wanted, "AZURE");
  kl_azure_key_vault_set_tenant_id (wanted, KL_TEST_TENANT_ID);
  kl_azure_key_vault_set_client_id (wanted, KL_TEST_CLIENT_ID);
  kl_azure_key_vault_set_secret (wanted, KL_TEST_CLIENT_SECRET);
  kl_azure_key_vault_set_subscription_id (wanted, KL_TEST_SUBSCRIPTION_ID);
  kl_azure_key_vault_set_resource_group_name (wanted, KL_TEST_RESOURCE_GROUP);
  kl_azure_key_vault_set_key_vault_name (wanted, KL_TEST_VAULT);
  kl_azure_key_vault_set_key_identifier (wanted, KL_TEST_KEY_ID);
  kl_azure_key_vault_set_enabled (wanted, TRUE);
  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  kl_atlas_client_patch_encryption_at_rest_async (client, KL_SIM_GROUP_READY, body, NULL,
                                                  patch_cb, &wait);
  g_assert_true (kl_test_wait_for_flag (&wait.done, TIMEOUT_MS));
  g_assert_no_error (wait.error);
  g_clear_object (&wait.ear);

  g_bytes_unref (body);
  body = kl_encryption_at_rest_build_private_networking (TRUE);
  wait.done = FALSE;
  kl_atlas_client_patch_encryption_at_rest_async (client, KL_SIM_GROUP_READY, body, NULL,
                                                  patch_cb, &wait);
  g_assert_true (kl_test_wait_for_flag (&wait.done, TIMEOUT_MS));
  g_assert_no_error (wait.error);
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
    kl_encryption_at_rest_get_azure_key_vault (wait.ear)));
  g_clear_object (&wait.ear);
}

void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

gboolean
async_done (gpointer user_data)
{
  return ((AsyncWait *) user_data)->result != NULL;
}

/* Waits for the answer; transfer full. */
GAsyncResult *
async_wait (AsyncWait *wait)
{
  g_assert_true (kl_test_wait_until (async_done, wait, TIMEOUT_MS));
  return g_steal_pointer (&wait->result);
}

/* What earlier runs left on top of make_half_done(): an endpoint in each region of the
 * project's clusters, approved in Azure and ACTIVE. */
void
make_endpoints_active (Fixture *fixture)
{
  const char *regions[] = { "EUROPE_WEST", "US_EAST_2" };
  g_autoptr(KlAtlasClient) client = test_client (fixture);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KlPrivateEndpoint) endpoint = NULL;

      kl_atlas_client_create_private_endpoint_async (client, KL_SIM_GROUP_READY, regions[i],
                                                     NULL, async_cb, &wait);
      result = async_wait (&wait);
      endpoint = kl_atlas_client_create_private_endpoint_finish (client, result, &error);
      g_assert_no_error (error);
      g_ptr_array_add (ids, g_strdup (kl_private_endpoint_get_id (endpoint)));
    }

  kl_sim_advance (fixture->sim, KL_SIM_INITIATING_SECONDS);
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_true (kl_sim_approve_endpoint (fixture->sim, KL_SIM_GROUP_READY,
                                              g_ptr_array_index (ids, i), &error));
      g_assert_no_error (error);
    }
  kl_sim_advance (fixture->sim, KL_SIM_ACTIVATION_SECONDS);
}

/* …and both of its clusters on the key, IDLE. */
void
make_clusters_on_key (Fixture *fixture)
{
  const char *names[] = { "payments-eu", "payments-us" };
  g_autoptr(KlAtlasClient) client = test_client (fixture);
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KlCluster) cluster = NULL;

      kl_atlas_client_set_cluster_encryption_async (client, KL_SIM_GROUP_READY, names[i], "AZURE",
                                                    NULL, async_cb, &wait);
      result = async_wait (&wait);
      cluster = kl_atlas_client_set_cluster_encryption_finish (client, result, &error);
      g_assert_no_error (error);
    }
  kl_sim_advance (fixture->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
}

void
prepare_endpoints_active (Fixture *fixture)
{
  make_half_done (fixture);
  make_endpoints_active (fixture);
}

void
prepare_all_done (Fixture *fixture)
{
  prepare_endpoints_active (fixture);
  make_clusters_on_key (fixture);
}

void
kl_test_flow_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;

  /* Accessible properties are checked through GTK's test backend. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (argc, argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
}

void
kl_test_flow_shutdown (void)
{
  g_clear_object (&app);
}
