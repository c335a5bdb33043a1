/* kl-setup-answers.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KL_TYPE_SETUP_ANSWERS (kl_setup_answers_get_type ())

G_DECLARE_FINAL_TYPE (KlSetupAnswers, kl_setup_answers, KL, SETUP_ANSWERS, GObject)

KlSetupAnswers *kl_setup_answers_new                   (void);

const char     *kl_setup_answers_get_azure_environment (KlSetupAnswers *self);
void            kl_setup_answers_set_azure_environment (KlSetupAnswers *self,
                                                        const char     *azure_environment);
const char     *kl_setup_answers_get_tenant_id         (KlSetupAnswers *self);
void            kl_setup_answers_set_tenant_id         (KlSetupAnswers *self,
                                                        const char     *tenant_id);
const char     *kl_setup_answers_get_client_id         (KlSetupAnswers *self);
void            kl_setup_answers_set_client_id         (KlSetupAnswers *self,
                                                        const char     *client_id);
const char     *kl_setup_answers_get_client_secret     (KlSetupAnswers *self);
void            kl_setup_answers_set_client_secret     (KlSetupAnswers *self,
                                                        const char     *client_secret);
gboolean        kl_setup_answers_get_has_client_secret (KlSetupAnswers *self);
void            kl_setup_answers_clear_client_secret   (KlSetupAnswers *self);
const char     *kl_setup_answers_get_subscription_id   (KlSetupAnswers *self);
void            kl_setup_answers_set_subscription_id   (KlSetupAnswers *self,
                                                        const char     *subscription_id);
const char     *kl_setup_answers_get_resource_group    (KlSetupAnswers *self);
void            kl_setup_answers_set_resource_group    (KlSetupAnswers *self,
                                                        const char     *resource_group);
const char     *kl_setup_answers_get_key_vault_name    (KlSetupAnswers *self);
void            kl_setup_answers_set_key_vault_name    (KlSetupAnswers *self,
                                                        const char     *key_vault_name);
const char     *kl_setup_answers_get_key_identifier    (KlSetupAnswers *self);
void            kl_setup_answers_set_key_identifier    (KlSetupAnswers *self,
                                                        const char     *key_identifier);

void            kl_setup_answers_set_draft_settings    (KlSetupAnswers *self,
                                                        GSettings      *settings);
void            kl_setup_answers_open_draft            (KlSetupAnswers *self,
                                                        const char     *group_id,
                                                        gboolean        discard);
void            kl_setup_answers_draft_changed         (KlSetupAnswers *self);
void            kl_setup_answers_flush_draft           (KlSetupAnswers *self);
void            kl_setup_answers_discard_draft         (KlSetupAnswers *self,
                                                        const char     *group_id);
gboolean        kl_setup_answers_get_draft_restored    (KlSetupAnswers *self);

G_END_DECLS
