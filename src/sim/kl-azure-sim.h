/* kl-azure-sim.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A local Azure for the preflight's tests and demo mode (shared/azure/azure-api.md): the
 * identity platform's token endpoint, ARM (the vault, its private endpoint connections and
 * their approval PUT, the resource provider read) and the Key Vault data plane (the key read),
 * with the error answers of azure-api.md. Three loopback servers, one per host, so that tests
 * can see what went where: kl_azure_sim_get_login_url (), _get_arm_url (), and
 * _get_vault_url_template () ("http://127.0.0.1:PORT/{vault}", the vault's name as the first
 * path segment). The control API (/__sim/ on the ARM server, src/sim/README-azure.md) and the
 * C API below set the state. Strict like KlSim: it refuses what real Azure might let through
 * (api-versions outside the stable lists, a scope of another cloud, …).
 *
 * Everything runs on the thread-default main context of kl_azure_sim_start (). */

/* The seeded world of kl_azure_sim_new (): one tenant, one application with every role, one
 * subscription with Microsoft.Network registered, and a vault using Azure RBAC, open to
 * every network, holding an enabled RSA key that expires in a year. */
#define KL_AZURE_SIM_TENANT_ID       "5a5a5a5a-1111-4222-8333-444455556666"
#define KL_AZURE_SIM_CLIENT_ID       "c1c1c1c1-2222-4333-8444-555566667777"
#define KL_AZURE_SIM_CLIENT_SECRET   "sim~Secret~Value~0123456789abcdefXYZ"
#define KL_AZURE_SIM_SUBSCRIPTION_ID "11111111-2222-3333-4444-555555555555"
#define KL_AZURE_SIM_RESOURCE_GROUP  "rg-kl"
#define KL_AZURE_SIM_VAULT_NAME      "kv-kl"
#define KL_AZURE_SIM_KEY_NAME        "kl-key"
#define KL_AZURE_SIM_LOCATION        "eastus2"
/* The version of the seeded key (32 hex). */
#define KL_AZURE_SIM_KEY_VERSION     "0123456789abcdef0123456789abcdef"

/* After an approval, the connection's provisioningState is Updating for this many simulated
 * seconds, then Succeeded (the simulator's model; time-scaled like KlSim). */
#define KL_AZURE_SIM_APPROVAL_SECONDS 30

/* What the application may do (Azure roles, simplified to what the preflight touches). */
typedef enum
{
  KL_AZURE_SIM_ROLE_NONE           = 0,
  KL_AZURE_SIM_ROLE_VAULT_READ     = 1 << 0, /* ARM: Microsoft.KeyVault/vaults/…/read */
  KL_AZURE_SIM_ROLE_KEY_READ       = 1 << 1, /* data action Microsoft.KeyVault/vaults/keys/read (RBAC vaults) */
  KL_AZURE_SIM_ROLE_APPROVE        = 1 << 2, /* ARM: write private endpoint connections */
  KL_AZURE_SIM_ROLE_PROVIDER_READ  = 1 << 3, /* ARM: read the subscription's providers */
  KL_AZURE_SIM_ROLE_ALL            = 0xf,
} KlAzureSimRoles;

/* How the identity platform treats the application. */
typedef enum
{
  KL_AZURE_SIM_APP_OK,
  KL_AZURE_SIM_APP_SECRET_EXPIRED,      /* AADSTS7000222 */
  KL_AZURE_SIM_APP_DISABLED,            /* AADSTS7000112 */
  KL_AZURE_SIM_APP_CONDITIONAL_ACCESS,  /* AADSTS53003 */
} KlAzureSimAppState;

#define KL_TYPE_AZURE_SIM (kl_azure_sim_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureSim, kl_azure_sim, KL, AZURE_SIM, GObject)

/* @environment: "AZURE", "AZURE_CHINA" or "AZURE_US_GOVERNMENT" (scopes and DNS suffix). */
KlAzureSim *kl_azure_sim_new                 (const char          *environment);
gboolean    kl_azure_sim_start               (KlAzureSim          *self,
                                              GError             **error);
void        kl_azure_sim_stop                (KlAzureSim          *self);
/* "http://127.0.0.1:PORT" of each server, valid after kl_azure_sim_start (). */
const char *kl_azure_sim_get_login_url       (KlAzureSim          *self);
const char *kl_azure_sim_get_arm_url         (KlAzureSim          *self);
/* "http://127.0.0.1:PORT/{vault}" */
const char *kl_azure_sim_get_vault_url_template (KlAzureSim       *self);

/* Time, as KlSim: real durations are simulated ones times @time_scale; 0 stops the clock. */
void        kl_azure_sim_set_time_scale      (KlAzureSim          *self,
                                              double               time_scale);
void        kl_azure_sim_advance             (KlAzureSim          *self,
                                              double               seconds);
/* expires_in of new tokens, simulated seconds (default 3599). */
void        kl_azure_sim_set_token_lifetime  (KlAzureSim          *self,
                                              guint                seconds);

/* Identity. Another tenant ID is unknown (AADSTS90002) unless added as a tenant of another
 * cloud (AADSTS90038). */
void        kl_azure_sim_add_foreign_tenant  (KlAzureSim          *self,
                                              const char          *tenant_id);
void        kl_azure_sim_add_app             (KlAzureSim          *self,
                                              const char          *client_id,
                                              const char          *secret,
                                              KlAzureSimRoles      roles);
gboolean    kl_azure_sim_set_app_secret      (KlAzureSim          *self,
                                              const char          *client_id,
                                              const char          *secret);
gboolean    kl_azure_sim_set_app_state       (KlAzureSim          *self,
                                              const char          *client_id,
                                              KlAzureSimAppState   state);
gboolean    kl_azure_sim_set_app_roles       (KlAzureSim          *self,
                                              const char          *client_id,
                                              KlAzureSimRoles      roles);

/* Subscriptions, resource groups, providers. @tenant_id NULL: the simulator's tenant. */
void        kl_azure_sim_add_subscription    (KlAzureSim          *self,
                                              const char          *subscription_id,
                                              const char          *tenant_id);
void        kl_azure_sim_add_resource_group  (KlAzureSim          *self,
                                              const char          *subscription_id,
                                              const char          *resource_group);
/* registrationState of @namespace_name ("Registered", "NotRegistered", …); NULL: unknown
 * provider (404). */
void        kl_azure_sim_set_provider_state  (KlAzureSim          *self,
                                              const char          *subscription_id,
                                              const char          *namespace_name,
                                              const char          *registration_state);

/* Vaults (names are global in a cloud, compared without case). */
void        kl_azure_sim_add_vault           (KlAzureSim          *self,
                                              const char          *subscription_id,
                                              const char          *resource_group,
                                              const char          *vault_name);
/* The vault's tenant (data-plane 401 challenge); default the simulator's. */
gboolean    kl_azure_sim_set_vault_tenant    (KlAzureSim          *self,
                                              const char          *vault_name,
                                              const char          *tenant_id);
/* TRUE: Azure RBAC; FALSE: access policies. */
gboolean    kl_azure_sim_set_vault_rbac      (KlAzureSim          *self,
                                              const char          *vault_name,
                                              gboolean             rbac);
/* An access policy for @client_id with these key permissions (NULL-terminated). */
gboolean    kl_azure_sim_add_access_policy   (KlAzureSim          *self,
                                              const char          *vault_name,
                                              const char          *client_id,
                                              const char * const  *key_permissions);
/* @public_network_access "Enabled"/"Disabled"; @default_action "Allow"/"Deny";
 * @allows_this_machine: whether the firewall's ipRules hold the caller's address. */
gboolean    kl_azure_sim_set_vault_network   (KlAzureSim          *self,
                                              const char          *vault_name,
                                              const char          *public_network_access,
                                              const char          *default_action,
                                              gboolean             allows_this_machine);

/* Keys: @kty ("RSA", "EC", …), @key_ops NULL-terminated; @exp/@nbf Unix seconds, 0 = absent.
 * Adding a key of an existing name replaces it. */
gboolean    kl_azure_sim_add_key             (KlAzureSim          *self,
                                              const char          *vault_name,
                                              const char          *key_name,
                                              const char          *kty,
                                              const char * const  *key_ops,
                                              gboolean             enabled,
                                              gint64               exp,
                                              gint64               nbf);
gboolean    kl_azure_sim_remove_key          (KlAzureSim          *self,
                                              const char          *vault_name,
                                              const char          *key_name);

/* Private endpoint connections. The hook for KlSim: when an Atlas endpoint reaches
 * PENDING_ACCEPTANCE, call kl_azure_sim_add_pending_connection () with its
 * privateEndpointConnectionName; "connection-approved" (vault, connection) then tells when
 * someone approved it in "Azure" (Keylink's PUT, or kl_azure_sim_set_connection_status ()),
 * and "connection-rejected" when it was rejected or disconnected. */
gboolean    kl_azure_sim_add_pending_connection (KlAzureSim       *self,
                                                 const char       *vault_name,
                                                 const char       *connection_name,
                                                 GError          **error);
/* "Pending", "Approved", "Rejected" or "Disconnected", as the portal would set it. */
gboolean    kl_azure_sim_set_connection_status  (KlAzureSim       *self,
                                                 const char       *vault_name,
                                                 const char       *connection_name,
                                                 const char       *status,
                                                 GError          **error);
/* The connection's status, or NULL when the vault has no such connection. */
const char *kl_azure_sim_get_connection_status  (KlAzureSim       *self,
                                                 const char       *vault_name,
                                                 const char       *connection_name);

/* Faults: the rules of KlSim (src/sim/README.md, "Faults"), answered in Azure's shapes:
 * "status" gives the service's error body, "retry_after" a 429 with Retry-After, "malformed"
 * a cut JSON body, "stall" no answer until kl_azure_sim_clear_faults (). */
gboolean    kl_azure_sim_add_fault           (KlAzureSim          *self,
                                              const char          *rule_json,
                                              GError             **error);
void        kl_azure_sim_clear_faults        (KlAzureSim          *self);
guint       kl_azure_sim_count_stalled       (KlAzureSim          *self);

/* What a user types in Keylink's Azure fields. */
typedef struct
{
  char *environment;      /* AZURE, AZURE_CHINA or AZURE_US_GOVERNMENT */
  char *tenant_id;
  char *client_id;
  char *client_secret;
  char *subscription_id;
  char *resource_group;
  char *vault_name;
  char *key_name;
  char *key_version;      /* 32 hex */
  char *key_identifier;   /* https://{vault}.{the cloud's vault suffix}/keys/{name}/{version} */
} KlAzureSimValues;

void        kl_azure_sim_values_free         (KlAzureSimValues    *values);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureSimValues, kl_azure_sim_values_free)

/* The values of the seeded world (KL_AZURE_SIM_*, the secret included): with them the
 * preflight passes. The key identifier names the real vault host, as Keylink's fields want
 * it; a KlAzureClient reaches the simulator through kl_azure_client_set_endpoints () with
 * kl_azure_sim_get_vault_url_template (), which maps the vault's name to it. */
KlAzureSimValues *kl_azure_sim_dup_values    (KlAzureSim          *self);
/* Makes @values pass too, as a second world of this cloud: its tenant (a home tenant of the
 * simulator), its application with every role, its subscription (Microsoft.Network
 * registered), resource group, vault (RBAC, open network; a vault of that name must not exist
 * yet) and RSA key (enabled, a year to live; @key_version, or KL_AZURE_SIM_KEY_VERSION when
 * NULL). @client_secret NULL: the application takes any secret (for demo mode, where the user
 * types a made-up one; secrets of such an application are not seen by the request log's
 * carried_secret). @environment and @key_identifier are not read. */
gboolean    kl_azure_sim_add_world           (KlAzureSim          *self,
                                              const KlAzureSimValues *values,
                                              GError             **error);

/* One request as the simulator saw it (control requests excluded). */
typedef enum
{
  KL_AZURE_SIM_SERVICE_LOGIN,
  KL_AZURE_SIM_SERVICE_ARM,
  KL_AZURE_SIM_SERVICE_VAULT,
} KlAzureSimService;

typedef struct
{
  KlAzureSimService  service;
  char              *method;
  char              *path;
  guint              status;          /* 0: dropped */
  gboolean           carried_secret;  /* an application's secret was in its URL, headers or body */
} KlAzureSimRequest;

void        kl_azure_sim_request_free        (KlAzureSimRequest   *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureSimRequest, kl_azure_sim_request_free)
/* Element type KlAzureSimRequest, in arrival order. */
GPtrArray  *kl_azure_sim_dup_requests        (KlAzureSim          *self);
void        kl_azure_sim_clear_requests      (KlAzureSim          *self);

G_END_DECLS
