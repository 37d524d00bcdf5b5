/* vouch-pinned-database.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-pinned-database"

#include "vouch-config.h"

#include "vouch-pinned-database.h"

/* Vouch decides whether to trust a device by its pinned key alone, in the
 * connection's accept-certificate handler. A database that vouches for
 * nothing makes every chain "unknown CA", so that handler always runs and
 * no system CA can stand in for the pin.
 *
 * It also keeps each connection cheap: without it, glib-networking loads
 * the system CA bundle for every new connection (several milliseconds)
 * before libsoup gets to replace the database. */
struct _VouchPinnedDatabase
{
  GTlsDatabase parent_instance;
};

G_DEFINE_FINAL_TYPE (VouchPinnedDatabase, vouch_pinned_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
vouch_pinned_database_verify_chain (GTlsDatabase             *database,
                                    GTlsCertificate          *chain,
                                    const char               *purpose,
                                    GSocketConnectable       *identity,
                                    GTlsInteraction          *interaction,
                                    GTlsDatabaseVerifyFlags   flags,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;

  return G_TLS_CERTIFICATE_UNKNOWN_CA;
}

static void
vouch_pinned_database_class_init (VouchPinnedDatabaseClass *klass)
{
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  database_class->verify_chain = vouch_pinned_database_verify_chain;
}

static void
vouch_pinned_database_init (VouchPinnedDatabase *self)
{
}

/**
 * vouch_pinned_database_get_default:
 *
 * Returns: (transfer none): the shared instance
 */
GTlsDatabase *
vouch_pinned_database_get_default (void)
{
  static GTlsDatabase *database;

  if (g_once_init_enter (&database))
    g_once_init_leave (&database, g_object_new (VOUCH_TYPE_PINNED_DATABASE, NULL));

  return database;
}
