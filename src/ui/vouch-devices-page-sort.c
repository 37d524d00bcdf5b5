/* vouch-devices-page-sort.c: how the devices list is searched and sorted,
 * with a folded search text and a collation key kept per device. Split
 * from vouch-devices-page.c, which shows the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-devices-page-private.h"

#include "vouch-device-status.h"

#include <string.h>

static GQuark search_quark;
static GQuark collate_quark;
static GQuark watched_quark;

static void
forget_keys_cb (VouchDevice *device)
{
  g_object_set_qdata (G_OBJECT (device), search_quark, NULL);
  g_object_set_qdata (G_OBJECT (device), collate_quark, NULL);
}

static void
watch (VouchDevice *device)
{
  if (g_object_get_qdata (G_OBJECT (device), watched_quark) != NULL)
    return;
  g_object_set_qdata (G_OBJECT (device), watched_quark, GINT_TO_POINTER (TRUE));
  g_signal_connect (device, "notify", G_CALLBACK (forget_keys_cb), NULL);
}

/* Casefolding every field of 10,000 devices on each keystroke is what
 * makes filtering slow; keep one folded search text per device instead,
 * dropped whenever the device changes. */
static const char *
search_text (VouchDevice *device)
{
  const char *text = g_object_get_qdata (G_OBJECT (device), search_quark);
  g_autoptr(GString) all = NULL;
  const char * const *addresses;
  char *folded;

  if (text != NULL)
    return text;

  all = g_string_new (vouch_device_get_name (device));
  g_string_append_printf (all, "\n%s\n%s\n%s",
                          vouch_device_get_model (device) != NULL ? vouch_device_get_model (device) : "",
                          vouch_device_get_host (device) != NULL ? vouch_device_get_host (device) : "",
                          vouch_device_get_id (device));
  addresses = vouch_device_get_addresses (device);
  for (guint i = 0; addresses[i] != NULL; i++)
    g_string_append_printf (all, "\n%s", addresses[i]);

  folded = g_utf8_casefold (all->str, -1);
  watch (device);
  g_object_set_qdata_full (G_OBJECT (device), search_quark, folded, g_free);
  return folded;
}

static const char *
collate_key (VouchDevice *device)
{
  const char *key = g_object_get_qdata (G_OBJECT (device), collate_quark);
  char *made;

  if (key != NULL)
    return key;

  made = g_utf8_collate_key (vouch_device_get_name (device), -1);
  watch (device);
  g_object_set_qdata_full (G_OBJECT (device), collate_quark, made, g_free);
  return made;
}

gboolean
_vouch_devices_page_filter_func (gpointer item,
                                 gpointer user_data)
{
  VouchDevicesPage *self = user_data;

  if (self->search == NULL || *self->search == '\0')
    return TRUE;

  return strstr (search_text (item), self->search) != NULL;
}

static int
compare_addresses (VouchDevice *a,
                   VouchDevice *b)
{
  const char *first_a = vouch_device_get_addresses (a)[0];
  const char *first_b = vouch_device_get_addresses (b)[0];
  g_autoptr(GInetAddress) ia = first_a != NULL ? g_inet_address_new_from_string (first_a) : NULL;
  g_autoptr(GInetAddress) ib = first_b != NULL ? g_inet_address_new_from_string (first_b) : NULL;
  gsize len_a;
  gsize len_b;
  int cmp;

  if (ia == NULL || ib == NULL)
    return (ia == NULL) - (ib == NULL);

  /* Numeric order, so 192.168.1.9 comes before 192.168.1.10. */
  len_a = g_inet_address_get_native_size (ia);
  len_b = g_inet_address_get_native_size (ib);
  if (len_a != len_b)
    return len_a < len_b ? -1 : 1;
  cmp = memcmp (g_inet_address_to_bytes (ia), g_inet_address_to_bytes (ib), len_a);
  return cmp;
}

int
_vouch_devices_page_sort_func (gconstpointer a,
                               gconstpointer b,
                               gpointer      user_data)
{
  VouchDevicesPage *self = user_data;
  VouchDevice *da = (VouchDevice *)a;
  VouchDevice *db = (VouchDevice *)b;
  int cmp = 0;

  if (self->sort_key == 1)
    /* Most urgent first: attention, expiring, … */
    cmp = (int)vouch_device_status_get (db, self->sort_now) -
          (int)vouch_device_status_get (da, self->sort_now);
  else if (self->sort_key == 2)
    cmp = compare_addresses (da, db);

  if (cmp == 0)
    cmp = strcmp (collate_key (da), collate_key (db));
  return cmp;
}

void
_vouch_devices_page_class_init_keys (void)
{
  search_quark = g_quark_from_static_string ("vouch-search-text");
  collate_quark = g_quark_from_static_string ("vouch-collate-key");
  watched_quark = g_quark_from_static_string ("vouch-keys-watched");
}
