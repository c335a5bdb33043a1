/* test-flow-model.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The flow without a window: its pages and their order, where the setup resumes for each
 * stage of a project, and which pages each flow shows. */

#include "config.h"

#include "kl-flow.h"

static KlPlan *
plan_at_other_provider (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlEncryptionAtRest) ear =
    kl_encryption_at_rest_parse ("{\"awsKms\":{\"enabled\":true},\"azureKeyVault\":null}", -1,
                                 &error);

  g_assert_no_error (error);
  return kl_plan_new (ear, NULL, NULL);
}

static void
test_flow_order (void)
{
  g_autoptr(KlFlow) flow = kl_flow_new ();
  const char * const expected[] = {
    KL_PAGE_WELCOME, KL_PAGE_SIGN_IN, KL_PAGE_PROJECT, KL_PAGE_AZURE_APP, KL_PAGE_KEY_VAULT,
    KL_PAGE_REVIEW, KL_PAGE_PRIVATE_NETWORKING, KL_PAGE_ENDPOINTS, KL_PAGE_CLUSTERS,
    KL_PAGE_ROTATE, KL_PAGE_TEARDOWN, KL_PAGE_DONE,
  };
  const char * const expected_setup[] = {
    KL_PAGE_AZURE_APP, KL_PAGE_KEY_VAULT, KL_PAGE_REVIEW, KL_PAGE_PRIVATE_NETWORKING,
    KL_PAGE_ENDPOINTS, KL_PAGE_CLUSTERS, KL_PAGE_DONE, NULL
  };
  const char * const *setup = kl_flow_get_setup_order ();
  guint position = 0;

  g_assert_cmpuint (kl_flow_get_n_pages (flow), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (kl_flow_get_page_id (flow, i), ==, expected[i]);
      g_assert_true (kl_flow_has_page (flow, expected[i]));
    }
  g_assert_false (kl_flow_has_page (flow, "no-such-page"));

  /* The setup's order is the table's, after Project, without the other flows' pages. */
  for (guint i = 0; i < kl_flow_get_n_pages (flow); i++)
    {
      const char *page_id = kl_flow_get_page_id (flow, i);
      KlFlowKind flows = kl_flow_get_page_flows (flow, page_id);

      if (flows == KL_FLOW_ALL || !(flows & KL_FLOW_SETUP))
        continue;
      g_assert_cmpstr (setup[position], ==, page_id);
      position++;
    }
  g_assert_null (setup[position]);
  g_assert_cmpuint (position, ==, 7);
  /* Read from the table, it is the setup's order as the user walks it. */
  g_assert_true (g_strv_equal (setup, expected_setup));
}

static void
test_flow_resume (void)
{
  const struct {
    KlProjectStage  stage;
    const char     *page;
    gboolean        app_read_only;
    gboolean        networking_read_only;
  } cases[] = {
    { KL_PROJECT_STAGE_OTHER_PROVIDER, KL_PAGE_PROJECT,            FALSE, FALSE },
    { KL_PROJECT_STAGE_NOT_CONFIGURED, KL_PAGE_AZURE_APP,          FALSE, FALSE },
    { KL_PROJECT_STAGE_KEY_NOT_VALID,  KL_PAGE_AZURE_APP,          FALSE, FALSE },
    { KL_PROJECT_STAGE_KEY_READY,      KL_PAGE_PRIVATE_NETWORKING, TRUE,  FALSE },
    { KL_PROJECT_STAGE_ENDPOINTS,      KL_PAGE_ENDPOINTS,          TRUE,  TRUE },
    { KL_PROJECT_STAGE_CLUSTERS,       KL_PAGE_CLUSTERS,           TRUE,  TRUE },
    { KL_PROJECT_STAGE_DONE,           KL_PAGE_DONE,               TRUE,  TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KlProjectStage stage = cases[i].stage;

      g_test_message ("stage %d", stage);
      g_assert_cmpstr (kl_flow_get_stage_page (stage), ==, cases[i].page);
      g_assert_cmpint (kl_flow_page_is_read_only (KL_PAGE_AZURE_APP, stage), ==,
                       cases[i].app_read_only);
      g_assert_cmpint (kl_flow_page_is_read_only (KL_PAGE_KEY_VAULT, stage), ==,
                       cases[i].app_read_only);
      g_assert_cmpint (kl_flow_page_is_read_only (KL_PAGE_REVIEW, stage), ==,
                       cases[i].app_read_only);
      g_assert_cmpint (kl_flow_page_is_read_only (KL_PAGE_PRIVATE_NETWORKING, stage), ==,
                       cases[i].networking_read_only);
      /* Endpoints can always be managed; the rest are never answers on the server. */
      g_assert_false (kl_flow_page_is_read_only (KL_PAGE_ENDPOINTS, stage));
      g_assert_false (kl_flow_page_is_read_only (KL_PAGE_CLUSTERS, stage));
      g_assert_false (kl_flow_page_is_read_only (KL_PAGE_DONE, stage));

      /* Another provider's key: nothing after the Project page applies. */
      g_assert_cmpint (kl_flow_page_applies (KL_PAGE_CLUSTERS, stage), ==,
                       stage != KL_PROJECT_STAGE_OTHER_PROVIDER);
      g_assert_cmpint (kl_flow_page_applies (KL_PAGE_AZURE_APP, stage), ==,
                       stage != KL_PROJECT_STAGE_OTHER_PROVIDER);
      g_assert_true (kl_flow_page_applies (KL_PAGE_PROJECT, stage));
      g_assert_true (kl_flow_page_applies (KL_PAGE_ROTATE, stage));
    }
}

static gboolean
hidden (KlFlow     *flow,
        const char *page_id)
{
  return kl_flow_page_is_hidden (flow, page_id, NULL);
}

static void
test_flow_flows (void)
{
  g_autoptr(KlFlow) flow = kl_flow_new ();
  g_autoptr(KlPlan) other = plan_at_other_provider ();

  /* The setup: its pages, not rotation's nor teardown's. */
  g_assert_cmpint (kl_flow_get_current (flow), ==, KL_FLOW_SETUP);
  g_assert_false (hidden (flow, KL_PAGE_WELCOME));
  g_assert_false (hidden (flow, KL_PAGE_SIGN_IN));
  g_assert_false (hidden (flow, KL_PAGE_AZURE_APP));
  g_assert_false (hidden (flow, KL_PAGE_DONE));
  g_assert_true (hidden (flow, KL_PAGE_ROTATE));
  g_assert_true (hidden (flow, KL_PAGE_TEARDOWN));
  g_assert_true (kl_flow_page_follows_plan (flow, KL_PAGE_KEY_VAULT));
  g_assert_false (kl_flow_page_follows_plan (flow, KL_PAGE_PROJECT));
  g_assert_false (kl_flow_page_follows_plan (flow, KL_PAGE_ROTATE));

  /* Another provider's key: the setup's pages go. */
  g_assert_true (kl_flow_page_is_hidden (flow, KL_PAGE_AZURE_APP, other));
  g_assert_true (kl_flow_page_is_hidden (flow, KL_PAGE_DONE, other));
  g_assert_false (kl_flow_page_is_hidden (flow, KL_PAGE_PROJECT, other));

  /* Next from Project skips to where the setup resumes, until it gets there. */
  kl_flow_skip_to (flow, KL_PAGE_ENDPOINTS);
  g_assert_true (kl_flow_get_skipping (flow));
  for (const char * const *p = kl_flow_get_setup_order (); *p != NULL; p++)
    g_assert_cmpint (hidden (flow, *p), ==,
                     !g_str_equal (*p, KL_PAGE_ENDPOINTS) && !g_str_equal (*p, KL_PAGE_CLUSTERS) &&
                     !g_str_equal (*p, KL_PAGE_DONE));
  kl_flow_skip_to (flow, NULL);
  g_assert_false (hidden (flow, KL_PAGE_AZURE_APP));

  /* A rotation, entered from the Project page: rotate and the summary only. */
  kl_flow_skip_to (flow, KL_PAGE_CLUSTERS);
  kl_flow_set_current (flow, KL_FLOW_ROTATE);
  g_assert_false (kl_flow_get_skipping (flow));
  kl_flow_set_entered (flow, KL_PAGE_ROTATE);
  g_assert_false (hidden (flow, KL_PAGE_ROTATE));
  g_assert_false (hidden (flow, KL_PAGE_DONE));
  g_assert_false (hidden (flow, KL_PAGE_PROJECT));
  g_assert_true (hidden (flow, KL_PAGE_AZURE_APP));
  g_assert_true (hidden (flow, KL_PAGE_ENDPOINTS));
  g_assert_true (hidden (flow, KL_PAGE_TEARDOWN));
  /* Left (to the summary): out of the Back order. */
  kl_flow_set_entered (flow, NULL);
  g_assert_true (hidden (flow, KL_PAGE_ROTATE));

  /* Endpoint management: the endpoints page alone, no summary. */
  kl_flow_set_current (flow, KL_FLOW_ENDPOINTS);
  kl_flow_set_entered (flow, KL_PAGE_ENDPOINTS);
  g_assert_false (hidden (flow, KL_PAGE_ENDPOINTS));
  g_assert_true (hidden (flow, KL_PAGE_DONE));
  g_assert_true (hidden (flow, KL_PAGE_CLUSTERS));

  /* A teardown: the teardown page and the summary. */
  kl_flow_set_current (flow, KL_FLOW_TEARDOWN);
  kl_flow_set_entered (flow, KL_PAGE_TEARDOWN);
  g_assert_false (hidden (flow, KL_PAGE_TEARDOWN));
  g_assert_false (hidden (flow, KL_PAGE_DONE));
  g_assert_true (hidden (flow, KL_PAGE_ENDPOINTS));

  /* The demo signs in by itself: no sign-in page. */
  kl_flow_set_current (flow, KL_FLOW_SETUP);
  g_assert_false (hidden (flow, KL_PAGE_SIGN_IN));
  kl_flow_set_demo (flow, TRUE);
  g_assert_true (hidden (flow, KL_PAGE_SIGN_IN));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flow-model/order", test_flow_order);
  g_test_add_func ("/flow-model/resume", test_flow_resume);
  g_test_add_func ("/flow-model/flows", test_flow_flows);

  return g_test_run ();
}
