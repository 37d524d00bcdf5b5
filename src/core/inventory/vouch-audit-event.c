/* vouch-audit-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-audit-event.h"

#include "vouch-util.h"

#include <glib/gi18n-lib.h>

/* Immutable: the audit log is append-only, so an event never changes. */
struct _VouchAuditEvent
{
  GObject  parent_instance;

  gint64   id;
  gint64   at;
  char    *event;
  char    *device_id;
  char    *serial;
  char    *detail;
};

enum {
  PROP_0,
  PROP_AT,
  PROP_EVENT,
  PROP_DEVICE_ID,
  PROP_SERIAL,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchAuditEvent, vouch_audit_event, G_TYPE_OBJECT)

static void
vouch_audit_event_finalize (GObject *object)
{
  VouchAuditEvent *self = (VouchAuditEvent *)object;

  g_clear_pointer (&self->event, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (vouch_audit_event_parent_class)->finalize (object);
}

static void
vouch_audit_event_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VouchAuditEvent *self = VOUCH_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;
    case PROP_EVENT:
      g_value_set_string (value, self->event);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_audit_event_class_init (VouchAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vouch_audit_event_finalize;
  object_class->get_property = vouch_audit_event_get_property;

  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_EVENT] = g_param_spec_string ("event", NULL, NULL, NULL, ro);
  properties[PROP_DEVICE_ID] = g_param_spec_string ("device-id", NULL, NULL, NULL, ro);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, ro);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_audit_event_init (VouchAuditEvent *self)
{
}

VouchAuditEvent *
vouch_audit_event_new (gint64      id,
                       gint64      at,
                       const char *event,
                       const char *device_id,
                       const char *serial,
                       const char *detail)
{
  VouchAuditEvent *self = g_object_new (VOUCH_TYPE_AUDIT_EVENT, NULL);

  self->id = id;
  self->at = at;
  self->event = g_strdup (event);
  self->device_id = g_strdup (device_id);
  self->serial = g_strdup (serial);
  self->detail = g_strdup (detail);
  return self;
}

gint64
vouch_audit_event_get_id (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), 0);
  return self->id;
}

gint64
vouch_audit_event_get_at (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), 0);
  return self->at;
}

const char *
vouch_audit_event_get_event (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), NULL);
  return self->event;
}

const char *
vouch_audit_event_get_device_id (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), NULL);
  return self->device_id;
}

const char *
vouch_audit_event_get_serial (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), NULL);
  return self->serial;
}

const char *
vouch_audit_event_get_detail (VouchAuditEvent *self)
{
  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), NULL);
  return self->detail;
}

/**
 * vouch_audit_event_dup_summary:
 *
 * Returns: (transfer full): the event as a sentence for a history list
 */
char *
vouch_audit_event_dup_summary (VouchAuditEvent *self)
{
  static const struct { const char *event; const char *text; } texts[] = {
    { "verified", N_("Verified") },
    { "verify-failed", N_("Verification failed") },
    { "csr-received", N_("Certificate request received") },
    { "csr-refused", N_("Certificate request refused") },
    { "issued", N_("Certificate issued") },
    { "pushed", N_("Certificate installed") },
    { "confirmed", N_("Confirmed: the device serves the new certificate") },
    { "failed", N_("Failed") },
    { "retry", N_("Retried an undelivered certificate") },
    { "retry-failed", N_("Undelivered certificate could not be installed") },
    { "root-created", N_("Root created") },
    { "root-imported", N_("Root imported") },
    { "root-restored", N_("Root restored") },
    { "root-backed-up", N_("Root backed up") },
    { "root-exported", N_("Root exported") },
    { "revoked", N_("Certificate revoked") },
    { "crl-issued", N_("Revocation list exported") },
    { "audit-exported", N_("Audit log exported") },
  };
  const char *text = self->event;
  g_autoptr(JsonNode) node = NULL;
  const char *message = NULL;

  g_return_val_if_fail (VOUCH_IS_AUDIT_EVENT (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_strcmp0 (self->event, texts[i].event) == 0)
      text = g_dgettext (GETTEXT_PACKAGE, texts[i].text);

  if (self->detail != NULL)
    node = vouch_json_parse_bounded (self->detail, strlen (self->detail), 4, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    message = json_object_get_string_member_with_default (json_node_get_object (node),
                                                          "message", NULL);
  if (message == NULL && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    message = json_object_get_string_member_with_default (json_node_get_object (node),
                                                          "reason", NULL);

  if (message != NULL)
    return g_strdup_printf ("%s: %s", text, message);
  return g_strdup (text);
}
