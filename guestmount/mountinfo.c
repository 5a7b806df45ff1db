/* What is mounted where, from /proc/self/mountinfo. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"

/* mountinfo writes space, tab, newline and backslash as \ooo. */
static void
unescape (char *s)
{
  char *o = s;
  for (const char *i = s; *i; ++o)
    if (i[0] == '\\' && i[1] >= '0' && i[1] <= '3' && i[2] && i[3]) {
      *o = (char) ((i[1] - '0') * 64 + (i[2] - '0') * 8 + (i[3] - '0'));
      i += 4;
    } else
      *o = *i++;
  *o = '\0';
}

/* One line: id parent major:minor root mountpoint options [optional
 * fields] - fstype source superoptions.  Fills *e and mp. */
static bool
parse_line (const char *line, struct mount_entry *e, char mp[PATH_MAX + 1])
{
  if (sscanf (line, "%ld %*s %31s %*s %4096s", &e->id, e->dev, mp) != 3)
    return false;
  const char *sep = strstr (line, " - ");
  if (sep == NULL || sscanf (sep + 3, "%63s %4096s", e->fstype,
                             e->source) != 2)
    return false;
  unescape (mp);
  unescape (e->source);
  return true;
}

bool
mountinfo_at (const char *path, struct mount_entry *e)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  if (f == NULL)
    return false;
  char *line = NULL;
  size_t cap = 0;
  bool found = false;
  struct mount_entry cur;
  char mp[PATH_MAX + 1];
  /* Later lines are mounted on top of earlier ones: the last wins. */
  while (getline (&line, &cap, f) > 0)
    if (parse_line (line, &cur, mp) && strcmp (mp, path) == 0) {
      *e = cur;
      found = true;
    }
  free (line);
  fclose (f);
  return found;
}
