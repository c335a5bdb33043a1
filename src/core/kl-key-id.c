/* kl-key-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-key-id"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-key-id.h"
#include "kl-azure-id.h"
#include "kl-azure-id-private.h"
#include "kl-error.h"

/* A key vault key's identifier (HACKING.md, Validation rules): parsed, checked against the other
 * fields, and repaired where what people paste around a good one is safe to remove. */

#define KEY_NAME_MAX_LEN 127
#define KEY_VERSION_LEN  32

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

#define KEY_ID_HINT N_("In the Azure portal, open Key vaults → your vault → Keys → your key → " \
                       "its current version, and copy the Key Identifier.")

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
      kl_azure_id_fail (error, _("This is a link to the Azure portal, not a key identifier."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }
  if (memchr (authority, '@', len) != NULL)
    {
      kl_azure_id_fail (error, _("The key identifier cannot contain a user name or password before the "
                     "host. Remove everything between “https://” and “@”, and the “@”."));
      return NULL;
    }
  colon = memchr (authority, ':', len);
  if (colon != NULL)
    {
      g_autofree char *port = kl_azure_id_excerpt (colon, authority + len - colon);

      kl_azure_id_fail_printf (error, _("The key identifier cannot contain a port (“%s”). Remove it: key "
                            "vaults are reached on the standard HTTPS port."), port);
      return NULL;
    }
  if (len == 0)
    {
      kl_azure_id_fail (error, _("The key identifier has no host after “https://”. It looks like "
                     "“https://contoso-keys.vault.azure.net/keys/<key name>/<version>”."));
      return NULL;
    }
  if (kl_azure_id_find_bad_char (authority, len, kl_azure_id_is_host_char, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

      kl_azure_id_fail_printf (error, _("The key identifier’s host cannot contain %s. A key vault’s host "
                            "looks like “contoso-keys.vault.azure.net”."), what);
      return NULL;
    }

  quoted = kl_azure_id_excerpt (host, len);
  labels = g_strsplit (host, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      if (*labels[i] == '\0')
        {
          kl_azure_id_fail_printf (error, _("The key identifier’s host “%s” has an empty part: two dots in a "
                                "row, or a dot at its start or end. Remove the extra dot."),
                       quoted);
          return NULL;
        }
    }
  for (guint i = 0; labels[i] != NULL; i++)
    {
      if (strcmp (labels[i], "managedhsm") == 0)
        {
          kl_azure_id_fail_printf (error, _("The key identifier points to a Managed HSM (“%s”). Atlas needs "
                                "a key vault key, not a Managed HSM key: create the key in a key "
                                "vault and use its key identifier."), quoted);
          return NULL;
        }
    }

  for (guint i = 0; i < KL_AZURE_N_CLOUDS; i++)
    {
      gsize suffix_len = strlen (kl_azure_clouds[i].suffix);
      g_autofree char *label = NULL;

      if (strcmp (host, kl_azure_clouds[i].suffix) == 0)
        {
          kl_azure_id_fail_printf (error, _("The key identifier has no vault name before “%s”. It looks like "
                                "“https://contoso-keys.%s/keys/<key name>/<version>”."),
                       kl_azure_clouds[i].suffix, kl_azure_clouds[i].suffix);
          return NULL;
        }
      if (len <= suffix_len + 1 ||
          host[len - suffix_len - 1] != '.' ||
          strcmp (host + len - suffix_len, kl_azure_clouds[i].suffix) != 0)
        continue;

      label = g_strndup (host, len - suffix_len - 1);
      if (strchr (label, '.') != NULL)
        {
          g_autofree char *quoted_label = kl_azure_id_excerpt (label, strlen (label));

          kl_azure_id_fail_printf (error, _("The key identifier’s host has more than one name before “.%s”: "
                                "“%s”. The vault name is a single word, like “contoso-keys”."),
                       kl_azure_clouds[i].suffix, quoted_label);
          return NULL;
        }
      if (!kl_azure_check_vault_name (label, error))
        {
          kl_azure_id_add_sentence (error, _("The vault name in the key identifier is not valid."), TRUE);
          return NULL;
        }

      *cloud = &kl_azure_clouds[i];
      *vault_name = g_steal_pointer (&label);
      return g_steal_pointer (&host);
    }

  kl_azure_id_fail_printf (error, _("The key identifier’s host “%s” is not a key vault. Key vault hosts end "
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
      kl_azure_id_fail (error, _("The key identifier ends after the host. It must go on with "
                     "/keys/<key name>/<version>."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
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
        return kl_azure_id_fail (error, _("The key identifier cannot end with a slash. Remove the final "
                              "“/”."));
      return kl_azure_id_fail (error, _("The key identifier has an empty part (“//”). Remove the extra "
                            "slash."));
    }

  if (strcmp (segments[0], "keys") != 0)
    {
      g_autofree char *quoted = kl_azure_id_excerpt (segments[0], strlen (segments[0]));

      if (g_ascii_strcasecmp (segments[0], "secrets") == 0)
        kl_azure_id_fail (error, _("This is the identifier of a secret (/secrets/), not of a key. Atlas "
                       "needs a key."));
      else if (g_ascii_strcasecmp (segments[0], "certificates") == 0)
        kl_azure_id_fail (error, _("This is the identifier of a certificate (/certificates/), not of a key. "
                       "Atlas needs a key."));
      else
        kl_azure_id_fail_printf (error, _("The key identifier must have “/keys/” after the host, not "
                              "“/%s/”."), quoted);
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  if (n_segments == 1)
    {
      kl_azure_id_fail (error, _("The key identifier has no key name after /keys/."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  len = strlen (segments[1]);
  if (kl_azure_id_find_bad_char (segments[1], len, kl_azure_id_is_name_char, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

      return kl_azure_id_fail_printf (error, _("The key name in the key identifier cannot contain %s. Key "
                                   "names have only letters (A–Z), digits and hyphens."), what);
    }
  if (len > KEY_NAME_MAX_LEN)
    return kl_azure_id_fail_printf (error, _("The key name in the key identifier is too long: it has %u "
                                 "characters, and the limit is 127."), (guint) len);

  if (n_segments == 2)
    {
      kl_azure_id_fail (error, _("The key identifier has no version: Atlas needs the identifier of one "
                     "version of the key, ending in /keys/<key name>/<version>."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  len = strlen (segments[2]);
  if (kl_azure_id_find_bad_char (segments[2], len, kl_azure_id_is_hex_digit, &bad))
    {
      g_autofree char *what = kl_azure_id_describe_char (bad);

      kl_azure_id_fail_printf (error, _("The key version in the key identifier can only contain hexadecimal "
                            "digits (0–9, a–f), not %s."), what);
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }
  if (len != KEY_VERSION_LEN)
    {
      kl_azure_id_fail_printf (error, ngettext ("The key version in the key identifier must be 32 "
                                    "hexadecimal digits, but it has %u.",
                                    "The key version in the key identifier must be 32 "
                                    "hexadecimal digits, but it has %u.", len),
                   (guint) len);
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return FALSE;
    }

  if (n_segments > 3)
    {
      g_autofree char *rest = g_strjoinv ("/", segments + 3);
      g_autofree char *quoted = kl_azure_id_excerpt (rest, strlen (rest));

      return kl_azure_id_fail_printf (error, _("The key identifier has extra parts after the version "
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
      kl_azure_id_fail (error, _("Enter the key identifier."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          g_autofree char *what = kl_azure_id_describe_char (c);

          kl_azure_id_fail_printf (error, _("The key identifier cannot contain %s. Remove it, or copy the "
                                "identifier again."), what);
          return NULL;
        }
    }

  if (kl_azure_id_has_prefix_ascii_nocase (text, "/subscriptions/"))
    {
      kl_azure_id_fail (error, _("This is a resource ID, not a key identifier. A key identifier starts with "
                     "https:// and ends with /keys/<key name>/<version>."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
      return NULL;
    }
  if (kl_azure_id_has_prefix_ascii_nocase (text, "http://"))
    {
      kl_azure_id_fail (error, _("The key identifier must start with https://, not http://. Key vaults only "
                     "answer over HTTPS."));
      return NULL;
    }
  if (!kl_azure_id_has_prefix_ascii_nocase (text, "https://"))
    {
      kl_azure_id_fail (error, _("The key identifier must start with https://, like "
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
      g_autofree char *quoted = kl_azure_id_excerpt (special, len);

      if (*special == '?')
        kl_azure_id_fail_printf (error, _("The key identifier cannot have a query (“%s”). Remove everything "
                              "from the “?” on."), quoted);
      else
        kl_azure_id_fail_printf (error, _("The key identifier cannot have a fragment (“%s”). Remove "
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
      quoted = kl_azure_id_excerpt (special, end - special);

      kl_azure_id_fail_printf (error, _("The key identifier cannot contain percent-escapes (“%s”). Key names "
                            "and versions never need them."), quoted);
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
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
  g_autofree char *fixed = kl_azure_id_strip_space (text);
  gsize len = strlen (fixed);

  *repairs = 0;
  if (len != strlen (text))
    *repairs |= REPAIR_WHITESPACE;

  if (len > 0 && fixed[len - 1] == '/')
    {
      fixed[--len] = '\0';
      *repairs |= REPAIR_SLASH;
    }

  if (kl_azure_id_has_prefix_ascii_nocase (fixed, "https://"))
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
      kl_azure_id_fail (error, _("The key identifier is not valid text (it is not UTF-8)."));
      kl_azure_id_add_sentence (error, _(KEY_ID_HINT), FALSE);
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
        kl_azure_id_add_sentence (error, _(repair_messages[i].message), FALSE);
      else
        kl_azure_id_fail (error, _(repair_messages[i].message));
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

      want = kl_azure_id_find_cloud (azure_environment);
      have = kl_azure_id_find_cloud (id->environment);
      if (want != have)
        return kl_azure_id_fail_printf (error, _("The key identifier is in %s (.%s), but the Azure "
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
               ? kl_azure_id_excerpt (key_vault_name, strlen (key_vault_name))
               : g_strdup ("?");
      return kl_azure_id_fail_printf (error, _("The key identifier is in the vault “%s”, but the vault name "
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
