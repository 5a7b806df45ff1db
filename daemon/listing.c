/* Listings: fuse_readdir (a page of a directory), fuse_readdir_tree
 * (the directories below one, breadth first) and fuse_read_files
 * (several small files of a directory, contents included).  Each
 * listed name comes as a whole fuse_entry (entry.c), so that listing
 * a directory answers every question about its names at once; a name
 * that cannot be examined is reported in its entry's err, not as an
 * error of the call.  A reply stops at a byte budget the caller
 * chooses within PAGE_MIN..PAGE_MAX, and the caller asks again.
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
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"
#include "entry-format.h"
#include "entry.h"

#define PAGE_MAX (3 * 1024 * 1024)       /* the largest reply */
#define PAGE_MIN (64 * 1024)

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

/* The reply: the page's entries as a list (the page is taken over). */
static guestfs_int_fuse_entry_list *
page_to_list (struct page *pg)
{
  guestfs_int_fuse_entry_list *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    page_free (pg);
    return NULL;
  }
  r->guestfs_int_fuse_entry_list_len = pg->n;
  r->guestfs_int_fuse_entry_list_val = pg->v;
  return r;
}

/* The byte budget of a reply the caller asked to be about size. */
static size_t
page_budget (int size)
{
  return size < PAGE_MIN ? PAGE_MIN
         : size > PAGE_MAX ? PAGE_MAX : (size_t) size;
}

/* While the names of one directory are examined, the daemon (which
 * serves one request at a time) works in that directory, so that the
 * xattr calls take the bare name instead of walking /proc/self/fd/N
 * for every name: the walk costs more than the call itself. */
static __thread int dir_cwd = -1, saved_cwd = -1;

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
  entry_fill_stat (e, &st);
  if (S_ISLNK (st.st_mode) && entry_read_link (e, dirfd, name) == -1) {
    e->err = errno;
    return;
  }
  char xp[64 + NAME_MAX];
  if (dirfd == dir_cwd)
    snprintf (xp, sizeof xp, "%s", name);
  else
    snprintf (xp, sizeof xp, "/proc/self/fd/%d/%s", dirfd, name);
  entry_collect_xattrs_at (e, xp);
}

/* Add the entry for one dirent.  Returns 1 if added, 0 if the page is
 * full (nothing added), -1 on allocation failure. */
static int
page_add_dirent (struct page *pg, size_t budget, int dirfd,
                 const struct dirent64 *d)
{
  guestfs_int_fuse_entry *e = page_new_entry (pg);
  if (e == NULL || entry_init (e, d->d_name) == -1)
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
  if (e == NULL || entry_init (e, "") == -1)
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
  static __thread char buf[64 * 1024];
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
  size_t budget = page_budget (size);
  struct page pg = { 0 };
  if (fill_page (&pg, fd, budget) == -1) {
    reply_with_perror ("%s", dir);
    page_free (&pg);
    close (fd);
    return NULL;
  }
  close (fd);
  return page_to_list (&pg);
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
  if (e == NULL || entry_init (e, rel) == -1)
    return -1;
  entry_fill_stat (e, &st);
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
  size_t budget = page_budget (size);
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
  return page_to_list (&pg);

fail:
  dirqueue_free (&q);
  page_free (&pg);
  return NULL;
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
  entry_fill_stat (e, &a->st);
  entry_collect_xattrs_fd (e, a->fd);
  size_t want = a->st.st_size < FILE_DATA_MAX ? (size_t) a->st.st_size
                                              : FILE_DATA_MAX;
  char *buf = malloc (want ? want : 1);
  ssize_t got = buf ? pread_full (a->fd, buf, want, 0) : -1;
  if (got == -1) {
    e->err = buf ? errno : ENOMEM;
    free (buf);
  } else {
    e->data.data_val = buf;
    e->data.data_len = got;
  }
  /* The contents are on their way to the host, which caches them: the
   * guest need not (see drop_behind in handles.c). */
  posix_fadvise (a->fd, 0, 0, POSIX_FADV_DONTNEED);
  close (a->fd);
  a->fd = -1;
}

guestfs_int_fuse_entry_list *
do_fuse_read_files (const char *dir, char *const *names, int size)
{
  size_t budget = page_budget (size);
  for (size_t i = 0; names[i]; ++i)
    if (name_needs_full_resolution (names[i])) {
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
    if (e == NULL || entry_init (e, names[i]) == -1) {
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
  return page_to_list (&pg);
}
