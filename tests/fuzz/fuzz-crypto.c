/* fuzz-crypto.c: libFuzzer target for the encrypted-report decoder
 *
 * Every input is decrypted with a fixed key file key and with a fixed
 * password (those of tests/fixtures/crypto, so the seeds decrypt). A password
 * container's stored Argon2id cost is lowered to the fixture's (2 passes,
 * 64 KiB) when it is within the accepted range, so that each run stays fast;
 * costs outside the range are left for the decoder to refuse.
 */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-crypto"

#include <string.h>

#include "fuzz-common.h"
#include "sp-crypto.h"

#define OFFSET_KEY_SOURCE 10
#define OFFSET_OPSLIMIT   12
#define OFFSET_MEMLIMIT   20
#define CHEAP_OPSLIMIT    2
#define CHEAP_MEMLIMIT    65536

static SpCryptoKey *raw_key;
static SpCryptoKey *password_key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char password[] = "specimen test password";
  guint8 raw[SP_CRYPTO_KEY_SIZE];

  fuzz_quiet_logs ();
  g_assert_true (sp_crypto_init (NULL));
  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = (guint8) i;
  raw_key = sp_crypto_key_new_from_raw_key (raw, sizeof raw, NULL);
  password_key = sp_crypto_key_new_from_password (password, strlen (password), NULL);
  g_assert_nonnull (raw_key);
  g_assert_nonnull (password_key);
  return 0;
}

static guint64
get_u64_le (const guint8 *p)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value |= (guint64) p[i] << (8 * i);
  return value;
}

static void
put_u64_le (guint8  *p,
            guint64  value)
{
  for (guint i = 0; i < 8; i++)
    p[i] = (guint8) (value >> (8 * i));
}

static void
try_decrypt (GBytes      *container,
             SpCryptoKey *key)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  SpPayloadType type = 0;

  plain = sp_crypto_decrypt (container, key, &type, &error);
  if (plain == NULL)
    {
      g_assert_error (error, SP_CRYPTO_ERROR, error->code);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (type == SP_PAYLOAD_JSON_REPORT || type == SP_PAYLOAD_OTHER);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  SpCryptoHeader header;
  guint8 *copy;

  copy = g_memdup2 (data, size);
  if (size >= SP_CRYPTO_HEADER_SIZE && copy[OFFSET_KEY_SOURCE] == SP_KEY_SOURCE_PASSWORD)
    {
      guint64 ops = get_u64_le (copy + OFFSET_OPSLIMIT);
      guint64 mem = get_u64_le (copy + OFFSET_MEMLIMIT);

      if (ops >= 1 && ops <= SP_CRYPTO_MAX_OPSLIMIT && mem >= 8192 &&
          mem <= SP_CRYPTO_MAX_MEMLIMIT)
        {
          put_u64_le (copy + OFFSET_OPSLIMIT, MIN (ops, CHEAP_OPSLIMIT));
          put_u64_le (copy + OFFSET_MEMLIMIT, MIN (mem, CHEAP_MEMLIMIT));
        }
    }
  container = g_bytes_new_take (copy, size);

  (void) sp_crypto_is_encrypted (data, size);
  (void) sp_crypto_detect_payload_type (data, size);
  if (!sp_crypto_parse_header (data, size, &header, &error))
    g_assert_error (error, SP_CRYPTO_ERROR, error->code);
  try_decrypt (container, raw_key);
  try_decrypt (container, password_key);
  return 0;
}
