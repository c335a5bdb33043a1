/* kl-page-util.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Helpers the pages share. */

/* Text from the server or the user, shown as it is: libadwaita 1.2 reads row titles and
 * subtitles, and group titles and descriptions, as Pango markup. */
GtkWidget *kl_page_util_plain_row_new            (const char          *title,
                                                  const char          *subtitle);
void       kl_page_util_set_group_title          (AdwPreferencesGroup *group,
                                                  const char          *text);
void       kl_page_util_set_group_description    (AdwPreferencesGroup *group,
                                                  const char          *text);

void       kl_page_util_name_button              (GtkButton           *button,
                                                  const char          *name);

G_END_DECLS
