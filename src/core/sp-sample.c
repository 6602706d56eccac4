/* sp-sample.c: a sample file opened for analysis */
#include "config.h"
#define G_LOG_DOMAIN "sp-sample"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-sample.h"

struct _SpSample
{
  GObject      parent_instance;

  char        *path;           /* as given, in the file system encoding; NULL for bytes */
  char        *display_name;   /* UTF-8 */
  char        *display_path;   /* UTF-8, absolute */
  int          fd;             /* -1 for bytes */
  GBytes      *bytes;          /* in-memory samples (tests, fuzzing) */
  guint64      size;
  struct stat  st;
};

G_DEFINE_TYPE (SpSample, sp_sample, G_TYPE_OBJECT)

G_DEFINE_QUARK (sp-sample-error-quark, sp_sample_error)

static void
sp_sample_finalize (GObject *object)
{
  SpSample *self = SP_SAMPLE (object);

  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->path);
  g_free (self->display_name);
  g_free (self->display_path);

  G_OBJECT_CLASS (sp_sample_parent_class)->finalize (object);
}

static void
sp_sample_class_init (SpSampleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_sample_finalize;
}

static void
sp_sample_init (SpSample *self)
{
  self->fd = -1;
}

static const char *
describe_file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  return _("not a regular file");
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *display_path)
{
  SpSampleError code;

  switch (saved_errno)
    {
    case ENOENT:
    case ENOTDIR:
      code = SP_SAMPLE_ERROR_NOT_FOUND;
      break;
    case EACCES:
    case EPERM:
      code = SP_SAMPLE_ERROR_PERMISSION;
      break;
    default:
      code = SP_SAMPLE_ERROR_OPEN_FAILED;
      break;
    }
  /* TRANSLATORS: the first %s is a file name, the second the system's reason */
  g_set_error (error, SP_SAMPLE_ERROR, code, _("Cannot open “%s”: %s."),
               display_path, g_strerror (saved_errno));
}

static gboolean
refuse_if_not_regular (const struct stat  *st,
                       const char         *display_path,
                       GError            **error)
{
  if (S_ISREG (st->st_mode))
    return TRUE;
  g_set_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_NOT_REGULAR,
               _("“%s” is %s, not a regular file; only regular files can be analysed."),
               display_path, describe_file_kind (st->st_mode));
  return FALSE;
}

static char *
make_display_path (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  return g_filename_display_name (absolute);
}

/**
 * sp_sample_open:
 * @path: a path in the GLib file name encoding
 *
 * Opens a regular file for analysis. Anything else (folder, FIFO, socket,
 * device) is refused before it is opened for reading, so nothing blocks.
 *
 * Returns: (transfer full): the sample, or %NULL with @error set
 */
SpSample *
sp_sample_open (const char  *path,
                GError     **error)
{
  g_autoptr(SpSample) self = NULL;
  g_autofree char *display_path = NULL;
  struct stat before;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  display_path = make_display_path (path);

  if (stat (path, &before) != 0)
    {
      set_errno_error (error, errno, display_path);
      return NULL;
    }
  if (!refuse_if_not_regular (&before, display_path, error))
    return NULL;

  /* O_NONBLOCK: if the path was swapped for a FIFO after stat(), open() still returns at once. */
  fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      set_errno_error (error, errno, display_path);
      return NULL;
    }

  self = g_object_new (SP_TYPE_SAMPLE, NULL);
  self->fd = fd;
  if (fstat (fd, &self->st) != 0)
    {
      set_errno_error (error, errno, display_path);
      return NULL;
    }
  if (!refuse_if_not_regular (&self->st, display_path, error))
    return NULL;

  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  self->path = g_strdup (path);
  self->display_path = g_steal_pointer (&display_path);
  self->display_name = g_path_get_basename (self->display_path);
  self->size = (guint64) self->st.st_size;

  return g_steal_pointer (&self);
}

/**
 * sp_sample_new_for_bytes:
 *
 * Wraps bytes already in memory as a sample, for tests and fuzzing.
 *
 * Returns: (transfer full): the sample
 */
SpSample *
sp_sample_new_for_bytes (GBytes     *bytes,
                         const char *display_name)
{
  SpSample *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (SP_TYPE_SAMPLE, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->size = g_bytes_get_size (bytes);
  self->display_name = g_strdup (display_name != NULL ? display_name : "memory");
  self->display_path = g_strdup (self->display_name);
  return self;
}

const char *
sp_sample_get_path (SpSample *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE (self), NULL);
  return self->path;
}

const char *
sp_sample_get_display_name (SpSample *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE (self), NULL);
  return self->display_name;
}

const char *
sp_sample_get_display_path (SpSample *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE (self), NULL);
  return self->display_path;
}

guint64
sp_sample_get_size (SpSample *self)
{
  g_return_val_if_fail (SP_IS_SAMPLE (self), 0);
  return self->size;
}

static void
set_changed_error (SpSample  *self,
                   guint64    offset,
                   GError   **error)
{
  g_set_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_CHANGED,
               _("“%s” changed while it was being read: it ended at byte %" PRIu64
                 " instead of %" PRIu64 "."),
               self->display_path, offset, self->size);
}

/**
 * sp_sample_read_at:
 *
 * Reads exactly @length bytes at @offset. Reading past the size seen when
 * the sample was opened, or a file that shrank since, is an error.
 */
gboolean
sp_sample_read_at (SpSample  *self,
                   guint64    offset,
                   void      *buffer,
                   gsize      length,
                   GError   **error)
{
  guint8 *out = buffer;
  gsize done = 0;

  g_return_val_if_fail (SP_IS_SAMPLE (self), FALSE);

  if (offset > self->size || length > self->size - offset)
    {
      g_set_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_READ_FAILED,
                   _("Cannot read %zu bytes at offset %" PRIu64
                     " of “%s”: that is past its end."),
                   length, offset, self->display_path);
      return FALSE;
    }

  if (self->bytes != NULL)
    {
      if (length > 0)
        memcpy (buffer, (const guint8 *) g_bytes_get_data (self->bytes, NULL) + offset, length);
      return TRUE;
    }

  while (done < length)
    {
      ssize_t n = pread (self->fd, out + done, length - done, (off_t) (offset + done));

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_READ_FAILED,
                       _("Cannot read “%s”: %s."), self->display_path, g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        {
          set_changed_error (self, offset + done, error);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/**
 * sp_sample_read_bytes:
 * @max_length: the most bytes to return; fewer near the end of the sample
 *
 * Returns: (transfer full) (nullable): up to @max_length bytes from @offset
 * (empty at or past the end), or %NULL with @error set
 */
GBytes *
sp_sample_read_bytes (SpSample  *self,
                      guint64    offset,
                      gsize      max_length,
                      GError   **error)
{
  gsize length;
  guint8 *buffer;

  g_return_val_if_fail (SP_IS_SAMPLE (self), NULL);

  if (offset >= self->size)
    return g_bytes_new (NULL, 0);
  length = (gsize) MIN ((guint64) max_length, self->size - offset);
  if (self->bytes != NULL)
    return g_bytes_new_from_bytes (self->bytes, offset, length);

  buffer = g_malloc (MAX (length, 1));
  if (!sp_sample_read_at (self, offset, buffer, length, error))
    {
      g_free (buffer);
      return NULL;
    }
  return g_bytes_new_take (buffer, length);
}

/**
 * sp_format_size:
 *
 * Returns: (transfer full): "1.5 MB (1,500,000 bytes)"-style text for people
 */
char *
sp_format_size (guint64 bytes)
{
  g_autofree char *human = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%" PRIu64 " byte)",
                                       "%s (%" PRIu64 " bytes)", bytes),
                          human, bytes);
}

static char *
format_time (gint64      seconds,
             long        nanoseconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) precise = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  precise = g_date_time_add (local, nanoseconds / 1000);
  return g_date_time_format_iso8601 (precise != NULL ? precise : local);
}

static void
set_time_member (JsonObject     *object,
                 const char     *name,
                 struct timespec ts)
{
  g_autofree char *text = format_time (ts.tv_sec, ts.tv_nsec);

  if (text != NULL)
    json_object_set_string_member (object, name, text);
  else
    json_object_set_null_member (object, name);
}

static char *
format_permissions (mode_t mode)
{
  static const char letters[] = "rwxrwxrwx";
  char text[11];

  text[0] = '-';
  for (guint i = 0; i < 9; i++)
    text[i + 1] = (mode & (1 << (8 - i))) ? letters[i] : '-';
  text[10] = '\0';
  if (mode & S_ISUID)
    text[3] = (mode & S_IXUSR) ? 's' : 'S';
  if (mode & S_ISGID)
    text[6] = (mode & S_IXGRP) ? 's' : 'S';
  if (mode & S_ISVTX)
    text[9] = (mode & S_IXOTH) ? 't' : 'T';
  return g_strdup (text);
}

static char *
lookup_user (uid_t uid)
{
  struct passwd pwd, *found = NULL;
  char buffer[1024];

  if (getpwuid_r (uid, &pwd, buffer, sizeof buffer, &found) == 0 && found != NULL)
    return g_locale_to_utf8 (found->pw_name, -1, NULL, NULL, NULL);
  return NULL;
}

static char *
lookup_group (gid_t gid)
{
  struct group grp, *found = NULL;
  char buffer[4096];

  if (getgrgid_r (gid, &grp, buffer, sizeof buffer, &found) == 0 && found != NULL)
    return g_locale_to_utf8 (found->gr_name, -1, NULL, NULL, NULL);
  return NULL;
}

/**
 * sp_sample_info_to_json:
 *
 * Returns: (transfer full): the report's "file" section
 */
JsonObject *
sp_sample_info_to_json (SpSample *self)
{
  JsonObject *file = json_object_new ();
  g_autofree char *human = g_format_size_full (self->size, G_FORMAT_SIZE_IEC_UNITS);

  json_object_set_string_member (file, "name", self->display_name);
  json_object_set_string_member (file, "path", self->display_path);
  json_object_set_int_member (file, "size", (gint64) self->size);
  json_object_set_string_member (file, "size_human", human);

  if (self->bytes == NULL)
    {
      g_autofree char *permissions = format_permissions (self->st.st_mode);
      g_autofree char *octal = g_strdup_printf ("%04o", (guint) (self->st.st_mode & 07777));
      g_autofree char *owner = lookup_user (self->st.st_uid);
      g_autofree char *group = lookup_group (self->st.st_gid);

      set_time_member (file, "modified", self->st.st_mtim);
      set_time_member (file, "accessed", self->st.st_atim);
      set_time_member (file, "changed", self->st.st_ctim);
      json_object_set_string_member (file, "permissions", permissions);
      json_object_set_string_member (file, "mode", octal);
      json_object_set_int_member (file, "uid", self->st.st_uid);
      json_object_set_int_member (file, "gid", self->st.st_gid);
      if (owner != NULL)
        json_object_set_string_member (file, "owner", owner);
      if (group != NULL)
        json_object_set_string_member (file, "group", group);
    }
  return file;
}
