/* kl-http-log.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-http-log"

#include "config.h"

#include <string.h>

#include "kl-http-log.h"

#define REDACTED "[REDACTED]"

/* Headers whose whole value is a credential. */
static const char * const secret_headers[] = {
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
};

/* Fragments of key names (lower case, without '_' and '-') that hold secrets. */
static const char * const secret_fragments[] = {
  "secret",
  "password",
  "passwd",
  "token",
  "privatekey",
  "apikey",
};

/* Key names that contain a fragment above but hold nothing secret. */
static const char * const harmless_names[] = {
  "tokentype",
  "tokentypehint",
};

/* Form fields shown as they are. */
static const char * const harmless_form_fields[] = {
  "grant_type",
  "token_type_hint",
  "scope",
};

static gboolean
is_secret_name (const char *name,
                gsize       length)
{
  g_autoptr(GString) normalized = g_string_sized_new (length);
  gsize i;

  for (i = 0; i < length; i++)
    {
      if (name[i] != '_' && name[i] != '-' && name[i] != ' ')
        g_string_append_c (normalized, g_ascii_tolower (name[i]));
    }

  for (i = 0; i < G_N_ELEMENTS (harmless_names); i++)
    {
      if (strcmp (normalized->str, harmless_names[i]) == 0)
        return FALSE;
    }

  for (i = 0; i < G_N_ELEMENTS (secret_fragments); i++)
    {
      if (strstr (normalized->str, secret_fragments[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* (strchr() finds the terminating NUL too: it never counts as one of the marks.) */
static gboolean
is_token_char (char c)
{
  /* RFC 7235 token68, plus what form encoding adds. */
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("-._~+/=%", c) != NULL);
}

/* ---- PEM private keys ---- */

/* Where "-----END …-----" that follows @from ends, or NULL. */
static const char *
find_pem_end (const char *from)
{
  const char *end = strstr (from, "-----END ");
  const char *close;

  if (end == NULL)
    return NULL;

  close = strstr (end + strlen ("-----END "), "-----");
  return close != NULL ? close + strlen ("-----") : NULL;
}

/* The next "-----BEGIN … PRIVATE KEY-----" in @from, or NULL. */
static const char *
find_pem_private_begin (const char *from)
{
  const char *begin = from;

  while ((begin = strstr (begin, "-----BEGIN ")) != NULL)
    {
      const char *label = begin + strlen ("-----BEGIN ");
      const char *close = strstr (label, "-----");
      const char *key = strstr (label, "PRIVATE KEY");

      if (close != NULL && key != NULL && key < close)
        return begin;
      begin = label;
    }

  return NULL;
}

static char *
redact_pem (const char        *line,
            KlHttpLogRedactor *redactor)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = line;

  if (redactor->in_private_key)
    {
      const char *end = find_pem_end (p);

      g_string_append (out, REDACTED);
      if (end == NULL)
        return g_string_free (g_steal_pointer (&out), FALSE);
      redactor->in_private_key = FALSE;
      p = end;
    }

  for (;;)
    {
      const char *begin = find_pem_private_begin (p);
      const char *end;

      if (begin == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, begin - p);
      g_string_append (out, REDACTED);

      end = find_pem_end (begin);
      if (end == NULL)
        {
          redactor->in_private_key = TRUE;
          break;
        }
      p = end;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Headers ---- */

/* "Name: value" with a secret name: "Name: [REDACTED]". NULL when not such a line. */
static char *
redact_header (const char *line,
               gboolean   *is_www_authenticate)
{
  gsize name_length = 0;
  guint i;

  *is_www_authenticate = FALSE;

  while (g_ascii_isalnum (line[name_length]) || line[name_length] == '-')
    name_length++;

  if (name_length == 0 || line[name_length] != ':')
    return NULL;

  if (name_length == strlen ("www-authenticate") &&
      g_ascii_strncasecmp (line, "www-authenticate", name_length) == 0)
    *is_www_authenticate = TRUE;

  for (i = 0; i < G_N_ELEMENTS (secret_headers); i++)
    {
      if (name_length == strlen (secret_headers[i]) &&
          g_ascii_strncasecmp (line, secret_headers[i], name_length) == 0)
        return g_strdup_printf ("%.*s: " REDACTED, (int) name_length, line);
    }

  return NULL;
}

/* "Bearer xyz" / "Basic xyz" anywhere: the credential goes. */
static char *
redact_schemes (const char *line)
{
  static const char * const schemes[] = { "Bearer ", "Basic " };
  g_autoptr(GString) out = g_string_new (line);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      gsize scheme_length = strlen (schemes[i]);
      gsize pos = 0;

      while (pos + scheme_length <= out->len)
        {
          gsize start;
          gsize end;

          if (strncmp (out->str + pos, schemes[i], scheme_length) != 0)
            {
              pos++;
              continue;
            }

          start = pos + scheme_length;
          end = start;
          while (end < out->len && is_token_char (out->str[end]))
            end++;

          if (end > start)
            {
              g_string_erase (out, start, end - start);
              g_string_insert (out, start, REDACTED);
              end = start + strlen (REDACTED);
            }
          pos = end;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Forms and query strings ---- */

static gboolean
is_form_key_char (char c)
{
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("_.~%+-", c) != NULL);
}

/* A whole line of key=value&key=value (no spaces, no quotes): a form body. */
static gboolean
is_form_line (const char *line)
{
  const char *p = line;

  if (*p == '\0')
    return FALSE;

  while (*p != '\0')
    {
      const char *key = p;

      while (is_form_key_char (*p))
        p++;
      if (p == key || *p != '=')
        return FALSE;
      p++;
      while (*p != '\0' && *p != '&')
        {
          if (g_ascii_isspace (*p) || *p == '"' || *p == '{' || *p == '}')
            return FALSE;
          p++;
        }
      if (*p == '&')
        p++;
    }

  return TRUE;
}

static gboolean
is_harmless_form_field (const char *key,
                        gsize       length)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (harmless_form_fields); i++)
    {
      if (length == strlen (harmless_form_fields[i]) &&
          strncmp (key, harmless_form_fields[i], length) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
redact_form (const char *line)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = line;

  while (*p != '\0')
    {
      const char *key = p;
      const char *value;
      gsize key_length;

      while (*p != '=')
        p++;
      key_length = p - key;
      p++;
      value = p;
      while (*p != '\0' && *p != '&')
        p++;

      g_string_append_len (out, key, key_length + 1);
      if (is_harmless_form_field (key, key_length))
        g_string_append_len (out, value, p - value);
      else
        g_string_append (out, REDACTED);

      if (*p == '&')
        {
          g_string_append_c (out, '&');
          p++;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ?access_token=… or &client_secret=… in a request line. */
static char *
redact_query (const char *line)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = line;

  while (*p != '\0')
    {
      const char *key;
      const char *key_end;

      g_string_append_c (out, *p);
      if (*p != '?' && *p != '&')
        {
          p++;
          continue;
        }

      p++;
      key = p;
      key_end = p;
      while (is_form_key_char (*key_end))
        key_end++;

      if (*key_end == '=' && key_end > key && is_secret_name (key, key_end - key))
        {
          g_string_append_len (out, key, key_end - key + 1);
          g_string_append (out, REDACTED);
          p = key_end + 1;
          while (*p != '\0' && *p != '&' && !g_ascii_isspace (*p) && *p != '#')
            p++;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- JSON ---- */

/* Index of the closing quote of the string opening at @open, or of the NUL if it is cut. */
static gsize
json_string_end (const char *s,
                 gsize       open)
{
  gsize j = open + 1;

  while (s[j] != '\0' && s[j] != '"')
    {
      if (s[j] == '\\' && s[j + 1] != '\0')
        j += 2;
      else
        j++;
    }

  return j;
}

/* Redacts the JSON value starting at @s[@i]; returns the index after it. */
static gsize
redact_json_value (const char *s,
                   gsize       i,
                   GString    *out)
{
  gsize end;

  if (s[i] == '"')
    {
      end = json_string_end (s, i);
      g_string_append (out, "\"" REDACTED);
      if (s[end] == '"')
        {
          g_string_append_c (out, '"');
          return end + 1;
        }
      return end;
    }

  if (s[i] == '{' || s[i] == '[')
    return i;  /* containers are scanned key by key */

  end = i;
  while (s[end] != '\0' && strchr (",}] \t", s[end]) == NULL)
    end++;

  if (end - i == 4 && (strncmp (s + i, "null", 4) == 0 || strncmp (s + i, "true", 4) == 0))
    g_string_append_len (out, s + i, 4);
  else if (end - i == 5 && strncmp (s + i, "false", 5) == 0)
    g_string_append_len (out, s + i, 5);
  else if (end > i)
    g_string_append (out, REDACTED);

  return end;
}

static char *
redact_json (const char        *s,
             KlHttpLogRedactor *redactor)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize i = 0;

  if (redactor->pending_value)
    {
      while (g_ascii_isspace (s[i]) || s[i] == ':')
        g_string_append_c (out, s[i++]);
      if (s[i] != '\0')
        {
          redactor->pending_value = FALSE;
          i = redact_json_value (s, i, out);
        }
    }

  while (s[i] != '\0')
    {
      gsize end;
      gsize k;

      if (s[i] != '"')
        {
          g_string_append_c (out, s[i++]);
          continue;
        }

      end = json_string_end (s, i);
      g_string_append_len (out, s + i, end - i);
      if (s[end] == '\0')
        break;
      g_string_append_c (out, '"');

      k = end + 1;
      while (g_ascii_isspace (s[k]))
        k++;

      if (s[k] == ':' && is_secret_name (s + i + 1, end - i - 1))
        {
          g_string_append_len (out, s + end + 1, k - end);
          k++;
          while (g_ascii_isspace (s[k]))
            g_string_append_c (out, s[k++]);

          if (s[k] == '\0')
            redactor->pending_value = TRUE;
          else
            k = redact_json_value (s, k, out);
          i = k;
        }
      else
        {
          i = end + 1;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Public ---- */

char *
kl_http_log_redact_line (const char        *line,
                         KlHttpLogRedactor *redactor)
{
  g_autofree char *without_keys = NULL;
  g_autofree char *without_schemes = NULL;
  g_autofree char *without_query = NULL;
  gboolean is_www_authenticate;
  char *header;

  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (redactor != NULL, NULL);

  without_keys = redact_pem (line, redactor);

  if ((header = redact_header (without_keys, &is_www_authenticate)))
    {
      redactor->pending_value = FALSE;
      return header;
    }
  if (is_www_authenticate)
    return g_steal_pointer (&without_keys);

  if (!redactor->pending_value && is_form_line (without_keys))
    return redact_form (without_keys);

  without_schemes = redact_schemes (without_keys);
  without_query = redact_query (without_schemes);

  return redact_json (without_query, redactor);
}

char *
kl_http_log_redact (const char *text)
{
  KlHttpLogRedactor redactor = KL_HTTP_LOG_REDACTOR_INIT;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) lines = NULL;
  guint i;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (NULL);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *redacted = kl_http_log_redact_line (lines[i], &redactor);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, redacted);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
kl_http_log_is_enabled (void)
{
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, KL_HTTP_LOG_DOMAIN);
}

typedef struct
{
  KlHttpLogRedactor redactor;
  char              direction;
} Printer;

static void
printer_cb (SoupLogger         *logger,
            SoupLoggerLogLevel  level,
            char                direction,
            const char         *data,
            gpointer            user_data)
{
  Printer *printer = user_data;
  g_autofree char *line = NULL;

  /* A new message starts with its request or status line; state never crosses messages. */
  if (level == SOUP_LOGGER_LOG_MINIMAL || direction != printer->direction)
    printer->redactor = (KlHttpLogRedactor) KL_HTTP_LOG_REDACTOR_INIT;
  printer->direction = direction;

  line = kl_http_log_redact_line (data, &printer->redactor);
  g_debug ("%c %s", direction, line);
}

SoupLogger *
kl_http_log_new (void)
{
  SoupLogger *logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

  /* Enough for any answer Keylink reads; the rest of a long list is cut. */
  soup_logger_set_max_body_size (logger, 64 * 1024);
  soup_logger_set_printer (logger, printer_cb, g_new0 (Printer, 1), g_free);

  return logger;
}
