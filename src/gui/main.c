/* main.c: the specimen desktop application */
#include "config.h"
#define G_LOG_DOMAIN "specimen"

#include <locale.h>
#include <glib/gi18n.h>

#include "sp-application.h"
#include "sp-stall-meter.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SpApplication) app = NULL;
  /* Tests and uninstalled runs point this at the build tree's catalogs. */
  const char *localedir = g_getenv ("SPECIMEN_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Specimen"));
  app = sp_application_new ();
  sp_stall_meter_watch_application (G_APPLICATION (app));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
