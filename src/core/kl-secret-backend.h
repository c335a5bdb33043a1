/* kl-secret-backend.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     kl_secret_backend_ensure_async  (GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean kl_secret_backend_ensure_finish (GAsyncResult         *result,
                                          GError              **error);
guint    kl_secret_backend_get_attempts  (void);

G_END_DECLS
