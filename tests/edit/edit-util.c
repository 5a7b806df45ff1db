#include <stdlib.h>
#include <string.h>

#include "edit-util.h"

void
free_list (char **list)
{
  for (size_t i = 0; list && list[i]; ++i)
    free (list[i]);
  free (list);
}

size_t
list_len (char *const *list)
{
  size_t n = 0;
  while (list && list[n])
    ++n;
  return n;
}

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
