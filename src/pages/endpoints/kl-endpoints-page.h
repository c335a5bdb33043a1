/* kl-endpoints-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-command-view.h"
#include "kl-endpoint-watch.h"
#include "kl-page.h"
#include "kl-session.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_ENDPOINTS_PAGE (kl_endpoints_page_get_type ())

G_DECLARE_FINAL_TYPE (KlEndpointsPage, kl_endpoints_page, KL, ENDPOINTS_PAGE, KlPage)

/* The context's session may be NULL: the page then makes a session of its own
 * (kl_endpoints_page_get_session()) and hides itself while that one has no project; with the
 * window's, the window decides what is hidden. The context's answers (nullable) give the
 * resource group and vault of the approval command until the session's encryptionAtRest has
 * them (it wins when it does). */
KlPage *kl_prepare_endpoints_page (KlContext *context);
KlSession       *kl_endpoints_page_get_session      (KlEndpointsPage *self);


/* The watch that follows the project's endpoints while the page is shown (transfer none;
 * NULL before the page knows a project). Tests tune its intervals. */
KlEndpointWatch *kl_endpoints_page_get_watch        (KlEndpointsPage *self);

/* The regions the page will create endpoints in (names like "US_EAST_2"), in order. */
GStrv            kl_endpoints_page_dup_new_regions  (KlEndpointsPage *self);
/* Adds a region to / removes it from the new endpoints (FALSE when the region is neither in
 * Keylink's list nor named by Atlas for one of the project's clusters, not of the project's
 * Azure environment, already listed or already has an endpoint). */
gboolean         kl_endpoints_page_add_region       (KlEndpointsPage *self,
                                                     const char      *region_name);
void             kl_endpoints_page_remove_region    (KlEndpointsPage *self,
                                                     const char      *region_name);
/* Whether creating endpoints, a retry or a delete is in flight. */
/* The command that approves every connection waiting for approval, NULL when none waits; and
 * the view that shows it. */
const char      *kl_endpoints_page_get_approval_command (KlEndpointsPage *self);
KlCommandView   *kl_endpoints_page_get_approval_view (KlEndpointsPage *self);
gboolean         kl_endpoints_page_get_busy         (KlEndpointsPage *self);

/* Poll intervals (ms) of the watch the page makes (tests use tiny ones). */
void             kl_endpoints_page_set_poll_intervals (KlEndpointsPage *self,
                                                       guint            base_ms,
                                                       guint            max_ms);

G_END_DECLS
