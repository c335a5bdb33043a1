/* test-flow-sign-in.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-flow.h"

/* The flow in the real window against the simulator in this process, up to the project list:
 * sign-in (fields, good and bad credentials, the network, the keyring), the project list and
 * what it says about each seeded project, help, the --atlas-url option and demo mode. The
 * keyring is the test session's real gnome-keyring (build-aux/test-session.sh). */

static void
assert_setting (const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (kl_application_get_settings (app), key);

  g_assert_cmpstr (value, ==, expected);
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
  /* One way to set up: the assistant's Set Up; the status says where it goes on. */
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "Set Up Encryption"));
  g_assert_true (row_shown (page, "Next Step"));
  setup = action_row (page, "Next Step");
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
  g_assert_true (row_shown (page, "Next Step"));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));

  /* Every cluster paused: Atlas has no "inactive project" to go by. The project can be set
   * up like any other; the paused cluster is said as such (and left alone later on). */
  choose_project (fixture, page, "Archive");
  g_assert_cmpstr (status_text (page), ==, summary);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (clusters)), ==,
                   "The cluster is paused: resume it in Atlas to use your key on it");
  g_assert_true (row_shown (page, "Next Step"));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));

  /* A project whose state cannot be read says so on the page, with a way to try again. */
  g_assert_true (kl_sim_add_fault (fixture->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"kind\": \"status\", \"status\": 403,"
                                   " \"errorCode\": \"USER_UNAUTHORIZED\", \"count\": 1}", NULL));
  /* Payments, and the project chosen before (Archive), listed whatever the search. */
  search (page, "Payments", 2);
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
  g_assert_true (label_contains (GTK_WIDGET (welcome), "R&D"));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (welcome)), ==, "_Continue with R&D");
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
  int ret;

  kl_test_flow_init (&argc, &argv);

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
  ADD ("help", test_help);
  g_test_add_func ("/flow/screenshots", test_screenshots);
  /* The command line's options stay for the process, demo mode above all: in the suite that
   * runs last. */
  ADD ("zz/atlas-url", test_atlas_url);
  ADD ("zz/demo", test_demo);

#undef ADD

  ret = g_test_run ();
  kl_test_flow_shutdown ();
  return ret;
}
