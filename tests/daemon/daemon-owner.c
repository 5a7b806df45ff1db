/* The owner the fuse_* creating actions give a new file: the uid and
 * gid asked for, the group of a set-group-ID directory, set-user-ID
 * and set-group-ID bits kept; without them, the daemon's. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static struct test_daemon td;

/* The host's view of a guest path: owner and mode. */
static bool
owned (const char *path, uid_t uid, gid_t gid, mode_t mode)
{
  char *p = test_root_path (&td, path);
  struct stat st;
  bool ok = lstat (p, &st) == 0 && st.st_uid == uid && st.st_gid == gid &&
            (mode == 0 || (st.st_mode & 07777) == mode);
  if (!ok)
    fprintf (stderr, "%s: %u:%u %o, expected %u:%u %o\n", path,
             (unsigned) st.st_uid, (unsigned) st.st_gid,
             (unsigned) (st.st_mode & 07777), (unsigned) uid,
             (unsigned) gid, (unsigned) mode);
  free (p);
  return ok;
}

#define FREE_ENTRY(call) guestfs_free_fuse_entry (call)

int
main (void)
{
  if (geteuid () != 0)
    skip ("only root can give files to other users");
  guestfs_h *g = test_daemon_start (&td);
  FREE_ENTRY (guestfs_fuse_mkdir_opts (g, "/d", 0755,
                                       GUESTFS_FUSE_MKDIR_OPTS_UID, 4000,
                                       GUESTFS_FUSE_MKDIR_OPTS_GID, 4001,
                                       -1));
  CHECK (owned ("/d", 4000, 4001, 0755));
  FREE_ENTRY (guestfs_fuse_mknod_opts (g, "/p", S_IFIFO | 0640, 0,
                                       GUESTFS_FUSE_MKNOD_OPTS_UID, 4000,
                                       GUESTFS_FUSE_MKNOD_OPTS_GID, 4001,
                                       -1));
  CHECK (owned ("/p", 4000, 4001, 0640));
  FREE_ENTRY (guestfs_fuse_symlink_opts (g, "x", "/l",
                                         GUESTFS_FUSE_SYMLINK_OPTS_UID, 4000,
                                         GUESTFS_FUSE_SYMLINK_OPTS_GID, 4001,
                                         -1));
  CHECK (owned ("/l", 4000, 4001, 0));
  /* A set-user-ID file keeps its bit through the change of owner. */
  struct guestfs_fuse_entry *e = guestfs_fuse_open_opts (
    g, "/f", O_RDWR | O_CREAT, 04755, 0, "", 0,
    GUESTFS_FUSE_OPEN_OPTS_UID, 4000, GUESTFS_FUSE_OPEN_OPTS_GID, 4001, -1);
  CHECK (e != NULL);
  CHECK (owned ("/f", 4000, 4001, 04755));
  /* Opening it again, even with O_CREAT, changes no owner. */
  struct guestfs_fuse_entry *again = guestfs_fuse_open_opts (
    g, "/f", O_RDWR | O_CREAT, 0600, 0, "", 0,
    GUESTFS_FUSE_OPEN_OPTS_UID, 4002, GUESTFS_FUSE_OPEN_OPTS_GID, 4002, -1);
  CHECK (again != NULL);
  CHECK (owned ("/f", 4000, 4001, 04755));
  /* In a set-group-ID directory the group is the directory's. */
  char *sgid = test_root_path (&td, "/sgid");
  CHECK (mkdir (sgid, 0777) == 0 && chown (sgid, 0, 4242) == 0 &&
         chmod (sgid, 02777) == 0);
  free (sgid);
  FREE_ENTRY (guestfs_fuse_mkdir_opts (g, "/sgid/d", 0755,
                                       GUESTFS_FUSE_MKDIR_OPTS_UID, 4000,
                                       GUESTFS_FUSE_MKDIR_OPTS_GID, 4001,
                                       -1));
  CHECK (owned ("/sgid/d", 4000, 4242, 02755));
  /* Without an owner: the daemon's. */
  FREE_ENTRY (guestfs_fuse_mkdir (g, "/mine", 0700));
  CHECK (owned ("/mine", 0, 0, 0700));
  guestfs_free_fuse_entry (e);
  guestfs_free_fuse_entry (again);
  test_daemon_stop (&td, g);
  return test_result ();
}
