/* test-faults-transport.c
 *
 * Copyright 2026 The Keylink authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kl-test-faults.h"

/* The fault matrix (kl-test-faults.h), for the network: a refused port, a name that does not
 * resolve, TLS to plain HTTP and to a self-signed certificate, and a server that never
 * answers (the caller cancels; the client times out). */

/* ------------------------------------------------------------------------------------------ */
/* The certificate used above is refused for the right reason                                  */

static void
test_self_signed_is_untrusted (void)
{
  g_autoptr(GTlsCertificate) certificate = test_certificate ();
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) database = g_tls_backend_get_default_database (backend);
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  g_assert_nonnull (database);
  flags = g_tls_database_verify_chain (database, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  /* Not trusted by anyone; otherwise fine for 127.0.0.1. */
  g_assert_true (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_false (flags & G_TLS_CERTIFICATE_BAD_IDENTITY);
}

int
main (int   argc,
      char *argv[])
{
  static const Fault tested[] = {
    F_REFUSED, F_DNS, F_TLS_PLAIN, F_TLS_SELF_SIGNED, F_STALL_CANCEL, F_STALL_TIMEOUT
  };
  int status;

  kl_test_faults_init (&argc, &argv);
  g_test_add_func ("/faults/self-signed-is-untrusted", test_self_signed_is_untrusted);
  kl_test_faults_add (tested, G_N_ELEMENTS (tested));

  status = g_test_run ();

  kl_test_faults_report ();
  return status;
}
