/* test-faults-status.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-faults.h"

/* The fault matrix (kl-test-faults.h), for the answers a server gives when it is busy or
 * broken: 429 with and without Retry-After, 5xx, connections reset, once or every time, before
 * and after a write took effect. */

int
main (int   argc,
      char *argv[])
{
  static const Fault tested[] = {
    F_429_WAIT, F_429_NO_WAIT, F_429_ONCE, F_500, F_502, F_503, F_500_ONCE, F_500_AFTER,
    F_DROP, F_DROP_ONCE, F_DROP_AFTER
  };
  int status;

  kl_test_faults_init (&argc, &argv);
  kl_test_faults_add (tested, G_N_ELEMENTS (tested));

  status = g_test_run ();

  kl_test_faults_report ();
  return status;
}
