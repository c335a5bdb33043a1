/* kl-http-log.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-http-log"

#include "config.h"

#include "kl-http-log.h"
