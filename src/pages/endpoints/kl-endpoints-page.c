/* kl-endpoints-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-endpoints-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-azure-client.h"
#include "kl-azure-error.h"
#include "kl-command-view.h"
#include "kl-endpoint-row.h"
#include "kl-endpoints-page.h"
#include "kl-error.h"
#include "kl-regions.h"
#include "kl-server-text.h"
#include "kl-setup-runner.h"
#include "pages/kl-page-util.h"

/* Step 8 of the flow (HACKING.md, The flow), also the "manage endpoints" page: choose regions
 * (by default those of the project's clusters that have no endpoint yet), create the missing
 * endpoints all at once (KlSetupRunner: a fresh list, then the client's ensure call per
 * region, so a region never gets a second one), then follow them live (KlEndpointWatch: one
 * list request per tick) until every one is ACTIVE. Creating them is the page's one primary
 * action, the assistant's Next labelled “Create Endpoints” (the page's apply); once they
 * exist, Next goes on when every one is active. While connections wait for approval, the page
 * shows one command that approves all of them and the portal path, once; each row says what
 * its status means and what is left for that endpoint: Retry when it failed, Delete.
 *
 * Nothing is kept locally: a closed and reopened Keylink lists the endpoints from Atlas again.
 * The watch runs while the page is shown, is paused when it is left, and is poked when the
 * window becomes active again. An endpoint that turns ACTIVE or FAILED while the window is not
 * active sends a desktop notification, withdrawn when the window comes back.
 *
 * The Azure side: when Keylink holds the application's credentials (this session's
 * answers), each poll of Atlas is followed by one ARM read of the vault (never two at once),
 * and each row shows the state in Azure of the private endpoint connection whose name Atlas
 * gives (Pending, Approved, Rejected, Disconnected): "approved in Azure, waiting for
 * Atlas to notice" is told apart from "not approved yet". "Approve in Azure" makes the ARM PUT
 * with those credentials; a refusal says which role is missing, and the az command stays. */

/* How often "for 3 min" is brought up to date while the page is shown. */
#define TICK_SECONDS 20

#define DELETE_BLOCKED_CODE "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING"

struct _KlEndpointsPage
{
  KlPage               parent_instance;

  KlSession           *session;
  KlSetupAnswers      *answers;

  KlEndpointWatch     *watch;
  GtkSortListModel    *sorted_endpoints; /* the newest record of each region, by region name */
  KlSetupRunner       *runner;
  GCancellable        *cancellable;   /* the operations of the current watch */

  GListStore          *new_regions;   /* KlRegion: the regions to create endpoints in */
  GtkCustomFilter     *region_filter;
  GtkFilterListModel  *region_choices;

  GHashTable          *create_errors; /* region name → why its create failed */
  GHashTable          *notices;       /* endpoint id → what the last action on it said */
  GHashTable          *recreated;     /* region → what Atlas said of the record it replaced */
  GHashTable          *busy_ids;      /* endpoint ids with a delete or retry in flight */
  GHashTable          *notifications; /* ids of the desktop notifications sent */
  GHashTable          *declined;      /* regions the user took off the list or deleted here */
  GHashTable          *seen_regions;  /* regions with a record at the last poll */
  GHashTable          *first_sight;   /* endpoint ids whose status was there at the first poll */
  GCancellable        *create_cancellable; /* the creation in flight, cancelled when dropped */

  KlAzureClient       *azure_client;  /* the application's, from this session's answers */
  KlAzureVault        *azure_vault;   /* the vault as ARM read it last */
  char                *azure_error;   /* why the last read failed */
  GHashTable          *azure_approved; /* connection names approved here since that read */
  guint                azure_serial;  /* the read in flight, or none (bumped to forget it) */
  guint                azure_reading : 1;
  guint                azure_tried : 1;   /* a client was tried for the current answers */

  GtkWindow           *window;        /* the toplevel whose is-active is followed */
  char                *poll_error;
  guint                base_interval;
  guint                max_interval;
  guint                tick_id;
  guint                n_operations;
  guint                generation;    /* bumped when the operations in flight are dropped */
  guint                creating : 1;
  guint                defaults_chosen : 1;
  guint                loaded : 1;
  guint                is_shown : 1;
  guint                own_session : 1;   /* made here: no window decides what is hidden */

  /* Template widgets */
  GtkLabel            *summary_label;
  AdwPreferencesGroup *endpoints_group;
  GtkListBox          *endpoints_list;
  AdwPreferencesGroup *new_group;
  GtkMenuButton       *add_button;
  GtkListBox          *new_list;
  GtkButton           *finish_later_button;
  AdwPreferencesGroup *approval_group;
  KlCommandView       *approval_view;
  GtkLabel            *portal_label;
  GtkPopover          *add_popover;
  GtkSearchEntry      *region_search;
  GtkListBox          *region_list;
};

G_DEFINE_FINAL_TYPE (KlEndpointsPage, kl_endpoints_page, KL_TYPE_PAGE)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_state (KlEndpointsPage *self);

/* ---- What the project says ------------------------------------------------------------ */

static KlAzureKeyVault *
get_key_vault (KlEndpointsPage *self)
{
  KlEncryptionAtRest *ear;

  /* Before construction is over and after dispose, there is no session. */
  if (self->session == NULL)
    return NULL;

  ear = kl_session_get_encryption_at_rest (self->session);
  return ear != NULL ? kl_encryption_at_rest_get_azure_key_vault (ear) : NULL;
}

/* The server's value when it has one, else the answer given on the Key Vault page. */
static const char *
get_resource_group (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = akv != NULL ? kl_azure_key_vault_get_resource_group_name (akv) : NULL;

  if ((value == NULL || value[0] == '\0') && self->answers != NULL)
    value = kl_setup_answers_get_resource_group (self->answers);
  return value;
}

static const char *
get_vault_name (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = akv != NULL ? kl_azure_key_vault_get_key_vault_name (akv) : NULL;

  if ((value == NULL || value[0] == '\0') && self->answers != NULL)
    value = kl_setup_answers_get_key_vault_name (self->answers);
  return value;
}

static const char *
get_subscription_id (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = akv != NULL ? kl_azure_key_vault_get_subscription_id (akv) : NULL;

  if ((value == NULL || value[0] == '\0') && self->answers != NULL)
    value = kl_setup_answers_get_subscription_id (self->answers);
  return value;
}

static const char *
get_environment (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = akv != NULL ? kl_azure_key_vault_get_azure_environment (akv) : NULL;

  if ((value == NULL || value[0] == '\0') && self->answers != NULL)
    value = kl_setup_answers_get_azure_environment (self->answers);
  return value != NULL && value[0] != '\0' ? value : "AZURE";
}

static void
add_toast (KlEndpointsPage *self,
           const char      *text)
{
  kl_context_add_toast (kl_page_get_context (KL_PAGE (self)), text);
}

/* ---- The Azure side ------------------------------------------------------------------- */

/* The application whose secret this session holds: the IDs typed with it first (they go
 * together), else what Atlas was given. */
static const char *
get_tenant_id (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = self->answers != NULL ? kl_setup_answers_get_tenant_id (self->answers)
                                            : NULL;

  if ((value == NULL || value[0] == '\0') && akv != NULL)
    value = kl_azure_key_vault_get_tenant_id (akv);
  return value;
}

static const char *
get_client_id (KlEndpointsPage *self)
{
  KlAzureKeyVault *akv = get_key_vault (self);
  const char *value = self->answers != NULL ? kl_setup_answers_get_client_id (self->answers)
                                            : NULL;

  if ((value == NULL || value[0] == '\0') && akv != NULL)
    value = kl_azure_key_vault_get_client_id (akv);
  return value;
}

/* Forgets the client and what it read: the credentials or the project changed. */
static void
forget_azure (KlEndpointsPage *self)
{
  g_clear_object (&self->azure_client);
  g_clear_pointer (&self->azure_vault, kl_azure_vault_unref);
  g_clear_pointer (&self->azure_error, g_free);
  if (self->azure_approved != NULL)
    g_hash_table_remove_all (self->azure_approved);
  self->azure_serial++;
  self->azure_reading = FALSE;
  self->azure_tried = FALSE;
}

/* The application's client, when this session holds its secret (Atlas never gives it back). */
static KlAzureClient *
ensure_azure_client (KlEndpointsPage *self)
{
  const char *secret = self->answers != NULL ? kl_setup_answers_get_client_secret (self->answers)
                                             : NULL;
  KlAzureCloud cloud = KL_AZURE_CLOUD_PUBLIC;
  g_autoptr(GError) error = NULL;

  if (self->azure_client != NULL || self->azure_tried)
    return self->azure_client;

  if (secret == NULL || secret[0] == '\0' || get_tenant_id (self) == NULL ||
      get_client_id (self) == NULL || get_vault_name (self) == NULL ||
      get_resource_group (self) == NULL || get_subscription_id (self) == NULL)
    return NULL;

  self->azure_tried = TRUE;
  kl_azure_cloud_from_environment (get_environment (self), &cloud);
  self->azure_client = kl_context_create_azure_client (kl_page_get_context (KL_PAGE (self)),
                                                       cloud, get_tenant_id (self),
                                                       get_client_id (self), secret, &error);
  if (self->azure_client == NULL)
    g_debug ("No Azure client for the endpoints: %s", error->message);
  return self->azure_client;
}

static void refresh_endpoint_rows (KlEndpointsPage *self);

typedef struct
{
  KlEndpointsPage *page;
  guint            serial;
} AzureRead;

static void
read_vault_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AzureRead *read = user_data;
  g_autoptr(KlEndpointsPage) self = read->page;
  g_autoptr(KlAzureVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  guint serial = read->serial;

  g_free (read);
  vault = kl_azure_client_get_vault_finish (KL_AZURE_CLIENT (object), result, &error);
  if (serial != self->azure_serial)
    return;

  self->azure_reading = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->azure_error, g_free);
  if (vault != NULL)
    {
      g_clear_pointer (&self->azure_vault, kl_azure_vault_unref);
      self->azure_vault = g_steal_pointer (&vault);
      g_hash_table_remove_all (self->azure_approved);
    }
  else
    {
      g_debug ("Reading the vault in Azure failed: %s", error->message);
      self->azure_error = g_strdup (error->message);
    }

  refresh_endpoint_rows (self);
}

/* One read of the vault per poll at most: none while one is in flight. */
static void
refresh_azure (KlEndpointsPage *self)
{
  GListModel *model = self->watch != NULL ? kl_endpoint_watch_get_region_model (self->watch)
                                          : NULL;
  KlAzureClient *client;
  AzureRead *read;

  if (self->azure_reading || model == NULL || g_list_model_get_n_items (model) == 0)
    return;

  client = ensure_azure_client (self);
  if (client == NULL)
    return;

  read = g_new0 (AzureRead, 1);
  read->page = g_object_ref (self);
  read->serial = ++self->azure_serial;
  self->azure_reading = TRUE;
  kl_azure_client_get_vault_async (client, get_subscription_id (self), get_resource_group (self),
                                   get_vault_name (self), self->cancellable, read_vault_cb,
                                   read);
}

/* The Azure state of @endpoint's connection for its row. */
static void
configure_row_azure (KlEndpointsPage   *self,
                     KlEndpointRow     *row,
                     KlPrivateEndpoint *endpoint)
{
  const char *name = kl_private_endpoint_get_private_endpoint_connection_name (endpoint);
  KlAzureConnection *connection = NULL;
  const char *status = NULL;
  gboolean read = self->azure_client != NULL && (self->azure_vault != NULL ||
                                                 self->azure_error != NULL);

  if (name != NULL && g_hash_table_contains (self->azure_approved, name))
    status = "Approved";
  else if (name != NULL && self->azure_vault != NULL)
    {
      connection = kl_azure_vault_find_connection (self->azure_vault, name);
      status = connection != NULL ? connection->status : NULL;
    }

  kl_endpoint_row_set_azure (row, read && name != NULL, status,
                             self->azure_vault == NULL ? self->azure_error : NULL,
                             self->azure_client != NULL);
}

static void
set_busy (KlEndpointsPage *self,
          guint            n_operations)
{
  gboolean was_busy = self->n_operations > 0;

  self->n_operations = n_operations;
  if (was_busy != (n_operations > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- Approval in Azure ----------------------------------------------------------------- */

/* Whether the vault's connection of this name is approved, as last read or approved here. */
static gboolean
is_approved_in_azure (KlEndpointsPage *self,
                      const char      *name)
{
  KlAzureConnection *connection;

  if (g_hash_table_contains (self->azure_approved, name))
    return TRUE;
  if (self->azure_vault == NULL)
    return FALSE;

  connection = kl_azure_vault_find_connection (self->azure_vault, name);
  return connection != NULL && connection->status != NULL &&
         g_ascii_strcasecmp (connection->status, "Approved") == 0;
}

/* The connections that wait for approval, by region: one command approves them all, and the
 * portal path is said once (HACKING.md, Approving in Azure). */
static void
update_approval (KlEndpointsPage *self)
{
  GListModel *model = self->sorted_endpoints != NULL ? G_LIST_MODEL (self->sorted_endpoints)
                                                     : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) pending = NULL;
  g_autofree char *command = NULL;
  g_autofree char *description = NULL;
  g_autofree char *portal = NULL;
  const char *vault = get_vault_name (self);
  guint n;

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);
      const char *name = kl_private_endpoint_get_private_endpoint_connection_name (endpoint);

      if (kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE ||
          name == NULL || name[0] == '\0' || g_hash_table_contains (names, name) ||
          is_approved_in_azure (self, name))
        continue;

      g_hash_table_add (names, (gpointer) name);
      g_strv_builder_add (builder, name);
    }
  pending = g_strv_builder_end (builder);
  n = g_strv_length (pending);

  command = kl_endpoint_build_approvals_command (get_environment (self),
                                                 get_subscription_id (self),
                                                 get_resource_group (self), vault,
                                                 (const char * const *) pending);
  kl_command_view_set_command (self->approval_view, command);
  gtk_widget_set_visible (GTK_WIDGET (self->approval_view), command != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->approval_group), n > 0);

  description = g_strdup_printf (ngettext ("One connection waits for approval on the key vault. "
                                           "Approve it in a terminal where the Azure CLI is "
                                           "signed in:",
                                           "%u connections wait for approval on the key vault. "
                                           "Approve them with one command, in a terminal where "
                                           "the Azure CLI is signed in:",
                                           n),
                                 n);
  adw_preferences_group_set_description (self->approval_group, description);

  /* Translators: the steps in the Azure portal; %s is the key vault's name */
  portal = g_strdup_printf (_("Or in the Azure portal: Key vaults → %s → Settings → Networking → "
                              "Private endpoint connections → select each Pending connection "
                              "named below → Approve."),
                            vault != NULL ? vault : _("your key vault"));
  gtk_label_set_label (self->portal_label, portal);
}

/**
 * kl_endpoints_page_get_approval_command:
 *
 * Returns: (nullable): the command that approves every connection waiting for approval
 */
const char *
kl_endpoints_page_get_approval_command (KlEndpointsPage *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->approval_group))
         ? kl_command_view_get_command (self->approval_view) : NULL;
}

/**
 * kl_endpoints_page_get_approval_view:
 *
 * Returns: (transfer none): the view of that command
 */
KlCommandView *
kl_endpoints_page_get_approval_view (KlEndpointsPage *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), NULL);

  return self->approval_view;
}

static void
command_copied_cb (KlEndpointsPage *self)
{
  /* Translators: a toast after a command was copied to the clipboard */
  add_toast (self, _("Copied"));
}

/* ---- Rows ------------------------------------------------------------------------------ */

static void
configure_row (KlEndpointsPage *self,
               KlEndpointRow   *row)
{
  KlPrivateEndpoint *endpoint = kl_endpoint_row_get_endpoint (row);
  const char *id = kl_private_endpoint_get_id (endpoint);
  const char *region = kl_private_endpoint_get_region_name (endpoint);
  const char *replaced = region != NULL ? g_hash_table_lookup (self->recreated, region) : NULL;
  const char *notice = id != NULL ? g_hash_table_lookup (self->notices, id) : NULL;
  g_autofree char *replaced_notice = NULL;
  gboolean waiting =
    kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE;

  /* What Atlas said of the old record of a recreated region ("private endpoint was
   * rejected"), until the region's new record is ACTIVE; what the last action said wins. */
  if (notice == NULL && replaced != NULL &&
      kl_private_endpoint_get_status (endpoint) != KL_ENDPOINT_STATUS_ACTIVE)
    /* Translators: %s is what Atlas says of an endpoint it replaced, in English, e.g.
     * “private endpoint was rejected” */
    notice = replaced_notice = g_strdup_printf (_("Previous connection: %s"), replaced);

  kl_endpoint_row_set_approval_target (row, get_environment (self), get_subscription_id (self),
                                       get_resource_group (self), get_vault_name (self));
  if (self->watch != NULL && id != NULL)
    kl_endpoint_row_set_status_since (row, kl_endpoint_watch_get_status_since (self->watch, id));
  kl_endpoint_row_set_status_start_seen (row, id != NULL &&
                                              !g_hash_table_contains (self->first_sight, id));
  kl_endpoint_row_set_demo (row, kl_context_get_demo (kl_page_get_context (KL_PAGE (self))));
  kl_endpoint_row_set_recreated (row, waiting && replaced != NULL);
  kl_endpoint_row_set_busy (row, id != NULL && g_hash_table_contains (self->busy_ids, id));
  kl_endpoint_row_set_notice (row, notice);
  configure_row_azure (self, row, endpoint);
}

static GtkWidget *
create_endpoint_row (gpointer item,
                     gpointer user_data)
{
  KlEndpointsPage *self = user_data;
  GtkWidget *row = kl_endpoint_row_new (KL_PRIVATE_ENDPOINT (item));

  g_signal_connect_object (kl_endpoint_row_get_command_view (KL_ENDPOINT_ROW (row)), "copied",
                           G_CALLBACK (command_copied_cb), self, G_CONNECT_SWAPPED);
  configure_row (self, KL_ENDPOINT_ROW (row));
  return row;
}

static void
refresh_endpoint_rows (KlEndpointsPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->endpoints_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (KL_IS_ENDPOINT_ROW (child))
      configure_row (self, KL_ENDPOINT_ROW (child));
  update_approval (self);
}

static KlEndpointRow *
find_endpoint_row (KlEndpointsPage *self,
                   const char      *endpoint_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->endpoints_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      KlPrivateEndpoint *endpoint;

      if (!KL_IS_ENDPOINT_ROW (child))
        continue;
      endpoint = kl_endpoint_row_get_endpoint (KL_ENDPOINT_ROW (child));
      if (g_strcmp0 (kl_private_endpoint_get_id (endpoint), endpoint_id) == 0)
        return KL_ENDPOINT_ROW (child);
    }

  return NULL;
}

static void
set_notice (KlEndpointsPage *self,
            const char      *endpoint_id,
            const char      *notice)
{
  if (notice != NULL)
    g_hash_table_replace (self->notices, g_strdup (endpoint_id), g_strdup (notice));
  else
    g_hash_table_remove (self->notices, endpoint_id);
}

static GtkWidget *
create_new_region_row (gpointer item,
                       gpointer user_data)
{
  KlEndpointsPage *self = user_data;
  KlRegion *region = KL_REGION (item);
  const char *error = g_hash_table_lookup (self->create_errors, kl_region_get_name (region));
  g_autofree char *label = NULL;
  GtkWidget *row;
  GtkWidget *suffix;

  /* Named by its title label alone: an accessible label too would say it twice. */
  row = kl_page_util_plain_row_new (kl_region_get_title (region), NULL);

  if (self->creating)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Creating…"));
      suffix = g_object_new (GTK_TYPE_SPINNER, "spinning", TRUE, "valign", GTK_ALIGN_CENTER, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (suffix),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Creating"), -1);
    }
  else
    {
      if (error != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error);
      else if (!kl_region_get_known (region))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     _("Not created yet. Keylink does not know this region: "
                                       "Atlas names it for one of your clusters, and the "
                                       "endpoint is created there all the same."));
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not created yet"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

      label = g_strdup_printf (_("Remove %s from the new endpoints"), kl_region_get_title (region));
      suffix = g_object_new (GTK_TYPE_BUTTON,
                             "icon-name", "list-remove-symbolic",
                             "valign", GTK_ALIGN_CENTER,
                             "tooltip-text", label,
                             "action-name", "endpoints.remove-region",
                             NULL);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (suffix), "s", kl_region_get_name (region));
      gtk_widget_add_css_class (suffix, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (suffix),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);

  return row;
}

static void
refresh_new_region_rows (KlEndpointsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->new_regions));

  /* Rebuilds the rows (a handful) with the current state. */
  g_list_model_items_changed (G_LIST_MODEL (self->new_regions), 0, n, n);
}

static void
region_choice_activated_cb (AdwActionRow    *row,
                            KlEndpointsPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "kl-region-name");

  gtk_popover_popdown (self->add_popover);
  kl_endpoints_page_add_region (self, name);
}

static GtkWidget *
create_region_choice_row (gpointer item,
                          gpointer user_data)
{
  KlEndpointsPage *self = user_data;
  KlRegion *region = KL_REGION (item);
  GtkWidget *row;

  row = kl_page_util_plain_row_new (kl_region_get_display_name (region),
                                    kl_region_get_name (region));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kl_region_get_title (region),
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "kl-region-name",
                          g_strdup (kl_region_get_name (region)), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (region_choice_activated_cb), self, 0);

  return row;
}

static gboolean
is_new_region (KlEndpointsPage *self,
               const char      *name,
               guint           *position)
{
  GListModel *model = G_LIST_MODEL (self->new_regions);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlRegion) region = g_list_model_get_item (model, i);

      if (g_str_equal (kl_region_get_name (region), name))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
has_endpoint (KlEndpointsPage *self,
              const char      *region_name)
{
  return self->watch != NULL &&
         kl_endpoint_watch_lookup_region (self->watch, region_name) != NULL;
}

static gboolean
region_filter_func (gpointer item,
                    gpointer user_data)
{
  KlEndpointsPage *self = user_data;
  KlRegion *region = KL_REGION (item);
  const char *name = kl_region_get_name (region);

  return g_str_equal (kl_region_get_environment (region), get_environment (self)) &&
         kl_region_matches (region, gtk_editable_get_text (GTK_EDITABLE (self->region_search))) &&
         !is_new_region (self, name, NULL) &&
         !has_endpoint (self, name);
}

static void
refilter_regions (KlEndpointsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->region_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
region_search_changed_cb (KlEndpointsPage *self)
{
  refilter_regions (self);
}

/* Enter in the search adds the first match. */
static void
region_search_activate_cb (KlEndpointsPage *self)
{
  g_autoptr(KlRegion) region = g_list_model_get_item (G_LIST_MODEL (self->region_choices), 0);

  if (region == NULL)
    return;

  gtk_popover_popdown (self->add_popover);
  kl_endpoints_page_add_region (self, kl_region_get_name (region));
}

static void
add_popover_show_cb (KlEndpointsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->region_search), "");
  refilter_regions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->region_search));
}

/* ---- Desktop notifications ------------------------------------------------------------- */

static void
withdraw_notifications (KlEndpointsPage *self)
{
  GApplication *app = g_application_get_default ();
  GHashTableIter iter;
  const char *id;

  if (self->window != NULL && gtk_window_get_application (self->window) != NULL)
    app = G_APPLICATION (gtk_window_get_application (self->window));

  g_hash_table_iter_init (&iter, self->notifications);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (app != NULL)
      g_application_withdraw_notification (app, id);
  g_hash_table_remove_all (self->notifications);
}

static void
notify_status (KlEndpointsPage   *self,
               KlPrivateEndpoint *endpoint)
{
  KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);
  g_autofree char *region = kl_regions_dup_title (kl_private_endpoint_get_region_name (endpoint));
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *shown_body = NULL;
  const char *body;
  GApplication *app = NULL;

  /* Only when the user is not looking at Keylink. */
  if (self->window == NULL || gtk_window_is_active (self->window))
    return;

  if (gtk_window_get_application (self->window) != NULL)
    app = G_APPLICATION (gtk_window_get_application (self->window));
  else
    app = g_application_get_default ();
  if (app == NULL || !g_application_get_is_registered (app))
    return;

  if (status == KL_ENDPOINT_STATUS_ACTIVE)
    {
      /* Translators: %s is a region such as "East US 2 (US_EAST_2)" */
      title = g_strdup_printf (_("Endpoint active in %s"), region);
      body = _("Atlas now reaches the key vault privately in this region.");
    }
  else
    {
      /* Translators: %s is a region such as "East US 2 (US_EAST_2)" */
      title = g_strdup_printf (_("Endpoint failed in %s"), region);
      body = kl_private_endpoint_get_error_message (endpoint);
      if (body == NULL || body[0] == '\0')
        body = _("Open Keylink to see why and to retry it.");
    }

  notification = g_notification_new (title);
  shown_body = kl_server_text_dup_plain (body, KL_SERVER_TEXT_SHORT_CHARS);
  g_notification_set_body (notification, shown_body);
  id = g_strdup_printf ("endpoint-%s", kl_private_endpoint_get_id (endpoint));
  g_application_send_notification (app, id, notification);
  g_hash_table_add (self->notifications, g_steal_pointer (&id));
}

static void
window_active_cb (KlEndpointsPage *self)
{
  if (self->window == NULL || !gtk_window_is_active (self->window))
    return;

  withdraw_notifications (self);

  /* Back from elsewhere: look again at once. */
  if (self->is_shown && self->watch != NULL)
    kl_endpoint_watch_poke (self->watch);
}

/* ---- The watch ------------------------------------------------------------------------- */

static void
choose_default_regions (KlEndpointsPage *self)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  GListModel *model = kl_endpoint_watch_get_model (self->watch);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KlPlan) fresh = NULL;
  g_auto(GStrv) cluster_regions = NULL;
  g_auto(GStrv) missing = NULL;

  self->defaults_chosen = TRUE;
  if (plan == NULL)
    return;

  /* The regions of the clusters, less those the list just read has an endpoint for. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (endpoints, g_list_model_get_item (model, i));
  fresh = kl_plan_new (kl_session_get_encryption_at_rest (self->session), endpoints,
                       kl_session_get_clusters (self->session));
  cluster_regions = kl_plan_dup_cluster_regions (plan);
  missing = kl_plan_dup_missing_regions (fresh, (const char * const *) cluster_regions);

  for (guint i = 0; missing != NULL && missing[i] != NULL; i++)
    if (!g_hash_table_contains (self->declined, missing[i]) &&
        !is_new_region (self, missing[i], NULL) &&
        !kl_endpoints_page_add_region (self, missing[i]))
      g_debug ("Region %s of a cluster is not offered for endpoints", missing[i]);
}

/* A region whose old record Atlas replaced (rejected or removed in Azure) is remembered with
 * what Atlas said of it, after the old record has gone, until its new record is ACTIVE. */
static void
track_recreated (KlEndpointsPage *self)
{
  GListModel *regions = kl_endpoint_watch_get_region_model (self->watch);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (regions, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);
      KlPrivateEndpoint *old;

      if (region == NULL)
        continue;
      g_hash_table_add (present, (gpointer) region);
      old = kl_endpoint_watch_lookup_superseded (self->watch, endpoint);
      if (old != NULL)
        g_hash_table_replace (self->recreated, g_strdup (region),
                              g_strdup (kl_private_endpoint_get_error_message (old)));
      else if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_ACTIVE)
        g_hash_table_remove (self->recreated, region);
    }

  g_hash_table_iter_init (&iter, self->recreated);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
}

/* Every poll re-plans from the server: a region of a cluster whose endpoint vanished (deleted
 * elsewhere, or lost by Atlas) is proposed again, unless the user took it off; and a vanished
 * record has the project read again, which tells whether the key was turned off elsewhere. */
static void
replan_from_server (KlEndpointsPage *self)
{
  GListModel *model = kl_endpoint_watch_get_model (self->watch);
  g_autoptr(GHashTable) now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer region;
  gboolean vanished = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);
      const char *name = kl_private_endpoint_get_region_name (endpoint);

      if (name != NULL)
        g_hash_table_add (now, g_strdup (name));
    }

  g_hash_table_iter_init (&iter, self->seen_regions);
  while (g_hash_table_iter_next (&iter, &region, NULL))
    if (!g_hash_table_contains (now, region) && !g_hash_table_contains (self->declined, region))
      {
        g_debug ("The endpoint in %s is gone, and Keylink did not delete it", (char *) region);
        vanished = TRUE;
      }

  g_hash_table_remove_all (self->seen_regions);
  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &region, NULL))
    g_hash_table_add (self->seen_regions, g_strdup (region));

  if (vanished && kl_session_get_project (self->session) != NULL)
    kl_session_refresh_async (self->session, self->cancellable, NULL, NULL);

  if (!self->creating && self->n_operations == 0)
    choose_default_regions (self);
}

/* The endpoints in the first list: how long they had been in their status, Keylink cannot know
 * (only since when it has seen them so), until it sees the status change. */
static void
note_first_sight (KlEndpointsPage *self)
{
  GListModel *model = kl_endpoint_watch_get_model (self->watch);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);
      const char *id = kl_private_endpoint_get_id (endpoint);

      if (id != NULL)
        g_hash_table_add (self->first_sight, g_strdup (id));
    }
}

static void
watch_updated_cb (KlEndpointsPage *self)
{
  if (!self->loaded)
    note_first_sight (self);
  self->loaded = TRUE;
  track_recreated (self);
  g_clear_pointer (&self->poll_error, g_free);

  if (!self->defaults_chosen)
    choose_default_regions (self);
  else
    replan_from_server (self);

  refresh_endpoint_rows (self);
  refilter_regions (self);
  update_state (self);
  refresh_azure (self);
}

static void
watch_error_cb (KlEndpointsPage *self,
                const GError    *error)
{
  g_free (self->poll_error);
  self->poll_error = g_strdup (error->message);
  update_state (self);
}

static void
watch_status_changed_cb (KlEndpointsPage   *self,
                         KlPrivateEndpoint *endpoint,
                         KlEndpointStatus   old_status)
{
  KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);
  const char *id = kl_private_endpoint_get_id (endpoint);

  if (id == NULL)
    return;

  /* Rejected or removed in Azure: the region's new record says so (track_recreated()). */
  track_recreated (self);

  /* What the last action said is about the old status. */
  set_notice (self, id, NULL);
  /* Seen to begin: how long it has lasted is known now. */
  g_hash_table_remove (self->first_sight, id);

  if (status == KL_ENDPOINT_STATUS_ACTIVE || status == KL_ENDPOINT_STATUS_FAILED)
    notify_status (self, endpoint);

  refresh_endpoint_rows (self);
  update_state (self);
}

static void
watch_endpoint_removed_cb (KlEndpointsPage   *self,
                           KlPrivateEndpoint *endpoint)
{
  const char *id = kl_private_endpoint_get_id (endpoint);

  if (id == NULL)
    return;

  g_hash_table_remove (self->notices, id);
  g_hash_table_remove (self->first_sight, id);
  refilter_regions (self);
}

static void
model_items_changed_cb (KlEndpointsPage *self)
{
  update_state (self);
}

/* Cancels what is in flight; their late answers are ignored. */
static void
drop_operations (KlEndpointsPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->create_cancellable != NULL)
    g_cancellable_cancel (self->create_cancellable);
  g_clear_object (&self->create_cancellable);
  self->generation++;
  self->creating = FALSE;
  if (self->busy_ids != NULL)
    g_hash_table_remove_all (self->busy_ids);
  set_busy (self, 0);
}

static void
drop_watch (KlEndpointsPage *self)
{
  drop_operations (self);
  g_clear_object (&self->cancellable);

  if (self->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watch, self);
      g_signal_handlers_disconnect_by_data (kl_endpoint_watch_get_region_model (self->watch),
                                            self);
      kl_endpoint_watch_stop (self->watch);
    }
  if (self->endpoints_list != NULL)
    gtk_list_box_bind_model (self->endpoints_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->sorted_endpoints);
  g_clear_object (&self->runner);
  g_clear_object (&self->watch);

  if (self->new_regions != NULL)
    g_list_store_remove_all (self->new_regions);
  if (self->create_errors != NULL)
    {
      g_hash_table_remove_all (self->create_errors);
      g_hash_table_remove_all (self->notices);
      g_hash_table_remove_all (self->recreated);
    }
  g_clear_pointer (&self->poll_error, g_free);
  forget_azure (self);
  if (self->declined != NULL)
    g_hash_table_remove_all (self->declined);
  if (self->seen_regions != NULL)
    g_hash_table_remove_all (self->seen_regions);
  if (self->first_sight != NULL)
    g_hash_table_remove_all (self->first_sight);
  self->defaults_chosen = FALSE;
  self->loaded = FALSE;
}

static int
compare_endpoints (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  g_autofree char *title_a =
    kl_regions_dup_title (kl_private_endpoint_get_region_name ((KlPrivateEndpoint *) a));
  g_autofree char *title_b =
    kl_regions_dup_title (kl_private_endpoint_get_region_name ((KlPrivateEndpoint *) b));

  return g_utf8_collate (title_a, title_b);
}

/* The watch follows the session's project; a new project or client gets a new watch. */
static void
ensure_watch (KlEndpointsPage *self)
{
  KlAtlasClient *client = kl_session_get_client (self->session);
  const char *group_id = kl_session_get_group_id (self->session);
  GListModel *model;

  if (self->watch != NULL &&
      kl_endpoint_watch_get_client (self->watch) == client &&
      g_strcmp0 (kl_endpoint_watch_get_group_id (self->watch), group_id) == 0)
    return;

  drop_watch (self);
  if (client == NULL || group_id == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  self->watch = kl_endpoint_watch_new (client, group_id);
  /* Dropping the operations stops the watch's poll in flight too. */
  kl_watch_set_cancellable (KL_WATCH (self->watch), self->cancellable);
  kl_watch_set_intervals (KL_WATCH (self->watch), self->base_interval, self->max_interval);
  g_signal_connect_swapped (self->watch, "updated", G_CALLBACK (watch_updated_cb), self);
  g_signal_connect_swapped (self->watch, "error", G_CALLBACK (watch_error_cb), self);
  g_signal_connect_swapped (self->watch, "status-changed",
                            G_CALLBACK (watch_status_changed_cb), self);
  g_signal_connect_swapped (self->watch, "endpoint-removed",
                            G_CALLBACK (watch_endpoint_removed_cb), self);

  self->runner = kl_setup_runner_new (client, group_id);
  kl_setup_runner_set_endpoint_watch (self->runner, self->watch);

  /* One row per region, its newest record (a region whose endpoint Atlas recreated after a
   * rejection in Azure has two records for a while), by region so that rows stay in place. */
  model = kl_endpoint_watch_get_region_model (self->watch);
  self->sorted_endpoints =
    gtk_sort_list_model_new (g_object_ref (model),
                             GTK_SORTER (gtk_custom_sorter_new (compare_endpoints, NULL, NULL)));
  gtk_list_box_bind_model (self->endpoints_list, G_LIST_MODEL (self->sorted_endpoints),
                           create_endpoint_row, self, NULL);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
}

static void
start_watch (KlEndpointsPage *self)
{
  gboolean was_paused;

  ensure_watch (self);
  if (self->watch == NULL)
    return;

  was_paused = kl_watch_get_paused (KL_WATCH (self->watch));
  kl_endpoint_watch_resume (self->watch);
  if (!kl_endpoint_watch_get_running (self->watch))
    kl_endpoint_watch_start (self->watch);
  else if (!was_paused)
    kl_endpoint_watch_poke (self->watch);
}

/* The window hides the pages that do not apply to its session's project. A page with a
 * session of its own hides itself while that session has no project: nothing to show. */
static void
update_hidden (KlEndpointsPage *self)
{
  if (self->own_session)
    kl_page_set_hidden (KL_PAGE (self), kl_session_get_project (self->session) == NULL);
}

static void
session_changed_cb (KlEndpointsPage *self)
{
  update_hidden (self);

  /* Another project or client: another watch, started if the page is shown. A refresh of
   * the same project needs no extra poll. */
  ensure_watch (self);
  if (self->is_shown && self->watch != NULL && !kl_endpoint_watch_get_running (self->watch))
    kl_endpoint_watch_start (self->watch);

  refresh_endpoint_rows (self);
  refilter_regions (self);
  update_state (self);
}

/* ---- State ----------------------------------------------------------------------------- */

/* The regions of the clusters that use or will use the key with no endpoint in the list just
 * read, as
 * titles: each counts in the "all active" decision, known to Keylink's list or not. */
static GPtrArray *
dup_regions_without_endpoint (KlEndpointsPage *self)
{
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
  KlPlan *plan = self->session != NULL ? kl_session_get_plan (self->session) : NULL;
  g_auto(GStrv) regions = NULL;

  if (plan == NULL || self->watch == NULL || !self->loaded)
    return titles;

  regions = kl_plan_dup_key_regions (plan);
  for (guint i = 0; regions[i] != NULL; i++)
    if (!has_endpoint (self, regions[i]))
      g_ptr_array_add (titles, kl_regions_dup_title (regions[i]));

  return titles;
}

static void
update_state (KlEndpointsPage *self)
{
  GListModel *model = self->watch != NULL ? kl_endpoint_watch_get_region_model (self->watch)
                                          : NULL;
  guint n_endpoints = model != NULL ? g_list_model_get_n_items (model) : 0;
  guint n_new = g_list_model_get_n_items (G_LIST_MODEL (self->new_regions));
  gboolean runner_busy = self->runner != NULL && kl_setup_runner_get_busy (self->runner);
  guint n_active = 0;
  gboolean all_active;
  gboolean can_create;
  g_autofree char *summary = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  KlEncryptionAtRest *ear = self->session != NULL ? kl_session_get_encryption_at_rest (self->session)
                                                  : NULL;
  gboolean key_off = ear != NULL &&
                     !kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear));

  for (guint i = 0; i < n_endpoints; i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);

      if (kl_private_endpoint_get_status (endpoint) == KL_ENDPOINT_STATUS_ACTIVE)
        n_active++;
    }
  missing = dup_regions_without_endpoint (self);
  all_active = n_endpoints > 0 && n_active == n_endpoints && missing->len == 0;

  if (self->watch == NULL)
    summary = g_strdup (_("Keylink has not read a project yet. Sign in to Atlas and choose a "
                          "project first."));
  else if (self->poll_error != NULL)
    summary = g_strdup_printf (_("Keylink could not read the endpoints from Atlas: %s Keylink "
                                 "keeps trying."),
                               self->poll_error);
  else if (!self->loaded)
    summary = g_strdup (_("Reading the endpoints from Atlas…"));
  else if (key_off)
    summary = g_strdup (_("Encryption with your key is off for this project now: it was turned "
                          "off outside this page (in Atlas, by another tool, or a teardown). "
                          "Private endpoints serve only a key that is on: go back to the project "
                          "and set the key up again first."));
  else if (n_endpoints == 0)
    summary = g_strdup (_("This project has no endpoint yet. Check the regions below, then "
                          "create the endpoints."));
  else if (all_active)
    summary = g_strdup (_("Every endpoint is active: Atlas reaches the key vault privately in "
                          "each of these regions."));
  else if (n_active == n_endpoints)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (missing, NULL);
      /* Translators: joins region names in a list */
      names = g_strjoinv (_(", "), (char **) missing->pdata);
      /* Translators: %s lists regions, e.g. "CHILE_CENTRAL, East US 2 (US_EAST_2)" */
      summary = g_strdup_printf (_("Every endpoint is active, but a cluster also runs in %s, "
                                   "which has no endpoint yet. Create it below: until it is "
                                   "active, that cluster cannot reach the key privately."),
                                 names);
    }
  else
    /* Translators: the first %u is the number of active endpoints (which chooses the plural
     * form), the second all the project's endpoints */
    summary = g_strdup_printf (ngettext ("%u of %u endpoints is active. Keylink follows them "
                                         "live; you can also close it and come back later.",
                                         "%u of %u endpoints are active. Keylink follows them "
                                         "live; you can also close it and come back later.",
                                         n_active),
                               n_active, n_endpoints);
  gtk_label_set_label (self->summary_label, summary);

  gtk_widget_set_visible (GTK_WIDGET (self->endpoints_group), n_endpoints > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->watch != NULL && self->loaded);

  can_create = self->loaded && n_new > 0 && !runner_busy && !key_off;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "endpoints.create", can_create);
  /* Something to finish later only once Atlas has endpoints to work on. */
  gtk_widget_set_visible (GTK_WIDGET (self->finish_later_button), n_endpoints > 0 && !all_active);

  /* One primary action, the assistant's Next: “Create Endpoints” while there are regions to
   * create them in (the page's apply), then Next once every endpoint is active. */
  kl_page_set_next_label (KL_PAGE (self),
                          n_new > 0 || self->creating ? _("_Create Endpoints") : NULL);
  kl_page_set_needs_apply (KL_PAGE (self), n_new > 0 && !self->creating);
  if (n_new > 0 || self->creating)
    kl_page_set_complete (KL_PAGE (self), can_create);
  else
    kl_page_set_complete (KL_PAGE (self), all_active);

  update_approval (self);
}

/* ---- Actions --------------------------------------------------------------------------- */

typedef struct
{
  KlEndpointsPage *page;
  char            *endpoint_id;
  GTask           *task;        /* the page's apply, for the creation Next started */
  guint            generation;
} Operation;

static Operation *
operation_new (KlEndpointsPage *self,
               const char      *endpoint_id)
{
  Operation *op = g_new0 (Operation, 1);

  op->page = g_object_ref (self);
  op->endpoint_id = g_strdup (endpoint_id);
  op->generation = self->generation;
  set_busy (self, self->n_operations + 1);
  if (endpoint_id != NULL)
    g_hash_table_add (self->busy_ids, g_strdup (endpoint_id));
  return op;
}

/* Returns whether the page still cares: the operation was neither cancelled nor dropped
 * (another project, or the window went away). One cancelled by itself (Cancel in the action
 * bar) is no longer counted as busy. */
static gboolean
operation_end (Operation    *op,
               const GError *error)
{
  KlEndpointsPage *self = op->page;

  if (op->generation != self->generation)
    return FALSE;

  set_busy (self, self->n_operations - 1);
  if (op->endpoint_id != NULL)
    g_hash_table_remove (self->busy_ids, op->endpoint_id);
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
operation_free (Operation *op)
{
  /* An apply dropped with its page's operations still answers the assistant. */
  if (op->task != NULL)
    g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dropped");
  g_clear_object (&op->task);
  g_clear_object (&op->page);
  g_clear_pointer (&op->endpoint_id, g_free);
  g_free (op);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  KlEndpointsPage *self = op->page;
  KlSetupRunner *runner = KL_SETUP_RUNNER (object);
  g_autoptr(GError) error = NULL;
  GListModel *steps;

  kl_setup_runner_create_endpoints_finish (runner, result, &error);
  if (op->generation == self->generation)
    g_clear_object (&self->create_cancellable);
  if (!operation_end (op, error))
    {
      if (op->generation == self->generation)
        {
          /* Cancelled in the action bar: the regions stay, to create later. */
          self->creating = FALSE;
          refresh_new_region_rows (self);
          update_state (self);
        }
      return;
    }

  self->creating = FALSE;

  /* Created or found already there: no longer new. Failed: kept, with why. */
  steps = kl_setup_runner_get_steps (runner);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      const char *region = kl_step_get_target (step);
      guint position;

      if (kl_step_get_state (step) == KL_STEP_STATE_DONE ||
          kl_step_get_state (step) == KL_STEP_STATE_SKIPPED)
        {
          if (is_new_region (self, region, &position))
            g_list_store_remove (self->new_regions, position);
        }
      else if (kl_step_get_state (step) == KL_STEP_STATE_FAILED && kl_step_get_error (step) != NULL)
        {
          g_hash_table_replace (self->create_errors, g_strdup (region),
                                g_strdup (kl_step_get_error (step)->message));
        }
    }

  if (self->watch != NULL)
    kl_endpoint_watch_poke (self->watch);
  refresh_new_region_rows (self);
  refilter_regions (self);
  update_state (self);

  if (op->task != NULL)
    {
      /* The assistant shows why; created, the user stays to approve them
       * (stays_after_apply). */
      if (error != NULL)
        g_task_return_error (op->task, g_steal_pointer (&error));
      else
        g_task_return_boolean (op->task, TRUE);
      g_clear_object (&op->task);
    }
  else if (error != NULL)
    {
      kl_page_set_error (KL_PAGE (self), error->message);
    }
}

static void
cancel_cb (GCancellable *cancellable,
           gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Creates the endpoints of the new regions; @task, when set, is the page's apply. */
static gboolean
create_endpoints (KlEndpointsPage *self,
                  GCancellable    *cancellable,
                  GTask           *task)
{
  g_auto(GStrv) regions = kl_endpoints_page_dup_new_regions (self);
  Operation *op;

  if (self->runner == NULL || regions[0] == NULL || kl_setup_runner_get_busy (self->runner))
    return FALSE;

  g_hash_table_remove_all (self->create_errors);
  kl_page_set_error (KL_PAGE (self), NULL);
  self->creating = TRUE;

  /* Cancelled by Cancel in the action bar (the apply's) and with the page's operations. */
  g_clear_object (&self->create_cancellable);
  self->create_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb),
                           g_object_ref (self->create_cancellable), g_object_unref);

  /* All at once; the runner lists first and never POSTs for a region that has one. */
  op = operation_new (self, NULL);
  op->task = task != NULL ? g_object_ref (task) : NULL;
  kl_setup_runner_create_endpoints_async (self->runner, (const char * const *) regions,
                                          self->create_cancellable, create_cb, op);
  refresh_new_region_rows (self);
  update_state (self);
  return TRUE;
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  create_endpoints (KL_ENDPOINTS_PAGE (widget), NULL, NULL);
}

static void
remove_region_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  kl_endpoints_page_remove_region (KL_ENDPOINTS_PAGE (widget),
                                   g_variant_get_string (parameter, NULL));
}

/* The demo's stand-in for the Azure portal is the application's (it runs the simulator). */
static void
simulate (KlEndpointsPage *self,
          const char      *endpoint_id,
          gboolean         approve)
{
  if (!kl_context_get_demo (kl_page_get_context (KL_PAGE (self))) || self->watch == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self),
                              approve ? "app.demo-approve-endpoint" : "app.demo-reject-endpoint",
                              "(ss)", kl_endpoint_watch_get_group_id (self->watch), endpoint_id);
  kl_endpoint_watch_poke (self->watch);
}

static void
approve_simulated_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  simulate (KL_ENDPOINTS_PAGE (widget), g_variant_get_string (parameter, NULL), TRUE);
}

static void
reject_simulated_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  simulate (KL_ENDPOINTS_PAGE (widget), g_variant_get_string (parameter, NULL), FALSE);
}

static void
approve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  KlEndpointsPage *self = op->page;
  g_autoptr(KlAzureConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = kl_azure_client_approve_connection_finish (KL_AZURE_CLIENT (object), result,
                                                          &error);
  if (!operation_end (op, error))
    return;

  if (connection != NULL)
    {
      /* The row says it: approved in Azure, waiting for Atlas to notice. */
      g_hash_table_add (self->azure_approved, g_strdup (connection->name));
      /* Translators: a toast after Keylink approved a private endpoint connection */
      add_toast (self, _("Approved in Azure"));
      /* Atlas may notice at once: ask it now rather than at the next tick. */
      if (self->watch != NULL)
        kl_endpoint_watch_poke (self->watch);
    }
  else if (kl_error_get_http_status (error) == 403)
    {
      g_autofree char *notice = NULL;

      /* Translators: %s says which role the application lacks */
      notice = g_strdup_printf (_("%s The command above still works, where the Azure CLI is "
                                  "signed in as someone who may approve."),
                                error->message);
      set_notice (self, op->endpoint_id, notice);
    }
  else
    {
      set_notice (self, op->endpoint_id, error->message);
    }

  refresh_endpoint_rows (self);
}

static void
approve_azure_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  KlEndpointRow *row = find_endpoint_row (self, id);
  KlAzureClient *client = ensure_azure_client (self);
  const char *name;

  if (row == NULL || client == NULL || g_hash_table_contains (self->busy_ids, id))
    return;

  name = kl_private_endpoint_get_private_endpoint_connection_name (kl_endpoint_row_get_endpoint (row));
  if (name == NULL)
    return;

  set_notice (self, id, NULL);
  kl_azure_client_approve_connection_async (client, get_subscription_id (self),
                                            get_resource_group (self), get_vault_name (self),
                                            name, NULL, self->cancellable, approve_cb,
                                            operation_new (self, id));
  refresh_endpoint_rows (self);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  KlEndpointsPage *self = op->page;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_delete_private_endpoint_finish (KL_ATLAS_CLIENT (object), result, &error);
  if (!operation_end (op, error))
    return;

  if (g_strcmp0 (kl_error_get_atlas_code (error), DELETE_BLOCKED_CODE) == 0)
    {
      /* The server's reason, in words. */
      g_debug ("Delete refused: %s", error->message);
      set_notice (self, op->endpoint_id,
                  _("Atlas is still creating this endpoint; you can delete it once it leaves "
                    "Initiating."));
    }
  else if (error != NULL)
    {
      set_notice (self, op->endpoint_id, error->message);
    }
  else
    {
      set_notice (self, op->endpoint_id, NULL);
      if (self->watch != NULL)
        kl_endpoint_watch_poke (self->watch);
    }

  refresh_endpoint_rows (self);
  update_state (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    KlEndpointsPage  *self)
{
  const char *endpoint_id = g_object_get_data (G_OBJECT (dialog), "kl-endpoint-id");

  KlPrivateEndpoint *endpoint;

  if (g_strcmp0 (response, "delete") != 0 || self->watch == NULL)
    return;

  /* Deleted here on purpose: its region is not proposed again once it is gone. */
  endpoint = kl_endpoint_watch_lookup (self->watch, endpoint_id);
  if (endpoint != NULL && kl_private_endpoint_get_region_name (endpoint) != NULL)
    g_hash_table_add (self->declined, g_strdup (kl_private_endpoint_get_region_name (endpoint)));

  set_notice (self, endpoint_id, NULL);
  kl_atlas_client_delete_private_endpoint_async (kl_endpoint_watch_get_client (self->watch),
                                                 kl_endpoint_watch_get_group_id (self->watch),
                                                 endpoint_id, self->cancellable, delete_cb,
                                                 operation_new (self, endpoint_id));
  refresh_endpoint_rows (self);
  update_state (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (widget);
  const char *endpoint_id = g_variant_get_string (parameter, NULL);
  KlPrivateEndpoint *endpoint;
  g_autofree char *region = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->watch == NULL || g_hash_table_contains (self->busy_ids, endpoint_id))
    return;
  endpoint = kl_endpoint_watch_lookup (self->watch, endpoint_id);
  if (endpoint == NULL)
    return;

  region = kl_regions_dup_title (kl_private_endpoint_get_region_name (endpoint));
  /* Translators: %s is a region such as "East US 2 (US_EAST_2)" */
  heading = g_strdup_printf (_("Delete the Endpoint in %s?"), region);
  body = g_strdup_printf (_("Atlas stops reaching the key vault through %s. Clusters there "
                            "cannot use the key until the region has an active endpoint again."),
                          region);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "kl-endpoint-id", g_strdup (endpoint_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
retry_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  KlEndpointsPage *self = op->page;
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = kl_setup_runner_retry_endpoint_finish (KL_SETUP_RUNNER (object), result, &error);
  if (!operation_end (op, error))
    return;

  if (endpoint == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Retrying failed: %s"), error->message);

      if (find_endpoint_row (self, op->endpoint_id) != NULL)
        set_notice (self, op->endpoint_id, message);
      else
        kl_page_set_error (KL_PAGE (self), message);
    }

  refresh_endpoint_rows (self);
  update_state (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (widget);
  const char *endpoint_id = g_variant_get_string (parameter, NULL);
  KlPrivateEndpoint *endpoint;

  if (self->watch == NULL || g_hash_table_contains (self->busy_ids, endpoint_id))
    return;
  endpoint = kl_endpoint_watch_lookup (self->watch, endpoint_id);
  if (endpoint == NULL)
    return;

  if (kl_setup_runner_get_busy (self->runner))
    {
      set_notice (self, endpoint_id,
                  _("Keylink is still creating endpoints. Retry once that is done."));
      refresh_endpoint_rows (self);
      return;
    }

  /* Delete, wait until it is gone, create again. */
  set_notice (self, endpoint_id, NULL);
  kl_setup_runner_retry_endpoint_async (self->runner, endpoint, self->cancellable, retry_cb,
                                        operation_new (self, endpoint_id));
  refresh_endpoint_rows (self);
  update_state (self);
}

/* ---- KlPage ---------------------------------------------------------------------------- */

static gboolean
tick_cb (gpointer user_data)
{
  KlEndpointsPage *self = user_data;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->endpoints_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (KL_IS_ENDPOINT_ROW (child))
      kl_endpoint_row_update_time (KL_ENDPOINT_ROW (child));

  return G_SOURCE_CONTINUE;
}

static void
kl_endpoints_page_shown (KlPage *page)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (page);

  self->is_shown = TRUE;
  start_watch (self);

  if (self->tick_id == 0)
    {
      self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "KlEndpointsPage tick");
    }

  refresh_endpoint_rows (self);
  update_state (self);
}

/* Next while regions wait for their endpoints: create them. */
static void
kl_endpoints_page_apply_async (KlPage              *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kl_endpoints_page_apply_async);
  if (!create_endpoints (self, cancellable, task))
    g_task_return_boolean (task, TRUE);
}

static void
kl_endpoints_page_leave (KlPage *page)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (page);

  self->is_shown = FALSE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->watch != NULL)
    kl_endpoint_watch_pause (self->watch);
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
kl_endpoints_page_root (GtkWidget *widget)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (kl_endpoints_page_parent_class)->root (widget);

  /* Back in a window after being taken out of one: operations may run again. */
  if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      if (self->watch != NULL)
        kl_watch_set_cancellable (KL_WATCH (self->watch), self->cancellable);
    }

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      g_signal_connect_swapped (root, "notify::is-active", G_CALLBACK (window_active_cb), self);
    }
}

static void
kl_endpoints_page_unroot (GtkWidget *widget)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (widget);

  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->window, window_active_cb, self);
      withdraw_notifications (self);
      self->window = NULL;
    }

  /* The window is going away: so does everything in flight. */
  drop_operations (self);
  if (self->watch != NULL)
    kl_endpoint_watch_stop (self->watch);

  GTK_WIDGET_CLASS (kl_endpoints_page_parent_class)->unroot (widget);
}

/* Other credentials or another vault: Azure is read again with them at the next poll. */
static void
answers_changed_cb (KlEndpointsPage *self,
                    GParamSpec      *pspec)
{
  if (g_str_equal (pspec->name, "azure-environment") || g_str_equal (pspec->name, "tenant-id") ||
      g_str_equal (pspec->name, "client-id") || g_str_equal (pspec->name, "client-secret") ||
      g_str_equal (pspec->name, "has-client-secret") ||
      g_str_equal (pspec->name, "subscription-id") ||
      g_str_equal (pspec->name, "resource-group") || g_str_equal (pspec->name, "key-vault-name"))
    forget_azure (self);
}

static void
kl_endpoints_page_constructed (GObject *object)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (object);

  G_OBJECT_CLASS (kl_endpoints_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));
  g_set_object (&self->answers, kl_context_get_answers (kl_page_get_context (KL_PAGE (self))));
  g_signal_connect_object (kl_page_get_context (KL_PAGE (self)), "notify::demo",
                           G_CALLBACK (refresh_endpoint_rows), self, G_CONNECT_SWAPPED);

  if (self->session == NULL)
    {
      self->session = kl_session_new ();
      self->own_session = TRUE;
    }

  g_signal_connect_swapped (self->session, "notify::client",
                            G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::project",
                            G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::plan",
                            G_CALLBACK (session_changed_cb), self);
  if (self->answers != NULL)
    {
      g_signal_connect_swapped (self->answers, "notify", G_CALLBACK (answers_changed_cb), self);
      g_signal_connect_swapped (self->answers, "notify", G_CALLBACK (refresh_endpoint_rows), self);
    }

  update_hidden (self);
  ensure_watch (self);
  update_state (self);
}

static void
kl_endpoints_page_dispose (GObject *object)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  drop_watch (self);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->answers != NULL)
    g_signal_handlers_disconnect_by_data (self->answers, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_ENDPOINTS_PAGE);

  g_clear_object (&self->region_choices);
  g_clear_object (&self->region_filter);
  g_clear_object (&self->new_regions);
  g_clear_object (&self->session);
  g_clear_object (&self->answers);

  G_OBJECT_CLASS (kl_endpoints_page_parent_class)->dispose (object);
}

static void
kl_endpoints_page_finalize (GObject *object)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (object);

  g_clear_pointer (&self->create_errors, g_hash_table_unref);
  g_clear_pointer (&self->notices, g_hash_table_unref);
  g_clear_pointer (&self->recreated, g_hash_table_unref);
  g_clear_pointer (&self->declined, g_hash_table_unref);
  g_clear_pointer (&self->seen_regions, g_hash_table_unref);
  g_clear_pointer (&self->first_sight, g_hash_table_unref);
  g_clear_pointer (&self->busy_ids, g_hash_table_unref);
  g_clear_pointer (&self->notifications, g_hash_table_unref);
  g_clear_pointer (&self->poll_error, g_free);
  g_clear_pointer (&self->azure_approved, g_hash_table_unref);

  G_OBJECT_CLASS (kl_endpoints_page_parent_class)->finalize (object);
}

static void
kl_endpoints_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlEndpointsPage *self = KL_ENDPOINTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, kl_endpoints_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_endpoints_page_class_init (KlEndpointsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_endpoints_page_constructed;
  object_class->dispose = kl_endpoints_page_dispose;
  object_class->finalize = kl_endpoints_page_finalize;
  object_class->get_property = kl_endpoints_page_get_property;

  widget_class->root = kl_endpoints_page_root;
  widget_class->unroot = kl_endpoints_page_unroot;

  page_class->page_id = KL_PAGE_ENDPOINTS;
  page_class->help_id = "endpoints";
  page_class->shown = kl_endpoints_page_shown;
  page_class->leave = kl_endpoints_page_leave;
  page_class->apply_async = kl_endpoints_page_apply_async;
  page_class->stays_after_apply = TRUE;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_COMMAND_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/endpoints/kl-endpoints-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, endpoints_group);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, endpoints_list);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, new_group);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, new_list);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, finish_later_button);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, approval_group);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, approval_view);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, portal_label);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, add_popover);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, region_search);
  gtk_widget_class_bind_template_child (widget_class, KlEndpointsPage, region_list);
  gtk_widget_class_bind_template_callback (widget_class, region_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, region_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "endpoints.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "endpoints.remove-region", "s",
                                   remove_region_action);
  gtk_widget_class_install_action (widget_class, "endpoints.approve-simulated", "s",
                                   approve_simulated_action);
  gtk_widget_class_install_action (widget_class, "endpoints.reject-simulated", "s",
                                   reject_simulated_action);
  gtk_widget_class_install_action (widget_class, "endpoints.approve-azure", "s",
                                   approve_azure_action);
  gtk_widget_class_install_action (widget_class, "endpoints.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "endpoints.retry", "s", retry_action);
}

static void
kl_endpoints_page_init (KlEndpointsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Named by the text they show, once, without the mnemonic. */
  kl_a11y_name_button_by_text (self->finish_later_button);
  kl_command_view_set_copy_label (self->approval_view, _("Copy approval command"));
  g_signal_connect_object (self->approval_view, "copied", G_CALLBACK (command_copied_cb), self,
                           G_CONNECT_SWAPPED);

  self->base_interval = KL_WATCH_DEFAULT_BASE_INTERVAL;
  self->max_interval = KL_WATCH_DEFAULT_MAX_INTERVAL;
  self->create_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->notices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->recreated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->busy_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->notifications = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->declined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->first_sight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->azure_approved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->new_regions = g_list_store_new (KL_TYPE_REGION);
  gtk_list_box_bind_model (self->new_list, G_LIST_MODEL (self->new_regions),
                           create_new_region_row, self, NULL);

  self->region_filter = gtk_custom_filter_new (region_filter_func, self, NULL);
  self->region_choices =
    gtk_filter_list_model_new (g_object_ref (kl_regions_get_default ()),
                               g_object_ref (GTK_FILTER (self->region_filter)));
  gtk_list_box_bind_model (self->region_list, G_LIST_MODEL (self->region_choices),
                           create_region_choice_row, self, NULL);
}

KlPage *
kl_prepare_endpoints_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_ENDPOINTS_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_endpoints_page_get_session:
 *
 * Returns: (transfer none): the session whose project the page shows
 */
KlSession *
kl_endpoints_page_get_session (KlEndpointsPage *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), NULL);

  return self->session;
}


/**
 * kl_endpoints_page_get_watch:
 *
 * Returns: (transfer none) (nullable): the watch of the current project
 */
KlEndpointWatch *
kl_endpoints_page_get_watch (KlEndpointsPage *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), NULL);

  return self->watch;
}

GStrv
kl_endpoints_page_dup_new_regions (KlEndpointsPage *self)
{
  GListModel *model;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), NULL);

  model = G_LIST_MODEL (self->new_regions);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlRegion) region = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, kl_region_get_name (region));
    }

  return g_strv_builder_end (builder);
}

/* Whether Atlas names @region_name for one of the project's clusters. */
static gboolean
is_cluster_region (KlEndpointsPage *self,
                   const char      *region_name)
{
  KlPlan *plan = self->session != NULL ? kl_session_get_plan (self->session) : NULL;
  g_auto(GStrv) regions = NULL;

  if (plan == NULL)
    return FALSE;

  regions = kl_plan_dup_cluster_regions (plan);
  return g_strv_contains ((const char * const *) regions, region_name);
}

gboolean
kl_endpoints_page_add_region (KlEndpointsPage *self,
                              const char      *region_name)
{
  g_autoptr(KlRegion) region = NULL;

  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), FALSE);
  g_return_val_if_fail (region_name != NULL, FALSE);

  /* A region the built-in list does not know (Azure adds regions every year) is offered
   * all the same, under its Atlas code: a cluster there needs its endpoint like any other. */
  if (region_name[0] == '\0')
    return FALSE;
  region = kl_regions_dup_or_new (region_name);
  if ((!kl_region_get_known (region) && !is_cluster_region (self, region_name)) ||
      !g_str_equal (kl_region_get_environment (region), get_environment (self)) ||
      is_new_region (self, region_name, NULL) ||
      has_endpoint (self, region_name) ||
      self->creating)
    return FALSE;

  g_hash_table_remove (self->create_errors, region_name);
  g_hash_table_remove (self->declined, region_name);
  g_list_store_append (self->new_regions, region);
  refilter_regions (self);
  update_state (self);
  return TRUE;
}

void
kl_endpoints_page_remove_region (KlEndpointsPage *self,
                                 const char      *region_name)
{
  guint position;

  g_return_if_fail (KL_IS_ENDPOINTS_PAGE (self));
  g_return_if_fail (region_name != NULL);

  if (self->creating || !is_new_region (self, region_name, &position))
    return;

  g_list_store_remove (self->new_regions, position);
  g_hash_table_remove (self->create_errors, region_name);
  /* Taken off by the user: not proposed again by the next poll. */
  g_hash_table_add (self->declined, g_strdup (region_name));
  refilter_regions (self);
  update_state (self);
}

gboolean
kl_endpoints_page_get_busy (KlEndpointsPage *self)
{
  g_return_val_if_fail (KL_IS_ENDPOINTS_PAGE (self), FALSE);

  return self->n_operations > 0;
}

void
kl_endpoints_page_set_poll_intervals (KlEndpointsPage *self,
                                      guint            base_ms,
                                      guint            max_ms)
{
  g_return_if_fail (KL_IS_ENDPOINTS_PAGE (self));
  g_return_if_fail (base_ms >= 1 && max_ms >= base_ms);

  self->base_interval = base_ms;
  self->max_interval = max_ms;
  if (self->watch != NULL)
    kl_watch_set_intervals (KL_WATCH (self->watch), base_ms, max_ms);
}
