/* kl-review-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-atlas-client.h"
#include "kl-page.h"
#include "kl-session.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_REVIEW_PAGE (kl_review_page_get_type ())

G_DECLARE_FINAL_TYPE (KlReviewPage, kl_review_page, KL, REVIEW_PAGE, KlPage)

KlPage *kl_prepare_review_page (KlContext *context);
KlAtlasClient *kl_review_page_get_client        (KlReviewPage   *self);
const char    *kl_review_page_get_group_id      (KlReviewPage   *self);
void           kl_review_page_set_project       (KlReviewPage   *self,
                                                 KlAtlasClient  *client,
                                                 const char     *group_id);
void           kl_review_page_set_verify_policy (KlReviewPage   *self,
                                                 guint           attempts,
                                                 guint           interval_ms);

G_END_DECLS
