/* kl-assistant.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-page.h"

G_BEGIN_DECLS

#define KL_TYPE_ASSISTANT (kl_assistant_get_type ())

G_DECLARE_FINAL_TYPE (KlAssistant, kl_assistant, KL, ASSISTANT, AdwBin)

/**
 * KlAssistantCreateFunc:
 *
 * Creates the page of a slot added with kl_assistant_add_lazy_page().
 *
 * Returns: (transfer floating): the page, whose #KlPage:page-id is @page_id
 */
typedef KlPage *(*KlAssistantCreateFunc) (KlAssistant *assistant,
                                          const char  *page_id,
                                          gpointer     user_data);

KlAssistant  *kl_assistant_new              (void);
void          kl_assistant_add_page         (KlAssistant  *self,
                                             KlPage       *page);
void          kl_assistant_add_lazy_page    (KlAssistant           *self,
                                             const char            *page_id,
                                             gboolean               hidden,
                                             KlAssistantCreateFunc  create,
                                             gpointer               user_data);
KlPage       *kl_assistant_get_page         (KlAssistant  *self,
                                             const char   *page_id);
KlPage       *kl_assistant_peek_page        (KlAssistant  *self,
                                             const char   *page_id);
gboolean      kl_assistant_has_page         (KlAssistant  *self,
                                             const char   *page_id);
void          kl_assistant_set_page_hidden  (KlAssistant  *self,
                                             const char   *page_id,
                                             gboolean      hidden);
KlPage       *kl_assistant_get_current_page (KlAssistant  *self);
gboolean      kl_assistant_set_current_page (KlAssistant  *self,
                                             const char   *page_id);
const char   *kl_assistant_get_title        (KlAssistant  *self);
GCancellable *kl_assistant_get_cancellable  (KlAssistant  *self);
void          kl_assistant_set_cancellable  (KlAssistant  *self,
                                             GCancellable *cancellable);
void          kl_assistant_next             (KlAssistant  *self);
void          kl_assistant_back             (KlAssistant  *self);
void          kl_assistant_cancel           (KlAssistant  *self);
void          kl_assistant_add_toast        (KlAssistant  *self,
                                             AdwToast     *toast);

G_END_DECLS
