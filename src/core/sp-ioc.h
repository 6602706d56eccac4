/* sp-ioc.h: one indicator of compromise and the set that merges them */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SP_IOC_URL,
  SP_IOC_DOMAIN,
  SP_IOC_IPV4,
  SP_IOC_IPV6,
  SP_IOC_EMAIL,
  SP_IOC_PATH,
  SP_IOC_REGISTRY,
  SP_IOC_LIBRARY,
  SP_IOC_API,
  SP_IOC_BTC,
  SP_IOC_HASH,
  SP_IOC_CVE,
  SP_N_IOC_CATEGORIES
} SpIocCategory;

const char *sp_ioc_category_to_id    (SpIocCategory  category);
const char *sp_ioc_category_to_label (SpIocCategory  category);
gboolean    sp_ioc_category_from_id  (const char    *id,
                                      SpIocCategory *category);

/* At most this many offsets are kept per indicator; count keeps counting. */
#define SP_IOC_MAX_OFFSETS 64

#define SP_TYPE_IOC (sp_ioc_get_type ())
G_DECLARE_FINAL_TYPE (SpIoc, sp_ioc, SP, IOC, GObject)

SpIocCategory        sp_ioc_get_category     (SpIoc *self);
const char          *sp_ioc_get_value        (SpIoc *self);
const char          *sp_ioc_get_raw          (SpIoc *self);
char                *sp_ioc_dup_defanged     (SpIoc *self);
const guint64       *sp_ioc_get_offsets      (SpIoc *self,
                                              guint *n_offsets);
guint64              sp_ioc_get_first_offset (SpIoc *self);
guint64              sp_ioc_get_count        (SpIoc *self);
const char * const  *sp_ioc_get_tags         (SpIoc *self);

#define SP_TYPE_IOC_SET (sp_ioc_set_get_type ())
G_DECLARE_FINAL_TYPE (SpIocSet, sp_ioc_set, SP, IOC_SET, GObject)

SpIocSet *sp_ioc_set_new                  (void);
/* Merges with an existing (category, value); returns the indicator. */
SpIoc    *sp_ioc_set_add                  (SpIocSet           *self,
                                           SpIocCategory       category,
                                           const char         *value,
                                           const char         *raw,
                                           guint64             offset,
                                           const char * const *tags);
/* Adds an indicator with all its fields, as read back from a report. */
void      sp_ioc_set_add_full             (SpIocSet           *self,
                                           SpIocCategory       category,
                                           const char         *value,
                                           const char         *raw,
                                           const guint64      *offsets,
                                           guint               n_offsets,
                                           guint64             count,
                                           const char * const *tags);
/* Sorts by category, then first offset, and emits items-changed once. */
void      sp_ioc_set_seal                 (SpIocSet           *self);
guint     sp_ioc_set_count_in_category    (SpIocSet           *self,
                                           SpIocCategory       category);
char     *sp_defang                       (const char         *value,
                                           SpIocCategory       category);

G_END_DECLS
