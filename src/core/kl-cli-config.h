/* kl-cli-config.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <libsecret/secret.h>

#include "kl-types.h"

G_BEGIN_DECLS

/* The Atlas CLI's configuration, read-only: $XDG_CONFIG_HOME/atlascli/config.toml, parsed by a
 * small TOML reader of our own, and the profiles it holds. Nothing here writes anything.
 *
 * The CLI keeps, per profile, `auth_type`, `public_api_key` / `client_id`, `org_id`,
 * `project_id`, `service` and `ops_manager_url` (alias `base_url`) in the file. Its secrets
 * (and, since it has a keyring, its public key and client ID too) live in keyring items with the
 * attributes `service=atlascli_<profile>` and `username=<property>`; older versions kept them in
 * the file. KlCredentials fills in what the keyring knows (kl_credentials_list_cli_profiles_async). */

/* The keyring item properties, as the Atlas CLI names them. */
#define KL_CLI_PUBLIC_API_KEY  "public_api_key"
#define KL_CLI_PRIVATE_API_KEY "private_api_key"
#define KL_CLI_CLIENT_ID       "client_id"
#define KL_CLI_CLIENT_SECRET   "client_secret"
#define KL_CLI_ACCESS_TOKEN    "access_token"
#define KL_CLI_REFRESH_TOKEN   "refresh_token"
#define KL_CLI_SERVICE_PREFIX  "atlascli_"

#define KL_TYPE_CLI_PROFILE (kl_cli_profile_get_type ())

G_DECLARE_FINAL_TYPE (KlCliProfile, kl_cli_profile, KL, CLI_PROFILE, GObject)

/* The profile's name in the CLI (lower case, as the CLI uses it). */
const char          *kl_cli_profile_get_name            (KlCliProfile *self);
/* TRUE when Keylink can sign in with it: API keys or a service account, with a secret found. */
gboolean             kl_cli_profile_is_importable       (KlCliProfile *self);
/* Why it cannot be imported (translated, for the UI), or NULL when it can. */
const char          *kl_cli_profile_get_problem         (KlCliProfile *self);
/* Meaningful when importable. */
KlAuthType           kl_cli_profile_get_auth_type       (KlCliProfile *self);
KlAtlasService       kl_cli_profile_get_service         (KlCliProfile *self);
/* The URL for KL_ATLAS_SERVICE_CUSTOM (ops_manager_url), else NULL. */
const char          *kl_cli_profile_get_custom_url      (KlCliProfile *self);
/* The public API key or the service account's client ID; NULL while only a locked keyring
 * holds it (the import unlocks it). */
const char          *kl_cli_profile_get_client_id       (KlCliProfile *self);
const char          *kl_cli_profile_get_org_id          (KlCliProfile *self);
const char          *kl_cli_profile_get_project_id      (KlCliProfile *self);
/* Where the private API key / client secret is. */
KlCliSecretLocation  kl_cli_profile_get_secret_location (KlCliProfile *self);
/* The property that names the secret ("private_api_key" or "client_secret") and the one that
 * names the client ID ("public_api_key" or "client_id"), for the profile's auth type; NULL when
 * not importable. */
const char          *kl_cli_profile_get_secret_property (KlCliProfile *self);
const char          *kl_cli_profile_get_id_property     (KlCliProfile *self);

/* For KlCredentials, which fills in what the CLI's keyring items hold: a property found in the
 * keyring (@value only for the non-secret public_api_key / client_id, else NULL), or the
 * translated reason why the keyring could not be read. */
void                 kl_cli_profile_add_keyring_property (KlCliProfile *self,
                                                          const char   *property,
                                                          const char   *value);
void                 kl_cli_profile_set_keyring_problem  (KlCliProfile *self,
                                                          const char   *message);

/* Where the Atlas CLI's config.toml is, as this process can read it:
 * kl_cli_config_build_default_path() for this process (sandboxed when /.flatpak-info exists). */
char                *kl_cli_config_get_default_path     (void);
/* Outside a sandbox: @user_config_dir/atlascli/config.toml ($XDG_CONFIG_HOME, as
 * g_get_user_config_dir() gives it). In a Flatpak sandbox @user_config_dir is the app's own
 * (~/.var/app/<id>/config), so the host's @home_dir/.config/atlascli/config.toml is read
 * instead, which the manifest exposes read-only (--filesystem=xdg-config/atlascli:ro). A host
 * XDG_CONFIG_HOME other than ~/.config cannot be honoured there: the sandbox does not see the
 * host's environment, and the permission names ~/.config. Such a user can still import by
 * choosing the file, or set up the profile by hand. */
char                *kl_cli_config_build_default_path   (gboolean      sandboxed,
                                                         const char   *home_dir,
                                                         const char   *user_config_dir);

/* Parses the file's text into its profiles, sorted by name. No secret is kept: only which
 * secrets the file holds. A malformed file is a KL_ERROR_FAILED error whose message names
 * @display_path and the line. @text need not be NUL-terminated. */
GPtrArray           *kl_cli_config_parse_profiles       (const char   *text,
                                                         gsize         length,
                                                         const char   *display_path,
                                                         GError      **error);

/* The value of @property for @profile_name in the file's text, as the CLI reads it (a
 * non-empty top-level value wins over the profile's), in a wiped SecretValue; NULL (and no
 * error) when absent. */
SecretValue         *kl_cli_config_dup_value            (const char   *text,
                                                         gsize         length,
                                                         const char   *profile_name,
                                                         const char   *property,
                                                         GError      **error);

G_END_DECLS
