/* test-credentials-file.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* KlCredentials through libsecret's file backend, the one it uses inside a Flatpak sandbox:
 * the items in a file of the app's own, encrypted with a master key. Two worlds
 * (tests/meson.build):
 *   SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=…   the master key from the environment
 *                                (libsecret's test hook): needs no daemon at all, so it runs in
 *                                a Flatpak build sandbox too
 *   KL_TEST_SECRET_PORTAL=1 SNAP_NAME=…                no test password: libsecret takes the
 *                                master key from the Secret portal (org.freedesktop.portal.Secret,
 *                                xdg-desktop-portal on the private bus, gnome-keyring's
 *                                org.freedesktop.impl.portal.Secret behind it), exactly as in a
 *                                sandbox; SNAP_NAME is the sandbox mark libsecret 0.20.5 reads
 *                                from the environment (/.flatpak-info cannot exist outside one)
 * KL_TEST_FILE_WORKER=<profile-id> (internal): a second process that looks the secret up and
 * prints it, or "not-found". */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsecret/secret.h>

#include "kl-credentials.h"
#include "kl-error.h"
#include "kl-secret-backend.h"
#include "kl-test-credentials.h"
#include "kl-test-utils.h"

static char *keyring_path;

/* The file holds neither the secret nor the profile's name in clear. */
static void
assert_file_opaque (const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_assert_true (g_file_get_contents (keyring_path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    g_assert_false (memcmp (contents + i, needle, strlen (needle)) == 0);
  g_assert_cmpint (g_stat (keyring_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

/* What the Secret Service holds of Keylink's (none on the bus: nothing): nothing, in this
 * world. */
static guint
secret_service_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean has_owner = FALSE;
  GList *items;
  guint count;

  if (bus == NULL)
    return 0;
  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (owned, "(b)", &has_owner);
  if (!has_owner)
    return 0;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (attributes, (char *) "xdg:schema", (char *) KL_PROFILE_SCHEMA_NAME);
  items = secret_service_search_sync (service, NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  count = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return count;
}

/* Another Keylink process, with this environment and @changes, looks @profile_id up. */
static char *
lookup_in_other_process (const char         *profile_id,
                         const char * const *changes)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "KL_TEST_FILE_WORKER", profile_id, TRUE);
  for (guint i = 0; changes != NULL && changes[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, changes[i], changes[i + 1], TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, exe, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

/* KL_TEST_LOSE_PORTAL_RESPONSE=1 (a worker in the portal world): the race of libsecret before
 * 0.21.4, made certain (src/core/kl-secret-backend.c says what it is). When the reply to the
 * process's first RetrieveSecret comes in, GDBus's worker thread has the main thread hold
 * (hold_main (), ahead of libsecret's callback for that reply) until the portal's Response has
 * come in and been handed out -- with no subscription for it yet, as in a loaded machine. */
typedef struct
{
  GMutex           mutex;
  GCond            cond;
  GDBusConnection *bus;
  guint            replies;       /* replies to RetrieveSecret seen */
  gboolean         response_seen;
} Loser;

static gboolean
hold_main (gpointer user_data)
{
  Loser *loser = user_data;
  gint64 deadline = g_get_monotonic_time () + kl_test_scale_us (10 * G_TIME_SPAN_SECOND);
  g_autoptr(GVariant) reply = NULL;

  g_mutex_lock (&loser->mutex);
  while (!loser->response_seen && g_cond_wait_until (&loser->cond, &loser->mutex, deadline))
    ;
  g_assert_true (loser->response_seen);
  g_mutex_unlock (&loser->mutex);

  /* The bus answers this after it has passed the Response on: when it returns, the worker
   * thread has handed the Response out (to no one). */
  reply = g_dbus_connection_call_sync (loser->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL,
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       NULL);
  g_assert_nonnull (reply);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
lose_filter (GDBusConnection *connection,
             GDBusMessage    *message,
             gboolean         incoming,
             gpointer         user_data)
{
  Loser *loser = user_data;
  GVariant *body = g_dbus_message_get_body (message);
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  const char *handle = NULL;

  if (!incoming)
    return message;

  if (type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN && body != NULL &&
      g_variant_is_of_type (body, G_VARIANT_TYPE ("(o)")))
    g_variant_get (body, "(&o)", &handle);

  g_mutex_lock (&loser->mutex);
  if (handle != NULL && g_str_has_prefix (handle, "/org/freedesktop/portal/desktop/request/") &&
      loser->replies++ == 0)
    g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, hold_main, loser, NULL);
  else if (type == G_DBUS_MESSAGE_TYPE_SIGNAL &&
           g_strcmp0 (g_dbus_message_get_member (message), "Response") == 0 &&
           g_strcmp0 (g_dbus_message_get_interface (message),
                      "org.freedesktop.portal.Request") == 0)
    {
      loser->response_seen = TRUE;
      g_cond_broadcast (&loser->cond);
    }
  g_mutex_unlock (&loser->mutex);
  return message;
}

static int
run_worker (const char *profile_id)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  static Loser loser;

  if (g_getenv ("KL_TEST_LOSE_PORTAL_RESPONSE") != NULL)
    {
      loser.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      g_dbus_connection_add_filter (loser.bus, lose_filter, &loser, NULL);
      /* Without the retry, the lookup ends with the keyring's timeout, not the test's. */
      kl_credentials_set_timeout (creds, 15000);
    }

  secret = kl_test_lookup_secret (creds, profile_id, &error);
  if (g_error_matches (error, KL_ERROR, KL_ERROR_NOT_FOUND))
    g_print ("not-found\n");
  else if (secret != NULL && loser.bus != NULL)
    g_print ("%s after %u portal requests\n", secret, kl_secret_backend_get_attempts ());
  else if (secret != NULL)
    g_print ("%s\n", secret);
  else
    g_print ("error: %s\n", error->message);
  return 0;
}

static void
test_profiles (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) first = NULL;
  g_autoptr(KlProfile) second = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  KlProfile *listed;

  first = kl_profile_new ("Production", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                          "mdb_sa_id_65f1c2d3e4f5a6b7c8d9e0f1");
  kl_profile_set_org_id (first, "5e2211c17a3e5a48f5497de3");
  second = kl_profile_new ("Staging", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_GOVERNMENT, "pubkey01");

  g_assert_true (kl_test_store_profile (creds, first, "mdb_sa_sk_file-backend-1", &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_store_profile (creds, second, "private-key-file-backend-2", &error));
  g_assert_no_error (error);

  /* Listed (sorted by name), without secrets, as with the Secret Service. */
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[0]), ==, "Production");
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[1]), ==, "Staging");
  listed = kl_test_find_profile (profiles, kl_profile_get_id (first));
  g_assert_nonnull (listed);
  g_assert_cmpint (kl_profile_get_auth_type (listed), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpstr (kl_profile_get_client_id (listed), ==, "mdb_sa_id_65f1c2d3e4f5a6b7c8d9e0f1");
  g_assert_cmpstr (kl_profile_get_org_id (listed), ==, "5e2211c17a3e5a48f5497de3");
  g_assert_cmpint (kl_profile_get_service (kl_test_find_profile (profiles,
                                                                 kl_profile_get_id (second))),
                   ==, KL_ATLAS_SERVICE_GOVERNMENT);
  g_clear_pointer (&profiles, g_ptr_array_unref);

  secret = kl_test_lookup_secret (creds, kl_profile_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "mdb_sa_sk_file-backend-1");
  g_clear_pointer (&secret, g_free);

  /* Storing the same profile again replaces it: still one, with the new secret. */
  g_assert_true (kl_test_store_profile (creds, first, "mdb_sa_sk_file-backend-1b", &error));
  g_assert_no_error (error);
  secret = kl_test_lookup_secret (creds, kl_profile_get_id (first), &error);
  g_assert_cmpstr (secret, ==, "mdb_sa_sk_file-backend-1b");
  g_clear_pointer (&secret, g_free);

  /* Rename and update rewrite the item; the secret stays. */
  g_assert_true (kl_test_rename_profile (creds, kl_profile_get_id (second), "Staging (EU)",
                                         &error));
  g_assert_no_error (error);
  kl_profile_set_project_id (first, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_true (kl_test_update_profile (creds, first, &error));
  g_assert_no_error (error);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_cmpstr (kl_profile_get_display_name (kl_test_find_profile (profiles,
                                                                      kl_profile_get_id (second))),
                   ==, "Staging (EU)");
  g_assert_cmpstr (kl_profile_get_project_id (kl_test_find_profile (profiles,
                                                                    kl_profile_get_id (first))),
                   ==, "60d8d8c1b1b6a72a3c8e4d11");
  secret = kl_test_lookup_secret (creds, kl_profile_get_id (second), &error);
  g_assert_cmpstr (secret, ==, "private-key-file-backend-2");
  g_clear_pointer (&secret, g_free);

  /* In the file, not in the Secret Service; and not readable in it. */
  g_assert_true (g_file_test (keyring_path, G_FILE_TEST_IS_REGULAR));
  assert_file_opaque ("private-key-file-backend-2");
  assert_file_opaque ("Staging (EU)");
  g_assert_cmpuint (secret_service_items (), ==, 0);

  /* Another process (the app started again) finds it. */
  secret = lookup_in_other_process (kl_profile_get_id (second), NULL);
  g_assert_cmpstr (secret, ==, "private-key-file-backend-2");
  g_clear_pointer (&secret, g_free);

  /* Delete; deleting what is gone is not an error; an update of it is. */
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_null (kl_test_lookup_secret (creds, kl_profile_get_id (first), &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_false (kl_test_rename_profile (creds, kl_profile_get_id (first), "Gone", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (second), &error));
  g_assert_no_error (error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);
}

static void
test_azure_secret (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GError) error = NULL;
  const char *project = "60d8d8c1b1b6a72a3c8e4d11";
  const char *client = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";

  g_assert_true (kl_test_store_azure (creds, project, client, "azure~file~secret", &error));
  g_assert_no_error (error);
  kl_test_assert_azure_secret (creds, project, client, "azure~file~secret");
  assert_file_opaque ("azure~file~secret");

  g_assert_true (kl_test_delete_azure (creds, project, client, &error));
  g_assert_no_error (error);
  g_assert_null (kl_test_lookup_azure (creds, project, client, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
}

/* The items are keyed by the master key: a process with another one finds nothing. In the
 * portal world, where this process got its key from the portal, a second process that asks the
 * portal again reads them, and one given any other key does not: so the key really is the
 * portal's. */
static void
test_master_key (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  const char * const wrong_key[] = { "SECRET_FILE_TEST_PASSWORD", "not-the-master-key", NULL };

  profile = kl_profile_new ("Keyed", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey02");
  g_assert_true (kl_test_store_profile (creds, profile, "keyed-secret", &error));
  g_assert_no_error (error);

  secret = lookup_in_other_process (kl_profile_get_id (profile), NULL);
  g_assert_cmpstr (secret, ==, "keyed-secret");
  g_clear_pointer (&secret, g_free);

  secret = lookup_in_other_process (kl_profile_get_id (profile), wrong_key);
  g_assert_cmpstr (secret, ==, "not-found");

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
}

/* The portal world: libsecret had no key but the portal's (no test password, and 0.20.5 has
 * no other source), the portal offers org.freedesktop.portal.Secret version 1, and gnome-keyring
 * (its backend) keeps the master key it handed out, for app id "" (a caller outside any
 * sandbox), in the login keyring: RetrieveSecret was called. */
static void
test_portal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) version = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) found = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariantBuilder) attributes = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  g_assert_null (g_getenv ("SECRET_FILE_TEST_PASSWORD"));
  g_assert_null (g_getenv ("SECRET_BACKEND"));
  g_assert_no_error (error);

  version = g_dbus_connection_call_sync (bus, "org.freedesktop.portal.Desktop",
                                         "/org/freedesktop/portal/desktop",
                                         "org.freedesktop.DBus.Properties", "Get",
                                         g_variant_new ("(ss)", "org.freedesktop.portal.Secret",
                                                        "version"),
                                         G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                         NULL, &error);
  g_assert_no_error (error);
  g_variant_get (version, "(v)", &value);
  g_assert_cmpuint (g_variant_get_uint32 (value), ==, 1);

  g_variant_builder_add (attributes, "{ss}", "app_id", "");
  found = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", attributes),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  unlocked = g_variant_get_child_value (found, 0);
  g_assert_cmpuint (g_variant_n_children (unlocked), ==, 1);
}

/* libsecret before 0.21.4 misses the portal's Response when its main thread is late
 * (kl-secret-backend.c): a worker made to miss the first one still finds the secret, because
 * Keylink asks the portal again (with a libsecret that subscribes in time, it has nothing to
 * miss). */
static void
test_portal_response_lost (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  char *end = NULL;
  guint64 requests;
  const char * const lose[] = { "KL_TEST_LOSE_PORTAL_RESPONSE", "1", NULL };

  profile = kl_profile_new ("Raced", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey03");
  g_assert_true (kl_test_store_profile (creds, profile, "raced-secret", &error));
  g_assert_no_error (error);

  /* The first request's answer is lost for certain (with libsecret < 0.21.4); a later one may
   * be lost by chance too on a loaded machine, as in life: at most 3 requests are made. */
  found = lookup_in_other_process (kl_profile_get_id (profile), lose);
  g_assert_true (g_str_has_prefix (found, "raced-secret after "));
  requests = g_ascii_strtoull (found + strlen ("raced-secret after "), &end, 10);
  g_assert_cmpstr (end, ==, " portal requests");
  g_assert_cmpuint (requests, >=, SECRET_CHECK_VERSION (0, 21, 4) ? 1 : 2);
  g_assert_cmpuint (requests, <=, 3);

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *session_root = g_path_get_dirname (g_get_home_dir ());
  const char *worker = g_getenv ("KL_TEST_FILE_WORKER");
  int ret;

  /* The file, where the sandbox would have it ($XDG_DATA_HOME/keyrings/default.keyring of the
   * app), kept apart from gnome-keyring's own keyrings; one path for the whole run and for the
   * workers (libsecret opens it once per process). */
  keyring_path = g_strdup (g_getenv ("SECRET_FILE_TEST_PATH"));
  if (keyring_path == NULL)
    {
      keyring_path = g_build_filename (session_root, "app-data", "keyrings", "default.keyring",
                                       NULL);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
    }

  if (worker != NULL)
    {
      ret = run_worker (worker);
      g_free (keyring_path);
      return ret;
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/credentials-file/profiles", test_profiles);
  g_test_add_func ("/credentials-file/azure-secret", test_azure_secret);
  g_test_add_func ("/credentials-file/master-key", test_master_key);
  if (g_getenv ("KL_TEST_SECRET_PORTAL") != NULL)
    {
      g_test_add_func ("/credentials-file/portal", test_portal);
      g_test_add_func ("/credentials-file/portal-response-lost", test_portal_response_lost);
    }

  ret = g_test_run ();
  g_free (keyring_path);
  return ret;
}
