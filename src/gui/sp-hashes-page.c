/* sp-hashes-page.c: the four digests, a comparison entry and a VirusTotal link
 *
 * The VirusTotal button only opens a web page in the user's browser; the app
 * itself never talks to the network.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-hashes-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-hashes-page.h"

struct _SpHashesPage
{
  GtkWidget           parent_instance;

  GtkWidget          *digests_group;
  GtkWidget          *compare_row;
  GtkWidget          *compare_icon;
  GtkWidget          *compare_label;
  GtkWidget          *virustotal_button;

  GtkWidget          *value_labels[SP_N_DIGESTS];
  char               *values[SP_N_DIGESTS];
  SpHashCompareState  compare_state;
  int                 matched_kind;
};

G_DEFINE_FINAL_TYPE (SpHashesPage, sp_hashes_page, GTK_TYPE_WIDGET)

static const char *
digest_title (SpDigestKind kind)
{
  switch (kind)
    {
    case SP_DIGEST_MD5:
      return "MD5";
    case SP_DIGEST_SHA1:
      return "SHA-1";
    case SP_DIGEST_SHA256:
      return "SHA-256";
    case SP_DIGEST_SHA512:
      return "SHA-512";
    case SP_N_DIGESTS:
    default:
      return "?";
    }
}

/* Accepts what people paste: any case, surrounding blanks, a "sha256:" prefix. */
static char *
normalize_hash (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  const char *colon = strrchr (stripped, ':');
  const char *hex = colon != NULL ? colon + 1 : stripped;
  GString *out = g_string_new (NULL);

  for (const char *p = hex; *p; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (!g_ascii_isspace (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  return g_string_free (out, FALSE);
}

/* Title above, value below at full width: a SHA-512 needs all of it. */
static GtkWidget *
hash_row_new (const char  *title,
              const char  *value,
              GtkWidget  **out_label)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *label = sp_value_label_new (value, TRUE);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", title, value);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (caption), 0.0f);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_box_append (GTK_BOX (text_box), caption);
  gtk_box_append (GTK_BOX (text_box), label);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (GTK_BOX (box), sp_copy_button_new (title, label));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  *out_label = label;
  return row;
}

static void
update_compare (SpHashesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->compare_row));
  g_autofree char *hash = normalize_hash (text);
  GtkLabel *label = GTK_LABEL (self->compare_label);

  gtk_widget_remove_css_class (self->compare_label, "sp-match");
  gtk_widget_remove_css_class (self->compare_label, "sp-mismatch");
  gtk_widget_remove_css_class (self->compare_icon, "sp-match");
  gtk_widget_remove_css_class (self->compare_icon, "sp-mismatch");
  gtk_widget_remove_css_class (self->compare_row, "error");
  gtk_widget_remove_css_class (self->compare_row, "success");
  self->matched_kind = -1;

  if (text[0] == '\0')
    {
      self->compare_state = SP_HASH_COMPARE_EMPTY;
      gtk_label_set_text (label, "");
      gtk_widget_set_visible (self->compare_icon, FALSE);
      return;
    }

  for (int kind = 0; hash != NULL && hash[0] != '\0' && kind < SP_N_DIGESTS; kind++)
    {
      if (self->values[kind] != NULL && g_ascii_strcasecmp (self->values[kind], hash) == 0)
        self->matched_kind = kind;
    }

  if (self->matched_kind >= 0)
    {
      g_autofree char *message = g_strdup_printf (_("Match: the pasted hash is this file’s %s."),
                                                  digest_title (self->matched_kind));

      self->compare_state = SP_HASH_COMPARE_MATCH;
      gtk_label_set_text (label, message);
      gtk_image_set_from_icon_name (GTK_IMAGE (self->compare_icon), "emblem-ok-symbolic");
      gtk_widget_add_css_class (self->compare_label, "sp-match");
      gtk_widget_add_css_class (self->compare_icon, "sp-match");
      gtk_widget_add_css_class (self->compare_row, "success");
    }
  else
    {
      self->compare_state = SP_HASH_COMPARE_MISMATCH;
      gtk_label_set_text (label, hash == NULL
                          ? _("Mismatch: that is not a hexadecimal hash.")
                          : _("Mismatch: the pasted hash matches none of the four digests."));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->compare_icon), "dialog-error-symbolic");
      gtk_widget_add_css_class (self->compare_label, "sp-mismatch");
      gtk_widget_add_css_class (self->compare_icon, "sp-mismatch");
      gtk_widget_add_css_class (self->compare_row, "error");
    }
  gtk_widget_set_visible (self->compare_icon, TRUE);
}

static void
on_compare_changed (SpHashesPage *self)
{
  update_compare (self);
}

static void
on_virustotal_clicked (SpHashesPage *self)
{
  g_autofree char *uri = NULL;

  if (self->values[SP_DIGEST_SHA256] == NULL)
    return;
  uri = g_strdup_printf ("https://www.virustotal.com/gui/file/%s", self->values[SP_DIGEST_SHA256]);
  sp_show_uri (GTK_WIDGET (self), uri);
}

static void
sp_hashes_page_dispose (GObject *object)
{
  SpHashesPage *self = SP_HASHES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_HASHES_PAGE);
  sp_widget_unparent_children (GTK_WIDGET (object));
  for (guint i = 0; i < SP_N_DIGESTS; i++)
    g_clear_pointer (&self->values[i], g_free);
  G_OBJECT_CLASS (sp_hashes_page_parent_class)->dispose (object);
}

static void
sp_hashes_page_class_init (SpHashesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_hashes_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/sp-hashes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpHashesPage, digests_group);
  gtk_widget_class_bind_template_child (widget_class, SpHashesPage, compare_row);
  gtk_widget_class_bind_template_child (widget_class, SpHashesPage, compare_icon);
  gtk_widget_class_bind_template_child (widget_class, SpHashesPage, compare_label);
  gtk_widget_class_bind_template_child (widget_class, SpHashesPage, virustotal_button);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_virustotal_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_hashes_page_init (SpHashesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->matched_kind = -1;
  gtk_widget_set_sensitive (self->virustotal_button, FALSE);
}

GtkWidget *
sp_hashes_page_new (void)
{
  return g_object_new (SP_TYPE_HASHES_PAGE, NULL);
}

void
sp_hashes_page_set_report (SpHashesPage *self,
                           SpReport     *report)
{
  JsonObject *hashes;

  g_return_if_fail (SP_IS_HASHES_PAGE (self));
  g_return_if_fail (SP_IS_REPORT (report));
  g_return_if_fail (self->value_labels[0] == NULL);

  hashes = sp_report_get_section (report, "hashes");
  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    {
      const char *value = hashes != NULL
        ? json_object_get_string_member_with_default (hashes, sp_digest_kind_get_id (kind), NULL)
        : NULL;
      GtkWidget *row;

      self->values[kind] = g_strdup (value);
      row = hash_row_new (digest_title (kind), value ? value : _("Not computed"),
                          &self->value_labels[kind]);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->digests_group), row);
    }
  gtk_widget_set_sensitive (self->virustotal_button, self->values[SP_DIGEST_SHA256] != NULL);
  update_compare (self);
}

GtkLabel *
sp_hashes_page_get_value_label (SpHashesPage *self,
                                SpDigestKind  kind)
{
  g_return_val_if_fail (SP_IS_HASHES_PAGE (self), NULL);
  g_return_val_if_fail (kind < SP_N_DIGESTS, NULL);
  return GTK_LABEL (self->value_labels[kind]);
}

void
sp_hashes_page_set_compare_text (SpHashesPage *self,
                                 const char   *text)
{
  g_return_if_fail (SP_IS_HASHES_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->compare_row), text);
}

SpHashCompareState
sp_hashes_page_get_compare_state (SpHashesPage *self)
{
  g_return_val_if_fail (SP_IS_HASHES_PAGE (self), SP_HASH_COMPARE_EMPTY);
  return self->compare_state;
}

int
sp_hashes_page_get_matched_kind (SpHashesPage *self)
{
  g_return_val_if_fail (SP_IS_HASHES_PAGE (self), -1);
  return self->matched_kind;
}
