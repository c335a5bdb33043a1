/* kl-schema-check.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Validates JSON against the schemas of the Atlas OpenAPI extract (converted to JSON at build
 * time by build-aux/yaml-to-json.py): required members, types, enums, patterns, formats
 * (date-time, uuid), minimum/maximum and lengths; $ref and allOf resolved; oneOf and anyOf
 * pass when one branch passes (or the discriminator's branch, when the value names one).
 *
 * Stricter than OpenAPI on two points, because the simulator must not invent anything:
 * members a schema does not declare are refused, and so are writeOnly members (such as
 * azureKeyVault.secret) in a response.
 *
 * Leniency: a schema that is only `type: object` (no properties, allOf or oneOf) accepts any
 * value, and `type: object` beside a oneOf is left to the oneOf. The extract uses `object` that
 * way, e.g. ApiError.parameters items, which in practice are strings or nested arrays. */

typedef struct _KlSchemaCheck KlSchemaCheck;

KlSchemaCheck *kl_schema_check_new_from_file (const char     *path,
                                              GError        **error);
void           kl_schema_check_free          (KlSchemaCheck  *check);

/* Atlas answers enum values the extract does not list yet (a region opened after the spec
 * was taken, such as the simulator's KL_SIM_NEW_AZURE_REGION): @value is then accepted by
 * every enum of strings. Only for values a test names on purpose. */
void           kl_schema_check_allow_enum_value (KlSchemaCheck *check,
                                                 const char    *value);

/* Validates @value against #/components/schemas/@schema_name. */
gboolean       kl_schema_check_value         (KlSchemaCheck  *check,
                                              const char     *schema_name,
                                              JsonNode       *value,
                                              GError        **error);

/* Finds the operation for @method on @path (a request path such as
 * /api/atlas/v2/groups/65f0…/clusters; the query is ignored), then the response for @status
 * (an error status the operation does not declare falls back to the ApiError schema of
 * application/json) and checks that @content_type (parameters such as charset ignored) is one
 * the spec lists for it, and that @body matches its schema (an empty body when it has none). */
gboolean       kl_schema_check_response      (KlSchemaCheck  *check,
                                              const char     *method,
                                              const char     *path,
                                              guint           status,
                                              const char     *content_type,
                                              GBytes         *body,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSchemaCheck, kl_schema_check_free)

G_END_DECLS
