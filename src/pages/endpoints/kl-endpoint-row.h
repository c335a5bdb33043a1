/* kl-endpoint-row.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kl-atlas-types.h"
#include "kl-command-view.h"
#include "kl-watch.h"

G_BEGIN_DECLS

/* One private endpoint on the Private Endpoints page: its region by name, its status with an
 * icon and what it means in plain words, how long it has been so (or since when Keylink has
 * seen it so), Atlas's errorMessage, and what the user can do for this endpoint: its
 * connection's name while Azure waits for approval (the page shows the one approval command
 * for all of them), the command that registers Microsoft.Network and Retry when it failed,
 * Delete. The buttons activate the page's "endpoints.*" actions with the endpoint id as target
 * (see kl-endpoints-page.c). */

#define KL_TYPE_ENDPOINT_ROW (kl_endpoint_row_get_type ())

G_DECLARE_FINAL_TYPE (KlEndpointRow, kl_endpoint_row, KL, ENDPOINT_ROW, GtkListBoxRow)

/* Properties: "endpoint" (construct-only), "resource-group", "vault-name" (for the approval
 * command), "status-since" (g_get_monotonic_time() when the status was first seen,
 * KL_WATCH_TIME_UNKNOWN if unknown: the default), "demo" (offer the simulated Azure actions), "recreated" (the connection was
 * rejected or removed before: ask for the approval again), "busy", "notice" (a message from
 * the last action, nullable). */
GtkWidget         *kl_endpoint_row_new                (KlPrivateEndpoint *endpoint);

KlPrivateEndpoint *kl_endpoint_row_get_endpoint       (KlEndpointRow     *self);
void               kl_endpoint_row_set_approval_target (KlEndpointRow    *self,
                                                        const char       *environment,
                                                        const char       *subscription_id,
                                                        const char       *resource_group,
                                                        const char       *vault_name);
void               kl_endpoint_row_set_status_since   (KlEndpointRow     *self,
                                                       gint64             since_us);
/* Whether Keylink saw the status begin (a change, or a record that appeared while it
 * watched): "for 3 min". Otherwise (the default) the status was there when Keylink first
 * looked, and the row says only since when it has seen it: "seen since 10:42". */
void               kl_endpoint_row_set_status_start_seen (KlEndpointRow  *self,
                                                          gboolean        seen);
void               kl_endpoint_row_set_demo           (KlEndpointRow     *self,
                                                       gboolean           demo);
void               kl_endpoint_row_set_recreated      (KlEndpointRow     *self,
                                                       gboolean           recreated);
void               kl_endpoint_row_set_busy           (KlEndpointRow     *self,
                                                       gboolean           busy);
void               kl_endpoint_row_set_notice         (KlEndpointRow     *self,
                                                       const char        *notice);
/* The endpoint's private endpoint connection as Azure says it: @read FALSE hides it
 * (no credentials, or not read yet); @status ("Pending", "Approved", "Rejected",
 * "Disconnected") NULL when the vault has no connection of that name, or when @error (why the
 * read failed) is set; @can_approve offers "Approve in Azure" while it is Pending. */
void               kl_endpoint_row_set_azure          (KlEndpointRow     *self,
                                                       gboolean           read,
                                                       const char        *status,
                                                       const char        *error,
                                                       gboolean           can_approve);
/* What the row says of the Azure side, or NULL when it says nothing. */
const char        *kl_endpoint_row_get_azure_text     (KlEndpointRow     *self);
gboolean           kl_endpoint_row_get_can_approve_in_azure (KlEndpointRow *self);
const char        *kl_endpoint_row_get_notice         (KlEndpointRow     *self);

/* Updates "for 3 min" from the monotonic clock (the page calls it on a timer). */
void               kl_endpoint_row_update_time        (KlEndpointRow     *self);

/* The status words the user guide uses; the command the row shows (registering
 * Microsoft.Network for a FAILED endpoint whose message names it), or NULL. */
const char        *kl_endpoint_row_get_status_title   (KlEndpointRow     *self);
const char        *kl_endpoint_row_get_explanation    (KlEndpointRow     *self);
const char        *kl_endpoint_row_get_time_text      (KlEndpointRow     *self);
const char        *kl_endpoint_row_get_command        (KlEndpointRow     *self);
KlCommandView     *kl_endpoint_row_get_command_view   (KlEndpointRow     *self);

/* az keyvault private-endpoint-connection approve --subscription SUB --resource-group RG
 * --vault-name VAULT --name CONNECTION --description "MongoDB Atlas encryption at rest", on
 * one line, each value shell-quoted unless it is only [A-Za-z0-9._-]. `az` resolves the vault
 * in its active subscription, hence --subscription (left out only when @subscription_id is
 * NULL or empty); for AZURE_CHINA and AZURE_US_GOVERNMENT it is preceded by
 * `az cloud set --name AzureChinaCloud && ` (AzureUSGovernment). NULL when the resource
 * group, the vault or the connection is NULL or empty. */
char              *kl_endpoint_build_approval_command (const char        *environment,
                                                       const char        *subscription_id,
                                                       const char        *resource_group,
                                                       const char        *vault_name,
                                                       const char        *connection_name);
/* The approval of several connections at once: for one, the command above; for more,
 * `for name in A B; do az keyvault private-endpoint-connection approve --subscription SUB
 * --resource-group RG --vault-name VAULT --name "$name" --description "…"; done` (each name
 * shell-quoted unless it is only [A-Za-z0-9._-]), after the cloud's `az cloud set` as above.
 * NULL when there is no name, or a value is missing. */
char              *kl_endpoint_build_approvals_command (const char         *environment,
                                                        const char         *subscription_id,
                                                        const char         *resource_group,
                                                        const char         *vault_name,
                                                        const char * const *connection_names);
/* az provider register --namespace Microsoft.Network --subscription SUB (with the cloud's
 * `az cloud set` first, as for the approval command). */
char              *kl_endpoint_build_register_command (const char        *environment,
                                                       const char        *subscription_id);
/* Whether an endpoint's errorMessage speaks of the Microsoft.Network resource provider. */
gboolean           kl_endpoint_message_names_network_provider (const char *message);
/* "Waiting for approval in Azure" and the like; unknown status text as it is. */
const char        *kl_endpoint_status_title           (KlEndpointStatus   status,
                                                       const char        *status_text);
/* "seen since 10:42" for a local time. */
char              *kl_endpoint_format_seen_since      (GDateTime         *since);
/* "for 3 min" for a duration in seconds ("for less than a minute" under 60). */
char              *kl_endpoint_format_duration        (gint64             seconds);

G_END_DECLS
