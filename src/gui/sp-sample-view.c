/* sp-sample-view.c: the content of one tab, for a running analysis or a finished report
 *
 * A view starts from a file (and runs the analysis, loads a JSON report or
 * asks for a password) or is handed a finished SpReport; either way the same
 * pages show the result. Progress comes from the worker thread into a job
 * record under a mutex; one low-priority timeout on the main thread reads it
 * every 150 ms, so the worker never touches a widget.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-sample-view"

#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-hashes-page.h"
#include "sp-headers-page.h"
#include "sp-indicators-page.h"
#include "sp-overview-page.h"
#include "sp-sample-view.h"
#include "sp-strings-page.h"
#ifdef HAVE_SP_IMAGE_PAGE
#include "sp-image-page.h"
#endif
#ifdef HAVE_SP_PASSWORD_DIALOG
#include "sp-password-dialog.h"
#endif

#define PROGRESS_INTERVAL_MS 150
/* Below this size a speed and a time estimate are noise. */
#define SHOW_SPEED_FROM_BYTES (32 * 1024 * 1024)
/* Reports bigger than this are refused rather than parsed in memory. */
#define MAX_REPORT_BYTES ((gsize) 2 * 1024 * 1024 * 1024 - 1)

/* Shared by the view and its worker; lives until both are done with it. */
typedef struct
{
  GMutex   lock;
  guint64  done;
  guint64  total;
  GWeakRef view;
} Job;

struct _SpSampleView
{
  GtkWidget          parent_instance;

  GtkWidget         *stack;
  GtkWidget         *progress_status;
  GtkWidget         *progress_bar;
  GtkWidget         *progress_label;
  GtkWidget         *cancel_button;
  GtkWidget         *error_status;
  GtkWidget         *banner;
  GtkWidget         *banner_label;
  GtkWidget         *switcher;
  GtkWidget         *view_stack;
  GtkWidget         *overview_page;
  GtkWidget         *hashes_page;
  GtkWidget         *strings_page;
  GtkWidget         *indicators_page;
  GtkWidget         *headers_page;
  AdwViewStackPage  *headers_stack_page;
  GtkWidget         *image_page;
  GtkWidget         *retry_button;

  GFile             *file;
  char              *title;
  char              *tooltip;
  SpReport          *report;
  SpAnalysisOptions  options;
  SpSampleViewState  state;
  double             fraction;
  char              *error_message;
  GCancellable      *cancellable;
  Job               *job;
  guint              progress_source;
  gint64             started_at;
  GSettings         *settings;
  gboolean           retry_is_password;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_TOOLTIP,
  PROP_STATE,
  PROP_BUSY,
  PROP_FRACTION,
  N_PROPS
};

enum {
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SpSampleView, sp_sample_view, GTK_TYPE_WIDGET)

static Job *
job_new (SpSampleView *view)
{
  Job *job = g_atomic_rc_box_new0 (Job);

  g_mutex_init (&job->lock);
  g_weak_ref_init (&job->view, view);
  return job;
}

static void
job_clear (Job *job)
{
  g_mutex_clear (&job->lock);
  g_weak_ref_clear (&job->view);
}

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
}

/* Worker thread: store only. */
static void
job_progress (guint64  done,
              guint64  total,
              gpointer user_data)
{
  Job *job = user_data;

  g_mutex_lock (&job->lock);
  job->done = done;
  job->total = total;
  g_mutex_unlock (&job->lock);
}

static void
set_state (SpSampleView      *self,
           SpSampleViewState  state)
{
  gboolean was_busy = sp_sample_view_get_busy (self);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_busy != sp_sample_view_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
stop_progress (SpSampleView *self)
{
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->job, job_unref);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  SpSampleView *self = user_data;
  guint64 done;
  guint64 total;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;
  double elapsed;

  if (self->job == NULL)
    return G_SOURCE_CONTINUE;

  g_mutex_lock (&self->job->lock);
  done = self->job->done;
  total = self->job->total;
  g_mutex_unlock (&self->job->lock);

  self->fraction = total > 0 ? CLAMP ((double) done / (double) total, 0.0, 1.0) : 0.0;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), self->fraction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);

  done_text = g_format_size_full (done, G_FORMAT_SIZE_IEC_UNITS);
  total_text = g_format_size_full (total, G_FORMAT_SIZE_IEC_UNITS);
  elapsed = (g_get_monotonic_time () - self->started_at) / (double) G_USEC_PER_SEC;
  if (total >= SHOW_SPEED_FROM_BYTES && elapsed > 0.5 && done > 0)
    {
      double speed = done / elapsed;
      g_autofree char *speed_text = g_format_size_full ((guint64) speed, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *left_text = sp_format_duration ((total - done) / speed);

      /* Translators: "1.2 GB of 4.0 GB · 450 MB/s · 6 s left" */
      text = g_strdup_printf (_("%s of %s · %s/s · %s left"), done_text, total_text, speed_text,
                              left_text);
    }
  else
    /* Translators: "12 kB of 40 kB" */
    text = g_strdup_printf (_("%s of %s"), done_text, total_text);
  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
  return G_SOURCE_CONTINUE;
}

static void
start_progress (SpSampleView *self,
                const char   *title)
{
  stop_progress (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->job = job_new (self);
  self->started_at = g_get_monotonic_time ();
  self->fraction = 0.0;

  adw_status_page_set_title (ADW_STATUS_PAGE (self->progress_status), title);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
  gtk_label_set_text (GTK_LABEL (self->progress_label), "");
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "progress");
  /* One coalescing timer per job. It runs at default priority on purpose:
   * at G_PRIORITY_LOW or DEFAULT_IDLE it starved for the whole analysis
   * behind continuous redraws (the tab's spinner) with software rendering,
   * and a 150 ms timer cannot flood the loop anyway. */
  self->progress_source = g_timeout_add_full (G_PRIORITY_DEFAULT, PROGRESS_INTERVAL_MS,
                                              on_progress_tick, self, NULL);
  set_state (self, SP_SAMPLE_VIEW_RUNNING);
}

static void
show_status (SpSampleView      *self,
             SpSampleViewState  state,
             const char        *icon_name,
             const char        *title,
             const char        *message,
             const char        *retry_label)
{
  /* The status page description is markup; the message names a file. */
  g_autofree char *escaped = message ? g_markup_escape_text (message, -1) : NULL;

  stop_progress (self);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_status), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_status), escaped);
  gtk_widget_set_visible (self->retry_button, retry_label != NULL);
  if (retry_label != NULL)
    gtk_button_set_label (GTK_BUTTON (self->retry_button), retry_label);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
  set_state (self, state);
}

void
sp_sample_view_show_error (SpSampleView *self,
                           const GError *error)
{
  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A cancelled job shows nothing but its state. */
      show_status (self, SP_SAMPLE_VIEW_CANCELLED, "process-stop-symbolic",
                   _("Analysis Cancelled"), NULL,
                   self->file && !self->retry_is_password ? _("_Analyse Again") : NULL);
      return;
    }

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  show_status (self, SP_SAMPLE_VIEW_FAILED, "dialog-error-symbolic",
               self->retry_is_password ? _("Could Not Open the Report")
                                       : _("Could Not Analyse the File"),
               error->message,
               self->retry_is_password ? _("_Try Another Password") : NULL);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
}

static void
set_title_from_file (SpSampleView *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *parse_name = NULL;

  if (self->file == NULL)
    return;
  basename = g_file_get_basename (self->file);
  parse_name = g_file_get_parse_name (self->file);
  g_free (self->title);
  /* File names need not be UTF-8. */
  self->title = g_filename_display_name (basename ? basename : parse_name);
  g_free (self->tooltip);
  self->tooltip = g_steal_pointer (&parse_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
}

/* Analysis */

/* Shows what a job produced, unless the view has gone or started another
 * job since; takes the job's reference. */
static void
job_finish (Job          *job,
            SpReport     *report,
            const GError *error)
{
  g_autoptr(SpSampleView) self = g_weak_ref_get (&job->view);

  if (self != NULL && self->job == job)
    {
      if (report != NULL)
        sp_sample_view_set_report (self, report);
      else
        sp_sample_view_show_error (self, error);
    }
  job_unref (job);
}

static void
on_analysis_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = sp_analyze_path_finish (result, &error);
  job_finish (user_data, report, error);
}

void
sp_sample_view_analyze (SpSampleView            *self,
                        const SpAnalysisOptions *options)
{
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  g_return_if_fail (self->file != NULL);
  g_return_if_fail (self->report == NULL);

  if (options != NULL)
    self->options = *options;
  self->retry_is_password = FALSE;

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = g_file_get_uri (self->file);

      error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("“%s” is not a local file; copy it to a local folder first."),
                           uri);
      sp_sample_view_show_error (self, error);
      return;
    }

  title = g_strdup_printf (_("Analysing “%s”…"), self->title);
  start_progress (self, title);
  sp_analyze_path_async (path, &self->options, self->cancellable, job_progress, self->job,
                         on_analysis_done, job_ref (self->job));
}

/* JSON reports */

static void
load_report_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  GError *error = NULL;
  gsize length = 0;
  goffset size;
  SpReport *report;

  input = g_file_read (file, cancellable, &error);
  if (input == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable,
                                         &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  size = g_file_info_get_size (info);
  if (size < 0 || (guint64) size > MAX_REPORT_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The report “%s” is too large to open."), name);
      return;
    }
  data = g_malloc ((gsize) size + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (input), data, (gsize) size, &length, cancellable,
                                &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data[length] = '\0';

  report = sp_report_load_json (data, length, &error);
  if (report == NULL)
    {
      g_prefix_error (&error, _("Could not read the report “%s”: "), name);
      g_task_return_error (task, error);
      return;
    }
  sp_report_set_origin (report, SP_REPORT_ORIGIN_FILE);
  g_task_return_pointer (task, report, g_object_unref);
}

static void
on_report_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = g_task_propagate_pointer (G_TASK (result), &error);
  job_finish (user_data, report, error);
}

void
sp_sample_view_load_report_file (SpSampleView *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  g_return_if_fail (self->file != NULL);

  title = g_strdup_printf (_("Opening the report “%s”…"), self->title);
  start_progress (self, title);
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress_bar));
  task = g_task_new (NULL, self->cancellable, on_report_loaded, job_ref (self->job));
  g_task_set_source_tag (task, sp_sample_view_load_report_file);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, load_report_thread);
}

/* Encrypted reports */

#ifdef HAVE_SP_PASSWORD_DIALOG
static void
on_password_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(SpSampleView) self = g_weak_ref_get (&job->view);
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = sp_password_dialog_request_finish (result, &error);
  if (self != NULL && self->job == job)
    {
      if (report != NULL)
        {
          sp_report_set_origin (report, SP_REPORT_ORIGIN_ENCRYPTED_FILE);
          sp_sample_view_set_report (self, report);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, SP_SAMPLE_VIEW_CANCELLED, "dialog-password-symbolic",
                     _("Encrypted Report"),
                     _("The report stays locked until you enter its password."),
                     _("_Enter Password…"));
      else
        sp_sample_view_show_error (self, error);
    }
  job_unref (job);
}
#endif

void
sp_sample_view_open_encrypted (SpSampleView *self)
{
  GtkRoot *root;

  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  g_return_if_fail (self->file != NULL);

  self->retry_is_password = TRUE;
  root = gtk_widget_get_root (GTK_WIDGET (self));
#ifdef HAVE_SP_PASSWORD_DIALOG
  {
    g_autofree char *title = g_strdup_printf (_("Waiting for the password of “%s”…"),
                                              self->title);

    start_progress (self, title);
    gtk_widget_set_visible (self->cancel_button, FALSE);
    set_state (self, SP_SAMPLE_VIEW_WAITING);
    sp_password_dialog_request_async (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                      self->file, self->cancellable, on_password_done,
                                      job_ref (self->job));
  }
#else
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = g_file_get_parse_name (self->file);

    (void) root;
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("“%s” is an encrypted Specimen report, and this build cannot "
                           "decrypt reports."), name);
    sp_sample_view_show_error (self, error);
  }
#endif
}

static void
on_retry_clicked (SpSampleView *self)
{
  if (self->retry_is_password)
    sp_sample_view_open_encrypted (self);
  else
    sp_sample_view_analyze (self, NULL);
}

static void
on_cancel_clicked (SpSampleView *self)
{
  sp_sample_view_cancel (self);
}

void
sp_sample_view_cancel (SpSampleView *self)
{
  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Finished report */

/* AdwViewSwitcher 1.2 buttons show their page title but do not name
 * themselves to assistive technologies; give each its title as its label. */
static void
label_switcher_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child)
          && g_object_class_find_property (G_OBJECT_GET_CLASS (child), "label") != NULL)
        {
          g_autofree char *label = NULL;

          g_object_get (child, "label", &label, NULL);
          if (label != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                            -1);
        }
      label_switcher_buttons (child);
    }
}

static void
on_max_rows_changed (SpSampleView *self)
{
  sp_strings_page_set_max_rows (SP_STRINGS_PAGE (self->strings_page),
                                g_settings_get_uint (self->settings, "max-rows-shown"));
}

void
sp_sample_view_set_report (SpSampleView *self,
                           SpReport     *report)
{
  g_autofree char *sample_path = NULL;
  SpReportOrigin origin;

  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  g_return_if_fail (SP_IS_REPORT (report));
  g_return_if_fail (self->report == NULL);

  stop_progress (self);
  self->report = g_object_ref (report);
  origin = sp_report_get_origin (report);

  if (self->file == NULL)
    {
      const char *title = sp_report_get_title (report);

      g_free (self->title);
      self->title = g_strdup (title ? title : _("Report"));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }

  if (origin != SP_REPORT_ORIGIN_ANALYSIS)
    {
      const char *name = self->title;
      g_autofree char *text = NULL;

      if (origin == SP_REPORT_ORIGIN_ENCRYPTED_FILE)
        text = g_strdup_printf (_("From report, encrypted: “%s” was decrypted and is shown "
                                  "read-only; the sample itself was not read."), name);
      else
        text = g_strdup_printf (_("From report: “%s” is shown read-only; the sample itself was "
                                  "not read."), name);
      gtk_label_set_text (GTK_LABEL (self->banner_label), text);
      gtk_widget_set_visible (self->banner, TRUE);
    }
  else if (self->file != NULL)
    sample_path = g_file_get_path (self->file);

  sp_overview_page_set_report (SP_OVERVIEW_PAGE (self->overview_page), report);
  sp_hashes_page_set_report (SP_HASHES_PAGE (self->hashes_page), report);
  sp_strings_page_set_report (SP_STRINGS_PAGE (self->strings_page), report);
  on_max_rows_changed (self);
  sp_indicators_page_set_report (SP_INDICATORS_PAGE (self->indicators_page), report);
  adw_view_stack_page_set_visible (self->headers_stack_page,
                                   sp_headers_page_set_report (SP_HEADERS_PAGE (self->headers_page),
                                                               report));

#ifdef HAVE_SP_IMAGE_PAGE
  if (sp_report_get_section (report, "image") != NULL)
    {
      AdwViewStackPage *page;

      self->image_page = sp_image_page_new ();
      sp_image_page_set_report (SP_IMAGE_PAGE (self->image_page), report, sample_path);
      page = adw_view_stack_add_titled (ADW_VIEW_STACK (self->view_stack), self->image_page,
                                        "image", _("Image"));
      adw_view_stack_page_set_icon_name (page, "image-x-generic-symbolic");
    }
#endif

  label_switcher_buttons (self->switcher);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "report");
  set_state (self, SP_SAMPLE_VIEW_DONE);
}

/* GObject */

static void
sp_sample_view_dispose (GObject *object)
{
  SpSampleView *self = SP_SAMPLE_VIEW (object);

  /* Closing the tab cancels its job at once. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  stop_progress (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_SAMPLE_VIEW);
  sp_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->report);
  G_OBJECT_CLASS (sp_sample_view_parent_class)->dispose (object);
}

static void
sp_sample_view_finalize (GObject *object)
{
  SpSampleView *self = SP_SAMPLE_VIEW (object);

  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->tooltip);
  g_free (self->error_message);
  G_OBJECT_CLASS (sp_sample_view_parent_class)->finalize (object);
}

static void
sp_sample_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpSampleView *self = SP_SAMPLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_TOOLTIP:
      g_value_set_string (value, self->tooltip);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, sp_sample_view_get_busy (self));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_sample_view_class_init (SpSampleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_sample_view_dispose;
  object_class->finalize = sp_sample_view_finalize;
  object_class->get_property = sp_sample_view_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOLTIP] =
    g_param_spec_string ("tooltip", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SP_SAMPLE_VIEW_IDLE, SP_SAMPLE_VIEW_CANCELLED,
                      SP_SAMPLE_VIEW_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SpSampleView::failed:
   * @message: a sentence for the user
   *
   * Emitted when the analysis or the report could not be opened (not when
   * it was cancelled).
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SP_TYPE_OVERVIEW_PAGE);
  g_type_ensure (SP_TYPE_HASHES_PAGE);
  g_type_ensure (SP_TYPE_STRINGS_PAGE);
  g_type_ensure (SP_TYPE_INDICATORS_PAGE);
  g_type_ensure (SP_TYPE_HEADERS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/sp-sample-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, stack);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, progress_status);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, error_status);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, banner);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, switcher);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, overview_page);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, hashes_page);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, strings_page);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, indicators_page);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, headers_page);
  gtk_widget_class_bind_template_child (widget_class, SpSampleView, headers_stack_page);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_sample_view_init (SpSampleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sp_analysis_options_init (&self->options);
  self->title = g_strdup (_("Report"));

  self->retry_button = gtk_button_new_with_mnemonic ("");
  gtk_widget_set_halign (self->retry_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry_button, "pill");
  gtk_widget_set_visible (self->retry_button, FALSE);
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (on_retry_clicked), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->error_status), self->retry_button);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_swapped (self->settings, "changed::max-rows-shown",
                            G_CALLBACK (on_max_rows_changed), self);
}

SpSampleView *
sp_sample_view_new (GFile *file)
{
  SpSampleView *self = g_object_new (SP_TYPE_SAMPLE_VIEW, NULL);

  if (file != NULL)
    {
      self->file = g_object_ref (file);
      set_title_from_file (self);
    }
  return self;
}

GFile *
sp_sample_view_get_file (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->file;
}

const char *
sp_sample_view_get_title (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->title;
}

const char *
sp_sample_view_get_tooltip (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->tooltip;
}

SpReport *
sp_sample_view_get_report (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->report;
}

SpSampleViewState
sp_sample_view_get_state (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), SP_SAMPLE_VIEW_IDLE);
  return self->state;
}

gboolean
sp_sample_view_get_busy (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), FALSE);
  return self->state == SP_SAMPLE_VIEW_RUNNING || self->state == SP_SAMPLE_VIEW_WAITING;
}

double
sp_sample_view_get_fraction (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), 0.0);
  return self->fraction;
}

const char *
sp_sample_view_get_error_message (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->error_message;
}

void
sp_sample_view_show_page (SpSampleView *self,
                          const char   *name)
{
  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->view_stack), name);
}

void
sp_sample_view_focus_search (SpSampleView *self)
{
  g_return_if_fail (SP_IS_SAMPLE_VIEW (self));

  if (self->state != SP_SAMPLE_VIEW_DONE)
    return;
  sp_sample_view_show_page (self, "strings");
  sp_strings_page_focus_search (SP_STRINGS_PAGE (self->strings_page));
}

AdwViewStack *
sp_sample_view_get_view_stack (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return ADW_VIEW_STACK (self->view_stack);
}

GtkWidget *
sp_sample_view_get_switcher (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->switcher;
}

GtkWidget *
sp_sample_view_get_page (SpSampleView *self,
                         const char   *name)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return adw_view_stack_get_child_by_name (ADW_VIEW_STACK (self->view_stack), name);
}

GtkWidget *
sp_sample_view_get_banner_label (SpSampleView *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE_VIEW (self), NULL);
  return self->banner_label;
}
