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
#include "kl-welcome-page.h"
#include "pages/kl-page-util.h"

/* Step 1 of the flow (HACKING.md, The flow): what Keylink does, what it needs, the project
 * worked on last to pick up again, saved profiles to continue with, and the demo. The flow
 * (KlWindow) fills the lists and acts on the choices. */

struct _KlWelcomePage
{
  KlPage      parent_instance;

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

enum {
  PROFILE_ACTIVATED,
  CONTINUE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define PROFILE_ID_KEY "kl-profile-id"
#define SPINNER_KEY    "kl-spinner"
#define ARROW_KEY      "kl-arrow"

static void
profile_row_activated_cb (KlWelcomePage *self,
                          GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), PROFILE_ID_KEY);

  g_return_if_fail (id != NULL);

  if (self->busy)
    return;

  self->busy_row = GTK_WIDGET (row);
  g_signal_emit (self, signals[PROFILE_ACTIVATED], 0, id);
}

static void
continue_activated_cb (KlWelcomePage *self)
{
  if (self->busy)
    return;

  self->busy_row = GTK_WIDGET (self->continue_row);
  g_signal_emit (self, signals[CONTINUE_ACTIVATED], 0);
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

static void
kl_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KL_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (kl_welcome_page_parent_class)->dispose (object);
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

  object_class->dispose = kl_welcome_page_dispose;
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

  /**
   * KlWelcomePage::profile-activated:
   * @id: the id given to kl_welcome_page_add_profile()
   *
   * The user chose a saved profile to continue with.
   */
  signals[PROFILE_ACTIVATED] =
    g_signal_new ("profile-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * KlWelcomePage::continue-activated:
   *
   * The user chose to pick up the project worked on last (kl_welcome_page_set_continue()).
   */
  signals[CONTINUE_ACTIVATED] =
    g_signal_new ("continue-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

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
  gtk_widget_class_bind_template_callback (widget_class, profile_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_activated_cb);
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
 * @id: given back by #KlWelcomePage::profile-activated
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
  g_object_set_data_full (G_OBJECT (row), PROFILE_ID_KEY, g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (row), SPINNER_KEY, spinner);
  g_object_set_data (G_OBJECT (row), ARROW_KEY, arrow);
  gtk_list_box_append (self->profiles_list, row);
  update_list_style (self);
}

/**
 * kl_welcome_page_set_profiles:
 * @names: (array zero-terminated=1): display names, one per profile
 * @ids: (array zero-terminated=1): ids, as many as @names, given back by
 *   #KlWelcomePage::profile-activated
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

/**
 * kl_welcome_page_set_continue:
 * @project_name: (nullable): the project worked on last; %NULL hides the offer
 * @profile_name: (nullable): the profile it was worked on with
 *
 * Offers “Continue with <project>” at the top of the page.
 */
void
kl_welcome_page_set_continue (KlWelcomePage *self,
                              const char    *project_name,
                              const char    *profile_name)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (self->continue_group, project_name != NULL);
  if (project_name == NULL)
    return;

  /* Translators: %s is the name of an Atlas project */
  title = g_strdup_printf (_("Continue with %s"), project_name);
  /* Translators: %s is the name of a saved profile */
  subtitle = profile_name != NULL ? g_strdup_printf (_("Where you left off, with “%s”"),
                                                     profile_name)
                                  : NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->continue_row), title);
  adw_action_row_set_subtitle (self->continue_row, subtitle);
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_row), !busy);

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

/**
 * kl_welcome_page_set_demo:
 *
 * In demo mode the page offers neither saved profiles nor the demo (it runs already).
 */
void
kl_welcome_page_set_demo (KlWelcomePage *self,
                          gboolean       demo)
{
  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (self->profiles_group, !demo);
  gtk_widget_set_visible (self->demo_box, !demo);
  if (demo)
    gtk_widget_set_visible (self->continue_group, FALSE);
}
