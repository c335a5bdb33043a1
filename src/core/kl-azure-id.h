/* kl-azure-id.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kl-key-id.h"

G_BEGIN_DECLS

/* Validators for every Azure value the user types (HACKING.md, Validation rules). Each error is
 * KL_ERROR_INVALID_INPUT with a translated message that names the field, says what is
 * wrong and how to fix it. */

gboolean    kl_azure_check_vault_name     (const char     *text,
                                           GError        **error);
gboolean    kl_azure_check_resource_group (const char     *text,
                                           GError        **error);
gboolean    kl_azure_check_guid           (const char     *text,
                                           GError        **error);
/* The same rule as kl_azure_check_guid(), with messages that name the field and say where
 * in the Azure portal to find it. */
gboolean    kl_azure_check_subscription_id (const char    *text,
                                            GError       **error);
gboolean    kl_azure_check_tenant_id      (const char     *text,
                                           GError        **error);
gboolean    kl_azure_check_client_id      (const char     *text,
                                           GError        **error);
/* The GUID in what people paste for one: “{GUID}” (PowerShell, the registry) or a portal
 * address or line that holds exactly one GUID. NULL when @text is a bare GUID already, holds
 * none, or holds several different ones (no guess). White space around it is ignored. */
char       *kl_azure_suggest_guid_fix     (const char     *text);
/* The client ID must not be the tenant ID (a common paste slip: the same GUID twice).
 * NULL or empty values pass (not filled in yet); case and surrounding white space are ignored. */
gboolean    kl_azure_check_client_not_tenant (const char  *tenant_id,
                                              const char  *client_id,
                                              GError     **error);
/* "AZURE", "AZURE_CHINA" or "AZURE_US_GOVERNMENT" */
gboolean    kl_azure_check_environment    (const char     *text,
                                           GError        **error);

/* /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>
 * (segment names case-insensitive). Outputs are newly allocated; NULL outputs are allowed.
 * Each part is checked by its own rule; white space around the text (it is pasted) is ignored.
 * On error the outputs are left alone. */
gboolean    kl_azure_parse_vault_resource_id (const char  *text,
                                              char       **subscription_id,
                                              char       **resource_group,
                                              char       **vault_name,
                                              GError     **error);

G_END_DECLS
