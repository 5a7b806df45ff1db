/* What the daemon does before the appliance stops: unmount the guest
 * filesystems (innermost first) and flush everything. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* Mount points at or under the sysroot, from /proc/self/mountinfo.
 * Field 5 is the mount point, with spaces and the like octal-escaped;
 * the escapes are kept, since umount takes the same path unescaped
 * only for ordinary names and those are the only ones we create. */
static int
list_sysroot_mounts (struct stringsbuf *sb)
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  if (f == NULL) {
    reply_with_perror ("/proc/self/mountinfo");
    return -1;
  }
  char *line = NULL;
  size_t n = 0;
  while (getline (&line, &n, f) > 0) {
    char mp[4096];
    if (sscanf (line, "%*s %*s %*s %*s %4095s", mp) != 1)
      continue;
    if (strncmp (mp, sysroot, sysroot_len) == 0 &&
        (mp[sysroot_len] == '\0' || mp[sysroot_len] == '/') &&
        add_string (sb, mp) == -1) {
      free (line);
      fclose (f);
      return -1;
    }
  }
  free (line);
  fclose (f);
  return 0;
}

static int
compare_longest_first (const void *a, const void *b)
{
  size_t la = strlen (*(char *const *) a), lb = strlen (*(char *const *) b);
  return la < lb ? 1 : la > lb ? -1 : 0;
}

int
umount_all_under_sysroot (void)
{
  struct stringsbuf sb = { 0 };
  if (list_sysroot_mounts (&sb) == -1)
    return -1;
  qsort (sb.argv, sb.size, sizeof (char *), compare_longest_first);
  for (size_t i = 0; i < sb.size; ++i)
    if (umount (sb.argv[i]) == -1) {
      reply_with_perror ("umount %s", sb.argv[i]);
      free_stringsbuf (&sb);
      return -1;
    }
  free_stringsbuf (&sb);
  return 0;
}

int
do_internal_autosync (void)
{
  /* On the host (tests) or with -r, filesystems are not ours to
   * unmount. */
  if (!host_mode && sysroot_len > 0 && umount_all_under_sysroot () == -1)
    return -1;
  sync ();
  return 0;
}
