/* Describing a file as a fuse_entry: its status, link target and
 * extended attributes in one record, and the fuse_* actions that ask
 * for exactly that (fuse_lstat) or change one attribute of it.
 *
 * Every fuse_* call that creates or changes a file answers with the
 * file's new entry, so that the FUSE side never needs a second round
 * trip to learn what it just did.  Names are resolved with sysroot.c
 * as everywhere else (sysroot_open_name: an opened parent directory
 * plus one component, used with *at() calls that do not follow a
 * final symbolic link).  Extended attributes, which have no *at()
 * calls on the kernels the appliance runs, are reached through
 * /proc/self/fd/DIRFD/NAME: the directory part is an already resolved
 * descriptor and NAME is one component, so nothing can escape the
 * sysroot.  The packed form of the attributes is common/entry-format.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"
#include "entry-format.h"
#include "entry.h"

/* The most bytes of packed attributes in one entry; a file with more
 * is described without them (the client asks for single ones). */
#define XATTRS_MAX (64 * 1024)

void
entry_fill_stat (guestfs_int_fuse_entry *e, const struct stat *st)
{
  COPY_STAT_FIELDS (e, st);
}

int
entry_init (guestfs_int_fuse_entry *e, const char *name)
{
  memset (e, 0, sizeof *e);
  e->name = strdup (name);
  e->link = strdup ("");
  if (e->name == NULL || e->link == NULL) {
    free (e->name);
    free (e->link);
    return -1;
  }
  return 0;
}

void
entry_free (guestfs_int_fuse_entry *e)
{
  if (e == NULL)
    return;
  xdr_free ((xdrproc_t) xdr_guestfs_int_fuse_entry, (char *) e);
  free (e);
}

int
entry_read_link (guestfs_int_fuse_entry *e, int dirfd, const char *base)
{
  char buf[PATH_MAX];
  ssize_t n = readlinkat (dirfd, base, buf, sizeof buf - 1);
  if (n == -1)
    return -1;
  buf[n] = '\0';
  char *l = strdup (buf);
  if (l == NULL)
    return -1;
  free (e->link);
  e->link = l;
  return 0;
}

/* ---- Extended attributes ---- */

/* Where the xattr calls go: a path (l* or, with follow, plain calls)
 * or an open descriptor (f* calls). */
struct xattr_source {
  const char *path;
  bool follow;
  int fd;
};

static ssize_t
src_list (const struct xattr_source *s, char *buf, size_t size)
{
  if (s->path == NULL)
    return flistxattr (s->fd, buf, size);
  return s->follow ? listxattr (s->path, buf, size)
                   : llistxattr (s->path, buf, size);
}

static ssize_t
src_get (const struct xattr_source *s, const char *name, void *buf,
         size_t size)
{
  if (s->path == NULL)
    return fgetxattr (s->fd, name, buf, size);
  return s->follow ? getxattr (s->path, name, buf, size)
                   : lgetxattr (s->path, name, buf, size);
}

/* Read every extended attribute into e->xattrs, up to XATTRS_MAX bytes
 * in all.  Unlike xattr.c, which reads whatever size an attribute has,
 * this reads into fixed buffers: attributes that do not fit, or that
 * vanish or change size while being read, leave the set incomplete
 * rather than failing the call, and the client then asks for single
 * attributes. */
static void
collect_xattrs (guestfs_int_fuse_entry *e, const struct xattr_source *s)
{
  static __thread char names[XATTRS_MAX];
  static __thread char value[XATTRS_MAX];
  ssize_t n = src_list (s, names, sizeof names);
  if (n == -1) {
    if (errno == ENOTSUP || errno == ENODATA)
      e->flags |= ENTRY_XATTRS_COMPLETE; /* no xattrs on this fs */
    return;
  }
  struct xattr_packer p = { 0 };
  bool complete = true;
  for (ssize_t i = 0; i < n;) {
    const char *name = names + i;
    size_t room = n - i;
    size_t nlen = strnlen (name, room);
    if (nlen == room)
      break; /* unterminated: not from a sane kernel */
    i += nlen + 1;
    if (nlen == 0)
      continue;
    ssize_t v = src_get (s, name, value, sizeof value);
    if (v == -1) {
      if (errno != ENODATA) /* ENODATA: removed meanwhile */
        complete = false;
      continue;
    }
    if (p.len + XATTR_RECORD_SIZE (nlen, (size_t) v) > XATTRS_MAX ||
        xattr_pack (&p, name, value, v) == -1) {
      complete = false;
      break;
    }
  }
  if (!complete) {
    free (p.buf);
    return;
  }
  e->xattrs.xattrs_val = p.buf;
  e->xattrs.xattrs_len = p.len;
  e->flags |= ENTRY_XATTRS_COMPLETE;
}

void
entry_collect_xattrs_at (guestfs_int_fuse_entry *e, const char *path)
{
  struct xattr_source src = { .path = path, .follow = false, .fd = -1 };
  collect_xattrs (e, &src);
}

void
entry_collect_xattrs_fd (guestfs_int_fuse_entry *e, int fd)
{
  struct xattr_source src = { .path = NULL, .fd = fd };
  collect_xattrs (e, &src);
}

/* A path for the xattr calls on a name (see sysroot_open_name).
 * *follow says whether the plain (not l*) calls must be used: true
 * only for the root's /proc/self/fd/N, which is itself a link to the
 * directory. */
static char *
xattr_path (const struct sysroot_name *n, bool *follow)
{
  char *p;
  int r;
  *follow = n->base == NULL;
  if (n->base)
    r = asprintf (&p, "/proc/self/fd/%d/%s", n->dirfd, n->base);
  else
    r = asprintf (&p, "/proc/self/fd/%d", n->fd);
  return r == -1 ? NULL : p;
}

/* ---- Whole entries ---- */

static guestfs_int_fuse_entry *
new_entry (void)
{
  guestfs_int_fuse_entry *e = malloc (sizeof *e);
  if (e == NULL || entry_init (e, "") == -1) {
    free (e);
    reply_with_perror ("malloc");
    return NULL;
  }
  return e;
}

guestfs_int_fuse_entry *
entry_of_name (const char *path, const struct sysroot_name *n)
{
  guestfs_int_fuse_entry *e = new_entry ();
  if (e == NULL)
    return NULL;
  struct stat st;
  int r = n->base ? fstatat (n->dirfd, n->base, &st, AT_SYMLINK_NOFOLLOW)
                  : fstat (n->fd, &st);
  if (r == -1)
    goto fail;
  entry_fill_stat (e, &st);
  if (S_ISLNK (st.st_mode) && n->base &&
      entry_read_link (e, n->dirfd, n->base) == -1)
    goto fail;
  struct xattr_source src = { .fd = -1 };
  char *xp = xattr_path (n, &src.follow);
  if (xp == NULL)
    goto fail;
  src.path = xp;
  collect_xattrs (e, &src);
  free (xp);
  return e;

fail:
  reply_with_perror ("%s", path);
  entry_free (e);
  return NULL;
}

guestfs_int_fuse_entry *
entry_at (const char *path, int dirfd, const char *base)
{
  struct sysroot_name n = { .dirfd = dirfd, .base = (char *) base, .fd = -1 };
  return entry_of_name (path, &n);
}

guestfs_int_fuse_entry *
entry_of_fd (int fd)
{
  guestfs_int_fuse_entry *e = new_entry ();
  if (e == NULL)
    return NULL;
  struct stat st;
  if (fstat (fd, &st) == -1) {
    reply_with_perror ("fstat");
    entry_free (e);
    return NULL;
  }
  entry_fill_stat (e, &st);
  entry_collect_xattrs_fd (e, fd);
  return e;
}

guestfs_int_fuse_entry *
do_fuse_lstat (const char *path)
{
  struct sysroot_name n;
  if (sysroot_open_name (path, &n) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = entry_of_name (path, &n);
  sysroot_close_name (&n);
  return e;
}

/* ---- Single extended attributes ---- */

/* A name and the path the xattr calls take for it. */
struct xattr_target {
  struct sysroot_name name;
  char *path;
  bool follow;
};

/* Open path's name and make its xattr path.  Returns 0, or -1 after
 * replying. */
static int
open_xattr_target (const char *path, struct xattr_target *t)
{
  if (sysroot_open_name (path, &t->name) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  t->path = xattr_path (&t->name, &t->follow);
  if (t->path == NULL) {
    reply_with_perror ("malloc");
    sysroot_close_name (&t->name);
    return -1;
  }
  return 0;
}

static void
close_xattr_target (struct xattr_target *t)
{
  free (t->path);
  sysroot_close_name (&t->name);
}

int
do_fuse_setxattr (const char *path, const char *name, const char *value,
                  size_t value_size, int flags)
{
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) {
    reply_with_error_errno (EINVAL, "flags %#x: only XATTR_CREATE and "
                            "XATTR_REPLACE are allowed", flags);
    return -1;
  }
  struct xattr_target t;
  if (open_xattr_target (path, &t) == -1)
    return -1;
  int r = t.follow ? setxattr (t.path, name, value, value_size, flags)
                   : lsetxattr (t.path, name, value, value_size, flags);
  if (r == -1)
    reply_with_perror ("%s: %s", path, name);
  close_xattr_target (&t);
  return r;
}

int
do_fuse_removexattr (const char *path, const char *name)
{
  struct xattr_target t;
  if (open_xattr_target (path, &t) == -1)
    return -1;
  int r = t.follow ? removexattr (t.path, name) : lremovexattr (t.path, name);
  if (r == -1)
    reply_with_perror ("%s: %s", path, name);
  close_xattr_target (&t);
  return r;
}

char *
do_fuse_getxattr (const char *path, const char *name, size_t *size_r)
{
  struct xattr_target t;
  if (open_xattr_target (path, &t) == -1)
    return NULL;
  char *value = xattr_read_value (t.path, name, t.follow, size_r);
  if (value == NULL)
    reply_with_perror ("%s: %s", path, name);
  close_xattr_target (&t);
  return value;
}
