/* kl-page-util.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-atlas-client.h"
#include "kl-ear-verify.h"
#include "kl-field.h"
#include "kl-page.h"
#include "kl-session.h"

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

/* gtk_spinner_set_spinning() for a wait that can last long: the spinner turns smoothly for
 * its first seconds, then ticks an eighth of a turn once a second (its own state and name
 * unchanged), so that the window paints once a second instead of at the frame rate. */
void       kl_page_util_set_spinning             (GtkSpinner          *spinner,
                                                  gboolean             spinning);
/* Tests: how many seconds a spinner turns smoothly before it ticks (default 5). */
void       kl_page_util_set_spinner_smooth_seconds (guint              seconds);
/* "for 3 min" for a duration in seconds ("for less than a minute" under 60), as the Region
 * endpoints page says it. */
char      *kl_page_util_format_duration          (gint64               seconds);
/* A new cancellable, cancelled when @parent or @other_parent (each nullable) is, now or later. */
GCancellable *kl_page_util_cancellable_new_child (GCancellable        *parent,
                                                  GCancellable        *other_parent);
const char *kl_page_util_environment_name        (const char          *environment);

/* Fields (KlField) */
void       kl_page_util_bind_entry_activated     (GtkWidgetClass      *widget_class);
void       kl_page_util_load_field               (KlField             *field,
                                                  const char          *text);
void       kl_page_util_connect_valid            (KlField * const     *fields,
                                                  guint                n_fields,
                                                  GCallback            callback,
                                                  gpointer             page);
void       kl_page_util_focus_first_invalid      (KlField * const     *fields,
                                                  guint                n_fields,
                                                  GtkWidget           *fallback);

/* The session's project */
gboolean   kl_page_util_has_project              (KlSession           *session);
void       kl_page_util_hide_without_project     (KlPage              *page,
                                                  KlSession           *session);

/* Called with the page, and the error of the refresh (%NULL when it succeeded). */
typedef void (*KlPageRefreshedFunc) (KlPage       *page,
                                     const GError *error);

gboolean   kl_page_util_refresh                  (KlPage              *page,
                                                  KlSession           *session,
                                                  GCancellable        *cancellable,
                                                  KlPageRefreshedFunc  refreshed);

/* A PATCH of encryptionAtRest, then reading it back until Atlas agrees: the pages' names for
 * kl_ear_patch_and_verify_async(), kl_ear_patch_and_verify_finish() and
 * kl_ear_error_is_unclear() (kl-ear-verify.h). */
void                kl_page_util_patch_and_verify_async
                                                 (KlAtlasClient       *client,
                                                  const char          *group_id,
                                                  GBytes              *body,
                                                  KlVerifyFunc         verify,
                                                  gpointer             verify_data,
                                                  guint                attempts,
                                                  guint                interval_ms,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean            kl_page_util_error_is_unclear (const GError *error);
KlEncryptionAtRest *kl_page_util_patch_and_verify_finish
                                                 (GAsyncResult        *result,
                                                  gboolean            *verified,
                                                  GError             **error);

G_END_DECLS
