/* vouchctl-audit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_audit (int    argc,
                    char **argv);
