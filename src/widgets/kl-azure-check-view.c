/* kl-azure-check-view.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-check-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-azure-check-view.h"
#include "kl-azure-finding-row.h"

struct _KlAzureCheckView
{
  AdwBin        parent_instance;

  GCancellable *cancellable;   /* the run in flight */
  GCancellable *outer;         /* the caller's, which cancels it too */
  gulong        outer_id;
  GListModel   *findings;
  char         *summary;

  /* Template widgets */
  GtkWidget    *progress_box;
  GtkSpinner   *spinner;
  GtkButton    *cancel_button;
  GtkLabel     *summary_label;
  GtkListBox   *findings_list;
};

G_DEFINE_FINAL_TYPE (KlAzureCheckView, kl_azure_check_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return kl_azure_finding_row_new (KL_AZURE_FINDING (item));
}

static void
set_summary (KlAzureCheckView *self,
             char             *summary)
{
  g_free (self->summary);
  self->summary = summary;
  gtk_label_set_label (self->summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL);
}

static void
set_findings (KlAzureCheckView *self,
              GListModel       *findings)
{
  g_set_object (&self->findings, findings);
  gtk_list_box_bind_model (self->findings_list, findings, create_row, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->findings_list),
                          findings != NULL && g_list_model_get_n_items (findings) > 0);
}

static void
disconnect_outer (KlAzureCheckView *self)
{
  if (self->outer != NULL && self->outer_id != 0)
    g_cancellable_disconnect (self->outer, self->outer_id);
  self->outer_id = 0;
  g_clear_object (&self->outer);
}

static void
set_running (KlAzureCheckView *self,
             gboolean          running)
{
  gtk_widget_set_visible (self->progress_box, running);
  gtk_spinner_set_spinning (self->spinner, running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

guint
kl_azure_check_view_count (KlAzureCheckView *self,
                           KlAzureVerdict    verdict)
{
  guint n = 0;

  g_return_val_if_fail (KL_IS_AZURE_CHECK_VIEW (self), 0);

  if (self->findings == NULL)
    return 0;

  for (guint i = 0; i < g_list_model_get_n_items (self->findings); i++)
    {
      g_autoptr(KlAzureFinding) finding = g_list_model_get_item (self->findings, i);

      if (kl_azure_finding_get_verdict (finding) == verdict)
        n++;
    }

  return n;
}

static char *
dup_summary (KlAzureCheckView *self)
{
  guint n_fail = kl_azure_check_view_count (self, KL_AZURE_VERDICT_FAIL);
  guint n_warn = kl_azure_check_view_count (self, KL_AZURE_VERDICT_WARN);
  guint n_unknown = kl_azure_check_view_count (self, KL_AZURE_VERDICT_UNKNOWN);

  if (n_fail > 0)
    /* Translators: %u is how many findings of the Azure check failed */
    return g_strdup_printf (ngettext ("Atlas would fail on %u thing in Azure. Fix it as said "
                                      "below, then check again.",
                                      "Atlas would fail on %u things in Azure. Fix them as said "
                                      "below, then check again.",
                                      n_fail),
                            n_fail);
  if (n_warn > 0)
    return g_strdup (_("Atlas can use the key, but look at the warnings below."));
  if (n_unknown > 0)
    return g_strdup (_("Nothing to fix in what Keylink can see. What it cannot see from this "
                       "computer, Atlas checks itself when the key is enabled."));
  return g_strdup (_("Everything Atlas needs is in place in Azure."));
}

typedef struct
{
  KlAzureCheckView *view;
  GCancellable     *cancellable;
} Run;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;
  KlAzureCheckView *self = run->view;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean current = run->cancellable == self->cancellable;

  findings = kl_azure_check_run_finish (KL_AZURE_CHECK (source), result, &error);
  g_object_unref (run->cancellable);
  g_free (run);

  /* Replaced by a newer run, or cleared: that one speaks. */
  if (!current)
    {
      g_object_unref (self);
      return;
    }

  g_clear_object (&self->cancellable);
  disconnect_outer (self);

  if (findings != NULL)
    {
      set_findings (self, findings);
      set_summary (self, dup_summary (self));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_summary (self, g_strdup (_("The check was cancelled. Nothing was changed in Azure.")));
    }
  else
    {
      set_summary (self, g_strdup (error->message));
    }

  set_running (self, FALSE);
  g_signal_emit (self, signals[FINISHED], 0);
  g_object_unref (self);
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
}

void
kl_azure_check_view_run (KlAzureCheckView *self,
                         KlAzureCheck     *check,
                         GCancellable     *cancellable)
{
  Run *run;

  g_return_if_fail (KL_IS_AZURE_CHECK_VIEW (self));
  g_return_if_fail (KL_IS_AZURE_CHECK (check));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  kl_azure_check_view_clear (self);

  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->outer = g_object_ref (cancellable);
      /* Called at once when it is cancelled already. */
      self->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                              g_object_ref (self->cancellable), g_object_unref);
    }

  run = g_new0 (Run, 1);
  run->view = g_object_ref (self);
  run->cancellable = g_object_ref (self->cancellable);
  set_running (self, TRUE);
  kl_azure_check_run_async (check, self->cancellable, run_cb, run);
}

void
kl_azure_check_view_cancel (KlAzureCheckView *self)
{
  g_return_if_fail (KL_IS_AZURE_CHECK_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
kl_azure_check_view_clear (KlAzureCheckView *self)
{
  gboolean was_running;

  g_return_if_fail (KL_IS_AZURE_CHECK_VIEW (self));

  was_running = self->cancellable != NULL;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  disconnect_outer (self);

  set_findings (self, NULL);
  set_summary (self, NULL);
  if (was_running)
    set_running (self, FALSE);
}

void
kl_azure_check_view_show_error (KlAzureCheckView *self,
                                const char       *message)
{
  g_return_if_fail (KL_IS_AZURE_CHECK_VIEW (self));

  kl_azure_check_view_clear (self);
  set_summary (self, g_strdup (message));
}

static void
cancel_clicked_cb (KlAzureCheckView *self)
{
  kl_azure_check_view_cancel (self);
}

static void
kl_azure_check_view_dispose (GObject *object)
{
  KlAzureCheckView *self = KL_AZURE_CHECK_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  disconnect_outer (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_AZURE_CHECK_VIEW);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (kl_azure_check_view_parent_class)->dispose (object);
}

static void
kl_azure_check_view_finalize (GObject *object)
{
  KlAzureCheckView *self = KL_AZURE_CHECK_VIEW (object);

  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (kl_azure_check_view_parent_class)->finalize (object);
}

static void
kl_azure_check_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KlAzureCheckView *self = KL_AZURE_CHECK_VIEW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, kl_azure_check_view_get_running (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_azure_check_view_class_init (KlAzureCheckViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_azure_check_view_dispose;
  object_class->finalize = kl_azure_check_view_finalize;
  object_class->get_property = kl_azure_check_view_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlAzureCheckView::finished:
   * A run is over: findings, an error or a cancellation are shown.
   */
  signals[FINISHED] = g_signal_new ("finished",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/widgets/kl-azure-check-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KlAzureCheckView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, KlAzureCheckView, spinner);
  gtk_widget_class_bind_template_child (widget_class, KlAzureCheckView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KlAzureCheckView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KlAzureCheckView, findings_list);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
kl_azure_check_view_init (KlAzureCheckView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  kl_a11y_name_button_by_text (self->cancel_button);
}

GtkWidget *
kl_azure_check_view_new (void)
{
  return g_object_new (KL_TYPE_AZURE_CHECK_VIEW, NULL);
}

gboolean
kl_azure_check_view_get_running (KlAzureCheckView *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CHECK_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * kl_azure_check_view_get_findings:
 *
 * Returns: (transfer none) (nullable): the last run's findings
 */
GListModel *
kl_azure_check_view_get_findings (KlAzureCheckView *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CHECK_VIEW (self), NULL);

  return self->findings;
}

const char *
kl_azure_check_view_get_summary (KlAzureCheckView *self)
{
  g_return_val_if_fail (KL_IS_AZURE_CHECK_VIEW (self), NULL);

  return self->summary;
}
