/* kl-azure-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-id"

#include "config.h"

#include "kl-azure-id.h"
