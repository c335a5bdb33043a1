/* kl-page-util.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-page-util"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-error.h"
#include "kl-page-util.h"
#include "kl-server-text.h"

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
  g_autofree char *shown_title = kl_server_text_dup_plain (title, KL_SERVER_TEXT_SHORT_CHARS);
  g_autofree char *shown_subtitle = kl_server_text_dup_plain (subtitle,
                                                              KL_SERVER_TEXT_SHORT_CHARS);

  /* Not as construct properties: the notifications g_object_new() holds come back in
   * reverse order, and the labels would read the texts as markup before use-markup is off. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Names from the server: capped, no bidi control (kl-server-text.h). */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown_subtitle);

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
  g_autofree char *shown = kl_server_text_dup_plain (text, KL_SERVER_TEXT_SHORT_CHARS);
  g_autofree char *escaped = shown != NULL ? g_markup_escape_text (shown, -1) : NULL;

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
  g_autofree char *shown = kl_server_text_dup_plain (text, 0);
  g_autofree char *escaped = shown != NULL ? g_markup_escape_text (shown, -1) : NULL;

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

/**
 * kl_page_util_environment_name:
 * @environment: (nullable): an azureEnvironment (AZURE, AZURE_CHINA, AZURE_US_GOVERNMENT)
 *
 * Returns: (nullable): the cloud's name, to show; another value as it is
 */
const char *
kl_page_util_environment_name (const char *environment)
{
  if (g_strcmp0 (environment, "AZURE") == 0)
    return _("Azure");
  if (g_strcmp0 (environment, "AZURE_CHINA") == 0)
    return _("Azure China");
  if (g_strcmp0 (environment, "AZURE_US_GOVERNMENT") == 0)
    return _("Azure US Government");
  return environment;
}

/* ---- Fields ---------------------------------------------------------------------------- */

static void
entry_activated_cb (AdwEntryRow *row)
{
  gtk_widget_activate_action (GTK_WIDGET (row), "assistant.next", NULL);
}

/**
 * kl_page_util_bind_entry_activated:
 *
 * Binds the template callback “entry_activated_cb”: Enter in an entry row is Next.
 */
void
kl_page_util_bind_entry_activated (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback_full (widget_class, "entry_activated_cb",
                                                G_CALLBACK (entry_activated_cb));
}

/**
 * kl_page_util_load_field:
 * @text: (nullable): what the answers hold
 *
 * Shows @text in @field, unless it shows it already (which would validate it again).
 */
void
kl_page_util_load_field (KlField    *field,
                         const char *text)
{
  g_return_if_fail (KL_IS_FIELD (field));

  if (g_strcmp0 (kl_field_get_text (field), text != NULL ? text : "") != 0)
    kl_field_set_text (field, text);
}

/**
 * kl_page_util_connect_valid:
 * @callback: called with @page whenever a field's validity changes
 *
 * Follows the validity of each of @fields.
 */
void
kl_page_util_connect_valid (KlField * const *fields,
                            guint            n_fields,
                            GCallback        callback,
                            gpointer         page)
{
  for (guint i = 0; i < n_fields; i++)
    g_signal_connect_swapped (fields[i], "notify::valid", callback, page);
}

/**
 * kl_page_util_focus_first_invalid:
 * @fallback: what gets the focus when every editable field is valid
 *
 * Focuses the first editable field that is not valid yet: where the user goes on typing.
 */
void
kl_page_util_focus_first_invalid (KlField * const *fields,
                                  guint            n_fields,
                                  GtkWidget       *fallback)
{
  for (guint i = 0; i < n_fields; i++)
    {
      AdwEntryRow *row = kl_field_get_row (fields[i]);

      if (!kl_field_get_valid (fields[i]) && gtk_editable_get_editable (GTK_EDITABLE (row)))
        {
          gtk_widget_grab_focus (GTK_WIDGET (row));
          return;
        }
    }

  gtk_widget_grab_focus (fallback);
}

/* ---- The session's project --------------------------------------------------------------- */

/**
 * kl_page_util_has_project:
 *
 * Returns: whether @session has a client and a project to work on
 */
gboolean
kl_page_util_has_project (KlSession *session)
{
  g_return_val_if_fail (KL_IS_SESSION (session), FALSE);

  return kl_session_get_client (session) != NULL && kl_session_get_group_id (session) != NULL;
}

static void
update_hidden (KlSession *session,
               GParamSpec *pspec,
               KlPage     *page)
{
  kl_page_set_hidden (page, kl_session_get_project (session) == NULL);
}

/**
 * kl_page_util_hide_without_project:
 *
 * Hides @page while @session has no project, now and later: there is nothing to show (the
 * way GNOME Initial Setup's pages hide themselves).
 */
void
kl_page_util_hide_without_project (KlPage    *page,
                                   KlSession *session)
{
  g_return_if_fail (KL_IS_PAGE (page));
  g_return_if_fail (KL_IS_SESSION (session));

  g_signal_connect_object (session, "notify::project", G_CALLBACK (update_hidden), page, 0);
  update_hidden (session, NULL, page);
}

typedef struct
{
  KlPage              *page;
  KlPageRefreshedFunc  refreshed;
} Refresh;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(KlPage) page = refresh->page;
  KlPageRefreshedFunc refreshed = refresh->refreshed;
  g_autoptr(GError) error = NULL;

  g_free (refresh);

  if (kl_session_refresh_finish (KL_SESSION (object), result, &error))
    refreshed (page, NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    refreshed (page, error);
}

/**
 * kl_page_util_refresh:
 * @cancellable: (nullable): the page's, cancelled when it goes
 * @refreshed: called when the refresh is over, unless it was cancelled
 *
 * Reads @session's project again for @page. Without a project there is nothing to read: the
 * page's error says to choose one.
 *
 * Returns: whether the refresh started
 */
gboolean
kl_page_util_refresh (KlPage              *page,
                      KlSession           *session,
                      GCancellable        *cancellable,
                      KlPageRefreshedFunc  refreshed)
{
  Refresh *refresh;

  g_return_val_if_fail (KL_IS_PAGE (page), FALSE);
  g_return_val_if_fail (KL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (refreshed != NULL, FALSE);

  if (!kl_page_util_has_project (session))
    {
      kl_page_set_error (page, _("No project is chosen yet. Go back to the project list and "
                                 "choose one."));
      return FALSE;
    }

  refresh = g_new0 (Refresh, 1);
  refresh->page = g_object_ref (page);
  refresh->refreshed = refreshed;
  kl_session_refresh_async (session, cancellable, refresh_cb, refresh);
  return TRUE;
}

/* ---- A PATCH of encryptionAtRest, then reading it back (kl-ear-verify.c) ----------------- */

gboolean
kl_page_util_error_is_unclear (const GError *error)
{
  return kl_ear_error_is_unclear (error);
}

void
kl_page_util_patch_and_verify_async (KlAtlasClient       *client,
                                     const char          *group_id,
                                     GBytes              *body,
                                     KlVerifyFunc         verify,
                                     gpointer             verify_data,
                                     guint                attempts,
                                     guint                interval_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  kl_ear_patch_and_verify_async (client, group_id, body, verify, verify_data, attempts,
                                 interval_ms, cancellable, callback, user_data);
}

KlEncryptionAtRest *
kl_page_util_patch_and_verify_finish (GAsyncResult  *result,
                                      gboolean      *verified,
                                      GError       **error)
{
  return kl_ear_patch_and_verify_finish (result, verified, error);
}

/* ---- Spinners of long waits -------------------------------------------------------------- */

static guint spinner_smooth_seconds = 5;
#define SPINNER_TICK_KEY       "kl-spinner-tick"
#define SPINNER_STEP_KEY       "kl-spinner-step"
#define SPINNER_STEPS          8

static void
spinner_set_step (GtkWidget *spinner,
                  guint      step)
{
  static const char * const classes[SPINNER_STEPS] = {
    "kl-spinner-step-0", "kl-spinner-step-1", "kl-spinner-step-2", "kl-spinner-step-3",
    "kl-spinner-step-4", "kl-spinner-step-5", "kl-spinner-step-6", "kl-spinner-step-7",
  };
  guint old = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spinner), SPINNER_STEP_KEY));

  gtk_widget_remove_css_class (spinner, classes[old % SPINNER_STEPS]);
  gtk_widget_add_css_class (spinner, classes[step % SPINNER_STEPS]);
  g_object_set_data (G_OBJECT (spinner), SPINNER_STEP_KEY, GUINT_TO_POINTER (step % SPINNER_STEPS));
}

/* Once a second (g_timeout_add_seconds(): every spinner of the window on the same wake-up, so
 * one frame a second for all of them). */
static gboolean
spinner_tick_cb (gpointer user_data)
{
  GtkWidget *spinner = user_data;
  guint step = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spinner), SPINNER_STEP_KEY));

  if (!gtk_widget_has_css_class (spinner, "kl-spinner-ticking"))
    {
      /* The smooth turn is over: from here on, steps. */
      gtk_widget_add_css_class (spinner, "kl-spinner-ticking");
      step = 0;
    }
  if (gtk_widget_get_mapped (spinner))
    spinner_set_step (spinner, step + 1);

  return G_SOURCE_CONTINUE;
}

static void
spinner_tick_remove (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static gboolean
spinner_start_ticking_cb (gpointer user_data)
{
  GtkWidget *spinner = user_data;
  guint id = g_timeout_add_seconds (1, spinner_tick_cb, spinner);

  g_source_set_name_by_id (id, "[keylink] spinner tick");
  spinner_tick_cb (spinner);
  /* This one-shot source ends here: its id goes without being removed twice. */
  g_object_steal_data (G_OBJECT (spinner), SPINNER_TICK_KEY);
  g_object_set_data_full (G_OBJECT (spinner), SPINNER_TICK_KEY, GUINT_TO_POINTER (id),
                          spinner_tick_remove);

  return G_SOURCE_REMOVE;
}

void
kl_page_util_set_spinning (GtkSpinner *spinner,
                           gboolean    spinning)
{
  GtkWidget *widget = GTK_WIDGET (spinner);
  guint id;

  g_return_if_fail (GTK_IS_SPINNER (spinner));

  spinning = !!spinning;
  if (gtk_spinner_get_spinning (spinner) == spinning &&
      (!spinning || g_object_get_data (G_OBJECT (spinner), SPINNER_TICK_KEY) != NULL))
    return;

  /* Every start turns smoothly again. */
  g_object_set_data (G_OBJECT (spinner), SPINNER_TICK_KEY, NULL);
  gtk_widget_remove_css_class (widget, "kl-spinner-ticking");
  spinner_set_step (widget, 0);
  gtk_spinner_set_spinning (spinner, spinning);
  if (!spinning)
    return;

  id = g_timeout_add_seconds (spinner_smooth_seconds, spinner_start_ticking_cb, spinner);
  g_source_set_name_by_id (id, "[keylink] spinner, smooth turn over");
  g_object_set_data_full (G_OBJECT (spinner), SPINNER_TICK_KEY, GUINT_TO_POINTER (id),
                          spinner_tick_remove);
}

void
kl_page_util_set_spinner_smooth_seconds (guint seconds)
{
  spinner_smooth_seconds = seconds;
}

/* ---- Waits ------------------------------------------------------------------------------- */

char *
kl_page_util_format_duration (gint64 seconds)
{
  gint64 minutes = seconds / 60;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (seconds < 60)
    return g_strdup (_("for less than a minute"));
  if (minutes < 60)
    /* Translators: how long something has been in its state */
    return g_strdup_printf (ngettext ("for %u min", "for %u min", (gulong) minutes),
                            (guint) minutes);
  if (hours < 48)
    {
      if (minutes % 60 == 0)
        return g_strdup_printf (ngettext ("for %u h", "for %u h", (gulong) hours), (guint) hours);
      /* Translators: how long something has been in its state: hours, then minutes */
      return g_strdup_printf (_("for %u h %u min"), (guint) hours, (guint) (minutes % 60));
    }
  return g_strdup_printf (ngettext ("for %u day", "for %u days", (gulong) days), (guint) days);
}

static void
chain_cancellable (GCancellable *parent,
                   GCancellable *child)
{
  if (parent == NULL)
    return;

  /* Disconnected when the child goes. */
  g_signal_connect_object (parent, "cancelled", G_CALLBACK (g_cancellable_cancel), child,
                           G_CONNECT_SWAPPED);
  if (g_cancellable_is_cancelled (parent))
    g_cancellable_cancel (child);
}

/**
 * kl_page_util_cancellable_new_child:
 * @parent: (nullable): a page's, or the window's
 * @other_parent: (nullable): an apply's, for example
 *
 * Returns: (transfer full): a cancellable cancelled with either parent
 */
GCancellable *
kl_page_util_cancellable_new_child (GCancellable *parent,
                                    GCancellable *other_parent)
{
  GCancellable *child = g_cancellable_new ();

  g_return_val_if_fail (parent == NULL || G_IS_CANCELLABLE (parent), child);
  g_return_val_if_fail (other_parent == NULL || G_IS_CANCELLABLE (other_parent), child);

  chain_cancellable (parent, child);
  chain_cancellable (other_parent, child);
  return child;
}
