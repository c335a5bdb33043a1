/* kl-azure-check.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-azure-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-azure-check.h"
#include "kl-azure-id.h"
#include "kl-error.h"

/* Atlas refuses a key that expires within 48 hours (AZURE_KEY_VAULT_KEY_EXPIRING). */
#define EXPIRING_SECONDS (48 * 3600)

G_DEFINE_ENUM_TYPE (KlAzureVerdict, kl_azure_verdict,
                    G_DEFINE_ENUM_VALUE (KL_AZURE_VERDICT_PASS, "pass"),
                    G_DEFINE_ENUM_VALUE (KL_AZURE_VERDICT_WARN, "warn"),
                    G_DEFINE_ENUM_VALUE (KL_AZURE_VERDICT_FAIL, "fail"),
                    G_DEFINE_ENUM_VALUE (KL_AZURE_VERDICT_UNKNOWN, "unknown"))

/* ------------------------------------------------------------------------------------------ */
/* KlAzureFinding                                                                              */

struct _KlAzureFinding
{
  GObject         parent_instance;

  char           *id;
  KlAzureVerdict  verdict;
  char           *title;
  char           *detail;
  char           *action;
  char           *subject;
  KlAzureCause    cause;
};

G_DEFINE_FINAL_TYPE (KlAzureFinding, kl_azure_finding, G_TYPE_OBJECT)

static void
kl_azure_finding_finalize (GObject *object)
{
  KlAzureFinding *self = (KlAzureFinding *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->action);
  g_free (self->subject);

  G_OBJECT_CLASS (kl_azure_finding_parent_class)->finalize (object);
}

static void
kl_azure_finding_class_init (KlAzureFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_azure_finding_finalize;
}

static void
kl_azure_finding_init (KlAzureFinding *self)
{
}

const char *
kl_azure_finding_get_id (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), NULL);
  return self->id;
}

KlAzureVerdict
kl_azure_finding_get_verdict (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), KL_AZURE_VERDICT_UNKNOWN);
  return self->verdict;
}

const char *
kl_azure_finding_get_title (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), NULL);
  return self->title;
}

const char *
kl_azure_finding_get_detail (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), NULL);
  return self->detail;
}

const char *
kl_azure_finding_get_action (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), NULL);
  return self->action;
}

const char *
kl_azure_finding_get_subject (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), NULL);
  return self->subject;
}

KlAzureCause
kl_azure_finding_get_cause (KlAzureFinding *self)
{
  g_return_val_if_fail (KL_IS_AZURE_FINDING (self), KL_AZURE_CAUSE_NONE);
  return self->cause;
}

KlAzureFinding *
kl_azure_findings_lookup (GListModel *findings,
                          const char *id,
                          const char *subject)
{
  guint i;

  g_return_val_if_fail (G_IS_LIST_MODEL (findings), NULL);

  for (i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KlAzureFinding) finding = g_list_model_get_item (findings, i);

      if (g_strcmp0 (finding->id, id) == 0 &&
          (subject == NULL || g_strcmp0 (finding->subject, subject) == 0))
        return finding;  /* the list keeps its reference */
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* KlAzureCheck                                                                                */

struct _KlAzureCheck
{
  GObject        parent_instance;

  KlAzureClient *client;
  char          *subscription_id;
  char          *resource_group;
  char          *vault_name;
  char          *key_name;
  char          *key_version;
  GStrv          connection_names;
  gint64         now;
};

G_DEFINE_FINAL_TYPE (KlAzureCheck, kl_azure_check, G_TYPE_OBJECT)

static void
kl_azure_check_finalize (GObject *object)
{
  KlAzureCheck *self = (KlAzureCheck *) object;

  g_clear_object (&self->client);
  g_free (self->subscription_id);
  g_free (self->resource_group);
  g_free (self->vault_name);
  g_free (self->key_name);
  g_free (self->key_version);
  g_strfreev (self->connection_names);

  G_OBJECT_CLASS (kl_azure_check_parent_class)->finalize (object);
}

static void
kl_azure_check_class_init (KlAzureCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_azure_check_finalize;
}

static void
kl_azure_check_init (KlAzureCheck *self)
{
}

KlAzureCheck *
kl_azure_check_new (KlAzureClient *client,
                    const char    *subscription_id,
                    const char    *resource_group,
                    const char    *vault_name,
                    const char    *key_name,
                    const char    *key_version)
{
  KlAzureCheck *self;

  g_return_val_if_fail (KL_IS_AZURE_CLIENT (client), NULL);

  self = g_object_new (KL_TYPE_AZURE_CHECK, NULL);
  self->client = g_object_ref (client);
  self->subscription_id = g_strdup (subscription_id);
  self->resource_group = g_strdup (resource_group);
  self->vault_name = g_strdup (vault_name);
  self->key_name = g_strdup (key_name);
  self->key_version = g_strdup (key_version);
  return self;
}

void
kl_azure_check_set_connection_names (KlAzureCheck       *self,
                                     const char * const *names)
{
  g_return_if_fail (KL_IS_AZURE_CHECK (self));

  g_strfreev (self->connection_names);
  self->connection_names = g_strdupv ((char **) names);
}

void
kl_azure_check_set_now (KlAzureCheck *self,
                        gint64        unix_seconds)
{
  g_return_if_fail (KL_IS_AZURE_CHECK (self));
  self->now = unix_seconds;
}

/* One run. */
typedef struct
{
  GListStore      *findings;
  GError          *sign_in_error;
  KlAzureVault    *vault;
  GError          *vault_error;
  KlAzureProvider *provider;
  GError          *provider_error;
  KlAzureKey      *key;
  GError          *key_error;
} Run;

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_object (&run->findings);
  g_clear_error (&run->sign_in_error);
  g_clear_pointer (&run->vault, kl_azure_vault_unref);
  g_clear_error (&run->vault_error);
  g_clear_pointer (&run->provider, kl_azure_provider_unref);
  g_clear_error (&run->provider_error);
  g_clear_pointer (&run->key, kl_azure_key_unref);
  g_clear_error (&run->key_error);
  g_free (run);
}

static void
add_finding (Run            *run,
             const char     *id,
             KlAzureVerdict  verdict,
             const char     *subject,
             KlAzureCause    cause,
             char           *title,
             char           *detail,
             char           *action)
{
  g_autoptr(KlAzureFinding) finding = g_object_new (KL_TYPE_AZURE_FINDING, NULL);

  finding->id = g_strdup (id);
  finding->verdict = verdict;
  finding->subject = g_strdup (subject);
  finding->cause = cause;
  finding->title = title;
  finding->detail = detail;
  finding->action = action;
  g_list_store_append (run->findings, finding);
}

/* The error behind what cannot be seen from here: a vault that takes only private traffic,
 * no route to it, no answer in time, Azure busy. */
static gboolean
is_unseeable (const GError *error)
{
  KlAzureCause cause = kl_azure_error_get_cause (error);

  return cause == KL_AZURE_CAUSE_FORBIDDEN_BY_FIREWALL ||
         cause == KL_AZURE_CAUSE_FORBIDDEN_BY_CONNECTION ||
         cause == KL_AZURE_CAUSE_THROTTLED ||
         g_error_matches (error, KL_ERROR, KL_ERROR_NETWORK) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TIMEOUT) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_TLS) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_SERVER) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_RATE_LIMITED) ||
         g_error_matches (error, KL_ERROR, KL_ERROR_BAD_RESPONSE);
}

/* Whether the vault's host answered at all (so the vault exists somewhere). */
static gboolean
vault_host_answered (Run *run)
{
  return run->key != NULL ||
         (run->key_error != NULL && kl_error_get_http_status (run->key_error) != 0);
}

static gint64
check_now (KlAzureCheck *self)
{
  return self->now != 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static void
findings_vault (KlAzureCheck *self,
                Run          *run)
{
  KlAzureVault *vault = run->vault;

  if (vault != NULL)
    {
      g_autofree char *cloud_uri = kl_azure_cloud_dup_vault_uri (
        kl_azure_client_get_cloud (self->client), self->vault_name);

      if (vault->tenant_id != NULL &&
          g_ascii_strcasecmp (vault->tenant_id, kl_azure_client_get_tenant_id (self->client)) != 0)
        {
          add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_FAIL, NULL,
                       KL_AZURE_CAUSE_NONE,
                       g_strdup_printf (_("The key vault “%s” belongs to another tenant"),
                                        vault->name),
                       g_strdup_printf (_("The vault authenticates with the tenant “%s”, and the "
                                          "application signs in to “%s”."), vault->tenant_id,
                                        kl_azure_client_get_tenant_id (self->client)),
                       g_strdup (_("Use an application and a tenant ID of the vault’s tenant.")));
          return;
        }
      if (vault->vault_uri != NULL && !kl_azure_vault_uri_equal (vault->vault_uri, cloud_uri))
        {
          add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_WARN, NULL,
                       KL_AZURE_CAUSE_NONE,
                       g_strdup_printf (_("The key vault “%s” has an unexpected address"),
                                        vault->name),
                       g_strdup_printf (_("Azure gives its address as “%s”, not “%s”."),
                                        vault->vault_uri, cloud_uri),
                       g_strdup (_("Check that the Azure environment is the vault’s cloud.")));
          return;
        }
      add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                   g_strdup_printf (_("The key vault “%s” is in the resource group “%s”"),
                                    vault->name, self->resource_group),
                   vault->location != NULL
                   ? g_strdup_printf (_("Location: %s."), vault->location) : NULL,
                   NULL);
      return;
    }

  if (is_unseeable (run->vault_error))
    {
      add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_UNKNOWN, NULL,
                   kl_azure_error_get_cause (run->vault_error),
                   g_strdup (_("Keylink could not read the key vault")),
                   g_strdup (run->vault_error->message),
                   g_strdup (_("Check again in a moment.")));
      return;
    }

  if (kl_azure_error_get_cause (run->vault_error) == KL_AZURE_CAUSE_RESOURCE_NOT_FOUND &&
      vault_host_answered (run))
    {
      add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_FAIL, NULL,
                   KL_AZURE_CAUSE_RESOURCE_NOT_FOUND,
                   g_strdup_printf (_("The key vault “%s” is not in the resource group “%s”"),
                                    self->vault_name, self->resource_group),
                   g_strdup (_("The vault exists (its address answers), but not in this "
                               "resource group of this subscription.")),
                   g_strdup (_("Enter the resource group and subscription shown on the vault’s "
                               "Overview page, or paste the vault’s resource ID.")));
      return;
    }

  add_finding (run, KL_AZURE_FINDING_VAULT, KL_AZURE_VERDICT_FAIL, NULL,
               kl_azure_error_get_cause (run->vault_error),
               kl_azure_error_get_cause (run->vault_error) == KL_AZURE_CAUSE_NOT_AUTHORIZED
               ? g_strdup (_("The application may not read the key vault"))
               : g_strdup_printf (_("Keylink did not find the key vault “%s”"), self->vault_name),
               NULL, g_strdup (run->vault_error->message));
}

static gboolean
has_permission (KlAzureAccessPolicy *policy,
                const char          *permission)
{
  guint i;

  for (i = 0; policy->key_permissions[i] != NULL; i++)
    if (g_ascii_strcasecmp (policy->key_permissions[i], permission) == 0 ||
        g_ascii_strcasecmp (policy->key_permissions[i], "all") == 0)
      return TRUE;
  return FALSE;
}

static void
findings_access (KlAzureCheck *self,
                 Run          *run)
{
  KlAzureVault *vault = run->vault;
  KlAzureCause key_cause = kl_azure_error_get_cause (run->key_error);
  KlAzureAccessPolicy *policy;

  if (vault == NULL)
    return;

  if (key_cause == KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC ||
      key_cause == KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY ||
      key_cause == KL_AZURE_CAUSE_VAULT_FORBIDDEN)
    {
      add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_FAIL, NULL, key_cause,
                   g_strdup (_("The application may not use the key")), NULL,
                   g_strdup (run->key_error->message));
      return;
    }

  if (vault->auth == KL_AZURE_VAULT_AUTH_ACCESS_POLICIES &&
      (policy = kl_azure_vault_find_policy (vault, kl_azure_client_get_client_id (self->client))))
    {
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();
      static const char * const needed[] = { "get", "encrypt", "decrypt" };
      guint i;

      for (i = 0; i < G_N_ELEMENTS (needed); i++)
        if (!has_permission (policy, needed[i]))
          g_ptr_array_add (missing, (gpointer) needed[i]);
      if (missing->len > 0)
        {
          g_autofree char *list = NULL;

          g_ptr_array_add (missing, NULL);
          list = g_strjoinv (", ", (char **) missing->pdata);
          add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_FAIL, NULL,
                       KL_AZURE_CAUSE_NONE,
                       g_strdup (_("The application’s access policy lacks key permissions")),
                       /* Translators: %s is a list such as "encrypt, decrypt" */
                       g_strdup_printf (_("Missing: %s."), list),
                       g_strdup (_("In the vault’s Access policies, give the application the key "
                                   "permissions Get, Encrypt and Decrypt.")));
          return;
        }
      add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                   g_strdup (_("The application’s access policy allows Get, Encrypt and "
                               "Decrypt")),
                   NULL, NULL);
      return;
    }

  if (run->key != NULL)
    {
      if (vault->auth == KL_AZURE_VAULT_AUTH_ACCESS_POLICIES)
        add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_WARN, NULL,
                     KL_AZURE_CAUSE_NONE,
                     g_strdup (_("The application can read the key")),
                     g_strdup (_("The vault uses access policies, which name object IDs: Keylink "
                                 "cannot tell which one is this application’s, so it cannot "
                                 "see whether Encrypt and Decrypt are allowed.")),
                     g_strdup (_("Make sure the application’s access policy has the key "
                                 "permissions Encrypt and Decrypt.")));
      else
        add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_PASS, NULL,
                     KL_AZURE_CAUSE_NONE,
                     g_strdup (_("The application can read the key")),
                     vault->auth == KL_AZURE_VAULT_AUTH_RBAC
                     ? g_strdup (_("The vault uses Azure role-based access control.")) : NULL,
                     NULL);
      return;
    }

  add_finding (run, KL_AZURE_FINDING_ACCESS, KL_AZURE_VERDICT_UNKNOWN, NULL, key_cause,
               g_strdup (_("Keylink cannot see the application’s permissions from this "
                           "computer")),
               run->key_error != NULL ? g_strdup (run->key_error->message) : NULL,
               g_strdup (_("Check in the Azure portal that the application may get, encrypt "
                           "and decrypt with the key.")));
}

static void
findings_network (KlAzureCheck *self,
                  Run          *run)
{
  KlAzureVault *vault = run->vault;

  if (vault == NULL)
    return;

  if (kl_azure_vault_is_private_only (vault))
    add_finding (run, KL_AZURE_FINDING_NETWORK, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("The key vault takes traffic only through private endpoints")),
                 g_strdup (_("Atlas reaches it over its approved private endpoints; Keylink "
                             "cannot read the key from this computer.")),
                 NULL);
  else if (vault->default_action != NULL && g_ascii_strcasecmp (vault->default_action, "Deny") == 0)
    add_finding (run, KL_AZURE_FINDING_NETWORK, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("The key vault’s firewall lets in only chosen networks")),
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u address rule",
                                               "%u address rules",
                                               g_strv_length (vault->ip_rules)),
                                  g_strv_length (vault->ip_rules)),
                 NULL);
  else
    add_finding (run, KL_AZURE_FINDING_NETWORK, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("The key vault takes traffic from all networks")), NULL, NULL);
}

static void
finding_connection (Run               *run,
                    const char        *name,
                    KlAzureConnection *connection)
{
  const char *status = connection != NULL ? connection->status : NULL;

  if (connection == NULL)
    add_finding (run, KL_AZURE_FINDING_CONNECTION, KL_AZURE_VERDICT_FAIL, name,
                 KL_AZURE_CAUSE_NONE,
                 g_strdup_printf (_("The key vault has no private endpoint connection “%s”"),
                                  name),
                 g_strdup (_("Atlas made this connection to a vault; it is not this one.")),
                 g_strdup (_("Check that the vault name is the one Atlas was given.")));
  else if (g_strcmp0 (status, "Approved") == 0)
    add_finding (run, KL_AZURE_FINDING_CONNECTION, KL_AZURE_VERDICT_PASS, name,
                 KL_AZURE_CAUSE_NONE,
                 g_strdup_printf (_("The private endpoint connection “%s” is approved"), name),
                 NULL, NULL);
  else if (g_strcmp0 (status, "Pending") == 0)
    add_finding (run, KL_AZURE_FINDING_CONNECTION, KL_AZURE_VERDICT_WARN, name,
                 KL_AZURE_CAUSE_NONE,
                 g_strdup_printf (_("The private endpoint connection “%s” waits for approval"),
                                  name),
                 NULL,
                 g_strdup (_("Approve it: Atlas cannot use the endpoint before.")));
  else
    add_finding (run, KL_AZURE_FINDING_CONNECTION, KL_AZURE_VERDICT_FAIL, name,
                 KL_AZURE_CAUSE_NONE,
                 /* Translators: the second %s is a status such as Rejected */
                 g_strdup_printf (_("The private endpoint connection “%s” is %s"), name,
                                  status != NULL ? status : "?"),
                 NULL,
                 g_strdup (_("Atlas recreates a rejected or removed endpoint: approve the new "
                             "connection when it appears.")));
}

static void
findings_connections (KlAzureCheck *self,
                      Run          *run)
{
  guint i;

  if (run->vault == NULL)
    return;

  if (self->connection_names != NULL)
    {
      for (i = 0; self->connection_names[i] != NULL; i++)
        finding_connection (run, self->connection_names[i],
                            kl_azure_vault_find_connection (run->vault,
                                                            self->connection_names[i]));
      return;
    }

  for (i = 0; i < run->vault->connections->len; i++)
    {
      KlAzureConnection *connection = g_ptr_array_index (run->vault->connections, i);

      finding_connection (run, connection->name, connection);
    }
}

static void
findings_provider (KlAzureCheck *self,
                   Run          *run)
{
  const char *state = run->provider != NULL ? run->provider->registration_state : NULL;

  if (run->provider == NULL)
    add_finding (run, KL_AZURE_FINDING_PROVIDER, KL_AZURE_VERDICT_UNKNOWN, NULL,
                 kl_azure_error_get_cause (run->provider_error),
                 g_strdup (_("Keylink could not read whether Microsoft.Network is registered")),
                 g_strdup (run->provider_error->message),
                 g_strdup (_("Check it in the Azure portal: Subscriptions → Resource providers → "
                             "Microsoft.Network. Atlas needs it registered for private "
                             "endpoints.")));
  else if (g_strcmp0 (state, "Registered") == 0)
    add_finding (run, KL_AZURE_FINDING_PROVIDER, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("Microsoft.Network is registered in the subscription")), NULL, NULL);
  else if (g_strcmp0 (state, "Registering") == 0)
    add_finding (run, KL_AZURE_FINDING_PROVIDER, KL_AZURE_VERDICT_WARN, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("Microsoft.Network is being registered in the subscription")), NULL,
                 g_strdup (_("Wait until it is registered, then check again.")));
  else
    add_finding (run, KL_AZURE_FINDING_PROVIDER, KL_AZURE_VERDICT_FAIL, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup (_("Microsoft.Network is not registered in the subscription")),
                 state != NULL ? g_strdup_printf (_("Registration state: %s."), state) : NULL,
                 g_strdup (_("Register it: Subscriptions → Resource providers → "
                             "Microsoft.Network → Register. Atlas needs it for private "
                             "endpoints.")));
}

static void
findings_key (KlAzureCheck *self,
              Run          *run)
{
  KlAzureKey *key = run->key;
  gint64 now = check_now (self);

  if (key == NULL)
    {
      KlAzureCause cause = kl_azure_error_get_cause (run->key_error);

      if (cause == KL_AZURE_CAUSE_KEY_NOT_FOUND || cause == KL_AZURE_CAUSE_VAULT_UNAUTHORIZED ||
          g_error_matches (run->key_error, KL_ERROR, KL_ERROR_INVALID_INPUT))
        add_finding (run, KL_AZURE_FINDING_KEY, KL_AZURE_VERDICT_FAIL, NULL, cause,
                     cause == KL_AZURE_CAUSE_KEY_NOT_FOUND
                     ? g_strdup_printf (_("The key “%s” is missing"), self->key_name)
                     : g_strdup (_("Keylink cannot read the key")),
                     NULL, g_strdup (run->key_error->message));
      else if (cause == KL_AZURE_CAUSE_FORBIDDEN_BY_RBAC ||
               cause == KL_AZURE_CAUSE_FORBIDDEN_BY_POLICY ||
               cause == KL_AZURE_CAUSE_VAULT_FORBIDDEN)
        add_finding (run, KL_AZURE_FINDING_KEY, KL_AZURE_VERDICT_UNKNOWN, NULL, cause,
                     g_strdup (_("Keylink may not read the key, so it cannot check it")), NULL,
                     g_strdup (_("Fix the application’s permissions, then check again.")));
      else
        add_finding (run, KL_AZURE_FINDING_KEY, KL_AZURE_VERDICT_UNKNOWN, NULL, cause,
                     g_strdup (_("Keylink cannot see the key from this computer")),
                     g_strdup (run->key_error->message),
                     g_strdup (_("This is not a failure: Atlas checks the key itself when it is "
                                 "enabled.")));
      return;
    }

  add_finding (run, KL_AZURE_FINDING_KEY, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
               g_strdup_printf (_("The key “%s” exists"), self->key_name),
               key->kid != NULL ? g_strdup (key->kid) : NULL, NULL);

  if (g_strcmp0 (key->kty, "RSA") == 0 || g_strcmp0 (key->kty, "RSA-HSM") == 0)
    add_finding (run, KL_AZURE_FINDING_KEY_TYPE, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
                 g_strdup_printf (_("The key is an %s key"), key->kty), NULL, NULL);
  else
    add_finding (run, KL_AZURE_FINDING_KEY_TYPE, KL_AZURE_VERDICT_FAIL, NULL, KL_AZURE_CAUSE_NONE,
                 /* Translators: %s is a key type such as EC */
                 g_strdup_printf (_("The key is an %s key, not an RSA key"), key->kty), NULL,
                 g_strdup (_("Create an RSA key in the vault and use its identifier.")));

  if (key->enabled)
    add_finding (run, KL_AZURE_FINDING_KEY_ENABLED, KL_AZURE_VERDICT_PASS, NULL,
                 KL_AZURE_CAUSE_NONE, g_strdup (_("The key is enabled")), NULL, NULL);
  else
    add_finding (run, KL_AZURE_FINDING_KEY_ENABLED, KL_AZURE_VERDICT_FAIL, NULL,
                 KL_AZURE_CAUSE_NONE, g_strdup (_("The key is disabled")), NULL,
                 g_strdup (_("Enable the key version in the vault (Keys → the key → the "
                             "version → Enabled), or use another version.")));

  if (key->has_nbf && key->nbf > now)
    {
      g_autofree char *when = format_time (key->nbf);

      add_finding (run, KL_AZURE_FINDING_KEY_DATES, KL_AZURE_VERDICT_FAIL, NULL,
                   KL_AZURE_CAUSE_NONE,
                   /* Translators: %s is a date and time */
                   g_strdup_printf (_("The key is not valid before %s"), when), NULL,
                   g_strdup (_("Wait until then, or remove the key’s activation date.")));
    }
  else if (key->has_exp && key->exp <= now)
    {
      g_autofree char *when = format_time (key->exp);

      add_finding (run, KL_AZURE_FINDING_KEY_DATES, KL_AZURE_VERDICT_FAIL, NULL,
                   KL_AZURE_CAUSE_NONE,
                   /* Translators: %s is a date and time */
                   g_strdup_printf (_("The key expired on %s"), when), NULL,
                   g_strdup (_("Use a key version that has not expired, or extend its "
                               "expiration date.")));
    }
  else if (key->has_exp && key->exp - now < EXPIRING_SECONDS)
    {
      g_autofree char *when = format_time (key->exp);

      add_finding (run, KL_AZURE_FINDING_KEY_DATES, KL_AZURE_VERDICT_WARN, NULL,
                   KL_AZURE_CAUSE_NONE,
                   /* Translators: %s is a date and time */
                   g_strdup_printf (_("The key expires soon, on %s"), when),
                   g_strdup (_("Atlas refuses a key that expires within 48 hours.")),
                   g_strdup (_("Extend the key’s expiration date, or use a newer version.")));
    }
  else
    {
      add_finding (run, KL_AZURE_FINDING_KEY_DATES, KL_AZURE_VERDICT_PASS, NULL,
                   KL_AZURE_CAUSE_NONE,
                   key->has_exp ? g_strdup (_("The key is valid for more than 48 hours"))
                                : g_strdup (_("The key does not expire")),
                   NULL, NULL);
    }

  if (key->key_ops[0] != NULL &&
      (!kl_azure_key_has_op (key, "encrypt") || !kl_azure_key_has_op (key, "decrypt")))
    add_finding (run, KL_AZURE_FINDING_KEY_OPERATIONS, KL_AZURE_VERDICT_WARN, NULL,
                 KL_AZURE_CAUSE_NONE,
                 g_strdup (_("The key does not allow both Encrypt and Decrypt")),
                 g_strdup (_("Atlas encrypts and decrypts with the key.")),
                 g_strdup (_("Allow the Encrypt and Decrypt operations on the key.")));
  else
    add_finding (run, KL_AZURE_FINDING_KEY_OPERATIONS, KL_AZURE_VERDICT_PASS, NULL,
                 KL_AZURE_CAUSE_NONE,
                 g_strdup (_("The key allows Encrypt and Decrypt")), NULL, NULL);
}

static void
run_complete (GTask *task)
{
  KlAzureCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  findings_vault (self, run);
  findings_access (self, run);
  findings_network (self, run);
  findings_connections (self, run);
  findings_provider (self, run);
  findings_key (self, run);
  g_task_return_pointer (task, g_object_ref (run->findings), g_object_unref);
}

/* Takes @error; FALSE when it was a cancellation (@task has returned). */
static gboolean
keep_error (GTask   *task,
            GError **slot,
            GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return FALSE;
    }
  *slot = error;
  return TRUE;
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->key = kl_azure_client_get_key_finish (KL_AZURE_CLIENT (source), result, &error);
  if (run->key == NULL && !keep_error (task, &run->key_error, error))
    return;
  run_complete (task);
}

static void
provider_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlAzureCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  GCancellable *cancellable;

  run->provider = kl_azure_client_get_provider_finish (KL_AZURE_CLIENT (source), result, &error);
  if (run->provider == NULL && !keep_error (task, &run->provider_error, error))
    return;

  cancellable = g_task_get_cancellable (task);
  kl_azure_client_get_key_async (self->client, self->vault_name, self->key_name,
                                 self->key_version, cancellable, key_cb,
                                 g_steal_pointer (&task));
}

static void
vault_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlAzureCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  GCancellable *cancellable;

  run->vault = kl_azure_client_get_vault_finish (KL_AZURE_CLIENT (source), result, &error);
  if (run->vault == NULL && !keep_error (task, &run->vault_error, error))
    return;

  cancellable = g_task_get_cancellable (task);
  kl_azure_client_get_provider_async (self->client, self->subscription_id, "Microsoft.Network",
                                      cancellable, provider_cb, g_steal_pointer (&task));
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlAzureCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  GCancellable *cancellable;

  if (!kl_azure_client_sign_in_finish (KL_AZURE_CLIENT (source), result, &error))
    {
      if (!keep_error (task, &run->sign_in_error, error))
        return;
      /* Nothing else can be read without a token. */
      add_finding (run, KL_AZURE_FINDING_SIGN_IN,
                   is_unseeable (error) ? KL_AZURE_VERDICT_UNKNOWN : KL_AZURE_VERDICT_FAIL, NULL,
                   kl_azure_error_get_cause (error),
                   is_unseeable (error)
                   ? g_strdup (_("Keylink could not reach Microsoft Entra ID"))
                   : g_strdup (_("The application could not sign in")),
                   NULL, g_strdup (error->message));
      g_task_return_pointer (task, g_object_ref (run->findings), g_object_unref);
      return;
    }

  add_finding (run, KL_AZURE_FINDING_SIGN_IN, KL_AZURE_VERDICT_PASS, NULL, KL_AZURE_CAUSE_NONE,
               g_strdup (_("The application signs in with this secret")), NULL, NULL);

  cancellable = g_task_get_cancellable (task);
  kl_azure_client_get_vault_async (self->client, self->subscription_id, self->resource_group,
                                   self->vault_name, cancellable, vault_cb,
                                   g_steal_pointer (&task));
}

void
kl_azure_check_run_async (KlAzureCheck        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (KL_IS_AZURE_CHECK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_azure_check_run_async);
  run = g_new0 (Run, 1);
  run->findings = g_list_store_new (KL_TYPE_AZURE_FINDING);
  g_task_set_task_data (task, run, run_free);

  kl_azure_client_sign_in_async (self->client, KL_AZURE_RESOURCE_ARM, cancellable, sign_in_cb,
                                 g_steal_pointer (&task));
}

GListModel *
kl_azure_check_run_finish (KlAzureCheck  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
