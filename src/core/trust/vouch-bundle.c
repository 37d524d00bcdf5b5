/* vouch-bundle.c: the root, packaged for colleagues to install
 *
 * A bundle is a folder (or a zip of it) holding the root as PEM (.crt, for
 * Linux, Android and Firefox), DER (.cer, which Windows opens with a
 * double-click), an Apple configuration profile (.mobileconfig, for iOS and
 * macOS) and a one-page guide whose SHA-256 fingerprint and QR code let
 * people check what they are about to trust.
 *
 * The folder is built next to its destination and renamed into place, so
 * nobody ever sees half a bundle. There is no zip library among Vouch's
 * dependencies and the format is not one to write by hand, so zips come
 * from the `zip` program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vouch-bundle"

#include "vouch-config.h"

#include "vouch-bundle.h"

#include "vouch-error.h"
#include "vouch-util.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <qrencode.h>

struct _VouchBundle
{
  GObject           parent_instance;

  VouchCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (VouchBundle, vouch_bundle, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vouch_bundle_dispose (GObject *object)
{
  VouchBundle *self = VOUCH_BUNDLE (object);

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (vouch_bundle_parent_class)->dispose (object);
}

static void
vouch_bundle_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VouchBundle *self = VOUCH_BUNDLE (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bundle_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VouchBundle *self = VOUCH_BUNDLE (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_bundle_class_init (VouchBundleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_bundle_dispose;
  object_class->get_property = vouch_bundle_get_property;
  object_class->set_property = vouch_bundle_set_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_bundle_init (VouchBundle *self)
{
}

/**
 * vouch_bundle_new:
 * @certificate: the root certificate
 */
VouchBundle *
vouch_bundle_new (VouchCertificate *certificate)
{
  g_return_val_if_fail (VOUCH_IS_CERTIFICATE (certificate), NULL);
  return g_object_new (VOUCH_TYPE_BUNDLE, "certificate", certificate, NULL);
}

static GBytes *
dup_der (VouchBundle *self)
{
  const char *pem = vouch_certificate_get_pem (self->certificate);
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum = { (unsigned char *)pem, strlen (pem) };

  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0)
    return NULL;
  return vouch_crt_export_der (crt);
}

/* The subject's CN, which is the root's name as people gave it. */
static char *
dup_display_name (VouchBundle *self)
{
  const char *subject = vouch_certificate_get_subject (self->certificate);
  const char *cn = subject != NULL ? strstr (subject, "CN=") : NULL;

  if (cn == NULL)
    return g_strdup (subject != NULL ? subject : "Vouch");
  cn += strlen ("CN=");
  return g_strndup (cn, strcspn (cn, ","));
}

/**
 * vouch_bundle_dup_mobileconfig:
 *
 * Returns: an Apple configuration profile installing the root
 *   (a com.apple.security.root payload), as an XML property list
 */
static char *
vouch_bundle_dup_mobileconfig (VouchBundle *self)
{
  g_autoptr(GBytes) der = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *name = NULL;
  g_autofree char *payload_uuid = g_uuid_string_random ();
  g_autofree char *profile_uuid = g_uuid_string_random ();
  g_autofree char *description = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (VOUCH_IS_BUNDLE (self), NULL);

  der = dup_der (self);
  g_return_val_if_fail (der != NULL, NULL);
  base64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  name = dup_display_name (self);
  fingerprint = g_strdup (vouch_certificate_get_sha256 (self->certificate));
  /* Translators: the description of an iOS/macOS profile; %s is a SHA-256 fingerprint. */
  description = g_strdup_printf (_("Trusts the local root certificate authority with SHA-256 "
                                   "fingerprint %s, for devices on your network."), fingerprint);

  return g_markup_printf_escaped (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n"
    "<dict>\n"
    "  <key>PayloadContent</key>\n"
    "  <array>\n"
    "    <dict>\n"
    "      <key>PayloadCertificateFileName</key>\n"
    "      <string>" VOUCH_BUNDLE_DER_NAME "</string>\n"
    "      <key>PayloadContent</key>\n"
    "      <data>%s</data>\n"
    "      <key>PayloadDescription</key>\n"
    "      <string>%s</string>\n"
    "      <key>PayloadDisplayName</key>\n"
    "      <string>%s</string>\n"
    "      <key>PayloadIdentifier</key>\n"
    "      <string>io.github.vouchpki.root.%s</string>\n"
    "      <key>PayloadType</key>\n"
    "      <string>com.apple.security.root</string>\n"
    "      <key>PayloadUUID</key>\n"
    "      <string>%s</string>\n"
    "      <key>PayloadVersion</key>\n"
    "      <integer>1</integer>\n"
    "    </dict>\n"
    "  </array>\n"
    "  <key>PayloadDescription</key>\n"
    "  <string>%s</string>\n"
    "  <key>PayloadDisplayName</key>\n"
    "  <string>%s</string>\n"
    "  <key>PayloadIdentifier</key>\n"
    "  <string>io.github.vouchpki.profile.%s</string>\n"
    "  <key>PayloadRemovalDisallowed</key>\n"
    "  <false/>\n"
    "  <key>PayloadType</key>\n"
    "  <string>Configuration</string>\n"
    "  <key>PayloadUUID</key>\n"
    "  <string>%s</string>\n"
    "  <key>PayloadVersion</key>\n"
    "  <integer>1</integer>\n"
    "</dict>\n"
    "</plist>\n",
    base64, description, name, payload_uuid, payload_uuid, description, name, profile_uuid,
    profile_uuid);
}

/**
 * vouch_bundle_dup_qr_svg:
 *
 * Returns: an SVG image of a QR code holding the SHA-256 fingerprint
 */
static char *
vouch_bundle_dup_qr_svg (VouchBundle *self)
{
  const int margin = 4;
  QRcode *code;
  GString *svg;
  int size;

  g_return_val_if_fail (VOUCH_IS_BUNDLE (self), NULL);

  code = QRcode_encodeString (vouch_certificate_get_sha256 (self->certificate), 0, QR_ECLEVEL_M,
                              QR_MODE_8, TRUE);
  g_return_val_if_fail (code != NULL, NULL);

  size = code->width + 2 * margin;
  svg = g_string_new (NULL);
  g_string_append_printf (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                          "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\">"
                          "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                          size, size, size * 6, size * 6, size, size);
  /* The low bit of each module is set when it is dark. */
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        g_string_append_printf (svg, "M%d %dh1v1h-1z", x + margin, y + margin);
  g_string_append (svg, "\"/></svg>");
  QRcode_free (code);
  return g_string_free (svg, FALSE);
}

/* "AB:CD:EF:…" in groups of four bytes, one group per line pair, which is
 * easier to read aloud over the phone. */
static char *
group_fingerprint (const char *sha256)
{
  g_auto(GStrv) bytes = g_strsplit (sha256, ":", -1);
  GString *grouped = g_string_new (NULL);

  for (guint i = 0; bytes[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (grouped, i % 4 == 0 ? (i % 16 == 0 ? "\n" : "  ") : " ");
      g_string_append (grouped, bytes[i]);
    }
  return g_string_free (grouped, FALSE);
}

static void
append_section (GString    *html,
                const char *title,
                const char *steps[])
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  g_string_append_printf (html, "<section><h2>%s</h2><ol>", escaped);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *step = g_markup_escape_text (steps[i], -1);

      g_string_append_printf (html, "<li>%s</li>", step);
    }
  g_string_append (html, "</ol></section>\n");
}

/**
 * vouch_bundle_dup_guide:
 *
 * Returns: the bundle's one-page HTML guide, self-contained (inline CSS,
 *   the QR code as inline SVG)
 */
static char *
vouch_bundle_dup_guide (VouchBundle *self)
{
  g_autofree char *name = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *head = NULL;
  GString *html;
  const char *windows[] = {
    _("Open vouch-root.cer and choose Install Certificate."),
    _("Choose Local Machine, then “Place all certificates in the following store”."),
    _("Pick Trusted Root Certification Authorities and finish."),
    NULL };
  const char *macos[] = {
    _("Open vouch-root.mobileconfig; then in System Settings, open Privacy & Security, "
      "Profiles, and install it."),
    _("Or open vouch-root.crt in Keychain Access, add it to the System keychain, and set "
      "Trust to “Always Trust”."),
    NULL };
  const char *ios[] = {
    _("Send vouch-root.mobileconfig to the device (AirDrop or mail) and open it."),
    _("In Settings, tap Profile Downloaded and install it."),
    _("In Settings, General, About, Certificate Trust Settings, turn on full trust for the root."),
    NULL };
  const char *android[] = {
    _("Copy vouch-root.crt to the device."),
    _("In Settings, Security, Encryption & credentials, choose Install a certificate, "
      "CA certificate, and pick the file."),
    _("Browsers such as Chrome then trust it; some apps trust only built-in roots."),
    NULL };
  const char *linux_steps[] = {
    _("Debian, Ubuntu: sudo cp vouch-root.crt /usr/local/share/ca-certificates/ && "
      "sudo update-ca-certificates"),
    _("Fedora, RHEL: sudo cp vouch-root.crt /etc/pki/ca-trust/source/anchors/ && "
      "sudo update-ca-trust extract"),
    _("Chromium and Chrome: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n vouch -i vouch-root.crt"),
    NULL };
  const char *firefox[] = {
    _("In Settings, Privacy & Security, Certificates, choose View Certificates."),
    _("On the Authorities tab, choose Import, pick vouch-root.crt, and tick “Trust this CA to "
      "identify websites”."),
    NULL };

  g_return_val_if_fail (VOUCH_IS_BUNDLE (self), NULL);

  name = dup_display_name (self);
  grouped = group_fingerprint (vouch_certificate_get_sha256 (self->certificate));
  qr = vouch_bundle_dup_qr_svg (self);

  html = g_string_new (NULL);
  head = g_markup_printf_escaped (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s</title>"
    "<style>body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "line-height:1.45;color:#222}h1{font-size:1.6em}h2{font-size:1.15em;margin-bottom:.3em}"
    ".check{display:flex;gap:1.5em;align-items:center;border:1px solid #ccc;border-radius:8px;"
    "padding:1em}pre{font-size:1.05em;margin:0}ol{margin-top:.2em}"
    "@media print{section{break-inside:avoid}}</style></head><body>\n"
    "<h1>%s</h1><p>%s</p>\n"
    "<div class=\"check\">",
    /* Translators: %s is the root's name. */
    name, name,
    _("This root certificate authority lets your browsers trust the devices on our local "
      "network. Before you install it, check that its fingerprint matches the one your "
      "administrator shows you (or scan the code)."));
  g_string_append (html, head);
  g_string_append (html, qr);
  {
    g_autofree char *fp = g_markup_printf_escaped ("<div><strong>%s</strong><pre>%s</pre></div>"
                                                   "</div>\n",
                                                   _("SHA-256 fingerprint"), grouped);

    g_string_append (html, fp);
  }

  append_section (html, _("Windows"), windows);
  append_section (html, _("macOS"), macos);
  append_section (html, _("iPhone and iPad (iOS)"), ios);
  append_section (html, _("Android"), android);
  append_section (html, _("Linux"), linux_steps);
  append_section (html, _("Firefox (on any system)"), firefox);
  g_string_append (html, "</body></html>\n");
  return g_string_free (html, FALSE);
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            const void  *data,
            gsize        len,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static gboolean
fill_folder (VouchBundle  *self,
             const char   *dir,
             GError      **error)
{
  const char *pem = vouch_certificate_get_pem (self->certificate);
  g_autoptr(GBytes) der = dup_der (self);
  g_autofree char *mobileconfig = vouch_bundle_dup_mobileconfig (self);
  g_autofree char *guide = vouch_bundle_dup_guide (self);

  if (der == NULL)
    {
      g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_CRYPTO, _("Could not encode the root"));
      return FALSE;
    }
  return write_file (dir, VOUCH_BUNDLE_PEM_NAME, pem, strlen (pem), error) &&
         write_file (dir, VOUCH_BUNDLE_DER_NAME, g_bytes_get_data (der, NULL),
                     g_bytes_get_size (der), error) &&
         write_file (dir, VOUCH_BUNDLE_MOBILECONFIG_NAME, mobileconfig, strlen (mobileconfig),
                     error) &&
         write_file (dir, VOUCH_BUNDLE_GUIDE_NAME, guide, strlen (guide), error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (dir);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * vouch_bundle_write:
 * @path: the folder to create, or the zip file to write
 * @zip: write a zip file (with the `zip` program) instead of a folder
 *
 * Writes the bundle. A folder must not exist yet, or be empty; a zip file
 * is replaced. Blocks: the GUI uses vouch_bundle_write_async().
 */
gboolean
vouch_bundle_write (VouchBundle   *self,
                    const char    *path,
                    gboolean       zip,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (VOUCH_IS_BUNDLE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  parent = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  /* Staged next to the destination, so the final rename stays on one
   * file system and is atomic. */
  staging = g_strdup_printf ("%s/.%s.XXXXXX", parent, base);
  if (g_mkdtemp (staging) == NULL)
    return set_errno_error (error, errno, path);
  folder = zip ? g_build_filename (staging, "vouch-root", NULL) : g_strdup (staging);
  if (zip && g_mkdir (folder, 0755) != 0)
    {
      set_errno_error (error, errno, path);
      remove_tree (staging);
      return FALSE;
    }

  if (!fill_folder (self, folder, error))
    {
      remove_tree (folder);
      remove_tree (staging);
      return FALSE;
    }

  if (zip)
    {
      g_autofree char *zip_path = g_build_filename (staging, "bundle.zip", NULL);
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *err = NULL;
      gboolean ok = FALSE;

      /* -X leaves out owner and time extras; -r keeps the folder so the
       * files unpack together. */
      g_subprocess_launcher_set_cwd (launcher, staging);
      process = g_subprocess_launcher_spawn (launcher, error, "zip", "-q", "-X", "-r",
                                             zip_path, "vouch-root", NULL);
      if (process == NULL)
        {
          if (error != NULL && g_error_matches (*error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
            {
              g_clear_error (error);
              g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED,
                           _("Writing a zip needs the zip program; install it, or export a "
                             "folder instead"));
            }
        }
      else if (g_subprocess_communicate_utf8 (process, NULL, cancellable, NULL, &err, error))
        {
          ok = g_subprocess_get_successful (process);
          if (!ok)
            g_set_error (error, VOUCH_ERROR, VOUCH_ERROR_FAILED, _("zip failed: %s"), err);
          else if (g_rename (zip_path, path) != 0)
            ok = set_errno_error (error, errno, path);
        }
      g_unlink (zip_path);
      remove_tree (folder);
      remove_tree (staging);
      return ok;
    }

  /* rename() replaces an empty folder but not a full one, which is what we
   * want: never mix a new bundle into someone's files. */
  if (g_rename (staging, path) != 0)
    {
      int saved = errno;

      remove_tree (staging);
      if (saved == ENOTEMPTY || saved == EEXIST)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("%s already exists and is not empty; choose a new folder"), path);
          return FALSE;
        }
      return set_errno_error (error, saved, path);
    }
  g_chmod (path, 0755);
  return TRUE;
}

typedef struct
{
  char     *path;
  gboolean  zip;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (vouch_bundle_write (source_object, data->path, data->zip, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vouch_bundle_write_async (VouchBundle         *self,
                          const char          *path,
                          gboolean             zip,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (VOUCH_IS_BUNDLE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vouch_bundle_write_async);
  data = g_new0 (WriteData, 1);
  data->path = g_strdup (path);
  data->zip = zip;
  g_task_set_task_data (task, data, (GDestroyNotify)write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
vouch_bundle_write_finish (VouchBundle   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
