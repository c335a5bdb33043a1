/* kl-window-flow.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-plan.h"
#include "kl-setup-answers.h"
#include "kl-sign-in.h"
#include "kl-teardown-intent.h"
#include "kl-window-private.h"
#include "pages/azure-app/kl-azure-app-page.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/done/kl-done-page.h"
#include "pages/endpoints/kl-endpoints-page.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "pages/private-networking/kl-private-networking-page.h"
#include "pages/project/kl-project-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/rotate/kl-rotate-page.h"
#include "pages/sign-in/kl-sign-in-page.h"
#include "pages/teardown/kl-teardown-page.h"
#include "pages/welcome/kl-welcome-page.h"

/* The window's flow: it builds the pages the flow (KlFlow) names, hands the sign-in over
 * from page to page (Welcome, Sign In, Project), follows the session (the project chosen,
 * its state) and moves the assistant between the pages and flows. kl-window.c is the
 * chrome around it. */

/* ---- The pages ------------------------------------------------------------------------
 * How each page of the flow's table is built: by its factory, with the context every page
 * shares; connect, when set, follows what the window acts on.
 *
 * The assistant creates a page when it is first needed (kl_assistant_add_lazy_page); code
 * that only updates pages (kl_window_update_pages) leaves those not created alone. */

typedef KlPage *(*PagePrepareFunc) (KlContext *context);
typedef void    (*PageFunc)        (KlWindow  *self,
                                    KlPage    *page);

typedef struct
{
  const char      *id;
  PagePrepareFunc  prepare;
  PageFunc         connect;
} FlowPage;

static void signed_in_cb          (KlWindow   *self,
                                   KlProfile  *profile,
                                   GPtrArray  *projects);
static void review_needs_apply_cb (KlWindow   *self);

static void
connect_sign_in_page (KlWindow *self,
                      KlPage   *page)
{
  g_signal_connect_object (page, "signed-in",
                           G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
}

static void
connect_review_page (KlWindow *self,
                     KlPage   *page)
{
  g_signal_connect_object (page, "notify::needs-apply",
                           G_CALLBACK (review_needs_apply_cb), self, G_CONNECT_SWAPPED);
}

static const FlowPage flow_pages[] = {
  { KL_PAGE_WELCOME,            kl_prepare_welcome_page,   NULL },
  { KL_PAGE_SIGN_IN,            kl_prepare_sign_in_page,   connect_sign_in_page },
  { KL_PAGE_PROJECT,            kl_prepare_project_page,   NULL },
  { KL_PAGE_AZURE_APP,          kl_prepare_azure_app_page, NULL },
  { KL_PAGE_KEY_VAULT,          kl_prepare_key_vault_page, NULL },
  { KL_PAGE_REVIEW,             kl_prepare_review_page,    connect_review_page },
  { KL_PAGE_PRIVATE_NETWORKING, kl_prepare_private_networking_page, NULL },
  { KL_PAGE_ENDPOINTS,          kl_prepare_endpoints_page, NULL },
  { KL_PAGE_CLUSTERS,           kl_prepare_clusters_page,  NULL },
  { KL_PAGE_ROTATE,             kl_prepare_rotate_page,    NULL },
  { KL_PAGE_TEARDOWN,           kl_prepare_teardown_page,  NULL },
  { KL_PAGE_DONE,               kl_prepare_done_page,      NULL },
};

/* The page, created now if it was not yet. */
static KlPage *
get_page (KlWindow   *self,
          const char *page_id)
{
  return kl_assistant_get_page (self->assistant, page_id);
}

/* The page if it exists yet: for updates the page's constructor would make anyway. */
static KlPage *
peek_page (KlWindow   *self,
           const char *page_id)
{
  return kl_assistant_peek_page (self->assistant, page_id);
}

static const FlowPage *
find_flow_page (const char *page_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (flow_pages); i++)
    if (g_str_equal (flow_pages[i].id, page_id))
      return &flow_pages[i];

  return NULL;
}

/* Template children are gone once the window is disposed; late answers must not touch them. */
static gboolean
is_disposed (KlWindow *self)
{
  return self->assistant == NULL;
}

/* Async work holds the window weakly: closing it must finalize it at once. */
static GWeakRef *
weak_ref_new (KlWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

/* Returns: (transfer full) (nullable): the window, unless it was closed meanwhile */
static KlWindow *
weak_ref_steal (GWeakRef *ref)
{
  KlWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);

  if (self != NULL && is_disposed (self))
    g_clear_object (&self);

  return self;
}

static void
update_read_only (KlWindow *self,
                  KlPage   *page)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  const char *page_id = kl_page_get_page_id (page);

  if (kl_flow_page_follows_plan (self->flow, page_id))
    kl_page_set_read_only (page, plan != NULL &&
                                 kl_flow_page_is_read_only (page_id, kl_plan_get_stage (plan)));
}

/* Hidden and read-only follow the flow and the server's state. */
void
kl_window_update_pages (KlWindow *self)
{
  KlPlan *plan = kl_session_get_plan (self->session);

  for (guint i = 0; i < kl_flow_get_n_pages (self->flow); i++)
    {
      const char *page_id = kl_flow_get_page_id (self->flow, i);
      KlPage *page = peek_page (self, page_id);

      kl_assistant_set_page_hidden (self->assistant, page_id,
                                    kl_flow_page_is_hidden (self->flow, page_id, plan));

      /* A page not created yet gets it from page_created_cb. */
      if (page != NULL)
        update_read_only (self, page);
    }
}

static void
set_flow (KlWindow   *self,
          KlFlowKind  flow)
{
  kl_flow_set_current (self->flow, flow);
  kl_window_update_pages (self);
}

/* What Atlas holds (never the secret, which it does not return) goes into the answers, so
 * that the pages show it: read-only when done, to correct when Atlas cannot use the key. */
static void
fill_answers_from_server (KlWindow *self)
{
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  KlAzureKeyVault *akv;
  const char *environment;

  if (ear == NULL)
    return;

  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  /* Nothing configured: what the user typed for another project may serve this one too. */
  if (!kl_azure_key_vault_get_enabled (akv) && kl_azure_key_vault_get_client_id (akv) == NULL)
    return;

  environment = kl_azure_key_vault_get_azure_environment (akv);
  if (environment == NULL)
    environment = "AZURE";

  g_object_freeze_notify (G_OBJECT (self->answers));
  kl_setup_answers_set_azure_environment (self->answers, environment);
  kl_setup_answers_set_tenant_id (self->answers, kl_azure_key_vault_get_tenant_id (akv));
  kl_setup_answers_set_client_id (self->answers, kl_azure_key_vault_get_client_id (akv));
  kl_setup_answers_clear_client_secret (self->answers);
  kl_setup_answers_set_subscription_id (self->answers,
                                        kl_azure_key_vault_get_subscription_id (akv));
  kl_setup_answers_set_resource_group (self->answers,
                                       kl_azure_key_vault_get_resource_group_name (akv));
  kl_setup_answers_set_key_vault_name (self->answers, kl_azure_key_vault_get_key_vault_name (akv));
  kl_setup_answers_set_key_identifier (self->answers, kl_azure_key_vault_get_key_identifier (akv));
  g_object_thaw_notify (G_OBJECT (self->answers));
}

/* Where the setup resumes for the chosen project, if this build has that page. */
static const char *
resume_page (KlWindow *self)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  const char *page_id;

  if (plan == NULL)
    return NULL;

  page_id = kl_flow_get_stage_page (kl_plan_get_stage (plan));
  if (g_str_equal (page_id, KL_PAGE_PROJECT) || !kl_assistant_has_page (self->assistant, page_id))
    return NULL;

  return page_id;
}

/* ---- Signing in ------------------------------------------------------------------------- */

static void
signed_in_cb (KlWindow   *self,
              KlProfile  *profile,
              GPtrArray  *projects)
{
  KlProjectPage *project_page = KL_PROJECT_PAGE (get_page (self, KL_PAGE_PROJECT));
  g_autofree char *last_project = NULL;
  const char *group_id = NULL;

  kl_project_page_set_projects (project_page, projects);

  if (!kl_context_get_demo (self->context) && self->settings != NULL && profile != NULL)
    {
      g_autofree char *last_profile = g_settings_get_string (self->settings, "last-profile");

      /* The project remembered belongs to the profile remembered. */
      if (g_strcmp0 (last_profile, kl_profile_get_id (profile)) != 0)
        {
          g_settings_delay (self->settings);
          g_settings_set_string (self->settings, "last-profile", kl_profile_get_id (profile));
          g_settings_set_string (self->settings, "last-project", "");
          g_settings_set_string (self->settings, "last-project-name", "");
          g_settings_apply (self->settings);
        }
      last_project = g_settings_get_string (self->settings, "last-project");

      kl_welcome_page_signed_in (KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME)), profile);
    }

  if (self->resume_group_id != NULL)
    group_id = self->resume_group_id;
  else if (last_project != NULL && last_project[0] != '\0')
    group_id = last_project;

  if (group_id != NULL && !kl_project_page_select (project_page, group_id))
    g_clear_pointer (&self->resume_group_id, g_free);
}

static void
profile_unlocked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(KlWindow) self = weak_ref_steal (user_data);
  g_autoptr(SecretValue) secret = NULL;
  g_autoptr(KlProfile) profile = NULL;

  /* The Welcome page says what went wrong. */
  profile = kl_welcome_page_sign_in_finish (KL_WELCOME_PAGE (object), result, &secret, NULL);
  if (self == NULL)
    return;

  if (profile == NULL)
    {
      g_clear_pointer (&self->resume_group_id, g_free);
      return;
    }

  /* The same way as typed: the sign-in page's Next, with its errors on that page. */
  kl_sign_in_page_load_profile (KL_SIGN_IN_PAGE (get_page (self, KL_PAGE_SIGN_IN)),
                                profile, secret);
  kl_assistant_set_current_page (self->assistant, KL_PAGE_SIGN_IN);
  kl_assistant_next (self->assistant);
}

/* win.sign-in-profile: a saved profile's row on the Welcome page; @id is the row's target
 * ("keyring:<id>", "cli:<name>"). */
void
kl_window_sign_in_profile (KlWindow   *self,
                           const char *id)
{
  KlWelcomePage *welcome = KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME));

  if (kl_welcome_page_get_busy (welcome))
    return;

  g_clear_pointer (&self->resume_group_id, g_free);
  kl_welcome_page_sign_in_async (welcome, id, self->cancellable, profile_unlocked_cb,
                                 weak_ref_new (self));
}

/* win.continue-project: “Continue with <project>” on the Welcome page: the profile and the
 * project used last, resumed where the project's state says once it is read. */
void
kl_window_continue_project (KlWindow *self)
{
  KlWelcomePage *welcome = KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME));

  g_return_if_fail (self->settings != NULL);

  if (kl_welcome_page_get_busy (welcome))
    return;

  g_free (self->resume_group_id);
  self->resume_group_id = g_settings_get_string (self->settings, "last-project");
  kl_welcome_page_sign_in_async (welcome, NULL, self->cancellable, profile_unlocked_cb,
                                 weak_ref_new (self));
}

/* ---- Demo mode -------------------------------------------------------------------------- */

static void
demo_signed_in_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KlWindow) self = weak_ref_steal (user_data);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  KlAtlasClient *client = KL_ATLAS_CLIENT (object);

  projects = kl_sign_in_finish (client, result, &error);
  if (self == NULL)
    return;

  if (projects == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kl_page_set_error (get_page (self, KL_PAGE_WELCOME), error->message);
      return;
    }

  kl_session_set_client (self->session, client);
  signed_in_cb (self, NULL, projects);
  kl_assistant_set_current_page (self->assistant, KL_PAGE_PROJECT);
}

/* The simulator in this process, signed in to with the demo's made-up key: no keyring. */
void
kl_window_start_demo (KlWindow      *self,
                      KlApplication *app)
{
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;

  kl_flow_set_demo (self->flow, TRUE);
  kl_context_set_demo (self->context, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->demo_revealer, TRUE);
  g_clear_pointer (&self->resume_group_id, g_free);
  kl_window_update_pages (self);
  kl_window_update_demo_button (self);

  client = kl_application_new_demo_client (app, &error);
  if (client == NULL)
    {
      kl_page_set_error (get_page (self, KL_PAGE_WELCOME), error->message);
      return;
    }
  kl_application_configure_demo_context (app, self->context);

  kl_sign_in_async (client, self->cancellable, demo_signed_in_cb, weak_ref_new (self));
}


/* ---- Following the session and the pages ------------------------------------------------ */

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kl_atlas_client_sign_out_finish (KL_ATLAS_CLIENT (object), result, &error))
    g_debug ("Signing out of the previous account: %s", error->message);
}

static void
session_client_changed_cb (KlWindow *self)
{
  KlAtlasClient *client = kl_session_get_client (self->session);

  /* Signed in again (another account, the demo): the old token goes now, not in an hour. */
  if (self->client != NULL && self->client != client)
    kl_atlas_client_sign_out_async (self->client, NULL, signed_out_cb, NULL);
  g_set_object (&self->client, client);
}

static void
session_project_changed_cb (KlWindow *self)
{
  KlProject *project = kl_session_get_project (self->session);
  set_flow (self, KL_FLOW_SETUP);

  if (project != NULL && !kl_context_get_demo (self->context) && self->settings != NULL)
    {
      g_settings_delay (self->settings);
      g_settings_set_string (self->settings, "last-project", kl_project_get_id (project));
      g_settings_set_string (self->settings, "last-project-name", kl_project_get_name (project));
      g_settings_apply (self->settings);
    }
}

static void
session_plan_changed_cb (KlWindow *self)
{
  KlPlan *plan = kl_session_get_plan (self->session);
  const char *group_id = kl_session_get_group_id (self->session);
  KlTeardownKind teardown_kind;
  int unfinished = -1;
  const char *page_id;

  if (plan == NULL)
    return;

  if (g_strcmp0 (self->answers_group_id, group_id) != 0)
    {
      g_free (self->answers_group_id);
      self->answers_group_id = g_strdup (group_id);
      fill_answers_from_server (self);
    }

  /* What was typed for this project and not sent (a crash, a close), unless Atlas has it. */
  kl_setup_answers_open_draft (self->answers, kl_context_get_demo (self->context) ? NULL : group_id,
                               kl_plan_get_stage (plan) >= KL_PROJECT_STAGE_KEY_READY);

  /* A teardown confirmed and not finished: done once the server has nothing left of it;
   * else the Project page (which reads the same intent) offers to finish it first. */
  if (!kl_context_get_demo (self->context) && self->settings != NULL && group_id != NULL &&
      kl_teardown_intent_get (self->settings, group_id, &teardown_kind))
    {
      if (kl_plan_can_teardown (plan, teardown_kind))
        unfinished = (int) teardown_kind;
      else
        kl_teardown_intent_clear (self->settings, group_id);
    }

  kl_window_update_pages (self);
  kl_window_update_demo_button (self);

  /* "Continue with <project>": straight to where it stands, when the Project page would go
   * on (not for a project that cannot be set up now, such as an inactive one); a project
   * with nothing left to set up shows its summary. */
  if (self->resume_group_id != NULL && g_strcmp0 (self->resume_group_id, group_id) == 0)
    {
      g_clear_pointer (&self->resume_group_id, g_free);
      /* An unfinished teardown: the Project page says so and offers to finish it. */
      if (unfinished >= 0)
        return;
      page_id = resume_page (self);
      if (page_id != NULL && !kl_page_get_hidden (get_page (self, page_id)) &&
          (kl_page_get_complete (get_page (self, KL_PAGE_PROJECT)) ||
           g_str_equal (page_id, KL_PAGE_DONE)))
        kl_assistant_set_current_page (self->assistant, page_id);
    }
}

/* Next on the Project page (or an action there, win.start-flow): into the flow the user
 * chose, one of the KL_PROJECT_ACTION_* names. */
void
kl_window_start_flow (KlWindow   *self,
                      const char *action)
{
  const char *target = NULL;
  const FlowPage *entry;
  KlFlowKind flow = KL_FLOW_SETUP;
  const char *resume;

  if (g_str_equal (action, KL_PROJECT_ACTION_SETUP))
    {
      set_flow (self, KL_FLOW_SETUP);

      /* The assistant goes on to the next visible page: hide those the server's state is
       * past until it gets there; then they show again, read-only, for Back. */
      resume = resume_page (self);
      if (resume == NULL)
        return;

      kl_flow_skip_to (self->flow, resume);
      kl_window_update_pages (self);
      return;
    }

  if (g_str_equal (action, KL_PROJECT_ACTION_ROTATE))
    {
      flow = KL_FLOW_ROTATE;
      target = "rotate";
    }
  else if (g_str_equal (action, KL_PROJECT_ACTION_ENDPOINTS))
    {
      flow = KL_FLOW_ENDPOINTS;
      target = KL_PAGE_ENDPOINTS;
    }
  else if (g_str_equal (action, KL_PROJECT_ACTION_TEARDOWN_PRIVATE_NETWORKING))
    {
      flow = KL_FLOW_TEARDOWN;
      target = "teardown";
      kl_context_set_teardown_kind (self->context, KL_TEARDOWN_PRIVATE_NETWORKING);
    }
  else if (g_str_equal (action, KL_PROJECT_ACTION_TEARDOWN_CMK))
    {
      flow = KL_FLOW_TEARDOWN;
      target = "teardown";
      kl_context_set_teardown_kind (self->context, KL_TEARDOWN_CMK);
      kl_setup_answers_discard_draft (self->answers, kl_session_get_group_id (self->session));
    }

  g_return_if_fail (target != NULL && get_page (self, target) != NULL);

  entry = find_flow_page (target);
  g_assert (entry != NULL);
  kl_flow_set_entered (self->flow, entry->id);
  set_flow (self, flow);
  kl_assistant_set_current_page (self->assistant, target);
}

static void
current_page_changed_cb (KlWindow *self)
{
  KlPage *page = kl_assistant_get_current_page (self->assistant);
  const char *page_id = page != NULL ? kl_page_get_page_id (page) : NULL;

  /* Left the page the Project page's action opened (for the summary, or Back). */
  if (kl_flow_get_entered (self->flow) != NULL &&
      g_strcmp0 (page_id, kl_flow_get_entered (self->flow)) != 0)
    {
      kl_flow_set_entered (self->flow, NULL);
      kl_window_update_pages (self);
    }

  /* Back on the Project page (Back, or the end of a rotation or teardown): the flows start
   * there, and until the user chooses one it counts the setup's steps. */
  if (kl_flow_get_current (self->flow) != KL_FLOW_SETUP && g_strcmp0 (page_id, KL_PAGE_PROJECT) == 0)
    set_flow (self, KL_FLOW_SETUP);

  /* Arrived where Next from the Project page was going: the pages skipped show again. */
  if (kl_flow_get_skipping (self->flow) && page != NULL &&
      !g_str_equal (kl_page_get_page_id (page), KL_PAGE_PROJECT))
    {
      kl_flow_skip_to (self->flow, NULL);
      kl_window_update_pages (self);
    }

  kl_window_update_demo_button (self);
}

/* Enable went through: Atlas holds the Azure secret now, so this copy goes; and the
 * project's state is read back, as after every step. */
static void
review_needs_apply_cb (KlWindow *self)
{
  KlPage *review = get_page (self, KL_PAGE_REVIEW);

  if (kl_page_get_needs_apply (review) || kl_page_get_read_only (review) ||
      kl_session_get_project (self->session) == NULL)
    return;

  /* Atlas has the secret now; Keylink's copy stays in memory until the flow ends: the
   * Endpoints page reads the vault and approves its connections with it. */
  kl_project_page_reload (KL_PROJECT_PAGE (get_page (self, KL_PAGE_PROJECT)));
}

static void
finished_cb (KlWindow *self)
{
  kl_setup_answers_clear_client_secret (self->answers);
  kl_assistant_set_current_page (self->assistant, KL_PAGE_PROJECT);
  kl_window_add_toast (self, adw_toast_new (_("Finished. Here is where the project stands now.")));
}

static KlPage *
create_page_cb (KlAssistant *assistant,
                const char  *page_id,
                gpointer     user_data)
{
  KlWindow *self = user_data;
  const FlowPage *entry = find_flow_page (page_id);
  KlPage *page;

  g_assert (entry != NULL);

  page = entry->prepare (self->context);
  if (entry->connect != NULL)
    entry->connect (self, page);
  return page;
}

/* In the assistant now: what update_pages gives the pages (hidden comes with the slot). */
static void
page_created_cb (KlWindow *self,
                 KlPage   *page)
{
  update_read_only (self, page);
}

static const char *
page_title_cb (const char *page_id,
               gpointer    user_data)
{
  KlWindow *self = user_data;
  KlPage *page = is_disposed (self) ? NULL : get_page (self, page_id);

  return page != NULL ? kl_page_get_title (page) : NULL;
}

/* The pages, lazily; the assistant's and the session's signals. */
void
kl_window_init_flow (KlWindow *self)
{
  kl_flow_set_page_title_func (self->flow, page_title_cb, self);

  g_signal_connect_object (self->assistant, "page-created",
                           G_CALLBACK (page_created_cb), self, G_CONNECT_SWAPPED);
  /* Only the first is created now (it shows); the rest when they are needed. */
  for (guint i = 0; i < kl_flow_get_n_pages (self->flow); i++)
    kl_assistant_add_lazy_page (self->assistant, kl_flow_get_page_id (self->flow, i), FALSE,
                                create_page_cb, self);

  g_signal_connect_object (self->assistant, "notify::current-page",
                           G_CALLBACK (current_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assistant, "finished",
                           G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);

  /* After the pages' own handlers, also those of pages created later: the window reads
   * their state (the Project page's complete) once they have followed the session. */
  g_signal_connect_data (self->session, "notify::client",
                         G_CALLBACK (session_client_changed_cb), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_data (self->session, "notify::project",
                         G_CALLBACK (session_project_changed_cb), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_data (self->session, "notify::plan",
                         G_CALLBACK (session_plan_changed_cb), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  kl_window_update_pages (self);
}

