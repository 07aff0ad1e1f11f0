/* storedesk — the desktop app of a small online shop. */
#include "config.h"

#include "sd-application.h"
#include "storedesk.h"

int
main (int argc, char **argv)
{
  g_autoptr(SdApplication) app = NULL;

  sd_i18n_init ();
  app = sd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
