/* fuzz-resource-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kl-azure-id.h"
#include "kl-error.h"

/* libFuzzer target for kl_azure_parse_vault_resource_id() and the field validators it is
 * built on. It aborts when a promise breaks:
 * - a refusal is KL_ERROR_INVALID_INPUT with a non-empty UTF-8 message, and leaves the
 *   outputs alone;
 * - each part of an accepted resource ID passes its own field's rule, and the canonical
 *   spelling of the same ID gives back the same parts. */

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define REQUIRE(cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        g_printerr ("invariant broken: %s\n", #cond); \
        abort (); \
      } \
  } G_STMT_END

static void
require_input_error (const GError *error)
{
  REQUIRE (error != NULL);
  REQUIRE (g_error_matches (error, KL_ERROR, KL_ERROR_INVALID_INPUT));
  REQUIRE (error->message != NULL && *error->message != '\0');
  REQUIRE (g_utf8_validate (error->message, -1, NULL));
}

typedef gboolean (*KlCheckFunc) (const char  *text,
                                 GError     **error);

static void
run_check (KlCheckFunc  check,
           const char  *text)
{
  g_autoptr(GError) error = NULL;

  if (check (text, &error))
    REQUIRE (error == NULL);
  else
    require_input_error (error);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const KlCheckFunc checks[] = {
    kl_azure_check_vault_name, kl_azure_check_resource_group, kl_azure_check_guid,
    kl_azure_check_subscription_id, kl_azure_check_tenant_id, kl_azure_check_client_id,
    kl_azure_check_environment,
  };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *subscription = NULL;
  g_autofree char *group = NULL;
  g_autofree char *vault = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *subscription2 = NULL;
  g_autofree char *group2 = NULL;
  g_autofree char *vault2 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    run_check (checks[i], text);

  if (!kl_azure_parse_vault_resource_id (text, &subscription, &group, &vault, &error))
    {
      require_input_error (error);
      REQUIRE (subscription == NULL && group == NULL && vault == NULL);
      return 0;
    }

  REQUIRE (error == NULL);
  REQUIRE (kl_azure_check_subscription_id (subscription, NULL));
  REQUIRE (kl_azure_check_resource_group (group, NULL));
  REQUIRE (kl_azure_check_vault_name (vault, NULL));

  canonical = g_strdup_printf ("/subscriptions/%s/resourceGroups/%s/providers/"
                               "Microsoft.KeyVault/vaults/%s", subscription, group, vault);
  REQUIRE (kl_azure_parse_vault_resource_id (canonical, &subscription2, &group2, &vault2, NULL));
  REQUIRE (strcmp (subscription, subscription2) == 0);
  REQUIRE (strcmp (group, group2) == 0);
  REQUIRE (strcmp (vault, vault2) == 0);

  return 0;
}
