/* vouch-discovery-guess.c: what kind of device a service announcement
 * suggests, and which driver fits it
 *
 * A guess, shown as one: a device announces what it serves, seldom what it
 * is.  The service type says most (a camera's _axis-video._tcp, a printer's
 * _ipp._tcp); for the generic web and shell types, the names that makers
 * put in instance names and TXT records say the rest.  The driver is the
 * one that speaks the device's API, or "manual" (by hand) for every other
 * HTTPS device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-discovery-guess"

#include "vouch-config.h"

#include "vouch-discovery-guess.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Browsed besides _vouch._tcp, in the order a device's services are
 * preferred when one host announces several. */
static const char * const common_types[] = {
  "_axis-video._tcp",
  "_https._tcp",
  "_ipps._tcp",
  "_ipp._tcp",
  "_http._tcp",
  "_ssh._tcp",
  NULL,
};

const char * const *
vouch_discovery_common_types (void)
{
  return common_types;
}

typedef struct
{
  const char          *word;
  VouchDeviceCategory  category;
  const char          *driver;
} Hint;

/* Words seen in makers' default instance names and TXT records, lowercase. */
static const Hint hints[] = {
  { "idrac", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "ilo", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "openbmc", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "bmc", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "ipmi", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "redfish", VOUCH_DEVICE_CATEGORY_SERVER, "redfish" },
  { "axis", VOUCH_DEVICE_CATEGORY_CAMERA, "axis" },
  { "camera", VOUCH_DEVICE_CATEGORY_CAMERA, "manual" },
  { "printer", VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
  { "laserjet", VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
  { "officejet", VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
  { "epson", VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
  { "brother", VOUCH_DEVICE_CATEGORY_PRINTER, "manual" },
  { "synology", VOUCH_DEVICE_CATEGORY_NAS, "manual" },
  { "diskstation", VOUCH_DEVICE_CATEGORY_NAS, "manual" },
  { "qnap", VOUCH_DEVICE_CATEGORY_NAS, "manual" },
  { "truenas", VOUCH_DEVICE_CATEGORY_NAS, "manual" },
  { "nas", VOUCH_DEVICE_CATEGORY_NAS, "manual" },
  { "router", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
  { "openwrt", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
  { "fritz", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
  { "mikrotik", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
  { "unifi", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
  { "gateway", VOUCH_DEVICE_CATEGORY_ROUTER, "manual" },
};

static const Hint *
find_hint (const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return NULL;
  folded = g_ascii_strdown (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (hints); i++)
    {
      const char *at = strstr (folded, hints[i].word);
      gsize len = strlen (hints[i].word);

      /* Whole words only: "ilo" is no hint in "kilobyte". */
      while (at != NULL)
        {
          gboolean start = at == folded || !g_ascii_isalpha (at[-1]);
          gboolean end = !g_ascii_isalpha (at[len]);

          if (start && end)
            return &hints[i];
          at = strstr (at + 1, hints[i].word);
        }
    }
  return NULL;
}

/**
 * vouch_discovery_guess:
 * @service_type: e.g. "_ipp._tcp", or VOUCH_REDFISH_SSDP_TARGET
 * @name: (nullable): the instance name
 * @txt: (nullable): the TXT entries, "key=value"
 * @out_driver: (out) (optional): the id of the driver that fits
 *
 * Returns: the kind of device the announcement suggests
 */
VouchDeviceCategory
vouch_discovery_guess (const char          *service_type,
                       const char          *name,
                       const char * const  *txt,
                       const char         **out_driver)
{
  const char *driver = "manual";
  VouchDeviceCategory category = VOUCH_DEVICE_CATEGORY_UNKNOWN;
  const Hint *hint = find_hint (name);

  for (guint i = 0; hint == NULL && txt != NULL && txt[i] != NULL && i < 64; i++)
    hint = find_hint (txt[i]);

  if (g_strcmp0 (service_type, "_vouch._tcp") == 0)
    driver = "vouch";
  else if (g_strcmp0 (service_type, VOUCH_REDFISH_SSDP_TARGET) == 0)
    category = VOUCH_DEVICE_CATEGORY_SERVER, driver = "redfish";
  else if (g_strcmp0 (service_type, "_axis-video._tcp") == 0)
    category = VOUCH_DEVICE_CATEGORY_CAMERA, driver = "axis";
  else if (g_strcmp0 (service_type, "_ipp._tcp") == 0 || g_strcmp0 (service_type, "_ipps._tcp") == 0)
    category = VOUCH_DEVICE_CATEGORY_PRINTER;
  else if (hint != NULL)
    category = hint->category, driver = hint->driver;
  else if (g_strcmp0 (service_type, "_ssh._tcp") == 0)
    category = VOUCH_DEVICE_CATEGORY_SERVER;

  if (out_driver != NULL)
    *out_driver = driver;
  return category;
}

/* For the operator: what the device is, as a short noun. */
const char *
vouch_device_category_to_string (VouchDeviceCategory category)
{
  switch (category)
    {
    case VOUCH_DEVICE_CATEGORY_PRINTER:
      return _("Printer");
    case VOUCH_DEVICE_CATEGORY_CAMERA:
      return _("Camera");
    case VOUCH_DEVICE_CATEGORY_NAS:
      return _("Network storage");
    case VOUCH_DEVICE_CATEGORY_ROUTER:
      return _("Router");
    case VOUCH_DEVICE_CATEGORY_SERVER:
      return _("Server");
    case VOUCH_DEVICE_CATEGORY_UNKNOWN:
    default:
      return _("Device");
    }
}
