/* kl-test-widget.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-test-widget.h"

void
kl_test_widget_init (int    *argc,
                     char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

typedef struct
{
  gboolean mapped;
  gboolean drawn;
} ShowState;

static void
on_map (GtkWidget *widget,
        gpointer   user_data)
{
  ShowState *state = user_data;

  state->mapped = TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  ShowState *state = user_data;

  state->drawn = TRUE;
}

static gboolean
show_mapped (gpointer user_data)
{
  ShowState *state = user_data;

  return state->mapped;
}

static gboolean
show_done (gpointer user_data)
{
  ShowState *state = user_data;

  return state->mapped && state->drawn;
}

gboolean
kl_test_window_show (GtkWindow *window)
{
  ShowState state = { FALSE, FALSE };
  GdkFrameClock *clock;
  gulong map_id, paint_id = 0;
  gboolean ok;

  state.mapped = gtk_widget_get_mapped (GTK_WIDGET (window));
  map_id = g_signal_connect (window, "map", G_CALLBACK (on_map), &state);
  gtk_window_present (window);

  if (!kl_test_wait_until (show_mapped, &state, 10000))
    {
      g_signal_handler_disconnect (window, map_id);
      return FALSE;
    }

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &state);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ok = kl_test_wait_until (show_done, &state, 10000);

  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (window, map_id);
  return ok;
}

char *
kl_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  dir = g_strdup (g_getenv ("KL_SCREENSHOT_DIR"));
  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "keylink-screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_strdup_printf ("%s/%s.png", dir, name);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_steal_pointer (&path);
}

/* Depth-first, @root included; with @visible_only, hidden widgets and what they hold are
 * skipped. */
GtkWidget *
kl_test_find (GtkWidget        *root,
              gboolean          visible_only,
              KlTestWidgetMatch match,
              gconstpointer     data)
{
  if (visible_only && !gtk_widget_get_visible (root))
    return NULL;

  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kl_test_find (child, visible_only, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
shows_label (GtkWidget     *widget,
             gconstpointer  label)
{
  if (GTK_IS_LABEL (widget))
    return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0;
  /* The text of a list's rows (the project page's: sized by characters, not laid out) */
  if (GTK_IS_INSCRIPTION (widget))
    return g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), label) == 0;
  if (GTK_IS_BUTTON (widget))
    return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
  return FALSE;
}

GtkWidget *
kl_test_find_by_label (GtkWidget  *root,
                       const char *label)
{
  return kl_test_find (root, FALSE, shows_label, label);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), GPOINTER_TO_SIZE (type));
}

GtkWidget *
kl_test_find_by_type (GtkWidget *root,
                      GType      type)
{
  return kl_test_find (root, FALSE, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* The first visible widget under @root (itself included) with the CSS class. */
GtkWidget *
kl_test_find_by_css_class (GtkWidget  *root,
                           const char *css_class)
{
  return kl_test_find (root, TRUE, has_css_class, css_class);
}

void
kl_test_assert_named_by_text (GtkWidget  *button,
                              const char *text)
{
  GtkWidget *child;

  g_assert_true (GTK_IS_BUTTON (button));
  child = gtk_button_get_child (GTK_BUTTON (button));
  g_assert_true (GTK_IS_LABEL (child));

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_error ("The button “%s” has an accessible label of its own: AT-SPI names it twice",
             gtk_label_get_text (GTK_LABEL (child)));
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (button),
                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child)), ==, text);
}

AdwEntryRow *
kl_test_find_entry (KlPage     *page,
                    const char *title)
{
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (page), title);
  GtkWidget *row;

  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);
  return ADW_ENTRY_ROW (row);
}

void
kl_test_type_text (AdwEntryRow *row,
                   const char  *text)
{
  gtk_widget_grab_focus (GTK_WIDGET (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

const char *
kl_test_caption_text (AdwEntryRow *row)
{
  GtkWidget *caption = gtk_widget_get_next_sibling (GTK_WIDGET (row));
  GtkWidget *label;

  g_assert_true (GTK_IS_LIST_BOX_ROW (caption));
  g_assert_false (ADW_IS_PREFERENCES_ROW (caption));
  if (!gtk_widget_get_visible (caption))
    return NULL;
  label = kl_test_find_by_type (caption, GTK_TYPE_LABEL);
  return gtk_label_get_text (GTK_LABEL (label));
}

KlPage *
kl_test_prepare_page (KlPage         *(*prepare) (KlContext *context),
                      KlSession      *session,
                      KlSetupAnswers *answers,
                      GCancellable   *cancellable)
{
  g_autoptr(KlContext) context = kl_context_new (session, answers);

  kl_context_set_cancellable (context, cancellable);
  return prepare (context);
}
