/* Creating, removing, renaming and changing files. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static int
mkdir_at (int dirfd, const char *base, void *opaque)
{
  return mkdirat (dirfd, base, *(mode_t *) opaque);
}

int
do_mkdir (const char *path)
{
  mode_t mode = 0777;
  return at_parent (path, mkdir_at, &mode);
}

int
do_mkdir_mode (const char *path, int mode)
{
  if (mode < 0 || mode > 07777) {
    reply_with_error_errno (EINVAL, "mode: %#o is not a file mode", mode);
    return -1;
  }
  mode_t m = mode;
  return at_parent (path, mkdir_at, &m);
}

int
do_mkdir_p (const char *path)
{
  char *copy = strdup (path);
  if (copy == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  /* Create each prefix in turn; an existing one must be a directory
   * (a symbolic link to one is followed, as mkdir -p does). */
  for (char *p = copy + 1;; ++p) {
    if (*p != '/' && *p != '\0')
      continue;
    char saved = *p;
    *p = '\0';
    char *base;
    int dirfd = sysroot_open_parent (copy, &base);
    if (dirfd != -1) {
      int r = mkdirat (dirfd, base, 0777);
      int err = errno;
      close (dirfd);
      free (base);
      if (r == -1 && err != EEXIST) {
        reply_with_perror_errno (err, "%s", copy);
        free (copy);
        return -1;
      }
    }
    else if (errno != EINVAL && errno != EBUSY) {
      reply_with_perror ("%s", copy);
      free (copy);
      return -1;
    }
    int fd = sysroot_open (copy, O_PATH | O_DIRECTORY, 0);
    if (fd == -1) {
      reply_with_perror ("%s", copy);
      free (copy);
      return -1;
    }
    close (fd);
    *p = saved;
    if (saved == '\0')
      break;
  }
  free (copy);
  return 0;
}

int
do_touch (const char *path)
{
  int fd = sysroot_open (path, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK,
                         0666);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  struct stat st;
  if (fstat (fd, &st) == -1 || !S_ISREG (st.st_mode)) {
    close (fd);
    reply_with_error_errno (EINVAL, "%s: not a regular file", path);
    return -1;
  }
  if (futimens (fd, NULL) == -1) {
    reply_with_perror ("%s", path);
    close (fd);
    return -1;
  }
  close (fd);
  return 0;
}

/* ---- fill_dir, fallocate64 ---- */

int
do_fill_dir (const char *dir, int nr)
{
  if (nr < 0) {
    reply_with_error_errno (EINVAL, "nr: %d is negative", nr);
    return -1;
  }
  int dirfd = sysroot_open (dir, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", dir);
    return -1;
  }
  for (int i = 0; i < nr; ++i) {
    char name[16];
    snprintf (name, sizeof name, "%08d", i);
    int fd = openat (dirfd, name,
                     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NOCTTY |
                         O_CLOEXEC,
                     0666);
    if (fd == -1 || close (fd) == -1) {
      reply_with_perror ("%s/%s", dir, name);
      close (dirfd);
      return -1;
    }
    notify_progress (i + 1, nr);
  }
  close (dirfd);
  return 0;
}

int
do_fallocate64 (const char *path, int64_t len)
{
  if (len <= 0) {
    reply_with_error_errno (EINVAL, "len: %" PRIi64 " is not positive", len);
    return -1;
  }
  int fd = sysroot_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY |
                                   O_NONBLOCK,
                         0666);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  int err = posix_fallocate (fd, 0, len);
  if (err == 0 && close (fd) == -1)
    err = errno;
  else if (err != 0)
    close (fd);
  if (err != 0) {
    reply_with_perror_errno (err, "%s", path);
    return -1;
  }
  return 0;
}

static int
unlink_at (int dirfd, const char *base, void *opaque)
{
  return unlinkat (dirfd, base, *(int *) opaque);
}

int
do_rm (const char *path)
{
  int flags = 0;
  return at_parent (path, unlink_at, &flags);
}

int
do_rm_f (const char *path)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    if (errno == ENOENT)
      return 0;
    reply_with_perror ("%s", path);
    return -1;
  }
  int r = unlinkat (dirfd, base, 0);
  int err = errno;
  close (dirfd);
  free (base);
  if (r == -1 && err != ENOENT) {
    reply_with_perror_errno (err, "%s", path);
    return -1;
  }
  return 0;
}

int
do_rmdir (const char *path)
{
  int flags = AT_REMOVEDIR;
  return at_parent (path, unlink_at, &flags);
}

/* Remove name in dirfd and everything under it, never following a
 * symbolic link. */
static int
remove_tree (int parent, const char *name, void *opaque)
{
  struct stat st;
  if (fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR (st.st_mode))
    return unlinkat (parent, name, 0);
  int fd = openat (parent, name,
                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1 || for_each_entry (fd, remove_tree, opaque) == -1)
    return -1;
  return unlinkat (parent, name, AT_REMOVEDIR);
}

int
do_rm_rf (const char *path)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    if (errno == ENOENT)
      return 0;
    reply_with_perror ("%s", path);
    return -1;
  }
  close (dirfd);
  free (base);
  return at_parent (path, remove_tree, NULL);
}

int
do_umask (int mask)
{
  if (mask < 0 || mask > 0777) {
    reply_with_error_errno (EINVAL, "mask: %#o is not a umask", mask);
    return -1;
  }
  return umask (mask);
}

static int
symlink_at (int dirfd, const char *base, void *opaque)
{
  return symlinkat ((const char *) opaque, dirfd, base);
}

int
do_ln_s (const char *target, const char *linkname)
{
  return at_parent (linkname, symlink_at, (void *) target);
}

static int
rename_at (int olddir, const char *oldbase, int newdir, const char *newbase,
           void *opaque)
{
  (void) opaque;
  return renameat (olddir, oldbase, newdir, newbase);
}

int
do_rename (const char *oldpath, const char *newpath)
{
  return at_parents (oldpath, newpath, rename_at, NULL);
}

/* chmod(2) on a descriptor opened with O_PATH needs the /proc path:
 * the path was resolved inside the sysroot, the magic link cannot
 * escape it. */
int
do_chmod (int mode, const char *path)
{
  if (mode < 0 || mode > 07777) {
    reply_with_error_errno (EINVAL, "mode: %#o is not a file mode", mode);
    return -1;
  }
  int fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  char *p = sysroot_fd_path (fd);
  int r = p ? chmod (p, mode) : -1;
  int err = errno;
  free (p);
  close (fd);
  if (r == -1) {
    reply_with_perror_errno (err, "%s", path);
    return -1;
  }
  return 0;
}

int
do_sync (void)
{
  sync ();
  return 0;
}

int
do_ping_daemon (void)
{
  return 0;
}
