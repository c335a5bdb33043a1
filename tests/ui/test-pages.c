/* test-pages.c
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
#include "kl-atlas-client.h"
#include "kl-sim.h"
#include "kl-setup-answers.h"
#include "kl-window.h"
#include "kl-test-widget.h"
#include "kl-session.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "pages/project/kl-project-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/welcome/kl-welcome-page.h"

/* The real pages in the real window: validation as the user types or pastes, and
 * screenshots of each page in light and dark, wide and narrow. */

#define TIMEOUT_MS 5000

/* Made-up values of the right shapes. */
#define TENANT_ID       "5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5f"
#define CLIENT_ID       "0f3e5c4a-9b2d-4e8f-a1c7-6d5b3a2f1e0d"
#define CLIENT_SECRET   "Xk8Q~q2Zr.Tn5-Lw9_Yb3Vd7Fh1Jm4Pc6Sg0Ue8a"
#define SECRET_ID       "7c2d9e4f-1a3b-4c5d-9e8f-6a7b8c9d0e1f"
#define SUBSCRIPTION_ID "6f1d2c3b-8e4a-4b0e-9c7d-2a5e1f3b4c6d"
#define RESOURCE_GROUP  "rg-atlas-keys"
#define VAULT           "contoso-keys"
#define KEY_VERSION     "0123456789abcdef0123456789abcdef"
#define KEY_ID          "https://contoso-keys.vault.azure.net/keys/atlas-cmk/" KEY_VERSION
#define KEY_ID_443      "https://contoso-keys.vault.azure.net:443/keys/atlas-cmk/" KEY_VERSION
#define RESOURCE_ID     "/subscriptions/" SUBSCRIPTION_ID "/resourceGroups/" RESOURCE_GROUP \
                        "/providers/Microsoft.KeyVault/vaults/" VAULT

#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000beef"
#define SA_SECRET       "mdb_sa_sk_0123456789abcdefghijklmnopqrstuv"

static KlApplication *app;

typedef struct
{
  KlWindow       *window;
  KlAssistant    *assistant;
  KlSetupAnswers *answers;
} Fixture;

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

static gboolean
welcome_loaded (gpointer user_data)
{
  return !kl_welcome_page_get_loading (KL_WELCOME_PAGE (user_data));
}

static void
fixture_open (Fixture *fixture,
              int      width,
              int      height)
{
  WidthWait wait;
  int border;

  fixture->window = kl_window_new (app);
  g_object_ref_sink (fixture->window);
  /* After kl_window_new(): it restores the saved size. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  fixture->assistant = kl_window_get_assistant (fixture->window);
  fixture->answers = kl_window_get_answers (fixture->window);
  g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));
  /* The window lists the saved profiles on its own: let it finish before the tests set theirs. */
  g_assert_true (kl_test_wait_until (welcome_loaded,
                                     kl_assistant_get_page (fixture->assistant, "welcome"),
                                     TIMEOUT_MS));

  /* The default size counts the resize border of client-side decorations: make the
   * window itself exactly @width wide. */
  border = width - gtk_widget_get_width (GTK_WIDGET (fixture->window));
  if (border != 0)
    {
      wait = (WidthWait) { GTK_WIDGET (fixture->window), width };
      gtk_window_set_default_size (GTK_WINDOW (fixture->window), width + border, height + border);
      g_assert_true (kl_test_wait_until (has_width, &wait, TIMEOUT_MS));
      g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture_open (fixture, 720, 720);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
}

static KlPage *
show_page (Fixture    *fixture,
           const char *page_id)
{
  g_assert_true (kl_assistant_set_current_page (fixture->assistant, page_id));
  return kl_assistant_get_current_page (fixture->assistant);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The caption row the field put right under @row. */
static GtkWidget *
caption_row (AdwEntryRow *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));

  g_assert_true (GTK_IS_LIST_BOX_ROW (next));
  g_assert_false (ADW_IS_PREFERENCES_ROW (next));
  return next;
}

static GtkWidget *
fix_button (AdwEntryRow *row)
{
  GtkWidget *button = kl_test_find_by_label (caption_row (row), "_Fix");

  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

static gboolean
shows_error (gpointer user_data)
{
  return kl_test_caption_text (ADW_ENTRY_ROW (user_data)) != NULL;
}

static void
assert_error_shown (AdwEntryRow *row)
{
  g_assert_nonnull (kl_test_caption_text (row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
}

static void
assert_no_error (AdwEntryRow *row)
{
  g_assert_null (kl_test_caption_text (row));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row),
                                                 GTK_ACCESSIBLE_STATE_INVALID));
}

/* A bad value typed: the message comes once the user pauses (debounced), not at once. */
static void
wait_for_error (AdwEntryRow *row)
{
  g_assert_true (kl_test_wait_until (shows_error, row, TIMEOUT_MS));
  assert_error_shown (row);
}

typedef struct
{
  AdwEntryRow *row;
  const char  *text;
} TextWait;

static gboolean
row_has_text (gpointer user_data)
{
  TextWait *wait = user_data;

  return g_strcmp0 (row_text (wait->row), wait->text) == 0;
}

static void
wait_for_text (AdwEntryRow *row,
               const char  *text)
{
  TextWait wait = { row, text };

  g_assert_true (kl_test_wait_until (row_has_text, &wait, TIMEOUT_MS));
}

static gboolean
page_has_error (gpointer user_data)
{
  return kl_page_get_error (KL_PAGE (user_data)) != NULL;
}

static void
fill_azure_app (KlPage *page)
{
  kl_test_type_text (kl_test_find_entry (page, "Directory (Tenant) ID"), TENANT_ID);
  kl_test_type_text (kl_test_find_entry (page, "Application (Client) ID"), CLIENT_ID);
  kl_test_type_text (kl_test_find_entry (page, "Client Secret Value"), CLIENT_SECRET);
}

static void
fill_key_vault (KlPage *page)
{
  kl_test_type_text (kl_test_find_entry (page, "Subscription ID"), SUBSCRIPTION_ID);
  kl_test_type_text (kl_test_find_entry (page, "Resource Group"), RESOURCE_GROUP);
  kl_test_type_text (kl_test_find_entry (page, "Key Vault Name"), VAULT);
  kl_test_type_text (kl_test_find_entry (page, "Key Identifier"), KEY_ID);
}

/* ---- Welcome ------------------------------------------------------------------------- */

static void
test_welcome (Fixture       *fixture,
              gconstpointer  user_data)
{
  KlPage *page = kl_assistant_get_current_page (fixture->assistant);
  const char *names[] = { "Production (service account)", "atlas-cli: default", NULL };
  const char *ids[] = { "keyring:prod", "atlascli:default", NULL };
  GVariant *target;
  GtkWidget *demo, *row, *placeholder, *list;

  g_assert_cmpstr (kl_page_get_page_id (page), ==, "welcome");
  g_assert_true (kl_page_get_complete (page));

  /* The prerequisites are spelled out. */
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "Dedicated clusters"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "Microsoft.Network registered"));

  /* No profiles: a line of text says so, not an empty card; nothing on the page is a card
   * before there are profiles (a card's shadow is a tenth of llvmpipe's first frame). */
  placeholder = kl_test_find_by_label (GTK_WIDGET (page), "No saved profiles yet");
  g_assert_true (gtk_widget_get_mapped (placeholder));
  list = gtk_widget_get_ancestor (placeholder, GTK_TYPE_LIST_BOX);
  g_assert_false (gtk_widget_has_css_class (list, "boxed-list"));
  g_assert_null (kl_test_find_by_css_class (GTK_WIDGET (page), "boxed-list"));

  /* The demo button is live (app.demo exists). */
  demo = kl_test_find_by_label (GTK_WIDGET (page), "_Try the Demo");
  g_assert_true (GTK_IS_BUTTON (demo));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (demo)), ==, "app.demo");
  g_assert_true (gtk_widget_is_sensitive (demo));

  kl_welcome_page_set_profiles (KL_WELCOME_PAGE (page), names, ids);
  g_assert_true (kl_test_window_show (GTK_WINDOW (fixture->window)));
  g_assert_false (gtk_widget_get_mapped (kl_test_find_by_label (GTK_WIDGET (page),
                                                                "No saved profiles yet")));
  g_assert_true (gtk_widget_has_css_class (list, "boxed-list"));
  row = gtk_widget_get_ancestor (kl_test_find_by_label (GTK_WIDGET (page), "atlas-cli: default"),
                                 GTK_TYPE_LIST_BOX_ROW);
  /* Choosing it is a command to the window, with the profile's id. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==,
                   "win.sign-in-profile");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "atlascli:default");
  g_assert_true (gtk_widget_is_sensitive (row));

  /* Replacing the list drops the old rows. */
  kl_welcome_page_set_profiles (KL_WELCOME_PAGE (page), NULL, NULL);
  g_assert_null (kl_test_find_by_label (GTK_WIDGET (page), "atlas-cli: default"));
  g_assert_false (gtk_widget_has_css_class (list, "boxed-list"));
}

/* ---- Project -------------------------------------------------------------------------- */

/* An organization of thousands of projects: the list makes widgets for the rows on
 * and near the screen, not one per project, and stays right through a search and its
 * clearing. Counting widgets is what a test can hold to; the time it takes is the benchmark's
 * (build-aux/bench.sh). The page's grid of one column keeps 30 rows and one either side
 * (GTK_GRID_VIEW_MAX_VISIBLE_ROWS); GTK 4.8's GtkListView kept 200, a list box one per
 * project. */
#define MANY_PROJECTS 5000
#define MANY_ROWS_MAX 40

static GPtrArray *
many_projects (guint n)
{
  GPtrArray *projects = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(GError) error = NULL;
      KlProject *project;

      json = g_strdup_printf ("{\"id\": \"65f0%020x\", \"name\": \"Project %04u\","
                              " \"orgId\": \"65f000000000000000000001\", \"clusterCount\": 0,"
                              " \"created\": \"2025-01-01T09:00:00Z\"}", i, i);
      project = kl_project_parse (json, -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (projects, project);
    }

  return projects;
}

static GtkWidget *
list_item_of (GtkWidget *widget)
{
  while (widget != NULL &&
         gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) !=
         GTK_ACCESSIBLE_ROLE_GRID_CELL)
    widget = gtk_widget_get_parent (widget);

  return widget;
}

static gboolean
counts_project_row (GtkWidget     *widget,
                    gconstpointer  data)
{
  guint *n = (guint *) data;

  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_realized (widget) &&
      g_str_has_prefix (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), "Project ") &&
      list_item_of (widget) != NULL)
    (*n)++;

  return FALSE;
}

/* The row widgets that exist for the list: realized project names in list items
 * (not the chosen one's name heading its state). */
static guint
n_project_rows (KlProjectPage *page)
{
  guint n = 0;

  kl_test_find (GTK_WIDGET (page), FALSE, counts_project_row, &n);
  return n;
}

/* The list item (in the accessibility tree: what a screen reader reads) showing @name. */
static GtkWidget *
project_item (KlProjectPage *page,
              const char    *name)
{
  return list_item_of (kl_test_find_by_label (GTK_WIDGET (page), name));
}

typedef struct
{
  KlProjectPage *page;
  const char    *name;
  guint          n_shown;
} ProjectsWait;

static gboolean
projects_shown (gpointer user_data)
{
  ProjectsWait *wait = user_data;
  GtkWidget *item = project_item (wait->page, wait->name);

  return g_list_model_get_n_items (kl_project_page_get_shown (wait->page)) == wait->n_shown &&
         item != NULL && gtk_widget_get_mapped (item);
}

static void
wait_for_projects (KlProjectPage *page,
                   const char    *name,
                   guint          n_shown)
{
  ProjectsWait wait = { page, name, n_shown };

  if (!kl_test_wait_until (projects_shown, &wait, TIMEOUT_MS))
    g_error ("“%s” is not shown among %u projects (%u shown, %u row widgets)", name, n_shown,
             g_list_model_get_n_items (kl_project_page_get_shown (page)), n_project_rows (page));
}

/* Whether the row of @name shows the check mark of the chosen project. */
static gboolean
shows_chosen (KlProjectPage *page,
              const char    *name)
{
  GtkWidget *item = project_item (page, name);
  GtkWidget *check = item != NULL ? kl_test_find_by_type (item, GTK_TYPE_IMAGE) : NULL;

  /* (Made for the first row that shows it.) */
  g_assert_nonnull (item);
  if (check == NULL)
    return FALSE;
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Chosen");
  return gtk_widget_get_mapped (check);
}

typedef struct
{
  KlProjectPage *page;
  const char    *text;
} TextShownWait;

static gboolean
text_shown (gpointer user_data)
{
  TextShownWait *wait = user_data;
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (wait->page), wait->text);

  return label != NULL && gtk_widget_get_mapped (label);
}

static void
wait_for_text_shown (KlProjectPage *page,
                     const char    *text)
{
  TextShownWait wait = { page, text };

  if (!kl_test_wait_until (text_shown, &wait, TIMEOUT_MS))
    g_error ("“%s” is not shown", text);
}

static void
test_project_many (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GPtrArray) projects = many_projects (MANY_PROJECTS);
  KlProjectPage *page = KL_PROJECT_PAGE (show_page (fixture, "project"));
  GtkWidget *entry = kl_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  KlSession *session = kl_window_get_session (fixture->window);
  GtkWidget *item;

  kl_project_page_set_projects (page, projects);
  wait_for_projects (page, "Project 0000", MANY_PROJECTS);
  g_assert_cmpuint (n_project_rows (page), >, 0);
  g_assert_cmpuint (n_project_rows (page), <, MANY_ROWS_MAX);

  /* Each row is a cell of the one-column grid, named by its project, as the end-to-end tests
   * find it. */
  item = project_item (page, "Project 0001");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_ROLE_GRID_CELL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Project 0001");

  /* Activating the row (Enter, a click) chooses it: its check mark, no other. */
  g_assert_false (shows_chosen (page, "Project 0001"));
  gtk_widget_activate (item);
  g_assert_nonnull (kl_session_get_project (session));
  g_assert_cmpstr (kl_project_get_name (kl_session_get_project (session)), ==, "Project 0001");
  g_assert_true (shows_chosen (page, "Project 0001"));
  g_assert_false (shows_chosen (page, "Project 0000"));

  /* Searched as typed: one match left, and the chosen project, whose state is below the list,
   * stays listed with its check mark; the row of the match does not carry it over. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "project 4999");
  wait_for_projects (page, "Project 4999", 2);
  g_assert_nonnull (project_item (page, "Project 0001"));
  g_assert_true (shows_chosen (page, "Project 0001"));
  g_assert_false (shows_chosen (page, "Project 4999"));
  g_assert_cmpuint (n_project_rows (page), ==, 2);

  /* Nothing matches: the text says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such project");
  wait_for_text_shown (page, "No project matches “no such project”");
  /* (Only the chosen project, which does not match: the text takes the list's place.) */
  g_assert_cmpuint (g_list_model_get_n_items (kl_project_page_get_shown (page)), ==, 1);

  /* Cleared: all of them again, still a handful of widgets, the chosen one still marked. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_for_projects (page, "Project 0000", MANY_PROJECTS);
  g_assert_cmpuint (n_project_rows (page), <, MANY_ROWS_MAX);
  g_assert_true (shows_chosen (page, "Project 0001"));
  g_assert_false (shows_chosen (page, "Project 0002"));

  /* A new list of the same projects keeps the choice. */
  kl_project_page_set_projects (page, projects);
  wait_for_projects (page, "Project 0000", MANY_PROJECTS);
  g_assert_true (shows_chosen (page, "Project 0001"));
  g_assert_cmpuint (n_project_rows (page), <, MANY_ROWS_MAX);

  /* None at all: the text says what to do. */
  g_ptr_array_set_size (projects, 0);
  kl_project_page_set_projects (page, projects);
  wait_for_text_shown (page, "These credentials cannot see any project. In Atlas, give the "
                             "service account or API key the Project Owner role on your "
                             "project, then sign in again.");
  g_assert_cmpuint (n_project_rows (page), ==, 0);
}

/* ---- Azure application --------------------------------------------------------------- */

static void
test_azure_app_validation (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "azure-app");
  AdwEntryRow *tenant = kl_test_find_entry (page, "Directory (Tenant) ID");
  AdwEntryRow *client = kl_test_find_entry (page, "Application (Client) ID");
  AdwEntryRow *secret = kl_test_find_entry (page, "Client Secret Value");

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (secret));
  g_assert_false (kl_page_get_complete (page));
  assert_no_error (tenant);

  /* A bad GUID: not at once, but after the pause. */
  kl_test_type_text (tenant, "5b0e3c1d-2f4a-4d6b-8e9f-0a1b2c3d4e5");
  g_assert_null (kl_test_caption_text (tenant));
  wait_for_error (tenant);
  g_assert_nonnull (strstr (kl_test_caption_text (tenant), "tenant ID"));
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (tenant),
                                       GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                       kl_test_find_by_type (caption_row (tenant), GTK_TYPE_LABEL),
                                       NULL);

  /* Fixed: the error goes at once. Spaces around a pasted ID do not matter. */
  kl_test_type_text (tenant, " " TENANT_ID "\n");
  assert_no_error (tenant);
  g_assert_cmpstr (kl_setup_answers_get_tenant_id (fixture->answers), ==, TENANT_ID);

  /* Leaving a bad field shows the message at once. */
  kl_test_type_text (client, "not-a-guid");
  g_assert_null (kl_test_caption_text (client));
  gtk_widget_grab_focus (GTK_WIDGET (secret));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (secret)))));
  assert_error_shown (client);
  kl_test_type_text (client, CLIENT_ID);
  assert_no_error (client);

  /* The secret's ID instead of its value is the classic mistake. */
  kl_test_type_text (secret, SECRET_ID);
  wait_for_error (secret);
  g_assert_false (kl_page_get_complete (page));
  kl_test_type_text (secret, CLIENT_SECRET);
  assert_no_error (secret);
  g_assert_true (kl_page_get_complete (page));
  g_assert_cmpstr (kl_setup_answers_get_client_secret (fixture->answers), ==, CLIENT_SECRET);

  /* The environment goes to the answers, and from there to the key vault page. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_ancestor (
    kl_test_find_by_label (GTK_WIDGET (page), "Environment"), ADW_TYPE_COMBO_ROW)), 1);
  g_assert_cmpstr (kl_setup_answers_get_azure_environment (fixture->answers), ==, "AZURE_CHINA");
  g_assert_cmpstr (kl_key_vault_page_get_azure_environment (
    KL_KEY_VAULT_PAGE (kl_assistant_get_page (fixture->assistant, "key-vault"))), ==,
    "AZURE_CHINA");

  /* Enter moves on once complete; a bad field stops it again. */
  g_signal_emit_by_name (tenant, "entry-activated");
  g_assert_cmpstr (kl_page_get_page_id (kl_assistant_get_current_page (fixture->assistant)), ==,
                   "key-vault");
  kl_assistant_back (fixture->assistant);
  kl_test_type_text (tenant, "x");
  g_signal_emit_by_name (tenant, "entry-activated");
  g_assert_true (kl_assistant_get_current_page (fixture->assistant) == page);
  g_assert_null (kl_setup_answers_get_tenant_id (fixture->answers));
}

static void
test_azure_app_read_only (Fixture       *fixture,
                          gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "azure-app");
  AdwEntryRow *tenant = kl_test_find_entry (page, "Directory (Tenant) ID");

  fill_azure_app (page);
  kl_page_set_read_only (page, TRUE);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (tenant)));
  g_assert_false (gtk_widget_is_sensitive (gtk_widget_get_ancestor (
    kl_test_find_by_label (GTK_WIDGET (page), "Environment"), ADW_TYPE_COMBO_ROW)));
  g_assert_cmpstr (row_text (tenant), ==, TENANT_ID);
  g_assert_true (kl_page_get_complete (page));
  kl_page_set_read_only (page, FALSE);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (tenant)));
}

/* ---- Key vault ----------------------------------------------------------------------- */

static void
test_key_vault_validation (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "key-vault");
  AdwEntryRow *subscription = kl_test_find_entry (page, "Subscription ID");
  AdwEntryRow *resource_group = kl_test_find_entry (page, "Resource Group");
  AdwEntryRow *vault = kl_test_find_entry (page, "Key Vault Name");
  AdwEntryRow *key_id = kl_test_find_entry (page, "Key Identifier");

  kl_test_type_text (subscription, "6f1d2c3b-8e4a-4b0e-9c7d");
  wait_for_error (subscription);
  kl_test_type_text (subscription, SUBSCRIPTION_ID);
  assert_no_error (subscription);

  kl_test_type_text (resource_group, "rg-ends-with-dot.");
  wait_for_error (resource_group);
  kl_test_type_text (resource_group, RESOURCE_GROUP);
  assert_no_error (resource_group);

  kl_test_type_text (vault, "contoso--keys");
  wait_for_error (vault);
  kl_test_type_text (vault, VAULT);
  assert_no_error (vault);

  g_assert_false (kl_page_get_complete (page));
  kl_test_type_text (key_id, KEY_ID);
  assert_no_error (key_id);
  g_assert_true (kl_page_get_complete (page));
  g_assert_cmpstr (kl_setup_answers_get_key_identifier (fixture->answers), ==, KEY_ID);
  g_assert_cmpstr (kl_setup_answers_get_key_vault_name (fixture->answers), ==, VAULT);

  /* A key in another vault than the one named. */
  kl_test_type_text (vault, "other-vault");
  wait_for_error (key_id);
  g_assert_false (kl_page_get_complete (page));
  kl_test_type_text (vault, VAULT);
  assert_no_error (key_id);

  /* The environment chosen earlier decides the DNS suffix. */
  kl_key_vault_page_set_azure_environment (KL_KEY_VAULT_PAGE (page), "AZURE_US_GOVERNMENT");
  wait_for_error (key_id);
  g_assert_false (kl_page_get_complete (page));
  kl_key_vault_page_set_azure_environment (KL_KEY_VAULT_PAGE (page), "AZURE");
  assert_no_error (key_id);
  g_assert_true (kl_page_get_complete (page));
}

static void
test_key_vault_fix_button (Fixture       *fixture,
                           gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "key-vault");
  AdwEntryRow *key_id = kl_test_find_entry (page, "Key Identifier");
  AdwEntryRow *vault = kl_test_find_entry (page, "Key Vault Name");
  GtkWidget *fix;

  /* PowerShell prints the port: one click repairs it. */
  kl_test_type_text (key_id, KEY_ID_443);
  wait_for_error (key_id);
  fix = fix_button (key_id);
  g_assert_true (gtk_widget_get_visible (fix));
  g_assert_true (gtk_widget_is_sensitive (fix));
  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (row_text (key_id), ==, KEY_ID);
  assert_no_error (key_id);

  /* Repaired, it named the vault as a pasted identifier does. */
  g_assert_cmpstr (row_text (vault), ==, VAULT);

  /* Spaces and a trailing slash too. */
  kl_test_type_text (key_id, "  " KEY_ID "/ ");
  wait_for_error (key_id);
  g_signal_emit_by_name (fix_button (key_id), "clicked");
  g_assert_cmpstr (row_text (key_id), ==, KEY_ID);
  assert_no_error (key_id);

  /* Nothing to repair: no button. */
  kl_test_type_text (key_id, "https://contoso-keys.vault.azure.net/secrets/atlas-cmk/" KEY_VERSION);
  wait_for_error (key_id);
  g_assert_false (gtk_widget_get_visible (fix_button (key_id)));
}

static void
test_key_vault_paste_key_id_fills_vault (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "key-vault");
  AdwEntryRow *key_id = kl_test_find_entry (page, "Key Identifier");
  AdwEntryRow *vault = kl_test_find_entry (page, "Key Vault Name");

  /* Empty vault name: filled from the identifier. */
  kl_test_type_text (key_id, KEY_ID);
  g_assert_cmpstr (row_text (vault), ==, VAULT);
  assert_no_error (key_id);

  /* Another identifier: the name it filled follows. */
  kl_test_type_text (key_id, "https://fabrikam-kv.vault.azure.net/keys/k1/" KEY_VERSION);
  g_assert_cmpstr (row_text (vault), ==, "fabrikam-kv");

  /* A name the user typed is theirs: kept, and the mismatch is shown. */
  kl_test_type_text (vault, "my-own-vault");
  kl_test_type_text (key_id, KEY_ID);
  g_assert_cmpstr (row_text (vault), ==, "my-own-vault");
  wait_for_error (key_id);

  /* One click names the key's vault, and leaves the identifier as it was. */
  g_assert_true (gtk_widget_get_visible (fix_button (key_id)));
  g_signal_emit_by_name (fix_button (key_id), "clicked");
  g_assert_cmpstr (row_text (vault), ==, VAULT);
  g_assert_cmpstr (row_text (key_id), ==, KEY_ID);
  assert_no_error (key_id);
  assert_no_error (vault);
}

static void
test_key_vault_paste_resource_id (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "key-vault");
  AdwEntryRow *subscription = kl_test_find_entry (page, "Subscription ID");
  AdwEntryRow *resource_group = kl_test_find_entry (page, "Resource Group");
  AdwEntryRow *vault = kl_test_find_entry (page, "Key Vault Name");

  /* Into the subscription field: three fields filled. */
  kl_test_type_text (subscription, RESOURCE_ID "\n");
  wait_for_text (subscription, SUBSCRIPTION_ID);
  g_assert_cmpstr (row_text (resource_group), ==, RESOURCE_GROUP);
  g_assert_cmpstr (row_text (vault), ==, VAULT);
  assert_no_error (subscription);
  assert_no_error (resource_group);
  assert_no_error (vault);
  g_assert_cmpstr (kl_setup_answers_get_subscription_id (fixture->answers), ==, SUBSCRIPTION_ID);

  /* Into the vault field too, replacing what was there. */
  kl_test_type_text (vault, "/subscriptions/" TENANT_ID "/resourceGroups/other-rg"
                     "/providers/Microsoft.KeyVault/vaults/other-vault");
  wait_for_text (vault, "other-vault");
  g_assert_cmpstr (row_text (subscription), ==, TENANT_ID);
  g_assert_cmpstr (row_text (resource_group), ==, "other-rg");

  /* Not a vault's resource ID: says so, fills nothing. */
  kl_test_type_text (subscription,
                     "/subscriptions/" SUBSCRIPTION_ID "/resourceGroups/rg/providers/"
                     "Microsoft.Storage/storageAccounts/x");
  wait_for_error (subscription);
  g_assert_cmpstr (row_text (vault), ==, "other-vault");
}

static void
test_key_vault_frozen (Fixture       *fixture,
                       gconstpointer  user_data)
{
  KlPage *page = show_page (fixture, "key-vault");
  AdwEntryRow *subscription = kl_test_find_entry (page, "Subscription ID");
  AdwEntryRow *group = kl_test_find_entry (page, "Resource Group");
  AdwEntryRow *vault = kl_test_find_entry (page, "Key Vault Name");
  AdwEntryRow *key_id = kl_test_find_entry (page, "Key Identifier");
  GtkWidget *note;

  fill_key_vault (page);
  kl_key_vault_page_set_vault_frozen (KL_KEY_VAULT_PAGE (page), TRUE);

  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (subscription)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (group)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (vault)));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (key_id)));
  note = gtk_widget_get_ancestor (kl_test_find_by_label (GTK_WIDGET (page),
    "Private networking is on for this project, so the subscription, resource group and vault "
    "cannot change. You can still choose another key in the same vault. To move to another "
    "vault, turn off private networking first."), GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (note)));

  /* Rotating: a new key in the same vault is fine, another vault is not, and the frozen
   * vault name is not replaced. */
  kl_test_type_text (key_id, "https://contoso-keys.vault.azure.net/keys/atlas-cmk-2/" KEY_VERSION);
  assert_no_error (key_id);
  kl_test_type_text (key_id, "https://fabrikam-kv.vault.azure.net/keys/k1/" KEY_VERSION);
  g_assert_cmpstr (row_text (vault), ==, VAULT);
  wait_for_error (key_id);

  /* Read-only (resume) freezes the key too. */
  kl_page_set_read_only (page, TRUE);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (key_id)));
}

/* ---- Review -------------------------------------------------------------------------- */

static gboolean
any_label_contains (GtkWidget  *root,
                    const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (any_label_contains (child, needle))
        return TRUE;
    }

  return FALSE;
}

static void
test_review (Fixture       *fixture,
             gconstpointer  user_data)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *page;
  GtkWidget *secret_row, *edit_app, *edit_vault;

  fill_azure_app (show_page (fixture, "azure-app"));
  kl_assistant_next (assistant);
  fill_key_vault (kl_assistant_get_current_page (assistant));
  kl_assistant_next (assistant);

  page = kl_assistant_get_current_page (assistant);
  g_assert_cmpstr (kl_page_get_page_id (page), ==, "review");
  g_assert_true (kl_page_get_complete (page));

  /* Everything that will be sent, but the secret is masked. */
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), TENANT_ID));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), CLIENT_ID));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), SUBSCRIPTION_ID));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), RESOURCE_GROUP));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), VAULT));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), KEY_ID));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (page), "Azure"));
  secret_row = gtk_widget_get_ancestor (kl_test_find_by_label (GTK_WIDGET (page), "Client Secret"),
                                        ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (secret_row)), ==, "••••••••");
  g_assert_false (any_label_contains (GTK_WIDGET (fixture->window), CLIENT_SECRET));

  /* Two buttons a person reads as “Edit”, each named by what it edits, once. */
  edit_app = kl_test_find_by_label (GTK_WIDGET (page), "E_dit");
  edit_vault = kl_test_find_by_label (GTK_WIDGET (page), "Ed_it");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (edit_app),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Edit the Azure application");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (edit_vault),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Edit the key vault and key");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (edit_app),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (edit_vault),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  /* Edit goes back to the page, answers intact. */
  g_signal_emit_by_name (edit_vault, "clicked");
  g_assert_cmpstr (row_text (kl_test_find_entry (kl_assistant_get_current_page (assistant),
                                                 "Key Identifier")), ==, KEY_ID);
  kl_assistant_next (assistant);

  /* Not connected to Atlas yet: the apply fails, on the page, with something to do. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kl_test_find_by_label (GTK_WIDGET (assistant),
                                                                            "_Enable"))), ==,
                   "_Enable");
  kl_assistant_next (assistant);
  g_assert_true (kl_test_wait_until (page_has_error, page, TIMEOUT_MS));
  g_assert_true (kl_assistant_get_current_page (assistant) == page);
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (assistant), kl_page_get_error (page)));

  /* Back, then Next: the page does not say it failed before it is tried again. */
  kl_assistant_back (assistant);
  g_assert_cmpstr (kl_page_get_page_id (kl_assistant_get_current_page (assistant)), ==,
                   "key-vault");
  kl_assistant_next (assistant);
  g_assert_true (kl_assistant_get_current_page (assistant) == page);
  g_assert_null (kl_page_get_error (page));
}

/* Enable against the simulator: a signed-in client and the seeded ready project. */
typedef struct
{
  KlSim         *sim;
  KlAtlasClient *client;
  KlPage        *review;
  gboolean       finished;
} Atlas;

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static void
atlas_set_up (Atlas   *atlas,
              Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  atlas->sim = kl_sim_new ();
  kl_sim_add_service_account (atlas->sim, SA_CLIENT_ID, SA_SECRET);
  g_assert_true (kl_sim_start (atlas->sim, 0, &error));
  g_assert_no_error (error);
  atlas->client = kl_atlas_client_new (kl_sim_get_base_url (atlas->sim), KL_AUTH_SERVICE_ACCOUNT,
                                       SA_CLIENT_ID, SA_SECRET, &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (atlas->client, 1, 10, 10);

  atlas->review = kl_assistant_get_page (fixture->assistant, "review");
  kl_review_page_set_project (KL_REVIEW_PAGE (atlas->review), atlas->client, KL_SIM_GROUP_READY);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (atlas->review), 2, 20);
  atlas->finished = FALSE;
  g_signal_connect_swapped (fixture->assistant, "finished", G_CALLBACK (set_flag), &atlas->finished);
}

static void
atlas_tear_down (Atlas *atlas)
{
  kl_review_page_set_project (KL_REVIEW_PAGE (atlas->review), NULL, NULL);
  kl_sim_stop (atlas->sim);
  g_assert_finalize_object (atlas->client);
  g_assert_finalize_object (atlas->sim);
}

static void
fill_and_review (Fixture    *fixture,
                 const char *client_id,
                 const char *key_id)
{
  KlPage *page = show_page (fixture, "azure-app");

  fill_azure_app (page);
  kl_test_type_text (kl_test_find_entry (page, "Application (Client) ID"), client_id);
  page = show_page (fixture, "key-vault");
  fill_key_vault (page);
  kl_test_type_text (kl_test_find_entry (page, "Key Identifier"), key_id);
  kl_assistant_next (fixture->assistant);
  g_assert_cmpstr (kl_page_get_page_id (kl_assistant_get_current_page (fixture->assistant)), ==,
                   "review");
}

static gboolean
not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

typedef struct
{
  KlEncryptionAtRest *ear;
  GError             *error;
  gboolean            done;
} ReadBack;

static void
read_back_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadBack *read = user_data;

  read->ear = kl_atlas_client_get_encryption_at_rest_finish (KL_ATLAS_CLIENT (object), result,
                                                             &read->error);
  read->done = TRUE;
}

static void
test_review_enable (Fixture       *fixture,
                    gconstpointer  user_data)
{
  ReadBack read = { NULL, NULL, FALSE };
  KlAzureKeyVault *akv;
  Atlas atlas;

  atlas_set_up (&atlas, fixture);
  fill_and_review (fixture, CLIENT_ID, KEY_ID);

  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_page_get_applying (atlas.review));
  g_assert_true (kl_test_wait_until (not_applying, atlas.review, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (atlas.review));
  /* Review is not the end of the setup: the assistant goes on to private networking. */
  g_assert_false (atlas.finished);
  g_assert_cmpstr (kl_page_get_page_id (kl_assistant_get_current_page (fixture->assistant)), ==,
                   "private-networking");

  /* What Atlas now holds is what the user reviewed. */
  kl_atlas_client_get_encryption_at_rest_async (atlas.client, KL_SIM_GROUP_READY, NULL,
                                                read_back_cb, &read);
  g_assert_true (kl_test_wait_for_flag (&read.done, TIMEOUT_MS));
  g_assert_no_error (read.error);
  akv = kl_encryption_at_rest_get_azure_key_vault (read.ear);
  g_assert_true (kl_azure_key_vault_get_enabled (akv));
  g_assert_true (kl_azure_key_vault_get_valid (akv));
  g_assert_cmpstr (kl_azure_key_vault_get_azure_environment (akv), ==, "AZURE");
  g_assert_cmpstr (kl_azure_key_vault_get_tenant_id (akv), ==, TENANT_ID);
  g_assert_cmpstr (kl_azure_key_vault_get_client_id (akv), ==, CLIENT_ID);
  g_assert_cmpstr (kl_azure_key_vault_get_subscription_id (akv), ==, SUBSCRIPTION_ID);
  g_assert_cmpstr (kl_azure_key_vault_get_resource_group_name (akv), ==, RESOURCE_GROUP);
  g_assert_cmpstr (kl_azure_key_vault_get_key_vault_name (akv), ==, VAULT);
  g_assert_cmpstr (kl_azure_key_vault_get_key_identifier (akv), ==, KEY_ID);
  g_clear_object (&read.ear);

  atlas_tear_down (&atlas);
}

static void
test_review_bad_credentials (Fixture       *fixture,
                             gconstpointer  user_data)
{
  Atlas atlas;

  atlas_set_up (&atlas, fixture);
  fill_and_review (fixture, KL_SIM_BAD_AZURE_CLIENT_ID, KEY_ID);

  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, atlas.review, TIMEOUT_MS));

  /* Explained in plain words, on the page; the user stays to fix it. */
  g_assert_false (atlas.finished);
  g_assert_true (kl_assistant_get_current_page (fixture->assistant) == atlas.review);
  g_assert_nonnull (strstr (kl_page_get_error (atlas.review), "client secret"));
  g_assert_nonnull (kl_test_find_by_label (GTK_WIDGET (fixture->assistant),
                                           kl_page_get_error (atlas.review)));

  atlas_tear_down (&atlas);
}

static guint
count_requests (KlSim      *sim,
                const char *method)
{
  g_autoptr(GPtrArray) requests = kl_sim_dup_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((KlSimRequest *) requests->pdata[i])->method, method) &&
        g_str_has_suffix (((KlSimRequest *) requests->pdata[i])->path, "/encryptionAtRest"))
      n++;
  return n;
}

/* Only the answer is lost: the read-back shows the key in use, and the flow goes on. */
static void
test_review_answer_lost (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  Atlas atlas;

  atlas_set_up (&atlas, fixture);
  fill_and_review (fixture, CLIENT_ID, KEY_ID);
  g_assert_true (kl_sim_add_fault (atlas.sim,
                                   "{\"path\": \"/api/atlas/v2/groups/*/encryptionAtRest\","
                                   " \"method\": \"PATCH\", \"kind\": \"drop\","
                                   " \"afterProcessing\": true, \"count\": 1}", &error));
  g_assert_no_error (error);
  kl_sim_clear_requests (atlas.sim);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, atlas.review, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (atlas.review));
  g_assert_cmpstr (kl_page_get_page_id (kl_assistant_get_current_page (fixture->assistant)), ==,
                   "private-networking");
  g_assert_cmpuint (count_requests (atlas.sim, "PATCH"), ==, 1);

  atlas_tear_down (&atlas);
}

static void
test_review_unusable_key (Fixture       *fixture,
                          gconstpointer  user_data)
{
  Atlas atlas;

  atlas_set_up (&atlas, fixture);
  fill_and_review (fixture, CLIENT_ID,
                   "https://contoso-keys.vault.azure.net/keys/" KL_SIM_UNUSABLE_KEY_NAME "/"
                   KEY_VERSION);

  /* Atlas takes the settings but says valid: false, however often it is asked. */
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, atlas.review, TIMEOUT_MS));
  g_assert_false (atlas.finished);
  g_assert_nonnull (strstr (kl_page_get_error (atlas.review), "cannot use the key"));

  /* While it waits to read again, Cancel stops it at once. */
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (atlas.review), 5, 60 * 1000);
  kl_assistant_next (fixture->assistant);
  g_assert_true (kl_page_get_applying (atlas.review));
  kl_assistant_cancel (fixture->assistant);
  g_assert_true (kl_test_wait_until (not_applying, atlas.review, TIMEOUT_MS));
  g_assert_null (kl_page_get_error (atlas.review));

  atlas_tear_down (&atlas);
}

/* ---- Screenshots --------------------------------------------------------------------- */

typedef enum
{
  STATE_NORMAL,
  STATE_ERROR,
  STATE_FROZEN,  /* key-vault only */
} ShotState;

static void
prepare (Fixture    *fixture,
         const char *page_id,
         ShotState   state)
{
  KlAssistant *assistant = fixture->assistant;
  KlPage *page;

  if (g_str_equal (page_id, "welcome"))
    {
      const char *names[] = { "Production (service account)", "Staging (API key)",
                              "atlas-cli: default", NULL };
      const char *ids[] = { "a", "b", "c", NULL };

      page = kl_assistant_get_page (assistant, "welcome");
      if (state == STATE_ERROR)
        kl_welcome_page_set_profiles (KL_WELCOME_PAGE (page), names, ids);
      return;
    }

  page = show_page (fixture, "azure-app");
  fill_azure_app (page);
  if (g_str_equal (page_id, "azure-app"))
    {
      if (state == STATE_ERROR)
        {
          kl_test_type_text (kl_test_find_entry (page, "Directory (Tenant) ID"),
                             "5b0e3c1d-2f4a-4d6b-8e9f");
          wait_for_error (kl_test_find_entry (page, "Directory (Tenant) ID"));
          kl_test_type_text (kl_test_find_entry (page, "Client Secret Value"), SECRET_ID);
          wait_for_error (kl_test_find_entry (page, "Client Secret Value"));
        }
      return;
    }

  page = show_page (fixture, "key-vault");
  fill_key_vault (page);
  if (g_str_equal (page_id, "key-vault"))
    {
      if (state == STATE_FROZEN)
        kl_key_vault_page_set_vault_frozen (KL_KEY_VAULT_PAGE (page), TRUE);
      if (state == STATE_ERROR)
        {
          kl_test_type_text (kl_test_find_entry (page, "Resource Group"), "rg-atlas-keys.");
          wait_for_error (kl_test_find_entry (page, "Resource Group"));
          kl_test_type_text (kl_test_find_entry (page, "Key Identifier"), KEY_ID_443);
          wait_for_error (kl_test_find_entry (page, "Key Identifier"));
        }
      return;
    }

  page = show_page (fixture, "review");
  if (state == STATE_ERROR)
    {
      kl_assistant_next (assistant);
      g_assert_true (kl_test_wait_until (page_has_error, page, TIMEOUT_MS));
    }
}

static void
test_screenshots (void)
{
  static const char *pages[] = { "welcome", "azure-app", "key-vault", "review" };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    for (ShotState state = STATE_NORMAL; state <= STATE_FROZEN; state++)
      for (guint dark = 0; dark <= 1; dark++)
        for (guint narrow = 0; narrow <= 1; narrow++)
          {
            const char *state_name = state == STATE_NORMAL ? "normal"
                                     : state == STATE_FROZEN ? "frozen"
                                     : g_str_equal (pages[p], "welcome") ? "profiles" : "error";
            g_autofree char *name = NULL;
            g_autofree char *path = NULL;
            Fixture fixture;

            if (state == STATE_FROZEN && !g_str_equal (pages[p], "key-vault"))
              continue;

            adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                            : ADW_COLOR_SCHEME_FORCE_LIGHT);
            fixture_open (&fixture, narrow ? 360 : 720, 900);
            prepare (&fixture, pages[p], state);
            /* The page as it first shows: scrolled to the top. */
            g_assert_true (kl_assistant_set_current_page (fixture.assistant, pages[p]));
            g_assert_true (kl_test_window_show (GTK_WINDOW (fixture.window)));
            g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.window)), ==,
                             narrow ? 360 : 720);

            name = g_strdup_printf ("%s-%s-%s%s", pages[p], state_name,
                                    dark ? "dark" : "light", narrow ? "-narrow" : "");
            path = kl_test_save_screenshot (GTK_WIDGET (fixture.window), name);
            g_test_message ("saved %s", path);

            fixture_tear_down (&fixture, NULL);
          }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Accessible states are checked through GTK's test backend (gtktestatcontext.h). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/pages/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("welcome", test_welcome);
  ADD ("project/many", test_project_many);
  ADD ("azure-app/validation", test_azure_app_validation);
  ADD ("azure-app/read-only", test_azure_app_read_only);
  ADD ("key-vault/validation", test_key_vault_validation);
  ADD ("key-vault/fix-button", test_key_vault_fix_button);
  ADD ("key-vault/paste-key-id-fills-vault", test_key_vault_paste_key_id_fills_vault);
  ADD ("key-vault/paste-resource-id", test_key_vault_paste_resource_id);
  ADD ("key-vault/frozen", test_key_vault_frozen);
  ADD ("review", test_review);
  ADD ("review/enable", test_review_enable);
  ADD ("review/bad-credentials", test_review_bad_credentials);
  ADD ("review/answer-lost", test_review_answer_lost);
  ADD ("review/unusable-key", test_review_unusable_key);
  g_test_add_func ("/pages/screenshots", test_screenshots);

#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
