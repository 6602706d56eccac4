/* sp-file-type.h: what a sample really is, judged by its bytes
 *
 * Detection reads a bounded head of the sample (64 KiB) and, for ZIP
 * containers, the end-of-central-directory record and a capped number of
 * central directory entries; never the whole file. The extension and file
 * name are not trusted: GIO's guess, which does look at the name, is kept
 * separately as a second opinion.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"

G_BEGIN_DECLS

/* How much of the start of a sample detection looks at. */
#define SP_FILE_TYPE_HEAD_SIZE (64 * 1024)

typedef struct _SpFileType SpFileType;

SpFileType  *sp_file_type_detect            (SpSample       *sample,
                                             GError        **error);
const char  *sp_file_type_get_name          (SpFileType     *self);
const char  *sp_file_type_get_description   (SpFileType     *self);
const char  *sp_file_type_get_mime          (SpFileType     *self);
const char  *sp_file_type_get_family        (SpFileType     *self);
const char  *sp_file_type_get_extension     (SpFileType     *self);
guint        sp_file_type_get_n_evidence    (SpFileType     *self);
gboolean     sp_file_type_get_evidence      (SpFileType     *self,
                                             guint           index,
                                             guint64        *offset,
                                             const char    **hex_bytes,
                                             const char    **what);
const char  *sp_file_type_get_gio_content_type (SpFileType  *self);
const char  *sp_file_type_get_gio_mime      (SpFileType     *self);
const char  *sp_file_type_get_gio_description (SpFileType   *self);
JsonObject  *sp_file_type_to_json           (SpFileType     *self);
void         sp_file_type_free              (SpFileType     *self);

void         sp_file_type_render            (JsonObject     *section,
                                             SpReportWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpFileType, sp_file_type_free)

G_END_DECLS
