/* kl-sim-faults.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Fault injection rules (POST /__sim/faults). See src/sim/README.md for the JSON format. */

typedef enum
{
  KL_SIM_FAULT_NONE,
  KL_SIM_FAULT_LATENCY,
  KL_SIM_FAULT_STATUS,
  KL_SIM_FAULT_RETRY_AFTER,
  KL_SIM_FAULT_DROP,
  KL_SIM_FAULT_MALFORMED,
  KL_SIM_FAULT_STALL,
  KL_SIM_FAULT_BODY,
  KL_SIM_FAULT_LYING_PAGES,
} KlSimFaultKind;

/* What to do with one request: extra latency, and at most one fault that shapes the answer. */
typedef struct
{
  guint           latency_ms;
  KlSimFaultKind  kind;             /* anything but LATENCY */
  guint           status;
  char            error_code[64];
  guint           retry_after;
  gboolean        after_processing; /* the request takes effect, then the answer is spoiled */
  /* KL_SIM_FAULT_BODY (owned: kl_sim_fault_decision_clear()) */
  GBytes         *body;             /* the text to send */
  char           *content_type;     /* nullable: the vendor type the request asked for */
  GStrv           headers;          /* nullable: name, value, name, value, … */
  guint           pad_bytes;        /* spaces after the body */
  gboolean        chunked;
  /* KL_SIM_FAULT_LYING_PAGES */
  gint64          total_count;      /* -1: the real one */
} KlSimFaultDecision;

/* A decision owns its body, content type and headers: copy and clear it with these. */
void         kl_sim_fault_decision_copy  (const KlSimFaultDecision *src,
                                          KlSimFaultDecision       *dest);
void         kl_sim_fault_decision_clear (KlSimFaultDecision       *decision);

typedef struct _KlSimFaults KlSimFaults;

KlSimFaults *kl_sim_faults_new      (guint64              seed);
void         kl_sim_faults_free     (KlSimFaults         *faults);
void         kl_sim_faults_set_seed (KlSimFaults         *faults,
                                     guint64              seed);
/* Returns the rule as stored (with its id and defaults), or NULL with @error set. */
JsonNode    *kl_sim_faults_add      (KlSimFaults         *faults,
                                     JsonNode            *rule,
                                     GError             **error);
JsonNode    *kl_sim_faults_list     (KlSimFaults         *faults);
void         kl_sim_faults_clear    (KlSimFaults         *faults);
/* Consumes counts and draws probabilities, in rule order. Clear @decision afterwards. */
void         kl_sim_faults_decide   (KlSimFaults         *faults,
                                     const char          *method,
                                     const char          *path,
                                     KlSimFaultDecision  *decision);

G_END_DECLS
