/* kl-cluster-row.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-cluster-row"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cluster-row.h"
#include "kl-regions.h"
#include "kl-watch.h"
#include "pages/kl-page-util.h"

/* From this long in one state on, an update in progress says that it can take a while. */
#define LONG_UPDATE_SECONDS (10 * 60)

struct _KlClusterRow
{
  GtkListBoxRow  parent_instance;

  KlCluster     *cluster;
  KlStep        *step;
  char          *reason;      /* why the key cannot be turned on, or NULL */
  gboolean       locked;
  KlKeyAccess    access;
  gboolean       access_known;
  gboolean       unfollowed;  /* its update goes on in Atlas, no longer followed */
  gint64         state_since; /* g_get_monotonic_time(), or KL_WATCH_TIME_UNKNOWN */
  char          *time_text;   /* "for 3 min" while shown, else NULL */

  /* Template widgets */
  GtkCheckButton *check_button;
  GtkLabel       *name_label;
  GtkLabel       *details_label;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
  GtkLabel       *note_label;
  GtkLabel       *reason_label;
  GtkWidget      *access_box;
  GtkImage       *access_icon;
  GtkLabel       *access_label;
  GtkWidget      *error_box;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (KlClusterRow, kl_cluster_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CLUSTER,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
provider_display_name (const char *provider)
{
  if (g_strcmp0 (provider, "AZURE") == 0)
    return _("Azure");
  if (g_strcmp0 (provider, "AWS") == 0)
    return _("AWS");
  if (g_strcmp0 (provider, "GCP") == 0)
    return _("Google Cloud");
  return provider;
}

static void
add_unique (GPtrArray  *array,
            const char *text)
{
  if (text == NULL)
    return;

  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      return;

  g_ptr_array_add (array, (gpointer) text);
}

/**
 * kl_cluster_row_dup_details:
 *
 * Returns: (transfer full): tier, provider(s) and regions in one line
 */
char *
kl_cluster_row_dup_details (KlCluster *cluster)
{
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();
  g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const KlRegionConfig *configs;
  const char *tier;
  guint n_configs = 0;

  g_return_val_if_fail (KL_IS_CLUSTER (cluster), NULL);

  configs = kl_cluster_get_region_configs (cluster, &n_configs);
  for (guint i = 0; i < n_configs; i++)
    {
      /* Shared tiers run on a cloud underneath: that is the provider people know. */
      const char *provider = configs[i].backing_provider_name != NULL
                             ? configs[i].backing_provider_name : configs[i].provider_name;

      g_autofree char *region = NULL;

      add_unique (providers, provider_display_name (provider));
      /* An Azure region as the Endpoints page names it, “West Europe (EUROPE_WEST)”; other
       * clouds' by Atlas's name (US_EAST_2 is also an AWS region, Ohio). */
      if (configs[i].region_name != NULL)
        region = g_strcmp0 (provider, "AZURE") == 0
                 ? kl_regions_dup_title (configs[i].region_name)
                 : g_strdup (configs[i].region_name);
      if (region != NULL && !g_ptr_array_find_with_equal_func (regions, region, g_str_equal, NULL))
        g_ptr_array_add (regions, g_steal_pointer (&region));
    }

  if (kl_cluster_is_serverless (cluster))
    tier = _("Serverless");
  else if (kl_cluster_is_flex (cluster))
    tier = _("Flex");
  else
    tier = kl_cluster_get_instance_size (cluster);

  if (tier != NULL)
    g_ptr_array_add (parts, g_strdup (tier));

  if (providers->len > 0)
    {
      g_ptr_array_add (providers, NULL);
      /* Translators: joins the cloud providers of a multi-cloud cluster, e.g. “Azure + AWS” */
      g_ptr_array_add (parts, g_strjoinv (C_("providers", " + "), (char **) providers->pdata));
    }

  if (regions->len > 0)
    {
      g_ptr_array_add (regions, NULL);
      g_ptr_array_add (parts, g_strjoinv (", ", (char **) regions->pdata));
    }

  if (parts->len == 0)
    return g_strdup (_("No tier or region given by Atlas"));

  g_ptr_array_add (parts, NULL);
  /* Translators: separates tier, provider and regions, e.g. “M10 · Azure · East US 2 (US_EAST_2)” */
  return g_strjoinv (C_("cluster details", " · "), (char **) parts->pdata);
}

/**
 * kl_cluster_row_cmk_label:
 *
 * Returns: which key encrypts the cluster's data, in words
 */
const char *
kl_cluster_row_cmk_label (KlCluster *cluster)
{
  const char *provider;

  g_return_val_if_fail (KL_IS_CLUSTER (cluster), NULL);

  provider = kl_cluster_get_encryption_at_rest_provider (cluster);

  if (g_strcmp0 (provider, "AZURE") == 0)
    return _("Uses your key");
  if (g_strcmp0 (provider, "AWS") == 0)
    return _("Uses a key in AWS KMS");
  if (g_strcmp0 (provider, "GCP") == 0)
    return _("Uses a key in Google Cloud KMS");
  return _("Atlas-managed");
}

/**
 * kl_cluster_row_access_label:
 *
 * Returns: which key encrypts the cluster's data and, for your key, over which path
 */
const char *
kl_cluster_row_access_label (KlCluster   *cluster,
                             KlKeyAccess  access)
{
  g_return_val_if_fail (KL_IS_CLUSTER (cluster), NULL);

  if (g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") != 0)
    return kl_cluster_row_cmk_label (cluster);

  switch (access)
    {
    case KL_KEY_ACCESS_PRIVATE_LINK:
      return _("Uses your key over Private Link");
    case KL_KEY_ACCESS_PRIVATE_LINK_WAITING:
      return _("Uses your key; Private Link needs an active endpoint in each of its regions");
    case KL_KEY_ACCESS_PUBLIC_INTERNET:
      return _("Uses your key over the public internet");
    case KL_KEY_ACCESS_PAUSED:
    case KL_KEY_ACCESS_INELIGIBLE:
    default:
      return _("Uses your key");
    }
}

/**
 * kl_cluster_row_dup_state_label:
 *
 * Returns: (transfer full): the cluster's state (stateName), in words
 */
char *
kl_cluster_row_dup_state_label (KlCluster *cluster)
{
  const char *state;

  g_return_val_if_fail (KL_IS_CLUSTER (cluster), NULL);

  if (kl_cluster_get_paused (cluster))
    return g_strdup (_("Paused"));

  state = kl_cluster_get_state_name (cluster);
  if (state == NULL)
    return g_strdup (_("State unknown"));
  if (g_str_equal (state, "IDLE"))
    return g_strdup (_("Idle"));
  if (g_str_equal (state, "UPDATING"))
    return g_strdup (_("Updating…"));
  if (g_str_equal (state, "CREATING"))
    return g_strdup (_("Creating…"));
  if (g_str_equal (state, "DELETING"))
    return g_strdup (_("Deleting…"));
  if (g_str_equal (state, "REPAIRING"))
    return g_strdup (_("Repairing…"));

  /* A state this version does not know: Atlas's own word for it. */
  return g_strdup (state);
}

static gboolean
is_on_key (KlCluster *cluster)
{
  return g_strcmp0 (kl_cluster_get_encryption_at_rest_provider (cluster), "AZURE") == 0;
}

static void
update_check (KlClusterRow *self)
{
  gboolean on_key = self->cluster != NULL && is_on_key (self->cluster);
  gboolean choosable = self->cluster != NULL && self->reason == NULL && !on_key && !self->locked;

  /* Already on the key: shown ticked, as done; ineligible: empty and off. */
  if (on_key)
    gtk_check_button_set_active (self->check_button, TRUE);
  else if (self->reason != NULL)
    gtk_check_button_set_active (self->check_button, FALSE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), choosable);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), choosable);

  if (on_key)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button), _("This cluster uses your key"));
  else if (self->reason != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button),
                                 _("This cluster cannot use your key"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button), NULL);
}

/* How the cluster would reach the key, for a cluster that can use it. A cluster outside
 * Azure reaches the vault over the public internet only: said on its row, and said louder
 * once it is chosen, before anything is sent. */
static void
update_access (KlClusterRow *self)
{
  gboolean chosen = self->cluster != NULL && !is_on_key (self->cluster) &&
                    gtk_check_button_get_active (self->check_button);
  const char *text = NULL;
  const char *icon = NULL;
  const char *icon_name = NULL;   /* what the icon says, for assistive technologies */
  gboolean warn = FALSE;

  if (self->cluster != NULL && self->access_known && self->reason == NULL)
    {
      switch (self->access)
        {
        case KL_KEY_ACCESS_PRIVATE_LINK:
          text = _("Reaches your key over Private Link.");
          icon = "network-wired-symbolic";
          icon_name = _("Private Link");
          break;
        case KL_KEY_ACCESS_PRIVATE_LINK_WAITING:
          text = _("Will reach your key over Private Link once each of its regions has an "
                   "active private endpoint.");
          icon = "network-wired-symbolic";
          icon_name = _("Private Link");
          break;
        case KL_KEY_ACCESS_PUBLIC_INTERNET:
          if (chosen)
            {
              text = _("This cluster will reach your key over the public internet: Atlas has no "
                       "Private Link to Azure Key Vault for clusters outside Azure. Keep public "
                       "access to the vault on while it uses the key, or Atlas loses the key and "
                       "pauses the cluster.");
              icon = "dialog-warning-symbolic";
              icon_name = _("Warning");
              warn = TRUE;
            }
          else
            {
              text = _("Would reach your key over the public internet only, not over Private "
                       "Link: not chosen by default.");
              icon = "network-wireless-symbolic";
              icon_name = _("Public internet");
            }
          break;
        case KL_KEY_ACCESS_PAUSED:
        case KL_KEY_ACCESS_INELIGIBLE:
        default:
          break;
        }
    }

  gtk_label_set_label (self->access_label, text);
  if (icon != NULL)
    {
      gtk_image_set_from_icon_name (self->access_icon, icon);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->access_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, icon_name,
                                      -1);
    }
  if (warn)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->access_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->access_icon), "warning");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->access_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->access_icon), "warning");
    }
  gtk_widget_set_visible (self->access_box, text != NULL);
}

static gint64
seconds_in_state (KlClusterRow *self)
{
  if (self->state_since == KL_WATCH_TIME_UNKNOWN)
    return -1;

  return MAX (0, (g_get_monotonic_time () - self->state_since) / G_USEC_PER_SEC);
}

/* @status, then how long the cluster has been in its state when that is known. */
static char *
with_time (KlClusterRow *self,
           const char   *status)
{
  gint64 seconds = seconds_in_state (self);

  g_clear_pointer (&self->time_text, g_free);
  if (seconds < 0)
    return g_strdup (status);

  self->time_text = kl_page_util_format_duration (seconds);
  /* Translators: a cluster's update, then how long it has been so: “Updating… · for 3 min” */
  return g_strdup_printf (C_("cluster update time", "%s · %s"), status, self->time_text);
}

static void
update_status (KlClusterRow *self)
{
  KlStepState state = self->step != NULL ? kl_step_get_state (self->step) : KL_STEP_STATE_PENDING;
  const GError *error = self->step != NULL ? kl_step_get_error (self->step) : NULL;
  g_autofree char *cluster_state = NULL;
  g_autofree char *status = NULL;
  const char *note = NULL;
  gboolean busy = FALSE;

  if (self->cluster == NULL)
    return;

  cluster_state = kl_cluster_row_dup_state_label (self->cluster);
  g_clear_pointer (&self->time_text, g_free);

  switch (state)
    {
    case KL_STEP_STATE_RUNNING:
      busy = TRUE;
      status = with_time (self, _("Updating…"));
      break;

    case KL_STEP_STATE_WAITING:
      busy = TRUE;
      status = with_time (self, _("Waiting for an update in progress to finish…"));
      break;

    case KL_STEP_STATE_PENDING:
    case KL_STEP_STATE_DONE:
    case KL_STEP_STATE_SKIPPED:
    case KL_STEP_STATE_FAILED:
    default:
      if (self->unfollowed)
        {
          status = with_time (self, _("Updating in Atlas, no longer followed"));
          note = _("The update goes on in Atlas without Keylink. Follow it again to see it "
                   "end, or close Keylink and come back later: it reads where the cluster "
                   "stands from Atlas.");
          break;
        }
      /* Translators: a cluster's state and which key it uses, e.g. “Idle · Uses your key” */
      status = g_strdup_printf (C_("cluster status", "%s · %s"), cluster_state,
                                self->access_known
                                ? kl_cluster_row_access_label (self->cluster, self->access)
                                : kl_cluster_row_cmk_label (self->cluster));
      break;
    }

  if (busy && seconds_in_state (self) >= LONG_UPDATE_SECONDS)
    note = _("This can take a while — you can close Keylink and come back: Atlas goes on with "
             "the update, and Keylink reads where it stands when it starts.");

  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->note_label, note);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
  kl_page_util_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);

  if (state == KL_STEP_STATE_FAILED && error != NULL)
    gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (self->error_box, state == KL_STEP_STATE_FAILED && error != NULL);
}

static void
update_cluster (KlClusterRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  g_autofree char *check_label = NULL;
  const char *name;

  g_clear_pointer (&self->reason, g_free);
  if (self->cluster == NULL)
    return;

  name = kl_cluster_get_name (self->cluster);
  if (!kl_cluster_check_cmk_eligible (self->cluster, &error))
    self->reason = g_strdup (error->message);

  details = kl_cluster_row_dup_details (self->cluster);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->details_label, details);
  gtk_label_set_label (self->reason_label, self->reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), self->reason != NULL);

  /* A cluster that cannot use the key looks disabled; its reason stays readable. */
  if (self->reason != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }

  /* Translators: the accessible name of a cluster's check button; %s is its name */
  check_label = g_strdup_printf (_("Use your key on “%s”"), name);
  /* The row is named by its cluster, for screen readers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);

  update_check (self);
  update_status (self);
  update_access (self);
}

static void
step_notify_cb (KlClusterRow *self,
                GParamSpec   *pspec,
                KlStep       *step)
{
  KlCluster *cluster = kl_step_get_object (step);

  /* The step holds the cluster as last seen by the watch. */
  if (KL_IS_CLUSTER (cluster) && cluster != self->cluster)
    kl_cluster_row_set_cluster (self, cluster);
  else
    update_status (self);
}

static void
check_toggled_cb (KlClusterRow *self)
{
  update_access (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
kl_cluster_row_dispose (GObject *object)
{
  KlClusterRow *self = KL_CLUSTER_ROW (object);

  kl_cluster_row_set_step (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CLUSTER_ROW);
  g_clear_object (&self->cluster);

  G_OBJECT_CLASS (kl_cluster_row_parent_class)->dispose (object);
}

static void
kl_cluster_row_finalize (GObject *object)
{
  KlClusterRow *self = KL_CLUSTER_ROW (object);

  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->time_text, g_free);

  G_OBJECT_CLASS (kl_cluster_row_parent_class)->finalize (object);
}

static void
kl_cluster_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KlClusterRow *self = KL_CLUSTER_ROW (object);

  switch (prop_id)
    {
    case PROP_CLUSTER:
      g_value_set_object (value, self->cluster);
      break;

    case PROP_SELECTED:
      g_value_set_boolean (value, kl_cluster_row_get_selected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_cluster_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KlClusterRow *self = KL_CLUSTER_ROW (object);

  switch (prop_id)
    {
    case PROP_CLUSTER:
      kl_cluster_row_set_cluster (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      kl_cluster_row_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_cluster_row_class_init (KlClusterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_cluster_row_dispose;
  object_class->finalize = kl_cluster_row_finalize;
  object_class->get_property = kl_cluster_row_get_property;
  object_class->set_property = kl_cluster_row_set_property;

  properties[PROP_CLUSTER] =
    g_param_spec_object ("cluster", NULL, NULL,
                         KL_TYPE_CLUSTER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlClusterRow:selected:
   * Whether the user chose to turn the key on for this cluster.
   */
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/widgets/kl-cluster-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, check_button);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, access_box);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, access_icon);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, access_label);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, KlClusterRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
}

static void
kl_cluster_row_init (KlClusterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->state_since = KL_WATCH_TIME_UNKNOWN;
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->check_button),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->details_label, self->status_label, self->note_label,
                                  self->reason_label,
                                  self->access_label, self->error_label, NULL,
                                  -1);
}

GtkWidget *
kl_cluster_row_new (KlCluster *cluster)
{
  g_return_val_if_fail (KL_IS_CLUSTER (cluster), NULL);

  return g_object_new (KL_TYPE_CLUSTER_ROW,
                       "cluster", cluster,
                       NULL);
}

/**
 * kl_cluster_row_get_cluster:
 *
 * Returns: (transfer none): the cluster as last seen
 */
KlCluster *
kl_cluster_row_get_cluster (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return self->cluster;
}

void
kl_cluster_row_set_cluster (KlClusterRow *self,
                            KlCluster    *cluster)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));
  g_return_if_fail (KL_IS_CLUSTER (cluster));

  if (!g_set_object (&self->cluster, cluster))
    return;

  update_cluster (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER]);
}

gboolean
kl_cluster_row_get_eligible (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), FALSE);

  return self->cluster != NULL && self->reason == NULL;
}

gboolean
kl_cluster_row_get_on_key (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), FALSE);

  return self->cluster != NULL && is_on_key (self->cluster);
}

gboolean
kl_cluster_row_get_selected (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), FALSE);

  return kl_cluster_row_get_eligible (self) &&
         !kl_cluster_row_get_on_key (self) &&
         gtk_check_button_get_active (self->check_button);
}

void
kl_cluster_row_set_selected (KlClusterRow *self,
                             gboolean      selected)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  if (!kl_cluster_row_get_eligible (self) || kl_cluster_row_get_on_key (self))
    return;

  /* "toggled" notifies. */
  gtk_check_button_set_active (self->check_button, selected);
}

void
kl_cluster_row_set_locked (KlClusterRow *self,
                           gboolean      locked)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  self->locked = !!locked;
  update_check (self);
}

void
kl_cluster_row_set_step (KlClusterRow *self,
                         KlStep       *step)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));
  g_return_if_fail (!step || KL_IS_STEP (step));

  if (self->step == step)
    return;

  if (self->step != NULL)
    g_signal_handlers_disconnect_by_data (self->step, self);
  g_set_object (&self->step, step);
  if (step != NULL)
    g_signal_connect_object (step, "notify", G_CALLBACK (step_notify_cb), self,
                             G_CONNECT_SWAPPED);

  if (step != NULL && KL_IS_CLUSTER (kl_step_get_object (step)))
    kl_cluster_row_set_cluster (self, kl_step_get_object (step));
  update_status (self);
}

/**
 * kl_cluster_row_get_step:
 *
 * Returns: (transfer none) (nullable): the step the row follows
 */
KlStep *
kl_cluster_row_get_step (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return self->step;
}

void
kl_cluster_row_set_access (KlClusterRow *self,
                           KlKeyAccess   access)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  if (self->access_known && self->access == access)
    return;

  self->access = access;
  self->access_known = TRUE;
  update_status (self);
  update_access (self);
}

KlKeyAccess
kl_cluster_row_get_access (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), KL_KEY_ACCESS_INELIGIBLE);

  return self->access;
}

const char *
kl_cluster_row_get_access_text (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->access_box))
    return NULL;
  return gtk_label_get_label (self->access_label);
}

const char *
kl_cluster_row_get_status_text (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return gtk_label_get_label (self->status_label);
}

/**
 * kl_cluster_row_get_reason:
 *
 * Returns: (nullable): why the key cannot be turned on for the cluster
 */
const char *
kl_cluster_row_get_reason (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return self->reason;
}

/**
 * kl_cluster_row_get_error:
 *
 * Returns: (nullable): the error shown on the row
 */
const char *
kl_cluster_row_get_error (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

/**
 * kl_cluster_row_set_unfollowed:
 *
 * Whether the cluster's update goes on in Atlas while Keylink no longer follows it (the
 * following was cancelled): the row says so instead of “Updating…”.
 */
void
kl_cluster_row_set_unfollowed (KlClusterRow *self,
                               gboolean      unfollowed)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  if (self->unfollowed == !!unfollowed)
    return;

  self->unfollowed = !!unfollowed;
  update_status (self);
}

gboolean
kl_cluster_row_get_unfollowed (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), FALSE);

  return self->unfollowed;
}

/**
 * kl_cluster_row_set_state_since:
 * @since_us: g_get_monotonic_time() when the cluster's state was first seen, or
 *   KL_WATCH_TIME_UNKNOWN
 */
void
kl_cluster_row_set_state_since (KlClusterRow *self,
                                gint64        since_us)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  if (self->state_since == since_us)
    return;

  self->state_since = since_us;
  update_status (self);
}

void
kl_cluster_row_update_time (KlClusterRow *self)
{
  g_return_if_fail (KL_IS_CLUSTER_ROW (self));

  update_status (self);
}

/**
 * kl_cluster_row_get_time_text:
 *
 * Returns: (nullable): “for 3 min” while the row shows how long its update has lasted
 */
const char *
kl_cluster_row_get_time_text (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return self->time_text;
}

/**
 * kl_cluster_row_get_note:
 *
 * Returns: (nullable): the note under the state line, when shown
 */
const char *
kl_cluster_row_get_note (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
    return NULL;
  return gtk_label_get_label (self->note_label);
}

/**
 * kl_cluster_row_get_spinner:
 *
 * Returns: (transfer none): the spinner shown while the row's step runs (tests)
 */
GtkSpinner *
kl_cluster_row_get_spinner (KlClusterRow *self)
{
  g_return_val_if_fail (KL_IS_CLUSTER_ROW (self), NULL);

  return self->spinner;
}
