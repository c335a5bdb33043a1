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
#include "kl-azure-id-private.h"
#include "kl-error.h"

/* The rules of HACKING.md, Validation rules. Characters are tested with explicit ASCII ranges or
 * GLib's Unicode functions on validated UTF-8, never with <ctype.h> (it depends on the locale). */

#define VAULT_NAME_MIN_LEN     3
#define VAULT_NAME_MAX_LEN     24
#define RESOURCE_GROUP_MAX_LEN 90
#define GUID_LEN               36
#define EXCERPT_MAX_CHARS      40

/* Made up, shown in messages as the shape to follow (also spelled out in guid_any.empty:
 * xgettext cannot see through a macro). */
#define EXAMPLE_GUID "6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d"

#define RESOURCE_ID_HINT N_("In the Azure portal, open Key vaults → your vault → Settings → " \
                            "Properties, and copy the Resource ID.")
#define RESOURCE_ID_SHAPE N_("A key vault’s resource ID looks like /subscriptions/<subscription ID>/" \
                             "resourceGroups/<resource group>/providers/Microsoft.KeyVault/" \
                             "vaults/<vault name>.")

const KlAzureCloud kl_azure_clouds[KL_AZURE_N_CLOUDS] = {
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

gboolean
kl_azure_id_is_hex_digit (gunichar c)
{
  return is_ascii_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Vault names and key names. */
gboolean
kl_azure_id_is_name_char (gunichar c)
{
  return is_ascii_letter (c) || is_ascii_digit (c) || c == '-';
}

gboolean
kl_azure_id_is_host_char (gunichar c)
{
  return kl_azure_id_is_name_char (c) || c == '.';
}

static gboolean
is_guid_char (gunichar c)
{
  return kl_azure_id_is_hex_digit (c) || c == '-';
}

static gboolean
is_resource_group_char (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_isdigit (c) ||
         c == '_' || c == '-' || c == '.' || c == '(' || c == ')';
}

gboolean
kl_azure_id_has_prefix_ascii_nocase (const char *text,
                         const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/* Finds the first character of @len bytes of valid UTF-8 that @test refuses. */
gboolean
kl_azure_id_find_bad_char (const char *text,
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
char *
kl_azure_id_describe_char (gunichar c)
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
char *
kl_azure_id_excerpt (const char *text,
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

gboolean
kl_azure_id_fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT, message);
  return FALSE;
}

G_GNUC_PRINTF (2, 3)
gboolean
kl_azure_id_fail_printf (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return kl_azure_id_fail (error, message);
}

/* Adds a sentence before (or after) the message of *@error, if there is one. */
void
kl_azure_id_add_sentence (GError     **error,
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
char *
kl_azure_id_strip_space (const char *text)
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

const KlAzureCloud *
kl_azure_id_find_cloud (const char *environment)
{
  for (guint i = 0; i < KL_AZURE_N_CLOUDS; i++)
    {
      if (g_strcmp0 (kl_azure_clouds[i].environment, environment) == 0)
        return &kl_azure_clouds[i];
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
    return kl_azure_id_fail (error, _("Enter the key vault name, as the Azure portal shows it under Key "
                          "vaults. Key vault names look like “contoso-keys”."));
  if (!g_utf8_validate (text, -1, NULL))
    return kl_azure_id_fail (error, _("The vault name is not valid text (it is not UTF-8). Type it again."));

  len = strlen (text);
  if (kl_azure_id_find_bad_char (text, len, kl_azure_id_is_name_char, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

      if (bad == '.')
        return kl_azure_id_fail (error, _("The vault name cannot contain “.”. Enter only the vault’s own "
                              "name, like “contoso-keys”, not a host name."));
      return kl_azure_id_fail_printf (error, _("The vault name cannot contain %s. Use only letters (A–Z), "
                                   "digits and hyphens."), what);
    }

  if (len < VAULT_NAME_MIN_LEN)
    return kl_azure_id_fail_printf (error, ngettext ("The vault name is too short: it has %u character, and "
                                         "key vault names have 3 to 24.",
                                         "The vault name is too short: it has %u characters, "
                                         "and key vault names have 3 to 24.", len),
                        (guint) len);
  if (len > VAULT_NAME_MAX_LEN)
    return kl_azure_id_fail_printf (error, _("The vault name is too long: it has %u characters, and the "
                                 "limit is 24."), (guint) len);
  if (!is_ascii_letter (text[0]))
    return kl_azure_id_fail (error, _("The vault name must start with a letter. Key vault names look like "
                          "“contoso-keys”."));
  if (text[len - 1] == '-')
    return kl_azure_id_fail (error, _("The vault name must end with a letter or a digit. Remove the final "
                          "“-”."));
  if (strstr (text, "--") != NULL)
    return kl_azure_id_fail (error, _("The vault name cannot have two hyphens in a row (“--”). Use a single "
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
    return kl_azure_id_fail (error, _("Enter the resource group name. The key vault’s Overview page in the "
                          "Azure portal shows it."));
  if (!g_utf8_validate (text, -1, NULL))
    return kl_azure_id_fail (error, _("The resource group name is not valid text (it is not UTF-8). Type "
                          "it again."));

  if (kl_azure_id_find_bad_char (text, strlen (text), is_resource_group_char, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

      return kl_azure_id_fail_printf (error, _("The resource group name cannot contain %s. Use letters, "
                                   "digits, underscores, hyphens, periods and parentheses."),
                          what);
    }

  len = g_utf8_strlen (text, -1);
  if (len > RESOURCE_GROUP_MAX_LEN)
    return kl_azure_id_fail_printf (error, _("The resource group name is too long: it has %u characters, "
                                 "and the limit is 90."), (guint) len);
  if (g_str_has_suffix (text, "."))
    return kl_azure_id_fail (error, _("The resource group name cannot end with a period. Remove the final "
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
    return kl_azure_id_fail (error, _(field->empty));

  if (!g_utf8_validate (text, -1, NULL))
    {
      detail = g_strdup (_("It is not valid text (it is not UTF-8)."));
    }
  else if (kl_azure_id_find_bad_char (text, strlen (text), is_guid_char, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

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
  return kl_azure_id_fail (error, message);
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
    return kl_azure_id_fail (error, _("Choose the Azure environment of the key vault: Azure, Azure China "
                          "or Azure US Government."));
  if (kl_azure_id_find_cloud (text) != NULL)
    return TRUE;

  quoted = g_utf8_validate (text, -1, NULL) ? kl_azure_id_excerpt (text, strlen (text)) : g_strdup ("?");
  return kl_azure_id_fail_printf (error, _("The Azure environment “%s” is not known. Choose Azure, Azure "
                               "China or Azure US Government."), quoted);
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
      kl_azure_id_fail (error, _("The resource ID ends too early."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }
  if (g_ascii_strcasecmp (segments[index], expected) == 0)
    return TRUE;

  quoted = kl_azure_id_excerpt (segments[index], strlen (segments[index]));
  kl_azure_id_fail_printf (error, _("The resource ID has “%s” where “%s” belongs."), quoted, expected);
  kl_azure_id_add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
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
      kl_azure_id_fail (error, _("Enter the key vault’s resource ID."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      kl_azure_id_fail (error, _("The resource ID is not valid text (it is not UTF-8)."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }

  /* Pasted text: the spaces around it are not part of any field. */
  stripped = kl_azure_id_strip_space (text);

  if (kl_azure_id_has_prefix_ascii_nocase (stripped, "https://") || kl_azure_id_has_prefix_ascii_nocase (stripped, "http://"))
    {
      g_autoptr(KlKeyId) id = kl_key_id_parse (stripped, NULL);

      if (id != NULL)
        kl_azure_id_fail (error, _("This is a key identifier, not a key vault’s resource ID. Enter it as the "
                       "key identifier."));
      else
        kl_azure_id_fail (error, _("This is a web address, not a resource ID. A resource ID starts with "
                       "/subscriptions/."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (*stripped != '/')
    {
      kl_azure_id_fail (error, _("The resource ID must start with /subscriptions/."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }

  segments = g_strsplit (stripped + 1, "/", -1);
  n_segments = g_strv_length (segments);
  for (guint i = 0; i < n_segments; i++)
    {
      if (*segments[i] != '\0')
        continue;
      if (i + 1 == n_segments)
        return kl_azure_id_fail (error, _("The resource ID cannot end with a slash. Remove the final “/”."));
      return kl_azure_id_fail (error, _("The resource ID has an empty part (“//”). Remove the extra slash."));
    }

  if (!expect_segment (segments, n_segments, 0, "subscriptions", error))
    return FALSE;
  if (n_segments > 1 && !check_guid (segments[1], &guid_resource_id, error))
    return FALSE;
  if (!expect_segment (segments, n_segments, 2, "resourceGroups", error))
    return FALSE;
  if (n_segments > 3 && !kl_azure_check_resource_group (segments[3], error))
    {
      kl_azure_id_add_sentence (error, _("The resource group name in the resource ID is not valid."), TRUE);
      return FALSE;
    }
  if (!expect_segment (segments, n_segments, 4, "providers", error))
    return FALSE;
  if (n_segments > 5 && g_ascii_strcasecmp (segments[5], "Microsoft.KeyVault") != 0)
    {
      g_autofree char *quoted = kl_azure_id_excerpt (segments[5], strlen (segments[5]));

      kl_azure_id_fail_printf (error, _("This is the resource ID of a “%s” resource, not of a key vault."),
                   quoted);
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_HINT), FALSE);
      return FALSE;
    }
  if (n_segments > 6 && g_ascii_strcasecmp (segments[6], "managedHSMs") == 0)
    {
      kl_azure_id_fail (error, _("This is the resource ID of a Managed HSM. Atlas needs a key vault key, not "
                     "a Managed HSM key: create the key in a key vault and use that vault."));
      return FALSE;
    }
  if (!expect_segment (segments, n_segments, 5, "Microsoft.KeyVault", error) ||
      !expect_segment (segments, n_segments, 6, "vaults", error))
    return FALSE;
  if (n_segments == 7)
    {
      kl_azure_id_fail (error, _("The resource ID has no vault name after /vaults/."));
      kl_azure_id_add_sentence (error, _(RESOURCE_ID_SHAPE), FALSE);
      return FALSE;
    }
  if (!kl_azure_check_vault_name (segments[7], error))
    {
      kl_azure_id_add_sentence (error, _("The vault name in the resource ID is not valid."), TRUE);
      return FALSE;
    }
  if (n_segments > 8)
    {
      g_autofree char *rest = g_strjoinv ("/", segments + 8);
      g_autofree char *quoted = kl_azure_id_excerpt (rest, strlen (rest));

      if (g_ascii_strcasecmp (segments[8], "keys") == 0)
        return kl_azure_id_fail_printf (error, _("This is the resource ID of a key, not of its key vault. "
                                     "Remove everything after the vault name (“/%s”)."), quoted);
      return kl_azure_id_fail_printf (error, _("The resource ID has extra parts after the vault name (“/%s”). "
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

/* ---- What people paste for a GUID ------------------------------------------------------ */

static gboolean
is_guid_edge (char c)
{
  return kl_azure_id_is_hex_digit ((guchar) c) || c == '-';
}

/* A well-formed GUID (8-4-4-4-12 hexadecimal digits) at @text + @i, not part of something
 * longer. */
static gboolean
guid_at (const char *text,
         gsize       len,
         gsize       i)
{
  if (i + GUID_LEN > len)
    return FALSE;

  for (guint k = 0; k < GUID_LEN; k++)
    {
      gboolean want_hyphen = k == 8 || k == 13 || k == 18 || k == 23;
      char c = text[i + k];

      if (want_hyphen ? c != '-' : !kl_azure_id_is_hex_digit ((guchar) c))
        return FALSE;
    }

  return !(i > 0 && is_guid_edge (text[i - 1])) &&
         !(i + GUID_LEN < len && is_guid_edge (text[i + GUID_LEN]));
}

char *
kl_azure_suggest_guid_fix (const char *text)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *found = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  trimmed = g_strstrip (g_strdup (text));
  len = strlen (trimmed);

  /* A GUID already: nothing to repair (its own check says whether it is a good one). */
  if (len == GUID_LEN && guid_at (trimmed, len, 0))
    return NULL;

  /* “{GUID}”, or an address such as the portal's
   * …/ApplicationMenuBlade/~/Overview/appId/<GUID>/isMSAApp~/false: its one GUID. */
  for (gsize i = 0; i + GUID_LEN <= len; i++)
    {
      if (!guid_at (trimmed, len, i))
        continue;
      if (found == NULL)
        found = g_strndup (trimmed + i, GUID_LEN);
      else if (g_ascii_strncasecmp (found, trimmed + i, GUID_LEN) != 0)
        return NULL;
      i += GUID_LEN - 1;
    }

  return g_steal_pointer (&found);
}

gboolean
kl_azure_check_client_not_tenant (const char  *tenant_id,
                                  const char  *client_id,
                                  GError     **error)
{
  g_autofree char *tenant = NULL;
  g_autofree char *client = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tenant_id == NULL || client_id == NULL)
    return TRUE;

  tenant = g_strstrip (g_strdup (tenant_id));
  client = g_strstrip (g_strdup (client_id));
  if (tenant[0] == '\0' || g_ascii_strcasecmp (tenant, client) != 0)
    return TRUE;

  return kl_azure_id_fail (error, _("This is the directory (tenant) ID again, a common paste slip. Copy the "
                        "“Application (client) ID” from the app registration’s Overview page in "
                        "the Azure portal: it is the other GUID there."));
}
