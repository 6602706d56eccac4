/* sp-digests.c: MD5, SHA-1, SHA-256 and SHA-512 of a stream
 *
 * Two backends behind one interface, chosen at build time
 * (-Dcrypto_backend): OpenSSL's libcrypto, whose assembly uses the SHA
 * extensions and AVX2 where the CPU has them (about twice as fast as
 * GChecksum here, and the digests are most of a pass over a large file),
 * and GChecksum, the portable fallback. Both give the same hex strings.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-digests"

#ifdef SP_HAVE_LIBCRYPTO
#include <openssl/evp.h>
#endif

#include "sp-digests.h"

struct _SpDigest
{
  SpDigestKind  kind;
#ifdef SP_HAVE_LIBCRYPTO
  EVP_MD_CTX   *context;
#else
  GChecksum    *checksum;
#endif
  char         *hex;        /* set once, when first asked for */
};

static const struct
{
  const char    *id;
  GChecksumType  type;
} digest_kinds[SP_N_DIGESTS] = {
  [SP_DIGEST_MD5] = { "md5", G_CHECKSUM_MD5 },
  [SP_DIGEST_SHA1] = { "sha1", G_CHECKSUM_SHA1 },
  [SP_DIGEST_SHA256] = { "sha256", G_CHECKSUM_SHA256 },
  [SP_DIGEST_SHA512] = { "sha512", G_CHECKSUM_SHA512 },
};

#ifdef SP_HAVE_LIBCRYPTO
static const EVP_MD *
openssl_md (SpDigestKind kind)
{
  switch (kind)
    {
    case SP_DIGEST_MD5:
      return EVP_md5 ();
    case SP_DIGEST_SHA1:
      return EVP_sha1 ();
    case SP_DIGEST_SHA256:
      return EVP_sha256 ();
    case SP_DIGEST_SHA512:
    default:
      return EVP_sha512 ();
    }
}
#endif

/**
 * sp_digest_kind_get_id:
 *
 * Returns: the report's key for @kind: "md5", "sha1", "sha256" or "sha512"
 */
const char *
sp_digest_kind_get_id (SpDigestKind kind)
{
  g_return_val_if_fail (kind < SP_N_DIGESTS, NULL);
  return digest_kinds[kind].id;
}

SpDigest *
sp_digest_new (SpDigestKind kind)
{
  SpDigest *digest;

  g_return_val_if_fail (kind < SP_N_DIGESTS, NULL);

  digest = g_new0 (SpDigest, 1);
  digest->kind = kind;
#ifdef SP_HAVE_LIBCRYPTO
  digest->context = EVP_MD_CTX_new ();
  /* These four are in OpenSSL's default provider; only memory can fail. */
  if (digest->context == NULL || !EVP_DigestInit_ex (digest->context, openssl_md (kind), NULL))
    g_error ("OpenSSL cannot start a %s digest", digest_kinds[kind].id);
#else
  digest->checksum = g_checksum_new (digest_kinds[kind].type);
#endif
  return digest;
}

void
sp_digest_update (SpDigest     *digest,
                  const guint8 *data,
                  gsize         length)
{
  g_return_if_fail (digest->hex == NULL);

#ifdef SP_HAVE_LIBCRYPTO
  if (length > 0)
    EVP_DigestUpdate (digest->context, data, length);
#else
  /* g_checksum_update takes a gssize; feed huge buffers in pieces. */
  while (length > 0)
    {
      gsize piece = MIN (length, (gsize) G_MAXSSIZE);

      g_checksum_update (digest->checksum, data, (gssize) piece);
      data += piece;
      length -= piece;
    }
#endif
}

/**
 * sp_digest_get_hex:
 *
 * Closes the digest on first call; no more updates after it.
 *
 * Returns: lowercase hexadecimal digest
 */
const char *
sp_digest_get_hex (SpDigest *digest)
{
  if (digest->hex == NULL)
    {
#ifdef SP_HAVE_LIBCRYPTO
      guint8 raw[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      static const char hex_digits[] = "0123456789abcdef";

      if (!EVP_DigestFinal_ex (digest->context, raw, &length))
        g_error ("OpenSSL cannot finish a %s digest", digest_kinds[digest->kind].id);
      digest->hex = g_malloc (2 * length + 1);
      for (unsigned int i = 0; i < length; i++)
        {
          digest->hex[2 * i] = hex_digits[raw[i] >> 4];
          digest->hex[2 * i + 1] = hex_digits[raw[i] & 0xf];
        }
      digest->hex[2 * length] = '\0';
#else
      digest->hex = g_strdup (g_checksum_get_string (digest->checksum));
#endif
    }
  return digest->hex;
}

void
sp_digest_free (SpDigest *digest)
{
  if (digest == NULL)
    return;
#ifdef SP_HAVE_LIBCRYPTO
  EVP_MD_CTX_free (digest->context);
#else
  g_checksum_free (digest->checksum);
#endif
  g_free (digest->hex);
  g_free (digest);
}

static void
digest_feed (gpointer      data,
             const guint8 *chunk,
             gsize         length,
             guint64       offset)
{
  sp_digest_update (data, chunk, length);
}

void
sp_digest_consumer_init (SpDigest   *digest,
                         SpConsumer *consumer)
{
  *consumer = (SpConsumer) {
    .name = digest_kinds[digest->kind].id,
    .data = digest,
    .feed = digest_feed,
  };
}

char *
sp_digest_compute_hex (SpDigestKind  kind,
                       const guint8 *data,
                       gsize         length)
{
  g_autoptr(SpDigest) digest = sp_digest_new (kind);

  sp_digest_update (digest, data, length);
  return g_strdup (sp_digest_get_hex (digest));
}
