/* vouch-text.c: the one place where text a device chose (its mDNS name,
 * TXT values, info fields, problem details, a CSR's subject) is made safe
 * to put on a terminal or a label
 *
 * A device can send bytes that are not UTF-8, escape sequences a terminal
 * obeys, bidirectional overrides that make "Invoice<RLO>fdp.exe" read as
 * "Invoiceexe.pdf", invisible characters that make two names look alike,
 * and text long enough to push everything else off the screen. What comes
 * out of vouch_text_sanitize() has none of these, and shows a mark where
 * something was taken out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-text.h"

#include <string.h>

#define REMOVED ((gunichar)-1)
#define ZWNJ 0x200C
#define ZWJ 0x200D
#define REPLACEMENT 0xFFFD

static gboolean
is_joiner (gunichar c)
{
  return c == ZWNJ || c == ZWJ;
}

/* Characters that are never shown: controls, which a terminal obeys;
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) and marks (U+200E, U+200F, U+061C), which reorder what
 * follows; invisible format characters (U+200B, U+2060–U+2064, U+FEFF,
 * U+180E, U+00AD, the tag characters U+E0000–U+E007F), which hide text;
 * and the line and paragraph separators, which break a line as a newline
 * does. The ranges are listed as well as the general category, so the
 * rule does not depend on the Unicode version GLib was built with. The two
 * joiners are decided by sanitize_joiners(). */
static gboolean
is_forbidden (gunichar c)
{
  if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
    return TRUE;
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
      (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
      (c >= 0xE0000 && c <= 0xE007F) || c == 0xFEFF || c == 0x180E || c == 0x061C)
    return !is_joiner (c);
  return g_unichar_type (c) == G_UNICODE_FORMAT && !is_joiner (c);
}

/* A joiner may follow or precede this character. */
static gboolean
is_joinable (gunichar c)
{
  return c != REMOVED && !is_joiner (c) && !is_forbidden (c) && !g_unichar_isspace (c);
}

/* Zero-width joiner and non-joiner are kept only between two visible
 * characters: Persian, the Indic scripts and emoji sequences (family,
 * profession, flag emoji) need them there to be spelled right. Anywhere
 * else (at an end, next to a space, doubled) they shape nothing and only
 * make two names that look the same differ, so they go. */
static void
sanitize_joiners (gunichar *chars,
                  gsize     n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (!is_joiner (chars[i]))
        continue;
      if (i == 0 || i + 1 == n || !is_joinable (chars[i - 1]) || !is_joinable (chars[i + 1]))
        chars[i] = REMOVED;
    }
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/* Whether cutting before chars[at] would split a user-perceived character
 * (the common cases of UAX #29): a combining mark or an emoji modifier
 * from its base, a Hangul vowel or final consonant from its syllable,
 * either side of a zero-width joiner, or a flag's two regional
 * indicators. */
static gboolean
splits_grapheme (const gunichar *chars,
                 gsize           at)
{
  gunichar c = chars[at];
  gsize indicators = 0;

  if (at == 0)
    return FALSE;
  if (g_unichar_ismark (c) || is_joiner (c) || is_joiner (chars[at - 1]) ||
      (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0x1160 && c <= 0x11FF) ||
      (c >= 0xD7B0 && c <= 0xD7FF))
    return TRUE;
  if (!is_regional_indicator (c))
    return FALSE;
  for (gsize i = at; i > 0 && is_regional_indicator (chars[i - 1]); i--)
    indicators++;
  return indicators % 2 == 1;
}

/**
 * vouch_text_sanitize:
 * @text: (nullable): text from a device, in any encoding it chose
 * @len: its length in bytes, or -1 when it ends with a NUL
 * @max_chars: the most characters the result may have, at least 2; 0 for
 *   no bound
 *
 * Makes device text safe to show. The result is valid UTF-8 without
 * controls, bidirectional overrides, embeddings, isolates or marks, or
 * invisible format characters; each run of removed characters (and of
 * bytes that are not UTF-8) becomes one U+FFFD. Text longer than
 * @max_chars is cut where no character is split, and ends with “…”; the
 * result, “…” included, has at most @max_chars characters. Sanitizing the
 * result again changes nothing.
 *
 * Returns: (transfer full) (nullable): the text to show, %NULL only when
 *   @text is %NULL
 */
char *
vouch_text_sanitize (const char *text,
                     gssize      len,
                     gsize       max_chars)
{
  g_autoptr(GArray) chars = NULL;
  const char *p;
  const char *end;
  gboolean in_run = FALSE;
  gsize keep;
  GString *out;

  g_return_val_if_fail (max_chars != 1, NULL);

  if (text == NULL)
    return NULL;

  end = text + (len < 0 ? strlen (text) : (gsize)len);
  chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), (guint)MIN ((gsize)(end - text), 4096));

  /* Decode, marking what is not UTF-8 or not to be shown as removed. */
  for (p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0)
        {
          c = REMOVED;
          p++;
        }
      else
        {
          p = g_utf8_next_char (p);
          if (is_forbidden (c))
            c = REMOVED;
        }
      g_array_append_val (chars, c);
    }
  sanitize_joiners ((gunichar *)chars->data, chars->len);

  /* One mark for each run of removed characters. */
  keep = 0;
  for (gsize i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);

      if (c == REMOVED && in_run)
        continue;
      in_run = c == REMOVED;
      g_array_index (chars, gunichar, keep++) = in_run ? REPLACEMENT : c;
    }
  g_array_set_size (chars, keep);

  /* Cut at a point that splits no character, leaving room for the mark. */
  if (max_chars > 0 && chars->len > max_chars)
    {
      keep = max_chars - 1;
      while (keep > 0 && splits_grapheme ((const gunichar *)chars->data, keep))
        keep--;
      g_array_set_size (chars, keep);
    }
  else
    keep = G_MAXSIZE;

  out = g_string_sized_new (chars->len * 2 + 4);
  for (gsize i = 0; i < chars->len; i++)
    g_string_append_unichar (out, g_array_index (chars, gunichar, i));
  if (keep != G_MAXSIZE)
    g_string_append (out, VOUCH_TEXT_CUT_MARK);

  return g_string_free (out, FALSE);
}
