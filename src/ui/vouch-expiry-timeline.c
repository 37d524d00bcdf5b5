/* vouch-expiry-timeline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vouch-config.h"

#include "vouch-expiry-timeline.h"
#include "vouch-expiry-timeline-private.h"

#include "vouch-certificate-entry.h"

#include <glib/gi18n.h>
#include <string.h>

/* Twelve calendar months from the current one, each a bar with its count
 * and the month's name above and below it: the counts are text, so the
 * bars' length and colour are never the only signal. Only certificates
 * still in use count; expired ones are past the timeline. */
typedef struct
{
  GtkWidget   *box;
  GtkLabel    *count_label;
  GtkLevelBar *bar;
  GtkLabel    *month_label;
} Bucket;

struct _VouchExpiryTimeline
{
  AdwBin     parent_instance;

  Bucket     buckets[VOUCH_EXPIRY_TIMELINE_MONTHS];
  guint      counts[VOUCH_EXPIRY_TIMELINE_MONTHS];
  guint      in_use;

  GtkWidget *chart_box;
  GtkWidget *empty_box;
  GtkLabel  *summary_label;
  GtkBox    *buckets_box;
  GtkLabel  *empty_description;
};

G_DEFINE_FINAL_TYPE (VouchExpiryTimeline, vouch_expiry_timeline, ADW_TYPE_BIN)

static GDateTime *
local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

/**
 * vouch_expiry_timeline_month_index:
 *
 * Returns: which calendar month after @now's (0 for @now's own) @not_after
 *   falls in, in local time; negative when it is already past
 */
int
vouch_expiry_timeline_month_index (gint64 now,
                                   gint64 not_after)
{
  g_autoptr(GDateTime) from = local_time (now);
  g_autoptr(GDateTime) to = local_time (not_after);

  if (from == NULL || to == NULL || not_after <= now)
    return -1;

  return (g_date_time_get_year (to) - g_date_time_get_year (from)) * 12 +
         g_date_time_get_month (to) - g_date_time_get_month (from);
}

static void
update (VouchExpiryTimeline *self,
        gint64               now)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(GDateTime) start = local_time (now);
  g_autofree char *summary = NULL;
  guint max = 1;
  guint total = 0;

  for (guint i = 0; i < VOUCH_EXPIRY_TIMELINE_MONTHS; i++)
    {
      max = MAX (max, self->counts[i]);
      total += self->counts[i];
    }

  for (guint i = 0; i < VOUCH_EXPIRY_TIMELINE_MONTHS; i++)
    {
      Bucket *bucket = &self->buckets[i];
      g_autoptr(GDateTime) month = start != NULL ? g_date_time_add_months (start, (int)i) : NULL;
      /* Translators: a month's abbreviated name under the expiry timeline,
       * in strftime format. */
      g_autofree char *abbrev = month != NULL ? g_date_time_format (month, _("%b")) : g_strdup ("?");
      /* Translators: a month and its year, "March 2027", for the expiry
       * timeline's tooltips; see g_date_time_format() for the codes. */
      /* xgettext:no-c-format */
      g_autofree char *full = month != NULL ? g_date_time_format (month, _("%B %Y"))
                                            : g_strdup ("?");
      g_autofree char *count = g_strdup_printf ("%u", self->counts[i]);
      g_autofree char *label = NULL;

      gtk_label_set_label (bucket->count_label, count);
      gtk_label_set_label (bucket->month_label, abbrev);
      gtk_level_bar_set_max_value (bucket->bar, max);
      gtk_level_bar_set_value (bucket->bar, self->counts[i]);
      gtk_widget_set_opacity (GTK_WIDGET (bucket->count_label), self->counts[i] > 0 ? 1.0 : 0.55);

      /* Translators: one month of the expiry timeline, for screen readers:
       * "March 2027: 2 certificates expire". */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u certificate expires",
                                            "%s: %u certificates expire", self->counts[i]),
                               full, self->counts[i]);
      gtk_widget_set_tooltip_text (bucket->box, label);
      if (self->counts[i] > 0)
        g_string_append_printf (description, "%s%s", description->len > 0 ? "; " : "", label);
    }

  if (total == 0)
    {
      g_autofree char *later = NULL;

      /* Twelve empty bars would only say the same thing slowly. */
      if (self->in_use == 0)
        gtk_label_set_label (self->empty_description,
                             _("Certificates Vouch signs are shown here by the month they expire."));
      else
        {
          later = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The certificate in use expires later than that.",
                                                "All %u certificates in use expire later than that.",
                                                self->in_use),
                                   self->in_use);
          gtk_label_set_label (self->empty_description, later);
        }
      gtk_widget_set_visible (self->chart_box, FALSE);
      gtk_widget_set_visible (self->empty_box, TRUE);
      return;
    }

  gtk_widget_set_visible (self->chart_box, TRUE);
  gtk_widget_set_visible (self->empty_box, FALSE);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u certificate expires in the next 12 months",
                                            "%u certificates expire in the next 12 months", total),
                               total);
  gtk_label_set_label (self->summary_label, summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->buckets_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Expiry timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->len > 0 ? description->str : summary,
                                  -1);
}

static void
vouch_expiry_timeline_dispose (GObject *object)
{
  VouchExpiryTimeline *self = (VouchExpiryTimeline *)object;

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VOUCH_TYPE_EXPIRY_TIMELINE);

  G_OBJECT_CLASS (vouch_expiry_timeline_parent_class)->dispose (object);
}

static void
vouch_expiry_timeline_class_init (VouchExpiryTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vouch_expiry_timeline_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vouchpki/Vouch/vouch-expiry-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, VouchExpiryTimeline, chart_box);
  gtk_widget_class_bind_template_child (widget_class, VouchExpiryTimeline, empty_box);
  gtk_widget_class_bind_template_child (widget_class, VouchExpiryTimeline, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VouchExpiryTimeline, buckets_box);
  gtk_widget_class_bind_template_child (widget_class, VouchExpiryTimeline, empty_description);
}

static void
vouch_expiry_timeline_init (VouchExpiryTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < VOUCH_EXPIRY_TIMELINE_MONTHS; i++)
    {
      Bucket *bucket = &self->buckets[i];

      bucket->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      bucket->count_label = GTK_LABEL (gtk_label_new ("0"));
      bucket->bar = GTK_LEVEL_BAR (gtk_level_bar_new ());
      bucket->month_label = GTK_LABEL (gtk_label_new (NULL));

      /* The bars only draw; the box's description speaks for them. */
      gtk_accessible_update_state (GTK_ACCESSIBLE (bucket->bar), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (bucket->bar), GTK_ORIENTATION_VERTICAL);
      gtk_level_bar_set_inverted (bucket->bar, TRUE);
      gtk_level_bar_remove_offset_value (bucket->bar, GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (bucket->bar, GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (bucket->bar, GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_size_request (GTK_WIDGET (bucket->bar), -1, 40);
      gtk_widget_set_halign (GTK_WIDGET (bucket->bar), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (bucket->count_label), "caption-heading");
      gtk_widget_add_css_class (GTK_WIDGET (bucket->month_label), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (bucket->month_label), "dim-label");
      gtk_label_set_ellipsize (bucket->month_label, PANGO_ELLIPSIZE_END);
      if (i == 0)
        gtk_widget_add_css_class (bucket->box, "current-month");

      gtk_box_append (GTK_BOX (bucket->box), GTK_WIDGET (bucket->count_label));
      gtk_box_append (GTK_BOX (bucket->box), GTK_WIDGET (bucket->bar));
      gtk_box_append (GTK_BOX (bucket->box), GTK_WIDGET (bucket->month_label));
      gtk_box_append (self->buckets_box, bucket->box);
    }

  update (self, g_get_real_time () / G_USEC_PER_SEC);
}

/**
 * vouch_expiry_timeline_set_entries:
 * @entries: a #GListModel of #VouchCertificateEntry
 * @now: the time the months start from
 */
void
vouch_expiry_timeline_set_entries (VouchExpiryTimeline *self,
                                   GListModel          *entries,
                                   gint64               now)
{
  guint n;

  g_return_if_fail (VOUCH_IS_EXPIRY_TIMELINE (self));
  g_return_if_fail (G_IS_LIST_MODEL (entries));

  memset (self->counts, 0, sizeof self->counts);
  self->in_use = 0;
  n = g_list_model_get_n_items (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VouchCertificateEntry) entry = g_list_model_get_item (entries, i);
      VouchCertificate *cert = vouch_certificate_entry_get_certificate (entry);
      int month;

      if (!vouch_certificate_entry_get_in_use (entry))
        continue;
      self->in_use++;
      month = vouch_expiry_timeline_month_index (now, vouch_certificate_get_not_after (cert));
      if (month >= 0 && month < VOUCH_EXPIRY_TIMELINE_MONTHS)
        self->counts[month]++;
    }

  /* With no certificate at all, the page's own empty state says it: a
   * second one above it would only repeat it. */
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  update (self, now);
}

guint
_vouch_expiry_timeline_get_count (VouchExpiryTimeline *self,
                                 guint                month)
{
  g_return_val_if_fail (VOUCH_IS_EXPIRY_TIMELINE (self), 0);
  g_return_val_if_fail (month < VOUCH_EXPIRY_TIMELINE_MONTHS, 0);

  return self->counts[month];
}
