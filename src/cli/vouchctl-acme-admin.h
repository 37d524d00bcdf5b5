/* vouchctl-acme-admin.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vouchctl_acme_pending (int    argc,
                           char **argv);
int vouchctl_acme_approve (int    argc,
                           char **argv);
int vouchctl_acme_refuse  (int    argc,
                           char **argv);
int vouchctl_acme_eab     (int    argc,
                           char **argv);
