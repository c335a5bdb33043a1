/* kl-sim-auth.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sim"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kl-sim-auth.h"

typedef struct
{
  char   *client_id;
  gint64  expires_at; /* g_get_monotonic_time () µs: token expiry is in real time */
} Token;

#define MAX_OPEN_NONCES 4096

struct _KlSimAuth
{
  SoupAuthDomain *digest;
  GHashTable     *nonces;            /* issued and not used yet */
  GQueue          nonce_order;       /* oldest first, to bound the table */
  GHashTable     *api_keys;          /* public key -> private key */
  GHashTable     *service_accounts;  /* client id -> secret */
  GHashTable     *tokens;            /* access token -> Token */
  guint           token_lifetime;    /* seconds */
};

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
token_free (Token *token)
{
  g_free (token->client_id);
  g_free (token);
}

static char *
digest_auth_cb (SoupAuthDomain    *domain,
                SoupServerMessage *msg,
                const char        *username,
                gpointer           user_data)
{
  KlSimAuth *auth = user_data;
  const char *private_key = g_hash_table_lookup (auth->api_keys, username);

  if (private_key == NULL)
    return NULL;
  return soup_auth_domain_digest_encode_password (username, KL_SIM_DIGEST_REALM, private_key);
}

KlSimAuth *
kl_sim_auth_new (void)
{
  KlSimAuth *auth = g_new0 (KlSimAuth, 1);

  auth->digest = soup_auth_domain_digest_new ("realm", KL_SIM_DIGEST_REALM, NULL);
  soup_auth_domain_digest_set_auth_callback (auth->digest, digest_auth_cb, auth, NULL);
  auth->api_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) wipe_free);
  auth->service_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) wipe_free);
  auth->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, (GDestroyNotify) wipe_free,
                                        (GDestroyNotify) token_free);
  auth->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&auth->nonce_order);
  auth->token_lifetime = 3600;
  return auth;
}

void
kl_sim_auth_free (KlSimAuth *auth)
{
  if (auth == NULL)
    return;

  g_object_unref (auth->digest);
  g_hash_table_unref (auth->nonces);
  g_queue_clear (&auth->nonce_order);
  g_hash_table_unref (auth->api_keys);
  g_hash_table_unref (auth->service_accounts);
  g_hash_table_unref (auth->tokens);
  g_free (auth);
}

void
kl_sim_auth_add_api_key (KlSimAuth  *auth,
                         const char *public_key,
                         const char *private_key)
{
  g_hash_table_replace (auth->api_keys, g_strdup (public_key), g_strdup (private_key));
}

void
kl_sim_auth_add_service_account (KlSimAuth  *auth,
                                 const char *client_id,
                                 const char *client_secret)
{
  g_hash_table_replace (auth->service_accounts, g_strdup (client_id), g_strdup (client_secret));
}

void
kl_sim_auth_set_token_lifetime (KlSimAuth *auth,
                                guint      seconds)
{
  auth->token_lifetime = seconds;
}

static void
prune_expired_tokens (KlSimAuth *auth)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Token *token;

  g_hash_table_iter_init (&iter, auth->tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
    if (token->expires_at <= now)
      g_hash_table_iter_remove (&iter);
}

/* Removes @nonce from the open ones; whether it was open. Each nonce serves one request:
 * like the real Atlas (HACKING.md, Auth and rate limits), every Digest call costs two round
 * trips. */
static gboolean
use_nonce (KlSimAuth  *auth,
           const char *nonce)
{
  GList *link;

  if (nonce == NULL || !g_hash_table_contains (auth->nonces, nonce))
    return FALSE;
  link = g_queue_find_custom (&auth->nonce_order, nonce, (GCompareFunc) g_strcmp0);
  g_queue_delete_link (&auth->nonce_order, link);
  g_hash_table_remove (auth->nonces, nonce);
  return TRUE;
}

KlSimAuthResult
kl_sim_auth_check (KlSimAuth         *auth,
                   SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *user = NULL;
  GHashTable *params;
  gboolean fresh;

  if (authorization == NULL)
    return KL_SIM_AUTH_DENIED;
  if (g_ascii_strncasecmp (authorization, "Bearer ", strlen ("Bearer ")) == 0)
    {
      const char *value = authorization + strlen ("Bearer ");

      prune_expired_tokens (auth);
      return g_hash_table_contains (auth->tokens, value) ? KL_SIM_AUTH_OK : KL_SIM_AUTH_DENIED;
    }
  if (g_ascii_strncasecmp (authorization, "Digest ", strlen ("Digest ")) != 0)
    return KL_SIM_AUTH_DENIED;

  /* SoupAuthDomainDigest checks the response against whatever nonce the client sent; the
   * simulator checks that the nonce is one it issued and that it is used once. */
  user = soup_auth_domain_accepts (auth->digest, msg);
  if (user == NULL)
    return KL_SIM_AUTH_DENIED;
  params = soup_header_parse_param_list (authorization + strlen ("Digest "));
  fresh = use_nonce (auth, g_hash_table_lookup (params, "nonce"));
  soup_header_free_param_list (params);
  return fresh ? KL_SIM_AUTH_OK : KL_SIM_AUTH_STALE;
}

void
kl_sim_auth_challenge (KlSimAuth         *auth,
                       SoupServerMessage *msg,
                       gboolean           stale)
{
  g_autofree char *nonce = NULL;
  g_autofree char *challenge = NULL;
  guint32 words[4];
  char *stored;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    words[i] = g_random_int ();
  nonce = g_strdup_printf ("%08x%08x%08x%08x", words[0], words[1], words[2], words[3]);
  stored = g_strdup (nonce);
  g_hash_table_add (auth->nonces, stored);
  g_queue_push_tail (&auth->nonce_order, stored);
  while (g_queue_get_length (&auth->nonce_order) > MAX_OPEN_NONCES)
    g_hash_table_remove (auth->nonces, g_queue_pop_head (&auth->nonce_order));

  challenge = g_strdup_printf ("Digest realm=\"%s\", nonce=\"%s\", qop=\"auth\", "
                               "algorithm=MD5%s", KL_SIM_DIGEST_REALM, nonce,
                               stale ? ", stale=true" : "");
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "WWW-Authenticate", challenge);
}

/* OAuth 2 (RFC 6749 section 5.2) error responses. */
static void
oauth_error (SoupServerMessage *msg,
             guint              status,
             const char        *error,
             const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Basic realm=\"MongoDB Atlas\"");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* Checks the HTTP Basic client credentials; returns the client id. */
static char *
basic_client (KlSimAuth         *auth,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  const char *secret;
  char *colon;
  gsize len;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Basic ", 6) != 0)
    return NULL;
  decoded = g_base64_decode (authorization + 6, &len);
  text = g_strndup ((const char *) decoded, len);
  if (decoded != NULL)
    memset (decoded, 0, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    {
      memset (text, 0, strlen (text));
      return NULL;
    }
  *colon = '\0';
  secret = g_hash_table_lookup (auth->service_accounts, text);
  if (secret == NULL || g_strcmp0 (secret, colon + 1) != 0)
    {
      memset (colon + 1, 0, strlen (colon + 1));
      return NULL;
    }
  memset (colon + 1, 0, strlen (colon + 1));
  return g_strdup (text);
}

/* The client id of the HTTP Basic credentials, or NULL after answering 401 invalid_client. */
static char *
authenticated_client (KlSimAuth         *auth,
                      SoupServerMessage *msg)
{
  char *client_id = basic_client (auth, msg);

  if (client_id == NULL)
    oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                 "Client authentication failed: check the service account's client ID and "
                 "secret.");
  return client_id;
}

/* Parses an application/x-www-form-urlencoded POST body. */
static GHashTable *
read_form (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0
      || g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    return NULL;
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_form_decode (text);
}

static guint
live_tokens (KlSimAuth  *auth,
             const char *client_id)
{
  GHashTableIter iter;
  Token *token;
  guint n = 0;

  prune_expired_tokens (auth);
  g_hash_table_iter_init (&iter, auth->tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
    if (g_strcmp0 (token->client_id, client_id) == 0)
      n++;
  return n;
}

void
kl_sim_auth_handle_token (KlSimAuth         *auth,
                          SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autofree char *client_id = NULL;
  g_autofree char *access_token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  Token *token;

  if (form == NULL)
    {
      oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                   "POST an application/x-www-form-urlencoded body with "
                   "grant_type=client_credentials.");
      return;
    }
  client_id = authenticated_client (auth, msg);
  if (client_id == NULL)
    return;
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0)
    {
      oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                   "Only grant_type=client_credentials is supported.");
      return;
    }
  if (live_tokens (auth, client_id) >= KL_SIM_MAX_LIVE_TOKENS)
    {
      oauth_error (msg, SOUP_STATUS_FORBIDDEN, "access_denied",
                   "This service account already has 100 live access tokens: reuse a token "
                   "until it expires, or revoke tokens you no longer need.");
      return;
    }

  a = g_uuid_string_random ();
  b = g_uuid_string_random ();
  access_token = g_strdup_printf ("klsim.%s.%s", a, b);
  token = g_new0 (Token, 1);
  token->client_id = g_strdup (client_id);
  token->expires_at = g_get_monotonic_time () + (gint64) auth->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_replace (auth->tokens, g_strdup (access_token), token);

  body = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":%u,\"token_type\":\"Bearer\"}",
                          access_token, auth->token_lifetime);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
  memset (body, 0, strlen (body));
  memset (access_token, 0, strlen (access_token));
}

void
kl_sim_auth_handle_revoke (KlSimAuth         *auth,
                           SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autofree char *client_id = NULL;
  const char *value;
  Token *token;

  if (form == NULL)
    {
      oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                   "POST an application/x-www-form-urlencoded body with token=<access token>.");
      return;
    }
  client_id = authenticated_client (auth, msg);
  if (client_id == NULL)
    return;
  value = g_hash_table_lookup (form, "token");
  if (value == NULL || *value == '\0')
    {
      oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                   "The token parameter is missing.");
      return;
    }

  /* RFC 7009: unknown tokens are not an error; only the owner can revoke its tokens. */
  token = g_hash_table_lookup (auth->tokens, value);
  if (token != NULL && g_strcmp0 (token->client_id, client_id) == 0)
    g_hash_table_remove (auth->tokens, value);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}
