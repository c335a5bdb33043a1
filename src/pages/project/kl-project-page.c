/* kl-project-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-flow.h"
#include "kl-project-page.h"
#include "kl-teardown-intent.h"
#include "pages/kl-page-util.h"
#include "widgets/kl-azure-check-dialog.h"

/* Step 3 of the flow (HACKING.md, The flow): the projects the sign-in listed, searchable; the
 * chosen one's state read back from the server (KlSession) and what can be done with it.
 * Next sets up or continues the setup; the other actions go to their own pages
 * (#KlProjectPage::action), when the assistant has them. */

struct _KlProjectPage
{
  KlPage              parent_instance;

  KlSession          *session;
  GListStore         *projects;       /* KlProject, in the order Atlas listed them */
  GtkFilterListModel *shown;
  GtkCustomFilter    *filter;
  char               *query;          /* casefolded search text */
  GPtrArray          *spare_rows;     /* row contents made ahead or of list items gone */
  guint               spare_rows_id;
  char               *selected_id;
  GCancellable       *cancellable;    /* the last refresh's */
  gboolean            refreshing;
  gboolean            refresh_failed;
  int                 unfinished_teardown; /* a KlTeardownKind, or -1 */
  gboolean            focus_state;    /* the user chose: move on to what can be done */

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkGridView        *project_list;
  GtkLabel           *placeholder_label;
  AdwPreferencesGroup *status_group;
  AdwActionRow       *status_row;
  GtkStack           *status_icon_stack;
  GtkImage           *status_icon;
  GtkSpinner         *status_spinner;
  AdwActionRow       *clusters_row;
  AdwPreferencesGroup *actions_group;
  AdwActionRow       *setup_row;
  AdwActionRow       *rotate_row;
  AdwActionRow       *endpoints_row;
  AdwActionRow       *azure_check_row;
  AdwActionRow       *teardown_network_row;
  AdwActionRow       *teardown_key_row;
  GtkWidget          *reload_button;
};

G_DEFINE_FINAL_TYPE (KlProjectPage, kl_project_page, KL_TYPE_PAGE)

#define PROJECT_ID_KEY "kl-project-id"
#define CHECK_KEY      "kl-check"
#define TITLE_KEY      "kl-title"
#define SUBTITLE_KEY   "kl-subtitle"

/* A project's name as the search compares it, worked out once per project (not once per
 * project and keystroke: thousands of projects are searched as typed). */
static GQuark
search_key_quark (void)
{
  return g_quark_from_static_string ("kl-project-page-search-key");
}

static void make_spare_rows (KlProjectPage *self);

static gboolean
is_disposed (KlProjectPage *self)
{
  return self->project_list == NULL;
}

/* Whether the window's flow has @page_id (pages land one helper at a time). */
static gboolean
has_page (KlProjectPage *self,
          const char    *page_id)
{
  KlFlow *flow = kl_context_get_flow (kl_page_get_context (KL_PAGE (self)));

  return flow != NULL && kl_flow_has_page (flow, page_id);
}

static const char *
page_title (KlProjectPage *self,
            const char    *page_id)
{
  KlFlow *flow = kl_context_get_flow (kl_page_get_context (KL_PAGE (self)));

  return flow != NULL ? kl_flow_get_page_title (flow, page_id) : NULL;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    if ((guchar) *c >= 0x80)
      return FALSE;

  return TRUE;
}

/* Compared without case or form: ASCII text (most project names) is only lowered, what
 * normalizing and folding it would come to at a fraction of the cost (the first search
 * folds every project's name: thousands of them, within one keystroke). */
static char *
casefold (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (is_ascii (text))
    return g_ascii_strdown (text, -1);

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  return g_utf8_casefold (normalized, -1);
}

static const char *
search_key (KlProject *project)
{
  const char *key = g_object_get_qdata (G_OBJECT (project), search_key_quark ());

  if (key == NULL)
    {
      char *folded = casefold (kl_project_get_name (project));

      g_object_set_qdata_full (G_OBJECT (project), search_key_quark (), folded, g_free);
      key = folded;
    }

  return key;
}

static gboolean
matches_query (KlProjectPage *self,
               KlProject     *project)
{
  if (self->query == NULL || self->query[0] == '\0')
    return TRUE;

  return strstr (search_key (project), self->query) != NULL ||
         g_str_has_prefix (kl_project_get_id (project), self->query);
}

/* The chosen project stays listed whatever the search: the status below the list is its,
 * and never describes a project the list hides. */
static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KlProjectPage *self = user_data;
  KlProject *project = item;

  return matches_query (self, project) ||
         (self->selected_id != NULL &&
          g_strcmp0 (kl_project_get_id (project), self->selected_id) == 0);
}

static void
update_placeholder (KlProjectPage *self)
{
  g_autofree char *text = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->projects)) == 0)
    text = g_strdup (_("These credentials cannot see any project. In Atlas, give the service "
                       "account or API key the Project Owner role on your project, then sign in "
                       "again."));
  else
    /* Translators: %s is what the user searched for */
    text = g_strdup_printf (_("No project matches “%s”"),
                            gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  gtk_label_set_label (self->placeholder_label, text);
}

/* The list, or the text in its place when nothing matches (the chosen project, listed
 * whatever the search, is not a match). */
static void
shown_changed_cb (KlProjectPage *self)
{
  GListModel *shown = G_LIST_MODEL (self->shown);
  gboolean empty = TRUE;

  if (is_disposed (self))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (shown) && empty; i++)
    {
      g_autoptr(KlProject) project = g_list_model_get_item (shown, i);

      empty = !matches_query (self, project);
    }

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "placeholder" : "list");
}

/* Debounced by the entry (GtkSearchEntry::search-changed). A project matches when its name
 * contains the text or its id starts with it: a text that only grows at its end lets fewer
 * through (the filter then looks only at those it let through), one that only shrinks at its
 * end more. */
static void
search_changed_cb (KlProjectPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autofree char *before = g_steal_pointer (&self->query);
  const char *old = before != NULL ? before : "";
  GtkFilterChange change;

  self->query = casefold (g_strstrip (text));
  update_placeholder (self);
  if (g_str_equal (old, self->query))
    return;

  if (g_str_has_prefix (self->query, old))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (g_str_has_prefix (old, self->query))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  gtk_filter_changed (GTK_FILTER (self->filter), change);
  make_spare_rows (self);
  /* The same projects shown may match or not now. */
  shown_changed_cb (self);
}

/* Enter in the search: one match left is the one meant (the chosen project, listed whatever
 * the search, does not count unless it matches). */
static void
search_activated_cb (KlProjectPage *self)
{
  GListModel *shown = G_LIST_MODEL (self->shown);
  g_autoptr(KlProject) match = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(KlProject) project = g_list_model_get_item (shown, i);

      if (!matches_query (self, project))
        continue;
      if (match != NULL)
        return;
      match = g_steal_pointer (&project);
    }

  if (match == NULL)
    return;

  self->focus_state = TRUE;
  kl_project_page_select (self, kl_project_get_id (match));
}

/* The check mark of the chosen project, made for the first row that shows it (one row at a
 * time shows it: the others have none to make and free). */
static void
set_row_chosen (GtkWidget *grid,
                gboolean   chosen)
{
  GtkWidget *check = g_object_get_data (G_OBJECT (grid), CHECK_KEY);

  if (check == NULL && chosen)
    {
      check = g_object_new (GTK_TYPE_IMAGE,
                            "icon-name", "object-select-symbolic",
                            "valign", GTK_ALIGN_CENTER,
                            NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                      -1);
      gtk_grid_attach (GTK_GRID (grid), check, 1, 0, 1, 2);
      g_object_set_data (G_OBJECT (grid), CHECK_KEY, check);
    }

  if (check != NULL)
    gtk_widget_set_visible (check, chosen);
}

/* What a row of the list shows: the project's name and id on a line each (ellipsized: a
 * row's height never depends on its text, nor its width on a long name), and the check mark
 * of the chosen one. Returns a full reference. */
static GtkWidget *
make_row (void)
{
  GtkWidget *grid, *title, *subtitle;

  /* One grid rather than boxes in a box: a widget fewer to make and free per row. */
  grid = g_object_ref_sink (gtk_grid_new ());
  g_object_set (grid,
                "column-spacing", 12, "row-spacing", 3,
                "margin-top", 9, "margin-bottom", 9, "margin-start", 12, "margin-end", 12,
                NULL);

  /* Shown as they are, never read as markup: a project named “R&D <EU>” shows as such. An
   * inscription is sized by its number of characters, not laid out to be measured. */
  title = g_object_new (GTK_TYPE_INSCRIPTION,
                        "xalign", 0.0f,
                        "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                        "nat-chars", 40,
                        "hexpand", TRUE,
                        NULL);
  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);
  subtitle = g_object_new (GTK_TYPE_INSCRIPTION,
                           "xalign", 0.0f,
                           "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                           "nat-chars", 40,
                           "hexpand", TRUE,
                           "css-classes", (const char *[]) { "dim-label", "caption", NULL },
                           NULL);
  gtk_grid_attach (GTK_GRID (grid), subtitle, 0, 1, 1, 1);

  g_object_set_data (G_OBJECT (grid), TITLE_KEY, title);
  g_object_set_data (G_OBJECT (grid), SUBTITLE_KEY, subtitle);

  return grid;
}

/* GTK 4.8 makes new list items whenever the search changes the rows on screen (the grid of
 * one column keeps up to 30 and one either side, GTK_GRID_VIEW_MAX_VISIBLE_ROWS), before it
 * drops those gone: a row's contents are made ahead, a few at a time while the main loop is
 * idle, and those of list items gone are kept, so that a keystroke has little to make and
 * free. */
#define SPARE_ROWS_MIN   40
#define SPARE_ROWS_MAX   64
#define SPARE_ROWS_BATCH 10

static gboolean
make_spare_rows_cb (gpointer data)
{
  KlProjectPage *self = data;

  for (guint i = 0; i < SPARE_ROWS_BATCH && self->spare_rows->len < SPARE_ROWS_MIN; i++)
    g_ptr_array_add (self->spare_rows, make_row ());

  if (self->spare_rows->len < SPARE_ROWS_MIN)
    return G_SOURCE_CONTINUE;

  self->spare_rows_id = 0;
  return G_SOURCE_REMOVE;
}

static void
make_spare_rows (KlProjectPage *self)
{
  if (self->spare_rows_id == 0 && self->spare_rows->len < SPARE_ROWS_MIN)
    self->spare_rows_id = g_idle_add_full (G_PRIORITY_LOW, make_spare_rows_cb, self, NULL);
}

/* A row of the list (GtkSignalListItemFactory::setup): made for the rows on screen, then
 * bound to one project after another as the list scrolls or the search changes. */
static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KlProjectPage            *self)
{
  GtkWidget *box;

  if (self->spare_rows != NULL && self->spare_rows->len > 0)
    box = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
  else
    box = make_row ();

  gtk_list_item_set_child (item, box);
  g_object_unref (box);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             KlProjectPage            *self)
{
  KlProject *project = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *row = gtk_widget_get_parent (box);
  const char *id = kl_project_get_id (project);

  gtk_inscription_set_text (g_object_get_data (G_OBJECT (box), TITLE_KEY),
                            kl_project_get_name (project));
  gtk_inscription_set_text (g_object_get_data (G_OBJECT (box), SUBTITLE_KEY), id);
  set_row_chosen (box, g_strcmp0 (self->selected_id, id) == 0);
  g_object_set_data_full (G_OBJECT (box), PROJECT_ID_KEY, g_strdup (id), g_free);

  /* The list item a screen reader reads (role list item) is GTK's row around ours: it is
   * named by the project, as the list box's rows were (GTK 4.8 has no
   * gtk_list_item_set_accessible_label ()). */
  g_assert (row != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kl_project_get_name (project),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, id,
                                  -1);
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KlProjectPage            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (box), PROJECT_ID_KEY, NULL);
}

static void
row_teardown_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 KlProjectPage            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  if (box == NULL || self->spare_rows == NULL || self->spare_rows->len >= SPARE_ROWS_MAX)
    return;

  g_ptr_array_add (self->spare_rows, g_object_ref (box));
  gtk_list_item_set_child (item, NULL);
}

/* The check mark follows the choice on the rows that exist (those on screen). */
static void
update_checks (KlProjectPage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->project_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_widget_get_first_child (row);
      const char *id = box != NULL ? g_object_get_data (G_OBJECT (box), PROJECT_ID_KEY) : NULL;

      if (id != NULL)
        set_row_chosen (box, g_strcmp0 (id, self->selected_id) == 0);
    }
}

/* A row activated: Enter on it, or a click. */
static void
project_activated_cb (KlProjectPage *self,
                      guint          position)
{
  g_autoptr(KlProject) project = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (project == NULL)
    return;

  self->focus_state = TRUE;
  kl_project_page_select (self, kl_project_get_id (project));
}

static char *
dup_clusters_text (KlSession *session)
{
  GPtrArray *clusters = kl_session_get_clusters (session);
  guint eligible = 0, on_key = 0, paused = 0;

  if (clusters == NULL || clusters->len == 0)
    return g_strdup (_("No clusters yet. Dedicated clusters (M10 or larger) created later can use "
                       "your key."));

  for (guint i = 0; i < clusters->len; i++)
    {
      KlCluster *cluster = g_ptr_array_index (clusters, i);

      if (kl_cluster_get_paused (cluster))
        paused++;
      if (g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0)
        on_key++;
      else if (kl_cluster_check_cmk_eligible (cluster, NULL))
        eligible++;
    }

  /* Atlas has no project state to go by (the Group resource has none): what it refuses is a
   * change to a paused cluster. Paused clusters are said as such, and left alone. */
  if (paused == clusters->len)
    return g_strdup_printf (ngettext ("The cluster is paused: resume it in Atlas to use your key "
                                      "on it",
                                      "All %u clusters are paused: resume them in Atlas to use "
                                      "your key on them", paused),
                            paused);

  if (on_key > 0)
    /* Translators: the first %u is a number of clusters, the second the clusters in the project */
    return g_strdup_printf (ngettext ("%u of %u uses your key", "%u of %u use your key", on_key),
                            on_key, clusters->len);

  /* Translators: the first %u is a number of clusters, the second the clusters in the project */
  return g_strdup_printf (ngettext ("%u of %u can use your key", "%u of %u can use your key",
                                    eligible),
                          eligible, clusters->len);
}

static void
set_status (KlProjectPage *self,
            const char    *icon_name,
            const char    *style,
            const char    *text)
{
  static const char * const styles[] = { "success", "warning", "error", "accent", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), styles[i]);

  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->status_icon, icon_name);
      if (style != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);
      gtk_stack_set_visible_child_name (self->status_icon_stack, "icon");
      gtk_spinner_stop (self->status_spinner);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->status_icon_stack, "spinner");
      gtk_spinner_start (self->status_spinner);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text);
}

static void
stage_icon (KlProjectStage   stage,
            const char     **icon_name,
            const char     **style)
{
  switch (stage)
    {
    case KL_PROJECT_STAGE_OTHER_PROVIDER:
      *icon_name = "action-unavailable-symbolic";
      *style = "dim-label";
      break;
    case KL_PROJECT_STAGE_NOT_CONFIGURED:
      *icon_name = "security-low-symbolic";
      *style = "dim-label";
      break;
    case KL_PROJECT_STAGE_KEY_NOT_VALID:
      *icon_name = "dialog-warning-symbolic";
      *style = "warning";
      break;
    case KL_PROJECT_STAGE_KEY_READY:
    case KL_PROJECT_STAGE_ENDPOINTS:
    case KL_PROJECT_STAGE_CLUSTERS:
      *icon_name = "security-medium-symbolic";
      *style = "accent";
      break;
    case KL_PROJECT_STAGE_DONE:
    default:
      *icon_name = "security-high-symbolic";
      *style = "success";
      break;
    }
}

/* The project's key is on with Azure Key Vault: what Atlas was given can be checked. */
static KlAzureKeyVault *
get_azure_key_vault (KlProjectPage *self)
{
  KlEncryptionAtRest *ear = kl_session_get_encryption_at_rest (self->session);
  KlAzureKeyVault *akv = ear != NULL ? kl_encryption_at_rest_get_azure_key_vault (ear) : NULL;

  return akv != NULL && kl_azure_key_vault_get_enabled (akv) ? akv : NULL;
}

static gboolean
azure_key_is_set_up (KlProjectPage *self)
{
  return get_azure_key_vault (self) != NULL;
}

static void
azure_check_activated_cb (KlProjectPage *self)
{
  KlAzureKeyVault *akv = get_azure_key_vault (self);

  if (akv != NULL)
    kl_azure_check_dialog_present (GTK_WIDGET (self), kl_page_get_context (KL_PAGE (self)), akv);
}

static void
show_row (AdwActionRow *row,
          gboolean      visible)
{
  gtk_widget_set_visible (GTK_WIDGET (row), visible);
}

static void
update_status (KlProjectPage *self)
{
  KlProject *project = kl_session_get_project (self->session);
  KlPlan *plan = kl_session_get_plan (self->session);
  g_autofree char *summary = NULL;
  g_autofree char *clusters = NULL;
  const char *icon_name, *style, *resume_page;
  KlProjectStage stage;
  gboolean can_setup, any_action, unfinished, title_known = FALSE;

  if (is_disposed (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), project != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->clusters_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_row), FALSE);
  kl_page_set_complete (KL_PAGE (self), FALSE);
  kl_page_set_next_label (KL_PAGE (self), NULL);

  if (project == NULL)
    return;

  kl_page_util_set_group_title (self->status_group, kl_project_get_name (project));

  if (plan == NULL)
    {
      if (self->refresh_failed)
        set_status (self, "dialog-error-symbolic", "error",
                    _("Keylink could not read where this project stands. Choose Reload to try "
                      "again."));
      else
        set_status (self, NULL, NULL, _("Reading where this project stands…"));
      return;
    }

  stage = kl_plan_get_stage (plan);
  resume_page = kl_flow_get_stage_page (stage);

  /* A teardown confirmed and not finished (a crash, a close): said first, and finished first,
   * never mistaken for a setup to resume. */
  unfinished = self->unfinished_teardown >= 0 &&
               kl_plan_can_teardown (plan, (KlTeardownKind) self->unfinished_teardown) &&
               has_page (self, "teardown");
  if (unfinished)
    {
      set_status (self, "dialog-warning-symbolic", "warning",
                  self->unfinished_teardown == KL_TEARDOWN_CMK
                  ? _("Turning off your key for this project was started and did not finish. "
                      "Finish it before anything else: Keylink goes on from where Atlas stands "
                      "now, and asks you to confirm again.")
                  : _("Turning off private networking for this project was started and did not "
                      "finish. Finish it before anything else: Keylink goes on from where Atlas "
                      "stands now, and asks you to confirm again."));
    }
  else
    {
      summary = kl_plan_dup_summary (plan);
      stage_icon (stage, &icon_name, &style);
      set_status (self, icon_name, style, summary);
    }

  clusters = dup_clusters_text (self->session);
  adw_action_row_set_subtitle (self->clusters_row, clusters);
  gtk_widget_set_visible (GTK_WIDGET (self->clusters_row), TRUE);

  /* Setting up applies until everything is done; it resumes where the server's state says. */
  can_setup = !unfinished &&
              stage != KL_PROJECT_STAGE_OTHER_PROVIDER &&
              stage != KL_PROJECT_STAGE_DONE &&
              kl_flow_page_applies (resume_page, stage) &&
              has_page (self, resume_page);

  if (can_setup)
    {
      const char *title = page_title (self, resume_page);

      title_known = title != NULL;

      /* The assistant's primary button sets up; the status says where that goes on. */
      if (stage == KL_PROJECT_STAGE_NOT_CONFIGURED)
        kl_page_set_next_label (KL_PAGE (self), _("_Set Up"));
      else
        kl_page_set_next_label (KL_PAGE (self), _("_Continue Setup"));

      adw_action_row_set_subtitle (self->setup_row, title);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->setup_row), can_setup && title_known);

  show_row (self->rotate_row, kl_plan_can_rotate (plan) && has_page (self, "rotate"));
  show_row (self->azure_check_row, azure_key_is_set_up (self));
  show_row (self->endpoints_row,
            kl_plan_can_manage_endpoints (plan) && has_page (self, KL_PAGE_ENDPOINTS));
  show_row (self->teardown_network_row,
            kl_plan_can_teardown (plan, KL_TEARDOWN_PRIVATE_NETWORKING) &&
            has_page (self, "teardown"));
  show_row (self->teardown_key_row,
            kl_plan_can_teardown (plan, KL_TEARDOWN_CMK) && has_page (self, "teardown"));

  any_action = gtk_widget_get_visible (GTK_WIDGET (self->rotate_row)) ||
               gtk_widget_get_visible (GTK_WIDGET (self->endpoints_row)) ||
               gtk_widget_get_visible (GTK_WIDGET (self->azure_check_row)) ||
               gtk_widget_get_visible (GTK_WIDGET (self->teardown_network_row)) ||
               gtk_widget_get_visible (GTK_WIDGET (self->teardown_key_row));
  gtk_widget_set_visible (GTK_WIDGET (self->actions_group), any_action);

  if (unfinished)
    kl_page_set_next_label (KL_PAGE (self), _("_Finish Turning Off"));
  kl_page_set_complete (KL_PAGE (self), can_setup || unfinished);

  /* Chosen by the user: focus goes to what can be done next, which also scrolls it into
   * view below the list (and a screen reader reads it). */
  if (self->focus_state)
    {
      AdwActionRow *rows[] = { self->rotate_row, self->endpoints_row,
                               self->teardown_network_row, self->teardown_key_row,
                               self->status_row };

      gboolean actions = gtk_widget_get_visible (GTK_WIDGET (self->actions_group));

      self->focus_state = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        if (gtk_widget_get_visible (GTK_WIDGET (rows[i])) &&
            (rows[i] == self->status_row || actions))
          {
            gtk_widget_grab_focus (GTK_WIDGET (rows[i]));
            break;
          }
    }
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KlProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A refresh replaced by a newer one was cancelled: only the latest speaks for the page. */
  if (kl_session_refresh_finish (KL_SESSION (object), result, &error))
    {
      self->refreshing = FALSE;
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_disposed (self))
    return;

  g_debug ("Reading the project’s state failed: %s", error->message);
  self->refreshing = FALSE;
  if (kl_session_get_plan (KL_SESSION (object)) == NULL)
    {
      self->refresh_failed = TRUE;
      kl_page_set_error (KL_PAGE (self), error->message);
      update_status (self);
    }
}

static void
refresh (KlProjectPage *self)
{
  GCancellable *window_cancellable = kl_context_get_cancellable (kl_page_get_context (KL_PAGE (self)));

  if (kl_session_get_project (self->session) == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* The window's cancellable stops it too when the window closes. */
  if (window_cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (window_cancellable))
        return;
      g_signal_connect_object (window_cancellable, "cancelled",
                               G_CALLBACK (g_cancellable_cancel), self->cancellable,
                               G_CONNECT_SWAPPED);
    }

  self->refreshing = TRUE;
  self->refresh_failed = FALSE;
  kl_page_set_error (KL_PAGE (self), NULL);
  kl_session_refresh_async (self->session, self->cancellable, refresh_cb, g_object_ref (self));
  update_status (self);
}

static void
reload_clicked_cb (KlProjectPage *self)
{
  kl_project_page_reload (self);
}

/* Next: set up, or continue where the server's state says. The flow decides where that is. */
static void
kl_project_page_apply_async (KlPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  KlProjectPage *self = KL_PROJECT_PAGE (page);
  g_autoptr(GTask) task = NULL;
  const char *action = KL_PROJECT_ACTION_SETUP;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_project_page_apply_async);

  if (self->unfinished_teardown == KL_TEARDOWN_CMK)
    action = KL_PROJECT_ACTION_TEARDOWN_CMK;
  else if (self->unfinished_teardown == KL_TEARDOWN_PRIVATE_NETWORKING)
    action = KL_PROJECT_ACTION_TEARDOWN_PRIVATE_NETWORKING;
  gtk_widget_activate_action (GTK_WIDGET (page), "win.start-flow", "s", action);
  g_task_return_boolean (task, TRUE);
}

/* A teardown of this project confirmed and not finished (kl-teardown-intent.h, in the
 * context's settings; none in the demo), while the server still has something of it: read
 * each time the project's state is. */
static void
plan_changed_cb (KlProjectPage *self)
{
  GSettings *settings = kl_context_get_saved_settings (kl_page_get_context (KL_PAGE (self)));
  const char *group_id = kl_session_get_group_id (self->session);
  KlPlan *plan = kl_session_get_plan (self->session);
  KlTeardownKind kind;

  if (plan != NULL)
    {
      self->unfinished_teardown = -1;
      if (settings != NULL && group_id != NULL &&
          kl_teardown_intent_get (settings, group_id, &kind) && kl_plan_can_teardown (plan, kind))
        self->unfinished_teardown = kind;
    }

  update_status (self);
}

static void
kl_project_page_shown (KlPage *page)
{
  KlProjectPage *self = KL_PROJECT_PAGE (page);

  /* Next always asks the flow where to go: the state may have changed meanwhile. */
  kl_page_set_needs_apply (page, TRUE);
  update_status (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
kl_project_page_constructed (GObject *object)
{
  KlProjectPage *self = KL_PROJECT_PAGE (object);

  G_OBJECT_CLASS (kl_project_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));

  g_assert (self->session != NULL);

  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (plan_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::project", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  update_placeholder (self);
  plan_changed_cb (self);

  /* The list's first rows are made ahead, while the main loop is idle (before a sign-in has
   * listed the projects): showing thousands of them then takes no more than laying them out. */
  make_spare_rows (self);
}

static void
kl_project_page_dispose (GObject *object)
{
  KlProjectPage *self = KL_PROJECT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_PROJECT_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spare_rows_id, g_source_remove);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  g_clear_object (&self->shown);
  g_clear_object (&self->projects);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kl_project_page_parent_class)->dispose (object);
}

static void
kl_project_page_finalize (GObject *object)
{
  KlProjectPage *self = KL_PROJECT_PAGE (object);

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (kl_project_page_parent_class)->finalize (object);
}

static void
kl_project_page_class_init (KlProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_project_page_constructed;
  object_class->dispose = kl_project_page_dispose;
  object_class->finalize = kl_project_page_finalize;

  page_class->page_id = "project";
  page_class->help_id = "project";
  page_class->shown = kl_project_page_shown;
  page_class->apply_async = kl_project_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/project/kl-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, project_list);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, clusters_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, actions_group);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, setup_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, rotate_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, endpoints_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, azure_check_row);
  gtk_widget_class_bind_template_callback (widget_class, azure_check_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, teardown_network_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, teardown_key_row);
  gtk_widget_class_bind_template_child (widget_class, KlProjectPage, reload_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, project_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_teardown_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);
}

static void
kl_project_page_init (KlProjectPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->unfinished_teardown = -1;

  /* Named by the text it shows, once, without the mnemonic. */
  kl_a11y_name_button_by_text (GTK_BUTTON (self->reload_button));

  self->projects = g_list_store_new (KL_TYPE_PROJECT);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->projects)),
                                           GTK_FILTER (self->filter));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
  gtk_grid_view_set_model (self->project_list, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (shown_changed_cb), self,
                           G_CONNECT_SWAPPED);
  shown_changed_cb (self);
}

/**
 * kl_project_page_new:
 * @session: holds the chosen project and its state
 *
 * Returns: (transfer floating): the page
 */
KlPage *
kl_prepare_project_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_PROJECT_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_project_page_set_projects:
 * @projects: (element-type KlProject): the projects the sign-in listed
 *
 * Replaces the list (a new sign-in). The choice is kept if the project is still listed.
 */
void
kl_project_page_set_projects (KlProjectPage *self,
                              GPtrArray     *projects)
{
  g_return_if_fail (KL_IS_PROJECT_PAGE (self));
  g_return_if_fail (projects != NULL);

  g_list_store_splice (self->projects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                       projects->pdata, projects->len);
  if (projects->len > 0)
    make_spare_rows (self);

  /* A new sign-in forgets the project; so does the list then. */
  if (kl_session_get_project (self->session) == NULL)
    g_clear_pointer (&self->selected_id, g_free);

  if (self->selected_id != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < projects->len && !found; i++)
        found = g_strcmp0 (kl_project_get_id (g_ptr_array_index (projects, i)),
                           self->selected_id) == 0;
      if (!found)
        g_clear_pointer (&self->selected_id, g_free);
    }

  /* A chosen project forgotten is no longer listed whatever the search. */
  if (self->query != NULL && self->query[0] != '\0')
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  update_checks (self);
  update_placeholder (self);
  update_status (self);
}

/**
 * kl_project_page_get_shown:
 *
 * Returns: (transfer none): the projects the search lets through (element-type KlProject)
 */
GListModel *
kl_project_page_get_shown (KlProjectPage *self)
{
  g_return_val_if_fail (KL_IS_PROJECT_PAGE (self), NULL);

  return G_LIST_MODEL (self->shown);
}

/**
 * kl_project_page_select:
 * @group_id: a project listed by kl_project_page_set_projects()
 *
 * Chooses the project (a click on it, or the one remembered from last time) and reads its
 * state into the session.
 *
 * Returns: whether the project is listed
 */
gboolean
kl_project_page_select (KlProjectPage *self,
                        const char    *group_id)
{
  GListModel *model;
  guint n_items;

  g_return_val_if_fail (KL_IS_PROJECT_PAGE (self), FALSE);
  g_return_val_if_fail (group_id != NULL, FALSE);

  model = G_LIST_MODEL (self->projects);
  n_items = g_list_model_get_n_items (model);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KlProject) project = g_list_model_get_item (model, i);

      if (g_strcmp0 (kl_project_get_id (project), group_id) != 0)
        continue;

      g_free (self->selected_id);
      self->selected_id = g_strdup (group_id);
      update_checks (self);
      /* The one chosen before no longer stays listed if the search hides it. */
      if (self->query != NULL && self->query[0] != '\0')
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

      /* The same project again: its state stands, unless reading it failed. */
      if (g_strcmp0 (kl_session_get_group_id (self->session), group_id) == 0 &&
          (kl_session_get_plan (self->session) != NULL || self->refreshing))
        {
          update_status (self);
          return TRUE;
        }

      kl_session_set_project (self->session, project);
      refresh (self);
      return TRUE;
    }

  return FALSE;
}

/**
 * kl_project_page_reload:
 *
 * Reads the chosen project's state again.
 */
void
kl_project_page_reload (KlProjectPage *self)
{
  g_return_if_fail (KL_IS_PROJECT_PAGE (self));

  refresh (self);
}
