/* sp-pe.h: Portable Executable headers (EXE, DLL, SYS, EFI; PE32 and PE32+)
 *
 * Reads the DOS, COFF and optional headers, the section table, imports,
 * delay-load imports, exports, version strings and the overlay of a sample
 * into a "pe" report section. Every offset, size and count from the file is
 * checked before use; damaged headers give a partial section with warnings.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-ioc.h"
#include "sp-report-writer.h"
#include "sp-sample.h"

G_BEGIN_DECLS

JsonObject *sp_pe_analyze (SpSample       *sample,
                           SpIocSet       *iocs,
                           GCancellable   *cancellable);
void        sp_pe_render  (JsonObject     *section,
                           SpReportWriter *writer);

G_END_DECLS
