/* kl-window.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-assistant.h"
#include "kl-setup-answers.h"
#include "kl-window.h"
#include "pages/azure-app/kl-azure-app-page.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/done/kl-done-page.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/rotate/kl-rotate-page.h"
#include "pages/teardown/kl-teardown-page.h"
#include "pages/welcome/kl-welcome-page.h"

struct _KlWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  GSettings            *settings;
  KlSetupAnswers       *answers;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *demo_revealer;
  KlAssistant          *assistant;
};

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
kl_window_help_shown_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_debug ("Opening the help failed: %s", error->message);
      kl_window_add_toast (self,
                           adw_toast_new (_("The help could not be opened. Install the “Yelp” help viewer (package yelp) and try again.")));
    }
}

/* win.help: opens the user guide, at the page named by the optional string parameter. */
static void
kl_window_help_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  const char *section = parameter ? g_variant_get_string (parameter, NULL) : "";
  g_autofree char *uri = NULL;

  if (section != NULL && section[0] != '\0')
    uri = g_strdup_printf ("help:keylink/%s", section);
  else
    uri = g_strdup ("help:keylink");

  gtk_show_uri_full (GTK_WINDOW (widget), uri, GDK_CURRENT_TIME, NULL,
                     kl_window_help_shown_cb, g_object_ref (widget));
}

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);
  int width, height;

  /* Anything still in flight belongs to this window: stop it now. */
  g_cancellable_cancel (self->cancellable);

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

/* "application" is not a construct property: it is set after constructed(). */
static void
kl_window_notify_application (KlWindow   *self,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  int width, height;

  if (KL_IS_APPLICATION (app) && self->settings == NULL)
    {
      self->settings = g_object_ref (kl_application_get_settings (KL_APPLICATION (app)));
      gtk_revealer_set_reveal_child (self->demo_revealer,
                                     kl_application_get_demo (KL_APPLICATION (app)));

      g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

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

  window_class->close_request = kl_window_close_request;

  g_type_ensure (KL_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, assistant);

  gtk_widget_class_install_action (widget_class, "win.help", NULL, kl_window_help_action);
  gtk_widget_class_install_action (widget_class, "win.help-section", "s", kl_window_help_action);
}

/* The setup flow (design.md section 2). The lead adds sign-in, project and the
 * networking pages around these. */
static void
kl_window_add_setup_pages (KlWindow *self)
{
  g_autoptr(KlSession) session = kl_session_new (); /* the window's own once the flow has one */
  KlPage *key_vault_page;

  self->answers = kl_setup_answers_new ();
  key_vault_page = kl_key_vault_page_new (self->answers);
  g_object_bind_property (self->answers, "azure-environment",
                          key_vault_page, "azure-environment",
                          G_BINDING_SYNC_CREATE);

  kl_assistant_add_page (self->assistant, kl_welcome_page_new ());
  kl_assistant_add_page (self->assistant, kl_azure_app_page_new (self->answers));
  kl_assistant_add_page (self->assistant, key_vault_page);
  kl_assistant_add_page (self->assistant, kl_review_page_new (self->answers));
  kl_assistant_add_page (self->assistant, kl_clusters_page_new (session));
  kl_assistant_add_page (self->assistant, kl_done_page_new (session));
  kl_assistant_add_page (self->assistant, kl_rotate_page_new (session));   /* hidden: entered from Project */
  kl_assistant_add_page (self->assistant, kl_teardown_page_new (session)); /* hidden: entered from Project */
}

static void
kl_window_init (KlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  kl_assistant_set_cancellable (self->assistant, self->cancellable);
  kl_window_add_setup_pages (self);
  g_signal_connect (self, "notify::application",
                    G_CALLBACK (kl_window_notify_application), NULL);

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

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
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
