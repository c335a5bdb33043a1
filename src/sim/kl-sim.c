/* kl-sim.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sim"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-sim.h"
#include "kl-sim-auth.h"
#include "kl-sim-azure.h"
#include "kl-sim-faults.h"
#include "kl-sim-json.h"
#include "kl-sim-world.h"

#define API_PREFIX     "/api/atlas/v2/"
#define CONTROL_PREFIX "/__sim/"
#define MAX_ITEMS_PER_PAGE 500

struct _KlSim
{
  GObject       parent_instance;

  KlSimWorld   *world;
  KlSimAuth    *auth;
  KlSimFaults  *faults;

  SoupServer   *server;
  GMainContext *context;
  char         *base_url;
  gint64        started_at;
  guint         latency_ms;

  GPtrArray    *requests;   /* KlSimRequest */
  GList        *pending;    /* Pending: paused messages */

  KlSimAzureLink *azure_link; /* nullable */
};

G_DEFINE_FINAL_TYPE (KlSim, kl_sim, G_TYPE_OBJECT)

G_DEFINE_QUARK (kl-sim-error-quark, kl_sim_error)

/* A request held back by latency, a stall or a dropped connection. */
typedef struct
{
  KlSim              *self;
  SoupServerMessage  *msg;
  KlSimFaultDecision  decision;
  GSource            *source;     /* NULL while stalled */
} Pending;

/* Attached to every message when its request has been read. */
typedef struct
{
  gint64   start;
  gboolean logged;
} RequestInfo;

typedef enum
{
  ROUTE_NONE,
  ROUTE_GROUPS,
  ROUTE_GROUP,
  ROUTE_EAR,
  ROUTE_ENDPOINTS,
  ROUTE_ENDPOINT,
  ROUTE_CLUSTERS,
  ROUTE_CLUSTER,
  ROUTE_FLEX_CLUSTERS,
  ROUTE_FLEX_CLUSTER,
} Route;

typedef struct
{
  Route  route;
  char  *group_id;
  char  *second;   /* cloud provider or cluster name */
  char  *third;    /* endpoint id */
} RouteMatch;

void
kl_sim_request_free (KlSimRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request);
}

static KlSimRequest *
request_copy (const KlSimRequest *request)
{
  KlSimRequest *copy = g_memdup2 (request, sizeof *request);

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->query = g_strdup (request->query);
  return copy;
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

static void
kl_sim_finalize (GObject *object)
{
  KlSim *self = (KlSim *) object;

  kl_sim_stop (self);
  g_clear_pointer (&self->azure_link, kl_sim_azure_link_free);
  kl_sim_world_free (self->world);
  kl_sim_auth_free (self->auth);
  kl_sim_faults_free (self->faults);
  g_ptr_array_unref (self->requests);

  G_OBJECT_CLASS (kl_sim_parent_class)->finalize (object);
}

static void
kl_sim_class_init (KlSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_sim_finalize;
}

static void
kl_sim_init (KlSim *self)
{
  self->world = kl_sim_world_new (1);
  self->auth = kl_sim_auth_new ();
  self->faults = kl_sim_faults_new (1);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_sim_request_free);
}

/* Responses */

static char *
node_to_string (JsonNode *node,
                gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              JsonNode          *node,
              gboolean           pretty)
{
  g_autofree char *body = node_to_string (node, pretty);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), strlen (body));
}

static JsonNode *
failure_to_json (const KlSimFailure *failure)
{
  JsonObject *object = json_object_new ();
  const char *reason = soup_status_get_phrase (failure->status);

  json_object_set_string_member (object, "detail", failure->detail);
  json_object_set_int_member (object, "error", failure->status);
  json_object_set_string_member (object, "errorCode", failure->error_code);
  json_object_set_member (object, "parameters", json_node_copy (failure->parameters));
  json_object_set_string_member (object, "reason", reason ? reason : "Error");
  return kl_sim_json_object_node (object);
}

static void
respond_failure (SoupServerMessage  *msg,
                 const KlSimFailure *failure,
                 gboolean            pretty)
{
  g_autoptr(JsonNode) node = failure_to_json (failure);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Error-Code",
                                failure->error_code);
  respond_json (msg, failure->status, "application/json", node, pretty);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *error_code,
               JsonNode          *parameters,
               const char        *detail)
{
  g_autoptr(KlSimFailure) failure = kl_sim_failure_new (status, error_code, parameters, "%s",
                                                        detail);

  respond_failure (msg, failure, FALSE);
}

/* Request log */

static gint64
since_start (KlSim *self)
{
  return g_get_monotonic_time () - self->started_at;
}

static void
log_request (KlSim             *self,
             SoupServerMessage *msg,
             guint              status)
{
  RequestInfo *info = g_object_get_data (G_OBJECT (msg), "kl-sim-request");
  GUri *uri = soup_server_message_get_uri (msg);
  KlSimRequest *request;

  if (info == NULL || info->logged || uri == NULL
      || g_str_has_prefix (g_uri_get_path (uri), CONTROL_PREFIX))
    return;
  info->logged = TRUE;

  request = g_new0 (KlSimRequest, 1);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->status = status;
  request->start_us = info->start;
  request->end_us = since_start (self);
  g_ptr_array_add (self->requests, request);
}

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 KlSim             *self)
{
  RequestInfo *info = g_new0 (RequestInfo, 1);

  info->start = since_start (self);
  g_object_set_data_full (G_OBJECT (msg), "kl-sim-request", info, g_free);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     KlSim             *self)
{
  log_request (self, msg, soup_server_message_get_status (msg));
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    KlSim             *self)
{
  log_request (self, msg, 0);
}

/* Routing and validation of /api/atlas/v2 requests */

static void
route_match_clear (RouteMatch *match)
{
  g_clear_pointer (&match->group_id, g_free);
  g_clear_pointer (&match->second, g_free);
  g_clear_pointer (&match->third, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RouteMatch, route_match_clear)

static void
match_route (const char *path,
             RouteMatch *match)
{
  g_auto(GStrv) segments = NULL;
  guint n;

  memset (match, 0, sizeof *match);
  segments = g_strsplit (path + strlen (API_PREFIX), "/", -1);
  n = g_strv_length (segments);
  for (guint i = 0; i < n; i++)
    if (segments[i][0] == '\0')
      return;
  if (n < 1 || g_strcmp0 (segments[0], "groups") != 0)
    return;
  if (n == 1)
    {
      match->route = ROUTE_GROUPS;
      return;
    }
  match->group_id = g_uri_unescape_string (segments[1], NULL);
  if (match->group_id == NULL)
    return;
  if (n == 2)
    match->route = ROUTE_GROUP;
  else if (n == 3 && g_strcmp0 (segments[2], "encryptionAtRest") == 0)
    match->route = ROUTE_EAR;
  else if (n >= 5 && n <= 6 && g_strcmp0 (segments[2], "encryptionAtRest") == 0
           && g_strcmp0 (segments[4], "privateEndpoints") == 0)
    {
      match->second = g_uri_unescape_string (segments[3], NULL);
      match->third = n == 6 ? g_uri_unescape_string (segments[5], NULL) : NULL;
      match->route = n == 5 ? ROUTE_ENDPOINTS : ROUTE_ENDPOINT;
    }
  else if (n >= 3 && n <= 4 && g_strcmp0 (segments[2], "clusters") == 0)
    {
      match->second = n == 4 ? g_uri_unescape_string (segments[3], NULL) : NULL;
      match->route = n == 3 ? ROUTE_CLUSTERS : ROUTE_CLUSTER;
    }
  else if (n >= 3 && n <= 4 && g_strcmp0 (segments[2], "flexClusters") == 0)
    {
      match->second = n == 4 ? g_uri_unescape_string (segments[3], NULL) : NULL;
      match->route = n == 3 ? ROUTE_FLEX_CLUSTERS : ROUTE_FLEX_CLUSTER;
    }
  if ((match->route == ROUTE_ENDPOINTS || match->route == ROUTE_CLUSTER
       || match->route == ROUTE_FLEX_CLUSTER) && match->second == NULL)
    match->route = ROUTE_NONE;
  if (match->route == ROUTE_ENDPOINT && (match->second == NULL || match->third == NULL))
    match->route = ROUTE_NONE;
}

/* The version each path and method answers with (HACKING.md, API, media types and errors).
 * Strict: only these. */
static const char *
route_version (Route       route,
               const char *method,
               gboolean   *allowed)
{
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean patch = g_strcmp0 (method, "PATCH") == 0;
  gboolean post = g_strcmp0 (method, SOUP_METHOD_POST) == 0;
  gboolean del = g_strcmp0 (method, SOUP_METHOD_DELETE) == 0;

  switch (route)
    {
    case ROUTE_GROUPS:
    case ROUTE_GROUP:
      *allowed = get;
      return "2023-01-01";
    case ROUTE_EAR:
      *allowed = get || patch;
      return "2023-01-01";
    case ROUTE_ENDPOINTS:
      *allowed = get || post;
      return "2023-01-01";
    case ROUTE_ENDPOINT:
      *allowed = get || del;
      return "2023-01-01";
    case ROUTE_CLUSTERS:
      *allowed = get;
      return "2024-08-05";
    case ROUTE_CLUSTER:
      *allowed = get || patch;
      return patch ? "2024-10-23" : "2024-08-05";
    case ROUTE_FLEX_CLUSTERS:
    case ROUTE_FLEX_CLUSTER:
      *allowed = get;
      return "2024-11-13";
    case ROUTE_NONE:
    default:
      *allowed = FALSE;
      return NULL;
    }
}

static const char *
route_allow_header (Route route)
{
  switch (route)
    {
    case ROUTE_EAR:
    case ROUTE_CLUSTER:
      return "GET, PATCH";
    case ROUTE_ENDPOINTS:
      return "GET, POST";
    case ROUTE_ENDPOINT:
      return "GET, DELETE";
    case ROUTE_GROUPS:
    case ROUTE_GROUP:
    case ROUTE_CLUSTERS:
    case ROUTE_FLEX_CLUSTERS:
    case ROUTE_FLEX_CLUSTER:
    case ROUTE_NONE:
    default:
      return "GET";
    }
}

static gboolean
accept_has_type (SoupServerMessage *msg,
                 const char        *wanted,
                 char             **first_vendor)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_list (headers, "Accept");
  g_auto(GStrv) types = NULL;

  *first_vendor = NULL;
  if (accept == NULL)
    return FALSE;
  types = g_strsplit (accept, ",", -1);
  for (guint i = 0; types[i] != NULL; i++)
    {
      char *semicolon = strchr (types[i], ';');
      const char *type;

      if (semicolon != NULL)
        *semicolon = '\0';
      type = g_strstrip (types[i]);
      if (wanted != NULL && g_ascii_strcasecmp (type, wanted) == 0)
        return TRUE;
      if (*first_vendor == NULL && g_str_has_prefix (type, "application/vnd.atlas."))
        *first_vendor = g_strdup (type);
    }
  return FALSE;
}

static gboolean
parse_boolean_param (GHashTable  *query,
                     const char  *name,
                     gboolean     fallback,
                     gboolean    *value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;

  *value = fallback;
  if (text == NULL)
    return TRUE;
  if (g_strcmp0 (text, "true") == 0)
    *value = TRUE;
  else if (g_strcmp0 (text, "false") == 0)
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_int_param (GHashTable *query,
                 const char *name,
                 gint64      min,
                 gint64      max,
                 gint64      fallback,
                 gint64     *value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;

  *value = fallback;
  if (text == NULL)
    return TRUE;
  return g_ascii_string_to_signed (text, 10, min, max, value, NULL);
}

static gboolean
invalid_param (SoupServerMessage *msg,
               const char        *name,
               const char        *detail)
{
  JsonArray *params = json_array_new ();

  json_array_add_string_element (params, name);
  respond_error (msg, 400, "INVALID_QUERY_PARAMETER",
                 kl_sim_json_array_node (params), detail);
  return FALSE;
}

/* Unknown parameters and envelope=true are refused (strict). */
static gboolean
check_query (SoupServerMessage *msg,
             GHashTable        *query,
             Route              route,
             const char        *method)
{
  static const char *const common[] = { "envelope", "pretty", NULL };
  static const char *const paging[] = { "includeCount", "itemsPerPage", "pageNum", NULL };
  gboolean list = g_strcmp0 (method, SOUP_METHOD_GET) == 0
                  && (route == ROUTE_GROUPS || route == ROUTE_ENDPOINTS || route == ROUTE_CLUSTERS
                      || route == ROUTE_FLEX_CLUSTERS);
  GHashTableIter iter;
  const char *name;
  gboolean flag;
  gint64 number;

  if (query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      gboolean known = g_strv_contains (common, name)
                       || (list && g_strv_contains (paging, name))
                       || (route == ROUTE_CLUSTERS
                           && g_strcmp0 (name, "includeDeletedWithRetainedBackups") == 0);

      if (!known)
        {
          g_autofree char *detail = g_strdup_printf ("Invalid query parameter %s specified.",
                                                     name);
          return invalid_param (msg, name, detail);
        }
    }

  if (!parse_boolean_param (query, "pretty", FALSE, &flag))
    return invalid_param (msg, "pretty", "pretty must be true or false.");
  if (!parse_boolean_param (query, "envelope", FALSE, &flag))
    return invalid_param (msg, "envelope", "envelope must be true or false.");
  if (flag)
    return invalid_param (msg, "envelope", "The simulator does not support envelope=true.");
  if (!parse_boolean_param (query, "includeCount", TRUE, &flag))
    return invalid_param (msg, "includeCount", "includeCount must be true or false.");
  if (!parse_boolean_param (query, "includeDeletedWithRetainedBackups", FALSE, &flag))
    return invalid_param (msg, "includeDeletedWithRetainedBackups",
                          "includeDeletedWithRetainedBackups must be true or false.");
  if (!parse_int_param (query, "itemsPerPage", 1, MAX_ITEMS_PER_PAGE, 100, &number))
    return invalid_param (msg, "itemsPerPage", "itemsPerPage must be an integer from 1 to 500.");
  if (!parse_int_param (query, "pageNum", 1, G_MAXINT32, 1, &number))
    return invalid_param (msg, "pageNum", "pageNum must be an integer from 1.");
  return TRUE;
}

static JsonNode *
page_link (const char *base_url,
           const char *path,
           gint64      page,
           gint64      items,
           const char *rel)
{
  JsonObject *link = json_object_new ();
  g_autofree char *href = g_strdup_printf ("%s%s?pageNum=%" G_GINT64_FORMAT "&itemsPerPage=%"
                                           G_GINT64_FORMAT, base_url, path, page, items);

  json_object_set_string_member (link, "href", href);
  json_object_set_string_member (link, "rel", rel);
  return kl_sim_json_object_node (link);
}

/* {links, results, totalCount} for one page of @items (a JSON array). */
static JsonNode *
paginate (KlSim      *self,
          const char *path,
          GHashTable *query,
          JsonNode   *items)
{
  JsonArray *all = json_node_get_array (items);
  JsonObject *object = json_object_new ();
  JsonArray *links = json_array_new ();
  JsonArray *results = json_array_new ();
  gint64 total = json_array_get_length (all);
  gint64 page;
  gint64 per_page;
  gboolean include_count;

  parse_int_param (query, "pageNum", 1, G_MAXINT32, 1, &page);
  parse_int_param (query, "itemsPerPage", 1, MAX_ITEMS_PER_PAGE, 100, &per_page);
  parse_boolean_param (query, "includeCount", TRUE, &include_count);

  for (gint64 i = (page - 1) * per_page; i < total && i < page * per_page; i++)
    json_array_add_element (results, json_node_copy (json_array_get_element (all, i)));

  if (page > 1)
    json_array_add_element (links, page_link (self->base_url, path, page - 1, per_page,
                                              "previous"));
  json_array_add_element (links, page_link (self->base_url, path, page, per_page, "self"));
  if (page * per_page < total)
    json_array_add_element (links, page_link (self->base_url, path, page + 1, per_page, "next"));

  json_object_set_array_member (object, "links", links);
  json_object_set_array_member (object, "results", results);
  if (include_count)
    json_object_set_int_member (object, "totalCount", total);
  return kl_sim_json_object_node (object);
}

/* Parses the JSON body of a PATCH or POST: Content-Type must be the vendor type. */
static JsonNode *
read_json_body (SoupServerMessage *msg,
                const char        *media_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (content_type == NULL || g_ascii_strcasecmp (content_type, media_type) != 0)
    {
      g_autofree char *detail = NULL;

      detail = g_strdup_printf ("The request body must be sent with Content-Type %s, not %s.",
                                media_type, content_type ? content_type : "(none)");
      /* sim-chosen code: the spec names none for this case. */
      respond_error (msg, 400, "INVALID_CONTENT_TYPE", NULL, detail);
      return NULL;
    }
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (bytes) == 0
      || !kl_sim_json_depth_is_safe (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), &error))
    {
      respond_error (msg, 400, "INVALID_JSON", NULL,
                     "Received JSON does not match expected format: the body is not valid "
                     "JSON.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static void
respond_unauthorized (KlSim             *self,
                      SoupServerMessage *msg,
                      gboolean           stale)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  /* As recorded (README-errors.md): no errorCode and no X-Error-Code header; pretty-printed. */
  json_object_set_int_member (object, "error", 401);
  json_object_set_string_member (object, "reason", "Unauthorized");
  json_object_set_string_member (object, "detail", "You are not authorized for this resource.");
  node = kl_sim_json_object_node (object);
  kl_sim_auth_challenge (self->auth, msg, stale);
  respond_json (msg, 401, "application/json", node, TRUE);
}

static void
handle_api (KlSim             *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(RouteMatch) match = { 0, };
  g_autoptr(KlSimFailure) failure = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *media_type = NULL;
  g_autofree char *first_vendor = NULL;
  g_autofree char *content_type = NULL;
  const char *version;
  KlSimAuthResult auth;
  gboolean allowed;
  gboolean pretty;
  guint status = SOUP_STATUS_OK;

  auth = kl_sim_auth_check (self->auth, msg);
  if (auth != KL_SIM_AUTH_OK)
    {
      respond_unauthorized (self, msg, auth == KL_SIM_AUTH_STALE);
      return;
    }

  match_route (path, &match);
  version = route_version (match.route, method, &allowed);
  if (version == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("Cannot find resource %s.", path);

      respond_error (msg, 404, "RESOURCE_NOT_FOUND", NULL, detail);
      return;
    }
  if (!allowed)
    {
      g_autofree char *detail = g_strdup_printf ("Method %s is not allowed on %s.", method, path);

      /* sim-chosen code */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    route_allow_header (match.route));
      respond_error (msg, 405, "METHOD_NOT_ALLOWED", NULL, detail);
      return;
    }

  media_type = g_strdup_printf ("application/vnd.atlas.%s+json", version);
  if (!accept_has_type (msg, media_type, &first_vendor))
    {
      g_autofree char *detail = NULL;

      if (first_vendor != NULL)
        detail = g_strdup_printf ("Invalid version date: %s is not a version of %s %s.",
                                  first_vendor, method, path);
      else
        detail = g_strdup_printf ("Invalid version date: send Accept: application/vnd.atlas."
                                  "YYYY-MM-DD+json with a version of %s %s.", method, path);
      respond_error (msg, 406, "INVALID_VERSION_DATE", NULL, detail);
      return;
    }
  if (!check_query (msg, query, match.route, method))
    return;
  parse_boolean_param (query, "pretty", FALSE, &pretty);

  if (g_strcmp0 (method, "PATCH") == 0 || g_strcmp0 (method, SOUP_METHOD_POST) == 0)
    {
      body = read_json_body (msg, media_type);
      if (body == NULL)
        return;
    }

  switch (match.route)
    {
    case ROUTE_GROUPS:
      {
        g_autoptr(JsonNode) all = kl_sim_world_list_groups (self->world);

        result = paginate (self, path, query, all);
      }
      break;

    case ROUTE_GROUP:
      result = kl_sim_world_get_group (self->world, match.group_id, &failure);
      break;

    case ROUTE_EAR:
      if (body != NULL)
        result = kl_sim_world_patch_ear (self->world, match.group_id, body, &failure);
      else
        result = kl_sim_world_get_ear (self->world, match.group_id, &failure);
      break;

    case ROUTE_ENDPOINTS:
      if (body != NULL)
        {
          result = kl_sim_world_create_endpoint (self->world, match.group_id, match.second, body,
                                                 &failure);
          status = SOUP_STATUS_ACCEPTED;
        }
      else
        {
          g_autoptr(JsonNode) all = kl_sim_world_list_endpoints (self->world, match.group_id,
                                                                 match.second, &failure);

          if (all != NULL)
            result = paginate (self, path, query, all);
        }
      break;

    case ROUTE_ENDPOINT:
      if (g_strcmp0 (method, SOUP_METHOD_DELETE) == 0)
        {
          if (kl_sim_world_delete_endpoint (self->world, match.group_id, match.second,
                                            match.third, &failure))
            {
              soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
              return;
            }
        }
      else
        {
          result = kl_sim_world_get_endpoint (self->world, match.group_id, match.second,
                                              match.third, &failure);
        }
      break;

    case ROUTE_CLUSTERS:
      {
        g_autoptr(JsonNode) all = kl_sim_world_list_clusters (self->world, match.group_id,
                                                              &failure);

        if (all != NULL)
          result = paginate (self, path, query, all);
      }
      break;

    case ROUTE_CLUSTER:
      if (body != NULL)
        result = kl_sim_world_patch_cluster (self->world, match.group_id, match.second, body,
                                             &failure);
      else
        result = kl_sim_world_get_cluster (self->world, match.group_id, match.second, &failure);
      break;

    case ROUTE_FLEX_CLUSTERS:
      {
        g_autoptr(JsonNode) all = kl_sim_world_list_flex_clusters (self->world, match.group_id,
                                                                   &failure);

        if (all != NULL)
          result = paginate (self, path, query, all);
      }
      break;

    case ROUTE_FLEX_CLUSTER:
      result = kl_sim_world_get_flex_cluster (self->world, match.group_id, match.second,
                                              &failure);
      break;

    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }

  if (failure != NULL)
    {
      respond_failure (msg, failure, pretty);
      return;
    }
  g_assert (result != NULL);
  content_type = g_strconcat (media_type, ";charset=utf-8", NULL);
  respond_json (msg, status, content_type, result, pretty);
}

/* Everything under /api/ (auth, the Admin API), faults aside. */
static void
handle_request (KlSim             *self,
                SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GHashTable) query = NULL;

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));

  if (g_strcmp0 (path, "/api/oauth/token") == 0 || g_strcmp0 (path, "/api/oauth/revoke") == 0)
    {
      if (g_strcmp0 (method, SOUP_METHOD_POST) != 0)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        "POST");
          respond_error (msg, 405, "METHOD_NOT_ALLOWED", NULL, "Use POST.");
        }
      else if (g_str_has_suffix (path, "/token"))
        kl_sim_auth_handle_token (self->auth, msg);
      else
        kl_sim_auth_handle_revoke (self->auth, msg);
      return;
    }

  if (!g_str_has_prefix (path, API_PREFIX))
    {
      g_autofree char *detail = g_strdup_printf ("Cannot find resource %s.", path);

      respond_error (msg, 404, "RESOURCE_NOT_FOUND", NULL, detail);
      return;
    }

  handle_api (self, msg, path, query);
}

/* Faults */

static void
respond_malformed (SoupServerMessage *msg,
                   gboolean           after_processing)
{
  static const char truncated[] = "{\"results\": [{\"id\": \"65f0";
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *vendor = NULL;
  g_autofree char *content_type = NULL;

  if (after_processing && body->length > 1)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize half = g_bytes_get_size (bytes) / 2;

      soup_message_body_truncate (body);
      soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL), half);
      return;
    }

  /* Labelled as what the client asked for, so that only the JSON parser can notice. */
  accept_has_type (msg, NULL, &vendor);
  content_type = vendor ? g_strconcat (vendor, ";charset=utf-8", NULL)
                        : g_strdup ("application/json");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, truncated,
                                    strlen (truncated));
}

static void
respond_injected_status (SoupServerMessage        *msg,
                         const KlSimFaultDecision *decision)
{
  g_autofree char *detail = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_clear (headers);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  if (decision->kind == KL_SIM_FAULT_RETRY_AFTER)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", decision->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
      detail = g_strdup_printf ("Too many requests: retry after %u seconds.",
                                decision->retry_after);
    }
  else
    {
      detail = g_strdup_printf ("Injected fault: %u %s.", decision->status,
                                soup_status_get_phrase (decision->status)
                                ? soup_status_get_phrase (decision->status) : "");
    }
  respond_error (msg, decision->status, decision->error_code, NULL, detail);
}

/* Padding of a "body" fault, written 64 KiB at a time as the client reads: a huge answer
 * never sits in the simulator's memory. */
#define PAD_CHUNK_BYTES (64 * 1024)

typedef struct
{
  GBytes  *spaces;     /* PAD_CHUNK_BYTES spaces */
  guint64  remaining;
} Padding;

static void
padding_free (gpointer  data,
              GClosure *closure)
{
  Padding *padding = data;

  g_bytes_unref (padding->spaces);
  g_free (padding);
}

static void
padding_append (SoupServerMessage *msg,
                Padding           *padding)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize size = (gsize) MIN (padding->remaining, (guint64) PAD_CHUNK_BYTES);
  g_autoptr(GBytes) chunk = NULL;

  if (size == 0)
    return;
  chunk = g_bytes_new_from_bytes (padding->spaces, 0, size);
  soup_message_body_append_bytes (body, chunk);
  padding->remaining -= size;
  /* The end of a chunked answer. */
  if (padding->remaining == 0)
    soup_message_body_complete (body);
}

static void
padding_wrote_chunk_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  padding_append (msg, user_data);
}

/* A "body" fault: the rule's text, then its padding, as status and type it says. */
static void
respond_body (SoupServerMessage        *msg,
              const KlSimFaultDecision *decision)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *vendor = NULL;
  g_autofree char *content_type = NULL;
  gsize length = g_bytes_get_size (decision->body);

  soup_message_headers_clear (headers);
  soup_message_body_truncate (body);

  accept_has_type (msg, NULL, &vendor);
  if (decision->content_type != NULL)
    content_type = g_strdup (decision->content_type);
  else
    content_type = vendor ? g_strconcat (vendor, ";charset=utf-8", NULL)
                          : g_strdup ("application/json");

  for (guint i = 0; decision->headers != NULL && decision->headers[i] != NULL
                    && decision->headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (headers, decision->headers[i], decision->headers[i + 1]);

  soup_server_message_set_status (msg, decision->status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (decision->body, NULL), length);
  if (decision->chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers, (goffset) length + decision->pad_bytes);

  if (decision->pad_bytes > 0)
    {
      Padding *padding = g_new0 (Padding, 1);
      char *spaces = g_malloc (PAD_CHUNK_BYTES);

      memset (spaces, ' ', PAD_CHUNK_BYTES);
      padding->spaces = g_bytes_new_take (spaces, PAD_CHUNK_BYTES);
      padding->remaining = decision->pad_bytes;
      /* What was written is dropped: memory stays at one chunk. */
      soup_message_body_set_accumulate (body, FALSE);
      padding_append (msg, padding);
      g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (padding_wrote_chunk_cb), padding,
                             padding_free, 0);
    }
  else if (decision->chunked)
    {
      soup_message_body_complete (body);
    }
}

/* A "lying_pages" fault: the real page of a list, with a "next" link whatever the page, and
 * the rule's totalCount when it has one. Anything but a 2xx page is left alone. */
static void
respond_lying_page (KlSim                    *self,
                    SoupServerMessage        *msg,
                    const KlSimFaultDecision *decision)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;
  JsonObject *object;
  JsonArray *links;
  JsonArray *kept;
  JsonNode *root;
  gint64 page;
  gint64 per_page;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (msg)))
    return;
  bytes = soup_message_body_flatten (body);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "results")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "links")))
    return;

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  parse_int_param (query, "pageNum", 1, G_MAXINT32, 1, &page);
  parse_int_param (query, "itemsPerPage", 1, MAX_ITEMS_PER_PAGE, 100, &per_page);

  links = json_object_get_array_member (object, "links");
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonNode *link = json_array_get_element (links, i);

      if (!JSON_NODE_HOLDS_OBJECT (link)
          || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (link),
                                                                    "rel", NULL), "next") != 0)
        json_array_add_element (kept, json_node_copy (link));
    }
  json_array_add_element (kept, page_link (self->base_url, g_uri_get_path (uri),
                                           MIN (page + 1, G_MAXINT32), per_page, "next"));
  json_object_set_array_member (object, "links", kept);
  if (decision->total_count >= 0)
    json_object_set_int_member (object, "totalCount", decision->total_count);

  /* soup_server_message_set_response() appends. */
  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  soup_message_body_truncate (body);
  respond_json (msg, soup_server_message_get_status (msg), content_type, root, FALSE);
}

static void
drop_connection (KlSim             *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;

  log_request (self, msg, 0);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* Returns FALSE when the connection was dropped (@msg must not be unpaused). */
static gboolean
apply_fault (KlSim                    *self,
             SoupServerMessage        *msg,
             const KlSimFaultDecision *decision)
{
  switch (decision->kind)
    {
    case KL_SIM_FAULT_STATUS:
    case KL_SIM_FAULT_RETRY_AFTER:
      respond_injected_status (msg, decision);
      return TRUE;
    case KL_SIM_FAULT_MALFORMED:
      respond_malformed (msg, decision->after_processing);
      return TRUE;
    case KL_SIM_FAULT_DROP:
      drop_connection (self, msg);
      return FALSE;
    case KL_SIM_FAULT_BODY:
      respond_body (msg, decision);
      return TRUE;
    case KL_SIM_FAULT_LYING_PAGES:
      respond_lying_page (self, msg, decision);
      return TRUE;
    case KL_SIM_FAULT_NONE:
    case KL_SIM_FAULT_LATENCY:
    case KL_SIM_FAULT_STALL:
    default:
      return TRUE;
    }
}

static gboolean
is_terminal (const KlSimFaultDecision *decision)
{
  return decision->kind != KL_SIM_FAULT_NONE && decision->kind != KL_SIM_FAULT_LATENCY;
}

/* Handles @msg as its fault decision says. Returns FALSE if the connection was dropped. */
static gboolean
run_request (KlSim                    *self,
             SoupServerMessage        *msg,
             const KlSimFaultDecision *decision)
{
  if (is_terminal (decision) && !decision->after_processing)
    return apply_fault (self, msg, decision);
  handle_request (self, msg);
  if (is_terminal (decision))
    return apply_fault (self, msg, decision);
  return TRUE;
}

/* Stalled requests wait for the faults to be cleared (or for the simulator to stop). */
static void
release_stalled (KlSim *self)
{
  GList *stalled = NULL;

  for (GList *l = self->pending; l != NULL;)
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
  for (GList *l = stalled; l != NULL; l = l->next)
    {
      Pending *pending = l->data;
      KlSimFaultDecision none = { 0, };

      none.kind = KL_SIM_FAULT_NONE;
      /* A stall after processing holds an answer that is ready: it only goes out now. */
      if (pending->decision.after_processing || run_request (self, pending->msg, &none))
        soup_server_message_unpause (pending->msg);
      pending_free (pending);
    }
  g_list_free (stalled);
}

static gboolean
pending_ready_cb (gpointer user_data)
{
  Pending *pending = user_data;
  KlSim *self = pending->self;

  self->pending = g_list_remove (self->pending, pending);
  g_clear_pointer (&pending->source, g_source_unref);
  if (run_request (self, pending->msg, &pending->decision))
    soup_server_message_unpause (pending->msg);
  pending_free (pending);
  return G_SOURCE_REMOVE;
}

static void
process_request (KlSim                    *self,
                 SoupServerMessage        *msg,
                 const KlSimFaultDecision *decision)
{
  guint delay = self->latency_ms + decision->latency_ms;
  Pending *pending;

  if (delay == 0 && decision->kind != KL_SIM_FAULT_DROP && decision->kind != KL_SIM_FAULT_STALL)
    {
      run_request (self, msg, decision);
      return;
    }

  /* A stall after processing: the request takes effect now, its answer waits (the PATCH
   * that Atlas applied while the client never saw the answer). */
  if (decision->kind == KL_SIM_FAULT_STALL && decision->after_processing)
    handle_request (self, msg);

  /* Never block the main loop: hold the message and come back to it. */
  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->msg = g_object_ref (msg);
  kl_sim_fault_decision_copy (decision, &pending->decision);
  soup_server_message_pause (msg);
  if (decision->kind != KL_SIM_FAULT_STALL)
    {
      pending->source = g_timeout_source_new (delay);
      g_source_set_callback (pending->source, pending_ready_cb, pending, NULL);
      g_source_attach (pending->source, self->context);
    }
  self->pending = g_list_prepend (self->pending, pending);
}

/* The control API, /__sim/ (no auth) */

static JsonNode *
read_control_body (SoupServerMessage *msg,
                   gboolean           required)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (g_bytes_get_size (bytes) == 0)
    {
      if (!required)
        return kl_sim_json_object_node (json_object_new ());
      respond_error (msg, 400, "SIM_INVALID_REQUEST", NULL, "A JSON object body is required.");
      return NULL;
    }
  if (!kl_sim_json_depth_is_safe (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, 400, "SIM_INVALID_REQUEST", NULL, "The body must be a JSON object.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
read_number_member (SoupServerMessage *msg,
                    JsonNode          *body,
                    const char        *name,
                    double             min,
                    double             max,
                    double            *value)
{
  JsonNode *node = json_object_get_member (json_node_get_object (body), name);
  GType type = node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : 0;

  if ((type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
      && json_node_get_double (node) >= min && json_node_get_double (node) <= max)
    {
      *value = json_node_get_double (node);
      return TRUE;
    }
  {
    g_autofree char *detail = g_strdup_printf ("“%s” must be a number from %g to %g.", name, min,
                                               max);

    respond_error (msg, 400, "SIM_INVALID_REQUEST", NULL, detail);
  }
  return FALSE;
}

static void
respond_control (SoupServerMessage *msg,
                 guint              status,
                 JsonNode          *node)
{
  if (node == NULL)
    {
      soup_server_message_set_status (msg, status, NULL);
      return;
    }
  respond_json (msg, status, "application/json", node, FALSE);
}

static JsonNode *
settings_view (KlSim *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_double_member (object, "timeScale", kl_sim_world_get_time_scale (self->world));
  json_object_set_int_member (object, "latencyMs", self->latency_ms);
  json_object_set_double_member (object, "simulatedSeconds",
                                 (double) kl_sim_world_now (self->world) / G_USEC_PER_SEC);
  json_object_set_double_member (object, "clusterPropagationSeconds",
                                 kl_sim_world_get_cluster_propagation (self->world));
  return kl_sim_json_object_node (object);
}

static JsonNode *
requests_view (KlSim *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < self->requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (self->requests, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "method", request->method);
      json_object_set_string_member (entry, "path", request->path);
      if (request->query != NULL)
        json_object_set_string_member (entry, "query", request->query);
      else
        json_object_set_null_member (entry, "query");
      json_object_set_int_member (entry, "status", request->status);
      json_object_set_int_member (entry, "startUs", request->start_us);
      json_object_set_int_member (entry, "endUs", request->end_us);
      json_array_add_object_element (array, entry);
    }
  json_object_set_array_member (object, "requests", array);
  return kl_sim_json_object_node (object);
}

static gboolean
parse_azure_action (const char       *name,
                    KlSimAzureAction *action)
{
  static const struct
  {
    const char       *name;
    KlSimAzureAction  action;
  } actions[] = {
    { "approve", KL_SIM_AZURE_APPROVE },
    { "reject", KL_SIM_AZURE_REJECT },
    { "remove", KL_SIM_AZURE_REMOVE },
    { "fail", KL_SIM_AZURE_FAIL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_strcmp0 (actions[i].name, name) == 0)
      {
        *action = actions[i].action;
        return TRUE;
      }
  return FALSE;
}

static void
handle_control (KlSim             *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean post = g_strcmp0 (method, SOUP_METHOD_POST) == 0;
  gboolean del = g_strcmp0 (method, SOUP_METHOD_DELETE) == 0;
  g_auto(GStrv) segments = g_strsplit (path + strlen (CONTROL_PREFIX), "/", -1);
  guint n = g_strv_length (segments);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(KlSimFailure) failure = NULL;
  KlSimAzureAction action;
  double number;

  if (n == 1 && g_strcmp0 (segments[0], "faults") == 0 && (get || post || del))
    {
      g_autoptr(GError) error = NULL;

      if (get)
        {
          g_autoptr(JsonNode) list = kl_sim_faults_list (self->faults);
          JsonObject *object = json_object_new ();

          json_object_set_member (object, "faults", g_steal_pointer (&list));
          result = kl_sim_json_object_node (object);
          respond_control (msg, 200, result);
        }
      else if (del)
        {
          kl_sim_clear_faults (self);
          respond_control (msg, 204, NULL);
        }
      else if ((body = read_control_body (msg, TRUE)) != NULL)
        {
          result = kl_sim_faults_add (self->faults, body, &error);
          if (result == NULL)
            respond_error (msg, 400, "SIM_INVALID_FAULT", NULL, error->message);
          else
            respond_control (msg, 201, result);
        }
      return;
    }

  if (n == 1 && g_strcmp0 (segments[0], "requests") == 0 && (get || del))
    {
      if (get)
        {
          result = requests_view (self);
          respond_control (msg, 200, result);
        }
      else
        {
          g_ptr_array_set_size (self->requests, 0);
          respond_control (msg, 204, NULL);
        }
      return;
    }

  if (n == 1 && (g_strcmp0 (segments[0], "time-scale") == 0
                 || g_strcmp0 (segments[0], "latency") == 0
                 || g_strcmp0 (segments[0], "advance") == 0
                 || g_strcmp0 (segments[0], "token-lifetime") == 0
                 || g_strcmp0 (segments[0], "cluster-propagation") == 0
                 || g_strcmp0 (segments[0], "settings") == 0) && (get || post))
    {
      if (post && g_strcmp0 (segments[0], "settings") != 0)
        {
          body = read_control_body (msg, TRUE);
          if (body == NULL)
            return;
          if (g_strcmp0 (segments[0], "time-scale") == 0)
            {
              if (!read_number_member (msg, body, "timeScale", 0, 1e6, &number))
                return;
              kl_sim_set_time_scale (self, number);
            }
          else if (g_strcmp0 (segments[0], "latency") == 0)
            {
              if (!read_number_member (msg, body, "latencyMs", 0, 600000, &number))
                return;
              kl_sim_set_latency (self, (guint) number);
            }
          else if (g_strcmp0 (segments[0], "advance") == 0)
            {
              if (!read_number_member (msg, body, "seconds", 0, 1e9, &number))
                return;
              kl_sim_advance (self, number);
            }
          else if (g_strcmp0 (segments[0], "cluster-propagation") == 0)
            {
              if (!read_number_member (msg, body, "seconds", 0, 86400, &number))
                return;
              kl_sim_set_cluster_propagation (self, number);
            }
          else
            {
              if (!read_number_member (msg, body, "seconds", 0, 86400 * 365, &number))
                return;
              kl_sim_set_token_lifetime (self, (guint) number);
            }
        }
      result = settings_view (self);
      respond_control (msg, 200, result);
      return;
    }

  if (n == 1 && g_strcmp0 (segments[0], "groups") == 0 && post)
    {
      body = read_control_body (msg, TRUE);
      if (body == NULL)
        return;
      result = kl_sim_world_add_group (self->world,
                                       json_object_get_string_member_with_default (
                                         json_node_get_object (body), "name", NULL),
                                       &failure);
      if (failure != NULL)
        respond_failure (msg, failure, FALSE);
      else
        respond_control (msg, 201, result);
      return;
    }

  if (n == 3 && g_strcmp0 (segments[0], "groups") == 0
      && g_strcmp0 (segments[2], "cluster-list-refuses-flex") == 0 && post)
    {
      JsonNode *member;

      body = read_control_body (msg, TRUE);
      if (body == NULL)
        return;
      member = json_object_get_member (json_node_get_object (body), "refuses");
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
          || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          respond_error (msg, 400, "SIM_INVALID_REQUEST", NULL,
                         "The body must be {\"refuses\": true or false}.");
          return;
        }
      if (!kl_sim_world_set_cluster_list_refuses_flex (self->world, segments[1],
                                                       json_node_get_boolean (member), &failure))
        {
          respond_failure (msg, failure, FALSE);
          return;
        }
      {
        JsonObject *object = json_object_new ();

        json_object_set_boolean_member (object, "refuses", json_node_get_boolean (member));
        result = kl_sim_json_object_node (object);
      }
      respond_control (msg, 200, result);
      return;
    }

  if (n == 5 && g_strcmp0 (segments[0], "groups") == 0
      && g_strcmp0 (segments[2], "privateEndpoints") == 0
      && parse_azure_action (segments[4], &action) && post)
    {
      const char *message = NULL;

      body = read_control_body (msg, FALSE);
      if (body == NULL)
        return;
      message = json_object_get_string_member_with_default (json_node_get_object (body),
                                                            "errorMessage", NULL);
      result = kl_sim_world_azure_action (self->world, segments[1], segments[3], action, message,
                                          &failure);
      if (failure != NULL)
        respond_failure (msg, failure, FALSE);
      else
        respond_control (msg, 200, result);
      return;
    }

  {
    g_autofree char *detail = g_strdup_printf ("No control endpoint %s %s.", method, path);

    respond_error (msg, 404, "SIM_NOT_FOUND", NULL, detail);
  }
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  KlSim *self = user_data;
  KlSimFaultDecision decision;

  if (g_str_has_prefix (path, CONTROL_PREFIX))
    {
      handle_control (self, msg, path);
      return;
    }

  kl_sim_faults_decide (self->faults, soup_server_message_get_method (msg), path, &decision);
  process_request (self, msg, &decision);
  kl_sim_fault_decision_clear (&decision);
}

/* Public API */

KlSim *
kl_sim_new (void)
{
  return g_object_new (KL_TYPE_SIM, NULL);
}

void
kl_sim_set_time_scale (KlSim  *self,
                       double  time_scale)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (time_scale >= 0);

  kl_sim_world_set_time_scale (self->world, time_scale);
}

double
kl_sim_get_time_scale (KlSim *self)
{
  g_return_val_if_fail (KL_IS_SIM (self), 1.0);

  return kl_sim_world_get_time_scale (self->world);
}

void
kl_sim_set_seed (KlSim   *self,
                 guint64  seed)
{
  g_return_if_fail (KL_IS_SIM (self));

  kl_sim_world_set_seed (self->world, seed);
  kl_sim_faults_set_seed (self->faults, seed);
}

void
kl_sim_add_api_key (KlSim      *self,
                    const char *public_key,
                    const char *private_key)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (public_key != NULL && private_key != NULL);

  kl_sim_auth_add_api_key (self->auth, public_key, private_key);
}

void
kl_sim_add_service_account (KlSim      *self,
                            const char *client_id,
                            const char *client_secret)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (client_id != NULL && client_secret != NULL);

  kl_sim_auth_add_service_account (self->auth, client_id, client_secret);
}

gboolean
kl_sim_start (KlSim   *self,
              guint    port,
              GError **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;
  guint bound_port;

  g_return_val_if_fail (KL_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  server = soup_server_new ("server-header", "keylink-atlas-sim ", NULL);
  soup_server_add_handler (server, NULL, server_handler, self, NULL);
  g_signal_connect (server, "request-read", G_CALLBACK (request_read_cb), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_aborted_cb), self);
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  bound_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  self->context = g_main_context_ref_thread_default ();
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", bound_port);
  self->started_at = g_get_monotonic_time ();
  kl_sim_world_set_base_url (self->world, self->base_url);
  g_debug ("Atlas simulator listening on %s", self->base_url);

  return TRUE;
}

const char *
kl_sim_get_base_url (KlSim *self)
{
  g_return_val_if_fail (KL_IS_SIM (self), NULL);

  return self->base_url;
}

void
kl_sim_stop (KlSim *self)
{
  g_return_if_fail (KL_IS_SIM (self));

  g_list_free_full (g_steal_pointer (&self->pending), (GDestroyNotify) pending_free);
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
}

void
kl_sim_set_latency (KlSim *self,
                    guint  latency_ms)
{
  g_return_if_fail (KL_IS_SIM (self));

  self->latency_ms = latency_ms;
}

void
kl_sim_set_token_lifetime (KlSim *self,
                           guint  seconds)
{
  g_return_if_fail (KL_IS_SIM (self));

  kl_sim_auth_set_token_lifetime (self->auth, seconds);
}

void
kl_sim_advance (KlSim  *self,
                double  seconds)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (seconds >= 0);

  kl_sim_world_advance (self->world, seconds);
}

void
kl_sim_set_cluster_propagation (KlSim  *self,
                                double  seconds)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (seconds >= 0);

  kl_sim_world_set_cluster_propagation (self->world, seconds);
}

static gboolean
failure_to_error (KlSimFailure  *failure,
                  GError       **error)
{
  g_set_error (error, KL_SIM_ERROR, failure->status, "%s: %s", failure->error_code,
               failure->detail);
  kl_sim_failure_free (failure);
  return FALSE;
}

char *
kl_sim_add_group (KlSim       *self,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(JsonNode) group = NULL;
  KlSimFailure *failure = NULL;

  g_return_val_if_fail (KL_IS_SIM (self), NULL);

  group = kl_sim_world_add_group (self->world, name, &failure);
  if (group == NULL)
    {
      failure_to_error (failure, error);
      return NULL;
    }
  return g_strdup (json_object_get_string_member (json_node_get_object (group), "id"));
}

static gboolean
azure_action (KlSim             *self,
              const char        *group_id,
              const char        *endpoint_id,
              KlSimAzureAction   action,
              const char        *error_message,
              GError           **error)
{
  g_autoptr(JsonNode) endpoint = NULL;
  KlSimFailure *failure = NULL;

  g_return_val_if_fail (KL_IS_SIM (self), FALSE);
  g_return_val_if_fail (group_id != NULL && endpoint_id != NULL, FALSE);

  endpoint = kl_sim_world_azure_action (self->world, group_id, endpoint_id, action, error_message,
                                        &failure);
  if (endpoint == NULL)
    return failure_to_error (failure, error);
  return TRUE;
}

gboolean
kl_sim_set_cluster_list_refuses_flex (KlSim       *self,
                                      const char  *group_id,
                                      gboolean     refuses,
                                      GError     **error)
{
  KlSimFailure *failure = NULL;

  g_return_val_if_fail (KL_IS_SIM (self), FALSE);
  g_return_val_if_fail (group_id != NULL, FALSE);

  if (!kl_sim_world_set_cluster_list_refuses_flex (self->world, group_id, refuses, &failure))
    return failure_to_error (failure, error);
  return TRUE;
}

gboolean
kl_sim_approve_endpoint (KlSim       *self,
                         const char  *group_id,
                         const char  *endpoint_id,
                         GError     **error)
{
  return azure_action (self, group_id, endpoint_id, KL_SIM_AZURE_APPROVE, NULL, error);
}

gboolean
kl_sim_reject_endpoint (KlSim       *self,
                        const char  *group_id,
                        const char  *endpoint_id,
                        GError     **error)
{
  return azure_action (self, group_id, endpoint_id, KL_SIM_AZURE_REJECT, NULL, error);
}

gboolean
kl_sim_remove_endpoint (KlSim       *self,
                        const char  *group_id,
                        const char  *endpoint_id,
                        GError     **error)
{
  return azure_action (self, group_id, endpoint_id, KL_SIM_AZURE_REMOVE, NULL, error);
}

gboolean
kl_sim_fail_endpoint (KlSim       *self,
                      const char  *group_id,
                      const char  *endpoint_id,
                      const char  *error_message,
                      GError     **error)
{
  return azure_action (self, group_id, endpoint_id, KL_SIM_AZURE_FAIL, error_message, error);
}

gboolean
kl_sim_add_fault (KlSim       *self,
                  const char  *rule_json,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) rule = NULL;

  g_return_val_if_fail (KL_IS_SIM (self), FALSE);
  g_return_val_if_fail (rule_json != NULL, FALSE);

  if (!kl_sim_json_depth_is_safe (rule_json, strlen (rule_json)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A fault rule must be a JSON object, nested at most 64 deep.");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, rule_json, -1, error))
    return FALSE;
  rule = kl_sim_faults_add (self->faults, json_parser_get_root (parser), error);
  return rule != NULL;
}

guint
kl_sim_count_stalled (KlSim *self)
{
  guint n = 0;

  g_return_val_if_fail (KL_IS_SIM (self), 0);

  for (GList *l = self->pending; l != NULL; l = l->next)
    if (((Pending *) l->data)->source == NULL)
      n++;
  return n;
}

void
kl_sim_clear_faults (KlSim *self)
{
  g_return_if_fail (KL_IS_SIM (self));

  kl_sim_faults_clear (self->faults);
  release_stalled (self);
}

GPtrArray *
kl_sim_dup_requests (KlSim *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (KL_IS_SIM (self), NULL);

  copy = g_ptr_array_new_full (self->requests->len, (GDestroyNotify) kl_sim_request_free);
  for (guint i = 0; i < self->requests->len; i++)
    g_ptr_array_add (copy, request_copy (g_ptr_array_index (self->requests, i)));
  return copy;
}

void
kl_sim_clear_requests (KlSim *self)
{
  g_return_if_fail (KL_IS_SIM (self));

  g_ptr_array_set_size (self->requests, 0);
}

/* The Azure simulator */

void
kl_sim_set_azure_sim (KlSim      *self,
                      KlAzureSim *azure_sim)
{
  g_return_if_fail (KL_IS_SIM (self));
  g_return_if_fail (azure_sim == NULL || KL_IS_AZURE_SIM (azure_sim));

  if (azure_sim == kl_sim_get_azure_sim (self))
    return;
  g_clear_pointer (&self->azure_link, kl_sim_azure_link_free);
  if (azure_sim != NULL)
    self->azure_link = kl_sim_azure_link_new (self, self->world, azure_sim);
}

KlAzureSim *
kl_sim_get_azure_sim (KlSim *self)
{
  g_return_val_if_fail (KL_IS_SIM (self), NULL);

  return self->azure_link != NULL ? kl_sim_azure_link_get_azure_sim (self->azure_link) : NULL;
}

KlAzureSim *
kl_sim_start_azure_sim (KlSim       *self,
                        const char  *environment,
                        GError     **error)
{
  g_autoptr(KlAzureSim) azure_sim = NULL;

  g_return_val_if_fail (KL_IS_SIM (self), NULL);

  azure_sim = kl_azure_sim_new (environment != NULL ? environment : "AZURE");
  if (!kl_azure_sim_start (azure_sim, error))
    return NULL;
  kl_sim_set_azure_sim (self, azure_sim);
  return kl_sim_get_azure_sim (self);
}
