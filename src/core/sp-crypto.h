/* sp-crypto.h: encrypted report containers (AES-256-GCM, libsodium)
 *
 * The on-disk format is documented byte by byte in docs/encrypted-report.md:
 * a 56-byte header (magic, version, cipher, key source, payload type, Argon2id
 * parameters, salt, nonce) that is also the additional authenticated data,
 * then the ciphertext and the 16-byte GCM tag. Passwords and keys only ever
 * live in sodium_malloc'ed, locked memory that is wiped when freed.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SP_CRYPTO_ERROR (sp_crypto_error_quark ())

typedef enum
{
  /* libsodium failed to start, or the CPU has no AES-NI. */
  SP_CRYPTO_ERROR_UNAVAILABLE,
  /* The data does not start with the Specimen magic. */
  SP_CRYPTO_ERROR_NOT_ENCRYPTED,
  /* A header field has a value this version does not know. */
  SP_CRYPTO_ERROR_UNSUPPORTED,
  /* The file wants a password and a key file was given, or the reverse. */
  SP_CRYPTO_ERROR_WRONG_KEY_KIND,
  /* Stored Argon2id parameters are out of the accepted range. */
  SP_CRYPTO_ERROR_LIMITS,
  /* Authentication failed (wrong password or key), or the file is damaged or truncated,
   * its header included. */
  SP_CRYPTO_ERROR_DECRYPT,
  /* The plaintext is larger than AES-256-GCM can take in one message. */
  SP_CRYPTO_ERROR_TOO_LARGE,
  /* The key file is not exactly 32 bytes, or the password is empty or too long. */
  SP_CRYPTO_ERROR_BAD_KEY,
  /* Secure memory or the key derivation's memory could not be allocated. */
  SP_CRYPTO_ERROR_NO_MEMORY,
} SpCryptoError;

GQuark sp_crypto_error_quark (void);

typedef enum
{
  SP_PAYLOAD_JSON_REPORT = 1,
  SP_PAYLOAD_OTHER = 2,
} SpPayloadType;

typedef enum
{
  SP_KEY_SOURCE_PASSWORD = 1,
  SP_KEY_SOURCE_KEY_FILE = 2,
} SpKeySource;

#define SP_CRYPTO_MAGIC          "SPECIMEN"
#define SP_CRYPTO_HEADER_SIZE    56
#define SP_CRYPTO_VERSION        1
#define SP_CRYPTO_CIPHER_AES256GCM 1
#define SP_CRYPTO_KEY_SIZE       32
#define SP_CRYPTO_SALT_SIZE      16
#define SP_CRYPTO_NONCE_SIZE     12
#define SP_CRYPTO_TAG_SIZE       16

/* Passwords longer than this are refused (they would only be typos or files). */
#define SP_CRYPTO_MAX_PASSWORD   4096

/* Decryption refuses stored Argon2id parameters above these before allocating anything. */
#define SP_CRYPTO_MAX_OPSLIMIT   16
#define SP_CRYPTO_MAX_MEMLIMIT   (G_GUINT64_CONSTANT (1) << 30)

typedef struct
{
  guint8        version;
  guint8        cipher;
  SpKeySource   key_source;
  SpPayloadType payload_type;
  guint64       opslimit;
  guint64       memlimit;
  guint8        salt[SP_CRYPTO_SALT_SIZE];
  guint8        nonce[SP_CRYPTO_NONCE_SIZE];
} SpCryptoHeader;

typedef struct _SpCryptoKey SpCryptoKey;

gboolean       sp_crypto_init                  (GError              **error);

SpCryptoKey   *sp_crypto_key_new_from_password (const char           *password,
                                                gsize                 length,
                                                GError              **error);
SpCryptoKey   *sp_crypto_key_new_from_password_stream (GInputStream  *stream,
                                                GCancellable         *cancellable,
                                                GError              **error);
SpCryptoKey   *sp_crypto_key_new_from_password_file (GFile         *file,
                                                GCancellable         *cancellable,
                                                GError              **error);
SpCryptoKey   *sp_crypto_key_new_from_key_file (GFile                *file,
                                                GCancellable         *cancellable,
                                                GError              **error);
SpCryptoKey   *sp_crypto_key_new_from_raw_key  (const guint8         *raw,
                                                gsize                 length,
                                                GError              **error);
void           sp_crypto_key_free              (SpCryptoKey          *key);
SpKeySource    sp_crypto_key_get_source        (SpCryptoKey          *key);
void           sp_crypto_key_set_kdf_limits    (SpCryptoKey          *key,
                                                guint64               opslimit,
                                                guint64               memlimit);
void           sp_crypto_key_get_kdf_limits    (SpCryptoKey          *key,
                                                guint64              *opslimit,
                                                guint64              *memlimit);

void           sp_crypto_default_kdf_limits    (guint64              *opslimit,
                                                guint64              *memlimit);

gboolean       sp_crypto_is_encrypted          (const guint8         *head,
                                                gsize                 len);
gboolean       sp_crypto_parse_header          (const guint8         *data,
                                                gsize                 len,
                                                SpCryptoHeader       *header,
                                                GError              **error);
SpPayloadType  sp_crypto_detect_payload_type   (const guint8         *data,
                                                gsize                 len);

GBytes        *sp_crypto_encrypt               (GBytes               *plaintext,
                                                SpCryptoKey          *key,
                                                SpPayloadType         type,
                                                GError              **error);
GBytes        *sp_crypto_decrypt               (GBytes               *container,
                                                SpCryptoKey          *key,
                                                SpPayloadType        *type,
                                                GError              **error);

gboolean       sp_crypto_generate_key_file     (GFile                *file,
                                                gboolean              overwrite,
                                                GCancellable         *cancellable,
                                                GError              **error);
gboolean       sp_crypto_replace_file          (GFile                *file,
                                                GBytes               *contents,
                                                gboolean              private_mode,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCryptoKey, sp_crypto_key_free)

G_END_DECLS
