/* kl-ear-verify.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-ear-verify"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-ear-verify.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* A PATCH of encryptionAtRest, then reading it back until Atlas agrees. */

typedef struct
{
  KlAtlasClient      *client;
  char               *group_id;
  KlVerifyFunc        verify;
  gpointer            verify_data;
  guint               attempts_left;
  guint               interval_ms;
  GSource            *wait_source;
  GSource            *cancel_source;
  KlEncryptionAtRest *last;
  GError             *patch_error;   /* the PATCH's unclear failure, while reading back */
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->group_id, g_free);
  if (data->wait_source != NULL)
    g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);
  g_clear_object (&data->last);
  g_clear_error (&data->patch_error);
  g_free (data);
}

static void verify_answer_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static gboolean
verify_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  VerifyData *data = g_task_get_task_data (task);

  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);
  g_clear_pointer (&data->wait_source, g_source_unref);

  kl_atlas_client_get_encryption_at_rest_async (data->client, data->group_id,
                                                g_task_get_cancellable (task),
                                                verify_answer_cb, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static gboolean
verify_wait_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  GTask *task = user_data;
  VerifyData *data = g_task_get_task_data (task);

  g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  g_clear_pointer (&data->cancel_source, g_source_unref);

  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Reads the configuration again after a pause; Cancel ends the pause at once. */
static void
verify_later (GTask *task)
{
  VerifyData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (data->wait_source == NULL);

  data->wait_source = g_timeout_source_new (data->interval_ms);
  g_source_set_callback (data->wait_source, verify_wait_done_cb, g_object_ref (task),
                         g_object_unref);
  g_source_attach (data->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (verify_wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

/* The PATCH failed in a way that says nothing of whether Atlas applied it (no answer in time,
 * a dropped connection, a 5xx, an answer that could not be read), and what was read back does
 * not settle it either: say that Atlas may have applied it. */
static void
return_unclear (GTask        *task,
                const GError *read_error)
{
  VerifyData *data = g_task_get_task_data (task);

  if (read_error != NULL)
    g_debug ("Reading the configuration back after an unclear PATCH failed: %s",
             read_error->message);

  if (read_error != NULL)
    g_task_return_new_error (task, KL_ERROR, data->patch_error->code,
                             /* Translators: %s says what went wrong with the request */
                             _("%s Atlas may have applied the change all the same, and Keylink "
                               "could not read the project back to tell. Try again: Keylink "
                               "reads the project first, and sends nothing if the change is "
                               "in place."),
                             data->patch_error->message);
  else
    g_task_return_new_error (task, KL_ERROR, data->patch_error->code,
                             /* Translators: %s says what went wrong with the request */
                             _("%s Atlas may have applied the change all the same, but reading "
                               "the project back does not show it in place yet. Try again: "
                               "Keylink reads the project first, and sends nothing if the "
                               "change is in place."),
                             data->patch_error->message);
}

static void
verify_check (GTask              *task,
              KlEncryptionAtRest *ear)
{
  VerifyData *data = g_task_get_task_data (task);

  g_set_object (&data->last, ear);

  if (data->verify (ear, data->verify_data))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (data->attempts_left == 0)
    {
      if (data->patch_error != NULL)
        return_unclear (task, NULL);
      else
        g_task_return_boolean (task, FALSE);
      return;
    }

  data->attempts_left--;
  verify_later (task);
}

/* The configuration as it is now, checked: the PATCH's own answer first, then each read. */
static void
verify_answer_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlAtlasClient *client = KL_ATLAS_CLIENT (object);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;

  VerifyData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  gboolean patch_answer;

  patch_answer = g_async_result_is_tagged (result, kl_atlas_client_patch_encryption_at_rest_async);
  if (patch_answer)
    ear = kl_atlas_client_patch_encryption_at_rest_finish (client, result, &error);
  else
    ear = kl_atlas_client_get_encryption_at_rest_finish (client, result, &error);

  /* No clear answer to the PATCH: read back before anyone offers to send it again. */
  if (ear == NULL && patch_answer && kl_ear_error_is_unclear (error))
    {
      g_debug ("The PATCH's outcome is unclear (%s): reading the configuration back",
               error->message);
      data->patch_error = g_steal_pointer (&error);
      cancellable = g_task_get_cancellable (task);
      kl_atlas_client_get_encryption_at_rest_async (client, data->group_id, cancellable,
                                                    verify_answer_cb, g_steal_pointer (&task));
      return;
    }

  if (ear == NULL)
    {
      if (data->patch_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return_unclear (task, error);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  verify_check (task, ear);
}

/**
 * kl_ear_error_is_unclear:
 *
 * Returns: whether @error leaves open whether a write reached Atlas and was applied: no answer
 *   in time, a dropped connection, a 5xx or an answer that could not be read
 */
gboolean
kl_ear_error_is_unclear (const GError *error)
{
  return g_error_matches (error, KL_ERROR, KL_ERROR_NETWORK) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TIMEOUT) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_SERVER) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

/**
 * kl_ear_patch_and_verify_async:
 * @body: the PATCH of encryptionAtRest
 * @verify: whether a configuration is what the page waits for
 * @attempts: how many more times to read the configuration while @verify says no
 * @interval_ms: the pause before each read
 *
 * Sends @body, checks the configuration Atlas answers with, and reads it again after a pause
 * until @verify agrees or the attempts are spent. Atlas checks the key when it takes the
 * PATCH; a few reads cover a slow check.
 */
void
kl_ear_patch_and_verify_async (KlAtlasClient       *client,
                               const char          *group_id,
                               GBytes              *body,
                               KlVerifyFunc         verify,
                               gpointer             verify_data,
                               guint                attempts,
                               guint                interval_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (client));
  g_return_if_fail (group_id != NULL);
  g_return_if_fail (body != NULL);
  g_return_if_fail (verify != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_ear_patch_and_verify_async);

  data = g_new0 (VerifyData, 1);
  data->client = g_object_ref (client);
  data->group_id = g_strdup (group_id);
  data->verify = verify;
  data->verify_data = verify_data;
  data->attempts_left = attempts;
  data->interval_ms = interval_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  kl_atlas_client_patch_encryption_at_rest_async (client, group_id, body, cancellable,
                                                  verify_answer_cb, g_steal_pointer (&task));
}

/**
 * kl_ear_patch_and_verify_finish:
 * @verified: (out): whether the verify function agreed in the end
 *
 * Returns: (transfer full) (nullable): the configuration as last read, or %NULL with @error
 *   set when the PATCH or a read failed, or was cancelled
 */
KlEncryptionAtRest *
kl_ear_patch_and_verify_finish (GAsyncResult  *result,
                                gboolean      *verified,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  VerifyData *data;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (verified != NULL, NULL);

  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  data = g_task_get_task_data (G_TASK (result));
  *verified = ok;
  return g_object_ref (data->last);
}

