/* guestfs-make-appliance: build the appliance from a supermin appliance
 * into a directory, once, without the per-user cache.  Used by
 * make-fixed-appliance; the library itself calls appliance_locate. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance.h"

static void
log_line (void *opaque, const char *msg)
{
  (void) opaque;
  fprintf (stderr, "%s\n", msg);
}

int
main (int argc, char *argv[])
{
  int verbose = 0;
  char err[4096];

  if (argc > 1 && strcmp (argv[1], "-v") == 0) {
    verbose = 1;
    argc--;
    argv++;
  }
  if (argc != 3) {
    fprintf (stderr, "usage: guestfs-make-appliance [-v] SUPERMIN_D OUTDIR\n"
             "OUTDIR must not exist; it receives kernel, initrd and root.\n");
    return 2;
  }
  if (appliance_build (argv[1], argv[2], verbose, log_line, NULL,
                       err, sizeof err) == -1) {
    fprintf (stderr, "guestfs-make-appliance: %s\n", err);
    return 1;
  }
  return 0;
}
