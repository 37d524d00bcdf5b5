/* vouchctl-crl.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_crl (int    argc,
                  char **argv);
