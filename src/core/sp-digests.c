/* sp-digests.c: MD5, SHA-1, SHA-256 and SHA-512 of a stream */
#include "config.h"
#define G_LOG_DOMAIN "sp-digests"

#include "sp-digests.h"

struct _SpDigest
{
  SpDigestKind  kind;
  GChecksum    *checksum;
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
  digest->checksum = g_checksum_new (digest_kinds[kind].type);
  return digest;
}

void
sp_digest_update (SpDigest     *digest,
                  const guint8 *data,
                  gsize         length)
{
  /* g_checksum_update takes a gssize; feed huge buffers in pieces. */
  while (length > 0)
    {
      gsize piece = MIN (length, (gsize) G_MAXSSIZE);

      g_checksum_update (digest->checksum, data, (gssize) piece);
      data += piece;
      length -= piece;
    }
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
    digest->hex = g_strdup (g_checksum_get_string (digest->checksum));
  return digest->hex;
}

void
sp_digest_free (SpDigest *digest)
{
  if (digest == NULL)
    return;
  g_checksum_free (digest->checksum);
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
