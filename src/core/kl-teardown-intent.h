/* kl-teardown-intent.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kl-plan.h"

G_BEGIN_DECLS

/* A teardown is an intent Keylink keeps from the confirmation until it is done, so that a
 * crash or a close half-way is not mistaken for a setup to resume. Per project, by id, in
 * the "unfinished-teardowns" key of @settings (a{ss}: project id → "private-networking" or
 * "customer-key"); nothing secret. A NULL @settings (demo mode, tests) keeps nothing. */
void     kl_teardown_intent_set   (GSettings      *settings,
                                   const char     *group_id,
                                   KlTeardownKind  kind);
void     kl_teardown_intent_clear (GSettings      *settings,
                                   const char     *group_id);
/* Whether a teardown of the project was confirmed and not finished; its kind in @kind. */
gboolean kl_teardown_intent_get   (GSettings      *settings,
                                   const char     *group_id,
                                   KlTeardownKind *kind);

G_END_DECLS
