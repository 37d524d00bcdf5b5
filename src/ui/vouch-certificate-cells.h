/* vouch-certificate-cells.h: the cells of the Certificates page's columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void vouch_certificate_cells_install (GtkColumnViewColumn *device_column,
                                      GtkColumnViewColumn *expiry_column,
                                      GtkColumnViewColumn *status_column);

G_END_DECLS
