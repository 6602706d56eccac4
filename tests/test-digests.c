/* test-digests.c: published vectors and a multi-chunk stream */
#include "config.h"

#include <string.h>

#include "sp-digests.h"

typedef struct
{
  const char *name;
  const char *hex[SP_N_DIGESTS];
} Vector;

/* FIPS 180 / RFC 1321 test vectors. */
static const Vector empty = { "empty", {
  "d41d8cd98f00b204e9800998ecf8427e",
  "da39a3ee5e6b4b0d3255bfef95601890afd80709",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" } };
static const Vector abc = { "abc", {
  "900150983cd24fb0d6963f7d28e17f72",
  "a9993e364706816aba3e25717850c26c9cd0d89d",
  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" } };
static const Vector million_a = { "million-a", {
  "7707d6ae4e027c70eea2a935c2296f21",
  "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" } };

static void
check_vector (const Vector *vector,
              const guint8 *data,
              gsize         length)
{
  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    {
      g_autofree char *hex = sp_digest_compute_hex (kind, data, length);
      g_assert_cmpstr (hex, ==, vector->hex[kind]);
    }
}

static void
test_published_vectors (void)
{
  g_autofree guint8 *million = g_malloc (1000000);

  memset (million, 'a', 1000000);
  check_vector (&empty, (const guint8 *) "", 0);
  check_vector (&abc, (const guint8 *) "abc", 3);
  check_vector (&million_a, million, 1000000);
}

static void
test_kind_ids (void)
{
  g_assert_cmpstr (sp_digest_kind_get_id (SP_DIGEST_MD5), ==, "md5");
  g_assert_cmpstr (sp_digest_kind_get_id (SP_DIGEST_SHA1), ==, "sha1");
  g_assert_cmpstr (sp_digest_kind_get_id (SP_DIGEST_SHA256), ==, "sha256");
  g_assert_cmpstr (sp_digest_kind_get_id (SP_DIGEST_SHA512), ==, "sha512");
}

typedef struct
{
  SpDigest *digests[SP_N_DIGESTS];
} DigestSet;

/* One million 'a' read as a file through the pass with odd chunk sizes. */
static void
test_multi_chunk_pass (void)
{
  static const gsize chunk_sizes[] = { 7, 4096, 65537, 1 << 20 };
  g_autofree guint8 *million = g_malloc (1000000);
  g_autoptr(GBytes) bytes = NULL;

  memset (million, 'a', 1000000);
  bytes = g_bytes_new (million, 1000000);

  for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
    {
      g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "million-a");
      g_autoptr(SpPass) pass = sp_pass_new (sample);
      g_autoptr(GError) error = NULL;
      DigestSet set;

      sp_pass_set_chunk_size (pass, chunk_sizes[c]);
      for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
        {
          SpConsumer consumer;

          set.digests[kind] = sp_digest_new (kind);
          sp_digest_consumer_init (set.digests[kind], &consumer);
          sp_pass_add_consumer (pass, kind % 2, &consumer);
        }
      g_assert_true (sp_pass_run (pass, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
        {
          g_assert_cmpstr (sp_digest_get_hex (set.digests[kind]), ==, million_a.hex[kind]);
          sp_digest_free (set.digests[kind]);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/digests/published-vectors", test_published_vectors);
  g_test_add_func ("/specimen/digests/kind-ids", test_kind_ids);
  g_test_add_func ("/specimen/digests/multi-chunk-pass", test_multi_chunk_pass);
  return g_test_run ();
}
