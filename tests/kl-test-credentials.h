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

/* What test-credentials.c and test-cli-import.c share. The calls wait on the main loop, up to
 * KL_TEST_CREDENTIALS_WAIT_MS. */
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

G_END_DECLS
