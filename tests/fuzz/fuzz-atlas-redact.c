/* fuzz-atlas-redact.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kl-atlas-types.h"
#include "kl-http-log.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for the HTTP log redaction (kl_http_log_redact(), line by line). Beyond
 * the sanitizers it aborts when a secret survives: the fuzzed text is followed by one
 * secret, written the way HTTP traffic carries secrets — a JSON member named like a secret
 * (compact, pretty, its value on the next line, or added to the fuzzed text when that is a
 * JSON object), an Authorization or Cookie header, a form body, a query parameter, a PEM
 * private key — and that secret's value must not be in what the log would print. (A secret
 * that the fuzzed text itself already contains is not checked.) */

#define SECRET "Kl5EEDs3cretVALUE"

static const char *const secret_keys[] = {
  "secret", "clientSecret", "client_secret", "Secret", "password", "PASSWORD", "passwd",
  "privateKey", "private_key", "apiKey", "api-key", "access_token", "refresh_token",
  "token", "x-client-secret",
};

static char *
json_text (JsonNode *node,
           gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

static char *
json_string_text (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_text (node, FALSE);
}

/* The fuzzed text (a JSON object?) with the secret added as its last member. */
static char *
into_fuzzed_json (const char *text,
                  const char *key,
                  const char *value,
                  gboolean    pretty)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!kl_json_depth_is_safe (text, -1) || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  json_object_set_string_member (json_node_get_object (root), key, value);
  return json_text (root, pretty);
}

static void
check (const char *text)
{
  g_autofree char *redacted = kl_http_log_redact (text);

  REQUIRE (redacted != NULL);
  if (strstr (redacted, SECRET) != NULL)
    {
      g_printerr ("secret survived in:\n%s\n--- redacted:\n%s\n", text, redacted);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *fuzzed = NULL;
  g_autofree char *value = NULL;
  g_autofree char *value_json = NULL;
  g_autofree char *secret_text = NULL;
  g_autofree char *text = NULL;
  const char *key;
  guint8 selector;

  if (size < 1)
    return 0;
  selector = data[0];
  fuzzed = g_strndup ((const char *) data + 1, size - 1);

  /* Whatever the input, redaction ends and gives text back. */
  g_free (kl_http_log_redact (fuzzed));

  if (strstr (fuzzed, SECRET) != NULL)
    return 0;

  key = secret_keys[selector % G_N_ELEMENTS (secret_keys)];
  /* The value: the marker, then (for JSON) the fuzzed text as a suffix, escaped. */
  value = g_strconcat (SECRET, selector & 0x80 ? fuzzed : "", NULL);
  value_json = json_string_text (value);

  switch ((selector / G_N_ELEMENTS (secret_keys)) % 9)
    {
    case 0: /* compact JSON on a line of its own */
      secret_text = g_strdup_printf ("{\"%s\":%s}", key, value_json);
      break;
    case 1: /* pretty */
      secret_text = g_strdup_printf ("{\n  \"%s\" : %s\n}", key, value_json);
      break;
    case 2: /* the value on the next line */
      secret_text = g_strdup_printf ("{\"%s\":\n  %s}", key, value_json);
      break;
    case 3: /* a member of the fuzzed JSON itself */
      secret_text = into_fuzzed_json (fuzzed, key, value, selector & 0x40);
      if (secret_text != NULL)
        {
          check (secret_text);
          return 0;
        }
      secret_text = g_strdup_printf ("{\"a\":1,\"%s\":%s}", key, value_json);
      break;
    case 4:
      secret_text = g_strdup_printf ("Authorization: %s " SECRET,
                                     selector & 0x40 ? "Bearer" : "Digest username=\"x\",");
      break;
    case 5:
      secret_text = g_strdup ("Cookie: session=" SECRET "; other=1");
      break;
    case 6: /* the token request or the revocation */
      secret_text = g_strdup_printf ("grant_type=client_credentials&%s=" SECRET, key);
      break;
    case 7:
      secret_text = g_strdup_printf ("GET /api/atlas/v2/groups?pageNum=1&%s=" SECRET
                                     "&itemsPerPage=5 HTTP/1.1", key);
      break;
    case 8:
    default:
      secret_text = g_strdup ("-----BEGIN EC PRIVATE KEY-----\n" SECRET "\n" SECRET
                              "\n-----END EC PRIVATE KEY-----");
      break;
    }

  /* After the fuzzed lines (whose state may carry over), on lines of its own. */
  text = g_strconcat (fuzzed, "\n", secret_text, NULL);
  check (text);

  return 0;
}
