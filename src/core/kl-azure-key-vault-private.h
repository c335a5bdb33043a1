/* kl-azure-key-vault-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-azure-key-vault.h"

G_BEGIN_DECLS

/* The instance structure, shared with the PATCH builder of KlEncryptionAtRest, which compares
 * the fields of two vaults by offset. */
struct _KlAzureKeyVault
{
  GObject parent_instance;

  char *azure_environment;
  char *client_id;
  char *tenant_id;
  char *subscription_id;
  char *resource_group_name;
  char *key_vault_name;
  char *key_identifier;
  char *role_id;
  char *secret;

  guint enabled : 1;
  guint has_enabled : 1;
  guint require_private_networking : 1;
  guint has_require_private_networking : 1;
  guint valid : 1;
};

G_END_DECLS
