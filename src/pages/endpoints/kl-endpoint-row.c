/* kl-endpoint-row.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-endpoint-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-command-view.h"
#include "kl-endpoint-row.h"
#include "kl-server-text.h"
#include "kl-server-text-view.h"
#include "kl-regions.h"
#include "pages/kl-page-util.h"

/* INITIATING for longer than this is shown as the long wait it is (HACKING.md, Endpoint states:
 * it can last hours). */
#define LONG_INITIATING_SECONDS (20 * 60)

struct _KlEndpointRow
{
  GtkListBoxRow      parent_instance;

  KlPrivateEndpoint *endpoint;
  char              *region_title;
  char              *environment;
  char              *subscription_id;
  char              *resource_group;
  char              *vault_name;
  char              *command;
  char              *time_text;
  char              *notice;
  char              *azure_status;
  char              *azure_error;
  char              *azure_text;
  gint64             status_since;
  guint              status_start_seen : 1;
  guint              demo : 1;
  guint              recreated : 1;
  guint              busy : 1;
  guint              azure_read : 1;
  guint              azure_can_approve : 1;

  /* Template widgets */
  GtkStack          *icon_stack;
  GtkImage          *status_icon;
  GtkSpinner        *spinner;
  GtkLabel          *title_label;
  GtkLabel          *status_label;
  GtkButton         *delete_button;
  GtkLabel          *explanation_label;
  GtkLabel          *error_label;
  GtkLabel          *notice_label;
  GtkLabel          *connection_label;
  GtkWidget         *approval_box;
  KlCommandView     *command_view;
  GtkLabel          *approval_intro_label;
  GtkWidget         *simulated_box;
  GtkButton         *approve_button;
  GtkMenuButton     *simulated_menu_button;
  GtkButton         *retry_button;
  GtkWidget         *azure_box;
  GtkLabel          *azure_label;
  GtkButton         *azure_approve_button;
};

G_DEFINE_FINAL_TYPE (KlEndpointRow, kl_endpoint_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ENDPOINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define APPROVAL_DESCRIPTION "MongoDB Atlas encryption at rest"

static gboolean
is_shell_safe (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;

  return TRUE;
}

static void
append_argument (GString    *command,
                 const char *option,
                 const char *value)
{
  g_string_append_c (command, ' ');
  g_string_append (command, option);
  g_string_append_c (command, ' ');

  if (is_shell_safe (value))
    {
      g_string_append (command, value);
    }
  else
    {
      g_autofree char *quoted = g_shell_quote (value);

      g_string_append (command, quoted);
    }
}

/* The name `az cloud set` knows a cloud by; NULL for Azure's public cloud (the default). */
static const char *
az_cloud_name (const char *environment)
{
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return "AzureChinaCloud";
  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return "AzureUSGovernment";
  return NULL;
}

char *
kl_endpoint_build_approval_command (const char *environment,
                                    const char *subscription_id,
                                    const char *resource_group,
                                    const char *vault_name,
                                    const char *connection_name)
{
  g_autoptr(GString) command = NULL;
  const char *cloud = az_cloud_name (environment);

  if (resource_group == NULL || resource_group[0] == '\0' ||
      vault_name == NULL || vault_name[0] == '\0' ||
      connection_name == NULL || connection_name[0] == '\0')
    return NULL;

  /* HACKING.md, Approving in Azure: plain hyphens, and --description (there is no
   * --approval-description). */
  command = g_string_new (NULL);
  if (cloud != NULL)
    g_string_append_printf (command, "az cloud set --name %s && ", cloud);
  g_string_append (command, "az keyvault private-endpoint-connection approve");
  if (subscription_id != NULL && subscription_id[0] != '\0')
    append_argument (command, "--subscription", subscription_id);
  append_argument (command, "--resource-group", resource_group);
  append_argument (command, "--vault-name", vault_name);
  append_argument (command, "--name", connection_name);
  g_string_append (command, " --description \"" APPROVAL_DESCRIPTION "\"");

  return g_string_free (g_steal_pointer (&command), FALSE);
}

char *
kl_endpoint_build_approvals_command (const char         *environment,
                                     const char         *subscription_id,
                                     const char         *resource_group,
                                     const char         *vault_name,
                                     const char * const *connection_names)
{
  g_autoptr(GString) command = NULL;
  const char *cloud = az_cloud_name (environment);
  guint n = connection_names != NULL ? g_strv_length ((char **) connection_names) : 0;

  if (n == 0)
    return NULL;
  if (n == 1)
    return kl_endpoint_build_approval_command (environment, subscription_id, resource_group,
                                               vault_name, connection_names[0]);
  if (resource_group == NULL || resource_group[0] == '\0' ||
      vault_name == NULL || vault_name[0] == '\0')
    return NULL;
  for (guint i = 0; i < n; i++)
    if (connection_names[i][0] == '\0')
      return NULL;

  /* The same command for each name, in a loop of the POSIX shell. */
  command = g_string_new (NULL);
  if (cloud != NULL)
    g_string_append_printf (command, "az cloud set --name %s && ", cloud);
  g_string_append (command, "for name in");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (command, ' ');
      if (is_shell_safe (connection_names[i]))
        {
          g_string_append (command, connection_names[i]);
        }
      else
        {
          g_autofree char *quoted = g_shell_quote (connection_names[i]);

          g_string_append (command, quoted);
        }
    }
  g_string_append (command, "; do az keyvault private-endpoint-connection approve");
  if (subscription_id != NULL && subscription_id[0] != '\0')
    append_argument (command, "--subscription", subscription_id);
  append_argument (command, "--resource-group", resource_group);
  append_argument (command, "--vault-name", vault_name);
  g_string_append (command, " --name \"$name\" --description \"" APPROVAL_DESCRIPTION "\"; done");

  return g_string_free (g_steal_pointer (&command), FALSE);
}

char *
kl_endpoint_build_register_command (const char *environment,
                                    const char *subscription_id)
{
  g_autoptr(GString) command = g_string_new (NULL);
  const char *cloud = az_cloud_name (environment);

  if (cloud != NULL)
    g_string_append_printf (command, "az cloud set --name %s && ", cloud);
  g_string_append (command, "az provider register --namespace Microsoft.Network");
  if (subscription_id != NULL && subscription_id[0] != '\0')
    append_argument (command, "--subscription", subscription_id);

  return g_string_free (g_steal_pointer (&command), FALSE);
}

gboolean
kl_endpoint_message_names_network_provider (const char *message)
{
  g_autofree char *folded = NULL;

  if (message == NULL)
    return FALSE;

  folded = g_ascii_strdown (message, -1);
  return strstr (folded, "microsoft.network") != NULL;
}

const char *
kl_endpoint_status_title (KlEndpointStatus  status,
                          const char       *status_text)
{
  /* The words of data/help/C/endpoints.page. */
  switch (status)
    {
    case KL_ENDPOINT_STATUS_INITIATING:
      return _("Initiating");
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
      return _("Waiting for approval in Azure");
    case KL_ENDPOINT_STATUS_ACTIVE:
      return _("Active");
    case KL_ENDPOINT_STATUS_PENDING_RECREATION:
      return _("Being recreated");
    case KL_ENDPOINT_STATUS_FAILED:
      return _("Failed");
    case KL_ENDPOINT_STATUS_DELETING:
      return _("Deleting");
    case KL_ENDPOINT_STATUS_UNKNOWN:
    default:
      /* What the server said, as it said it. */
      return status_text != NULL && status_text[0] != '\0' ? status_text : _("Unknown");
    }
}

char *
kl_endpoint_format_duration (gint64 seconds)
{
  gint64 minutes = seconds / 60;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (seconds < 60)
    return g_strdup (_("for less than a minute"));
  if (minutes < 60)
    /* Translators: how long an endpoint has been in its status */
    return g_strdup_printf (ngettext ("for %u min", "for %u min", (gulong) minutes),
                            (guint) minutes);
  if (hours < 48)
    {
      if (minutes % 60 == 0)
        return g_strdup_printf (ngettext ("for %u h", "for %u h", (gulong) hours), (guint) hours);
      /* Translators: how long an endpoint has been in its status: hours, then minutes */
      return g_strdup_printf (_("for %u h %u min"), (guint) hours, (guint) (minutes % 60));
    }
  return g_strdup_printf (ngettext ("for %u day", "for %u days", (gulong) days), (guint) days);
}

char *
kl_endpoint_format_seen_since (GDateTime *since)
{
  g_autofree char *time = NULL;

  g_return_val_if_fail (since != NULL, NULL);

  /* Translators: a time of day in strftime format, as in “seen since 10:42” */
  time = g_date_time_format (since, C_("time of day", "%H:%M"));
  /* Translators: when Keylink first saw an endpoint in its status (it was already so, for an
   * unknown time): %s is a time of day, e.g. “10:42” */
  return g_strdup_printf (_("seen since %s"), time);
}

static const char *
status_icon_name (KlEndpointStatus status)
{
  switch (status)
    {
    case KL_ENDPOINT_STATUS_INITIATING:
      return "content-loading-symbolic";
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
      return "dialog-warning-symbolic";
    case KL_ENDPOINT_STATUS_ACTIVE:
      return "emblem-ok-symbolic";
    case KL_ENDPOINT_STATUS_PENDING_RECREATION:
      return "view-refresh-symbolic";
    case KL_ENDPOINT_STATUS_FAILED:
      return "dialog-error-symbolic";
    case KL_ENDPOINT_STATUS_DELETING:
      return "user-trash-symbolic";
    case KL_ENDPOINT_STATUS_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
status_icon_class (KlEndpointStatus status)
{
  switch (status)
    {
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
      return "warning";
    case KL_ENDPOINT_STATUS_ACTIVE:
      return "success";
    case KL_ENDPOINT_STATUS_FAILED:
      return "error";
    default:
      return NULL;
    }
}

static gint64
seconds_in_status (KlEndpointRow *self)
{
  if (self->status_since == KL_WATCH_TIME_UNKNOWN)
    return -1;

  return MAX (0, (g_get_monotonic_time () - self->status_since) / G_USEC_PER_SEC);
}

static const char *
explanation (KlEndpointRow *self)
{
  switch (kl_private_endpoint_get_status (self->endpoint))
    {
    case KL_ENDPOINT_STATUS_INITIATING:
      if (seconds_in_status (self) >= LONG_INITIATING_SECONDS)
        return _("Atlas is still creating the endpoint. This is normal and can take hours; "
                 "you can close Keylink and come back: it picks the endpoint up from Atlas.");
      return _("Atlas is creating the endpoint. This can take a long time; you can close "
               "Keylink and come back.");
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
      if (self->recreated)
        return _("The connection was recreated after it was rejected or removed in Azure: "
                 "approve it again.");
      return _("Atlas created the endpoint. Azure now waits for you to approve the "
               "connection on the key vault.");
    case KL_ENDPOINT_STATUS_ACTIVE:
      return _("Atlas reaches the key vault over this endpoint.");
    case KL_ENDPOINT_STATUS_PENDING_RECREATION:
      return _("The connection was rejected or removed in Azure. Atlas recreates it; approve "
               "it again when it waits for approval.");
    case KL_ENDPOINT_STATUS_FAILED:
      return _("Atlas could not create the endpoint. Retry deletes it and creates it again.");
    case KL_ENDPOINT_STATUS_DELETING:
      return _("The endpoint is being removed.");
    case KL_ENDPOINT_STATUS_UNKNOWN:
    default:
      return _("Atlas reports a status this version of Keylink does not know. Check the "
               "endpoint in Atlas, or update Keylink.");
    }
}

static const char *
status_title (KlEndpointRow *self)
{
  return kl_endpoint_status_title (kl_private_endpoint_get_status (self->endpoint),
                                   kl_private_endpoint_get_status_text (self->endpoint));
}

static void
update_time (KlEndpointRow *self)
{
  const char *title = status_title (self);
  gint64 seconds = seconds_in_status (self);
  g_autofree char *status = NULL;

  g_clear_pointer (&self->time_text, g_free);
  if (seconds >= 0 && self->status_start_seen)
    {
      self->time_text = kl_endpoint_format_duration (seconds);
    }
  else if (seconds >= 0)
    {
      /* The status was there when Keylink first looked: how long before, it cannot know. */
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) since =
        g_date_time_add (now, -(g_get_monotonic_time () - self->status_since));

      self->time_text = kl_endpoint_format_seen_since (since);
    }

  /* A no-break space before the separator: a wrapped line never starts with it. */
  if (self->time_text != NULL)
    status = g_strconcat (title, "\u00a0· ", self->time_text, NULL);
  else
    status = g_strdup (title);

  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->explanation_label, explanation (self));
}

static gboolean
azure_is (KlEndpointRow *self,
          const char    *status)
{
  return self->azure_status != NULL && g_ascii_strcasecmp (self->azure_status, status) == 0;
}

/* "In Azure: …", or NULL when the row says nothing of Azure. */
static char *
dup_azure_text (KlEndpointRow *self)
{
  g_autofree char *shown = NULL;

  if (!self->azure_read)
    return NULL;

  if (self->azure_error != NULL)
    {
      shown = kl_server_text_dup_short (self->azure_error, KL_SERVER_TEXT_SHORT_CHARS);
      /* Translators: %s is why reading the key vault in Azure failed */
      return g_strdup_printf (_("Keylink could not read this connection in Azure: %s"), shown);
    }
  if (self->azure_status == NULL)
    return g_strdup (_("In Azure: the key vault has no connection of this name yet."));
  if (azure_is (self, "Pending"))
    return g_strdup (_("In Azure: Pending. Not approved yet."));
  if (azure_is (self, "Approved"))
    {
      if (kl_private_endpoint_get_status (self->endpoint) == KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE)
        return g_strdup (_("In Azure: Approved. Waiting for Atlas to notice, which can take a "
                           "few minutes."));
      return g_strdup (_("In Azure: Approved."));
    }
  if (azure_is (self, "Rejected"))
    return g_strdup (_("In Azure: Rejected. Atlas cannot use this endpoint."));
  if (azure_is (self, "Disconnected"))
    return g_strdup (_("In Azure: Disconnected. The private endpoint was removed."));

  shown = kl_server_text_dup_short (self->azure_status, 40);
  /* Translators: %s is a connection state Azure gave that Keylink does not know */
  return g_strdup_printf (_("In Azure: %s."), shown);
}

static void
update (KlEndpointRow *self)
{
  gboolean approve_in_azure;
  KlEndpointStatus status = kl_private_endpoint_get_status (self->endpoint);
  const char *id = kl_private_endpoint_get_id (self->endpoint);
  const char *error_message = kl_private_endpoint_get_error_message (self->endpoint);
  const char *connection =
    kl_private_endpoint_get_private_endpoint_connection_name (self->endpoint);
  const char *icon_class = status_icon_class (status);
  gboolean waiting = status == KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE;
  gboolean needs_register;
  g_autofree char *label = NULL;
  GVariant *target;

  /* The target of every action of the row: this endpoint. */
  target = g_variant_ref_sink (g_variant_new_string (id != NULL ? id : ""));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->approve_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button), target);
  g_variant_unref (target);

  gtk_label_set_label (self->title_label, self->region_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->region_title,
                                  -1);

  gtk_image_set_from_icon_name (self->status_icon, status_icon_name (status));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  if (icon_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), icon_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_title (self),
                                  -1);
  gtk_stack_set_visible_child_name (self->icon_stack, self->busy ? "busy" : "icon");
  kl_page_util_set_spinning (self->spinner, self->busy);

  update_time (self);

  /* errorMessage is set when FAILED; shown whenever Atlas sends one. */
  kl_server_text_view_set_label (self->error_label, error_message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label),
                          error_message != NULL && error_message[0] != '\0');

  gtk_label_set_label (self->notice_label, self->notice != NULL ? self->notice : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), self->notice != NULL);

  /* A FAILED endpoint whose message says Microsoft.Network is not registered: the command
   * that registers it, ready to copy, before Retry. */
  needs_register = status == KL_ENDPOINT_STATUS_FAILED && error_message != NULL &&
                   kl_endpoint_message_names_network_provider (error_message);

  /* The approval command and the portal path are the page's, once for every endpoint that
   * waits; the row names its connection, which the portal lists. */
  if (waiting && connection != NULL && connection[0] != '\0')
    {
      g_autofree char *shown = kl_server_text_dup_short (connection, KL_SERVER_TEXT_SHORT_CHARS);
      g_autofree char *plain = kl_server_text_dup_plain (connection, KL_SERVER_TEXT_SHORT_CHARS);

      /* Translators: %s is the name of a private endpoint connection on the key vault */
      label = g_strdup_printf (_("Connection: %s"), shown);
      gtk_label_set_label (self->connection_label, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->connection_label), plain);
      g_clear_pointer (&label, g_free);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label),
                          waiting && connection != NULL && connection[0] != '\0');

  g_clear_pointer (&self->command, g_free);
  if (needs_register)
    self->command = kl_endpoint_build_register_command (self->environment,
                                                        self->subscription_id);
  kl_command_view_set_command (self->command_view, self->command);
  gtk_widget_set_visible (GTK_WIDGET (self->command_view), self->command != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->approval_intro_label), needs_register);
  gtk_label_set_label (self->approval_intro_label,
                       _("Register the Microsoft.Network resource provider in the vault’s "
                         "subscription, in a terminal where the Azure CLI is signed in, then "
                         "press Retry:"));

  /* The Azure side, and the real approval when the application may try it. */
  g_free (self->azure_text);
  self->azure_text = dup_azure_text (self);
  gtk_label_set_label (self->azure_label, self->azure_text != NULL ? self->azure_text : "");
  gtk_widget_set_visible (self->azure_box, self->azure_text != NULL);
  approve_in_azure = self->azure_read && self->azure_can_approve && azure_is (self, "Pending");
  gtk_widget_set_visible (GTK_WIDGET (self->azure_approve_button), approve_in_azure);
  gtk_widget_set_sensitive (GTK_WIDGET (self->azure_approve_button), !self->busy);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->azure_approve_button), "s",
                                    id != NULL ? id : "");

  /* The demo's simulated Azure: its Approve gives way to the real one. */
  gtk_widget_set_visible (self->simulated_box, waiting && self->demo);
  gtk_widget_set_visible (self->approval_box, needs_register || (waiting && self->demo));
  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), !approve_in_azure);

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), status == KL_ENDPOINT_STATUS_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), status != KL_ENDPOINT_STATUS_DELETING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), !self->busy);

  /* Names a person would use, per region. */
  label = g_strdup_printf (_("Copy the command for %s"), self->region_title);
  kl_command_view_set_copy_label (self->command_view, label);
  g_free (label);
  label = g_strdup_printf (_("Delete endpoint in %s"), self->region_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button), label);
  g_free (label);
  label = g_strdup_printf (_("Retry %s"), self->region_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_free (label);
  label = g_strdup_printf (_("Approve in Azure for %s"), self->region_title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->azure_approve_button), label);
  g_free (label);
  label = g_strdup_printf (_("More simulated Azure actions for %s"), self->region_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->simulated_menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
build_simulated_menu (KlEndpointRow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  const char *id = kl_private_endpoint_get_id (self->endpoint);

  item = g_menu_item_new (_("_Reject (simulated)"), NULL);
  g_menu_item_set_action_and_target_value (item, "endpoints.reject-simulated",
                                           g_variant_new_string (id != NULL ? id : ""));
  g_menu_append_item (menu, item);
  gtk_menu_button_set_menu_model (self->simulated_menu_button, G_MENU_MODEL (menu));
}

static void
kl_endpoint_row_constructed (GObject *object)
{
  KlEndpointRow *self = KL_ENDPOINT_ROW (object);

  G_OBJECT_CLASS (kl_endpoint_row_parent_class)->constructed (object);

  g_assert (self->endpoint != NULL);
  self->region_title = kl_regions_dup_title (kl_private_endpoint_get_region_name (self->endpoint));
  build_simulated_menu (self);
  update (self);
}

static void
kl_endpoint_row_dispose (GObject *object)
{
  KlEndpointRow *self = KL_ENDPOINT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_ENDPOINT_ROW);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (kl_endpoint_row_parent_class)->dispose (object);
}

static void
kl_endpoint_row_finalize (GObject *object)
{
  KlEndpointRow *self = KL_ENDPOINT_ROW (object);

  g_clear_pointer (&self->region_title, g_free);
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->subscription_id, g_free);
  g_clear_pointer (&self->resource_group, g_free);
  g_clear_pointer (&self->vault_name, g_free);
  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->time_text, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->azure_status, g_free);
  g_clear_pointer (&self->azure_error, g_free);
  g_clear_pointer (&self->azure_text, g_free);

  G_OBJECT_CLASS (kl_endpoint_row_parent_class)->finalize (object);
}

static void
kl_endpoint_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlEndpointRow *self = KL_ENDPOINT_ROW (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_endpoint_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlEndpointRow *self = KL_ENDPOINT_ROW (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      self->endpoint = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_endpoint_row_class_init (KlEndpointRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kl_endpoint_row_constructed;
  object_class->dispose = kl_endpoint_row_dispose;
  object_class->finalize = kl_endpoint_row_finalize;
  object_class->get_property = kl_endpoint_row_get_property;
  object_class->set_property = kl_endpoint_row_set_property;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL,
                         KL_TYPE_PRIVATE_ENDPOINT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_COMMAND_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/endpoints/kl-endpoint-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, approval_box);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, command_view);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, approval_intro_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, simulated_box);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, approve_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, simulated_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, azure_box);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, azure_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointRow, azure_approve_button);
}

static void
kl_endpoint_row_init (KlEndpointRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->status_since = KL_WATCH_TIME_UNKNOWN;

  /* “Approve in Azure (simulated)”, as shown, once. */
  kl_a11y_name_button_by_text (self->approve_button);
  kl_a11y_name_button_by_text (self->azure_approve_button);
}

GtkWidget *
kl_endpoint_row_new (KlPrivateEndpoint *endpoint)
{
  g_return_val_if_fail (KL_IS_PRIVATE_ENDPOINT (endpoint), NULL);

  return g_object_new (KL_TYPE_ENDPOINT_ROW,
                       "endpoint", endpoint,
                       NULL);
}

/**
 * kl_endpoint_row_get_endpoint:
 *
 * Returns: (transfer none): the endpoint the row shows
 */
KlPrivateEndpoint *
kl_endpoint_row_get_endpoint (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->endpoint;
}

/**
 * kl_endpoint_row_set_approval_target:
 * @environment: (nullable): the vault's Azure cloud (AZURE, AZURE_CHINA, AZURE_US_GOVERNMENT)
 * @subscription_id: (nullable): the vault's subscription
 * @resource_group: (nullable): the project's resource group
 * @vault_name: (nullable): the project's key vault
 *
 * What the approval command and the portal path name.
 */
void
kl_endpoint_row_set_approval_target (KlEndpointRow *self,
                                     const char    *environment,
                                     const char    *subscription_id,
                                     const char    *resource_group,
                                     const char    *vault_name)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (g_strcmp0 (self->environment, environment) == 0 &&
      g_strcmp0 (self->subscription_id, subscription_id) == 0 &&
      g_strcmp0 (self->resource_group, resource_group) == 0 &&
      g_strcmp0 (self->vault_name, vault_name) == 0)
    return;

  g_free (self->environment);
  self->environment = g_strdup (environment);
  g_free (self->subscription_id);
  self->subscription_id = g_strdup (subscription_id);

  g_free (self->resource_group);
  self->resource_group = g_strdup (resource_group);
  g_free (self->vault_name);
  self->vault_name = g_strdup (vault_name);
  update (self);
}

void
kl_endpoint_row_set_status_since (KlEndpointRow *self,
                                  gint64         since_us)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->status_since == since_us)
    return;

  self->status_since = since_us;
  update_time (self);
}

void
kl_endpoint_row_set_demo (KlEndpointRow *self,
                          gboolean       demo)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->demo == !!demo)
    return;

  self->demo = !!demo;
  update (self);
}

void
kl_endpoint_row_set_recreated (KlEndpointRow *self,
                               gboolean       recreated)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->recreated == !!recreated)
    return;

  self->recreated = !!recreated;
  update (self);
}

void
kl_endpoint_row_set_busy (KlEndpointRow *self,
                          gboolean       busy)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->busy == !!busy)
    return;

  self->busy = !!busy;
  update (self);
}

/**
 * kl_endpoint_row_set_notice:
 * @notice: (nullable): what the last action on this endpoint said (a refused delete)
 */
void
kl_endpoint_row_set_notice (KlEndpointRow *self,
                            const char    *notice)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (g_strcmp0 (self->notice, notice) == 0)
    return;

  g_free (self->notice);
  self->notice = g_strdup (notice);
  update (self);
}

void
kl_endpoint_row_update_time (KlEndpointRow *self)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  update_time (self);
}

const char *
kl_endpoint_row_get_status_title (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return status_title (self);
}

const char *
kl_endpoint_row_get_explanation (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return gtk_label_get_label (self->explanation_label);
}

/**
 * kl_endpoint_row_get_time_text:
 *
 * Returns: (nullable): "for 3 min", or %NULL when the row does not know since when
 */
const char *
kl_endpoint_row_get_time_text (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->time_text;
}

/**
 * kl_endpoint_row_get_command:
 *
 * Returns: (nullable): the command the row shows (registering Microsoft.Network), if any
 */
const char *
kl_endpoint_row_get_command (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->command;
}

/**
 * kl_endpoint_row_get_command_view:
 *
 * Returns: (transfer none): the view of that command
 */
KlCommandView *
kl_endpoint_row_get_command_view (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->command_view;
}

void
kl_endpoint_row_set_status_start_seen (KlEndpointRow *self,
                                       gboolean       seen)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->status_start_seen == !!seen)
    return;

  self->status_start_seen = !!seen;
  update_time (self);
}

void
kl_endpoint_row_set_azure (KlEndpointRow *self,
                           gboolean       read,
                           const char    *status,
                           const char    *error,
                           gboolean       can_approve)
{
  g_return_if_fail (KL_IS_ENDPOINT_ROW (self));

  if (self->azure_read == !!read && self->azure_can_approve == !!can_approve &&
      g_strcmp0 (self->azure_status, status) == 0 && g_strcmp0 (self->azure_error, error) == 0)
    return;

  self->azure_read = !!read;
  self->azure_can_approve = !!can_approve;
  g_free (self->azure_status);
  self->azure_status = g_strdup (status);
  g_free (self->azure_error);
  self->azure_error = g_strdup (error);
  update (self);
}

const char *
kl_endpoint_row_get_azure_text (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->azure_text;
}

gboolean
kl_endpoint_row_get_can_approve_in_azure (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->azure_approve_button));
}

const char *
kl_endpoint_row_get_notice (KlEndpointRow *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINT_ROW (self), NULL);

  return self->notice;
}
