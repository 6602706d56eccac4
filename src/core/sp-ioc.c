/* sp-ioc.c: one indicator of compromise and the set that merges them
 *
 * The set is filled by one worker thread while the pass runs, then sealed
 * and handed to the main thread. Neither SpIoc nor SpIocSet is thread-safe:
 * only one thread may use a set at a time, and no one may observe it (as a
 * GListModel) until sp_ioc_set_seal() has run. Adding does not emit
 * items-changed, so a worker never triggers signal handlers; sealing emits
 * one items-changed for everything added since the previous seal.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-ioc"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-ioc.h"

static const struct
{
  const char *id;
  const char *label;
} categories[SP_N_IOC_CATEGORIES] = {
  [SP_IOC_URL] = { "url", N_("URL") },
  [SP_IOC_DOMAIN] = { "domain", N_("Domain") },
  [SP_IOC_IPV4] = { "ipv4", N_("IPv4 address") },
  [SP_IOC_IPV6] = { "ipv6", N_("IPv6 address") },
  [SP_IOC_EMAIL] = { "email", N_("Email address") },
  [SP_IOC_PATH] = { "path", N_("File path") },
  [SP_IOC_REGISTRY] = { "registry", N_("Registry key") },
  [SP_IOC_LIBRARY] = { "library", N_("Library") },
  [SP_IOC_API] = { "api", N_("Suspicious API") },
  [SP_IOC_BTC] = { "btc", N_("Bitcoin address") },
  [SP_IOC_HASH] = { "hash", N_("Hash") },
  [SP_IOC_CVE] = { "cve", N_("CVE identifier") },
};

/**
 * sp_ioc_category_to_id:
 *
 * Returns: the stable identifier of @category used in reports ("url",
 * "domain", "ipv4", "ipv6", "email", "path", "registry", "library", "api",
 * "btc", "hash", "cve"), or %NULL for an invalid value.
 */
const char *
sp_ioc_category_to_id (SpIocCategory category)
{
  if ((guint) category >= SP_N_IOC_CATEGORIES)
    return NULL;
  return categories[category].id;
}

/**
 * sp_ioc_category_to_label:
 *
 * Returns: the translated, human-readable name of @category, or %NULL for
 * an invalid value.
 */
const char *
sp_ioc_category_to_label (SpIocCategory category)
{
  if ((guint) category >= SP_N_IOC_CATEGORIES)
    return NULL;
  return _(categories[category].label);
}

/**
 * sp_ioc_category_from_id:
 * @id: an identifier as returned by sp_ioc_category_to_id()
 * @category: (out): the category
 *
 * Returns: %TRUE if @id names a category.
 */
gboolean
sp_ioc_category_from_id (const char    *id,
                         SpIocCategory *category)
{
  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < SP_N_IOC_CATEGORIES; i++)
    {
      if (strcmp (id, categories[i].id) == 0)
        {
          if (category != NULL)
            *category = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Defanging */

static void
append_defanged_dots (GString    *out,
                      const char *text,
                      gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '.')
        g_string_append (out, "[.]");
      else
        g_string_append_c (out, text[i]);
    }
}

static void
defang_url (GString    *out,
            const char *value)
{
  const char *sep = strstr (value, "://");
  const char *host;
  const char *host_end;

  if (sep == NULL)
    {
      append_defanged_dots (out, value, strlen (value));
      return;
    }

  /* The scheme loses its "tt"/"t" so it is no longer a link: http -> hxxp, ftp -> fxp. */
  for (const char *p = value; p < sep; p++)
    {
      char c = *p;

      if ((c == 't' || c == 'T') && p > value && p < sep - 1
          && (g_ascii_tolower (p[-1]) == 'h' || g_ascii_tolower (p[-1]) == 't'))
        c = (c == 't') ? 'x' : 'X';
      else if ((c == 't' || c == 'T') && p > value && g_ascii_tolower (p[-1]) == 'f')
        c = (c == 't') ? 'x' : 'X';
      g_string_append_c (out, c);
    }
  g_string_append (out, "://");

  /* Dots are bracketed in the authority only; the path stays readable. */
  host = sep + 3;
  host_end = host + strcspn (host, "/?#");
  append_defanged_dots (out, host, host_end - host);
  g_string_append (out, host_end);
}

/**
 * sp_defang:
 * @value: a normalised indicator value
 * @category: its category
 *
 * Renders @value so that it can be shared without becoming a live link:
 * "http://evil.com/a.php" becomes "hxxp://evil[.]com/a.php", "1.2.3.4"
 * becomes "1[.]2[.]3[.]4", "a@b.com" becomes "a[@]b[.]com" and IPv6
 * colons become "[:]". Categories that are not network indicators are
 * returned unchanged.
 *
 * Returns: (transfer full): the defanged text.
 */
char *
sp_defang (const char    *value,
           SpIocCategory  category)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (strlen (value) + 16);
  switch (category)
    {
    case SP_IOC_URL:
      defang_url (out, value);
      break;

    case SP_IOC_DOMAIN:
    case SP_IOC_IPV4:
      append_defanged_dots (out, value, strlen (value));
      break;

    case SP_IOC_IPV6:
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == ':')
            g_string_append (out, "[:]");
          else
            g_string_append_c (out, *p);
        }
      break;

    case SP_IOC_EMAIL:
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '@')
            g_string_append (out, "[@]");
          else if (*p == '.')
            g_string_append (out, "[.]");
          else
            g_string_append_c (out, *p);
        }
      break;

    case SP_IOC_PATH:
    case SP_IOC_REGISTRY:
    case SP_IOC_LIBRARY:
    case SP_IOC_API:
    case SP_IOC_BTC:
    case SP_IOC_HASH:
    case SP_IOC_CVE:
    case SP_N_IOC_CATEGORIES:
    default:
      g_string_append (out, value);
      break;
    }

  return g_string_free (out, FALSE);
}

/* SpIoc */

typedef struct
{
  SpIocCategory  category;
  char          *value;
} SpIocKey;

struct _SpIoc
{
  GObject   parent_instance;

  SpIocKey  key;
  char     *raw;
  guint64   offsets[SP_IOC_MAX_OFFSETS];
  guint     n_offsets;
  guint64   first_offset;
  guint64   count;
  GStrv     tags;
};

G_DEFINE_FINAL_TYPE (SpIoc, sp_ioc, G_TYPE_OBJECT)

enum {
  IOC_PROP_0,
  IOC_PROP_CATEGORY,
  IOC_PROP_CATEGORY_ID,
  IOC_PROP_CATEGORY_LABEL,
  IOC_PROP_VALUE,
  IOC_PROP_RAW,
  IOC_PROP_DEFANGED,
  IOC_PROP_FIRST_OFFSET,
  IOC_PROP_COUNT,
  IOC_PROP_TAGS,
  IOC_N_PROPS
};

static GParamSpec *ioc_properties[IOC_N_PROPS];

static void
sp_ioc_finalize (GObject *object)
{
  SpIoc *self = SP_IOC (object);

  g_free (self->key.value);
  g_free (self->raw);
  g_strfreev (self->tags);

  G_OBJECT_CLASS (sp_ioc_parent_class)->finalize (object);
}

static void
sp_ioc_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  SpIoc *self = SP_IOC (object);

  switch (prop_id)
    {
    case IOC_PROP_CATEGORY:
      g_value_set_uint (value, self->key.category);
      break;

    case IOC_PROP_CATEGORY_ID:
      g_value_set_string (value, sp_ioc_category_to_id (self->key.category));
      break;

    case IOC_PROP_CATEGORY_LABEL:
      g_value_set_string (value, sp_ioc_category_to_label (self->key.category));
      break;

    case IOC_PROP_VALUE:
      g_value_set_string (value, self->key.value);
      break;

    case IOC_PROP_RAW:
      g_value_set_string (value, self->raw);
      break;

    case IOC_PROP_DEFANGED:
      g_value_take_string (value, sp_ioc_dup_defanged (self));
      break;

    case IOC_PROP_FIRST_OFFSET:
      g_value_set_uint64 (value, self->first_offset);
      break;

    case IOC_PROP_COUNT:
      g_value_set_uint64 (value, self->count);
      break;

    case IOC_PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_ioc_class_init (SpIocClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sp_ioc_finalize;
  object_class->get_property = sp_ioc_get_property;

  /* Read-only properties so list views can bind columns with expressions. */
  ioc_properties[IOC_PROP_CATEGORY] =
    g_param_spec_uint ("category", NULL, NULL, 0, SP_N_IOC_CATEGORIES - 1, 0, flags);
  ioc_properties[IOC_PROP_CATEGORY_ID] =
    g_param_spec_string ("category-id", NULL, NULL, NULL, flags);
  ioc_properties[IOC_PROP_CATEGORY_LABEL] =
    g_param_spec_string ("category-label", NULL, NULL, NULL, flags);
  ioc_properties[IOC_PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  ioc_properties[IOC_PROP_RAW] = g_param_spec_string ("raw", NULL, NULL, NULL, flags);
  ioc_properties[IOC_PROP_DEFANGED] = g_param_spec_string ("defanged", NULL, NULL, NULL, flags);
  ioc_properties[IOC_PROP_FIRST_OFFSET] =
    g_param_spec_uint64 ("first-offset", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  ioc_properties[IOC_PROP_COUNT] =
    g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  ioc_properties[IOC_PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, IOC_N_PROPS, ioc_properties);
}

static void
sp_ioc_init (SpIoc *self)
{
  self->first_offset = G_MAXUINT64;
}

SpIocCategory
sp_ioc_get_category (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), 0);
  return self->key.category;
}

/**
 * sp_ioc_get_value:
 *
 * Returns: the normalised value (refanged, trailing punctuation removed).
 */
const char *
sp_ioc_get_value (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), NULL);
  return self->key.value;
}

/**
 * sp_ioc_get_raw:
 *
 * Returns: the text as first found in the sample (e.g. "hxxp://evil[.]com").
 */
const char *
sp_ioc_get_raw (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), NULL);
  return self->raw;
}

/**
 * sp_ioc_dup_defanged:
 *
 * Returns: (transfer full): sp_defang() of the value.
 */
char *
sp_ioc_dup_defanged (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), NULL);
  return sp_defang (self->key.value, self->key.category);
}

/**
 * sp_ioc_get_offsets:
 * @n_offsets: (out): number of offsets returned, at most %SP_IOC_MAX_OFFSETS
 *
 * Returns: (array length=n_offsets): the kept offsets; sorted once the set
 * is sealed.
 */
const guint64 *
sp_ioc_get_offsets (SpIoc *self,
                    guint *n_offsets)
{
  g_return_val_if_fail (SP_IS_IOC (self), NULL);
  if (n_offsets != NULL)
    *n_offsets = self->n_offsets;
  return self->offsets;
}

/**
 * sp_ioc_get_first_offset:
 *
 * Returns: the lowest offset at which the indicator was seen, including
 * occurrences beyond the kept offsets.
 */
guint64
sp_ioc_get_first_offset (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), 0);
  return self->n_offsets > 0 ? self->first_offset : 0;
}

/**
 * sp_ioc_get_count:
 *
 * Returns: how many times the indicator occurs (may exceed the number of
 * kept offsets).
 */
guint64
sp_ioc_get_count (SpIoc *self)
{
  g_return_val_if_fail (SP_IS_IOC (self), 0);
  return self->count;
}

/**
 * sp_ioc_get_tags:
 *
 * Returns: (transfer none): a %NULL-terminated list of tags such as
 * "defanged", "private" or behaviour names; never %NULL.
 */
const char * const *
sp_ioc_get_tags (SpIoc *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (SP_IS_IOC (self), empty);
  return self->tags != NULL ? (const char * const *) self->tags : empty;
}

static gboolean
sp_ioc_has_offset (SpIoc   *self,
                   guint64  offset)
{
  for (guint i = 0; i < self->n_offsets; i++)
    if (self->offsets[i] == offset)
      return TRUE;
  return FALSE;
}

/* Returns FALSE when @offset was already recorded, i.e. the same occurrence seen twice. */
static gboolean
sp_ioc_record_offset (SpIoc   *self,
                      guint64  offset)
{
  if (sp_ioc_has_offset (self, offset))
    return FALSE;
  if (self->n_offsets < SP_IOC_MAX_OFFSETS)
    self->offsets[self->n_offsets++] = offset;
  if (offset < self->first_offset)
    self->first_offset = offset;
  return TRUE;
}

static void
sp_ioc_merge_tags (SpIoc              *self,
                   const char * const *tags)
{
  GPtrArray *merged;

  if (tags == NULL || tags[0] == NULL)
    return;

  merged = g_ptr_array_new ();
  if (self->tags != NULL)
    for (guint i = 0; self->tags[i] != NULL; i++)
      g_ptr_array_add (merged, self->tags[i]);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < merged->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (merged, j), tags[i]) == 0;
      if (!seen)
        g_ptr_array_add (merged, g_strdup (tags[i]));
    }
  g_ptr_array_add (merged, NULL);

  /* The old strings moved into the new vector; only the old array is freed. */
  g_free (self->tags);
  self->tags = (GStrv) g_ptr_array_free (merged, FALSE);
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* SpIocSet */

struct _SpIocSet
{
  GObject     parent_instance;

  GPtrArray  *items;
  GHashTable *index;
  guint       per_category[SP_N_IOC_CATEGORIES];
  /* Items the model has announced through items-changed. */
  guint       published;
};

static void sp_ioc_set_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpIocSet, sp_ioc_set, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sp_ioc_set_list_model_init))

static guint
sp_ioc_key_hash (gconstpointer data)
{
  const SpIocKey *key = data;

  return g_str_hash (key->value) * 31 + key->category;
}

static gboolean
sp_ioc_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const SpIocKey *x = a;
  const SpIocKey *y = b;

  return x->category == y->category && strcmp (x->value, y->value) == 0;
}

static GType
sp_ioc_set_get_item_type (GListModel *model)
{
  return SP_TYPE_IOC;
}

static guint
sp_ioc_set_get_n_items (GListModel *model)
{
  return SP_IOC_SET (model)->items->len;
}

static gpointer
sp_ioc_set_get_item (GListModel *model,
                     guint       position)
{
  SpIocSet *self = SP_IOC_SET (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
sp_ioc_set_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sp_ioc_set_get_item_type;
  iface->get_n_items = sp_ioc_set_get_n_items;
  iface->get_item = sp_ioc_set_get_item;
}

static void
sp_ioc_set_finalize (GObject *object)
{
  SpIocSet *self = SP_IOC_SET (object);

  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (sp_ioc_set_parent_class)->finalize (object);
}

static void
sp_ioc_set_class_init (SpIocSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_ioc_set_finalize;
}

static void
sp_ioc_set_init (SpIocSet *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  /* Keys point into the items themselves, so the table owns nothing. */
  self->index = g_hash_table_new (sp_ioc_key_hash, sp_ioc_key_equal);
}

/**
 * sp_ioc_set_new:
 *
 * Creates an empty set. The set is not thread-safe: fill it from one
 * thread, call sp_ioc_set_seal(), then hand it to the thread that shows it.
 *
 * Returns: (transfer full): a new #SpIocSet.
 */
SpIocSet *
sp_ioc_set_new (void)
{
  return g_object_new (SP_TYPE_IOC_SET, NULL);
}

static SpIoc *
sp_ioc_set_lookup_or_insert (SpIocSet      *self,
                             SpIocCategory  category,
                             const char    *value,
                             const char    *raw)
{
  SpIocKey key = { category, (char *) value };
  SpIoc *ioc;

  ioc = g_hash_table_lookup (self->index, &key);
  if (ioc != NULL)
    return ioc;

  ioc = g_object_new (SP_TYPE_IOC, NULL);
  ioc->key.category = category;
  ioc->key.value = g_strdup (value);
  ioc->raw = g_strdup (raw != NULL ? raw : value);
  g_ptr_array_add (self->items, ioc);
  g_hash_table_insert (self->index, &ioc->key, ioc);
  self->per_category[category]++;
  return ioc;
}

/**
 * sp_ioc_set_add:
 * @category: the category
 * @value: the normalised value
 * @raw: (nullable): the text as found; %NULL means the same as @value
 * @offset: file offset of the occurrence
 * @tags: (nullable): tags to merge into the indicator
 *
 * Records one occurrence. An indicator with the same category and value is
 * merged: the offset is kept if fewer than %SP_IOC_MAX_OFFSETS are kept,
 * the count grows, tags are united and the first raw text stays. Reporting
 * the same occurrence (same offset) twice counts it once. Does not emit
 * items-changed; see sp_ioc_set_seal().
 *
 * Returns: (transfer none): the indicator, owned by the set.
 */
SpIoc *
sp_ioc_set_add (SpIocSet           *self,
                SpIocCategory       category,
                const char         *value,
                const char         *raw,
                guint64             offset,
                const char * const *tags)
{
  SpIoc *ioc;

  g_return_val_if_fail (SP_IS_IOC_SET (self), NULL);
  g_return_val_if_fail ((guint) category < SP_N_IOC_CATEGORIES, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  ioc = sp_ioc_set_lookup_or_insert (self, category, value, raw);
  if (sp_ioc_record_offset (ioc, offset))
    ioc->count++;
  sp_ioc_merge_tags (ioc, tags);
  return ioc;
}

/**
 * sp_ioc_set_add_full:
 * @offsets: (array length=n_offsets) (nullable): offsets of the indicator
 * @count: total occurrences; raised to the number of distinct offsets if lower
 *
 * Adds an indicator with all its fields, as read back from a report. If the
 * indicator already exists the two are merged. Does not emit items-changed.
 */
void
sp_ioc_set_add_full (SpIocSet           *self,
                     SpIocCategory       category,
                     const char         *value,
                     const char         *raw,
                     const guint64      *offsets,
                     guint               n_offsets,
                     guint64             count,
                     const char * const *tags)
{
  SpIoc *ioc;
  guint64 added = 0;

  g_return_if_fail (SP_IS_IOC_SET (self));
  g_return_if_fail ((guint) category < SP_N_IOC_CATEGORIES);
  g_return_if_fail (value != NULL);
  g_return_if_fail (offsets != NULL || n_offsets == 0);

  ioc = sp_ioc_set_lookup_or_insert (self, category, value, raw);
  for (guint i = 0; i < n_offsets; i++)
    if (sp_ioc_record_offset (ioc, offsets[i]))
      added++;
  ioc->count += MAX (count, added);
  sp_ioc_merge_tags (ioc, tags);
}

static int
compare_iocs (gconstpointer a,
              gconstpointer b)
{
  const SpIoc *x = *(SpIoc * const *) a;
  const SpIoc *y = *(SpIoc * const *) b;

  if (x->key.category != y->key.category)
    return x->key.category < y->key.category ? -1 : 1;
  if (x->first_offset != y->first_offset)
    return x->first_offset < y->first_offset ? -1 : 1;
  return strcmp (x->key.value, y->key.value);
}

/**
 * sp_ioc_set_seal:
 *
 * Sorts the indicators by category, then first offset (then value), sorts
 * each indicator's offsets, and emits #GListModel::items-changed once for
 * everything that changed since the last seal. Call it on the thread that
 * filled the set before handing the set over; adding later is allowed but
 * needs another seal.
 */
void
sp_ioc_set_seal (SpIocSet *self)
{
  guint removed;

  g_return_if_fail (SP_IS_IOC_SET (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      SpIoc *ioc = g_ptr_array_index (self->items, i);

      qsort (ioc->offsets, ioc->n_offsets, sizeof ioc->offsets[0], compare_offsets);
    }
  g_ptr_array_sort (self->items, compare_iocs);

  removed = self->published;
  self->published = self->items->len;
  if (removed > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

/**
 * sp_ioc_set_count_in_category:
 *
 * Returns: the number of distinct indicators in @category.
 */
guint
sp_ioc_set_count_in_category (SpIocSet      *self,
                              SpIocCategory  category)
{
  g_return_val_if_fail (SP_IS_IOC_SET (self), 0);
  g_return_val_if_fail ((guint) category < SP_N_IOC_CATEGORIES, 0);
  return self->per_category[category];
}
