/* kl-a11y.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kl-a11y"

#include "config.h"

#include "kl-a11y.h"

/* GTK 4.8 names a button by its accessible label followed by what labels it. Setting a text
 * (gtk_button_set_label(), or "label" in a .ui) sets both: the accessible label to the text
 * as given, mnemonic included, and the label child, so AT-SPI hears "_Next Next". Without an
 * accessible label of its own, the button is named by its label child only: the text as
 * shown. */

static void
reset_label (GtkButton *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
label_changed_cb (GtkButton  *button,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  reset_label (button);
}

/**
 * kl_a11y_name_button_by_text:
 * @button: a button with a text label
 *
 * Has assistive technologies name @button by the text it shows (“Next”), now and whenever
 * the text changes. A longer explanation belongs in its accessible description.
 */
void
kl_a11y_name_button_by_text (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  reset_label (button);
  g_signal_connect (button, "notify::label", G_CALLBACK (label_changed_cb), NULL);
}
