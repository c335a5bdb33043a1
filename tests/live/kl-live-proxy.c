/* kl-live-proxy.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kl-http-log.h"
#include "kl-live-proxy.h"

struct _KlLiveProxy
{
  SoupServer    *server;
  SoupSession   *session;
  GCancellable  *cancellable;
  char          *upstream;    /* no trailing '/' */
  char          *url;
  KlLiveChecker *checker;     /* not owned */
  FILE          *record;
  GPtrArray     *secrets;     /* of char *, zeroed on free */
  GPtrArray     *notes;
  GPtrArray     *violations;
  GPtrArray     *answered;    /* "METHOD path" of every forwarded answer */
  guint          seq;
  gint64         start_us;
};

typedef struct
{
  KlLiveProxy       *proxy;
  SoupServerMessage *msg;
  SoupMessage       *upstream;
  char              *method;
  char              *path;
  char              *query;
  char              *auth;
  GBytes            *request_body;
} Forward;

static void
forward_free (Forward *forward)
{
  g_clear_object (&forward->msg);
  g_clear_object (&forward->upstream);
  g_free (forward->method);
  g_free (forward->path);
  g_free (forward->query);
  g_free (forward->auth);
  g_clear_pointer (&forward->request_body, g_bytes_unref);
  g_free (forward);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Forward, forward_free)

/* Hop-by-hop headers, and those libsoup sets itself for the body it sends. */
static gboolean
is_own_header (const char *name)
{
  static const char *const names[] = {
    "Host", "Connection", "Keep-Alive", "Content-Length", "Transfer-Encoding", "TE", "Trailer",
    "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "Expect",
    "Accept-Encoding", "Content-Encoding", "Content-Type",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  if (!is_own_header (name))
    soup_message_headers_append (user_data, name, value);
}

static void
add_secret (KlLiveProxy *self,
            const char  *secret)
{
  if (secret == NULL || strlen (secret) < 4)
    return;
  for (guint i = 0; i < self->secrets->len; i++)
    if (g_str_equal (g_ptr_array_index (self->secrets, i), secret))
      return;
  g_ptr_array_add (self->secrets, g_strdup (secret));
}

static void
secret_free (gpointer data)
{
  char *secret = data;

  memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* Redacted text, with any secret the redaction missed replaced (and counted). */
static char *
redact (KlLiveProxy *self,
        const char  *text,
        const char  *what)
{
  g_autofree char *redacted = NULL;

  if (text == NULL)
    return NULL;
  redacted = kl_http_log_redact (text);
  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);

      if (strstr (redacted, secret) != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (redacted, secret, -1);

          g_ptr_array_add (self->violations,
                           g_strdup_printf ("%s: a secret went through the redaction (now "
                                            "replaced in the recording)", what));
          g_free (redacted);
          redacted = g_strjoinv ("[REDACTED]", parts);
        }
    }
  return g_steal_pointer (&redacted);
}

static char *
bytes_text (GBytes *bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
record (KlLiveProxy    *self,
        Forward        *forward,
        guint           status,
        const char     *error_code,
        const char     *content_type,
        GBytes         *response_body,
        const char     *transport_error)
{
  g_autoptr(KlLiveExchange) exchange = g_new0 (KlLiveExchange, 1);
  g_autofree char *what = g_strdup_printf ("%s %s", forward->method, forward->path);
  g_autofree char *request_text = bytes_text (forward->request_body);
  g_autofree char *response_text = bytes_text (response_body);
  g_autofree char *line = NULL;

  exchange->seq = ++self->seq;
  exchange->ms = (g_get_monotonic_time () - self->start_us) / 1000;
  exchange->method = g_strdup (forward->method);
  exchange->path = g_strdup (forward->path);
  /* As in a request line, so that only secret-named parameters go (a bare "a=b&c=d" would
   * be taken for a form body, every value redacted). */
  if (forward->query != NULL)
    {
      g_autofree char *request_line = g_strdup_printf ("GET /?%s HTTP/1.1", forward->query);
      g_autofree char *redacted = redact (self, request_line, what);

      if (g_str_has_prefix (redacted, "GET /?") && g_str_has_suffix (redacted, " HTTP/1.1"))
        exchange->query = g_strndup (redacted + 6, strlen (redacted) - 6 - 9);
      else
        exchange->query = g_strdup ("[REDACTED]");
    }
  exchange->auth = g_strdup (forward->auth);
  exchange->status = status;
  exchange->error_code = g_strdup (error_code);
  exchange->content_type = g_strdup (content_type);
  exchange->request_body = redact (self, request_text, what);
  exchange->response_body = redact (self, response_text, what);
  exchange->transport_error = g_strdup (transport_error);

  line = kl_live_exchange_to_line (exchange);
  fputs (line, self->record);
  fputc ('\n', self->record);
  fflush (self->record);
}

static void
reply_bad_gateway (Forward    *forward,
                   const char *message)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) text = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (text, message);
  quoted = json_to_string (text, FALSE);
  body = g_strdup_printf ("{\"detail\":%s,\"error\":502,\"errorCode\":\"KL_LIVE_PROXY_UPSTREAM\","
                          "\"parameters\":[],\"reason\":\"Bad Gateway\"}", quoted);
  soup_server_message_set_status (forward->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  soup_server_message_set_response (forward->msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
  soup_server_message_unpause (forward->msg);
}

static void
note_token (KlLiveProxy *self,
            const char  *path,
            GBytes      *body)
{
  g_autofree char *text = bytes_text (body);
  g_autoptr(JsonNode) node = NULL;

  if (!g_str_has_prefix (path, "/api/oauth/") || text == NULL)
    return;
  node = json_from_string (text, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    add_secret (self, json_object_get_string_member_with_default (json_node_get_object (node),
                                                                  "access_token", NULL));
}

static void
forward_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Forward) forward = user_data;
  KlLiveProxy *self = forward->proxy;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  SoupMessageHeaders *headers;
  const char *content_type;
  const char *error_code;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (body == NULL)
    {
      g_autofree char *message = g_strdup_printf ("the proxy could not reach %s: %s",
                                                  self->upstream, error->message);

      record (self, forward, 0, NULL, NULL, NULL, error->message);
      reply_bad_gateway (forward, message);
      return;
    }

  status = soup_message_get_status (forward->upstream);
  headers = soup_message_get_response_headers (forward->upstream);
  content_type = soup_message_headers_get_one (headers, "Content-Type");
  error_code = soup_message_headers_get_one (headers, "X-Error-Code");
  note_token (self, forward->path, body);

  notes = g_ptr_array_new_with_free_func (g_free);
  {
    g_autoptr(GError) violation = NULL;

    if (!kl_live_checker_check (self->checker, forward->method, forward->path, status,
                                content_type, error_code, body, notes, &violation))
      g_ptr_array_add (self->violations, g_strdup (violation->message));
  }
  for (guint i = 0; i < notes->len; i++)
    g_ptr_array_add (self->notes, g_strdup (g_ptr_array_index (notes, i)));
  record (self, forward, status, error_code, content_type, body, NULL);
  if (status != SOUP_STATUS_UNAUTHORIZED)
    g_ptr_array_add (self->answered, g_strdup_printf ("%s %s", forward->method, forward->path));

  soup_server_message_set_status (forward->msg, status,
                                  soup_message_get_reason_phrase (forward->upstream));
  soup_message_headers_foreach (headers, copy_header_cb,
                                soup_server_message_get_response_headers (forward->msg));
  if (g_bytes_get_size (body) > 0 || content_type != NULL)
    soup_server_message_set_response (forward->msg, content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_unpause (forward->msg);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KlLiveProxy *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  const char *content_type = soup_message_headers_get_one (request_headers, "Content-Type");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *target = NULL;
  Forward *forward = g_new0 (Forward, 1);

  forward->proxy = self;
  forward->msg = g_object_ref (msg);
  forward->method = g_strdup (soup_server_message_get_method (msg));
  forward->path = g_strdup (g_uri_get_path (uri));
  forward->query = g_strdup (g_uri_get_query (uri));
  forward->request_body = g_bytes_ref (body);
  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Digest ", 7) == 0)
        forward->auth = g_strdup ("digest");
      else if (g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
        forward->auth = g_strdup ("basic");
      else if (g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
        {
          forward->auth = g_strdup ("bearer");
          add_secret (self, authorization + 7);
        }
      else
        forward->auth = g_strdup ("other");
    }

  soup_server_message_pause (msg);
  target = g_strconcat (self->upstream, forward->path, forward->query ? "?" : "",
                        forward->query ? forward->query : "", NULL);
  forward->upstream = soup_message_new (forward->method, target);
  if (forward->upstream == NULL)
    {
      record (self, forward, 0, NULL, NULL, NULL, "not a URL");
      reply_bad_gateway (forward, "the proxy could not make a URL of the request");
      forward_free (forward);
      return;
    }
  /* Auth is the client's: the answer (a 401 challenge too) goes back to it as it is. */
  soup_message_disable_feature (forward->upstream, SOUP_TYPE_AUTH_MANAGER);
  soup_message_headers_foreach (request_headers, copy_header_cb,
                                soup_message_get_request_headers (forward->upstream));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (forward->upstream, content_type, body);

  soup_session_send_and_read_async (self->session, forward->upstream, G_PRIORITY_DEFAULT,
                                    self->cancellable, forward_cb, forward);
}

KlLiveProxy *
kl_live_proxy_new (const char     *upstream_url,
                   KlLiveChecker  *checker,
                   const char     *record_path,
                   const char     *target,
                   const char     *group_id,
                   GError        **error)
{
  g_autoptr(KlLiveProxy) self = g_new0 (KlLiveProxy, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) header = NULL;
  g_autofree char *header_line = NULL;
  g_autofree char *started = g_date_time_format_iso8601 (now);
  GSList *uris;

  self->cancellable = g_cancellable_new ();
  self->secrets = g_ptr_array_new_with_free_func (secret_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->violations = g_ptr_array_new_with_free_func (g_free);
  self->answered = g_ptr_array_new_with_free_func (g_free);
  self->checker = checker;
  self->upstream = g_strdup (upstream_url);
  while (g_str_has_suffix (self->upstream, "/"))
    self->upstream[strlen (self->upstream) - 1] = '\0';
  self->start_us = g_get_monotonic_time ();

  self->record = g_fopen (record_path, "w");
  if (self->record == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot write the recording %s: %s", record_path, g_strerror (saved_errno));
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "header");
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, target);
  json_builder_set_member_name (builder, "groupId");
  json_builder_add_string_value (builder, group_id);
  json_builder_set_member_name (builder, "started");
  json_builder_add_string_value (builder, started);
  json_builder_end_object (builder);
  header = json_builder_get_root (builder);
  header_line = json_to_string (header, FALSE);
  fputs (header_line, self->record);
  fputc ('\n', self->record);
  fflush (self->record);

  /* Long enough for any Atlas answer; the client has its own, shorter, timeout. */
  self->session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 60, NULL);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

void
kl_live_proxy_free (KlLiveProxy *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->record, fclose);
  g_clear_pointer (&self->secrets, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->violations, g_ptr_array_unref);
  g_clear_pointer (&self->answered, g_ptr_array_unref);
  g_free (self->upstream);
  g_free (self->url);
  g_free (self);
}

const char *
kl_live_proxy_get_url (KlLiveProxy *self)
{
  return self->url;
}

void
kl_live_proxy_add_secret (KlLiveProxy *self,
                          const char  *secret)
{
  add_secret (self, secret);
}

static GPtrArray *
take (GPtrArray **array)
{
  GPtrArray *taken = g_steal_pointer (array);

  *array = g_ptr_array_new_with_free_func (g_free);
  return taken;
}

GPtrArray *
kl_live_proxy_take_notes (KlLiveProxy *self)
{
  return take (&self->notes);
}

GPtrArray *
kl_live_proxy_take_violations (KlLiveProxy *self)
{
  return take (&self->violations);
}

guint
kl_live_proxy_count (KlLiveProxy *self,
                     const char  *method,
                     const char  *suffix)
{
  guint n = 0;

  for (guint i = 0; i < self->answered->len; i++)
    {
      const char *entry = g_ptr_array_index (self->answered, i);
      const char *space = strchr (entry, ' ');

      if (method != NULL && (strncmp (entry, method, space - entry) != 0
                             || strlen (method) != (gsize) (space - entry)))
        continue;
      if (suffix != NULL && !g_str_has_suffix (space + 1, suffix))
        continue;
      n++;
    }
  return n;
}

guint
kl_live_proxy_get_n_recorded (KlLiveProxy *self)
{
  return self->seq;
}
