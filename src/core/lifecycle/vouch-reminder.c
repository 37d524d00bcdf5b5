/* vouch-reminder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-reminder"

#include "vouch-config.h"

#include "vouch-reminder.h"

#include "vouch-inventory.h"

#include <glib/gi18n-lib.h>

/* The planner decides; the GUI only shows. A certificate is reminded of
 * once per threshold (30 days, 7 days, expired) and the root once per
 * threshold from a year ahead; what was shown is kept in the inventory's
 * reminders table, so restarting the app does not repeat it. Only the
 * most urgent threshold a certificate has crossed is due: one first seen
 * three days before expiry gets one "7 days" reminder, not two. */

static const int leaf_thresholds[] = { 30, 7, 0 };
static const int root_thresholds[] = { 365, 90, 30, 7, 0 };

struct _VouchReminder
{
  GObject           parent_instance;

  char             *id;
  char             *subject;
  int               threshold;
  char             *title;
  char             *body;
  char             *device_id;
  char             *serial;
  VouchExpiryClass  expiry_class;
  gboolean          is_root;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_BODY,
  PROP_THRESHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchReminder, vouch_reminder, G_TYPE_OBJECT)

static void
vouch_reminder_finalize (GObject *object)
{
  VouchReminder *self = (VouchReminder *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->serial, g_free);

  G_OBJECT_CLASS (vouch_reminder_parent_class)->finalize (object);
}

static void
vouch_reminder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VouchReminder *self = VOUCH_REMINDER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_THRESHOLD:
      g_value_set_int (value, self->threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_reminder_class_init (VouchReminderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_reminder_finalize;
  object_class->get_property = vouch_reminder_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);
  properties[PROP_THRESHOLD] = g_param_spec_int ("threshold", NULL, NULL, 0, G_MAXINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_reminder_init (VouchReminder *self)
{
}

/**
 * vouch_reminder_get_id:
 *
 * Returns: an id for g_application_send_notification(): one per
 *   certificate (or root), so a newer reminder replaces the older
 */
const char *
vouch_reminder_get_id (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), NULL);
  return self->id;
}

int
vouch_reminder_get_threshold (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), 0);
  return self->threshold;
}

const char *
vouch_reminder_get_title (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), NULL);
  return self->title;
}

const char *
vouch_reminder_get_body (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), NULL);
  return self->body;
}

/**
 * vouch_reminder_get_device_id:
 *
 * Returns: (nullable): the device to open when the reminder is clicked;
 *   %NULL for the root
 */
const char *
vouch_reminder_get_device_id (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), NULL);
  return self->device_id;
}

const char *
vouch_reminder_get_serial (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), NULL);
  return self->serial;
}

gboolean
vouch_reminder_get_is_root (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), FALSE);
  return self->is_root;
}

VouchExpiryClass
vouch_reminder_get_expiry_class (VouchReminder *self)
{
  g_return_val_if_fail (VOUCH_IS_REMINDER (self), VOUCH_EXPIRY_VALID);
  return self->expiry_class;
}

/* The most urgent threshold crossed: the smallest one not below the
 * days left, or -1 if none is. */
static int
crossed_threshold (const int *thresholds,
                   guint      n,
                   gint64     not_after,
                   gint64     now)
{
  int crossed = -1;

  for (guint i = 0; i < n; i++)
    {
      gboolean past = thresholds[i] == 0
                        ? not_after <= now
                        : not_after - now <= thresholds[i] * (gint64)86400;

      if (past)
        crossed = thresholds[i];
    }
  return crossed;
}

/* @key names the notification: the device, so its newer reminder
 * replaces the older one on screen. */
static VouchReminder *
reminder_new (const char *key,
              const char *subject,
              int         threshold,
              gint64      not_after,
              gint64      now)
{
  VouchReminder *self = g_object_new (VOUCH_TYPE_REMINDER, NULL);

  self->subject = g_strdup (subject);
  self->id = g_strconcat ("expiry-", key, NULL);
  self->threshold = threshold;
  self->expiry_class = vouch_expiry_classify (not_after, now);
  return self;
}

static void
add_root_reminder (GListStore     *store,
                   VouchInventory *inventory,
                   VouchRootCa    *root,
                   gint64          now)
{
  VouchCertificate *cert = vouch_root_ca_get_certificate (root);
  gint64 not_after = vouch_certificate_get_not_after (cert);
  g_autofree char *subject = g_strconcat ("root:", vouch_root_ca_get_sha256 (root), NULL);
  g_autofree char *when = vouch_expiry_describe (not_after, now);
  g_autoptr(VouchReminder) reminder = NULL;
  int threshold;

  threshold = crossed_threshold (root_thresholds, G_N_ELEMENTS (root_thresholds), not_after, now);
  if (threshold < 0 || vouch_inventory_has_reminder (inventory, subject, threshold))
    return;

  reminder = reminder_new ("root", subject, threshold, not_after, now);
  reminder->is_root = TRUE;
  reminder->title = g_strdup (not_after <= now ? _("Your root has expired")
                                               : _("Your root expires soon"));
  /* Translators: %s is “Expires in 200 days” or “Expired 3 days ago”. */
  reminder->body = g_strdup_printf (_("%s. Plan a rollover: create a new root, re-issue every "
                                      "device and give colleagues the new root."), when);
  g_list_store_append (store, reminder);
}

/**
 * vouch_reminder_list_due:
 * @root: (nullable): the root, to warn about its own expiry
 * @now: usually vouch_clock_now()
 *
 * Decides which reminders to show now. Nothing is recorded: call
 * vouch_reminder_mark_shown() for each one shown.
 *
 * Returns: (transfer full): a #GListModel of #VouchReminder, the root's
 *   first, then certificates soonest first
 */
GListModel *
vouch_reminder_list_due (VouchInventory  *inventory,
                          VouchRootCa     *root,
                          gint64           now,
                          GError         **error)
{
  g_autoptr(GListStore) store = g_list_store_new (VOUCH_TYPE_REMINDER);
  g_autoptr(GListModel) expiring = NULL;
  guint n;

  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), NULL);
  g_return_val_if_fail (root == NULL || VOUCH_IS_ROOT_CA (root), NULL);

  if (root != NULL)
    add_root_reminder (store, inventory, root, now);

  expiring = vouch_inventory_list_expiring (inventory, now, leaf_thresholds[0], error);
  if (expiring == NULL)
    return NULL;

  n = g_list_model_get_n_items (expiring);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (expiring, i);
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
      gint64 not_after = vouch_certificate_get_not_after (cert);
      const char *device = vouch_certificate_entry_get_device_name (entry);
      gboolean by_hand = vouch_certificate_entry_get_signed_by_hand (entry);
      g_autoptr(VouchReminder) reminder = NULL;
      int threshold;

      /* An undelivered certificate is on no device; its device's active
       * one is what matters, and it has its own reminder. One signed by
       * hand is wherever the operator put it: it counts until replaced. */
      if (!by_hand && vouch_certificate_get_status (cert) != VOUCH_CERTIFICATE_STATUS_ACTIVE)
        continue;

      threshold = crossed_threshold (leaf_thresholds, G_N_ELEMENTS (leaf_thresholds), not_after,
                                     now);
      if (threshold < 0 ||
          vouch_inventory_has_reminder (inventory, vouch_certificate_get_serial (cert), threshold))
        continue;

      if (device == NULL && by_hand)
        device = vouch_certificate_get_names (cert)[0];
      if (device == NULL)
        device = vouch_certificate_get_subject (cert);

      /* A hand-signed certificate has no device: its serial keys it. */
      reminder = reminder_new (by_hand ? vouch_certificate_get_serial (cert)
                                       : vouch_certificate_get_device_id (cert),
                               vouch_certificate_get_serial (cert), threshold, not_after, now);
      reminder->device_id = g_strdup (vouch_certificate_get_device_id (cert));
      reminder->serial = g_strdup (vouch_certificate_get_serial (cert));
      if (threshold == 0)
        /* Translators: %s is a device's name. */
        reminder->title = g_strdup_printf (_("The certificate of “%s” has expired"), device);
      else
        reminder->title = g_strdup_printf (_("The certificate of “%s” expires soon"), device);
      {
        g_autofree char *when = vouch_expiry_describe (not_after, now);

        if (by_hand)
          /* Translators: %s is “Expires in 5 days” or “Expired 3 days ago”. */
          reminder->body = g_strdup_printf (_("%s. It was signed by hand: have the device make "
                                              "a new request (CSR) and sign it on the Sign by "
                                              "Hand page."), when);
        else
          /* Translators: %s is “Expires in 5 days” or “Expired 3 days ago”. */
          reminder->body = g_strdup_printf (_("%s. Renew it from the inventory, or run "
                                              "“vouchctl renew --due 30d”."), when);
      }
      g_list_store_append (store, reminder);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * vouch_reminder_mark_shown:
 *
 * Records that @reminder was shown, so it is not due again.
 */
static gboolean
vouch_reminder_mark_shown (VouchInventory  *inventory,
                            VouchReminder   *reminder,
                            gint64           now,
                            GError         **error)
{
  g_return_val_if_fail (VOUCH_IS_INVENTORY (inventory), FALSE);
  g_return_val_if_fail (VOUCH_IS_REMINDER (reminder), FALSE);

  return vouch_inventory_record_reminder (inventory, reminder->subject, reminder->threshold, now,
                                          error);
}

/**
 * vouch_reminder_take_due:
 *
 * vouch_reminder_list_due(), marking each reminder shown.
 *
 * Returns: (transfer full): a #GListModel of #VouchReminder
 */
GListModel *
vouch_reminder_take_due (VouchInventory  *inventory,
                          VouchRootCa     *root,
                          gint64           now,
                          GError         **error)
{
  g_autoptr(GListModel) due = vouch_reminder_list_due (inventory, root, now, error);

  if (due == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (due); i++)
    {
      g_autoptr(VouchReminder) reminder = g_list_model_get_item (due, i);

      if (!vouch_reminder_mark_shown (inventory, reminder, now, error))
        return NULL;
    }

  return g_steal_pointer (&due);
}
