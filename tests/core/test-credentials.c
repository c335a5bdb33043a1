/* test-credentials.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* KlCredentials against a real gnome-keyring-daemon on the private bus of
 * build-aux/test-session.sh. One program, four worlds (tests/meson.build):
 *   default                      an unlocked login keyring: the whole API, and a scan for leaks
 *   KL_TEST_NO_KEYRING=1         no Secret Service on the bus at all
 *   KL_TEST_LOCKED_KEYRING=1     the default collection locked by the test, with a prompter that
 *                                shows on Xvfb and that nobody answers (DISPLAY set), or none
 *                                that can start (KL_TEST_NO_X=1)
 *   KL_TEST_SECRET_WORKER=1      (internal) the child process of /credentials/no-secret-leaks */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsecret/secret.h>

#include "kl-credentials.h"
#include "kl-error.h"
#include "kl-test-credentials.h"
#include "kl-test-utils.h"

#define WAIT_MS 60000

/* test-session.sh's directory (HOME, XDG dirs, the daemons' logs), noted before
 * G_TEST_OPTION_ISOLATE_DIRS points HOME and the XDG dirs into a directory per test. */
static char *session_root;
static char **session_environ;


/* Looking at the keyring directly, as another program would. */

static SecretService *
get_service (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SecretService *service;

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  service = secret_service_get_finish (result, &error);
  g_assert_no_error (error);
  return service;
}

/* Every item whose attributes include @attributes (a NULL-terminated name, value list). */
static GList *
keyring_search (const char *first_name,
                ...)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretService) service = get_service ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (attributes, (char *) name, va_arg (args, char *));
  va_end (args);

  secret_service_search (service, NULL, attributes,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL,
                         kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  items = secret_service_search_finish (service, result, &error);
  g_assert_no_error (error);
  return items;
}

static SecretCollection *
default_collection (SecretService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SecretCollection *collection;

  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL,
                               kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  collection = secret_collection_for_alias_finish (result, &error);
  g_assert_no_error (error);
  return collection;
}

static void
assert_keyring_error (GError     *error,
                      int         code)
{
  g_assert_error (error, KL_ERROR, code);
  /* Every message says what to do, including the way out. */
  g_assert_nonnull (strstr (error->message, "without saving"));
}

/* The unit: profiles and secrets */

static void
test_profile_object (void)
{
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(KlProfile) copy = NULL;
  g_autoptr(KlProfile) other = NULL;
  int notified = 0;

  profile = kl_profile_new ("Production", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                            "mdb_sa_id_0123456789abcdef01234567");
  other = kl_profile_new ("Production", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS, NULL);
  g_assert_true (g_uuid_string_is_valid (kl_profile_get_id (profile)));
  g_assert_cmpstr (kl_profile_get_id (profile), !=, kl_profile_get_id (other));
  g_assert_cmpstr (kl_profile_get_base_url (profile), ==, "https://cloud.mongodb.com");

  g_signal_connect_swapped (profile, "notify::org-id", G_CALLBACK (g_atomic_int_inc), &notified);
  kl_profile_set_org_id (profile, "5e2211c17a3e5a48f5497de3");
  kl_profile_set_org_id (profile, "5e2211c17a3e5a48f5497de3");
  g_assert_cmpint (notified, ==, 1);
  kl_profile_set_org_id (profile, "");
  g_assert_null (kl_profile_get_org_id (profile));
  g_assert_cmpint (notified, ==, 2);

  kl_profile_set_service (profile, KL_ATLAS_SERVICE_GOVERNMENT);
  g_assert_cmpstr (kl_profile_get_base_url (profile), ==, "https://cloud.mongodbgov.com");
  kl_profile_set_service (profile, KL_ATLAS_SERVICE_CUSTOM);
  kl_profile_set_custom_url (profile, "https://atlas.example.com");
  g_assert_cmpstr (kl_profile_get_base_url (profile), ==, "https://atlas.example.com");

  copy = kl_profile_copy (profile);
  g_assert_cmpstr (kl_profile_get_id (copy), ==, kl_profile_get_id (profile));
  g_assert_cmpstr (kl_profile_get_client_id (copy), ==, kl_profile_get_client_id (profile));
  g_assert_cmpstr (kl_profile_get_custom_url (copy), ==, "https://atlas.example.com");
  g_assert_cmpint (kl_profile_get_service (copy), ==, KL_ATLAS_SERVICE_CUSTOM);
}

static void
test_secret_value (void)
{
  g_autoptr(SecretValue) text = kl_secret_new ("s3cr3t", -1);
  g_autoptr(SecretValue) binary = kl_secret_new ("a\0b", 3);
  g_autoptr(SecretValue) empty = kl_secret_new ("", 0);
  gsize length = 0;

  g_assert_cmpstr (secret_value_get_text (text), ==, "s3cr3t");
  g_assert_cmpstr (secret_value_get_content_type (text), ==, "text/plain");
  g_assert_true (memcmp (secret_value_get (binary, &length), "a\0b", 3) == 0);
  g_assert_cmpuint (length, ==, 3);
  g_assert_cmpstr (secret_value_get_text (empty), ==, "");
  /* The wipe itself is exercised on every free under ASan (it writes the whole block). */
}

/* Against the unlocked keyring */

/* What test-session.sh's `gnome-keyring-daemon --unlock` gives: a "login" collection, created
 * with the piped password, unlocked, and aliased as "default". */
static void
test_default_collection (void)
{
  g_autoptr(SecretService) service = get_service ();
  g_autoptr(SecretCollection) collection = default_collection (service);

  g_assert_nonnull (collection);
  g_assert_cmpstr (g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)), ==,
                   "/org/freedesktop/secrets/collection/login");
  g_assert_false (secret_collection_get_locked (collection));
  g_test_message ("default alias -> %s (unlocked)",
                  g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)));
}

static void
test_store_list_lookup (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretItem) items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  g_autoptr(SecretValue) raw = NULL;
  KlProfile *listed;

  profile = kl_profile_new ("Production", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                            "mdb_sa_id_65f1c2d3e4f5a6b7c8d9e0f1");
  kl_profile_set_org_id (profile, "5e2211c17a3e5a48f5497de3");
  kl_profile_set_project_id (profile, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_true (kl_test_store_profile (creds, profile, "mdb_sa_sk_store-list-lookup", &error));
  g_assert_no_error (error);

  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  listed = kl_test_find_profile (profiles, kl_profile_get_id (profile));
  g_assert_nonnull (listed);
  g_assert_true (listed != profile);
  g_assert_cmpstr (kl_profile_get_display_name (listed), ==, "Production");
  g_assert_cmpint (kl_profile_get_auth_type (listed), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpint (kl_profile_get_service (listed), ==, KL_ATLAS_SERVICE_ATLAS);
  g_assert_cmpstr (kl_profile_get_client_id (listed), ==, "mdb_sa_id_65f1c2d3e4f5a6b7c8d9e0f1");
  g_assert_cmpstr (kl_profile_get_org_id (listed), ==, "5e2211c17a3e5a48f5497de3");
  g_assert_cmpstr (kl_profile_get_project_id (listed), ==, "60d8d8c1b1b6a72a3c8e4d11");

  kl_test_assert_secret (creds, kl_profile_get_id (profile), "mdb_sa_sk_store-list-lookup");

  /* One item, in the default (login) collection, as documented. */
  items = keyring_search ("profile-id", kl_profile_get_id (profile), NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (g_str_has_prefix (g_dbus_proxy_get_object_path (items->data),
                                   "/org/freedesktop/secrets/collection/login/"));
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "Keylink: Atlas profile “Production”");
  attributes = secret_item_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, KL_PROFILE_SCHEMA_NAME);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "atlas-profile");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "format"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "auth-type"), ==, "service-account");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "atlas-service"), ==, "atlas");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "display-name"), ==, "Production");
  raw = secret_item_get_secret (items->data);
  g_assert_cmpstr (secret_value_get_text (raw), ==, "mdb_sa_sk_store-list-lookup");

  /* A second object (the app restarted) finds it too. */
  {
    g_autoptr(KlCredentials) again = kl_credentials_new ();
    g_autofree char *secret2 = kl_test_lookup_secret (again, kl_profile_get_id (profile), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (secret2, ==, "mdb_sa_sk_store-list-lookup");
  }

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
}

static void
test_two_profiles (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) first = NULL;
  g_autoptr(KlProfile) second = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret1 = NULL;
  g_autofree char *secret2 = NULL;
  g_autolist(SecretItem) items = NULL;
  KlProfile *listed;

  first = kl_profile_new ("B staging", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                          "mdb_sa_id_aaaaaaaaaaaaaaaaaaaaaaaa");
  second = kl_profile_new ("A government", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_GOVERNMENT, "pubkey01");
  g_assert_true (kl_test_store_profile (creds, first, "first-secret", &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_store_profile (creds, second, "second-secret", &error));
  g_assert_no_error (error);

  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);
  /* Sorted by display name. */
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[0]), ==, "A government");
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[1]), ==, "B staging");
  listed = kl_test_find_profile (profiles, kl_profile_get_id (second));
  g_assert_cmpint (kl_profile_get_auth_type (listed), ==, KL_AUTH_API_KEY);
  g_assert_cmpint (kl_profile_get_service (listed), ==, KL_ATLAS_SERVICE_GOVERNMENT);
  g_assert_cmpstr (kl_profile_get_client_id (listed), ==, "pubkey01");

  secret1 = kl_test_lookup_secret (creds, kl_profile_get_id (first), &error);
  g_assert_no_error (error);
  secret2 = kl_test_lookup_secret (creds, kl_profile_get_id (second), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret1, ==, "first-secret");
  g_assert_cmpstr (secret2, ==, "second-secret");

  /* Storing again replaces: still one item, the new secret. */
  g_assert_true (kl_test_store_profile (creds, first, "first-secret-rotated", &error));
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (first), "first-secret-rotated");
  items = keyring_search ("profile-id", kl_profile_get_id (first), NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (second), &error));
  g_assert_no_error (error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);
}

static void
test_rename_update (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autolist(SecretItem) items = NULL;
  KlProfile *listed;

  profile = kl_profile_new ("Old name", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_CUSTOM, "pubkey02");
  kl_profile_set_custom_url (profile, "https://atlas.example.com");
  g_assert_true (kl_test_store_profile (creds, profile, "rename-secret", &error));
  g_assert_no_error (error);

  g_assert_true (kl_test_rename_profile (creds, kl_profile_get_id (profile), "New name", &error));
  g_assert_no_error (error);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  listed = kl_test_find_profile (profiles, kl_profile_get_id (profile));
  g_assert_cmpstr (kl_profile_get_display_name (listed), ==, "New name");
  g_assert_cmpint (kl_profile_get_service (listed), ==, KL_ATLAS_SERVICE_CUSTOM);
  g_assert_cmpstr (kl_profile_get_custom_url (listed), ==, "https://atlas.example.com");
  items = keyring_search ("profile-id", kl_profile_get_id (profile), NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "Keylink: Atlas profile “New name”");
  kl_test_assert_secret (creds, kl_profile_get_id (profile), "rename-secret");

  /* Remembering the org and project chosen last keeps the secret. */
  kl_profile_set_display_name (profile, "New name");
  kl_profile_set_org_id (profile, "5e2211c17a3e5a48f5497de3");
  kl_profile_set_project_id (profile, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_true (kl_test_update_profile (creds, profile, &error));
  g_assert_no_error (error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  listed = kl_test_find_profile (profiles, kl_profile_get_id (profile));
  g_assert_cmpstr (kl_profile_get_project_id (listed), ==, "60d8d8c1b1b6a72a3c8e4d11");
  kl_test_assert_secret (creds, kl_profile_get_id (profile), "rename-secret");

  /* What is not saved cannot be renamed; an empty name is refused. */
  g_assert_false (kl_test_rename_profile (creds, "no-such-profile", "x", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (kl_test_rename_profile (creds, kl_profile_get_id (profile), "", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
}

static void
test_delete (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autolist(SecretItem) items = NULL;

  profile = kl_profile_new ("To delete", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey03");
  g_assert_true (kl_test_store_profile (creds, profile, "delete-secret", &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);

  items = keyring_search ("profile-id", kl_profile_get_id (profile), NULL);
  g_assert_null (items);
  secret = kl_test_lookup_secret (creds, kl_profile_get_id (profile), &error);
  g_assert_null (secret);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting what is gone is not an error. */
  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
}

static void
test_azure_secret (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *label = NULL;
  g_autolist(SecretItem) items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  const char *project = "60d8d8c1b1b6a72a3c8e4d11";
  const char *client = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";

  g_assert_true (kl_test_store_azure (creds, project, client, "azure~secret~1", &error));
  g_assert_no_error (error);
  kl_test_assert_azure_secret (creds, project, client, "azure~secret~1");

  items = keyring_search ("kind", "azure-client-secret", "project-id", project, NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_item_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "azure-client-id"), ==, client);
  g_assert_null (g_hash_table_lookup (attributes, "profile-id"));
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "Keylink: Azure client secret for Atlas project 60d8d8c1b1b6a72a3c8e4d11");
  g_clear_list (&items, g_object_unref);

  /* Not a profile. */
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);

  /* A new secret replaces the old one. */
  g_assert_true (kl_test_store_azure (creds, project, client, "azure~secret~2", &error));
  g_assert_no_error (error);
  kl_test_assert_azure_secret (creds, project, client, "azure~secret~2");
  items = keyring_search ("kind", "azure-client-secret", "project-id", project, NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_clear_list (&items, g_object_unref);

  /* Another client of the same project is another secret. */
  g_clear_pointer (&secret, g_free);
  secret = kl_test_lookup_azure (creds, project, "1b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", &error);
  g_assert_null (secret);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Azure"));
  g_clear_error (&error);

  g_assert_true (kl_test_delete_azure (creds, project, client, &error));
  g_assert_no_error (error);
  secret = kl_test_lookup_azure (creds, project, client, &error);
  g_assert_null (secret);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
}

static void
test_invalid_profiles (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) unnamed = NULL;
  g_autoptr(KlProfile) no_url = NULL;
  g_autoptr(GError) error = NULL;

  unnamed = kl_profile_new (NULL, KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey04");
  g_assert_false (kl_test_store_profile (creds, unnamed, "x", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  no_url = kl_profile_new ("Custom", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_CUSTOM, "pubkey04");
  g_assert_false (kl_test_store_profile (creds, no_url, "x", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
}

static void
test_cancel (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SecretValue) value = kl_secret_new ("cancel-secret", -1);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profile = kl_profile_new ("Cancelled", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey05");

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  kl_credentials_store_async (creds, profile, value, cancellable, kl_test_store_result, &stored);
  kl_test_wait_result (&stored, WAIT_MS);
  g_assert_false (kl_credentials_store_finish (creds, stored, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled while in flight. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  kl_credentials_list_async (creds, cancellable, kl_test_store_result, &listed);
  g_cancellable_cancel (cancellable);
  kl_test_wait_result (&listed, WAIT_MS);
  profiles = kl_credentials_list_finish (creds, listed, &error);
  g_assert_null (profiles);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_memory_only (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autolist(SecretItem) items = NULL;
  int notified = 0;

  g_signal_connect_swapped (creds, "notify::memory-only", G_CALLBACK (g_atomic_int_inc),
                            &notified);
  kl_credentials_set_memory_only (creds, TRUE);
  kl_credentials_set_memory_only (creds, TRUE);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (kl_credentials_get_memory_only (creds));

  profile = kl_profile_new ("In memory", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                            "mdb_sa_id_bbbbbbbbbbbbbbbbbbbbbbbb");
  g_assert_true (kl_test_store_profile (creds, profile, "memory-secret", &error));
  g_assert_no_error (error);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 1);
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[0]), ==, "In memory");
  kl_test_assert_secret (creds, kl_profile_get_id (profile), "memory-secret");

  g_assert_true (kl_test_rename_profile (creds, kl_profile_get_id (profile), "Renamed", &error));
  g_assert_no_error (error);
  kl_profile_set_display_name (profile, "Renamed");
  kl_profile_set_project_id (profile, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_true (kl_test_update_profile (creds, profile, &error));
  g_assert_no_error (error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_profile_get_display_name (profiles->pdata[0]), ==, "Renamed");
  g_assert_cmpstr (kl_profile_get_project_id (profiles->pdata[0]), ==, "60d8d8c1b1b6a72a3c8e4d11");

  g_assert_true (kl_test_store_azure (creds, "60d8d8c1b1b6a72a3c8e4d11", "c", "memory-azure",
                                      &error));
  g_assert_no_error (error);
  kl_test_assert_azure_secret (creds, "60d8d8c1b1b6a72a3c8e4d11", "c", "memory-azure");

  /* Nothing reached the keyring. */
  items = keyring_search ("profile-id", kl_profile_get_id (profile), NULL);
  g_assert_null (items);
  items = keyring_search ("kind", "azure-client-secret", "azure-client-id", "c", NULL);
  g_assert_null (items);

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_delete_azure (creds, "60d8d8c1b1b6a72a3c8e4d11", "c", &error));
  g_assert_no_error (error);
  g_clear_pointer (&secret, g_free);
  secret = kl_test_lookup_secret (creds, kl_profile_get_id (profile), &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);
}

/* No secret in any file or log */

/* The patterns a secret could show as: its bytes, and GVariant's rendering of a byte array
 * (what G_DBUS_DEBUG=message prints for an unencrypted secret). */
static GPtrArray *
secret_patterns (const char *secret)
{
  GPtrArray *patterns = g_ptr_array_new_with_free_func (g_free);
  GString *bytes = g_string_new (NULL);

  g_ptr_array_add (patterns, g_strdup (secret));
  for (guint i = 0; i < 8 && secret[i] != '\0'; i++)
    g_string_append_printf (bytes, "%s0x%02x", i > 0 ? ", " : "", (guchar) secret[i]);
  g_ptr_array_add (patterns, g_string_free (bytes, FALSE));
  return patterns;
}

static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *pattern)
{
  gsize pattern_length = strlen (pattern);

  for (gsize i = 0; pattern_length <= length && i <= length - pattern_length; i++)
    {
      if (data[i] == pattern[0] && memcmp (data + i, pattern, pattern_length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* How many of @patterns occur in @data; each one found is named in the test log. */
static guint
count_patterns (const char *where,
                const char *data,
                gsize       length,
                GPtrArray  *patterns)
{
  guint found = 0;

  for (guint i = 0; i < patterns->len; i++)
    {
      if (contains_bytes (data, length, patterns->pdata[i]))
        {
          g_test_message ("a secret (pattern %u) is in %s", i, where);
          found++;
        }
    }
  return found;
}

static char *
random_secret (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

/* Every regular file under @dir (FIFOs, sockets and symlinks skipped: they are not storage). */
static guint
scan_tree (GFile     *dir,
           GPtrArray *patterns,
           guint     *files,
           guint64   *bytes)
{
  guint found = 0;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      g_assert_true (g_file_enumerator_iterate (children, &info, &child, NULL, &error));
      g_assert_no_error (error);
      if (info == NULL)
        break;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        found += scan_tree (child, patterns, files, bytes);
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        {
          g_autofree char *contents = NULL;
          g_autofree char *path = g_file_get_path (child);
          gsize length = 0;

          g_assert_true (g_file_load_contents (child, NULL, &contents, &length, NULL, &error));
          g_assert_no_error (error);
          found += count_patterns (path, contents, length, patterns);
          (*files)++;
          *bytes += length;
        }
    }

  return found;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static void
test_no_secret_leaks (void)
{
  g_autofree char *sa = random_secret ("mdb_sa_sk_");
  g_autofree char *api = random_secret ("api-private-");
  g_autofree char *azure = random_secret ("azure~");
  g_autofree char *cli = random_secret ("cli-secret-");
  g_autofree char *input = NULL;
  g_autofree char *config = NULL;
  g_autofree char *self_exe = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autofree char *session_base = g_path_get_basename (session_root);
  const char *secrets[4];
  guint files = 0;
  guint64 bytes = 0;

  if (!g_str_has_prefix (session_base, "kl-test."))
    {
      g_test_skip ("Not run by build-aux/test-session.sh: no private keyring to scan");
      return;
    }

  secrets[0] = sa;
  secrets[1] = api;
  secrets[2] = azure;
  secrets[3] = cli;

  /* An Atlas CLI profile whose secret is in the CLI's keyring item, to import. */
  config = g_build_filename (g_get_user_config_dir (), "atlascli", "config.toml", NULL);
  write_file (config, "[leaktest]\n  auth_type = \"service_account\"\n"
                      "  org_id = \"5e2211c17a3e5a48f5497de3\"\n");
  kl_test_secret_tool_store ("leaktest", "client_id", "mdb_sa_id_cccccccccccccccccccccccc");
  kl_test_secret_tool_store ("leaktest", "client_secret", cli);

  /* The worker does the work with every debug log on, and gets the secrets on stdin. */
  self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* G_TEST_OPTION_ISOLATE_DIRS points these at /dev/null in the environment and only tells
   * GLib in this process the real ones: hand the worker this test's directories. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "KL_TEST_SECRET_WORKER", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_DBUS_DEBUG", "message", TRUE);
  worker = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
  g_assert_no_error (error);

  input = g_strjoin ("\n", sa, api, azure, cli, "", NULL);
  g_subprocess_communicate_utf8_async (worker, input, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  g_assert_true (g_subprocess_communicate_utf8_finish (worker, result, &output, NULL, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (worker) || g_subprocess_get_exit_status (worker) != 0 ||
      strstr (output, "worker: done") == NULL)
    g_error ("The worker failed:\n%s", output);

  /* The log is real: debug output of Keylink, libsecret and GDBus. */
  g_assert_nonnull (strstr (output, "kl-credentials"));
  g_assert_nonnull (strstr (output, "GDBus-debug:Message"));
  g_test_message ("worker log: %zu bytes", strlen (output));

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_ptr_array_add (patterns, secret_patterns (secrets[i]));

  for (guint i = 0; i < patterns->len; i++)
    g_assert_cmpuint (count_patterns ("the worker's debug log", output, strlen (output),
                                      patterns->pdata[i]), ==, 0);

  /* The log does show what is not secret: ids and attributes reach it, secrets do not. */
  g_assert_nonnull (strstr (output, "mdb_sa_id_dddddddddddddddddddddddd"));
  g_assert_true (contains_bytes (output, strlen (output), "Worker SA renamed"));

  /* The scanner finds what is there: a canary planted in a file. */
  {
    g_autofree char *canary = random_secret ("canary-");
    g_autofree char *canary_path = g_build_filename (g_get_user_cache_dir (), "canary", NULL);
    g_autofree char *canary_text = g_strdup_printf ("before\n%s\nafter", canary);
    g_autoptr(GPtrArray) canary_patterns = secret_patterns (canary);
    g_autoptr(GFile) cache = g_file_new_for_path (g_get_user_cache_dir ());
    guint canary_files = 0;
    guint64 canary_bytes = 0;

    write_file (canary_path, canary_text);
    g_assert_cmpuint (scan_tree (cache, canary_patterns, &canary_files, &canary_bytes), ==, 1);
    g_assert_cmpint (g_unlink (canary_path), ==, 0);
  }

  /* This test's HOME and XDG directories (G_TEST_OPTION_ISOLATE_DIRS, where Keylink and the
   * worker write), and test-session.sh's (where gnome-keyring-daemon keeps the keyring, with its
   * and dbus-daemon's logs). */
  {
    g_autofree char *isolated = g_path_get_dirname (g_get_home_dir ());
    const char *roots[] = { isolated, session_root };

    g_assert_true (g_str_has_prefix (g_get_user_config_dir (), isolated));
    g_assert_true (g_str_has_prefix (g_get_user_data_dir (), isolated));
    g_assert_true (g_str_has_prefix (g_get_user_cache_dir (), isolated));
    g_assert_true (g_str_has_prefix (g_get_user_state_dir (), isolated));

    for (guint r = 0; r < G_N_ELEMENTS (roots); r++)
      {
        g_autoptr(GFile) root = g_file_new_for_path (roots[r]);

        files = 0;
        bytes = 0;
        for (guint i = 0; i < patterns->len; i++)
          g_assert_cmpuint (scan_tree (root, patterns->pdata[i], &files, &bytes), ==, 0);
        files /= patterns->len;
        bytes /= patterns->len;
        g_assert_cmpuint (files, >=, 1);
        g_test_message ("scanned %u files, %" G_GUINT64_FORMAT " bytes, under %s", files, bytes,
                        roots[r]);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    explicit_bzero ((char *) secrets[i], strlen (secrets[i]));
}

/* The child of test_no_secret_leaks: stores and uses everything, prints its debug log. */
static int
run_secret_worker (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) sa = NULL;
  g_autoptr(KlProfile) api = NULL;
  g_autoptr(KlProfile) imported = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) cli = NULL;
  g_autoptr(GError) error = NULL;
  char lines[4][256];

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_assert_nonnull (fgets (lines[i], sizeof lines[i], stdin));
      lines[i][strcspn (lines[i], "\n")] = '\0';
    }

  sa = kl_profile_new ("Worker SA", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS,
                       "mdb_sa_id_dddddddddddddddddddddddd");
  api = kl_profile_new ("Worker API", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_GOVERNMENT, "pubkey06");
  g_assert_true (kl_test_store_profile (creds, sa, lines[0], &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_store_profile (creds, api, lines[1], &error));
  g_assert_no_error (error);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (sa), lines[0]);
  kl_test_assert_secret (creds, kl_profile_get_id (api), lines[1]);
  g_assert_true (kl_test_rename_profile (creds, kl_profile_get_id (sa), "Worker SA renamed",
                                         &error));
  g_assert_no_error (error);
  kl_profile_set_org_id (api, "5e2211c17a3e5a48f5497de3");
  g_assert_true (kl_test_update_profile (creds, api, &error));
  g_assert_no_error (error);
  g_assert_true (kl_test_store_azure (creds, "60d8d8c1b1b6a72a3c8e4d11",
                                      "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", lines[2], &error));
  g_assert_no_error (error);
  kl_test_assert_azure_secret (creds, "60d8d8c1b1b6a72a3c8e4d11",
                               "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", lines[2]);

  cli = kl_test_list_cli (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cli->len, ==, 1);
  g_assert_true (kl_cli_profile_is_importable (cli->pdata[0]));
  imported = kl_test_import_cli (creds, cli->pdata[0], &error);
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (imported), lines[3]);

  g_assert_true (kl_test_delete_profile (creds, kl_profile_get_id (api), &error));
  g_assert_no_error (error);

  /* And the same through the memory-only store. */
  kl_credentials_set_memory_only (creds, TRUE);
  g_assert_true (kl_test_store_profile (creds, api, lines[1], &error));
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (api), lines[1]);

  explicit_bzero (lines, sizeof lines);
  g_print ("worker: done\n");
  return 0;
}

/* No Secret Service on the bus (KL_TEST_NO_KEYRING=1) */

static void
test_no_keyring_errors (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gint64 start = g_get_monotonic_time ();

  profile = kl_profile_new ("Nowhere", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey07");

  g_assert_false (kl_test_store_profile (creds, profile, "nowhere-secret", &error));
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "GNOME Keyring"));
  g_test_message ("store: %s", error->message);
  g_clear_error (&error);

  profiles = kl_test_list_profiles (creds, &error);
  g_assert_null (profiles);
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  secret = kl_test_lookup_secret (creds, kl_profile_get_id (profile), &error);
  g_assert_null (secret);
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (kl_test_rename_profile (creds, kl_profile_get_id (profile), "x", &error));
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (kl_test_delete_profile (creds, kl_profile_get_id (profile), &error));
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (kl_test_store_azure (creds, "p", "c", "nowhere-azure", &error));
  assert_keyring_error (error, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  /* No hang: the bus answers at once that there is no such service. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (10 * G_USEC_PER_SEC));
  g_test_message ("six failed calls took %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

static void
test_no_keyring_memory_fallback (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profile = kl_profile_new ("Session only", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey08");
  g_assert_false (kl_test_store_profile (creds, profile, "session-secret", &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  /* "Continue without saving" */
  kl_credentials_set_memory_only (creds, TRUE);
  g_assert_true (kl_test_store_profile (creds, profile, "session-secret", &error));
  g_assert_no_error (error);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 1);
  kl_test_assert_secret (creds, kl_profile_get_id (profile), "session-secret");
}

/* The default collection locked (KL_TEST_LOCKED_KEYRING=1) */

static KlProfile *locked_profile;

static void
lock_default_collection (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(SecretService) service = get_service ();
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusProxy) objects = NULL;
  g_autolist(GDBusProxy) locked = NULL;
  g_autoptr(SecretCollection) again = NULL;

  /* An Atlas CLI profile with its secret in the CLI's keyring items, made while unlocked. */
  {
    g_autofree char *config = g_build_filename (g_get_user_config_dir (), "atlascli",
                                                "config.toml", NULL);

    write_file (config, "[locked]\n  auth_type = \"api_keys\"\n");
    kl_test_secret_tool_store ("locked", "public_api_key", "lockedpub");
    kl_test_secret_tool_store ("locked", "private_api_key", "locked-cli-secret");
  }

  /* A profile saved while it was unlocked. */
  locked_profile = kl_profile_new ("Saved before locking", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS,
                                   "pubkey09");
  g_assert_true (kl_test_store_profile (creds, locked_profile, "locked-secret", &error));
  g_assert_no_error (error);

  collection = default_collection (service);
  objects = g_list_append (NULL, g_object_ref (collection));
  secret_service_lock (service, objects, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  g_assert_cmpint (secret_service_lock_finish (service, result, &locked, &error), ==, 1);
  g_assert_no_error (error);

  again = default_collection (service);
  g_assert_true (secret_collection_get_locked (again));
}

/* With a display, gnome-keyring shows its unlock prompt (gcr-prompter, D-Bus activated) on
 * Xvfb, where nobody answers it: the operation's timeout dismisses it. Without one, the prompter
 * cannot start and gnome-keyring reports the prompt dismissed at once. */
static void
assert_locked_in_time (GError *error,
                       gint64  start,
                       guint   timeout_ms)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  assert_keyring_error (error, KL_ERROR_KEYRING_LOCKED);
  g_test_message ("%" G_GINT64_FORMAT " ms: %s", elapsed_ms, error->message);

  if (g_getenv ("DISPLAY") != NULL)
    {
      g_assert_cmpint (elapsed_ms, >=, timeout_ms);
      g_assert_nonnull (strstr (error->message, "not answered"));
    }
  g_assert_cmpint (elapsed_ms, <, timeout_ms + kl_test_scale_ms (10000));
}

static void
check_locked_in_session (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(KlProfile) fresh = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autolist(SecretItem) items = NULL;
  guint timeout_ms = 3000;
  gint64 start;

  lock_default_collection ();
  kl_credentials_set_timeout (creds, timeout_ms);

  /* The attributes of a keyring unlocked earlier in this session stay readable: listing works
   * without a prompt. */
  start = g_get_monotonic_time ();
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kl_test_find_profile (profiles, kl_profile_get_id (locked_profile)));
  g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (timeout_ms * 1000));

  /* What needs the secret or a change asks to unlock, and fails cleanly. */
  start = g_get_monotonic_time ();
  secret = kl_test_lookup_secret (creds, kl_profile_get_id (locked_profile), &error);
  g_assert_null (secret);
  assert_locked_in_time (error, start, timeout_ms);
  g_clear_error (&error);

  fresh = kl_profile_new ("Saved while locked", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "pubkey10");
  start = g_get_monotonic_time ();
  g_assert_false (kl_test_store_profile (creds, fresh, "fresh-secret", &error));
  assert_locked_in_time (error, start, timeout_ms);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (kl_test_rename_profile (creds, kl_profile_get_id (locked_profile), "x", &error));
  assert_locked_in_time (error, start, timeout_ms);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (kl_test_delete_profile (creds, kl_profile_get_id (locked_profile), &error));
  assert_locked_in_time (error, start, timeout_ms);
  g_clear_error (&error);

  /* The user gives up (the window closes) while the prompt is up: cancelled at once, and the
   * daemon lives on (a dismissed prompt would make it abort: see op_abandon ()). */
  if (g_getenv ("DISPLAY") != NULL)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(SecretValue) value = NULL;

      kl_credentials_lookup_async (creds, kl_profile_get_id (locked_profile), cancellable,
                                   kl_test_store_result, &result);
      /* A person pressing Cancel a moment after the prompt appeared. */
      g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
      start = g_get_monotonic_time ();
      kl_test_wait_result (&result, WAIT_MS);
      value = kl_credentials_lookup_finish (creds, result, &error);
      g_assert_null (value);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (g_get_monotonic_time () - start, <, kl_test_scale_us (timeout_ms * 1000));
      g_clear_error (&error);
    }

  /* Nothing was changed. */
  items = keyring_search ("kind", "atlas-profile", NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  /* The CLI's items: listed (their attributes are readable), not imported (locked). */
  {
    g_autoptr(GPtrArray) cli = kl_test_list_cli (creds, &error);
    g_autoptr(KlProfile) imported = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (cli->len, ==, 1);
    g_assert_true (kl_cli_profile_is_importable (cli->pdata[0]));
    g_assert_cmpint (kl_cli_profile_get_secret_location (cli->pdata[0]), ==, KL_CLI_SECRET_KEYRING);
    /* The public key is a secret of a locked item: unknown until the import unlocks it. */
    g_assert_null (kl_cli_profile_get_client_id (cli->pdata[0]));
    start = g_get_monotonic_time ();
    imported = kl_test_import_cli (creds, cli->pdata[0], &error);
    g_assert_null (imported);
    assert_locked_in_time (error, start, timeout_ms);
    g_clear_error (&error);
  }

  /* "Continue without saving" */
  kl_credentials_set_memory_only (creds, TRUE);
  g_assert_true (kl_test_store_profile (creds, fresh, "fresh-secret", &error));
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (fresh), "fresh-secret");

  g_clear_object (&locked_profile);
}

static void check_locked_fresh_daemon (void);

static void
test_locked (void)
{
  check_locked_in_session ();

  /* With a display, the prompts above are still up (abandoned, as designed); replacing the
   * daemon under them makes libsecret 0.20.5 itself call g_task_return_error (NULL), a critical
   * that G_DEBUG=fatal-warnings turns into an abort. The headless run checks the fresh daemon. */
  if (g_getenv ("DISPLAY") == NULL)
    check_locked_fresh_daemon ();
  else
    g_test_message ("fresh-daemon check: in the headless run only");
}

typedef struct
{
  char     *old_owner;
  gboolean  replaced;
} OwnerWatch;

static void
on_secrets_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  OwnerWatch *watch = user_data;

  if (g_strcmp0 (owner, watch->old_owner) != 0)
    watch->replaced = TRUE;
}

static char *
secrets_owner (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(s)", &owner);
  return owner;
}

/* The morning after: a keyring daemon that starts with the login keyring locked (no password
 * at login) shows only hashed attributes (gkr:compat:hashed:*) and empty labels, so listing
 * needs an unlock; refused, it is KL_ERROR_KEYRING_LOCKED. Runs after check_locked_in_session ()
 * left a profile in the (locked) login keyring. */
static void
check_locked_fresh_daemon (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  OwnerWatch watch = { NULL, FALSE };
  guint watch_id;
  g_autolist(SecretItem) items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  guint timeout_ms = 3000;
  gint64 start;

  /* A new gnome-keyring-daemon takes over the bus name and loads login.keyring, locked. */
  watch.old_owner = secrets_owner ();
  watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.secrets",
                               G_BUS_NAME_WATCHER_FLAGS_NONE, on_secrets_appeared, NULL,
                               &watch, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* test-session.sh's environment (its keyring directories), not the /dev/null ones of
   * G_TEST_OPTION_ISOLATE_DIRS. */
  g_subprocess_launcher_set_environ (launcher, session_environ);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--replace",
                                        "--foreground", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_assert_true (kl_test_wait_for_flag (&watch.replaced, WAIT_MS));
  g_bus_unwatch_name (watch_id);
  g_free (watch.old_owner);
  /* libsecret's shared proxy holds a session with the old daemon. */
  secret_service_disconnect ();

  items = keyring_search ("kind", "atlas-profile", NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (secret_item_get_locked (items->data));
  attributes = secret_item_get_attributes (items->data);
  g_assert_null (g_hash_table_lookup (attributes, "profile-id"));
  g_assert_nonnull (g_hash_table_lookup (attributes, "gkr:compat:hashed:profile-id"));

  kl_credentials_set_timeout (creds, timeout_ms);
  start = g_get_monotonic_time ();
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_null (profiles);
  assert_locked_in_time (error, start, timeout_ms);
  g_clear_error (&error);

  /* The CLI's profile cannot be told apart without unlocking: it says why. */
  {
    g_autoptr(GPtrArray) cli = kl_test_list_cli (creds, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cli->len, ==, 1);
    g_assert_false (kl_cli_profile_is_importable (cli->pdata[0]));
    g_assert_nonnull (strstr (kl_cli_profile_get_problem (cli->pdata[0]), "locked"));
    g_test_message ("CLI profile: %s", kl_cli_profile_get_problem (cli->pdata[0]));
  }

  /* "Continue without saving" */
  kl_credentials_set_memory_only (creds, TRUE);
  profiles = kl_test_list_profiles (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);

  g_clear_list (&items, g_object_unref);
  secret_service_disconnect ();
  g_subprocess_force_exit (daemon);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (g_getenv ("KL_TEST_SECRET_WORKER") != NULL)
    return run_secret_worker ();

  session_root = g_path_get_dirname (g_get_home_dir ());
  session_environ = g_get_environ ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/credentials/profile/object", test_profile_object);
  g_test_add_func ("/credentials/secret/value", test_secret_value);

  if (g_getenv ("KL_TEST_NO_KEYRING") != NULL)
    {
      g_test_add_func ("/credentials/no-keyring/errors", test_no_keyring_errors);
      g_test_add_func ("/credentials/no-keyring/memory-fallback", test_no_keyring_memory_fallback);
    }
  else if (g_getenv ("KL_TEST_LOCKED_KEYRING") != NULL)
    {
      g_test_add_func ("/credentials/locked/errors-and-fallback", test_locked);
    }
  else
    {
      g_test_add_func ("/credentials/keyring/default-collection", test_default_collection);
      g_test_add_func ("/credentials/keyring/store-list-lookup", test_store_list_lookup);
      g_test_add_func ("/credentials/keyring/two-profiles", test_two_profiles);
      g_test_add_func ("/credentials/keyring/rename-update", test_rename_update);
      g_test_add_func ("/credentials/keyring/delete", test_delete);
      g_test_add_func ("/credentials/keyring/azure-secret", test_azure_secret);
      g_test_add_func ("/credentials/keyring/invalid", test_invalid_profiles);
      g_test_add_func ("/credentials/keyring/cancel", test_cancel);
      g_test_add_func ("/credentials/keyring/memory-only", test_memory_only);
      g_test_add_func ("/credentials/keyring/no-secret-leaks", test_no_secret_leaks);
    }

  ret = g_test_run ();
  g_free (session_root);
  g_strfreev (session_environ);
  return ret;
}
