/* kl-test-faults.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-faults.h"

const OpInfo ops[N_OPS] = {
  [OP_TOKEN]           = { "token", "POST", "/api/oauth/token", OP_READ },
  [OP_LIST_PROJECTS]   = { "list-projects", "GET", "/api/atlas/v2/groups",
                           OP_READ | OP_LIST | OP_RETRIED },
  [OP_GET_PROJECT]     = { "get-project", "GET", GROUP_PATH, OP_READ | OP_RETRIED },
  [OP_GET_EAR]         = { "get-ear", "GET", EAR_PATH, OP_READ | OP_RETRIED },
  [OP_PATCH_EAR]       = { "patch-ear", "PATCH", EAR_PATH, OP_WRITE },
  [OP_LIST_ENDPOINTS]  = { "list-endpoints", "GET", ENDPOINTS_PATH,
                           OP_READ | OP_LIST | OP_RETRIED | OP_CMK | OP_HAS_EP },
  [OP_GET_ENDPOINT]    = { "get-endpoint", "GET", NULL,
                           OP_READ | OP_RETRIED | OP_CMK | OP_HAS_EP },
  [OP_ENSURE_ENDPOINT] = { "ensure-endpoint", "POST", ENDPOINTS_PATH,
                           OP_WRITE | OP_LIST | OP_CMK },
  [OP_DELETE_ENDPOINT] = { "delete-endpoint", "DELETE", NULL,
                           OP_WRITE | OP_RETRIED | OP_CMK | OP_HAS_EP },
  [OP_LIST_CLUSTERS]   = { "list-clusters", "GET", CLUSTERS_PATH,
                           OP_READ | OP_LIST | OP_RETRIED },
  [OP_GET_CLUSTER]     = { "get-cluster", "GET", CLUSTER_PATH, OP_READ | OP_RETRIED },
  [OP_PATCH_CLUSTER]   = { "patch-cluster", "PATCH", CLUSTER_PATH, OP_WRITE | OP_EAR_ON },
};

static const FaultInfo faults[N_FAULTS] = {
  [F_429_WAIT]        = { "429-retry-after", 0 },
  [F_429_NO_WAIT]     = { "429-no-retry-after", 0 },
  [F_429_ONCE]        = { "429-once", 0 },
  [F_500]             = { "500", 0 },
  [F_502]             = { "502", 0 },
  [F_503]             = { "503", 0 },
  [F_500_ONCE]        = { "500-once", 0 },
  [F_500_AFTER]       = { "500-after-processing", 0 },
  [F_DROP]            = { "reset", 0 },
  [F_DROP_ONCE]       = { "reset-once", 0 },
  [F_DROP_AFTER]      = { "reset-after-processing", 0 },
  [F_REFUSED]         = { "refused", FAULT_TRANSPORT },
  [F_DNS]             = { "dns", FAULT_TRANSPORT },
  [F_TLS_PLAIN]       = { "tls-plain-http", FAULT_TRANSPORT | FAULT_TLS },
  [F_TLS_SELF_SIGNED] = { "tls-self-signed", FAULT_TRANSPORT | FAULT_TLS },
  [F_STALL_CANCEL]    = { "stall-cancel", 0 },
  [F_STALL_TIMEOUT]   = { "stall-timeout", 0 },
  [F_MALFORMED]       = { "malformed", 0 },
  [F_MALFORMED_AFTER] = { "malformed-after-processing", 0 },
  [F_WRONG_SHAPE]     = { "wrong-shape", 0 },
  [F_UNKNOWN_ENUM]    = { "unknown-enum", 0 },
  [F_HUGE]            = { "huge", FAULT_SEQUENTIAL },
  [F_HUGE_CHUNKED]    = { "huge-chunked", FAULT_SEQUENTIAL },
  [F_LYING_TOTAL]     = { "lying-total-count", 0 },
  [F_NEXT_FOREVER]    = { "next-forever", 0 },
  [F_HOSTILE]         = { "hostile-text", 0 },
  [F_DEEP_NESTING]    = { "deep-nesting", 0 },
};

static guint n_tried;
static guint n_handled;
/* The matrix, printed at the end: what each case ended with. */
static char *outcomes[N_OPS][N_FAULTS];
/* The faults this program runs. */
static gboolean added[N_FAULTS];

void
case_fail (Case       *c,
           const char *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_test_message ("FAILED %s x %s: %s", ops[c->op].name, faults[c->fault].name, text);
  c->failures++;
}

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

/* Waits for a result of a set-up or read-back call: a missed deadline fails the case. */
GAsyncResult *
wait_result (Case          *c,
             GAsyncResult **result)
{
  if (!kl_test_wait_until (result_arrived, result, DEADLINE_MS))
    {
      case_fail (c, "a read-back call did not end within %u ms", kl_test_scale_ms (DEADLINE_MS));
      g_error ("cannot go on without the result");
    }
  return *result;
}

static void
add_fault (Case       *c,
           const char *rule)
{
  g_autoptr(GError) error = NULL;

  if (!kl_sim_add_fault (c->sim, rule, &error))
    g_error ("fault rule refused: %s: %s", error->message, rule);
}

/* ------------------------------------------------------------------------------------------ */
/* Broken addresses                                                                            */

/* A loopback port nobody listens on: bound (so that no one else gets it while the case
 * runs) but not listening, so connections to it are refused. */
static guint
refusing_port (Case *c)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  c->refusing_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (c->refusing_socket, address, FALSE, &error));
  bound = g_socket_get_local_address (c->refusing_socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A plain HTTP server that answers whatever comes (a TLS handshake too) with a 400 at once,
 * as real ones do: https:// to it must fail the handshake. */
static void
plain_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 11\r\nConnection: close\r\n\r\nBad Request";
  g_autoptr(GSocketConnection) connection = user_data;
  g_autoptr(GBytes) request = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  /* What was read (the client's hello) is dropped; the answer is all that matters. */
  request = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  g_output_stream_write_all (output, answer, strlen (answer), NULL, NULL, NULL);
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
}

static gboolean
plain_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source_object,
                   gpointer           user_data)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  g_input_stream_read_bytes_async (input, 16384, G_PRIORITY_DEFAULT, NULL, plain_read_cb,
                                   g_object_ref (connection));
  return TRUE;
}

/* Returns the https:// URL of a new plain HTTP server on 127.0.0.1. */
static char *
start_plain_server (Case *c)
{
  g_autoptr(GError) error = NULL;
  guint16 port;

  c->plain_server = g_socket_service_new ();
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (c->plain_server), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (c->plain_server, "incoming", G_CALLBACK (plain_incoming_cb), NULL);
  g_socket_service_start (c->plain_server);
  return g_strdup_printf ("https://127.0.0.1:%u", port);
}

/* A throw-away self-signed certificate for 127.0.0.1 (EC P-256, valid 2026–2126), made for
 * this test with:
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
 *     -subj "/CN=127.0.0.1/O=Keylink test only" \
 *     -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"
 * Its key protects nothing: it only has to be refused. */
static const char test_tls_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7kntpT6FajehdxEL\n"
  "9Hg87yj8VB1MhVy6fgqvp6l000ihRANCAAQMgOONPc/qppDTd/uPe0u3VuZSVFqT\n"
  "BEn160hMaxgp2uhJBIS31wIGjPc+5826fhEsFpK/9Kwce/kG1POsRaRr\n"
  "-----END PRIVATE KEY-----\n"
  "-----BEGIN CERTIFICATE-----\n"
  "MIIB1DCCAXmgAwIBAgIUBJoT+nm0TAr4AgtNrGfP5ollW84wCgYIKoZIzj0EAwIw\n"
  "MDESMBAGA1UEAwwJMTI3LjAuMC4xMRowGAYDVQQKDBFLZXlsaW5rIHRlc3Qgb25s\n"
  "eTAgFw0yNjExMjgxMTIxMzhaGA8yMTI2MTEwNDExMjEzOFowMDESMBAGA1UEAwwJ\n"
  "MTI3LjAuMC4xMRowGAYDVQQKDBFLZXlsaW5rIHRlc3Qgb25seTBZMBMGByqGSM49\n"
  "AgEGCCqGSM49AwEHA0IABAyA4409z+qmkNN3+497S7dW5lJUWpMESfXrSExrGCna\n"
  "6EkEhLfXAgaM9z7nzbp+ESwWkr/0rBx7+QbU86xFpGujbzBtMB0GA1UdDgQWBBTN\n"
  "cRfEMB+47U+SHBkSZpPugwR4hDAfBgNVHSMEGDAWgBTNcRfEMB+47U+SHBkSZpPu\n"
  "gwR4hDAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9z\n"
  "dDAKBggqhkjOPQQDAgNJADBGAiEAhv9EAgwgpMUhYc1p6Vt+5aHiyhQ47c858L9H\n"
  "HaKiWUUCIQCZZY6Vx/5rSMQZHOGFQP3L8vXkCV95HEp8eH8gWUX5mw==\n"
  "-----END CERTIFICATE-----\n";

GTlsCertificate *
test_certificate (void)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  certificate = g_tls_certificate_new_from_pem (test_tls_pem, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
tls_server_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  /* Reached only if a client accepted the certificate: make that loud. */
  soup_server_message_set_status (msg, 418, NULL);
}

/* An HTTPS server on 127.0.0.1 with the self-signed certificate; returns its base URL. */
static char *
start_tls_server (Case *c)
{
  g_autoptr(GTlsCertificate) certificate = test_certificate ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  char *url;

  c->tls_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (c->tls_server, NULL, tls_server_cb, NULL, NULL);
  g_assert_true (soup_server_listen (c->tls_server, address, SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (c->tls_server);
  g_assert_nonnull (uris);
  g_assert_cmpstr (g_uri_get_scheme (uris->data), ==, "https");
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return url;
}

/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                      */

static KlAtlasClient *
new_client (const char *base_url,
            KlAuthType  auth_type)
{
  g_autoptr(GError) error = NULL;
  KlAtlasClient *client;

  client = kl_atlas_client_new (base_url, auth_type,
                                auth_type == KL_AUTH_API_KEY ? API_PUBLIC_KEY : SA_CLIENT_ID,
                                auth_type == KL_AUTH_API_KEY ? API_PRIVATE_KEY : SA_SECRET,
                                &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (client, MAX_ATTEMPTS, BASE_DELAY_MS, MAX_DELAY_MS);
  kl_atlas_client_set_timeout (client, TIMEOUT_S);
  return client;
}

static void
setup_server_state (Case *c)
{
  g_autoptr(GError) error = NULL;

  if (ops[c->op].flags & (OP_CMK | OP_EAR_ON))
    {
      g_autoptr(GBytes) body = enable_body ();
      g_autoptr(KlEncryptionAtRest) enabled = admin_patch_ear (c, body, &error);

      g_assert_no_error (error);
      g_assert_true (kl_azure_key_vault_get_valid (
        kl_encryption_at_rest_get_azure_key_vault (enabled)));
    }

  if (ops[c->op].flags & OP_CMK)
    {
      g_autoptr(GBytes) body = kl_encryption_at_rest_build_private_networking (TRUE);
      g_autoptr(KlEncryptionAtRest) rpn = admin_patch_ear (c, body, &error);

      g_assert_no_error (error);
    }

  if (ops[c->op].flags & OP_HAS_EP)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = admin_ensure_endpoint (c, &error);

      g_assert_no_error (error);
      c->endpoint_id = g_strdup (kl_private_endpoint_get_id (endpoint));
      c->endpoint_path = g_strconcat (ENDPOINTS_PATH "/", c->endpoint_id, NULL);
      /* Past INITIATING: an INITIATING endpoint cannot be deleted. */
      kl_sim_advance (c->sim, KL_SIM_INITIATING_SECONDS + 1);
    }
}

static Case *
case_new (Op    op,
          Fault fault)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *url = NULL;
  Case *c = g_new0 (Case, 1);
  KlAuthType auth_type;

  c->op = op;
  c->fault = fault;
  c->expect = expectation (op, fault);
  if (c->expect.na)
    return c;

  c->sim = kl_sim_new ();
  kl_sim_set_time_scale (c->sim, 0);
  kl_sim_add_api_key (c->sim, API_PUBLIC_KEY, API_PRIVATE_KEY);
  kl_sim_add_service_account (c->sim, SA_CLIENT_ID, SA_SECRET);
  g_assert_true (kl_sim_start (c->sim, 0, &error));
  g_assert_no_error (error);
  c->admin = new_client (kl_sim_get_base_url (c->sim), KL_AUTH_SERVICE_ACCOUNT);
  c->cancellable = g_cancellable_new ();

  setup_server_state (c);

  /* Simulator faults hit the operation's own request with a bearer token (one round trip);
   * broken addresses are tried with both kinds of credentials: the token request, and the
   * operation's first Digest round trip. */
  auth_type = op == OP_TOKEN || !(faults[fault].flags & FAULT_TRANSPORT)
              ? KL_AUTH_SERVICE_ACCOUNT : KL_AUTH_API_KEY;
  switch (fault)
    {
    case F_REFUSED:
      url = g_strdup_printf ("http://127.0.0.1:%u", refusing_port (c));
      break;
    case F_DNS:
      url = g_strdup ("https://keylink-fault-suite.invalid");
      break;
    case F_TLS_PLAIN:
      url = start_plain_server (c);
      break;
    case F_TLS_SELF_SIGNED:
      url = start_tls_server (c);
      break;
    case F_429_WAIT:
    case F_429_NO_WAIT:
    case F_429_ONCE:
    case F_500:
    case F_502:
    case F_503:
    case F_500_ONCE:
    case F_500_AFTER:
    case F_DROP:
    case F_DROP_ONCE:
    case F_DROP_AFTER:
    case F_STALL_CANCEL:
    case F_STALL_TIMEOUT:
    case F_MALFORMED:
    case F_MALFORMED_AFTER:
    case F_WRONG_SHAPE:
    case F_UNKNOWN_ENUM:
    case F_HUGE:
    case F_HUGE_CHUNKED:
    case F_LYING_TOTAL:
    case F_NEXT_FOREVER:
    case F_HOSTILE:
    case F_DEEP_NESTING:
    case N_FAULTS:
    default:
      url = g_strdup (kl_sim_get_base_url (c->sim));
      break;
    }
  c->client = new_client (url, auth_type);
  if (faults[fault].flags & FAULT_TLS)
    kl_atlas_client_set_timeout (c->client, TLS_TIMEOUT_S);
  if (fault == F_LYING_TOTAL)
    kl_atlas_client_set_page_size (c->client, 2);

  rule = fault_rule (c);
  if (rule != NULL)
    add_fault (c, rule);
  kl_sim_clear_requests (c->sim);

  return c;
}

static gboolean
object_gone (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* Drops the last reference to @object and waits until it is finalized (a client lives on
 * while a request of its own, such as a token request, is still out). */
static void
unref_and_wait (Case     *c,
                gpointer  object)
{
  gpointer weak = object;

  if (object == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  if (!kl_test_wait_until (object_gone, &weak, DEADLINE_MS))
    {
      case_fail (c, "%s was not released within %d ms", G_OBJECT_TYPE_NAME (weak), DEADLINE_MS);
      g_object_remove_weak_pointer (G_OBJECT (weak), &weak);
    }
}

static void
case_free (Case *c)
{
  g_clear_object (&c->result);
  if (c->cancellable != NULL)
    g_cancellable_cancel (c->cancellable);
  unref_and_wait (c, g_steal_pointer (&c->client));
  unref_and_wait (c, g_steal_pointer (&c->admin));
  if (c->tls_server != NULL)
    {
      soup_server_disconnect (c->tls_server);
      g_clear_object (&c->tls_server);
    }
  if (c->refusing_socket != NULL)
    {
      g_socket_close (c->refusing_socket, NULL);
      g_clear_object (&c->refusing_socket);
    }
  if (c->plain_server != NULL)
    {
      g_socket_service_stop (c->plain_server);
      g_socket_listener_close (G_SOCKET_LISTENER (c->plain_server));
      g_clear_object (&c->plain_server);
    }
  if (c->sim != NULL)
    {
      kl_sim_stop (c->sim);
      g_assert_finalize_object (g_steal_pointer (&c->sim));
    }
  g_clear_object (&c->cancellable);
  g_free (c->endpoint_id);
  g_free (c->endpoint_path);
  g_free (c);
}

/* ------------------------------------------------------------------------------------------ */
/* Running the operation                                                                       */

static void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Case *c = user_data;

  g_assert_null (c->result);
  c->result = g_object_ref (result);
  c->finished_us = g_get_monotonic_time ();
}

static void
case_start (Case *c)
{
  KlAtlasClient *client = c->client;
  GCancellable *cancellable = c->cancellable;

  c->started_us = g_get_monotonic_time ();

  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      kl_atlas_client_list_projects_async (client, cancellable, op_done_cb, c);
      break;
    case OP_GET_PROJECT:
      kl_atlas_client_get_project_async (client, GROUP, cancellable, op_done_cb, c);
      break;
    case OP_GET_EAR:
      kl_atlas_client_get_encryption_at_rest_async (client, GROUP, cancellable, op_done_cb, c);
      break;
    case OP_PATCH_EAR:
      {
        g_autoptr(GBytes) body = enable_body ();

        kl_atlas_client_patch_encryption_at_rest_async (client, GROUP, body, cancellable,
                                                        op_done_cb, c);
      }
      break;
    case OP_LIST_ENDPOINTS:
      kl_atlas_client_list_private_endpoints_async (client, GROUP, cancellable, op_done_cb, c);
      break;
    case OP_GET_ENDPOINT:
      kl_atlas_client_get_private_endpoint_async (client, GROUP, c->endpoint_id, cancellable,
                                                  op_done_cb, c);
      break;
    case OP_ENSURE_ENDPOINT:
      kl_atlas_client_ensure_private_endpoint_async (client, GROUP, REGION, cancellable,
                                                     op_done_cb, c);
      break;
    case OP_DELETE_ENDPOINT:
      kl_atlas_client_delete_private_endpoint_async (client, GROUP, c->endpoint_id, cancellable,
                                                     op_done_cb, c);
      break;
    case OP_LIST_CLUSTERS:
      kl_atlas_client_list_clusters_async (client, GROUP, cancellable, op_done_cb, c);
      break;
    case OP_GET_CLUSTER:
      kl_atlas_client_get_cluster_async (client, GROUP, CLUSTER, cancellable, op_done_cb, c);
      break;
    case OP_PATCH_CLUSTER:
      kl_atlas_client_set_cluster_encryption_async (client, GROUP, CLUSTER, "AZURE", cancellable,
                                                    op_done_cb, c);
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  GPtrArray *cases;
} Batch;

/* The wait condition: every case has its result. Stalled cases are cancelled as soon as the
 * simulator holds their request. */
static gboolean
batch_done (gpointer user_data)
{
  Batch *batch = user_data;
  gboolean done = TRUE;
  guint i;

  for (i = 0; i < batch->cases->len; i++)
    {
      Case *c = g_ptr_array_index (batch->cases, i);

      if (c->fault == F_STALL_CANCEL && !c->cancelled && kl_sim_count_stalled (c->sim) > 0)
        {
          c->cancelled = TRUE;
          g_cancellable_cancel (c->cancellable);
        }
      if (c->result == NULL)
        done = FALSE;
    }

  return done;
}

/* ------------------------------------------------------------------------------------------ */
/* Peak memory (Linux): reset, then read VmHWM                                                 */

static gboolean
peak_rss_reset (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

/* ------------------------------------------------------------------------------------------ */
/* The test of one fault: every operation                                                      */

static void
run_batch (GPtrArray *cases)
{
  Batch batch = { cases };
  gint64 started = g_get_monotonic_time ();
  guint i;

  for (i = 0; i < cases->len; i++)
    case_start (g_ptr_array_index (cases, i));

  if (!kl_test_wait_until (batch_done, &batch, DEADLINE_MS))
    {
      for (i = 0; i < cases->len; i++)
        {
          Case *c = g_ptr_array_index (cases, i);

          if (c->result == NULL)
            case_fail (c, "no result within %u ms", kl_test_scale_ms (DEADLINE_MS));
        }
      g_error ("a case hung");
    }

  g_test_message ("%u cases in %" G_GINT64_FORMAT " ms", cases->len,
                  (g_get_monotonic_time () - started) / 1000);
}

static void
test_fault (gconstpointer data)
{
  Fault fault = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  guint failures = 0;
  guint i;

  for (Op op = 0; op < N_OPS; op++)
    {
      Case *c = case_new (op, fault);

      if (c->expect.na)
        {
          outcomes[op][fault] = g_strdup ("-");
          g_free (c);
          continue;
        }
      g_ptr_array_add (cases, c);
    }

  if (faults[fault].flags & (FAULT_SEQUENTIAL | FAULT_TLS))
    {
      for (i = 0; i < cases->len; i++)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();
          Case *c = g_ptr_array_index (cases, i);
          gboolean measured = peak_rss_reset ();
          gint64 before = peak_rss_kib ();
          gint64 peak;

          g_ptr_array_add (one, c);
          run_batch (one);
          peak = peak_rss_kib ();
          g_test_message ("%s x %s: peak RSS %+" G_GINT64_FORMAT " KiB", ops[c->op].name,
                          faults[fault].name, peak - before);
#ifndef UNDER_ASAN
          /* A 50 MB answer never sits in memory: at most the client's limit, twice. */
          if (measured && before > 0 && peak - before > 40 * 1024)
            case_fail (c, "reading the answer took %" G_GINT64_FORMAT " KiB", peak - before);
#else
          (void) measured;
#endif
        }
    }
  else
    {
      run_batch (cases);
    }

  for (i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      gint64 elapsed_ms = (c->finished_us - c->started_us) / 1000;
      g_autofree char *outcome = check_result (c);

      if (elapsed_ms > kl_test_scale_ms (BUDGET_MS))
        case_fail (c, "took %" G_GINT64_FORMAT " ms (budget %u ms, deadline %u ms)", elapsed_ms,
                   kl_test_scale_ms (BUDGET_MS), kl_test_scale_ms (DEADLINE_MS));

      /* What a stall held is answered now, and takes effect. */
      kl_sim_clear_faults (c->sim);
      check_read_back (c);

      outcomes[c->op][fault] = g_strdup_printf ("%s %" G_GINT64_FORMAT "ms", outcome, elapsed_ms);
      g_test_message ("%-16s x %-26s -> %-14s %5" G_GINT64_FORMAT " ms%s", ops[c->op].name,
                      faults[fault].name, outcome, elapsed_ms, c->failures ? "  FAILED" : "");

      n_tried++;
      if (c->failures == 0)
        n_handled++;
      failures += c->failures;
      case_free (c);
    }

  /* The other faults still run: their matrix and summary are worth having. */
  if (failures > 0)
    g_test_fail_printf ("%u checks failed (see the FAILED lines)", failures);
}

static void
print_matrix (void)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_print ("# fault matrix (fault: operation -> result, time):\n");
  for (Fault fault = 0; fault < N_FAULTS; fault++)
    {
      if (!added[fault])
        continue;
      g_string_printf (line, "#   %-26s", faults[fault].name);
      for (Op op = 0; op < N_OPS; op++)
        if (outcomes[op][fault] != NULL)
          g_string_append_printf (line, " | %s: %s", ops[op].name, outcomes[op][fault]);
      g_print ("%s\n", line->str);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The programs' side                                                                          */

void
kl_test_faults_init (int    *argc,
                     char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Loopback only: no proxy lookups (see src/sim/README.md). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

void
kl_test_faults_add (const Fault *tested,
                    guint        n_tested)
{
  for (guint i = 0; i < n_tested; i++)
    {
      g_autofree char *path = g_strdup_printf ("/faults/%s", faults[tested[i]].name);

      g_assert_false (added[tested[i]]);
      added[tested[i]] = TRUE;
      g_test_add_data_func (path, GUINT_TO_POINTER (tested[i]), test_fault);
    }
}

void
kl_test_faults_report (void)
{
  print_matrix ();
  g_print ("# faults tried: %u, handled: %u\n", n_tried, n_handled);
  for (Op op = 0; op < N_OPS; op++)
    for (Fault fault = 0; fault < N_FAULTS; fault++)
      g_free (outcomes[op][fault]);
}
