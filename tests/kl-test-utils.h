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

/* Iterates the thread-default main context until @condition holds or @timeout_ms passed.
 * Returns whether the condition holds. Never sleeps: it waits on the main loop. */
gboolean kl_test_wait_until      (KlTestCondition  condition,
                                  gpointer         user_data,
                                  guint            timeout_ms);

/* Waits until *@flag becomes TRUE (set from a callback), with a deadline. */
gboolean kl_test_wait_for_flag   (const gboolean  *flag,
                                  guint            timeout_ms);

/* Synchronous wrappers around async calls: pass kl_test_store_result as the callback and the
 * address of a GAsyncResult pointer (NULL) as its data; kl_test_wait_result() then waits for
 * the result (failing the test after @timeout_ms) and returns it (transfer none). */
void          kl_test_store_result (GObject        *source,
                                    GAsyncResult   *result,
                                    gpointer        user_data);
GAsyncResult *kl_test_wait_result  (GAsyncResult  **slot,
                                    guint           timeout_ms);

/* Path of a file in ../shared (KL_SHARED_DIR), e.g. "atlas/regions.json". */
char    *kl_test_shared_path     (const char      *relative);

G_END_DECLS
