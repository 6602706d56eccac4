/* main.c: specimen-cli entry point, dispatching to its commands */
#include "config.h"
#define G_LOG_DOMAIN "specimen-cli"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "sp-cli-analyze.h"
#include "sp-cli-image.h"
#include "sp-cli-crypt.h"

typedef int (*CommandMain) (int argc, char **argv);

static const struct
{
  const char  *name;
  CommandMain  main;
} commands[] = {
  { "analyze", sp_cli_analyze_main },
  { "image", sp_cli_image_main },
  { "encrypt", sp_cli_encrypt_main },
  { "decrypt", sp_cli_decrypt_main },
  { "keygen", sp_cli_keygen_main },
};

static void
init_i18n (void)
{
  /* Tests and uninstalled runs point this at the build tree's catalogs. */
  const char *localedir = g_getenv ("SPECIMEN_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int    argc,
      char **argv)
{
  init_i18n ();
  g_set_prgname ("specimen-cli");

  if (argc > 1)
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (argv[1], commands[i].name) == 0)
          return commands[i].main (argc - 1, argv + 1);
    }
  /* "analyze" is the default command: specimen-cli FILE... */
  return sp_cli_analyze_main (argc, argv);
}
