/* kl-atlas-types.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include "kl-atlas-types.h"
