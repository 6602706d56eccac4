/* sp-gui-util.h: small helpers the pages share
 *
 * Everything that shows sample-derived text goes through these helpers, which
 * only ever call gtk_label_set_text: a string from a sample is never markup.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void        sp_gui_register_resources  (void);
void        sp_widget_unparent_children (GtkWidget  *widget);

GtkWidget  *sp_value_label_new         (const char  *text,
                                        gboolean     monospace);
GtkWidget  *sp_copy_button_new        (const char  *what,
                                        GtkWidget   *source_label);
GtkWidget  *sp_info_row_new            (const char  *title,
                                        const char  *value,
                                        gboolean     monospace,
                                        GtkWidget  **out_label);
void        sp_widget_copy_text        (GtkWidget   *widget,
                                        const char  *text);
void        sp_widget_toast            (GtkWidget   *widget,
                                        const char  *message);

char       *sp_json_node_dup_display   (JsonNode    *node);
gboolean    sp_json_node_is_scalar     (JsonNode    *node);
const char *sp_json_key_to_label       (const char  *key);
char       *sp_json_key_dup_label      (const char  *key);
char       *sp_json_member_dup_display (const char  *key,
                                        JsonNode    *node);
gboolean    sp_json_section_is_wx      (JsonObject  *section);
GtkWidget  *sp_json_table_new          (JsonArray   *array,
                                        guint        max_rows);

char       *sp_format_offset           (guint64      offset);
char       *sp_format_duration         (double       seconds);

void        sp_show_uri                (GtkWidget   *widget,
                                        const char  *uri);

/* @file is the chosen file, or NULL when the user cancelled. */
typedef void (*SpFileChosenFunc) (GFile    *file,
                                  gpointer  user_data);

GtkFileChooserNative *sp_choose_save_file (GtkWidget        *parent,
                                           const char       *title,
                                           const char       *accept_label,
                                           const char       *filter_name,
                                           const char       *suffix,
                                           const char       *default_name,
                                           SpFileChosenFunc  callback,
                                           gpointer          user_data,
                                           GDestroyNotify    user_data_free);

G_END_DECLS
