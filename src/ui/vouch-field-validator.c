/* vouch-field-validator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-field-validator.h"

#include "vouch-name-constraints.h"
#include "vouch-names.h"

#include <glib/gi18n.h>

/* A typed value that is wrong is said next to the field, in full, for as
 * long as it is wrong: a toast is cut short, covers the buttons and goes
 * away before it is read. The field is checked when the person commits it
 * (Enter, Apply, the dialog's button), not at each key, so half-typed text
 * is not called wrong; once it has been, each change checks again, so the
 * message goes as soon as the text is fixed or emptied. */
struct _VouchFieldValidator
{
  GObject              parent_instance;

  GtkWidget           *field;
  VouchFieldCheckFunc  check;
  gpointer             user_data;
  char                *error;

  /* Created on the first error, right after the field. */
  GtkWidget           *message;
  GtkLabel            *label;
};

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VouchFieldValidator, vouch_field_validator, G_TYPE_OBJECT)

#define VALIDATOR_KEY "vouch-field-validator"

/* In a boxed list (every AdwEntryRow) the message is a row of its own
 * under the field's row; anywhere else a label after the field. */
static void
ensure_message (VouchFieldValidator *self)
{
  GtkWidget *parent = gtk_widget_get_parent (self->field);
  GtkWidget *label;

  if (self->message != NULL || parent == NULL)
    return;

  label = gtk_label_new (NULL);
  self->label = GTK_LABEL (label);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_selectable (self->label, FALSE);
  gtk_widget_add_css_class (label, "error");
  /* Names hold hyphens of their own: a line break must not add one. */
  {
    PangoAttrList *attributes = pango_attr_list_new ();

    pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->label, attributes);
    pango_attr_list_unref (attributes);
  }

  if (GTK_IS_LIST_BOX (parent) && GTK_IS_LIST_BOX_ROW (self->field))
    {
      /* A preferences row, as a preferences group's list holds only those. */
      GtkWidget *row = adw_preferences_row_new ();

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      g_object_set (label, "margin-start", 12, "margin-end", 12, "margin-top", 8,
                    "margin-bottom", 8, NULL);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_insert (GTK_LIST_BOX (parent), row,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->field)) + 1);
      self->message = row;
    }
  else
    {
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_insert_after (label, parent, self->field);
      self->message = label;
    }
  g_object_ref (self->message);
}

/**
 * vouch_field_validator_set_error:
 * @message: (nullable): why the field's text is not accepted; %NULL clears
 *
 * Shows @message next to the field and marks it, or clears both. For
 * problems only the page can see (a duplicate, a list still empty).
 */
void
vouch_field_validator_set_error (VouchFieldValidator *self,
                                 const char          *message)
{
  gboolean wrong;

  g_return_if_fail (VOUCH_IS_FIELD_VALIDATOR (self));

  if (message != NULL && *message == '\0')
    message = NULL;
  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);
  wrong = message != NULL;

  if (wrong)
    {
      ensure_message (self);
      gtk_widget_add_css_class (self->field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->field),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  if (self->label != NULL)
    gtk_label_set_text (self->label, wrong ? message : "");
  if (self->message != NULL)
    gtk_widget_set_visible (self->message, wrong);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/**
 * vouch_field_validator_get_error:
 *
 * Returns: (nullable): the message shown, or %NULL when the field is fine
 */
const char *
vouch_field_validator_get_error (VouchFieldValidator *self)
{
  g_return_val_if_fail (VOUCH_IS_FIELD_VALIDATOR (self), NULL);
  return self->error;
}

/**
 * vouch_field_validator_validate:
 *
 * Checks the field's text now and shows the result. An empty field is
 * not wrong: whether it may be empty is the form's to say.
 *
 * Returns: whether the text is acceptable (or empty)
 */
gboolean
vouch_field_validator_validate (VouchFieldValidator *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;

  g_return_val_if_fail (VOUCH_IS_FIELD_VALIDATOR (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->field));
  if (*text != '\0' && !self->check (text, self->user_data, &error))
    {
      vouch_field_validator_set_error (self, error->message);
      return FALSE;
    }
  vouch_field_validator_set_error (self, NULL);
  return TRUE;
}

static void
field_changed_cb (GtkEditable         *editable,
                  VouchFieldValidator *self)
{
  if (*gtk_editable_get_text (editable) == '\0')
    vouch_field_validator_set_error (self, NULL);
  else if (self->error != NULL)
    vouch_field_validator_validate (self);
}

static void
vouch_field_validator_dispose (GObject *object)
{
  VouchFieldValidator *self = VOUCH_FIELD_VALIDATOR (object);

  g_clear_object (&self->message);
  self->label = NULL;

  G_OBJECT_CLASS (vouch_field_validator_parent_class)->dispose (object);
}

static void
vouch_field_validator_finalize (GObject *object)
{
  VouchFieldValidator *self = VOUCH_FIELD_VALIDATOR (object);

  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (vouch_field_validator_parent_class)->finalize (object);
}

static void
vouch_field_validator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VouchFieldValidator *self = VOUCH_FIELD_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vouch_field_validator_class_init (VouchFieldValidatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vouch_field_validator_dispose;
  object_class->finalize = vouch_field_validator_finalize;
  object_class->get_property = vouch_field_validator_get_property;

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vouch_field_validator_init (VouchFieldValidator *self)
{
}

/**
 * vouch_field_validator_attach:
 * @field: a #GtkEditable widget, such as an #AdwEntryRow or a #GtkEntry
 * @check: says whether a non-empty text is acceptable
 *
 * Gives @field a validator that lives as long as the field.
 *
 * Returns: (transfer none): the validator
 */
VouchFieldValidator *
vouch_field_validator_attach (GtkWidget           *field,
                              VouchFieldCheckFunc  check,
                              gpointer             user_data)
{
  VouchFieldValidator *self;

  g_return_val_if_fail (GTK_IS_EDITABLE (field), NULL);
  g_return_val_if_fail (check != NULL, NULL);

  self = g_object_new (VOUCH_TYPE_FIELD_VALIDATOR, NULL);
  self->field = field;
  self->check = check;
  self->user_data = user_data;
  g_signal_connect_object (field, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_object_set_data_full (G_OBJECT (field), VALIDATOR_KEY, self, g_object_unref);
  return self;
}

/**
 * vouch_field_validator_get:
 *
 * Returns: (transfer none) (nullable): the validator attached to @field
 */
VouchFieldValidator *
vouch_field_validator_get (GtkWidget *field)
{
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);
  return g_object_get_data (G_OBJECT (field), VALIDATOR_KEY);
}

/* Checks shared by the forms --------------------------------------------- */

/**
 * vouch_field_check_any:
 *
 * Any text: for a field whose only mistake is to be left empty, which the
 * form reports with vouch_field_validator_set_error().
 */
gboolean
vouch_field_check_any (const char  *text,
                       gpointer     user_data,
                       GError     **error)
{
  return TRUE;
}

/**
 * vouch_field_check_name:
 *
 * One host name or address, as a certificate would carry it; checked by
 * the parser the signing policy uses.
 */
gboolean
vouch_field_check_name (const char  *text,
                        gpointer     user_data,
                        GError     **error)
{
  g_autofree char *normal = vouch_names_normalize (text, error);

  return normal != NULL;
}

/**
 * vouch_field_check_name_list:
 *
 * Names separated by commas; empty items are skipped.
 */
gboolean
vouch_field_check_name_list (const char  *text,
                             gpointer     user_data,
                             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0' && !vouch_field_check_name (parts[i], user_data, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * vouch_field_check_permitted:
 *
 * A domain or an address range a root may be limited to, checked by the
 * parser that builds the root's name constraints.
 */
gboolean
vouch_field_check_permitted (const char  *text,
                             gpointer     user_data,
                             GError     **error)
{
  g_autoptr(VouchNameConstraints) scratch = vouch_name_constraints_new ();

  return vouch_name_constraints_add (scratch, text, error);
}

/**
 * vouch_field_add_name:
 * @field: a field with a validator checking one name
 * @names: (element-type utf8): the names listed so far
 *
 * Adds the name typed in @field to @names, normalized with the parser the
 * signing policy uses so the list shows what will be signed, and empties
 * the field. A wrong name stays in the field with its reason under it.
 *
 * Returns: whether the field's name was taken (already listed counts)
 */
gboolean
vouch_field_add_name (GtkWidget *field,
                      GPtrArray *names)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field));
  g_autofree char *name = NULL;

  if (*text == '\0' || !vouch_field_validator_validate (vouch_field_validator_get (field)))
    return FALSE;

  name = vouch_names_normalize (text, NULL);
  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, g_steal_pointer (&name));
  gtk_editable_set_text (GTK_EDITABLE (field), "");
  return TRUE;
}
