/* kl-welcome-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-welcome-page.h"

/* Step 1 of the flow (design.md section 2): what Keylink does, what it needs, saved
 * profiles to continue with, and the demo. */

struct _KlWelcomePage
{
  KlPage      parent_instance;

  /* Template widgets */
  GtkListBox *profiles_list;
};

G_DEFINE_FINAL_TYPE (KlWelcomePage, kl_welcome_page, KL_TYPE_PAGE)

enum {
  PROFILE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
profile_row_activated_cb (KlWelcomePage *self,
                          GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "kl-profile-id");

  g_return_if_fail (id != NULL);

  g_signal_emit (self, signals[PROFILE_ACTIVATED], 0, id);
}

static void
kl_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KL_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (kl_welcome_page_parent_class)->dispose (object);
}

static void
kl_welcome_page_class_init (KlWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->dispose = kl_welcome_page_dispose;

  page_class->page_id = "welcome";
  page_class->help_id = "prerequisites";

  /**
   * KlWelcomePage::profile-activated:
   * @id: the id given to kl_welcome_page_set_profiles()
   *
   * The user chose a saved profile to continue with.
   */
  signals[PROFILE_ACTIVATED] =
    g_signal_new ("profile-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/welcome/kl-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWelcomePage, profiles_list);
  gtk_widget_class_bind_template_callback (widget_class, profile_row_activated_cb);
}

static void
kl_welcome_page_init (KlWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KlPage *
kl_welcome_page_new (void)
{
  return g_object_new (KL_TYPE_WELCOME_PAGE, NULL);
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
  GtkListBoxRow *old;
  guint n_names, n_ids;

  g_return_if_fail (KL_IS_WELCOME_PAGE (self));

  n_names = names != NULL ? g_strv_length ((char **) names) : 0;
  n_ids = ids != NULL ? g_strv_length ((char **) ids) : 0;
  g_return_if_fail (n_names == n_ids);

  while ((old = gtk_list_box_get_row_at_index (self->profiles_list, 0)) != NULL)
    gtk_list_box_remove (self->profiles_list, GTK_WIDGET (old));

  for (guint i = 0; i < n_names; i++)
    {
      GtkWidget *row, *arrow;

      row = g_object_new (ADW_TYPE_ACTION_ROW,
                          "title", names[i],
                          "activatable", TRUE,
                          "use-markup", FALSE,
                          NULL);
      arrow = g_object_new (GTK_TYPE_IMAGE,
                            "icon-name", "go-next-symbolic",
                            "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                            NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      g_object_set_data_full (G_OBJECT (row), "kl-profile-id", g_strdup (ids[i]), g_free);
      gtk_list_box_append (self->profiles_list, row);
    }
}
