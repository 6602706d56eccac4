/* sp-report.c: everything known about one sample */
#include "config.h"
#define G_LOG_DOMAIN "sp-report"

#include <glib/gi18n.h>

#include "sp-report-private.h"
#include "sp-save.h"

struct _SpReport
{
  GObject         parent_instance;

  GHashTable     *sections;   /* name → JsonObject */
  SpStringTable  *strings;
  SpIocSet       *iocs;
  SpReportOrigin  origin;
};

G_DEFINE_TYPE (SpReport, sp_report, G_TYPE_OBJECT)

G_DEFINE_QUARK (sp-report-error-quark, sp_report_error)

const char * const sp_report_section_order[] = {
  "file", "type", "hashes", "entropy", "pe", "elf", "bmp", "image", NULL
};

void
sp_report_options_init (SpReportOptions *options)
{
  options->max_strings = -1;
}

static void
sp_report_finalize (GObject *object)
{
  SpReport *self = SP_REPORT (object);

  g_hash_table_unref (self->sections);
  g_clear_object (&self->strings);
  g_clear_object (&self->iocs);

  G_OBJECT_CLASS (sp_report_parent_class)->finalize (object);
}

static void
sp_report_class_init (SpReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_report_finalize;
}

static void
sp_report_init (SpReport *self)
{
  self->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) json_object_unref);
}

SpReport *
sp_report_new (void)
{
  return g_object_new (SP_TYPE_REPORT, NULL);
}

SpReportOrigin
sp_report_get_origin (SpReport *self)
{
  g_return_val_if_fail (SP_IS_REPORT (self), SP_REPORT_ORIGIN_ANALYSIS);
  return self->origin;
}

void
sp_report_set_origin (SpReport       *self,
                      SpReportOrigin  origin)
{
  g_return_if_fail (SP_IS_REPORT (self));
  self->origin = origin;
}

void
sp_report_set_section (SpReport   *self,
                       const char *name,
                       JsonObject *section)
{
  g_return_if_fail (SP_IS_REPORT (self));
  g_return_if_fail (name != NULL);

  if (section == NULL)
    g_hash_table_remove (self->sections, name);
  else
    g_hash_table_replace (self->sections, g_strdup (name), json_object_ref (section));
}

/**
 * sp_report_get_section:
 * @name: "file", "type", "hashes", "entropy", "pe", "elf", "bmp" or "image"
 *
 * Returns: (transfer none) (nullable): the section, if the report has it
 */
JsonObject *
sp_report_get_section (SpReport   *self,
                       const char *name)
{
  g_return_val_if_fail (SP_IS_REPORT (self), NULL);
  return g_hash_table_lookup (self->sections, name);
}

SpStringTable *
sp_report_get_strings (SpReport *self)
{
  g_return_val_if_fail (SP_IS_REPORT (self), NULL);
  return self->strings;
}

void
sp_report_set_strings (SpReport      *self,
                       SpStringTable *strings)
{
  g_return_if_fail (SP_IS_REPORT (self));
  g_set_object (&self->strings, strings);
}

SpIocSet *
sp_report_get_iocs (SpReport *self)
{
  g_return_val_if_fail (SP_IS_REPORT (self), NULL);
  return self->iocs;
}

void
sp_report_set_iocs (SpReport *self,
                    SpIocSet *iocs)
{
  g_return_if_fail (SP_IS_REPORT (self));
  g_set_object (&self->iocs, iocs);
}

/**
 * sp_report_get_title:
 *
 * Returns: the sample's file name, or a generic title
 */
const char *
sp_report_get_title (SpReport *self)
{
  JsonObject *file = sp_report_get_section (self, "file");

  if (file != NULL && json_object_has_member (file, "name") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (file, "name")))
    {
      const char *name = json_object_get_string_member (file, "name");
      if (name != NULL)
        return name;
    }
  return _("Unnamed sample");
}

guint
sp_report_strings_to_write (SpReport              *self,
                            const SpReportOptions *options)
{
  guint count = self->strings != NULL ? sp_string_table_get_count (self->strings) : 0;

  if (options->max_strings < 0)
    return count;
  return (guint) MIN ((guint64) count, (guint64) options->max_strings);
}

gboolean
sp_report_write (SpReport              *self,
                 SpReportFormat         format,
                 const SpReportOptions *options,
                 GOutputStream         *output,
                 GCancellable          *cancellable,
                 GError               **error)
{
  SpReportOptions defaults;

  g_return_val_if_fail (SP_IS_REPORT (self), FALSE);

  if (options == NULL)
    {
      sp_report_options_init (&defaults);
      options = &defaults;
    }
  if (format == SP_REPORT_FORMAT_JSON)
    return sp_report_write_json (self, options, output, cancellable, error);
  return sp_report_write_human (self, format, options, output, cancellable, error);
}

typedef struct
{
  SpReport              *report;
  SpReportFormat         format;
  const SpReportOptions *options;
} SaveData;

static gboolean
write_report (GOutputStream  *output,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  SaveData *data = user_data;

  return sp_report_write (data->report, data->format, data->options, output, cancellable, error);
}

/**
 * sp_report_save:
 *
 * Writes the report to @file so that a failed save never leaves half a
 * report: an existing file keeps its old contents, a new one is removed.
 */
gboolean
sp_report_save (SpReport              *self,
                SpReportFormat         format,
                const SpReportOptions *options,
                GFile                 *file,
                GCancellable          *cancellable,
                GError               **error)
{
  SaveData data = { self, format, options };

  g_return_val_if_fail (SP_IS_REPORT (self), FALSE);

  return sp_save_file (file, SP_SAVE_REPLACE, write_report, &data, cancellable, error);
}
