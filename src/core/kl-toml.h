/* kl-toml.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reader of the Atlas CLI's config.toml (kl-cli-config.c is its only user): a subset of
 * TOML 1.0, described in kl-toml.c. */

typedef struct
{
  GHashTable *root;   /* key -> string value (wiped when freed) or NULL for other types */
  GHashTable *tables; /* table name -> a table like root */
} KlToml;

/* NULL, with the line and an untranslated reason (N_()), when @text is not what it reads. */
KlToml *kl_toml_parse (const char  *text,
                       gsize        length,
                       guint       *error_line,
                       const char **error_reason);
void    kl_toml_free  (KlToml      *toml);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlToml, kl_toml_free)

G_END_DECLS
