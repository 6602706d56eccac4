/* sp-window.c: the main window: intake, tabs, empty state
 *
 * Drops, the Open dialog and the command line all go through
 * sp_window_open_files(). A worker sorts the files first, so nothing on the
 * main thread ever stats a path or reads a byte: folders are walked (regular
 * files only, capped), encrypted reports ("SPECIMEN" magic) go to the
 * password dialog, Specimen JSON reports are loaded, everything else is
 * analysed. FIFOs and devices are handed to the analysis, which refuses them
 * with a clear error in their tab.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-window"

#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-window.h"
#ifdef HAVE_SP_EXPORT_DIALOG
#include "sp-export-dialog.h"
#endif

#define MAX_FOLDER_DEPTH 32
#define SNIFF_BYTES 4096

typedef enum
{
  INTAKE_SAMPLE,
  INTAKE_JSON_REPORT,
  INTAKE_ENCRYPTED_REPORT,
} IntakeKind;

typedef struct
{
  GFile      *file;
  IntakeKind  kind;
} IntakeEntry;

typedef struct
{
  GPtrArray *files;    /* in: GFile */
  GArray    *entries;  /* out: IntakeEntry */
  GPtrArray *messages; /* out: toasts about folders */
} IntakeData;

struct _SpWindow
{
  AdwApplicationWindow  parent_instance;

  GtkWidget            *toast_overlay;
  GtkWidget            *drop_area;
  GtkWidget            *tab_bar;
  GtkWidget            *main_stack;
  AdwTabView           *tab_view;

  GSettings            *settings;
  GCancellable         *cancellable;
  guint                 pending_intakes;
  char                 *last_toast;
  SpSampleView         *watched_view;
};

G_DEFINE_FINAL_TYPE (SpWindow, sp_window, ADW_TYPE_APPLICATION_WINDOW)

static void
intake_entry_clear (IntakeEntry *entry)
{
  g_clear_object (&entry->file);
}

static void
intake_data_free (IntakeData *data)
{
  g_ptr_array_unref (data->files);
  g_array_unref (data->entries);
  g_ptr_array_unref (data->messages);
  g_free (data);
}

static gboolean
is_json_report (const char *head,
                gsize       length)
{
  gsize i = 0;

  /* A UTF-8 BOM, then blanks, then an object (or the array of objects that
   * specimen-cli writes) that names our schema early. */
  if (length >= 3 && memcmp (head, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (head[i]))
    i++;
  if (i < length && head[i] == '[')
    {
      i++;
      while (i < length && g_ascii_isspace (head[i]))
        i++;
    }
  if (i >= length || head[i] != '{')
    return FALSE;
  return g_strstr_len (head, length, "\"" SP_REPORT_SCHEMA "\"") != NULL;
}

static IntakeKind
sniff_file (GFile        *file,
            GCancellable *cancellable)
{
  g_autoptr(GFileInputStream) input = NULL;
  char head[SNIFF_BYTES];
  gsize length = 0;

  input = g_file_read (file, cancellable, NULL);
  if (input == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (input), head, sizeof head, &length,
                                   cancellable, NULL))
    return INTAKE_SAMPLE;   /* the analysis will explain what is wrong */

  if (length >= 8 && memcmp (head, "SPECIMEN", 8) == 0)
    return INTAKE_ENCRYPTED_REPORT;
  if (is_json_report (head, length))
    return INTAKE_JSON_REPORT;
  return INTAKE_SAMPLE;
}

static void
add_entry (IntakeData *data,
           GFile      *file,
           IntakeKind  kind)
{
  IntakeEntry entry = { g_object_ref (file), kind };

  g_array_append_val (data->entries, entry);
}

static int
compare_basenames (gconstpointer a,
                   gconstpointer b)
{
  g_autofree char *name_a = g_file_get_basename (*(GFile * const *) a);
  g_autofree char *name_b = g_file_get_basename (*(GFile * const *) b);

  return g_strcmp0 (name_a, name_b);
}

/* Depth-first, sorted by name so tabs come in a predictable order. */
static void
walk_folder (IntakeData   *data,
             GFile        *folder,
             guint         depth,
             guint        *added,
             gboolean     *capped,
             GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);

  if (depth > MAX_FOLDER_DEPTH || *capped)
    return;
  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (enumerator == NULL)
    return;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, NULL) || info == NULL)
        break;
      /* Symlinks are skipped: they can loop, or lead outside the folder. */
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR
          || g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_object_set_data (G_OBJECT (child), "sp-is-dir",
                             GINT_TO_POINTER (g_file_info_get_file_type (info)
                                              == G_FILE_TYPE_DIRECTORY));
          g_ptr_array_add (children, g_object_ref (child));
        }
      if (children->len > 100000)
        break;
    }

  g_ptr_array_sort (children, compare_basenames);
  for (guint i = 0; i < children->len && !*capped; i++)
    {
      GFile *child = g_ptr_array_index (children, i);

      if (g_object_get_data (G_OBJECT (child), "sp-is-dir"))
        walk_folder (data, child, depth + 1, added, capped, cancellable);
      else if (*added >= SP_WINDOW_MAX_FOLDER_FILES)
        *capped = TRUE;
      else
        {
          add_entry (data, child, sniff_file (child, cancellable));
          (*added)++;
        }
    }
}

static void
intake_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  IntakeData *data = task_data;

  for (guint i = 0; i < data->files->len; i++)
    {
      GFile *file = g_ptr_array_index (data->files, i);
      GFileType type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, cancellable);

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          g_autofree char *name = g_file_get_parse_name (file);
          guint added = 0;
          gboolean capped = FALSE;

          walk_folder (data, file, 0, &added, &capped, cancellable);
          if (capped)
            g_ptr_array_add (data->messages,
                             g_strdup_printf (_("Added the first %u files from “%s”; the rest "
                                                "were left out."), added, name));
          else if (added == 0)
            g_ptr_array_add (data->messages,
                             g_strdup_printf (_("“%s” holds no regular files to analyse."),
                                              name));
          else
            g_ptr_array_add (data->messages,
                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "Added %u file from “%s”",
                                                           "Added %u files from “%s”", added),
                                              added, name));
        }
      else if (type == G_FILE_TYPE_REGULAR)
        add_entry (data, file, sniff_file (file, cancellable));
      else
        add_entry (data, file, INTAKE_SAMPLE);
    }
  g_task_return_boolean (task, TRUE);
}

static void
get_analysis_options (SpWindow          *self,
                      SpAnalysisOptions *options)
{
  sp_analysis_options_init (options);
  options->min_string_length = g_settings_get_uint (self->settings, "min-string-length");
  options->unicode_strings = g_settings_get_boolean (self->settings, "unicode-strings");
}

static void
on_view_failed (SpSampleView *view,
                const char   *message,
                SpWindow     *self)
{
  sp_window_add_toast (self, message);
}

static AdwTabPage *
add_view (SpWindow     *self,
          SpSampleView *view)
{
  AdwTabPage *page = adw_tab_view_append (self->tab_view, GTK_WIDGET (view));
  const char *tooltip = sp_sample_view_get_tooltip (view);

  g_object_bind_property (view, "title", page, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (view, "busy", page, "loading", G_BINDING_SYNC_CREATE);
  if (tooltip != NULL)
    {
      /* The tab tooltip is markup; a path is not. */
      g_autofree char *escaped = g_markup_escape_text (tooltip, -1);

      adw_tab_page_set_tooltip (page, escaped);
    }
  g_signal_connect_object (view, "failed", G_CALLBACK (on_view_failed), self, 0);
  return page;
}

static void
on_intake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpWindow *self = SP_WINDOW (source);
  IntakeData *data = g_task_get_task_data (G_TASK (result));
  AdwTabPage *first = NULL;
  SpAnalysisOptions options;

  self->pending_intakes--;
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  get_analysis_options (self, &options);
  for (guint i = 0; i < data->entries->len; i++)
    {
      IntakeEntry *entry = &g_array_index (data->entries, IntakeEntry, i);
      SpSampleView *view = sp_sample_view_new (entry->file);
      AdwTabPage *page = add_view (self, view);

      if (first == NULL)
        first = page;
      switch (entry->kind)
        {
        case INTAKE_JSON_REPORT:
          sp_sample_view_load_report_file (view);
          break;
        case INTAKE_ENCRYPTED_REPORT:
          /* Select it first: the password dialog should sit over its own tab. */
          adw_tab_view_set_selected_page (self->tab_view, page);
          sp_sample_view_open_encrypted (view);
          break;
        case INTAKE_SAMPLE:
        default:
          sp_sample_view_analyze (view, &options);
          break;
        }
    }
  if (first != NULL)
    adw_tab_view_set_selected_page (self->tab_view, first);
  for (guint i = 0; i < data->messages->len; i++)
    sp_window_add_toast (self, g_ptr_array_index (data->messages, i));
}

void
sp_window_open_files (SpWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_autoptr(GTask) task = NULL;
  IntakeData *data;

  g_return_if_fail (SP_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  data = g_new0 (IntakeData, 1);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (data->files, g_object_ref (files[i]));
  data->entries = g_array_new (FALSE, TRUE, sizeof (IntakeEntry));
  g_array_set_clear_func (data->entries, (GDestroyNotify) intake_entry_clear);
  data->messages = g_ptr_array_new_with_free_func (g_free);

  self->pending_intakes++;
  task = g_task_new (self, self->cancellable, on_intake_done, NULL);
  g_task_set_source_tag (task, sp_window_open_files);
  g_task_set_task_data (task, data, (GDestroyNotify) intake_data_free);
  g_task_run_in_thread (task, intake_thread);
}

SpSampleView *
sp_window_open_report (SpWindow *self,
                       SpReport *report)
{
  SpSampleView *view;
  AdwTabPage *page;

  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (SP_IS_REPORT (report), NULL);

  view = sp_sample_view_new (NULL);
  page = add_view (self, view);
  sp_sample_view_set_report (view, report);
  adw_tab_view_set_selected_page (self->tab_view, page);
  return view;
}

/* Drop target */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SpWindow      *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  gtk_widget_remove_css_class (self->drop_area, "sp-drop-highlight");
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  sp_window_open_files (self, (GFile **) files->pdata, files->len);
  g_slist_free (list);
  return files->len > 0;
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               SpWindow      *self)
{
  gtk_widget_add_css_class (self->drop_area, "sp-drop-highlight");
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               SpWindow      *self)
{
  gtk_widget_remove_css_class (self->drop_area, "sp-drop-highlight");
}

/* Tabs */

static gboolean
on_tab_view_close_page (AdwTabView *view,
                        AdwTabPage *page,
                        SpWindow   *self)
{
  GtkWidget *child = adw_tab_page_get_child (page);

  if (SP_IS_SAMPLE_VIEW (child))
    sp_sample_view_cancel (SP_SAMPLE_VIEW (child));
  adw_tab_view_close_page_finish (view, page, TRUE);
  return GDK_EVENT_STOP;
}

static void
update_actions (SpWindow *self)
{
  SpSampleView *view = sp_window_get_current_view (self);
  gboolean done = view != NULL && sp_sample_view_get_state (view) == SP_SAMPLE_VIEW_DONE;
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", view != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find", done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-tab", n_pages > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-tab", n_pages > 1);

  if (view != NULL)
    {
      /* Translators: the window title, "sample.exe — Specimen" */
      g_autofree char *title = g_strdup_printf (_("%s — Specimen"), sp_sample_view_get_title (view));

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Specimen"));
}

static void
on_tab_view_n_pages_changed (AdwTabView *view,
                             GParamSpec *pspec,
                             SpWindow   *self)
{
  gboolean empty = adw_tab_view_get_n_pages (view) == 0;

  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), empty ? "empty" : "tabs");
  gtk_widget_set_visible (self->tab_bar, !empty);
  update_actions (self);
}

static void
on_tab_view_selected_page_changed (AdwTabView *view,
                                   GParamSpec *pspec,
                                   SpWindow   *self)
{
  SpSampleView *current = sp_window_get_current_view (self);

  if (self->watched_view != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_view, update_actions, self);
  g_set_weak_pointer (&self->watched_view, current);
  if (current != NULL)
    g_signal_connect_object (current, "notify::state", G_CALLBACK (update_actions), self,
                             G_CONNECT_SWAPPED);
  update_actions (self);
}

/* Actions */

static void
on_open_response (GtkNativeDialog *chooser,
                  int              response,
                  SpWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      sp_window_open_files (self, (GFile **) array->pdata, array->len);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Files to Inspect"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpSampleView *view = sp_window_get_current_view (SP_WINDOW (widget));

  if (view != NULL)
    sp_sample_view_focus_search (view);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpSampleView *view = sp_window_get_current_view (SP_WINDOW (widget));
  SpReport *report = view ? sp_sample_view_get_report (view) : NULL;

  if (report == NULL)
    return;
#ifdef HAVE_SP_EXPORT_DIALOG
  sp_export_dialog_present (GTK_WINDOW (widget), report);
#else
  sp_window_add_toast (SP_WINDOW (widget), _("This build of Specimen cannot export reports."));
#endif
}

static void
previous_tab_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AdwTabView *tab_view = SP_WINDOW (widget)->tab_view;
  int n_pages = adw_tab_view_get_n_pages (tab_view);

  /* Wrap around, like the tab bar's own shortcuts. */
  if (!adw_tab_view_select_previous_page (tab_view) && n_pages > 1)
    adw_tab_view_set_selected_page (tab_view, adw_tab_view_get_nth_page (tab_view, n_pages - 1));
}

static void
next_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AdwTabView *tab_view = SP_WINDOW (widget)->tab_view;

  if (!adw_tab_view_select_next_page (tab_view) && adw_tab_view_get_n_pages (tab_view) > 1)
    adw_tab_view_set_selected_page (tab_view, adw_tab_view_get_nth_page (tab_view, 0));
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  sp_window_add_toast (SP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Window size */

static void
save_window_state (SpWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
sp_window_close_request (GtkWindow *window)
{
  SpWindow *self = SP_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sp_window_parent_class)->close_request (window);
}

static void
sp_window_dispose (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->watched_view != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_view, update_actions, self);
  g_clear_weak_pointer (&self->watched_view);
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_WINDOW);
  G_OBJECT_CLASS (sp_window_parent_class)->dispose (object);
}

static void
sp_window_finalize (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->last_toast);
  G_OBJECT_CLASS (sp_window_parent_class)->finalize (object);
}

static void
sp_window_class_init (SpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_window_dispose;
  object_class->finalize = sp_window_finalize;
  window_class->close_request = sp_window_close_request;

  g_type_ensure (SP_TYPE_SAMPLE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/sp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, drop_area);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, tab_view);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_view_close_page);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_view_n_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_view_selected_page_changed);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.previous-tab", NULL, previous_tab_action);
  gtk_widget_class_install_action (widget_class, "win.next-tab", NULL, next_tab_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
}

static void
sp_window_init (SpWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  on_tab_view_n_pages_changed (self->tab_view, NULL, self);
}

SpWindow *
sp_window_new (GtkApplication *application)
{
  return g_object_new (SP_TYPE_WINDOW, "application", application, NULL);
}

AdwTabView *
sp_window_get_tab_view (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);
  return self->tab_view;
}

SpSampleView *
sp_window_get_current_view (SpWindow *self)
{
  AdwTabPage *page;

  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  page = adw_tab_view_get_selected_page (self->tab_view);
  if (page == NULL || !SP_IS_SAMPLE_VIEW (adw_tab_page_get_child (page)))
    return NULL;
  return SP_SAMPLE_VIEW (adw_tab_page_get_child (page));
}

guint
sp_window_get_pending_intakes (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), 0);
  return self->pending_intakes;
}

void
sp_window_add_toast (SpWindow   *self,
                     const char *message)
{
  /* Toast titles are markup; messages name files. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_return_if_fail (SP_IS_WINDOW (self));

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

const char *
sp_window_get_last_toast (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);
  return self->last_toast;
}

GtkWidget *
sp_window_get_drop_area (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);
  return self->drop_area;
}
