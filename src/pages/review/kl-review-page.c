/* kl-review-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-review-page.h"
#include "pages/kl-page-util.h"

/* Step 6 of the flow (HACKING.md, The flow): everything that will be sent, secret masked,
 * then Enable: PATCH encryptionAtRest with the answers, then read it back until Atlas says
 * the key is enabled and valid. */

/* Atlas checks the key when it takes the PATCH; a few reads cover a slow check
 * (kl_page_util_verify_async()). */
#define VERIFY_ATTEMPTS    5
#define VERIFY_INTERVAL_MS 2000

struct _KlReviewPage
{
  KlPage          parent_instance;

  KlSession      *session;
  KlSetupAnswers *answers;
  KlAtlasClient  *client;
  char           *group_id;
  guint           verify_attempts;
  guint           verify_interval_ms;
  gboolean        unclear;  /* the last PATCH's outcome is unknown: read before sending */

  /* Template widgets */
  AdwActionRow   *environment_row;
  AdwActionRow   *tenant_row;
  AdwActionRow   *client_row;
  AdwActionRow   *secret_row;
  AdwActionRow   *subscription_row;
  AdwActionRow   *resource_group_row;
  AdwActionRow   *vault_row;
  AdwActionRow   *key_id_row;
  GtkWidget      *edit_app_button;
  GtkWidget      *edit_vault_button;
};

G_DEFINE_FINAL_TYPE (KlReviewPage, kl_review_page, KL_TYPE_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_GROUP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shown instead of the secret: always the same length, so it says nothing about it. */
#define SECRET_MASK "••••••••"

static void
set_value (AdwActionRow *row,
           const char   *value)
{
  /* Translators: shown in the review for an answer not given yet */
  adw_action_row_set_subtitle (row, value != NULL ? value : _("Not set"));
}

static void
update_rows (KlReviewPage *self)
{
  KlSetupAnswers *answers = self->answers;

  set_value (self->environment_row,
             kl_page_util_environment_name (kl_setup_answers_get_azure_environment (answers)));
  set_value (self->tenant_row, kl_setup_answers_get_tenant_id (answers));
  set_value (self->client_row, kl_setup_answers_get_client_id (answers));
  if (kl_page_get_read_only (KL_PAGE (self)))
    /* Atlas keeps the secret and never returns it: there is nothing to ask for. */
    set_value (self->secret_row, _("Kept by Atlas, never shown"));
  else
    set_value (self->secret_row,
               kl_setup_answers_get_has_client_secret (answers) ? SECRET_MASK : NULL);
  set_value (self->subscription_row, kl_setup_answers_get_subscription_id (answers));
  set_value (self->resource_group_row, kl_setup_answers_get_resource_group (answers));
  set_value (self->vault_row, kl_setup_answers_get_key_vault_name (answers));
  set_value (self->key_id_row, kl_setup_answers_get_key_identifier (answers));

  kl_page_set_complete (KL_PAGE (self),
                        kl_page_get_read_only (KL_PAGE (self)) ||
                        (kl_setup_answers_get_tenant_id (answers) != NULL &&
                         kl_setup_answers_get_client_id (answers) != NULL &&
                         kl_setup_answers_get_has_client_secret (answers) &&
                         kl_setup_answers_get_subscription_id (answers) != NULL &&
                         kl_setup_answers_get_resource_group (answers) != NULL &&
                         kl_setup_answers_get_key_vault_name (answers) != NULL &&
                         kl_setup_answers_get_key_identifier (answers) != NULL));
}

static void
answers_changed_cb (KlReviewPage *self)
{
  update_rows (self);
  /* What was sent before is not what would be sent now. Read-only answers are the
   * server's: nothing to send. */
  if (!kl_page_get_read_only (KL_PAGE (self)))
    kl_page_input_changed (KL_PAGE (self));
}

/* Read-only (resume): the settings are on the server already; Next just moves on. */
static void
read_only_changed_cb (KlReviewPage *self)
{
  gboolean read_only = kl_page_get_read_only (KL_PAGE (self));

  gtk_widget_set_visible (self->edit_app_button, !read_only);
  gtk_widget_set_visible (self->edit_vault_button, !read_only);
  kl_page_set_next_label (KL_PAGE (self), read_only ? NULL : _("_Enable"));
  kl_page_set_needs_apply (KL_PAGE (self), !read_only);
  update_rows (self);
}

typedef struct
{
  KlAtlasClient   *client;
  char            *group_id;
  KlAzureKeyVault *wanted;
  guint            attempts;
  guint            interval_ms;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->group_id, g_free);
  g_clear_object (&data->wanted);
  g_free (data);
}

/* What the answers ask Atlas for. */
static KlAzureKeyVault *
build_wanted (KlSetupAnswers *answers)
{
  KlAzureKeyVault *wanted = kl_azure_key_vault_new ();

  kl_azure_key_vault_set_azure_environment (wanted, kl_setup_answers_get_azure_environment (answers));
  kl_azure_key_vault_set_tenant_id (wanted, kl_setup_answers_get_tenant_id (answers));
  kl_azure_key_vault_set_client_id (wanted, kl_setup_answers_get_client_id (answers));
  kl_azure_key_vault_set_secret (wanted, kl_setup_answers_get_client_secret (answers));
  kl_azure_key_vault_set_subscription_id (wanted, kl_setup_answers_get_subscription_id (answers));
  kl_azure_key_vault_set_resource_group_name (wanted, kl_setup_answers_get_resource_group (answers));
  kl_azure_key_vault_set_key_vault_name (wanted, kl_setup_answers_get_key_vault_name (answers));
  kl_azure_key_vault_set_key_identifier (wanted, kl_setup_answers_get_key_identifier (answers));
  kl_azure_key_vault_set_enabled (wanted, TRUE);

  return wanted;
}

static gboolean
is_in_use (KlEncryptionAtRest *ear,
           gpointer            user_data)
{
  KlAzureKeyVault *akv = kl_encryption_at_rest_get_azure_key_vault (ear);

  return kl_azure_key_vault_get_enabled (akv) && kl_azure_key_vault_get_valid (akv);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlReviewPage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  gboolean in_use = FALSE;

  ear = kl_page_util_patch_and_verify_finish (result, &in_use, &error);
  /* Atlas may have applied it: the next Enable reads the project before sending anything. */
  self->unclear = ear == NULL && kl_page_util_error_is_unclear (error);
  if (ear == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!in_use)
    g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                             _("Atlas took the settings but cannot use the key. Check that "
                               "the key is an enabled RSA key, that the application may get, "
                               "encrypt and decrypt with it (for example with the “Key Vault "
                               "Crypto User” role) and that the vault’s firewall lets Atlas "
                               "in; then press Enable again."));
  else
    {
      /* Atlas holds the answers now: the draft kept until then goes. */
      if (self->answers != NULL)
        kl_setup_answers_discard_draft (self->answers, data->group_id);
      g_task_return_boolean (task, TRUE);
    }
}

/* The first enablement sends everything; later ones only what changed. */
static void
send_patch (GTask              *task,
            KlEncryptionAtRest *current)
{
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = kl_encryption_at_rest_build_patch (current != NULL
                                            ? kl_encryption_at_rest_get_azure_key_vault (current)
                                            : NULL,
                                            data->wanted, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&data->wanted);

  kl_page_util_patch_and_verify_async (data->client, data->group_id, body, is_in_use, NULL,
                                       data->attempts, data->interval_ms,
                                       g_task_get_cancellable (task), verified_cb,
                                       g_object_ref (task));
}

static void
current_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;

  KlReviewPage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result, &error);
  if (ear == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* After a PATCH whose outcome was unclear: if Atlas applied it, nothing is sent again. */
  if (self->unclear && is_in_use (ear, NULL) &&
      g_strcmp0 (kl_azure_key_vault_get_key_identifier (kl_encryption_at_rest_get_azure_key_vault (ear)),
                 kl_azure_key_vault_get_key_identifier (data->wanted)) == 0)
    {
      g_debug ("The earlier PATCH was applied after all: nothing sent again");
      self->unclear = FALSE;
      if (self->answers != NULL)
        kl_setup_answers_discard_draft (self->answers, data->group_id);
      g_task_return_boolean (task, TRUE);
      return;
    }

  send_patch (task, ear);
}

/* The project's configuration as the session last read it, if the session holds this
 * project: the flow reads it when the project is chosen and after every step. */
static KlEncryptionAtRest *
known_state (KlReviewPage *self)
{
  if (self->session == NULL ||
      g_strcmp0 (kl_session_get_group_id (self->session), self->group_id) != 0)
    return NULL;

  return kl_session_get_encryption_at_rest (self->session);
}

static void
kl_review_page_apply_async (KlPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KlReviewPage *self = KL_REVIEW_PAGE (page);
  g_autoptr(GTask) task = NULL;
  KlEncryptionAtRest *current;
  ApplyData *data;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_review_page_apply_async);

  if (self->client == NULL || self->group_id == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                               _("Keylink is not connected to Atlas yet, so nothing was sent. "
                                 "Sign in to Atlas and choose a project first, then try again."));
      return;
    }

  data = g_new0 (ApplyData, 1);
  data->client = g_object_ref (self->client);
  data->group_id = g_strdup (self->group_id);
  data->wanted = build_wanted (self->answers);
  data->attempts = self->verify_attempts;
  data->interval_ms = self->verify_interval_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  /* Whether this is the first enablement decides what the PATCH holds: the session knows;
   * without it (the page used on its own), read it first. */
  current = known_state (self);
  if (current != NULL && !self->unclear)
    send_patch (task, current);
  else
    kl_atlas_client_get_encryption_at_rest_async (data->client, data->group_id, cancellable,
                                                  current_cb, g_steal_pointer (&task));
}

/* Back, then Next: what went wrong before is not what the page says now. */
static void
kl_review_page_shown (KlPage *page)
{
  if (!kl_page_get_applying (page))
    kl_page_set_error (page, NULL);
}

/* Reads the session's project back after Enable. */
static void
session_changed_cb (KlReviewPage *self)
{
  kl_review_page_set_project (self, kl_session_get_client (self->session),
                              kl_session_get_group_id (self->session));
}

static void
kl_review_page_constructed (GObject *object)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  G_OBJECT_CLASS (kl_review_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));
  g_set_object (&self->answers, kl_context_get_answers (kl_page_get_context (KL_PAGE (self))));

  if (self->answers == NULL)
    self->answers = kl_setup_answers_new ();

  if (self->session != NULL)
    {
      g_signal_connect_object (self->session, "notify::client", G_CALLBACK (session_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::project", G_CALLBACK (session_changed_cb),
                               self, G_CONNECT_SWAPPED);
      if (kl_session_get_client (self->session) != NULL)
        session_changed_cb (self);
    }

  g_signal_connect_object (self->answers, "notify", G_CALLBACK (answers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::read-only", G_CALLBACK (read_only_changed_cb), NULL);
  update_rows (self);
}

static void
kl_review_page_dispose (GObject *object)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_REVIEW_PAGE);

  g_clear_object (&self->session);
  g_clear_object (&self->answers);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (kl_review_page_parent_class)->dispose (object);
}

static void
kl_review_page_finalize (GObject *object)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  g_clear_pointer (&self->group_id, g_free);

  G_OBJECT_CLASS (kl_review_page_parent_class)->finalize (object);
}

static void
kl_review_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_review_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      kl_review_page_set_project (self, g_value_get_object (value), self->group_id);
      break;

    case PROP_GROUP_ID:
      kl_review_page_set_project (self, self->client, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_review_page_class_init (KlReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_review_page_constructed;
  object_class->dispose = kl_review_page_dispose;
  object_class->finalize = kl_review_page_finalize;
  object_class->get_property = kl_review_page_get_property;
  object_class->set_property = kl_review_page_set_property;

  page_class->page_id = "review";
  page_class->help_id = "azure-details";
  page_class->shown = kl_review_page_shown;
  page_class->apply_async = kl_review_page_apply_async;

  /**
   * KlReviewPage:client:
   * The signed-in Atlas client Enable goes through (set by the flow after sign-in).
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         KL_TYPE_ATLAS_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlReviewPage:group-id:
   * The Atlas project to configure (set by the flow when a project is chosen).
   */
  properties[PROP_GROUP_ID] =
    g_param_spec_string ("group-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/review/kl-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, environment_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, client_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, resource_group_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, vault_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, key_id_row);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, edit_app_button);
  gtk_widget_class_bind_template_child (widget_class, KlReviewPage, edit_vault_button);
}

static void
kl_review_page_init (KlReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Both show “Edit”: each is named by what it edits. */
  kl_page_util_name_button (GTK_BUTTON (self->edit_app_button), _("Edit the Azure application"));
  kl_page_util_name_button (GTK_BUTTON (self->edit_vault_button), _("Edit the key vault and key"));

  self->verify_attempts = VERIFY_ATTEMPTS;
  self->verify_interval_ms = VERIFY_INTERVAL_MS;
}

/**
 * kl_review_page_new:
 * @session: (nullable): the flow's session, which knows the project's configuration
 * @answers: (nullable): the answers to review and send
 *
 * Returns: (transfer floating): the page
 */
KlPage *
kl_prepare_review_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_REVIEW_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_review_page_get_client:
 *
 * Returns: (transfer none) (nullable): the Atlas client Enable goes through
 */
KlAtlasClient *
kl_review_page_get_client (KlReviewPage *self)
{
  g_return_val_if_fail (KL_IS_REVIEW_PAGE (self), NULL);

  return self->client;
}

const char *
kl_review_page_get_group_id (KlReviewPage *self)
{
  g_return_val_if_fail (KL_IS_REVIEW_PAGE (self), NULL);

  return self->group_id;
}

/**
 * kl_review_page_set_project:
 * @client: (nullable): the signed-in client
 * @group_id: (nullable): the project to configure
 *
 * Where Enable sends the settings. Without both, Enable explains that Keylink is not
 * connected yet.
 */
void
kl_review_page_set_project (KlReviewPage  *self,
                            KlAtlasClient *client,
                            const char    *group_id)
{
  gboolean changed = FALSE;

  g_return_if_fail (KL_IS_REVIEW_PAGE (self));
  g_return_if_fail (!client || KL_IS_ATLAS_CLIENT (client));

  if (g_set_object (&self->client, client))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
      changed = TRUE;
    }

  if (g_strcmp0 (self->group_id, group_id) != 0)
    {
      g_free (self->group_id);
      self->group_id = g_strdup (group_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ID]);
      changed = TRUE;
    }

  if (changed)
    kl_page_input_changed (KL_PAGE (self));
}

/**
 * kl_review_page_set_verify_policy:
 * @attempts: how many more times to read the configuration when Atlas does not yet call the
 *   key valid
 * @interval_ms: the pause before each read
 *
 * Tuning, mostly for tests.
 */
void
kl_review_page_set_verify_policy (KlReviewPage *self,
                                  guint         attempts,
                                  guint         interval_ms)
{
  g_return_if_fail (KL_IS_REVIEW_PAGE (self));

  self->verify_attempts = attempts;
  self->verify_interval_ms = interval_ms;
}
