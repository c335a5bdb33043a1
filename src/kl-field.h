/* kl-field.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_FIELD (kl_field_get_type ())

G_DECLARE_FINAL_TYPE (KlField, kl_field, KL, FIELD, GObject)

/**
 * KlFieldCheckFunc:
 * @text: the field's text, never empty
 * @fix: (out) (optional): a repaired text to offer with a Fix button
 * @error: the message to show under the field
 *
 * Returns: whether @text is valid
 */
typedef gboolean (*KlFieldCheckFunc) (const char  *text,
                                      gpointer     user_data,
                                      char       **fix,
                                      GError     **error);

/**
 * KlFieldFixFunc:
 * @field: the field whose Fix button was clicked
 * @fix: the repair its check offered
 *
 * Applies @fix where it belongs, when that is not the field's own text (a value that
 * another field holds, say).
 */
typedef void (*KlFieldFixFunc) (KlField    *field,
                                const char *fix,
                                gpointer    user_data);

KlField     *kl_field_new          (AdwEntryRow      *row,
                                    KlFieldCheckFunc  check,
                                    gpointer          user_data);
AdwEntryRow *kl_field_get_row      (KlField          *self);
const char  *kl_field_get_text     (KlField          *self);
void         kl_field_set_text     (KlField          *self,
                                    const char       *text);
gboolean     kl_field_get_valid    (KlField          *self);
const char  *kl_field_get_message  (KlField          *self);
void         kl_field_set_message  (KlField          *self,
                                    const char       *message);
void         kl_field_validate     (KlField          *self);
void         kl_field_recheck      (KlField          *self);
void         kl_field_set_editable (KlField          *self,
                                    gboolean          editable);
void         kl_field_set_fix_func (KlField          *self,
                                    KlFieldFixFunc    func,
                                    gpointer          user_data);

G_END_DECLS
