/* kl-done-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-done-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-done-page.h"
#include "kl-regions.h"
#include "widgets/kl-cluster-row.h"
#include "pages/kl-page-util.h"

/* Step 10 of the flow (HACKING.md, The flow): the project's state in one view, read from the
 * server when the page is shown (key, vault, private networking and each endpoint, each
 * cluster and whether it uses the key), and what is left to do on the Azure side. Also where
 * rotation and teardown end. */

struct _KlDonePage
{
  KlPage               parent_instance;

  KlSession           *session;
  GCancellable        *cancellable;   /* the page's reads; cancelled on dispose */
  gboolean             loaded;

  /* Rows added to the groups below, removed on every update */
  GPtrArray           *endpoint_rows;
  GPtrArray           *cluster_rows;
  GPtrArray           *next_rows;

  /* Template widgets */
  GtkSpinner          *spinner;
  GtkImage            *outcome_icon;
  GtkLabel            *summary_label;
  GtkWidget           *close_button;
  AdwActionRow        *key_state_row;
  AdwActionRow        *key_row;
  AdwActionRow        *vault_row;
  AdwPreferencesGroup *network_group;
  AdwActionRow        *network_row;
  AdwPreferencesGroup *clusters_group;
  AdwPreferencesGroup *next_group;
};

G_DEFINE_FINAL_TYPE (KlDonePage, kl_done_page, KL_TYPE_PAGE)

/* Atlas's default cloud when it names none. */
static const char *
environment_display_name (const char *environment)
{
  return kl_page_util_environment_name (environment != NULL ? environment : "AZURE");
}

static char *
dup_endpoint_status (KlPrivateEndpoint *endpoint)
{
  const char *message = kl_private_endpoint_get_error_message (endpoint);

  switch (kl_private_endpoint_get_status (endpoint))
    {
    case KL_ENDPOINT_STATUS_ACTIVE:
      return g_strdup (_("Active"));
    case KL_ENDPOINT_STATUS_INITIATING:
      return g_strdup (_("Being created — this can take a while"));
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
      return g_strdup (_("Waiting for approval in Azure"));
    case KL_ENDPOINT_STATUS_PENDING_RECREATION:
      return g_strdup (_("Rejected or removed in Azure — Atlas is creating it again"));
    case KL_ENDPOINT_STATUS_DELETING:
      return g_strdup (_("Being deleted"));
    case KL_ENDPOINT_STATUS_FAILED:
      if (message != NULL)
        /* Translators: %s is Atlas's error message for the endpoint */
        return g_strdup_printf (_("Failed: %s"), message);
      return g_strdup (_("Failed"));
    case KL_ENDPOINT_STATUS_UNKNOWN:
    default:
      return g_strdup (kl_private_endpoint_get_status_text (endpoint));
    }
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *title,
         const char          *subtitle,
         const char          *icon_name,
         gboolean             property)
{
  GtkWidget *row = kl_page_util_plain_row_new (title, subtitle);

  /* Values and advice to read, not tab stops: Tab goes straight to the actions. */
  gtk_widget_set_focusable (row, FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  if (property)
    gtk_widget_add_css_class (row, "kl-property");
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static void
update_next_steps (KlDonePage      *self,
                   KlPlan          *plan,
                   KlAzureKeyVault *akv,
                   gboolean         private_networking)
{
  g_autofree char *public_access = NULL;
  g_autoptr(GPtrArray) blocking = NULL;
  const char *vault = kl_azure_key_vault_get_key_vault_name (akv);

  clear_rows (self->next_group, self->next_rows);

  if (!kl_azure_key_vault_get_enabled (akv))
    {
      adw_preferences_group_set_title (self->next_group, _("What to Keep in Azure"));
      add_row (self->next_group, self->next_rows,
               _("Keep the key until old backups are gone"),
               _("Backup snapshots taken while your key was on stay encrypted with it. Keep the "
                 "key and all its versions, enabled, until no such snapshot is left."),
               "document-save-symbolic", FALSE);
      add_row (self->next_group, self->next_rows,
               _("Then clean up"),
               _("Once no snapshot needs the key, you may remove the application’s access to "
                 "the vault and its client secret in Azure."),
               "edit-clear-all-symbolic", FALSE);
      return;
    }

  adw_preferences_group_set_title (self->next_group, _("What to Do Next in Azure"));

  /* Closing the vault's public access is safe only when every cluster on the key reaches it
   * over Private Link: an AWS or Google Cloud cluster (or one in a region without an active
   * endpoint) would lose its key, and Atlas would pause it. */
  if (private_networking && !kl_plan_can_close_public_access (plan, &blocking) &&
      blocking->len > 0)
    {
      g_autofree char *names = kl_plan_dup_cluster_names (blocking);
      g_autofree char *keep = NULL;

      keep = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s names clusters, e.g. “a” and “b” */
                                           "%s reaches your key over the public internet: "
                                           "Atlas offers Private Link to the vault only to "
                                           "clusters on Azure, in regions with an active "
                                           "endpoint. Do not disable public access to the "
                                           "vault: the cluster would lose its key, and Atlas "
                                           "would pause it.",
                                           "%s reach your key over the public internet: Atlas "
                                           "offers Private Link to the vault only to clusters "
                                           "on Azure, in regions with an active endpoint. Do "
                                           "not disable public access to the vault: these "
                                           "clusters would lose their key, and Atlas would "
                                           "pause them.", blocking->len),
                              names);
      add_row (self->next_group, self->next_rows,
               _("Keep public access to the vault on"), keep,
               "dialog-warning-symbolic", FALSE);
      gtk_widget_add_css_class (g_ptr_array_index (self->next_rows, self->next_rows->len - 1),
                                "kl-warning-row");
    }
  else if (private_networking && kl_plan_can_close_public_access (plan, NULL) &&
           kl_session_get_clusters_error (self->session) == NULL)
    {
      /* Translators: %s is the key vault's name; the rest is the Azure portal's path */
      public_access = g_strdup_printf (_("Atlas reaches the vault over Private Link now. In the "
                                         "Azure portal, open Key vaults → %s → Settings → "
                                         "Networking and choose “Disable public access”, unless "
                                         "other applications still need it."),
                                       vault != NULL ? vault : "…");
      add_row (self->next_group, self->next_rows,
               _("Turn off public access to the vault"), public_access,
               "network-wired-disconnected-symbolic", FALSE);
    }

  add_row (self->next_group, self->next_rows,
           _("Mind the client secret’s expiry"),
           _("An application’s client secret lasts two years at most. Before it expires, add a "
             "new secret to the app registration in Azure and give it to Atlas, or Atlas loses "
             "access to the key."),
           "alarm-symbolic", FALSE);
  add_row (self->next_group, self->next_rows,
           _("Keep the key and its old versions"),
           _("Never disable or delete the key, or an old version of it, while a cluster or a "
             "backup snapshot uses it. To move to a new key, rotate it with Keylink."),
           "dialog-warning-symbolic", FALSE);
}

/* The flow that ends here: the setup, a rotation or a teardown. */
static KlFlowKind
current_flow (KlDonePage *self)
{
  KlFlow *flow = kl_context_get_flow (kl_page_get_context (KL_PAGE (self)));

  return flow != NULL ? kl_flow_get_current (flow) : KL_FLOW_SETUP;
}

/* The header: what the flow that ran achieved, said first (a rotation: the key was rotated;
 * a teardown: what was turned off), then where the project stands. */
static void
update_outcome (KlDonePage *self,
                KlPlan     *plan,
                gboolean    enabled,
                gboolean    private_networking)
{
  g_autofree char *summary = NULL;
  const char *title = NULL, *outcome = NULL, *icon = "emblem-ok-symbolic";

  switch (current_flow (self))
    {
    case KL_FLOW_ROTATE:
      title = _("Key Rotated");
      outcome = _("The key was rotated: Atlas encrypts with the new key from now on.");
      break;

    case KL_FLOW_TEARDOWN:
      if (!enabled)
        {
          title = _("Encryption Turned Off");
          outcome = _("Encryption with your key was turned off: Atlas manages the keys again.");
        }
      else if (!private_networking)
        {
          title = _("Private Networking Turned Off");
          outcome = _("Private networking was turned off: Atlas reaches the vault over the public internet again.");
        }
      break;

    case KL_FLOW_SETUP:
    case KL_FLOW_ENDPOINTS:
    default:
      break;
    }

  if (title == NULL)
    {
      if (kl_plan_get_stage (plan) == KL_PROJECT_STAGE_DONE)
        title = _("All Set");
      else
        {
          title = _("Summary");
          icon = "dialog-information-symbolic";
        }
    }

  kl_page_set_title (KL_PAGE (self), title);
  gtk_image_set_from_icon_name (self->outcome_icon, icon);

  summary = kl_plan_dup_summary (plan);
  if (outcome != NULL)
    {
      g_autofree char *both = NULL;

      /* After a teardown the plan would say encryption “is not set up yet”: only the outcome. */
      if (current_flow (self) == KL_FLOW_TEARDOWN)
        gtk_label_set_label (self->summary_label, outcome);
      else
        {
          /* Translators: what the flow did, then where the project stands */
          both = g_strdup_printf (C_("done summary", "%s %s"), outcome, summary);
          gtk_label_set_label (self->summary_label, both);
        }
    }
  else
    gtk_label_set_label (self->summary_label, summary);
}

static void
update_state (KlDonePage *self)
{
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  /* One row per region, its newest record: after a rejection in Azure, Atlas keeps the old
   * record (PENDING_RECREATION) for a while beside the new one. */
  g_autoptr(GPtrArray) endpoints =
    kl_private_endpoints_dup_newest (kl_session_get_endpoints (self->session));
  GPtrArray *clusters = kl_session_get_clusters (self->session);
  KlPlan *plan = kl_session_get_plan (self->session);
  g_autofree char *vault = NULL;
  KlAzureKeyVault *akv;
  gboolean enabled, private_networking;

  if (ear == NULL || plan == NULL)
    return;

  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  enabled = kl_azure_key_vault_get_enabled (akv);
  private_networking = kl_azure_key_vault_get_require_private_networking (akv);

  update_outcome (self, plan, enabled, private_networking);

  /* The key */
  if (enabled && kl_azure_key_vault_get_valid (akv))
    adw_action_row_set_subtitle (self->key_state_row, _("On, and Atlas can use the key"));
  else if (enabled)
    adw_action_row_set_subtitle (self->key_state_row,
                                 _("On, but Atlas cannot use the key: check its access in Azure"));
  else
    adw_action_row_set_subtitle (self->key_state_row, _("Off: Atlas manages the keys"));

  gtk_widget_set_visible (GTK_WIDGET (self->key_row), enabled);
  gtk_widget_set_visible (GTK_WIDGET (self->vault_row), enabled);
  if (enabled)
    {
      const char *key_id = kl_azure_key_vault_get_key_identifier (akv);
      const char *group = kl_azure_key_vault_get_resource_group_name (akv);
      const char *cloud = kl_azure_key_vault_get_azure_environment (akv);

      /* Translators: the key identifier Atlas has: there is none */
      adw_action_row_set_subtitle (self->key_row, key_id != NULL ? key_id : C_("key", "None"));
      /* Translators: a vault, its resource group and its cloud, e.g.
       * “contoso-keys (resource group rg-keys, Azure)” */
      vault = g_strdup_printf (_("%s (resource group %s, %s)"),
                               kl_azure_key_vault_get_key_vault_name (akv),
                               group != NULL ? group : "?",
                               environment_display_name (cloud));
      adw_action_row_set_subtitle (self->vault_row, vault);
    }

  /* Private networking and its endpoints */
  adw_action_row_set_subtitle (self->network_row,
                               private_networking
                               ? _("On: Atlas’s clusters on Azure reach the vault over Private Link only")
                               : _("Off"));
  clear_rows (self->network_group, self->endpoint_rows);
  for (guint i = 0; endpoints != NULL && i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      g_autofree char *status = dup_endpoint_status (endpoint);
      g_autofree char *region = kl_regions_dup_title (kl_private_endpoint_get_region_name (endpoint));
      g_autofree char *title = NULL;

      /* Translators: %s is a region such as “East US 2 (US_EAST_2)” */
      title = g_strdup_printf (_("Endpoint in %s"), region);
      add_row (self->network_group, self->endpoint_rows, title, status, NULL, TRUE);
    }

  /* Clusters */
  clear_rows (self->clusters_group, self->cluster_rows);
  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);
      g_autofree char *state = kl_cluster_row_dup_state_label (cluster);
      g_autofree char *subtitle = NULL;

      KlKeyAccess access = kl_plan_get_key_access (plan, cluster, NULL);

      /* Translators: a cluster's key and state, e.g. “Uses your key over Private Link · Idle” */
      subtitle = g_strdup_printf (C_("cluster status", "%s · %s"),
                                  kl_cluster_row_access_label (cluster, access), state);
      add_row (self->clusters_group, self->cluster_rows, kl_cluster_get_name (cluster), subtitle,
               NULL, TRUE);
    }
  if (kl_session_get_clusters_error (self->session) != NULL)
    add_row (self->clusters_group, self->cluster_rows, _("Some clusters could not be read"),
             kl_session_get_clusters_error (self->session)->message, "dialog-warning-symbolic",
             FALSE);
  else if (clusters == NULL || clusters->len == 0)
    add_row (self->clusters_group, self->cluster_rows, _("No clusters"),
             _("Atlas lists no clusters in this project."), NULL, TRUE);

  update_next_steps (self, plan, akv, private_networking);
}

static void
refreshed_cb (KlPage       *page,
              const GError *error)
{
  KlDonePage *self = KL_DONE_PAGE (page);
  g_autofree char *message = NULL;

  kl_page_util_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  if (error == NULL)
    {
      self->loaded = TRUE;
      update_state (self);
      return;
    }

  /* Translators: %s says what went wrong and what to do */
  message = g_strdup_printf (_("Keylink could not read the project’s state. %s"), error->message);
  kl_page_set_error (page, message);
}

/* A finish opens at its top, wherever the page was left (half-way down after a
 * rotation). */
static void
scroll_to_top (KlDonePage *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);

  if (scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
}

static void
kl_done_page_shown (KlPage *page)
{
  KlDonePage *self = KL_DONE_PAGE (page);

  kl_page_set_error (page, NULL);
  update_state (self);
  scroll_to_top (self);

  /* The summary is what the server says now, not what the flow remembers. */
  if (kl_page_util_refresh (page, self->session, self->cancellable, refreshed_cb))
    {
      self->loaded = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
      kl_page_util_set_spinning (self->spinner, TRUE);
    }
}

static void
kl_done_page_dispose (GObject *object)
{
  KlDonePage *self = KL_DONE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_DONE_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_done_page_parent_class)->dispose (object);
}

static void
kl_done_page_finalize (GObject *object)
{
  KlDonePage *self = KL_DONE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->endpoint_rows, g_ptr_array_unref);
  g_clear_pointer (&self->cluster_rows, g_ptr_array_unref);
  g_clear_pointer (&self->next_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (kl_done_page_parent_class)->finalize (object);
}

static void
kl_done_page_constructed (GObject *object)
{
  KlDonePage *self = KL_DONE_PAGE (object);

  G_OBJECT_CLASS (kl_done_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));

  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  kl_page_util_hide_without_project (KL_PAGE (self), self->session);
  update_state (self);
}

static void
kl_done_page_class_init (KlDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_done_page_constructed;
  object_class->dispose = kl_done_page_dispose;
  object_class->finalize = kl_done_page_finalize;

  page_class->page_id = KL_PAGE_DONE;
  page_class->help_id = "summary";
  page_class->shown = kl_done_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/done/kl-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, close_button);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, key_state_row);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, key_row);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, vault_row);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, network_group);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, network_row);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, clusters_group);
  gtk_widget_class_bind_template_child (widget_class, KlDonePage, next_group);
}

static void
kl_done_page_init (KlDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  kl_page_util_name_button (GTK_BUTTON (self->close_button), _("Close Keylink"));

  self->cancellable = g_cancellable_new ();
  self->endpoint_rows = g_ptr_array_new ();
  self->cluster_rows = g_ptr_array_new ();
  self->next_rows = g_ptr_array_new ();
  kl_page_set_complete (KL_PAGE (self), TRUE);
}

KlPage *
kl_prepare_done_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_DONE_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_done_page_get_session:
 *
 * Returns: (transfer none): the session the page reads
 */
KlSession *
kl_done_page_get_session (KlDonePage *self)
{
  g_return_val_if_fail (KL_IS_DONE_PAGE (self), NULL);

  return self->session;
}

gboolean
kl_done_page_get_loaded (KlDonePage *self)
{
  g_return_val_if_fail (KL_IS_DONE_PAGE (self), FALSE);

  return self->loaded;
}
