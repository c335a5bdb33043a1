/* test-endpoints-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-endpoint-watch.h"
#include "kl-regions.h"
#include "kl-server-text.h"
#include "kl-sim.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"
#include "kl-window.h"
#include "pages/endpoints/kl-endpoint-row.h"
#include "pages/endpoints/kl-endpoints-page.h"
#include "pages/private-networking/kl-private-networking-page.h"

/* The Private networking and Region endpoints pages in the real window, against the
 * in-process simulator with its clock stopped (time scale 0): only kl_sim_advance() moves
 * the endpoints on, so every transition is exact. Waits are on the main loop, with deadlines. */

#define TIMEOUT_MS KL_TEST_DEADLINE_MS

/* What kl_test_project_enable_cmk() sends. */
#define RESOURCE_GROUP  "rg-keys"
#define VAULT           "contoso-keys"
#define SUBSCRIPTION_ID "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"

#define DELETE_REFUSED  "Atlas is still creating this endpoint; you can delete it once it " \
                        "leaves Initiating."

static KlApplication *app;

/* ---- A notification server on the test bus -------------------------------------------- */

typedef struct
{
  GDBusConnection *connection;
  guint            owner_id;
  guint            object_id;
  gboolean         acquired;
  GPtrArray       *summaries;
  GPtrArray       *bodies;
  guint            n_closed;
  guint            next_id;
} NotificationServer;

static NotificationServer notifications;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  NotificationServer *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (server->summaries, g_strdup (summary));
      g_ptr_array_add (server->bodies, g_strdup (body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++server->next_id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      server->n_closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new_parsed ("(['body'],)"));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "test", "keylink", "1",
                                                            "1.2"));
    }
}

static void
notifications_name_acquired (GDBusConnection *connection,
                             const char      *name,
                             gpointer         user_data)
{
  NotificationServer *server = user_data;

  server->acquired = TRUE;
}

static void
notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  notifications.summaries = g_ptr_array_new_with_free_func (g_free);
  notifications.bodies = g_ptr_array_new_with_free_func (g_free);

  /* A connection of its own, as a real notification daemon would be. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  notifications.connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  notifications.object_id =
    g_dbus_connection_register_object (notifications.connection,
                                       "/org/freedesktop/Notifications",
                                       info->interfaces[0], &vtable, &notifications, NULL,
                                       &error);
  g_assert_no_error (error);
  notifications.owner_id =
    g_bus_own_name_on_connection (notifications.connection, "org.freedesktop.Notifications",
                                  G_BUS_NAME_OWNER_FLAGS_NONE, notifications_name_acquired,
                                  NULL, &notifications, NULL);
  g_assert_true (kl_test_wait_for_flag (&notifications.acquired, TIMEOUT_MS));
}

static void
notifications_stop (void)
{
  g_bus_unown_name (notifications.owner_id);
  g_dbus_connection_unregister_object (notifications.connection, notifications.object_id);
  g_dbus_connection_close_sync (notifications.connection, NULL, NULL);
  g_clear_object (&notifications.connection);
  g_clear_pointer (&notifications.summaries, g_ptr_array_unref);
  g_clear_pointer (&notifications.bodies, g_ptr_array_unref);
}

/* ---- Fixture: a simulator, a client and the real window -------------------------------- */

typedef struct
{
  KlTestProject *project;
  KlWindow      *window;
  KlAssistant   *assistant;
} Fixture;

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
has_width (gpointer user_data)
{
  WidthWait *wait = user_data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

static void
window_open (Fixture *f,
             int      width,
             int      height)
{
  WidthWait wait;
  int border;

  f->window = kl_window_new (app);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  f->assistant = kl_window_get_assistant (f->window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (f->window)));

  /* The default size counts the resize border of client-side decorations. */
  border = width - gtk_widget_get_width (GTK_WIDGET (f->window));
  if (border != 0)
    {
      wait = (WidthWait) { GTK_WIDGET (f->window), width };
      gtk_window_set_default_size (GTK_WINDOW (f->window), width + border, height + border);
      g_assert_true (kl_test_wait_until (has_width, &wait, TIMEOUT_MS));
      g_assert_true (kl_test_window_show (GTK_WINDOW (f->window)));
    }
}

static void
window_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  f->window = NULL;
  f->assistant = NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  f->project = kl_test_project_new (0);
  window_open (f, 720, 900);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  if (f->window != NULL)
    window_close (f);
  kl_test_project_free (f->project);
}

/* Signs @session in and reads @group_id's state, as the Project page would. */
static void
connect_session (Fixture    *f,
                 KlSession  *session,
                 const char *group_id)
{
  KlAtlasClient *client = f->project->client;
  KlTestAsync async = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KlProject) project = NULL;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_get_project_async (client, group_id, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  project = kl_atlas_client_get_project_finish (client, result, &error);
  g_assert_no_error (error);

  kl_session_set_client (session, client);
  kl_session_set_project (session, project);

  g_clear_object (&result);
  kl_session_refresh_async (session, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_session_refresh_finish (session, result, &error));
  g_assert_no_error (error);
}

static KlPage *
show_page (Fixture    *f,
           const char *page_id)
{
  g_assert_true (kl_assistant_set_current_page (f->assistant, page_id));
  return kl_assistant_get_current_page (f->assistant);
}

/* ---- Finding things as a person would ------------------------------------------------- */

static gboolean
has_accessible_label (GtkWidget     *widget,
                      gconstpointer  label)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  return mismatch == NULL;
}

/* The visible descendant of @root whose accessible name is @label. */
static GtkWidget *
find_by_accessible_label (GtkWidget  *root,
                          const char *label)
{
  return kl_test_find (root, TRUE, has_accessible_label, label);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  GtkWidget *button = find_by_accessible_label (root, label);

  /* A button with a text is named after its label. */
  if (GTK_IS_LABEL (button) && gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON) != NULL)
    button = gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON);

  if (button == NULL || !GTK_IS_BUTTON (button))
    g_test_message ("looking for a button “%s”, found %s", label,
                    button != NULL ? G_OBJECT_TYPE_NAME (button) : "nothing");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  return button;
}

/* A click (gtk_widget_activate() would only click after the pressed-look delay). */
static void
click (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
}

/* The page's one primary action: the assistant's Next, labelled “Create Endpoints”. */
static GtkWidget *
find_create_button (KlEndpointsPage *page)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page)));
  GtkWidget *button = find_button (root, "Create Endpoints");

  g_assert_false (gtk_widget_is_ancestor (button, GTK_WIDGET (page)));
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  return button;
}

/* The suggested (blue) buttons under @root. */
static guint
count_suggested (GtkWidget *root)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  if (GTK_IS_BUTTON (root) && gtk_widget_has_css_class (root, "suggested-action"))
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_suggested (child);

  return n;
}

static KlEndpointRow *
find_row_in (GtkWidget  *root,
             const char *region)
{
  if (KL_IS_ENDPOINT_ROW (root))
    {
      KlPrivateEndpoint *endpoint = kl_endpoint_row_get_endpoint (KL_ENDPOINT_ROW (root));

      return g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), region) == 0
             ? KL_ENDPOINT_ROW (root) : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      KlEndpointRow *found = find_row_in (child, region);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The row of the endpoint in @region. */
static KlEndpointRow *
find_row (KlPage     *page,
          const char *region)
{
  return find_row_in (GTK_WIDGET (page), region);
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  GtkWidget *label = kl_test_find_by_label (root, text);

  return label != NULL && gtk_widget_is_visible (label);
}

/* How many labels shown under @root read @text. */
static guint
count_labels (GtkWidget  *root,
              const char *text)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, text);

  return n;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

/* ---- Waiting on the endpoints --------------------------------------------------------- */

static KlEndpointsPage *
endpoints_page (Fixture *f)
{
  return KL_ENDPOINTS_PAGE (kl_assistant_get_page (f->assistant, "endpoints"));
}

/* Shows the endpoints page for @group_id (CMK and private networking already on). */
static KlEndpointsPage *
open_endpoints (Fixture    *f,
                const char *group_id)
{
  KlEndpointsPage *page = endpoints_page (f);

  kl_endpoints_page_set_poll_intervals (page, 5, 40);
  connect_session (f, kl_endpoints_page_get_session (page), group_id);
  g_assert_true (show_page (f, "endpoints") == KL_PAGE (page));
  return page;
}

static gboolean
page_loaded (gpointer user_data)
{
  KlEndpointsPage *page = user_data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (page);

  return watch != NULL && kl_watch_get_n_polls (KL_WATCH (watch)) > 0;
}

static gboolean
page_idle (gpointer user_data)
{
  return !kl_endpoints_page_get_busy (KL_ENDPOINTS_PAGE (user_data));
}

typedef struct
{
  KlEndpointsPage  *page;
  const char       *region;
  KlEndpointStatus  status;
  const char       *not_id;  /* another endpoint than this one */
} StatusWait;

static gboolean
region_has_status (gpointer user_data)
{
  StatusWait *wait = user_data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (wait->page);
  KlPrivateEndpoint *endpoint = kl_endpoint_watch_lookup_region (watch, wait->region);

  /* Keep the watch looking: the clock only moves when the test says so. */
  kl_endpoint_watch_poke (watch);

  return endpoint != NULL &&
         kl_private_endpoint_get_status (endpoint) == wait->status &&
         (wait->not_id == NULL ||
          g_strcmp0 (kl_private_endpoint_get_id (endpoint), wait->not_id) != 0);
}

static KlPrivateEndpoint *
wait_for_status (KlEndpointsPage  *page,
                 const char       *region,
                 KlEndpointStatus  status)
{
  StatusWait wait = { page, region, status, NULL };

  g_assert_true (kl_test_wait_until (region_has_status, &wait, TIMEOUT_MS));
  return kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (page), region);
}

static gboolean
region_gone (gpointer user_data)
{
  StatusWait *wait = user_data;
  KlEndpointWatch *watch = kl_endpoints_page_get_watch (wait->page);

  kl_endpoint_watch_poke (watch);
  return kl_endpoint_watch_lookup_region (watch, wait->region) == NULL;
}

static const char *
endpoint_id (KlEndpointsPage *page,
             const char      *region)
{
  KlPrivateEndpoint *endpoint =
    kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (page), region);

  g_assert_nonnull (endpoint);
  return kl_private_endpoint_get_id (endpoint);
}

/* No region ever has two live records (the old record of a recreated endpoint, in
 * PENDING_RECREATION, is Atlas's, not a second one of ours). */
static void
assert_one_live_per_region (GPtrArray *endpoints)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < endpoints->len; i++)
    {
      KlPrivateEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);
      KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);

      if (status == KL_ENDPOINT_STATUS_PENDING_RECREATION ||
          status == KL_ENDPOINT_STATUS_DELETING)
        continue;
      g_assert_false (g_hash_table_contains (seen, region));
      g_hash_table_add (seen, (gpointer) region);
    }
}

/* Checked on every list the watch reads; and the page's model has one item per region. */
static void
check_one_per_region (KlEndpointWatch *watch,
                      gpointer         user_data)
{
  GListModel *model = kl_endpoint_watch_get_model (watch);
  GListModel *regions = kl_endpoint_watch_get_region_model (watch);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint *n_checked = user_data;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (records, g_list_model_get_item (model, i));
  assert_one_live_per_region (records);

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (regions, i);
      const char *region = kl_private_endpoint_get_region_name (endpoint);

      g_assert_false (g_hash_table_contains (seen, region));
      g_hash_table_add (seen, (gpointer) region);
    }
  (*n_checked)++;
}

static void
assert_one_per_region_on_server (Fixture *f)
{
  g_autoptr(GPtrArray) endpoints = kl_test_project_list_endpoints (f->project, KL_SIM_GROUP_READY);

  assert_one_live_per_region (endpoints);
}

/* How many endpoint rows show @region. */
static guint
count_rows_in (GtkWidget  *root,
               const char *region)
{
  guint n = 0;

  if (KL_IS_ENDPOINT_ROW (root))
    {
      KlPrivateEndpoint *endpoint = kl_endpoint_row_get_endpoint (KL_ENDPOINT_ROW (root));

      return g_strcmp0 (kl_private_endpoint_get_region_name (endpoint), region) == 0 ? 1 : 0;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows_in (child, region);

  return n;
}

/* Creates endpoints in @regions through the page (its Create button), waits for the answers. */
static void
create_through_page (KlEndpointsPage    *page,
                     const char * const *regions)
{
  g_auto(GStrv) planned = NULL;

  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));
  planned = kl_endpoints_page_dup_new_regions (page);
  for (guint i = 0; planned[i] != NULL; i++)
    kl_endpoints_page_remove_region (page, planned[i]);
  for (guint i = 0; regions[i] != NULL; i++)
    g_assert_true (kl_endpoints_page_add_region (page, regions[i]));

  click (find_create_button (page));
  g_assert_true (kl_test_wait_until (page_idle, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  g_clear_pointer (&planned, g_strfreev);
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 0);
}

/* A project with its key on, the page open, endpoints created in @regions through it, and
 * Atlas done with them: each waits for its approval in Azure. */
static KlEndpointsPage *
open_waiting_for_approval (Fixture            *f,
                           const char * const *regions)
{
  KlEndpointsPage *page;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  create_through_page (page, regions);
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  for (guint i = 0; regions[i] != NULL; i++)
    wait_for_status (page, regions[i], KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);

  return page;
}

/* ---- Regions and words ----------------------------------------------------------------- */

/* Demo mode, as the application runs it: the page's context says so, and the window holds
 * the application's actions that stand in for the Azure portal, on this test's simulator. */
static void
demo_endpoint_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  KlSim *sim = user_data;
  g_autoptr(GError) error = NULL;
  const char *group_id, *endpoint_id;
  gboolean ok;

  g_variant_get (parameter, "(&s&s)", &group_id, &endpoint_id);
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "demo-approve-endpoint"))
    ok = kl_sim_approve_endpoint (sim, group_id, endpoint_id, &error);
  else
    ok = kl_sim_reject_endpoint (sim, group_id, endpoint_id, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
demo_azure (KlEndpointsPage *page,
            KlSim           *sim)
{
  const GActionEntry entries[] = {
    { "demo-approve-endpoint", demo_endpoint_action, "(ss)" },
    { "demo-reject-endpoint", demo_endpoint_action, "(ss)" },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page)));

  g_assert_nonnull (window);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), sim);
  gtk_widget_insert_action_group (window, "app", G_ACTION_GROUP (group));
  kl_context_set_demo (kl_page_get_context (KL_PAGE (page)), TRUE);
}

static void
test_regions (void)
{
  static const struct { const char *name, *location, *expected; } names[] = {
    { "US_EAST_2", "eastus2", "East US 2" },
    { "US_NORTH_CENTRAL", "northcentralus", "North Central US" },
    { "EUROPE_WEST", "westeurope", "West Europe" },
    { "SOUTH_AFRICA_NORTH", "southafricanorth", "South Africa North" },
    { "ASIA_SOUTH_EAST", "southeastasia", "Southeast Asia" },
    { "AUSTRALIA_SOUTH_EAST", "australiasoutheast", "Australia Southeast" },
    { "AUSTRALIA_CENTRAL_2", "australiacentral2", "Australia Central 2" },
    { "UAE_NORTH", "uaenorth", "UAE North" },
    { "UK_SOUTH", "uksouth", "UK South" },
    { "NEW_ZEALAND_NORTH", "newzealandnorth", "New Zealand North" },
    { "INDIA_CENTRAL", "centralindia", "Central India" },
    { "US_GOV_VIRGINIA", NULL, "US Gov Virginia" },
    { "CHINA_EAST", NULL, "China East" },
    /* A location made of unknown words falls back to the Atlas name. */
    { "MARS_NORTH", "marsnorth", "Mars North" },
  };
  GListModel *regions = kl_regions_get_default ();
  g_autofree char *title = NULL;
  KlRegion *region;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = kl_regions_derive_display_name (names[i].name, names[i].location);

      g_assert_cmpstr (name, ==, names[i].expected);
    }

  /* The whole Azure list of regions.json, each with a readable name. */
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 56);
  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr(KlRegion) item = g_list_model_get_item (regions, i);
      const char *display = kl_region_get_display_name (item);

      g_assert_true (g_ascii_isupper (display[0]));
      g_assert_null (strchr (display, '_'));
      g_assert_true (g_str_has_suffix (kl_region_get_title (item), ")"));
    }

  title = kl_regions_dup_title ("US_EAST_2");
  g_assert_cmpstr (title, ==, "East US 2 (US_EAST_2)");
  g_clear_pointer (&title, g_free);
  title = kl_regions_dup_title ("SOMEWHERE_NEW");
  g_assert_cmpstr (title, ==, "SOMEWHERE_NEW");

  region = kl_regions_lookup ("US_EAST_2");
  g_assert_nonnull (region);
  g_assert_cmpstr (kl_region_get_azure_location (region), ==, "eastus2");
  g_assert_cmpstr (kl_region_get_environment (region), ==, "AZURE");
  g_assert_true (kl_region_matches (region, "east us 2"));
  g_assert_true (kl_region_matches (region, " EASTUS2 "));
  g_assert_true (kl_region_matches (region, "us_east_2"));
  g_assert_true (kl_region_matches (region, ""));
  g_assert_false (kl_region_matches (region, "europe"));
  g_assert_cmpstr (kl_region_get_environment (kl_regions_lookup ("US_GOV_TEXAS")), ==,
                   "AZURE_US_GOVERNMENT");
  g_assert_cmpstr (kl_region_get_environment (kl_regions_lookup ("CHINA_NORTH")), ==,
                   "AZURE_CHINA");
}

static void
test_words (void)
{
  g_autofree char *command = NULL;
  g_autofree char *duration = NULL;

  /* HACKING.md, Approving in Azure, on one line, plain hyphens, --description;
   * --subscription, since `az` resolves the vault in its active subscription. */
  command = kl_endpoint_build_approval_command ("AZURE", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                                "rg-keys", "contoso-keys", "contoso-keys."
                                                "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d");
  g_assert_cmpstr (command, ==,
                   "az keyvault private-endpoint-connection approve "
                   "--subscription 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d --resource-group rg-keys "
                   "--vault-name contoso-keys --name "
                   "contoso-keys.0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d "
                   "--description \"MongoDB Atlas encryption at rest\"");
  g_assert_null (strstr (command, "approval-description"));
  g_clear_pointer (&command, g_free);

  /* The other clouds: `az` must be switched to them first. */
  command = kl_endpoint_build_approval_command ("AZURE_CHINA", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                                "rg", "vault1", "c1");
  g_assert_cmpstr (command, ==,
                   "az cloud set --name AzureChinaCloud && "
                   "az keyvault private-endpoint-connection approve "
                   "--subscription 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d --resource-group rg "
                   "--vault-name vault1 --name c1 "
                   "--description \"MongoDB Atlas encryption at rest\"");
  g_clear_pointer (&command, g_free);
  command = kl_endpoint_build_approval_command ("AZURE_US_GOVERNMENT", NULL, "rg", "vault1", "c1");
  g_assert_true (g_str_has_prefix (command, "az cloud set --name AzureUSGovernment && az keyvault "));
  g_assert_null (strstr (command, "--subscription"));
  g_clear_pointer (&command, g_free);

  /* Anything but [A-Za-z0-9._-] is quoted for the shell. */
  command = kl_endpoint_build_approval_command (NULL, NULL, "rg (prod)", "vault1", "it's; rm -rf ~");
  g_assert_cmpstr (command, ==,
                   "az keyvault private-endpoint-connection approve --resource-group 'rg (prod)' "
                   "--vault-name vault1 --name 'it'\\''s; rm -rf ~' "
                   "--description \"MongoDB Atlas encryption at rest\"");
  g_clear_pointer (&command, g_free);
  g_assert_null (kl_endpoint_build_approval_command ("AZURE", "s", "rg", "vault", NULL));
  g_assert_null (kl_endpoint_build_approval_command ("AZURE", "s", "", "vault", "c"));

  command = kl_endpoint_build_register_command ("AZURE_US_GOVERNMENT", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
  g_assert_cmpstr (command, ==,
                   "az cloud set --name AzureUSGovernment && az provider register --namespace "
                   "Microsoft.Network --subscription 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
  g_clear_pointer (&command, g_free);
  g_assert_true (kl_endpoint_message_names_network_provider ("Subscription not registered with "
                                                             "MICROSOFT.NETWORK"));
  g_assert_false (kl_endpoint_message_names_network_provider ("Quota exceeded"));

  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_INITIATING, "INITIATING"), ==,
                   "Initiating");
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE, NULL), ==,
                   "Waiting for approval in Azure");
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_ACTIVE, NULL), ==, "Active");
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_PENDING_RECREATION, NULL), ==,
                   "Being recreated");
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_FAILED, NULL), ==, "Failed");
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_DELETING, NULL), ==, "Deleting");
  /* Unknown status text from the server is shown as it is. */
  g_assert_cmpstr (kl_endpoint_status_title (KL_ENDPOINT_STATUS_UNKNOWN, "QUARANTINED"), ==,
                   "QUARANTINED");

  duration = kl_endpoint_format_duration (59);
  g_assert_cmpstr (duration, ==, "for less than a minute");
  g_clear_pointer (&duration, g_free);
  duration = kl_endpoint_format_duration (3 * 60 + 59);
  g_assert_cmpstr (duration, ==, "for 3 min");
  g_clear_pointer (&duration, g_free);
  duration = kl_endpoint_format_duration (2 * 3600 + 5 * 60);
  g_assert_cmpstr (duration, ==, "for 2 h 5 min");
  g_clear_pointer (&duration, g_free);
  duration = kl_endpoint_format_duration (3 * 86400);
  g_assert_cmpstr (duration, ==, "for 3 days");
}

/* ---- Private networking ---------------------------------------------------------------- */

static gboolean
not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

static gboolean
has_message_dialog (gpointer user_data)
{
  AdwMessageDialog **dialog = user_data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      {
        *dialog = l->data;
        return TRUE;
      }

  return FALSE;
}

static AdwMessageDialog *
wait_for_message_dialog (void)
{
  AdwMessageDialog *dialog = NULL;

  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  return dialog;
}

static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_GROUP (child) &&
          g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), title) == 0)
        return child;
      found = find_group (child, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_private_networking (Fixture       *f,
                         gconstpointer  user_data)
{
  KlPage *page = kl_assistant_get_page (f->assistant, "private-networking");
  KlSession *session = kl_private_networking_page_get_session (KL_PRIVATE_NETWORKING_PAGE (page));
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) patches = NULL;
  GtkWidget *next, *pause_group, *frozen_group;
  gboolean pause_first = FALSE;
  AdwMessageDialog *dialog;
  g_autofree char *shot = NULL;

  /* The window's session, and the window decides what is hidden: the setup flow has this
   * page. Without a project it cannot be passed, and says why. */
  g_assert_true (session == kl_window_get_session (f->window));
  g_assert_false (kl_page_get_hidden (page));
  g_assert_false (kl_page_get_complete (page));
  g_assert_true (shows_label (GTK_WIDGET (page),
                              "Keylink has not read a project yet. Sign in to Atlas and choose a "
                              "project first."));

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_MIXED, FALSE);
  connect_session (f, session, KL_SIM_GROUP_MIXED);
  g_assert_true (show_page (f, "private-networking") == page);

  /* What it freezes, with the current values; the multi-cloud cluster by name. */
  g_assert_true (shows_label (GTK_WIDGET (page), VAULT));
  g_assert_true (shows_label (GTK_WIDGET (page), RESOURCE_GROUP));
  g_assert_true (shows_label (GTK_WIDGET (page), SUBSCRIPTION_ID));
  g_assert_true (shows_label (GTK_WIDGET (page), "analytics-multicloud"));
  g_assert_true (shows_label (GTK_WIDGET (page), "Azure EUROPE_NORTH, AWS EU_WEST_1"));
  g_assert_false (shows_label (GTK_WIDGET (page), "analytics-azure"));
  g_assert_false (shows_label (GTK_WIDGET (page), "None"));
  g_assert_true (shows_label (GTK_WIDGET (page), "Only in regions with an active endpoint"));
  g_assert_true (kl_page_get_complete (page));
  g_assert_true (kl_page_get_needs_apply (page));
  /* The change pauses a cluster: the button says so, in the destructive style, and the
   * clusters it pauses come first on the page. */
  g_assert_cmpstr (kl_page_get_next_label (page), ==, "_Turn On and Pause 1 Cluster");
  g_assert_true (kl_page_get_next_destructive (page));
  next = kl_test_find_by_css_class (GTK_WIDGET (f->window), "destructive-action");
  g_assert_nonnull (next);
  g_assert_true (GTK_IS_BUTTON (next));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Turn On and Pause 1 Cluster");
  g_assert_false (gtk_widget_has_css_class (next, "suggested-action"));
  pause_group = find_group (GTK_WIDGET (page), "Clusters That Will Be Paused");
  frozen_group = find_group (GTK_WIDGET (page), "Fixed From Now On");
  g_assert_nonnull (pause_group);
  g_assert_nonnull (frozen_group);
  for (GtkWidget *w = gtk_widget_get_next_sibling (pause_group); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (w == frozen_group)
      pause_first = TRUE;
  g_assert_true (pause_first);

  /* Next asks first, naming the cluster; declining sends nothing. */
  kl_sim_clear_requests (f->project->sim);
  kl_assistant_next (f->assistant);
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Pause 1 Cluster?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“analytics-multicloud”"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "pause"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_true (kl_test_window_show (GTK_WINDOW (dialog)));
  shot = kl_test_save_screenshot (GTK_WIDGET (f->window), "private-networking-pause");
  g_test_message ("saved %s", shot);
  g_clear_pointer (&shot, g_free);
  shot = kl_test_save_screenshot (GTK_WIDGET (dialog), "private-networking-pause-dialog");
  g_test_message ("saved %s", shot);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (kl_test_wait_until (not_applying, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  patches = kl_test_project_requests (f->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 0);
  g_clear_pointer (&patches, g_ptr_array_unref);

  /* Apply: PATCH requirePrivateNetworking, then the project is read back. */
  kl_assistant_next (f->assistant);
  dialog = wait_for_message_dialog ();
  adw_message_dialog_response (dialog, "pause");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (kl_test_wait_until (not_applying, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (page));
  patches = kl_test_project_requests (f->project, "PATCH", NULL);
  g_assert_cmpuint (patches->len, ==, 1);

  ear = kl_test_project_get_ear (f->project, KL_SIM_GROUP_MIXED);
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
                   kl_encryption_at_rest_get_azure_key_vault (ear)));
  g_assert_true (kl_azure_key_vault_get_require_private_networking (
                   kl_encryption_at_rest_get_azure_key_vault (
                     kl_session_get_encryption_at_rest (session))));

  /* Done: shown as such, read-only, Next just goes on. */
  g_assert_true (kl_page_get_read_only (page));
  g_assert_false (kl_page_get_needs_apply (page));
  g_assert_null (kl_page_get_next_label (page));
  g_assert_true (kl_page_get_complete (page));
  g_assert_true (shows_label (GTK_WIDGET (page),
                              "Private networking is already required for this project. Go on "
                              "to create or check its private endpoints."));
  g_assert_true (shows_label (GTK_WIDGET (page), "Paused Multi-Cloud Clusters"));
  g_assert_true (shows_label (GTK_WIDGET (page), "analytics-multicloud"));
}

static void
test_private_networking_key_first (Fixture       *f,
                                   gconstpointer  user_data)
{
  KlPage *page = kl_assistant_get_page (f->assistant, "private-networking");
  KlSession *session = kl_private_networking_page_get_session (KL_PRIVATE_NETWORKING_PAGE (page));

  /* CMK not on yet: the earlier steps come first. */
  connect_session (f, session, KL_SIM_GROUP_READY);
  g_assert_true (show_page (f, "private-networking") == page);
  g_assert_false (kl_page_get_complete (page));
  g_assert_true (shows_label (GTK_WIDGET (page),
                              "Atlas does not use the key of this project yet. Enable the key on "
                              "the previous step first: private networking needs it."));
  g_assert_true (shows_label (GTK_WIDGET (page), "None"));
}

/* With the window's session, the window decides what is hidden; not connected, they say so. */
static void
test_window_session (void)
{
  g_autoptr(KlSession) session = kl_session_new ();
  KlPage *networking = kl_test_prepare_page (kl_prepare_private_networking_page, session, NULL, NULL);
  KlPage *endpoints = kl_test_prepare_page (kl_prepare_endpoints_page, session, NULL, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  g_object_ref_sink (window);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (networking));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (endpoints));
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_assert_true (kl_test_window_show (GTK_WINDOW (window)));

  g_assert_true (kl_private_networking_page_get_session (
                   KL_PRIVATE_NETWORKING_PAGE (networking)) == session);
  g_assert_true (kl_endpoints_page_get_session (KL_ENDPOINTS_PAGE (endpoints)) == session);
  g_assert_false (kl_page_get_hidden (networking));
  g_assert_false (kl_page_get_hidden (endpoints));
  g_assert_false (kl_page_get_complete (networking));
  g_assert_false (kl_page_get_complete (endpoints));
  g_assert_null (kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (endpoints)));
  g_assert_true (shows_label (GTK_WIDGET (networking),
                              "Keylink has not read a project yet. Sign in to Atlas and choose a "
                              "project first."));
  g_assert_true (shows_label (GTK_WIDGET (endpoints),
                              "Keylink has not read a project yet. Sign in to Atlas and choose a "
                              "project first."));
  kl_page_shown (endpoints);
  g_assert_null (kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (endpoints)));
  kl_page_leave (endpoints);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* ---- Endpoints: create, approve ---------------------------------------------------------- */

static gboolean
clipboard_read (gpointer user_data)
{
  char **text = user_data;

  return *text != NULL;
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_create_and_approve (Fixture       *f,
                         gconstpointer  user_data)
{
  KlEndpointsPage *page;
  g_autoptr(GPtrArray) posts = NULL;
  g_auto(GStrv) planned = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *clipboard = NULL;
  g_autofree char *connection_label = NULL;
  g_autofree char *shown_connection = NULL;
  const char *other;
  GtkLabel *label;
  KlPrivateEndpoint *endpoint;
  GtkWidget *new_row;
  KlEndpointRow *row;
  const char *connection;
  guint n_checked = 0;
  gint64 first_answer;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));
  g_signal_connect (kl_endpoints_page_get_watch (page), "updated",
                    G_CALLBACK (check_one_per_region), &n_checked);

  /* By default, the regions of the clusters. Nothing done yet: Next waits. */
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 2);
  g_assert_cmpstr (planned[0], ==, "EUROPE_WEST");
  g_assert_cmpstr (planned[1], ==, "US_EAST_2");
  g_assert_true (shows_label (GTK_WIDGET (page), "West Europe (EUROPE_WEST)"));
  g_assert_true (shows_label (GTK_WIDGET (page), "East US 2 (US_EAST_2)"));
  /* Each is named once, by its title (an accessible label as well would say it twice). */
  new_row = gtk_widget_get_ancestor (kl_test_find_by_label (GTK_WIDGET (page),
                                                            "East US 2 (US_EAST_2)"),
                                     ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (new_row);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (new_row),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (new_row),
                                                   GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  /* One primary action, in the action bar: Next says what it does; none in the page. */
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  g_assert_cmpstr (kl_page_get_next_label (KL_PAGE (page)), ==, "_Create Endpoints");
  g_assert_cmpuint (count_suggested (GTK_WIDGET (page)), ==, 0);
  g_assert_cmpuint (count_suggested (GTK_WIDGET (f->window)), ==, 1);

  /* Both POSTs are made before either is answered. */
  kl_sim_set_latency (f->project->sim, 100);
  kl_sim_clear_requests (f->project->sim);
  click (find_create_button (page));
  g_assert_true (kl_endpoints_page_get_busy (page));
  g_assert_true (kl_test_wait_until (page_idle, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  kl_sim_set_latency (f->project->sim, 0);

  posts = kl_test_project_requests (f->project, "POST", "/privateEndpoints");
  g_assert_cmpuint (posts->len, ==, 2);
  first_answer = MIN (((KlSimRequest *) posts->pdata[0])->end_us,
                      ((KlSimRequest *) posts->pdata[1])->end_us);
  g_assert_cmpint (((KlSimRequest *) posts->pdata[0])->start_us, <, first_answer);
  g_assert_cmpint (((KlSimRequest *) posts->pdata[1])->start_us, <, first_answer);
  g_clear_pointer (&planned, g_strfreev);
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 0);

  /* INITIATING, in plain words, with how long. */
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING);
  wait_for_status (page, "EUROPE_WEST", KL_ENDPOINT_STATUS_INITIATING);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_nonnull (row);
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), ==, "Initiating");
  g_assert_cmpstr (kl_endpoint_row_get_explanation (row), ==,
                   "Atlas is creating the endpoint. This can take a long time; you can close "
                   "Keylink and come back.");
  g_assert_cmpstr (kl_endpoint_row_get_time_text (row), ==, "for less than a minute");
  /* A no-break space before the separator: a wrapped line never starts with it. */
  g_assert_true (shows_label (GTK_WIDGET (row), "Initiating\u00a0· for less than a minute"));
  g_assert_null (kl_endpoint_row_get_command (row));
  g_assert_null (kl_endpoints_page_get_approval_command (page));
  g_assert_true (has_accessible_label (GTK_WIDGET (row), "East US 2 (US_EAST_2)"));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* An INITIATING that lasts is shown as the long wait it is. */
  kl_endpoint_row_set_status_since (row, g_get_monotonic_time () - 25 * 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (kl_endpoint_row_get_time_text (row), ==, "for 25 min");
  g_assert_cmpstr (kl_endpoint_row_get_explanation (row), ==,
                   "Atlas is still creating the endpoint. This is normal and can take hours; "
                   "you can close Keylink and come back: it picks the endpoint up from Atlas.");

  /* Atlas is done: Azure waits for the approval. The exact command, filled. */
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  endpoint = wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  wait_for_status (page, "EUROPE_WEST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  connection = kl_private_endpoint_get_private_endpoint_connection_name (endpoint);
  g_assert_true (g_str_has_prefix (connection, VAULT "."));
  other = kl_private_endpoint_get_private_endpoint_connection_name (
    kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (page), "EUROPE_WEST"));
  /* One command for both, by region (East US 2, then West Europe). */
  expected = g_strdup_printf ("for name in %s %s; do az keyvault private-endpoint-connection "
                              "approve --subscription " SUBSCRIPTION_ID " --resource-group "
                              RESOURCE_GROUP " --vault-name " VAULT " --name \"$name\" "
                              "--description \"MongoDB Atlas encryption at rest\"; done",
                              connection, other);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), ==, "Waiting for approval in Azure");
  g_assert_null (kl_endpoint_row_get_command (row));
  g_assert_cmpstr (kl_endpoints_page_get_approval_command (page), ==, expected);
  /* Shown once, on the page, on one line that scrolls sideways rather than wraps. */
  g_assert_cmpuint (count_labels (GTK_WIDGET (f->window), expected), ==, 1);
  label = kl_command_view_get_label (kl_endpoints_page_get_approval_view (page));
  g_assert_cmpstr (gtk_label_get_label (label), ==, expected);
  g_assert_false (gtk_label_get_wrap (label));
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "monospace"));
  g_assert_nonnull (gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_SCROLLED_WINDOW));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (label), GTK_WIDGET (row)));
  /* The portal path once for the page; each row names its connection. */
  g_assert_cmpuint (count_labels (GTK_WIDGET (page),
                                  "Or in the Azure portal: Key vaults → " VAULT " → Settings → "
                                  "Networking → Private endpoint connections → select each "
                                  "Pending connection named below → Approve."), ==, 1);
  g_assert_cmpuint (count_labels (GTK_WIDGET (page),
                                  "Atlas may take a few minutes to notice an approval."), ==, 1);
  shown_connection = kl_server_text_dup_short (connection, KL_SERVER_TEXT_SHORT_CHARS);
  connection_label = g_strdup_printf ("Connection: %s", shown_connection);
  g_assert_true (shows_label (GTK_WIDGET (row), connection_label));
  /* Not in demo mode: no simulated Azure. */
  g_assert_null (find_by_accessible_label (GTK_WIDGET (row), "Approve in Azure (simulated)"));

  /* Copy: the clipboard holds the command, and a toast says so. */
  click (find_button (GTK_WIDGET (page), "Copy approval command"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (page)), NULL,
                                 clipboard_text_cb, &clipboard);
  g_assert_true (kl_test_wait_until (clipboard_read, &clipboard, TIMEOUT_MS));
  g_assert_cmpstr (clipboard, ==, expected);
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (f->window), "Copied"));

  /* Demo mode: approve both in the simulated Azure, from the rows. */
  demo_azure (page, f->project->sim);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  click (find_button (GTK_WIDGET (row), "Approve in Azure (simulated)"));
  row = find_row (KL_PAGE (page), "EUROPE_WEST");
  click (find_button (GTK_WIDGET (row), "Approve in Azure (simulated)"));
  g_assert_nonnull (find_by_accessible_label (GTK_WIDGET (row), "More simulated Azure actions "
                                              "for West Europe (EUROPE_WEST)"));

  /* Atlas notices the approval a few minutes later: ACTIVE, and Next is enabled. */
  kl_sim_advance (f->project->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE);
  wait_for_status (page, "EUROPE_WEST", KL_ENDPOINT_STATUS_ACTIVE);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), ==, "Active");
  g_assert_null (kl_endpoints_page_get_approval_command (page));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  g_assert_null (kl_page_get_next_label (KL_PAGE (page)));
  g_assert_true (shows_label (GTK_WIDGET (page),
                              "Every endpoint is active: Atlas reaches the key vault privately "
                              "in each of these regions."));

  g_assert_cmpuint (n_checked, >, 0);
  assert_one_per_region_on_server (f);
}

/* ---- Endpoints: reject and recreation --------------------------------------------------- */

static void
test_reject_recreation (Fixture       *f,
                        gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlEndpointsPage *page;
  KlPrivateEndpoint *endpoint;
  KlPrivateEndpoint *old;
  KlEndpointRow *row;
  StatusWait wait;
  g_autofree char *old_connection = NULL;
  g_autofree char *id = NULL;
  g_autofree char *new_id = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checked = 0;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  demo_azure (page, f->project->sim);
  create_through_page (page, regions);
  g_signal_connect (kl_endpoints_page_get_watch (page), "updated",
                    G_CALLBACK (check_one_per_region), &n_checked);
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  endpoint = wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  old_connection = g_strdup (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));
  id = g_strdup (kl_private_endpoint_get_id (endpoint));
  kl_sim_clear_requests (f->project->sim);

  /* "Reject (simulated)", from the row's menu. */
  target = g_variant_ref_sink (g_variant_new_string (id));
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (row),
                                                     "endpoints.reject-simulated", target));

  /* Atlas keeps the old record (PENDING_RECREATION, with a message) and makes a new one,
   * with a new id, in INITIATING: the region's row follows the new one. */
  wait = (StatusWait) { page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING, id };
  g_assert_true (kl_test_wait_until (region_has_status, &wait, TIMEOUT_MS));
  old = kl_endpoint_watch_lookup (kl_endpoints_page_get_watch (page), id);
  g_assert_nonnull (old);
  g_assert_cmpint (kl_private_endpoint_get_status (old), ==,
                   KL_ENDPOINT_STATUS_PENDING_RECREATION);
  g_assert_cmpstr (kl_private_endpoint_get_error_message (old), ==,
                   "private endpoint was rejected");
  g_assert_cmpuint (g_list_model_get_n_items (kl_endpoint_watch_get_model (
                      kl_endpoints_page_get_watch (page))), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (kl_endpoint_watch_get_region_model (
                      kl_endpoints_page_get_watch (page))), ==, 1);
  new_id = g_strdup (endpoint_id (page, "US_EAST_2"));
  g_assert_cmpstr (new_id, >, id);
  g_assert_cmpuint (count_rows_in (GTK_WIDGET (page), "US_EAST_2"), ==, 1);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_private_endpoint_get_id (kl_endpoint_row_get_endpoint (row)), ==, new_id);
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), !=, "Being recreated");
  g_assert_null (kl_endpoints_page_get_approval_command (page));
  /* The old record's message, on the region's row. */
  g_assert_true (shows_label (GTK_WIDGET (row),
                              "Previous connection: private endpoint was rejected"));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* The old record goes away (KL_SIM_RECREATION_SECONDS) before the new one waits for
   * approval: asked again, with the new connection's command; the message stays. */
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  endpoint = wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  g_assert_cmpstr (kl_private_endpoint_get_id (endpoint), ==, new_id);
  g_assert_null (kl_endpoint_watch_lookup (kl_endpoints_page_get_watch (page), id));
  g_assert_cmpstr (kl_private_endpoint_get_private_endpoint_connection_name (endpoint), !=,
                   old_connection);
  g_assert_cmpuint (count_rows_in (GTK_WIDGET (page), "US_EAST_2"), ==, 1);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_explanation (row), ==,
                   "The connection was recreated after it was rejected or removed in Azure: "
                   "approve it again.");
  g_assert_nonnull (kl_endpoints_page_get_approval_command (page));
  g_assert_nonnull (strstr (kl_endpoints_page_get_approval_command (page),
                            kl_private_endpoint_get_private_endpoint_connection_name (endpoint)));
  g_assert_null (strstr (kl_endpoints_page_get_approval_command (page), old_connection));
  g_assert_nonnull (find_by_accessible_label (GTK_WIDGET (page), "Copy approval command"));
  g_assert_true (shows_label (GTK_WIDGET (row),
                              "Previous connection: private endpoint was rejected"));

  /* Approved: ACTIVE, the page is complete, the message goes. */
  g_assert_true (kl_sim_approve_endpoint (f->project->sim, KL_SIM_GROUP_READY, new_id, &error));
  g_assert_no_error (error);
  kl_sim_advance (f->project->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_false (shows_label (GTK_WIDGET (row),
                               "Previous connection: private endpoint was rejected"));

  /* Never a second POST for the region. */
  posts = kl_test_project_requests (f->project, "POST", "/privateEndpoints");
  g_assert_cmpuint (posts->len, ==, 0);
  g_assert_cmpuint (n_checked, >, 0);
  assert_one_per_region_on_server (f);
}

/* ---- Endpoints: failure and retry ------------------------------------------------------ */

#define FAILURE_MESSAGE "The subscription is not registered to use namespace 'Microsoft.Network'."

static void
test_fail_retry (Fixture       *f,
                 gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlEndpointsPage *page;
  KlEndpointRow *row;
  StatusWait wait;
  g_autofree char *old_id = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checked = 0;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  create_through_page (page, regions);
  g_signal_connect (kl_endpoints_page_get_watch (page), "updated",
                    G_CALLBACK (check_one_per_region), &n_checked);
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  old_id = g_strdup (endpoint_id (page, "US_EAST_2"));

  /* FAILED, with Atlas's message. */
  g_assert_true (kl_sim_fail_endpoint (f->project->sim, KL_SIM_GROUP_READY, old_id,
                                       FAILURE_MESSAGE, &error));
  g_assert_no_error (error);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_FAILED);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), ==, "Failed");
  g_assert_true (shows_label (GTK_WIDGET (row), FAILURE_MESSAGE));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));
  /* The message names Microsoft.Network: the command that registers it, ready to copy. */
  g_assert_cmpstr (kl_endpoint_row_get_command (row), ==,
                   "az provider register --namespace Microsoft.Network --subscription "
                   SUBSCRIPTION_ID);
  g_assert_true (shows_label (GTK_WIDGET (row),
                              "az provider register --namespace Microsoft.Network --subscription "
                              SUBSCRIPTION_ID));

  /* Retry: delete, wait until it is gone, create again. */
  click (find_button (GTK_WIDGET (row), "Retry East US 2 (US_EAST_2)"));
  g_assert_true (kl_endpoints_page_get_busy (page));
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_DELETING);
  kl_sim_advance (f->project->sim, KL_SIM_DELETING_SECONDS);
  wait = (StatusWait) { page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING, old_id };
  g_assert_true (kl_test_wait_until (region_has_status, &wait, TIMEOUT_MS));
  g_assert_true (kl_test_wait_until (page_idle, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_status_title (row), ==, "Initiating");

  g_assert_cmpuint (n_checked, >, 0);
  assert_one_per_region_on_server (f);
}

/* ---- Endpoints: changed elsewhere ---------------------------------------------------------- */

typedef struct
{
  KlEndpointsPage *page;
  const char      *region;
} NewRegionWait;

static gboolean
region_proposed (gpointer user_data)
{
  NewRegionWait *wait = user_data;
  g_auto(GStrv) planned = kl_endpoints_page_dup_new_regions (wait->page);

  return g_strv_contains ((const char * const *) planned, wait->region);
}

static gboolean
says_key_off (gpointer user_data)
{
  return shows_label (GTK_WIDGET (user_data),
                      "Encryption with your key is off for this project now: it was turned off "
                      "outside this page (in Atlas, by another tool, or a teardown). Private "
                      "endpoints serve only a key that is on: go back to the project and set the "
                      "key up again first.");
}

static void
delete_elsewhere (Fixture    *f,
                  const char *endpoint_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };

  kl_atlas_client_delete_private_endpoint_async (f->project->client, KL_SIM_GROUP_READY,
                                                 endpoint_id, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  kl_atlas_client_delete_private_endpoint_finish (f->project->client, result, &error);
  g_assert_no_error (error);
}

/* Endpoints deleted elsewhere (or lost by Atlas) are proposed again from the next poll; a key
 * turned off elsewhere is said, and nothing can be created for it. */
static void
test_changed_elsewhere (Fixture       *f,
                        gconstpointer  user_data)
{
  static const char * const regions[] = { "EUROPE_WEST", "US_EAST_2", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlEndpointsPage *page;
  NewRegionWait wait;
  g_auto(GStrv) planned = NULL;

  page = open_waiting_for_approval (f, regions);
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 0);

  /* Deleted in Atlas, not here: once it is gone, its region is proposed again. */
  delete_elsewhere (f, endpoint_id (page, "US_EAST_2"));
  kl_sim_advance (f->project->sim, KL_SIM_DELETING_SECONDS);
  wait = (NewRegionWait) { page, "US_EAST_2" };
  g_assert_true (kl_test_wait_until (region_proposed, &wait, TIMEOUT_MS));
  g_assert_false (says_key_off (page));

  /* The other one too, then the key turned off elsewhere: the page says so. */
  delete_elsewhere (f, endpoint_id (page, "EUROPE_WEST"));
  kl_sim_advance (f->project->sim, KL_SIM_DELETING_SECONDS);
  wait = (NewRegionWait) { page, "EUROPE_WEST" };
  g_assert_true (kl_test_wait_until (region_proposed, &wait, TIMEOUT_MS));
  body = kl_encryption_at_rest_build_disable ();
  kl_atlas_client_patch_encryption_at_rest_async (f->project->client, KL_SIM_GROUP_READY, body,
                                                  NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  ear = kl_atlas_client_patch_encryption_at_rest_finish (f->project->client, result, &error);
  g_assert_no_error (error);
  /* Atlas is read again when an endpoint vanishes; here the project is read as on any step. */
  kl_session_refresh_async (kl_endpoints_page_get_session (page), NULL, NULL, NULL);
  g_assert_true (kl_test_wait_until (says_key_off, page, TIMEOUT_MS));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));
  g_assert_false (gtk_widget_is_sensitive (kl_test_find_by_label (GTK_WIDGET (f->window),
                                                                  "_Create Endpoints")));
}

/* ---- Endpoints: delete ------------------------------------------------------------------ */

/* The visible label with the note style under @root: what the last action said. */
static const char *
notice_in (GtkWidget *root)
{
  if (!gtk_widget_get_visible (root))
    return NULL;

  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "kl-page-note"))
    return gtk_label_get_text (GTK_LABEL (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = notice_in (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
notice_of (KlEndpointRow *row)
{
  return notice_in (GTK_WIDGET (row));
}

static gboolean
row_has_notice (gpointer user_data)
{
  StatusWait *wait = user_data;
  KlEndpointRow *row = find_row (KL_PAGE (wait->page), wait->region);

  return row != NULL && notice_of (row) != NULL;
}

/* Answers @dialog as a click on the response's button would. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  /* The dialog closes itself on a click; here it is answered directly. */
  if (find_message_dialog () == dialog)
    gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (find_message_dialog ());
}

static void
confirm_delete (KlEndpointsPage *page,
                const char      *region,
                const char      *heading)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = g_strdup_printf ("Delete endpoint in %s", heading);

  click (find_button (GTK_WIDGET (find_row (KL_PAGE (page), region)), name));
  g_assert_true (kl_test_wait_until (dialog_shown, NULL, TIMEOUT_MS));
  dialog = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), heading));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  respond (dialog, "delete");
}

static void
test_delete (Fixture       *f,
             gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlEndpointsPage *page;
  AdwMessageDialog *dialog;
  StatusWait wait;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  create_through_page (page, regions);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING);

  /* Cancel in the confirmation: nothing happens. */
  click (find_button (GTK_WIDGET (find_row (KL_PAGE (page), "US_EAST_2")),
                      "Delete endpoint in East US 2 (US_EAST_2)"));
  g_assert_true (kl_test_wait_until (dialog_shown, NULL, TIMEOUT_MS));
  dialog = find_message_dialog ();
  respond (dialog, "cancel");
  g_assert_false (kl_endpoints_page_get_busy (page));

  /* Refused while INITIATING: the server's reason in words, on the row. */
  confirm_delete (page, "US_EAST_2", "East US 2 (US_EAST_2)");
  wait = (StatusWait) { page, "US_EAST_2", 0, NULL };
  g_assert_true (kl_test_wait_until (row_has_notice, &wait, TIMEOUT_MS));
  g_assert_true (kl_test_wait_until (page_idle, page, TIMEOUT_MS));
  g_assert_cmpstr (notice_of (find_row (KL_PAGE (page), "US_EAST_2")), ==, DELETE_REFUSED);
  g_assert_nonnull (kl_endpoint_watch_lookup_region (kl_endpoints_page_get_watch (page),
                                                     "US_EAST_2"));

  /* Once out of INITIATING it goes: DELETING, then gone. */
  kl_sim_advance (f->project->sim, KL_SIM_INITIATING_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  g_assert_null (notice_of (find_row (KL_PAGE (page), "US_EAST_2")));
  confirm_delete (page, "US_EAST_2", "East US 2 (US_EAST_2)");
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_DELETING);
  g_assert_cmpstr (kl_endpoint_row_get_status_title (find_row (KL_PAGE (page), "US_EAST_2")), ==,
                   "Deleting");
  g_assert_null (find_by_accessible_label (GTK_WIDGET (page),
                                           "Delete endpoint in East US 2 (US_EAST_2)"));
  kl_sim_advance (f->project->sim, KL_SIM_DELETING_SECONDS);
  wait = (StatusWait) { page, "US_EAST_2", 0, NULL };
  g_assert_true (kl_test_wait_until (region_gone, &wait, TIMEOUT_MS));
  g_assert_null (find_row (KL_PAGE (page), "US_EAST_2"));

  /* The region can be chosen again. */
  g_assert_true (kl_endpoints_page_add_region (page, "US_EAST_2"));
}

/* ---- Endpoints: adding a region ---------------------------------------------------------- */

static gboolean
two_rows (gpointer user_data)
{
  guint n_rows = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (user_data)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_visible (row))
      n_rows++;

  return n_rows == 2;
}

static void
test_add_region (Fixture       *f,
                 gconstpointer  user_data)
{
  KlEndpointsPage *page;
  GtkWidget *add_button;
  GtkWidget *search;
  GtkWidget *popover;
  GtkWidget *region_list;
  GtkWidget *choice;
  g_auto(GStrv) planned = NULL;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));

  add_button = find_by_accessible_label (GTK_WIDGET (page), "Add Region");
  g_assert_true (GTK_IS_MENU_BUTTON (add_button));
  g_assert_true (gtk_widget_is_sensitive (add_button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (add_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (add_button)));
  g_assert_true (gtk_widget_get_visible (popover));

  /* Searchable: by the Azure name. */
  search = find_by_accessible_label (popover, "Search regions");
  g_assert_true (GTK_IS_SEARCH_ENTRY (search));
  gtk_editable_set_text (GTK_EDITABLE (search), "japan");
  region_list = find_by_accessible_label (popover, "Regions");
  g_assert_true (GTK_IS_LIST_BOX (region_list));
  /* search-changed comes after a short pause: wait for the list to follow. */
  g_assert_true (kl_test_wait_until (two_rows, region_list, TIMEOUT_MS));
  g_assert_nonnull (find_by_accessible_label (region_list, "Japan East (JAPAN_EAST)"));
  choice = find_by_accessible_label (region_list, "Japan West (JAPAN_WEST)");
  g_assert_true (ADW_IS_ACTION_ROW (choice));
  g_signal_emit_by_name (choice, "activated");
  g_assert_false (gtk_widget_get_visible (popover));

  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 3);
  g_assert_cmpstr (planned[2], ==, "JAPAN_WEST");
  g_assert_true (shows_label (GTK_WIDGET (page), "Japan West (JAPAN_WEST)"));

  /* Listed once; other clouds' regions are not offered. */
  g_assert_false (kl_endpoints_page_add_region (page, "JAPAN_WEST"));
  g_assert_false (kl_endpoints_page_add_region (page, "US_GOV_VIRGINIA"));
  g_assert_false (kl_endpoints_page_add_region (page, "NOT_A_REGION"));

  /* Removed with its button, named after the region. */
  click (find_button (GTK_WIDGET (page), "Remove Japan West (JAPAN_WEST) from the new endpoints"));
  g_clear_pointer (&planned, g_strfreev);
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 2);
}

/* ---- Endpoints: close and come back ------------------------------------------------------ */

/* A status already there when Keylink first looks: how long it has lasted, Keylink cannot
 * know. It says since when it has seen it, never “for less than a minute”; a change it sees
 * gives the duration again. */
static void
test_time_after_restart (Fixture       *f,
                         gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlEndpointsPage *page;
  KlEndpointRow *row;
  KlPrivateEndpoint *endpoint;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *since = NULL;
  g_autofree char *since_after = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;

  page = open_waiting_for_approval (f, regions);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  /* Seen to begin in this window. */
  g_assert_cmpstr (kl_endpoint_row_get_time_text (row), ==, "for less than a minute");

  /* Keylink closes; the new one first sees the endpoint already waiting. */
  window_close (f);
  window_open (f, 720, 900);
  before = g_date_time_new_now_local ();
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));
  endpoint = wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_nonnull (row);
  /* The time of the first look (between these two, which may fall in two minutes). */
  after = g_date_time_new_now_local ();
  since = kl_endpoint_format_seen_since (before);
  since_after = kl_endpoint_format_seen_since (after);
  g_assert_true (g_str_has_prefix (kl_endpoint_row_get_time_text (row), "seen since "));
  if (g_strcmp0 (kl_endpoint_row_get_time_text (row), since) != 0)
    {
      g_free (since);
      since = g_steal_pointer (&since_after);
    }
  g_assert_cmpstr (kl_endpoint_row_get_time_text (row), ==, since);
  g_assert_false (shows_label (GTK_WIDGET (row),
                               "Waiting for approval in Azure\u00a0· for less than a minute"));
  status = g_strconcat ("Waiting for approval in Azure\u00a0· ", since, NULL);
  g_assert_true (shows_label (GTK_WIDGET (row), status));
  /* Still so twenty minutes later: still only since when. */
  kl_endpoint_row_set_status_since (row, g_get_monotonic_time () - 20 * 60 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_prefix (kl_endpoint_row_get_time_text (row), "seen since "));

  /* Approved: a change seen, whose duration is known. */
  g_assert_true (kl_sim_approve_endpoint (f->project->sim, KL_SIM_GROUP_READY,
                                          kl_private_endpoint_get_id (endpoint), &error));
  g_assert_no_error (error);
  kl_sim_advance (f->project->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE);
  row = find_row (KL_PAGE (page), "US_EAST_2");
  g_assert_cmpstr (kl_endpoint_row_get_time_text (row), ==, "for less than a minute");
}

static void
test_resume (Fixture       *f,
             gconstpointer  user_data)
{
  KlEndpointsPage *page;
  GListModel *model;
  g_auto(GStrv) planned = NULL;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));
  click (find_create_button (page));
  g_assert_true (kl_test_wait_until (page_idle, page, TIMEOUT_MS));
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING);

  /* Keylink closes; a new one, with nothing kept locally, reads them from Atlas. */
  window_close (f);
  window_open (f, 720, 900);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  g_assert_true (kl_test_wait_until (page_loaded, page, TIMEOUT_MS));
  model = kl_endpoint_watch_get_model (kl_endpoints_page_get_watch (page));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING);
  wait_for_status (page, "EUROPE_WEST", KL_ENDPOINT_STATUS_INITIATING);
  /* Their regions are not offered a second endpoint. */
  planned = kl_endpoints_page_dup_new_regions (page);
  g_assert_cmpuint (g_strv_length (planned), ==, 0);
  g_assert_false (kl_endpoints_page_add_region (page, "US_EAST_2"));
  g_assert_null (find_by_accessible_label (GTK_WIDGET (f->window), "Create Endpoints"));

  /* Leaving the page pauses the watch; coming back resumes it. */
  kl_assistant_back (f->assistant);
  g_assert_true (kl_watch_get_paused (KL_WATCH (kl_endpoints_page_get_watch (page))));
  g_assert_true (show_page (f, "endpoints") == KL_PAGE (page));
  g_assert_false (kl_watch_get_paused (KL_WATCH (kl_endpoints_page_get_watch (page))));
  g_assert_true (kl_endpoint_watch_get_running (kl_endpoints_page_get_watch (page)));

  assert_one_per_region_on_server (f);
}

/* ---- Endpoints: Atlas unreachable, finish later ---------------------------------------- */

static gboolean
summary_says (gpointer user_data)
{
  Fixture *f = user_data;
  KlEndpointsPage *page = endpoints_page (f);
  GtkWidget *label = kl_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_LABEL);
  const char *wanted = g_object_get_data (G_OBJECT (page), "test-summary-prefix");

  /* The summary is the second label of the page, after the introduction. */
  label = gtk_widget_get_next_sibling (label);
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), wanted);
}

static void
wait_for_summary (Fixture    *f,
                  const char *prefix)
{
  g_object_set_data_full (G_OBJECT (endpoints_page (f)), "test-summary-prefix",
                          g_strdup (prefix), g_free);
  g_assert_true (kl_test_wait_until (summary_says, f, TIMEOUT_MS));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  KlEndpointsPage *page;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = endpoints_page (f);
  kl_endpoints_page_set_poll_intervals (page, 5, 40);
  connect_session (f, kl_endpoints_page_get_session (page), KL_SIM_GROUP_READY);
  g_assert_true (kl_sim_add_fault (f->project->sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest/*/"
                                   "privateEndpoints\", \"method\": \"GET\", "
                                   "\"kind\": \"status\", \"status\": 503}",
                                   &error));
  g_assert_no_error (error);

  /* Said in words; the watch keeps trying. */
  show_page (f, "endpoints");
  wait_for_summary (f, "Keylink could not read the endpoints from Atlas: ");
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  kl_sim_clear_faults (f->project->sim);
  kl_endpoint_watch_poke (kl_endpoints_page_get_watch (page));
  wait_for_summary (f, "This project has no endpoint yet.");
}

static void
test_finish_later (Fixture       *f,
                   gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  AdwMessageDialog *dialog;
  KlEndpointsPage *page;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  /* No endpoint yet: nothing to finish later. */
  g_assert_null (find_by_accessible_label (GTK_WIDGET (page), "Finish Later"));
  create_through_page (page, regions);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_INITIATING);
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* It explains that Atlas goes on, and that Keylink picks up later. */
  click (find_button (GTK_WIDGET (page), "Finish Later"));
  g_assert_true (kl_test_wait_until (dialog_shown, NULL, TIMEOUT_MS));
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Finish Later?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "picks up where things stand"));
  respond (dialog, "wait");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  click (find_button (GTK_WIDGET (page), "Finish Later"));
  g_assert_true (kl_test_wait_until (dialog_shown, NULL, TIMEOUT_MS));
  respond (find_message_dialog (), "close");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

/* ---- Endpoints: desktop notifications ---------------------------------------------------- */

static gboolean
notified (gpointer user_data)
{
  return notifications.summaries->len > 0;
}

static gboolean
notified_twice (gpointer user_data)
{
  return notifications.summaries->len >= 2;
}

static gboolean
withdrawn (gpointer user_data)
{
  return notifications.n_closed > 0;
}

static void
server_information_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A call from the application's connection to the notification server, answered after the
 * answer to its Notify: once it is back, GLib has handled that one too. */
static void
sync_with_notification_server (void)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (app));
  gboolean done = FALSE;

  g_assert_nonnull (connection);
  g_dbus_connection_call (connection, "org.freedesktop.Notifications",
                          "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                          "GetServerInformation", NULL, G_VARIANT_TYPE ("(ssss)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, server_information_cb, &done);
  g_assert_true (kl_test_wait_for_flag (&done, TIMEOUT_MS));
}

static gboolean
window_inactive (gpointer user_data)
{
  return !gtk_window_is_active (GTK_WINDOW (user_data));
}

static void
test_notification (Fixture       *f,
                   gconstpointer  user_data)
{
  static const char * const regions[] = { "US_EAST_2", NULL };
  KlEndpointsPage *page;
  GtkWidget *other;
  g_autoptr(GError) error = NULL;

  page = open_waiting_for_approval (f, regions);

  /* The user goes to another window. */
  other = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (other), "Elsewhere");
  gtk_window_present (GTK_WINDOW (other));
  if (!kl_test_wait_until (window_inactive, f->window, TIMEOUT_MS))
    {
      gtk_window_destroy (GTK_WINDOW (other));
      g_test_skip ("The display keeps the window active: no notification is due");
      return;
    }

  g_ptr_array_set_size (notifications.summaries, 0);
  g_ptr_array_set_size (notifications.bodies, 0);
  notifications.n_closed = 0;

  demo_azure (page, f->project->sim);
  click (find_button (GTK_WIDGET (find_row (KL_PAGE (page), "US_EAST_2")),
                      "Approve in Azure (simulated)"));
  kl_sim_advance (f->project->sim, KL_SIM_ACTIVATION_SECONDS);
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE);

  /* The window is not focused: a desktop notification. */
  g_assert_true (kl_test_wait_until (notified, NULL, TIMEOUT_MS));
  g_assert_cmpuint (notifications.summaries->len, ==, 1);
  g_assert_cmpstr (notifications.summaries->pdata[0], ==,
                   "Endpoint active in East US 2 (US_EAST_2)");
  g_assert_cmpstr (notifications.bodies->pdata[0], ==,
                   "Atlas now reaches the key vault privately in this region.");

  /* Withdrawn when the window comes back (once the server's answer has reached GLib, which
   * can only close a notification it has the server's id of). */
  sync_with_notification_server ();
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (kl_test_wait_until (withdrawn, NULL, TIMEOUT_MS));
  g_assert_true (gtk_window_is_active (GTK_WINDOW (f->window)));

  /* A failure while the user is elsewhere too, with Atlas's message. */
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (kl_test_wait_until (window_inactive, f->window, TIMEOUT_MS));
  g_assert_true (kl_sim_fail_endpoint (f->project->sim, KL_SIM_GROUP_READY,
                                       endpoint_id (page, "US_EAST_2"), FAILURE_MESSAGE, &error));
  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_FAILED);
  g_assert_true (kl_test_wait_until (notified_twice, NULL, TIMEOUT_MS));
  g_assert_cmpuint (notifications.summaries->len, ==, 2);
  g_assert_cmpstr (notifications.summaries->pdata[1], ==,
                   "Endpoint failed in East US 2 (US_EAST_2)");
  g_assert_cmpstr (notifications.bodies->pdata[1], ==, FAILURE_MESSAGE);

  gtk_window_destroy (GTK_WINDOW (other));
}

/* ---- Screenshots ------------------------------------------------------------------------- */

static void
delete_now (Fixture    *f,
            const char *id)
{
  KlTestAsync async = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kl_atlas_client_delete_private_endpoint_async (f->project->client, KL_SIM_GROUP_READY, id,
                                                 NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_atlas_client_delete_private_endpoint_finish (f->project->client, result,
                                                                 &error));
  g_assert_no_error (error);
}

/* The whole page, scrolled out of sight or not, with its title, on the window's background:
 * $KL_SCREENSHOT_DIR/@name.png. */
static char *
save_full_screenshot (KlPage     *page,
                      const char *name)
{
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (page));
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (frame));
  const int margin = 24;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GdkRGBA background;
  int width, height;

  dir = g_strdup (g_getenv ("KL_SCREENSHOT_DIR"));
  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "keylink-screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_strdup_printf ("%s/%s.png", dir, name);

  width = gtk_widget_get_width (frame);
  height = gtk_widget_get_height (frame);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (window),
                                                 "window_bg_color", &background));
  G_GNUC_END_IGNORE_DEPRECATIONS

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &background,
                             &GRAPHENE_RECT_INIT (0, 0, width + 2 * margin, height + 2 * margin));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (margin, margin));
  paintable = gtk_widget_paintable_new (frame);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width + 2 * margin,
                                                              height + 2 * margin));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_steal_pointer (&path);
}

/* One endpoint in each state (a rejected one as Atlas's new record), on the simulator's
 * frozen clock. */
static void
prepare_every_state (Fixture *f)
{
  static const char * const regions[] = { "US_EAST_2", "EUROPE_WEST", "UK_SOUTH",
                                          "GERMANY_WEST_CENTRAL", "JAPAN_EAST", NULL };
  static const char * const later[] = { "AUSTRALIA_EAST", NULL };
  KlSim *sim = f->project->sim;
  KlEndpointsPage *page;
  g_autoptr(GError) error = NULL;

  kl_test_project_enable_cmk (f->project, KL_SIM_GROUP_READY, TRUE);
  page = open_endpoints (f, KL_SIM_GROUP_READY);
  create_through_page (page, regions);
  kl_sim_advance (sim, KL_SIM_INITIATING_SECONDS);
  wait_for_status (page, "JAPAN_EAST", KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE);

  g_assert_true (kl_sim_approve_endpoint (sim, KL_SIM_GROUP_READY, endpoint_id (page, "US_EAST_2"),
                                          &error));
  kl_sim_advance (sim, KL_SIM_ACTIVATION_SECONDS);
  g_assert_true (kl_sim_fail_endpoint (sim, KL_SIM_GROUP_READY, endpoint_id (page, "UK_SOUTH"),
                                       FAILURE_MESSAGE, &error));
  g_assert_true (kl_sim_reject_endpoint (sim, KL_SIM_GROUP_READY,
                                         endpoint_id (page, "GERMANY_WEST_CENTRAL"), &error));
  delete_now (f, endpoint_id (page, "JAPAN_EAST"));
  g_assert_no_error (error);
  create_through_page (page, later);

  wait_for_status (page, "US_EAST_2", KL_ENDPOINT_STATUS_ACTIVE);
  wait_for_status (page, "UK_SOUTH", KL_ENDPOINT_STATUS_FAILED);
  /* Rejected: the region's row shows Atlas's new record, with the old one's message. */
  wait_for_status (page, "GERMANY_WEST_CENTRAL", KL_ENDPOINT_STATUS_INITIATING);
  g_assert_true (shows_label (GTK_WIDGET (find_row (KL_PAGE (page), "GERMANY_WEST_CENTRAL")),
                              "Previous connection: private endpoint was rejected"));
  wait_for_status (page, "JAPAN_EAST", KL_ENDPOINT_STATUS_DELETING);
  wait_for_status (page, "AUSTRALIA_EAST", KL_ENDPOINT_STATUS_INITIATING);
  window_close (f);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  Fixture f = { NULL, NULL, NULL };

  f.project = kl_test_project_new (0);
  window_open (&f, 720, 900);
  prepare_every_state (&f);
  kl_test_project_enable_cmk (f.project, KL_SIM_GROUP_MIXED, FALSE);

  for (guint dark = 0; dark <= 1; dark++)
    for (guint narrow = 0; narrow <= 1; narrow++)
      {
        const char *suffix = narrow ? "-narrow" : "";
        const char *scheme = dark ? "dark" : "light";
        int width = narrow ? 360 : 720;
        g_autofree char *name = NULL;
        g_autofree char *path = NULL;
        KlEndpointsPage *page;
        KlPage *networking;
        StatusWait wait;

        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);

        /* Private networking, before Apply, for the project with a multi-cloud cluster. */
        window_open (&f, width, 900);
        networking = kl_assistant_get_page (f.assistant, "private-networking");
        connect_session (&f, kl_private_networking_page_get_session (
                               KL_PRIVATE_NETWORKING_PAGE (networking)),
                         KL_SIM_GROUP_MIXED);
        show_page (&f, "private-networking");
        g_assert_true (kl_test_window_show (GTK_WINDOW (f.window)));
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f.window)), ==, width);
        name = g_strdup_printf ("private-networking-normal-%s%s", scheme, suffix);
        path = kl_test_save_screenshot (GTK_WIDGET (f.window), name);
        g_test_message ("saved %s", path);
        window_close (&f);
        g_clear_pointer (&name, g_free);
        g_clear_pointer (&path, g_free);

        /* Region endpoints: a row in each state, the approval command, a new region, demo:
         * the window as it opens, and the whole page. */
        window_open (&f, width, 900);
        page = open_endpoints (&f, KL_SIM_GROUP_READY);
        demo_azure (page, f.project->sim);
        wait = (StatusWait) { page, "AUSTRALIA_EAST", KL_ENDPOINT_STATUS_INITIATING, NULL };
        g_assert_true (kl_test_wait_until (region_has_status, &wait, TIMEOUT_MS));
        g_assert_true (kl_endpoints_page_add_region (page, "SWEDEN_CENTRAL"));
        g_assert_true (kl_test_window_show (GTK_WINDOW (f.window)));
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f.window)), ==, width);
        name = g_strdup_printf ("endpoints-states-%s%s", scheme, suffix);
        path = kl_test_save_screenshot (GTK_WIDGET (f.window), name);
        g_test_message ("saved %s", path);
        g_clear_pointer (&name, g_free);
        g_clear_pointer (&path, g_free);
        name = g_strdup_printf ("endpoints-states-full-%s%s", scheme, suffix);
        path = save_full_screenshot (KL_PAGE (page), name);
        g_test_message ("saved %s", path);
        window_close (&f);
      }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  kl_test_project_free (f.project);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Accessible names are read through GTK's test backend. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* Before the application sends its first notification: it then talks to this server. */
  notifications_start ();

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/endpoints-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/endpoints-page/regions", test_regions);
  g_test_add_func ("/endpoints-page/words", test_words);
  g_test_add_func ("/endpoints-page/window-session", test_window_session);
  ADD ("private-networking", test_private_networking);
  ADD ("private-networking/key-first", test_private_networking_key_first);
  ADD ("create-and-approve", test_create_and_approve);
  ADD ("reject-recreation", test_reject_recreation);
  ADD ("fail-retry", test_fail_retry);
  ADD ("delete", test_delete);
  ADD ("changed-elsewhere", test_changed_elsewhere);
  ADD ("add-region", test_add_region);
  ADD ("resume", test_resume);
  ADD ("time-after-restart", test_time_after_restart);
  ADD ("unreachable", test_unreachable);
  ADD ("finish-later", test_finish_later);
  ADD ("notification", test_notification);
  g_test_add_func ("/endpoints-page/screenshots", test_screenshots);

#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);
  notifications_stop ();
  return ret;
}
