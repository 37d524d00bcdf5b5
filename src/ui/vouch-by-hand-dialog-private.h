/* vouch-by-hand-dialog-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-by-hand-dialog.h"
#include "vouch-fingerprint-check.h"

G_BEGIN_DECLS

/* Shared by vouch-by-hand-dialog.c (the steps, signing, confirming) and
 * vouch-by-hand-dialog-files.c (the request from a file or a drop, and
 * the key and certificate file). */
struct _VouchByHandDialog
{
  AdwWindow              parent_instance;

  VouchApplication      *application;
  VouchDevice           *device;
  GCancellable          *cancellable;
  char                  *csr_pem;
  char                 **names;
  gboolean               busy;
  gboolean               signing;

  GtkWidget             *reveal_target;
  guint                  reveal_id;
  gboolean               reveal_measured;

  AdwWindowTitle        *window_title;
  GtkScrolledWindow     *scroller;
  AdwPreferencesGroup   *current_group;
  AdwActionRow          *subject_row;
  AdwActionRow          *issuer_row;
  AdwActionRow          *until_row;
  AdwActionRow          *pin_row;
  VouchFingerprintCheck *fingerprint_check;
  AdwActionRow          *page_row;
  GtkCheckButton        *csr_choice;
  GtkWidget             *csr_box;
  GtkTextView           *csr_view;
  GtkLabel              *csr_error_label;
  AdwPreferencesGroup   *review_group;
  AdwActionRow          *request_names_row;
  AdwActionRow          *request_key_row;
  AdwComboRow           *format_row;
  GtkWidget             *bundle_box;
  AdwActionRow          *bundle_names_row;
  GtkLabel              *saved_label;
  GtkSpinner            *spinner;
  GtkLabel              *result_label;
};

typedef void (*VouchByHandNext) (VouchByHandDialog *self);

void     _vouch_by_hand_dialog_set_busy      (VouchByHandDialog *self,
                                              gboolean           busy);
void     _vouch_by_hand_dialog_show_label    (GtkLabel          *label,
                                              const char        *text,
                                              const char        *style);
void     _vouch_by_hand_dialog_when_verified (VouchByHandDialog *self,
                                              VouchByHandNext    next);

void     _vouch_by_hand_dialog_open_csr_action     (GtkWidget         *widget,
                                                    const char        *action_name,
                                                    GVariant          *parameter);
gboolean _vouch_by_hand_dialog_drop_cb             (GtkDropTarget     *target,
                                                    const GValue      *value,
                                                    double             x,
                                                    double             y,
                                                    VouchByHandDialog *self);
void     _vouch_by_hand_dialog_make_bundle_action  (GtkWidget         *widget,
                                                    const char        *action_name,
                                                    GVariant          *parameter);

G_END_DECLS
