/* fuzz-atlas-error.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-atlas-types.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for the error mapping: kl_error_new_from_http() with a fuzzed status,
 * X-Error-Code, Retry-After and body, and the parsers under it (kl_atlas_error_parse(),
 * kl_error_parse_retry_after()). Input: 2 bytes of status (big-endian), the X-Error-Code up
 * to '\n', the Retry-After up to '\n', then the body (a header that is cut off is absent).
 * Beyond the sanitizers it aborts when a promise breaks: the mapping never fails; its
 * message is non-empty UTF-8 of bounded length; the status is kept; a wait is asked for
 * only on 429/503 and is at most a day; the Atlas code is text; a copy keeps it all. */

/* The message template plus at most 300 characters of Atlas's detail (4 bytes each). */
#define MAX_MESSAGE_BYTES 2048
#define MAX_WAIT          (24 * 60 * 60)

static char *
take_line (const guint8 **data,
           size_t         *size)
{
  const guint8 *end = memchr (*data, '\n', *size);
  char *line;

  if (end == NULL)
    return NULL;
  line = g_strndup ((const char *) *data, end - *data);
  *size -= end - *data + 1;
  *data = end + 1;
  return line;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *code = NULL;
  g_autofree char *retry_after = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(KlAtlasError) parsed = NULL;
  KlAtlasError *atlas;
  guint status;

  if (size < 2)
    return 0;
  /* 100–699: what an HTTP status line can hold (the client only maps >= 300). */
  status = 100 + ((guint) data[0] << 8 | data[1]) % 600;
  data += 2;
  size -= 2;
  code = take_line (&data, &size);
  if (code != NULL)
    retry_after = take_line (&data, &size);
  body = g_bytes_new (data, size);

  error = kl_error_new_from_http (status, code, retry_after, size > 0 ? body : NULL);
  REQUIRE (error != NULL);
  REQUIRE (error->domain == KL_ERROR);
  REQUIRE (error->message != NULL && error->message[0] != '\0');
  REQUIRE (g_utf8_validate (error->message, -1, NULL));
  REQUIRE (strlen (error->message) <= MAX_MESSAGE_BYTES);
  REQUIRE (kl_error_get_http_status (error) == status);
  REQUIRE (kl_error_get_retry_after (error) <= MAX_WAIT);
  if (status != 429 && status != 503)
    REQUIRE (kl_error_get_retry_after (error) == 0);
  REQUIRE (kl_error_parse_retry_after (retry_after) <= MAX_WAIT);

  atlas = kl_atlas_error_from_gerror (error);
  if (atlas != NULL)
    {
      g_autofree char *parameters = kl_atlas_error_dup_parameters_text (atlas);

      REQUIRE (kl_error_get_atlas_code (error) != NULL);
      REQUIRE_TEXT (kl_error_get_atlas_code (error));
      REQUIRE_TEXT (kl_atlas_error_get_detail (atlas));
      REQUIRE_TEXT (kl_atlas_error_get_reason (atlas));
      REQUIRE_TEXT (parameters);
    }

  copy = g_error_copy (error);
  REQUIRE (copy->code == error->code);
  REQUIRE (strcmp (copy->message, error->message) == 0);
  REQUIRE (g_strcmp0 (kl_error_get_atlas_code (copy), kl_error_get_atlas_code (error)) == 0);
  REQUIRE (kl_error_get_retry_after (copy) == kl_error_get_retry_after (error));

  parsed = kl_atlas_error_parse ((const char *) data, (gssize) size, &parse_error);
  if (parsed != NULL)
    {
      REQUIRE (parse_error == NULL);
      REQUIRE (kl_atlas_error_get_error_code (parsed) != NULL);
      REQUIRE_TEXT (kl_atlas_error_get_error_code (parsed));
    }
  else
    {
      require_bad_response (parse_error);
    }

  return 0;
}
