/* sp-application.c: the single-instance application
 *
 * Files given on the command line of a second instance arrive here through
 * GApplication's "open" and are opened in the running window.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-application"

#include <glib/gi18n.h>

#include "sp-application.h"
#include "sp-gui-util.h"
#include "sp-preferences-window.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SpApplication, sp_application, ADW_TYPE_APPLICATION)

static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "win.open", { "<Control>o", NULL } },
  { "win.close-tab", { "<Control>w", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.previous-tab", { "<Control>Page_Up", NULL } },
  { "win.next-tab", { "<Control>Page_Down", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.quit", { "<Control>q", NULL } },
};

static SpWindow *
get_window (SpApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SP_IS_WINDOW (window))
    return SP_WINDOW (window);
  return sp_window_new (GTK_APPLICATION (self));
}

static void
apply_color_scheme (SpApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (scheme, "light"))
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (scheme, "dark"))
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing (rather than quitting outright) lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Specimen contributors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Specimen"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Specimen contributors"),
                        "developers", developers,
                        "comments", _("A first look at a suspicious file: hashes, type, entropy, "
                                      "strings, indicators and headers, without ever running it."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SpApplication *self = SP_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sp_preferences_window_new (parent, self->settings)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
};

static void
sp_application_startup (GApplication *application)
{
  SpApplication *self = SP_APPLICATION (application);

  sp_gui_register_resources ();
  G_APPLICATION_CLASS (sp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_swapped (self->settings, "changed::color-scheme",
                            G_CALLBACK (apply_color_scheme), self);
  apply_color_scheme (self);
}

static void
sp_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (get_window (SP_APPLICATION (application))));
}

static void
sp_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SpWindow *window = get_window (SP_APPLICATION (application));

  sp_window_open_files (window, files, (guint) MAX (n_files, 0));
  gtk_window_present (GTK_WINDOW (window));
}

static void
sp_application_dispose (GObject *object)
{
  SpApplication *self = SP_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (sp_application_parent_class)->dispose (object);
}

static void
sp_application_class_init (SpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sp_application_dispose;
  app_class->startup = sp_application_startup;
  app_class->activate = sp_application_activate;
  app_class->open = sp_application_open;
}

static void
sp_application_init (SpApplication *self)
{
}

SpApplication *
sp_application_new (void)
{
  return g_object_new (SP_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/specimen/Specimen",
                       NULL);
}

GSettings *
sp_application_get_settings (SpApplication *self)
{
  g_return_val_if_fail (SP_IS_APPLICATION (self), NULL);
  return self->settings;
}
