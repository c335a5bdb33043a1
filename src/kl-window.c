/* kl-window.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-assistant.h"
#include "kl-window-private.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/endpoints/kl-endpoints-page.h"

/* The window owns the session (client, project, state and plan), the answers and the
 * context the pages share; this file is its chrome: the header bar and its menu, the
 * toasts, the demo's banner, closing, and what waits for the first frame. The pages and
 * the flows are kl-window-flow.c's, the actions kl-window-actions.c's. */

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

/* The demo's “Fill In Demo Values”, on the pages that take Azure values. */
void
kl_window_update_demo_button (KlWindow *self)
{
  KlPage *page = kl_assistant_get_current_page (self->assistant);
  const char *page_id = page != NULL ? kl_page_get_page_id (page) : NULL;
  gboolean fillable;

  fillable = kl_flow_get_demo (self->flow) && page != NULL && !kl_page_get_read_only (page) &&
             (g_strcmp0 (page_id, KL_PAGE_AZURE_APP) == 0 ||
              g_strcmp0 (page_id, KL_PAGE_KEY_VAULT) == 0);
  gtk_widget_set_visible (self->fill_demo_button, fillable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fill-demo-values", fillable);
}

/* ---- Closing while Atlas works ----------------------------------------------------------- */

/* What Atlas goes on with once Keylink is closed (HACKING.md, Endpoint states): endpoints being
 * created or waiting for approval, clusters updating. */
typedef enum
{
  WAITING_NONE      = 0,
  WAITING_ENDPOINTS = 1 << 0,
  WAITING_CLUSTERS  = 1 << 1,
} Waiting;

static gboolean
endpoint_is_pending (KlPrivateEndpoint *endpoint)
{
  switch (kl_private_endpoint_get_status (endpoint))
    {
    case KL_ENDPOINT_STATUS_INITIATING:
    case KL_ENDPOINT_STATUS_PENDING_ACCEPTANCE:
    case KL_ENDPOINT_STATUS_PENDING_RECREATION:
      return TRUE;

    default:
      return FALSE;
    }
}

/* From the state at hand: the Endpoints page's watch while it follows them, and what the
 * session read last; the Clusters page while it turns the key on. */
static Waiting
get_waiting (KlWindow *self)
{
  KlPage *endpoints_page = kl_assistant_peek_page (self->assistant, KL_PAGE_ENDPOINTS);
  KlPage *clusters_page = kl_assistant_peek_page (self->assistant, KL_PAGE_CLUSTERS);
  KlEndpointWatch *watch = NULL;
  GPtrArray *endpoints = kl_session_get_endpoints (self->session);
  GPtrArray *clusters = kl_session_get_clusters (self->session);
  Waiting waiting = WAITING_NONE;

  if (KL_IS_ENDPOINTS_PAGE (endpoints_page))
    {
      watch = kl_endpoints_page_get_watch (KL_ENDPOINTS_PAGE (endpoints_page));
      if (kl_endpoints_page_get_busy (KL_ENDPOINTS_PAGE (endpoints_page)))
        waiting |= WAITING_ENDPOINTS;
    }

  if (watch != NULL)
    {
      GListModel *model = kl_endpoint_watch_get_model (watch);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(KlPrivateEndpoint) endpoint = g_list_model_get_item (model, i);

          if (endpoint_is_pending (endpoint))
            waiting |= WAITING_ENDPOINTS;
        }
    }
  if (endpoints != NULL)
    {
      for (guint i = 0; i < endpoints->len; i++)
        if (endpoint_is_pending (g_ptr_array_index (endpoints, i)))
          waiting |= WAITING_ENDPOINTS;
    }

  if (KL_IS_CLUSTERS_PAGE (clusters_page) && kl_page_get_applying (clusters_page))
    waiting |= WAITING_CLUSTERS;
  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    if (g_strcmp0 (kl_cluster_get_state_name (g_ptr_array_index (clusters, i)), "UPDATING") == 0)
      waiting |= WAITING_CLUSTERS;

  return waiting;
}

/* A modal dialog of the window is open: the window itself cannot be closed by hand meanwhile,
 * so the close comes from the dialog, whose answer was the confirmation. */
static gboolean
has_modal_dialog (KlWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) self &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (self) &&
        gtk_window_get_modal (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;

  return FALSE;
}

/* Closing asks first on the pages that wait for Atlas (Endpoints, Clusters, the teardown)
 * while Atlas is still at work or a step runs. Not in the demo: its Atlas ends with Keylink. */
static gboolean
should_ask_before_closing (KlWindow *self)
{
  KlPage *page = kl_assistant_get_current_page (self->assistant);
  const char *page_id;

  if (page == NULL || self->close_confirmed || kl_context_get_demo (self->context) ||
      has_modal_dialog (self))
    return FALSE;

  page_id = kl_page_get_page_id (page);
  if (g_strcmp0 (page_id, KL_PAGE_ENDPOINTS) != 0 &&
      g_strcmp0 (page_id, KL_PAGE_CLUSTERS) != 0 &&
      g_strcmp0 (page_id, KL_PAGE_TEARDOWN) != 0)
    return FALSE;

  return kl_page_get_applying (page) || get_waiting (self) != WAITING_NONE;
}

static const char *
finish_later_body (Waiting waiting)
{
  if ((waiting & WAITING_ENDPOINTS) && (waiting & WAITING_CLUSTERS))
    return _("Atlas goes on creating the private endpoints and updating the clusters without "
             "Keylink. Approve each endpoint in Azure when it waits for approval. When you open "
             "Keylink again and choose this project, it picks up where things stand.");
  if (waiting & WAITING_ENDPOINTS)
    return _("Atlas goes on creating the private endpoints without Keylink. Approve each one "
             "in Azure when it waits for approval. When you open Keylink again and choose this "
             "project, it picks up where things stand.");
  if (waiting & WAITING_CLUSTERS)
    return _("Atlas goes on updating the clusters without Keylink. When you open Keylink again "
             "and choose this project, it picks up where things stand.");
  return _("Nothing is left waiting in Atlas: the step in progress stops where it is. When you "
           "open Keylink again and choose this project, it picks up where things stand.");
}

static void
finish_later_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          KlWindow         *self)
{
  if (g_strcmp0 (response, "close") != 0)
    return;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * kl_window_ask_finish_later:
 *
 * “Finish Later?”: says what Atlas goes on with once Keylink is closed (the endpoints being
 * created, the clusters updating, or nothing), with Keep Waiting (the default, and Escape) and
 * Close Keylink.
 */
void
kl_window_ask_finish_later (KlWindow *self)
{
  AdwMessageDialog *dialog;

  g_return_if_fail (KL_IS_WINDOW (self));

  if (self->finish_later_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->finish_later_dialog));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Finish Later?"),
                                                       finish_later_body (get_waiting (self))));
  adw_message_dialog_add_responses (dialog,
                                    "wait", _("_Keep Waiting"),
                                    "close", _("_Close Keylink"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "wait", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "wait");
  adw_message_dialog_set_close_response (dialog, "wait");
  g_signal_connect_object (dialog, "response", G_CALLBACK (finish_later_response_cb), self, 0);

  g_set_weak_pointer (&self->finish_later_dialog, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- The window ------------------------------------------------------------------------- */

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);
  int width, height;

  if (should_ask_before_closing (self))
    {
      kl_window_ask_finish_later (self);
      return TRUE;
    }

  /* Anything still in flight belongs to this window: stop it now. */
  g_cancellable_cancel (self->cancellable);
  kl_setup_answers_flush_draft (self->answers);

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (kl_window_parent_class)->close_request (window);
}

static void
app_demo_changed_cb (KlWindow      *self,
                     GParamSpec    *pspec,
                     KlApplication *app)
{
  if (kl_application_get_demo (app) && !kl_context_get_demo (self->context))
    kl_window_start_demo (self, app);
}

/* "application" is not a construct property: it is set after constructed(). */
static void
kl_window_notify_application (KlWindow   *self,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  KlApplication *kl_app;
  int width, height;

  if (!KL_IS_APPLICATION (app) || self->settings != NULL)
    return;

  kl_app = KL_APPLICATION (app);
  /* Known before the settings, which the Welcome page lists the saved profiles on (never
   * in the demo). */
  if (kl_application_get_demo (kl_app))
    kl_context_set_demo (self->context, TRUE);
  self->settings = g_object_ref (kl_application_get_settings (kl_app));
  kl_setup_answers_set_draft_settings (self->answers, self->settings);
  kl_context_set_settings (self->context, self->settings);
  kl_context_set_base_url (self->context, kl_application_get_atlas_url (kl_app));

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (kl_app, "notify::demo", G_CALLBACK (app_demo_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (kl_application_get_demo (kl_app))
    kl_window_start_demo (self, kl_app);
}

/* ---- The keyboard shortcuts window ---------------------------------------------------
 * Built after the first frame rather than with the window (GtkApplication's way), which
 * would put a whole GtkShortcutsWindow before it. win.show-help-overlay comes with it. */

static void
clear_paint_watch (KlWindow *self)
{
  if (self->paint_clock != NULL)
    g_clear_signal_handler (&self->paint_id, self->paint_clock);
  g_clear_object (&self->paint_clock);
}

static gboolean
load_help_overlay_cb (gpointer user_data)
{
  KlWindow *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  self->help_overlay_id = 0;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/kl-help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (overlay));

  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                KlWindow      *self)
{
  clear_paint_watch (self);

  if (self->help_overlay_id == 0 &&
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) == NULL)
    /* Off the flow: only the Keyboard Shortcuts window needs it, so it may wait for a quiet
     * main loop (while the window animates without pause, Ctrl+? shows nothing until then). */
    self->help_overlay_id = g_idle_add_full (G_PRIORITY_LOW, load_help_overlay_cb, self, NULL);
}

static void
kl_window_realize (GtkWidget *widget)
{
  KlWindow *self = KL_WINDOW (widget);
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (kl_window_parent_class)->realize (widget);

  clock = gtk_widget_get_frame_clock (widget);
  if (clock == NULL || self->paint_clock != NULL ||
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) != NULL)
    return;

  self->paint_clock = g_object_ref (clock);
  self->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), self);
}

static void
kl_window_unrealize (GtkWidget *widget)
{
  clear_paint_watch (KL_WINDOW (widget));

  GTK_WIDGET_CLASS (kl_window_parent_class)->unrealize (widget);
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  clear_paint_watch (self);
  g_clear_handle_id (&self->help_overlay_id, g_source_remove);
  g_clear_weak_pointer (&self->finish_later_dialog);

  if (self->flow != NULL)
    kl_flow_set_page_title_func (self->flow, NULL, NULL);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->answers != NULL)
    g_signal_handlers_disconnect_by_data (self->answers, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_WINDOW);

  G_OBJECT_CLASS (kl_window_parent_class)->dispose (object);
}

static void
kl_window_finalize (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->answers);
  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->credentials);
  g_clear_object (&self->flow);
  g_clear_object (&self->context);
  g_clear_pointer (&self->answers_group_id, g_free);
  g_clear_pointer (&self->resume_group_id, g_free);

  G_OBJECT_CLASS (kl_window_parent_class)->finalize (object);
}

static void
kl_window_class_init (KlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kl_window_dispose;
  object_class->finalize = kl_window_finalize;

  widget_class->realize = kl_window_realize;
  widget_class->unrealize = kl_window_unrealize;

  window_class->close_request = kl_window_close_request;

  g_type_ensure (KL_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, fill_demo_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, assistant);

  kl_window_class_add_actions (widget_class);
}


/* The primary menu's popover is built when it is first opened, not with the window: building
 * it cost a seventh of the window's construction before the first frame. */
static void
create_primary_menu_cb (GtkMenuButton *button,
                        gpointer       user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

/* A page's message (kl_context_add_toast()). */
static void
context_toast_cb (KlWindow   *self,
                  const char *text)
{
  kl_window_add_toast (self, adw_toast_new (text));
}

static void
kl_window_init (KlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->primary_menu_button,
                                         create_primary_menu_cb, self, NULL);

  /* Named by the text it shows, once, without the mnemonic. */
  kl_a11y_name_button_by_text (GTK_BUTTON (self->fill_demo_button));

  self->cancellable = g_cancellable_new ();
  self->session = kl_session_new ();
  self->answers = kl_setup_answers_new ();
  self->credentials = kl_credentials_new ();
  self->flow = kl_flow_new ();
  self->context = kl_context_new (self->session, self->answers);
  kl_context_set_credentials (self->context, self->credentials);
  kl_context_set_cancellable (self->context, self->cancellable);
  kl_context_set_flow (self->context, self->flow);

  g_signal_connect_object (self->context, "toast", G_CALLBACK (context_toast_cb), self,
                           G_CONNECT_SWAPPED);

  kl_assistant_set_cancellable (self->assistant, self->cancellable);
  kl_window_init_flow (self);

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (kl_window_notify_application), NULL);

  kl_window_update_demo_button (self);

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

KlWindow *
kl_window_new (KlApplication *application)
{
  return g_object_new (KL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * kl_window_get_cancellable:
 *
 * Returns: (transfer none): the cancellable that is cancelled when the window closes.
 */
GCancellable *
kl_window_get_cancellable (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->cancellable;
}

void
kl_window_add_toast (KlWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (KL_IS_WINDOW (self));

  kl_assistant_add_toast (self->assistant, toast);
}

/**
 * kl_window_get_assistant:
 *
 * Returns: (transfer none): the assistant that runs the flow
 */
KlAssistant *
kl_window_get_assistant (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->assistant;
}

/**
 * kl_window_get_answers:
 *
 * Returns: (transfer none): what the user answered on the setup pages
 */
KlSetupAnswers *
kl_window_get_answers (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->answers;
}

/**
 * kl_window_get_session:
 *
 * Returns: (transfer none): the signed-in client, the chosen project and its state, shared
 *   by every page
 */
KlSession *
kl_window_get_session (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * kl_window_get_credentials:
 *
 * Returns: (transfer none): the saved profiles this window signs in with
 */
KlCredentials *
kl_window_get_credentials (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->credentials;
}
