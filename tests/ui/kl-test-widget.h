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

/* Made-up Azure values of the right shapes, for the pages' fields. */
#define KL_TEST_TENANT_ID       "5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f"
#define KL_TEST_CLIENT_ID       "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d"
#define KL_TEST_CLIENT_SECRET   "Xk8Q~q2Zr.Tn5-Lw9_Yb3Vd7Fh1Jm4Pc6Sg0Ue8a"
#define KL_TEST_SUBSCRIPTION_ID "6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d"
#define KL_TEST_RESOURCE_GROUP  "rg-atlas-keys"
#define KL_TEST_VAULT           "contoso-keys"
#define KL_TEST_KEY_ID          "https://contoso-keys.vault.azure.net/keys/atlas-cmk/" \
                                "0123456789abcdef0123456789abcdef"

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

typedef gboolean (*KlTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

/* Depth-first search for the first widget under @root (or @root) that @match accepts;
 * @visible_only skips hidden widgets and their children. */
GtkWidget *kl_test_find              (GtkWidget         *root,
                                      gboolean           visible_only,
                                      KlTestWidgetMatch  match,
                                      gconstpointer      data);

/* Depth-first search for the first descendant of @root (or @root) of @type. */
GtkWidget *kl_test_find_by_type      (GtkWidget  *root,
                                      GType       type);
GtkWidget *kl_test_find_by_css_class (GtkWidget  *root,
                                      const char *css_class);

/* The entry row of @page whose title is @title, found as a person would: by its label. */
AdwEntryRow *kl_test_find_entry   (KlPage      *page,
                                   const char  *title);

/* Focuses @row and types @text into it. */
void         kl_test_type_text    (AdwEntryRow *row,
                                   const char  *text);

/* The message the field shows in the caption row right under @row, or NULL. */
const char  *kl_test_caption_text (AdwEntryRow *row);

/* A page built by its factory (kl_prepare_<name>_page) with a context of its own holding
 * @session, @answers and @cancellable (each nullable), as a window gives it. */
KlPage      *kl_test_prepare_page (KlPage         *(*prepare) (KlContext *context),
                                   KlSession      *session,
                                   KlSetupAnswers *answers,
                                   GCancellable   *cancellable);

G_END_DECLS
