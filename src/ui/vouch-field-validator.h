/* vouch-field-validator.h: a field's own error, shown next to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Returns whether @text is acceptable; sets @error with the reason when
 * not. @text is never empty. */
typedef gboolean (*VouchFieldCheckFunc) (const char  *text,
                                         gpointer     user_data,
                                         GError     **error);

#define VOUCH_TYPE_FIELD_VALIDATOR (vouch_field_validator_get_type ())

G_DECLARE_FINAL_TYPE (VouchFieldValidator, vouch_field_validator, VOUCH, FIELD_VALIDATOR, GObject)

VouchFieldValidator *vouch_field_validator_attach    (GtkWidget           *field,
                                                      VouchFieldCheckFunc  check,
                                                      gpointer             user_data);
VouchFieldValidator *vouch_field_validator_get       (GtkWidget           *field);
gboolean             vouch_field_validator_validate  (VouchFieldValidator *self);
void                 vouch_field_validator_set_error (VouchFieldValidator *self,
                                                      const char          *message);
const char          *vouch_field_validator_get_error (VouchFieldValidator *self);

gboolean             vouch_field_check_any           (const char          *text,
                                                      gpointer             user_data,
                                                      GError             **error);
gboolean             vouch_field_check_name          (const char          *text,
                                                      gpointer             user_data,
                                                      GError             **error);
gboolean             vouch_field_check_name_list     (const char          *text,
                                                      gpointer             user_data,
                                                      GError             **error);
gboolean             vouch_field_check_permitted     (const char          *text,
                                                      gpointer             user_data,
                                                      GError             **error);
gboolean             vouch_field_add_name            (GtkWidget           *field,
                                                      GPtrArray           *names);

G_END_DECLS
