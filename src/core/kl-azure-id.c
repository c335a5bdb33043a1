/* kl-azure-id.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-id"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-azure-id.h"
#include "kl-error.h"
