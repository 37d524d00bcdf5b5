/* test-certificates-page.h: what the two files of the certificates-page
 * test program share: test-certificates-page.c (the page itself) and
 * test-certificates-page-reminders.c (reminders, Preferences, the root's
 * rollover and hand-signed certificates)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ui-test-util.h"
#include "vouch-certificate-entry.h"

G_BEGIN_DECLS

#define DAY VOUCH_SECONDS_PER_DAY
/* "Now" for the page: this many days after the certificates were signed. */
#define SHIFT_DAYS 40

typedef struct
{
  VouchApplication *application;
  VouchWindow      *window;
  GtkWidget        *page;
} Fixture;

extern gint64 fake_now;

void                   screenshot         (Fixture          *fixture,
                                           const char       *name);
VouchInventory        *get_inventory      (Fixture          *fixture);
VouchCertificateEntry *find_entry         (GListModel       *model,
                                           const char       *device,
                                           guint            *out_position);
AdwMessageDialog      *find_dialog        (void);
gboolean               dialog_shown       (gpointer          user_data);
void                   respond            (AdwMessageDialog *dialog,
                                           const char       *response);

void                   test_reminders     (Fixture          *fixture,
                                           gconstpointer     data);
void                   test_preferences   (Fixture          *fixture,
                                           gconstpointer     data);
void                   test_root_rollover (Fixture          *fixture,
                                           gconstpointer     data);
void                   test_hand_signed   (Fixture          *fixture,
                                           gconstpointer     data);

G_END_DECLS
