/* sp-headers-page.c: the parsed PE, ELF or BMP structure, shown generically
 *
 * The page walks the report's JSON rather than knowing each parser's schema:
 * scalars become rows, arrays of flat objects become tables, arrays of
 * objects that carry lists (imports per DLL) become expandable rows, and
 * "warnings" are listed first. Everything is capped: a hostile file can claim
 * any number of entries, and a widget per entry does not scale.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-headers-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-headers-page.h"

#define MAX_TABLE_ROWS 512
#define MAX_EXPANDERS 256
#define MAX_EXPANDER_ROWS 256
/* Rows inside expanders, over the whole page: thousands of imports stay usable. */
#define MAX_NESTED_ROWS 4000
#define MAX_DEPTH 4

struct _SpHeadersPage
{
  GtkWidget   parent_instance;

  GtkWidget  *content_box;
  const char *format;
  guint       nested_rows_left;
};

G_DEFINE_FINAL_TYPE (SpHeadersPage, sp_headers_page, GTK_TYPE_WIDGET)

static void add_object (SpHeadersPage *self, const char *title, JsonObject *object, guint depth);

static GtkWidget *
heading_new (const char *text,
             guint       depth)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, depth == 0 ? "title-4" : "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) MIN (depth + 2, 6),
                                  -1);
  return label;
}

static GtkWidget *
boxed_list_new (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static const char *
item_title_key (JsonObject *object)
{
  static const char *keys[] = { "dll", "library", "name", "module", "key", "id" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *node = json_object_get_member (object, keys[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        return keys[i];
    }
  return NULL;
}

static gboolean
array_is_scalar (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!sp_json_node_is_scalar (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

static gboolean
array_items_have_lists (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array) && i < 16; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &key, &member))
        {
          static const char * const list_keys[] = { "functions", "imports", "exports", "symbols",
                                                    "entries", "names", NULL };
          JsonArray *inner;

          if (!JSON_NODE_HOLDS_ARRAY (member))
            continue;
          /* Short flag lists stay in a table cell; long or nested lists get their own rows. */
          inner = json_node_get_array (member);
          if (g_strv_contains (list_keys, key) || json_array_get_length (inner) > 6
              || !array_is_scalar (inner))
            return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
plain_row_new (const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* One expandable row per item (a DLL), with its lists as child rows. */
static void
add_expanders (SpHeadersPage *self,
               const char    *title,
               JsonArray     *array)
{
  GtkWidget *list = boxed_list_new ();
  guint n = json_array_get_length (array);
  g_autofree char *heading = g_strdup_printf ("%s (%u)", title, n);

  gtk_box_append (GTK_BOX (self->content_box), heading_new (heading, 1));
  for (guint i = 0; i < n && i < MAX_EXPANDERS; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *title_key;
      GtkWidget *expander;
      g_autoptr(GString) subtitle = g_string_new (NULL);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      title_key = item_title_key (object);

      expander = adw_expander_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                     title_key ? json_object_get_string_member (object, title_key)
                                               : "—");

      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &key, &member))
        {
          if (title_key != NULL && g_str_equal (key, title_key))
            continue;
          if (sp_json_node_is_scalar (member))
            {
              g_autofree char *text = sp_json_member_dup_display (key, member);
              g_autofree char *label = sp_json_key_dup_label (key);

              if (subtitle->len > 0)
                g_string_append (subtitle, " · ");
              g_string_append_printf (subtitle, "%s: %s", label, text);
            }
          else if (JSON_NODE_HOLDS_ARRAY (member))
            {
              JsonArray *children = json_node_get_array (member);
              guint n_children = json_array_get_length (children);
              g_autofree char *label = sp_json_key_dup_label (key);

              if (subtitle->len > 0)
                g_string_append (subtitle, " · ");
              g_string_append_printf (subtitle, "%s: %u", label, n_children);
              guint shown = 0;

              for (guint c = 0; c < n_children && c < MAX_EXPANDER_ROWS
                                && self->nested_rows_left > 0; c++, shown++)
                {
                  JsonNode *child = json_array_get_element (children, c);
                  g_autofree char *text = NULL;
                  g_autoptr(GString) detail = g_string_new (NULL);

                  if (JSON_NODE_HOLDS_OBJECT (child))
                    {
                      JsonObject *child_object = json_node_get_object (child);
                      const char *child_title = item_title_key (child_object);
                      JsonObjectIter child_iter;
                      const char *child_key;
                      JsonNode *child_member;

                      text = child_title
                        ? g_strdup (json_object_get_string_member (child_object, child_title))
                        : NULL;
                      json_object_iter_init_ordered (&child_iter, child_object);
                      while (json_object_iter_next_ordered (&child_iter, &child_key, &child_member))
                        {
                          g_autofree char *value = NULL;
                          g_autofree char *label = NULL;

                          if ((child_title && g_str_equal (child_key, child_title))
                              || !sp_json_node_is_scalar (child_member))
                            continue;
                          value = sp_json_member_dup_display (child_key, child_member);
                          label = sp_json_key_dup_label (child_key);
                          if (detail->len > 0)
                            g_string_append (detail, " · ");
                          g_string_append_printf (detail, "%s: %s", label, value);
                        }
                      if (text == NULL)
                        text = g_string_free (g_steal_pointer (&detail), FALSE);
                    }
                  else
                    text = sp_json_node_dup_display (child);
                  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                            plain_row_new (text,
                                                           detail && detail->len ? detail->str
                                                                                 : NULL));
                  self->nested_rows_left--;
                }
              if (n_children > shown)
                {
                  g_autofree char *more = g_strdup_printf (_("… and %u more"),
                                                           n_children - shown);

                  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                            plain_row_new (more, NULL));
                }
            }
        }
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle->str);
      gtk_list_box_append (GTK_LIST_BOX (list), expander);
    }
  if (n > MAX_EXPANDERS)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), n - MAX_EXPANDERS);

      gtk_list_box_append (GTK_LIST_BOX (list), plain_row_new (more, NULL));
    }
  gtk_box_append (GTK_BOX (self->content_box), list);
}

static void
add_array (SpHeadersPage *self,
           const char    *key,
           JsonArray     *array,
           guint          depth)
{
  g_autofree char *title = sp_json_key_dup_label (key);
  guint n = json_array_get_length (array);

  if (n == 0)
    return;

  if (array_is_scalar (array))
    {
      GtkWidget *list = boxed_list_new ();
      gboolean warnings = g_str_equal (key, "warnings");

      gtk_box_append (GTK_BOX (self->content_box), heading_new (title, depth + 1));
      for (guint i = 0; i < n && i < MAX_TABLE_ROWS; i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *text = sp_json_member_dup_display (key, item);
          GtkWidget *row = plain_row_new (text, NULL);

          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
          if (warnings)
            {
              GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

              gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"),
                                              -1);
              gtk_widget_add_css_class (icon, "warning");
              adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
            }
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      gtk_box_append (GTK_BOX (self->content_box), list);
      return;
    }

  if (array_items_have_lists (array))
    {
      add_expanders (self, title, array);
      return;
    }

  {
    g_autofree char *heading = g_strdup_printf ("%s (%u)", title, n);
    GtkWidget *frame = gtk_frame_new (NULL);
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                    GTK_POLICY_NEVER);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                   sp_json_table_new (array, MAX_TABLE_ROWS));
    gtk_frame_set_child (GTK_FRAME (frame), scroller);
    gtk_box_append (GTK_BOX (self->content_box), heading_new (heading, depth + 1));
    gtk_box_append (GTK_BOX (self->content_box), frame);
  }
}

static void
add_object (SpHeadersPage *self,
            const char    *title,
            JsonObject    *object,
            guint          depth)
{
  GtkWidget *list = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (depth > MAX_DEPTH)
    return;

  /* Warnings first: they explain what is odd about everything below. */
  if (json_object_has_member (object, "warnings")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "warnings")))
    add_array (self, "warnings", json_object_get_array_member (object, "warnings"), depth);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;

      if (!sp_json_node_is_scalar (node))
        continue;
      if (list == NULL)
        {
          gtk_box_append (GTK_BOX (self->content_box), heading_new (title, depth));
          list = boxed_list_new ();
          gtk_box_append (GTK_BOX (self->content_box), list);
        }
      text = sp_json_member_dup_display (key, node);
      label = sp_json_key_dup_label (key);
      gtk_list_box_append (GTK_LIST_BOX (list), sp_info_row_new (label, text, FALSE, NULL));
    }

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *label = sp_json_key_dup_label (key);

          add_object (self, label, json_node_get_object (node), depth + 1);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) && !g_str_equal (key, "warnings"))
        add_array (self, key, json_node_get_array (node), depth);
    }
}

static void
sp_headers_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_HEADERS_PAGE);
  sp_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (sp_headers_page_parent_class)->dispose (object);
}

static void
sp_headers_page_class_init (SpHeadersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_headers_page_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/specimen/Specimen/ui/sp-headers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpHeadersPage, content_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_headers_page_init (SpHeadersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_headers_page_new (void)
{
  return g_object_new (SP_TYPE_HEADERS_PAGE, NULL);
}

gboolean
sp_headers_page_set_report (SpHeadersPage *self,
                            SpReport      *report)
{
  static const struct { const char *name; const char *title; } formats[] = {
    { "pe", N_("PE Header") },
    { "elf", N_("ELF Header") },
    { "bmp", N_("BMP Header") },
  };

  g_return_val_if_fail (SP_IS_HEADERS_PAGE (self), FALSE);
  g_return_val_if_fail (SP_IS_REPORT (report), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      JsonObject *section = sp_report_get_section (report, formats[i].name);

      if (section == NULL)
        continue;
      self->format = formats[i].name;
      self->nested_rows_left = MAX_NESTED_ROWS;
      add_object (self, _(formats[i].title), section, 0);
      return TRUE;
    }
  return FALSE;
}

const char *
sp_headers_page_get_format (SpHeadersPage *self)
{
  g_return_val_if_fail (SP_IS_HEADERS_PAGE (self), NULL);
  return self->format;
}
