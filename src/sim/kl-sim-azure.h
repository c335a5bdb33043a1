/* kl-sim-azure.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-azure-sim.h"
#include "kl-sim.h"
#include "kl-sim-world.h"

G_BEGIN_DECLS

/* KlSim's link to a KlAzureSim (kl_sim_set_azure_sim ()): one clock, KlSim's; each endpoint
 * that reaches PENDING_ACCEPTANCE offers its connection to the vault in "Azure"; approving,
 * rejecting or disconnecting it there does the same to the endpoint in "Atlas", and the Atlas
 * side's Azure actions (kl_sim_approve_endpoint (), the control API) set the connection's
 * status in Azure. */
typedef struct _KlSimAzureLink KlSimAzureLink;

/* @sim is not referenced (it owns the link); @azure_sim is. */
KlSimAzureLink *kl_sim_azure_link_new           (KlSim          *sim,
                                                 KlSimWorld     *world,
                                                 KlAzureSim     *azure_sim);
/* Leaves @azure_sim on its own clock again, without KlSim's hooks. */
void            kl_sim_azure_link_free          (KlSimAzureLink *link);
KlAzureSim     *kl_sim_azure_link_get_azure_sim (KlSimAzureLink *link);

G_END_DECLS
