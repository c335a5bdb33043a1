/* kl-atlas-client-endpoints.c
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
/* Private endpoints                                                                           */

void
kl_atlas_client_list_private_endpoints_async (KlAtlasClient       *self,
                                              const char          *group_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, NULL, NULL,
                                 kl_atlas_client_list_private_endpoints_async,
                                 callback, user_data))
    return;

  kl_atlas_list_call (self, kl_atlas_client_list_private_endpoints_async,
                      kl_atlas_endpoints_path (group_id),
                      MEDIA_2023, kl_private_endpoint_parse_page,
                      (ItemKeyFunc) kl_private_endpoint_get_id,
                      cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_private_endpoints_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_list_private_endpoints_async, error);
}

void
kl_atlas_client_get_private_endpoint_async (KlAtlasClient       *self,
                                            const char          *group_id,
                                            const char          *endpoint_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_endpoint_id, endpoint_id,
                                 kl_atlas_client_get_private_endpoint_async, callback, user_data))
    return;

  kl_atlas_object_call (self, kl_atlas_client_get_private_endpoint_async, SOUP_METHOD_GET,
                        kl_atlas_endpoint_path (group_id, endpoint_id), MEDIA_2023, NULL,
                        REQUEST_RETRY_TRANSIENT,
                        (ParseFunc) kl_private_endpoint_parse, cancellable, callback, user_data);
}

KlPrivateEndpoint *
kl_atlas_client_get_private_endpoint_finish (KlAtlasClient  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_get_private_endpoint_async, error);
}

void
kl_atlas_client_create_private_endpoint_async (KlAtlasClient       *self,
                                               const char          *group_id,
                                               const char          *region_name,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_region_name, region_name,
                                 kl_atlas_client_create_private_endpoint_async, callback,
                                 user_data))
    return;

  body = kl_private_endpoint_build_create (region_name);
  kl_atlas_object_call (self, kl_atlas_client_create_private_endpoint_async, SOUP_METHOD_POST,
                        kl_atlas_endpoints_path (group_id), MEDIA_2023, body, 0,
                        (ParseFunc) kl_private_endpoint_parse, cancellable, callback, user_data);
}

KlPrivateEndpoint *
kl_atlas_client_create_private_endpoint_finish (KlAtlasClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_create_private_endpoint_async, error);
}

typedef struct
{
  char   *group_id;
  char   *region_name;
  guint   attempt;
  GError *conflict;  /* the POST found one already (a concurrent create): list, never POST */
} EnsureCall;

static void
ensure_call_free (gpointer data)
{
  EnsureCall *call = data;

  g_free (call->group_id);
  g_free (call->region_name);
  g_clear_error (&call->conflict);
  g_free (call);
}

static void ensure_list (GTask *task);

static gboolean
is_ambiguous_failure (const GError *error)
{
  /* The POST may or may not have created the endpoint. */
  return g_error_matches (error, KL_ERROR, KL_ERROR_SERVER) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_NETWORK) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TIMEOUT) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

static void
ensure_delay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kl_atlas_delay_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ensure_list (g_steal_pointer (&task));
}

static void
ensure_created_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KlAtlasClient *self = KL_ATLAS_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  EnsureCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  KlPrivateEndpoint *endpoint;

  endpoint = kl_atlas_client_create_private_endpoint_finish (self, result, &error);
  if (endpoint != NULL)
    {
      g_task_return_pointer (task, endpoint, g_object_unref);
      return;
    }

  /* Another create got there first (two callers, or another tool): take its endpoint. */
  if (g_error_matches (error, KL_ERROR, KL_ERROR_CONFLICT) && call->conflict == NULL)
    {
      call->conflict = g_steal_pointer (&error);
      ensure_list (g_steal_pointer (&task));
      return;
    }

  if (is_ambiguous_failure (error) && call->attempt < self->max_attempts)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      guint delay = kl_atlas_backoff_ms (self, call->attempt);

      g_debug ("Creating an endpoint in %s failed (%s); listing again in %u ms",
               call->region_name, error->message, delay);
      call->attempt++;
      kl_atlas_delay_async (delay, cancellable, ensure_delay_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/* Takes the reference on @task. Returns the region's endpoint from @endpoints, a list read
 * after the last POST of this call, or POSTs. */
static void
ensure_check (GTask     *task,
              GPtrArray *endpoints)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  EnsureCall *call = g_task_get_task_data (task);
  GCancellable *cancellable;
  KlPrivateEndpoint *endpoint;

  /* The region's newest record: after a rejection in Azure, the one Atlas made to replace the
   * old record (never a second POST for the region). */
  endpoint = kl_private_endpoints_find_newest (endpoints, call->region_name);
  if (endpoint != NULL && kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_DELETING)
    {
      g_task_return_pointer (task, g_object_ref (endpoint), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (call->conflict != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&call->conflict));
      g_object_unref (task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  kl_atlas_client_create_private_endpoint_async (self, call->group_id, call->region_name,
                                                 cancellable, ensure_created_cb, task);
}

static void
ensure_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAtlasClient *self = KL_ATLAS_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  if (!(endpoints = kl_atlas_client_list_private_endpoints_finish (self, result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ensure_check (g_steal_pointer (&task), endpoints);
}

/* Takes the reference on @task. */
static void
ensure_list (GTask *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  EnsureCall *call = g_task_get_task_data (task);

  kl_atlas_client_list_private_endpoints_async (self, call->group_id,
                                                g_task_get_cancellable (task),
                                                ensure_listed_cb, task);
}

static GTask *
ensure_task_new (KlAtlasClient       *self,
                 const char          *group_id,
                 const char          *region_name,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  EnsureCall *call;
  GTask *task;

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_region_name, region_name,
                                 kl_atlas_client_ensure_private_endpoint_async, callback,
                                 user_data))
    return NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  call = g_new0 (EnsureCall, 1);
  call->group_id = g_strdup (group_id);
  call->region_name = g_strdup (region_name);
  call->attempt = 1;
  g_task_set_source_tag (task, kl_atlas_client_ensure_private_endpoint_async);
  g_task_set_task_data (task, call, ensure_call_free);

  return task;
}

void
kl_atlas_client_ensure_private_endpoint_async (KlAtlasClient       *self,
                                               const char          *group_id,
                                               const char          *region_name,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ensure_task_new (self, group_id, region_name, cancellable, callback, user_data);
  if (task != NULL)
    ensure_list (task);
}

void
kl_atlas_client_ensure_private_endpoint_listed_async (KlAtlasClient       *self,
                                                      const char          *group_id,
                                                      const char          *region_name,
                                                      GPtrArray           *endpoints,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (endpoints != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ensure_task_new (self, group_id, region_name, cancellable, callback, user_data);
  if (task != NULL)
    ensure_check (task, endpoints);
}

KlPrivateEndpoint *
kl_atlas_client_ensure_private_endpoint_finish (KlAtlasClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error)
{
  return kl_atlas_call_finish (self, result, kl_atlas_client_ensure_private_endpoint_async, error);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!(bytes = kl_atlas_request_finish (result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Atlas answers 204 without a body: a 2xx with one that is not even JSON did not come from
   * Atlas, and is no proof that anything was deleted. */
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      if (!kl_json_depth_is_safe (data, (gssize) size) ||
          !json_parser_load_from_data (parser, data, (gssize) size, NULL))
        {
          kl_error_set_bad_response (&error, "DELETE: a %" G_GSIZE_FORMAT "-byte answer that is "
                                     "not JSON", size);
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

void
kl_atlas_client_delete_private_endpoint_async (KlAtlasClient       *self,
                                               const char          *group_id,
                                               const char          *endpoint_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!kl_atlas_check_arguments (self, group_id, kl_atlas_check_endpoint_id, endpoint_id,
                                 kl_atlas_client_delete_private_endpoint_async, callback,
                                 user_data))
    return;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_atlas_client_delete_private_endpoint_async);

  kl_atlas_request_async (self, SOUP_METHOD_DELETE, kl_atlas_endpoint_path (group_id, endpoint_id),
                          MEDIA_2023,
                          NULL, REQUEST_RETRY_TRANSIENT | REQUEST_GONE_IS_DONE, cancellable,
                          delete_cb,
                          task);
}

gboolean
kl_atlas_client_delete_private_endpoint_finish (KlAtlasClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error)
{
  return kl_atlas_call_finish_boolean (self, result, kl_atlas_client_delete_private_endpoint_async,
                                       error);
}
