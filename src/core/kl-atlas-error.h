/* kl-atlas-error.h
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

#define KL_TYPE_ATLAS_ERROR (kl_atlas_error_get_type ())
G_DECLARE_FINAL_TYPE (KlAtlasError, kl_atlas_error, KL, ATLAS_ERROR, GObject)

/* ---- KlAtlasError — the body of an Atlas error answer ----
 * {"detail","error","errorCode","parameters","reason"}; kept with the GError
 * (kl_atlas_error_from_gerror() in kl-error.h) so the UI can show the Atlas code. */
KlAtlasError *kl_atlas_error_new                  (guint        http_status,
                                                   const char  *error_code);
KlAtlasError *kl_atlas_error_new_from_node        (JsonNode    *node,
                                                   GError     **error);
KlAtlasError *kl_atlas_error_parse                (const char  *json,
                                                   gssize       length,
                                                   GError     **error);
guint         kl_atlas_error_get_http_status      (KlAtlasError *self); /* "error", 0 if absent */
const char   *kl_atlas_error_get_error_code       (KlAtlasError *self);
const char   *kl_atlas_error_get_detail           (KlAtlasError *self);
const char   *kl_atlas_error_get_reason           (KlAtlasError *self);
/* The "parameters" array as sent (strings, numbers, nested arrays), or NULL. */
JsonNode     *kl_atlas_error_get_parameters       (KlAtlasError *self);
/* The parameters flattened to text ("US_EAST_2, EUROPE_WEST"), or NULL when there are none. */
char         *kl_atlas_error_dup_parameters_text  (KlAtlasError *self);

G_END_DECLS
