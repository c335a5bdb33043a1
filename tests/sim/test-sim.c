/* test-sim.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-utils.h"
#include "test-sim-common.h"

/* The simulated Atlas Admin API over loopback: paths, media types, auth, the rules and error
 * codes of HACKING.md, Atlas facts, and the private endpoint and cluster state machines. Every
 * /api/atlas/v2 answer is checked against the spec by sim_request(). */

#define GROUPS        "/api/atlas/v2/groups"
#define READY         GROUPS "/" KL_SIM_GROUP_READY
#define MIXED         GROUPS "/" KL_SIM_GROUP_MIXED
#define PAUSED        GROUPS "/" KL_SIM_GROUP_PAUSED
#define EXPANSION     GROUPS "/" KL_SIM_GROUP_NEW_REGION
#define V20241113     "2024-11-13"
#define READY_EAR     READY "/encryptionAtRest"
#define READY_PES     READY "/encryptionAtRest/AZURE/privateEndpoints"
#define MIXED_EAR     MIXED "/encryptionAtRest"

#define KEY_ID_V1 "https://klsimvault.vault.azure.net/keys/atlas-cmk/0123456789abcdef0123456789abcdef"
#define KEY_ID_V2 "https://klsimvault.vault.azure.net/keys/atlas-cmk/fedcba9876543210fedcba9876543210"

static void
add_fixture_test (const char *path,
                  void      (*test) (SimFixture *, gconstpointer))
{
  g_test_add (path, SimFixture, NULL, sim_fixture_setup, test, sim_fixture_teardown);
}

static gboolean
has_link (JsonObject *page,
          const char *rel,
          const char *href_part)
{
  JsonArray *links = json_object_get_array_member (page, "links");

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);

      if (g_strcmp0 (json_object_get_string_member (link, "rel"), rel) == 0)
        return href_part == NULL
               || strstr (json_object_get_string_member (link, "href"), href_part) != NULL;
    }
  return FALSE;
}

static JsonArray *
results (SimResponse *response)
{
  return json_object_get_array_member (sim_object (response), "results");
}

static JsonObject *
find_by (JsonArray  *array,
         const char *member,
         const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL), value) == 0)
        return object;
    }
  return NULL;
}

static JsonArray *
error_parameters (SimResponse *response)
{
  return json_object_get_array_member (sim_object (response), "parameters");
}

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

/* Encryption at rest */

static JsonObject *
provider (SimResponse *response,
          const char  *name)
{
  return json_object_get_object_member (sim_object (response), name);
}

static void
assert_unconfigured (JsonObject *object)
{
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_false (json_object_get_boolean_member (object, "enabled"));
  g_assert_false (json_object_get_boolean_member (object, "valid"));
}

static void
test_ear_unconfigured (SimFixture    *f,
                       gconstpointer  data)
{
  g_autoptr(SimResponse) response = sim_get (f, READY_EAR, V20230101);

  sim_assert_ok (response, 200, V20230101);
  assert_unconfigured (provider (response, "azureKeyVault"));
  assert_unconfigured (provider (response, "awsKms"));
  assert_unconfigured (provider (response, "googleCloudKms"));
}

#define FULL_AZURE \
  "{\"azureKeyVault\": {\"enabled\": true, \"azureEnvironment\": \"AZURE\"," \
  "\"clientID\": \"%s\", \"tenantID\": \"1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"," \
  "\"secret\": \"made-up-azure-secret\"," \
  "\"subscriptionID\": \"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\"," \
  "\"resourceGroupName\": \"rg-keylink\", \"keyVaultName\": \"klsimvault\"," \
  "\"keyIdentifier\": \"%s\"}}"

static char *
azure_body (const char *client_id,
            const char *key_identifier)
{
  return g_strdup_printf (FULL_AZURE, client_id, key_identifier);
}

static void
test_ear_enable (SimFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", KEY_ID_V1);
  g_autoptr(SimResponse) partial = NULL;
  g_autoptr(SimResponse) enabled = NULL;
  g_autoptr(SimResponse) read_back = NULL;
  g_autoptr(SimResponse) rotated = NULL;
  JsonObject *akv;
  JsonArray *missing;

  partial = sim_send (f, "PATCH", READY_EAR, V20230101,
                      "{\"azureKeyVault\": {\"enabled\": true, \"keyVaultName\": \"klsimvault\"}}");
  sim_assert_error (partial, 400, "MISSING_ATTRIBUTE");
  missing = error_parameters (partial);
  g_assert_cmpuint (json_array_get_length (missing), ==, 7);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "azureEnvironment");

  enabled = sim_send (f, "PATCH", READY_EAR, V20230101, body);
  sim_assert_ok (enabled, 200, V20230101);
  akv = provider (enabled, "azureKeyVault");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_true (json_object_get_boolean_member (akv, "valid"));
  g_assert_false (json_object_get_boolean_member (akv, "requirePrivateNetworking"));
  g_assert_false (json_object_has_member (akv, "secret"));
  g_assert_null (strstr (g_bytes_get_data (enabled->body, NULL), "made-up-azure-secret"));
  assert_unconfigured (provider (enabled, "awsKms"));

  read_back = sim_get (f, READY_EAR, V20230101);
  sim_assert_ok (read_back, 200, V20230101);
  g_assert_true (json_node_equal (read_back->json, enabled->json));

  /* Later PATCHes may be partial: rotate the key. */
  rotated = sim_send (f, "PATCH", READY_EAR, V20230101,
                      "{\"azureKeyVault\": {\"keyIdentifier\": \"" KEY_ID_V2 "\"}}");
  sim_assert_ok (rotated, 200, V20230101);
  akv = provider (rotated, "azureKeyVault");
  g_assert_cmpstr (json_object_get_string_member (akv, "keyIdentifier"), ==, KEY_ID_V2);
  g_assert_cmpstr (json_object_get_string_member (akv, "resourceGroupName"), ==, "rg-keylink");
  g_assert_true (json_object_get_boolean_member (akv, "valid"));
}

static void
test_ear_validation (SimFixture    *f,
                     gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *code;
  } cases[] = {
    { "{\"azureKeyVault\": {\"colour\": \"blue\"}}", "INVALID_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"valid\": true}}", "ATTRIBUTE_READ_ONLY" },
    { "{\"azureKeyVault\": {\"enabled\": \"yes\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"clientID\": \"not-a-guid\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"keyVaultName\": \"my--vault\"}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg.\"}}", "INVALID_JSON_ATTRIBUTE" },
    /* U+202E and U+2028, whose low bytes are '.' and '(' (allowed), are not. */
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg\xe2\x80\xae" "gk\"}}",
      "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"resourceGroupName\": \"rg\xe2\x80\xa8" "1\"}}",
      "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"keyIdentifier\": \"https://v.vault.azure.net/keys/k\"}}",
      "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT" },
    { "{\"azureKeyVault\": {\"azureEnvironment\": \"AZURE_MARS\"}}", "INVALID_ENUM_VALUE" },
    { "{\"azureKeyVault\": {\"secret\": null}}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": []}", "INVALID_JSON_ATTRIBUTE" },
    { "{\"azureKeyVault\": {\"enabled\": false, \"keyVaultName\": \"klsimvault\"}}",
      "VALIDATION_ERROR" },
    { "{\"awsKms\": {\"enabled\": true}}", "SIM_PROVIDER_NOT_SIMULATED" },
    { "{\"somethingElse\": {}}", "INVALID_ATTRIBUTE" },
    { "{\"requirePrivateNetworking\": true}", "INVALID_ATTRIBUTE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101,
                                                  cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      sim_assert_error (response, 400, cases[i].code);
    }

  /* A key outside the configured vault or Azure cloud. */
  {
    g_autofree char *other_vault = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                               "https://othervault.vault.azure.net/keys/k/"
                                               "0123456789abcdef0123456789abcdef");
    g_autofree char *other_cloud = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                               "https://klsimvault.vault.azure.cn/keys/k/"
                                               "0123456789abcdef0123456789abcdef");
    g_autoptr(SimResponse) r1 = sim_send (f, "PATCH", READY_EAR, V20230101, other_vault);
    g_autoptr(SimResponse) r2 = sim_send (f, "PATCH", READY_EAR, V20230101, other_cloud);
    g_autoptr(SimResponse) still = sim_get (f, READY_EAR, V20230101);
    g_autoptr(SimResponse) noop = sim_send (f, "PATCH", READY_EAR, V20230101,
                                            "{\"awsKms\": {\"enabled\": false}, "
                                            "\"azureKeyVault\": {\"enabled\": false}}");

    /* Atlas finds no such key in the configured vault; a vault of another cloud cannot be
     * one of this environment's. */
    sim_assert_error (r1, 400, "AZURE_KEY_VAULT_KEY_NOT_FOUND");
    g_assert_cmpuint (json_array_get_length (error_parameters (r1)), ==, 0);
    g_assert_cmpstr (sim_member_string (r1, "detail"), ==,
                     "No Azure Key Vault key found for the provided credentials.");
    sim_assert_error (r2, 400, "AZURE_KEY_VAULT_KEY_IDENTIFIER_INVALID_FORMAT");
    g_assert_cmpstr (sim_member_string (r2, "detail"), ==,
                     "Invalid format for Azure Key Vault Key Identifier.");
    assert_unconfigured (provider (still, "azureKeyVault"));
    sim_assert_ok (noop, 200, V20230101);
  }
}

static void
test_ear_bad_credentials (SimFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *bad = azure_body (KL_SIM_BAD_AZURE_CLIENT_ID, KEY_ID_V1);
  g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101, bad);
  g_autoptr(SimResponse) after = sim_get (f, READY_EAR, V20230101);
  g_autoptr(SimResponse) later = NULL;

  sim_assert_error (response, 400, "INVALID_AZURE_CREDENTIALS");
  sim_assert_ok (after, 200, V20230101);
  assert_unconfigured (provider (after, "azureKeyVault"));

  /* Also on a later PATCH that changes the client ID. */
  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);
  later = sim_send (f, "PATCH", READY_EAR, V20230101,
                    "{\"azureKeyVault\": {\"clientID\": \"" KL_SIM_BAD_AZURE_CLIENT_ID "\"}}");
  sim_assert_error (later, 400, "INVALID_AZURE_CREDENTIALS");
}

static void
test_ear_unusable_key (SimFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31",
                                      "https://klsimvault.vault.azure.net/keys/"
                                      KL_SIM_UNUSABLE_KEY_NAME "/0123456789abcdef0123456789abcdef");
  g_autoptr(SimResponse) enabled = sim_send (f, "PATCH", READY_EAR, V20230101, body);
  g_autoptr(SimResponse) cluster = NULL;
  g_autoptr(SimResponse) fixed = NULL;
  JsonObject *akv;

  sim_assert_ok (enabled, 200, V20230101);
  akv = provider (enabled, "azureKeyVault");
  g_assert_true (json_object_get_boolean_member (akv, "enabled"));
  g_assert_false (json_object_get_boolean_member (akv, "valid"));

  cluster = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023,
                      "{\"encryptionAtRestProvider\": \"AZURE\"}");
  sim_assert_error (cluster, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");

  fixed = sim_send (f, "PATCH", READY_EAR, V20230101,
                    "{\"azureKeyVault\": {\"keyIdentifier\": \"" KEY_ID_V1 "\"}}");
  sim_assert_ok (fixed, 200, V20230101);
  g_assert_true (json_object_get_boolean_member (provider (fixed, "azureKeyVault"), "valid"));
}

/* Keys Atlas's checks refuse, with the catalogue's codes; and a paused project's key can be
 * configured (the Group has no state: nothing is "inactive"). */
static void
test_ear_refused_keys (SimFixture    *f,
                       gconstpointer  data)
{
  const struct
  {
    const char *key_name;
    const char *code;
    const char *detail;
  } cases[] = {
    { KL_SIM_EXPIRED_KEY_NAME, "AZURE_KEY_VAULT_KEY_EXPIRED", "The key has expired." },
    { KL_SIM_DISABLED_KEY_NAME, "AZURE_KEY_VAULT_KEY_NOT_ENABLED", "Key not enabled." },
    { KL_SIM_NO_ACCESS_KEY_NAME, "NO_PERMISSION_TO_ENCRYPT_DECRYPT",
      "The provided credentials do not have permission to encrypt or decrypt with the key." },
  };
  g_autofree char *body = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", KEY_ID_V1);
  g_autoptr(SimResponse) paused = sim_send (f, "PATCH", PAUSED "/encryptionAtRest", V20230101,
                                            body);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("https://klsimvault.vault.azure.net/keys/%s/"
                                              "0123456789abcdef0123456789abcdef",
                                              cases[i].key_name);
      g_autofree char *refused = azure_body ("8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31", key);
      g_autoptr(SimResponse) response = sim_send (f, "PATCH", READY_EAR, V20230101, refused);
      g_autoptr(SimResponse) after = sim_get (f, READY_EAR, V20230101);

      g_test_message ("key %s", cases[i].key_name);
      sim_assert_error (response, 400, cases[i].code);
      g_assert_cmpstr (sim_member_string (response, "detail"), ==, cases[i].detail);
      assert_unconfigured (provider (after, "azureKeyVault"));
    }

  sim_assert_ok (paused, 200, V20230101);
  g_assert_true (json_object_get_boolean_member (provider (paused, "azureKeyVault"), "valid"));
}

static void
test_ear_private_networking (SimFixture    *f,
                             gconstpointer  data)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(SimResponse) without_cmk = NULL;
  g_autoptr(SimResponse) multicloud = NULL;
  g_autoptr(SimResponse) frozen = NULL;
  g_autoptr(SimResponse) frozen_rg = NULL;
  g_autoptr(SimResponse) same_value = NULL;
  g_autoptr(SimResponse) rpn_off = NULL;
  g_autoptr(SimResponse) disable = NULL;
  g_autoptr(SimResponse) disable_deleting = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) rpn_off_ok = NULL;
  g_autoptr(SimResponse) disabled = NULL;
  g_autofree char *endpoint_path = NULL;
  JsonArray *params;

  without_cmk = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                          "{\"azureKeyVault\": {\"requirePrivateNetworking\": true}}");
  sim_assert_error (without_cmk, 400, "REQUIRE_PRIVATE_NETWORKING_REQUIRES_ENCRYPTION_AT_REST");

  /* Turning private networking on disables (pauses) multi-cloud clusters. */
  multicloud = sim_get (f, MIXED "/clusters/analytics-multicloud", V20240805);
  g_assert_false (json_object_get_boolean_member (sim_object (multicloud), "paused"));
  sim_enable_cmk (f, KL_SIM_GROUP_MIXED, TRUE);
  g_clear_pointer (&multicloud, sim_response_free);
  multicloud = sim_get (f, MIXED "/clusters/analytics-multicloud", V20240805);
  sim_assert_ok (multicloud, 200, V20240805);
  g_assert_true (json_object_get_boolean_member (sim_object (multicloud), "paused"));

  /* keyVaultName, resourceGroupName and subscriptionID are frozen now. */
  frozen = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                     "{\"azureKeyVault\": {\"keyVaultName\": \"othervault\"}}");
  sim_assert_error (frozen, 400, "CANNOT_MODIFY_AZURE_KEY_VAULT_FIELDS_WITH_PRIVATE_NETWORKING");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (frozen), 0), ==,
                   "keyVaultName");
  frozen_rg = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                        "{\"azureKeyVault\": {\"requirePrivateNetworking\": false, "
                        "\"resourceGroupName\": \"rg-other\"}}");
  sim_assert_error (frozen_rg, 400, "CANNOT_MODIFY_AZURE_KEY_VAULT_FIELDS_WITH_PRIVATE_NETWORKING");
  same_value = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                         "{\"azureKeyVault\": {\"keyVaultName\": \"KLSIMVAULT\"}}");
  sim_assert_ok (same_value, 200, V20230101);

  endpoint = sim_create_endpoint (f, KL_SIM_GROUP_MIXED, "US_WEST_2");
  rpn_off = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                      "{\"azureKeyVault\": {\"requirePrivateNetworking\": false}}");
  sim_assert_error (rpn_off, 400,
                    "CANNOT_DISABLE_ENCRYPTION_AT_REST_REQUIRE_PRIVATE_NETWORKING_WHILE_PRIVATE_ENDPOINTS_EXIST");
  params = error_parameters (rpn_off);
  g_assert_cmpuint (json_array_get_length (params), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (params, 0), ==, "US_WEST_2");
  g_assert_cmpstr (sim_member_string (rpn_off, "detail"), ==,
                   "Cannot disable requirePrivateNetworking field when there are private "
                   "endpoints. Remove private endpoints in region(s) US_WEST_2 to disable "
                   "requirePrivateNetworking.");

  /* As recorded: parameters [] and Atlas's detail. */
  disable = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                      "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (disable, 400, "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS");
  g_assert_cmpuint (json_array_get_length (error_parameters (disable)), ==, 0);
  g_assert_cmpstr (sim_member_string (disable, "detail"), ==,
                   "Encryption at Rest cannot be disabled when private endpoints are present.");

  /* A DELETING endpoint still counts. */
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  endpoint_path = g_strdup_printf (MIXED "/encryptionAtRest/AZURE/privateEndpoints/%s", endpoint);
  deleted = sim_send (f, "DELETE", endpoint_path, V20230101, NULL);
  sim_assert_ok (deleted, 204, V20230101);
  disable_deleting = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                               "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (disable_deleting, 400,
                    "CANNOT_DISABLE_ENCRYPTION_AT_REST_DUE_TO_PRIVATE_ENDPOINTS");

  kl_sim_advance (f->sim, KL_SIM_DELETING_SECONDS);
  rpn_off_ok = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                         "{\"azureKeyVault\": {\"requirePrivateNetworking\": false}}");
  sim_assert_ok (rpn_off_ok, 200, V20230101);
  g_assert_false (json_object_get_boolean_member (provider (rpn_off_ok, "azureKeyVault"),
                                                  "requirePrivateNetworking"));
  disabled = sim_send (f, "PATCH", MIXED_EAR, V20230101,
                       "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_ok (disabled, 200, V20230101);
  assert_unconfigured (provider (disabled, "azureKeyVault"));
}

/* Private endpoints */

static void
test_endpoints_lifecycle (SimFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *status = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(SimResponse) before = NULL;
  g_autoptr(SimResponse) listed = NULL;
  g_autoptr(SimResponse) initiating = NULL;
  g_autoptr(SimResponse) blocked = NULL;
  g_autoptr(SimResponse) pending = NULL;
  g_autoptr(SimResponse) approved = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) deleting = NULL;
  g_autoptr(SimResponse) empty = NULL;
  g_autoptr(GRegex) connection_name = NULL;
  JsonArray *params;
  const char *name;

  before = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  sim_assert_error (before, 400, "ENCRYPTION_AT_REST_PRIVATE_NETWORKING_NOT_ENABLED");

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  id = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  g_assert_cmpuint (strlen (id), ==, 24);
  path = g_strdup_printf (READY_PES "/%s", id);

  initiating = sim_get (f, path, V20230101);
  sim_assert_ok (initiating, 200, V20230101);
  g_assert_cmpstr (sim_member_string (initiating, "status"), ==, "INITIATING");
  g_assert_cmpstr (sim_member_string (initiating, "cloudProvider"), ==, "AZURE");
  g_assert_null (sim_member_string (initiating, "privateEndpointConnectionName"));
  g_assert_null (sim_member_string (initiating, "errorMessage"));

  listed = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (listed, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (listed), "totalCount"), ==, 1);
  g_assert_nonnull (find_by (results (listed), "id", id));

  blocked = sim_send (f, "DELETE", path, V20230101, NULL);
  sim_assert_error (blocked, 400,
                    "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_DELETE_BLOCKED_DURING_PROVISIONING");
  /* As recorded: [[id]], one parameter that is a list of one id, and Atlas's detail. */
  params = error_parameters (blocked);
  g_assert_cmpuint (json_array_get_length (params), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_array_get_element (params, 0)));
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (params, 0)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (params, 0), 0),
                   ==, id);
  {
    g_autofree char *detail = g_strdup_printf ("Failed to delete Encryption at Rest Private "
                                               "endpoint with id [%s] during IN_PROGRESS state. "
                                               "Please try again later.", id);

    g_assert_cmpstr (sim_member_string (blocked, "detail"), ==, detail);
  }

  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS - 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, 1);
  pending = sim_get (f, path, V20230101);
  sim_assert_ok (pending, 200, V20230101);
  g_assert_cmpstr (sim_member_string (pending, "status"), ==, "PENDING_ACCEPTANCE");
  name = sim_member_string (pending, "privateEndpointConnectionName");
  connection_name = g_regex_new ("^klsimvault\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                 "[0-9a-f]{12}$", 0, 0, NULL);
  g_assert_true (g_regex_match (connection_name, name, 0, NULL));

  /* Approval in "Azure": Atlas notices it after about 3 minutes. */
  approve = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/approve",
                             KL_SIM_GROUP_READY, id);
  approved = sim_control (f, "POST", approve, NULL);
  g_assert_cmpuint (approved->status, ==, 200);
  g_assert_true (kl_schema_check_value (sim_schema (), "EARPrivateEndpoint", approved->json, NULL));
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS - 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, 1);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_cmpstr (status, ==, "ACTIVE");
  g_clear_pointer (&status, g_free);

  deleted = sim_send (f, "DELETE", path, V20230101, NULL);
  sim_assert_ok (deleted, 204, V20230101);
  deleting = sim_get (f, path, V20230101);
  sim_assert_ok (deleting, 200, V20230101);
  g_assert_cmpstr (sim_member_string (deleting, "status"), ==, "DELETING");
  kl_sim_advance (f->sim, KL_SIM_DELETING_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, id);
  g_assert_null (status);
  empty = sim_get (f, READY_PES, V20230101);
  sim_assert_ok (empty, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (empty), "totalCount"), ==, 0);
}

/* A region Atlas knows and Keylink's built-in list does not: the simulator takes it and
 * follows it to ACTIVE, while data/atlas/regions.json stays without it. */
static void
test_endpoints_new_region (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *regions_path = g_build_filename (g_getenv ("KL_SHARED_DIR"), "atlas",
                                                    "regions.json", NULL);
  g_autofree char *regions = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (regions_path, &regions, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (regions, KL_SIM_NEW_AZURE_REGION));

  sim_enable_cmk (f, KL_SIM_GROUP_NEW_REGION, TRUE);
  id = sim_create_endpoint (f, KL_SIM_GROUP_NEW_REGION, KL_SIM_NEW_AZURE_REGION);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  g_assert_true (kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_NEW_REGION, id, &error));
  g_assert_no_error (error);
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_NEW_REGION, id);
  g_assert_cmpstr (status, ==, "ACTIVE");
}

static void
test_endpoints_validation (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const struct
  {
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "{\"regionName\": \"MARS_NORTH\"}", 400, "INVALID_REGION" },
    { "{\"regionName\": \"US_EAST_1\"}", 400, "INVALID_REGION" },      /* AWS name */
    { "{\"regionName\": \"US_GOV_VIRGINIA\"}", 400, "INVALID_REGION" }, /* not in AZURE */
    { "{\"regionName\": \"US_EAST_2\"}", 409,
      "ENCRYPTION_AT_REST_PRIVATE_ENDPOINT_ALREADY_EXISTS_FOR_REGION" },
    { "{}", 400, "MISSING_ATTRIBUTE" },
    { "{\"regionName\": 7}", 400, "INVALID_JSON_ATTRIBUTE" },
    { "{\"regionName\": \"UK_SOUTH\", \"status\": \"ACTIVE\"}", 400, "ATTRIBUTE_READ_ONLY" },
    { "{\"regionName\": \"UK_SOUTH\", \"zone\": 1}", 400, "INVALID_ATTRIBUTE" },
    { "{\"regionName\": \"UK_SOUTH\", \"cloudProvider\": \"AWS\"}", 400, "INVALID_ATTRIBUTE" },
  };

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  first = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = sim_send (f, "POST", READY_PES, V20230101, cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      sim_assert_error (response, cases[i].status, cases[i].code);
    }
  {
    g_autoptr(SimResponse) with_provider = sim_send (f, "POST", READY_PES, V20230101,
                                                     "{\"regionName\": \"EUROPE_WEST\", "
                                                     "\"cloudProvider\": \"AZURE\"}");
    g_autoptr(SimResponse) bad_id = sim_get (f, READY_PES "/XYZ", V20230101);
    g_autoptr(SimResponse) unknown = sim_get (f, READY_PES "/65f0000000000000000fffff", V20230101);
    g_autoptr(SimResponse) delete_unknown = sim_send (f, "DELETE",
                                                      READY_PES "/65f0000000000000000fffff",
                                                      V20230101, NULL);
    g_autoptr(SimResponse) bad_provider = sim_get (f, READY "/encryptionAtRest/GCP/privateEndpoints",
                                                   V20230101);
    g_autoptr(SimResponse) aws = sim_get (f, READY "/encryptionAtRest/AWS/privateEndpoints",
                                          V20230101);
    g_autoptr(SimResponse) aws_post = sim_send (f, "POST",
                                                READY "/encryptionAtRest/AWS/privateEndpoints",
                                                V20230101, "{\"regionName\": \"US_EAST_1\"}");
    g_autoptr(SimResponse) other_group = sim_get (f, MIXED "/encryptionAtRest/AZURE/privateEndpoints",
                                                  V20230101);
    g_autoptr(SimResponse) paged = sim_get (f, READY_PES "?itemsPerPage=1&pageNum=2", V20230101);

    sim_assert_ok (with_provider, 202, V20230101);
    second = g_strdup (sim_member_string (with_provider, "id"));
    g_assert_cmpstr (second, !=, first);
    sim_assert_error (bad_id, 400, "INVALID_ENDPOINT_ID");
    sim_assert_error (unknown, 404, "RESOURCE_NOT_FOUND");
    sim_assert_error (delete_unknown, 404, "RESOURCE_NOT_FOUND");
    sim_assert_error (bad_provider, 400, "INVALID_ENUM_VALUE");
    sim_assert_ok (aws, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (aws)), ==, 0);
    sim_assert_error (aws_post, 400, "ENCRYPTION_AT_REST_PRIVATE_NETWORKING_NOT_ENABLED");
    sim_assert_ok (other_group, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (other_group)), ==, 0);
    sim_assert_ok (paged, 200, V20230101);
    g_assert_cmpuint (json_array_get_length (results (paged)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results (paged), 0),
                                                    "id"), ==, second);
    g_assert_true (has_link (sim_object (paged), "previous", NULL));
  }
}

static char *
pending_endpoint (SimFixture *f,
                  const char *region)
{
  char *id = sim_create_endpoint (f, KL_SIM_GROUP_READY, region);

  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS);
  return id;
}

static char *
connection_name_of (SimFixture *f,
                    const char *id)
{
  g_autofree char *path = g_strdup_printf (READY_PES "/%s", id);
  g_autoptr(SimResponse) response = sim_get (f, path, V20230101);

  sim_assert_ok (response, 200, V20230101);
  return g_strdup (sim_member_string (response, "privateEndpointConnectionName"));
}

/* Of @region's records in the list, the one in @status: its id (NULL if none), with its
 * errorMessage in @message (optional); @n_records: how many records the region has. */
static char *
record_in_status (SimFixture  *f,
                  const char  *region,
                  const char  *status,
                  char       **message,
                  guint       *n_records)
{
  g_autoptr(SimResponse) list = sim_get (f, READY_PES, V20230101);
  JsonArray *array;
  char *id = NULL;

  sim_assert_ok (list, 200, V20230101);
  array = results (list);
  *n_records = 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (record, "regionName"), region) != 0)
        continue;
      (*n_records)++;
      if (id == NULL && g_strcmp0 (json_object_get_string_member (record, "status"), status) == 0)
        {
          id = g_strdup (json_object_get_string_member (record, "id"));
          if (message != NULL)
            *message = g_strdup (json_object_get_string_member_with_default (record,
                                                                             "errorMessage",
                                                                             NULL));
        }
    }

  return id;
}

static void
test_endpoints_azure_side (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *a2 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *old = NULL;
  g_autofree char *message = NULL;
  g_autofree char *b_path = NULL;
  g_autoptr(SimResponse) deleted = NULL;
  g_autoptr(SimResponse) second_post = NULL;
  guint n_records = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *status = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *second_name = NULL;
  g_autofree char *fail_path = NULL;
  g_autofree char *c_path = NULL;
  g_autofree char *early_path = NULL;
  g_autofree char *early = NULL;
  g_autoptr(SimResponse) failed = NULL;
  g_autoptr(SimResponse) failed_get = NULL;
  g_autoptr(SimResponse) not_pending = NULL;
  g_autoptr(SimResponse) unknown = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);

  /* Rejected in Azure: the old record shows PENDING_RECREATION with a message, and a NEW
   * record with a new (greater) id appears in INITIATING, without a connection name. */
  a = pending_endpoint (f, "US_EAST_2");
  first_name = connection_name_of (f, a);
  kl_sim_reject_endpoint (f->sim, KL_SIM_GROUP_READY, a, &error);
  g_assert_no_error (error);
  old = record_in_status (f, "US_EAST_2", "PENDING_RECREATION", &message, &n_records);
  g_assert_cmpstr (old, ==, a);
  g_assert_cmpstr (message, ==, "private endpoint was rejected");
  g_assert_cmpuint (n_records, ==, 2);
  g_clear_pointer (&message, g_free);
  a2 = record_in_status (f, "US_EAST_2", "INITIATING", &message, &n_records);
  g_assert_nonnull (a2);
  g_assert_cmpstr (a2, !=, a);
  g_assert_cmpstr (a2, >, a);
  g_assert_null (message);
  g_assert_null (connection_name_of (f, a2));
  /* The region has a record: a second POST is refused. */
  second_post = sim_send (f, "POST", READY_PES, V20230101, "{\"regionName\": \"US_EAST_2\"}");
  g_assert_cmpuint (second_post->status, ==, 409);

  /* The old record goes away after KL_SIM_RECREATION_SECONDS; the new one goes on. */
  kl_sim_advance (f->sim, KL_SIM_RECREATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a);
  g_assert_null (status);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a2);
  g_assert_cmpstr (status, ==, "INITIATING");
  g_clear_pointer (&status, g_free);
  kl_sim_advance (f->sim, KL_SIM_INITIATING_SECONDS - KL_SIM_RECREATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, a2);
  g_assert_cmpstr (status, ==, "PENDING_ACCEPTANCE");
  g_clear_pointer (&status, g_free);
  second_name = connection_name_of (f, a2);
  g_assert_nonnull (second_name);
  g_assert_cmpstr (first_name, !=, second_name);

  /* Removed in Azure after it was ACTIVE. */
  b = pending_endpoint (f, "EUROPE_WEST");
  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_no_error (error);
  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_error (error, KL_SIM_ERROR, 409);
  g_clear_error (&error);
  kl_sim_advance (f->sim, KL_SIM_ACTIVATION_SECONDS);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "ACTIVE");
  g_clear_pointer (&status, g_free);
  kl_sim_remove_endpoint (f->sim, KL_SIM_GROUP_READY, b, &error);
  g_assert_no_error (error);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "PENDING_RECREATION");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&old, g_free);
  g_clear_pointer (&message, g_free);
  old = record_in_status (f, "EUROPE_WEST", "PENDING_RECREATION", &message, &n_records);
  g_assert_cmpstr (old, ==, b);
  g_assert_cmpstr (message, ==, "private endpoint was removed");
  b2 = record_in_status (f, "EUROPE_WEST", "INITIATING", NULL, &n_records);
  g_assert_nonnull (b2);
  g_assert_cmpstr (b2, >, b);
  g_assert_cmpuint (n_records, ==, 2);
  /* The old record may be deleted (teardown deletes whatever records exist). */
  b_path = g_strdup_printf (READY_PES "/%s", b);
  deleted = sim_send (f, "DELETE", b_path, V20230101, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  status = sim_endpoint_status (f, KL_SIM_GROUP_READY, b);
  g_assert_cmpstr (status, ==, "DELETING");
  g_clear_pointer (&status, g_free);

  /* FAILED, with its message, over the control API. */
  c = pending_endpoint (f, "UK_SOUTH");
  fail_path = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/fail", KL_SIM_GROUP_READY, c);
  failed = sim_control (f, "POST", fail_path, "{\"errorMessage\": \"Quota exceeded in uksouth\"}");
  g_assert_cmpuint (failed->status, ==, 200);
  c_path = g_strdup_printf (READY_PES "/%s", c);
  failed_get = sim_get (f, c_path, V20230101);
  sim_assert_ok (failed_get, 200, V20230101);
  g_assert_cmpstr (sim_member_string (failed_get, "status"), ==, "FAILED");
  g_assert_cmpstr (sim_member_string (failed_get, "errorMessage"), ==, "Quota exceeded in uksouth");
  kl_sim_fail_endpoint (f->sim, KL_SIM_GROUP_READY, a2, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_strdup_printf (READY_PES "/%s", a2);
    g_autoptr(SimResponse) default_message = sim_get (f, path, V20230101);

    g_assert_nonnull (sim_member_string (default_message, "errorMessage"));
  }

  /* Actions that do not apply. */
  early = sim_create_endpoint (f, KL_SIM_GROUP_READY, "FRANCE_CENTRAL");
  early_path = g_strdup_printf ("/__sim/groups/%s/privateEndpoints/%s/approve", KL_SIM_GROUP_READY,
                                early);
  not_pending = sim_control (f, "POST", early_path, NULL);
  g_assert_cmpuint (not_pending->status, ==, 409);
  g_assert_cmpstr (sim_member_string (not_pending, "errorCode"), ==, "SIM_INVALID_ENDPOINT_STATE");
  unknown = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_READY
                         "/privateEndpoints/65f0000000000000000fffff/reject", NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
  kl_sim_reject_endpoint (f->sim, KL_SIM_GROUP_READY, early, &error);
  g_assert_error (error, KL_SIM_ERROR, 409);
}

typedef struct
{
  SimFixture *fixture;
  const char *id;
  const char *wanted;
} StatusWait;

static gboolean
status_is (gpointer user_data)
{
  StatusWait *wait = user_data;
  g_autofree char *status = sim_endpoint_status (wait->fixture, KL_SIM_GROUP_READY, wait->id);

  return g_strcmp0 (status, wait->wanted) == 0;
}

/* Real time, scaled: 0.001 makes INITIATING last 90 ms. */
static void
test_endpoints_time_scale (SimFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(SimResponse) scale = NULL;
  StatusWait wait = { f, NULL, "PENDING_ACCEPTANCE" };
  gint64 start;
  gint64 elapsed;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, TRUE);
  scale = sim_control (f, "POST", "/__sim/time-scale", "{\"timeScale\": 0.001}");
  g_assert_cmpuint (scale->status, ==, 200);
  g_assert_cmpfloat (kl_sim_get_time_scale (f->sim), ==, 0.001);

  start = g_get_monotonic_time ();
  id = sim_create_endpoint (f, KL_SIM_GROUP_READY, "US_EAST_2");
  wait.id = id;
  g_assert_true (sim_poll_until (status_is, &wait, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, KL_SIM_INITIATING_SECONDS * 1000);

  kl_sim_approve_endpoint (f->sim, KL_SIM_GROUP_READY, id, NULL);
  start = g_get_monotonic_time ();
  wait.wanted = "ACTIVE";
  g_assert_true (sim_poll_until (status_is, &wait, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, KL_SIM_ACTIVATION_SECONDS * 1000);
}

/* Clusters */

static void
test_clusters_list (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(SimResponse) ready = sim_get (f, READY "/clusters", V20240805);
  g_autoptr(SimResponse) mixed = sim_get (f, MIXED "/clusters", V20240805);
  g_autoptr(SimResponse) mixed_group = sim_get (f, MIXED, V20230101);
  g_autoptr(SimResponse) one = sim_get (f, READY "/clusters/payments-eu", V20240805);
  g_autoptr(SimResponse) serverless = sim_get (f, MIXED "/clusters/analytics-serverless",
                                               V20240805);
  g_autoptr(SimResponse) unknown = sim_get (f, MIXED "/clusters/nope", V20240805);
  g_autoptr(SimResponse) bad_name = sim_get (f, MIXED "/clusters/-bad_name", V20240805);
  g_autoptr(SimResponse) paged = sim_get (f, MIXED "/clusters?itemsPerPage=2&pageNum=3", V20240805);
  JsonObject *cluster;
  JsonObject *region;
  JsonObject *specs;
  JsonArray *configs;

  sim_assert_ok (ready, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (ready)), ==, 2);
  cluster = find_by (results (ready), "name", "payments-eu");
  g_assert_cmpstr (json_object_get_string_member (cluster, "stateName"), ==, "IDLE");
  g_assert_cmpstr (json_object_get_string_member (cluster, "encryptionAtRestProvider"), ==, "NONE");
  g_assert_cmpstr (json_object_get_string_member (cluster, "groupId"), ==, KL_SIM_GROUP_READY);
  configs = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs");
  region = json_array_get_object_element (configs, 0);
  g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "EUROPE_WEST");
  specs = json_object_get_object_member (region, "electableSpecs");
  g_assert_cmpstr (json_object_get_string_member (specs, "instanceSize"), ==, "M30");
  cluster = find_by (results (ready), "name", "payments-us");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "US_EAST_2");

  /* Serverless instances and (since January 2026) Flex clusters are not part of the
   * 2024-08-05 cluster API; clusterCount has them. */
  sim_assert_ok (mixed, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (mixed)), ==, 5);
  g_assert_cmpint (json_object_get_int_member (sim_object (mixed_group), "clusterCount"), ==, 7);
  g_assert_null (find_by (results (mixed), "name", "analytics-serverless"));
  g_assert_null (find_by (results (mixed), "name", "analytics-flex"));

  cluster = find_by (results (mixed), "name", "analytics-gcp");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "GCP");
  g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "CENTRAL_US");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (region,
                                                                                 "electableSpecs"),
                                                  "instanceSize"), ==, "M10");
  cluster = find_by (results (mixed), "name", "analytics-free");
  region = json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (region,
                                                                                 "electableSpecs"),
                                                  "instanceSize"), ==, "M0");
  cluster = find_by (results (mixed), "name", "analytics-multicloud");
  configs = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"), 0),
    "regionConfigs");
  g_assert_cmpuint (json_array_get_length (configs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (configs, 0),
                                                  "providerName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (configs, 1),
                                                  "providerName"), ==, "AWS");
  g_assert_nonnull (find_by (results (mixed), "name", "analytics-aws"));
  g_assert_nonnull (find_by (results (mixed), "name", "analytics-azure"));

  sim_assert_ok (one, 200, V20240805);
  g_assert_cmpstr (sim_member_string (one, "name"), ==, "payments-eu");
  sim_assert_error (serverless, 400, "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API");
  sim_assert_error (unknown, 404, "CLUSTER_NOT_FOUND");
  sim_assert_error (bad_name, 400, "CLUSTER_NAME_INVALID");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (bad_name), 0), ==,
                   "-bad_name");
  sim_assert_ok (paged, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (paged)), ==, 1);

  {
    g_autoptr(SimResponse) paused = sim_get (f, PAUSED "/clusters", V20240805);
    g_autoptr(SimResponse) expansion = sim_get (f, EXPANSION "/clusters", V20240805);

    sim_assert_ok (paused, 200, V20240805);
    cluster = find_by (results (paused), "name", "archive-2019");
    g_assert_true (json_object_get_boolean_member (cluster, "paused"));
    sim_assert_ok (expansion, 200, V20240805);
    g_assert_cmpuint (json_array_get_length (results (expansion)), ==, 2);
    g_assert_nonnull (find_by (results (expansion), "name", "expansion-us"));
    cluster = find_by (results (expansion), "name", "expansion-chile");
    region = json_array_get_object_element (json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (cluster, "replicationSpecs"),
                                     0), "regionConfigs"), 0);
    g_assert_cmpstr (json_object_get_string_member (region, "providerName"), ==, "AZURE");
    g_assert_cmpstr (json_object_get_string_member (region, "regionName"), ==, "CHILE_CENTRAL");
  }
}

/* The Flex API: the only one that serves Flex clusters. */
static void
test_flex_clusters (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(SimResponse) list = sim_get (f, MIXED "/flexClusters", V20241113);
  g_autoptr(SimResponse) empty = sim_get (f, READY "/flexClusters", V20241113);
  g_autoptr(SimResponse) paged = sim_get (f, MIXED "/flexClusters?itemsPerPage=1&pageNum=2",
                                          V20241113);
  g_autoptr(SimResponse) old_media = sim_get (f, MIXED "/flexClusters", V20240805);
  g_autoptr(SimResponse) no_accept = sim_get (f, MIXED "/flexClusters", NULL);
  g_autoptr(SimResponse) one = sim_get (f, MIXED "/flexClusters/analytics-flex", V20241113);
  g_autoptr(SimResponse) dedicated = sim_get (f, MIXED "/flexClusters/analytics-azure", V20241113);
  g_autoptr(SimResponse) missing = sim_get (f, MIXED "/flexClusters/nope", V20241113);
  g_autoptr(SimResponse) via_clusters = sim_get (f, MIXED "/clusters/analytics-flex", V20240805);
  g_autoptr(SimResponse) patched = NULL;
  g_autoptr(SimResponse) post = sim_send (f, "POST", MIXED "/flexClusters", V20241113, "{}");
  JsonObject *flex;
  JsonObject *settings;

  sim_assert_ok (list, 200, V20241113);
  g_assert_cmpint (json_object_get_int_member (sim_object (list), "totalCount"), ==, 1);
  flex = find_by (results (list), "name", "analytics-flex");
  g_assert_nonnull (flex);
  g_assert_cmpstr (json_object_get_string_member (flex, "id"), ==, "65f0000000000000000c0a22");
  g_assert_cmpstr (json_object_get_string_member (flex, "groupId"), ==, KL_SIM_GROUP_MIXED);
  g_assert_cmpstr (json_object_get_string_member (flex, "stateName"), ==, "IDLE");
  settings = json_object_get_object_member (flex, "providerSettings");
  g_assert_cmpstr (json_object_get_string_member (settings, "providerName"), ==, "FLEX");
  g_assert_cmpstr (json_object_get_string_member (settings, "backingProviderName"), ==, "AZURE");
  g_assert_cmpstr (json_object_get_string_member (settings, "regionName"), ==, "EUROPE_WEST");

  sim_assert_ok (empty, 200, V20241113);
  g_assert_cmpuint (json_array_get_length (results (empty)), ==, 0);
  sim_assert_ok (paged, 200, V20241113);
  g_assert_cmpuint (json_array_get_length (results (paged)), ==, 0);
  sim_assert_error (old_media, 406, "INVALID_VERSION_DATE");
  sim_assert_error (no_accept, 406, "INVALID_VERSION_DATE");
  g_assert_cmpuint (post->status, ==, 405);

  sim_assert_ok (one, 200, V20241113);
  g_assert_cmpstr (sim_member_string (one, "name"), ==, "analytics-flex");
  sim_assert_error (dedicated, 400, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (dedicated), 0), ==,
                   "analytics-azure");
  g_assert_cmpstr (sim_member_string (dedicated, "detail"), ==,
                   "Cannot use non-flex cluster analytics-azure in the flex API.");
  sim_assert_error (missing, 404, "CLUSTER_NOT_FOUND");
  g_assert_cmpuint (json_array_get_length (error_parameters (missing)), ==, 2);

  /* The cluster API refuses a Flex cluster by name, GET and PATCH alike. */
  sim_assert_error (via_clusters, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
  g_assert_cmpuint (json_array_get_length (error_parameters (via_clusters)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (via_clusters), 0), ==,
                   "analytics-flex");
  g_assert_cmpstr (sim_member_string (via_clusters, "detail"), ==,
                   "Flex cluster analytics-flex cannot be used in the Cluster API.");
  patched = sim_send (f, "PATCH", MIXED "/clusters/analytics-flex", V20241023,
                      "{\"encryptionAtRestProvider\": \"NONE\"}");
  sim_assert_error (patched, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
}

/* The switch that makes a clusters list fail whole while the project holds a Flex cluster. */
static void
test_flex_refused_list (SimFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResponse) refused = NULL;
  g_autoptr(SimResponse) ready = NULL;
  g_autoptr(SimResponse) flex = NULL;
  g_autoptr(SimResponse) control = NULL;
  g_autoptr(SimResponse) bad_control = NULL;
  g_autoptr(SimResponse) again = NULL;

  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_MIXED, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (kl_sim_set_cluster_list_refuses_flex (f->sim, KL_SIM_GROUP_READY, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (kl_sim_set_cluster_list_refuses_flex (f->sim, "65f0000000000000000000ff", TRUE,
                                                        &error));
  g_assert_error (error, KL_SIM_ERROR, 404);

  refused = sim_get (f, MIXED "/clusters", V20240805);
  sim_assert_error (refused, 400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
  g_assert_cmpuint (json_array_get_length (error_parameters (refused)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (refused), 0), ==,
                   "analytics-flex");
  /* Only while the project holds a Flex cluster; the Flex API still answers. */
  ready = sim_get (f, READY "/clusters", V20240805);
  sim_assert_ok (ready, 200, V20240805);
  flex = sim_get (f, MIXED "/flexClusters", V20241113);
  sim_assert_ok (flex, 200, V20241113);

  bad_control = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_MIXED
                             "/cluster-list-refuses-flex", "{\"refuses\": 1}");
  g_assert_cmpuint (bad_control->status, ==, 400);
  control = sim_control (f, "POST", "/__sim/groups/" KL_SIM_GROUP_MIXED
                         "/cluster-list-refuses-flex", "{\"refuses\": false}");
  g_assert_cmpuint (control->status, ==, 200);
  again = sim_get (f, MIXED "/clusters", V20240805);
  sim_assert_ok (again, 200, V20240805);
  g_assert_cmpuint (json_array_get_length (results (again)), ==, 5);
}

static SimResponse *
patch_cluster (SimFixture *f,
               const char *group_path,
               const char *name,
               const char *provider_name)
{
  g_autofree char *path = g_strdup_printf ("%s/clusters/%s", group_path, name);
  g_autofree char *body = g_strdup_printf ("{\"encryptionAtRestProvider\": \"%s\"}", provider_name);

  return sim_send (f, "PATCH", path, V20241023, body);
}

static void
test_clusters_patch (SimFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(SimResponse) too_early = patch_cluster (f, READY, "payments-us", "AZURE");
  g_autoptr(SimResponse) extra = NULL;
  g_autoptr(SimResponse) missing = NULL;
  g_autoptr(SimResponse) bad_enum = NULL;
  g_autoptr(SimResponse) aws = NULL;
  g_autoptr(SimResponse) updating = NULL;
  g_autoptr(SimResponse) busy = NULL;
  g_autoptr(SimResponse) still = NULL;
  g_autoptr(SimResponse) idle = NULL;
  g_autoptr(SimResponse) noop = NULL;
  g_autoptr(SimResponse) in_use = NULL;
  g_autoptr(SimResponse) back = NULL;
  g_autoptr(SimResponse) in_use_updating = NULL;
  g_autoptr(SimResponse) disabled = NULL;

  sim_assert_error (too_early, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");
  /* The update itself; the propagation delay before it is /sim/clusters/propagation. */
  kl_sim_set_cluster_propagation (f->sim, 0);
  g_assert_cmpstr (json_array_get_string_element (error_parameters (too_early), 0), ==,
                   KL_SIM_GROUP_READY);
  g_assert_cmpstr (sim_member_string (too_early, "detail"), ==,
                   "Encryption at Rest is not enabled for group " KL_SIM_GROUP_READY ".");
  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);

  extra = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023,
                    "{\"encryptionAtRestProvider\": \"AZURE\", \"paused\": true}");
  sim_assert_error (extra, 400, "INVALID_ATTRIBUTE");
  missing = sim_send (f, "PATCH", READY "/clusters/payments-us", V20241023, "{}");
  sim_assert_error (missing, 400, "MISSING_ATTRIBUTE");
  bad_enum = patch_cluster (f, READY, "payments-us", "VAULT");
  sim_assert_error (bad_enum, 400, "INVALID_ENUM_VALUE");
  aws = patch_cluster (f, READY, "payments-us", "AWS");
  sim_assert_error (aws, 400, "ENCRYPTION_AT_REST_NOT_ENABLED");

  updating = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (updating, 200, V20241023);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  g_assert_cmpstr (sim_member_string (updating, "encryptionAtRestProvider"), ==, "AZURE");
  busy = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_error (busy, 409, "CLUSTER_UPDATE_IN_PROGRESS");

  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS - 1);
  still = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (still, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, 1);
  idle = sim_get (f, READY "/clusters/payments-us", V20240805);
  sim_assert_ok (idle, 200, V20240805);
  g_assert_cmpstr (sim_member_string (idle, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (idle, "encryptionAtRestProvider"), ==, "AZURE");
  noop = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (noop, 200, V20241023);
  g_assert_cmpstr (sim_member_string (noop, "stateName"), ==, "IDLE");

  /* Teardown order: clusters back to NONE and IDLE before CMK can be turned off. */
  in_use = sim_send (f, "PATCH", READY_EAR, V20230101, "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (in_use, 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST");
  g_assert_cmpuint (json_array_get_length (error_parameters (in_use)), ==, 0);
  g_assert_cmpstr (sim_member_string (in_use, "detail"), ==,
                   "Cannot disable Encryption at Rest on the group because it is still enabled "
                   "on one or more clusters in the group.");
  back = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_ok (back, 200, V20241023);
  g_assert_cmpstr (sim_member_string (back, "stateName"), ==, "UPDATING");
  in_use_updating = sim_send (f, "PATCH", READY_EAR, V20230101,
                              "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_error (in_use_updating, 409, "CANNOT_DISABLE_ENCRYPTION_AT_REST");
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  disabled = sim_send (f, "PATCH", READY_EAR, V20230101, "{\"azureKeyVault\": {\"enabled\": false}}");
  sim_assert_ok (disabled, 200, V20230101);
}

/* Real Atlas can answer IDLE for a while after a PATCH before it reports UPDATING: so does the
 * simulator, by default, with the new provider; then UPDATING, then IDLE. */
static void
test_clusters_propagation (SimFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(SimResponse) patched = NULL;
  g_autoptr(SimResponse) first = NULL;
  g_autoptr(SimResponse) later = NULL;
  g_autoptr(SimResponse) busy = NULL;
  g_autoptr(SimResponse) updating = NULL;
  g_autoptr(SimResponse) idle = NULL;
  g_autoptr(SimResponse) settings = NULL;
  g_autoptr(SimResponse) off = NULL;
  g_autoptr(SimResponse) at_once = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_READY, FALSE);
  settings = sim_control (f, "GET", "/__sim/settings", NULL);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (settings),
                                                    "clusterPropagationSeconds"),
                     ==, KL_SIM_CLUSTER_PROPAGATION_SECONDS);

  patched = patch_cluster (f, READY, "payments-us", "AZURE");
  sim_assert_ok (patched, 200, V20241023);
  g_assert_cmpstr (sim_member_string (patched, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (patched, "encryptionAtRestProvider"), ==, "AZURE");
  first = sim_get (f, READY "/clusters/payments-us", V20240805);
  sim_assert_ok (first, 200, V20240805);
  g_assert_cmpstr (sim_member_string (first, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (first, "encryptionAtRestProvider"), ==, "AZURE");

  /* Still IDLE just before the delay is over; the update is under way all the same. */
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_PROPAGATION_SECONDS - 1);
  later = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (later, "stateName"), ==, "IDLE");
  busy = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_error (busy, 409, "CLUSTER_UPDATE_IN_PROGRESS");

  kl_sim_advance (f->sim, 1);
  updating = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, KL_SIM_CLUSTER_UPDATE_SECONDS - 1);
  g_clear_pointer (&updating, sim_response_free);
  updating = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (updating, "stateName"), ==, "UPDATING");
  kl_sim_advance (f->sim, 1);
  idle = sim_get (f, READY "/clusters/payments-us", V20240805);
  g_assert_cmpstr (sim_member_string (idle, "stateName"), ==, "IDLE");
  g_assert_cmpstr (sim_member_string (idle, "encryptionAtRestProvider"), ==, "AZURE");

  /* Off over the control API: UPDATING at once, in the PATCH's answer too. */
  off = sim_control (f, "POST", "/__sim/cluster-propagation", "{\"seconds\": 0}");
  g_assert_cmpuint (off->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (off), "clusterPropagationSeconds"),
                     ==, 0);
  at_once = patch_cluster (f, READY, "payments-us", "NONE");
  sim_assert_ok (at_once, 200, V20241023);
  g_assert_cmpstr (sim_member_string (at_once, "stateName"), ==, "UPDATING");
}

static void
test_clusters_ineligible (SimFixture    *f,
                          gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *code;
  } cases[] = {
    { "analytics-free", "CANNOT_USE_ENCRYPTION_AT_REST_TENANT" },
    { "analytics-flex", "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API" },
    { "analytics-serverless", "CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API" },
    { "analytics-multicloud", "ENCRYPTION_AT_REST_PROVIDER_NOT_SUPPORTED" },
  };
  g_autoptr(SimResponse) aws_cluster = NULL;
  g_autoptr(SimResponse) azure_cluster = NULL;
  g_autoptr(SimResponse) gcp_cluster = NULL;
  g_autoptr(SimResponse) paused = NULL;
  g_autoptr(SimResponse) paused_azure = NULL;

  sim_enable_cmk (f, KL_SIM_GROUP_MIXED, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) response = patch_cluster (f, MIXED, cases[i].name, "AZURE");

      g_test_message ("cluster %s", cases[i].name);
      sim_assert_error (response, 400, cases[i].code);
    }
  /* The key's cloud does not have to match the cluster's. */
  aws_cluster = patch_cluster (f, MIXED, "analytics-aws", "AZURE");
  sim_assert_ok (aws_cluster, 200, V20241023);
  azure_cluster = patch_cluster (f, MIXED, "analytics-azure", "AZURE");
  sim_assert_ok (azure_cluster, 200, V20241023);
  gcp_cluster = patch_cluster (f, MIXED, "analytics-gcp", "AZURE");
  sim_assert_ok (gcp_cluster, 200, V20241023);

  /* A paused cluster: 409 with the catalogue's text, whatever the change. */
  paused = patch_cluster (f, PAUSED, "archive-2019", "NONE");
  sim_assert_error (paused, 409, "CANNOT_UPDATE_PAUSED_CLUSTER");
  g_assert_cmpstr (json_array_get_string_element (error_parameters (paused), 0), ==,
                   "archive-2019");
  g_assert_cmpstr (sim_member_string (paused, "detail"), ==,
                   "Cannot update cluster archive-2019 while it is paused or being paused.");
  sim_enable_cmk (f, KL_SIM_GROUP_PAUSED, FALSE);
  paused_azure = patch_cluster (f, PAUSED, "archive-2019", "AZURE");
  sim_assert_error (paused_azure, 409, "CANNOT_UPDATE_PAUSED_CLUSTER");
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
  add_fixture_test ("/sim/ear/unconfigured", test_ear_unconfigured);
  add_fixture_test ("/sim/ear/enable", test_ear_enable);
  add_fixture_test ("/sim/ear/validation", test_ear_validation);
  add_fixture_test ("/sim/ear/bad-credentials", test_ear_bad_credentials);
  add_fixture_test ("/sim/ear/unusable-key", test_ear_unusable_key);
  add_fixture_test ("/sim/ear/refused-keys", test_ear_refused_keys);
  add_fixture_test ("/sim/ear/private-networking", test_ear_private_networking);
  add_fixture_test ("/sim/endpoints/lifecycle", test_endpoints_lifecycle);
  add_fixture_test ("/sim/endpoints/validation", test_endpoints_validation);
  add_fixture_test ("/sim/endpoints/new-region", test_endpoints_new_region);
  add_fixture_test ("/sim/endpoints/azure-side", test_endpoints_azure_side);
  add_fixture_test ("/sim/endpoints/time-scale", test_endpoints_time_scale);
  add_fixture_test ("/sim/clusters/list", test_clusters_list);
  add_fixture_test ("/sim/clusters/patch", test_clusters_patch);
  add_fixture_test ("/sim/clusters/propagation", test_clusters_propagation);
  add_fixture_test ("/sim/clusters/ineligible", test_clusters_ineligible);
  add_fixture_test ("/sim/flex-clusters/api", test_flex_clusters);
  add_fixture_test ("/sim/flex-clusters/refused-list", test_flex_refused_list);

  return g_test_run ();
}
