/* kl-sign-in-page.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kl-a11y.h"
#include "kl-error.h"
#include "kl-field.h"
#include "kl-server-text.h"
#include "kl-server-text-view.h"
#include "kl-sign-in.h"
#include "kl-sign-in-page.h"
#include "pages/kl-page-util.h"

/* Step 2 of the flow (HACKING.md, The flow): which Atlas, which credentials, and whether to
 * remember them. Next is a real call (kl_sign_in_async) that proves the credentials; its
 * projects go to the Project page through #KlSignInPage::signed-in, so they are not fetched
 * twice. When the keyring cannot take the profile, the user may go on without saving it. */

struct _KlSignInPage
{
  KlPage          parent_instance;

  KlSession      *session;
  KlCredentials  *credentials;

  KlField        *url_field;
  KlField        *client_id_field;
  KlField        *secret_field;
  KlField        *name_field;

  KlProfile      *profile;         /* loaded, or saved by the last sign-in */
  gboolean        profile_dirty;   /* the input changed since it was loaded or saved */
  gboolean        name_edited;     /* the user typed the profile name */
  gboolean        loading;         /* the page fills its own fields */

  /* Signed in, but the profile could not be saved: kept for "Continue Without Saving". */
  KlAtlasClient  *pending_client;
  GPtrArray      *pending_projects;

  /* Template widgets */
  AdwComboRow          *auth_row;
  AdwComboRow          *service_row;
  AdwEntryRow          *url_row;
  AdwPreferencesGroup  *credentials_group;
  AdwEntryRow          *client_id_row;
  AdwEntryRow          *secret_row;
  GtkSwitch            *remember_switch;
  AdwActionRow         *remember_row;
  AdwEntryRow          *profile_name_row;
  GtkRevealer          *keyring_revealer;
  GtkWidget            *continue_button;
  GtkWidget            *details_group;
  AdwExpanderRow       *details_row;
  AdwActionRow         *code_row;
  AdwActionRow         *status_row;
  AdwActionRow         *detail_row;
  GtkWidget            *detail_all_button;
};

G_DEFINE_FINAL_TYPE (KlSignInPage, kl_sign_in_page, KL_TYPE_PAGE)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of the combo rows' models. */
static const KlAuthType auth_types[] = { KL_AUTH_SERVICE_ACCOUNT, KL_AUTH_API_KEY };
static const KlAtlasService services[] = {
  KL_ATLAS_SERVICE_ATLAS, KL_ATLAS_SERVICE_GOVERNMENT, KL_ATLAS_SERVICE_CUSTOM
};

#define SA_ID_PREFIX     "mdb_sa_id_"
#define SA_SECRET_PREFIX "mdb_sa_sk_"
#define MAX_NAME_CHARS   100

static char *
strip (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

static KlAuthType
get_auth_type (KlSignInPage *self)
{
  guint selected = adw_combo_row_get_selected (self->auth_row);

  return selected < G_N_ELEMENTS (auth_types) ? auth_types[selected] : KL_AUTH_SERVICE_ACCOUNT;
}

static KlAtlasService
get_service (KlSignInPage *self)
{
  guint selected = adw_combo_row_get_selected (self->service_row);

  return selected < G_N_ELEMENTS (services) ? services[selected] : KL_ATLAS_SERVICE_ATLAS;
}

static gboolean
get_remember (KlSignInPage *self)
{
  return gtk_switch_get_active (self->remember_switch);
}

/* The base URL the fields describe (custom: as typed, trimmed). */
static char *
dup_base_url (KlSignInPage *self)
{
  KlAtlasService service = get_service (self);

  if (service == KL_ATLAS_SERVICE_CUSTOM)
    return strip (kl_field_get_text (self->url_field));

  return g_strdup (kl_atlas_service_get_url (service));
}

static gboolean
has_only (const char *text,
          const char *extra)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;

  return TRUE;
}

/* Surrounding white space comes with copying: it is ignored. */
static gboolean
check_url (const char  *text,
           gpointer     user_data,
           char       **fix,
           GError     **error)
{
  g_autofree char *trimmed = strip (text);

  return kl_atlas_check_base_url (trimmed, error);
}

static gboolean
check_client_id (const char  *text,
                 gpointer     user_data,
                 char       **fix,
                 GError     **error)
{
  KlSignInPage *self = user_data;
  g_autofree char *trimmed = strip (text);

  if (get_auth_type (self) == KL_AUTH_SERVICE_ACCOUNT)
    {
      if (g_str_has_prefix (trimmed, SA_SECRET_PREFIX))
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("This is the client secret. The client ID starts with "
                                 "“mdb_sa_id_”: copy it from the service account’s page in "
                                 "Atlas."));
          return FALSE;
        }
      if (!g_str_has_prefix (trimmed, SA_ID_PREFIX))
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("A service account’s client ID starts with “mdb_sa_id_”. Copy "
                                 "it from Atlas (Organization → Access Manager → Applications → "
                                 "Service Accounts), or choose “API key” above to sign in with "
                                 "an API key."));
          return FALSE;
        }
      if (!has_only (trimmed, "_"))
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                               _("A client ID has only letters, digits and “_”. Copy it again "
                                 "from the service account’s page in Atlas."));
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_has_prefix (trimmed, SA_ID_PREFIX))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is a service account’s client ID. Choose “Service account” "
                             "above to sign in with it."));
      return FALSE;
    }
  if (strlen (trimmed) == 36 && has_only (trimmed, "-"))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This looks like the private key. The public key is the short one, "
                             "such as “abcdefgh”."));
      return FALSE;
    }
  if (!has_only (trimmed, ""))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("A public key has only letters and digits. Copy it again from the "
                             "API key’s page in Atlas (Organization → Access Manager → "
                             "Applications → API Keys)."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_secret (const char  *text,
              gpointer     user_data,
              char       **fix,
              GError     **error)
{
  KlSignInPage *self = user_data;
  g_autofree char *trimmed = strip (text);
  gboolean api_key = get_auth_type (self) == KL_AUTH_API_KEY;

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           api_key ? _("The private key is empty. Paste the whole key.")
                                   : _("The secret is empty. Paste the whole secret."));
      return FALSE;
    }

  if (g_strcmp0 (trimmed, text) != 0)
    {
      *fix = g_steal_pointer (&trimmed);
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           api_key ? _("The private key starts or ends with a space, which keys "
                                       "never do. Remove the spaces.")
                                   : _("The secret starts or ends with a space, which secrets "
                                       "never do. Remove the spaces."));
      return FALSE;
    }

  if (!api_key && g_str_has_prefix (trimmed, SA_ID_PREFIX))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("This is the client ID, not the secret. Atlas shows the secret only "
                             "once, when it is created: if you no longer have it, create a new "
                             "one on the service account’s page."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_name (const char  *text,
            gpointer     user_data,
            char       **fix,
            GError     **error)
{
  g_autofree char *trimmed = strip (text);

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           _("Give the profile a name, such as “Production”."));
      return FALSE;
    }

  if (g_utf8_strlen (trimmed, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                   ngettext ("Use a shorter name: %d character at most.",
                             "Use a shorter name: %d characters at most.", MAX_NAME_CHARS),
                   MAX_NAME_CHARS);
      return FALSE;
    }

  return TRUE;
}

static void
update_complete (KlSignInPage *self)
{
  gboolean custom = get_service (self) == KL_ATLAS_SERVICE_CUSTOM;
  gboolean complete;

  complete = (!custom || kl_field_get_valid (self->url_field)) &&
             kl_field_get_valid (self->client_id_field) &&
             kl_field_get_valid (self->secret_field) &&
             (!get_remember (self) || kl_field_get_valid (self->name_field));

  kl_page_set_complete (KL_PAGE (self), complete);
}

/* Until the user names the profile, its name follows the choices. */
static void
update_default_name (KlSignInPage *self)
{
  g_autofree char *service_name = NULL;
  g_autofree char *name = NULL;
  gboolean loading = self->loading;

  if (self->name_edited)
    return;

  switch (get_service (self))
    {
    case KL_ATLAS_SERVICE_GOVERNMENT:
      service_name = g_strdup (_("Atlas for Government"));
      break;

    case KL_ATLAS_SERVICE_CUSTOM:
      {
        g_autofree char *url = dup_base_url (self);
        g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

        if (uri != NULL && g_uri_get_host (uri) != NULL)
          service_name = g_strdup (g_uri_get_host (uri));
        else
          service_name = g_strdup (_("Atlas"));
      }
      break;

    case KL_ATLAS_SERVICE_ATLAS:
    default:
      service_name = g_strdup (_("Atlas"));
      break;
    }

  if (get_auth_type (self) == KL_AUTH_API_KEY)
    /* Translators: a profile's suggested name, e.g. “Atlas — API key” */
    name = g_strdup_printf (_("%s — API key"), service_name);
  else
    /* Translators: a profile's suggested name, e.g. “Atlas — service account” */
    name = g_strdup_printf (_("%s — service account"), service_name);

  self->loading = TRUE;
  if (g_strcmp0 (kl_field_get_text (self->name_field), name) != 0)
    kl_field_set_text (self->name_field, name);
  self->loading = loading;
}

/* Template children are gone once the window closed; late answers must not touch them. */
static gboolean
is_disposed (KlSignInPage *self)
{
  return self->keyring_revealer == NULL;
}

static void
clear_pending (KlSignInPage *self)
{
  if (is_disposed (self))
    return;

  g_clear_object (&self->pending_client);
  g_clear_pointer (&self->pending_projects, g_ptr_array_unref);
  gtk_revealer_set_reveal_child (self->keyring_revealer, FALSE);
}

static void
input_changed_cb (KlSignInPage *self)
{
  update_complete (self);
  clear_pending (self);
  if (!self->loading)
    self->profile_dirty = TRUE;
  kl_page_input_changed (KL_PAGE (self));
}

static void
name_changed_cb (KlSignInPage *self)
{
  if (!self->loading)
    self->name_edited = TRUE;
  input_changed_cb (self);
}

static void
url_changed_cb (KlSignInPage *self)
{
  update_default_name (self);
  input_changed_cb (self);
}

static void
auth_changed_cb (KlSignInPage *self)
{
  gboolean api_key = get_auth_type (self) == KL_AUTH_API_KEY;

  adw_preferences_group_set_title (self->credentials_group,
                                   api_key ? _("API Key") : _("Service Account"));
  adw_preferences_group_set_description (self->credentials_group,
                                         api_key
                                         ? _("In Atlas: Organization → Access Manager → "
                                             "Applications → API Keys. The private key is shown "
                                             "only when the key is created.")
                                         : _("In Atlas: Organization → Access Manager → "
                                             "Applications → Service Accounts. The secret is "
                                             "shown only when it is created."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_id_row),
                                 api_key ? _("_Public Key") : _("Client _ID"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 api_key ? _("P_rivate Key") : _("Client _Secret"));

  /* The rules depend on the kind of credentials. */
  if (kl_field_get_text (self->client_id_field)[0] != '\0')
    kl_field_validate (self->client_id_field);
  if (kl_field_get_text (self->secret_field)[0] != '\0')
    kl_field_validate (self->secret_field);

  update_default_name (self);
  input_changed_cb (self);
}

static void
service_changed_cb (KlSignInPage *self)
{
  gboolean custom = get_service (self) == KL_ATLAS_SERVICE_CUSTOM;

  gtk_widget_set_visible (GTK_WIDGET (self->url_row), custom);
  /* A hidden field keeps its text but shows no message. */
  if (custom && kl_field_get_text (self->url_field)[0] != '\0')
    kl_field_validate (self->url_field);
  else
    kl_field_set_message (self->url_field, NULL);

  update_default_name (self);
  input_changed_cb (self);
}

static void
remember_changed_cb (KlSignInPage *self)
{
  gboolean remember = get_remember (self);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_name_row), remember);
  if (remember && kl_field_get_text (self->name_field)[0] != '\0')
    kl_field_validate (self->name_field);
  else
    kl_field_set_message (self->name_field, NULL);

  update_default_name (self);
  input_changed_cb (self);
}

static void
update_detail_row (KlSignInPage *self)
{
  const char *detail = g_object_get_data (G_OBJECT (self->detail_row), "kl-detail");
  g_autofree char *shown = NULL;

  if (adw_expander_row_get_expanded (self->details_row))
    shown = kl_server_text_dup_plain (detail, KL_SERVER_TEXT_SHORT_CHARS);
  adw_action_row_set_subtitle (self->detail_row, shown != NULL ? shown : "");
  gtk_widget_set_visible (self->detail_all_button,
                          kl_server_text_is_long (detail, KL_SERVER_TEXT_SHORT_CHARS));
}

static void
detail_all_clicked_cb (KlSignInPage *self)
{
  kl_server_text_view_show (GTK_WIDGET (self), _("Atlas Says"),
                            g_object_get_data (G_OBJECT (self->detail_row), "kl-detail"));
}

static void
show_details (KlSignInPage *self,
              const GError *error)
{
  const char *code = kl_error_get_atlas_code (error);
  guint status = kl_error_get_http_status (error);
  KlAtlasError *atlas_error = kl_atlas_error_from_gerror (error);
  const char *detail = atlas_error != NULL ? kl_atlas_error_get_detail (atlas_error) : NULL;
  g_autofree char *status_text = status != 0 ? g_strdup_printf ("%u", status) : NULL;
  g_autofree char *subtitle = NULL;

  adw_action_row_set_subtitle (self->code_row, code);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), code != NULL);
  adw_action_row_set_subtitle (self->status_row, status_text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), status_text != NULL);
  /* Atlas's detail can be any length: the row shows its short form, and only while the
   * expander is open (a collapsed one still measures its rows); the whole text on demand. */
  g_object_set_data_full (G_OBJECT (self->detail_row), "kl-detail", g_strdup (detail), g_free);
  update_detail_row (self);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_row), detail != NULL);

  /* The code in small text at once; the rest for whoever helps. */
  if (code != NULL)
    /* Translators: %s is an error code such as IP_ADDRESS_NOT_ON_ACCESS_LIST */
    subtitle = g_strdup_printf (_("Atlas error code %s"), code);
  else if (status != 0)
    /* Translators: %u is an HTTP status such as 401 */
    subtitle = g_strdup_printf (_("HTTP status %u"), status);
  adw_expander_row_set_subtitle (self->details_row, subtitle);

  gtk_widget_set_visible (self->details_group, code != NULL || status != 0);
}

/* The page's error went away (input changed, or Next again): so do the details. */
static void
error_changed_cb (KlSignInPage *self)
{
  if (kl_page_get_error (KL_PAGE (self)) == NULL)
    {
      gtk_widget_set_visible (self->details_group, FALSE);
      adw_expander_row_set_expanded (self->details_row, FALSE);
      gtk_revealer_set_reveal_child (self->keyring_revealer, FALSE);
    }
}

typedef struct
{
  KlAtlasClient *client;
  GPtrArray     *projects;
  KlProfile     *profile;   /* to save, then the one signed in with */
  SecretValue   *secret;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->projects, g_ptr_array_unref);
  g_clear_object (&data->profile);
  g_clear_pointer (&data->secret, secret_value_unref);
  g_free (data);
}

static void
finish_sign_in (KlSignInPage *self,
                GTask        *task)
{
  ApplyData *data = g_task_get_task_data (task);

  if (is_disposed (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The window was closed");
      return;
    }

  clear_pending (self);

  if (data->profile != NULL)
    {
      g_set_object (&self->profile, data->profile);
      self->profile_dirty = FALSE;
    }

  if (kl_session_get_client (self->session) != data->client)
    kl_session_set_client (self->session, data->client);

  g_signal_emit (self, signals[SIGNED_IN], 0, data->profile, data->projects);
  g_task_return_boolean (task, TRUE);
}

static gboolean
is_keyring_error (const GError *error)
{
  return g_error_matches (error, KL_ERROR, KL_ERROR_KEYRING_UNAVAILABLE) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_KEYRING_LOCKED);
}

/* Saving failed but the sign-in worked: keep it, and offer to go on without saving. */
static void
keyring_failed (KlSignInPage *self,
                GTask        *task,
                GError       *error)
{
  ApplyData *data = g_task_get_task_data (task);

  if (is_keyring_error (error) && !is_disposed (self))
    {
      g_set_object (&self->pending_client, data->client);
      g_clear_pointer (&self->pending_projects, g_ptr_array_unref);
      self->pending_projects = g_ptr_array_ref (data->projects);
      gtk_revealer_set_reveal_child (self->keyring_revealer, TRUE);
    }

  g_task_return_error (task, error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlSignInPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!kl_credentials_store_finish (KL_CREDENTIALS (object), result, &error))
    {
      g_debug ("Saving the profile failed: %s", error->message);
      keyring_failed (self, task, g_steal_pointer (&error));
      return;
    }

  finish_sign_in (self, task);
}

static gboolean
same_account (KlProfile  *profile,
              KlAuthType  auth_type,
              const char *base_url,
              const char *client_id)
{
  return kl_profile_get_auth_type (profile) == auth_type &&
         g_strcmp0 (kl_profile_get_client_id (profile), client_id) == 0 &&
         g_strcmp0 (kl_profile_get_base_url (profile), base_url) == 0;
}

/* Saving the same credentials again replaces their profile instead of adding a second one. */
static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlSignInPage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = kl_credentials_list_finish (KL_CREDENTIALS (object), result, &error);
  if (profiles == NULL)
    {
      g_debug ("Listing the saved profiles failed: %s", error->message);
      keyring_failed (self, task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < profiles->len; i++)
    {
      KlProfile *saved = g_ptr_array_index (profiles, i);

      if (same_account (saved, kl_profile_get_auth_type (data->profile),
                        kl_profile_get_base_url (data->profile),
                        kl_profile_get_client_id (data->profile)))
        {
          g_autoptr(KlProfile) replacement = kl_profile_copy (saved);

          kl_profile_set_display_name (replacement, kl_profile_get_display_name (data->profile));
          g_set_object (&data->profile, replacement);
          break;
        }
    }

  kl_credentials_store_async (self->credentials, data->profile, data->secret,
                              g_task_get_cancellable (task), store_cb, g_object_ref (task));
}

static KlProfile *
build_profile (KlSignInPage *self)
{
  g_autofree char *name = strip (kl_field_get_text (self->name_field));
  g_autofree char *client_id = strip (kl_field_get_text (self->client_id_field));
  g_autofree char *base_url = dup_base_url (self);
  KlAuthType auth_type = get_auth_type (self);
  KlAtlasService service = get_service (self);
  KlProfile *profile;

  if (self->profile != NULL && same_account (self->profile, auth_type, base_url, client_id))
    {
      profile = kl_profile_copy (self->profile);
      kl_profile_set_display_name (profile, name);
      return profile;
    }

  profile = kl_profile_new (name, auth_type, service, client_id);
  if (service == KL_ATLAS_SERVICE_CUSTOM)
    kl_profile_set_custom_url (profile, base_url);

  return profile;
}

static void
save_or_finish (KlSignInPage *self,
                GTask        *task)
{
  ApplyData *data = g_task_get_task_data (task);
  const char *secret = kl_field_get_text (self->secret_field);

  if (!get_remember (self))
    {
      finish_sign_in (self, task);
      return;
    }

  /* Signed in with a saved profile, unchanged: nothing new to save. */
  if (self->profile != NULL && !self->profile_dirty)
    {
      data->profile = g_object_ref (self->profile);
      finish_sign_in (self, task);
      return;
    }

  data->profile = build_profile (self);
  data->secret = kl_secret_new (secret, -1);

  if (kl_credentials_get_memory_only (self->credentials))
    kl_credentials_store_async (self->credentials, data->profile, data->secret,
                                g_task_get_cancellable (task), store_cb, g_object_ref (task));
  else
    kl_credentials_list_async (self->credentials, g_task_get_cancellable (task), list_cb,
                               g_object_ref (task));
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlSignInPage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->projects = kl_sign_in_finish (KL_ATLAS_CLIENT (object), result, &error);
  if (data->projects == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !is_disposed (self))
        show_details (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  save_or_finish (self, task);
}

static void
kl_sign_in_page_apply_async (KlPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  KlSignInPage *self = KL_SIGN_IN_PAGE (page);
  g_autofree char *base_url = dup_base_url (self);
  g_autofree char *client_id = strip (kl_field_get_text (self->client_id_field));
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ApplyData *data;

  task = g_task_new (page, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_sign_in_page_apply_async);
  data = g_new0 (ApplyData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  gtk_widget_set_visible (self->details_group, FALSE);

  /* "Continue Without Saving": the sign-in already worked, with this very input. */
  if (self->pending_client != NULL)
    {
      data->client = g_object_ref (self->pending_client);
      data->projects = g_ptr_array_ref (self->pending_projects);
      save_or_finish (self, task);
      return;
    }

  data->client = kl_atlas_client_new (base_url, get_auth_type (self), client_id,
                                      kl_field_get_text (self->secret_field), &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kl_sign_in_async (data->client, cancellable, sign_in_cb, g_steal_pointer (&task));
}

static void
continue_without_saving_cb (KlSignInPage *self)
{
  kl_credentials_set_memory_only (self->credentials, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
kl_sign_in_page_shown (KlPage *page)
{
  KlSignInPage *self = KL_SIGN_IN_PAGE (page);
  KlField *fields[] = { self->url_field, self->client_id_field, self->secret_field,
                        self->name_field };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *row = GTK_WIDGET (kl_field_get_row (fields[i]));

      if (gtk_widget_get_visible (row) && !kl_field_get_valid (fields[i]))
        {
          gtk_widget_grab_focus (row);
          return;
        }
    }
}

static void select_service (KlSignInPage   *self,
                            KlAtlasService  service);

/* Whether this session has a keyring to save profiles in (the context learns it when the
 * saved profiles are listed). */
static void
keyring_available_cb (KlSignInPage *self)
{
  gboolean available = kl_context_get_keyring_available (kl_page_get_context (KL_PAGE (self)));

  if (available)
    {
      adw_action_row_set_subtitle (self->remember_row,
                                   _("Kept in your login keyring, never in a file"));
      return;
    }

  /* Said up front, before a save can fail: signing in works without a keyring. */
  adw_action_row_set_subtitle (self->remember_row,
                               _("No keyring is running in this session, so Keylink signs in "
                                 "without saving: the profile lasts until Keylink closes. To "
                                 "save it, start GNOME Keyring (or another Secret Service) and "
                                 "open Keylink again."));
  adw_action_row_set_subtitle_lines (self->remember_row, 0);
  gtk_switch_set_active (self->remember_switch, FALSE);
}

/* The context's Atlas address (`--atlas-url`) chooses “Another address” with it. It is
 * checked like typed text. */
static void
base_url_cb (KlSignInPage *self)
{
  const char *url = kl_context_get_base_url (kl_page_get_context (KL_PAGE (self)));

  if (url == NULL)
    return;

  kl_field_set_text (self->url_field, url);
  select_service (self, KL_ATLAS_SERVICE_CUSTOM);
}

static void
kl_sign_in_page_constructed (GObject *object)
{
  KlSignInPage *self = KL_SIGN_IN_PAGE (object);

  G_OBJECT_CLASS (kl_sign_in_page_parent_class)->constructed (object);

  g_set_object (&self->session, kl_context_get_session (kl_page_get_context (KL_PAGE (self))));
  g_set_object (&self->credentials, kl_context_get_credentials (kl_page_get_context (KL_PAGE (self))));

  g_assert (self->session != NULL);
  if (self->credentials == NULL)
    self->credentials = kl_credentials_new ();

  g_signal_connect_swapped (self->url_field, "notify::valid", G_CALLBACK (update_complete), self);
  g_signal_connect_swapped (self->client_id_field, "notify::valid",
                            G_CALLBACK (update_complete), self);
  g_signal_connect_swapped (self->secret_field, "notify::valid",
                            G_CALLBACK (update_complete), self);
  g_signal_connect_swapped (self->name_field, "notify::valid", G_CALLBACK (update_complete), self);

  /* Connected after the fields' own handlers, so their validity is current here. */
  g_signal_connect_swapped (self->url_row, "notify::text", G_CALLBACK (url_changed_cb), self);
  g_signal_connect_swapped (self->client_id_row, "notify::text",
                            G_CALLBACK (input_changed_cb), self);
  g_signal_connect_swapped (self->secret_row, "notify::text", G_CALLBACK (input_changed_cb), self);
  g_signal_connect_swapped (self->profile_name_row, "notify::text",
                            G_CALLBACK (name_changed_cb), self);
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (auth_changed_cb), self);
  g_signal_connect_swapped (self->service_row, "notify::selected",
                            G_CALLBACK (service_changed_cb), self);
  g_signal_connect_swapped (self->remember_switch, "notify::active",
                            G_CALLBACK (remember_changed_cb), self);
  g_signal_connect (self, "notify::error", G_CALLBACK (error_changed_cb), NULL);

  self->loading = TRUE;
  auth_changed_cb (self);
  self->loading = FALSE;
  self->profile_dirty = FALSE;

  g_signal_connect_object (kl_page_get_context (KL_PAGE (self)), "notify::base-url",
                           G_CALLBACK (base_url_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kl_page_get_context (KL_PAGE (self)), "notify::keyring-available",
                           G_CALLBACK (keyring_available_cb), self, G_CONNECT_SWAPPED);
  base_url_cb (self);
  if (!kl_context_get_keyring_available (kl_page_get_context (KL_PAGE (self))))
    keyring_available_cb (self);
}

static void
kl_sign_in_page_dispose (GObject *object)
{
  KlSignInPage *self = KL_SIGN_IN_PAGE (object);

  g_clear_object (&self->url_field);
  g_clear_object (&self->client_id_field);
  g_clear_object (&self->secret_field);
  g_clear_object (&self->name_field);

  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_SIGN_IN_PAGE);

  g_clear_object (&self->pending_client);
  g_clear_pointer (&self->pending_projects, g_ptr_array_unref);
  g_clear_object (&self->profile);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (kl_sign_in_page_parent_class)->dispose (object);
}

static void
kl_sign_in_page_class_init (KlSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlPageClass *page_class = KL_PAGE_CLASS (klass);

  object_class->constructed = kl_sign_in_page_constructed;
  object_class->dispose = kl_sign_in_page_dispose;

  page_class->page_id = "sign-in";
  page_class->help_id = "sign-in";
  page_class->shown = kl_sign_in_page_shown;
  page_class->apply_async = kl_sign_in_page_apply_async;

  /**
   * KlSignInPage::signed-in:
   * @profile: (nullable): the saved profile signed in with, %NULL when not remembered
   * @projects: (element-type KlProject): the projects the credentials can see
   *
   * Next proved the credentials; the session has the new client.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, KL_TYPE_PROFILE, G_TYPE_PTR_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/sign-in/kl-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, auth_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, service_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, profile_name_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, details_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KlSignInPage, detail_row);
  kl_page_util_bind_entry_activated (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, continue_without_saving_cb);
}

static void
kl_sign_in_page_init (KlSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Named by the text it shows, once, without the mnemonic. */
  kl_a11y_name_button_by_text (GTK_BUTTON (self->continue_button));

  self->url_field = kl_field_new (self->url_row, check_url, self);
  self->client_id_field = kl_field_new (self->client_id_row, check_client_id, self);
  self->secret_field = kl_field_new (self->secret_row, check_secret, self);
  self->name_field = kl_field_new (self->profile_name_row, check_name, self);

  /* The whole of Atlas's detail, when the row shows only its start. */
  self->detail_all_button = g_object_new (GTK_TYPE_BUTTON,
                                          "label", _("Show _All"),
                                          "use-underline", TRUE,
                                          "valign", GTK_ALIGN_CENTER,
                                          "visible", FALSE,
                                          NULL);
  kl_a11y_name_button_by_text (GTK_BUTTON (self->detail_all_button));
  g_signal_connect_swapped (self->detail_all_button, "clicked",
                            G_CALLBACK (detail_all_clicked_cb), self);
  adw_action_row_add_suffix (self->detail_row, self->detail_all_button);
  g_signal_connect_swapped (self->details_row, "notify::expanded",
                            G_CALLBACK (update_detail_row), self);
}

/**
 * kl_sign_in_page_new:
 * @session: gets the signed-in client
 * @credentials: (nullable): where “Remember in Keyring” saves the profile
 *
 * Returns: (transfer floating): the page
 */
KlPage *
kl_prepare_sign_in_page (KlContext *context)
{
  g_return_val_if_fail (KL_IS_CONTEXT (context), NULL);

  return g_object_new (KL_TYPE_SIGN_IN_PAGE,
                       "context", context,
                       NULL);
}

static void
select_service (KlSignInPage   *self,
                KlAtlasService  service)
{
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (services[i] == service)
      adw_combo_row_set_selected (self->service_row, i);
}

/**
 * kl_sign_in_page_load_profile:
 * @profile: a saved profile
 * @secret: (nullable): its secret, from the keyring
 *
 * Fills the page from a saved profile, so that Next signs in with it. Signing in with it
 * unchanged does not save it again; changes (a new secret) replace it.
 */
void
kl_sign_in_page_load_profile (KlSignInPage *self,
                              KlProfile    *profile,
                              SecretValue  *secret)
{
  KlAtlasService service;

  g_return_if_fail (KL_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (KL_IS_PROFILE (profile));

  self->loading = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (auth_types); i++)
    if (auth_types[i] == kl_profile_get_auth_type (profile))
      adw_combo_row_set_selected (self->auth_row, i);

  service = kl_profile_get_service (profile);
  if (service == KL_ATLAS_SERVICE_CUSTOM)
    kl_field_set_text (self->url_field, kl_profile_get_custom_url (profile));
  select_service (self, service);

  kl_field_set_text (self->client_id_field, kl_profile_get_client_id (profile));
  kl_field_set_text (self->secret_field, secret != NULL ? secret_value_get_text (secret) : NULL);
  gtk_switch_set_active (self->remember_switch, TRUE);
  kl_field_set_text (self->name_field, kl_profile_get_display_name (profile));

  g_set_object (&self->profile, profile);
  self->name_edited = TRUE;
  self->profile_dirty = FALSE;
  self->loading = FALSE;
}
