/* kl-server-text.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-server-text"

#include "config.h"

#include <string.h>

#include "kl-server-text.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */
#define ELLIPSIS    "\xe2\x80\xa6" /* U+2026 */

gboolean
kl_server_text_is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/* Whether @c continues the grapheme of @prev: the rules of UAX #29 that matter for a cut
 * (CR LF, Extend and SpacingMark, ZWJ sequences, emoji modifiers and tags, Hangul syllables,
 * flag pairs). @ri_run: how many regional indicators end at @prev. */
static gboolean
continues_grapheme (gunichar prev,
                    gunichar c,
                    guint    ri_run)
{
  GUnicodeBreakType p, n;

  if (prev == '\r' && c == '\n')
    return TRUE;
  if (prev == '\r' || prev == '\n' || c == '\r' || c == '\n')
    return FALSE;
  if (g_unichar_ismark (c) || c == 0x200D || prev == 0x200D)
    return TRUE;
  if ((c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F))
    return TRUE;
  if (is_regional_indicator (prev) && is_regional_indicator (c))
    return ri_run % 2 == 1;

  p = g_unichar_break_type (prev);
  n = g_unichar_break_type (c);
  if (p == G_UNICODE_BREAK_HANGUL_L_JAMO)
    return n == G_UNICODE_BREAK_HANGUL_L_JAMO || n == G_UNICODE_BREAK_HANGUL_V_JAMO ||
           n == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || n == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE;
  if (p == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || p == G_UNICODE_BREAK_HANGUL_V_JAMO)
    return n == G_UNICODE_BREAK_HANGUL_V_JAMO || n == G_UNICODE_BREAK_HANGUL_T_JAMO;
  if (p == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE || p == G_UNICODE_BREAK_HANGUL_T_JAMO)
    return n == G_UNICODE_BREAK_HANGUL_T_JAMO;

  return FALSE;
}

/* Where the short form of @valid (valid UTF-8) ends: NULL when it holds at most @max_chars
 * characters; else the last grapheme boundary that keeps at most @max_chars, or the
 * @max_chars-th character when one grapheme alone is longer. Reads at most @max_chars + 1
 * characters. */
static const char *
find_cut (const char *valid,
          gsize       max_chars)
{
  const char *p = valid;
  const char *boundary = NULL;
  gunichar prev = 0;
  guint ri_run = 0;

  g_assert (max_chars > 0);

  for (gsize n = 0; *p != '\0'; n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n > 0 && !continues_grapheme (prev, c, ri_run))
        boundary = p;
      if (n == max_chars)
        return boundary != NULL ? boundary : p;

      ri_run = is_regional_indicator (c) ? ri_run + 1 : 0;
      prev = c;
      p = g_utf8_next_char (p);
    }

  return NULL;
}

static char *
dup_clean (const char *text,
           gsize       max_chars,
           gboolean    isolate)
{
  g_autofree char *valid = NULL;
  const char *end = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  if (max_chars > 0)
    end = find_cut (valid, max_chars);

  out = g_string_sized_new ((end != NULL ? (gsize) (end - valid) : strlen (valid)) + 12);
  if (isolate)
    g_string_append (out, KL_SERVER_TEXT_FSI);
  for (const char *p = valid; *p != '\0' && (end == NULL || p < end); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (kl_server_text_is_bidi_control (c))
        g_string_append (out, REPLACEMENT);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  if (end != NULL)
    g_string_append (out, ELLIPSIS);
  if (isolate)
    g_string_append (out, KL_SERVER_TEXT_PDI);

  return g_string_free (out, FALSE);
}

/**
 * kl_server_text_dup_short:
 * @text: (nullable): a text from the server, in any encoding
 * @max_chars: the most characters shown (0: no limit)
 *
 * Returns: (transfer full) (nullable): @text as Keylink's own sentence may quote it: valid
 *   UTF-8, bidi controls neutralised, cut on a grapheme boundary with an ellipsis, inside
 *   FSI … PDI
 */
char *
kl_server_text_dup_short (const char *text,
                          gsize       max_chars)
{
  return dup_clean (text, max_chars, TRUE);
}

/**
 * kl_server_text_dup_plain:
 * @text: (nullable): a text from the server
 * @max_chars: the most characters shown (0: no limit)
 *
 * Returns: (transfer full) (nullable): the short form of kl_server_text_dup_short(), not
 *   isolated: for a label that shows nothing else
 */
char *
kl_server_text_dup_plain (const char *text,
                          gsize       max_chars)
{
  return dup_clean (text, max_chars, FALSE);
}

/**
 * kl_server_text_dup_full:
 * @text: (nullable): a text from the server
 *
 * Returns: (transfer full) (nullable): the whole of @text, valid UTF-8 with bidi controls
 *   neutralised
 */
char *
kl_server_text_dup_full (const char *text)
{
  return dup_clean (text, 0, FALSE);
}

gboolean
kl_server_text_is_long (const char *text,
                        gsize       max_chars)
{
  g_autofree char *valid = NULL;

  if (text == NULL || max_chars == 0)
    return FALSE;

  valid = g_utf8_make_valid (text, -1);
  return find_cut (valid, max_chars) != NULL;
}
