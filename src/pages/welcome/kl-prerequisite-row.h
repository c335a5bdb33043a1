/* kl-prerequisite-row.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_PREREQUISITE_ROW (kl_prerequisite_row_get_type ())

G_DECLARE_FINAL_TYPE (KlPrerequisiteRow, kl_prerequisite_row, KL, PREREQUISITE_ROW, AdwPreferencesRow)

const char *kl_prerequisite_row_get_subtitle  (KlPrerequisiteRow *self);
void        kl_prerequisite_row_set_subtitle  (KlPrerequisiteRow *self,
                                               const char        *subtitle);
const char *kl_prerequisite_row_get_icon_name (KlPrerequisiteRow *self);
void        kl_prerequisite_row_set_icon_name (KlPrerequisiteRow *self,
                                               const char        *icon_name);

G_END_DECLS
