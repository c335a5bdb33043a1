/* kl-azure-check.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-azure-client.h"

G_BEGIN_DECLS

/* The Azure preflight: before Atlas is given the key, Keylink reads, with the
 * user's Azure application, what Atlas will need, and says what it found. Nothing is written
 * to Azure. Steps: a token (ARM), the vault through ARM, Microsoft.Network's registration,
 * then the key on the data plane (a Key Vault token). Each finding has a verdict:
 * PASS; WARN (works, but look); FAIL (Atlas would fail: fix it); UNKNOWN (Keylink cannot see
 * it from this computer, e.g. a vault that takes only private traffic: not a failure). */

typedef enum
{
  KL_AZURE_VERDICT_PASS,
  KL_AZURE_VERDICT_WARN,
  KL_AZURE_VERDICT_FAIL,
  KL_AZURE_VERDICT_UNKNOWN,
} KlAzureVerdict;

GType kl_azure_verdict_get_type (void) G_GNUC_CONST;
#define KL_TYPE_AZURE_VERDICT (kl_azure_verdict_get_type ())

/* Finding ids (stable: the UI and tests key on them). */
#define KL_AZURE_FINDING_SIGN_IN        "sign-in"         /* tenant, client ID, secret */
#define KL_AZURE_FINDING_VAULT          "vault"           /* exists in that subscription and resource group */
#define KL_AZURE_FINDING_ACCESS         "access"          /* RBAC or access policies: the app's permissions */
#define KL_AZURE_FINDING_NETWORK        "network"         /* public network access, firewall */
#define KL_AZURE_FINDING_CONNECTION     "connection"      /* one private endpoint connection (subject: its name) */
#define KL_AZURE_FINDING_PROVIDER       "provider"        /* Microsoft.Network registered */
#define KL_AZURE_FINDING_KEY            "key"             /* the key exists and can be read */
#define KL_AZURE_FINDING_KEY_TYPE       "key-type"        /* RSA */
#define KL_AZURE_FINDING_KEY_ENABLED    "key-enabled"
#define KL_AZURE_FINDING_KEY_DATES      "key-dates"       /* nbf, exp (48 h warning) */
#define KL_AZURE_FINDING_KEY_OPERATIONS "key-operations"  /* encrypt, decrypt allowed */

#define KL_TYPE_AZURE_FINDING (kl_azure_finding_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureFinding, kl_azure_finding, KL, AZURE_FINDING, GObject)

const char     *kl_azure_finding_get_id       (KlAzureFinding *self);
KlAzureVerdict  kl_azure_finding_get_verdict  (KlAzureFinding *self);
/* A short translated sentence: what was found. */
const char     *kl_azure_finding_get_title    (KlAzureFinding *self);
/* More about it (nullable). */
const char     *kl_azure_finding_get_detail   (KlAzureFinding *self);
/* What to do (NULL for PASS). */
const char     *kl_azure_finding_get_action   (KlAzureFinding *self);
/* What the finding is about when there can be several: the connection's name (nullable). */
const char     *kl_azure_finding_get_subject  (KlAzureFinding *self);
/* The Azure cause behind a FAIL or UNKNOWN that came from an error answer. */
KlAzureCause    kl_azure_finding_get_cause    (KlAzureFinding *self);

#define KL_TYPE_AZURE_CHECK (kl_azure_check_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureCheck, kl_azure_check, KL, AZURE_CHECK, GObject)

/* @key_version nullable (the latest). Values are checked by kl-azure-id.h's rules when the
 * check runs (a malformed one is a FAIL finding, nothing is sent for it). */
KlAzureCheck   *kl_azure_check_new            (KlAzureClient      *client,
                                               const char         *subscription_id,
                                               const char         *resource_group,
                                               const char         *vault_name,
                                               const char         *key_name,
                                               const char         *key_version);
/* Atlas's privateEndpointConnectionName of each endpoint (NULL-terminated, nullable): each
 * gets a "connection" finding. Without names, every connection of the vault gets one. */
void            kl_azure_check_set_connection_names (KlAzureCheck       *self,
                                                     const char * const *names);
/* The time the key's dates are compared with, Unix seconds (tests); 0: the clock. */
void            kl_azure_check_set_now        (KlAzureCheck       *self,
                                               gint64              unix_seconds);

/* Runs the whole check. Result: a GListModel of KlAzureFinding in a fixed order (sign-in,
 * vault, access, network, connections, provider, key…). Fails only when cancelled. */
void            kl_azure_check_run_async      (KlAzureCheck       *self,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
GListModel     *kl_azure_check_run_finish     (KlAzureCheck       *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* The finding @id (and @subject, nullable) in @findings, or NULL. Transfer none. */
KlAzureFinding *kl_azure_findings_lookup      (GListModel         *findings,
                                               const char         *id,
                                               const char         *subject);

G_END_DECLS
