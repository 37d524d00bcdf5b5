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

/* What vouch_text_sanitize() promises for every string that reaches the
 * operator, checked here on its own terms rather than with the
 * sanitizer's code: valid UTF-8, no C0/C1 control, no bidirectional
 * embedding, override, isolate or mark, no invisible format character
 * (general category Cf) except a joiner between two visible characters,
 * no line or paragraph separator, and at most @max_chars characters. */
static inline void
fuzz_assert_safe_text (const char *text,
                       gsize       max_chars)
{
  gunichar previous = 0;

  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  if (max_chars > 0)
    g_assert_cmpuint (g_utf8_strlen (text, -1), <=, max_chars);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean joiner = c == 0x200C || c == 0x200D;

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (c >= 0x202A && c <= 0x202E);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
      g_assert_false (c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029);
      g_assert_false (c >= 0xE0000 && c <= 0xE007F);
      if (joiner)
        {
          const char *next = g_utf8_next_char (p);

          g_assert_true (previous != 0 && !g_unichar_isspace (previous));
          g_assert_true (*next != '\0' && !g_unichar_isspace (g_utf8_get_char (next)));
        }
      else
        g_assert_cmpint (g_unichar_type (c), !=, G_UNICODE_FORMAT);
      previous = c;
    }
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
