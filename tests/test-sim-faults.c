/* test-sim-faults.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "test-sim-common.h"

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  return g_test_run ();
}
