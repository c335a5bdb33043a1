/* kl-bench.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* When KL_BENCH_FIRST_FRAME is set in the environment: at the window's first painted frame,
 * print "first-frame-us <CLOCK_MONOTONIC µs>" on stdout and quit the application. Otherwise
 * does nothing. */
void kl_bench_watch_first_frame (GtkWindow *window);

G_END_DECLS
