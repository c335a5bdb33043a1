/* kl-plan.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-plan"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-plan.h"

struct _KlPlan
{
  GObject             parent_instance;

  KlEncryptionAtRest *ear;
  GPtrArray          *endpoints;
  GPtrArray          *clusters;

  KlProjectStage      stage;
};

G_DEFINE_FINAL_TYPE (KlPlan, kl_plan, G_TYPE_OBJECT)

void
kl_plan_step_free (KlPlanStep *step)
{
  if (step == NULL)
    return;

  g_free (step->target);
  g_free (step->detail);
  g_free (step->description);
  g_free (step);
}

static KlPlanStep *
plan_step_new (KlPlanStepKind  kind,
               const char     *target,
               const char     *detail,
               char           *description)
{
  KlPlanStep *step = g_new0 (KlPlanStep, 1);

  step->kind = kind;
  step->target = g_strdup (target);
  step->detail = g_strdup (detail);
  step->description = description;
  return step;
}

static KlAzureKeyVault *
plan_vault (KlPlan *self)
{
  return kl_encryption_at_rest_get_azure_key_vault (self->ear);
}

static gboolean
cluster_is_on_key (KlCluster *cluster)
{
  return g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0;
}

static gboolean
cluster_is_busy (KlCluster *cluster)
{
  const char *state = kl_cluster_get_state_name (cluster);

  return state != NULL && g_strcmp0 (state, "IDLE") != 0;
}

static gboolean
plan_has_missing_cluster_regions (KlPlan *self)
{
  g_auto(GStrv) regions = kl_plan_dup_cluster_regions (self);
  g_auto(GStrv) missing = kl_plan_dup_missing_regions (self, (const char * const *) regions);

  return missing[0] != NULL;
}

static KlProjectStage
plan_compute_stage (KlPlan *self)
{
  KlAzureKeyVault *vault = plan_vault (self);
  g_autoptr(GPtrArray) to_enable = NULL;

  if (!kl_azure_key_vault_get_enabled (vault))
    {
      if (kl_encryption_at_rest_get_aws_kms_enabled (self->ear) ||
          kl_encryption_at_rest_get_google_cloud_kms_enabled (self->ear))
        return KL_PROJECT_STAGE_OTHER_PROVIDER;
      return KL_PROJECT_STAGE_NOT_CONFIGURED;
    }

  if (!kl_azure_key_vault_get_valid (vault))
    return KL_PROJECT_STAGE_KEY_NOT_VALID;

  if (!kl_azure_key_vault_get_require_private_networking (vault))
    return KL_PROJECT_STAGE_KEY_READY;

  if (!kl_plan_endpoints_all_active (self) || plan_has_missing_cluster_regions (self))
    return KL_PROJECT_STAGE_ENDPOINTS;

  to_enable = kl_plan_dup_clusters_to_enable (self);
  if (to_enable->len > 0)
    return KL_PROJECT_STAGE_CLUSTERS;

  for (guint i = 0; i < self->clusters->len; i++)
    if (cluster_is_on_key (g_ptr_array_index (self->clusters, i)) &&
        cluster_is_busy (g_ptr_array_index (self->clusters, i)))
      return KL_PROJECT_STAGE_CLUSTERS;

  return KL_PROJECT_STAGE_DONE;
}

static void
kl_plan_finalize (GObject *object)
{
  KlPlan *self = KL_PLAN (object);

  g_clear_object (&self->ear);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);

  G_OBJECT_CLASS (kl_plan_parent_class)->finalize (object);
}

static void
kl_plan_class_init (KlPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_plan_finalize;
}

static void
kl_plan_init (KlPlan *self)
{
}

static GPtrArray *
ref_array (GPtrArray *array)
{
  if (array != NULL)
    return g_ptr_array_ref (array);
  return g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * kl_plan_new:
 * @ear: the project's encryption at rest settings
 * @endpoints: (element-type KlPrivateEndpoint) (nullable): its Azure private endpoints
 * @clusters: (element-type KlCluster) (nullable): its clusters
 *
 * Returns: (transfer full): the plan for this state
 */
KlPlan *
kl_plan_new (KlEncryptionAtRest *ear,
             GPtrArray          *endpoints,
             GPtrArray          *clusters)
{
  KlPlan *self;

  g_return_val_if_fail (KL_IS_ENCRYPTION_AT_REST (ear), NULL);

  self = g_object_new (KL_TYPE_PLAN, NULL);
  self->ear = g_object_ref (ear);
  self->endpoints = ref_array (endpoints);
  self->clusters = ref_array (clusters);
  self->stage = plan_compute_stage (self);

  return self;
}

KlProjectStage
kl_plan_get_stage (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), KL_PROJECT_STAGE_NOT_CONFIGURED);

  return self->stage;
}

/* “a”, “b” and “c”: names as a person reads them in a sentence. */
static char *
join_names (GPtrArray *names,
            gboolean   quote)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0 && i + 1 == names->len)
        /* Translators: before the last of several names in a list, e.g. “a”, “b” and “c” */
        g_string_append (text, _(" and "));
      else if (i > 0)
        /* Translators: between names in a list, e.g. “a”, “b” and “c” */
        g_string_append (text, _(", "));
      if (quote)
        /* Translators: a name quoted in a sentence */
        g_string_append_printf (text, _("“%s”"), (const char *) g_ptr_array_index (names, i));
      else
        g_string_append (text, g_ptr_array_index (names, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
join_cluster_names (GPtrArray *clusters)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < clusters->len; i++)
    g_ptr_array_add (names, (gpointer) kl_cluster_get_name (g_ptr_array_index (clusters, i)));

  return join_names (names, TRUE);
}

/* The first line of the Done stage: exactly how the clusters on the key reach it, then what
 * was left alone and why. */
static char *
dup_done_summary (KlPlan *self)
{
  g_autoptr(GPtrArray) over_public = g_ptr_array_new ();
  g_autoptr(GPtrArray) not_proposed = g_ptr_array_new ();
  g_autoptr(GPtrArray) paused = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_private = 0;

  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);
      KlKeyAccess access = kl_plan_get_key_access (self, cluster, NULL);

      if (cluster_is_on_key (cluster))
        {
          if (access == KL_KEY_ACCESS_PRIVATE_LINK)
            n_private++;
          else if (access == KL_KEY_ACCESS_PAUSED)
            g_ptr_array_add (paused, cluster);
          else
            g_ptr_array_add (over_public, cluster);
        }
      else if (access == KL_KEY_ACCESS_PUBLIC_INTERNET)
        g_ptr_array_add (not_proposed, cluster);
      else if (access == KL_KEY_ACCESS_PAUSED)
        g_ptr_array_add (paused, cluster);
    }

  if (over_public->len == 0 && n_private > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Done: the cluster that uses your Azure key reaches it "
                                         "over Private Link.",
                                         "Done: all %u clusters that use your Azure key reach it "
                                         "over Private Link.", n_private),
                            n_private);
  else if (over_public->len > 0 && n_private > 0)
    {
      g_autofree char *names = join_cluster_names (over_public);

      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Done: %u cluster reaches your Azure key over Private "
                                           "Link.",
                                           "Done: %u clusters reach your Azure key over Private "
                                           "Link.",
                                           n_private),
                              n_private);
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              /* Translators: %s names clusters, e.g. “a” and “b” */
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s reaches it over the public internet.",
                                           "%s reach it over the public internet.",
                                           over_public->len),
                              names);
    }
  else if (over_public->len > 0)
    {
      g_autofree char *names = join_cluster_names (over_public);

      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Done: %s uses your Azure key over the public "
                                           "internet; no cluster reaches it over Private Link.",
                                           "Done: %s use your Azure key over the public "
                                           "internet; no cluster reaches it over Private Link.",
                                           over_public->len),
                              names);
    }
  else
    g_string_append (text, _("Done: private networking is set up, and no cluster uses your "
                             "Azure key yet."));

  if (over_public->len > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Atlas offers Private Link to the key vault only to clusters on "
                               "Azure: keep the vault’s public access on while AWS or Google "
                               "Cloud clusters use the key."));
    }

  if (not_proposed->len > 0)
    {
      g_autofree char *names = join_cluster_names (not_proposed);

      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s is not on Azure and keeps Atlas-managed "
                                           "encryption.",
                                           "%s are not on Azure and keep Atlas-managed "
                                           "encryption.", not_proposed->len),
                              names);
    }

  if (paused->len > 0)
    {
      g_autofree char *names = join_cluster_names (paused);

      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s is paused and was left alone: resume it in "
                                           "Atlas, then come back.",
                                           "%s are paused and were left alone: resume them in "
                                           "Atlas, then come back.", paused->len),
                              names);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
kl_plan_dup_summary (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), NULL);

  switch (self->stage)
    {
    case KL_PROJECT_STAGE_OTHER_PROVIDER:
      return g_strdup (_("This project uses a key from another cloud provider. Keylink only manages keys in Azure Key Vault."));
    case KL_PROJECT_STAGE_NOT_CONFIGURED:
      return g_strdup (_("Encryption at rest with your own Azure key is not set up yet."));
    case KL_PROJECT_STAGE_KEY_NOT_VALID:
      return g_strdup (_("Your Azure key is configured, but Atlas cannot use it. Check the app’s credentials and its access to the key."));
    case KL_PROJECT_STAGE_KEY_READY:
      return g_strdup (_("Your Azure key is enabled and valid. Private networking is not required yet."));
    case KL_PROJECT_STAGE_ENDPOINTS:
      {
        g_auto(GStrv) regions = kl_plan_dup_regions_needing_endpoint (self);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autofree char *list = NULL;

        for (guint i = 0; regions[i] != NULL; i++)
          g_ptr_array_add (names, regions[i]);
        if (names->len == 0)
          return g_strdup (_("Private networking is required. The project has no private endpoint yet."));

        list = join_names (names, FALSE);
        /* Translators: %s lists Atlas regions, e.g. “US_EAST_2 and CHILE_CENTRAL” */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Private networking is required. %s still needs an active private endpoint.",
                                             "Private networking is required. %s still need an active private endpoint.",
                                             names->len),
                                list);
      }
    case KL_PROJECT_STAGE_CLUSTERS:
      return g_strdup (_("Private endpoints are active. Some clusters do not use your key yet."));
    case KL_PROJECT_STAGE_DONE:
      return dup_done_summary (self);
    default:
      g_assert_not_reached ();
    }
}

gboolean
kl_plan_vault_is_frozen (KlPlan *self)
{
  KlAzureKeyVault *vault;

  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  vault = plan_vault (self);
  return kl_azure_key_vault_get_enabled (vault) &&
         kl_azure_key_vault_get_require_private_networking (vault);
}

gboolean
kl_plan_can_rotate (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  return kl_azure_key_vault_get_enabled (plan_vault (self));
}

gboolean
kl_plan_can_manage_endpoints (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  return kl_azure_key_vault_get_enabled (plan_vault (self)) &&
         kl_azure_key_vault_get_require_private_networking (plan_vault (self));
}

gboolean
kl_plan_can_teardown (KlPlan         *self,
                      KlTeardownKind  kind)
{
  KlAzureKeyVault *vault;

  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  vault = plan_vault (self);
  switch (kind)
    {
    case KL_TEARDOWN_PRIVATE_NETWORKING:
      return kl_azure_key_vault_get_require_private_networking (vault) || self->endpoints->len > 0;
    case KL_TEARDOWN_CMK:
      return kl_azure_key_vault_get_enabled (vault);
    default:
      g_return_val_if_reached (FALSE);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The strings of @strings (borrowed), sorted, as a new GStrv. */
static GStrv
dup_sorted_strv (GPtrArray *strings)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_ptr_array_sort (strings, compare_strings);
  for (guint i = 0; i < strings->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (strings, i));

  return g_strv_builder_end (builder);
}

static GStrv
dup_regions (KlPlan   *self,
             gboolean  key_only)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);
      const KlRegionConfig *configs;
      guint n_configs = 0;

      if (key_only && !cluster_is_on_key (cluster) && !kl_plan_cluster_is_proposed (self, cluster))
        continue;

      configs = kl_cluster_get_region_configs (cluster, &n_configs);
      for (guint j = 0; j < n_configs; j++)
        {
          const char *region = configs[j].region_name;

          if (g_strcmp0 (configs[j].provider_name, "AZURE") != 0 || region == NULL)
            continue;
          if (g_hash_table_add (seen, (gpointer) region))
            g_ptr_array_add (sorted, (gpointer) region);
        }
    }

  return dup_sorted_strv (sorted);
}

GStrv
kl_plan_dup_cluster_regions (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), NULL);

  return dup_regions (self, FALSE);
}

GStrv
kl_plan_dup_key_regions (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), NULL);

  return dup_regions (self, TRUE);
}

/* The region's newest record: an old one that Atlas is replacing (PENDING_RECREATION) never
 * counts as the region's state. */
static KlPrivateEndpoint *
plan_find_endpoint (KlPlan     *self,
                    const char *region)
{
  return kl_private_endpoints_find_newest (self->endpoints, region);
}

GStrv
kl_plan_dup_missing_regions (KlPlan             *self,
                             const char * const *regions)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (KL_IS_PLAN (self), NULL);

  for (guint i = 0; regions != NULL && regions[i] != NULL; i++)
    {
      if (plan_find_endpoint (self, regions[i]) != NULL)
        continue;
      if (g_hash_table_add (seen, (gpointer) regions[i]))
        g_strv_builder_add (builder, regions[i]);
    }

  return g_strv_builder_end (builder);
}

gboolean
kl_plan_endpoints_all_active (KlPlan *self)
{
  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  if (self->endpoints->len == 0)
    return FALSE;

  /* Each region by its newest record. */
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      if (region != NULL)
        endpoint = plan_find_endpoint (self, region);
      if (kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_ACTIVE)
        return FALSE;
    }

  return TRUE;
}

GPtrArray *
kl_plan_dup_clusters_to_enable (KlPlan *self)
{
  GPtrArray *clusters = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KL_IS_PLAN (self), clusters);

  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);

      if (cluster_is_on_key (cluster))
        continue;
      if (!kl_plan_cluster_is_proposed (self, cluster))
        continue;
      g_ptr_array_add (clusters, g_object_ref (cluster));
    }

  return clusters;
}

char *
kl_plan_dup_cluster_names (GPtrArray *clusters)
{
  g_return_val_if_fail (clusters != NULL, NULL);

  return join_cluster_names (clusters);
}

gboolean
kl_plan_cluster_uses_key (KlCluster *cluster)
{
  g_return_val_if_fail (KL_IS_CLUSTER (cluster), FALSE);

  return cluster_is_on_key (cluster);
}

/* Single-cloud Azure: every region config with a cloud names Azure. */
static gboolean
cluster_is_on_azure (KlCluster *cluster)
{
  return !kl_cluster_is_multi_cloud (cluster) && kl_cluster_uses_provider (cluster, "AZURE");
}

/* Whether each Azure region of the cluster has an ACTIVE endpoint (and it has one at least). */
static gboolean
cluster_regions_active (KlPlan    *self,
                        KlCluster *cluster)
{
  const KlRegionConfig *configs;
  guint n_configs = 0;
  gboolean any = FALSE;

  configs = kl_cluster_get_region_configs (cluster, &n_configs);
  for (guint i = 0; i < n_configs; i++)
    {
      KlPrivateEndpoint *endpoint;

      if (g_strcmp0 (configs[i].provider_name, "AZURE") != 0)
        continue;
      any = TRUE;
      endpoint = plan_find_endpoint (self, configs[i].region_name);
      if (endpoint == NULL ||
          kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_ACTIVE)
        return FALSE;
    }

  return any;
}

KlKeyAccess
kl_plan_get_key_access (KlPlan     *self,
                        KlCluster  *cluster,
                        char      **reason)
{
  g_autoptr(GError) error = NULL;

  if (reason != NULL)
    *reason = NULL;

  g_return_val_if_fail (KL_IS_PLAN (self), KL_KEY_ACCESS_INELIGIBLE);
  g_return_val_if_fail (KL_IS_CLUSTER (cluster), KL_KEY_ACCESS_INELIGIBLE);

  if (!kl_cluster_check_cmk_eligible (cluster, &error))
    {
      gboolean only_paused = kl_cluster_get_paused (cluster) &&
                             !kl_cluster_is_serverless (cluster) &&
                             !kl_cluster_is_flex (cluster) &&
                             !kl_cluster_is_tenant (cluster) &&
                             !kl_cluster_is_multi_cloud (cluster);

      if (reason != NULL)
        *reason = g_strdup (error->message);
      return only_paused ? KL_KEY_ACCESS_PAUSED : KL_KEY_ACCESS_INELIGIBLE;
    }

  /* AWS, Google Cloud, or a cloud this version does not know: never Private Link. */
  if (!cluster_is_on_azure (cluster))
    return KL_KEY_ACCESS_PUBLIC_INTERNET;

  if (!kl_azure_key_vault_get_require_private_networking (plan_vault (self)))
    return KL_KEY_ACCESS_PUBLIC_INTERNET;

  return cluster_regions_active (self, cluster) ? KL_KEY_ACCESS_PRIVATE_LINK
                                                : KL_KEY_ACCESS_PRIVATE_LINK_WAITING;
}

gboolean
kl_plan_cluster_is_proposed (KlPlan    *self,
                             KlCluster *cluster)
{
  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);
  g_return_val_if_fail (KL_IS_CLUSTER (cluster), FALSE);

  return kl_cluster_check_cmk_eligible (cluster, NULL) && cluster_is_on_azure (cluster);
}

gboolean
kl_plan_can_close_public_access (KlPlan     *self,
                                 GPtrArray **blocking)
{
  g_autoptr(GPtrArray) lose = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_private = 0;

  if (blocking != NULL)
    *blocking = NULL;

  g_return_val_if_fail (KL_IS_PLAN (self), FALSE);

  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);

      if (!cluster_is_on_key (cluster))
        continue;

      /* A cluster on the key that is paused or became ineligible still needs the key when
       * it runs again: only Private Link counts as safe. */
      if (kl_plan_get_key_access (self, cluster, NULL) == KL_KEY_ACCESS_PRIVATE_LINK)
        n_private++;
      else
        g_ptr_array_add (lose, g_object_ref (cluster));
    }

  if (blocking != NULL)
    *blocking = g_ptr_array_ref (lose);

  return kl_azure_key_vault_get_enabled (plan_vault (self)) &&
         kl_azure_key_vault_get_require_private_networking (plan_vault (self)) &&
         n_private > 0 && lose->len == 0;
}

GStrv
kl_plan_dup_regions_needing_endpoint (KlPlan *self)
{
  g_auto(GStrv) regions = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  g_return_val_if_fail (KL_IS_PLAN (self), NULL);

  regions = kl_plan_dup_cluster_regions (self);
  for (guint i = 0; regions[i] != NULL; i++)
    {
      KlPrivateEndpoint *endpoint = plan_find_endpoint (self, regions[i]);

      if (endpoint != NULL &&
          kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_ACTIVE)
        continue;
      if (g_hash_table_add (seen, regions[i]))
        g_ptr_array_add (sorted, regions[i]);
    }

  for (guint i = 0; i < self->endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      if (region == NULL ||
          kl_private_endpoint_get_status (plan_find_endpoint (self, region)) ==
          KL_ENDPOINT_STATUS_ACTIVE)
        continue;
      if (g_hash_table_add (seen, (gpointer) region))
        g_ptr_array_add (sorted, (gpointer) region);
    }

  return dup_sorted_strv (sorted);
}

GPtrArray *
kl_plan_dup_multi_cloud_clusters (KlPlan *self)
{
  GPtrArray *clusters = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KL_IS_PLAN (self), clusters);

  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);

      if (kl_cluster_is_multi_cloud (cluster))
        g_ptr_array_add (clusters, g_object_ref (cluster));
    }

  return clusters;
}

GPtrArray *
kl_plan_dup_teardown_steps (KlPlan         *self,
                            KlTeardownKind  kind)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_plan_step_free);
  KlAzureKeyVault *vault;
  gboolean clusters_changing = FALSE;

  g_return_val_if_fail (KL_IS_PLAN (self), steps);

  vault = plan_vault (self);

  /* 1. Every record goes, whatever its state (INITIATING ones are waited out), old ones that
   * Atlas is replacing (PENDING_RECREATION) included: the list must end up empty. */
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);
      char *description;

      if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_DELETING)
        continue;

      if (region != NULL && plan_find_endpoint (self, region) != endpoint)
        /* Translators: %s is an Atlas region such as US_EAST_2; the endpoint is an old
         * record that Atlas replaced by a new one after a rejection in Azure */
        description = g_strdup_printf (_("Delete the replaced private endpoint in %s"), region);
      else
        /* Translators: %s is an Atlas region such as US_EAST_2 */
        description = g_strdup_printf (_("Delete the private endpoint in %s"),
                                       region ? region : "?");
      g_ptr_array_add (steps,
                       plan_step_new (KL_PLAN_STEP_DELETE_ENDPOINT,
                                      kl_private_endpoint_get_id (endpoint), region,
                                      description));
    }

  /* 2. …and the list must be empty before anything else changes. */
  if (self->endpoints->len > 0)
    g_ptr_array_add (steps,
                     plan_step_new (KL_PLAN_STEP_WAIT_ENDPOINTS_GONE, NULL, NULL,
                                    g_strdup (_("Wait until Atlas has removed every private endpoint"))));

  if (kind == KL_TEARDOWN_PRIVATE_NETWORKING)
    {
      if (kl_azure_key_vault_get_require_private_networking (vault))
        g_ptr_array_add (steps,
                         plan_step_new (KL_PLAN_STEP_DISABLE_PRIVATE_NETWORKING, NULL, NULL,
                                        g_strdup (_("Stop requiring private networking for the key vault"))));
      return steps;
    }

  /* 3. Clusters back to Atlas-managed encryption, then wait until they are idle. */
  for (guint i = 0; i < self->clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (self->clusters, i);
      const char *name = kl_cluster_get_name (cluster);

      if (cluster_is_on_key (cluster))
        {
          g_ptr_array_add (steps,
                           plan_step_new (KL_PLAN_STEP_CLUSTER_PROVIDER_NONE, name, NULL,
                                          /* Translators: %s is a cluster name */
                                          g_strdup_printf (_("Stop using your key on cluster “%s”"), name)));
          clusters_changing = TRUE;
        }
      else if (cluster_is_busy (cluster) &&
               g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "NONE") == 0)
        {
          clusters_changing = TRUE;
        }
    }

  if (clusters_changing)
    g_ptr_array_add (steps,
                     plan_step_new (KL_PLAN_STEP_WAIT_CLUSTERS_IDLE, NULL, NULL,
                                    g_strdup (_("Wait until every cluster has finished updating"))));

  /* 4. Last: the project's key. */
  if (kl_azure_key_vault_get_enabled (vault))
    g_ptr_array_add (steps,
                     plan_step_new (KL_PLAN_STEP_DISABLE_CMK, NULL, NULL,
                                    g_strdup (_("Turn off encryption at rest with your key for the project"))));

  return steps;
}
