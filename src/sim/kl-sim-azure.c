/* kl-sim-azure.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-sim"

#include "config.h"

#include "kl-azure-sim-private.h"
#include "kl-sim-azure.h"

struct _KlSimAzureLink
{
  KlSim      *sim;
  KlSimWorld *world;
  KlAzureSim *azure_sim;
  /* While one side follows the other: the echo from the other side is not acted on. */
  gboolean    following;
};

/* The Azure simulator's clock is KlSim's */

static gint64
link_now (gpointer data)
{
  KlSimAzureLink *link = data;

  return kl_sim_world_now (link->world);
}

static void
link_set_time_scale (gpointer data,
                     double   time_scale)
{
  KlSimAzureLink *link = data;

  kl_sim_set_time_scale (link->sim, time_scale);
}

static void
link_advance (gpointer data,
              double   seconds)
{
  KlSimAzureLink *link = data;

  kl_sim_advance (link->sim, seconds);
}

/* Before the Azure side is looked at: the endpoints that reached PENDING_ACCEPTANCE by now
 * have offered their connections. */
static void
link_sync (gpointer data)
{
  KlSimAzureLink *link = data;

  if (!link->following)
    kl_sim_world_refresh (link->world);
}

static const KlAzureSimLink azure_link = {
  .now = link_now,
  .set_time_scale = link_set_time_scale,
  .advance = link_advance,
  .sync = link_sync,
};

/* Atlas → Azure */

static void
world_connection_cb (KlSimConnectionEvent  event,
                     const char           *group_id,
                     const char           *vault_name,
                     const char           *connection_name,
                     gpointer              user_data)
{
  KlSimAzureLink *link = user_data;
  g_autoptr(GError) error = NULL;
  const char *status = NULL;
  SimVault *vault;
  SimConnection *connection;

  if (link->following)
    return;

  link->following = TRUE;
  switch (event)
    {
    case KL_SIM_CONNECTION_PENDING:
      /* A vault the Azure simulator does not hold: Atlas offers a connection nobody sees. */
      if (!kl_azure_sim_add_pending_connection (link->azure_sim, vault_name, connection_name,
                                                &error))
        g_debug ("Connection %s of project %s not in the Azure simulator: %s", connection_name,
                 group_id, error->message);
      break;
    case KL_SIM_CONNECTION_APPROVED:
      status = "Approved";
      break;
    case KL_SIM_CONNECTION_REJECTED:
      status = "Rejected";
      break;
    case KL_SIM_CONNECTION_REMOVED:
      status = "Disconnected";
      break;
    default:
      g_assert_not_reached ();
    }

  if (status != NULL
      && (vault = kl_azure_sim_find_vault (link->azure_sim, vault_name)) != NULL
      && (connection = kl_azure_sim_find_connection (vault, connection_name)) != NULL
      && g_strcmp0 (connection->status, status) != 0)
    kl_azure_sim_change_connection (link->azure_sim, vault, connection, status, NULL);
  link->following = FALSE;
}

/* Azure → Atlas */

static void
follow_azure (KlSimAzureLink   *link,
              const char       *connection_name,
              KlSimAzureAction  action)
{
  g_autofree char *group_id = NULL;
  g_autofree char *endpoint_id = NULL;
  g_autoptr(JsonNode) endpoint = NULL;
  g_autoptr(KlSimFailure) failure = NULL;

  if (link->following)
    return;
  /* (Brings the world up to the clock first, which may offer other connections.) */
  if (!kl_sim_world_find_connection (link->world, connection_name, &group_id, &endpoint_id))
    return;

  link->following = TRUE;
  endpoint = kl_sim_world_azure_action (link->world, group_id, endpoint_id, action, NULL,
                                        &failure);
  if (endpoint == NULL)
    g_debug ("Endpoint %s of project %s does not follow its connection %s: %s", endpoint_id,
             group_id, connection_name, failure->detail);
  link->following = FALSE;
}

static void
connection_approved_cb (KlAzureSim     *azure_sim,
                        const char     *vault_name,
                        const char     *connection_name,
                        KlSimAzureLink *link)
{
  follow_azure (link, connection_name, KL_SIM_AZURE_APPROVE);
}

static void
connection_rejected_cb (KlAzureSim     *azure_sim,
                        const char     *vault_name,
                        const char     *connection_name,
                        KlSimAzureLink *link)
{
  SimVault *vault = kl_azure_sim_find_vault (azure_sim, vault_name);
  SimConnection *connection = vault ? kl_azure_sim_find_connection (vault, connection_name)
                                    : NULL;
  gboolean removed = connection != NULL && g_strcmp0 (connection->status, "Disconnected") == 0;

  follow_azure (link, connection_name, removed ? KL_SIM_AZURE_REMOVE : KL_SIM_AZURE_REJECT);
}

/* The link */

KlSimAzureLink *
kl_sim_azure_link_new (KlSim      *sim,
                       KlSimWorld *world,
                       KlAzureSim *azure_sim)
{
  KlSimAzureLink *link = g_new0 (KlSimAzureLink, 1);

  link->sim = sim;
  link->world = world;
  link->azure_sim = g_object_ref (azure_sim);
  kl_azure_sim_set_link (azure_sim, &azure_link, link);
  kl_sim_world_set_connection_func (world, world_connection_cb, link);
  g_signal_connect (azure_sim, "connection-approved", G_CALLBACK (connection_approved_cb), link);
  g_signal_connect (azure_sim, "connection-rejected", G_CALLBACK (connection_rejected_cb), link);
  return link;
}

void
kl_sim_azure_link_free (KlSimAzureLink *link)
{
  if (link == NULL)
    return;

  g_signal_handlers_disconnect_by_data (link->azure_sim, link);
  kl_sim_world_set_connection_func (link->world, NULL, NULL);
  kl_azure_sim_set_link (link->azure_sim, NULL, NULL);
  g_object_unref (link->azure_sim);
  g_free (link);
}

KlAzureSim *
kl_sim_azure_link_get_azure_sim (KlSimAzureLink *link)
{
  return link->azure_sim;
}
