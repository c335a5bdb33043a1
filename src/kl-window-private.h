/* kl-window-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-context.h"
#include "kl-flow.h"
#include "kl-window.h"

G_BEGIN_DECLS

/* Shared by kl-window.c (the chrome), kl-window-flow.c (the pages and the flows) and
 * kl-window-actions.c (the window's actions). */

struct _KlWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  GSettings            *settings;
  KlSetupAnswers       *answers;
  KlSession            *session;
  KlAtlasClient        *client;            /* the session's, to sign out when replaced */
  KlCredentials        *credentials;
  KlContext            *context;           /* what every page shares */

  KlFlow               *flow;
  char                 *answers_group_id;  /* the project whose server answers are shown */
  char                 *resume_group_id;   /* "Continue with": resume it once its state is read */

  GdkFrameClock        *paint_clock;       /* until the first frame: then the help overlay */
  gulong                paint_id;
  guint                 help_overlay_id;

  GtkWidget            *finish_later_dialog; /* while it is shown (a weak pointer) */
  gboolean              close_confirmed;     /* “Close Keylink” in it: close without asking */

  /* Template widgets */
  GtkRevealer          *demo_revealer;
  GtkWidget            *fill_demo_button;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  KlAssistant          *assistant;
};

/* kl-window-actions.c */
void kl_window_class_add_actions  (GtkWidgetClass *widget_class);

/* kl-window.c */
void kl_window_update_demo_button (KlWindow       *self);
void kl_window_ask_finish_later   (KlWindow       *self);

/* kl-window-flow.c */
void kl_window_init_flow          (KlWindow       *self);
void kl_window_update_pages       (KlWindow       *self);
void kl_window_start_flow         (KlWindow       *self,
                                   const char     *action);
void kl_window_sign_in_profile    (KlWindow       *self,
                                   const char     *id);
void kl_window_continue_project   (KlWindow       *self);
void kl_window_start_demo         (KlWindow       *self,
                                   KlApplication  *app);

G_END_DECLS
