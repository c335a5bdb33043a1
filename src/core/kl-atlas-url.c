/* kl-atlas-url.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kl-atlas-client-private.h"
#include "kl-error.h"
#include "kl-http-log.h"

gboolean
kl_atlas_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* ------------------------------------------------------------------------------------------ */
/* Construction                                                                                */

const char *
kl_atlas_service_get_url (KlAtlasService service)
{
  switch (service)
    {
    case KL_ATLAS_SERVICE_ATLAS:
      return KL_ATLAS_URL;
    case KL_ATLAS_SERVICE_GOVERNMENT:
      return KL_ATLAS_GOVERNMENT_URL;
    case KL_ATLAS_SERVICE_CUSTOM:
    default:
      return NULL;
    }
}

/* A DNS name (ASCII or not) or an IP address literal. */
static gboolean
is_host_name (const char *host)
{
  const char *p;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && (guchar) *p < 0x80)
        return FALSE;
    }

  return host[0] != '.' && host[0] != '-' && strstr (host, "..") == NULL;
}

/* The URL as the client uses it (scheme://host[:port]), or NULL with @error set. */
char *
kl_atlas_normalize_base_url (const char  *url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter the address of the Atlas service, such as "
                             "https://cloud.mongodb.com."));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is not a web address. Enter it as https:// followed by the "
                             "host name, such as https://cloud.mongodb.com."));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("The address must start with https://, such as "
                             "https://cloud.mongodb.com."));
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0' || !is_host_name (host))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("The address has no host name. Enter it as https:// followed by "
                             "the host name, such as https://cloud.mongodb.com."));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Remove the user name and password from the address: Keylink asks "
                             "for the credentials in their own fields."));
      return NULL;
    }

  path = g_uri_get_path (uri);
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      (path != NULL && path[0] != '\0' && strcmp (path, "/") != 0))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Enter only the address of the service, without a path, “?” or "
                             "“#”, such as https://cloud.mongodb.com."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !kl_atlas_is_loopback_host (host))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INSECURE_URL,
                           _("Keylink talks to Atlas only over HTTPS, so that nobody can read "
                             "your credentials on the way. Use an address that starts with "
                             "https:// (http:// is allowed only for this computer, such as a "
                             "local simulator)."));
      return NULL;
    }

  return g_uri_join (G_URI_FLAGS_NONE, g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL, host, g_uri_get_port (uri), "", NULL, NULL);
}

gboolean
kl_atlas_check_base_url (const char  *url,
                         GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = kl_atlas_normalize_base_url (url, error);
  return normalized != NULL;
}
