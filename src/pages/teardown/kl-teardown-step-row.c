/* kl-teardown-step-row.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-teardown-step-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-regions.h"
#include "kl-teardown-step-row.h"
#include "pages/kl-page-util.h"

struct _KlTeardownStepRow
{
  AdwActionRow  parent_instance;

  KlStep       *step;

  /* Template widgets */
  GtkStack     *state_stack;
  GtkLabel     *number_label;
  GtkSpinner   *spinner;
  GtkButton    *retry_button;
};

G_DEFINE_FINAL_TYPE (KlTeardownStepRow, kl_teardown_step_row, ADW_TYPE_ACTION_ROW)

static void
update_state (KlTeardownStepRow *self)
{
  KlStepState state = kl_step_get_state (self->step);
  const GError *error = kl_step_get_error (self->step);
  const char *shown = "pending";
  const char *subtitle = NULL;

  switch (state)
    {
    case KL_STEP_STATE_RUNNING:
      shown = "running";
      subtitle = _("In progress…");
      break;

    case KL_STEP_STATE_WAITING:
      shown = "running";
      subtitle = _("Waiting for Atlas to finish what it is doing, then trying again…");
      break;

    case KL_STEP_STATE_DONE:
    case KL_STEP_STATE_SKIPPED:
      shown = "done";
      subtitle = _("Done");
      break;

    case KL_STEP_STATE_FAILED:
      shown = "failed";
      subtitle = error != NULL ? error->message : _("Failed");
      break;

    case KL_STEP_STATE_PENDING:
    default:
      break;
    }

  gtk_stack_set_visible_child_name (self->state_stack, shown);
  kl_page_util_set_spinning (self->spinner, g_str_equal (shown, "running"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state == KL_STEP_STATE_FAILED);
}

static void
kl_teardown_step_row_dispose (GObject *object)
{
  KlTeardownStepRow *self = KL_TEARDOWN_STEP_ROW (object);

  if (self->step != NULL)
    g_signal_handlers_disconnect_by_data (self->step, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_TEARDOWN_STEP_ROW);
  g_clear_object (&self->step);

  G_OBJECT_CLASS (kl_teardown_step_row_parent_class)->dispose (object);
}

static void
kl_teardown_step_row_class_init (KlTeardownStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_teardown_step_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/teardown/kl-teardown-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlTeardownStepRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownStepRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownStepRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KlTeardownStepRow, retry_button);
}

static void
kl_teardown_step_row_init (KlTeardownStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The step's title as the rest of the window names places: the plan (core, which has no region
 * list) writes the Atlas code, "… in US_EAST_2"; the row says "… in East US 2 (US_EAST_2)", as
 * the Endpoints page does. */
static char *
dup_title (KlStep *step)
{
  const char *title = kl_step_get_title (step);
  const char *region = kl_step_get_detail (step);
  g_autofree char *region_title = NULL;
  const char *at;

  if (kl_step_get_kind (step) != KL_STEP_DELETE_ENDPOINT || region == NULL || *region == '\0' ||
      (at = g_strrstr (title, region)) == NULL)
    return g_strdup (title);

  region_title = kl_regions_dup_title (region);
  return g_strdup_printf ("%.*s%s%s", (int) (at - title), title, region_title,
                          at + strlen (region));
}

GtkWidget *
kl_teardown_step_row_new (KlStep *step,
                          guint   number)
{
  KlTeardownStepRow *self;
  g_autofree char *number_text = NULL;
  g_autofree char *retry_label = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (KL_IS_STEP (step), NULL);

  /* Not a construct property: notifications held during construction come back in reverse
   * order, and the title label would read the title as markup before use-markup is off. */
  self = g_object_new (KL_TYPE_TEARDOWN_STEP_ROW, NULL);
  title = dup_title (step);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  self->step = g_object_ref (step);

  number_text = g_strdup_printf ("%u", number);
  gtk_label_set_label (self->number_label, number_text);

  /* Translators: the accessible name of a failed step's Retry button; %s is the step */
  retry_label = g_strdup_printf (_("Retry: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label,
                                  -1);

  g_signal_connect_object (step, "notify::state", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (step, "notify::error", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  update_state (self);

  return GTK_WIDGET (self);
}

/**
 * kl_teardown_step_row_get_step:
 *
 * Returns: (transfer none): the step the row shows
 */
KlStep *
kl_teardown_step_row_get_step (KlTeardownStepRow *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_STEP_ROW (self), NULL);

  return self->step;
}

const char *
kl_teardown_step_row_get_shown_state (KlTeardownStepRow *self)
{
  g_return_val_if_fail (KL_IS_TEARDOWN_STEP_ROW (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
}
