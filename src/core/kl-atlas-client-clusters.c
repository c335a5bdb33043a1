/* kl-atlas-client-clusters.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kl-atlas-client-private.h"
#include "kl-error.h"
#include "kl-http-log.h"

/* ------------------------------------------------------------------------------------------ */
/* Clusters                                                                                    */

void
kl_atlas_client_list_clusters_async (KlAtlasClient       *self,
                                     const char          *group_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL, kl_atlas_client_list_clusters_async,
                                 callback, user_data))
    return;

  kl_atlas_list_call (self, kl_atlas_client_list_clusters_async,
                      kl_atlas_group_path (group_id, "/clusters"),
                      MEDIA_CLUSTER_READ, kl_cluster_parse_page, (ItemKeyFunc) kl_cluster_get_name,
                      cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_clusters_finish (KlAtlasClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_list_clusters_async, error);
}

void
kl_atlas_client_list_flex_clusters_async (KlAtlasClient       *self,
                                          const char          *group_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL,
                                 kl_atlas_client_list_flex_clusters_async,
                                 callback, user_data))
    return;

  kl_atlas_list_call (self, kl_atlas_client_list_flex_clusters_async,
                      kl_atlas_group_path (group_id, "/flexClusters"), MEDIA_FLEX,
                      kl_cluster_parse_flex_page,
                      (ItemKeyFunc) kl_cluster_get_name, cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_flex_clusters_finish (KlAtlasClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_list_flex_clusters_async, error);
}

void
kl_atlas_client_get_cluster_async (KlAtlasClient       *self,
                                   const char          *group_id,
                                   const char          *cluster_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_cluster_name, cluster_name,
                                 kl_atlas_client_get_cluster_async, callback, user_data))
    return;

  kl_atlas_object_call (self, kl_atlas_client_get_cluster_async, SOUP_METHOD_GET,
                        kl_atlas_cluster_path (group_id, cluster_name),
                        MEDIA_CLUSTER_READ, NULL, REQUEST_RETRY_TRANSIENT,
                        (ParseFunc) kl_cluster_parse, cancellable, callback, user_data);
}

KlCluster *
kl_atlas_client_get_cluster_finish (KlAtlasClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_get_cluster_async, error);
}

void
kl_atlas_client_set_cluster_encryption_async (KlAtlasClient       *self,
                                              const char          *group_id,
                                              const char          *cluster_name,
                                              const char          *provider,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_cluster_name, cluster_name,
                                 kl_atlas_client_set_cluster_encryption_async, callback, user_data))
    return;

  body = kl_cluster_build_encryption_patch (provider);
  kl_atlas_object_call (self, kl_atlas_client_set_cluster_encryption_async, "PATCH",
                        kl_atlas_cluster_path (group_id, cluster_name),
                        MEDIA_CLUSTER_PATCH, body, 0, (ParseFunc) kl_cluster_parse,
                        cancellable, callback, user_data);
}

KlCluster *
kl_atlas_client_set_cluster_encryption_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_set_cluster_encryption_async, error);
}
