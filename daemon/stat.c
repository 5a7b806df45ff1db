/* File status: single, batched, and the is_* tests. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static void
fill_statns (guestfs_int_statns *r, const struct stat *st)
{
  memset (r, 0, sizeof *r);
  COPY_STAT_FIELDS (r, st);
}

static guestfs_int_statns *
new_statns (const struct stat *st)
{
  guestfs_int_statns *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  fill_statns (r, st);
  return r;
}

/* stat(2) following symbolic links inside the sysroot. */
static int
stat_follow (const char *path, struct stat *st)
{
  int fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1)
    return -1;
  int r = fstat (fd, st);
  int saved = errno;
  close (fd);
  errno = saved;
  return r;
}

guestfs_int_statns *
do_lstatns (const char *path)
{
  struct stat st;
  if (sysroot_lstat (path, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return new_statns (&st);
}

guestfs_int_statns *
do_statns (const char *path)
{
  struct stat st;
  if (stat_follow (path, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return new_statns (&st);
}

/* A name that does not exist is "false", any other failure an error. */
static int
test_mode (const char *path, bool follow, mode_t type)
{
  struct stat st;
  int r = follow ? stat_follow (path, &st) : sysroot_lstat (path, &st);
  if (r == -1) {
    if (errno == ENOENT || errno == ENOTDIR)
      return 0;
    reply_with_perror ("%s", path);
    return -1;
  }
  return type == 0 || (st.st_mode & S_IFMT) == type;
}

int
do_exists (const char *path)
{
  return test_mode (path, true, 0);
}

int
do_is_file (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFREG);
}

int
do_is_dir (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFDIR);
}

int
do_is_symlink (const char *path)
{
  return test_mode (path, false, S_IFLNK);
}

int
do_is_chardev (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFCHR);
}

int
do_is_blockdev (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFBLK);
}

int
do_is_fifo (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFIFO);
}

int
do_is_socket (const char *path, int followsymlinks)
{
  return test_mode (path, followsymlinks, S_IFSOCK);
}

static int
lstat_in_dir (int dirfd, const char *dir, const char *name, struct stat *st)
{
  if (!name_needs_full_resolution (name))
    return fstatat (dirfd, name, st, AT_SYMLINK_NOFOLLOW);
  char *full;
  if (asprintf (&full, "%s/%s", dir, name) == -1)
    return -1;
  int r = sysroot_lstat (full, st);
  int saved = errno;
  free (full);
  errno = saved;
  return r;
}

guestfs_int_statns_list *
do_internal_lstatnslist (const char *path, char *const *names)
{
  int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  size_t n = count_strings (names);
  guestfs_int_statns_list *r = malloc (sizeof *r);
  guestfs_int_statns *v = calloc (n ? n : 1, sizeof *v);
  if (r == NULL || v == NULL) {
    reply_with_perror ("malloc");
    free (r);
    free (v);
    close (dirfd);
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    struct stat st;
    if (lstat_in_dir (dirfd, path, names[i], &st) == 0)
      fill_statns (&v[i], &st);
    else
      v[i].st_ino = -1;
  }
  close (dirfd);
  r->guestfs_int_statns_list_len = n;
  r->guestfs_int_statns_list_val = v;
  return r;
}
