/* File utilities shared by the appliance builder and the qemu module.
 * See fileutil.h. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileutil.h"

bool
is_file (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode);
}

bool
is_dir (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static int
not_dot_or_dotdot (const struct dirent *e)
{
  return strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0;
}

char **
list_dir (const char *dir)
{
  struct dirent **entries;
  int n = scandir (dir, &entries, not_dot_or_dotdot, alphasort);
  char **names;
  bool oom = false;

  if (n < 0)
    return NULL;
  names = calloc (n + 1, sizeof *names);
  for (int i = 0; i < n; ++i) {
    if (names && !oom && (names[i] = strdup (entries[i]->d_name)) == NULL)
      oom = true;
    free (entries[i]);
  }
  free (entries);
  if (names == NULL || oom) {
    cleanup_free_string_list (&names);
    return NULL;
  }
  return names;
}

int
read_exact_at (int fd, void *buf, size_t len, off_t off)
{
  size_t done = 0;
  while (done < len) {
    ssize_t r = pread (fd, (char *) buf + done, len - done, off + done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    done += r;
  }
  return 0;
}

unsigned char *
read_whole_file (const char *path, size_t *len_out)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY|O_CLOEXEC);
  struct stat st;
  unsigned char *buf;

  if (fd == -1 || fstat (fd, &st) == -1)
    return NULL;
  buf = malloc (st.st_size ? st.st_size : 1);
  if (buf == NULL || read_exact_at (fd, buf, st.st_size, 0) == -1) {
    free (buf);
    return NULL;
  }
  *len_out = st.st_size;
  return buf;
}

char *
read_first_line (const char *path)
{
  char buf[PATH_MAX];
  CLEANUP_CLOSE int fd = open (path, O_RDONLY|O_CLOEXEC);
  ssize_t r;

  if (fd == -1)
    return NULL;
  r = read (fd, buf, sizeof buf - 1);
  if (r <= 0)
    return NULL;
  buf[r] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return strdup (buf);
}

int
write_file (const char *path, const char *content)
{
  int fd = open (path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
  size_t len = strlen (content);

  if (fd == -1)
    return -1;
  if (write (fd, content, len) != (ssize_t) len) {
    close (fd);
    return -1;
  }
  return close (fd);
}

char *
find_program (const char *prog)
{
  const char *path = getenv ("PATH");

  if (strchr (prog, '/'))
    return strdup (prog);
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn (path, ":");
    char *cand;
    if (asprintf (&cand, "%.*s/%s", (int) len, len ? path : ".", prog) == -1)
      return NULL;
    if (access (cand, X_OK) == 0)
      return cand;
    free (cand);
    path += len;
    if (*path == ':')
      path++;
  }
  errno = ENOENT;
  return NULL;
}

static int
remove_one (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st; (void) ftw;
  if (flag == FTW_DP)
    rmdir (path);
  else
    unlink (path);
  return 0;
}

void
remove_tree (const char *path)
{
  nftw (path, remove_one, 16, FTW_DEPTH|FTW_PHYS);
}

uint64_t
fnv1a64 (uint64_t h, const char *s)
{
  for (; *s; ++s) {
    h ^= (unsigned char) *s;
    h *= 0x100000001b3ULL;
  }
  return h;
}
