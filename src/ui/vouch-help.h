/* vouch-help.h: opening the user help, with or without Yelp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Stands in for gtk_show_uri() in tests, so no browser or Yelp starts. */
typedef void (*VouchHelpLauncher) (GtkWindow  *parent,
                                   const char *uri,
                                   gpointer    user_data);

char *vouch_help_dup_uri                  (const char        *page);
void  vouch_help_show                     (GtkWindow         *parent,
                                           const char        *page);

G_END_DECLS
