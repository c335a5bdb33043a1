/* kl-setup-answers.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-setup-answers"

#include "config.h"

#include <string.h>

#include "kl-setup-answers.h"

/* What the user answered on the input pages, for the review page and the Atlas PATCH.
 * Values are stored as the pages give them (validated, normalised). The client secret lives
 * only here: it is write-only as a property (a GValue copy could not be wiped) and its
 * memory is zeroed when replaced and on dispose. */

enum {
  PROP_0,
  PROP_AZURE_ENVIRONMENT,
  PROP_TENANT_ID,
  PROP_CLIENT_ID,
  PROP_SUBSCRIPTION_ID,
  PROP_RESOURCE_GROUP,
  PROP_KEY_VAULT_NAME,
  PROP_KEY_IDENTIFIER,
  /* not plain strings */
  PROP_CLIENT_SECRET,
  PROP_HAS_CLIENT_SECRET,
  N_PROPS
};

#define N_STRINGS PROP_CLIENT_SECRET

struct _KlSetupAnswers
{
  GObject  parent_instance;

  char    *strings[N_STRINGS];  /* indexed by property id */
  char    *client_secret;
};

G_DEFINE_FINAL_TYPE (KlSetupAnswers, kl_setup_answers, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char **str)
{
  if (*str == NULL)
    return;

  explicit_bzero (*str, strlen (*str));
  g_clear_pointer (str, g_free);
}

static const char *
get_string (KlSetupAnswers *self,
            guint           prop_id)
{
  g_assert (prop_id > PROP_0 && prop_id < N_STRINGS);

  return self->strings[prop_id];
}

static void
set_string (KlSetupAnswers *self,
            guint           prop_id,
            const char     *value)
{
  g_assert (prop_id > PROP_0 && prop_id < N_STRINGS);

  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (self->strings[prop_id], value) == 0)
    return;

  g_free (self->strings[prop_id]);
  self->strings[prop_id] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
kl_setup_answers_dispose (GObject *object)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  wipe_string (&self->client_secret);

  G_OBJECT_CLASS (kl_setup_answers_parent_class)->dispose (object);
}

static void
kl_setup_answers_finalize (GObject *object)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);

  G_OBJECT_CLASS (kl_setup_answers_parent_class)->finalize (object);
}

static void
kl_setup_answers_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  switch (prop_id)
    {
    case PROP_AZURE_ENVIRONMENT:
    case PROP_TENANT_ID:
    case PROP_CLIENT_ID:
    case PROP_SUBSCRIPTION_ID:
    case PROP_RESOURCE_GROUP:
    case PROP_KEY_VAULT_NAME:
    case PROP_KEY_IDENTIFIER:
      g_value_set_string (value, get_string (self, prop_id));
      break;

    case PROP_HAS_CLIENT_SECRET:
      g_value_set_boolean (value, kl_setup_answers_get_has_client_secret (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_setup_answers_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  switch (prop_id)
    {
    case PROP_AZURE_ENVIRONMENT:
    case PROP_TENANT_ID:
    case PROP_CLIENT_ID:
    case PROP_SUBSCRIPTION_ID:
    case PROP_RESOURCE_GROUP:
    case PROP_KEY_VAULT_NAME:
    case PROP_KEY_IDENTIFIER:
      set_string (self, prop_id, g_value_get_string (value));
      break;

    case PROP_CLIENT_SECRET:
      kl_setup_answers_set_client_secret (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_setup_answers_class_init (KlSetupAnswersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kl_setup_answers_dispose;
  object_class->finalize = kl_setup_answers_finalize;
  object_class->get_property = kl_setup_answers_get_property;
  object_class->set_property = kl_setup_answers_set_property;

  /* "AZURE", "AZURE_CHINA" or "AZURE_US_GOVERNMENT" */
  properties[PROP_AZURE_ENVIRONMENT] =
    g_param_spec_string ("azure-environment", NULL, NULL, NULL, flags);
  properties[PROP_TENANT_ID] =
    g_param_spec_string ("tenant-id", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  properties[PROP_SUBSCRIPTION_ID] =
    g_param_spec_string ("subscription-id", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE_GROUP] =
    g_param_spec_string ("resource-group", NULL, NULL, NULL, flags);
  properties[PROP_KEY_VAULT_NAME] =
    g_param_spec_string ("key-vault-name", NULL, NULL, NULL, flags);
  properties[PROP_KEY_IDENTIFIER] =
    g_param_spec_string ("key-identifier", NULL, NULL, NULL, flags);

  /**
   * KlSetupAnswers:client-secret:
   * Write-only: read it with kl_setup_answers_get_client_secret(), which hands out no copy.
   * Watch #KlSetupAnswers:has-client-secret for changes.
   */
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAS_CLIENT_SECRET] =
    g_param_spec_boolean ("has-client-secret", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_setup_answers_init (KlSetupAnswers *self)
{
  self->strings[PROP_AZURE_ENVIRONMENT] = g_strdup ("AZURE");
}

KlSetupAnswers *
kl_setup_answers_new (void)
{
  return g_object_new (KL_TYPE_SETUP_ANSWERS, NULL);
}

#define DEFINE_STRING_ACCESSORS(name, PROP)                                     \
const char *                                                                    \
kl_setup_answers_get_##name (KlSetupAnswers *self)                              \
{                                                                               \
  g_return_val_if_fail (KL_IS_SETUP_ANSWERS (self), NULL);                      \
  return get_string (self, PROP);                                               \
}                                                                               \
                                                                                \
void                                                                            \
kl_setup_answers_set_##name (KlSetupAnswers *self,                              \
                             const char     *value)                             \
{                                                                               \
  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));                                \
  set_string (self, PROP, value);                                               \
}

DEFINE_STRING_ACCESSORS (azure_environment, PROP_AZURE_ENVIRONMENT)
DEFINE_STRING_ACCESSORS (tenant_id, PROP_TENANT_ID)
DEFINE_STRING_ACCESSORS (client_id, PROP_CLIENT_ID)
DEFINE_STRING_ACCESSORS (subscription_id, PROP_SUBSCRIPTION_ID)
DEFINE_STRING_ACCESSORS (resource_group, PROP_RESOURCE_GROUP)
DEFINE_STRING_ACCESSORS (key_vault_name, PROP_KEY_VAULT_NAME)
DEFINE_STRING_ACCESSORS (key_identifier, PROP_KEY_IDENTIFIER)

/**
 * kl_setup_answers_get_client_secret:
 *
 * Returns: (nullable): the secret; do not keep or log it
 */
const char *
kl_setup_answers_get_client_secret (KlSetupAnswers *self)
{
  g_return_val_if_fail (KL_IS_SETUP_ANSWERS (self), NULL);

  return self->client_secret;
}

void
kl_setup_answers_set_client_secret (KlSetupAnswers *self,
                                    const char     *client_secret)
{
  gboolean had;

  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));

  if (client_secret != NULL && *client_secret == '\0')
    client_secret = NULL;

  if (g_strcmp0 (self->client_secret, client_secret) == 0)
    return;

  had = self->client_secret != NULL;
  wipe_string (&self->client_secret);
  self->client_secret = g_strdup (client_secret);

  if (had != (self->client_secret != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CLIENT_SECRET]);
}

gboolean
kl_setup_answers_get_has_client_secret (KlSetupAnswers *self)
{
  g_return_val_if_fail (KL_IS_SETUP_ANSWERS (self), FALSE);

  return self->client_secret != NULL;
}

/**
 * kl_setup_answers_clear_client_secret:
 *
 * Wipes the secret once it has been sent (or the flow is abandoned).
 */
void
kl_setup_answers_clear_client_secret (KlSetupAnswers *self)
{
  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));

  kl_setup_answers_set_client_secret (self, NULL);
}
