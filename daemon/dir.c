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

/* A page stops growing at about this many bytes on the wire (XDR:
 * 8 for ino, 4 for ftyp, 4 + padded name), well under a message. */
#define READDIR_PAGE_BYTES (2 * 1024 * 1024)

struct dirent_page {
  guestfs_int_dirent *v;
  size_t n, alloc, bytes;
};

static int
page_add (struct dirent_page *p, int64_t ino, char ftyp, const char *name)
{
  if (p->n == p->alloc) {
    size_t alloc = p->alloc ? p->alloc * 2 : 64;
    guestfs_int_dirent *nv = realloc (p->v, alloc * sizeof *nv);
    if (nv == NULL)
      return -1;
    p->v = nv;
    p->alloc = alloc;
  }
  guestfs_int_dirent *e = &p->v[p->n];
  e->ino = ino;
  e->ftyp = ftyp;
  e->name = strdup (name);
  if (e->name == NULL)
    return -1;
  ++p->n;
  p->bytes += 16 + ((strlen (name) + 3) & ~3u);
  return 0;
}

static void
page_free (struct dirent_page *p)
{
  for (size_t i = 0; i < p->n; ++i)
    free (p->v[i].name);
  free (p->v);
}

guestfs_int_dirent_list *
do_internal_readdir (const char *path, int64_t cookie)
{
  DIR *dir = open_dir (path);
  if (dir == NULL)
    return NULL;
  if (cookie != 0)
    seekdir (dir, cookie);
  struct dirent_page p = { NULL, 0, 0, 0 };
  struct dirent *d;
  bool more = false;
  int err = 0;
  while (!(more = p.bytes >= READDIR_PAGE_BYTES) &&
         (errno = 0, d = readdir (dir)) != NULL)
    if (page_add (&p, d->d_ino, dirent_type (dir, d), d->d_name) == -1) {
      err = errno;
      break;
    }
  if (!err && !more && errno != 0)
    err = errno;
  /* The marker: where to go on from, or the end. */
  if (!err && page_add (&p, more ? telldir (dir) : 0, more ? 'C' : 'E', "")
                == -1)
    err = errno;
  closedir (dir);
  guestfs_int_dirent_list *r = err ? NULL : malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror_errno (err ? err : ENOMEM, "%s", path);
    page_free (&p);
    return NULL;
  }
  r->guestfs_int_dirent_list_len = p.n;
  r->guestfs_int_dirent_list_val = p.v;
  return r;
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
