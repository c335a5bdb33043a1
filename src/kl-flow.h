/* kl-flow.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kl-page-ids.h"
#include "kl-plan.h"

G_BEGIN_DECLS

/* The flows a page belongs to: the setup is linear; rotation, endpoint management and
 * teardown are flows of their own, entered from the Project page. */
typedef enum
{
  KL_FLOW_SETUP     = 1 << 0,
  KL_FLOW_ROTATE    = 1 << 1,
  KL_FLOW_ENDPOINTS = 1 << 2,
  KL_FLOW_TEARDOWN  = 1 << 3,
} KlFlowKind;

#define KL_FLOW_ALL (KL_FLOW_SETUP | KL_FLOW_ROTATE | KL_FLOW_ENDPOINTS | KL_FLOW_TEARDOWN)

#define KL_TYPE_FLOW (kl_flow_get_type ())

G_DECLARE_FINAL_TYPE (KlFlow, kl_flow, KL, FLOW, GObject)

/* The title of the page @page_id, which its .ui file gives (the window builds the page to
 * read it). */
typedef const char *(*KlFlowPageTitleFunc) (const char *page_id,
                                            gpointer    user_data);

KlFlow             *kl_flow_new                (void);

/* The page table, in the order of the assistant. */
guint               kl_flow_get_n_pages        (KlFlow         *self);
const char         *kl_flow_get_page_id        (KlFlow         *self,
                                                guint           position);
gboolean            kl_flow_has_page           (KlFlow         *self,
                                                const char     *page_id);
KlFlowKind          kl_flow_get_page_flows     (KlFlow         *self,
                                                const char     *page_id);
void                kl_flow_set_page_title_func (KlFlow             *self,
                                                 KlFlowPageTitleFunc func,
                                                 gpointer            user_data);
/* Returns: (nullable): the page's title; %NULL for a page the table has not, or when no
 * one gives titles (a flow outside a window). */
const char         *kl_flow_get_page_title     (KlFlow         *self,
                                                const char     *page_id);

/* The setup's pages after Project, in order (NULL-terminated). */
const char * const *kl_flow_get_setup_order    (void);
/* The page the setup resumes at for a project at @stage. */
const char         *kl_flow_get_stage_page     (KlProjectStage  stage);
/* Whether a page of the setup applies to a project at @stage (hidden otherwise). */
gboolean            kl_flow_page_applies       (const char     *page_id,
                                                KlProjectStage  stage);
/* Whether a page's answers are on the server at @stage, and show read-only. */
gboolean            kl_flow_page_is_read_only  (const char     *page_id,
                                                KlProjectStage  stage);

/* The flow the user is in, and where it stands. */
KlFlowKind          kl_flow_get_current        (KlFlow         *self);
void                kl_flow_set_current        (KlFlow         *self,
                                                KlFlowKind      flow);
const char         *kl_flow_get_entered        (KlFlow         *self);
void                kl_flow_set_entered        (KlFlow         *self,
                                                const char     *page_id);
gboolean            kl_flow_get_demo           (KlFlow         *self);
void                kl_flow_set_demo           (KlFlow         *self,
                                                gboolean        demo);
/* Next from the Project page goes straight to @resume_page: the setup pages before it are
 * skipped until it is reached. %NULL shows them again. */
void                kl_flow_skip_to            (KlFlow         *self,
                                                const char     *resume_page);
gboolean            kl_flow_get_skipping       (KlFlow         *self);

/* Whether @page_id is out of the Next/Back order now; @plan: (nullable): the project's. */
gboolean            kl_flow_page_is_hidden     (KlFlow         *self,
                                                const char     *page_id,
                                                KlPlan         *plan);
/* Whether the page follows the server's state with read-only (a setup page after Project). */
gboolean            kl_flow_page_follows_plan  (KlFlow         *self,
                                                const char     *page_id);

G_END_DECLS
