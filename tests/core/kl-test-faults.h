/* kl-test-faults.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "kl-atlas-client.h"
#include "kl-error.h"
#include "kl-sim.h"
#include "kl-test-utils.h"

G_BEGIN_DECLS

/* The fault matrix: every operation the flows use, against every way a server or a network
 * can fail. One case = one operation under one fault, on its own simulator with its own
 * clients; the cases of one fault run side by side. For each case:
 *  - it ends (every wait has a deadline), well before the deadline;
 *  - the result is the one expected: a value that is right, or the specific GError, whose
 *    message is non-empty UTF-8 and not the server's own text;
 *  - once the faults are cleared, the state read back is what the server really did (a
 *    write that failed before it was processed did not happen, one that failed after did),
 *    and no region has two private endpoints.
 * A failed check does not stop the other cases: it is reported (as a TAP comment) and fails
 * the test at the end. Each program (tests/core/test-faults-*.c) runs some of the faults, and
 * its last line is "# faults tried: N, handled: N" (build-aux/run-tests.sh adds them up).
 * kl-test-faults.c runs the cases; kl-test-faults-expect.c says what each fault does to the
 * server and what each case must end with, and checks it. */

#define API_PUBLIC_KEY  "klfaultpub"
#define API_PRIVATE_KEY "7c1f3e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
#define SA_CLIENT_ID    "mdb_sa_id_65f000000000000000fa0017"
#define SA_SECRET       "mdb_sa_sk_fault-suite-made-up-secret"

#define GROUP          KL_SIM_GROUP_READY
#define REGION         "US_EAST_2"
#define CLUSTER        "payments-us"
#define GROUP_PATH     "/api/atlas/v2/groups/" GROUP
#define EAR_PATH       GROUP_PATH "/encryptionAtRest"
#define ENDPOINTS_PATH EAR_PATH "/AZURE/privateEndpoints"
#define CLUSTERS_PATH  GROUP_PATH "/clusters"
#define CLUSTER_PATH   CLUSTERS_PATH "/" CLUSTER
#define SEEDED_PROJECTS 16

/* Every wait's deadline, and what a case may take: well before it (both scaled by
 * kl_test_time_scale ()). */
#define DEADLINE_MS 15000
#define BUDGET_MS    6000
/* The client under test: small, so that retries and timeouts are quick. */
#define MAX_ATTEMPTS  3
#define BASE_DELAY_MS 1
#define MAX_DELAY_MS  20
#define TIMEOUT_S     1
/* A handshake that fails must fail as such, however slow the machine (see FAULT_TLS). */
#define TLS_TIMEOUT_S 10

/* The largest answer the client is expected to read, and the one it is sent. */
#define HUGE_BYTES (50 * 1024 * 1024)

#define UNKNOWN_ENUM "SOMETHING_NEW"
#define HOSTILE_TEXT "%s%n%x%p%%%1$s <b>bold</b> &amp; & <script>alert(1)</script> \\u0000"

/* ------------------------------------------------------------------------------------------ */
/* Operations                                                                                  */

typedef enum
{
  OP_TOKEN,
  OP_LIST_PROJECTS,
  OP_GET_PROJECT,
  OP_GET_EAR,
  OP_PATCH_EAR,
  OP_LIST_ENDPOINTS,
  OP_GET_ENDPOINT,
  OP_ENSURE_ENDPOINT,
  OP_DELETE_ENDPOINT,
  OP_LIST_CLUSTERS,
  OP_GET_CLUSTER,
  OP_PATCH_CLUSTER,
  N_OPS
} Op;

typedef enum
{
  OP_READ    = 1 << 0,
  OP_WRITE   = 1 << 1, /* changes the server's state: read back whether it happened */
  OP_LIST    = 1 << 2, /* paginated (ENSURE lists first) */
  OP_RETRIED = 1 << 3, /* the client repeats it on 5xx and broken connections */
  OP_CMK     = 1 << 4, /* needs CMK with private networking set up first */
  OP_HAS_EP  = 1 << 5, /* needs an endpoint in REGION first */
  OP_EAR_ON  = 1 << 6, /* needs CMK (without private networking) first */
} OpFlags;

typedef struct
{
  const char *name;
  const char *method;  /* of the request the fault aims at */
  const char *path;    /* NULL: the endpoint's own path */
  OpFlags     flags;
} OpInfo;

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                      */

typedef enum
{
  F_429_WAIT,         /* 429 with Retry-After beyond the client's cap */
  F_429_NO_WAIT,      /* 429 without Retry-After, every time */
  F_429_ONCE,         /* 429 without Retry-After, once: repeated */
  F_500,
  F_502,
  F_503,
  F_500_ONCE,
  F_500_AFTER,        /* once, after the request took effect */
  F_DROP,             /* connection reset, every time */
  F_DROP_ONCE,
  F_DROP_AFTER,       /* once, after the request took effect */
  F_REFUSED,          /* a port nobody listens on */
  F_DNS,              /* a host under .invalid */
  F_TLS_PLAIN,        /* https:// to a port that speaks plain HTTP */
  F_TLS_SELF_SIGNED,  /* https:// to a server with a self-signed certificate */
  F_STALL_CANCEL,     /* no answer; the caller cancels */
  F_STALL_TIMEOUT,    /* no answer; the client's timeout */
  F_MALFORMED,        /* truncated JSON */
  F_MALFORMED_AFTER,  /* the real answer cut in half, once */
  F_WRONG_SHAPE,      /* valid JSON, wrong types */
  F_UNKNOWN_ENUM,     /* enum values this version does not know */
  F_HUGE,             /* 50 MB, with Content-Length */
  F_HUGE_CHUNKED,     /* 50 MB, chunked */
  F_LYING_TOTAL,      /* pages promise more than exist, totalCount lies */
  F_NEXT_FOREVER,     /* the same page with a next link, for ever */
  F_HOSTILE,          /* an error whose text holds printf directives and markup */
  F_DEEP_NESTING,     /* 200000 nested arrays: a parser that recurses would overflow */
  N_FAULTS
} Fault;

typedef enum
{
  FAULT_TRANSPORT  = 1 << 0, /* the client talks to a broken address, not to the simulator */
  FAULT_SEQUENTIAL = 1 << 1, /* one case at a time (memory is measured) */
  FAULT_TLS        = 1 << 2, /* a TLS handshake: seconds of CPU under ASan's slow unwinding,
                              * so one at a time, with a timeout that is not the point */
} FaultFlags;

typedef struct
{
  const char *name;
  FaultFlags  flags;
} FaultInfo;

/* What a case must end with. */
typedef enum
{
  APPLIED_NA,   /* a read: nothing to check */
  APPLIED_NO,
  APPLIED_YES,
} Applied;

typedef struct
{
  gboolean  na;          /* the fault does not apply to the operation */
  gboolean  success;
  GQuark    domain;
  gint      code;
  Applied   applied;
} Expect;

/* ------------------------------------------------------------------------------------------ */
/* A case                                                                                      */

typedef struct
{
  Op              op;
  Fault           fault;
  Expect          expect;

  KlSim          *sim;
  KlAtlasClient  *admin;        /* set-up and read-back: service account, no faults */
  KlAtlasClient  *client;       /* the one under test */
  GCancellable   *cancellable;
  SoupServer     *tls_server;   /* F_TLS_SELF_SIGNED */
  GSocketService *plain_server; /* F_TLS_PLAIN */
  GSocket        *refusing_socket; /* F_REFUSED */
  char           *endpoint_id;  /* OP_HAS_EP */
  char           *endpoint_path;

  GAsyncResult   *result;
  gboolean        cancelled;
  gint64          started_us;
  gint64          finished_us;

  guint           failures;
} Case;

#define CHECK(c, cond) \
  G_STMT_START { if (!(cond)) case_fail ((c), "%s (line %d)", #cond, __LINE__); } G_STMT_END

/* kl-test-faults.c */
extern const OpInfo ops[N_OPS];

void case_fail (Case       *c,
                const char *format,
                ...) G_GNUC_PRINTF (2, 3);

void store_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data);

/* Waits for a result of a set-up or read-back call: a missed deadline fails the case. */
GAsyncResult *wait_result (Case          *c,
                           GAsyncResult **result);

GTlsCertificate *test_certificate (void);

/* kl-test-faults-expect.c */
GBytes *enable_body (void);

KlEncryptionAtRest *admin_patch_ear (Case    *c,
                                     GBytes  *body,
                                     GError **error);

KlPrivateEndpoint *admin_ensure_endpoint (Case    *c,
                                          GError **error);

Expect expectation (Op    op,
                    Fault fault);

/* The rule for @c's fault, aimed at its operation's request; NULL for transport faults. */
char *fault_rule (Case *c);

const char *endpoint_id (gpointer item);

/* Finishes the operation; returns a short name of what it ended with, for the matrix. */
char *check_result (Case *c);

/* After the faults are cleared: the server's state is what it really did. */
void check_read_back (Case *c);

/* The programs' side (kl-test-faults.c). */
void kl_test_faults_init   (int          *argc,
                            char       ***argv);
/* Adds the test /faults/<name> of each of @tested: every operation under that fault. */
void kl_test_faults_add    (const Fault  *tested,
                            guint         n_tested);
/* The matrix of the faults added, then "# faults tried: N, handled: N". */
void kl_test_faults_report (void);

G_END_DECLS
