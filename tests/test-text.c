/* test-text.c: vouch_text_sanitize(), the one gate for device text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-text.h"

#include <string.h>

static void
assert_sanitized (const char *input,
                  gssize      len,
                  gsize       max_chars,
                  const char *expected)
{
  g_autofree char *got = vouch_text_sanitize (input, len, max_chars);
  g_autofree char *again = vouch_text_sanitize (got, -1, max_chars);

  g_assert_cmpstr (got, ==, expected);
  g_assert_true (g_utf8_validate (got, -1, NULL));
  if (max_chars > 0)
    g_assert_cmpuint (g_utf8_strlen (got, -1), <=, max_chars);
  /* What comes out is a fixed point. */
  g_assert_cmpstr (again, ==, got);
}

static void
test_plain_text_unchanged (void)
{
  assert_sanitized ("Boiler room gateway", -1, 64, "Boiler room gateway");
  assert_sanitized ("Imprimante du 2ᵉ étage", -1, 64, "Imprimante du 2ᵉ étage");
  assert_sanitized ("طابعة المكتب", -1, 64, "طابعة المكتب");
  assert_sanitized ("", -1, 64, "");
  g_assert_null (vouch_text_sanitize (NULL, -1, 64));
}

static void
test_bidi_controls_removed (void)
{
  /* The case from the issue: RLO turns "fdp.exe" into "exe.pdf". */
  assert_sanitized ("Invoice\u202Efdp.exe", -1, 64, "Invoice\uFFFDfdp.exe");
  for (gunichar c = 0x202A; c <= 0x2069; c++)
    {
      char buf[8] = { 0 };
      g_autofree char *input = NULL;

      if (c == 0x202F)
        c = 0x2066;
      g_unichar_to_utf8 (c, buf);
      input = g_strconcat ("a", buf, "b", NULL);
      assert_sanitized (input, -1, 64, "a\uFFFDb");
    }
  /* Marks that reorder neutral characters. */
  assert_sanitized ("a\u200Eb\u200Fc\u061Cd", -1, 64, "a\uFFFDb\uFFFDc\uFFFDd");
}

static void
test_invisible_format_removed (void)
{
  static const gunichar invisible[] = { 0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF,
                                        0x180E, 0x00AD, 0xE0001, 0xE0020, 0xE007F, 0xFFF9 };

  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    {
      char buf[8] = { 0 };
      g_autofree char *input = NULL;

      g_unichar_to_utf8 (invisible[i], buf);
      input = g_strconcat ("pay", buf, "pal", NULL);
      assert_sanitized (input, -1, 64, "pay\uFFFDpal");
    }
}

static void
test_controls_removed (void)
{
  assert_sanitized ("red\033[31malert", -1, 64, "red\uFFFD[31malert");
  assert_sanitized ("one\ntwo\rthree\tfour", -1, 64, "one\uFFFDtwo\uFFFDthree\uFFFDfour");
  /* C1 controls, DEL, and the separators that break lines. */
  assert_sanitized ("a\xc2\x85" "b\xc2\x9b" "c\x7f" "d\u2028e\u2029f", -1, 64,
                    "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf");
  /* An embedded NUL when the length is given. */
  assert_sanitized ("ab\0cd", 5, 64, "ab\uFFFDcd");
}

static void
test_runs_collapse (void)
{
  /* A run of removed characters is one mark, so padding cannot push the
   * rest of a name out of view. */
  assert_sanitized ("a\u202E\u200B\u2066\x1b\u2069b", -1, 64, "a\uFFFDb");
  assert_sanitized ("\u202E\u202E", -1, 64, "\uFFFD");
}

static void
test_invalid_utf8 (void)
{
  assert_sanitized ("ok\xff\xfe" "fine", -1, 64, "ok\uFFFDfine");
  /* A sequence cut short at the end. */
  assert_sanitized ("caf\xc3", -1, 64, "caf\uFFFD");
  /* An encoded surrogate is not UTF-8. */
  assert_sanitized ("x\xed\xa0\xbdy", -1, 64, "x\uFFFDy");
}

static void
test_joiners (void)
{
  /* Kept where a script or an emoji sequence needs them... */
  assert_sanitized ("می\u200Cخواهم", -1, 64, "می\u200Cخواهم");
  assert_sanitized ("\U0001F469\u200D\U0001F4BB", -1, 64, "\U0001F469\u200D\U0001F4BB");
  /* ...and removed where they only hide a difference. */
  assert_sanitized ("\u200Dprinter", -1, 64, "\uFFFDprinter");
  assert_sanitized ("printer\u200C", -1, 64, "printer\uFFFD");
  assert_sanitized ("a\u200D\u200Db", -1, 64, "a\uFFFDb");
  assert_sanitized ("a \u200Db", -1, 64, "a \uFFFDb");
}

static void
test_length_bounded (void)
{
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *expected = g_strconcat ("xxxxxxxxx", "…", NULL);

  assert_sanitized (long_name, -1, 10, expected);
  assert_sanitized ("exactly10!", -1, 10, "exactly10!");
  assert_sanitized ("abc", -1, 2, "a…");
  assert_sanitized (long_name, -1, 0, long_name);
}

static void
test_cut_keeps_graphemes (void)
{
  /* e + combining acute stays whole: the cut goes before it. */
  assert_sanitized ("abcde\u0301fgh", -1, 6, "abcd…");
  /* A ZWJ emoji sequence is not split at the joiner. */
  assert_sanitized ("ab\U0001F469\u200D\U0001F4BBxyz", -1, 5, "ab…");
  /* A flag's two regional indicators stay together. */
  assert_sanitized ("a\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EAz", -1, 5, "a\U0001F1EB\U0001F1F7…");
  /* A skin-tone modifier stays with its emoji. */
  assert_sanitized ("ab\U0001F44B\U0001F3FDcd", -1, 4, "ab…");
  /* A base with nothing but marks after it is dropped whole. */
  {
    g_autoptr(GString) zalgo = g_string_new ("a");
    for (guint i = 0; i < 50; i++)
      g_string_append (zalgo, "\u0301");
    assert_sanitized (zalgo->str, -1, 8, "…");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/plain-text-unchanged", test_plain_text_unchanged);
  g_test_add_func ("/text/bidi-controls-removed", test_bidi_controls_removed);
  g_test_add_func ("/text/invisible-format-removed", test_invisible_format_removed);
  g_test_add_func ("/text/controls-removed", test_controls_removed);
  g_test_add_func ("/text/runs-collapse", test_runs_collapse);
  g_test_add_func ("/text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/text/joiners", test_joiners);
  g_test_add_func ("/text/length-bounded", test_length_bounded);
  g_test_add_func ("/text/cut-keeps-graphemes", test_cut_keeps_graphemes);

  return g_test_run ();
}
