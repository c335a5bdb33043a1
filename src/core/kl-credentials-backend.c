/* kl-credentials-backend.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-credentials-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-secret-backend.h"


/* Through libsecret's backend (the secret_password_* calls) inside a Flatpak or Snap sandbox,
 * or wherever SECRET_BACKEND names one. There libsecret 0.20 keeps the items in a file of the
 * app's own ($XDG_DATA_HOME/keyrings/default.keyring), encrypted with a master key that the
 * Secret portal gives (xdg-desktop-portal, with gnome-keyring behind it), and talks to the
 * Secret Service only when there is no portal. The file has no collections, aliases or
 * locking (no "login" or default collection, nothing to unlock) and its items are replaced,
 * not edited: so a store removes the profile's items and writes the new one, and an update
 * rewrites the item. The Atlas CLI's items stay in the Secret Service
 * (kl_credentials_op_get_service ()). */
gboolean
kl_credentials_use_secret_backend (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL ||
         (backend != NULL && backend[0] != '\0');
}

static void
on_backend_stored (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    kl_credentials_op_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_backend_cleared (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  if (op->kind == OP_DELETE)
    {
      if (!removed && op->not_found_is_error)
        g_task_return_error (task, kl_credentials_not_saved_error ());
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* A store, or the second half of an update: write the item. */
  secret_password_storev_binary (op->schema, op->attributes, SECRET_COLLECTION_DEFAULT,
                                 op->label, op->secret, op->cancellable, on_backend_stored,
                                 g_steal_pointer (&task));
}

static void
on_backend_secret (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (object), result,
                                                     &error);
  if (value == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_PROTOCOL, "no secret");
      kl_credentials_op_return_error (task, error);
      return;
    }

  if (op->kind == OP_LOOKUP)
    {
      g_task_return_pointer (task, kl_credentials_secret_rewrap (value), secret_value_unref);
      return;
    }

  /* An update: the same secret under the new attributes. */
  g_assert (op->kind == OP_UPDATE);
  op->secret = kl_credentials_secret_rewrap (value);
  secret_password_clearv (kl_credentials_get_search_schema (), op->search_attributes,
                          op->cancellable,
                          on_backend_cleared, g_steal_pointer (&task));
}

static void
on_backend_found (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  SecretRetrievable *newest = NULL;
  GError *error = NULL;

  g_list_free_full (op->items, g_object_unref);
  op->items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  if (op->kind == OP_LIST)
    {
      kl_credentials_list_return_profiles (task);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      if (newest == NULL ||
          secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
        newest = l->data;
    }
  if (newest == NULL)
    {
      g_task_return_error (task, kl_credentials_not_saved_error ());
      return;
    }

  if (op->kind == OP_UPDATE)
    {
      g_autoptr(GHashTable) current = secret_retrievable_get_attributes (newest);
      g_autoptr(KlProfile) profile = NULL;

      if (op->profile != NULL)
        profile = kl_profile_copy (op->profile);
      else if (current != NULL &&
               (profile = kl_credentials_profile_from_attributes (current)) != NULL)
        kl_profile_set_display_name (profile, op->display_name);
      else
        {
          g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                                   _("This saved sign-in was written by a newer version of "
                                     "Keylink and cannot be changed here. Update Keylink, "
                                     "or delete the sign-in and save it again."));
          return;
        }
      op->schema = kl_credentials_get_schema ();
      op->attributes = kl_credentials_profile_to_attributes (profile);
      op->label = kl_credentials_profile_label (profile);
    }

  secret_retrievable_retrieve_secret (newest, op->cancellable, on_backend_secret,
                                      g_steal_pointer (&task));
}

static void
on_backend_ready (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK;
  GError *error = NULL;

  if (!kl_secret_backend_ensure_finish (result, &error))
    {
      kl_credentials_op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  switch (op->kind)
    {
    case OP_STORE:
    case OP_DELETE:
      secret_password_clearv (kl_credentials_get_search_schema (), op->search_attributes,
                              op->cancellable,
                              on_backend_cleared, task);
      break;

    case OP_LOOKUP:
    case OP_UPDATE:
      flags |= SECRET_SEARCH_LOAD_SECRETS;
      G_GNUC_FALLTHROUGH;
    case OP_LIST:
      secret_password_searchv (kl_credentials_get_search_schema (), op->search_attributes, flags,
                               op->cancellable, on_backend_found, task);
      break;

    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

/* The first call of the process has libsecret make its backend first (kl-secret-backend.c:
 * a lost answer of the Secret portal is asked for again). */
void
kl_credentials_backend_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_debug ("Keyring %s through libsecret's backend", kl_credentials_op_kind_name (op->kind));
  kl_secret_backend_ensure_async (op->cancellable, on_backend_ready, task);
}
