/* kl-atlas-types.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Models of the Atlas Admin API v2 objects Keylink uses (HACKING.md, Atlas facts), and the pure
 * functions that turn JSON into them and them into request bodies.
 *
 * Every model is a final GObject, so lists of them go straight into a GListStore.
 * Parsers never touch the network or any global state: JSON text (or a JsonNode) in, model out.
 * A document of the wrong shape (not an object, a string where an object belongs, …) is a
 * KL_ERROR_BAD_RESPONSE, never a crash. Unknown fields are ignored; unknown enum values are kept
 * as their text. Strings that are absent or null are returned as NULL by the getters. */

#include "kl-atlas-json.h"
#include "kl-project.h"
#include "kl-azure-key-vault.h"
#include "kl-encryption-at-rest.h"
#include "kl-private-endpoint.h"
#include "kl-cluster.h"
#include "kl-atlas-error.h"
