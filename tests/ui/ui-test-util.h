/* ui-test-util.h: driving the real Vouch window in tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vouch-application.h"
#include "vouch-window.h"

G_BEGIN_DECLS

typedef gboolean (*UiTestCondition) (gpointer user_data);

void         ui_test_init           (int              *argc,
                                     char           ***argv);
gboolean     ui_test_wait           (UiTestCondition   condition,
                                     gpointer          user_data,
                                     guint             seconds);
void         ui_test_settle         (guint             milliseconds);
void         ui_test_screenshot     (GtkWidget        *widget,
                                     const char       *name);
GtkWidget   *ui_test_find           (GtkWidget        *root,
                                     GType             type);
GtkWidget   *ui_test_find_labelled  (GtkWidget        *root,
                                     GType             type,
                                     const char       *text);
void         ui_test_type           (GtkWidget        *field,
                                     const char       *text);
void         ui_test_press_enter    (GtkWidget        *field);
const char  *ui_test_inline_error   (GtkWidget        *field);
VouchWindow *ui_test_open_window    (VouchApplication *application,
                                     int               width,
                                     int               height);
void         ui_test_ensure_root    (void);
VouchApplication *ui_test_get_application (void);
VouchWindow *ui_test_new_window     (int               width,
                                     int               height);
guint        ui_test_assert_accessible_names (GtkWidget *root);
GtkWindow   *ui_test_wait_toplevel  (GType             type,
                                     guint             seconds);

G_END_DECLS
