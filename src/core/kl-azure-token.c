/* kl-azure-token.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-client-private.h"
#include "kl-azure-id.h"
#include "kl-error.h"
#include "kl-http-log.h"

/* ------------------------------------------------------------------------------------------ */
/* Tokens                                                                                      */

void
kl_azure_token_forget (KlAzureClient *self,
                       int            resource)
{
  KlAzureTokenSlot *slot = &self->tokens[resource];

  kl_azure_secret_free (g_steal_pointer (&slot->token));
  slot->expiry = 0;
  slot->generation++;
}

static void
token_waiters_complete (KlAzureClient *self,
                        int            resource,
                        const GError  *error)
{
  KlAzureTokenSlot *slot = &self->tokens[resource];
  GTask *task;

  while ((task = g_queue_pop_head (&slot->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Reads {token_type, expires_in, access_token} from @owned_bytes (taken), zeroing what held
 * the token: the answer's buffer and json-glib's copy. */
static gboolean
token_parse (GBytes   *owned_bytes,
             char    **token,
             gint64   *expires_in,
             GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;
  JsonNode *node = NULL;
  gboolean ok = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (owned_bytes, &size);
  const char *problem = NULL;

  if (size == 0 || memchr (data, '\0', size) != NULL)
    problem = "empty token answer";
  else if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    problem = "token answer is not JSON";
  else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    problem = "token answer is not an object";
  else
    object = json_node_get_object (root);

  if (object != NULL)
    {
      const char *type = NULL;
      JsonNode *type_node = json_object_get_member (object, "token_type");
      JsonNode *expires = json_object_get_member (object, "expires_in");

      if (type_node != NULL && JSON_NODE_HOLDS_VALUE (type_node) &&
          json_node_get_value_type (type_node) == G_TYPE_STRING)
        type = json_node_get_string (type_node);

      *expires_in = 3599;
      if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires) &&
          json_node_get_value_type (expires) == G_TYPE_INT64)
        *expires_in = json_node_get_int (expires);

      node = json_object_get_member (object, "access_token");
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING ||
          json_node_get_string (node)[0] == '\0')
        problem = "token answer without access_token";
      else if (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
        problem = "token answer whose token_type is not Bearer";
      else if (*expires_in < 0)
        problem = "token that expired already";
      else
        {
          *token = g_strdup (json_node_get_string (node));
          ok = TRUE;
        }

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          explicit_bzero (text, strlen (text));
        }
    }

  kl_azure_bytes_wipe_free (owned_bytes);

  if (!ok)
    g_propagate_error (error, kl_azure_error_new_bad_response (KL_AZURE_OP_TOKEN, problem));
  return ok;
}

static void
token_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlAzureClient *self = KL_AZURE_CLIENT (source);
  int resource = GPOINTER_TO_INT (user_data);
  KlAzureTokenSlot *slot = &self->tokens[resource];
  g_autoptr(GError) error = NULL;
  GBytes *bytes;
  char *token = NULL;
  gint64 expires_in = 0;

  slot->in_flight = FALSE;
  bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes != NULL && token_parse (bytes, &token, &expires_in, &error))
    {
      gint64 margin = MIN (TOKEN_MARGIN_SECONDS, expires_in / 2);

      kl_azure_token_forget (self, resource);
      slot->token = token;
      slot->expiry = g_get_monotonic_time () + (expires_in - margin) * G_USEC_PER_SEC;
      g_debug ("New %s token, valid for %" G_GINT64_FORMAT " s",
               resource == KL_AZURE_RESOURCE_ARM ? "ARM" : "Key Vault", expires_in);
    }

  token_waiters_complete (self, resource, error);
}

/* The form body, in a buffer that is zeroed when freed. */
static GBytes *
token_form_new (KlAzureClient *self,
                int            resource)
{
  g_autofree char *client_id = g_uri_escape_string (self->client_id, NULL, FALSE);
  const char *scope = resource == KL_AZURE_RESOURCE_ARM
                      ? kl_azure_cloud_get_arm_scope (self->cloud)
                      : kl_azure_cloud_get_key_vault_scope (self->cloud);
  g_autofree char *escaped_scope = g_uri_escape_string (scope, NULL, FALSE);
  char *secret = g_uri_escape_string (self->secret, NULL, FALSE);
  char *form;

  form = g_strconcat ("client_id=", client_id, "&client_secret=", secret, "&scope=",
                      escaped_scope, "&grant_type=client_credentials", NULL);
  kl_azure_secret_free (secret);
  return g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify) kl_azure_secret_free, form);
}

void
kl_azure_token_get_async (KlAzureClient       *self,
                          int                  resource,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  KlAzureTokenSlot *slot = &self->tokens[resource];
  KlAzureRequest *request;
  char *url;

  g_task_set_source_tag (task, kl_azure_token_get_async);

  if (slot->token != NULL && g_get_monotonic_time () < slot->expiry)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_queue_push_tail (&slot->waiters, g_steal_pointer (&task));
  if (slot->in_flight)
    return;

  slot->in_flight = TRUE;
  /* Only to the identity host, over HTTPS (or the loopback override). */
  url = g_strconcat (self->login_url, "/", self->tenant_id, "/oauth2/v2.0/token", NULL);
  request = kl_azure_request_new (self, KL_AZURE_OP_TOKEN, SOUP_METHOD_POST, url, -1,
                                  KL_AZURE_REQUEST_SECRET_ANSWER);
  request->body = token_form_new (self, resource);
  request->content_type = MEDIA_FORM;
  kl_azure_request_send (self, request, kl_azure_token_get_async, self->cancellable, token_request_cb,
                         GINT_TO_POINTER (resource));
}
