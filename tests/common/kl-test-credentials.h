/* kl-test-credentials.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-cli-config.h"
#include "kl-credentials.h"

G_BEGIN_DECLS

/* What test-credentials.c, test-credentials-file.c and test-cli-import.c share. The calls
 * wait on the main loop, up to KL_TEST_CREDENTIALS_WAIT_MS. */
#define KL_TEST_CREDENTIALS_WAIT_MS 60000

/* `secret-tool store` the way the Atlas CLI's go-keyring stores ("Password for '<user>' on
 * '<service>'"): the secret goes on stdin, never on the command line. */
void          kl_test_secret_tool_store        (const char     *profile,
                                                const char     *property,
                                                const char     *secret);

GPtrArray    *kl_test_list_cli     (KlCredentials  *creds,
                                                GError        **error);
KlProfile    *kl_test_import_cli   (KlCredentials  *creds,
                                                KlCliProfile   *cli,
                                                GError        **error);
/* The secret's text (tests only: the app never copies it out). */
char         *kl_test_lookup_secret       (KlCredentials  *creds,
                                                const char     *id,
                                                GError        **error);
/* Asserts that the saved secret of @id is @expected. */
void          kl_test_assert_secret            (KlCredentials  *creds,
                                                const char     *id,
                                                const char     *expected);

/* KlCredentials calls made synchronous for the tests (test-credentials.c,
 * test-credentials-file.c). */
gboolean      kl_test_store_profile (KlCredentials *creds,
                                     KlProfile     *profile,
                                     const char    *secret,
                                     GError       **error);
GPtrArray    *kl_test_list_profiles (KlCredentials *creds,
                                     GError       **error);
gboolean      kl_test_rename_profile (KlCredentials *creds,
                                      const char    *id,
                                      const char    *name,
                                      GError       **error);
gboolean      kl_test_update_profile (KlCredentials *creds,
                                      KlProfile     *profile,
                                      GError       **error);
gboolean      kl_test_delete_profile (KlCredentials *creds,
                                      const char    *id,
                                      GError       **error);
gboolean      kl_test_store_azure (KlCredentials *creds,
                                   const char    *project,
                                   const char    *client,
                                   const char    *secret,
                                   GError       **error);
char         *kl_test_lookup_azure (KlCredentials *creds,
                                    const char    *project,
                                    const char    *client,
                                    GError       **error);
void          kl_test_assert_azure_secret (KlCredentials *creds,
                                           const char    *project,
                                           const char    *client,
                                           const char    *expected);
gboolean      kl_test_delete_azure (KlCredentials *creds,
                                    const char    *project,
                                    const char    *client,
                                    GError       **error);
KlProfile    *kl_test_find_profile (GPtrArray  *profiles,
                                    const char *id);

G_END_DECLS
