/* kl-atlas-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-client"

#include "config.h"

#include "kl-atlas-client.h"
