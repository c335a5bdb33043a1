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

/* Step 6 of the flow (design.md section 2): everything that will be sent, secret masked,
 * then Enable. */

struct _KlReviewPage
{
  KlPage          parent_instance;

  KlSetupAnswers *answers;

  /* Template widgets */
  AdwActionRow   *environment_row;
  AdwActionRow   *tenant_row;
  AdwActionRow   *client_row;
  AdwActionRow   *secret_row;
  AdwActionRow   *subscription_row;
  AdwActionRow   *resource_group_row;
  AdwActionRow   *vault_row;
  AdwActionRow   *key_id_row;
};

G_DEFINE_FINAL_TYPE (KlReviewPage, kl_review_page, KL_TYPE_PAGE)

enum {
  PROP_0,
  PROP_ANSWERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shown instead of the secret: always the same length, so it says nothing about it. */
#define SECRET_MASK "••••••••"

static const char *
environment_display_name (const char *environment)
{
  if (g_strcmp0 (environment, "AZURE") == 0)
    return _("Azure");
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return _("Azure China");
  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return _("Azure US Government");
  return environment;
}

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
             environment_display_name (kl_setup_answers_get_azure_environment (answers)));
  set_value (self->tenant_row, kl_setup_answers_get_tenant_id (answers));
  set_value (self->client_row, kl_setup_answers_get_client_id (answers));
  set_value (self->secret_row,
             kl_setup_answers_get_has_client_secret (answers) ? SECRET_MASK : NULL);
  set_value (self->subscription_row, kl_setup_answers_get_subscription_id (answers));
  set_value (self->resource_group_row, kl_setup_answers_get_resource_group (answers));
  set_value (self->vault_row, kl_setup_answers_get_key_vault_name (answers));
  set_value (self->key_id_row, kl_setup_answers_get_key_identifier (answers));

  kl_page_set_complete (KL_PAGE (self),
                        kl_setup_answers_get_tenant_id (answers) != NULL &&
                        kl_setup_answers_get_client_id (answers) != NULL &&
                        kl_setup_answers_get_has_client_secret (answers) &&
                        kl_setup_answers_get_subscription_id (answers) != NULL &&
                        kl_setup_answers_get_resource_group (answers) != NULL &&
                        kl_setup_answers_get_key_vault_name (answers) != NULL &&
                        kl_setup_answers_get_key_identifier (answers) != NULL);
}

static void
answers_changed_cb (KlReviewPage *self)
{
  update_rows (self);
  /* What was sent before is not what would be sent now. */
  kl_page_input_changed (KL_PAGE (self));
}

static void
kl_review_page_apply_async (KlPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_review_page_apply_async);

  /* TODO(net): PATCH /api/atlas/v2/groups/{groupId}/encryptionAtRest with the answers, then
   * GET until enabled && valid, once the Atlas client (branch `net`) and the sign-in and
   * project pages land. Until then, fail honestly without sending anything. */
  g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                           _("Keylink is not connected to Atlas yet, so nothing was sent. "
                             "Sign in to Atlas and choose a project first, then try again."));
}

static void
kl_review_page_constructed (GObject *object)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  G_OBJECT_CLASS (kl_review_page_parent_class)->constructed (object);

  if (self->answers == NULL)
    self->answers = kl_setup_answers_new ();

  g_signal_connect_object (self->answers, "notify", G_CALLBACK (answers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_rows (self);
}

static void
kl_review_page_dispose (GObject *object)
{
  KlReviewPage *self = KL_REVIEW_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_REVIEW_PAGE);

  g_clear_object (&self->answers);

  G_OBJECT_CLASS (kl_review_page_parent_class)->dispose (object);
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
    case PROP_ANSWERS:
      g_value_set_object (value, self->answers);
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
    case PROP_ANSWERS:
      self->answers = g_value_dup_object (value);
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
  object_class->get_property = kl_review_page_get_property;
  object_class->set_property = kl_review_page_set_property;

  page_class->page_id = "review";
  page_class->help_id = "review";
  page_class->apply_async = kl_review_page_apply_async;

  properties[PROP_ANSWERS] =
    g_param_spec_object ("answers", NULL, NULL,
                         KL_TYPE_SETUP_ANSWERS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

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
}

static void
kl_review_page_init (KlReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KlPage *
kl_review_page_new (KlSetupAnswers *answers)
{
  g_return_val_if_fail (!answers || KL_IS_SETUP_ANSWERS (answers), NULL);

  return g_object_new (KL_TYPE_REVIEW_PAGE,
                       "answers", answers,
                       NULL);
}
