/* vouch-tour.c: a screenshot of each page of the real window, for
 * `tools/demo --headless` and for looking at the UI without a desktop
 *
 *   vouch-tour FOLDER [DEVICE]
 *
 * Opens Vouch's window as the app does (same HOME, keyring and devices),
 * then saves each page as FOLDER/NAME.png at desktop width, at 360 px
 * (a phone) and in dark style, and prints each file's path. With no root
 * yet, that is the welcome page; with one, every page of the main view,
 * and the details of DEVICE (a device's name; the first device if not
 * given) when it is found on the network within a few seconds. It is no test: it only looks, and never clicks anything
 * that changes the inventory or a device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-test-util.h"

#include "vouch-devices-page-private.h"
#include "vouch-devices-page.h"
#include "vouch-welcome-page.h"

#include <errno.h>
#include <stdio.h>

#define WIDE 1100
#define NARROW 360
#define HEIGHT 720
/* How long to wait for the demo's devices to be found over mDNS. */
#define DISCOVERY_SECONDS 10

static void
shoot (VouchWindow *window,
       const char  *name)
{
  const char *dir = g_getenv ("VOUCH_SCREENSHOT_DIR");
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);

  ui_test_settle (300);
  ui_test_screenshot (GTK_WIDGET (window), name);
  printf ("%s\n", path);
  fflush (stdout);
}

/* Desktop width, phone width, phone width in dark style. */
static void
shoot_three (VouchWindow *window,
             const char  *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  g_autofree char *dark = g_strconcat (name, "-360-dark", NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDE, HEIGHT);
  shoot (window, name);
  gtk_window_set_default_size (GTK_WINDOW (window), NARROW, HEIGHT);
  shoot (window, narrow);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  shoot (window, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDE, HEIGHT);
  ui_test_settle (300);
}

/* The test helpers report each screenshot as a TAP comment; here the
 * paths alone are the output. */
static void
drop_print (const char *text)
{
}

typedef struct
{
  VouchDevicesPage *page;
  const char       *name;
  guint             position;
} DeviceWait;

/* Whether the device asked for (or any, for %NULL) is listed yet. */
static gboolean
device_listed (gpointer user_data)
{
  DeviceWait *wait = user_data;
  GListModel *model = _vouch_devices_page_get_model (wait->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VouchDevice) device = g_list_model_get_item (model, i);

      if (wait->name == NULL || g_strcmp0 (vouch_device_get_name (device), wait->name) == 0)
        {
          wait->position = i;
          return TRUE;
        }
    }
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  static const char * const pages[] = { "devices", "certificates", "root", "sign", "history" };
  g_autoptr(VouchApplication) application = NULL;
  VouchWindow *window;
  GtkWidget *welcome;
  GtkWidget *devices;
  DeviceWait wait = { NULL, NULL, 0 };

  if (argc < 2 || argc > 3 || argv[1][0] == '-')
    {
      fprintf (stderr, "Usage: vouch-tour FOLDER [DEVICE]\n"
                       "Saves a screenshot of each page of Vouch's window in FOLDER.\n");
      return argc == 2 && g_str_equal (argv[1], "--help") ? 0 : 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      fprintf (stderr, "vouch-tour: cannot create %s: %s\n", argv[1], g_strerror (errno));
      return 1;
    }
  g_setenv ("VOUCH_SCREENSHOT_DIR", argv[1], TRUE);
  wait.name = argc == 3 ? argv[2] : NULL;
  /* Only for the helpers' g_test_message(): no test runs here. */
  argc = 1;
  g_set_print_handler (drop_print);
  ui_test_init (&argc, &argv);
  /* A warning is worth reading here, not worth losing the pictures for:
   * g_test_init() made warnings fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  application = vouch_application_new ();
  window = ui_test_open_window (application, WIDE, HEIGHT);

  welcome = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_WELCOME_PAGE);
  if (welcome != NULL && gtk_widget_get_mapped (welcome))
    shoot_three (window, "welcome");
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]);
          shoot_three (window, pages[i]);
        }

      /* A device's details, opened by activating its row, as a click does. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "devices");
      devices = ui_test_find (GTK_WIDGET (window), VOUCH_TYPE_DEVICES_PAGE);
      wait.page = VOUCH_DEVICES_PAGE (devices);
      if (devices != NULL && ui_test_wait (device_listed, &wait, DISCOVERY_SECONDS))
        {
          GtkListView *list = _vouch_devices_page_get_list_view (wait.page);
          AdwStyleManager *style = adw_style_manager_get_default ();

          ui_test_settle (500);
          /* Where it is after the list has settled (a sort, more devices). */
          device_listed (&wait);
          gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", wait.position);
          shoot (window, "device");
          gtk_window_set_default_size (GTK_WINDOW (window), NARROW, HEIGHT);
          ui_test_settle (300);
          gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", wait.position);
          shoot (window, "device-360");
          adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
          shoot (window, "device-360-dark");
          adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
  return 0;
}
