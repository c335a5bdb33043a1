/* kl-atlas-client-ear.c
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
/* Encryption at rest                                                                          */

void
kl_atlas_client_get_encryption_at_rest_async (KlAtlasClient       *self,
                                              const char          *group_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL,
                                 kl_atlas_client_get_encryption_at_rest_async,
                                 callback, user_data))
    return;

  kl_atlas_object_call (self, kl_atlas_client_get_encryption_at_rest_async, SOUP_METHOD_GET,
                        kl_atlas_group_path (group_id, "/encryptionAtRest"), MEDIA_2023, NULL,
                        REQUEST_RETRY_TRANSIENT, (ParseFunc) kl_encryption_at_rest_parse,
                        cancellable, callback, user_data);
}

KlEncryptionAtRest *
kl_atlas_client_get_encryption_at_rest_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_get_encryption_at_rest_async, error);
}

void
kl_atlas_client_patch_encryption_at_rest_async (KlAtlasClient       *self,
                                                const char          *group_id,
                                                GBytes              *body,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL,
                                 kl_atlas_client_patch_encryption_at_rest_async,
                                 callback, user_data))
    return;

  kl_atlas_object_call (self, kl_atlas_client_patch_encryption_at_rest_async, "PATCH",
                        kl_atlas_group_path (group_id, "/encryptionAtRest"), MEDIA_2023, body, 0,
                        (ParseFunc) kl_encryption_at_rest_parse, cancellable, callback, user_data);
}

KlEncryptionAtRest *
kl_atlas_client_patch_encryption_at_rest_finish (KlAtlasClient  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_patch_encryption_at_rest_async, error);
}
