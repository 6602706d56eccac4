/* test-stall-meter.c: the meter sees a blocked main loop, and forgets on reset */
#include "config.h"

#include "sp-stall-meter.h"

static gboolean
block_loop (gpointer data)
{
  g_usleep (150 * 1000);
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_blocked_loop (void)
{
  g_autoptr(SpStallMeter) meter = sp_stall_meter_new ();

  spin (50);
  g_idle_add (block_loop, NULL);
  spin (50);
  /* The 150 ms the idle held the loop, at least; and the meter kept going after it. */
  g_assert_cmpint (sp_stall_meter_get_longest_us (meter), >=, 150 * 1000);

  sp_stall_meter_reset (meter);
  g_assert_cmpint (sp_stall_meter_get_longest_us (meter), <, 100 * 1000);
  g_usleep (120 * 1000);
  /* A gap still going on counts. */
  g_assert_cmpint (sp_stall_meter_get_longest_us (meter), >=, 120 * 1000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/stall-meter/blocked-loop", test_blocked_loop);
  return g_test_run ();
}
