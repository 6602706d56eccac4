/* sp-string-table.h: extracted strings as a list model of small records
 *
 * A live table stores only (offset, byte length, encoding) per string and
 * reads the text back from the sample when an item is asked for, so ten
 * million strings cost 16 bytes each. A detached table (rebuilt from a
 * saved report) keeps the texts themselves.
 */
#pragma once

#include <gio/gio.h>

#include "sp-sample.h"

G_BEGIN_DECLS

typedef enum
{
  SP_STRING_ENCODING_ASCII,
  SP_STRING_ENCODING_UTF16LE,
} SpStringEncoding;

const char *sp_string_encoding_to_id   (SpStringEncoding  encoding);
gboolean    sp_string_encoding_from_id (const char       *id,
                                        SpStringEncoding *encoding);

/* 16 bytes on every platform we build for. */
typedef struct
{
  guint64 offset;
  guint32 byte_length;
  guint32 encoding;
} SpStringRecord;

#define SP_TYPE_STRING_ITEM (sp_string_item_get_type ())
G_DECLARE_FINAL_TYPE (SpStringItem, sp_string_item, SP, STRING_ITEM, GObject)

guint64           sp_string_item_get_offset   (SpStringItem *self);
SpStringEncoding  sp_string_item_get_encoding (SpStringItem *self);
guint             sp_string_item_get_length   (SpStringItem *self);
const char       *sp_string_item_get_text     (SpStringItem *self);

#define SP_TYPE_STRING_TABLE (sp_string_table_get_type ())
G_DECLARE_FINAL_TYPE (SpStringTable, sp_string_table, SP, STRING_TABLE, GObject)

SpStringTable *sp_string_table_new            (SpSample             *sample,
                                               guint                 min_length);
SpStringTable *sp_string_table_new_detached   (guint                 min_length);
void           sp_string_table_append_record  (SpStringTable        *self,
                                               const SpStringRecord *record);
void           sp_string_table_append_text    (SpStringTable        *self,
                                               guint64               offset,
                                               SpStringEncoding      encoding,
                                               const char           *text);
guint          sp_string_table_get_count      (SpStringTable        *self);
guint          sp_string_table_get_min_length (SpStringTable        *self);
gboolean       sp_string_table_get_record     (SpStringTable        *self,
                                               guint                 index,
                                               SpStringRecord       *record);
char          *sp_string_table_dup_text       (SpStringTable        *self,
                                               guint                 index);

typedef struct _SpStringTableReader SpStringTableReader;

SpStringTableReader *sp_string_table_reader_new  (SpStringTable        *table);
gboolean             sp_string_table_reader_next (SpStringTableReader  *reader,
                                                  SpStringRecord       *record,
                                                  const char          **text,
                                                  gsize                *length);
void                 sp_string_table_reader_seek (SpStringTableReader  *reader,
                                                  guint                 index);
void                 sp_string_table_reader_free (SpStringTableReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStringTableReader, sp_string_table_reader_free)

G_END_DECLS
