/* kl-profile.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kl-types.h"

G_BEGIN_DECLS

/* A saved sign-in ("profile"): what KlCredentials keeps in the keyring beside its secret. */

#define KL_TYPE_PROFILE (kl_profile_get_type ())

G_DECLARE_FINAL_TYPE (KlProfile, kl_profile, KL, PROFILE, GObject)

/* A new profile with a fresh id. */
KlProfile     *kl_profile_new                 (const char     *display_name,
                                               KlAuthType      auth_type,
                                               KlAtlasService  service,
                                               const char     *client_id);
KlProfile     *kl_profile_copy                (KlProfile      *self);

const char    *kl_profile_get_id              (KlProfile      *self);
const char    *kl_profile_get_display_name    (KlProfile      *self);
void           kl_profile_set_display_name    (KlProfile      *self,
                                               const char     *display_name);
KlAuthType     kl_profile_get_auth_type       (KlProfile      *self);
void           kl_profile_set_auth_type       (KlProfile      *self,
                                               KlAuthType      auth_type);
KlAtlasService kl_profile_get_service         (KlProfile      *self);
void           kl_profile_set_service         (KlProfile      *self,
                                               KlAtlasService  service);
/* Only for KL_ATLAS_SERVICE_CUSTOM. */
const char    *kl_profile_get_custom_url      (KlProfile      *self);
void           kl_profile_set_custom_url      (KlProfile      *self,
                                               const char     *custom_url);
/* The service account's client ID or the API public key. */
const char    *kl_profile_get_client_id       (KlProfile      *self);
void           kl_profile_set_client_id       (KlProfile      *self,
                                               const char     *client_id);
const char    *kl_profile_get_org_id          (KlProfile      *self);
void           kl_profile_set_org_id          (KlProfile      *self,
                                               const char     *org_id);
const char    *kl_profile_get_project_id      (KlProfile      *self);
void           kl_profile_set_project_id      (KlProfile      *self,
                                               const char     *project_id);
/* https://cloud.mongodb.com, https://cloud.mongodbgov.com or the custom URL. */
const char    *kl_profile_get_base_url        (KlProfile      *self);

G_END_DECLS
