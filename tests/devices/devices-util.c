#include <config.h>

#include "devices-util.h"

void
section (const char *name)
{
  static double start;
  double t = now ();
  if (start)
    printf (" (%.1f s)\n", t - start);
  start = t;
  if (name) {
    printf ("%s", name);
    fflush (stdout);
  }
}
