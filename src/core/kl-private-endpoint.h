/* kl-private-endpoint.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kl-types.h"

G_BEGIN_DECLS

#define KL_TYPE_PRIVATE_ENDPOINT (kl_private_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (KlPrivateEndpoint, kl_private_endpoint, KL, PRIVATE_ENDPOINT, GObject)

/* Pages of a paginated list ({"links":[…], "results":[…], "totalCount":n}). Each returns a
 * GPtrArray of new models (free function g_object_unref) and whether a link with rel "next"
 * says there are more pages. */

/* ---- KlPrivateEndpoint — EARPrivateEndpoint (Azure) ----
 * Properties "id", "region-name", "status" (KlEndpointStatus), "status-text",
 * "error-message", "private-endpoint-connection-name". */
KlPrivateEndpoint *kl_private_endpoint_new_from_node (JsonNode      *node,
                                                      GError       **error);
KlPrivateEndpoint *kl_private_endpoint_parse         (const char    *json,
                                                      gssize         length,
                                                      GError       **error);
GPtrArray         *kl_private_endpoint_parse_page    (const char    *json,
                                                      gssize         length,
                                                      gboolean      *has_next,
                                                      GError       **error);
const char       *kl_private_endpoint_get_id              (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_region_name     (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_cloud_provider  (KlPrivateEndpoint *self);
/* KL_ENDPOINT_STATUS_UNKNOWN for a value this version does not know; the text is kept. */
KlEndpointStatus  kl_private_endpoint_get_status          (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_status_text     (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_error_message   (KlPrivateEndpoint *self);
const char       *kl_private_endpoint_get_private_endpoint_connection_name
                                                          (KlPrivateEndpoint *self);
/* {"regionName": "<region>"} (no secret: a plain GBytes). */
GBytes           *kl_private_endpoint_build_create        (const char        *region_name);

/* Atlas replaces an endpoint rejected or removed in Azure by a NEW record (a new id) while
 * the old one shows PENDING_RECREATION until it goes away (HACKING.md, Endpoint states): a
 * region may have several records, and is followed by its newest. Whether @a is a newer
 * record of its region than @b: a record not in PENDING_RECREATION or DELETING beats one that is, and
 * between two alike the greater id wins (ObjectIds grow with time). */
gboolean           kl_private_endpoint_is_newer           (KlPrivateEndpoint *a,
                                                           KlPrivateEndpoint *b);
/* The newest record of @region_name in @endpoints (KlPrivateEndpoint), or NULL (transfer
 * none). */
KlPrivateEndpoint *kl_private_endpoints_find_newest       (GPtrArray         *endpoints,
                                                           const char        *region_name);
/* One record per region, its newest, in the order the regions first appear in @endpoints
 * (transfer container: the items are referenced). */
GPtrArray         *kl_private_endpoints_dup_newest        (GPtrArray         *endpoints);
/* Of the other records of @endpoint's region in @endpoints, the newest one that carries an
 * errorMessage (what Atlas said of the record it replaced, e.g. "private endpoint was
 * rejected"), or NULL (transfer none). */
KlPrivateEndpoint *kl_private_endpoints_find_superseded   (GPtrArray         *endpoints,
                                                           KlPrivateEndpoint *endpoint);

KlEndpointStatus  kl_endpoint_status_from_string  (const char       *text);
const char       *kl_endpoint_status_to_string    (KlEndpointStatus  status); /* NULL for UNKNOWN */

G_END_DECLS
