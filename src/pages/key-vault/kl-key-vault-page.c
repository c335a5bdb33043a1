/* kl-key-vault-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-key-vault-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-field.h"
#include "kl-key-vault-page.h"
#include "pages/kl-page-util.h"
#include "widgets/kl-azure-check-view.h"

/* Step 5 of the flow (HACKING.md, The flow): where the key lives. Checked as typed, with the
 * shortcuts people need: a pasted key identifier names the vault, a pasted vault resource ID
 * fills subscription, resource group and vault, and what PowerShell adds to a key identifier
 * (":443", a trailing slash, spaces) is one click away from fixed. "Check in Azure" asks Azure,
 * with the application's credentials from the Azure application page, whether the vault and the
 * key are ready for Atlas (kl-azure-check.h), before anything is sent to Atlas. */

struct _KlKeyVaultPage
{
  KlPage              parent_instance;

  KlSetupAnswers     *answers;
  char               *azure_environment;
  gboolean            vault_frozen;
  gboolean            loaded;             /* answers loaded: changes are the user's */
  gboolean            loading;            /* showing the answers: not the user's input */
  gboolean            storing;            /* writing the answers: not a change to follow */

  KlField            *subscription_field;
  KlField            *resource_group_field;
  KlField            *vault_field;
  KlField            *key_id_field;

  /* The vault name last taken from a key identifier: replaced by the next one as long as
   * the user has not typed a name of their own. */
  char               *derived_vault;

  /* A pasted vault resource ID, split into the three fields from an idle (not from inside
   * the entry's own change notification). */
  guint               fill_id;
  char               *fill_subscription;
  char               *fill_resource_group;
  char               *fill_vault;

  /* The vault group's tip, hidden while the vault cannot change */
  char               *vault_tip;

  /* Template widgets */
  GtkRevealer        *frozen_revealer;
  AdwPreferencesGroup *vault_group;
  AdwEntryRow        *subscription_row;
  AdwEntryRow        *resource_group_row;
  AdwEntryRow        *vault_row;
  AdwEntryRow        *key_id_row;
  GtkButton          *check_button;
  GtkLabel           *check_hint_label;
  KlAzureCheckView   *check_view;
  char               *check_intro;
};

G_DEFINE_FINAL_TYPE (KlKeyVaultPage, kl_key_vault_page, KL_TYPE_PAGE)

enum {
  PROP_0,
  PROP_AZURE_ENVIRONMENT,
  PROP_VAULT_FROZEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
strip (const char *text)
{
  return g_strstrip (g_strdup (text));
}

static gboolean
looks_like_resource_id (const char *trimmed)
{
  return trimmed[0] == '/';
}

static gboolean
check_subscription (const char  *text,
                    gpointer     user_data,
                    char       **fix,
                    GError     **error)
{
  g_autofree char *trimmed = strip (text);

  if (looks_like_resource_id (trimmed))
    return kl_azure_parse_vault_resource_id (trimmed, NULL, NULL, NULL, error);

  return kl_azure_check_subscription_id (trimmed, error);
}

static gboolean
check_resource_group (const char  *text,
                      gpointer     user_data,
                      char       **fix,
                      GError     **error)
{
  g_autofree char *trimmed = strip (text);

  return kl_azure_check_resource_group (trimmed, error);
}

static gboolean
check_vault (const char  *text,
             gpointer     user_data,
             char       **fix,
             GError     **error)
{
  g_autofree char *trimmed = strip (text);

  if (looks_like_resource_id (trimmed))
    return kl_azure_parse_vault_resource_id (trimmed, NULL, NULL, NULL, error);

  return kl_azure_check_vault_name (trimmed, error);
}

/* The vault name to check a key identifier against, when the vault field holds one. */
static char *
dup_valid_vault (KlKeyVaultPage *self)
{
  g_autofree char *vault = strip (kl_field_get_text (self->vault_field));

  if (!kl_azure_check_vault_name (vault, NULL))
    return NULL;

  return g_steal_pointer (&vault);
}

static gboolean
check_key_id (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  KlKeyVaultPage *self = user_data;
  g_autoptr(KlKeyId) id = NULL;
  g_autofree char *vault = NULL;

  id = kl_key_id_parse (text, error);
  if (id == NULL)
    {
      *fix = kl_key_id_suggest_fix (text);
      return FALSE;
    }

  if (!kl_key_id_check (id, self->azure_environment, NULL, error))
    return FALSE;

  vault = dup_valid_vault (self);
  if (!kl_key_id_check (id, NULL, vault, error))
    {
      /* A key in another vault than the one named: Fix names the key's vault
       * (key_id_fix_cb). */
      *fix = g_strdup (kl_key_id_get_vault_name (id));
      return FALSE;
    }

  return TRUE;
}

/* The key identifier's Fix: a repaired identifier replaces the text; a vault name (the
 * mismatch above) goes into the vault field instead. */
static void
key_id_fix_cb (KlField    *field,
               const char *fix,
               gpointer    user_data)
{
  KlKeyVaultPage *self = user_data;

  if (kl_azure_check_vault_name (fix, NULL))
    kl_field_set_text (self->vault_field, fix);
  else
    kl_field_set_text (field, fix);
}

static void update_check (KlKeyVaultPage *self);

static void
update_complete (KlKeyVaultPage *self)
{
  kl_page_set_complete (KL_PAGE (self),
                        kl_page_get_read_only (KL_PAGE (self)) ||
                        (kl_field_get_valid (self->subscription_field) &&
                         kl_field_get_valid (self->resource_group_field) &&
                         kl_field_get_valid (self->vault_field) &&
                         kl_field_get_valid (self->key_id_field)));
  update_check (self);
}

/* Why the check cannot run yet, or NULL. */
static const char *
check_missing (KlKeyVaultPage *self)
{
  const char *secret = self->answers != NULL ? kl_setup_answers_get_client_secret (self->answers)
                                             : NULL;

  if (self->answers == NULL ||
      kl_setup_answers_get_tenant_id (self->answers) == NULL ||
      kl_setup_answers_get_client_id (self->answers) == NULL)
    return _("To check in Azure, enter the application’s tenant ID and client ID on the Azure "
             "Application page first.");
  if (secret == NULL || secret[0] == '\0')
    return _("To check in Azure, Keylink needs the application’s client secret: type it on the "
             "Azure Application page. Keylink does not keep it after it closes.");
  if (!kl_field_get_valid (self->subscription_field) ||
      !kl_field_get_valid (self->resource_group_field) ||
      !kl_field_get_valid (self->vault_field) ||
      !kl_field_get_valid (self->key_id_field))
    return _("Fill in the vault and the key above, then check them in Azure.");
  return NULL;
}

static void
update_check (KlKeyVaultPage *self)
{
  const char *missing = check_missing (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), missing == NULL);
  gtk_label_set_label (self->check_hint_label, missing != NULL ? missing : self->check_intro);
}

static void
check_clicked_cb (KlKeyVaultPage *self)
{
  KlContext *context = kl_page_get_context (KL_PAGE (self));
  g_autoptr(KlAzureClient) client = NULL;
  g_autoptr(KlAzureCheck) check = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureCloud cloud = KL_AZURE_CLOUD_PUBLIC;

  if (check_missing (self) != NULL)
    return;

  id = kl_key_id_parse (kl_field_get_text (self->key_id_field), NULL);
  if (id == NULL)
    return;

  kl_azure_cloud_from_environment (self->azure_environment, &cloud);
  client = kl_context_create_azure_client (context, cloud,
                                           kl_setup_answers_get_tenant_id (self->answers),
                                           kl_setup_answers_get_client_id (self->answers),
                                           kl_setup_answers_get_client_secret (self->answers),
                                           &error);
  if (client == NULL)
    {
      kl_azure_check_view_show_error (self->check_view, error->message);
      return;
    }

  check = kl_azure_check_new (client,
                              kl_setup_answers_get_subscription_id (self->answers),
                              kl_setup_answers_get_resource_group (self->answers),
                              kl_setup_answers_get_key_vault_name (self->answers),
                              kl_key_id_get_key_name (id),
                              kl_key_id_get_version (id));
  kl_azure_check_view_run (self->check_view, check, kl_context_get_cancellable (context));
}

static void
store_answers (KlKeyVaultPage *self)
{
  g_autofree char *subscription = strip (kl_field_get_text (self->subscription_field));
  g_autofree char *resource_group = strip (kl_field_get_text (self->resource_group_field));
  g_autofree char *vault = strip (kl_field_get_text (self->vault_field));
  g_autoptr(KlKeyId) id = NULL;

  if (self->answers == NULL || self->loading)
    return;

  if (kl_field_get_valid (self->key_id_field))
    id = kl_key_id_parse (kl_field_get_text (self->key_id_field), NULL);

  if (!kl_field_get_valid (self->subscription_field) || looks_like_resource_id (subscription))
    g_clear_pointer (&subscription, g_free);
  if (!kl_field_get_valid (self->resource_group_field))
    g_clear_pointer (&resource_group, g_free);
  if (!kl_field_get_valid (self->vault_field) || looks_like_resource_id (vault))
    g_clear_pointer (&vault, g_free);

  self->storing = TRUE;
  kl_setup_answers_set_subscription_id (self->answers, subscription);
  kl_setup_answers_set_resource_group (self->answers, resource_group);
  kl_setup_answers_set_key_vault_name (self->answers, vault);
  kl_setup_answers_set_key_identifier (self->answers, id != NULL ? kl_key_id_to_string (id) : NULL);
  self->storing = FALSE;
}

static void
input_changed (KlKeyVaultPage *self)
{
  update_complete (self);
  store_answers (self);
  kl_page_input_changed (KL_PAGE (self));
}

/* The user changed a field (not the page showing the answers): into the project's draft. */
static void
user_input_changed (KlKeyVaultPage *self)
{
  input_changed (self);
  if (self->answers != NULL && !self->loading)
    {
      kl_setup_answers_draft_changed (self->answers);
      /* What was found was about other values. */
      kl_azure_check_view_clear (self->check_view);
    }
}

static gboolean
fill_from_resource_id_cb (gpointer user_data)
{
  KlKeyVaultPage *self = user_data;
  g_autofree char *subscription = g_steal_pointer (&self->fill_subscription);
  g_autofree char *resource_group = g_steal_pointer (&self->fill_resource_group);
  g_autofree char *vault = g_steal_pointer (&self->fill_vault);

  self->fill_id = 0;

  kl_field_set_text (self->subscription_field, subscription);
  kl_field_set_text (self->resource_group_field, resource_group);
  kl_field_set_text (self->vault_field, vault);

  return G_SOURCE_REMOVE;
}

/* A vault resource ID pasted into the subscription or vault field fills all three. */
static void
maybe_fill_from_resource_id (KlKeyVaultPage *self,
                             KlField        *field)
{
  g_autofree char *trimmed = strip (kl_field_get_text (field));
  g_autofree char *subscription = NULL;
  g_autofree char *resource_group = NULL;
  g_autofree char *vault = NULL;

  if (!looks_like_resource_id (trimmed) ||
      !kl_azure_parse_vault_resource_id (trimmed, &subscription, &resource_group, &vault, NULL))
    return;

  g_free (self->fill_subscription);
  self->fill_subscription = g_steal_pointer (&subscription);
  g_free (self->fill_resource_group);
  self->fill_resource_group = g_steal_pointer (&resource_group);
  g_free (self->fill_vault);
  self->fill_vault = g_steal_pointer (&vault);

  /* Once this change is over (not from inside a field's notify::text); above GTK's redraw
   * priority, which would starve a default idle while the window animates. */
  if (self->fill_id == 0)
    self->fill_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fill_from_resource_id_cb, self, NULL);
}

static void
subscription_changed_cb (KlKeyVaultPage *self)
{
  maybe_fill_from_resource_id (self, self->subscription_field);
  user_input_changed (self);
}

static void
vault_changed_cb (KlKeyVaultPage *self)
{
  maybe_fill_from_resource_id (self, self->vault_field);
  /* Whether the key identifier matches depends on the vault name. */
  kl_field_recheck (self->key_id_field);
  user_input_changed (self);
}

static void
key_id_changed_cb (KlKeyVaultPage *self)
{
  g_autoptr(KlKeyId) id = kl_key_id_parse (kl_field_get_text (self->key_id_field), NULL);
  g_autofree char *vault = strip (kl_field_get_text (self->vault_field));
  const char *key_vault;

  if (id != NULL && !self->vault_frozen)
    {
      key_vault = kl_key_id_get_vault_name (id);

      /* Fill the vault name unless the user typed one of their own. */
      if (vault[0] == '\0' ||
          (self->derived_vault != NULL && g_ascii_strcasecmp (vault, self->derived_vault) == 0))
        {
          g_free (self->derived_vault);
          self->derived_vault = g_strdup (key_vault);
          if (g_ascii_strcasecmp (vault, key_vault) != 0)
            kl_field_set_text (self->vault_field, key_vault);
        }
    }

  user_input_changed (self);
}

static void
update_editable (KlKeyVaultPage *self)
{
  gboolean read_only = kl_page_get_read_only (KL_PAGE (self));
  gboolean vault_editable = !read_only && !self->vault_frozen;

  kl_field_set_editable (self->subscription_field, vault_editable);
  kl_field_set_editable (self->resource_group_field, vault_editable);
  kl_field_set_editable (self->vault_field, vault_editable);
  kl_field_set_editable (self->key_id_field, !read_only);
  gtk_revealer_set_reveal_child (self->frozen_revealer, self->vault_frozen);
  adw_preferences_group_set_description (self->vault_group,
                                         vault_editable ? self->vault_tip : NULL);
  update_complete (self);
}

/* Resume, or answers filled in by the flow: show what the answers hold. */
static void
load_answers (KlKeyVaultPage *self)
{
  self->loading = TRUE;
  kl_page_util_load_field (self->subscription_field, kl_setup_answers_get_subscription_id (self->answers));
  kl_page_util_load_field (self->resource_group_field, kl_setup_answers_get_resource_group (self->answers));
  kl_page_util_load_field (self->vault_field, kl_setup_answers_get_key_vault_name (self->answers));
  kl_page_util_load_field (self->key_id_field, kl_setup_answers_get_key_identifier (self->answers));
  self->loading = FALSE;
}

static void
answers_changed_cb (KlKeyVaultPage *self,
                    GParamSpec     *pspec)
{
  /* Its own writes, and answers of other pages, are not news here. */
  if (self->storing ||
      !(g_str_equal (pspec->name, "subscription-id") ||
        g_str_equal (pspec->name, "resource-group") ||
        g_str_equal (pspec->name, "key-vault-name") ||
        g_str_equal (pspec->name, "key-identifier")))
    return;

  load_answers (self);
  update_complete (self);
}

static void
kl_key_vault_page_shown (KlPage *page)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (page);
  KlField *fields[] = { self->subscription_field, self->resource_group_field,
                        self->vault_field, self->key_id_field };

  kl_page_util_focus_first_invalid (fields, G_N_ELEMENTS (fields), GTK_WIDGET (self->key_id_row));
}

static void
kl_key_vault_page_leave (KlPage *page)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (page);

  kl_azure_check_view_cancel (self->check_view);
}

static void
session_plan_cb (KlKeyVaultPage *self,
                 GParamSpec     *pspec,
                 KlSession      *session)
{
  KlPlan *plan = kl_session_get_plan (session);

  if (plan != NULL)
    kl_key_vault_page_set_vault_frozen (self, kl_plan_vault_is_frozen (plan));
}

static void
kl_key_vault_page_constructed (GObject *object)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (object);
  KlField *fields[] = { self->subscription_field, self->resource_group_field,
                        self->vault_field, self->key_id_field };
  KlSession *session;

  G_OBJECT_CLASS (kl_key_vault_page_parent_class)->constructed (object);

  g_set_object (&self->answers, kl_context_get_answers (kl_page_get_context (KL_PAGE (self))));
  session = kl_context_get_session (kl_page_get_context (KL_PAGE (self)));

  if (self->answers != NULL)
    load_answers (self);

  kl_page_util_connect_valid (fields, G_N_ELEMENTS (fields), G_CALLBACK (update_complete), self);

  /* Connected after the fields' own handlers, so their validity is current here. */
  g_signal_connect_swapped (self->subscription_row, "notify::text",
                            G_CALLBACK (subscription_changed_cb), self);
  g_signal_connect_swapped (self->resource_group_row, "notify::text",
                            G_CALLBACK (user_input_changed), self);
  g_signal_connect_swapped (self->vault_row, "notify::text",
                            G_CALLBACK (vault_changed_cb), self);
  g_signal_connect_swapped (self->key_id_row, "notify::text",
                            G_CALLBACK (key_id_changed_cb), self);
  g_signal_connect (self, "notify::read-only", G_CALLBACK (update_editable), NULL);
  if (self->answers != NULL)
    {
      g_signal_connect_object (self->answers, "notify", G_CALLBACK (answers_changed_cb), self,
                               G_CONNECT_SWAPPED);
      /* The Azure application page's answers decide whether the check can run. */
      g_signal_connect_object (self->answers, "notify", G_CALLBACK (update_check), self,
                               G_CONNECT_SWAPPED);
    }

  update_editable (self);
  update_complete (self);
  self->loaded = TRUE;

  /* The environment chosen on the Azure application page; the vault frozen once private
   * networking is required. */
  if (self->answers != NULL)
    g_object_bind_property (self->answers, "azure-environment", self, "azure-environment",
                            G_BINDING_SYNC_CREATE);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::plan", G_CALLBACK (session_plan_cb), self,
                               G_CONNECT_SWAPPED);
      session_plan_cb (self, NULL, session);
    }
}

static void
kl_key_vault_page_dispose (GObject *object)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (object);

  g_clear_handle_id (&self->fill_id, g_source_remove);

  g_clear_object (&self->subscription_field);
  g_clear_object (&self->resource_group_field);
  g_clear_object (&self->vault_field);
  g_clear_object (&self->key_id_field);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_KEY_VAULT_PAGE);

  g_clear_object (&self->answers);

  G_OBJECT_CLASS (kl_key_vault_page_parent_class)->dispose (object);
}

static void
kl_key_vault_page_finalize (GObject *object)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (object);

  g_clear_pointer (&self->azure_environment, g_free);
  g_clear_pointer (&self->vault_tip, g_free);
  g_clear_pointer (&self->check_intro, g_free);
  g_clear_pointer (&self->derived_vault, g_free);
  g_clear_pointer (&self->fill_subscription, g_free);
  g_clear_pointer (&self->fill_resource_group, g_free);
  g_clear_pointer (&self->fill_vault, g_free);

  G_OBJECT_CLASS (kl_key_vault_page_parent_class)->finalize (object);
}

static void
kl_key_vault_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (object);

  switch (prop_id)
    {
    case PROP_AZURE_ENVIRONMENT:
      g_value_set_string (value, self->azure_environment);
      break;

    case PROP_VAULT_FROZEN:
      g_value_set_boolean (value, self->vault_frozen);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_key_vault_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KlKeyVaultPage *self = KL_KEY_VAULT_PAGE (object);

  switch (prop_id)
    {
    case PROP_AZURE_ENVIRONMENT:
      kl_key_vault_page_set_azure_environment (self, g_value_get_string (value));
      break;

    case PROP_VAULT_FROZEN:
      kl_key_vault_page_set_vault_frozen (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_key_vault_page_class_init (KlKeyVaultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_key_vault_page_constructed;
  object_class->dispose = kl_key_vault_page_dispose;
  object_class->finalize = kl_key_vault_page_finalize;
  object_class->get_property = kl_key_vault_page_get_property;
  object_class->set_property = kl_key_vault_page_set_property;

  page_class->page_id = "key-vault";
  page_class->help_id = "azure-details";
  page_class->shown = kl_key_vault_page_shown;
  page_class->leave = kl_key_vault_page_leave;

  /**
   * KlKeyVaultPage:azure-environment:
   * The environment chosen on the Azure application page ("AZURE", "AZURE_CHINA",
   * "AZURE_US_GOVERNMENT"): the key identifier's host must belong to it.
   */
  properties[PROP_AZURE_ENVIRONMENT] =
    g_param_spec_string ("azure-environment", NULL, NULL,
                         "AZURE",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * KlKeyVaultPage:vault-frozen:
   * Private networking is set up: subscription, resource group and vault name cannot
   * change (HACKING.md, Encryption at rest), so they are shown read-only with a note saying why.
   */
  properties[PROP_VAULT_FROZEN] =
    g_param_spec_boolean ("vault-frozen", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/key-vault/kl-key-vault-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, frozen_revealer);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, vault_group);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, resource_group_row);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, vault_row);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, key_id_row);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, check_hint_label);
  gtk_widget_class_bind_template_child (widget_class, KlKeyVaultPage, check_view);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  kl_page_util_bind_entry_activated (widget_class);
}

static void
kl_key_vault_page_init (KlKeyVaultPage *self)
{
  g_type_ensure (KL_TYPE_AZURE_CHECK_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  kl_a11y_name_button_by_text (self->check_button);
  self->check_intro = g_strdup (gtk_label_get_label (self->check_hint_label));

  self->vault_tip = g_strdup (adw_preferences_group_get_description (self->vault_group));
  self->subscription_field = kl_field_new (self->subscription_row, check_subscription, self);
  self->resource_group_field = kl_field_new (self->resource_group_row, check_resource_group, self);
  self->vault_field = kl_field_new (self->vault_row, check_vault, self);
  self->key_id_field = kl_field_new (self->key_id_row, check_key_id, self);
  kl_field_set_fix_func (self->key_id_field, key_id_fix_cb, self);
}

KlPage *
kl_prepare_key_vault_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_KEY_VAULT_PAGE,
                       "context", context,
                       NULL);
}

const char *
kl_key_vault_page_get_azure_environment (KlKeyVaultPage *self)
{
  g_return_val_if_fail (KL_IS_KEY_VAULT_PAGE (self), NULL);

  return self->azure_environment;
}

void
kl_key_vault_page_set_azure_environment (KlKeyVaultPage *self,
                                         const char     *azure_environment)
{
  g_return_if_fail (KL_IS_KEY_VAULT_PAGE (self));

  if (azure_environment == NULL)
    azure_environment = "AZURE";

  if (g_strcmp0 (self->azure_environment, azure_environment) == 0)
    return;

  g_free (self->azure_environment);
  self->azure_environment = g_strdup (azure_environment);

  /* The key identifier's host must belong to the environment. */
  if (self->loaded)
    {
      kl_field_recheck (self->key_id_field);
      input_changed (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AZURE_ENVIRONMENT]);
}

gboolean
kl_key_vault_page_get_vault_frozen (KlKeyVaultPage *self)
{
  g_return_val_if_fail (KL_IS_KEY_VAULT_PAGE (self), FALSE);

  return self->vault_frozen;
}

void
kl_key_vault_page_set_vault_frozen (KlKeyVaultPage *self,
                                    gboolean        vault_frozen)
{
  g_return_if_fail (KL_IS_KEY_VAULT_PAGE (self));

  vault_frozen = !!vault_frozen;
  if (self->vault_frozen == vault_frozen)
    return;

  self->vault_frozen = vault_frozen;
  update_editable (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT_FROZEN]);
}
