/* sp-overview-page.c: the first page of a sample: info, type, entropy, findings */
#include "config.h"
#define G_LOG_DOMAIN "sp-overview-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-entropy-plot.h"
#include "sp-gui-util.h"
#include "sp-overview-page.h"

#define MAX_HEADER_ROWS 16
#define MAX_SECTION_ROWS 96

struct _SpOverviewPage
{
  GtkWidget  parent_instance;

  GtkWidget *name_label;
  GtkWidget *type_label;
  GtkWidget *facts_label;
  GtkWidget *file_group;
  GtkWidget *type_group;
  GtkWidget *entropy_group;
  GtkWidget *entropy_plot;
  GtkWidget *findings_label;
  GtkWidget *header_group;
  GtkWidget *sections_box;
  GtkWidget *sections_frame;
};

G_DEFINE_FINAL_TYPE (SpOverviewPage, sp_overview_page, GTK_TYPE_WIDGET)

static void
add_row (GtkWidget  *group,
         const char *title,
         const char *value,
         gboolean    monospace)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             sp_info_row_new (title, value, monospace, NULL));
}

static gboolean
key_in (const char         *key,
        const char * const *keys)
{
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (g_str_equal (key, keys[i]))
      return TRUE;
  return FALSE;
}

/* Scalars of @object not in @skip become rows of @group, or of @expander if given. */
static void
add_scalar_rows (GtkWidget          *group,
                 GtkWidget          *expander,
                 JsonObject         *object,
                 const char * const *skip,
                 guint               max_rows)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  guint added = 0;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &node) && added < max_rows)
    {
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;
      GtkWidget *row;

      if (!sp_json_node_is_scalar (node) || key_in (key, skip))
        continue;
      text = sp_json_member_dup_display (key, node);
      label = sp_json_key_dup_label (key);
      row = sp_info_row_new (label, text, FALSE, NULL);
      if (expander != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      added++;
    }
}

static void
show_file (SpOverviewPage *self,
           JsonObject     *file)
{
  static const char * const shown[] = { "name", "path", "size", "size_human", "modified",
                                        "permissions", "mode", "owner", "group", NULL };
  const char *owner;
  GtkWidget *more;

  if (file == NULL)
    {
      gtk_widget_set_visible (self->file_group, FALSE);
      return;
    }

  if (json_object_has_member (file, "name"))
    add_row (self->file_group, _("Name"),
             json_object_get_string_member_with_default (file, "name", ""), FALSE);
  if (json_object_has_member (file, "path"))
    add_row (self->file_group, _("Path"),
             json_object_get_string_member_with_default (file, "path", ""), FALSE);
  if (json_object_has_member (file, "size"))
    {
      gint64 size = json_object_get_int_member_with_default (file, "size", 0);
      /* "41.0 KiB (41984 bytes)", worded like the reports */
      g_autofree char *text = sp_format_size ((guint64) MAX (size, 0));

      add_row (self->file_group, _("Size"), text, FALSE);
    }
  if (json_object_has_member (file, "modified"))
    {
      g_autofree char *text = sp_json_node_dup_display (json_object_get_member (file, "modified"));

      add_row (self->file_group, _("Modified"), text, FALSE);
    }
  if (json_object_has_member (file, "permissions"))
    {
      const char *permissions = json_object_get_string_member_with_default (file, "permissions",
                                                                            "");
      const char *mode = json_object_get_string_member_with_default (file, "mode", "");
      g_autofree char *text = g_strdup_printf ("%s (%s)", permissions, mode);

      add_row (self->file_group, _("Permissions"), text, TRUE);
    }
  owner = json_object_get_string_member_with_default (file, "owner", NULL);
  if (owner != NULL)
    {
      const char *group = json_object_get_string_member_with_default (file, "group", NULL);
      g_autofree char *text = group ? g_strdup_printf ("%s:%s", owner, group) : g_strdup (owner);

      add_row (self->file_group, _("Owner"), text, FALSE);
    }

  /* Everything else (access and change times, ids…) one click away. */
  more = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), _("More Details"));
  add_scalar_rows (self->file_group, more, file, shown, 32);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->file_group), more);
}

static void
show_hero (SpOverviewPage *self,
           SpReport       *report)
{
  JsonObject *file = sp_report_get_section (report, "file");
  JsonObject *type = sp_report_get_section (report, "type");
  JsonObject *entropy = sp_report_get_section (report, "entropy");
  SpStringTable *strings = sp_report_get_strings (report);
  SpIocSet *iocs = sp_report_get_iocs (report);
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  const char *name = file ? json_object_get_string_member_with_default (file, "name", NULL) : NULL;

  gtk_label_set_text (GTK_LABEL (self->name_label), name ? name : sp_report_get_title (report));
  gtk_label_set_text (GTK_LABEL (self->type_label),
                      type ? json_object_get_string_member_with_default (
                               type, "description",
                               json_object_get_string_member_with_default (type, "name", ""))
                           : "");
  gtk_widget_set_visible (self->type_label, type != NULL);

  if (file != NULL && json_object_has_member (file, "size_human"))
    g_ptr_array_add (facts, g_strdup (json_object_get_string_member (file, "size_human")));
  if (entropy != NULL && json_object_has_member (entropy, "overall"))
    /* Translators: "entropy 6.02 bits/byte (compressed or packed)" */
    g_ptr_array_add (facts,
                     g_strdup_printf (_("entropy %.2f bits/byte (%s)"),
                                      json_object_get_double_member (entropy, "overall"),
                                      json_object_get_string_member_with_default (entropy,
                                                                                  "reading", "")));
  if (strings != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (strings));

      g_ptr_array_add (facts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u string",
                                                            "%u strings", n), n));
    }
  if (iocs != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (iocs));

      g_ptr_array_add (facts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u indicator",
                                                            "%u indicators", n), n));
    }
  g_ptr_array_add (facts, NULL);
  joined = g_strjoinv (" · ", (char **) facts->pdata);
  gtk_label_set_text (GTK_LABEL (self->facts_label), joined);
}

static void
show_type (SpOverviewPage *self,
           JsonObject     *type)
{
  JsonArray *evidence;
  JsonObject *gio;

  if (type == NULL)
    {
      gtk_widget_set_visible (self->type_group, FALSE);
      return;
    }

  add_row (self->type_group, _("Type"),
           json_object_get_string_member_with_default (type, "name", _("Unknown")), FALSE);
  if (json_object_has_member (type, "description"))
    add_row (self->type_group, _("Description"),
             json_object_get_string_member_with_default (type, "description", ""), FALSE);
  if (json_object_has_member (type, "mime"))
    add_row (self->type_group, _("MIME type"),
             json_object_get_string_member_with_default (type, "mime", ""), TRUE);

  evidence = json_object_has_member (type, "evidence")
    ? json_object_get_array_member (type, "evidence") : NULL;
  if (evidence != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (evidence) && i < 32; i++)
        {
          JsonNode *node = json_array_get_element (evidence, i);
          g_autofree char *item = NULL;

          if (JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonObject *ev = json_node_get_object (node);
              g_autofree char *offset =
                sp_format_offset ((guint64) json_object_get_int_member_with_default (ev, "offset",
                                                                                     0));

              /* Translators: evidence for a file type: what, where, which bytes. */
              item = g_strdup_printf (_("%s at %s: %s"),
                                      json_object_get_string_member_with_default (ev, "what", ""),
                                      offset,
                                      json_object_get_string_member_with_default (ev, "bytes", ""));
            }
          else
            item = sp_json_node_dup_display (node);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, item);
        }
      if (text->len > 0)
        add_row (self->type_group, _("Evidence"), text->str, FALSE);
    }

  /* GIO's own guess is a second opinion worth seeing next to ours. */
  gio = json_object_has_member (type, "gio") ? json_object_get_object_member (type, "gio") : NULL;
  if (gio != NULL)
    {
      const char *mime = json_object_get_string_member_with_default (gio, "mime", NULL);
      const char *description = json_object_get_string_member_with_default (gio, "description",
                                                                            NULL);
      gboolean uncertain = json_object_get_boolean_member_with_default (gio, "uncertain", FALSE);
      g_autoptr(GString) text = g_string_new (mime ? mime : "");

      if (description != NULL)
        g_string_append_printf (text, text->len ? " — %s" : "%s", description);
      if (uncertain)
        g_string_append (text, _(" (uncertain)"));
      /* Translators: the second opinion on a file type, from GLib's content-type guess. */
      add_row (self->type_group, _("Second opinion (GIO)"), text->str, FALSE);
    }
}

static void
show_entropy (SpOverviewPage *self,
              JsonObject     *entropy)
{
  JsonArray *blocks;

  if (entropy == NULL)
    {
      gtk_widget_set_visible (self->entropy_group, FALSE);
      return;
    }

  if (json_object_has_member (entropy, "overall"))
    {
      g_autofree char *text = g_strdup_printf (_("%.4f bits per byte"),
                                               json_object_get_double_member (entropy, "overall"));

      add_row (self->entropy_group, _("Overall"), text, FALSE);
    }
  if (json_object_has_member (entropy, "reading"))
    add_row (self->entropy_group, _("Reading"),
             json_object_get_string_member_with_default (entropy, "reading", ""), FALSE);

  blocks = json_object_has_member (entropy, "blocks")
    ? json_object_get_array_member (entropy, "blocks") : NULL;
  if (blocks != NULL)
    {
      guint n = MIN (json_array_get_length (blocks), 65536);
      g_autofree double *values = g_new0 (double, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (blocks, i);

          if (JSON_NODE_HOLDS_VALUE (node))
            values[i] = json_node_get_double (node);
        }
      guint64 block_size = (guint64) json_object_get_int_member_with_default (entropy,
                                                                              "block_size", 0);
      g_autofree char *size = g_format_size_full (block_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *caption = NULL;

      sp_entropy_plot_set_blocks (SP_ENTROPY_PLOT (self->entropy_plot), values, n, block_size);
      /* Translators: explains the plot: x is the file, y is 0 to 8 bits per byte. */
      caption = g_strdup_printf (_("Per block of %s, from the start of the file to its end, on a "
                                   "scale of 0 to 8 bits per byte. The dashed line at 7.2 marks "
                                   "compressed or encrypted data."), size);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->entropy_group), caption);
    }
}

static char *
category_count_text (SpIocCategory category,
                     guint         n)
{
  switch (category)
    {
    case SP_IOC_URL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u URL", "%u URLs", n), n);
    case SP_IOC_DOMAIN:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u domain", "%u domains", n), n);
    case SP_IOC_IPV4:
    case SP_IOC_IPV6:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u IP", "%u IPs", n), n);
    case SP_IOC_EMAIL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u email address",
                                           "%u email addresses", n), n);
    case SP_IOC_PATH:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u path", "%u paths", n), n);
    case SP_IOC_REGISTRY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u registry key",
                                           "%u registry keys", n), n);
    case SP_IOC_LIBRARY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u library", "%u libraries", n), n);
    case SP_IOC_API:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u suspicious API",
                                           "%u suspicious APIs", n), n);
    case SP_IOC_BTC:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Bitcoin address",
                                           "%u Bitcoin addresses", n), n);
    case SP_IOC_HASH:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hash", "%u hashes", n), n);
    case SP_IOC_CVE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u CVE", "%u CVEs", n), n);
    case SP_N_IOC_CATEGORIES:
    default:
      return g_strdup_printf ("%u", n);
    }
}

static gboolean
tag_is_behaviour (const char *tag)
{
  return !g_str_equal (tag, "defanged") && !g_str_equal (tag, "private")
         && !g_str_equal (tag, "utf16le") && !g_str_equal (tag, "ascii");
}

/**
 * sp_overview_summarize_iocs:
 *
 * Returns: a one-line summary such as "3 URLs · 2 IPs · process-injection
 * APIs: CreateRemoteThread, WriteProcessMemory".
 */
char *
sp_overview_summarize_iocs (SpIocSet *iocs)
{
  guint counts[SP_N_IOC_CATEGORIES] = { 0 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  /* behaviour tag -> GString of API names, in order of first appearance */
  g_autoptr(GPtrArray) behaviours = g_ptr_array_new ();
  g_autoptr(GHashTable) apis = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  guint n = iocs ? g_list_model_get_n_items (G_LIST_MODEL (iocs)) : 0;
  guint ipv4_and_6 = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (iocs), i);
      SpIocCategory category = sp_ioc_get_category (ioc);
      const char * const *tags;

      if ((guint) category >= SP_N_IOC_CATEGORIES)
        continue;
      counts[category]++;
      if (category != SP_IOC_API)
        continue;
      tags = sp_ioc_get_tags (ioc);
      for (guint t = 0; tags[t] != NULL; t++)
        {
          GPtrArray *names;

          if (!tag_is_behaviour (tags[t]))
            continue;
          names = g_hash_table_lookup (apis, tags[t]);
          if (names == NULL)
            {
              names = g_ptr_array_new ();
              g_hash_table_insert (apis, (gpointer) tags[t], names);
              g_ptr_array_add (behaviours, (gpointer) tags[t]);
            }
          if (names->len < 8)
            g_ptr_array_add (names, (gpointer) sp_ioc_get_value (ioc));
        }
    }

  if (n == 0)
    return g_strdup (_("No indicators found."));

  for (guint c = 0; c < SP_N_IOC_CATEGORIES; c++)
    {
      if (c == SP_IOC_IPV6)
        continue;
      if (c == SP_IOC_IPV4)
        {
          ipv4_and_6 = counts[SP_IOC_IPV4] + counts[SP_IOC_IPV6];
          if (ipv4_and_6 > 0)
            g_ptr_array_add (parts, category_count_text (c, ipv4_and_6));
          continue;
        }
      if (counts[c] == 0 || (c == SP_IOC_API && behaviours->len > 0))
        continue;
      g_ptr_array_add (parts, category_count_text (c, counts[c]));
    }

  for (guint b = 0; b < behaviours->len; b++)
    {
      const char *tag = g_ptr_array_index (behaviours, b);
      GPtrArray *names = g_hash_table_lookup (apis, tag);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint k = 0; k < names->len; k++)
        {
          if (k > 0)
            g_string_append (list, ", ");
          g_string_append (list, g_ptr_array_index (names, k));
        }
      /* Translators: "process-injection APIs: CreateRemoteThread, WriteProcessMemory" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s APIs: %s"), tag, list->str));
    }

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
show_header (SpOverviewPage *self,
             SpReport       *report)
{
  static const char *formats[] = { "pe", "elf", "bmp" };
  JsonObject *header = NULL;
  const char *format = NULL;
  JsonArray *sections;

  for (guint i = 0; i < G_N_ELEMENTS (formats) && header == NULL; i++)
    {
      header = sp_report_get_section (report, formats[i]);
      format = formats[i];
    }
  if (header == NULL)
    return;

  /* Translators: %s is PE, ELF or BMP. */
  {
    g_autofree char *upper = g_ascii_strup (format, -1);
    g_autofree char *title = g_strdup_printf (_("%s Header"), upper);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->header_group), title);
  }
  {
    /* The fields an analyst reads first, where the parser provides them. */
    static const char * const wanted[] = { "format", "machine_name", "subsystem_name", "class",
                                           "type_name", "machine", "entry_point", "entry_section",
                                           "image_base", "timestamp", "timestamp_note", "imphash",
                                           "is_dll", "is_dotnet", "has_signature", "width",
                                           "height", "bits_per_pixel", "compression", NULL };
    guint added = 0;

    for (guint i = 0; wanted[i] != NULL && added < MAX_HEADER_ROWS; i++)
      {
        JsonNode *node = json_object_get_member (header, wanted[i]);
        g_autofree char *text = NULL;
        g_autofree char *label = NULL;

        if (!sp_json_node_is_scalar (node))
          continue;
        if (g_str_equal (wanted[i], "machine") && json_object_has_member (header, "machine_name"))
          continue;
        text = sp_json_member_dup_display (wanted[i], node);
        label = sp_json_key_dup_label (wanted[i]);
        add_row (self->header_group, label, text, FALSE);
        added++;
      }
    if (added == 0)
      add_scalar_rows (self->header_group, NULL, header, NULL, MAX_HEADER_ROWS);
  }
  gtk_widget_set_visible (self->header_group, TRUE);

  sections = json_object_has_member (header, "sections")
    ? json_object_get_array_member (header, "sections") : NULL;
  if (sections != NULL && json_array_get_length (sections) > 0)
    {
      gtk_frame_set_child (GTK_FRAME (self->sections_frame),
                           sp_json_table_new (sections, MAX_SECTION_ROWS));
      gtk_widget_set_visible (self->sections_box, TRUE);
    }
}

static void
sp_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_OVERVIEW_PAGE);
  sp_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (sp_overview_page_parent_class)->dispose (object);
}

static void
sp_overview_page_class_init (SpOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_overview_page_dispose;

  g_type_ensure (SP_TYPE_ENTROPY_PLOT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/specimen/Specimen/ui/sp-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, type_label);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, file_group);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, type_group);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, entropy_group);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, entropy_plot);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, findings_label);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, header_group);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, SpOverviewPage, sections_frame);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_overview_page_init (SpOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_overview_page_new (void)
{
  return g_object_new (SP_TYPE_OVERVIEW_PAGE, NULL);
}

/* Called once per page: a tab shows one report for its whole life. */
void
sp_overview_page_set_report (SpOverviewPage *self,
                             SpReport       *report)
{
  g_autofree char *findings = NULL;

  g_return_if_fail (SP_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (SP_IS_REPORT (report));

  show_hero (self, report);
  show_file (self, sp_report_get_section (report, "file"));
  show_type (self, sp_report_get_section (report, "type"));
  show_entropy (self, sp_report_get_section (report, "entropy"));
  findings = sp_overview_summarize_iocs (sp_report_get_iocs (report));
  gtk_label_set_text (GTK_LABEL (self->findings_label), findings);
  show_header (self, report);
}

const char *
sp_overview_page_get_findings_text (SpOverviewPage *self)
{
  g_return_val_if_fail (SP_IS_OVERVIEW_PAGE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->findings_label));
}

GtkWidget *
sp_overview_page_get_entropy_plot (SpOverviewPage *self)
{
  g_return_val_if_fail (SP_IS_OVERVIEW_PAGE (self), NULL);
  return self->entropy_plot;
}
