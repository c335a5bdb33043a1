/* kl-atlas-client.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kl-atlas-client-private.h"
#include "kl-error.h"
#include "kl-http-log.h"

G_DEFINE_FINAL_TYPE (KlAtlasClient, kl_atlas_client, G_TYPE_OBJECT)

static guint deadline_override;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

GError *
kl_atlas_signed_out_error (void)
{
  return g_error_new_literal (KL_ERROR, KL_ERROR_AUTH_FAILED,
                              _("You signed out of Atlas. Sign in again to continue."));
}

static gboolean
check_group_id (const char  *group_id,
                GError     **error)
{
  if (kl_atlas_id_is_valid (group_id))
    return TRUE;

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas project ID. Choose the project from the list again."),
               group_id != NULL ? group_id : "");
  return FALSE;
}

gboolean
kl_atlas_check_endpoint_id (const char  *endpoint_id,
                            GError     **error)
{
  if (kl_atlas_id_is_valid (endpoint_id))
    return TRUE;

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas private endpoint ID. Reload the list of endpoints and "
                 "try again."),
               endpoint_id != NULL ? endpoint_id : "");
  return FALSE;
}

gboolean
kl_atlas_check_cluster_name (const char  *name,
                             GError     **error)
{
  const char *p;

  if (name != NULL && g_ascii_isalnum (name[0]))
    {
      for (p = name; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            break;
        }
      if (*p == '\0')
        return TRUE;
    }

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas cluster name. Reload the list of clusters and try "
                 "again."),
               name != NULL ? name : "");
  return FALSE;
}

gboolean
kl_atlas_check_region_name (const char  *region,
                            GError     **error)
{
  const char *p;

  if (region != NULL && region[0] != '\0')
    {
      for (p = region; *p != '\0'; p++)
        {
          if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
            break;
        }
      if (*p == '\0')
        return TRUE;
    }

  g_set_error (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
               _("“%s” is not an Atlas region name such as US_EAST_2. Choose the region from "
                 "the list."),
               region != NULL ? region : "");
  return FALSE;
}

/* TRUE when @group_id, and @other if @check_other is given, are valid. Otherwise reports the
 * error to @callback as the call tagged @source_tag, and returns FALSE. */
gboolean
kl_atlas_check_arguments (KlAtlasClient       *self,
                          const char          *group_id,
                          CheckFunc            check_other,
                          const char          *other,
                          gpointer             source_tag,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GError *error = NULL;

  if (check_group_id (group_id, &error) && (check_other == NULL || check_other (other, &error)))
    return TRUE;

  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
kl_atlas_client_dispose (GObject *object)
{
  KlAtlasClient *self = (KlAtlasClient *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (kl_atlas_client_parent_class)->dispose (object);
}

static void
kl_atlas_client_finalize (GObject *object)
{
  KlAtlasClient *self = (KlAtlasClient *) object;

  g_assert (g_queue_is_empty (&self->token_waiters));

  kl_secret_free (g_steal_pointer (&self->secret));
  kl_secret_free (g_steal_pointer (&self->token));
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_free (self->principal);

  G_OBJECT_CLASS (kl_atlas_client_parent_class)->finalize (object);
}

static void
kl_atlas_client_class_init (KlAtlasClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *override;

  object_class->dispose = kl_atlas_client_dispose;
  object_class->finalize = kl_atlas_client_finalize;

  /* Read once: tests shorten the deadlines of every client they make. */
  override = g_getenv ("KL_ATLAS_DEADLINE_SECONDS");
  if (override != NULL)
    deadline_override = (guint) MIN (g_ascii_strtoull (override, NULL, 10), 3600);
}

static void
kl_atlas_client_init (KlAtlasClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->read_deadline_s = deadline_override > 0 ? deadline_override : DEFAULT_READ_DEADLINE_S;
  self->write_deadline_s = deadline_override > 0 ? deadline_override : DEFAULT_WRITE_DEADLINE_S;
  g_queue_init (&self->token_waiters);

  self->session = soup_session_new_with_options ("user-agent", "Keylink/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 6,
                                                 NULL);

  if (kl_http_log_is_enabled ())
    {
      g_autoptr(SoupLogger) logger = kl_http_log_new ();

      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

KlAtlasClient *
kl_atlas_client_new (const char  *base_url,
                     KlAuthType   auth_type,
                     const char  *principal,
                     const char  *secret,
                     GError     **error)
{
  g_autoptr(KlAtlasClient) self = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (auth_type == KL_AUTH_SERVICE_ACCOUNT || auth_type == KL_AUTH_API_KEY,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(normalized = kl_atlas_normalize_base_url (base_url, error)))
    return NULL;

  if (principal == NULL || principal[0] == '\0' || secret == NULL || secret[0] == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_INVALID_INPUT,
                           auth_type == KL_AUTH_API_KEY
                             ? _("Enter both the public key and the private key of the API key.")
                             : _("Enter both the client ID and the client secret of the service "
                                 "account."));
      return NULL;
    }

  self = g_object_new (KL_TYPE_ATLAS_CLIENT, NULL);
  self->base_url = g_steal_pointer (&normalized);
  self->auth_type = auth_type;
  self->principal = g_strdup (principal);
  self->secret = g_strdup (secret);

  return g_steal_pointer (&self);
}

const char *
kl_atlas_client_get_base_url (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), NULL);
  return self->base_url;
}

KlAuthType
kl_atlas_client_get_auth_type (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), KL_AUTH_SERVICE_ACCOUNT);
  return self->auth_type;
}

const char *
kl_atlas_client_get_principal (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), NULL);
  return self->principal;
}

gboolean
kl_atlas_client_is_signed_out (KlAtlasClient *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_CLIENT (self), TRUE);
  return self->signed_out;
}

void
kl_atlas_client_set_retry_policy (KlAtlasClient *self,
                                  guint          max_attempts,
                                  guint          base_delay_ms,
                                  guint          max_delay_ms)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);
  g_return_if_fail (max_delay_ms >= base_delay_ms);
  g_return_if_fail (max_delay_ms <= G_MAXINT32);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

void
kl_atlas_client_set_timeout (KlAtlasClient *self,
                             guint          seconds)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  g_object_set (self->session, "timeout", seconds, NULL);
}

void
kl_atlas_client_set_deadlines (KlAtlasClient *self,
                               guint          read_seconds,
                               guint          write_seconds)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (read_seconds > 0 && write_seconds > 0);

  self->read_deadline_s = read_seconds;
  self->write_deadline_s = write_seconds;
}

void
kl_atlas_client_set_page_size (KlAtlasClient *self,
                               guint          items_per_page)
{
  g_return_if_fail (KL_IS_ATLAS_CLIENT (self));
  g_return_if_fail (items_per_page >= 1 && items_per_page <= 500);

  self->page_size = items_per_page;
}
