/* test-draft.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kl-atlas-client.h"
#include "kl-azure-id.h"
#include "kl-setup-answers.h"
#include "kl-sim.h"
#include "kl-test-widget.h"
#include "pages/azure-app/kl-azure-app-page.h"
#include "pages/key-vault/kl-key-vault-page.h"
#include "pages/review/kl-review-page.h"

/* The draft of the Azure answers (kl-setup-answers.c): kept in GSettings per project as the
 * user types, never with the secret, restored into the pages for the same project only,
 * through the pages' own checks, and gone once Enable went through. */

#define TIMEOUT_MS 5000
#define DRAFTS_KEY "azure-drafts"

#define GROUP           "65f0000000000000000000d1"
#define OTHER_GROUP     "65f0000000000000000000d2"
#define KEY_ID_CHINA    "https://contoso-keys.vault.azure.cn/keys/atlas-cmk/" \
                        "0123456789abcdef0123456789abcdef"

#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000d1af"
#define SA_SECRET       "mdb_sa_sk_draftdraftdraftdraftdraftdraftdr"

#define RESTORED_CAPTION "Restored from your last session. Type the client secret again."

typedef struct
{
  GSettings      *settings;
  GSettings      *app_settings;   /* as the window's: in delay-apply mode */
  KlSetupAnswers *answers;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, DRAFTS_KEY);
  /* The window delays its own writes (g_settings_delay()): drafts must not wait for them. */
  fixture->app_settings = g_settings_new (APP_ID);
  g_settings_delay (fixture->app_settings);
  fixture->answers = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (fixture->answers, fixture->app_settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->answers);
  g_assert_false (g_settings_get_has_unapplied (fixture->app_settings));
  g_assert_finalize_object (fixture->app_settings);
  g_settings_reset (fixture->settings, DRAFTS_KEY);
  g_assert_finalize_object (fixture->settings);
}

/* @group_id's stored draft, or NULL. */
static GVariant *
stored_draft (GSettings  *settings,
              const char *group_id)
{
  g_autoptr(GVariant) drafts = g_settings_get_value (settings, DRAFTS_KEY);

  return g_variant_lookup_value (drafts, group_id, G_VARIANT_TYPE ("a{ss}"));
}

static gboolean
has_draft (GSettings  *settings,
           const char *group_id)
{
  g_autoptr(GVariant) draft = stored_draft (settings, group_id);

  return draft != NULL;
}

static char *
stored_value (GSettings  *settings,
              const char *group_id,
              const char *name)
{
  g_autoptr(GVariant) draft = stored_draft (settings, group_id);
  char *value = NULL;

  if (draft != NULL && g_variant_lookup (draft, name, "s", &value))
    return value;

  return NULL;
}

typedef struct
{
  GSettings  *settings;
  const char *group_id;
  const char *name;
  const char *value;
} StoredWait;

static gboolean
is_stored (gpointer user_data)
{
  StoredWait *wait = user_data;
  g_autofree char *value = stored_value (wait->settings, wait->group_id, wait->name);

  return g_strcmp0 (value, wait->value) == 0;
}

static gboolean
wait_stored (GSettings  *settings,
             const char *group_id,
             const char *name,
             const char *value)
{
  StoredWait wait = { settings, group_id, name, value };

  return kl_test_wait_until (is_stored, &wait, TIMEOUT_MS);
}

static void
assert_no_secret_stored (GSettings *settings)
{
  g_autoptr(GVariant) drafts = g_settings_get_value (settings, DRAFTS_KEY);
  g_autofree char *text = g_variant_print (drafts, TRUE);

  g_assert_null (strstr (text, KL_TEST_CLIENT_SECRET));
  g_assert_null (strstr (text, "client-secret"));
}

static void
fill (KlSetupAnswers *answers)
{
  kl_setup_answers_set_azure_environment (answers, "AZURE_CHINA");
  kl_setup_answers_set_tenant_id (answers, KL_TEST_TENANT_ID);
  kl_setup_answers_set_client_id (answers, KL_TEST_CLIENT_ID);
  kl_setup_answers_set_client_secret (answers, KL_TEST_CLIENT_SECRET);
  kl_setup_answers_set_subscription_id (answers, KL_TEST_SUBSCRIPTION_ID);
  kl_setup_answers_set_resource_group (answers, KL_TEST_RESOURCE_GROUP);
  kl_setup_answers_set_key_vault_name (answers, KL_TEST_VAULT);
  kl_setup_answers_set_key_identifier (answers, KEY_ID_CHINA);
}

static void
assert_filled (KlSetupAnswers *answers)
{
  g_assert_cmpstr (kl_setup_answers_get_azure_environment (answers), ==, "AZURE_CHINA");
  g_assert_cmpstr (kl_setup_answers_get_tenant_id (answers), ==, KL_TEST_TENANT_ID);
  g_assert_cmpstr (kl_setup_answers_get_client_id (answers), ==, KL_TEST_CLIENT_ID);
  g_assert_cmpstr (kl_setup_answers_get_subscription_id (answers), ==, KL_TEST_SUBSCRIPTION_ID);
  g_assert_cmpstr (kl_setup_answers_get_resource_group (answers), ==, KL_TEST_RESOURCE_GROUP);
  g_assert_cmpstr (kl_setup_answers_get_key_vault_name (answers), ==, KL_TEST_VAULT);
  g_assert_cmpstr (kl_setup_answers_get_key_identifier (answers), ==, KEY_ID_CHINA);
}

static void
assert_empty (KlSetupAnswers *answers)
{
  g_assert_cmpstr (kl_setup_answers_get_azure_environment (answers), ==, "AZURE");
  g_assert_null (kl_setup_answers_get_tenant_id (answers));
  g_assert_null (kl_setup_answers_get_client_id (answers));
  g_assert_null (kl_setup_answers_get_subscription_id (answers));
  g_assert_null (kl_setup_answers_get_resource_group (answers));
  g_assert_null (kl_setup_answers_get_key_vault_name (answers));
  g_assert_null (kl_setup_answers_get_key_identifier (answers));
  g_assert_false (kl_setup_answers_get_has_client_secret (answers));
  g_assert_false (kl_setup_answers_get_draft_restored (answers));
}

/* A change is written shortly, without the secret, and comes back for the same project. */
static void
test_save_restore (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) again = NULL;

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  g_assert_false (kl_setup_answers_get_draft_restored (fixture->answers));

  /* Answers set without the user (the server's, the demo's) are no draft. */
  fill (fixture->answers);
  g_assert_false (has_draft (fixture->settings, GROUP));

  kl_setup_answers_draft_changed (fixture->answers);
  g_assert_true (wait_stored (fixture->settings, GROUP, "key-identifier", KEY_ID_CHINA));
  assert_no_secret_stored (fixture->settings);

  /* Started again. */
  again = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (again, fixture->settings);
  kl_setup_answers_open_draft (again, GROUP, FALSE);
  assert_filled (again);
  g_assert_false (kl_setup_answers_get_has_client_secret (again));
  g_assert_true (kl_setup_answers_get_draft_restored (again));

  /* The same project again restores nothing over newer answers. */
  kl_setup_answers_set_tenant_id (again, NULL);
  kl_setup_answers_open_draft (again, GROUP, FALSE);
  g_assert_null (kl_setup_answers_get_tenant_id (again));
}

/* Closing writes what the timer had not yet; so does the answers' end. */
static void
test_flush (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) other = kl_setup_answers_new ();

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  kl_setup_answers_set_tenant_id (fixture->answers, KL_TEST_TENANT_ID);
  kl_setup_answers_draft_changed (fixture->answers);
  g_assert_false (has_draft (fixture->settings, GROUP));
  kl_setup_answers_flush_draft (fixture->answers);
  g_assert_true (is_stored (&(StoredWait) { fixture->settings, GROUP, "tenant-id",
                                            KL_TEST_TENANT_ID }));

  kl_setup_answers_set_draft_settings (other, fixture->settings);
  kl_setup_answers_open_draft (other, OTHER_GROUP, FALSE);
  kl_setup_answers_set_client_id (other, KL_TEST_CLIENT_ID);
  kl_setup_answers_draft_changed (other);
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_true (is_stored (&(StoredWait) { fixture->settings, OTHER_GROUP, "client-id",
                                            KL_TEST_CLIENT_ID }));
}

/* At most 20 drafts: writing one more drops the one written longest ago; writing a project's
 * draft again makes it the newest. */
static void
test_capped (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GVariant) drafts = NULL;
  char group[32];

  for (guint i = 1; i <= 25; i++)
    {
      g_snprintf (group, sizeof group, "65f000000000000000000e%02u", i);
      kl_setup_answers_open_draft (fixture->answers, group, FALSE);
      kl_setup_answers_set_tenant_id (fixture->answers, KL_TEST_TENANT_ID);
      kl_setup_answers_draft_changed (fixture->answers);
      kl_setup_answers_flush_draft (fixture->answers);
    }

  drafts = g_settings_get_value (fixture->settings, DRAFTS_KEY);
  g_assert_cmpuint (g_variant_n_children (drafts), ==, 20);
  g_assert_false (has_draft (fixture->settings, "65f000000000000000000e05"));
  g_assert_true (has_draft (fixture->settings, "65f000000000000000000e06"));
  g_assert_true (has_draft (fixture->settings, "65f000000000000000000e25"));

  /* e06 typed in again: e07 is now the oldest, and goes with the next new one. */
  kl_setup_answers_open_draft (fixture->answers, "65f000000000000000000e06", FALSE);
  kl_setup_answers_set_client_id (fixture->answers, KL_TEST_CLIENT_ID);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);
  kl_setup_answers_open_draft (fixture->answers, "65f000000000000000000e26", FALSE);
  kl_setup_answers_set_tenant_id (fixture->answers, KL_TEST_TENANT_ID);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);

  g_clear_pointer (&drafts, g_variant_unref);
  drafts = g_settings_get_value (fixture->settings, DRAFTS_KEY);
  g_assert_cmpuint (g_variant_n_children (drafts), ==, 20);
  g_assert_true (has_draft (fixture->settings, "65f000000000000000000e06"));
  g_assert_false (has_draft (fixture->settings, "65f000000000000000000e07"));
  g_assert_true (has_draft (fixture->settings, "65f000000000000000000e26"));
}

/* One project's draft never shows for another; a pending change stays with its project. */
static void
test_other_project (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) again = NULL;
  g_autofree char *other_tenant = NULL;

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  fill (fixture->answers);
  kl_setup_answers_draft_changed (fixture->answers);

  /* Another project is chosen before the draft was written; its answers come in. */
  kl_setup_answers_open_draft (fixture->answers, OTHER_GROUP, FALSE);
  g_assert_false (kl_setup_answers_get_draft_restored (fixture->answers));
  kl_setup_answers_set_tenant_id (fixture->answers, "11111111-2222-4333-8444-555555555555");
  kl_setup_answers_flush_draft (fixture->answers);
  g_assert_true (is_stored (&(StoredWait) { fixture->settings, GROUP, "tenant-id",
                                            KL_TEST_TENANT_ID }));
  g_assert_false (has_draft (fixture->settings, OTHER_GROUP));

  again = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (again, fixture->settings);
  kl_setup_answers_open_draft (again, OTHER_GROUP, FALSE);
  assert_empty (again);

  /* Back to the first project: its draft. */
  kl_setup_answers_open_draft (again, GROUP, FALSE);
  assert_filled (again);
  g_assert_true (kl_setup_answers_get_draft_restored (again));
  other_tenant = stored_value (fixture->settings, OTHER_GROUP, "tenant-id");
  g_assert_null (other_tenant);
}

/* Enable went through, the project is set up, or its key is turned off: the draft goes. */
static void
test_discard (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) again = NULL;

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  fill (fixture->answers);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);
  kl_setup_answers_open_draft (fixture->answers, OTHER_GROUP, FALSE);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);
  g_assert_true (has_draft (fixture->settings, GROUP));
  g_assert_true (has_draft (fixture->settings, OTHER_GROUP));

  /* Set up (by Keylink elsewhere, or another tool): opened, it is removed, not restored. */
  again = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (again, fixture->settings);
  kl_setup_answers_open_draft (again, GROUP, TRUE);
  assert_empty (again);
  g_assert_false (has_draft (fixture->settings, GROUP));
  g_assert_true (has_draft (fixture->settings, OTHER_GROUP));

  /* Enable went through: a change still pending is not written after. */
  kl_setup_answers_open_draft (fixture->answers, OTHER_GROUP, FALSE);
  kl_setup_answers_set_client_id (fixture->answers, KL_TEST_CLIENT_ID);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_discard_draft (fixture->answers, OTHER_GROUP);
  kl_setup_answers_flush_draft (fixture->answers);
  g_assert_false (has_draft (fixture->settings, OTHER_GROUP));

  /* A restored draft discarded: the answers are no longer “restored”. */
  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);
  g_clear_object (&again);
  again = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (again, fixture->settings);
  kl_setup_answers_open_draft (again, GROUP, FALSE);
  g_assert_true (kl_setup_answers_get_draft_restored (again));
  kl_setup_answers_discard_draft (again, GROUP);
  g_assert_false (kl_setup_answers_get_draft_restored (again));
  g_assert_false (has_draft (fixture->settings, GROUP));
}

/* Without settings (the demo) or without a project, nothing is kept. */
static void
test_no_draft (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) answers = kl_setup_answers_new ();
  g_autoptr(GVariant) drafts = NULL;

  kl_setup_answers_open_draft (answers, GROUP, FALSE);
  fill (answers);
  kl_setup_answers_draft_changed (answers);
  kl_setup_answers_flush_draft (answers);

  kl_setup_answers_open_draft (fixture->answers, NULL, FALSE);
  fill (fixture->answers);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);

  drafts = g_settings_get_value (fixture->settings, DRAFTS_KEY);
  g_assert_cmpuint (g_variant_n_children (drafts), ==, 0);
}

/* Stored values no page would have stored (edited by hand, an older version): unknown
 * environments and fields, empty and over-long values are left out; the secret never comes
 * back from a draft, even one that names it. */
static void
test_invalid_stored (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *long_value = g_strnfill (4096, 'a');
  g_auto(GVariantBuilder) drafts = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sa{ss}}"));
  g_auto(GVariantBuilder) draft = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));

  g_variant_builder_add (&draft, "{ss}", "azure-environment", "AZURE_MARS");
  g_variant_builder_add (&draft, "{ss}", "tenant-id", "not-a-guid");
  g_variant_builder_add (&draft, "{ss}", "client-id", "");
  g_variant_builder_add (&draft, "{ss}", "client-secret", KL_TEST_CLIENT_SECRET);
  g_variant_builder_add (&draft, "{ss}", "resource-group", long_value);
  g_variant_builder_add (&draft, "{ss}", "key-identifier", "https://evil.example/keys/x/y");
  g_variant_builder_add (&draft, "{ss}", "favourite-colour", "blue");
  g_variant_builder_add (&drafts, "{s@a{ss}}", GROUP, g_variant_builder_end (&draft));
  g_settings_set_value (fixture->settings, DRAFTS_KEY, g_variant_builder_end (&drafts));

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  g_assert_true (kl_setup_answers_get_draft_restored (fixture->answers));
  g_assert_cmpstr (kl_setup_answers_get_azure_environment (fixture->answers), ==, "AZURE");
  g_assert_cmpstr (kl_setup_answers_get_tenant_id (fixture->answers), ==, "not-a-guid");
  g_assert_null (kl_setup_answers_get_client_id (fixture->answers));
  g_assert_false (kl_setup_answers_get_has_client_secret (fixture->answers));
  g_assert_null (kl_setup_answers_get_resource_group (fixture->answers));
  g_assert_cmpstr (kl_setup_answers_get_key_identifier (fixture->answers), ==,
                   "https://evil.example/keys/x/y");

  /* An empty draft is no draft. */
  g_settings_set_value (fixture->settings, DRAFTS_KEY,
                        g_variant_new_parsed ("{%s: @a{ss} {}}", OTHER_GROUP));
  kl_setup_answers_open_draft (fixture->answers, OTHER_GROUP, FALSE);
  g_assert_false (kl_setup_answers_get_draft_restored (fixture->answers));
}

/* ---- The pages ------------------------------------------------------------------------ */

static GtkWindow *
show_in_window (KlPage *page)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  /* As in the app: sized, and scrolled (wrapped labels need a width). */
  gtk_window_set_default_size (window, 720, 720);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (page));
  gtk_window_set_child (window, scrolled);
  g_assert_true (kl_test_window_show (window));
  return window;
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
restored_caption_shown (KlPage *page)
{
  GtkWidget *label = kl_test_find_by_label (GTK_WIDGET (page), RESTORED_CAPTION);

  g_assert_nonnull (label);
  return gtk_widget_is_drawable (label);
}

/* What the user types on both pages is stored (the secret is not); a new window's pages
 * show it again, with the caption asking for the secret. */
static void
test_pages_type_and_restore (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(KlSetupAnswers) again = NULL;
  GtkWindow *app_window, *vault_window;
  KlPage *app_page, *vault_page;
  AdwComboRow *environment;

  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);
  app_page = kl_test_prepare_page (kl_prepare_azure_app_page, NULL, fixture->answers, NULL);
  app_window = show_in_window (app_page);
  g_assert_false (restored_caption_shown (app_page));

  environment = ADW_COMBO_ROW (kl_test_find_by_type (GTK_WIDGET (app_page), ADW_TYPE_COMBO_ROW));
  adw_combo_row_set_selected (environment, 1);
  kl_test_type_text (kl_test_find_entry (app_page, "Directory (Tenant) ID"), KL_TEST_TENANT_ID);
  kl_test_type_text (kl_test_find_entry (app_page, "Application (Client) ID"), KL_TEST_CLIENT_ID);
  kl_test_type_text (kl_test_find_entry (app_page, "Client Secret Value"), KL_TEST_CLIENT_SECRET);
  g_assert_true (wait_stored (fixture->settings, GROUP, "client-id", KL_TEST_CLIENT_ID));
  g_assert_true (wait_stored (fixture->settings, GROUP, "azure-environment", "AZURE_CHINA"));

  vault_page = kl_test_prepare_page (kl_prepare_key_vault_page, NULL, fixture->answers, NULL);
  vault_window = show_in_window (vault_page);
  kl_test_type_text (kl_test_find_entry (vault_page, "Subscription ID"), KL_TEST_SUBSCRIPTION_ID);
  kl_test_type_text (kl_test_find_entry (vault_page, "Resource Group"), KL_TEST_RESOURCE_GROUP);
  /* The vault name comes from the key identifier. */
  kl_test_type_text (kl_test_find_entry (vault_page, "Key Identifier"), KEY_ID_CHINA);
  g_assert_true (wait_stored (fixture->settings, GROUP, "key-identifier", KEY_ID_CHINA));
  g_assert_true (wait_stored (fixture->settings, GROUP, "key-vault-name", KL_TEST_VAULT));
  g_assert_true (kl_page_get_complete (app_page));
  g_assert_true (kl_page_get_complete (vault_page));
  assert_no_secret_stored (fixture->settings);

  gtk_window_destroy (app_window);
  gtk_window_destroy (vault_window);

  /* Started again: the pages show the draft; the secret is asked for again. */
  again = kl_setup_answers_new ();
  kl_setup_answers_set_draft_settings (again, fixture->settings);
  kl_setup_answers_open_draft (again, GROUP, FALSE);
  app_page = kl_test_prepare_page (kl_prepare_azure_app_page, NULL, again, NULL);
  app_window = show_in_window (app_page);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (kl_test_find_by_type (
                      GTK_WIDGET (app_page), ADW_TYPE_COMBO_ROW))), ==, 1);
  g_assert_cmpstr (row_text (kl_test_find_entry (app_page, "Directory (Tenant) ID")), ==,
                   KL_TEST_TENANT_ID);
  g_assert_cmpstr (row_text (kl_test_find_entry (app_page, "Application (Client) ID")), ==,
                   KL_TEST_CLIENT_ID);
  g_assert_cmpstr (row_text (kl_test_find_entry (app_page, "Client Secret Value")), ==, "");
  g_assert_null (kl_test_caption_text (kl_test_find_entry (app_page, "Directory (Tenant) ID")));
  g_assert_true (restored_caption_shown (app_page));
  g_assert_false (kl_page_get_complete (app_page));

  vault_page = kl_test_prepare_page (kl_prepare_key_vault_page, NULL, again, NULL);
  vault_window = show_in_window (vault_page);
  g_assert_cmpstr (row_text (kl_test_find_entry (vault_page, "Subscription ID")), ==,
                   KL_TEST_SUBSCRIPTION_ID);
  g_assert_cmpstr (row_text (kl_test_find_entry (vault_page, "Resource Group")), ==,
                   KL_TEST_RESOURCE_GROUP);
  g_assert_cmpstr (row_text (kl_test_find_entry (vault_page, "Key Vault Name")), ==, KL_TEST_VAULT);
  g_assert_cmpstr (row_text (kl_test_find_entry (vault_page, "Key Identifier")), ==, KEY_ID_CHINA);
  g_assert_null (kl_test_caption_text (kl_test_find_entry (vault_page, "Key Identifier")));
  g_assert_true (kl_page_get_complete (vault_page));

  /* The secret typed again: the caption has said what it had to. */
  kl_test_type_text (kl_test_find_entry (app_page, "Client Secret Value"), KL_TEST_CLIENT_SECRET);
  g_assert_false (restored_caption_shown (app_page));
  g_assert_true (kl_page_get_complete (app_page));

  /* Read-only (the server's answers): no caption. */
  gtk_editable_set_text (GTK_EDITABLE (kl_test_find_entry (app_page, "Client Secret Value")), "");
  g_assert_true (restored_caption_shown (app_page));
  kl_page_set_read_only (app_page, TRUE);
  g_assert_false (restored_caption_shown (app_page));

  gtk_window_destroy (app_window);
  gtk_window_destroy (vault_window);
}

/* A bad stored value shows the message a typed one would, and the page is not complete. */
static void
test_pages_invalid_stored (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) tenant_error = NULL;
  g_autoptr(GError) vault_error = NULL;
  g_autoptr(GVariant) drafts = NULL;
  GtkWindow *app_window, *vault_window;
  KlPage *app_page, *vault_page;

  g_assert_false (kl_azure_check_tenant_id ("not-a-guid", &tenant_error));
  g_assert_false (kl_azure_check_vault_name ("-bad--vault-", &vault_error));

  drafts = g_variant_new_parsed ("{%s: {'tenant-id': 'not-a-guid', 'client-id': %s, "
                                 "'key-vault-name': '-bad--vault-', 'azure-environment': 'X'}}",
                                 GROUP, KL_TEST_CLIENT_ID);
  g_settings_set_value (fixture->settings, DRAFTS_KEY, g_steal_pointer (&drafts));
  kl_setup_answers_open_draft (fixture->answers, GROUP, FALSE);

  app_page = kl_test_prepare_page (kl_prepare_azure_app_page, NULL, fixture->answers, NULL);
  app_window = show_in_window (app_page);
  g_assert_cmpstr (row_text (kl_test_find_entry (app_page, "Directory (Tenant) ID")), ==,
                   "not-a-guid");
  g_assert_cmpstr (kl_test_caption_text (kl_test_find_entry (app_page,
                                                            "Directory (Tenant) ID")),
                   ==, tenant_error->message);
  g_assert_null (kl_test_caption_text (kl_test_find_entry (app_page, "Application (Client) ID")));
  g_assert_false (kl_page_get_complete (app_page));
  g_assert_true (restored_caption_shown (app_page));

  vault_page = kl_test_prepare_page (kl_prepare_key_vault_page, NULL, fixture->answers, NULL);
  vault_window = show_in_window (vault_page);
  g_assert_cmpstr (row_text (kl_test_find_entry (vault_page, "Key Vault Name")), ==,
                   "-bad--vault-");
  g_assert_cmpstr (kl_test_caption_text (kl_test_find_entry (vault_page, "Key Vault Name")),
                   ==, vault_error->message);
  g_assert_false (kl_page_get_complete (vault_page));

  /* Corrected as typed: the draft takes the good value. */
  kl_test_type_text (kl_test_find_entry (app_page, "Directory (Tenant) ID"), KL_TEST_TENANT_ID);
  g_assert_null (kl_test_caption_text (kl_test_find_entry (app_page, "Directory (Tenant) ID")));
  g_assert_true (wait_stored (fixture->settings, GROUP, "tenant-id", KL_TEST_TENANT_ID));

  gtk_window_destroy (app_window);
  gtk_window_destroy (vault_window);
}

/* ---- Enable ---------------------------------------------------------------------------- */

static gboolean
not_applying (gpointer user_data)
{
  return !kl_page_get_applying (KL_PAGE (user_data));
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  if (!kl_page_apply_finish (KL_PAGE (object), result, error) && *error == NULL)
    g_assert_not_reached ();
}

static void
enable (KlPage       *review,
        GError      **error)
{
  kl_page_apply_async (review, NULL, apply_cb, error);
  g_assert_true (kl_test_wait_until (not_applying, review, TIMEOUT_MS));
}

/* Enable goes through: Atlas holds the answers, the draft goes. When Atlas refuses, the
 * draft stays for the correction. */
static void
test_enable_discards (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSim) sim = kl_sim_new ();
  g_autoptr(KlAtlasClient) client = NULL;
  KlPage *review;
  GtkWindow *window;

  kl_sim_add_service_account (sim, SA_CLIENT_ID, SA_SECRET);
  g_assert_true (kl_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  client = kl_atlas_client_new (kl_sim_get_base_url (sim), KL_AUTH_SERVICE_ACCOUNT,
                                SA_CLIENT_ID, SA_SECRET, &error);
  g_assert_no_error (error);
  kl_atlas_client_set_retry_policy (client, 1, 10, 10);

  kl_setup_answers_open_draft (fixture->answers, KL_SIM_GROUP_READY, FALSE);
  fill (fixture->answers);
  kl_setup_answers_set_azure_environment (fixture->answers, "AZURE");
  kl_setup_answers_set_key_identifier (fixture->answers, KL_TEST_KEY_ID);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_flush_draft (fixture->answers);
  /* Another project's draft is not touched. */
  kl_setup_answers_open_draft (fixture->answers, OTHER_GROUP, FALSE);
  kl_setup_answers_draft_changed (fixture->answers);
  kl_setup_answers_open_draft (fixture->answers, KL_SIM_GROUP_READY, FALSE);
  g_assert_true (has_draft (fixture->settings, KL_SIM_GROUP_READY));
  g_assert_true (has_draft (fixture->settings, OTHER_GROUP));

  review = kl_test_prepare_page (kl_prepare_review_page, NULL, fixture->answers, NULL);
  window = show_in_window (review);
  kl_review_page_set_project (KL_REVIEW_PAGE (review), client, KL_SIM_GROUP_READY);
  kl_review_page_set_verify_policy (KL_REVIEW_PAGE (review), 2, 20);

  /* Refused (bad Azure credentials): nothing is held by Atlas, the draft stays. */
  kl_setup_answers_set_client_id (fixture->answers, KL_SIM_BAD_AZURE_CLIENT_ID);
  enable (review, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (has_draft (fixture->settings, KL_SIM_GROUP_READY));

  kl_setup_answers_set_client_id (fixture->answers, KL_TEST_CLIENT_ID);
  enable (review, &error);
  g_assert_no_error (error);
  g_assert_false (has_draft (fixture->settings, KL_SIM_GROUP_READY));
  g_assert_true (has_draft (fixture->settings, OTHER_GROUP));

  kl_review_page_set_project (KL_REVIEW_PAGE (review), NULL, NULL);
  gtk_window_destroy (window);
  kl_sim_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  kl_test_widget_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/draft/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("save-restore", test_save_restore);
  ADD ("flush", test_flush);
  ADD ("other-project", test_other_project);
  ADD ("capped", test_capped);
  ADD ("discard", test_discard);
  ADD ("no-draft", test_no_draft);
  ADD ("invalid-stored", test_invalid_stored);
  ADD ("pages/type-and-restore", test_pages_type_and_restore);
  ADD ("pages/invalid-stored", test_pages_invalid_stored);
  ADD ("enable-discards", test_enable_discards);

#undef ADD

  return g_test_run ();
}
