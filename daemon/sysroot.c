/* Resolving guest paths inside the sysroot.
 *
 * Every Pathname is resolved with openat2(RESOLVE_IN_ROOT) against a
 * descriptor of the sysroot, so ".." stops at the guest's root and an
 * absolute symbolic link means the guest's "/", exactly as the guest's
 * own kernel would see it.  Operations then act on a descriptor or on
 * one name inside an opened parent directory, never on a host path, so
 * nothing in the guest can point the daemon outside the sysroot.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"

int
check_pathname (const char *argname, const char *path)
{
  if (path[0] != '/') {
    reply_with_error_errno (EINVAL,
                            "%s: \"%s\" is not an absolute path (it must "
                            "start with /)",
                            argname, path);
    return -1;
  }
  return 0;
}

/* The sysroot is opened per call: a filesystem mounted on it after an
 * earlier open would not be seen through the older descriptor. */
static int
open_root (void)
{
  return open (sysroot_len ? sysroot : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int
openat2_retry (int dirfd, const char *path, const struct open_how *how)
{
  int fd;
  do
    fd = syscall (SYS_openat2, dirfd, path, how, sizeof *how);
  while (fd == -1 && errno == EAGAIN);
  return fd;
}

/* The kernel takes paths shorter than PATH_MAX; a deeper tree (each
 * name at most NAME_MAX) is walked a piece at a time.  The length of
 * the first piece of path: up to its last slash within PIECE_MAX
 * bytes, or all of it. */
#define PIECE_MAX (PATH_MAX - NAME_MAX - 2)

static size_t
piece_length (const char *path)
{
  size_t len = strlen (path);
  if (len < PIECE_MAX)
    return len;
  size_t end = PIECE_MAX;
  while (end > 0 && path[end] != '/')
    --end;
  return end > 0 ? end : len; /* no slash: the kernel says ENAMETOOLONG */
}

/* Resolve the rest of a long path below dirfd (which it takes): each
 * piece beneath the directory the previous one reached, with no
 * symbolic link and no ".." out of it.  Those, which only the guest's
 * root can resolve, fail (ELOOP, EXDEV) in the depths of such a tree;
 * the names guestmount sends have neither. */
static int
open_pieces (int dirfd, const char *rest, const struct open_how *last)
{
  struct open_how dir = {
    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  struct open_how final = *last;
  final.resolve = dir.resolve;
  for (;;) {
    while (*rest == '/')
      ++rest;
    size_t n = piece_length (rest);
    if (rest[n] == '\0') {
      int fd = openat2_retry (dirfd, *rest ? rest : ".", &final);
      int saved = errno;
      close (dirfd);
      errno = saved;
      return fd;
    }
    char *piece = strndup (rest, n);
    int next = piece ? openat2_retry (dirfd, piece, &dir) : -1;
    int saved = errno;
    free (piece);
    close (dirfd);
    errno = saved;
    if (next == -1)
      return -1;
    dirfd = next;
    rest += n;
  }
}

static int
openat2_in_root (int root, const char *path, int flags, mode_t mode)
{
  struct open_how how = {
    .flags = flags | O_CLOEXEC,
    .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  while (*path == '/')
    ++path;
  if (*path == '\0')
    path = ".";
  size_t n = piece_length (path);
  if (path[n] == '\0')
    return openat2_retry (root, path, &how);
  /* A long path: its first piece from the guest's root, as always. */
  char *first = strndup (path, n);
  struct open_how dir = {
    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
    .resolve = how.resolve,
  };
  int dirfd = first ? openat2_retry (root, first, &dir) : -1;
  free (first);
  if (dirfd == -1)
    return -1;
  return open_pieces (dirfd, path + n, &how);
}

int
sysroot_open (const char *path, int flags, mode_t mode)
{
  int root = open_root ();
  if (root == -1)
    return -1;
  int fd = openat2_in_root (root, path, flags, mode);
  int saved = errno;
  close (root);
  errno = saved;
  return fd;
}

/* Split path into a directory part and a last component, ignoring
 * trailing slashes.  Returns the component (malloc'd) and sets *dirlen
 * to the length of the directory part in path. */
static char *
split_last (const char *path, size_t *dirlen)
{
  size_t len = strlen (path);
  while (len > 1 && path[len - 1] == '/')
    --len;
  size_t start = len;
  while (start > 0 && path[start - 1] != '/')
    --start;
  *dirlen = start;
  return strndup (path + start, len - start);
}

static bool
is_dot_or_dotdot (const char *name)
{
  return strcmp (name, ".") == 0 || strcmp (name, "..") == 0;
}

int
sysroot_open_parent (const char *path, char **base)
{
  size_t dirlen;
  char *last = split_last (path, &dirlen);
  if (last == NULL)
    return -1;
  if (last[0] == '\0' || strcmp (last, "/") == 0) {
    free (last);
    errno = EBUSY;
    return -1;
  }
  if (is_dot_or_dotdot (last)) {
    free (last);
    errno = EINVAL;
    return -1;
  }
  char *dir = strndup (path, dirlen);
  if (dir == NULL) {
    free (last);
    return -1;
  }
  int fd = sysroot_open (dir[0] ? dir : "/", O_PATH | O_DIRECTORY, 0);
  int saved = errno;
  free (dir);
  if (fd == -1) {
    free (last);
    errno = saved;
    return -1;
  }
  *base = last;
  return fd;
}

int
sysroot_open_name (const char *path, struct sysroot_name *n)
{
  n->base = NULL;
  n->fd = -1;
  n->dirfd = sysroot_open_parent (path, &n->base);
  if (n->dirfd >= 0)
    return 0;
  if (errno != EBUSY && errno != EINVAL)
    return -1;
  /* "/", "." or "..": a directory, never a symbolic link, so following
   * it is safe. */
  n->fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  return n->fd == -1 ? -1 : 0;
}

void
sysroot_close_name (struct sysroot_name *n)
{
  int saved = errno;
  if (n->dirfd >= 0)
    close (n->dirfd);
  if (n->fd >= 0)
    close (n->fd);
  free (n->base);
  errno = saved;
}

int
sysroot_lstat (const char *path, struct stat *st)
{
  struct sysroot_name n;
  if (sysroot_open_name (path, &n) == -1)
    return -1;
  int r = n.base ? fstatat (n.dirfd, n.base, st, AT_SYMLINK_NOFOLLOW)
                 : fstat (n.fd, st);
  sysroot_close_name (&n);
  return r;
}

char *
sysroot_fd_path (int fd)
{
  char *p;
  if (asprintf (&p, "/proc/self/fd/%d", fd) == -1)
    return NULL;
  return p;
}

static int
run_at_parent (const char *path, bool creating, at_fn fn, void *opaque)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    if (creating && (errno == EBUSY || errno == EINVAL))
      errno = EEXIST; /* "/", "." and ".." always exist */
    reply_with_perror ("%s", path);
    return -1;
  }
  int r = fn (dirfd, base, opaque);
  int saved = errno;
  close (dirfd);
  free (base);
  if (r == -1) {
    reply_with_perror_errno (saved, "%s", path);
    return -1;
  }
  return 0;
}

int
at_parent (const char *path, at_fn fn, void *opaque)
{
  return run_at_parent (path, false, fn, opaque);
}

int
at_new_name (const char *path, at_fn fn, void *opaque)
{
  return run_at_parent (path, true, fn, opaque);
}

/* An O_PATH descriptor works with the *at(fd, "", AT_EMPTY_PATH) calls
 * and, through /proc/self/fd/N, with the path-only ones (xattrs):
 * either way the call acts on the object already resolved inside the
 * sysroot, never on a path the guest could redirect. */
int
at_path_fd (const char *path, bool follow, fd_fn fn, void *opaque)
{
  int fd = sysroot_open (path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  int r = fn (fd, opaque);
  int saved = errno;
  close (fd);
  if (r == -1) {
    reply_with_perror_errno (saved, "%s", path);
    return -1;
  }
  return 0;
}

int
at_parents (const char *path1, const char *path2, at2_fn fn, void *opaque)
{
  char *base1, *base2;
  int dir1 = sysroot_open_parent (path1, &base1);
  if (dir1 == -1) {
    reply_with_perror ("%s", path1);
    return -1;
  }
  int dir2 = sysroot_open_parent (path2, &base2);
  if (dir2 == -1) {
    reply_with_perror ("%s", path2);
    close (dir1);
    free (base1);
    return -1;
  }
  int r = fn (dir1, base1, dir2, base2, opaque);
  int err = errno;
  close (dir1);
  close (dir2);
  free (base1);
  free (base2);
  if (r == -1) {
    reply_with_perror_errno (err, "%s to %s", path1, path2);
    return -1;
  }
  return 0;
}

bool
name_needs_full_resolution (const char *name)
{
  return name[0] == '\0' || strchr (name, '/') != NULL ||
         is_dot_or_dotdot (name);
}

int
sysroot_open_entry_parent (int dirfd, const char *dir, const char *name,
                           char **base)
{
  if (!name_needs_full_resolution (name)) {
    *base = strdup (name);
    if (*base == NULL)
      return -1;
    int fd = fcntl (dirfd, F_DUPFD_CLOEXEC, 0);
    if (fd == -1)
      free (*base);
    return fd;
  }
  char *full;
  if (asprintf (&full, "%s/%s", dir, name) == -1)
    return -1;
  int fd = sysroot_open_parent (full, base);
  int saved = errno;
  free (full);
  errno = saved;
  return fd;
}
