/* kl-server-text.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text that comes from the server (Atlas's error details, endpoint error messages, project,
 * cluster, region and connection names), made fit to show:
 *
 * - valid UTF-8, with no bidi embedding, override or isolate controls (U+202A–U+202E,
 *   U+2066–U+2069): each becomes U+FFFD, so it can neither reorder what follows nor close an
 *   isolation early;
 * - the short form: at most @max_chars characters, cut on a grapheme boundary, with an
 *   ellipsis when cut (rows, captions, expanders, messages);
 * - embedded in Keylink's own sentence, isolated: FSI (U+2068) before, PDI (U+2069) after,
 *   so its direction never leaks into the sentence around it. */

/* What rows, captions and messages show of a server text. */
#define KL_SERVER_TEXT_SHORT_CHARS 300

#define KL_SERVER_TEXT_FSI "\xe2\x81\xa8" /* U+2068 FIRST STRONG ISOLATE */
#define KL_SERVER_TEXT_PDI "\xe2\x81\xa9" /* U+2069 POP DIRECTIONAL ISOLATE */

/* The short form, isolated: for a server text inside Keylink's sentence. NULL for NULL. */
char     *kl_server_text_dup_short    (const char *text,
                                       gsize       max_chars);
/* The short form, not isolated: for a label that shows only this text. NULL for NULL. */
char     *kl_server_text_dup_plain    (const char *text,
                                       gsize       max_chars);
/* The whole text, bidi controls neutralised, not isolated: for the view on demand. */
char     *kl_server_text_dup_full     (const char *text);
/* Whether the short form of @text would be cut. */
gboolean  kl_server_text_is_long      (const char *text,
                                       gsize       max_chars);
/* Whether @c is a bidi embedding, override or isolate control. */
gboolean  kl_server_text_is_bidi_control (gunichar c);

G_END_DECLS
