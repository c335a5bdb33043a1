/* kl-sign-in.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sign-in"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-sign-in.h"

/**
 * kl_sign_in_explain_error:
 *
 * Atlas's own answer to a bad sign-in is terse (a 401 says UNEXPECTED_ERROR). Say which
 * credentials are wrong and where in Atlas to look; other failures (network, TLS, the
 * server) already carry a message that says what to do.
 *
 * Returns: (transfer full): the message for the Sign-In page
 */
char *
kl_sign_in_explain_error (const GError *error,
                          KlAuthType    auth_type)
{
  gboolean api_key = auth_type == KL_AUTH_API_KEY;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != KL_ERROR)
    return g_strdup (error->message);

  switch (error->code)
    {
    case KL_ERROR_AUTH_FAILED:
      return g_strdup (api_key
                       ? _("Atlas did not accept this public and private key. Check both against "
                           "the API key in Atlas (Organization → Access Manager → Applications → "
                           "API Keys) and that the key has not been deleted, then sign in again.")
                       : _("Atlas did not accept this client ID and secret. Check both against "
                           "the service account in Atlas (Organization → Access Manager → "
                           "Applications → Service Accounts) and that the secret has not expired "
                           "or been revoked, then sign in again."));

    case KL_ERROR_IP_NOT_ON_ACCESS_LIST:
      return g_strdup (api_key
                       ? _("Atlas refused the sign-in because this computer’s IP address is not "
                           "on the API key’s access list. In Atlas, open Organization → Access "
                           "Manager → Applications → API Keys, edit this key, add this "
                           "computer’s public IP address to its access list, then sign in again.")
                       : _("Atlas refused the sign-in because this computer’s IP address is not "
                           "on the service account’s access list. In Atlas, open Organization → "
                           "Access Manager → Applications → Service Accounts, open this account, "
                           "add this computer’s public IP address to its access list, then sign "
                           "in again."));

    case KL_ERROR_FORBIDDEN:
      return g_strdup (api_key
                       ? _("These credentials may not list the organization’s projects. Give the "
                           "API key the Organization Member role, and Project Owner on the project "
                           "to encrypt, then sign in again.")
                       : _("These credentials may not list the organization’s projects. Give the "
                           "service account the Organization Member role, and Project Owner on "
                           "the project to encrypt, then sign in again."));

    default:
      return g_strdup (error->message);
    }
}

static void
list_projects_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAtlasClient *client = KL_ATLAS_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = kl_atlas_client_list_projects_finish (client, result, &error);
  if (projects == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          char *message = kl_sign_in_explain_error (error, kl_atlas_client_get_auth_type (client));

          g_debug ("Signing in to %s failed: %s (Atlas error code %s)",
                   kl_atlas_client_get_base_url (client), error->message,
                   kl_error_get_atlas_code (error) ? kl_error_get_atlas_code (error) : "none");
          /* Replaced in place: the GError keeps the Atlas details it carries. */
          g_free (error->message);
          error->message = message;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Signed in to %s: %u projects", kl_atlas_client_get_base_url (client), projects->len);
  g_task_return_pointer (task, g_steal_pointer (&projects), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * kl_sign_in_async:
 * @client: a client made with the credentials to prove
 *
 * Signs in: lists the projects the credentials can see (GET /groups, every page).
 */
void
kl_sign_in_async (KlAtlasClient       *client,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_sign_in_async);

  kl_atlas_client_list_projects_async (client, cancellable, list_projects_cb,
                                       g_steal_pointer (&task));
}

GPtrArray *
kl_sign_in_finish (KlAtlasClient  *client,
                   GAsyncResult   *result,
                   GError        **error)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (client), NULL);
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
