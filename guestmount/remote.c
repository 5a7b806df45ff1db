/* Daemon calls.
 *
 * Each wrapper makes one library call, turns a failure into -errno,
 * and checks what came back before anything else sees it: the daemon
 * runs next to a guest filesystem that may be hostile, so a file type
 * that does not exist, a name with a slash, a length that does not
 * add up or a listing that does not advance is an I/O error (or the
 * entry is skipped), never a crash or a loop.
 *
 * The library serialises calls on a handle.  Reads and I/O on open
 * files go through a small pool of channel handles (extra connections
 * to the same daemon, common/guestfs-channel.h), each served by a
 * thread of the daemon, so concurrent FUSE requests overlap; changes of
 * names (create, mkdir, rename, unlink, setattr by path...) stay on the
 * main handle.  Requests on one open file never overlap (its lock in
 * fileio.c is held across its I/O), so they keep their order whatever
 * channel carries them.  Nothing here holds a lock of ours across a
 * call.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "cleanup.h"
#include "fs.h"
#include "guestfs-channel.h"
#include "remote.h"

/* ---- The channel pool ---- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
/* Under pool_lock: */
static guestfs_h *pool[REMOTE_MAX_CHANNELS];
static bool pool_busy[REMOTE_MAX_CHANNELS];
static size_t pool_len;

int
remote_channels_open (int n)
{
  SCOPED_LOCK (&pool_lock);
  while (pool_len < (size_t) n && pool_len < REMOTE_MAX_CHANNELS) {
    guestfs_h *h = guestfs_int_open_channel (g);
    if (h == NULL) {
      debug ("extra channel: %s", guestfs_last_error (g));
      break;
    }
    pool[pool_len++] = h;
  }
  debug ("%zu extra channels", pool_len);
  return (int) pool_len;
}

void
remote_channels_close (void)
{
  SCOPED_LOCK (&pool_lock);
  for (size_t i = 0; i < pool_len; ++i)
    guestfs_close (pool[i]);
  pool_len = 0;
}

/* A channel for one call: a free one of the pool, else the main handle
 * (whose calls then queue in the library, as they do without a pool). */
static guestfs_h *
channel_take (void)
{
  SCOPED_LOCK (&pool_lock);
  for (size_t i = 0; i < pool_len; ++i)
    if (!pool_busy[i]) {
      pool_busy[i] = true;
      return pool[i];
    }
  return g;
}

static void
channel_give (guestfs_h **hp)
{
  if (*hp == g)
    return;
  SCOPED_LOCK (&pool_lock);
  for (size_t i = 0; i < pool_len; ++i)
    if (pool[i] == *hp)
      pool_busy[i] = false;
}

#define CLEANUP_CHANNEL __attribute__ ((cleanup (channel_give)))

static atomic_uint_fast64_t ncalls;

uint64_t
remote_calls (void)
{
  return atomic_load (&ncalls);
}

double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
count_call (void)
{
  atomic_fetch_add (&ncalls, 1);
}

/* The errno of the failed call.  A handle that is no longer READY
 * means the daemon (or qemu) went away: every later call would fail
 * too, so the mount is taken down. */
static int
failure (guestfs_h *h, const char *what)
{
  int err = guestfs_last_errno (h);
  const char *msg = guestfs_last_error (h);
  if (guestfs_is_ready (h) != 1) {
    err = EIO;
    fs_daemon_lost ();
  }
  if (err <= 0)
    err = EIO;
  debug ("%s: %s (errno %d)", what, msg ? msg : "error", err);
  return -err;
}

/* ---- Checking entries ---- */

static bool
valid_type (mode_t mode)
{
  switch (mode & S_IFMT) {
  case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK:
  case S_IFIFO: case S_IFSOCK:
    return true;
  default:
    return false;
  }
}

static long
clamp_nsec (int64_t nsec)
{
  return nsec >= 0 && nsec < 1000000000 ? (long) nsec : 0;
}

/* A name a directory may really hold. */
static bool
valid_name (const char *name)
{
  size_t len = strlen (name);
  return len > 0 && len <= NAME_MAX && strchr (name, '/') == NULL &&
         strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

/* Fill e from in (taking its strings and buffers).  Returns 0, or
 * -EIO if the entry cannot be real. */
static int
take_entry (struct guestfs_fuse_entry *in, struct rentry *e)
{
  memset (e, 0, sizeof *e);
  if (!valid_type (in->st_mode) || in->st_nlink < 0 || in->st_size < 0 ||
      in->st_blocks < 0 || in->st_uid < 0 || in->st_uid > UINT32_MAX ||
      in->st_gid < 0 || in->st_gid > UINT32_MAX || in->st_ino < 0)
    return -EIO;
  struct stat *st = &e->st;
  st->st_dev = in->st_dev;
  st->st_ino = in->st_ino;
  st->st_mode = in->st_mode & (S_IFMT | 07777);
  st->st_nlink = in->st_nlink;
  st->st_uid = in->st_uid;
  st->st_gid = in->st_gid;
  st->st_rdev = in->st_rdev;
  st->st_size = in->st_size;
  st->st_blksize = in->st_blksize;
  st->st_blocks = in->st_blocks;
  st->st_atim.tv_sec = in->st_atime_sec;
  st->st_atim.tv_nsec = clamp_nsec (in->st_atime_nsec);
  st->st_mtim.tv_sec = in->st_mtime_sec;
  st->st_mtim.tv_nsec = clamp_nsec (in->st_mtime_nsec);
  st->st_ctim.tv_sec = in->st_ctime_sec;
  st->st_ctim.tv_nsec = clamp_nsec (in->st_ctime_nsec);
  e->cookie = in->cookie;
  e->handle = in->handle;
  if (S_ISLNK (st->st_mode)) {
    if (in->link == NULL || strlen (in->link) >= PATH_MAX)
      return -EIO;
    e->link = in->link;
    in->link = NULL;
  }
  if ((in->flags & ENTRY_XATTRS_COMPLETE) &&
      xattrs_names (in->xattrs, in->xattrs_len, NULL, NULL) == 0) {
    e->xattrs = in->xattrs;
    e->xattrs_len = in->xattrs_len;
    e->xattrs_complete = true;
    in->xattrs = NULL;
  }
  e->data = in->data;
  e->data_len = in->data_len;
  in->data = NULL;
  e->name = in->name;
  in->name = NULL;
  return 0;
}

void
rentry_free (struct rentry *e)
{
  free (e->name);
  free (e->link);
  free (e->xattrs);
  free (e->data);
  memset (e, 0, sizeof *e);
}

/* Take a single-entry reply (NULL: the call failed). */
static int
take_single (guestfs_h *h, struct guestfs_fuse_entry *in, const char *what,
             struct rentry *e)
{
  if (in == NULL)
    return failure (h, what);
  int r = take_entry (in, e);
  guestfs_free_fuse_entry (in);
  if (r < 0) {
    rentry_free (e);
    debug ("%s: malformed reply from the daemon", what);
  }
  return r;
}

/* ---- Calls ---- */

int
remote_lstat (const char *path, struct rentry *e)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  return take_single (h, guestfs_fuse_lstat (h, path), path, e);
}

int
remote_fstat (int64_t handle, struct rentry *e)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  return take_single (h, guestfs_fuse_fstat (h, handle), "fstat", e);
}

/* Add one listed entry to page p, noting where the next page starts;
 * a name that could not be examined, or is not plausible, is skipped
 * (and p->skipped says so). */
static void
page_add (struct rpage *p, struct guestfs_fuse_entry *in)
{
  p->next = in->cookie;
  if (in->err != 0 || !valid_name (in->name)) {
    debug ("listing: skipping \"%s\" (error %d or not a valid name)",
           in->name, in->err);
    p->skipped = true;
    return;
  }
  if (take_entry (in, &p->v[p->n]) < 0) {
    rentry_free (&p->v[p->n]);
    debug ("listing: skipping \"%s\": malformed status", in->name);
    p->skipped = true;
    return;
  }
  ++p->n;
}

/* Keep the good entries of a page; note where the next page starts.
 * Returns 0, or -EIO if the page is not a plausible listing. */
static int
take_page (struct guestfs_fuse_entry_list *l, int64_t cookie,
           struct rpage *p)
{
  p->next = cookie;
  for (uint32_t i = 0; i < l->len; ++i) {
    struct guestfs_fuse_entry *in = &l->val[i];
    if (p->end)
      return -EIO; /* something after the end marker */
    if (in->name[0] == '\0') {
      if (!(in->flags & ENTRY_END))
        return -EIO;
      p->end = true;
      continue;
    }
    page_add (p, in);
  }
  if (!p->end && (l->len == 0 || p->next == cookie))
    return -EIO; /* no progress: the next page would be this one */
  return 0;
}

void
rpage_free (struct rpage *p)
{
  for (size_t i = 0; p->v && i < p->n; ++i)
    rentry_free (&p->v[i]);
  free (p->v);
  memset (p, 0, sizeof *p);
}

int
remote_readdir (const char *dir, int64_t cookie, struct rpage *p)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  memset (p, 0, sizeof *p);
  count_call ();
  struct guestfs_fuse_entry_list *l =
    guestfs_fuse_readdir (h, dir, cookie, READDIR_PAGE);
  if (l == NULL)
    return failure (h, dir);
  p->v = calloc (l->len ? l->len : 1, sizeof *p->v);
  int r = p->v ? take_page (l, cookie, p) : -ENOMEM;
  guestfs_free_fuse_entry_list (l);
  if (r < 0) {
    rpage_free (p);
    debug ("%s: malformed directory page from the daemon", dir);
  }
  return r;
}

void
rsections_free (struct rsection *v, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    rentry_free (&v[i].dir);
    rpage_free (&v[i].page);
  }
  free (v);
}

/* Split a tree reply into sections.  0, or -EIO if it is not the
 * sequence the action promises. */
static int
take_sections (struct guestfs_fuse_entry_list *l, struct rsection *v,
               size_t *n)
{
  struct rsection *cur = NULL;
  for (uint32_t i = 0; i < l->len; ++i) {
    struct guestfs_fuse_entry *in = &l->val[i];
    if (in->flags & ENTRY_SECTION) {
      if ((cur && !cur->page.end) || (cur == NULL && in->name[0]) ||
          (cur && in->name[0] == '\0'))
        return -EIO; /* only the last section may be incomplete */
      cur = &v[(*n)++];
      if (take_entry (in, &cur->dir) < 0 || !S_ISDIR (cur->dir.st.st_mode))
        return -EIO;
      uint32_t entries = 0;
      while (i + 1 + entries < l->len &&
             !(l->val[i + 1 + entries].flags & ENTRY_SECTION))
        ++entries;
      cur->page.v = calloc (entries ? entries : 1, sizeof *cur->page.v);
      if (cur->page.v == NULL)
        return -ENOMEM;
      continue;
    }
    if (cur == NULL || cur->page.end)
      return -EIO;
    if (in->name[0] == '\0') {
      if (!(in->flags & ENTRY_END))
        return -EIO;
      cur->page.end = true;
      continue;
    }
    page_add (&cur->page, in);
  }
  return *n > 0 ? 0 : -EIO;
}

int
remote_readdir_tree (const char *dir, size_t budget, struct rsection **v,
                     size_t *n)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  struct guestfs_fuse_entry_list *l =
    guestfs_fuse_readdir_tree (h, dir, budget, READDIR_TREE_DIRS);
  if (l == NULL)
    return failure (h, dir);
  *n = 0;
  *v = calloc (l->len ? l->len : 1, sizeof **v);
  int r = *v ? take_sections (l, *v, n) : -ENOMEM;
  guestfs_free_fuse_entry_list (l);
  if (r < 0) {
    rsections_free (*v, *n);
    *v = NULL;
    *n = 0;
    debug ("%s: malformed directory tree from the daemon", dir);
  }
  return r;
}

int
remote_read_files (const char *dir, char *const *names, struct rpage *p)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  memset (p, 0, sizeof *p);
  size_t asked = 0;
  while (names[asked])
    ++asked;
  count_call ();
  struct guestfs_fuse_entry_list *l =
    guestfs_fuse_read_files (h, dir, names, READDIR_PAGE);
  if (l == NULL)
    return failure (h, dir);
  int r = 0;
  p->v = calloc (l->len ? l->len : 1, sizeof *p->v);
  if (p->v == NULL)
    r = -ENOMEM;
  for (uint32_t i = 0; r == 0 && i < l->len; ++i) {
    struct guestfs_fuse_entry *in = &l->val[i];
    /* The reply answers the names asked, in order, and no more. */
    if (i >= asked || strcmp (in->name, names[i]) != 0 ||
        in->data_len > (uint64_t) in->st_size) {
      r = -EIO;
      break;
    }
    if (in->err != 0)
      continue;
    if (take_entry (in, &p->v[p->n]) < 0) {
      rentry_free (&p->v[p->n]);
      continue;
    }
    ++p->n;
  }
  guestfs_free_fuse_entry_list (l);
  if (r < 0) {
    rpage_free (p);
    debug ("%s: malformed files from the daemon", dir);
  }
  return r;
}

/* The creating calls' optional owner: uid and gid are the first two
 * optional arguments of each, so one bitmask serves them all. */
#define CREATOR_BITS                                                         \
  (GUESTFS_FUSE_MKDIR_OPTS_UID_BITMASK | GUESTFS_FUSE_MKDIR_OPTS_GID_BITMASK)
_Static_assert (CREATOR_BITS == (GUESTFS_FUSE_OPEN_OPTS_UID_BITMASK |
                                 GUESTFS_FUSE_OPEN_OPTS_GID_BITMASK) &&
                CREATOR_BITS == (GUESTFS_FUSE_MKNOD_OPTS_UID_BITMASK |
                                 GUESTFS_FUSE_MKNOD_OPTS_GID_BITMASK) &&
                CREATOR_BITS == (GUESTFS_FUSE_SYMLINK_OPTS_UID_BITMASK |
                                 GUESTFS_FUSE_SYMLINK_OPTS_GID_BITMASK),
                "the creating calls number uid and gid alike");
#define CREATOR_ARGV(type, cr)                                               \
  ((cr) ? (struct type) { .bitmask = CREATOR_BITS, .uid = (cr)->uid,        \
                          .gid = (cr)->gid }                                 \
        : (struct type) { .bitmask = 0 })

int
remote_open (const char *path, int flags, mode_t mode,
             const struct creator *cr, int prefetch, const int64_t *release,
             size_t nr_release, struct rentry *e)
{
  /* A creation stays on the main connection, with the other
   * changes of names. */
  CLEANUP_CHANNEL guestfs_h *h = flags & O_CREAT ? g : channel_take ();
  char *rel = handle_list_pack (release, nr_release);
  if (rel == NULL)
    return -ENOMEM;
  struct guestfs_fuse_open_opts_argv o =
    CREATOR_ARGV (guestfs_fuse_open_opts_argv, cr);
  count_call ();
  int r = take_single (h, guestfs_fuse_open_opts_argv (
                         h, path, flags, mode, prefetch, rel,
                         nr_release * HANDLE_LIST_ITEM, &o),
                       path, e);
  free (rel);
  if (r == 0 && (e->data_len > (size_t) prefetch ||
                 e->data_len > (uint64_t) e->st.st_size ||
                 !S_ISREG (e->st.st_mode) || e->handle < 0)) {
    rentry_free (e);
    debug ("%s: malformed open reply from the daemon", path);
    return -EIO;
  }
  return r;
}

int
remote_pread (int64_t handle, size_t count, off_t offset, char **buf,
              size_t *len)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  *buf = guestfs_fuse_pread (h, handle, count, offset, len);
  if (*buf == NULL)
    return failure (h, "pread");
  if (*len > count) {
    free (*buf);
    *buf = NULL;
    return -EIO;
  }
  return 0;
}

int
remote_extents (int64_t handle, char **buf, size_t *len)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  *buf = guestfs_fuse_extents (h, handle, len);
  if (*buf == NULL) {
    debug ("extents: %s", guestfs_last_error (h));
    return failure (h, "extents");
  }
  return 0;
}

int
remote_pwrite (int64_t handle, const char *buf, size_t len, off_t offset)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  int r = guestfs_fuse_pwrite (h, handle, buf, len, offset);
  if (r == -1)
    return failure (h, "pwrite");
  if ((size_t) r != len)
    return -EIO; /* the daemon writes everything or fails */
  return r;
}

int
remote_fsync (int64_t handle, bool datasync)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  if (guestfs_fuse_fsync (h, handle, datasync) == -1)
    return failure (h, "fsync");
  return 0;
}

int
remote_close (const int64_t *handles, size_t n)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  char *buf = handle_list_pack (handles, n);
  if (buf == NULL)
    return -ENOMEM;
  count_call ();
  int r = guestfs_fuse_close (h, buf, n * HANDLE_LIST_ITEM);
  free (buf);
  return r == -1 ? failure (h, "close") : 0;
}

int
remote_fallocate (int64_t handle, int mode, off_t offset, off_t length)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  if (guestfs_fuse_fallocate (h, handle, mode, offset, length) == -1)
    return failure (h, "fallocate");
  return 0;
}

int64_t
remote_lseek (int64_t handle, off_t offset, int whence)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  int64_t r = guestfs_fuse_lseek (h, handle, offset, whence);
  if (r == -1)
    return failure (h, "lseek");
  if (r < 0)
    return -EIO;
  return r;
}

/* The optional arguments of a change (fuse_setattr's; the other
 * setattr-like calls have the same fields in the same order). */
static struct guestfs_fuse_setattr_argv
change_args (const struct attr_change *c)
{
  struct guestfs_fuse_setattr_argv a = { .bitmask = 0 };
  const struct stat *st = &c->st;
  if (c->valid & FUSE_SET_ATTR_SIZE) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_SIZE_BITMASK;
    a.size = st->st_size;
  }
  if (c->valid & FUSE_SET_ATTR_UID) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_UID_BITMASK;
    a.uid = st->st_uid;
  }
  if (c->valid & FUSE_SET_ATTR_GID) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_GID_BITMASK;
    a.gid = st->st_gid;
  }
  if (c->valid & FUSE_SET_ATTR_MODE) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_MODE_BITMASK;
    a.mode = st->st_mode & 07777;
  }
  if (c->valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW)) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_ATIME_SEC_BITMASK |
                 GUESTFS_FUSE_SETATTR_ATIME_NSEC_BITMASK;
    a.atime_sec = st->st_atim.tv_sec;
    a.atime_nsec = (c->valid & FUSE_SET_ATTR_ATIME_NOW) ? UTIME_NOW
                                                         : st->st_atim.tv_nsec;
  }
  if (c->valid & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
    a.bitmask |= GUESTFS_FUSE_SETATTR_MTIME_SEC_BITMASK |
                 GUESTFS_FUSE_SETATTR_MTIME_NSEC_BITMASK;
    a.mtime_sec = st->st_mtim.tv_sec;
    a.mtime_nsec = (c->valid & FUSE_SET_ATTR_MTIME_NOW) ? UTIME_NOW
                                                         : st->st_mtim.tv_nsec;
  }
  return a;
}

int
remote_setattr (const char *path, int64_t handle, const struct attr_change *c,
                struct rentry *e)
{
  struct guestfs_fuse_setattr_argv a = change_args (c);
  count_call ();
  if (handle >= 0) {
    struct guestfs_fuse_fsetattr_argv fa = {
      .bitmask = a.bitmask, .size = a.size, .uid = a.uid, .gid = a.gid,
      .mode = a.mode, .atime_sec = a.atime_sec, .atime_nsec = a.atime_nsec,
      .mtime_sec = a.mtime_sec, .mtime_nsec = a.mtime_nsec,
    };
    return take_single (g, guestfs_fuse_fsetattr_argv (g, handle, &fa),
                        "setattr", e);
  }
  return take_single (g, guestfs_fuse_setattr_argv (g, path, &a), path, e);
}

int
remote_pwrite_setattr (int64_t handle, const char *buf, size_t len,
                       off_t offset, const struct attr_change *c,
                       struct rentry *e)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  struct guestfs_fuse_setattr_argv a = change_args (c);
  struct guestfs_fuse_pwrite_setattr_argv pa = {
    .bitmask = a.bitmask, .size = a.size, .uid = a.uid, .gid = a.gid,
    .mode = a.mode, .atime_sec = a.atime_sec, .atime_nsec = a.atime_nsec,
    .mtime_sec = a.mtime_sec, .mtime_nsec = a.mtime_nsec,
  };
  count_call ();
  return take_single (h, guestfs_fuse_pwrite_setattr_argv (h, handle, buf, len,
                                                        offset, &pa),
                      "write", e);
}

int
remote_mkdir (const char *path, mode_t mode, const struct creator *cr,
              struct rentry *e)
{
  struct guestfs_fuse_mkdir_opts_argv o =
    CREATOR_ARGV (guestfs_fuse_mkdir_opts_argv, cr);
  count_call ();
  return take_single (g, guestfs_fuse_mkdir_opts_argv (g, path, mode, &o), path,
                      e);
}

int
remote_mknod (const char *path, mode_t mode, dev_t rdev,
              const struct creator *cr, struct rentry *e)
{
  struct guestfs_fuse_mknod_opts_argv o =
    CREATOR_ARGV (guestfs_fuse_mknod_opts_argv, cr);
  count_call ();
  return take_single (g, guestfs_fuse_mknod_opts_argv (g, path, mode, rdev, &o),
                      path, e);
}

int
remote_symlink (const char *target, const char *path,
                const struct creator *cr, struct rentry *e)
{
  struct guestfs_fuse_symlink_opts_argv o =
    CREATOR_ARGV (guestfs_fuse_symlink_opts_argv, cr);
  count_call ();
  return take_single (g, guestfs_fuse_symlink_opts_argv (g, target, path, &o),
                      path, e);
}

int
remote_link (const char *target, const char *path, struct rentry *e)
{
  count_call ();
  return take_single (g, guestfs_fuse_link (g, target, path), path, e);
}

int
remote_unlink (const char *path)
{
  count_call ();
  return guestfs_rm (g, path) == -1 ? failure (g, path) : 0;
}

int
remote_rmdir (const char *path)
{
  count_call ();
  return guestfs_rmdir (g, path) == -1 ? failure (g, path) : 0;
}

int
remote_rename (const char *from, const char *to, int flags)
{
  count_call ();
  return guestfs_fuse_rename (g, from, to, flags) == -1 ? failure (g, from) : 0;
}

int
remote_setxattr (const char *path, const char *name, const char *value,
                 size_t size, int flags)
{
  count_call ();
  if (guestfs_fuse_setxattr (g, path, name, value, size, flags) == -1)
    return failure (g, path);
  return 0;
}

int
remote_removexattr (const char *path, const char *name)
{
  count_call ();
  if (guestfs_fuse_removexattr (g, path, name) == -1)
    return failure (g, path);
  return 0;
}

int
remote_getxattr (const char *path, const char *name, char **value,
                 size_t *size)
{
  CLEANUP_CHANNEL guestfs_h *h = channel_take ();
  count_call ();
  *value = guestfs_fuse_getxattr (h, path, name, size);
  return *value ? 0 : failure (h, path);
}

int
remote_listxattr (const char *path, char **names, size_t *len)
{
  count_call ();
  struct guestfs_xattr_list *l = guestfs_lgetxattrs (g, path);
  if (l == NULL)
    return failure (g, path);
  size_t total = 0;
  for (uint32_t i = 0; i < l->len; ++i)
    total += strlen (l->val[i].attrname) + 1;
  *names = malloc (total ? total : 1);
  if (*names == NULL) {
    guestfs_free_xattr_list (l);
    return -ENOMEM;
  }
  size_t pos = 0;
  for (uint32_t i = 0; i < l->len; ++i) {
    size_t n = strlen (l->val[i].attrname) + 1;
    memcpy (*names + pos, l->val[i].attrname, n);
    pos += n;
  }
  *len = total;
  guestfs_free_xattr_list (l);
  return 0;
}

int
remote_statvfs (const char *path, struct statvfs *sv)
{
  count_call ();
  struct guestfs_statvfs *r = guestfs_statvfs (g, path);
  if (r == NULL)
    return failure (g, path);
  memset (sv, 0, sizeof *sv);
  sv->f_bsize = r->bsize;
  sv->f_frsize = r->frsize;
  sv->f_blocks = r->blocks;
  sv->f_bfree = r->bfree;
  sv->f_bavail = r->bavail;
  sv->f_files = r->files;
  sv->f_ffree = r->ffree;
  sv->f_favail = r->favail;
  sv->f_fsid = r->fsid;
  sv->f_flag = r->flag;
  sv->f_namemax = r->namemax;
  guestfs_free_statvfs (r);
  return 0;
}

int
remote_sync (void)
{
  count_call ();
  return guestfs_sync (g) == -1 ? failure (g, "sync") : 0;
}
