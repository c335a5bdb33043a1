/* kl-server-text-view.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Server text in widgets (the text rules are in kl-server-text.h): a label shows
 * the short form, and the whole text is there on demand, in a scrolled, selectable view. */

/* Shows the short form of @text (nullable: empty) in @label, as plain text; when it is cut,
 * a “Show All” link after it opens kl_server_text_view_show () with the whole text. */
void       kl_server_text_view_set_label (GtkLabel   *label,
                                          const char *text);
/* The whole text @label was given, or NULL. */
const char *kl_server_text_view_get_full (GtkLabel   *label);

/* Opens a modal window over @parent's window with the whole of @text (bidi controls
 * neutralised) in a scrolled, selectable, read-only text view. Returns it (transfer none). */
GtkWindow *kl_server_text_view_show      (GtkWidget  *parent,
                                          const char *title,
                                          const char *text);

G_END_DECLS
