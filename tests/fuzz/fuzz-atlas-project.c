/* fuzz-atlas-project.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-atlas-types.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for kl_project_parse() and kl_project_parse_page(), on any bytes. Beyond
 * the sanitizers it aborts when a promise breaks: a model or a KL_ERROR_BAD_RESPONSE, never
 * both nor neither; a project has a valid id and a name; every string is UTF-8; a refused
 * page says there is no next one. */

static void
check_project (gpointer model)
{
  KlProject *project = model;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  gint64 count = 0;

  REQUIRE (kl_atlas_id_is_valid (kl_project_get_id (project)));
  REQUIRE (kl_project_get_name (project) != NULL);
  REQUIRE_TEXT (kl_project_get_name (project));
  REQUIRE_TEXT (kl_project_get_org_id (project));
  REQUIRE_TEXT (kl_project_get_created (project));
  g_object_get (project, "id", &id, "name", &name, "cluster-count", &count, NULL);
  REQUIRE (g_strcmp0 (id, kl_project_get_id (project)) == 0);
  REQUIRE (g_strcmp0 (name, kl_project_get_name (project)) == 0);
  REQUIRE (count == kl_project_get_cluster_count (project));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  return fuzz_model_parsers (data, size, (FuzzParseFunc) kl_project_parse, kl_project_parse_page,
                             check_project);
}
