/* kl-atlas-types.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-atlas-types.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* JSON helpers: every accessor checks the node's type and fails with KL_ERROR_BAD_RESPONSE.  */

static JsonNode *
parse_root (const char  *json,
            gssize       length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sanitized = NULL;
  gsize sanitized_length = 0;
  JsonNode *root;

  if (json == NULL || length == 0 || (length < 0 && json[0] == '\0'))
    {
      kl_error_set_bad_response (error, "empty body where JSON was expected");
      return NULL;
    }

  if (!kl_json_depth_is_safe (json, length))
    {
      kl_error_set_bad_response (error, "JSON nested deeper than %d levels", KL_JSON_MAX_DEPTH);
      return NULL;
    }

  if ((sanitized = kl_json_dup_sanitized (json, length, &sanitized_length)) != NULL)
    {
      json = sanitized;
      length = (gssize) sanitized_length;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      kl_error_set_bad_response (error, "malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    kl_error_set_bad_response (error, "empty JSON document");

  return root;
}

static JsonObject *
node_get_object (JsonNode    *node,
                 const char  *what,
                 GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      kl_error_set_bad_response (error, "%s is not a JSON object", what);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
member_string (JsonObject  *object,
               const char  *name,
               char       **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      kl_error_set_bad_response (error, "\"%s\" is not a string", name);
      return FALSE;
    }

  /* json-glib lets a lone surrogate (\ud800) through as bytes that are not UTF-8: what a
   * label shows must be text. */
  g_free (*out);
  *out = g_utf8_make_valid (json_node_get_string (node), -1);
  return TRUE;
}

static gboolean
member_boolean (JsonObject  *object,
                const char  *name,
                gboolean    *out,
                gboolean    *present,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (present != NULL)
    *present = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      kl_error_set_bad_response (error, "\"%s\" is not a boolean", name);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

static gboolean
member_int (JsonObject  *object,
            const char  *name,
            gint64      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* In range first (NaN and ±inf are not): casting a double a gint64 cannot hold is
       * undefined. -2^63 is exact as a double; 2^63 is the first value beyond. */
      if (value >= -9223372036854775808.0 && value < 9223372036854775808.0 &&
          value == (double) (gint64) value)
        {
          *out = (gint64) value;
          return TRUE;
        }
    }

  kl_error_set_bad_response (error, "\"%s\" is not an integer", name);
  return FALSE;
}

/* Borrowed; NULL (and TRUE) when absent or null. */
static gboolean
member_object (JsonObject  *object,
               const char  *name,
               JsonObject **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      kl_error_set_bad_response (error, "\"%s\" is not an object", name);
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
member_array (JsonObject  *object,
              const char  *name,
              JsonArray  **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      kl_error_set_bad_response (error, "\"%s\" is not an array", name);
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
kl_atlas_id_is_valid (const char *id)
{
  gsize i;

  if (id == NULL)
    return FALSE;

  for (i = 0; id[i] != '\0'; i++)
    {
      if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
        return FALSE;
    }

  return i == 24;
}

#define REPLACEMENT_CHAR "\xef\xbf\xbd" /* U+FFFD */

/* Every invalid UTF-8 sequence and NUL byte of @json as U+FFFD. */
static GString *
make_valid_with_nul (const char *json,
                     gsize       length)
{
  GString *out = g_string_sized_new (length + 16);
  const char *p = json;
  gsize remaining = length;

  while (remaining > 0)
    {
      const char *end = NULL;
      gsize valid;

      g_utf8_validate_len (p, remaining, &end);
      valid = (gsize) (end - p);
      g_string_append_len (out, p, (gssize) valid);
      p += valid;
      remaining -= valid;
      if (remaining == 0)
        break;

      /* A NUL byte, or the first byte of an invalid sequence: one U+FFFD, one byte on. */
      g_string_append (out, REPLACEMENT_CHAR);
      p++;
      remaining--;
    }

  return out;
}

static gboolean
has_nul_escape (const char *json,
                gsize       length)
{
  for (gsize i = 0; i + 6 <= length; i++)
    if (json[i] == '\\' && memcmp (json + i + 1, "u0000", 5) == 0)
      return TRUE;

  return FALSE;
}

char *
kl_json_dup_sanitized (const char *json,
                       gssize      length,
                       gsize      *out_length)
{
  g_autoptr(GString) valid = NULL;
  GString *out;
  gboolean in_string = FALSE;
  gsize size;

  g_return_val_if_fail (json != NULL || length == 0, NULL);
  g_return_val_if_fail (out_length != NULL, NULL);

  size = length < 0 ? strlen (json) : (gsize) length;
  if (g_utf8_validate_len (json, size, NULL) && !has_nul_escape (json, size))
    return NULL;

  valid = make_valid_with_nul (json, size);
  out = g_string_sized_new (valid->len);

  /* Only the escapes inside strings: outside, a backslash is a syntax error json-glib
   * reports anyway. Bytes of multibyte characters are never '"' or '\\'. */
  for (gsize i = 0; i < valid->len; i++)
    {
      char c = valid->str[i];

      if (!in_string)
        {
          in_string = c == '"';
          g_string_append_c (out, c);
        }
      else if (c == '"')
        {
          in_string = FALSE;
          g_string_append_c (out, c);
        }
      else if (c == '\\' && i + 1 < valid->len)
        {
          if (i + 5 < valid->len && memcmp (valid->str + i + 1, "u0000", 5) == 0)
            {
              g_string_append (out, "\\ufffd");
              i += 5;
            }
          else
            {
              g_string_append_c (out, c);
              g_string_append_c (out, valid->str[i + 1]);
              i++;
            }
        }
      else
        {
          g_string_append_c (out, c);
        }
    }

  explicit_bzero (valid->str, valid->len);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
kl_json_depth_is_safe (const char *json,
                       gssize      length)
{
  gsize size;
  gsize i;
  guint depth = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (json != NULL || length == 0, FALSE);

  size = length < 0 ? strlen (json) : (gsize) length;
  for (i = 0; i < size; i++)
    {
      char c = json[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        {
          in_string = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > KL_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        {
          depth--;
        }
    }

  return TRUE;
}

void
kl_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Pages: {"links":[{"href","rel"}], "results":[…], "totalCount":n}. */
typedef GObject *(*ItemFromNode) (JsonNode *node, GError **error);

static GPtrArray *
parse_page (const char    *json,
            gssize         length,
            ItemFromNode   item_from_node,
            gboolean      *has_next,
            GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *object;
  JsonArray *results;
  JsonArray *links;
  gboolean next = FALSE;
  guint i;

  if (has_next != NULL)
    *has_next = FALSE;

  if (!(root = parse_root (json, length, error)))
    return NULL;
  if (!(object = node_get_object (root, "the page", error)))
    return NULL;
  if (!member_array (object, "results", &results, error))
    return NULL;
  if (results == NULL)
    {
      kl_error_set_bad_response (error, "page without \"results\"");
      return NULL;
    }
  if (!member_array (object, "links", &links, error))
    return NULL;

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < json_array_get_length (results); i++)
    {
      GObject *item = item_from_node (json_array_get_element (results, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  for (i = 0; links != NULL && i < json_array_get_length (links); i++)
    {
      g_autofree char *rel = NULL;
      JsonObject *link;

      if (!(link = node_get_object (json_array_get_element (links, i), "a link", error)))
        return NULL;
      if (!member_string (link, "rel", &rel, error))
        return NULL;
      if (g_strcmp0 (rel, "next") == 0)
        next = TRUE;
    }

  if (has_next != NULL)
    *has_next = next;

  return g_steal_pointer (&items);
}

/* ------------------------------------------------------------------------------------------ */
/* Bodies that may hold a secret: written once into a buffer sized beforehand (so it is never */
/* reallocated and copied), handed out in a GBytes that zeroes the buffer when freed.         */

typedef struct
{
  char  *data;
  gsize  length;
  gsize  capacity;
} SecureBuffer;

static void
secure_buffer_free (gpointer user_data)
{
  SecureBuffer *buffer = user_data;

  explicit_bzero (buffer->data, buffer->capacity);
  g_free (buffer->data);
  g_free (buffer);
}

static gsize
json_string_bound (const char *text)
{
  /* "…" with every byte escaped as \u00XX at worst. */
  return 2 + 6 * (text != NULL ? strlen (text) : 0);
}

static SecureBuffer *
secure_buffer_new (gsize capacity)
{
  SecureBuffer *buffer = g_new0 (SecureBuffer, 1);

  buffer->capacity = capacity + 1;
  buffer->data = g_malloc0 (buffer->capacity);
  return buffer;
}

static void
secure_buffer_append (SecureBuffer *buffer,
                      const char   *text)
{
  gsize len = strlen (text);

  g_assert (buffer->length + len < buffer->capacity);
  memcpy (buffer->data + buffer->length, text, len);
  buffer->length += len;
}

static void
secure_buffer_append_c (SecureBuffer *buffer,
                        char          c)
{
  g_assert (buffer->length + 1 < buffer->capacity);
  buffer->data[buffer->length++] = c;
}

static void
secure_buffer_append_json_string (SecureBuffer *buffer,
                                  const char   *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *p;

  secure_buffer_append_c (buffer, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          secure_buffer_append_c (buffer, '\\');
          secure_buffer_append_c (buffer, (char) c);
        }
      else if (c < 0x20 || c == 0x7f)
        {
          secure_buffer_append (buffer, "\\u00");
          secure_buffer_append_c (buffer, hex[c >> 4]);
          secure_buffer_append_c (buffer, hex[c & 0xf]);
        }
      else
        {
          secure_buffer_append_c (buffer, (char) c);
        }
    }
  secure_buffer_append_c (buffer, '"');
}

static GBytes *
secure_buffer_to_bytes (SecureBuffer *buffer)
{
  return g_bytes_new_with_free_func (buffer->data, buffer->length,
                                     secure_buffer_free, buffer);
}

/* ------------------------------------------------------------------------------------------ */
/* KlProject                                                                                   */

struct _KlProject
{
  GObject parent_instance;

  char *id;
  char *name;
  char *org_id;
  char *created;
  gint64 cluster_count;
};

G_DEFINE_FINAL_TYPE (KlProject, kl_project, G_TYPE_OBJECT)

enum {
  PROJECT_PROP_0,
  PROJECT_PROP_ID,
  PROJECT_PROP_NAME,
  PROJECT_PROP_ORG_ID,
  PROJECT_PROP_CLUSTER_COUNT,
  PROJECT_N_PROPS
};

static GParamSpec *project_properties[PROJECT_N_PROPS];

static void
kl_project_finalize (GObject *object)
{
  KlProject *self = (KlProject *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->org_id);
  g_free (self->created);

  G_OBJECT_CLASS (kl_project_parent_class)->finalize (object);
}

static void
kl_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlProject *self = KL_PROJECT (object);

  switch (prop_id)
    {
    case PROJECT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROJECT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROJECT_PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;
    case PROJECT_PROP_CLUSTER_COUNT:
      g_value_set_int64 (value, self->cluster_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_project_class_init (KlProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_project_finalize;
  object_class->get_property = kl_project_get_property;

  project_properties[PROJECT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_ORG_ID] =
    g_param_spec_string ("org-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_CLUSTER_COUNT] =
    g_param_spec_int64 ("cluster-count", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PROJECT_N_PROPS, project_properties);
}

static void
kl_project_init (KlProject *self)
{
  self->cluster_count = -1;
}

KlProject *
kl_project_new_from_node (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(KlProject) self = g_object_new (KL_TYPE_PROJECT, NULL);
  JsonObject *object;

  if (!(object = node_get_object (node, "a project", error)))
    return NULL;

  if (!member_string (object, "id", &self->id, error) ||
      !member_string (object, "name", &self->name, error) ||
      !member_string (object, "orgId", &self->org_id, error) ||
      !member_string (object, "created", &self->created, error) ||
      !member_int (object, "clusterCount", &self->cluster_count, error))
    return NULL;

  if (!kl_atlas_id_is_valid (self->id))
    {
      kl_error_set_bad_response (error, "project without a valid \"id\"");
      return NULL;
    }
  if (self->name == NULL)
    {
      kl_error_set_bad_response (error, "project %s without \"name\"", self->id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

KlProject *
kl_project_parse (const char  *json,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_project_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_project_parse_page (const char  *json,
                       gssize       length,
                       gboolean    *has_next,
                       GError     **error)
{
  return parse_page (json, length, (ItemFromNode) kl_project_new_from_node, has_next, error);
}

const char *
kl_project_get_id (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->id;
}

const char *
kl_project_get_name (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->name;
}

const char *
kl_project_get_org_id (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->org_id;
}

gint64
kl_project_get_cluster_count (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), -1);
  return self->cluster_count;
}

const char *
kl_project_get_created (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->created;
}

/* ------------------------------------------------------------------------------------------ */
/* KlAzureKeyVault                                                                             */

struct _KlAzureKeyVault
{
  GObject parent_instance;

  char *azure_environment;
  char *client_id;
  char *tenant_id;
  char *subscription_id;
  char *resource_group_name;
  char *key_vault_name;
  char *key_identifier;
  char *role_id;
  char *secret;

  guint enabled : 1;
  guint has_enabled : 1;
  guint require_private_networking : 1;
  guint has_require_private_networking : 1;
  guint valid : 1;
};

G_DEFINE_FINAL_TYPE (KlAzureKeyVault, kl_azure_key_vault, G_TYPE_OBJECT)

static void
kl_azure_key_vault_finalize (GObject *object)
{
  KlAzureKeyVault *self = (KlAzureKeyVault *) object;

  g_free (self->azure_environment);
  g_free (self->client_id);
  g_free (self->tenant_id);
  g_free (self->subscription_id);
  g_free (self->resource_group_name);
  g_free (self->key_vault_name);
  g_free (self->key_identifier);
  g_free (self->role_id);
  kl_secret_free (self->secret);

  G_OBJECT_CLASS (kl_azure_key_vault_parent_class)->finalize (object);
}

static void
kl_azure_key_vault_class_init (KlAzureKeyVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_azure_key_vault_finalize;
}

static void
kl_azure_key_vault_init (KlAzureKeyVault *self)
{
}

KlAzureKeyVault *
kl_azure_key_vault_new (void)
{
  return g_object_new (KL_TYPE_AZURE_KEY_VAULT, NULL);
}

KlAzureKeyVault *
kl_azure_key_vault_new_from_node (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(KlAzureKeyVault) self = kl_azure_key_vault_new ();
  JsonObject *object;
  gboolean enabled = FALSE;
  gboolean require = FALSE;
  gboolean valid = FALSE;
  gboolean present_enabled;
  gboolean present_require;

  if (!(object = node_get_object (node, "azureKeyVault", error)))
    return NULL;

  /* "secret" is write-only: never read back, even if a server sends it. */
  if (!member_string (object, "azureEnvironment", &self->azure_environment, error) ||
      !member_string (object, "clientID", &self->client_id, error) ||
      !member_string (object, "tenantID", &self->tenant_id, error) ||
      !member_string (object, "subscriptionID", &self->subscription_id, error) ||
      !member_string (object, "resourceGroupName", &self->resource_group_name, error) ||
      !member_string (object, "keyVaultName", &self->key_vault_name, error) ||
      !member_string (object, "keyIdentifier", &self->key_identifier, error) ||
      !member_string (object, "roleId", &self->role_id, error) ||
      !member_boolean (object, "enabled", &enabled, &present_enabled, error) ||
      !member_boolean (object, "requirePrivateNetworking", &require, &present_require, error) ||
      !member_boolean (object, "valid", &valid, NULL, error))
    return NULL;

  self->enabled = enabled;
  self->has_enabled = present_enabled;
  self->require_private_networking = require;
  self->has_require_private_networking = present_require;
  self->valid = valid;

  return g_steal_pointer (&self);
}

KlAzureKeyVault *
kl_azure_key_vault_copy (KlAzureKeyVault *self)
{
  KlAzureKeyVault *copy;

  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), NULL);

  copy = kl_azure_key_vault_new ();
  copy->azure_environment = g_strdup (self->azure_environment);
  copy->client_id = g_strdup (self->client_id);
  copy->tenant_id = g_strdup (self->tenant_id);
  copy->subscription_id = g_strdup (self->subscription_id);
  copy->resource_group_name = g_strdup (self->resource_group_name);
  copy->key_vault_name = g_strdup (self->key_vault_name);
  copy->key_identifier = g_strdup (self->key_identifier);
  copy->role_id = g_strdup (self->role_id);
  copy->secret = g_strdup (self->secret);
  copy->enabled = self->enabled;
  copy->has_enabled = self->has_enabled;
  copy->require_private_networking = self->require_private_networking;
  copy->has_require_private_networking = self->has_require_private_networking;
  copy->valid = self->valid;

  return copy;
}

#define AKV_STRING_ACCESSORS(field)                                              \
  const char *                                                                  \
  kl_azure_key_vault_get_##field (KlAzureKeyVault *self)                        \
  {                                                                             \
    g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), NULL);                  \
    return self->field;                                                         \
  }                                                                             \
                                                                                \
  void                                                                          \
  kl_azure_key_vault_set_##field (KlAzureKeyVault *self,                        \
                                  const char      *value)                       \
  {                                                                             \
    g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));                            \
    if (g_strcmp0 (self->field, value) == 0)                                    \
      return;                                                                   \
    g_free (self->field);                                                       \
    self->field = g_strdup (value);                                             \
  }

AKV_STRING_ACCESSORS (azure_environment)
AKV_STRING_ACCESSORS (client_id)
AKV_STRING_ACCESSORS (tenant_id)
AKV_STRING_ACCESSORS (subscription_id)
AKV_STRING_ACCESSORS (resource_group_name)
AKV_STRING_ACCESSORS (key_vault_name)
AKV_STRING_ACCESSORS (key_identifier)
AKV_STRING_ACCESSORS (role_id)

#undef AKV_STRING_ACCESSORS

gboolean
kl_azure_key_vault_get_enabled (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->enabled;
}

gboolean
kl_azure_key_vault_get_require_private_networking (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->require_private_networking;
}

gboolean
kl_azure_key_vault_get_valid (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->valid;
}

gboolean
kl_azure_key_vault_has_secret (KlAzureKeyVault *self)
{
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (self), FALSE);
  return self->secret != NULL && self->secret[0] != '\0';
}

void
kl_azure_key_vault_set_secret (KlAzureKeyVault *self,
                               const char      *secret)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  kl_secret_free (g_steal_pointer (&self->secret));
  self->secret = g_strdup (secret);
}

void
kl_azure_key_vault_set_enabled (KlAzureKeyVault *self,
                                gboolean         enabled)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  self->enabled = !!enabled;
  self->has_enabled = TRUE;
}

void
kl_azure_key_vault_set_require_private_networking (KlAzureKeyVault *self,
                                                   gboolean         require)
{
  g_return_if_fail (KL_IS_AZURE_KEY_VAULT (self));

  self->require_private_networking = !!require;
  self->has_require_private_networking = TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* KlEncryptionAtRest                                                                          */

struct _KlEncryptionAtRest
{
  GObject parent_instance;

  KlAzureKeyVault *azure_key_vault;
  gboolean aws_kms_enabled;
  gboolean google_cloud_kms_enabled;
};

G_DEFINE_FINAL_TYPE (KlEncryptionAtRest, kl_encryption_at_rest, G_TYPE_OBJECT)

static void
kl_encryption_at_rest_finalize (GObject *object)
{
  KlEncryptionAtRest *self = (KlEncryptionAtRest *) object;

  g_clear_object (&self->azure_key_vault);

  G_OBJECT_CLASS (kl_encryption_at_rest_parent_class)->finalize (object);
}

static void
kl_encryption_at_rest_class_init (KlEncryptionAtRestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_encryption_at_rest_finalize;
}

static void
kl_encryption_at_rest_init (KlEncryptionAtRest *self)
{
}

static gboolean
provider_enabled (JsonObject  *object,
                  const char  *name,
                  gboolean    *enabled,
                  GError     **error)
{
  JsonObject *provider;

  *enabled = FALSE;
  if (!member_object (object, name, &provider, error))
    return FALSE;

  return provider == NULL || member_boolean (provider, "enabled", enabled, NULL, error);
}

KlEncryptionAtRest *
kl_encryption_at_rest_new_from_node (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(KlEncryptionAtRest) self = g_object_new (KL_TYPE_ENCRYPTION_AT_REST, NULL);
  JsonObject *object;
  JsonNode *akv;

  if (!(object = node_get_object (node, "encryptionAtRest", error)))
    return NULL;

  akv = json_object_get_member (object, "azureKeyVault");
  if (akv == NULL || JSON_NODE_HOLDS_NULL (akv))
    self->azure_key_vault = kl_azure_key_vault_new ();
  else if (!(self->azure_key_vault = kl_azure_key_vault_new_from_node (akv, error)))
    return NULL;

  if (!provider_enabled (object, "awsKms", &self->aws_kms_enabled, error) ||
      !provider_enabled (object, "googleCloudKms", &self->google_cloud_kms_enabled, error))
    return NULL;

  return g_steal_pointer (&self);
}

KlEncryptionAtRest *
kl_encryption_at_rest_parse (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_encryption_at_rest_new_from_node (root, error) : NULL;
}

KlAzureKeyVault *
kl_encryption_at_rest_get_azure_key_vault (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), NULL);
  return self->azure_key_vault;
}

gboolean
kl_encryption_at_rest_get_aws_kms_enabled (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), FALSE);
  return self->aws_kms_enabled;
}

gboolean
kl_encryption_at_rest_get_google_cloud_kms_enabled (KlEncryptionAtRest *self)
{
  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (self), FALSE);
  return self->google_cloud_kms_enabled;
}

/* The string fields of azureKeyVault in the order they are sent. */
typedef struct
{
  const char *json_name;
  gsize       offset;
  gboolean    case_insensitive;  /* GUIDs and Azure names compare without case */
  gboolean    required;          /* for the first enablement */
  gboolean    frozen;            /* cannot change once private networking is set up */
} AkvField;

static const AkvField akv_fields[] = {
  { "azureEnvironment", G_STRUCT_OFFSET (KlAzureKeyVault, azure_environment), FALSE, TRUE, FALSE },
  { "clientID", G_STRUCT_OFFSET (KlAzureKeyVault, client_id), TRUE, TRUE, FALSE },
  { "tenantID", G_STRUCT_OFFSET (KlAzureKeyVault, tenant_id), TRUE, TRUE, FALSE },
  { "subscriptionID", G_STRUCT_OFFSET (KlAzureKeyVault, subscription_id), TRUE, TRUE, TRUE },
  { "resourceGroupName", G_STRUCT_OFFSET (KlAzureKeyVault, resource_group_name), TRUE, TRUE, TRUE },
  { "keyVaultName", G_STRUCT_OFFSET (KlAzureKeyVault, key_vault_name), TRUE, TRUE, TRUE },
  { "keyIdentifier", G_STRUCT_OFFSET (KlAzureKeyVault, key_identifier), FALSE, TRUE, FALSE },
  { "roleId", G_STRUCT_OFFSET (KlAzureKeyVault, role_id), FALSE, FALSE, FALSE },
};

static const char *
akv_field_value (KlAzureKeyVault *akv,
                 const AkvField  *field)
{
  return akv != NULL ? G_STRUCT_MEMBER (const char *, akv, field->offset) : NULL;
}

static gboolean
akv_value_set (const char *value)
{
  return value != NULL && value[0] != '\0';
}

static const char *
akv_field_label (const char *json_name)
{
  static const struct { const char *json_name; const char *label; } labels[] = {
    { "azureEnvironment", N_("Azure environment") },
    { "clientID", N_("Client ID") },
    { "tenantID", N_("Tenant ID") },
    { "subscriptionID", N_("Subscription ID") },
    { "resourceGroupName", N_("Resource group") },
    { "keyVaultName", N_("Key vault name") },
    { "keyIdentifier", N_("Key identifier") },
    { "secret", N_("Client secret") },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (strcmp (labels[i].json_name, json_name) == 0)
        return _(labels[i].label);
    }

  return json_name;
}

GBytes *
kl_encryption_at_rest_build_patch (KlAzureKeyVault  *current,
                                   KlAzureKeyVault  *wanted,
                                   GError          **error)
{
  gboolean first = current == NULL || !current->enabled;
  gboolean send[G_N_ELEMENTS (akv_fields)] = { FALSE, };
  gboolean send_secret;
  gboolean send_require;
  gboolean any = FALSE;
  SecureBuffer *buffer;
  gsize capacity = 64;
  guint i;

  g_return_val_if_fail (current == NULL || KL_IS_AZURE_KEY_VAULT (current), NULL);
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (wanted), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (akv_fields); i++)
    {
      const AkvField *field = &akv_fields[i];
      const char *value = akv_field_value (wanted, field);
      const char *before = akv_field_value (current, field);

      if (first)
        {
          if (field->required && !akv_value_set (value))
            {
              g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("“%s” is missing. Fill it in before turning on encryption with "
                             "your key."),
                           akv_field_label (field->json_name));
              return NULL;
            }
          send[i] = akv_value_set (value);
        }
      else if (akv_value_set (value))
        {
          gboolean same = before != NULL &&
                          (field->case_insensitive ? g_ascii_strcasecmp (before, value) == 0
                                                   : strcmp (before, value) == 0);

          if (!same && field->frozen && current->require_private_networking)
            {
              g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                           _("“%s” cannot change while Atlas reaches the key vault over private "
                             "networking. Keep the current value, or turn off private networking "
                             "first."),
                           akv_field_label (field->json_name));
              return NULL;
            }
          send[i] = !same;
        }

      if (send[i])
        capacity += strlen (field->json_name) + 4 + json_string_bound (value);
    }

  send_secret = kl_azure_key_vault_has_secret (wanted);
  if (first && !send_secret)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                   _("“%s” is missing. Fill it in before turning on encryption with your key."),
                   akv_field_label ("secret"));
      return NULL;
    }
  if (send_secret)
    capacity += strlen ("secret") + 4 + json_string_bound (wanted->secret);

  if (first)
    send_require = wanted->has_require_private_networking;
  else
    send_require = wanted->has_require_private_networking &&
                   wanted->require_private_networking != current->require_private_networking;

  buffer = secure_buffer_new (capacity + 64);
  secure_buffer_append (buffer, "{\"azureKeyVault\":{");

  for (i = 0; i < G_N_ELEMENTS (akv_fields); i++)
    {
      if (!send[i])
        continue;
      if (any)
        secure_buffer_append_c (buffer, ',');
      secure_buffer_append_json_string (buffer, akv_fields[i].json_name);
      secure_buffer_append_c (buffer, ':');
      secure_buffer_append_json_string (buffer, akv_field_value (wanted, &akv_fields[i]));
      any = TRUE;
    }

  if (send_secret)
    {
      if (any)
        secure_buffer_append_c (buffer, ',');
      secure_buffer_append (buffer, "\"secret\":");
      secure_buffer_append_json_string (buffer, wanted->secret);
      any = TRUE;
    }

  if (first)
    {
      if (any)
        secure_buffer_append_c (buffer, ',');
      secure_buffer_append (buffer, "\"enabled\":true");
      any = TRUE;
    }

  if (send_require)
    {
      if (any)
        secure_buffer_append_c (buffer, ',');
      secure_buffer_append (buffer, wanted->require_private_networking
                                      ? "\"requirePrivateNetworking\":true"
                                      : "\"requirePrivateNetworking\":false");
    }

  secure_buffer_append (buffer, "}}");

  return secure_buffer_to_bytes (buffer);
}

GBytes *
kl_encryption_at_rest_build_private_networking (gboolean require)
{
  const char *body = require
                       ? "{\"azureKeyVault\":{\"requirePrivateNetworking\":true}}"
                       : "{\"azureKeyVault\":{\"requirePrivateNetworking\":false}}";

  return g_bytes_new_static (body, strlen (body));
}

GBytes *
kl_encryption_at_rest_build_disable (void)
{
  static const char body[] = "{\"azureKeyVault\":{\"enabled\":false}}";

  return g_bytes_new_static (body, sizeof body - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* KlPrivateEndpoint                                                                           */

struct _KlPrivateEndpoint
{
  GObject parent_instance;

  char *id;
  char *cloud_provider;
  char *region_name;
  char *status_text;
  char *error_message;
  char *connection_name;
  KlEndpointStatus status;
};

G_DEFINE_FINAL_TYPE (KlPrivateEndpoint, kl_private_endpoint, G_TYPE_OBJECT)

enum {
  ENDPOINT_PROP_0,
  ENDPOINT_PROP_ID,
  ENDPOINT_PROP_REGION_NAME,
  ENDPOINT_PROP_STATUS,
  ENDPOINT_PROP_STATUS_TEXT,
  ENDPOINT_PROP_ERROR_MESSAGE,
  ENDPOINT_PROP_CONNECTION_NAME,
  ENDPOINT_N_PROPS
};

static GParamSpec *endpoint_properties[ENDPOINT_N_PROPS];

/* How much a record counts as its region's state: a record Atlas is replacing or removing
 * counts less than any other. */
static int
endpoint_rank (KlPrivateEndpoint *endpoint)
{
  KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);

  return status == KL_ENDPOINT_STATUS_PENDING_RECREATION ||
         status == KL_ENDPOINT_STATUS_DELETING ? 0 : 1;
}

gboolean
kl_private_endpoint_is_newer (KlPrivateEndpoint *a,
                              KlPrivateEndpoint *b)
{
  int rank_a, rank_b;

  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (a), FALSE);
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (b), FALSE);

  rank_a = endpoint_rank (a);
  rank_b = endpoint_rank (b);
  if (rank_a != rank_b)
    return rank_a > rank_b;

  /* Ids are 24 lowercase hex digits: as strings they sort as numbers do. */
  return g_strcmp0 (kl_private_endpoint_get_id (a), kl_private_endpoint_get_id (b)) > 0;
}

KlPrivateEndpoint *
kl_private_endpoints_find_newest (GPtrArray  *endpoints,
                                  const char *region_name)
{
  KlPrivateEndpoint *newest = NULL;

  g_return_val_if_fail (region_name != NULL, NULL);

  for (guint i = 0; endpoints != NULL && i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);

      if (g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), region_name) != 0)
        continue;
      if (newest == NULL || kl_private_endpoint_is_newer (endpoint, newest))
        newest = endpoint;
    }

  return newest;
}

GPtrArray *
kl_private_endpoints_dup_newest (GPtrArray *endpoints)
{
  GPtrArray *newest = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; endpoints != NULL && i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      if (region == NULL)
        {
          /* No region to follow it by: a record of its own. */
          g_ptr_array_add (newest, g_object_ref (endpoint));
          continue;
        }
      if (!g_hash_table_add (seen, (gpointer) region))
        continue;
      g_ptr_array_add (newest, g_object_ref (kl_private_endpoints_find_newest (endpoints, region)));
    }

  return newest;
}

KlPrivateEndpoint *
kl_private_endpoints_find_superseded (GPtrArray         *endpoints,
                                      KlPrivateEndpoint *endpoint)
{
  const char *region;
  KlPrivateEndpoint *found = NULL;

  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (endpoint), NULL);

  region = kl_private_endpoint_get_region_name (endpoint);
  if (region == NULL)
    return NULL;

  for (guint i = 0; endpoints != NULL && i < endpoints->len; i++)
    {
      KlPrivateEndpoint *other = g_ptr_array_index (endpoints, i);
      const char *message = kl_private_endpoint_get_error_message (other);

      if (other == endpoint ||
          g_strcmp0 (kl_private_endpoint_get_id (other), kl_private_endpoint_get_id (endpoint)) == 0 ||
          g_strcmp0 (kl_private_endpoint_get_region_name (other), region) != 0 ||
          message == NULL || message[0] == '\0' ||
          !kl_private_endpoint_is_newer (endpoint, other))
        continue;
      if (found == NULL || kl_private_endpoint_is_newer (other, found))
        found = other;
    }

  return found;
}

static const char * const endpoint_status_names[] = {
  [KL_ENDPOINT_STATUS_UNKNOWN] = NULL,
  [KL_ENDPOINT_STATUS_INITIATING] = "INITIATING",
  [KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE] = "PENDING_ACCEPTANCE",
  [KL_ENDPOINT_STATUS_ACTIVE] = "ACTIVE",
  [KL_ENDPOINT_STATUS_PENDING_RECREATION] = "PENDING_RECREATION",
  [KL_ENDPOINT_STATUS_FAILED] = "FAILED",
  [KL_ENDPOINT_STATUS_DELETING] = "DELETING",
};

KlEndpointStatus
kl_endpoint_status_from_string (const char *text)
{
  guint i;

  for (i = 1; text != NULL && i < G_N_ELEMENTS (endpoint_status_names); i++)
    {
      if (strcmp (text, endpoint_status_names[i]) == 0)
        return (KlEndpointStatus) i;
    }

  return KL_ENDPOINT_STATUS_UNKNOWN;
}

const char *
kl_endpoint_status_to_string (KlEndpointStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (endpoint_status_names))
    return NULL;

  return endpoint_status_names[status];
}

static void
kl_private_endpoint_finalize (GObject *object)
{
  KlPrivateEndpoint *self = (KlPrivateEndpoint *) object;

  g_free (self->id);
  g_free (self->cloud_provider);
  g_free (self->region_name);
  g_free (self->status_text);
  g_free (self->error_message);
  g_free (self->connection_name);

  G_OBJECT_CLASS (kl_private_endpoint_parent_class)->finalize (object);
}

static void
kl_private_endpoint_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KlPrivateEndpoint *self = KL_PRIVATE_ENDPOINT (object);

  switch (prop_id)
    {
    case ENDPOINT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case ENDPOINT_PROP_REGION_NAME:
      g_value_set_string (value, self->region_name);
      break;
    case ENDPOINT_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case ENDPOINT_PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case ENDPOINT_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case ENDPOINT_PROP_CONNECTION_NAME:
      g_value_set_string (value, self->connection_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_private_endpoint_class_init (KlPrivateEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_private_endpoint_finalize;
  object_class->get_property = kl_private_endpoint_get_property;

  endpoint_properties[ENDPOINT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  endpoint_properties[ENDPOINT_PROP_REGION_NAME] =
    g_param_spec_string ("region-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  endpoint_properties[ENDPOINT_PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, KL_TYPE_ENDPOINT_STATUS,
                       KL_ENDPOINT_STATUS_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  endpoint_properties[ENDPOINT_PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  endpoint_properties[ENDPOINT_PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  endpoint_properties[ENDPOINT_PROP_CONNECTION_NAME] =
    g_param_spec_string ("private-endpoint-connection-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ENDPOINT_N_PROPS, endpoint_properties);
}

static void
kl_private_endpoint_init (KlPrivateEndpoint *self)
{
}

KlPrivateEndpoint *
kl_private_endpoint_new_from_node (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(KlPrivateEndpoint) self = g_object_new (KL_TYPE_PRIVATE_ENDPOINT, NULL);
  JsonObject *object;

  if (!(object = node_get_object (node, "a private endpoint", error)))
    return NULL;

  if (!member_string (object, "id", &self->id, error) ||
      !member_string (object, "cloudProvider", &self->cloud_provider, error) ||
      !member_string (object, "regionName", &self->region_name, error) ||
      !member_string (object, "status", &self->status_text, error) ||
      !member_string (object, "errorMessage", &self->error_message, error) ||
      !member_string (object, "privateEndpointConnectionName", &self->connection_name, error))
    return NULL;

  if (!kl_atlas_id_is_valid (self->id))
    {
      kl_error_set_bad_response (error, "private endpoint without a valid \"id\"");
      return NULL;
    }

  self->status = kl_endpoint_status_from_string (self->status_text);

  return g_steal_pointer (&self);
}

KlPrivateEndpoint *
kl_private_endpoint_parse (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_private_endpoint_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_private_endpoint_parse_page (const char  *json,
                                gssize       length,
                                gboolean    *has_next,
                                GError     **error)
{
  return parse_page (json, length, (ItemFromNode) kl_private_endpoint_new_from_node,
                     has_next, error);
}

const char *
kl_private_endpoint_get_id (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->id;
}

const char *
kl_private_endpoint_get_region_name (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->region_name;
}

const char *
kl_private_endpoint_get_cloud_provider (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->cloud_provider;
}

KlEndpointStatus
kl_private_endpoint_get_status (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), KL_ENDPOINT_STATUS_UNKNOWN);
  return self->status;
}

const char *
kl_private_endpoint_get_status_text (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->status_text;
}

const char *
kl_private_endpoint_get_error_message (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->error_message;
}

const char *
kl_private_endpoint_get_private_endpoint_connection_name (KlPrivateEndpoint *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (self), NULL);
  return self->connection_name;
}

static GBytes *
build_single_string_object (const char *name,
                            const char *value)
{
  SecureBuffer *buffer;

  buffer = secure_buffer_new (strlen (name) + json_string_bound (value) + 8);
  secure_buffer_append_c (buffer, '{');
  secure_buffer_append_json_string (buffer, name);
  secure_buffer_append_c (buffer, ':');
  secure_buffer_append_json_string (buffer, value);
  secure_buffer_append_c (buffer, '}');

  return secure_buffer_to_bytes (buffer);
}

GBytes *
kl_private_endpoint_build_create (const char *region_name)
{
  g_return_val_if_fail (region_name != NULL, NULL);

  return build_single_string_object ("regionName", region_name);
}

/* ------------------------------------------------------------------------------------------ */
/* KlCluster                                                                                   */

struct _KlCluster
{
  GObject parent_instance;

  char *name;
  char *id;
  char *state_name;
  char *encryption_at_rest_provider;
  char *cluster_type;
  gboolean paused;

  GStringChunk *strings;
  GArray *region_configs; /* KlRegionConfig, strings in @strings */
  const char *instance_size;
  const char *provider_name;
  gboolean multi_cloud;
  gboolean tenant;
  gboolean flex;
  gboolean serverless;
};

G_DEFINE_FINAL_TYPE (KlCluster, kl_cluster, G_TYPE_OBJECT)

enum {
  CLUSTER_PROP_0,
  CLUSTER_PROP_NAME,
  CLUSTER_PROP_STATE_NAME,
  CLUSTER_PROP_PAUSED,
  CLUSTER_PROP_ENCRYPTION_AT_REST_PROVIDER,
  CLUSTER_PROP_CLUSTER_TYPE,
  CLUSTER_PROP_INSTANCE_SIZE,
  CLUSTER_PROP_PROVIDER_NAME,
  CLUSTER_PROP_MULTI_CLOUD,
  CLUSTER_PROP_TENANT,
  CLUSTER_PROP_FLEX,
  CLUSTER_PROP_SERVERLESS,
  CLUSTER_N_PROPS
};

static GParamSpec *cluster_properties[CLUSTER_N_PROPS];

static void
kl_cluster_finalize (GObject *object)
{
  KlCluster *self = (KlCluster *) object;

  g_free (self->name);
  g_free (self->id);
  g_free (self->state_name);
  g_free (self->encryption_at_rest_provider);
  g_free (self->cluster_type);
  g_array_unref (self->region_configs);
  g_string_chunk_free (self->strings);

  G_OBJECT_CLASS (kl_cluster_parent_class)->finalize (object);
}

static void
kl_cluster_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlCluster *self = KL_CLUSTER (object);

  switch (prop_id)
    {
    case CLUSTER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case CLUSTER_PROP_STATE_NAME:
      g_value_set_string (value, self->state_name);
      break;
    case CLUSTER_PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case CLUSTER_PROP_ENCRYPTION_AT_REST_PROVIDER:
      g_value_set_string (value, self->encryption_at_rest_provider);
      break;
    case CLUSTER_PROP_CLUSTER_TYPE:
      g_value_set_string (value, self->cluster_type);
      break;
    case CLUSTER_PROP_INSTANCE_SIZE:
      g_value_set_string (value, self->instance_size);
      break;
    case CLUSTER_PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case CLUSTER_PROP_MULTI_CLOUD:
      g_value_set_boolean (value, self->multi_cloud);
      break;
    case CLUSTER_PROP_TENANT:
      g_value_set_boolean (value, self->tenant);
      break;
    case CLUSTER_PROP_FLEX:
      g_value_set_boolean (value, self->flex);
      break;
    case CLUSTER_PROP_SERVERLESS:
      g_value_set_boolean (value, self->serverless);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_cluster_class_init (KlClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kl_cluster_finalize;
  object_class->get_property = kl_cluster_get_property;

  cluster_properties[CLUSTER_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_STATE_NAME] =
    g_param_spec_string ("state-name", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE, flags);
  cluster_properties[CLUSTER_PROP_ENCRYPTION_AT_REST_PROVIDER] =
    g_param_spec_string ("encryption-at-rest-provider", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_CLUSTER_TYPE] =
    g_param_spec_string ("cluster-type", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_INSTANCE_SIZE] =
    g_param_spec_string ("instance-size", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_PROVIDER_NAME] =
    g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  cluster_properties[CLUSTER_PROP_MULTI_CLOUD] =
    g_param_spec_boolean ("multi-cloud", NULL, NULL, FALSE, flags);
  cluster_properties[CLUSTER_PROP_TENANT] =
    g_param_spec_boolean ("tenant", NULL, NULL, FALSE, flags);
  cluster_properties[CLUSTER_PROP_FLEX] =
    g_param_spec_boolean ("flex", NULL, NULL, FALSE, flags);
  cluster_properties[CLUSTER_PROP_SERVERLESS] =
    g_param_spec_boolean ("serverless", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, CLUSTER_N_PROPS, cluster_properties);
}

static void
kl_cluster_init (KlCluster *self)
{
  self->strings = g_string_chunk_new (256);
  self->region_configs = g_array_new (FALSE, TRUE, sizeof (KlRegionConfig));
}

static const char *
chunk_dup (GStringChunk *chunk,
           const char   *text)
{
  return text != NULL ? g_string_chunk_insert_const (chunk, text) : NULL;
}

/* instanceSize (or effectiveInstanceSize, the truer one for tenants) of a hardware spec. */
static gboolean
spec_instance_size (JsonObject  *config,
                    const char  *spec_name,
                    char       **size,
                    GError     **error)
{
  g_autofree char *effective = NULL;
  JsonObject *spec;

  if (!member_object (config, spec_name, &spec, error))
    return FALSE;
  if (spec == NULL)
    return TRUE;

  if (!member_string (spec, "instanceSize", size, error) ||
      !member_string (spec, "effectiveInstanceSize", &effective, error))
    return FALSE;

  if (effective != NULL)
    {
      g_free (*size);
      *size = g_steal_pointer (&effective);
    }

  return TRUE;
}

static gboolean
parse_region_config (KlCluster   *self,
                     JsonNode    *node,
                     GError     **error)
{
  static const char * const spec_names[] = { "electableSpecs", "readOnlySpecs", "analyticsSpecs" };
  g_autofree char *provider = NULL;
  g_autofree char *backing = NULL;
  g_autofree char *region = NULL;
  g_autofree char *size = NULL;
  KlRegionConfig config;
  JsonObject *object;
  guint i;

  if (!(object = node_get_object (node, "a region config", error)))
    return FALSE;

  if (!member_string (object, "providerName", &provider, error) ||
      !member_string (object, "backingProviderName", &backing, error) ||
      !member_string (object, "regionName", &region, error))
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (spec_names) && size == NULL; i++)
    {
      if (!spec_instance_size (object, spec_names[i], &size, error))
        return FALSE;
    }

  config.provider_name = chunk_dup (self->strings, provider);
  config.backing_provider_name = chunk_dup (self->strings, backing);
  config.region_name = chunk_dup (self->strings, region);
  config.instance_size = chunk_dup (self->strings, size);
  g_array_append_val (self->region_configs, config);

  return TRUE;
}

static gboolean
is_tenant_size (const char *size)
{
  return g_strcmp0 (size, "M0") == 0 || g_strcmp0 (size, "M2") == 0 ||
         g_strcmp0 (size, "M5") == 0;
}

/* The cloud a config runs on: its provider, or for shared tiers the one underneath. */
static const char *
config_cloud (const KlRegionConfig *config)
{
  if (g_strcmp0 (config->provider_name, "TENANT") == 0 ||
      g_strcmp0 (config->provider_name, "FLEX") == 0 ||
      g_strcmp0 (config->provider_name, "SERVERLESS") == 0)
    return config->backing_provider_name;

  return config->provider_name;
}

static void
cluster_derive (KlCluster *self)
{
  const char *first_cloud = NULL;
  guint i;

  for (i = 0; i < self->region_configs->len; i++)
    {
      const KlRegionConfig *config = &g_array_index (self->region_configs, KlRegionConfig, i);
      const char *cloud = config_cloud (config);

      if (self->instance_size == NULL)
        self->instance_size = config->instance_size;
      if (self->provider_name == NULL)
        self->provider_name = config->provider_name;

      if (g_strcmp0 (config->provider_name, "SERVERLESS") == 0 ||
          (config->instance_size != NULL && g_str_has_prefix (config->instance_size, "SERVERLESS")))
        self->serverless = TRUE;
      else if (g_strcmp0 (config->provider_name, "FLEX") == 0 ||
               g_strcmp0 (config->instance_size, "FLEX") == 0)
        self->flex = TRUE;
      else if (g_strcmp0 (config->provider_name, "TENANT") == 0 ||
               is_tenant_size (config->instance_size))
        self->tenant = TRUE;

      if (cloud != NULL)
        {
          if (first_cloud == NULL)
            first_cloud = cloud;
          else if (strcmp (first_cloud, cloud) != 0)
            self->multi_cloud = TRUE;
        }
    }
}

KlCluster *
kl_cluster_new_from_node (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(KlCluster) self = g_object_new (KL_TYPE_CLUSTER, NULL);
  JsonObject *object;
  JsonArray *specs;
  guint i;

  if (!(object = node_get_object (node, "a cluster", error)))
    return NULL;

  if (!member_string (object, "name", &self->name, error) ||
      !member_string (object, "id", &self->id, error) ||
      !member_string (object, "stateName", &self->state_name, error) ||
      !member_string (object, "encryptionAtRestProvider",
                      &self->encryption_at_rest_provider, error) ||
      !member_string (object, "clusterType", &self->cluster_type, error) ||
      !member_boolean (object, "paused", &self->paused, NULL, error) ||
      !member_array (object, "replicationSpecs", &specs, error))
    return NULL;

  if (self->name == NULL || self->name[0] == '\0')
    {
      kl_error_set_bad_response (error, "cluster without \"name\"");
      return NULL;
    }

  for (i = 0; specs != NULL && i < json_array_get_length (specs); i++)
    {
      JsonObject *spec;
      JsonArray *configs;
      guint j;

      if (!(spec = node_get_object (json_array_get_element (specs, i), "a replication spec",
                                    error)))
        return NULL;
      if (!member_array (spec, "regionConfigs", &configs, error))
        return NULL;

      for (j = 0; configs != NULL && j < json_array_get_length (configs); j++)
        {
          if (!parse_region_config (self, json_array_get_element (configs, j), error))
            return NULL;
        }
    }

  cluster_derive (self);

  return g_steal_pointer (&self);
}

KlCluster *
kl_cluster_parse (const char  *json,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_cluster_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_cluster_parse_page (const char  *json,
                       gssize       length,
                       gboolean    *has_next,
                       GError     **error)
{
  return parse_page (json, length, (ItemFromNode) kl_cluster_new_from_node, has_next, error);
}

KlCluster *
kl_cluster_new_from_flex_node (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(KlCluster) self = g_object_new (KL_TYPE_CLUSTER, NULL);
  g_autofree char *provider = NULL;
  g_autofree char *backing = NULL;
  g_autofree char *region = NULL;
  JsonObject *object;
  JsonObject *settings;
  KlRegionConfig config;

  if (!(object = node_get_object (node, "a Flex cluster", error)))
    return NULL;

  if (!member_string (object, "name", &self->name, error) ||
      !member_string (object, "id", &self->id, error) ||
      !member_string (object, "stateName", &self->state_name, error) ||
      !member_string (object, "clusterType", &self->cluster_type, error) ||
      !member_object (object, "providerSettings", &settings, error))
    return NULL;

  if (self->name == NULL || self->name[0] == '\0')
    {
      kl_error_set_bad_response (error, "Flex cluster without \"name\"");
      return NULL;
    }

  if (settings != NULL &&
      (!member_string (settings, "providerName", &provider, error) ||
       !member_string (settings, "backingProviderName", &backing, error) ||
       !member_string (settings, "regionName", &region, error)))
    return NULL;

  /* Never on the key: the Flex API has no encryptionAtRestProvider. */
  self->encryption_at_rest_provider = g_strdup ("NONE");
  config.provider_name = chunk_dup (self->strings, provider != NULL ? provider : "FLEX");
  config.backing_provider_name = chunk_dup (self->strings, backing);
  config.region_name = chunk_dup (self->strings, region);
  config.instance_size = chunk_dup (self->strings, "FLEX");
  g_array_append_val (self->region_configs, config);

  cluster_derive (self);
  self->flex = TRUE;

  return g_steal_pointer (&self);
}

KlCluster *
kl_cluster_parse_flex (const char  *json,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_cluster_new_from_flex_node (root, error) : NULL;
}

GPtrArray *
kl_cluster_parse_flex_page (const char  *json,
                            gssize       length,
                            gboolean    *has_next,
                            GError     **error)
{
  return parse_page (json, length, (ItemFromNode) kl_cluster_new_from_flex_node, has_next,
                     error);
}

const char *
kl_cluster_get_name (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->name;
}

const char *
kl_cluster_get_id (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->id;
}

const char *
kl_cluster_get_state_name (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->state_name;
}

gboolean
kl_cluster_get_paused (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  return self->paused;
}

const char *
kl_cluster_get_encryption_at_rest_provider (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->encryption_at_rest_provider;
}

const char *
kl_cluster_get_cluster_type (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->cluster_type;
}

const KlRegionConfig *
kl_cluster_get_region_configs (KlCluster *self,
                               guint     *n_configs)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (n_configs != NULL, NULL);

  *n_configs = self->region_configs->len;
  return (const KlRegionConfig *) (gpointer) self->region_configs->data;
}

const char *
kl_cluster_get_instance_size (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->instance_size;
}

const char *
kl_cluster_get_provider_name (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), NULL);
  return self->provider_name;
}

gboolean
kl_cluster_is_multi_cloud (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  return self->multi_cloud;
}

gboolean
kl_cluster_uses_provider (KlCluster  *self,
                          const char *provider)
{
  guint i;

  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (provider != NULL, FALSE);

  for (i = 0; i < self->region_configs->len; i++)
    {
      const KlRegionConfig *config = &g_array_index (self->region_configs, KlRegionConfig, i);

      if (g_strcmp0 (config_cloud (config), provider) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
kl_cluster_is_tenant (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  return self->tenant;
}

gboolean
kl_cluster_is_flex (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  return self->flex;
}

gboolean
kl_cluster_is_serverless (KlCluster *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  return self->serverless;
}

gboolean
kl_cluster_check_cmk_eligible (KlCluster  *self,
                               GError    **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (KL_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The name inside Keylink's sentence: isolated, capped (kl-server-text.h). */
  name = kl_server_text_dup_short (self->name, KL_SERVER_TEXT_SHORT_CHARS);

  if (self->serverless)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                   _("“%s” is a serverless instance, which cannot use your own key. Move its "
                     "data to a dedicated cluster (M10 or larger) to encrypt it with your key."),
                   name);
      return FALSE;
    }

  if (self->flex)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                   _("“%s” is a Flex cluster, which cannot use your own key. Upgrade it to a "
                     "dedicated tier (M10 or larger) in Atlas, then come back."),
                   name);
      return FALSE;
    }

  if (self->tenant)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                   _("“%s” is a free or shared cluster (%s), which cannot use your own key. "
                     "Upgrade it to a dedicated tier (M10 or larger) in Atlas, then come back."),
                   name, self->instance_size != NULL ? self->instance_size : "M0");
      return FALSE;
    }

  if (self->multi_cloud)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                   _("“%s” runs on more than one cloud provider. Keys reached over Azure private "
                     "networking cannot encrypt multi-cloud clusters: keep this cluster on "
                     "Atlas-managed encryption, or move it to a single provider."),
                   name);
      return FALSE;
    }

  if (self->paused)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INELIGIBLE,
                   _("“%s” is paused. Resume it in Atlas, then turn on encryption with your key."),
                   name);
      return FALSE;
    }

  return TRUE;
}

GBytes *
kl_cluster_build_encryption_patch (const char *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return build_single_string_object ("encryptionAtRestProvider", provider);
}

/* ------------------------------------------------------------------------------------------ */
/* KlAtlasError                                                                                */

struct _KlAtlasError
{
  GObject parent_instance;

  guint http_status;
  char *error_code;
  char *detail;
  char *reason;
  JsonNode *parameters;
};

G_DEFINE_FINAL_TYPE (KlAtlasError, kl_atlas_error, G_TYPE_OBJECT)

static void
kl_atlas_error_finalize (GObject *object)
{
  KlAtlasError *self = (KlAtlasError *) object;

  g_free (self->error_code);
  g_free (self->detail);
  g_free (self->reason);
  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (kl_atlas_error_parent_class)->finalize (object);
}

static void
kl_atlas_error_class_init (KlAtlasErrorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_atlas_error_finalize;
}

static void
kl_atlas_error_init (KlAtlasError *self)
{
}

KlAtlasError *
kl_atlas_error_new (guint       http_status,
                    const char *error_code)
{
  KlAtlasError *self = g_object_new (KL_TYPE_ATLAS_ERROR, NULL);

  self->http_status = http_status;
  self->error_code = g_strdup (error_code);
  return self;
}

KlAtlasError *
kl_atlas_error_new_from_node (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(KlAtlasError) self = g_object_new (KL_TYPE_ATLAS_ERROR, NULL);
  JsonObject *object;
  JsonNode *status;
  JsonNode *parameters;

  if (!(object = node_get_object (node, "an error", error)))
    return NULL;

  if (!member_string (object, "errorCode", &self->error_code, error) ||
      !member_string (object, "detail", &self->detail, error) ||
      !member_string (object, "reason", &self->reason, error))
    return NULL;

  /* "error" is the HTTP status in Atlas errors, a string in OAuth 2 ones (RFC 6749 5.2:
   * {"error": "invalid_client", "error_description": "…"}). */
  status = json_object_get_member (object, "error");
  if (status != NULL && JSON_NODE_HOLDS_VALUE (status))
    {
      GType type = json_node_get_value_type (status);

      if (type == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (status);

          self->http_status = value > 0 && value < 1000 ? (guint) value : 0;
        }
      else if (type == G_TYPE_STRING && self->error_code == NULL)
        {
          self->error_code = g_utf8_make_valid (json_node_get_string (status), -1);
          if (self->detail == NULL &&
              !member_string (object, "error_description", &self->detail, error))
            return NULL;
        }
    }

  parameters = json_object_get_member (object, "parameters");
  if (parameters != NULL && !JSON_NODE_HOLDS_NULL (parameters))
    self->parameters = json_node_copy (parameters);

  if (self->error_code == NULL)
    {
      kl_error_set_bad_response (error, "error body without \"errorCode\"");
      return NULL;
    }

  return g_steal_pointer (&self);
}

KlAtlasError *
kl_atlas_error_parse (const char  *json,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = parse_root (json, length, error);

  return root != NULL ? kl_atlas_error_new_from_node (root, error) : NULL;
}

guint
kl_atlas_error_get_http_status (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), 0);
  return self->http_status;
}

const char *
kl_atlas_error_get_error_code (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->error_code;
}

const char *
kl_atlas_error_get_detail (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->detail;
}

const char *
kl_atlas_error_get_reason (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->reason;
}

JsonNode *
kl_atlas_error_get_parameters (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->parameters;
}

static void
flatten_parameter (JsonNode *node,
                   GString  *text)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        flatten_parameter (json_array_get_element (array, i), text);
      return;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (text->len > 0)
        g_string_append (text, ", ");

      if (type == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (node));
      else if (type == G_TYPE_INT64)
        g_string_append_printf (text, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        g_string_append_printf (text, "%g", json_node_get_double (node));
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (text, json_node_get_boolean (node) ? "true" : "false");
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *json = json_to_string (node, FALSE);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, json);
    }
}

char *
kl_atlas_error_dup_parameters_text (KlAtlasError *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);

  if (self->parameters == NULL)
    return NULL;

  flatten_parameter (self->parameters, text);
  if (text->len == 0)
    return NULL;

  return g_utf8_make_valid (text->str, (gssize) text->len);
}
