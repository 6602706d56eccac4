/* test-sample.c: intake refuses what is not a regular file, reads safely */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sp-sample.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("specimen-sample-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Refusal must be immediate: these would block or never end if read. */
static void
assert_refused_quickly (const char *path,
                        gint        code)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);

  g_assert_null (sample);
  g_assert_error (error, SP_SAMPLE_ERROR, code);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
}

static void
test_refuses_directory (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = NULL;

  assert_refused_quickly (fixture->dir, SP_SAMPLE_ERROR_NOT_REGULAR);
  sample = sp_sample_open (fixture->dir, &error);
  g_assert_nonnull (strstr (error->message, "folder"));
}

static void
test_refuses_fifo (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "pipe", NULL);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_refused_quickly (path, SP_SAMPLE_ERROR_NOT_REGULAR);
}

static void
test_refuses_socket (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "sock", NULL);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (address.sun_path, path, sizeof address.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  assert_refused_quickly (path, SP_SAMPLE_ERROR_NOT_REGULAR);
  close (fd);
}

static void
test_refuses_devices (Fixture *fixture, gconstpointer data)
{
  assert_refused_quickly ("/dev/zero", SP_SAMPLE_ERROR_NOT_REGULAR);
  assert_refused_quickly ("/dev/urandom", SP_SAMPLE_ERROR_NOT_REGULAR);
  assert_refused_quickly ("/dev/null", SP_SAMPLE_ERROR_NOT_REGULAR);
}

static void
test_refuses_missing_and_loops (Fixture *fixture, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing", NULL);
  g_autofree char *loop_a = g_build_filename (fixture->dir, "loop-a", NULL);
  g_autofree char *loop_b = g_build_filename (fixture->dir, "loop-b", NULL);

  assert_refused_quickly (missing, SP_SAMPLE_ERROR_NOT_FOUND);
  g_assert_cmpint (symlink (loop_b, loop_a), ==, 0);
  g_assert_cmpint (symlink (loop_a, loop_b), ==, 0);
  assert_refused_quickly (loop_a, SP_SAMPLE_ERROR_OPEN_FAILED);
}

static void
test_unreadable (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "secret", "x", 1);

  if (geteuid () == 0)
    {
      g_test_skip ("root reads files whatever their mode");
      return;
    }
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  assert_refused_quickly (path, SP_SAMPLE_ERROR_PERMISSION);
}

static void
test_empty_file (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "empty", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (sp_sample_get_size (sample), ==, 0);
  bytes = sp_sample_read_bytes (sample, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
}

static void
test_reads (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "abc", "0123456789", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  g_autoptr(GBytes) tail = NULL;
  char buffer[4] = { 0 };

  g_assert_no_error (error);
  g_assert_true (sp_sample_read_at (sample, 6, buffer, 4, &error));
  g_assert_cmpmem (buffer, 4, "6789", 4);
  tail = sp_sample_read_bytes (sample, 8, 100, &error);
  g_assert_cmpmem (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail), "89", 2);
  g_assert_false (sp_sample_read_at (sample, 8, buffer, 3, &error));
  g_assert_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_READ_FAILED);
}

static void
test_shrinks_while_reading (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "shrinks", "0123456789abcdef", 16);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  char buffer[16];

  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 4), ==, 0);
  g_assert_false (sp_sample_read_at (sample, 0, buffer, 16, &error));
  g_assert_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_CHANGED);
}

static void
test_info_and_names (Fixture *fixture, gconstpointer data)
{
  /* Latin-1 "café" is not UTF-8: the display name must still be valid UTF-8. */
  g_autofree char *path = g_build_filename (fixture->dir, "caf\xe9.bin", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(JsonObject) info = NULL;
  const char *modified;

  g_assert_true (g_file_set_contents (path, "hello", 5, &error));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  sample = sp_sample_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (sp_sample_get_display_name (sample), -1, NULL));
  g_assert_true (g_str_has_prefix (sp_sample_get_display_name (sample), "caf"));
  g_assert_true (g_str_has_suffix (sp_sample_get_display_name (sample), ".bin"));

  info = sp_sample_info_to_json (sample);
  g_assert_cmpint (json_object_get_int_member (info, "size"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (info, "permissions"), ==, "-rw-r-----");
  g_assert_cmpstr (json_object_get_string_member (info, "mode"), ==, "0640");
  g_assert_true (g_path_is_absolute (json_object_get_string_member (info, "path")));
  modified = json_object_get_string_member (info, "modified");
  /* ISO 8601 with a zone: 2026-11-26T03:45:02.123456+00 or Z */
  {
    g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (modified, NULL);
    g_assert_nonnull (parsed);
    g_assert_cmpint (ABS (g_date_time_to_unix (parsed) - (gint64) time (NULL)), <, 60);
  }
}

static void
test_format_size (void)
{
  g_autofree char *one = sp_format_size (1);
  g_autofree char *big = sp_format_size (1536);

  g_assert_cmpstr (one, ==, "1 byte (1 byte)");
  /* GLib puts a no-break space between number and unit. */
  g_assert_cmpstr (big, ==, "1.5\u00a0KiB (1536 bytes)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/specimen/sample/refuses-directory", test_refuses_directory);
  ADD ("/specimen/sample/refuses-fifo", test_refuses_fifo);
  ADD ("/specimen/sample/refuses-socket", test_refuses_socket);
  ADD ("/specimen/sample/refuses-devices", test_refuses_devices);
  ADD ("/specimen/sample/refuses-missing-and-loops", test_refuses_missing_and_loops);
  ADD ("/specimen/sample/unreadable", test_unreadable);
  ADD ("/specimen/sample/empty", test_empty_file);
  ADD ("/specimen/sample/reads", test_reads);
  ADD ("/specimen/sample/shrinks-while-reading", test_shrinks_while_reading);
  ADD ("/specimen/sample/info-and-names", test_info_and_names);
#undef ADD
  g_test_add_func ("/specimen/sample/format-size", test_format_size);
  return g_test_run ();
}
