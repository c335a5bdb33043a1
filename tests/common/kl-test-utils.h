/* kl-test-utils.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*KlTestCondition) (gpointer user_data);

/* Deadlines and "at most this long" bounds are for catching what never happens, never a
 * measure of speed: each is multiplied by kl_test_time_scale (), so that a slow build or a
 * busy machine does not fail a test. The factor is KL_TEST_TIME_SCALE (tests/meson.build: 1,
 * 4 for the sanitizer builds, several times slower) times KL_TEST_LOAD_MARGIN (room for a
 * machine as busy again as the tests themselves, twice over: build-aux/run-tests.sh --stress
 * runs the suite so). */
#define KL_TEST_LOAD_MARGIN 3

double   kl_test_time_scale      (void);
/* @ms (@us) times kl_test_time_scale (). */
guint    kl_test_scale_ms        (guint            ms);
gint64   kl_test_scale_us        (gint64           us);

/* Iterates the thread-default main context until @condition holds or @timeout_ms (scaled by
 * kl_test_time_scale ()) passed. Returns whether the condition holds. Never sleeps: it waits
 * on the main loop. */
gboolean kl_test_wait_until      (KlTestCondition  condition,
                                  gpointer         user_data,
                                  guint            timeout_ms);

/* Waits until *@flag becomes TRUE (set from a callback), with a deadline. */
gboolean kl_test_wait_for_flag   (const gboolean  *flag,
                                  guint            timeout_ms);

/* Synchronous wrappers around async calls: pass kl_test_store_result as the callback and the
 * address of a GAsyncResult pointer (NULL) as its data; kl_test_wait_result() then waits for
 * the result (failing the test after @timeout_ms, scaled) and returns it (transfer none). */
void          kl_test_store_result (GObject        *source,
                                    GAsyncResult   *result,
                                    gpointer        user_data);
GAsyncResult *kl_test_wait_result  (GAsyncResult  **slot,
                                    guint           timeout_ms);

/* Path of a file in ../shared (KL_SHARED_DIR), e.g. "atlas/regions.json". */
char    *kl_test_shared_path     (const char      *relative);

G_END_DECLS
