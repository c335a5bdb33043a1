/* kl-azure-id-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the Azure validators (kl-azure-id.c) share with the key identifier's (kl-key-id.c):
 * the clouds, the character classes and the pieces their messages are made of. */

typedef struct
{
  const char *environment;  /* the Atlas azureEnvironment value */
  const char *suffix;       /* DNS suffix of its key vaults, without the leading dot */
  const char *display_name; /* N_() */
} KlAzureCloud;

#define KL_AZURE_N_CLOUDS 3

G_GNUC_INTERNAL extern const KlAzureCloud kl_azure_clouds[KL_AZURE_N_CLOUDS];

typedef gboolean (*KlCharTest) (gunichar c);

G_GNUC_INTERNAL const KlAzureCloud *kl_azure_id_find_cloud (const char *environment);

G_GNUC_INTERNAL gboolean kl_azure_id_is_hex_digit (gunichar c);
/* Vault names and key names. */
G_GNUC_INTERNAL gboolean kl_azure_id_is_name_char (gunichar c);
G_GNUC_INTERNAL gboolean kl_azure_id_is_host_char (gunichar c);
G_GNUC_INTERNAL gboolean kl_azure_id_has_prefix_ascii_nocase (const char *text,
                                                              const char *prefix);
/* Finds the first character of @len bytes of valid UTF-8 that @test refuses. */
G_GNUC_INTERNAL gboolean kl_azure_id_find_bad_char (const char *text,
                                                    gsize       len,
                                                    KlCharTest  test,
                                                    gunichar   *bad);
/* A phrase naming @c in a message: “_”, “a space”, … */
G_GNUC_INTERNAL char    *kl_azure_id_describe_char (gunichar c);
/* A copy of @len bytes of valid UTF-8, cut short when it is too long to quote. */
G_GNUC_INTERNAL char    *kl_azure_id_excerpt (const char *text,
                                              gsize       len);
/* Sets KL_ERROR_INVALID_INPUT with @message; returns FALSE. */
G_GNUC_INTERNAL gboolean kl_azure_id_fail (GError     **error,
                                           const char  *message);
G_GNUC_INTERNAL gboolean kl_azure_id_fail_printf (GError     **error,
                                                  const char  *format,
                                                  ...) G_GNUC_PRINTF (2, 3);
/* Adds a sentence before (or after) the message of *@error, if there is one. */
G_GNUC_INTERNAL void     kl_azure_id_add_sentence (GError     **error,
                                                   const char  *sentence,
                                                   gboolean     before);
/* Unicode white space removed from both ends of valid UTF-8. */
G_GNUC_INTERNAL char    *kl_azure_id_strip_space (const char *text);

G_END_DECLS
