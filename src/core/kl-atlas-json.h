/* kl-atlas-json.h
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

/* Whether @id has the shape of an Atlas id: 24 lowercase hex digits. */
gboolean      kl_atlas_id_is_valid          (const char    *id);
/* Zeroes a secret string, then frees it. NULL-safe. */
void          kl_secret_free                (char          *secret);

/* json-glib recurses once per nesting level, so enough '[' from a server would overflow the
 * stack: every parser of server answers first checks that @json (@length bytes, -1: up to
 * the NUL) nests arrays and objects at most KL_JSON_MAX_DEPTH deep. */
#define KL_JSON_MAX_DEPTH 128
gboolean      kl_json_depth_is_safe         (const char    *json,
                                             gssize         length);
/* json-glib refuses a whole document for one invalid UTF-8 sequence, and cuts a string at a
 * NUL: a copy of @json (@length bytes, -1: up to the NUL) where each invalid sequence and NUL
 * byte is U+FFFD, and each \u0000 escape inside a string is \ufffd, so one bad name spoils
 * only itself. NULL when @json needs no change; else the copy, its size in
 * @out_length. */
char         *kl_json_dup_sanitized         (const char    *json,
                                             gssize         length,
                                             gsize         *out_length);

G_END_DECLS
