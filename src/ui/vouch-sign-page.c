/* vouch-sign-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-sign-page-private.h"

#include "vouch-field-validator.h"
#include "vouch-error.h"
#include "vouch-names.h"
#include "vouch-text.h"
#include "vouch-ui-util.h"

#include <glib/gi18n.h>

enum {
  PROP_0,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchSignPage, vouch_sign_page, ADW_TYPE_BIN)

VouchAuthority *
_vouch_sign_page_get_authority (VouchSignPage *self)
{
  return self->application != NULL ? vouch_application_get_authority (self->application) : NULL;
}

VouchSigningPolicy *
_vouch_sign_page_get_policy (VouchSignPage *self)
{
  VouchAuthority *authority = _vouch_sign_page_get_authority (self);

  return authority != NULL ? vouch_authority_get_policy (authority) : NULL;
}

void
_vouch_sign_page_set_busy (VouchSignPage *self,
                           gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign.sign", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign.reset", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign.open", !busy);
}

void
_vouch_sign_page_show_load_error (VouchSignPage *self,
                                  const char    *message)
{
  gtk_label_set_label (self->load_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->load_error_label), message != NULL);
}

static void
show_refusal (VouchSignPage *self,
              const char    *message)
{
  gtk_label_set_label (self->refusal_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->refusal_box), message != NULL);
}

static void rebuild_names (VouchSignPage *self);

static void
remove_name_cb (GtkButton     *button,
                VouchSignPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "vouch-name");
  guint index;

  if (g_ptr_array_find_with_equal_func (self->names, name, g_str_equal, &index))
    {
      g_ptr_array_remove_index (self->names, index);
      rebuild_names (self);
    }
}

/* Each name shows whether the root may sign it, so a name that would be
 * refused can be removed before signing rather than after. */
static void
rebuild_names (VouchSignPage *self)
{
  VouchSigningPolicy *policy = _vouch_sign_page_get_policy (self);
  VouchNameConstraints *constraints = policy != NULL ? vouch_signing_policy_get_constraints (policy)
                                                     : NULL;

  for (guint i = 0; i < self->name_rows->len; i++)
    adw_preferences_group_remove (self->names_group, g_ptr_array_index (self->name_rows, i));
  g_ptr_array_set_size (self->name_rows, 0);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      gboolean invalid = self->invalid_names != NULL &&
                         g_strv_contains ((const char * const *)self->invalid_names, name);
      gboolean permitted = !invalid &&
                           (constraints == NULL || vouch_name_constraints_permits (constraints, name));
      GtkWidget *row = vouch_ui_name_row_new (name, permitted, G_CALLBACK (remove_name_cb), self);

      if (invalid)
        {
          /* The request's own text, which may be anything: shown safe,
           * never as markup. */
          g_autofree char *shown = vouch_text_sanitize (name, -1, VOUCH_TEXT_MAX_LINE);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       _("Not a valid host name or address; remove it, or "
                                         "signing will be refused"));
        }

      adw_preferences_group_add (self->names_group, row);
      g_ptr_array_add (self->name_rows, row);
    }

  if (self->names->len == 0)
    adw_preferences_group_set_description (self->names_group,
                                           _("Add at least one name or address the device "
                                             "is reached by."));
  else
    adw_preferences_group_set_description (self->names_group,
                                           _("The certificate is valid for these names and "
                                             "addresses only."));
}

static void
add_name_cb (VouchSignPage *self)
{
  if (vouch_field_add_name (GTK_WIDGET (self->add_name_row), self->names))
    rebuild_names (self);
}

static void
apply_default_days (VouchSignPage *self)
{
  guint days = VOUCH_LEAF_DEFAULT_DAYS;

  if (self->application != NULL)
    days = g_settings_get_uint (vouch_application_get_settings (self->application),
                                "default-validity-days");
  gtk_spin_button_set_value (self->days_spin, MIN (days, VOUCH_LEAF_MAX_DAYS));
}

static void
set_certificate (VouchSignPage    *self,
                 VouchCertificate *certificate)
{
  if (g_set_object (&self->certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

/**
 * vouch_sign_page_reset:
 *
 * Forgets the request and any certificate, and returns to the start.
 */
void
vouch_sign_page_reset (VouchSignPage *self)
{
  g_return_if_fail (VOUCH_IS_SIGN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->csr, g_bytes_unref);
  g_clear_pointer (&self->original_names, g_strfreev);
  g_clear_pointer (&self->expected_names, g_strfreev);
  gtk_widget_set_visible (GTK_WIDGET (self->expected_label), FALSE);
  g_clear_pointer (&self->invalid_names, g_strfreev);
  g_ptr_array_set_size (self->names, 0);
  rebuild_names (self);
  set_certificate (self, NULL);
  _vouch_sign_page_set_busy (self, FALSE);
  _vouch_sign_page_show_load_error (self, NULL);
  show_refusal (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->add_name_row), "");
  gtk_switch_set_active (self->client_auth_switch, FALSE);
  apply_default_days (self);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

/* A request refused only for names that are no names at all (an e-mail
 * address, "printer_1.local") is still shown: those names are flagged, and
 * removing them is the operator's choice, as with vouchctl --remove-name. */
static VouchSigningRequest *
review_without_invalid_names (VouchSigningPolicy  *policy,
                              const guint8        *data,
                              gsize                len,
                              char              ***out_invalid,
                              GError             **error)
{
  g_auto(GStrv) requested = vouch_signing_policy_dup_requested_names (policy, data, len, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(VouchSigningRequest) request = NULL;
  g_auto(GStrv) invalid = NULL;

  for (guint i = 0; requested != NULL && requested[i] != NULL; i++)
    {
      g_autofree char *normal = vouch_names_normalize (requested[i], NULL);

      if (normal == NULL)
        g_strv_builder_add (builder, requested[i]);
    }
  invalid = g_strv_builder_end (builder);
  if (invalid[0] == NULL)
    return NULL;

  /* Only when these names are the whole reason; the first error stands
   * otherwise. */
  request = vouch_signing_policy_check (policy, data, len, NULL, (const char * const *)invalid, NULL);
  if (request == NULL)
    return NULL;

  g_clear_error (error);
  *out_invalid = g_steal_pointer (&invalid);
  return g_steal_pointer (&request);
}

/**
 * vouch_sign_page_load_csr:
 * @csr: the request, PEM or DER
 * @display_name: (nullable): where it came from, such as its file name
 *
 * Checks @csr and shows it for review. A request Vouch would never sign
 * (damaged, a weak key, a CA) is refused here with the policy's reason;
 * names outside the root's constraints are only flagged, because the
 * operator can still remove them.
 *
 * Returns: whether the request is shown for review
 */
gboolean
vouch_sign_page_load_csr (VouchSignPage *self,
                          GBytes        *csr,
                          const char    *display_name)
{
  g_autoptr(VouchNameConstraints) any_name = vouch_name_constraints_new ();
  g_autoptr(VouchSigningPolicy) review_policy = NULL;
  g_autoptr(VouchSigningRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) expected = NULL;
  g_auto(GStrv) invalid = NULL;
  VouchSigningPolicy *policy;
  const char * const *names;
  const char *subject;
  const char *notice;
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (VOUCH_IS_SIGN_PAGE (self), FALSE);
  g_return_val_if_fail (csr != NULL, FALSE);

  policy = _vouch_sign_page_get_policy (self);
  if (policy == NULL)
    {
      _vouch_sign_page_show_load_error (self, _("Create or import a root before signing requests"));
      return FALSE;
    }

  /* The same checks as signing, except the name constraints: those the
   * review flags name by name instead of refusing the whole file. */
  vouch_name_constraints_set_unconstrained (any_name, TRUE);
  review_policy = vouch_signing_policy_new (any_name);
  vouch_signing_policy_set_max_names (review_policy, vouch_signing_policy_get_max_names (policy));

  data = g_bytes_get_data (csr, &len);
  request = vouch_signing_policy_check (review_policy, data, len, NULL, NULL, &error);
  if (request == NULL && g_error_matches (error, VOUCH_POLICY_ERROR, VOUCH_POLICY_ERROR_BAD_NAME))
    request = review_without_invalid_names (review_policy, data, len, &invalid, &error);
  if (request == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: a file name, then why it cannot be signed. */
      message = display_name != NULL ? g_strdup_printf (_("Could not open “%s”. %s"), display_name,
                                                        error->message)
                                     : g_strdup (error->message);
      _vouch_sign_page_show_load_error (self, message);
      gtk_stack_set_visible_child_name (self->stack, "start");
      return FALSE;
    }

  expected = g_steal_pointer (&self->expected_names);
  vouch_sign_page_reset (self);

  self->csr = g_bytes_ref (csr);
  names = vouch_signing_request_get_names (request);
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (names[i]));
  /* Renewing a certificate signed by hand: its names, whatever the new
   * request asks for, as adding each by hand would. */
  for (guint i = 0; expected != NULL && expected[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (self->names, expected[i], g_str_equal, NULL))
      g_ptr_array_add (self->names, g_strdup (expected[i]));
  for (guint i = 0; invalid != NULL && invalid[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (invalid[i]));
  g_ptr_array_add (self->names, NULL);
  self->original_names = g_strdupv ((char **)self->names->pdata);
  g_ptr_array_set_size (self->names, self->names->len - 1);
  self->invalid_names = g_steal_pointer (&invalid);
  rebuild_names (self);

  if (display_name != NULL)
    description = g_strdup_printf (_("From “%s”. Check that it is the request you expect, "
                                     "then sign it."), display_name);
  else
    description = g_strdup (_("Check that it is the request you expect, then sign it."));
  adw_preferences_group_set_description (self->request_group, description);

  subject = vouch_signing_request_get_subject (request);
  adw_action_row_set_subtitle (self->subject_row,
                               subject != NULL && *subject != '\0' ? subject : _("None"));
  adw_action_row_set_subtitle (self->key_row, vouch_signing_request_get_key_description (request));
  notice = vouch_signing_request_get_notice (request);
  adw_action_row_set_subtitle (self->notice_row, notice != NULL ? notice : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_row), notice != NULL);

  gtk_stack_set_visible_child_name (self->stack, "review");
  return TRUE;
}

/**
 * vouch_sign_page_expect_names:
 * @names: the names of the certificate being renewed
 *
 * Starts over to renew a certificate signed by hand: says so, and gives
 * the next request opened these names besides its own.
 */
void
vouch_sign_page_expect_names (VouchSignPage      *self,
                              const char * const *names)
{
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (VOUCH_IS_SIGN_PAGE (self));
  g_return_if_fail (names != NULL);

  vouch_sign_page_reset (self);
  self->expected_names = g_strdupv ((char **)names);
  list = g_strjoinv (", ", (char **)names);
  /* Translators: %s lists a certificate's names. */
  text = g_strdup_printf (_("Renewing the certificate for %s. Open the new request the device "
                            "made; these names are added to it."), list);
  gtk_label_set_label (self->expected_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->expected_label), TRUE);
}

static void
show_certificate (VouchSignPage    *self,
                  VouchCertificate *certificate)
{
  g_autofree char *names = NULL;
  g_autofree char *until_text = NULL;

  names = g_strjoinv (", ", (char **)vouch_certificate_get_names (certificate));
  until_text = vouch_ui_format_date (vouch_certificate_get_not_after (certificate));

  adw_action_row_set_subtitle (self->serial_row, vouch_certificate_get_serial (certificate));
  adw_action_row_set_subtitle (self->issued_names_row, names);
  adw_action_row_set_subtitle (self->issued_until_row, until_text);
  adw_combo_row_set_selected (self->format_row, FORMAT_PEM);
  gtk_stack_set_visible_child_name (self->stack, "done");
}

static void
signed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VouchSignPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VouchCertificate) certificate = NULL;

  certificate = vouch_authority_sign_finish (VOUCH_AUTHORITY (object), result, &error);

  /* Signing does not stop halfway, so a reset while it ran is seen here:
   * the page has moved on and must not jump back. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  _vouch_sign_page_set_busy (self, FALSE);
  if (certificate == NULL)
    {
      /* The policy's messages name the problem and the fix; show them as
       * they are, next to the button that was pressed. */
      show_refusal (self, error->message);
      return;
    }

  set_certificate (self, certificate);
  show_certificate (self, certificate);
}

/* Names in @names but not in @others; both %NULL-terminated. */
static char **
names_missing_from (const char * const *names,
                    const char * const *others)
{
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (!g_strv_contains (others, names[i]))
      g_strv_builder_add (missing, names[i]);

  return g_strv_builder_end (missing);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VouchSignPage *self = VOUCH_SIGN_PAGE (widget);
  VouchSignOptions options = VOUCH_SIGN_OPTIONS_INIT;
  const char * const *original;
  const char * const *current;
  g_auto(GStrv) add = NULL;
  g_auto(GStrv) remove = NULL;

  if (self->csr == NULL || self->busy || _vouch_sign_page_get_authority (self) == NULL)
    return;

  /* The policy takes the request's own names plus and minus the
   * operator's changes, so it is the policy that decides, not this page. */
  g_ptr_array_add (self->names, NULL);
  original = (const char * const *)self->original_names;
  current = (const char * const *)self->names->pdata;
  add = names_missing_from (current, original);
  remove = names_missing_from (original, current);
  g_ptr_array_set_size (self->names, self->names->len - 1);

  options.days = gtk_spin_button_get_value_as_int (self->days_spin);
  options.add_names = (const char * const *)add;
  options.remove_names = (const char * const *)remove;
  options.client_auth = gtk_switch_get_active (self->client_auth_switch);

  show_refusal (self, NULL);
  _vouch_sign_page_set_busy (self, TRUE);
  vouch_authority_sign_async (_vouch_sign_page_get_authority (self), self->csr, &options,
                              self->cancellable,
                              signed_cb, g_object_ref (self));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  vouch_sign_page_reset (VOUCH_SIGN_PAGE (widget));
}

static void
vouch_sign_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VouchSignPage *self = VOUCH_SIGN_PAGE (object);

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
vouch_sign_page_dispose (GObject *object)
{
  VouchSignPage *self = (VouchSignPage *)object;

  g_cancellable_cancel (self->cancellable);
  /* The stack is both AdwBin's child and a template child; let AdwBin
   * drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_SIGN_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->csr, g_bytes_unref);
  g_clear_pointer (&self->original_names, g_strfreev);
  g_clear_pointer (&self->expected_names, g_strfreev);
  g_clear_pointer (&self->invalid_names, g_strfreev);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->name_rows, g_ptr_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_sign_page_parent_class)->dispose (object);
}

static void
vouch_sign_page_class_init (VouchSignPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_sign_page_dispose;
  object_class->get_property = vouch_sign_page_get_property;

  /**
   * VouchSignPage:certificate:
   *
   * The certificate just issued, or %NULL before signing.
   */
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, VOUCH_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-sign-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, load_error_label);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, expected_label);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, request_group);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, notice_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, names_group);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, add_name_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, days_spin);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, client_auth_switch);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, serial_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, issued_names_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, issued_until_row);
  gtk_widget_class_bind_template_child (widget_class, VouchSignPage, format_row);
  gtk_widget_class_bind_template_callback (widget_class, add_name_cb);

  gtk_widget_class_install_action (widget_class, "sign.open", NULL, _vouch_sign_page_open_action);
  gtk_widget_class_install_action (widget_class, "sign.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "sign.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "sign.save-certificate", NULL,
                                   _vouch_sign_page_save_action);
  gtk_widget_class_install_action (widget_class, "sign.save-chain", NULL,
                                   _vouch_sign_page_save_action);
}

static void
vouch_sign_page_init (VouchSignPage *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));
  vouch_field_validator_attach (GTK_WIDGET (self->add_name_row), vouch_field_check_name, NULL);

  self->cancellable = g_cancellable_new ();
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->name_rows = g_ptr_array_new ();

  gtk_spin_button_set_range (self->days_spin, 1, VOUCH_LEAF_MAX_DAYS);
  apply_default_days (self);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (_vouch_sign_page_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
vouch_sign_page_set_application (VouchSignPage    *self,
                                 VouchApplication *application)
{
  g_return_if_fail (VOUCH_IS_SIGN_PAGE (self));
  g_return_if_fail (application == NULL || VOUCH_IS_APPLICATION (application));

  g_set_weak_pointer (&self->application, application);
  if (self->csr == NULL)
    apply_default_days (self);
}

/**
 * _vouch_sign_page_get_certificate:
 *
 * Returns: (transfer none) (nullable): the certificate just issued
 */
VouchCertificate *
_vouch_sign_page_get_certificate (VouchSignPage *self)
{
  g_return_val_if_fail (VOUCH_IS_SIGN_PAGE (self), NULL);
  return self->certificate;
}
