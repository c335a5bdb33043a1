/* kl-context.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-context"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-context.h"
#include "kl-error.h"
#include "kl-enums.h"

/* What every page of a window shares (GNOME Calendar's GcalContext): the session (client,
 * project, state and plan), the answers, the saved profiles, the settings, whether this is
 * the demo, the Atlas address to sign in to, and the window's cancellable, which is
 * cancelled when the window closes. Pages get it at construction (KlPage:context) and
 * follow its notifications; nothing is pushed to them afterwards.
 *
 * Session, answers, credentials, cancellable and flow are set before the pages are built;
 * settings, demo, base URL, keyring availability and the teardown kind may come later and are
 * notified. */

struct _KlContext
{
  GObject         parent_instance;

  KlSession      *session;
  KlSetupAnswers *answers;
  KlCredentials  *credentials;
  GCancellable   *cancellable;
  KlFlow         *flow;
  GSettings      *settings;
  char           *base_url;
  char           *azure_login_url;
  char           *azure_arm_url;
  char           *azure_vault_url_template;
  gboolean        demo;
  gboolean        keyring_available;
  KlTeardownKind  teardown_kind;
};

G_DEFINE_FINAL_TYPE (KlContext, kl_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DEMO,
  PROP_BASE_URL,
  PROP_KEYRING_AVAILABLE,
  PROP_TEARDOWN_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kl_context_finalize (GObject *object)
{
  KlContext *self = KL_CONTEXT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->answers);
  g_clear_object (&self->credentials);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->flow);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->azure_login_url, g_free);
  g_clear_pointer (&self->azure_arm_url, g_free);
  g_clear_pointer (&self->azure_vault_url_template, g_free);

  G_OBJECT_CLASS (kl_context_parent_class)->finalize (object);
}

static void
kl_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlContext *self = KL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_KEYRING_AVAILABLE:
      g_value_set_boolean (value, self->keyring_available);
      break;

    case PROP_TEARDOWN_KIND:
      g_value_set_enum (value, self->teardown_kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KlContext *self = KL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      kl_context_set_settings (self, g_value_get_object (value));
      break;

    case PROP_DEMO:
      kl_context_set_demo (self, g_value_get_boolean (value));
      break;

    case PROP_BASE_URL:
      kl_context_set_base_url (self, g_value_get_string (value));
      break;

    case PROP_KEYRING_AVAILABLE:
      kl_context_set_keyring_available (self, g_value_get_boolean (value));
      break;

    case PROP_TEARDOWN_KIND:
      kl_context_set_teardown_kind (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_context_class_init (KlContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_context_finalize;
  object_class->get_property = kl_context_get_property;
  object_class->set_property = kl_context_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlContext:demo:
   * Whether the window runs the demo (the simulator in this process, no keyring).
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlContext:base-url:
   * The Atlas address given on the command line, or %NULL for the service the user picks.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlContext:keyring-available:
   * %FALSE once listing the saved profiles found no Secret Service at all.
   */
  properties[PROP_KEYRING_AVAILABLE] =
    g_param_spec_boolean ("keyring-available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlContext:teardown-kind:
   * What the teardown the user chose on the Project page turns off (win.start-flow sets it;
   * the Teardown page follows it).
   */
  properties[PROP_TEARDOWN_KIND] =
    g_param_spec_enum ("teardown-kind", NULL, NULL,
                       KL_TYPE_TEARDOWN_KIND, KL_TEARDOWN_PRIVATE_NETWORKING,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlContext::toast:
   * @text: what to say
   *
   * A page asks the window to show a short message (kl_context_add_toast()).
   */
  signals[TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kl_context_init (KlContext *self)
{
  self->keyring_available = TRUE;
}

/**
 * kl_context_new:
 * @session: (nullable): the session the pages share
 * @answers: (nullable): the setup's answers
 */
KlContext *
kl_context_new (KlSession      *session,
                KlSetupAnswers *answers)
{
  KlContext *self;

  g_return_val_if_fail (!session || KL_IS_SESSION (session), NULL);
  g_return_val_if_fail (!answers || KL_IS_SETUP_ANSWERS (answers), NULL);

  self = g_object_new (KL_TYPE_CONTEXT, NULL);
  g_set_object (&self->session, session);
  g_set_object (&self->answers, answers);
  return self;
}

/**
 * kl_context_get_session:
 *
 * Returns: (transfer none) (nullable): the signed-in client, the chosen project and its state
 */
KlSession *
kl_context_get_session (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->session;
}

/**
 * kl_context_get_answers:
 *
 * Returns: (transfer none) (nullable): what the user answered on the setup pages
 */
KlSetupAnswers *
kl_context_get_answers (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->answers;
}

/**
 * kl_context_get_credentials:
 *
 * Returns: (transfer none) (nullable): the saved profiles
 */
KlCredentials *
kl_context_get_credentials (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->credentials;
}

void
kl_context_set_credentials (KlContext     *self,
                            KlCredentials *credentials)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  g_set_object (&self->credentials, credentials);
}

/**
 * kl_context_get_cancellable:
 *
 * Returns: (transfer none) (nullable): cancelled when the window closes
 */
GCancellable *
kl_context_get_cancellable (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->cancellable;
}

void
kl_context_set_cancellable (KlContext    *self,
                            GCancellable *cancellable)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  g_set_object (&self->cancellable, cancellable);
}

/**
 * kl_context_get_flow:
 *
 * Returns: (transfer none) (nullable): the flow of the window's assistant; %NULL for a page
 *   outside a window
 */
KlFlow *
kl_context_get_flow (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->flow;
}

void
kl_context_set_flow (KlContext *self,
                     KlFlow    *flow)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  g_set_object (&self->flow, flow);
}

/**
 * kl_context_get_settings:
 *
 * Returns: (transfer none) (nullable): the application's settings
 */
GSettings *
kl_context_get_settings (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->settings;
}

void
kl_context_set_settings (KlContext *self,
                         GSettings *settings)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  if (g_set_object (&self->settings, settings))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

/**
 * kl_context_get_saved_settings:
 *
 * Returns: (transfer none) (nullable): the settings, unless this is the demo
 */
GSettings *
kl_context_get_saved_settings (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->demo ? NULL : self->settings;
}

gboolean
kl_context_get_demo (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), FALSE);

  return self->demo;
}

void
kl_context_set_demo (KlContext *self,
                     gboolean   demo)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  if (self->demo == !!demo)
    return;

  self->demo = !!demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

const char *
kl_context_get_base_url (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  return self->base_url;
}

void
kl_context_set_base_url (KlContext  *self,
                         const char *base_url)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

gboolean
kl_context_get_keyring_available (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), TRUE);

  return self->keyring_available;
}

void
kl_context_set_keyring_available (KlContext *self,
                                  gboolean   available)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  if (self->keyring_available == !!available)
    return;

  self->keyring_available = !!available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_AVAILABLE]);
}

KlTeardownKind
kl_context_get_teardown_kind (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), KL_TEARDOWN_PRIVATE_NETWORKING);

  return self->teardown_kind;
}

void
kl_context_set_teardown_kind (KlContext      *self,
                              KlTeardownKind  kind)
{
  g_return_if_fail (KL_IS_CONTEXT (self));
  g_return_if_fail (kind == KL_TEARDOWN_PRIVATE_NETWORKING || kind == KL_TEARDOWN_CMK);

  if (self->teardown_kind == kind)
    return;

  self->teardown_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEARDOWN_KIND]);
}

/**
 * kl_context_set_azure_endpoints:
 * @login_url: (nullable): the identity platform's base URL
 * @arm_url: (nullable): Azure Resource Manager's
 * @vault_url_template: (nullable): the Key Vault data plane's, holding "{vault}"
 *
 * Set before the pages ask for a client (tests; the demo, from its Azure simulator).
 */
void
kl_context_set_azure_endpoints (KlContext  *self,
                                const char *login_url,
                                const char *arm_url,
                                const char *vault_url_template)
{
  g_return_if_fail (KL_IS_CONTEXT (self));

  g_free (self->azure_login_url);
  self->azure_login_url = g_strdup (login_url);
  g_free (self->azure_arm_url);
  self->azure_arm_url = g_strdup (arm_url);
  g_free (self->azure_vault_url_template);
  self->azure_vault_url_template = g_strdup (vault_url_template);
}

gboolean
kl_context_get_has_azure_endpoints (KlContext *self)
{
  g_return_val_if_fail (KL_IS_CONTEXT (self), FALSE);

  return self->azure_login_url != NULL || self->azure_arm_url != NULL ||
         self->azure_vault_url_template != NULL;
}

/**
 * kl_context_create_azure_client:
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with @error set (a malformed ID,
 *   no secret, or an override that is not on this computer)
 */
KlAzureClient *
kl_context_create_azure_client (KlContext    *self,
                                KlAzureCloud  cloud,
                                const char   *tenant_id,
                                const char   *client_id,
                                const char   *client_secret,
                                GError      **error)
{
  g_autoptr(KlAzureClient) client = NULL;

  g_return_val_if_fail (KL_IS_CONTEXT (self), NULL);

  /* The demo's values are made up: they never go to the real Azure. */
  if (self->demo && !kl_context_get_has_azure_endpoints (self))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This demo has no Azure to check against."));
      return NULL;
    }

  client = kl_azure_client_new (cloud, tenant_id, client_id, client_secret, error);
  if (client == NULL)
    return NULL;

  if (kl_context_get_has_azure_endpoints (self) &&
      !kl_azure_client_set_endpoints (client, self->azure_login_url, self->azure_arm_url,
                                      self->azure_vault_url_template, error))
    return NULL;

  return g_steal_pointer (&client);
}

/**
 * kl_context_add_toast:
 * @text: a short message, translated
 *
 * Asks the window to show @text for a moment (#KlContext::toast); without a window, nothing.
 */
void
kl_context_add_toast (KlContext  *self,
                      const char *text)
{
  g_return_if_fail (KL_IS_CONTEXT (self));
  g_return_if_fail (text != NULL);

  g_signal_emit (self, signals[TOAST], 0, text);
}
