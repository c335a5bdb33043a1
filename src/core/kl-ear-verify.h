/* kl-ear-verify.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-atlas-client.h"

G_BEGIN_DECLS

/* A PATCH of encryptionAtRest, then reading it back until Atlas agrees. */

/* Whether @ear is the configuration the caller waits for. */
typedef gboolean (*KlVerifyFunc) (KlEncryptionAtRest *ear,
                                  gpointer            user_data);

void                kl_ear_patch_and_verify_async  (KlAtlasClient       *client,
                                                    const char          *group_id,
                                                    GBytes              *body,
                                                    KlVerifyFunc         verify,
                                                    gpointer             verify_data,
                                                    guint                attempts,
                                                    guint                interval_ms,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
KlEncryptionAtRest *kl_ear_patch_and_verify_finish (GAsyncResult        *result,
                                                    gboolean            *verified,
                                                    GError             **error);
gboolean            kl_ear_error_is_unclear        (const GError        *error);

G_END_DECLS
