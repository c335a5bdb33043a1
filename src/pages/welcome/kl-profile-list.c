/* kl-profile-list.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-welcome-page"

#include "config.h"

#include <string.h>

#include "kl-error.h"
#include "kl-profile-list.h"

/* The saved profiles the Welcome page offers: Keylink's own, from the keyring, and those of
 * the Atlas CLI, read with the context's credentials. Choosing one "unlocks" it: its secret
 * is looked up (an Atlas CLI profile is first copied into a Keylink one) for the sign-in
 * page to sign in with. Profiles are named "keyring:<id>" or "cli:<name>". */

struct _KlProfileList
{
  GObject     parent_instance;

  KlContext  *context;
  GPtrArray  *profiles;       /* KlProfile, from the keyring */
  GPtrArray  *cli_profiles;   /* KlCliProfile */
  guint       lists_pending;
};

G_DEFINE_FINAL_TYPE (KlProfileList, kl_profile_list, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define KEYRING_PREFIX "keyring:"
#define CLI_PREFIX     "cli:"

static void
kl_profile_list_finalize (GObject *object)
{
  KlProfileList *self = KL_PROFILE_LIST (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->cli_profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (kl_profile_list_parent_class)->finalize (object);
}

static void
kl_profile_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlProfileList *self = KL_PROFILE_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, kl_profile_list_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_profile_list_class_init (KlProfileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_profile_list_finalize;
  object_class->get_property = kl_profile_list_get_property;

  /**
   * KlProfileList:loading:
   * Whether the profiles are being listed.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlProfileList::changed:
   *
   * A listing finished: the profiles are the latest.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kl_profile_list_init (KlProfileList *self)
{
}

KlProfileList *
kl_profile_list_new (KlContext *context)
{
  KlProfileList *self;

  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  self = g_object_new (KL_TYPE_PROFILE_LIST, NULL);
  self->context = g_object_ref (context);
  return self;
}

gboolean
kl_profile_list_get_loading (KlProfileList *self)
{
  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), FALSE);

  return self->lists_pending > 0;
}

/**
 * kl_profile_list_get_profiles:
 *
 * Returns: (transfer none) (nullable) (element-type KlProfile): the keyring's profiles
 */
GPtrArray *
kl_profile_list_get_profiles (KlProfileList *self)
{
  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), NULL);

  return self->profiles;
}

/**
 * kl_profile_list_get_cli_profiles:
 *
 * Returns: (transfer none) (nullable) (element-type KlCliProfile): the Atlas CLI's profiles
 */
GPtrArray *
kl_profile_list_get_cli_profiles (KlProfileList *self)
{
  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), NULL);

  return self->cli_profiles;
}

/**
 * kl_profile_list_find:
 * @profile_id: (nullable): a keyring profile's id (no prefix)
 *
 * Returns: (transfer none) (nullable): the profile
 */
KlProfile *
kl_profile_list_find (KlProfileList *self,
                      const char    *profile_id)
{
  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), NULL);

  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    {
      KlProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (kl_profile_get_id (profile), profile_id) == 0)
        return profile;
    }

  return NULL;
}

static KlCliProfile *
find_cli (KlProfileList *self,
          const char    *name)
{
  for (guint i = 0; self->cli_profiles != NULL && i < self->cli_profiles->len; i++)
    {
      KlCliProfile *cli = g_ptr_array_index (self->cli_profiles, i);

      if (g_str_equal (kl_cli_profile_get_name (cli), name))
        return cli;
    }

  return NULL;
}

/* Whether an Atlas CLI profile was copied into the keyring already (same client). */
gboolean
kl_profile_list_is_imported (KlProfileList *self,
                             KlCliProfile  *cli)
{
  const char *client_id;

  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), FALSE);

  client_id = kl_cli_profile_get_client_id (cli);
  for (guint i = 0; client_id != NULL && self->profiles != NULL && i < self->profiles->len; i++)
    if (g_strcmp0 (kl_profile_get_client_id (g_ptr_array_index (self->profiles, i)),
                   client_id) == 0)
      return TRUE;

  return FALSE;
}

/* ---- Listing ----------------------------------------------------------------------------- */

static void
list_done (KlProfileList *self)
{
  g_assert (self->lists_pending > 0);

  if (--self->lists_pending > 0)
    return;

  g_signal_emit (self, signals[CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
profiles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KlProfileList) self = user_data;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = kl_credentials_list_finish (KL_CREDENTIALS (object), result, &error);
  if (profiles == NULL)
    g_debug ("No saved profiles: %s", error->message);

  /* No Secret Service at all: the sign-in page says so before anyone tries to save. */
  kl_context_set_keyring_available (self->context,
                                    profiles != NULL ||
                                    !g_error_matches (error, KL_ERROR,
                                                      KL_ERROR_KEYRING_UNAVAILABLE));

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);
  list_done (self);
}

static void
cli_profiles_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KlProfileList) self = user_data;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = kl_credentials_list_cli_profiles_finish (KL_CREDENTIALS (object), result, &error);
  if (profiles == NULL)
    g_debug ("No Atlas CLI profiles: %s", error->message);

  g_clear_pointer (&self->cli_profiles, g_ptr_array_unref);
  self->cli_profiles = g_steal_pointer (&profiles);
  list_done (self);
}

/**
 * kl_profile_list_load:
 *
 * Lists the profiles anew; #KlProfileList::changed follows. A listing in flight will show
 * the latest state anyway: this does nothing then.
 */
void
kl_profile_list_load (KlProfileList *self)
{
  KlCredentials *credentials;
  GCancellable *cancellable;

  g_return_if_fail (KL_IS_PROFILE_LIST (self));

  credentials = kl_context_get_credentials (self->context);
  cancellable = kl_context_get_cancellable (self->context);
  g_return_if_fail (credentials != NULL);

  if (self->lists_pending > 0)
    return;

  self->lists_pending = 2;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  kl_credentials_list_async (credentials, cancellable, profiles_listed_cb, g_object_ref (self));
  kl_credentials_list_cli_profiles_async (credentials, cancellable, cli_profiles_listed_cb,
                                          g_object_ref (self));
}

/* ---- Unlocking -------------------------------------------------------------------------- */

static gboolean
resolve (KlProfileList  *self,
         const char     *id,
         KlProfile     **profile,
         KlCliProfile  **cli)
{
  *profile = NULL;
  *cli = NULL;

  if (g_str_has_prefix (id, KEYRING_PREFIX))
    *profile = kl_profile_list_find (self, id + strlen (KEYRING_PREFIX));
  else if (g_str_has_prefix (id, CLI_PREFIX))
    *cli = find_cli (self, id + strlen (CLI_PREFIX));

  return *profile != NULL || *cli != NULL;
}

/**
 * kl_profile_list_contains:
 * @id: "keyring:<profile id>" or "cli:<Atlas CLI profile name>"
 *
 * Returns: whether @id names a profile listed, which kl_profile_list_unlock_async() can unlock
 */
gboolean
kl_profile_list_contains (KlProfileList *self,
                          const char    *id)
{
  KlProfile *profile;
  KlCliProfile *cli;

  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return resolve (self, id, &profile, &cli);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SecretValue *secret;

  secret = kl_credentials_lookup_finish (KL_CREDENTIALS (object), result, &error);
  if (secret == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_value_unref);
}

static void
lookup (GTask     *task,
        KlProfile *profile)
{
  KlProfileList *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_task_set_task_data (task, g_object_ref (profile), g_object_unref);
  kl_credentials_lookup_async (kl_context_get_credentials (self->context),
                               kl_profile_get_id (profile), cancellable, lookup_cb, task);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlProfileList *self = g_task_get_source_object (task);
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = kl_credentials_import_cli_profile_finish (KL_CREDENTIALS (object), result, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->profiles == NULL)
    self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->profiles, g_object_ref (profile));
  lookup (g_steal_pointer (&task), profile);
}

/**
 * kl_profile_list_unlock_async:
 * @id: "keyring:<profile id>" or "cli:<Atlas CLI profile name>"
 *
 * Looks up the profile's secret; an Atlas CLI profile's secret is copied into a Keylink
 * profile first. Fails with %G_IO_ERROR_NOT_FOUND, at once, for a profile not listed.
 */
void
kl_profile_list_unlock_async (KlProfileList       *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KlProfile *profile;
  KlCliProfile *cli;

  g_return_if_fail (KL_IS_PROFILE_LIST (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_profile_list_unlock_async);

  resolve (self, id, &profile, &cli);

  if (profile != NULL)
    {
      lookup (g_steal_pointer (&task), profile);
    }
  else if (cli != NULL)
    {
      /* The Atlas CLI's secret is copied into a Keylink profile first. */
      kl_credentials_import_cli_profile_async (kl_context_get_credentials (self->context), cli,
                                               cancellable, import_cb, g_steal_pointer (&task));
    }
  else
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "No profile “%s” to sign in with", id);
    }
}

/**
 * kl_profile_list_unlock_finish:
 * @secret: (out) (transfer full): the profile's secret
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with @error set
 */
KlProfile *
kl_profile_list_unlock_finish (KlProfileList  *self,
                               GAsyncResult   *result,
                               SecretValue   **secret,
                               GError        **error)
{
  SecretValue *value;

  g_return_val_if_fail (KL_IS_PROFILE_LIST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return NULL;

  *secret = value;
  return g_object_ref (g_task_get_task_data (G_TASK (result)));
}
