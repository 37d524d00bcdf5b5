/* vouchctl-maker-roots.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_maker_roots (int    argc,
                          char **argv);
