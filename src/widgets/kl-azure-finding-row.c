/* kl-azure-finding-row.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-finding-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-azure-finding-row.h"
#include "kl-server-text.h"
#include "kl-server-text-view.h"

struct _KlAzureFindingRow
{
  GtkListBoxRow   parent_instance;

  KlAzureFinding *finding;
  char           *title_text;
  char           *action_text;

  /* Template widgets */
  GtkImage       *verdict_icon;
  GtkLabel       *title_label;
  GtkLabel       *verdict_label;
  GtkLabel       *detail_label;
  GtkLabel       *action_label;
};

G_DEFINE_FINAL_TYPE (KlAzureFindingRow, kl_azure_finding_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_FINDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
kl_azure_verdict_get_text (KlAzureVerdict verdict)
{
  switch (verdict)
    {
    case KL_AZURE_VERDICT_PASS:
      /* Translators: the verdict of one finding of the Azure check */
      return _("Passed");
    case KL_AZURE_VERDICT_WARN:
      /* Translators: the verdict of one finding of the Azure check */
      return _("Warning");
    case KL_AZURE_VERDICT_FAIL:
      /* Translators: the verdict of one finding of the Azure check */
      return _("Failed");
    case KL_AZURE_VERDICT_UNKNOWN:
    default:
      /* Translators: the verdict of a finding of the Azure check that Keylink could not
       * read (a vault that takes only private traffic): not a failure */
      return _("Keylink cannot see this from here");
    }
}

const char *
kl_azure_verdict_get_icon_name (KlAzureVerdict verdict)
{
  switch (verdict)
    {
    case KL_AZURE_VERDICT_PASS:
      return "emblem-ok-symbolic";
    case KL_AZURE_VERDICT_WARN:
      return "dialog-warning-symbolic";
    case KL_AZURE_VERDICT_FAIL:
      return "dialog-error-symbolic";
    case KL_AZURE_VERDICT_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
verdict_class (KlAzureVerdict verdict)
{
  switch (verdict)
    {
    case KL_AZURE_VERDICT_PASS:
      return "success";
    case KL_AZURE_VERDICT_WARN:
      return "warning";
    case KL_AZURE_VERDICT_FAIL:
      return "error";
    case KL_AZURE_VERDICT_UNKNOWN:
    default:
      return "dim-label";
    }
}

static void
update (KlAzureFindingRow *self)
{
  KlAzureVerdict verdict = kl_azure_finding_get_verdict (self->finding);
  const char *verdict_text = kl_azure_verdict_get_text (verdict);
  const char *detail = kl_azure_finding_get_detail (self->finding);
  const char *action = kl_azure_finding_get_action (self->finding);
  g_autofree char *label = NULL;

  /* Titles, details and actions quote what Azure answered (names, locations, messages). */
  g_free (self->title_text);
  self->title_text = kl_server_text_dup_plain (kl_azure_finding_get_title (self->finding),
                                               KL_SERVER_TEXT_SHORT_CHARS);
  if (self->title_text == NULL)
    self->title_text = g_strdup ("");

  gtk_image_set_from_icon_name (self->verdict_icon, kl_azure_verdict_get_icon_name (verdict));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), verdict_class (verdict));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, verdict_text, -1);

  gtk_label_set_label (self->title_label, self->title_text);

  /* What cannot be seen is said in words, not only by a neutral icon. */
  gtk_label_set_label (self->verdict_label, verdict_text);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_label), verdict == KL_AZURE_VERDICT_UNKNOWN);

  kl_server_text_view_set_label (self->detail_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL && detail[0] != '\0');

  g_clear_pointer (&self->action_text, g_free);
  if (action != NULL && action[0] != '\0' && verdict != KL_AZURE_VERDICT_PASS)
    {
      g_autofree char *shown = kl_server_text_dup_short (action, KL_SERVER_TEXT_SHORT_CHARS);

      if (verdict == KL_AZURE_VERDICT_UNKNOWN)
        self->action_text = g_strdup (shown);
      else
        /* Translators: %s says what to do about a finding of the Azure check */
        self->action_text = g_strdup_printf (_("What to do: %s"), shown);
    }
  gtk_label_set_label (self->action_label, self->action_text != NULL ? self->action_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_label), self->action_text != NULL);

  /* Translators: how a screen reader names a finding: its verdict, then what was found */
  label = g_strdup_printf (_("%s: %s"), verdict_text, self->title_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
kl_azure_finding_row_constructed (GObject *object)
{
  KlAzureFindingRow *self = KL_AZURE_FINDING_ROW (object);

  G_OBJECT_CLASS (kl_azure_finding_row_parent_class)->constructed (object);

  g_assert (self->finding != NULL);
  update (self);
}

static void
kl_azure_finding_row_dispose (GObject *object)
{
  KlAzureFindingRow *self = KL_AZURE_FINDING_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_AZURE_FINDING_ROW);
  g_clear_object (&self->finding);

  G_OBJECT_CLASS (kl_azure_finding_row_parent_class)->dispose (object);
}

static void
kl_azure_finding_row_finalize (GObject *object)
{
  KlAzureFindingRow *self = KL_AZURE_FINDING_ROW (object);

  g_clear_pointer (&self->title_text, g_free);
  g_clear_pointer (&self->action_text, g_free);

  G_OBJECT_CLASS (kl_azure_finding_row_parent_class)->finalize (object);
}

static void
kl_azure_finding_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KlAzureFindingRow *self = KL_AZURE_FINDING_ROW (object);

  switch (prop_id)
    {
    case PROP_FINDING:
      g_value_set_object (value, self->finding);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_azure_finding_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KlAzureFindingRow *self = KL_AZURE_FINDING_ROW (object);

  switch (prop_id)
    {
    case PROP_FINDING:
      self->finding = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_azure_finding_row_class_init (KlAzureFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kl_azure_finding_row_constructed;
  object_class->dispose = kl_azure_finding_row_dispose;
  object_class->finalize = kl_azure_finding_row_finalize;
  object_class->get_property = kl_azure_finding_row_get_property;
  object_class->set_property = kl_azure_finding_row_set_property;

  properties[PROP_FINDING] =
    g_param_spec_object ("finding", NULL, NULL,
                         KL_TYPE_AZURE_FINDING,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/widgets/kl-azure-finding-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlAzureFindingRow, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, KlAzureFindingRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KlAzureFindingRow, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, KlAzureFindingRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KlAzureFindingRow, action_label);
}

static void
kl_azure_finding_row_init (KlAzureFindingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kl_azure_finding_row_new (KlAzureFinding *finding)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (finding), NULL);

  return g_object_new (KL_TYPE_AZURE_FINDING_ROW, "finding", finding, NULL);
}

/**
 * kl_azure_finding_row_get_finding:
 *
 * Returns: (transfer none): the finding the row shows
 */
KlAzureFinding *
kl_azure_finding_row_get_finding (KlAzureFindingRow *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING_ROW (self), NULL);

  return self->finding;
}

const char *
kl_azure_finding_row_get_verdict_text (KlAzureFindingRow *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING_ROW (self), NULL);

  return kl_azure_verdict_get_text (kl_azure_finding_get_verdict (self->finding));
}

const char *
kl_azure_finding_row_get_title_text (KlAzureFindingRow *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING_ROW (self), NULL);

  return self->title_text;
}

const char *
kl_azure_finding_row_get_detail_text (KlAzureFindingRow *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->detail_label))
         ? gtk_label_get_text (self->detail_label) : NULL;
}

const char *
kl_azure_finding_row_get_action_text (KlAzureFindingRow *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING_ROW (self), NULL);

  return self->action_text;
}
