/* kl-cli-config.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-cli-config"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-cli-config.h"
#include "kl-credentials.h"
#include "kl-error.h"

/* The largest config.toml we read: the CLI's own files are a few hundred bytes. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Arrays and inline tables nested deeper than this are refused (no unbounded recursion). */
#define MAX_DEPTH 32

struct _KlCliProfile
{
  GObject     parent_instance;

  char       *name;
  char       *auth_type_text;
  char       *service_text;
  char       *custom_url;
  char       *org_id;
  char       *project_id;
  char       *public_api_key;
  char       *client_id;
  GHashTable *file_properties;    /* secret properties with a value in the file */
  GHashTable *keyring_properties; /* properties with an item in the CLI's keyring */
  char       *keyring_problem;

  /* Derived by update_state () */
  KlAuthType           auth_type;
  gboolean             importable;
  KlCliSecretLocation  secret_location;
  const char          *secret_property;
  const char          *id_property;
  char                *problem;
};

G_DEFINE_FINAL_TYPE (KlCliProfile, kl_cli_profile, G_TYPE_OBJECT)

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

static void
kl_cli_profile_finalize (GObject *object)
{
  KlCliProfile *self = (KlCliProfile *)object;

  g_free (self->name);
  g_free (self->auth_type_text);
  g_free (self->service_text);
  g_free (self->custom_url);
  g_free (self->org_id);
  g_free (self->project_id);
  g_free (self->public_api_key);
  g_free (self->client_id);
  g_hash_table_unref (self->file_properties);
  g_hash_table_unref (self->keyring_properties);
  g_free (self->keyring_problem);
  g_free (self->problem);

  G_OBJECT_CLASS (kl_cli_profile_parent_class)->finalize (object);
}

static void
kl_cli_profile_class_init (KlCliProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_cli_profile_finalize;
}

static void
kl_cli_profile_init (KlCliProfile *self)
{
  self->file_properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keyring_properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
has_property (KlCliProfile *self,
              const char   *property)
{
  if (g_str_equal (property, KL_CLI_PUBLIC_API_KEY) && self->public_api_key != NULL)
    return TRUE;
  if (g_str_equal (property, KL_CLI_CLIENT_ID) && self->client_id != NULL)
    return TRUE;

  return g_hash_table_contains (self->file_properties, property) ||
         g_hash_table_contains (self->keyring_properties, property);
}

static gboolean
str_is (const char *str,
        const char *value)
{
  return g_strcmp0 (str, value) == 0;
}

/* Mirrors the CLI's own rule (config.Profile.AuthType): credentials of the other kind that are
 * complete win over the declared auth_type. */
static void
update_state (KlCliProfile *self)
{
  const char *declared = self->auth_type_text != NULL ? self->auth_type_text : "";
  gboolean api_keys = FALSE;
  gboolean service_account = FALSE;

  g_clear_pointer (&self->problem, g_free);
  self->importable = FALSE;
  self->secret_location = KL_CLI_SECRET_NONE;
  self->secret_property = NULL;
  self->id_property = NULL;

  if (!str_is (declared, "service_account") &&
      has_property (self, KL_CLI_CLIENT_ID) && has_property (self, KL_CLI_CLIENT_SECRET))
    service_account = TRUE;
  else if (!str_is (declared, "api_keys") &&
           has_property (self, KL_CLI_PRIVATE_API_KEY) && has_property (self, KL_CLI_PUBLIC_API_KEY))
    api_keys = TRUE;
  else if (str_is (declared, "api_keys"))
    api_keys = TRUE;
  else if (str_is (declared, "service_account"))
    service_account = TRUE;

  if (self->service_text != NULL && self->service_text[0] != '\0' &&
      !str_is (self->service_text, "cloud") && !str_is (self->service_text, "cloudgov"))
    {
      self->problem = g_strdup_printf (_("This profile is for the “%s” service. Keylink works with "
                                         "Atlas and Atlas for Government only."),
                                       self->service_text);
      return;
    }

  if (!api_keys && !service_account)
    {
      if (str_is (declared, "user_account") ||
          has_property (self, KL_CLI_ACCESS_TOKEN) || has_property (self, KL_CLI_REFRESH_TOKEN))
        self->problem = g_strdup (_("This profile signs in with a MongoDB user account. Keylink "
                                    "needs an API key or a service account: create one in Atlas, "
                                    "or import another profile."));
      else
        self->problem = g_strdup (_("This profile holds no API key or service account. Sign in "
                                    "with the Atlas CLI first, or enter the key by hand."));
      return;
    }

  self->auth_type = service_account ? KL_AUTH_SERVICE_ACCOUNT : KL_AUTH_API_KEY;
  self->secret_property = service_account ? KL_CLI_CLIENT_SECRET : KL_CLI_PRIVATE_API_KEY;
  self->id_property = service_account ? KL_CLI_CLIENT_ID : KL_CLI_PUBLIC_API_KEY;

  if (g_hash_table_contains (self->keyring_properties, self->secret_property))
    self->secret_location = KL_CLI_SECRET_KEYRING;
  else if (g_hash_table_contains (self->file_properties, self->secret_property))
    self->secret_location = KL_CLI_SECRET_FILE;

  if (self->secret_location == KL_CLI_SECRET_NONE || !has_property (self, self->id_property))
    {
      if (self->keyring_problem != NULL)
        self->problem = g_strdup (self->keyring_problem);
      else if (service_account)
        self->problem = g_strdup (_("The service account’s client ID or secret is in neither the "
                                    "keyring nor the configuration file. Sign in with the Atlas "
                                    "CLI again, or enter them by hand."));
      else
        self->problem = g_strdup (_("The public or private API key is in neither the keyring nor "
                                    "the configuration file. Sign in with the Atlas CLI again, or "
                                    "enter the keys by hand."));
      return;
    }

  self->importable = TRUE;
}

const char *
kl_cli_profile_get_name (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->name;
}

gboolean
kl_cli_profile_is_importable (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), FALSE);

  return self->importable;
}

const char *
kl_cli_profile_get_problem (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->problem;
}

KlAuthType
kl_cli_profile_get_auth_type (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_AUTH_SERVICE_ACCOUNT);

  return self->auth_type;
}

KlAtlasService
kl_cli_profile_get_service (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_ATLAS_SERVICE_ATLAS);

  /* The CLI sends every call to ops_manager_url when it is set, whatever the service. */
  if (self->custom_url != NULL)
    return KL_ATLAS_SERVICE_CUSTOM;
  if (str_is (self->service_text, "cloudgov"))
    return KL_ATLAS_SERVICE_GOVERNMENT;
  return KL_ATLAS_SERVICE_ATLAS;
}

const char *
kl_cli_profile_get_custom_url (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->custom_url;
}

const char *
kl_cli_profile_get_client_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT && self->id_property != NULL)
    return self->client_id;
  if (self->auth_type == KL_AUTH_API_KEY && self->id_property != NULL)
    return self->public_api_key;
  return NULL;
}

const char *
kl_cli_profile_get_org_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->org_id;
}

const char *
kl_cli_profile_get_project_id (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->project_id;
}

KlCliSecretLocation
kl_cli_profile_get_secret_location (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), KL_CLI_SECRET_NONE);

  return self->secret_location;
}

const char *
kl_cli_profile_get_secret_property (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->secret_property;
}

const char *
kl_cli_profile_get_id_property (KlCliProfile *self)
{
  g_return_val_if_fail (KL_IS_CLI_PROFILE (self), NULL);

  return self->id_property;
}

void
kl_cli_profile_add_keyring_property (KlCliProfile *self,
                                     const char   *property,
                                     const char   *value)
{
  g_return_if_fail (KL_IS_CLI_PROFILE (self));
  g_return_if_fail (property != NULL);

  g_hash_table_add (self->keyring_properties, g_strdup (property));

  /* The keyring wins over the file, as in the CLI. Only the non-secret ids are kept. */
  if (value != NULL && value[0] != '\0')
    {
      if (g_str_equal (property, KL_CLI_PUBLIC_API_KEY))
        {
          g_free (self->public_api_key);
          self->public_api_key = g_strdup (value);
        }
      else if (g_str_equal (property, KL_CLI_CLIENT_ID))
        {
          g_free (self->client_id);
          self->client_id = g_strdup (value);
        }
    }

  update_state (self);
}

void
kl_cli_profile_set_keyring_problem (KlCliProfile *self,
                                    const char   *message)
{
  g_return_if_fail (KL_IS_CLI_PROFILE (self));

  g_free (self->keyring_problem);
  self->keyring_problem = g_strdup (message);
  update_state (self);
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
  GHashTable *root;   /* key -> string value (wiped when freed) or NULL for other types */
  GHashTable *tables; /* table name -> a table like root */
} Toml;

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

static void
toml_free (Toml *toml)
{
  g_hash_table_unref (toml->root);
  g_hash_table_unref (toml->tables);
  g_free (toml);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Toml, toml_free)

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
                    Toml        *toml,
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

static Toml *
toml_parse (const char  *text,
            gsize        length,
            guint       *error_line,
            const char **error_reason)
{
  g_autoptr(Toml) toml = g_new0 (Toml, 1);
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

static const char * const global_properties[] = {
  /* config.ProfileProperties () and config.GlobalProperties (): top-level keys that are not
   * profiles. */
  "access_token", "api_version", "base_url", "ops_manager_url", "org_id", "output",
  "private_api_key", "project_id", "public_api_key", "client_id", "client_secret",
  "refresh_token", "service", "version", "local_deployment_image", "mongosh_path",
  "skip_update_check", "silence_storage_warning", "telemetry_enabled", "auth_type",
};

/* Viper, which the CLI uses, folds key case. */
static const char *
table_get (GHashTable *table,
           const char *key)
{
  GHashTableIter iter;
  gpointer k;
  gpointer v;
  const char *value;

  if (table == NULL)
    return NULL;

  value = g_hash_table_lookup (table, key);
  if (value != NULL)
    return value[0] != '\0' ? value : NULL;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      if (v != NULL && g_ascii_strcasecmp (k, key) == 0 && ((const char *) v)[0] != '\0')
        return v;
    }

  return NULL;
}

/* config.ViperConfigStore.GetHierarchicalValue: a non-empty top-level value wins. */
static const char *
profile_get (Toml       *toml,
             GHashTable *table,
             const char *key)
{
  const char *value = table_get (toml->root, key);

  if (value != NULL)
    return value;
  return table_get (table, key);
}

static GHashTable *
find_profile_table (Toml       *toml,
                    const char *profile_name)
{
  GHashTableIter iter;
  gpointer k;
  gpointer v;
  GHashTable *found = NULL;
  g_autofree char *best = NULL;

  g_hash_table_iter_init (&iter, toml->tables);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autofree char *folded = g_utf8_strdown (k, -1);

      /* When two tables fold to one name, the first in byte order wins: a stable choice. */
      if (g_str_equal (folded, profile_name) && (best == NULL || strcmp (k, best) < 0))
        {
          g_free (best);
          best = g_strdup (k);
          found = v;
        }
    }

  return found;
}

static gboolean
is_global_property (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (global_properties); i++)
    {
      if (g_ascii_strcasecmp (name, global_properties[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
set_parse_error (GError     **error,
                 const char  *display_path,
                 guint        line,
                 const char  *reason)
{
  g_set_error (error, KL_ERROR, KL_ERROR_FAILED,
               _("The Atlas CLI configuration “%s” cannot be read: line %u: %s. Fix the file "
                 "(for example with “atlas config edit”), or sign in by hand."),
               display_path != NULL ? display_path : "config.toml", line, _(reason));
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  KlCliProfile *pa = *(KlCliProfile **) a;
  KlCliProfile *pb = *(KlCliProfile **) b;

  return strcmp (pa->name, pb->name);
}

static char *
dup_nonempty (const char *value)
{
  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

GPtrArray *
kl_cli_config_parse_profiles (const char  *text,
                              gsize        length,
                              const char  *display_path,
                              GError     **error)
{
  static const char * const secret_properties[] = {
    KL_CLI_PRIVATE_API_KEY, KL_CLI_CLIENT_SECRET, KL_CLI_ACCESS_TOKEN, KL_CLI_REFRESH_TOKEN,
  };
  g_autoptr(Toml) toml = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer k;
  guint line = 0;
  const char *reason = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  toml = toml_parse (text != NULL ? text : "", length, &line, &reason);
  if (toml == NULL)
    {
      set_parse_error (error, display_path, line, reason);
      return NULL;
    }

  g_hash_table_iter_init (&iter, toml->tables);
  while (g_hash_table_iter_next (&iter, &k, NULL))
    {
      g_autofree char *name = g_utf8_strdown (k, -1);
      GHashTable *table;
      KlCliProfile *profile;
      const char *url;

      /* The CLI refuses profile names with dots; its tables are profiles unless they are
       * properties. */
      if (is_global_property (name) || strchr (name, '.') != NULL || name[0] == '\0' ||
          g_hash_table_contains (seen, name))
        continue;
      g_hash_table_add (seen, g_strdup (name));

      table = find_profile_table (toml, name);
      profile = g_object_new (KL_TYPE_CLI_PROFILE, NULL);
      profile->name = g_steal_pointer (&name);
      profile->auth_type_text = dup_nonempty (profile_get (toml, table, "auth_type"));
      profile->service_text = dup_nonempty (profile_get (toml, table, "service"));
      url = profile_get (toml, table, "ops_manager_url");
      if (url == NULL)
        url = profile_get (toml, table, "base_url");
      profile->custom_url = dup_nonempty (url);
      profile->org_id = dup_nonempty (profile_get (toml, table, "org_id"));
      profile->project_id = dup_nonempty (profile_get (toml, table, "project_id"));
      profile->public_api_key = dup_nonempty (profile_get (toml, table, KL_CLI_PUBLIC_API_KEY));
      profile->client_id = dup_nonempty (profile_get (toml, table, KL_CLI_CLIENT_ID));

      for (guint i = 0; i < G_N_ELEMENTS (secret_properties); i++)
        {
          if (profile_get (toml, table, secret_properties[i]) != NULL)
            g_hash_table_add (profile->file_properties, g_strdup (secret_properties[i]));
        }

      update_state (profile);
      g_ptr_array_add (profiles, profile);
    }

  g_ptr_array_sort (profiles, compare_profiles);
  return g_steal_pointer (&profiles);
}

SecretValue *
kl_cli_config_dup_value (const char  *text,
                         gsize        length,
                         const char  *profile_name,
                         const char  *property,
                         GError     **error)
{
  g_autoptr(Toml) toml = NULL;
  g_autofree char *folded = NULL;
  const char *value;
  guint line = 0;
  const char *reason = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (profile_name != NULL, NULL);
  g_return_val_if_fail (property != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  toml = toml_parse (text != NULL ? text : "", length, &line, &reason);
  if (toml == NULL)
    {
      set_parse_error (error, NULL, line, reason);
      return NULL;
    }

  folded = g_utf8_strdown (profile_name, -1);
  value = profile_get (toml, find_profile_table (toml, folded), property);
  if (value == NULL)
    return NULL;

  return kl_secret_new (value, -1);
}

char *
kl_cli_config_build_default_path (gboolean    sandboxed,
                                  const char *home_dir,
                                  const char *user_config_dir)
{
  g_return_val_if_fail (home_dir != NULL, NULL);
  g_return_val_if_fail (user_config_dir != NULL, NULL);

  /* In the sandbox the user config dir is the app's own (~/.var/app/<id>/config); the
   * manifest's --filesystem=xdg-config/atlascli:ro shows the host's one at its usual place. */
  if (sandboxed)
    return g_build_filename (home_dir, ".config", "atlascli", "config.toml", NULL);

  return g_build_filename (user_config_dir, "atlascli", "config.toml", NULL);
}

char *
kl_cli_config_get_default_path (void)
{
  return kl_cli_config_build_default_path (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS),
                                           g_get_home_dir (), g_get_user_config_dir ());
}
