/* kl-atlas-json.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-atlas-json-private.h"
#include "kl-atlas-json.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* JSON helpers: every accessor checks the node's type and fails with KL_ERROR_BAD_RESPONSE.  */

JsonNode *
kl_json_parse_root (const char  *json,
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

JsonObject *
kl_json_node_get_object (JsonNode    *node,
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

gboolean
kl_json_member_string (JsonObject  *object,
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

gboolean
kl_json_member_boolean (JsonObject  *object,
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

gboolean
kl_json_member_int (JsonObject  *object,
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
gboolean
kl_json_member_object (JsonObject  *object,
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

gboolean
kl_json_member_array (JsonObject  *object,
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

GPtrArray *
kl_json_parse_page (const char         *json,
                    gssize              length,
                    KlJsonItemFromNode  item_from_node,
                    gboolean           *has_next,
                    GError            **error)
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

  if (!(root = kl_json_parse_root (json, length, error)))
    return NULL;
  if (!(object = kl_json_node_get_object (root, "the page", error)))
    return NULL;
  if (!kl_json_member_array (object, "results", &results, error))
    return NULL;
  if (results == NULL)
    {
      kl_error_set_bad_response (error, "page without \"results\"");
      return NULL;
    }
  if (!kl_json_member_array (object, "links", &links, error))
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

      if (!(link = kl_json_node_get_object (json_array_get_element (links, i), "a link", error)))
        return NULL;
      if (!kl_json_member_string (link, "rel", &rel, error))
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

static void
kl_secure_buffer_free (gpointer user_data)
{
  KlSecureBuffer *buffer = user_data;

  explicit_bzero (buffer->data, buffer->capacity);
  g_free (buffer->data);
  g_free (buffer);
}

gsize
kl_json_string_bound (const char *text)
{
  /* "…" with every byte escaped as \u00XX at worst. */
  return 2 + 6 * (text != NULL ? strlen (text) : 0);
}

KlSecureBuffer *
kl_secure_buffer_new (gsize capacity)
{
  KlSecureBuffer *buffer = g_new0 (KlSecureBuffer, 1);

  buffer->capacity = capacity + 1;
  buffer->data = g_malloc0 (buffer->capacity);
  return buffer;
}

void
kl_secure_buffer_append (KlSecureBuffer *buffer,
                         const char     *text)
{
  gsize len = strlen (text);

  g_assert (buffer->length + len < buffer->capacity);
  memcpy (buffer->data + buffer->length, text, len);
  buffer->length += len;
}

void
kl_secure_buffer_append_c (KlSecureBuffer *buffer,
                           char            c)
{
  g_assert (buffer->length + 1 < buffer->capacity);
  buffer->data[buffer->length++] = c;
}

void
kl_secure_buffer_append_json_string (KlSecureBuffer *buffer,
                                     const char     *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *p;

  kl_secure_buffer_append_c (buffer, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          kl_secure_buffer_append_c (buffer, '\\');
          kl_secure_buffer_append_c (buffer, (char) c);
        }
      else if (c < 0x20 || c == 0x7f)
        {
          kl_secure_buffer_append (buffer, "\\u00");
          kl_secure_buffer_append_c (buffer, hex[c >> 4]);
          kl_secure_buffer_append_c (buffer, hex[c & 0xf]);
        }
      else
        {
          kl_secure_buffer_append_c (buffer, (char) c);
        }
    }
  kl_secure_buffer_append_c (buffer, '"');
}

GBytes *
kl_secure_buffer_to_bytes (KlSecureBuffer *buffer)
{
  return g_bytes_new_with_free_func (buffer->data, buffer->length,
                                     kl_secure_buffer_free, buffer);
}

GBytes *
kl_json_build_single_string_object (const char *name,
                                    const char *value)
{
  KlSecureBuffer *buffer;

  buffer = kl_secure_buffer_new (strlen (name) + kl_json_string_bound (value) + 8);
  kl_secure_buffer_append_c (buffer, '{');
  kl_secure_buffer_append_json_string (buffer, name);
  kl_secure_buffer_append_c (buffer, ':');
  kl_secure_buffer_append_json_string (buffer, value);
  kl_secure_buffer_append_c (buffer, '}');

  return kl_secure_buffer_to_bytes (buffer);
}
