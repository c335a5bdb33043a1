/* kl-project-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-session.h"

G_BEGIN_DECLS

/* What the user chose to do with the project: the parameter of the window's win.start-flow,
 * which the rows of the page and Next activate. */
#define KL_PROJECT_ACTION_SETUP                       "setup"
#define KL_PROJECT_ACTION_ROTATE                      "rotate"
#define KL_PROJECT_ACTION_ENDPOINTS                   "endpoints"
#define KL_PROJECT_ACTION_TEARDOWN_PRIVATE_NETWORKING "teardown-private-networking"
#define KL_PROJECT_ACTION_TEARDOWN_CMK                "teardown-cmk"

#define KL_TYPE_PROJECT_PAGE (kl_project_page_get_type ())

G_DECLARE_FINAL_TYPE (KlProjectPage, kl_project_page, KL, PROJECT_PAGE, KlPage)

KlPage *kl_prepare_project_page (KlContext *context);
void        kl_project_page_set_projects (KlProjectPage *self,
                                          GPtrArray     *projects);
GListModel *kl_project_page_get_shown    (KlProjectPage *self);
gboolean    kl_project_page_select       (KlProjectPage *self,
                                          const char    *group_id);
void        kl_project_page_reload       (KlProjectPage *self);

G_END_DECLS
