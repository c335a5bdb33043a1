/* kl-azure-types.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The Azure clouds Atlas supports and the Azure answers the preflight reads
 * (shared/azure/azure-api.md, clouds.json).
 *
 * The models are reference-counted boxed structs whose fields are read-only for callers;
 * strings that are absent from the answer are NULL. Parsers are pure (JSON text in, model
 * out); a document of the wrong shape is KL_ERROR_BAD_RESPONSE. */

typedef enum
{
  KL_AZURE_CLOUD_PUBLIC,         /* AZURE: AzureCloud */
  KL_AZURE_CLOUD_CHINA,          /* AZURE_CHINA: AzureChinaCloud */
  KL_AZURE_CLOUD_US_GOVERNMENT,  /* AZURE_US_GOVERNMENT: AzureUSGovernment */
} KlAzureCloud;

#define KL_AZURE_N_CLOUDS 3

GType        kl_azure_cloud_get_type                (void) G_GNUC_CONST;
#define KL_TYPE_AZURE_CLOUD (kl_azure_cloud_get_type ())

/* From Atlas's azureEnvironment ("AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT"). */
gboolean     kl_azure_cloud_from_environment        (const char    *environment,
                                                     KlAzureCloud  *cloud);
const char  *kl_azure_cloud_get_environment         (KlAzureCloud   cloud);
/* "AzureCloud", "AzureChinaCloud", "AzureUSGovernment" */
const char  *kl_azure_cloud_get_name                (KlAzureCloud   cloud);
/* https://login.microsoftonline.com, … (no trailing slash) */
const char  *kl_azure_cloud_get_login_url           (KlAzureCloud   cloud);
/* https://management.azure.com, … */
const char  *kl_azure_cloud_get_arm_url             (KlAzureCloud   cloud);
const char  *kl_azure_cloud_get_arm_scope           (KlAzureCloud   cloud);
/* vault.azure.net, … */
const char  *kl_azure_cloud_get_key_vault_suffix    (KlAzureCloud   cloud);
const char  *kl_azure_cloud_get_key_vault_scope     (KlAzureCloud   cloud);
const char  *kl_azure_cloud_get_portal_url          (KlAzureCloud   cloud);
/* https://{vault}.{suffix}, the vault name in lower case. */
char        *kl_azure_cloud_dup_vault_uri           (KlAzureCloud   cloud,
                                                     const char    *vault_name);

/* Whether two vault URIs name the same vault: scheme and host without case, one trailing
 * slash ignored (ARM returns both forms). */
gboolean     kl_azure_vault_uri_equal               (const char    *a,
                                                     const char    *b);

/* Key Vault's permission model for the data plane. An answer without
 * enableRbacAuthorization is UNKNOWN: its default changed with api-version 2026-02-01. */
typedef enum
{
  KL_AZURE_VAULT_AUTH_UNKNOWN,
  KL_AZURE_VAULT_AUTH_RBAC,
  KL_AZURE_VAULT_AUTH_ACCESS_POLICIES,
} KlAzureVaultAuth;

typedef struct
{
  char  *tenant_id;
  char  *object_id;
  char  *application_id;   /* nullable */
  GStrv  key_permissions;  /* never NULL, as sent (case kept) */
} KlAzureAccessPolicy;

/* A private endpoint connection of a vault. */
typedef struct
{
  char *id;
  char *name;                /* the last segment of id (vault answers have no name) */
  char *private_endpoint_id; /* nullable */
  char *status;              /* Pending, Approved, Rejected, Disconnected; nullable */
  char *description;         /* nullable */
  char *provisioning_state;  /* nullable */
} KlAzureConnection;

typedef struct _KlAzureVault KlAzureVault;

struct _KlAzureVault
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char             *id;
  char             *name;
  char             *location;
  char             *tenant_id;
  char             *vault_uri;
  KlAzureVaultAuth  auth;
  GPtrArray        *access_policies;        /* KlAzureAccessPolicy */
  char             *public_network_access;  /* nullable; compare without case */
  char             *default_action;         /* networkAcls.defaultAction, nullable */
  char             *bypass;                 /* networkAcls.bypass, nullable */
  GStrv             ip_rules;               /* never NULL */
  guint             n_virtual_network_rules;
  GPtrArray        *connections;            /* KlAzureConnection */
  char             *provisioning_state;
};

typedef struct _KlAzureKey KlAzureKey;

struct _KlAzureKey
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char     *kid;
  char     *kty;
  GStrv     key_ops;     /* never NULL */
  gboolean  enabled;     /* attributes.enabled (absent: TRUE) */
  gboolean  has_exp;
  gint64    exp;         /* Unix seconds */
  gboolean  has_nbf;
  gint64    nbf;         /* Unix seconds */
};

typedef struct _KlAzureProvider KlAzureProvider;

struct _KlAzureProvider
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char *namespace_name;
  char *registration_state;  /* nullable */
};

#define KL_TYPE_AZURE_VAULT      (kl_azure_vault_get_type ())
#define KL_TYPE_AZURE_KEY        (kl_azure_key_get_type ())
#define KL_TYPE_AZURE_PROVIDER   (kl_azure_provider_get_type ())
#define KL_TYPE_AZURE_CONNECTION (kl_azure_connection_get_type ())

GType              kl_azure_vault_get_type       (void) G_GNUC_CONST;
GType              kl_azure_key_get_type         (void) G_GNUC_CONST;
GType              kl_azure_provider_get_type    (void) G_GNUC_CONST;
GType              kl_azure_connection_get_type  (void) G_GNUC_CONST;

KlAzureVault      *kl_azure_vault_parse          (const char          *json,
                                                  gssize               length,
                                                  GError             **error);
KlAzureVault      *kl_azure_vault_ref            (KlAzureVault        *vault);
void               kl_azure_vault_unref          (KlAzureVault        *vault);
/* The connection named @name (without case), or NULL. */
KlAzureConnection *kl_azure_vault_find_connection (KlAzureVault       *vault,
                                                   const char         *name);
/* The access policy whose applicationId is @client_id (without case), or NULL. */
KlAzureAccessPolicy *kl_azure_vault_find_policy  (KlAzureVault        *vault,
                                                  const char          *client_id);
/* Whether publicNetworkAccess is "disabled" (without case). */
gboolean           kl_azure_vault_is_private_only (KlAzureVault       *vault);

/* One PrivateEndpointConnection answer (the approval PUT's 200). */
KlAzureConnection *kl_azure_connection_parse     (const char          *json,
                                                  gssize               length,
                                                  GError             **error);
KlAzureConnection *kl_azure_connection_copy      (const KlAzureConnection *connection);
void               kl_azure_connection_free      (KlAzureConnection   *connection);

KlAzureKey        *kl_azure_key_parse            (const char          *json,
                                                  gssize               length,
                                                  GError             **error);
KlAzureKey        *kl_azure_key_ref              (KlAzureKey          *key);
void               kl_azure_key_unref            (KlAzureKey          *key);
gboolean           kl_azure_key_has_op           (KlAzureKey          *key,
                                                  const char          *op);

KlAzureProvider   *kl_azure_provider_parse       (const char          *json,
                                                  gssize               length,
                                                  GError             **error);
KlAzureProvider   *kl_azure_provider_ref         (KlAzureProvider     *provider);
void               kl_azure_provider_unref       (KlAzureProvider     *provider);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureVault, kl_azure_vault_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureKey, kl_azure_key_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureProvider, kl_azure_provider_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAzureConnection, kl_azure_connection_free)

G_END_DECLS
