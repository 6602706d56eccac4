/* replay-main.c: runs a fuzz target over its committed corpus, without libFuzzer
 *
 * Usage: replay-<target> DIR...
 * Calls LLVMFuzzerInitialize once, then LLVMFuzzerTestOneInput on every file
 * of each DIR in name order, and reports one TAP test per file. A crash, an
 * assertion or a sanitizer report in the target fails the whole run, which
 * is what a regression input is there to catch.
 */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-replay"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_corpus (const char  *dir,
             GError     **error)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return NULL;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_names);
  return g_steal_pointer (&paths);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  FILE *tap;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIR...\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) paths = list_corpus (argv[i], &error);

      if (paths == NULL)
        {
          printf ("Bail out! %s\n", error->message);
          return 1;
        }
      for (guint j = 0; j < paths->len; j++)
        g_ptr_array_add (all, g_strdup (paths->pdata[j]));
    }
  if (all->len == 0)
    {
      printf ("Bail out! the corpus is empty\n");
      return 1;
    }

  /* TAP goes to a copy of stdout: a target may point stdout elsewhere (the
   * image loader writes its replies there). */
  tap = fdopen (dup (STDOUT_FILENO), "w");
  if (tap == NULL)
    {
      printf ("Bail out! %s\n", g_strerror (errno));
      return 1;
    }
  LLVMFuzzerInitialize (&argc, &argv);
  fprintf (tap, "1..%u\n", all->len);
  fflush (tap);
  for (guint i = 0; i < all->len; i++)
    {
      const char *path = all->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          fprintf (tap, "not ok %u - %s: %s\n", i + 1, path, error->message);
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      fprintf (tap, "ok %u - %s\n", i + 1, path);
      fflush (tap);
    }
  fclose (tap);
  return 0;
}
