/* kl-credentials.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "kl-cli-config.h"
#include "kl-profile.h"
#include "kl-types.h"

G_BEGIN_DECLS

/* Saved sign-ins ("profiles") and their secrets, in the system keyring (the Secret Service,
 * through libsecret), and the Atlas CLI's profiles, offered for import.
 *
 * Where things live
 *   One keyring item per profile, schema "io.github.keylink.Keylink.Profile", in the default
 *   collection. Its attributes (all strings) hold everything but the secret, so that listing
 *   loads no secret: kind "atlas-profile", format "1", profile-id, display-name, auth-type,
 *   atlas-service, atlas-url, client-id, org-id, project-id. Its secret is the API private key
 *   or the service account's client secret. An Azure client secret the user chose to remember is
 *   an item of its own: kind "azure-client-secret", project-id, azure-client-id.
 *   Nothing is written to disk, GSettings or the log by this module.
 *   Inside a Flatpak (or Snap) sandbox, or with SECRET_BACKEND set, the same items go through
 *   libsecret's backend instead: its file backend keeps them in the app's own
 *   $XDG_DATA_HOME/keyrings/default.keyring, encrypted (attributes hashed) with a master key
 *   from the Secret portal; there is no collection and nothing to unlock. The Atlas CLI's items
 *   are always read from the Secret Service.
 *
 * Secrets in memory
 *   Secrets travel as SecretValue (libsecret's refcounted, immutable holder). Those this module
 *   makes (kl_secret_new, and every value a lookup returns) wipe their bytes when the last
 *   reference goes. Who wipes what:
 *   - _store_async () and friends take their own reference to the SecretValue you pass and drop
 *     it when done; you drop yours (g_autoptr (SecretValue)) as soon as you no longer need it.
 *   - _lookup_finish () gives you a new reference (transfer full): unref it when done, and do not
 *     copy its text into a plain string (if you must, wipe it with explicit_bzero () first).
 *   - A widget's text (GtkPasswordEntry) is the widget's to clear: call kl_secret_new () on it
 *     and clear the entry when the page is done with it.
 *
 * Failures
 *   No Secret Service on the bus, or one that fails: KL_ERROR_KEYRING_UNAVAILABLE. Locked and
 *   not unlocked (prompt dismissed, no prompter, or nobody answering before the timeout):
 *   KL_ERROR_KEYRING_LOCKED. Both messages say what to do, and the UI can then offer "Continue
 *   without saving": kl_credentials_set_memory_only (TRUE) keeps everything in this object,
 *   in memory, for this session only, behind the same API. Cancellation is
 *   G_IO_ERROR_CANCELLED. No call blocks: every operation is asynchronous and bounded by
 *   the "timeout" property. An unlock prompt is never dismissed by Keylink (with gnome-keyring
 *   42 that crashes the daemon): on timeout or cancellation the operation returns at once and
 *   the prompt stays up for the user to answer or close; a late "unlock" only unlocks the
 *   keyring, so the next try works. Call these from the main thread. */

/* The attribute values the keyring items carry. */
#define KL_PROFILE_SCHEMA_NAME     "io.github.keylink.Keylink.Profile"
#define KL_PROFILE_KIND            "atlas-profile"
#define KL_AZURE_SECRET_KIND       "azure-client-secret"
#define KL_PROFILE_FORMAT          "1"

const SecretSchema *kl_credentials_get_schema (void) G_GNUC_CONST;

/* A text secret in a SecretValue ("text/plain") whose bytes are wiped when it is freed. */
SecretValue   *kl_secret_new                  (const char     *text,
                                               gssize          length);

#define KL_TYPE_CREDENTIALS (kl_credentials_get_type ())

G_DECLARE_FINAL_TYPE (KlCredentials, kl_credentials, KL, CREDENTIALS, GObject)

KlCredentials *kl_credentials_new             (void);

/* TRUE: nothing goes to the keyring; profiles and secrets live in this object until it is
 * finalized ("Continue without saving"). Switching does not move anything across. */
gboolean       kl_credentials_get_memory_only (KlCredentials  *self);
void           kl_credentials_set_memory_only (KlCredentials  *self,
                                               gboolean        memory_only);
/* The longest any one operation may take, unlock prompt included, in milliseconds
 * (default 120000). */
guint          kl_credentials_get_timeout     (KlCredentials  *self);
void           kl_credentials_set_timeout     (KlCredentials  *self,
                                               guint           timeout_ms);

/* Saves @profile (a copy) with @secret; replaces the profile with the same id. */
void           kl_credentials_store_async     (KlCredentials        *self,
                                               KlProfile            *profile,
                                               SecretValue          *secret,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       kl_credentials_store_finish    (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The profiles, sorted by display name, without their secrets. (element-type KlProfile) */
void           kl_credentials_list_async      (KlCredentials        *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray     *kl_credentials_list_finish     (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The profile's secret (transfer full; see "Secrets in memory"). KL_ERROR_NOT_FOUND when no
 * such profile is saved. */
void           kl_credentials_lookup_async    (KlCredentials        *self,
                                               const char           *profile_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
SecretValue   *kl_credentials_lookup_finish   (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Changes the display name (and the item's label). KL_ERROR_NOT_FOUND when not saved. */
void           kl_credentials_rename_async    (KlCredentials        *self,
                                               const char           *profile_id,
                                               const char           *display_name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       kl_credentials_rename_finish   (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Saves the non-secret fields of @profile (e.g. the org and project chosen last); the secret
 * stays. KL_ERROR_NOT_FOUND when not saved. */
void           kl_credentials_update_async    (KlCredentials        *self,
                                               KlProfile            *profile,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       kl_credentials_update_finish   (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Deletes the profile; deleting one that is not saved succeeds. */
void           kl_credentials_delete_async    (KlCredentials        *self,
                                               const char           *profile_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       kl_credentials_delete_finish   (KlCredentials        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The Azure client secret of a project, remembered only when the user opts in. */
void           kl_credentials_store_azure_secret_async   (KlCredentials        *self,
                                                          const char           *project_id,
                                                          const char           *azure_client_id,
                                                          SecretValue          *secret,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean       kl_credentials_store_azure_secret_finish  (KlCredentials        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
/* KL_ERROR_NOT_FOUND when none is remembered. */
void           kl_credentials_lookup_azure_secret_async  (KlCredentials        *self,
                                                          const char           *project_id,
                                                          const char           *azure_client_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SecretValue   *kl_credentials_lookup_azure_secret_finish (KlCredentials        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void           kl_credentials_delete_azure_secret_async  (KlCredentials        *self,
                                                          const char           *project_id,
                                                          const char           *azure_client_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean       kl_credentials_delete_azure_secret_finish (KlCredentials        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* The Atlas CLI's profiles ($XDG_CONFIG_HOME/atlascli/config.toml and its keyring items), read
 * only, sorted by name; an empty array when the CLI is not set up. Keyring trouble is not an
 * error here: it shows in each profile's problem. A malformed file is. (element-type
 * KlCliProfile) */
void           kl_credentials_list_cli_profiles_async    (KlCredentials        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GPtrArray     *kl_credentials_list_cli_profiles_finish   (KlCredentials        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Saves a Keylink profile made from @cli_profile, named after it, with its secret copied from
 * the CLI's keyring item (preferred) or file. The CLI's file and items are only read. Returns
 * the new profile (transfer full). */
void           kl_credentials_import_cli_profile_async   (KlCredentials        *self,
                                                          KlCliProfile         *cli_profile,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
KlProfile     *kl_credentials_import_cli_profile_finish  (KlCredentials        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
