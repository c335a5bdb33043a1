/* test-sim-exe.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "kl-azure-sim.h"
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

static char *
read_line (GDataInputStream *out)
{
  LineRead read = { FALSE, NULL, NULL };

  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  g_assert_true (kl_test_wait_for_flag (&read.done, 10000));
  g_assert_no_error (read.error);
  g_assert_nonnull (read.line);
  return read.line;
}

/* The value of "NAME=value", asserting the name. */
static char *
line_value (const char *line,
            const char *name)
{
  g_autofree char *prefix = g_strconcat (name, "=http://127.0.0.1:", NULL);

  g_assert_true (g_str_has_prefix (line, prefix));
  return g_strdup (line + strlen (name) + 1);
}

/* --azure: the Atlas URL first as before, then the Azure simulator's three URLs; its
 * control API answers, and its clock is the Atlas simulator's. */
static void
test_exe_azure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SimResponse) answer = NULL;
  g_autofree char *atlas = NULL;
  g_autofree char *login_line = NULL;
  g_autofree char *arm_line = NULL;
  g_autofree char *vault_line = NULL;
  g_autofree char *arm = NULL;
  g_autofree char *vault = NULL;
  g_autofree char *login = NULL;
  SimFixture f = { 0, };
  SimFixture a = { 0, };

  process = spawn (&error, "--port", "0", "--api-key", SIM_PUBLIC_KEY ":" SIM_PRIVATE_KEY,
                   "--time-scale", "1", "--azure", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  atlas = read_line (out);
  g_assert_true (g_str_has_prefix (atlas, "http://127.0.0.1:"));
  login_line = read_line (out);
  arm_line = read_line (out);
  vault_line = read_line (out);
  login = line_value (login_line, "AZURE_LOGIN_URL");
  arm = line_value (arm_line, "AZURE_ARM_URL");
  vault = line_value (vault_line, "AZURE_VAULT_URL_TEMPLATE");
  g_assert_true (g_str_has_suffix (vault, "/{vault}"));
  g_assert_cmpstr (login, !=, arm);

  f.base_url = atlas;
  f.session = sim_new_session ();
  a.base_url = arm;
  a.session = sim_new_session ();

  answer = sim_control (&a, "POST", "/__sim/time-scale", "{\"timeScale\": 0.25}");
  g_assert_cmpuint (answer->status, ==, 200);
  g_clear_pointer (&answer, sim_response_free);
  answer = sim_control (&f, "GET", "/__sim/settings", NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_object (answer), "timeScale"), ==, 0.25);
  g_clear_pointer (&answer, sim_response_free);

  answer = sim_control (&a, "POST", "/__sim/vaults/" KL_AZURE_SIM_VAULT_NAME "/network",
                        "{\"publicNetworkAccess\": \"Disabled\"}");
  g_assert_cmpuint (answer->status, ==, 200);
  g_clear_pointer (&answer, sim_response_free);
  answer = sim_control (&a, "GET", "/__sim/vaults/" KL_AZURE_SIM_VAULT_NAME "/connections", NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_object (answer),
                                                                         "connections")), ==, 0);

  g_subprocess_send_signal (process, SIGTERM);
  wait_exit (process);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  soup_session_abort (f.session);
  g_object_unref (f.session);
  soup_session_abort (a.session);
  g_object_unref (a.session);
}

static void
test_exe_bad_arguments (void)
{
  const char *cases[][2] = {
    { "--api-key", "no-colon" },
    { "--service-account", ":secret" },
    { "--port", "70000" },
    { "--time-scale", "-1" },
    { "--azure-environment", "AZURE_MARS" },
    { "--azure-environment", "AZURE" },  /* without --azure */
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
  g_test_add_func ("/sim-exe/azure", test_exe_azure);

  return g_test_run ();
}
