/* test-faults-body.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-faults.h"

/* The fault matrix (kl-test-faults.h), for answers that cannot be trusted: malformed or cut
 * JSON, the wrong shape, enum values this version does not know, 50 MB answers, pages that
 * lie or never end, hostile text and deep nesting. */

int
main (int   argc,
      char *argv[])
{
  static const Fault tested[] = {
    F_MALFORMED, F_MALFORMED_AFTER, F_WRONG_SHAPE, F_UNKNOWN_ENUM, F_HUGE, F_HUGE_CHUNKED,
    F_LYING_TOTAL, F_NEXT_FOREVER, F_HOSTILE, F_DEEP_NESTING
  };
  int status;

  kl_test_faults_init (&argc, &argv);
  kl_test_faults_add (tested, G_N_ELEMENTS (tested));

  status = g_test_run ();

  kl_test_faults_report ();
  return status;
}
