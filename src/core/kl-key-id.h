/* kl-key-id.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A key vault key's identifier, https://<vault>.<cloud's suffix>/keys/<name>/<version>
 * (HACKING.md, Validation rules). Errors are KL_ERROR_INVALID_INPUT with a translated message
 * that says what is wrong and how to fix it. */

typedef struct _KlKeyId KlKeyId;

#define KL_TYPE_KEY_ID (kl_key_id_get_type ())

GType       kl_key_id_get_type            (void) G_GNUC_CONST;

KlKeyId    *kl_key_id_parse               (const char     *text,
                                           GError        **error); /* NULL when invalid */
/* The rules that need the other fields: the identifier's DNS suffix must be that of
 * @azure_environment, its vault label must be @key_vault_name (ignoring case). A NULL
 * environment or a NULL or empty vault name skips that check (the field is not filled yet). */
gboolean    kl_key_id_check               (const KlKeyId  *id,
                                           const char     *azure_environment,
                                           const char     *key_vault_name,
                                           GError        **error);
KlKeyId    *kl_key_id_copy                (const KlKeyId  *id);
void        kl_key_id_free                (KlKeyId        *id);

const char *kl_key_id_get_vault_name      (const KlKeyId  *id); /* lower case host label */
const char *kl_key_id_get_host            (const KlKeyId  *id); /* lower case */
const char *kl_key_id_get_key_name        (const KlKeyId  *id);
const char *kl_key_id_get_version         (const KlKeyId  *id);
/* The environment its DNS suffix belongs to: "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT". */
const char *kl_key_id_get_environment     (const KlKeyId  *id);
/* The identifier as it should be sent: host in lower case. */
const char *kl_key_id_to_string           (const KlKeyId  *id);

/* The repaired string for what people paste (surrounding whitespace, ":443", one trailing
 * slash), or NULL when there is nothing to repair or no safe repair exists. */
char       *kl_key_id_suggest_fix         (const char     *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlKeyId, kl_key_id_free)

G_END_DECLS
