/* vouch-bundle.h: the root, packaged for colleagues to install
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vouch-certificate.h"

G_BEGIN_DECLS

#define VOUCH_BUNDLE_PEM_NAME "vouch-root.crt"
#define VOUCH_BUNDLE_DER_NAME "vouch-root.cer"
#define VOUCH_BUNDLE_MOBILECONFIG_NAME "vouch-root.mobileconfig"
#define VOUCH_BUNDLE_GUIDE_NAME "index.html"

#define VOUCH_TYPE_BUNDLE (vouch_bundle_get_type ())

G_DECLARE_FINAL_TYPE (VouchBundle, vouch_bundle, VOUCH, BUNDLE, GObject)

VouchBundle      *vouch_bundle_new               (VouchCertificate     *certificate);
gboolean          vouch_bundle_write             (VouchBundle          *self,
                                                  const char           *path,
                                                  gboolean              zip,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
void              vouch_bundle_write_async       (VouchBundle          *self,
                                                  const char           *path,
                                                  gboolean              zip,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          vouch_bundle_write_finish      (VouchBundle          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
