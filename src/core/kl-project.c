/* kl-project.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-project.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* KlProject                                                                                   */

struct _KlProject
{
  GObject parent_instance;

  char *id;
  char *name;
  char *org_id;
  char *created;
  gint64 cluster_count;
};

G_DEFINE_FINAL_TYPE (KlProject, kl_project, G_TYPE_OBJECT)

enum {
  PROJECT_PROP_0,
  PROJECT_PROP_ID,
  PROJECT_PROP_NAME,
  PROJECT_PROP_ORG_ID,
  PROJECT_PROP_CLUSTER_COUNT,
  PROJECT_N_PROPS
};

static GParamSpec *project_properties[PROJECT_N_PROPS];

static void
kl_project_finalize (GObject *object)
{
  KlProject *self = (KlProject *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->org_id);
  g_free (self->created);

  G_OBJECT_CLASS (kl_project_parent_class)->finalize (object);
}

static void
kl_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KlProject *self = KL_PROJECT (object);

  switch (prop_id)
    {
    case PROJECT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROJECT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROJECT_PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;
    case PROJECT_PROP_CLUSTER_COUNT:
      g_value_set_int64 (value, self->cluster_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_project_class_init (KlProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_project_finalize;
  object_class->get_property = kl_project_get_property;

  project_properties[PROJECT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_ORG_ID] =
    g_param_spec_string ("org-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  project_properties[PROJECT_PROP_CLUSTER_COUNT] =
    g_param_spec_int64 ("cluster-count", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PROJECT_N_PROPS, project_properties);
}

static void
kl_project_init (KlProject *self)
{
  self->cluster_count = -1;
}

KlProject *
kl_project_new_from_node (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(KlProject) self = g_object_new (KL_TYPE_PROJECT, NULL);
  JsonObject *object;

  if (!(object = kl_json_node_get_object (node, "a project", error)))
    return NULL;

  if (!kl_json_member_string (object, "id", &self->id, error) ||
      !kl_json_member_string (object, "name", &self->name, error) ||
      !kl_json_member_string (object, "orgId", &self->org_id, error) ||
      !kl_json_member_string (object, "created", &self->created, error) ||
      !kl_json_member_int (object, "clusterCount", &self->cluster_count, error))
    return NULL;

  if (!kl_atlas_id_is_valid (self->id))
    {
      kl_error_set_bad_response (error, "project without a valid \"id\"");
      return NULL;
    }
  if (self->name == NULL)
    {
      kl_error_set_bad_response (error, "project %s without \"name\"", self->id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

KlProject *
kl_project_parse (const char  *json,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_project_new_from_node (root, error) : NULL;
}

GPtrArray *
kl_project_parse_page (const char  *json,
                       gssize       length,
                       gboolean    *has_next,
                       GError     **error)
{
  return kl_json_parse_page (json, length, (KlJsonItemFromNode) kl_project_new_from_node, has_next,
                             error);
}

const char *
kl_project_get_id (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->id;
}

const char *
kl_project_get_name (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->name;
}

const char *
kl_project_get_org_id (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->org_id;
}

gint64
kl_project_get_cluster_count (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), -1);
  return self->cluster_count;
}

const char *
kl_project_get_created (KlProject *self)
{
  g_return_val_if_fail (KL_IS_PROJECT (self), NULL);
  return self->created;
}
