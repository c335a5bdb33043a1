/* kl-flow.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-flow"

#include "config.h"

#include "kl-flow.h"
#include "kl-page-ids.h"

/* The pages and their order, without widgets (GNOME Initial Setup's page table): the
 * window builds each page when the assistant first needs it and asks this object which
 * pages are in the Next/Back order. Sign-in (typed, a saved profile, or the demo) leads to
 * Project, and from there to what the user chose. Pages before the one the server's state
 * resumes at show the server's answers read-only. */

typedef struct
{
  const char     *id;
  KlFlowKind      flows;
  /* From this stage on the page's answers are on the server (read-only); -1: never. */
  int             saved_from;
} FlowPage;

#define PAGE(name, page_flows, saved) { KL_PAGE_##name, page_flows, saved }

static const FlowPage pages[] = {
  PAGE (WELCOME,            KL_FLOW_ALL,       -1),
  PAGE (SIGN_IN,            KL_FLOW_ALL,       -1),
  PAGE (PROJECT,            KL_FLOW_ALL,       -1),
  PAGE (AZURE_APP,          KL_FLOW_SETUP,     KL_PROJECT_STAGE_KEY_READY),
  PAGE (KEY_VAULT,          KL_FLOW_SETUP,     KL_PROJECT_STAGE_KEY_READY),
  PAGE (REVIEW,             KL_FLOW_SETUP,     KL_PROJECT_STAGE_KEY_READY),
  PAGE (PRIVATE_NETWORKING, KL_FLOW_SETUP,     KL_PROJECT_STAGE_ENDPOINTS),
  PAGE (ENDPOINTS,          KL_FLOW_SETUP | KL_FLOW_ENDPOINTS, -1), /* always managed */
  PAGE (CLUSTERS,           KL_FLOW_SETUP,     -1),
  PAGE (ROTATE,             KL_FLOW_ROTATE,    -1),
  PAGE (TEARDOWN,           KL_FLOW_TEARDOWN,  -1),
  /* The summary ends the setup, a rotation (the new key) and a teardown (what to keep in
   * Azure): after the pages of all three. */
  PAGE (DONE,               KL_FLOW_SETUP | KL_FLOW_ROTATE | KL_FLOW_TEARDOWN, -1),
};

#undef PAGE

/* The setup's pages after Project, the one order the setup resumes in: read from the table
 * once (kl_flow_get_setup_order ()). */
static const char *setup_order[G_N_ELEMENTS (pages) + 1];

/* Where the setup resumes, by the stage the project's state is at. */
static const struct
{
  KlProjectStage  stage;
  const char     *page_id;
} stage_pages[] = {
  { KL_PROJECT_STAGE_OTHER_PROVIDER, KL_PAGE_PROJECT },
  { KL_PROJECT_STAGE_NOT_CONFIGURED, KL_PAGE_AZURE_APP },
  { KL_PROJECT_STAGE_KEY_NOT_VALID,  KL_PAGE_AZURE_APP },
  { KL_PROJECT_STAGE_KEY_READY,      KL_PAGE_PRIVATE_NETWORKING },
  { KL_PROJECT_STAGE_ENDPOINTS,      KL_PAGE_ENDPOINTS },
  { KL_PROJECT_STAGE_CLUSTERS,       KL_PAGE_CLUSTERS },
  { KL_PROJECT_STAGE_DONE,           KL_PAGE_DONE },
};

struct _KlFlow
{
  GObject      parent_instance;

  KlFlowKind   current;
  const char  *entered;     /* the page an action of the Project page opened, while shown */
  const char  *skip_to;     /* Next from Project jumps here: the setup pages before it hide */
  gboolean     demo;

  KlFlowPageTitleFunc  title_func;
  gpointer             title_data;
};

G_DEFINE_FINAL_TYPE (KlFlow, kl_flow, G_TYPE_OBJECT)

static const FlowPage *
find_page (const char *page_id)
{
  for (guint i = 0; page_id != NULL && i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i].id, page_id))
      return &pages[i];

  return NULL;
}

/* A page after Project that only some flows have (not welcome, sign-in or project). */
static gboolean
is_flow_step (const FlowPage *page)
{
  return page->flows != KL_FLOW_ALL;
}

static void
kl_flow_class_init (KlFlowClass *klass)
{
}

static void
kl_flow_init (KlFlow *self)
{
  self->current = KL_FLOW_SETUP;
}

KlFlow *
kl_flow_new (void)
{
  return g_object_new (KL_TYPE_FLOW, NULL);
}

guint
kl_flow_get_n_pages (KlFlow *self)
{
  g_return_val_if_fail (KL_IS_FLOW (self), 0);

  return G_N_ELEMENTS (pages);
}

const char *
kl_flow_get_page_id (KlFlow *self,
                     guint   position)
{
  g_return_val_if_fail (KL_IS_FLOW (self), NULL);
  g_return_val_if_fail (position < G_N_ELEMENTS (pages), NULL);

  return pages[position].id;
}

gboolean
kl_flow_has_page (KlFlow     *self,
                  const char *page_id)
{
  g_return_val_if_fail (KL_IS_FLOW (self), FALSE);

  return find_page (page_id) != NULL;
}

KlFlowKind
kl_flow_get_page_flows (KlFlow     *self,
                        const char *page_id)
{
  const FlowPage *page = find_page (page_id);

  g_return_val_if_fail (KL_IS_FLOW (self), 0);
  g_return_val_if_fail (page != NULL, 0);

  return page->flows;
}

const char * const *
kl_flow_get_setup_order (void)
{
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      gboolean after_project = FALSE;
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          if (after_project && (pages[i].flows & KL_FLOW_SETUP))
            setup_order[n++] = pages[i].id;
          if (g_str_equal (pages[i].id, KL_PAGE_PROJECT))
            after_project = TRUE;
        }
      setup_order[n] = NULL;
      g_once_init_leave (&made, 1);
    }

  return (const char * const *) setup_order;
}

const char *
kl_flow_get_stage_page (KlProjectStage stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (stage_pages); i++)
    if (stage_pages[i].stage == stage)
      return stage_pages[i].page_id;

  g_return_val_if_reached (KL_PAGE_PROJECT);
}

gboolean
kl_flow_page_applies (const char     *page_id,
                      KlProjectStage  stage)
{
  g_return_val_if_fail (page_id != NULL, FALSE);

  /* A project on another provider's key: nothing after the Project page is ours to do. */
  if (stage == KL_PROJECT_STAGE_OTHER_PROVIDER)
    return !g_strv_contains (kl_flow_get_setup_order (), page_id);

  return TRUE;
}

gboolean
kl_flow_page_is_read_only (const char     *page_id,
                           KlProjectStage  stage)
{
  const FlowPage *page = find_page (page_id);

  g_return_val_if_fail (page_id != NULL, FALSE);

  return page != NULL && page->saved_from >= 0 && (int) stage >= page->saved_from;
}

KlFlowKind
kl_flow_get_current (KlFlow *self)
{
  g_return_val_if_fail (KL_IS_FLOW (self), KL_FLOW_SETUP);

  return self->current;
}

/* Another flow: nothing is skipped any more. */
void
kl_flow_set_current (KlFlow     *self,
                     KlFlowKind  flow)
{
  g_return_if_fail (KL_IS_FLOW (self));

  self->current = flow;
  self->skip_to = NULL;
}

const char *
kl_flow_get_entered (KlFlow *self)
{
  g_return_val_if_fail (KL_IS_FLOW (self), NULL);

  return self->entered;
}

void
kl_flow_set_entered (KlFlow     *self,
                     const char *page_id)
{
  const FlowPage *page = find_page (page_id);

  g_return_if_fail (KL_IS_FLOW (self));
  g_return_if_fail (page_id == NULL || page != NULL);

  self->entered = page != NULL ? page->id : NULL;
}

gboolean
kl_flow_get_demo (KlFlow *self)
{
  g_return_val_if_fail (KL_IS_FLOW (self), FALSE);

  return self->demo;
}

void
kl_flow_set_demo (KlFlow   *self,
                  gboolean  demo)
{
  g_return_if_fail (KL_IS_FLOW (self));

  self->demo = !!demo;
}

void
kl_flow_skip_to (KlFlow     *self,
                 const char *resume_page)
{
  g_return_if_fail (KL_IS_FLOW (self));
  g_return_if_fail (resume_page == NULL ||
                    g_strv_contains (kl_flow_get_setup_order (), resume_page));

  self->skip_to = resume_page != NULL ? find_page (resume_page)->id : NULL;
}

gboolean
kl_flow_get_skipping (KlFlow *self)
{
  g_return_val_if_fail (KL_IS_FLOW (self), FALSE);

  return self->skip_to != NULL;
}

static gboolean
is_skipped (KlFlow     *self,
            const char *page_id)
{
  const char * const *order = kl_flow_get_setup_order ();

  if (self->skip_to == NULL)
    return FALSE;

  for (guint i = 0; order[i] != NULL && !g_str_equal (order[i], self->skip_to); i++)
    if (g_str_equal (order[i], page_id))
      return TRUE;

  return FALSE;
}

gboolean
kl_flow_page_is_hidden (KlFlow     *self,
                        const char *page_id,
                        KlPlan     *plan)
{
  const FlowPage *page = find_page (page_id);

  g_return_val_if_fail (KL_IS_FLOW (self), TRUE);
  g_return_val_if_fail (page != NULL, TRUE);
  g_return_val_if_fail (plan == NULL || KL_IS_PLAN (plan), TRUE);

  /* Rotation and teardown are entered from the Project page only: once left, they are out
   * of the Next/Back order (Back from the summary goes to the project). */
  return !(page->flows & self->current) ||
         (!(page->flows & KL_FLOW_SETUP) && g_strcmp0 (self->entered, page->id) != 0) ||
         (self->demo && g_str_equal (page->id, KL_PAGE_SIGN_IN)) ||
         (is_flow_step (page) && plan != NULL &&
          !kl_flow_page_applies (page->id, kl_plan_get_stage (plan))) ||
         is_skipped (self, page->id);
}

gboolean
kl_flow_page_follows_plan (KlFlow     *self,
                           const char *page_id)
{
  const FlowPage *page = find_page (page_id);

  g_return_val_if_fail (KL_IS_FLOW (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  return is_flow_step (page) && (page->flows & KL_FLOW_SETUP);
}

/**
 * kl_flow_set_page_title_func:
 * @func: (nullable): gives a page's title; %NULL when the window goes
 * @user_data: (nullable): for @func, unowned: whoever sets it unsets it before it goes
 */
void
kl_flow_set_page_title_func (KlFlow              *self,
                             KlFlowPageTitleFunc  func,
                             gpointer             user_data)
{
  g_return_if_fail (KL_IS_FLOW (self));

  self->title_func = func;
  self->title_data = user_data;
}

const char *
kl_flow_get_page_title (KlFlow     *self,
                        const char *page_id)
{
  g_return_val_if_fail (KL_IS_FLOW (self), NULL);

  if (self->title_func == NULL || find_page (page_id) == NULL)
    return NULL;

  return self->title_func (page_id, self->title_data);
}
