/* kl-project.h
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

#define KL_TYPE_PROJECT (kl_project_get_type ())
G_DECLARE_FINAL_TYPE (KlProject, kl_project, KL, PROJECT, GObject)

/* Pages of a paginated list ({"links":[…], "results":[…], "totalCount":n}). Each returns a
 * GPtrArray of new models (free function g_object_unref) and whether a link with rel "next"
 * says there are more pages. */

/* ---- KlProject (Group) — properties "id", "name", "org-id", "cluster-count" ---- */
KlProject    *kl_project_new_from_node      (JsonNode      *node,
                                             GError       **error);
KlProject    *kl_project_parse              (const char    *json,
                                             gssize         length,
                                             GError       **error);
GPtrArray    *kl_project_parse_page         (const char    *json,
                                             gssize         length,
                                             gboolean      *has_next,
                                             GError       **error);
const char   *kl_project_get_id             (KlProject     *self);
const char   *kl_project_get_name           (KlProject     *self);
const char   *kl_project_get_org_id         (KlProject     *self);
gint64        kl_project_get_cluster_count  (KlProject     *self); /* -1 when absent */
const char   *kl_project_get_created        (KlProject     *self); /* ISO 8601 text or NULL */

G_END_DECLS
