/* test-rotate-teardown.c — the Rotate and Teardown pages against the in-process simulator:
 * a key in another vault refused before any request, rotation in the same vault, a key Atlas
 * cannot use; both teardowns from a fully set-up project, a failed step retried, and a teardown
 * interrupted by closing the window that a new window resumes; screenshots.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-session.h"
#include "kl-setup-runner.h"
#include "kl-test-project.h"
#include "kl-test-widget.h"
#include "pages/done/kl-done-page.h"
#include "pages/rotate/kl-rotate-page.h"
#include "pages/teardown/kl-teardown-page.h"
#include "pages/teardown/kl-teardown-step-row.h"

#define TIMEOUT_MS KL_TEST_DEADLINE_MS

#define GROUP        KL_SIM_GROUP_READY
#define PROJECT_NAME "Payments"
#define EAR_PATH     "/api/atlas/v2/groups/" GROUP "/encryptionAtRest"

/* What kl_test_project_enable_cmk() sets up. */
#define VAULT       "contoso-keys"
#define OLD_VERSION "0123456789abcdef0123456789abcdef"
#define NEW_VERSION "fedcba9876543210fedcba9876543210"
#define CURRENT_KEY "https://contoso-keys.vault.azure.net/keys/atlas/" OLD_VERSION
#define NEW_KEY     "https://contoso-keys.vault.azure.net/keys/atlas/" NEW_VERSION
#define NEW_KEY_443 "https://contoso-keys.vault.azure.net:443/keys/atlas/" NEW_VERSION
#define OTHER_VAULT_KEY "https://fabrikam-keys.vault.azure.net/keys/atlas/" NEW_VERSION
#define CHINA_KEY   "https://contoso-keys.vault.azure.cn/keys/atlas/" NEW_VERSION
#define UNUSABLE_KEY "https://contoso-keys.vault.azure.net/keys/" KL_SIM_UNUSABLE_KEY_NAME "/" \
                     NEW_VERSION

/* A frozen clock (the tests move it), and UPDATING from the PATCH's answer on: the
 * IDLE-after-PATCH delay and the client's answer to it are tests/core/test-clusters.c's. */
static KlTestProject *
test_project_new (void)
{
  KlTestProject *project = kl_test_project_new (0);

  kl_sim_set_cluster_propagation (project->sim, 0);
  return project;
}

static KlApplication *app;

/* One window: what KlWindow does for these pages (a window cancellable cancelled when it
 * closes), with the pages in the app's order: rotate and teardown hidden, then the summary. */
typedef struct
{
  KlSession      *session;
  GtkWindow      *window;
  GCancellable   *cancellable;
  KlAssistant    *assistant;
  KlRotatePage   *rotate_page;
  KlTeardownPage *teardown_page;
  KlDonePage     *done_page;
} Window;

typedef struct
{
  KlTestProject *project;
  Window         win;
} Fixture;

/* ---- windows ---- */

static gboolean
close_request_cb (GtkWindow    *window,
                  GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
  return FALSE;
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
has_width (gpointer user_data)
{
  WidthWait *wait = user_data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

static KlProject *
get_project (KlTestProject *project)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KlTestAsync async = { NULL };
  KlProject *found;

  kl_atlas_client_get_project_async (project->client, GROUP, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  found = kl_atlas_client_get_project_finish (project->client, result, &error);
  g_assert_no_error (error);
  return found;
}

static void
window_open (Window        *win,
             KlTestProject *project,
             int            width,
             int            height)
{
  g_autoptr(KlProject) group = get_project (project);
  GtkWidget *box, *header;
  WidthWait wait;
  int border;

  /* A new session each time: what a restarted Keylink has. */
  win->session = kl_session_new ();
  kl_session_set_client (win->session, project->client);
  kl_session_set_project (win->session, group);

  win->cancellable = g_cancellable_new ();
  win->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_object_ref_sink (win->window);
  g_signal_connect (win->window, "close-request", G_CALLBACK (close_request_cb), win->cancellable);

  win->assistant = kl_assistant_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (win->assistant), TRUE);
  kl_assistant_set_cancellable (win->assistant, win->cancellable);

  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Keylink", "Atlas encryption at rest "
                                                                    "with your Azure key"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (win->assistant));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (win->window), box);

  win->rotate_page = KL_ROTATE_PAGE (kl_test_prepare_page (kl_prepare_rotate_page, win->session,
                                                           NULL, win->cancellable));
  kl_rotate_page_set_verify_policy (win->rotate_page, 2, 10);
  win->teardown_page = KL_TEARDOWN_PAGE (kl_test_prepare_page (kl_prepare_teardown_page, win->session,
                                                               NULL, win->cancellable));
  kl_teardown_page_set_poll_intervals (win->teardown_page, 5, 40);
  win->done_page = KL_DONE_PAGE (kl_test_prepare_page (kl_prepare_done_page, win->session,
                                                       NULL, win->cancellable));
  g_assert_true (kl_page_get_hidden (KL_PAGE (win->rotate_page)));
  g_assert_true (kl_page_get_hidden (KL_PAGE (win->teardown_page)));
  kl_assistant_add_page (win->assistant, KL_PAGE (win->rotate_page));
  kl_assistant_add_page (win->assistant, KL_PAGE (win->teardown_page));
  kl_assistant_add_page (win->assistant, KL_PAGE (win->done_page));

  gtk_window_set_default_size (win->window, width, height);
  g_assert_true (kl_test_window_show (win->window));

  /* The default size counts the resize border of client-side decorations. */
  border = width - gtk_widget_get_width (GTK_WIDGET (win->window));
  if (border != 0)
    {
      wait = (WidthWait) { GTK_WIDGET (win->window), width };
      gtk_window_set_default_size (win->window, width + border, height + border);
      g_assert_true (kl_test_wait_until (has_width, &wait, TIMEOUT_MS));
      g_assert_true (kl_test_window_show (win->window));
    }
}

static gboolean
nothing_in_flight (gpointer user_data)
{
  Window *win = user_data;

  /* The pages' reads and runs hold them until their (cancelled) answers are in. */
  return G_OBJECT (win->rotate_page)->ref_count == 1 &&
         G_OBJECT (win->teardown_page)->ref_count == 1 &&
         G_OBJECT (win->done_page)->ref_count == 1;
}

/* Closes the window as a person would (close-request: everything in flight stops), then checks
 * that nothing is left behind. */
static void
window_close (Window *win)
{
  g_object_ref (win->rotate_page);
  g_object_ref (win->teardown_page);
  g_object_ref (win->done_page);
  gtk_window_close (win->window);
  gtk_window_destroy (win->window);
  g_assert_finalize_object (win->window);
  g_assert_true (kl_test_wait_until (nothing_in_flight, win, TIMEOUT_MS));
  g_assert_finalize_object (win->rotate_page);
  g_assert_finalize_object (win->teardown_page);
  g_assert_finalize_object (win->done_page);
  g_assert_finalize_object (win->session);
  g_clear_object (&win->cancellable);
  memset (win, 0, sizeof *win);
}

static void
fixture_close (Fixture *fixture)
{
  window_close (&fixture->win);
  kl_test_project_free (fixture->project);
}

/* ---- set-up: the project as the setup flow leaves it ---- */

typedef struct
{
  KlTestProject *project;
  const char    *method;
  const char    *suffix;
  guint          n;
} RequestsWait;

static gboolean
requests_answered (gpointer user_data)
{
  RequestsWait *wait = user_data;
  g_autoptr(GPtrArray) requests = kl_test_project_requests (wait->project, wait->method,
                                                            wait->suffix);

  return requests->len >= wait->n;
}

static void
wait_requests (KlTestProject *project,
               const char    *method,
               const char    *suffix,
               guint          n)
{
  RequestsWait wait = { project, method, suffix, n };

  g_assert_true (kl_test_wait_until (requests_answered, &wait, TIMEOUT_MS));
}

/* CMK on, private networking required, an approved endpoint in both cluster regions, both
 * clusters on the key: set up with the client directly. */
static void
full_setup (KlTestProject *project)
{
  g_autoptr(KlSetupRunner) runner = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *regions[] = { "EUROPE_WEST", "US_EAST_2", NULL };
  KlTestAsync async = { NULL };

  kl_test_project_enable_cmk (project, GROUP, TRUE);

  runner = kl_setup_runner_new (project->client, GROUP);
  kl_setup_runner_set_poll_intervals (runner, 5, 40);
  kl_setup_runner_create_endpoints_async (runner, regions, NULL, kl_test_async_cb, &async);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_create_endpoints_finish (runner, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kl_sim_advance (project->sim, KL_SIM_INITIATING_SECONDS);
  endpoints = kl_test_project_list_endpoints (project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 2);
  for (guint i = 0; i < endpoints->len; i++)
    {
      kl_sim_approve_endpoint (project->sim, GROUP,
                               kl_private_endpoint_get_id (endpoints->pdata[i]), &error);
      g_assert_no_error (error);
    }
  kl_sim_advance (project->sim, KL_SIM_ACTIVATION_SECONDS);

  clusters = kl_test_project_list_clusters (project, GROUP);
  kl_sim_clear_requests (project->sim);
  kl_setup_runner_enable_clusters_async (runner, clusters, NULL, kl_test_async_cb, &async);
  wait_requests (project, "PATCH", NULL, 2);
  kl_sim_advance (project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);
  result = kl_test_async_wait (&async);
  g_assert_true (kl_setup_runner_enable_clusters_finish (runner, result, &error));
  g_assert_no_error (error);

  kl_sim_clear_requests (project->sim);
}

/* ---- the rotation's confirmation ---- */

static gboolean
has_message_dialog (gpointer user_data)
{
  AdwMessageDialog **dialog = user_data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      {
        *dialog = l->data;
        return TRUE;
      }

  return FALSE;
}

/* Next on Rotate asks first (Cancel the default): answers @response. */
static void
answer_rotation (const char *response)
{
  AdwMessageDialog *dialog = NULL;

  g_assert_true (kl_test_wait_until (has_message_dialog, &dialog, TIMEOUT_MS));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Rotate the Key?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- helpers ---- */

static void
enter (Window *win,
       KlPage *page)
{
  /* What the Project page does. */
  kl_page_set_hidden (page, FALSE);
  g_assert_true (kl_assistant_set_current_page (win->assistant, kl_page_get_page_id (page)));
}

static gboolean
rotate_loaded (gpointer user_data)
{
  Window *win = user_data;

  return kl_test_find_by_label (GTK_WIDGET (win->rotate_page), CURRENT_KEY) != NULL;
}

static gboolean
done_loaded (gpointer user_data)
{
  Window *win = user_data;

  return kl_assistant_get_current_page (win->assistant) == KL_PAGE (win->done_page) &&
         kl_done_page_get_loaded (win->done_page);
}

static gboolean
apply_over (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

static gboolean
teardown_loaded (gpointer user_data)
{
  return kl_teardown_page_get_loaded (KL_TEARDOWN_PAGE (user_data));
}

static gboolean
teardown_stopped (gpointer user_data)
{
  /* The assistant has its apply's result too (a cancelled one comes an iteration later). */
  return !kl_teardown_page_get_running (KL_TEARDOWN_PAGE (user_data)) &&
         !kl_page_get_applying (KL_PAGE (user_data));
}

static void
type_text (AdwEntryRow *row,
           const char  *text)
{
  gtk_widget_grab_focus (GTK_WIDGET (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static AdwEntryRow *
find_entry (GtkWidget  *page,
            const char *title)
{
  GtkWidget *label = kl_test_find_by_label (page, title);
  GtkWidget *row;

  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);
  return ADW_ENTRY_ROW (row);
}

static guint
count_requests (KlTestProject *project,
                const char    *method,
                const char    *suffix)
{
  g_autoptr(GPtrArray) requests = kl_test_project_requests (project, method, suffix);

  return requests->len;
}

/* Every answer of the simulator since the log was cleared was a success. */
static void
assert_no_server_error (KlTestProject *project)
{
  g_autoptr(GPtrArray) requests = kl_test_project_requests (project, NULL, NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      KlSimRequest *request = g_ptr_array_index (requests, i);

      if (request->status >= 400 || request->status == 0)
        g_error ("%s %s answered %u", request->method, request->path, request->status);
    }
}

/* The kinds of the steps the teardown page shows, in order. */
static GArray *
shown_kinds (KlTeardownPage *page)
{
  GListModel *steps = kl_teardown_page_get_steps (page);
  GArray *kinds = g_array_new (FALSE, FALSE, sizeof (KlStepKind));

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);
      KlStepKind kind = kl_step_get_kind (step);

      g_array_append_val (kinds, kind);
    }

  return kinds;
}

static void
assert_kinds (KlTeardownPage   *page,
              const KlStepKind *expected,
              guint             n_expected)
{
  g_autoptr(GArray) kinds = shown_kinds (page);

  g_assert_cmpuint (kinds->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (kinds, KlStepKind, i), ==, expected[i]);
}

typedef struct
{
  KlTeardownPage *page;
  KlStepKind      kind;
  KlStepState     state;
} StepWait;

static gboolean
step_in_state (gpointer user_data)
{
  StepWait *wait = user_data;
  GListModel *steps = kl_teardown_page_get_steps (wait->page);

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      if (kl_step_get_kind (step) == wait->kind && kl_step_get_state (step) == wait->state)
        return TRUE;
    }

  return FALSE;
}

static void
wait_step (KlTeardownPage *page,
           KlStepKind      kind,
           KlStepState     state)
{
  StepWait wait = { page, kind, state };

  g_assert_true (kl_test_wait_until (step_in_state, &wait, TIMEOUT_MS));
}

/* The teardown's one primary button: the assistant's, in its action bar, never the page's. */
static GtkWidget *
start_button (KlTeardownPage *page,
              KlTeardownKind  kind)
{
  const char *label = kind == KL_TEARDOWN_CMK ? "_Turn Off Your Key"
                                              : "_Turn Off Private Networking";
  GtkWidget *assistant = gtk_widget_get_ancestor (GTK_WIDGET (page), KL_TYPE_ASSISTANT);
  GtkWidget *button;

  g_assert_nonnull (assistant);
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), label));
  button = kl_test_find_by_label (assistant, label);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_nonnull (gtk_widget_get_ancestor (button, GTK_TYPE_ACTION_BAR));
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
  g_assert_false (gtk_widget_has_css_class (button, "suggested-action"));
  return button;
}

/* Shows the page for @kind and waits for its steps, read from the server. */
static void
show_teardown (Window         *win,
               KlTeardownKind  kind)
{
  kl_teardown_page_set_kind (win->teardown_page, kind);
  enter (win, KL_PAGE (win->teardown_page));
  g_assert_true (kl_test_wait_until (teardown_loaded, win->teardown_page, TIMEOUT_MS));
}

/* Types the project's name, checking that nothing can start before it matches exactly. */
static void
confirm (Window         *win,
         KlTeardownKind  kind)
{
  GtkWidget *button = start_button (win->teardown_page, kind);
  AdwEntryRow *name = find_entry (GTK_WIDGET (win->teardown_page), "Project Name");

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_is_sensitive (button));
  type_text (name, "payments");
  g_assert_false (gtk_widget_is_sensitive (button));
  type_text (name, PROJECT_NAME " ");
  g_assert_false (gtk_widget_is_sensitive (button));
  type_text (name, PROJECT_NAME);
  g_assert_true (gtk_widget_is_sensitive (button));
}

static void
start (Window         *win,
       KlTeardownKind  kind)
{
  g_signal_emit_by_name (start_button (win->teardown_page, kind), "clicked");
  g_assert_true (kl_teardown_page_get_running (win->teardown_page));
}

static gboolean
is_step_row (GtkWidget     *widget,
             gconstpointer  kind)
{
  return KL_IS_TEARDOWN_STEP_ROW (widget) &&
         kl_step_get_kind (kl_teardown_step_row_get_step (KL_TEARDOWN_STEP_ROW (widget))) ==
         (KlStepKind) GPOINTER_TO_INT (kind);
}

static KlTeardownStepRow *
find_step_row (GtkWidget  *root,
               KlStepKind  kind)
{
  return (KlTeardownStepRow *) kl_test_find (root, FALSE, is_step_row, GINT_TO_POINTER (kind));
}

/* The warning stays visible whatever the page shows. */
static void
assert_warning_shown (Window *win)
{
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (win->teardown_page),
                                            "Never disable or delete the key in Azure before "
                                            "Keylink has finished: your clusters need it until "
                                            "the last step.");

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_visible (label));
}

/* ---- rotation ---- */

static void
rotate_fixture_open (Fixture *fixture)
{
  fixture->project = test_project_new ();
  kl_test_project_enable_cmk (fixture->project, GROUP, TRUE);
  window_open (&fixture->win, fixture->project, 720, 900);
  enter (&fixture->win, KL_PAGE (fixture->win.rotate_page));
  g_assert_true (kl_test_wait_until (rotate_loaded, &fixture->win, TIMEOUT_MS));
  kl_sim_clear_requests (fixture->project->sim);
}

/* A key in another vault, or in another cloud, is refused as it is typed: nothing is sent. */
static void
test_rotate_other_vault (void)
{
  Fixture fixture = { NULL };
  KlRotatePage *page;
  KlField *field;
  g_autofree char *expected = NULL;

  rotate_fixture_open (&fixture);
  page = fixture.win.rotate_page;
  field = kl_rotate_page_get_field (page);
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  type_text (kl_field_get_row (field), OTHER_VAULT_KEY);
  kl_field_validate (field);
  expected = g_strdup_printf ("A rotated key must stay in the vault “%s” (Azure), but this "
                              "identifier points to “fabrikam-keys.vault.azure.net”. Create the "
                              "new key, or a new version of the key, in “%s”, then paste its "
                              "identifier.", VAULT, VAULT);
  g_assert_cmpstr (kl_field_get_message (field), ==, expected);
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), expected));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* Next does nothing. */
  kl_assistant_next (fixture.win.assistant);
  g_assert_false (kl_page_get_applying (KL_PAGE (page)));
  g_assert_true (kl_assistant_get_current_page (fixture.win.assistant) == KL_PAGE (page));

  /* Another cloud's vault of the same name is another vault too. */
  type_text (kl_field_get_row (field), CHINA_KEY);
  kl_field_validate (field);
  g_assert_true (g_str_has_prefix (kl_field_get_message (field),
                                   "A rotated key must stay in the vault “" VAULT "” (Azure)"));
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  /* The key in use is no rotation. */
  type_text (kl_field_get_row (field), CURRENT_KEY);
  kl_field_validate (field);
  g_assert_cmpstr (kl_field_get_message (field), ==,
                   "This is the key Atlas uses now. Paste the identifier of the new key, or of "
                   "the key’s new version.");
  kl_assistant_next (fixture.win.assistant);
  g_assert_false (kl_page_get_applying (KL_PAGE (page)));

  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);

  fixture_close (&fixture);
}

/* A new version in the same vault: PATCH keyIdentifier alone, read back until valid, then the
 * summary; what PowerShell adds is one click away from fixed. */
static void
test_rotate_same_vault (void)
{
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  Fixture fixture = { NULL };
  KlAzureKeyVault *akv;
  KlRotatePage *page;
  GtkWidget *fix;
  KlField *field;

  rotate_fixture_open (&fixture);
  page = fixture.win.rotate_page;
  field = kl_rotate_page_get_field (page);

  type_text (kl_field_get_row (field), NEW_KEY_443);
  kl_field_validate (field);
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));
  fix = kl_test_find_by_label (GTK_WIDGET (page), "_Fix");
  g_assert_true (GTK_IS_BUTTON (fix));
  g_assert_true (gtk_widget_get_visible (fix));
  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (kl_field_get_text (field), ==, NEW_KEY);
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));

  /* Cancel first: nothing is sent, the page stays. */
  kl_assistant_next (fixture.win.assistant);
  answer_rotation ("cancel");
  g_assert_true (kl_test_wait_until (apply_over, page, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  g_assert_true (kl_assistant_get_current_page (fixture.win.assistant) == KL_PAGE (page));
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);

  kl_assistant_next (fixture.win.assistant);
  answer_rotation ("rotate");
  g_assert_true (kl_test_wait_until (done_loaded, &fixture.win, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  /* Out of the Next/Back order again. */
  g_assert_true (kl_page_get_hidden (KL_PAGE (page)));

  ear = kl_test_project_get_ear (fixture.project, GROUP);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==, NEW_KEY);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_key_vault_name (akv), ==, VAULT);
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", EAR_PATH), ==, 1);
  assert_no_server_error (fixture.project);

  /* The summary shows the new key. */
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (fixture.win.done_page), NEW_KEY));

  fixture_close (&fixture);
}

/* Atlas takes the identifier but cannot use the key: said in plain words, with the way back. */
static void
test_rotate_not_valid (void)
{
  Fixture fixture = { NULL };
  KlRotatePage *page;
  const char *error;

  rotate_fixture_open (&fixture);
  page = fixture.win.rotate_page;

  type_text (kl_field_get_row (kl_rotate_page_get_field (page)), UNUSABLE_KEY);
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  kl_assistant_next (fixture.win.assistant);
  answer_rotation ("rotate");
  g_assert_true (kl_test_wait_until (apply_over, page, TIMEOUT_MS));

  error = kl_page_get_error (KL_PAGE (page));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "Atlas took the new key identifier but cannot use "
                                          "the key"));
  g_assert_true (g_str_has_suffix (error, "rotate to the previous key: " CURRENT_KEY));
  g_assert_true (kl_assistant_get_current_page (fixture.win.assistant) == KL_PAGE (page));
  /* One PATCH, then reads: never a second PATCH by itself. */
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", EAR_PATH), ==, 1);

  fixture_close (&fixture);
}

/* ---- teardown ---- */

static void
teardown_fixture_open (Fixture *fixture)
{
  fixture->project = test_project_new ();
  full_setup (fixture->project);
  window_open (&fixture->win, fixture->project, 720, 900);
}

static void
test_teardown_private_networking (void)
{
  static const KlStepKind expected[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE,
    KL_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GPtrArray) clusters = NULL;
  Fixture fixture = { NULL };
  KlTeardownPage *page;
  GListModel *steps;
  KlAzureKeyVault *akv;

  teardown_fixture_open (&fixture);
  page = fixture.win.teardown_page;
  show_teardown (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);

  g_assert_cmpstr (kl_page_get_title (KL_PAGE (page)), ==, "Turn Off Private Networking");
  assert_kinds (page, expected, G_N_ELEMENTS (expected));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "Delete the private endpoint in East US 2 (US_EAST_2)"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "Stop requiring private networking for the key vault"));
  assert_warning_shown (&fixture.win);
  /* Reading changed nothing. */
  g_assert_cmpuint (count_requests (fixture.project, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);
  g_assert_false (kl_page_get_complete (KL_PAGE (page)));

  confirm (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  start (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  assert_warning_shown (&fixture.win);

  /* Both endpoints deleted at once; they stay DELETING until the clock moves. */
  wait_requests (fixture.project, "DELETE", NULL, 2);
  wait_step (page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);
  kl_sim_advance (fixture.project->sim, KL_SIM_DELETING_SECONDS);

  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));
  steps = kl_teardown_page_get_steps (page);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(KlStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (kl_step_get_state (step), ==, KL_STEP_STATE_DONE);
    }
  g_assert_null (kl_teardown_get_error (kl_teardown_page_get_teardown (page)));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  assert_no_server_error (fixture.project);

  ear = kl_test_project_get_ear (fixture.project, GROUP);
  akv = kl_encryption_at_rest_get_azure_key_vault (ear);
  g_assert_false (kl_azure_key_vault_get_require_private_networking (akv));
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  endpoints = kl_test_project_list_endpoints (fixture.project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 0);
  clusters = kl_test_project_list_clusters (fixture.project, GROUP);
  for (guint i = 0; i < clusters->len; i++)
    g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (clusters->pdata[i]), ==, "AZURE");

  /* Done: the assistant goes on to the summary by itself. */
  g_assert_true (kl_test_wait_until (done_loaded, &fixture.win, TIMEOUT_MS));
  g_assert_true (kl_page_get_hidden (KL_PAGE (page)));

  fixture_close (&fixture);
}

static void
run_cmk_teardown_to_end (Fixture *fixture)
{
  KlTeardownPage *page = fixture->win.teardown_page;

  wait_step (page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);
  kl_sim_advance (fixture->project->sim, KL_SIM_DELETING_SECONDS);

  /* The clusters go back to Atlas-managed keys only once no endpoint is left. */
  wait_requests (fixture->project, "PATCH", "/clusters/payments-eu", 1);
  wait_requests (fixture->project, "PATCH", "/clusters/payments-us", 1);
  g_assert_cmpuint (count_requests (fixture->project, "PATCH", EAR_PATH), ==, 0);
  kl_sim_advance (fixture->project->sim, KL_SIM_CLUSTER_UPDATE_SECONDS);

  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));
  g_assert_null (kl_teardown_get_error (kl_teardown_page_get_teardown (page)));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
}

static void
assert_cmk_off (KlTestProject *project)
{
  g_autoptr(KlEncryptionAtRest) ear = kl_test_project_get_ear (project, GROUP);
  g_autoptr(GPtrArray) endpoints = kl_test_project_list_endpoints (project, GROUP);
  g_autoptr(GPtrArray) clusters = kl_test_project_list_clusters (project, GROUP);

  g_assert_false (kl_azure_key_vault_get_enabled (kl_encryption_at_rest_get_azure_key_vault (ear)));
  g_assert_cmpuint (endpoints->len, ==, 0);
  g_assert_cmpuint (clusters->len, ==, 2);
  for (guint i = 0; i < clusters->len; i++)
    {
      g_assert_cmpstr (kl_cluster_get_encryption_at_rest_provider (clusters->pdata[i]), ==, "NONE");
      g_assert_cmpstr (kl_cluster_get_state_name (clusters->pdata[i]), ==, "IDLE");
    }
}

static void
test_teardown_cmk (void)
{
  static const KlStepKind expected[] = {
    KL_STEP_DELETE_ENDPOINT, KL_STEP_DELETE_ENDPOINT, KL_STEP_WAIT_ENDPOINTS_GONE,
    KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_WAIT_CLUSTERS_IDLE,
    KL_STEP_DISABLE_CMK,
  };
  Fixture fixture = { NULL };
  KlTeardownPage *page;

  teardown_fixture_open (&fixture);
  page = fixture.win.teardown_page;
  show_teardown (&fixture.win, KL_TEARDOWN_CMK);
  g_assert_cmpstr (kl_page_get_title (KL_PAGE (page)), ==, "Turn Off Your Key");
  assert_kinds (page, expected, G_N_ELEMENTS (expected));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page),
                                           "Stop using your key on cluster “payments-eu”"));

  confirm (&fixture.win, KL_TEARDOWN_CMK);
  start (&fixture.win, KL_TEARDOWN_CMK);
  run_cmk_teardown_to_end (&fixture);
  assert_no_server_error (fixture.project);
  assert_cmk_off (fixture.project);

  /* The summary, shown once every step is done, says the key is off, and what to keep. */
  g_assert_true (kl_test_wait_until (done_loaded, &fixture.win, TIMEOUT_MS));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (fixture.win.done_page),
                                           "Off: Atlas manages the keys"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (fixture.win.done_page),
                                           "Keep the key until old backups are gone"));

  fixture_close (&fixture);
}

/* The last step fails: its row says why and offers Retry, which continues from there. */
static void
test_teardown_retry (void)
{
  Fixture fixture = { NULL };
  g_autoptr(GError) error = NULL;
  const GError *step_error;
  KlTeardownStepRow *row;
  KlTeardownPage *page;
  GtkWidget *retry;
  GListModel *steps;
  guint last;

  teardown_fixture_open (&fixture);
  page = fixture.win.teardown_page;
  show_teardown (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  kl_sim_add_fault (fixture.project->sim,
                    "{\"path\":\"" EAR_PATH "\",\"method\":\"PATCH\",\"kind\":\"status\","
                    "\"status\":500,\"count\":1}", &error);
  g_assert_no_error (error);

  confirm (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  start (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  wait_step (page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);
  kl_sim_advance (fixture.project->sim, KL_SIM_DELETING_SECONDS);
  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));

  steps = kl_teardown_page_get_steps (page);
  last = g_list_model_get_n_items (steps) - 1;
  row = find_step_row (GTK_WIDGET (page), KL_STEP_DISABLE_PRIVATE_NETWORKING);
  g_assert_nonnull (row);
  g_assert_cmpstr (kl_teardown_step_row_get_shown_state (row), ==, "failed");
  step_error = kl_step_get_error (kl_teardown_step_row_get_step (row));
  g_assert_nonnull (step_error);
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (row), step_error->message));
  /* Not finished: the primary button still turns off, and continues from the failed step. */
  g_assert_true (kl_page_get_needs_apply (KL_PAGE (page)));
  g_assert_true (gtk_widget_is_sensitive (start_button (page, KL_TEARDOWN_PRIVATE_NETWORKING)));
  g_assert_cmpuint (last, ==, 3);

  retry = kl_test_find_by_label (GTK_WIDGET (row), "_Retry");
  g_assert_true (GTK_IS_BUTTON (retry));
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_true (gtk_widget_is_sensitive (retry));
  kl_sim_clear_requests (fixture.project->sim);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_true (kl_teardown_page_get_running (page));
  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));

  /* Only what was left: no endpoint is deleted again. */
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  g_assert_cmpuint (count_requests (fixture.project, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", EAR_PATH), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (kl_teardown_page_get_steps (page)), ==, 1);
  assert_no_server_error (fixture.project);

  fixture_close (&fixture);
}

/* The assistant's Cancel (as on Clusters; the page has no Stop of its own) holds the teardown
 * where it is; starting again continues from the server's state. */
static void
test_teardown_stop (void)
{
  static const KlStepKind rest[] = {
    KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_DISABLE_PRIVATE_NETWORKING,
  };
  Fixture fixture = { NULL };
  KlTeardownPage *page;
  GtkWidget *stop;

  teardown_fixture_open (&fixture);
  page = fixture.win.teardown_page;
  show_teardown (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  confirm (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  start (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  g_assert_false (gtk_widget_is_sensitive (start_button (page, KL_TEARDOWN_PRIVATE_NETWORKING)));
  wait_step (page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);

  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "_Stop"));
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "_Cancel"));
  stop = kl_test_find_by_label (GTK_WIDGET (fixture.win.assistant), "_Cancel");
  g_assert_true (GTK_IS_BUTTON (stop));
  g_assert_nonnull (gtk_widget_get_ancestor (stop, GTK_TYPE_ACTION_BAR));
  g_assert_true (gtk_widget_get_mapped (stop));
  g_assert_true (gtk_widget_is_sensitive (stop));
  g_signal_emit_by_name (stop, "clicked");
  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));
  g_assert_false (gtk_widget_is_sensitive (stop));
  g_assert_true (kl_page_get_needs_apply (KL_PAGE (page)));
  g_assert_null (kl_page_get_error (KL_PAGE (page)));
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);

  /* The name is still there: start again; only what is left runs. */
  g_assert_true (gtk_widget_is_sensitive (start_button (page, KL_TEARDOWN_PRIVATE_NETWORKING)));
  kl_sim_clear_requests (fixture.project->sim);
  start (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
  wait_step (page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);
  assert_kinds (page, rest, G_N_ELEMENTS (rest));
  kl_sim_advance (fixture.project->sim, KL_SIM_DELETING_SECONDS);
  g_assert_true (kl_test_wait_until (teardown_stopped, page, TIMEOUT_MS));
  g_assert_true (kl_page_get_complete (KL_PAGE (page)));
  g_assert_cmpuint (count_requests (fixture.project, "DELETE", NULL), ==, 0);
  assert_no_server_error (fixture.project);

  fixture_close (&fixture);
}

/* Closing the window once the endpoints are being deleted stops the teardown; a new window on
 * a new session lists only what is left and finishes it. */
static void
test_teardown_resume (void)
{
  static const KlStepKind rest[] = {
    KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_CLUSTER_PROVIDER_NONE, KL_STEP_CLUSTER_PROVIDER_NONE,
    KL_STEP_WAIT_CLUSTERS_IDLE, KL_STEP_DISABLE_CMK,
  };
  g_autoptr(GPtrArray) endpoints = NULL;
  Fixture fixture = { NULL };

  teardown_fixture_open (&fixture);
  show_teardown (&fixture.win, KL_TEARDOWN_CMK);
  confirm (&fixture.win, KL_TEARDOWN_CMK);
  start (&fixture.win, KL_TEARDOWN_CMK);
  wait_requests (fixture.project, "DELETE", NULL, 2);
  wait_step (fixture.win.teardown_page, KL_STEP_WAIT_ENDPOINTS_GONE, KL_STEP_STATE_RUNNING);

  /* Closed in the middle: everything in flight stops, nothing else is sent. */
  window_close (&fixture.win);
  endpoints = kl_test_project_list_endpoints (fixture.project, GROUP);
  g_assert_cmpuint (endpoints->len, ==, 2);
  for (guint i = 0; i < endpoints->len; i++)
    g_assert_cmpint (kl_private_endpoint_get_status (endpoints->pdata[i]), ==,
                     KL_ENDPOINT_STATUS_DELETING);
  g_assert_cmpuint (count_requests (fixture.project, "PATCH", NULL), ==, 0);

  /* Opened again. */
  kl_sim_clear_requests (fixture.project->sim);
  window_open (&fixture.win, fixture.project, 720, 900);
  show_teardown (&fixture.win, KL_TEARDOWN_CMK);
  assert_kinds (fixture.win.teardown_page, rest, G_N_ELEMENTS (rest));
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (fixture.win.teardown_page),
                                        "Delete the private endpoint in East US 2 (US_EAST_2)"));

  confirm (&fixture.win, KL_TEARDOWN_CMK);
  start (&fixture.win, KL_TEARDOWN_CMK);
  run_cmk_teardown_to_end (&fixture);
  assert_kinds (fixture.win.teardown_page, rest, G_N_ELEMENTS (rest));
  g_assert_cmpuint (count_requests (fixture.project, "DELETE", NULL), ==, 0);
  assert_no_server_error (fixture.project);
  assert_cmk_off (fixture.project);

  fixture_close (&fixture);
}

/* ---- screenshots ---- */

typedef enum
{
  SHOT_ROTATE,            /* a new key typed */
  SHOT_ROTATE_ERROR,      /* a key in another vault */
  SHOT_TEARDOWN_CONFIRM,  /* the steps, the name typed */
  SHOT_TEARDOWN_RUNNING,  /* endpoints deleted, waiting for them to go */
  SHOT_TEARDOWN_FAILED,   /* the last step failed: its error and Retry */
} Shot;

static void
scroll_to_end (GtkWidget *page)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  /* Laid out first. */
  g_assert_true (kl_test_window_show (GTK_WINDOW (gtk_widget_get_root (page))));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

static void
test_screenshots (void)
{
  static const char *names[] = { "rotate-normal", "rotate-error", "teardown-confirm",
                                 "teardown-running", "teardown-failed" };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (Shot shot = SHOT_ROTATE; shot <= SHOT_TEARDOWN_FAILED; shot++)
    for (guint dark = 0; dark <= 1; dark++)
      for (guint narrow = 0; narrow <= 1; narrow++)
        {
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;
          Fixture fixture = { NULL };
          int width = narrow ? 360 : 720;

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          fixture.project = test_project_new ();

          if (shot == SHOT_ROTATE || shot == SHOT_ROTATE_ERROR)
            {
              KlField *field;

              kl_test_project_enable_cmk (fixture.project, GROUP, TRUE);
              window_open (&fixture.win, fixture.project, width, 900);
              enter (&fixture.win, KL_PAGE (fixture.win.rotate_page));
              g_assert_true (kl_test_wait_until (rotate_loaded, &fixture.win, TIMEOUT_MS));
              field = kl_rotate_page_get_field (fixture.win.rotate_page);
              kl_field_set_text (field, shot == SHOT_ROTATE ? NEW_KEY : OTHER_VAULT_KEY);
            }
          else if (shot == SHOT_TEARDOWN_FAILED)
            {
              full_setup (fixture.project);
              window_open (&fixture.win, fixture.project, width, 900);
              show_teardown (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
              kl_sim_add_fault (fixture.project->sim,
                                "{\"path\":\"" EAR_PATH "\",\"method\":\"PATCH\","
                                "\"kind\":\"status\",\"status\":500,\"count\":1}", NULL);
              confirm (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
              start (&fixture.win, KL_TEARDOWN_PRIVATE_NETWORKING);
              wait_step (fixture.win.teardown_page, KL_STEP_WAIT_ENDPOINTS_GONE,
                         KL_STEP_STATE_RUNNING);
              kl_sim_advance (fixture.project->sim, KL_SIM_DELETING_SECONDS);
              g_assert_true (kl_test_wait_until (teardown_stopped, fixture.win.teardown_page,
                                                 TIMEOUT_MS));
            }
          else
            {
              full_setup (fixture.project);
              window_open (&fixture.win, fixture.project, width, 900);
              show_teardown (&fixture.win, KL_TEARDOWN_CMK);
              confirm (&fixture.win, KL_TEARDOWN_CMK);
              /* The confirmation and its button, under the steps. */
              if (shot == SHOT_TEARDOWN_CONFIRM)
                scroll_to_end (GTK_WIDGET (fixture.win.teardown_page));
              if (shot == SHOT_TEARDOWN_RUNNING)
                {
                  start (&fixture.win, KL_TEARDOWN_CMK);
                  wait_step (fixture.win.teardown_page, KL_STEP_WAIT_ENDPOINTS_GONE,
                             KL_STEP_STATE_RUNNING);
                }
            }

          /* Two frames: wrapped labels that changed last settle in the second. */
          g_assert_true (kl_test_window_show (fixture.win.window));
          g_assert_true (kl_test_window_show (fixture.win.window));
          g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.win.window)), ==, width);
          name = g_strdup_printf ("%s-%s%s", names[shot], dark ? "dark" : "light",
                                  narrow ? "-narrow" : "");
          path = kl_test_save_screenshot (GTK_WIDGET (fixture.win.window), name);
          g_test_message ("saved %s", path);

          fixture_close (&fixture);
        }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/rotate/other-vault-refused", test_rotate_other_vault);
  g_test_add_func ("/rotate/same-vault", test_rotate_same_vault);
  g_test_add_func ("/rotate/not-valid", test_rotate_not_valid);
  g_test_add_func ("/teardown/private-networking", test_teardown_private_networking);
  g_test_add_func ("/teardown/cmk", test_teardown_cmk);
  g_test_add_func ("/teardown/retry", test_teardown_retry);
  g_test_add_func ("/teardown/stop", test_teardown_stop);
  g_test_add_func ("/teardown/resume", test_teardown_resume);
  g_test_add_func ("/rotate-teardown/screenshots", test_screenshots);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
