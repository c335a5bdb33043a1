/* test-spinners.c — the spinners of long waits (kl_page_util_set_spinning()): the endpoint
 * row's busy spinner, a teardown step's and a cluster row's turn smoothly at first, then tick
 * once a second (the CSS class kl-spinner-ticking), so that a window that waits paints once a
 * second instead of at the frame rate.
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "kl-private-endpoint.h"
#include "kl-step.h"
#include "kl-test-widget.h"
#include "pages/endpoints/kl-endpoint-row.h"
#include "pages/kl-page-util.h"
#include "pages/teardown/kl-teardown-step-row.h"

#define TICKING "kl-spinner-ticking"

/* A shorter smooth turn than the 5 s of the application, so that the test waits about a
 * second; the deadline below is for what never happens. */
#define SMOOTH_SECONDS 1
#define DEADLINE_MS    5000

static gboolean
all_ticking (gpointer user_data)
{
  GPtrArray *spinners = user_data;

  for (guint i = 0; i < spinners->len; i++)
    if (!gtk_widget_has_css_class (g_ptr_array_index (spinners, i), TICKING))
      return FALSE;
  return TRUE;
}

static GtkWidget *
find_spinner (GtkWidget *row)
{
  GtkWidget *spinner = kl_test_find_by_type (row, GTK_TYPE_SPINNER);

  g_assert_nonnull (spinner);
  return spinner;
}

static void
test_rows_tick (void)
{
  g_autoptr(KlPrivateEndpoint) endpoint = NULL;
  g_autoptr(KlStep) step = NULL;
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *list, *endpoint_row, *step_row;
  GtkWindow *window;

  endpoint = kl_private_endpoint_parse ("{\"id\":\"65a1b2c3d4e5f60718293a4b\","
                                        "\"cloudProvider\":\"AZURE\","
                                        "\"regionName\":\"US_EAST_2\","
                                        "\"status\":\"INITIATING\"}", -1, &error);
  g_assert_no_error (error);
  step = kl_step_new (KL_STEP_DELETE_ENDPOINT, "65a1b2c3d4e5f60718293a4b", "US_EAST_2",
                      "Delete the endpoint in US_EAST_2");

  window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (window);
  list = gtk_list_box_new ();
  endpoint_row = kl_endpoint_row_new (endpoint);
  step_row = kl_teardown_step_row_new (step, 1);
  gtk_list_box_append (GTK_LIST_BOX (list), endpoint_row);
  gtk_list_box_append (GTK_LIST_BOX (list), step_row);
  gtk_window_set_child (window, list);
  g_assert_true (kl_test_window_show (window));

  /* A delete in flight on the endpoint; the step running. */
  kl_endpoint_row_set_busy (KL_ENDPOINT_ROW (endpoint_row), TRUE);
  kl_step_set_state (step, KL_STEP_STATE_RUNNING);
  g_ptr_array_add (spinners, find_spinner (endpoint_row));
  g_ptr_array_add (spinners, find_spinner (step_row));

  /* Turning smoothly at first. */
  for (guint i = 0; i < spinners->len; i++)
    {
      GtkWidget *spinner = g_ptr_array_index (spinners, i);

      g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
      g_assert_false (gtk_widget_has_css_class (spinner, TICKING));
    }

  /* Then ticking, still spinning (and named so). */
  g_assert_true (kl_test_wait_until (all_ticking, spinners, DEADLINE_MS));
  for (guint i = 0; i < spinners->len; i++)
    g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (g_ptr_array_index (spinners, i))));

  /* Over: neither spinning nor ticking. */
  kl_endpoint_row_set_busy (KL_ENDPOINT_ROW (endpoint_row), FALSE);
  kl_step_set_state (step, KL_STEP_STATE_DONE);
  for (guint i = 0; i < spinners->len; i++)
    {
      GtkWidget *spinner = g_ptr_array_index (spinners, i);

      g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
      g_assert_false (gtk_widget_has_css_class (spinner, TICKING));
    }

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  kl_test_widget_init (&argc, &argv);
  kl_page_util_set_spinner_smooth_seconds (SMOOTH_SECONDS);

  g_test_add_func ("/spinners/rows-tick", test_rows_tick);

  return g_test_run ();
}
