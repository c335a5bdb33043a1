/* fuzz-atlas-ear.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-types.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for kl_encryption_at_rest_parse(), and the PATCH bodies built from what
 * it read (the rotate and re-enable paths start from the server's answer). Beyond the
 * sanitizers it aborts when a promise breaks: a model or a KL_ERROR_BAD_RESPONSE; the Azure
 * configuration is never NULL and never holds a secret read from a server; every string is
 * UTF-8; a PATCH body is JSON whose azureKeyVault holds exactly what changed — nothing for
 * an unchanged configuration, never "enabled" in a partial PATCH, the whole object with
 * "enabled": true on a first enablement — or the refusal is KL_ERROR_INVALID_INPUT. */

#define SECRET "fuzz~made-up~azure~secret"

static JsonObject *
body_vault (GBytes    *body,
            JsonNode **keep)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  REQUIRE (kl_json_depth_is_safe (data, (gssize) size));
  REQUIRE (json_parser_load_from_data (parser, data, (gssize) size, NULL));
  root = json_parser_get_root (parser);
  REQUIRE (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  REQUIRE (json_object_get_size (json_node_get_object (root)) == 1);
  REQUIRE (json_object_has_member (json_node_get_object (root), "azureKeyVault"));
  *keep = json_node_copy (root);
  return json_object_get_object_member (json_node_get_object (*keep), "azureKeyVault");
}

static void
check_patches (KlAzureKeyVault *current)
{
  g_autoptr(KlAzureKeyVault) wanted = kl_azure_key_vault_copy (current);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GBytes) with_secret = NULL;
  g_autoptr(JsonNode) keep = NULL;
  gboolean enabled = kl_azure_key_vault_get_enabled (current);
  JsonObject *vault;

  REQUIRE (!kl_azure_key_vault_has_secret (wanted));

  /* Nothing changed. */
  same = kl_encryption_at_rest_build_patch (current, wanted, &error);
  if (enabled)
    {
      REQUIRE (same != NULL && error == NULL);
      REQUIRE (g_bytes_get_size (same) == strlen ("{\"azureKeyVault\":{}}"));
      REQUIRE (memcmp (g_bytes_get_data (same, NULL), "{\"azureKeyVault\":{}}",
                       g_bytes_get_size (same)) == 0);
    }
  else
    {
      /* A first enablement needs the secret at least. */
      REQUIRE (same == NULL);
      REQUIRE (g_error_matches (error, KL_ERROR, KL_ERROR_INVALID_INPUT));
    }
  g_clear_error (&error);

  /* A new secret. */
  kl_azure_key_vault_set_secret (wanted, SECRET);
  REQUIRE (kl_azure_key_vault_has_secret (wanted));
  with_secret = kl_encryption_at_rest_build_patch (current, wanted, &error);
  if (with_secret == NULL)
    {
      REQUIRE (!enabled);
      REQUIRE (g_error_matches (error, KL_ERROR, KL_ERROR_INVALID_INPUT));
      REQUIRE (error->message[0] != '\0' && g_utf8_validate (error->message, -1, NULL));
      return;
    }

  REQUIRE (error == NULL);
  vault = body_vault (with_secret, &keep);
  REQUIRE (g_strcmp0 (json_object_get_string_member_with_default (vault, "secret", NULL),
                      SECRET) == 0);
  if (enabled)
    {
      REQUIRE (json_object_get_size (vault) == 1);
      REQUIRE (!json_object_has_member (vault, "enabled"));
    }
  else
    {
      REQUIRE (json_object_get_boolean_member_with_default (vault, "enabled", FALSE));
      REQUIRE (g_strcmp0 (json_object_get_string_member_with_default (vault, "keyIdentifier",
                                                                      NULL),
                          kl_azure_key_vault_get_key_identifier (current)) == 0);
      REQUIRE (g_strcmp0 (json_object_get_string_member_with_default (vault, "keyVaultName",
                                                                      NULL),
                          kl_azure_key_vault_get_key_vault_name (current)) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  KlAzureKeyVault *akv;

  ear = kl_encryption_at_rest_parse ((const char *) data, (gssize) size, &error);
  if (!require_model_or_refusal (ear, error))
    return 0;

  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  REQUIRE (akv != NULL);
  REQUIRE (!kl_azure_key_vault_has_secret (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_azure_environment (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_client_id (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_tenant_id (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_subscription_id (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_resource_group_name (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_key_vault_name (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_key_identifier (akv));
  REQUIRE_TEXT (kl_azure_key_vault_get_role_id (akv));
  (void) kl_encryption_at_rest_get_aws_kms_enabled (ear);
  (void) kl_encryption_at_rest_get_google_cloud_kms_enabled (ear);

  check_patches (akv);

  return 0;
}
