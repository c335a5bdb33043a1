/* kl-atlas-client-project.c
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
/* Projects                                                                                    */

void
kl_atlas_client_list_projects_async (KlAtlasClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  kl_atlas_list_call (self, kl_atlas_client_list_projects_async, g_strdup (GROUPS_PATH), MEDIA_2023,
                      kl_project_parse_page, (ItemKeyFunc) kl_project_get_id, cancellable, callback,
                      user_data);
}

GPtrArray *
kl_atlas_client_list_projects_finish (KlAtlasClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_list_projects_async, error);
}

void
kl_atlas_client_get_project_async (KlAtlasClient       *self,
                                   const char          *group_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL, kl_atlas_client_get_project_async,
                                 callback, user_data))
    return;

  kl_atlas_object_call (self, kl_atlas_client_get_project_async, SOUP_METHOD_GET,
                        kl_atlas_group_path (group_id, ""), MEDIA_2023, NULL,
                        REQUEST_RETRY_TRANSIENT,
                        (ParseFunc) kl_project_parse, cancellable, callback, user_data);
}

KlProject *
kl_atlas_client_get_project_finish (KlAtlasClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_get_project_async, error);
}
