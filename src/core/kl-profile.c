/* kl-profile.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-profile-private.h"
#include "kl-enums.h"
#include "kl-error.h"


/* KlProfile */

G_DEFINE_FINAL_TYPE (KlProfile, kl_profile, G_TYPE_OBJECT)

enum {
  PROFILE_PROP_0,
  PROFILE_PROP_ID,
  PROFILE_PROP_DISPLAY_NAME,
  PROFILE_PROP_AUTH_TYPE,
  PROFILE_PROP_SERVICE,
  PROFILE_PROP_CUSTOM_URL,
  PROFILE_PROP_CLIENT_ID,
  PROFILE_PROP_ORG_ID,
  PROFILE_PROP_PROJECT_ID,
  N_PROFILE_PROPS
};

static GParamSpec *profile_properties[N_PROFILE_PROPS];

/* Sets *@field to a copy of @value (NULL for ""), notifying @pspec when it changed. */
static void
profile_set_string (KlProfile   *self,
                    char       **field,
                    const char  *value,
                    int          prop)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[prop]);
}

static void
kl_profile_finalize (GObject *object)
{
  KlProfile *self = (KlProfile *)object;

  g_free (self->id);
  g_free (self->display_name);
  g_free (self->custom_url);
  g_free (self->client_id);
  g_free (self->org_id);
  g_free (self->project_id);

  G_OBJECT_CLASS (kl_profile_parent_class)->finalize (object);
}

static void
kl_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlProfile *self = KL_PROFILE (object);

  switch (prop_id)
    {
    case PROFILE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROFILE_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROFILE_PROP_AUTH_TYPE:
      g_value_set_enum (value, self->auth_type);
      break;
    case PROFILE_PROP_SERVICE:
      g_value_set_enum (value, self->service);
      break;
    case PROFILE_PROP_CUSTOM_URL:
      g_value_set_string (value, self->custom_url);
      break;
    case PROFILE_PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROFILE_PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;
    case PROFILE_PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KlProfile *self = KL_PROFILE (object);

  switch (prop_id)
    {
    case PROFILE_PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROFILE_PROP_DISPLAY_NAME:
      kl_profile_set_display_name (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_AUTH_TYPE:
      kl_profile_set_auth_type (self, g_value_get_enum (value));
      break;
    case PROFILE_PROP_SERVICE:
      kl_profile_set_service (self, g_value_get_enum (value));
      break;
    case PROFILE_PROP_CUSTOM_URL:
      kl_profile_set_custom_url (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_CLIENT_ID:
      kl_profile_set_client_id (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_ORG_ID:
      kl_profile_set_org_id (self, g_value_get_string (value));
      break;
    case PROFILE_PROP_PROJECT_ID:
      kl_profile_set_project_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_profile_constructed (GObject *object)
{
  KlProfile *self = KL_PROFILE (object);

  G_OBJECT_CLASS (kl_profile_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
kl_profile_class_init (KlProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = kl_profile_finalize;
  object_class->get_property = kl_profile_get_property;
  object_class->set_property = kl_profile_set_property;
  object_class->constructed = kl_profile_constructed;

  profile_properties[PROFILE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  profile_properties[PROFILE_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_AUTH_TYPE] =
    g_param_spec_enum ("auth-type", NULL, NULL, KL_TYPE_AUTH_TYPE, KL_AUTH_SERVICE_ACCOUNT, flags);
  profile_properties[PROFILE_PROP_SERVICE] =
    g_param_spec_enum ("service", NULL, NULL, KL_TYPE_ATLAS_SERVICE, KL_ATLAS_SERVICE_ATLAS, flags);
  profile_properties[PROFILE_PROP_CUSTOM_URL] =
    g_param_spec_string ("custom-url", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_ORG_ID] =
    g_param_spec_string ("org-id", NULL, NULL, NULL, flags);
  profile_properties[PROFILE_PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROFILE_PROPS, profile_properties);
}

static void
kl_profile_init (KlProfile *self)
{
  self->auth_type = KL_AUTH_SERVICE_ACCOUNT;
  self->service = KL_ATLAS_SERVICE_ATLAS;
}

KlProfile *
kl_profile_new (const char     *display_name,
                KlAuthType      auth_type,
                KlAtlasService  service,
                const char     *client_id)
{
  return g_object_new (KL_TYPE_PROFILE,
                       "display-name", display_name,
                       "auth-type", auth_type,
                       "service", service,
                       "client-id", client_id,
                       NULL);
}

KlProfile *
kl_profile_copy (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return g_object_new (KL_TYPE_PROFILE,
                       "id", self->id,
                       "display-name", self->display_name,
                       "auth-type", self->auth_type,
                       "service", self->service,
                       "custom-url", self->custom_url,
                       "client-id", self->client_id,
                       "org-id", self->org_id,
                       "project-id", self->project_id,
                       NULL);
}

const char *
kl_profile_get_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->id;
}

const char *
kl_profile_get_display_name (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->display_name;
}

void
kl_profile_set_display_name (KlProfile  *self,
                             const char *display_name)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->display_name, display_name, PROFILE_PROP_DISPLAY_NAME);
}

KlAuthType
kl_profile_get_auth_type (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), KL_AUTH_SERVICE_ACCOUNT);

  return self->auth_type;
}

void
kl_profile_set_auth_type (KlProfile  *self,
                          KlAuthType  auth_type)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  if (self->auth_type == auth_type)
    return;
  self->auth_type = auth_type;
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[PROFILE_PROP_AUTH_TYPE]);
}

KlAtlasService
kl_profile_get_service (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), KL_ATLAS_SERVICE_ATLAS);

  return self->service;
}

void
kl_profile_set_service (KlProfile      *self,
                        KlAtlasService  service)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  if (self->service == service)
    return;
  self->service = service;
  g_object_notify_by_pspec (G_OBJECT (self), profile_properties[PROFILE_PROP_SERVICE]);
}

const char *
kl_profile_get_custom_url (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->custom_url;
}

void
kl_profile_set_custom_url (KlProfile  *self,
                           const char *custom_url)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->custom_url, custom_url, PROFILE_PROP_CUSTOM_URL);
}

const char *
kl_profile_get_client_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->client_id;
}

void
kl_profile_set_client_id (KlProfile  *self,
                          const char *client_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->client_id, client_id, PROFILE_PROP_CLIENT_ID);
}

const char *
kl_profile_get_org_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->org_id;
}

void
kl_profile_set_org_id (KlProfile  *self,
                       const char *org_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->org_id, org_id, PROFILE_PROP_ORG_ID);
}

const char *
kl_profile_get_project_id (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  return self->project_id;
}

void
kl_profile_set_project_id (KlProfile  *self,
                           const char *project_id)
{
  g_return_if_fail (KL_IS_PROFILE (self));

  profile_set_string (self, &self->project_id, project_id, PROFILE_PROP_PROJECT_ID);
}

const char *
kl_profile_get_base_url (KlProfile *self)
{
  g_return_val_if_fail (KL_IS_PROFILE (self), NULL);

  switch (self->service)
    {
    case KL_ATLAS_SERVICE_GOVERNMENT:
      return "https://cloud.mongodbgov.com";
    case KL_ATLAS_SERVICE_CUSTOM:
      return self->custom_url;
    case KL_ATLAS_SERVICE_ATLAS:
    default:
      return "https://cloud.mongodb.com";
    }
}
