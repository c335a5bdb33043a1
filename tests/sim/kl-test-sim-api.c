/* kl-test-sim-api.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-sim-api.h"

void
add_fixture_test (const char *path,
                  void      (*test) (SimFixture *, gconstpointer))
{
  g_test_add (path, SimFixture, NULL, sim_fixture_setup, test, sim_fixture_teardown);
}

gboolean
has_link (JsonObject *page,
          const char *rel,
          const char *href_part)
{
  JsonArray *links = json_object_get_array_member (page, "links");

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);

      if (g_strcmp0 (json_object_get_string_member (link, "rel"), rel) == 0)
        return href_part == NULL
               || strstr (json_object_get_string_member (link, "href"), href_part) != NULL;
    }
  return FALSE;
}

JsonArray *
results (SimResponse *response)
{
  return json_object_get_array_member (sim_object (response), "results");
}

JsonObject *
find_by (JsonArray  *array,
         const char *member,
         const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL), value) == 0)
        return object;
    }
  return NULL;
}

JsonArray *
error_parameters (SimResponse *response)
{
  return json_object_get_array_member (sim_object (response), "parameters");
}
