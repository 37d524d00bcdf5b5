/* vouch-expiry.h: how close a certificate or the root is to expiring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vouch-root-ca.h"

G_BEGIN_DECLS

#define VOUCH_EXPIRY_SOON_DAYS 30
#define VOUCH_EXPIRY_URGENT_DAYS 7
#define VOUCH_EXPIRY_ROOT_WARN_DAYS 365

/**
 * VouchExpiryClass:
 * @VOUCH_EXPIRY_VALID: more than 30 days left
 * @VOUCH_EXPIRY_WITHIN_30: expires within 30 days
 * @VOUCH_EXPIRY_WITHIN_7: expires within 7 days
 * @VOUCH_EXPIRY_EXPIRED: no longer valid
 *
 * Ordered by urgency, so a larger value is more urgent.
 */
typedef enum
{
  VOUCH_EXPIRY_VALID,
  VOUCH_EXPIRY_WITHIN_30,
  VOUCH_EXPIRY_WITHIN_7,
  VOUCH_EXPIRY_EXPIRED,
} VouchExpiryClass;

#define VOUCH_TYPE_EXPIRY_CLASS (vouch_expiry_class_get_type ())
GType vouch_expiry_class_get_type (void);

VouchExpiryClass  vouch_expiry_classify             (gint64             not_after,
                                                     gint64             now);
int               vouch_expiry_days_left            (gint64             not_after,
                                                     gint64             now);
const char       *vouch_expiry_class_to_string      (VouchExpiryClass   klass);
char             *vouch_expiry_describe             (gint64             not_after,
                                                     gint64             now);
gboolean          vouch_expiry_parse_days           (const char        *text,
                                                     guint             *out_days,
                                                     GError           **error);
gboolean          vouch_expiry_root_needs_warning   (VouchRootCa       *root,
                                                     gint64             now,
                                                     int               *out_days_left);

G_END_DECLS
