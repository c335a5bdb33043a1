/* main.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KlApplication) app = NULL;
  const char *localedir;

  /* KEYLINK_LOCALEDIR: the translations of a build tree (build-aux/run-demo.sh, the tests). */
  localedir = g_getenv ("KEYLINK_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
