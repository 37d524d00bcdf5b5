/* vouch-pin-prompt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-pin-prompt.h"

#include "vouch-passphrase-dialog.h"

#include "vouch-error.h"

#include <glib/gi18n.h>

/* The authority asks for a token's PIN on the thread that signs (a
 * GTask worker), in the middle of an operation. This answers from the
 * main thread: the worker hands a request to the main context, which
 * shows a VouchPassphraseDialog naming the token and saying why, and
 * waits until the operator answers or closes it. A refused PIN comes back
 * as a new request with the reason, shown under the field. The worker
 * waits with no time limit, as for the keyring's own unlock prompt:
 * the operator may take their time, and closing the dialog answers. */
struct _VouchPinPrompt
{
  GObject         parent_instance;

  GtkApplication *application;
};

G_DEFINE_FINAL_TYPE (VouchPinPrompt, vouch_pin_prompt, G_TYPE_OBJECT)

typedef struct
{
  VouchPinPrompt *self;
  char           *label;
  char           *model;
  GError         *previous;
  GMutex          mutex;
  GCond           cond;
  gboolean        answered;
  char           *pin;
  gboolean        keep;
} Request;

static void
vouch_pin_prompt_dispose (GObject *object)
{
  VouchPinPrompt *self = (VouchPinPrompt *)object;

  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (vouch_pin_prompt_parent_class)->dispose (object);
}

static void
vouch_pin_prompt_class_init (VouchPinPromptClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vouch_pin_prompt_dispose;
}

static void
vouch_pin_prompt_init (VouchPinPrompt *self)
{
}

VouchPinPrompt *
vouch_pin_prompt_new (GtkApplication *application)
{
  VouchPinPrompt *self = g_object_new (VOUCH_TYPE_PIN_PROMPT, NULL);

  g_set_weak_pointer (&self->application, application);
  return self;
}

static void
answer (Request    *request,
        const char *pin,
        gboolean    keep)
{
  g_mutex_lock (&request->mutex);
  if (!request->answered)
    {
      request->answered = TRUE;
      request->pin = g_strdup (pin);
      request->keep = keep;
      g_cond_signal (&request->cond);
    }
  g_mutex_unlock (&request->mutex);
}

static void
submit_cb (VouchPassphraseDialog *dialog,
           const char            *pin,
           Request               *request)
{
  /* Once answered, the request is the worker's again, and may be gone. */
  g_signal_handlers_disconnect_by_data (dialog, request);
  answer (request, pin, vouch_passphrase_dialog_get_option (dialog));
  /* The token says whether the PIN was right; a wrong one is asked
   * again, with the reason. */
  vouch_passphrase_dialog_finish (dialog, NULL);
}

static void
closed_cb (Request *request)
{
  answer (request, NULL, FALSE);
}

static gboolean
show_dialog_cb (gpointer user_data)
{
  Request *request = user_data;
  GtkWindow *parent = NULL;
  VouchPassphraseDialog *dialog;
  g_autofree char *body = NULL;

  if (request->self->application != NULL)
    parent = gtk_application_get_active_window (request->self->application);
  if (parent == NULL)
    {
      answer (request, NULL, FALSE);
      return G_SOURCE_REMOVE;
    }

  /* Translators: %s is the security key's label, %s its model. */
  body = g_strdup_printf (_("The root's private key lives on the security key “%s” (%s). Vouch "
                            "needs its PIN to sign with it. Keep the key plugged in until "
                            "signing is done."), request->label, request->model);
  dialog = vouch_passphrase_dialog_new (GTK_WIDGET (parent), _("Security Key PIN"), body, FALSE);
  vouch_passphrase_dialog_set_field_title (dialog, _("PIN"));
  vouch_passphrase_dialog_set_option (dialog, _("Keep the PIN in the keyring"),
                                      _("Vouch then signs without asking while the key is "
                                        "plugged in: anyone who can use this unlocked session "
                                        "can sign certificates with it."));
  g_signal_connect (dialog, "submit", G_CALLBACK (submit_cb), request);
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (closed_cb), request);
  if (request->previous != NULL)
    {
      GError bad = { VOUCH_ERROR, VOUCH_ERROR_BAD_PASSPHRASE, request->previous->message };

      /* Said under the field, selected for typing again. */

      vouch_passphrase_dialog_finish (dialog, &bad);
    }
  gtk_window_present (GTK_WINDOW (dialog));
  return G_SOURCE_REMOVE;
}

static char *
ask_pin (VouchAuthority *authority,
         VouchTokenKey  *token,
         const GError   *previous,
         gboolean       *keep,
         gpointer        user_data)
{
  Request request = { user_data, NULL, NULL, NULL };
  char *pin;

  /* A signature made on the main thread cannot wait for a dialog there. */
  if (g_main_context_is_owner (g_main_context_default ()))
    return NULL;

  request.label = g_strdup (vouch_token_key_get_label (token));
  request.model = g_strdup (vouch_token_key_get_model (token));
  request.previous = previous != NULL ? g_error_copy (previous) : NULL;
  g_mutex_init (&request.mutex);
  g_cond_init (&request.cond);

  g_mutex_lock (&request.mutex);
  g_main_context_invoke (NULL, show_dialog_cb, &request);
  while (!request.answered)
    g_cond_wait (&request.cond, &request.mutex);
  g_mutex_unlock (&request.mutex);

  pin = g_steal_pointer (&request.pin);
  *keep = request.keep;
  g_mutex_clear (&request.mutex);
  g_cond_clear (&request.cond);
  g_clear_error (&request.previous);
  g_free (request.label);
  g_free (request.model);
  return pin;
}

/**
 * vouch_pin_prompt_attach:
 *
 * Makes this prompt the way @authority asks for a token's PIN.
 */
void
vouch_pin_prompt_attach (VouchPinPrompt *self,
                         VouchAuthority *authority)
{
  g_return_if_fail (VOUCH_IS_PIN_PROMPT (self));
  g_return_if_fail (VOUCH_IS_AUTHORITY (authority));

  vouch_authority_set_pin_func (authority, ask_pin, g_object_ref (self), g_object_unref);
}
