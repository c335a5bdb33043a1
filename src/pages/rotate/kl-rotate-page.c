/* kl-rotate-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-rotate-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-rotate-page.h"
#include "pages/kl-page-util.h"

/* Rotation (HACKING.md, The flow): a new key identifier in the same vault, checked as typed
 * against the project's current vault and environment (a rotated key cannot leave the vault,
 * and with private networking the vault cannot change anyway); then PATCH keyIdentifier alone
 * and read the configuration back until Atlas calls the key valid. */

/* Atlas checks the key when it takes the PATCH; a few reads cover a slow check. */
#define VERIFY_ATTEMPTS    5
#define VERIFY_INTERVAL_MS 2000

struct _KlRotatePage
{
  KlPage        parent_instance;

  KlSession    *session;
  GCancellable *cancellable;     /* the page's reads; cancelled on dispose */
  KlField      *key_id_field;

  /* The project's key as last read: what the new one is checked against. */
  char         *current_key_id;
  char         *vault_name;
  char         *environment;

  guint         verify_attempts;
  guint         verify_interval_ms;

  /* Template widgets */
  AdwActionRow *current_key_row;
  AdwActionRow *vault_row;
  AdwEntryRow  *key_id_row;
};

G_DEFINE_FINAL_TYPE (KlRotatePage, kl_rotate_page, KL_TYPE_PAGE)

/* Atlas's default cloud when it names none. */
static const char *
environment_display_name (const char *environment)
{
  return kl_page_util_environment_name (environment != NULL ? environment : "AZURE");
}

/* The rules a rotated key must follow, on a parsed identifier: same vault and cloud as the
 * current key, and not the current key itself. */
static gboolean
check_same_vault (const KlKeyId  *id,
                  const char     *environment,
                  const char     *vault_name,
                  const char     *current_key_id,
                  GError        **error)
{
  if (!kl_key_id_check (id, environment, vault_name, NULL))
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                   _("A rotated key must stay in the vault “%s” (%s), but this identifier "
                     "points to “%s”. Create the new key, or a new version of the key, in “%s”, "
                     "then paste its identifier."),
                   vault_name, environment_display_name (environment),
                   kl_key_id_get_host (id), vault_name);
      return FALSE;
    }

  if (current_key_id != NULL && g_ascii_strcasecmp (kl_key_id_to_string (id), current_key_id) == 0)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is the key Atlas uses now. Paste the identifier of the new "
                             "key, or of the key’s new version."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_key_id (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  KlRotatePage *self = user_data;
  g_autoptr(KlKeyId) id = NULL;

  id = kl_key_id_parse (text, error);
  if (id == NULL)
    {
      *fix = kl_key_id_suggest_fix (text);
      return FALSE;
    }

  /* Not read yet: the page is not complete anyway. */
  if (self->vault_name == NULL)
    return TRUE;

  return check_same_vault (id, self->environment, self->vault_name, self->current_key_id, error);
}

static void
update_complete (KlRotatePage *self)
{
  kl_page_set_complete (KL_PAGE (self),
                        self->vault_name != NULL && kl_field_get_valid (self->key_id_field));
}

static void
key_id_changed_cb (KlRotatePage *self)
{
  update_complete (self);
  kl_page_input_changed (KL_PAGE (self));
}

static void
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

/* The current key, from the session's last read. */
static void
update_current (KlRotatePage *self)
{
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  KlAzureKeyVault *akv = ear != NULL ? kl_encryption_at_rest_get_azure_key_vault (ear) : NULL;
  g_autofree char *vault = NULL;

  if (akv == NULL || !kl_azure_key_vault_get_enabled (akv) ||
      kl_azure_key_vault_get_key_vault_name (akv) == NULL)
    {
      g_clear_pointer (&self->vault_name, g_free);
      g_clear_pointer (&self->environment, g_free);
      g_clear_pointer (&self->current_key_id, g_free);
      /* Translators: the project's current key: there is none (or it is being read) */
      adw_action_row_set_subtitle (self->current_key_row,
                                   ear != NULL ? C_("key", "None") : _("Reading…"));
      /* Translators: the project's key vault: there is none (or it is being read) */
      adw_action_row_set_subtitle (self->vault_row,
                                   ear != NULL ? C_("vault", "None") : _("Reading…"));
      update_complete (self);
      return;
    }

  set_string (&self->vault_name, kl_azure_key_vault_get_key_vault_name (akv));
  set_string (&self->environment, kl_azure_key_vault_get_azure_environment (akv));
  set_string (&self->current_key_id, kl_azure_key_vault_get_key_identifier (akv));

  adw_action_row_set_subtitle (self->current_key_row,
                               self->current_key_id != NULL ? self->current_key_id
                                                            : C_("key", "None"));
  /* Translators: a vault and its cloud, e.g. “contoso-keys (Azure)” */
  vault = g_strdup_printf (C_("vault", "%s (%s)"), self->vault_name,
                           environment_display_name (self->environment));
  adw_action_row_set_subtitle (self->vault_row, vault);

  /* The verdict on what is typed depends on the vault. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->key_id_row))[0] != '\0')
    kl_field_validate (self->key_id_field);
  update_complete (self);
}

static void
refreshed_cb (KlPage       *page,
              const GError *error)
{
  KlRotatePage *self = KL_ROTATE_PAGE (page);
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      update_current (self);
      if (self->vault_name == NULL)
        kl_page_set_error (page,
                           _("This project does not use a key of yours, so there is nothing to "
                             "rotate. Set up encryption with your key first."));
      return;
    }

  /* Translators: %s says what went wrong and what to do */
  message = g_strdup_printf (_("Keylink could not read the project’s key. %s"), error->message);
  kl_page_set_error (page, message);
}

static void
kl_rotate_page_shown (KlPage *page)
{
  KlRotatePage *self = KL_ROTATE_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->key_id_row));

  if (kl_page_get_applying (page))
    return;

  update_current (self);
  kl_page_util_refresh (page, self->session, self->cancellable, refreshed_cb);
}

static void
kl_rotate_page_leave (KlPage *page)
{
  /* Entered from the Project page only: out of the Next/Back order again. */
  kl_page_set_hidden (page, TRUE);
}

/* ---- apply: PATCH keyIdentifier, then read back until valid ---- */

typedef struct
{
  KlAtlasClient *client;
  char          *group_id;
  char          *key_id;        /* the new one, as it is sent */
  char          *old_key_id;    /* to go back to */
  guint          attempts;
  guint          interval_ms;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->group_id, g_free);
  g_clear_pointer (&data->key_id, g_free);
  g_clear_pointer (&data->old_key_id, g_free);
  g_free (data);
}

static void
apply_refresh_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The key is rotated: a failed read-back only means the summary reads again. */
  if (!kl_session_refresh_finish (KL_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Reading the project back failed: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static gboolean
is_taken (KlEncryptionAtRest *ear,
          const char         *key_id)
{
  return g_strcmp0 (kl_azure_key_vault_get_key_identifier (
                      kl_encryption_at_rest_get_azure_key_vault (ear)), key_id) == 0;
}

/* Atlas has the new key identifier, and can use the key. */
static gboolean
is_rotated (KlEncryptionAtRest *ear,
            gpointer            user_data)
{
  KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (ear);

  return is_taken (ear, user_data) && kl_azure_key_vault_get_enabled (akv) &&
         kl_azure_key_vault_get_valid (akv);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlRotatePage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  gboolean rotated = FALSE;

  ear = kl_page_util_patch_and_verify_finish (result, &rotated, &error);
  if (ear == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (rotated)
    kl_session_refresh_async (self->session, g_task_get_cancellable (task), apply_refresh_cb,
                              g_object_ref (task));
  else if (!is_taken (ear, data->key_id))
    g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                             _("Atlas answered, but still shows the old key identifier. Wait a "
                               "minute, then press Rotate Key again."));
  else if (data->old_key_id != NULL)
    g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                             _("Atlas took the new key identifier but cannot use the key "
                               "(“valid” is false). Check in Azure that the new key or version is "
                               "enabled, is an RSA key, and that the application may get, "
                               "encrypt and decrypt with it, then press Rotate Key again. To go back, "
                               "rotate to the previous key: %s"),
                             data->old_key_id);
  else
    g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                             _("Atlas took the new key identifier but cannot use the key "
                               "(“valid” is false). Check in Azure that the new key or version is "
                               "enabled, is an RSA key, and that the application may get, "
                               "encrypt and decrypt with it, then press Rotate Key again."));
}

static void
current_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(KlAzureKeyVault) wanted = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureKeyVault *akv;

  ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result, &error);
  if (ear == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  if (!kl_azure_key_vault_get_enabled (akv))
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_INELIGIBLE, "%s",
                               _("This project does not use a key of yours any more, so nothing "
                                 "was sent. Set up encryption with your key first."));
      return;
    }

  /* The vault as Atlas has it now, not as it was when the page was filled. */
  id = kl_key_id_parse (data->key_id, &error);
  if (id == NULL ||
      !check_same_vault (id, kl_azure_key_vault_get_azure_environment (akv),
                         kl_azure_key_vault_get_key_vault_name (akv),
                         kl_azure_key_vault_get_key_identifier (akv), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->old_key_id = g_strdup (kl_azure_key_vault_get_key_identifier (akv));

  /* Only keyIdentifier changes. */
  wanted = kl_azure_key_vault_copy (akv);
  kl_azure_key_vault_set_key_identifier (wanted, data->key_id);
  body = kl_encryption_at_rest_build_patch (akv, wanted, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kl_page_util_patch_and_verify_async (data->client, data->group_id, body, is_rotated,
                                       data->key_id, data->attempts, data->interval_ms,
                                       g_task_get_cancellable (task), verified_cb,
                                       g_object_ref (task));
}

/* Cancel (the default, and Escape): nothing was sent. Rotate Now: read, then PATCH. */
static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GTask            *task)
{
  g_autoptr(GTask) owned = task;
  ApplyData *data = g_task_get_task_data (owned);
  GCancellable *cancellable = g_task_get_cancellable (owned);

  g_signal_handlers_disconnect_by_data (dialog, task);

  if (g_task_return_error_if_cancelled (owned))
    return;

  if (g_strcmp0 (response, "rotate") != 0)
    {
      /* Declined: silent, like Cancel. */
      g_task_return_new_error (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The rotation was not confirmed");
      return;
    }

  /* Read first: the PATCH is built against the configuration Atlas has now. */
  kl_atlas_client_get_encryption_at_rest_async (data->client, data->group_id, cancellable,
                                                current_cb, g_steal_pointer (&owned));
}

/* A rotation changes the key every cluster of the project uses: asked once more, with the
 * safe answer as the default. */
static void
confirm_rotation (KlRotatePage *self,
                  GTask        *task)
{
  ApplyData *data = g_task_get_task_data (task);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the new key identifier */
  body = g_strdup_printf (_("Atlas will encrypt this project’s data with %s from now on. Keep "
                            "the old key and its versions enabled in Azure: backups taken "
                            "before still need them."), data->key_id);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Rotate the Key?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rotate", _("_Rotate Now"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rotate",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kl_rotate_page_apply_async (KlPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KlRotatePage *self = KL_ROTATE_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(GError) error = NULL;
  ApplyData *data;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_rotate_page_apply_async);

  if (!kl_page_util_has_project (self->session))
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                               _("Keylink is not connected to a project, so nothing was sent. "
                                 "Sign in and choose a project first, then try again."));
      return;
    }

  id = kl_key_id_parse (kl_field_get_text (self->key_id_field), &error);
  if (id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (ApplyData, 1);
  data->client = g_object_ref (kl_session_get_client (self->session));
  data->group_id = g_strdup (kl_session_get_group_id (self->session));
  data->key_id = g_strdup (kl_key_id_to_string (id));
  data->attempts = self->verify_attempts;
  data->interval_ms = self->verify_interval_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  confirm_rotation (self, g_steal_pointer (&task));
}

static void
kl_rotate_page_dispose (GObject *object)
{
  KlRotatePage *self = KL_ROTATE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);

  g_clear_object (&self->key_id_field);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_ROTATE_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_rotate_page_parent_class)->dispose (object);
}

static void
kl_rotate_page_finalize (GObject *object)
{
  KlRotatePage *self = KL_ROTATE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->current_key_id, g_free);
  g_clear_pointer (&self->vault_name, g_free);
  g_clear_pointer (&self->environment, g_free);

  G_OBJECT_CLASS (kl_rotate_page_parent_class)->finalize (object);
}

static void
kl_rotate_page_constructed (GObject *object)
{
  KlRotatePage *self = KL_ROTATE_PAGE (object);

  G_OBJECT_CLASS (kl_rotate_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));

  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (update_current), self,
                           G_CONNECT_SWAPPED);
  update_current (self);
}

static void
kl_rotate_page_class_init (KlRotatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_rotate_page_constructed;
  object_class->dispose = kl_rotate_page_dispose;
  object_class->finalize = kl_rotate_page_finalize;

  page_class->page_id = KL_PAGE_ROTATE;
  page_class->help_id = "rotate";
  page_class->shown = kl_rotate_page_shown;
  page_class->leave = kl_rotate_page_leave;
  page_class->apply_async = kl_rotate_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/rotate/kl-rotate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlRotatePage, current_key_row);
  gtk_widget_class_bind_template_child (widget_class, KlRotatePage, vault_row);
  gtk_widget_class_bind_template_child (widget_class, KlRotatePage, key_id_row);
  kl_page_util_bind_entry_activated (widget_class);
}

static void
kl_rotate_page_init (KlRotatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->verify_attempts = VERIFY_ATTEMPTS;
  self->verify_interval_ms = VERIFY_INTERVAL_MS;

  self->key_id_field = kl_field_new (self->key_id_row, check_key_id, self);
  g_signal_connect_swapped (self->key_id_field, "notify::valid",
                            G_CALLBACK (update_complete), self);
  /* Connected after the field's own handler, so its validity is current here. */
  g_signal_connect_swapped (self->key_id_row, "notify::text",
                            G_CALLBACK (key_id_changed_cb), self);
}

KlPage *
kl_prepare_rotate_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_ROTATE_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_rotate_page_get_session:
 *
 * Returns: (transfer none): the session the page reads and changes
 */
KlSession *
kl_rotate_page_get_session (KlRotatePage *self)
{
  g_return_val_if_fail (KL_IS_ROTATE_PAGE (self), NULL);

  return self->session;
}

/**
 * kl_rotate_page_get_field:
 *
 * Returns: (transfer none): the field of the new key identifier
 */
KlField *
kl_rotate_page_get_field (KlRotatePage *self)
{
  g_return_val_if_fail (KL_IS_ROTATE_PAGE (self), NULL);

  return self->key_id_field;
}

void
kl_rotate_page_set_verify_policy (KlRotatePage *self,
                                  guint         attempts,
                                  guint         interval_ms)
{
  g_return_if_fail (KL_IS_ROTATE_PAGE (self));

  self->verify_attempts = attempts;
  self->verify_interval_ms = interval_ms;
}
