/* kl-welcome-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

#include "kl-page.h"
#include "kl-profile.h"

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
gboolean  kl_welcome_page_get_busy       (KlWelcomePage      *self);

void      kl_welcome_page_sign_in_async  (KlWelcomePage      *self,
                                          const char         *id,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
KlProfile *kl_welcome_page_sign_in_finish (KlWelcomePage     *self,
                                          GAsyncResult       *result,
                                          SecretValue       **secret,
                                          GError            **error);
void      kl_welcome_page_signed_in      (KlWelcomePage      *self,
                                          KlProfile          *profile);

G_END_DECLS
