/* kl-atlas-json-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kl-atlas-json.h"

G_BEGIN_DECLS

/* What the Atlas models share: JSON accessors that check each node's type and fail with
 * KL_ERROR_BAD_RESPONSE, the page parser, and a buffer for request bodies that may hold a
 * secret. Internal to the core library. */

/* The root of @json (@length bytes, -1: up to the NUL), after the depth check and the
 * sanitizing; NULL with KL_ERROR_BAD_RESPONSE when it is empty or malformed. */
JsonNode *kl_json_parse_root (const char  *json,
                              gssize       length,
                              GError     **error);
/* The object held by @node; @what names it in the error. */
JsonObject *kl_json_node_get_object (JsonNode    *node,
                                     const char  *what,
                                     GError     **error);

/* Member getters: TRUE with the member (or its absence) in @out, FALSE with
 * KL_ERROR_BAD_RESPONSE when the member has another type. */
gboolean kl_json_member_string (JsonObject  *object,
                                const char  *name,
                                char       **out,
                                GError     **error);
gboolean kl_json_member_boolean (JsonObject  *object,
                                 const char  *name,
                                 gboolean    *out,
                                 gboolean    *present,
                                 GError     **error);
gboolean kl_json_member_int (JsonObject  *object,
                             const char  *name,
                             gint64      *out,
                             GError     **error);
gboolean kl_json_member_object (JsonObject  *object,
                                const char  *name,
                                JsonObject **out,
                                GError     **error);
gboolean kl_json_member_array (JsonObject  *object,
                               const char  *name,
                               JsonArray  **out,
                               GError     **error);

/* Pages: {"links":[{"href","rel"}], "results":[…], "totalCount":n}. */
typedef GObject *(*KlJsonItemFromNode) (JsonNode *node, GError **error);

GPtrArray *kl_json_parse_page (const char         *json,
                               gssize              length,
                               KlJsonItemFromNode  item_from_node,
                               gboolean           *has_next,
                               GError            **error);

/* Bodies that may hold a secret: written once into a buffer sized beforehand (so it is never
 * reallocated and copied), handed out in a GBytes that zeroes the buffer when freed. */
typedef struct
{
  char  *data;
  gsize  length;
  gsize  capacity;
} KlSecureBuffer;

/* Room for @text as a JSON string with every byte escaped, quotes included. */
gsize kl_json_string_bound (const char *text);
KlSecureBuffer *kl_secure_buffer_new (gsize capacity);
void kl_secure_buffer_append (KlSecureBuffer *buffer,
                              const char     *text);
void kl_secure_buffer_append_c (KlSecureBuffer *buffer,
                                char            c);
void kl_secure_buffer_append_json_string (KlSecureBuffer *buffer,
                                          const char     *text);
/* Hands the buffer over to the GBytes, which zeroes and frees it with its last reference. */
GBytes *kl_secure_buffer_to_bytes (KlSecureBuffer *buffer);
/* {"<name>": "<value>"}, in a zeroed-on-free GBytes. */
GBytes *kl_json_build_single_string_object (const char *name,
                                            const char *value);

G_END_DECLS
