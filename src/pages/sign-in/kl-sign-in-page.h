/* kl-sign-in-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-credentials.h"
#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

#define KL_TYPE_SIGN_IN_PAGE (kl_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (KlSignInPage, kl_sign_in_page, KL, SIGN_IN_PAGE, KlPage)

KlPage *kl_prepare_sign_in_page (KlContext *context);
void    kl_sign_in_page_load_profile   (KlSignInPage  *self,
                                        KlProfile     *profile,
                                        SecretValue   *secret);

G_END_DECLS
