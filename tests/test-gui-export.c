/* test-gui-export.c: the Export and password dialogs, headless under Xvfb
 *
 * The dialogs are driven through their widgets (template children and
 * actions); only the native file chooser is bypassed, with the same
 * function its response calls. What they write is checked with the core's
 * own decryption and CSV parsing done here by hand.
 */
#include "config.h"
#define G_LOG_DOMAIN "test-gui-export"

#include <string.h>

#include <glib/gstdio.h>

#include "sp-crypto.h"
#include "sp-export-dialog.h"
#include "sp-gui-util.h"
#include "sp-password-dialog.h"

#include "gui-test-util.h"

#define WAIT_TIMEOUT_MS 60000

static char *tmp_dir;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
export_idle (gpointer data)
{
  return !sp_export_dialog_get_busy (SP_EXPORT_DIALOG (data));
}

static gboolean
password_idle (gpointer data)
{
  return !sp_password_dialog_get_busy (SP_PASSWORD_DIALOG (data));
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static GtkWidget *
child (gpointer     widget,
       GType        type,
       const char  *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A report with known strings, rebuilt from JSON like a reopened report. */
static SpReport *
make_report (void)
{
  static const char json[] =
    "{\"schema\": \"specimen-report/1\","
    " \"file\": {\"name\": \"evil.exe\", \"size\": 1234}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
  SpReport *report;

  report = sp_report_load_json (json, strlen (json), &error);
  g_assert_no_error (error);
  sp_string_table_append_text (strings, 16, SP_STRING_ENCODING_ASCII, "first string");
  sp_string_table_append_text (strings, 64, SP_STRING_ENCODING_ASCII, "=SUM(A1:A2)");
  sp_string_table_append_text (strings, 128, SP_STRING_ENCODING_UTF16LE, "third, quoted \"x\"");
  sp_report_set_strings (report, strings);

  return report;
}

static void
test_password_strength (void)
{
  const char *hint = NULL;

  g_assert_cmpuint (sp_password_strength ("", &hint), ==, 0);
  g_assert_cmpuint (sp_password_strength ("aaaaaaaaaaaaaaaaaaaa", NULL), ==, 0);
  g_assert_cmpuint (sp_password_strength ("secret", NULL), ==, 1);
  g_assert_cmpuint (sp_password_strength ("correct horse battery staple", &hint), ==, 4);
  g_assert_cmpstr (hint, ==, "Strong");
  g_assert_cmpuint (sp_password_strength ("Tr0ub4dor&3", NULL), >=, 3);
}

static void
test_export_encrypted_json (void)
{
  g_autoptr(SpReport) report = make_report ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("evil-report.json.specimen");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(SpCryptoKey) key = NULL;
  g_autoptr(SpReport) back = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpExportDialog *dialog;
  GtkWidget *export_button;
  SpPayloadType type = 0;
  gsize length = 0;

  dialog = sp_export_dialog_new (parent, report);
  gtk_window_present (GTK_WINDOW (dialog));
  export_button = child (dialog, SP_TYPE_EXPORT_DIALOG, "export_button");
  g_assert_true (gtk_widget_get_sensitive (export_button));

  /* JSON is the default; encryption needs a confirmed, non-empty password. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG,
                                                                      "format_row"))),
                    ==, SP_EXPORT_JSON);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG,
                                                                  "encrypt_row")), TRUE);
  g_assert_false (gtk_widget_get_sensitive (export_button));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, SP_TYPE_EXPORT_DIALOG, "password_row")),
                         "correct horse battery staple");
  g_assert_false (gtk_widget_get_sensitive (export_button));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, SP_TYPE_EXPORT_DIALOG, "confirm_row")),
                         "correct horse battery stapl");
  g_assert_false (gtk_widget_get_sensitive (export_button));
  g_assert_true (gtk_widget_has_css_class (child (dialog, SP_TYPE_EXPORT_DIALOG, "confirm_row"),
                                           "error"));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, SP_TYPE_EXPORT_DIALOG, "confirm_row")),
                         "correct horse battery staple");
  g_assert_true (gtk_widget_get_sensitive (export_button));
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (child (dialog, SP_TYPE_EXPORT_DIALOG,
                                                                    "strength_bar"))), ==, 5);

  g_object_ref (dialog);
  sp_export_dialog_export_to_file (dialog, file);
  g_assert_true (sp_export_dialog_get_busy (dialog));
  g_assert_true (wait_for (export_idle, dialog));
  g_assert_null (sp_export_dialog_get_last_error (dialog));
  /* Success closes the dialog. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, 8, "SPECIMEN", 8);
  container = g_bytes_new_take (g_steal_pointer (&contents), length);
  key = sp_crypto_key_new_from_password ("correct horse battery staple", 28, &error);
  g_assert_no_error (error);
  plaintext = sp_crypto_decrypt (container, key, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, SP_PAYLOAD_JSON_REPORT);
  back = sp_report_load_json (g_bytes_get_data (plaintext, NULL), g_bytes_get_size (plaintext),
                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sp_report_get_title (back), ==, "evil.exe");
  g_assert_cmpuint (sp_string_table_get_count (sp_report_get_strings (back)), ==, 3);

  gtk_window_destroy (parent);
  g_unlink (path);
}

static void
test_export_csv_strings (void)
{
  g_autoptr(SpReport) report = make_report ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("evil-strings.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpExportDialog *dialog;

  dialog = g_object_ref (sp_export_dialog_new (parent, report));
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG, "format_row")),
                              SP_EXPORT_CSV_STRINGS);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG, "strings_row")),
                              1);
  g_assert_true (gtk_widget_get_sensitive (child (dialog, SP_TYPE_EXPORT_DIALOG,
                                                  "max_strings_row")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, SP_TYPE_EXPORT_DIALOG,
                                                     "max_strings_spin")), 2);

  sp_export_dialog_export_to_file (dialog, file);
  g_assert_true (wait_for (export_idle, dialog));
  g_assert_null (sp_export_dialog_get_last_error (dialog));
  g_object_unref (dialog);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==,
                   "offset,encoding,length,text\r\n"
                   "16,ascii,12,first string\r\n"
                   "64,ascii,11,'=SUM(A1:A2)\r\n");

  gtk_window_destroy (parent);
  g_unlink (path);
}

static void
test_export_failure (void)
{
  g_autoptr(SpReport) report = make_report ();
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-dir", "x.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpExportDialog *dialog;

  dialog = g_object_ref (sp_export_dialog_new (parent, report));
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG, "format_row")),
                              SP_EXPORT_TEXT);
  sp_export_dialog_export_to_file (dialog, file);
  g_assert_true (wait_for (export_idle, dialog));

  /* The dialog stays for another try, explains, and nothing was created. */
  g_assert_nonnull (sp_export_dialog_get_last_error (dialog));
  g_assert_nonnull (strstr (sp_export_dialog_get_last_error (dialog), "x.txt"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  gtk_window_destroy (parent);
}

/* Export… shows the chooser with the suggested name; closing the dialog
 * meanwhile takes the chooser with it and exports nothing. */
static void
test_export_chooser (void)
{
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  GtkWidget *chooser = NULL;
  SpExportDialog *dialog;
  GtkWindow *parent;

  if (skip_file_chooser ())
    return;

  report = make_report ();
  parent = GTK_WINDOW (gtk_window_new ());

  dialog = g_object_ref (sp_export_dialog_new (parent, report));
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SP_TYPE_EXPORT_DIALOG, "format_row")),
                              SP_EXPORT_CSV_IOCS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save", NULL));
  g_assert_true (wait_for (file_chooser_shown, &chooser));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Export Report");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (chooser)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (chooser)) == GTK_WINDOW (dialog));
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_str_has_suffix (name, "-indicators.csv"));
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  filter = g_list_model_get_item (filters, 0);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Reports");

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_for (file_chooser_gone, NULL));
  g_assert_false (sp_export_dialog_get_busy (dialog));
  g_assert_null (sp_export_dialog_get_last_error (dialog));

  g_object_unref (dialog);
  gtk_window_destroy (parent);
}

typedef struct
{
  gboolean  done;
  SpReport *report;
  GError   *error;
} Answer;

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->report = sp_password_dialog_request_finish (result, &answer->error);
  answer->done = TRUE;
}

static void
answer_clear (Answer *answer)
{
  g_clear_object (&answer->report);
  g_clear_error (&answer->error);
  answer->done = FALSE;
}

static gboolean
find_password_dialog (gpointer data)
{
  SpPasswordDialog **out = data;
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SP_IS_PASSWORD_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *out = SP_PASSWORD_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

/* Writes @plaintext encrypted with @key to a new file and returns its path. */
static char *
write_container (const char    *name,
                 const char    *plaintext,
                 SpCryptoKey   *key,
                 SpPayloadType  type)
{
  g_autoptr(GBytes) plain = g_bytes_new (plaintext, strlen (plaintext));
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (name);

  container = sp_crypto_encrypt (plain, key, type, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (container, NULL), g_bytes_get_size (container),
                       &error);
  g_assert_no_error (error);

  return path;
}

static const char report_json[] =
  "{\"schema\": \"specimen-report/1\", \"file\": {\"name\": \"locked.dll\", \"size\": 9}}";

static void
test_password_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCryptoKey) key = sp_crypto_key_new_from_password ("open sesame", 11, &error);
  g_autofree char *path = write_container ("locked.specimen", report_json, key,
                                           SP_PAYLOAD_JSON_REPORT);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpPasswordDialog *dialog = NULL;
  Answer answer = { 0 };
  GtkWidget *entry;

  sp_password_dialog_request_async (parent, file, NULL, on_answer, &answer);
  g_assert_true (wait_for (find_password_dialog, &dialog));
  g_object_ref (dialog);
  entry = child (dialog, SP_TYPE_PASSWORD_DIALOG, "password_row");
  g_assert_true (gtk_widget_get_visible (entry));
  g_assert_false (gtk_widget_get_visible (child (dialog, SP_TYPE_PASSWORD_DIALOG,
                                                 "key_file_row")));

  /* A wrong password keeps the dialog, says why, and clears the entry. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "open sesame!");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "password.unlock", NULL);
  g_assert_true (sp_password_dialog_get_busy (dialog));
  g_assert_true (wait_for (password_idle, dialog));
  g_assert_false (answer.done);
  g_assert_nonnull (strstr (sp_password_dialog_get_error (dialog), "Wrong password"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_get_visible (child (dialog, SP_TYPE_PASSWORD_DIALOG, "error_label")));

  gtk_editable_set_text (GTK_EDITABLE (entry), "open sesame");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "password.unlock", NULL);
  g_assert_true (wait_for (is_true, &answer.done));
  g_assert_no_error (answer.error);
  g_assert_nonnull (answer.report);
  g_assert_cmpstr (sp_report_get_title (answer.report), ==, "locked.dll");
  g_assert_cmpint (sp_report_get_origin (answer.report), ==, SP_REPORT_ORIGIN_ENCRYPTED_FILE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);
  answer_clear (&answer);

  /* Closing the dialog answers "cancelled". */
  dialog = NULL;
  sp_password_dialog_request_async (parent, file, NULL, on_answer, &answer);
  g_assert_true (wait_for (find_password_dialog, &dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_for (is_true, &answer.done));
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  answer_clear (&answer);

  /* So does cancelling the caller's GCancellable. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    dialog = NULL;
    sp_password_dialog_request_async (parent, file, cancellable, on_answer, &answer);
    g_assert_true (wait_for (find_password_dialog, &dialog));
    g_cancellable_cancel (cancellable);
    g_assert_true (wait_for (is_true, &answer.done));
    g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    dialog = NULL;
    g_assert_false (find_password_dialog (&dialog));
    answer_clear (&answer);
  }

  gtk_window_destroy (parent);
  g_unlink (path);
}

static void
test_password_dialog_key_file (void)
{
  static const guint8 raw[SP_CRYPTO_KEY_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  static const guint8 wrong_raw[SP_CRYPTO_KEY_SIZE] = { 9, 8, 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCryptoKey) key = sp_crypto_key_new_from_raw_key (raw, sizeof raw, &error);
  g_autofree char *path = write_container ("keyed.specimen", report_json, key,
                                           SP_PAYLOAD_JSON_REPORT);
  g_autofree char *key_path = tmp_path ("right.key");
  g_autofree char *wrong_path = tmp_path ("wrong.key");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) key_file = g_file_new_for_path (key_path);
  g_autoptr(GFile) wrong_file = g_file_new_for_path (wrong_path);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpPasswordDialog *dialog = NULL;
  Answer answer = { 0 };

  g_file_set_contents (key_path, (const char *) raw, sizeof raw, &error);
  g_assert_no_error (error);
  g_file_set_contents (wrong_path, (const char *) wrong_raw, sizeof wrong_raw, &error);
  g_assert_no_error (error);

  sp_password_dialog_request_async (parent, file, NULL, on_answer, &answer);
  g_assert_true (wait_for (find_password_dialog, &dialog));
  g_object_ref (dialog);
  /* The header says "key file", so no password field is offered. */
  g_assert_false (gtk_widget_get_visible (child (dialog, SP_TYPE_PASSWORD_DIALOG,
                                                 "password_row")));
  g_assert_true (gtk_widget_get_visible (child (dialog, SP_TYPE_PASSWORD_DIALOG,
                                                "key_file_row")));

  sp_password_dialog_unlock_with_key_file (dialog, wrong_file);
  g_assert_true (wait_for (password_idle, dialog));
  g_assert_false (answer.done);
  g_assert_nonnull (strstr (sp_password_dialog_get_error (dialog), "Wrong key file"));

  sp_password_dialog_unlock_with_key_file (dialog, key_file);
  g_assert_true (wait_for (is_true, &answer.done));
  g_assert_no_error (answer.error);
  g_assert_cmpstr (sp_report_get_title (answer.report), ==, "locked.dll");
  g_object_unref (dialog);
  answer_clear (&answer);

  gtk_window_destroy (parent);
  g_unlink (path);
  g_unlink (key_path);
  g_unlink (wrong_path);
}

static void
test_password_dialog_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpCryptoKey) key = sp_crypto_key_new_from_password ("pw", 2, &error);
  g_autofree char *other = write_container ("other.specimen", "just some text", key,
                                            SP_PAYLOAD_OTHER);
  g_autofree char *bad_path = tmp_path ("future.specimen");
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  SpPasswordDialog *dialog = NULL;
  Answer answer = { 0 };
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* Not a report inside: after unlocking, a clear error and no dialog left. */
  sp_password_dialog_request_async (parent, other_file, NULL, on_answer, &answer);
  g_assert_true (wait_for (find_password_dialog, &dialog));
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, SP_TYPE_PASSWORD_DIALOG, "password_row")),
                         "pw");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "password.unlock", NULL);
  g_assert_true (wait_for (is_true, &answer.done));
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (answer.error->message, "other.specimen"));
  dialog = NULL;
  g_assert_false (find_password_dialog (&dialog));
  answer_clear (&answer);

  /* A header from a future version fails before any dialog appears. */
  g_file_get_contents (other, &contents, &length, &error);
  g_assert_no_error (error);
  contents[8] = 2;
  g_file_set_contents (bad_path, contents, length, &error);
  g_assert_no_error (error);
  sp_password_dialog_request_async (parent, bad_file, NULL, on_answer, &answer);
  g_assert_true (wait_for (is_true, &answer.done));
  g_assert_error (answer.error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (answer.error->message, "future.specimen"));
  dialog = NULL;
  g_assert_false (find_password_dialog (&dialog));
  answer_clear (&answer);

  gtk_window_destroy (parent);
  g_unlink (other);
  g_unlink (bad_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Cheap Argon2id: these tests are about the dialogs, test-crypto covers the defaults. */
  g_setenv ("SPECIMEN_KDF_PROFILE", "minimum", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sp_gui_register_resources ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  tmp_dir = g_dir_make_tmp ("specimen-gui-export-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/specimen/gui-export/password-strength", test_password_strength);
  g_test_add_func ("/specimen/gui-export/encrypted-json", test_export_encrypted_json);
  g_test_add_func ("/specimen/gui-export/csv-strings", test_export_csv_strings);
  g_test_add_func ("/specimen/gui-export/failure", test_export_failure);
  g_test_add_func ("/specimen/gui-export/chooser", test_export_chooser);
  g_test_add_func ("/specimen/gui-export/password-dialog", test_password_dialog);
  g_test_add_func ("/specimen/gui-export/password-dialog-key-file", test_password_dialog_key_file);
  g_test_add_func ("/specimen/gui-export/password-dialog-errors", test_password_dialog_errors);
  status = g_test_run ();

  g_rmdir (tmp_dir);
  g_free (tmp_dir);

  return status;
}
