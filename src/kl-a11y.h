/* kl-a11y.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void kl_a11y_name_button_by_text (GtkButton *button);

G_END_DECLS
