/* kl-azure-sim-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-azure-sim.h"
#include "kl-sim-faults.h"

G_BEGIN_DECLS

/* What kl-azure-sim.c (state, servers, faults, public API) and kl-azure-sim-services.c
 * (the three services and the control API) share. */

typedef struct
{
  const char *environment;
  const char *arm_scope;
  const char *key_vault_scope;
  const char *key_vault_suffix;
  const char *key_vault_resource;   /* the challenge's resource="…" */
} KlAzureSimCloud;

typedef struct
{
  char               *client_id;
  char               *secret;
  KlAzureSimRoles     roles;
  KlAzureSimAppState  state;
  gboolean            any_secret;  /* kl_azure_sim_add_world () without a secret */
} SimApp;

typedef struct
{
  char     *name;
  char     *version;
  char     *kty;
  GStrv     key_ops;
  gboolean  enabled;
  gint64    exp;   /* 0: absent */
  gint64    nbf;   /* 0: absent */
} SimKey;

typedef struct
{
  char   *name;
  char   *status;
  char   *description;
  gint64  updating_until;   /* simulated µs: provisioningState Updating before it */
} SimConnection;

typedef struct
{
  char  *client_id;
  GStrv  key_permissions;
} SimPolicy;

typedef struct
{
  char      *subscription_id;
  char      *resource_group;
  char      *name;
  char      *tenant_id;
  gboolean   rbac;
  char      *public_network_access;
  char      *default_action;
  gboolean   allows_this_machine;
  GPtrArray *policies;     /* SimPolicy */
  GPtrArray *keys;         /* SimKey */
  GPtrArray *connections;  /* SimConnection */
} SimVault;

typedef struct
{
  char       *id;
  char       *tenant_id;
  GPtrArray  *resource_groups;  /* char* */
  GHashTable *providers;        /* lower-case namespace → registrationState */
} SimSubscription;

typedef struct
{
  char   *client_id;
  const char *tenant_id; /* not owned: the simulator's */
  gboolean key_vault;  /* audience: Key Vault, else ARM */
  gint64 expires;      /* simulated µs */
} SimToken;

/* KlSim's link (kl_sim_set_azure_sim ()): one clock for both simulators, and a chance to
 * bring the Atlas world up to that clock before the Azure side is looked at (so that the
 * connection of an endpoint that reached PENDING_ACCEPTANCE is there). */
typedef struct
{
  gint64 (*now)            (gpointer data);   /* simulated µs */
  void   (*set_time_scale) (gpointer data,
                            double   time_scale);
  void   (*advance)        (gpointer data,
                            double   seconds);
  void   (*sync)           (gpointer data);
} KlAzureSimLink;

struct _KlAzureSim
{
  GObject                parent_instance;

  const KlAzureSimCloud *cloud;
  char                  *tenant_id;
  GPtrArray             *foreign_tenants;  /* char* */
  GPtrArray             *home_tenants;     /* char*, lower case: more tenants of this cloud */
  GPtrArray             *apps;             /* SimApp */
  GPtrArray             *subscriptions;    /* SimSubscription */
  GPtrArray             *vaults;           /* SimVault */
  GHashTable            *tokens;           /* access token → SimToken */
  guint                  token_lifetime;
  KlSimFaults           *faults;
  GPtrArray             *requests;         /* KlAzureSimRequest */
  GList                 *pending;

  double                 time_scale;
  gint64                 anchor_real;
  gint64                 anchor_sim;

  SoupServer            *servers[3];       /* KlAzureSimService */
  char                  *urls[3];
  char                  *vault_template;
  GMainContext          *context;

  const KlAzureSimLink  *link;
  gpointer               link_data;
};

/* @link NULL: the simulator's own clock again. */
void             kl_azure_sim_set_link            (KlAzureSim        *self,
                                                   const KlAzureSimLink *link,
                                                   gpointer           data);
/* Runs the link's sync, if any. */
void             kl_azure_sim_sync                (KlAzureSim        *self);

gint64           kl_azure_sim_now                 (KlAzureSim        *self);
/* The simulator's own string for @tenant (lower case) when it is one of this cloud's
 * tenants, else NULL. */
const char      *kl_azure_sim_find_tenant         (KlAzureSim        *self,
                                                   const char        *tenant);
SimApp          *kl_azure_sim_find_app            (KlAzureSim        *self,
                                                   const char        *client_id);
SimVault        *kl_azure_sim_find_vault          (KlAzureSim        *self,
                                                   const char        *name);
SimSubscription *kl_azure_sim_find_subscription   (KlAzureSim        *self,
                                                   const char        *id);
SimKey          *kl_azure_sim_find_key            (SimVault          *vault,
                                                   const char        *name);
SimConnection   *kl_azure_sim_find_connection     (SimVault          *vault,
                                                   const char        *name);
void             kl_azure_sim_change_connection   (KlAzureSim        *self,
                                                   SimVault          *vault,
                                                   SimConnection     *connection,
                                                   const char        *status,
                                                   const char        *description);
gboolean         kl_azure_sim_version_ok          (const char *const *list,
                                                   const char        *version);
const char * const *kl_azure_sim_versions         (KlAzureSimService  service,
                                                   gboolean           providers);
JsonNode        *kl_azure_sim_add_fault_node      (KlAzureSim        *self,
                                                   JsonNode          *rule,
                                                   GError           **error);
JsonNode        *kl_azure_sim_list_faults         (KlAzureSim        *self);

/* Takes @node. */
void             kl_azure_sim_respond_json        (SoupServerMessage *msg,
                                                   guint              status,
                                                   JsonNode          *node);
void             kl_azure_sim_respond_cloud_error (SoupServerMessage *msg,
                                                   guint              status,
                                                   const char        *code,
                                                   const char        *inner_code,
                                                   const char        *message);
void             kl_azure_sim_respond_aad_error   (SoupServerMessage *msg,
                                                   guint              status,
                                                   const char        *oauth_error,
                                                   guint              aadsts,
                                                   const char        *text);

void             kl_azure_sim_handle_login        (KlAzureSim        *self,
                                                   SoupServerMessage *msg);
void             kl_azure_sim_handle_arm          (KlAzureSim        *self,
                                                   SoupServerMessage *msg);
/* FALSE: no such vault host, the connection is to be dropped (DNS would fail). */
gboolean         kl_azure_sim_handle_vault        (KlAzureSim        *self,
                                                   SoupServerMessage *msg);
void             kl_azure_sim_handle_control      (KlAzureSim        *self,
                                                   SoupServerMessage *msg,
                                                   const char        *path);

G_END_DECLS
