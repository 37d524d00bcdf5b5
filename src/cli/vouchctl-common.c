/* vouchctl-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouchctl-common.h"
#include "vouchctl-token.h"

#include "vouch-error.h"
#include "vouch-expiry.h"
#include "vouch-util.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PASSPHRASE_MAX 1024

int
vouchctl_run_subcommand (const char             *group,
                         const VouchctlCommand  *commands,
                         int                     argc,
                         char                  **argv)
{
  if (argc >= 2)
    {
      for (guint i = 0; commands[i].name != NULL; i++)
        {
          if (strcmp (argv[1], commands[i].name) == 0)
            {
              /* GOption's --help says "Usage: PRGNAME [OPTION…]": with the
               * command's words in it, it is this command's usage. */
              g_autofree char *prgname = g_strconcat (g_get_prgname (), " ", argv[1], NULL);

              g_set_prgname (prgname);
              return commands[i].func (argc - 1, argv + 1);
            }
        }
    }

  if (argc >= 2 && strcmp (argv[1], "--help") != 0 && strcmp (argv[1], "-h") != 0)
    g_printerr (_("vouchctl: unknown command “%s %s”\n"), group, argv[1]);

  g_printerr (_("Usage: vouchctl %s COMMAND [OPTION…]\n\nCommands:\n"), group);
  for (guint i = 0; commands[i].name != NULL; i++)
    g_printerr ("  %-10s %s\n", commands[i].name, _(commands[i].summary));

  return argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
           ? VOUCHCTL_EXIT_OK
           : VOUCHCTL_EXIT_USAGE;
}

gboolean
vouchctl_parse (GOptionContext   *context,
                int              *argc,
                char           ***argv,
                int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  vouchctl_add_pin_option (context);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = vouchctl_usage ("%s", error->message);
      return FALSE;
    }

  return TRUE;
}

int
vouchctl_usage (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("vouchctl: %s\n", message);
  g_printerr (_("Run “vouchctl --help” for usage.\n"));
  return VOUCHCTL_EXIT_USAGE;
}

/* Prints the error and maps it to the documented exit code. */
int
vouchctl_fail (GError *error)
{
  int code = VOUCHCTL_EXIT_FAILED;

  if (error->domain == VOUCH_POLICY_ERROR)
    code = VOUCHCTL_EXIT_REFUSED;
  else if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_UNAVAILABLE) ||
           g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEYRING_LOCKED) ||
           g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_KEY_MISSING))
    code = VOUCHCTL_EXIT_KEYRING;
  else if (error->domain == VOUCH_ERROR &&
           (error->code == VOUCH_ERROR_TOKEN_MODULE_MISSING ||
            error->code == VOUCH_ERROR_TOKEN_ABSENT ||
            error->code == VOUCH_ERROR_TOKEN_REMOVED ||
            error->code == VOUCH_ERROR_TOKEN_PIN_NEEDED ||
            error->code == VOUCH_ERROR_TOKEN_PIN_WRONG ||
            error->code == VOUCH_ERROR_TOKEN_PIN_LOCKED))
    code = VOUCHCTL_EXIT_TOKEN;

  g_printerr ("vouchctl: %s\n", error->message);
  if (g_error_matches (error, VOUCH_ERROR, VOUCH_ERROR_TOKEN_PIN_NEEDED))
    g_printerr (_("Give the PIN with --pin-stdin, or run vouchctl in a terminal.\n"));
  g_error_free (error);
  return code;
}

VouchAuthority *
vouchctl_open_authority (int *exit_code)
{
  g_autoptr(VouchAuthority) authority = vouch_authority_new (NULL);
  GError *error = NULL;

  if (!vouch_authority_load (authority, &error))
    {
      *exit_code = vouchctl_fail (error);
      return NULL;
    }
  vouchctl_set_pin_func (authority);

  return g_steal_pointer (&authority);
}

static char *
read_line (FILE    *stream,
           GError **error)
{
  char buf[PASSPHRASE_MAX + 2];
  gsize len;

  if (fgets (buf, sizeof buf, stream) == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE, _("No passphrase was given"));
      return NULL;
    }

  len = strcspn (buf, "\r\n");
  if (len > PASSPHRASE_MAX)
    {
      gnutls_memset (buf, 0, sizeof buf);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("The passphrase is longer than %d characters"), PASSPHRASE_MAX);
      return NULL;
    }
  buf[len] = '\0';

  {
    char *result = g_strdup (buf);

    gnutls_memset (buf, 0, sizeof buf);
    return result;
  }
}

static char *
prompt_tty (const char  *prompt,
            GError     **error)
{
  struct termios saved;
  struct termios quiet;
  FILE *tty;
  char *line;

  tty = fopen ("/dev/tty", "r+e");
  if (tty == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("No terminal to ask for a passphrase; use --passphrase-stdin"));
      return NULL;
    }

  fprintf (tty, "%s", prompt);
  fflush (tty);

  tcgetattr (fileno (tty), &saved);
  quiet = saved;
  quiet.c_lflag &= (tcflag_t)~ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);

  line = read_line (tty, error);

  tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fprintf (tty, "\n");
  fclose (tty);
  return line;
}

/**
 * vouchctl_read_passphrase:
 * @confirm: ask twice, for a new passphrase
 *
 * Returns: (transfer full): the passphrase; wipe it with
 *   vouchctl_free_passphrase()
 */
char *
vouchctl_read_passphrase (gboolean     from_stdin,
                          gboolean     confirm,
                          const char  *prompt,
                          GError     **error)
{
  char *first;
  char *second;
  gboolean same;

  if (from_stdin)
    return read_line (stdin, error);

  first = prompt_tty (prompt, error);
  if (first == NULL || !confirm)
    return first;

  second = prompt_tty (_("Repeat the passphrase: "), error);
  if (second == NULL)
    {
      gnutls_memset (first, 0, strlen (first));
      g_free (first);
      return NULL;
    }

  same = strlen (first) == strlen (second) && vouch_secure_equal (first, second, strlen (first));
  gnutls_memset (second, 0, strlen (second));
  g_free (second);

  if (!same)
    {
      gnutls_memset (first, 0, strlen (first));
      g_free (first);
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE,
                   _("The passphrases do not match"));
      return NULL;
    }

  return first;
}

void
vouchctl_free_passphrase (char *passphrase)
{
  if (passphrase != NULL)
    {
      gnutls_memset (passphrase, 0, strlen (passphrase));
      g_free (passphrase);
    }
}

/**
 * vouchctl_read_input:
 * @path: a file, or “-” for standard input
 * @limit: refuse more than this many bytes
 */
GBytes *
vouchctl_read_input (const char  *path,
                     gsize        limit,
                     GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (strcmp (path, "-") == 0)
    stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (stream == NULL)
        return NULL;
    }

  /* Read one byte past the limit to tell "exactly at" from "over". */
  bytes = g_input_stream_read_bytes (stream, limit + 1, NULL, error);
  if (bytes == NULL)
    return NULL;

  if (g_bytes_get_size (bytes) > limit)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                   _("%s is larger than %lu bytes"), path, (unsigned long)limit);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/**
 * vouchctl_write_output:
 * @path: (nullable): a file, or %NULL or “-” for standard output
 */
gboolean
vouchctl_write_output (const char  *path,
                       const void  *data,
                       gsize        len,
                       int          mode,
                       GError     **error)
{
  if (path == NULL || strcmp (path, "-") == 0)
    {
      if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the output"));
          return FALSE;
        }
      return TRUE;
    }

  return vouch_write_file_atomic (path, data, len, mode, error);
}

void
vouchctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

char *
vouchctl_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("?");
}

void
vouchctl_add_certificate_json (JsonBuilder      *builder,
                               VouchCertificate *cert)
{
  const char * const *names = vouch_certificate_get_names (cert);
  g_autofree char *not_before = vouchctl_format_time (vouch_certificate_get_not_before (cert));
  g_autofree char *not_after = vouchctl_format_time (vouch_certificate_get_not_after (cert));

  json_builder_begin_object (builder);
  vouch_json_add_string_member (builder, "serial", vouch_certificate_get_serial (cert));
  vouch_json_add_string_member (builder, "subject", vouch_certificate_get_subject (cert));
  vouch_json_add_string_member (builder, "issuer", vouch_certificate_get_issuer (cert));
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  vouch_json_add_string_member (builder, "not_before", not_before);
  vouch_json_add_string_member (builder, "not_after", not_after);
  vouch_json_add_string_member (builder, "sha256", vouch_certificate_get_sha256 (cert));
  vouch_json_add_string_member (builder, "key", vouch_certificate_get_key_description (cert));
  vouch_json_add_string_member (builder, "key_sha256", vouch_certificate_get_key_sha256 (cert));
  vouch_json_add_string_member (builder, "status", vouch_certificate_status_to_string (vouch_certificate_get_status (cert)));
  vouch_json_add_string_member (builder, "device_id", vouch_certificate_get_device_id (cert));
  json_builder_end_object (builder);
}

void
vouchctl_waiter_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  VouchctlWaiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Browses for a bounded time so devices announced on the LAN (or found at
 * a new address) are known, on top of those the inventory remembers. */
VouchDiscovery *
vouchctl_discover (VouchAuthority *authority,
                   guint           seconds)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  VouchDiscovery *discovery = vouch_discovery_new (vouch_authority_get_inventory (authority));

  vouch_discovery_start (discovery);
  if (seconds > 0)
    {
      g_timeout_add_seconds (seconds, quit_cb, loop);
      g_main_loop_run (loop);
    }
  return discovery;
}

void
vouchctl_add_root_json (JsonBuilder *builder,
                        VouchRootCa *root,
                        gint64       now)
{
  VouchCertificate *cert = vouch_root_ca_get_certificate (root);
  g_autofree char *not_after = vouchctl_format_time (vouch_certificate_get_not_after (cert));
  int days_left = 0;
  gboolean warn = vouch_expiry_root_needs_warning (root, now, &days_left);

  json_builder_set_member_name (builder, "root");
  json_builder_begin_object (builder);
  vouch_json_add_string_member (builder, "subject", vouch_certificate_get_subject (cert));
  vouch_json_add_string_member (builder, "sha256", vouch_root_ca_get_sha256 (root));
  vouch_json_add_string_member (builder, "not_after", not_after);
  json_builder_set_member_name (builder, "days_left");
  json_builder_add_int_value (builder, days_left);
  json_builder_set_member_name (builder, "rollover_due");
  json_builder_add_boolean_value (builder, warn);
  json_builder_end_object (builder);
}

/* A name as a shell word: names are host names and addresses, so only a
 * wildcard or something odd needs quoting. */
static char *
shell_word (const char *name)
{
  const char *plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:";

  return name[strspn (name, plain)] == '\0' ? g_strdup (name) : g_shell_quote (name);
}

/* What renews a certificate signed by hand: the device makes a new CSR,
 * and it is signed for the same names. */
char *
vouchctl_sign_command (VouchCertificate *cert)
{
  const char * const *names = vouch_certificate_get_names (cert);
  GString *command = g_string_new ("vouchctl sign");

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *word = shell_word (names[i]);

      g_string_append_printf (command, " --add-name %s", word);
    }
  g_string_append (command, " NEW.csr");
  return g_string_free (command, FALSE);
}

void
vouchctl_add_entry_json (JsonBuilder           *builder,
                         VouchCertificateEntry *entry)
{
  gboolean by_hand = vouch_certificate_entry_get_signed_by_hand (entry);
  g_autofree char *command = NULL;

  if (by_hand)
    command = vouchctl_sign_command (vouch_certificate_entry_get_certificate (entry));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "certificate");
  vouchctl_add_certificate_json (builder, vouch_certificate_entry_get_certificate (entry));
  vouch_json_add_string_member (builder, "device_name", vouch_certificate_entry_get_device_name (entry));
  vouch_json_add_string_member (builder, "expiry", vouch_expiry_class_to_string (vouch_certificate_entry_get_expiry_class (entry)));
  json_builder_set_member_name (builder, "days_left");
  json_builder_add_int_value (builder, vouch_certificate_entry_get_days_left (entry));
  json_builder_set_member_name (builder, "signed_by_hand");
  json_builder_add_boolean_value (builder, by_hand);
  vouch_json_add_string_member (builder, "renew_command", command);
  json_builder_end_object (builder);
}

void
vouchctl_warn_about_root (VouchRootCa *root,
                          gint64       now)
{
  int days_left = 0;

  if (!vouch_expiry_root_needs_warning (root, now, &days_left))
    return;

  if (days_left <= 0)
    g_printerr (_("Warning: the root has expired. Run “vouchctl rollover” for the plan.\n"));
  else
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "Warning: the root expires in %d day. Run “vouchctl rollover” for "
                             "the plan.\n",
                             "Warning: the root expires in %d days. Run “vouchctl rollover” for "
                             "the plan.\n", (gulong)days_left), days_left);
}

VouchAuthority *
vouchctl_open_authority_with_root (int *exit_code)
{
  g_autoptr(VouchAuthority) authority = vouchctl_open_authority (exit_code);

  if (authority == NULL)
    return NULL;
  if (vouch_authority_get_root (authority) == NULL)
    {
      *exit_code = vouchctl_fail (g_error_new (VOUCH_ERROR, VOUCH_ERROR_NO_ROOT,
                                               _("There is no root yet; create one with "
                                                 "“vouchctl ca init”")));
      return NULL;
    }
  return g_steal_pointer (&authority);
}

VouchDevice *
vouchctl_find_device (VouchDiscovery  *discovery,
                      const char      *name,
                      GError         **error)
{
  VouchDevice *device = vouch_discovery_lookup (discovery, name);

  if (device == NULL && strchr (name, ':') != NULL)
    device = vouch_discovery_add_manual (discovery, name, NULL);

  if (device == NULL)
    g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_INVALID_INPUT,
                 _("No device “%s” was found; “vouchctl devices” lists them, and "
                   "“vouchctl add HOST:PORT” adds one mDNS cannot reach"), name);
  return device;
}

const char *
vouchctl_enum_nick (GType type,
                    int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : "";
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

void
vouchctl_add_device_json (JsonBuilder *builder,
                          VouchDevice *device)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, vouch_device_get_id (device));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, vouchctl_enum_nick (VOUCH_TYPE_DEVICE_KIND, vouch_device_get_kind (device)));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, vouch_device_get_name (device));
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, vouch_device_get_model (device));
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, vouch_device_get_host (device));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, vouch_device_get_port (device));
  add_strv (builder, "addresses", vouch_device_get_addresses (device));
  add_strv (builder, "txt", vouch_device_get_txt (device));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, vouch_device_state_to_string (vouch_device_get_state (device)));
  json_builder_set_member_name (builder, "step");
  json_builder_add_string_value (builder, vouch_onboarding_step_to_string (vouch_device_get_step (device)));
  json_builder_set_member_name (builder, "online");
  json_builder_add_boolean_value (builder, vouch_device_get_online (device));
  json_builder_set_member_name (builder, "manual");
  json_builder_add_boolean_value (builder, vouch_device_get_manual (device));
  json_builder_set_member_name (builder, "driver");
  json_builder_add_string_value (builder, vouch_device_get_driver (device));
  json_builder_set_member_name (builder, "verification");
  json_builder_add_string_value (builder, vouchctl_enum_nick (VOUCH_TYPE_VERIFICATION,
                                                         vouch_device_get_verification (device)));
  json_builder_end_object (builder);
}
