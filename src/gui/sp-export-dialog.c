/* sp-export-dialog.c: save the current report in one of six formats, optionally encrypted
 *
 * The file is chosen with the native chooser (which asks before replacing a
 * file) and written on a GTask thread: streamed through sp_save_file for
 * plain formats, or built in memory and sealed with SpCrypto when encrypted.
 * Either way a failed or cancelled export leaves no new file behind.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-export-dialog"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sp-crypto.h"
#include "sp-export-dialog.h"
#include "sp-gui-util.h"
#include "sp-report-csv.h"
#include "sp-save.h"

struct _SpExportDialog
{
  AdwWindow       parent_instance;

  SpReport       *report;
  GCancellable   *cancellable;
  GWeakRef        parent;
  GtkFileChooserNative *chooser;
  char           *last_error;
  gboolean        busy;
  gboolean        closed;

  GtkWidget      *page;
  AdwComboRow    *format_row;
  GtkWidget      *strings_group;
  AdwComboRow    *strings_row;
  GtkWidget      *max_strings_row;
  GtkSpinButton  *max_strings_spin;
  AdwExpanderRow *encrypt_row;
  GtkWidget      *password_row;
  GtkWidget      *confirm_row;
  AdwActionRow   *strength_row;
  GtkLevelBar    *strength_bar;
  GtkWidget      *spinner;
  GtkWidget      *export_button;
};

G_DEFINE_FINAL_TYPE (SpExportDialog, sp_export_dialog, ADW_TYPE_WINDOW)

enum
{
  STRINGS_ALL,
  STRINGS_FIRST,
  STRINGS_NONE,
};

typedef struct
{
  SpReport        *report;
  GFile           *file;
  SpExportKind     kind;
  SpReportOptions  options;
  SpCryptoKey     *key;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_clear_object (&job->report);
  g_clear_object (&job->file);
  g_clear_pointer (&job->key, sp_crypto_key_free);
  g_free (job);
}

/**
 * sp_password_strength:
 * @password: a password (UTF-8)
 * @hint: (out) (optional): a short translated description
 *
 * A rough estimate for the hint under the password field, not a policy:
 * length times the bits of the character classes used, with repeated
 * characters counting little.
 *
 * Returns: 0 (very weak) to 4 (strong)
 */
guint
sp_password_strength (const char  *password,
                      const char **hint)
{
  static const char *hints[] = {
    N_("Very weak: anyone could guess it"),
    N_("Weak: add more words or characters"),
    N_("Fair"),
    N_("Good"),
    N_("Strong"),
  };
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, symbol = FALSE, other = FALSE;
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  double pool = 0, bits;
  guint length = 0;
  guint level;
  const char *p;

  for (p = password != NULL ? password : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      length++;
      g_hash_table_add (distinct, GUINT_TO_POINTER (c));
      if (c >= 'a' && c <= 'z')
        lower = TRUE;
      else if (c >= 'A' && c <= 'Z')
        upper = TRUE;
      else if (c >= '0' && c <= '9')
        digit = TRUE;
      else if (c < 128)
        symbol = TRUE;
      else
        other = TRUE;
    }

  pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0)
         + (other ? 100 : 0);
  /* "aaaaaaaa" is not eight characters' worth of secret. */
  bits = pool > 1 ? MIN (length, 2 * g_hash_table_size (distinct)) * log2 (pool) : 0;

  if (bits < 28)
    level = 0;
  else if (bits < 40)
    level = 1;
  else if (bits < 60)
    level = 2;
  else if (bits < 80)
    level = 3;
  else
    level = 4;

  if (hint != NULL)
    *hint = _(hints[level]);

  return level;
}

static SpExportKind
get_kind (SpExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected <= SP_EXPORT_CSV_STRINGS ? (SpExportKind) selected : SP_EXPORT_TEXT;
}

static gboolean
get_encrypt (SpExportDialog *self)
{
  return adw_expander_row_get_enable_expansion (self->encrypt_row);
}

static SpReportFormat
kind_to_format (SpExportKind kind)
{
  switch (kind)
    {
    case SP_EXPORT_MARKDOWN:
      return SP_REPORT_FORMAT_MARKDOWN;
    case SP_EXPORT_JSON:
      return SP_REPORT_FORMAT_JSON;
    case SP_EXPORT_HTML:
      return SP_REPORT_FORMAT_HTML;
    case SP_EXPORT_TEXT:
    case SP_EXPORT_CSV_IOCS:
    case SP_EXPORT_CSV_STRINGS:
    default:
      return SP_REPORT_FORMAT_TEXT;
    }
}

static void
update_state (SpExportDialog *self)
{
  SpExportKind kind = get_kind (self);
  gboolean encrypt = get_encrypt (self);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  gboolean strings_matter = kind != SP_EXPORT_CSV_IOCS;
  gboolean mismatch = *confirm != '\0' && g_strcmp0 (password, confirm) != 0;
  gboolean ready = TRUE;
  const char *hint = NULL;
  guint level;

  gtk_widget_set_sensitive (self->strings_group, strings_matter && !self->busy);
  gtk_widget_set_sensitive (self->max_strings_row,
                            adw_combo_row_get_selected (self->strings_row) == STRINGS_FIRST);

  level = sp_password_strength (password, &hint);
  gtk_level_bar_set_value (self->strength_bar, *password != '\0' ? level + 1 : 0);
  if (*password == '\0')
    hint = _("Enter a password, then repeat it");
  else if (mismatch)
    hint = _("The passwords do not match");
  adw_action_row_set_subtitle (self->strength_row, hint);

  if (mismatch)
    gtk_widget_add_css_class (self->confirm_row, "error");
  else
    gtk_widget_remove_css_class (self->confirm_row, "error");

  if (encrypt && (*password == '\0' || g_strcmp0 (password, confirm) != 0))
    ready = FALSE;
  if (self->busy)
    ready = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save", ready);
  gtk_widget_set_sensitive (self->page, !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
}

static void
on_options_changed (SpExportDialog *self)
{
  update_state (self);
}

static void
on_confirm_activated (SpExportDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "export.save", NULL);
}

/* Writes @job's table or report to @output. */
static gboolean
write_export (SaveJob        *job,
              GOutputStream  *output,
              GCancellable   *cancellable,
              GError        **error)
{
  switch (job->kind)
    {
    case SP_EXPORT_CSV_IOCS:
      return sp_report_csv_write (job->report, SP_REPORT_CSV_IOCS, &job->options, output,
                                  cancellable, error);
    case SP_EXPORT_CSV_STRINGS:
      return sp_report_csv_write (job->report, SP_REPORT_CSV_STRINGS, &job->options, output,
                                  cancellable, error);
    case SP_EXPORT_TEXT:
    case SP_EXPORT_MARKDOWN:
    case SP_EXPORT_JSON:
    case SP_EXPORT_HTML:
    default:
      return sp_report_write (job->report, kind_to_format (job->kind), &job->options, output,
                              cancellable, error);
    }
}

static gboolean
write_export_to (GOutputStream  *output,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return write_export (user_data, output, cancellable, error);
}

/* Streams to @job->file; a failure never leaves a partial file (see sp-save.h). */
static gboolean
save_plain (SaveJob       *job,
            GCancellable  *cancellable,
            GError       **error)
{
  return sp_save_file (job->file, SP_SAVE_REPLACE, write_export_to, job, cancellable, error);
}

static gboolean
save_encrypted (SaveJob       *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GBytes) container = NULL;

  if (!write_export (job, memory, cancellable, error)
      || !g_output_stream_close (memory, cancellable, error))
    return FALSE;
  plaintext = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  container = sp_crypto_encrypt (plaintext, job->key,
                                 job->kind == SP_EXPORT_JSON ? SP_PAYLOAD_JSON_REPORT
                                                             : SP_PAYLOAD_OTHER,
                                 error);
  if (container == NULL)
    return FALSE;
  /* Argon2id cannot be interrupted; honour a cancel that came meanwhile. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return sp_crypto_replace_file (job->file, container, FALSE, cancellable, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = job->key != NULL ? save_encrypted (job, cancellable, &error)
                        : save_plain (job, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
show_error (SpExportDialog *self,
            const char     *message)
{
  AdwMessageDialog *alert;

  alert = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Export Failed"),
                                                      NULL));
  adw_message_dialog_set_body (alert, message);
  adw_message_dialog_add_response (alert, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (alert));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpExportDialog) self = user_data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&self->parent);
  g_autoptr(GError) error = NULL;
  GFile *file = g_task_get_task_data (G_TASK (result))
                ? ((SaveJob *) g_task_get_task_data (G_TASK (result)))->file : NULL;
  g_autofree char *name = file != NULL ? g_file_get_parse_name (file) : NULL;
  g_autofree char *message = NULL;

  self->busy = FALSE;
  g_clear_pointer (&self->last_error, g_free);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      message = g_strdup_printf (_("Exported the report to “%s”"), name);
      if (parent != NULL)
        sp_widget_toast (GTK_WIDGET (parent), message);
      if (!self->closed)
        gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!self->closed)
        update_state (self);
      return;
    }

  self->last_error = g_strdup_printf (_("Could not export the report to “%s”: %s"), name,
                                      error->message);
  if (self->closed)
    {
      if (parent != NULL)
        sp_widget_toast (GTK_WIDGET (parent), self->last_error);
      return;
    }
  update_state (self);
  show_error (self, self->last_error);
}

/**
 * sp_export_dialog_export_to_file:
 * @self: the dialog
 * @file: destination (already confirmed by the user if it exists)
 *
 * Starts saving with the options shown in the dialog. On success the dialog
 * closes and the parent window shows a toast; on failure an alert explains.
 */
void
sp_export_dialog_export_to_file (SpExportDialog *self,
                                 GFile          *file)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SaveJob *job;

  g_return_if_fail (SP_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->busy);

  job = g_new0 (SaveJob, 1);
  job->report = g_object_ref (self->report);
  job->file = g_object_ref (file);
  job->kind = get_kind (self);
  sp_report_options_init (&job->options);
  switch (adw_combo_row_get_selected (self->strings_row))
    {
    case STRINGS_NONE:
      job->options.max_strings = 0;
      break;
    case STRINGS_FIRST:
      job->options.max_strings = gtk_spin_button_get_value_as_int (self->max_strings_spin);
      break;
    case STRINGS_ALL:
    default:
      job->options.max_strings = -1;
      break;
    }

  if (get_encrypt (self))
    {
      const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

      /* Copied straight into libsodium's locked memory; the entry's own buffer is GTK's
       * secure password buffer. */
      job->key = sp_crypto_key_new_from_password (password, strlen (password), &error);
      if (job->key == NULL)
        {
          save_job_free (job);
          g_clear_pointer (&self->last_error, g_free);
          self->last_error = g_strdup (error->message);
          show_error (self, self->last_error);
          return;
        }
    }

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  update_state (self);

  task = g_task_new (self, self->cancellable, on_saved, g_object_ref (self));
  g_task_set_source_tag (task, sp_export_dialog_export_to_file);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static char *
suggested_name (SpExportDialog *self)
{
  g_autofree char *base = g_strdup (sp_report_get_title (self->report));
  SpExportKind kind = get_kind (self);
  const char *ext;
  char *name;

  /* The title comes from the sample: keep it a plain file name. */
  g_strdelimit (base, "/\\:", '_');
  if (base[0] == '.' || base[0] == '\0')
    {
      g_free (base);
      base = g_strdup ("report");
    }

  if (kind == SP_EXPORT_CSV_IOCS)
    name = g_strconcat (base, "-indicators.csv", NULL);
  else if (kind == SP_EXPORT_CSV_STRINGS)
    name = g_strconcat (base, "-strings.csv", NULL);
  else
    {
      ext = sp_report_format_extension (kind_to_format (kind));
      name = g_strconcat (base, "-report.", ext, NULL);
    }

  if (get_encrypt (self))
    {
      char *sealed = g_strconcat (name, ".specimen", NULL);

      g_free (name);
      name = sealed;
    }

  return name;
}

static void
on_file_chosen (GFile    *file,
                gpointer  user_data)
{
  SpExportDialog *self = SP_EXPORT_DIALOG (user_data);

  self->chooser = NULL;
  if (file != NULL && !self->closed)
    sp_export_dialog_export_to_file (self, file);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpExportDialog *self = SP_EXPORT_DIALOG (widget);
  g_autofree char *name = NULL;

  if (self->busy || self->chooser != NULL)
    return;

  name = suggested_name (self);
  /* The dialog destroys the chooser when it closes, so it needs no reference. */
  self->chooser = sp_choose_save_file (widget, _("Export Report"), _("_Export"),
                                       get_encrypt (self) ? _("Encrypted Specimen reports")
                                                          : _("Reports"),
                                       strrchr (name, '.') + 1, name, on_file_chosen, self, NULL);
}

/* The dialog is going: cancel a running save and take an open chooser down. */
static void
stop (SpExportDialog *self)
{
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      self->chooser = NULL;
    }
}

static gboolean
on_close_request (GtkWindow *window)
{
  stop (SP_EXPORT_DIALOG (window));
  return FALSE;
}

static void
sp_export_dialog_dispose (GObject *object)
{
  SpExportDialog *self = SP_EXPORT_DIALOG (object);

  stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (sp_export_dialog_parent_class)->dispose (object);
}

static void
sp_export_dialog_finalize (GObject *object)
{
  SpExportDialog *self = SP_EXPORT_DIALOG (object);

  g_clear_object (&self->report);
  g_clear_object (&self->cancellable);
  g_weak_ref_clear (&self->parent);
  g_free (self->last_error);

  G_OBJECT_CLASS (sp_export_dialog_parent_class)->finalize (object);
}

static void
sp_export_dialog_class_init (SpExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_export_dialog_dispose;
  object_class->finalize = sp_export_dialog_finalize;
  window_class->close_request = on_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/"
                                               "sp-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, strings_group);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, strings_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, max_strings_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, max_strings_spin);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, encrypt_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, strength_row);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpExportDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_options_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_activated);

  gtk_widget_class_install_action (widget_class, "export.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "export.save", NULL);
}

static void
sp_export_dialog_init (SpExportDialog *self)
{
  g_weak_ref_init (&self->parent, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_LOW, 2);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 4);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_FULL, 5);
}

/**
 * sp_export_dialog_new:
 * @parent: (nullable): the window the report belongs to
 * @report: the report to export
 *
 * Returns: (transfer none): a new, not yet shown, dialog owned by GTK's toplevel list
 */
SpExportDialog *
sp_export_dialog_new (GtkWindow *parent,
                      SpReport  *report)
{
  SpExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SP_IS_REPORT (report), NULL);

  self = g_object_new (SP_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->report = g_object_ref (report);
  g_weak_ref_set (&self->parent, parent);
  /* A reopened JSON report is the most useful default; it keeps every field. */
  adw_combo_row_set_selected (self->format_row, SP_EXPORT_JSON);
  update_state (self);

  return self;
}

/**
 * sp_export_dialog_present:
 * @parent: (nullable): the window the report belongs to
 * @report: the report to export
 *
 * Shows the Export dialog (Ctrl+E) for @report.
 */
void
sp_export_dialog_present (GtkWindow *parent,
                          SpReport  *report)
{
  gtk_window_present (GTK_WINDOW (sp_export_dialog_new (parent, report)));
}

/**
 * sp_export_dialog_get_busy:
 * @self: the dialog
 *
 * Returns: %TRUE while a save runs
 */
gboolean
sp_export_dialog_get_busy (SpExportDialog *self)
{
  g_return_val_if_fail (SP_IS_EXPORT_DIALOG (self), FALSE);
  return self->busy;
}

/**
 * sp_export_dialog_get_last_error:
 * @self: the dialog
 *
 * Returns: (nullable): the message of the last failed export
 */
const char *
sp_export_dialog_get_last_error (SpExportDialog *self)
{
  g_return_val_if_fail (SP_IS_EXPORT_DIALOG (self), NULL);
  return self->last_error;
}
