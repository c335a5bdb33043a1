/* kl-error.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KL_ERROR (kl_error_quark ())

/**
 * KlError:
 * Every error a page may have to act on. Cancellation is G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  KL_ERROR_FAILED,                    /* anything else */
  KL_ERROR_INVALID_INPUT,             /* a value typed by the user is wrong */
  KL_ERROR_INSECURE_URL,              /* http:// to a non-loopback host */
  KL_ERROR_AUTH_FAILED,               /* 401: wrong key / secret */
  KL_ERROR_FORBIDDEN,                 /* 403: role missing */
  KL_ERROR_IP_NOT_ON_ACCESS_LIST,     /* 403 IP_ADDRESS_NOT_ON_ACCESS_LIST */
  KL_ERROR_TOO_MANY_TOKENS,           /* 403 access_denied on /api/oauth/token */
  KL_ERROR_NOT_FOUND,                 /* 404 */
  KL_ERROR_RATE_LIMITED,              /* 429, retry_after set */
  KL_ERROR_CONFLICT,                  /* 400/409 that depends on the project's state */
  KL_ERROR_INVALID_AZURE_CREDENTIALS, /* 400 INVALID_AZURE_CREDENTIALS */
  KL_ERROR_BAD_REQUEST,               /* other 400 */
  KL_ERROR_SERVER,                    /* 5xx */
  KL_ERROR_NETWORK,                   /* no route, refused, reset, DNS */
  KL_ERROR_TLS,                       /* certificate or handshake */
  KL_ERROR_TIMEOUT,                   /* no answer in time */
  KL_ERROR_BAD_RESPONSE,              /* the server's answer is not what the API promises */
  KL_ERROR_INELIGIBLE,                /* refused client-side: a documented rule forbids it */
  KL_ERROR_KEYRING_UNAVAILABLE,       /* no Secret Service */
  KL_ERROR_KEYRING_LOCKED,            /* collection locked and not unlocked */
} KlError;

GQuark kl_error_quark (void);

G_END_DECLS
