/* kl-sim-auth.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The two ways into the simulated Atlas Admin API: API keys with HTTP Digest (realm
 * "MMS Public API", qop auth, MD5) and service accounts with OAuth 2 client-credentials tokens
 * (POST /api/oauth/token, POST /api/oauth/revoke). */

#define KL_SIM_DIGEST_REALM     "MMS Public API"
#define KL_SIM_MAX_LIVE_TOKENS  100

typedef struct _KlSimAuth KlSimAuth;

KlSimAuth *kl_sim_auth_new                  (void);
void       kl_sim_auth_free                 (KlSimAuth         *auth);
void       kl_sim_auth_add_api_key          (KlSimAuth         *auth,
                                             const char        *public_key,
                                             const char        *private_key);
void       kl_sim_auth_add_service_account  (KlSimAuth         *auth,
                                             const char        *client_id,
                                             const char        *client_secret);
void       kl_sim_auth_set_token_lifetime   (KlSimAuth         *auth,
                                             guint              seconds);
typedef enum
{
  KL_SIM_AUTH_OK,
  KL_SIM_AUTH_DENIED,
  KL_SIM_AUTH_STALE,  /* right Digest credentials, but a nonce already used or never issued */
} KlSimAuthResult;

/* Whether @msg carries valid Digest credentials with a fresh nonce, or a live bearer token. */
KlSimAuthResult kl_sim_auth_check          (KlSimAuth         *auth,
                                             SoupServerMessage *msg);
/* Sets 401 and adds a Digest challenge with a new single-use nonce. */
void       kl_sim_auth_challenge            (KlSimAuth         *auth,
                                             SoupServerMessage *msg,
                                             gboolean           stale);
void       kl_sim_auth_handle_token         (KlSimAuth         *auth,
                                             SoupServerMessage *msg);
void       kl_sim_auth_handle_revoke        (KlSimAuth         *auth,
                                             SoupServerMessage *msg);

G_END_DECLS
