/* kl-azure-sim.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-sim"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-sim.h"
#include "kl-azure-sim-private.h"
#include "kl-sim-faults.h"
#include "kl-sim-json.h"

#define CONTROL_PREFIX "/__sim/"

/* The stable api-versions azure-api.md lists; anything else is refused. */
static const char * const key_vault_arm_versions[] = {
  "2026-02-01", "2025-05-01", "2024-11-01", "2023-07-01", "2023-02-01", "2022-11-01", NULL
};
static const char * const resources_versions[] = {
  "2025-04-01", "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01",
  "2022-09-01", "2021-04-01", NULL
};
static const char * const key_vault_data_versions[] = { "2025-07-01", "7.6", "7.5", NULL };

static const KlAzureSimCloud sim_clouds[] = {
  { "AZURE", "https://management.azure.com/.default", "https://vault.azure.net/.default",
    "vault.azure.net", "https://vault.azure.net" },
  { "AZURE_CHINA", "https://management.chinacloudapi.cn/.default",
    "https://vault.azure.cn/.default", "vault.azure.cn", "https://vault.azure.cn" },
  { "AZURE_US_GOVERNMENT", "https://management.usgovcloudapi.net/.default",
    "https://vault.usgovcloudapi.net/.default", "vault.usgovcloudapi.net",
    "https://vault.usgovcloudapi.net" },
};

enum
{
  SIGNAL_CONNECTION_APPROVED,
  SIGNAL_CONNECTION_REJECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KlAzureSim, kl_azure_sim, G_TYPE_OBJECT)

/* A request held back by latency or a stall. */
typedef struct
{
  KlAzureSim         *self;
  SoupServerMessage  *msg;
  KlAzureSimService   service;
  KlSimFaultDecision  decision;
  GSource            *source;   /* NULL while stalled */
} Pending;

/* ------------------------------------------------------------------------------------------ */
/* Model                                                                                       */

static void
app_free (gpointer data)
{
  SimApp *app = data;

  g_free (app->client_id);
  g_free (app->secret);
  g_free (app);
}

static void
key_free (gpointer data)
{
  SimKey *key = data;

  g_free (key->name);
  g_free (key->version);
  g_free (key->kty);
  g_strfreev (key->key_ops);
  g_free (key);
}

static void
connection_free (gpointer data)
{
  SimConnection *connection = data;

  g_free (connection->name);
  g_free (connection->status);
  g_free (connection->description);
  g_free (connection);
}

static void
policy_free (gpointer data)
{
  SimPolicy *policy = data;

  g_free (policy->client_id);
  g_strfreev (policy->key_permissions);
  g_free (policy);
}

static void
vault_free (gpointer data)
{
  SimVault *vault = data;

  g_free (vault->subscription_id);
  g_free (vault->resource_group);
  g_free (vault->name);
  g_free (vault->tenant_id);
  g_free (vault->public_network_access);
  g_free (vault->default_action);
  g_ptr_array_unref (vault->policies);
  g_ptr_array_unref (vault->keys);
  g_ptr_array_unref (vault->connections);
  g_free (vault);
}

static void
subscription_free (gpointer data)
{
  SimSubscription *subscription = data;

  g_free (subscription->id);
  g_free (subscription->tenant_id);
  g_ptr_array_unref (subscription->resource_groups);
  g_hash_table_unref (subscription->providers);
  g_free (subscription);
}

static void
token_free (gpointer data)
{
  SimToken *token = data;

  g_free (token->client_id);
  g_free (token);
}

void
kl_azure_sim_request_free (KlAzureSimRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request);
}

static void
pending_free (Pending *pending)
{
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_object_unref (pending->msg);
  kl_sim_fault_decision_clear (&pending->decision);
  g_free (pending);
}

/* As KlSim: real durations are simulated ones times the scale, so the simulated clock runs
 * 1/scale times as fast as the real one; 0 stops it. */
gint64
kl_azure_sim_now (KlAzureSim *self)
{
  gint64 real = g_get_monotonic_time () - self->anchor_real;

  if (self->link != NULL)
    return self->link->now (self->link_data);
  if (self->time_scale == 0)
    return self->anchor_sim;
  return self->anchor_sim + (gint64) ((double) real / self->time_scale);
}

const char *
kl_azure_sim_find_tenant (KlAzureSim *self,
                          const char *tenant)
{
  if (tenant == NULL)
    return NULL;
  if (g_ascii_strcasecmp (tenant, self->tenant_id) == 0)
    return self->tenant_id;
  for (guint i = 0; i < self->home_tenants->len; i++)
    if (g_ascii_strcasecmp (tenant, g_ptr_array_index (self->home_tenants, i)) == 0)
      return g_ptr_array_index (self->home_tenants, i);
  return NULL;
}

void
kl_azure_sim_set_link (KlAzureSim           *self,
                       const KlAzureSimLink *link,
                       gpointer              data)
{
  /* Leaving a link keeps the time where it is. */
  self->anchor_sim = kl_azure_sim_now (self);
  self->anchor_real = g_get_monotonic_time ();
  self->link = link;
  self->link_data = data;
}

void
kl_azure_sim_sync (KlAzureSim *self)
{
  if (self->link != NULL)
    self->link->sync (self->link_data);
}

static void
reanchor (KlAzureSim *self)
{
  self->anchor_sim = kl_azure_sim_now (self);
  self->anchor_real = g_get_monotonic_time ();
}

SimApp *
kl_azure_sim_find_app (KlAzureSim *self,
                       const char *client_id)
{
  guint i;

  for (i = 0; client_id != NULL && i < self->apps->len; i++)
    {
      SimApp *app = g_ptr_array_index (self->apps, i);

      if (g_ascii_strcasecmp (app->client_id, client_id) == 0)
        return app;
    }
  return NULL;
}

SimVault *
kl_azure_sim_find_vault (KlAzureSim *self,
                         const char *name)
{
  guint i;

  for (i = 0; name != NULL && i < self->vaults->len; i++)
    {
      SimVault *vault = g_ptr_array_index (self->vaults, i);

      if (g_ascii_strcasecmp (vault->name, name) == 0)
        return vault;
    }
  return NULL;
}

SimSubscription *
kl_azure_sim_find_subscription (KlAzureSim *self,
                                const char *id)
{
  guint i;

  for (i = 0; id != NULL && i < self->subscriptions->len; i++)
    {
      SimSubscription *subscription = g_ptr_array_index (self->subscriptions, i);

      if (g_ascii_strcasecmp (subscription->id, id) == 0)
        return subscription;
    }
  return NULL;
}

SimKey *
kl_azure_sim_find_key (SimVault   *vault,
                       const char *name)
{
  guint i;

  for (i = 0; name != NULL && i < vault->keys->len; i++)
    {
      SimKey *key = g_ptr_array_index (vault->keys, i);

      if (g_ascii_strcasecmp (key->name, name) == 0)
        return key;
    }
  return NULL;
}

SimConnection *
kl_azure_sim_find_connection (SimVault   *vault,
                              const char *name)
{
  guint i;

  for (i = 0; name != NULL && i < vault->connections->len; i++)
    {
      SimConnection *connection = g_ptr_array_index (vault->connections, i);

      if (g_ascii_strcasecmp (connection->name, name) == 0)
        return connection;
    }
  return NULL;
}

/* Sets the status, and says so when it is news. */
void
kl_azure_sim_change_connection (KlAzureSim    *self,
                                SimVault      *vault,
                                SimConnection *connection,
                                const char    *status,
                                const char    *description)
{
  g_autofree char *old = g_steal_pointer (&connection->status);
  g_autofree char *vault_name = g_strdup (vault->name);
  g_autofree char *name = g_strdup (connection->name);

  connection->status = g_strdup (status);
  if (description != NULL)
    {
      g_free (connection->description);
      connection->description = g_strdup (description);
    }
  connection->updating_until = kl_azure_sim_now (self) +
                               (gint64) KL_AZURE_SIM_APPROVAL_SECONDS * G_USEC_PER_SEC;

  if (g_strcmp0 (old, status) == 0)
    return;

  if (strcmp (status, "Approved") == 0)
    g_signal_emit (self, signals[SIGNAL_CONNECTION_APPROVED], 0, vault_name, name);
  else if (strcmp (status, "Rejected") == 0 || strcmp (status, "Disconnected") == 0)
    g_signal_emit (self, signals[SIGNAL_CONNECTION_REJECTED], 0, vault_name, name);
}

gboolean
kl_azure_sim_version_ok (const char *const *list,
                         const char        *version)
{
  return version != NULL && g_strv_contains (list, version);
}

const char * const *
kl_azure_sim_versions (KlAzureSimService service,
                       gboolean          providers)
{
  if (service == KL_AZURE_SIM_SERVICE_VAULT)
    return key_vault_data_versions;
  return providers ? resources_versions : key_vault_arm_versions;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                     */

void
kl_azure_sim_respond_json (SoupServerMessage *msg,
                           guint              status,
                           JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) owned = node;
  char *text;
  gsize length = 0;

  json_generator_set_root (generator, owned);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, length);
}

/* {"error":{"code","message"}} (ARM and Key Vault; Key Vault adds innererror). */
void
kl_azure_sim_respond_cloud_error (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *code,
                                  const char        *inner_code,
                                  const char        *message)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  if (inner_code != NULL)
    {
      JsonObject *inner = json_object_new ();

      json_object_set_string_member (inner, "code", inner_code);
      json_object_set_object_member (error, "innererror", inner);
    }
  json_object_set_object_member (root, "error", error);
  kl_azure_sim_respond_json (msg, status, kl_sim_json_object_node (root));
}

/* The identity platform's error: {"error","error_description","error_codes",…}. */
void
kl_azure_sim_respond_aad_error (SoupServerMessage *msg,
                                guint              status,
                                const char        *oauth_error,
                                guint              aadsts,
                                const char        *text)
{
  JsonObject *root = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  g_autofree char *trace = g_uuid_string_random ();
  g_autofree char *correlation = g_uuid_string_random ();
  g_autofree char *description = NULL;

  json_object_set_string_member (root, "error", oauth_error);
  if (aadsts > 0)
    {
      JsonArray *codes = json_array_new ();

      description = g_strdup_printf ("AADSTS%u: %s Trace ID: %s Correlation ID: %s "
                                     "Timestamp: %s", aadsts, text, trace, correlation, stamp);
      json_array_add_int_element (codes, aadsts);
      json_object_set_array_member (root, "error_codes", codes);
      json_object_set_string_member (root, "error_uri",
                                     "https://login.microsoftonline.com/error");
    }
  else
    {
      description = g_strdup (text);
    }
  json_object_set_string_member (root, "error_description", description);
  json_object_set_string_member (root, "timestamp", stamp);
  json_object_set_string_member (root, "trace_id", trace);
  json_object_set_string_member (root, "correlation_id", correlation);
  kl_azure_sim_respond_json (msg, status, kl_sim_json_object_node (root));
}

/* ------------------------------------------------------------------------------------------ */
/* Request log                                                                                 */

typedef struct
{
  KlAzureSimService service;
  gboolean          carried_secret;
  gboolean          logged;
} RequestInfo;

static gboolean
contains (const char *haystack,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);
  gsize i;

  if (n == 0 || length < n)
    return FALSE;
  for (i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
text_has_secret (KlAzureSim *self,
                 const char *text,
                 gsize       length)
{
  guint i;

  for (i = 0; text != NULL && i < self->apps->len; i++)
    {
      SimApp *app = g_ptr_array_index (self->apps, i);
      g_autofree char *escaped = g_uri_escape_string (app->secret, NULL, FALSE);

      if (contains (text, length, app->secret) || contains (text, length, escaped))
        return TRUE;
    }
  return FALSE;
}

static gboolean
message_has_secret (KlAzureSim        *self,
                    SoupServerMessage *msg)
{
  SoupMessageHeadersIter iter;
  g_autofree char *uri = g_uri_to_string (soup_server_message_get_uri (msg));
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *name;
  const char *value;

  if (text_has_secret (self, uri, strlen (uri)) ||
      text_has_secret (self, g_bytes_get_data (body, NULL), g_bytes_get_size (body)))
    return TRUE;

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (text_has_secret (self, value, strlen (value)))
      return TRUE;
  return FALSE;
}

static void
log_request (KlAzureSim        *self,
             SoupServerMessage *msg,
             guint              status)
{
  RequestInfo *info = g_object_get_data (G_OBJECT (msg), "kl-azure-sim-info");
  KlAzureSimRequest *request;

  if (info == NULL || info->logged)
    return;

  info->logged = TRUE;
  request = g_new0 (KlAzureSimRequest, 1);
  request->service = info->service;
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  request->status = status;
  request->carried_secret = info->carried_secret;
  g_ptr_array_add (self->requests, request);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     KlAzureSim        *self)
{
  log_request (self, msg, soup_server_message_get_status (msg));
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    KlAzureSim        *self)
{
  log_request (self, msg, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                      */

static void
respond_injected (KlAzureSimService         service,
                  SoupServerMessage        *msg,
                  const KlSimFaultDecision *decision)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *text = NULL;

  soup_message_headers_clear (headers);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  if (decision->kind == KL_SIM_FAULT_RETRY_AFTER)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", decision->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
      text = g_strdup_printf ("Too many requests: retry after %u seconds.",
                              decision->retry_after);
    }
  else
    {
      text = g_strdup_printf ("Injected fault: %u.", decision->status);
    }

  if (service == KL_AZURE_SIM_SERVICE_LOGIN)
    kl_azure_sim_respond_aad_error (msg, decision->status,
                                    decision->status >= 500 || decision->status == 429
                                    ? "temporarily_unavailable" : "invalid_request", 0, text);
  else
    kl_azure_sim_respond_cloud_error (msg, decision->status, decision->error_code, NULL, text);
}

static void
respond_malformed (SoupServerMessage *msg)
{
  static const char truncated[] = "{\"properties\": {\"vaultUri\": \"https://";

  soup_message_headers_clear (soup_server_message_get_response_headers (msg));
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                    truncated, strlen (truncated));
}

static void
respond_body (SoupServerMessage        *msg,
              const KlSimFaultDecision *decision)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint i;

  soup_message_headers_clear (headers);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  for (i = 0; decision->headers != NULL && decision->headers[i] != NULL &&
              decision->headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (headers, decision->headers[i], decision->headers[i + 1]);
  soup_server_message_set_status (msg, decision->status, NULL);
  soup_server_message_set_response (msg,
                                    decision->content_type != NULL ? decision->content_type
                                                                   : "application/json",
                                    SOUP_MEMORY_COPY, g_bytes_get_data (decision->body, NULL),
                                    g_bytes_get_size (decision->body));
  /* A huge answer: spaces after the body (JSON still), told with a Content-Length or, when
   * chunked, not told at all. */
  if (decision->pad_bytes > 0)
    {
      char *padding = g_malloc (decision->pad_bytes);

      memset (padding, ' ', decision->pad_bytes);
      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_TAKE,
                                padding, decision->pad_bytes);
    }
  if (decision->chunked)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
    }
}

static void
drop_connection (KlAzureSim        *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;

  log_request (self, msg, 0);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* Returns FALSE when the connection was dropped. */
static gboolean
apply_fault (KlAzureSim               *self,
             KlAzureSimService         service,
             SoupServerMessage        *msg,
             const KlSimFaultDecision *decision)
{
  switch (decision->kind)
    {
    case KL_SIM_FAULT_STATUS:
    case KL_SIM_FAULT_RETRY_AFTER:
      respond_injected (service, msg, decision);
      return TRUE;
    case KL_SIM_FAULT_MALFORMED:
      respond_malformed (msg);
      return TRUE;
    case KL_SIM_FAULT_DROP:
      drop_connection (self, msg);
      return FALSE;
    case KL_SIM_FAULT_BODY:
      respond_body (msg, decision);
      return TRUE;
    case KL_SIM_FAULT_NONE:
    case KL_SIM_FAULT_LATENCY:
    case KL_SIM_FAULT_STALL:
    case KL_SIM_FAULT_LYING_PAGES:
    default:
      return TRUE;
    }
}

static gboolean
is_terminal (const KlSimFaultDecision *decision)
{
  return decision->kind != KL_SIM_FAULT_NONE && decision->kind != KL_SIM_FAULT_LATENCY &&
         decision->kind != KL_SIM_FAULT_LYING_PAGES;
}

static void
handle (KlAzureSim        *self,
        KlAzureSimService  service,
        SoupServerMessage *msg)
{
  kl_azure_sim_sync (self);
  switch (service)
    {
    case KL_AZURE_SIM_SERVICE_LOGIN:
      kl_azure_sim_handle_login (self, msg);
      break;
    case KL_AZURE_SIM_SERVICE_ARM:
      kl_azure_sim_handle_arm (self, msg);
      break;
    case KL_AZURE_SIM_SERVICE_VAULT:
    default:
      if (!kl_azure_sim_handle_vault (self, msg))
        drop_connection (self, msg);
      break;
    }
}

/* Returns FALSE when the connection was dropped. */
static gboolean
run_request (KlAzureSim               *self,
             KlAzureSimService         service,
             SoupServerMessage        *msg,
             const KlSimFaultDecision *decision)
{
  RequestInfo *info = g_object_get_data (G_OBJECT (msg), "kl-azure-sim-info");

  if (is_terminal (decision) && !decision->after_processing)
    return apply_fault (self, service, msg, decision);
  handle (self, service, msg);
  if (info != NULL && info->logged)
    return FALSE;
  if (is_terminal (decision))
    return apply_fault (self, service, msg, decision);
  return TRUE;
}

static gboolean
pending_ready_cb (gpointer user_data)
{
  Pending *pending = user_data;
  KlAzureSim *self = pending->self;

  self->pending = g_list_remove (self->pending, pending);
  g_clear_pointer (&pending->source, g_source_unref);
  if (run_request (self, pending->service, pending->msg, &pending->decision))
    soup_server_message_unpause (pending->msg);
  pending_free (pending);
  return G_SOURCE_REMOVE;
}

static void
release_stalled (KlAzureSim *self)
{
  GList *stalled = NULL;
  GList *l;

  for (l = self->pending; l != NULL;)
    {
      Pending *pending = l->data;
      GList *next = l->next;

      if (pending->source == NULL)
        {
          self->pending = g_list_delete_link (self->pending, l);
          stalled = g_list_prepend (stalled, pending);
        }
      l = next;
    }
  for (l = stalled; l != NULL; l = l->next)
    {
      Pending *pending = l->data;
      KlSimFaultDecision none = { 0, };

      none.kind = KL_SIM_FAULT_NONE;
      if (pending->decision.after_processing ||
          run_request (self, pending->service, pending->msg, &none))
        soup_server_message_unpause (pending->msg);
      pending_free (pending);
    }
  g_list_free (stalled);
}

static void
process_request (KlAzureSim               *self,
                 KlAzureSimService         service,
                 SoupServerMessage        *msg,
                 const KlSimFaultDecision *decision)
{
  Pending *pending;

  if (decision->latency_ms == 0 && decision->kind != KL_SIM_FAULT_STALL)
    {
      run_request (self, service, msg, decision);
      return;
    }

  if (decision->kind == KL_SIM_FAULT_STALL && decision->after_processing)
    handle (self, service, msg);

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->service = service;
  kl_sim_fault_decision_copy (decision, &pending->decision);
  soup_server_message_pause (msg);
  if (decision->kind != KL_SIM_FAULT_STALL)
    {
      pending->source = g_timeout_source_new (decision->latency_ms);
      g_source_set_callback (pending->source, pending_ready_cb, pending, NULL);
      g_source_attach (pending->source, self->context);
    }
  self->pending = g_list_prepend (self->pending, pending);
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  KlAzureSim *self = user_data;
  KlAzureSimService service;
  KlSimFaultDecision decision;
  RequestInfo *info;

  if (server == self->servers[KL_AZURE_SIM_SERVICE_LOGIN])
    service = KL_AZURE_SIM_SERVICE_LOGIN;
  else if (server == self->servers[KL_AZURE_SIM_SERVICE_VAULT])
    service = KL_AZURE_SIM_SERVICE_VAULT;
  else
    service = KL_AZURE_SIM_SERVICE_ARM;

  if (service == KL_AZURE_SIM_SERVICE_ARM && g_str_has_prefix (path, CONTROL_PREFIX))
    {
      kl_azure_sim_sync (self);
      kl_azure_sim_handle_control (self, msg, path);
      return;
    }

  info = g_new0 (RequestInfo, 1);
  info->service = service;
  info->carried_secret = message_has_secret (self, msg);
  g_object_set_data_full (G_OBJECT (msg), "kl-azure-sim-info", info, g_free);

  kl_sim_faults_decide (self->faults, soup_server_message_get_method (msg), path, &decision);
  process_request (self, service, msg, &decision);
  kl_sim_fault_decision_clear (&decision);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_azure_sim_finalize (GObject *object)
{
  KlAzureSim *self = (KlAzureSim *) object;

  kl_azure_sim_stop (self);
  g_ptr_array_unref (self->apps);
  g_ptr_array_unref (self->subscriptions);
  g_ptr_array_unref (self->vaults);
  g_ptr_array_unref (self->foreign_tenants);
  g_ptr_array_unref (self->home_tenants);
  g_hash_table_unref (self->tokens);
  g_ptr_array_unref (self->requests);
  kl_sim_faults_free (self->faults);
  g_free (self->tenant_id);

  G_OBJECT_CLASS (kl_azure_sim_parent_class)->finalize (object);
}

static void
kl_azure_sim_class_init (KlAzureSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_azure_sim_finalize;

  /**
   * KlAzureSim::connection-approved:
   * @vault_name: the vault
   * @connection_name: the private endpoint connection
   *
   * A connection became Approved (Keylink's PUT or the control API).
   */
  signals[SIGNAL_CONNECTION_APPROVED] =
    g_signal_new ("connection-approved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * KlAzureSim::connection-rejected:
   * @vault_name: the vault
   * @connection_name: the private endpoint connection
   *
   * A connection became Rejected or Disconnected.
   */
  signals[SIGNAL_CONNECTION_REJECTED] =
    g_signal_new ("connection-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
kl_azure_sim_init (KlAzureSim *self)
{
  self->apps = g_ptr_array_new_with_free_func (app_free);
  self->subscriptions = g_ptr_array_new_with_free_func (subscription_free);
  self->vaults = g_ptr_array_new_with_free_func (vault_free);
  self->foreign_tenants = g_ptr_array_new_with_free_func (g_free);
  self->home_tenants = g_ptr_array_new_with_free_func (g_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_azure_sim_request_free);
  self->faults = kl_sim_faults_new (1);
  self->time_scale = 1;
  self->anchor_real = g_get_monotonic_time ();
  self->token_lifetime = 3599;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */

KlAzureSim *
kl_azure_sim_new (const char *environment)
{
  KlAzureSim *self;
  const char * const rsa_ops[] = { "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign",
                                   "verify", NULL };
  guint i;

  g_return_val_if_fail (environment != NULL, NULL);

  self = g_object_new (KL_TYPE_AZURE_SIM, NULL);
  for (i = 0; i < G_N_ELEMENTS (sim_clouds); i++)
    if (strcmp (sim_clouds[i].environment, environment) == 0)
      self->cloud = &sim_clouds[i];
  if (self->cloud == NULL)
    {
      g_critical ("Unknown Azure environment %s", environment);
      self->cloud = &sim_clouds[0];
    }

  self->tenant_id = g_strdup (KL_AZURE_SIM_TENANT_ID);
  kl_azure_sim_add_app (self, KL_AZURE_SIM_CLIENT_ID, KL_AZURE_SIM_CLIENT_SECRET,
                        KL_AZURE_SIM_ROLE_ALL);
  kl_azure_sim_add_subscription (self, KL_AZURE_SIM_SUBSCRIPTION_ID, NULL);
  kl_azure_sim_add_resource_group (self, KL_AZURE_SIM_SUBSCRIPTION_ID,
                                   KL_AZURE_SIM_RESOURCE_GROUP);
  kl_azure_sim_set_provider_state (self, KL_AZURE_SIM_SUBSCRIPTION_ID, "Microsoft.Network",
                                   "Registered");
  kl_azure_sim_add_vault (self, KL_AZURE_SIM_SUBSCRIPTION_ID, KL_AZURE_SIM_RESOURCE_GROUP,
                          KL_AZURE_SIM_VAULT_NAME);
  kl_azure_sim_add_key (self, KL_AZURE_SIM_VAULT_NAME, KL_AZURE_SIM_KEY_NAME, "RSA", rsa_ops,
                        TRUE, g_get_real_time () / G_USEC_PER_SEC + 365 * 24 * 3600, 0);
  return self;
}

gboolean
kl_azure_sim_start (KlAzureSim  *self,
                    GError     **error)
{
  guint i;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (self->servers[0] == NULL, FALSE);

  for (i = 0; i < G_N_ELEMENTS (self->servers); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new ("server-header", "keylink-azure-sim ",
                                                      NULL);
      GSList *uris;

      soup_server_add_handler (server, NULL, server_handler, self, NULL);
      g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), self);
      g_signal_connect (server, "request-aborted", G_CALLBACK (request_aborted_cb), self);
      if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
        {
          kl_azure_sim_stop (self);
          return FALSE;
        }
      uris = soup_server_get_uris (server);
      self->urls[i] = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
      self->servers[i] = g_steal_pointer (&server);
    }

  self->vault_template = g_strconcat (self->urls[KL_AZURE_SIM_SERVICE_VAULT], "/{vault}", NULL);
  self->context = g_main_context_ref_thread_default ();
  return TRUE;
}

void
kl_azure_sim_stop (KlAzureSim *self)
{
  guint i;

  g_return_if_fail (KL_IS_AZURE_SIM (self));

  g_list_free_full (g_steal_pointer (&self->pending), (GDestroyNotify) pending_free);
  for (i = 0; i < G_N_ELEMENTS (self->servers); i++)
    {
      if (self->servers[i] != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->servers[i], self);
          soup_server_disconnect (self->servers[i]);
          g_clear_object (&self->servers[i]);
        }
      g_clear_pointer (&self->urls[i], g_free);
    }
  g_clear_pointer (&self->vault_template, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
}

const char *
kl_azure_sim_get_login_url (KlAzureSim *self)
{
  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);
  return self->urls[KL_AZURE_SIM_SERVICE_LOGIN];
}

const char *
kl_azure_sim_get_arm_url (KlAzureSim *self)
{
  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);
  return self->urls[KL_AZURE_SIM_SERVICE_ARM];
}

const char *
kl_azure_sim_get_vault_url_template (KlAzureSim *self)
{
  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);
  return self->vault_template;
}

void
kl_azure_sim_set_time_scale (KlAzureSim *self,
                             double      time_scale)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (time_scale >= 0);

  if (self->link != NULL)
    {
      self->link->set_time_scale (self->link_data, time_scale);
      return;
    }
  reanchor (self);
  self->time_scale = time_scale;
}

void
kl_azure_sim_advance (KlAzureSim *self,
                      double      seconds)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (seconds >= 0);

  if (self->link != NULL)
    {
      self->link->advance (self->link_data, seconds);
      return;
    }
  reanchor (self);
  self->anchor_sim += (gint64) (seconds * G_USEC_PER_SEC);
}

void
kl_azure_sim_set_token_lifetime (KlAzureSim *self,
                                 guint       seconds)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));
  self->token_lifetime = seconds;
}

void
kl_azure_sim_add_foreign_tenant (KlAzureSim *self,
                                 const char *tenant_id)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (tenant_id != NULL);

  g_ptr_array_add (self->foreign_tenants, g_ascii_strdown (tenant_id, -1));
}

void
kl_azure_sim_add_app (KlAzureSim      *self,
                      const char      *client_id,
                      const char      *secret,
                      KlAzureSimRoles  roles)
{
  SimApp *app;

  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (client_id != NULL && secret != NULL);

  app = g_new0 (SimApp, 1);
  app->client_id = g_ascii_strdown (client_id, -1);
  app->secret = g_strdup (secret);
  app->roles = roles;
  g_ptr_array_add (self->apps, app);
}

gboolean
kl_azure_sim_set_app_secret (KlAzureSim *self,
                             const char *client_id,
                             const char *secret)
{
  SimApp *app;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (!(app = kl_azure_sim_find_app (self, client_id)))
    return FALSE;
  {
    char *copy = g_strdup (secret);

    g_free (app->secret);
    app->secret = copy;
  }
  return TRUE;
}

gboolean
kl_azure_sim_set_app_state (KlAzureSim         *self,
                            const char         *client_id,
                            KlAzureSimAppState  state)
{
  SimApp *app;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!(app = kl_azure_sim_find_app (self, client_id)))
    return FALSE;
  app->state = state;
  return TRUE;
}

gboolean
kl_azure_sim_set_app_roles (KlAzureSim      *self,
                            const char      *client_id,
                            KlAzureSimRoles  roles)
{
  SimApp *app;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!(app = kl_azure_sim_find_app (self, client_id)))
    return FALSE;
  app->roles = roles;
  return TRUE;
}

void
kl_azure_sim_add_subscription (KlAzureSim *self,
                               const char *subscription_id,
                               const char *tenant_id)
{
  SimSubscription *subscription;

  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (subscription_id != NULL);

  subscription = g_new0 (SimSubscription, 1);
  subscription->id = g_ascii_strdown (subscription_id, -1);
  subscription->tenant_id = g_ascii_strdown (tenant_id != NULL ? tenant_id : self->tenant_id, -1);
  subscription->resource_groups = g_ptr_array_new_with_free_func (g_free);
  subscription->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (self->subscriptions, subscription);
}

void
kl_azure_sim_add_resource_group (KlAzureSim *self,
                                 const char *subscription_id,
                                 const char *resource_group)
{
  SimSubscription *subscription;

  g_return_if_fail (KL_IS_AZURE_SIM (self));

  subscription = kl_azure_sim_find_subscription (self, subscription_id);
  g_return_if_fail (subscription != NULL);
  g_ptr_array_add (subscription->resource_groups, g_strdup (resource_group));
}

void
kl_azure_sim_set_provider_state (KlAzureSim *self,
                                 const char *subscription_id,
                                 const char *namespace_name,
                                 const char *registration_state)
{
  SimSubscription *subscription;

  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (namespace_name != NULL);

  subscription = kl_azure_sim_find_subscription (self, subscription_id);
  g_return_if_fail (subscription != NULL);
  if (registration_state == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (namespace_name, -1);

      g_hash_table_remove (subscription->providers, lower);
    }
  else
    {
      g_hash_table_replace (subscription->providers, g_ascii_strdown (namespace_name, -1),
                            g_strdup (registration_state));
    }
}

void
kl_azure_sim_add_vault (KlAzureSim *self,
                        const char *subscription_id,
                        const char *resource_group,
                        const char *vault_name)
{
  SimVault *vault;

  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_return_if_fail (subscription_id != NULL && resource_group != NULL && vault_name != NULL);
  g_return_if_fail (kl_azure_sim_find_vault (self, vault_name) == NULL);

  vault = g_new0 (SimVault, 1);
  vault->subscription_id = g_ascii_strdown (subscription_id, -1);
  vault->resource_group = g_strdup (resource_group);
  vault->name = g_ascii_strdown (vault_name, -1);
  vault->tenant_id = g_strdup (self->tenant_id);
  vault->rbac = TRUE;
  vault->public_network_access = g_strdup ("Enabled");
  vault->default_action = g_strdup ("Allow");
  vault->allows_this_machine = TRUE;
  vault->policies = g_ptr_array_new_with_free_func (policy_free);
  vault->keys = g_ptr_array_new_with_free_func (key_free);
  vault->connections = g_ptr_array_new_with_free_func (connection_free);
  g_ptr_array_add (self->vaults, vault);
}

gboolean
kl_azure_sim_set_vault_tenant (KlAzureSim *self,
                               const char *vault_name,
                               const char *tenant_id)
{
  SimVault *vault;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    return FALSE;
  {
    char *copy = g_ascii_strdown (tenant_id, -1);

    g_free (vault->tenant_id);
    vault->tenant_id = copy;
  }
  return TRUE;
}

gboolean
kl_azure_sim_set_vault_rbac (KlAzureSim *self,
                             const char *vault_name,
                             gboolean    rbac)
{
  SimVault *vault;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    return FALSE;
  vault->rbac = rbac;
  return TRUE;
}

gboolean
kl_azure_sim_add_access_policy (KlAzureSim         *self,
                                const char         *vault_name,
                                const char         *client_id,
                                const char * const *key_permissions)
{
  SimVault *vault;
  SimPolicy *policy;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    return FALSE;
  policy = g_new0 (SimPolicy, 1);
  policy->client_id = g_ascii_strdown (client_id, -1);
  policy->key_permissions = g_strdupv ((char **) key_permissions);
  if (policy->key_permissions == NULL)
    policy->key_permissions = g_new0 (char *, 1);
  g_ptr_array_add (vault->policies, policy);
  return TRUE;
}

gboolean
kl_azure_sim_set_vault_network (KlAzureSim *self,
                                const char *vault_name,
                                const char *public_network_access,
                                const char *default_action,
                                gboolean    allows_this_machine)
{
  SimVault *vault;
  char *access;
  char *action;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (public_network_access != NULL && default_action != NULL, FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    return FALSE;
  /* Copied before the old values go: the arguments may be those strings. */
  access = g_strdup (public_network_access);
  action = g_strdup (default_action);
  g_free (vault->public_network_access);
  vault->public_network_access = access;
  g_free (vault->default_action);
  vault->default_action = action;
  vault->allows_this_machine = allows_this_machine;
  return TRUE;
}

gboolean
kl_azure_sim_add_key (KlAzureSim         *self,
                      const char         *vault_name,
                      const char         *key_name,
                      const char         *kty,
                      const char * const *key_ops,
                      gboolean            enabled,
                      gint64              exp,
                      gint64              nbf)
{
  SimVault *vault;
  SimKey *key;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (key_name != NULL && kty != NULL, FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    return FALSE;

  /* Made before the old one goes: the arguments may be its own strings. */
  key = g_new0 (SimKey, 1);
  key->name = g_strdup (key_name);
  key->version = g_strdup (KL_AZURE_SIM_KEY_VERSION);
  key->kty = g_strdup (kty);
  key->key_ops = g_strdupv ((char **) key_ops);
  if (key->key_ops == NULL)
    key->key_ops = g_new0 (char *, 1);
  key->enabled = enabled;
  key->exp = exp;
  key->nbf = nbf;
  kl_azure_sim_remove_key (self, vault_name, key_name);
  g_ptr_array_add (vault->keys, key);
  return TRUE;
}

gboolean
kl_azure_sim_remove_key (KlAzureSim *self,
                         const char *vault_name,
                         const char *key_name)
{
  SimVault *vault;
  SimKey *key;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)) ||
      !(key = kl_azure_sim_find_key (vault, key_name)))
    return FALSE;
  g_ptr_array_remove (vault->keys, key);
  return TRUE;
}

gboolean
kl_azure_sim_add_pending_connection (KlAzureSim  *self,
                                     const char  *vault_name,
                                     const char  *connection_name,
                                     GError     **error)
{
  SimVault *vault;
  SimConnection *connection;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (connection_name != NULL, FALSE);

  if (!(vault = kl_azure_sim_find_vault (self, vault_name)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No vault %s in the simulator",
                   vault_name);
      return FALSE;
    }
  if ((connection = kl_azure_sim_find_connection (vault, connection_name)) != NULL)
    {
      kl_azure_sim_change_connection (self, vault, connection, "Pending", "");
      return TRUE;
    }

  connection = g_new0 (SimConnection, 1);
  connection->name = g_strdup (connection_name);
  connection->status = g_strdup ("Pending");
  connection->description = g_strdup ("");
  g_ptr_array_add (vault->connections, connection);
  return TRUE;
}

gboolean
kl_azure_sim_set_connection_status (KlAzureSim  *self,
                                    const char  *vault_name,
                                    const char  *connection_name,
                                    const char  *status,
                                    GError     **error)
{
  SimVault *vault;
  SimConnection *connection;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  kl_azure_sim_sync (self);
  if (!(vault = kl_azure_sim_find_vault (self, vault_name)) ||
      !(connection = kl_azure_sim_find_connection (vault, connection_name)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No connection %s on vault %s in the simulator", connection_name, vault_name);
      return FALSE;
    }
  if (strcmp (status, "Pending") != 0 && strcmp (status, "Approved") != 0 &&
      strcmp (status, "Rejected") != 0 && strcmp (status, "Disconnected") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s is not a connection status", status);
      return FALSE;
    }

  kl_azure_sim_change_connection (self, vault, connection, status, NULL);
  return TRUE;
}

const char *
kl_azure_sim_get_connection_status (KlAzureSim *self,
                                    const char *vault_name,
                                    const char *connection_name)
{
  SimVault *vault;
  SimConnection *connection;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);

  kl_azure_sim_sync (self);
  if (!(vault = kl_azure_sim_find_vault (self, vault_name)) ||
      !(connection = kl_azure_sim_find_connection (vault, connection_name)))
    return NULL;
  return connection->status;
}

gboolean
kl_azure_sim_add_fault (KlAzureSim  *self,
                        const char  *rule_json,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) stored = NULL;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);

  if (!json_parser_load_from_data (parser, rule_json, -1, error))
    return FALSE;
  stored = kl_sim_faults_add (self->faults, json_parser_get_root (parser), error);
  return stored != NULL;
}

JsonNode *
kl_azure_sim_add_fault_node (KlAzureSim  *self,
                             JsonNode    *rule,
                             GError     **error)
{
  return kl_sim_faults_add (self->faults, rule, error);
}

JsonNode *
kl_azure_sim_list_faults (KlAzureSim *self)
{
  return kl_sim_faults_list (self->faults);
}

void
kl_azure_sim_clear_faults (KlAzureSim *self)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));

  kl_sim_faults_clear (self->faults);
  release_stalled (self);
}

guint
kl_azure_sim_count_stalled (KlAzureSim *self)
{
  guint n = 0;
  GList *l;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), 0);

  for (l = self->pending; l != NULL; l = l->next)
    if (((Pending *) l->data)->source == NULL)
      n++;
  return n;
}

GPtrArray *
kl_azure_sim_dup_requests (KlAzureSim *self)
{
  GPtrArray *copy;
  guint i;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_azure_sim_request_free);
  for (i = 0; i < self->requests->len; i++)
    {
      KlAzureSimRequest *request = g_ptr_array_index (self->requests, i);
      KlAzureSimRequest *dup = g_memdup2 (request, sizeof *request);

      dup->method = g_strdup (request->method);
      dup->path = g_strdup (request->path);
      g_ptr_array_add (copy, dup);
    }
  return copy;
}

void
kl_azure_sim_clear_requests (KlAzureSim *self)
{
  g_return_if_fail (KL_IS_AZURE_SIM (self));
  g_ptr_array_set_size (self->requests, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* What to type                                                                                */

void
kl_azure_sim_values_free (KlAzureSimValues *values)
{
  if (values == NULL)
    return;

  g_free (values->environment);
  g_free (values->tenant_id);
  g_free (values->client_id);
  g_free (values->client_secret);
  g_free (values->subscription_id);
  g_free (values->resource_group);
  g_free (values->vault_name);
  g_free (values->key_name);
  g_free (values->key_version);
  g_free (values->key_identifier);
  g_free (values);
}

KlAzureSimValues *
kl_azure_sim_dup_values (KlAzureSim *self)
{
  KlAzureSimValues *values;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), NULL);

  values = g_new0 (KlAzureSimValues, 1);
  values->environment = g_strdup (self->cloud->environment);
  values->tenant_id = g_strdup (KL_AZURE_SIM_TENANT_ID);
  values->client_id = g_strdup (KL_AZURE_SIM_CLIENT_ID);
  values->client_secret = g_strdup (KL_AZURE_SIM_CLIENT_SECRET);
  values->subscription_id = g_strdup (KL_AZURE_SIM_SUBSCRIPTION_ID);
  values->resource_group = g_strdup (KL_AZURE_SIM_RESOURCE_GROUP);
  values->vault_name = g_strdup (KL_AZURE_SIM_VAULT_NAME);
  values->key_name = g_strdup (KL_AZURE_SIM_KEY_NAME);
  values->key_version = g_strdup (KL_AZURE_SIM_KEY_VERSION);
  values->key_identifier = g_strdup_printf ("https://%s.%s/keys/%s/%s", KL_AZURE_SIM_VAULT_NAME,
                                            self->cloud->key_vault_suffix,
                                            KL_AZURE_SIM_KEY_NAME, KL_AZURE_SIM_KEY_VERSION);
  return values;
}

gboolean
kl_azure_sim_add_world (KlAzureSim             *self,
                        const KlAzureSimValues *values,
                        GError                **error)
{
  const char * const rsa_ops[] = { "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign",
                                   "verify", NULL };
  const char *tenant;
  SimApp *app;
  SimKey *key;

  g_return_val_if_fail (KL_IS_AZURE_SIM (self), FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  if (values->tenant_id == NULL || values->client_id == NULL || values->subscription_id == NULL
      || values->resource_group == NULL || values->vault_name == NULL
      || values->key_name == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Every value but the secret and the key version is needed");
      return FALSE;
    }
  if (kl_azure_sim_find_vault (self, values->vault_name) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The simulator has a vault %s already",
                   values->vault_name);
      return FALSE;
    }

  if (kl_azure_sim_find_tenant (self, values->tenant_id) == NULL)
    g_ptr_array_add (self->home_tenants, g_ascii_strdown (values->tenant_id, -1));
  tenant = kl_azure_sim_find_tenant (self, values->tenant_id);

  app = kl_azure_sim_find_app (self, values->client_id);
  if (app == NULL)
    {
      g_autofree char *placeholder = g_uuid_string_random ();

      kl_azure_sim_add_app (self, values->client_id,
                            values->client_secret != NULL ? values->client_secret : placeholder,
                            KL_AZURE_SIM_ROLE_ALL);
      app = kl_azure_sim_find_app (self, values->client_id);
    }
  else if (values->client_secret != NULL)
    kl_azure_sim_set_app_secret (self, values->client_id, values->client_secret);
  app->any_secret = values->client_secret == NULL;

  if (kl_azure_sim_find_subscription (self, values->subscription_id) == NULL)
    {
      kl_azure_sim_add_subscription (self, values->subscription_id, tenant);
      kl_azure_sim_set_provider_state (self, values->subscription_id, "Microsoft.Network",
                                       "Registered");
    }
  kl_azure_sim_add_resource_group (self, values->subscription_id, values->resource_group);
  kl_azure_sim_add_vault (self, values->subscription_id, values->resource_group,
                          values->vault_name);
  kl_azure_sim_set_vault_tenant (self, values->vault_name, tenant);
  kl_azure_sim_add_key (self, values->vault_name, values->key_name, "RSA", rsa_ops, TRUE,
                        g_get_real_time () / G_USEC_PER_SEC + 365 * 24 * 3600, 0);
  if (values->key_version != NULL
      && (key = kl_azure_sim_find_key (kl_azure_sim_find_vault (self, values->vault_name),
                                       values->key_name)) != NULL)
    {
      g_free (key->version);
      key->version = g_ascii_strdown (values->key_version, -1);
    }
  return TRUE;
}
