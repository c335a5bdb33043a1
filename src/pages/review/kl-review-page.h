/* kl-review-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_REVIEW_PAGE (kl_review_page_get_type ())

G_DECLARE_FINAL_TYPE (KlReviewPage, kl_review_page, KL, REVIEW_PAGE, KlPage)

KlPage *kl_review_page_new (KlSetupAnswers *answers);

G_END_DECLS
