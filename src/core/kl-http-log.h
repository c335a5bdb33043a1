/* kl-http-log.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* HTTP traffic in the debug log (G_MESSAGES_DEBUG=kl-http-log or all), after GNOME Online
 * Accounts' goasouplogger: a SoupLogger whose printer hands each line, redacted, to g_debug.
 *
 * Redaction (pure, line by line, with a little state carried between the lines of one
 * message) removes:
 *  - the values of the Authorization, Proxy-Authorization, Cookie and Set-Cookie headers,
 *    and anything after "Bearer " / "Basic " / "Digest ";
 *  - JSON string values whose key names a secret: any key containing "secret", "password",
 *    "passwd", "token" (but token_type), "privatekey"/"private_key", "apikey"/"api_key",
 *    compared without case, "_" or "-" — also when the value is on the next line or cut off;
 *  - every value of a form body (application/x-www-form-urlencoded: the token request and
 *    the revocation), but grant_type, token_type_hint and scope; and secret-named parameters
 *    of query strings;
 *  - PEM private keys ("-----BEGIN … PRIVATE KEY-----" to "-----END … PRIVATE KEY-----"),
 *    on one line or across several.
 * Each redacted value reads "[REDACTED]". */

#define KL_HTTP_LOG_DOMAIN "kl-http-log"

typedef struct
{
  /*< private >*/
  guint pending_value : 1;   /* a secret key ended the previous line; its value comes next */
  guint in_private_key : 1;  /* inside a PEM private key block */
} KlHttpLogRedactor;

#define KL_HTTP_LOG_REDACTOR_INIT { 0, 0 }

/* Redacts one line (no '\n' in it), updating @redactor for the next line of the same
 * message. Returns a new string. */
char       *kl_http_log_redact_line (const char         *line,
                                     KlHttpLogRedactor  *redactor);
/* Redacts a whole text, line by line, from a fresh state. Returns a new string. */
char       *kl_http_log_redact      (const char         *text);

/* Whether debug messages of KL_HTTP_LOG_DOMAIN would be shown (G_MESSAGES_DEBUG). */
gboolean    kl_http_log_is_enabled  (void);
/* A SoupLogger (headers and bodies) printing redacted lines into g_debug. */
SoupLogger *kl_http_log_new         (void);

G_END_DECLS
