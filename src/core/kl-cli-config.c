/* kl-cli-config.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-cli-config"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-cli-config.h"
#include "kl-credentials.h"
#include "kl-error.h"
#include "kl-toml.h"


struct _KlCliProfile
{
  GObject     parent_instance;

  char       *name;
  char       *auth_type_text;
  char       *service_text;
  char       *custom_url;
  char       *org_id;
  char       *project_id;
  char       *public_api_key;
  char       *client_id;
  GHashTable *file_properties;    /* secret properties with a value in the file */
  GHashTable *keyring_properties; /* properties with an item in the CLI's keyring */
  char       *keyring_problem;

  /* Derived by update_state () */
  KlAuthType           auth_type;
  gboolean             importable;
  KlCliSecretLocation  secret_location;
  const char          *secret_property;
  const char          *id_property;
  char                *problem;
};

G_DEFINE_FINAL_TYPE (KlCliProfile, kl_cli_profile, G_TYPE_OBJECT)

static void
kl_cli_profile_finalize (GObject *object)
{
  KlCliProfile *self = (KlCliProfile *)object;

  g_free (self->name);
  g_free (self->auth_type_text);
  g_free (self->service_text);
  g_free (self->custom_url);
  g_free (self->org_id);
  g_free (self->project_id);
  g_free (self->public_api_key);
  g_free (self->client_id);
  g_hash_table_unref (self->file_properties);
  g_hash_table_unref (self->keyring_properties);
  g_free (self->keyring_problem);
  g_free (self->problem);

  G_OBJECT_CLASS (kl_cli_profile_parent_class)->finalize (object);
}

static void
kl_cli_profile_class_init (KlCliProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_cli_profile_finalize;
}

static void
kl_cli_profile_init (KlCliProfile *self)
{
  self->file_properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keyring_properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
has_property (KlCliProfile *self,
              const char   *property)
{
  if (g_str_equal (property, KL_CLI_PUBLIC_API_KEY) && self->public_api_key != NULL)
    return TRUE;
  if (g_str_equal (property, KL_CLI_CLIENT_ID) && self->client_id != NULL)
    return TRUE;

  return g_hash_table_contains (self->file_properties, property) ||
         g_hash_table_contains (self->keyring_properties, property);
}

static gboolean
str_is (const char *str,
        const char *value)
{
  return g_strcmp0 (str, value) == 0;
}

/* Mirrors the CLI's own rule (config.Profile.AuthType): credentials of the other kind that are
 * complete win over the declared auth_type. */
static void
update_state (KlCliProfile *self)
{
  const char *declared = self->auth_type_text != NULL ? self->auth_type_text : "";
  gboolean api_keys = FALSE;
  gboolean service_account = FALSE;

  g_clear_pointer (&self->problem, g_free);
  self->importable = FALSE;
  self->secret_location = KL_CLI_SECRET_NONE;
  self->secret_property = NULL;
  self->id_property = NULL;

  if (!str_is (declared, "service_account") &&
      has_property (self, KL_CLI_CLIENT_ID) && has_property (self, KL_CLI_CLIENT_SECRET))
    service_account = TRUE;
  else if (!str_is (declared, "api_keys") &&
           has_property (self, KL_CLI_PRIVATE_API_KEY) && has_property (self, KL_CLI_PUBLIC_API_KEY))
    api_keys = TRUE;
  else if (str_is (declared, "api_keys"))
    api_keys = TRUE;
  else if (str_is (declared, "service_account"))
    service_account = TRUE;

  if (self->service_text != NULL && self->service_text[0] != '\0' &&
      !str_is (self->service_text, "cloud") && !str_is (self->service_text, "cloudgov"))
    {
      self->problem = g_strdup_printf (_("This profile is for the “%s” service. Keylink works with "
                                         "Atlas and Atlas for Government only."),
                                       self->service_text);
      return;
    }

  if (!api_keys && !service_account)
    {
      if (str_is (declared, "user_account") ||
          has_property (self, KL_CLI_ACCESS_TOKEN) || has_property (self, KL_CLI_REFRESH_TOKEN))
        self->problem = g_strdup (_("This profile signs in with a MongoDB user account. Keylink "
                                    "needs an API key or a service account: create one in Atlas, "
                                    "or import another profile."));
      else
        self->problem = g_strdup (_("This profile holds no API key or service account. Sign in "
                                    "with the Atlas CLI first, or enter the key by hand."));
      return;
    }

  self->auth_type = service_account ? KL_AUTH_SERVICE_ACCOUNT : KL_AUTH_API_KEY;
  self->secret_property = service_account ? KL_CLI_CLIENT_SECRET : KL_CLI_PRIVATE_API_KEY;
  self->id_property = service_account ? KL_CLI_CLIENT_ID : KL_CLI_PUBLIC_API_KEY;

  if (g_hash_table_contains (self->keyring_properties, self->secret_property))
    self->secret_location = KL_CLI_SECRET_KEYRING;
  else if (g_hash_table_contains (self->file_properties, self->secret_property))
    self->secret_location = KL_CLI_SECRET_FILE;

  if (self->secret_location == KL_CLI_SECRET_NONE || !has_property (self, self->id_property))
    {
      if (self->keyring_problem != NULL)
        self->problem = g_strdup (self->keyring_problem);
      else if (service_account)
        self->problem = g_strdup (_("The service account’s client ID or secret is in neither the "
                                    "keyring nor the configuration file. Sign in with the Atlas "
                                    "CLI again, or enter them by hand."));
      else
        self->problem = g_strdup (_("The public or private API key is in neither the keyring nor "
                                    "the configuration file. Sign in with the Atlas CLI again, or "
                                    "enter the keys by hand."));
      return;
    }

  self->importable = TRUE;
}

const char *
kl_cli_profile_get_name (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->name;
}

gboolean
kl_cli_profile_is_importable (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), FALSE);

  return self->importable;
}

const char *
kl_cli_profile_get_problem (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->problem;
}

KlAuthType
kl_cli_profile_get_auth_type (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_AUTH_SERVICE_ACCOUNT);

  return self->auth_type;
}

KlAtlasService
kl_cli_profile_get_service (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_ATLAS_SERVICE_ATLAS);

  /* The CLI sends every call to ops_manager_url when it is set, whatever the service. */
  if (self->custom_url != NULL)
    return KL_ATLAS_SERVICE_CUSTOM;
  if (str_is (self->service_text, "cloudgov"))
    return KL_ATLAS_SERVICE_GOVERNMENT;
  return KL_ATLAS_SERVICE_ATLAS;
}

const char *
kl_cli_profile_get_custom_url (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->custom_url;
}

const char *
kl_cli_profile_get_client_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT && self->id_property != NULL)
    return self->client_id;
  if (self->auth_type == KL_AUTH_API_KEY && self->id_property != NULL)
    return self->public_api_key;
  return NULL;
}

const char *
kl_cli_profile_get_org_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->org_id;
}

const char *
kl_cli_profile_get_project_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->project_id;
}

KlCliSecretLocation
kl_cli_profile_get_secret_location (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_CLI_SECRET_NONE);

  return self->secret_location;
}

const char *
kl_cli_profile_get_secret_property (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->secret_property;
}

const char *
kl_cli_profile_get_id_property (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->id_property;
}

void
kl_cli_profile_add_keyring_property (KlCliProfile *self,
                                     const char   *property,
                                     const char   *value)
{
  g_return_if_fail (KL_IS_CLI_PROFILE (self));
  g_return_if_fail (property != NULL);

  g_hash_table_add (self->keyring_properties, g_strdup (property));

  /* The keyring wins over the file, as in the CLI. Only the non-secret ids are kept. */
  if (value != NULL && value[0] != '\0')
    {
      if (g_str_equal (property, KL_CLI_PUBLIC_API_KEY))
        {
          g_free (self->public_api_key);
          self->public_api_key = g_strdup (value);
        }
      else if (g_str_equal (property, KL_CLI_CLIENT_ID))
        {
          g_free (self->client_id);
          self->client_id = g_strdup (value);
        }
    }

  update_state (self);
}

void
kl_cli_profile_set_keyring_problem (KlCliProfile *self,
                                    const char   *message)
{
  g_return_if_fail (KL_IS_CLI_PROFILE (self));

  g_free (self->keyring_problem);
  self->keyring_problem = g_strdup (message);
  update_state (self);
}

static const char * const global_properties[] = {
  /* config.ProfileProperties () and config.GlobalProperties (): top-level keys that are not
   * profiles. */
  "access_token", "api_version", "base_url", "ops_manager_url", "org_id", "output",
  "private_api_key", "project_id", "public_api_key", "client_id", "client_secret",
  "refresh_token", "service", "version", "local_deployment_image", "mongosh_path",
  "skip_update_check", "silence_storage_warning", "telemetry_enabled", "auth_type",
};

/* Viper, which the CLI uses, folds key case. */
static const char *
table_get (GHashTable *table,
           const char *key)
{
  GHashTableIter iter;
  gpointer k;
  gpointer v;
  const char *value;

  if (table == NULL)
    return NULL;

  value = g_hash_table_lookup (table, key);
  if (value != NULL)
    return value[0] != '\0' ? value : NULL;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      if (v != NULL && g_ascii_strcasecmp (k, key) == 0 && ((const char *) v)[0] != '\0')
        return v;
    }

  return NULL;
}

/* config.ViperConfigStore.GetHierarchicalValue: a non-empty top-level value wins. */
static const char *
profile_get (KlToml       *toml,
             GHashTable *table,
             const char *key)
{
  const char *value = table_get (toml->root, key);

  if (value != NULL)
    return value;
  return table_get (table, key);
}

static GHashTable *
find_profile_table (KlToml       *toml,
                    const char *profile_name)
{
  GHashTableIter iter;
  gpointer k;
  gpointer v;
  GHashTable *found = NULL;
  g_autofree char *best = NULL;

  g_hash_table_iter_init (&iter, toml->tables);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autofree char *folded = g_utf8_strdown (k, -1);

      /* When two tables fold to one name, the first in byte order wins: a stable choice. */
      if (g_str_equal (folded, profile_name) && (best == NULL || strcmp (k, best) < 0))
        {
          g_free (best);
          best = g_strdup (k);
          found = v;
        }
    }

  return found;
}

static gboolean
is_global_property (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (global_properties); i++)
    {
      if (g_ascii_strcasecmp (name, global_properties[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
set_parse_error (GError     **error,
                 const char  *display_path,
                 guint        line,
                 const char  *reason)
{
  g_set_error (error, KL_ERROR, KL_ERROR_FAILED,
               _("The Atlas CLI configuration “%s” cannot be read: line %u: %s. Fix the file "
                 "(for example with “atlas config edit”), or sign in by hand."),
               display_path != NULL ? display_path : "config.toml", line, _(reason));
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  KlCliProfile *pa = *(KlCliProfile **) a;
  KlCliProfile *pb = *(KlCliProfile **) b;

  return strcmp (pa->name, pb->name);
}

static char *
dup_nonempty (const char *value)
{
  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

GPtrArray *
kl_cli_config_parse_profiles (const char  *text,
                              gsize        length,
                              const char  *display_path,
                              GError     **error)
{
  static const char * const secret_properties[] = {
    KL_CLI_PRIVATE_API_KEY, KL_CLI_CLIENT_SECRET, KL_CLI_ACCESS_TOKEN, KL_CLI_REFRESH_TOKEN,
  };
  g_autoptr(KlToml) toml = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer k;
  guint line = 0;
  const char *reason = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  toml = kl_toml_parse (text != NULL ? text : "", length, &line, &reason);
  if (toml == NULL)
    {
      set_parse_error (error, display_path, line, reason);
      return NULL;
    }

  g_hash_table_iter_init (&iter, toml->tables);
  while (g_hash_table_iter_next (&iter, &k, NULL))
    {
      g_autofree char *name = g_utf8_strdown (k, -1);
      GHashTable *table;
      KlCliProfile *profile;
      const char *url;

      /* The CLI refuses profile names with dots; its tables are profiles unless they are
       * properties. */
      if (is_global_property (name) || strchr (name, '.') != NULL || name[0] == '\0' ||
          g_hash_table_contains (seen, name))
        continue;
      g_hash_table_add (seen, g_strdup (name));

      table = find_profile_table (toml, name);
      profile = g_object_new (KL_TYPE_CLI_PROFILE, NULL);
      profile->name = g_steal_pointer (&name);
      profile->auth_type_text = dup_nonempty (profile_get (toml, table, "auth_type"));
      profile->service_text = dup_nonempty (profile_get (toml, table, "service"));
      url = profile_get (toml, table, "ops_manager_url");
      if (url == NULL)
        url = profile_get (toml, table, "base_url");
      profile->custom_url = dup_nonempty (url);
      profile->org_id = dup_nonempty (profile_get (toml, table, "org_id"));
      profile->project_id = dup_nonempty (profile_get (toml, table, "project_id"));
      profile->public_api_key = dup_nonempty (profile_get (toml, table, KL_CLI_PUBLIC_API_KEY));
      profile->client_id = dup_nonempty (profile_get (toml, table, KL_CLI_CLIENT_ID));

      for (guint i = 0; i < G_N_ELEMENTS (secret_properties); i++)
        {
          if (profile_get (toml, table, secret_properties[i]) != NULL)
            g_hash_table_add (profile->file_properties, g_strdup (secret_properties[i]));
        }

      update_state (profile);
      g_ptr_array_add (profiles, profile);
    }

  g_ptr_array_sort (profiles, compare_profiles);
  return g_steal_pointer (&profiles);
}

SecretValue *
kl_cli_config_dup_value (const char  *text,
                         gsize        length,
                         const char  *profile_name,
                         const char  *property,
                         GError     **error)
{
  g_autoptr(KlToml) toml = NULL;
  g_autofree char *folded = NULL;
  const char *value;
  guint line = 0;
  const char *reason = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (profile_name != NULL, NULL);
  g_return_val_if_fail (property != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  toml = kl_toml_parse (text != NULL ? text : "", length, &line, &reason);
  if (toml == NULL)
    {
      set_parse_error (error, NULL, line, reason);
      return NULL;
    }

  folded = g_utf8_strdown (profile_name, -1);
  value = profile_get (toml, find_profile_table (toml, folded), property);
  if (value == NULL)
    return NULL;

  return kl_secret_new (value, -1);
}

char *
kl_cli_config_build_default_path (gboolean    sandboxed,
                                  const char *home_dir,
                                  const char *user_config_dir)
{
  g_return_val_if_fail (home_dir != NULL, NULL);
  g_return_val_if_fail (user_config_dir != NULL, NULL);

  /* In the sandbox the user config dir is the app's own (~/.var/app/<id>/config); the
   * manifest's --filesystem=xdg-config/atlascli:ro shows the host's one at its usual place. */
  if (sandboxed)
    return g_build_filename (home_dir, ".config", "atlascli", "config.toml", NULL);

  return g_build_filename (user_config_dir, "atlascli", "config.toml", NULL);
}

char *
kl_cli_config_get_default_path (void)
{
  return kl_cli_config_build_default_path (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS),
                                           g_get_home_dir (), g_get_user_config_dir ());
}
