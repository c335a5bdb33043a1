/* test-flow.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-atlas-client.h"
#include "kl-credentials.h"
#include "kl-endpoint-watch.h"
#include "kl-flow.h"
#include "kl-plan.h"
#include "kl-teardown-intent.h"
#include "kl-sim.h"
#include "kl-window.h"
#include "kl-test-widget.h"
#include "widgets/kl-cluster-row.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/done/kl-done-page.h"
#include "pages/endpoints/kl-endpoints-page.h"
#include "pages/project/kl-project-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/rotate/kl-rotate-page.h"
#include "pages/teardown/kl-teardown-page.h"
#include "pages/welcome/kl-welcome-page.h"

/* The flow in the real window against the simulator in this process: sign-in, the project
 * list and what it says about each seeded project, the walk to an enabled key, resuming a
 * half-done project in a new window, and demo mode. The keyring is the test session's real
 * gnome-keyring (build-aux/test-session.sh). */

#define TIMEOUT_MS      10000
/* Sign-in to an address nobody listens on: the client retries a few times before it says so. */
#define NETWORK_TIMEOUT_MS 60000

#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000f10e"
#define SA_SECRET       "mdb_sa_sk_flowtest0123456789abcdefghijkl"
#define API_PUBLIC      "flowtest"
#define API_PRIVATE     "3c9f2a71-5b8e-4d06-a1f4-9e2b7c8d0f15"

static KlApplication *app;

/* ---- Fixture ---------------------------------------------------------------------------- */

typedef struct
{
  KlSim       *sim;
  KlWindow    *window;
  KlAssistant *assistant;
  KlSession   *session;
} Fixture;

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
has_width (gpointer user_data)
{
  WidthWait *wait = user_data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

static gboolean
welcome_loaded (gpointer user_data)
{
  return !kl_welcome_page_get_loading (KL_WELCOME_PAGE (user_data));
}

static void
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

static void
window_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  fixture->window = NULL;
}

static void
reset_memory (void)
{
  GSettings *settings = kl_application_get_settings (app);

  g_settings_reset (settings, "last-profile");
  g_settings_reset (settings, "last-project");
  g_settings_reset (settings, "last-project-name");
  g_settings_reset (settings, "unfinished-teardowns");
}

static void
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

static void
assert_setting (const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (kl_application_get_settings (app), key);

  g_assert_cmpstr (value, ==, expected);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  sim_start (fixture);
  window_open (fixture, 720, 800);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    window_close (fixture);
  kl_sim_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
}

/* ---- Finding and using controls as a person would: by their labels ---------------------- */

static KlPage *
current_page (Fixture *fixture)
{
  return kl_assistant_get_current_page (fixture->assistant);
}

static const char *
current_page_id (Fixture *fixture)
{
  KlPage *page = current_page (fixture);

  return page != NULL ? kl_page_get_page_id (page) : NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *page_id;
} PageWait;

static gboolean
is_on_page (gpointer user_data)
{
  PageWait *wait = user_data;

  return g_strcmp0 (current_page_id (wait->fixture), wait->page_id) == 0;
}

static KlPage *
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

static gboolean
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
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *path = NULL;

  gtk_widget_queue_draw (window);
  g_assert_true (kl_test_wait_until (is_drawn, window, TIMEOUT_MS));
  path = kl_test_save_screenshot (window, name);
  g_test_message ("saved %s", path);
}

static GtkWidget *
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

static AdwEntryRow *
find_entry (KlPage     *page,
            const char *title)
{
  return ADW_ENTRY_ROW (find_row (GTK_WIDGET (page), title, ADW_TYPE_ENTRY_ROW));
}

static void
choose (KlPage     *page,
        const char *title,
        guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (page), title,
                                                       ADW_TYPE_COMBO_ROW)), position);
}

static void
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
static GtkWidget *
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
         GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  return row;
}

typedef struct
{
  KlProjectPage *page;
  const char    *name;
} ProjectRowWait;

static gboolean
project_row_mapped (gpointer user_data)
{
  ProjectRowWait *wait = user_data;
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (wait->page), wait->name);

  return label != NULL && gtk_widget_get_mapped (label);
}

/* Once the list has laid out the row (on the frame after a search). */
static void
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

static gboolean
shows_caption (gpointer user_data)
{
  return kl_test_caption_text (ADW_ENTRY_ROW (user_data)) != NULL;
}

static const char *
wait_for_caption (AdwEntryRow *row)
{
  g_assert_true (kl_test_wait_until (shows_caption, row, TIMEOUT_MS));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  return kl_test_caption_text (row);
}

typedef struct
{
  AdwEntryRow *row;
  const char  *needle;
} CaptionWait;

static gboolean
caption_says (gpointer user_data)
{
  CaptionWait *wait = user_data;
  const char *text = kl_test_caption_text (wait->row);

  return text != NULL && strstr (text, wait->needle) != NULL;
}

/* The field's message comes once the user pauses, replacing the one before. */
static void
wait_for_message (AdwEntryRow *row,
                  const char  *needle)
{
  CaptionWait wait = { row, needle };

  if (!kl_test_wait_until (caption_says, &wait, TIMEOUT_MS))
    g_error ("The field says “%s”, not “%s”", kl_test_caption_text (row), needle);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” does not say “%s”", text, needle);
}

static gboolean
not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

/* ---- Signing in ------------------------------------------------------------------------- */

typedef struct
{
  KlAuthType  auth_type;
  const char *url;         /* NULL: the simulator's */
  const char *principal;
  const char *secret;
  const char *profile;     /* NULL: not remembered */
} Credentials;

static const Credentials good_sa = { KL_AUTH_SERVICE_ACCOUNT, NULL, SA_CLIENT_ID, SA_SECRET, NULL };

static GtkSwitch *
remember_switch (KlPage *page)
{
  GtkWidget *row = find_row (GTK_WIDGET (page), "Remember in Keyring", ADW_TYPE_ACTION_ROW);

  return GTK_SWITCH (kl_test_find_by_type (row, GTK_TYPE_SWITCH));
}

static KlPage *
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
static KlProjectPage *
sign_in (Fixture           *fixture,
         const Credentials *credentials)
{
  fill_sign_in (fixture, credentials);
  kl_assistant_next (fixture->assistant);
  return KL_PROJECT_PAGE (wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS));
}

/* Signs in expecting a failure; returns the page's error. */
static const char *
sign_in_fails (Fixture           *fixture,
               const Credentials *credentials,
               guint              timeout_ms)
{
  KlPage *page = fill_sign_in (fixture, credentials);

  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_page_get_applying (page));
  g_assert_true (kl_test_wait_until (not_applying, page, timeout_ms));
  g_assert_true (current_page (fixture) == page);
  g_assert_nonnull (kl_page_get_error (page));
  /* On the page, where the user is. */
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (fixture->assistant),
                                           kl_page_get_error (page)));
  return kl_page_get_error (page);
}

static guint
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

#define EAR_PATH "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/encryptionAtRest"

/* The method of the first request to @path (Digest challenges aside), or NULL. */
static const char *
first_request_to (Fixture    *fixture,
                  const char *path)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, path) && request->status != 401)
        return g_intern_string (request->method);
    }

  return NULL;
}

/* ---- Keyring ---------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *profiles;
  GError    *error;
  gboolean   done;
} ListWait;

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ListWait *wait = user_data;

  wait->profiles = kl_credentials_list_finish (KL_CREDENTIALS (object), result, &wait->error);
  wait->done = TRUE;
}

/* The saved profile called @name, read from the keyring anew. */
static KlProfile *
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

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_credentials_delete_finish (KL_CREDENTIALS (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
delete_saved_profile (KlProfile *profile)
{
  g_autoptr(KlCredentials) credentials = kl_credentials_new ();
  gboolean done = FALSE;

  kl_credentials_delete_async (credentials, kl_profile_get_id (profile), NULL, delete_cb, &done);
  g_assert_true (kl_test_wait_for_flag (&done, TIMEOUT_MS));
}

static gboolean
keyring_missing (void)
{
  if (g_getenv ("KL_TEST_NO_KEYRING") == NULL)
    return FALSE;

  g_test_skip ("needs the Secret Service");
  return TRUE;
}

/* ---- Sign-in page ----------------------------------------------------------------------- */

static void
test_sign_in_validation (Fixture       *fixture,
                         gconstpointer  user_data)
{
  KlPage *page;
  AdwEntryRow *url, *client_id, *secret, *name;
  GtkWidget *fix;

  /* Welcome → Sign in. */
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  g_assert_cmpstr (kl_page_get_help_id (page), ==, "sign-in");
  g_assert_false (kl_page_get_complete (page));

  url = find_entry (page, "Atlas Address");
  client_id = find_entry (page, "Client ID");
  secret = find_entry (page, "Client Secret");
  name = find_entry (page, "Profile Name");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (secret));

  /* The address shows only for another service. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (url)));
  choose (page, "Service", 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (url)));

  kl_test_type_text (url, "cloud.mongodb.com");
  wait_for_message (url, "not a web address");
  kl_test_type_text (url, "https://");
  wait_for_message (url, "has no host name");
  kl_test_type_text (url, "https://atlas.example.com/api/atlas/v2");
  wait_for_message (url, "without a path");

  /* Plain HTTP only on loopback (the simulator). */
  kl_test_type_text (url, "http://atlas.example.com");
  wait_for_message (url, "only over HTTPS");
  g_assert_false (kl_page_get_complete (page));
  kl_test_type_text (url, kl_sim_get_base_url (fixture->sim));
  g_assert_null (kl_test_caption_text (url));

  /* A service account's client ID, not its secret. */
  kl_test_type_text (client_id, "65f0000000000000000000a1");
  wait_for_message (client_id, "mdb_sa_id_");
  kl_test_type_text (client_id, SA_SECRET);
  wait_for_message (client_id, "client secret");
  kl_test_type_text (client_id, " " SA_CLIENT_ID " ");
  g_assert_null (kl_test_caption_text (client_id));

  /* No secret: not complete, and nothing to complain about until something is typed. */
  g_assert_false (kl_page_get_complete (page));
  gtk_widget_grab_focus (GTK_WIDGET (secret));
  gtk_widget_grab_focus (GTK_WIDGET (name));
  g_assert_null (kl_test_caption_text (secret));
  kl_test_type_text (secret, "   ");
  wait_for_message (secret, "empty");
  g_assert_false (kl_page_get_complete (page));

  /* Spaces around a pasted secret: one click repairs it. */
  kl_test_type_text (secret, SA_SECRET " ");
  wait_for_message (secret, "space");
  fix = kl_test_find_by_label (gtk_widget_get_next_sibling (GTK_WIDGET (secret)), "_Fix");
  g_assert_true (gtk_widget_get_visible (fix));
  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, SA_SECRET);
  g_assert_null (kl_test_caption_text (secret));
  g_assert_true (kl_page_get_complete (page));

  /* Remembering needs a name; one is suggested. (Without a keyring, remembering starts off:
   * turned on, it asks for a name the same way.) */
  gtk_switch_set_active (remember_switch (page), TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (name)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "127.0.0.1 — service account");
  kl_test_type_text (name, " ");
  g_assert_nonnull (wait_for_caption (name));
  g_assert_false (kl_page_get_complete (page));
  gtk_switch_set_active (remember_switch (page), FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (name)));
  g_assert_true (kl_page_get_complete (page));

  /* The rules follow the kind of credentials. */
  choose (page, "Sign In With", 1);
  g_assert_true (client_id == find_entry (page, "Public Key"));
  wait_for_message (client_id, "service account");
  kl_test_type_text (client_id, API_PRIVATE);
  wait_for_message (client_id, "private key");
  kl_test_type_text (client_id, API_PUBLIC);
  g_assert_null (kl_test_caption_text (client_id));
  kl_test_type_text (secret, API_PRIVATE);
  g_assert_true (kl_page_get_complete (page));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Sign In");

  /* Enter signs in. */
  g_signal_emit_by_name (find_entry (page, "Private Key"), "entry-activated");
  g_assert_true (kl_page_get_applying (page));
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
}

static guint
n_shown (KlProjectPage *page)
{
  return g_list_model_get_n_items (kl_project_page_get_shown (page));
}

typedef struct
{
  KlWindow   *window;
  const char *label;
} LabelWait;

static gboolean
label_shown (gpointer user_data)
{
  LabelWait *wait = user_data;
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (wait->window), wait->label);

  return label != NULL && gtk_widget_get_mapped (label);
}

static void
wait_for_label (KlWindow   *window,
                const char *label)
{
  LabelWait wait = { window, label };

  if (!kl_test_wait_until (label_shown, &wait, TIMEOUT_MS))
    g_error ("“%s” is not shown", label);
}

static void
test_sign_in_good (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Credentials credentials = good_sa;
  g_autoptr(KlProfile) saved = NULL;
  KlProjectPage *projects;
  GtkWidget *first_row, *row;
  KlPage *welcome;

  if (keyring_missing ())
    return;

  credentials.profile = "Flow test account";
  projects = sign_in (fixture, &credentials);

  /* The projects came with the sign-in: one request, every project listed. */
  g_assert_cmpuint (n_shown (projects), ==, 16);
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/atlas/v2/groups"), ==, 1);
  g_assert_nonnull (kl_session_get_client (fixture->session));
  g_assert_cmpstr (kl_atlas_client_get_principal (kl_session_get_client (fixture->session)), ==,
                   SA_CLIENT_ID);
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (projects), "Payments"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (projects), KL_SIM_GROUP_READY));

  /* Remembered in the real keyring, without a secret in the profile itself. */
  saved = find_saved_profile ("Flow test account");
  g_assert_nonnull (saved);
  g_assert_cmpint (kl_profile_get_auth_type (saved), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpint (kl_profile_get_service (saved), ==, KL_ATLAS_SERVICE_CUSTOM);
  g_assert_cmpstr (kl_profile_get_client_id (saved), ==, SA_CLIENT_ID);
  g_assert_cmpstr (kl_profile_get_base_url (saved), ==, kl_sim_get_base_url (fixture->sim));
  assert_setting ("last-profile", kl_profile_get_id (saved));

  /* A new window lists it on its welcome page, first since it was used last. */
  window_close (fixture);
  window_open (fixture, 720, 800);
  welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);
  row = find_row (GTK_WIDGET (welcome), "Flow test account", GTK_TYPE_LIST_BOX_ROW);
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (gtk_widget_get_parent (row)),
                                                         0));
  g_assert_true (row == first_row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Service account · http://127.0.0.1:"));

  /* Choosing it signs in the same way, with the secret from the keyring. */
  kl_sim_clear_requests (fixture->sim);
  activate_row (GTK_WIDGET (welcome), "Flow test account");
  projects = KL_PROJECT_PAGE (wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS));
  g_assert_cmpuint (n_shown (projects), ==, 16);
  g_assert_cmpuint (count_requests (fixture, "POST", "/api/oauth/token"), ==, 1);

  /* Signing in with it unchanged did not save a second one. */
  kl_assistant_back (fixture->assistant);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_WELCOME);
  wait_for_label (fixture->window, "Flow test account");

  delete_saved_profile (saved);
}

static void
test_sign_in_bad_credentials (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Credentials wrong_secret = good_sa;
  Credentials wrong_key = {
    KL_AUTH_API_KEY, NULL, API_PUBLIC, "0badbad0-5b8e-4d06-a1f4-9e2b7c8d0f15", NULL
  };
  g_autoptr(GError) error = NULL;
  KlPage *page;
  GtkWidget *details, *code;

  wrong_secret.secret = "mdb_sa_sk_wrongwrongwrongwrongwrongwrong";
  wrong_secret.profile = "Never saved";

  /* A wrong secret: which credentials, and where to check them. */
  assert_contains (sign_in_fails (fixture, &wrong_secret, TIMEOUT_MS), "client ID and secret");
  g_assert_null (kl_session_get_client (fixture->session));

  /* A wrong API key says so in its own words; Atlas's answer is in the details. */
  assert_contains (sign_in_fails (fixture, &wrong_key, TIMEOUT_MS), "public and private key");
  page = current_page (fixture);
  details = find_row (GTK_WIDGET (page), "Details", ADW_TYPE_EXPANDER_ROW);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (details,
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  code = find_row (GTK_WIDGET (page), "HTTP Status", ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (code)), ==, "401");

  /* Typing again clears the error and its details. */
  kl_test_type_text (find_entry (page, "Private Key"), API_PRIVATE "x");
  g_assert_null (kl_page_get_error (page));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (details,
                                                                   ADW_TYPE_PREFERENCES_GROUP)));

  /* This computer is not on the access list: what to add, and where; the code is there. */
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups\", \"kind\": \"status\","
                                   " \"status\": 403,"
                                   " \"errorCode\": \"IP_ADDRESS_NOT_ON_ACCESS_LIST\","
                                   " \"count\": 1}", &error));
  g_assert_no_error (error);
  assert_contains (sign_in_fails (fixture, &good_sa, TIMEOUT_MS), "access list");
  code = find_row (GTK_WIDGET (page), "Atlas Error Code", ADW_TYPE_ACTION_ROW);
  g_assert_true (gtk_widget_get_visible (code));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (code)), ==,
                   "IP_ADDRESS_NOT_ON_ACCESS_LIST");
  g_assert_null (kl_session_get_client (fixture->session));

  /* Nothing saved by failed sign-ins. */
  if (g_getenv ("KL_TEST_NO_KEYRING") == NULL)
    g_assert_null (find_saved_profile ("Never saved"));
}

static void
test_sign_in_network (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(KlSim) closed = kl_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Credentials nobody = good_sa;
  const char *message;

  /* An address where nothing listens (any more). */
  g_assert_true (kl_sim_start (closed, 0, &error));
  g_assert_no_error (error);
  url = g_strdup (kl_sim_get_base_url (closed));
  kl_sim_stop (closed);

  nobody.url = url;
  message = sign_in_fails (fixture, &nobody, NETWORK_TIMEOUT_MS);
  assert_contains (message, "Could not reach Atlas");
  /* No HTTP answer: no Atlas details to show. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (
    find_row (GTK_WIDGET (current_page (fixture)), "Details", ADW_TYPE_EXPANDER_ROW),
    ADW_TYPE_PREFERENCES_GROUP)));
}

/* Run with KL_TEST_NO_KEYRING (tests/meson.build): the profile cannot be saved, the user may
 * go on without saving it. */
static gboolean
remember_is_off (gpointer user_data)
{
  return !gtk_switch_get_active (remember_switch (KL_PAGE (user_data)));
}

static void
test_sign_in_no_keyring (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Credentials credentials = good_sa;
  GtkWidget *button, *revealer;
  KlPage *page;

  if (g_getenv ("KL_TEST_NO_KEYRING") == NULL)
    {
      g_test_skip ("needs a session without the Secret Service");
      return;
    }

  /* Said up front, once the start-up listing of profiles found no keyring: "Remember in
   * Keyring" starts off, and its row says why. */
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_SIGN_IN));
  page = current_page (fixture);
  g_assert_true (kl_test_wait_until (remember_is_off, page, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "No keyring is running in this session, so Keylink "
                                           "signs in without saving: the profile lasts until "
                                           "Keylink closes. To save it, start GNOME Keyring (or "
                                           "another Secret Service) and open Keylink again."));

  /* Turned on all the same, the save fails, and signing in without saving is offered. */
  credentials.profile = "Nowhere to save";
  sign_in_fails (fixture, &credentials, TIMEOUT_MS);
  page = current_page (fixture);
  assert_contains (kl_page_get_error (page), "keyring");
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/atlas/v2/groups"), ==, 1);

  button = kl_test_find_by_label (GTK_WIDGET (page), "Continue _Without Saving");
  revealer = gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  /* The sign-in stands: no second request, straight to the projects. */
  g_signal_emit_by_name (button, "clicked");
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/atlas/v2/groups"), ==, 1);
  g_assert_true (kl_credentials_get_memory_only (kl_window_get_credentials (fixture->window)));
  g_assert_nonnull (kl_session_get_client (fixture->session));
}

/* ---- Project page ----------------------------------------------------------------------- */

typedef struct
{
  KlProjectPage *page;
  guint          n;
} ShownWait;

static gboolean
shows_n (gpointer user_data)
{
  ShownWait *wait = user_data;

  return n_shown (wait->page) == wait->n;
}

static void
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

static void
test_project_search (Fixture       *fixture,
                     gconstpointer  user_data)
{
  KlProjectPage *page = sign_in (fixture, &good_sa);
  GtkWidget *entry = kl_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_autoptr(KlProject) project = NULL;
  GtkWidget *placeholder;

  /* Ready to type the search. */
  g_assert_true (focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry)));

  search (page, "pay", 1);
  project = g_list_model_get_item (kl_project_page_get_shown (page), 0);
  g_assert_cmpstr (kl_project_get_name (project), ==, "Payments");
  g_assert_true (gtk_widget_get_mapped (kl_test_find_by_label (GTK_WIDGET (page), "Payments")));
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "Analytics"));

  search (page, "SANDBOX", 6);
  search (page, "zürich", 1);
  search (page, "ZÜRICH-ops", 1);
  /* By id too. */
  search (page, KL_SIM_GROUP_PAUSED, 1);
  search (page, "no such project", 0);
  placeholder = kl_test_find_by_label (GTK_WIDGET (page), "No project matches “no such project”");
  g_assert_true (gtk_widget_get_mapped (placeholder));
  search (page, "", 16);

  /* Enter with one match left chooses it. */
  search (page, "archive", 1);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, KL_SIM_GROUP_PAUSED);
}

static gboolean
page_has_error (gpointer user_data)
{
  return kl_page_get_error (KL_PAGE (user_data)) != NULL;
}

static gboolean
has_plan (gpointer user_data)
{
  return kl_session_get_plan (KL_SESSION (user_data)) != NULL;
}

static GtkWidget *
action_row (KlProjectPage *page,
            const char    *title)
{
  return find_row (GTK_WIDGET (page), title, ADW_TYPE_ACTION_ROW);
}

static gboolean
row_shown (KlProjectPage *page,
           const char    *title)
{
  GtkWidget *row = action_row (page, title);

  return gtk_widget_get_visible (row) &&
         gtk_widget_get_visible (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
}

/* Chooses a project as a person would (a click on its row) and waits for its state. */
static void
choose_project (Fixture       *fixture,
                KlProjectPage *page,
                const char    *name)
{
  search (page, name, 1);
  activate_project (page, name);
  g_assert_true (kl_test_wait_until (has_plan, fixture->session, TIMEOUT_MS));
}

static const char *
status_text (KlProjectPage *page)
{
  GtkWidget *group = kl_test_find_by_label (GTK_WIDGET (page), "Clusters");
  GtkWidget *list = gtk_widget_get_ancestor (group, GTK_TYPE_LIST_BOX);
  GtkWidget *status = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status));
}

static void
test_project_states (Fixture       *fixture,
                     gconstpointer  user_data)
{
  KlProjectPage *page = sign_in (fixture, &good_sa);
  g_autofree char *summary = NULL;
  GtkWidget *clusters, *reload, *setup;

  /* Nothing chosen: nothing to do yet. */
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* Ready for the whole flow. */
  choose_project (fixture, page, "Payments");
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, KL_SIM_GROUP_READY);
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_NOT_CONFIGURED);
  summary = kl_plan_dup_summary (kl_session_get_plan (fixture->session));
  g_assert_cmpstr (status_text (page), ==, summary);
  clusters = action_row (page, "Clusters");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (clusters)), ==,
                   "2 of 2 can use your key");
  g_assert_true (row_shown (page, "Set Up Encryption"));
  setup = action_row (page, "Set Up Encryption");
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (setup)), "Azure Application");
  g_assert_false (row_shown (page, "Rotate the Key"));
  g_assert_false (row_shown (page, "Turn Off Your Key"));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (page)), ==, "_Set Up");
  assert_setting ("last-project", KL_SIM_GROUP_READY);
  assert_setting ("last-project-name", "Payments");

  /* Mixed: set up is possible; only some clusters can use the key. */
  choose_project (fixture, page, "Analytics");
  g_assert_cmpstr (status_text (page), ==, summary);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (clusters)), ==,
                   "3 of 6 can use your key");
  g_assert_true (row_shown (page, "Set Up Encryption"));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));

  /* Every cluster paused: Atlas has no "inactive project" to go by. The project can be set
   * up like any other; the paused cluster is said as such (and left alone later on). */
  choose_project (fixture, page, "Archive");
  g_assert_cmpstr (status_text (page), ==, summary);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (clusters)), ==,
                   "The cluster is paused: resume it in Atlas to use your key on it");
  g_assert_true (row_shown (page, "Set Up Encryption"));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));

  /* A project whose state cannot be read says so on the page, with a way to try again. */
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"kind\": \"status\", \"status\": 403,"
                                   " \"errorCode\": \"USER_UNAUTHORIZED\", \"count\": 1}", NULL));
  search (page, "Payments", 1);
  activate_project (page, "Payments");
  g_assert_true (kl_test_wait_until (page_has_error, page, TIMEOUT_MS));
  assert_contains (kl_page_get_error (KL_PAGE (page)), "Project Owner");
  assert_contains (status_text (page), "could not read");
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));
  reload = kl_test_find_by_label (GTK_WIDGET (page), "_Reload");
  g_assert_true (gtk_widget_get_mapped (reload));
  g_signal_emit_by_name (reload, "clicked");
  g_assert_true (kl_test_wait_until (has_plan, fixture->session, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
}

/* ---- Hostile names ------------------------------------------------------------------------ */

/* Text that breaks Pango markup three ways. libadwaita 1.2 reads row titles and subtitles, and
 * group titles and descriptions, as markup: shown as such, this would warn (fatal in tests)
 * and show nothing. */
#define HOSTILE "<b>x</b> & <span"

static gboolean
label_contains (GtkWidget  *root,
                const char *needle)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, needle))
      return TRUE;

  return FALSE;
}

/* A row showing @text as its title, literally. */
static GtkWidget *
plain_row (GtkWidget  *root,
           const char *text)
{
  GtkWidget *row = find_row (root, text, ADW_TYPE_ACTION_ROW);

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, text);
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  return row;
}

static void
add_body_fault (Fixture    *fixture,
                const char *path,
                guint       status,
                const char *headers,
                const char *body)
{
  g_autofree char *rule = NULL;
  g_autoptr(GError) error = NULL;

  rule = g_strdup_printf ("{\"path\": \"%s\", \"method\": \"GET\", \"kind\": \"body\","
                          " \"status\": %u, \"headers\": %s, \"body\": %s, \"count\": 1}",
                          path, status, headers, body);
  g_assert_true (kl_sim_add_fault (fixture->sim, rule, &error));
  g_assert_no_error (error);
}

/* Names and messages from the server and the user are shown as they are, never as markup:
 * the sign-in's error details, the project list and the chosen project, a multi-cloud
 * cluster on the private networking page, the teardown's confirmation, saved profiles. The
 * strict simulator takes "&" in a project's name; the rest comes from "body" faults, as from
 * a hostile server. */
static void
test_hostile_names (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *group_id = NULL;
  g_autofree char *clusters_path = NULL;
  g_autofree char *projects = NULL;
  g_autoptr(GError) error = NULL;
  GLogLevelFlags fatal;
  KlWelcomePage *welcome;
  KlProjectPage *project_page;
  KlPage *page;
  GtkWidget *row;

  /* GTK's markup warnings end the test (g_test_init() makes warnings fatal). */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_always_fatal (fatal);
  g_assert_true (fatal & G_LOG_LEVEL_WARNING);

  /* Saved profiles and "Continue with …": names the user chose. */
  welcome = KL_WELCOME_PAGE (kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME));
  kl_welcome_page_add_profile (welcome, "hostile", HOSTILE, "R&D <EU>", TRUE);
  row = plain_row (GTK_WIDGET (welcome), HOSTILE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "R&D <EU>");
  kl_welcome_page_set_continue (welcome, "R&D", HOSTILE);
  g_assert_true (label_contains (GTK_WIDGET (welcome), "Continue with R&D"));
  g_assert_true (label_contains (GTK_WIDGET (welcome), "with “" HOSTILE "”"));

  /* Atlas's own words in the sign-in's details. */
  add_body_fault (fixture, "/api/atlas/v2/groups", 403,
                  "{\"X-Error-Code\": \"IP_ADDRESS_NOT_ON_ACCESS_LIST\"}",
                  "{\"detail\": \"" HOSTILE "\", \"error\": 403,"
                  " \"errorCode\": \"IP_ADDRESS_NOT_ON_ACCESS_LIST\", \"parameters\": [],"
                  " \"reason\": \"Forbidden\"}");
  assert_contains (sign_in_fails (fixture, &good_sa, TIMEOUT_MS), "access list");
  /* Laid out only once the Details are open. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (GTK_WIDGET (current_page (fixture)),
                                                             "Details", ADW_TYPE_EXPANDER_ROW)),
                                 TRUE);
  row = find_row (GTK_WIDGET (current_page (fixture)), "Atlas Says", ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, HOSTILE);
  g_assert_true (label_contains (row, HOSTILE));

  /* A project the strict simulator takes ("&"), listed under a name it would not. */
  group_id = kl_sim_add_group (fixture->sim, "R&D-(EU)", &error);
  g_assert_no_error (error);
  projects = g_strdup_printf ("{\"links\": [], \"totalCount\": 1, \"results\": [{\"id\": \"%s\","
                              " \"name\": \"" HOSTILE "\", \"orgId\": \"" KL_SIM_ORG_ID "\","
                              " \"created\": \"2025-01-01T09:00:00Z\", \"clusterCount\": 1}]}",
                              group_id);
  add_body_fault (fixture, "/api/atlas/v2/groups", 200, "{}", projects);
  /* Its one cluster: multi-cloud, so private networking lists it. */
  clusters_path = g_strdup_printf ("/api/atlas/v2/groups/%s/clusters", group_id);
  add_body_fault (fixture, clusters_path, 200, "{}",
                  "{\"links\": [], \"totalCount\": 1, \"results\": [{"
                  "\"id\": \"65f0000000000000000c0f01\", \"name\": \"" HOSTILE "\","
                  " \"stateName\": \"IDLE\", \"encryptionAtRestProvider\": \"NONE\","
                  " \"clusterType\": \"REPLICASET\", \"paused\": false,"
                  " \"replicationSpecs\": [{\"regionConfigs\": ["
                  "{\"providerName\": \"AZURE\", \"regionName\": \"EUROPE_NORTH\","
                  " \"priority\": 7, \"electableSpecs\": {\"instanceSize\": \"M10\"}},"
                  "{\"providerName\": \"AWS\", \"regionName\": \"EU_WEST_1\","
                  " \"priority\": 6, \"electableSpecs\": {\"instanceSize\": \"M10\"}}]}]}]}");

  project_page = sign_in (fixture, &good_sa);
  g_assert_cmpuint (n_shown (project_page), ==, 1);
  project_row (project_page, HOSTILE);
  choose_project (fixture, project_page, HOSTILE);
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, group_id);
  /* The chosen project's name heads its state. */
  g_assert_true (label_contains (GTK_WIDGET (project_page), HOSTILE));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (project_page), HOSTILE));

  page = kl_assistant_get_page (fixture->assistant, KL_PAGE_PRIVATE_NETWORKING);
  row = plain_row (GTK_WIDGET (page), HOSTILE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Azure EUROPE_NORTH, AWS EU_WEST_1");

  /* The teardown asks for the name exactly as it is. */
  page = kl_assistant_get_page (fixture->assistant, "teardown");
  kl_teardown_page_set_kind (KL_TEARDOWN_PAGE (page), KL_TEARDOWN_CMK);
  g_assert_true (label_contains (GTK_WIDGET (page), "type the project’s name, “" HOSTILE "”"));
}

/* ---- The whole walk ----------------------------------------------------------------------- */

static void
fill_azure (Fixture *fixture)
{
  KlPage *page = wait_for_page (fixture, KL_PAGE_AZURE_APP, TIMEOUT_MS);

  kl_test_type_text (find_entry (page, "Directory (Tenant) ID"), KL_TEST_TENANT_ID);
  kl_test_type_text (find_entry (page, "Application (Client) ID"), KL_TEST_CLIENT_ID);
  kl_test_type_text (find_entry (page, "Client Secret Value"), KL_TEST_CLIENT_SECRET);
  kl_assistant_next (fixture->assistant);

  page = wait_for_page (fixture, KL_PAGE_KEY_VAULT, TIMEOUT_MS);
  kl_test_type_text (find_entry (page, "Subscription ID"), KL_TEST_SUBSCRIPTION_ID);
  kl_test_type_text (find_entry (page, "Resource Group"), KL_TEST_RESOURCE_GROUP);
  kl_test_type_text (find_entry (page, "Key Vault Name"), KL_TEST_VAULT);
  kl_test_type_text (find_entry (page, "Key Identifier"), KL_TEST_KEY_ID);
  kl_assistant_next (fixture->assistant);
}

typedef struct
{
  KlEncryptionAtRest *ear;
  GError             *error;
  gboolean            done;
} EarWait;

static void
ear_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  EarWait *wait = user_data;

  wait->ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result,
                                                             &wait->error);
  wait->done = TRUE;
}

static void
patch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  EarWait *wait = user_data;

  wait->ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result,
                                                               &wait->error);
  wait->done = TRUE;
}

static KlAtlasClient *
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
static KlEncryptionAtRest *
read_back (Fixture *fixture)
{
  g_autoptr(KlAtlasClient) client = test_client (fixture);
  EarWait wait = { NULL, NULL, FALSE };

  kl_atlas_client_get_encryption_at_rest_async (client, KL_SIM_GROUP_READY, NULL, ear_cb, &wait);
  g_assert_true (kl_test_wait_for_flag (&wait.done, TIMEOUT_MS));
  g_assert_no_error (wait.error);
  return wait.ear;
}

static gboolean
shows_status (gpointer user_data)
{
  gpointer *args = user_data;

  return g_strcmp0 (status_text (args[0]), args[1]) == 0;
}

static guint
count_ear_requests (Fixture    *fixture,
                    const char *method)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((KlSimRequest *) requests->pdata[i])->method, method) &&
        g_str_has_suffix (((KlSimRequest *) requests->pdata[i])->path, "/encryptionAtRest"))
      n++;
  return n;
}

/* Atlas applies Enable but its answer is lost, and so is the read-back: the page says Atlas
 * may have applied it; Enable again reads the project first and sends nothing twice. */
static void
test_enable_unclear (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  KlProjectPage *projects;
  KlPage *review;

  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  fill_azure (fixture);
  review = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (review), 2, 20);

  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"method\": \"PATCH\", \"kind\": \"drop\","
                                   " \"afterProcessing\": true, \"count\": 1}", &error));
  g_assert_no_error (error);
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"method\": \"GET\", \"kind\": \"drop\", \"count\": 50}",
                                   &error));
  g_assert_no_error (error);
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, review, TIMEOUT_MS));
  g_assert_true (current_page (fixture) == review);
  g_assert_nonnull (kl_page_get_error (review));
  assert_contains (kl_page_get_error (review), "Atlas may have applied the change all the same");
  g_assert_cmpuint (count_ear_requests (fixture, "PATCH"), ==, 1);
  g_assert_cmpuint (count_ear_requests (fixture, "GET"), >=, 1);

  /* Enable again: the project is read first; the change is there, nothing is sent. */
  kl_sim_clear_faults (fixture->sim);
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (review));
  g_assert_cmpuint (count_ear_requests (fixture, "PATCH"), ==, 1);
}

static void
test_walk_to_enabled_key (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlAzureKeyVault *akv;
  KlProjectPage *projects;
  KlPage *review, *networking;
  gpointer status_wait[2];

  /* Welcome → Sign in → Project. */
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_SIGN_IN, TIMEOUT_MS);
  projects = sign_in (fixture, &good_sa);

  choose_project (fixture, projects, "Payments");
  kl_assistant_next (fixture->assistant);
  fill_azure (fixture);

  /* Review: everything to be sent, then Enable. */
  review = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  g_assert_cmpstr (kl_review_page_get_group_id (KL_REVIEW_PAGE (review)), ==, KL_SIM_GROUP_READY);
  g_assert_true (kl_review_page_get_client (KL_REVIEW_PAGE (review)) ==
                 kl_session_get_client (fixture->session));
  g_assert_cmpstr (kl_page_get_next_label (review), ==, "_Enable");
  g_assert_true (kl_page_get_complete (review));
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (review), 2, 20);
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_page_get_applying (review));

  /* On to the next step, private networking; the project's state is read again. */
  networking = wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (review));
  /* The session knew the configuration: Enable sent the PATCH without reading it first. */
  g_assert_cmpstr (first_request_to (fixture, EAR_PATH), ==, "PATCH");
  /* Atlas has the Azure secret now; Keylink's copy stays in memory for the Endpoints page's
   * Azure side until the flow ends (test_whole_setup). */
  g_assert_true (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));

  ear = read_back (fixture);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_tenant_id (akv), ==, KL_TEST_TENANT_ID);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==, KL_TEST_KEY_ID);

  status_wait[0] = projects;
  status_wait[1] = (gpointer) "Your Azure key is enabled and valid. Private networking is not "
                              "required yet.";
  g_assert_true (kl_test_wait_until (shows_status, status_wait, TIMEOUT_MS));

  /* With the key read back as valid, private networking is ready to turn on; the pages
   * before show what Atlas now holds, read-only. */
  g_assert_true (kl_page_get_complete (networking));
  g_assert_true (kl_page_get_needs_apply (networking));
  g_assert_cmpstr (kl_page_get_next_label (networking), ==, "_Turn On");
  g_assert_true (kl_page_get_read_only (review));
  g_assert_true (current_page (fixture) == networking);

  /* Turn On is sent, but the project cannot be read back: the page says the change went out
   * unconfirmed, and Check Again reads it again without sending it twice. */
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"" EAR_PATH "\", \"method\": \"GET\","
                                   " \"kind\": \"status\", \"status\": 403,"
                                   " \"errorCode\": \"USER_UNAUTHORIZED\", \"count\": 1}", NULL));
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, networking, TIMEOUT_MS));
  g_assert_true (current_page (fixture) == networking);
  assert_contains (kl_page_get_error (networking), "sent the change to Atlas but could not read");
  assert_contains (kl_page_get_error (networking), "Check Again");
  g_assert_cmpstr (kl_page_get_next_label (networking), ==, "_Check Again");
  g_assert_cmpuint (count_requests (fixture, "PATCH", EAR_PATH), ==, 1);

  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_cmpuint (count_requests (fixture, "PATCH", EAR_PATH), ==, 1);
  g_assert_true (kl_page_get_read_only (networking));
}

/* ---- The whole setup ------------------------------------------------------------------------ */

#define CLUSTERS_PATH "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/clusters/"

typedef struct
{
  KlEndpointsPage  *page;
  KlEndpointStatus  status;
} EndpointsWait;

/* Every endpoint the page follows (at least two) has @status. */
static gboolean
endpoints_have_status (gpointer user_data)
{
  EndpointsWait *wait = user_data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (wait->page);
  GListModel *model = kl_endpoint_watch_get_model (watch);
  guint n = g_list_model_get_n_items (model);

  /* The clock only moves when the test says so: keep the watch looking. */
  kl_endpoint_watch_poke (watch);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);

      if (kl_private_endpoint_get_status (endpoint) != wait->status)
        return FALSE;
    }

  return n >= 2;
}

static void
wait_for_endpoints (KlEndpointsPage  *page,
                    KlEndpointStatus  status)
{
  EndpointsWait wait = { page, status };

  if (!kl_test_wait_until (endpoints_have_status, &wait, TIMEOUT_MS))
    g_error ("The endpoints did not all reach status %d", status);
}

static gboolean
endpoints_loaded (gpointer user_data)
{
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (user_data));

  return watch != NULL && kl_watch_get_n_polls (KL_WATCH (watch)) > 0 &&
         !kl_endpoints_page_get_busy (KL_ENDPOINTS_PAGE (user_data));
}

static gboolean
page_complete (gpointer user_data)
{
  return kl_page_get_complete (KL_PAGE (user_data));
}

static guint
count_cluster_patches (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, "PATCH") &&
          g_str_has_prefix (request->path, CLUSTERS_PATH) && request->status == 200)
        n++;
    }

  return n;
}

static gboolean
clusters_patched (gpointer user_data)
{
  return count_cluster_patches (user_data) == 2;
}

static gboolean
done_loaded (gpointer user_data)
{
  return kl_done_page_get_loaded (KL_DONE_PAGE (user_data));
}

static gboolean
stage_is_done (gpointer user_data)
{
  KlPlan *plan = kl_session_get_plan (KL_SESSION (user_data));

  return plan != NULL && kl_plan_get_stage (plan) == KL_PROJECT_STAGE_DONE;
}

/* One window, every step against the simulator, its clock frozen: only kl_sim_advance()
 * moves the endpoints and the clusters on. */
static void
test_whole_setup (Fixture       *fixture,
                  gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlClustersPage *clusters_page;
  KlEndpointsPage *endpoints_page;
  KlProjectPage *projects;
  KlPage *page;
  KlClusterRow *row;
  gpointer status_wait[2];
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) regions = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  const char *names[] = { "payments-eu", "payments-us" };

  endpoints_page = KL_ENDPOINTS_PAGE (kl_assistant_get_page (assistant, KL_PAGE_ENDPOINTS));
  clusters_page = KL_CLUSTERS_PAGE (kl_assistant_get_page (assistant, KL_PAGE_CLUSTERS));
  kl_endpoints_page_set_poll_intervals (endpoints_page, 5, 40);
  kl_clusters_page_set_poll_intervals (clusters_page, 5, 40);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (kl_assistant_get_page (assistant,
                                                                           KL_PAGE_REVIEW)),
                                    2, 20);

  /* Sign in, the project, the Azure answers, Enable. */
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_assistant_next (assistant);
  fill_azure (fixture);
  page = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  kl_assistant_next (assistant);

  /* Private networking: ready once the key reads back valid; Turn On. */
  page = wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Turn On");
  kl_assistant_next (assistant);

  /* Endpoints: the regions of the project's clusters, created at once. */
  page = wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (kl_assistant_get_page (assistant,
                                                           KL_PAGE_PRIVATE_NETWORKING)));
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
    kl_encryption_at_rest_get_azure_key_vault (
      kl_session_get_encryption_at_rest (fixture->session))));
  g_assert_true (kl_test_wait_until (endpoints_loaded, endpoints_page, TIMEOUT_MS));
  regions = kl_endpoints_page_dup_new_regions (endpoints_page);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);
  g_assert_cmpstr (regions[0], ==, "EUROPE_WEST");
  g_assert_cmpstr (regions[1], ==, "US_EAST_2");
  g_assert_false (kl_page_get_complete (page));
  g_signal_emit_by_name (kl_test_find_by_label (GTK_WIDGET (page), "_Create Endpoints"),
                         "clicked");
  g_assert_true (kl_test_wait_until (endpoints_loaded, endpoints_page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  g_assert_cmpuint (count_requests (fixture, "POST", "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                                    "/encryptionAtRest/AZURE/privateEndpoints"), ==, 2);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_INITIATING);

  /* Atlas is done with them; approved in (simulated) Azure; Atlas notices. */
  kl_sim_advance (fixture->sim, KL_SIM_INITIATING_SECONDS);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  for (guint i = 0; regions[i] != NULL; i++)
    {
      KlPrivateEndpoint *endpoint =
        kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (endpoints_page), regions[i]);

      g_assert_true (kl_sim_approve_endpoint (fixture->sim, KL_SIM_GROUP_READY,
                                              kl_private_endpoint_get_id (endpoint), &error));
      g_assert_no_error (error);
    }
  kl_sim_advance (fixture->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_endpoints (endpoints_page, KL_ENDPOINT_STATUS_ACTIVE);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  kl_assistant_next (assistant);

  /* Clusters: both chosen by default; the key turned on for both, followed to IDLE. */
  page = wait_for_page (fixture, KL_PAGE_CLUSTERS, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      row = kl_clusters_page_get_row (clusters_page, names[i]);
      g_assert_nonnull (row);
      g_assert_true (kl_cluster_row_get_selected (row));
    }
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Use Key on 2 Clusters");
  kl_sim_clear_requests (fixture->sim);
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (clusters_patched, fixture, TIMEOUT_MS));
  g_assert_true (kl_page_get_applying (page));
  kl_sim_advance (fixture->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);

  /* Done: the summary, read from the server. */
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (kl_assistant_get_page (assistant, KL_PAGE_CLUSTERS)));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (kl_cluster_row_get_status_text (kl_clusters_page_get_row (clusters_page,
                                                                               names[i])),
                     ==, "Idle · Uses your key over Private Link");
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_true (kl_test_wait_until (stage_is_done, fixture->session, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "Uses your key over Private Link · Idle"));

  ear = read_back (fixture);
  g_assert_true (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  g_assert_true (kl_azure_key_vault_get_valid (kl_encryption_at_rest_get_azure_key_vault (ear)));

  /* The last step: back on the project, which says it is done; the Azure secret, kept in
   * memory for the Endpoints page, is gone. */
  g_assert_true (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  g_assert_true (kl_page_get_complete (page));
  kl_assistant_next (assistant);
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
  g_assert_false (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  wait_for_label (fixture->window, "Finished. Here is where the project stands now.");
  status_wait[0] = projects;
  status_wait[1] = (gpointer) "Done: all 2 clusters that use your Azure key reach it over "
                              "Private Link.";
  g_assert_true (kl_test_wait_until (shows_status, status_wait, TIMEOUT_MS));
}

/* ---- Resume -------------------------------------------------------------------------------- */

/* What earlier runs of the flow left: the key enabled and valid, private networking required,
 * no endpoint yet (the private networking page did its part; the endpoints are next). */
static void
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

static void
assert_read_only_answers (Fixture *fixture)
{
  KlPage *azure_app = kl_assistant_get_page (fixture->assistant, KL_PAGE_AZURE_APP);
  KlPage *key_vault = kl_assistant_get_page (fixture->assistant, KL_PAGE_KEY_VAULT);
  KlPage *review = kl_assistant_get_page (fixture->assistant, KL_PAGE_REVIEW);
  AdwEntryRow *tenant = find_entry (azure_app, "Directory (Tenant) ID");
  AdwEntryRow *secret = find_entry (azure_app, "Client Secret Value");
  AdwEntryRow *key_id = find_entry (key_vault, "Key Identifier");
  GtkWidget *secret_row;

  /* Shown, with what Atlas holds, and not to be changed. */
  for (KlPage **page = (KlPage *[]) { azure_app, key_vault, review, NULL }; *page != NULL; page++)
    {
      g_assert_false (kl_page_get_hidden (*page));
      g_assert_true (kl_page_get_read_only (*page));
      g_assert_true (kl_page_get_complete (*page));
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==, KL_TEST_TENANT_ID);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (tenant)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (azure_app,
                                                                     "Application (Client) ID"))),
                   ==, KL_TEST_CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_id)), ==, KL_TEST_KEY_ID);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (key_id)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (key_vault, "Key Vault Name"))),
                   ==, KL_TEST_VAULT);

  /* Atlas never returns the secret: it is not asked for, and not shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (secret)));
  g_assert_false (kl_setup_answers_get_has_client_secret (kl_window_get_answers (fixture->window)));
  secret_row = find_row (GTK_WIDGET (review), "Client Secret", ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (secret_row)), ==,
                   "Kept by Atlas, never shown");
  g_assert_false (kl_page_get_needs_apply (review));
  g_assert_null (kl_page_get_next_label (review));
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  user_data)
{
  Credentials credentials = good_sa;
  g_autoptr(KlProfile) saved = NULL;
  KlProjectPage *projects;
  KlPage *welcome, *page, *networking;

  if (keyring_missing ())
    return;

  /* First run: signed in with a remembered profile, the project chosen. */
  credentials.profile = "Resume test account";
  projects = sign_in (fixture, &credentials);
  choose_project (fixture, projects, "Payments");
  saved = find_saved_profile ("Resume test account");
  g_assert_nonnull (saved);

  /* Meanwhile the key was enabled and private networking turned on; the window closed. */
  make_half_done (fixture);
  window_close (fixture);

  /* The app opens again: the welcome page offers to continue. */
  window_open (fixture, 720, 800);
  welcome = kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME);
  wait_for_label (fixture->window, "Continue with Payments");
  save_screenshot (GTK_WIDGET (fixture->window), "welcome-continue-light");
  kl_sim_clear_requests (fixture->sim);
  activate_row (GTK_WIDGET (welcome), "Continue with Payments");

  /* Signed in with the keyring's secret, the project read, and on to where it stands. */
  page = wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  g_assert_cmpstr (kl_session_get_group_id (fixture->session), ==, KL_SIM_GROUP_READY);
  g_assert_cmpstr (kl_flow_get_stage_page (kl_plan_get_stage (kl_session_get_plan (fixture->session))),
                   ==, KL_PAGE_ENDPOINTS);
  assert_read_only_answers (fixture);

  /* Back shows the earlier steps as done; Next does not send them again. */
  kl_assistant_back (fixture->assistant);
  networking = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (networking), ==, KL_PAGE_PRIVATE_NETWORKING);
  g_assert_true (kl_page_get_read_only (networking));
  g_assert_false (kl_page_get_needs_apply (networking));
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_REVIEW);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_KEY_VAULT);
  kl_assistant_next (fixture->assistant);
  kl_assistant_next (fixture->assistant);
  kl_assistant_next (fixture->assistant);
  g_assert_true (current_page (fixture) == page);
  g_assert_cmpuint (count_requests (fixture, "PATCH",
                                    "/api/atlas/v2/groups/" KL_SIM_GROUP_READY "/encryptionAtRest"),
                    ==, 0);

  /* From the project page, Next (Continue Setup) goes to the same place. */
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_PROJECT));
  projects = KL_PROJECT_PAGE (current_page (fixture));
  g_assert_true (row_shown (projects, "Continue Setup"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (projects)), ==, "_Continue Setup");
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_ENDPOINTS, TIMEOUT_MS);
  assert_read_only_answers (fixture);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_PRIVATE_NETWORKING);
  kl_assistant_back (fixture->assistant);
  g_assert_cmpstr (current_page_id (fixture), ==, KL_PAGE_REVIEW);

  delete_saved_profile (saved);
}

/* ---- Resume further along, and the Project page's other flows ---------------------------- */

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
async_done (gpointer user_data)
{
  return ((AsyncWait *) user_data)->result != NULL;
}

/* Waits for the answer; transfer full. */
static GAsyncResult *
async_wait (AsyncWait *wait)
{
  g_assert_true (kl_test_wait_until (async_done, wait, TIMEOUT_MS));
  return g_steal_pointer (&wait->result);
}

/* What earlier runs left on top of make_half_done(): an endpoint in each region of the
 * project's clusters, approved in Azure and ACTIVE. */
static void
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
static void
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

/* First run with a remembered profile and Payments chosen; then @prepare changes what the
 * server holds, the window closes, a new one opens and “Continue with Payments” is chosen.
 * Returns the saved profile (the caller deletes it). */
static KlProfile *
continue_after (Fixture *fixture,
                void   (*prepare) (Fixture *fixture))
{
  Credentials credentials = good_sa;
  KlProjectPage *projects;
  KlProfile *saved;

  credentials.profile = "Resume test account";
  projects = sign_in (fixture, &credentials);
  choose_project (fixture, projects, "Payments");
  saved = find_saved_profile ("Resume test account");
  g_assert_nonnull (saved);

  prepare (fixture);
  window_close (fixture);

  window_open (fixture, 720, 800);
  wait_for_label (fixture->window, "Continue with Payments");
  activate_row (GTK_WIDGET (kl_assistant_get_page (fixture->assistant, KL_PAGE_WELCOME)),
                "Continue with Payments");
  return saved;
}

static void
prepare_endpoints_active (Fixture *fixture)
{
  make_half_done (fixture);
  make_endpoints_active (fixture);
}

static void
prepare_all_done (Fixture *fixture)
{
  prepare_endpoints_active (fixture);
  make_clusters_on_key (fixture);
}

/* Key enabled and valid, private networking required, every endpoint ACTIVE: the clusters
 * are next. */
static void
test_resume_clusters (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(KlProfile) saved = NULL;
  KlPage *page;

  if (keyring_missing ())
    return;

  saved = continue_after (fixture, prepare_endpoints_active);
  page = wait_for_page (fixture, KL_PAGE_CLUSTERS, TIMEOUT_MS);
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_CLUSTERS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Use Key on 2 Clusters");
  assert_read_only_answers (fixture);

  /* Back: the endpoints, all active; private networking, done. */
  kl_assistant_back (fixture->assistant);
  page = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, KL_PAGE_ENDPOINTS);
  g_assert_true (kl_test_wait_until (page_complete, page, TIMEOUT_MS));
  kl_assistant_back (fixture->assistant);
  page = current_page (fixture);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, KL_PAGE_PRIVATE_NETWORKING);
  g_assert_true (kl_page_get_read_only (page));

  delete_saved_profile (saved);
}

/* Everything set up: the summary. */
static void
test_resume_done (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(KlProfile) saved = NULL;
  KlPage *page;

  if (keyring_missing ())
    return;

  saved = continue_after (fixture, prepare_all_done);
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_DONE);
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  assert_read_only_answers (fixture);

  delete_saved_profile (saved);
}

/* Requests that change something on the server. */
static guint
count_changes (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (!g_str_equal (request->method, "GET") && !g_str_has_prefix (request->path, "/api/oauth/"))
        n++;
    }

  return n;
}

/* From the Project page of a fully set-up project: rotation, endpoints and both teardowns,
 * each a flow of its own. */
static void
test_project_actions (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const struct
  {
    const char     *row;
    const char     *page_id;
    KlTeardownKind  kind;
  } actions[] = {
    { "Rotate the Key", KL_PAGE_ROTATE, 0 },
    { "Manage Private Endpoints", KL_PAGE_ENDPOINTS, 0 },
    { "Turn Off Private Networking", KL_PAGE_TEARDOWN, KL_TEARDOWN_PRIVATE_NETWORKING },
    { "Turn Off Your Key", KL_PAGE_TEARDOWN, KL_TEARDOWN_CMK },
  };
  KlProjectPage *projects;

  prepare_all_done (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  g_assert_cmpint (kl_plan_get_stage (kl_session_get_plan (fixture->session)), ==,
                   KL_PROJECT_STAGE_DONE);
  /* Nothing left to set up. */
  g_assert_false (row_shown (projects, "Set Up Encryption"));
  kl_sim_clear_requests (fixture->sim);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      KlPage *page;

      g_assert_true (row_shown (projects, actions[i].row));
      activate_row (GTK_WIDGET (projects), actions[i].row);
      page = wait_for_page (fixture, actions[i].page_id, TIMEOUT_MS);
      if (g_str_equal (actions[i].page_id, KL_PAGE_TEARDOWN))
        g_assert_cmpint (kl_teardown_page_get_kind (KL_TEARDOWN_PAGE (page)), ==,
                         actions[i].kind);

      /* A flow of its own: none of the setup steps around it; rotations and teardowns end
       * on the summary. */
      for (const char * const *id = (const char * const []) { KL_PAGE_AZURE_APP,
                                                              KL_PAGE_REVIEW,
                                                              KL_PAGE_CLUSTERS, NULL };
           *id != NULL; id++)
        g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant, *id)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_DONE)) ==
                     g_str_equal (actions[i].page_id, KL_PAGE_ENDPOINTS));

      /* Back leads to the project again, in the setup flow (its steps counted again), and
       * nothing was changed. */
      kl_assistant_back (fixture->assistant);
      g_assert_true (current_page (fixture) == KL_PAGE (projects));
      g_assert_false (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                 KL_PAGE_AZURE_APP)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_ROTATE)));
      g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant,
                                                                KL_PAGE_TEARDOWN)));
    }

  g_assert_cmpuint (count_changes (fixture), ==, 0);
}

#define NEW_KEY_ID "https://contoso-keys.vault.azure.net/keys/atlas-cmk/" \
                   "fedcba9876543210fedcba9876543210"

static gboolean
teardown_loaded (gpointer user_data)
{
  return kl_teardown_page_get_loaded (KL_TEARDOWN_PAGE (user_data));
}

static gboolean
teardown_over (gpointer user_data)
{
  return !kl_teardown_page_get_running (KL_TEARDOWN_PAGE (user_data)) &&
         kl_page_get_complete (KL_PAGE (user_data));
}

typedef struct
{
  Fixture    *fixture;
  const char *method;
  guint       n;
} RequestsWait;

static gboolean
requests_answered (gpointer user_data)
{
  RequestsWait *wait = user_data;
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (wait->fixture->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((KlSimRequest *) requests->pdata[i])->method, wait->method))
      n++;

  return n >= wait->n;
}

static gboolean
has_message_dialog (gpointer user_data)
{
  AdwMessageDialog **dialog = user_data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      {
        *dialog = l->data;
        return TRUE;
      }

  return FALSE;
}

/* A rotation from the Project page ends on the summary, which shows the new key. */
static void
test_rotate (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlProjectPage *projects;
  KlRotatePage *rotate;
  AdwMessageDialog *dialog = NULL;
  KlPage *page;

  make_half_done (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_sim_clear_requests (fixture->sim);

  activate_row (GTK_WIDGET (projects), "Rotate the Key");
  rotate = KL_ROTATE_PAGE (wait_for_page (fixture, KL_PAGE_ROTATE, TIMEOUT_MS));
  kl_rotate_page_set_verify_policy (rotate, 2, 10);
  kl_test_type_text (kl_field_get_row (kl_rotate_page_get_field (rotate)), NEW_KEY_ID);
  kl_field_validate (kl_rotate_page_get_field (rotate));
  g_assert_true (kl_page_get_complete (KL_PAGE (rotate)));
  kl_assistant_next (fixture->assistant);
  /* Asked once more, Cancel the default (issue 23). */
  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "rotate");
  gtk_window_destroy (GTK_WINDOW (dialog));

  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (KL_PAGE (rotate)));
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  /* A finish that says what the flow did. */
  g_assert_cmpstr (kl_page_get_title (page), ==, "Key Rotated");
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "Back to _Project");
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), NEW_KEY_ID));
  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/atlas/v2/groups/" KL_SIM_GROUP_READY
                                    "/encryptionAtRest"), ==, 1);
  ear = read_back (fixture);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (
                     kl_encryption_at_rest_get_azure_key_vault (ear)), ==, NEW_KEY_ID);

  /* Back from the summary: the project (the rotation is done, and out of the way). */
  kl_assistant_back (fixture->assistant);
  g_assert_true (current_page (fixture) == KL_PAGE (projects));
}

/* Turning private networking off from the Project page ends on the summary. */
static void
test_teardown (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlProjectPage *projects;
  KlPage *page;
  GtkWidget *start;
  RequestsWait wait;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  kl_sim_clear_requests (fixture->sim);

  activate_row (GTK_WIDGET (projects), "Turn Off Private Networking");
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  g_assert_false (kl_page_get_complete (page));

  /* The project's name first, then the destructive button. */
  start = kl_test_find_by_label (GTK_WIDGET (page), "_Turn Off Private Networking");
  g_assert_true (GTK_IS_BUTTON (start));
  g_assert_false (gtk_widget_is_sensitive (start));
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_assert_true (gtk_widget_is_sensitive (start));
  g_signal_emit_by_name (start, "clicked");

  wait = (RequestsWait) { fixture, "DELETE", 2 };
  g_assert_true (kl_test_wait_until (requests_answered, &wait, TIMEOUT_MS));
  kl_sim_advance (fixture->sim, KL_SIM_DELETING_SECONDS);
  g_assert_true (kl_test_wait_until (teardown_over, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  ear = read_back (fixture);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (
                    kl_encryption_at_rest_get_azure_key_vault (ear)));

  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_DONE, TIMEOUT_MS);
  g_assert_true (kl_test_wait_until (done_loaded, page, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "On, and Atlas can use the key"));
  g_assert_cmpstr (kl_page_get_title (page), ==, "Private Networking Turned Off");

  /* Next (“Back to Project”): back on the project, which can be set up again. */
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
  g_assert_true (row_shown (projects, "Continue Setup"));
}

/* A crash (here: the window destroyed) after the teardown was confirmed and half done: on the
 * way back the project says the teardown is unfinished and offers to finish it first, never
 * to resume the setup (which would create the endpoints just deleted). */
static void
test_teardown_interrupted (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlProjectPage *projects;
  KlPage *page;
  GtkWidget *start;
  RequestsWait wait;
  KlTeardownKind kind;

  prepare_endpoints_active (fixture);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  g_assert_false (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                          NULL));

  activate_row (GTK_WIDGET (projects), "Turn Off Your Key");
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  start = kl_test_find_by_label (GTK_WIDGET (page), "_Turn Off Your Key");
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_signal_emit_by_name (start, "clicked");

  /* The endpoints are being deleted (the simulator's clock stands still): then the crash. */
  wait = (RequestsWait) { fixture, "DELETE", 2 };
  g_assert_true (kl_test_wait_until (requests_answered, &wait, TIMEOUT_MS));
  g_assert_true (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                         &kind));
  g_assert_cmpint (kind, ==, KL_TEARDOWN_CMK);
  window_close (fixture);

  window_open (fixture, 720, 800);
  projects = sign_in (fixture, &good_sa);
  choose_project (fixture, projects, "Payments");
  assert_contains (status_text (projects),
                   "Turning off your key for this project was started and did not finish");
  g_assert_false (row_shown (projects, "Continue Setup"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (projects)), ==, "_Finish Turning Off");
  g_assert_true (kl_page_get_complete (KL_PAGE (projects)));

  /* Next finishes it: the teardown page, from the server's state, asking to confirm again. */
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_TEARDOWN, TIMEOUT_MS);
  g_assert_cmpint (kl_teardown_page_get_kind (KL_TEARDOWN_PAGE (page)), ==, KL_TEARDOWN_CMK);
  kl_teardown_page_set_poll_intervals (KL_TEARDOWN_PAGE (page), 5, 40);
  g_assert_true (kl_test_wait_until (teardown_loaded, page, TIMEOUT_MS));
  kl_sim_advance (fixture->sim, KL_SIM_DELETING_SECONDS);
  kl_sim_clear_requests (fixture->sim);
  start = kl_test_find_by_label (GTK_WIDGET (page), "_Turn Off Your Key");
  kl_test_type_text (find_entry (page, "Project Name"), "Payments");
  g_signal_emit_by_name (start, "clicked");
  /* The endpoints are gone by now (no cluster used the key): the key goes off. */
  g_assert_true (kl_test_wait_until (teardown_over, page, TIMEOUT_MS));
  wait = (RequestsWait) { fixture, "PATCH", 1 };
  g_assert_true (requests_answered (&wait));
  g_assert_null (kl_page_get_error (page));

  /* Done: no longer an unfinished teardown. */
  g_assert_false (kl_teardown_intent_get (kl_application_get_settings (app), KL_SIM_GROUP_READY,
                                          NULL));
}

/* ---- Command line ------------------------------------------------------------------------ */

/* `keylink --atlas-url URL`: the sign-in page starts on that address. */
static void
test_atlas_url (Fixture       *fixture,
                gconstpointer  user_data)
{
  GVariantDict *options;
  AdwComboRow *service;
  KlPage *page;
  int rc;

  window_close (fixture);

  options = g_variant_dict_new (NULL);
  g_variant_dict_insert (options, "atlas-url", "s", kl_sim_get_base_url (fixture->sim));
  g_signal_emit_by_name (app, "handle-local-options", options, &rc);
  g_variant_dict_unref (options);
  g_assert_cmpint (rc, ==, -1);

  window_open (fixture, 720, 800);
  page = kl_assistant_get_page (fixture->assistant, KL_PAGE_SIGN_IN);
  service = ADW_COMBO_ROW (find_row (GTK_WIDGET (page), "Service", ADW_TYPE_COMBO_ROW));
  g_assert_cmpuint (adw_combo_row_get_selected (service), ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_entry (page, "Atlas Address"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page, "Atlas Address"))), ==,
                   kl_sim_get_base_url (fixture->sim));

  /* The rest as usual. */
  kl_test_type_text (find_entry (page, "Client ID"), SA_CLIENT_ID);
  kl_test_type_text (find_entry (page, "Client Secret"), SA_SECRET);
  gtk_switch_set_active (remember_switch (page), FALSE);
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, KL_PAGE_SIGN_IN));
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PROJECT, TIMEOUT_MS);
}

/* ---- Demo ----------------------------------------------------------------------------------- */

static gboolean
project_list_ready (gpointer user_data)
{
  Fixture *fixture = user_data;
  KlPage *page = current_page (fixture);

  return g_strcmp0 (current_page_id (fixture), KL_PAGE_PROJECT) == 0 &&
         n_shown (KL_PROJECT_PAGE (page)) == 16;
}

/* Last: demo mode stays on once started. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  GVariantDict *options;
  GtkWidget *banner, *revealer, *fill;
  KlEndpointsPage *endpoints;
  KlProjectPage *projects;
  AdwEntryRow *tenant;
  KlPage *page;
  int rc;

  /* “Try the Demo” on the welcome page: signed in to the simulator in this process. */
  g_assert_false (kl_application_get_demo (app));
  g_signal_emit_by_name (kl_test_find_by_label (GTK_WIDGET (fixture->window), "_Try the Demo"),
                         "clicked");
  g_assert_true (kl_application_get_demo (app));
  g_assert_true (kl_test_wait_until (project_list_ready, fixture, TIMEOUT_MS));
  banner = kl_test_find_by_label (GTK_WIDGET (fixture->window), "Demo — nothing real is changed");
  revealer = gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  /* Approving an endpoint in the simulated Azure talks to that simulator (the application's
   * actions), from an endpoints page in demo mode. */
  endpoints = KL_ENDPOINTS_PAGE (kl_assistant_get_page (fixture->assistant, KL_PAGE_ENDPOINTS));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "demo-approve-endpoint"));
  g_assert_true (kl_context_get_demo (kl_page_get_context (KL_PAGE (endpoints))));
  window_close (fixture);

  /* The command line's path: `keylink --demo`. */
  options = g_variant_dict_new (NULL);
  g_variant_dict_insert (options, "demo", "b", TRUE);
  g_signal_emit_by_name (app, "handle-local-options", options, &rc);
  g_variant_dict_unref (options);
  g_assert_cmpint (rc, ==, -1);

  window_open (fixture, 720, 800);

  /* Signed in by itself to the simulator in this process, on the project list. */
  g_assert_true (kl_test_wait_until (project_list_ready, fixture, TIMEOUT_MS));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "demo-reject-endpoint"));
  endpoints = KL_ENDPOINTS_PAGE (kl_assistant_get_page (fixture->assistant, KL_PAGE_ENDPOINTS));
  g_assert_true (kl_context_get_demo (kl_page_get_context (KL_PAGE (endpoints))));
  assert_contains (kl_atlas_client_get_base_url (kl_session_get_client (fixture->session)),
                   "http://127.0.0.1:");
  banner = kl_test_find_by_label (GTK_WIDGET (fixture->window), "Demo — nothing real is changed");
  revealer = gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (kl_page_get_hidden (kl_assistant_get_page (fixture->assistant, KL_PAGE_SIGN_IN)));
  /* No keyring, no memory of the demo's projects. */
  assert_setting ("last-profile", "");

  /* The real app against it: choose a project, and the Azure pages offer demo values. */
  projects = KL_PROJECT_PAGE (current_page (fixture));
  choose_project (fixture, projects, "Payments");
  assert_setting ("last-project", "");
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_AZURE_APP, TIMEOUT_MS);
  fill = kl_test_find_by_label (GTK_WIDGET (fixture->window), "Fill _Demo Values");
  g_assert_true (gtk_widget_get_visible (fill));
  g_signal_emit_by_name (fill, "clicked");
  /* The demo's simulated Azure's values, its made-up secret too: its check passes. */
  tenant = find_entry (page, "Directory (Tenant) ID");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==, KL_AZURE_SIM_TENANT_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page, "Client Secret Value"))),
                   ==, KL_AZURE_SIM_CLIENT_SECRET);
  g_assert_true (kl_page_get_complete (page));
  /* Over a typed secret too. */
  kl_test_type_text (find_entry (page, "Client Secret Value"), "any-demo-secret");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page, "Client Secret Value"))),
                   ==, "any-demo-secret");
  g_signal_emit_by_name (fill, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page, "Client Secret Value"))),
                   ==, KL_AZURE_SIM_CLIENT_SECRET);
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_KEY_VAULT, TIMEOUT_MS);
  g_assert_true (kl_page_get_complete (page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page, "Key Vault Name"))),
                   ==, KL_AZURE_SIM_VAULT_NAME);
  kl_assistant_next (fixture->assistant);
  page = wait_for_page (fixture, KL_PAGE_REVIEW, TIMEOUT_MS);
  g_assert_false (gtk_widget_get_visible (fill));
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (page), 2, 20);
  kl_assistant_next (fixture->assistant);
  wait_for_page (fixture, KL_PAGE_PRIVATE_NETWORKING, TIMEOUT_MS);
  g_assert_null (kl_page_get_error (page));
}

/* ---- Help and screenshots ------------------------------------------------------------------ */

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action_name)
{
  return kl_test_find (root, FALSE, is_action_button, action_name);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  user_data)
{
  const char *pages[][2] = {
    { KL_PAGE_WELCOME, "prerequisites" }, { KL_PAGE_SIGN_IN, "sign-in" },
    { KL_PAGE_PROJECT, "project" }, { KL_PAGE_AZURE_APP, "azure-details" },
  };
  g_auto(GStrv) accels = NULL;
  GtkWidget *header, *button;

  /* F1 and the header's help button open the guide at the current page's section. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.help");
  g_assert_true (g_strv_contains ((const char * const *) accels, "F1"));
  header = kl_test_find_by_type (GTK_WIDGET (fixture->window), ADW_TYPE_HEADER_BAR);
  button = find_action_button (header, "win.help");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Help on this step");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_assert_cmpstr (kl_page_get_help_id (kl_assistant_get_page (fixture->assistant, pages[i][0])),
                     ==, pages[i][1]);
}

#define ACCESS_LIST_FAULT \
  "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\", \"kind\": \"status\"," \
  " \"status\": 403, \"errorCode\": \"IP_ADDRESS_NOT_ON_ACCESS_LIST\"}"

static void
take_screenshots (const char *page_id,
                  gboolean    error)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark <= 1; dark++)
    for (guint narrow = 0; narrow <= 1; narrow++)
      {
        g_autofree char *name = NULL;
        Fixture fixture;

        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
        sim_start (&fixture);
        window_open (&fixture, narrow ? 360 : 720, 900);

        if (g_str_equal (page_id, KL_PAGE_SIGN_IN))
          {
            Credentials wrong = good_sa;

            wrong.secret = "mdb_sa_sk_wrongwrongwrongwrongwrongwrong";
            wrong.profile = "Production";
            if (error)
              sign_in_fails (&fixture, &wrong, TIMEOUT_MS);
            else
              fill_sign_in (&fixture, &wrong);
          }
        else
          {
            KlProjectPage *page = sign_in (&fixture, &good_sa);

            if (error)
              {
                g_assert_true (kl_sim_add_fault (fixture.sim, ACCESS_LIST_FAULT, NULL));
                search (page, "Payments", 1);
                activate_project (page, "Payments");
                g_assert_true (kl_test_wait_until (page_has_error, page, TIMEOUT_MS));
              }
            else
              {
                choose_project (&fixture, page, "Analytics");
              }
            search (page, "", 16);
          }

        g_assert_true (kl_assistant_set_current_page (fixture.assistant, page_id));
        /* No blinking cursor to redraw the window while it is captured. */
        gtk_root_set_focus (GTK_ROOT (fixture.window), NULL);
        g_assert_true (kl_test_window_show (GTK_WINDOW (fixture.window)));
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.window)), ==,
                         narrow ? 360 : 720);

        name = g_strdup_printf ("%s-%s-%s%s", page_id, error ? "error" : "normal",
                                dark ? "dark" : "light", narrow ? "-narrow" : "");
        save_screenshot (GTK_WIDGET (fixture.window), name);

        fixture_tear_down (&fixture, NULL);
      }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_screenshots (void)
{
  take_screenshots (KL_PAGE_SIGN_IN, FALSE);
  take_screenshots (KL_PAGE_SIGN_IN, TRUE);
  take_screenshots (KL_PAGE_PROJECT, FALSE);
  take_screenshots (KL_PAGE_PROJECT, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Accessible properties are checked through GTK's test backend. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sign-in/validation", test_sign_in_validation);
  ADD ("sign-in/good", test_sign_in_good);
  ADD ("sign-in/bad-credentials", test_sign_in_bad_credentials);
  ADD ("sign-in/network", test_sign_in_network);
  ADD ("sign-in/no-keyring", test_sign_in_no_keyring);
  ADD ("project/search", test_project_search);
  ADD ("project/states", test_project_states);
  ADD ("project/hostile-names", test_hostile_names);
  ADD ("walk-to-enabled-key", test_walk_to_enabled_key);
  ADD ("enable-unclear", test_enable_unclear);
  ADD ("whole-setup", test_whole_setup);
  ADD ("resume", test_resume);
  ADD ("resume/clusters", test_resume_clusters);
  ADD ("resume/done", test_resume_done);
  ADD ("project-actions", test_project_actions);
  ADD ("rotate", test_rotate);
  ADD ("teardown", test_teardown);
  ADD ("teardown-interrupted", test_teardown_interrupted);
  ADD ("help", test_help);
  g_test_add_func ("/flow/screenshots", test_screenshots);
  /* The command line's options stay for the process, demo mode above all: in the suite that
   * runs last. */
  ADD ("zz/atlas-url", test_atlas_url);
  ADD ("zz/demo", test_demo);

#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
