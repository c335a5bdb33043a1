/* kl-encryption-at-rest.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kl-types.h"
#include "kl-azure-key-vault.h"

G_BEGIN_DECLS

#define KL_TYPE_ENCRYPTION_AT_REST (kl_encryption_at_rest_get_type ())
G_DECLARE_FINAL_TYPE (KlEncryptionAtRest, kl_encryption_at_rest, KL, ENCRYPTION_AT_REST, GObject)

/* ---- KlEncryptionAtRest — GET/PATCH …/encryptionAtRest ---- */
KlEncryptionAtRest *kl_encryption_at_rest_new_from_node (JsonNode           *node,
                                                         GError            **error);
KlEncryptionAtRest *kl_encryption_at_rest_parse         (const char         *json,
                                                         gssize              length,
                                                         GError            **error);
/* Never NULL: an absent or null azureKeyVault is an unconfigured (all unset) one. */
KlAzureKeyVault *kl_encryption_at_rest_get_azure_key_vault       (KlEncryptionAtRest *self);
/* Whether another provider (awsKms / googleCloudKms) is enabled in the project. */
gboolean         kl_encryption_at_rest_get_aws_kms_enabled       (KlEncryptionAtRest *self);
gboolean         kl_encryption_at_rest_get_google_cloud_kms_enabled (KlEncryptionAtRest *self);

/* PATCH bodies for …/encryptionAtRest, as JSON text in a GBytes whose memory is zeroed when
 * the last reference goes (it may hold the Azure secret). Hand them to
 * kl_atlas_client_patch_encryption_at_rest_async().
 *
 * kl_encryption_at_rest_build_patch(): when @current is NULL or not enabled (first
 * enablement) the whole azureKeyVault object is sent with "enabled": true — every field of
 * @wanted but role id and valid must be set, the secret included, else KL_ERROR_INVALID_INPUT
 * naming the missing field; requirePrivateNetworking goes too if it was set on @wanted.
 * Otherwise only what differs between @current and @wanted is sent: string fields set on
 * @wanted (NULL means "keep"; vault, group and ids compare without case), the secret when
 * @wanted has one, requirePrivateNetworking when set on @wanted and different. "enabled" is
 * never part of a partial PATCH (turning CMK off is kl_encryption_at_rest_build_disable()).
 * Changing keyVaultName, resourceGroupName or subscriptionID while @current requires private
 * networking is KL_ERROR_INELIGIBLE. Nothing to change gives {"azureKeyVault":{}}.
 * Typical use: wanted = kl_azure_key_vault_copy (current), then the setters. */
GBytes       *kl_encryption_at_rest_build_patch             (KlAzureKeyVault *current,
                                                             KlAzureKeyVault *wanted,
                                                             GError         **error);
/* {"azureKeyVault":{"requirePrivateNetworking":<require>}} */
GBytes       *kl_encryption_at_rest_build_private_networking (gboolean         require);
/* {"azureKeyVault":{"enabled":false}} — turn CMK off (the last step of HACKING.md,
 * Teardown order). */
GBytes       *kl_encryption_at_rest_build_disable           (void);

G_END_DECLS
