/* sp-cli-crypt.h: specimen-cli encrypt, decrypt and keygen
 *
 * The key options are shared with `analyze --encrypt`, which adds them to
 * its own option context and encrypts its JSON output with
 * sp_cli_write_encrypted().
 */
#pragma once

#include <gio/gio.h>

#include "sp-crypto.h"

G_BEGIN_DECLS

typedef struct
{
  char   *password_file;
  char   *key_file;
  /* Hidden, for tests: Argon2id cost of new files; 0 keeps the default. */
  gint64  kdf_ops;
  gint64  kdf_mem;
} SpCliKeyOptions;

int          sp_cli_encrypt_main       (int                     argc,
                                        char                  **argv);
int          sp_cli_decrypt_main       (int                     argc,
                                        char                  **argv);
int          sp_cli_keygen_main        (int                     argc,
                                        char                  **argv);

void         sp_cli_add_key_options    (GOptionContext         *context,
                                        SpCliKeyOptions        *options);
void         sp_cli_key_options_clear  (SpCliKeyOptions        *options);
gboolean     sp_cli_key_options_check  (const SpCliKeyOptions  *options,
                                        gboolean                required);
SpCryptoKey *sp_cli_load_key           (const SpCliKeyOptions  *options,
                                        GError                **error);
gboolean     sp_cli_write_encrypted    (GBytes                 *plaintext,
                                        SpPayloadType           type,
                                        SpCryptoKey            *key,
                                        const char             *output_path,
                                        GError                **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpCliKeyOptions, sp_cli_key_options_clear)

G_END_DECLS
