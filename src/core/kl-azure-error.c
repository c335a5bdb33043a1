/* kl-azure-error.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-error"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-error.h"
#include "kl-error.h"

/* What an error answer said, read leniently: any part may be missing. */
typedef struct
{
  char *code;     /* AADSTSnnnn, ARM error.code, or Key Vault's innermost code */
  char *oauth;    /* the identity platform's "error" (RFC 6749) */
  char *message;  /* for the debug log only */
} Answer;

static void
answer_clear (Answer *answer)
{
  g_free (answer->code);
  g_free (answer->oauth);
  g_free (answer->message);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A code is shown and kept: printable ASCII, short. */
static gboolean
is_code (const char *text)
{
  const char *p;

  if (text == NULL || text[0] == '\0' || strlen (text) > 64)
    return FALSE;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static void
parse_answer (KlAzureOperation  operation,
              GBytes           *body,
              Answer           *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return;

  data = g_bytes_get_data (body, &size);
  /* Error answers are small; a huge or deeply nested one is not read. */
  if (size == 0 || size > 64 * 1024 || memchr (data, '\0', size) != NULL)
    return;
  {
    guint depth = 0;
    gsize i;

    for (i = 0; i < size; i++)
      if ((data[i] == '[' || data[i] == '{') && ++depth > 32)
        return;
  }

  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);

  if (operation == KL_AZURE_OP_TOKEN)
    {
      JsonNode *codes = json_object_get_member (object, "error_codes");
      const char *description = member_string (object, "error_description");
      gint64 number = -1;

      if (is_code (member_string (object, "error")))
        answer->oauth = g_strdup (member_string (object, "error"));
      answer->message = g_strdup (description);

      /* Microsoft: branch on error_codes, not on the wording of error_description. */
      if (codes != NULL && JSON_NODE_HOLDS_ARRAY (codes) &&
          json_array_get_length (json_node_get_array (codes)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (codes), 0);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_INT64)
            number = json_node_get_int (first);
        }
      /* Else the description starts "AADSTSnnnn:". */
      if (number < 0 && description != NULL && g_str_has_prefix (description, "AADSTS") &&
          g_ascii_isdigit (description[6]))
        number = (gint64) g_ascii_strtoull (description + 6, NULL, 10);

      if (number >= 0 && number < G_MAXINT32)
        answer->code = g_strdup_printf ("AADSTS%" G_GINT64_FORMAT, number);
      return;
    }

  /* ARM: {"error":{"code","message"}}; Key Vault: the same, with "innererror":{"code"}. */
  {
    JsonObject *error = member_object (object, "error");
    JsonObject *inner = member_object (error, "innererror");
    const char *code = member_string (error, "code");
    const char *inner_code = member_string (inner, "code");

    if (is_code (inner_code))
      answer->code = g_strdup (inner_code);
    else if (is_code (code))
      answer->code = g_strdup (code);
    answer->message = g_strdup (member_string (error, "message"));
  }
}

static const struct
{
  const char   *code;
  KlAzureCause  cause;
} causes[] = {
  { "AADSTS90002", KL_AZURE_CAUSE_WRONG_TENANT },
  { "AADSTS90038", KL_AZURE_CAUSE_WRONG_CLOUD },
  { "AADSTS900382", KL_AZURE_CAUSE_WRONG_CLOUD },
  { "AADSTS900432", KL_AZURE_CAUSE_WRONG_CLOUD },
  { "AADSTS500011", KL_AZURE_CAUSE_WRONG_CLOUD },
  { "AADSTS700016", KL_AZURE_CAUSE_UNKNOWN_CLIENT },
  { "AADSTS7000215", KL_AZURE_CAUSE_WRONG_SECRET },
  { "AADSTS7000222", KL_AZURE_CAUSE_SECRET_EXPIRED },
  { "AADSTS7000218", KL_AZURE_CAUSE_NO_SECRET },
  { "AADSTS7000112", KL_AZURE_CAUSE_APP_DISABLED },
  { "AADSTS70011", KL_AZURE_CAUSE_INVALID_SCOPE },
  { "AADSTS53003", KL_AZURE_CAUSE_CONDITIONAL_ACCESS },
  { "InvalidAuthenticationTokenTenant", KL_AZURE_CAUSE_TOKEN_TENANT },
  { "AuthorizationFailed", KL_AZURE_CAUSE_NOT_AUTHORIZED },
  { "LinkedAuthorizationFailed", KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED },
  { "RequestDisallowedByPolicy", KL_AZURE_CAUSE_POLICY },
  { "SubscriptionNotFound", KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND },
  { "ResourceGroupNotFound", KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND },
  { "ResourceNotFound", KL_AZURE_CAUSE_RESOURCE_NOT_FOUND },
  { "MissingSubscriptionRegistration", KL_AZURE_CAUSE_NOT_REGISTERED },
  { "Unauthorized", KL_AZURE_CAUSE_VAULT_UNAUTHORIZED },
  { "ForbiddenByPolicy", KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY },
  { "ForbiddenByRbac", KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC },
  { "ForbiddenByFirewall", KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL },
  { "ForbiddenByConnection", KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION },
  { "Forbidden", KL_AZURE_CAUSE_VAULT_FORBIDDEN },
  { "KeyNotFound", KL_AZURE_CAUSE_KEY_NOT_FOUND },
};

KlAzureCause
kl_azure_cause_from_code (const char *code)
{
  guint i;

  if (code == NULL)
    return KL_AZURE_CAUSE_NONE;

  for (i = 0; i < G_N_ELEMENTS (causes); i++)
    {
      if (strcmp (code, causes[i].code) == 0)
        return causes[i].cause;
    }

  if (g_str_has_prefix (code, "AADSTS") || strcmp (code, "invalid_client") == 0 ||
      strcmp (code, "unauthorized_client") == 0 || strcmp (code, "invalid_request") == 0 ||
      strcmp (code, "invalid_grant") == 0)
    return KL_AZURE_CAUSE_SIGN_IN_REFUSED;

  return KL_AZURE_CAUSE_NONE;
}

const char *
kl_azure_error_get_code (const GError *error)
{
  return kl_error_get_azure_code (error);
}

KlAzureCause
kl_azure_error_get_cause (const GError *error)
{
  if (error == NULL || error->domain != KL_ERROR)
    return KL_AZURE_CAUSE_NONE;

  if (error->code == KL_ERROR_RATE_LIMITED)
    return KL_AZURE_CAUSE_THROTTLED;

  return kl_azure_cause_from_code (kl_azure_error_get_code (error));
}

char *
kl_azure_challenge_dup_tenant (const char *www_authenticate)
{
  const char *start;
  const char *end;
  const char *slash;
  g_autofree char *url = NULL;

  if (www_authenticate == NULL || (start = strstr (www_authenticate, "authorization=\"")) == NULL)
    return NULL;

  start += strlen ("authorization=\"");
  end = strchr (start, '"');
  if (end == NULL)
    return NULL;

  url = g_strndup (start, (gsize) (end - start));
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  slash = strrchr (url, '/');
  if (slash == NULL || !is_code (slash + 1))
    return NULL;

  return g_strdup (slash + 1);
}

static const char *
safe (const char *text)
{
  return text != NULL ? text : "";
}

/* Messages of the identity platform's answers. */
static char *
token_message (const KlAzureErrorContext *context,
               KlAzureCause               cause,
               const char                *code,
               KlError                   *kl_code)
{
  const char *cloud = kl_azure_cloud_get_name (context->cloud);

  switch (cause)
    {
    case KL_AZURE_CAUSE_WRONG_TENANT:
      *kl_code = KL_ERROR_INVALID_INPUT;
      /* Translators: the first %s is a tenant ID, the second an Azure cloud such as AzureCloud */
      return g_strdup_printf (_("Microsoft Entra ID does not know the tenant “%s” in %s. Check the "
                                "tenant ID (Microsoft Entra ID → Overview → Tenant ID) and that "
                                "the Azure environment is the one your tenant is in."),
                              safe (context->tenant_id), cloud);
    case KL_AZURE_CAUSE_WRONG_CLOUD:
      *kl_code = KL_ERROR_INVALID_INPUT;
      /* Translators: %s is an Azure cloud such as AzureCloud */
      return g_strdup_printf (_("The tenant or the application belongs to another Azure cloud "
                                "than %s. Choose the Azure environment your tenant is in."),
                              cloud);
    case KL_AZURE_CAUSE_UNKNOWN_CLIENT:
      *kl_code = KL_ERROR_INVALID_INPUT;
      return g_strdup_printf (_("There is no application with the client ID “%s” in the tenant "
                                "“%s”. Copy the Application (client) ID from the app "
                                "registration’s Overview page, and check the tenant ID."),
                              safe (context->client_id), safe (context->tenant_id));
    case KL_AZURE_CAUSE_WRONG_SECRET:
      *kl_code = KL_ERROR_AUTH_FAILED;
      return g_strdup (_("The client secret is wrong. Paste the secret’s Value (not its Secret "
                         "ID) from the app registration’s Certificates & secrets page, or create "
                         "a new secret there."));
    case KL_AZURE_CAUSE_SECRET_EXPIRED:
      *kl_code = KL_ERROR_AUTH_FAILED;
      return g_strdup (_("The client secret has expired. Create a new secret on the app "
                         "registration’s Certificates & secrets page, then enter its value."));
    case KL_AZURE_CAUSE_NO_SECRET:
      *kl_code = KL_ERROR_INVALID_INPUT;
      return g_strdup (_("Microsoft Entra ID received no client secret. Enter the secret’s "
                         "value."));
    case KL_AZURE_CAUSE_APP_DISABLED:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The application is disabled in this tenant. Ask a tenant "
                         "administrator to enable it (Enterprise applications → Properties), "
                         "then check again."));
    case KL_AZURE_CAUSE_INVALID_SCOPE:
      *kl_code = KL_ERROR_BAD_REQUEST;
      /* Translators: %s is an Azure cloud such as AzureCloud */
      return g_strdup_printf (_("Microsoft Entra ID refused the access Keylink asked for in %s. "
                                "Check that the Azure environment is the one your tenant is "
                                "in."),
                              cloud);
    case KL_AZURE_CAUSE_CONDITIONAL_ACCESS:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("A Conditional Access policy blocks this application’s sign-in. Ask a "
                         "tenant administrator to allow it, or run the check from an allowed "
                         "network."));
    case KL_AZURE_CAUSE_NONE:
    case KL_AZURE_CAUSE_SIGN_IN_REFUSED:
    case KL_AZURE_CAUSE_TOKEN_TENANT:
    case KL_AZURE_CAUSE_NOT_AUTHORIZED:
    case KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED:
    case KL_AZURE_CAUSE_POLICY:
    case KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND:
    case KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND:
    case KL_AZURE_CAUSE_RESOURCE_NOT_FOUND:
    case KL_AZURE_CAUSE_NOT_REGISTERED:
    case KL_AZURE_CAUSE_VAULT_UNAUTHORIZED:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION:
    case KL_AZURE_CAUSE_VAULT_FORBIDDEN:
    case KL_AZURE_CAUSE_KEY_NOT_FOUND:
    case KL_AZURE_CAUSE_THROTTLED:
    default:
      break;
    }

  *kl_code = KL_ERROR_AUTH_FAILED;
  if (code != NULL)
    /* Translators: %s is an error code such as AADSTS50000 */
    return g_strdup_printf (_("Microsoft Entra ID refused the sign-in (%s). Check the tenant ID, "
                              "the client ID and the client secret, then check again."),
                            code);
  return g_strdup (_("Microsoft Entra ID refused the sign-in. Check the tenant ID, the client "
                     "ID and the client secret, then check again."));
}

/* AuthorizationFailed: what role the operation needs. */
static char *
not_authorized_message (const KlAzureErrorContext *context)
{
  switch (context->operation)
    {
    case KL_AZURE_OP_APPROVE_CONNECTION:
      return g_strdup_printf (_("The application may not approve private endpoint connections "
                                "of the key vault “%s”. Give it the Key Vault Contributor role "
                                "on the vault (Access control (IAM)), or approve the connection "
                                "in the Azure portal yourself."),
                              safe (context->vault_name));
    case KL_AZURE_OP_READ_PROVIDER:
      return g_strdup_printf (_("The application may not read the resource providers of the "
                                "subscription “%s”. Give it the Reader role on the subscription, "
                                "or check Microsoft.Network in the portal (Subscriptions → "
                                "Resource providers)."),
                              safe (context->subscription_id));
    case KL_AZURE_OP_READ_VAULT:
    case KL_AZURE_OP_TOKEN:
    case KL_AZURE_OP_READ_KEY:
    default:
      return g_strdup_printf (_("The application may not read the key vault “%s”. Give it the "
                                "Key Vault Reader role on the vault (Access control (IAM)), wait "
                                "a few minutes, then check again."),
                              safe (context->vault_name));
    }
}

static char *
arm_message (const KlAzureErrorContext *context,
             KlAzureCause               cause,
             guint                      status,
             KlError                   *kl_code)
{
  switch (cause)
    {
    case KL_AZURE_CAUSE_TOKEN_TENANT:
      *kl_code = KL_ERROR_INVALID_INPUT;
      return g_strdup_printf (_("The subscription “%s” does not belong to the tenant “%s”. "
                                "Check the subscription ID and the tenant ID."),
                              safe (context->subscription_id), safe (context->tenant_id));
    case KL_AZURE_CAUSE_NOT_AUTHORIZED:
      *kl_code = KL_ERROR_FORBIDDEN;
      return not_authorized_message (context);
    case KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("Azure refused the request because of a resource in another tenant or "
                         "subscription. Ask the owner of that resource to grant the "
                         "application access, then check again."));
    case KL_AZURE_CAUSE_POLICY:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("An Azure Policy assignment forbids this request. Ask the "
                         "subscription’s administrator which policy applies, then check "
                         "again."));
    case KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND:
      *kl_code = KL_ERROR_NOT_FOUND;
      return g_strdup_printf (_("The subscription “%s” does not exist or the application cannot "
                                "see it. Check the subscription ID, and give the application a "
                                "role in that subscription."),
                              safe (context->subscription_id));
    case KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND:
      *kl_code = KL_ERROR_NOT_FOUND;
      return g_strdup_printf (_("There is no resource group “%s” in the subscription “%s”. Check "
                                "the resource group’s name (the vault’s Overview page shows "
                                "it)."),
                              safe (context->resource_group), safe (context->subscription_id));
    case KL_AZURE_CAUSE_RESOURCE_NOT_FOUND:
      *kl_code = KL_ERROR_NOT_FOUND;
      if (context->operation == KL_AZURE_OP_APPROVE_CONNECTION)
        return g_strdup_printf (_("The key vault “%s” has no private endpoint connection “%s”. "
                                  "Reload the endpoints from Atlas, then try again."),
                                safe (context->vault_name), safe (context->connection_name));
      if (context->operation == KL_AZURE_OP_READ_PROVIDER)
        return g_strdup (_("Azure does not know the resource provider Microsoft.Network in "
                           "this subscription. Check the subscription ID."));
      return g_strdup_printf (_("There is no key vault “%s” in the resource group “%s”. Check "
                                "the vault’s name and its resource group."),
                              safe (context->vault_name), safe (context->resource_group));
    case KL_AZURE_CAUSE_NOT_REGISTERED:
      *kl_code = KL_ERROR_CONFLICT;
      return g_strdup_printf (_("A resource provider this request needs is not registered in "
                                "the subscription “%s”. Register it in the Azure portal "
                                "(Subscriptions → Resource providers), then check again."),
                              safe (context->subscription_id));
    case KL_AZURE_CAUSE_NONE:
    case KL_AZURE_CAUSE_WRONG_TENANT:
    case KL_AZURE_CAUSE_WRONG_CLOUD:
    case KL_AZURE_CAUSE_UNKNOWN_CLIENT:
    case KL_AZURE_CAUSE_WRONG_SECRET:
    case KL_AZURE_CAUSE_SECRET_EXPIRED:
    case KL_AZURE_CAUSE_NO_SECRET:
    case KL_AZURE_CAUSE_APP_DISABLED:
    case KL_AZURE_CAUSE_INVALID_SCOPE:
    case KL_AZURE_CAUSE_CONDITIONAL_ACCESS:
    case KL_AZURE_CAUSE_SIGN_IN_REFUSED:
    case KL_AZURE_CAUSE_VAULT_UNAUTHORIZED:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL:
    case KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION:
    case KL_AZURE_CAUSE_VAULT_FORBIDDEN:
    case KL_AZURE_CAUSE_KEY_NOT_FOUND:
    case KL_AZURE_CAUSE_THROTTLED:
    default:
      break;
    }

  if (status == 401)
    {
      *kl_code = KL_ERROR_AUTH_FAILED;
      return g_strdup (_("Azure Resource Manager refused the application’s sign-in. Check the "
                         "tenant ID and the subscription ID, then check again."));
    }
  if (status == 403)
    {
      *kl_code = KL_ERROR_FORBIDDEN;
      return not_authorized_message (context);
    }
  if (status == 404)
    {
      *kl_code = KL_ERROR_NOT_FOUND;
      return g_strdup_printf (_("Azure found no key vault “%s” in the resource group “%s”. "
                                "Check the subscription ID, the resource group and the vault’s "
                                "name."),
                              safe (context->vault_name), safe (context->resource_group));
    }
  return NULL;
}

static char *
vault_message (const KlAzureErrorContext *context,
               KlAzureCause               cause,
               guint                      status,
               const char                *www_authenticate,
               KlError                   *kl_code)
{
  switch (cause)
    {
    case KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The key vault’s access policies do not let the application read the "
                         "key. In the vault’s Access policies, give the application the key "
                         "permission Get (Atlas also needs Encrypt and Decrypt)."));
    case KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup_printf (_("No Azure role lets the application read the keys of the vault "
                                "“%s”. Give it a role on the vault with the data action "
                                "Microsoft.KeyVault/vaults/keys/read, such as Key Vault Reader "
                                "(Access control (IAM)), then check again."),
                              safe (context->vault_name));
    case KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The key vault’s firewall does not let this computer in, so Keylink "
                         "cannot read the key from here. That does not stop Atlas, which "
                         "reaches the vault over its private endpoint."));
    case KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The key vault takes requests only through its private endpoints, so "
                         "Keylink cannot read the key from this computer. That does not stop "
                         "Atlas, which reaches the vault over its private endpoint."));
    case KL_AZURE_CAUSE_VAULT_FORBIDDEN:
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The key vault refused to show the key to the application. Check the "
                         "vault’s access policies or Azure roles."));
    case KL_AZURE_CAUSE_KEY_NOT_FOUND:
      *kl_code = KL_ERROR_NOT_FOUND;
      return g_strdup_printf (_("The key vault “%s” has no key “%s” (or it was deleted). Check "
                                "the key identifier, or recover the key from the vault’s "
                                "deleted keys."),
                              safe (context->vault_name), safe (context->key_name));
    case KL_AZURE_CAUSE_VAULT_UNAUTHORIZED:
      {
        g_autofree char *tenant = kl_azure_challenge_dup_tenant (www_authenticate);

        *kl_code = KL_ERROR_AUTH_FAILED;
        if (tenant != NULL && context->tenant_id != NULL &&
            g_ascii_strcasecmp (tenant, context->tenant_id) != 0)
          return g_strdup_printf (_("The key vault “%s” belongs to the tenant “%s”, not to “%s”. "
                                    "Use the tenant of the vault, or a vault of your tenant."),
                                  safe (context->vault_name), tenant, context->tenant_id);
        return g_strdup (_("The key vault did not accept the application’s sign-in. Check the "
                           "tenant ID, then check again."));
      }
    case KL_AZURE_CAUSE_NONE:
    case KL_AZURE_CAUSE_WRONG_TENANT:
    case KL_AZURE_CAUSE_WRONG_CLOUD:
    case KL_AZURE_CAUSE_UNKNOWN_CLIENT:
    case KL_AZURE_CAUSE_WRONG_SECRET:
    case KL_AZURE_CAUSE_SECRET_EXPIRED:
    case KL_AZURE_CAUSE_NO_SECRET:
    case KL_AZURE_CAUSE_APP_DISABLED:
    case KL_AZURE_CAUSE_INVALID_SCOPE:
    case KL_AZURE_CAUSE_CONDITIONAL_ACCESS:
    case KL_AZURE_CAUSE_SIGN_IN_REFUSED:
    case KL_AZURE_CAUSE_TOKEN_TENANT:
    case KL_AZURE_CAUSE_NOT_AUTHORIZED:
    case KL_AZURE_CAUSE_LINKED_NOT_AUTHORIZED:
    case KL_AZURE_CAUSE_POLICY:
    case KL_AZURE_CAUSE_SUBSCRIPTION_NOT_FOUND:
    case KL_AZURE_CAUSE_RESOURCE_GROUP_NOT_FOUND:
    case KL_AZURE_CAUSE_RESOURCE_NOT_FOUND:
    case KL_AZURE_CAUSE_NOT_REGISTERED:
    case KL_AZURE_CAUSE_THROTTLED:
    default:
      break;
    }

  if (status == 401)
    {
      *kl_code = KL_ERROR_AUTH_FAILED;
      return g_strdup (_("The key vault did not accept the application’s sign-in. Check the "
                         "tenant ID, then check again."));
    }
  if (status == 403)
    {
      *kl_code = KL_ERROR_FORBIDDEN;
      return g_strdup (_("The key vault refused to show the key to the application. Check the "
                         "vault’s access policies or Azure roles."));
    }
  if (status == 404)
    {
      *kl_code = KL_ERROR_NOT_FOUND;
      return g_strdup_printf (_("The key vault “%s” has no key “%s”. Check the key identifier."),
                              safe (context->vault_name), safe (context->key_name));
    }
  return NULL;
}

static const char *
service_name (KlAzureOperation operation)
{
  switch (operation)
    {
    case KL_AZURE_OP_TOKEN:
      return _("Microsoft Entra ID");
    case KL_AZURE_OP_READ_KEY:
      return _("The key vault");
    case KL_AZURE_OP_READ_VAULT:
    case KL_AZURE_OP_READ_PROVIDER:
    case KL_AZURE_OP_APPROVE_CONNECTION:
    default:
      return _("Azure Resource Manager");
    }
}

GError *
kl_azure_error_new_from_http (const KlAzureErrorContext *context,
                              guint                      status,
                              const char                *retry_after,
                              const char                *www_authenticate,
                              GBytes                    *body)
{
  Answer answer = { NULL, };
  g_autofree char *message = NULL;
  KlError kl_code = KL_ERROR_FAILED;
  KlAzureCause cause;
  const char *code;
  GError *error;
  guint wait = 0;

  g_return_val_if_fail (context != NULL, NULL);

  parse_answer (context->operation, body, &answer);
  code = answer.code != NULL ? answer.code : answer.oauth;
  cause = kl_azure_cause_from_code (code);

  g_debug ("Azure HTTP %u (operation %d): code %s, message %s", status, context->operation,
           code != NULL ? code : "(none)", answer.message != NULL ? answer.message : "(none)");

  if (status == 429 || status == 503)
    wait = kl_error_parse_retry_after (retry_after);

  if (status == 429)
    {
      kl_code = KL_ERROR_RATE_LIMITED;
      if (wait > 0)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Azure is limiting Keylink’s requests. Wait %u "
                                                "second, then check again.",
                                                "Azure is limiting Keylink’s requests. Wait %u "
                                                "seconds, then check again.",
                                                wait),
                                   wait);
      else
        message = g_strdup (_("Azure is limiting Keylink’s requests. Wait a minute, then check "
                              "again."));
    }
  else if (context->operation == KL_AZURE_OP_TOKEN && status >= 400 && status < 500)
    message = token_message (context, cause, code, &kl_code);
  else if (context->operation == KL_AZURE_OP_READ_KEY)
    message = vault_message (context, cause, status, www_authenticate, &kl_code);
  else
    message = arm_message (context, cause, status, &kl_code);

  if (message == NULL)
    {
      if (status >= 500)
        {
          kl_code = KL_ERROR_SERVER;
          /* Translators: the first %s is a service such as “Azure Resource Manager” */
          message = g_strdup_printf (_("%s had a problem (HTTP %u). Wait a little, then check "
                                       "again."),
                                     service_name (context->operation), status);
        }
      else
        {
          kl_code = status == 409 ? KL_ERROR_CONFLICT : KL_ERROR_BAD_REQUEST;
          /* Translators: the first %s is a service such as “Azure Resource Manager” */
          message = g_strdup_printf (_("%s refused the request (HTTP %u). Check the Azure "
                                       "values you entered, then check again."),
                                     service_name (context->operation), status);
        }
    }

  /* Status, Retry-After and Azure's code, as kl-error.h reads them (kl_error_get_azure_code). */
  error = kl_error_new_azure (kl_code, status, code, retry_after, message);
  answer_clear (&answer);
  return error;
}

GError *
kl_azure_error_new_from_transport (KlAzureOperation  operation,
                                   const GError     *error)
{
  KlError code;

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == KL_ERROR)
    return g_error_copy (error);

  g_debug ("Azure transport error (operation %d): %s (%s %d)", operation, error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = KL_ERROR_TIMEOUT;
  else if (error->domain == G_TLS_ERROR)
    code = KL_ERROR_TLS;
  else if (error->domain == SOUP_SESSION_ERROR)
    code = KL_ERROR_BAD_RESPONSE;
  else
    code = KL_ERROR_NETWORK;

  switch (code)
    {
    case KL_ERROR_TIMEOUT:
      /* Translators: %s is a service such as “Azure Resource Manager” */
      return g_error_new (KL_ERROR, code, _("%s did not answer in time. Check the internet "
                                            "connection, then check again."),
                          service_name (operation));
    case KL_ERROR_TLS:
      /* Translators: %s is a service such as “Azure Resource Manager” */
      return g_error_new (KL_ERROR, code, _("The secure connection to %s could not be verified. "
                                            "Check the computer’s date and time and any proxy "
                                            "that inspects HTTPS, then check again."),
                          service_name (operation));
    case KL_ERROR_BAD_RESPONSE:
      return kl_azure_error_new_bad_response (operation, error->message);
    case KL_ERROR_NETWORK:
    default:
      if (operation == KL_AZURE_OP_READ_KEY)
        return g_error_new_literal (KL_ERROR, KL_ERROR_NETWORK,
                                    _("Keylink cannot reach the key vault from this computer "
                                      "(its address may be private). That does not stop Atlas, "
                                      "which reaches the vault over its private endpoint."));
      /* Translators: %s is a service such as “Azure Resource Manager” */
      return g_error_new (KL_ERROR, KL_ERROR_NETWORK, _("Could not reach %s. Check the internet "
                                                        "connection, then check again."),
                          service_name (operation));
    }
}

GError *
kl_azure_error_new_deadline (KlAzureOperation operation,
                             guint            seconds)
{
  /* Translators: the first %s is a service such as “Azure Resource Manager” */
  return g_error_new (KL_ERROR, KL_ERROR_TIMEOUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%s did not answer within %u second. Check the internet "
                                   "connection, then check again.",
                                   "%s did not answer within %u seconds. Check the internet "
                                   "connection, then check again.",
                                   seconds),
                      service_name (operation), seconds);
}

GError *
kl_azure_error_new_bad_response (KlAzureOperation  operation,
                                 const char       *detail)
{
  g_autofree char *valid = g_utf8_make_valid (detail != NULL ? detail : "", -1);

  g_debug ("Bad Azure response (operation %d): %s", operation, valid);
  /* Translators: %s is a service such as “Azure Resource Manager” */
  return g_error_new (KL_ERROR, KL_ERROR_BAD_RESPONSE,
                      _("%s sent an answer Keylink does not understand. Check again in a "
                        "moment; if it keeps happening, check the Azure environment."),
                      service_name (operation));
}
