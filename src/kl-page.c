/* kl-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-page.h"

/* One step of the assistant (GNOME Initial Setup's GisPage): the assistant reads
 * complete/applying/hidden to drive its buttons and runs apply_async on Next. */

typedef struct
{
  KlContext *context;
  char     *page_id;
  char     *title;
  char     *next_label;
  char     *error;
  char     *next_action;

  guint     complete : 1;
  guint     hidden : 1;
  guint     read_only : 1;
  guint     needs_apply : 1;
  guint     applying : 1;
  guint     next_destructive : 1;
} KlPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KlPage, kl_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_PAGE_ID,
  PROP_HELP_ID,
  PROP_TITLE,
  PROP_NEXT_LABEL,
  PROP_NEXT_DESTRUCTIVE,
  PROP_NEXT_ACTION,
  PROP_COMPLETE,
  PROP_HIDDEN,
  PROP_READ_ONLY,
  PROP_NEEDS_APPLY,
  PROP_ERROR,
  PROP_APPLYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static KlContext *
priv_get_context (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  return priv->context;
}

static void
kl_page_constructed (GObject *object)
{
  KlPage *self = KL_PAGE (object);
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  /* A page built alone (a test) gets a context of its own, with nothing in it. */
  if (priv->context == NULL)
    priv->context = kl_context_new (NULL, NULL);

  G_OBJECT_CLASS (kl_page_parent_class)->constructed (object);
}

static void
kl_page_finalize (GObject *object)
{
  KlPage *self = KL_PAGE (object);
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_assert (!priv->applying);

  g_clear_object (&priv->context);
  g_clear_pointer (&priv->page_id, g_free);
  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->next_label, g_free);
  g_clear_pointer (&priv->next_action, g_free);
  g_clear_pointer (&priv->error, g_free);

  G_OBJECT_CLASS (kl_page_parent_class)->finalize (object);
}

static void
kl_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KlPage *self = KL_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv_get_context (self));
      break;

    case PROP_PAGE_ID:
      g_value_set_string (value, kl_page_get_page_id (self));
      break;

    case PROP_HELP_ID:
      g_value_set_string (value, kl_page_get_help_id (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, kl_page_get_title (self));
      break;

    case PROP_NEXT_LABEL:
      g_value_set_string (value, kl_page_get_next_label (self));
      break;

    case PROP_NEXT_DESTRUCTIVE:
      g_value_set_boolean (value, kl_page_get_next_destructive (self));
      break;

    case PROP_NEXT_ACTION:
      g_value_set_string (value, kl_page_get_next_action (self));
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, kl_page_get_complete (self));
      break;

    case PROP_HIDDEN:
      g_value_set_boolean (value, kl_page_get_hidden (self));
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, kl_page_get_read_only (self));
      break;

    case PROP_NEEDS_APPLY:
      g_value_set_boolean (value, kl_page_get_needs_apply (self));
      break;

    case PROP_ERROR:
      g_value_set_string (value, kl_page_get_error (self));
      break;

    case PROP_APPLYING:
      g_value_set_boolean (value, kl_page_get_applying (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  KlPage *self = KL_PAGE (object);
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;

    case PROP_PAGE_ID:
      priv->page_id = g_value_dup_string (value);
      break;

    case PROP_TITLE:
      kl_page_set_title (self, g_value_get_string (value));
      break;

    case PROP_NEXT_LABEL:
      kl_page_set_next_label (self, g_value_get_string (value));
      break;

    case PROP_NEXT_DESTRUCTIVE:
      kl_page_set_next_destructive (self, g_value_get_boolean (value));
      break;

    case PROP_NEXT_ACTION:
      kl_page_set_next_action (self, g_value_get_string (value));
      break;

    case PROP_COMPLETE:
      kl_page_set_complete (self, g_value_get_boolean (value));
      break;

    case PROP_HIDDEN:
      kl_page_set_hidden (self, g_value_get_boolean (value));
      break;

    case PROP_READ_ONLY:
      kl_page_set_read_only (self, g_value_get_boolean (value));
      break;

    case PROP_NEEDS_APPLY:
      kl_page_set_needs_apply (self, g_value_get_boolean (value));
      break;

    case PROP_ERROR:
      kl_page_set_error (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_page_class_init (KlPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kl_page_constructed;
  object_class->finalize = kl_page_finalize;
  object_class->get_property = kl_page_get_property;
  object_class->set_property = kl_page_set_property;

  /**
   * KlPage:context:
   * What the pages of a window share: the session, the answers, the settings… Given at
   * construction (kl_prepare_<name>_page()).
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         KL_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:page-id:
   * The name the assistant knows the page by (for jumps and resume). Defaults to the
   * class's page_id.
   */
  properties[PROP_PAGE_ID] =
    g_param_spec_string ("page-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HELP_ID] =
    g_param_spec_string ("help-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:next-label:
   * The label of the Next button on this page, with a mnemonic; %NULL for “_Next”.
   */
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:next-destructive:
   * Whether Next does something that cannot be taken back (it is then drawn in the
   * destructive style, and its label says what it does).
   */
  properties[PROP_NEXT_DESTRUCTIVE] =
    g_param_spec_boolean ("next-destructive", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:next-action:
   * An action without a parameter (“win.continue-project”) that Next activates from the
   * page instead of going on to the next page, for a page whose primary action is a choice
   * the window carries out; %NULL for the usual Next.
   */
  properties[PROP_NEXT_ACTION] =
    g_param_spec_string ("next-action", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:complete:
   * Whether the input is valid: Next is insensitive until it is.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:hidden:
   * A hidden page is skipped in both directions and not counted in “Step N of M”.
   */
  properties[PROP_HIDDEN] =
    g_param_spec_boolean ("hidden", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:read-only:
   * Show the answers without letting them change (resume shows earlier answers so).
   * Pages honour it by making their entries non-editable.
   */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:needs-apply:
   * Whether Next must run the apply vfunc. The assistant clears it after a successful
   * apply; kl_page_input_changed() sets it again.
   */
  properties[PROP_NEEDS_APPLY] =
    g_param_spec_boolean ("needs-apply", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KlPage:error:
   * A message the assistant shows at the top of the page (a failed apply), or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_page_init (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  priv->needs_apply = TRUE;
}

/**
 * kl_page_get_context:
 *
 * Returns: (transfer none): what the pages of the window share
 */
KlContext *
kl_page_get_context (KlPage *self)
{
  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv_get_context (self);
}

const char *
kl_page_get_page_id (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv->page_id != NULL ? priv->page_id : KL_PAGE_GET_CLASS (self)->page_id;
}

const char *
kl_page_get_help_id (KlPage *self)
{
  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return KL_PAGE_GET_CLASS (self)->help_id;
}

const char *
kl_page_get_title (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv->title;
}

void
kl_page_set_title (KlPage     *self,
                   const char *title)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  if (set_string (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
kl_page_get_next_label (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv->next_label;
}

void
kl_page_set_next_label (KlPage     *self,
                        const char *next_label)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  if (set_string (&priv->next_label, next_label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
kl_page_get_next_destructive (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->next_destructive;
}

void
kl_page_set_next_destructive (KlPage   *self,
                              gboolean  next_destructive)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  next_destructive = !!next_destructive;
  if (priv->next_destructive == (guint) next_destructive)
    return;

  priv->next_destructive = next_destructive;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DESTRUCTIVE]);
}

const char *
kl_page_get_next_action (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv->next_action;
}

void
kl_page_set_next_action (KlPage     *self,
                         const char *next_action)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  if (set_string (&priv->next_action, next_action))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ACTION]);
}

gboolean
kl_page_get_complete (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
kl_page_set_complete (KlPage   *self,
                      gboolean  complete)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

gboolean
kl_page_get_hidden (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->hidden;
}

void
kl_page_set_hidden (KlPage   *self,
                    gboolean  hidden)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  hidden = !!hidden;
  if (priv->hidden == hidden)
    return;

  priv->hidden = hidden;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDDEN]);
}

gboolean
kl_page_get_read_only (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->read_only;
}

void
kl_page_set_read_only (KlPage   *self,
                       gboolean  read_only)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  read_only = !!read_only;
  if (priv->read_only == read_only)
    return;

  priv->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

gboolean
kl_page_get_needs_apply (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->needs_apply;
}

void
kl_page_set_needs_apply (KlPage   *self,
                         gboolean  needs_apply)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  needs_apply = !!needs_apply;
  if (priv->needs_apply == needs_apply)
    return;

  priv->needs_apply = needs_apply;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_APPLY]);
}

const char *
kl_page_get_error (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), NULL);

  return priv->error;
}

void
kl_page_set_error (KlPage     *self,
                   const char *error)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_if_fail (KL_IS_PAGE (self));

  if (set_string (&priv->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
kl_page_get_applying (KlPage *self)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return priv->applying;
}

/**
 * kl_page_has_apply:
 *
 * Returns: whether the class implements apply_async
 */
gboolean
kl_page_has_apply (KlPage *self)
{
  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);

  return KL_PAGE_GET_CLASS (self)->apply_async != NULL;
}

/**
 * kl_page_input_changed:
 *
 * For subclasses: the user changed an answer. The last apply no longer holds and the
 * error it left is stale.
 */
void
kl_page_input_changed (KlPage *self)
{
  g_return_if_fail (KL_IS_PAGE (self));

  kl_page_set_needs_apply (self, TRUE);
  kl_page_set_error (self, NULL);
}

void
kl_page_shown (KlPage *self)
{
  g_return_if_fail (KL_IS_PAGE (self));

  if (KL_PAGE_GET_CLASS (self)->shown != NULL)
    KL_PAGE_GET_CLASS (self)->shown (self);
}

void
kl_page_leave (KlPage *self)
{
  g_return_if_fail (KL_IS_PAGE (self));

  if (KL_PAGE_GET_CLASS (self)->leave != NULL)
    KL_PAGE_GET_CLASS (self)->leave (self);
}

static void
kl_page_set_applying (KlPage   *self,
                      gboolean  applying)
{
  KlPagePrivate *priv = kl_page_get_instance_private (self);

  g_assert (priv->applying != !!applying);

  priv->applying = !!applying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
}

static void
kl_page_apply_completed_cb (KlPage *self)
{
  kl_page_set_applying (self, FALSE);
}

static void
kl_page_apply_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KlPage *self = KL_PAGE (object);
  KlPageClass *klass = KL_PAGE_GET_CLASS (self);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (klass->apply_finish != NULL)
    ok = klass->apply_finish (self, result, &error);
  else
    ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (!ok)
    {
      /* A page must say why it failed. */
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("This step failed without saying why. Try again."));
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * kl_page_apply_async:
 *
 * Runs the page's apply vfunc, with #KlPage:applying set meanwhile. A page without one
 * succeeds at once.
 */
void
kl_page_apply_async (KlPage              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  KlPageClass *klass;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_PAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!kl_page_get_applying (self));

  klass = KL_PAGE_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_page_apply_async);

  if (klass->apply_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Applying ends once the caller has its result, so that whoever waits for
   * !applying sees the caller's reaction too. */
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (kl_page_apply_completed_cb),
                           self, G_CONNECT_SWAPPED);
  kl_page_set_applying (self, TRUE);
  klass->apply_async (self, cancellable, kl_page_apply_cb, g_steal_pointer (&task));
}

gboolean
kl_page_apply_finish (KlPage        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (KL_IS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_page_apply_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GtkWidget *
find_peek (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget))
    return widget;

  if (GTK_IS_IMAGE (widget) &&
      g_str_has_prefix (gtk_image_get_icon_name (GTK_IMAGE (widget)) != NULL
                        ? gtk_image_get_icon_name (GTK_IMAGE (widget)) : "", "view-"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_peek (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * kl_page_name_password_peek:
 * @row: a password row
 * @name: what assistive technologies call its show-text toggle, e.g. “Show the secret”
 *
 * Names the toggle that shows @row's text as plain text.
 */
void
kl_page_name_password_peek (AdwPasswordEntryRow *row,
                            const char          *name)
{
  GtkWidget *peek;

  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));
  g_return_if_fail (name != NULL);

  peek = find_peek (GTK_WIDGET (row));
  g_return_if_fail (peek != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (peek),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}
