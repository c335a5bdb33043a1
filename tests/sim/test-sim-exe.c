/* test-sim-exe.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "kl-test-utils.h"
#include "test-sim-common.h"

/* keylink-atlas-sim, the standalone simulator: it prints its URL first, serves, and exits
 * cleanly on SIGTERM and SIGINT. */

typedef struct
{
  gboolean  done;
  char     *line;
  GError   *error;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static char *
sim_program (void)
{
  return g_test_build_filename (G_TEST_BUILT, "..", "src", "sim", "keylink-atlas-sim", NULL);
}

static GSubprocess *
spawn (GError **error,
       ...)
{
  g_autofree char *program = sim_program ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, program);
  va_start (args, error);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
}

static void
wait_exit (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  g_assert_true (kl_test_wait_for_flag (&done, 10000));
}

static void
serve_and_stop (int signal_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SimResponse) groups = NULL;
  g_autoptr(SimResponse) latency = NULL;
  LineRead read = { FALSE, NULL, NULL };
  SimFixture f = { 0, };

  process = spawn (&error, "--port", "0", "--api-key", SIM_PUBLIC_KEY ":" SIM_PRIVATE_KEY,
                   "--api-key", "second:key", "--service-account",
                   SIM_CLIENT_ID ":" SIM_CLIENT_SECRET, "--time-scale", "0.001", "--seed", "3",
                   NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  g_assert_true (kl_test_wait_for_flag (&read.done, 10000));
  g_assert_no_error (read.error);
  g_assert_nonnull (read.line);
  g_assert_true (g_str_has_prefix (read.line, "http://127.0.0.1:"));
  g_assert_cmpuint (strlen (read.line), >, strlen ("http://127.0.0.1:"));

  f.base_url = read.line;
  f.session = sim_new_session ();
  f.user = SIM_PUBLIC_KEY;
  f.password = SIM_PRIVATE_KEY;
  groups = sim_get (&f, "/api/atlas/v2/groups", V20230101);
  sim_assert_ok (groups, 200, V20230101);
  g_assert_cmpint (json_object_get_int_member (sim_object (groups), "totalCount"), ==, 16);
  latency = sim_control (&f, "GET", "/__sim/settings", NULL);
  g_assert_cmpuint (latency->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (latency), "timeScale"), ==, 0.001);

  g_subprocess_send_signal (process, signal_number);
  wait_exit (process);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  soup_session_abort (f.session);
  g_object_unref (f.session);
  g_free (read.line);
}

static void
test_exe_sigterm (void)
{
  serve_and_stop (SIGTERM);
}

static void
test_exe_sigint (void)
{
  serve_and_stop (SIGINT);
}

static void
test_exe_bad_arguments (void)
{
  const char *cases[][2] = {
    { "--api-key", "no-colon" },
    { "--service-account", ":secret" },
    { "--port", "70000" },
    { "--time-scale", "-1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = spawn (&error, cases[i][0], cases[i][1], NULL);

      g_assert_no_error (error);
      wait_exit (process);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);

  g_test_add_func ("/sim-exe/sigterm", test_exe_sigterm);
  g_test_add_func ("/sim-exe/sigint", test_exe_sigint);
  g_test_add_func ("/sim-exe/bad-arguments", test_exe_bad_arguments);

  return g_test_run ();
}
