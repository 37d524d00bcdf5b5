/* vouchctl-ca.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_ca (int    argc,
                 char **argv);
