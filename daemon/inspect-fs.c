/* Inspection: reading the files of a candidate filesystem.
 *
 * The candidate is mounted privately (read-only, nodev, nosuid,
 * noexec) and every file is opened with openat2 relative to its root
 * with RESOLVE_IN_ROOT: an absolute symbolic link or ".." in the guest
 * resolves inside the candidate, never into the appliance.  Only
 * regular files are read (a FIFO could block, a device could be
 * anything), with O_NONBLOCK so that even opening one cannot hang, and
 * never more than the caller's limit.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inspect.h"

/* Directories larger than this are not searched name by name. */
#define MAX_DIR_ENTRIES 100000

static int
openat2_resolving (int dirfd, const char *path, int flags, uint64_t resolve)
{
  /* O_PATH descriptors take no other flags. */
  if (!(flags & O_PATH))
    flags |= O_NOCTTY | O_NONBLOCK;
  struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                         .resolve = resolve};
  int fd;
  do
    fd = (int)syscall (SYS_openat2, dirfd, path, &how, sizeof how);
  while (fd == -1 && errno == EAGAIN); /* a concurrent rename: retry */
  return fd;
}

int
guest_open (int root_fd, const char *path, int flags)
{
  while (*path == '/')
    ++path;
  return openat2_resolving (root_fd, *path ? path : ".", flags,
                            RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
                                RESOLVE_NO_XDEV);
}

char *
guest_read (int root_fd, const char *path, size_t max, size_t *len)
{
  int fd = guest_open (root_fd, path, O_RDONLY);
  if (fd == -1)
    return NULL;
  struct stat st;
  char *buf = NULL;
  if (fstat (fd, &st) == -1 || !S_ISREG (st.st_mode))
    goto out;
  size_t want = (uint64_t)st.st_size < max ? (size_t)st.st_size : max;
  buf = malloc (want + 1);
  if (buf == NULL)
    goto out;
  size_t n = 0;
  while (n < want) {
    ssize_t r = read (fd, buf + n, want - n);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0) /* error, or the file shrank */
      break;
    n += (size_t)r;
  }
  buf[n] = '\0';
  if (len)
    *len = n;
out:
  close (fd);
  return buf;
}

static bool
is_type (int root_fd, const char *path, mode_t type)
{
  int fd = guest_open (root_fd, path, O_PATH);
  if (fd == -1)
    return false;
  struct stat st;
  bool r = fstat (fd, &st) == 0 && (st.st_mode & S_IFMT) == type;
  close (fd);
  return r;
}

bool
guest_is_dir (int root_fd, const char *path)
{
  return is_type (root_fd, path, S_IFDIR);
}

bool
guest_is_file (int root_fd, const char *path)
{
  return is_type (root_fd, path, S_IFREG);
}

/* The entry of the directory open as dirfd whose name matches name: the
 * exact name if present, else the first, in byte order, of those equal
 * ignoring ASCII case (so the answer does not depend on readdir's
 * order).  malloc'd or NULL. */
static char *
match_entry (int dirfd, const char *name)
{
  int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  if (d == NULL) {
    if (fd >= 0)
      close (fd);
    return NULL;
  }
  char *best = NULL;
  struct dirent *e;
  for (size_t n = 0; n < MAX_DIR_ENTRIES && (e = readdir (d)) != NULL; ++n) {
    if (strcasecmp (e->d_name, name) != 0)
      continue;
    if (strcmp (e->d_name, name) == 0) {
      free (best);
      best = strdup (e->d_name);
      break;
    }
    if (best == NULL || strcmp (e->d_name, best) < 0) {
      free (best);
      best = strdup (e->d_name);
    }
  }
  closedir (d);
  return best;
}

/* Append "/name" to *path. */
static bool
append_component (char **path, size_t *len, const char *name)
{
  size_t nlen = strlen (name);
  char *p = realloc (*path, *len + nlen + 2);
  if (p == NULL)
    return false;
  p[(*len)++] = '/';
  memcpy (p + *len, name, nlen + 1);
  *len += nlen;
  *path = p;
  return true;
}

char *
guest_find_nocase (int root_fd, const char *path)
{
  char *copy = strdup (path), *save = NULL;
  char *found = strdup ("");
  size_t found_len = 0;
  int dirfd = openat2_resolving (root_fd, ".", O_PATH | O_DIRECTORY, 0);
  bool ok = copy && found && dirfd >= 0;
  for (char *name = ok ? strtok_r (copy, "/", &save) : NULL; ok && name;
       name = strtok_r (NULL, "/", &save)) {
    char *entry = match_entry (dirfd, name);
    ok = entry && strcmp (entry, ".") != 0 && strcmp (entry, "..") != 0 &&
         append_component (&found, &found_len, entry);
    /* Into the next directory, following no link; the last name needs
     * no descriptor. */
    int next = -1;
    if (ok && save && *save)
      next = openat2_resolving (dirfd, entry, O_PATH | O_DIRECTORY,
                                RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                    RESOLVE_NO_XDEV);
    free (entry);
    if (ok && save && *save) {
      ok = next >= 0;
      close (dirfd);
      dirfd = next;
    }
  }
  if (dirfd >= 0)
    close (dirfd);
  free (copy);
  if (!ok || found_len == 0) {
    free (found);
    return NULL;
  }
  return found;
}
