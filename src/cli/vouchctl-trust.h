/* vouchctl-trust.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_trust (int    argc,
                    char **argv);
