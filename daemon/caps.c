/* The linuxcaps group: file capabilities with libcap, on
 * /proc/self/fd/N of the path resolved inside the sysroot (see acl.c). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

char *
do_cap_get_file (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  CLEANUP_FREE char *p = fd == -1 ? NULL : sysroot_fd_path (fd);
  if (p == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  cap_t cap = cap_get_file (p);
  if (cap == NULL) {
    if (errno == ENODATA) /* no capabilities */
      return strdup ("");
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *text = cap_to_text (cap, NULL);
  cap_free (cap);
  char *r = text ? strdup (text) : NULL;
  if (r == NULL)
    reply_with_perror ("cap_to_text");
  cap_free (text);
  return r;
}

int
do_cap_set_file (const char *path, const char *cap_text)
{
  cap_t cap = cap_from_text (cap_text);
  if (cap == NULL) {
    reply_with_error_errno (EINVAL, "%s: not a capability set", cap_text);
    return -1;
  }
  CLEANUP_CLOSE int fd =
      sysroot_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
  struct stat st;
  int r = -1;
  if (fd == -1 || fstat (fd, &st) == -1)
    reply_with_perror ("%s", path);
  else if (!S_ISREG (st.st_mode))
    reply_with_error_errno (EINVAL, "%s: not a regular file", path);
  else if ((r = cap_set_fd (fd, cap)) == -1)
    reply_with_perror ("%s", path);
  cap_free (cap);
  return r;
}
