/* kl-profile-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-profile.h"

G_BEGIN_DECLS

/* The instance structure, shared with KlCredentials, which turns a profile into the attributes
 * of its keyring item and back. */
struct _KlProfile
{
  GObject         parent_instance;

  char           *id;
  char           *display_name;
  KlAuthType      auth_type;
  KlAtlasService  service;
  char           *custom_url;
  char           *client_id;
  char           *org_id;
  char           *project_id;
};

G_END_DECLS
