/* sp-cli-crypt.c: specimen-cli encrypt, decrypt and keygen
 *
 * Everything is computed in memory first and written only once it
 * succeeded, atomically, so a wrong password or a damaged file never leaves
 * an output file behind. The format is docs/encrypted-report.md.
 */
#include "config.h"
#define G_LOG_DOMAIN "specimen-cli"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <unistd.h>

#include "sp-cli-analyze.h"
#include "sp-cli-crypt.h"

/**
 * sp_cli_add_key_options:
 * @context: an option context
 * @options: where the parsed values go (zero-initialised by the caller)
 *
 * Adds --password-file, --key-file and the hidden --kdf-ops/--kdf-mem.
 */
void
sp_cli_add_key_options (GOptionContext  *context,
                        SpCliKeyOptions *options)
{
  const GOptionEntry entries[] = {
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options->password_file,
      N_("Read the password from FILE (“-” for standard input; one trailing newline is "
         "ignored)"), N_("FILE") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &options->key_file,
      N_("Use the 32-byte key in FILE (see “keygen”)"), N_("FILE") },
    { "kdf-ops", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &options->kdf_ops,
      "Argon2id opslimit of new files (tests only)", "N" },
    { "kdf-mem", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &options->kdf_mem,
      "Argon2id memlimit in bytes of new files (tests only)", "BYTES" },
    { NULL }
  };

  /* GOption copies the entries; the pointers into @options stay valid. */
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/**
 * sp_cli_key_options_clear:
 * @options: parsed key options
 */
void
sp_cli_key_options_clear (SpCliKeyOptions *options)
{
  g_clear_pointer (&options->password_file, g_free);
  g_clear_pointer (&options->key_file, g_free);
}

/**
 * sp_cli_key_options_check:
 * @options: parsed key options
 * @required: whether one key source must be given
 *
 * Prints a usage error if both sources (or, when @required, neither) are given.
 *
 * Returns: %TRUE if the options are usable
 */
gboolean
sp_cli_key_options_check (const SpCliKeyOptions *options,
                          gboolean               required)
{
  if (options->password_file != NULL && options->key_file != NULL)
    {
      sp_cli_print_error (_("Give either --password-file or --key-file, not both."));
      return FALSE;
    }
  if (required && options->password_file == NULL && options->key_file == NULL)
    {
      sp_cli_print_error (_("A key is needed: give --password-file=FILE or --key-file=FILE."));
      return FALSE;
    }
  if (options->kdf_ops < 0 || options->kdf_mem < 0)
    {
      sp_cli_print_error (_("The key-derivation limits cannot be negative."));
      return FALSE;
    }

  return TRUE;
}

/**
 * sp_cli_load_key:
 * @options: checked key options with one source set
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the key, in protected memory
 */
SpCryptoKey *
sp_cli_load_key (const SpCliKeyOptions  *options,
                 GError                **error)
{
  g_autoptr(GFile) file = NULL;
  SpCryptoKey *key;

  if (options->key_file != NULL)
    {
      file = g_file_new_for_commandline_arg (options->key_file);
      return sp_crypto_key_new_from_key_file (file, NULL, error);
    }

  if (g_strcmp0 (options->password_file, "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GError) local_error = NULL;

      key = sp_crypto_key_new_from_password_stream (in, NULL, &local_error);
      if (key == NULL)
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Cannot read the password from standard input: "));
    }
  else
    {
      file = g_file_new_for_commandline_arg (options->password_file);
      key = sp_crypto_key_new_from_password_file (file, NULL, error);
    }

  if (key != NULL && (options->kdf_ops > 0 || options->kdf_mem > 0))
    {
      guint64 ops = 0, mem = 0;

      sp_crypto_key_get_kdf_limits (key, &ops, &mem);
      sp_crypto_key_set_kdf_limits (key,
                                    options->kdf_ops > 0 ? (guint64) options->kdf_ops : ops,
                                    options->kdf_mem > 0 ? (guint64) options->kdf_mem : mem);
    }

  return key;
}

/**
 * sp_cli_write_encrypted:
 * @plaintext: what to encrypt
 * @type: the payload type to record
 * @key: the key
 * @output_path: the file to write (atomically)
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the encrypted file was written
 */
gboolean
sp_cli_write_encrypted (GBytes         *plaintext,
                        SpPayloadType   type,
                        SpCryptoKey    *key,
                        const char     *output_path,
                        GError        **error)
{
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GFile) file = NULL;

  container = sp_crypto_encrypt (plaintext, key, type, error);
  if (container == NULL)
    return FALSE;

  file = g_file_new_for_commandline_arg (output_path);

  return sp_crypto_replace_file (file, container, FALSE, NULL, error);
}

/* Reads a whole regular file; FIFOs, devices and files over @max_size are refused before
 * reading (AES-GCM is one-shot, so the file is held in memory). */
static GBytes *
load_regular_file (const char  *path,
                   guint64      max_size,
                   GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      name = g_file_get_parse_name (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file."), name);
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > max_size)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_TOO_LARGE,
                   _("It is larger than one AES-256-GCM message can be."));
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;

  return g_bytes_new_take (contents, length);
}

static GOptionContext *
new_context (const char      *parameters,
             const char      *summary,
             GOptionEntry    *entries,
             SpCliKeyOptions *key_options)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (key_options != NULL)
    sp_cli_add_key_options (context, key_options);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context,
    _("The file format is described in docs/encrypted-report.md.\n"
      "Exit status: 0 on success, 1 on failure (nothing is written), 2 on usage errors."));

  return context;
}

/* Prints a usage error and returns FALSE if the command line does not parse or, when
 * @key_options is given, names no usable key source. */
static gboolean
parse_command_line (GOptionContext        *context,
                    int                   *argc,
                    char                ***argv,
                    const SpCliKeyOptions *key_options)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sp_cli_print_error ("%s", error->message);
      return FALSE;
    }

  return key_options == NULL || sp_cli_key_options_check (key_options, TRUE);
}

/**
 * sp_cli_encrypt_main:
 *
 * specimen-cli encrypt (--password-file=F | --key-file=F) -o OUT INPUT
 */
int
sp_cli_encrypt_main (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpCryptoKey) key = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *input_name = NULL;
  g_auto(GStrv) inputs = NULL;
  SpCliKeyOptions key_options = { 0 };
  SpPayloadType type;
  int status = SP_CLI_EXIT_FAILED;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Write the encrypted file to FILE (required)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("INPUT") },
    { NULL }
  };

  context = new_context (_("INPUT — encrypt a file or report with AES-256-GCM"),
                         _("Encrypts INPUT with a password (Argon2id) or a key file. A Specimen "
                           "JSON report is marked\nas one, so the app can open it."),
                         entries, &key_options);
  if (!parse_command_line (context, &argc, &argv, &key_options))
    {
      status = SP_CLI_EXIT_USAGE;
      goto out;
    }
  if (output_path == NULL)
    {
      sp_cli_print_error (_("Give the output file with -o FILE."));
      status = SP_CLI_EXIT_USAGE;
      goto out;
    }
  if (inputs == NULL || g_strv_length (inputs) != 1)
    {
      sp_cli_print_error (_("Give exactly one INPUT file. Try “%s encrypt --help”."),
                          g_get_prgname ());
      status = SP_CLI_EXIT_USAGE;
      goto out;
    }

  input_name = g_filename_display_name (inputs[0]);
  key = sp_cli_load_key (&key_options, &error);
  if (key == NULL)
    {
      sp_cli_print_error ("%s", error->message);
      goto out;
    }
  plaintext = load_regular_file (inputs[0], crypto_aead_aes256gcm_MESSAGEBYTES_MAX, &error);
  if (plaintext == NULL)
    {
      sp_cli_print_error (_("Cannot read “%s”: %s"), input_name, error->message);
      goto out;
    }

  type = sp_crypto_detect_payload_type (g_bytes_get_data (plaintext, NULL),
                                        g_bytes_get_size (plaintext));
  if (!sp_cli_write_encrypted (plaintext, type, key, output_path, &error))
    {
      sp_cli_print_error (_("Cannot encrypt “%s”: %s"), input_name, error->message);
      goto out;
    }
  status = SP_CLI_EXIT_OK;

out:
  sp_cli_key_options_clear (&key_options);
  return status;
}

static gboolean
write_stdout (GBytes  *bytes,
              GError **error)
{
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  return g_output_stream_write_all (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, NULL, error)
         && g_output_stream_flush (out, NULL, error);
}

/**
 * sp_cli_decrypt_main:
 *
 * specimen-cli decrypt (--password-file=F | --key-file=F) [-o OUT] IN
 */
int
sp_cli_decrypt_main (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpCryptoKey) key = NULL;
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *input_name = NULL;
  g_auto(GStrv) inputs = NULL;
  SpCliKeyOptions key_options = { 0 };
  int status = SP_CLI_EXIT_FAILED;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Write the plaintext to FILE (atomically) instead of standard output"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("IN") },
    { NULL }
  };

  context = new_context (_("IN — decrypt a Specimen encrypted file"),
                         _("Checks and decrypts IN. On a wrong password or any damage nothing is "
                           "written."),
                         entries, &key_options);
  if (!parse_command_line (context, &argc, &argv, &key_options))
    {
      status = SP_CLI_EXIT_USAGE;
      goto out;
    }
  if (inputs == NULL || g_strv_length (inputs) != 1)
    {
      sp_cli_print_error (_("Give exactly one encrypted file. Try “%s decrypt --help”."),
                          g_get_prgname ());
      status = SP_CLI_EXIT_USAGE;
      goto out;
    }

  input_name = g_filename_display_name (inputs[0]);
  container = load_regular_file (inputs[0],
                                 (guint64) crypto_aead_aes256gcm_MESSAGEBYTES_MAX
                                 + SP_CRYPTO_HEADER_SIZE + SP_CRYPTO_TAG_SIZE, &error);
  if (container == NULL)
    {
      sp_cli_print_error (_("Cannot read “%s”: %s"), input_name, error->message);
      goto out;
    }
  /* Header problems are reported before asking for (or deriving) any key. */
  {
    SpCryptoHeader header;

    if (!sp_crypto_parse_header (g_bytes_get_data (container, NULL),
                                 g_bytes_get_size (container), &header, &error))
      {
        sp_cli_print_error (_("Cannot decrypt “%s”: %s"), input_name, error->message);
        goto out;
      }
  }
  key = sp_cli_load_key (&key_options, &error);
  if (key == NULL)
    {
      sp_cli_print_error ("%s", error->message);
      goto out;
    }
  plaintext = sp_crypto_decrypt (container, key, NULL, &error);
  if (plaintext == NULL)
    {
      sp_cli_print_error (_("Cannot decrypt “%s”: %s"), input_name, error->message);
      goto out;
    }

  if (output_path != NULL && g_strcmp0 (output_path, "-") != 0)
    {
      g_autoptr(GFile) output = g_file_new_for_commandline_arg (output_path);

      /* What was encrypted stays readable by its owner only once decrypted. */
      if (!sp_crypto_replace_file (output, plaintext, TRUE, NULL, &error))
        {
          sp_cli_print_error (_("Cannot write the decrypted file: %s"), error->message);
          goto out;
        }
    }
  else if (!write_stdout (plaintext, &error))
    {
      sp_cli_print_error (_("Cannot write the decrypted data: %s"), error->message);
      goto out;
    }
  status = SP_CLI_EXIT_OK;

out:
  sp_cli_key_options_clear (&key_options);
  return status;
}

/**
 * sp_cli_keygen_main:
 *
 * specimen-cli keygen [--force] -o KEYFILE
 */
int
sp_cli_keygen_main (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *output_path = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Write the key to FILE, readable by you only (required)"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing key file (whatever it protects becomes unreadable)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  context = new_context (_("— create a random key file"),
                         _("Writes 32 random bytes, usable with --key-file. Keep it secret and "
                           "keep a copy:\nwithout it nothing encrypted with it can be read."),
                         entries, NULL);
  if (!parse_command_line (context, &argc, &argv, NULL))
    return SP_CLI_EXIT_USAGE;
  if (rest != NULL && rest[0] != NULL)
    {
      sp_cli_print_error (_("Unexpected argument “%s”: give the key file with -o FILE."),
                          rest[0]);
      return SP_CLI_EXIT_USAGE;
    }
  if (output_path == NULL || g_strcmp0 (output_path, "-") == 0)
    {
      sp_cli_print_error (_("Give the key file to create with -o FILE."));
      return SP_CLI_EXIT_USAGE;
    }

  file = g_file_new_for_commandline_arg (output_path);
  if (!sp_crypto_generate_key_file (file, force, NULL, &error))
    {
      sp_cli_print_error ("%s", error->message);
      return SP_CLI_EXIT_FAILED;
    }

  return SP_CLI_EXIT_OK;
}
