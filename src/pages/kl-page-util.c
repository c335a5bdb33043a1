/* kl-page-util.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-page-util"

#include "config.h"

#include "kl-page-util.h"

/**
 * kl_page_util_plain_row_new:
 * @title: the row's title, shown as it is
 * @subtitle: (nullable): its subtitle, shown as it is
 *
 * An #AdwActionRow that does not read its texts as Pango markup: a project named
 * “R&D <EU>” shows as such.
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
kl_page_util_plain_row_new (const char *title,
                            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Not as construct properties: the notifications g_object_new() holds come back in
   * reverse order, and the labels would read the texts as markup before use-markup is off. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

/**
 * kl_page_util_set_group_title:
 * @text: (nullable): the title, shown as it is
 *
 * Sets @group's title; libadwaita 1.2 always reads it as markup, so @text is escaped.
 */
void
kl_page_util_set_group_title (AdwPreferencesGroup *group,
                              const char          *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  adw_preferences_group_set_title (group, escaped != NULL ? escaped : "");
}

/**
 * kl_page_util_set_group_description:
 * @text: (nullable): the description, shown as it is
 *
 * Sets @group's description; libadwaita 1.2 always reads it as markup, so @text is
 * escaped.
 */
void
kl_page_util_set_group_description (AdwPreferencesGroup *group,
                                    const char          *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  adw_preferences_group_set_description (group, escaped);
}

static void
name_button (GtkButton  *button,
             const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
button_label_changed_cb (GtkButton  *button,
                         GParamSpec *pspec,
                         char       *name)
{
  name_button (button, name);
}

static void
free_name (gpointer  name,
           GClosure *closure)
{
  g_free (name);
}

/**
 * kl_page_util_name_button:
 * @button: a button with a short text, such as “Edit”
 * @name: what assistive technologies call it, starting with that text: “Edit the key vault”
 *
 * Names @button by @name alone, now and whenever its text changes. GTK 4.8 names a button by
 * its accessible label followed by the label child it is labelled by: that child goes, or a
 * screen reader would say “Edit the key vault Edit”.
 */
void
kl_page_util_name_button (GtkButton  *button,
                          const char *name)
{
  g_return_if_fail (GTK_IS_BUTTON (button));
  g_return_if_fail (name != NULL);

  name_button (button, name);
  g_signal_connect_data (button, "notify::label", G_CALLBACK (button_label_changed_cb),
                         g_strdup (name), free_name, 0);
}
