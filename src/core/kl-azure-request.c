/* kl-azure-request.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-client-private.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-http-body.h"
#include "kl-http-log.h"

void
kl_azure_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* ------------------------------------------------------------------------------------------ */
/* One call: the message, its retries and its deadline. Result: the answer's body (GBytes).  */



static void
request_free (gpointer data)
{
  KlAzureRequest *request = data;

  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_source_unref (request->deadline);
    }
  if (request->delay != NULL)
    {
      g_source_destroy (request->delay);
      g_source_unref (request->delay);
    }
  g_clear_object (&request->message);
  g_clear_object (&request->cancellable);
  g_free (request->url);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->subscription_id);
  g_free (request->resource_group);
  g_free (request->vault_name);
  g_free (request->key_name);
  g_free (request->connection_name);
  g_free (request);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void request_start (GTask *task);

static gboolean
request_deadline_cb (gpointer user_data)
{
  KlAzureRequest *request = user_data;

  g_debug ("%s %s: no whole answer within the deadline", request->method, request->url);
  request->deadline_passed = TRUE;
  g_clear_pointer (&request->deadline, g_source_unref);
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  KlAzureClient *self = g_task_get_source_object (task);
  KlAzureRequest *request = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (caller, request->cancelled_id);
      request->cancelled_id = 0;
    }

  /* Cancelled by the deadline, not by the caller: the answer took too long. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && request->deadline_passed &&
      (caller == NULL || !g_cancellable_is_cancelled (caller)))
    {
      g_error_free (error);
      error = kl_azure_error_new_deadline (request->operation, self->deadline_s);
    }

  g_task_return_error (task, error);
}

static void
request_return_bytes (GTask  *task,
                      GBytes *bytes)
{
  KlAzureRequest *request = g_task_get_task_data (task);

  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
      request->cancelled_id = 0;
    }
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static guint
backoff_ms (KlAzureClient *self,
            guint          attempt)
{
  guint64 delay = self->base_delay_ms;
  guint i;

  for (i = 1; i < attempt && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) self->max_delay_ms);

  return (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) (delay / 2) + 1));
}

static gboolean
request_delay_cb (gpointer user_data)
{
  GTask *task = user_data;
  KlAzureRequest *request = g_task_get_task_data (task);

  g_clear_pointer (&request->delay, g_source_unref);
  request_start (task);
  return G_SOURCE_REMOVE;
}

static gboolean
request_delay_cancelled_cb (GCancellable *cancellable,
                            gpointer      user_data)
{
  GTask *task = user_data;
  KlAzureRequest *request = g_task_get_task_data (task);

  if (request->delay != NULL)
    {
      g_source_destroy (request->delay);
      g_clear_pointer (&request->delay, g_source_unref);
    }
  request_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "Cancelled"));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Whether a wait of @ms still ends before the deadline. */
static gboolean
request_can_wait (KlAzureRequest *request,
                  guint    ms)
{
  return g_get_monotonic_time () + (gint64) ms * 1000 < request->deadline_us;
}

/* Takes the reference on @task. */
static void
request_retry_later (GTask *task,
                     guint  ms)
{
  KlAzureRequest *request = g_task_get_task_data (task);
  GSource *cancel;

  g_debug ("%s %s: attempt %u failed, next in %u ms", request->method, request->url,
           request->attempt, ms);
  request->attempt++;

  /* One source fires: the timeout or the cancellation, whichever comes first. */
  request->delay = g_timeout_source_new (ms);
  cancel = g_cancellable_source_new (request->cancellable);
  g_source_set_callback (cancel, G_SOURCE_FUNC (request_delay_cancelled_cb), task, NULL);
  g_source_add_child_source (request->delay, cancel);
  g_source_unref (cancel);
  g_source_set_callback (request->delay, request_delay_cb, task, NULL);
  g_source_attach (request->delay, g_main_context_get_thread_default ());
}

static gboolean
is_transient_transport_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING);
}

void
kl_azure_bytes_wipe_free (GBytes *bytes)
{
  gsize size = 0;
  char *data = g_bytes_unref_to_data (bytes, &size);

  if (data != NULL)
    explicit_bzero (data, size);
  g_free (data);
}

/* Takes the references on @owned_task and on @owned_bytes or @owned_error. */
static void
request_answered (GTask  *owned_task,
                  GBytes *owned_bytes,
                  GError *owned_error)
{
  GTask *task = owned_task;
  KlAzureClient *self = g_task_get_source_object (task);
  KlAzureRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = owned_error;
  g_autoptr(GBytes) bytes = owned_bytes;
  SoupMessageHeaders *headers;
  gboolean can_retry = request->attempt < self->max_attempts;
  const char *content_type;
  GError *http_error;
  guint status;

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          request_return_error (task, kl_azure_error_new_bad_response (request->operation,
                                                                       "answer too large"));
        }
      else if ((request->flags & KL_AZURE_REQUEST_IDEMPOTENT) && can_retry &&
               is_transient_transport_error (error))
        {
          guint ms = backoff_ms (self, request->attempt);

          if (request_can_wait (request, ms))
            {
              request_retry_later (task, ms);
              return;
            }
          request_return_error (task, kl_azure_error_new_from_transport (request->operation,
                                                                         error));
        }
      else
        {
          request_return_error (task, kl_azure_error_new_from_transport (request->operation,
                                                                         error));
        }
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (request->message);
  headers = soup_message_get_response_headers (request->message);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      content_type = soup_message_headers_get_content_type (headers, NULL);
      if (g_bytes_get_size (bytes) > 0 && content_type != NULL &&
          !g_str_has_suffix (content_type, "/json") && !g_str_has_suffix (content_type, "+json"))
        {
          g_autofree char *detail = g_strdup_printf ("HTTP %u with a %s body", status,
                                                     content_type);

          if (request->flags & KL_AZURE_REQUEST_SECRET_ANSWER)
            kl_azure_bytes_wipe_free (g_steal_pointer (&bytes));
          request_return_error (task, kl_azure_error_new_bad_response (request->operation,
                                                                       detail));
        }
      else
        {
          request_return_bytes (task, g_steal_pointer (&bytes));
        }
      g_object_unref (task);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autofree char *detail = g_strdup_printf ("HTTP %u (redirects are not followed)", status);

      request_return_error (task, kl_azure_error_new_bad_response (request->operation, detail));
      g_object_unref (task);
      return;
    }

  /* A token can expire or be revoked early: a new one, once. */
  if (status == SOUP_STATUS_UNAUTHORIZED && request->resource >= 0 && !request->token_renewed)
    {
      request->token_renewed = TRUE;
      if (request->token_generation == self->tokens[request->resource].generation)
        kl_azure_token_forget (self, request->resource);
      request_start (task);
      return;
    }

  http_error = kl_azure_error_new_from_http (&request->context, status,
                                             soup_message_headers_get_one (headers, "Retry-After"),
                                             soup_message_headers_get_one (headers,
                                                                           "WWW-Authenticate"),
                                             bytes);

  if (can_retry &&
      (status == 429 || ((request->flags & KL_AZURE_REQUEST_IDEMPOTENT) && status >= 500 && status < 600)))
    {
      guint64 wait_ms = (guint64) kl_error_get_retry_after (http_error) * 1000;
      guint ms = (guint) MAX (wait_ms, (guint64) backoff_ms (self, request->attempt));

      /* A wait the cap or the deadline does not allow is the user's to decide. */
      if (wait_ms <= self->max_delay_ms && request_can_wait (request, ms))
        {
          g_error_free (http_error);
          request_retry_later (task, ms);
          return;
        }
    }

  request_return_error (task, http_error);
  g_object_unref (task);
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

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  KlAzureRequest *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;

  if (!(stream = soup_session_send_finish (SOUP_SESSION (source), result, &error)))
    {
      request_answered (task, NULL, error);
      return;
    }

  kl_http_body_read_async (request->message, stream, MAX_BODY_BYTES, request->cancellable,
                           request_read_cb, task);
}

/* Takes the reference on @task. */
static void
request_send_message (GTask *task)
{
  KlAzureClient *self = g_task_get_source_object (task);
  KlAzureRequest *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&request->message);
  request->message = soup_message_new (request->method, request->url);
  if (request->message == NULL)
    {
      request_return_error (task, g_error_new_literal (KL_ERROR, KL_ERROR_INVALID_INPUT,
                                                       _("The Azure values do not form a valid "
                                                         "request address. Check them, then "
                                                         "check again.")));
      g_object_unref (task);
      return;
    }

  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  /* Keylink sets Authorization itself: the session's auth manager stays out. */
  soup_message_disable_feature (request->message, SOUP_TYPE_AUTH_MANAGER);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", MEDIA_JSON);
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, request->content_type,
                                              request->body);

  if (request->resource >= 0)
    {
      KlAzureTokenSlot *slot = &self->tokens[request->resource];
      char *bearer = g_strconcat ("Bearer ", slot->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
      kl_azure_secret_free (bearer);
      request->token_generation = slot->generation;
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, request_sent_cb, task);
}

static void
request_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      request_return_error (task, error);
      g_object_unref (task);
      return;
    }

  request_send_message (task);
}

/* Takes the reference on @task. */
static void
request_start (GTask *task)
{
  KlAzureClient *self = g_task_get_source_object (task);
  KlAzureRequest *request = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      request_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                       "Cancelled"));
      g_object_unref (task);
      return;
    }

  if (request->resource >= 0)
    {
      kl_azure_token_get_async (self, request->resource, request->cancellable, request_token_cb, task);
      return;
    }

  request_send_message (task);
}

KlAzureRequest *
kl_azure_request_new (KlAzureClient    *self,
                      KlAzureOperation  operation,
                      const char       *method,
                      char             *url,
                      int               resource,
                      KlAzureRequestFlags flags)
{
  KlAzureRequest *request = g_new0 (KlAzureRequest, 1);

  request->operation = operation;
  request->method = method;
  request->url = url;
  request->resource = resource;
  request->flags = flags;
  request->attempt = 1;
  request->context.operation = operation;
  request->context.cloud = self->cloud;
  request->context.tenant_id = self->tenant_id;
  request->context.client_id = self->client_id;
  return request;
}

void
kl_azure_request_set_names (KlAzureRequest    *request,
                            const char *subscription_id,
                            const char *resource_group,
                            const char *vault_name,
                            const char *key_name,
                            const char *connection_name)
{
  request->context.subscription_id = request->subscription_id = g_strdup (subscription_id);
  request->context.resource_group = request->resource_group = g_strdup (resource_group);
  request->context.vault_name = request->vault_name = g_strdup (vault_name);
  request->context.key_name = request->key_name = g_strdup (key_name);
  request->context.connection_name = request->connection_name = g_strdup (connection_name);
}

/* Sends @request (taken). */
void
kl_azure_request_send (KlAzureClient       *self,
                       KlAzureRequest             *request,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, request_free);

  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   g_object_ref (request->cancellable),
                                                   g_object_unref);
  request->deadline_us = g_get_monotonic_time () + (gint64) self->deadline_s * G_USEC_PER_SEC;
  /* Milliseconds: a seconds source may fire up to a second early. */
  request->deadline = g_timeout_source_new ((guint) MIN ((guint64) self->deadline_s * 1000,
                                                      G_MAXUINT));
  g_source_set_callback (request->deadline, request_deadline_cb, request, NULL);
  g_source_attach (request->deadline, g_main_context_get_thread_default ());

  request_start (task);
}
