/* kl-sim-world.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sim"

#include "config.h"

#include <string.h>

#include "kl-sim.h"
#include "kl-sim-json.h"
#include "kl-sim-resources.h"
#include "kl-sim-world.h"

/* Error codes. Every code Atlas's error catalogue (../shared/atlas/api-errors.tsv) has for a
 * situation is used as it is, with the catalogue's HTTP status and, where recorded answers
 * differ (../shared/atlas/README-errors.md), the recorded status, parameters and detail.
 * CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API is only known from the Atlas Kubernetes
 * operator. The rest are SIMULATOR-CHOSEN names, marked "sim-chosen" below, used only where the
 * catalogue has nothing; src/sim/README.md lists each with why. */
#define CODE_INVALID_JSON                   "INVALID_JSON"
#define CODE_INVALID_JSON_ATTRIBUTE         "INVALID_JSON_ATTRIBUTE"
#define CODE_INVALID_ATTRIBUTE              "INVALID_ATTRIBUTE"
#define CODE_ATTRIBUTE_READ_ONLY            "ATTRIBUTE_READ_ONLY"
#define CODE_MISSING_ATTRIBUTE              "MISSING_ATTRIBUTE"
#define CODE_INVALID_ENUM_VALUE             "INVALID_ENUM_VALUE"
#define CODE_INVALID_REGION                 "INVALID_REGION"
#define CODE_INVALID_GROUP_ID               "INVALID_GROUP_ID"
#define CODE_GROUP_NOT_FOUND                "GROUP_NOT_FOUND"
#define CODE_CLUSTER_NOT_FOUND              "CLUSTER_NOT_FOUND"
#define CODE_RESOURCE_NOT_FOUND             "RESOURCE_NOT_FOUND"
#define CODE_VALIDATION_ERROR               "VALIDATION_ERROR"
#define CODE_INVALID_AZURE_CREDENTIALS      "INVALID_AZURE_CREDENTIALS"
#define CODE_SERVERLESS_IN_CLUSTER_API      "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API"
#define CODE_DISABLE_DUE_TO_ENDPOINTS       "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS"
#define CODE_DISABLE_RPN_WHILE_ENDPOINTS \
  "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_ENDPOINTS_EXIST"
#define CODE_DELETE_DURING_PROVISIONING \
  "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING"
#define CODE_FLEX_IN_CLUSTER_API            "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
#define CODE_NON_FLEX_IN_FLEX_API           "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API"
#define CODE_PAUSED                         "CANNOT_UPDATE_PAUSED_CLUSTER"            /* 409 */
#define CODE_DISABLE_WHILE_CLUSTERS_USE_IT  "CANNOT_DISABLE_ENCRYPTION_AT_REST"       /* 409 */
#define CODE_EAR_NOT_ENABLED                "ENCRYPTION_AT_REST_NOT_ENABLED"
#define CODE_EAR_TENANT                     "CANNOT_USE_ENCRYPTION_AT_REST_TENANT"
#define CODE_EAR_PROVIDER_NOT_SUPPORTED     "ENCRYPTION_AT_REST_PROVIDER_NOT_SUPPORTED"
#define CODE_CLUSTER_NAME_INVALID           "CLUSTER_NAME_INVALID"
#define CODE_KEY_ID_INVALID_FORMAT          "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT"
#define CODE_KEY_NOT_FOUND                  "AZURE_KEY_VAULT_KEY_NOT_FOUND"
#define CODE_KEY_EXPIRED                    "AZURE_KEY_VAULT_KEY_EXPIRED"
#define CODE_KEY_NOT_ENABLED                "AZURE_KEY_VAULT_KEY_NOT_ENABLED"
#define CODE_NO_PERMISSION                  "NO_PERMISSION_TO_ENCRYPT_DECRYPT"
/* sim-chosen */
#define CODE_INVALID_ENDPOINT_ID            "INVALID_ENDPOINT_ID"
#define CODE_INVALID_GROUP_NAME             "INVALID_GROUP_NAME"
#define CODE_RPN_REQUIRES_CMK               "REQUIRE_PRIVATE_NETWORKING_REQUIRES_ENCRYPTION_AT_REST"
#define CODE_IMMUTABLE_WITH_RPN             "CANNOT_MODIFY_AZURE_KEY_VAULT_FIELDS_WITH_PRIVATE_NETWORKING"
#define CODE_PROVIDER_NOT_SIMULATED         "SIM_PROVIDER_NOT_SIMULATED"
#define CODE_PRIVATE_NETWORKING_OFF         "ENCRYPTION_AT_REST_PRIVATE_NETWORKING_NOT_ENABLED"
#define CODE_ENDPOINT_EXISTS_FOR_REGION     "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_ALREADY_EXISTS_FOR_REGION"
#define CODE_UPDATE_IN_PROGRESS             "CLUSTER_UPDATE_IN_PROGRESS"
#define CODE_SIM_INVALID_STATE              "SIM_INVALID_ENDPOINT_STATE"

#define USEC_PER_SEC G_USEC_PER_SEC

typedef enum
{
  EP_INITIATING,
  EP_PENDING_ACCEPTANCE,
  EP_ACTIVE,
  EP_FAILED,
  EP_PENDING_RECREATION,
  EP_DELETING,
} EndpointStatus;

static const char *const endpoint_status_names[] = {
  "INITIATING", "PENDING_ACCEPTANCE", "ACTIVE", "FAILED", "PENDING_RECREATION", "DELETING",
};

typedef struct
{
  char           *id;
  char           *region;
  EndpointStatus  status;
  gint64          since;        /* simulated µs when the current status began */
  gboolean        approved;
  gint64          approved_at;
  char           *connection_name;
  char           *error_message;
} Endpoint;

typedef struct
{
  const char *provider;         /* AZURE, AWS, GCP, TENANT; FLEX for a Flex cluster */
  const char *region;
  const char *instance_size;
  const char *effective_size;   /* TENANT only */
  const char *backing_provider; /* TENANT only */
  int         priority;
} RegionConfig;

typedef enum
{
  CLUSTER_DEDICATED,
  CLUSTER_TENANT,     /* M0/M2/M5 */
  CLUSTER_FLEX,       /* only in the Flex API (GET /flexClusters) */
  CLUSTER_SERVERLESS, /* not visible through the 2024-08-05 cluster API */
} ClusterKind;

typedef struct
{
  char         *id;
  char         *name;
  char         *replication_spec_id;
  char         *zone_id;
  const char   *created;
  ClusterKind   kind;
  RegionConfig  regions[2];
  guint         n_regions;
  gboolean      paused;
  const char   *ear_provider;   /* static string: NONE or AZURE */
  gboolean      updating;       /* from the PATCH until the update is over */
  gint64        update_from;    /* simulated µs when it shows UPDATING (after the propagation) */
  gint64        update_until;
} Cluster;

typedef struct
{
  gboolean  enabled;
  char     *environment;
  char     *client_id;
  char     *tenant_id;
  char     *secret;
  char     *subscription_id;
  char     *resource_group;
  char     *vault_name;
  char     *key_identifier;
  char     *role_id;
  gboolean  require_private_networking;
  gboolean  valid;
} AzureConfig;

typedef struct
{
  char        *id;
  char        *name;
  char        *created;
  gboolean     search_nodes;
  gboolean     cluster_list_refuses_flex;
  GPtrArray   *clusters;  /* Cluster */
  GPtrArray   *endpoints; /* Endpoint */
  AzureConfig  azure;
} Group;

struct _KlSimWorld
{
  GPtrArray  *groups;           /* Group, in creation order */
  GHashTable *groups_by_id;     /* id -> Group (borrowed) */
  GHashTable *azure_regions;    /* Atlas region name -> itself: regions.json + extra_azure_regions */
  GRand      *rand;
  char       *base_url;
  double      time_scale;
  gint64      clock_sim_base;   /* simulated µs at clock_real_base */
  gint64      clock_real_base;  /* g_get_monotonic_time () */
  guint       next_group_serial;
  double      cluster_propagation; /* simulated s a PATCHed cluster still shows IDLE */
  char       *id_process;       /* the 10 hex digits of an ObjectId's random value */
  guint32     id_counter;       /* the ObjectId counter (24 bits) */
  KlSimConnectionFunc connection_func;
  gpointer            connection_data;
};

/* Failures */

KlSimFailure *
kl_sim_failure_new (guint       status,
                    const char *error_code,
                    JsonNode   *parameters,
                    const char *detail_format,
                    ...)
{
  KlSimFailure *failure = g_new0 (KlSimFailure, 1);
  va_list args;

  failure->status = status;
  failure->error_code = g_strdup (error_code);
  va_start (args, detail_format);
  failure->detail = g_strdup_vprintf (detail_format, args);
  va_end (args);
  if (parameters == NULL)
    parameters = kl_sim_json_array_node (json_array_new ());
  failure->parameters = parameters;

  return failure;
}

void
kl_sim_failure_free (KlSimFailure *failure)
{
  if (failure == NULL)
    return;

  g_free (failure->error_code);
  g_free (failure->detail);
  json_node_unref (failure->parameters);
  g_free (failure);
}

/* Builds a JSON array of strings from a NULL-terminated list. */
static JsonNode *
string_params (const char *first,
               ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);

  return kl_sim_json_array_node (array);
}

static gboolean
fail (KlSimFailure **failure,
      KlSimFailure  *value)
{
  g_assert (failure != NULL && *failure == NULL);
  *failure = value;
  return FALSE;
}

/* Validators */

static gboolean
is_object_id (const char *s)
{
  if (s == NULL || strlen (s) != 24)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
is_uuid (const char *s)
{
  static const int dashes[] = { 8, 13, 18, 23 };
  gboolean all_zero = TRUE;

  if (s == NULL || strlen (s) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      gboolean dash = (i == dashes[0] || i == dashes[1] || i == dashes[2] || i == dashes[3]);

      if (dash ? s[i] != '-' : !g_ascii_isxdigit (s[i]))
        return FALSE;
      if (!dash && s[i] != '0')
        all_zero = FALSE;
    }
  return !all_zero;
}

static gboolean
is_cluster_name (const char *s)
{
  if (s == NULL || !g_ascii_isalnum (s[0]))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* HACKING.md, Validation rules: 3–24 ASCII letters, digits and '-', starts with a letter,
 * ends with a letter or digit, no "--". */
static gboolean
is_vault_name (const char *s)
{
  gsize len = s ? strlen (s) : 0;

  if (len < 3 || len > 24 || !g_ascii_isalpha (s[0]) || !g_ascii_isalnum (s[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-')
      return FALSE;
  return strstr (s, "--") == NULL;
}

static gboolean
is_resource_group (const char *s)
{
  glong len;

  if (s == NULL || !g_utf8_validate (s, -1, NULL))
    return FALSE;
  len = g_utf8_strlen (s, -1);
  if (len < 1 || len > 90 || g_str_has_suffix (s, "."))
    return FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* strchr () would look for the character's low byte only (U+202E, a right-to-left
       * override, for '.'): only ASCII is looked up in the set. */
      if (!g_unichar_isalnum (c) && !(c < 0x80 && strchr ("_-.()", (int) c) != NULL))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_key_part (const char *s,
             gsize       min,
             gsize       max,
             gboolean    hex_only)
{
  gsize len = strlen (s);

  if (len < min || len > max)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (hex_only ? !g_ascii_isxdigit (s[i]) : !(g_ascii_isalnum (s[i]) || s[i] == '-'))
      return FALSE;
  return TRUE;
}

static const char *
vault_suffix_for_environment (const char *environment)
{
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return "vault.azure.cn";
  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return "vault.usgovcloudapi.net";
  return "vault.azure.net";
}

/* Splits https://<vault>.<suffix>/keys/<name>/<version>. Only the shape is checked here. */
static gboolean
parse_key_identifier (const char  *key_identifier,
                      char       **vault,
                      char       **suffix,
                      char       **key_name)
{
  g_auto(GStrv) parts = NULL;
  const char *host;
  const char *dot;

  if (!g_str_has_prefix (key_identifier, "https://"))
    return FALSE;
  parts = g_strsplit (key_identifier + strlen ("https://"), "/", -1);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[1], "keys") != 0)
    return FALSE;
  if (!is_key_part (parts[2], 1, 127, FALSE) || !is_key_part (parts[3], 32, 32, TRUE))
    return FALSE;
  host = parts[0];
  dot = strchr (host, '.');
  if (dot == NULL)
    return FALSE;
  *vault = g_strndup (host, dot - host);
  *suffix = g_ascii_strdown (dot + 1, -1);
  *key_name = g_strdup (parts[2]);
  return TRUE;
}

/* Clock */

gint64
kl_sim_world_now (KlSimWorld *world)
{
  gint64 real_elapsed = g_get_monotonic_time () - world->clock_real_base;

  /* Real durations are simulated ones times the scale, so the simulated clock runs 1/scale
   * times as fast as the real one. 0 stops it: only kl_sim_world_advance() moves it then. */
  if (world->time_scale == 0)
    return world->clock_sim_base;
  return world->clock_sim_base + (gint64) ((double) real_elapsed / world->time_scale);
}

void
kl_sim_world_set_time_scale (KlSimWorld *world,
                             double      time_scale)
{
  g_return_if_fail (time_scale >= 0);

  world->clock_sim_base = kl_sim_world_now (world);
  world->clock_real_base = g_get_monotonic_time ();
  world->time_scale = time_scale;
}

double
kl_sim_world_get_time_scale (KlSimWorld *world)
{
  return world->time_scale;
}

void
kl_sim_world_advance (KlSimWorld *world,
                      double      seconds)
{
  g_return_if_fail (seconds >= 0);

  world->clock_sim_base += (gint64) (seconds * USEC_PER_SEC);
}

void
kl_sim_world_set_cluster_propagation (KlSimWorld *world,
                                      double      seconds)
{
  g_return_if_fail (seconds >= 0);

  world->cluster_propagation = seconds;
}

double
kl_sim_world_get_cluster_propagation (KlSimWorld *world)
{
  return world->cluster_propagation;
}

/* Random ids, reproducible with the seed */

static char *
random_hex (KlSimWorld *world,
            guint       n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, "0123456789abcdef"[g_rand_int_range (world->rand, 0, 16)]);
  return g_string_free (s, FALSE);
}

/* Shaped as a MongoDB ObjectId: 4 bytes of seconds (from 2024-09-23, the seed's epoch, plus
 * the simulated clock), a 5-byte random value drawn once, a 3-byte counter. So ids grow with
 * time, as Atlas's do: a record made later has a greater id (clients follow a region by its
 * newest record). */
static char *
random_object_id (KlSimWorld *world)
{
  guint32 seconds = 0x66f1a2b3u + (guint32) (kl_sim_world_now (world) / USEC_PER_SEC);

  if (world->id_process == NULL)
    world->id_process = random_hex (world, 10);
  world->id_counter = (world->id_counter + 1) & 0xffffff;
  return g_strdup_printf ("%08x%s%06x", seconds, world->id_process, world->id_counter);
}

static char *
random_guid (KlSimWorld *world)
{
  g_autofree char *h = random_hex (world, 32);

  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

/* Model lifetime */

static void
azure_config_clear (AzureConfig *config)
{
  g_clear_pointer (&config->environment, g_free);
  g_clear_pointer (&config->client_id, g_free);
  g_clear_pointer (&config->tenant_id, g_free);
  if (config->secret != NULL)
    memset (config->secret, 0, strlen (config->secret));
  g_clear_pointer (&config->secret, g_free);
  g_clear_pointer (&config->subscription_id, g_free);
  g_clear_pointer (&config->resource_group, g_free);
  g_clear_pointer (&config->vault_name, g_free);
  g_clear_pointer (&config->key_identifier, g_free);
  g_clear_pointer (&config->role_id, g_free);
  config->enabled = FALSE;
  config->require_private_networking = FALSE;
  config->valid = FALSE;
}

static void
azure_config_copy (AzureConfig       *dest,
                   const AzureConfig *src)
{
  dest->enabled = src->enabled;
  dest->environment = g_strdup (src->environment);
  dest->client_id = g_strdup (src->client_id);
  dest->tenant_id = g_strdup (src->tenant_id);
  dest->secret = g_strdup (src->secret);
  dest->subscription_id = g_strdup (src->subscription_id);
  dest->resource_group = g_strdup (src->resource_group);
  dest->vault_name = g_strdup (src->vault_name);
  dest->key_identifier = g_strdup (src->key_identifier);
  dest->role_id = g_strdup (src->role_id);
  dest->require_private_networking = src->require_private_networking;
  dest->valid = src->valid;
}

static void
endpoint_free (Endpoint *endpoint)
{
  g_free (endpoint->id);
  g_free (endpoint->region);
  g_free (endpoint->connection_name);
  g_free (endpoint->error_message);
  g_free (endpoint);
}

static void
cluster_free (Cluster *cluster)
{
  g_free (cluster->id);
  g_free (cluster->name);
  g_free (cluster->replication_spec_id);
  g_free (cluster->zone_id);
  g_free (cluster);
}

static void
group_free (Group *group)
{
  g_free (group->id);
  g_free (group->name);
  g_free (group->created);
  g_ptr_array_unref (group->clusters);
  g_ptr_array_unref (group->endpoints);
  azure_config_clear (&group->azure);
  g_free (group);
}

static Group *
add_group (KlSimWorld *world,
           const char *id,
           const char *name,
           const char *created)
{
  Group *group = g_new0 (Group, 1);

  group->id = g_strdup (id);
  group->name = g_strdup (name);
  group->created = g_strdup (created);
  group->clusters = g_ptr_array_new_with_free_func ((GDestroyNotify) cluster_free);
  group->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoint_free);
  g_ptr_array_add (world->groups, group);
  g_hash_table_insert (world->groups_by_id, group->id, group);

  return group;
}

static Cluster *
add_cluster (Group       *group,
             const char  *id,
             const char  *name,
             ClusterKind  kind,
             const char  *created)
{
  Cluster *cluster = g_new0 (Cluster, 1);
  guint n = group->clusters->len + 1;

  cluster->id = g_strdup (id);
  cluster->name = g_strdup (name);
  /* Derived from the cluster id so that the seed stays readable. */
  cluster->replication_spec_id = g_strdup_printf ("%.20s%04x", id, 0xa000 + n);
  cluster->zone_id = g_strdup_printf ("%.20s%04x", id, 0xb000 + n);
  cluster->kind = kind;
  cluster->created = created;
  cluster->ear_provider = "NONE";
  g_ptr_array_add (group->clusters, cluster);

  return cluster;
}

static void
cluster_add_region (Cluster    *cluster,
                    const char *provider,
                    const char *region,
                    const char *instance_size,
                    const char *effective_size,
                    const char *backing_provider)
{
  RegionConfig *config;

  g_assert (cluster->n_regions < G_N_ELEMENTS (cluster->regions));
  config = &cluster->regions[cluster->n_regions];
  config->provider = provider;
  config->region = region;
  config->instance_size = instance_size;
  config->effective_size = effective_size;
  config->backing_provider = backing_provider;
  config->priority = 7 - (int) cluster->n_regions;
  cluster->n_regions++;
}

static void
seed_organization (KlSimWorld *world)
{
  static const char *const sandboxes[] = {
    "Sandbox-01", "Sandbox-02", "Sandbox-03", "Sandbox-04", "Sandbox-05", "Sandbox-06",
    "Staging", "QA-Nightly", "Reporting", "Zürich-Ops", "Marketing-Site", "Data-Lake",
  };
  Group *group;
  Cluster *cluster;

  /* KL_SIM_GROUP_READY: two Azure regions, both clusters eligible. */
  group = add_group (world, KL_SIM_GROUP_READY, "Payments", "2024-02-01T09:00:00Z");
  cluster = add_cluster (group, "65f0000000000000000c0a11", "payments-eu", CLUSTER_DEDICATED,
                         "2024-02-02T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "EUROPE_WEST", "M30", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a12", "payments-us", CLUSTER_DEDICATED,
                         "2024-02-03T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "US_EAST_2", "M10", NULL, NULL);

  /* KL_SIM_GROUP_MIXED: one cluster of each kind. */
  group = add_group (world, KL_SIM_GROUP_MIXED, "Analytics", "2024-03-01T09:00:00Z");
  cluster = add_cluster (group, "65f0000000000000000c0a21", "analytics-free", CLUSTER_TENANT,
                         "2024-03-02T10:00:00Z");
  cluster_add_region (cluster, "TENANT", "US_EAST_2", "M0", "M0", "AZURE");
  cluster = add_cluster (group, "65f0000000000000000c0a22", "analytics-flex", CLUSTER_FLEX,
                         "2024-03-03T10:00:00Z");
  cluster_add_region (cluster, "FLEX", "EUROPE_WEST", "FLEX", "FLEX", "AZURE");
  cluster = add_cluster (group, "65f0000000000000000c0a23", "analytics-serverless",
                         CLUSTER_SERVERLESS, "2024-03-04T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "US_EAST_2", "M10", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a24", "analytics-multicloud",
                         CLUSTER_DEDICATED, "2024-03-05T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "EUROPE_NORTH", "M10", NULL, NULL);
  cluster_add_region (cluster, "AWS", "EU_WEST_1", "M10", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a25", "analytics-aws", CLUSTER_DEDICATED,
                         "2024-03-06T10:00:00Z");
  cluster_add_region (cluster, "AWS", "US_EAST_1", "M10", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a26", "analytics-azure", CLUSTER_DEDICATED,
                         "2024-03-07T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "US_WEST_2", "M10", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a27", "analytics-gcp", CLUSTER_DEDICATED,
                         "2024-03-08T10:00:00Z");
  cluster_add_region (cluster, "GCP", "CENTRAL_US", "M10", NULL, NULL);

  /* KL_SIM_GROUP_PAUSED: its only cluster is paused. */
  group = add_group (world, KL_SIM_GROUP_PAUSED, "Archive", "2019-05-01T09:00:00Z");
  cluster = add_cluster (group, "65f0000000000000000c0a31", "archive-2019", CLUSTER_DEDICATED,
                         "2019-05-02T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "US_EAST", "M10", NULL, NULL);
  cluster->paused = TRUE;

  /* KL_SIM_GROUP_NEW_REGION: one cluster in a region Keylink's list does not have. */
  group = add_group (world, KL_SIM_GROUP_NEW_REGION, "Expansion", "2025-03-01T09:00:00Z");
  cluster = add_cluster (group, "65f0000000000000000c0a41", "expansion-us", CLUSTER_DEDICATED,
                         "2025-03-02T10:00:00Z");
  cluster_add_region (cluster, "AZURE", "US_EAST_2", "M10", NULL, NULL);
  cluster = add_cluster (group, "65f0000000000000000c0a42", "expansion-chile", CLUSTER_DEDICATED,
                         "2025-03-03T10:00:00Z");
  cluster_add_region (cluster, "AZURE", KL_SIM_NEW_AZURE_REGION, "M10", NULL, NULL);

  /* Enough projects for more than one page of a small itemsPerPage. */
  for (guint i = 0; i < G_N_ELEMENTS (sandboxes); i++)
    {
      g_autofree char *id = g_strdup_printf ("65f0000000000000000000%02x", 0xb1 + i);

      add_group (world, id, sandboxes[i], "2024-06-01T09:00:00Z");
    }
}

/* Azure regions Atlas knows and Keylink's built-in list (data/atlas/regions.json, which the
 * simulator also reads) does not: Azure adds regions every year, and the app must cope with a
 * cluster in one. Kept here, never in regions.json. */
static const char *const extra_azure_regions[] = {
  KL_SIM_NEW_AZURE_REGION,
};

static void
load_regions (KlSimWorld *world)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *azure;

  bytes = g_resource_lookup_data (kl_sim_get_resource (),
                                  "/io/github/keylink/Keylink/sim/regions.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert (JSON_NODE_HOLDS_OBJECT (root));
  azure = json_object_get_array_member (json_node_get_object (root), "azure");
  for (guint i = 0; i < json_array_get_length (azure); i++)
    {
      JsonObject *region = json_array_get_object_element (azure, i);
      const char *name = json_object_get_string_member (region, "atlas");

      g_hash_table_add (world->azure_regions, g_strdup (name));
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra_azure_regions); i++)
    {
      g_assert (!g_hash_table_contains (world->azure_regions, extra_azure_regions[i]));
      g_hash_table_add (world->azure_regions, g_strdup (extra_azure_regions[i]));
    }
}

KlSimWorld *
kl_sim_world_new (guint64 seed)
{
  KlSimWorld *world = g_new0 (KlSimWorld, 1);

  world->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  world->groups_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  world->azure_regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->rand = g_rand_new ();
  world->cluster_propagation = KL_SIM_CLUSTER_PROPAGATION_SECONDS;
  kl_sim_world_set_seed (world, seed);
  world->base_url = g_strdup ("http://127.0.0.1");
  world->time_scale = 1.0;
  world->clock_real_base = g_get_monotonic_time ();
  load_regions (world);
  seed_organization (world);

  return world;
}

void
kl_sim_world_free (KlSimWorld *world)
{
  if (world == NULL)
    return;

  g_hash_table_unref (world->groups_by_id);
  g_ptr_array_unref (world->groups);
  g_hash_table_unref (world->azure_regions);
  g_rand_free (world->rand);
  g_free (world->base_url);
  g_free (world->id_process);
  g_free (world);
}

void
kl_sim_world_set_seed (KlSimWorld *world,
                       guint64     seed)
{
  guint32 words[2] = { (guint32) (seed & 0xffffffff), (guint32) (seed >> 32) };

  /* A different stream from the fault injector's, for the same seed. */
  words[1] ^= 0x5eed0001;
  g_rand_set_seed_array (world->rand, words, G_N_ELEMENTS (words));
  g_clear_pointer (&world->id_process, g_free);
}

void
kl_sim_world_set_base_url (KlSimWorld *world,
                           const char *base_url)
{
  g_free (world->base_url);
  world->base_url = g_strdup (base_url);
}

/* State machine, computed lazily from the simulated clock */

static char *
make_connection_name (KlSimWorld *world,
                      Group      *group)
{
  g_autofree char *guid = random_guid (world);

  return g_strdup_printf ("%s.%s", group->azure.vault_name ? group->azure.vault_name : "vault",
                          guid);
}

/* Returns FALSE when the endpoint is gone (its deletion finished). */
static gboolean
refresh_endpoint (KlSimWorld *world,
                  Group      *group,
                  Endpoint   *endpoint,
                  gint64      now)
{
  for (;;)
    {
      switch (endpoint->status)
        {
        case EP_INITIATING:
          if (now < endpoint->since + KL_SIM_INITIATING_SECONDS * USEC_PER_SEC)
            return TRUE;
          endpoint->status = EP_PENDING_ACCEPTANCE;
          endpoint->since += KL_SIM_INITIATING_SECONDS * USEC_PER_SEC;
          endpoint->connection_name = make_connection_name (world, group);
          if (world->connection_func != NULL && group->azure.vault_name != NULL)
            world->connection_func (KL_SIM_CONNECTION_PENDING, group->id, group->azure.vault_name,
                                    endpoint->connection_name, world->connection_data);
          break;

        case EP_PENDING_ACCEPTANCE:
          if (!endpoint->approved
              || now < endpoint->approved_at + KL_SIM_ACTIVATION_SECONDS * USEC_PER_SEC)
            return TRUE;
          endpoint->status = EP_ACTIVE;
          endpoint->since = endpoint->approved_at + KL_SIM_ACTIVATION_SECONDS * USEC_PER_SEC;
          break;

        case EP_PENDING_RECREATION:
          /* The old record of a rejected or removed connection: Atlas made a new record for
           * the region when it got here; this one goes away after a while. */
          return now < endpoint->since + KL_SIM_RECREATION_SECONDS * USEC_PER_SEC;

        case EP_DELETING:
          return now < endpoint->since + KL_SIM_DELETING_SECONDS * USEC_PER_SEC;

        case EP_ACTIVE:
        case EP_FAILED:
        default:
          return TRUE;
        }
    }
}

static void
refresh_group (KlSimWorld *world,
               Group      *group)
{
  gint64 now = kl_sim_world_now (world);

  for (guint i = 0; i < group->endpoints->len;)
    {
      if (refresh_endpoint (world, group, g_ptr_array_index (group->endpoints, i), now))
        i++;
      else
        g_ptr_array_remove_index (group->endpoints, i);
    }

  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      if (cluster->updating && now >= cluster->update_until)
        cluster->updating = FALSE;
    }
}

void
kl_sim_world_set_connection_func (KlSimWorld          *world,
                                  KlSimConnectionFunc  func,
                                  gpointer             user_data)
{
  world->connection_func = func;
  world->connection_data = user_data;
}

void
kl_sim_world_refresh (KlSimWorld *world)
{
  for (guint i = 0; i < world->groups->len; i++)
    refresh_group (world, g_ptr_array_index (world->groups, i));
}

gboolean
kl_sim_world_find_connection (KlSimWorld  *world,
                              const char  *connection_name,
                              char       **group_id,
                              char       **endpoint_id)
{
  kl_sim_world_refresh (world);
  for (guint i = 0; i < world->groups->len; i++)
    {
      Group *group = g_ptr_array_index (world->groups, i);

      for (guint j = 0; j < group->endpoints->len; j++)
        {
          Endpoint *endpoint = g_ptr_array_index (group->endpoints, j);

          if (endpoint->connection_name != NULL
              && g_ascii_strcasecmp (endpoint->connection_name, connection_name) == 0
              && (endpoint->status == EP_PENDING_ACCEPTANCE || endpoint->status == EP_ACTIVE))
            {
              *group_id = g_strdup (group->id);
              *endpoint_id = g_strdup (endpoint->id);
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* JSON views */

static JsonNode *
self_links (const char *path)
{
  JsonArray *links = json_array_new ();
  JsonObject *link = json_object_new ();

  json_object_set_string_member (link, "href", path);
  json_object_set_string_member (link, "rel", "self");
  json_array_add_object_element (links, link);
  return kl_sim_json_array_node (links);
}

static JsonNode *
group_view (KlSimWorld *world,
            Group      *group)
{
  JsonObject *object = json_object_new ();
  g_autofree char *href = g_strdup_printf ("%s/api/atlas/v2/groups/%s", world->base_url, group->id);

  json_object_set_int_member (object, "clusterCount", group->clusters->len);
  json_object_set_string_member (object, "created", group->created);
  json_object_set_string_member (object, "id", group->id);
  json_object_set_member (object, "links", self_links (href));
  json_object_set_string_member (object, "name", group->name);
  json_object_set_string_member (object, "orgId", KL_SIM_ORG_ID);
  json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_boolean_member (object, "withDefaultAlertsSettings", TRUE);

  return kl_sim_json_object_node (object);
}

static gboolean
cluster_is_multi_cloud (Cluster *cluster)
{
  for (guint i = 1; i < cluster->n_regions; i++)
    if (g_strcmp0 (cluster->regions[i].provider, cluster->regions[0].provider) != 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
region_config_view (const RegionConfig *config)
{
  JsonObject *object = json_object_new ();
  JsonObject *specs = json_object_new ();

  if (config->backing_provider != NULL)
    json_object_set_string_member (object, "backingProviderName", config->backing_provider);
  if (config->effective_size != NULL)
    {
      json_object_set_string_member (specs, "effectiveInstanceSize", config->effective_size);
    }
  else
    {
      json_object_set_double_member (specs, "diskSizeGB", 10.0);
      json_object_set_int_member (specs, "nodeCount", 3);
    }
  json_object_set_string_member (specs, "instanceSize", config->instance_size);
  json_object_set_object_member (object, "electableSpecs", specs);
  json_object_set_int_member (object, "priority", config->priority);
  json_object_set_string_member (object, "providerName", config->provider);
  json_object_set_string_member (object, "regionName", config->region);

  return object;
}

static JsonNode *
cluster_view (KlSimWorld *world,
              Group      *group,
              Cluster    *cluster)
{
  JsonObject *object = json_object_new ();
  JsonObject *connection = json_object_new ();
  JsonObject *spec = json_object_new ();
  JsonArray *specs = json_array_new ();
  JsonArray *region_configs = json_array_new ();
  g_autofree char *href = NULL;
  g_autofree char *srv = NULL;

  href = g_strdup_printf ("%s/api/atlas/v2/groups/%s/clusters/%s", world->base_url, group->id,
                          cluster->name);
  srv = g_strdup_printf ("mongodb+srv://%s.kl5im.mongodb.net", cluster->name);

  for (guint i = 0; i < cluster->n_regions; i++)
    json_array_add_object_element (region_configs, region_config_view (&cluster->regions[i]));
  json_object_set_string_member (spec, "id", cluster->replication_spec_id);
  json_object_set_array_member (spec, "regionConfigs", region_configs);
  json_object_set_string_member (spec, "zoneId", cluster->zone_id);
  json_object_set_string_member (spec, "zoneName", "Zone 1");
  json_array_add_object_element (specs, spec);
  json_object_set_string_member (connection, "standardSrv", srv);

  /* The spec's encryptionAtRestProvider note wants backupEnabled false or absent for CMK. */
  json_object_set_boolean_member (object, "backupEnabled", FALSE);
  json_object_set_string_member (object, "clusterType", "REPLICASET");
  json_object_set_object_member (object, "connectionStrings", connection);
  json_object_set_string_member (object, "createDate", cluster->created);
  json_object_set_string_member (object, "encryptionAtRestProvider", cluster->ear_provider);
  json_object_set_string_member (object, "featureCompatibilityVersion", "8.0");
  json_object_set_string_member (object, "groupId", group->id);
  json_object_set_string_member (object, "id", cluster->id);
  json_object_set_member (object, "links", self_links (href));
  json_object_set_string_member (object, "mongoDBMajorVersion", "8.0");
  json_object_set_string_member (object, "mongoDBVersion", "8.0.4");
  json_object_set_string_member (object, "name", cluster->name);
  json_object_set_boolean_member (object, "paused", cluster->paused);
  json_object_set_boolean_member (object, "pitEnabled", FALSE);
  json_object_set_array_member (object, "replicationSpecs", specs);
  json_object_set_string_member (object, "rootCertType", "ISRGROOTX1");
  /* Right after the PATCH, the cluster still says IDLE (with the new provider) until the
   * change has propagated; then UPDATING. */
  json_object_set_string_member (object, "stateName",
                                 cluster->updating &&
                                 kl_sim_world_now (world) >= cluster->update_from
                                 ? "UPDATING" : "IDLE");
  json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_boolean_member (object, "terminationProtectionEnabled", FALSE);
  json_object_set_string_member (object, "versionReleaseSystem", "LTS");

  return kl_sim_json_object_node (object);
}

/* FlexClusterDescription20241113 (flex-clusters-subset.yaml). */
static JsonNode *
flex_cluster_view (KlSimWorld *world,
                   Group      *group,
                   Cluster    *cluster)
{
  JsonObject *object = json_object_new ();
  JsonObject *backup = json_object_new ();
  JsonObject *connection = json_object_new ();
  JsonObject *provider = json_object_new ();
  g_autofree char *href = NULL;
  g_autofree char *srv = NULL;

  g_assert (cluster->kind == CLUSTER_FLEX && cluster->n_regions == 1);

  href = g_strdup_printf ("%s/api/atlas/v2/groups/%s/flexClusters/%s", world->base_url,
                          group->id, cluster->name);
  srv = g_strdup_printf ("mongodb+srv://%s.kl5im.mongodb.net", cluster->name);
  json_object_set_boolean_member (backup, "enabled", TRUE);
  json_object_set_string_member (connection, "standardSrv", srv);
  json_object_set_string_member (provider, "backingProviderName",
                                 cluster->regions[0].backing_provider);
  json_object_set_double_member (provider, "diskSizeGB", 5.0);
  json_object_set_string_member (provider, "providerName", "FLEX");
  json_object_set_string_member (provider, "regionName", cluster->regions[0].region);

  json_object_set_object_member (object, "backupSettings", backup);
  json_object_set_string_member (object, "clusterType", "REPLICASET");
  json_object_set_object_member (object, "connectionStrings", connection);
  json_object_set_string_member (object, "createDate", cluster->created);
  json_object_set_string_member (object, "groupId", group->id);
  json_object_set_string_member (object, "id", cluster->id);
  json_object_set_member (object, "links", self_links (href));
  json_object_set_string_member (object, "mongoDBVersion", "8.0.4");
  json_object_set_string_member (object, "name", cluster->name);
  json_object_set_object_member (object, "providerSettings", provider);
  json_object_set_string_member (object, "stateName", "IDLE");
  json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_boolean_member (object, "terminationProtectionEnabled", FALSE);
  json_object_set_string_member (object, "versionReleaseSystem", "LTS");

  return kl_sim_json_object_node (object);
}

static JsonObject *
unconfigured_provider_view (void)
{
  JsonObject *object = json_object_new ();

  json_object_set_boolean_member (object, "enabled", FALSE);
  json_object_set_boolean_member (object, "valid", FALSE);
  return object;
}

static JsonNode *
ear_view (Group *group)
{
  JsonObject *object = json_object_new ();
  AzureConfig *azure = &group->azure;

  json_object_set_object_member (object, "awsKms", unconfigured_provider_view ());
  if (azure->enabled)
    {
      JsonObject *akv = json_object_new ();

      /* Never the secret: it is write-only. */
      json_object_set_string_member (akv, "azureEnvironment", azure->environment);
      json_object_set_string_member (akv, "clientID", azure->client_id);
      json_object_set_boolean_member (akv, "enabled", TRUE);
      json_object_set_string_member (akv, "keyIdentifier", azure->key_identifier);
      json_object_set_string_member (akv, "keyVaultName", azure->vault_name);
      json_object_set_boolean_member (akv, "requirePrivateNetworking",
                                      azure->require_private_networking);
      json_object_set_string_member (akv, "resourceGroupName", azure->resource_group);
      if (azure->role_id != NULL)
        json_object_set_string_member (akv, "roleId", azure->role_id);
      json_object_set_string_member (akv, "subscriptionID", azure->subscription_id);
      json_object_set_string_member (akv, "tenantID", azure->tenant_id);
      json_object_set_boolean_member (akv, "valid", azure->valid);
      json_object_set_object_member (object, "azureKeyVault", akv);
    }
  else
    {
      json_object_set_object_member (object, "azureKeyVault", unconfigured_provider_view ());
    }
  json_object_set_boolean_member (object, "enabledForSearchNodes", group->search_nodes);
  json_object_set_object_member (object, "googleCloudKms", unconfigured_provider_view ());

  return kl_sim_json_object_node (object);
}

static JsonNode *
endpoint_view (Endpoint *endpoint)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "cloudProvider", "AZURE");
  if (endpoint->error_message != NULL)
    json_object_set_string_member (object, "errorMessage", endpoint->error_message);
  json_object_set_string_member (object, "id", endpoint->id);
  if (endpoint->connection_name != NULL)
    json_object_set_string_member (object, "privateEndpointConnectionName",
                                   endpoint->connection_name);
  json_object_set_string_member (object, "regionName", endpoint->region);
  json_object_set_string_member (object, "status", endpoint_status_names[endpoint->status]);

  return kl_sim_json_object_node (object);
}

/* Lookups */

static Group *
lookup_group (KlSimWorld    *world,
              const char    *group_id,
              KlSimFailure **failure)
{
  Group *group;

  if (!is_object_id (group_id))
    {
      fail (failure, kl_sim_failure_new (404, CODE_INVALID_GROUP_ID,
                                         string_params (group_id, NULL),
                                         "An invalid group ID %s was specified.", group_id));
      return NULL;
    }
  group = g_hash_table_lookup (world->groups_by_id, group_id);
  if (group == NULL)
    {
      fail (failure, kl_sim_failure_new (404, CODE_GROUP_NOT_FOUND,
                                         string_params (group_id, NULL),
                                         "No group with ID %s exists.", group_id));
      return NULL;
    }
  refresh_group (world, group);
  return group;
}

/* Any kind of cluster named @name, or NULL with a failure (a malformed name, or none). */
static Cluster *
find_cluster (Group         *group,
              const char    *name,
              KlSimFailure **failure)
{
  if (!is_cluster_name (name))
    {
      fail (failure, kl_sim_failure_new (400, CODE_CLUSTER_NAME_INVALID,
                                         string_params (name, NULL),
                                         "The cluster name %s is invalid. The name can only "
                                         "contain ASCII letters, numbers, and hyphens.", name));
      return NULL;
    }
  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      if (g_strcmp0 (cluster->name, name) == 0)
        return cluster;
    }
  fail (failure, kl_sim_failure_new (404, CODE_CLUSTER_NOT_FOUND,
                                     string_params (name, group->id, NULL),
                                     "No cluster named %s exists in group %s.", name, group->id));
  return NULL;
}

static KlSimFailure *
flex_in_cluster_api (const char *name)
{
  return kl_sim_failure_new (400, CODE_FLEX_IN_CLUSTER_API, string_params (name, NULL),
                             "Flex cluster %s cannot be used in the Cluster API.", name);
}

/* A cluster the 2024-08-05 cluster API serves (not Flex, not serverless). */
static Cluster *
lookup_cluster (Group         *group,
                const char    *name,
                KlSimFailure **failure)
{
  Cluster *found = find_cluster (group, name, failure);

  if (found == NULL)
    return NULL;
  if (found->kind == CLUSTER_FLEX)
    {
      fail (failure, flex_in_cluster_api (name));
      return NULL;
    }
  if (found->kind == CLUSTER_SERVERLESS)
    {
      fail (failure, kl_sim_failure_new (400, CODE_SERVERLESS_IN_CLUSTER_API,
                                         string_params (name, NULL),
                                         "Cannot use the cluster API for serverless "
                                         "instance %s.", name));
      return NULL;
    }
  return found;
}

/* Only AZURE is modelled; AWS is a valid path value with nothing behind it. */
static gboolean
check_cloud_provider (const char    *cloud_provider,
                      KlSimFailure **failure)
{
  if (g_strcmp0 (cloud_provider, "AZURE") == 0 || g_strcmp0 (cloud_provider, "AWS") == 0)
    return TRUE;
  return fail (failure, kl_sim_failure_new (400, CODE_INVALID_ENUM_VALUE,
                                            string_params (cloud_provider, NULL),
                                            "An invalid enumeration value %s was specified for "
                                            "cloudProvider: use AZURE or AWS.", cloud_provider));
}

static Endpoint *
lookup_endpoint (Group         *group,
                 const char    *cloud_provider,
                 const char    *endpoint_id,
                 KlSimFailure **failure)
{
  if (!is_object_id (endpoint_id))
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_ENDPOINT_ID,
                                         string_params (endpoint_id, NULL),
                                         "An invalid private endpoint ID %s was specified.",
                                         endpoint_id));
      return NULL;
    }
  if (g_strcmp0 (cloud_provider, "AZURE") == 0)
    {
      for (guint i = 0; i < group->endpoints->len; i++)
        {
          Endpoint *endpoint = g_ptr_array_index (group->endpoints, i);

          if (g_strcmp0 (endpoint->id, endpoint_id) == 0)
            return endpoint;
        }
    }
  fail (failure, kl_sim_failure_new (404, CODE_RESOURCE_NOT_FOUND,
                                     string_params (endpoint_id, NULL),
                                     "Cannot find resource private endpoint %s.", endpoint_id));
  return NULL;
}

/* Groups */

JsonNode *
kl_sim_world_add_group (KlSimWorld    *world,
                        const char    *name,
                        KlSimFailure **failure)
{
  g_autofree char *id = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^[\\p{L}\\p{N}\\-_.(),:&@+']{1,64}$", 0, 0, NULL);

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || !g_regex_match (regex, name, 0, NULL))
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_GROUP_NAME,
                                         string_params (name ? name : "", NULL),
                                         "An invalid group name was specified: use 1 to 64 "
                                         "letters, digits and -_.(),:&@+' (no spaces)."));
      return NULL;
    }
  id = g_strdup_printf ("65f0000000000000000%05x", 0x10000 + world->next_group_serial++);
  return group_view (world, add_group (world, id, name, "2025-01-01T09:00:00Z"));
}

JsonNode *
kl_sim_world_list_groups (KlSimWorld *world)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < world->groups->len; i++)
    json_array_add_element (array, group_view (world, g_ptr_array_index (world->groups, i)));
  return kl_sim_json_array_node (array);
}

JsonNode *
kl_sim_world_get_group (KlSimWorld    *world,
                        const char    *group_id,
                        KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);

  return group ? group_view (world, group) : NULL;
}

/* Clusters */

JsonNode *
kl_sim_world_list_clusters (KlSimWorld    *world,
                            const char    *group_id,
                            KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  JsonArray *array;

  if (group == NULL)
    return NULL;

  /* Seen in real life (README-errors.md): the whole list refused because of a Flex cluster. */
  if (group->cluster_list_refuses_flex)
    for (guint i = 0; i < group->clusters->len; i++)
      {
        Cluster *cluster = g_ptr_array_index (group->clusters, i);

        if (cluster->kind == CLUSTER_FLEX)
          {
            fail (failure, flex_in_cluster_api (cluster->name));
            return NULL;
          }
      }

  array = json_array_new ();
  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      /* Flex clusters (since January 2026) and serverless instances are not part of the
       * 2024-08-05 cluster API. */
      if (cluster->kind != CLUSTER_SERVERLESS && cluster->kind != CLUSTER_FLEX)
        json_array_add_element (array, cluster_view (world, group, cluster));
    }
  return kl_sim_json_array_node (array);
}

gboolean
kl_sim_world_set_cluster_list_refuses_flex (KlSimWorld    *world,
                                            const char    *group_id,
                                            gboolean       refuses,
                                            KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);

  if (group == NULL)
    return FALSE;
  group->cluster_list_refuses_flex = refuses;
  return TRUE;
}

/* Flex clusters */

JsonNode *
kl_sim_world_list_flex_clusters (KlSimWorld    *world,
                                 const char    *group_id,
                                 KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  JsonArray *array;

  if (group == NULL)
    return NULL;

  array = json_array_new ();
  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      if (cluster->kind == CLUSTER_FLEX)
        json_array_add_element (array, flex_cluster_view (world, group, cluster));
    }
  return kl_sim_json_array_node (array);
}

JsonNode *
kl_sim_world_get_flex_cluster (KlSimWorld    *world,
                               const char    *group_id,
                               const char    *name,
                               KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  Cluster *cluster;

  if (group == NULL)
    return NULL;
  cluster = find_cluster (group, name, failure);
  if (cluster == NULL)
    return NULL;
  if (cluster->kind != CLUSTER_FLEX)
    {
      fail (failure, kl_sim_failure_new (400, CODE_NON_FLEX_IN_FLEX_API,
                                         string_params (name, NULL),
                                         "Cannot use non-flex cluster %s in the flex API.", name));
      return NULL;
    }
  return flex_cluster_view (world, group, cluster);
}

JsonNode *
kl_sim_world_get_cluster (KlSimWorld    *world,
                          const char    *group_id,
                          const char    *cluster_name,
                          KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  Cluster *cluster;

  if (group == NULL)
    return NULL;
  cluster = lookup_cluster (group, cluster_name, failure);
  return cluster ? cluster_view (world, group, cluster) : NULL;
}

static gboolean
check_body_object (JsonNode      *body,
                   KlSimFailure **failure)
{
  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    return TRUE;
  return fail (failure, kl_sim_failure_new (400, CODE_INVALID_JSON, NULL,
                                            "Received JSON does not match expected format: the "
                                            "request body must be a JSON object."));
}

/* Refuses members outside @allowed (INVALID_ATTRIBUTE) and members in @read_only. */
static gboolean
check_members (JsonObject         *object,
               const char *const  *allowed,
               const char *const  *read_only,
               KlSimFailure      **failure)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (read_only != NULL && g_strv_contains (read_only, name))
        return fail (failure, kl_sim_failure_new (400, CODE_ATTRIBUTE_READ_ONLY,
                                                  string_params (name, NULL),
                                                  "The attribute %s is read-only and cannot be "
                                                  "changed by the user.", name));
      if (!g_strv_contains (allowed, name))
        return fail (failure, kl_sim_failure_new (400, CODE_INVALID_ATTRIBUTE,
                                                  string_params (name, NULL),
                                                  "Invalid attribute %s specified.", name));
    }
  return TRUE;
}

static gboolean
bad_format (KlSimFailure **failure,
            const char    *name,
            const char    *what)
{
  return fail (failure, kl_sim_failure_new (400, CODE_INVALID_JSON_ATTRIBUTE,
                                            string_params (name, NULL),
                                            "Received JSON for the %s attribute does not match "
                                            "expected format: %s.", name, what));
}

/* Reads a member that must be a value of @type (@what says so); *@node is NULL when it is
 * absent. FALSE (with a failure) if present and of another type. */
static gboolean
get_value_member (JsonObject     *object,
                  const char     *name,
                  GType           type,
                  const char     *what,
                  JsonNode      **node,
                  KlSimFailure  **failure)
{
  *node = json_object_get_member (object, name);
  if (*node == NULL ||
      (JSON_NODE_HOLDS_VALUE (*node) && json_node_get_value_type (*node) == type))
    return TRUE;
  return bad_format (failure, name, what);
}

/* Reads a string member; FALSE (with a failure) if present and not a string. */
static gboolean
get_string_member (JsonObject     *object,
                   const char     *name,
                   const char    **value,
                   KlSimFailure  **failure)
{
  JsonNode *node;

  *value = NULL;
  if (!get_value_member (object, name, G_TYPE_STRING, "it must be a string", &node, failure))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_boolean_member (JsonObject     *object,
                    const char     *name,
                    int            *value, /* -1 when absent */
                    KlSimFailure  **failure)
{
  JsonNode *node;

  *value = -1;
  if (!get_value_member (object, name, G_TYPE_BOOLEAN, "it must be true or false", &node,
                         failure))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_boolean (node);
  return TRUE;
}

JsonNode *
kl_sim_world_patch_cluster (KlSimWorld    *world,
                            const char    *group_id,
                            const char    *cluster_name,
                            JsonNode      *body,
                            KlSimFailure **failure)
{
  static const char *const allowed[] = { "encryptionAtRestProvider", NULL };
  static const char *const providers[] = { "NONE", "AWS", "AZURE", "GCP", NULL };
  Group *group;
  Cluster *cluster;
  JsonObject *object;
  const char *provider;

  group = lookup_group (world, group_id, failure);
  if (group == NULL)
    return NULL;
  cluster = lookup_cluster (group, cluster_name, failure);
  if (cluster == NULL || !check_body_object (body, failure))
    return NULL;

  /* Strict: Keylink only ever sends encryptionAtRestProvider. */
  object = json_node_get_object (body);
  if (!check_members (object, allowed, NULL, failure)
      || !get_string_member (object, "encryptionAtRestProvider", &provider, failure))
    return NULL;
  if (provider == NULL)
    {
      fail (failure, kl_sim_failure_new (400, CODE_MISSING_ATTRIBUTE,
                                         string_params ("encryptionAtRestProvider", NULL),
                                         "The required attribute encryptionAtRestProvider was "
                                         "not specified."));
      return NULL;
    }
  if (!g_strv_contains (providers, provider))
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_ENUM_VALUE,
                                         string_params (provider, NULL),
                                         "An invalid enumeration value %s was specified for "
                                         "encryptionAtRestProvider.", provider));
      return NULL;
    }
  /* Only Azure Key Vault is modelled: the AWS and GCP providers are never enabled. */
  if (g_strcmp0 (provider, "AWS") == 0 || g_strcmp0 (provider, "GCP") == 0)
    {
      fail (failure, kl_sim_failure_new (400, CODE_EAR_NOT_ENABLED,
                                         string_params (group->id, NULL),
                                         "Encryption at Rest is not enabled for group %s.",
                                         group->id));
      return NULL;
    }

  if (g_strcmp0 (provider, "AZURE") == 0)
    {
      g_assert (cluster->kind != CLUSTER_FLEX); /* only in the Flex API */
      if (cluster->kind == CLUSTER_TENANT)
        {
          fail (failure, kl_sim_failure_new (400, CODE_EAR_TENANT, NULL,
                                             "Cannot use Encryption at Rest with tenant "
                                             "clusters."));
          return NULL;
        }
      if (cluster_is_multi_cloud (cluster))
        {
          fail (failure, kl_sim_failure_new (400, CODE_EAR_PROVIDER_NOT_SUPPORTED, NULL,
                                             "Encryption at Rest Provider cannot be configured "
                                             "on this cluster."));
          return NULL;
        }
    }
  if (cluster->paused)
    {
      fail (failure, kl_sim_failure_new (409, CODE_PAUSED, string_params (cluster->name, NULL),
                                         "Cannot update cluster %s while it is paused or being "
                                         "paused.", cluster->name));
      return NULL;
    }
  if (g_strcmp0 (provider, cluster->ear_provider) == 0)
    return cluster_view (world, group, cluster);
  if (cluster->updating)
    {
      fail (failure, kl_sim_failure_new (409, CODE_UPDATE_IN_PROGRESS,
                                         string_params (cluster->name, NULL),
                                         "Cluster %s is already being updated: wait until its "
                                         "stateName is IDLE.", cluster->name));
      return NULL;
    }
  if (g_strcmp0 (provider, "AZURE") == 0 && !(group->azure.enabled && group->azure.valid))
    {
      fail (failure, kl_sim_failure_new (400, CODE_EAR_NOT_ENABLED,
                                         string_params (group->id, NULL),
                                         "Encryption at Rest is not enabled for group %s.",
                                         group->id));
      return NULL;
    }

  cluster->ear_provider = g_strcmp0 (provider, "AZURE") == 0 ? "AZURE" : "NONE";
  cluster->updating = TRUE;
  cluster->update_from = kl_sim_world_now (world)
                         + (gint64) (world->cluster_propagation * USEC_PER_SEC);
  cluster->update_until = cluster->update_from + KL_SIM_CLUSTER_UPDATE_SECONDS * USEC_PER_SEC;
  return cluster_view (world, group, cluster);
}

/* Encryption at rest */

JsonNode *
kl_sim_world_get_ear (KlSimWorld    *world,
                      const char    *group_id,
                      KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);

  return group ? ear_view (group) : NULL;
}

static JsonNode *
endpoint_regions (Group *group)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < group->endpoints->len; i++)
    json_array_add_string_element (array,
                                   ((Endpoint *) g_ptr_array_index (group->endpoints, i))->region);
  return kl_sim_json_array_node (array);
}

static gboolean
clusters_use_azure_key (Group *group)
{
  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      if (g_strcmp0 (cluster->ear_provider, "AZURE") == 0 || cluster->updating)
        return TRUE;
    }
  return FALSE;
}

static gboolean
disable_azure (Group         *group,
               JsonObject    *akv,
               KlSimFailure **failure)
{
  if (json_object_get_size (akv) != 1)
    return fail (failure, kl_sim_failure_new (400, CODE_VALIDATION_ERROR, NULL,
                                              "To turn off encryption at rest with Azure Key "
                                              "Vault, send only {\"enabled\": false}."));
  if (!group->azure.enabled)
    return TRUE;
  /* Recorded: 400, parameters [] (README-errors.md). */
  if (group->endpoints->len > 0)
    return fail (failure, kl_sim_failure_new (400, CODE_DISABLE_DUE_TO_ENDPOINTS, NULL,
                                              "Encryption at Rest cannot be disabled when "
                                              "private endpoints are present."));
  if (clusters_use_azure_key (group))
    return fail (failure, kl_sim_failure_new (409, CODE_DISABLE_WHILE_CLUSTERS_USE_IT, NULL,
                                              "Cannot disable Encryption at Rest on the group "
                                              "because it is still enabled on one or more "
                                              "clusters in the group."));
  azure_config_clear (&group->azure);
  return TRUE;
}

static gboolean
validate_azure_member_formats (JsonObject    *akv,
                               KlSimFailure **failure)
{
  static const char *const environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT", NULL };
  static const char *const uuids[] = { "clientID", "tenantID", "subscriptionID", NULL };
  static const char *const strings[] = {
    "azureEnvironment", "clientID", "tenantID", "secret", "subscriptionID", "resourceGroupName",
    "keyVaultName", "keyIdentifier", "roleId", NULL
  };
  const char *value;
  int flag;

  for (guint i = 0; strings[i] != NULL; i++)
    if (!get_string_member (akv, strings[i], &value, failure))
      return FALSE;
  if (!get_boolean_member (akv, "enabled", &flag, failure)
      || !get_boolean_member (akv, "requirePrivateNetworking", &flag, failure))
    return FALSE;

  get_string_member (akv, "azureEnvironment", &value, failure);
  if (value != NULL && !g_strv_contains (environments, value))
    return fail (failure, kl_sim_failure_new (400, CODE_INVALID_ENUM_VALUE,
                                              string_params (value, NULL),
                                              "An invalid enumeration value %s was specified for "
                                              "azureEnvironment.", value));
  for (guint i = 0; uuids[i] != NULL; i++)
    {
      get_string_member (akv, uuids[i], &value, failure);
      if (value != NULL && !is_uuid (value))
        return bad_format (failure, uuids[i], "it must be a GUID such as "
                                              "6f1c8a52-0e4b-4b5e-9d3f-2a7c1e9b8d40");
    }
  get_string_member (akv, "secret", &value, failure);
  if (value != NULL && *value == '\0')
    return bad_format (failure, "secret", "it must not be empty");
  get_string_member (akv, "keyVaultName", &value, failure);
  if (value != NULL && !is_vault_name (value))
    return bad_format (failure, "keyVaultName", "a vault name has 3 to 24 letters, digits and "
                                                "hyphens, starts with a letter and ends with a "
                                                "letter or digit");
  get_string_member (akv, "resourceGroupName", &value, failure);
  if (value != NULL && !is_resource_group (value))
    return bad_format (failure, "resourceGroupName", "a resource group name has 1 to 90 "
                                                     "letters, digits and _-.() and does not "
                                                     "end with a period");
  get_string_member (akv, "roleId", &value, failure);
  if (value != NULL && !is_object_id (value))
    return bad_format (failure, "roleId", "it must be 24 lowercase hexadecimal digits");
  get_string_member (akv, "keyIdentifier", &value, failure);
  if (value != NULL)
    {
      g_autofree char *vault = NULL;
      g_autofree char *suffix = NULL;
      g_autofree char *key_name = NULL;

      if (!parse_key_identifier (value, &vault, &suffix, &key_name))
        return fail (failure, kl_sim_failure_new (400, CODE_KEY_ID_INVALID_FORMAT, NULL,
                                                  "Invalid format for Azure Key Vault Key "
                                                  "Identifier."));
    }
  return TRUE;
}

static void
replace_string (char       **field,
                JsonObject  *object,
                const char  *name)
{
  if (json_object_has_member (object, name))
    {
      g_free (*field);
      *field = g_strdup (json_object_get_string_member (object, name));
    }
}

static gboolean
same_ci (const char *a,
         const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

static void
disable_multi_cloud_clusters (Group *group)
{
  for (guint i = 0; i < group->clusters->len; i++)
    {
      Cluster *cluster = g_ptr_array_index (group->clusters, i);

      if (cluster_is_multi_cloud (cluster))
        cluster->paused = TRUE;
    }
}

/* Keys the seed makes Atlas refuse, with the catalogue's code and text. */
static const struct
{
  const char *name;
  const char *code;
  const char *detail;
} refused_keys[] = {
  { KL_SIM_EXPIRED_KEY_NAME, CODE_KEY_EXPIRED, "The key has expired." },
  { KL_SIM_DISABLED_KEY_NAME, CODE_KEY_NOT_ENABLED, "Key not enabled." },
  { KL_SIM_NO_ACCESS_KEY_NAME, CODE_NO_PERMISSION,
    "The provided credentials do not have permission to encrypt or decrypt with the key." },
};

static gboolean
patch_azure (KlSimWorld    *world,
             Group         *group,
             JsonObject    *akv,
             KlSimFailure **failure)
{
  static const char *const allowed[] = {
    "azureEnvironment", "clientID", "enabled", "keyIdentifier", "keyVaultName",
    "requirePrivateNetworking", "resourceGroupName", "roleId", "secret", "subscriptionID",
    "tenantID", NULL
  };
  static const char *const read_only[] = { "valid", NULL };
  static const char *const required[] = {
    "enabled", "azureEnvironment", "clientID", "tenantID", "secret", "subscriptionID",
    "resourceGroupName", "keyVaultName", "keyIdentifier", NULL
  };
  static const char *const frozen[] = { "keyVaultName", "resourceGroupName", "subscriptionID",
                                        NULL };
  AzureConfig *current = &group->azure;
  AzureConfig next = { 0, };
  g_autofree char *vault = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *key_name = NULL;
  const char *frozen_values[3];
  int enabled;
  int rpn;

  if (!check_members (akv, allowed, read_only, failure)
      || !validate_azure_member_formats (akv, failure))
    return FALSE;
  get_boolean_member (akv, "enabled", &enabled, failure);
  get_boolean_member (akv, "requirePrivateNetworking", &rpn, failure);

  if (enabled == FALSE)
    return disable_azure (group, akv, failure);

  if (!current->enabled)
    {
      g_autoptr(JsonArray) missing = json_array_new ();

      if (enabled == -1 && rpn == TRUE)
        return fail (failure, kl_sim_failure_new (400, CODE_RPN_REQUIRES_CMK, NULL,
                                                  "requirePrivateNetworking needs encryption at "
                                                  "rest with Azure Key Vault enabled first: send "
                                                  "the whole azureKeyVault object with "
                                                  "enabled: true."));
      for (guint i = 0; required[i] != NULL; i++)
        if (!json_object_has_member (akv, required[i]))
          json_array_add_string_element (missing, required[i]);
      if (json_array_get_length (missing) > 0)
        return fail (failure, kl_sim_failure_new (400, CODE_MISSING_ATTRIBUTE,
                                                  json_node_init_array (json_node_alloc (),
                                                                        missing),
                                                  "The first enablement needs every "
                                                  "azureKeyVault attribute: %u required "
                                                  "attributes were not specified.",
                                                  json_array_get_length (missing)));
    }

  /* Frozen once private networking is set up, even in the PATCH that turns it off. */
  frozen_values[0] = current->vault_name;
  frozen_values[1] = current->resource_group;
  frozen_values[2] = current->subscription_id;
  if (current->enabled && current->require_private_networking)
    {
      for (guint i = 0; frozen[i] != NULL; i++)
        {
          const char *value = NULL;

          get_string_member (akv, frozen[i], &value, failure);
          if (value != NULL && !same_ci (value, frozen_values[i]))
            return fail (failure, kl_sim_failure_new (400, CODE_IMMUTABLE_WITH_RPN,
                                                      string_params (frozen[i], NULL),
                                                      "%s cannot be modified while private "
                                                      "networking is set up for Azure Key Vault.",
                                                      frozen[i]));
        }
    }

  azure_config_copy (&next, current);
  next.enabled = TRUE;
  replace_string (&next.environment, akv, "azureEnvironment");
  replace_string (&next.client_id, akv, "clientID");
  replace_string (&next.tenant_id, akv, "tenantID");
  replace_string (&next.secret, akv, "secret");
  replace_string (&next.subscription_id, akv, "subscriptionID");
  replace_string (&next.resource_group, akv, "resourceGroupName");
  replace_string (&next.vault_name, akv, "keyVaultName");
  replace_string (&next.key_identifier, akv, "keyIdentifier");
  replace_string (&next.role_id, akv, "roleId");
  if (rpn != -1)
    next.require_private_networking = rpn;

  /* The key must live in the configured vault, in the configured Azure cloud. */
  if (!parse_key_identifier (next.key_identifier, &vault, &suffix, &key_name))
    g_assert_not_reached ();
  /* Outside the environment's cloud the identifier cannot be one of its vaults' keys; in
   * another vault than keyVaultName, Atlas finds no such key with these credentials. */
  if (g_strcmp0 (suffix, vault_suffix_for_environment (next.environment)) != 0)
    {
      fail (failure, kl_sim_failure_new (400, CODE_KEY_ID_INVALID_FORMAT, NULL,
                                         "Invalid format for Azure Key Vault Key Identifier."));
      azure_config_clear (&next);
      return FALSE;
    }
  if (!same_ci (vault, next.vault_name))
    {
      fail (failure, kl_sim_failure_new (400, CODE_KEY_NOT_FOUND, NULL,
                                         "No Azure Key Vault key found for the provided "
                                         "credentials."));
      azure_config_clear (&next);
      return FALSE;
    }
  if (g_ascii_strcasecmp (next.client_id, KL_SIM_BAD_AZURE_CLIENT_ID) == 0)
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_AZURE_CREDENTIALS, NULL,
                                         "The Azure credentials are invalid: check the tenant "
                                         "ID, client ID and client secret of the application."));
      azure_config_clear (&next);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused_keys); i++)
    if (g_strcmp0 (key_name, refused_keys[i].name) == 0)
      {
        fail (failure, kl_sim_failure_new (400, refused_keys[i].code, NULL, "%s",
                                           refused_keys[i].detail));
        azure_config_clear (&next);
        return FALSE;
      }
  if (current->require_private_networking && !next.require_private_networking
      && group->endpoints->len > 0)
    {
      g_autoptr(JsonNode) regions = endpoint_regions (group);
      g_autoptr(GString) text = g_string_new (NULL);
      JsonArray *array = json_node_get_array (regions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                                json_array_get_string_element (array, i));
      fail (failure, kl_sim_failure_new (400, CODE_DISABLE_RPN_WHILE_ENDPOINTS,
                                         json_node_ref (regions),
                                         "Cannot disable requirePrivateNetworking field when "
                                         "there are private endpoints. Remove private endpoints "
                                         "in region(s) %s to disable requirePrivateNetworking.",
                                         text->str));
      azure_config_clear (&next);
      return FALSE;
    }
  next.valid = g_strcmp0 (key_name, KL_SIM_UNUSABLE_KEY_NAME) != 0;

  if (next.require_private_networking && !current->require_private_networking)
    disable_multi_cloud_clusters (group);
  azure_config_clear (current);
  *current = next;
  return TRUE;
}

/* AWS KMS and Google Cloud KMS are not modelled: only {"enabled": false} (a no-op) passes. */
static gboolean
patch_other_provider (JsonNode      *node,
                      const char    *name,
                      KlSimFailure **failure)
{
  JsonObject *object;
  JsonNode *enabled;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_format (failure, name, "it must be an object");
  object = json_node_get_object (node);
  enabled = json_object_get_member (object, "enabled");
  if (json_object_get_size (object) == 0
      || (json_object_get_size (object) == 1 && enabled != NULL && JSON_NODE_HOLDS_VALUE (enabled)
          && json_node_get_value_type (enabled) == G_TYPE_BOOLEAN
          && !json_node_get_boolean (enabled)))
    return TRUE;
  return fail (failure, kl_sim_failure_new (400, CODE_PROVIDER_NOT_SIMULATED,
                                            string_params (name, NULL),
                                            "The simulator only models Azure Key Vault; %s can "
                                            "only be sent as {\"enabled\": false}.", name));
}

JsonNode *
kl_sim_world_patch_ear (KlSimWorld    *world,
                        const char    *group_id,
                        JsonNode      *body,
                        KlSimFailure **failure)
{
  static const char *const allowed[] = {
    "awsKms", "azureKeyVault", "enabledForSearchNodes", "googleCloudKms", NULL
  };
  Group *group;
  JsonObject *object;
  JsonNode *node;
  int search_nodes;

  group = lookup_group (world, group_id, failure);
  if (group == NULL || !check_body_object (body, failure))
    return NULL;
  object = json_node_get_object (body);
  if (!check_members (object, allowed, NULL, failure)
      || !get_boolean_member (object, "enabledForSearchNodes", &search_nodes, failure))
    return NULL;
  if ((node = json_object_get_member (object, "awsKms")) != NULL
      && !patch_other_provider (node, "awsKms", failure))
    return NULL;
  if ((node = json_object_get_member (object, "googleCloudKms")) != NULL
      && !patch_other_provider (node, "googleCloudKms", failure))
    return NULL;
  if ((node = json_object_get_member (object, "azureKeyVault")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          bad_format (failure, "azureKeyVault", "it must be an object");
          return NULL;
        }
      if (!patch_azure (world, group, json_node_get_object (node), failure))
        return NULL;
    }
  if (search_nodes != -1)
    group->search_nodes = search_nodes;

  return ear_view (group);
}

/* Private endpoints */

JsonNode *
kl_sim_world_list_endpoints (KlSimWorld    *world,
                             const char    *group_id,
                             const char    *cloud_provider,
                             KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  JsonArray *array;

  if (group == NULL || !check_cloud_provider (cloud_provider, failure))
    return NULL;
  array = json_array_new ();
  if (g_strcmp0 (cloud_provider, "AZURE") == 0)
    for (guint i = 0; i < group->endpoints->len; i++)
      json_array_add_element (array, endpoint_view (g_ptr_array_index (group->endpoints, i)));
  return kl_sim_json_array_node (array);
}

static gboolean
region_matches_environment (const char *region,
                            const char *environment)
{
  gboolean gov = g_str_has_prefix (region, "US_GOV_");
  gboolean china = g_str_has_prefix (region, "CHINA_");

  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return gov;
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return china;
  return !gov && !china;
}

JsonNode *
kl_sim_world_create_endpoint (KlSimWorld    *world,
                              const char    *group_id,
                              const char    *cloud_provider,
                              JsonNode      *body,
                              KlSimFailure **failure)
{
  static const char *const allowed[] = { "cloudProvider", "regionName", NULL };
  static const char *const read_only[] = {
    "id", "status", "errorMessage", "privateEndpointConnectionName", NULL
  };
  Group *group;
  JsonObject *object;
  const char *region;
  const char *provider_member;
  Endpoint *endpoint;

  group = lookup_group (world, group_id, failure);
  if (group == NULL || !check_cloud_provider (cloud_provider, failure)
      || !check_body_object (body, failure))
    return NULL;
  object = json_node_get_object (body);
  if (!check_members (object, allowed, read_only, failure)
      || !get_string_member (object, "regionName", &region, failure)
      || !get_string_member (object, "cloudProvider", &provider_member, failure))
    return NULL;
  /* cloudProvider is read-only, but it is the body's discriminator: tolerated when it agrees. */
  if (provider_member != NULL && g_strcmp0 (provider_member, cloud_provider) != 0)
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_ATTRIBUTE,
                                         string_params ("cloudProvider", NULL),
                                         "cloudProvider %s in the body does not match %s in the "
                                         "path.", provider_member, cloud_provider));
      return NULL;
    }
  if (region == NULL)
    {
      fail (failure, kl_sim_failure_new (400, CODE_MISSING_ATTRIBUTE,
                                         string_params ("regionName", NULL),
                                         "The required attribute regionName was not specified."));
      return NULL;
    }
  if (g_strcmp0 (cloud_provider, "AZURE") != 0
      || !group->azure.enabled || !group->azure.require_private_networking)
    {
      fail (failure, kl_sim_failure_new (400, CODE_PRIVATE_NETWORKING_OFF,
                                         string_params (cloud_provider, NULL),
                                         "Private endpoints need encryption at rest with %s "
                                         "enabled and requirePrivateNetworking set to true.",
                                         cloud_provider));
      return NULL;
    }
  if (!g_hash_table_contains (world->azure_regions, region)
      || !region_matches_environment (region, group->azure.environment))
    {
      fail (failure, kl_sim_failure_new (400, CODE_INVALID_REGION,
                                         string_params (region, "AZURE", NULL),
                                         "No region %s exists for provider AZURE in the %s "
                                         "environment.", region, group->azure.environment));
      return NULL;
    }
  for (guint i = 0; i < group->endpoints->len; i++)
    {
      Endpoint *existing = g_ptr_array_index (group->endpoints, i);

      if (g_strcmp0 (existing->region, region) == 0)
        {
          fail (failure, kl_sim_failure_new (409, CODE_ENDPOINT_EXISTS_FOR_REGION,
                                             string_params (region, existing->id, NULL),
                                             "A private endpoint already exists for region %s "
                                             "(%s, %s).", region, existing->id,
                                             endpoint_status_names[existing->status]));
          return NULL;
        }
    }

  endpoint = g_new0 (Endpoint, 1);
  endpoint->id = random_object_id (world);
  endpoint->region = g_strdup (region);
  endpoint->status = EP_INITIATING;
  endpoint->since = kl_sim_world_now (world);
  g_ptr_array_add (group->endpoints, endpoint);

  return endpoint_view (endpoint);
}

/* The endpoint @endpoint_id of @cloud_provider in @group_id, or NULL with a failure. */
static Endpoint *
find_endpoint (KlSimWorld    *world,
               const char    *group_id,
               const char    *cloud_provider,
               const char    *endpoint_id,
               KlSimFailure **failure)
{
  Group *group = lookup_group (world, group_id, failure);

  if (group == NULL || !check_cloud_provider (cloud_provider, failure))
    return NULL;
  return lookup_endpoint (group, cloud_provider, endpoint_id, failure);
}

JsonNode *
kl_sim_world_get_endpoint (KlSimWorld    *world,
                           const char    *group_id,
                           const char    *cloud_provider,
                           const char    *endpoint_id,
                           KlSimFailure **failure)
{
  Endpoint *endpoint = find_endpoint (world, group_id, cloud_provider, endpoint_id, failure);

  return endpoint ? endpoint_view (endpoint) : NULL;
}

gboolean
kl_sim_world_delete_endpoint (KlSimWorld    *world,
                              const char    *group_id,
                              const char    *cloud_provider,
                              const char    *endpoint_id,
                              KlSimFailure **failure)
{
  Endpoint *endpoint = find_endpoint (world, group_id, cloud_provider, endpoint_id, failure);

  if (endpoint == NULL)
    return FALSE;

  if (endpoint->status == EP_INITIATING)
    {
      JsonArray *inner = json_array_new ();
      JsonArray *outer = json_array_new ();

      /* Recorded: parameters [[id]], the id in brackets in the detail. */
      json_array_add_string_element (inner, endpoint->id);
      json_array_add_array_element (outer, inner);
      return fail (failure, kl_sim_failure_new (400, CODE_DELETE_DURING_PROVISIONING,
                                                kl_sim_json_array_node (outer),
                                                "Failed to delete Encryption at Rest Private "
                                                "endpoint with id [%s] during IN_PROGRESS state. "
                                                "Please try again later.", endpoint->id));
    }
  if (endpoint->status != EP_DELETING)
    {
      endpoint->status = EP_DELETING;
      endpoint->since = kl_sim_world_now (world);
    }
  return TRUE;
}

JsonNode *
kl_sim_world_azure_action (KlSimWorld        *world,
                           const char        *group_id,
                           const char        *endpoint_id,
                           KlSimAzureAction   action,
                           const char        *error_message,
                           KlSimFailure     **failure)
{
  Group *group = lookup_group (world, group_id, failure);
  Endpoint *endpoint;
  gboolean allowed;

  if (group == NULL)
    return NULL;
  endpoint = lookup_endpoint (group, "AZURE", endpoint_id, failure);
  if (endpoint == NULL)
    return NULL;

  switch (action)
    {
    case KL_SIM_AZURE_APPROVE:
      allowed = endpoint->status == EP_PENDING_ACCEPTANCE && !endpoint->approved;
      break;
    case KL_SIM_AZURE_REJECT:
    case KL_SIM_AZURE_REMOVE:
      allowed = endpoint->status == EP_PENDING_ACCEPTANCE || endpoint->status == EP_ACTIVE;
      break;
    case KL_SIM_AZURE_FAIL:
      allowed = endpoint->status != EP_DELETING;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!allowed)
    {
      fail (failure, kl_sim_failure_new (409, CODE_SIM_INVALID_STATE,
                                         string_params (endpoint_status_names[endpoint->status],
                                                        NULL),
                                         "This Azure-side action does not apply to an endpoint "
                                         "in status %s%s.",
                                         endpoint_status_names[endpoint->status],
                                         endpoint->approved ? " (already approved)" : ""));
      return NULL;
    }

  switch (action)
    {
    case KL_SIM_AZURE_APPROVE:
      endpoint->approved = TRUE;
      endpoint->approved_at = kl_sim_world_now (world);
      break;
    case KL_SIM_AZURE_REJECT:
    case KL_SIM_AZURE_REMOVE:
      {
        Endpoint *renewed = g_new0 (Endpoint, 1);

        /* As the docs describe it: the old record shows PENDING_RECREATION (with a message)
         * until it goes away, while Atlas creates a NEW record for the region, with a new id,
         * in INITIATING (then PENDING_ACCEPTANCE with a new connection name). */
        endpoint->status = EP_PENDING_RECREATION;
        endpoint->since = kl_sim_world_now (world);
        endpoint->approved = FALSE;
        g_free (endpoint->error_message);
        endpoint->error_message = g_strdup (action == KL_SIM_AZURE_REJECT
                                            ? "private endpoint was rejected"
                                            : "private endpoint was removed");

        renewed->id = random_object_id (world);
        renewed->region = g_strdup (endpoint->region);
        renewed->status = EP_INITIATING;
        renewed->since = endpoint->since;
        g_ptr_array_add (group->endpoints, renewed);
      }
      break;
    case KL_SIM_AZURE_FAIL:
      endpoint->status = EP_FAILED;
      endpoint->since = kl_sim_world_now (world);
      g_free (endpoint->error_message);
      endpoint->error_message = g_strdup (error_message != NULL
                                          ? error_message
                                          : "Azure could not create the private endpoint: the "
                                            "key vault refused the connection.");
      break;
    default:
      g_assert_not_reached ();
    }

  if (world->connection_func != NULL && action != KL_SIM_AZURE_FAIL
      && endpoint->connection_name != NULL && group->azure.vault_name != NULL)
    {
      KlSimConnectionEvent event = action == KL_SIM_AZURE_APPROVE ? KL_SIM_CONNECTION_APPROVED
                                   : action == KL_SIM_AZURE_REJECT ? KL_SIM_CONNECTION_REJECTED
                                   : KL_SIM_CONNECTION_REMOVED;

      world->connection_func (event, group->id, group->azure.vault_name,
                              endpoint->connection_name, world->connection_data);
    }

  return endpoint_view (endpoint);
}
