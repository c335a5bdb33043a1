/* kl-page-ids.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* The pages of the assistant, by the names it knows them by (KlPage:page-id). */
#define KL_PAGE_WELCOME            "welcome"
#define KL_PAGE_SIGN_IN            "sign-in"
#define KL_PAGE_PROJECT            "project"
#define KL_PAGE_AZURE_APP          "azure-app"
#define KL_PAGE_KEY_VAULT          "key-vault"
#define KL_PAGE_REVIEW             "review"
#define KL_PAGE_PRIVATE_NETWORKING "private-networking"
#define KL_PAGE_ENDPOINTS          "endpoints"
#define KL_PAGE_CLUSTERS           "clusters"
#define KL_PAGE_ROTATE             "rotate"
#define KL_PAGE_TEARDOWN           "teardown"
#define KL_PAGE_DONE               "done"
