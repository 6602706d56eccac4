/* sp-digests.h: MD5, SHA-1, SHA-256 and SHA-512 of a stream */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-pass.h"

G_BEGIN_DECLS

typedef enum
{
  SP_DIGEST_MD5,
  SP_DIGEST_SHA1,
  SP_DIGEST_SHA256,
  SP_DIGEST_SHA512,
  SP_N_DIGESTS
} SpDigestKind;

typedef struct _SpDigest SpDigest;

const char *sp_digest_kind_get_id   (SpDigestKind    kind);
SpDigest   *sp_digest_new           (SpDigestKind    kind);
void        sp_digest_update        (SpDigest       *digest,
                                     const guint8   *data,
                                     gsize           length);
const char *sp_digest_get_hex       (SpDigest       *digest);
void        sp_digest_free          (SpDigest       *digest);
void        sp_digest_consumer_init (SpDigest       *digest,
                                     SpConsumer     *consumer);

char       *sp_digest_compute_hex   (SpDigestKind    kind,
                                     const guint8   *data,
                                     gsize           length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDigest, sp_digest_free)

G_END_DECLS
