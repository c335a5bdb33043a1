/* test-cli-import.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Atlas CLI's configuration reader (a TOML subset) and the import of its profiles, against
 * the fixture tests/data/atlascli/config.toml copied into the test's isolated XDG_CONFIG_HOME
 * and keyring items made with secret-tool, as the CLI's go-keyring makes them.
 * KL_TEST_NO_KEYRING=1 (tests/meson.build): the same with no Secret Service on the bus. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsecret/secret.h>

#include "kl-cli-config.h"
#include "kl-credentials.h"
#include "kl-error.h"
#include "kl-test-credentials.h"
#include "kl-test-utils.h"

#define WAIT_MS 60000

/* The secrets of the CLI's keyring items (made up). */
#define DEFAULT_CLIENT_ID "mdb_sa_id_65f0a1b2c3d4e5f60718293a"
#define DEFAULT_SECRET    "mdb_sa_sk_default-7c1d9e2f4a6b8c0d"
#define GOV_PUBLIC_KEY    "govpubkey"
#define GOV_SECRET        "gov-private-3e5a7c9b-1d2f-4e6a-8b0c-2d4f6a8c0e1b"
#define DEV_SECRET        "mdb_sa_sk_dev-keyring-fresh"
#define LEGACY_SECRET     "legacy-private-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

static const char * const fixture_profiles[] = {
  "default", "dev", "gov", "legacy", "nokeys", "onprem", "sso",
};

static void
delete (KlCredentials *creds,
        const char    *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kl_credentials_delete_async (creds, id, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  g_assert_true (kl_credentials_delete_finish (creds, result, &error));
  g_assert_no_error (error);
}

static KlCliProfile *
find_cli (GPtrArray  *profiles,
          const char *name)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      if (g_str_equal (kl_cli_profile_get_name (profiles->pdata[i]), name))
        return profiles->pdata[i];
    }
  g_error ("No CLI profile “%s”", name);
  return NULL;
}

/* Fixtures */

static char *
fixture_text (gsize *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "atlascli", "config.toml",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "atlascli", "config.toml", NULL);
}

static void
write_config (const char *contents,
              gssize      length)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  /* The default path honours the XDG config dir (G_TEST_OPTION_ISOLATE_DIRS made one). */
  g_assert_true (g_str_has_prefix (path, g_get_user_config_dir ()));
  g_assert_true (g_str_has_suffix (g_get_user_config_dir (), "/.dirs/config"));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (path, contents, length,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
}

static void
copy_fixture (void)
{
  gsize length = 0;
  g_autofree char *text = fixture_text (&length);

  write_config (text, (gssize) length);
}

static void
create_cli_items (void)
{
  kl_test_secret_tool_store ("default", "client_id", DEFAULT_CLIENT_ID);
  kl_test_secret_tool_store ("default", "client_secret", DEFAULT_SECRET);
  kl_test_secret_tool_store ("gov", "public_api_key", GOV_PUBLIC_KEY);
  kl_test_secret_tool_store ("gov", "private_api_key", GOV_SECRET);
  kl_test_secret_tool_store ("dev", "client_secret", DEV_SECRET);
  kl_test_secret_tool_store ("sso", "access_token", "eyJhbGciOiJub25lIn0.e30.");
  kl_test_secret_tool_store ("sso", "refresh_token", "sso-refresh-token");
  /* Not a profile of this file: must not leak into "default". */
  kl_test_secret_tool_store ("defaultx", "client_secret", "someone-else");
}

static GList *
cli_items (const char *profile)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *service = g_strconcat ("atlascli_", profile, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, (char *) "service", service);
  secret_service_search (NULL, NULL, attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                         NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, WAIT_MS);
  items = secret_service_search_finish (NULL, result, &error);
  g_assert_no_error (error);
  return items;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Everything about the CLI's file and items that a write would change. */
static char *
snapshot_cli (void)
{
  GString *snapshot = g_string_new (NULL);
  g_autofree char *path = config_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  gsize length = 0;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_string_append_printf (snapshot, "file %zu bytes mode %o mtime %ld.%09ld ctime %ld.%09ld\n",
                          length, (unsigned) st.st_mode, (long) st.st_mtim.tv_sec,
                          (long) st.st_mtim.tv_nsec, (long) st.st_ctim.tv_sec,
                          (long) st.st_ctim.tv_nsec);
  g_string_append_len (snapshot, contents, (gssize) length);

  for (guint i = 0; i < G_N_ELEMENTS (fixture_profiles); i++)
    {
      g_autolist(SecretItem) items = cli_items (fixture_profiles[i]);
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

      for (GList *l = items; l != NULL; l = l->next)
        {
          g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
          g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
          g_autofree char *label = secret_item_get_label (l->data);
          g_autofree char *joined = NULL;
          GHashTableIter iter;
          gpointer k, v;

          g_hash_table_iter_init (&iter, attributes);
          while (g_hash_table_iter_next (&iter, &k, &v))
            {
              /* gnome-keyring itself adds xdg:schema=org.freedesktop.Secret.Generic to an item
               * without one when it reloads login.keyring after writes to the collection (its
               * file stores an item type, not a schema): secret-tool alone shows it (store an
               * item, then store and clear a few others). Not a change to the item: its
               * modified time stays. */
              if (g_str_equal (k, "xdg:schema") && g_str_equal (v, "org.freedesktop.Secret.Generic"))
                continue;
              g_ptr_array_add (pairs, g_strdup_printf ("%s=%s", (char *) k, (char *) v));
            }
          g_ptr_array_sort (pairs, compare_strings);
          g_ptr_array_add (pairs, NULL);
          joined = g_strjoinv (",", (char **) pairs->pdata);

          g_ptr_array_add (lines, g_strdup_printf ("%s|%s|%s|%s|%" G_GUINT64_FORMAT "|%"
                                                   G_GUINT64_FORMAT "|%d",
                                                   g_dbus_proxy_get_object_path (l->data),
                                                   label, joined,
                                                   value != NULL ? secret_value_get_text (value) : "",
                                                   secret_item_get_created (l->data),
                                                   secret_item_get_modified (l->data),
                                                   secret_item_get_locked (l->data)));
        }
      g_ptr_array_sort (lines, compare_strings);
      for (guint j = 0; j < lines->len; j++)
        g_string_append_printf (snapshot, "\n%s", (char *) lines->pdata[j]);
    }

  return g_string_free (snapshot, FALSE);
}

/* The reader, without a keyring */

static void
test_parse_fixture (void)
{
  gsize length = 0;
  g_autofree char *text = fixture_text (&length);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  KlCliProfile *profile;

  profiles = kl_cli_config_parse_profiles (text, length, "config.toml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, G_N_ELEMENTS (fixture_profiles));
  for (guint i = 0; i < profiles->len; i++)
    g_assert_cmpstr (kl_cli_profile_get_name (profiles->pdata[i]), ==, fixture_profiles[i]);

  /* Its keys are in a keyring this parse has not looked at. */
  profile = find_cli (profiles, "default");
  g_assert_false (kl_cli_profile_is_importable (profile));
  g_assert_nonnull (kl_cli_profile_get_problem (profile));
  g_assert_cmpstr (kl_cli_profile_get_org_id (profile), ==, "5e2211c17a3e5a48f5497de3");
  g_assert_cmpstr (kl_cli_profile_get_project_id (profile), ==, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_cmpint (kl_cli_profile_get_service (profile), ==, KL_ATLAS_SERVICE_ATLAS);

  /* No auth_type, but both keys in the file: API keys, as the CLI decides. */
  profile = find_cli (profiles, "legacy");
  g_assert_true (kl_cli_profile_is_importable (profile));
  g_assert_null (kl_cli_profile_get_problem (profile));
  g_assert_cmpint (kl_cli_profile_get_auth_type (profile), ==, KL_AUTH_API_KEY);
  g_assert_cmpstr (kl_cli_profile_get_client_id (profile), ==, "legacypub");
  g_assert_cmpint (kl_cli_profile_get_secret_location (profile), ==, KL_CLI_SECRET_FILE);
  g_assert_cmpstr (kl_cli_profile_get_secret_property (profile), ==, "private_api_key");

  profile = find_cli (profiles, "dev");
  g_assert_true (kl_cli_profile_is_importable (profile));
  g_assert_cmpint (kl_cli_profile_get_auth_type (profile), ==, KL_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpint (kl_cli_profile_get_service (profile), ==, KL_ATLAS_SERVICE_CUSTOM);
  g_assert_cmpstr (kl_cli_profile_get_custom_url (profile), ==, "https://cloud-dev.example.com/");
  g_assert_cmpint (kl_cli_profile_get_secret_location (profile), ==, KL_CLI_SECRET_FILE);

  /* [Gov]: the CLI folds case. */
  profile = find_cli (profiles, "gov");
  g_assert_cmpint (kl_cli_profile_get_service (profile), ==, KL_ATLAS_SERVICE_GOVERNMENT);

  profile = find_cli (profiles, "sso");
  g_assert_false (kl_cli_profile_is_importable (profile));
  g_assert_nonnull (strstr (kl_cli_profile_get_problem (profile), "user account"));

  profile = find_cli (profiles, "onprem");
  g_assert_false (kl_cli_profile_is_importable (profile));
  g_assert_nonnull (strstr (kl_cli_profile_get_problem (profile), "ops-manager"));

  profile = find_cli (profiles, "nokeys");
  g_assert_false (kl_cli_profile_is_importable (profile));
  g_assert_nonnull (strstr (kl_cli_profile_get_problem (profile), "neither the keyring nor"));

  /* Secrets are read on demand, never kept by the parse. */
  {
    g_autoptr(SecretValue) secret = NULL;

    secret = kl_cli_config_dup_value (text, length, "legacy", "private_api_key", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (secret_value_get_text (secret), ==, LEGACY_SECRET);
    g_clear_pointer (&secret, secret_value_unref);
    secret = kl_cli_config_dup_value (text, length, "LEGACY", "Private_API_Key", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (secret_value_get_text (secret), ==, LEGACY_SECRET);
    g_clear_pointer (&secret, secret_value_unref);
    secret = kl_cli_config_dup_value (text, length, "default", "private_api_key", &error);
    g_assert_no_error (error);
    g_assert_null (secret);
  }
}

static char *
dup_text (const char *toml,
          const char *profile,
          const char *property)
{
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = kl_cli_config_dup_value (toml, strlen (toml), profile, property, &error);
  g_assert_no_error (error);
  return value != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
}

static void
test_parse_syntax (void)
{
  static const char toml[] =
    "\xef\xbb\xbf# a byte-order mark, then a comment\n"
    "\"quoted key\" = \"v\"   # trailing comment\n"
    "bare-key_1 = 'literal \\n stays'\n"
    "org_id = \"\"\n"
    "\n"
    "[esc]\n"
    "  auth_type = \"api_keys\"\n"
    "  public_api_key = \"tab\\there \\\"quoted\\\" \\\\ back \\u00e9 \\U0001F600\"\n"
    "  private_api_key = \"\"\"\n"
    "multi \\\n"
    "     line\"\"\"\n"
    "  org_id = '''\n"
    "raw\\n\n"
    "'''\n"
    "  project_id = \"\"\"a \"quoted\" word\"\"\"\"\n"
    "  number = 42\n"
    "  float = -3.5e2\n"
    "  hex = 0xdead_beef\n"
    "  infinity = -inf\n"
    "  date = 1979-05-27 07:32:00Z\n"
    "  day = 1979-05-27\n"
    "  arr = [ 1, \"two\", [3, 4], { a = 1 }, ]   # nested\n"
    "  multi_arr = [\n"
    "     \"x\",  # comment\n"
    "\n"
    "     \"y\",\n"
    "  ]\n"
    "  inline = { x = \"y\", z = [1,2], \"q k\" = 'v' }\n"
    "  dotted . key = \"ignored\"\n"
    "  flag = true\n"
    "  other = false\n"
    "  \"service\" = 'cloudgov'\n"
    "\n"
    "[esc.sub]\n"
    "  client_secret = \"in a sub-table: not the profile's\"\n"
    "[[servers]]\n"
    "  name = \"x\"\n"
    "[[servers]]\n"
    "  name = \"y\"\n"
    "[ \"spaced\" ]\n"
    "\tprivate_api_key=\"tabs and no spaces\"\n";
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  KlCliProfile *esc;

  profiles = kl_cli_config_parse_profiles (toml, strlen (toml), "syntax.toml", &error);
  g_assert_no_error (error);
  /* [esc.sub] and [[servers]] are not profiles. */
  g_assert_cmpuint (profiles->len, ==, 2);
  esc = find_cli (profiles, "esc");
  g_assert_cmpint (kl_cli_profile_get_service (esc), ==, KL_ATLAS_SERVICE_GOVERNMENT);
  g_assert_true (kl_cli_profile_is_importable (esc));
  g_assert_cmpstr (kl_cli_profile_get_client_id (esc), ==,
                   "tab\there \"quoted\" \\ back \xc3\xa9 \xf0\x9f\x98\x80");
  /* An empty top-level value does not hide the profile's. */
  g_assert_cmpstr (kl_cli_profile_get_org_id (esc), ==, "raw\\n\n");
  g_assert_cmpstr (kl_cli_profile_get_project_id (esc), ==, "a \"quoted\" word\"");

  value = dup_text (toml, "esc", "private_api_key");
  g_assert_cmpstr (value, ==, "multi line");
  g_clear_pointer (&value, g_free);
  value = dup_text (toml, "esc", "client_secret");
  g_assert_null (value);
  value = dup_text (toml, "spaced", "private_api_key");
  g_assert_cmpstr (value, ==, "tabs and no spaces");
  g_clear_pointer (&value, g_free);

  /* CRLF line ends. */
  {
    static const char crlf[] = "[p]\r\n  public_api_key = \"k\"\r\n  private_api_key = \"s\"\r\n";

    value = dup_text (crlf, "p", "private_api_key");
    g_assert_cmpstr (value, ==, "s");
    g_clear_pointer (&value, g_free);
  }

  /* A non-empty top-level value wins, as in the CLI (viper's GetHierarchicalValue). */
  {
    static const char global[] = "org_id = \"rootorg\"\n[p]\norg_id = \"porg\"\n";
    g_autoptr(GPtrArray) with_global = NULL;

    with_global = kl_cli_config_parse_profiles (global, strlen (global), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kl_cli_profile_get_org_id (find_cli (with_global, "p")), ==, "rootorg");
  }

  /* Nothing at all. */
  {
    g_autoptr(GPtrArray) none = kl_cli_config_parse_profiles ("", 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

typedef struct
{
  const char *text;
  gssize      length; /* -1: strlen */
  guint       line;
} Malformed;

static void
test_parse_malformed (void)
{
  static const Malformed cases[] = {
    { "a = \"unterminated", -1, 1 },
    { "\n\nb = \"bad \\q escape\"", -1, 3 },
    { "[p]\nkey \"v\"", -1, 2 },
    { "[p]\na = 1\na = 2", -1, 3 },
    { "[p]\n[p]", -1, 2 },
    { "a = \"v\" trailing", -1, 1 },
    { "# fine\n a = \"\xff\"", -1, 2 },
    { "a = \"x\0y\"", 9, 1 },
    { "a = 1\rb = 2", -1, 1 },
    { "[unclosed", -1, 1 },
    { "[a]]", -1, 1 },
    { "[[a]", -1, 1 },
    { "a =", -1, 1 },
    { "a = # no value", -1, 1 },
    { "a = nope", -1, 1 },
    { "= \"v\"", -1, 1 },
    { "a = \"\\u12\"", -1, 1 },
    { "a = \"\\uD800\"", -1, 1 },
    { "a = \"\\U00110000\"", -1, 1 },
    { "a = \"\"\"abc\n\ndef", -1, 3 },
    { "a = 'lit\nx'", -1, 1 },
    { "a = \"x\x01\"", -1, 1 },
    { "a = { b = 1", -1, 1 },
    { "a = [1, 2", -1, 1 },
    { "a = [1 2]", -1, 1 },
    { "a = \"\"\"x \\ y\"\"\"", -1, 1 },
    { "a = \"tail\\", -1, 1 },
    { "x = 1\n\"\"\"k\"\"\" = 1", -1, 2 },
  };
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) profiles = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("line %u:", cases[i].line);
      gsize length = cases[i].length < 0 ? strlen (cases[i].text) : (gsize) cases[i].length;

      profiles = kl_cli_config_parse_profiles (cases[i].text, length, "/x/config.toml", &error);
      g_assert_null (profiles);
      g_assert_error (error, KL_ERROR, KL_ERROR_FAILED);
      if (strstr (error->message, expected) == NULL || strstr (error->message, "/x/config.toml") == NULL)
        g_error ("case %u: “%s”", i, error->message);
      g_test_message ("case %u: %s", i, error->message);
    }

  /* Nesting that would overflow a naive recursive reader. */
  deep = g_strnfill (100000, '[');
  deep[0] = 'a';
  deep[1] = '=';
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) profiles = kl_cli_config_parse_profiles (deep, strlen (deep), NULL, &error);

    g_assert_null (profiles);
    g_assert_error (error, KL_ERROR, KL_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
  }

  /* A file no CLI writes. */
  huge = g_strnfill (2 * 1024 * 1024, '#');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) profiles = kl_cli_config_parse_profiles (huge, strlen (huge), NULL, &error);

    g_assert_null (profiles);
    g_assert_error (error, KL_ERROR, KL_ERROR_FAILED);
  }
}

/* Random damage to the fixture: an answer every time (a list or an error), never a crash; run
 * it under ASan/UBSan. */
static void
test_parse_mutations (void)
{
  static const char alphabet[] = "\"'[]{}=#\\\n\r\t ,.u0xf\xff\xc3";
  gsize length = 0;
  g_autofree char *text = fixture_text (&length);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  guint errors = 0;

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) bytes = g_string_sized_new (length + 8);
      g_autoptr(GPtrArray) profiles = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SecretValue) value = NULL;
      g_autoptr(GError) value_error = NULL;
      guint mutations = (guint) g_rand_int_range (rand, 1, 5);

      g_string_append_len (bytes, text, (gssize) length);
      for (guint m = 0; m < mutations && bytes->len > 0; m++)
        {
          guint at = (guint) g_rand_int_range (rand, 0, (gint32) bytes->len);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet)];

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              bytes->str[at] = c;
              break;
            case 1:
              g_string_erase (bytes, at, 1);
              break;
            case 2:
              g_string_insert_c (bytes, at, c);
              break;
            default:
              g_string_truncate (bytes, at);
              break;
            }
        }

      profiles = kl_cli_config_parse_profiles (bytes->str, bytes->len, NULL, &error);
      g_assert_true ((profiles == NULL) != (error == NULL));
      if (error != NULL)
        {
          g_assert_error (error, KL_ERROR, KL_ERROR_FAILED);
          errors++;
        }

      value = kl_cli_config_dup_value (bytes->str, bytes->len, "legacy",
                                       "private_api_key", &value_error);
      g_assert_true (value == NULL || value_error == NULL);
    }

  g_test_message ("3000 damaged files: %u refused with an error, %u read", errors, 3000 - errors);
  g_assert_cmpuint (errors, >, 0);
  g_assert_cmpuint (errors, <, 3000);
}

/* With the keyring */

static void
test_keyring_list_and_import (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) imported = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KlCliProfile *cli;
  struct {
    const char     *name;
    KlAuthType      auth;
    KlAtlasService  service;
    const char     *client_id;
    const char     *secret;
    KlCliSecretLocation location;
  } expected[] = {
    { "default", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_ATLAS, DEFAULT_CLIENT_ID, DEFAULT_SECRET,
      KL_CLI_SECRET_KEYRING },
    { "dev", KL_AUTH_SERVICE_ACCOUNT, KL_ATLAS_SERVICE_CUSTOM, "mdb_sa_id_0123456789abcdef01234567",
      DEV_SECRET, KL_CLI_SECRET_KEYRING },
    { "gov", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_GOVERNMENT, GOV_PUBLIC_KEY, GOV_SECRET,
      KL_CLI_SECRET_KEYRING },
    { "legacy", KL_AUTH_API_KEY, KL_ATLAS_SERVICE_ATLAS, "legacypub", LEGACY_SECRET,
      KL_CLI_SECRET_FILE },
  };

  copy_fixture ();
  create_cli_items ();
  before = snapshot_cli ();

  profiles = kl_test_list_cli (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, G_N_ELEMENTS (fixture_profiles));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(KlProfile) profile = NULL;
      g_autofree char *secret = NULL;

      cli = find_cli (profiles, expected[i].name);
      if (!kl_cli_profile_is_importable (cli))
        g_error ("%s: %s", expected[i].name, kl_cli_profile_get_problem (cli));
      g_assert_cmpint (kl_cli_profile_get_auth_type (cli), ==, expected[i].auth);
      g_assert_cmpint (kl_cli_profile_get_service (cli), ==, expected[i].service);
      g_assert_cmpstr (kl_cli_profile_get_client_id (cli), ==, expected[i].client_id);
      g_assert_cmpint (kl_cli_profile_get_secret_location (cli), ==, expected[i].location);

      profile = kl_test_import_cli (creds, cli, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kl_profile_get_display_name (profile), ==, expected[i].name);
      g_assert_cmpint (kl_profile_get_auth_type (profile), ==, expected[i].auth);
      g_assert_cmpint (kl_profile_get_service (profile), ==, expected[i].service);
      g_assert_cmpstr (kl_profile_get_client_id (profile), ==, expected[i].client_id);
      kl_test_assert_secret (creds, kl_profile_get_id (profile), expected[i].secret);
      g_ptr_array_add (imported, g_steal_pointer (&profile));
    }

  /* The org and project come along; the custom URL too. */
  g_assert_cmpstr (kl_profile_get_org_id (imported->pdata[0]), ==, "5e2211c17a3e5a48f5497de3");
  g_assert_cmpstr (kl_profile_get_project_id (imported->pdata[0]), ==, "60d8d8c1b1b6a72a3c8e4d11");
  g_assert_cmpstr (kl_profile_get_custom_url (imported->pdata[1]), ==, "https://cloud-dev.example.com/");
  g_assert_cmpstr (kl_profile_get_base_url (imported->pdata[2]), ==, "https://cloud.mongodbgov.com");

  /* What cannot be imported says why. */
  cli = find_cli (profiles, "sso");
  g_assert_false (kl_cli_profile_is_importable (cli));
  {
    g_autoptr(KlProfile) refused = kl_test_import_cli (creds, cli, &error);

    g_assert_null (refused);
    g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "user account"));
    g_clear_error (&error);
  }
  g_assert_false (kl_cli_profile_is_importable (find_cli (profiles, "nokeys")));
  g_assert_false (kl_cli_profile_is_importable (find_cli (profiles, "onprem")));

  /* The CLI's file and items were only read. */
  after = snapshot_cli ();
  g_assert_cmpstr (before, ==, after);

  /* And the snapshot would see a write (the test, not Keylink, relabels an item). */
  {
    g_autolist(SecretItem) items = cli_items ("sso");
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *changed = NULL;

    secret_item_set_label (items->data, "Relabelled by the test", NULL, kl_test_store_result,
                           &result);
    kl_test_wait_result (&result, WAIT_MS);
    g_assert_true (secret_item_set_label_finish (items->data, result, &error));
    g_assert_no_error (error);
    changed = snapshot_cli ();
    g_assert_cmpstr (changed, !=, after);
  }

  for (guint i = 0; i < imported->len; i++)
    delete (creds, kl_profile_get_id (imported->pdata[i]));
}

static void
test_keyring_no_config (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = config_path ();

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  profiles = kl_test_list_cli (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);
}

static void
test_keyring_malformed_file (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = config_path ();

  write_config ("[default]\n  org_id = \"5e2211c17a3e5a48f5497de3\n", -1);
  profiles = kl_test_list_cli (creds, &error);
  g_assert_null (profiles);
  g_assert_error (error, KL_ERROR, KL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_test_message ("%s", error->message);
}

static void
test_keyring_import_memory_only (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretItem) items = NULL;

  copy_fixture ();
  create_cli_items ();
  kl_credentials_set_memory_only (creds, TRUE);

  profiles = kl_test_list_cli (creds, &error);
  g_assert_no_error (error);
  profile = kl_test_import_cli (creds, find_cli (profiles, "default"), &error);
  g_assert_no_error (error);
  kl_test_assert_secret (creds, kl_profile_get_id (profile), DEFAULT_SECRET);

  /* Kept in memory only. */
  {
    g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GAsyncResult) result = NULL;

    g_hash_table_insert (attributes, (char *) "profile-id", (char *) kl_profile_get_id (profile));
    secret_service_search (NULL, NULL, attributes, SECRET_SEARCH_ALL, NULL, kl_test_store_result,
                           &result);
    kl_test_wait_result (&result, WAIT_MS);
    items = secret_service_search_finish (NULL, result, &error);
    g_assert_no_error (error);
    g_assert_null (items);
  }
}

/* Without any Secret Service (KL_TEST_NO_KEYRING=1) */

static void
test_no_keyring_list_and_import (void)
{
  g_autoptr(KlCredentials) creds = kl_credentials_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  KlCliProfile *cli;

  copy_fixture ();

  /* The file still lists; what only the keyring holds says the keyring is missing. */
  profiles = kl_test_list_cli (creds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, G_N_ELEMENTS (fixture_profiles));
  cli = find_cli (profiles, "default");
  g_assert_false (kl_cli_profile_is_importable (cli));
  g_assert_nonnull (strstr (kl_cli_profile_get_problem (cli), "keyring"));
  g_test_message ("default: %s", kl_cli_profile_get_problem (cli));

  /* An older CLI's profile imports from the file... */
  cli = find_cli (profiles, "legacy");
  g_assert_true (kl_cli_profile_is_importable (cli));
  g_assert_cmpint (kl_cli_profile_get_secret_location (cli), ==, KL_CLI_SECRET_FILE);

  /* ...but cannot be saved without a keyring... */
  profile = kl_test_import_cli (creds, cli, &error);
  g_assert_null (profile);
  g_assert_error (error, KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  /* ...unless the user continues without saving. */
  kl_credentials_set_memory_only (creds, TRUE);
  profile = kl_test_import_cli (creds, cli, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_profile_get_client_id (profile), ==, "legacypub");
  kl_test_assert_secret (creds, kl_profile_get_id (profile), LEGACY_SECRET);

  /* dev's stale file secret is all there is without the keyring. */
  cli = find_cli (profiles, "dev");
  g_assert_true (kl_cli_profile_is_importable (cli));
  g_assert_cmpint (kl_cli_profile_get_secret_location (cli), ==, KL_CLI_SECRET_FILE);
}

/* Outside the sandbox the CLI's file is under XDG_CONFIG_HOME; inside Flatpak, whose user
 * config dir is the app's own, under the host's ~/.config (the manifest's read-only grant). */
static void
test_default_path (void)
{
  g_autofree char *host = kl_cli_config_build_default_path (FALSE, "/home/ada",
                                                            "/home/ada/.local/config");
  g_autofree char *sandboxed = NULL;
  g_autofree char *current = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (host, ==, "/home/ada/.local/config/atlascli/config.toml");
  sandboxed = kl_cli_config_build_default_path (TRUE, "/home/ada",
                                                "/home/ada/.var/app/io.github.keylink.Keylink/"
                                                "config");
  g_assert_cmpstr (sandboxed, ==, "/home/ada/.config/atlascli/config.toml");

  /* This process: whichever applies here. */
  current = kl_cli_config_get_default_path ();
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    expected = g_build_filename (g_get_home_dir (), ".config", "atlascli", "config.toml", NULL);
  else
    expected = g_build_filename (g_get_user_config_dir (), "atlascli", "config.toml", NULL);
  g_assert_cmpstr (current, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli-import/parse/fixture", test_parse_fixture);
  g_test_add_func ("/cli-import/parse/syntax", test_parse_syntax);
  g_test_add_func ("/cli-import/parse/malformed", test_parse_malformed);
  g_test_add_func ("/cli-import/parse/mutations", test_parse_mutations);
  g_test_add_func ("/cli-import/default-path", test_default_path);

  if (g_getenv ("KL_TEST_NO_KEYRING") != NULL)
    {
      g_test_add_func ("/cli-import/no-keyring/list-and-import", test_no_keyring_list_and_import);
    }
  else
    {
      g_test_add_func ("/cli-import/keyring/list-and-import", test_keyring_list_and_import);
      g_test_add_func ("/cli-import/keyring/no-config", test_keyring_no_config);
      g_test_add_func ("/cli-import/keyring/malformed-file", test_keyring_malformed_file);
      g_test_add_func ("/cli-import/keyring/import-memory-only", test_keyring_import_memory_only);
    }

  return g_test_run ();
}
