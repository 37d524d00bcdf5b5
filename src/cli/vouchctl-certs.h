/* vouchctl-certs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_certs (int    argc,
                    char **argv);
