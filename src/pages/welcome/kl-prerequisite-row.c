/* kl-prerequisite-row.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-prerequisite-row"

#include "config.h"

#include "kl-prerequisite-row.h"

/* One thing the welcome page says a first-time admin needs: an icon, a title and a wrapping
 * subtitle, shown and read like an AdwActionRow's. AdwActionRow lays them out in a horizontal
 * box, which on every allocation asks its title box for a width at the row's height; for two
 * wrapping labels GTK answers that by searching over widths, a Pango layout per step (about
 * 250 layouts for the four prerequisites on the first frame). A GtkGrid sizes its children
 * height-for-width instead: one layout per label and width. */

struct _KlPrerequisiteRow
{
  AdwPreferencesRow  parent_instance;

  /* Template widgets */
  GtkImage          *image;
  GtkLabel          *subtitle_label;
};

G_DEFINE_FINAL_TYPE (KlPrerequisiteRow, kl_prerequisite_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_SUBTITLE,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kl_prerequisite_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KL_TYPE_PREREQUISITE_ROW);

  G_OBJECT_CLASS (kl_prerequisite_row_parent_class)->dispose (object);
}

static void
kl_prerequisite_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KlPrerequisiteRow *self = KL_PREREQUISITE_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      g_value_set_string (value, kl_prerequisite_row_get_subtitle (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, kl_prerequisite_row_get_icon_name (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_prerequisite_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KlPrerequisiteRow *self = KL_PREREQUISITE_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      kl_prerequisite_row_set_subtitle (self, g_value_get_string (value));
      break;

    case PROP_ICON_NAME:
      kl_prerequisite_row_set_icon_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_prerequisite_row_class_init (KlPrerequisiteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_prerequisite_row_dispose;
  object_class->get_property = kl_prerequisite_row_get_property;
  object_class->set_property = kl_prerequisite_row_set_property;

  /**
   * KlPrerequisiteRow:subtitle:
   * What exactly is needed, under the title.
   */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPrerequisiteRow:icon-name:
   * The icon before the title (decoration: hidden from screen readers).
   */
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/welcome/kl-prerequisite-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlPrerequisiteRow, image);
  gtk_widget_class_bind_template_child (widget_class, KlPrerequisiteRow, subtitle_label);
}

static void
kl_prerequisite_row_init (KlPrerequisiteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
kl_prerequisite_row_get_subtitle (KlPrerequisiteRow *self)
{
  g_return_val_if_fail (KL_IS_PREREQUISITE_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle_label);
}

void
kl_prerequisite_row_set_subtitle (KlPrerequisiteRow *self,
                                  const char        *subtitle)
{
  g_return_if_fail (KL_IS_PREREQUISITE_ROW (self));

  if (subtitle == NULL)
    subtitle = "";
  if (g_strcmp0 (gtk_label_get_label (self->subtitle_label), subtitle) == 0)
    return;

  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

const char *
kl_prerequisite_row_get_icon_name (KlPrerequisiteRow *self)
{
  g_return_val_if_fail (KL_IS_PREREQUISITE_ROW (self), NULL);

  return gtk_image_get_icon_name (self->image);
}

void
kl_prerequisite_row_set_icon_name (KlPrerequisiteRow *self,
                                   const char        *icon_name)
{
  g_return_if_fail (KL_IS_PREREQUISITE_ROW (self));

  if (g_strcmp0 (gtk_image_get_icon_name (self->image), icon_name) == 0)
    return;

  gtk_image_set_from_icon_name (self->image, icon_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}
