/* kl-atlas-client.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-atlas-types.h"
#include "kl-types.h"

G_BEGIN_DECLS

/* The Atlas Admin API v2 client (HACKING.md, Atlas facts).
 *
 * One SoupSession per client, bound to the thread-default main context of its creation.
 * Authentication: an API key over HTTP Digest, or a service account over OAuth 2 client
 * credentials (one token at a time, cached until 60 s before it expires, shared by concurrent
 * calls, renewed once on a 401, revoked on sign-out). The secret is copied at construction,
 * held only in this object and zeroed on sign-out and finalization.
 *
 * Every call is an _async/_finish pair on GTask. Errors are KL_ERROR (kl-error.h) with a
 * translated message that says what to do; those that come from an Atlas error answer carry
 * the Atlas error (kl_atlas_error_from_gerror(), kl_error_get_atlas_code()), the HTTP status
 * and the Retry-After wait. Cancellation is G_IO_ERROR_CANCELLED, and should be ignored.
 *
 * Retries: 429 (any method) waits at least Retry-After; GET and DELETE are also retried on
 * 5xx and broken connections; then exponential backoff with jitter (defaults: 4 attempts, base
 * 1 s, cap 30 s; a Retry-After beyond the cap is not waited for: the error reports it). Other
 * POSTs and PATCHes are never retried blindly; use kl_atlas_client_ensure_private_endpoint_async()
 * to create endpoints. Lists are read whole, page after page. An answer larger than 16 MiB is
 * not read further: KL_ERROR_BAD_RESPONSE. Every request has a total deadline
 * (kl_atlas_client_set_deadlines ()). A redirect is followed only for a GET, within the
 * service's origin (scheme, host and port), at most 3 times; one to another origin is an
 * error (kl_error_new_redirect ()), and nothing is sent there.
 *
 * Ids are checked (24 lowercase hex; cluster names ^[a-zA-Z0-9][a-zA-Z0-9-]*$) before anything
 * is sent: a malformed one is KL_ERROR_INVALID_INPUT. */

#define KL_ATLAS_URL            "https://cloud.mongodb.com"
#define KL_ATLAS_GOVERNMENT_URL "https://cloud.mongodbgov.com"

#define KL_TYPE_ATLAS_CLIENT (kl_atlas_client_get_type ())

G_DECLARE_FINAL_TYPE (KlAtlasClient, kl_atlas_client, KL, ATLAS_CLIENT, GObject)

/* The base URL of a service; NULL for KL_ATLAS_SERVICE_CUSTOM. */
const char    *kl_atlas_service_get_url           (KlAtlasService   service);

/* Whether @url may be used as a base URL: http or https, a host, no user info, query or
 * fragment; https unless the host is loopback (127.0.0.0/8, ::1, localhost) — else
 * KL_ERROR_INSECURE_URL. Anything malformed is KL_ERROR_INVALID_INPUT. Messages are
 * translated and fit under the URL field. */
gboolean       kl_atlas_check_base_url            (const char      *url,
                                                   GError         **error);

/* @principal: the public key (API key) or client ID (service account); @secret: the private
 * key or client secret, copied. NULL with KL_ERROR_INSECURE_URL / _INVALID_INPUT when the URL
 * is refused or a credential is empty. Nothing is sent until the first call. */
KlAtlasClient *kl_atlas_client_new                (const char      *base_url,
                                                   KlAuthType       auth_type,
                                                   const char      *principal,
                                                   const char      *secret,
                                                   GError         **error);

const char    *kl_atlas_client_get_base_url       (KlAtlasClient   *self); /* no trailing '/' */
KlAuthType     kl_atlas_client_get_auth_type      (KlAtlasClient   *self);
const char    *kl_atlas_client_get_principal      (KlAtlasClient   *self);
gboolean       kl_atlas_client_is_signed_out      (KlAtlasClient   *self);

/* Tuning, mostly for tests: attempts (>= 1) per call, backoff base and cap in milliseconds. */
void           kl_atlas_client_set_retry_policy   (KlAtlasClient   *self,
                                                   guint            max_attempts,
                                                   guint            base_delay_ms,
                                                   guint            max_delay_ms);
/* Seconds without progress before a call fails with KL_ERROR_TIMEOUT (default 30). */
void           kl_atlas_client_set_timeout        (KlAtlasClient   *self,
                                                   guint            seconds);
/* The most a request may take, headers and whole body, however slowly the answer comes:
 * then it fails with KL_ERROR_TIMEOUT (kl_error_new_deadline ()). Defaults: 60 s for reads
 * (GET), 120 s for writes; the environment variable KL_ATLAS_DEADLINE_SECONDS, read once,
 * sets both. */
void           kl_atlas_client_set_deadlines      (KlAtlasClient   *self,
                                                   guint            read_seconds,
                                                   guint            write_seconds);
/* itemsPerPage of list calls, 1–500 (default 500). */
void           kl_atlas_client_set_page_size      (KlAtlasClient   *self,
                                                   guint            items_per_page);

/* GET /groups, every page. Result: GPtrArray of KlProject (transfer full). Also the sign-in
 * check: it proves the credentials. */
void           kl_atlas_client_list_projects_async          (KlAtlasClient        *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray     *kl_atlas_client_list_projects_finish         (KlAtlasClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* GET /groups/{groupId} */
void           kl_atlas_client_get_project_async            (KlAtlasClient        *self,
                                                             const char           *group_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
KlProject     *kl_atlas_client_get_project_finish           (KlAtlasClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* GET /groups/{groupId}/encryptionAtRest */
void           kl_atlas_client_get_encryption_at_rest_async (KlAtlasClient        *self,
                                                             const char           *group_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
KlEncryptionAtRest *kl_atlas_client_get_encryption_at_rest_finish (KlAtlasClient  *self,
                                                                   GAsyncResult   *result,
                                                                   GError        **error);

/* PATCH /groups/{groupId}/encryptionAtRest with a body from kl_encryption_at_rest_build_*()
 * (the client keeps a reference while it needs it). Result: the configuration Atlas returns. */
void           kl_atlas_client_patch_encryption_at_rest_async (KlAtlasClient      *self,
                                                               const char         *group_id,
                                                               GBytes             *body,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
KlEncryptionAtRest *kl_atlas_client_patch_encryption_at_rest_finish (KlAtlasClient  *self,
                                                                     GAsyncResult   *result,
                                                                     GError        **error);

/* GET /groups/{groupId}/encryptionAtRest/AZURE/privateEndpoints, every page.
 * Result: GPtrArray of KlPrivateEndpoint (transfer full). */
void           kl_atlas_client_list_private_endpoints_async  (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray     *kl_atlas_client_list_private_endpoints_finish (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* GET …/privateEndpoints/{endpointId} */
void           kl_atlas_client_get_private_endpoint_async    (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *endpoint_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KlPrivateEndpoint *kl_atlas_client_get_private_endpoint_finish (KlAtlasClient     *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);

/* POST …/privateEndpoints {"regionName"} → 202, status INITIATING. One POST, never retried
 * but on 429: prefer kl_atlas_client_ensure_private_endpoint_async(). */
void           kl_atlas_client_create_private_endpoint_async (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *region_name,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KlPrivateEndpoint *kl_atlas_client_create_private_endpoint_finish (KlAtlasClient  *self,
                                                                   GAsyncResult   *result,
                                                                   GError        **error);

/* The safe create: lists the endpoints and returns the region's existing one (any status but
 * DELETING, so FAILED too: delete it first to start over); else POSTs. When the POST fails
 * without a clear answer (5xx, broken connection, timeout, unreadable answer) it lists again
 * before any new POST, so a region never gets two endpoints; when the POST finds one already
 * (a concurrent create) it returns that one. Result: the existing or new endpoint. */
void           kl_atlas_client_ensure_private_endpoint_async (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *region_name,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KlPrivateEndpoint *kl_atlas_client_ensure_private_endpoint_finish (KlAtlasClient  *self,
                                                                   GAsyncResult   *result,
                                                                   GError        **error);
/* The same safe create when the caller has just listed the endpoints (@endpoints: of
 * KlPrivateEndpoint, read after the last change it made): that list takes the place of the
 * first one, so creating N regions costs one list and N POSTs. The list after an unclear
 * failure and the conflict handling are the same. Finish with
 * kl_atlas_client_ensure_private_endpoint_finish(). */
void           kl_atlas_client_ensure_private_endpoint_listed_async (KlAtlasClient   *self,
                                                                     const char      *group_id,
                                                                     const char      *region_name,
                                                                     GPtrArray       *endpoints,
                                                                     GCancellable    *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer         user_data);

/* DELETE …/privateEndpoints/{endpointId} → 204 (then DELETING, then gone). A retried DELETE
 * that finds the endpoint gone counts as done. */
void           kl_atlas_client_delete_private_endpoint_async (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *endpoint_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean       kl_atlas_client_delete_private_endpoint_finish (KlAtlasClient      *self,
                                                               GAsyncResult       *result,
                                                               GError            **error);

/* GET /groups/{groupId}/clusters, every page. Result: GPtrArray of KlCluster (transfer full). */
void           kl_atlas_client_list_clusters_async           (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray     *kl_atlas_client_list_clusters_finish          (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* GET /groups/{groupId}/flexClusters (media type 2024-11-13), every page. Since January 2026
 * the clusters list no longer holds Flex clusters. Result: GPtrArray of KlCluster, each with
 * kl_cluster_is_flex() TRUE (transfer full). */
void           kl_atlas_client_list_flex_clusters_async      (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray     *kl_atlas_client_list_flex_clusters_finish     (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* GET /groups/{groupId}/clusters/{clusterName} */
void           kl_atlas_client_get_cluster_async             (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *cluster_name,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KlCluster     *kl_atlas_client_get_cluster_finish            (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* PATCH /groups/{groupId}/clusters/{clusterName} {"encryptionAtRestProvider": @provider}
 * ("AZURE" or "NONE"), nothing else. Result: the cluster as Atlas returns it (UPDATING). */
void           kl_atlas_client_set_cluster_encryption_async  (KlAtlasClient       *self,
                                                              const char          *group_id,
                                                              const char          *cluster_name,
                                                              const char          *provider,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KlCluster     *kl_atlas_client_set_cluster_encryption_finish (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* Revokes the cached service-account token (POST /api/oauth/revoke), forgets the API key's
 * Digest state, zeroes the secret and token. Afterwards every call fails with
 * KL_ERROR_AUTH_FAILED. The client is signed out even when the revocation fails (the error
 * says so; the token then simply expires within the hour). */
void           kl_atlas_client_sign_out_async                (KlAtlasClient       *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean       kl_atlas_client_sign_out_finish               (KlAtlasClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
