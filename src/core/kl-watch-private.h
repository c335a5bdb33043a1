/* kl-watch-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-watch.h"

G_BEGIN_DECLS

/* The calls every subclass of KlWatch offers under its own name (kl_cluster_watch_start (),
 * …), so that its callers need not cast: each checks the instance's type and forwards to
 * KlWatch. Use once in the subclass's .c file, e.g.
 * KL_WATCH_DEFINE_FORWARDERS (KlClusterWatch, kl_cluster_watch, KL_IS_CLUSTER_WATCH). */
#define KL_WATCH_DEFINE_FORWARDERS(TypeName, type_name, IS_TYPE)                               \
  void                                                                                         \
  type_name##_start (TypeName *self)                                                           \
  {                                                                                            \
    g_return_if_fail (IS_TYPE (self));                                                         \
    kl_watch_start (KL_WATCH (self));                                                          \
  }                                                                                            \
                                                                                               \
  void                                                                                         \
  type_name##_stop (TypeName *self)                                                            \
  {                                                                                            \
    g_return_if_fail (IS_TYPE (self));                                                         \
    kl_watch_stop (KL_WATCH (self));                                                           \
  }                                                                                            \
                                                                                               \
  void                                                                                         \
  type_name##_poke (TypeName *self)                                                            \
  {                                                                                            \
    g_return_if_fail (IS_TYPE (self));                                                         \
    kl_watch_poke (KL_WATCH (self));                                                           \
  }                                                                                            \
                                                                                               \
  void                                                                                         \
  type_name##_pause (TypeName *self)                                                           \
  {                                                                                            \
    g_return_if_fail (IS_TYPE (self));                                                         \
    kl_watch_pause (KL_WATCH (self));                                                          \
  }                                                                                            \
                                                                                               \
  void                                                                                         \
  type_name##_resume (TypeName *self)                                                          \
  {                                                                                            \
    g_return_if_fail (IS_TYPE (self));                                                         \
    kl_watch_resume (KL_WATCH (self));                                                         \
  }                                                                                            \
                                                                                               \
  gboolean                                                                                     \
  type_name##_get_running (TypeName *self)                                                     \
  {                                                                                            \
    g_return_val_if_fail (IS_TYPE (self), FALSE);                                              \
    return kl_watch_get_running (KL_WATCH (self));                                             \
  }                                                                                            \
                                                                                               \
  GListModel *                                                                                 \
  type_name##_get_model (TypeName *self)                                                       \
  {                                                                                            \
    g_return_val_if_fail (IS_TYPE (self), NULL);                                               \
    return kl_watch_get_model (KL_WATCH (self));                                               \
  }

G_END_DECLS
