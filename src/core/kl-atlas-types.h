/* kl-atlas-types.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kl-types.h"

G_BEGIN_DECLS

/* Models of the Atlas Admin API v2 objects Keylink uses (design.md section 3), and the pure
 * functions that turn JSON into them and them into request bodies.
 *
 * Every model is a final GObject, so lists of them go straight into a GListStore.
 * Parsers never touch the network or any global state: JSON text (or a JsonNode) in, model out.
 * A document of the wrong shape (not an object, a string where an object belongs, …) is a
 * KL_ERROR_BAD_RESPONSE, never a crash. Unknown fields are ignored; unknown enum values are kept
 * as their text. Strings that are absent or null are returned as NULL by the getters. */

/* Whether @id has the shape of an Atlas id: 24 lowercase hex digits. */
gboolean      kl_atlas_id_is_valid          (const char    *id);
/* Zeroes a secret string, then frees it. NULL-safe. */
void          kl_secret_free                (char          *secret);

/* json-glib recurses once per nesting level, so enough '[' from a server would overflow the
 * stack: every parser of server answers first checks that @json (@length bytes, -1: up to
 * the NUL) nests arrays and objects at most KL_JSON_MAX_DEPTH deep. */
#define KL_JSON_MAX_DEPTH 128
gboolean      kl_json_depth_is_safe         (const char    *json,
                                             gssize         length);
/* json-glib refuses a whole document for one invalid UTF-8 sequence, and cuts a string at a
 * NUL: a copy of @json (@length bytes, -1: up to the NUL) where each invalid sequence and NUL
 * byte is U+FFFD, and each \u0000 escape inside a string is \ufffd, so one bad name spoils
 * only itself (issue 22). NULL when @json needs no change; else the copy, its size in
 * @out_length. */
char         *kl_json_dup_sanitized         (const char    *json,
                                             gssize         length,
                                             gsize         *out_length);

#define KL_TYPE_PROJECT            (kl_project_get_type ())
#define KL_TYPE_AZURE_KEY_VAULT    (kl_azure_key_vault_get_type ())
#define KL_TYPE_ENCRYPTION_AT_REST (kl_encryption_at_rest_get_type ())
#define KL_TYPE_PRIVATE_ENDPOINT   (kl_private_endpoint_get_type ())
#define KL_TYPE_CLUSTER            (kl_cluster_get_type ())
#define KL_TYPE_ATLAS_ERROR        (kl_atlas_error_get_type ())

G_DECLARE_FINAL_TYPE (KlProject, kl_project, KL, PROJECT, GObject)
G_DECLARE_FINAL_TYPE (KlAzureKeyVault, kl_azure_key_vault, KL, AZURE_KEY_VAULT, GObject)
G_DECLARE_FINAL_TYPE (KlEncryptionAtRest, kl_encryption_at_rest, KL, ENCRYPTION_AT_REST, GObject)
G_DECLARE_FINAL_TYPE (KlPrivateEndpoint, kl_private_endpoint, KL, PRIVATE_ENDPOINT, GObject)
G_DECLARE_FINAL_TYPE (KlCluster, kl_cluster, KL, CLUSTER, GObject)
G_DECLARE_FINAL_TYPE (KlAtlasError, kl_atlas_error, KL, ATLAS_ERROR, GObject)

/* Pages of a paginated list ({"links":[…], "results":[…], "totalCount":n}). Each returns a
 * GPtrArray of new models (free function g_object_unref) and whether a link with rel "next"
 * says there are more pages. */

/* ---- KlProject (Group) — properties "id", "name", "org-id", "cluster-count" ---- */
KlProject    *kl_project_new_from_node      (JsonNode      *node,
                                             GError       **error);
KlProject    *kl_project_parse              (const char    *json,
                                             gssize         length,
                                             GError       **error);
GPtrArray    *kl_project_parse_page         (const char    *json,
                                             gssize         length,
                                             gboolean      *has_next,
                                             GError       **error);
const char   *kl_project_get_id             (KlProject     *self);
const char   *kl_project_get_name           (KlProject     *self);
const char   *kl_project_get_org_id         (KlProject     *self);
gint64        kl_project_get_cluster_count  (KlProject     *self); /* -1 when absent */
const char   *kl_project_get_created        (KlProject     *self); /* ISO 8601 text or NULL */

/* ---- KlAzureKeyVault — EncryptionAtRest.azureKeyVault ----
 * Returned by the parser (secret always NULL: it is write-only and never read from a
 * response) and filled by the pages as the input of the PATCH builders. Every string setter
 * takes NULL for "not set". The secret is copied, held only here and wiped (zeroed) when it
 * is replaced or the object is finalized; it has no property and is never logged. */
KlAzureKeyVault *kl_azure_key_vault_new                      (void);
KlAzureKeyVault *kl_azure_key_vault_new_from_node            (JsonNode         *node,
                                                              GError          **error);
KlAzureKeyVault *kl_azure_key_vault_copy                     (KlAzureKeyVault  *self);

const char   *kl_azure_key_vault_get_azure_environment    (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_client_id            (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_tenant_id            (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_subscription_id      (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_resource_group_name  (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_key_vault_name       (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_key_identifier       (KlAzureKeyVault *self);
const char   *kl_azure_key_vault_get_role_id              (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_enabled              (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_require_private_networking (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_get_valid                (KlAzureKeyVault *self);
gboolean      kl_azure_key_vault_has_secret               (KlAzureKeyVault *self);

void          kl_azure_key_vault_set_azure_environment    (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_client_id            (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_tenant_id            (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_subscription_id      (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_resource_group_name  (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_key_vault_name       (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_key_identifier       (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_role_id              (KlAzureKeyVault *self,
                                                           const char      *value);
void          kl_azure_key_vault_set_secret               (KlAzureKeyVault *self,
                                                           const char      *secret);
void          kl_azure_key_vault_set_enabled              (KlAzureKeyVault *self,
                                                           gboolean         enabled);
void          kl_azure_key_vault_set_require_private_networking (KlAzureKeyVault *self,
                                                                 gboolean         require);

/* ---- KlEncryptionAtRest — GET/PATCH …/encryptionAtRest ---- */
KlEncryptionAtRest *kl_encryption_at_rest_new_from_node (JsonNode           *node,
                                                         GError            **error);
KlEncryptionAtRest *kl_encryption_at_rest_parse         (const char         *json,
                                                         gssize              length,
                                                         GError            **error);
/* Never NULL: an absent or null azureKeyVault is an unconfigured (all unset) one. */
KlAzureKeyVault *kl_encryption_at_rest_get_azure_key_vault       (KlEncryptionAtRest *self);
/* Whether another provider (awsKms / googleCloudKms) is enabled in the project. */
gboolean         kl_encryption_at_rest_get_aws_kms_enabled       (KlEncryptionAtRest *self);
gboolean         kl_encryption_at_rest_get_google_cloud_kms_enabled (KlEncryptionAtRest *self);

/* PATCH bodies for …/encryptionAtRest, as JSON text in a GBytes whose memory is zeroed when
 * the last reference goes (it may hold the Azure secret). Hand them to
 * kl_atlas_client_patch_encryption_at_rest_async().
 *
 * kl_encryption_at_rest_build_patch(): when @current is NULL or not enabled (first
 * enablement) the whole azureKeyVault object is sent with "enabled": true — every field of
 * @wanted but role id and valid must be set, the secret included, else KL_ERROR_INVALID_INPUT
 * naming the missing field; requirePrivateNetworking goes too if it was set on @wanted.
 * Otherwise only what differs between @current and @wanted is sent: string fields set on
 * @wanted (NULL means "keep"; vault, group and ids compare without case), the secret when
 * @wanted has one, requirePrivateNetworking when set on @wanted and different. "enabled" is
 * never part of a partial PATCH (turning CMK off is kl_encryption_at_rest_build_disable()).
 * Changing keyVaultName, resourceGroupName or subscriptionID while @current requires private
 * networking is KL_ERROR_INELIGIBLE. Nothing to change gives {"azureKeyVault":{}}.
 * Typical use: wanted = kl_azure_key_vault_copy (current), then the setters. */
GBytes       *kl_encryption_at_rest_build_patch             (KlAzureKeyVault *current,
                                                             KlAzureKeyVault *wanted,
                                                             GError         **error);
/* {"azureKeyVault":{"requirePrivateNetworking":<require>}} */
GBytes       *kl_encryption_at_rest_build_private_networking (gboolean         require);
/* {"azureKeyVault":{"enabled":false}} — turn CMK off (design.md section 4 comes first). */
GBytes       *kl_encryption_at_rest_build_disable           (void);

/* ---- KlPrivateEndpoint — EARPrivateEndpoint (Azure) ----
 * Properties "id", "region-name", "status" (KlEndpointStatus), "status-text",
 * "error-message", "private-endpoint-connection-name". */
KlPrivateEndpoint *kl_private_endpoint_new_from_node (JsonNode      *node,
                                                      GError       **error);
KlPrivateEndpoint *kl_private_endpoint_parse         (const char    *json,
                                                      gssize         length,
                                                      GError       **error);
GPtrArray         *kl_private_endpoint_parse_page    (const char    *json,
                                                      gssize         length,
                                                      gboolean      *has_next,
                                                      GError       **error);
const char       *kl_private_endpoint_get_id              (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_region_name     (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_cloud_provider  (KlPrivateEndpoint *self);
/* KL_ENDPOINT_STATUS_UNKNOWN for a value this version does not know; the text is kept. */
KlEndpointStatus  kl_private_endpoint_get_status          (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_status_text     (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_error_message   (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_private_endpoint_connection_name
                                                          (KlPrivateEndpoint *self);
/* {"regionName": "<region>"} (no secret: a plain GBytes). */
GBytes           *kl_private_endpoint_build_create        (const char        *region_name);

/* Atlas replaces an endpoint rejected or removed in Azure by a NEW record (a new id) while
 * the old one shows PENDING_RECREATION until it goes away (design.md section 3): a region may
 * have several records, and is followed by its newest. Whether @a is a newer record of its
 * region than @b: a record not in PENDING_RECREATION or DELETING beats one that is, and
 * between two alike the greater id wins (ObjectIds grow with time). */
gboolean           kl_private_endpoint_is_newer           (KlPrivateEndpoint *a,
                                                           KlPrivateEndpoint *b);
/* The newest record of @region_name in @endpoints (KlPrivateEndpoint), or NULL (transfer
 * none). */
KlPrivateEndpoint *kl_private_endpoints_find_newest       (GPtrArray         *endpoints,
                                                           const char        *region_name);
/* One record per region, its newest, in the order the regions first appear in @endpoints
 * (transfer container: the items are referenced). */
GPtrArray         *kl_private_endpoints_dup_newest        (GPtrArray         *endpoints);
/* Of the other records of @endpoint's region in @endpoints, the newest one that carries an
 * errorMessage (what Atlas said of the record it replaced, e.g. "private endpoint was
 * rejected"), or NULL (transfer none). */
KlPrivateEndpoint *kl_private_endpoints_find_superseded   (GPtrArray         *endpoints,
                                                           KlPrivateEndpoint *endpoint);

KlEndpointStatus  kl_endpoint_status_from_string  (const char       *text);
const char       *kl_endpoint_status_to_string    (KlEndpointStatus  status); /* NULL for UNKNOWN */

/* ---- KlCluster — ClusterDescription20240805 ----
 * Properties "name", "state-name", "paused", "encryption-at-rest-provider", "cluster-type",
 * "instance-size", "provider-name", "multi-cloud", "tenant", "flex", "serverless". */

/* One regionConfigs[] entry, over every replicationSpecs[]; strings owned by the cluster. */
typedef struct
{
  const char *provider_name;         /* "AZURE", "AWS", "GCP", "TENANT", … (NULL if absent) */
  const char *backing_provider_name; /* tenant/flex: the cloud underneath, else NULL */
  const char *region_name;           /* e.g. "US_EAST_2" (NULL if absent) */
  const char *instance_size;         /* electableSpecs (else readOnly/analytics) instanceSize */
} KlRegionConfig;

KlCluster    *kl_cluster_new_from_node            (JsonNode    *node,
                                                   GError     **error);
KlCluster    *kl_cluster_parse                    (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
GPtrArray    *kl_cluster_parse_page               (const char  *json,
                                                   gssize       length,
                                                   gboolean    *has_next,
                                                   GError     **error);
/* A Flex cluster as the Flex API gives it (FlexClusterDescription20241113: name, id,
 * stateName, providerSettings.backingProviderName and regionName): flex is TRUE and it has one
 * region config {provider "FLEX", the backing cloud, the region, instance size "FLEX"}, so it
 * shows like any other cluster and kl_cluster_check_cmk_eligible() refuses it. */
KlCluster    *kl_cluster_new_from_flex_node       (JsonNode    *node,
                                                   GError     **error);
KlCluster    *kl_cluster_parse_flex               (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
GPtrArray    *kl_cluster_parse_flex_page          (const char  *json,
                                                   gssize       length,
                                                   gboolean    *has_next,
                                                   GError     **error);
const char   *kl_cluster_get_name                 (KlCluster   *self);
const char   *kl_cluster_get_id                   (KlCluster   *self);
const char   *kl_cluster_get_state_name           (KlCluster   *self); /* "IDLE", "UPDATING", … */
gboolean      kl_cluster_get_paused               (KlCluster   *self);
/* "NONE", "AZURE", "AWS", "GCP", or unknown text; NULL when absent. */
const char   *kl_cluster_get_encryption_at_rest_provider (KlCluster *self);
const char   *kl_cluster_get_cluster_type         (KlCluster   *self); /* REPLICASET, SHARDED, … */
const KlRegionConfig *kl_cluster_get_region_configs (KlCluster *self,
                                                     guint     *n_configs);
/* The tier of the first region config that has one ("M10", "M0", "FLEX", …), or NULL. */
const char   *kl_cluster_get_instance_size        (KlCluster   *self);
/* The provider of the first region config with one, NULL if none. */
const char   *kl_cluster_get_provider_name        (KlCluster   *self);
/* Whether the region configs name more than one cloud (AWS, AZURE, GCP). */
gboolean      kl_cluster_is_multi_cloud           (KlCluster   *self);
/* Whether any region config has a cloud's provider name of @provider (e.g. "AZURE"),
 * counting the backing provider of tenant and flex clusters. */
gboolean      kl_cluster_uses_provider            (KlCluster   *self,
                                                   const char  *provider);
gboolean      kl_cluster_is_tenant                (KlCluster   *self); /* M0, M2, M5 */
gboolean      kl_cluster_is_flex                  (KlCluster   *self);
gboolean      kl_cluster_is_serverless            (KlCluster   *self);
/* Whether customer-managed keys can be turned on for this cluster (design.md section 3):
 * not M0/M2/M5, Flex, serverless, multi-cloud or paused. FALSE with KL_ERROR_INELIGIBLE and a
 * translated message giving the reason and what to do. */
gboolean      kl_cluster_check_cmk_eligible       (KlCluster   *self,
                                                   GError     **error);
/* {"encryptionAtRestProvider": "<provider>"} — the only field Keylink ever sends. */
GBytes       *kl_cluster_build_encryption_patch   (const char  *provider);

/* ---- KlAtlasError — the body of an Atlas error answer ----
 * {"detail","error","errorCode","parameters","reason"}; kept with the GError
 * (kl_atlas_error_from_gerror() in kl-error.h) so the UI can show the Atlas code. */
KlAtlasError *kl_atlas_error_new                  (guint        http_status,
                                                   const char  *error_code);
KlAtlasError *kl_atlas_error_new_from_node        (JsonNode    *node,
                                                   GError     **error);
KlAtlasError *kl_atlas_error_parse                (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
guint         kl_atlas_error_get_http_status      (KlAtlasError *self); /* "error", 0 if absent */
const char   *kl_atlas_error_get_error_code       (KlAtlasError *self);
const char   *kl_atlas_error_get_detail           (KlAtlasError *self);
const char   *kl_atlas_error_get_reason           (KlAtlasError *self);
/* The "parameters" array as sent (strings, numbers, nested arrays), or NULL. */
JsonNode     *kl_atlas_error_get_parameters       (KlAtlasError *self);
/* The parameters flattened to text ("US_EAST_2, EUROPE_WEST"), or NULL when there are none. */
char         *kl_atlas_error_dup_parameters_text  (KlAtlasError *self);

G_END_DECLS
