/* sp-bmp.h: Windows bitmap (BMP) file and info headers
 *
 * Walks the BITMAPFILEHEADER and the DIB header that follows (core, info,
 * V2–V5 and OS/2 variants) into a "bmp" report section; inconsistent
 * values become warnings.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"

G_BEGIN_DECLS

JsonObject *sp_bmp_analyze (SpSample       *sample);
void        sp_bmp_render  (JsonObject     *section,
                            SpReportWriter *writer);

G_END_DECLS
