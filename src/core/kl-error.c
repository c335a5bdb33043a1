/* kl-error.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-error"

#include "config.h"

#include "kl-error.h"

G_DEFINE_QUARK (kl-error-quark, kl_error)
