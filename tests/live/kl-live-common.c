/* kl-live-common.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-live-common.h"
#include "kl-schema-check.h"

struct _KlLiveChecker
{
  KlSchemaCheck *atlas;
  KlSchemaCheck *flex;
  GHashTable    *codes;  /* the catalogue's error codes */
  GHashTable    *told;   /* notes already given */
  GRegex        *unknown_member;
  GRegex        *unknown_enum;
};

/* How many unknown members or values one answer may shed before the check gives up. */
#define MAX_RELAXATIONS 500

static GHashTable *
load_catalogue (const char  *path,
                GError     **error)
{
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  /* The first line names the columns: code, http_status, message_template, source. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *tab = strchr (lines[i], '\t');

      if (tab != NULL && tab != lines[i])
        g_hash_table_add (codes, g_strndup (lines[i], tab - lines[i]));
    }
  if (g_hash_table_size (codes) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s holds no error code", path);
      return NULL;
    }
  return g_steal_pointer (&codes);
}

KlLiveChecker *
kl_live_checker_new (const char  *spec_dir,
                     const char  *catalogue,
                     GError     **error)
{
  g_autofree char *atlas_path = g_build_filename (spec_dir, "atlas-admin-v2-subset.json", NULL);
  g_autofree char *flex_path = g_build_filename (spec_dir, "flex-clusters-subset.json", NULL);
  g_autoptr(KlSchemaCheck) atlas = NULL;
  g_autoptr(KlSchemaCheck) flex = NULL;
  g_autoptr(GHashTable) codes = NULL;
  KlLiveChecker *self;

  if ((atlas = kl_schema_check_new_from_file (atlas_path, error)) == NULL
      || (flex = kl_schema_check_new_from_file (flex_path, error)) == NULL
      || (codes = load_catalogue (catalogue, error)) == NULL)
    return NULL;

  self = g_new0 (KlLiveChecker, 1);
  self->atlas = g_steal_pointer (&atlas);
  self->flex = g_steal_pointer (&flex);
  self->codes = g_steal_pointer (&codes);
  self->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* kl-schema-check.c's messages: "<where>: member “<name>” is not declared by the schema"
   * and "<where>: <json> is not one of the enum values", possibly inside a oneOf's list. */
  self->unknown_member = g_regex_new ("(\\$[^:\\s]*): member “([^”]+)” is not declared by the "
                                      "schema", 0, 0, NULL);
  self->unknown_enum = g_regex_new ("(\\$[^:\\s]*): (\".*\") is not one of the enum values", 0,
                                    0, NULL);
  g_assert (self->unknown_member != NULL && self->unknown_enum != NULL);
  return self;
}

void
kl_live_checker_free (KlLiveChecker *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->atlas, kl_schema_check_free);
  g_clear_pointer (&self->flex, kl_schema_check_free);
  g_clear_pointer (&self->codes, g_hash_table_unref);
  g_clear_pointer (&self->told, g_hash_table_unref);
  g_clear_pointer (&self->unknown_member, g_regex_unref);
  g_clear_pointer (&self->unknown_enum, g_regex_unref);
  g_free (self);
}

gboolean
kl_live_checker_knows_code (KlLiveChecker *self,
                            const char    *code)
{
  return code != NULL && g_hash_table_contains (self->codes, code);
}

char *
kl_live_path_template (const char *path)
{
  g_autoptr(GRegex) id = g_regex_new ("/[a-f0-9]{24}(?=/|$)", 0, 0, NULL);

  return g_regex_replace_literal (id, path, -1, 0, "/{id}", 0, NULL);
}

static void
tell (KlLiveChecker *self,
      GPtrArray     *notes,
      char          *note)
{
  if (g_hash_table_contains (self->told, note))
    {
      g_free (note);
      return;
    }
  g_hash_table_add (self->told, g_strdup (note));
  if (notes != NULL)
    g_ptr_array_add (notes, note);
  else
    g_free (note);
}

/* "$.results[3].x" -> "$.results[].x" */
static char *
generic_where (const char *where)
{
  g_autoptr(GRegex) index = g_regex_new ("\\[[0-9]+\\]", 0, 0, NULL);

  return g_regex_replace_literal (index, where, -1, 0, "[]", 0, NULL);
}

/* The node at @where ("$", "$.a.b[2].c") in @root, or NULL. */
static JsonNode *
node_at (JsonNode   *root,
         const char *where)
{
  const char *p = where;
  JsonNode *node = root;

  if (*p++ != '$')
    return NULL;
  while (*p != '\0' && node != NULL)
    {
      if (*p == '.')
        {
          const char *end = p + 1 + strcspn (p + 1, ".[");
          g_autofree char *name = g_strndup (p + 1, end - p - 1);

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return NULL;
          node = json_object_get_member (json_node_get_object (node), name);
          p = end;
        }
      else if (*p == '[')
        {
          char *end = NULL;
          guint64 index = g_ascii_strtoull (p + 1, &end, 10);

          if (end == p + 1 || *end != ']' || !JSON_NODE_HOLDS_ARRAY (node)
              || index >= json_array_get_length (json_node_get_array (node)))
            return NULL;
          node = json_array_get_element (json_node_get_array (node), (guint) index);
          p = end + 1;
        }
      else
        return NULL;
    }
  return node;
}

/* Takes away from @root what @message blames on a newer Atlas (an unknown member, an unknown
 * enum value), noting it. FALSE when the message is about something else. */
static gboolean
relax (KlLiveChecker *self,
       KlSchemaCheck *schema,
       JsonNode      *root,
       const char    *message,
       const char    *what,
       GPtrArray     *notes)
{
  g_autoptr(GMatchInfo) match = NULL;

  if (g_regex_match (self->unknown_member, message, 0, &match))
    {
      g_autofree char *where = g_match_info_fetch (match, 1);
      g_autofree char *name = g_match_info_fetch (match, 2);
      g_autofree char *generic = generic_where (where);
      JsonNode *node = node_at (root, where);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
          || !json_object_has_member (json_node_get_object (node), name))
        return FALSE;
      json_object_remove_member (json_node_get_object (node), name);
      tell (self, notes, g_strdup_printf ("unknown field %s.%s in %s", generic, name, what));
      return TRUE;
    }
  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (self->unknown_enum, message, 0, &match))
    {
      g_autofree char *where = g_match_info_fetch (match, 1);
      g_autofree char *text = g_match_info_fetch (match, 2);
      g_autofree char *generic = generic_where (where);
      g_autoptr(JsonNode) value = json_from_string (text, NULL);

      if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
          || json_node_get_value_type (value) != G_TYPE_STRING)
        return FALSE;
      /* Every enum of strings takes it from now on (kl_schema_check_allow_enum_value()). */
      kl_schema_check_allow_enum_value (schema, json_node_get_string (value));
      tell (self, notes, g_strdup_printf ("unknown enum value %s at %s in %s",
                                          json_node_get_string (value), generic, what));
      return TRUE;
    }
  return FALSE;
}

const char *
kl_live_error_code (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), "errorCode",
                                                     NULL);
}

gboolean
kl_live_checker_check (KlLiveChecker  *self,
                       const char     *method,
                       const char     *path,
                       guint           status,
                       const char     *content_type,
                       const char     *error_code_header,
                       GBytes         *body,
                       GPtrArray      *notes,
                       GError        **error)
{
  g_autofree char *template = kl_live_path_template (path);
  g_autofree char *what = g_strdup_printf ("%s %s", method, template);
  g_autoptr(JsonNode) root = NULL;
  KlSchemaCheck *schema;
  gsize size = body != NULL ? g_bytes_get_size (body) : 0;
  const char *body_code;

  if (!g_str_has_prefix (path, "/api/atlas/v2/"))
    return TRUE;
  schema = strstr (path, "/flexClusters") != NULL ? self->flex : self->atlas;

  if (size > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), size);
      g_autoptr(GError) local_error = NULL;

      root = json_from_string (text, &local_error);
      if (root == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s → %u: the answer is not JSON (%s)", what, status,
                       local_error->message);
          return FALSE;
        }
    }

  /* Error codes: the header and the body's, each against the catalogue. */
  body_code = kl_live_error_code (root);
  if (status >= 400)
    {
      if (error_code_header != NULL && !kl_live_checker_knows_code (self, error_code_header))
        tell (self, notes, g_strdup_printf ("unknown error code %s (X-Error-Code) in %s → %u",
                                            error_code_header, what, status));
      if (body_code != NULL && g_strcmp0 (body_code, error_code_header) != 0
          && !kl_live_checker_knows_code (self, body_code))
        tell (self, notes, g_strdup_printf ("unknown error code %s in %s → %u", body_code, what,
                                            status));
      if (error_code_header != NULL && body_code != NULL
          && g_strcmp0 (body_code, error_code_header) != 0)
        tell (self, notes, g_strdup_printf ("X-Error-Code %s but errorCode %s in %s → %u",
                                            error_code_header, body_code, what, status));
    }

  /* A 401 as Atlas sends it has no errorCode, although the spec wants one. */
  if (status == 401 && root != NULL && body_code == NULL)
    {
      tell (self, notes, g_strdup_printf ("401 without errorCode in %s (as recorded before)",
                                          what));
      if (!JSON_NODE_HOLDS_OBJECT (root)
          || json_object_get_int_member_with_default (json_node_get_object (root), "error", 0)
             != 401)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s → 401: the body has no \"error\": 401", what);
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i <= MAX_RELAXATIONS; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) current = NULL;

      if (root != NULL)
        {
          g_autofree char *text = json_to_string (root, FALSE);
          gsize length = strlen (text);

          current = g_bytes_new_take (g_steal_pointer (&text), length);
        }
      else
        current = g_bytes_new (NULL, 0);

      if (kl_schema_check_response (schema, method, path, status, content_type, current,
                                    &local_error))
        return TRUE;
      if (root == NULL || i == MAX_RELAXATIONS
          || !relax (self, schema, root, local_error->message, what, notes))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s → %u: %s", what, status,
                       local_error->message);
          return FALSE;
        }
    }
  g_assert_not_reached ();
}

static void
collect_fields (JsonNode   *node,
                const char *prefix,
                GHashTable *fields)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          char *path = g_strdup_printf ("%s.%s", prefix, (const char *) l->data);

          collect_fields (json_object_get_member (object, l->data), path, fields);
          g_hash_table_add (fields, path);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autofree char *path = g_strconcat (prefix, "[]", NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_fields (json_array_get_element (array, i), path, fields);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
kl_live_field_paths (JsonNode *node)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *sorted = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  if (node != NULL)
    collect_fields (node, "$", fields);
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (sorted, key);
    }
  g_ptr_array_sort (sorted, compare_strings);
  return sorted;
}

static void
collect_states (JsonNode *node,
                GString  *out)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if ((g_str_equal (l->data, "status") || g_str_equal (l->data, "stateName"))
              && JSON_NODE_HOLDS_VALUE (member)
              && json_node_get_value_type (member) == G_TYPE_STRING)
            g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "",
                                    json_node_get_string (member));
          else
            collect_states (member, out);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_states (json_array_get_element (array, i), out);
    }
}

char *
kl_live_state_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  if (node != NULL)
    collect_states (node, out);
  return g_string_free (out, FALSE);
}

/* ---- The recording ---- */

void
kl_live_exchange_free (KlLiveExchange *exchange)
{
  if (exchange == NULL)
    return;

  g_free (exchange->method);
  g_free (exchange->path);
  g_free (exchange->query);
  g_free (exchange->auth);
  g_free (exchange->error_code);
  g_free (exchange->content_type);
  g_free (exchange->request_body);
  g_free (exchange->response_body);
  g_free (exchange->transport_error);
  g_free (exchange);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
kl_live_exchange_to_line (KlLiveExchange *exchange)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "kind", "exchange");
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, exchange->seq);
  json_builder_set_member_name (builder, "ms");
  json_builder_add_int_value (builder, exchange->ms);
  add_string (builder, "method", exchange->method);
  add_string (builder, "path", exchange->path);
  add_string (builder, "query", exchange->query);
  add_string (builder, "auth", exchange->auth);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, exchange->status);
  add_string (builder, "errorCode", exchange->error_code);
  add_string (builder, "contentType", exchange->content_type);
  add_string (builder, "requestBody", exchange->request_body);
  add_string (builder, "responseBody", exchange->response_body);
  add_string (builder, "transportError", exchange->transport_error);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
kl_live_recording_free (KlLiveRecording *recording)
{
  if (recording == NULL)
    return;

  g_free (recording->target);
  g_free (recording->group_id);
  g_clear_pointer (&recording->exchanges, g_ptr_array_unref);
  g_free (recording);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  return g_strdup (json_object_get_string_member_with_default (object, name, NULL));
}

KlLiveRecording *
kl_live_recording_load (const char  *path,
                        GError     **error)
{
  g_autoptr(KlLiveRecording) recording = g_new0 (KlLiveRecording, 1);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  recording->exchanges = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_live_exchange_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *object;
      const char *kind;

      if (g_strstrip (lines[i])[0] == '\0')
        continue;
      node = json_from_string (lines[i], &local_error);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: not a JSON object%s%s",
                       path, i + 1, local_error ? ": " : "",
                       local_error ? local_error->message : "");
          return NULL;
        }
      object = json_node_get_object (node);
      kind = json_object_get_string_member_with_default (object, "kind", "");
      if (g_str_equal (kind, "header"))
        {
          g_free (recording->target);
          g_free (recording->group_id);
          recording->target = dup_member (object, "target");
          recording->group_id = dup_member (object, "groupId");
        }
      else if (g_str_equal (kind, "exchange"))
        {
          KlLiveExchange *exchange = g_new0 (KlLiveExchange, 1);

          exchange->seq = (guint) json_object_get_int_member_with_default (object, "seq", 0);
          exchange->ms = json_object_get_int_member_with_default (object, "ms", 0);
          exchange->method = dup_member (object, "method");
          exchange->path = dup_member (object, "path");
          exchange->query = dup_member (object, "query");
          exchange->auth = dup_member (object, "auth");
          exchange->status = (guint) json_object_get_int_member_with_default (object, "status", 0);
          exchange->error_code = dup_member (object, "errorCode");
          exchange->content_type = dup_member (object, "contentType");
          exchange->request_body = dup_member (object, "requestBody");
          exchange->response_body = dup_member (object, "responseBody");
          exchange->transport_error = dup_member (object, "transportError");
          g_ptr_array_add (recording->exchanges, exchange);
          if (exchange->method == NULL || exchange->path == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:%u: an exchange without method or path", path, i + 1);
              return NULL;
            }
        }
    }
  if (recording->target == NULL || recording->group_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no header line with target and groupId", path);
      return NULL;
    }
  return g_steal_pointer (&recording);
}
