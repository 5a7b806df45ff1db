/* Changing a file's attributes: fuse_setattr (by name), fuse_fsetattr
 * (by handle) and fuse_pwrite_setattr (a write and the attribute
 * changes that go with it, such as the times, in one call).  Each
 * changes what its optional arguments name, in the order size, owner,
 * mode, times, and answers with the file's new entry (entry.c).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "daemon-actions.h"
#include "entry.h"
#include "handles.h"

struct attr_change {
  bool size_set, owner_set, mode_set, times_set;
  int64_t size;
  uid_t uid;
  gid_t gid;
  mode_t mode;
  struct timespec ts[2];
};

static bool
nsec_ok (int64_t nsec)
{
  return (nsec >= 0 && nsec < 1000000000) || nsec == UTIME_NOW ||
         nsec == UTIME_OMIT;
}

/* Decode the optional arguments (optargs_bitmask says which are set).
 * Bits: 0 size, 1 uid, 2 gid, 3 mode, 4-5 atime, 6-7 mtime. */
static int
decode_change (struct attr_change *c, int64_t size, int64_t uid, int64_t gid,
               int mode, int64_t asec, int64_t ansec, int64_t msec,
               int64_t mnsec)
{
  uint64_t m = optargs_bitmask;
  memset (c, 0, sizeof *c);
  c->size_set = m & 1;
  c->size = size;
  c->owner_set = m & 6;
  c->uid = (m & 2) ? (uid_t) uid : (uid_t) -1;
  c->gid = (m & 4) ? (gid_t) gid : (gid_t) -1;
  c->mode_set = m & 8;
  c->mode = mode & 07777;
  c->times_set = m & 0xf0;
  c->ts[0].tv_sec = (m & 0x10) ? asec : 0;
  c->ts[0].tv_nsec = (m & 0x30) ? ((m & 0x20) ? ansec : 0) : UTIME_OMIT;
  c->ts[1].tv_sec = (m & 0x40) ? msec : 0;
  c->ts[1].tv_nsec = (m & 0xc0) ? ((m & 0x80) ? mnsec : 0) : UTIME_OMIT;
  if ((c->size_set && size < 0) ||
      (c->owner_set && ((m & 2 && (uid < -1 || uid > UINT32_MAX - 1)) ||
                        (m & 4 && (gid < -1 || gid > UINT32_MAX - 1)))) ||
      !nsec_ok (c->ts[0].tv_nsec) || !nsec_ok (c->ts[1].tv_nsec)) {
    reply_with_error_errno (EINVAL, "an attribute is out of range");
    return -1;
  }
  return 0;
}

static int
change_fd (int fd, const struct attr_change *c)
{
  if (c->size_set && ftruncate (fd, c->size) == -1)
    return -1;
  if (c->owner_set && fchown (fd, c->uid, c->gid) == -1)
    return -1;
  if (c->mode_set && fchmod (fd, c->mode) == -1)
    return -1;
  if (c->times_set && futimens (fd, c->ts) == -1)
    return -1;
  return 0;
}

static int
truncate_path (const char *path, int64_t size)
{
  int fd = sysroot_open (path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd == -1)
    return -1;
  int r = ftruncate (fd, size);
  int saved = errno;
  close (fd);
  errno = saved;
  return r;
}

/* The root directory, through its descriptor. */
static int
change_root (int fd, const struct attr_change *c)
{
  char *p = sysroot_fd_path (fd);
  if (p == NULL)
    return -1;
  int r = 0;
  if (c->size_set) {
    errno = EISDIR;
    r = -1;
  }
  if (r == 0 && c->owner_set)
    r = fchownat (fd, "", c->uid, c->gid, AT_EMPTY_PATH);
  if (r == 0 && c->mode_set)
    r = chmod (p, c->mode);
  if (r == 0 && c->times_set)
    r = utimensat (AT_FDCWD, p, c->ts, 0);
  int saved = errno;
  free (p);
  errno = saved;
  return r;
}

static int
change_name (const char *path, const struct sysroot_name *t,
               const struct attr_change *c)
{
  if (t->fd >= 0)
    return change_root (t->fd, c);
  if (c->size_set && truncate_path (path, c->size) == -1)
    return -1;
  if (c->owner_set &&
      fchownat (t->dirfd, t->base, c->uid, c->gid, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  if (c->mode_set) {
    /* fchmodat cannot refuse to follow a link: check first. */
    struct stat st;
    if (fstatat (t->dirfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == -1)
      return -1;
    if (S_ISLNK (st.st_mode)) {
      errno = EOPNOTSUPP;
      return -1;
    }
    if (fchmodat (t->dirfd, t->base, c->mode, 0) == -1)
      return -1;
  }
  if (c->times_set &&
      utimensat (t->dirfd, t->base, c->ts, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  return 0;
}

guestfs_int_fuse_entry *
do_fuse_setattr (const char *path, int64_t size, int64_t uid, int64_t gid,
                 int mode, int64_t atime_sec, int64_t atime_nsec,
                 int64_t mtime_sec, int64_t mtime_nsec)
{
  struct attr_change c;
  if (decode_change (&c, size, uid, gid, mode, atime_sec, atime_nsec,
                     mtime_sec, mtime_nsec) == -1)
    return NULL;
  struct sysroot_name t;
  if (sysroot_open_name (path, &t) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = NULL;
  if (change_name (path, &t, &c) == -1)
    reply_with_perror ("%s", path);
  else
    e = entry_of_name (path, &t);
  sysroot_close_name (&t);
  return e;
}

/* Change the file open as handle, and describe it. */
static guestfs_int_fuse_entry *
change_handle (int64_t handle, const struct attr_change *c)
{
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  if (change_fd (fd, c) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return NULL;
  }
  return entry_of_fd (fd);
}

guestfs_int_fuse_entry *
do_fuse_fsetattr (int64_t handle, int64_t size, int64_t uid, int64_t gid,
                  int mode, int64_t atime_sec, int64_t atime_nsec,
                  int64_t mtime_sec, int64_t mtime_nsec)
{
  struct attr_change c;
  if (decode_change (&c, size, uid, gid, mode, atime_sec, atime_nsec,
                     mtime_sec, mtime_nsec) == -1)
    return NULL;
  return change_handle (handle, &c);
}

guestfs_int_fuse_entry *
do_fuse_pwrite_setattr (int64_t handle, const char *content,
                        size_t content_size, int64_t offset, int64_t size,
                        int64_t uid, int64_t gid, int mode, int64_t atime_sec,
                        int64_t atime_nsec, int64_t mtime_sec,
                        int64_t mtime_nsec)
{
  struct attr_change c;
  if (decode_change (&c, size, uid, gid, mode, atime_sec, atime_nsec,
                     mtime_sec, mtime_nsec) == -1)
    return NULL;
  if (do_fuse_pwrite (handle, content, content_size, offset) == -1)
    return NULL;
  return change_handle (handle, &c);
}
