/* kl-azure-error.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kl-azure-types.h"

G_BEGIN_DECLS

/* Azure's error answers (shared/azure/azure-api.md sections 2 and 7) as KL_ERROR GErrors
 * whose translated message says what to do. The error keeps, through g_error_copy () and
 * GTask, the HTTP status (kl_error_get_http_status ()), the Retry-After wait
 * (kl_error_get_retry_after ()) and Azure's code (kl_azure_error_get_code ()):
 * "AADSTS7000215" for the identity platform (from error_codes), the ARM error.code
 * ("AuthorizationFailed"), or Key Vault's innermost code ("ForbiddenByFirewall"). */

/* What Keylink was doing: it chooses the service named in messages and the advice. */
typedef enum
{
  KL_AZURE_OP_TOKEN,               /* identity platform: client-credentials token */
  KL_AZURE_OP_READ_VAULT,          /* ARM GET vault */
  KL_AZURE_OP_READ_PROVIDER,       /* ARM GET providers/Microsoft.Network */
  KL_AZURE_OP_APPROVE_CONNECTION,  /* ARM PUT privateEndpointConnections/{name} */
  KL_AZURE_OP_READ_KEY,            /* Key Vault data plane GET keys/{name} */
} KlAzureOperation;

/* What went wrong, from Azure's code (kl_azure_error_get_cause ()). */
typedef enum
{
  KL_AZURE_CAUSE_NONE,                   /* not an Azure answer (or a code Keylink does not know) */
  /* identity platform */
  KL_AZURE_CAUSE_WRONG_TENANT,           /* AADSTS90002 */
  KL_AZURE_CAUSE_WRONG_CLOUD,            /* AADSTS90038, 900382, 900432, 500011 */
  KL_AZURE_CAUSE_UNKNOWN_CLIENT,         /* AADSTS700016 */
  KL_AZURE_CAUSE_WRONG_SECRET,           /* AADSTS7000215 */
  KL_AZURE_CAUSE_SECRET_EXPIRED,         /* AADSTS7000222 */
  KL_AZURE_CAUSE_NO_SECRET,              /* AADSTS7000218 */
  KL_AZURE_CAUSE_APP_DISABLED,           /* AADSTS7000112 */
  KL_AZURE_CAUSE_INVALID_SCOPE,          /* AADSTS70011 */
  KL_AZURE_CAUSE_CONDITIONAL_ACCESS,     /* AADSTS53003 */
  KL_AZURE_CAUSE_SIGN_IN_REFUSED,        /* another identity-platform error */
  /* ARM */
  KL_AZURE_CAUSE_TOKEN_TENANT,           /* InvalidAuthenticationTokenTenant */
  KL_AZURE_CAUSE_NOT_AUTHORIZED,         /* AuthorizationFailed */
  KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED,  /* LinkedAuthorizationFailed */
  KL_AZURE_CAUSE_POLICY,                 /* RequestDisallowedByPolicy */
  KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND, /* SubscriptionNotFound */
  KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND, /* ResourceGroupNotFound */
  KL_AZURE_CAUSE_RESOURCE_NOT_FOUND,     /* ResourceNotFound */
  KL_AZURE_CAUSE_NOT_REGISTERED,         /* MissingSubscriptionRegistration */
  /* Key Vault data plane */
  KL_AZURE_CAUSE_VAULT_UNAUTHORIZED,     /* 401 Unauthorized */
  KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY,    /* 403 ForbiddenByPolicy */
  KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC,      /* 403 ForbiddenByRbac */
  KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL,  /* 403 ForbiddenByFirewall */
  KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION,/* 403 ForbiddenByConnection */
  KL_AZURE_CAUSE_VAULT_FORBIDDEN,        /* 403 Forbidden, no known inner code */
  KL_AZURE_CAUSE_KEY_NOT_FOUND,          /* 404 KeyNotFound */
  /* any service */
  KL_AZURE_CAUSE_THROTTLED,              /* 429 */
} KlAzureCause;

/* The names a message may quote (all nullable). */
typedef struct
{
  KlAzureOperation  operation;
  KlAzureCloud      cloud;
  const char       *tenant_id;
  const char       *client_id;
  const char       *subscription_id;
  const char       *resource_group;
  const char       *vault_name;
  const char       *key_name;
  const char       *connection_name;
} KlAzureErrorContext;

/* The ONE mapping from an Azure error answer to a GError. @retry_after and
 * @www_authenticate are the headers (nullable); @body nullable. Never fails. */
GError       *kl_azure_error_new_from_http      (const KlAzureErrorContext *context,
                                                 guint                      status,
                                                 const char                *retry_after,
                                                 const char                *www_authenticate,
                                                 GBytes                    *body);
/* A transport failure, the service named; cancellation stays G_IO_ERROR_CANCELLED. */
GError       *kl_azure_error_new_from_transport (KlAzureOperation           operation,
                                                 const GError              *error);
/* KL_ERROR_TIMEOUT: no whole answer within @seconds. */
GError       *kl_azure_error_new_deadline       (KlAzureOperation           operation,
                                                 guint                      seconds);
/* KL_ERROR_BAD_RESPONSE naming the service; the technical detail goes to g_debug. */
GError       *kl_azure_error_new_bad_response   (KlAzureOperation           operation,
                                                 const char                *detail);

/* Azure's code kept in @error, or NULL. */
const char   *kl_azure_error_get_code           (const GError              *error);
KlAzureCause  kl_azure_error_get_cause          (const GError              *error);
/* The cause of an Azure code (as kl_azure_error_get_code () returns it). */
KlAzureCause  kl_azure_cause_from_code          (const char                *code);

/* The tenant named by a Key Vault 401 challenge
 * (Bearer authorization="https://login.windows.net/{tenantId}", …), or NULL. */
char         *kl_azure_challenge_dup_tenant     (const char                *www_authenticate);

G_END_DECLS
