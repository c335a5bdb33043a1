/* kl-azure-check-dialog.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-check-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-azure-check-dialog.h"
#include "kl-azure-check-view.h"
#include "kl-azure-id.h"

typedef struct
{
  KlContext        *context;
  KlAzureKeyVault  *key_vault;
  AdwEntryRow      *secret_row;    /* NULL when the answers hold the secret */
  GtkButton        *check_button;
  KlAzureCheckView *view;
} Dialog;

static void
dialog_free (Dialog *dialog)
{
  g_clear_object (&dialog->context);
  g_clear_object (&dialog->key_vault);
  g_free (dialog);
}

static const char *
get_secret (Dialog *dialog)
{
  KlSetupAnswers *answers = kl_context_get_answers (dialog->context);

  if (dialog->secret_row != NULL)
    return gtk_editable_get_text (GTK_EDITABLE (dialog->secret_row));
  return answers != NULL ? kl_setup_answers_get_client_secret (answers) : NULL;
}

static void
update_button (Dialog *dialog)
{
  const char *secret = get_secret (dialog);

  gtk_widget_set_sensitive (GTK_WIDGET (dialog->check_button),
                            secret != NULL && secret[0] != '\0');
}

/* The IDs typed in this session first (a new secret goes with them), else Atlas's. */
static const char *
pick (const char *answer,
      const char *server)
{
  return answer != NULL && answer[0] != '\0' ? answer : server;
}

static void
check_clicked_cb (GtkButton *button,
                  Dialog    *dialog)
{
  KlAzureKeyVault *akv = dialog->key_vault;
  g_autoptr(KlAzureClient) client = NULL;
  g_autoptr(KlAzureCheck) check = NULL;
  g_autoptr(KlKeyId) id = NULL;
  g_autoptr(GError) error = NULL;
  KlAzureCloud cloud = KL_AZURE_CLOUD_PUBLIC;
  KlSetupAnswers *answers = kl_context_get_answers (dialog->context);

  kl_azure_cloud_from_environment (kl_azure_key_vault_get_azure_environment (akv), &cloud);
  client = kl_context_create_azure_client (dialog->context, cloud,
                                           pick (answers != NULL ? kl_setup_answers_get_tenant_id (answers) : NULL,
                                                 kl_azure_key_vault_get_tenant_id (akv)),
                                           pick (answers != NULL ? kl_setup_answers_get_client_id (answers) : NULL,
                                                 kl_azure_key_vault_get_client_id (akv)),
                                           get_secret (dialog), &error);
  if (client == NULL)
    {
      kl_azure_check_view_show_error (dialog->view, error->message);
      return;
    }

  id = kl_key_id_parse (kl_azure_key_vault_get_key_identifier (akv), NULL);
  check = kl_azure_check_new (client,
                              kl_azure_key_vault_get_subscription_id (akv),
                              kl_azure_key_vault_get_resource_group_name (akv),
                              kl_azure_key_vault_get_key_vault_name (akv),
                              id != NULL ? kl_key_id_get_key_name (id) : NULL,
                              id != NULL ? kl_key_id_get_version (id) : NULL);
  kl_azure_check_view_run (dialog->view, check, kl_context_get_cancellable (dialog->context));
}

/**
 * kl_azure_check_dialog_present:
 * @parent: a widget of the window the dialog belongs to
 *
 * Returns: (transfer none): the dialog, destroyed when closed
 */
GtkWindow *
kl_azure_check_dialog_present (GtkWidget       *parent,
                               KlContext       *context,
                               KlAzureKeyVault *key_vault)
{
  KlSetupAnswers *answers = kl_context_get_answers (context);
  const char *secret = answers != NULL ? kl_setup_answers_get_client_secret (answers) : NULL;
  GtkWidget *window, *box, *content, *scrolled, *clamp, *label, *header;
  Dialog *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KL_IS_AZURE_KEY_VAULT (key_vault), NULL);

  dialog = g_new0 (Dialog, 1);
  dialog->context = g_object_ref (context);
  dialog->key_vault = g_object_ref (key_vault);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Check in Azure"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 720);
  if (GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (parent)));
  g_object_set_data_full (G_OBJECT (window), "kl-azure-check-dialog", dialog,
                          (GDestroyNotify) dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  clamp = adw_clamp_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);

  label = gtk_label_new (_("Keylink asks Azure, with the application Atlas uses, whether the "
                           "vault, the key and the private endpoint connections are still as "
                           "Atlas needs them. Nothing is changed in Azure."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (content), label);

  /* Atlas never gives the secret back. */
  if (secret == NULL || secret[0] == '\0')
    {
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("Atlas does not give the client secret back. "
                                               "Keylink uses it for this check only, and "
                                               "forgets it when this window closes."));
      dialog->secret_row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->secret_row),
                                     _("Client _Secret"));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (dialog->secret_row), TRUE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (dialog->secret_row));
      gtk_box_append (GTK_BOX (content), group);
      g_signal_connect_swapped (dialog->secret_row, "notify::text",
                                G_CALLBACK (update_button), dialog);
    }

  dialog->check_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("C_heck in Azure")));
  gtk_widget_set_halign (GTK_WIDGET (dialog->check_button), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (dialog->check_button), "suggested-action");
  kl_a11y_name_button_by_text (dialog->check_button);
  g_signal_connect (dialog->check_button, "clicked", G_CALLBACK (check_clicked_cb), dialog);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (dialog->check_button));

  dialog->view = KL_AZURE_CHECK_VIEW (kl_azure_check_view_new ());
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (dialog->view));

  adw_window_set_content (ADW_WINDOW (window), box);
  update_button (dialog);
  gtk_window_present (GTK_WINDOW (window));

  /* With the secret at hand, the check starts at once. */
  if (dialog->secret_row == NULL)
    check_clicked_cb (dialog->check_button, dialog);

  return GTK_WINDOW (window);
}
