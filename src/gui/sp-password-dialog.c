/* sp-password-dialog.c: unlock an encrypted report with its password or key file
 *
 * The container is read and its header checked before the dialog appears,
 * so it only asks for what the file needs and a file that is damaged or
 * from a newer version fails at once. Argon2id and the JSON parse run on a
 * GTask thread; a wrong password keeps the dialog open for another try.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-password-dialog"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-crypto.h"
#include "sp-password-dialog.h"

/* An encrypted report is decrypted in memory; refuse absurd files before reading them. */
#define MAX_CONTAINER_SIZE (G_GUINT64_CONSTANT (2) << 30)

struct _SpPasswordDialog
{
  AdwWindow       parent_instance;

  GTask          *request;        /* the caller's task; NULL once answered */
  GFile          *file;
  char           *display_name;
  GBytes         *container;
  SpKeySource     key_source;
  GFile          *key_file;
  GCancellable   *request_cancellable;
  gulong          cancelled_id;
  GtkFileChooserNative *chooser;
  char           *error;
  gboolean        busy;
  gboolean        disposed;

  GtkWidget      *page;
  AdwPreferencesGroup *group;
  GtkWidget      *password_row;
  AdwActionRow   *key_file_row;
  GtkWidget      *error_label;
  GtkWidget      *spinner;
};

G_DEFINE_FINAL_TYPE (SpPasswordDialog, sp_password_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  GBytes      *container;
  SpCryptoKey *key;
  GFile       *key_file;
  char        *display_name;
  /* Set by the worker: a failure the user can fix by trying another password or key. */
  gboolean     retryable;
} DecryptJob;

static void
decrypt_job_free (DecryptJob *job)
{
  g_clear_pointer (&job->container, g_bytes_unref);
  g_clear_pointer (&job->key, sp_crypto_key_free);
  g_clear_object (&job->key_file);
  g_free (job->display_name);
  g_free (job);
}

static void
answer_request (SpPasswordDialog *self,
                SpReport         *report,
                GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->request);

  if (task == NULL)
    {
      g_clear_object (&report);
      g_clear_error (&error);
      return;
    }
  if (report != NULL)
    g_task_return_pointer (task, report, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
update_state (SpPasswordDialog *self)
{
  gboolean ready;

  if (self->key_source == SP_KEY_SOURCE_KEY_FILE)
    ready = TRUE;
  else
    ready = *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "password.unlock", ready && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "password.choose-key-file", !self->busy);
  gtk_widget_set_sensitive (self->page, !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);

  gtk_label_set_text (GTK_LABEL (self->error_label), self->error != NULL ? self->error : "");
  gtk_widget_set_visible (self->error_label, self->error != NULL);
}

static void
decrypt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DecryptJob *job = task_data;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GError) error = NULL;
  SpPayloadType type = SP_PAYLOAD_OTHER;
  SpReport *report;

  if (job->key == NULL)
    {
      job->key = sp_crypto_key_new_from_key_file (job->key_file, cancellable, &error);
      if (job->key == NULL)
        {
          job->retryable = TRUE;
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  plaintext = sp_crypto_decrypt (job->container, job->key, &type, &error);
  if (plaintext == NULL)
    {
      job->retryable = g_error_matches (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT)
                       || g_error_matches (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY)
                       || g_error_matches (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_WRONG_KEY_KIND);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (type != SP_PAYLOAD_JSON_REPORT)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” was decrypted, but it holds some other file rather than "
                                 "a Specimen report. Decrypt it with “specimen-cli decrypt”."),
                               job->display_name);
      return;
    }

  report = sp_report_load_json (g_bytes_get_data (plaintext, NULL),
                                g_bytes_get_size (plaintext), &error);
  if (report == NULL)
    {
      g_prefix_error (&error, _("“%s” was decrypted, but its report cannot be read: "),
                      job->display_name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sp_report_set_origin (report, SP_REPORT_ORIGIN_ENCRYPTED_FILE);
  g_task_return_pointer (task, report, g_object_unref);
}

static void
on_decrypted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SpPasswordDialog) self = user_data;
  DecryptJob *job = g_task_get_task_data (G_TASK (result));
  gboolean retryable = job->retryable;
  g_autoptr(GError) error = NULL;
  SpReport *report;

  self->busy = FALSE;
  report = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->disposed)
    {
      g_clear_object (&report);
      return;
    }
  if (report != NULL)
    {
      answer_request (self, report, NULL);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->request == NULL)
    return;

  if (!retryable)
    {
      answer_request (self, NULL, g_steal_pointer (&error));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  g_free (self->error);
  self->error = g_strdup (error->message);
  update_state (self);
  if (self->key_source == SP_KEY_SOURCE_PASSWORD)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (self->password_row);
    }
}

static void
start_decrypt (SpPasswordDialog *self,
               SpCryptoKey      *key,
               GFile            *key_file)
{
  g_autoptr(GTask) task = NULL;
  DecryptJob *job;

  job = g_new0 (DecryptJob, 1);
  job->container = g_bytes_ref (self->container);
  job->key = key;
  job->key_file = key_file != NULL ? g_object_ref (key_file) : NULL;
  job->display_name = g_strdup (self->display_name);

  self->busy = TRUE;
  g_clear_pointer (&self->error, g_free);
  update_state (self);

  task = g_task_new (self, NULL, on_decrypted, g_object_ref (self));
  g_task_set_source_tag (task, start_decrypt);
  g_task_set_task_data (task, job, (GDestroyNotify) decrypt_job_free);
  g_task_run_in_thread (task, decrypt_thread);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  const char *password;
  SpCryptoKey *key;

  if (self->busy)
    return;

  if (self->key_source == SP_KEY_SOURCE_KEY_FILE)
    {
      if (self->key_file != NULL)
        start_decrypt (self, NULL, self->key_file);
      else
        gtk_widget_activate_action (widget, "password.choose-key-file", NULL);
      return;
    }

  /* The entry keeps its text in GTK's secure password buffer; the copy goes to locked memory. */
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  key = sp_crypto_key_new_from_password (password, strlen (password), &error);
  if (key == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      update_state (self);
      return;
    }
  start_decrypt (self, key, NULL);
}

/**
 * sp_password_dialog_unlock_with_key_file:
 * @self: a dialog for a key-file container
 * @key_file: the key file to try
 *
 * What choosing a key file in the dialog does; tests call it directly.
 */
void
sp_password_dialog_unlock_with_key_file (SpPasswordDialog *self,
                                         GFile            *key_file)
{
  g_autofree char *basename = NULL;

  g_return_if_fail (SP_IS_PASSWORD_DIALOG (self));
  g_return_if_fail (G_IS_FILE (key_file));

  if (self->busy)
    return;
  g_set_object (&self->key_file, key_file);
  basename = g_file_get_basename (key_file);
  adw_action_row_set_subtitle (self->key_file_row, basename);
  start_decrypt (self, NULL, key_file);
}

static void
on_key_file_chosen (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (user_data);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file != NULL)
    sp_password_dialog_unlock_with_key_file (self, file);
}

static void
choose_key_file_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (widget);

  if (self->busy || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the Key File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Unlock"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_key_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_password_activated (SpPasswordDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "password.unlock", NULL);
}

static void
on_password_changed (SpPasswordDialog *self)
{
  update_state (self);
}

static gboolean
on_close_request (GtkWindow *window)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (window);

  answer_request (self, NULL,
                  g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The encrypted report “%s” was not unlocked."),
                               self->display_name));
  return FALSE;
}

static gboolean
close_on_cancel_idle (gpointer user_data)
{
  SpPasswordDialog *self = user_data;

  if (!self->disposed)
    gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

/* May run in any thread; the window is only touched from the main loop. */
static void
on_request_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, close_on_cancel_idle, g_object_ref (user_data),
                   g_object_unref);
}

static void
sp_password_dialog_dispose (GObject *object)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (object);

  self->disposed = TRUE;
  if (self->request_cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->request_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->request_cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->request != NULL)
    answer_request (self, NULL,
                    g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The encrypted report “%s” was not unlocked."),
                                 self->display_name));
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_PASSWORD_DIALOG);

  G_OBJECT_CLASS (sp_password_dialog_parent_class)->dispose (object);
}

static void
sp_password_dialog_finalize (GObject *object)
{
  SpPasswordDialog *self = SP_PASSWORD_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_object (&self->key_file);
  g_clear_pointer (&self->container, g_bytes_unref);
  g_free (self->display_name);
  g_free (self->error);

  G_OBJECT_CLASS (sp_password_dialog_parent_class)->finalize (object);
}

static void
sp_password_dialog_class_init (SpPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_password_dialog_dispose;
  object_class->finalize = sp_password_dialog_finalize;
  window_class->close_request = on_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/"
                                               "sp-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, page);
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, group);
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SpPasswordDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);

  gtk_widget_class_install_action (widget_class, "password.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "password.choose-key-file", NULL,
                                   choose_key_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sp_password_dialog_init (SpPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static SpPasswordDialog *
sp_password_dialog_new (GtkWindow  *parent,
                        GTask      *request,
                        GFile      *file,
                        GBytes     *container,
                        SpKeySource key_source)
{
  SpPasswordDialog *self;
  g_autofree char *description = NULL;
  GCancellable *cancellable = g_task_get_cancellable (request);

  self = g_object_new (SP_TYPE_PASSWORD_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->request = g_object_ref (request);
  self->file = g_object_ref (file);
  self->display_name = g_file_get_parse_name (file);
  self->container = g_bytes_ref (container);
  self->key_source = key_source;

  if (key_source == SP_KEY_SOURCE_KEY_FILE)
    description = g_strdup_printf (_("“%s” is encrypted with a key file."), self->display_name);
  else
    description = g_strdup_printf (_("“%s” is encrypted with a password."), self->display_name);
  adw_preferences_group_set_description (self->group, description);
  gtk_widget_set_visible (self->password_row, key_source == SP_KEY_SOURCE_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row), key_source == SP_KEY_SOURCE_KEY_FILE);
  update_state (self);

  if (cancellable != NULL)
    {
      self->request_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_request_cancelled),
                                                  self, NULL);
    }

  return self;
}

typedef struct
{
  GtkWindow *parent;
  GFile     *file;
  char      *display_name;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->parent);
  g_clear_object (&data->file);
  g_free (data->display_name);
  g_free (data);
}

/* Reads the whole container in a worker: decryption needs all of it anyway. */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RequestData *data = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (data->file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               _("“%s” is not a regular file."), data->display_name);
      return;
    }
  if ((guint64) g_file_info_get_size (info) > MAX_CONTAINER_SIZE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("The encrypted report “%s” is larger than 2 GiB, too large to "
                                 "decrypt in memory."), data->display_name);
      return;
    }
  if (!g_file_load_contents (data->file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_bytes_new_take (contents, length),
                         (GDestroyNotify) g_bytes_unref);
}

static void
on_container_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) request = user_data;
  RequestData *data = g_task_get_task_data (request);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  SpPasswordDialog *dialog;
  SpCryptoHeader header;

  container = g_task_propagate_pointer (G_TASK (result), &error);
  if (container == NULL)
    {
      g_task_return_error (request, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (request))
    return;

  if (!sp_crypto_init (&error)
      || !sp_crypto_parse_header (g_bytes_get_data (container, NULL),
                                  g_bytes_get_size (container), &header, &error))
    {
      g_prefix_error (&error, _("Cannot open “%s”: "), data->display_name);
      g_task_return_error (request, g_steal_pointer (&error));
      return;
    }

  dialog = sp_password_dialog_new (data->parent, request, data->file, container,
                                   header.key_source);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (header.key_source == SP_KEY_SOURCE_PASSWORD ? dialog->password_row
                                                                     : GTK_WIDGET (dialog));
}

/**
 * sp_password_dialog_request_async:
 * @parent: (nullable): the window asking
 * @file: an encrypted report
 * @cancellable: (nullable): cancelling closes the dialog
 * @callback: called with the report, or an error
 * @user_data: for @callback
 *
 * Asks for the password (or key file) of @file, then decrypts and loads it.
 */
void
sp_password_dialog_request_async (GtkWindow           *parent,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) request = NULL;
  g_autoptr(GTask) load = NULL;
  RequestData *data;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (RequestData, 1);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  data->file = g_object_ref (file);
  data->display_name = g_file_get_parse_name (file);

  request = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (request, sp_password_dialog_request_async);
  g_task_set_task_data (request, data, (GDestroyNotify) request_data_free);

  load = g_task_new (NULL, cancellable, on_container_loaded, g_object_ref (request));
  g_task_set_source_tag (load, load_thread);
  g_task_set_task_data (load, data, NULL);
  g_task_run_in_thread (load, load_thread);
}

/**
 * sp_password_dialog_request_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError; %G_IO_ERROR_CANCELLED if the user gave up
 *
 * Returns: (transfer full) (nullable): the decrypted report
 */
SpReport *
sp_password_dialog_request_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sp_password_dialog_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_password_dialog_get_busy:
 * @self: the dialog
 *
 * Returns: %TRUE while a decryption runs
 */
gboolean
sp_password_dialog_get_busy (SpPasswordDialog *self)
{
  g_return_val_if_fail (SP_IS_PASSWORD_DIALOG (self), FALSE);
  return self->busy;
}

/**
 * sp_password_dialog_get_error:
 * @self: the dialog
 *
 * Returns: (nullable): the message shown after a failed attempt
 */
const char *
sp_password_dialog_get_error (SpPasswordDialog *self)
{
  g_return_val_if_fail (SP_IS_PASSWORD_DIALOG (self), NULL);
  return self->error;
}
