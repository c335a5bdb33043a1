/* kl-regions.h
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Atlas Azure regions an encryption-at-rest private endpoint can go to, read from the
 * regions.json in the app's resources (the copy of shared/atlas/regions.json), with a name a
 * person reads: Atlas says US_EAST_2, Azure says eastus2, the portal says "East US 2". */

#define KL_TYPE_REGION (kl_region_get_type ())

G_DECLARE_FINAL_TYPE (KlRegion, kl_region, KL, REGION, GObject)

/* Properties (read-only): "name" (Atlas: US_EAST_2), "azure-location" (eastus2, nullable),
 * "display-name" (East US 2), "title" (East US 2 (US_EAST_2)), "environment" (AZURE,
 * AZURE_CHINA or AZURE_US_GOVERNMENT). */
const char *kl_region_get_name           (KlRegion   *self);
const char *kl_region_get_azure_location (KlRegion   *self);
const char *kl_region_get_display_name   (KlRegion   *self);
const char *kl_region_get_title          (KlRegion   *self);
const char *kl_region_get_environment    (KlRegion   *self);
/* FALSE for a region Atlas named that regions.json does not hold (its name, display name and
 * title are then all the Atlas code). */
gboolean    kl_region_get_known          (KlRegion   *self);
/* Whether @text (any case, surrounding spaces ignored) is part of the name, the Azure
 * location or the display name; an empty text matches every region. */
gboolean    kl_region_matches            (KlRegion   *self,
                                          const char *text);

/* Every Azure region of regions.json, in the file's order (transfer none, a GListModel of
 * KlRegion, loaded once). */
GListModel *kl_regions_get_default       (void);
/* Transfer none; NULL for a name the list does not hold. */
KlRegion   *kl_regions_lookup            (const char *name);
/* Transfer full: the region of the list, or one made for a name the list does not hold
 * (kl_region_get_known() FALSE): Atlas knows regions that this version of Keylink may not. */
KlRegion   *kl_regions_dup_or_new        (const char *name);
/* "East US 2 (US_EAST_2)"; a name the list does not hold is returned as it is, and a NULL or
 * empty one as "Unknown region". */
char       *kl_regions_dup_title         (const char *name);

/* The readable name of a region: from its Azure location when there is one ("eastus2" →
 * "East US 2", "southafricanorth" → "South Africa North"), else from the Atlas name
 * ("US_GOV_VIRGINIA" → "US Gov Virginia"). Pure; exposed for tests. */
char       *kl_regions_derive_display_name (const char *name,
                                            const char *azure_location);
/* The Azure environment a region belongs to: US_GOV_* are AZURE_US_GOVERNMENT, CHINA_* are
 * AZURE_CHINA, every other one AZURE. */
const char *kl_regions_environment_of    (const char *name);

G_END_DECLS
