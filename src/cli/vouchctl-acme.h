/* vouchctl-acme.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_acme (int    argc,
                   char **argv);
