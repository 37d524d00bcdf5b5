/* vouchctl-revoke.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_revoke (int    argc,
                     char **argv);
