/* vouch-ui-util.h: small things every page needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* @file is %NULL when the user cancelled. */
typedef void (*VouchFileFunc)       (GFile      *file,
                                     gpointer    user_data);

void vouch_ui_register_resources (void);
void vouch_ui_toast           (GtkWidget           *widget,
                               const char          *text);
void vouch_ui_choose_file     (GtkWidget           *parent,
                               const char          *title,
                               gboolean             save,
                               const char          *suggested_name,
                               const char * const  *patterns,
                               VouchFileFunc        func,
                               gpointer             user_data);
void vouch_ui_show_error      (GtkWidget           *parent,
                               const char          *heading,
                               const GError        *error);
GtkWidget *vouch_ui_name_row_new (const char       *name,
                                  gboolean          permitted,
                                  GCallback         remove_cb,
                                  gpointer          user_data);
char      *vouch_ui_format_fingerprint (const char *hex);
char      *vouch_ui_format_date      (gint64        unix_time);
char      *vouch_ui_format_date_time (gint64        unix_time);
const char *vouch_ui_driver_title    (const char   *driver_id);

G_END_DECLS
