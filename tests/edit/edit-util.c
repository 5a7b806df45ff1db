#include <stdlib.h>
#include <string.h>

#include "edit-util.h"

bool
aug_get_is (guestfs_h *g, const char *augpath, const char *want)
{
  char *v = guestfs_aug_get (g, augpath);
  bool same = v && strcmp (v, want) == 0;
  if (!same)
    fprintf (stderr, "aug_get %s: %s, expected %s\n", augpath,
             v ? v : guestfs_last_error (g), want);
  free (v);
  return same;
}
