/* kl-atlas-client-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "kl-atlas-client.h"

G_BEGIN_DECLS

/* What the files of KlAtlasClient share: the instance, the transport, the token cache and the
 * generic calls the operations (kl-atlas-client-*.c) are made of. Internal to the core library. */

#define MEDIA_2023          "application/vnd.atlas.2023-01-01+json"
#define MEDIA_CLUSTER_READ  "application/vnd.atlas.2024-08-05+json"
#define MEDIA_CLUSTER_PATCH "application/vnd.atlas.2024-10-23+json"
#define MEDIA_FLEX          "application/vnd.atlas.2024-11-13+json"
#define MEDIA_JSON          "application/json"
#define MEDIA_FORM          "application/x-www-form-urlencoded"

#define TOKEN_PATH  "/api/oauth/token"
#define REVOKE_PATH "/api/oauth/revoke"
#define GROUPS_PATH "/api/atlas/v2/groups"

/* A token is dropped this long before it expires (at most half its life). */
#define TOKEN_MARGIN_SECONDS 60
/* No list is longer than this many pages (a server looping on "next" would be). */
#define MAX_PAGES 1000
/* The largest answer read: the biggest the Admin API sends (a page of 500 clusters) is a few
 * MB; what is larger is not Atlas talking, and is not kept in memory. */
#define MAX_BODY_BYTES (16 * 1024 * 1024)

#define DEFAULT_MAX_ATTEMPTS  4
#define DEFAULT_BASE_DELAY_MS 1000
#define DEFAULT_MAX_DELAY_MS  30000
#define DEFAULT_TIMEOUT_S     30
#define DEFAULT_PAGE_SIZE     500
/* The most one request (headers and whole body) may take, however the answer trickles:
 * reads, and writes. KL_ATLAS_DEADLINE_SECONDS overrides both, for tests. */
#define DEFAULT_READ_DEADLINE_S  60
#define DEFAULT_WRITE_DEADLINE_S 120
/* Redirects within the service's origin followed per request; none to another origin. */
#define MAX_REDIRECTS 3

struct _KlAtlasClient
{
  GObject parent_instance;

  SoupSession *session;
  GCancellable *cancellable;  /* for the client's own calls (tokens); cancelled on dispose */
  char *base_url;
  KlAuthType auth_type;
  char *principal;
  char *secret;               /* zeroed on sign-out and finalize */
  gboolean signed_out;

  /* Service account */
  char *token;                /* zeroed when dropped */
  gint64 token_expiry;        /* monotonic µs */
  guint token_generation;
  GQueue token_waiters;       /* GTask*, each owning a ref */
  gboolean token_in_flight;

  guint max_attempts;
  guint base_delay_ms;
  guint max_delay_ms;
  guint page_size;
  guint read_deadline_s;
  guint write_deadline_s;
};

/* ---- kl-atlas-client.c: the client, and the checks of call arguments ---- */

typedef gboolean (*CheckFunc) (const char  *value,
                               GError     **error);

GError *kl_atlas_signed_out_error (void);
gboolean kl_atlas_check_endpoint_id (const char  *endpoint_id,
                                     GError     **error);
gboolean kl_atlas_check_cluster_name (const char  *name,
                                      GError     **error);
gboolean kl_atlas_check_region_name (const char  *region,
                                     GError     **error);
/* TRUE when @group_id, and @other if @check_other is given, are valid. Otherwise reports the
 * error to @callback as the call tagged @source_tag, and returns FALSE. */
gboolean kl_atlas_check_arguments (KlAtlasClient       *self,
                                   const char          *group_id,
                                   CheckFunc            check_other,
                                   const char          *other,
                                   gpointer             source_tag,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);

/* ---- kl-atlas-url.c: base URLs ---- */

gboolean kl_atlas_is_loopback_host (const char *host);
/* The URL as the client uses it (scheme://host[:port]), or NULL with @error set. */
char *kl_atlas_normalize_base_url (const char  *url,
                                   GError     **error);

/* ---- kl-atlas-transport.c: one HTTP call, with authentication and retries.
 * Result: the body of a 2xx answer (GBytes) ---- */

typedef enum
{
  REQUEST_RETRY_TRANSIENT = 1 << 0, /* idempotent: repeat on 5xx and broken connections */
  REQUEST_GONE_IS_DONE    = 1 << 1, /* DELETE: a repeat that finds nothing succeeded */
  REQUEST_OWN_AUTH        = 1 << 2, /* token endpoint: Basic auth, no token, works signed out */
  REQUEST_SECRET_ANSWER   = 1 << 3, /* the answer holds a token: wiped when dropped unread */
} RequestFlags;

typedef struct
{
  const char   *method;
  char         *path;           /* with its query */
  const char   *accept;
  const char   *content_type;
  GBytes       *body;
  char         *authorization;  /* for REQUEST_OWN_AUTH; zeroed */
  RequestFlags  flags;
  guint         attempt;        /* 1-based */
  gboolean      token_renewed;
  guint         token_generation;
  SoupMessage  *message;
  char         *redirect_uri;   /* a same-origin Location to follow, else NULL */
  guint         n_redirects;
  /* The attempt in flight: its own cancellable (cancelled by the task's, or at the deadline) */
  GCancellable *attempt_cancellable;
  gulong        attempt_cancelled_id;
  GSource      *deadline;
  guint         deadline_s;
  gboolean      deadline_passed;
} Request;

void kl_atlas_source_destroy_and_unref (gpointer data);
void kl_atlas_delay_async (guint                ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);
gboolean kl_atlas_delay_finish (GAsyncResult  *result,
                                GError       **error);
/* "Basic base64(principal:secret)"; zero it with kl_secret_free(). */
char *kl_atlas_basic_authorization (KlAtlasClient *self);
guint kl_atlas_backoff_ms (KlAtlasClient *self,
                           guint          attempt);
/* Frees @bytes, the only reference to an answer that may hold a secret, zeroing its buffer:
 * request_read_cb () made it around a g_malloc ()ed buffer, which g_bytes_unref_to_data ()
 * then hands back itself (not a copy). */
void kl_atlas_answer_wipe_free (GBytes *bytes);
/* Sends @request (taken); @callback gets the answer's body with kl_atlas_request_finish (). */
void kl_atlas_request_send (KlAtlasClient       *self,
                            Request             *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
/* A form POST to one of the OAuth endpoints, with the client's Basic credentials. */
Request *kl_atlas_request_new_oauth (KlAtlasClient *self,
                                     const char    *path,
                                     GBytes        *body);
void kl_atlas_request_async (KlAtlasClient       *self,
                             const char          *method,
                             char                *path,
                             const char          *accept,
                             GBytes              *body,
                             RequestFlags         flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
GBytes *kl_atlas_request_finish (GAsyncResult  *result,
                                 GError       **error);

/* ---- kl-atlas-token.c: service-account tokens ---- */

void kl_atlas_token_forget (KlAtlasClient *self);
void kl_atlas_token_get_async (KlAtlasClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gboolean kl_atlas_token_get_finish (KlAtlasClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error);

/* ---- kl-atlas-call.c: calls that read one object or a whole paginated list ---- */

typedef gpointer (*ParseFunc) (const char *json, gssize length, GError **error);

typedef GPtrArray *(*ParsePageFunc) (const char  *json,
                                     gssize       length,
                                     gboolean    *has_next,
                                     GError     **error);

/* What tells two items of a list apart: an id, or a cluster's name. */
typedef const char *(*ItemKeyFunc) (gpointer item);

/* Takes @path. */
void kl_atlas_object_call (KlAtlasClient       *self,
                           gpointer             source_tag,
                           const char          *method,
                           char                *path,
                           const char          *media_type,
                           GBytes              *body,
                           RequestFlags         flags,
                           ParseFunc            parse,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);
gboolean kl_atlas_call_finish_boolean (KlAtlasClient  *self,
                                       GAsyncResult   *result,
                                       gpointer        source_tag,
                                       GError        **error);
gpointer kl_atlas_call_finish (KlAtlasClient  *self,
                               GAsyncResult   *result,
                               gpointer        source_tag,
                               GError        **error);
/* Takes @path (without query). */
void kl_atlas_list_call (KlAtlasClient       *self,
                         gpointer             source_tag,
                         char                *path,
                         const char          *media_type,
                         ParsePageFunc        parse,
                         ItemKeyFunc          key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data);
char *kl_atlas_group_path (const char *group_id,
                           const char *rest);
char *kl_atlas_endpoints_path (const char *group_id);
char *kl_atlas_endpoint_path (const char *group_id,
                              const char *endpoint_id);
char *kl_atlas_cluster_path (const char *group_id,
                             const char *cluster_name);

G_END_DECLS
