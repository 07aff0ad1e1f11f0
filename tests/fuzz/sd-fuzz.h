/* sd-fuzz.h — what every fuzz target shares: a critical from our code is
 * a crash.
 *
 * A GLib critical raised on a call from code built here means that code
 * broke a precondition (a NULL where a node must be): libFuzzer should
 * keep the input, so the target aborts. (GLib's own fatal-criticals traps
 * instead, which libFuzzer does not catch.) A critical raised on a call
 * from a system library to itself or another one (gdk-pixbuf's GIF loader
 * on a broken file unrefs a NULL animation) is that library's affair, as
 * its memory errors are: let through. The blame goes by the caller of the
 * function that raised it, so our bad argument to a gdk-pixbuf function
 * that fails one level down (gdk_pixbuf_new → calculate_rowstride) passes
 * too; that is the price. Warnings (the loaders' chatter) only slow the
 * run and are dropped. */
#pragma once

#include <dlfcn.h>
#include <execinfo.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);

/* TRUE when the function that raised the critical being logged was
 * called from a system library rather than from this executable. */
static gboolean
sd_fuzz_raised_in_system (void)
{
  void *frames[48];
  int n = backtrace (frames, G_N_ELEMENTS (frames));
  Dl_info self, info;
  int i = 0;

  if (!dladdr ((void *) sd_fuzz_raised_in_system, &self))
    return FALSE;
  /* This handler, then GLib's logging (and a critical GLib raised). */
  while (i < n && dladdr (frames[i], &info) && g_strcmp0 (info.dli_fname, self.dli_fname) == 0)
    i++;
  while (i < n && dladdr (frames[i], &info) && strstr (info.dli_fname, "libglib-2.0") != NULL)
    i++;
  /* frames[i] raised it; frames[i + 1] called it. */
  if (i + 1 >= n || !dladdr (frames[i + 1], &info))
    return FALSE;
  return g_strcmp0 (info.dli_fname, self.dli_fname) != 0;
}

static void
sd_fuzz_log (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)))
    return;
  if (!(level & G_LOG_LEVEL_ERROR) && sd_fuzz_raised_in_system ())
    return;
  fprintf (stderr, "%s-CRITICAL: %s\n", domain ? domain : "", message);
  abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_default_handler (sd_fuzz_log, NULL);
  return 0;
}
