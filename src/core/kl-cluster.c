/* kl-cluster.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-cluster.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

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

  if (!kl_json_member_object (config, spec_name, &spec, error))
    return FALSE;
  if (spec == NULL)
    return TRUE;

  if (!kl_json_member_string (spec, "instanceSize", size, error) ||
      !kl_json_member_string (spec, "effectiveInstanceSize", &effective, error))
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

  if (!(object = kl_json_node_get_object (node, "a region config", error)))
    return FALSE;

  if (!kl_json_member_string (object, "providerName", &provider, error) ||
      !kl_json_member_string (object, "backingProviderName", &backing, error) ||
      !kl_json_member_string (object, "regionName", &region, error))
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

  if (!(object = kl_json_node_get_object (node, "a cluster", error)))
    return NULL;

  if (!kl_json_member_string (object, "name", &self->name, error) ||
      !kl_json_member_string (object, "id", &self->id, error) ||
      !kl_json_member_string (object, "stateName", &self->state_name, error) ||
      !kl_json_member_string (object, "encryptionAtRestProvider",
                      &self->encryption_at_rest_provider, error) ||
      !kl_json_member_string (object, "clusterType", &self->cluster_type, error) ||
      !kl_json_member_boolean (object, "paused", &self->paused, NULL, error) ||
      !kl_json_member_array (object, "replicationSpecs", &specs, error))
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

      if (!(spec = kl_json_node_get_object (json_array_get_element (specs, i), "a replication spec",
                                            error)))
        return NULL;
      if (!kl_json_member_array (spec, "regionConfigs", &configs, error))
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
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_cluster_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_cluster_parse_page (const char  *json,
                       gssize       length,
                       gboolean    *has_next,
                       GError     **error)
{
  return kl_json_parse_page (json, length, (KlJsonItemFromNode) kl_cluster_new_from_node, has_next,
                             error);
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

  if (!(object = kl_json_node_get_object (node, "a Flex cluster", error)))
    return NULL;

  if (!kl_json_member_string (object, "name", &self->name, error) ||
      !kl_json_member_string (object, "id", &self->id, error) ||
      !kl_json_member_string (object, "stateName", &self->state_name, error) ||
      !kl_json_member_string (object, "clusterType", &self->cluster_type, error) ||
      !kl_json_member_object (object, "providerSettings", &settings, error))
    return NULL;

  if (self->name == NULL || self->name[0] == '\0')
    {
      kl_error_set_bad_response (error, "Flex cluster without \"name\"");
      return NULL;
    }

  if (settings != NULL &&
      (!kl_json_member_string (settings, "providerName", &provider, error) ||
       !kl_json_member_string (settings, "backingProviderName", &backing, error) ||
       !kl_json_member_string (settings, "regionName", &region, error)))
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
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_cluster_new_from_flex_node (root, error) : NULL;
}

GPtrArray *
kl_cluster_parse_flex_page (const char  *json,
                            gssize       length,
                            gboolean    *has_next,
                            GError     **error)
{
  return kl_json_parse_page (json, length, (KlJsonItemFromNode) kl_cluster_new_from_flex_node,
                             has_next,
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

  return kl_json_build_single_string_object ("encryptionAtRestProvider", provider);
}
