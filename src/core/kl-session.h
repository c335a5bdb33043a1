/* kl-session.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-atlas-client.h"
#include "kl-plan.h"

G_BEGIN_DECLS

/* What the pages share: the signed-in client, the chosen project, and the project's state as
 * last read from the server, with the plan derived from it. The server is the source of
 * truth: kl_session_refresh_async() reads it again (encryptionAtRest, the Azure private
 * endpoints, the clusters and the Flex clusters, in parallel) and replaces the state and the
 * plan at once. */

#define KL_TYPE_SESSION (kl_session_get_type ())

G_DECLARE_FINAL_TYPE (KlSession, kl_session, KL, SESSION, GObject)

KlSession          *kl_session_new                (void);

KlAtlasClient      *kl_session_get_client         (KlSession           *self);
/* Replacing the client forgets the project and its state. */
void                kl_session_set_client         (KlSession           *self,
                                                   KlAtlasClient       *client);

KlProject          *kl_session_get_project        (KlSession           *self);
const char         *kl_session_get_group_id       (KlSession           *self);
/* Choosing a project forgets the state of the previous one. */
void                kl_session_set_project        (KlSession           *self,
                                                   KlProject           *project);

/* The state of the last refresh, or NULL before the first one. */
KlEncryptionAtRest *kl_session_get_encryption_at_rest (KlSession       *self);
GPtrArray          *kl_session_get_endpoints      (KlSession           *self); /* of KlPrivateEndpoint */
/* Of KlCluster: the clusters list, then the Flex clusters (from the Flex API; missing when
 * that list failed). */
GPtrArray          *kl_session_get_clusters       (KlSession           *self);
/**
 * kl_session_get_clusters_error:
 *
 * Why kl_session_get_clusters() is incomplete, or %NULL when the clusters list was read whole
 * (and before the first refresh). Set when Atlas refused the clusters list with 400
 * CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API because the project holds a Flex cluster: the
 * refresh still succeeds, with the Flex clusters only. A KL_ERROR_CONFLICT whose translated
 * message names the Flex cluster and says what to do; replaced by every refresh.
 *
 * Returns: (transfer none) (nullable): the error
 */
const GError       *kl_session_get_clusters_error (KlSession           *self);
KlPlan             *kl_session_get_plan           (KlSession           *self);

/* Reads the project's state again (four lists in parallel; a failed Flex list is not a
 * failure, see above). On success the state and the
 * plan are replaced together and notify::plan is emitted. A refresh that finishes after a
 * newer one was started, or after the project changed, is dropped (its caller still gets its
 * result). */
void                kl_session_refresh_async      (KlSession           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            kl_session_refresh_finish     (KlSession           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
