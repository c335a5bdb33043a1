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
};

static void
rule_free (Rule *rule)
{
  g_free (rule->path);
  g_pattern_spec_free (rule->pattern);
  g_free (rule->method);
  g_free (rule->error_code);
  g_free (rule);
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
    "probability", "afterProcessing", NULL
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
      || !get_int (object, "count", 1, G_MAXINT32, &count, error))
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
      invalid (error, "“kind” must be latency, status, retry_after, drop, malformed or stall.");
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
  if ((member = json_object_get_member (object, "afterProcessing")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          invalid (error, "“afterProcessing” must be true or false.");
          return NULL;
        }
      after_processing = json_node_get_boolean (member);
    }
  if (kind == KL_SIM_FAULT_LATENCY && latency_ms == 0)
    {
      invalid (error, "A latency fault needs “latencyMs”.");
      return NULL;
    }
  if (status == 0)
    status = kind == KL_SIM_FAULT_RETRY_AFTER ? 429 : 500;
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
    }
}
