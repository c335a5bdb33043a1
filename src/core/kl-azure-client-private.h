/* kl-azure-client-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "kl-azure-client.h"

G_BEGIN_DECLS

/* What the parts of KlAzureClient share: kl-azure-client.c (the object, its settings,
 * sign-in), kl-azure-request.c (one call: message, retries, deadline), kl-azure-token.c (the
 * identity platform's tokens) and kl-azure-calls.c (the ARM and Key Vault calls). */

#define MEDIA_JSON "application/json"
#define MEDIA_FORM "application/x-www-form-urlencoded"

#define TOKEN_MARGIN_SECONDS   60
#define MAX_BODY_BYTES         (4 * 1024 * 1024)
#define DEFAULT_MAX_ATTEMPTS   4
#define DEFAULT_BASE_DELAY_MS  1000
#define DEFAULT_MAX_DELAY_MS   30000
#define DEFAULT_DEADLINE_S     60
#define DEFAULT_TIMEOUT_S      30
#define DEFAULT_DESCRIPTION    "Approved by Keylink for MongoDB Atlas"

typedef struct
{
  char    *token;       /* zeroed when dropped */
  gint64   expiry;      /* monotonic µs */
  guint    generation;
  gboolean in_flight;
  GQueue   waiters;     /* GTask*, each owning a ref */
} KlAzureTokenSlot;

struct _KlAzureClient
{
  GObject       parent_instance;

  SoupSession  *session;
  GCancellable *cancellable;   /* the client's own calls (tokens); cancelled on dispose */
  KlAzureCloud  cloud;
  char         *tenant_id;
  char         *client_id;
  char         *secret;        /* zeroed at finalize */
  char         *login_url;
  char         *arm_url;
  char         *vault_template;  /* nullable: https://{vault}.{suffix} */
  KlAzureTokenSlot     tokens[2];     /* KlAzureResource */

  guint         max_attempts;
  guint         base_delay_ms;
  guint         max_delay_ms;
  guint         deadline_s;
};

typedef enum
{
  KL_AZURE_REQUEST_IDEMPOTENT    = 1 << 0,  /* repeat on 5xx and broken connections */
  KL_AZURE_REQUEST_SECRET_ANSWER = 1 << 1,  /* a token answer: its buffer is wiped */
} KlAzureRequestFlags;

typedef struct
{
  KlAzureOperation  operation;
  const char       *method;
  char             *url;
  GBytes           *body;          /* nullable; the token form wipes itself */
  const char       *content_type;
  KlAzureRequestFlags flags;
  int               resource;      /* KlAzureResource of the bearer token, -1: none */
  gboolean          token_renewed;
  guint             token_generation;
  guint             attempt;       /* 1-based */
  gint64            deadline_us;   /* monotonic */
  GCancellable     *cancellable;   /* this call's: the caller's and the deadline cancel it */
  gulong            cancelled_id;
  GSource          *deadline;
  gboolean          deadline_passed;
  SoupMessage      *message;
  GSource          *delay;
  /* what messages quote */
  KlAzureErrorContext context;
  char             *subscription_id;
  char             *resource_group;
  char             *vault_name;
  char             *key_name;
  char             *connection_name;
} KlAzureRequest;

/* Zeroes and frees. */
void            kl_azure_secret_free       (char                *secret);
void            kl_azure_bytes_wipe_free   (GBytes              *bytes);

/* One call. @url is taken; @resource: the KlAzureResource of its bearer token, -1 for none. */
KlAzureRequest *kl_azure_request_new       (KlAzureClient       *self,
                                            KlAzureOperation     operation,
                                            const char          *method,
                                            char                *url,
                                            int                  resource,
                                            KlAzureRequestFlags  flags);
/* What its error messages quote (each nullable). */
void            kl_azure_request_set_names (KlAzureRequest      *request,
                                            const char          *subscription_id,
                                            const char          *resource_group,
                                            const char          *vault_name,
                                            const char          *key_name,
                                            const char          *connection_name);
/* Sends @request (taken); the task's result is the answer's body (GBytes). */
void            kl_azure_request_send      (KlAzureClient       *self,
                                            KlAzureRequest      *request,
                                            gpointer             source_tag,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* Tokens (kl-azure-token.c): drops the one held for @resource; gets one (or uses the one
 * held), a boolean task. */
void            kl_azure_token_forget      (KlAzureClient       *self,
                                            int                  resource);
void            kl_azure_token_get_async   (KlAzureClient       *self,
                                            int                  resource,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

G_END_DECLS
