/* kl-command-view.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A shell command to paste into a terminal, in a card: on one line, monospace and selectable,
 * scrolled sideways rather than wrapped (a break inside a name or a GUID would read as part of
 * it), with a Copy button. It is shown with bidi controls neutralised (a name from the server
 * could reorder it) and copied exactly as given. ::copied is emitted after a copy. */

#define KL_TYPE_COMMAND_VIEW (kl_command_view_get_type ())

G_DECLARE_FINAL_TYPE (KlCommandView, kl_command_view, KL, COMMAND_VIEW, GtkBox)

GtkWidget  *kl_command_view_new            (void);
void        kl_command_view_set_command    (KlCommandView *self,
                                            const char    *command);
const char *kl_command_view_get_command    (KlCommandView *self);
/* The accessible name of the Copy button ("Copy approval command"). */
void        kl_command_view_set_copy_label (KlCommandView *self,
                                            const char    *label);
GtkLabel   *kl_command_view_get_label      (KlCommandView *self);
GtkButton  *kl_command_view_get_copy_button (KlCommandView *self);
void        kl_command_view_copy           (KlCommandView *self);

G_END_DECLS
