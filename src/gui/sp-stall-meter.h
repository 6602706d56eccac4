/* sp-stall-meter.h: measures the longest gap of the main loop
 *
 * A high-priority 10 ms timeout notes the time between its runs; the
 * longest interval is how long input would have waited at worst. Used by
 * the app when SPECIMEN_MEASURE_STALLS is set, and by bench/gui-latency.c.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SpStallMeter SpStallMeter;

SpStallMeter *sp_stall_meter_new            (void);
void          sp_stall_meter_reset          (SpStallMeter *meter);
gint64        sp_stall_meter_get_longest_us (SpStallMeter *meter);
void          sp_stall_meter_free           (SpStallMeter *meter);

void          sp_stall_meter_watch_application (GApplication *application);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStallMeter, sp_stall_meter_free)

G_END_DECLS
