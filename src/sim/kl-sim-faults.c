/* kl-sim-faults.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sim"

#include "config.h"

#include <string.h>

#include "kl-sim-faults.h"
#include "kl-sim-json.h"

typedef struct
{
  guint           id;
  char           *path;
  GPatternSpec   *pattern;
  char           *method;      /* NULL: any */
  KlSimFaultKind  kind;
  guint           status;
  char           *error_code;
  guint           retry_after;
  guint           latency_ms;
  gint64          remaining;   /* -1: unlimited */
  double          probability;
  gboolean        after_processing;
  guint           hits;
  /* body */
  JsonNode       *body_json;    /* "body" as given, or NULL */
  char           *body_text;    /* "bodyText", or NULL */
  GBytes         *body;         /* what goes out */
  char           *content_type;
  GStrv           headers;      /* name, value, … */
  guint           pad_bytes;
  gboolean        chunked;
  /* lying_pages */
  gint64          total_count;  /* -1: the real one */
} Rule;

struct _KlSimFaults
{
  GPtrArray *rules;
  GRand     *rand;
  guint      next_id;
};

static const struct
{
  const char     *name;
  KlSimFaultKind  kind;
} kinds[] = {
  { "latency", KL_SIM_FAULT_LATENCY },
  { "status", KL_SIM_FAULT_STATUS },
  { "retry_after", KL_SIM_FAULT_RETRY_AFTER },
  { "drop", KL_SIM_FAULT_DROP },
  { "malformed", KL_SIM_FAULT_MALFORMED },
  { "stall", KL_SIM_FAULT_STALL },
  { "body", KL_SIM_FAULT_BODY },
  { "lying_pages", KL_SIM_FAULT_LYING_PAGES },
};

/* Largest padBytes: enough for a "huge answer" test, not enough to exhaust a test machine. */
#define MAX_PAD_BYTES (256 * 1024 * 1024)

static void
rule_free (Rule *rule)
{
  g_free (rule->path);
  g_pattern_spec_free (rule->pattern);
  g_free (rule->method);
  g_free (rule->error_code);
  g_clear_pointer (&rule->body_json, json_node_unref);
  g_free (rule->body_text);
  g_clear_pointer (&rule->body, g_bytes_unref);
  g_free (rule->content_type);
  g_strfreev (rule->headers);
  g_free (rule);
}

void
kl_sim_fault_decision_copy (const KlSimFaultDecision *src,
                            KlSimFaultDecision       *dest)
{
  *dest = *src;
  dest->body = src->body != NULL ? g_bytes_ref (src->body) : NULL;
  dest->content_type = g_strdup (src->content_type);
  dest->headers = g_strdupv (src->headers);
}

void
kl_sim_fault_decision_clear (KlSimFaultDecision *decision)
{
  g_clear_pointer (&decision->body, g_bytes_unref);
  g_clear_pointer (&decision->content_type, g_free);
  g_clear_pointer (&decision->headers, g_strfreev);
}

KlSimFaults *
kl_sim_faults_new (guint64 seed)
{
  KlSimFaults *faults = g_new0 (KlSimFaults, 1);

  faults->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  faults->rand = g_rand_new ();
  faults->next_id = 1;
  kl_sim_faults_set_seed (faults, seed);
  return faults;
}

void
kl_sim_faults_free (KlSimFaults *faults)
{
  if (faults == NULL)
    return;

  g_ptr_array_unref (faults->rules);
  g_rand_free (faults->rand);
  g_free (faults);
}

void
kl_sim_faults_set_seed (KlSimFaults *faults,
                        guint64      seed)
{
  guint32 words[2] = { (guint32) (seed & 0xffffffff), (guint32) (seed >> 32) };

  g_rand_set_seed_array (faults->rand, words, G_N_ELEMENTS (words));
}

static const char *
default_error_code (guint status)
{
  switch (status)
    {
    case 403:
      return "IP_ADDRESS_NOT_ON_ACCESS_LIST";
    case 404:
      return "RESOURCE_NOT_FOUND";
    case 429:
      return "RATE_LIMITED_TOKEN_BUCKET";
    case 500:
      return "UNEXPECTED_ERROR";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return "SIM_INJECTED_FAULT";
    }
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* Reads an optional integer member in [min, max]. */
static gboolean
get_int (JsonObject  *object,
         const char  *name,
         gint64       min,
         gint64       max,
         gint64      *value,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_autofree char *message = g_strdup_printf ("“%s” must be an integer from %" G_GINT64_FORMAT
                                                  " to %" G_GINT64_FORMAT ".", name, min, max);
      return invalid (error, message);
    }
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *message = g_strdup_printf ("“%s” must be a string.", name);
      return invalid (error, message);
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *name,
             gboolean    *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *message = g_strdup_printf ("“%s” must be true or false.", name);
      return invalid (error, message);
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* "headers": {"Name": "value", …} → name, value, …; names are HTTP tokens, values one line. */
static gboolean
get_headers (JsonObject  *object,
             GStrv       *headers,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, "headers");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GList) names = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "“headers” must be an object of strings.");

  builder = g_strv_builder_new ();
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (json_node_get_object (node), name);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return invalid (error, "“headers” must be an object of strings.");
      text = json_node_get_string (value);
      if (name[0] == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789!#$%&'*+-.^_`|~") != strlen (name)
          || strpbrk (text, "\r\n") != NULL)
        return invalid (error, "“headers” names must be HTTP tokens and values one line.");
      g_strv_builder_add_many (builder, name, text, NULL);
    }
  *headers = g_strv_builder_end (builder);
  return TRUE;
}

static JsonNode *
rule_to_json (Rule *rule)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", rule->id);
  json_object_set_string_member (object, "path", rule->path);
  if (rule->method != NULL)
    json_object_set_string_member (object, "method", rule->method);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == rule->kind)
      json_object_set_string_member (object, "kind", kinds[i].name);
  if (rule->kind == KL_SIM_FAULT_STATUS || rule->kind == KL_SIM_FAULT_RETRY_AFTER)
    {
      json_object_set_int_member (object, "status", rule->status);
      json_object_set_string_member (object, "errorCode", rule->error_code);
    }
  if (rule->kind == KL_SIM_FAULT_RETRY_AFTER)
    json_object_set_int_member (object, "retryAfter", rule->retry_after);
  if (rule->kind == KL_SIM_FAULT_LATENCY)
    json_object_set_int_member (object, "latencyMs", rule->latency_ms);
  if (rule->kind == KL_SIM_FAULT_BODY)
    {
      json_object_set_int_member (object, "status", rule->status);
      if (rule->body_json != NULL)
        json_object_set_member (object, "body", json_node_copy (rule->body_json));
      else
        json_object_set_string_member (object, "bodyText", rule->body_text);
      if (rule->content_type != NULL)
        json_object_set_string_member (object, "contentType", rule->content_type);
      if (rule->headers != NULL)
        {
          JsonObject *headers = json_object_new ();

          for (guint i = 0; rule->headers[i] != NULL && rule->headers[i + 1] != NULL; i += 2)
            json_object_set_string_member (headers, rule->headers[i], rule->headers[i + 1]);
          json_object_set_object_member (object, "headers", headers);
        }
      json_object_set_int_member (object, "padBytes", rule->pad_bytes);
      json_object_set_boolean_member (object, "chunked", rule->chunked);
    }
  if (rule->kind == KL_SIM_FAULT_LYING_PAGES && rule->total_count >= 0)
    json_object_set_int_member (object, "totalCount", rule->total_count);
  if (rule->remaining >= 0)
    json_object_set_int_member (object, "count", rule->remaining);
  json_object_set_double_member (object, "probability", rule->probability);
  json_object_set_boolean_member (object, "afterProcessing", rule->after_processing);
  json_object_set_int_member (object, "hits", rule->hits);

  return kl_sim_json_object_node (object);
}

JsonNode *
kl_sim_faults_add (KlSimFaults  *faults,
                   JsonNode     *node,
                   GError      **error)
{
  static const char *const members[] = {
    "path", "method", "kind", "status", "errorCode", "retryAfter", "latencyMs", "count",
    "probability", "afterProcessing", "body", "bodyText", "contentType", "headers", "padBytes",
    "chunked", "totalCount", NULL
  };
  static const char *const body_members[] = {
    "body", "bodyText", "contentType", "headers", "padBytes", "chunked", NULL
  };
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  const char *path = NULL;
  const char *method = NULL;
  const char *kind_name = NULL;
  const char *error_code = NULL;
  gint64 status = 0;
  gint64 retry_after = 1;
  gint64 latency_ms = 0;
  gint64 count = -1;
  double probability = 1.0;
  gboolean after_processing = FALSE;
  const char *body_text = NULL;
  const char *content_type = NULL;
  g_auto(GStrv) headers = NULL;
  gint64 pad_bytes = 0;
  gboolean chunked = FALSE;
  gint64 total_count = -1;
  KlSimFaultKind kind = KL_SIM_FAULT_NONE;
  JsonNode *member;
  Rule *rule;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "A fault rule must be a JSON object.");
      return NULL;
    }
  object = json_node_get_object (node);
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      {
        g_autofree char *message = g_strdup_printf ("Unknown fault rule member “%s”.",
                                                    (const char *) l->data);
        invalid (error, message);
        return NULL;
      }

  if (!get_string (object, "path", &path, error) || !get_string (object, "method", &method, error)
      || !get_string (object, "kind", &kind_name, error)
      || !get_string (object, "errorCode", &error_code, error)
      || !get_int (object, "status", 100, 599, &status, error)
      || !get_int (object, "retryAfter", 0, 86400, &retry_after, error)
      || !get_int (object, "latencyMs", 0, 600000, &latency_ms, error)
      || !get_int (object, "count", 1, G_MAXINT32, &count, error)
      || !get_string (object, "bodyText", &body_text, error)
      || !get_string (object, "contentType", &content_type, error)
      || !get_headers (object, &headers, error)
      || !get_int (object, "padBytes", 0, MAX_PAD_BYTES, &pad_bytes, error)
      || !get_boolean (object, "chunked", &chunked, error)
      || !get_int (object, "totalCount", 0, G_MAXINT32, &total_count, error))
    return NULL;
  if (path == NULL || path[0] != '/')
    {
      invalid (error, "“path” is required: a glob such as /api/atlas/v2/groups/*.");
      return NULL;
    }
  for (guint i = 0; kind_name != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].name, kind_name) == 0)
      kind = kinds[i].kind;
  if (kind == KL_SIM_FAULT_NONE)
    {
      invalid (error, "“kind” must be latency, status, retry_after, drop, malformed, stall, "
                      "body or lying_pages.");
      return NULL;
    }
  for (guint i = 0; kind != KL_SIM_FAULT_BODY && body_members[i] != NULL; i++)
    if (json_object_has_member (object, body_members[i]))
      {
        g_autofree char *message = g_strdup_printf ("“%s” belongs to body faults only.",
                                                    body_members[i]);
        invalid (error, message);
        return NULL;
      }
  if (kind != KL_SIM_FAULT_LYING_PAGES && json_object_has_member (object, "totalCount"))
    {
      invalid (error, "“totalCount” belongs to lying_pages faults only.");
      return NULL;
    }
  if (kind == KL_SIM_FAULT_BODY
      && json_object_has_member (object, "body") == json_object_has_member (object, "bodyText"))
    {
      invalid (error, "A body fault needs either “body” (JSON) or “bodyText” (text).");
      return NULL;
    }
  if ((member = json_object_get_member (object, "probability")) != NULL)
    {
      GType type = JSON_NODE_HOLDS_VALUE (member) ? json_node_get_value_type (member) : 0;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        {
          invalid (error, "“probability” must be a number from 0 to 1.");
          return NULL;
        }
      probability = json_node_get_double (member);
      if (probability < 0 || probability > 1)
        {
          invalid (error, "“probability” must be a number from 0 to 1.");
          return NULL;
        }
    }
  if (!get_boolean (object, "afterProcessing", &after_processing, error))
    return NULL;
  /* A lying page is the real one, rewritten. */
  if (kind == KL_SIM_FAULT_LYING_PAGES)
    after_processing = TRUE;
  if (kind == KL_SIM_FAULT_LATENCY && latency_ms == 0)
    {
      invalid (error, "A latency fault needs “latencyMs”.");
      return NULL;
    }
  if (status == 0)
    status = kind == KL_SIM_FAULT_RETRY_AFTER ? 429 : kind == KL_SIM_FAULT_BODY ? 200 : 500;
  if (error_code != NULL && strlen (error_code) >= G_SIZEOF_MEMBER (KlSimFaultDecision, error_code))
    {
      invalid (error, "“errorCode” is too long.");
      return NULL;
    }

  rule = g_new0 (Rule, 1);
  rule->id = faults->next_id++;
  rule->path = g_strdup (path);
  rule->pattern = g_pattern_spec_new (path);
  rule->method = method ? g_ascii_strup (method, -1) : NULL;
  rule->kind = kind;
  rule->status = status;
  rule->error_code = g_strdup (error_code ? error_code : default_error_code (status));
  rule->retry_after = retry_after;
  rule->latency_ms = latency_ms;
  rule->remaining = count;
  rule->probability = probability;
  rule->after_processing = after_processing;
  if (kind == KL_SIM_FAULT_BODY)
    {
      if (body_text != NULL)
        {
          rule->body_text = g_strdup (body_text);
          rule->body = g_bytes_new (body_text, strlen (body_text));
        }
      else
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          gsize length = 0;
          char *text;

          rule->body_json = json_node_copy (json_object_get_member (object, "body"));
          json_generator_set_root (generator, rule->body_json);
          text = json_generator_to_data (generator, &length);
          rule->body = g_bytes_new_take (text, length);
        }
      rule->content_type = g_strdup (content_type);
      rule->headers = g_steal_pointer (&headers);
      rule->pad_bytes = (guint) pad_bytes;
      rule->chunked = chunked;
    }
  rule->total_count = total_count;
  g_ptr_array_add (faults->rules, rule);

  return rule_to_json (rule);
}

JsonNode *
kl_sim_faults_list (KlSimFaults *faults)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < faults->rules->len; i++)
    json_array_add_element (array, rule_to_json (g_ptr_array_index (faults->rules, i)));
  return kl_sim_json_array_node (array);
}

void
kl_sim_faults_clear (KlSimFaults *faults)
{
  g_ptr_array_set_size (faults->rules, 0);
}

void
kl_sim_faults_decide (KlSimFaults        *faults,
                      const char         *method,
                      const char         *path,
                      KlSimFaultDecision *decision)
{
  memset (decision, 0, sizeof *decision);
  decision->kind = KL_SIM_FAULT_NONE;
  decision->total_count = -1;

  for (guint i = 0; i < faults->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (faults->rules, i);

      if (rule->remaining == 0)
        continue;
      if (rule->method != NULL && g_ascii_strcasecmp (rule->method, method) != 0)
        continue;
      if (!g_pattern_spec_match_string (rule->pattern, path))
        continue;
      /* A later terminal rule cannot fire once one has: do not consume it. */
      if (rule->kind != KL_SIM_FAULT_LATENCY && decision->kind != KL_SIM_FAULT_NONE)
        continue;
      if (rule->probability < 1.0 && g_rand_double (faults->rand) >= rule->probability)
        continue;

      rule->hits++;
      if (rule->remaining > 0)
        rule->remaining--;
      if (rule->kind == KL_SIM_FAULT_LATENCY)
        {
          decision->latency_ms += rule->latency_ms;
          continue;
        }
      decision->kind = rule->kind;
      decision->status = rule->status;
      g_strlcpy (decision->error_code, rule->error_code, sizeof decision->error_code);
      decision->retry_after = rule->retry_after;
      decision->after_processing = rule->after_processing;
      decision->body = rule->body != NULL ? g_bytes_ref (rule->body) : NULL;
      decision->content_type = g_strdup (rule->content_type);
      decision->headers = g_strdupv (rule->headers);
      decision->pad_bytes = rule->pad_bytes;
      decision->chunked = rule->chunked;
      decision->total_count = rule->total_count;
    }
}
