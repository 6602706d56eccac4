/* gui-latency.c: how the window keeps up with a large sample
 *
 * Opens SAMPLE in the real Specimen window and measures, with SpStallMeter
 * (a 10 ms high-priority timeout), the longest main-loop gap while the
 * sample is analysed and its report shown; then types NEEDLE into the
 * strings filter and measures how long the first matching rows take to
 * appear, how long the whole filter takes, and the longest gap meanwhile.
 * Built and run by bench/gui-latency.sh (under Xvfb).
 *
 * Usage: gui-latency SAMPLE NEEDLE...
 */
#include "config.h"
#define G_LOG_DOMAIN "gui-latency"

#include <adwaita.h>

#include "sp-application.h"
#include "sp-stall-meter.h"
#include "sp-strings-page.h"
#include "sp-window.h"

#define TIMEOUT_S 600

typedef struct
{
  GApplication  *app;
  const char    *path;
  char         **needles;
  guint          next_needle;
  SpWindow      *window;
  SpStallMeter  *meter;
  gint64         phase_start;
  gint64         running_longest;  /* while the analysis ran, before its report was shown */
  SpStringsPage *strings;
  GListModel    *visible;
  gint64         first_rows;
  gulong         items_handler;
  gboolean       failed;
} Bench;

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void start_filter (Bench *bench);

static void
on_visible_changed (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Bench      *bench)
{
  if (bench->first_rows < 0 && g_list_model_get_n_items (model) > 0)
    bench->first_rows = g_get_monotonic_time ();
}

static gboolean
poll_filter (gpointer data)
{
  Bench *bench = data;

  if (sp_strings_page_get_filter_pending (bench->strings)
      && ms_since (bench->phase_start) < TIMEOUT_S * 1000.0)
    return G_SOURCE_CONTINUE;

  g_print ("filter \"%s\": first rows after %.1f ms, filter done after %.1f ms (%u rows), "
           "longest main-loop gap %.1f ms\n",
           bench->needles[bench->next_needle],
           bench->first_rows >= 0 ? (bench->first_rows - bench->phase_start) / 1000.0 : -1.0,
           ms_since (bench->phase_start), g_list_model_get_n_items (bench->visible),
           sp_stall_meter_get_longest_us (bench->meter) / 1000.0);
  g_signal_handler_disconnect (bench->visible, bench->items_handler);
  bench->next_needle++;
  start_filter (bench);
  return G_SOURCE_REMOVE;
}

static gboolean
begin_filter (gpointer data)
{
  Bench *bench = data;

  bench->first_rows = -1;
  bench->items_handler = g_signal_connect (bench->visible, "items-changed",
                                           G_CALLBACK (on_visible_changed), bench);
  sp_stall_meter_reset (bench->meter);
  bench->phase_start = g_get_monotonic_time ();
  /* As if typed in the search entry: the page filters from here. */
  sp_strings_page_set_search (bench->strings, bench->needles[bench->next_needle], FALSE);
  g_timeout_add (5, poll_filter, bench);
  return G_SOURCE_REMOVE;
}

static void
start_filter (Bench *bench)
{
  if (bench->needles[bench->next_needle] == NULL)
    {
      g_application_quit (bench->app);
      return;
    }
  /* Let the previous filter's rows draw before the next one starts. */
  g_timeout_add (500, begin_filter, bench);
}

static gboolean
poll_analysis (gpointer data)
{
  Bench *bench = data;
  SpSampleView *view = sp_window_get_current_view (bench->window);
  SpSampleViewState state = view != NULL ? sp_sample_view_get_state (view) : SP_SAMPLE_VIEW_DONE;

  if (view == NULL || state < SP_SAMPLE_VIEW_DONE)
    {
      bench->running_longest = sp_stall_meter_get_longest_us (bench->meter);
      if (ms_since (bench->phase_start) < TIMEOUT_S * 1000.0)
        return G_SOURCE_CONTINUE;
      g_printerr ("gui-latency: the analysis did not finish in %d s\n", TIMEOUT_S);
      bench->failed = TRUE;
      g_application_quit (bench->app);
      return G_SOURCE_REMOVE;
    }
  if (state != SP_SAMPLE_VIEW_DONE)
    {
      g_printerr ("gui-latency: the analysis failed\n");
      bench->failed = TRUE;
      g_application_quit (bench->app);
      return G_SOURCE_REMOVE;
    }

  g_print ("analysis in the window: %.1f s, longest main-loop gap %.1f ms while it ran, "
           "%.1f ms including the report being shown\n",
           ms_since (bench->phase_start) / 1000.0, bench->running_longest / 1000.0,
           sp_stall_meter_get_longest_us (bench->meter) / 1000.0);

  bench->strings = SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings"));
  sp_sample_view_show_page (view, "strings");
  bench->visible = sp_strings_page_get_visible_model (bench->strings);
  g_print ("strings in the table: %u\n", g_list_model_get_n_items (bench->visible));
  start_filter (bench);
  return G_SOURCE_REMOVE;
}

static gboolean
open_sample (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (bench->path);
  GFile *files[] = { file };

  bench->meter = sp_stall_meter_new ();
  bench->phase_start = g_get_monotonic_time ();
  sp_window_open_files (bench->window, files, 1);
  g_timeout_add (20, poll_analysis, bench);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             Bench        *bench)
{
  bench->window = SP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert (bench->window != NULL);
  /* Start-up (the first frame, fonts, CSS) is not what is measured. */
  g_timeout_add (1000, open_sample, bench);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SpApplication) app = NULL;
  Bench bench = { 0 };
  char *app_argv[] = { argv[0], NULL };

  if (argc < 3)
    {
      g_printerr ("Usage: %s SAMPLE NEEDLE...\n", argv[0]);
      return 2;
    }
  bench.path = argv[1];
  bench.needles = argv + 2;

  app = sp_application_new ();
  bench.app = G_APPLICATION (app);
  /* No D-Bus name: the benchmark must not talk to a running Specimen. */
  g_application_set_flags (bench.app, G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &bench);
  g_application_run (bench.app, 1, app_argv);
  g_clear_pointer (&bench.meter, sp_stall_meter_free);
  return bench.failed ? 1 : 0;
}
