/* kl-atlas-client.c
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

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-http-log.h"

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
 * reads, and writes (issue 22). KL_ATLAS_DEADLINE_SECONDS overrides both, for tests. */
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

G_DEFINE_FINAL_TYPE (KlAtlasClient, kl_atlas_client, G_TYPE_OBJECT)

static guint deadline_override;

/* ------------------------------------------------------------------------------------------ */
/* Delays that a cancellable interrupts                                                        */

typedef struct
{
  GSource *timeout;
  GSource *cancel;
} Delay;

static void
delay_free (gpointer data)
{
  Delay *delay = data;

  if (delay->timeout != NULL)
    {
      g_source_destroy (delay->timeout);
      g_source_unref (delay->timeout);
    }
  if (delay->cancel != NULL)
    {
      g_source_destroy (delay->cancel);
      g_source_unref (delay->cancel);
    }
  g_free (delay);
}

static void
source_destroy_and_unref (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
delay_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Delay *delay = g_task_get_task_data (task);

  g_object_ref (task);
  g_clear_pointer (&delay->timeout, g_source_unref);
  if (delay->cancel != NULL)
    {
      g_source_destroy (delay->cancel);
      g_clear_pointer (&delay->cancel, g_source_unref);
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
delay_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Delay *delay = g_task_get_task_data (task);

  g_object_ref (task);
  g_clear_pointer (&delay->cancel, g_source_unref);
  if (delay->timeout != NULL)
    {
      g_source_destroy (delay->timeout);
      g_clear_pointer (&delay->timeout, g_source_unref);
    }
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
delay_async (guint                ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_task_get_context (task);
  Delay *delay = g_new0 (Delay, 1);

  g_task_set_source_tag (task, delay_async);
  g_task_set_task_data (task, delay, delay_free);

  delay->timeout = g_timeout_source_new (ms);
  g_source_set_callback (delay->timeout, delay_timeout_cb, g_object_ref (task), g_object_unref);
  g_source_attach (delay->timeout, context);

  if (cancellable != NULL)
    {
      delay->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (delay->cancel, G_SOURCE_FUNC (delay_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (delay->cancel, context);
    }
}

static gboolean
delay_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static GError *
signed_out_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_AUTH_FAILED,
                              _("You signed out of Atlas. Sign in again to continue."));
}

static gboolean
check_group_id (const char  *group_id,
                GError     **error)
{
  if (kl_atlas_id_is_valid (group_id))
    return TRUE;

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas project ID. Choose the project from the list again."),
               group_id != NULL ? group_id : "");
  return FALSE;
}

static gboolean
check_endpoint_id (const char  *endpoint_id,
                   GError     **error)
{
  if (kl_atlas_id_is_valid (endpoint_id))
    return TRUE;

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas private endpoint ID. Reload the list of endpoints and "
                 "try again."),
               endpoint_id != NULL ? endpoint_id : "");
  return FALSE;
}

static gboolean
check_cluster_name (const char  *name,
                    GError     **error)
{
  const char *p;

  if (name != NULL && g_ascii_isalnum (name[0]))
    {
      for (p = name; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            break;
        }
      if (*p == '\0')
        return TRUE;
    }

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas cluster name. Reload the list of clusters and try "
                 "again."),
               name != NULL ? name : "");
  return FALSE;
}

static gboolean
check_region_name (const char  *region,
                   GError     **error)
{
  const char *p;

  if (region != NULL && region[0] != '\0')
    {
      for (p = region; *p != '\0'; p++)
        {
          if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
            break;
        }
      if (*p == '\0')
        return TRUE;
    }

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas region name such as US_EAST_2. Choose the region from "
                 "the list."),
               region != NULL ? region : "");
  return FALSE;
}

typedef gboolean (*CheckFunc) (const char  *value,
                               GError     **error);

/* TRUE when @group_id, and @other if @check_other is given, are valid. Otherwise reports the
 * error to @callback as the call tagged @source_tag, and returns FALSE. */
static gboolean
check_arguments (KlAtlasClient       *self,
                 const char          *group_id,
                 CheckFunc            check_other,
                 const char          *other,
                 gpointer             source_tag,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GError *error = NULL;

  if (check_group_id (group_id, &error) && (check_other == NULL || check_other (other, &error)))
    return TRUE;

  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* "Basic base64(principal:secret)"; zero it with kl_secret_free(). */
static char *
basic_authorization (KlAtlasClient *self)
{
  g_autofree char *encoded = NULL;
  char *pair;
  char *header;

  pair = g_strconcat (self->principal, ":", self->secret, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  kl_secret_free (pair);

  header = g_strconcat ("Basic ", encoded, NULL);
  explicit_bzero (encoded, strlen (encoded));
  return header;
}

static guint
backoff_ms (KlAtlasClient *self,
            guint          attempt)
{
  guint64 delay = self->base_delay_ms;
  guint i;

  for (i = 1; i < attempt && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) self->max_delay_ms);

  /* Half fixed, half random: callers that failed together do not come back together. */
  return (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) (delay / 2) + 1));
}

/* A broken connection that an idempotent request may simply repeat. */
static gboolean
is_transient_transport_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
         g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING);
}

/* ------------------------------------------------------------------------------------------ */
/* One HTTP call, with authentication and retries. Result: the body of a 2xx answer (GBytes). */

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

static void request_attempt_end (Request *request,
                                 GTask   *task);

static void
request_free (gpointer data)
{
  Request *request = data;

  request_attempt_end (request, NULL);
  g_free (request->path);
  g_free (request->redirect_uri);
  g_clear_pointer (&request->body, g_bytes_unref);
  kl_secret_free (request->authorization);
  g_clear_object (&request->message);
  g_free (request);
}

/* Frees @bytes, the only reference to an answer that may hold a secret, zeroing its buffer:
 * request_read_cb () made it around a g_malloc ()ed buffer, which g_bytes_unref_to_data ()
 * then hands back itself (not a copy). */
static void
answer_wipe_free (GBytes *bytes)
{
  gsize size = 0;
  char *data = g_bytes_unref_to_data (bytes, &size);

  if (data != NULL)
    explicit_bzero (data, size);
  g_free (data);
}

static void request_start (GTask *task);
static void token_get_async (KlAtlasClient       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
static gboolean token_get_finish (KlAtlasClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error);
static void token_forget (KlAtlasClient *self);

static gboolean
on_authenticate (SoupMessage *message,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 gpointer     user_data)
{
  KlAtlasClient *self = user_data;

  /* One try: when Atlas refuses the key, the call fails with KL_ERROR_AUTH_FAILED. */
  if (retrying || self->signed_out || self->secret == NULL)
    return FALSE;

  /* The private key never goes out in anything weaker than Digest. */
  if (g_ascii_strcasecmp (soup_auth_get_scheme_name (auth), "Digest") != 0)
    {
      g_debug ("Refusing to answer a %s challenge with the API key",
               soup_auth_get_scheme_name (auth));
      return FALSE;
    }

  soup_auth_authenticate (auth, self->principal, self->secret);
  return TRUE;
}

typedef struct
{
  GBytes     *body;
  const char *content_type;
} ReplayBody;

static void
replay_body_free (gpointer  data,
                  GClosure *closure)
{
  ReplayBody *replay = data;

  g_bytes_unref (replay->body);
  g_free (replay);
}

/* libsoup 3.2 drops the request body stream when it restarts a message (the second round trip
 * of Digest), and would then send Content-Length with no body: give it the body again. */
static void
on_restarted (SoupMessage *message,
              gpointer     user_data)
{
  ReplayBody *replay = user_data;

  soup_message_set_request_body_from_bytes (message, replay->content_type, replay->body);
}

static gboolean
is_json_content_type (SoupMessage *message)
{
  const char *type;

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                NULL);
  if (type == NULL)
    return TRUE;

  return g_str_has_suffix (type, "/json") || g_str_has_suffix (type, "+json");
}

static void
request_retry_delay_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!delay_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_start (g_steal_pointer (&task));
}

static void
request_retry_later (GTask *task,
                     guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);

  g_debug ("%s %s: attempt %u failed, next in %u ms", request->method, request->path,
           request->attempt, delay_ms);
  request->attempt++;
  delay_async (delay_ms, g_task_get_cancellable (task), request_retry_delay_cb,
               g_object_ref (task));
}

static gboolean
request_deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  g_debug ("%s %s: no whole answer within %u s", request->method, request->path,
           request->deadline_s);
  request->deadline_passed = TRUE;
  g_clear_pointer (&request->deadline, g_source_unref);
  g_cancellable_cancel (request->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
request_task_cancelled_cb (GCancellable *cancellable,
                           GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

/* One attempt starts: a cancellable the task's cancels, and the deadline. */
static void
request_attempt_begin (Request *request,
                       GTask   *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  request_attempt_end (request, task);
  request->attempt_cancellable = g_cancellable_new ();
  request->deadline_passed = FALSE;
  if (cancellable != NULL)
    request->attempt_cancelled_id =
      g_cancellable_connect (cancellable, G_CALLBACK (request_task_cancelled_cb),
                             g_object_ref (request->attempt_cancellable), g_object_unref);

  request->deadline_s = g_strcmp0 (request->method, SOUP_METHOD_GET) == 0
                        ? self->read_deadline_s : self->write_deadline_s;
  request->deadline = g_timeout_source_new_seconds (request->deadline_s);
  g_source_set_callback (request->deadline, request_deadline_cb, request, NULL);
  g_source_attach (request->deadline, g_main_context_get_thread_default ());
}

/* The attempt is over (answered, or the request is freed: @task NULL). */
static void
request_attempt_end (Request *request,
                     GTask   *task)
{
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_clear_pointer (&request->deadline, g_source_unref);
    }
  if (request->attempt_cancelled_id != 0)
    {
      GCancellable *cancellable = task != NULL ? g_task_get_cancellable (task) : NULL;

      if (cancellable != NULL)
        g_cancellable_disconnect (cancellable, request->attempt_cancelled_id);
      request->attempt_cancelled_id = 0;
    }
  g_clear_object (&request->attempt_cancellable);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* A 3xx: follows a GET within the service's origin (a bounded number of times); anything
 * else is an error, and what the other origin says is never read. Takes the reference on
 * @task when it returns TRUE. */
static gboolean
request_redirect (GTask *task,
                  guint  status)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  GUri *from = soup_message_get_uri (request->message);
  g_autoptr(GUri) to = NULL;
  g_autofree char *from_origin = NULL;
  g_autofree char *to_origin = NULL;

  if (location != NULL)
    to = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);

  if (to == NULL)
    {
      g_task_return_error (task, kl_error_new_redirect (NULL));
      g_object_unref (task);
      return TRUE;
    }

  to_origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (to), NULL, g_uri_get_host (to),
                          g_uri_get_port (to), "", NULL, NULL);
  if (!same_origin (from, to))
    {
      from_origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (from), NULL,
                                g_uri_get_host (from), g_uri_get_port (from), "", NULL, NULL);
      g_debug ("%s %s: HTTP %u to another origin (%s, not %s), not followed", request->method,
               request->path, status, to_origin, from_origin);
      g_task_return_error (task, kl_error_new_redirect (to_origin));
      g_object_unref (task);
      return TRUE;
    }

  if (g_strcmp0 (request->method, SOUP_METHOD_GET) != 0 || request->n_redirects >= MAX_REDIRECTS)
    {
      g_autoptr(GError) error = NULL;

      kl_error_set_bad_response (&error, "%s %s: HTTP %u (redirect %u)", request->method,
                                 request->path, status, request->n_redirects + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return TRUE;
    }

  request->n_redirects++;
  g_free (request->redirect_uri);
  request->redirect_uri = g_uri_to_string (to);
  g_debug ("%s %s: HTTP %u, following it within %s", request->method, request->path, status,
           to_origin);
  request_start (task);
  return TRUE;
}

/* Takes the references on @owned_task, and on @owned_bytes (the whole body) or @owned_error. */
static void
request_answered (GTask  *owned_task,
                  GBytes *owned_bytes,
                  GError *owned_error)
{
  g_autoptr(GTask) task = owned_task;
  KlAtlasClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = owned_error;
  g_autoptr(GBytes) bytes = owned_bytes;
  SoupMessageHeaders *headers;
  gboolean can_retry;
  GError *http_error;
  guint status;

  can_retry = request->attempt < self->max_attempts;
  request_attempt_end (request, task);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          /* Cancelled by the deadline, not by the caller: the answer took too long. */
          if (request->deadline_passed &&
              (cancellable == NULL || !g_cancellable_is_cancelled (cancellable)))
            {
              g_task_return_error (task, kl_error_new_deadline (request->deadline_s));
              return;
            }

          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* Not an Atlas answer: not read further, not asked again. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_autoptr(GError) too_big = NULL;

          kl_error_set_bad_response (&too_big, "%s %s: an answer of more than %u bytes",
                                     request->method, request->path, MAX_BODY_BYTES);
          g_task_return_error (task, g_steal_pointer (&too_big));
          return;
        }

      if ((request->flags & REQUEST_RETRY_TRANSIENT) && can_retry &&
          is_transient_transport_error (error))
        {
          g_debug ("%s %s: %s", request->method, request->path, error->message);
          request_retry_later (task, backoff_ms (self, request->attempt));
          return;
        }

      g_task_return_error (task, kl_error_new_from_transport (error));
      return;
    }

  status = soup_message_get_status (request->message);
  headers = soup_message_get_response_headers (request->message);

  if (SOUP_STATUS_IS_REDIRECTION (status) && request_redirect (task, status))
    {
      g_steal_pointer (&task);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (g_bytes_get_size (bytes) > 0 && !is_json_content_type (request->message))
        {
          kl_error_set_bad_response (&error, "%s %s: HTTP %u with a %s body", request->method,
                                     request->path, status,
                                     soup_message_headers_get_content_type (headers, NULL));
          if (request->flags & REQUEST_SECRET_ANSWER)
            answer_wipe_free (g_steal_pointer (&bytes));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* A service-account token can expire or be revoked early: get a new one, once. */
  if (status == SOUP_STATUS_UNAUTHORIZED && self->auth_type == KL_AUTH_SERVICE_ACCOUNT &&
      !(request->flags & REQUEST_OWN_AUTH) && !request->token_renewed && !self->signed_out)
    {
      request->token_renewed = TRUE;
      if (request->token_generation == self->token_generation)
        token_forget (self);
      request_start (g_steal_pointer (&task));
      return;
    }

  if (status == SOUP_STATUS_NOT_FOUND && (request->flags & REQUEST_GONE_IS_DONE) &&
      request->attempt > 1)
    {
      g_task_return_pointer (task, g_bytes_new (NULL, 0), (GDestroyNotify) g_bytes_unref);
      return;
    }

  http_error = kl_error_new_from_http (status,
                                       soup_message_headers_get_one (headers, "X-Error-Code"),
                                       soup_message_headers_get_one (headers, "Retry-After"),
                                       bytes);

  if (can_retry &&
      (status == 429 ||
       ((request->flags & REQUEST_RETRY_TRANSIENT) && SOUP_STATUS_IS_SERVER_ERROR (status))))
    {
      guint64 wait_ms = (guint64) kl_error_get_retry_after (http_error) * 1000;

      /* A wait longer than the cap is the user's to decide: the error reports it. */
      if (wait_ms <= self->max_delay_ms)
        {
          g_error_free (http_error);
          request_retry_later (task, MAX ((guint) wait_ms, backoff_ms (self, request->attempt)));
          return;
        }
    }

  g_task_return_error (task, http_error);
}

/* GMemoryOutputStream fails the write (G_IO_ERROR_NO_SPACE) when its buffer cannot grow. */
static gpointer
body_realloc (gpointer data,
              gsize    size)
{
  if (size > MAX_BODY_BYTES)
    return NULL;

  return g_realloc (data, size);
}

static void
request_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      request_answered (user_data, NULL, error);
      return;
    }

  request_answered (user_data,
                    g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source)),
                    NULL);
}

/* The answer's headers are in: read its body, up to MAX_BODY_BYTES. */
static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) body = NULL;
  SoupMessageHeaders *headers;
  GError *error = NULL;

  if (!(stream = soup_session_send_finish (SOUP_SESSION (source), result, &error)))
    {
      request_answered (task, NULL, error);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY_BYTES)
    {
      request_answered (task, NULL,
                        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Content-Length"));
      return;
    }

  body = g_memory_output_stream_new (NULL, 0, body_realloc, g_free);
  g_output_stream_splice_async (body, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, request->attempt_cancellable,
                                request_read_cb, task);
}

static void
request_send_message (GTask *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;

  if (request->redirect_uri != NULL)
    uri = g_strdup (request->redirect_uri);
  else
    uri = g_strconcat (self->base_url, request->path, NULL);
  g_clear_object (&request->message);
  request->message = soup_message_new (request->method, uri);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("The service address does not form a valid request address. "
                                 "Check it and sign in again."));
      g_object_unref (task);
      return;
    }

  /* Redirects are Keylink's to judge (request_redirect ()): never to another origin. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", request->accept);
  if (request->body != NULL)
    {
      ReplayBody *replay = g_new0 (ReplayBody, 1);

      replay->body = g_bytes_ref (request->body);
      replay->content_type = request->content_type;
      soup_message_set_request_body_from_bytes (request->message, request->content_type,
                                                request->body);
      g_signal_connect_data (request->message, "restarted", G_CALLBACK (on_restarted), replay,
                             replay_body_free, 0);
    }

  /* Messages that carry their own Authorization keep the session's auth manager out: it
   * could replace the header with cached credentials, or answer a challenge. */
  if (request->flags & REQUEST_OWN_AUTH)
    {
      soup_message_disable_feature (request->message, SOUP_TYPE_AUTH_MANAGER);
      if (request->authorization != NULL)
        soup_message_headers_replace (headers, "Authorization", request->authorization);
    }
  else if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT)
    {
      char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_disable_feature (request->message, SOUP_TYPE_AUTH_MANAGER);
      soup_message_headers_replace (headers, "Authorization", bearer);
      kl_secret_free (bearer);
      request->token_generation = self->token_generation;
    }
  else
    {
      g_signal_connect_object (request->message, "authenticate",
                               G_CALLBACK (on_authenticate), self, 0);
    }

  request_attempt_begin (request, task);
  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->attempt_cancellable, request_sent_cb, task);
}

static void
request_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!token_get_finish (KL_ATLAS_CLIENT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_send_message (g_steal_pointer (&task));
}

/* Takes the reference on @task. */
static void
request_start (GTask *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (!(request->flags & REQUEST_OWN_AUTH))
    {
      if (self->signed_out)
        {
          g_task_return_error (task, signed_out_error ());
          g_object_unref (task);
          return;
        }

      if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT)
        {
          token_get_async (self, g_task_get_cancellable (task), request_token_cb, task);
          return;
        }
    }

  request_send_message (task);
}

/* Takes @path and @body. */
static Request *
request_new (const char   *method,
             char         *path,
             const char   *accept,
             const char   *content_type,
             GBytes       *body,
             RequestFlags  flags)
{
  Request *request = g_new0 (Request, 1);

  request->method = method;
  request->path = path;
  request->accept = accept;
  request->content_type = content_type;
  request->body = body;
  request->flags = flags;
  request->attempt = 1;
  return request;
}

/* Sends @request (taken); @callback gets the answer's body with request_finish (). */
static void
request_send (KlAtlasClient       *self,
              Request             *request,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, request_send);
  g_task_set_task_data (task, request, request_free);
  request_start (task);
}

/* A form POST to one of the OAuth endpoints, with the client's Basic credentials. */
static Request *
request_new_oauth (KlAtlasClient *self,
                   const char    *path,
                   GBytes        *body)
{
  Request *request = request_new (SOUP_METHOD_POST, g_strdup (path), MEDIA_JSON, MEDIA_FORM, body,
                                  REQUEST_OWN_AUTH);

  request->authorization = basic_authorization (self);
  return request;
}

static void
request_async (KlAtlasClient       *self,
               const char          *method,
               char                *path,
               const char          *accept,
               GBytes              *body,
               RequestFlags         flags,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  request_send (self,
                request_new (method, path, accept, accept, body != NULL ? g_bytes_ref (body) : NULL,
                             flags),
                cancellable, callback, user_data);
}

static GBytes *
request_finish (GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Service-account tokens: one request at a time, shared by every caller waiting for one.      */

static gboolean
token_is_valid (KlAtlasClient *self)
{
  return self->token != NULL && g_get_monotonic_time () < self->token_expiry;
}

static void
token_forget (KlAtlasClient *self)
{
  kl_secret_free (g_steal_pointer (&self->token));
  self->token_expiry = 0;
  self->token_generation++;
}

static gboolean
token_waiter_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  GTask *task = user_data;
  KlAtlasClient *self = g_task_get_source_object (task);

  if (g_queue_remove (&self->token_waiters, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
token_waiters_complete (KlAtlasClient *self,
                        const GError  *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->token_waiters)) != NULL)
    {
      /* Drops the cancellation watch. */
      g_task_set_task_data (task, NULL, NULL);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Reads {access_token, token_type, expires_in} from @owned_bytes (taken: the only reference),
 * zeroing what held the token: the answer's buffer and json-glib's copy of the string. */
static gboolean
token_parse (GBytes   *owned_bytes,
             char    **token,
             gint64   *expires_in,
             GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object = NULL;
  JsonNode *root;
  JsonNode *node;
  gboolean ok = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (owned_bytes, &size);

  /* (json-glib refuses a NULL buffer with a critical, and no error.) */
  if (size == 0)
    kl_error_set_bad_response (error, "empty token answer");
  else if (!kl_json_depth_is_safe (data, (gssize) size))
    kl_error_set_bad_response (error, "token answer nested too deep");
  else if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    kl_error_set_bad_response (error, "token answer: %s", local_error->message);
  else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    kl_error_set_bad_response (error, "token answer is not an object");
  else
    object = json_node_get_object (root);

  if (object != NULL)
    {
      const char *type = json_object_get_string_member_with_default (object, "token_type",
                                                                     "Bearer");
      node = json_object_get_member (object, "expires_in");
      *expires_in = 3600;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_INT64)
        *expires_in = json_node_get_int (node);

      node = json_object_get_member (object, "access_token");
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING ||
          json_node_get_string (node)[0] == '\0')
        kl_error_set_bad_response (error, "token answer without \"access_token\"");
      else if (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
        kl_error_set_bad_response (error, "token of type %s, not Bearer", type);
      else if (*expires_in < 0)
        kl_error_set_bad_response (error, "token that expires in %" G_GINT64_FORMAT " s",
                                   *expires_in);
      else
        {
          *token = g_strdup (json_node_get_string (node));
          ok = TRUE;
        }

      /* json-glib's copy of the token. */
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          explicit_bzero (text, strlen (text));
        }
    }

  answer_wipe_free (owned_bytes);

  return ok;
}

static void
token_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAtlasClient *self = KL_ATLAS_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *token = NULL;
  gint64 expires_in = 0;

  self->token_in_flight = FALSE;
  bytes = request_finish (result, &error);

  if (bytes != NULL && token_parse (g_steal_pointer (&bytes), &token, &expires_in, &error))
    {
      /* A token that expires at once is still good for the calls waiting for it. */
      gint64 margin = MIN (TOKEN_MARGIN_SECONDS, expires_in / 2);

      token_forget (self);
      self->token = token;
      self->token_expiry = g_get_monotonic_time () + (expires_in - margin) * G_USEC_PER_SEC;
      g_debug ("New service-account token, valid for %" G_GINT64_FORMAT " s", expires_in);
    }

  if (error != NULL && self->signed_out)
    {
      g_clear_error (&error);
      error = signed_out_error ();
    }

  token_waiters_complete (self, error);
}

static void
token_get_async (KlAtlasClient       *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request;
  GBytes *body;

  g_task_set_source_tag (task, token_get_async);

  if (token_is_valid (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, G_SOURCE_FUNC (token_waiter_cancelled_cb), task, NULL);
      g_source_attach (source, g_task_get_context (task));
      g_task_set_task_data (task, source, source_destroy_and_unref);
    }
  g_queue_push_tail (&self->token_waiters, g_steal_pointer (&task));

  if (self->token_in_flight)
    return;

  self->token_in_flight = TRUE;
  body = g_bytes_new_static ("grant_type=client_credentials",
                             strlen ("grant_type=client_credentials"));
  /* Minting twice could leave a spare token: only 429 (nothing was done) is repeated (no
   * REQUEST_RETRY_TRANSIENT). */
  request = request_new_oauth (self, TOKEN_PATH, body);
  request->flags |= REQUEST_SECRET_ANSWER;
  request_send (self, request, self->cancellable, token_request_cb, NULL);
}

static gboolean
token_get_finish (KlAtlasClient  *self,
                  GAsyncResult   *result,
                  GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_atlas_client_dispose (GObject *object)
{
  KlAtlasClient *self = (KlAtlasClient *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (kl_atlas_client_parent_class)->dispose (object);
}

static void
kl_atlas_client_finalize (GObject *object)
{
  KlAtlasClient *self = (KlAtlasClient *) object;

  g_assert (g_queue_is_empty (&self->token_waiters));

  kl_secret_free (g_steal_pointer (&self->secret));
  kl_secret_free (g_steal_pointer (&self->token));
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_free (self->principal);

  G_OBJECT_CLASS (kl_atlas_client_parent_class)->finalize (object);
}

static void
kl_atlas_client_class_init (KlAtlasClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *override;

  object_class->dispose = kl_atlas_client_dispose;
  object_class->finalize = kl_atlas_client_finalize;

  /* Read once: tests shorten the deadlines of every client they make. */
  override = g_getenv ("KL_ATLAS_DEADLINE_SECONDS");
  if (override != NULL)
    deadline_override = (guint) MIN (g_ascii_strtoull (override, NULL, 10), 3600);
}

static void
kl_atlas_client_init (KlAtlasClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->read_deadline_s = deadline_override > 0 ? deadline_override : DEFAULT_READ_DEADLINE_S;
  self->write_deadline_s = deadline_override > 0 ? deadline_override : DEFAULT_WRITE_DEADLINE_S;
  g_queue_init (&self->token_waiters);

  self->session = soup_session_new_with_options ("user-agent", "Keylink/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 6,
                                                 NULL);

  if (kl_http_log_is_enabled ())
    {
      g_autoptr(SoupLogger) logger = kl_http_log_new ();

      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Construction                                                                                */

const char *
kl_atlas_service_get_url (KlAtlasService service)
{
  switch (service)
    {
    case KL_ATLAS_SERVICE_ATLAS:
      return KL_ATLAS_URL;
    case KL_ATLAS_SERVICE_GOVERNMENT:
      return KL_ATLAS_GOVERNMENT_URL;
    case KL_ATLAS_SERVICE_CUSTOM:
    default:
      return NULL;
    }
}

/* A DNS name (ASCII or not) or an IP address literal. */
static gboolean
is_host_name (const char *host)
{
  const char *p;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && (guchar) *p < 0x80)
        return FALSE;
    }

  return host[0] != '.' && host[0] != '-' && strstr (host, "..") == NULL;
}

/* The URL as the client uses it (scheme://host[:port]), or NULL with @error set. */
static char *
normalize_base_url (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter the address of the Atlas service, such as "
                             "https://cloud.mongodb.com."));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is not a web address. Enter it as https:// followed by the "
                             "host name, such as https://cloud.mongodb.com."));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("The address must start with https://, such as "
                             "https://cloud.mongodb.com."));
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0' || !is_host_name (host))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("The address has no host name. Enter it as https:// followed by "
                             "the host name, such as https://cloud.mongodb.com."));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Remove the user name and password from the address: Keylink asks "
                             "for the credentials in their own fields."));
      return NULL;
    }

  path = g_uri_get_path (uri);
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      (path != NULL && path[0] != '\0' && strcmp (path, "/") != 0))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter only the address of the service, without a path, “?” or "
                             "“#”, such as https://cloud.mongodb.com."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INSECURE_URL,
                           _("Keylink talks to Atlas only over HTTPS, so that nobody can read "
                             "your credentials on the way. Use an address that starts with "
                             "https:// (http:// is allowed only for this computer, such as a "
                             "local simulator)."));
      return NULL;
    }

  return g_uri_join (G_URI_FLAGS_NONE, g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL, host, g_uri_get_port (uri), "", NULL, NULL);
}

gboolean
kl_atlas_check_base_url (const char  *url,
                         GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = normalize_base_url (url, error);
  return normalized != NULL;
}

KlAtlasClient *
kl_atlas_client_new (const char  *base_url,
                     KlAuthType   auth_type,
                     const char  *principal,
                     const char  *secret,
                     GError     **error)
{
  g_autoptr(KlAtlasClient) self = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (auth_type == KL_AUTH_SERVICE_ACCOUNT || auth_type == KL_AUTH_API_KEY,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(normalized = normalize_base_url (base_url, error)))
    return NULL;

  if (principal == NULL || principal[0] == '\0' || secret == NULL || secret[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           auth_type == KL_AUTH_API_KEY
                             ? _("Enter both the public key and the private key of the API key.")
                             : _("Enter both the client ID and the client secret of the service "
                                 "account."));
      return NULL;
    }

  self = g_object_new (KL_TYPE_ATLAS_CLIENT, NULL);
  self->base_url = g_steal_pointer (&normalized);
  self->auth_type = auth_type;
  self->principal = g_strdup (principal);
  self->secret = g_strdup (secret);

  return g_steal_pointer (&self);
}

const char *
kl_atlas_client_get_base_url (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), NULL);
  return self->base_url;
}

KlAuthType
kl_atlas_client_get_auth_type (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), KL_AUTH_SERVICE_ACCOUNT);
  return self->auth_type;
}

const char *
kl_atlas_client_get_principal (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), NULL);
  return self->principal;
}

gboolean
kl_atlas_client_is_signed_out (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), TRUE);
  return self->signed_out;
}

void
kl_atlas_client_set_retry_policy (KlAtlasClient *self,
                                  guint          max_attempts,
                                  guint          base_delay_ms,
                                  guint          max_delay_ms)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);
  g_return_if_fail (max_delay_ms >= base_delay_ms);
  g_return_if_fail (max_delay_ms <= G_MAXINT32);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

void
kl_atlas_client_set_timeout (KlAtlasClient *self,
                             guint          seconds)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  g_object_set (self->session, "timeout", seconds, NULL);
}

void
kl_atlas_client_set_deadlines (KlAtlasClient *self,
                               guint          read_seconds,
                               guint          write_seconds)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (read_seconds > 0 && write_seconds > 0);

  self->read_deadline_s = read_seconds;
  self->write_deadline_s = write_seconds;
}

void
kl_atlas_client_set_page_size (KlAtlasClient *self,
                               guint          items_per_page)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (items_per_page >= 1 && items_per_page <= 500);

  self->page_size = items_per_page;
}

/* ------------------------------------------------------------------------------------------ */
/* Calls that read one object                                                                  */

typedef gpointer (*ParseFunc) (const char *json, gssize length, GError **error);

typedef struct
{
  ParseFunc parse;
} ObjectCall;

static void
object_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObjectCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gpointer object;
  gsize size;
  const char *data;

  if (!(bytes = request_finish (result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (!(object = call->parse (data, (gssize) size, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, object, g_object_unref);
}

/* Takes @path. */
static void
object_call (KlAtlasClient       *self,
             gpointer             source_tag,
             const char          *method,
             char                *path,
             const char          *media_type,
             GBytes              *body,
             RequestFlags         flags,
             ParseFunc            parse,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ObjectCall *call = g_new0 (ObjectCall, 1);

  call->parse = parse;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);

  request_async (self, method, path, media_type, body, flags, cancellable, object_call_cb, task);
}

/* Whether @result comes from the call of @self tagged @source_tag (a critical if not). */
static gboolean
call_result_is_valid (KlAtlasClient *self,
                      GAsyncResult  *result,
                      gpointer       source_tag)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

static gboolean
call_finish_boolean (KlAtlasClient  *self,
                     GAsyncResult   *result,
                     gpointer        source_tag,
                     GError        **error)
{
  return call_result_is_valid (self, result, source_tag) &&
         g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
call_finish (KlAtlasClient  *self,
             GAsyncResult   *result,
             gpointer        source_tag,
             GError        **error)
{
  if (!call_result_is_valid (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Calls that read a whole paginated list                                                      */

typedef GPtrArray *(*ParsePageFunc) (const char  *json,
                                     gssize       length,
                                     gboolean    *has_next,
                                     GError     **error);

/* What tells two items of a list apart: an id, or a cluster's name. */
typedef const char *(*ItemKeyFunc) (gpointer item);

typedef struct
{
  char          *path;
  const char    *media_type;
  ParsePageFunc  parse;
  ItemKeyFunc    key;
  GPtrArray     *items;
  GHashTable    *seen;   /* keys of @items, borrowed from them */
  guint          page;
} ListCall;

static void
list_call_free (gpointer data)
{
  ListCall *call = data;

  g_free (call->path);
  g_clear_pointer (&call->seen, g_hash_table_unref);
  g_clear_pointer (&call->items, g_ptr_array_unref);
  g_free (call);
}

static void list_request_page (GTask *task);

/* A page at least this big is parsed in a worker thread: 500 projects (about 140 KiB) take
 * 3-8 ms to parse into objects, the main loop's whole budget for one stall (tests/bench). */
#define PARSE_IN_THREAD_BYTES (32 * 1024)

typedef struct
{
  GBytes        *bytes;
  ParsePageFunc  parse;
  GPtrArray     *items;
  gboolean       has_next;
} PageParse;

static void
page_parse_free (gpointer data)
{
  PageParse *parse = data;

  g_bytes_unref (parse->bytes);
  g_clear_pointer (&parse->items, g_ptr_array_unref);
  g_free (parse);
}

static gboolean
page_parse_run (PageParse  *parse,
                GError    **error)
{
  gsize size;
  const char *data = g_bytes_get_data (parse->bytes, &size);

  parse->items = parse->parse (data, (gssize) size, &parse->has_next, error);
  return parse->items != NULL;
}

static void
page_parse_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (page_parse_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Adds a parsed page's items to the list; asks for the next page or returns the list. */
static void
list_page_add (GTask     *task,
               GPtrArray *items,
               gboolean   has_next)
{
  ListCall *call = g_task_get_task_data (task);
  guint n_new = 0;
  guint i;

  /* An item seen on an earlier page (the list shifted, or the server repeats itself) is not
   * listed twice; a page with nothing new ends the list, whatever "next" says. */
  for (i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *key = call->key (item);

      if (key != NULL && !g_hash_table_add (call->seen, (gpointer) key))
        continue;
      g_ptr_array_add (call->items, g_object_ref (item));
      n_new++;
    }

  if (has_next && n_new == 0)
    g_debug ("GET %s: page %u brings nothing new; the list ends there", call->path, call->page);

  if (has_next && n_new > 0 && call->page < MAX_PAGES)
    {
      call->page++;
      list_request_page (g_object_ref (task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&call->items), (GDestroyNotify) g_ptr_array_unref);
}

static void
list_page_parsed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PageParse *parse = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    list_page_add (task, parse->items, parse->has_next);
}

static void
list_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) thread_task = NULL;
  GCancellable *cancellable;
  PageParse *parse;
  GBytes *bytes;

  if (!(bytes = request_finish (result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  parse = g_new0 (PageParse, 1);
  parse->bytes = bytes;
  parse->parse = call->parse;
  if (g_bytes_get_size (bytes) < PARSE_IN_THREAD_BYTES)
    {
      if (page_parse_run (parse, &error))
        list_page_add (task, parse->items, parse->has_next);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      page_parse_free (parse);
      return;
    }

  g_debug ("GET %s: page %u (%zu bytes) parsed in a worker thread", call->path, call->page,
           g_bytes_get_size (bytes));
  cancellable = g_task_get_cancellable (task);
  thread_task = g_task_new (NULL, cancellable, list_page_parsed_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, list_page_cb);
  g_task_set_task_data (thread_task, parse, page_parse_free);
  g_task_run_in_thread (thread_task, page_parse_thread);
}

/* Takes the reference on @task. */
static void
list_request_page (GTask *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  ListCall *call = g_task_get_task_data (task);

  request_async (self, SOUP_METHOD_GET,
                 g_strdup_printf ("%s?itemsPerPage=%u&pageNum=%u", call->path, self->page_size,
                                  call->page),
                 call->media_type, NULL, REQUEST_RETRY_TRANSIENT, g_task_get_cancellable (task),
                 list_page_cb, task);
}

/* Takes @path (without query). */
static void
list_call (KlAtlasClient       *self,
           gpointer             source_tag,
           char                *path,
           const char          *media_type,
           ParsePageFunc        parse,
           ItemKeyFunc          key,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListCall *call = g_new0 (ListCall, 1);

  call->path = path;
  call->media_type = media_type;
  call->parse = parse;
  call->key = key;
  call->items = g_ptr_array_new_with_free_func (g_object_unref);
  call->seen = g_hash_table_new (g_str_hash, g_str_equal);
  call->page = 1;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, list_call_free);

  list_request_page (task);
}

static char *
group_path (const char *group_id,
            const char *rest)
{
  return g_strconcat (GROUPS_PATH "/", group_id, rest, NULL);
}

static char *
endpoints_path (const char *group_id)
{
  return group_path (group_id, "/encryptionAtRest/AZURE/privateEndpoints");
}

static char *
endpoint_path (const char *group_id,
               const char *endpoint_id)
{
  return g_strconcat (GROUPS_PATH "/", group_id, "/encryptionAtRest/AZURE/privateEndpoints/",
                      endpoint_id, NULL);
}

static char *
cluster_path (const char *group_id,
              const char *cluster_name)
{
  return g_strconcat (GROUPS_PATH "/", group_id, "/clusters/", cluster_name, NULL);
}

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

  list_call (self, kl_atlas_client_list_projects_async, g_strdup (GROUPS_PATH), MEDIA_2023,
             kl_project_parse_page, (ItemKeyFunc) kl_project_get_id, cancellable, callback,
             user_data);
}

GPtrArray *
kl_atlas_client_list_projects_finish (KlAtlasClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return call_finish (self, result, kl_atlas_client_list_projects_async, error);
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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_get_project_async,
                        callback, user_data))
    return;

  object_call (self, kl_atlas_client_get_project_async, SOUP_METHOD_GET,
               group_path (group_id, ""), MEDIA_2023, NULL, REQUEST_RETRY_TRANSIENT,
               (ParseFunc) kl_project_parse, cancellable, callback, user_data);
}

KlProject *
kl_atlas_client_get_project_finish (KlAtlasClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return call_finish (self, result, kl_atlas_client_get_project_async, error);
}

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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_get_encryption_at_rest_async,
                        callback, user_data))
    return;

  object_call (self, kl_atlas_client_get_encryption_at_rest_async, SOUP_METHOD_GET,
               group_path (group_id, "/encryptionAtRest"), MEDIA_2023, NULL,
               REQUEST_RETRY_TRANSIENT, (ParseFunc) kl_encryption_at_rest_parse,
               cancellable, callback, user_data);
}

KlEncryptionAtRest *
kl_atlas_client_get_encryption_at_rest_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return call_finish (self, result, kl_atlas_client_get_encryption_at_rest_async, error);
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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_patch_encryption_at_rest_async,
                        callback, user_data))
    return;

  object_call (self, kl_atlas_client_patch_encryption_at_rest_async, "PATCH",
               group_path (group_id, "/encryptionAtRest"), MEDIA_2023, body, 0,
               (ParseFunc) kl_encryption_at_rest_parse, cancellable, callback, user_data);
}

KlEncryptionAtRest *
kl_atlas_client_patch_encryption_at_rest_finish (KlAtlasClient  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error)
{
  return call_finish (self, result, kl_atlas_client_patch_encryption_at_rest_async, error);
}

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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_list_private_endpoints_async,
                        callback, user_data))
    return;

  list_call (self, kl_atlas_client_list_private_endpoints_async, endpoints_path (group_id),
             MEDIA_2023, kl_private_endpoint_parse_page, (ItemKeyFunc) kl_private_endpoint_get_id,
             cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_private_endpoints_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return call_finish (self, result, kl_atlas_client_list_private_endpoints_async, error);
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

  if (!check_arguments (self, group_id, check_endpoint_id, endpoint_id,
                        kl_atlas_client_get_private_endpoint_async, callback, user_data))
    return;

  object_call (self, kl_atlas_client_get_private_endpoint_async, SOUP_METHOD_GET,
               endpoint_path (group_id, endpoint_id), MEDIA_2023, NULL, REQUEST_RETRY_TRANSIENT,
               (ParseFunc) kl_private_endpoint_parse, cancellable, callback, user_data);
}

KlPrivateEndpoint *
kl_atlas_client_get_private_endpoint_finish (KlAtlasClient  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  return call_finish (self, result, kl_atlas_client_get_private_endpoint_async, error);
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

  if (!check_arguments (self, group_id, check_region_name, region_name,
                        kl_atlas_client_create_private_endpoint_async, callback, user_data))
    return;

  body = kl_private_endpoint_build_create (region_name);
  object_call (self, kl_atlas_client_create_private_endpoint_async, SOUP_METHOD_POST,
               endpoints_path (group_id), MEDIA_2023, body, 0,
               (ParseFunc) kl_private_endpoint_parse, cancellable, callback, user_data);
}

KlPrivateEndpoint *
kl_atlas_client_create_private_endpoint_finish (KlAtlasClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error)
{
  return call_finish (self, result, kl_atlas_client_create_private_endpoint_async, error);
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

  if (!delay_finish (result, &error))
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
      guint delay = backoff_ms (self, call->attempt);

      g_debug ("Creating an endpoint in %s failed (%s); listing again in %u ms",
               call->region_name, error->message, delay);
      call->attempt++;
      delay_async (delay, cancellable, ensure_delay_cb, g_steal_pointer (&task));
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

  if (!check_arguments (self, group_id, check_region_name, region_name,
                        kl_atlas_client_ensure_private_endpoint_async, callback, user_data))
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
  return call_finish (self, result, kl_atlas_client_ensure_private_endpoint_async, error);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!(bytes = request_finish (result, &error)))
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

  if (!check_arguments (self, group_id, check_endpoint_id, endpoint_id,
                        kl_atlas_client_delete_private_endpoint_async, callback, user_data))
    return;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_atlas_client_delete_private_endpoint_async);

  request_async (self, SOUP_METHOD_DELETE, endpoint_path (group_id, endpoint_id), MEDIA_2023,
                 NULL, REQUEST_RETRY_TRANSIENT | REQUEST_GONE_IS_DONE, cancellable, delete_cb,
                 task);
}

gboolean
kl_atlas_client_delete_private_endpoint_finish (KlAtlasClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error)
{
  return call_finish_boolean (self, result, kl_atlas_client_delete_private_endpoint_async, error);
}

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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_list_clusters_async,
                        callback, user_data))
    return;

  list_call (self, kl_atlas_client_list_clusters_async, group_path (group_id, "/clusters"),
             MEDIA_CLUSTER_READ, kl_cluster_parse_page, (ItemKeyFunc) kl_cluster_get_name,
             cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_clusters_finish (KlAtlasClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return call_finish (self, result, kl_atlas_client_list_clusters_async, error);
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

  if (!check_arguments (self, group_id, NULL, NULL, kl_atlas_client_list_flex_clusters_async,
                        callback, user_data))
    return;

  list_call (self, kl_atlas_client_list_flex_clusters_async,
             group_path (group_id, "/flexClusters"), MEDIA_FLEX, kl_cluster_parse_flex_page,
             (ItemKeyFunc) kl_cluster_get_name, cancellable, callback, user_data);
}

GPtrArray *
kl_atlas_client_list_flex_clusters_finish (KlAtlasClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return call_finish (self, result, kl_atlas_client_list_flex_clusters_async, error);
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

  if (!check_arguments (self, group_id, check_cluster_name, cluster_name,
                        kl_atlas_client_get_cluster_async, callback, user_data))
    return;

  object_call (self, kl_atlas_client_get_cluster_async, SOUP_METHOD_GET,
               cluster_path (group_id, cluster_name),
               MEDIA_CLUSTER_READ, NULL, REQUEST_RETRY_TRANSIENT,
               (ParseFunc) kl_cluster_parse, cancellable, callback, user_data);
}

KlCluster *
kl_atlas_client_get_cluster_finish (KlAtlasClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return call_finish (self, result, kl_atlas_client_get_cluster_async, error);
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

  if (!check_arguments (self, group_id, check_cluster_name, cluster_name,
                        kl_atlas_client_set_cluster_encryption_async, callback, user_data))
    return;

  body = kl_cluster_build_encryption_patch (provider);
  object_call (self, kl_atlas_client_set_cluster_encryption_async, "PATCH",
               cluster_path (group_id, cluster_name),
               MEDIA_CLUSTER_PATCH, body, 0, (ParseFunc) kl_cluster_parse,
               cancellable, callback, user_data);
}

KlCluster *
kl_atlas_client_set_cluster_encryption_finish (KlAtlasClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return call_finish (self, result, kl_atlas_client_set_cluster_encryption_async, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Sign-out                                                                                    */

/* token=<token>&token_type_hint=access_token, in memory that is zeroed when freed. */
static GBytes *
build_revoke_body (const char *token)
{
  static const char hex[] = "0123456789ABCDEF";
  static const char tail[] = "&token_type_hint=access_token";
  gsize capacity = strlen ("token=") + 3 * strlen (token) + sizeof tail;
  char *data = g_malloc0 (capacity);
  gsize length = 0;
  const char *p;

  memcpy (data, "token=", strlen ("token="));
  length = strlen ("token=");
  for (p = token; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isalnum (c) || strchr ("-._~", c) != NULL)
        data[length++] = (char) c;
      else
        {
          data[length++] = '%';
          data[length++] = hex[c >> 4];
          data[length++] = hex[c & 0xf];
        }
    }
  memcpy (data + length, tail, sizeof tail - 1);
  length += sizeof tail - 1;

  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) kl_secret_free, data);
}

static void
sign_out_revoked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!(bytes = request_finish (result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
kl_atlas_client_sign_out_async (KlAtlasClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request = NULL;
  SoupSessionFeature *auth_manager;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_atlas_client_sign_out_async);

  /* What the revocation needs, taken before everything is wiped. */
  if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT && !self->signed_out && self->token != NULL)
    request = request_new_oauth (self, REVOKE_PATH, build_revoke_body (self->token));

  self->signed_out = TRUE;
  kl_secret_free (g_steal_pointer (&self->secret));
  token_forget (self);
  g_cancellable_cancel (self->cancellable);
  auth_manager = soup_session_get_feature (self->session, SOUP_TYPE_AUTH_MANAGER);
  if (auth_manager != NULL)
    soup_auth_manager_clear_cached_credentials (SOUP_AUTH_MANAGER (auth_manager));

  if (request == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  request_send (self, request, cancellable, sign_out_revoked_cb, g_steal_pointer (&task));
}

gboolean
kl_atlas_client_sign_out_finish (KlAtlasClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return call_finish_boolean (self, result, kl_atlas_client_sign_out_async, error);
}
