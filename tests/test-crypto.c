/* test-crypto.c: encrypted report containers, core and command line
 *
 * Known answers come from tests/fixtures/crypto/, written by a Python script
 * with PyNaCl and PyCryptodome from docs/encrypted-report.md alone; the
 * reverse direction (our files read by Python) is tests/decrypt-report.py.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "sp-crypto.h"

#define KNOWN_PLAINTEXT "Specimen known-answer plaintext.\n"
#define KNOWN_PASSWORD "specimen test password"

static GBytes *
load_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *path;

  path = g_test_get_filename (G_TEST_DIST, "fixtures", "crypto", name, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static SpCryptoKey *
password_key (const char *password)
{
  g_autoptr(GError) error = NULL;
  SpCryptoKey *key;

  key = sp_crypto_key_new_from_password (password, strlen (password), &error);
  g_assert_no_error (error);
  /* The cheapest Argon2id libsodium allows keeps byte-flip loops fast. */
  sp_crypto_key_set_kdf_limits (key, crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                crypto_pwhash_argon2id_MEMLIMIT_MIN);

  return key;
}

static SpCryptoKey *
raw_key (guint8 fill)
{
  g_autoptr(GError) error = NULL;
  guint8 raw[SP_CRYPTO_KEY_SIZE];
  SpCryptoKey *key;

  memset (raw, fill, sizeof raw);
  key = sp_crypto_key_new_from_raw_key (raw, sizeof raw, &error);
  g_assert_no_error (error);

  return key;
}

static guint64
read_u64_le (const guint8 *p)
{
  guint64 v = 0;
  int i;

  for (i = 7; i >= 0; i--)
    v = (v << 8) | p[i];

  return v;
}

static GBytes *
bytes_with_flip (GBytes *bytes,
                 gsize   offset,
                 guint8  mask)
{
  gsize length = 0;
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));

  g_assert_cmpuint (offset, <, length);
  copy[offset] ^= mask;

  return g_bytes_new_take (copy, length);
}

static void
test_known_answer_key_file (void)
{
  g_autoptr(GBytes) container = load_fixture ("keyfile.spec");
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(SpCryptoKey) key = NULL;
  g_autoptr(GFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  SpPayloadType type = 0;

  key_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "fixtures", "crypto",
                                                       "keyfile.key", NULL));
  key = sp_crypto_key_new_from_key_file (key_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sp_crypto_key_get_source (key), ==, SP_KEY_SOURCE_KEY_FILE);

  plain = sp_crypto_decrypt (container, key, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, SP_PAYLOAD_OTHER);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                   KNOWN_PLAINTEXT, strlen (KNOWN_PLAINTEXT));
}

static void
test_known_answer_password (void)
{
  g_autoptr(GBytes) container = load_fixture ("password.spec");
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(SpCryptoKey) key = password_key (KNOWN_PASSWORD);
  g_autoptr(SpCryptoKey) wrong = password_key (KNOWN_PASSWORD "!");
  g_autoptr(GError) error = NULL;
  SpCryptoHeader header;
  SpPayloadType type = 0;

  g_assert_true (sp_crypto_parse_header (g_bytes_get_data (container, NULL),
                                         g_bytes_get_size (container), &header, &error));
  g_assert_no_error (error);
  g_assert_cmpint (header.key_source, ==, SP_KEY_SOURCE_PASSWORD);
  g_assert_cmpuint (header.opslimit, ==, 2);
  g_assert_cmpuint (header.memlimit, ==, 65536);
  g_assert_cmpuint (header.salt[0], ==, 0x40);
  g_assert_cmpuint (header.nonce[11], ==, 0xab);

  plain = sp_crypto_decrypt (container, key, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, SP_PAYLOAD_OTHER);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                   KNOWN_PLAINTEXT, strlen (KNOWN_PLAINTEXT));

  g_assert_null (sp_crypto_decrypt (container, wrong, NULL, &error));
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
}

static void
test_roundtrip_password (void)
{
  static const char text[] = "{\"schema\": \"specimen-report/1\"}";
  g_autoptr(SpCryptoKey) key = password_key ("hunter2");
  g_autoptr(GBytes) plain = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  SpPayloadType type = 0;
  const guint8 *c;
  gsize size = 0;

  container = sp_crypto_encrypt (plain, key, SP_PAYLOAD_JSON_REPORT, &error);
  g_assert_no_error (error);
  c = g_bytes_get_data (container, &size);

  /* The header, byte by byte, as documented. */
  g_assert_cmpuint (size, ==, SP_CRYPTO_HEADER_SIZE + strlen (text) + SP_CRYPTO_TAG_SIZE);
  g_assert_cmpmem (c, 8, "SPECIMEN", 8);
  g_assert_cmpuint (c[8], ==, 1);
  g_assert_cmpuint (c[9], ==, 1);
  g_assert_cmpuint (c[10], ==, 1);
  g_assert_cmpuint (c[11], ==, 1);
  g_assert_cmpuint (read_u64_le (c + 12), ==, 1);
  g_assert_cmpuint (read_u64_le (c + 20), ==, 8192);
  g_assert_true (sp_crypto_is_encrypted (c, size));
  /* The ciphertext is not the plaintext. */
  g_assert_true (memcmp (c + SP_CRYPTO_HEADER_SIZE, text, strlen (text)) != 0);

  back = sp_crypto_decrypt (container, key, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, SP_PAYLOAD_JSON_REPORT);
  g_assert_true (g_bytes_equal (back, plain));

  /* Fresh salt and nonce every time. */
  again = sp_crypto_encrypt (plain, key, SP_PAYLOAD_JSON_REPORT, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (g_bytes_get_data (again, NULL) + 28, c + 28, 28) != 0);
}

static void
test_roundtrip_key (void)
{
  g_autoptr(SpCryptoKey) key = raw_key (0x5a);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  SpPayloadType type = 0;
  const guint8 *c;
  guint8 *data;
  gsize i;

  container = sp_crypto_encrypt (empty, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  c = g_bytes_get_data (container, NULL);
  g_assert_cmpuint (g_bytes_get_size (container), ==, 72);
  g_assert_cmpuint (c[10], ==, 2);
  g_assert_cmpuint (c[11], ==, 2);
  for (i = 12; i < 44; i++)
    g_assert_cmpuint (c[i], ==, 0);
  back = sp_crypto_decrypt (container, key, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (back), ==, 0);
  g_assert_cmpint (type, ==, SP_PAYLOAD_OTHER);
  g_clear_pointer (&container, g_bytes_unref);
  g_clear_pointer (&back, g_bytes_unref);

  data = g_malloc (1 << 20);
  for (i = 0; i < 1 << 20; i++)
    data[i] = (guint8) (i * 2654435761u >> 13);
  big = g_bytes_new_take (data, 1 << 20);
  container = sp_crypto_encrypt (big, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  back = sp_crypto_decrypt (container, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, big));
}

/* Every single-byte change anywhere in the file must be refused. */
static void
check_every_flip (GBytes      *container,
                  SpCryptoKey *key)
{
  static const guint8 masks[] = { 0x01, 0x80, 0xff };
  gsize size = g_bytes_get_size (container);
  gsize offset;
  guint m;

  for (offset = 0; offset < size; offset++)
    for (m = 0; m < G_N_ELEMENTS (masks); m++)
      {
        g_autoptr(GBytes) damaged = bytes_with_flip (container, offset, masks[m]);
        g_autoptr(GBytes) plain = NULL;
        g_autoptr(GError) error = NULL;

        plain = sp_crypto_decrypt (damaged, key, NULL, &error);
        if (plain != NULL)
          g_error ("flip 0x%02x at offset %" G_GSIZE_FORMAT " went unnoticed", masks[m], offset);
        g_assert_nonnull (error);
        g_assert_true (error->domain == SP_CRYPTO_ERROR);
        /* Body and tag damage is a plain authentication failure. */
        if (offset >= SP_CRYPTO_HEADER_SIZE)
          g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
        if (offset < 8)
          g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NOT_ENCRYPTED);
        if (offset == 8 || offset == 9)
          g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_UNSUPPORTED);
      }
}

static void
test_byte_flips (void)
{
  g_autoptr(SpCryptoKey) pw = password_key ("flip");
  g_autoptr(SpCryptoKey) key = raw_key (0x17);
  g_autoptr(GBytes) plain = g_bytes_new_static ("twenty bytes of text", 20);
  g_autoptr(GBytes) c1 = NULL;
  g_autoptr(GBytes) c2 = NULL;
  g_autoptr(GError) error = NULL;

  c1 = sp_crypto_encrypt (plain, pw, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  check_every_flip (c1, pw);

  c2 = sp_crypto_encrypt (plain, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  check_every_flip (c2, key);
}

static void
test_truncation (void)
{
  g_autoptr(SpCryptoKey) key = password_key ("cut");
  g_autoptr(GBytes) plain = g_bytes_new_static ("0123456789", 10);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  gsize len;

  container = sp_crypto_encrypt (plain, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  size = g_bytes_get_size (container);

  for (len = 0; len < size; len++)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (container, 0, len);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) out = sp_crypto_decrypt (cut, key, NULL, &local_error);

      g_assert_null (out);
      if (len < 8)
        g_assert_error (local_error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NOT_ENCRYPTED);
      else
        g_assert_error (local_error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
      if (len >= 8 && len < SP_CRYPTO_HEADER_SIZE)
        g_assert_nonnull (strstr (local_error->message, "header"));
    }

  /* Trailing garbage is damage too. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    g_autoptr(GBytes) grown = NULL;
    g_autoptr(GBytes) out = NULL;

    g_byte_array_append (longer, g_bytes_get_data (container, NULL), size);
    g_byte_array_append (longer, (const guint8 *) "x", 1);
    grown = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
    out = sp_crypto_decrypt (grown, key, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
  }
}

static GBytes *
with_header_field (GBytes  *container,
                   gsize    offset,
                   gsize    width,
                   guint64  value)
{
  guint8 *copy = g_memdup2 (g_bytes_get_data (container, NULL), g_bytes_get_size (container));
  gsize i;

  for (i = 0; i < width; i++)
    copy[offset + i] = (guint8) (value >> (8 * i));

  return g_bytes_new_take (copy, g_bytes_get_size (container));
}

static void
test_hostile_header (void)
{
  static const struct
  {
    gsize   offset;
    gsize   width;
    guint64 value;
    int     code;
  } cases[] = {
    { 8, 1, 2, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 8, 1, 0, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 9, 1, 2, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 10, 1, 3, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 10, 1, 0, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 11, 1, 3, SP_CRYPTO_ERROR_UNSUPPORTED },
    { 12, 8, 0, SP_CRYPTO_ERROR_LIMITS },
    { 12, 8, 17, SP_CRYPTO_ERROR_LIMITS },
    { 12, 8, G_MAXUINT64, SP_CRYPTO_ERROR_LIMITS },
    { 20, 8, 4096, SP_CRYPTO_ERROR_LIMITS },
    { 20, 8, (G_GUINT64_CONSTANT (1) << 30) + 1, SP_CRYPTO_ERROR_LIMITS },
    { 20, 8, G_GUINT64_CONSTANT (1) << 40, SP_CRYPTO_ERROR_LIMITS },
    { 20, 8, G_MAXUINT64, SP_CRYPTO_ERROR_LIMITS },
  };
  g_autoptr(SpCryptoKey) key = password_key ("hostile");
  g_autoptr(GBytes) plain = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint i;

  container = sp_crypto_encrypt (plain, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bad = with_header_field (container, cases[i].offset, cases[i].width,
                                                 cases[i].value);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) out = sp_crypto_decrypt (bad, key, NULL, &local_error);

      g_assert_null (out);
      g_assert_error (local_error, SP_CRYPTO_ERROR, cases[i].code);
    }
  /* Refused before deriving anything: no 1 TiB allocation, no 2^64 passes. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* The maximum accepted parameters are really accepted (header-wise). */
  {
    g_autoptr(GBytes) edge = with_header_field (container, 20, 8, G_GUINT64_CONSTANT (1) << 30);
    SpCryptoHeader header;

    g_assert_true (sp_crypto_parse_header (g_bytes_get_data (edge, NULL),
                                           g_bytes_get_size (edge), &header, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (header.memlimit, ==, SP_CRYPTO_MAX_MEMLIMIT);
  }

  /* A key-file header must not carry KDF parameters. */
  {
    g_autoptr(SpCryptoKey) raw = raw_key (1);
    g_autoptr(GBytes) kc = sp_crypto_encrypt (plain, raw, SP_PAYLOAD_OTHER, &error);
    g_autoptr(GBytes) bad = NULL;
    g_autoptr(GBytes) out = NULL;

    g_assert_no_error (error);
    bad = with_header_field (kc, 28, 1, 1);
    out = sp_crypto_decrypt (bad, raw, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
  }
}

static void
test_wrong_key (void)
{
  g_autoptr(SpCryptoKey) pw = password_key ("right");
  g_autoptr(SpCryptoKey) wrong_pw = password_key ("Right");
  g_autoptr(SpCryptoKey) key = raw_key (1);
  g_autoptr(SpCryptoKey) wrong_key = raw_key (2);
  g_autoptr(GBytes) plain = g_bytes_new_static ("secret", 6);
  g_autoptr(GBytes) c_pw = NULL;
  g_autoptr(GBytes) c_key = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  c_pw = sp_crypto_encrypt (plain, pw, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  c_key = sp_crypto_encrypt (plain, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);

  out = sp_crypto_decrypt (c_pw, wrong_pw, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
  g_assert_nonnull (strstr (error->message, "Wrong password"));
  g_clear_error (&error);

  out = sp_crypto_decrypt (c_key, wrong_key, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  out = sp_crypto_decrypt (c_pw, key, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_WRONG_KEY_KIND);
  g_clear_error (&error);

  out = sp_crypto_decrypt (c_key, pw, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_WRONG_KEY_KIND);
  g_clear_error (&error);

  /* Not a container at all. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("{\"schema\": 1}", 13);

    g_assert_false (sp_crypto_is_encrypted (g_bytes_get_data (junk, NULL), 13));
    out = sp_crypto_decrypt (junk, pw, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_NOT_ENCRYPTED);
  }
}

static SpCryptoKey *
key_from_stream (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  SpCryptoKey *key;

  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, length), length, g_free);
  key = sp_crypto_key_new_from_password_stream (stream, NULL, error);
  if (key != NULL)
    sp_crypto_key_set_kdf_limits (key, 1, 8192);

  return key;
}

/* Two keys are the same password iff one decrypts what the other encrypted. */
static gboolean
same_password (SpCryptoKey *a,
               SpCryptoKey *b)
{
  g_autoptr(GBytes) plain = g_bytes_new_static ("p", 1);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) out = NULL;

  container = sp_crypto_encrypt (plain, a, SP_PAYLOAD_OTHER, NULL);
  g_assert_nonnull (container);
  out = sp_crypto_decrypt (container, b, NULL, NULL);

  return out != NULL;
}

static void
test_password_stream (void)
{
  g_autoptr(SpCryptoKey) plain = password_key ("pass word");
  g_autoptr(SpCryptoKey) lf = NULL;
  g_autoptr(SpCryptoKey) crlf = NULL;
  g_autoptr(SpCryptoKey) none = NULL;
  g_autoptr(SpCryptoKey) two = NULL;
  g_autoptr(SpCryptoKey) space = NULL;
  g_autoptr(SpCryptoKey) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = NULL;

  lf = key_from_stream ("pass word\n", 10, &error);
  g_assert_no_error (error);
  crlf = key_from_stream ("pass word\r\n", 11, &error);
  g_assert_no_error (error);
  none = key_from_stream ("pass word", 9, &error);
  g_assert_no_error (error);
  two = key_from_stream ("pass word\n\n", 11, &error);
  g_assert_no_error (error);
  space = key_from_stream ("pass word \n", 11, &error);
  g_assert_no_error (error);

  g_assert_true (same_password (plain, lf));
  g_assert_true (same_password (crlf, plain));
  g_assert_true (same_password (none, lf));
  /* Only one newline is stripped, and nothing else. */
  g_assert_false (same_password (two, plain));
  g_assert_false (same_password (space, plain));

  failed = key_from_stream ("\n", 1, &error);
  g_assert_null (failed);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY);
  g_clear_error (&error);

  longest = g_strnfill (SP_CRYPTO_MAX_PASSWORD + 1, 'a');
  failed = key_from_stream (longest, SP_CRYPTO_MAX_PASSWORD + 1, &error);
  g_assert_null (failed);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY);
  g_clear_error (&error);

  longest[SP_CRYPTO_MAX_PASSWORD] = '\n';
  failed = key_from_stream (longest, SP_CRYPTO_MAX_PASSWORD + 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (failed);
}

static void
test_key_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *short_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) short_file = NULL;
  g_autoptr(SpCryptoKey) key = NULL;
  gsize len = 0;
  GStatBuf st;

  dir = g_dir_make_tmp ("specimen-crypto-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "test.key", NULL);
  file = g_file_new_for_path (path);

  g_assert_true (sp_crypto_generate_key_file (file, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_size, ==, 32);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  key = sp_crypto_key_new_from_key_file (file, NULL, &error);
  g_assert_no_error (error);

  /* Never clobbered silently; with overwrite the key changes. */
  g_file_get_contents (path, &before, &len, &error);
  g_assert_no_error (error);
  g_assert_false (sp_crypto_generate_key_file (file, FALSE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_file_get_contents (path, &after, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, 32, after, len);
  g_clear_pointer (&after, g_free);
  g_assert_true (sp_crypto_generate_key_file (file, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &after, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 32);
  g_assert_true (memcmp (before, after, 32) != 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  /* 31 and 33 bytes are not keys. */
  short_path = g_build_filename (dir, "short.key", NULL);
  short_file = g_file_new_for_path (short_path);
  g_file_set_contents (short_path, "0123456789012345678901234567890", 31, &error);
  g_assert_no_error (error);
  g_clear_pointer (&key, sp_crypto_key_free);
  key = sp_crypto_key_new_from_key_file (short_file, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY);
  g_assert_nonnull (strstr (error->message, "short.key"));
  g_clear_error (&error);
  g_file_set_contents (short_path, "012345678901234567890123456789012", 33, &error);
  g_assert_no_error (error);
  key = sp_crypto_key_new_from_key_file (short_file, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_BAD_KEY);
  g_clear_error (&error);

  /* A failed atomic write leaves nothing. */
  {
    g_autofree char *nowhere = g_build_filename (dir, "missing-dir", "x.key", NULL);
    g_autoptr(GFile) nowhere_file = g_file_new_for_path (nowhere);
    g_autoptr(GBytes) data = g_bytes_new_static ("abc", 3);

    g_assert_false (sp_crypto_replace_file (nowhere_file, data, FALSE, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  }

  g_unlink (path);
  g_unlink (short_path);
  g_rmdir (dir);
}

static void
test_detect_payload (void)
{
  static const struct
  {
    const char    *text;
    SpPayloadType  expected;
  } cases[] = {
    { "{\"schema\": \"specimen-report/1\", \"file\": {}}", SP_PAYLOAD_JSON_REPORT },
    { "\n  {\"file\": {}, \"schema\":\"specimen-report/1\"}\n", SP_PAYLOAD_JSON_REPORT },
    { "[{\"schema\": \"specimen-report/1\"}, {\"schema\": \"specimen-report/1\"}]",
      SP_PAYLOAD_JSON_REPORT },
    { "[{\"schema\": \"specimen-report/1\"}, {\"schema\": \"specimen-report/2\"}]",
      SP_PAYLOAD_OTHER },
    { "[{\"schema\": \"specimen-report/1\"}, 3]", SP_PAYLOAD_OTHER },
    { "[]", SP_PAYLOAD_OTHER },
    { "{\"schema\": \"specimen-report/2\"}", SP_PAYLOAD_OTHER },
    { "{\"schema\": 1}", SP_PAYLOAD_OTHER },
    { "{\"inner\": {\"schema\": \"specimen-report/1\"}}", SP_PAYLOAD_OTHER },
    { "{\"schema\": \"specimen-report/1\"", SP_PAYLOAD_OTHER },
    { "\"specimen-report/1\"", SP_PAYLOAD_OTHER },
    { "MZ\x90", SP_PAYLOAD_OTHER },
    { "", SP_PAYLOAD_OTHER },
  };
  static const char nul_inside[] = "{\"schema\": \"specimen-report/1\"}\0";
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sp_crypto_detect_payload_type ((const guint8 *) cases[i].text,
                                                    strlen (cases[i].text)),
                     ==, cases[i].expected);
  g_assert_cmpint (sp_crypto_detect_payload_type ((const guint8 *) nul_inside,
                                                  sizeof nul_inside),
                   ==, SP_PAYLOAD_OTHER);
}

static void
test_too_large (void)
{
  static const guint8 one = 0;
  g_autoptr(SpCryptoKey) key = raw_key (3);
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  if ((guint64) crypto_aead_aes256gcm_MESSAGEBYTES_MAX >= G_MAXSIZE - 100)
    {
      g_test_skip ("size_t cannot exceed the AES-GCM message limit here");
      return;
    }
  /* Never read: the size check comes first, so libsodium's abort is never reached. */
  huge = g_bytes_new_static (&one, (gsize) crypto_aead_aes256gcm_MESSAGEBYTES_MAX + 1);
  out = sp_crypto_encrypt (huge, key, SP_PAYLOAD_OTHER, &error);
  g_assert_null (out);
  g_assert_error (error, SP_CRYPTO_ERROR, SP_CRYPTO_ERROR_TOO_LARGE);
}

static void
test_default_profile (void)
{
  g_autoptr(SpCryptoKey) key = NULL;
  g_autoptr(GBytes) plain = g_bytes_new_static ("default", 7);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("SPECIMEN_KDF_PROFILE"));
  guint64 ops = 0, mem = 0;
  const guint8 *c;
  gint64 start;

  g_unsetenv ("SPECIMEN_KDF_PROFILE");
  key = sp_crypto_key_new_from_password ("default", 7, &error);
  g_assert_no_error (error);
  sp_crypto_key_get_kdf_limits (key, &ops, &mem);
  g_assert_cmpuint (ops, ==, 3);
  g_assert_cmpuint (mem, ==, 256 * 1024 * 1024);

  start = g_get_monotonic_time ();
  container = sp_crypto_encrypt (plain, key, SP_PAYLOAD_OTHER, &error);
  g_assert_no_error (error);
  g_test_message ("Argon2id with the default parameters: %.3f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  c = g_bytes_get_data (container, NULL);
  g_assert_cmpuint (read_u64_le (c + 12), ==, 3);
  g_assert_cmpuint (read_u64_le (c + 20), ==, 268435456);
  back = sp_crypto_decrypt (container, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, plain));

  g_setenv ("SPECIMEN_KDF_PROFILE", "interactive", TRUE);
  g_clear_pointer (&key, sp_crypto_key_free);
  key = sp_crypto_key_new_from_password ("default", 7, &error);
  sp_crypto_key_get_kdf_limits (key, &ops, &mem);
  g_assert_cmpuint (ops, ==, 2);
  g_assert_cmpuint (mem, ==, 64 * 1024 * 1024);

  if (saved != NULL)
    g_setenv ("SPECIMEN_KDF_PROFILE", saved, TRUE);
  else
    g_unsetenv ("SPECIMEN_KDF_PROFILE");
}

/* Runs specimen-cli with @args; returns its exit status and (optionally) stdout/stderr. */
static int
run_cli (const char * const  *args,
         const char          *stdin_text,
         GBytes             **out,
         char               **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("SPECIMEN_CLI");
  guint i;

  g_ptr_array_add (argv, (gpointer) cli);
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* With a stdin pipe GSubprocess wants input; an empty one gives the child EOF. */
  in = g_bytes_new (stdin_text, stdin_text != NULL ? strlen (stdin_text) : 0);
  g_subprocess_communicate (proc, in, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_bytes);
  if (err != NULL)
    *err = g_strndup (g_bytes_get_data (stderr_bytes, NULL), g_bytes_get_size (stderr_bytes));

  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *input = NULL;
  g_autofree char *pw = NULL;
  g_autofree char *key = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *out = NULL;
  g_autofree char *trunc = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  static const char data[] = "{\"schema\": \"specimen-report/1\", \"file\": {}}\n";
  gsize len = 0;

  if (g_getenv ("SPECIMEN_CLI") == NULL)
    {
      g_test_skip ("SPECIMEN_CLI is not set");
      return;
    }
  g_setenv ("SPECIMEN_KDF_PROFILE", "minimum", TRUE);

  dir = g_dir_make_tmp ("specimen-cli-crypt-XXXXXX", &error);
  g_assert_no_error (error);
  input = g_build_filename (dir, "report.json", NULL);
  pw = g_build_filename (dir, "pw.txt", NULL);
  key = g_build_filename (dir, "k.key", NULL);
  spec = g_build_filename (dir, "report.spec", NULL);
  out = g_build_filename (dir, "out.json", NULL);
  trunc = g_build_filename (dir, "trunc.spec", NULL);
  g_file_set_contents (input, data, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (pw, "open sesame\n", -1, &error);
  g_assert_no_error (error);

  /* Usage errors: exit 2, nothing written. */
  {
    const char *none[] = { "encrypt", "-o", spec, input, NULL };
    const char *both[] = { "encrypt", "--password-file", pw, "--key-file", pw, "-o", spec,
                           input, NULL };
    const char *no_out[] = { "encrypt", "--password-file", pw, input, NULL };
    const char *no_in[] = { "decrypt", "--password-file", pw, NULL };
    const char *keygen_no_out[] = { "keygen", NULL };

    g_assert_cmpint (run_cli (none, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (both, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (no_out, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (no_in, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (keygen_no_out, NULL, NULL, NULL), ==, 2);
    g_assert_false (g_file_test (spec, G_FILE_TEST_EXISTS));
  }

  /* Password from stdin encrypts; the file is a report (payload type 1); decrypt to stdout. */
  {
    const char *enc[] = { "encrypt", "--password-file=-", "-o", spec, input, NULL };
    const char *dec[] = { "decrypt", "--password-file", pw, spec, NULL };

    g_assert_cmpint (run_cli (enc, "open sesame\n", NULL, NULL), ==, 0);
    g_file_get_contents (spec, &contents, &len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (len, ==, SP_CRYPTO_HEADER_SIZE + strlen (data) + SP_CRYPTO_TAG_SIZE);
    g_assert_cmpmem (contents, 8, "SPECIMEN", 8);
    g_assert_cmpuint ((guint8) contents[11], ==, SP_PAYLOAD_JSON_REPORT);
    /* The hidden test profile was honoured: opslimit 1. */
    g_assert_cmpuint (read_u64_le ((const guint8 *) contents + 12), ==, 1);

    g_assert_cmpint (run_cli (dec, NULL, &stdout_bytes, NULL), ==, 0);
    g_assert_cmpmem (g_bytes_get_data (stdout_bytes, NULL), g_bytes_get_size (stdout_bytes),
                     data, strlen (data));
  }

  /* Hidden --kdf-ops/--kdf-mem are written to the header. */
  {
    const char *enc[] = { "encrypt", "--password-file", pw, "--kdf-ops=2", "--kdf-mem=1048576",
                          "-o", out, input, NULL };
    g_autofree char *c = NULL;

    g_assert_cmpint (run_cli (enc, NULL, NULL, NULL), ==, 0);
    g_file_get_contents (out, &c, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (read_u64_le ((const guint8 *) c + 12), ==, 2);
    g_assert_cmpuint (read_u64_le ((const guint8 *) c + 20), ==, 1048576);
    g_unlink (out);
  }

  /* Failures: exit 1, one clear message, no output file. */
  {
    const char *wrong[] = { "decrypt", "--password-file=-", "-o", out, spec, NULL };
    const char *kind[] = { "decrypt", "--key-file", key, "-o", out, spec, NULL };
    const char *cut[] = { "decrypt", "--password-file", pw, "-o", out, trunc, NULL };
    const char *plain[] = { "decrypt", "--password-file", pw, "-o", out, input, NULL };
    const char *keygen[] = { "keygen", "-o", key, NULL };
    GStatBuf st;

    g_assert_cmpint (run_cli (wrong, "open sesame!\n", NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "Wrong password, or the file is damaged"));
    g_assert_nonnull (strstr (err, "report.spec"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (keygen, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (g_stat (key, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpuint (st.st_size, ==, 32);
    g_assert_cmpint (run_cli (keygen, NULL, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "already exists"));
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (kind, NULL, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "password"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    g_file_set_contents (trunc, contents, len - 1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (run_cli (cut, NULL, NULL, &err), ==, 1);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    g_file_set_contents (trunc, contents, 30, &error);
    g_assert_no_error (error);
    g_assert_cmpint (run_cli (cut, NULL, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "header"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (plain, NULL, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "not a Specimen encrypted file"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    /* analyze --encrypt with nothing analysable writes nothing either. */
    {
      g_autofree char *missing = g_build_filename (dir, "missing.exe", NULL);
      const char *analyze[] = { "analyze", "--encrypt", "--key-file", key, "-o", out, missing,
                                NULL };

      g_assert_cmpint (run_cli (analyze, NULL, NULL, NULL), ==, 1);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  }

  /* A key file round trip through files, payload type 2 for non-reports. */
  {
    const char *enc[] = { "encrypt", "--key-file", key, "-o", spec, pw, NULL };
    const char *dec[] = { "decrypt", "--key-file", key, "-o", out, spec, NULL };
    g_autofree char *c = NULL;
    g_autofree char *back = NULL;

    g_assert_cmpint (run_cli (enc, NULL, NULL, NULL), ==, 0);
    g_file_get_contents (spec, &c, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint ((guint8) c[10], ==, SP_KEY_SOURCE_KEY_FILE);
    g_assert_cmpuint ((guint8) c[11], ==, SP_PAYLOAD_OTHER);
    g_assert_cmpint (run_cli (dec, NULL, NULL, NULL), ==, 0);
    g_file_get_contents (out, &back, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back, ==, "open sesame\n");
    /* Decrypted output is readable by its owner only. */
    {
      GStatBuf st;

      g_assert_cmpint (g_stat (out, &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
    }
  }

  g_unlink (input);
  g_unlink (pw);
  g_unlink (key);
  g_unlink (spec);
  g_unlink (out);
  g_unlink (trunc);
  g_rmdir (dir);
  g_unsetenv ("SPECIMEN_KDF_PROFILE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/specimen/crypto/known-answer-key-file", test_known_answer_key_file);
  g_test_add_func ("/specimen/crypto/known-answer-password", test_known_answer_password);
  g_test_add_func ("/specimen/crypto/roundtrip-password", test_roundtrip_password);
  g_test_add_func ("/specimen/crypto/roundtrip-key", test_roundtrip_key);
  g_test_add_func ("/specimen/crypto/byte-flips", test_byte_flips);
  g_test_add_func ("/specimen/crypto/truncation", test_truncation);
  g_test_add_func ("/specimen/crypto/hostile-header", test_hostile_header);
  g_test_add_func ("/specimen/crypto/wrong-key", test_wrong_key);
  g_test_add_func ("/specimen/crypto/password-stream", test_password_stream);
  g_test_add_func ("/specimen/crypto/key-files", test_key_files);
  g_test_add_func ("/specimen/crypto/detect-payload", test_detect_payload);
  g_test_add_func ("/specimen/crypto/too-large", test_too_large);
  g_test_add_func ("/specimen/crypto/default-profile", test_default_profile);
  g_test_add_func ("/specimen/crypto/cli", test_cli);

  return g_test_run ();
}
