/* kl-http-body.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-http-body"

#include "config.h"

#include "kl-http-body.h"

#define CHUNK_BYTES (64 * 1024)

typedef struct
{
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_bytes;
  GError       *error;      /* how the reading ended, when it failed */
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);

  /* Read to the end or given up on: either way closed, whatever the close says. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->body)),
                           (GDestroyNotify) g_bytes_unref);
}

/* Takes the reference on @task. */
static void
finish (GTask  *task,
        GError *error)
{
  ReadData *data = g_task_get_task_data (task);

  data->error = error;
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                              closed_cb, task);
}

static void read_next (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      finish (task, error);
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      finish (task, NULL);
      return;
    }
  if (size > data->max_bytes - data->body->len)
    {
      finish (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Body"));
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), size);
  read_next (task);
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

/**
 * kl_http_body_read_async:
 * @message: the message whose answer @stream is (its headers say the Content-Length)
 * @stream: the body, from soup_session_send_finish()
 * @max_bytes: the most the body may hold
 */
void
kl_http_body_read_async (SoupMessage         *message,
                         GInputStream        *stream,
                         gsize                max_bytes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SoupMessageHeaders *headers;
  ReadData *data;
  GTask *task;

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_http_body_read_async);
  data = g_new0 (ReadData, 1);
  data->stream = g_object_ref (stream);
  data->body = g_byte_array_new ();
  data->max_bytes = max_bytes;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  headers = soup_message_get_response_headers (message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) max_bytes)
    {
      finish (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Content-Length"));
      return;
    }

  read_next (task);
}

/**
 * kl_http_body_read_finish:
 *
 * Returns: (transfer full): the body, or %NULL with @error set
 */
GBytes *
kl_http_body_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_http_body_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
