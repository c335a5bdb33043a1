/* kl-field.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-field"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-field.h"

/* Live validation of one AdwEntryRow, the way gis-password-page does it: the check runs on
 * every change so the page knows at once whether it is complete, but a message only appears
 * once the user pauses (debounced) or leaves the field; a fix clears it at once. The message
 * sits in a caption row right under the field, inside the same boxed list, with a Fix
 * button when the check knows a repair. */

#define DEBOUNCE_MS 300

struct _KlField
{
  GObject             parent_instance;

  AdwEntryRow        *row;
  GtkEventController *focus;
  KlFieldCheckFunc    check;
  gpointer            user_data;
  KlFieldFixFunc      fix_func;
  gpointer            fix_data;

  GtkWidget          *caption_row;
  GtkLabel           *caption_label;
  GtkWidget          *fix_button;

  char               *message;
  char               *fix;
  guint               debounce_id;
  gboolean            valid;
};

G_DEFINE_FINAL_TYPE (KlField, kl_field, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Runs the check; returns validity and, when invalid, the message and a possible fix. */
static gboolean
run_check (KlField  *self,
           char    **message,
           char    **fix)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->row));
  g_autoptr(GError) error = NULL;

  *message = NULL;
  *fix = NULL;

  if (text[0] == '\0')
    return FALSE;

  if (self->check (text, self->user_data, fix, &error))
    {
      g_clear_pointer (fix, g_free);
      return TRUE;
    }

  *message = g_strdup (error != NULL ? error->message : _("This value is not valid. Check it and try again."));
  return FALSE;
}

static void
set_valid (KlField  *self,
           gboolean  valid)
{
  if (self->valid == valid)
    return;

  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
show_message (KlField    *self,
              const char *message,
              const char *fix)
{
  GtkWidget *row = GTK_WIDGET (self->row);

  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  g_free (self->fix);
  self->fix = g_strdup (fix);

  gtk_widget_set_visible (self->fix_button, fix != NULL);

  if (message != NULL)
    {
      gtk_label_set_label (self->caption_label, message);
      gtk_widget_set_visible (self->caption_row, TRUE);
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_set_visible (self->caption_row, FALSE);
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static gboolean
debounce_cb (gpointer user_data)
{
  KlField *self = user_data;

  self->debounce_id = 0;
  kl_field_validate (self);

  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (KlField *self)
{
  g_autofree char *message = NULL;
  g_autofree char *fix = NULL;
  gboolean valid;

  g_clear_handle_id (&self->debounce_id, g_source_remove);

  valid = run_check (self, &message, &fix);
  set_valid (self, valid);

  if (message == NULL)
    /* Valid, or emptied: nothing to complain about, and no need to wait to say so. */
    show_message (self, NULL, NULL);
  else
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
focus_leave_cb (KlField *self)
{
  if (gtk_editable_get_editable (GTK_EDITABLE (self->row)))
    kl_field_validate (self);
}

static void
fix_clicked_cb (KlField *self)
{
  g_autofree char *fix = g_steal_pointer (&self->fix);

  g_return_if_fail (fix != NULL);

  if (self->fix_func != NULL)
    self->fix_func (self, fix, self->fix_data);
  else
    kl_field_set_text (self, fix);
  gtk_widget_grab_focus (GTK_WIDGET (self->row));
}

static void
kl_field_dispose (GObject *object)
{
  KlField *self = KL_FIELD (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);

  if (self->row != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->row, self);
      gtk_widget_remove_controller (GTK_WIDGET (self->row), self->focus);
      self->focus = NULL;
    }
  if (self->fix_button != NULL)
    g_signal_handlers_disconnect_by_data (self->fix_button, self);

  g_clear_object (&self->caption_row);
  g_clear_object (&self->row);

  G_OBJECT_CLASS (kl_field_parent_class)->dispose (object);
}

static void
kl_field_finalize (GObject *object)
{
  KlField *self = KL_FIELD (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->fix, g_free);

  G_OBJECT_CLASS (kl_field_parent_class)->finalize (object);
}

static void
kl_field_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KlField *self = KL_FIELD (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_field_class_init (KlFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_field_dispose;
  object_class->finalize = kl_field_finalize;
  object_class->get_property = kl_field_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_field_init (KlField *self)
{
}

static void
create_caption_row (KlField     *self,
                    GtkListBox  *list)
{
  GtkWidget *box, *message_box, *icon;

  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", "dialog-error-symbolic",
                       "valign", GTK_ALIGN_START,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       "css-classes", (const char *[]) { "error", NULL },
                       NULL);
  self->caption_label = g_object_new (GTK_TYPE_LABEL,
                                      "wrap", TRUE,
                                      "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                      "xalign", 0.0f,
                                      "hexpand", TRUE,
                                      "css-classes", (const char *[]) { "error", "kl-field-message", NULL },
                                      NULL);
  self->fix_button = g_object_new (GTK_TYPE_BUTTON,
                                   "label", _("_Fix"),
                                   "use-underline", TRUE,
                                   "valign", GTK_ALIGN_CENTER,
                                   "visible", FALSE,
                                   "tooltip-text", _("Apply the suggested correction"),
                                   NULL);
  g_signal_connect_swapped (self->fix_button, "clicked", G_CALLBACK (fix_clicked_cb), self);

  /* Icon and text stay together, centred against the button when there is one. */
  message_box = g_object_new (GTK_TYPE_BOX,
                              "spacing", 8,
                              "hexpand", TRUE,
                              "valign", GTK_ALIGN_CENTER,
                              NULL);
  gtk_box_append (GTK_BOX (message_box), icon);
  gtk_box_append (GTK_BOX (message_box), GTK_WIDGET (self->caption_label));

  box = g_object_new (GTK_TYPE_BOX,
                      "spacing", 12,
                      "css-classes", (const char *[]) { "kl-field-caption", NULL },
                      NULL);
  gtk_box_append (GTK_BOX (box), message_box);
  gtk_box_append (GTK_BOX (box), self->fix_button);

  self->caption_row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                                    "activatable", FALSE,
                                    "selectable", FALSE,
                                    "focusable", FALSE,
                                    "visible", FALSE,
                                    "child", box,
                                    NULL);
  g_object_ref_sink (self->caption_row);
  gtk_list_box_insert (list, self->caption_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->row)) + 1);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->caption_label, NULL,
                                  -1);
}

/**
 * kl_field_new:
 * @row: an entry row already in a boxed list (an AdwPreferencesGroup)
 * @check: validates the text
 *
 * Returns: (transfer full): a field that validates @row as the user types
 */
KlField *
kl_field_new (AdwEntryRow      *row,
              KlFieldCheckFunc  check,
              gpointer          user_data)
{
  GtkWidget *list;
  KlField *self;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);
  g_return_val_if_fail (check != NULL, NULL);

  list = gtk_widget_get_parent (GTK_WIDGET (row));
  g_return_val_if_fail (GTK_IS_LIST_BOX (list), NULL);

  self = g_object_new (KL_TYPE_FIELD, NULL);
  self->row = g_object_ref (row);
  self->check = check;
  self->user_data = user_data;

  create_caption_row (self, GTK_LIST_BOX (list));

  g_signal_connect_swapped (row, "notify::text", G_CALLBACK (text_changed_cb), self);

  self->focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (self->focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (row), self->focus);

  return self;
}

AdwEntryRow *
kl_field_get_row (KlField *self)
{
  g_return_val_if_fail (KL_IS_FIELD (self), NULL);

  return self->row;
}

const char *
kl_field_get_text (KlField *self)
{
  g_return_val_if_fail (KL_IS_FIELD (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->row));
}

/**
 * kl_field_set_text:
 *
 * Sets the text as if typed, and shows the verdict at once (values filled in for the user).
 */
void
kl_field_set_text (KlField    *self,
                   const char *text)
{
  g_return_if_fail (KL_IS_FIELD (self));

  gtk_editable_set_text (GTK_EDITABLE (self->row), text != NULL ? text : "");
  kl_field_validate (self);
}

gboolean
kl_field_get_valid (KlField *self)
{
  g_return_val_if_fail (KL_IS_FIELD (self), FALSE);

  return self->valid;
}

/**
 * kl_field_get_message:
 *
 * Returns: (nullable): the message shown under the field
 */
const char *
kl_field_get_message (KlField *self)
{
  g_return_val_if_fail (KL_IS_FIELD (self), NULL);

  return self->message;
}

/**
 * kl_field_set_message:
 *
 * Shows @message under the field (a server's verdict on it), or clears it.
 * It stays until the text changes.
 */
void
kl_field_set_message (KlField    *self,
                      const char *message)
{
  g_return_if_fail (KL_IS_FIELD (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  show_message (self, message, NULL);
}

/**
 * kl_field_validate:
 *
 * Checks the text now and shows the verdict (focus-out, or a value it depends on changed).
 */
void
kl_field_validate (KlField *self)
{
  g_autofree char *message = NULL;
  g_autofree char *fix = NULL;

  g_return_if_fail (KL_IS_FIELD (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);

  set_valid (self, run_check (self, &message, &fix));
  show_message (self, message, fix);
}

void
kl_field_set_editable (KlField  *self,
                       gboolean  editable)
{
  g_return_if_fail (KL_IS_FIELD (self));

  gtk_editable_set_editable (GTK_EDITABLE (self->row), editable);
}

/**
 * kl_field_set_fix_func:
 * @func: (nullable): what the Fix button does with the check's repair, or %NULL for the
 *   default (the repair replaces the field's text)
 */
void
kl_field_set_fix_func (KlField        *self,
                       KlFieldFixFunc  func,
                       gpointer        user_data)
{
  g_return_if_fail (KL_IS_FIELD (self));

  self->fix_func = func;
  self->fix_data = user_data;
}

/**
 * kl_field_recheck:
 *
 * Checks the text again because a value it depends on changed, as if it had just been
 * typed: a new message waits for the debounce, a cleared one goes at once.
 */
void
kl_field_recheck (KlField *self)
{
  g_return_if_fail (KL_IS_FIELD (self));

  text_changed_cb (self);
}
