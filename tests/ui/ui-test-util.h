/* ui-test-util.h: driving the real Vouch window in tests (ui-test-util.c;
 * clicks, typing and finding what a person sees in ui-test-actions.c)
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
gboolean     ui_test_get_boolean    (gpointer          object,
                                     const char       *property);
gboolean     ui_test_wait_boolean   (gpointer          object,
                                     const char       *property,
                                     gboolean          value,
                                     guint             seconds);
void         ui_test_screenshot     (GtkWidget        *widget,
                                     const char       *name);
void         ui_test_screenshot_variants (GtkWindow   *window,
                                     const char       *name);
GtkWidget   *ui_test_find           (GtkWidget        *root,
                                     GType             type);
GtkWidget   *ui_test_find_labelled  (GtkWidget        *root,
                                     GType             type,
                                     const char       *text);
const char  *ui_test_inline_error   (GtkWidget        *field);
void         ui_test_create_loopback_root (const char *name);
VouchWindow *ui_test_open_window    (VouchApplication *application,
                                     int               width,
                                     int               height);
void         ui_test_close_window   (VouchApplication **application,
                                     VouchWindow       *window);
int          ui_test_run_in_window  (VouchApplication **application,
                                     VouchWindow      **window,
                                     int                width,
                                     int                height);
void         ui_test_ensure_root    (void);
void         ui_test_make_token     (const char       *label,
                                     const char       *pin);
void         ui_test_answer_pin     (const char       *pin);
VouchApplication *ui_test_get_application (void);
VouchWindow *ui_test_new_window     (int               width,
                                     int               height);
GtkWidget   *ui_test_show_page      (VouchWindow      *window,
                                     const char       *name,
                                     GType             page_type,
                                     guint             settle_ms);
void         ui_test_destroy_window (GtkWindow        *window);
char        *ui_test_issue          (const char       *device,
                                     guint             days);
guint        ui_test_assert_accessible_names (GtkWidget *root);
GtkWindow   *ui_test_wait_toplevel  (GType             type,
                                     guint             seconds);

GtkWidget   *ui_test_find_id        (GtkWidget        *root,
                                     const char       *buildable_id);
GtkWidget   *ui_test_find_button    (GtkWidget        *root,
                                     const char       *label);
gpointer     ui_test_find_window    (GType             type);
void         ui_test_click          (GtkWidget        *widget);
void         ui_test_click_button   (GtkWidget        *root,
                                     const char       *label);
void         ui_test_activate_list_item (GtkListView  *view,
                                     guint             position);
guint        ui_test_list_position  (GtkListView      *view,
                                     gpointer          item);
void         ui_test_type           (GtkWidget        *editable,
                                     const char       *text);
void         ui_test_keep_system_stores (void);
void         ui_test_press_enter    (GtkWidget        *editable);
gboolean     ui_test_drop_file      (GtkWidget        *widget,
                                     GFile            *file);
guint        ui_test_get_clicks     (void);
guint        ui_test_get_typing     (void);

G_END_DECLS
