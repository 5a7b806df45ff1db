/* copy_attributes: the mode, owner and extended attributes of one
 * guest path given to another (both followed if symbolic links). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

enum { OPT_ALL, OPT_MODE, OPT_XATTRIBUTES, OPT_OWNERSHIP };

/* An optional flag: its value if given, else that of "all". */
static bool
wanted (int opt, int value, bool all)
{
  return OPTARG_SET (opt) ? value != 0 : all;
}

static int
apply_attributes (int sfd, int dfd, const struct stat *st, bool mode,
                  bool xattrs, bool ownership)
{
  if (xattrs && copy_xattrs (sfd, dfd) == -1)
    return -1;
  if (ownership &&
      fchownat (dfd, "", st->st_uid, st->st_gid, AT_EMPTY_PATH) == -1)
    return -1;
  /* After chown, which may clear the set-id bits. */
  if (mode) {
    char *p = sysroot_fd_path (dfd);
    int r = p ? chmod (p, st->st_mode & 07777) : -1;
    free (p);
    return r;
  }
  return 0;
}

int
do_copy_attributes (const char *src, const char *dest, int all, int mode,
                    int xattributes, int ownership)
{
  bool every = OPTARG_SET (OPT_ALL) && all;
  bool m = wanted (OPT_MODE, mode, every);
  bool x = wanted (OPT_XATTRIBUTES, xattributes, every);
  bool o = wanted (OPT_OWNERSHIP, ownership, every);
  int sfd = sysroot_open (src, O_PATH, 0);
  struct stat st;
  if (sfd == -1 || fstat (sfd, &st) == -1) {
    reply_with_perror ("%s", src);
    if (sfd != -1)
      close (sfd);
    return -1;
  }
  int dfd = sysroot_open (dest, O_PATH, 0);
  if (dfd == -1) {
    reply_with_perror ("%s", dest);
    close (sfd);
    return -1;
  }
  int r = apply_attributes (sfd, dfd, &st, m, x, o);
  if (r == -1)
    reply_with_perror ("%s", dest);
  close (sfd);
  close (dfd);
  return r;
}
