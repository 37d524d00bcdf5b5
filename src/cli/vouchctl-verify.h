/* vouchctl-verify.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_verify (int    argc,
                     char **argv);
