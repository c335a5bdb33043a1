/* kl-teardown-step-row.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-step.h"

G_BEGIN_DECLS

/* One step of a teardown, numbered: pending (its number), running or waiting (a spinner),
 * done (a tick) or failed (the error, and a Retry button that activates "teardown.retry"). */

#define KL_TYPE_TEARDOWN_STEP_ROW (kl_teardown_step_row_get_type ())

G_DECLARE_FINAL_TYPE (KlTeardownStepRow, kl_teardown_step_row, KL, TEARDOWN_STEP_ROW, AdwActionRow)

GtkWidget *kl_teardown_step_row_new      (KlStep            *step,
                                          guint              number);
KlStep    *kl_teardown_step_row_get_step (KlTeardownStepRow *self);
/* "pending", "running", "done" or "failed": what the row shows (tests). */
const char *kl_teardown_step_row_get_shown_state (KlTeardownStepRow *self);

G_END_DECLS
