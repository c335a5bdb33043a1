/* test-server-text.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-types.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* What the server says is shown capped, isolated, and never
 * reorders Keylink's own sentence. */

#define FSI KL_SERVER_TEXT_FSI
#define PDI KL_SERVER_TEXT_PDI
#define RLO "\xe2\x80\xae"        /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define FFFD "\xef\xbf\xbd"
#define ELLIPSIS "\xe2\x80\xa6"

static gboolean
has_bidi_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (kl_server_text_is_bidi_control (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
test_short (void)
{
  g_autofree char *a = kl_server_text_dup_short ("plain", 300);
  g_autofree char *b = kl_server_text_dup_plain ("plain", 300);
  g_autofree char *c = kl_server_text_dup_plain ("abcdef", 3);

  g_assert_null (kl_server_text_dup_short (NULL, 300));
  g_assert_cmpstr (a, ==, FSI "plain" PDI);
  g_assert_cmpstr (b, ==, "plain");
  g_assert_cmpstr (c, ==, "abc" ELLIPSIS);
  g_assert_false (kl_server_text_is_long ("abc", 3));
  g_assert_true (kl_server_text_is_long ("abcd", 3));
}

static void
test_long (void)
{
  g_autofree char *text = g_strnfill (10000, 'x');
  g_autofree char *shown = kl_server_text_dup_short (text, KL_SERVER_TEXT_SHORT_CHARS);
  g_autofree char *full = kl_server_text_dup_full (text);

  /* FSI, 300 characters, the ellipsis, PDI */
  g_assert_cmpint (g_utf8_strlen (shown, -1), ==, KL_SERVER_TEXT_SHORT_CHARS + 3);
  g_assert_true (g_str_has_prefix (shown, FSI "xxx"));
  g_assert_true (g_str_has_suffix (shown, "x" ELLIPSIS PDI));
  g_assert_cmpstr (full, ==, text);
}

/* The cut never splits a character, nor a grapheme (a base and its combining marks, an
 * emoji ZWJ sequence, a flag). */
static void
test_grapheme_boundary (void)
{
  /* "e" + U+0301 (combining acute) ×4: each grapheme is 2 characters. */
  const char *accents = "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81";
  /* 👩‍💻 (U+1F469 U+200D U+1F4BB) twice */
  const char *coders = "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"
                       "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb";
  /* 🇫🇷🇩🇪: two flags, four regional indicators */
  const char *flags = "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa";
  g_autofree char *a = kl_server_text_dup_plain (accents, 3);
  g_autofree char *b = kl_server_text_dup_plain (coders, 4);
  g_autofree char *c = kl_server_text_dup_plain (flags, 3);
  g_autofree char *d = kl_server_text_dup_plain ("\xc3\xa9\xc3\xa9\xc3\xa9", 2);
  g_autofree char *marks = NULL;
  g_autofree char *e = NULL;
  GString *many = g_string_new ("a");

  g_assert_cmpstr (a, ==, "e\xcc\x81" ELLIPSIS);
  g_assert_cmpstr (b, ==, "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" ELLIPSIS);
  g_assert_cmpstr (c, ==, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" ELLIPSIS);
  g_assert_cmpstr (d, ==, "\xc3\xa9\xc3\xa9" ELLIPSIS);

  /* One grapheme longer than the limit is still cut, at the limit. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (many, "\xcc\x81");
  marks = g_string_free (many, FALSE);
  e = kl_server_text_dup_plain (marks, 10);
  g_assert_true (g_utf8_validate (e, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (e, -1), ==, 11);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *shown = kl_server_text_dup_short ("a\xff" "b", 300);

  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_cmpstr (shown, ==, FSI "a" FFFD "b" PDI);
}

/* U+202E (and a stray PDI that would close the isolation early) cannot leave the field. */
static void
test_bidi_controls (void)
{
  g_autofree char *shown = kl_server_text_dup_short ("evil" RLO "txet" PDI "more", 300);
  g_autofree char *plain = kl_server_text_dup_plain ("name" RLO "eman", 300);

  g_assert_cmpstr (shown, ==, FSI "evil" FFFD "txet" FFFD "more" PDI);
  g_assert_cmpstr (plain, ==, "name" FFFD "eman");
  g_assert_false (has_bidi_control (plain));
}

/* An Atlas error with U+202E in its detail, quoted in Keylink's sentence: the server part is
 * isolated, holds no override, and Keylink's words after it are intact. */
static void
test_error_message_isolated (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *long_detail = g_strnfill (10000, 'y');
  const char *fsi, *pdi;

  json = g_strdup_printf ("{\"error\":400,\"errorCode\":\"SOMETHING_NEW\",\"detail\":"
                          "\"Bad thing " RLO "desrever\",\"reason\":\"Bad Request\"}");
  body = g_bytes_new (json, strlen (json));
  error = kl_error_new_from_http (400, NULL, NULL, body);
  g_assert_nonnull (strstr (error->message, "Bad thing"));
  g_assert_false (strstr (error->message, RLO) != NULL);
  fsi = strstr (error->message, FSI "Bad thing");
  g_assert_nonnull (fsi);
  pdi = strstr (fsi, PDI);
  g_assert_nonnull (pdi);
  g_assert_nonnull (strstr (fsi, FFFD "desrever" PDI));
  /* Keylink's own sentence goes on after the isolated part. */
  g_assert_cmpuint (strlen (pdi + strlen (PDI)), >, 0);
  g_clear_error (&error);
  g_clear_pointer (&body, g_bytes_unref);
  g_free (json);

  /* A 10,000-character detail: the message quotes 300 characters of it. */
  json = g_strdup_printf ("{\"error\":400,\"errorCode\":\"SOMETHING_NEW\",\"detail\":\"%s\"}",
                          long_detail);
  body = g_bytes_new (json, strlen (json));
  error = kl_error_new_from_http (400, NULL, NULL, body);
  g_assert_cmpint (g_utf8_strlen (error->message, -1), <, 1000);
  g_assert_nonnull (strstr (error->message, "yyy" ELLIPSIS PDI));
  /* The whole detail stays reachable, for the view on demand. */
  g_assert_cmpstr (kl_atlas_error_get_detail (kl_atlas_error_from_gerror (error)), ==,
                   long_detail);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server-text/short", test_short);
  g_test_add_func ("/server-text/long", test_long);
  g_test_add_func ("/server-text/grapheme-boundary", test_grapheme_boundary);
  g_test_add_func ("/server-text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/server-text/bidi-controls", test_bidi_controls);
  g_test_add_func ("/server-text/error-message-isolated", test_error_message_isolated);

  return g_test_run ();
}
