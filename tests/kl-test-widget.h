/* kl-test-widget.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-page.h"
#include "kl-test-utils.h"

G_BEGIN_DECLS

/* gtk_test_init + adw_init, with the app's resources and style registered. */
void      kl_test_widget_init        (int        *argc,
                                      char     ***argv);

/* Presents @window and waits (main loop, deadline) until it is mapped and drawn once. */
gboolean  kl_test_window_show        (GtkWindow  *window);

/* Renders @widget to $KL_SCREENSHOT_DIR/@name.png. Returns the path. */
char     *kl_test_save_screenshot    (GtkWidget  *widget,
                                      const char *name);

/* Depth-first search for a descendant of @root whose accessible label or GtkLabel text is @label. */
GtkWidget *kl_test_find_by_label     (GtkWidget  *root,
                                      const char *label);

/* Asserts that AT-SPI names @button “@text” and nothing more: GTK 4.8 names a button by its
 * accessible label, when set, followed by its label child's text (the mnemonic's “_Next” and
 * then “Next”). Needs GTK_A11Y=test. */
void      kl_test_assert_named_by_text (GtkWidget  *button,
                                        const char *text);

/* Depth-first search for the first descendant of @root (or @root) of @type. */
GtkWidget *kl_test_find_by_type      (GtkWidget  *root,
                                      GType       type);

/* The entry row of @page whose title is @title, found as a person would: by its label. */
AdwEntryRow *kl_test_find_entry   (KlPage      *page,
                                   const char  *title);

/* Focuses @row and types @text into it. */
void         kl_test_type_text    (AdwEntryRow *row,
                                   const char  *text);

/* The message the field shows in the caption row right under @row, or NULL. */
const char  *kl_test_caption_text (AdwEntryRow *row);

G_END_DECLS
