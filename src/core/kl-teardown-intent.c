/* kl-teardown-intent.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-teardown-intent"

#include "config.h"

#include "kl-teardown-intent.h"

#define INTENT_KEY "unfinished-teardowns"

static const char *
kind_to_string (KlTeardownKind kind)
{
  return kind == KL_TEARDOWN_CMK ? "customer-key" : "private-networking";
}

/* The key's entries, less @group_id's; with @kind_name, @group_id's set to it. */
static void
write_intents (GSettings  *settings,
               const char *group_id,
               const char *kind_name)
{
  g_autoptr(GVariant) old = g_settings_get_value (settings, INTENT_KEY);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *id, *kind;

  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &kind))
    if (!g_str_equal (id, group_id))
      g_variant_builder_add (&builder, "{ss}", id, kind);
  if (kind_name != NULL)
    g_variant_builder_add (&builder, "{ss}", group_id, kind_name);

  g_settings_set_value (settings, INTENT_KEY, g_variant_builder_end (&builder));
}

void
kl_teardown_intent_set (GSettings      *settings,
                        const char     *group_id,
                        KlTeardownKind  kind)
{
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (group_id != NULL);

  if (settings == NULL)
    return;

  g_debug ("Teardown (%s) of %s confirmed: kept until it is done", kind_to_string (kind),
           group_id);
  write_intents (settings, group_id, kind_to_string (kind));
}

void
kl_teardown_intent_clear (GSettings  *settings,
                          const char *group_id)
{
  KlTeardownKind kind;

  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (group_id != NULL);

  if (settings == NULL || !kl_teardown_intent_get (settings, group_id, &kind))
    return;

  write_intents (settings, group_id, NULL);
}

gboolean
kl_teardown_intent_get (GSettings      *settings,
                        const char     *group_id,
                        KlTeardownKind *kind)
{
  g_autoptr(GVariant) intents = NULL;
  const char *kind_name = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (group_id != NULL, FALSE);

  if (settings == NULL)
    return FALSE;

  intents = g_settings_get_value (settings, INTENT_KEY);
  if (!g_variant_lookup (intents, group_id, "&s", &kind_name))
    return FALSE;

  if (kind != NULL)
    *kind = g_str_equal (kind_name, "customer-key") ? KL_TEARDOWN_CMK
                                                    : KL_TEARDOWN_PRIVATE_NETWORKING;
  return TRUE;
}
