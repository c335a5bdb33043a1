/* fuzz-key-id.c
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

/* libFuzzer target for kl_key_id_parse() and kl_key_id_suggest_fix(). Beyond the
 * sanitizers' own checks it aborts when one of these promises breaks:
 * - a refusal is KL_ERROR_INVALID_INPUT with a non-empty UTF-8 message;
 * - an accepted identifier goes out as a string that parses to itself, agrees with its own
 *   environment and vault, and copies faithfully;
 * - a suggested fix is only offered for refused text, and always parses. */

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

static void
check_accepted (const KlKeyId *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlKeyId) again = NULL;
  g_autoptr(KlKeyId) copy = NULL;
  const char *string = kl_key_id_to_string (id);

  REQUIRE (string != NULL);
  REQUIRE (kl_key_id_get_host (id) != NULL);
  REQUIRE (kl_key_id_get_key_name (id) != NULL);
  REQUIRE (strlen (kl_key_id_get_version (id)) == 32);
  REQUIRE (kl_azure_check_vault_name (kl_key_id_get_vault_name (id), NULL));
  REQUIRE (kl_azure_check_environment (kl_key_id_get_environment (id), NULL));
  REQUIRE (kl_key_id_check (id, kl_key_id_get_environment (id), kl_key_id_get_vault_name (id),
                            &error));
  REQUIRE (error == NULL);

  again = kl_key_id_parse (string, &error);
  REQUIRE (again != NULL && error == NULL);
  REQUIRE (strcmp (kl_key_id_to_string (again), string) == 0);
  REQUIRE (kl_key_id_suggest_fix (string) == NULL);

  copy = kl_key_id_copy (id);
  REQUIRE (strcmp (kl_key_id_to_string (copy), string) == 0);
  REQUIRE (strcmp (kl_key_id_get_environment (copy), kl_key_id_get_environment (id)) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autofree char *fix = NULL;

  id = kl_key_id_parse (text, &error);
  if (id != NULL)
    {
      REQUIRE (error == NULL);
      check_accepted (id);
    }
  else
    {
      require_input_error (error);
    }

  fix = kl_key_id_suggest_fix (text);
  if (fix != NULL)
    {
      g_autoptr(GError) fix_error = NULL;
      g_autoptr(KlKeyId) fixed = NULL;

      REQUIRE (id == NULL);
      fixed = kl_key_id_parse (fix, &fix_error);
      REQUIRE (fixed != NULL && fix_error == NULL);
      REQUIRE (kl_key_id_suggest_fix (fix) == NULL);
      check_accepted (fixed);
    }

  /* The context checks, against every environment and a few vault names. */
  if (id != NULL)
    {
      static const char *environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT",
                                            "AZURE_GERMANY", "", NULL };

      for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
        {
          g_autoptr(GError) check_error = NULL;
          gboolean same = g_strcmp0 (environments[i], kl_key_id_get_environment (id)) == 0;

          if (kl_key_id_check (id, environments[i], text, &check_error))
            REQUIRE (environments[i] == NULL || same);
          else
            require_input_error (check_error);
        }
    }

  return 0;
}
