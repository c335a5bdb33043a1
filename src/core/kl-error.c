/* kl-error.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-error"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kl-atlas-types.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* What an error built from an HTTP answer carries besides its code and message. */
typedef struct
{
  guint         http_status;
  guint         retry_after;
  KlAtlasError *atlas_error;
  char         *azure_code;   /* an Azure answer's error code (kl_error_new_azure ()) */
} KlErrorPrivate;

static void
kl_error_private_init (KlErrorPrivate *priv)
{
}

static void
kl_error_private_copy (const KlErrorPrivate *src,
                       KlErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->retry_after = src->retry_after;
  dest->atlas_error = src->atlas_error != NULL ? g_object_ref (src->atlas_error) : NULL;
  dest->azure_code = g_strdup (src->azure_code);
}

static void
kl_error_private_clear (KlErrorPrivate *priv)
{
  g_clear_object (&priv->atlas_error);
  g_clear_pointer (&priv->azure_code, g_free);
}

/* GLib's macro casts a guint8 * to the private struct; clang's -Wcast-align objects although
 * GLib aligns it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (KlError, kl_error)
#pragma GCC diagnostic pop

/* Longest wait we accept from Retry-After: a day. */
#define MAX_RETRY_AFTER (24 * 60 * 60)

/* Atlas codes of 400 answers that depend on the project's current state, not on what was
 * sent: they become KL_ERROR_CONFLICT (the UI reloads and explains), with the code kept. */
static const char * const state_codes[] = {
  "ENCRYPTION_AT_REST_NOT_ENABLED",      /* the project's Azure key is not (yet) set up */
  "ENCRYPTION_AT_REST_SETTINGS_INVALID", /* Atlas lost access to the current key */
};

static const char * const state_code_fragments[] = {
  "CANNOT_",
  "_BLOCKED",
  "ALREADY_EXISTS",
  "IN_PROGRESS",
  "DUPLICATE",
};

static gboolean
is_state_code (const char *code)
{
  guint i;

  if (code == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (state_codes); i++)
    {
      if (strcmp (code, state_codes[i]) == 0)
        return TRUE;
    }

  for (i = 0; i < G_N_ELEMENTS (state_code_fragments); i++)
    {
      if (strstr (code, state_code_fragments[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

guint
kl_error_parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *end = NULL;
  guint64 seconds;
  GTimeSpan delta;

  if (value == NULL)
    return 0;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, (char **) &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return 0;
      return (guint) MIN (seconds, MAX_RETRY_AFTER);
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return 0;

  now = g_date_time_new_now_utc ();
  delta = g_date_time_difference (date, now);
  if (delta <= 0)
    return 0;

  /* Round up: waiting a little longer is always allowed. */
  seconds = (guint64) ((delta + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND);
  return (guint) MIN (seconds, MAX_RETRY_AFTER);
}

static KlError
code_for_answer (guint         status,
                 const char   *atlas_code)
{
  if (status == 401)
    return KL_ERROR_AUTH_FAILED;

  if (status == 403)
    {
      if (g_strcmp0 (atlas_code, "IP_ADDRESS_NOT_ON_ACCESS_LIST") == 0)
        return KL_ERROR_IP_NOT_ON_ACCESS_LIST;
      /* The token endpoint's OAuth 2 error once the account holds 100 live tokens. */
      if (g_strcmp0 (atlas_code, "access_denied") == 0)
        return KL_ERROR_TOO_MANY_TOKENS;
      return KL_ERROR_FORBIDDEN;
    }

  if (status == 404)
    return KL_ERROR_NOT_FOUND;

  if (status == 406)
    return KL_ERROR_API_VERSION;

  if (status == 409)
    return KL_ERROR_CONFLICT;

  if (status == 429)
    return KL_ERROR_RATE_LIMITED;

  if (status == 400 || (status > 400 && status < 500))
    {
      if (g_strcmp0 (atlas_code, "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API") == 0)
        return KL_ERROR_INELIGIBLE;
      if (g_strcmp0 (atlas_code, "INVALID_AZURE_CREDENTIALS") == 0)
        return KL_ERROR_INVALID_AZURE_CREDENTIALS;
      if (g_strcmp0 (atlas_code, "INVALID_VERSION_DATE") == 0)
        return KL_ERROR_API_VERSION;
      if (is_state_code (atlas_code))
        return KL_ERROR_CONFLICT;
      /* OAuth 2 (RFC 6749 5.2): a client that does not authenticate. */
      if (g_strcmp0 (atlas_code, "invalid_client") == 0)
        return KL_ERROR_AUTH_FAILED;
      return KL_ERROR_BAD_REQUEST;
    }

  if (status >= 500 && status < 600)
    return KL_ERROR_SERVER;

  return KL_ERROR_BAD_RESPONSE;
}

/* Atlas's own words quoted in a message: its short form, isolated from Keylink's sentence
 * (kl-server-text.h; the whole text stays in the KlAtlasError for a details view). */
static char *
quote_server_text (const char *text)
{
  return kl_server_text_dup_short (text, KL_SERVER_TEXT_SHORT_CHARS);
}

/* The first parameter of @atlas_error when it is a string (a cluster's name), or NULL. */
static char *
dup_first_string_parameter (KlAtlasError *atlas_error)
{
  JsonNode *parameters = atlas_error != NULL ? kl_atlas_error_get_parameters (atlas_error) : NULL;
  JsonNode *first;

  if (parameters == NULL || !JSON_NODE_HOLDS_ARRAY (parameters) ||
      json_array_get_length (json_node_get_array (parameters)) == 0)
    return NULL;

  first = json_array_get_element (json_node_get_array (parameters), 0);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
    return NULL;

  return quote_server_text (json_node_get_string (first));
}

/* Messages for the catalogue codes a person can meet on this flow (api-errors.tsv): what
 * happened and what to do. NULL for any other code. */
static char *
message_for_code (const char   *atlas_code,
                  KlAtlasError *atlas_error)
{
  g_autofree char *name = NULL;

  if (atlas_code == NULL)
    return NULL;

  if (strcmp (atlas_code, "AZURE_KEY_VAULT_ENVIRONMENT_NOT_SUPPORTED") == 0)
    return g_strdup (_("Atlas cannot use a key vault in the chosen Azure environment. Check that "
                       "the environment (Azure, Azure China or Azure US Government) is the cloud "
                       "your key vault is in and one your Atlas service supports; then try "
                       "again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_EXPIRED") == 0)
    return g_strdup (_("The key has expired in Azure Key Vault. Create a new key version (or "
                       "extend the key’s expiration date) in the Azure portal, paste its key "
                       "identifier, then try again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_EXPIRING") == 0)
    return g_strdup (_("The key expires within the next 48 hours, so Atlas will not use it. "
                       "Extend its expiration date or create a new key version in Azure Key "
                       "Vault, paste its key identifier, then try again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT") == 0)
    return g_strdup (_("Atlas does not accept this key identifier. Copy the key version’s full "
                       "identifier from the Azure portal (https://<vault>.vault.azure.net/keys/"
                       "<name>/<version>), check that it is in the chosen Azure environment, "
                       "then try again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_NOT_ACTIVE") == 0)
    return g_strdup (_("The key is not active yet: its activation date is in the future. Wait "
                       "until then, or change the activation date in Azure Key Vault; then try "
                       "again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_NOT_ENABLED") == 0)
    return g_strdup (_("The key is disabled in Azure Key Vault. Enable this key version in the "
                       "Azure portal (Key vaults → your vault → Keys), then try again."));
  if (strcmp (atlas_code, "AZURE_KEY_VAULT_KEY_NOT_FOUND") == 0)
    return g_strdup (_("Atlas found no such key with these Azure credentials. Check the key "
                       "identifier and the key vault name, and that the application may read "
                       "the key (Key Vault Reader role, and get on the key); then try again."));
  if (strcmp (atlas_code, "INVALID_AZURE_API_REQUEST") == 0)
    return g_strdup (_("Azure refused one of the values Atlas passed on. Check the subscription "
                       "ID, resource group, key vault name and key identifier, then try "
                       "again."));
  if (strcmp (atlas_code, "NO_PERMISSION_TO_ENCRYPT_DECRYPT") == 0)
    return g_strdup (_("The Azure application may not encrypt or decrypt with this key. In the "
                       "key vault, give the application the get, encrypt and decrypt "
                       "permissions on the key (an access policy, or the Key Vault Crypto "
                       "Service Encryption User role), then try again."));
  if (strcmp (atlas_code, "ENCRYPTION_AT_REST_SETTINGS_INVALID") == 0)
    return g_strdup (_("Atlas cannot reach your current key, so it will not change the key "
                       "settings. Restore access to the current key first (the key is enabled "
                       "and not expired, the application’s secret is valid, and it still has "
                       "get, encrypt and decrypt on the key); then try again."));
  if (strcmp (atlas_code, "CANNOT_DISABLE_ENCRYPTION_AT_REST") == 0)
    return g_strdup (_("Encryption with your key cannot be turned off while clusters still use "
                       "it. Set every cluster back to Atlas-managed encryption, wait until they "
                       "have finished updating, then try again."));
  if (strcmp (atlas_code, "ENCRYPTION_AT_REST_NOT_ENABLED") == 0)
    return g_strdup (_("Encryption with your Azure key is not turned on, or not valid, in this "
                       "project yet. Turn it on and wait until Atlas reports the key as valid; "
                       "then try again."));
  if (strcmp (atlas_code, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API") == 0)
    {
      name = dup_first_string_parameter (atlas_error);
      if (name != NULL)
        return g_strdup_printf (_("Atlas refused because “%s” is a Flex cluster: Atlas serves "
                                  "Flex clusters only through its Flex API, and they cannot "
                                  "use your own key. Reload the project; to encrypt that "
                                  "cluster with your key, upgrade it to a dedicated tier (M10 "
                                  "or larger) in Atlas."),
                                name);
      return g_strdup (_("Atlas refused because of a Flex cluster: Atlas serves Flex clusters "
                         "only through its Flex API, and they cannot use your own key. Reload "
                         "the project; to encrypt a Flex cluster with your key, upgrade it to a "
                         "dedicated tier (M10 or larger) in Atlas."));
    }
  if (strcmp (atlas_code, "CANNOT_UPDATE_PAUSED_CLUSTER") == 0)
    {
      name = dup_first_string_parameter (atlas_error);
      if (name != NULL)
        return g_strdup_printf (_("Atlas cannot change the cluster “%s” while it is paused. "
                                  "Resume it in Atlas, wait until it is running, then try "
                                  "again."),
                                name);
      return g_strdup (_("Atlas cannot change a cluster while it is paused. Resume it in Atlas, "
                         "wait until it is running, then try again."));
    }
  if (strcmp (atlas_code, "FEATURE_UNSUPPORTED") == 0)
    return g_strdup (_("Atlas says your organization’s account does not have this feature. "
                       "Private networking for encryption with an Azure key is available on "
                       "request: ask your MongoDB account manager to enable it, then try "
                       "again."));

  return NULL;
}

static char *
message_for_answer (KlError       code,
                    guint         status,
                    KlAtlasError *atlas_error,
                    guint         retry_after)
{
  const char *atlas_code = atlas_error != NULL ? kl_atlas_error_get_error_code (atlas_error) : NULL;
  g_autofree char *detail = NULL;
  g_autofree char *parameters = NULL;
  char *tailored;

  /* A 401 is about the credentials whatever its code (README-errors.md). */
  if (code != KL_ERROR_AUTH_FAILED && (tailored = message_for_code (atlas_code, atlas_error)))
    return tailored;

  if (atlas_error != NULL)
    {
      g_autofree char *all_parameters = kl_atlas_error_dup_parameters_text (atlas_error);

      detail = quote_server_text (kl_atlas_error_get_detail (atlas_error));
      parameters = quote_server_text (all_parameters);
    }

  switch (code)
    {
    case KL_ERROR_AUTH_FAILED:
      if (g_strcmp0 (atlas_code, "USER_UNAUTHORIZED") == 0 ||
          g_strcmp0 (atlas_code, "USER_CANNOT_ACCESS_GROUP") == 0 ||
          g_strcmp0 (atlas_code, "NOT_IN_GROUP") == 0)
        return g_strdup (_("Atlas accepted these credentials, but they have no access to this "
                           "project or action. Give the API key or service account the Project "
                           "Owner role on this project in Atlas, then try again."));
      return g_strdup (_("Atlas did not accept these credentials. Check the public and private "
                         "key, or the client ID and secret, and that they have not been deleted "
                         "or expired; then sign in again."));

    case KL_ERROR_IP_NOT_ON_ACCESS_LIST:
      return g_strdup (_("Atlas refused the request because this computer’s IP address is not "
                         "on the API access list of the key or service account. Add it to the "
                         "access list in Atlas, then try again."));

    case KL_ERROR_TOO_MANY_TOKENS:
      return g_strdup (_("This service account already holds as many access tokens as Atlas "
                         "allows. Wait an hour for old tokens to expire, or revoke them in "
                         "Atlas; then sign in again."));

    case KL_ERROR_FORBIDDEN:
      return g_strdup (_("These credentials are not allowed to do this. Give the API key or "
                         "service account the Project Owner role on this project in Atlas, "
                         "then try again."));

    case KL_ERROR_NOT_FOUND:
      if (g_strcmp0 (atlas_code, "GROUP_NOT_FOUND") == 0)
        return g_strdup (_("Atlas cannot find this project: it was deleted, or these credentials "
                           "cannot see it. Choose the project again."));
      if (g_strcmp0 (atlas_code, "CLUSTER_NOT_FOUND") == 0)
        return g_strdup (_("Atlas cannot find this cluster: it may have been deleted. Reload "
                           "the project and try again."));
      return g_strdup (_("Atlas cannot find this item: it may have been deleted meanwhile. "
                         "Reload the project and try again."));

    case KL_ERROR_API_VERSION:
      return g_strdup (_("Atlas no longer accepts the API version this version of Keylink "
                         "uses. Update Keylink, then try again."));

    case KL_ERROR_RATE_LIMITED:
      if (retry_after > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Atlas is receiving too many requests from these "
                                             "credentials. Wait %u second, then try again.",
                                             "Atlas is receiving too many requests from these "
                                             "credentials. Wait %u seconds, then try again.",
                                             retry_after),
                                retry_after);
      return g_strdup (_("Atlas is receiving too many requests from these credentials. Wait a "
                         "minute, then try again."));

    case KL_ERROR_INVALID_AZURE_CREDENTIALS:
      return g_strdup (_("Atlas could not reach the key with this Azure application. Check the "
                         "tenant ID, client ID and client secret, and that the secret has not "
                         "expired; that the application has the Key Vault Reader role on the "
                         "vault and the get, encrypt and decrypt permissions on the key; and "
                         "that no conditional-access policy on the app registration blocks "
                         "Atlas (such policies must allow the Atlas control-plane IP "
                         "addresses). Then try again."));

    case KL_ERROR_CONFLICT:
      if (g_strcmp0 (atlas_code, "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS") == 0)
        return g_strdup (_("Encryption with your key cannot be turned off while private "
                           "endpoints exist, even ones being deleted. Delete every private "
                           "endpoint, wait until none is left, then try again."));
      if (g_strcmp0 (atlas_code, "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_"
                                 "WHILE_PRIVATE_ENDPOINTS_EXIST") == 0)
        {
          if (parameters != NULL)
            return g_strdup_printf (_("Private networking cannot be turned off while private "
                                      "endpoints exist (%s). Delete them, wait until none is "
                                      "left, then try again."),
                                    parameters);
          return g_strdup (_("Private networking cannot be turned off while private endpoints "
                             "exist. Delete them, wait until none is left, then try again."));
        }
      if (g_strcmp0 (atlas_code,
                     "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING") == 0)
        return g_strdup (_("This private endpoint is still being created and cannot be deleted "
                           "yet. Wait until it is no longer initiating, then delete it."));
      if (detail != NULL)
        return g_strdup_printf (_("Atlas refused this in the project’s current state: %s. "
                                  "Reload the project, deal with that, then try again."),
                                detail);
      return g_strdup (_("Atlas refused this in the project’s current state. Reload the "
                         "project, then try again."));

    case KL_ERROR_BAD_REQUEST:
      if (detail != NULL)
        return g_strdup_printf (_("Atlas rejected the request: %s. Check the values you "
                                  "entered, then try again."),
                                detail);
      return g_strdup (_("Atlas rejected the request. Check the values you entered, then try "
                         "again."));

    case KL_ERROR_INELIGIBLE:
      return g_strdup (_("This is a serverless instance, which cannot use your own key. Move its "
                         "data to a dedicated cluster (M10 or larger) to encrypt it with your "
                         "key."));

    case KL_ERROR_SERVER:
      return g_strdup_printf (_("Atlas had a problem of its own (HTTP %u). Wait a moment and "
                                "try again; if it keeps happening, check the MongoDB Cloud "
                                "status page."),
                              status);

    case KL_ERROR_BAD_RESPONSE:
    case KL_ERROR_FAILED:
    case KL_ERROR_INVALID_INPUT:
    case KL_ERROR_INSECURE_URL:
    case KL_ERROR_NETWORK:
    case KL_ERROR_TLS:
    case KL_ERROR_TIMEOUT:
    case KL_ERROR_KEYRING_UNAVAILABLE:
    case KL_ERROR_KEYRING_LOCKED:
    default:
      return g_strdup_printf (_("Atlas sent an answer Keylink does not understand (HTTP %u). "
                                "Check that the service address points to MongoDB Atlas, "
                                "then try again."),
                              status);
    }
}

GError *
kl_error_new_from_http (guint       status,
                        const char *x_error_code,
                        const char *retry_after,
                        GBytes     *body)
{
  g_autoptr(KlAtlasError) atlas_error = NULL;
  g_autofree char *message = NULL;
  const char *atlas_code = NULL;
  KlErrorPrivate *priv;
  guint wait = 0;
  GError *error;
  KlError code;

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      g_autoptr(GError) parse_error = NULL;
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      atlas_error = kl_atlas_error_parse (data, (gssize) size, &parse_error);
      if (atlas_error == NULL)
        g_debug ("HTTP %u: the error body is not an Atlas error: %s", status,
                 parse_error->message);
    }

  /* A header is bytes: the code is kept as text. */
  if (atlas_error == NULL && x_error_code != NULL && x_error_code[0] != '\0')
    {
      g_autofree char *code_text = g_utf8_make_valid (x_error_code, -1);

      atlas_error = kl_atlas_error_new (status, code_text);
    }

  if (atlas_error != NULL)
    atlas_code = kl_atlas_error_get_error_code (atlas_error);

  if (status == 429 || status == 503)
    wait = kl_error_parse_retry_after (retry_after);

  code = code_for_answer (status, atlas_code);
  message = message_for_answer (code, status, atlas_error, wait);

  g_debug ("HTTP %u → KL_ERROR %d: errorCode %s, detail %s", status, code,
           atlas_code != NULL ? atlas_code : "(none)",
           atlas_error != NULL && kl_atlas_error_get_detail (atlas_error) != NULL
             ? kl_atlas_error_get_detail (atlas_error) : "(none)");

  error = g_error_new_literal (KL_ERROR, code, message);
  priv = kl_error_get_private (error);
  priv->http_status = status;
  priv->retry_after = wait;
  priv->atlas_error = g_steal_pointer (&atlas_error);

  return error;
}

/**
 * kl_error_new_deadline:
 * @seconds: the deadline that passed
 *
 * Returns: (transfer full): KL_ERROR_TIMEOUT, saying how long Keylink waited
 */
GError *
kl_error_new_deadline (guint seconds)
{
  return g_error_new (KL_ERROR, KL_ERROR_TIMEOUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "Atlas did not answer within %u second. Check the internet "
                                   "connection, then try again.",
                                   "Atlas did not answer within %u seconds. Check the internet "
                                   "connection, then try again.",
                                   seconds),
                      seconds);
}

/**
 * kl_error_new_redirect:
 * @origin: (nullable): where the service sent Keylink (scheme, host and port)
 *
 * Returns: (transfer full): KL_ERROR_BAD_RESPONSE, saying that Keylink did not follow
 */
GError *
kl_error_new_redirect (const char *origin)
{
  g_autofree char *quoted = kl_server_text_dup_short (origin, KL_SERVER_TEXT_SHORT_CHARS);

  if (quoted == NULL)
    return g_error_new_literal (KL_ERROR, KL_ERROR_BAD_RESPONSE,
                                _("The service address sent Keylink elsewhere, and Keylink "
                                  "does not follow. Check that the service address points to "
                                  "MongoDB Atlas, then try again."));

  /* Translators: %s is an address such as https://example.com */
  return g_error_new (KL_ERROR, KL_ERROR_BAD_RESPONSE,
                      _("The service address sent Keylink to another address, “%s”, and "
                        "Keylink does not follow. Check that the service address points to "
                        "MongoDB Atlas, then try again."),
                      quoted);
}

GError *
kl_error_new_from_transport (const GError *error)
{
  KlError code = KL_ERROR_NETWORK;
  const char *message;

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == KL_ERROR)
    return g_error_copy (error);

  g_debug ("Transport error: %s (%s %d)", error->message, g_quark_to_string (error->domain),
           error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = KL_ERROR_TIMEOUT;
  else if (error->domain == G_TLS_ERROR)
    code = KL_ERROR_TLS;
  else if (error->domain == SOUP_SESSION_ERROR)
    code = KL_ERROR_BAD_RESPONSE;
  else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    code = KL_ERROR_NETWORK;
  else
    code = KL_ERROR_FAILED;

  switch (code)
    {
    case KL_ERROR_TIMEOUT:
      message = _("Atlas did not answer in time. Check the internet connection, then try again.");
      break;
    case KL_ERROR_TLS:
      message = _("The secure connection to Atlas could not be verified. Check the service "
                  "address, the computer’s date and time, and any proxy that inspects HTTPS; "
                  "then try again.");
      break;
    case KL_ERROR_BAD_RESPONSE:
      message = _("Atlas sent an answer Keylink does not understand. Check that the service "
                  "address points to MongoDB Atlas, then try again.");
      break;
    case KL_ERROR_NETWORK:
      message = _("Could not reach Atlas. Check the internet connection and the service "
                  "address, then try again.");
      break;
    case KL_ERROR_FAILED:
    case KL_ERROR_INVALID_INPUT:
    case KL_ERROR_INSECURE_URL:
    case KL_ERROR_AUTH_FAILED:
    case KL_ERROR_FORBIDDEN:
    case KL_ERROR_IP_NOT_ON_ACCESS_LIST:
    case KL_ERROR_TOO_MANY_TOKENS:
    case KL_ERROR_NOT_FOUND:
    case KL_ERROR_RATE_LIMITED:
    case KL_ERROR_CONFLICT:
    case KL_ERROR_INVALID_AZURE_CREDENTIALS:
    case KL_ERROR_BAD_REQUEST:
    case KL_ERROR_SERVER:
    case KL_ERROR_INELIGIBLE:
    case KL_ERROR_KEYRING_UNAVAILABLE:
    case KL_ERROR_KEYRING_LOCKED:
    case KL_ERROR_API_VERSION:
    default:
      message = _("Talking to Atlas failed unexpectedly. Try again; if it keeps happening, "
                  "restart Keylink.");
      break;
    }

  return g_error_new_literal (KL_ERROR, code, message);
}

void
kl_error_set_bad_response (GError     **error,
                           const char  *format,
                           ...)
{
  g_autofree char *raw = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);

  /* The detail may quote the server's bytes (json-glib's parse errors do): the log takes
   * valid UTF-8 only. */
  detail = g_utf8_make_valid (raw, -1);
  g_debug ("Bad response: %s", detail);
  g_set_error_literal (error, KL_ERROR, KL_ERROR_BAD_RESPONSE,
                       _("Atlas sent an answer Keylink does not understand. Check that the "
                         "service address points to MongoDB Atlas, then try again."));
}

KlAtlasError *
kl_atlas_error_from_gerror (const GError *error)
{
  KlErrorPrivate *priv;

  if (error == NULL || error->domain != KL_ERROR)
    return NULL;

  priv = kl_error_get_private (error);
  return priv != NULL ? priv->atlas_error : NULL;
}

const char *
kl_error_get_atlas_code (const GError *error)
{
  KlAtlasError *atlas_error = kl_atlas_error_from_gerror (error);

  return atlas_error != NULL ? kl_atlas_error_get_error_code (atlas_error) : NULL;
}

guint
kl_error_get_http_status (const GError *error)
{
  KlErrorPrivate *priv;

  if (error == NULL || error->domain != KL_ERROR)
    return 0;

  priv = kl_error_get_private (error);
  return priv != NULL ? priv->http_status : 0;
}

guint
kl_error_get_retry_after (const GError *error)
{
  KlErrorPrivate *priv;

  if (error == NULL || error->domain != KL_ERROR)
    return 0;

  priv = kl_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

GError *
kl_error_new_azure (KlError     code,
                    guint       status,
                    const char *azure_code,
                    const char *retry_after,
                    const char *message)
{
  KlErrorPrivate *priv;
  GError *error;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (KL_ERROR, code, message);
  priv = kl_error_get_private (error);
  priv->http_status = status;
  if (status == 429 || status == 503)
    priv->retry_after = kl_error_parse_retry_after (retry_after);
  /* A header or a body is bytes: the code is kept as text. */
  priv->azure_code = azure_code != NULL && azure_code[0] != '\0'
                     ? g_utf8_make_valid (azure_code, -1) : NULL;
  return error;
}

const char *
kl_error_get_azure_code (const GError *error)
{
  KlErrorPrivate *priv;

  if (error == NULL || error->domain != KL_ERROR)
    return NULL;

  priv = kl_error_get_private (error);
  return priv != NULL ? priv->azure_code : NULL;
}
