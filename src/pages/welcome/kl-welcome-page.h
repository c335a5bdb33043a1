/* kl-welcome-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"

G_BEGIN_DECLS

#define KL_TYPE_WELCOME_PAGE (kl_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (KlWelcomePage, kl_welcome_page, KL, WELCOME_PAGE, KlPage)

KlPage *kl_prepare_welcome_page (KlContext *context);
void      kl_welcome_page_set_profiles   (KlWelcomePage      *self,
                                          const char * const *names,
                                          const char * const *ids);
void      kl_welcome_page_clear_profiles (KlWelcomePage      *self);
void      kl_welcome_page_add_profile    (KlWelcomePage      *self,
                                          const char         *id,
                                          const char         *title,
                                          const char         *subtitle,
                                          gboolean            usable);
void      kl_welcome_page_set_continue   (KlWelcomePage      *self,
                                          const char         *project_name,
                                          const char         *profile_name);
gboolean  kl_welcome_page_get_loading    (KlWelcomePage      *self);
void      kl_welcome_page_set_loading    (KlWelcomePage      *self,
                                          gboolean            loading);
void      kl_welcome_page_set_busy       (KlWelcomePage      *self,
                                          gboolean            busy);
void      kl_welcome_page_set_demo       (KlWelcomePage      *self,
                                          gboolean            demo);

G_END_DECLS
