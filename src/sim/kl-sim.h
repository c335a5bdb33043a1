/* kl-sim.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The seeded organization (design.md section 7). Ids are 24 lowercase hex. */
#define KL_SIM_ORG_ID              "65f000000000000000000001"
/* "Payments" — ready for the whole flow: M10 (US_EAST_2) and M30 (EUROPE_WEST) on Azure. */
#define KL_SIM_GROUP_READY         "65f0000000000000000000a1"
/* "Analytics" — one cluster of each ineligible kind (M0, Flex, serverless, multi-cloud, AWS)
 * plus one eligible Azure M10, so every rule can be exercised. */
#define KL_SIM_GROUP_MIXED         "65f0000000000000000000a2"
/* "Archive" — an INACTIVE project. */
#define KL_SIM_GROUP_INACTIVE      "65f0000000000000000000a3"

/* Azure values the seed treats specially; every other well-formed value is accepted. */
#define KL_SIM_BAD_AZURE_CLIENT_ID "00000000-0000-0000-0000-00000000bad0" /* INVALID_AZURE_CREDENTIALS */
#define KL_SIM_UNUSABLE_KEY_NAME   "unusable-key"                         /* valid: false */

#define KL_TYPE_SIM (kl_sim_get_type ())

G_DECLARE_FINAL_TYPE (KlSim, kl_sim, KL, SIM, GObject)

KlSim      *kl_sim_new                 (void);
void        kl_sim_set_time_scale      (KlSim       *self,
                                        double       time_scale);
void        kl_sim_set_seed            (KlSim       *self,
                                        guint64      seed);
void        kl_sim_add_api_key         (KlSim       *self,
                                        const char  *public_key,
                                        const char  *private_key);
void        kl_sim_add_service_account (KlSim       *self,
                                        const char  *client_id,
                                        const char  *client_secret);
/* Listens on 127.0.0.1:@port (0 = an ephemeral port), on the thread-default main context. */
gboolean    kl_sim_start               (KlSim       *self,
                                        guint        port,
                                        GError     **error);
/* "http://127.0.0.1:PORT", valid after kl_sim_start(). */
const char *kl_sim_get_base_url        (KlSim       *self);
void        kl_sim_stop                (KlSim       *self);

G_END_DECLS
