/* kl-atlas-error.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-atlas-types"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kl-atlas-error.h"
#include "kl-atlas-json-private.h"
#include "kl-enums.h"
#include "kl-error.h"
#include "kl-server-text.h"

/* ------------------------------------------------------------------------------------------ */
/* KlAtlasError                                                                                */

struct _KlAtlasError
{
  GObject parent_instance;

  guint http_status;
  char *error_code;
  char *detail;
  char *reason;
  JsonNode *parameters;
};

G_DEFINE_FINAL_TYPE (KlAtlasError, kl_atlas_error, G_TYPE_OBJECT)

static void
kl_atlas_error_finalize (GObject *object)
{
  KlAtlasError *self = (KlAtlasError *) object;

  g_free (self->error_code);
  g_free (self->detail);
  g_free (self->reason);
  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (kl_atlas_error_parent_class)->finalize (object);
}

static void
kl_atlas_error_class_init (KlAtlasErrorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_atlas_error_finalize;
}

static void
kl_atlas_error_init (KlAtlasError *self)
{
}

KlAtlasError *
kl_atlas_error_new (guint       http_status,
                    const char *error_code)
{
  KlAtlasError *self = g_object_new (KL_TYPE_ATLAS_ERROR, NULL);

  self->http_status = http_status;
  self->error_code = g_strdup (error_code);
  return self;
}

KlAtlasError *
kl_atlas_error_new_from_node (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(KlAtlasError) self = g_object_new (KL_TYPE_ATLAS_ERROR, NULL);
  JsonObject *object;
  JsonNode *status;
  JsonNode *parameters;

  if (!(object = kl_json_node_get_object (node, "an error", error)))
    return NULL;

  if (!kl_json_member_string (object, "errorCode", &self->error_code, error) ||
      !kl_json_member_string (object, "detail", &self->detail, error) ||
      !kl_json_member_string (object, "reason", &self->reason, error))
    return NULL;

  /* "error" is the HTTP status in Atlas errors, a string in OAuth 2 ones (RFC 6749 5.2:
   * {"error": "invalid_client", "error_description": "…"}). */
  status = json_object_get_member (object, "error");
  if (status != NULL && JSON_NODE_HOLDS_VALUE (status))
    {
      GType type = json_node_get_value_type (status);

      if (type == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (status);

          self->http_status = value > 0 && value < 1000 ? (guint) value : 0;
        }
      else if (type == G_TYPE_STRING && self->error_code == NULL)
        {
          self->error_code = g_utf8_make_valid (json_node_get_string (status), -1);
          if (self->detail == NULL &&
              !kl_json_member_string (object, "error_description", &self->detail, error))
            return NULL;
        }
    }

  parameters = json_object_get_member (object, "parameters");
  if (parameters != NULL && !JSON_NODE_HOLDS_NULL (parameters))
    self->parameters = json_node_copy (parameters);

  if (self->error_code == NULL)
    {
      kl_error_set_bad_response (error, "error body without \"errorCode\"");
      return NULL;
    }

  return g_steal_pointer (&self);
}

KlAtlasError *
kl_atlas_error_parse (const char  *json,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = kl_json_parse_root (json, length, error);

  return root != NULL ? kl_atlas_error_new_from_node (root, error) : NULL;
}

guint
kl_atlas_error_get_http_status (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), 0);
  return self->http_status;
}

const char *
kl_atlas_error_get_error_code (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->error_code;
}

const char *
kl_atlas_error_get_detail (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->detail;
}

const char *
kl_atlas_error_get_reason (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->reason;
}

JsonNode *
kl_atlas_error_get_parameters (KlAtlasError *self)
{
  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);
  return self->parameters;
}

static void
flatten_parameter (JsonNode *node,
                   GString  *text)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        flatten_parameter (json_array_get_element (array, i), text);
      return;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (text->len > 0)
        g_string_append (text, ", ");

      if (type == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (node));
      else if (type == G_TYPE_INT64)
        g_string_append_printf (text, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        g_string_append_printf (text, "%g", json_node_get_double (node));
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (text, json_node_get_boolean (node) ? "true" : "false");
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *json = json_to_string (node, FALSE);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, json);
    }
}

char *
kl_atlas_error_dup_parameters_text (KlAtlasError *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (KL_IS_ATLAS_ERROR (self), NULL);

  if (self->parameters == NULL)
    return NULL;

  flatten_parameter (self->parameters, text);
  if (text->len == 0)
    return NULL;

  return g_utf8_make_valid (text->str, (gssize) text->len);
}
