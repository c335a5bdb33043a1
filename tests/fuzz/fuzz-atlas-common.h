/* fuzz-atlas-common.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdlib.h>

#include <glib-object.h>

#include "kl-error.h"

/* What every fuzz-atlas-* target checks beyond the sanitizers: a promise of the API that
 * breaks aborts, with the condition printed. */

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define REQUIRE(cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        g_printerr ("invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
        abort (); \
      } \
  } G_STMT_END

/* Text a page may show: NULL (absent) or valid UTF-8. */
#define REQUIRE_TEXT(text) \
  G_STMT_START { \
    const char *_text = (text); \
    REQUIRE (_text == NULL || g_utf8_validate (_text, -1, NULL)); \
  } G_STMT_END

/* A parser's refusal: KL_ERROR_BAD_RESPONSE with a message a person can read. */
static inline void
require_bad_response (const GError *error)
{
  REQUIRE (error != NULL);
  REQUIRE (g_error_matches (error, KL_ERROR, KL_ERROR_BAD_RESPONSE));
  REQUIRE (error->message != NULL && error->message[0] != '\0');
  REQUIRE (g_utf8_validate (error->message, -1, NULL));
}

/* What a model's parser gave: a model (@object) or a refusal (@error), never both nor neither.
 * TRUE for a model, for the caller to check. */
static inline gboolean
require_model_or_refusal (gconstpointer  object,
                          const GError  *error)
{
  if (object == NULL)
    {
      require_bad_response (error);
      return FALSE;
    }
  REQUIRE (error == NULL);
  return TRUE;
}

/* The same for a page parser: a refused page says there is no next one. */
static inline gboolean
require_page_or_refusal (const GPtrArray *page,
                         gboolean         has_next,
                         const GError    *error)
{
  if (page == NULL)
    {
      require_bad_response (error);
      REQUIRE (!has_next);
      return FALSE;
    }
  REQUIRE (error == NULL);
  return TRUE;
}

typedef gpointer   (*FuzzParseFunc)     (const char  *json,
                                         gssize       length,
                                         GError     **error);
typedef GPtrArray *(*FuzzParsePageFunc) (const char  *json,
                                         gssize       length,
                                         gboolean    *has_next,
                                         GError     **error);
typedef void       (*FuzzCheckFunc)     (gpointer     model);

/* The whole target for a model: @parse and @parse_page (the model's parsers, as
 * kl-atlas-client.c calls them) on the same bytes, and @check on every model they give. */
static inline int
fuzz_model_parsers (const guint8      *data,
                    size_t             size,
                    FuzzParseFunc      parse,
                    FuzzParsePageFunc  parse_page,
                    FuzzCheckFunc      check)
{
  const char *json = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) page_error = NULL;
  g_autoptr(GObject) model = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gboolean has_next = TRUE;

  model = parse (json, (gssize) size, &error);
  if (require_model_or_refusal (model, error))
    check (model);

  page = parse_page (json, (gssize) size, &has_next, &page_error);
  if (require_page_or_refusal (page, has_next, page_error))
    {
      for (guint i = 0; i < page->len; i++)
        check (g_ptr_array_index (page, i));
    }

  return 0;
}
