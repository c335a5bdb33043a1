/* test-faults.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

/* The fault matrix: every operation the flows use, against every way a server or a network
 * can fail. One case = one operation under one fault, on its own simulator with its own
 * clients; the cases of one fault run side by side. For each case:
 *  - it ends (every wait has a deadline), well before the deadline;
 *  - the result is the one expected: a value that is right, or the specific GError, whose
 *    message is non-empty UTF-8 and not the server's own text;
 *  - once the faults are cleared, the state read back is what the server really did (a
 *    write that failed before it was processed did not happen, one that failed after did),
 *    and no region has two private endpoints.
 * A failed check does not stop the other cases: it is reported (as a TAP comment) and fails
 * the test at the end. The last line is "# faults tried: N, handled: N". */

#define API_PUBLIC_KEY  "klfaultpub"
#define API_PRIVATE_KEY "7c1f3e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
#define SA_CLIENT_ID    "mdb_sa_id_65f000000000000000fa0017"
#define SA_SECRET       "mdb_sa_sk_fault-suite-made-up-secret"

#define GROUP          KL_SIM_GROUP_READY
#define REGION         "US_EAST_2"
#define CLUSTER        "payments-us"
#define GROUP_PATH     "/api/atlas/v2/groups/" GROUP
#define EAR_PATH       GROUP_PATH "/encryptionAtRest"
#define ENDPOINTS_PATH EAR_PATH "/AZURE/privateEndpoints"
#define CLUSTERS_PATH  GROUP_PATH "/clusters"
#define CLUSTER_PATH   CLUSTERS_PATH "/" CLUSTER
#define SEEDED_PROJECTS 16

/* Every wait's deadline, and what a case may take: well before it (both scaled by
 * kl_test_time_scale ()). */
#define DEADLINE_MS 15000
#define BUDGET_MS    6000
/* The client under test: small, so that retries and timeouts are quick. */
#define MAX_ATTEMPTS  3
#define BASE_DELAY_MS 1
#define MAX_DELAY_MS  20
#define TIMEOUT_S     1
/* A handshake that fails must fail as such, however slow the machine (see FAULT_TLS). */
#define TLS_TIMEOUT_S 10

/* The largest answer the client is expected to read, and the one it is sent. */
#define HUGE_BYTES (50 * 1024 * 1024)

#define UNKNOWN_ENUM "SOMETHING_NEW"
#define HOSTILE_TEXT "%s%n%x%p%%%1$s <b>bold</b> &amp; & <script>alert(1)</script> \\u0000"

/* ------------------------------------------------------------------------------------------ */
/* Operations                                                                                  */

typedef enum
{
  OP_TOKEN,
  OP_LIST_PROJECTS,
  OP_GET_PROJECT,
  OP_GET_EAR,
  OP_PATCH_EAR,
  OP_LIST_ENDPOINTS,
  OP_GET_ENDPOINT,
  OP_ENSURE_ENDPOINT,
  OP_DELETE_ENDPOINT,
  OP_LIST_CLUSTERS,
  OP_GET_CLUSTER,
  OP_PATCH_CLUSTER,
  N_OPS
} Op;

typedef enum
{
  OP_READ    = 1 << 0,
  OP_WRITE   = 1 << 1, /* changes the server's state: read back whether it happened */
  OP_LIST    = 1 << 2, /* paginated (ENSURE lists first) */
  OP_RETRIED = 1 << 3, /* the client repeats it on 5xx and broken connections */
  OP_CMK     = 1 << 4, /* needs CMK with private networking set up first */
  OP_HAS_EP  = 1 << 5, /* needs an endpoint in REGION first */
  OP_EAR_ON  = 1 << 6, /* needs CMK (without private networking) first */
} OpFlags;

typedef struct
{
  const char *name;
  const char *method;  /* of the request the fault aims at */
  const char *path;    /* NULL: the endpoint's own path */
  OpFlags     flags;
} OpInfo;

static const OpInfo ops[N_OPS] = {
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

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                      */

typedef enum
{
  F_429_WAIT,         /* 429 with Retry-After beyond the client's cap */
  F_429_NO_WAIT,      /* 429 without Retry-After, every time */
  F_429_ONCE,         /* 429 without Retry-After, once: repeated */
  F_500,
  F_502,
  F_503,
  F_500_ONCE,
  F_500_AFTER,        /* once, after the request took effect */
  F_DROP,             /* connection reset, every time */
  F_DROP_ONCE,
  F_DROP_AFTER,       /* once, after the request took effect */
  F_REFUSED,          /* a port nobody listens on */
  F_DNS,              /* a host under .invalid */
  F_TLS_PLAIN,        /* https:// to a port that speaks plain HTTP */
  F_TLS_SELF_SIGNED,  /* https:// to a server with a self-signed certificate */
  F_STALL_CANCEL,     /* no answer; the caller cancels */
  F_STALL_TIMEOUT,    /* no answer; the client's timeout */
  F_MALFORMED,        /* truncated JSON */
  F_MALFORMED_AFTER,  /* the real answer cut in half, once */
  F_WRONG_SHAPE,      /* valid JSON, wrong types */
  F_UNKNOWN_ENUM,     /* enum values this version does not know */
  F_HUGE,             /* 50 MB, with Content-Length */
  F_HUGE_CHUNKED,     /* 50 MB, chunked */
  F_LYING_TOTAL,      /* pages promise more than exist, totalCount lies */
  F_NEXT_FOREVER,     /* the same page with a next link, for ever */
  F_HOSTILE,          /* an error whose text holds printf directives and markup */
  F_DEEP_NESTING,     /* 200000 nested arrays: a parser that recurses would overflow */
  N_FAULTS
} Fault;

typedef enum
{
  FAULT_TRANSPORT  = 1 << 0, /* the client talks to a broken address, not to the simulator */
  FAULT_SEQUENTIAL = 1 << 1, /* one case at a time (memory is measured) */
  FAULT_TLS        = 1 << 2, /* a TLS handshake: seconds of CPU under ASan's slow unwinding,
                              * so one at a time, with a timeout that is not the point */
} FaultFlags;

typedef struct
{
  const char *name;
  FaultFlags  flags;
} FaultInfo;

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

/* What a case must end with. */
typedef enum
{
  APPLIED_NA,   /* a read: nothing to check */
  APPLIED_NO,
  APPLIED_YES,
} Applied;

typedef struct
{
  gboolean  na;          /* the fault does not apply to the operation */
  gboolean  success;
  GQuark    domain;
  gint      code;
  Applied   applied;
} Expect;

/* ------------------------------------------------------------------------------------------ */
/* A case                                                                                      */

typedef struct
{
  Op              op;
  Fault           fault;
  Expect          expect;

  KlSim          *sim;
  KlAtlasClient  *admin;        /* set-up and read-back: service account, no faults */
  KlAtlasClient  *client;       /* the one under test */
  GCancellable   *cancellable;
  SoupServer     *tls_server;   /* F_TLS_SELF_SIGNED */
  GSocketService *plain_server; /* F_TLS_PLAIN */
  GSocket        *refusing_socket; /* F_REFUSED */
  char           *endpoint_id;  /* OP_HAS_EP */
  char           *endpoint_path;

  GAsyncResult   *result;
  gboolean        cancelled;
  gint64          started_us;
  gint64          finished_us;

  guint           failures;
} Case;

static guint n_tried;
static guint n_handled;
/* The matrix, printed at the end: what each case ended with. */
static char *outcomes[N_OPS][N_FAULTS];

static void
case_fail (Case       *c,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
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

#define CHECK(c, cond) \
  G_STMT_START { if (!(cond)) case_fail ((c), "%s (line %d)", #cond, __LINE__); } G_STMT_END

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

/* Waits for a result of a set-up or read-back call: a missed deadline fails the case. */
static GAsyncResult *
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
/* Synchronous helpers for the admin client (set-up and read-back)                            */

static KlAzureKeyVault *
wanted_vault (void)
{
  KlAzureKeyVault *akv = kl_azure_key_vault_new ();

  kl_azure_key_vault_set_azure_environment (akv, "AZURE");
  kl_azure_key_vault_set_client_id (akv, "11111111-2222-3333-4444-555555555555");
  kl_azure_key_vault_set_tenant_id (akv, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  kl_azure_key_vault_set_subscription_id (akv, "99999999-8888-7777-6666-555555555555");
  kl_azure_key_vault_set_resource_group_name (akv, "rg-keys");
  kl_azure_key_vault_set_key_vault_name (akv, "kv-payments");
  kl_azure_key_vault_set_key_identifier (akv, "https://kv-payments.vault.azure.net/keys/atlas/"
                                              "0123456789abcdef0123456789abcdef");
  kl_azure_key_vault_set_secret (akv, "azure~app~made-up~secret");
  return akv;
}

static GBytes *
enable_body (void)
{
  g_autoptr(KlAzureKeyVault) wanted = wanted_vault ();
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = kl_encryption_at_rest_build_patch (NULL, wanted, &error);
  g_assert_no_error (error);
  return body;
}

static KlEncryptionAtRest *
admin_get_ear (Case    *c,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_encryption_at_rest_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_get_encryption_at_rest_finish (c->admin, wait_result (c, &result),
                                                        error);
}

static KlEncryptionAtRest *
admin_patch_ear (Case    *c,
                 GBytes  *body,
                 GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_patch_encryption_at_rest_async (c->admin, GROUP, body, NULL, store_result_cb,
                                                  &result);
  return kl_atlas_client_patch_encryption_at_rest_finish (c->admin, wait_result (c, &result),
                                                          error);
}

static GPtrArray *
admin_list_endpoints (Case    *c,
                      GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_private_endpoints_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_list_private_endpoints_finish (c->admin, wait_result (c, &result),
                                                        error);
}

static KlPrivateEndpoint *
admin_ensure_endpoint (Case    *c,
                       GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_ensure_private_endpoint_async (c->admin, GROUP, REGION, NULL, store_result_cb,
                                                 &result);
  return kl_atlas_client_ensure_private_endpoint_finish (c->admin, wait_result (c, &result),
                                                         error);
}

static KlPrivateEndpoint *
admin_get_endpoint (Case    *c,
                    GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_private_endpoint_async (c->admin, GROUP, c->endpoint_id, NULL,
                                              store_result_cb, &result);
  return kl_atlas_client_get_private_endpoint_finish (c->admin, wait_result (c, &result), error);
}

static KlCluster *
admin_get_cluster (Case    *c,
                   GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_get_cluster_async (c->admin, GROUP, CLUSTER, NULL, store_result_cb, &result);
  return kl_atlas_client_get_cluster_finish (c->admin, wait_result (c, &result), error);
}

static GPtrArray *
admin_list_projects (Case    *c,
                     GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_projects_async (c->admin, NULL, store_result_cb, &result);
  return kl_atlas_client_list_projects_finish (c->admin, wait_result (c, &result), error);
}

static GPtrArray *
admin_list_clusters (Case    *c,
                     GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_atlas_client_list_clusters_async (c->admin, GROUP, NULL, store_result_cb, &result);
  return kl_atlas_client_list_clusters_finish (c->admin, wait_result (c, &result), error);
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

static GTlsCertificate *
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
/* What each case must end with                                                                */

static Expect
expect_error (gint    code,
              Applied applied)
{
  Expect e = { FALSE, FALSE, KL_ERROR, code, applied };

  return e;
}

static Expect
expect_success (Applied applied)
{
  Expect e = { FALSE, TRUE, 0, 0, applied };

  return e;
}

static Expect
expect_na (void)
{
  Expect e = { TRUE, FALSE, 0, 0, APPLIED_NA };

  return e;
}

static Expect
expectation (Op    op,
             Fault fault)
{
  OpFlags flags = ops[op].flags;
  gboolean write = (flags & OP_WRITE) != 0;
  gboolean retried = (flags & OP_RETRIED) != 0;
  /* Whether a write took effect: never for reads. */
  Applied no = write ? APPLIED_NO : APPLIED_NA;
  Applied yes = write ? APPLIED_YES : APPLIED_NA;

  switch (fault)
    {
    case F_429_WAIT:
    case F_429_NO_WAIT:
      return expect_error (KL_ERROR_RATE_LIMITED, no);

    case F_429_ONCE:
      /* Nothing was done: any method is repeated. */
      return expect_success (yes);

    case F_500:
    case F_502:
    case F_503:
      return expect_error (KL_ERROR_SERVER, no);

    case F_500_ONCE:
      /* GET and DELETE are repeated; the safe create lists, then POSTs again. */
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_SERVER, no);

    case F_500_AFTER:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_SERVER, yes);

    case F_DROP:
      return expect_error (KL_ERROR_NETWORK, no);

    case F_DROP_ONCE:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_NETWORK, no);

    case F_DROP_AFTER:
      if (retried || op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_NETWORK, yes);

    case F_REFUSED:
    case F_DNS:
      return expect_error (KL_ERROR_NETWORK, no);

    case F_TLS_PLAIN:
    case F_TLS_SELF_SIGNED:
      return expect_error (KL_ERROR_TLS, no);

    case F_STALL_CANCEL:
      {
        /* The stalled request is answered, and takes effect, when the faults are cleared. */
        Expect e = { FALSE, FALSE, G_IO_ERROR, G_IO_ERROR_CANCELLED, yes };

        return e;
      }

    case F_STALL_TIMEOUT:
      return expect_error (KL_ERROR_TIMEOUT, yes);

    case F_MALFORMED:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_MALFORMED_AFTER:
      /* The safe create lists again and finds it. */
      if (op == OP_ENSURE_ENDPOINT)
        return expect_success (yes);
      return expect_error (KL_ERROR_BAD_RESPONSE, yes);

    case F_WRONG_SHAPE:
      /* DELETE reads no body. */
      if (op == OP_DELETE_ENDPOINT)
        return expect_na ();
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_UNKNOWN_ENUM:
      /* Projects have no enum; DELETE reads no body; a token of an unknown type is useless. */
      if (op == OP_LIST_PROJECTS || op == OP_GET_PROJECT || op == OP_DELETE_ENDPOINT)
        return expect_na ();
      if (op == OP_TOKEN)
        return expect_error (KL_ERROR_BAD_RESPONSE, no);
      return expect_success (yes);

    case F_HUGE:
    case F_HUGE_CHUNKED:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case F_LYING_TOTAL:
    case F_NEXT_FOREVER:
      if (!(flags & OP_LIST))
        return expect_na ();
      return expect_success (yes);

    case F_HOSTILE:
      return expect_error (KL_ERROR_BAD_REQUEST, no);

    case F_DEEP_NESTING:
      return expect_error (KL_ERROR_BAD_RESPONSE, no);

    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Bodies for the "body" faults                                                                */

static const char *
op_path (Case *c)
{
  return ops[c->op].path != NULL ? ops[c->op].path : c->endpoint_path;
}

#define PROJECT_JSON \
  "{\"id\":\"" GROUP "\",\"name\":\"Payments\",\"orgId\":\"" KL_SIM_ORG_ID "\"," \
  "\"clusterCount\":2,\"created\":\"2024-06-01T09:00:00Z\"}"
#define OTHER_ENDPOINT_JSON \
  "{\"cloudProvider\":\"AZURE\",\"id\":\"65f00000000000000000e001\"," \
  "\"regionName\":\"EUROPE_WEST\",\"status\":\"PENDING_ACCEPTANCE\"}"
#define CLUSTER_JSON(state, provider) \
  "{\"name\":\"" CLUSTER "\",\"stateName\":\"" state "\",\"encryptionAtRestProvider\":\"" \
  provider "\",\"clusterType\":\"REPLICASET\",\"replicationSpecs\":[{\"regionConfigs\":" \
  "[{\"providerName\":\"AZURE\",\"regionName\":\"" REGION "\",\"electableSpecs\":" \
  "{\"instanceSize\":\"M10\"}}]}]}"

static char *
endpoint_json (Case       *c,
               const char *status)
{
  return g_strdup_printf ("{\"cloudProvider\":\"AZURE\",\"id\":\"%s\",\"regionName\":\"" REGION
                          "\",\"status\":\"%s\"}",
                          c->endpoint_id != NULL ? c->endpoint_id : "65f00000000000000000e002",
                          status);
}

static char *
page_json (Case       *c,
           const char *item)
{
  return g_strdup_printf ("{\"links\":[{\"href\":\"%s%s?pageNum=2&itemsPerPage=500\","
                          "\"rel\":\"next\"}],\"results\":[%s],\"totalCount\":100000}",
                          kl_sim_get_base_url (c->sim), op_path (c), item);
}

static char *
wrong_shape_body (Case *c)
{
  switch (c->op)
    {
    case OP_TOKEN:
      return g_strdup ("{\"access_token\":12345,\"token_type\":\"Bearer\",\"expires_in\":3600}");
    case OP_LIST_PROJECTS:
    case OP_LIST_ENDPOINTS:
    case OP_LIST_CLUSTERS:
      return g_strdup ("{\"results\":{\"id\":\"" GROUP "\"},\"totalCount\":1}");
    case OP_GET_PROJECT:
      return g_strdup ("{\"id\":\"" GROUP "\",\"name\":[\"Payments\"]}");
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      return g_strdup ("{\"azureKeyVault\":\"enabled\"}");
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      return g_strdup ("{\"id\":\"65f00000000000000000e002\",\"regionName\":\"" REGION "\","
                       "\"status\":3}");
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      return g_strdup ("{\"name\":\"" CLUSTER "\",\"replicationSpecs\":7}");
    case OP_DELETE_ENDPOINT:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
unknown_enum_body (Case *c)
{
  switch (c->op)
    {
    case OP_TOKEN:
      return g_strdup ("{\"access_token\":\"made-up\",\"token_type\":\"" UNKNOWN_ENUM "\","
                       "\"expires_in\":3600}");
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      return g_strdup ("{\"azureKeyVault\":{\"azureEnvironment\":\"" UNKNOWN_ENUM "\","
                       "\"enabled\":true,\"valid\":true,\"requirePrivateNetworking\":false}}");
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      return endpoint_json (c, UNKNOWN_ENUM);
    case OP_LIST_ENDPOINTS:
      {
        g_autofree char *item = endpoint_json (c, UNKNOWN_ENUM);

        return g_strdup_printf ("{\"links\":[],\"results\":[%s],\"totalCount\":1}", item);
      }
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      return g_strdup (CLUSTER_JSON (UNKNOWN_ENUM, UNKNOWN_ENUM));
    case OP_LIST_CLUSTERS:
      return g_strdup ("{\"links\":[],\"results\":[" CLUSTER_JSON (UNKNOWN_ENUM, UNKNOWN_ENUM)
                       "],\"totalCount\":1}");
    case OP_LIST_PROJECTS:
    case OP_GET_PROJECT:
    case OP_DELETE_ENDPOINT:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
next_forever_page (Case *c)
{
  switch (c->op)
    {
    case OP_LIST_PROJECTS:
      return page_json (c, PROJECT_JSON);
    case OP_LIST_ENDPOINTS:
      {
        g_autofree char *item = endpoint_json (c, "PENDING_ACCEPTANCE");

        return page_json (c, item);
      }
    case OP_ENSURE_ENDPOINT:
      /* Another region's endpoint, for ever: the create still happens, once. */
      return page_json (c, OTHER_ENDPOINT_JSON);
    case OP_LIST_CLUSTERS:
      return page_json (c, CLUSTER_JSON ("IDLE", "NONE"));
    case OP_TOKEN:
    case OP_GET_PROJECT:
    case OP_GET_EAR:
    case OP_PATCH_EAR:
    case OP_GET_ENDPOINT:
    case OP_DELETE_ENDPOINT:
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

static char *
hostile_detail (void)
{
  GString *text = g_string_new (HOSTILE_TEXT " ");
  guint i;

  /* A long one too: 8 KiB more. */
  for (i = 0; i < 8192; i++)
    g_string_append_c (text, "ab%<>&"[i % 6]);
  return g_string_free (text, FALSE);
}

/* The rule for @c's fault, aimed at its operation's request; NULL for transport faults. */
static char *
fault_rule (Case *c)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *method = ops[c->op].method;
  const char *path = op_path (c);
  const char *kind = NULL;
  gint status = 0;
  gint count = 0;
  gboolean after = FALSE;

  switch (c->fault)
    {
    case F_REFUSED:
    case F_DNS:
    case F_TLS_PLAIN:
    case F_TLS_SELF_SIGNED:
      return NULL;
    case F_429_WAIT:
      return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"%s\",\"kind\":\"retry_after\","
                              "\"retryAfter\":120}", path, method);
    case F_429_NO_WAIT:
      kind = "status", status = 429;
      break;
    case F_429_ONCE:
      kind = "status", status = 429, count = 1;
      break;
    case F_500:
      kind = "status", status = 500;
      break;
    case F_502:
      kind = "status", status = 502;
      break;
    case F_503:
      kind = "status", status = 503;
      break;
    case F_500_ONCE:
      kind = "status", status = 500, count = 1;
      break;
    case F_500_AFTER:
      kind = "status", status = 500, count = 1, after = TRUE;
      break;
    case F_DROP:
      kind = "drop";
      break;
    case F_DROP_ONCE:
      kind = "drop", count = 1;
      break;
    case F_DROP_AFTER:
      kind = "drop", count = 1, after = TRUE;
      break;
    case F_STALL_CANCEL:
    case F_STALL_TIMEOUT:
      kind = "stall";
      break;
    case F_MALFORMED:
      kind = "malformed";
      break;
    case F_MALFORMED_AFTER:
      kind = "malformed", count = 1, after = TRUE;
      break;
    case F_WRONG_SHAPE:
      kind = "body", body = wrong_shape_body (c);
      break;
    case F_UNKNOWN_ENUM:
      kind = "body", body = unknown_enum_body (c), after = TRUE;
      break;
    case F_HUGE:
    case F_HUGE_CHUNKED:
      kind = "body", body = g_strdup ("{}");
      break;
    case F_LYING_TOTAL:
      return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"GET\",\"kind\":\"lying_pages\","
                              "\"totalCount\":5000}",
                              c->op == OP_ENSURE_ENDPOINT ? ENDPOINTS_PATH : path);
    case F_NEXT_FOREVER:
      kind = "body", body = next_forever_page (c), method = "GET";
      if (c->op == OP_ENSURE_ENDPOINT)
        path = ENDPOINTS_PATH;
      break;
    case F_HOSTILE:
      break;
    case F_DEEP_NESTING:
      {
        g_autofree char *brackets = g_strnfill (200000, '[');

        return g_strdup_printf ("{\"path\":\"%s\",\"method\":\"%s\",\"kind\":\"body\","
                                "\"bodyText\":\"%s\"}", path, method, brackets);
      }
    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);

  if (c->fault == F_HOSTILE)
    {
      g_autofree char *detail = hostile_detail ();

      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "body");
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, 400);
      json_builder_set_member_name (builder, "contentType");
      json_builder_add_string_value (builder, "application/json");
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "X-Error-Code");
      json_builder_add_string_value (builder, "%s%n<b>");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
      json_builder_set_member_name (builder, "error");
      json_builder_add_int_value (builder, 400);
      json_builder_set_member_name (builder, "errorCode");
      json_builder_add_string_value (builder, "%n%s%x_<i>&amp;");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "%s%n");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "<b>&</b>");
      json_builder_end_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, "<b>Bad Request</b> %s");
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind);
      if (status != 0)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, status);
        }
      if (count != 0)
        {
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, count);
        }
      if (after)
        {
          json_builder_set_member_name (builder, "afterProcessing");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          if (!json_parser_load_from_data (parser, body, -1, &error))
            g_error ("test body is not JSON: %s: %s", error->message, body);
          json_builder_set_member_name (builder, "body");
          json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
        }
      if (c->fault == F_HUGE || c->fault == F_HUGE_CHUNKED)
        {
          json_builder_set_member_name (builder, "padBytes");
          json_builder_add_int_value (builder, HUGE_BYTES);
          json_builder_set_member_name (builder, "chunked");
          json_builder_add_boolean_value (builder, c->fault == F_HUGE_CHUNKED);
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
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
/* Checks                                                                                      */

static gboolean
ptr_array_ids_unique (GPtrArray   *items,
                      const char *(*get_id) (gpointer))
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  for (i = 0; i < items->len; i++)
    {
      const char *id = get_id (g_ptr_array_index (items, i));

      if (id == NULL || !g_hash_table_add (seen, (gpointer) id))
        return FALSE;
    }
  return TRUE;
}

static const char *
endpoint_id (gpointer item)
{
  return kl_private_endpoint_get_id (item);
}

/* No region has two endpoints (DELETING ones aside, which a region may have besides). */
static void
check_one_endpoint_per_region (Case      *c,
                               GPtrArray *endpoints)
{
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) doubled = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  CHECK (c, ptr_array_ids_unique (endpoints, endpoint_id));
  for (i = 0; i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_DELETING)
        continue;
      if (!g_hash_table_add (regions, (gpointer) region) &&
          g_hash_table_add (doubled, (gpointer) region))
        case_fail (c, "more than one endpoint in %s (%u listed)", region, endpoints->len);
    }
}

/* The message a person reads: there, readable, and not the server's own words. */
static void
check_message (Case         *c,
               const GError *error)
{
  const char *message = error->message;

  CHECK (c, message != NULL && message[0] != '\0');
  CHECK (c, g_utf8_validate (message, -1, NULL));
  CHECK (c, message[0] != '{');
  CHECK (c, strstr (message, "Injected fault") == NULL);
  CHECK (c, strstr (message, "Too many requests: retry after") == NULL);
  CHECK (c, strstr (message, "UNEXPECTED_ERROR") == NULL);
  CHECK (c, strstr (message, "SIM_INJECTED_FAULT") == NULL);
  CHECK (c, strstr (message, "\"results\"") == NULL);

  if (c->fault == F_429_WAIT)
    {
      CHECK (c, kl_error_get_retry_after (error) == 120);
      CHECK (c, strstr (message, "120") != NULL);
    }
  if (c->fault == F_429_NO_WAIT)
    CHECK (c, kl_error_get_retry_after (error) == 0);

  if (c->fault == F_HOSTILE)
    {
      /* The server's text, as text: every directive and tag still there, nothing expanded. */
      CHECK (c, strstr (message, HOSTILE_TEXT) != NULL);
      CHECK (c, g_strcmp0 (kl_error_get_atlas_code (error), "%n%s%x_<i>&amp;") == 0);
      CHECK (c, kl_error_get_http_status (error) == 400);
    }
}

static const char *
project_id (gpointer item)
{
  return kl_project_get_id (item);
}

static const char *
cluster_name (gpointer item)
{
  return kl_cluster_get_name (item);
}

/* The value of a successful case. */
static void
check_value (Case     *c,
             gpointer  value)
{
  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      {
        GPtrArray *projects = value;

        CHECK (c, ptr_array_ids_unique (projects, project_id));
        CHECK (c, projects->len == (c->fault == F_NEXT_FOREVER ? 1 : SEEDED_PROJECTS));
      }
      break;
    case OP_GET_PROJECT:
      CHECK (c, g_strcmp0 (kl_project_get_id (value), GROUP) == 0);
      CHECK (c, g_strcmp0 (kl_project_get_name (value), "Payments") == 0);
      break;
    case OP_GET_EAR:
    case OP_PATCH_EAR:
      {
        KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (value);

        if (c->fault == F_UNKNOWN_ENUM)
          CHECK (c, g_strcmp0 (kl_azure_key_vault_get_azure_environment (akv),
                               UNKNOWN_ENUM) == 0);
        if (c->op == OP_PATCH_EAR)
          CHECK (c, kl_azure_key_vault_get_enabled (akv));
        CHECK (c, !kl_azure_key_vault_has_secret (akv));
      }
      break;
    case OP_LIST_ENDPOINTS:
      {
        GPtrArray *endpoints = value;

        check_one_endpoint_per_region (c, endpoints);
        CHECK (c, endpoints->len == 1);
        if (endpoints->len == 1 && c->fault == F_UNKNOWN_ENUM)
          {
            KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, 0);

            CHECK (c, kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_UNKNOWN);
            CHECK (c, g_strcmp0 (kl_private_endpoint_get_status_text (endpoint),
                                 UNKNOWN_ENUM) == 0);
          }
      }
      break;
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
      CHECK (c, g_strcmp0 (kl_private_endpoint_get_region_name (value), REGION) == 0);
      CHECK (c, kl_atlas_id_is_valid (kl_private_endpoint_get_id (value)));
      if (c->fault == F_UNKNOWN_ENUM)
        {
          CHECK (c, kl_private_endpoint_get_status (value) == KL_ENDPOINT_STATUS_UNKNOWN);
          CHECK (c, g_strcmp0 (kl_private_endpoint_get_status_text (value), UNKNOWN_ENUM) == 0);
        }
      else
        {
          CHECK (c, kl_private_endpoint_get_status (value) != KL_ENDPOINT_STATUS_UNKNOWN);
        }
      break;
    case OP_DELETE_ENDPOINT:
      break;
    case OP_LIST_CLUSTERS:
      {
        GPtrArray *clusters = value;

        CHECK (c, ptr_array_ids_unique (clusters, cluster_name));
        CHECK (c, clusters->len == (c->fault == F_NEXT_FOREVER || c->fault == F_UNKNOWN_ENUM
                                    ? 1 : 2));
        if (clusters->len == 1 && c->fault == F_UNKNOWN_ENUM)
          CHECK (c, g_strcmp0 (kl_cluster_get_state_name (g_ptr_array_index (clusters, 0)),
                               UNKNOWN_ENUM) == 0);
      }
      break;
    case OP_GET_CLUSTER:
    case OP_PATCH_CLUSTER:
      CHECK (c, g_strcmp0 (kl_cluster_get_name (value), CLUSTER) == 0);
      if (c->fault == F_UNKNOWN_ENUM)
        {
          CHECK (c, g_strcmp0 (kl_cluster_get_state_name (value), UNKNOWN_ENUM) == 0);
          CHECK (c, g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (value),
                               UNKNOWN_ENUM) == 0);
        }
      else if (c->op == OP_PATCH_CLUSTER)
        {
          CHECK (c, g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (value), "AZURE") == 0);
        }
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
}

/* Finishes the operation; returns a short name of what it ended with, for the matrix. */
static char *
check_result (Case *c)
{
  g_autoptr(GError) error = NULL;
  gpointer value = NULL;
  GDestroyNotify value_free = g_object_unref;
  gboolean ok = FALSE;

  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      value = kl_atlas_client_list_projects_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_PROJECT:
      value = kl_atlas_client_get_project_finish (c->client, c->result, &error);
      break;
    case OP_GET_EAR:
      value = kl_atlas_client_get_encryption_at_rest_finish (c->client, c->result, &error);
      break;
    case OP_PATCH_EAR:
      value = kl_atlas_client_patch_encryption_at_rest_finish (c->client, c->result, &error);
      break;
    case OP_LIST_ENDPOINTS:
      value = kl_atlas_client_list_private_endpoints_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_ENDPOINT:
      value = kl_atlas_client_get_private_endpoint_finish (c->client, c->result, &error);
      break;
    case OP_ENSURE_ENDPOINT:
      value = kl_atlas_client_ensure_private_endpoint_finish (c->client, c->result, &error);
      break;
    case OP_DELETE_ENDPOINT:
      ok = kl_atlas_client_delete_private_endpoint_finish (c->client, c->result, &error);
      value_free = NULL;
      break;
    case OP_LIST_CLUSTERS:
      value = kl_atlas_client_list_clusters_finish (c->client, c->result, &error);
      value_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case OP_GET_CLUSTER:
      value = kl_atlas_client_get_cluster_finish (c->client, c->result, &error);
      break;
    case OP_PATCH_CLUSTER:
      value = kl_atlas_client_set_cluster_encryption_finish (c->client, c->result, &error);
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
  ok = ok || value != NULL;

  /* Exactly one of a value and an error. */
  CHECK (c, ok == (error == NULL));

  if (c->expect.success)
    {
      if (error != NULL)
        case_fail (c, "expected success, got %s %d: %s", g_quark_to_string (error->domain),
                   error->code, error->message);
      else if (value != NULL)
        check_value (c, value);
    }
  else if (error == NULL)
    {
      case_fail (c, "expected %s %d, got success", g_quark_to_string (c->expect.domain),
                 c->expect.code);
    }
  else
    {
      if (!g_error_matches (error, c->expect.domain, c->expect.code))
        case_fail (c, "expected %s %d, got %s %d: %s", g_quark_to_string (c->expect.domain),
                   c->expect.code, g_quark_to_string (error->domain), error->code,
                   error->message);
      check_message (c, error);
    }

  if (value != NULL && value_free != NULL)
    value_free (value);

  if (error == NULL)
    return g_strdup ("ok");
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    return g_strdup ("CANCELLED");
  if (error->domain == KL_ERROR)
    {
      static const char *const names[] = {
        "FAILED", "INVALID_INPUT", "INSECURE_URL", "AUTH_FAILED", "FORBIDDEN",
        "IP_NOT_ON_ACCESS_LIST", "TOO_MANY_TOKENS", "NOT_FOUND", "RATE_LIMITED", "CONFLICT",
        "INVALID_AZURE_CREDENTIALS", "BAD_REQUEST", "SERVER", "NETWORK", "TLS", "TIMEOUT",
        "BAD_RESPONSE", "INELIGIBLE", "KEYRING_UNAVAILABLE", "KEYRING_LOCKED", "API_VERSION",
      };

      if (error->code >= 0 && (guint) error->code < G_N_ELEMENTS (names))
        return g_strdup (names[error->code]);
    }
  return g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
}

static guint
count_requests (Case       *c,
                const char *method,
                const char *path)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (c->sim);
  guint n = 0;
  guint i;

  for (i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->method, method) == 0 && g_strcmp0 (request->path, path) == 0)
        n++;
    }
  return n;
}

/* After the faults are cleared: the server's state is what it really did. */
static void
check_read_back (Case *c)
{
  g_autoptr(GError) error = NULL;
  Applied applied = c->expect.applied;

  /* Pages that never end are fetched a bounded number of times. */
  if (c->fault == F_LYING_TOTAL || c->fault == F_NEXT_FOREVER)
    {
      const char *path = c->op == OP_ENSURE_ENDPOINT ? ENDPOINTS_PATH : op_path (c);
      guint pages = count_requests (c, "GET", path);
      /* Real pages of 2 (lying-total-count: a last, empty one more), or one page and one
       * that brings nothing new. */
      guint bound = c->fault == F_NEXT_FOREVER ? 2 : SEEDED_PROJECTS / 2 + 2;

      if (pages > bound)
        case_fail (c, "%u page requests for a list (at most %u expected)", pages, bound);
    }

  switch (c->op)
    {
    case OP_TOKEN:
    case OP_LIST_PROJECTS:
      {
        g_autoptr(GPtrArray) projects = admin_list_projects (c, &error);

        CHECK (c, error == NULL);
        if (projects != NULL)
          CHECK (c, projects->len == SEEDED_PROJECTS);
      }
      break;

    case OP_GET_PROJECT:
    case OP_GET_EAR:
    case OP_GET_CLUSTER:
      break;

    case OP_LIST_CLUSTERS:
      {
        g_autoptr(GPtrArray) clusters = admin_list_clusters (c, &error);

        CHECK (c, error == NULL);
        if (clusters != NULL)
          CHECK (c, clusters->len == 2);
      }
      break;

    case OP_PATCH_EAR:
      {
        g_autoptr(KlEncryptionAtRest) ear = admin_get_ear (c, &error);

        CHECK (c, error == NULL);
        if (ear != NULL)
          {
            KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (ear);
            gboolean enabled = kl_azure_key_vault_get_enabled (akv);

            if (enabled != (applied == APPLIED_YES))
              case_fail (c, "read back: CMK is %s", enabled ? "on" : "off");
          }
      }
      break;

    case OP_LIST_ENDPOINTS:
    case OP_GET_ENDPOINT:
    case OP_ENSURE_ENDPOINT:
    case OP_DELETE_ENDPOINT:
      {
        g_autoptr(GPtrArray) endpoints = admin_list_endpoints (c, &error);
        guint in_region = 0;
        guint i;

        CHECK (c, error == NULL);
        if (endpoints == NULL)
          break;
        check_one_endpoint_per_region (c, endpoints);
        for (i = 0; i < endpoints->len; i++)
          {
            KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);

            if (g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), REGION) == 0)
              in_region++;
          }

        if (c->op == OP_ENSURE_ENDPOINT && in_region != (applied == APPLIED_YES ? 1 : 0))
          case_fail (c, "read back: %u endpoints in %s", in_region, REGION);
        if (c->op != OP_ENSURE_ENDPOINT)
          CHECK (c, in_region == 1);

        if (c->op == OP_DELETE_ENDPOINT)
          {
            g_autoptr(GError) get_error = NULL;
            g_autoptr(KlPrivateEndpoint) endpoint = admin_get_endpoint (c, &get_error);
            KlEndpointStatus status;

            CHECK (c, get_error == NULL);
            if (endpoint == NULL)
              break;
            status = kl_private_endpoint_get_status (endpoint);
            if ((status == KL_ENDPOINT_STATUS_DELETING) != (applied == APPLIED_YES))
              case_fail (c, "read back: the endpoint is %s",
                         kl_private_endpoint_get_status_text (endpoint));
          }
      }
      break;

    case OP_PATCH_CLUSTER:
      {
        g_autoptr(KlCluster) cluster = admin_get_cluster (c, &error);

        CHECK (c, error == NULL);
        if (cluster != NULL)
          {
            const char *provider = kl_cluster_get_encryption_at_rest_provider (cluster);

            if (g_strcmp0 (provider, applied == APPLIED_YES ? "AZURE" : "NONE") != 0)
              case_fail (c, "read back: encryptionAtRestProvider %s", provider);
          }
      }
      break;

    case N_OPS:
    default:
      g_assert_not_reached ();
    }
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

/* ------------------------------------------------------------------------------------------ */
/* The certificate used above is refused for the right reason                                  */

static void
test_self_signed_is_untrusted (void)
{
  g_autoptr(GTlsCertificate) certificate = test_certificate ();
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) database = g_tls_backend_get_default_database (backend);
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  g_assert_nonnull (database);
  flags = g_tls_database_verify_chain (database, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  /* Not trusted by anyone; otherwise fine for 127.0.0.1. */
  g_assert_true (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_false (flags & G_TLS_CERTIFICATE_BAD_IDENTITY);
}

static void
print_matrix (void)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_print ("# fault matrix (fault: operation -> result, time):\n");
  for (Fault fault = 0; fault < N_FAULTS; fault++)
    {
      g_string_printf (line, "#   %-26s", faults[fault].name);
      for (Op op = 0; op < N_OPS; op++)
        if (outcomes[op][fault] != NULL)
          g_string_append_printf (line, " | %s: %s", ops[op].name, outcomes[op][fault]);
      g_print ("%s\n", line->str);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Loopback only: no proxy lookups (see src/sim/README.md). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_add_func ("/faults/self-signed-is-untrusted", test_self_signed_is_untrusted);
  for (Fault fault = 0; fault < N_FAULTS; fault++)
    {
      g_autofree char *path = g_strdup_printf ("/faults/%s", faults[fault].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (fault), test_fault);
    }

  status = g_test_run ();

  print_matrix ();
  g_print ("# faults tried: %u, handled: %u\n", n_tried, n_handled);
  for (Op op = 0; op < N_OPS; op++)
    for (Fault fault = 0; fault < N_FAULTS; fault++)
      g_free (outcomes[op][fault]);

  return status;
}
