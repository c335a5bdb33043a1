/* fuzz-atlas-endpoint.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kl-atlas-types.h"

#include "fuzz-atlas-common.h"

/* libFuzzer target for kl_private_endpoint_parse() and kl_private_endpoint_parse_page().
 * Beyond the sanitizers it aborts when a promise breaks: a model or a KL_ERROR_BAD_RESPONSE;
 * a valid id; every string UTF-8; the status and its text agree both ways (an unknown value
 * is KL_ENDPOINT_STATUS_UNKNOWN and keeps its text). */

static void
check_endpoint (gpointer model)
{
  KlPrivateEndpoint *endpoint = model;
  KlEndpointStatus status = kl_private_endpoint_get_status (endpoint);
  const char *text = kl_private_endpoint_get_status_text (endpoint);
  g_autofree char *id = NULL;
  g_autofree char *status_text = NULL;
  KlEndpointStatus status_property;

  REQUIRE (kl_atlas_id_is_valid (kl_private_endpoint_get_id (endpoint)));
  REQUIRE_TEXT (kl_private_endpoint_get_region_name (endpoint));
  REQUIRE_TEXT (kl_private_endpoint_get_cloud_provider (endpoint));
  REQUIRE_TEXT (text);
  REQUIRE_TEXT (kl_private_endpoint_get_error_message (endpoint));
  REQUIRE_TEXT (kl_private_endpoint_get_private_endpoint_connection_name (endpoint));

  REQUIRE (kl_endpoint_status_from_string (text) == status);
  if (status != KL_ENDPOINT_STATUS_UNKNOWN)
    REQUIRE (g_strcmp0 (kl_endpoint_status_to_string (status), text) == 0);
  else
    REQUIRE (kl_endpoint_status_to_string (status) == NULL);

  g_object_get (endpoint, "id", &id, "status", &status_property, "status-text", &status_text,
                NULL);
  REQUIRE (g_strcmp0 (id, kl_private_endpoint_get_id (endpoint)) == 0);
  REQUIRE (status_property == status);
  REQUIRE (g_strcmp0 (status_text, text) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  return fuzz_model_parsers (data, size, (FuzzParseFunc) kl_private_endpoint_parse,
                             kl_private_endpoint_parse_page, check_endpoint);
}
