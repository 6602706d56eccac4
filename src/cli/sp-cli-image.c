/* sp-cli-image.c: specimen-cli image [--grayscale=OUT.png] [--thumbnail=OUT.png] [--size=N] IMAGE
 *
 * Decodes IMAGE in the sandboxed helper, prints what it is and optionally
 * saves its grayscale version and a thumbnail as PNG. Exit status 0 on
 * success, 1 if the image is refused, corrupt or cannot be saved, 2 on a
 * usage error.
 */
#include "config.h"
#define G_LOG_DOMAIN "specimen-cli"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-cli-analyze.h"
#include "sp-cli-image.h"
#include "sp-image.h"

static gboolean
save (SpImage    *image,
      const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;

  if (!sp_image_save_png (image, file, NULL, &error))
    {
      sp_cli_print_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_summary (SpSample *sample,
               SpImage  *image)
{
  g_autofree char *format = g_ascii_strup (sp_image_get_format (image), -1);
  guint channels = sp_image_get_channels (image);
  guint depth = sp_image_get_bit_depth (image);
  const char * const *warnings = sp_image_get_warnings (image);

  /* TRANSLATORS: file name, format, width × height, channels, bits per channel */
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "%s: %s, %u × %u pixels, %u channels, %u bit per channel\n",
                        "%s: %s, %u × %u pixels, %u channels, %u bits per channel\n", depth),
           sp_sample_get_display_name (sample), format, sp_image_get_width (image),
           sp_image_get_height (image), channels, depth);
  for (guint i = 0; warnings[i] != NULL; i++)
    sp_cli_print_error (_("warning: %s"), warnings[i]);
}

int
sp_cli_image_main (int    argc,
                   char **argv)
{
  g_autofree char *grayscale_path = NULL;
  g_autofree char *thumbnail_path = NULL;
  g_auto(GStrv) files = NULL;
  int size = SP_IMAGE_DEFAULT_THUMBNAIL_SIZE;
  GOptionEntry entries[] = {
    { "grayscale", 0, 0, G_OPTION_ARG_FILENAME, &grayscale_path,
      N_("Save the image in grayscale (BT.601 luma, alpha kept) as PNG"), N_("OUT.png") },
    { "thumbnail", 0, 0, G_OPTION_ARG_FILENAME, &thumbnail_path,
      N_("Save a thumbnail that fits in SIZE × SIZE as PNG"), N_("OUT.png") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size,
      N_("Thumbnail size in pixels (default 128)"), N_("SIZE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("IMAGE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IMAGE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpImage) image = NULL;
  gboolean ok = TRUE;

  g_option_context_set_summary (context, _("Decode a PNG, JPEG, BMP or GIF image in a sandboxed "
                                           "helper; save grayscale and thumbnail versions."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sp_cli_print_error ("%s", error->message);
      return SP_CLI_EXIT_USAGE;
    }
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      sp_cli_print_error (_("Give exactly one image file (see --help)."));
      return SP_CLI_EXIT_USAGE;
    }
  if (size < 1 || size > 16384)
    {
      sp_cli_print_error (_("The thumbnail size must be between 1 and 16384 pixels."));
      return SP_CLI_EXIT_USAGE;
    }

  sample = sp_sample_open (files[0], &error);
  if (sample != NULL)
    image = sp_image_decode (sample, NULL, &error);
  if (image == NULL)
    {
      sp_cli_print_error ("%s", error->message);
      return SP_CLI_EXIT_FAILED;
    }

  print_summary (sample, image);

  if (grayscale_path != NULL)
    {
      g_autoptr(SpImage) gray = sp_image_to_grayscale (image);

      ok = save (gray, grayscale_path) && ok;
    }
  if (thumbnail_path != NULL)
    {
      g_autoptr(SpImage) thumb = sp_image_thumbnail (image, (guint) size);

      ok = save (thumb, thumbnail_path) && ok;
    }

  return ok ? SP_CLI_EXIT_OK : SP_CLI_EXIT_FAILED;
}
