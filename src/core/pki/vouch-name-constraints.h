/* vouch-name-constraints.h: the names and addresses a root may sign for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

#define VOUCH_TYPE_NAME_CONSTRAINTS (vouch_name_constraints_get_type ())

G_DECLARE_FINAL_TYPE (VouchNameConstraints, vouch_name_constraints, VOUCH, NAME_CONSTRAINTS, GObject)

VouchNameConstraints *vouch_name_constraints_new                (void);
VouchNameConstraints *vouch_name_constraints_new_local_defaults (void);
VouchNameConstraints *vouch_name_constraints_new_from_crt       (gnutls_x509_crt_t      crt,
                                                                 GError               **error);
const char * const   *vouch_name_constraints_get_local_defaults (void);
gboolean              vouch_name_constraints_add                (VouchNameConstraints  *self,
                                                                 const char            *text,
                                                                 GError               **error);
gboolean              vouch_name_constraints_get_unconstrained  (VouchNameConstraints  *self);
void                  vouch_name_constraints_set_unconstrained  (VouchNameConstraints  *self,
                                                                 gboolean               unconstrained);
char                **vouch_name_constraints_dup_permitted      (VouchNameConstraints  *self);
gboolean              vouch_name_constraints_apply              (VouchNameConstraints  *self,
                                                                 gnutls_x509_crt_t      crt,
                                                                 GError               **error);
gboolean              vouch_name_constraints_permits            (VouchNameConstraints  *self,
                                                                 const char            *name);
char                 *vouch_name_constraints_describe           (VouchNameConstraints  *self);

G_END_DECLS
