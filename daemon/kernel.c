/* The appliance kernel's state: its caches, and the filesystem types it
 * can mount.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

int
do_drop_caches (int whattodrop)
{
  if (whattodrop < 1 || whattodrop > 3) {
    reply_with_error_errno (EINVAL, "whattodrop: %d: must be 1, 2 or 3",
                            whattodrop);
    return -1;
  }
  if (host_mode) {
    reply_with_error_errno (EPERM, "the host's caches are not the "
                                   "appliance's");
    return -1;
  }
  sync ();
  CLEANUP_CLOSE int fd = open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  char c = (char)('0' + whattodrop);
  if (fd == -1 || write (fd, &c, 1) != 1) {
    reply_with_perror ("/proc/sys/vm/drop_caches");
    return -1;
  }
  return 0;
}

/* Is fstype a line of /proc/filesystems ("nodev\tproc", "\text4")? */
static int
kernel_knows (const char *fstype)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/filesystems", "r");
  if (fp == NULL) {
    reply_with_perror ("/proc/filesystems");
    return -1;
  }
  char line[256];
  while (fgets (line, sizeof line, fp)) {
    line[strcspn (line, "\n")] = '\0';
    const char *tab = strchr (line, '\t');
    if (tab && strcmp (tab + 1, fstype) == 0)
      return 1;
  }
  return 0;
}

int
do_filesystem_available (const char *filesystem)
{
  if (*filesystem == '\0' || filesystem[0] == '-' ||
      strpbrk (filesystem, "/ \t\n")) {
    reply_with_error_errno (EINVAL, "filesystem: \"%s\": not a filesystem type",
                            filesystem);
    return -1;
  }
  int r = kernel_knows (filesystem);
  if (r != 0 || host_mode)
    return r;
  /* Not loaded yet: the module is named after the type (fs-TYPE is the
   * alias every filesystem module declares). */
  char alias[128];
  snprintf (alias, sizeof alias, "fs-%s", filesystem);
  const char *argv[] = {"modprobe", "-q", "--", alias, NULL};
  if (run_capture (argv, NULL, NULL) != 0)
    return 0;
  return kernel_knows (filesystem);
}
