/* fuzz-atlas-cluster.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-atlas-types.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for kl_cluster_parse() and kl_cluster_parse_page(), and what is derived
 * from a cluster. Beyond the sanitizers it aborts when a promise breaks: a model or a
 * KL_ERROR_BAD_RESPONSE; a cluster has a name; every string UTF-8; the tier and provider
 * come from the region configs; and the documented rule holds — M0/M2/M5, Flex,
 * serverless, multi-cloud and paused clusters are never eligible for a customer key (and a
 * refusal is KL_ERROR_INELIGIBLE with a message). */

static void
check_cluster (gpointer model)
{
  KlCluster *cluster = model;
  const KlRegionConfig *configs;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean never_eligible;
  gboolean eligible;
  guint n = 0;
  guint i;

  REQUIRE (kl_cluster_get_name (cluster) != NULL && kl_cluster_get_name (cluster)[0] != '\0');
  REQUIRE_TEXT (kl_cluster_get_name (cluster));
  REQUIRE_TEXT (kl_cluster_get_id (cluster));
  REQUIRE_TEXT (kl_cluster_get_state_name (cluster));
  REQUIRE_TEXT (kl_cluster_get_encryption_at_rest_provider (cluster));
  REQUIRE_TEXT (kl_cluster_get_cluster_type (cluster));
  REQUIRE_TEXT (kl_cluster_get_instance_size (cluster));
  REQUIRE_TEXT (kl_cluster_get_provider_name (cluster));

  configs = kl_cluster_get_region_configs (cluster, &n);
  REQUIRE (n == 0 || configs != NULL);
  for (i = 0; i < n; i++)
    {
      REQUIRE_TEXT (configs[i].provider_name);
      REQUIRE_TEXT (configs[i].backing_provider_name);
      REQUIRE_TEXT (configs[i].region_name);
      REQUIRE_TEXT (configs[i].instance_size);
    }
  if (n == 0)
    {
      REQUIRE (kl_cluster_get_instance_size (cluster) == NULL);
      REQUIRE (kl_cluster_get_provider_name (cluster) == NULL);
      REQUIRE (!kl_cluster_is_multi_cloud (cluster));
    }

  (void) kl_cluster_uses_provider (cluster, "AZURE");
  (void) kl_cluster_uses_provider (cluster, "");

  never_eligible = kl_cluster_is_tenant (cluster) || kl_cluster_is_flex (cluster) ||
                   kl_cluster_is_serverless (cluster) || kl_cluster_is_multi_cloud (cluster) ||
                   kl_cluster_get_paused (cluster);
  eligible = kl_cluster_check_cmk_eligible (cluster, &error);
  if (eligible)
    {
      REQUIRE (error == NULL);
      REQUIRE (!never_eligible);
    }
  else
    {
      REQUIRE (g_error_matches (error, KL_ERROR, KL_ERROR_INELIGIBLE));
      REQUIRE (error->message[0] != '\0' && g_utf8_validate (error->message, -1, NULL));
    }

  g_object_get (cluster, "name", &name, NULL);
  REQUIRE (g_strcmp0 (name, kl_cluster_get_name (cluster)) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_model_parsers (data, size, (FuzzParseFunc) kl_cluster_parse, kl_cluster_parse_page,
                      check_cluster);
  /* The same bytes as a Flex API answer (FlexClusterDescription20241113). */
  return fuzz_model_parsers (data, size, (FuzzParseFunc) kl_cluster_parse_flex,
                             kl_cluster_parse_flex_page, check_cluster);
}
