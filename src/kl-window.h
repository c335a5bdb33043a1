/* kl-window.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-credentials.h"
#include "kl-session.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_WINDOW (kl_window_get_type ())

G_DECLARE_FINAL_TYPE (KlWindow, kl_window, KL, WINDOW, AdwApplicationWindow)

KlWindow       *kl_window_new             (KlApplication *application);
GCancellable   *kl_window_get_cancellable (KlWindow      *self);
void            kl_window_add_toast       (KlWindow      *self,
                                           AdwToast      *toast);
KlAssistant    *kl_window_get_assistant   (KlWindow      *self);
KlSetupAnswers *kl_window_get_answers     (KlWindow      *self);
KlSession      *kl_window_get_session     (KlWindow      *self);
KlCredentials  *kl_window_get_credentials (KlWindow      *self);

char           *kl_window_dup_help_html_uri (const char  *section);

G_END_DECLS
