/* vouchctl-add.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_add (int    argc,
                  char **argv);
