/* kl-sim-main.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-sim.h"

int
main (int   argc,
      char *argv[])
{
  return 0;
}
