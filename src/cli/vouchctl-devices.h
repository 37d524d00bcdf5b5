/* vouchctl-devices.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_devices (int    argc,
                      char **argv);
