/* kl-credentials-cli.c
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


/* The Atlas CLI: list.
 *
 * Read config.toml -> parse -> for each profile, search its keyring items (service =
 * atlascli_<name>): which properties they hold, and the values of the non-secret ones
 * (public_api_key, client_id) when unlocked. Never prompts; keyring trouble becomes each
 * profile's problem. */

/* Searches the keyring items of the CLI profile @profile_name into op->items. Takes the
 * reference on @task. */
static void
cli_search (GTask               *task,
            const char          *profile_name,
            GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (attributes, g_strdup ("service"),
                       g_strconcat (KL_CLI_SERVICE_PREFIX, profile_name, NULL));
  secret_service_search (op->service, kl_credentials_get_cli_schema (), attributes,
                         SECRET_SEARCH_ALL,
                         op->cancellable, callback, task);
}

/* The CLI properties that are not secret, whose values a listing shows. */
static gboolean
is_cli_id_property (const char *property)
{
  return g_str_equal (property, KL_CLI_PUBLIC_API_KEY) || g_str_equal (property, KL_CLI_CLIENT_ID);
}

static const char *
item_username (GHashTable *attributes)
{
  return attributes != NULL ? g_hash_table_lookup (attributes, "username") : NULL;
}

/* A locked item of a keyring never unlocked in this login shows hashed attributes only. */
static gboolean
cli_items_unreadable (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);

      if (secret_item_get_locked (l->data) && item_username (attributes) == NULL)
        return TRUE;
    }
  return FALSE;
}

static void
cli_list_return (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->cli_profiles),
                         (GDestroyNotify) g_ptr_array_unref);
}

/* The keyring could not be read: every profile not yet looked at says so. */
static void
cli_list_keyring_failed (GTask  *task,
                         GError *error)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) translated = kl_credentials_op_translate_error (op, error);

  g_clear_error (&error);
  if (g_error_matches (translated, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&translated));
      return;
    }

  for (guint i = op->cli_index; i < op->cli_profiles->len; i++)
    kl_cli_profile_set_keyring_problem (op->cli_profiles->pdata[i], translated->message);
  cli_list_return (task);
}

static void
on_cli_ids_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  KlCliProfile *profile = op->cli_profiles->pdata[op->cli_index];
  GError *error = NULL;

  if (!secret_item_load_secrets_finish (result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);
      g_autoptr(SecretValue) value = NULL;

      if (property == NULL)
        continue;
      if (is_cli_id_property (property))
        value = secret_item_get_secret (l->data);
      kl_cli_profile_add_keyring_property (profile, property,
                                           value != NULL ? secret_value_get_text (value) : NULL);
    }

  op->cli_index++;
  kl_credentials_cli_list_next (g_steal_pointer (&task));
}

static void
on_cli_list_unlocked (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_op_unlock_finish (op, object, result, NULL, &error))
    return;
  if (error != NULL)
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  /* The same profile again, with fresh proxies. */
  kl_credentials_cli_list_next (g_steal_pointer (&task));
}

static void
on_cli_items (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(SecretItem) ids = NULL;
  GError *error = NULL;

  if (!kl_credentials_op_search_finish (op, result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  if (cli_items_unreadable (op->items))
    {
      g_autolist(GDBusProxy) locked = kl_credentials_locked_items (op->items);

      /* Ask once per listing; refused, the profile says so. */
      if (!op->tried_unlock)
        {
          op->tried_unlock = TRUE;
          kl_credentials_op_unlock (g_steal_pointer (&task), locked, on_cli_list_unlocked);
          return;
        }

      {
        g_autoptr(GError) locked_message = kl_credentials_locked_error ();

        kl_cli_profile_set_keyring_problem (op->cli_profiles->pdata[op->cli_index],
                                            locked_message->message);
      }
      op->cli_index++;
      kl_credentials_cli_list_next (g_steal_pointer (&task));
      return;
    }

  /* Load only the public key / client ID items that are unlocked: never a secret. */
  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);

      if (property != NULL && !secret_item_get_locked (l->data) && is_cli_id_property (property))
        ids = g_list_prepend (ids, g_object_ref (l->data));
    }

  /* With nothing to load, libsecret completes at once. */
  secret_item_load_secrets (ids, op->cancellable, on_cli_ids_loaded, g_steal_pointer (&task));
}

void
kl_credentials_cli_list_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->cli_index >= op->cli_profiles->len)
    {
      cli_list_return (task);
      g_object_unref (task);
      return;
    }

  cli_search (task, kl_cli_profile_get_name (op->cli_profiles->pdata[op->cli_index]),
              on_cli_items);
}

static void
on_cli_list_service (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_op_get_service_finish (op, result, &error))
    {
      cli_list_keyring_failed (task, error);
      return;
    }

  kl_credentials_cli_list_next (g_steal_pointer (&task));
}

/* The CLI configuration could not be read (but for a missing file, which callers handle). */
static void
cli_file_return_error (GTask  *task,
                       GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      kl_credentials_op_return_error (task, g_error_copy (error));
      return;
    }

  g_debug ("Cannot read %s: %s", op->path, error->message);
  g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                           _("The Atlas CLI configuration “%s” cannot be read: %s. Check its "
                             "permissions, or sign in by hand."),
                           op->path, error->message);
}

static void
on_cli_config_loaded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* No CLI here: nothing to offer. */
          op->cli_profiles = g_ptr_array_new_with_free_func (g_object_unref);
          cli_list_return (task);
        }
      else
        cli_file_return_error (task, error);
      return;
    }

  op->cli_profiles = kl_cli_config_parse_profiles (contents, length, op->path, &error);
  /* Older CLI versions kept secrets in the file: no copy stays in memory. */
  explicit_bzero (contents, length);
  if (op->cli_profiles == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->cli_profiles->len == 0)
    {
      cli_list_return (task);
      return;
    }

  g_debug ("Atlas CLI configuration %s: %u profile(s)", op->path, op->cli_profiles->len);
  kl_credentials_op_get_service (g_steal_pointer (&task), SECRET_SERVICE_OPEN_SESSION,
                                 on_cli_list_service);
}

void
kl_credentials_list_cli_profiles_async (KlCredentials       *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_CLI_LIST, cancellable, callback, user_data,
                                     kl_credentials_list_cli_profiles_async);
  op = g_task_get_task_data (task);
  op->path = kl_cli_config_get_default_path ();

  /* Read only: g_file_load_contents opens the file O_RDONLY. */
  file = g_file_new_for_path (op->path);
  g_file_load_contents_async (file, op->cancellable, on_cli_config_loaded,
                              g_steal_pointer (&task));
}

GPtrArray *
kl_credentials_list_cli_profiles_finish (KlCredentials  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return kl_credentials_finish_pointer (self, result, kl_credentials_list_cli_profiles_async,
                                        error);
}

/* The Atlas CLI: import.
 *
 * The id and the secret come from the CLI's keyring items when it has them (unlocking if need
 * be), else from the file; then the Keylink profile is stored (keyring or memory). */

static void
cli_import_keyring_failed (GTask  *task,
                           GError *error)
{
  Op *op = g_task_get_task_data (task);

  /* Without the keyring the file may still hold what is needed (older CLI versions). */
  if (kl_cli_profile_get_secret_location (op->cli_profile) == KL_CLI_SECRET_FILE &&
      !(op->caller_cancellable != NULL && g_cancellable_is_cancelled (op->caller_cancellable)))
    {
      g_debug ("CLI keyring items unreadable (%s): trying the file", error->message);
      g_clear_error (&error);
      kl_credentials_cli_import_from_file (task);
      return;
    }

  kl_credentials_op_return_error (task, error);
  g_object_unref (task);
}

static void
on_cli_secrets_loaded (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  const char *secret_property = kl_cli_profile_get_secret_property (op->cli_profile);
  const char *id_property = kl_cli_profile_get_id_property (op->cli_profile);
  GError *error = NULL;

  if (!secret_item_load_secrets_finish (result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);

      if (property == NULL || value == NULL)
        continue;
      if (g_str_equal (property, secret_property) && op->secret == NULL)
        op->secret = kl_credentials_secret_rewrap (value);
      else if (g_str_equal (property, id_property) && secret_value_get_text (value) != NULL)
        {
          /* The keyring wins over the file, as in the CLI. */
          g_free (op->cli_id);
          op->cli_id = g_strdup (secret_value_get_text (value));
        }
    }

  if (op->secret == NULL || op->cli_id == NULL)
    kl_credentials_cli_import_from_file (g_steal_pointer (&task));
  else
    kl_credentials_cli_import_store (g_steal_pointer (&task));
}

static void cli_import_search (GTask *task);

static void
on_cli_import_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_op_unlock_finish (op, object, result, NULL, &error))
    return;
  if (error != NULL)
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  cli_import_search (g_steal_pointer (&task));
}

static void
on_cli_import_items (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  const char *secret_property = kl_cli_profile_get_secret_property (op->cli_profile);
  const char *id_property = kl_cli_profile_get_id_property (op->cli_profile);
  g_autolist(SecretItem) wanted = NULL;
  GError *error = NULL;

  if (!kl_credentials_op_search_finish (op, result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *property = item_username (attributes);

      if (g_strcmp0 (property, secret_property) == 0 || g_strcmp0 (property, id_property) == 0)
        wanted = g_list_prepend (wanted, g_object_ref (l->data));
    }

  if (kl_credentials_any_locked (wanted) || cli_items_unreadable (op->items))
    {
      g_autolist(GDBusProxy) locked = kl_credentials_locked_items (op->items);

      if (op->tried_unlock)
        {
          cli_import_keyring_failed (g_steal_pointer (&task), kl_credentials_locked_error ());
          return;
        }
      op->tried_unlock = TRUE;
      kl_credentials_op_unlock (g_steal_pointer (&task), locked, on_cli_import_unlocked);
      return;
    }

  if (wanted == NULL)
    {
      /* The items are gone: the file may still have it. */
      kl_credentials_cli_import_from_file (g_steal_pointer (&task));
      return;
    }

  secret_item_load_secrets (wanted, op->cancellable, on_cli_secrets_loaded,
                            g_steal_pointer (&task));
}

static void
cli_import_search (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  cli_search (task, kl_cli_profile_get_name (op->cli_profile), on_cli_import_items);
}

static void
on_cli_import_service (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_op_get_service_finish (op, result, &error))
    {
      cli_import_keyring_failed (g_steal_pointer (&task), error);
      return;
    }

  cli_import_search (g_steal_pointer (&task));
}

static void
on_cli_import_file_loaded (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *name = kl_cli_profile_get_name (op->cli_profile);

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      cli_file_return_error (task, error);
      return;
    }

  if (op->secret == NULL)
    op->secret = kl_cli_config_dup_value (contents, length, name,
                                          kl_cli_profile_get_secret_property (op->cli_profile),
                                          &error);
  if (error == NULL && op->cli_id == NULL)
    {
      g_autoptr(SecretValue) id = NULL;

      id = kl_cli_config_dup_value (contents, length, name,
                                    kl_cli_profile_get_id_property (op->cli_profile), &error);
      if (id != NULL)
        op->cli_id = g_strdup (secret_value_get_text (id));
    }
  explicit_bzero (contents, length);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->secret == NULL || op->cli_id == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_NOT_FOUND,
                               _("The Atlas CLI profile “%s” no longer holds its key or secret. "
                                 "Sign in with the Atlas CLI again, or enter them by hand."),
                               name);
      return;
    }

  kl_credentials_cli_import_store (g_steal_pointer (&task));
}

void
kl_credentials_cli_import_from_file (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GFile) file = g_file_new_for_path (op->path);

  g_file_load_contents_async (file, op->cancellable, on_cli_import_file_loaded, task);
}

static void
on_cli_import_stored (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_store_finish (KL_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&op->profile), g_object_unref);
}

void
kl_credentials_cli_import_store (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  KlCredentials *self = g_task_get_source_object (task);
  KlCliProfile *cli = op->cli_profile;

  op->profile = kl_profile_new (kl_cli_profile_get_name (cli), kl_cli_profile_get_auth_type (cli),
                                kl_cli_profile_get_service (cli), op->cli_id);
  kl_profile_set_custom_url (op->profile, kl_cli_profile_get_custom_url (cli));
  kl_profile_set_org_id (op->profile, kl_cli_profile_get_org_id (cli));
  kl_profile_set_project_id (op->profile, kl_cli_profile_get_project_id (cli));

  /* The store has its own timeout; the caller's cancellable still applies. */
  kl_credentials_store_async (self, op->profile, op->secret, op->caller_cancellable,
                              on_cli_import_stored, task);
}

void
kl_credentials_import_cli_profile_async (KlCredentials       *self,
                                         KlCliProfile        *cli_profile,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (KL_IS_CREDENTIALS (self));
  g_return_if_fail (KL_IS_CLI_PROFILE (cli_profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = kl_credentials_op_task_new (self, OP_CLI_IMPORT, cancellable, callback, user_data,
                                     kl_credentials_import_cli_profile_async);
  op = g_task_get_task_data (task);
  op->path = kl_cli_config_get_default_path ();
  op->cli_profile = g_object_ref (cli_profile);

  if (!kl_cli_profile_is_importable (cli_profile))
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INVALID_INPUT, "%s",
                               kl_cli_profile_get_problem (cli_profile));
      return;
    }

  op->cli_id = g_strdup (kl_cli_profile_get_client_id (cli_profile));

  if (kl_cli_profile_get_secret_location (cli_profile) == KL_CLI_SECRET_FILE && op->cli_id != NULL)
    {
      kl_credentials_cli_import_from_file (g_steal_pointer (&task));
      return;
    }

  g_debug ("Importing Atlas CLI profile %s (secret in the %s)",
           kl_cli_profile_get_name (cli_profile),
           kl_cli_profile_get_secret_location (cli_profile) == KL_CLI_SECRET_KEYRING ? "keyring" : "file");
  kl_credentials_op_get_service (g_steal_pointer (&task), SECRET_SERVICE_OPEN_SESSION,
                                 on_cli_import_service);
}

KlProfile *
kl_credentials_import_cli_profile_finish (KlCredentials  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return kl_credentials_finish_pointer (self, result, kl_credentials_import_cli_profile_async,
                                        error);
}
