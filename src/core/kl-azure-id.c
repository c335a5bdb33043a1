/* kl-azure-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-id"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-azure-id.h"
#include "kl-error.h"

/* The rules of HACKING.md, Validation rules. Characters are tested with explicit ASCII ranges or
 * GLib's Unicode functions on validated UTF-8, never with <ctype.h> (it depends on the locale). */

#define VAULT_NAME_MIN_LEN     3
#define VAULT_NAME_MAX_LEN     24
#define KEY_NAME_MAX_LEN       127
#define KEY_VERSION_LEN        32
#define RESOURCE_GROUP_MAX_LEN 90
#define GUID_LEN               36
#define EXCERPT_MAX_CHARS      40

/* Made up, shown in messages as the shape to follow (also spelled out in guid_any.empty:
 * xgettext cannot see through a macro). */
#define EXAMPLE_GUID "6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d"

#define KEY_ID_HINT N_("In the Azure portal, open Key vaults → your vault → Keys → your key → " \
                       "its current version, and copy the Key Identifier.")
#define RESOURCE_ID_HINT N_("In the Azure portal, open Key vaults → your vault → Settings → " \
                            "Properties, and copy the Resource ID.")
#define RESOURCE_ID_SHAPE N_("A key vault’s resource ID looks like /subscriptions/<subscription ID>/" \
                             "resourceGroups/<resource group>/providers/Microsoft.KeyVault/" \
                             "vaults/<vault name>.")

struct _KlKeyId
{
  char       *host;        /* lower case */
  char       *vault_name;  /* lower case: the first label of host */
  char       *key_name;
  char       *version;
  const char *environment; /* static, from clouds[] */
  char       *string;      /* as it should be sent */
};

G_DEFINE_BOXED_TYPE (KlKeyId, kl_key_id, kl_key_id_copy, kl_key_id_free)

typedef struct
{
  const char *environment;  /* the Atlas azureEnvironment value */
  const char *suffix;       /* DNS suffix of its key vaults, without the leading dot */
  const char *display_name; /* N_() */
} KlAzureCloud;

static const KlAzureCloud clouds[] = {
  { "AZURE", "vault.azure.net", N_("Azure") },
  { "AZURE_CHINA", "vault.azure.cn", N_("Azure China") },
  { "AZURE_US_GOVERNMENT", "vault.usgovcloudapi.net", N_("Azure US Government") },
};

typedef struct
{
  const char *empty;  /* the message when nothing was entered */
  const char *intro;  /* the first sentence of every other message */
  const char *hint;   /* where to find the right value */
} KlGuidField;

static const KlGuidField guid_any = {
  N_("Enter the ID. It is a GUID like “6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d”."),
  N_("The ID is not valid."),
  N_("Copy it again from the Azure portal."),
};
static const KlGuidField guid_subscription = {
  N_("Enter the subscription ID. The key vault’s Overview page in the Azure portal shows it."),
  N_("The subscription ID is not valid."),
  N_("Copy it from the key vault’s Overview page in the Azure portal, or from Subscriptions."),
};
static const KlGuidField guid_tenant = {
  N_("Enter the tenant ID. In the Azure portal, open Microsoft Entra ID → Overview to see it."),
  N_("The tenant ID is not valid."),
  N_("Copy the Tenant ID from Microsoft Entra ID → Overview in the Azure portal."),
};
static const KlGuidField guid_client = {
  N_("Enter the client ID. It is the Application (client) ID of your app registration."),
  N_("The client ID is not valid."),
  N_("Copy the Application (client) ID from Microsoft Entra ID → App registrations → "
     "your app → Overview in the Azure portal."),
};
static const KlGuidField guid_resource_id = {
  N_("The resource ID has no subscription ID after /subscriptions/."),
  N_("The subscription ID in the resource ID is not valid."),
  RESOURCE_ID_HINT,
};

typedef gboolean (*KlCharTest) (gunichar c);

/* What kl_key_id_suggest_fix() repairs: what people paste around a good identifier. */
typedef enum
{
  REPAIR_WHITESPACE = 1 << 0,
  REPAIR_PORT       = 1 << 1,
  REPAIR_SLASH      = 1 << 2,
} KlRepair;

static const struct
{
  KlRepair    repair;
  const char *message;
} repair_messages[] = {
  { REPAIR_WHITESPACE, N_("The key identifier has spaces or line breaks around it. Remove them.") },
  { REPAIR_PORT, N_("The key identifier cannot contain the port “:443”. Remove it.") },
  { REPAIR_SLASH, N_("The key identifier cannot end with a slash. Remove the final “/”.") },
};

static gboolean
is_ascii_letter (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static gboolean
is_ascii_digit (gunichar c)
{
  return c >= '0' && c <= '9';
}

static gboolean
is_hex_digit (gunichar c)
{
  return is_ascii_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Vault names and key names. */
static gboolean
is_name_char (gunichar c)
{
  return is_ascii_letter (c) || is_ascii_digit (c) || c == '-';
}

static gboolean
is_host_char (gunichar c)
{
  return is_name_char (c) || c == '.';
}

static gboolean
is_guid_char (gunichar c)
{
  return is_hex_digit (c) || c == '-';
}

static gboolean
is_resource_group_char (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_isdigit (c) ||
         c == '_' || c == '-' || c == '.' || c == '(' || c == ')';
}

static gboolean
has_prefix_ascii_nocase (const char *text,
                         const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/* Finds the first character of @len bytes of valid UTF-8 that @test refuses. */
static gboolean
find_bad_char (const char *text,
               gsize       len,
               KlCharTest  test,
               gunichar   *bad)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!test (c))
        {
          *bad = c;
          return TRUE;
        }
    }

  return FALSE;
}

/* A phrase naming @c in a message: “_”, “a space”, … */
static char *
describe_char (gunichar c)
{
  char utf8[8];

  if (c == ' ')
    return g_strdup (_("a space"));
  if (c == '\t')
    return g_strdup (_("a tab"));
  if (c == '\n' || c == '\r')
    return g_strdup (_("a line break"));
  if (g_unichar_isspace (c))
    return g_strdup_printf (_("a special space (U+%04X)"), (guint) c);
  if (!g_unichar_isgraph (c))
    return g_strdup_printf (_("an invisible character (U+%04X)"), (guint) c);

  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  return g_strdup_printf (_("“%s”"), utf8);
}

/* A copy of @len bytes of valid UTF-8, cut short when it is too long to quote. */
static char *
excerpt (const char *text,
         gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  const char *end;

  if (g_utf8_strlen (copy, -1) <= EXCERPT_MAX_CHARS)
    return g_steal_pointer (&copy);

  end = g_utf8_offset_to_pointer (copy, EXCERPT_MAX_CHARS - 1);
  return g_strdup_printf ("%.*s…", (int) (end - copy), copy);
}

static char *
join_sentences (const char *first,
                const char *second)
{
  /* Translators: two sentences of one error message, one after the other. */
  return g_strdup_printf (_("%s %s"), first, second);
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT, message);
  return FALSE;
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail_printf (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return fail (error, message);
}

/* Adds a sentence before (or after) the message of *@error, if there is one. */
static void
add_sentence (GError     **error,
              const char  *sentence,
              gboolean     before)
{
  char *message;

  if (error == NULL || *error == NULL)
    return;

  message = before ? join_sentences (sentence, (*error)->message)
                   : join_sentences ((*error)->message, sentence);
  g_free ((*error)->message);
  (*error)->message = message;
}

/* Unicode white space removed from both ends of valid UTF-8. */
static char *
strip_space (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

static const KlAzureCloud *
find_cloud (const char *environment)
{
  for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
    {
      if (g_strcmp0 (clouds[i].environment, environment) == 0)
        return &clouds[i];
    }

  return NULL;
}

gboolean
kl_azure_check_vault_name (const char  *text,
                           GError     **error)
{
  gunichar bad;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    return fail (error, _("Enter the key vault name, as the Azure portal shows it under Key "
                          "vaults. Key vault names look like “contoso-keys”."));
  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("The vault name is not valid text (it is not UTF-8). Type it again."));

  len = strlen (text);
  if (find_bad_char (text, len, is_name_char, &bad))
    {
      g_autofree char *what = describe_char (bad);

      if (bad == '.')
        return fail (error, _("The vault name cannot contain “.”. Enter only the vault’s own "
                              "name, like “contoso-keys”, not a host name."));
      return fail_printf (error, _("The vault name cannot contain %s. Use only letters (A–Z), "
                                   "digits and hyphens."), what);
    }

  if (len < VAULT_NAME_MIN_LEN)
    return fail_printf (error, ngettext ("The vault name is too short: it has %u character, and "
                                         "key vault names have 3 to 24.",
                                         "The vault name is too short: it has %u characters, "
                                         "and key vault names have 3 to 24.", len),
                        (guint) len);
  if (len > VAULT_NAME_MAX_LEN)
    return fail_printf (error, _("The vault name is too long: it has %u characters, and the "
                                 "limit is 24."), (guint) len);
  if (!is_ascii_letter (text[0]))
    return fail (error, _("The vault name must start with a letter. Key vault names look like "
                          "“contoso-keys”."));
  if (text[len - 1] == '-')
    return fail (error, _("The vault name must end with a letter or a digit. Remove the final "
                          "“-”."));
  if (strstr (text, "--") != NULL)
    return fail (error, _("The vault name cannot have two hyphens in a row (“--”). Use a single "
                          "hyphen."));

  return TRUE;
}

gboolean
kl_azure_check_resource_group (const char  *text,
                               GError     **error)
{
  gunichar bad;
  glong len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    return fail (error, _("Enter the resource group name. The key vault’s Overview page in the "
                          "Azure portal shows it."));
  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, _("The resource group name is not valid text (it is not UTF-8). Type "
                          "it again."));

  if (find_bad_char (text, strlen (text), is_resource_group_char, &bad))
    {
      g_autofree char *what = describe_char (bad);

      return fail_printf (error, _("The resource group name cannot contain %s. Use letters, "
                                   "digits, underscores, hyphens, periods and parentheses."),
                          what);
    }

  len = g_utf8_strlen (text, -1);
  if (len > RESOURCE_GROUP_MAX_LEN)
    return fail_printf (error, _("The resource group name is too long: it has %u characters, "
                                 "and the limit is 90."), (guint) len);
  if (g_str_has_suffix (text, "."))
    return fail (error, _("The resource group name cannot end with a period. Remove the final "
                          "“.”."));

  return TRUE;
}

static gboolean
check_guid (const char         *text,
            const KlGuidField  *field,
            GError            **error)
{
  g_autofree char *detail = NULL;
  g_autofree char *first = NULL;
  g_autofree char *message = NULL;
  gunichar bad;
  gsize len;

  if (text == NULL || *text == '\0')
    return fail (error, _(field->empty));

  if (!g_utf8_validate (text, -1, NULL))
    {
      detail = g_strdup (_("It is not valid text (it is not UTF-8)."));
    }
  else if (find_bad_char (text, strlen (text), is_guid_char, &bad))
    {
      g_autofree char *what = describe_char (bad);

      detail = g_strdup_printf (_("It contains %s, but a GUID has only the digits 0–9, the "
                                  "letters a–f and hyphens."), what);
    }
  else if ((len = strlen (text)) != GUID_LEN)
    {
      detail = g_strdup_printf (ngettext ("A GUID has 36 characters (32 hexadecimal digits and "
                                          "4 hyphens), but this one has %u.",
                                          "A GUID has 36 characters (32 hexadecimal digits and "
                                          "4 hyphens), but this one has %u.", len),
                                (guint) len);
    }
  else
    {
      gboolean hyphens_ok = TRUE;
      gboolean all_zero = TRUE;

      for (guint i = 0; i < GUID_LEN; i++)
        {
          gboolean want_hyphen = i == 8 || i == 13 || i == 18 || i == 23;

          if ((text[i] == '-') != want_hyphen)
            hyphens_ok = FALSE;
          if (!want_hyphen && text[i] != '0')
            all_zero = FALSE;
        }

      if (!hyphens_ok)
        detail = g_strdup_printf (_("Its hyphens are in the wrong places: a GUID is grouped "
                                    "8-4-4-4-12, like “%s”."), EXAMPLE_GUID);
      else if (all_zero)
        detail = g_strdup (_("It is all zeros, which is only a placeholder."));
    }

  if (detail == NULL)
    return TRUE;

  first = join_sentences (_(field->intro), detail);
  message = join_sentences (first, _(field->hint));
  return fail (error, message);
}

gboolean
kl_azure_check_guid (const char  *text,
                     GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_guid (text, &guid_any, error);
}

gboolean
kl_azure_check_subscription_id (const char  *text,
                                GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_guid (text, &guid_subscription, error);
}

gboolean
kl_azure_check_tenant_id (const char  *text,
                          GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_guid (text, &guid_tenant, error);
}

gboolean
kl_azure_check_client_id (const char  *text,
                          GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_guid (text, &guid_client, error);
}

gboolean
kl_azure_check_environment (const char  *text,
                            GError     **error)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    return fail (error, _("Choose the Azure environment of the key vault: Azure, Azure China "
                          "or Azure US Government."));
  if (find_cloud (text) != NULL)
    return TRUE;

  quoted = g_utf8_validate (text, -1, NULL) ? excerpt (text, strlen (text)) : g_strdup ("?");
  return fail_printf (error, _("The Azure environment “%s” is not known. Choose Azure, Azure "
                               "China or Azure US Government."), quoted);
}

/* The parts of https://<host>…: NULL (and an error) when the host is not a key vault's. */
static char *
parse_key_id_host (const char           *authority,
                   gsize                 len,
                   const KlAzureCloud  **cloud,
                   char                **vault_name,
                   GError              **error)
{
  g_autofree char *host = NULL;
  g_autofree char *quoted = NULL;
  g_auto(GStrv) labels = NULL;
  const char *colon;
  gunichar bad;

  host = g_ascii_strdown (authority, len);

  if (g_str_has_prefix (host, "portal.azure."))
    {
      fail (error, _("This is a link to the Azure portal, not a key identifier."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }
  if (memchr (authority, '@', len) != NULL)
    {
      fail (error, _("The key identifier cannot contain a user name or password before the "
                     "host. Remove everything between “https://” and “@”, and the “@”."));
      return NULL;
    }
  colon = memchr (authority, ':', len);
  if (colon != NULL)
    {
      g_autofree char *port = excerpt (colon, authority + len - colon);

      fail_printf (error, _("The key identifier cannot contain a port (“%s”). Remove it: key "
                            "vaults are reached on the standard HTTPS port."), port);
      return NULL;
    }
  if (len == 0)
    {
      fail (error, _("The key identifier has no host after “https://”. It looks like "
                     "“https://contoso-keys.vault.azure.net/keys/<key name>/<version>”."));
      return NULL;
    }
  if (find_bad_char (authority, len, is_host_char, &bad))
    {
      g_autofree char *what = describe_char (bad);

      fail_printf (error, _("The key identifier’s host cannot contain %s. A key vault’s host "
                            "looks like “contoso-keys.vault.azure.net”."), what);
      return NULL;
    }

  quoted = excerpt (host, len);
  labels = g_strsplit (host, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      if (*labels[i] == '\0')
        {
          fail_printf (error, _("The key identifier’s host “%s” has an empty part: two dots in a "
                                "row, or a dot at its start or end. Remove the extra dot."),
                       quoted);
          return NULL;
        }
    }
  for (guint i = 0; labels[i] != NULL; i++)
    {
      if (strcmp (labels[i], "managedhsm") == 0)
        {
          fail_printf (error, _("The key identifier points to a Managed HSM (“%s”). Atlas needs "
                                "a key vault key, not a Managed HSM key: create the key in a key "
                                "vault and use its key identifier."), quoted);
          return NULL;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
    {
      gsize suffix_len = strlen (clouds[i].suffix);
      g_autofree char *label = NULL;

      if (strcmp (host, clouds[i].suffix) == 0)
        {
          fail_printf (error, _("The key identifier has no vault name before “%s”. It looks like "
                                "“https://contoso-keys.%s/keys/<key name>/<version>”."),
                       clouds[i].suffix, clouds[i].suffix);
          return NULL;
        }
      if (len <= suffix_len + 1 ||
          host[len - suffix_len - 1] != '.' ||
          strcmp (host + len - suffix_len, clouds[i].suffix) != 0)
        continue;

      label = g_strndup (host, len - suffix_len - 1);
      if (strchr (label, '.') != NULL)
        {
          g_autofree char *quoted_label = excerpt (label, strlen (label));

          fail_printf (error, _("The key identifier’s host has more than one name before “.%s”: "
                                "“%s”. The vault name is a single word, like “contoso-keys”."),
                       clouds[i].suffix, quoted_label);
          return NULL;
        }
      if (!kl_azure_check_vault_name (label, error))
        {
          add_sentence (error, _("The vault name in the key identifier is not valid."), TRUE);
          return NULL;
        }

      *cloud = &clouds[i];
      *vault_name = g_steal_pointer (&label);
      return g_steal_pointer (&host);
    }

  fail_printf (error, _("The key identifier’s host “%s” is not a key vault. Key vault hosts end "
                        "in .vault.azure.net (Azure), .vault.azure.cn (Azure China) or "
                        ".vault.usgovcloudapi.net (Azure US Government)."), quoted);
  return NULL;
}

/* /keys/<name>/<version>: checks @path and sets the name and the version. */
static gboolean
parse_key_id_path (const char  *path,
                   char       **key_name,
                   char       **version,
                   GError     **error)
{
  g_auto(GStrv) segments = NULL;
  gunichar bad;
  guint n_segments;
  gsize len;

  if (*path == '\0' || strcmp (path, "/") == 0)
    {
      fail (error, _("The key identifier ends after the host. It must go on with "
                     "/keys/<key name>/<version>."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }
  g_assert (*path == '/');

  segments = g_strsplit (path + 1, "/", -1);
  n_segments = g_strv_length (segments);
  for (guint i = 0; i < n_segments; i++)
    {
      if (*segments[i] != '\0')
        continue;
      if (i + 1 == n_segments)
        return fail (error, _("The key identifier cannot end with a slash. Remove the final "
                              "“/”."));
      return fail (error, _("The key identifier has an empty part (“//”). Remove the extra "
                            "slash."));
    }

  if (strcmp (segments[0], "keys") != 0)
    {
      g_autofree char *quoted = excerpt (segments[0], strlen (segments[0]));

      if (g_ascii_strcasecmp (segments[0], "secrets") == 0)
        fail (error, _("This is the identifier of a secret (/secrets/), not of a key. Atlas "
                       "needs a key."));
      else if (g_ascii_strcasecmp (segments[0], "certificates") == 0)
        fail (error, _("This is the identifier of a certificate (/certificates/), not of a key. "
                       "Atlas needs a key."));
      else
        fail_printf (error, _("The key identifier must have “/keys/” after the host, not "
                              "“/%s/”."), quoted);
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  if (n_segments == 1)
    {
      fail (error, _("The key identifier has no key name after /keys/."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  len = strlen (segments[1]);
  if (find_bad_char (segments[1], len, is_name_char, &bad))
    {
      g_autofree char *what = describe_char (bad);

      return fail_printf (error, _("The key name in the key identifier cannot contain %s. Key "
                                   "names have only letters (A–Z), digits and hyphens."), what);
    }
  if (len > KEY_NAME_MAX_LEN)
    return fail_printf (error, _("The key name in the key identifier is too long: it has %u "
                                 "characters, and the limit is 127."), (guint) len);

  if (n_segments == 2)
    {
      fail (error, _("The key identifier has no version: Atlas needs the identifier of one "
                     "version of the key, ending in /keys/<key name>/<version>."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  len = strlen (segments[2]);
  if (find_bad_char (segments[2], len, is_hex_digit, &bad))
    {
      g_autofree char *what = describe_char (bad);

      fail_printf (error, _("The key version in the key identifier can only contain hexadecimal "
                            "digits (0–9, a–f), not %s."), what);
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }
  if (len != KEY_VERSION_LEN)
    {
      fail_printf (error, ngettext ("The key version in the key identifier must be 32 "
                                    "hexadecimal digits, but it has %u.",
                                    "The key version in the key identifier must be 32 "
                                    "hexadecimal digits, but it has %u.", len),
                   (guint) len);
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  if (n_segments > 3)
    {
      g_autofree char *rest = g_strjoinv ("/", segments + 3);
      g_autofree char *quoted = excerpt (rest, strlen (rest));

      return fail_printf (error, _("The key identifier has extra parts after the version "
                                   "(“/%s”). It must end with /keys/<key name>/<version>."),
                          quoted);
    }

  *key_name = g_strdup (segments[1]);
  *version = g_strdup (segments[2]);
  return TRUE;
}

/* Every rule of a key identifier, with nothing repaired. */
static KlKeyId *
parse_key_id_strict (const char  *text,
                     GError     **error)
{
  g_autoptr(KlKeyId) id = NULL;
  const KlAzureCloud *cloud = NULL;
  const char *authority;
  const char *rest;
  const char *special;
  gsize authority_len;

  g_assert (g_utf8_validate (text, -1, NULL));

  if (*text == '\0')
    {
      fail (error, _("Enter the key identifier."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          g_autofree char *what = describe_char (c);

          fail_printf (error, _("The key identifier cannot contain %s. Remove it, or copy the "
                                "identifier again."), what);
          return NULL;
        }
    }

  if (has_prefix_ascii_nocase (text, "/subscriptions/"))
    {
      fail (error, _("This is a resource ID, not a key identifier. A key identifier starts with "
                     "https:// and ends with /keys/<key name>/<version>."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }
  if (has_prefix_ascii_nocase (text, "http://"))
    {
      fail (error, _("The key identifier must start with https://, not http://. Key vaults only "
                     "answer over HTTPS."));
      return NULL;
    }
  if (!has_prefix_ascii_nocase (text, "https://"))
    {
      fail (error, _("The key identifier must start with https://, like "
                     "“https://contoso-keys.vault.azure.net/keys/<key name>/<version>”."));
      return NULL;
    }

  authority = text + strlen ("https://");
  authority_len = strcspn (authority, "/?#");
  rest = authority + authority_len;

  id = g_new0 (KlKeyId, 1);
  id->host = parse_key_id_host (authority, authority_len, &cloud, &id->vault_name, error);
  if (id->host == NULL)
    return NULL;
  id->environment = cloud->environment;

  special = strpbrk (rest, "?#");
  if (special != NULL)
    {
      gsize len = *special == '?' ? strcspn (special, "#") : strlen (special);
      g_autofree char *quoted = excerpt (special, len);

      if (*special == '?')
        fail_printf (error, _("The key identifier cannot have a query (“%s”). Remove everything "
                              "from the “?” on."), quoted);
      else
        fail_printf (error, _("The key identifier cannot have a fragment (“%s”). Remove "
                              "everything from the “#” on."), quoted);
      return NULL;
    }
  special = strchr (rest, '%');
  if (special != NULL)
    {
      const char *end = special;
      g_autofree char *quoted = NULL;

      /* “%” and the two characters that follow it, whole characters only. */
      for (guint i = 0; i < 3 && *end != '\0'; i++)
        end = g_utf8_next_char (end);
      quoted = excerpt (special, end - special);

      fail_printf (error, _("The key identifier cannot contain percent-escapes (“%s”). Key names "
                            "and versions never need them."), quoted);
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }

  if (!parse_key_id_path (rest, &id->key_name, &id->version, error))
    return NULL;

  id->string = g_strdup_printf ("https://%s/keys/%s/%s", id->host, id->key_name, id->version);
  return g_steal_pointer (&id);
}

/* @text (valid UTF-8) without what people paste around an identifier. */
static char *
repair_key_id (const char *text,
               KlRepair   *repairs)
{
  g_autofree char *fixed = strip_space (text);
  gsize len = strlen (fixed);

  *repairs = 0;
  if (len != strlen (text))
    *repairs |= REPAIR_WHITESPACE;

  if (len > 0 && fixed[len - 1] == '/')
    {
      fixed[--len] = '\0';
      *repairs |= REPAIR_SLASH;
    }

  if (has_prefix_ascii_nocase (fixed, "https://"))
    {
      char *authority = fixed + strlen ("https://");
      char *authority_end = authority + strcspn (authority, "/?#");

      if (authority_end - authority >= 4 && memcmp (authority_end - 4, ":443", 4) == 0)
        {
          memmove (authority_end - 4, authority_end, strlen (authority_end) + 1);
          *repairs |= REPAIR_PORT;
        }
    }

  return g_steal_pointer (&fixed);
}

KlKeyId *
kl_key_id_parse (const char  *text,
                 GError     **error)
{
  g_autofree char *fixed = NULL;
  g_autoptr(KlKeyId) id = NULL;
  KlRepair repairs;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    {
      fail (error, _("The key identifier is not valid text (it is not UTF-8)."));
      add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }

  /* The real problem first: a user who removes a final slash only to hear that the version is
   * missing has been sent on a detour. */
  fixed = repair_key_id (text, &repairs);
  id = parse_key_id_strict (fixed, error);
  if (id == NULL || repairs == 0)
    return g_steal_pointer (&id);

  /* One sentence for each thing to remove. */
  for (guint i = 0; i < G_N_ELEMENTS (repair_messages); i++)
    {
      if ((repairs & repair_messages[i].repair) == 0)
        continue;
      if (error != NULL && *error != NULL)
        add_sentence (error, _(repair_messages[i].message), FALSE);
      else
        fail (error, _(repair_messages[i].message));
    }

  return NULL;
}

char *
kl_key_id_suggest_fix (const char *text)
{
  g_autofree char *fixed = NULL;
  g_autoptr(KlKeyId) id = NULL;
  KlRepair repairs;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  fixed = repair_key_id (text, &repairs);
  if (repairs == 0)
    return NULL;

  id = parse_key_id_strict (fixed, NULL);
  if (id == NULL)
    return NULL;

  return g_steal_pointer (&fixed);
}

gboolean
kl_key_id_check (const KlKeyId  *id,
                 const char     *azure_environment,
                 const char     *key_vault_name,
                 GError        **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (azure_environment != NULL)
    {
      const KlAzureCloud *want;
      const KlAzureCloud *have;

      if (!kl_azure_check_environment (azure_environment, error))
        return FALSE;

      want = find_cloud (azure_environment);
      have = find_cloud (id->environment);
      if (want != have)
        return fail_printf (error, _("The key identifier is in %s (.%s), but the Azure "
                                     "environment is %s (.%s). Choose %s as the environment, or "
                                     "use a key from a vault in %s."),
                            _(have->display_name), have->suffix,
                            _(want->display_name), want->suffix,
                            _(have->display_name), _(want->display_name));
    }

  if (key_vault_name != NULL && *key_vault_name != '\0' &&
      g_ascii_strcasecmp (key_vault_name, id->vault_name) != 0)
    {
      g_autofree char *quoted = NULL;

      quoted = g_utf8_validate (key_vault_name, -1, NULL)
               ? excerpt (key_vault_name, strlen (key_vault_name))
               : g_strdup ("?");
      return fail_printf (error, _("The key identifier is in the vault “%s”, but the vault name "
                                   "is “%s”. Use a key from “%s”, or correct the vault name."),
                          id->vault_name, quoted, quoted);
    }

  return TRUE;
}

KlKeyId *
kl_key_id_copy (const KlKeyId *id)
{
  KlKeyId *copy;

  g_return_val_if_fail (id != NULL, NULL);

  copy = g_new0 (KlKeyId, 1);
  copy->host = g_strdup (id->host);
  copy->vault_name = g_strdup (id->vault_name);
  copy->key_name = g_strdup (id->key_name);
  copy->version = g_strdup (id->version);
  copy->environment = id->environment;
  copy->string = g_strdup (id->string);
  return copy;
}

void
kl_key_id_free (KlKeyId *id)
{
  if (id == NULL)
    return;

  g_free (id->host);
  g_free (id->vault_name);
  g_free (id->key_name);
  g_free (id->version);
  g_free (id->string);
  g_free (id);
}

const char *
kl_key_id_get_vault_name (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->vault_name;
}

const char *
kl_key_id_get_host (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->host;
}

const char *
kl_key_id_get_key_name (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->key_name;
}

const char *
kl_key_id_get_version (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->version;
}

const char *
kl_key_id_get_environment (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->environment;
}

const char *
kl_key_id_to_string (const KlKeyId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->string;
}

/* Checks that segments[@index] is the fixed segment name @expected (ASCII, any case). */
static gboolean
expect_segment (char       **segments,
                guint        n_segments,
                guint        index,
                const char  *expected,
                GError     **error)
{
  g_autofree char *quoted = NULL;

  if (index >= n_segments)
    {
      fail (error, _("The resource ID ends too early."));
      add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }
  if (g_ascii_strcasecmp (segments[index], expected) == 0)
    return TRUE;

  quoted = excerpt (segments[index], strlen (segments[index]));
  fail_printf (error, _("The resource ID has “%s” where “%s” belongs."), quoted, expected);
  add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
  return FALSE;
}

gboolean
kl_azure_parse_vault_resource_id (const char  *text,
                                  char       **subscription_id,
                                  char       **resource_group,
                                  char       **vault_name,
                                  GError     **error)
{
  g_autofree char *stripped = NULL;
  g_auto(GStrv) segments = NULL;
  guint n_segments;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      fail (error, _("Enter the key vault’s resource ID."));
      add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      fail (error, _("The resource ID is not valid text (it is not UTF-8)."));
      add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }

  /* Pasted text: the spaces around it are not part of any field. */
  stripped = strip_space (text);

  if (has_prefix_ascii_nocase (stripped, "https://") || has_prefix_ascii_nocase (stripped, "http://"))
    {
      g_autoptr(KlKeyId) id = kl_key_id_parse (stripped, NULL);

      if (id != NULL)
        fail (error, _("This is a key identifier, not a key vault’s resource ID. Enter it as the "
                       "key identifier."));
      else
        fail (error, _("This is a web address, not a resource ID. A resource ID starts with "
                       "/subscriptions/."));
      add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (*stripped != '/')
    {
      fail (error, _("The resource ID must start with /subscriptions/."));
      add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }

  segments = g_strsplit (stripped + 1, "/", -1);
  n_segments = g_strv_length (segments);
  for (guint i = 0; i < n_segments; i++)
    {
      if (*segments[i] != '\0')
        continue;
      if (i + 1 == n_segments)
        return fail (error, _("The resource ID cannot end with a slash. Remove the final “/”."));
      return fail (error, _("The resource ID has an empty part (“//”). Remove the extra slash."));
    }

  if (!expect_segment (segments, n_segments, 0, "subscriptions", error))
    return FALSE;
  if (n_segments > 1 && !check_guid (segments[1], &guid_resource_id, error))
    return FALSE;
  if (!expect_segment (segments, n_segments, 2, "resourceGroups", error))
    return FALSE;
  if (n_segments > 3 && !kl_azure_check_resource_group (segments[3], error))
    {
      add_sentence (error, _("The resource group name in the resource ID is not valid."), TRUE);
      return FALSE;
    }
  if (!expect_segment (segments, n_segments, 4, "providers", error))
    return FALSE;
  if (n_segments > 5 && g_ascii_strcasecmp (segments[5], "Microsoft.KeyVault") != 0)
    {
      g_autofree char *quoted = excerpt (segments[5], strlen (segments[5]));

      fail_printf (error, _("This is the resource ID of a “%s” resource, not of a key vault."),
                   quoted);
      add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (n_segments > 6 && g_ascii_strcasecmp (segments[6], "managedHSMs") == 0)
    {
      fail (error, _("This is the resource ID of a Managed HSM. Atlas needs a key vault key, not "
                     "a Managed HSM key: create the key in a key vault and use that vault."));
      return FALSE;
    }
  if (!expect_segment (segments, n_segments, 5, "Microsoft.KeyVault", error) ||
      !expect_segment (segments, n_segments, 6, "vaults", error))
    return FALSE;
  if (n_segments == 7)
    {
      fail (error, _("The resource ID has no vault name after /vaults/."));
      add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }
  if (!kl_azure_check_vault_name (segments[7], error))
    {
      add_sentence (error, _("The vault name in the resource ID is not valid."), TRUE);
      return FALSE;
    }
  if (n_segments > 8)
    {
      g_autofree char *rest = g_strjoinv ("/", segments + 8);
      g_autofree char *quoted = excerpt (rest, strlen (rest));

      if (g_ascii_strcasecmp (segments[8], "keys") == 0)
        return fail_printf (error, _("This is the resource ID of a key, not of its key vault. "
                                     "Remove everything after the vault name (“/%s”)."), quoted);
      return fail_printf (error, _("The resource ID has extra parts after the vault name (“/%s”). "
                                   "Remove them."), quoted);
    }

  if (subscription_id != NULL)
    *subscription_id = g_strdup (segments[1]);
  if (resource_group != NULL)
    *resource_group = g_strdup (segments[3]);
  if (vault_name != NULL)
    *vault_name = g_strdup (segments[7]);
  return TRUE;
}
