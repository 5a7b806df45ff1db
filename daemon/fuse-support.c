/* The fuse_* actions: batched metadata and open-file handles.
 *
 * Every call that creates or changes a file answers with the file's
 * new status (a fuse_entry), so that the FUSE side never needs a
 * second round trip to learn what it just did.  Names are resolved
 * with sysroot.c as everywhere else: an opened parent directory plus
 * one component, used with *at() calls that do not follow a final
 * symbolic link.  Extended attributes, which have no *at() calls on
 * the kernels the appliance runs, are reached through
 * /proc/self/fd/DIRFD/NAME: the directory part is an already resolved
 * descriptor and NAME is one component, so nothing can escape the
 * sysroot.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include "handles.h"

#define READ_AHEAD (8 * 1024 * 1024)     /* for sequential preads */
#define PREFETCH_MAX (1024 * 1024)       /* fuse_open */
#define PAGE_MAX (3 * 1024 * 1024)       /* fuse_readdir reply */
#define PAGE_MIN (64 * 1024)
#define XATTRS_MAX (64 * 1024)           /* per entry, in a listing */

/* ---- Naming a file: a parent directory and one component ---- */

/* Either dirfd + base (any path but the root), or fd alone (the root,
 * which has no parent and is never a symbolic link). */
struct target {
  int dirfd;
  char *base;
  int fd;
};

static int
open_target (const char *path, struct target *t)
{
  t->base = NULL;
  t->fd = -1;
  t->dirfd = sysroot_open_parent (path, &t->base);
  if (t->dirfd >= 0)
    return 0;
  if (errno != EBUSY && errno != EINVAL)
    return -1;
  /* "/" (or a trailing "." or ".."): a directory, safe to follow. */
  t->fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  return t->fd == -1 ? -1 : 0;
}

static void
close_target (struct target *t)
{
  int saved = errno;
  if (t->dirfd >= 0)
    close (t->dirfd);
  if (t->fd >= 0)
    close (t->fd);
  free (t->base);
  errno = saved;
}

/* A path for the xattr calls.  *follow says whether the plain (not l*)
 * calls must be used: true only for the root's /proc/self/fd/N, which
 * is itself a link to the directory. */
static char *
xattr_path (int dirfd, const char *base, int fd, bool *follow)
{
  char *p;
  int r;
  *follow = base == NULL;
  if (base)
    r = asprintf (&p, "/proc/self/fd/%d/%s", dirfd, base);
  else
    r = asprintf (&p, "/proc/self/fd/%d", fd);
  return r == -1 ? NULL : p;
}

/* ---- Building a fuse_entry ---- */

static void
fill_stat (guestfs_int_fuse_entry *e, const struct stat *st)
{
  e->st_dev = st->st_dev;
  e->st_ino = st->st_ino;
  e->st_mode = st->st_mode;
  e->st_nlink = st->st_nlink;
  e->st_uid = st->st_uid;
  e->st_gid = st->st_gid;
  e->st_rdev = st->st_rdev;
  e->st_size = st->st_size;
  e->st_blksize = st->st_blksize;
  e->st_blocks = st->st_blocks;
  e->st_atime_sec = st->st_atim.tv_sec;
  e->st_atime_nsec = st->st_atim.tv_nsec;
  e->st_mtime_sec = st->st_mtim.tv_sec;
  e->st_mtime_nsec = st->st_mtim.tv_nsec;
  e->st_ctime_sec = st->st_ctim.tv_sec;
  e->st_ctime_nsec = st->st_ctim.tv_nsec;
}

/* Where the xattr calls go: a path (l* or plain calls) or an open
 * descriptor (f* calls). */
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

/* Read every extended attribute into e->xattrs, up to limit bytes in
 * all.  Attributes that do not fit, or that vanish or change size
 * while being read, leave the set incomplete rather than failing the
 * call: the client then asks for single attributes. */
static void
collect_xattrs (guestfs_int_fuse_entry *e, const struct xattr_source *s,
                size_t limit)
{
  static char names[XATTRS_MAX];
  static char value[XATTRS_MAX];
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
    if (p.len + XATTR_RECORD_SIZE (nlen, (size_t) v) > limit ||
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

static int
read_link_at (guestfs_int_fuse_entry *e, int dirfd, const char *base)
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

/* Strings of an XDR struct must never be NULL. */
static int
init_entry (guestfs_int_fuse_entry *e, const char *name)
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

static void
free_entry (guestfs_int_fuse_entry *e)
{
  if (e == NULL)
    return;
  xdr_free ((xdrproc_t) xdr_guestfs_int_fuse_entry, (char *) e);
  free (e);
}

/* The entry for dirfd/base (or fd, for the root).  Replies with an
 * error and returns NULL on failure; path is for messages. */
static guestfs_int_fuse_entry *
entry_at (const char *path, int dirfd, const char *base, int fd)
{
  guestfs_int_fuse_entry *e = malloc (sizeof *e);
  if (e == NULL || init_entry (e, "") == -1) {
    free (e);
    reply_with_perror ("malloc");
    return NULL;
  }
  struct stat st;
  int r = base ? fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW)
               : fstat (fd, &st);
  if (r == -1)
    goto fail;
  fill_stat (e, &st);
  if (S_ISLNK (st.st_mode) && base && read_link_at (e, dirfd, base) == -1)
    goto fail;
  struct xattr_source src = { .fd = -1 };
  char *xp = xattr_path (dirfd, base, fd, &src.follow);
  if (xp == NULL)
    goto fail;
  src.path = xp;
  collect_xattrs (e, &src, XATTRS_MAX);
  free (xp);
  return e;

fail:
  reply_with_perror ("%s", path);
  free_entry (e);
  return NULL;
}

static guestfs_int_fuse_entry *
entry_of_target (const char *path, const struct target *t)
{
  return entry_at (path, t->dirfd, t->base, t->fd);
}

/* The entry of an open descriptor (for handles). */
static guestfs_int_fuse_entry *
entry_of_fd (int fd)
{
  guestfs_int_fuse_entry *e = malloc (sizeof *e);
  if (e == NULL || init_entry (e, "") == -1) {
    free (e);
    reply_with_perror ("malloc");
    return NULL;
  }
  struct stat st;
  if (fstat (fd, &st) == -1) {
    reply_with_perror ("fstat");
    free_entry (e);
    return NULL;
  }
  fill_stat (e, &st);
  struct xattr_source src = { .path = NULL, .fd = fd };
  collect_xattrs (e, &src, XATTRS_MAX);
  return e;
}

/* ---- Directory pages ---- */

static size_t
xdr_pad (size_t n)
{
  return (n + 3) & ~(size_t) 3;
}

/* Bytes an entry takes on the wire (see the fuse_entry struct). */
static size_t
entry_wire_size (const guestfs_int_fuse_entry *e)
{
  return 4 + xdr_pad (strlen (e->name)) + 8 + 8 + 4 + 4 + 16 * 8 + 4 +
         xdr_pad (strlen (e->link)) + 4 + xdr_pad (e->xattrs.xattrs_len) +
         4 + xdr_pad (e->data.data_len);
}

struct page {
  guestfs_int_fuse_entry *v;
  size_t n, cap;
  size_t bytes;
};

static guestfs_int_fuse_entry *
page_new_entry (struct page *pg)
{
  if (pg->n == pg->cap) {
    size_t cap = pg->cap ? pg->cap * 2 : 64;
    guestfs_int_fuse_entry *nv = realloc (pg->v, cap * sizeof *nv);
    if (nv == NULL)
      return NULL;
    pg->v = nv;
    pg->cap = cap;
  }
  return &pg->v[pg->n];
}

static void
page_free (struct page *pg)
{
  for (size_t i = 0; i < pg->n; ++i)
    xdr_free ((xdrproc_t) xdr_guestfs_int_fuse_entry, (char *) &pg->v[i]);
  free (pg->v);
}

/* While the names of one directory are examined, the daemon (which
 * serves one request at a time) works in that directory, so that the
 * xattr calls take the bare name instead of walking /proc/self/fd/N
 * for every name: the walk costs more than the call itself. */
static int dir_cwd = -1, saved_cwd = -1;

static void
enter_dir (int fd)
{
  if (saved_cwd == -1)
    saved_cwd = open (".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (saved_cwd != -1 && fchdir (fd) == 0)
    dir_cwd = fd;
}

static void
leave_dir (void)
{
  if (dir_cwd == -1)
    return;
  if (fchdir (saved_cwd) == -1 && chdir ("/") == -1)
    debug ("cannot leave the directory being listed: %m");
  dir_cwd = -1;
}

/* Examine one name of the directory into e.  Failures to examine the
 * name are reported in e->err, not as an error of the call. */
static void
examine_dirent (guestfs_int_fuse_entry *e, int dirfd, const char *name)
{
  struct stat st;
  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
    e->err = errno;
    return;
  }
  fill_stat (e, &st);
  if (S_ISLNK (st.st_mode) && read_link_at (e, dirfd, name) == -1) {
    e->err = errno;
    return;
  }
  char xp[64 + NAME_MAX];
  if (dirfd == dir_cwd)
    snprintf (xp, sizeof xp, "%s", name);
  else
    snprintf (xp, sizeof xp, "/proc/self/fd/%d/%s", dirfd, name);
  struct xattr_source src = { .path = xp, .follow = false, .fd = -1 };
  collect_xattrs (e, &src, XATTRS_MAX);
}

/* Add the entry for one dirent.  Returns 1 if added, 0 if the page is
 * full (nothing added), -1 on allocation failure. */
static int
page_add_dirent (struct page *pg, size_t budget, int dirfd,
                 const struct dirent64 *d)
{
  guestfs_int_fuse_entry *e = page_new_entry (pg);
  if (e == NULL || init_entry (e, d->d_name) == -1)
    return -1;
  e->cookie = d->d_off;
  examine_dirent (e, dirfd, d->d_name);
  size_t sz = entry_wire_size (e);
  if (pg->n > 0 && pg->bytes + sz > budget) {
    xdr_free ((xdrproc_t) xdr_guestfs_int_fuse_entry, (char *) e);
    return 0;
  }
  pg->bytes += sz;
  ++pg->n;
  return 1;
}

static int
page_add_end (struct page *pg)
{
  guestfs_int_fuse_entry *e = page_new_entry (pg);
  if (e == NULL || init_entry (e, "") == -1)
    return -1;
  e->flags = ENTRY_END;
  ++pg->n;
  return 0;
}

static bool
is_dot_or_dotdot (const char *name)
{
  return name[0] == '.' &&
         (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* Fill pg from the directory open on fd.  Returns 0 or -1 (errno). */
static int fill_page_here (struct page *pg, int fd, size_t budget);

static int
fill_page (struct page *pg, int fd, size_t budget)
{
  enter_dir (fd);
  int r = fill_page_here (pg, fd, budget);
  int saved = errno;
  leave_dir ();
  errno = saved;
  return r;
}

static int
fill_page_here (struct page *pg, int fd, size_t budget)
{
  static char buf[64 * 1024];
  for (;;) {
    ssize_t n = getdents64 (fd, buf, sizeof buf);
    if (n == -1)
      return -1;
    if (n == 0)
      return page_add_end (pg);
    for (ssize_t off = 0; off < n;) {
      const struct dirent64 *d = (const struct dirent64 *) (buf + off);
      off += d->d_reclen;
      if (is_dot_or_dotdot (d->d_name))
        continue;
      int r = page_add_dirent (pg, budget, fd, d);
      if (r == -1)
        return -1;
      if (r == 0)
        return 0; /* full: the client resumes at the last cookie */
    }
  }
}

guestfs_int_fuse_entry_list *
do_fuse_readdir (const char *dir, int64_t cookie, int size)
{
  int fd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", dir);
    return NULL;
  }
  if (cookie != 0 && lseek (fd, cookie, SEEK_SET) == -1) {
    reply_with_perror ("%s: cookie %" PRIi64, dir, cookie);
    close (fd);
    return NULL;
  }
  size_t budget = size < PAGE_MIN ? PAGE_MIN
                  : size > PAGE_MAX ? PAGE_MAX : (size_t) size;
  struct page pg = { 0 };
  if (fill_page (&pg, fd, budget) == -1) {
    reply_with_perror ("%s", dir);
    page_free (&pg);
    close (fd);
    return NULL;
  }
  close (fd);
  guestfs_int_fuse_entry_list *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    page_free (&pg);
    return NULL;
  }
  r->guestfs_int_fuse_entry_list_len = pg.n;
  r->guestfs_int_fuse_entry_list_val = pg.v;
  return r;
}

/* ---- Directory trees ---- */

#define TREE_DIRS_MAX 10000

/* Directories waiting to be listed, breadth first (paths relative to
 * the top, "" for the top itself). */
struct dirqueue {
  char **v;
  size_t head, n, cap;
};

static int
dirqueue_push (struct dirqueue *q, char *rel)
{
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 64;
    char **nv = realloc (q->v, cap * sizeof *nv);
    if (nv == NULL)
      return -1;
    q->v = nv;
    q->cap = cap;
  }
  q->v[q->n++] = rel;
  return 0;
}

static void
dirqueue_free (struct dirqueue *q)
{
  for (size_t i = q->head; i < q->n; ++i)
    free (q->v[i]);
  free (q->v);
}

static int
page_add_section (struct page *pg, const char *rel, int fd)
{
  struct stat st;
  if (fstat (fd, &st) == -1)
    return -1;
  guestfs_int_fuse_entry *e = page_new_entry (pg);
  if (e == NULL || init_entry (e, rel) == -1)
    return -1;
  fill_stat (e, &st);
  e->flags = ENTRY_SECTION;
  pg->bytes += entry_wire_size (e);
  ++pg->n;
  return 0;
}

/* Queue the subdirectories among the entries added since first. */
static int
queue_subdirs (struct dirqueue *q, const struct page *pg, size_t first,
               const char *rel)
{
  for (size_t i = first; i < pg->n; ++i) {
    const guestfs_int_fuse_entry *e = &pg->v[i];
    if (e->err || (e->flags & (ENTRY_END | ENTRY_SECTION)) ||
        !S_ISDIR (e->st_mode))
      continue;
    char *sub;
    if (asprintf (&sub, "%s%s%s", rel, rel[0] ? "/" : "", e->name) == -1 ||
        dirqueue_push (q, sub) == -1)
      return -1;
  }
  return 0;
}

/* Open dir/rel as a directory, not following a final symbolic link
 * (it was a directory when listed; it must still be one). */
static int
open_subdir (const char *dir, const char *rel)
{
  if (rel[0] == '\0')
    return sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  char *p;
  if (asprintf (&p, "%s/%s", dir, rel) == -1)
    return -1;
  int fd = sysroot_open (p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
  int saved = errno;
  free (p);
  errno = saved;
  return fd;
}

guestfs_int_fuse_entry_list *
do_fuse_readdir_tree (const char *dir, int size, int maxdirs)
{
  size_t budget = size < PAGE_MIN ? PAGE_MIN
                  : size > PAGE_MAX ? PAGE_MAX : (size_t) size;
  size_t dirs_max = maxdirs < 1 ? 1
                    : maxdirs > TREE_DIRS_MAX ? TREE_DIRS_MAX
                    : (size_t) maxdirs;
  struct page pg = { 0 };
  struct dirqueue q = { 0 };
  char *top = strdup ("");
  if (top == NULL || dirqueue_push (&q, top) == -1) {
    free (top);
    reply_with_perror ("malloc");
    return NULL;
  }
  size_t dirs = 0;
  while (q.head < q.n && dirs < dirs_max) {
    char *rel = q.v[q.head];
    /* A section is only started if its header and some entries fit. */
    if (dirs > 0 && pg.bytes + 4096 > budget)
      break;
    int fd = open_subdir (dir, rel);
    if (fd == -1) {
      if (dirs == 0) {
        reply_with_perror ("%s", dir);
        goto fail;
      }
      ++q.head; /* vanished or replaced meanwhile: skip it */
      free (rel);
      continue;
    }
    ++q.head;
    ++dirs;
    size_t first = pg.n + 1;
    int r = page_add_section (&pg, rel, fd);
    if (r == 0)
      r = fill_page (&pg, fd, budget);
    close (fd);
    if (r == -1) {
      reply_with_perror ("%s/%s", dir, rel);
      free (rel);
      goto fail;
    }
    bool ended = pg.n > 0 && (pg.v[pg.n - 1].flags & ENTRY_END);
    r = queue_subdirs (&q, &pg, first, rel);
    free (rel);
    if (r == -1) {
      reply_with_perror ("malloc");
      goto fail;
    }
    if (!ended)
      break; /* the budget ran out inside this directory */
  }
  dirqueue_free (&q);
  guestfs_int_fuse_entry_list *list = malloc (sizeof *list);
  if (list == NULL) {
    reply_with_perror ("malloc");
    page_free (&pg);
    return NULL;
  }
  list->guestfs_int_fuse_entry_list_len = pg.n;
  list->guestfs_int_fuse_entry_list_val = pg.v;
  return list;

fail:
  dirqueue_free (&q);
  page_free (&pg);
  return NULL;
}

static int
read_full (int fd, char *buf, size_t count, off_t offset, size_t *got)
{
  size_t done = 0;
  while (done < count) {
    ssize_t r = pread (fd, buf + done, count - done, offset + done);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (r == 0)
      break;
    done += r;
  }
  *got = done;
  return 0;
}

/* ---- Several small files ---- */

#define FILE_DATA_MAX (1024 * 1024)

/* Files are opened a little ahead of being read, and asked for with
 * POSIX_FADV_WILLNEED: the disk then works on many of them at once
 * instead of one seek at a time. */
#define FILES_AHEAD 32

struct ahead {
  int fd;          /* -1: not a regular file we could open (see err) */
  int err;         /* errno of the open, 0 if none */
  struct stat st;
};

static void
open_ahead (struct ahead *a, int dirfd, const char *name)
{
  a->err = 0;
  a->fd = openat (dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
                  O_NOCTTY | O_CLOEXEC);
  if (a->fd == -1) {
    a->err = errno;
    return;
  }
  if (fstat (a->fd, &a->st) == -1 || !S_ISREG (a->st.st_mode)) {
    close (a->fd);
    a->fd = -1;
    return;
  }
  off_t len = a->st.st_size < FILE_DATA_MAX ? a->st.st_size : FILE_DATA_MAX;
  posix_fadvise (a->fd, 0, len, POSIX_FADV_WILLNEED);
}

/* Status, xattrs and contents of dirfd/name into e (errors in
 * e->err), from what open_ahead found. */
static void
read_one_file (guestfs_int_fuse_entry *e, int dirfd, const char *name,
               struct ahead *a)
{
  if (a->fd == -1) {
    /* A symbolic link or a special file: status only. */
    if (a->err == 0 || a->err == ELOOP || a->err == ENXIO ||
        a->err == EACCES || a->err == EWOULDBLOCK)
      examine_dirent (e, dirfd, name);
    else
      e->err = a->err;
    return;
  }
  fill_stat (e, &a->st);
  struct xattr_source src = { .path = NULL, .fd = a->fd };
  collect_xattrs (e, &src, XATTRS_MAX);
  size_t want = a->st.st_size < FILE_DATA_MAX ? (size_t) a->st.st_size
                                              : FILE_DATA_MAX;
  char *buf = malloc (want ? want : 1);
  size_t got = 0;
  if (buf == NULL || read_full (a->fd, buf, want, 0, &got) == -1) {
    e->err = buf ? errno : ENOMEM;
    free (buf);
  } else {
    e->data.data_val = buf;
    e->data.data_len = got;
  }
  close (a->fd);
  a->fd = -1;
}

guestfs_int_fuse_entry_list *
do_fuse_read_files (const char *dir, char *const *names, int size)
{
  size_t budget = size < PAGE_MIN ? PAGE_MIN
                  : size > PAGE_MAX ? PAGE_MAX : (size_t) size;
  for (size_t i = 0; names[i]; ++i)
    if (names[i][0] == '\0' || strchr (names[i], '/') ||
        is_dot_or_dotdot (names[i])) {
      reply_with_error_errno (EINVAL, "\"%s\" is not a name in a directory",
                              names[i]);
      return NULL;
    }
  int dirfd = sysroot_open (dir, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", dir);
    return NULL;
  }
  struct page pg = { 0 };
  struct ahead ahead[FILES_AHEAD];
  size_t opened = 0, n = count_strings (names);
  int err = 0;
  enter_dir (dirfd);
  for (size_t i = 0; i < n; ++i) {
    for (; opened < n && opened < i + FILES_AHEAD; ++opened)
      open_ahead (&ahead[opened % FILES_AHEAD], dirfd, names[opened]);
    struct ahead *a = &ahead[i % FILES_AHEAD];
    guestfs_int_fuse_entry *e = page_new_entry (&pg);
    if (e == NULL || init_entry (e, names[i]) == -1) {
      err = ENOMEM;
      break;
    }
    read_one_file (e, dirfd, names[i], a);
    size_t sz = entry_wire_size (e);
    if (pg.n > 0 && pg.bytes + sz > budget) {
      xdr_free ((xdrproc_t) xdr_guestfs_int_fuse_entry, (char *) e);
      break;
    }
    pg.bytes += sz;
    ++pg.n;
  }
  /* Opened ahead but not read (the reply is full): read_one_file
   * closed every other one. */
  for (size_t i = opened > FILES_AHEAD ? opened - FILES_AHEAD : 0;
       i < opened; ++i)
    if (ahead[i % FILES_AHEAD].fd != -1)
      close (ahead[i % FILES_AHEAD].fd);
  leave_dir ();
  close (dirfd);
  if (err) {
    reply_with_perror_errno (err, "malloc");
    page_free (&pg);
    return NULL;
  }
  guestfs_int_fuse_entry_list *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    page_free (&pg);
    return NULL;
  }
  r->guestfs_int_fuse_entry_list_len = pg.n;
  r->guestfs_int_fuse_entry_list_val = pg.v;
  return r;
}

/* ---- Status ---- */

guestfs_int_fuse_entry *
do_fuse_lstat (const char *path)
{
  struct target t;
  if (open_target (path, &t) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = entry_of_target (path, &t);
  close_target (&t);
  return e;
}

guestfs_int_fuse_entry *
do_fuse_fstat (int64_t handle)
{
  int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  return entry_of_fd (fd);
}

/* ---- Open handles ---- */

#define OPEN_FLAGS_HONOURED                                                  \
  (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_SYNC | O_DSYNC | O_NOATIME)

static int
prefetch_into (guestfs_int_fuse_entry *e, int fd, int prefetch)
{
  size_t want = prefetch > PREFETCH_MAX ? PREFETCH_MAX : (size_t) prefetch;
  if (e->st_size >= 0 && (uint64_t) e->st_size < want)
    want = e->st_size;
  if (want == 0)
    return 0;
  char *buf = malloc (want);
  size_t got;
  if (buf == NULL || read_full (fd, buf, want, 0, &got) == -1) {
    free (buf);
    return -1;
  }
  e->data.data_val = buf;
  e->data.data_len = got;
  return 0;
}

/* Open and check that it is a regular file.  O_NONBLOCK keeps a FIFO
 * that raced into place from blocking the daemon. */
static int
open_regular (const char *path, int flags, int mode)
{
  int oflags = (flags & OPEN_FLAGS_HONOURED) | O_NOFOLLOW | O_NOCTTY |
               O_NONBLOCK;
  int fd;
  if (oflags & O_CREAT) {
    mode_t old = umask (0);
    fd = sysroot_open (path, oflags, mode & 07777);
    umask (old);
  } else
    fd = sysroot_open (path, oflags, 0);
  if (fd == -1)
    return -1;
  struct stat st;
  int err = 0;
  if (fstat (fd, &st) == -1)
    err = errno;
  else if (S_ISDIR (st.st_mode))
    err = EISDIR;
  else if (!S_ISREG (st.st_mode))
    err = EINVAL;
  if (err) {
    close (fd);
    errno = err;
    return -1;
  }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* Release a sequence of 8-byte big-endian handles.  Returns 0, or the
 * first errno and sets *bad to the handle that failed. */
static int
release_handles (const char *handles, size_t size, int64_t *bad)
{
  int first_err = 0;
  for (size_t i = 0; i < handle_list_count (size); ++i) {
    int64_t h = handle_list_get (handles, i);
    if (handle_close (h) == -1 && first_err == 0) {
      first_err = errno;
      *bad = h;
    }
  }
  return first_err;
}

guestfs_int_fuse_entry *
do_fuse_open (const char *path, int flags, int mode, int prefetch,
              const char *release, size_t release_size)
{
  int64_t bad;
  if (release_handles (release, release_size, &bad) != 0)
    debug ("fuse_open: could not release handle %" PRIi64, bad);
  int fd = open_regular (path, flags, mode);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = entry_of_fd (fd);
  if (e == NULL) {
    close (fd);
    return NULL;
  }
  if (prefetch > 0 && (flags & O_ACCMODE) != O_WRONLY &&
      prefetch_into (e, fd, prefetch) == -1) {
    reply_with_perror ("%s: read", path);
    goto fail;
  }
  e->handle = handle_add (fd);
  if (e->handle == -1) {
    reply_with_error_errno (EMFILE, "%s: too many open handles (the limit "
                            "is %d)", path, MAX_HANDLES);
    goto fail;
  }
  return e;

fail:
  close (fd);
  free_entry (e);
  return NULL;
}

char *
do_fuse_pread (int64_t handle, int count, int64_t offset, size_t *size_r)
{
  if (count < 0 || count > IO_MAX || offset < 0) {
    reply_with_error_errno (EINVAL, "count %d or offset %" PRIi64 " out of "
                            "range (count is at most %d)", count, offset,
                            IO_MAX);
    return NULL;
  }
  int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  char *buf = malloc (count ? count : 1);
  if (buf == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  if (read_full (fd, buf, count, offset, size_r) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    free (buf);
    return NULL;
  }
  /* A sequential reader: start reading what it will ask for next, so
   * that the disk works while this reply travels. */
  if (handle_read_continues (handle, offset, *size_r) &&
      *size_r == (size_t) count)
    posix_fadvise (fd, offset + count, READ_AHEAD, POSIX_FADV_WILLNEED);
  return buf;
}

int
do_fuse_pwrite (int64_t handle, const char *content, size_t content_size,
                int64_t offset)
{
  if (content_size > IO_MAX || offset < 0) {
    reply_with_error_errno (EINVAL, "%zu bytes at offset %" PRIi64 ": out "
                            "of range (at most %d bytes)", content_size,
                            offset, IO_MAX);
    return -1;
  }
  int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  handle_note_write (handle);
  size_t done = 0;
  while (done < content_size) {
    ssize_t r = pwrite (fd, content + done, content_size - done,
                        offset + done);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      reply_with_perror ("handle %" PRIi64, handle);
      return -1;
    }
    done += r;
  }
  return done;
}

int
do_fuse_fsync (int64_t handle, int datasync)
{
  int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  if ((datasync ? fdatasync (fd) : fsync (fd)) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return -1;
  }
  return 0;
}

int
do_fuse_close (const char *handles, size_t handles_size)
{
  if (!handle_list_whole (handles_size)) {
    reply_with_error_errno (EINVAL, "handles: %zu bytes is not a whole "
                            "number of 8-byte handles", handles_size);
    return -1;
  }
  int64_t first_bad = 0;
  int first_err = release_handles (handles, handles_size, &first_bad);
  if (first_err) {
    reply_with_perror_errno (first_err, "handle %" PRIi64, first_bad);
    return -1;
  }
  return 0;
}

int
do_fuse_fallocate (int64_t handle, int mode, int64_t offset, int64_t length)
{
  int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  if (fallocate (fd, mode, offset, length) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return -1;
  }
  return 0;
}

int64_t
do_fuse_lseek (int64_t handle, int64_t offset, int whence)
{
  if (whence != SEEK_DATA && whence != SEEK_HOLE) {
    reply_with_error_errno (EINVAL, "whence %d is not SEEK_DATA or "
                            "SEEK_HOLE", whence);
    return -1;
  }
  int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  off_t r = lseek (fd, offset, whence);
  if (r == -1) {
    reply_with_perror ("handle %" PRIi64 ": offset %" PRIi64, handle,
                       offset);
    return -1;
  }
  return r;
}

/* ---- Changing attributes ---- */

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
change_target (const char *path, const struct target *t,
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
  struct target t;
  if (open_target (path, &t) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = NULL;
  if (change_target (path, &t, &c) == -1)
    reply_with_perror ("%s", path);
  else
    e = entry_of_target (path, &t);
  close_target (&t);
  return e;
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
  int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  if (change_fd (fd, &c) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return NULL;
  }
  return entry_of_fd (fd);
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
  int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  if (change_fd (fd, &c) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return NULL;
  }
  return entry_of_fd (fd);
}

/* ---- Creating names ---- */

/* Open the parent of path for creating its last component. */
static int
open_parent_for_create (const char *path, char **base)
{
  int dirfd = sysroot_open_parent (path, base);
  if (dirfd == -1) {
    if (errno == EBUSY || errno == EINVAL)
      errno = EEXIST; /* "/", "." and ".." always exist */
    reply_with_perror ("%s", path);
  }
  return dirfd;
}

/* Make a new name with create, called in its parent directory with the
 * umask cleared (the caller's mode is exact), and return its entry. */
typedef int (*create_fn) (int dirfd, const char *base, const void *how);

static guestfs_int_fuse_entry *
create_and_describe (const char *path, create_fn create, const void *how)
{
  char *base;
  int dirfd = open_parent_for_create (path, &base);
  if (dirfd == -1)
    return NULL;
  mode_t old = umask (0);
  int r = create (dirfd, base, how);
  int err = errno;
  umask (old);
  guestfs_int_fuse_entry *e = NULL;
  if (r == -1)
    reply_with_perror_errno (err, "%s", path);
  else
    e = entry_at (path, dirfd, base, -1);
  close (dirfd);
  free (base);
  return e;
}

static int
create_dir (int dirfd, const char *base, const void *how)
{
  return mkdirat (dirfd, base, *(const mode_t *) how);
}

guestfs_int_fuse_entry *
do_fuse_mkdir (const char *path, int mode)
{
  mode_t m = mode & 07777;
  return create_and_describe (path, create_dir, &m);
}

struct node_spec {
  mode_t mode;
  dev_t rdev;
};

static int
create_node (int dirfd, const char *base, const void *how)
{
  const struct node_spec *n = how;
  return mknodat (dirfd, base, n->mode, n->rdev);
}

guestfs_int_fuse_entry *
do_fuse_mknod (const char *path, int mode, int64_t rdev)
{
  mode_t type = mode & S_IFMT;
  if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK &&
      type != S_IFCHR && type != S_IFBLK) {
    reply_with_error_errno (EINVAL, "%s: mode %#o is not a file type "
                            "mknod can create", path, mode);
    return NULL;
  }
  struct node_spec n = { .mode = mode & (S_IFMT | 07777), .rdev = rdev };
  return create_and_describe (path, create_node, &n);
}

static int
create_symlink (int dirfd, const char *base, const void *how)
{
  return symlinkat (how, dirfd, base);
}

guestfs_int_fuse_entry *
do_fuse_symlink (const char *target, const char *linkname)
{
  return create_and_describe (linkname, create_symlink, target);
}

guestfs_int_fuse_entry *
do_fuse_link (const char *target, const char *linkname)
{
  char *obase, *nbase;
  int odir = sysroot_open_parent (target, &obase);
  if (odir == -1) {
    reply_with_perror ("%s", target);
    return NULL;
  }
  int ndir = open_parent_for_create (linkname, &nbase);
  if (ndir == -1) {
    close (odir);
    free (obase);
    return NULL;
  }
  guestfs_int_fuse_entry *e = NULL;
  if (linkat (odir, obase, ndir, nbase, 0) == -1)
    reply_with_perror ("%s to %s", linkname, target);
  else
    e = entry_at (linkname, ndir, nbase, -1);
  close (odir);
  close (ndir);
  free (obase);
  free (nbase);
  return e;
}

int
do_fuse_rename (const char *oldpath, const char *newpath, int flags)
{
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) {
    reply_with_error_errno (EINVAL, "flags %#x: only RENAME_NOREPLACE and "
                            "RENAME_EXCHANGE are allowed", flags);
    return -1;
  }
  char *obase, *nbase;
  int odir = sysroot_open_parent (oldpath, &obase);
  if (odir == -1) {
    reply_with_perror ("%s", oldpath);
    return -1;
  }
  int ndir = sysroot_open_parent (newpath, &nbase);
  if (ndir == -1) {
    reply_with_perror ("%s", newpath);
    close (odir);
    free (obase);
    return -1;
  }
  int r = renameat2 (odir, obase, ndir, nbase, flags);
  if (r == -1)
    reply_with_perror ("%s to %s", oldpath, newpath);
  close (odir);
  close (ndir);
  free (obase);
  free (nbase);
  return r;
}

/* ---- Single extended attributes ---- */

/* Open path's target and make its xattr path (*xp, freed by the
 * caller, who also closes t).  Returns 0, or -1 after replying. */
static int
with_xattr_path (const char *path, const char **xp, bool *follow,
                 struct target *t)
{
  if (open_target (path, t) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  char *p = xattr_path (t->dirfd, t->base, t->fd, follow);
  if (p == NULL) {
    reply_with_perror ("malloc");
    close_target (t);
    return -1;
  }
  *xp = p;
  return 0;
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
  const char *xp;
  bool follow;
  struct target t;
  if (with_xattr_path (path, &xp, &follow, &t) == -1)
    return -1;
  int r = follow ? setxattr (xp, name, value, value_size, flags)
                 : lsetxattr (xp, name, value, value_size, flags);
  if (r == -1)
    reply_with_perror ("%s: %s", path, name);
  free ((char *) xp);
  close_target (&t);
  return r;
}

int
do_fuse_removexattr (const char *path, const char *name)
{
  const char *xp;
  bool follow;
  struct target t;
  if (with_xattr_path (path, &xp, &follow, &t) == -1)
    return -1;
  int r = follow ? removexattr (xp, name) : lremovexattr (xp, name);
  if (r == -1)
    reply_with_perror ("%s: %s", path, name);
  free ((char *) xp);
  close_target (&t);
  return r;
}

char *
do_fuse_getxattr (const char *path, const char *name, size_t *size_r)
{
  const char *xp;
  bool follow;
  struct target t;
  if (with_xattr_path (path, &xp, &follow, &t) == -1)
    return NULL;
  struct xattr_source src = { .path = xp, .follow = follow, .fd = -1 };
  char *buf = NULL;
  for (int tries = 0; tries < 5; ++tries) {
    ssize_t n = src_get (&src, name, NULL, 0);
    if (n == -1)
      break;
    free (buf);
    buf = malloc (n ? n : 1);
    if (buf == NULL)
      break;
    ssize_t m = src_get (&src, name, buf, n);
    if (m >= 0) {
      *size_r = m;
      free ((char *) xp);
      close_target (&t);
      return buf;
    }
    if (errno != ERANGE) /* ERANGE: it grew meanwhile, ask again */
      break;
  }
  reply_with_perror ("%s: %s", path, name);
  free (buf);
  free ((char *) xp);
  close_target (&t);
  return NULL;
}
