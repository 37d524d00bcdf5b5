/* vouchctl-renew.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_renew (int    argc,
                    char **argv);
