/* kl-endpoint-watch.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-enums.h"
#include "kl-watch.h"

G_BEGIN_DECLS

/* Live status of one project's Azure private endpoints: ONE
 * kl_atlas_client_list_private_endpoints_async() per tick (see KlWatch for the scheduling:
 * fast while something changes, backing off to the cap while nothing does, Retry-After
 * honoured, stops by itself when nothing is pending).
 *
 * The model (kl_endpoint_watch_get_model()) holds every KlPrivateEndpoint record of the list;
 * a record whose status, error message, connection name or region changed is replaced at its
 * position. A region may have several records: after a rejection or removal in Azure, Atlas
 * shows the old record PENDING_RECREATION (errorMessage set) while it creates a NEW record,
 * with a new id, in INITIATING; the old one goes away later (HACKING.md, Endpoint states).
 * The region model (kl_endpoint_watch_get_region_model()) follows each region by its newest record
 * (kl_private_endpoint_is_newer()): one item per region, replaced in place when the newest
 * record changes. That is what pages show. The signals below are about records.
 *
 * Signals, emitted after the model is up to date:
 *   endpoint-added   (KlPrivateEndpoint *endpoint)
 *   endpoint-removed (KlPrivateEndpoint *endpoint)       the last version seen
 *   status-changed   (KlPrivateEndpoint *endpoint, KlEndpointStatus old_status)
 *                    one per observed change of status (an unknown status text counts too)
 * and, from KlWatch, "updated" after every successful poll and "error" (GError *) for a failed
 * one. */


#define KL_TYPE_ENDPOINT_WATCH (kl_endpoint_watch_get_type ())

G_DECLARE_FINAL_TYPE (KlEndpointWatch, kl_endpoint_watch, KL, ENDPOINT_WATCH, KlWatch)

/* Properties: "client", "group-id" (construct-only), "goal"; from KlWatch: "running",
 * "paused", "base-interval", "max-interval" (ms), "model". */
KlEndpointWatch    *kl_endpoint_watch_new              (KlAtlasClient       *client,
                                                        const char          *group_id);

KlAtlasClient      *kl_endpoint_watch_get_client       (KlEndpointWatch     *self);
const char         *kl_endpoint_watch_get_group_id     (KlEndpointWatch     *self);
KlEndpointWatchGoal kl_endpoint_watch_get_goal         (KlEndpointWatch     *self);
void                kl_endpoint_watch_set_goal         (KlEndpointWatch     *self,
                                                        KlEndpointWatchGoal  goal);

/* The same as kl_watch_start() and friends. */
void                kl_endpoint_watch_start            (KlEndpointWatch     *self);
void                kl_endpoint_watch_stop             (KlEndpointWatch     *self);
/* Poll now (after a create or a delete); starts the watch if it had stopped. */
void                kl_endpoint_watch_poke             (KlEndpointWatch     *self);
void                kl_endpoint_watch_pause            (KlEndpointWatch     *self);
void                kl_endpoint_watch_resume           (KlEndpointWatch     *self);
gboolean            kl_endpoint_watch_get_running      (KlEndpointWatch     *self);

/* GListModel of KlPrivateEndpoint (transfer none). */
GListModel         *kl_endpoint_watch_get_model        (KlEndpointWatch     *self);
/* GListModel of KlPrivateEndpoint, the newest record of each region (transfer none). */
GListModel         *kl_endpoint_watch_get_region_model (KlEndpointWatch     *self);
/* Transfer none; NULL when not in the current list. */
KlPrivateEndpoint  *kl_endpoint_watch_lookup           (KlEndpointWatch     *self,
                                                        const char          *endpoint_id);
/* The region's newest record (never an old one that Atlas is replacing while a newer one
 * exists); transfer none, NULL when the region has no record. */
KlPrivateEndpoint  *kl_endpoint_watch_lookup_region    (KlEndpointWatch     *self,
                                                        const char          *region_name);
/* An older record of @endpoint's region that carries an errorMessage (the rejected or removed
 * one Atlas is replacing), the newest such; transfer none, NULL when there is none. */
KlPrivateEndpoint  *kl_endpoint_watch_lookup_superseded (KlEndpointWatch   *self,
                                                         KlPrivateEndpoint *endpoint);
/* g_get_monotonic_time() of the first poll that saw the endpoint's current status
 * (KL_WATCH_TIME_UNKNOWN when it is not in the list); kl_endpoint_watch_dup_status_since_date()
 * gives it as local time. */
gint64              kl_endpoint_watch_get_status_since (KlEndpointWatch     *self,
                                                        const char          *endpoint_id);
GDateTime          *kl_endpoint_watch_dup_status_since_date (KlEndpointWatch *self,
                                                             const char      *endpoint_id);

G_END_DECLS
