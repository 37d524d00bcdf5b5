/* vouchctl-onboard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_onboard (int    argc,
                      char **argv);
