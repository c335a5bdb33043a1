/* kl-schema-check.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-schema-check.h"

struct _KlSchemaCheck
{
  JsonParser *parser;
  JsonObject *root;
  GHashTable *regexes;  /* pattern -> GRegex (or NULL when it does not compile) */
  GHashTable *extra_enum_values; /* string values every enum of strings also takes */
};

typedef struct
{
  KlSchemaCheck *check;
  GHashTable    *active;  /* "schema:value" pairs being validated (cycles through mappings) */
  gboolean       response;
} Context;

static gboolean validate (Context    *ctx,
                          JsonObject *schema,
                          JsonNode   *value,
                          gboolean    whole,
                          const char *where,
                          GError    **error);

KlSchemaCheck *
kl_schema_check_new_from_file (const char  *path,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  KlSchemaCheck *check;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not an OpenAPI document",
                   path);
      return NULL;
    }

  check = g_new0 (KlSchemaCheck, 1);
  check->parser = g_steal_pointer (&parser);
  check->root = json_node_get_object (root);
  check->regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_regex_unref);
  return check;
}

void
kl_schema_check_free (KlSchemaCheck *check)
{
  if (check == NULL)
    return;

  g_object_unref (check->parser);
  g_hash_table_unref (check->regexes);
  g_clear_pointer (&check->extra_enum_values, g_hash_table_unref);
  g_free (check);
}

void
kl_schema_check_allow_enum_value (KlSchemaCheck *check,
                                  const char    *value)
{
  if (check->extra_enum_values == NULL)
    check->extra_enum_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (check->extra_enum_values, g_strdup (value));
}

static gboolean
invalid (GError    **error,
         const char *where,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError    **error,
         const char *where,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", where, message);
  return FALSE;
}

/* "#/components/schemas/Name" -> the object it points to. */
static JsonObject *
resolve_ref (KlSchemaCheck *check,
             const char    *ref)
{
  g_auto(GStrv) parts = NULL;
  JsonObject *object = check->root;

  if (!g_str_has_prefix (ref, "#/"))
    return NULL;
  parts = g_strsplit (ref + 2, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
    }
  return object;
}

static JsonObject *
deref (KlSchemaCheck *check,
       JsonObject    *schema)
{
  for (guint i = 0; i < 32 && json_object_has_member (schema, "$ref"); i++)
    {
      JsonObject *target = resolve_ref (check, json_object_get_string_member (schema, "$ref"));

      if (target == NULL)
        return NULL;
      schema = target;
    }
  return schema;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Every property name that @schema declares, through $ref, allOf, oneOf and anyOf. Returns
 * FALSE when the schema is free-form somewhere (then anything goes). */
static gboolean
collect_properties (KlSchemaCheck *check,
                    JsonObject    *schema,
                    GHashTable    *names,
                    GHashTable    *seen)
{
  static const char *const combinators[] = { "allOf", "oneOf", "anyOf" };
  JsonObject *properties;
  gboolean declared = FALSE;

  schema = deref (check, schema);
  if (schema == NULL || g_hash_table_contains (seen, schema))
    return TRUE;
  g_hash_table_add (seen, schema);

  if (json_object_has_member (schema, "additionalProperties"))
    return FALSE;
  if ((properties = member_object (schema, "properties")) != NULL)
    {
      g_autoptr(GList) list = json_object_get_members (properties);

      for (GList *l = list; l != NULL; l = l->next)
        g_hash_table_add (names, l->data);
      declared = TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (combinators); i++)
    {
      JsonArray *branches = member_array (schema, combinators[i]);

      for (guint j = 0; branches != NULL && j < json_array_get_length (branches); j++)
        {
          JsonNode *branch = json_array_get_element (branches, j);

          if (!JSON_NODE_HOLDS_OBJECT (branch)
              || !collect_properties (check, json_node_get_object (branch), names, seen))
            return FALSE;
          declared = TRUE;
        }
    }
  return declared;
}

static GRegex *
get_regex (KlSchemaCheck *check,
           const char    *pattern)
{
  GRegex *regex;

  if (g_hash_table_lookup_extended (check->regexes, pattern, NULL, (gpointer *) &regex))
    return regex;
  regex = g_regex_new (pattern, 0, 0, NULL);
  if (regex == NULL)
    g_test_message ("schema pattern %s does not compile; not checked", pattern);
  g_hash_table_insert (check->regexes, g_strdup (pattern), regex);
  return regex;
}

static const char *
value_type_name (JsonNode *value)
{
  if (JSON_NODE_HOLDS_NULL (value))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (value))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (value))
    return "array";
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      return "number";
    default:
      return "unknown";
    }
}

static gboolean
type_matches (const char *type,
              JsonNode   *value)
{
  const char *actual = value_type_name (value);

  if (g_strcmp0 (type, "number") == 0)
    return g_strcmp0 (actual, "number") == 0 || g_strcmp0 (actual, "integer") == 0;
  return g_strcmp0 (type, actual) == 0;
}

static gboolean
check_string (Context    *ctx,
              JsonObject *schema,
              const char *text,
              const char *where,
              GError    **error)
{
  const char *format = json_object_get_string_member_with_default (schema, "format", NULL);
  const char *pattern = json_object_get_string_member_with_default (schema, "pattern", NULL);
  glong length = g_utf8_strlen (text, -1);

  if (json_object_has_member (schema, "minLength")
      && length < json_object_get_int_member (schema, "minLength"))
    return invalid (error, where, "“%s” is shorter than %" G_GINT64_FORMAT, text,
                    json_object_get_int_member (schema, "minLength"));
  if (json_object_has_member (schema, "maxLength")
      && length > json_object_get_int_member (schema, "maxLength"))
    return invalid (error, where, "“%s” is longer than %" G_GINT64_FORMAT, text,
                    json_object_get_int_member (schema, "maxLength"));
  if (pattern != NULL)
    {
      GRegex *regex = get_regex (ctx->check, pattern);

      if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
        return invalid (error, where, "“%s” does not match %s", text, pattern);
    }
  if (g_strcmp0 (format, "date-time") == 0)
    {
      g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (text, NULL);

      if (date == NULL)
        return invalid (error, where, "“%s” is not an ISO 8601 date-time", text);
    }
  else if (g_strcmp0 (format, "uuid") == 0)
    {
      GRegex *regex = get_regex (ctx->check, "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                                             "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

      if (!g_regex_match (regex, text, 0, NULL))
        return invalid (error, where, "“%s” is not a UUID", text);
    }
  return TRUE;
}

static gboolean
check_enum (KlSchemaCheck *check,
            JsonObject    *schema,
            JsonNode      *value,
            const char    *where,
            GError       **error)
{
  JsonArray *values = member_array (schema, "enum");

  if (values == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
      && check->extra_enum_values != NULL
      && g_hash_table_contains (check->extra_enum_values, json_node_get_string (value)))
    return TRUE;
  for (guint i = 0; i < json_array_get_length (values); i++)
    if (json_node_equal (json_array_get_element (values, i), value))
      return TRUE;
  {
    g_autofree char *text = json_to_string (value, FALSE);

    return invalid (error, where, "%s is not one of the enum values", text);
  }
}

static gboolean
check_number (JsonObject *schema,
              JsonNode   *value,
              const char *where,
              GError    **error)
{
  double number = json_node_get_double (value);

  if (json_object_has_member (schema, "minimum")
      && number < json_object_get_double_member (schema, "minimum"))
    return invalid (error, where, "%g is below the minimum", number);
  if (json_object_has_member (schema, "maximum")
      && number > json_object_get_double_member (schema, "maximum"))
    return invalid (error, where, "%g is above the maximum", number);
  return TRUE;
}

static gboolean
check_object (Context    *ctx,
              JsonObject *schema,
              JsonObject *object,
              const char *where,
              GError    **error)
{
  JsonObject *properties = member_object (schema, "properties");
  JsonArray *required = member_array (schema, "required");

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      const char *name = json_array_get_string_element (required, i);

      if (!json_object_has_member (object, name))
        return invalid (error, where, "required member “%s” is missing", name);
    }
  if (properties != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonObject *property = member_object (properties, name);
          JsonObject *resolved;
          g_autofree char *inner = NULL;

          if (property == NULL)
            continue;
          resolved = deref (ctx->check, property);
          if (ctx->response && resolved != NULL
              && (json_object_get_boolean_member_with_default (property, "writeOnly", FALSE)
                  || json_object_get_boolean_member_with_default (resolved, "writeOnly", FALSE)))
            return invalid (error, where, "write-only member “%s” must never be returned", name);
          inner = g_strdup_printf ("%s.%s", where, name);
          if (!validate (ctx, property, json_object_get_member (object, name), TRUE, inner, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_unknown_members (Context    *ctx,
                       JsonObject *schema,
                       JsonObject *object,
                       const char *where,
                       GError    **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GList) members = NULL;

  if (!collect_properties (ctx->check, schema, names, seen))
    return TRUE;
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_hash_table_contains (names, l->data))
      return invalid (error, where, "member “%s” is not declared by the schema",
                      (const char *) l->data);
  return TRUE;
}

static gboolean
check_branches (Context    *ctx,
                JsonObject *schema,
                const char *combinator,
                JsonNode   *value,
                const char *where,
                GError    **error)
{
  JsonArray *branches = member_array (schema, combinator);
  JsonObject *discriminator = member_object (schema, "discriminator");
  g_autoptr(GString) reasons = g_string_new (NULL);

  if (branches == NULL)
    return TRUE;

  /* The discriminator's branch, when the value names one. */
  if (discriminator != NULL && JSON_NODE_HOLDS_OBJECT (value))
    {
      const char *property = json_object_get_string_member_with_default (discriminator,
                                                                         "propertyName", NULL);
      JsonObject *mapping = member_object (discriminator, "mapping");
      const char *tag = property
        ? json_object_get_string_member_with_default (json_node_get_object (value), property,
                                                      NULL)
        : NULL;

      if (tag != NULL && mapping != NULL && json_object_has_member (mapping, tag))
        {
          JsonObject *target = resolve_ref (ctx->check,
                                            json_object_get_string_member (mapping, tag));

          if (target == NULL)
            return invalid (error, where, "discriminator mapping for %s does not resolve", tag);
          return validate (ctx, target, value, FALSE, where, error);
        }
    }

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      g_autoptr(GError) branch_error = NULL;
      JsonNode *branch = json_array_get_element (branches, i);

      if (!JSON_NODE_HOLDS_OBJECT (branch))
        continue;
      if (validate (ctx, json_node_get_object (branch), value, FALSE, where, &branch_error))
        return TRUE;
      g_string_append_printf (reasons, "\n  - %s", branch_error->message);
    }
  return invalid (error, where, "no %s branch matches:%s", combinator, reasons->str);
}

/* @whole: @schema describes the entire value (not one allOf/oneOf branch of it), so members
 * it does not declare are refused. */
static gboolean
validate_schema (Context    *ctx,
                 JsonObject *schema,
                 JsonNode   *value,
                 gboolean    whole,
                 const char *where,
                 GError    **error)
{
  const char *type = json_object_get_string_member_with_default (schema, "type", NULL);
  gboolean has_properties = json_object_has_member (schema, "properties");
  gboolean has_one_of = json_object_has_member (schema, "oneOf")
                        || json_object_has_member (schema, "anyOf");
  gboolean has_all_of = json_object_has_member (schema, "allOf");
  JsonArray *all_of = member_array (schema, "allOf");

  if (JSON_NODE_HOLDS_NULL (value))
    {
      if (json_object_get_boolean_member_with_default (schema, "nullable", FALSE))
        return TRUE;
      return invalid (error, where, "null where the schema is not nullable");
    }

  for (guint i = 0; all_of != NULL && i < json_array_get_length (all_of); i++)
    {
      JsonNode *branch = json_array_get_element (all_of, i);

      if (JSON_NODE_HOLDS_OBJECT (branch)
          && !validate (ctx, json_node_get_object (branch), value, FALSE, where, error))
        return FALSE;
    }
  if (!check_branches (ctx, schema, "oneOf", value, where, error)
      || !check_branches (ctx, schema, "anyOf", value, where, error))
    return FALSE;

  if (type != NULL)
    {
      gboolean lenient = g_strcmp0 (type, "object") == 0
                         && (has_one_of || (!has_properties && !has_all_of));

      if (!lenient && !type_matches (type, value))
        return invalid (error, where, "%s where the schema wants %s", value_type_name (value),
                        type);
      if (lenient && !JSON_NODE_HOLDS_OBJECT (value))
        return TRUE;
    }

  if (!check_enum (ctx->check, schema, value, where, error))
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType value_type = json_node_get_value_type (value);

      if (value_type == G_TYPE_STRING)
        return check_string (ctx, schema, json_node_get_string (value), where, error);
      if (value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE)
        return check_number (schema, value, where, error);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonObject *items = member_object (schema, "items");
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; items != NULL && i < json_array_get_length (array); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);

          if (!validate (ctx, items, json_array_get_element (array, i), TRUE, inner, error))
            return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      if (!check_object (ctx, schema, json_node_get_object (value), where, error))
        return FALSE;
      return !whole || check_unknown_members (ctx, schema, json_node_get_object (value), where,
                                              error);
    }
  return TRUE;
}

static gboolean
validate (Context    *ctx,
          JsonObject *schema,
          JsonNode   *value,
          gboolean    whole,
          const char *where,
          GError    **error)
{
  g_autofree char *key = NULL;
  gboolean ok;

  schema = deref (ctx->check, schema);
  if (schema == NULL)
    return invalid (error, where, "a $ref does not resolve");

  /* A discriminator mapping can lead back to the schema that holds it (CloudRegionConfig ->
   * AzureRegionConfig -> allOf CloudRegionConfig): the pair is already being checked. */
  key = g_strdup_printf ("%p:%p", (void *) schema, (void *) value);
  if (g_hash_table_contains (ctx->active, key))
    return TRUE;
  g_hash_table_add (ctx->active, g_strdup (key));
  ok = validate_schema (ctx, schema, value, whole, where, error);
  g_hash_table_remove (ctx->active, key);
  return ok;
}

static gboolean
validate_root (KlSchemaCheck *check,
               JsonObject    *schema,
               JsonNode      *value,
               gboolean       response,
               GError       **error)
{
  Context ctx = { check, NULL, response };
  gboolean ok;

  ctx.active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = validate (&ctx, schema, value, TRUE, "$", error);
  g_hash_table_unref (ctx.active);
  return ok;
}

gboolean
kl_schema_check_value (KlSchemaCheck  *check,
                       const char     *schema_name,
                       JsonNode       *value,
                       GError        **error)
{
  g_autofree char *ref = g_strdup_printf ("#/components/schemas/%s", schema_name);
  JsonObject *schema = resolve_ref (check, ref);

  if (schema == NULL)
    return invalid (error, "$", "the spec has no schema %s", schema_name);
  return validate_root (check, schema, value, TRUE, error);
}

/* The spec path template that @path instantiates; literal segments win over parameters. */
static JsonObject *
find_path_item (KlSchemaCheck *check,
                const char    *path)
{
  JsonObject *paths = member_object (check->root, "paths");
  g_auto(GStrv) wanted = g_strsplit (path, "/", -1);
  g_autoptr(GList) templates = NULL;
  JsonObject *best = NULL;
  int best_literals = -1;

  if (paths == NULL)
    return NULL;
  templates = json_object_get_members (paths);
  for (GList *l = templates; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "/", -1);
      int literals = 0;
      gboolean match;

      match = g_strv_length (parts) == g_strv_length (wanted);
      for (guint i = 0; match && parts[i] != NULL; i++)
        {
          if (parts[i][0] == '{')
            match = wanted[i][0] != '\0';
          else if ((match = g_strcmp0 (parts[i], wanted[i]) == 0))
            literals++;
        }
      if (match && literals > best_literals)
        {
          best = member_object (paths, l->data);
          best_literals = literals;
        }
    }
  return best;
}

gboolean
kl_schema_check_response (KlSchemaCheck  *check,
                          const char     *method,
                          const char     *path,
                          guint           status,
                          const char     *content_type,
                          GBytes         *body,
                          GError        **error)
{
  g_autofree char *operation_name = g_ascii_strdown (method, -1);
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  g_autofree char *media_type = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *path_item;
  JsonObject *operation;
  JsonObject *responses;
  JsonObject *response = NULL;
  JsonObject *content;
  JsonObject *media;
  JsonObject *schema;
  gsize size = body ? g_bytes_get_size (body) : 0;

  /* An error for a path or method the spec does not have (404, 405) is still an ApiError. */
  path_item = find_path_item (check, path);
  if (path_item == NULL && status < 400)
    return invalid (error, path, "the spec has no such path");
  operation = path_item ? member_object (path_item, operation_name) : NULL;
  if (operation == NULL && status < 400)
    return invalid (error, path, "the spec has no %s operation here", method);
  responses = operation ? member_object (operation, "responses") : NULL;
  if (responses != NULL && member_object (responses, status_text) != NULL)
    response = deref (check, member_object (responses, status_text));
  if (response == NULL && status >= 400)
    response = resolve_ref (check, "#/components/responses/badRequest");
  if (response == NULL)
    return invalid (error, path, "%s %s does not declare a %u response", method, path, status);

  content = member_object (response, "content");
  if (content_type != NULL)
    {
      const char *semicolon = strchr (content_type, ';');

      media_type = g_strstrip (g_strndup (content_type, semicolon ? (gsize) (semicolon - content_type)
                                                                  : strlen (content_type)));
    }
  if (content == NULL || media_type == NULL)
    {
      if (size != 0)
        return invalid (error, path, "a %u answer with a body the spec does not describe", status);
      return TRUE;
    }
  media = member_object (content, media_type);
  if (media == NULL)
    return invalid (error, path, "%s is not a media type of the %u response of %s", media_type,
                    status, method);
  schema = member_object (media, "schema");
  if (schema == NULL)
    {
      if (size != 0)
        return invalid (error, path, "the %u response has no schema but a body", status);
      return TRUE;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), size, error))
    return FALSE;
  return validate_root (check, schema, json_parser_get_root (parser), TRUE, error);
}
