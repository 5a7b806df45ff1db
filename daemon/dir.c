/* Listing directories. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static DIR *
open_dir (const char *path)
{
  int fd = sysroot_open (path, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  DIR *d = fdopendir (fd);
  if (d == NULL) {
    reply_with_perror ("%s", path);
    close (fd);
  }
  return d;
}

char **
do_ls (const char *directory)
{
  DIR *dir = open_dir (directory);
  if (dir == NULL)
    return NULL;
  struct stringsbuf sb = { 0 };
  struct dirent *d;
  while ((errno = 0, d = readdir (dir)) != NULL) {
    if (strcmp (d->d_name, ".") == 0 || strcmp (d->d_name, "..") == 0)
      continue;
    if (add_string (&sb, d->d_name) == -1) {
      closedir (dir);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  if (errno != 0) {
    reply_with_perror ("%s", directory);
    closedir (dir);
    free_stringsbuf (&sb);
    return NULL;
  }
  closedir (dir);
  sort_strings (sb.argv, sb.size);
  return take_strings (&sb);
}

static char
dirent_type (DIR *dir, const struct dirent *d)
{
  unsigned char t = d->d_type;
  if (t == DT_UNKNOWN) {
    struct stat st;
    if (fstatat (dirfd (dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
      return '?';
    t = IFTODT (st.st_mode);
  }
  switch (t) {
  case DT_BLK: return 'b';
  case DT_CHR: return 'c';
  case DT_DIR: return 'd';
  case DT_FIFO: return 'f';
  case DT_LNK: return 'l';
  case DT_REG: return 'r';
  case DT_SOCK: return 's';
  default: return 'u';
  }
}

guestfs_int_dirent_list *
do_readdir (const char *path)
{
  DIR *dir = open_dir (path);
  if (dir == NULL)
    return NULL;
  guestfs_int_dirent_list *r = calloc (1, sizeof *r);
  size_t alloc = 0, n = 0;
  guestfs_int_dirent *v = NULL;
  struct dirent *d;
  if (r == NULL)
    goto oom;
  while ((errno = 0, d = readdir (dir)) != NULL) {
    if (n == alloc) {
      alloc = alloc ? alloc * 2 : 64;
      guestfs_int_dirent *nv = realloc (v, alloc * sizeof *v);
      if (nv == NULL)
        goto oom;
      v = nv;
    }
    v[n].ino = d->d_ino;
    v[n].ftyp = dirent_type (dir, d);
    v[n].name = strdup (d->d_name);
    if (v[n].name == NULL)
      goto oom;
    ++n;
  }
  if (errno != 0) {
    reply_with_perror ("%s", path);
    goto fail;
  }
  closedir (dir);
  r->guestfs_int_dirent_list_len = n;
  r->guestfs_int_dirent_list_val = v;
  return r;

oom:
  reply_with_perror ("malloc");
fail:
  closedir (dir);
  for (size_t i = 0; i < n; ++i)
    free (v[i].name);
  free (v);
  free (r);
  return NULL;
}

char *
do_readlink (const char *path)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  size_t size = 256;
  for (;;) {
    char *buf = malloc (size);
    if (buf == NULL) {
      reply_with_perror ("malloc");
      break;
    }
    ssize_t r = readlinkat (dirfd, base, buf, size);
    if (r == -1) {
      reply_with_perror ("%s", path);
      free (buf);
      break;
    }
    if ((size_t) r < size) {
      buf[r] = '\0';
      close (dirfd);
      free (base);
      return buf;
    }
    free (buf);
    size *= 2;
  }
  close (dirfd);
  free (base);
  return NULL;
}
