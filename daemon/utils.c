#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "util.h"

char **
terminate_list (char **val, u_int len)
{
  char **r = malloc ((len + 1) * sizeof (char *));
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  if (len)
    memcpy (r, val, len * sizeof (char *));
  r[len] = NULL;
  return r;
}

size_t
count_strings (char *const *list)
{
  size_t n = 0;
  while (list && list[n])
    ++n;
  return n;
}

void
free_strings (char **list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; list[i]; ++i)
    free (list[i]);
  free (list);
}

int
add_string_nodup (struct stringsbuf *sb, char *s)
{
  if (sb->size + 1 >= sb->alloc) {
    size_t n = sb->alloc ? sb->alloc * 2 : 16;
    char **p = realloc (sb->argv, n * sizeof (char *));
    if (p == NULL) {
      reply_with_perror ("realloc");
      free (s);
      return -1;
    }
    sb->argv = p;
    sb->alloc = n;
  }
  sb->argv[sb->size++] = s;
  sb->argv[sb->size] = NULL;
  return 0;
}

int
add_string (struct stringsbuf *sb, const char *s)
{
  char *copy = strdup (s);
  if (copy == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  return add_string_nodup (sb, copy);
}

char **
take_strings (struct stringsbuf *sb)
{
  if (sb->argv == NULL) {
    sb->argv = calloc (1, sizeof (char *));
    if (sb->argv == NULL) {
      reply_with_perror ("calloc");
      return NULL;
    }
  }
  char **r = sb->argv;
  sb->argv = NULL;
  sb->size = sb->alloc = 0;
  return r;
}

void
free_stringsbuf (struct stringsbuf *sb)
{
  free_strings (sb->argv);
  sb->argv = NULL;
  sb->size = sb->alloc = 0;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
sort_strings (char **list, size_t n)
{
  if (n > 1) /* qsort's array may not be NULL, even when empty */
    qsort (list, n, sizeof (char *), compare_strings);
}

int
for_each_entry (int fd, dirent_fn fn, void *opaque)
{
  DIR *dir = fdopendir (fd);
  if (dir == NULL) {
    close (fd);
    return -1;
  }
  int r = 0;
  struct dirent *d;
  while (r == 0 && (errno = 0, d = readdir (dir)) != NULL) {
    if (strcmp (d->d_name, ".") == 0 || strcmp (d->d_name, "..") == 0)
      continue;
    r = fn (dirfd (dir), d->d_name, opaque);
  }
  if (r == 0 && errno != 0)
    r = -1;
  int saved = errno;
  closedir (dir);
  errno = saved;
  return r;
}

int
reply_if_receive_failed (int r, int err, const char *name)
{
  if (r == -2)
    reply_with_error_errno (ECANCELED, "%s: cancelled", name);
  else if (r == -1)
    reply_with_perror_errno (err, "%s", name);
  return r == 0 ? 0 : -1;
}

int
compare_inode_keys (const void *a, const void *b)
{
  const struct inode_key *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return x->ino < y->ino ? -1 : x->ino > y->ino;
}

ssize_t
pread_full (int fd, char *buf, size_t len, off_t off)
{
  size_t got = 0;
  while (got < len) {
    ssize_t r = pread (fd, buf + got, len - got, off + got);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    if (r == 0)
      break;
    got += r;
  }
  return got;
}

int
pwrite_all (int fd, const char *buf, size_t len, off_t off)
{
  while (len > 0) {
    ssize_t r = pwrite (fd, buf, len, off);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    buf += r;
    len -= r;
    off += r;
  }
  return 0;
}

/* Zeros are skipped in pieces of this size. */
#define HOLE_PIECE 65536

int
pwrite_sparse (int fd, const char *buf, size_t len, off_t off)
{
  for (size_t done = 0; done < len; done += HOLE_PIECE) {
    size_t n = len - done < HOLE_PIECE ? len - done : HOLE_PIECE;
    if (!guestfs_int_is_zero (buf + done, n) &&
        pwrite_all (fd, buf + done, n, off + done) == -1)
      return -1;
  }
  return 0;
}

/* Split output into lines, dropping the last newline. */
char **
split_lines (char *out)
{
  if (out == NULL)
    return NULL;
  struct stringsbuf sb = { 0 };
  char *p = out;
  while (*p) {
    char *nl = strchr (p, '\n');
    if (nl)
      *nl = '\0';
    if (add_string (&sb, p) == -1) {
      reply_with_perror ("malloc");
      free (out);
      free_stringsbuf (&sb);
      return NULL;
    }
    if (!nl)
      break;
    p = nl + 1;
  }
  free (out);
  return take_strings (&sb);
}
