/* kl-credentials.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-credentials-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-secret-backend.h"


#define DEFAULT_TIMEOUT_MS 120000

/* Secrets */

/* kl_secret_new () buffers: the length sits before the bytes, so that the destroy function
 * (which only gets the pointer) wipes all of them, embedded NULs or not. */
static void
secret_buffer_free (gpointer data)
{
  char *bytes = data;
  char *block;
  gsize length;

  if (bytes == NULL)
    return;

  block = bytes - sizeof (gsize);
  memcpy (&length, block, sizeof length);
  explicit_bzero (block, sizeof (gsize) + length + 1);
  g_free (block);
}

SecretValue *
kl_secret_new (const char *text,
               gssize      length)
{
  char *block;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  block = g_malloc (sizeof (gsize) + len + 1);
  memcpy (block, &len, sizeof len);
  if (len > 0)
    memcpy (block + sizeof (gsize), text, len);
  block[sizeof (gsize) + len] = '\0';

  return secret_value_new_full (block + sizeof (gsize), (gssize) len, "text/plain",
                                secret_buffer_free);
}

/* A copy of @value made by kl_secret_new (), so that what we hand out is always wiped. */
SecretValue *
kl_credentials_secret_rewrap (SecretValue *value)
{
  const char *bytes;
  gsize length = 0;

  bytes = secret_value_get (value, &length);
  return kl_secret_new (bytes, (gssize) length);
}

#define PROFILE_SCHEMA_ATTRIBUTES                      \
  {                                                    \
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },        \
    { "format", SECRET_SCHEMA_ATTRIBUTE_STRING },      \
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },  \
    { "display-name", SECRET_SCHEMA_ATTRIBUTE_STRING },\
    { "auth-type", SECRET_SCHEMA_ATTRIBUTE_STRING },   \
    { "atlas-service", SECRET_SCHEMA_ATTRIBUTE_STRING },\
    { "atlas-url", SECRET_SCHEMA_ATTRIBUTE_STRING },   \
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },   \
    { "org-id", SECRET_SCHEMA_ATTRIBUTE_STRING },      \
    { "project-id", SECRET_SCHEMA_ATTRIBUTE_STRING },  \
    { "azure-client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },\
    { NULL, 0 },                                       \
  }

const SecretSchema *
kl_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    KL_PROFILE_SCHEMA_NAME, SECRET_SCHEMA_NONE, PROFILE_SCHEMA_ATTRIBUTES
  };

  return &schema;
}

/* Searches do not match the schema name: a gnome-keyring that started with the login keyring
 * locked shows (and matches) only hashed attributes, with "xdg:schema" as
 * org.freedesktop.Secret.Generic, until it is unlocked; "kind" is distinctive enough.
 * tests/core/test-credentials.c check_locked_fresh_daemon () shows it. */
const SecretSchema *
kl_credentials_get_search_schema (void)
{
  static const SecretSchema schema = {
    KL_PROFILE_SCHEMA_NAME, SECRET_SCHEMA_DONT_MATCH_NAME, PROFILE_SCHEMA_ATTRIBUTES
  };

  return &schema;
}

/* The Atlas CLI's items (go-keyring): no schema name to match. */
const SecretSchema *
kl_credentials_get_cli_schema (void)
{
  static const SecretSchema schema = {
    "org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Profile <-> attributes */

static const char *
auth_type_to_string (KlAuthType auth_type)
{
  return auth_type == KL_AUTH_API_KEY ? "api-key" : "service-account";
}

static const char *
service_to_string (KlAtlasService service)
{
  switch (service)
    {
    case KL_ATLAS_SERVICE_GOVERNMENT:
      return "atlas-gov";
    case KL_ATLAS_SERVICE_CUSTOM:
      return "custom";
    case KL_ATLAS_SERVICE_ATLAS:
    default:
      return "atlas";
    }
}

static void
insert_nonempty (GHashTable *attributes,
                 const char *name,
                 const char *value)
{
  if (value != NULL && value[0] != '\0')
    g_hash_table_insert (attributes, g_strdup (name), g_strdup (value));
}

GHashTable *
kl_credentials_profile_to_attributes (KlProfile *profile)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  insert_nonempty (attributes, "kind", KL_PROFILE_KIND);
  insert_nonempty (attributes, "format", KL_PROFILE_FORMAT);
  insert_nonempty (attributes, "profile-id", profile->id);
  insert_nonempty (attributes, "display-name", profile->display_name);
  insert_nonempty (attributes, "auth-type", auth_type_to_string (profile->auth_type));
  insert_nonempty (attributes, "atlas-service", service_to_string (profile->service));
  if (profile->service == KL_ATLAS_SERVICE_CUSTOM)
    insert_nonempty (attributes, "atlas-url", profile->custom_url);
  insert_nonempty (attributes, "client-id", profile->client_id);
  insert_nonempty (attributes, "org-id", profile->org_id);
  insert_nonempty (attributes, "project-id", profile->project_id);

  return attributes;
}

/* NULL when the item is not one this version can read. */
KlProfile *
kl_credentials_profile_from_attributes (GHashTable *attributes)
{
  const char *id = g_hash_table_lookup (attributes, "profile-id");
  const char *auth = g_hash_table_lookup (attributes, "auth-type");
  const char *service = g_hash_table_lookup (attributes, "atlas-service");
  g_autoptr(KlProfile) profile = NULL;

  if (g_strcmp0 (g_hash_table_lookup (attributes, "kind"), KL_PROFILE_KIND) != 0 ||
      g_strcmp0 (g_hash_table_lookup (attributes, "format"), KL_PROFILE_FORMAT) != 0 ||
      id == NULL || id[0] == '\0')
    return NULL;

  profile = g_object_new (KL_TYPE_PROFILE,
                          "id", id,
                          "display-name", g_hash_table_lookup (attributes, "display-name"),
                          "client-id", g_hash_table_lookup (attributes, "client-id"),
                          "org-id", g_hash_table_lookup (attributes, "org-id"),
                          "project-id", g_hash_table_lookup (attributes, "project-id"),
                          NULL);

  if (g_strcmp0 (auth, "api-key") == 0)
    profile->auth_type = KL_AUTH_API_KEY;
  else if (g_strcmp0 (auth, "service-account") == 0)
    profile->auth_type = KL_AUTH_SERVICE_ACCOUNT;
  else
    return NULL;

  if (g_strcmp0 (service, "atlas") == 0)
    profile->service = KL_ATLAS_SERVICE_ATLAS;
  else if (g_strcmp0 (service, "atlas-gov") == 0)
    profile->service = KL_ATLAS_SERVICE_GOVERNMENT;
  else if (g_strcmp0 (service, "custom") == 0)
    {
      profile->service = KL_ATLAS_SERVICE_CUSTOM;
      kl_profile_set_custom_url (profile, g_hash_table_lookup (attributes, "atlas-url"));
    }
  else
    return NULL;

  if (profile->display_name == NULL)
    kl_profile_set_display_name (profile, profile->client_id != NULL ? profile->client_id : id);

  return g_steal_pointer (&profile);
}

char *
kl_credentials_profile_label (KlProfile *profile)
{
  return g_strdup_printf (_("Keylink: Atlas profile “%s”"), profile->display_name);
}

static GHashTable *
profile_search_attributes (const char *profile_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  insert_nonempty (attributes, "kind", KL_PROFILE_KIND);
  insert_nonempty (attributes, "profile-id", profile_id);
  return attributes;
}

static GHashTable *
azure_attributes (const char *project_id,
                  const char *azure_client_id,
                  gboolean    with_format)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  insert_nonempty (attributes, "kind", KL_AZURE_SECRET_KIND);
  if (with_format)
    insert_nonempty (attributes, "format", KL_PROFILE_FORMAT);
  insert_nonempty (attributes, "project-id", project_id);
  insert_nonempty (attributes, "azure-client-id", azure_client_id);
  return attributes;
}

static char *
azure_memory_key (const char *project_id,
                  const char *azure_client_id)
{
  return g_strconcat (project_id, "\n", azure_client_id, NULL);
}

/* KlCredentials */

G_DEFINE_FINAL_TYPE (KlCredentials, kl_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEMORY_ONLY,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  KlProfile   *profile;
  SecretValue *secret;
} MemoryEntry;

static void
memory_entry_free (gpointer data)
{
  MemoryEntry *entry = data;

  g_object_unref (entry->profile);
  secret_value_unref (entry->secret);
  g_free (entry);
}

static void
kl_credentials_finalize (GObject *object)
{
  KlCredentials *self = (KlCredentials *)object;

  g_hash_table_unref (self->memory_profiles);
  g_hash_table_unref (self->memory_azure);

  G_OBJECT_CLASS (kl_credentials_parent_class)->finalize (object);
}

static void
kl_credentials_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KlCredentials *self = KL_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_MEMORY_ONLY:
      g_value_set_boolean (value, self->memory_only);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_credentials_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KlCredentials *self = KL_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_MEMORY_ONLY:
      kl_credentials_set_memory_only (self, g_value_get_boolean (value));
      break;
    case PROP_TIMEOUT:
      kl_credentials_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_credentials_class_init (KlCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_credentials_finalize;
  object_class->get_property = kl_credentials_get_property;
  object_class->set_property = kl_credentials_set_property;

  properties[PROP_MEMORY_ONLY] =
    g_param_spec_boolean ("memory-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_credentials_init (KlCredentials *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->memory_profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 memory_entry_free);
  self->memory_azure = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              secret_value_unref);
}

KlCredentials *
kl_credentials_new (void)
{
  return g_object_new (KL_TYPE_CREDENTIALS, NULL);
}

gboolean
kl_credentials_get_memory_only (KlCredentials *self)
{
  g_return_val_if_fail (KL_IS_CREDENTIALS (self), FALSE);

  return self->memory_only;
}

void
kl_credentials_set_memory_only (KlCredentials *self,
                                gboolean       memory_only)
{
  g_return_if_fail (KL_IS_CREDENTIALS (self));

  memory_only = !!memory_only;
  if (self->memory_only == memory_only)
    return;
  self->memory_only = memory_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_ONLY]);
}

guint
kl_credentials_get_timeout (KlCredentials *self)
{
  g_return_val_if_fail (KL_IS_CREDENTIALS (self), 0);

  return self->timeout_ms;
}

void
kl_credentials_set_timeout (KlCredentials *self,
                            guint          timeout_ms)
{
  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/* Public API: profiles */

void
kl_credentials_store_async (KlCredentials       *self,
                            KlProfile           *profile,
                            SecretValue         *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (KL_IS_PROFILE (profile));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_STORE, cancellable, callback, user_data,
                                     kl_credentials_store_async);
  op = g_task_get_task_data (task);

  if (profile->display_name == NULL || profile->display_name[0] == '\0')
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("The sign-in needs a name. Type one and try again."));
      return;
    }
  if (profile->service == KL_ATLAS_SERVICE_CUSTOM && profile->custom_url == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("A custom Atlas service needs its URL. Type it and try again."));
      return;
    }

  if (self->memory_only)
    {
      MemoryEntry *entry = g_new0 (MemoryEntry, 1);

      entry->profile = kl_profile_copy (profile);
      entry->secret = secret_value_ref (secret);
      g_hash_table_replace (self->memory_profiles, g_strdup (profile->id), entry);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op->attributes = kl_credentials_profile_to_attributes (profile);
  op->label = kl_credentials_profile_label (profile);
  op->secret = secret_value_ref (secret);
  kl_credentials_op_start_search (g_steal_pointer (&task), profile_search_attributes (profile->id),
                                  FALSE);
}

gboolean
kl_credentials_store_finish (KlCredentials  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_store_async, error);
}

void
kl_credentials_list_async (KlCredentials       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_LIST, cancellable, callback, user_data,
                                     kl_credentials_list_async);

  if (self->memory_only)
    {
      g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->memory_profiles);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (profiles, kl_profile_copy (((MemoryEntry *) value)->profile));
      g_ptr_array_sort (profiles, kl_credentials_compare_profiles);
      g_task_return_pointer (task, g_steal_pointer (&profiles), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  kl_credentials_op_start_search (g_steal_pointer (&task), profile_search_attributes (NULL), FALSE);
}

GPtrArray *
kl_credentials_list_finish (KlCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return kl_credentials_finish_pointer (self, result, kl_credentials_list_async, error);
}

void
kl_credentials_lookup_async (KlCredentials       *self,
                             const char          *profile_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_LOOKUP, cancellable, callback, user_data,
                                     kl_credentials_lookup_async);

  if (self->memory_only)
    {
      MemoryEntry *entry = g_hash_table_lookup (self->memory_profiles, profile_id);

      if (entry == NULL)
        g_task_return_error (task, kl_credentials_not_saved_error ());
      else
        g_task_return_pointer (task, kl_credentials_secret_rewrap (entry->secret),
                               secret_value_unref);
      return;
    }

  kl_credentials_op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id),
                                  TRUE);
}

SecretValue *
kl_credentials_lookup_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return kl_credentials_finish_pointer (self, result, kl_credentials_lookup_async, error);
}

static void
update_start (KlCredentials       *self,
              const char          *profile_id,
              KlProfile           *profile,
              const char          *display_name,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  task = kl_credentials_op_task_new (self, OP_UPDATE, cancellable, callback, user_data, source_tag);
  op = g_task_get_task_data (task);

  if ((display_name != NULL && display_name[0] == '\0') ||
      (profile != NULL && profile->display_name == NULL))
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("The sign-in needs a name. Type one and try again."));
      return;
    }

  if (self->memory_only)
    {
      MemoryEntry *entry = g_hash_table_lookup (self->memory_profiles, profile_id);

      if (entry == NULL)
        {
          g_task_return_error (task, kl_credentials_not_saved_error ());
          return;
        }
      if (profile != NULL)
        {
          g_object_unref (entry->profile);
          entry->profile = kl_profile_copy (profile);
        }
      else
        kl_profile_set_display_name (entry->profile, display_name);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op->profile = profile != NULL ? kl_profile_copy (profile) : NULL;
  op->display_name = g_strdup (display_name);
  kl_credentials_op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id),
                                  TRUE);
}

void
kl_credentials_rename_async (KlCredentials       *self,
                             const char          *profile_id,
                             const char          *display_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  update_start (self, profile_id, NULL, display_name, cancellable, callback, user_data,
                kl_credentials_rename_async);
}

gboolean
kl_credentials_rename_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_rename_async, error);
}

void
kl_credentials_update_async (KlCredentials       *self,
                             KlProfile           *profile,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (KL_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  update_start (self, profile->id, profile, NULL, cancellable, callback, user_data,
                kl_credentials_update_async);
}

gboolean
kl_credentials_update_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_update_async, error);
}

void
kl_credentials_delete_async (KlCredentials       *self,
                             const char          *profile_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_DELETE, cancellable, callback, user_data,
                                     kl_credentials_delete_async);

  if (self->memory_only)
    {
      g_hash_table_remove (self->memory_profiles, profile_id);
      g_task_return_boolean (task, TRUE);
      return;
    }

  kl_credentials_op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id),
                                  FALSE);
}

gboolean
kl_credentials_delete_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_delete_async, error);
}

/* Public API: the Azure client secret */

void
kl_credentials_store_azure_secret_async (KlCredentials       *self,
                                         const char          *project_id,
                                         const char          *azure_client_id,
                                         SecretValue         *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (project_id != NULL && project_id[0] != '\0');
  g_return_if_fail (azure_client_id != NULL && azure_client_id[0] != '\0');
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_STORE, cancellable, callback, user_data,
                                     kl_credentials_store_azure_secret_async);
  op = g_task_get_task_data (task);

  if (self->memory_only)
    {
      g_hash_table_replace (self->memory_azure, azure_memory_key (project_id, azure_client_id),
                            secret_value_ref (secret));
      g_task_return_boolean (task, TRUE);
      return;
    }

  op->attributes = azure_attributes (project_id, azure_client_id, TRUE);
  op->label = g_strdup_printf (_("Keylink: Azure client secret for Atlas project %s"), project_id);
  op->secret = secret_value_ref (secret);
  kl_credentials_op_start_search (g_steal_pointer (&task),
                                  azure_attributes (project_id, azure_client_id, FALSE),
                                  FALSE);
}

gboolean
kl_credentials_store_azure_secret_finish (KlCredentials  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_store_azure_secret_async,
                                        error);
}

void
kl_credentials_lookup_azure_secret_async (KlCredentials       *self,
                                          const char          *project_id,
                                          const char          *azure_client_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (project_id != NULL && project_id[0] != '\0');
  g_return_if_fail (azure_client_id != NULL && azure_client_id[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_LOOKUP, cancellable, callback, user_data,
                                     kl_credentials_lookup_azure_secret_async);

  if (self->memory_only)
    {
      g_autofree char *key = azure_memory_key (project_id, azure_client_id);
      SecretValue *value = g_hash_table_lookup (self->memory_azure, key);

      if (value == NULL)
        g_task_return_error (task, kl_credentials_azure_not_saved_error ());
      else
        g_task_return_pointer (task, kl_credentials_secret_rewrap (value), secret_value_unref);
      return;
    }

  kl_credentials_op_start_search (g_steal_pointer (&task),
                                  azure_attributes (project_id, azure_client_id, FALSE),
                                  TRUE);
}

SecretValue *
kl_credentials_lookup_azure_secret_finish (KlCredentials  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  SecretValue *value;

  value = kl_credentials_finish_pointer (self, result, kl_credentials_lookup_azure_secret_async,
                                         &local_error);
  if (g_error_matches (local_error, KL_ERROR, KL_ERROR_NOT_FOUND))
    {
      /* The profile wording does not fit here. */
      g_propagate_error (error, kl_credentials_azure_not_saved_error ());
      return NULL;
    }
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return value;
}

void
kl_credentials_delete_azure_secret_async (KlCredentials       *self,
                                          const char          *project_id,
                                          const char          *azure_client_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (project_id != NULL && project_id[0] != '\0');
  g_return_if_fail (azure_client_id != NULL && azure_client_id[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_DELETE, cancellable, callback, user_data,
                                     kl_credentials_delete_azure_secret_async);

  if (self->memory_only)
    {
      g_autofree char *key = azure_memory_key (project_id, azure_client_id);

      g_hash_table_remove (self->memory_azure, key);
      g_task_return_boolean (task, TRUE);
      return;
    }

  kl_credentials_op_start_search (g_steal_pointer (&task),
                                  azure_attributes (project_id, azure_client_id, FALSE),
                                  FALSE);
}

gboolean
kl_credentials_delete_azure_secret_finish (KlCredentials  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return kl_credentials_finish_boolean (self, result, kl_credentials_delete_azure_secret_async,
                                        error);
}
