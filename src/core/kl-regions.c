/* kl-regions.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-regions"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "kl-regions.h"
#include "kl-server-text.h"

struct _KlRegion
{
  GObject  parent_instance;

  char    *name;
  char    *azure_location;
  char    *display_name;
  char    *title;
  char    *environment;
  gboolean known;
};

G_DEFINE_FINAL_TYPE (KlRegion, kl_region, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_AZURE_LOCATION,
  PROP_DISPLAY_NAME,
  PROP_TITLE,
  PROP_ENVIRONMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The words Azure location names are glued from ("southafricanorth"). Longest match first
 * at each position, so "southeast" wins over "south". */
static const char * const location_words[] = {
  "africa", "arizona", "asia", "australia", "brazil", "canada", "central", "china", "east",
  "europe", "france", "germany", "gov", "india", "israel", "italy", "japan", "korea",
  "mexico", "new", "north", "northeast", "northwest", "norway", "poland", "qatar", "south",
  "southeast", "southwest", "spain", "sweden", "switzerland", "texas", "uae", "uk", "us",
  "usgov", "virginia", "west", "zealand",
};

/* Words written in capitals in Azure's display names. */
static const char * const upper_words[] = { "uae", "uk", "us" };

static void
append_word (GString    *out,
             const char *word,
             gsize       length)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');

  for (guint i = 0; i < G_N_ELEMENTS (upper_words); i++)
    if (strlen (upper_words[i]) == length &&
        g_ascii_strncasecmp (word, upper_words[i], length) == 0)
      {
        for (gsize j = 0; j < length; j++)
          g_string_append_c (out, g_ascii_toupper (word[j]));
        return;
      }

  if (length == 5 && g_ascii_strncasecmp (word, "usgov", 5) == 0)
    {
      g_string_append (out, "US Gov");
      return;
    }

  g_string_append_c (out, g_ascii_toupper (word[0]));
  for (gsize j = 1; j < length; j++)
    g_string_append_c (out, g_ascii_tolower (word[j]));
}

/* "eastus2" → "East US 2"; NULL when a part is not a known word. */
static char *
split_location (const char *location)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = location;

  while (*p != '\0')
    {
      gsize best = 0;

      if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isdigit (p[best]))
            best++;
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (location_words); i++)
            {
              gsize length = strlen (location_words[i]);

              if (length > best && strncmp (p, location_words[i], length) == 0)
                best = length;
            }
        }

      if (best == 0)
        return NULL;

      append_word (out, p, best);
      p += best;
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "US_GOV_VIRGINIA" → "US Gov Virginia" */
static char *
split_atlas_name (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit (name, "_", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      append_word (out, parts[i], strlen (parts[i]));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
kl_region_finalize (GObject *object)
{
  KlRegion *self = KL_REGION (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->azure_location, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->environment, g_free);

  G_OBJECT_CLASS (kl_region_parent_class)->finalize (object);
}

static void
kl_region_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KlRegion *self = KL_REGION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_AZURE_LOCATION:
      g_value_set_string (value, self->azure_location);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_ENVIRONMENT:
      g_value_set_string (value, self->environment);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_region_class_init (KlRegionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_region_finalize;
  object_class->get_property = kl_region_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_AZURE_LOCATION] =
    g_param_spec_string ("azure-location", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENVIRONMENT] =
    g_param_spec_string ("environment", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_region_init (KlRegion *self)
{
}

static KlRegion *
kl_region_new (const char *name,
               const char *azure_location)
{
  KlRegion *self = g_object_new (KL_TYPE_REGION, NULL);

  self->name = g_strdup (name);
  self->azure_location = g_strdup (azure_location);
  self->display_name = kl_regions_derive_display_name (name, azure_location);
  /* Translators: a region: its Azure name, then the Atlas name, e.g. "East US 2 (US_EAST_2)" */
  self->title = g_strdup_printf (_("%s (%s)"), self->display_name, name);
  self->environment = g_strdup (kl_regions_environment_of (name));
  self->known = TRUE;

  return self;
}

/* A region Atlas named that the built-in list does not hold (Azure adds regions every year):
 * its Atlas code is its name. */
static KlRegion *
kl_region_new_unknown (const char *name)
{
  KlRegion *self = g_object_new (KL_TYPE_REGION, NULL);

  self->name = g_strdup (name);
  self->display_name = g_strdup (name);
  self->title = g_strdup (name);
  self->environment = g_strdup (kl_regions_environment_of (name));
  self->known = FALSE;

  return self;
}

gboolean
kl_region_get_known (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), FALSE);

  return self->known;
}

const char *
kl_region_get_name (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), NULL);

  return self->name;
}

const char *
kl_region_get_azure_location (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), NULL);

  return self->azure_location;
}

const char *
kl_region_get_display_name (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), NULL);

  return self->display_name;
}

const char *
kl_region_get_title (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), NULL);

  return self->title;
}

const char *
kl_region_get_environment (KlRegion *self)
{
  g_return_val_if_fail (KL_IS_REGION (self), NULL);

  return self->environment;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

gboolean
kl_region_matches (KlRegion   *self,
                   const char *text)
{
  g_autofree char *stripped = NULL;
  g_autofree char *needle = NULL;

  g_return_val_if_fail (KL_IS_REGION (self), FALSE);

  if (text == NULL)
    return TRUE;

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (stripped, -1);
  return contains_casefold (self->name, needle) ||
         contains_casefold (self->azure_location, needle) ||
         contains_casefold (self->display_name, needle) ||
         contains_casefold (self->title, needle);
}

static GListStore *
load_regions (void)
{
  g_autoptr(GListStore) store = g_list_store_new (KL_TYPE_REGION);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonNode *azure;
  JsonArray *array;
  const char *data;
  gsize length;

  bytes = g_resources_lookup_data (RESOURCE_PREFIX "/atlas/regions.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* Compiled into the program: missing means a broken build. */
  if (bytes == NULL)
    g_error ("The region list is missing from the resources: %s", error->message);

  data = g_bytes_get_data (bytes, &length);
  if (!json_parser_load_from_data (parser, data, length, &error))
    g_error ("The region list in the resources is not JSON: %s", error->message);

  root = json_parser_get_root (parser);
  g_assert (JSON_NODE_HOLDS_OBJECT (root));
  azure = json_object_get_member (json_node_get_object (root), "azure");
  g_assert (azure != NULL && JSON_NODE_HOLDS_ARRAY (azure));
  array = json_node_get_array (azure);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *name;
      const char *location = NULL;
      g_autoptr(KlRegion) region = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = json_object_get_string_member_with_default (object, "atlas", NULL);
      if (name == NULL || name[0] == '\0')
        continue;
      if (json_object_has_member (object, "azure_location") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "azure_location")))
        location = json_object_get_string_member (object, "azure_location");

      region = kl_region_new (name, location);
      g_list_store_append (store, region);
    }

  return g_steal_pointer (&store);
}

GListModel *
kl_regions_get_default (void)
{
  static GListStore *regions;

  if (g_once_init_enter (&regions))
    g_once_init_leave (&regions, load_regions ());

  return G_LIST_MODEL (regions);
}

KlRegion *
kl_regions_lookup (const char *name)
{
  GListModel *regions = kl_regions_get_default ();

  if (name == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr(KlRegion) region = g_list_model_get_item (regions, i);

      if (g_str_equal (region->name, name))
        return region;
    }

  return NULL;
}

KlRegion *
kl_regions_dup_or_new (const char *name)
{
  KlRegion *region;

  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  region = kl_regions_lookup (name);
  if (region != NULL)
    return g_object_ref (region);

  return kl_region_new_unknown (name);
}

char *
kl_regions_dup_title (const char *name)
{
  KlRegion *region;

  /* Atlas always names the region; should it not, say so rather than show nothing. */
  if (name == NULL || name[0] == '\0')
    return g_strdup (_("Unknown region"));

  region = kl_regions_lookup (name);
  if (region != NULL)
    return g_strdup (region->title);
  /* A region Keylink does not know: the server's name, capped and without bidi controls. */
  return kl_server_text_dup_plain (name, KL_SERVER_TEXT_SHORT_CHARS);
}

char *
kl_regions_derive_display_name (const char *name,
                                const char *azure_location)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (azure_location != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (azure_location, -1);
      char *split = split_location (lower);

      if (split != NULL)
        return split;
    }

  return split_atlas_name (name);
}

const char *
kl_regions_environment_of (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_has_prefix (name, "US_GOV_"))
    return "AZURE_US_GOVERNMENT";
  if (g_str_has_prefix (name, "CHINA_"))
    return "AZURE_CHINA";
  return "AZURE";
}
