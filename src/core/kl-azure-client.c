/* kl-azure-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-client-private.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-http-log.h"

G_DEFINE_FINAL_TYPE (KlAzureClient, kl_azure_client, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_azure_client_dispose (GObject *object)
{
  KlAzureClient *self = (KlAzureClient *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (kl_azure_client_parent_class)->dispose (object);
}

static void
kl_azure_client_finalize (GObject *object)
{
  KlAzureClient *self = (KlAzureClient *) object;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    {
      g_assert (g_queue_is_empty (&self->tokens[i].waiters));
      kl_azure_secret_free (self->tokens[i].token);
    }
  kl_azure_secret_free (self->secret);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->tenant_id);
  g_free (self->client_id);
  g_free (self->login_url);
  g_free (self->arm_url);
  g_free (self->vault_template);

  G_OBJECT_CLASS (kl_azure_client_parent_class)->finalize (object);
}

static void
kl_azure_client_class_init (KlAzureClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_azure_client_dispose;
  object_class->finalize = kl_azure_client_finalize;
}

static void
kl_azure_client_init (KlAzureClient *self)
{
  guint i;

  self->cancellable = g_cancellable_new ();
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->deadline_s = DEFAULT_DEADLINE_S;
  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    g_queue_init (&self->tokens[i].waiters);

  self->session = soup_session_new_with_options ("user-agent", "Keylink/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 NULL);

  if (kl_http_log_is_enabled ())
    {
      g_autoptr(SoupLogger) logger = kl_http_log_new ();

      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */

KlAzureClient *
kl_azure_client_new (KlAzureCloud   cloud,
                     const char    *tenant_id,
                     const char    *client_id,
                     const char    *client_secret,
                     GError       **error)
{
  g_autoptr(KlAzureClient) self = NULL;

  g_return_val_if_fail ((guint) cloud < KL_AZURE_N_CLOUDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kl_azure_check_tenant_id (tenant_id, error) ||
      !kl_azure_check_client_id (client_id, error))
    return NULL;

  if (client_secret == NULL || client_secret[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter the client secret’s value, from the app registration’s "
                             "Certificates & secrets page."));
      return NULL;
    }

  self = g_object_new (KL_TYPE_AZURE_CLIENT, NULL);
  self->cloud = cloud;
  self->tenant_id = g_ascii_strdown (tenant_id, -1);
  self->client_id = g_ascii_strdown (client_id, -1);
  self->secret = g_strdup (client_secret);
  self->login_url = g_strdup (kl_azure_cloud_get_login_url (cloud));
  self->arm_url = g_strdup (kl_azure_cloud_get_arm_url (cloud));

  return g_steal_pointer (&self);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The override as the client uses it (no trailing slash), or NULL with @error set. */
static char *
check_override (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gsize length;

  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || !is_loopback_host (host) || g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INSECURE_URL,
                           _("Keylink talks to Azure only at Azure’s own addresses. Another "
                             "address is allowed only on this computer, such as a local "
                             "simulator."));
      return NULL;
    }

  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    length--;
  return g_strndup (url, length);
}

gboolean
kl_azure_client_set_endpoints (KlAzureClient  *self,
                               const char     *login_url,
                               const char     *arm_url,
                               const char     *vault_url_template,
                               GError        **error)
{
  g_autofree char *login = NULL;
  g_autofree char *arm = NULL;
  g_autofree char *vault = NULL;

  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (login_url != NULL && !(login = check_override (login_url, error)))
    return FALSE;
  if (arm_url != NULL && !(arm = check_override (arm_url, error)))
    return FALSE;
  if (vault_url_template != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (vault_url_template, "{vault}", 2);
      g_autofree char *probe = g_strjoinv ("kv", parts);

      if (parts[0] == NULL || parts[1] == NULL)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               "The vault address template needs “{vault}”.");
          return FALSE;
        }
      if (!(vault = check_override (probe, error)))
        return FALSE;
      g_clear_pointer (&vault, g_free);
      vault = g_strdup (vault_url_template);
      while (g_str_has_suffix (vault, "/"))
        vault[strlen (vault) - 1] = '\0';
    }

  /* Tokens were for the other hosts. */
  kl_azure_client_forget_tokens (self);
  if (login != NULL)
    {
      g_free (self->login_url);
      self->login_url = g_steal_pointer (&login);
    }
  if (arm != NULL)
    {
      g_free (self->arm_url);
      self->arm_url = g_steal_pointer (&arm);
    }
  if (vault != NULL)
    {
      g_free (self->vault_template);
      self->vault_template = g_steal_pointer (&vault);
    }

  return TRUE;
}

void
kl_azure_client_set_deadline (KlAzureClient *self,
                              guint          seconds)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->deadline_s = seconds;
}

void
kl_azure_client_set_retry (KlAzureClient *self,
                           guint          max_attempts,
                           guint          base_delay_ms,
                           guint          max_delay_ms)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

KlAzureCloud
kl_azure_client_get_cloud (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), KL_AZURE_CLOUD_PUBLIC);
  return self->cloud;
}

const char *
kl_azure_client_get_tenant_id (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  return self->tenant_id;
}

const char *
kl_azure_client_get_client_id (KlAzureClient *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  return self->client_id;
}

char *
kl_azure_client_dup_vault_url (KlAzureClient *self,
                               const char    *vault_name)
{
  g_autofree char *lower = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (KL_IS_AZURE_CLIENT (self), NULL);
  g_return_val_if_fail (vault_name != NULL, NULL);

  if (self->vault_template == NULL)
    return kl_azure_cloud_dup_vault_uri (self->cloud, vault_name);

  lower = g_ascii_strdown (vault_name, -1);
  parts = g_strsplit (self->vault_template, "{vault}", -1);
  return g_strjoinv (lower, parts);
}

void
kl_azure_client_forget_tokens (KlAzureClient *self)
{
  guint i;

  g_return_if_fail (KL_IS_AZURE_CLIENT (self));

  for (i = 0; i < G_N_ELEMENTS (self->tokens); i++)
    kl_azure_token_forget (self, (int) i);
}

/* Sign-in */

void
kl_azure_client_sign_in_async (KlAzureClient       *self,
                               KlAzureResource      resource,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KL_IS_AZURE_CLIENT (self));
  g_return_if_fail (resource == KL_AZURE_RESOURCE_ARM || resource == KL_AZURE_RESOURCE_KEY_VAULT);

  kl_azure_token_get_async (self, resource, cancellable, callback, user_data);
}

gboolean
kl_azure_client_sign_in_finish (KlAzureClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

