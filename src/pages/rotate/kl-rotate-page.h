/* kl-rotate-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-field.h"
#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

#define KL_TYPE_ROTATE_PAGE (kl_rotate_page_get_type ())

G_DECLARE_FINAL_TYPE (KlRotatePage, kl_rotate_page, KL, ROTATE_PAGE, KlPage)

/* Hidden until entered: the Project page unhides it and jumps to it
 * (kl_page_set_hidden (page, FALSE); kl_assistant_set_current_page (assistant, "rotate"));
 * it hides itself again when left, so it never shows in the setup's Next/Back order. */
KlPage *kl_prepare_rotate_page (KlContext *context);
KlSession *kl_rotate_page_get_session       (KlRotatePage *self);
/* The field of the new key identifier (tests). */
KlField   *kl_rotate_page_get_field         (KlRotatePage *self);
/* After the PATCH, how many more reads and how long between them until Atlas calls the key
 * valid (tests). */
void       kl_rotate_page_set_verify_policy (KlRotatePage *self,
                                             guint         attempts,
                                             guint         interval_ms);

G_END_DECLS
