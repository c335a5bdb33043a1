/* kl-step.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-step"

#include "config.h"

#include "kl-step.h"

struct _KlStep
{
  GObject      parent_instance;

  KlStepKind   kind;
  char        *target;
  char        *detail;
  char        *title;
  KlStepState  state;
  GError      *error;
  GObject     *object;
};

G_DEFINE_FINAL_TYPE (KlStep, kl_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TARGET,
  PROP_DETAIL,
  PROP_TITLE,
  PROP_STATE,
  PROP_ERROR,
  PROP_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kl_step_finalize (GObject *object)
{
  KlStep *self = KL_STEP (object);

  g_free (self->target);
  g_free (self->detail);
  g_free (self->title);
  g_clear_error (&self->error);
  g_clear_object (&self->object);

  G_OBJECT_CLASS (kl_step_parent_class)->finalize (object);
}

static void
kl_step_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KlStep *self = KL_STEP (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_OBJECT:
      g_value_set_object (value, self->object);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_step_class_init (KlStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kl_step_finalize;
  object_class->get_property = kl_step_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, KL_TYPE_STEP_KIND, KL_STEP_DELETE_ENDPOINT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KL_TYPE_STEP_STATE, KL_STEP_STATE_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OBJECT] =
    g_param_spec_object ("object", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_step_init (KlStep *self)
{
}

KlStep *
kl_step_new (KlStepKind  kind,
             const char *target,
             const char *detail,
             const char *title)
{
  KlStep *self;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (KL_TYPE_STEP, NULL);
  self->kind = kind;
  self->target = g_strdup (target);
  self->detail = g_strdup (detail);
  self->title = g_strdup (title);
  return self;
}

KlStep *
kl_step_new_from_plan (const KlPlanStep *plan_step)
{
  g_return_val_if_fail (plan_step != NULL, NULL);

  return kl_step_new ((KlStepKind) plan_step->kind, plan_step->target, plan_step->detail,
                      plan_step->description);
}

KlStepKind
kl_step_get_kind (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), KL_STEP_DELETE_ENDPOINT);

  return self->kind;
}

const char *
kl_step_get_target (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), NULL);

  return self->target;
}

const char *
kl_step_get_detail (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), NULL);

  return self->detail;
}

const char *
kl_step_get_title (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), NULL);

  return self->title;
}

KlStepState
kl_step_get_state (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), KL_STEP_STATE_PENDING);

  return self->state;
}

const GError *
kl_step_get_error (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), NULL);

  return self->error;
}

gpointer
kl_step_get_object (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), NULL);

  return self->object;
}

gboolean
kl_step_is_finished (KlStep *self)
{
  g_return_val_if_fail (KL_IS_STEP (self), FALSE);

  return self->state == KL_STEP_STATE_DONE || self->state == KL_STEP_STATE_SKIPPED ||
         self->state == KL_STEP_STATE_FAILED;
}

void
kl_step_set_state (KlStep      *self,
                   KlStepState  state)
{
  g_return_if_fail (KL_IS_STEP (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (state != KL_STEP_STATE_FAILED && self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
kl_step_fail (KlStep       *self,
              const GError *error)
{
  g_return_if_fail (KL_IS_STEP (self));
  g_return_if_fail (error != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  kl_step_set_state (self, KL_STEP_STATE_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kl_step_set_object (KlStep   *self,
                    gpointer  object)
{
  g_return_if_fail (KL_IS_STEP (self));
  g_return_if_fail (object == NULL || G_IS_OBJECT (object));

  if (g_set_object (&self->object, object))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT]);
}
