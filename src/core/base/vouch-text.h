/* vouch-text.h: making text from devices safe to show to people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds, in characters, for the kinds of device text Vouch shows. */
#define VOUCH_TEXT_MAX_NAME 64
#define VOUCH_TEXT_MAX_LINE 200
#define VOUCH_TEXT_MAX_DETAIL 400
/* What a removed character, or a run of them, becomes. */
#define VOUCH_TEXT_REMOVED_MARK "\xef\xbf\xbd"
/* What ends text that was cut. */
#define VOUCH_TEXT_CUT_MARK "\xe2\x80\xa6"

char *vouch_text_sanitize (const char *text,
                           gssize      len,
                           gsize       max_chars);

G_END_DECLS
