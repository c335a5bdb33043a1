/* test-sim.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-sim-api.h"

/* The simulated Atlas Admin API over loopback: projects and their pagination, media types and
 * request bodies, Digest and OAuth authentication. Every /api/atlas/v2 answer is checked
 * against the spec by sim_request(). */

/* Groups, pagination, media types */

static void
test_groups_list (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) response = sim_get (f, GROUPS, V20230101);
  JsonObject *payments;

  sim_assert_ok (response, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (response), "totalCount"), ==, 16);
  g_assert_cmpuint (json_array_get_length (results (response)), ==, 16);
  g_assert_true (has_link (sim_object (response), "self", "pageNum=1"));
  g_assert_false (has_link (sim_object (response), "next", NULL));
  g_assert_false (has_link (sim_object (response), "previous", NULL));

  payments = find_by (results (response), "id", KL_SIM_GROUP_READY);
  g_assert_nonnull (payments);
  g_assert_cmpstr (json_object_get_string_member (payments, "name"), ==, "Payments");
  g_assert_cmpstr (json_object_get_string_member (payments, "orgId"), ==, KL_SIM_ORG_ID);
  g_assert_cmpint (json_object_get_int_member (payments, "clusterCount"), ==, 2);
  g_assert_nonnull (find_by (results (response), "id", KL_SIM_GROUP_MIXED));
  g_assert_nonnull (find_by (results (response), "id", KL_SIM_GROUP_PAUSED));
  g_assert_nonnull (find_by (results (response), "id", KL_SIM_GROUP_NEW_REGION));
  g_assert_cmpstr (json_object_get_string_member (find_by (results (response), "id",
                                                           KL_SIM_GROUP_NEW_REGION), "name"),
                   ==, "Expansion");
  /* Expansion comes right after Archive, before the sandboxes. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                                                    results (response), 3), "id"),
                   ==, KL_SIM_GROUP_NEW_REGION);
}

static void
test_groups_pagination (SimFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *added_id = NULL;

  /* A test can add projects, in-process or through the control API. */
  added_id = kl_sim_add_group (f->sim, "Extra-Project", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (added_id), ==, 24);
  {
    g_autoptr(SimResponse) added = sim_control (f, "POST", "/__sim/groups",
                                                "{\"name\": \"Extra-Project-2\"}");
    g_autoptr(SimResponse) bad = sim_control (f, "POST", "/__sim/groups",
                                              "{\"name\": \"has spaces\"}");

    g_assert_cmpuint (added->status, ==, 201);
    g_assert_true (kl_schema_check_value (sim_schema (), "Group", added->json, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (bad->status, ==, 400);
  }

  for (int page = 1; page <= 5; page++)
    {
      g_autofree char *path = g_strdup_printf (GROUPS "?itemsPerPage=4&pageNum=%d", page);
      g_autoptr(SimResponse) response = sim_get (f, path, V20230101);
      JsonObject *object;
      JsonArray *items;

      sim_assert_ok (response, 200, V20230101);
      object = sim_object (response);
      items = results (response);
      g_assert_cmpint (json_object_get_int_member (object, "totalCount"), ==, 18);
      g_assert_cmpuint (json_array_get_length (items), ==, page < 5 ? 4 : 2);
      g_assert_cmpint (has_link (object, "next", NULL), ==, page < 5);
      g_assert_cmpint (has_link (object, "previous", NULL), ==, page > 1);
      if (page < 5)
        {
          g_autofree char *next = g_strdup_printf ("pageNum=%d&itemsPerPage=4", page + 1);

          g_assert_true (has_link (object, "next", next));
        }
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (items, i),
                                                          "id");

          g_assert_true (g_hash_table_add (seen, g_strdup (id)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 18);
  g_assert_true (g_hash_table_contains (seen, added_id));

  {
    g_autoptr(SimResponse) beyond = sim_get (f, GROUPS "?itemsPerPage=4&pageNum=9", V20230101);
    g_autoptr(SimResponse) no_count = sim_get (f, GROUPS "?includeCount=false", V20230101);
    g_autoptr(SimResponse) max = sim_get (f, GROUPS "?itemsPerPage=500", V20230101);
    g_autoptr(SimResponse) too_many = sim_get (f, GROUPS "?itemsPerPage=501", V20230101);
    g_autoptr(SimResponse) zero_page = sim_get (f, GROUPS "?pageNum=0", V20230101);
    g_autoptr(SimResponse) not_number = sim_get (f, GROUPS "?itemsPerPage=ten", V20230101);
    g_autoptr(SimResponse) bad_bool = sim_get (f, GROUPS "?includeCount=yes", V20230101);

    sim_assert_ok (beyond, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (beyond)), ==, 0);
    g_assert_true (has_link (sim_object (beyond), "previous", NULL));
    sim_assert_ok (no_count, 200, V20230101);
    g_assert_false (json_object_has_member (sim_object (no_count), "totalCount"));
    sim_assert_ok (max, 200, V20230101);
    sim_assert_error (too_many, 400, "INVALID_QUERY_PARAMETER");
    g_assert_cmpstr (json_array_get_string_element (error_parameters (too_many), 0), ==,
                     "itemsPerPage");
    sim_assert_error (zero_page, 400, "INVALID_QUERY_PARAMETER");
    sim_assert_error (not_number, 400, "INVALID_QUERY_PARAMETER");
    sim_assert_error (bad_bool, 400, "INVALID_QUERY_PARAMETER");
  }
}

static void
test_groups_get (SimFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(SimResponse) ready = sim_get (f, READY, V20230101);
  g_autoptr(SimResponse) pretty = sim_get (f, READY "?pretty=true", V20230101);
  g_autoptr(SimResponse) malformed = sim_get (f, GROUPS "/65F0000000000000000000A1", V20230101);
  g_autoptr(SimResponse) short_id = sim_get (f, GROUPS "/65f0", V20230101);
  g_autoptr(SimResponse) unknown = sim_get (f, GROUPS "/65f0000000000000000000ff", V20230101);

  sim_assert_ok (ready, 200, V20230101);
  g_assert_cmpstr (sim_member_string (ready, "name"), ==, "Payments");
  g_assert_cmpstr (sim_member_string (ready, "id"), ==, KL_SIM_GROUP_READY);
  sim_assert_ok (pretty, 200, V20230101);
  g_assert_nonnull (memchr (g_bytes_get_data (pretty->body, NULL), '\n',
                            g_bytes_get_size (pretty->body)));
  /* The catalogue's status: 404. */
  sim_assert_error (malformed, 404, "INVALID_GROUP_ID");
  sim_assert_error (short_id, 404, "INVALID_GROUP_ID");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (short_id), 0), ==, "65f0");
  sim_assert_error (unknown, 404, "GROUP_NOT_FOUND");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (unknown), 0), ==,
                   "65f0000000000000000000ff");
}

static void
test_media_types (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) none = sim_request (f, "GET", GROUPS, NULL, NULL, NULL);
  g_autoptr(SimResponse) plain = sim_request (f, "GET", GROUPS, "application/json", NULL, NULL);
  g_autoptr(SimResponse) any = sim_request (f, "GET", GROUPS, "*/*", NULL, NULL);
  g_autoptr(SimResponse) unknown = sim_get (f, GROUPS, "2099-01-01");
  g_autoptr(SimResponse) other_path = sim_get (f, GROUPS, V20240805);
  g_autoptr(SimResponse) legacy_clusters = sim_get (f, READY "/clusters", V20230101);
  g_autoptr(SimResponse) patch_with_get_version = sim_send (f, "PATCH", READY "/clusters/payments-us",
                                                            V20240805,
                                                            "{\"encryptionAtRestProvider\":\"NONE\"}");
  g_autoptr(SimResponse) listed = sim_request (f, "GET", GROUPS,
                                               "application/json, application/vnd.atlas.2023-01-01+json;q=0.9",
                                               NULL, NULL);
  g_autoptr(SimResponse) clusters = sim_get (f, READY "/clusters", V20240805);
  g_autoptr(SimResponse) unknown_param = sim_get (f, GROUPS "?itemsPerpage=5", V20230101);
  g_autoptr(SimResponse) envelope = sim_get (f, GROUPS "?envelope=true", V20230101);
  g_autoptr(SimResponse) paging_on_one = sim_get (f, READY "?pageNum=1", V20230101);
  g_autoptr(SimResponse) no_route = sim_get (f, READY "/nothingHere", V20230101);
  g_autoptr(SimResponse) trailing = sim_get (f, GROUPS "/", V20230101);
  g_autoptr(SimResponse) outside = sim_get (f, "/api/atlas/v1.0/groups", V20230101);
  g_autoptr(SimResponse) wrong_method = sim_send (f, "DELETE", READY, V20230101, NULL);

  sim_assert_error (none, 406, "INVALID_VERSION_DATE");
  sim_assert_error (plain, 406, "INVALID_VERSION_DATE");
  sim_assert_error (any, 406, "INVALID_VERSION_DATE");
  sim_assert_error (unknown, 406, "INVALID_VERSION_DATE");
  sim_assert_error (other_path, 406, "INVALID_VERSION_DATE");
  sim_assert_error (legacy_clusters, 406, "INVALID_VERSION_DATE");
  sim_assert_error (patch_with_get_version, 406, "INVALID_VERSION_DATE");
  sim_assert_ok (listed, 200, V20230101);
  sim_assert_ok (clusters, 200, V20240805);
  sim_assert_error (unknown_param, 400, "INVALID_QUERY_PARAMETER");
  sim_assert_error (envelope, 400, "INVALID_QUERY_PARAMETER");
  sim_assert_error (paging_on_one, 400, "INVALID_QUERY_PARAMETER");
  sim_assert_error (no_route, 404, "RESOURCE_NOT_FOUND");
  sim_assert_error (trailing, 404, "RESOURCE_NOT_FOUND");
  sim_assert_error (outside, 404, "RESOURCE_NOT_FOUND");
  sim_assert_error (wrong_method, 405, "METHOD_NOT_ALLOWED");
  g_assert_cmpstr (soup_message_headers_get_one (wrong_method->headers, "Allow"), ==, "GET");
}

static void
test_request_bodies (SimFixture    *f,
                     gconstpointer  data)
{
  const char *type = "application/vnd.atlas.2023-01-01+json";
  g_autoptr(SimResponse) json_type = sim_request (f, "PATCH", READY_EAR, type, "application/json",
                                                  "{}");
  g_autoptr(SimResponse) other_version = sim_request (f, "PATCH", READY_EAR, type,
                                                      "application/vnd.atlas.2024-08-05+json",
                                                      "{}");
  g_autoptr(SimResponse) no_type = sim_request (f, "PATCH", READY_EAR, type, NULL, NULL);
  g_autoptr(SimResponse) broken = sim_request (f, "PATCH", READY_EAR, type, type,
                                               "{\"azureKeyVault\": {");
  g_autoptr(SimResponse) empty = sim_request (f, "PATCH", READY_EAR, type, type, "");
  g_autoptr(SimResponse) array = sim_request (f, "PATCH", READY_EAR, type, type, "[]");
  g_autoptr(SimResponse) charset = sim_request (f, "PATCH", READY_EAR, type,
                                                "application/vnd.atlas.2023-01-01+json; charset=utf-8",
                                                "{}");

  sim_assert_error (json_type, 400, "INVALID_CONTENT_TYPE");
  sim_assert_error (other_version, 400, "INVALID_CONTENT_TYPE");
  sim_assert_error (no_type, 400, "INVALID_CONTENT_TYPE");
  sim_assert_error (broken, 400, "INVALID_JSON");
  sim_assert_error (empty, 400, "INVALID_JSON");
  sim_assert_error (array, 400, "INVALID_JSON");
  sim_assert_ok (charset, 200, V20230101);
}

/* Auth */

static void
test_auth_digest (SimFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) ok = NULL;
  g_autoptr(SimResponse) anonymous = NULL;
  g_autoptr(SimResponse) wrong = NULL;
  g_autoptr(SimResponse) unknown_user = NULL;
  g_autoptr(GPtrArray) log = NULL;
  const char *challenge;
  const char *body;

  ok = sim_get (f, GROUPS, V20230101);
  sim_assert_ok (ok, 200, V20230101);
  /* Digest: a 401 challenge, then the authenticated request. */
  log = kl_sim_dup_requests (f->sim);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (((KlSimRequest *) log->pdata[0])->status, ==, 401);
  g_assert_cmpuint (((KlSimRequest *) log->pdata[1])->status, ==, 200);

  /* Every call costs two round trips: the nonce is single-use. */
  {
    g_autoptr(SimResponse) again = sim_get (f, READY, V20230101);
    g_autoptr(GPtrArray) more = NULL;

    sim_assert_ok (again, 200, V20230101);
    more = kl_sim_dup_requests (f->sim);
    g_assert_cmpuint (more->len, ==, 4);
    g_assert_cmpuint (((KlSimRequest *) more->pdata[2])->status, ==, 401);
  }

  g_clear_object (&f->session);
  f->session = sim_new_session ();
  f->user = NULL;
  anonymous = sim_get (f, GROUPS, V20230101);
  sim_assert_unauthorized (anonymous);
  challenge = soup_message_headers_get_one (anonymous->headers, "WWW-Authenticate");
  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Digest "));
  g_assert_nonnull (strstr (challenge, "realm=\"MMS Public API\""));
  g_assert_nonnull (strstr (challenge, "qop=\"auth\""));
  g_assert_nonnull (strstr (challenge, "algorithm=MD5"));
  /* The real 401 body is pretty-printed. */
  body = g_bytes_get_data (anonymous->body, NULL);
  g_assert_true (g_str_has_prefix (body, "{\n  \""));

  g_clear_object (&f->session);
  f->session = sim_new_session ();
  f->user = SIM_PUBLIC_KEY;
  f->password = "wrong-private-key";
  wrong = sim_get (f, READY, V20230101);
  sim_assert_unauthorized (wrong);

  g_clear_object (&f->session);
  f->session = sim_new_session ();
  f->user = "nobody";
  f->password = SIM_PRIVATE_KEY;
  unknown_user = sim_get (f, READY "/encryptionAtRest", V20230101);
  sim_assert_unauthorized (unknown_user);
}

static char *
md5_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

/* An RFC 2617 Digest Authorization header for GET @uri with @nonce, qop auth. */
static char *
digest_header (const char *user,
               const char *password,
               const char *nonce,
               const char *uri)
{
  g_autofree char *a1 = g_strdup_printf ("%s:MMS Public API:%s", user, password);
  g_autofree char *a2 = g_strdup_printf ("GET:%s", uri);
  g_autofree char *ha1 = md5_hex (a1);
  g_autofree char *ha2 = md5_hex (a2);
  g_autofree char *joined = g_strdup_printf ("%s:%s:00000001:0a4f113b:auth:%s", ha1, nonce, ha2);
  g_autofree char *response = md5_hex (joined);

  return g_strdup_printf ("Digest username=\"%s\", realm=\"MMS Public API\", nonce=\"%s\", "
                          "uri=\"%s\", algorithm=MD5, response=\"%s\", cnonce=\"0a4f113b\", "
                          "nc=00000001, qop=auth", user, nonce, uri, response);
}

static char *
challenge_nonce (SimResponse *response)
{
  const char *challenge = soup_message_headers_get_one (response->headers, "WWW-Authenticate");
  g_autoptr(GHashTable) params = NULL;

  g_assert_true (g_str_has_prefix (challenge, "Digest "));
  params = soup_header_parse_param_list (challenge + strlen ("Digest "));
  return g_strdup (g_hash_table_lookup (params, "nonce"));
}

/* A nonce serves one request; a replayed or invented one gets a stale challenge. */
static void
test_auth_digest_nonces (SimFixture    *f,
                         gconstpointer  data)
{
  g_autofree char *nonce = NULL;
  g_autofree char *header = NULL;
  g_autofree char *invented = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(SimResponse) challenge = NULL;
  g_autoptr(SimResponse) first = NULL;
  g_autoptr(SimResponse) replay = NULL;
  g_autoptr(SimResponse) made_up = NULL;
  g_autoptr(SimResponse) bad_password = NULL;

  f->user = NULL;
  challenge = sim_get (f, READY, V20230101);
  sim_assert_unauthorized (challenge);
  nonce = challenge_nonce (challenge);
  g_assert_cmpuint (strlen (nonce), ==, 32);

  header = digest_header (SIM_PUBLIC_KEY, SIM_PRIVATE_KEY, nonce, READY);
  f->authorization = header;
  first = sim_get (f, READY, V20230101);
  sim_assert_ok (first, 200, V20230101);
  replay = sim_get (f, READY, V20230101);
  sim_assert_unauthorized (replay);
  g_assert_nonnull (strstr (soup_message_headers_get_one (replay->headers, "WWW-Authenticate"),
                            "stale=true"));

  invented = digest_header (SIM_PUBLIC_KEY, SIM_PRIVATE_KEY, "00112233445566778899aabbccddeeff",
                            READY);
  f->authorization = invented;
  made_up = sim_get (f, READY, V20230101);
  sim_assert_unauthorized (made_up);
  g_assert_nonnull (strstr (soup_message_headers_get_one (made_up->headers, "WWW-Authenticate"),
                            "stale=true"));

  g_clear_pointer (&nonce, g_free);
  nonce = challenge_nonce (made_up);
  wrong = digest_header (SIM_PUBLIC_KEY, "not-the-key", nonce, READY);
  f->authorization = wrong;
  bad_password = sim_get (f, READY, V20230101);
  sim_assert_unauthorized (bad_password);
  g_assert_null (strstr (soup_message_headers_get_one (bad_password->headers, "WWW-Authenticate"),
                         "stale"));
  f->authorization = NULL;
}

static const char *
oauth_error_name (SimResponse *response)
{
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/json");
  return sim_member_string (response, "error");
}

static char *
mint_token_full (SimFixture *f,
                 const char *client_id,
                 const char *secret,
                 guint       expected_status,
                 gint64     *expires_in)
{
  g_autofree char *basic = sim_basic_header (client_id, secret);
  g_autoptr(SimResponse) response = sim_oauth_post (f, "/api/oauth/token", basic,
                                                "application/x-www-form-urlencoded",
                                                "grant_type=client_credentials");
  JsonObject *object;

  g_assert_cmpuint (response->status, ==, expected_status);
  if (expected_status == 403)
    g_assert_cmpstr (oauth_error_name (response), ==, "access_denied");
  else if (expected_status == 401)
    g_assert_cmpstr (oauth_error_name (response), ==, "invalid_client");
  if (expected_status != 200)
    return NULL;

  object = sim_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  if (expires_in != NULL)
    *expires_in = json_object_get_int_member (object, "expires_in");
  return g_strdup (json_object_get_string_member (object, "access_token"));
}

static char *
mint_token (SimFixture *f,
            const char *client_id,
            const char *secret,
            guint       expected_status)
{
  return mint_token_full (f, client_id, secret, expected_status, NULL);
}

static guint
oauth_status (SimFixture *f,
              const char *path,
              const char *authorization,
              const char *content_type,
              const char *form,
              const char *expected_error)
{
  g_autoptr(SimResponse) response = sim_oauth_post (f, path, authorization, content_type, form);

  if (expected_error != NULL)
    g_assert_cmpstr (oauth_error_name (response), ==, expected_error);
  return response->status;
}

static void
test_auth_oauth (SimFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *basic = sim_basic_header (SIM_CLIENT_ID, SIM_CLIENT_SECRET);
  g_autofree char *revoke_form = NULL;
  g_autoptr(SimResponse) with_token = NULL;
  g_autoptr(SimResponse) revoked = NULL;
  g_autoptr(SimResponse) get = NULL;
  gint64 expires_in = 0;

  f->user = NULL; /* no Digest */
  token = mint_token_full (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 200, &expires_in);
  g_assert_nonnull (token);
  g_assert_cmpint (expires_in, ==, 3600);
  f->bearer = g_strdup (token);
  with_token = sim_get (f, READY_EAR, V20230101);
  sim_assert_ok (with_token, 200, V20230101);
  g_clear_pointer (&f->bearer, g_free);

  g_assert_null (mint_token (f, SIM_CLIENT_ID, "wrong-secret", 401));
  g_assert_null (mint_token (f, "mdb_sa_id_unknown", SIM_CLIENT_SECRET, 401));
  g_assert_cmpuint (oauth_status (f, "/api/oauth/token", basic, "application/x-www-form-urlencoded",
                                  "grant_type=password", "unsupported_grant_type"), ==, 400);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/token", basic, "application/json",
                                  "{\"grant_type\":\"client_credentials\"}", "invalid_request"),
                    ==, 400);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/token", NULL, "application/x-www-form-urlencoded",
                                  "grant_type=client_credentials", "invalid_client"), ==, 401);
  get = sim_request (f, "GET", "/api/oauth/token", NULL, NULL, NULL);
  g_assert_cmpuint (get->status, ==, 405);

  /* Revoke: the token stops working. */
  revoke_form = g_strconcat ("token=", token, NULL);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/revoke", basic,
                                  "application/x-www-form-urlencoded", revoke_form, NULL), ==, 200);
  f->bearer = g_strdup (token);
  revoked = sim_get (f, READY_EAR, V20230101);
  sim_assert_unauthorized (revoked);
  g_clear_pointer (&f->bearer, g_free);
  /* Revoking an unknown token is not an error (RFC 7009); bad client credentials are. */
  g_assert_cmpuint (oauth_status (f, "/api/oauth/revoke", basic,
                                  "application/x-www-form-urlencoded", "token=unknown", NULL), ==,
                    200);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/revoke", NULL,
                                  "application/x-www-form-urlencoded", revoke_form,
                                  "invalid_client"), ==, 401);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/revoke", basic,
                                  "application/x-www-form-urlencoded", "token=",
                                  "invalid_request"), ==, 400);
}

static void
test_auth_oauth_expiry (SimFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *fresh = NULL;
  g_autoptr(SimResponse) expired = NULL;
  g_autoptr(SimResponse) lifetime = NULL;
  g_autoptr(SimResponse) alive = NULL;
  gint64 expires_in = -1;

  f->user = NULL;
  lifetime = sim_control (f, "POST", "/__sim/token-lifetime", "{\"seconds\": 0}");
  g_assert_cmpuint (lifetime->status, ==, 200);
  token = mint_token_full (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 200, &expires_in);
  g_assert_cmpint (expires_in, ==, 0);
  f->bearer = g_strdup (token);
  expired = sim_get (f, GROUPS, V20230101);
  sim_assert_unauthorized (expired);
  g_clear_pointer (&f->bearer, g_free);

  kl_sim_set_token_lifetime (f->sim, 60);
  fresh = mint_token_full (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 200, &expires_in);
  g_assert_cmpint (expires_in, ==, 60);
  f->bearer = g_strdup (fresh);
  alive = sim_get (f, GROUPS, V20230101);
  sim_assert_ok (alive, 200, V20230101);
}

static void
test_auth_oauth_token_limit (SimFixture    *f,
                             gconstpointer  data)
{
  g_autofree char *basic = sim_basic_header (SIM_CLIENT_ID, SIM_CLIENT_SECRET);
  g_autofree char *first = NULL;
  g_autofree char *revoke_form = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;

  f->user = NULL;
  kl_sim_add_service_account (f->sim, "mdb_sa_id_other", "other-secret");
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *token = mint_token (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 200);

      if (i == 0)
        first = g_steal_pointer (&token);
    }
  g_assert_null (mint_token (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 403));
  /* Another account has its own budget. */
  other = mint_token (f, "mdb_sa_id_other", "other-secret", 200);
  g_assert_nonnull (other);
  /* Revoking one frees a slot. */
  revoke_form = g_strconcat ("token=", first, NULL);
  g_assert_cmpuint (oauth_status (f, "/api/oauth/revoke", basic,
                                  "application/x-www-form-urlencoded", revoke_form, NULL), ==, 200);
  again = mint_token (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 200);
  g_assert_nonnull (again);
  g_assert_null (mint_token (f, SIM_CLIENT_ID, SIM_CLIENT_SECRET, 403));
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  add_fixture_test ("/sim/groups/list", test_groups_list);
  add_fixture_test ("/sim/groups/pagination", test_groups_pagination);
  add_fixture_test ("/sim/groups/get", test_groups_get);
  add_fixture_test ("/sim/http/media-types", test_media_types);
  add_fixture_test ("/sim/http/request-bodies", test_request_bodies);
  add_fixture_test ("/sim/auth/digest", test_auth_digest);
  add_fixture_test ("/sim/auth/digest-nonces", test_auth_digest_nonces);
  add_fixture_test ("/sim/auth/oauth", test_auth_oauth);
  add_fixture_test ("/sim/auth/oauth-expiry", test_auth_oauth_expiry);
  add_fixture_test ("/sim/auth/oauth-token-limit", test_auth_oauth_token_limit);

  return g_test_run ();
}
