/* kl-context.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-azure-client.h"
#include "kl-credentials.h"
#include "kl-flow.h"
#include "kl-session.h"
#include "kl-setup-answers.h"
#include "kl-types.h"

G_BEGIN_DECLS

#define KL_TYPE_CONTEXT (kl_context_get_type ())

G_DECLARE_FINAL_TYPE (KlContext, kl_context, KL, CONTEXT, GObject)

KlContext      *kl_context_new                   (KlSession      *session,
                                                  KlSetupAnswers *answers);

KlSession      *kl_context_get_session           (KlContext      *self);
KlSetupAnswers *kl_context_get_answers           (KlContext      *self);
KlCredentials  *kl_context_get_credentials       (KlContext      *self);
void            kl_context_set_credentials       (KlContext      *self,
                                                  KlCredentials  *credentials);
GCancellable   *kl_context_get_cancellable       (KlContext      *self);
void            kl_context_set_cancellable       (KlContext      *self,
                                                  GCancellable   *cancellable);
KlFlow         *kl_context_get_flow              (KlContext      *self);
void            kl_context_set_flow              (KlContext      *self,
                                                  KlFlow         *flow);

GSettings      *kl_context_get_settings          (KlContext      *self);
void            kl_context_set_settings          (KlContext      *self,
                                                  GSettings      *settings);
gboolean        kl_context_get_demo              (KlContext      *self);
void            kl_context_set_demo              (KlContext      *self,
                                                  gboolean        demo);
const char     *kl_context_get_base_url          (KlContext      *self);
void            kl_context_set_base_url          (KlContext      *self,
                                                  const char     *base_url);
gboolean        kl_context_get_keyring_available (KlContext      *self);
void            kl_context_set_keyring_available (KlContext      *self,
                                                  gboolean        available);
/* What the teardown chosen on the Project page turns off. */
KlTeardownKind  kl_context_get_teardown_kind     (KlContext      *self);
void            kl_context_set_teardown_kind     (KlContext      *self,
                                                  KlTeardownKind  kind);

/* Where Azure's identity platform, ARM and Key Vault are, for tests and the demo's simulator
 * (kl_azure_client_set_endpoints (): loopback only); NULL for the cloud's own hosts. */
void            kl_context_set_azure_endpoints   (KlContext      *self,
                                                  const char     *login_url,
                                                  const char     *arm_url,
                                                  const char     *vault_url_template);
gboolean        kl_context_get_has_azure_endpoints (KlContext    *self);
/* A client for the application (kl_azure_client_new ()) that talks to the Azure of this
 * context: the cloud's hosts, or the endpoints above. */
KlAzureClient  *kl_context_create_azure_client   (KlContext      *self,
                                                  KlAzureCloud    cloud,
                                                  const char     *tenant_id,
                                                  const char     *client_id,
                                                  const char     *client_secret,
                                                  GError        **error);
/* A short message for the window to show (a toast): what a page just did. */
void            kl_context_add_toast             (KlContext      *self,
                                                  const char     *text);

/* The settings to remember things in: none in demo mode (nothing real to remember). */
GSettings      *kl_context_get_saved_settings    (KlContext      *self);

G_END_DECLS
