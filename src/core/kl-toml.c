/* kl-toml.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-toml"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-toml.h"

/* The largest config.toml we read: the CLI's own files are a few hundred bytes. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Arrays and inline tables nested deeper than this are refused (no unbounded recursion). */
#define MAX_DEPTH 32

/* A string that may hold a secret: wiped before it is freed. */
static void
wipe_free (gpointer data)
{
  char *str = data;

  if (str == NULL)
    return;
  explicit_bzero (str, strlen (str));
  g_free (str);
}

/* The TOML reader.
 *
 * A subset of TOML 1.0 that covers what the CLI (go-toml through viper) writes and what people
 * type by hand: comments, [table] and [[array]] headers, bare, quoted and dotted keys, the four
 * kinds of strings with every escape, booleans, numbers and dates (kept as raw text), arrays and
 * inline tables (checked, then dropped). Only string values of single-part keys in the root and
 * in single-part [tables] are kept; the rest is validated and ignored. Anything else is an error
 * that names the line, never a crash: the input is bounded and the recursion is capped. */

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  const char *reason; /* N_() */
} Parser;

static GHashTable *
table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}

void
kl_toml_free (KlToml *toml)
{
  g_hash_table_unref (toml->root);
  g_hash_table_unref (toml->tables);
  g_free (toml);
}

static gboolean
fail (Parser     *parser,
      const char *reason)
{
  if (parser->reason == NULL)
    parser->reason = reason;
  return FALSE;
}

static gboolean
at_end (Parser *parser)
{
  return parser->p >= parser->end;
}

static char
peek (Parser *parser,
      gsize   offset)
{
  if (parser->p + offset >= parser->end)
    return '\0';
  return parser->p[offset];
}

static gboolean
looking_at (Parser     *parser,
            const char *text)
{
  gsize len = strlen (text);

  return (gsize) (parser->end - parser->p) >= len && memcmp (parser->p, text, len) == 0;
}

static void
skip_whitespace (Parser *parser)
{
  while (!at_end (parser) && (*parser->p == ' ' || *parser->p == '\t'))
    parser->p++;
}

static void
skip_comment (Parser *parser)
{
  if (peek (parser, 0) != '#')
    return;
  while (!at_end (parser) && *parser->p != '\n' && *parser->p != '\r')
    parser->p++;
}

/* Consumes one newline ("\n" or "\r\n"); FALSE when there is none here. */
static gboolean
consume_newline (Parser *parser)
{
  if (peek (parser, 0) == '\n')
    {
      parser->p++;
      parser->line++;
      return TRUE;
    }
  if (peek (parser, 0) == '\r')
    {
      if (peek (parser, 1) != '\n')
        return fail (parser, N_("a carriage return must be followed by a line feed"));
      parser->p += 2;
      parser->line++;
      return TRUE;
    }
  return FALSE;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
static gboolean
skip_blank (Parser *parser)
{
  for (;;)
    {
      skip_whitespace (parser);
      skip_comment (parser);
      if (peek (parser, 0) == '\n' || peek (parser, 0) == '\r')
        {
          if (!consume_newline (parser))
            return FALSE;
        }
      else
        return TRUE;
    }
}

static gboolean
is_bare_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static gboolean
is_control (guchar c,
            gboolean multiline)
{
  if (c == '\t')
    return FALSE;
  if (multiline && (c == '\n' || c == '\r'))
    return FALSE;
  return c < 0x20 || c == 0x7f;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes the escapes of a basic string body [start, stop) into @out, which has room for
 * (stop - start + 1) bytes: no escape makes the text longer. */
static gboolean
decode_basic (Parser     *parser,
              const char *start,
              const char *stop,
              char       *out)
{
  const char *s = start;
  char *o = out;

  while (s < stop)
    {
      if (*s != '\\')
        {
          *o++ = *s++;
          continue;
        }

      s++;
      if (s >= stop)
        return fail (parser, N_("a string ends with a lone backslash"));

      switch (*s)
        {
        case 'b': *o++ = '\b'; s++; break;
        case 't': *o++ = '\t'; s++; break;
        case 'n': *o++ = '\n'; s++; break;
        case 'f': *o++ = '\f'; s++; break;
        case 'r': *o++ = '\r'; s++; break;
        case '"': *o++ = '"'; s++; break;
        case '\\': *o++ = '\\'; s++; break;
        case 'u':
        case 'U':
          {
            int digits = *s == 'u' ? 4 : 8;
            gunichar ch = 0;

            s++;
            if (stop - s < digits)
              return fail (parser, N_("a Unicode escape needs 4 or 8 hexadecimal digits"));
            for (int i = 0; i < digits; i++)
              {
                int v = hex_value (s[i]);

                if (v < 0)
                  return fail (parser, N_("a Unicode escape needs 4 or 8 hexadecimal digits"));
                ch = (ch << 4) | (gunichar) v;
              }
            if (ch > 0x10ffff || (ch >= 0xd800 && ch <= 0xdfff))
              return fail (parser, N_("a Unicode escape names no character"));
            s += digits;
            o += g_unichar_to_utf8 (ch, o);
          }
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          {
            /* A line-ending backslash (multi-line strings only; the scanner checked it). */
            while (s < stop && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
              s++;
          }
          break;
        default:
          return fail (parser, N_("a string holds an unknown escape sequence"));
        }
    }

  *o = '\0';
  return TRUE;
}

/* Parses a string of any of the four kinds at the parser's position. The value goes to
 * @value (exact-size buffer, never reallocated, so no copy of a secret is left behind). */
static gboolean
parse_string (Parser  *parser,
              char   **value)
{
  char quote = peek (parser, 0);
  gboolean multiline;
  gboolean literal = quote == '\'';
  const char *start;
  const char *stop;
  g_autofree char *out = NULL;

  g_assert (quote == '"' || quote == '\'');

  multiline = peek (parser, 1) == quote && peek (parser, 2) == quote;
  if (multiline)
    {
      parser->p += 3;
      /* A newline right after the opening quotes is not part of the string. */
      if (peek (parser, 0) == '\n' || peek (parser, 0) == '\r')
        {
          if (!consume_newline (parser))
            return FALSE;
        }
    }
  else
    parser->p++;

  start = parser->p;
  for (;;)
    {
      guchar c;

      if (at_end (parser))
        return fail (parser, N_("a string is not closed"));

      c = (guchar) *parser->p;
      if (c == (guchar) quote)
        {
          if (!multiline)
            break;
          if (peek (parser, 1) == quote && peek (parser, 2) == quote)
            {
              /* Up to two more quotes belong to the string: """a"""" is a" */
              int extra = 0;

              while (extra < 2 && peek (parser, 3 + extra) == quote)
                extra++;
              parser->p += extra;
              break;
            }
          parser->p++;
          continue;
        }

      if (c == '\n' || c == '\r')
        {
          if (!multiline)
            return fail (parser, N_("a string is not closed before the end of the line"));
          if (!consume_newline (parser))
            return FALSE;
          continue;
        }

      if (is_control (c, multiline))
        return fail (parser, N_("a string holds a control character"));

      if (c == '\\' && !literal)
        {
          char next = peek (parser, 1);

          if (next == '\0' && parser->p + 1 >= parser->end)
            return fail (parser, N_("a string is not closed"));
          if (multiline && (next == ' ' || next == '\t' || next == '\n' || next == '\r'))
            {
              /* Line-ending backslash: only whitespace may follow it up to the newline. */
              const char *q = parser->p + 1;

              while (q < parser->end && (*q == ' ' || *q == '\t'))
                q++;
              if (q >= parser->end || (*q != '\n' && *q != '\r'))
                return fail (parser, N_("a string holds an unknown escape sequence"));
              parser->p = q;
              continue;
            }
          if (next == '\n' || next == '\r')
            return fail (parser, N_("a string is not closed before the end of the line"));
          parser->p += 2;
          continue;
        }

      parser->p++;
    }

  stop = parser->p;
  parser->p += multiline ? 3 : 1;

  out = g_malloc ((gsize) (stop - start) + 1);
  if (literal)
    {
      memcpy (out, start, (gsize) (stop - start));
      out[stop - start] = '\0';
    }
  else if (!decode_basic (parser, start, stop, out))
    {
      explicit_bzero (out, (gsize) (stop - start) + 1);
      return FALSE;
    }

  if (value != NULL)
    *value = g_steal_pointer (&out);
  else
    explicit_bzero (out, (gsize) (stop - start) + 1);

  return TRUE;
}

/* A dotted key: parts separated by dots, each bare or quoted. */
static gboolean
parse_key (Parser     *parser,
           GPtrArray  *parts)
{
  for (;;)
    {
      char c = peek (parser, 0);
      char *part = NULL;

      if (c == '"' || c == '\'')
        {
          if (peek (parser, 1) == c && peek (parser, 2) == c)
            return fail (parser, N_("a key cannot be a multi-line string"));
          if (!parse_string (parser, &part))
            return FALSE;
        }
      else if (is_bare_key_char (c))
        {
          const char *start = parser->p;

          while (!at_end (parser) && is_bare_key_char (*parser->p))
            parser->p++;
          part = g_strndup (start, (gsize) (parser->p - start));
        }
      else
        return fail (parser, N_("a key is expected here"));

      g_ptr_array_add (parts, part);

      skip_whitespace (parser);
      if (peek (parser, 0) != '.')
        return TRUE;
      parser->p++;
      skip_whitespace (parser);
    }
}

/* A key, its "=" and the spaces after it. */
static gboolean
parse_key_and_equals (Parser    *parser,
                      GPtrArray *parts)
{
  if (!parse_key (parser, parts))
    return FALSE;
  if (peek (parser, 0) != '=')
    return fail (parser, N_("a key needs “=” and a value"));
  parser->p++;
  skip_whitespace (parser);
  return TRUE;
}

static gboolean parse_value (Parser  *parser,
                             guint    depth,
                             char   **string_value);

static gboolean
parse_array (Parser *parser,
             guint   depth)
{
  g_assert (peek (parser, 0) == '[');
  parser->p++;

  for (;;)
    {
      if (!skip_blank (parser))
        return FALSE;
      if (peek (parser, 0) == ']')
        {
          parser->p++;
          return TRUE;
        }
      if (!parse_value (parser, depth + 1, NULL))
        return FALSE;
      if (!skip_blank (parser))
        return FALSE;
      if (peek (parser, 0) == ',')
        parser->p++;
      else if (peek (parser, 0) == ']')
        {
          parser->p++;
          return TRUE;
        }
      else
        return fail (parser, N_("an array needs a comma or “]” after each value"));
    }
}

static gboolean
parse_inline_table (Parser *parser,
                    guint   depth)
{
  g_assert (peek (parser, 0) == '{');
  parser->p++;
  skip_whitespace (parser);
  if (peek (parser, 0) == '}')
    {
      parser->p++;
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

      skip_whitespace (parser);
      if (!parse_key_and_equals (parser, parts))
        return FALSE;
      if (!parse_value (parser, depth + 1, NULL))
        return FALSE;
      skip_whitespace (parser);
      if (peek (parser, 0) == ',')
        parser->p++;
      else if (peek (parser, 0) == '}')
        {
          parser->p++;
          return TRUE;
        }
      else
        return fail (parser, N_("an inline table needs a comma or “}” after each value"));
    }
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '+' || c == '-' || c == '.' || c == ':';
}

/* Numbers, dates and times: checked loosely and kept as nothing. */
static gboolean
parse_scalar_token (Parser *parser)
{
  const char *start = parser->p;
  gsize len;

  while (!at_end (parser) && is_token_char (*parser->p))
    parser->p++;
  len = (gsize) (parser->p - start);

  /* "1979-05-27 07:32:00": a space may separate the date and the time. */
  if (len == 10 && start[4] == '-' && start[7] == '-' &&
      peek (parser, 0) == ' ' && g_ascii_isdigit (peek (parser, 1)))
    {
      parser->p++;
      while (!at_end (parser) && is_token_char (*parser->p))
        parser->p++;
    }

  if (len == 0)
    return fail (parser, N_("a value is expected here (text in quotes, a number, true or false)"));

  if (g_ascii_isdigit (start[0]) ||
      ((start[0] == '+' || start[0] == '-') && len > 1 &&
       (g_ascii_isdigit (start[1]) || start[1] == 'i' || start[1] == 'n')) ||
      (len == 3 && (memcmp (start, "inf", 3) == 0 || memcmp (start, "nan", 3) == 0)))
    return TRUE;

  return fail (parser, N_("a value is expected here (text in quotes, a number, true or false)"));
}

static gboolean
parse_value (Parser  *parser,
             guint    depth,
             char   **string_value)
{
  char c = peek (parser, 0);

  if (depth > MAX_DEPTH)
    return fail (parser, N_("values are nested too deeply"));

  if (c == '"' || c == '\'')
    return parse_string (parser, string_value);
  if (looking_at (parser, "true") && !is_token_char (peek (parser, 4)))
    {
      parser->p += 4;
      return TRUE;
    }
  if (looking_at (parser, "false") && !is_token_char (peek (parser, 5)))
    {
      parser->p += 5;
      return TRUE;
    }
  if (c == '[')
    return parse_array (parser, depth);
  if (c == '{')
    return parse_inline_table (parser, depth);

  return parse_scalar_token (parser);
}

/* After a key/value pair or a table header: only a comment may follow on the line. */
static gboolean
expect_line_end (Parser *parser)
{
  skip_whitespace (parser);
  skip_comment (parser);
  if (at_end (parser))
    return TRUE;
  if (consume_newline (parser))
    return TRUE;
  return fail (parser, N_("the line goes on after its value (a comment starts with “#”)"));
}

static gboolean
parse_table_header (Parser      *parser,
                    KlToml        *toml,
                    GHashTable **current)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean array_table = peek (parser, 1) == '[';

  parser->p += array_table ? 2 : 1;
  skip_whitespace (parser);
  if (!parse_key (parser, parts))
    return FALSE;

  if (array_table)
    {
      if (!looking_at (parser, "]]"))
        return fail (parser, N_("a table name needs “]]” after it"));
      parser->p += 2;
      *current = NULL;
      return TRUE;
    }

  if (peek (parser, 0) != ']')
    return fail (parser, N_("a table name needs “]” after it"));
  parser->p++;

  if (parts->len != 1)
    {
      /* [a.b]: a sub-table; the CLI has none. Its keys are checked and dropped. */
      *current = NULL;
      return TRUE;
    }

  if (g_hash_table_contains (toml->tables, parts->pdata[0]))
    return fail (parser, N_("a table is defined twice"));

  *current = table_new ();
  g_hash_table_insert (toml->tables, g_strdup (parts->pdata[0]), *current);
  return TRUE;
}

static gboolean
parse_key_value (Parser     *parser,
                 GHashTable *current)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  char *value = NULL;

  if (!parse_key_and_equals (parser, parts))
    return FALSE;
  if (at_end (parser) || peek (parser, 0) == '\n' || peek (parser, 0) == '\r' ||
      peek (parser, 0) == '#')
    return fail (parser, N_("a key needs “=” and a value"));

  if (current != NULL && parts->len == 1 && g_hash_table_contains (current, parts->pdata[0]))
    return fail (parser, N_("a key is set twice"));

  if (!parse_value (parser, 0, &value))
    return FALSE;

  /* Dotted keys (a.b = …) make sub-tables; the CLI writes none: dropped. */
  if (current != NULL && parts->len == 1)
    g_hash_table_insert (current, g_strdup (parts->pdata[0]), value);
  else
    wipe_free (value);

  return TRUE;
}

KlToml *
kl_toml_parse (const char  *text,
            gsize        length,
            guint       *error_line,
            const char **error_reason)
{
  g_autoptr(KlToml) toml = g_new0 (KlToml, 1);
  Parser parser = { text, text + length, 1, NULL };
  GHashTable *current;
  const char *invalid = NULL;

  toml->root = table_new ();
  toml->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  current = toml->root;

  if (length > MAX_FILE_SIZE)
    {
      *error_line = 1;
      *error_reason = N_("the file is larger than 1 MiB");
      return NULL;
    }

  if (!g_utf8_validate_len (text, length, &invalid))
    {
      *error_line = 1;
      for (const char *s = text; s < invalid; s++)
        if (*s == '\n')
          (*error_line)++;
      *error_reason = N_("the text is not valid UTF-8, or holds a NUL byte");
      return NULL;
    }

  /* A byte-order mark is allowed at the start. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    parser.p += 3;

  while (!at_end (&parser))
    {
      char c;
      gboolean ok;

      skip_whitespace (&parser);
      if (at_end (&parser))
        break;

      c = *parser.p;
      if (c == '#')
        {
          skip_comment (&parser);
          continue;
        }
      if (c == '\n' || c == '\r')
        {
          if (!consume_newline (&parser))
            break;
          continue;
        }

      if (c == '[')
        ok = parse_table_header (&parser, toml, &current);
      else
        ok = parse_key_value (&parser, current);

      if (!ok || !expect_line_end (&parser))
        break;
    }

  if (parser.reason != NULL)
    {
      *error_line = parser.line;
      *error_reason = parser.reason;
      return NULL;
    }

  return g_steal_pointer (&toml);
}

/* The profile layer. */
