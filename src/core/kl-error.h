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
  KL_ERROR_API_VERSION,               /* 406 INVALID_VERSION_DATE: this build is too old */
} KlError;

GQuark kl_error_quark (void);

/* KL_ERROR is an extended error domain (g_error_domain_register): a GError built from an HTTP
 * answer carries, through g_error_copy() and GTask, the HTTP status, the Retry-After wait and
 * the Atlas error body. The accessors below read them from any GError (0 / NULL when absent),
 * so a page can show the Atlas errorCode, detail and parameters next to the translated
 * message. */

typedef struct _KlAtlasError KlAtlasError;

/* The ONE mapping from an HTTP error answer to a GError a person can act on.
 * @status: the HTTP status (>= 300); @x_error_code: the X-Error-Code header or NULL (used when
 * the body is not an Atlas error); @retry_after: the Retry-After header or NULL (seconds or an
 * HTTP date); @body: the answer's body or NULL. Never fails: an unreadable body still gives
 * the code for its status. */
GError       *kl_error_new_from_http        (guint          status,
                                             const char    *x_error_code,
                                             const char    *retry_after,
                                             GBytes        *body);
/* A transport failure (GIO, TLS, resolver, libsoup) as KL_ERROR_NETWORK / _TLS / _TIMEOUT /
 * _BAD_RESPONSE; cancellation stays G_IO_ERROR_CANCELLED. */
GError       *kl_error_new_from_transport   (const GError  *error);
/* KL_ERROR_TIMEOUT: the whole answer did not come within @seconds (a total deadline). */
GError       *kl_error_new_deadline         (guint          seconds);
/* KL_ERROR_BAD_RESPONSE: the service redirected to another origin (@origin, nullable: a
 * Location Keylink could not read), which Keylink does not follow. */
GError       *kl_error_new_redirect         (const char    *origin);
/* KL_ERROR_BAD_RESPONSE with the translated message; the technical detail goes to g_debug. */
void          kl_error_set_bad_response     (GError       **error,
                                             const char    *format,
                                             ...) G_GNUC_PRINTF (2, 3);

/* Transfer none; NULL when @error did not come from an Atlas error answer. */
KlAtlasError *kl_atlas_error_from_gerror    (const GError  *error);
/* The Atlas errorCode of @error, or NULL. */
const char   *kl_error_get_atlas_code       (const GError  *error);
guint         kl_error_get_http_status      (const GError  *error);
/* Seconds Atlas asked to wait (Retry-After on 429/503), 0 when it did not say. */
guint         kl_error_get_retry_after      (const GError  *error);
/* A KL_ERROR from an Azure answer (kl-azure-error.c makes them): @code and @message (already
 * translated) as given, with the HTTP @status, the Retry-After wait (on 429 and 503) and Azure's
 * error code (@azure_code nullable: an AADSTS number, an OAuth error or ARM's / Key Vault's
 * code). It carries no Atlas error: kl_error_get_atlas_code () is NULL. */
GError       *kl_error_new_azure            (KlError        code,
                                             guint          status,
                                             const char    *azure_code,
                                             const char    *retry_after,
                                             const char    *message);
/* The Azure error code of @error, or NULL (never an Atlas code). */
const char   *kl_error_get_azure_code       (const GError  *error);
/* Parses a Retry-After value (delay-seconds or HTTP-date) into seconds; 0 if unusable. */
guint         kl_error_parse_retry_after    (const char    *value);

G_END_DECLS
