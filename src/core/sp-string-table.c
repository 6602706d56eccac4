/* sp-string-table.c: extracted strings as a list model of small records */
#include "config.h"
#define G_LOG_DOMAIN "sp-string-table"

#include <string.h>

#include "sp-string-table.h"

G_STATIC_ASSERT (sizeof (SpStringRecord) == 16);

/* Records live in fixed blocks so a table of ten million strings never
 * needs one huge reallocation (and never copies what it already holds). */
#define RECORDS_PER_BLOCK 65536

/* Read-back is capped: a hostile file can hold a single "string" of
 * gigabytes, and nobody reads more than this in one row or report cell. */
#define MAX_TEXT_BYTES (16 * 1024 * 1024)

/* Writing a report reads every string in file order: one read of this
 * much serves the thousands of strings it holds, instead of one pread
 * each. Longer strings are read directly. */
#define CACHE_BYTES      (256 * 1024)
#define CACHE_MAX_STRING (CACHE_BYTES / 4)

const char *
sp_string_encoding_to_id (SpStringEncoding encoding)
{
  switch (encoding)
    {
    case SP_STRING_ENCODING_ASCII:
      return "ascii";
    case SP_STRING_ENCODING_UTF16LE:
      return "utf-16le";
    default:
      return "unknown";
    }
}

gboolean
sp_string_encoding_from_id (const char       *id,
                            SpStringEncoding *encoding)
{
  g_return_val_if_fail (encoding != NULL, FALSE);

  if (g_strcmp0 (id, "ascii") == 0)
    *encoding = SP_STRING_ENCODING_ASCII;
  else if (g_strcmp0 (id, "utf-16le") == 0)
    *encoding = SP_STRING_ENCODING_UTF16LE;
  else
    return FALSE;

  return TRUE;
}

/* SpStringItem */

struct _SpStringItem
{
  GObject          parent_instance;
  guint64          offset;
  SpStringEncoding encoding;
  guint            length;
  char            *text;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_OFFSET,
  ITEM_PROP_ENCODING,
  ITEM_PROP_ENCODING_ID,
  ITEM_PROP_LENGTH,
  ITEM_PROP_TEXT,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (SpStringItem, sp_string_item, G_TYPE_OBJECT)

static void
sp_string_item_finalize (GObject *object)
{
  SpStringItem *self = SP_STRING_ITEM (object);

  g_free (self->text);

  G_OBJECT_CLASS (sp_string_item_parent_class)->finalize (object);
}

static void
sp_string_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpStringItem *self = SP_STRING_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_OFFSET:
      g_value_set_uint64 (value, self->offset);
      break;
    case ITEM_PROP_ENCODING:
      g_value_set_uint (value, self->encoding);
      break;
    case ITEM_PROP_ENCODING_ID:
      g_value_set_static_string (value, sp_string_encoding_to_id (self->encoding));
      break;
    case ITEM_PROP_LENGTH:
      g_value_set_uint (value, self->length);
      break;
    case ITEM_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_string_item_class_init (SpStringItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_string_item_finalize;
  object_class->get_property = sp_string_item_get_property;

  item_properties[ITEM_PROP_OFFSET] =
    g_param_spec_uint64 ("offset", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ENCODING] =
    g_param_spec_uint ("encoding", NULL, NULL, 0, SP_STRING_ENCODING_UTF16LE, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ENCODING_ID] =
    g_param_spec_string ("encoding-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
sp_string_item_init (SpStringItem *self)
{
}

static SpStringItem *
sp_string_item_new (guint64           offset,
                    SpStringEncoding  encoding,
                    char             *text)
{
  SpStringItem *self = g_object_new (SP_TYPE_STRING_ITEM, NULL);

  self->offset = offset;
  self->encoding = encoding;
  self->text = text;
  self->length = text != NULL ? (guint) MIN (g_utf8_strlen (text, -1), G_MAXUINT) : 0;

  return self;
}

/**
 * sp_string_item_get_offset:
 *
 * Returns: the file offset of the string's first byte.
 */
guint64
sp_string_item_get_offset (SpStringItem *self)
{
  g_return_val_if_fail (SP_IS_STRING_ITEM (self), 0);
  return self->offset;
}

/**
 * sp_string_item_get_encoding:
 *
 * Returns: how the string is encoded in the file.
 */
SpStringEncoding
sp_string_item_get_encoding (SpStringItem *self)
{
  g_return_val_if_fail (SP_IS_STRING_ITEM (self), SP_STRING_ENCODING_ASCII);
  return self->encoding;
}

/**
 * sp_string_item_get_length:
 *
 * Returns: the length of the text in characters (not bytes).
 */
guint
sp_string_item_get_length (SpStringItem *self)
{
  g_return_val_if_fail (SP_IS_STRING_ITEM (self), 0);
  return self->length;
}

/**
 * sp_string_item_get_text:
 *
 * Returns: (nullable): the text as UTF-8, or %NULL if the sample could no
 *   longer be read when the item was made.
 */
const char *
sp_string_item_get_text (SpStringItem *self)
{
  g_return_val_if_fail (SP_IS_STRING_ITEM (self), NULL);
  return self->text;
}

/* SpStringTable */

struct _SpStringTable
{
  GObject     parent_instance;

  SpSample   *sample;       /* NULL for a detached table */
  guint       min_length;
  guint       count;
  GPtrArray  *blocks;       /* of SpStringRecord[RECORDS_PER_BLOCK] */

  /* Detached tables only: texts[i] belongs to record i. */
  GStringChunk *text_chunk;
  GPtrArray    *texts;

  /* Live tables: the last block read, shared by the threads reading items */
  GMutex        cache_lock;
  guint8       *cache;
  guint64       cache_offset;
  gsize         cache_length;
};

static GType
sp_string_table_get_item_type (GListModel *model)
{
  return SP_TYPE_STRING_ITEM;
}

static guint
sp_string_table_get_n_items (GListModel *model)
{
  return SP_STRING_TABLE (model)->count;
}

static gpointer
sp_string_table_get_item (GListModel *model,
                          guint       position)
{
  SpStringTable *self = SP_STRING_TABLE (model);
  SpStringRecord record;

  if (!sp_string_table_get_record (self, position, &record))
    return NULL;

  return sp_string_item_new (record.offset, record.encoding,
                             sp_string_table_dup_text (self, position));
}

static void
sp_string_table_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sp_string_table_get_item_type;
  iface->get_n_items = sp_string_table_get_n_items;
  iface->get_item = sp_string_table_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SpStringTable, sp_string_table, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sp_string_table_list_model_init))

static void
sp_string_table_finalize (GObject *object)
{
  SpStringTable *self = SP_STRING_TABLE (object);

  g_clear_object (&self->sample);
  g_ptr_array_unref (self->blocks);
  g_clear_pointer (&self->texts, g_ptr_array_unref);
  g_clear_pointer (&self->text_chunk, g_string_chunk_free);
  g_free (self->cache);
  g_mutex_clear (&self->cache_lock);

  G_OBJECT_CLASS (sp_string_table_parent_class)->finalize (object);
}

static void
sp_string_table_class_init (SpStringTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_string_table_finalize;
}

static void
sp_string_table_init (SpStringTable *self)
{
  self->blocks = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&self->cache_lock);
}

/**
 * sp_string_table_new:
 * @sample: the sample the strings were found in
 * @min_length: the minimum run length used to find them
 *
 * Creates a live table: it stores 16-byte records and reads each text back
 * from @sample when asked. Appending does not emit #GListModel::items-changed
 * (the scanner fills the table in a worker thread); hand the table to a view
 * only once it is complete.
 *
 * Returns: (transfer full): a new table
 */
SpStringTable *
sp_string_table_new (SpSample *sample,
                     guint     min_length)
{
  SpStringTable *self;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  self = g_object_new (SP_TYPE_STRING_TABLE, NULL);
  self->sample = g_object_ref (sample);
  self->min_length = min_length;

  return self;
}

/**
 * sp_string_table_new_detached:
 * @min_length: the minimum run length the strings were found with
 *
 * Creates a table that keeps the texts themselves, for strings read back
 * from a saved report. Fill it with sp_string_table_append_text().
 *
 * Returns: (transfer full): a new table
 */
SpStringTable *
sp_string_table_new_detached (guint min_length)
{
  SpStringTable *self = g_object_new (SP_TYPE_STRING_TABLE, NULL);

  self->min_length = min_length;
  self->text_chunk = g_string_chunk_new (64 * 1024);
  self->texts = g_ptr_array_new ();

  return self;
}

static gboolean
sp_string_table_push (SpStringTable        *self,
                      const SpStringRecord *record)
{
  SpStringRecord *block;
  guint in_block = self->count % RECORDS_PER_BLOCK;

  /* The count is a guint for GListModel; 4 billion strings is the limit. */
  if (self->count == G_MAXUINT)
    return FALSE;

  if (in_block == 0)
    g_ptr_array_add (self->blocks, g_new (SpStringRecord, RECORDS_PER_BLOCK));

  block = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  block[in_block] = *record;
  self->count++;

  return TRUE;
}

/**
 * sp_string_table_append_record:
 * @self: a live table
 * @record: where a string is: its offset, byte length and encoding
 *
 * Appends one string to a live table. The record is copied.
 */
void
sp_string_table_append_record (SpStringTable        *self,
                               const SpStringRecord *record)
{
  g_return_if_fail (SP_IS_STRING_TABLE (self));
  g_return_if_fail (self->sample != NULL);
  g_return_if_fail (record != NULL);

  sp_string_table_push (self, record);
}

/**
 * sp_string_table_append_text:
 * @self: a detached table
 * @offset: file offset of the string
 * @encoding: its encoding in the original file
 * @text: the string as UTF-8 (invalid sequences are replaced)
 *
 * Appends one string with its text to a detached table. The record's byte
 * length is what the text occupies in @encoding.
 */
void
sp_string_table_append_text (SpStringTable    *self,
                             guint64           offset,
                             SpStringEncoding  encoding,
                             const char       *text)
{
  SpStringRecord record;
  g_autofree char *valid = NULL;
  guint64 byte_length = 0;

  g_return_if_fail (SP_IS_STRING_TABLE (self));
  g_return_if_fail (self->texts != NULL);
  g_return_if_fail (text != NULL);

  valid = g_utf8_make_valid (text, -1);

  if (encoding == SP_STRING_ENCODING_UTF16LE)
    {
      for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
        byte_length += g_utf8_get_char (p) > 0xFFFF ? 4 : 2;
    }
  else
    byte_length = strlen (valid);

  record.offset = offset;
  record.byte_length = (guint32) MIN (byte_length, G_MAXUINT32);
  record.encoding = encoding;

  if (sp_string_table_push (self, &record))
    g_ptr_array_add (self->texts, g_string_chunk_insert (self->text_chunk, valid));
}

/**
 * sp_string_table_get_count:
 *
 * Returns: the number of strings in the table
 */
guint
sp_string_table_get_count (SpStringTable *self)
{
  g_return_val_if_fail (SP_IS_STRING_TABLE (self), 0);
  return self->count;
}

/**
 * sp_string_table_get_min_length:
 *
 * Returns: the minimum run length the strings were extracted with
 */
guint
sp_string_table_get_min_length (SpStringTable *self)
{
  g_return_val_if_fail (SP_IS_STRING_TABLE (self), 0);
  return self->min_length;
}

/**
 * sp_string_table_get_record:
 * @self: a table
 * @index: position of the string
 * @record: (out): where to copy its record
 *
 * Returns: %FALSE if @index is out of range
 */
gboolean
sp_string_table_get_record (SpStringTable  *self,
                            guint           index,
                            SpStringRecord *record)
{
  const SpStringRecord *block;

  g_return_val_if_fail (SP_IS_STRING_TABLE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (index >= self->count)
    return FALSE;

  block = g_ptr_array_index (self->blocks, index / RECORDS_PER_BLOCK);
  *record = block[index % RECORDS_PER_BLOCK];

  return TRUE;
}

/* Decodes UTF-16LE (pairs combined, lone surrogates replaced) to UTF-8,
 * appending to @out. */
static void
utf16le_append_utf8 (GString      *out,
                     const guint8 *data,
                     gsize         length)
{
  gsize i = 0;

  while (i + 1 < length)
    {
      gunichar c = data[i] | (data[i + 1] << 8);

      i += 2;
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length)
        {
          gunichar low = data[i] | (data[i + 1] << 8);

          if (low >= 0xDC00 && low <= 0xDFFF)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              i += 2;
            }
        }
      if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else
        g_string_append_unichar (out, c);
    }
}

static char *
utf16le_to_utf8 (const guint8 *data,
                 gsize         length)
{
  GString *out = g_string_sized_new (length / 2 + 1);

  utf16le_append_utf8 (out, data, length);
  return g_string_free (out, FALSE);
}

/* Reads @length bytes at @offset through the block cache. */
static gboolean
read_sample (SpStringTable  *self,
             guint64         offset,
             guint8         *buffer,
             gsize           length,
             GError        **error)
{
  guint64 size = sp_sample_get_size (self->sample);
  gboolean ok = TRUE;

  /* Long strings, and reads the sample will refuse (it says why), go direct. */
  if (length > CACHE_MAX_STRING || offset > size || length > size - offset)
    return sp_sample_read_at (self->sample, offset, buffer, length, error);

  g_mutex_lock (&self->cache_lock);
  if (self->cache == NULL
      || offset < self->cache_offset
      || offset - self->cache_offset + length > self->cache_length)
    {
      gsize fill = (gsize) MIN ((guint64) CACHE_BYTES, size - offset);

      if (self->cache == NULL)
        self->cache = g_malloc (CACHE_BYTES);
      self->cache_offset = offset;
      self->cache_length = 0;
      if (sp_sample_read_at (self->sample, offset, self->cache, fill, error))
        self->cache_length = fill;
      else
        ok = FALSE;
    }
  if (ok)
    memcpy (buffer, self->cache + (offset - self->cache_offset), length);
  g_mutex_unlock (&self->cache_lock);

  return ok;
}

/**
 * sp_string_table_dup_text:
 * @self: a table
 * @index: position of the string
 *
 * Returns the text of a string as UTF-8. A live table reads it from the
 * sample now (at most 16 MiB of it; longer runs are cut there).
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @index is out
 *   of range or the sample can no longer be read
 */
char *
sp_string_table_dup_text (SpStringTable *self,
                          guint          index)
{
  SpStringRecord record;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_return_val_if_fail (SP_IS_STRING_TABLE (self), NULL);

  if (!sp_string_table_get_record (self, index, &record))
    return NULL;

  if (self->texts != NULL)
    return g_strdup (g_ptr_array_index (self->texts, index));

  length = MIN (record.byte_length, MAX_TEXT_BYTES);
  if (record.encoding == SP_STRING_ENCODING_UTF16LE)
    length &= ~(gsize) 1;

  buffer = g_malloc (length + 1);
  if (!read_sample (self, record.offset, buffer, length, &error))
    {
      g_debug ("Cannot read string %u back: %s", index, error->message);
      return NULL;
    }

  if (record.encoding == SP_STRING_ENCODING_UTF16LE)
    return utf16le_to_utf8 (buffer, length);

  /* ASCII runs hold only printable bytes and tabs, so this is UTF-8. If the
   * file changed under us, make_valid keeps the promise anyway. */
  buffer[length] = '\0';
  if (!g_utf8_validate ((const char *) buffer, length, NULL))
    return g_utf8_make_valid ((const char *) buffer, length);

  return (char *) g_steal_pointer (&buffer);
}

/* Sequential read-back */

/* The reader's window: one read serves the thousands of strings in it. */
#define READER_WINDOW (1024 * 1024)

struct _SpStringTableReader
{
  SpStringTable *table;
  guint          index;
  guint8        *window;
  guint64        window_offset;
  gsize          window_length;
  GString       *text;
};

/**
 * sp_string_table_reader_new:
 * @table: a table, complete (nothing is appended while the reader runs)
 *
 * Creates a reader that walks the table's strings in order, for writing a
 * report: the texts are read through a window of the sample that moves
 * forward with the offsets, so ten million strings cost a few hundred
 * reads instead of ten million. A reader is used by one thread.
 *
 * Returns: (transfer full): a reader positioned before the first string
 */
SpStringTableReader *
sp_string_table_reader_new (SpStringTable *table)
{
  SpStringTableReader *reader;

  g_return_val_if_fail (SP_IS_STRING_TABLE (table), NULL);

  reader = g_new0 (SpStringTableReader, 1);
  reader->table = g_object_ref (table);
  reader->text = g_string_sized_new (256);
  return reader;
}

/* Whether @bytes are ASCII without NUL, so valid UTF-8 as they are. Written
 * to vectorise: no early exit. */
static gboolean
is_ascii_text (const guint8 *bytes,
               gsize         length)
{
  guint8 high = 0;
  guint8 nul = 0;

  for (gsize i = 0; i < length; i++)
    {
      high |= bytes[i] & 0x80;
      nul |= bytes[i] == 0;
    }
  return high == 0 && nul == 0;
}

/* Fills reader->text with the @length bytes at @offset; FALSE if unreadable. */
static gboolean
reader_load (SpStringTableReader *reader,
             guint64              offset,
             gsize                length,
             SpStringEncoding     encoding)
{
  SpSample *sample = reader->table->sample;
  guint64 size = sp_sample_get_size (sample);
  const guint8 *bytes;
  g_autofree guint8 *direct = NULL;
  g_autoptr(GError) error = NULL;

  if (offset >= reader->window_offset
      && offset - reader->window_offset + length <= reader->window_length)
    bytes = reader->window + (offset - reader->window_offset);
  else if (length <= READER_WINDOW / 4 && offset <= size && length <= size - offset)
    {
      gsize fill = (gsize) MIN ((guint64) READER_WINDOW, size - offset);

      if (reader->window == NULL)
        reader->window = g_malloc (READER_WINDOW);
      reader->window_length = 0;
      if (!sp_sample_read_at (sample, offset, reader->window, fill, &error))
        {
          g_debug ("Cannot read strings back at %" G_GUINT64_FORMAT ": %s", offset,
                   error->message);
          return FALSE;
        }
      reader->window_offset = offset;
      reader->window_length = fill;
      bytes = reader->window;
    }
  else
    {
      /* Long strings, and reads the sample will refuse (it says why). */
      direct = g_malloc (MAX (length, 1));
      if (!sp_sample_read_at (sample, offset, direct, length, &error))
        {
          g_debug ("Cannot read a string back at %" G_GUINT64_FORMAT ": %s", offset,
                   error->message);
          return FALSE;
        }
      bytes = direct;
    }

  g_string_truncate (reader->text, 0);
  if (encoding == SP_STRING_ENCODING_UTF16LE)
    utf16le_append_utf8 (reader->text, bytes, length);
  else if (is_ascii_text (bytes, length))
    {
      /* Copied in one go: the hot path of a report of millions of strings. */
      g_string_set_size (reader->text, length);
      memcpy (reader->text->str, bytes, length);
    }
  else
    {
      /* Only if the file changed under us: ASCII runs are valid UTF-8. */
      g_autofree char *valid = g_utf8_make_valid ((const char *) bytes, length);

      g_string_append (reader->text, valid);
    }
  return TRUE;
}

/**
 * sp_string_table_reader_next:
 * @reader: a reader
 * @record: (out): the next string's record
 * @text: (out) (transfer none) (nullable): its text as nul-terminated UTF-8,
 *   valid until the next call; %NULL if the sample can no longer be read
 * @length: (out) (optional): bytes in @text
 *
 * Moves to the next string. Texts are what sp_string_table_dup_text() gives.
 *
 * Returns: %FALSE after the last string
 */
gboolean
sp_string_table_reader_next (SpStringTableReader  *reader,
                             SpStringRecord       *record,
                             const char          **text,
                             gsize                *length)
{
  SpStringTable *table;
  const SpStringRecord *block;
  gsize byte_length;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (record != NULL && text != NULL, FALSE);

  table = reader->table;
  if (reader->index >= table->count)
    return FALSE;

  block = g_ptr_array_index (table->blocks, reader->index / RECORDS_PER_BLOCK);
  *record = block[reader->index % RECORDS_PER_BLOCK];

  if (table->texts != NULL)
    {
      *text = g_ptr_array_index (table->texts, reader->index);
      if (length != NULL)
        *length = strlen (*text);
      reader->index++;
      return TRUE;
    }

  byte_length = MIN (record->byte_length, MAX_TEXT_BYTES);
  if (record->encoding == SP_STRING_ENCODING_UTF16LE)
    byte_length &= ~(gsize) 1;

  if (reader_load (reader, record->offset, byte_length, record->encoding))
    {
      *text = reader->text->str;
      if (length != NULL)
        *length = reader->text->len;
    }
  else
    {
      *text = NULL;
      if (length != NULL)
        *length = 0;
    }
  reader->index++;
  return TRUE;
}

/**
 * sp_string_table_reader_seek:
 * @reader: a reader
 * @index: the string the next sp_string_table_reader_next() gives
 *
 * Moves the reader, so that several readers can share a table's strings
 * out (each keeps its own window of the sample).
 */
void
sp_string_table_reader_seek (SpStringTableReader *reader,
                             guint                index)
{
  g_return_if_fail (reader != NULL);
  reader->index = index;
}

void
sp_string_table_reader_free (SpStringTableReader *reader)
{
  if (reader == NULL)
    return;
  g_object_unref (reader->table);
  g_free (reader->window);
  g_string_free (reader->text, TRUE);
  g_free (reader);
}
