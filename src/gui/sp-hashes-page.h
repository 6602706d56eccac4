/* sp-hashes-page.h: the four digests, a comparison entry and a VirusTotal link */
#pragma once

#include <gtk/gtk.h>

#include "sp-digests.h"
#include "sp-report.h"

G_BEGIN_DECLS

typedef enum
{
  SP_HASH_COMPARE_EMPTY,
  SP_HASH_COMPARE_MATCH,
  SP_HASH_COMPARE_MISMATCH,
} SpHashCompareState;

#define SP_TYPE_HASHES_PAGE (sp_hashes_page_get_type ())
G_DECLARE_FINAL_TYPE (SpHashesPage, sp_hashes_page, SP, HASHES_PAGE, GtkWidget)

GtkWidget          *sp_hashes_page_new               (void);
void                sp_hashes_page_set_report        (SpHashesPage *self,
                                                      SpReport     *report);
GtkLabel           *sp_hashes_page_get_value_label   (SpHashesPage *self,
                                                      SpDigestKind  kind);
void                sp_hashes_page_set_compare_text  (SpHashesPage *self,
                                                      const char   *text);
SpHashCompareState  sp_hashes_page_get_compare_state (SpHashesPage *self);
/* -1 unless the last comparison matched. */
int                 sp_hashes_page_get_matched_kind  (SpHashesPage *self);

G_END_DECLS
