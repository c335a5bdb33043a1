/* test-live-check.c — what the live check reports and what it fails on (kl-live-common.h).
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kl-live-common.h"

#define GROUP_PATH "/api/atlas/v2/groups/65f0000000000000000000a1"
#define VENDOR     "application/vnd.atlas.2023-01-01+json;charset=utf-8"

static KlLiveChecker *
new_checker (void)
{
  g_autoptr(GError) error = NULL;
  KlLiveChecker *checker = kl_live_checker_new (KL_LIVE_SPEC_DIR, KL_LIVE_CATALOGUE, &error);

  g_assert_no_error (error);
  return checker;
}

static gboolean
check (KlLiveChecker *checker,
       const char    *path,
       guint          status,
       const char    *content_type,
       const char    *error_code,
       const char    *body,
       GPtrArray     *notes,
       GError       **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return kl_live_checker_check (checker, "GET", path, status, content_type, error_code, bytes,
                                notes, error);
}

static gboolean
has_note (GPtrArray  *notes,
          const char *text)
{
  for (guint i = 0; i < notes->len; i++)
    if (strstr (g_ptr_array_index (notes, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* A newer Atlas: a member and an enum value the extract lacks are notes, not failures. */
static void
test_unknown_is_noted (void)
{
  g_autoptr(KlLiveChecker) checker = new_checker ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (check (checker, GROUP_PATH "/encryptionAtRest/AZURE/privateEndpoints/"
                                 "65f0000000000000000000e1", 200, VENDOR, NULL,
                        "{\"cloudProvider\":\"AZURE\",\"id\":\"65f0000000000000000000e1\","
                        "\"regionName\":\"US_EAST_2\",\"status\":\"SOMETHING_NEW\","
                        "\"newMember\":{\"a\":1}}", notes, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < notes->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (notes, i));
  g_assert_true (has_note (notes, "unknown field $.newMember in GET "
                                  "/api/atlas/v2/groups/{id}/encryptionAtRest/AZURE/"
                                  "privateEndpoints/{id}"));
  g_assert_true (has_note (notes, "unknown enum value SOMETHING_NEW at $.status"));
  g_assert_cmpuint (notes->len, ==, 2);
}

/* A known member that breaks its schema fails. */
static void
test_violation_fails (void)
{
  g_autoptr(KlLiveChecker) checker = new_checker ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_false (check (checker, GROUP_PATH "/encryptionAtRest/AZURE/privateEndpoints/"
                                  "65f0000000000000000000e1", 200, VENDOR, NULL,
                         "{\"cloudProvider\":\"AZURE\",\"id\":\"not-an-id\","
                         "\"regionName\":\"US_EAST_2\",\"status\":\"ACTIVE\"}", notes, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "$.id"));
}

/* Error codes against the catalogue; a 401 without errorCode as Atlas sends it. */
static void
test_error_codes (void)
{
  g_autoptr(KlLiveChecker) checker = new_checker ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_live_checker_knows_code (checker, "CANNOT_DISABLE_ENCRYPTION_AT_REST"));
  g_assert_true (check (checker, GROUP_PATH "/clusters/x", 400, "application/json",
                        "BRAND_NEW_CODE", "{\"detail\":\"d\",\"error\":400,\"errorCode\":"
                        "\"BRAND_NEW_CODE\",\"parameters\":[],\"reason\":\"Bad Request\"}",
                        notes, &error));
  g_assert_no_error (error);
  g_assert_true (has_note (notes, "unknown error code BRAND_NEW_CODE (X-Error-Code)"));

  g_assert_true (check (checker, GROUP_PATH, 401, "application/json", NULL,
                        "{\"error\":401,\"reason\":\"Unauthorized\",\"detail\":\"You are not "
                        "authorized for this resource.\"}", notes, &error));
  g_assert_no_error (error);
  g_assert_true (has_note (notes, "401 without errorCode"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *spec = g_build_filename (KL_LIVE_SPEC_DIR, "atlas-admin-v2-subset.json", NULL);

  g_test_init (&argc, &argv, NULL);
  if (!g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP the Atlas spec as JSON was not built (no PyYAML at configure "
               "time)\n");
      return 0;
    }

  g_test_add_func ("/live/check/unknown-is-noted", test_unknown_is_noted);
  g_test_add_func ("/live/check/violation-fails", test_violation_fails);
  g_test_add_func ("/live/check/error-codes", test_error_codes);

  return g_test_run ();
}
