/* sp-cli-analyze.h: specimen-cli [analyze] [OPTIONS] FILE... */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every command. */
enum
{
  SP_CLI_EXIT_OK = 0,
  SP_CLI_EXIT_FAILED = 1,
  SP_CLI_EXIT_USAGE = 2,
};

int      sp_cli_analyze_main   (int          argc,
                                char       **argv);
void     sp_cli_print_error    (const char  *format,
                                ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
