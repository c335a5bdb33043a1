/* test-server-answers.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kl-atlas-client.h"
#include "kl-endpoint-watch.h"
#include "kl-error.h"
#include "kl-test-utils.h"

/* Hostile answers over real HTTP on loopback: answers that trickle, redirects
 * to another origin, and bytes that are not UTF-8. Each server is a SoupServer in this
 * thread. */

#define GROUP_ID "65f0000000000000000000a1"

typedef enum
{
  MODE_TRICKLE,        /* headers, then one byte a second */
  MODE_REDIRECT_AWAY,  /* 302 to the other server */
  MODE_REDIRECT_HERE,  /* 302 to /moved on this server, which answers */
  MODE_BAD_BYTES,      /* a project page with invalid UTF-8 and NUL in names */
} Mode;

typedef struct
{
  SoupServer        *server;
  char              *base_url;
  Mode               mode;
  guint              n_requests;
  char              *other_url;   /* for MODE_REDIRECT_AWAY */
  /* MODE_TRICKLE */
  SoupServerMessage *trickling;
  guint              trickle_id;
  guint              trickled;
  gboolean           finished;
} Server;

static const char bad_page[] =
  "{\"results\":["
  "{\"id\":\"65f0000000000000000000a1\",\"name\":\"Bad \xc3\x28 byte\"},"
  "{\"id\":\"65f0000000000000000000a2\",\"name\":\"nul\0cut\"},"
  "{\"id\":\"65f0000000000000000000a3\",\"name\":\"esc\\u0000aped\"},"
  "{\"id\":\"65f0000000000000000000a4\",\"name\":\"Fine\"}],"
  "\"totalCount\":4}";

static const char good_page[] =
  "{\"results\":[{\"id\":\"65f0000000000000000000a1\",\"name\":\"Moved\"}],\"totalCount\":1}";

static gboolean
trickle_cb (gpointer user_data)
{
  Server *s = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (s->trickling);

  /* 60 bytes of whitespace, then an empty page: a minute in all. */
  if (++s->trickled < 60)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, " ", 1);
      soup_server_message_unpause (s->trickling);
      return G_SOURCE_CONTINUE;
    }

  soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"results\":[],\"totalCount\":0}", 29);
  soup_message_body_complete (body);
  soup_server_message_unpause (s->trickling);
  s->trickle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
trickle_finished_cb (SoupServerMessage *msg,
                     Server            *s)
{
  s->finished = TRUE;
  g_clear_handle_id (&s->trickle_id, g_source_remove);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Server *s = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  s->n_requests++;

  switch (s->mode)
    {
    case MODE_TRICKLE:
      g_assert_null (s->trickling);
      s->trickling = g_object_ref (msg);
      g_signal_connect (msg, "finished", G_CALLBACK (trickle_finished_cb), s);
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_append (soup_server_message_get_response_body (msg),
                                SOUP_MEMORY_STATIC, " ", 1);
      soup_server_message_pause (msg);
      s->trickle_id = g_timeout_add_seconds (1, trickle_cb, s);
      break;

    case MODE_REDIRECT_AWAY:
      {
        g_autofree char *location = g_strconcat (s->other_url, path, NULL);

        soup_server_message_set_redirect (msg, 302, location);
      }
      break;

    case MODE_REDIRECT_HERE:
      if (g_str_has_prefix (path, "/moved"))
        soup_server_message_set_status (msg, 200, NULL);
      if (g_str_has_prefix (path, "/moved"))
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          good_page, strlen (good_page));
      else
        soup_server_message_set_redirect (msg, 302, "/moved/groups");
      break;

    case MODE_BAD_BYTES:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        bad_page, sizeof bad_page - 1);
      break;

    default:
      g_assert_not_reached ();
    }
}

static Server *
server_new (Mode mode)
{
  Server *s = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  s->mode = mode;
  s->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->server, NULL, server_cb, s, NULL);
  g_assert_true (soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);
  s->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return s;
}

static void
server_free (Server *s)
{
  g_clear_handle_id (&s->trickle_id, g_source_remove);
  if (s->trickling != NULL)
    g_signal_handlers_disconnect_by_data (s->trickling, s);
  g_clear_object (&s->trickling);
  soup_server_disconnect (s->server);
  g_clear_object (&s->server);
  g_free (s->base_url);
  g_free (s->other_url);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static KlAtlasClient *
client_new (Server *s)
{
  g_autoptr(GError) error = NULL;
  KlAtlasClient *client = kl_atlas_client_new (s->base_url, KL_AUTH_API_KEY, "publickey",
                                               "private-key-0000", &error);

  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (client, 1, 10, 10);
  return client;
}

static GPtrArray *
list_projects (KlAtlasClient  *client,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (client, NULL, kl_test_store_result, &result);
  kl_test_wait_result (&result, 20000);
  return kl_atlas_client_list_projects_finish (client, result, error);
}

/* Item 7: a redirect to another origin (another port of loopback) is an error that says so,
 * and the other server hears nothing. */
static void
test_redirect_other_origin (void)
{
  g_autoptr(Server) away = server_new (MODE_BAD_BYTES);
  g_autoptr(Server) here = server_new (MODE_REDIRECT_AWAY);
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = NULL;

  here->other_url = g_strdup (away->base_url);
  client = client_new (here);
  projects = list_projects (client, &error);

  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
  expected = kl_error_new_redirect (away->base_url);
  g_assert_cmpstr (error->message, ==, expected->message);
  g_assert_cmpuint (here->n_requests, ==, 1);
  g_assert_cmpuint (away->n_requests, ==, 0);
}

/* Within the origin, a GET follows. */
static void
test_redirect_same_origin (void)
{
  g_autoptr(Server) here = server_new (MODE_REDIRECT_HERE);
  g_autoptr(KlAtlasClient) client = client_new (here);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = list_projects (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 1);
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (projects, 0)), ==, "Moved");
  g_assert_cmpuint (here->n_requests, ==, 2);
}

/* Item 5: headers, then a byte a second: with a deadline of 2 s, the call fails with the
 * deadline's message long before the minute the body takes. */
static void
test_trickle_deadline (void)
{
  g_autoptr(Server) s = server_new (MODE_TRICKLE);
  g_autoptr(KlAtlasClient) client = client_new (s);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = kl_error_new_deadline (2);

  kl_atlas_client_set_deadlines (client, 2, 2);
  projects = list_projects (client, &error);

  g_assert_null (projects);
  g_assert_error (error, KL_ERROR, KL_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, expected->message);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_cmpuint (s->trickled, <, 60);
}

static void
watch_error_cb (KlWatch  *watch,
                GError   *error,
                GError  **out)
{
  if (*out == NULL)
    *out = g_error_copy (error);
}

static gboolean
has_error (gpointer user_data)
{
  return *(GError **) user_data != NULL;
}

/* A background poll has the deadline too. */
static void
test_watch_poll_deadline (void)
{
  g_autoptr(Server) s = server_new (MODE_TRICKLE);
  g_autoptr(KlAtlasClient) client = client_new (s);
  g_autoptr(KlEndpointWatch) watch = NULL;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_set_deadlines (client, 2, 2);
  watch = kl_endpoint_watch_new (client, GROUP_ID);
  g_signal_connect (watch, "error", G_CALLBACK (watch_error_cb), &error);
  kl_watch_start (KL_WATCH (watch));

  g_assert_true (kl_test_wait_until (has_error, &error, 20000));
  g_assert_error (error, KL_ERROR, KL_ERROR_TIMEOUT);
  kl_watch_stop (KL_WATCH (watch));
}

static gboolean
is_trickling (gpointer user_data)
{
  Server *s = user_data;

  return s->trickling != NULL && s->trickled >= 1;
}

/* The owner's cancellable stops a background poll in flight: the connection is dropped, and
 * no other poll starts. */
static void
test_watch_cancelled (void)
{
  g_autoptr(Server) s = server_new (MODE_TRICKLE);
  g_autoptr(KlAtlasClient) client = client_new (s);
  g_autoptr(KlEndpointWatch) watch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  watch = kl_endpoint_watch_new (client, GROUP_ID);
  g_signal_connect (watch, "error", G_CALLBACK (watch_error_cb), &error);
  kl_watch_set_cancellable (KL_WATCH (watch), cancellable);
  kl_watch_set_intervals (KL_WATCH (watch), 10, 10);
  kl_watch_start (KL_WATCH (watch));
  g_assert_true (kl_test_wait_until (is_trickling, s, 10000));

  g_cancellable_cancel (cancellable);
  g_assert_false (kl_watch_get_running (KL_WATCH (watch)));
  g_assert_true (kl_test_wait_for_flag (&s->finished, 10000));
  g_assert_cmpuint (s->trickled, <, 60);
  g_assert_no_error (error);

  /* Poking a cancelled watch polls no more. */
  kl_watch_poke (KL_WATCH (watch));
  g_assert_false (kl_test_wait_until ((KlTestCondition) kl_watch_get_running, watch, 100) &&
                  s->n_requests > 1);
  g_assert_cmpuint (s->n_requests, ==, 1);
}

/* Item 10: invalid UTF-8, a NUL byte and a \u0000 in three names of one page: the list
 * arrives whole, those names with U+FFFD. */
static void
test_bad_bytes (void)
{
  g_autoptr(Server) s = server_new (MODE_BAD_BYTES);
  g_autoptr(KlAtlasClient) client = client_new (s);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = list_projects (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 4);
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (projects, 0)), ==,
                   "Bad \xef\xbf\xbd( byte");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (projects, 1)), ==,
                   "nul\xef\xbf\xbd" "cut");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (projects, 2)), ==,
                   "esc\xef\xbf\xbd" "aped");
  g_assert_cmpstr (kl_project_get_name (g_ptr_array_index (projects, 3)), ==, "Fine");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server-answers/redirect/other-origin", test_redirect_other_origin);
  g_test_add_func ("/server-answers/redirect/same-origin", test_redirect_same_origin);
  g_test_add_func ("/server-answers/deadline/trickle", test_trickle_deadline);
  g_test_add_func ("/server-answers/deadline/watch-poll", test_watch_poll_deadline);
  g_test_add_func ("/server-answers/watch-cancelled", test_watch_cancelled);
  g_test_add_func ("/server-answers/bad-bytes", test_bad_bytes);

  return g_test_run ();
}
