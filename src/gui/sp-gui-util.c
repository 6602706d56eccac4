/* sp-gui-util.c: small helpers the pages share */
#include "config.h"
#define G_LOG_DOMAIN "sp-gui-util"

#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-resources.h"

/* Caps what one header table builds: a GtkGrid is not a list view. */
#define SP_JSON_TABLE_MAX_COLUMNS 12

void
sp_gui_register_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      sp_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

/* For GtkWidget subclasses whose template root is not a bound child. */
void
sp_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

GtkWidget *
sp_value_label_new (const char *text,
                    gboolean    monospace)
{
  GtkWidget *label = gtk_label_new (NULL);
  PangoAttrList *attributes = pango_attr_list_new ();

  /* A hash or a path wrapped at any character must not gain a hyphen. */
  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  pango_attr_list_unref (attributes);
  /* Sample-derived text: never markup. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  if (monospace)
    gtk_widget_add_css_class (label, "monospace");
  return label;
}

static void
on_copy_button_clicked (GtkButton *button,
                        GtkLabel  *source)
{
  sp_widget_copy_text (GTK_WIDGET (button), gtk_label_get_text (source));
}

GtkWidget *
sp_copy_button_new (const char *what,
                    GtkWidget  *source_label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  g_autofree char *tooltip = g_strdup_printf (_("Copy %s"), what);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_copy_button_clicked),
                           source_label, 0);
  return button;
}

GtkWidget *
sp_info_row_new (const char  *title,
                 const char  *value,
                 gboolean     monospace,
                 GtkWidget  **out_label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = sp_value_label_new (value, monospace);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", title, value ? value : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sp_copy_button_new (title, label));
  if (out_label)
    *out_label = label;
  return row;
}

void
sp_widget_copy_text (GtkWidget  *widget,
                     const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text ? text : "");
  sp_widget_toast (widget, _("Copied to the clipboard"));
}

void
sp_widget_toast (GtkWidget  *widget,
                 const char *message)
{
  /* The window owns the toast overlay; pages reach it through its action. */
  gtk_widget_activate_action (widget, "win.toast", "s", message);
}

gboolean
sp_json_node_is_scalar (JsonNode *node)
{
  return node != NULL && (JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node));
}

char *
sp_json_node_dup_display (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%.4g", json_node_get_double (node));
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      gboolean all_scalar = TRUE;

      for (guint i = 0; i < n && all_scalar; i++)
        all_scalar = sp_json_node_is_scalar (json_array_get_element (array, i));
      if (all_scalar)
        {
          GString *joined = g_string_new (NULL);

          for (guint i = 0; i < n && i < 64; i++)
            {
              g_autofree char *item = sp_json_node_dup_display (json_array_get_element (array, i));

              if (i > 0)
                g_string_append (joined, ", ");
              g_string_append (joined, item);
            }
          if (n > 64)
            g_string_append_printf (joined, _(", … (%u in all)"), n);
          return g_string_free (joined, FALSE);
        }
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
    }

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u field", "%u fields",
                                       json_object_get_size (json_node_get_object (node))),
                          json_object_get_size (json_node_get_object (node)));
}

typedef struct
{
  const char *key;
  const char *label;
} SpKeyLabel;

/* Report keys people see often get a translated label; others show as-is. */
static const SpKeyLabel key_labels[] = {
  { "name", N_("Name") },
  { "path", N_("Path") },
  { "display_name", N_("Name") },
  { "display_path", N_("Path") },
  { "size", N_("Size") },
  { "size_bytes", N_("Size in bytes") },
  { "size_human", N_("Size") },
  { "modified", N_("Modified") },
  { "mtime", N_("Modified") },
  { "owner", N_("Owner") },
  { "mode", N_("Permissions") },
  { "permissions", N_("Permissions") },
  { "description", N_("Description") },
  { "mime", N_("MIME type") },
  { "mime_type", N_("MIME type") },
  { "content_type", N_("Content type") },
  { "evidence", N_("Evidence") },
  { "overall", N_("Overall") },
  { "reading", N_("Reading") },
  { "machine", N_("Machine") },
  { "subsystem", N_("Subsystem") },
  { "entry_point", N_("Entry point") },
  { "image_base", N_("Image base") },
  { "timestamp", N_("Timestamp") },
  { "characteristics", N_("Characteristics") },
  { "sections", N_("Sections") },
  { "imports", N_("Imports") },
  { "exports", N_("Exports") },
  { "warnings", N_("Warnings") },
  { "version_info", N_("Version information") },
  { "class", N_("Class") },
  { "type", N_("Type") },
  { "width", N_("Width") },
  { "height", N_("Height") },
  { "entropy", N_("Entropy") },
  { "flags", N_("Flags") },
  { "format", N_("Format") },
  { "machine_name", N_("Machine name") },
  { "subsystem_name", N_("Subsystem name") },
  { "e_lfanew", "e_lfanew" },
  { "pe32plus", "PE32+" },
  { "entry_section", N_("Entry section") },
  { "imphash", N_("Import hash") },
  { "is_dll", N_("DLL") },
  { "is_dotnet", N_(".NET assembly") },
  { "has_signature", N_("Signed") },
  { "timestamp_note", N_("Timestamp note") },
  { "bits_per_pixel", N_("Bits per pixel") },
  { "compression", N_("Compression") },
  { "virtual_address", N_("Virtual address") },
  { "virtual_size", N_("Virtual size") },
  { "raw_offset", N_("Raw offset") },
  { "raw_size", N_("Raw size") },
  { "anomalies", N_("Anomalies") },
  { "data_directories", N_("Data directories") },
  { "functions", N_("Functions") },
};

/* Known keys get a translated label; others are made readable
 * ("section_alignment" -> "Section alignment") but stay untranslated. */
char *
sp_json_key_dup_label (const char *key)
{
  char *label;

  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    {
      if (g_str_equal (key, key_labels[i].key))
        return g_strdup (_(key_labels[i].label));
    }

  label = g_strdup (key);
  for (char *p = label; *p; p++)
    if (*p == '_')
      *p = ' ';
  if (g_ascii_islower (label[0]))
    label[0] = g_ascii_toupper (label[0]);
  return label;
}

/* The translated label of a known key, or the key itself (not allocated). */
const char *
sp_json_key_to_label (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    {
      if (g_str_equal (key, key_labels[i].key))
        return _(key_labels[i].label);
    }
  return key;
}

static gboolean
key_is_address_like (const char *key)
{
  static const char *parts[] = { "address", "base", "entry_point", "rva", "offset",
                                 "characteristics", "magic", "machine", "checksum", "e_lfanew",
                                 "callbacks", "alignment", "flags_value", "entry" };
  g_autofree char *lower = NULL;

  if (key == NULL)
    return FALSE;
  lower = g_ascii_strdown (key, -1);
  if (g_str_has_suffix (lower, "_name") || g_str_has_suffix (lower, "_flags")
      || g_str_has_suffix (lower, "_section") || g_str_has_suffix (lower, "_note"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (strstr (lower, parts[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* Addresses, offsets and flag words read best in hexadecimal. */
char *
sp_json_member_dup_display (const char *key,
                            JsonNode   *node)
{
  if (key_is_address_like (key))
    {
      if (node_is_integer (node))
        return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", (guint64) json_node_get_int (node));
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          gboolean all_int = n > 0;
          GString *joined;

          for (guint i = 0; i < n && all_int; i++)
            all_int = node_is_integer (json_array_get_element (array, i));
          if (all_int)
            {
              joined = g_string_new (NULL);
              for (guint i = 0; i < n && i < 64; i++)
                {
                  JsonNode *item = json_array_get_element (array, i);

                  g_string_append_printf (joined, "%s0x%" G_GINT64_MODIFIER "x",
                                          i > 0 ? ", " : "", (guint64) json_node_get_int (item));
                }
              if (n > 64)
                g_string_append_printf (joined, _(", … (%u in all)"), n);
              return g_string_free (joined, FALSE);
            }
        }
    }
  return sp_json_node_dup_display (node);
}

/* @segment: ELF program headers spell execute "E" ("RWE"); in section flags
 * "E" means exclude and execute is "X" ("WAX"). */
static gboolean
flag_text_is_wx (const char *text,
                 gboolean    segment)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  gboolean write = FALSE;
  gboolean exec = FALSE;

  if (strstr (lower, "write") != NULL || strstr (lower, "writ") != NULL)
    write = TRUE;
  if (strstr (lower, "exec") != NULL || strstr (lower, "execinstr") != NULL)
    exec = TRUE;
  /* Short permission strings such as "RWX" or readelf's "WAX". */
  if (!write && !exec && strlen (text) <= 4)
    {
      write = strchr (text, 'W') != NULL || strchr (text, 'w') != NULL;
      exec = strchr (text, 'X') != NULL || strchr (text, 'x') != NULL
             || (segment && strchr (text, 'E') != NULL);
    }
  return write && exec;
}

/* Parsers describe permissions in several shapes (a "wx" boolean, separate
 * booleans, a flag string or a list of flag names); accept all of them. */
gboolean
sp_json_section_is_wx (JsonObject *section)
{
  static const char *flag_keys[] = { "flags", "permissions", "perms", "characteristics_flags",
                                     "flag_names", "characteristics" };
  gboolean write = FALSE;
  gboolean exec = FALSE;
  gboolean segment = json_object_has_member (section, "memory_size")
                     || json_object_has_member (section, "p_flags");

  if (json_object_has_member (section, "wx"))
    return json_object_get_boolean_member_with_default (section, "wx", FALSE);
  if (json_object_has_member (section, "write_execute"))
    return json_object_get_boolean_member_with_default (section, "write_execute", FALSE);

  write = json_object_get_boolean_member_with_default (section, "writable", FALSE);
  exec = json_object_get_boolean_member_with_default (section, "executable", FALSE);
  if (write && exec)
    return TRUE;

  for (guint k = 0; k < G_N_ELEMENTS (flag_keys); k++)
    {
      JsonNode *node = json_object_get_member (section, flag_keys[k]);

      if (node == NULL)
        continue;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (flag_text_is_wx (json_node_get_string (node), segment))
            return TRUE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr(GString) joined = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                g_string_append_printf (joined, "%s ", json_node_get_string (item));
            }
          if (joined->len > 0 && flag_text_is_wx (joined->str, segment))
            return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
table_cell_new (const char *text,
                gboolean    header)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), !header);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  if (header)
    gtk_widget_add_css_class (label, "sp-table-header");
  else
    gtk_widget_add_css_class (label, "monospace");
  return label;
}

/* A grid with one column per scalar member of the array's objects, in order
 * of first appearance. Rows that describe a writable and executable section
 * are highlighted. */
GtkWidget *
sp_json_table_new (JsonArray *array,
                   guint      max_rows)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  GtkWidget *grid;
  guint n = json_array_get_length (array);
  guint shown;

  for (guint i = 0; i < n && i < max_rows; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &key, &member))
        {
          gboolean seen = FALSE;

          if (!sp_json_node_is_scalar (member) && !JSON_NODE_HOLDS_ARRAY (member))
            continue;
          for (guint c = 0; c < columns->len && !seen; c++)
            seen = g_str_equal (g_ptr_array_index (columns, c), key);
          if (!seen && columns->len < SP_JSON_TABLE_MAX_COLUMNS)
            g_ptr_array_add (columns, (gpointer) key);
        }
    }

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_margin_top (grid, 8);
  gtk_widget_set_margin_bottom (grid, 8);
  gtk_widget_set_margin_start (grid, 10);
  gtk_widget_set_margin_end (grid, 10);

  for (guint c = 0; c < columns->len; c++)
    {
      g_autofree char *label = sp_json_key_dup_label (g_ptr_array_index (columns, c));

      gtk_grid_attach (GTK_GRID (grid), table_cell_new (label, TRUE), (int) c, 0, 1, 1);
    }

  shown = MIN (n, max_rows);
  for (guint i = 0; i < shown; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      gboolean wx;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *text = sp_json_node_dup_display (node);

          gtk_grid_attach (GTK_GRID (grid), table_cell_new (text, FALSE), 0, (int) i + 1,
                           MAX (1, (int) columns->len), 1);
          continue;
        }
      object = json_node_get_object (node);
      wx = sp_json_section_is_wx (object);
      for (guint c = 0; c < columns->len; c++)
        {
          const char *key = g_ptr_array_index (columns, c);
          g_autofree char *text = json_object_has_member (object, key)
            ? sp_json_member_dup_display (key, json_object_get_member (object, key))
            : g_strdup ("");
          GtkWidget *cell = table_cell_new (text, FALSE);

          if (wx)
            {
              gtk_widget_add_css_class (cell, "sp-wx");
              if (c == 0)
                {
                  g_autofree char *why = g_strdup_printf (_("%s is writable and executable"), text);

                  gtk_widget_set_tooltip_text (cell, why);
                }
            }
          gtk_grid_attach (GTK_GRID (grid), cell, (int) c, (int) i + 1, 1, 1);
        }
    }

  if (shown < n)
    {
      g_autofree char *more = g_strdup_printf (_("%u more rows are in the exported report."),
                                               n - shown);
      GtkWidget *label = table_cell_new (more, FALSE);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) shown + 1, MAX (1, (int) columns->len), 1);
    }
  return grid;
}

char *
sp_format_offset (guint64 offset)
{
  return g_strdup_printf ("0x%08" G_GINT64_MODIFIER "x", offset);
}

char *
sp_format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0 || seconds > 360000)
    return g_strdup ("—");
  s = (guint64) (seconds + 0.5);
  if (s < 60)
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 3600)
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) ((s / 60) % 60));
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_uri_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error)
      && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    sp_widget_toast (widget, error->message);
}
#endif

void
sp_show_uri (GtkWidget  *widget,
             const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                           on_uri_launched, g_object_ref (widget));
#else
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
#endif
}

typedef struct
{
  GtkFileChooserNative *chooser;
  SpFileChosenFunc      callback;
  gpointer              user_data;
  GDestroyNotify        user_data_free;
} SaveChooser;

/* Runs when the response handler goes: after a response, or when the owner
 * destroys the chooser first (then the callback never runs). */
static void
save_chooser_free (gpointer  data,
                   GClosure *closure)
{
  SaveChooser *save = data;

  if (save->user_data_free != NULL)
    save->user_data_free (save->user_data);
  g_object_unref (save->chooser);
  g_free (save);
}

static void
on_save_chooser_response (GtkNativeDialog *chooser,
                          int              response,
                          gpointer         user_data)
{
  SaveChooser *save = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  save->callback (file, save->user_data);
  gtk_native_dialog_destroy (chooser);
}

/**
 * sp_choose_save_file:
 * @parent: a widget of the window the chooser belongs to
 * @suffix: the file name suffix the filter shows, without the dot
 * @default_name: the name the chooser suggests
 * @callback: called once with the chosen file, or %NULL on cancel
 * @user_data_free: (nullable): frees @user_data when the chooser is gone
 *
 * Shows a modal native "save" chooser with one filter. GTK 4's chooser asks
 * before replacing an existing file.
 *
 * Returns: (transfer none): the chooser, valid until @callback returns; the
 * caller may gtk_native_dialog_destroy() it earlier, and then @callback is
 * not called
 */
GtkFileChooserNative *
sp_choose_save_file (GtkWidget        *parent,
                     const char       *title,
                     const char       *accept_label,
                     const char       *filter_name,
                     const char       *suffix,
                     const char       *default_name,
                     SpFileChosenFunc  callback,
                     gpointer          user_data,
                     GDestroyNotify    user_data_free)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  SaveChooser *save = g_new0 (SaveChooser, 1);

  save->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, accept_label,
                                               _("_Cancel"));
  save->callback = callback;
  save->user_data = user_data;
  save->user_data_free = user_data_free;

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (save->chooser), TRUE);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (save->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (save->chooser), default_name);
  g_signal_connect_data (save->chooser, "response", G_CALLBACK (on_save_chooser_response), save,
                         save_chooser_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (save->chooser));

  return save->chooser;
}
