/* test-azure-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-azure-id.h"
#include "kl-error.h"

/* 32 hex digits, as in a real key version. */
#define V "0123456789abcdef0123456789abcdef"
#define GUID "72f988bf-86f1-41af-91ab-2d7cd011db47"

typedef gboolean (*KlCheckFunc) (const char  *text,
                                 GError     **error);

/* One row: @text, and when it is invalid a phrase the message must contain. Every message must
 * also name the field (the @field argument of run_check_table()). */
typedef struct
{
  const char *text;
  const char *detail; /* NULL: valid */
} KlCheckCase;

static gboolean
contains_nocase (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

/* An error a person can act on: the right code, readable text, the field named, the problem said. */
static void
assert_input_error (const GError *error,
                    const char   *text,
                    const char   *field,
                    const char   *detail)
{
  /* Some inputs are invalid UTF-8 on purpose: TAP output must not be. */
  g_autofree char *shown = g_utf8_make_valid (text, -1);

  if (error == NULL)
    g_error ("“%s” was accepted; expected an error about “%s”", shown, detail);

  g_test_message ("“%s” → %s", shown, error->message);
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!contains_nocase (error->message, field))
    g_error ("the message for “%s” does not name the field “%s”: %s", shown, field, error->message);
  if (strstr (error->message, detail) == NULL)
    g_error ("the message for “%s” does not say “%s”: %s", shown, detail, error->message);
}

static void
run_check_table (KlCheckFunc        check,
                 const char        *field,
                 const KlCheckCase *cases,
                 gsize              n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = check (cases[i].text, &error);
      if (cases[i].detail == NULL)
        {
          if (!ok)
            g_error ("“%s” was refused: %s", cases[i].text, error->message);
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (ok);
          assert_input_error (error, cases[i].text, field, cases[i].detail);
        }
    }
}

/* A string of @n copies of @unit (which may be several bytes long). */
static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_vault_name (void)
{
  static const KlCheckCase cases[] = {
    { "contoso-keys", NULL },
    { "contoso-vault2", NULL },      /* Azure documentation */
    { "EXAMPLEKeyVault", NULL },     /* Atlas API example: case does not matter */
    { "myvault", NULL },
    { "A-1", NULL },
    { "a-b-c", NULL },
    { "", "Enter the key vault name" },
    { "1contoso", "must start with a letter" },
    { "-contoso", "must start with a letter" },
    { "contoso-", "must end with a letter or a digit" },
    { "contoso--keys", "two hyphens in a row" },
    { "contoso_keys", "cannot contain “_”" },
    { "contoso keys", "cannot contain a space" },
    { " contoso", "cannot contain a space" },
    { "contoso\t", "cannot contain a tab" },
    { "contoso\n", "cannot contain a line break" },
    { "contoso\xc2\xa0keys", "special space (U+00A0)" },
    { "contoso\xe2\x80\x8bkeys", "invisible character (U+200B)" },
    { "kéys-vault", "cannot contain “é”" },
    { "contoso.vault.azure.net", "not a host name" },
    { "contoso\xff", "not UTF-8" },
  };

  run_check_table (kl_azure_check_vault_name, "vault name", cases, G_N_ELEMENTS (cases));
  g_assert_false (kl_azure_check_vault_name (NULL, NULL));
}

static void
test_vault_name_lengths (void)
{
  static const struct { guint len; const char *detail; } cases[] = {
    { 1, "too short: it has 1 character," },
    { 2, "too short: it has 2 characters" },
    { 3, NULL },
    { 24, NULL },
    { 25, "too long: it has 25 characters, and the limit is 24" },
    { 200, "too long: it has 200 characters" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = repeat ("a", cases[i].len);
      KlCheckCase row = { name, cases[i].detail };

      run_check_table (kl_azure_check_vault_name, "vault name", &row, 1);
    }
}

static void
test_resource_group (void)
{
  static const KlCheckCase cases[] = {
    { "myResourceGroup", NULL },
    { "rg_keylink-prod.1(eu)", NULL },
    { "(rg)", NULL },
    { "a.b", NULL },
    { "résumé-グループ", NULL },            /* letters in the Unicode sense */
    { "Ресурсы", NULL },
    { "rg-\xd9\xa3\xd9\xa4", NULL },         /* Arabic-Indic digits */
    { "", "Enter the resource group name" },
    { "rg.", "cannot end with a period" },
    { ".", "cannot end with a period" },
    { "my rg", "cannot contain a space" },
    { "rg/keys", "cannot contain “/”" },
    { "rg#1", "cannot contain “#”" },
    { "rg\xf0\x9f\x98\x80", "cannot contain “\xf0\x9f\x98\x80”" }, /* an emoji is not a letter */
    { "rg\xe2\x80\x8b", "invisible character (U+200B)" },
    { "rg\xc3", "not UTF-8" },
  };

  run_check_table (kl_azure_check_resource_group, "resource group name",
                   cases, G_N_ELEMENTS (cases));
}

static void
test_resource_group_lengths (void)
{
  /* The limit counts characters, not bytes: 90 “é” are 180 bytes and still fine. */
  static const struct { const char *unit; guint len; const char *detail; } cases[] = {
    { "a", 1, NULL },
    { "a", 90, NULL },
    { "a", 91, "too long: it has 91 characters, and the limit is 90" },
    { "é", 90, NULL },
    { "é", 91, "too long: it has 91 characters" },
    { "グ", 90, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = repeat (cases[i].unit, cases[i].len);
      KlCheckCase row = { name, cases[i].detail };

      run_check_table (kl_azure_check_resource_group, "resource group name", &row, 1);
    }
}

static void
test_guid (void)
{
  static const KlCheckCase cases[] = {
    { GUID, NULL },
    { "72F988BF-86F1-41AF-91AB-2D7CD011DB47", NULL },
    { "00000000-0000-0000-0000-000000000001", NULL },
    { "", "Enter" },
    { "00000000-0000-0000-0000-000000000000", "all zeros" },
    { "72f988bf-86f1-41af-91ab-2d7cd011db4", "this one has 35" },
    { "72f988bf-86f1-41af-91ab-2d7cd011db477", "this one has 37" },
    { "72f988bf86f141af91ab2d7cd011db47", "this one has 32" },
    { "72f988bf8-6f1-41af-91ab-2d7cd011db47", "hyphens are in the wrong places" },
    { "72f988bf-86f1-41af-91ab-2d7cd011db4-", "hyphens are in the wrong places" },
    { "{72f988bf-86f1-41af-91ab-2d7cd011db47}", "contains “{”" },
    { "72f988bg-86f1-41af-91ab-2d7cd011db47", "contains “g”" },
    { " " GUID, "contains a space" },
    { GUID "\n", "contains a line break" },
    { "72f988bf\xff", "not UTF-8" },
  };
  static const struct { KlCheckFunc check; const char *field; const char *where; } fields[] = {
    { kl_azure_check_guid, "ID", "Azure portal" },
    { kl_azure_check_subscription_id, "subscription ID", "Subscriptions" },
    { kl_azure_check_tenant_id, "tenant ID", "Microsoft Entra ID → Overview" },
    { kl_azure_check_client_id, "client ID", "App registrations" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GError) error = NULL;

      run_check_table (fields[i].check, fields[i].field, cases, G_N_ELEMENTS (cases));

      /* Each says where to find the right value. */
      g_assert_false (fields[i].check ("not-a-guid", &error));
      assert_input_error (error, "not-a-guid", fields[i].field, fields[i].where);
    }
}

static void
test_environment (void)
{
  static const KlCheckCase cases[] = {
    { "AZURE", NULL },
    { "AZURE_CHINA", NULL },
    { "AZURE_US_GOVERNMENT", NULL },
    { "", "Choose the Azure environment" },
    { "azure", "“azure” is not known" },
    { "AZURE_GERMANY", "“AZURE_GERMANY” is not known" },
    { "AZURE ", "is not known" },
  };

  run_check_table (kl_azure_check_environment, "Azure environment", cases, G_N_ELEMENTS (cases));
}

typedef struct
{
  const char *text;
  const char *environment;
  const char *host;
  const char *vault_name;
  const char *key_name;
  const char *version;
  const char *string;
} KlKeyIdCase;

static void
assert_key_id (const KlKeyIdCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(KlKeyId) again = NULL;

  id = kl_key_id_parse (c->text, &error);
  if (id == NULL)
    g_error ("“%s” was refused: %s", c->text, error->message);

  g_assert_cmpstr (kl_key_id_get_environment (id), ==, c->environment);
  g_assert_cmpstr (kl_key_id_get_host (id), ==, c->host);
  g_assert_cmpstr (kl_key_id_get_vault_name (id), ==, c->vault_name);
  g_assert_cmpstr (kl_key_id_get_key_name (id), ==, c->key_name);
  g_assert_cmpstr (kl_key_id_get_version (id), ==, c->version);
  g_assert_cmpstr (kl_key_id_to_string (id), ==, c->string);
  g_assert_null (kl_key_id_suggest_fix (c->text));

  /* What it sends is itself valid and the same. */
  again = kl_key_id_parse (kl_key_id_to_string (id), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_key_id_to_string (again), ==, c->string);

  /* It agrees with its own environment and vault. */
  g_assert_true (kl_key_id_check (id, c->environment, c->vault_name, &error));
  g_assert_no_error (error);
}

static void
test_key_id_valid (void)
{
  static const KlKeyIdCase cases[] = {
    /* The Key Vault REST API documentation's example. */
    { "https://myvault.vault.azure.net/keys/CreateSoftKeyTest/78deebed173b48e48f55abf87ed4cf71",
      "AZURE", "myvault.vault.azure.net",
      "myvault", "CreateSoftKeyTest", "78deebed173b48e48f55abf87ed4cf71",
      "https://myvault.vault.azure.net/keys/CreateSoftKeyTest/78deebed173b48e48f55abf87ed4cf71" },
    /* The Atlas Admin API's example: the host goes out in lower case. */
    { "https://EXAMPLEKeyVault.vault.azure.net/keys/EXAMPLEKey/d891821e3d364e9eb88fbd3d11807b86",
      "AZURE", "examplekeyvault.vault.azure.net",
      "examplekeyvault", "EXAMPLEKey", "d891821e3d364e9eb88fbd3d11807b86",
      "https://examplekeyvault.vault.azure.net/keys/EXAMPLEKey/d891821e3d364e9eb88fbd3d11807b86" },
    /* Azure documentation style (contoso-vault2). */
    { "https://contoso-vault2.vault.azure.net/keys/ContosoFirstKey/" V,
      "AZURE", "contoso-vault2.vault.azure.net",
      "contoso-vault2", "ContosoFirstKey", V,
      "https://contoso-vault2.vault.azure.net/keys/ContosoFirstKey/" V },
    { "https://contoso-keys.vault.azure.cn/keys/atlas-cmk/" V,
      "AZURE_CHINA", "contoso-keys.vault.azure.cn",
      "contoso-keys", "atlas-cmk", V,
      "https://contoso-keys.vault.azure.cn/keys/atlas-cmk/" V },
    { "https://contoso-keys.vault.usgovcloudapi.net/keys/atlas-cmk/" V,
      "AZURE_US_GOVERNMENT", "contoso-keys.vault.usgovcloudapi.net",
      "contoso-keys", "atlas-cmk", V,
      "https://contoso-keys.vault.usgovcloudapi.net/keys/atlas-cmk/" V },
    /* Scheme and host compare without case; the path keeps its case. */
    { "HTTPS://Contoso-Keys.VAULT.Azure.NET/keys/Atlas-CMK/0123456789ABCDEF0123456789ABCDEF",
      "AZURE", "contoso-keys.vault.azure.net",
      "contoso-keys", "Atlas-CMK", "0123456789ABCDEF0123456789ABCDEF",
      "https://contoso-keys.vault.azure.net/keys/Atlas-CMK/0123456789ABCDEF0123456789ABCDEF" },
    /* Key names may be digits only, or one character. */
    { "https://abc.vault.azure.net/keys/1/" V,
      "AZURE", "abc.vault.azure.net",
      "abc", "1", V, "https://abc.vault.azure.net/keys/1/" V },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_key_id (&cases[i]);
}

static void
run_key_id_table (const KlCheckCase *cases,
                  gsize              n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlKeyId) id = NULL;

      id = kl_key_id_parse (cases[i].text, &error);
      if (cases[i].detail == NULL)
        {
          if (id == NULL)
            g_error ("“%s” was refused: %s", cases[i].text, error->message);
          continue;
        }
      g_assert_null (id);
      assert_input_error (error, cases[i].text, "key identifier", cases[i].detail);
    }
}

static void
test_key_id_invalid (void)
{
  static const KlCheckCase cases[] = {
    { "", "Enter the key identifier" },
    { "   ", "Enter the key identifier" },
    { "https://contoso.vault.azure.net/keys/k/\xff", "not UTF-8" },
    /* Scheme */
    { "http://contoso.vault.azure.net/keys/k/" V, "must start with https://, not http://" },
    { "contoso.vault.azure.net/keys/k/" V, "must start with https://" },
    { "ftp://contoso.vault.azure.net/keys/k/" V, "must start with https://" },
    { "https:/contoso.vault.azure.net/keys/k/" V, "must start with https://" },
    /* Authority */
    { "https:///keys/k/" V, "no host" },
    { "https://user@contoso.vault.azure.net/keys/k/" V, "user name or password" },
    { "https://user:secret@contoso.vault.azure.net/keys/k/" V, "user name or password" },
    { "https://contoso.vault.azure.net:8443/keys/k/" V, "cannot contain a port (“:8443”)" },
    { "https://contoso.vault.azure.net:/keys/k/" V, "cannot contain a port (“:”)" },
    { "https://contoso_keys.vault.azure.net/keys/k/" V, "host cannot contain “_”" },
    { "https://contosö.vault.azure.net/keys/k/" V, "host cannot contain “ö”" },
    { "https://[::1]/keys/k/" V, "cannot contain a port" },
    { "https://contoso.vault.azure.net./keys/k/" V, "has an empty part" },
    { "https://contoso..vault.azure.net/keys/k/" V, "has an empty part" },
    { "https://portal.azure.com/#@contoso.onmicrosoft.com/asset/Microsoft_Azure_KeyVault/Key/",
      "link to the Azure portal" },
    /* Managed HSM, in each cloud */
    { "https://contoso-hsm.managedhsm.azure.net/keys/k/" V, "Managed HSM" },
    { "https://contoso-hsm.managedhsm.azure.net/keys/k/" V, "Atlas needs a key vault key" },
    { "https://contoso-hsm.managedhsm.chinacloudapi.cn/keys/k/" V, "Managed HSM" },
    { "https://contoso-hsm.managedhsm.usgovcloudapi.net/keys/k/" V, "Managed HSM" },
    /* DNS suffix: at the end of the host, after a dot, one label before it */
    { "https://contoso.vault.azure.com/keys/k/" V, "is not a key vault" },
    { "https://contoso.vault.azure.net.evil.example/keys/k/" V, "is not a key vault" },
    { "https://contosovault.azure.net/keys/k/" V, "is not a key vault" },
    { "https://contoso.vault.microsoftazure.de/keys/k/" V, "is not a key vault" },
    { "https://contoso.privatelink.vaultcore.azure.net/keys/k/" V, "is not a key vault" },
    { "https://vault.azure.net/keys/k/" V, "no vault name before “vault.azure.net”" },
    { "https://keys.contoso.vault.azure.net/keys/k/" V, "more than one name" },
    /* The vault label obeys the vault name rule */
    { "https://1contoso.vault.azure.net/keys/k/" V, "The vault name must start with a letter" },
    { "https://contoso-.vault.azure.net/keys/k/" V, "must end with a letter or a digit" },
    { "https://con--toso.vault.azure.net/keys/k/" V, "two hyphens in a row" },
    /* Query, fragment, percent-escapes, white space */
    { "https://contoso.vault.azure.net/keys/k/" V "?api-version=7.4", "query (“?api-version=7.4”)" },
    { "https://contoso.vault.azure.net/keys/k/" V "#x", "fragment (“#x”)" },
    { "https://contoso.vault.azure.net?x/keys/k/" V, "query" },
    { "https://contoso.vault.azure.net/keys/my%2Dkey/" V, "percent-escapes (“%2D”)" },
    { "https://contoso.vault.azure.net/keys/k%é/" V, "percent-escapes (“%é/”)" },
    { "https://contoso.vault.azure.net/keys/my key/" V, "cannot contain a space" },
    { "https://contoso.vault.azure.net/keys/k/\t" V, "cannot contain a tab" },
    { "https://contoso.vault.azure.net/keys/k/" V "\xc2\xa0x", "special space (U+00A0)" },
    /* Path shape */
    { "https://contoso.vault.azure.net", "ends after the host" },
    { "https://contoso.vault.azure.net/", "ends after the host" },
    { "https://contoso.vault.azure.net/keys", "no key name" },
    { "https://contoso.vault.azure.net/keys/atlas-cmk", "no version" },
    { "https://contoso.vault.azure.net/keys/atlas-cmk",
      "Key vaults → your vault → Keys → your key → its current version" },
    { "https://contoso.vault.azure.net/keys/atlas-cmk/", "no version" },
    { "https://contoso.vault.azure.net//keys/k/" V, "empty part (“//”)" },
    { "https://contoso.vault.azure.net/keys//" V, "empty part (“//”)" },
    { "https://contoso.vault.azure.net/keys/k/" V "//", "cannot end with a slash" },
    { "https://contoso.vault.azure.net/keys/k/" V "/extra", "extra parts after the version (“/extra”)" },
    { "https://contoso.vault.azure.net/secrets/k/" V, "identifier of a secret" },
    { "https://contoso.vault.azure.net/certificates/k/" V, "identifier of a certificate" },
    { "https://contoso.vault.azure.net/Keys/k/" V, "must have “/keys/” after the host, not “/Keys/”" },
    { "https://contoso.vault.azure.net/deletedkeys/k/" V, "not “/deletedkeys/”" },
    { "https://contoso.vault.azure.net/keys/my_key/" V, "key name in the key identifier cannot contain “_”" },
    { "https://contoso.vault.azure.net/keys/k/" V "x", "only contain hexadecimal digits (0–9, a–f), not “x”" },
    { "https://contoso.vault.azure.net/keys/k/00000000-0000-0000-0000-000000000000", "not “-”" },
    /* A resource ID in the wrong field */
    { "/subscriptions/" GUID "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/contoso",
      "This is a resource ID, not a key identifier" },
  };

  run_key_id_table (cases, G_N_ELEMENTS (cases));
  g_assert_null (kl_key_id_parse (NULL, NULL));
}

static void
test_key_id_lengths (void)
{
  static const struct { guint vault; guint key; guint version; const char *detail; } cases[] = {
    { 2, 1, 32, "too short: it has 2 characters" },
    { 3, 1, 32, NULL },
    { 24, 1, 32, NULL },
    { 25, 1, 32, "too long: it has 25 characters, and the limit is 24" },
    { 3, 127, 32, NULL },
    { 3, 128, 32, "key name in the key identifier is too long: it has 128 characters, and the limit is 127" },
    { 3, 1, 31, "must be 32 hexadecimal digits, but it has 31" },
    { 3, 1, 33, "must be 32 hexadecimal digits, but it has 33" },
    { 3, 1, 1, "but it has 1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *vault = repeat ("v", cases[i].vault);
      g_autofree char *key = repeat ("K", cases[i].key);
      g_autofree char *version = repeat ("f", cases[i].version);
      g_autofree char *text = g_strdup_printf ("https://%s.vault.azure.net/keys/%s/%s",
                                               vault, key, version);
      KlCheckCase row = { text, cases[i].detail };

      run_key_id_table (&row, 1);
    }
}

static void
test_key_id_suggest_fix (void)
{
  static const struct { const char *text; const char *fix; const char *detail; } cases[] = {
    { " https://contoso.vault.azure.net/keys/k/" V " ",
      "https://contoso.vault.azure.net/keys/k/" V, "spaces or line breaks around it" },
    { "\thttps://contoso.vault.azure.net/keys/k/" V "\r\n",
      "https://contoso.vault.azure.net/keys/k/" V, "spaces or line breaks around it" },
    { "\xc2\xa0https://contoso.vault.azure.net/keys/k/" V "\xe2\x80\x83",
      "https://contoso.vault.azure.net/keys/k/" V, "spaces or line breaks around it" },
    { "https://contoso.vault.azure.net:443/keys/k/" V,
      "https://contoso.vault.azure.net/keys/k/" V, "cannot contain the port “:443”" },
    { "https://contoso.vault.azure.net/keys/k/" V "/",
      "https://contoso.vault.azure.net/keys/k/" V, "cannot end with a slash" },
    /* All three at once; the case of what was typed is kept */
    { "  HTTPS://Contoso.Vault.Azure.Net:443/keys/Key-1/" V "/\n",
      "HTTPS://Contoso.Vault.Azure.Net/keys/Key-1/" V, "around it. " },
    { "  HTTPS://Contoso.Vault.Azure.Net:443/keys/Key-1/" V "/\n",
      "HTTPS://Contoso.Vault.Azure.Net/keys/Key-1/" V, "“:443”. " },
    { "https://contoso.vault.usgovcloudapi.net:443/keys/k/" V "/",
      "https://contoso.vault.usgovcloudapi.net/keys/k/" V, "final “/”" },
    /* No safe fix: valid already, or something else is wrong too */
    { "https://contoso.vault.azure.net/keys/k/" V, NULL, NULL },
    { "https://contoso.vault.azure.net/keys/k/" V "//", NULL, "cannot end with a slash" },
    { "https://contoso.vault.azure.net:8443/keys/k/" V, NULL, "“:8443”" },
    { "https://contoso.vault.azure.net:443:443/keys/k/" V, NULL, "“:443”" },
    { "http://contoso.vault.azure.net:443/keys/k/" V "/", NULL, "not http://" },
    { " https://contoso.vault.azure.net/keys/k ", NULL, "no version" },
    { "https://contoso.vault.azure.net/keys/k/", NULL, "no version" },
    { "https://contoso.vault.azure.net/", NULL, "ends after the host" },
    { "https://contoso.vault.azure.net/keys/k/" V "/?x", NULL, "query" },
    { "https://user@contoso.vault.azure.net:443/keys/k/" V, NULL, "user name" },
    { "https://contoso.managedhsm.azure.net:443/keys/k/" V, NULL, "Managed HSM" },
    { " ", NULL, "Enter the key identifier" },
    { "", NULL, "Enter the key identifier" },
    { "\xff ", NULL, "not UTF-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlKeyId) id = NULL;
      g_autofree char *fix = kl_key_id_suggest_fix (cases[i].text);

      g_assert_cmpstr (fix, ==, cases[i].fix);

      id = kl_key_id_parse (cases[i].text, &error);
      if (cases[i].detail == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (id);
          continue;
        }
      g_assert_null (id);
      assert_input_error (error, cases[i].text, "key identifier", cases[i].detail);

      if (fix != NULL)
        {
          g_autoptr(GError) fix_error = NULL;
          g_autoptr(KlKeyId) fixed = kl_key_id_parse (fix, &fix_error);

          g_assert_no_error (fix_error);
          g_assert_nonnull (fixed);
          g_assert_null (kl_key_id_suggest_fix (fix));
        }
    }

  g_assert_null (kl_key_id_suggest_fix (NULL));
}

static void
test_key_id_check (void)
{
  static const struct {
    const char *text;
    const char *environment;
    const char *vault_name;
    const char *detail; /* NULL: consistent */
  } cases[] = {
    { "https://contoso.vault.azure.net/keys/k/" V, "AZURE", "contoso", NULL },
    { "https://contoso.vault.azure.cn/keys/k/" V, "AZURE_CHINA", "contoso", NULL },
    { "https://contoso.vault.usgovcloudapi.net/keys/k/" V, "AZURE_US_GOVERNMENT", "contoso", NULL },
    { "https://Contoso.vault.azure.net/keys/k/" V, "AZURE", "CONTOSO", NULL },
    /* Not filled in yet: nothing to compare */
    { "https://contoso.vault.azure.net/keys/k/" V, NULL, NULL, NULL },
    { "https://contoso.vault.azure.net/keys/k/" V, NULL, "", NULL },
    /* Environment ↔ DNS suffix: both named */
    { "https://contoso.vault.azure.cn/keys/k/" V, "AZURE", NULL,
      "is in Azure China (.vault.azure.cn), but the Azure environment is Azure (.vault.azure.net)" },
    { "https://contoso.vault.azure.net/keys/k/" V, "AZURE_US_GOVERNMENT", "contoso",
      "is in Azure (.vault.azure.net), but the Azure environment is Azure US Government "
      "(.vault.usgovcloudapi.net)" },
    { "https://contoso.vault.usgovcloudapi.net/keys/k/" V, "AZURE_CHINA", NULL,
      "Choose Azure US Government as the environment" },
    { "https://contoso.vault.azure.net/keys/k/" V, "AZURE_GERMANY", NULL, "is not known" },
    /* Vault label ↔ vault name: both named */
    { "https://contoso-keys.vault.azure.net/keys/k/" V, "AZURE", "contoso-vault",
      "is in the vault “contoso-keys”, but the vault name is “contoso-vault”" },
    { "https://contoso-keys.vault.azure.net/keys/k/" V, NULL, "contoso-keys2",
      "Use a key from “contoso-keys2”, or correct the vault name" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlKeyId) id = kl_key_id_parse (cases[i].text, &error);
      gboolean ok;

      g_assert_no_error (error);
      ok = kl_key_id_check (id, cases[i].environment, cases[i].vault_name, &error);
      if (cases[i].detail == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      assert_input_error (error, cases[i].text,
                          strstr (cases[i].detail, "not known") ? "Azure environment"
                                                                : "key identifier",
                          cases[i].detail);
    }
}

static void
test_key_id_boxed (void)
{
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(KlKeyId) copy = NULL;
  KlKeyId *boxed;

  g_assert_true (G_TYPE_IS_BOXED (KL_TYPE_KEY_ID));
  g_assert_cmpstr (g_type_name (KL_TYPE_KEY_ID), ==, "KlKeyId");

  id = kl_key_id_parse ("https://contoso.vault.azure.cn/keys/k/" V, NULL);
  g_assert_nonnull (id);

  copy = kl_key_id_copy (id);
  g_assert_true (copy != id);
  g_assert_cmpstr (kl_key_id_to_string (copy), ==, kl_key_id_to_string (id));
  g_assert_cmpstr (kl_key_id_get_environment (copy), ==, "AZURE_CHINA");

  boxed = g_boxed_copy (KL_TYPE_KEY_ID, id);
  g_assert_cmpstr (kl_key_id_get_vault_name (boxed), ==, "contoso");
  g_assert_cmpstr (kl_key_id_get_key_name (boxed), ==, "k");
  g_assert_cmpstr (kl_key_id_get_version (boxed), ==, V);
  g_boxed_free (KL_TYPE_KEY_ID, boxed);

  kl_key_id_free (NULL);
}

static void
test_resource_id_valid (void)
{
  static const struct { const char *text; const char *subscription; const char *group;
                        const char *vault; } cases[] = {
    { "/subscriptions/" GUID "/resourceGroups/myResourceGroup/providers/Microsoft.KeyVault/vaults/contoso-vault2",
      GUID, "myResourceGroup", "contoso-vault2" },
    /* Segment names in any case, as some tools print them */
    { "/SUBSCRIPTIONS/" GUID "/resourcegroups/rg-keys/PROVIDERS/microsoft.keyvault/VAULTS/Contoso",
      GUID, "rg-keys", "Contoso" },
    /* Pasted with a line break */
    { "  /subscriptions/72F988BF-86F1-41AF-91AB-2D7CD011DB47/resourceGroups/Ресурсы_(prod)/providers/Microsoft.KeyVault/vaults/abc\n",
      "72F988BF-86F1-41AF-91AB-2D7CD011DB47", "Ресурсы_(prod)", "abc" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subscription = NULL;
      g_autofree char *group = NULL;
      g_autofree char *vault = NULL;

      g_assert_true (kl_azure_parse_vault_resource_id (cases[i].text, &subscription, &group,
                                                       &vault, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (subscription, ==, cases[i].subscription);
      g_assert_cmpstr (group, ==, cases[i].group);
      g_assert_cmpstr (vault, ==, cases[i].vault);

      /* Outputs are optional. */
      g_assert_true (kl_azure_parse_vault_resource_id (cases[i].text, NULL, NULL, NULL, NULL));
    }
}

static void
test_resource_id_invalid (void)
{
#define RID(rg, provider, vault) "/subscriptions/" GUID "/resourceGroups/" rg "/providers/" provider "/" vault
  static const KlCheckCase cases[] = {
    { "", "Enter the key vault’s resource ID" },
    { "/subscriptions/\xff", "not valid text" },
    /* Microsoft's management API examples use the all-zero placeholder */
    { "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault",
      "The subscription ID in the resource ID is not valid. It is all zeros" },
    { "subscriptions/" GUID "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v1",
      "must start with /subscriptions/" },
    { RID ("rg", "Microsoft.KeyVault", "vaults/contoso") "/", "cannot end with a slash" },
    { "/subscriptions/" GUID "//resourceGroups/rg", "empty part (“//”)" },
    { "/subscriptions", "ends too early" },
    { "/subscriptions/" GUID, "ends too early" },
    { "/subscriptions/" GUID "/resourceGroups/rg/providers", "ends too early" },
    { "/subscriptions/" GUID "/resourceGroups/rg/providers/Microsoft.KeyVault", "ends too early" },
    { RID ("rg", "Microsoft.KeyVault", "vaults"), "no vault name after /vaults/" },
    { "/subscription/" GUID "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v1",
      "has “subscription” where “subscriptions” belongs" },
    { "/subscriptions/" GUID "/resourceGroup/rg/providers/Microsoft.KeyVault/vaults/v1",
      "has “resourceGroup” where “resourceGroups” belongs" },
    { "/subscriptions/" GUID "/resourceGroups/rg/provider/Microsoft.KeyVault/vaults/v1",
      "where “providers” belongs" },
    { RID ("rg", "Microsoft.KeyVault", "vault/contoso"), "has “vault” where “vaults” belongs" },
    { "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v1",
      "subscription ID in the resource ID is not valid" },
    { RID ("rg.", "Microsoft.KeyVault", "vaults/contoso"),
      "The resource group name in the resource ID is not valid. The resource group name cannot end with a period" },
    { RID ("my rg", "Microsoft.KeyVault", "vaults/contoso"), "cannot contain a space" },
    { RID ("rg", "Microsoft.KeyVault", "vaults/1contoso"),
      "The vault name in the resource ID is not valid. The vault name must start with a letter" },
    { RID ("rg", "Microsoft.KeyVault", "vaults/contoso/keys/atlas-cmk"),
      "resource ID of a key, not of its key vault" },
    { RID ("rg", "Microsoft.KeyVault", "vaults/contoso/privateEndpointConnections/pe"),
      "extra parts after the vault name (“/privateEndpointConnections/pe”)" },
    { RID ("rg", "Microsoft.KeyVault", "managedHSMs/contoso-hsm"), "Managed HSM" },
    { RID ("rg", "Microsoft.Storage", "storageAccounts/contoso"),
      "resource ID of a “Microsoft.Storage” resource, not of a key vault" },
    { "https://contoso.vault.azure.net/keys/k/" V, "This is a key identifier, not a key vault’s resource ID" },
    { "https://portal.azure.com/#@contoso/resource/subscriptions/x", "web address, not a resource ID" },
  };
#undef RID

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char *subscription = NULL;
      char *group = NULL;
      char *vault = NULL;

      g_assert_false (kl_azure_parse_vault_resource_id (cases[i].text, &subscription, &group,
                                                        &vault, &error));
      assert_input_error (error, cases[i].text, "resource ID", cases[i].detail);
      /* Nothing half-filled on error. */
      g_assert_null (subscription);
      g_assert_null (group);
      g_assert_null (vault);
    }

  g_assert_false (kl_azure_parse_vault_resource_id (NULL, NULL, NULL, NULL, NULL));
}

/* What people paste for a GUID. */
static void
test_guid_suggest_fix (void)
{
  static const struct
  {
    const char *text;
    const char *fix;
  } cases[] = {
    /* Braces, as PowerShell and the registry write GUIDs */
    { "{0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d}", "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d" },
    { "  {0F3E5C4A-9B2D-4E8F-A1C7-6D5B3A2F1E0D}\n", "0F3E5C4A-9B2D-4E8F-A1C7-6D5B3A2F1E0D" },
    /* The portal's address of an app registration */
    { "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/"
      "appId/0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d/isMSAApp~/false",
      "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d" },
    /* A label copied with it; the same GUID twice is still one */
    { "Application (client) ID: 0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d",
      "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d" },
    { "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d/0F3E5C4A-9B2D-4E8F-A1C7-6D5B3A2F1E0D",
      "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d" },
    /* Nothing to repair, or no safe repair */
    { "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d", NULL },
    { " 0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d ", NULL },
    { "", NULL },
    { "contoso.onmicrosoft.com", NULL },
    { "{0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0}", NULL },
    { "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d5", NULL },
    { "x-0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d", NULL },
    /* Two different GUIDs (tenant and subscription in one address): no guess */
    { "https://portal.azure.com/#@5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f/resource/subscriptions/"
      "6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d/overview", NULL },
    { "\xff{0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fix = kl_azure_suggest_guid_fix (cases[i].text);

      g_test_message ("case %u", i);
      g_assert_cmpstr (fix, ==, cases[i].fix);
      /* A fix is a GUID the check takes. */
      if (fix != NULL)
        g_assert_true (kl_azure_check_guid (fix, NULL));
    }
}

static void
test_client_not_tenant (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_azure_check_client_not_tenant ("5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f",
                                                   "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d", &error));
  g_assert_no_error (error);
  g_assert_true (kl_azure_check_client_not_tenant (NULL, "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d", NULL));
  g_assert_true (kl_azure_check_client_not_tenant ("", "", NULL));
  g_assert_true (kl_azure_check_client_not_tenant ("5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f", NULL, NULL));

  /* The same GUID, in any case and with the spaces a paste brings */
  g_assert_false (kl_azure_check_client_not_tenant ("5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f",
                                                    " 5B0E3C1D-2F4A-4D6B-8E9F-0A1B2C3D4E5F\n",
                                                    &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Application (client) ID"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/azure-id/vault-name", test_vault_name);
  g_test_add_func ("/azure-id/vault-name/lengths", test_vault_name_lengths);
  g_test_add_func ("/azure-id/resource-group", test_resource_group);
  g_test_add_func ("/azure-id/resource-group/lengths", test_resource_group_lengths);
  g_test_add_func ("/azure-id/guid", test_guid);
  g_test_add_func ("/azure-id/guid/suggest-fix", test_guid_suggest_fix);
  g_test_add_func ("/azure-id/guid/client-not-tenant", test_client_not_tenant);
  g_test_add_func ("/azure-id/environment", test_environment);
  g_test_add_func ("/azure-id/key-id/valid", test_key_id_valid);
  g_test_add_func ("/azure-id/key-id/invalid", test_key_id_invalid);
  g_test_add_func ("/azure-id/key-id/lengths", test_key_id_lengths);
  g_test_add_func ("/azure-id/key-id/suggest-fix", test_key_id_suggest_fix);
  g_test_add_func ("/azure-id/key-id/check", test_key_id_check);
  g_test_add_func ("/azure-id/key-id/boxed", test_key_id_boxed);
  g_test_add_func ("/azure-id/resource-id/valid", test_resource_id_valid);
  g_test_add_func ("/azure-id/resource-id/invalid", test_resource_id_invalid);

  return g_test_run ();
}
