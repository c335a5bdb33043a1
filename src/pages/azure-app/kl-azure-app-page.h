/* kl-azure-app-page.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-page.h"
#include "kl-setup-answers.h"

G_BEGIN_DECLS

#define KL_TYPE_AZURE_APP_PAGE (kl_azure_app_page_get_type ())

G_DECLARE_FINAL_TYPE (KlAzureAppPage, kl_azure_app_page, KL, AZURE_APP_PAGE, KlPage)

KlPage *kl_prepare_azure_app_page (KlContext *context);

G_END_DECLS
