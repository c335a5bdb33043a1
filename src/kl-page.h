/* kl-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-context.h"
#include "kl-page-ids.h"

G_BEGIN_DECLS

#define KL_TYPE_PAGE (kl_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (KlPage, kl_page, KL, PAGE, AdwBin)

/**
 * KlPageClass:
 * @page_id: the default #KlPage:page-id of the class ("welcome", "azure-app", …)
 * @help_id: the help section shown for this page (F1)
 * @shown: the page became the visible one (focus its first field here)
 * @leave: the assistant is leaving the page, in either direction
 * @apply_async: run when the user presses Next on a complete page whose
 *   #KlPage:needs-apply is set; the assistant moves on only if it succeeds. A class without
 *   it simply advances. The cancellable is cancelled by the Cancel button and when the window
 *   closes.
 * @apply_finish: finishes @apply_async; when %NULL, the result must be a #GTask
 *   returning a boolean.
 */
struct _KlPageClass
{
  AdwBinClass parent_class;

  const char *page_id;
  const char *help_id;
  /* The page's apply starts what the page then follows (the Endpoints page, once it has
   * created the endpoints): a successful apply leaves the user on the page. */
  gboolean    stays_after_apply;

  void      (*shown)        (KlPage               *self);
  void      (*leave)        (KlPage               *self);
  void      (*apply_async)  (KlPage               *self,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data);
  gboolean  (*apply_finish) (KlPage               *self,
                             GAsyncResult         *result,
                             GError              **error);

  /*< private >*/
  gpointer padding[8];
};

KlContext  *kl_page_get_context      (KlPage               *self);
const char *kl_page_get_page_id      (KlPage               *self);
const char *kl_page_get_help_id      (KlPage               *self);
const char *kl_page_get_title        (KlPage               *self);
void        kl_page_set_title        (KlPage               *self,
                                      const char           *title);
const char *kl_page_get_next_label   (KlPage               *self);
void        kl_page_set_next_label   (KlPage               *self,
                                      const char           *next_label);
gboolean    kl_page_get_next_destructive (KlPage           *self);
void        kl_page_set_next_destructive (KlPage           *self,
                                          gboolean          next_destructive);
const char *kl_page_get_next_action  (KlPage               *self);
void        kl_page_set_next_action  (KlPage               *self,
                                      const char           *next_action);
gboolean    kl_page_get_complete     (KlPage               *self);
void        kl_page_set_complete     (KlPage               *self,
                                      gboolean              complete);
gboolean    kl_page_get_hidden       (KlPage               *self);
void        kl_page_set_hidden       (KlPage               *self,
                                      gboolean              hidden);
gboolean    kl_page_get_read_only    (KlPage               *self);
void        kl_page_set_read_only    (KlPage               *self,
                                      gboolean              read_only);
gboolean    kl_page_get_needs_apply  (KlPage               *self);
void        kl_page_set_needs_apply  (KlPage               *self,
                                      gboolean              needs_apply);
const char *kl_page_get_error        (KlPage               *self);
void        kl_page_set_error        (KlPage               *self,
                                      const char           *error);
gboolean    kl_page_get_applying     (KlPage               *self);
gboolean    kl_page_has_apply        (KlPage               *self);

void        kl_page_input_changed    (KlPage               *self);

/* Names the show-text toggle of a password row (libadwaita 1.2 leaves it unnamed: a screen
 * reader read it as “GtkImage”). */
void        kl_page_name_password_peek (AdwPasswordEntryRow *row,
                                        const char          *name);

void        kl_page_shown            (KlPage               *self);
void        kl_page_leave            (KlPage               *self);
void        kl_page_apply_async      (KlPage               *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    kl_page_apply_finish     (KlPage               *self,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
