/* sp-parsers-private.h: helpers the format parsers and the report section renderers share
 *
 * Warnings are capped so a hostile file cannot grow the report without
 * bound, and entropy reads are budgeted so a thousand sections that all
 * claim the whole file do not read it a thousand times.
 */
#pragma once

#include <inttypes.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"
#include "sp-span.h"

G_BEGIN_DECLS

#define SP_PARSER_MAX_WARNINGS 64

typedef struct
{
  GPtrArray *messages;
  guint      dropped;
} SpWarnings;

void        sp_warnings_init          (SpWarnings   *warnings);
void        sp_warnings_add           (SpWarnings   *warnings,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (2, 3);
JsonArray  *sp_warnings_steal_json    (SpWarnings   *warnings);
void        sp_warnings_clear         (SpWarnings   *warnings);

typedef struct
{
  SpSample     *sample;
  GCancellable *cancellable;
  guint64       remaining;
} SpEntropyBudget;

void        sp_entropy_budget_init    (SpEntropyBudget *budget,
                                       SpSample        *sample,
                                       GCancellable    *cancellable);
gboolean    sp_entropy_budget_measure (SpEntropyBudget *budget,
                                       guint64          offset,
                                       guint64          length,
                                       double          *bits_per_byte);

char       *sp_parser_printable       (const guint8 *data,
                                       gsize         length);
char       *sp_parser_utf16le_to_utf8 (const SpSpan *span,
                                       guint64       offset,
                                       gsize         max_units,
                                       guint64      *end_offset);
char       *sp_parser_format_utc      (gint64        unix_time);

/* Typed getters that return nothing for a missing member or one of another
 * type, so a hand-edited report read back from disk renders without criticals. */
gboolean    sp_json_get_int           (JsonObject   *object,
                                       const char   *member,
                                       gint64       *value);
const char *sp_json_get_string        (JsonObject   *object,
                                       const char   *member);
JsonArray  *sp_json_get_array         (JsonObject   *object,
                                       const char   *member);
JsonObject *sp_json_get_object        (JsonObject   *object,
                                       const char   *member);
gboolean    sp_json_get_double        (JsonObject   *object,
                                       const char   *member,
                                       double       *value);

/* Rendering helpers: missing members render as nothing. */
char       *sp_render_hex             (JsonObject   *object,
                                       const char   *member);
char       *sp_render_int             (JsonObject   *object,
                                       const char   *member);
char       *sp_render_string_list     (JsonObject   *object,
                                       const char   *member,
                                       const char   *separator);
void        sp_render_field_hex       (SpReportWriter *writer,
                                       const char     *label,
                                       JsonObject     *object,
                                       const char     *member);
void        sp_render_field_int       (SpReportWriter *writer,
                                       const char     *label,
                                       JsonObject     *object,
                                       const char     *member);
void        sp_render_field_string    (SpReportWriter *writer,
                                       const char     *label,
                                       JsonObject     *object,
                                       const char     *member);
void        sp_render_field_named_int (SpReportWriter *writer,
                                       const char     *label,
                                       JsonObject     *object,
                                       const char     *member,
                                       const char     *name_member);
void        sp_render_field_bool      (SpReportWriter *writer,
                                       const char     *label,
                                       JsonObject     *object,
                                       const char     *member);
void        sp_render_warnings        (SpReportWriter *writer,
                                       JsonObject     *section);

/* One column of a table rendered from a JSON array of objects: @format
 * turns the object's @member into the cell text (%NULL renders as an empty
 * cell); @header is marked with N_() and translated when rendered. */
typedef struct
{
  const char *header;
  const char *member;
  char     *(*format) (JsonObject *object,
                       const char *member);
  guint       text_width;
} SpRenderColumn;

char       *sp_render_string          (JsonObject   *object,
                                       const char   *member);
char       *sp_render_entropy         (JsonObject   *object,
                                       const char   *member);
char       *sp_render_list            (JsonObject   *object,
                                       const char   *member);
void        sp_render_json_table      (SpReportWriter       *writer,
                                       const char           *title,
                                       JsonArray            *array,
                                       const SpRenderColumn *columns,
                                       guint                 n_columns);

G_END_DECLS
