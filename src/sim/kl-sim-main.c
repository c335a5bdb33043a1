/* kl-sim-main.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "kl-sim.h"

/* keylink-atlas-sim --port 0 --api-key PUBLIC:PRIVATE --service-account ID:SECRET
 *                   --time-scale F [--seed N] [--latency MS] [--azure [--azure-environment E]]
 * Prints the base URL as the first line of stdout (with --azure, then the Azure simulator's
 * three URLs, one a line: AZURE_LOGIN_URL=…, AZURE_ARM_URL=…, AZURE_VAULT_URL_TEMPLATE=…),
 * then serves until SIGTERM or SIGINT. The credentials are the simulator's own made-up ones,
 * never real Atlas or Azure secrets. */

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
split_pair (const char  *value,
            const char  *option,
            char       **first,
            char       **second)
{
  const char *colon = value ? strchr (value, ':') : NULL;

  if (colon == NULL || colon == value || colon[1] == '\0')
    {
      /* Translators: %s is an option such as --api-key. */
      g_printerr (_("keylink-atlas-sim: %s needs two non-empty parts separated by a colon, "
                    "NAME:SECRET.\n"), option);
      return FALSE;
    }
  *first = g_strndup (value, colon - value);
  *second = g_strdup (colon + 1);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSim) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) api_keys = NULL;
  g_auto(GStrv) service_accounts = NULL;
  g_autofree char *azure_environment = NULL;
  gboolean azure = FALSE;
  KlAzureSim *azure_sim = NULL;
  int port = 0;
  int latency = 0;
  double time_scale = 1.0;
  gint64 seed = -1;
  guint sigterm_id;
  guint sigint_id;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port on 127.0.0.1 (0: any free port)"),
      N_("PORT") },
    { "api-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &api_keys,
      N_("Accept this API key with HTTP Digest (repeatable)"), N_("PUBLIC:PRIVATE") },
    { "service-account", 0, 0, G_OPTION_ARG_STRING_ARRAY, &service_accounts,
      N_("Accept this service account for OAuth tokens (repeatable)"), N_("CLIENT_ID:SECRET") },
    { "time-scale", 't', 0, G_OPTION_ARG_DOUBLE, &time_scale,
      N_("Multiply real-life timings by F (0.001: INITIATING lasts 90 ms; 0: a stopped clock)"),
      N_("F") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Seed for ids and probabilistic faults"),
      N_("N") },
    { "latency", 'l', 0, G_OPTION_ARG_INT, &latency, N_("Delay every API request by MS"),
      N_("MS") },
    { "azure", 0, 0, G_OPTION_ARG_NONE, &azure,
      N_("Also simulate Azure (identity platform, ARM, Key Vault), linked to this Atlas"), NULL },
    { "azure-environment", 0, 0, G_OPTION_ARG_STRING, &azure_environment,
      N_("The simulated Azure cloud: AZURE (default), AZURE_CHINA or AZURE_US_GOVERNMENT"),
      N_("ENVIRONMENT") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— a local MongoDB Atlas Admin API for Keylink"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("keylink-atlas-sim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > G_MAXUINT16 || time_scale < 0 || latency < 0)
    {
      g_printerr (_("keylink-atlas-sim: use a --port from 0 to 65535, and a --time-scale and "
                    "--latency that are not negative.\n"));
      return 2;
    }

  if (azure_environment != NULL && g_strcmp0 (azure_environment, "AZURE") != 0
      && g_strcmp0 (azure_environment, "AZURE_CHINA") != 0
      && g_strcmp0 (azure_environment, "AZURE_US_GOVERNMENT") != 0)
    {
      g_printerr (_("keylink-atlas-sim: use an --azure-environment of AZURE, AZURE_CHINA or "
                    "AZURE_US_GOVERNMENT.\n"));
      return 2;
    }
  if (azure_environment != NULL && !azure)
    {
      g_printerr (_("keylink-atlas-sim: --azure-environment needs --azure.\n"));
      return 2;
    }

  sim = kl_sim_new ();
  kl_sim_set_time_scale (sim, time_scale);
  kl_sim_set_latency (sim, latency);
  if (seed >= 0)
    kl_sim_set_seed (sim, (guint64) seed);
  for (guint i = 0; api_keys != NULL && api_keys[i] != NULL; i++)
    {
      g_autofree char *public_key = NULL;
      g_autofree char *private_key = NULL;

      if (!split_pair (api_keys[i], "--api-key", &public_key, &private_key))
        return 2;
      kl_sim_add_api_key (sim, public_key, private_key);
    }
  for (guint i = 0; service_accounts != NULL && service_accounts[i] != NULL; i++)
    {
      g_autofree char *client_id = NULL;
      g_autofree char *secret = NULL;

      if (!split_pair (service_accounts[i], "--service-account", &client_id, &secret))
        return 2;
      kl_sim_add_service_account (sim, client_id, secret);
    }

  if (!kl_sim_start (sim, (guint) port, &error))
    {
      /* Translators: %d is a port number, %s the system's reason. */
      g_printerr (_("keylink-atlas-sim: cannot listen on 127.0.0.1:%d (%s). Choose another "
                    "--port, or 0 for any free one.\n"), port, error->message);
      return 1;
    }
  if (azure && (azure_sim = kl_sim_start_azure_sim (sim, azure_environment, &error)) == NULL)
    {
      /* Translators: %s is the system's reason. */
      g_printerr (_("keylink-atlas-sim: cannot start the Azure simulator (%s).\n"),
                  error->message);
      return 1;
    }
  g_print ("%s\n", kl_sim_get_base_url (sim));
  if (azure_sim != NULL)
    g_print ("AZURE_LOGIN_URL=%s\nAZURE_ARM_URL=%s\nAZURE_VAULT_URL_TEMPLATE=%s\n",
             kl_azure_sim_get_login_url (azure_sim), kl_azure_sim_get_arm_url (azure_sim),
             kl_azure_sim_get_vault_url_template (azure_sim));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  if (azure_sim != NULL)
    kl_azure_sim_stop (azure_sim);
  kl_sim_stop (sim);
  return 0;
}
