/* fuzz-common.h: what every libFuzzer harness in tests/fuzz shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* A critical or a warning means a parser let hostile input reach a
 * g_return_if_fail() or a broken invariant: treat it as a crash. */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* Harnesses with state of their own define FUZZ_CUSTOM_INITIALIZE and
 * write their own LLVMFuzzerInitialize(), calling fuzz_init(). */
#ifndef FUZZ_CUSTOM_INITIALIZE
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}
#endif
