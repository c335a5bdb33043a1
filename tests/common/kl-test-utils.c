/* kl-test-utils.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-test-utils.h"

double
kl_test_time_scale (void)
{
  static double scale = 0;

  if (scale == 0)
    {
      const char *env = g_getenv ("KL_TEST_TIME_SCALE");
      double flavour = env != NULL ? g_ascii_strtod (env, NULL) : 1;

      scale = MAX (flavour, 1) * KL_TEST_LOAD_MARGIN;
    }

  return scale;
}

guint
kl_test_scale_ms (guint ms)
{
  return (guint) MIN ((double) ms * kl_test_time_scale (), (double) G_MAXINT32);
}

gint64
kl_test_scale_us (gint64 us)
{
  return (gint64) ((double) us * kl_test_time_scale ());
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
kl_test_wait_until (KlTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *source;
  gboolean ok;

  source = g_timeout_source_new (kl_test_scale_ms (timeout_ms));
  g_source_set_callback (source, deadline_cb, &expired, NULL);
  g_source_attach (source, context);

  while (!(ok = condition (user_data)) && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (source);
  g_source_unref (source);

  return ok;
}

static gboolean
flag_is_set (gpointer user_data)
{
  const gboolean *flag = user_data;

  return *flag;
}

gboolean
kl_test_wait_for_flag (const gboolean *flag,
                       guint           timeout_ms)
{
  return kl_test_wait_until (flag_is_set, (gpointer) flag, timeout_ms);
}

void
kl_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_is_set (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

GAsyncResult *
kl_test_wait_result (GAsyncResult **slot,
                     guint          timeout_ms)
{
  g_assert_true (kl_test_wait_until (result_is_set, slot, timeout_ms));
  return *slot;
}

char *
kl_test_shared_path (const char *relative)
{
  const char *shared = g_getenv ("KL_SHARED_DIR");

  g_assert_nonnull (shared);
  return g_build_filename (shared, relative, NULL);
}
