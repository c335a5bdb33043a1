/* kl-azure-client.c
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

#include "kl-azure-client.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-http-log.h"

#define MEDIA_JSON "application/json"
#define MEDIA_FORM "application/x-www-form-urlencoded"

#define TOKEN_MARGIN_SECONDS   60
#define MAX_BODY_BYTES         (4 * 1024 * 1024)
#define DEFAULT_MAX_ATTEMPTS   4
#define DEFAULT_BASE_DELAY_MS  1000
#define DEFAULT_MAX_DELAY_MS   30000
#define DEFAULT_DEADLINE_S     60
#define DEFAULT_TIMEOUT_S      30
#define DEFAULT_DESCRIPTION    "Approved by Keylink for MongoDB Atlas"

typedef struct
{
  char    *token;       /* zeroed when dropped */
  gint64   expiry;      /* monotonic µs */
  guint    generation;
  gboolean in_flight;
  GQueue   waiters;     /* GTask*, each owning a ref */
} TokenSlot;

struct _KlAzureClient
{
  GObject       parent_instance;

  SoupSession  *session;
  GCancellable *cancellable;   /* the client's own calls (tokens); cancelled on dispose */
  KlAzureCloud  cloud;
  char         *tenant_id;
  char         *client_id;
  char         *secret;        /* zeroed at finalize */
  char         *login_url;
  char         *arm_url;
  char         *vault_template;  /* nullable: https://{vault}.{suffix} */
  TokenSlot     tokens[2];     /* KlAzureResource */

  guint         max_attempts;
  guint         base_delay_ms;
  guint         max_delay_ms;
  guint         deadline_s;
};

G_DEFINE_FINAL_TYPE (KlAzureClient, kl_azure_client, G_TYPE_OBJECT)

static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* ------------------------------------------------------------------------------------------ */
/* One call: the message, its retries and its deadline. Result: the answer's body (GBytes).  */

typedef enum
{
  REQUEST_IDEMPOTENT    = 1 << 0,  /* repeat on 5xx and broken connections */
  REQUEST_SECRET_ANSWER = 1 << 1,  /* a token answer: its buffer is wiped */
} RequestFlags;

typedef struct
{
  KlAzureOperation  operation;
  const char       *method;
  char             *url;
  GBytes           *body;          /* nullable; the token form wipes itself */
  const char       *content_type;
  RequestFlags      flags;
  int               resource;      /* KlAzureResource of the bearer token, -1: none */
  gboolean          token_renewed;
  guint             token_generation;
  guint             attempt;       /* 1-based */
  gint64            deadline_us;   /* monotonic */
  GCancellable     *cancellable;   /* this call's: the caller's and the deadline cancel it */
  gulong            cancelled_id;
  GSource          *deadline;
  gboolean          deadline_passed;
  SoupMessage      *message;
  GSource          *delay;
  /* what messages quote */
  KlAzureErrorContext context;
  char             *subscription_id;
  char             *resource_group;
  char             *vault_name;
  char             *key_name;
  char             *connection_name;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

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
  Request *request = user_data;

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
  Request *request = g_task_get_task_data (task);
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
  Request *request = g_task_get_task_data (task);

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
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->delay, g_source_unref);
  request_start (task);
  return G_SOURCE_REMOVE;
}

static gboolean
request_delay_cancelled_cb (GCancellable *cancellable,
                            gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

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
request_can_wait (Request *request,
                  guint    ms)
{
  return g_get_monotonic_time () + (gint64) ms * 1000 < request->deadline_us;
}

/* Takes the reference on @task. */
static void
request_retry_later (GTask *task,
                     guint  ms)
{
  Request *request = g_task_get_task_data (task);
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

static void
bytes_wipe_free (GBytes *bytes)
{
  gsize size = 0;
  char *data = g_bytes_unref_to_data (bytes, &size);

  if (data != NULL)
    explicit_bzero (data, size);
  g_free (data);
}

static void token_forget (KlAzureClient *self,
                          int            resource);

/* Takes the references on @owned_task and on @owned_bytes or @owned_error. */
static void
request_answered (GTask  *owned_task,
                  GBytes *owned_bytes,
                  GError *owned_error)
{
  GTask *task = owned_task;
  KlAzureClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
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
      else if ((request->flags & REQUEST_IDEMPOTENT) && can_retry &&
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

          if (request->flags & REQUEST_SECRET_ANSWER)
            bytes_wipe_free (g_steal_pointer (&bytes));
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
        token_forget (self, request->resource);
      request_start (task);
      return;
    }

  http_error = kl_azure_error_new_from_http (&request->context, status,
                                             soup_message_headers_get_one (headers, "Retry-After"),
                                             soup_message_headers_get_one (headers,
                                                                           "WWW-Authenticate"),
                                             bytes);

  if (can_retry &&
      (status == 429 || ((request->flags & REQUEST_IDEMPOTENT) && status >= 500 && status < 600)))
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
                                G_PRIORITY_DEFAULT, request->cancellable, request_read_cb, task);
}

/* Takes the reference on @task. */
static void
request_send_message (GTask *task)
{
  KlAzureClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
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
      TokenSlot *slot = &self->tokens[request->resource];
      char *bearer = g_strconcat ("Bearer ", slot->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
      secret_free (bearer);
      request->token_generation = slot->generation;
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, request_sent_cb, task);
}

static void token_get_async (KlAzureClient       *self,
                             int                  resource,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);

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
  Request *request = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      request_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                       "Cancelled"));
      g_object_unref (task);
      return;
    }

  if (request->resource >= 0)
    {
      token_get_async (self, request->resource, request->cancellable, request_token_cb, task);
      return;
    }

  request_send_message (task);
}

static Request *
request_new (KlAzureClient    *self,
             KlAzureOperation  operation,
             const char       *method,
             char             *url,
             int               resource,
             RequestFlags      flags)
{
  Request *request = g_new0 (Request, 1);

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

static void
request_set_names (Request    *request,
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
static void
request_send (KlAzureClient       *self,
              Request             *request,
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

/* ------------------------------------------------------------------------------------------ */
/* Tokens                                                                                      */

static void
token_forget (KlAzureClient *self,
              int            resource)
{
  TokenSlot *slot = &self->tokens[resource];

  secret_free (g_steal_pointer (&slot->token));
  slot->expiry = 0;
  slot->generation++;
}

static void
token_waiters_complete (KlAzureClient *self,
                        int            resource,
                        const GError  *error)
{
  TokenSlot *slot = &self->tokens[resource];
  GTask *task;

  while ((task = g_queue_pop_head (&slot->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Reads {token_type, expires_in, access_token} from @owned_bytes (taken), zeroing what held
 * the token: the answer's buffer and json-glib's copy. */
static gboolean
token_parse (GBytes   *owned_bytes,
             char    **token,
             gint64   *expires_in,
             GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;
  JsonNode *node = NULL;
  gboolean ok = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (owned_bytes, &size);
  const char *problem = NULL;

  if (size == 0 || memchr (data, '\0', size) != NULL)
    problem = "empty token answer";
  else if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    problem = "token answer is not JSON";
  else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    problem = "token answer is not an object";
  else
    object = json_node_get_object (root);

  if (object != NULL)
    {
      const char *type = NULL;
      JsonNode *type_node = json_object_get_member (object, "token_type");
      JsonNode *expires = json_object_get_member (object, "expires_in");

      if (type_node != NULL && JSON_NODE_HOLDS_VALUE (type_node) &&
          json_node_get_value_type (type_node) == G_TYPE_STRING)
        type = json_node_get_string (type_node);

      *expires_in = 3599;
      if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires) &&
          json_node_get_value_type (expires) == G_TYPE_INT64)
        *expires_in = json_node_get_int (expires);

      node = json_object_get_member (object, "access_token");
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING ||
          json_node_get_string (node)[0] == '\0')
        problem = "token answer without access_token";
      else if (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
        problem = "token answer whose token_type is not Bearer";
      else if (*expires_in < 0)
        problem = "token that expired already";
      else
        {
          *token = g_strdup (json_node_get_string (node));
          ok = TRUE;
        }

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          explicit_bzero (text, strlen (text));
        }
    }

  bytes_wipe_free (owned_bytes);

  if (!ok)
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_TOKEN, problem));
  return ok;
}

static void
token_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAzureClient *self = KL_AZURE_CLIENT (source);
  int resource = GPOINTER_TO_INT (user_data);
  TokenSlot *slot = &self->tokens[resource];
  g_autoptr(GError) error = NULL;
  GBytes *bytes;
  char *token = NULL;
  gint64 expires_in = 0;

  slot->in_flight = FALSE;
  bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes != NULL && token_parse (bytes, &token, &expires_in, &error))
    {
      gint64 margin = MIN (TOKEN_MARGIN_SECONDS, expires_in / 2);

      token_forget (self, resource);
      slot->token = token;
      slot->expiry = g_get_monotonic_time () + (expires_in - margin) * G_USEC_PER_SEC;
      g_debug ("New %s token, valid for %" G_GINT64_FORMAT " s",
               resource == KL_AZURE_RESOURCE_ARM ? "ARM" : "Key Vault", expires_in);
    }

  token_waiters_complete (self, resource, error);
}

/* The form body, in a buffer that is zeroed when freed. */
static GBytes *
token_form_new (KlAzureClient *self,
                int            resource)
{
  g_autofree char *client_id = g_uri_escape_string (self->client_id, NULL, FALSE);
  const char *scope = resource == KL_AZURE_RESOURCE_ARM
                      ? kl_azure_cloud_get_arm_scope (self->cloud)
                      : kl_azure_cloud_get_key_vault_scope (self->cloud);
  g_autofree char *escaped_scope = g_uri_escape_string (scope, NULL, FALSE);
  char *secret = g_uri_escape_string (self->secret, NULL, FALSE);
  char *form;

  form = g_strconcat ("client_id=", client_id, "&client_secret=", secret, "&scope=",
                      escaped_scope, "&grant_type=client_credentials", NULL);
  secret_free (secret);
  return g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) secret_free, form);
}

static void
token_get_async (KlAzureClient       *self,
                 int                  resource,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TokenSlot *slot = &self->tokens[resource];
  Request *request;
  char *url;

  g_task_set_source_tag (task, token_get_async);

  if (slot->token != NULL && g_get_monotonic_time () < slot->expiry)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_queue_push_tail (&slot->waiters, g_steal_pointer (&task));
  if (slot->in_flight)
    return;

  slot->in_flight = TRUE;
  /* Only to the identity host, over HTTPS (or the loopback override). */
  url = g_strconcat (self->login_url, "/", self->tenant_id, "/oauth2/v2.0/token", NULL);
  request = request_new (self, KL_AZURE_OP_TOKEN, SOUP_METHOD_POST, url, -1,
                         REQUEST_SECRET_ANSWER);
  request->body = token_form_new (self, resource);
  request->content_type = MEDIA_FORM;
  request_send (self, request, token_get_async, self->cancellable, token_request_cb,
                GINT_TO_POINTER (resource));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_azure_client_dispose (GObject *object)
{
  KlAzureClient *self = (KlAzureClient *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (kl_azure_client_parent_class)->dispose (object);
}

static void
kl_azure_client_finalize (GObject *object)
{
  KlAzureClient *self = (KlAzureClient *) object;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    {
      g_assert (g_queue_is_empty (&self->tokens[i].waiters));
      secret_free (self->tokens[i].token);
    }
  secret_free (self->secret);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->tenant_id);
  g_free (self->client_id);
  g_free (self->login_url);
  g_free (self->arm_url);
  g_free (self->vault_template);

  G_OBJECT_CLASS (kl_azure_client_parent_class)->finalize (object);
}

static void
kl_azure_client_class_init (KlAzureClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_azure_client_dispose;
  object_class->finalize = kl_azure_client_finalize;
}

static void
kl_azure_client_init (KlAzureClient *self)
{
  guint i;

  self->cancellable = g_cancellable_new ();
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->deadline_s = DEFAULT_DEADLINE_S;
  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    g_queue_init (&self->tokens[i].waiters);

  self->session = soup_session_new_with_options ("user-agent", "Keylink/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 NULL);

  if (kl_http_log_is_enabled ())
    {
      g_autoptr(SoupLogger) logger = kl_http_log_new ();

      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */

KlAzureClient *
kl_azure_client_new (KlAzureCloud   cloud,
                     const char    *tenant_id,
                     const char    *client_id,
                     const char    *client_secret,
                     GError       **error)
{
  g_autoptr(KlAzureClient) self = NULL;

  g_return_val_if_fail ((guint) cloud < KL_AZURE_N_CLOUDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kl_azure_check_tenant_id (tenant_id, error) ||
      !kl_azure_check_client_id (client_id, error))
    return NULL;

  if (client_secret == NULL || client_secret[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter the client secret’s value, from the app registration’s "
                             "Certificates & secrets page."));
      return NULL;
    }

  self = g_object_new (KL_TYPE_AZURE_CLIENT, NULL);
  self->cloud = cloud;
  self->tenant_id = g_ascii_strdown (tenant_id, -1);
  self->client_id = g_ascii_strdown (client_id, -1);
  self->secret = g_strdup (client_secret);
  self->login_url = g_strdup (kl_azure_cloud_get_login_url (cloud));
  self->arm_url = g_strdup (kl_azure_cloud_get_arm_url (cloud));

  return g_steal_pointer (&self);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The override as the client uses it (no trailing slash), or NULL with @error set. */
static char *
check_override (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gsize length;

  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || !is_loopback_host (host) || g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INSECURE_URL,
                           _("Keylink talks to Azure only at Azure’s own addresses. Another "
                             "address is allowed only on this computer, such as a local "
                             "simulator."));
      return NULL;
    }

  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    length--;
  return g_strndup (url, length);
}

gboolean
kl_azure_client_set_endpoints (KlAzureClient  *self,
                               const char     *login_url,
                               const char     *arm_url,
                               const char     *vault_url_template,
                               GError        **error)
{
  g_autofree char *login = NULL;
  g_autofree char *arm = NULL;
  g_autofree char *vault = NULL;

  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (login_url != NULL && !(login = check_override (login_url, error)))
    return FALSE;
  if (arm_url != NULL && !(arm = check_override (arm_url, error)))
    return FALSE;
  if (vault_url_template != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (vault_url_template, "{vault}", 2);
      g_autofree char *probe = g_strjoinv ("kv", parts);

      if (parts[0] == NULL || parts[1] == NULL)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               "The vault address template needs “{vault}”.");
          return FALSE;
        }
      if (!(vault = check_override (probe, error)))
        return FALSE;
      g_clear_pointer (&vault, g_free);
      vault = g_strdup (vault_url_template);
      while (g_str_has_suffix (vault, "/"))
        vault[strlen (vault) - 1] = '\0';
    }

  /* Tokens were for the other hosts. */
  kl_azure_client_forget_tokens (self);
  if (login != NULL)
    {
      g_free (self->login_url);
      self->login_url = g_steal_pointer (&login);
    }
  if (arm != NULL)
    {
      g_free (self->arm_url);
      self->arm_url = g_steal_pointer (&arm);
    }
  if (vault != NULL)
    {
      g_free (self->vault_template);
      self->vault_template = g_steal_pointer (&vault);
    }

  return TRUE;
}

void
kl_azure_client_set_deadline (KlAzureClient *self,
                              guint          seconds)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->deadline_s = seconds;
}

void
kl_azure_client_set_retry (KlAzureClient *self,
                           guint          max_attempts,
                           guint          base_delay_ms,
                           guint          max_delay_ms)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

KlAzureCloud
kl_azure_client_get_cloud (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), KL_AZURE_CLOUD_PUBLIC);
  return self->cloud;
}

const char *
kl_azure_client_get_tenant_id (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  return self->tenant_id;
}

const char *
kl_azure_client_get_client_id (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  return self->client_id;
}

char *
kl_azure_client_dup_vault_url (KlAzureClient *self,
                               const char    *vault_name)
{
  g_autofree char *lower = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  g_return_val_if_fail (vault_name != NULL, NULL);

  if (self->vault_template == NULL)
    return kl_azure_cloud_dup_vault_uri (self->cloud, vault_name);

  lower = g_ascii_strdown (vault_name, -1);
  parts = g_strsplit (self->vault_template, "{vault}", -1);
  return g_strjoinv (lower, parts);
}

void
kl_azure_client_forget_tokens (KlAzureClient *self)
{
  guint i;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    token_forget (self, (int) i);
}

/* Sign-in */

void
kl_azure_client_sign_in_async (KlAzureClient       *self,
                               KlAzureResource      resource,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (resource == KL_AZURE_RESOURCE_ARM || resource == KL_AZURE_RESOURCE_KEY_VAULT);

  token_get_async (self, resource, cancellable, callback, user_data);
}

gboolean
kl_azure_client_sign_in_finish (KlAzureClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Checks that report to @callback and return FALSE when a value is not well-formed. */
static gboolean
check_names (KlAzureClient       *self,
             const char          *subscription_id,
             const char          *resource_group,
             const char          *vault_name,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GError *error = NULL;

  if ((subscription_id == NULL || kl_azure_check_subscription_id (subscription_id, &error)) &&
      (resource_group == NULL || kl_azure_check_resource_group (resource_group, &error)) &&
      (vault_name == NULL || kl_azure_check_vault_name (vault_name, &error)))
    return TRUE;

  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static char *
vault_path (KlAzureClient *self,
            const char    *subscription_id,
            const char    *resource_group,
            const char    *vault_name)
{
  g_autofree char *sub = escape (subscription_id);
  g_autofree char *rg = escape (resource_group);
  g_autofree char *name = escape (vault_name);

  return g_strconcat (self->arm_url, "/subscriptions/", sub, "/resourceGroups/", rg,
                      "/providers/Microsoft.KeyVault/vaults/", name, NULL);
}

/* Vault */

void
kl_azure_client_get_vault_async (KlAzureClient       *self,
                                 const char          *subscription_id,
                                 const char          *resource_group,
                                 const char          *vault_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, subscription_id != NULL ? subscription_id : "",
                    resource_group != NULL ? resource_group : "",
                    vault_name != NULL ? vault_name : "",
                    kl_azure_client_get_vault_async, callback, user_data))
    return;

  path = vault_path (self, subscription_id, resource_group, vault_name);
  request = request_new (self, KL_AZURE_OP_READ_VAULT, SOUP_METHOD_GET,
                         g_strconcat (path, "?api-version=", KL_AZURE_KEY_VAULT_ARM_API_VERSION,
                                      NULL),
                         KL_AZURE_RESOURCE_ARM, REQUEST_IDEMPOTENT);
  request_set_names (request, subscription_id, resource_group, vault_name, NULL, NULL);
  request_send (self, request, kl_azure_client_get_vault_async, cancellable, callback, user_data);
}

KlAzureVault *
kl_azure_client_get_vault_finish (KlAzureClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  KlAzureVault *vault;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(bytes = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!(vault = kl_azure_vault_parse (data, (gssize) size, &local_error)))
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_READ_VAULT,
                                                               local_error->message));
  return vault;
}

/* Provider */

void
kl_azure_client_get_provider_async (KlAzureClient       *self,
                                    const char          *subscription_id,
                                    const char          *namespace_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *sub = NULL;
  g_autofree char *ns = NULL;
  Request *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (namespace_name != NULL);

  if (!check_names (self, subscription_id != NULL ? subscription_id : "", NULL, NULL,
                    kl_azure_client_get_provider_async, callback, user_data))
    return;

  sub = escape (subscription_id);
  ns = escape (namespace_name);
  request = request_new (self, KL_AZURE_OP_READ_PROVIDER, SOUP_METHOD_GET,
                         g_strconcat (self->arm_url, "/subscriptions/", sub, "/providers/", ns,
                                      "?api-version=", KL_AZURE_RESOURCES_API_VERSION, NULL),
                         KL_AZURE_RESOURCE_ARM, REQUEST_IDEMPOTENT);
  request_set_names (request, subscription_id, NULL, NULL, NULL, NULL);
  request_send (self, request, kl_azure_client_get_provider_async, cancellable, callback,
                user_data);
}

KlAzureProvider *
kl_azure_client_get_provider_finish (KlAzureClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  KlAzureProvider *provider;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(bytes = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!(provider = kl_azure_provider_parse (data, (gssize) size, &local_error)))
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_READ_PROVIDER,
                                                               local_error->message));
  return provider;
}

/* Key */

static gboolean
is_key_name (const char *name)
{
  const char *p;

  if (name == NULL || name[0] == '\0' || strlen (name) > 127)
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_key_version (const char *version)
{
  const char *p;

  if (version == NULL || strlen (version) != 32)
    return FALSE;
  for (p = version; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

void
kl_azure_client_get_key_async (KlAzureClient       *self,
                               const char          *vault_name,
                               const char          *key_name,
                               const char          *key_version,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *base = NULL;
  Request *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, NULL, NULL, vault_name != NULL ? vault_name : "",
                    kl_azure_client_get_key_async, callback, user_data))
    return;

  if (!is_key_name (key_name) || (key_version != NULL && !is_key_version (key_version)))
    {
      g_task_report_new_error (self, callback, user_data, kl_azure_client_get_key_async,
                               KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("The key identifier does not name a key and version. Copy the "
                                 "Key Identifier from the key version’s page in the Azure "
                                 "portal."));
      return;
    }

  base = kl_azure_client_dup_vault_url (self, vault_name);
  request = request_new (self, KL_AZURE_OP_READ_KEY, SOUP_METHOD_GET,
                         g_strconcat (base, "/keys/", key_name, "/",
                                      key_version != NULL ? key_version : "",
                                      "?api-version=", KL_AZURE_KEY_VAULT_DATA_API_VERSION, NULL),
                         KL_AZURE_RESOURCE_KEY_VAULT, REQUEST_IDEMPOTENT);
  request_set_names (request, NULL, NULL, vault_name, key_name, NULL);
  request_send (self, request, kl_azure_client_get_key_async, cancellable, callback, user_data);
}

KlAzureKey *
kl_azure_client_get_key_finish (KlAzureClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  KlAzureKey *key;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(bytes = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!(key = kl_azure_key_parse (data, (gssize) size, &local_error)))
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_READ_KEY,
                                                               local_error->message));
  return key;
}

/* Approval */

static gboolean
is_connection_name (const char *name)
{
  const char *p;

  if (name == NULL || name[0] == '\0' || strlen (name) > 128)
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

void
kl_azure_client_approve_connection_async (KlAzureClient       *self,
                                          const char          *subscription_id,
                                          const char          *resource_group,
                                          const char          *vault_name,
                                          const char          *connection_name,
                                          const char          *description,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  char *text;
  Request *request;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  if (!check_names (self, subscription_id != NULL ? subscription_id : "",
                    resource_group != NULL ? resource_group : "",
                    vault_name != NULL ? vault_name : "",
                    kl_azure_client_approve_connection_async, callback, user_data))
    return;

  if (!is_connection_name (connection_name))
    {
      g_task_report_new_error (self, callback, user_data,
                               kl_azure_client_approve_connection_async,
                               KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("This is not the name of a private endpoint connection. Reload "
                                 "the endpoints from Atlas, then try again."));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "privateLinkServiceConnectionState");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "Approved");
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description != NULL ? description : DEFAULT_DESCRIPTION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  path = vault_path (self, subscription_id, resource_group, vault_name);
  name = escape (connection_name);
  /* PUT is idempotent: approving twice is approving. */
  request = request_new (self, KL_AZURE_OP_APPROVE_CONNECTION, SOUP_METHOD_PUT,
                         g_strconcat (path, "/privateEndpointConnections/", name, "?api-version=",
                                      KL_AZURE_KEY_VAULT_ARM_API_VERSION, NULL),
                         KL_AZURE_RESOURCE_ARM, REQUEST_IDEMPOTENT);
  request->body = g_bytes_new_take (text, strlen (text));
  request->content_type = MEDIA_JSON;
  request_set_names (request, subscription_id, resource_group, vault_name, NULL,
                     connection_name);
  request_send (self, request, kl_azure_client_approve_connection_async, cancellable, callback,
                user_data);
}

KlAzureConnection *
kl_azure_client_approve_connection_finish (KlAzureClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  KlAzureConnection *connection;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(bytes = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!(connection = kl_azure_connection_parse (data, (gssize) size, &local_error)))
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_APPROVE_CONNECTION,
                                                               local_error->message));
  return connection;
}
