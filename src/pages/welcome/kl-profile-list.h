/* kl-profile-list.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

#include "kl-context.h"
#include "kl-credentials.h"

G_BEGIN_DECLS

#define KL_TYPE_PROFILE_LIST (kl_profile_list_get_type ())

G_DECLARE_FINAL_TYPE (KlProfileList, kl_profile_list, KL, PROFILE_LIST, GObject)

KlProfileList *kl_profile_list_new            (KlContext      *context);

void           kl_profile_list_load           (KlProfileList  *self);
gboolean       kl_profile_list_get_loading    (KlProfileList  *self);
GPtrArray     *kl_profile_list_get_profiles   (KlProfileList  *self);
GPtrArray     *kl_profile_list_get_cli_profiles (KlProfileList *self);
KlProfile     *kl_profile_list_find           (KlProfileList  *self,
                                               const char     *profile_id);
gboolean       kl_profile_list_contains       (KlProfileList  *self,
                                               const char     *id);
gboolean       kl_profile_list_is_imported    (KlProfileList  *self,
                                               KlCliProfile   *cli);

void           kl_profile_list_unlock_async   (KlProfileList       *self,
                                               const char          *id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KlProfile     *kl_profile_list_unlock_finish  (KlProfileList       *self,
                                               GAsyncResult        *result,
                                               SecretValue        **secret,
                                               GError             **error);

G_END_DECLS
