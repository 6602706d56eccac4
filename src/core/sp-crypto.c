/* sp-crypto.c: encrypted report containers (AES-256-GCM, libsodium)
 *
 * libsodium's AES-256-GCM is one-shot, so a container is built and opened
 * in memory; reports are small next to the samples they describe. Every
 * header field is checked before any work, and the Argon2id parameters of
 * a file are capped before a byte of key-derivation memory is allocated,
 * because the header comes from whoever handed us the file.
 */
#include "config.h"
#define G_LOG_DOMAIN "specimen-crypto"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "sp-crypto.h"
#include "sp-report.h"
#include "sp-save.h"

G_DEFINE_QUARK (sp-crypto-error-quark, sp_crypto_error)

struct _SpCryptoKey
{
  SpKeySource  source;
  guint64      opslimit;
  guint64      memlimit;
  /* sodium_malloc'ed (guard pages, mlock'ed by libsodium, wiped on free): the password
   * bytes or the raw key. */
  guint8      *secret;
  gsize        secret_len;
};

G_STATIC_ASSERT (SP_CRYPTO_KEY_SIZE == crypto_aead_aes256gcm_KEYBYTES);
G_STATIC_ASSERT (SP_CRYPTO_NONCE_SIZE == crypto_aead_aes256gcm_NPUBBYTES);
G_STATIC_ASSERT (SP_CRYPTO_TAG_SIZE == crypto_aead_aes256gcm_ABYTES);
G_STATIC_ASSERT (SP_CRYPTO_SALT_SIZE == crypto_pwhash_argon2id_SALTBYTES);
G_STATIC_ASSERT (SP_CRYPTO_HEADER_SIZE == 8 + 4 + 8 + 8 + SP_CRYPTO_SALT_SIZE + SP_CRYPTO_NONCE_SIZE);

/* Header field offsets, as in docs/encrypted-report.md. */
enum
{
  OFFSET_MAGIC = 0,
  OFFSET_VERSION = 8,
  OFFSET_CIPHER = 9,
  OFFSET_KEY_SOURCE = 10,
  OFFSET_PAYLOAD = 11,
  OFFSET_OPSLIMIT = 12,
  OFFSET_MEMLIMIT = 20,
  OFFSET_SALT = 28,
  OFFSET_NONCE = 44,
};

/**
 * sp_crypto_init:
 * @error: return location for a #GError
 *
 * Starts libsodium (once per process) and checks that AES-256-GCM can be
 * used on this CPU. There is deliberately no fallback to another cipher:
 * the file format names exactly one.
 *
 * Returns: %TRUE if encryption and decryption are available
 */
gboolean
sp_crypto_init (GError **error)
{
  static gsize sodium_state = 0;

  if (g_once_init_enter (&sodium_state))
    g_once_init_leave (&sodium_state, sodium_init () >= 0 ? 1 : 2);

  if (sodium_state != 1)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNAVAILABLE,
                   _("The cryptography library (libsodium) could not be initialised."));
      return FALSE;
    }

  if (!crypto_aead_aes256gcm_is_available ())
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNAVAILABLE,
                   _("This computer’s processor lacks the AES-NI and PCLMUL instructions that "
                     "libsodium needs for AES-256-GCM, so encrypted reports cannot be created "
                     "or opened here. No other cipher is used instead."));
      return FALSE;
    }

  return TRUE;
}

/**
 * sp_crypto_default_kdf_limits:
 * @opslimit: (out): Argon2id operations limit
 * @memlimit: (out): Argon2id memory limit in bytes
 *
 * The parameters new password-encrypted files get: libsodium's MODERATE
 * class (3 passes over 256 MiB, about half a second here). The environment
 * variable SPECIMEN_KDF_PROFILE=interactive or =minimum lowers them; it
 * exists only so the test suite runs fast and is documented as such.
 */
void
sp_crypto_default_kdf_limits (guint64 *opslimit,
                              guint64 *memlimit)
{
  const char *profile = g_getenv ("SPECIMEN_KDF_PROFILE");

  if (g_strcmp0 (profile, "interactive") == 0)
    {
      *opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
      *memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
    }
  else if (g_strcmp0 (profile, "minimum") == 0)
    {
      *opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
      *memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    }
  else
    {
      *opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
      *memlimit = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
    }
}

static SpCryptoKey *
key_alloc (SpKeySource   source,
           gsize         secret_len,
           GError      **error)
{
  SpCryptoKey *key;

  key = g_new0 (SpCryptoKey, 1);
  key->source = source;
  key->secret_len = secret_len;
  key->secret = sodium_malloc (MAX (secret_len, 1));
  if (key->secret == NULL)
    {
      g_free (key);
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NO_MEMORY,
                   _("Could not allocate protected memory for the key."));
      return NULL;
    }
  if (source == SP_KEY_SOURCE_PASSWORD)
    sp_crypto_default_kdf_limits (&key->opslimit, &key->memlimit);

  return key;
}

/**
 * sp_crypto_key_free:
 * @key: (nullable): a key
 *
 * Wipes the secret and frees the key.
 */
void
sp_crypto_key_free (SpCryptoKey *key)
{
  if (key == NULL)
    return;

  sodium_memzero (key->secret, MAX (key->secret_len, 1));
  sodium_free (key->secret);
  g_free (key);
}

/**
 * sp_crypto_key_new_from_password:
 * @password: the password bytes (need not be NUL-terminated)
 * @length: number of bytes in @password
 * @error: return location for a #GError
 *
 * Copies the password into protected memory. The key itself is derived with
 * Argon2id for each file, from that file's salt. The caller should wipe its
 * own copy of the password.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL if the password is empty or too long
 */
SpCryptoKey *
sp_crypto_key_new_from_password (const char  *password,
                                 gsize        length,
                                 GError     **error)
{
  SpCryptoKey *key;

  if (!sp_crypto_init (error))
    return NULL;

  if (length == 0)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("The password is empty."));
      return NULL;
    }
  if (length > SP_CRYPTO_MAX_PASSWORD)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("The password is longer than %d bytes."), SP_CRYPTO_MAX_PASSWORD);
      return NULL;
    }

  key = key_alloc (SP_KEY_SOURCE_PASSWORD, length, error);
  if (key != NULL)
    memcpy (key->secret, password, length);

  return key;
}

/* Reads at most @capacity bytes of @stream straight into a new key's protected memory; sets
 * *@length to how many came and *@overflow if more followed. */
static SpCryptoKey *
read_secret (GInputStream  *stream,
             SpKeySource    source,
             gsize          capacity,
             gsize         *length,
             gboolean      *overflow,
             GCancellable  *cancellable,
             GError       **error)
{
  SpCryptoKey *key;
  guint8 extra = 0;
  gsize got = 0;
  gssize n;

  *length = 0;
  *overflow = FALSE;
  key = key_alloc (source, capacity, error);
  if (key == NULL)
    return NULL;
  if (!g_input_stream_read_all (stream, key->secret, capacity, &got, cancellable, error))
    {
      sp_crypto_key_free (key);
      return NULL;
    }
  *length = got;
  if (got < capacity)
    return key;

  n = g_input_stream_read (stream, &extra, 1, cancellable, error);
  sodium_memzero (&extra, sizeof extra);
  if (n < 0)
    {
      sp_crypto_key_free (key);
      return NULL;
    }
  *overflow = n > 0;

  return key;
}

/**
 * sp_crypto_key_new_from_password_stream:
 * @stream: where the password comes from (a file or standard input)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the whole stream as the password, straight into protected memory,
 * and strips one trailing newline ("\n" or "\r\n") so `echo secret > file`
 * works. Everything else, spaces included, is part of the password.
 *
 * Returns: (transfer full) (nullable): the key
 */
SpCryptoKey *
sp_crypto_key_new_from_password_stream (GInputStream  *stream,
                                        GCancellable  *cancellable,
                                        GError       **error)
{
  SpCryptoKey *key;
  gboolean overflow = FALSE;
  gsize length = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (!sp_crypto_init (error))
    return NULL;

  /* Room for the longest password plus "\r\n". */
  key = read_secret (stream, SP_KEY_SOURCE_PASSWORD, SP_CRYPTO_MAX_PASSWORD + 2, &length,
                     &overflow, cancellable, error);
  if (key == NULL)
    return NULL;

  if (length > 0 && key->secret[length - 1] == '\n')
    {
      length--;
      if (length > 0 && key->secret[length - 1] == '\r')
        length--;
    }

  if (overflow || length > SP_CRYPTO_MAX_PASSWORD)
    {
      sp_crypto_key_free (key);
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("The password is longer than %d bytes."), SP_CRYPTO_MAX_PASSWORD);
      return NULL;
    }
  if (length == 0)
    {
      sp_crypto_key_free (key);
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("The password is empty."));
      return NULL;
    }

  /* Wipe what the stripped newline left behind; only secret_len bytes count from now on. */
  sodium_memzero (key->secret + length, key->secret_len - length);
  key->secret_len = length;

  return key;
}

/**
 * sp_crypto_key_new_from_password_file:
 * @file: a file holding the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like sp_crypto_key_new_from_password_stream() for the contents of @file.
 *
 * Returns: (transfer full) (nullable): the key
 */
SpCryptoKey *
sp_crypto_key_new_from_password_file (GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  SpCryptoKey *key;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  key = sp_crypto_key_new_from_password_stream (G_INPUT_STREAM (stream), cancellable,
                                                &local_error);
  if (key == NULL)
    {
      name = g_file_get_parse_name (file);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Cannot use the password file “%s”: "), name);
    }

  return key;
}

/**
 * sp_crypto_key_new_from_raw_key:
 * @raw: 32 key bytes
 * @length: must be 32
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a key-file key holding a copy of @key
 */
SpCryptoKey *
sp_crypto_key_new_from_raw_key (const guint8  *raw,
                                gsize          length,
                                GError       **error)
{
  SpCryptoKey *key;

  if (!sp_crypto_init (error))
    return NULL;

  if (length != SP_CRYPTO_KEY_SIZE)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("A key must be exactly %d bytes long."), SP_CRYPTO_KEY_SIZE);
      return NULL;
    }

  key = key_alloc (SP_KEY_SOURCE_KEY_FILE, SP_CRYPTO_KEY_SIZE, error);
  if (key != NULL)
    memcpy (key->secret, raw, SP_CRYPTO_KEY_SIZE);

  return key;
}

/**
 * sp_crypto_key_new_from_key_file:
 * @file: a key file: exactly 32 raw bytes, as `specimen-cli keygen` writes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the key
 */
SpCryptoKey *
sp_crypto_key_new_from_key_file (GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *name = NULL;
  gboolean overflow = FALSE;
  gsize length = 0;
  SpCryptoKey *key;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!sp_crypto_init (error))
    return NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  key = read_secret (G_INPUT_STREAM (stream), SP_KEY_SOURCE_KEY_FILE, SP_CRYPTO_KEY_SIZE,
                     &length, &overflow, cancellable, error);
  if (key == NULL)
    return NULL;

  if (length != SP_CRYPTO_KEY_SIZE || overflow)
    {
      sp_crypto_key_free (key);
      name = g_file_get_parse_name (file);
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY,
                   _("The key file “%s” is not a Specimen key: it must hold exactly %d bytes."),
                   name, SP_CRYPTO_KEY_SIZE);
      return NULL;
    }

  return key;
}

/**
 * sp_crypto_key_get_source:
 * @key: a key
 *
 * Returns: whether @key is a password or a raw key from a key file
 */
SpKeySource
sp_crypto_key_get_source (SpCryptoKey *key)
{
  return key->source;
}

/**
 * sp_crypto_key_set_kdf_limits:
 * @key: a password key
 * @opslimit: Argon2id operations limit for files encrypted with @key
 * @memlimit: Argon2id memory limit in bytes
 *
 * Overrides sp_crypto_default_kdf_limits() for encryption. Decryption
 * always uses the parameters stored in the file.
 */
void
sp_crypto_key_set_kdf_limits (SpCryptoKey *key,
                              guint64      opslimit,
                              guint64      memlimit)
{
  key->opslimit = opslimit;
  key->memlimit = memlimit;
}

/**
 * sp_crypto_key_get_kdf_limits:
 * @key: a key
 * @opslimit: (out): the operations limit used for encryption (0 for a key file)
 * @memlimit: (out): the memory limit in bytes (0 for a key file)
 */
void
sp_crypto_key_get_kdf_limits (SpCryptoKey *key,
                              guint64     *opslimit,
                              guint64     *memlimit)
{
  *opslimit = key->opslimit;
  *memlimit = key->memlimit;
}

static void
put_u64_le (guint8  *out,
            guint64  value)
{
  guint i;

  for (i = 0; i < 8; i++)
    out[i] = (guint8) (value >> (8 * i));
}

static guint64
get_u64_le (const guint8 *in)
{
  guint64 value = 0;
  guint i;

  for (i = 0; i < 8; i++)
    value |= (guint64) in[i] << (8 * i);

  return value;
}

static gboolean
kdf_limits_valid (guint64   opslimit,
                  guint64   memlimit,
                  GError  **error)
{
  if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || opslimit > SP_CRYPTO_MAX_OPSLIMIT
      || memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || memlimit > SP_CRYPTO_MAX_MEMLIMIT)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_LIMITS,
                   _("The password key-derivation parameters (%" PRIu64 " passes over %"
                     PRIu64 " bytes) are outside the accepted range (1 to %d passes, "
                     "%d bytes to 1 GiB); the file is damaged or was made to exhaust memory."),
                   opslimit, memlimit, SP_CRYPTO_MAX_OPSLIMIT,
                   (int) crypto_pwhash_argon2id_MEMLIMIT_MIN);
      return FALSE;
    }

  return TRUE;
}

/**
 * sp_crypto_is_encrypted:
 * @head: the first bytes of a file
 * @len: how many bytes @head holds
 *
 * Returns: %TRUE if @head starts with the Specimen container magic
 */
gboolean
sp_crypto_is_encrypted (const guint8 *head,
                        gsize         len)
{
  return head != NULL && len >= strlen (SP_CRYPTO_MAGIC)
         && memcmp (head, SP_CRYPTO_MAGIC, strlen (SP_CRYPTO_MAGIC)) == 0;
}

/**
 * sp_crypto_parse_header:
 * @data: the start of a container
 * @len: bytes available at @data
 * @header: (out caller-allocates): the decoded header
 * @error: return location for a #GError
 *
 * Decodes and checks the 56-byte header, including the caps on the
 * Argon2id parameters. Useful to learn whether a file wants a password or
 * a key file before asking the user.
 *
 * Returns: %TRUE if the header is one this version can open
 */
gboolean
sp_crypto_parse_header (const guint8    *data,
                        gsize            len,
                        SpCryptoHeader  *header,
                        GError         **error)
{
  static const guint8 zero_salt[SP_CRYPTO_SALT_SIZE] = { 0 };

  memset (header, 0, sizeof *header);

  if (!sp_crypto_is_encrypted (data, len))
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NOT_ENCRYPTED,
                   _("This is not a Specimen encrypted file (the “SPECIMEN” signature is "
                     "missing)."));
      return FALSE;
    }
  if (len < SP_CRYPTO_HEADER_SIZE)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT,
                   _("The encrypted file is truncated: its %d-byte header is incomplete."),
                   SP_CRYPTO_HEADER_SIZE);
      return FALSE;
    }

  header->version = data[OFFSET_VERSION];
  header->cipher = data[OFFSET_CIPHER];
  header->key_source = data[OFFSET_KEY_SOURCE];
  header->payload_type = data[OFFSET_PAYLOAD];
  header->opslimit = get_u64_le (data + OFFSET_OPSLIMIT);
  header->memlimit = get_u64_le (data + OFFSET_MEMLIMIT);
  memcpy (header->salt, data + OFFSET_SALT, SP_CRYPTO_SALT_SIZE);
  memcpy (header->nonce, data + OFFSET_NONCE, SP_CRYPTO_NONCE_SIZE);

  if (header->version != SP_CRYPTO_VERSION)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED,
                   _("The encrypted file has format version %u; this version of Specimen "
                     "only reads version %d."), header->version, SP_CRYPTO_VERSION);
      return FALSE;
    }
  if (header->cipher != SP_CRYPTO_CIPHER_AES256GCM)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED,
                   _("The encrypted file uses cipher number %u; Specimen only knows "
                     "AES-256-GCM (1)."), header->cipher);
      return FALSE;
    }
  if (header->key_source != SP_KEY_SOURCE_PASSWORD && header->key_source != SP_KEY_SOURCE_KEY_FILE)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED,
                   _("The encrypted file has an unknown key source (%u)."), header->key_source);
      return FALSE;
    }
  if (header->payload_type != SP_PAYLOAD_JSON_REPORT && header->payload_type != SP_PAYLOAD_OTHER)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED,
                   _("The encrypted file has an unknown payload type (%u)."),
                   header->payload_type);
      return FALSE;
    }

  if (header->key_source == SP_KEY_SOURCE_PASSWORD)
    return kdf_limits_valid (header->opslimit, header->memlimit, error);

  if (header->opslimit != 0 || header->memlimit != 0
      || memcmp (header->salt, zero_salt, SP_CRYPTO_SALT_SIZE) != 0)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT,
                   _("The encrypted file is damaged: a key-file header carries password "
                     "parameters."));
      return FALSE;
    }

  return TRUE;
}

/* Fills @out (sodium memory, SP_CRYPTO_KEY_SIZE bytes) with the AES key for @header. */
static gboolean
derive_key (SpCryptoKey           *key,
            const SpCryptoHeader  *header,
            guint8                *out,
            GError               **error)
{
  if (key->source == SP_KEY_SOURCE_KEY_FILE)
    {
      memcpy (out, key->secret, SP_CRYPTO_KEY_SIZE);
      return TRUE;
    }

  if (crypto_pwhash (out, SP_CRYPTO_KEY_SIZE, (const char *) key->secret, key->secret_len,
                     header->salt, header->opslimit, (size_t) header->memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NO_MEMORY,
                   _("Deriving the key from the password failed: %" PRIu64 " MiB of "
                     "memory could not be allocated."), header->memlimit >> 20);
      return FALSE;
    }

  return TRUE;
}

static guint8 *
secure_key_buffer (GError **error)
{
  guint8 *buffer = sodium_malloc (SP_CRYPTO_KEY_SIZE);

  if (buffer == NULL)
    g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NO_MEMORY,
                 _("Could not allocate protected memory for the key."));

  return buffer;
}

static void
secure_key_free (guint8 *buffer)
{
  if (buffer == NULL)
    return;
  sodium_memzero (buffer, SP_CRYPTO_KEY_SIZE);
  sodium_free (buffer);
}

/**
 * sp_crypto_encrypt:
 * @plaintext: the bytes to protect
 * @key: a password or key-file key
 * @type: what @plaintext is, recorded in the header
 * @error: return location for a #GError
 *
 * Builds a complete container: header, ciphertext, tag. A password key
 * gets a fresh random salt and its Argon2id limits; every container gets a
 * fresh random nonce.
 *
 * Returns: (transfer full) (nullable): the container bytes
 */
GBytes *
sp_crypto_encrypt (GBytes         *plaintext,
                   SpCryptoKey    *key,
                   SpPayloadType   type,
                   GError        **error)
{
  SpCryptoHeader header = { 0 };
  unsigned long long written = 0;
  const guint8 *data;
  guint8 *aes_key = NULL;
  guint8 *out;
  gsize size = 0;

  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (type == SP_PAYLOAD_JSON_REPORT || type == SP_PAYLOAD_OTHER, NULL);

  if (!sp_crypto_init (error))
    return NULL;

  data = g_bytes_get_data (plaintext, &size);
  /* libsodium aborts the process past this size, so check first. */
  if ((guint64) size > (guint64) crypto_aead_aes256gcm_MESSAGEBYTES_MAX
      || size > G_MAXSIZE - SP_CRYPTO_HEADER_SIZE - SP_CRYPTO_TAG_SIZE)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_TOO_LARGE,
                   _("The data is too large to encrypt as one AES-256-GCM message."));
      return NULL;
    }

  header.version = SP_CRYPTO_VERSION;
  header.cipher = SP_CRYPTO_CIPHER_AES256GCM;
  header.key_source = key->source;
  header.payload_type = type;
  if (key->source == SP_KEY_SOURCE_PASSWORD)
    {
      if (!kdf_limits_valid (key->opslimit, key->memlimit, error))
        return NULL;
      header.opslimit = key->opslimit;
      header.memlimit = key->memlimit;
      randombytes_buf (header.salt, sizeof header.salt);
    }
  randombytes_buf (header.nonce, sizeof header.nonce);

  aes_key = secure_key_buffer (error);
  if (aes_key == NULL)
    return NULL;
  if (!derive_key (key, &header, aes_key, error))
    {
      secure_key_free (aes_key);
      return NULL;
    }

  out = g_malloc (SP_CRYPTO_HEADER_SIZE + size + SP_CRYPTO_TAG_SIZE);
  memcpy (out + OFFSET_MAGIC, SP_CRYPTO_MAGIC, 8);
  out[OFFSET_VERSION] = header.version;
  out[OFFSET_CIPHER] = header.cipher;
  out[OFFSET_KEY_SOURCE] = header.key_source;
  out[OFFSET_PAYLOAD] = header.payload_type;
  put_u64_le (out + OFFSET_OPSLIMIT, header.opslimit);
  put_u64_le (out + OFFSET_MEMLIMIT, header.memlimit);
  memcpy (out + OFFSET_SALT, header.salt, SP_CRYPTO_SALT_SIZE);
  memcpy (out + OFFSET_NONCE, header.nonce, SP_CRYPTO_NONCE_SIZE);

  /* The whole header is the additional data, so no field can be altered unnoticed. */
  crypto_aead_aes256gcm_encrypt (out + SP_CRYPTO_HEADER_SIZE, &written, data, size,
                                 out, SP_CRYPTO_HEADER_SIZE, NULL, header.nonce, aes_key);
  secure_key_free (aes_key);
  g_assert (written == size + SP_CRYPTO_TAG_SIZE);

  return g_bytes_new_take (out, SP_CRYPTO_HEADER_SIZE + size + SP_CRYPTO_TAG_SIZE);
}

/**
 * sp_crypto_decrypt:
 * @container: a whole container as sp_crypto_encrypt() made it
 * @key: the password or key-file key
 * @type: (out) (optional): the payload type stored in the header
 * @error: return location for a #GError
 *
 * Checks the header, derives the key with the stored parameters (capped),
 * and authenticates and decrypts. A wrong password and any damage to the
 * file are indistinguishable by design and give %SP_CRYPTO_ERROR_DECRYPT.
 *
 * Returns: (transfer full) (nullable): the plaintext
 */
GBytes *
sp_crypto_decrypt (GBytes         *container,
                   SpCryptoKey    *key,
                   SpPayloadType  *type,
                   GError        **error)
{
  SpCryptoHeader header;
  unsigned long long plain_len = 0;
  const guint8 *data;
  guint8 *aes_key = NULL;
  guint8 *plain;
  gsize size = 0;
  gsize body;
  int rc;

  g_return_val_if_fail (container != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!sp_crypto_init (error))
    return NULL;

  data = g_bytes_get_data (container, &size);
  if (!sp_crypto_parse_header (data, size, &header, error))
    return NULL;

  if (header.key_source != key->source)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_WRONG_KEY_KIND,
                   header.key_source == SP_KEY_SOURCE_PASSWORD
                   ? _("The file was encrypted with a password, not with a key file.")
                   : _("The file was encrypted with a key file, not with a password."));
      return NULL;
    }

  body = size - SP_CRYPTO_HEADER_SIZE;
  if (body < SP_CRYPTO_TAG_SIZE)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT,
                   _("The encrypted file is truncated: it ends before its authentication tag."));
      return NULL;
    }
  if ((guint64) (body - SP_CRYPTO_TAG_SIZE) > (guint64) crypto_aead_aes256gcm_MESSAGEBYTES_MAX)
    {
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_TOO_LARGE,
                   _("The encrypted file is larger than one AES-256-GCM message can be."));
      return NULL;
    }

  aes_key = secure_key_buffer (error);
  if (aes_key == NULL)
    return NULL;
  if (!derive_key (key, &header, aes_key, error))
    {
      secure_key_free (aes_key);
      return NULL;
    }

  plain = g_malloc (MAX (body - SP_CRYPTO_TAG_SIZE, 1));
  rc = crypto_aead_aes256gcm_decrypt (plain, &plain_len, NULL,
                                      data + SP_CRYPTO_HEADER_SIZE, body,
                                      data, SP_CRYPTO_HEADER_SIZE, header.nonce, aes_key);
  secure_key_free (aes_key);

  if (rc != 0)
    {
      sodium_memzero (plain, MAX (body - SP_CRYPTO_TAG_SIZE, 1));
      g_free (plain);
      g_set_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT,
                   key->source == SP_KEY_SOURCE_PASSWORD
                   ? _("Wrong password, or the file is damaged.")
                   : _("Wrong key file, or the file is damaged."));
      return NULL;
    }

  if (type != NULL)
    *type = header.payload_type;

  return g_bytes_new_take (plain, (gsize) plain_len);
}

static gboolean
is_report_object (JsonNode *node)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  return g_strcmp0 (json_object_get_string_member_with_default (object, "schema", NULL),
                    SP_REPORT_SCHEMA) == 0;
}

/**
 * sp_crypto_detect_payload_type:
 * @data: plaintext bytes
 * @len: length of @data
 *
 * A Specimen JSON report is UTF-8 JSON whose root is a report object
 * ("schema": "specimen-report/1"), or a non-empty array of them.
 *
 * Returns: %SP_PAYLOAD_JSON_REPORT for a report, else %SP_PAYLOAD_OTHER
 */
SpPayloadType
sp_crypto_detect_payload_type (const guint8 *data,
                               gsize         len)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonArray *array;
  gsize i = 0;
  guint n;
  guint k;

  /* Cheap rejections first: most other files are not JSON at all. */
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
    i++;
  if (i == len || (data[i] != '{' && data[i] != '['))
    return SP_PAYLOAD_OTHER;
  if (len > G_MAXSSIZE || memchr (data, '\0', len) != NULL
      || !g_utf8_validate ((const char *) data, (gssize) len, NULL))
    return SP_PAYLOAD_OTHER;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL))
    return SP_PAYLOAD_OTHER;

  root = json_parser_get_root (parser);
  if (root == NULL)
    return SP_PAYLOAD_OTHER;
  if (is_report_object (root))
    return SP_PAYLOAD_JSON_REPORT;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return SP_PAYLOAD_OTHER;

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  if (n == 0)
    return SP_PAYLOAD_OTHER;
  for (k = 0; k < n; k++)
    if (!is_report_object (json_array_get_element (array, k)))
      return SP_PAYLOAD_OTHER;

  return SP_PAYLOAD_JSON_REPORT;
}

/* Writes @data to @file atomically; on any failure nothing new is left behind. */
static gboolean
replace_file (GFile         *file,
              const guint8  *data,
              gsize          length,
              gboolean       private_mode,
              gboolean       overwrite,
              GCancellable  *cancellable,
              GError       **error)
{
  /* Static: key bytes stay in their sodium_malloc buffer, never copied. */
  g_autoptr(GBytes) contents = g_bytes_new_static (data, length);
  SpSaveFlags flags = (private_mode ? SP_SAVE_PRIVATE : 0) | (overwrite ? 0 : SP_SAVE_NO_CLOBBER);

  return sp_save_bytes (file, flags, contents, cancellable, error);
}

/**
 * sp_crypto_replace_file:
 * @file: destination
 * @contents: the bytes to write
 * @private_mode: create the file readable by its owner only (0600)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @contents atomically with g_file_replace(): readers see either the
 * old file or the complete new one, and a failed write leaves nothing new.
 *
 * Returns: %TRUE on success
 */
gboolean
sp_crypto_replace_file (GFile         *file,
                        GBytes        *contents,
                        gboolean       private_mode,
                        GCancellable  *cancellable,
                        GError       **error)
{
  const guint8 *data;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  data = g_bytes_get_data (contents, &length);

  return replace_file (file, data, length, private_mode, TRUE, cancellable, error);
}

/**
 * sp_crypto_generate_key_file:
 * @file: where to write the key
 * @overwrite: replace an existing file (its key, and every file it protects, is lost)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes 32 random bytes from libsodium's CSPRNG, readable by the owner only.
 *
 * Returns: %TRUE on success
 */
gboolean
sp_crypto_generate_key_file (GFile         *file,
                             gboolean       overwrite,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  guint8 *raw;
  gboolean ok;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!sp_crypto_init (error))
    return FALSE;

  raw = secure_key_buffer (error);
  if (raw == NULL)
    return FALSE;
  randombytes_buf (raw, SP_CRYPTO_KEY_SIZE);
  ok = replace_file (file, raw, SP_CRYPTO_KEY_SIZE, TRUE, overwrite, cancellable, &local_error);
  secure_key_free (raw);

  if (!ok)
    {
      name = g_file_get_parse_name (file);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _("“%s” already exists; a key file is never overwritten unless asked "
                       "to, because everything encrypted with it would become unreadable."),
                     name);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Cannot write the key file “%s”: "), name);
    }

  return ok;
}
