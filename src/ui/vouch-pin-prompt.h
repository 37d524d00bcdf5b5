/* vouch-pin-prompt.h: asking for a security key's PIN when the authority
 * needs it, from whichever thread signs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vouch-authority.h"

G_BEGIN_DECLS

#define VOUCH_TYPE_PIN_PROMPT (vouch_pin_prompt_get_type ())

G_DECLARE_FINAL_TYPE (VouchPinPrompt, vouch_pin_prompt, VOUCH, PIN_PROMPT, GObject)

VouchPinPrompt *vouch_pin_prompt_new    (GtkApplication *application);
void            vouch_pin_prompt_attach (VouchPinPrompt *self,
                                         VouchAuthority *authority);

G_END_DECLS
