/* sp-strings-page.c: the extracted strings as a filterable table
 *
 * The model chain is table → GtkFilterListModel (incremental, so ten million
 * rows never block the main loop) → GtkSliceListModel (the "maximum rows
 * shown" preference) → GtkMultiSelection. Export does not walk the widgets'
 * models: a worker thread re-applies a frozen copy of the filter to the table.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-strings-page"

#include <inttypes.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-report-csv.h"
#include "sp-save.h"
#include "sp-strings-page.h"

#define DEFAULT_MAX_ROWS 10000000
/* Copying more than this many rows to the clipboard helps nobody. */
#define MAX_COPY_ROWS 100000

typedef struct
{
  char   *needle;     /* case-folded, or NULL */
  GRegex *regex;      /* or NULL */
  int     encoding;   /* -1 for any */
  guint   min_length;
} FilterParams;

struct _SpStringsPage
{
  GtkWidget           parent_instance;

  GtkWidget          *search_entry;
  GtkWidget          *regex_toggle;
  GtkWidget          *encoding_dropdown;
  GtkWidget          *min_length_spin;
  GtkWidget          *column_view;
  GtkColumnViewColumn *offset_column;
  GtkColumnViewColumn *encoding_column;
  GtkColumnViewColumn *length_column;
  GtkColumnViewColumn *text_column;
  GtkWidget          *filter_spinner;
  GtkWidget          *count_label;

  SpStringTable      *table;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSliceListModel  *slice_model;
  GtkMultiSelection  *selection;
  FilterParams       *params;
  guint               max_rows;
  GCancellable       *export_cancellable;
};

G_DEFINE_FINAL_TYPE (SpStringsPage, sp_strings_page, GTK_TYPE_WIDGET)

static void
filter_params_clear (FilterParams *params)
{
  g_free (params->needle);
  g_clear_pointer (&params->regex, g_regex_unref);
}

static FilterParams *
filter_params_ref (FilterParams *params)
{
  return g_atomic_rc_box_acquire (params);
}

static void
filter_params_unref (FilterParams *params)
{
  g_atomic_rc_box_release_full (params, (GDestroyNotify) filter_params_clear);
}

static gboolean
filter_params_match (const FilterParams *params,
                     SpStringEncoding    encoding,
                     guint               length,
                     const char         *text)
{
  if (params->encoding >= 0 && (int) encoding != params->encoding)
    return FALSE;
  if (length < params->min_length)
    return FALSE;
  if (text == NULL)
    return params->needle == NULL && params->regex == NULL;
  if (params->regex != NULL)
    return g_regex_match (params->regex, text, 0, NULL);
  if (params->needle != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);

      return strstr (folded, params->needle) != NULL;
    }
  return TRUE;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  SpStringsPage *self = user_data;
  SpStringItem *string = item;

  return filter_params_match (self->params, sp_string_item_get_encoding (string),
                              sp_string_item_get_length (string),
                              sp_string_item_get_text (string));
}

static void
update_count (SpStringsPage *self)
{
  guint total = self->table ? g_list_model_get_n_items (G_LIST_MODEL (self->table)) : 0;
  guint matching = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->slice_model));
  gboolean pending = gtk_filter_list_model_get_pending (self->filter_model) > 0;
  g_autofree char *text = NULL;

  if (shown < matching)
    text = g_strdup_printf (_("Showing the first %u of %u matching strings (%u in all)"),
                            shown, matching, total);
  else if (matching < total || pending)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u string", "%u of %u strings",
                                         total),
                            matching, total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u string", "%u strings", total), total);

  if (pending)
    {
      g_autofree char *filtering = g_strdup_printf (_("%s — filtering…"), text);

      gtk_label_set_text (GTK_LABEL (self->count_label), filtering);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->count_label), text);
  gtk_spinner_set_spinning (GTK_SPINNER (self->filter_spinner), pending);
  gtk_widget_set_visible (self->filter_spinner, pending);
}

static void
on_filter_model_changed (SpStringsPage *self)
{
  update_count (self);
}

static void
on_filter_changed (SpStringsPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean use_regex = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->regex_toggle));
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->encoding_dropdown));
  FilterParams *params = g_atomic_rc_box_new0 (FilterParams);
  guint table_min = self->table ? sp_string_table_get_min_length (self->table) : 0;
  gboolean everything;

  params->encoding = selected == 1 ? SP_STRING_ENCODING_ASCII
                   : selected == 2 ? SP_STRING_ENCODING_UTF16LE
                   : -1;
  params->min_length =
    (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->min_length_spin));
  gtk_widget_remove_css_class (self->search_entry, "error");
  gtk_widget_set_tooltip_text (self->search_entry, NULL);
  if (text[0] != '\0')
    {
      if (use_regex)
        {
          params->regex = g_regex_new (text, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
          if (params->regex == NULL)
            {
              /* Keep the previous filter while the expression is incomplete. */
              gtk_widget_add_css_class (self->search_entry, "error");
              gtk_widget_set_tooltip_text (self->search_entry, error->message);
              filter_params_unref (params);
              return;
            }
        }
      else
        params->needle = g_utf8_casefold (text, -1);
    }

  g_clear_pointer (&self->params, filter_params_unref);
  self->params = params;

  everything = params->needle == NULL && params->regex == NULL && params->encoding < 0
               && params->min_length <= table_min;
  /* No filter at all is O(1); a custom filter would visit every row. The
   * view lets go of the model meanwhile: GTK 4.8's list views look up every
   * added row (g_list_model_get_item) when a change also removes rows that
   * had widgets, which held the loop 1.8 s for 3.3 million rows. */
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), NULL);
  gtk_filter_list_model_set_filter (self->filter_model,
                                    everything ? NULL : GTK_FILTER (self->filter));
  if (!everything)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view),
                             GTK_SELECTION_MODEL (self->selection));
  update_count (self);
}

/* Column factories: labels are filled with gtk_label_set_text only. */

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  const char *column = user_data;

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), g_str_equal (column, "length") ? 1.0f : 0.0f);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (g_str_equal (column, "text"))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 200);
    }
  if (g_str_equal (column, "offset") || g_str_equal (column, "text"))
    gtk_widget_add_css_class (label, "monospace");
  if (g_str_equal (column, "length"))
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  SpStringItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  const char *column = user_data;

  if (g_str_equal (column, "offset"))
    {
      g_autofree char *text = sp_format_offset (sp_string_item_get_offset (item));

      gtk_label_set_text (label, text);
    }
  else if (g_str_equal (column, "encoding"))
    gtk_label_set_text (label, sp_string_item_get_encoding (item) == SP_STRING_ENCODING_UTF16LE
                               ? "UTF-16LE" : "ASCII");
  else if (g_str_equal (column, "length"))
    {
      g_autofree char *text = g_strdup_printf ("%u", sp_string_item_get_length (item));

      gtk_label_set_text (label, text);
    }
  else
    {
      const char *text = sp_string_item_get_text (item);

      gtk_label_set_text (label, text ? text : "");
    }
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
append_row_text (GString      *out,
                 SpStringItem *item)
{
  const char *text = sp_string_item_get_text (item);

  g_string_append_printf (out, "0x%08" G_GINT64_MODIFIER "x\t%s\t%u\t%s\n",
                          sp_string_item_get_offset (item),
                          sp_string_item_get_encoding (item) == SP_STRING_ENCODING_UTF16LE
                          ? "UTF-16LE" : "ASCII",
                          sp_string_item_get_length (item),
                          text ? text : "");
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpStringsPage *self = SP_STRINGS_PAGE (widget);
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(GString) out = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;
  guint copied = 0;

  if (gtk_bitset_is_empty (selected))
    {
      sp_widget_toast (widget, _("Select rows to copy first."));
      return;
    }
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok && copied < MAX_COPY_ROWS;
       ok = gtk_bitset_iter_next (&iter, &position), copied++)
    {
      g_autoptr(SpStringItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                            position);

      if (item != NULL)
        append_row_text (out, item);
    }
  sp_widget_copy_text (widget, out->str);
}

/* Export */

typedef struct
{
  SpStringTable *table;
  FilterParams  *params;
  GFile         *file;
  gboolean       csv;
  gint64         written;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->table);
  g_clear_pointer (&data->params, filter_params_unref);
  g_clear_object (&data->file);
  g_free (data);
}

/* Writes the rows the frozen filter keeps and counts them in data->written. */
static gboolean
write_export (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  ExportData *data = user_data;
  g_autoptr(GOutputStream) output = g_buffered_output_stream_new_sized (stream, 1 << 20);
  g_autoptr(GString) line = g_string_new (NULL);
  guint count = data->table ? sp_string_table_get_count (data->table) : 0;

  /* sp_save_file closes (or drops) the file itself. */
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (output), FALSE);
  data->written = 0;

  if (data->csv && !g_output_stream_write_all (output, "offset,encoding,length,text\n", 28, NULL,
                                               cancellable, error))
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      SpStringRecord record;
      g_autofree char *text = NULL;
      guint length;

      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!sp_string_table_get_record (data->table, i, &record))
        break;
      text = sp_string_table_dup_text (data->table, i);
      length = text ? (guint) g_utf8_strlen (text, -1) : 0;
      if (!filter_params_match (data->params, record.encoding, length, text))
        continue;

      g_string_truncate (line, 0);
      if (data->csv)
        {
          g_autofree char *escaped = sp_csv_escape_cell (text, TRUE);

          g_string_append_printf (line, "0x%08" G_GINT64_MODIFIER "x,%s,%u,%s\n", record.offset,
                                  sp_string_encoding_to_id (record.encoding), length, escaped);
        }
      else
        g_string_append_printf (line, "%s\n", text ? text : "");
      if (!g_output_stream_write_all (output, line->str, line->len, NULL, cancellable, error))
        return FALSE;
      data->written++;
    }

  /* Flushes the buffer into the file. */
  return g_output_stream_close (output, cancellable, error);
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
  if (sp_save_file (data->file, SP_SAVE_REPLACE, write_export, data, cancellable, &error))
    g_task_return_int (task, data->written);
  else
    g_task_return_error (task, error);
}

void
sp_strings_page_export_async (SpStringsPage       *self,
                              GFile               *file,
                              gboolean             csv,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (SP_IS_STRINGS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->table = self->table ? g_object_ref (self->table) : NULL;
  data->params = filter_params_ref (self->params);
  data->file = g_object_ref (file);
  data->csv = csv;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_strings_page_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gint64
sp_strings_page_export_finish (SpStringsPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpStringsPage *self = SP_STRINGS_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *message = NULL;
  gint64 written = sp_strings_page_export_finish (self, result, &error);

  if (written < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export the strings to “%s”: %s"), name,
                                 error->message);
    }
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %" PRId64 " string to “%s”",
                                            "Exported %" PRId64 " strings to “%s”",
                                            (gulong) written),
                               written, name);
  sp_widget_toast (GTK_WIDGET (self), message);
}

static void
export_to_file (SpStringsPage *self,
                GFile         *file,
                gboolean       csv)
{
  if (file != NULL)
    sp_strings_page_export_async (self, file, csv, self->export_cancellable, on_export_done,
                                  g_object_ref (file));
}

static void
on_text_file_chosen (GFile    *file,
                     gpointer  user_data)
{
  export_to_file (SP_STRINGS_PAGE (user_data), file, FALSE);
}

static void
on_csv_file_chosen (GFile    *file,
                    gpointer  user_data)
{
  export_to_file (SP_STRINGS_PAGE (user_data), file, TRUE);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  if (g_strcmp0 (g_variant_get_string (parameter, NULL), "csv") == 0)
    sp_choose_save_file (widget, _("Export Strings as CSV"), _("_Export"), _("CSV files"), "csv",
                         "strings.csv", on_csv_file_chosen, g_object_ref (widget),
                         g_object_unref);
  else
    sp_choose_save_file (widget, _("Export Strings as Text"), _("_Export"), _("Text files"),
                         "txt", "strings.txt", on_text_file_chosen, g_object_ref (widget),
                         g_object_unref);
}

static void
sp_strings_page_dispose (GObject *object)
{
  SpStringsPage *self = SP_STRINGS_PAGE (object);

  g_cancellable_cancel (self->export_cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_STRINGS_PAGE);
  sp_widget_unparent_children (GTK_WIDGET (object));
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->table);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->params, filter_params_unref);
  G_OBJECT_CLASS (sp_strings_page_parent_class)->dispose (object);
}

static void
sp_strings_page_class_init (SpStringsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_strings_page_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/specimen/Specimen/ui/sp-strings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, regex_toggle);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, min_length_spin);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, offset_column);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, encoding_column);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, length_column);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, text_column);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, filter_spinner);
  gtk_widget_class_bind_template_child (widget_class, SpStringsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "strings.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "strings.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "strings.copy", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_strings_page_init (SpStringsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->max_rows = DEFAULT_MAX_ROWS;
  self->params = g_atomic_rc_box_new0 (FilterParams);
  self->params->encoding = -1;
  self->export_cancellable = g_cancellable_new ();

  set_column_factory (self->offset_column, "offset");
  set_column_factory (self->encoding_column, "encoding");
  set_column_factory (self->length_column, "length");
  set_column_factory (self->text_column, "text");

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  self->slice_model = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                                0, self->max_rows);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->slice_model)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view),
                             GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (on_filter_model_changed), self);
  g_signal_connect_swapped (self->filter_model, "notify::pending",
                            G_CALLBACK (on_filter_model_changed), self);
  update_count (self);
}

GtkWidget *
sp_strings_page_new (void)
{
  return g_object_new (SP_TYPE_STRINGS_PAGE, NULL);
}

void
sp_strings_page_set_report (SpStringsPage *self,
                            SpReport      *report)
{
  SpStringTable *table;

  g_return_if_fail (SP_IS_STRINGS_PAGE (self));
  g_return_if_fail (SP_IS_REPORT (report));

  table = sp_report_get_strings (report);
  g_set_object (&self->table, table);
  if (table != NULL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->min_length_spin),
                               sp_string_table_get_min_length (table));
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (table));
  on_filter_changed (self);
}

void
sp_strings_page_focus_search (SpStringsPage *self)
{
  g_return_if_fail (SP_IS_STRINGS_PAGE (self));
  gtk_widget_grab_focus (self->search_entry);
}

void
sp_strings_page_set_search (SpStringsPage *self,
                            const char    *text,
                            gboolean       regex)
{
  g_return_if_fail (SP_IS_STRINGS_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->regex_toggle), regex);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* search-changed is delayed for typing; apply now. */
  on_filter_changed (self);
}

void
sp_strings_page_set_max_rows (SpStringsPage *self,
                              guint          max_rows)
{
  g_return_if_fail (SP_IS_STRINGS_PAGE (self));

  self->max_rows = MAX (max_rows, 1);
  gtk_slice_list_model_set_size (self->slice_model, self->max_rows);
  update_count (self);
}

GListModel *
sp_strings_page_get_visible_model (SpStringsPage *self)
{
  g_return_val_if_fail (SP_IS_STRINGS_PAGE (self), NULL);
  return G_LIST_MODEL (self->slice_model);
}

gboolean
sp_strings_page_get_filter_pending (SpStringsPage *self)
{
  g_return_val_if_fail (SP_IS_STRINGS_PAGE (self), FALSE);
  return gtk_filter_list_model_get_pending (self->filter_model) > 0;
}
