/* kl-application.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-atlas-client.h"

#include "kl-context.h"

G_BEGIN_DECLS

#define KL_TYPE_APPLICATION (kl_application_get_type ())

G_DECLARE_FINAL_TYPE (KlApplication, kl_application, KL, APPLICATION, AdwApplication)

KlApplication *kl_application_new             (void);
gboolean       kl_application_get_demo        (KlApplication  *self);
void           kl_application_set_demo        (KlApplication  *self,
                                               gboolean        demo);
KlAtlasClient *kl_application_new_demo_client (KlApplication  *self,
                                               GError        **error);
/* After kl_application_new_demo_client (): the demo's simulated Azure for @context. */
void           kl_application_configure_demo_context (KlApplication *self,
                                                      KlContext     *context);
/* The demo's simulated Azure's values, secret included; FALSE when it does not run. */
gboolean       kl_application_fill_demo_answers (KlApplication  *self,
                                                 KlSetupAnswers *answers);
const char    *kl_application_get_atlas_url   (KlApplication  *self);
GSettings     *kl_application_get_settings    (KlApplication  *self);

G_END_DECLS
