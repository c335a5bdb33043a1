/* kl-window.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-a11y.h"
#include "kl-assistant.h"
#include "kl-flow.h"
#include "kl-plan.h"
#include "kl-setup-answers.h"
#include "kl-sign-in.h"
#include "kl-error.h"
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

/* The window owns the session (client, project, state and plan) and the answers, builds the
 * pages the flow (KlFlow) names and moves between them. */

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- The pages ------------------------------------------------------------------------
 * How each page of the flow's table is built: by its factory, with the context every page
 * shares; connect, when set, follows what the window acts on; enter, when set, runs before
 * the flow jumps to the page from the Project page.
 *
 * The assistant creates a page when it is first needed (kl_assistant_add_lazy_page); code
 * that only updates pages (update_pages) leaves those not created alone. */

typedef KlPage *(*PagePrepareFunc) (KlContext *context);
typedef void    (*PageFunc)        (KlWindow  *self,
                                    KlPage    *page);

typedef struct
{
  const char      *id;
  PagePrepareFunc  prepare;
  PageFunc         connect;
  PageFunc         enter;
} FlowPage;

static void profile_activated_cb  (KlWindow   *self,
                                   const char *id);
static void continue_activated_cb (KlWindow   *self);
static void signed_in_cb          (KlWindow   *self,
                                   KlProfile  *profile,
                                   GPtrArray  *projects);
static void review_needs_apply_cb (KlWindow   *self);

static void
connect_welcome_page (KlWindow *self,
                      KlPage   *page)
{
  g_signal_connect_object (page, "profile-activated",
                           G_CALLBACK (profile_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "continue-activated",
                           G_CALLBACK (continue_activated_cb), self, G_CONNECT_SWAPPED);
}

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

static void
enter_teardown_page (KlWindow *self,
                     KlPage   *page)
{
  kl_teardown_page_set_kind (KL_TEARDOWN_PAGE (page), self->teardown_kind);
}

static const FlowPage flow_pages[] = {
  { KL_PAGE_WELCOME,            kl_prepare_welcome_page,   connect_welcome_page,   NULL },
  { KL_PAGE_SIGN_IN,            kl_prepare_sign_in_page,   connect_sign_in_page,   NULL },
  { KL_PAGE_PROJECT,            kl_prepare_project_page,   NULL,                   NULL },
  { KL_PAGE_AZURE_APP,          kl_prepare_azure_app_page, NULL,                   NULL },
  { KL_PAGE_KEY_VAULT,          kl_prepare_key_vault_page, NULL,                   NULL },
  { KL_PAGE_REVIEW,             kl_prepare_review_page,    connect_review_page,    NULL },
  { KL_PAGE_PRIVATE_NETWORKING, kl_prepare_private_networking_page, NULL,          NULL },
  { KL_PAGE_ENDPOINTS,          kl_prepare_endpoints_page, NULL,                   NULL },
  { KL_PAGE_CLUSTERS,           kl_prepare_clusters_page,  NULL,                   NULL },
  { KL_PAGE_ROTATE,             kl_prepare_rotate_page,    NULL,                   NULL },
  { KL_PAGE_TEARDOWN,           kl_prepare_teardown_page,  NULL,                   enter_teardown_page },
  { KL_PAGE_DONE,               kl_prepare_done_page,      NULL,                   NULL },
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
static void
update_pages (KlWindow *self)
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
  update_pages (self);
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

static void
update_demo_button (KlWindow *self)
{
  KlPage *page = kl_assistant_get_current_page (self->assistant);
  const char *page_id = page != NULL ? kl_page_get_page_id (page) : NULL;
  gboolean fillable;

  fillable = kl_flow_get_demo (self->flow) && page != NULL && !kl_page_get_read_only (page) &&
             (g_strcmp0 (page_id, KL_PAGE_AZURE_APP) == 0 ||
              g_strcmp0 (page_id, KL_PAGE_KEY_VAULT) == 0);
  gtk_widget_set_visible (self->fill_demo_button, fillable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fill-demo-values", fillable);
}

/* ---- Signing in ------------------------------------------------------------------------- */

static void show_profiles (KlWindow *self);
static void load_profiles (KlWindow *self);

static KlProfile *
find_profile (KlWindow   *self,
              const char *profile_id)
{
  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    {
      KlProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (kl_profile_get_id (profile), profile_id) == 0)
        return profile;
    }

  return NULL;
}

/* Every sign-in ends here: the sign-in page's Next (typed, or a saved profile) and the demo. */
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

      if (find_profile (self, kl_profile_get_id (profile)) == NULL)
        load_profiles (self);
    }

  if (self->resume_group_id != NULL)
    group_id = self->resume_group_id;
  else if (last_project != NULL && last_project[0] != '\0')
    group_id = last_project;

  if (group_id != NULL && !kl_project_page_select (project_page, group_id))
    g_clear_pointer (&self->resume_group_id, g_free);
}

typedef struct
{
  GWeakRef      *window;
  KlProfile     *profile;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  if (data->window != NULL)
    {
      g_weak_ref_clear (data->window);
      g_free (data->window);
    }
  g_clear_object (&data->profile);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookupData, lookup_data_free)

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  g_autoptr(KlWindow) self = weak_ref_steal (g_steal_pointer (&data->window));
  g_autoptr(SecretValue) secret = NULL;
  g_autoptr(GError) error = NULL;
  KlPage *welcome;

  secret = kl_credentials_lookup_finish (KL_CREDENTIALS (object), result, &error);
  if (self == NULL)
    return;

  welcome = get_page (self, KL_PAGE_WELCOME);
  kl_welcome_page_set_busy (KL_WELCOME_PAGE (welcome), FALSE);

  if (secret == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kl_page_set_error (welcome, error->message);
      g_clear_pointer (&self->resume_group_id, g_free);
      return;
    }

  /* The same way as typed: the sign-in page's Next, with its errors on that page. */
  kl_sign_in_page_load_profile (KL_SIGN_IN_PAGE (get_page (self, KL_PAGE_SIGN_IN)),
                                data->profile, secret);
  kl_assistant_set_current_page (self->assistant, KL_PAGE_SIGN_IN);
  kl_assistant_next (self->assistant);
}

static void
sign_in_with_profile (KlWindow  *self,
                      KlProfile *profile)
{
  KlPage *welcome = get_page (self, KL_PAGE_WELCOME);
  LookupData *data;

  kl_page_set_error (welcome, NULL);
  kl_welcome_page_set_busy (KL_WELCOME_PAGE (welcome), TRUE);

  data = g_new0 (LookupData, 1);
  data->window = weak_ref_new (self);
  data->profile = g_object_ref (profile);
  kl_credentials_lookup_async (self->credentials, kl_profile_get_id (profile), self->cancellable,
                               lookup_cb, data);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KlWindow) self = weak_ref_steal (user_data);
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  KlPage *welcome;

  profile = kl_credentials_import_cli_profile_finish (KL_CREDENTIALS (object), result, &error);
  if (self == NULL)
    return;

  welcome = get_page (self, KL_PAGE_WELCOME);
  if (profile == NULL)
    {
      kl_welcome_page_set_busy (KL_WELCOME_PAGE (welcome), FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kl_page_set_error (welcome, error->message);
      return;
    }

  if (self->profiles == NULL)
    self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->profiles, g_object_ref (profile));
  sign_in_with_profile (self, profile);
}

static void
profile_activated_cb (KlWindow   *self,
                      const char *id)
{
  KlPage *welcome = get_page (self, KL_PAGE_WELCOME);

  g_clear_pointer (&self->resume_group_id, g_free);

  if (g_str_has_prefix (id, "keyring:"))
    {
      KlProfile *profile = find_profile (self, id + strlen ("keyring:"));

      if (profile != NULL)
        sign_in_with_profile (self, profile);
      else
        g_debug ("No saved profile “%s”", id);
      return;
    }

  for (guint i = 0; self->cli_profiles != NULL && i < self->cli_profiles->len; i++)
    {
      KlCliProfile *cli = g_ptr_array_index (self->cli_profiles, i);

      if (g_str_has_prefix (id, "cli:") && g_str_equal (kl_cli_profile_get_name (cli), id + 4))
        {
          /* The Atlas CLI's secret is copied into a Keylink profile first. */
          kl_page_set_error (welcome, NULL);
          kl_welcome_page_set_busy (KL_WELCOME_PAGE (welcome), TRUE);
          kl_credentials_import_cli_profile_async (self->credentials, cli, self->cancellable,
                                                   import_cb, weak_ref_new (self));
          return;
        }
    }

  g_debug ("No profile “%s” to sign in with", id);
}

static void
continue_activated_cb (KlWindow *self)
{
  g_autofree char *profile_id = NULL;
  KlProfile *profile;

  g_return_if_fail (self->settings != NULL);

  profile_id = g_settings_get_string (self->settings, "last-profile");
  profile = find_profile (self, profile_id);
  if (profile == NULL)
    {
      g_debug ("The last profile “%s” is gone", profile_id);
      kl_welcome_page_set_continue (KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME)), NULL, NULL);
      return;
    }

  g_free (self->resume_group_id);
  self->resume_group_id = g_settings_get_string (self->settings, "last-project");
  sign_in_with_profile (self, profile);
}

/* ---- Saved profiles --------------------------------------------------------------------- */

static char *
describe_account (KlAuthType      auth_type,
                  KlAtlasService  service,
                  const char     *custom_url)
{
  const char *kind = auth_type == KL_AUTH_API_KEY ? _("API key") : _("Service account");
  const char *where;

  switch (service)
    {
    case KL_ATLAS_SERVICE_GOVERNMENT:
      where = _("Atlas for Government");
      break;
    case KL_ATLAS_SERVICE_CUSTOM:
      where = custom_url;
      break;
    case KL_ATLAS_SERVICE_ATLAS:
    default:
      where = _("MongoDB Atlas");
      break;
    }

  /* Translators: a saved profile, e.g. “Service account · MongoDB Atlas” */
  return g_strdup_printf (_("%s · %s"), kind, where != NULL ? where : "");
}

static gboolean
is_imported (KlWindow     *self,
             KlCliProfile *cli)
{
  const char *client_id = kl_cli_profile_get_client_id (cli);

  for (guint i = 0; client_id != NULL && self->profiles != NULL && i < self->profiles->len; i++)
    if (g_strcmp0 (kl_profile_get_client_id (g_ptr_array_index (self->profiles, i)),
                   client_id) == 0)
      return TRUE;

  return FALSE;
}

static void
add_profile_row (KlWindow  *self,
                 KlProfile *profile)
{
  g_autofree char *id = g_strconcat ("keyring:", kl_profile_get_id (profile), NULL);
  g_autofree char *subtitle = describe_account (kl_profile_get_auth_type (profile),
                                                kl_profile_get_service (profile),
                                                kl_profile_get_custom_url (profile));

  kl_welcome_page_add_profile (KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME)), id,
                               kl_profile_get_display_name (profile), subtitle, TRUE);
}

/* The profile used last comes first; then the rest, then the Atlas CLI's not yet imported. */
static void
show_profiles (KlWindow *self)
{
  KlWelcomePage *welcome = KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME));
  g_autofree char *last_profile = NULL;
  g_autofree char *last_project = NULL;
  g_autofree char *last_project_name = NULL;
  KlProfile *last = NULL;

  if (self->settings != NULL)
    {
      last_profile = g_settings_get_string (self->settings, "last-profile");
      last_project = g_settings_get_string (self->settings, "last-project");
      last_project_name = g_settings_get_string (self->settings, "last-project-name");
      last = find_profile (self, last_profile);
    }

  kl_welcome_page_clear_profiles (welcome);

  if (last != NULL)
    add_profile_row (self, last);
  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    if (g_ptr_array_index (self->profiles, i) != last)
      add_profile_row (self, g_ptr_array_index (self->profiles, i));

  for (guint i = 0; self->cli_profiles != NULL && i < self->cli_profiles->len; i++)
    {
      KlCliProfile *cli = g_ptr_array_index (self->cli_profiles, i);
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      gboolean usable = kl_cli_profile_is_importable (cli);

      if (is_imported (self, cli))
        continue;

      id = g_strconcat ("cli:", kl_cli_profile_get_name (cli), NULL);
      /* Translators: %s is the name of a profile of the Atlas command-line tool */
      title = g_strdup_printf (_("Atlas CLI: %s"), kl_cli_profile_get_name (cli));
      subtitle = usable ? describe_account (kl_cli_profile_get_auth_type (cli),
                                            kl_cli_profile_get_service (cli),
                                            kl_cli_profile_get_custom_url (cli))
                        : g_strdup (kl_cli_profile_get_problem (cli));
      kl_welcome_page_add_profile (welcome, id, title, subtitle, usable);
    }

  if (last != NULL && last_project != NULL && last_project[0] != '\0' &&
      last_project_name != NULL && last_project_name[0] != '\0' && !kl_context_get_demo (self->context))
    kl_welcome_page_set_continue (welcome, last_project_name, kl_profile_get_display_name (last));
  else
    kl_welcome_page_set_continue (welcome, NULL, NULL);

  kl_welcome_page_set_loading (welcome, FALSE);
}

static void
list_done (KlWindow *self)
{
  g_assert (self->lists_pending > 0);

  if (--self->lists_pending == 0)
    show_profiles (self);
}

static void
profiles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KlWindow) self = weak_ref_steal (user_data);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = kl_credentials_list_finish (KL_CREDENTIALS (object), result, &error);
  if (self == NULL)
    return;

  if (profiles == NULL)
    g_debug ("No saved profiles: %s", error->message);

  /* No Secret Service at all: the sign-in page says so before anyone tries to save. */
  kl_context_set_keyring_available (self->context,
                                    profiles != NULL ||
                                    !g_error_matches (error, KL_ERROR,
                                                      KL_ERROR_KEYRING_UNAVAILABLE));

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);
  list_done (self);
}

static void
cli_profiles_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KlWindow) self = weak_ref_steal (user_data);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = kl_credentials_list_cli_profiles_finish (KL_CREDENTIALS (object), result, &error);
  if (self == NULL)
    return;

  if (profiles == NULL)
    g_debug ("No Atlas CLI profiles: %s", error->message);

  g_clear_pointer (&self->cli_profiles, g_ptr_array_unref);
  self->cli_profiles = g_steal_pointer (&profiles);
  list_done (self);
}

static void
load_profiles (KlWindow *self)
{
  /* A listing in flight will show the latest state anyway. */
  if (self->lists_pending > 0)
    return;

  kl_welcome_page_set_loading (KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME)), TRUE);
  self->lists_pending = 2;
  kl_credentials_list_async (self->credentials, self->cancellable, profiles_listed_cb,
                             weak_ref_new (self));
  kl_credentials_list_cli_profiles_async (self->credentials, self->cancellable,
                                          cli_profiles_listed_cb, weak_ref_new (self));
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
static void
start_demo (KlWindow      *self,
            KlApplication *app)
{
  g_autoptr(KlAtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;

  kl_flow_set_demo (self->flow, TRUE);
  kl_context_set_demo (self->context, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->demo_revealer, TRUE);
  kl_welcome_page_set_demo (KL_WELCOME_PAGE (get_page (self, KL_PAGE_WELCOME)), TRUE);
  g_clear_pointer (&self->resume_group_id, g_free);
  update_pages (self);
  update_demo_button (self);

  client = kl_application_new_demo_client (app, &error);
  if (client == NULL)
    {
      kl_page_set_error (get_page (self, KL_PAGE_WELCOME), error->message);
      return;
    }

  kl_sign_in_async (client, self->cancellable, demo_signed_in_cb, weak_ref_new (self));
}

static void
app_demo_changed_cb (KlWindow      *self,
                     GParamSpec    *pspec,
                     KlApplication *app)
{
  if (kl_application_get_demo (app) && !kl_context_get_demo (self->context))
    start_demo (self, app);
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
   * else the Project page offers to finish it first. */
  if (!kl_context_get_demo (self->context) && self->settings != NULL && group_id != NULL &&
      kl_teardown_intent_get (self->settings, group_id, &teardown_kind))
    {
      if (kl_plan_can_teardown (plan, teardown_kind))
        unfinished = (int) teardown_kind;
      else
        kl_teardown_intent_clear (self->settings, group_id);
    }
  kl_project_page_set_unfinished_teardown (KL_PROJECT_PAGE (get_page (self, KL_PAGE_PROJECT)),
                                           unfinished);

  update_pages (self);
  update_demo_button (self);

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
      update_pages (self);
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
      self->teardown_kind = KL_TEARDOWN_PRIVATE_NETWORKING;
    }
  else if (g_str_equal (action, KL_PROJECT_ACTION_TEARDOWN_CMK))
    {
      flow = KL_FLOW_TEARDOWN;
      target = "teardown";
      self->teardown_kind = KL_TEARDOWN_CMK;
      kl_setup_answers_discard_draft (self->answers, kl_session_get_group_id (self->session));
    }

  g_return_if_fail (target != NULL && get_page (self, target) != NULL);

  entry = find_flow_page (target);
  g_assert (entry != NULL);
  kl_flow_set_entered (self->flow, entry->id);
  set_flow (self, flow);
  if (entry->enter != NULL)
    entry->enter (self, get_page (self, target));
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
      update_pages (self);
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
      update_pages (self);
    }

  update_demo_button (self);
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

  kl_setup_answers_clear_client_secret (self->answers);
  kl_project_page_reload (KL_PROJECT_PAGE (get_page (self, KL_PAGE_PROJECT)));
}

static void
finished_cb (KlWindow *self)
{
  kl_assistant_set_current_page (self->assistant, KL_PAGE_PROJECT);
  kl_window_add_toast (self, adw_toast_new (_("Finished. Here is where the project stands now.")));
}

/* ---- The window ------------------------------------------------------------------------- */

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);
  int width, height;

  /* Anything still in flight belongs to this window: stop it now. */
  g_cancellable_cancel (self->cancellable);
  kl_setup_answers_flush_draft (self->answers);

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (kl_window_parent_class)->close_request (window);
}

/* "application" is not a construct property: it is set after constructed(). */
static void
kl_window_notify_application (KlWindow   *self,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  KlApplication *kl_app;
  int width, height;

  if (!KL_IS_APPLICATION (app) || self->settings != NULL)
    return;

  kl_app = KL_APPLICATION (app);
  self->settings = g_object_ref (kl_application_get_settings (kl_app));
  kl_setup_answers_set_draft_settings (self->answers, self->settings);
  kl_context_set_settings (self->context, self->settings);
  kl_context_set_base_url (self->context, kl_application_get_atlas_url (kl_app));

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (kl_app, "notify::demo", G_CALLBACK (app_demo_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (kl_application_get_demo (kl_app))
    start_demo (self, kl_app);
  else
    load_profiles (self);
}

/* ---- The keyboard shortcuts window ---------------------------------------------------
 * Built after the first frame rather than with the window (GtkApplication's way), which
 * would put a whole GtkShortcutsWindow before it. win.show-help-overlay comes with it. */

static void
clear_paint_watch (KlWindow *self)
{
  if (self->paint_clock != NULL)
    g_clear_signal_handler (&self->paint_id, self->paint_clock);
  g_clear_object (&self->paint_clock);
}

static gboolean
load_help_overlay_cb (gpointer user_data)
{
  KlWindow *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  self->help_overlay_id = 0;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/kl-help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (overlay));

  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                KlWindow      *self)
{
  clear_paint_watch (self);

  if (self->help_overlay_id == 0 &&
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) == NULL)
    /* Off the flow: only the Keyboard Shortcuts window needs it, so it may wait for a quiet
     * main loop (while the window animates without pause, Ctrl+? shows nothing until then). */
    self->help_overlay_id = g_idle_add_full (G_PRIORITY_LOW, load_help_overlay_cb, self, NULL);
}

static void
kl_window_realize (GtkWidget *widget)
{
  KlWindow *self = KL_WINDOW (widget);
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (kl_window_parent_class)->realize (widget);

  clock = gtk_widget_get_frame_clock (widget);
  if (clock == NULL || self->paint_clock != NULL ||
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) != NULL)
    return;

  self->paint_clock = g_object_ref (clock);
  self->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), self);
}

static void
kl_window_unrealize (GtkWidget *widget)
{
  clear_paint_watch (KL_WINDOW (widget));

  GTK_WIDGET_CLASS (kl_window_parent_class)->unrealize (widget);
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  clear_paint_watch (self);
  g_clear_handle_id (&self->help_overlay_id, g_source_remove);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->answers != NULL)
    g_signal_handlers_disconnect_by_data (self->answers, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_WINDOW);

  G_OBJECT_CLASS (kl_window_parent_class)->dispose (object);
}

static void
kl_window_finalize (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->answers);
  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->credentials);
  g_clear_object (&self->flow);
  g_clear_object (&self->context);
  g_clear_pointer (&self->answers_group_id, g_free);
  g_clear_pointer (&self->resume_group_id, g_free);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->cli_profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (kl_window_parent_class)->finalize (object);
}

static void
kl_window_class_init (KlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kl_window_dispose;
  object_class->finalize = kl_window_finalize;

  widget_class->realize = kl_window_realize;
  widget_class->unrealize = kl_window_unrealize;

  window_class->close_request = kl_window_close_request;

  g_type_ensure (KL_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, fill_demo_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, assistant);

  kl_window_class_add_actions (widget_class);
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

static void
kl_window_add_pages (KlWindow *self)
{
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
}

/* The primary menu's popover is built when it is first opened, not with the window: building
 * it cost a seventh of the window's construction before the first frame. */
static void
create_primary_menu_cb (GtkMenuButton *button,
                        gpointer       user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
kl_window_init (KlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->primary_menu_button,
                                         create_primary_menu_cb, self, NULL);

  /* Named by the text it shows, once, without the mnemonic. */
  kl_a11y_name_button_by_text (GTK_BUTTON (self->fill_demo_button));

  self->cancellable = g_cancellable_new ();
  self->session = kl_session_new ();
  self->answers = kl_setup_answers_new ();
  self->credentials = kl_credentials_new ();
  self->flow = kl_flow_new ();
  self->context = kl_context_new (self->session, self->answers);
  kl_context_set_credentials (self->context, self->credentials);
  kl_context_set_cancellable (self->context, self->cancellable);
  kl_context_set_flow (self->context, self->flow);

  kl_assistant_set_cancellable (self->assistant, self->cancellable);
  kl_window_add_pages (self);

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
  g_signal_connect (self, "notify::application",
                    G_CALLBACK (kl_window_notify_application), NULL);

  update_pages (self);
  update_demo_button (self);

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

KlWindow *
kl_window_new (KlApplication *application)
{
  return g_object_new (KL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * kl_window_get_cancellable:
 *
 * Returns: (transfer none): the cancellable that is cancelled when the window closes.
 */
GCancellable *
kl_window_get_cancellable (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->cancellable;
}

void
kl_window_add_toast (KlWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (KL_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * kl_window_get_assistant:
 *
 * Returns: (transfer none): the assistant that runs the flow
 */
KlAssistant *
kl_window_get_assistant (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->assistant;
}

/**
 * kl_window_get_answers:
 *
 * Returns: (transfer none): what the user answered on the setup pages
 */
KlSetupAnswers *
kl_window_get_answers (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->answers;
}

/**
 * kl_window_get_session:
 *
 * Returns: (transfer none): the signed-in client, the chosen project and its state, shared
 *   by every page
 */
KlSession *
kl_window_get_session (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * kl_window_get_credentials:
 *
 * Returns: (transfer none): the saved profiles this window signs in with
 */
KlCredentials *
kl_window_get_credentials (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);

  return self->credentials;
}
