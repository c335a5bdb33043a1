/* kl-atlas-call.c
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
/* Calls that read one object                                                                  */

typedef struct
{
  ParseFunc parse;
} ObjectCall;

static void
object_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObjectCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gpointer object;
  gsize size;
  const char *data;

  if (!(bytes = kl_atlas_request_finish (result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (!(object = call->parse (data, (gssize) size, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, object, g_object_unref);
}

/* Takes @path. */
void
kl_atlas_object_call (KlAtlasClient       *self,
                      gpointer             source_tag,
                      const char          *method,
                      char                *path,
                      const char          *media_type,
                      GBytes              *body,
                      RequestFlags         flags,
                      ParseFunc            parse,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ObjectCall *call = g_new0 (ObjectCall, 1);

  call->parse = parse;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);

  kl_atlas_request_async (self, method, path, media_type, body, flags, cancellable, object_call_cb,
                          task);
}

/* Whether @result comes from the call of @self tagged @source_tag (a critical if not). */
static gboolean
call_result_is_valid (KlAtlasClient *self,
                      GAsyncResult  *result,
                      gpointer       source_tag)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

gboolean
kl_atlas_call_finish_boolean (KlAtlasClient  *self,
                              GAsyncResult   *result,
                              gpointer        source_tag,
                              GError        **error)
{
  return call_result_is_valid (self, result, source_tag) &&
         g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
kl_atlas_call_finish (KlAtlasClient  *self,
                      GAsyncResult   *result,
                      gpointer        source_tag,
                      GError        **error)
{
  if (!call_result_is_valid (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Calls that read a whole paginated list                                                      */

typedef struct
{
  char          *path;
  const char    *media_type;
  ParsePageFunc  parse;
  ItemKeyFunc    key;
  GPtrArray     *items;
  GHashTable    *seen;   /* keys of @items, borrowed from them */
  guint          page;
} ListCall;

static void
list_call_free (gpointer data)
{
  ListCall *call = data;

  g_free (call->path);
  g_clear_pointer (&call->seen, g_hash_table_unref);
  g_clear_pointer (&call->items, g_ptr_array_unref);
  g_free (call);
}

static void list_request_page (GTask *task);

/* A page at least this big is parsed in a worker thread: 500 projects (about 140 KiB) take
 * 3-8 ms to parse into objects, the main loop's whole budget for one stall (tests/bench). */
#define PARSE_IN_THREAD_BYTES (32 * 1024)

typedef struct
{
  GBytes        *bytes;
  ParsePageFunc  parse;
  GPtrArray     *items;
  gboolean       has_next;
} PageParse;

static void
page_parse_free (gpointer data)
{
  PageParse *parse = data;

  g_bytes_unref (parse->bytes);
  g_clear_pointer (&parse->items, g_ptr_array_unref);
  g_free (parse);
}

static gboolean
page_parse_run (PageParse  *parse,
                GError    **error)
{
  gsize size;
  const char *data = g_bytes_get_data (parse->bytes, &size);

  parse->items = parse->parse (data, (gssize) size, &parse->has_next, error);
  return parse->items != NULL;
}

static void
page_parse_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (page_parse_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Adds a parsed page's items to the list; asks for the next page or returns the list. */
static void
list_page_add (GTask     *task,
               GPtrArray *items,
               gboolean   has_next)
{
  ListCall *call = g_task_get_task_data (task);
  guint n_new = 0;
  guint i;

  /* An item seen on an earlier page (the list shifted, or the server repeats itself) is not
   * listed twice; a page with nothing new ends the list, whatever "next" says. */
  for (i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *key = call->key (item);

      if (key != NULL && !g_hash_table_add (call->seen, (gpointer) key))
        continue;
      g_ptr_array_add (call->items, g_object_ref (item));
      n_new++;
    }

  if (has_next && n_new == 0)
    g_debug ("GET %s: page %u brings nothing new; the list ends there", call->path, call->page);

  if (has_next && n_new > 0 && call->page < MAX_PAGES)
    {
      call->page++;
      list_request_page (g_object_ref (task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&call->items), (GDestroyNotify) g_ptr_array_unref);
}

static void
list_page_parsed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PageParse *parse = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    list_page_add (task, parse->items, parse->has_next);
}

static void
list_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) thread_task = NULL;
  GCancellable *cancellable;
  PageParse *parse;
  GBytes *bytes;

  if (!(bytes = kl_atlas_request_finish (result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  parse = g_new0 (PageParse, 1);
  parse->bytes = bytes;
  parse->parse = call->parse;
  if (g_bytes_get_size (bytes) < PARSE_IN_THREAD_BYTES)
    {
      if (page_parse_run (parse, &error))
        list_page_add (task, parse->items, parse->has_next);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      page_parse_free (parse);
      return;
    }

  g_debug ("GET %s: page %u (%zu bytes) parsed in a worker thread", call->path, call->page,
           g_bytes_get_size (bytes));
  cancellable = g_task_get_cancellable (task);
  thread_task = g_task_new (NULL, cancellable, list_page_parsed_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, list_page_cb);
  g_task_set_task_data (thread_task, parse, page_parse_free);
  g_task_run_in_thread (thread_task, page_parse_thread);
}

/* Takes the reference on @task. */
static void
list_request_page (GTask *task)
{
  KlAtlasClient *self = g_task_get_source_object (task);
  ListCall *call = g_task_get_task_data (task);

  kl_atlas_request_async (self, SOUP_METHOD_GET,
                          g_strdup_printf ("%s?itemsPerPage=%u&pageNum=%u", call->path,
                                           self->page_size,
                                           call->page),
                          call->media_type, NULL, REQUEST_RETRY_TRANSIENT,
                          g_task_get_cancellable (task),
                          list_page_cb, task);
}

/* Takes @path (without query). */
void
kl_atlas_list_call (KlAtlasClient       *self,
                    gpointer             source_tag,
                    char                *path,
                    const char          *media_type,
                    ParsePageFunc        parse,
                    ItemKeyFunc          key,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListCall *call = g_new0 (ListCall, 1);

  call->path = path;
  call->media_type = media_type;
  call->parse = parse;
  call->key = key;
  call->items = g_ptr_array_new_with_free_func (g_object_unref);
  call->seen = g_hash_table_new (g_str_hash, g_str_equal);
  call->page = 1;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, list_call_free);

  list_request_page (task);
}

char *
kl_atlas_group_path (const char *group_id,
                     const char *rest)
{
  return g_strconcat (GROUPS_PATH "/", group_id, rest, NULL);
}

char *
kl_atlas_endpoints_path (const char *group_id)
{
  return kl_atlas_group_path (group_id, "/encryptionAtRest/AZURE/privateEndpoints");
}

char *
kl_atlas_endpoint_path (const char *group_id,
                        const char *endpoint_id)
{
  return g_strconcat (GROUPS_PATH "/", group_id, "/encryptionAtRest/AZURE/privateEndpoints/",
                      endpoint_id, NULL);
}

char *
kl_atlas_cluster_path (const char *group_id,
                       const char *cluster_name)
{
  return g_strconcat (GROUPS_PATH "/", group_id, "/clusters/", cluster_name, NULL);
}
