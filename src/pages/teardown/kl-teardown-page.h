/* kl-teardown-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-plan.h"
#include "kl-session.h"
#include "kl-teardown.h"

G_BEGIN_DECLS

#define KL_TYPE_TEARDOWN_PAGE (kl_teardown_page_get_type ())

G_DECLARE_FINAL_TYPE (KlTeardownPage, kl_teardown_page, KL, TEARDOWN_PAGE, KlPage)

/* Hidden until entered: win.start-flow sets the kind (the context's teardown-kind, which the
 * page follows), unhides it and jumps to it; it hides itself again when left, so
 * it never shows in the setup's Next/Back order. Leaving it, or closing the window, stops a
 * teardown in progress; shown again, it reads the project and lists only what is left. */
KlPage *kl_prepare_teardown_page (KlContext *context);
KlSession      *kl_teardown_page_get_session        (KlTeardownPage *self);
KlTeardownKind  kl_teardown_page_get_kind           (KlTeardownPage *self);
/* Not while it runs. */
void            kl_teardown_page_set_kind           (KlTeardownPage *self,
                                                     KlTeardownKind  kind);
/* Where a confirmed teardown is kept as an intent until it is done (kl-teardown-intent.h);
 * NULL keeps nothing (demo mode). */
/* Whether the steps shown come from a read of the project made since the page was shown. */
gboolean        kl_teardown_page_get_loaded         (KlTeardownPage *self);
gboolean        kl_teardown_page_get_running        (KlTeardownPage *self);
/* The steps shown (GListModel of KlStep): the plan before the run, then the run's own. */
GListModel     *kl_teardown_page_get_steps          (KlTeardownPage *self);
/* The teardown of the last run, or NULL (tests). */
KlTeardown     *kl_teardown_page_get_teardown       (KlTeardownPage *self);
/* How often endpoints and clusters are polled while waiting, in ms (tests). */
void            kl_teardown_page_set_poll_intervals (KlTeardownPage *self,
                                                     guint           base_ms,
                                                     guint           max_ms);

G_END_DECLS
