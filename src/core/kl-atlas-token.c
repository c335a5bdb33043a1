/* kl-atlas-token.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kl-atlas-client-private.h"
#include "kl-error.h"
#include "kl-http-log.h"

/* ------------------------------------------------------------------------------------------ */
/* Service-account tokens: one request at a time, shared by every caller waiting for one.      */

static gboolean
token_is_valid (KlAtlasClient *self)
{
  return self->token != NULL && g_get_monotonic_time () < self->token_expiry;
}

void
kl_atlas_token_forget (KlAtlasClient *self)
{
  kl_secret_free (g_steal_pointer (&self->token));
  self->token_expiry = 0;
  self->token_generation++;
}

static gboolean
token_waiter_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  GTask *task = user_data;
  KlAtlasClient *self = g_task_get_source_object (task);

  if (g_queue_remove (&self->token_waiters, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
token_waiters_complete (KlAtlasClient *self,
                        const GError  *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->token_waiters)) != NULL)
    {
      /* Drops the cancellation watch. */
      g_task_set_task_data (task, NULL, NULL);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Reads {access_token, token_type, expires_in} from @owned_bytes (taken: the only reference),
 * zeroing what held the token: the answer's buffer and json-glib's copy of the string. */
static gboolean
token_parse (GBytes   *owned_bytes,
             char    **token,
             gint64   *expires_in,
             GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object = NULL;
  JsonNode *root;
  JsonNode *node;
  gboolean ok = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (owned_bytes, &size);

  /* (json-glib refuses a NULL buffer with a critical, and no error.) */
  if (size == 0)
    kl_error_set_bad_response (error, "empty token answer");
  else if (!kl_json_depth_is_safe (data, (gssize) size))
    kl_error_set_bad_response (error, "token answer nested too deep");
  else if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    kl_error_set_bad_response (error, "token answer: %s", local_error->message);
  else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    kl_error_set_bad_response (error, "token answer is not an object");
  else
    object = json_node_get_object (root);

  if (object != NULL)
    {
      const char *type = json_object_get_string_member_with_default (object, "token_type",
                                                                     "Bearer");
      node = json_object_get_member (object, "expires_in");
      *expires_in = 3600;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_INT64)
        *expires_in = json_node_get_int (node);

      node = json_object_get_member (object, "access_token");
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING ||
          json_node_get_string (node)[0] == '\0')
        kl_error_set_bad_response (error, "token answer without \"access_token\"");
      else if (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
        kl_error_set_bad_response (error, "token of type %s, not Bearer", type);
      else if (*expires_in < 0)
        kl_error_set_bad_response (error, "token that expires in %" G_GINT64_FORMAT " s",
                                   *expires_in);
      else
        {
          *token = g_strdup (json_node_get_string (node));
          ok = TRUE;
        }

      /* json-glib's copy of the token. */
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          explicit_bzero (text, strlen (text));
        }
    }

  kl_atlas_answer_wipe_free (owned_bytes);

  return ok;
}

static void
token_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAtlasClient *self = KL_ATLAS_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *token = NULL;
  gint64 expires_in = 0;

  self->token_in_flight = FALSE;
  bytes = kl_atlas_request_finish (result, &error);

  if (bytes != NULL && token_parse (g_steal_pointer (&bytes), &token, &expires_in, &error))
    {
      /* A token that expires at once is still good for the calls waiting for it. */
      gint64 margin = MIN (TOKEN_MARGIN_SECONDS, expires_in / 2);

      kl_atlas_token_forget (self);
      self->token = token;
      self->token_expiry = g_get_monotonic_time () + (expires_in - margin) * G_USEC_PER_SEC;
      g_debug ("New service-account token, valid for %" G_GINT64_FORMAT " s", expires_in);
    }

  if (error != NULL && self->signed_out)
    {
      g_clear_error (&error);
      error = kl_atlas_signed_out_error ();
    }

  token_waiters_complete (self, error);
}

void
kl_atlas_token_get_async (KlAtlasClient       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request;
  GBytes *body;

  g_task_set_source_tag (task, kl_atlas_token_get_async);

  if (token_is_valid (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, G_SOURCE_FUNC (token_waiter_cancelled_cb), task, NULL);
      g_source_attach (source, g_task_get_context (task));
      g_task_set_task_data (task, source, kl_atlas_source_destroy_and_unref);
    }
  g_queue_push_tail (&self->token_waiters, g_steal_pointer (&task));

  if (self->token_in_flight)
    return;

  self->token_in_flight = TRUE;
  body = g_bytes_new_static ("grant_type=client_credentials",
                             strlen ("grant_type=client_credentials"));
  /* Minting twice could leave a spare token: only 429 (nothing was done) is repeated (no
   * REQUEST_RETRY_TRANSIENT). */
  request = kl_atlas_request_new_oauth (self, TOKEN_PATH, body);
  request->flags |= REQUEST_SECRET_ANSWER;
  kl_atlas_request_send (self, request, self->cancellable, token_request_cb, NULL);
}

gboolean
kl_atlas_token_get_finish (KlAtlasClient  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Sign-out                                                                                    */

/* token=<token>&token_type_hint=access_token, in memory that is zeroed when freed. */
static GBytes *
build_revoke_body (const char *token)
{
  static const char hex[] = "0123456789ABCDEF";
  static const char tail[] = "&token_type_hint=access_token";
  gsize capacity = strlen ("token=") + 3 * strlen (token) + sizeof tail;
  char *data = g_malloc0 (capacity);
  gsize length = 0;
  const char *p;

  memcpy (data, "token=", strlen ("token="));
  length = strlen ("token=");
  for (p = token; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isalnum (c) || strchr ("-._~", c) != NULL)
        data[length++] = (char) c;
      else
        {
          data[length++] = '%';
          data[length++] = hex[c >> 4];
          data[length++] = hex[c & 0xf];
        }
    }
  memcpy (data + length, tail, sizeof tail - 1);
  length += sizeof tail - 1;

  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) kl_secret_free, data);
}

static void
sign_out_revoked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!(bytes = kl_atlas_request_finish (result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
kl_atlas_client_sign_out_async (KlAtlasClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request = NULL;
  SoupSessionFeature *auth_manager;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_atlas_client_sign_out_async);

  /* What the revocation needs, taken before everything is wiped. */
  if (self->auth_type == KL_AUTH_SERVICE_ACCOUNT && !self->signed_out && self->token != NULL)
    request = kl_atlas_request_new_oauth (self, REVOKE_PATH, build_revoke_body (self->token));

  self->signed_out = TRUE;
  kl_secret_free (g_steal_pointer (&self->secret));
  kl_atlas_token_forget (self);
  g_cancellable_cancel (self->cancellable);
  auth_manager = soup_session_get_feature (self->session, SOUP_TYPE_AUTH_MANAGER);
  if (auth_manager != NULL)
    soup_auth_manager_clear_cached_credentials (SOUP_AUTH_MANAGER (auth_manager));

  if (request == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  kl_atlas_request_send (self, request, cancellable, sign_out_revoked_cb, g_steal_pointer (&task));
}

gboolean
kl_atlas_client_sign_out_finish (KlAtlasClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return kl_atlas_call_finish_boolean (self, result, kl_atlas_client_sign_out_async, error);
}
