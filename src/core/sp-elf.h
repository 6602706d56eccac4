/* sp-elf.h: ELF headers (32/64-bit, little and big endian)
 *
 * Reads the ELF header, program headers, section headers, the interpreter
 * and the dynamic section (DT_NEEDED, DT_SONAME) of a sample into an "elf"
 * report section. Damaged headers give a partial section with warnings.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"

G_BEGIN_DECLS

JsonObject *sp_elf_analyze (SpSample       *sample,
                            GCancellable   *cancellable);
void        sp_elf_render  (JsonObject     *section,
                            SpReportWriter *writer);

G_END_DECLS
