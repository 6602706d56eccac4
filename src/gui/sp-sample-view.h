/* sp-sample-view.h: the content of one tab, for a running analysis or a finished report */
#pragma once

#include <adwaita.h>

#include "sp-analysis.h"
#include "sp-report.h"

G_BEGIN_DECLS

typedef enum
{
  SP_SAMPLE_VIEW_IDLE,
  SP_SAMPLE_VIEW_RUNNING,
  SP_SAMPLE_VIEW_WAITING,   /* for a password */
  SP_SAMPLE_VIEW_DONE,
  SP_SAMPLE_VIEW_FAILED,
  SP_SAMPLE_VIEW_CANCELLED,
} SpSampleViewState;

#define SP_TYPE_SAMPLE_VIEW (sp_sample_view_get_type ())
G_DECLARE_FINAL_TYPE (SpSampleView, sp_sample_view, SP, SAMPLE_VIEW, GtkWidget)

/* @file is the sample or report file; %NULL for a report built elsewhere. */
SpSampleView      *sp_sample_view_new               (GFile                   *file);
void               sp_sample_view_analyze           (SpSampleView            *self,
                                                     const SpAnalysisOptions *options);
void               sp_sample_view_load_report_file  (SpSampleView            *self);
void               sp_sample_view_open_encrypted    (SpSampleView            *self);
void               sp_sample_view_set_report        (SpSampleView            *self,
                                                     SpReport                *report);
void               sp_sample_view_show_error        (SpSampleView            *self,
                                                     const GError            *error);
void               sp_sample_view_cancel            (SpSampleView            *self);

GFile             *sp_sample_view_get_file          (SpSampleView            *self);
const char        *sp_sample_view_get_title         (SpSampleView            *self);
const char        *sp_sample_view_get_tooltip       (SpSampleView            *self);
SpReport          *sp_sample_view_get_report        (SpSampleView            *self);
SpSampleViewState  sp_sample_view_get_state         (SpSampleView            *self);
gboolean           sp_sample_view_get_busy          (SpSampleView            *self);
double             sp_sample_view_get_fraction      (SpSampleView            *self);
const char        *sp_sample_view_get_error_message (SpSampleView            *self);

void               sp_sample_view_show_page         (SpSampleView            *self,
                                                     const char              *name);
void               sp_sample_view_focus_search      (SpSampleView            *self);
AdwViewStack      *sp_sample_view_get_view_stack    (SpSampleView            *self);
GtkWidget         *sp_sample_view_get_switcher      (SpSampleView            *self);
GtkWidget         *sp_sample_view_get_page          (SpSampleView            *self,
                                                     const char              *name);
GtkWidget         *sp_sample_view_get_banner_label  (SpSampleView            *self);

G_END_DECLS
