/* kl-step.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kl-enums.h"
#include "kl-plan.h"

G_BEGIN_DECLS

/* One step of a teardown (KlTeardown) or one item of a parallel setup operation
 * (KlSetupRunner), as a row of a GListModel that a page binds to: a kind, a translated title,
 * a target, a state that changes as the work goes on, and the error of a failed step. */

#define KL_TYPE_STEP (kl_step_get_type ())

G_DECLARE_FINAL_TYPE (KlStep, kl_step, KL, STEP, GObject)

/* Properties: "kind", "target", "detail", "title" (read-only); "state", "error" (GError,
 * nullable), "object" (the endpoint or cluster the step produced or last saw, nullable),
 * all notified when they change. */
KlStep      *kl_step_new              (KlStepKind     kind,
                                       const char    *target,
                                       const char    *detail,
                                       const char    *title);
/* A step for one step of a KlPlan. */
KlStep      *kl_step_new_from_plan    (const KlPlanStep *plan_step);

KlStepKind   kl_step_get_kind         (KlStep        *self);
const char  *kl_step_get_target       (KlStep        *self);
const char  *kl_step_get_detail       (KlStep        *self);
const char  *kl_step_get_title        (KlStep        *self);
KlStepState  kl_step_get_state        (KlStep        *self);
const GError *kl_step_get_error       (KlStep        *self);
gpointer     kl_step_get_object       (KlStep        *self);
/* Whether the step is over: DONE, SKIPPED or FAILED. */
gboolean     kl_step_is_finished      (KlStep        *self);

/* For the classes that run steps. Setting a state other than FAILED clears the error. */
void         kl_step_set_state        (KlStep        *self,
                                       KlStepState    state);
/* State FAILED with a copy of @error. */
void         kl_step_fail             (KlStep        *self,
                                       const GError  *error);
void         kl_step_set_object       (KlStep        *self,
                                       gpointer       object);

G_END_DECLS
