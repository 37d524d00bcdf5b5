/* vouchctl-rollover.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_rollover (int    argc,
                       char **argv);
