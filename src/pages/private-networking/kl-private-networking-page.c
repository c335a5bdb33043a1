/* kl-private-networking-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-private-networking-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-private-networking-page.h"
#include "pages/kl-page-util.h"

/* Step 7 of the flow (HACKING.md, The flow): before PATCH requirePrivateNetworking: true, say
 * what it freezes (with the current values), which multi-cloud clusters it pauses (by
 * name) and that new clusters then only go to regions with an active endpoint. Apply sends
 * the PATCH and reads the project back. When the project already requires private
 * networking the page only shows it, and Next goes on. */

typedef enum
{
  PAGE_STATE_NOT_CONNECTED, /* no project read yet */
  PAGE_STATE_KEY_NOT_READY, /* CMK not enabled and valid: the earlier steps come first */
  PAGE_STATE_READY,         /* Apply turns it on */
  PAGE_STATE_DONE,          /* already required */
} PageState;

struct _KlPrivateNetworkingPage
{
  KlPage        parent_instance;

  KlSession    *session;
  GPtrArray    *cluster_rows;
  gboolean      own_session;  /* made here: no window decides what is hidden */
  gboolean      unconfirmed;  /* the PATCH was sent, but reading the project back failed */

  /* Template widgets */
  GtkLabel            *state_label;
  AdwPreferencesGroup *frozen_group;
  AdwActionRow        *vault_row;
  AdwActionRow        *resource_group_row;
  AdwActionRow        *subscription_row;
  AdwPreferencesGroup *clusters_group;
  AdwActionRow        *no_clusters_row;
};

static void send_patch (GTask *task);

G_DEFINE_FINAL_TYPE (KlPrivateNetworkingPage, kl_private_networking_page, KL_TYPE_PAGE)

static PageState
get_state (KlPrivateNetworkingPage *self)
{
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  KlPlan *plan = kl_session_get_plan (self->session);
  KlAzureKeyVault *akv;

  if (ear == NULL || plan == NULL)
    return PAGE_STATE_NOT_CONNECTED;

  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  if (kl_azure_key_vault_get_require_private_networking (akv))
    return PAGE_STATE_DONE;

  switch (kl_plan_get_stage (plan))
    {
    case KL_PROJECT_STAGE_OTHER_PROVIDER:
    case KL_PROJECT_STAGE_NOT_CONFIGURED:
    case KL_PROJECT_STAGE_KEY_NOT_VALID:
      return PAGE_STATE_KEY_NOT_READY;

    case KL_PROJECT_STAGE_KEY_READY:
    case KL_PROJECT_STAGE_ENDPOINTS:
    case KL_PROJECT_STAGE_CLUSTERS:
    case KL_PROJECT_STAGE_DONE:
    default:
      return PAGE_STATE_READY;
    }
}

static void
set_value (AdwActionRow *row,
           const char   *value)
{
  /* Translators: shown for a setting Atlas has no value for */
  adw_action_row_set_subtitle (row, value != NULL && value[0] != '\0' ? value : _("Not set"));
}

static const char *
provider_display_name (const char *provider)
{
  if (g_strcmp0 (provider, "AZURE") == 0)
    return _("Azure");
  if (g_strcmp0 (provider, "AWS") == 0)
    return _("AWS");
  if (g_strcmp0 (provider, "GCP") == 0)
    return _("Google Cloud");
  return provider;
}

/* "Azure EUROPE_NORTH, AWS EU_WEST_1" */
static char *
dup_cluster_regions (KlCluster *cluster)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const KlRegionConfig *configs;
  guint n_configs = 0;

  configs = kl_cluster_get_region_configs (cluster, &n_configs);
  for (guint i = 0; i < n_configs; i++)
    {
      const char *provider = configs[i].provider_name;

      if (provider == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      if (configs[i].region_name != NULL)
        /* Translators: a cloud provider and a region of a cluster, e.g. "Azure EUROPE_NORTH" */
        g_string_append_printf (text, _("%s %s"), provider_display_name (provider),
                                configs[i].region_name);
      else
        g_string_append (text, provider_display_name (provider));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Returns the number of multi-cloud clusters listed (those the change pauses). */
static guint
update_clusters (KlPrivateNetworkingPage *self,
                 PageState                state)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  g_autoptr(GPtrArray) clusters = NULL;
  GtkBox *content;

  for (guint i = 0; i < self->cluster_rows->len; i++)
    adw_preferences_group_remove (self->clusters_group, g_ptr_array_index (self->cluster_rows, i));
  g_ptr_array_set_size (self->cluster_rows, 0);

  if (state == PAGE_STATE_DONE)
    {
      adw_preferences_group_set_title (self->clusters_group, _("Paused Multi-Cloud Clusters"));
      adw_preferences_group_set_description (self->clusters_group,
                                             _("These clusters span several cloud providers, "
                                               "which private networking does not allow: Atlas "
                                               "paused them."));
    }
  else
    {
      adw_preferences_group_set_title (self->clusters_group, _("Clusters That Will Be Paused"));
      adw_preferences_group_set_description (self->clusters_group,
                                             _("These clusters span several cloud providers, "
                                               "which private networking does not allow: Atlas "
                                               "pauses them."));
    }

  if (plan != NULL)
    clusters = kl_plan_dup_multi_cloud_clusters (plan);

  gtk_widget_set_visible (GTK_WIDGET (self->no_clusters_row),
                          clusters == NULL || clusters->len == 0);

  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);
      g_autofree char *regions = dup_cluster_regions (cluster);
      GtkWidget *row;

      row = kl_page_util_plain_row_new (kl_cluster_get_name (cluster), regions);
      if (state != PAGE_STATE_DONE)
        adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "media-playback-pause-symbolic");
      /* A value to read, not a tab stop. */
      gtk_widget_set_focusable (row, FALSE);
      adw_preferences_group_add (self->clusters_group, row);
      g_ptr_array_add (self->cluster_rows, row);
    }

  /* Clusters the change pauses come first on the page, before what it freezes: at the
   * default window size they must not be below the fold. */
  content = GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->clusters_group)));
  if (clusters != NULL && clusters->len > 0 && state != PAGE_STATE_DONE)
    gtk_box_reorder_child_after (content, GTK_WIDGET (self->clusters_group),
                                 GTK_WIDGET (self->state_label));
  else
    gtk_box_reorder_child_after (content, GTK_WIDGET (self->clusters_group),
                                 GTK_WIDGET (self->frozen_group));

  return clusters != NULL ? clusters->len : 0;
}

static void
update (KlPrivateNetworkingPage *self)
{
  KlPage *page = KL_PAGE (self);
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  KlAzureKeyVault *akv = ear != NULL ? kl_encryption_at_rest_get_azure_key_vault (ear) : NULL;
  PageState state = get_state (self);
  guint n_paused;

  /* The window hides the pages that do not apply to its session's project. With a session
   * of its own, the page hides itself while there is no project: nothing to show. */
  if (self->own_session)
    kl_page_set_hidden (page, kl_session_get_project (self->session) == NULL);

  set_value (self->vault_row, akv != NULL ? kl_azure_key_vault_get_key_vault_name (akv) : NULL);
  set_value (self->resource_group_row,
             akv != NULL ? kl_azure_key_vault_get_resource_group_name (akv) : NULL);
  set_value (self->subscription_row,
             akv != NULL ? kl_azure_key_vault_get_subscription_id (akv) : NULL);
  n_paused = update_clusters (self, state);

  switch (state)
    {
    case PAGE_STATE_NOT_CONNECTED:
      gtk_label_set_label (self->state_label,
                           _("Keylink has not read a project yet. Sign in to Atlas and "
                             "choose a project first."));
      break;

    case PAGE_STATE_KEY_NOT_READY:
      gtk_label_set_label (self->state_label,
                           _("Atlas does not use the key of this project yet. Enable the key "
                             "on the previous step first: private networking needs it."));
      break;

    case PAGE_STATE_DONE:
      gtk_label_set_label (self->state_label,
                           _("Private networking is already required for this project. Go "
                             "on to create or check its private endpoints."));
      break;

    case PAGE_STATE_READY:
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != PAGE_STATE_READY);
  adw_preferences_group_set_title (self->frozen_group,
                                   state == PAGE_STATE_DONE
                                   ? _("Fixed While Private Networking Is Required")
                                   : _("Fixed From Now On"));

  kl_page_set_read_only (page, state == PAGE_STATE_DONE);
  kl_page_set_complete (page, state == PAGE_STATE_READY || state == PAGE_STATE_DONE);
  kl_page_set_needs_apply (page, state == PAGE_STATE_READY);
  kl_page_set_next_destructive (page, state == PAGE_STATE_READY && !self->unconfirmed &&
                                      n_paused > 0);
  if (state != PAGE_STATE_READY)
    kl_page_set_next_label (page, NULL);
  else if (self->unconfirmed)
    kl_page_set_next_label (page, _("_Check Again"));
  else if (n_paused > 0)
    {
      g_autofree char *label = NULL;

      /* Translators: the Next button when turning private networking on pauses clusters */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Turn On and Pause %u Cluster",
                                            "_Turn On and Pause %u Clusters", n_paused),
                               n_paused);
      kl_page_set_next_label (page, label);
    }
  else
    kl_page_set_next_label (page, _("_Turn On"));
}

/* Another project: what was sent for the last one says nothing about it. */
static void
project_changed_cb (KlPrivateNetworkingPage *self)
{
  self->unconfirmed = FALSE;
  update (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlPrivateNetworkingPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!kl_session_refresh_finish (KL_SESSION (object), result, &error))
    {
      /* The PATCH was sent: only reading it back failed. Next reads again, and sends
       * nothing. */
      self->unconfirmed = TRUE;
      update (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_debug ("Reading the project back failed: %s", error->message);
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED,
                               /* Translators: %s says what went wrong and what to do */
                               _("Keylink sent the change to Atlas but could not read the "
                                 "project back to confirm it. %s Then press Check Again: Keylink "
                                 "reads the project again and sends nothing more."),
                               error->message);
      return;
    }

  self->unconfirmed = FALSE;
  g_task_return_boolean (task, TRUE);
}

static void
patch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlPrivateNetworkingPage *self = g_task_get_source_object (task);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  ear = kl_atlas_client_patch_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result, &error);
  if (ear == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The server is the source of truth: read the whole project back. */
  cancellable = g_task_get_cancellable (task);
  kl_session_refresh_async (self->session, cancellable, refresh_cb, g_steal_pointer (&task));
}

static void
send_patch (GTask *task)
{
  KlPrivateNetworkingPage *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = kl_encryption_at_rest_build_private_networking (TRUE);

  kl_atlas_client_patch_encryption_at_rest_async (kl_session_get_client (self->session),
                                                  kl_session_get_group_id (self->session),
                                                  body, g_task_get_cancellable (task),
                                                  patch_cb, task);
}

static void
pause_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   GTask            *task)
{
  g_autoptr(GTask) owned = task;

  g_signal_handlers_disconnect_by_data (dialog, task);

  if (g_task_return_error_if_cancelled (owned))
    return;

  if (g_strcmp0 (response, "pause") != 0)
    {
      /* Declined: silent, like Cancel, and nothing was sent. */
      g_task_return_new_error (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Pausing the multi-cloud clusters was declined");
      return;
    }

  send_patch (g_steal_pointer (&owned));
}

static void
confirm_pause (KlPrivateNetworkingPage *self,
               GTask                   *task)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  g_autoptr(GPtrArray) clusters = kl_plan_dup_multi_cloud_clusters (plan);
  g_autofree char *names = kl_plan_dup_cluster_names (clusters);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Pause %u Cluster?",
                                          "Pause %u Clusters?", clusters->len),
                             clusters->len);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: %s names clusters, e.g. “a” and “b” */
                                       "Requiring private networking pauses %s: it spans "
                                       "several cloud providers, which private networking does "
                                       "not allow. Its data stays, but its applications cannot "
                                       "reach it until you turn private networking off again.",
                                       "Requiring private networking pauses %s: they span "
                                       "several cloud providers, which private networking does "
                                       "not allow. Their data stays, but their applications "
                                       "cannot reach them until you turn private networking off "
                                       "again.", clusters->len),
                          names);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "pause", _("_Turn On and Pause"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "pause",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (pause_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kl_private_networking_page_apply_async (KlPage              *page,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  KlPrivateNetworkingPage *self = KL_PRIVATE_NETWORKING_PAGE (page);
  KlAtlasClient *client = kl_session_get_client (self->session);
  const char *group_id = kl_session_get_group_id (self->session);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_private_networking_page_apply_async);

  if (client == NULL || group_id == NULL)
    {
      g_task_return_new_error (task, KL_ERROR, KL_ERROR_FAILED, "%s",
                               _("Keylink is not connected to Atlas yet, so nothing was sent. "
                                 "Sign in to Atlas and choose a project first, then try again."));
      return;
    }

  if (get_state (self) == PAGE_STATE_DONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->unconfirmed)
    {
      kl_session_refresh_async (self->session, cancellable, refresh_cb, g_steal_pointer (&task));
      return;
    }

  /* Multi-cloud clusters get paused: nothing is sent before the user has read their names
   * and said yes. */
  if (self->cluster_rows->len > 0)
    {
      confirm_pause (self, g_steal_pointer (&task));
      return;
    }

  send_patch (g_steal_pointer (&task));
}

static void
kl_private_networking_page_shown (KlPage *page)
{
  update (KL_PRIVATE_NETWORKING_PAGE (page));
}

static void
kl_private_networking_page_constructed (GObject *object)
{
  KlPrivateNetworkingPage *self = KL_PRIVATE_NETWORKING_PAGE (object);

  G_OBJECT_CLASS (kl_private_networking_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));

  if (self->session == NULL)
    {
      self->session = kl_session_new ();
      self->own_session = TRUE;
    }

  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::project", G_CALLBACK (project_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update (self);
}

static void
kl_private_networking_page_dispose (GObject *object)
{
  KlPrivateNetworkingPage *self = KL_PRIVATE_NETWORKING_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_PRIVATE_NETWORKING_PAGE);

  g_clear_pointer (&self->cluster_rows, g_ptr_array_unref);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_private_networking_page_parent_class)->dispose (object);
}

static void
kl_private_networking_page_class_init (KlPrivateNetworkingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_private_networking_page_constructed;
  object_class->dispose = kl_private_networking_page_dispose;

  page_class->page_id = KL_PAGE_PRIVATE_NETWORKING;
  page_class->help_id = "private-networking";
  page_class->shown = kl_private_networking_page_shown;
  page_class->apply_async = kl_private_networking_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/private-networking/"
                                               "kl-private-networking-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, frozen_group);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, vault_row);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, resource_group_row);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, clusters_group);
  gtk_widget_class_bind_template_child (widget_class, KlPrivateNetworkingPage, no_clusters_row);
}

static void
kl_private_networking_page_init (KlPrivateNetworkingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cluster_rows = g_ptr_array_new ();
}

KlPage *
kl_prepare_private_networking_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_PRIVATE_NETWORKING_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_private_networking_page_get_session:
 *
 * Returns: (transfer none): the session the page shows
 */
KlSession *
kl_private_networking_page_get_session (KlPrivateNetworkingPage *self)
{
  g_return_val_if_fail (KL_IS_PRIVATE_NETWORKING_PAGE (self), NULL);

  return self->session;
}
