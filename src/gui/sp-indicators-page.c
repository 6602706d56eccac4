/* sp-indicators-page.c: indicators of compromise as a table grouped by category
 *
 * The set arrives sorted by category, so the rows are grouped already; the
 * drop-down narrows to one category and shows each category's count.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-indicators-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-indicators-page.h"
#include "sp-report-csv.h"
#include "sp-save.h"

struct _SpIndicatorsPage
{
  GtkWidget            parent_instance;

  GtkWidget           *stack;
  GtkWidget           *category_dropdown;
  GtkWidget           *summary_label;
  GtkWidget           *column_view;
  GtkColumnViewColumn *value_column;
  GtkColumnViewColumn *category_column;
  GtkColumnViewColumn *tags_column;
  GtkColumnViewColumn *count_column;
  GtkColumnViewColumn *offset_column;

  SpIocSet            *iocs;
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filter_model;
  GtkMultiSelection   *selection;
  /* dropdown position -> category, -1 for "all" */
  GArray              *dropdown_categories;
  int                  category;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (SpIndicatorsPage, sp_indicators_page, GTK_TYPE_WIDGET)

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  SpIndicatorsPage *self = user_data;

  return self->category < 0 || (int) sp_ioc_get_category (SP_IOC (item)) == self->category;
}

static char *
join_tags (SpIoc *ioc)
{
  return g_strjoinv (", ", (char **) sp_ioc_get_tags (ioc));
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  const char *column = user_data;

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), g_str_equal (column, "count") ? 1.0f : 0.0f);
  if (g_str_equal (column, "value"))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 120);
      gtk_widget_add_css_class (label, "monospace");
    }
  if (g_str_equal (column, "offset"))
    gtk_widget_add_css_class (label, "monospace");
  if (g_str_equal (column, "count"))
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  SpIoc *ioc = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *column = user_data;
  g_autofree char *text = NULL;

  if (g_str_equal (column, "value"))
    {
      g_autofree char *description = g_strdup_printf (
          "%s: %s", sp_ioc_category_to_label (sp_ioc_get_category (ioc)), sp_ioc_get_value (ioc));

      gtk_label_set_text (GTK_LABEL (label), sp_ioc_get_value (ioc));
      gtk_widget_set_tooltip_text (label, sp_ioc_get_value (ioc));
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
      return;
    }
  if (g_str_equal (column, "category"))
    {
      gtk_label_set_text (GTK_LABEL (label), sp_ioc_category_to_label (sp_ioc_get_category (ioc)));
      return;
    }
  if (g_str_equal (column, "tags"))
    text = join_tags (ioc);
  else if (g_str_equal (column, "count"))
    text = g_strdup_printf ("%" G_GUINT64_FORMAT, sp_ioc_get_count (ioc));
  else
    text = sp_format_offset (sp_ioc_get_first_offset (ioc));
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
set_column_factory (GtkColumnViewColumn *column,
                    const char          *name)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), (gpointer) name);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), (gpointer) name);
  gtk_column_view_column_set_factory (column, factory);
}

static void
on_category_changed (SpIndicatorsPage *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->category_dropdown));

  if (self->dropdown_categories == NULL || selected >= self->dropdown_categories->len)
    return;
  self->category = g_array_index (self->dropdown_categories, int, selected);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpIndicatorsPage *self = SP_INDICATORS_PAGE (widget);
  gboolean defanged = g_variant_get_boolean (parameter);
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(GString) out = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_is_empty (selected))
    {
      sp_widget_toast (widget, _("Select indicators to copy first."));
      return;
    }
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (ioc == NULL)
        continue;
      if (defanged)
        {
          g_autofree char *text = sp_ioc_dup_defanged (ioc);

          g_string_append_printf (out, "%s\n", text);
        }
      else
        g_string_append_printf (out, "%s\n", sp_ioc_get_value (ioc));
    }
  sp_widget_copy_text (widget, out->str);
}

char *
sp_indicators_page_dup_csv (SpIndicatorsPage *self)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  GString *out = g_string_new ("value,defanged,category,tags,count,first_offset\n");
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (model, i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);
      g_autofree char *tags = join_tags (ioc);
      g_autofree char *value_csv = sp_csv_escape_cell (sp_ioc_get_value (ioc), TRUE);
      g_autofree char *defanged_csv = sp_csv_escape_cell (defanged, TRUE);
      g_autofree char *tags_csv = sp_csv_escape_cell (tags, TRUE);

      g_string_append_printf (out, "%s,%s,%s,%s,%" G_GUINT64_FORMAT ",0x%08" G_GINT64_MODIFIER
                              "x\n", value_csv, defanged_csv,
                              sp_ioc_category_to_id (sp_ioc_get_category (ioc)), tags_csv,
                              sp_ioc_get_count (ioc), sp_ioc_get_first_offset (ioc));
    }
  return g_string_free (out, FALSE);
}

char *
sp_indicators_page_dup_json (SpIndicatorsPage *self)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (model);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (model, i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);
      const char * const *tags = sp_ioc_get_tags (ioc);
      const guint64 *offsets;
      guint n_offsets;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, sp_ioc_get_value (ioc));
      json_builder_set_member_name (builder, "defanged");
      json_builder_add_string_value (builder, defanged);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, sp_ioc_category_to_id (sp_ioc_get_category (ioc)));
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint t = 0; tags[t] != NULL; t++)
        json_builder_add_string_value (builder, tags[t]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) sp_ioc_get_count (ioc));
      json_builder_set_member_name (builder, "offsets");
      json_builder_begin_array (builder);
      offsets = sp_ioc_get_offsets (ioc, &n_offsets);
      for (guint o = 0; o < n_offsets; o++)
        json_builder_add_int_value (builder, (gint64) offsets[o]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

typedef struct
{
  GFile  *file;
  GBytes *contents;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  /* A failed or cancelled export keeps the previous file and leaves no new one. */
  if (sp_save_bytes (data->file, SP_SAVE_REPLACE, data->contents, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The rows are read from the view's model here, on the main thread; only
 * the writing runs in a worker. */
void
sp_indicators_page_export_async (SpIndicatorsPage    *self,
                                 GFile               *file,
                                 gboolean             json,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;
  char *text;

  g_return_if_fail (SP_IS_INDICATORS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  text = json ? sp_indicators_page_dup_json (self) : sp_indicators_page_dup_csv (self);
  data = g_new0 (ExportData, 1);
  data->file = g_object_ref (file);
  data->contents = g_bytes_new_take (text, strlen (text));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_indicators_page_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sp_indicators_page_export_finish (SpIndicatorsPage  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpIndicatorsPage *self = SP_INDICATORS_PAGE (source);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (data->file);
  g_autofree char *message = NULL;

  if (!sp_indicators_page_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export the indicators to “%s”: %s"), name,
                                 error->message);
    }
  else
    message = g_strdup_printf (_("Exported the indicators to “%s”"), name);
  sp_widget_toast (GTK_WIDGET (self), message);
}

static void
export_to_file (SpIndicatorsPage *self,
                GFile            *file,
                gboolean          json)
{
  if (file != NULL)
    sp_indicators_page_export_async (self, file, json, self->cancellable, on_export_done, NULL);
}

static void
on_csv_file_chosen (GFile    *file,
                    gpointer  user_data)
{
  export_to_file (SP_INDICATORS_PAGE (user_data), file, FALSE);
}

static void
on_json_file_chosen (GFile    *file,
                     gpointer  user_data)
{
  export_to_file (SP_INDICATORS_PAGE (user_data), file, TRUE);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  if (g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0)
    sp_choose_save_file (widget, _("Export Indicators as JSON"), _("_Export"), _("JSON files"),
                         "json", "indicators.json", on_json_file_chosen, g_object_ref (widget),
                         g_object_unref);
  else
    sp_choose_save_file (widget, _("Export Indicators as CSV"), _("_Export"), _("CSV files"),
                         "csv", "indicators.csv", on_csv_file_chosen, g_object_ref (widget),
                         g_object_unref);
}

static void
sp_indicators_page_dispose (GObject *object)
{
  SpIndicatorsPage *self = SP_INDICATORS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_INDICATORS_PAGE);
  sp_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->iocs);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dropdown_categories, g_array_unref);
  G_OBJECT_CLASS (sp_indicators_page_parent_class)->dispose (object);
}

static void
sp_indicators_page_class_init (SpIndicatorsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_indicators_page_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/specimen/Specimen/ui/sp-indicators-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, value_column);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, category_column);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, tags_column);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, count_column);
  gtk_widget_class_bind_template_child (widget_class, SpIndicatorsPage, offset_column);
  gtk_widget_class_bind_template_callback (widget_class, on_category_changed);

  gtk_widget_class_install_action (widget_class, "indicators.copy", "b", copy_action);
  gtk_widget_class_install_action (widget_class, "indicators.export", "s", export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_indicators_page_init (SpIndicatorsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->category = -1;
  self->cancellable = g_cancellable_new ();
  set_column_factory (self->value_column, "value");
  set_column_factory (self->category_column, "category");
  set_column_factory (self->tags_column, "tags");
  set_column_factory (self->count_column, "count");
  set_column_factory (self->offset_column, "offset");

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL,
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view),
                             GTK_SELECTION_MODEL (self->selection));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

GtkWidget *
sp_indicators_page_new (void)
{
  return g_object_new (SP_TYPE_INDICATORS_PAGE, NULL);
}

void
sp_indicators_page_set_report (SpIndicatorsPage *self,
                               SpReport         *report)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *all = NULL;
  SpIocSet *iocs;
  guint total;
  int everything = -1;

  g_return_if_fail (SP_IS_INDICATORS_PAGE (self));
  g_return_if_fail (SP_IS_REPORT (report));

  iocs = sp_report_get_iocs (report);
  g_set_object (&self->iocs, iocs);
  total = iocs ? g_list_model_get_n_items (G_LIST_MODEL (iocs)) : 0;

  g_clear_pointer (&self->dropdown_categories, g_array_unref);
  self->dropdown_categories = g_array_new (FALSE, FALSE, sizeof (int));
  all = g_strdup_printf (_("All categories (%u)"), total);
  gtk_string_list_append (labels, all);
  g_array_append_val (self->dropdown_categories, everything);
  for (int c = 0; c < SP_N_IOC_CATEGORIES && iocs != NULL; c++)
    {
      guint n = sp_ioc_set_count_in_category (iocs, c);
      g_autofree char *label = NULL;

      if (n == 0)
        continue;
      label = g_strdup_printf ("%s (%u)", sp_ioc_category_to_label (c), n);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (summary, g_strdup (label));
      g_array_append_val (self->dropdown_categories, c);
    }
  g_ptr_array_add (summary, NULL);

  self->category = -1;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->category_dropdown), G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->category_dropdown), 0);
  {
    g_autofree char *text = g_strjoinv (" · ", (char **) summary->pdata);

    gtk_label_set_text (GTK_LABEL (self->summary_label), text);
    gtk_widget_set_tooltip_text (self->summary_label, text);
  }
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (iocs));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), total > 0 ? "list" : "empty");
}

GListModel *
sp_indicators_page_get_visible_model (SpIndicatorsPage *self)
{
  g_return_val_if_fail (SP_IS_INDICATORS_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

void
sp_indicators_page_set_category (SpIndicatorsPage *self,
                                 int               category)
{
  g_return_if_fail (SP_IS_INDICATORS_PAGE (self));

  for (guint i = 0; self->dropdown_categories && i < self->dropdown_categories->len; i++)
    {
      if (g_array_index (self->dropdown_categories, int, i) == category)
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->category_dropdown), i);
          return;
        }
    }
}
