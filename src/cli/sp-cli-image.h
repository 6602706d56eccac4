/* sp-cli-image.h: specimen-cli image [--grayscale=OUT.png] [--thumbnail=OUT.png] [--size=N] IMAGE */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sp_cli_image_main (int    argc,
                       char **argv);

G_END_DECLS
