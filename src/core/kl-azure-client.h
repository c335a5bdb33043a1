/* kl-azure-client.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-azure-error.h"
#include "kl-azure-types.h"

G_BEGIN_DECLS

/* Azure, as the preflight needs it (shared/azure/azure-api.md): the identity platform's
 * client-credentials token, ARM reads of the key vault and of Microsoft.Network, the ARM PUT
 * that approves a private endpoint connection, and the Key Vault data-plane read of the key.
 *
 * One SoupSession per client, bound to the thread-default main context of its creation.
 * The client secret is copied at construction, held only in this object, sent only in the
 * form body of POST {login}/{tenant}/oauth2/v2.0/token to the chosen cloud's identity host
 * (HTTPS), and zeroed at finalization. Tokens (one for ARM, one for Key Vault) are kept in
 * memory only, until 60 s before they expire; a 401 from ARM or Key Vault drops the token and
 * the call is made once more with a new one. A bearer token goes only to the cloud's ARM host,
 * or to https://{vault}.{suffix} built from the vault's name (never to a host an answer
 * names). Nothing of it reaches the HTTP debug log (kl-http-log.h redacts it).
 *
 * Every call is an _async/_finish pair on GTask. Errors are KL_ERROR with a translated message
 * that says what to do (kl-azure-error.h): kl_azure_error_get_cause () tells the cases apart,
 * kl_azure_error_get_code () gives Azure's code, kl_error_get_http_status () the status.
 * Cancellation is G_IO_ERROR_CANCELLED.
 *
 * Retries: a 429 waits at least its Retry-After; reads and the approval PUT are also retried
 * on 5xx and broken connections; exponential backoff with jitter in between (defaults: 4
 * attempts, base 1 s, cap 30 s). A wait that the cap or the deadline does not allow is not
 * waited for: the error reports it (KL_ERROR_RATE_LIMITED, kl_error_get_retry_after ()). Each
 * call has a total deadline, retries and waits included (default 60 s): then KL_ERROR_TIMEOUT.
 * Redirects are not followed. Answers larger than 4 MiB are not read. */

#define KL_TYPE_AZURE_CLIENT (kl_azure_client_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureClient, kl_azure_client, KL, AZURE_CLIENT, GObject)

/* The api-versions Keylink sends (among the stable ones azure-api.md lists). */
#define KL_AZURE_KEY_VAULT_ARM_API_VERSION  "2023-07-01"
#define KL_AZURE_RESOURCES_API_VERSION      "2021-04-01"
#define KL_AZURE_KEY_VAULT_DATA_API_VERSION "7.5"

typedef enum
{
  KL_AZURE_RESOURCE_ARM,
  KL_AZURE_RESOURCE_KEY_VAULT,
} KlAzureResource;

/* The tenant and client IDs are checked as GUIDs, the secret must not be empty
 * (KL_ERROR_INVALID_INPUT). Nothing is sent yet. */
KlAzureClient *kl_azure_client_new              (KlAzureCloud          cloud,
                                                 const char           *tenant_id,
                                                 const char           *client_id,
                                                 const char           *client_secret,
                                                 GError              **error);

/* For tests and the simulator: where the identity platform, ARM and Key Vault are, instead
 * of the cloud's hosts. Each URL must be on this computer (localhost or a loopback address;
 * http or https), else KL_ERROR_INSECURE_URL. @vault_url_template holds "{vault}", replaced by
 * the vault's name in lower case (e.g. "http://127.0.0.1:8080/{vault}"). NULL keeps a
 * service's real host. */
gboolean       kl_azure_client_set_endpoints    (KlAzureClient        *self,
                                                 const char           *login_url,
                                                 const char           *arm_url,
                                                 const char           *vault_url_template,
                                                 GError              **error);
/* The total deadline of each call, retries included (default 60 s). */
void           kl_azure_client_set_deadline     (KlAzureClient        *self,
                                                 guint                 seconds);
void           kl_azure_client_set_retry        (KlAzureClient        *self,
                                                 guint                 max_attempts,
                                                 guint                 base_delay_ms,
                                                 guint                 max_delay_ms);

KlAzureCloud   kl_azure_client_get_cloud        (KlAzureClient        *self);
const char    *kl_azure_client_get_tenant_id    (KlAzureClient        *self);
const char    *kl_azure_client_get_client_id    (KlAzureClient        *self);
/* Where the data-plane requests for @vault_name go (no trailing slash). */
char          *kl_azure_client_dup_vault_url    (KlAzureClient        *self,
                                                 const char           *vault_name);
/* Drops both tokens (zeroed). */
void           kl_azure_client_forget_tokens    (KlAzureClient        *self);

/* Gets a token for @resource (or uses the one held): proves the tenant, client ID and
 * secret. */
void           kl_azure_client_sign_in_async    (KlAzureClient        *self,
                                                 KlAzureResource       resource,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       kl_azure_client_sign_in_finish   (KlAzureClient        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* GET {arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name} */
void           kl_azure_client_get_vault_async  (KlAzureClient        *self,
                                                 const char           *subscription_id,
                                                 const char           *resource_group,
                                                 const char           *vault_name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KlAzureVault  *kl_azure_client_get_vault_finish (KlAzureClient        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* GET {arm}/subscriptions/{sub}/providers/{namespace} (e.g. "Microsoft.Network") */
void           kl_azure_client_get_provider_async  (KlAzureClient     *self,
                                                    const char        *subscription_id,
                                                    const char        *namespace_name,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
KlAzureProvider *kl_azure_client_get_provider_finish (KlAzureClient   *self,
                                                      GAsyncResult    *result,
                                                      GError         **error);

/* GET {vault}/keys/{name}/{version}: @key_version NULL for the latest. */
void           kl_azure_client_get_key_async    (KlAzureClient        *self,
                                                 const char           *vault_name,
                                                 const char           *key_name,
                                                 const char           *key_version,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KlAzureKey    *kl_azure_client_get_key_finish   (KlAzureClient        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* PUT …/vaults/{name}/privateEndpointConnections/{connection} with status Approved and
 * @description (NULL: "Approved by Keylink for MongoDB Atlas"). Result: the connection. */
void           kl_azure_client_approve_connection_async  (KlAzureClient     *self,
                                                          const char        *subscription_id,
                                                          const char        *resource_group,
                                                          const char        *vault_name,
                                                          const char        *connection_name,
                                                          const char        *description,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
KlAzureConnection *kl_azure_client_approve_connection_finish (KlAzureClient  *self,
                                                              GAsyncResult   *result,
                                                              GError        **error);

G_END_DECLS
