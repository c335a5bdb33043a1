/* kl-sim-json.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Nodes that take ownership of what they hold (json_node_init_object() would add a ref). */

static inline JsonNode *
kl_sim_json_object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static inline JsonNode *
kl_sim_json_array_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

/* json-glib recurses once per nesting level: a body nested deeper than any request needs
 * is refused before it is parsed (a client could otherwise overflow the stack). */
#define KL_SIM_JSON_MAX_DEPTH 64

static inline gboolean
kl_sim_json_depth_is_safe (const char *json,
                           gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      if (in_string)
        {
          if (json[i] == '\\')
            i++;
          else if (json[i] == '"')
            in_string = FALSE;
        }
      else if (json[i] == '"')
        in_string = TRUE;
      else if ((json[i] == '[' || json[i] == '{') && ++depth > KL_SIM_JSON_MAX_DEPTH)
        return FALSE;
      else if ((json[i] == ']' || json[i] == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

G_END_DECLS
