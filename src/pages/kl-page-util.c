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

/* ---- A PATCH of encryptionAtRest, then reading it back until Atlas agrees ----------------- */

typedef struct
{
  KlAtlasClient      *client;
  char               *group_id;
  KlVerifyFunc        verify;
  gpointer            verify_data;
  guint               attempts_left;
  guint               interval_ms;
  GSource            *wait_source;
  GSource            *cancel_source;
  KlEncryptionAtRest *last;
  GError             *patch_error;   /* the PATCH's unclear failure, while reading back */
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->group_id, g_free);
  if (data->wait_source != NULL)
    g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);
  g_clear_object (&data->last);
  g_clear_error (&data->patch_error);
  g_free (data);
}

static void verify_answer_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static gboolean
verify_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  VerifyData *data = g_task_get_task_data (task);

  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);
  g_clear_pointer (&data->wait_source, g_source_unref);

  kl_atlas_client_get_encryption_at_rest_async (data->client, data->group_id,
                                                g_task_get_cancellable (task),
                                                verify_answer_cb, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static gboolean
verify_wait_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  GTask *task = user_data;
  VerifyData *data = g_task_get_task_data (task);

  g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  g_clear_pointer (&data->cancel_source, g_source_unref);

  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Reads the configuration again after a pause; Cancel ends the pause at once. */
static void
verify_later (GTask *task)
{
  VerifyData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (data->wait_source == NULL);

  data->wait_source = g_timeout_source_new (data->interval_ms);
  g_source_set_callback (data->wait_source, verify_wait_done_cb, g_object_ref (task),
                         g_object_unref);
  g_source_attach (data->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (verify_wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

/* The PATCH failed in a way that says nothing of whether Atlas applied it (no answer in time,
 * a dropped connection, a 5xx, an answer that could not be read), and what was read back does
 * not settle it either: say that Atlas may have applied it. */
static void
return_unclear (GTask        *task,
                const GError *read_error)
{
  VerifyData *data = g_task_get_task_data (task);

  if (read_error != NULL)
    g_debug ("Reading the configuration back after an unclear PATCH failed: %s",
             read_error->message);

  if (read_error != NULL)
    g_task_return_new_error (task, KL_ERROR, data->patch_error->code,
                             /* Translators: %s says what went wrong with the request */
                             _("%s Atlas may have applied the change all the same, and Keylink "
                               "could not read the project back to tell. Try again: Keylink "
                               "reads the project first, and sends nothing if the change is "
                               "in place."),
                             data->patch_error->message);
  else
    g_task_return_new_error (task, KL_ERROR, data->patch_error->code,
                             /* Translators: %s says what went wrong with the request */
                             _("%s Atlas may have applied the change all the same, but reading "
                               "the project back does not show it in place yet. Try again: "
                               "Keylink reads the project first, and sends nothing if the "
                               "change is in place."),
                             data->patch_error->message);
}

static void
verify_check (GTask              *task,
              KlEncryptionAtRest *ear)
{
  VerifyData *data = g_task_get_task_data (task);

  g_set_object (&data->last, ear);

  if (data->verify (ear, data->verify_data))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (data->attempts_left == 0)
    {
      if (data->patch_error != NULL)
        return_unclear (task, NULL);
      else
        g_task_return_boolean (task, FALSE);
      return;
    }

  data->attempts_left--;
  verify_later (task);
}

/* The configuration as it is now, checked: the PATCH's own answer first, then each read. */
static void
verify_answer_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlAtlasClient *client = KL_ATLAS_CLIENT (object);
  g_autoptr(KlEncryptionAtRest) ear = NULL;
  g_autoptr(GError) error = NULL;

  VerifyData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  gboolean patch_answer;

  patch_answer = g_async_result_is_tagged (result, kl_atlas_client_patch_encryption_at_rest_async);
  if (patch_answer)
    ear = kl_atlas_client_patch_encryption_at_rest_finish (client, result, &error);
  else
    ear = kl_atlas_client_get_encryption_at_rest_finish (client, result, &error);

  /* No clear answer to the PATCH: read back before anyone offers to send it again. */
  if (ear == NULL && patch_answer && kl_page_util_error_is_unclear (error))
    {
      g_debug ("The PATCH's outcome is unclear (%s): reading the configuration back",
               error->message);
      data->patch_error = g_steal_pointer (&error);
      cancellable = g_task_get_cancellable (task);
      kl_atlas_client_get_encryption_at_rest_async (client, data->group_id, cancellable,
                                                    verify_answer_cb, g_steal_pointer (&task));
      return;
    }

  if (ear == NULL)
    {
      if (data->patch_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return_unclear (task, error);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  verify_check (task, ear);
}

/**
 * kl_page_util_error_is_unclear:
 *
 * Returns: whether @error leaves open whether a write reached Atlas and was applied: no answer
 *   in time, a dropped connection, a 5xx or an answer that could not be read
 */
gboolean
kl_page_util_error_is_unclear (const GError *error)
{
  return g_error_matches (error, KL_ERROR, KL_ERROR_NETWORK) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TIMEOUT) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_SERVER) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

/**
 * kl_page_util_patch_and_verify_async:
 * @body: the PATCH of encryptionAtRest
 * @verify: whether a configuration is what the page waits for
 * @attempts: how many more times to read the configuration while @verify says no
 * @interval_ms: the pause before each read
 *
 * Sends @body, checks the configuration Atlas answers with, and reads it again after a pause
 * until @verify agrees or the attempts are spent. Atlas checks the key when it takes the
 * PATCH; a few reads cover a slow check.
 */
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
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_return_if_fail (KL_IS_ATLAS_CLIENT (client));
  g_return_if_fail (group_id != NULL);
  g_return_if_fail (body != NULL);
  g_return_if_fail (verify != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_page_util_patch_and_verify_async);

  data = g_new0 (VerifyData, 1);
  data->client = g_object_ref (client);
  data->group_id = g_strdup (group_id);
  data->verify = verify;
  data->verify_data = verify_data;
  data->attempts_left = attempts;
  data->interval_ms = interval_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  kl_atlas_client_patch_encryption_at_rest_async (client, group_id, body, cancellable,
                                                  verify_answer_cb, g_steal_pointer (&task));
}

/**
 * kl_page_util_patch_and_verify_finish:
 * @verified: (out): whether the verify function agreed in the end
 *
 * Returns: (transfer full) (nullable): the configuration as last read, or %NULL with @error
 *   set when the PATCH or a read failed, or was cancelled
 */
KlEncryptionAtRest *
kl_page_util_patch_and_verify_finish (GAsyncResult  *result,
                                      gboolean      *verified,
                                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  VerifyData *data;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (verified != NULL, NULL);

  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  data = g_task_get_task_data (G_TASK (result));
  *verified = ok;
  return g_object_ref (data->last);
}

/* ---- Spinners of long waits -------------------------------------------------------------- */

#define SPINNER_SMOOTH_SECONDS 5
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

  id = g_timeout_add_seconds (SPINNER_SMOOTH_SECONDS, spinner_start_ticking_cb, spinner);
  g_source_set_name_by_id (id, "[keylink] spinner, smooth turn over");
  g_object_set_data_full (G_OBJECT (spinner), SPINNER_TICK_KEY, GUINT_TO_POINTER (id),
                          spinner_tick_remove);
}
