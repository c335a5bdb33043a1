/* kl-azure-app-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-app-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-azure-app-page.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-field.h"
#include "pages/kl-page-util.h"

/* Step 4 of the flow (HACKING.md, The flow): the Azure app registration Atlas uses to reach
 * the key. Each ID is checked as typed; the page is complete when all three fields are. */

struct _KlAzureAppPage
{
  KlPage              parent_instance;

  KlSetupAnswers     *answers;
  gboolean            storing;   /* the page writes the answers: not a change to follow */
  gboolean            loading;   /* the page shows the answers: not the user's input */
  KlField            *tenant_field;
  KlField            *client_field;
  KlField            *secret_field;

  /* Template widgets */
  AdwComboRow        *environment_row;
  AdwEntryRow        *tenant_row;
  AdwEntryRow        *client_row;
  AdwEntryRow        *secret_row;
  GtkLabel           *restored_label;
};

G_DEFINE_FINAL_TYPE (KlAzureAppPage, kl_azure_app_page, KL_TYPE_PAGE)

/* In the order of the combo row's model. */
static const char * const environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT" };

/* Surrounding white space comes with copying from the portal: ignore it. */
static gboolean
check_tenant (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  return kl_azure_check_tenant_id (trimmed, error);
}

static gboolean
check_client (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  return kl_azure_check_client_id (trimmed, error);
}

static gboolean
check_secret (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (trimmed[0] == '\0' || g_strcmp0 (trimmed, text) != 0)
    {
      *fix = trimmed[0] != '\0' ? g_steal_pointer (&trimmed) : NULL;
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("The secret starts or ends with a space, which Azure secrets never do. "
                             "Remove the spaces."));
      return FALSE;
    }

  /* People often copy the "Secret ID" column instead of the "Value" one. */
  if (kl_azure_check_guid (trimmed, NULL))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is the secret’s ID, not its value. Copy the Value column instead; "
                             "Azure shows it only right after you create the secret, so you may "
                             "need a new one."));
      return FALSE;
    }

  return TRUE;
}

static void
update_complete (KlAzureAppPage *self)
{
  /* Read-only answers are on the server already; the secret is not (Atlas never returns it). */
  kl_page_set_complete (KL_PAGE (self),
                        kl_page_get_read_only (KL_PAGE (self)) ||
                        (kl_field_get_valid (self->tenant_field) &&
                         kl_field_get_valid (self->client_field) &&
                         kl_field_get_valid (self->secret_field)));
}

/* Each field's value goes to the answers once valid, trimmed. */
static void
store_answers (KlAzureAppPage *self)
{
  g_autofree char *tenant = g_strstrip (g_strdup (kl_field_get_text (self->tenant_field)));
  g_autofree char *client = g_strstrip (g_strdup (kl_field_get_text (self->client_field)));

  if (self->answers == NULL || self->loading)
    return;

  self->storing = TRUE;
  kl_setup_answers_set_tenant_id (self->answers,
                                  kl_field_get_valid (self->tenant_field) ? tenant : NULL);
  kl_setup_answers_set_client_id (self->answers,
                                  kl_field_get_valid (self->client_field) ? client : NULL);
  kl_setup_answers_set_client_secret (self->answers,
                                      kl_field_get_valid (self->secret_field)
                                        ? kl_field_get_text (self->secret_field) : NULL);
  self->storing = FALSE;
  kl_setup_answers_draft_changed (self->answers);
}

/* Restored from the project's draft, which never holds the secret: say why it is empty. */
static void
update_restored (KlAzureAppPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->restored_label),
                          self->answers != NULL &&
                          kl_setup_answers_get_draft_restored (self->answers) &&
                          !kl_page_get_read_only (KL_PAGE (self)) &&
                          kl_field_get_text (self->secret_field)[0] == '\0');
}

static void
input_changed_cb (KlAzureAppPage *self)
{
  update_complete (self);
  store_answers (self);
  update_restored (self);
  kl_page_input_changed (KL_PAGE (self));
}

static void
environment_changed_cb (KlAzureAppPage *self)
{
  guint selected = adw_combo_row_get_selected (self->environment_row);

  if (self->answers != NULL && !self->loading && selected < G_N_ELEMENTS (environments))
    {
      self->storing = TRUE;
      kl_setup_answers_set_azure_environment (self->answers, environments[selected]);
      self->storing = FALSE;
      kl_setup_answers_draft_changed (self->answers);
    }
  kl_page_input_changed (KL_PAGE (self));
}

static void
read_only_changed_cb (KlAzureAppPage *self)
{
  gboolean editable = !kl_page_get_read_only (KL_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_row), editable);
  kl_field_set_editable (self->tenant_field, editable);
  kl_field_set_editable (self->client_field, editable);
  kl_field_set_editable (self->secret_field, editable);
  /* Atlas keeps the secret and never shows it: no empty field for it. */
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row),
                          editable || kl_field_get_text (self->secret_field)[0] != '\0');
  update_restored (self);
  update_complete (self);
}

/* Resume, or answers filled in by the flow: show what the answers hold. */
static void
load_answers (KlAzureAppPage *self)
{
  const char *environment = kl_setup_answers_get_azure_environment (self->answers);

  self->loading = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    if (g_strcmp0 (environment, environments[i]) == 0)
      adw_combo_row_set_selected (self->environment_row, i);

  kl_page_util_load_field (self->tenant_field, kl_setup_answers_get_tenant_id (self->answers));
  kl_page_util_load_field (self->client_field, kl_setup_answers_get_client_id (self->answers));
  kl_page_util_load_field (self->secret_field, kl_setup_answers_get_client_secret (self->answers));

  self->loading = FALSE;
}

static void
answers_changed_cb (KlAzureAppPage *self,
                    GParamSpec     *pspec)
{
  if (g_str_equal (pspec->name, "draft-restored"))
    update_restored (self);

  /* Its own writes, and answers of other pages, are not news here. */
  if (self->storing ||
      !(g_str_equal (pspec->name, "azure-environment") ||
        g_str_equal (pspec->name, "tenant-id") ||
        g_str_equal (pspec->name, "client-id") ||
        g_str_equal (pspec->name, "has-client-secret")))
    return;

  load_answers (self);
  read_only_changed_cb (self);
}

static void
kl_azure_app_page_shown (KlPage *page)
{
  KlAzureAppPage *self = KL_AZURE_APP_PAGE (page);
  KlField *fields[] = { self->tenant_field, self->client_field, self->secret_field };

  kl_page_util_focus_first_invalid (fields, G_N_ELEMENTS (fields), GTK_WIDGET (self->secret_row));
}

static void
kl_azure_app_page_constructed (GObject *object)
{
  KlAzureAppPage *self = KL_AZURE_APP_PAGE (object);
  KlField *fields[] = { self->tenant_field, self->client_field, self->secret_field };

  G_OBJECT_CLASS (kl_azure_app_page_parent_class)->constructed (object);

  g_set_object (&self->answers, kl_context_get_answers (kl_page_get_context (KL_PAGE (self))));

  if (self->answers != NULL)
    load_answers (self);

  /* After loading, so that loading does not mark the page as changed. */
  kl_page_util_connect_valid (fields, G_N_ELEMENTS (fields), G_CALLBACK (update_complete), self);
  /* Connected after the fields' own handlers, so their validity is current here. */
  g_signal_connect_swapped (self->tenant_row, "notify::text", G_CALLBACK (input_changed_cb), self);
  g_signal_connect_swapped (self->client_row, "notify::text", G_CALLBACK (input_changed_cb), self);
  g_signal_connect_swapped (self->secret_row, "notify::text", G_CALLBACK (input_changed_cb), self);
  g_signal_connect_swapped (self->environment_row, "notify::selected",
                            G_CALLBACK (environment_changed_cb), self);
  g_signal_connect (self, "notify::read-only", G_CALLBACK (read_only_changed_cb), NULL);
  if (self->answers != NULL)
    g_signal_connect_object (self->answers, "notify", G_CALLBACK (answers_changed_cb), self,
                             G_CONNECT_SWAPPED);

  update_restored (self);
  update_complete (self);
}

static void
kl_azure_app_page_dispose (GObject *object)
{
  KlAzureAppPage *self = KL_AZURE_APP_PAGE (object);

  g_clear_object (&self->tenant_field);
  g_clear_object (&self->client_field);
  g_clear_object (&self->secret_field);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_AZURE_APP_PAGE);

  g_clear_object (&self->answers);

  G_OBJECT_CLASS (kl_azure_app_page_parent_class)->dispose (object);
}

static void
kl_azure_app_page_class_init (KlAzureAppPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_azure_app_page_constructed;
  object_class->dispose = kl_azure_app_page_dispose;

  page_class->page_id = "azure-app";
  page_class->help_id = "azure-details";
  page_class->shown = kl_azure_app_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/azure-app/kl-azure-app-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlAzureAppPage, environment_row);
  gtk_widget_class_bind_template_child (widget_class, KlAzureAppPage, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, KlAzureAppPage, client_row);
  gtk_widget_class_bind_template_child (widget_class, KlAzureAppPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, KlAzureAppPage, restored_label);
  kl_page_util_bind_entry_activated (widget_class);
}

static void
kl_azure_app_page_init (KlAzureAppPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tenant_field = kl_field_new (self->tenant_row, check_tenant, self);
  self->client_field = kl_field_new (self->client_row, check_client, self);
  self->secret_field = kl_field_new (self->secret_row, check_secret, self);
}

KlPage *
kl_prepare_azure_app_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_AZURE_APP_PAGE,
                       "context", context,
                       NULL);
}
