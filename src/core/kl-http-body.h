/* kl-http-body.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An HTTP answer's body, read into memory up to a cap (the Atlas and Azure clients' own). A
 * Content-Length over the cap fails at once, and a body that grows past it fails before more
 * of it is read, both with G_IO_ERROR_NO_SPACE. The body stream is closed in every case. */
void    kl_http_body_read_async  (SoupMessage          *message,
                                  GInputStream         *stream,
                                  gsize                 max_bytes,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
GBytes *kl_http_body_read_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
