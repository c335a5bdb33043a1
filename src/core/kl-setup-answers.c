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
 * memory is zeroed when replaced and on dispose.
 *
 * The draft: what the user typed for a project (never the secret), kept in GSettings until
 * Enable sends it, so that a crash or a close loses nothing. The pages say when the user
 * changed an answer (kl_setup_answers_draft_changed()); the answers are copied then and
 * written shortly after, or at once by kl_setup_answers_flush_draft(). The window opens the
 * draft of the project it reads, which restores it; it is discarded once Atlas holds the
 * answers. Values come back through the pages' own checks, like typed ones. */

/* The GSettings key: {group id: {answer: value}}. */
#define DRAFTS_KEY        "azure-drafts"
/* Drafts kept at most: the projects typed for most recently (the key must not grow with
 * every project ever opened). */
#define MAX_DRAFTS        20
#define DRAFT_SAVE_DELAY  300   /* ms */
#define DRAFT_MAX_LENGTH  2048  /* longer stored values are not an answer anyone typed */

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
  PROP_DRAFT_RESTORED,
  N_PROPS
};

#define N_STRINGS PROP_CLIENT_SECRET

struct _KlSetupAnswers
{
  GObject  parent_instance;

  char      *strings[N_STRINGS];  /* indexed by property id */
  char      *client_secret;

  GSettings *settings;           /* where drafts live; NULL: no drafts */
  char      *draft_group;        /* the project the answers are for, if drafts are kept */
  char      *pending_group;      /* a draft not written yet, and its project */
  GVariant  *pending;            /* a{ss} */
  guint      save_id;
  gboolean   draft_restored;
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

static const char * const environments[] = { "AZURE", "AZURE_CHINA", "AZURE_US_GOVERNMENT" };

static void
set_draft_restored (KlSetupAnswers *self,
                    gboolean        draft_restored)
{
  if (self->draft_restored == draft_restored)
    return;

  self->draft_restored = draft_restored;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT_RESTORED]);
}

/* The non-secret answers, by property name: the secret is not a string property here, so
 * it cannot be in a draft. */
static GVariant *
snapshot (KlSetupAnswers *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));

  for (guint i = PROP_0 + 1; i < N_STRINGS; i++)
    if (self->strings[i] != NULL)
      g_variant_builder_add (&builder, "{ss}",
                             g_param_spec_get_name (properties[i]), self->strings[i]);

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The drafts of all projects with @group_id's replaced by @draft, or removed (NULL). They
 * are kept oldest first: a written draft goes last, and the oldest go beyond MAX_DRAFTS. */
static void
write_draft (KlSetupAnswers *self,
             const char     *group_id,
             GVariant       *draft)
{
  g_autoptr(GVariant) drafts = g_settings_get_value (self->settings, DRAFTS_KEY);
  g_autoptr(GVariant) old = g_variant_lookup_value (drafts, group_id, NULL);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sa{ss}}"));
  gsize n_others = g_variant_n_children (drafts);
  gsize n_dropped = 0;
  gboolean changed = draft != NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (old != NULL)
    {
      n_others--;
      changed = TRUE;
    }
  if (n_others + (draft != NULL) > MAX_DRAFTS)
    n_dropped = n_others + (draft != NULL) - MAX_DRAFTS;

  g_variant_iter_init (&iter, drafts);
  while (g_variant_iter_next (&iter, "{&s@a{ss}}", &key, &value))
    {
      if (!g_str_equal (key, group_id))
        {
          if (n_dropped > 0)
            {
              g_debug ("Dropping the oldest draft, of project %s", key);
              n_dropped--;
            }
          else
            g_variant_builder_add (&builder, "{s@a{ss}}", key, value);
        }
      g_variant_unref (value);
    }

  if (draft != NULL)
    g_variant_builder_add (&builder, "{s@a{ss}}", group_id, draft);

  if (changed)
    g_settings_set_value (self->settings, DRAFTS_KEY, g_variant_builder_end (&builder));
}

static gboolean
save_draft_cb (gpointer user_data)
{
  KlSetupAnswers *self = user_data;

  self->save_id = 0;
  kl_setup_answers_flush_draft (self);

  return G_SOURCE_REMOVE;
}

/* A stored value as an answer: what no page could have stored is left out. */
static const char *
draft_value (GVariant   *draft,
             const char *name)
{
  const char *value = NULL;

  if (!g_variant_lookup (draft, name, "&s", &value) || value[0] == '\0' ||
      strlen (value) > DRAFT_MAX_LENGTH)
    return NULL;

  return value;
}

static gboolean
restore_draft (KlSetupAnswers *self)
{
  g_autoptr(GVariant) drafts = g_settings_get_value (self->settings, DRAFTS_KEY);
  g_autoptr(GVariant) draft = g_variant_lookup_value (drafts, self->draft_group,
                                                      G_VARIANT_TYPE ("a{ss}"));
  const char *environment;

  if (draft == NULL || g_variant_n_children (draft) == 0)
    return FALSE;

  g_debug ("Restoring the draft of project %s", self->draft_group);

  g_object_freeze_notify (G_OBJECT (self));

  /* The environment is a choice, not text: an unknown one leaves the choice as it is. */
  environment = draft_value (draft, "azure-environment");
  if (environment != NULL && g_strv_contains (environments, environment))
    set_string (self, PROP_AZURE_ENVIRONMENT, environment);

  /* The rest goes to the pages as it was stored; their checks show what is wrong with it. */
  for (guint i = PROP_AZURE_ENVIRONMENT + 1; i < N_STRINGS; i++)
    set_string (self, i, draft_value (draft, g_param_spec_get_name (properties[i])));

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
kl_setup_answers_dispose (GObject *object)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  wipe_string (&self->client_secret);

  /* A change typed just before the window went: written now. */
  kl_setup_answers_flush_draft (self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kl_setup_answers_parent_class)->dispose (object);
}

static void
kl_setup_answers_finalize (GObject *object)
{
  KlSetupAnswers *self = KL_SETUP_ANSWERS (object);

  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&self->strings[i], g_free);
  g_clear_pointer (&self->draft_group, g_free);
  g_clear_pointer (&self->pending_group, g_free);
  g_clear_pointer (&self->pending, g_variant_unref);

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

    case PROP_DRAFT_RESTORED:
      g_value_set_boolean (value, self->draft_restored);
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

  /**
   * KlSetupAnswers:draft-restored:
   * The answers came back from the project's draft (kl_setup_answers_open_draft()): the
   * client secret, never in a draft, has to be typed again.
   */
  properties[PROP_DRAFT_RESTORED] =
    g_param_spec_boolean ("draft-restored", NULL, NULL, FALSE,
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

/**
 * kl_setup_answers_set_draft_settings:
 * @settings: (nullable): the application's settings, which hold the drafts; %NULL keeps none
 *
 * Where drafts are kept: the `azure-drafts` key of @settings' schema and path, in the
 * default settings backend (the application's).
 */
void
kl_setup_answers_set_draft_settings (KlSetupAnswers *self,
                                     GSettings      *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));
  g_return_if_fail (!settings || G_IS_SETTINGS (settings));

  kl_setup_answers_flush_draft (self);
  g_clear_object (&self->settings);
  if (settings == NULL)
    return;

  /* An object of its own on the default store, as the application's: that one may be in
   * delay-apply mode (g_settings_delay(), which also hides the store behind its own
   * backend), and would hold a draft back until its next apply. */
  g_object_get (settings,
                "settings-schema", &schema,
                "path", &path,
                NULL);
  self->settings = g_settings_new_full (schema, NULL, path);
}

/**
 * kl_setup_answers_open_draft:
 * @group_id: (nullable): the project the answers are for now; %NULL keeps no draft
 * @discard: Atlas holds the project's answers (set up): its draft is removed, not restored
 *
 * Changes to the answers are kept as @group_id's draft from now on (the previous project's
 * pending draft is written first). When the project changes, its draft, if any, is restored
 * into the answers and #KlSetupAnswers:draft-restored is set. The same project again
 * restores nothing: the answers are newer than its draft.
 */
void
kl_setup_answers_open_draft (KlSetupAnswers *self,
                             const char     *group_id,
                             gboolean        discard)
{
  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));

  if (g_strcmp0 (self->draft_group, group_id) != 0)
    {
      kl_setup_answers_flush_draft (self);
      g_free (self->draft_group);
      self->draft_group = g_strdup (group_id);
      set_draft_restored (self, self->settings != NULL && group_id != NULL && !discard &&
                                restore_draft (self));
    }

  if (discard && group_id != NULL)
    kl_setup_answers_discard_draft (self, group_id);
}

/**
 * kl_setup_answers_draft_changed:
 *
 * The user changed an answer: it goes to the project's draft shortly (the answers as they
 * are now, without the secret). Without an open draft, nothing happens.
 */
void
kl_setup_answers_draft_changed (KlSetupAnswers *self)
{
  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));

  if (self->settings == NULL || self->draft_group == NULL)
    return;

  g_clear_pointer (&self->pending, g_variant_unref);
  self->pending = snapshot (self);
  g_free (self->pending_group);
  self->pending_group = g_strdup (self->draft_group);

  if (self->save_id == 0)
    self->save_id = g_timeout_add (DRAFT_SAVE_DELAY, save_draft_cb, self);
}

/**
 * kl_setup_answers_flush_draft:
 *
 * Writes a draft change not written yet, now (on close).
 */
void
kl_setup_answers_flush_draft (KlSetupAnswers *self)
{
  g_autoptr(GVariant) pending = NULL;
  g_autofree char *group_id = NULL;

  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));

  g_clear_handle_id (&self->save_id, g_source_remove);
  pending = g_steal_pointer (&self->pending);
  group_id = g_steal_pointer (&self->pending_group);
  if (pending == NULL || self->settings == NULL)
    return;

  write_draft (self, group_id, pending);
}

/**
 * kl_setup_answers_discard_draft:
 * @group_id: the project whose draft goes
 *
 * Atlas holds the answers now (Enable went through), or the project's key is turned off:
 * the draft is removed, a pending change with it.
 */
void
kl_setup_answers_discard_draft (KlSetupAnswers *self,
                                const char     *group_id)
{
  g_return_if_fail (KL_IS_SETUP_ANSWERS (self));
  g_return_if_fail (group_id != NULL);

  if (g_strcmp0 (self->pending_group, group_id) == 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      g_clear_pointer (&self->pending, g_variant_unref);
      g_clear_pointer (&self->pending_group, g_free);
    }

  if (g_strcmp0 (self->draft_group, group_id) == 0)
    set_draft_restored (self, FALSE);

  if (self->settings != NULL)
    write_draft (self, group_id, NULL);
}

gboolean
kl_setup_answers_get_draft_restored (KlSetupAnswers *self)
{
  g_return_val_if_fail (KL_IS_SETUP_ANSWERS (self), FALSE);

  return self->draft_restored;
}
