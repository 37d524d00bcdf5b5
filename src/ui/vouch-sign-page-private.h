/* vouch-sign-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-sign-page.h"

G_BEGIN_DECLS

/* Shared by vouch-sign-page.c (reviewing and signing a request) and
 * vouch-sign-page-files.c (opening a request, saving the certificate). */
struct _VouchSignPage
{
  AdwBin               parent_instance;

  VouchApplication    *application;
  GCancellable        *cancellable;
  GBytes              *csr;
  char               **original_names;
  char               **expected_names;
  /* Names the request carries that are no host name or address at all:
   * listed, flagged and removable, as the policy lets the operator. */
  char               **invalid_names;
  GPtrArray           *names;
  GPtrArray           *name_rows;
  VouchCertificate    *certificate;
  gboolean             busy;

  GtkStack            *stack;
  GtkLabel            *load_error_label;
  GtkLabel            *expected_label;
  AdwPreferencesGroup *request_group;
  AdwActionRow        *subject_row;
  AdwActionRow        *notice_row;
  AdwActionRow        *key_row;
  AdwPreferencesGroup *names_group;
  AdwEntryRow         *add_name_row;
  GtkSpinButton       *days_spin;
  GtkSwitch           *client_auth_switch;
  GtkBox              *refusal_box;
  GtkLabel            *refusal_label;
  GtkSpinner          *spinner;
  AdwActionRow        *serial_row;
  AdwActionRow        *issued_names_row;
  AdwActionRow        *issued_until_row;
  AdwComboRow         *format_row;
};

/* Matches the order of the format row's model. */
enum {
  FORMAT_PEM,
  FORMAT_DER,
};

VouchAuthority     *_vouch_sign_page_get_authority   (VouchSignPage *self);
VouchSigningPolicy *_vouch_sign_page_get_policy      (VouchSignPage *self);
void                _vouch_sign_page_set_busy        (VouchSignPage *self,
                                                       gboolean       busy);
void                _vouch_sign_page_show_load_error (VouchSignPage *self,
                                                       const char    *message);

void                _vouch_sign_page_open_action     (GtkWidget     *widget,
                                                       const char    *action_name,
                                                       GVariant      *parameter);
void                _vouch_sign_page_save_action     (GtkWidget     *widget,
                                                       const char    *action_name,
                                                       GVariant      *parameter);
gboolean            _vouch_sign_page_drop_cb         (GtkDropTarget *target,
                                                       const GValue  *value,
                                                       double         x,
                                                       double         y,
                                                       VouchSignPage *self);

/* For tests only. */
VouchCertificate *_vouch_sign_page_get_certificate (VouchSignPage    *self);

G_END_DECLS
