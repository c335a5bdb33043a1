/* kl-private-endpoint.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-private-endpoint.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

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
          g_strcmp0 (kl_private_endpoint_get_id (other),
                     kl_private_endpoint_get_id (endpoint)) == 0 ||
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

  if (!(object = kl_json_node_get_object (node, "a private endpoint", error)))
    return NULL;

  if (!kl_json_member_string (object, "id", &self->id, error) ||
      !kl_json_member_string (object, "cloudProvider", &self->cloud_provider, error) ||
      !kl_json_member_string (object, "regionName", &self->region_name, error) ||
      !kl_json_member_string (object, "status", &self->status_text, error) ||
      !kl_json_member_string (object, "errorMessage", &self->error_message, error) ||
      !kl_json_member_string (object, "privateEndpointConnectionName", &self->connection_name,
                              error))
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
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_private_endpoint_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_private_endpoint_parse_page (const char  *json,
                                gssize       length,
                                gboolean    *has_next,
                                GError     **error)
{
  return kl_json_parse_page (json, length, (KlJsonItemFromNode) kl_private_endpoint_new_from_node,
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

GBytes *
kl_private_endpoint_build_create (const char *region_name)
{
  g_return_val_if_fail (region_name != NULL, NULL);

  return kl_json_build_single_string_object ("regionName", region_name);
}
