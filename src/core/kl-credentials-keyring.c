/* kl-credentials-keyring.c
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


static void
op_free (gpointer data)
{
  Op *op = data;

  if (op->caller_cancellable != NULL)
    g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
  g_clear_object (&op->caller_cancellable);
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_source_unref (op->timeout_source);
    }
  g_clear_object (&op->cancellable);
  g_clear_object (&op->service);
  g_clear_object (&op->collection);
  g_clear_pointer (&op->search_attributes, g_hash_table_unref);
  g_list_free_full (op->items, g_object_unref);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op->label);
  g_clear_pointer (&op->secret, secret_value_unref);
  g_free (op->created_path);
  g_clear_object (&op->profile);
  g_free (op->display_name);
  g_free (op->path);
  g_clear_pointer (&op->cli_profiles, g_ptr_array_unref);
  g_clear_object (&op->cli_profile);
  g_free (op->cli_id);
  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_source_unref (op->cancel_source);
    }
  g_main_context_unref (op->context);
  g_free (op);
}


/* An unlock prompt is never cancelled: with libsecret 0.20.5 and gnome-keyring 42, dismissing
 * a system prompt that is on screen makes libsecret return a NULL error (a critical) and
 * gnome-keyring-daemon abort on its next unlock (gkd-secret-unlock.c perform_next_unlock:
 * assertion !self->current) -- tests/core/test-credentials.c /credentials/locked shows it. So
 * Keylink stops waiting instead: the task returns now, the prompt stays up for the user to
 * answer or close, and its late answer is dropped (it only unlocks the keyring). */
static void
op_abandon (Op     *op,
            GError *error)
{
  g_assert (op->prompting && !op->abandoned);

  g_debug ("Keylink stops waiting for the unlock prompt; it stays up");
  op->abandoned = TRUE;
  g_task_return_error (op->task, error);
}

static gboolean
on_cancel_idle (gpointer user_data)
{
  Op *op = user_data;

  g_clear_pointer (&op->cancel_source, g_source_unref);
  if (op->prompting && !op->abandoned)
    op_abandon (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         _("Operation was cancelled")));
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  Op *op = user_data;

  g_cancellable_cancel (op->cancellable);

  /* Not from inside g_cancellable_cancel (): from the task's own context. */
  if (op->cancel_source == NULL)
    {
      op->cancel_source = g_idle_source_new ();
      /* Not G_PRIORITY_DEFAULT_IDLE: a busy window's redraws (120) would starve it. */
      g_source_set_priority (op->cancel_source, G_PRIORITY_DEFAULT);
      g_source_set_name (op->cancel_source, "[keylink] keyring cancel");
      g_source_set_callback (op->cancel_source, on_cancel_idle, op, NULL);
      g_source_attach (op->cancel_source, op->context);
    }
}

static gboolean
on_op_timeout (gpointer user_data)
{
  Op *op = user_data;

  g_debug ("Keyring operation timed out after %u ms%s", op->timeout_ms,
           op->prompting ? " waiting for an unlock prompt" : "");
  g_clear_pointer (&op->timeout_source, g_source_unref);
  op->timed_out = TRUE;
  op->timed_out_prompting = op->prompting;
  if (op->prompting && !op->abandoned)
    op_abandon (op, kl_credentials_op_translate_error (op, NULL));
  else
    g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

GTask *
kl_credentials_op_task_new (KlCredentials       *self,
                            OpKind               kind,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data,
                            gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);

  op->kind = kind;
  op->task = task;
  op->context = g_main_context_ref_thread_default ();
  op->timeout_ms = self->timeout_ms;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, op_free);

  op->timeout_source = g_timeout_source_new (op->timeout_ms);
  g_source_set_name (op->timeout_source, "[keylink] keyring timeout");
  g_source_set_callback (op->timeout_source, on_op_timeout, op, NULL);
  g_source_attach (op->timeout_source, op->context);

  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  op, NULL);
    }

  return task;
}

/* Turns whatever libsecret, GDBus or the timeout said into an error a person can act on. The
 * technical detail goes to the debug log (it never holds a secret). */
GError *
kl_credentials_op_translate_error (Op     *op,
                                   GError *error)
{
  if (op->caller_cancellable != NULL && g_cancellable_is_cancelled (op->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));

  if (error != NULL)
    g_debug ("Keyring error: %s (%s, %d)", error->message,
             g_quark_to_string (error->domain), error->code);

  if (op->timed_out && op->timed_out_prompting)
    return g_error_new (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                        _("The keyring is locked and its unlock prompt was not answered within "
                          "%u seconds. Unlock the keyring (for example in Passwords and Keys) and "
                          "try again, or continue without saving: your credentials are then kept "
                          "for this session only."),
                        (op->timeout_ms + 999) / 1000);
  if (op->timed_out)
    return g_error_new (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                        _("The keyring did not answer within %u seconds. Check that GNOME Keyring "
                          "(or another Secret Service) is running and try again, or continue "
                          "without saving: your credentials are then kept for this session "
                          "only."),
                        (op->timeout_ms + 999) / 1000);

  /* Inside a sandbox, libsecret kept missing the Secret portal's answer (kl-secret-backend.c). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                                _("The keyring did not answer. Try again, or continue without "
                                  "saving: your credentials are then kept for this session "
                                  "only."));

  if (error != NULL && error->domain == KL_ERROR)
    return g_error_copy (error);

  if (error != NULL && g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                                _("The keyring is locked. Unlock it (for example in Passwords and "
                                  "Keys) and try again, or continue without saving: your "
                                  "credentials are then kept for this session only."));

  return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                              _("The system keyring is not available. Install and start GNOME "
                                "Keyring (or another Secret Service, such as KeePassXC) and try "
                                "again, or continue without saving: your credentials are then "
                                "kept for this session only."));
}

GError *
kl_credentials_locked_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked and was not unlocked. Unlock it (for "
                                "example in Passwords and Keys) and try again, or continue "
                                "without saving: your credentials are then kept for this "
                                "session only."));
}

void
kl_credentials_op_return_error (GTask  *task,
                                GError *error)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_error (task, kl_credentials_op_translate_error (op, error));
  g_clear_error (&error);
}

gboolean
kl_credentials_any_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        return TRUE;
    }
  return FALSE;
}

GList *
kl_credentials_locked_items (GList *items)
{
  GList *locked = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        locked = g_list_prepend (locked, g_object_ref (l->data));
    }
  return locked;
}

/* Asks to unlock @objects (a prompt may come up: see op_abandon ()). Takes the reference on
 * @task. */
void
kl_credentials_op_unlock (GTask               *task,
                          GList               *objects,
                          GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);

  op->prompting = TRUE;
  secret_service_unlock (op->service, objects, NULL, callback, task);
}

/* Finishes kl_credentials_op_unlock (). FALSE when the task has returned already (see
 * op_abandon ()): the late answer only unlocked the keyring, and is dropped. */
gboolean
kl_credentials_op_unlock_finish (Op            *op,
                                 GObject       *object,
                                 GAsyncResult  *result,
                                 GList        **unlocked,
                                 GError       **error)
{
  op->prompting = FALSE;
  if (op->abandoned)
    {
      secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, NULL);
      g_debug ("The unlock prompt was answered after Keylink stopped waiting");
      return FALSE;
    }

  secret_service_unlock_finish (SECRET_SERVICE (object), result, unlocked, error);
  return TRUE;
}

/* Finishes a secret_service_search () into op->items. */
gboolean
kl_credentials_op_search_finish (Op            *op,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  GError *local_error = NULL;

  g_list_free_full (op->items, g_object_unref);
  op->items = secret_service_search_finish (op->service, result, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

GError *
kl_credentials_not_saved_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_NOT_FOUND,
                              _("This saved sign-in is no longer in the keyring (it may have been "
                                "deleted in Passwords and Keys). Sign in again."));
}

GError *
kl_credentials_azure_not_saved_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_NOT_FOUND,
                              _("No Azure client secret is remembered for this project. Type it "
                                "in."));
}

/* Forward declarations: the steps call each other. */
static void op_search            (GTask *task);
static void op_act_on_items      (GTask *task);

void
kl_credentials_op_get_service (GTask              *task,
                               SecretServiceFlags  flags,
                               GAsyncReadyCallback callback)
{
  Op *op = g_task_get_task_data (task);

  secret_service_get (flags, op->cancellable, callback, task);
}

gboolean
kl_credentials_op_get_service_finish (Op            *op,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  op->service = secret_service_get_finish (result, error);
  return op->service != NULL;
}

/* Store: default collection -> unlock it -> create the item -> drop older items of the same
 * profile. */

static void
on_store_duplicate_deleted (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new item is saved: an older copy that cannot go is only worth a debug line (list
   * shows the newest one of each profile). */
  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    g_debug ("Could not delete an older keyring item: %s", error->message);

  op_act_on_items (g_steal_pointer (&task));
}

static void
on_item_created (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretItem) item = NULL;
  GError *error = NULL;

  op->prompting = FALSE;
  item = secret_item_create_finish (result, &error);
  if (item == NULL)
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  op->created_path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)));
  op_search (g_steal_pointer (&task));
}

static void
store_create_item (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  /* CreateItem may still answer with a prompt. */
  op->prompting = TRUE;
  secret_item_create (op->collection, op->schema, op->attributes, op->label, op->secret,
                      SECRET_ITEM_CREATE_NONE, op->cancellable, on_item_created, task);
}

static void
on_collection_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) unlocked = NULL;
  GError *error = NULL;

  if (!kl_credentials_op_unlock_finish (op, object, result, &unlocked, &error))
    return;
  if (error != NULL)
    {
      kl_credentials_op_return_error (task, error);
      return;
    }
  if (unlocked == NULL)
    {
      g_debug ("The default collection stayed locked (prompt dismissed or no prompter)");
      g_task_return_error (task, kl_credentials_locked_error ());
      return;
    }

  store_create_item (g_steal_pointer (&task));
}

static void
on_default_collection (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) objects = NULL;
  GError *error = NULL;

  op->collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      kl_credentials_op_return_error (task, error);
      return;
    }
  if (op->collection == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE,
                               _("The system keyring has no default keyring to save into. Create "
                                 "one (for example in Passwords and Keys) and try again, or "
                                 "continue without saving: your credentials are then kept for "
                                 "this session only."));
      return;
    }

  if (!secret_collection_get_locked (op->collection))
    {
      store_create_item (g_steal_pointer (&task));
      return;
    }

  g_debug ("The default collection is locked: asking to unlock it");
  objects = g_list_append (NULL, g_object_ref (op->collection));
  kl_credentials_op_unlock (g_steal_pointer (&task), objects, on_collection_unlocked);
}

/* Search, unlock, then act on what was found. */

static void
on_items_unlocked (GObject      *object,
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
      kl_credentials_op_return_error (task, error);
      return;
    }

  /* Search again: fresh proxies tell what is unlocked now. */
  op_search (g_steal_pointer (&task));
}

static void
op_unlock_items (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autolist(GDBusProxy) locked = kl_credentials_locked_items (op->items);

  g_assert (!op->tried_unlock);
  op->tried_unlock = TRUE;

  g_debug ("%u keyring item(s) are locked: asking to unlock them", g_list_length (locked));
  kl_credentials_op_unlock (task, locked, on_items_unlocked);
}

int
kl_credentials_compare_profiles (gconstpointer a,
                                 gconstpointer b)
{
  KlProfile *pa = *(KlProfile **) a;
  KlProfile *pb = *(KlProfile **) b;
  int cmp = g_utf8_collate (pa->display_name, pb->display_name);

  return cmp != 0 ? cmp : strcmp (pa->id, pb->id);
}

/* A locked item whose attributes the service does not show (a keyring never unlocked in this
 * login shows hashed ones) cannot be listed without unlocking. */
static gboolean
item_is_unreadable (SecretItem *item)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!secret_item_get_locked (item))
    return FALSE;
  attributes = secret_item_get_attributes (item);
  return attributes == NULL || !g_hash_table_contains (attributes, "profile-id");
}

void
kl_credentials_list_return_profiles (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) modified = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  for (GList *l = op->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(KlProfile) profile = NULL;
      KlProfile *other;
      guint64 when = secret_retrievable_get_modified (l->data);

      if (attributes == NULL ||
          (profile = kl_credentials_profile_from_attributes (attributes)) == NULL)
        {
          g_debug ("Skipping keyring item “%s”: not a profile this version can read",
                   secret_retrievable_get_label (l->data));
          continue;
        }

      /* Two items of one profile (a store interrupted half-way): the newest wins. */
      other = g_hash_table_lookup (by_id, profile->id);
      if (other != NULL &&
          GPOINTER_TO_SIZE (g_hash_table_lookup (modified, other->id)) > when)
        continue;

      g_hash_table_insert (modified, profile->id, GSIZE_TO_POINTER ((gsize) when));
      g_hash_table_insert (by_id, profile->id, profile);
      g_ptr_array_add (profiles, g_steal_pointer (&profile));
    }

  /* Keep only the winners. */
  {
    g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);

    g_hash_table_iter_init (&iter, by_id);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (result, g_object_ref (value));
    g_ptr_array_sort (result, kl_credentials_compare_profiles);
    g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
  }
}

static void
on_search (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->next = NULL;
  if (!kl_credentials_op_search_finish (op, result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_STORE:
      {
        /* The older items of this profile (not the one just made) go. */
        GList *l = op->items;

        while (l != NULL)
          {
            GList *following = l->next;

            if (g_strcmp0 (g_dbus_proxy_get_object_path (l->data), op->created_path) == 0)
              {
                g_object_unref (l->data);
                op->items = g_list_delete_link (op->items, l);
              }
            l = following;
          }
        op->next = op->items;
        op_act_on_items (g_steal_pointer (&task));
      }
      return;

    case OP_LIST:
      {
        gboolean unreadable = FALSE;

        for (GList *l = op->items; l != NULL && !unreadable; l = l->next)
          unreadable = item_is_unreadable (l->data);

        if (unreadable && !op->tried_unlock)
          op_unlock_items (g_steal_pointer (&task));
        else if (unreadable)
          g_task_return_error (task, kl_credentials_locked_error ());
        else
          kl_credentials_list_return_profiles (task);
      }
      return;

    case OP_LOOKUP:
    case OP_UPDATE:
    case OP_DELETE:
      if (op->items == NULL)
        {
          if (op->not_found_is_error)
            g_task_return_error (task, kl_credentials_not_saved_error ());
          else
            g_task_return_boolean (task, TRUE);
          return;
        }
      /* A lookup needs the first item (unlocked ones come first); the others, all of them. */
      if (op->kind == OP_LOOKUP ? secret_item_get_locked (op->items->data)
                                : kl_credentials_any_locked (op->items))
        {
          if (op->tried_unlock)
            g_task_return_error (task, kl_credentials_locked_error ());
          else
            op_unlock_items (g_steal_pointer (&task));
          return;
        }
      op->next = op->items;
      op_act_on_items (g_steal_pointer (&task));
      return;

    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

static void
op_search (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL;

  secret_service_search (op->service, kl_credentials_get_search_schema (), op->search_attributes,
                         flags,
                         op->cancellable, on_search, task);
}

static void
on_secret_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretItem *item = SECRET_ITEM (object);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  if (!secret_item_load_secret_finish (item, result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  value = secret_item_get_secret (item);
  if (value == NULL)
    {
      g_task_return_error (task, kl_credentials_locked_error ());
      return;
    }

  g_task_return_pointer (task, kl_credentials_secret_rewrap (value), secret_value_unref);
}

static void
on_item_updated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data);

static void
on_label_set (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_item_set_label_finish (SECRET_ITEM (object), result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  op_act_on_items (g_steal_pointer (&task));
}

static void
on_item_updated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_item_set_attributes_finish (SECRET_ITEM (object), result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  secret_item_set_label (SECRET_ITEM (object), op->label, op->cancellable, on_label_set,
                         g_steal_pointer (&task));
}

static void
on_item_deleted (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  op_act_on_items (g_steal_pointer (&task));
}

/* One item at a time, then the result. */
static void
op_act_on_items (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretItem *item;

  if (op->kind == OP_LOOKUP)
    {
      /* Any one will do: the newest unlocked one comes first. */
      secret_item_load_secret (op->items->data, op->cancellable, on_secret_loaded, task);
      return;
    }

  if (op->next == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  item = op->next->data;
  op->next = op->next->next;

  switch (op->kind)
    {
    case OP_STORE:
      secret_item_delete (item, op->cancellable, on_store_duplicate_deleted, task);
      break;

    case OP_DELETE:
      secret_item_delete (item, op->cancellable, on_item_deleted, task);
      break;

    case OP_UPDATE:
      {
        g_autoptr(GHashTable) attributes = NULL;
        g_autoptr(KlProfile) profile = NULL;

        if (op->profile != NULL)
          profile = kl_profile_copy (op->profile);
        else
          {
            g_autoptr(GHashTable) current = secret_item_get_attributes (item);

            profile = current != NULL ? kl_credentials_profile_from_attributes (current) : NULL;
            if (profile == NULL)
              {
                g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                                         _("This saved sign-in was written by a newer version of "
                                           "Keylink and cannot be changed here. Update Keylink, "
                                           "or delete the sign-in and save it again."));
                g_object_unref (task);
                return;
              }
            kl_profile_set_display_name (profile, op->display_name);
          }

        attributes = kl_credentials_profile_to_attributes (profile);
        g_free (op->label);
        op->label = kl_credentials_profile_label (profile);
        secret_item_set_attributes (item, op->schema, attributes, op->cancellable,
                                    on_item_updated, task);
      }
      break;

    case OP_LOOKUP:
    case OP_LIST:
    case OP_CLI_LIST:
    case OP_CLI_IMPORT:
    default:
      g_assert_not_reached ();
    }
}

static void
on_service (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kl_credentials_op_get_service_finish (op, result, &error))
    {
      kl_credentials_op_return_error (task, error);
      return;
    }

  if (op->kind == OP_STORE)
    secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                 op->cancellable, on_default_collection,
                                 g_steal_pointer (&task));
  else
    op_search (g_steal_pointer (&task));
}

const char *
kl_credentials_op_kind_name (OpKind kind)
{
  static const char * const names[] = {
    "store", "lookup", "list", "update", "delete", "list CLI profiles", "import a CLI profile",
  };

  g_assert ((guint) kind < G_N_ELEMENTS (names));
  return names[kind];
}

static void
op_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretServiceFlags flags = SECRET_SERVICE_NONE;

  if (kl_credentials_use_secret_backend ())
    {
      kl_credentials_backend_start (task);
      return;
    }

  /* Attributes are not secret: they help to follow what happens. */
  g_debug ("Keyring %s: kind=%s profile-id=%s project-id=%s",
           kl_credentials_op_kind_name (op->kind),
           (const char *) g_hash_table_lookup (op->search_attributes, "kind"),
           (const char *) g_hash_table_lookup (op->search_attributes, "profile-id"),
           (const char *) g_hash_table_lookup (op->search_attributes, "project-id"));

  /* Secrets cross the bus only inside an encrypted session. */
  if (op->kind == OP_STORE || op->kind == OP_LOOKUP)
    flags = SECRET_SERVICE_OPEN_SESSION;

  kl_credentials_op_get_service (task, flags, on_service);
}

/* Whether @result comes from the call of @self tagged @source_tag (a critical if not). */
static gboolean
result_is_valid (KlCredentials *self,
                 GAsyncResult  *result,
                 gpointer       source_tag)
{
  g_return_val_if_fail (KL_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

gboolean
kl_credentials_finish_boolean (KlCredentials  *self,
                               GAsyncResult   *result,
                               gpointer        source_tag,
                               GError        **error)
{
  return result_is_valid (self, result, source_tag) &&
         g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
kl_credentials_finish_pointer (KlCredentials  *self,
                               GAsyncResult   *result,
                               gpointer        source_tag,
                               GError        **error)
{
  if (!result_is_valid (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Starts the keyring part of @task: a search for the items with @search_attributes (taken),
 * then what the task's kind does with them. */
void
kl_credentials_op_start_search (GTask      *task,
                                GHashTable *search_attributes,
                                gboolean    not_found_is_error)
{
  Op *op = g_task_get_task_data (task);

  op->schema = kl_credentials_get_schema ();
  op->search_attributes = search_attributes;
  op->not_found_is_error = not_found_is_error;
  op_start (task);
}
