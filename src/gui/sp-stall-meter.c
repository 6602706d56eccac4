/* sp-stall-meter.c: measures the longest gap of the main loop */
#include "config.h"
#define G_LOG_DOMAIN "sp-stall-meter"

#include <signal.h>
#include <time.h>
#include <glib-unix.h>

#include "sp-stall-meter.h"

#define TICK_MS 10
/* Gaps over the target are counted, and the longest listed with their
 * times (to tell start-up from analysis) and the CPU time the main thread
 * used in them (to tell a busy loop from one waiting for a core). */
#define LONG_GAP_US (50 * 1000)
#define MAX_LONG_GAPS 12

typedef struct
{
  gint64 at;
  gint64 length;
  gint64 cpu;
} Gap;

static gint64
thread_cpu_time (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

struct _SpStallMeter
{
  guint  source_id;
  gint64 started;
  gint64 last_tick;
  gint64 longest;      /* microseconds between two ticks */
  gint64 longest_at;   /* when that gap ended, since started */
  guint64 ticks;
  gint64 last_cpu;
  Gap    long_gaps[MAX_LONG_GAPS];  /* the longest, longest first */
  guint  n_long_gaps;
  guint  n_over;                    /* all gaps over LONG_GAP_US */
};

static void
note_long_gap (SpStallMeter *meter,
               const Gap    *gap)
{
  guint i = MIN (meter->n_long_gaps, MAX_LONG_GAPS - 1);

  meter->n_over++;
  if (meter->n_long_gaps == MAX_LONG_GAPS && gap->length <= meter->long_gaps[i].length)
    return;
  /* Insertion into the short sorted list. */
  while (i > 0 && meter->long_gaps[i - 1].length < gap->length)
    {
      meter->long_gaps[i] = meter->long_gaps[i - 1];
      i--;
    }
  meter->long_gaps[i] = *gap;
  meter->n_long_gaps = MIN (meter->n_long_gaps + 1, MAX_LONG_GAPS);
}

static gboolean
on_tick (gpointer data)
{
  SpStallMeter *meter = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  if (now - meter->last_tick > LONG_GAP_US)
    {
      Gap gap = { now - meter->started, now - meter->last_tick, cpu - meter->last_cpu };

      note_long_gap (meter, &gap);
    }
  if (now - meter->last_tick > meter->longest)
    {
      meter->longest = now - meter->last_tick;
      meter->longest_at = now - meter->started;
    }
  meter->last_tick = now;
  meter->last_cpu = cpu;
  meter->ticks++;
  return G_SOURCE_CONTINUE;
}

/**
 * sp_stall_meter_new:
 *
 * Starts measuring on the thread-default main context (the GTK main loop
 * when called from the main thread).
 *
 * Returns: (transfer full): a running meter
 */
SpStallMeter *
sp_stall_meter_new (void)
{
  SpStallMeter *meter = g_new0 (SpStallMeter, 1);

  sp_stall_meter_reset (meter);
  /* Above GTK's redraw and input priorities: it runs whenever the loop does. */
  meter->source_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, meter, NULL);
  g_source_set_name_by_id (meter->source_id, "[specimen] stall meter");
  return meter;
}

/**
 * sp_stall_meter_reset:
 *
 * Forgets the gaps so far, to measure one phase.
 */
void
sp_stall_meter_reset (SpStallMeter *meter)
{
  meter->started = meter->last_tick = g_get_monotonic_time ();
  meter->last_cpu = thread_cpu_time ();
  meter->longest = 0;
  meter->longest_at = 0;
  meter->ticks = 0;
  meter->n_long_gaps = 0;
  meter->n_over = 0;
}

/**
 * sp_stall_meter_get_longest_us:
 *
 * Returns: the longest interval between two runs of the 10 ms timeout, in
 *   microseconds (so at least about 10000 once the loop has turned)
 */
gint64
sp_stall_meter_get_longest_us (SpStallMeter *meter)
{
  /* A gap still going on counts too. */
  return MAX (meter->longest, g_get_monotonic_time () - meter->last_tick);
}

void
sp_stall_meter_free (SpStallMeter *meter)
{
  if (meter == NULL)
    return;
  g_source_remove (meter->source_id);
  g_free (meter);
}

static void
on_shutdown (GApplication *application,
             SpStallMeter *meter)
{
  g_printerr ("specimen: longest main-loop gap %.1f ms (at %.1f s, %" G_GUINT64_FORMAT
              " ticks of %d ms over %.1f s)\n",
              meter->longest / 1000.0, meter->longest_at / 1e6, meter->ticks, TICK_MS,
              (g_get_monotonic_time () - meter->started) / 1e6);
  g_printerr ("specimen: %u gaps over %d ms; the longest:\n", meter->n_over, LONG_GAP_US / 1000);
  for (guint i = 0; i < meter->n_long_gaps; i++)
    g_printerr ("specimen:   %.1f ms ending at %.2f s, main thread on a CPU for %.1f ms of it\n",
                meter->long_gaps[i].length / 1000.0, meter->long_gaps[i].at / 1e6,
                meter->long_gaps[i].cpu / 1000.0);
  g_signal_handlers_disconnect_by_func (application, on_shutdown, meter);
  sp_stall_meter_free (meter);
}

static gboolean
on_quit_signal (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

/**
 * sp_stall_meter_watch_application:
 * @application: the application, before it runs
 *
 * When the environment variable SPECIMEN_MEASURE_STALLS is set (and not
 * "0"), measures the main loop for the whole run and prints the longest gap
 * to standard error when @application shuts down. SIGINT and SIGTERM then
 * quit the application cleanly, so a script can stop it and read the figure.
 * Does nothing otherwise.
 */
void
sp_stall_meter_watch_application (GApplication *application)
{
  const char *value = g_getenv ("SPECIMEN_MEASURE_STALLS");
  SpStallMeter *meter;

  g_return_if_fail (G_IS_APPLICATION (application));

  if (value == NULL || value[0] == '\0' || g_strcmp0 (value, "0") == 0)
    return;

  meter = sp_stall_meter_new ();
  g_signal_connect (application, "shutdown", G_CALLBACK (on_shutdown), meter);
  g_unix_signal_add (SIGINT, on_quit_signal, application);
  g_unix_signal_add (SIGTERM, on_quit_signal, application);
}
