/* test-sim-common.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-schema-check.h"
#include "kl-sim.h"

G_BEGIN_DECLS

/* Shared by the simulator tests: a fresh KlSim on an ephemeral loopback port, a real
 * SoupSession, and requests that are checked against the Atlas spec as they come back. */

#define SIM_PUBLIC_KEY   "kltestpub"
#define SIM_PRIVATE_KEY  "0f4e6a2c-1111-2222-3333-444455556666"
#define SIM_CLIENT_ID    "mdb_sa_id_65f000000000000000000abc"
#define SIM_CLIENT_SECRET "mdb_sa_sk_test-secret"

#define V20230101 "2023-01-01"
#define V20240805 "2024-08-05"
#define V20241023 "2024-10-23"

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;     /* parsed body, NULL if empty or not JSON */
  GError             *error;    /* transport error (dropped connection, cancelled) */
  gint64              elapsed_us;
} SimResponse;

void         sim_response_free (SimResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResponse, sim_response_free)

typedef struct
{
  KlSim         *sim;
  SoupSession   *session;
  char          *base_url;
  /* Credentials the next requests use: Digest (default), a bearer token, or none. */
  const char    *user;
  const char    *password;
  char          *bearer;
  const char    *authorization;  /* a raw Authorization header, e.g. Basic for OAuth */
  /* Do not check answers against the spec (faults that break it on purpose). */
  gboolean       skip_schema;
  /* Cancel a request after this many ms (0: wait up to 10 s). */
  guint          cancel_after_ms;
} SimFixture;

/* g_test_init() with isolated dirs, and direct connections (see the .c). */
void         sim_test_init          (int           *argc,
                                     char        ***argv);

/* A SoupSession that never looks up a proxy. */
SoupSession *sim_new_session        (void);

/* The spec checker, loaded once from the build directory. */
KlSchemaCheck *sim_schema           (void);

void         sim_fixture_setup      (SimFixture    *fixture,
                                     gconstpointer  data);
void         sim_fixture_teardown   (SimFixture    *fixture,
                                     gconstpointer  data);

/* Sends a request and waits for the answer. Every answer from /api/atlas/v2 is validated
 * against the spec (media type and schema) before it is returned. @version NULL: no Accept. */
SimResponse *sim_request            (SimFixture    *fixture,
                                     const char    *method,
                                     const char    *path,
                                     const char    *accept,
                                     const char    *content_type,
                                     const char    *body);
SimResponse *sim_get                (SimFixture    *fixture,
                                     const char    *path,
                                     const char    *version);
/* Sends @json with Accept and Content-Type application/vnd.atlas.@version+json. */
SimResponse *sim_send               (SimFixture    *fixture,
                                     const char    *method,
                                     const char    *path,
                                     const char    *version,
                                     const char    *json);
/* Control API (/__sim/...): JSON in and out, no auth. */
SimResponse *sim_control            (SimFixture    *fixture,
                                     const char    *method,
                                     const char    *path,
                                     const char    *json);

/* Asserts a successful answer with the vendor type of @version;charset=utf-8. */
void         sim_assert_ok          (SimResponse   *response,
                                     guint          status,
                                     const char    *version);
/* Asserts an Atlas error: status, X-Error-Code, application/json and the five members. */
void         sim_assert_error       (SimResponse   *response,
                                     guint          status,
                                     const char    *error_code);
/* Asserts the 401 Atlas really sends: {"error": 401, "reason", "detail"}, no errorCode, no
 * X-Error-Code header (shared/atlas/README-errors.md). */
void         sim_assert_unauthorized (SimResponse  *response);

JsonObject  *sim_object             (SimResponse   *response);
const char  *sim_member_string      (SimResponse   *response,
                                     const char    *member);

/* Waits (on the main loop, with a deadline) until @condition holds, polling every few ms. */
gboolean     sim_poll_until         (gboolean     (*condition) (gpointer user_data),
                                     gpointer       user_data,
                                     guint          timeout_ms);

/* Enables CMK with valid made-up Azure values in @group_id (vault "klsimvault"), optionally
 * with requirePrivateNetworking. Asserts success. */
void         sim_enable_cmk         (SimFixture    *fixture,
                                     const char    *group_id,
                                     gboolean       require_private_networking);
/* Creates an endpoint in @region and returns its id (asserts 202). */
char        *sim_create_endpoint    (SimFixture    *fixture,
                                     const char    *group_id,
                                     const char    *region);
/* The endpoint's status, or NULL when it is gone (404). */
char        *sim_endpoint_status    (SimFixture    *fixture,
                                     const char    *group_id,
                                     const char    *endpoint_id);

/* "Basic <base64 id:secret>". */
char        *sim_basic_header       (const char    *client_id,
                                     const char    *secret);
/* POSTs an OAuth form to @path with @authorization (raw header, nullable). */
SimResponse *sim_oauth_post         (SimFixture    *fixture,
                                     const char    *path,
                                     const char    *authorization,
                                     const char    *content_type,
                                     const char    *form);
/* Switches @fixture from Digest to a service-account bearer token: one round trip a call. */
void         sim_use_token          (SimFixture    *fixture);

G_END_DECLS
