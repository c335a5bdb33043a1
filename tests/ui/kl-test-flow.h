/* kl-test-flow.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <adwaita.h>

#include "kl-application.h"
#include "kl-assistant.h"
#include "kl-atlas-client.h"
#include "kl-credentials.h"
#include "kl-endpoint-watch.h"
#include "kl-flow.h"
#include "kl-plan.h"
#include "kl-teardown-intent.h"
#include "kl-sim.h"
#include "kl-window.h"
#include "kl-test-widget.h"
#include "widgets/kl-cluster-row.h"
#include "pages/clusters/kl-clusters-page.h"
#include "pages/done/kl-done-page.h"
#include "pages/endpoints/kl-endpoints-page.h"
#include "pages/project/kl-project-page.h"
#include "pages/review/kl-review-page.h"
#include "pages/rotate/kl-rotate-page.h"
#include "pages/teardown/kl-teardown-page.h"
#include "pages/welcome/kl-welcome-page.h"

G_BEGIN_DECLS

/* What the flow's programs (tests/ui/test-flow-*.c) share: the application, a window on a
 * fresh simulator in this process, and finding and using controls as a person would, by
 * their labels. */

#define TIMEOUT_MS      10000
/* Sign-in to an address nobody listens on: the client retries a few times before it says so. */
#define NETWORK_TIMEOUT_MS 60000

#define SA_CLIENT_ID    "mdb_sa_id_65f00000000000000000f10e"
#define SA_SECRET       "mdb_sa_sk_flowtest0123456789abcdefghijkl"
#define API_PUBLIC      "flowtest"
#define API_PRIVATE     "3c9f2a71-5b8e-4d06-a1f4-9e2b7c8d0f15"

/* The application every window of the program belongs to (kl_test_flow_init()). */
extern KlApplication *app;

/* ---- Fixture ---------------------------------------------------------------------------- */

typedef struct
{
  KlSim       *sim;
  KlWindow    *window;
  KlAssistant *assistant;
  KlSession   *session;
} Fixture;

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

gboolean has_width (gpointer user_data);

gboolean welcome_loaded (gpointer user_data);

void window_open (Fixture *fixture,
                  int      width,
                  int      height);

void window_close (Fixture *fixture);

void reset_memory (void);

void sim_start (Fixture *fixture);

void fixture_set_up (Fixture       *fixture,
                     gconstpointer  user_data);

void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  user_data);

/* ---- Finding and using controls as a person would: by their labels ---------------------- */

KlPage *current_page (Fixture *fixture);

const char *current_page_id (Fixture *fixture);

typedef struct
{
  Fixture    *fixture;
  const char *page_id;
} PageWait;

gboolean is_on_page (gpointer user_data);

KlPage *wait_for_page (Fixture    *fixture,
                       const char *page_id,
                       guint       timeout_ms);

gboolean is_drawn (gpointer user_data);

/* Wrapped labels take another layout pass: wait until the window is drawn as it is. */
void save_screenshot (GtkWidget  *window,
                      const char *name);

GtkWidget *find_row (GtkWidget  *root,
                     const char *label,
                     GType       type);

AdwEntryRow *find_entry (KlPage     *page,
                         const char *title);

void choose (KlPage     *page,
             const char *title,
             guint       position);

void activate_row (GtkWidget  *root,
                   const char *label);

/* A project's row in the list: the list item named by it, which Enter or a click activates.
 * Its name is shown as it is, never read as markup. */
GtkWidget *project_row (KlProjectPage *page,
                        const char    *name);

typedef struct
{
  KlProjectPage *page;
  const char    *name;
} ProjectRowWait;

gboolean project_row_mapped (gpointer user_data);

/* Once the list has laid out the row (on the frame after a search). */
void activate_project (KlProjectPage *page,
                       const char    *name);

void assert_contains (const char *text,
                      const char *needle);

gboolean not_applying (gpointer user_data);

/* ---- Signing in ------------------------------------------------------------------------- */

typedef struct
{
  KlAuthType  auth_type;
  const char *url;         /* NULL: the simulator's */
  const char *principal;
  const char *secret;
  const char *profile;     /* NULL: not remembered */
} Credentials;

extern const Credentials good_sa;

GtkSwitch *remember_switch (KlPage *page);

KlPage *fill_sign_in (Fixture           *fixture,
                      const Credentials *credentials);

/* Signs in and waits for the project list. */
KlProjectPage *sign_in (Fixture           *fixture,
                        const Credentials *credentials);

guint count_requests (Fixture    *fixture,
                      const char *method,
                      const char *path);

/* ---- Keyring ---------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *profiles;
  GError    *error;
  gboolean   done;
} ListWait;

void list_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data);

/* The saved profile called @name, read from the keyring anew. */
KlProfile *find_saved_profile (const char *name);

void delete_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data);

void delete_saved_profile (KlProfile *profile);

gboolean keyring_missing (void);

guint n_shown (KlProjectPage *page);

typedef struct
{
  KlWindow   *window;
  const char *label;
} LabelWait;

gboolean label_shown (gpointer user_data);

void wait_for_label (KlWindow   *window,
                     const char *label);

/* ---- Project page ----------------------------------------------------------------------- */

typedef struct
{
  KlProjectPage *page;
  guint          n;
} ShownWait;

gboolean shows_n (gpointer user_data);

void search (KlProjectPage *page,
             const char    *text,
             guint          n_expected);

gboolean has_plan (gpointer user_data);

GtkWidget *action_row (KlProjectPage *page,
                       const char    *title);

gboolean row_shown (KlProjectPage *page,
                    const char    *title);

/* Chooses a project as a person would (a click on its row) and waits for its state. */
void choose_project (Fixture       *fixture,
                     KlProjectPage *page,
                     const char    *name);

const char *status_text (KlProjectPage *page);

typedef struct
{
  KlEncryptionAtRest *ear;
  GError             *error;
  gboolean            done;
} EarWait;

void ear_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data);

void patch_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data);

KlAtlasClient *test_client (Fixture *fixture);

/* What Atlas holds for the ready project, read with a client of the test's own. */
KlEncryptionAtRest *read_back (Fixture *fixture);

gboolean page_complete (gpointer user_data);

gboolean done_loaded (gpointer user_data);

/* ---- Resume -------------------------------------------------------------------------------- */

/* What earlier runs of the flow left: the key enabled and valid, private networking required,
 * no endpoint yet (the private networking page did its part; the endpoints are next). */
void make_half_done (Fixture *fixture);

/* ---- Resume further along, and the Project page's other flows ---------------------------- */

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

void async_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data);

gboolean async_done (gpointer user_data);

/* Waits for the answer; transfer full. */
GAsyncResult *async_wait (AsyncWait *wait);

/* What earlier runs left on top of make_half_done(): an endpoint in each region of the
 * project's clusters, approved in Azure and ACTIVE. */
void make_endpoints_active (Fixture *fixture);

/* …and both of its clusters on the key, IDLE. */
void make_clusters_on_key (Fixture *fixture);

void prepare_endpoints_active (Fixture *fixture);

void prepare_all_done (Fixture *fixture);

/* GTK and the test framework, the accessibility test backend, and the application. */
void kl_test_flow_init     (int    *argc,
                            char ***argv);
void kl_test_flow_shutdown (void);

G_END_DECLS
