/* kl-live-proxy.h — a recording, checking proxy between Keylink's client and Atlas.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-live-common.h"

G_BEGIN_DECLS

/* A SoupServer on 127.0.0.1 that sends every request it gets, as it is (method, path, query,
 * Authorization, Accept, Content-Type, body), to the upstream base URL (Atlas over https, or a
 * simulator), and the answer back as it is (status, X-Error-Code, WWW-Authenticate,
 * Retry-After and every other end-to-end header, the body). So the real KlAtlasClient, pointed
 * at kl_live_proxy_get_url(), talks to Atlas (Digest and OAuth work across it: their
 * signatures cover method, path and query, which are kept), while the proxy sees every raw
 * answer:
 *
 *  - each /api/atlas/v2/ answer goes through a KlLiveChecker: unknown fields, enum values and
 *    error codes become notes, violations of known fields are kept as violations;
 *  - each exchange is written (flushed at once) as one JSON line of the recording
 *    (kl-live-common.h), bodies and queries redacted by kl_http_log_redact(); then the line is
 *    searched for every secret it was told of (kl_live_proxy_add_secret(), and every bearer
 *    token and access_token that went through): one found is replaced and counted as a
 *    violation (the redaction missed it).
 *
 * Main-loop only, on the thread-default context of its creation. */

typedef struct _KlLiveProxy KlLiveProxy;

/* @record_path: the JSON-lines file (created or truncated); @target "atlas" or "simulator"
 * and @group_id go into its header. */
KlLiveProxy *kl_live_proxy_new              (const char    *upstream_url,
                                             KlLiveChecker *checker,
                                             const char    *record_path,
                                             const char    *target,
                                             const char    *group_id,
                                             GError       **error);
void         kl_live_proxy_free             (KlLiveProxy   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLiveProxy, kl_live_proxy_free)

/* "http://127.0.0.1:PORT" */
const char  *kl_live_proxy_get_url          (KlLiveProxy   *self);
/* A value that must never reach the recording (copied; cleared on free). */
void         kl_live_proxy_add_secret       (KlLiveProxy   *self,
                                             const char    *secret);
/* Notes and violations since the last call (transfer full, of char *). */
GPtrArray   *kl_live_proxy_take_notes       (KlLiveProxy   *self);
GPtrArray   *kl_live_proxy_take_violations  (KlLiveProxy   *self);
/* Answers forwarded so far for @method (NULL: any) on paths ending with @suffix (NULL: any),
 * but 401s: with an API key every call is a Digest challenge first. */
guint        kl_live_proxy_count            (KlLiveProxy   *self,
                                             const char    *method,
                                             const char    *suffix);
/* Exchanges written to the recording so far. */
guint        kl_live_proxy_get_n_recorded   (KlLiveProxy   *self);

G_END_DECLS
