/* kl-atlas-transport.c
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
#include "kl-http-body.h"
#include "kl-http-log.h"

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

void
kl_atlas_source_destroy_and_unref (gpointer data)
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

void
kl_atlas_delay_async (guint                ms,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_task_get_context (task);
  Delay *delay = g_new0 (Delay, 1);

  g_task_set_source_tag (task, kl_atlas_delay_async);
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

gboolean
kl_atlas_delay_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "Basic base64(principal:secret)"; zero it with kl_secret_free(). */
char *
kl_atlas_basic_authorization (KlAtlasClient *self)
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

guint
kl_atlas_backoff_ms (KlAtlasClient *self,
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
void
kl_atlas_answer_wipe_free (GBytes *bytes)
{
  gsize size = 0;
  char *data = g_bytes_unref_to_data (bytes, &size);

  if (data != NULL)
    explicit_bzero (data, size);
  g_free (data);
}

static void request_start (GTask *task);

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

  if (!kl_atlas_delay_finish (result, &error))
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
  kl_atlas_delay_async (delay_ms, g_task_get_cancellable (task), request_retry_delay_cb,
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
          request_retry_later (task, kl_atlas_backoff_ms (self, request->attempt));
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
            kl_atlas_answer_wipe_free (g_steal_pointer (&bytes));
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
        kl_atlas_token_forget (self);
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
          request_retry_later (task,
                               MAX ((guint) wait_ms, kl_atlas_backoff_ms (self, request->attempt)));
          return;
        }
    }

  g_task_return_error (task, http_error);
}

static void
request_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError *error = NULL;
  GBytes *body;

  body = kl_http_body_read_finish (result, &error);
  request_answered (user_data, body, error);
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
  GError *error = NULL;

  if (!(stream = soup_session_send_finish (SOUP_SESSION (source), result, &error)))
    {
      request_answered (task, NULL, error);
      return;
    }

  kl_http_body_read_async (request->message, stream, MAX_BODY_BYTES, request->attempt_cancellable,
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

  if (!kl_atlas_token_get_finish (KL_ATLAS_CLIENT (source), result, &error))
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
          g_task_return_error (task, kl_atlas_signed_out_error ());
          g_object_unref (task);
          return;
        }

      if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT)
        {
          kl_atlas_token_get_async (self, g_task_get_cancellable (task), request_token_cb, task);
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

/* Sends @request (taken); @callback gets the answer's body with kl_atlas_request_finish (). */
void
kl_atlas_request_send (KlAtlasClient       *self,
                       Request             *request,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kl_atlas_request_send);
  g_task_set_task_data (task, request, request_free);
  request_start (task);
}

/* A form POST to one of the OAuth endpoints, with the client's Basic credentials. */
Request *
kl_atlas_request_new_oauth (KlAtlasClient *self,
                            const char    *path,
                            GBytes        *body)
{
  Request *request = request_new (SOUP_METHOD_POST, g_strdup (path), MEDIA_JSON, MEDIA_FORM, body,
                                  REQUEST_OWN_AUTH);

  request->authorization = kl_atlas_basic_authorization (self);
  return request;
}

void
kl_atlas_request_async (KlAtlasClient       *self,
                        const char          *method,
                        char                *path,
                        const char          *accept,
                        GBytes              *body,
                        RequestFlags         flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  kl_atlas_request_send (self,
                         request_new (method, path, accept, accept,
                                      body != NULL ? g_bytes_ref (body) : NULL,
                                      flags),
                         cancellable, callback, user_data);
}

GBytes *
kl_atlas_request_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
