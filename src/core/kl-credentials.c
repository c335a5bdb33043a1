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

#include "kl-credentials.h"
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
static SecretValue *
secret_rewrap (SecretValue *value)
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
 * tests/test-credentials.c check_locked_fresh_daemon () shows it. */
static const SecretSchema *
get_search_schema (void)
{
  static const SecretSchema schema = {
    KL_PROFILE_SCHEMA_NAME, SECRET_SCHEMA_DONT_MATCH_NAME, PROFILE_SCHEMA_ATTRIBUTES
  };

  return &schema;
}

/* The Atlas CLI's items (go-keyring): no schema name to match. */
static const SecretSchema *
get_cli_schema (void)
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

/* KlProfile */

struct _KlProfile
{
  GObject         parent_instance;

  char           *id;
  char           *display_name;
  KlAuthType      auth_type;
  KlAtlasService  service;
  char           *custom_url;
  char           *client_id;
  char           *org_id;
  char           *project_id;
};

G_DEFINE_FINAL_TYPE (KlProfile, kl_profile, G_TYPE_OBJECT)

enum {
  PROFILE_PROP_0,
  PROFILE_PROP_ID,
  PROFILE_PROP_DISPLAY_NAME,
  PROFILE_PROP_AUTH_TYPE,
  PROFILE_PROP_SERVICE,
  PROFILE_PROP_CUSTOM_URL,
  PROFILE_PROP_CLIENT_ID,
  PROFILE_PROP_ORG_ID,
  PROFILE_PROP_PROJECT_ID,
  N_PROFILE_PROPS
};

static GParamSpec *profile_properties[N_PROFILE_PROPS];

/* Sets *@field to a copy of @value (NULL for ""), notifying @pspec when it changed. */
static void
profile_set_string (KlProfile   *self,
                    char       **field,
                    const char  *value,
                    int          prop)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[prop]);
}

static void
kl_profile_finalize (GObject *object)
{
  KlProfile *self = (KlProfile *)object;

  g_free (self->id);
  g_free (self->display_name);
  g_free (self->custom_url);
  g_free (self->client_id);
  g_free (self->org_id);
  g_free (self->project_id);

  G_OBJECT_CLASS (kl_profile_parent_class)->finalize (object);
}

static void
kl_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlProfile *self = KL_PROFILE (object);

  switch (prop_id)
    {
    case PROFILE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROFILE_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROFILE_PROP_AUTH_TYPE:
      g_value_set_enum (value, self->auth_type);
      break;
    case PROFILE_PROP_SERVICE:
      g_value_set_enum (value, self->service);
      break;
    case PROFILE_PROP_CUSTOM_URL:
      g_value_set_string (value, self->custom_url);
      break;
    case PROFILE_PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROFILE_PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;
    case PROFILE_PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KlProfile *self = KL_PROFILE (object);

  switch (prop_id)
    {
    case PROFILE_PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROFILE_PROP_DISPLAY_NAME:
      kl_profile_set_display_name (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_AUTH_TYPE:
      kl_profile_set_auth_type (self, g_value_get_enum (value));
      break;
    case PROFILE_PROP_SERVICE:
      kl_profile_set_service (self, g_value_get_enum (value));
      break;
    case PROFILE_PROP_CUSTOM_URL:
      kl_profile_set_custom_url (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_CLIENT_ID:
      kl_profile_set_client_id (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_ORG_ID:
      kl_profile_set_org_id (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_PROJECT_ID:
      kl_profile_set_project_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_profile_constructed (GObject *object)
{
  KlProfile *self = KL_PROFILE (object);

  G_OBJECT_CLASS (kl_profile_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
kl_profile_class_init (KlProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = kl_profile_finalize;
  object_class->get_property = kl_profile_get_property;
  object_class->set_property = kl_profile_set_property;
  object_class->constructed = kl_profile_constructed;

  profile_properties[PROFILE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_AUTH_TYPE] =
    g_param_spec_enum ("auth-type", NULL, NULL, KL_TYPE_AUTH_TYPE, KL_AUTH_SERVICE_ACCOUNT, flags);
  profile_properties[PROFILE_PROP_SERVICE] =
    g_param_spec_enum ("service", NULL, NULL, KL_TYPE_ATLAS_SERVICE, KL_ATLAS_SERVICE_ATLAS, flags);
  profile_properties[PROFILE_PROP_CUSTOM_URL] =
    g_param_spec_string ("custom-url", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_ORG_ID] =
    g_param_spec_string ("org-id", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROFILE_PROPS, profile_properties);
}

static void
kl_profile_init (KlProfile *self)
{
  self->auth_type = KL_AUTH_SERVICE_ACCOUNT;
  self->service = KL_ATLAS_SERVICE_ATLAS;
}

KlProfile *
kl_profile_new (const char     *display_name,
                KlAuthType      auth_type,
                KlAtlasService  service,
                const char     *client_id)
{
  return g_object_new (KL_TYPE_PROFILE,
                       "display-name", display_name,
                       "auth-type", auth_type,
                       "service", service,
                       "client-id", client_id,
                       NULL);
}

KlProfile *
kl_profile_copy (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return g_object_new (KL_TYPE_PROFILE,
                       "id", self->id,
                       "display-name", self->display_name,
                       "auth-type", self->auth_type,
                       "service", self->service,
                       "custom-url", self->custom_url,
                       "client-id", self->client_id,
                       "org-id", self->org_id,
                       "project-id", self->project_id,
                       NULL);
}

const char *
kl_profile_get_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->id;
}

const char *
kl_profile_get_display_name (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->display_name;
}

void
kl_profile_set_display_name (KlProfile  *self,
                             const char *display_name)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->display_name, display_name, PROFILE_PROP_DISPLAY_NAME);
}

KlAuthType
kl_profile_get_auth_type (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), KL_AUTH_SERVICE_ACCOUNT);

  return self->auth_type;
}

void
kl_profile_set_auth_type (KlProfile  *self,
                          KlAuthType  auth_type)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  if (self->auth_type == auth_type)
    return;
  self->auth_type = auth_type;
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[PROFILE_PROP_AUTH_TYPE]);
}

KlAtlasService
kl_profile_get_service (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), KL_ATLAS_SERVICE_ATLAS);

  return self->service;
}

void
kl_profile_set_service (KlProfile      *self,
                        KlAtlasService  service)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  if (self->service == service)
    return;
  self->service = service;
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[PROFILE_PROP_SERVICE]);
}

const char *
kl_profile_get_custom_url (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->custom_url;
}

void
kl_profile_set_custom_url (KlProfile  *self,
                           const char *custom_url)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->custom_url, custom_url, PROFILE_PROP_CUSTOM_URL);
}

const char *
kl_profile_get_client_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->client_id;
}

void
kl_profile_set_client_id (KlProfile  *self,
                          const char *client_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->client_id, client_id, PROFILE_PROP_CLIENT_ID);
}

const char *
kl_profile_get_org_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->org_id;
}

void
kl_profile_set_org_id (KlProfile  *self,
                       const char *org_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->org_id, org_id, PROFILE_PROP_ORG_ID);
}

const char *
kl_profile_get_project_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->project_id;
}

void
kl_profile_set_project_id (KlProfile  *self,
                           const char *project_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->project_id, project_id, PROFILE_PROP_PROJECT_ID);
}

const char *
kl_profile_get_base_url (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  switch (self->service)
    {
    case KL_ATLAS_SERVICE_GOVERNMENT:
      return "https://cloud.mongodbgov.com";
    case KL_ATLAS_SERVICE_CUSTOM:
      return self->custom_url;
    case KL_ATLAS_SERVICE_ATLAS:
    default:
      return "https://cloud.mongodb.com";
    }
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

static GHashTable *
profile_to_attributes (KlProfile *profile)
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
static KlProfile *
profile_from_attributes (GHashTable *attributes)
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

static char *
profile_label (KlProfile *profile)
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

struct _KlCredentials
{
  GObject     parent_instance;

  gboolean    memory_only;
  guint       timeout_ms;
  GHashTable *memory_profiles; /* id -> MemoryEntry */
  GHashTable *memory_azure;    /* azure_memory_key () -> SecretValue */
};

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

/* Keyring operations.
 *
 * Each public call is one GTask whose task data is an Op. The Op owns a cancellable of its own,
 * cancelled by the caller's and by a timeout, so that nothing can wait for ever (libsecret
 * waits for an unlock prompt's answer without a limit; cancelling it dismisses the prompt). */

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_LIST,
  OP_UPDATE,
  OP_DELETE,
  OP_CLI_LIST,
  OP_CLI_IMPORT,
} OpKind;

typedef struct
{
  OpKind              kind;
  GTask              *task;        /* not owned: it owns us */
  GMainContext       *context;
  GCancellable       *cancellable; /* for every call but the unlock prompts */
  GSource            *cancel_source;
  gboolean            abandoned;   /* returned while an unlock prompt was still up */
  GCancellable       *caller_cancellable;
  gulong              caller_handler;
  GSource            *timeout_source;
  guint               timeout_ms;
  gboolean            timed_out;
  gboolean            timed_out_prompting; /* the timeout struck during an unlock prompt */
  gboolean            prompting;
  gboolean            tried_unlock;

  SecretService      *service;
  SecretCollection   *collection;
  const SecretSchema *schema;
  GHashTable         *search_attributes;
  GList              *items;   /* SecretItem, owned */
  GList              *next;    /* into items */
  gboolean            not_found_is_error;

  /* store */
  GHashTable         *attributes;
  char               *label;
  SecretValue        *secret;
  char               *created_path;

  /* update and rename */
  KlProfile          *profile;
  char               *display_name;

  /* the Atlas CLI */
  char               *path;
  GPtrArray          *cli_profiles;
  guint               cli_index;
  KlCliProfile       *cli_profile;
  char               *cli_id;
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  if (op->caller_cancellable != NULL)
    g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
  g_clear_object (&op->caller_cancellable);
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_source_unref (op->timeout_source);
    }
  g_clear_object (&op->cancellable);
  g_clear_object (&op->service);
  g_clear_object (&op->collection);
  g_clear_pointer (&op->search_attributes, g_hash_table_unref);
  g_list_free_full (op->items, g_object_unref);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op->label);
  g_clear_pointer (&op->secret, secret_value_unref);
  g_free (op->created_path);
  g_clear_object (&op->profile);
  g_free (op->display_name);
  g_free (op->path);
  g_clear_pointer (&op->cli_profiles, g_ptr_array_unref);
  g_clear_object (&op->cli_profile);
  g_free (op->cli_id);
  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_source_unref (op->cancel_source);
    }
  g_main_context_unref (op->context);
  g_free (op);
}

static GError *op_translate_error (Op     *op,
                                   GError *error);

/* An unlock prompt is never cancelled: with libsecret 0.20.5 and gnome-keyring 42, dismissing
 * a system prompt that is on screen makes libsecret return a NULL error (a critical) and
 * gnome-keyring-daemon abort on its next unlock (gkd-secret-unlock.c perform_next_unlock:
 * assertion !self->current) -- tests/test-credentials.c /credentials/locked shows it. So
 * Keylink stops waiting instead: the task returns now, the prompt stays up for the user to
 * answer or close, and its late answer is dropped (it only unlocks the keyring). */
static void
op_abandon (Op     *op,
            GError *error)
{
  g_assert (op->prompting && !op->abandoned);

  g_debug ("Keylink stops waiting for the unlock prompt; it stays up");
  op->abandoned = TRUE;
  g_task_return_error (op->task, error);
}

static gboolean
on_cancel_idle (gpointer user_data)
{
  Op *op = user_data;

  g_clear_pointer (&op->cancel_source, g_source_unref);
  if (op->prompting && !op->abandoned)
    op_abandon (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         _("Operation was cancelled")));
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  Op *op = user_data;

  g_cancellable_cancel (op->cancellable);

  /* Not from inside g_cancellable_cancel (): from the task's own context. */
  if (op->cancel_source == NULL)
    {
      op->cancel_source = g_idle_source_new ();
      /* Not G_PRIORITY_DEFAULT_IDLE: a busy window's redraws (120) would starve it. */
      g_source_set_priority (op->cancel_source, G_PRIORITY_DEFAULT);
      g_source_set_name (op->cancel_source, "[keylink] keyring cancel");
      g_source_set_callback (op->cancel_source, on_cancel_idle, op, NULL);
      g_source_attach (op->cancel_source, op->context);
    }
}

static gboolean
on_op_timeout (gpointer user_data)
{
  Op *op = user_data;

  g_debug ("Keyring operation timed out after %u ms%s", op->timeout_ms,
           op->prompting ? " waiting for an unlock prompt" : "");
  g_clear_pointer (&op->timeout_source, g_source_unref);
  op->timed_out = TRUE;
  op->timed_out_prompting = op->prompting;
  if (op->prompting && !op->abandoned)
    op_abandon (op, op_translate_error (op, NULL));
  else
    g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static GTask *
op_task_new (KlCredentials       *self,
             OpKind               kind,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);

  op->kind = kind;
  op->task = task;
  op->context = g_main_context_ref_thread_default ();
  op->timeout_ms = self->timeout_ms;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, op_free);

  op->timeout_source = g_timeout_source_new (op->timeout_ms);
  g_source_set_name (op->timeout_source, "[keylink] keyring timeout");
  g_source_set_callback (op->timeout_source, on_op_timeout, op, NULL);
  g_source_attach (op->timeout_source, op->context);

  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  op, NULL);
    }

  return task;
}

/* Turns whatever libsecret, GDBus or the timeout said into an error a person can act on. The
 * technical detail goes to the debug log (it never holds a secret). */
static GError *
op_translate_error (Op     *op,
                    GError *error)
{
  if (op->caller_cancellable != NULL && g_cancellable_is_cancelled (op->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));

  if (error != NULL)
    g_debug ("Keyring error: %s (%s, %d)", error->message,
             g_quark_to_string (error->domain), error->code);

  if (op->timed_out && op->timed_out_prompting)
    return g_error_new (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                        _("The keyring is locked and its unlock prompt was not answered within "
                          "%u seconds. Unlock the keyring (for example in Passwords and Keys) and "
                          "try again, or continue without saving: your credentials are then kept "
                          "for this session only."),
                        (op->timeout_ms + 999) / 1000);
  if (op->timed_out)
    return g_error_new (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                        _("The keyring did not answer within %u seconds. Check that GNOME Keyring "
                          "(or another Secret Service) is running and try again, or continue "
                          "without saving: your credentials are then kept for this session "
                          "only."),
                        (op->timeout_ms + 999) / 1000);

  /* Inside a sandbox, libsecret kept missing the Secret portal's answer (kl-secret-backend.c). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                                _("The keyring did not answer. Try again, or continue without "
                                  "saving: your credentials are then kept for this session "
                                  "only."));

  if (error != NULL && error->domain == KL_ERROR)
    return g_error_copy (error);

  if (error != NULL && g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                                _("The keyring is locked. Unlock it (for example in Passwords and "
                                  "Keys) and try again, or continue without saving: your "
                                  "credentials are then kept for this session only."));

  return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                              _("The system keyring is not available. Install and start GNOME "
                                "Keyring (or another Secret Service, such as KeePassXC) and try "
                                "again, or continue without saving: your credentials are then "
                                "kept for this session only."));
}

static GError *
locked_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked and was not unlocked. Unlock it (for "
                                "example in Passwords and Keys) and try again, or continue "
                                "without saving: your credentials are then kept for this "
                                "session only."));
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_error (task, op_translate_error (op, error));
  g_clear_error (&error);
}

static gboolean
any_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        return TRUE;
    }
  return FALSE;
}

static GList *
locked_items (GList *items)
{
  GList *locked = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        locked = g_list_prepend (locked, g_object_ref (l->data));
    }
  return locked;
}

/* Asks to unlock @objects (a prompt may come up: see op_abandon ()). Takes the reference on
 * @task. */
static void
op_unlock (GTask               *task,
           GList               *objects,
           GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);

  op->prompting = TRUE;
  secret_service_unlock (op->service, objects, NULL, callback, task);
}

/* Finishes op_unlock (). FALSE when the task has returned already (see op_abandon ()): the
 * late answer only unlocked the keyring, and is dropped. */
static gboolean
op_unlock_finish (Op            *op,
                  GObject       *object,
                  GAsyncResult  *result,
                  GList        **unlocked,
                  GError       **error)
{
  op->prompting = FALSE;
  if (op->abandoned)
    {
      secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, NULL);
      g_debug ("The unlock prompt was answered after Keylink stopped waiting");
      return FALSE;
    }

  secret_service_unlock_finish (SECRET_SERVICE (object), result, unlocked, error);
  return TRUE;
}

/* Finishes a secret_service_search () into op->items. */
static gboolean
op_search_finish (Op            *op,
                  GAsyncResult  *result,
                  GError       **error)
{
  GError *local_error = NULL;

  g_list_free_full (op->items, g_object_unref);
  op->items = secret_service_search_finish (op->service, result, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static GError *
not_saved_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_NOT_FOUND,
                              _("This saved sign-in is no longer in the keyring (it may have been "
                                "deleted in Passwords and Keys). Sign in again."));
}

static GError *
azure_not_saved_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_NOT_FOUND,
                              _("No Azure client secret is remembered for this project. Type it "
                                "in."));
}

/* Forward declarations: the steps call each other. */
static void op_search            (GTask *task);
static void op_act_on_items      (GTask *task);
static void cli_list_next        (GTask *task);
static void cli_import_from_file (GTask *task);
static void cli_import_store     (GTask *task);

static void
op_get_service (GTask              *task,
                SecretServiceFlags  flags,
                GAsyncReadyCallback callback)
{
  Op *op = g_task_get_task_data (task);

  secret_service_get (flags, op->cancellable, callback, task);
}

static gboolean
op_get_service_finish (Op            *op,
                       GAsyncResult  *result,
                       GError       **error)
{
  op->service = secret_service_get_finish (result, error);
  return op->service != NULL;
}

/* Store: default collection -> unlock it -> create the item -> drop older items of the same
 * profile. */

static void
on_store_duplicate_deleted (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new item is saved: an older copy that cannot go is only worth a debug line (list
   * shows the newest one of each profile). */
  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    g_debug ("Could not delete an older keyring item: %s", error->message);

  op_act_on_items (g_steal_pointer (&task));
}

static void
on_item_created (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretItem) item = NULL;
  GError *error = NULL;

  op->prompting = FALSE;
  item = secret_item_create_finish (result, &error);
  if (item == NULL)
    {
      op_return_error (task, error);
      return;
    }

  op->created_path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)));
  op_search (g_steal_pointer (&task));
}

static void
store_create_item (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  /* CreateItem may still answer with a prompt. */
  op->prompting = TRUE;
  secret_item_create (op->collection, op->schema, op->attributes, op->label, op->secret,
                      SECRET_ITEM_CREATE_NONE, op->cancellable, on_item_created, task);
}

static void
on_collection_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) unlocked = NULL;
  GError *error = NULL;

  if (!op_unlock_finish (op, object, result, &unlocked, &error))
    return;
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }
  if (unlocked == NULL)
    {
      g_debug ("The default collection stayed locked (prompt dismissed or no prompter)");
      g_task_return_error (task, locked_error ());
      return;
    }

  store_create_item (g_steal_pointer (&task));
}

static void
on_default_collection (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) objects = NULL;
  GError *error = NULL;

  op->collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }
  if (op->collection == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                               _("The system keyring has no default keyring to save into. Create "
                                 "one (for example in Passwords and Keys) and try again, or "
                                 "continue without saving: your credentials are then kept for "
                                 "this session only."));
      return;
    }

  if (!secret_collection_get_locked (op->collection))
    {
      store_create_item (g_steal_pointer (&task));
      return;
    }

  g_debug ("The default collection is locked: asking to unlock it");
  objects = g_list_append (NULL, g_object_ref (op->collection));
  op_unlock (g_steal_pointer (&task), objects, on_collection_unlocked);
}

/* Search, unlock, then act on what was found. */

static void
on_items_unlocked (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_unlock_finish (op, object, result, NULL, &error))
    return;
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  /* Search again: fresh proxies tell what is unlocked now. */
  op_search (g_steal_pointer (&task));
}

static void
op_unlock_items (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) locked = locked_items (op->items);

  g_assert (!op->tried_unlock);
  op->tried_unlock = TRUE;

  g_debug ("%u keyring item(s) are locked: asking to unlock them", g_list_length (locked));
  op_unlock (task, locked, on_items_unlocked);
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  KlProfile *pa = *(KlProfile **) a;
  KlProfile *pb = *(KlProfile **) b;
  int cmp = g_utf8_collate (pa->display_name, pb->display_name);

  return cmp != 0 ? cmp : strcmp (pa->id, pb->id);
}

/* A locked item whose attributes the service does not show (a keyring never unlocked in this
 * login shows hashed ones) cannot be listed without unlocking. */
static gboolean
item_is_unreadable (SecretItem *item)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!secret_item_get_locked (item))
    return FALSE;
  attributes = secret_item_get_attributes (item);
  return attributes == NULL || !g_hash_table_contains (attributes, "profile-id");
}

static void
list_return_profiles (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) modified = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(KlProfile) profile = NULL;
      KlProfile *other;
      guint64 when = secret_retrievable_get_modified (l->data);

      if (attributes == NULL || (profile = profile_from_attributes (attributes)) == NULL)
        {
          g_debug ("Skipping keyring item “%s”: not a profile this version can read",
                   secret_retrievable_get_label (l->data));
          continue;
        }

      /* Two items of one profile (a store interrupted half-way): the newest wins. */
      other = g_hash_table_lookup (by_id, profile->id);
      if (other != NULL &&
          GPOINTER_TO_SIZE (g_hash_table_lookup (modified, other->id)) > when)
        continue;

      g_hash_table_insert (modified, profile->id, GSIZE_TO_POINTER ((gsize) when));
      g_hash_table_insert (by_id, profile->id, profile);
      g_ptr_array_add (profiles, g_steal_pointer (&profile));
    }

  /* Keep only the winners. */
  {
    g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);

    g_hash_table_iter_init (&iter, by_id);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (result, g_object_ref (value));
    g_ptr_array_sort (result, compare_profiles);
    g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
  }
}

static void
on_search (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->next = NULL;
  if (!op_search_finish (op, result, &error))
    {
      op_return_error (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_STORE:
      {
        /* The older items of this profile (not the one just made) go. */
        GList *l = op->items;

        while (l != NULL)
          {
            GList *following = l->next;

            if (g_strcmp0 (g_dbus_proxy_get_object_path (l->data), op->created_path) == 0)
              {
                g_object_unref (l->data);
                op->items = g_list_delete_link (op->items, l);
              }
            l = following;
          }
        op->next = op->items;
        op_act_on_items (g_steal_pointer (&task));
      }
      return;

    case OP_LIST:
      {
        gboolean unreadable = FALSE;

        for (GList *l = op->items; l != NULL && !unreadable; l = l->next)
          unreadable = item_is_unreadable (l->data);

        if (unreadable && !op->tried_unlock)
          op_unlock_items (g_steal_pointer (&task));
        else if (unreadable)
          g_task_return_error (task, locked_error ());
        else
          list_return_profiles (task);
      }
      return;

    case OP_LOOKUP:
    case OP_UPDATE:
    case OP_DELETE:
      if (op->items == NULL)
        {
          if (op->not_found_is_error)
            g_task_return_error (task, not_saved_error ());
          else
            g_task_return_boolean (task, TRUE);
          return;
        }
      /* A lookup needs the first item (unlocked ones come first); the others, all of them. */
      if (op->kind == OP_LOOKUP ? secret_item_get_locked (op->items->data)
                                : any_locked (op->items))
        {
          if (op->tried_unlock)
            g_task_return_error (task, locked_error ());
          else
            op_unlock_items (g_steal_pointer (&task));
          return;
        }
      op->next = op->items;
      op_act_on_items (g_steal_pointer (&task));
      return;

    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

static void
op_search (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL;

  secret_service_search (op->service, get_search_schema (), op->search_attributes, flags,
                         op->cancellable, on_search, task);
}

static void
on_secret_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretItem *item = SECRET_ITEM (object);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  if (!secret_item_load_secret_finish (item, result, &error))
    {
      op_return_error (task, error);
      return;
    }

  value = secret_item_get_secret (item);
  if (value == NULL)
    {
      g_task_return_error (task, locked_error ());
      return;
    }

  g_task_return_pointer (task, secret_rewrap (value), secret_value_unref);
}

static void
on_item_updated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data);

static void
on_label_set (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_item_set_label_finish (SECRET_ITEM (object), result, &error))
    {
      op_return_error (task, error);
      return;
    }

  op_act_on_items (g_steal_pointer (&task));
}

static void
on_item_updated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_item_set_attributes_finish (SECRET_ITEM (object), result, &error))
    {
      op_return_error (task, error);
      return;
    }

  secret_item_set_label (SECRET_ITEM (object), op->label, op->cancellable, on_label_set,
                         g_steal_pointer (&task));
}

static void
on_item_deleted (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    {
      op_return_error (task, error);
      return;
    }

  op_act_on_items (g_steal_pointer (&task));
}

/* One item at a time, then the result. */
static void
op_act_on_items (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretItem *item;

  if (op->kind == OP_LOOKUP)
    {
      /* Any one will do: the newest unlocked one comes first. */
      secret_item_load_secret (op->items->data, op->cancellable, on_secret_loaded, task);
      return;
    }

  if (op->next == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  item = op->next->data;
  op->next = op->next->next;

  switch (op->kind)
    {
    case OP_STORE:
      secret_item_delete (item, op->cancellable, on_store_duplicate_deleted, task);
      break;

    case OP_DELETE:
      secret_item_delete (item, op->cancellable, on_item_deleted, task);
      break;

    case OP_UPDATE:
      {
        g_autoptr(GHashTable) attributes = NULL;
        g_autoptr(KlProfile) profile = NULL;

        if (op->profile != NULL)
          profile = kl_profile_copy (op->profile);
        else
          {
            g_autoptr(GHashTable) current = secret_item_get_attributes (item);

            profile = current != NULL ? profile_from_attributes (current) : NULL;
            if (profile == NULL)
              {
                g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                                         _("This saved sign-in was written by a newer version of "
                                           "Keylink and cannot be changed here. Update Keylink, "
                                           "or delete the sign-in and save it again."));
                g_object_unref (task);
                return;
              }
            kl_profile_set_display_name (profile, op->display_name);
          }

        attributes = profile_to_attributes (profile);
        g_free (op->label);
        op->label = profile_label (profile);
        secret_item_set_attributes (item, op->schema, attributes, op->cancellable,
                                    on_item_updated, task);
      }
      break;

    case OP_LOOKUP:
    case OP_LIST:
    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

static void
on_service (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_get_service_finish (op, result, &error))
    {
      op_return_error (task, error);
      return;
    }

  if (op->kind == OP_STORE)
    secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                 op->cancellable, on_default_collection,
                                 g_steal_pointer (&task));
  else
    op_search (g_steal_pointer (&task));
}

static const char *
op_kind_name (OpKind kind)
{
  static const char * const names[] = {
    "store", "lookup", "list", "update", "delete", "list CLI profiles", "import a CLI profile",
  };

  g_assert ((guint) kind < G_N_ELEMENTS (names));
  return names[kind];
}

/* Through libsecret's backend (the secret_password_* calls) inside a Flatpak or Snap sandbox,
 * or wherever SECRET_BACKEND names one. There libsecret 0.20 keeps the items in a file of the
 * app's own ($XDG_DATA_HOME/keyrings/default.keyring), encrypted with a master key that the
 * Secret portal gives (xdg-desktop-portal, with gnome-keyring behind it), and talks to the
 * Secret Service only when there is no portal. The file has no collections, aliases or
 * locking (no "login" or default collection, nothing to unlock) and its items are replaced,
 * not edited: so a store removes the profile's items and writes the new one, and an update
 * rewrites the item. The Atlas CLI's items stay in the Secret Service (op_get_service ()). */
static gboolean
use_secret_backend (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL ||
         (backend != NULL && backend[0] != '\0');
}

static void
on_backend_stored (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    op_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_backend_cleared (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  if (op->kind == OP_DELETE)
    {
      if (!removed && op->not_found_is_error)
        g_task_return_error (task, not_saved_error ());
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* A store, or the second half of an update: write the item. */
  secret_password_storev_binary (op->schema, op->attributes, SECRET_COLLECTION_DEFAULT,
                                 op->label, op->secret, op->cancellable, on_backend_stored,
                                 g_steal_pointer (&task));
}

static void
on_backend_secret (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (object), result,
                                                     &error);
  if (value == NULL)
    {
      op_return_error (task, error != NULL ? error
                                           : g_error_new_literal (SECRET_ERROR,
                                                                  SECRET_ERROR_PROTOCOL,
                                                                  "no secret"));
      return;
    }

  if (op->kind == OP_LOOKUP)
    {
      g_task_return_pointer (task, secret_rewrap (value), secret_value_unref);
      return;
    }

  /* An update: the same secret under the new attributes. */
  g_assert (op->kind == OP_UPDATE);
  op->secret = secret_rewrap (value);
  secret_password_clearv (get_search_schema (), op->search_attributes, op->cancellable,
                          on_backend_cleared, g_steal_pointer (&task));
}

static void
on_backend_found (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  SecretRetrievable *newest = NULL;
  GError *error = NULL;

  g_list_free_full (op->items, g_object_unref);
  op->items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  if (op->kind == OP_LIST)
    {
      list_return_profiles (task);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      if (newest == NULL ||
          secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
        newest = l->data;
    }
  if (newest == NULL)
    {
      g_task_return_error (task, not_saved_error ());
      return;
    }

  if (op->kind == OP_UPDATE)
    {
      g_autoptr(GHashTable) current = secret_retrievable_get_attributes (newest);
      g_autoptr(KlProfile) profile = NULL;

      if (op->profile != NULL)
        profile = kl_profile_copy (op->profile);
      else if (current != NULL && (profile = profile_from_attributes (current)) != NULL)
        kl_profile_set_display_name (profile, op->display_name);
      else
        {
          g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                                   _("This saved sign-in was written by a newer version of "
                                     "Keylink and cannot be changed here. Update Keylink, "
                                     "or delete the sign-in and save it again."));
          return;
        }
      op->schema = kl_credentials_get_schema ();
      op->attributes = profile_to_attributes (profile);
      op->label = profile_label (profile);
    }

  secret_retrievable_retrieve_secret (newest, op->cancellable, on_backend_secret,
                                      g_steal_pointer (&task));
}

static void
on_backend_ready (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK;
  GError *error = NULL;

  if (!kl_secret_backend_ensure_finish (result, &error))
    {
      op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  switch (op->kind)
    {
    case OP_STORE:
    case OP_DELETE:
      secret_password_clearv (get_search_schema (), op->search_attributes, op->cancellable,
                              on_backend_cleared, task);
      break;

    case OP_LOOKUP:
    case OP_UPDATE:
      flags |= SECRET_SEARCH_LOAD_SECRETS;
      G_GNUC_FALLTHROUGH;
    case OP_LIST:
      secret_password_searchv (get_search_schema (), op->search_attributes, flags,
                               op->cancellable, on_backend_found, task);
      break;

    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

/* The first call of the process has libsecret make its backend first (kl-secret-backend.c:
 * a lost answer of the Secret portal is asked for again). */
static void
backend_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_debug ("Keyring %s through libsecret's backend", op_kind_name (op->kind));
  kl_secret_backend_ensure_async (op->cancellable, on_backend_ready, task);
}

static void
op_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretServiceFlags flags = SECRET_SERVICE_NONE;

  if (use_secret_backend ())
    {
      backend_start (task);
      return;
    }

  /* Attributes are not secret: they help to follow what happens. */
  g_debug ("Keyring %s: kind=%s profile-id=%s project-id=%s", op_kind_name (op->kind),
           (const char *) g_hash_table_lookup (op->search_attributes, "kind"),
           (const char *) g_hash_table_lookup (op->search_attributes, "profile-id"),
           (const char *) g_hash_table_lookup (op->search_attributes, "project-id"));

  /* Secrets cross the bus only inside an encrypted session. */
  if (op->kind == OP_STORE || op->kind == OP_LOOKUP)
    flags = SECRET_SERVICE_OPEN_SESSION;

  op_get_service (task, flags, on_service);
}

/* Whether @result comes from the call of @self tagged @source_tag (a critical if not). */
static gboolean
result_is_valid (KlCredentials *self,
                 GAsyncResult  *result,
                 gpointer       source_tag)
{
  g_return_val_if_fail (KL_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

static gboolean
finish_boolean (KlCredentials  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                GError        **error)
{
  return result_is_valid (self, result, source_tag) &&
         g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (KlCredentials  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                GError        **error)
{
  if (!result_is_valid (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Starts the keyring part of @task: a search for the items with @search_attributes (taken),
 * then what the task's kind does with them. */
static void
op_start_search (GTask      *task,
                 GHashTable *search_attributes,
                 gboolean    not_found_is_error)
{
  Op *op = g_task_get_task_data (task);

  op->schema = kl_credentials_get_schema ();
  op->search_attributes = search_attributes;
  op->not_found_is_error = not_found_is_error;
  op_start (task);
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

  task = op_task_new (self, OP_STORE, cancellable, callback, user_data,
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

  op->attributes = profile_to_attributes (profile);
  op->label = profile_label (profile);
  op->secret = secret_value_ref (secret);
  op_start_search (g_steal_pointer (&task), profile_search_attributes (profile->id), FALSE);
}

gboolean
kl_credentials_store_finish (KlCredentials  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_boolean (self, result, kl_credentials_store_async, error);
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

  task = op_task_new (self, OP_LIST, cancellable, callback, user_data, kl_credentials_list_async);

  if (self->memory_only)
    {
      g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->memory_profiles);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (profiles, kl_profile_copy (((MemoryEntry *) value)->profile));
      g_ptr_array_sort (profiles, compare_profiles);
      g_task_return_pointer (task, g_steal_pointer (&profiles), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  op_start_search (g_steal_pointer (&task), profile_search_attributes (NULL), FALSE);
}

GPtrArray *
kl_credentials_list_finish (KlCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return finish_pointer (self, result, kl_credentials_list_async, error);
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

  task = op_task_new (self, OP_LOOKUP, cancellable, callback, user_data,
                      kl_credentials_lookup_async);

  if (self->memory_only)
    {
      MemoryEntry *entry = g_hash_table_lookup (self->memory_profiles, profile_id);

      if (entry == NULL)
        g_task_return_error (task, not_saved_error ());
      else
        g_task_return_pointer (task, secret_rewrap (entry->secret), secret_value_unref);
      return;
    }

  op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id), TRUE);
}

SecretValue *
kl_credentials_lookup_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return finish_pointer (self, result, kl_credentials_lookup_async, error);
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

  task = op_task_new (self, OP_UPDATE, cancellable, callback, user_data, source_tag);
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
          g_task_return_error (task, not_saved_error ());
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
  op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id), TRUE);
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
  return finish_boolean (self, result, kl_credentials_rename_async, error);
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
  return finish_boolean (self, result, kl_credentials_update_async, error);
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

  task = op_task_new (self, OP_DELETE, cancellable, callback, user_data,
                      kl_credentials_delete_async);

  if (self->memory_only)
    {
      g_hash_table_remove (self->memory_profiles, profile_id);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op_start_search (g_steal_pointer (&task), profile_search_attributes (profile_id), FALSE);
}

gboolean
kl_credentials_delete_finish (KlCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return finish_boolean (self, result, kl_credentials_delete_async, error);
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

  task = op_task_new (self, OP_STORE, cancellable, callback, user_data,
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
  op_start_search (g_steal_pointer (&task), azure_attributes (project_id, azure_client_id, FALSE),
                   FALSE);
}

gboolean
kl_credentials_store_azure_secret_finish (KlCredentials  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return finish_boolean (self, result, kl_credentials_store_azure_secret_async, error);
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

  task = op_task_new (self, OP_LOOKUP, cancellable, callback, user_data,
                      kl_credentials_lookup_azure_secret_async);

  if (self->memory_only)
    {
      g_autofree char *key = azure_memory_key (project_id, azure_client_id);
      SecretValue *value = g_hash_table_lookup (self->memory_azure, key);

      if (value == NULL)
        g_task_return_error (task, azure_not_saved_error ());
      else
        g_task_return_pointer (task, secret_rewrap (value), secret_value_unref);
      return;
    }

  op_start_search (g_steal_pointer (&task), azure_attributes (project_id, azure_client_id, FALSE),
                   TRUE);
}

SecretValue *
kl_credentials_lookup_azure_secret_finish (KlCredentials  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  SecretValue *value;

  value = finish_pointer (self, result, kl_credentials_lookup_azure_secret_async, &local_error);
  if (g_error_matches (local_error, KL_ERROR, KL_ERROR_NOT_FOUND))
    {
      /* The profile wording does not fit here. */
      g_propagate_error (error, azure_not_saved_error ());
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

  task = op_task_new (self, OP_DELETE, cancellable, callback, user_data,
                      kl_credentials_delete_azure_secret_async);

  if (self->memory_only)
    {
      g_autofree char *key = azure_memory_key (project_id, azure_client_id);

      g_hash_table_remove (self->memory_azure, key);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op_start_search (g_steal_pointer (&task), azure_attributes (project_id, azure_client_id, FALSE),
                   FALSE);
}

gboolean
kl_credentials_delete_azure_secret_finish (KlCredentials  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return finish_boolean (self, result, kl_credentials_delete_azure_secret_async, error);
}

/* The Atlas CLI: list.
 *
 * Read config.toml -> parse -> for each profile, search its keyring items (service =
 * atlascli_<name>): which properties they hold, and the values of the non-secret ones
 * (public_api_key, client_id) when unlocked. Never prompts; keyring trouble becomes each
 * profile's problem. */

/* Searches the keyring items of the CLI profile @profile_name into op->items. Takes the
 * reference on @task. */
static void
cli_search (GTask               *task,
            const char          *profile_name,
            GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (attributes, g_strdup ("service"),
                       g_strconcat (KL_CLI_SERVICE_PREFIX, profile_name, NULL));
  secret_service_search (op->service, get_cli_schema (), attributes, SECRET_SEARCH_ALL,
                         op->cancellable, callback, task);
}

/* The CLI properties that are not secret, whose values a listing shows. */
static gboolean
is_cli_id_property (const char *property)
{
  return g_str_equal (property, KL_CLI_PUBLIC_API_KEY) || g_str_equal (property, KL_CLI_CLIENT_ID);
}

static const char *
item_username (GHashTable *attributes)
{
  return attributes != NULL ? g_hash_table_lookup (attributes, "username") : NULL;
}

/* A locked item of a keyring never unlocked in this login shows hashed attributes only. */
static gboolean
cli_items_unreadable (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);

      if (secret_item_get_locked (l->data) && item_username (attributes) == NULL)
        return TRUE;
    }
  return FALSE;
}

static void
cli_list_return (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->cli_profiles),
                         (GDestroyNotify) g_ptr_array_unref);
}

/* The keyring could not be read: every profile not yet looked at says so. */
static void
cli_list_keyring_failed (GTask  *task,
                         GError *error)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) translated = op_translate_error (op, error);

  g_clear_error (&error);
  if (g_error_matches (translated, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&translated));
      return;
    }

  for (guint i = op->cli_index; i < op->cli_profiles->len; i++)
    kl_cli_profile_set_keyring_problem (op->cli_profiles->pdata[i], translated->message);
  cli_list_return (task);
}

static void
on_cli_ids_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  KlCliProfile *profile = op->cli_profiles->pdata[op->cli_index];
  GError *error = NULL;

  if (!secret_item_load_secrets_finish (result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);
      g_autoptr(SecretValue) value = NULL;

      if (property == NULL)
        continue;
      if (is_cli_id_property (property))
        value = secret_item_get_secret (l->data);
      kl_cli_profile_add_keyring_property (profile, property,
                                           value != NULL ? secret_value_get_text (value) : NULL);
    }

  op->cli_index++;
  cli_list_next (g_steal_pointer (&task));
}

static void
on_cli_list_unlocked (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_unlock_finish (op, object, result, NULL, &error))
    return;
  if (error != NULL)
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  /* The same profile again, with fresh proxies. */
  cli_list_next (g_steal_pointer (&task));
}

static void
on_cli_items (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(SecretItem) ids = NULL;
  GError *error = NULL;

  if (!op_search_finish (op, result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  if (cli_items_unreadable (op->items))
    {
      g_autolist(GDBusProxy) locked = locked_items (op->items);

      /* Ask once per listing; refused, the profile says so. */
      if (!op->tried_unlock)
        {
          op->tried_unlock = TRUE;
          op_unlock (g_steal_pointer (&task), locked, on_cli_list_unlocked);
          return;
        }

      {
        g_autoptr(GError) locked_message = locked_error ();

        kl_cli_profile_set_keyring_problem (op->cli_profiles->pdata[op->cli_index],
                                            locked_message->message);
      }
      op->cli_index++;
      cli_list_next (g_steal_pointer (&task));
      return;
    }

  /* Load only the public key / client ID items that are unlocked: never a secret. */
  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);

      if (property != NULL && !secret_item_get_locked (l->data) && is_cli_id_property (property))
        ids = g_list_prepend (ids, g_object_ref (l->data));
    }

  /* With nothing to load, libsecret completes at once. */
  secret_item_load_secrets (ids, op->cancellable, on_cli_ids_loaded, g_steal_pointer (&task));
}

static void
cli_list_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->cli_index >= op->cli_profiles->len)
    {
      cli_list_return (task);
      g_object_unref (task);
      return;
    }

  cli_search (task, kl_cli_profile_get_name (op->cli_profiles->pdata[op->cli_index]),
              on_cli_items);
}

static void
on_cli_list_service (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_get_service_finish (op, result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  cli_list_next (g_steal_pointer (&task));
}

/* The CLI configuration could not be read (but for a missing file, which callers handle). */
static void
cli_file_return_error (GTask  *task,
                       GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_return_error (task, g_error_copy (error));
      return;
    }

  g_debug ("Cannot read %s: %s", op->path, error->message);
  g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                           _("The Atlas CLI configuration “%s” cannot be read: %s. Check its "
                             "permissions, or sign in by hand."),
                           op->path, error->message);
}

static void
on_cli_config_loaded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* No CLI here: nothing to offer. */
          op->cli_profiles = g_ptr_array_new_with_free_func (g_object_unref);
          cli_list_return (task);
        }
      else
        cli_file_return_error (task, error);
      return;
    }

  op->cli_profiles = kl_cli_config_parse_profiles (contents, length, op->path, &error);
  /* Older CLI versions kept secrets in the file: no copy stays in memory. */
  explicit_bzero (contents, length);
  if (op->cli_profiles == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->cli_profiles->len == 0)
    {
      cli_list_return (task);
      return;
    }

  g_debug ("Atlas CLI configuration %s: %u profile(s)", op->path, op->cli_profiles->len);
  op_get_service (g_steal_pointer (&task), SECRET_SERVICE_OPEN_SESSION, on_cli_list_service);
}

void
kl_credentials_list_cli_profiles_async (KlCredentials       *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_CLI_LIST, cancellable, callback, user_data,
                      kl_credentials_list_cli_profiles_async);
  op = g_task_get_task_data (task);
  op->path = kl_cli_config_get_default_path ();

  /* Read only: g_file_load_contents opens the file O_RDONLY. */
  file = g_file_new_for_path (op->path);
  g_file_load_contents_async (file, op->cancellable, on_cli_config_loaded,
                              g_steal_pointer (&task));
}

GPtrArray *
kl_credentials_list_cli_profiles_finish (KlCredentials  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return finish_pointer (self, result, kl_credentials_list_cli_profiles_async, error);
}

/* The Atlas CLI: import.
 *
 * The id and the secret come from the CLI's keyring items when it has them (unlocking if need
 * be), else from the file; then the Keylink profile is stored (keyring or memory). */

static void
cli_import_keyring_failed (GTask  *task,
                           GError *error)
{
  Op *op = g_task_get_task_data (task);

  /* Without the keyring the file may still hold what is needed (older CLI versions). */
  if (kl_cli_profile_get_secret_location (op->cli_profile) == KL_CLI_SECRET_FILE &&
      !(op->caller_cancellable != NULL && g_cancellable_is_cancelled (op->caller_cancellable)))
    {
      g_debug ("CLI keyring items unreadable (%s): trying the file", error->message);
      g_clear_error (&error);
      cli_import_from_file (task);
      return;
    }

  op_return_error (task, error);
  g_object_unref (task);
}

static void
on_cli_secrets_loaded (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  const char *secret_property = kl_cli_profile_get_secret_property (op->cli_profile);
  const char *id_property = kl_cli_profile_get_id_property (op->cli_profile);
  GError *error = NULL;

  if (!secret_item_load_secrets_finish (result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);

      if (property == NULL || value == NULL)
        continue;
      if (g_str_equal (property, secret_property) && op->secret == NULL)
        op->secret = secret_rewrap (value);
      else if (g_str_equal (property, id_property) && secret_value_get_text (value) != NULL)
        {
          /* The keyring wins over the file, as in the CLI. */
          g_free (op->cli_id);
          op->cli_id = g_strdup (secret_value_get_text (value));
        }
    }

  if (op->secret == NULL || op->cli_id == NULL)
    cli_import_from_file (g_steal_pointer (&task));
  else
    cli_import_store (g_steal_pointer (&task));
}

static void cli_import_search (GTask *task);

static void
on_cli_import_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_unlock_finish (op, object, result, NULL, &error))
    return;
  if (error != NULL)
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  cli_import_search (g_steal_pointer (&task));
}

static void
on_cli_import_items (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  const char *secret_property = kl_cli_profile_get_secret_property (op->cli_profile);
  const char *id_property = kl_cli_profile_get_id_property (op->cli_profile);
  g_autolist(SecretItem) wanted = NULL;
  GError *error = NULL;

  if (!op_search_finish (op, result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);

      if (g_strcmp0 (property, secret_property) == 0 || g_strcmp0 (property, id_property) == 0)
        wanted = g_list_prepend (wanted, g_object_ref (l->data));
    }

  if (any_locked (wanted) || cli_items_unreadable (op->items))
    {
      g_autolist(GDBusProxy) locked = locked_items (op->items);

      if (op->tried_unlock)
        {
          cli_import_keyring_failed (g_steal_pointer (&task), locked_error ());
          return;
        }
      op->tried_unlock = TRUE;
      op_unlock (g_steal_pointer (&task), locked, on_cli_import_unlocked);
      return;
    }

  if (wanted == NULL)
    {
      /* The items are gone: the file may still have it. */
      cli_import_from_file (g_steal_pointer (&task));
      return;
    }

  secret_item_load_secrets (wanted, op->cancellable, on_cli_secrets_loaded,
                            g_steal_pointer (&task));
}

static void
cli_import_search (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  cli_search (task, kl_cli_profile_get_name (op->cli_profile), on_cli_import_items);
}

static void
on_cli_import_service (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!op_get_service_finish (op, result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  cli_import_search (g_steal_pointer (&task));
}

static void
on_cli_import_file_loaded (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *name = kl_cli_profile_get_name (op->cli_profile);

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      cli_file_return_error (task, error);
      return;
    }

  if (op->secret == NULL)
    op->secret = kl_cli_config_dup_value (contents, length, name,
                                          kl_cli_profile_get_secret_property (op->cli_profile),
                                          &error);
  if (error == NULL && op->cli_id == NULL)
    {
      g_autoptr(SecretValue) id = NULL;

      id = kl_cli_config_dup_value (contents, length, name,
                                    kl_cli_profile_get_id_property (op->cli_profile), &error);
      if (id != NULL)
        op->cli_id = g_strdup (secret_value_get_text (id));
    }
  explicit_bzero (contents, length);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->secret == NULL || op->cli_id == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_NOT_FOUND,
                               _("The Atlas CLI profile “%s” no longer holds its key or secret. "
                                 "Sign in with the Atlas CLI again, or enter them by hand."),
                               name);
      return;
    }

  cli_import_store (g_steal_pointer (&task));
}

static void
cli_import_from_file (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GFile) file = g_file_new_for_path (op->path);

  g_file_load_contents_async (file, op->cancellable, on_cli_import_file_loaded, task);
}

static void
on_cli_import_stored (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_store_finish (KL_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&op->profile), g_object_unref);
}

static void
cli_import_store (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  KlCredentials *self = g_task_get_source_object (task);
  KlCliProfile *cli = op->cli_profile;

  op->profile = kl_profile_new (kl_cli_profile_get_name (cli), kl_cli_profile_get_auth_type (cli),
                                kl_cli_profile_get_service (cli), op->cli_id);
  kl_profile_set_custom_url (op->profile, kl_cli_profile_get_custom_url (cli));
  kl_profile_set_org_id (op->profile, kl_cli_profile_get_org_id (cli));
  kl_profile_set_project_id (op->profile, kl_cli_profile_get_project_id (cli));

  /* The store has its own timeout; the caller's cancellable still applies. */
  kl_credentials_store_async (self, op->profile, op->secret, op->caller_cancellable,
                              on_cli_import_stored, task);
}

void
kl_credentials_import_cli_profile_async (KlCredentials       *self,
                                         KlCliProfile        *cli_profile,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (KL_IS_CLI_PROFILE (cli_profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_CLI_IMPORT, cancellable, callback, user_data,
                      kl_credentials_import_cli_profile_async);
  op = g_task_get_task_data (task);
  op->path = kl_cli_config_get_default_path ();
  op->cli_profile = g_object_ref (cli_profile);

  if (!kl_cli_profile_is_importable (cli_profile))
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT, "%s",
                               kl_cli_profile_get_problem (cli_profile));
      return;
    }

  op->cli_id = g_strdup (kl_cli_profile_get_client_id (cli_profile));

  if (kl_cli_profile_get_secret_location (cli_profile) == KL_CLI_SECRET_FILE && op->cli_id != NULL)
    {
      cli_import_from_file (g_steal_pointer (&task));
      return;
    }

  g_debug ("Importing Atlas CLI profile %s (secret in the %s)", kl_cli_profile_get_name (cli_profile),
           kl_cli_profile_get_secret_location (cli_profile) == KL_CLI_SECRET_KEYRING ? "keyring" : "file");
  op_get_service (g_steal_pointer (&task), SECRET_SERVICE_OPEN_SESSION, on_cli_import_service);
}

KlProfile *
kl_credentials_import_cli_profile_finish (KlCredentials  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return finish_pointer (self, result, kl_credentials_import_cli_profile_async, error);
}
