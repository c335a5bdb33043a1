/* kl-live-common.h — what the live check against real Atlas (test-live.c) and its replay on
 * the simulator (test-live-replay.c) share: a lenient spec check, the shape of an answer, and
 * the recording's JSON lines.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- KlLiveChecker: an answer against the spec extracts and the error catalogue ----
 *
 * The same schemas as the simulator tests (tests/sim/kl-schema-check.h, strict), made lenient on
 * what a newer Atlas may add: a member the extract does not declare, an enum value it does not
 * list, an error code that is not in data/atlas/api-errors.tsv. Each is added to @notes (one
 * line, e.g. "unknown field $.results[].foo in GET /api/atlas/v2/groups/{id}/clusters", each
 * told once per checker) and the check goes on without it; anything else that breaks the
 * schema of a known member is a violation (FALSE, @error). 401 answers may lack errorCode, as
 * recorded from Atlas (data/atlas/README-errors.md): noted, not a violation. Only paths under
 * /api/atlas/v2/ are checked; the others pass. */

typedef struct _KlLiveChecker KlLiveChecker;

/* @spec_dir: where atlas-admin-v2-subset.json and flex-clusters-subset.json were built;
 * @catalogue: api-errors.tsv. */
KlLiveChecker *kl_live_checker_new        (const char     *spec_dir,
                                           const char     *catalogue,
                                           GError        **error);
void           kl_live_checker_free       (KlLiveChecker  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLiveChecker, kl_live_checker_free)

/* @path: without the query; @error_code_header: X-Error-Code (nullable). */
gboolean       kl_live_checker_check      (KlLiveChecker  *self,
                                           const char     *method,
                                           const char     *path,
                                           guint           status,
                                           const char     *content_type,
                                           const char     *error_code_header,
                                           GBytes         *body,
                                           GPtrArray      *notes,
                                           GError        **error);
/* Whether the catalogue has @code. */
gboolean       kl_live_checker_knows_code (KlLiveChecker  *self,
                                           const char     *code);

/* ---- The shape of an answer ---- */

/* @path with every 24-hex id replaced by "{id}" (for messages that name no project). */
char          *kl_live_path_template      (const char     *path);
/* Every member path of @node, sorted, each once: "$.results[].id", array indices as "[]". */
GPtrArray     *kl_live_field_paths        (JsonNode       *node);
/* The state an answer shows: the values of every "status" and "stateName" member, in
 * document order ("" when there is none). */
char          *kl_live_state_text         (JsonNode       *node);
/* errorCode of an Atlas error body, else NULL (transfer none). */
const char    *kl_live_error_code         (JsonNode       *node);

/* ---- The recording: one JSON object a line ----
 *
 * First line: {"kind": "header", "format": 1, "target": "atlas" | "simulator", "groupId",
 *              "started": ISO 8601}
 * Then one per exchange, in the order the answers came:
 *   {"kind": "exchange", "seq", "ms" (since the start), "method", "path", "query" (or null),
 *    "auth" ("digest", "bearer", "basic" or null: the scheme only), "status" (0: no answer),
 *    "errorCode" (X-Error-Code, or null), "contentType", "requestBody", "responseBody"
 *    (text, redacted by kl_http_log_redact(), or null), "transportError" (or null)}
 * Nothing else: no header values, no secrets. */

typedef struct
{
  guint   seq;
  gint64  ms;
  char   *method;
  char   *path;
  char   *query;
  char   *auth;
  guint   status;
  char   *error_code;
  char   *content_type;
  char   *request_body;
  char   *response_body;
  char   *transport_error;
} KlLiveExchange;

void           kl_live_exchange_free      (KlLiveExchange *exchange);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLiveExchange, kl_live_exchange_free)

/* One line of JSON (no newline). */
char          *kl_live_exchange_to_line   (KlLiveExchange *exchange);

typedef struct
{
  char      *target;     /* "atlas" or "simulator" */
  char      *group_id;
  GPtrArray *exchanges;  /* of KlLiveExchange */
} KlLiveRecording;

void             kl_live_recording_free   (KlLiveRecording *recording);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLiveRecording, kl_live_recording_free)
KlLiveRecording *kl_live_recording_load   (const char      *path,
                                           GError         **error);

G_END_DECLS
