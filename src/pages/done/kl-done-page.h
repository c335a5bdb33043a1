/* kl-done-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

#define KL_TYPE_DONE_PAGE (kl_done_page_get_type ())

G_DECLARE_FINAL_TYPE (KlDonePage, kl_done_page, KL, DONE_PAGE, KlPage)

/* Hidden while the session has no project. Shown, it reads the project again and sums up
 * its state, with what is left to do in Azure. */
KlPage *kl_prepare_done_page (KlContext *context);
KlSession *kl_done_page_get_session (KlDonePage *self);
/* Whether the page shows the state of a refresh it asked for (tests). */
gboolean   kl_done_page_get_loaded  (KlDonePage *self);

G_END_DECLS
