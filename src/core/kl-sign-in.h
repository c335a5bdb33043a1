/* kl-sign-in.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-atlas-client.h"

G_BEGIN_DECLS

/* Signing in to Atlas, the one way every path does it (the Sign-In page's Next, a saved
 * profile, the demo): list the projects, which proves the credentials and gives the Project
 * page its list without a second request. Errors keep their KL_ERROR code and Atlas details
 * (kl_error_get_atlas_code()), with a message that tells a new admin what to do. */

void       kl_sign_in_async         (KlAtlasClient        *client,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
/* Returns: (transfer full) (element-type KlProject): the projects the credentials can see. */
GPtrArray *kl_sign_in_finish        (KlAtlasClient        *client,
                                     GAsyncResult         *result,
                                     GError              **error);

/* The message to show for a failed sign-in with @auth_type credentials (translated). */
char      *kl_sign_in_explain_error (const GError         *error,
                                     KlAuthType            auth_type);

G_END_DECLS
