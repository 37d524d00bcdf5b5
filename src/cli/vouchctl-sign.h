/* vouchctl-sign.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_sign (int    argc,
                   char **argv);
