/* kl-welcome-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-prerequisite-row.h"
#include "kl-profile-list.h"
#include "kl-welcome-page.h"
#include "pages/kl-page-util.h"

/* Step 1 of the flow (HACKING.md, The flow): what Keylink does, what it needs, the project
 * worked on last to pick up again, saved profiles to continue with, and the demo. The page
 * lists the profiles itself (KlProfileList, with the context's credentials); a choice is a
 * window action: win.sign-in-profile (a row, its id the target) or win.continue-project,
 * and the window asks the page to unlock the profile (kl_welcome_page_sign_in_async()). */

struct _KlWelcomePage
{
  KlPage      parent_instance;

  KlProfileList *list;
  gboolean    loading;
  gboolean    busy;
  GtkWidget  *busy_row;     /* the row whose sign-in runs */

  /* Template widgets */
  GtkWidget  *continue_group;
  AdwActionRow *continue_row;
  GtkStack   *continue_stack;
  GtkSpinner *continue_spinner;
  GtkWidget  *profiles_group;
  GtkListBox *profiles_list;
  GtkLabel   *placeholder_label;
  GtkWidget  *demo_box;
  GtkWidget  *demo_button;
};

G_DEFINE_FINAL_TYPE (KlWelcomePage, kl_welcome_page, KL_TYPE_PAGE)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PROFILE_ID_KEY "kl-profile-id"
#define SPINNER_KEY    "kl-spinner"
#define ARROW_KEY      "kl-arrow"

static void kl_welcome_page_set_demo (KlWelcomePage *self,
                                      gboolean       demo);

static gboolean
is_disposed (KlWelcomePage *self)
{
  return self->profiles_list == NULL;
}

/* A card while it has rows; while empty, its placeholder is a line of text, not an empty card. */
static void
update_list_style (KlWelcomePage *self)
{
  gboolean empty = gtk_list_box_get_row_at_index (self->profiles_list, 0) == NULL;
  GtkWidget *list = GTK_WIDGET (self->profiles_list);

  if (empty)
    {
      gtk_widget_remove_css_class (list, "boxed-list");
      gtk_widget_add_css_class (list, "kl-plain-list");
    }
  else
    {
      gtk_widget_remove_css_class (list, "kl-plain-list");
      gtk_widget_add_css_class (list, "boxed-list");
    }
}

static void
update_placeholder (KlWelcomePage *self)
{
  gtk_label_set_label (self->placeholder_label,
                       self->loading ? _("Looking for saved profiles…")
                                     : _("No saved profiles yet"));
}

/* ---- The saved profiles ----------------------------------------------------------------- */

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

static void
add_profile_row (KlWelcomePage *self,
                 KlProfile     *profile)
{
  g_autofree char *id = g_strconcat ("keyring:", kl_profile_get_id (profile), NULL);
  g_autofree char *subtitle = describe_account (kl_profile_get_auth_type (profile),
                                                kl_profile_get_service (profile),
                                                kl_profile_get_custom_url (profile));

  kl_welcome_page_add_profile (self, id, kl_profile_get_display_name (profile), subtitle, TRUE);
}

/* The profile used last comes first; then the rest, then the Atlas CLI's not yet imported. */
static void
show_profiles (KlWelcomePage *self)
{
  KlContext *context = kl_page_get_context (KL_PAGE (self));
  GSettings *settings = kl_context_get_settings (context);
  GPtrArray *profiles = kl_profile_list_get_profiles (self->list);
  GPtrArray *cli_profiles = kl_profile_list_get_cli_profiles (self->list);
  g_autofree char *last_profile = NULL;
  g_autofree char *last_project = NULL;
  g_autofree char *last_project_name = NULL;
  KlProfile *last = NULL;

  if (settings != NULL)
    {
      last_profile = g_settings_get_string (settings, "last-profile");
      last_project = g_settings_get_string (settings, "last-project");
      last_project_name = g_settings_get_string (settings, "last-project-name");
      last = kl_profile_list_find (self->list, last_profile);
    }

  kl_welcome_page_clear_profiles (self);

  if (last != NULL)
    add_profile_row (self, last);
  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    if (g_ptr_array_index (profiles, i) != last)
      add_profile_row (self, g_ptr_array_index (profiles, i));

  for (guint i = 0; cli_profiles != NULL && i < cli_profiles->len; i++)
    {
      KlCliProfile *cli = g_ptr_array_index (cli_profiles, i);
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      gboolean usable = kl_cli_profile_is_importable (cli);

      if (kl_profile_list_is_imported (self->list, cli))
        continue;

      id = g_strconcat ("cli:", kl_cli_profile_get_name (cli), NULL);
      /* Translators: %s is the name of a profile of the Atlas command-line tool */
      title = g_strdup_printf (_("Atlas CLI: %s"), kl_cli_profile_get_name (cli));
      subtitle = usable ? describe_account (kl_cli_profile_get_auth_type (cli),
                                            kl_cli_profile_get_service (cli),
                                            kl_cli_profile_get_custom_url (cli))
                        : g_strdup (kl_cli_profile_get_problem (cli));
      kl_welcome_page_add_profile (self, id, title, subtitle, usable);
    }

  if (last != NULL && last_project != NULL && last_project[0] != '\0' &&
      last_project_name != NULL && last_project_name[0] != '\0' && !kl_context_get_demo (context))
    kl_welcome_page_set_continue (self, last_project_name, kl_profile_get_display_name (last));
  else
    kl_welcome_page_set_continue (self, NULL, NULL);

  kl_welcome_page_set_loading (self, FALSE);
}

static void
load_profiles (KlWelcomePage *self)
{
  kl_profile_list_load (self->list);
  kl_welcome_page_set_loading (self, kl_profile_list_get_loading (self->list));
}

/* The window's settings came (its application): list the profiles, but never in the demo,
 * which signs in without the keyring. */
static void
context_settings_changed_cb (KlWelcomePage *self)
{
  KlContext *context = kl_page_get_context (KL_PAGE (self));

  if (kl_context_get_settings (context) != NULL && !kl_context_get_demo (context))
    load_profiles (self);
}

static void
context_demo_changed_cb (KlWelcomePage *self)
{
  kl_welcome_page_set_demo (self, kl_context_get_demo (kl_page_get_context (KL_PAGE (self))));
}

/* ---- The page ---------------------------------------------------------------------------- */

static void
kl_welcome_page_constructed (GObject *object)
{
  KlWelcomePage *self = KL_WELCOME_PAGE (object);
  KlContext *context;

  G_OBJECT_CLASS (kl_welcome_page_parent_class)->constructed (object);

  context = kl_page_get_context (KL_PAGE (self));
  self->list = kl_profile_list_new (context);
  g_signal_connect_object (self->list, "changed", G_CALLBACK (show_profiles), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::settings", G_CALLBACK (context_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::demo", G_CALLBACK (context_demo_changed_cb),
                           self, G_CONNECT_SWAPPED);
  if (kl_context_get_demo (context))
    kl_welcome_page_set_demo (self, TRUE);
  else if (kl_context_get_settings (context) != NULL)
    load_profiles (self);
}

static void
kl_welcome_page_dispose (GObject *object)
{
  KlWelcomePage *self = KL_WELCOME_PAGE (object);

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);

  gtk_widget_dispose_template (GTK_WIDGET (object), KL_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (kl_welcome_page_parent_class)->dispose (object);
}

static void
kl_welcome_page_finalize (GObject *object)
{
  KlWelcomePage *self = KL_WELCOME_PAGE (object);

  g_clear_object (&self->list);

  G_OBJECT_CLASS (kl_welcome_page_parent_class)->finalize (object);
}

static void
kl_welcome_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlWelcomePage *self = KL_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_welcome_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlWelcomePage *self = KL_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      kl_welcome_page_set_loading (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_welcome_page_class_init (KlWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_welcome_page_constructed;
  object_class->dispose = kl_welcome_page_dispose;
  object_class->finalize = kl_welcome_page_finalize;
  object_class->get_property = kl_welcome_page_get_property;
  object_class->set_property = kl_welcome_page_set_property;

  page_class->page_id = "welcome";
  page_class->help_id = "prerequisites";

  /**
   * KlWelcomePage:loading:
   * Whether the saved profiles are still being looked for.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_PREREQUISITE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/welcome/kl-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, continue_group);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, continue_row);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, continue_stack);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, continue_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, profiles_list);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, demo_box);
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, demo_button);
}

static void
kl_welcome_page_init (KlWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_list_style (self);

  /* Named by the text it shows, once, without the mnemonic. */
  kl_a11y_name_button_by_text (GTK_BUTTON (self->demo_button));
}

KlPage *
kl_prepare_welcome_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_WELCOME_PAGE,
                       "context", context,
                       NULL);
}

/**
 * kl_welcome_page_clear_profiles:
 *
 * Removes every profile; the placeholder shows.
 */
void
kl_welcome_page_clear_profiles (KlWelcomePage *self)
{
  GtkListBoxRow *old;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  while ((old = gtk_list_box_get_row_at_index (self->profiles_list, 0)) != NULL)
    {
      if (GTK_WIDGET (old) == self->busy_row)
        self->busy_row = NULL;
      gtk_list_box_remove (self->profiles_list, GTK_WIDGET (old));
    }
  update_list_style (self);
}

/**
 * kl_welcome_page_add_profile:
 * @id: the target of the row's win.sign-in-profile, and what
 *   kl_welcome_page_sign_in_async() takes: "keyring:<profile id>" or "cli:<name>"
 * @title: the profile's name
 * @subtitle: (nullable): what it signs in to, or why it cannot be used
 * @usable: %FALSE shows the profile without letting it be chosen (e.g. an Atlas CLI profile
 *   whose secret is missing; @subtitle says why)
 *
 * Appends a profile to the list.
 */
void
kl_welcome_page_add_profile (KlWelcomePage *self,
                             const char    *id,
                             const char    *title,
                             const char    *subtitle,
                             gboolean       usable)
{
  GtkWidget *row, *arrow, *spinner;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (title != NULL);

  row = kl_page_util_plain_row_new (title, subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), usable);
  gtk_widget_set_sensitive (row, usable);
  arrow = g_object_new (GTK_TYPE_IMAGE,
                        "icon-name", "go-next-symbolic",
                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                        "visible", usable,
                        NULL);
  spinner = g_object_new (GTK_TYPE_SPINNER, "visible", FALSE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Signing in"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spinner);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  if (subtitle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                    -1);
  /* A page-to-window command, like the Continue row's win.continue-project (.ui file). */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.sign-in-profile");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);
  g_object_set_data_full (G_OBJECT (row), PROFILE_ID_KEY, g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (row), SPINNER_KEY, spinner);
  g_object_set_data (G_OBJECT (row), ARROW_KEY, arrow);
  gtk_list_box_append (self->profiles_list, row);
  update_list_style (self);
}

/**
 * kl_welcome_page_set_profiles:
 * @names: (array zero-terminated=1): display names, one per profile
 * @ids: (array zero-terminated=1): ids, as many as @names, the targets of the rows'
 *   win.sign-in-profile
 *
 * Replaces the list of saved profiles (keyring and Atlas CLI). Empty arrays or %NULL show
 * the placeholder.
 */
void
kl_welcome_page_set_profiles (KlWelcomePage      *self,
                              const char * const *names,
                              const char * const *ids)
{
  guint n_names, n_ids;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  n_names = names != NULL ? g_strv_length ((char **) names) : 0;
  n_ids = ids != NULL ? g_strv_length ((char **) ids) : 0;
  g_return_if_fail (n_names == n_ids);

  kl_welcome_page_clear_profiles (self);
  for (guint i = 0; i < n_names; i++)
    kl_welcome_page_add_profile (self, ids[i], names[i], NULL, TRUE);
}

/* A name in a mnemonic label: its underscores are not mnemonics. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/**
 * kl_welcome_page_set_continue:
 * @project_name: (nullable): the project worked on last; %NULL hides the offer
 * @profile_name: (nullable): the profile it was worked on with
 *
 * Offers “Continue with <project>” as the page's primary action, the assistant's Next
 * (win.continue-project), and says at the top of the page where the user left off; a fresh
 * sign-in becomes the second choice. %NULL: Next signs in afresh.
 */
void
kl_welcome_page_set_continue (KlWelcomePage *self,
                              const char    *project_name,
                              const char    *profile_name)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (self->continue_group, project_name != NULL);
  if (project_name == NULL)
    {
      kl_page_set_next_action (KL_PAGE (self), NULL);
      kl_page_set_next_label (KL_PAGE (self), NULL);
      return;
    }

  escaped = escape_mnemonic (project_name);
  /* Translators: the Welcome page's primary button; %s is the name of an Atlas project. Keep
   * the underscore before the access key. */
  title = g_strdup_printf (_("_Continue with %s"), escaped);
  /* Translators: %s is the name of a saved profile */
  subtitle = profile_name != NULL ? g_strdup_printf (_("Where you left off, with “%s”"),
                                                     profile_name)
                                  : NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->continue_row), project_name);
  adw_action_row_set_subtitle (self->continue_row, subtitle);
  kl_page_set_next_label (KL_PAGE (self), title);
  kl_page_set_next_action (KL_PAGE (self), "win.continue-project");
}

gboolean
kl_welcome_page_get_loading (KlWelcomePage *self)
{
  g_return_val_if_fail (KL_IS_WELCOME_PAGE (self), FALSE);

  return self->loading;
}

/**
 * kl_welcome_page_set_loading:
 *
 * Whether the saved profiles are still being looked for (the placeholder says so).
 */
void
kl_welcome_page_set_loading (KlWelcomePage *self,
                             gboolean       loading)
{
  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  update_placeholder (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * kl_welcome_page_set_busy:
 *
 * While a chosen profile signs in: a spinner on its row, and no other choice meanwhile.
 */
void
kl_welcome_page_set_busy (KlWelcomePage *self,
                          gboolean       busy)
{
  GtkWidget *row;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  self->busy = !!busy;
  row = self->busy_row;

  gtk_widget_set_sensitive (GTK_WIDGET (self->profiles_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_group), !busy);
  /* No second choice meanwhile, Continue with included. */
  kl_page_set_complete (KL_PAGE (self), !busy);

  if (row == GTK_WIDGET (self->continue_row))
    {
      gtk_stack_set_visible_child_name (self->continue_stack, busy ? "spinner" : "arrow");
      gtk_spinner_set_spinning (self->continue_spinner, busy);
    }
  else if (row != NULL)
    {
      GtkWidget *spinner = g_object_get_data (G_OBJECT (row), SPINNER_KEY);
      GtkWidget *arrow = g_object_get_data (G_OBJECT (row), ARROW_KEY);

      gtk_widget_set_visible (spinner, busy);
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
      gtk_widget_set_visible (arrow, !busy);
    }

  if (!busy)
    self->busy_row = NULL;
}

/* In demo mode the page offers neither saved profiles nor the demo (it runs already). */
static void
kl_welcome_page_set_demo (KlWelcomePage *self,
                          gboolean       demo)
{
  gtk_widget_set_visible (self->profiles_group, !demo);
  gtk_widget_set_visible (self->demo_box, !demo);
  if (demo)
    kl_welcome_page_set_continue (self, NULL, NULL);
}

gboolean
kl_welcome_page_get_busy (KlWelcomePage *self)
{
  g_return_val_if_fail (KL_IS_WELCOME_PAGE (self), FALSE);

  return self->busy;
}

static GtkWidget *
find_row (KlWelcomePage *self,
          const char    *id)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->profiles_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), PROFILE_ID_KEY), id) == 0)
      return GTK_WIDGET (row);

  return NULL;
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlWelcomePage *self = g_task_get_source_object (task);
  g_autoptr(SecretValue) secret = NULL;
  g_autoptr(KlProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = kl_profile_list_unlock_finish (KL_PROFILE_LIST (object), result, &secret, &error);
  if (is_disposed (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The window closed");
      return;
    }

  kl_welcome_page_set_busy (self, FALSE);
  if (profile == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kl_page_set_error (KL_PAGE (self), error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&secret), (GDestroyNotify) secret_value_unref);
  g_task_return_pointer (task, g_steal_pointer (&profile), g_object_unref);
}

/**
 * kl_welcome_page_sign_in_async:
 * @id: (nullable): a profile's id (kl_welcome_page_add_profile()); %NULL for the one
 *   “Continue with” offers
 *
 * Unlocks the profile for the sign-in page: its secret from the keyring (an Atlas CLI
 * profile is copied into the keyring first), with a spinner on its row meanwhile. The page
 * shows what went wrong; a profile no longer listed fails at once with
 * %G_IO_ERROR_NOT_FOUND (a Continue whose profile is gone is no longer offered), and so
 * does a request while another runs (%G_IO_ERROR_PENDING).
 */
void
kl_welcome_page_sign_in_async (KlWelcomePage       *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GSettings *settings;
  GtkWidget *row;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_welcome_page_sign_in_async);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "A sign-in runs already");
      return;
    }

  if (id == NULL)
    {
      g_autofree char *last_profile = NULL;

      settings = kl_context_get_settings (kl_page_get_context (KL_PAGE (self)));
      last_profile = settings != NULL ? g_settings_get_string (settings, "last-profile") : NULL;
      key = g_strconcat ("keyring:", last_profile, NULL);
      row = GTK_WIDGET (self->continue_row);
      if (last_profile == NULL || !kl_profile_list_contains (self->list, key))
        {
          g_debug ("The last profile “%s” is gone", last_profile);
          kl_welcome_page_set_continue (self, NULL, NULL);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   "The last profile is gone");
          return;
        }
    }
  else
    {
      key = g_strdup (id);
      row = find_row (self, id);
      if (!kl_profile_list_contains (self->list, key))
        {
          g_debug ("No profile “%s” to sign in with", id);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   "No such profile");
          return;
        }
    }

  self->busy_row = row;
  kl_page_set_error (KL_PAGE (self), NULL);
  kl_welcome_page_set_busy (self, TRUE);
  kl_profile_list_unlock_async (self->list, key, cancellable, unlocked_cb,
                                g_steal_pointer (&task));
}

/**
 * kl_welcome_page_sign_in_finish:
 * @secret: (out) (transfer full): the profile's secret
 *
 * Returns: (transfer full) (nullable): the profile to sign in with, or %NULL with @error set
 */
KlProfile *
kl_welcome_page_sign_in_finish (KlWelcomePage  *self,
                                GAsyncResult   *result,
                                SecretValue   **secret,
                                GError        **error)
{
  KlProfile *profile;

  g_return_val_if_fail (KL_IS_WELCOME_PAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  profile = g_task_propagate_pointer (G_TASK (result), error);
  if (profile != NULL)
    *secret = secret_value_ref (g_task_get_task_data (G_TASK (result)));
  return profile;
}

/**
 * kl_welcome_page_signed_in:
 * @profile: the profile just signed in with (typed and saved, or chosen here)
 *
 * A profile saved on the sign-in page is listed from now on.
 */
void
kl_welcome_page_signed_in (KlWelcomePage *self,
                           KlProfile     *profile)
{
  g_return_if_fail (KL_IS_WELCOME_PAGE (self));
  g_return_if_fail (KL_IS_PROFILE (profile));

  if (kl_profile_list_find (self->list, kl_profile_get_id (profile)) == NULL)
    load_profiles (self);
}
