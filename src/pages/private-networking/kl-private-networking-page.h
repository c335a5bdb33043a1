/* kl-private-networking-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

#define KL_TYPE_PRIVATE_NETWORKING_PAGE (kl_private_networking_page_get_type ())

G_DECLARE_FINAL_TYPE (KlPrivateNetworkingPage, kl_private_networking_page,
                      KL, PRIVATE_NETWORKING_PAGE, KlPage)

/* @session: (nullable): the window's session, whose project is shown. With NULL the page
 * makes a session of its own (kl_private_networking_page_get_session()) and hides itself while
 * that one has no project; with the window's, the window decides what is hidden. */
KlPage *kl_prepare_private_networking_page (KlContext *context);
KlSession *kl_private_networking_page_get_session (KlPrivateNetworkingPage *self);

G_END_DECLS
