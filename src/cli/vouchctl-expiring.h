/* vouchctl-expiring.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_expiring (int    argc,
                       char **argv);
