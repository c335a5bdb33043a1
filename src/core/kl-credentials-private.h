/* kl-credentials-private.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kl-credentials.h"
#include "kl-profile-private.h"

G_BEGIN_DECLS

/* What the files of KlCredentials share: the instance, the operation every asynchronous call
 * runs (a GTask whose task data is an Op) and the steps that pass it between the files.
 * Internal to the core library. */

struct _KlCredentials
{
  GObject     parent_instance;

  gboolean    memory_only;
  guint       timeout_ms;
  GHashTable *memory_profiles; /* id -> MemoryEntry */
  GHashTable *memory_azure;    /* azure_memory_key () -> SecretValue */
};

/* Keyring operations.
 *
 * Each public call is one GTask whose task data is an Op. The Op owns a cancellable of its own,
 * cancelled by the caller's and by a timeout, so that nothing can wait for ever (libsecret
 * waits for an unlock prompt's answer without a limit; cancelling it dismisses the prompt). */

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_LIST,
  OP_UPDATE,
  OP_DELETE,
  OP_CLI_LIST,
  OP_CLI_IMPORT,
} OpKind;

typedef struct
{
  OpKind              kind;
  GTask              *task;        /* not owned: it owns us */
  GMainContext       *context;
  GCancellable       *cancellable; /* for every call but the unlock prompts */
  GSource            *cancel_source;
  gboolean            abandoned;   /* returned while an unlock prompt was still up */
  GCancellable       *caller_cancellable;
  gulong              caller_handler;
  GSource            *timeout_source;
  guint               timeout_ms;
  gboolean            timed_out;
  gboolean            timed_out_prompting; /* the timeout struck during an unlock prompt */
  gboolean            prompting;
  gboolean            tried_unlock;

  SecretService      *service;
  SecretCollection   *collection;
  const SecretSchema *schema;
  GHashTable         *search_attributes;
  GList              *items;   /* SecretItem, owned */
  GList              *next;    /* into items */
  gboolean            not_found_is_error;

  /* store */
  GHashTable         *attributes;
  char               *label;
  SecretValue        *secret;
  char               *created_path;

  /* update and rename */
  KlProfile          *profile;
  char               *display_name;

  /* the Atlas CLI */
  char               *path;
  GPtrArray          *cli_profiles;
  guint               cli_index;
  KlCliProfile       *cli_profile;
  char               *cli_id;
} Op;

/* ---- kl-credentials.c: secrets, schemas and the attributes of a profile's item ---- */
SecretValue *kl_credentials_secret_rewrap (SecretValue *value);
const SecretSchema *kl_credentials_get_search_schema (void);
const SecretSchema *kl_credentials_get_cli_schema (void);
GHashTable *kl_credentials_profile_to_attributes (KlProfile *profile);
KlProfile *kl_credentials_profile_from_attributes (GHashTable *attributes);
char *kl_credentials_profile_label (KlProfile *profile);

/* ---- kl-credentials-keyring.c: the steps of a keyring operation ---- */
GTask *kl_credentials_op_task_new (KlCredentials       *self,
                                   OpKind               kind,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data,
                                   gpointer             source_tag);
GError *kl_credentials_op_translate_error (Op     *op,
                                           GError *error);
GError *kl_credentials_locked_error (void);
void kl_credentials_op_return_error (GTask  *task,
                                     GError *error);
gboolean kl_credentials_any_locked (GList *items);
GList *kl_credentials_locked_items (GList *items);
void kl_credentials_op_unlock (GTask               *task,
                               GList               *objects,
                               GAsyncReadyCallback  callback);
gboolean kl_credentials_op_unlock_finish (Op            *op,
                                          GObject       *object,
                                          GAsyncResult  *result,
                                          GList        **unlocked,
                                          GError       **error);
gboolean kl_credentials_op_search_finish (Op            *op,
                                          GAsyncResult  *result,
                                          GError       **error);
GError *kl_credentials_not_saved_error (void);
void kl_credentials_op_get_service (GTask              *task,
                                    SecretServiceFlags  flags,
                                    GAsyncReadyCallback callback);
gboolean kl_credentials_op_get_service_finish (Op            *op,
                                               GAsyncResult  *result,
                                               GError       **error);
void kl_credentials_list_return_profiles (GTask *task);
const char *kl_credentials_op_kind_name (OpKind kind);
gpointer kl_credentials_finish_pointer (KlCredentials  *self,
                                        GAsyncResult   *result,
                                        gpointer        source_tag,
                                        GError        **error);
gboolean kl_credentials_finish_boolean (KlCredentials  *self,
                                        GAsyncResult   *result,
                                        gpointer        source_tag,
                                        GError        **error);
void kl_credentials_op_start_search (GTask      *task,
                                     GHashTable *search_attributes,
                                     gboolean    not_found_is_error);
int kl_credentials_compare_profiles (gconstpointer a,
                                     gconstpointer b);
GError *kl_credentials_azure_not_saved_error (void);

/* ---- kl-credentials-backend.c: libsecret's own backend, in a sandbox ---- */
gboolean kl_credentials_use_secret_backend (void);
void kl_credentials_backend_start (GTask *task);

/* ---- kl-credentials-cli.c: the Atlas CLI's profiles ---- */
void kl_credentials_cli_list_next (GTask *task);
void kl_credentials_cli_import_from_file (GTask *task);
void kl_credentials_cli_import_store (GTask *task);

G_END_DECLS
