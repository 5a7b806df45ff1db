/* The FUSE low-level operations.
 *
 * Each operation finds its nodes, builds guest paths under the cache
 * lock, makes at most one daemon call without the lock (two for a few
 * rare fallbacks), stores the result, and replies.  Status comes from
 * the cache when it is fresh; every change made through the mount
 * invalidates exactly what it changed (cache.c), and the kernel keeps
 * its own entry and attribute caches for the same time.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"
#include "fs.h"

static struct fuse_session *session;

#define TRACE(fs, ...)                                                       \
  do {                                                                       \
    if (config.trace)                                                        \
      gm_message (fs, ##__VA_ARGS__);                                        \
  } while (0)

/* Reply with an error (err > 0) or success (0), traced. */
static void
reply_err (fuse_req_t req, const char *op, int err)
{
  if (err)
    TRACE ("%s = %s", op, strerror (err));
  else
    TRACE ("%s = ok", op);
  fuse_reply_err (req, err);
}

/* ---- Kernel cache invalidation, from a thread of its own ----
 *
 * The kernel must not be told to drop a cached name or inode from
 * inside an operation that holds its locks, so requests are queued
 * here and sent by a separate thread. */

struct inval {
  struct inval *next;
  fuse_ino_t ino;
  char *name; /* NULL: the inode's attributes */
};

static pthread_mutex_t inval_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inval_cond = PTHREAD_COND_INITIALIZER;
static struct inval *inval_head;
static bool inval_stop;
static pthread_t inval_thread;
static bool inval_started;

static void
queue_inval (fuse_ino_t ino, const char *name)
{
  struct inval *iv = malloc (sizeof *iv);
  if (iv == NULL)
    return;
  iv->ino = ino;
  iv->name = name ? strdup (name) : NULL;
  if (name && iv->name == NULL) {
    free (iv);
    return;
  }
  pthread_mutex_lock (&inval_lock);
  iv->next = inval_head;
  inval_head = iv;
  pthread_cond_signal (&inval_cond);
  pthread_mutex_unlock (&inval_lock);
}

static void *
inval_main (void *arg)
{
  (void) arg;
  pthread_mutex_lock (&inval_lock);
  for (;;) {
    while (inval_head == NULL && !inval_stop)
      pthread_cond_wait (&inval_cond, &inval_lock);
    if (inval_head == NULL)
      break;
    struct inval *iv = inval_head;
    inval_head = iv->next;
    pthread_mutex_unlock (&inval_lock);
    if (iv->name)
      fuse_lowlevel_notify_inval_entry (session, iv->ino, iv->name,
                                        strlen (iv->name));
    else
      fuse_lowlevel_notify_inval_inode (session, iv->ino, -1, 0);
    free (iv->name);
    free (iv);
    pthread_mutex_lock (&inval_lock);
  }
  pthread_mutex_unlock (&inval_lock);
  return NULL;
}

static void
stale_name (struct node *dir, const char *name)
{
  queue_inval (node_id (dir), name);
}

/* ---- Helpers ---- */

/* Whether a name can be sent to the daemon (the kernel checks too). */
static int
check_name (const char *name)
{
  if (strlen (name) > NAME_MAX)
    return ENAMETOOLONG;
  return 0;
}

static struct fh *
fh_of (struct fuse_file_info *fi)
{
  return fi ? (struct fh *) (uintptr_t) fi->fh : NULL;
}

struct dirh {
  struct node *dir;     /* referenced */
  struct listing *l;    /* referenced, or NULL */
};

/* Reply with an entry for n, counting the kernel's new reference.
 * st is the status to report, fresh whether it may be cached. */
static void
give_entry (fuse_req_t req, const char *op, struct node *n,
            const struct stat *st, bool fresh)
{
  struct fuse_entry_param ep;
  memset (&ep, 0, sizeof ep);
  cache_lock ();
  ++n->nlookup;
  ep.ino = node_id (n);
  ep.generation = n->generation;
  cache_unlock ();
  report_stat (st, &ep.attr);
  ep.attr_timeout = fresh ? config.attr_timeout : 0;
  ep.entry_timeout = config.entry_timeout;
  TRACE ("%s = ino %lld", op, (long long) st->st_ino);
  if (fuse_reply_entry (req, &ep) != 0) {
    cache_lock ();
    node_forget (n, 1);
    cache_unlock ();
  }
}

static void
give_negative (fuse_req_t req, const char *op)
{
  struct fuse_entry_param ep;
  memset (&ep, 0, sizeof ep);
  ep.entry_timeout = config.negative_timeout;
  TRACE ("%s = no such file", op);
  fuse_reply_entry (req, &ep);
}

static void
give_attr (fuse_req_t req, const char *op, const struct stat *st, bool fresh)
{
  struct stat out;
  report_stat (st, &out);
  TRACE ("%s = ino %lld size %lld mode %o", op, (long long) st->st_ino,
         (long long) st->st_size, st->st_mode);
  fuse_reply_attr (req, &out, fresh ? config.attr_timeout : 0);
}

/* Fetch n's status: by an open handle if it has one (which also works
 * after the last name is gone), else by path.  Fills e; returns 0 or
 * -errno.  *start is the epoch before the call. */
static int
fetch_status (struct node *n, struct fh *fh, struct rentry *e,
              uint64_t *start)
{
  struct fh *tmp = NULL;
  int64_t h = fh && fh->handle >= 0 ? fh->handle : node_open_handle (n, &tmp);
  char *path = NULL;
  cache_lock ();
  *start = cache_epoch ();
  if (h < 0)
    path = node_path (n);
  cache_unlock ();
  int r;
  if (h >= 0)
    r = remote_fstat (h, e);
  else if (path)
    r = remote_lstat (path, e);
  else
    r = -ENOENT;
  if (tmp)
    fh_put (tmp);
  if (r == 0 && !node_is (n, &e->st)) {
    /* The name now belongs to another file (changed outside). */
    rentry_free (e);
    r = -ESTALE;
  }
  free (path);
  return r;
}

/* The fresh status of n, from the cache or the daemon. */
static int
node_status (struct node *n, struct fh *fh, struct stat *st, bool *fresh)
{
  node_flush_writes (n);
  cache_lock ();
  if (node_attrs_fresh (n)) {
    *st = n->st;
    *fresh = true;
    cache_unlock ();
    return 0;
  }
  cache_unlock ();
  struct rentry e;
  uint64_t start;
  int r = fetch_status (n, fh, &e, &start);
  if (r < 0)
    return r;
  *st = e.st;
  cache_lock ();
  *fresh = node_update (n, &e, start);
  cache_unlock ();
  rentry_free (&e);
  return 0;
}

/* ---- Lookup and status ---- */

static void
gm_lookup (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  TRACE ("lookup (%#lx, \"%s\")", (unsigned long) parent, name);
  int err = check_name (name);
  if (err) {
    reply_err (req, "lookup", err);
    return;
  }
  struct node *dir = node_of (parent), *n;
  cache_lock ();
  int hit = cache_lookup (dir, name, &n);
  if (hit == 1) {
    struct stat st = n->st;
    cache_unlock ();
    give_entry (req, "lookup", n, &st, true);
    goto done;
  }
  cache_unlock ();
  if (hit == 0) {
    give_negative (req, "lookup");
    return;
  }
  if (n)
    node_flush_writes (n); /* its status must include them */
  cache_lock ();
  node_unref (n);
  uint64_t start = cache_epoch ();
  char *path = child_path (dir, name);
  cache_unlock ();
  if (path == NULL) {
    reply_err (req, "lookup", errno);
    return;
  }
  struct rentry e;
  int r = remote_lstat (path, &e);
  free (path);
  if (r == -ENOENT || r == -ENOTDIR) {
    cache_lock ();
    cache_negative (dir, name, start);
    cache_unlock ();
    give_negative (req, "lookup");
    return;
  }
  if (r < 0) {
    reply_err (req, "lookup", -r);
    return;
  }
  bool fresh;
  cache_lock ();
  n = cache_enter (dir, name, &e, start, &fresh);
  cache_unlock ();
  if (n == NULL)
    reply_err (req, "lookup", ENOMEM);
  else
    give_entry (req, "lookup", n, &e.st, fresh);
  rentry_free (&e);
done:
  cache_lock ();
  node_unref (n);
  cache_unlock ();
}

static void
gm_forget (fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
  cache_lock ();
  node_forget (node_of (ino), nlookup);
  cache_unlock ();
  fuse_reply_none (req);
}

static void
gm_forget_multi (fuse_req_t req, size_t count,
                 struct fuse_forget_data *forgets)
{
  cache_lock ();
  for (size_t i = 0; i < count; ++i)
    node_forget (node_of (forgets[i].ino), forgets[i].nlookup);
  cache_unlock ();
  fuse_reply_none (req);
}

static void
gm_getattr (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("getattr (%#lx)", (unsigned long) ino);
  struct stat st;
  bool fresh;
  int r = node_status (node_of (ino), fh_of (fi), &st, &fresh);
  if (r < 0)
    reply_err (req, "getattr", -r);
  else
    give_attr (req, "getattr", &st, fresh);
}

static void
gm_setattr (fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
            struct fuse_file_info *fi)
{
  TRACE ("setattr (%#lx, valid %#x)", (unsigned long) ino, to_set);
  if (config.read_only) {
    reply_err (req, "setattr", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  struct attr_change c = {
    .valid = to_set & (FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_MODE |
                       FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID |
                       FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
                       FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW),
    .st = *attr,
  };
  /* Buffered writes land first: a later one would undo a truncation
   * or a time set by cp -p.  Those of this very file go in the same
   * call as the change. */
  struct fh *fh = fh_of (fi), *tmp = NULL;
  /* futimens and fchmod come without the file: any file of the node
   * with writes waiting will do. */
  struct fh *dirty = fh ? NULL : node_dirty_file (n);
  if (dirty)
    fh = dirty;
  node_flush_writes_except (n, fh);
  struct rentry e;
  int r = fh ? fh_flush_with_change (fh, &c, &e) : 0;
  if (dirty) {
    fh_put (dirty);
    fh = NULL;
  }
  if (r != 0)
    goto done;
  int64_t h = fh && fh->handle >= 0 ? fh->handle : -1;
  cache_lock ();
  char *path = node_path (n);
  cache_unlock ();
  if (h < 0 && path == NULL)
    h = node_open_handle (n, &tmp); /* no name left: only a handle */
  r = (h < 0 && path == NULL) ? -ENOENT : remote_setattr (path, h, &c, &e);
  free (path);
done:
  if (tmp)
    fh_put (tmp);
  if (r < 0) {
    reply_err (req, "setattr", -r);
    return;
  }
  if (c.valid & FUSE_SET_ATTR_SIZE)
    atomic_fetch_add (&n->data_gen, 1);
  cache_lock ();
  node_changed (n);
  bool fresh = node_update (n, &e, cache_epoch ());
  cache_unlock ();
  give_attr (req, "setattr", &e.st, fresh);
  rentry_free (&e);
}

static void
gm_readlink (fuse_req_t req, fuse_ino_t ino)
{
  TRACE ("readlink (%#lx)", (unsigned long) ino);
  struct node *n = node_of (ino);
  cache_lock ();
  /* A symbolic link's target never changes: no expiry. */
  char *link = n->link ? strdup (n->link) : NULL;
  cache_unlock ();
  if (link == NULL) {
    struct stat st;
    bool fresh;
    cache_lock ();
    n->st_expires = 0; /* the target comes with a fresh status */
    cache_unlock ();
    int r = node_status (n, NULL, &st, &fresh);
    if (r < 0) {
      reply_err (req, "readlink", -r);
      return;
    }
    cache_lock ();
    link = n->link ? strdup (n->link) : NULL;
    cache_unlock ();
    if (link == NULL) {
      reply_err (req, "readlink", S_ISLNK (st.st_mode) ? ENOMEM : EINVAL);
      return;
    }
  }
  TRACE ("readlink = \"%s\"", link);
  fuse_reply_readlink (req, link);
  free (link);
}

/* ---- Creating and removing names ---- */

/* Store a new entry dir/name and reply with it. */
static void
give_created (fuse_req_t req, const char *op, struct node *dir,
              const char *name, struct rentry *e)
{
  bool fresh;
  cache_lock ();
  struct node *n = cache_created (dir, name, e, &fresh);
  cache_unlock ();
  if (n == NULL) {
    reply_err (req, op, ENOMEM);
    return;
  }
  give_entry (req, op, n, &e->st, fresh);
  cache_lock ();
  node_unref (n);
  cache_unlock ();
}

/* The guest path of dir/name, or NULL after replying. */
static char *
path_for_new (fuse_req_t req, const char *op, struct node *dir,
              const char *name)
{
  int err = config.read_only ? EROFS : check_name (name);
  if (err) {
    reply_err (req, op, err);
    return NULL;
  }
  cache_lock ();
  char *path = child_path (dir, name);
  cache_unlock ();
  if (path == NULL)
    reply_err (req, op, errno);
  return path;
}

static void
gm_mknod (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
          dev_t rdev)
{
  TRACE ("mknod (%#lx, \"%s\", %o)", (unsigned long) parent, name, mode);
  struct node *dir = node_of (parent);
  char *path = path_for_new (req, "mknod", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  int r = remote_mknod (path, mode, rdev, &e);
  free (path);
  if (r < 0)
    reply_err (req, "mknod", -r);
  else {
    give_created (req, "mknod", dir, name, &e);
    rentry_free (&e);
  }
}

static void
gm_mkdir (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
  TRACE ("mkdir (%#lx, \"%s\", %o)", (unsigned long) parent, name, mode);
  struct node *dir = node_of (parent);
  char *path = path_for_new (req, "mkdir", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  int r = remote_mkdir (path, mode & 07777, &e);
  free (path);
  if (r < 0)
    reply_err (req, "mkdir", -r);
  else {
    give_created (req, "mkdir", dir, name, &e);
    rentry_free (&e);
  }
}

static void
gm_symlink (fuse_req_t req, const char *link, fuse_ino_t parent,
            const char *name)
{
  TRACE ("symlink (\"%s\", %#lx, \"%s\")", link, (unsigned long) parent,
         name);
  struct node *dir = node_of (parent);
  char *path = path_for_new (req, "symlink", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  int r = remote_symlink (link, path, &e);
  free (path);
  if (r < 0)
    reply_err (req, "symlink", -r);
  else {
    give_created (req, "symlink", dir, name, &e);
    rentry_free (&e);
  }
}

static void
gm_link (fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
         const char *newname)
{
  TRACE ("link (%#lx, %#lx, \"%s\")", (unsigned long) ino,
         (unsigned long) newparent, newname);
  struct node *n = node_of (ino), *dir = node_of (newparent);
  char *path = path_for_new (req, "link", dir, newname);
  if (path == NULL)
    return;
  cache_lock ();
  char *target = node_path (n);
  cache_unlock ();
  if (target == NULL) {
    reply_err (req, "link", errno);
    free (path);
    return;
  }
  struct rentry e;
  int r = remote_link (target, path, &e);
  free (target);
  free (path);
  if (r < 0)
    reply_err (req, "link", -r);
  else {
    give_created (req, "link", dir, newname, &e);
    rentry_free (&e);
  }
}

static void
remove_name (fuse_req_t req, const char *op, fuse_ino_t parent,
             const char *name, int (*call) (const char *))
{
  TRACE ("%s (%#lx, \"%s\")", op, (unsigned long) parent, name);
  struct node *dir = node_of (parent);
  char *path = path_for_new (req, op, dir, name);
  if (path == NULL)
    return;
  int r = call (path);
  free (path);
  if (r == 0) {
    cache_lock ();
    cache_removed (dir, name);
    cache_unlock ();
  }
  reply_err (req, op, -r);
}

static void
gm_unlink (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  remove_name (req, "unlink", parent, name, remote_unlink);
}

static void
gm_rmdir (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  remove_name (req, "rmdir", parent, name, remote_rmdir);
}

static void
gm_rename (fuse_req_t req, fuse_ino_t parent, const char *name,
           fuse_ino_t newparent, const char *newname, unsigned int flags)
{
  TRACE ("rename (%#lx, \"%s\", %#lx, \"%s\", %#x)", (unsigned long) parent,
         name, (unsigned long) newparent, newname, flags);
  if (flags & ~(unsigned) (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
    reply_err (req, "rename", EINVAL);
    return;
  }
  struct node *d1 = node_of (parent), *d2 = node_of (newparent);
  char *from = path_for_new (req, "rename", d1, name);
  if (from == NULL)
    return;
  char *to = path_for_new (req, "rename", d2, newname);
  if (to == NULL) {
    free (from);
    return;
  }
  int r = remote_rename (from, to, flags);
  free (from);
  free (to);
  if (r == 0) {
    cache_lock ();
    cache_renamed (d1, name, d2, newname, flags);
    cache_unlock ();
  }
  reply_err (req, "rename", -r);
}

/* ---- Files ---- */

/* Reply to an open with the file set up around its contents (which
 * it takes, even on failure). */
static bool
give_prefetched (fuse_req_t req, struct node *n, struct fuse_file_info *fi,
                 char *data, size_t len, bool whole)
{
  struct fh *fh = fh_new_prefetched (n, data, len, whole, fi->flags);
  if (fh == NULL)
    return false;
  fi->fh = (uintptr_t) fh;
  fi->keep_cache = 1;
  fi->noflush = 1;
  TRACE ("open = %zu bytes fetched ahead", len);
  if (fuse_reply_open (req, fi) != 0)
    fh_release (fh);
  return true;
}

/* A read-only open when the directory is being read file after file:
 * the contents of this file (and of the next ones, in one round trip)
 * replace the open.  Returns true if it replied. */
static bool
open_prefetched (fuse_req_t req, struct node *n, struct fuse_file_info *fi)
{
  char *data;
  size_t len;
  bool whole;
  cache_lock ();
  bool have = node_take_fdata (n, &data, &len, &whole);
  struct node *dir = n->names ? n->names->parent : NULL;
  char **names = NULL;
  char *dirpath = NULL;
  uint64_t start = cache_epoch ();
  if (!have && dir && cache_plan_batch (dir, n, &names) > 0) {
    dirpath = node_path (dir);
    node_ref (dir);
  }
  cache_unlock ();
  if (have)
    return give_prefetched (req, n, fi, data, len, whole);
  if (names == NULL)
    return false;
  struct rpage page;
  int r = dirpath ? remote_read_files (dirpath, names, &page) : -ENOENT;
  cache_lock ();
  if (r == 0) {
    cache_store_files (dir, &page, start);
    have = node_take_fdata (n, &data, &len, &whole);
  }
  node_unref (dir);
  cache_unlock ();
  if (r == 0)
    rpage_free (&page);
  for (size_t i = 0; names[i]; ++i)
    free (names[i]);
  free (names);
  free (dirpath);
  return have && give_prefetched (req, n, fi, data, len, whole);
}

static void
gm_open (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("open (%#lx, flags %#o)", (unsigned long) ino, fi->flags);
  int flags = fi->flags;
  int acc = flags & O_ACCMODE;
  if (config.read_only && (acc != O_RDONLY || (flags & O_TRUNC))) {
    reply_err (req, "open", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  if (acc == O_RDONLY && !(flags & O_TRUNC) && !config.direct_io &&
      open_prefetched (req, n, fi))
    return;
  if (flags & O_TRUNC)
    node_flush_writes (n);
  cache_lock ();
  char *path = node_path (n);
  cache_unlock ();
  if (path == NULL) {
    reply_err (req, "open", errno);
    return;
  }
  int prefetch = acc != O_WRONLY && !(flags & O_TRUNC) ? OPEN_PREFETCH : 0;
  int64_t rel[RELEASE_BATCH];
  size_t nrel = release_take (rel, RELEASE_BATCH);
  struct rentry e;
  int r = remote_open (path, flags & ~(O_CREAT | O_EXCL), 0, prefetch, rel,
                       nrel, &e);
  free (path);
  if (r == 0 && !node_is (n, &e.st)) {
    /* The name now belongs to another file (changed outside). */
    int64_t h = e.handle;
    remote_close (&h, 1);
    rentry_free (&e);
    r = -ESTALE;
  }
  if (r < 0) {
    reply_err (req, "open", -r);
    return;
  }
  if (flags & O_TRUNC)
    atomic_fetch_add (&n->data_gen, 1);
  cache_lock ();
  node_changed (n);
  node_update (n, &e, cache_epoch ());
  cache_unlock ();
  struct fh *fh = fh_new (n, &e, flags, prefetch);
  if (fh == NULL) {
    int64_t h = e.handle;
    remote_close (&h, 1);
    rentry_free (&e);
    reply_err (req, "open", ENOMEM);
    return;
  }
  rentry_free (&e);
  fi->fh = (uintptr_t) fh;
  fi->keep_cache = 1; /* all changes to the data go through the kernel */
  fi->direct_io = config.direct_io;
  fi->noflush = acc == O_RDONLY;
  TRACE ("open = handle %lld", (long long) fh->handle);
  if (fuse_reply_open (req, fi) != 0)
    fh_release (fh);
}

static void
gm_create (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
           struct fuse_file_info *fi)
{
  TRACE ("create (%#lx, \"%s\", %o, flags %#o)", (unsigned long) parent,
         name, mode, fi->flags);
  struct node *dir = node_of (parent);
  char *path = path_for_new (req, "create", dir, name);
  if (path == NULL)
    return;
  int64_t rel[RELEASE_BATCH];
  size_t nrel = release_take (rel, RELEASE_BATCH);
  struct rentry e;
  int r = remote_open (path, fi->flags | O_CREAT, mode & 07777, 0, rel, nrel,
                       &e);
  free (path);
  if (r < 0) {
    reply_err (req, "create", -r);
    return;
  }
  bool fresh;
  cache_lock ();
  struct node *n = cache_created (dir, name, &e, &fresh);
  if (n)
    ++n->nlookup;
  cache_unlock ();
  struct fh *fh = n ? fh_new (n, &e, fi->flags, 0) : NULL;
  if (fh == NULL) {
    int64_t h = e.handle;
    remote_close (&h, 1);
    reply_err (req, "create", ENOMEM);
    goto out;
  }
  struct fuse_entry_param ep;
  memset (&ep, 0, sizeof ep);
  ep.ino = node_id (n);
  ep.generation = n->generation;
  report_stat (&e.st, &ep.attr);
  ep.attr_timeout = fresh ? config.attr_timeout : 0;
  ep.entry_timeout = config.entry_timeout;
  fi->fh = (uintptr_t) fh;
  fi->keep_cache = 1;
  fi->direct_io = config.direct_io;
  TRACE ("create = ino %lld handle %lld", (long long) e.st.st_ino,
         (long long) fh->handle);
  if (fuse_reply_create (req, &ep, fi) != 0) {
    fh_release (fh);
    cache_lock ();
    node_forget (n, 1);
    cache_unlock ();
  }
out:
  if (n) {
    cache_lock ();
    if (fh == NULL)
      node_forget (n, 1);
    node_unref (n);
    cache_unlock ();
  }
  rentry_free (&e);
}

static void
gm_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
         struct fuse_file_info *fi)
{
  TRACE ("read (%#lx, %zu bytes at %lld)", (unsigned long) ino, size,
         (long long) off);
  int r = fh_read (fh_of (fi), size, off, req);
  if (r < 0)
    reply_err (req, "read", -r);
}

static void
gm_write (fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
          off_t off, struct fuse_file_info *fi)
{
  TRACE ("write (%#lx, %zu bytes at %lld)", (unsigned long) ino, size,
         (long long) off);
  if (config.read_only) {
    reply_err (req, "write", EROFS);
    return;
  }
  int r = fh_write (fh_of (fi), buf, size, off);
  if (r < 0)
    reply_err (req, "write", -r);
  else
    fuse_reply_write (req, r);
}

static void
gm_flush (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("flush (%#lx)", (unsigned long) ino);
  reply_err (req, "flush", -fh_flush (fh_of (fi)));
}

static void
gm_release (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("release (%#lx)", (unsigned long) ino);
  fh_release (fh_of (fi));
  reply_err (req, "release", 0);
}

static void
gm_fsync (fuse_req_t req, fuse_ino_t ino, int datasync,
          struct fuse_file_info *fi)
{
  TRACE ("fsync (%#lx, %d)", (unsigned long) ino, datasync);
  struct fh *fh = fh_of (fi);
  int r = fh_flush (fh);
  if (r == 0 && fh->handle >= 0) /* none: nothing written through it */
    r = remote_fsync (fh->handle, datasync);
  reply_err (req, "fsync", -r);
}

static void
gm_fallocate (fuse_req_t req, fuse_ino_t ino, int mode, off_t offset,
              off_t length, struct fuse_file_info *fi)
{
  TRACE ("fallocate (%#lx, %#x, %lld, %lld)", (unsigned long) ino, mode,
         (long long) offset, (long long) length);
  if (config.read_only) {
    reply_err (req, "fallocate", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  node_flush_writes (n);
  int r = remote_fallocate (fh_of (fi)->handle, mode, offset, length);
  atomic_fetch_add (&n->data_gen, 1);
  cache_lock ();
  node_changed (n);
  cache_unlock ();
  reply_err (req, "fallocate", -r);
}

static void
gm_lseek (fuse_req_t req, fuse_ino_t ino, off_t off, int whence,
          struct fuse_file_info *fi)
{
  TRACE ("lseek (%#lx, %lld, %d)", (unsigned long) ino, (long long) off,
         whence);
  if (whence != SEEK_DATA && whence != SEEK_HOLE) {
    reply_err (req, "lseek", EINVAL);
    return;
  }
  node_flush_writes (node_of (ino));
  int64_t h;
  int64_t r = fh_handle (fh_of (fi), &h);
  if (r == 0)
    r = remote_lseek (h, off, whence);
  if (r < 0)
    reply_err (req, "lseek", -r);
  else {
    TRACE ("lseek = %lld", (long long) r);
    fuse_reply_lseek (req, r);
  }
}

/* ---- Directories ---- */

static void
gm_opendir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("opendir (%#lx)", (unsigned long) ino);
  struct dirh *dh = calloc (1, sizeof *dh);
  if (dh == NULL) {
    reply_err (req, "opendir", ENOMEM);
    return;
  }
  struct node *n = node_of (ino);
  cache_lock ();
  dh->dir = n;
  node_ref (n);
  /* The kernel may keep what it cached of this directory as long as
   * our own listing is still valid: both see every change made
   * through the mount. */
  bool valid = n->listing && n->listing->complete &&
               n->listing->expires > now ();
  cache_unlock ();
  fi->fh = (uintptr_t) dh;
  fi->cache_readdir = 1;
  fi->keep_cache = valid;
  if (fuse_reply_open (req, fi) != 0) {
    cache_lock ();
    node_unref (n);
    cache_unlock ();
    free (dh);
  }
}

static void
gm_releasedir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("releasedir (%#lx)", (unsigned long) ino);
  struct dirh *dh = (struct dirh *) (uintptr_t) fi->fh;
  cache_lock ();
  listing_unref (dh->l);
  node_unref (dh->dir);
  cache_unlock ();
  free (dh);
  fuse_reply_err (req, 0);
}

/* Fetch the next page of l (unless another reader just did).  0 or
 * -errno. */
static int
fetch_more (struct node *dir, struct listing *l, size_t have)
{
  pthread_mutex_lock (&l->fetch_lock);
  cache_lock ();
  if (l->complete || l->error || l->n > have) {
    int err = l->error;
    cache_unlock ();
    pthread_mutex_unlock (&l->fetch_lock);
    return -err;
  }
  char *path = node_path (dir);
  int64_t cookie = l->next_cookie;
  uint64_t start = cache_epoch ();
  /* Walking a tree: the directories below come in the same trip. */
  size_t budget = cookie == 0 && l->n == 0 ? cache_walk_budget (dir) : 0;
  bool tree = budget > 0;
  cache_unlock ();
  int r = path ? 0 : -errno;
  struct rpage page;
  struct rsection *sections = NULL;
  size_t nsections = 0;
  if (r == 0 && tree)
    r = remote_readdir_tree (path, budget, &sections, &nsections);
  else if (r == 0)
    r = remote_readdir (path, cookie, &page);
  free (path);
  cache_lock ();
  if (r < 0)
    l->error = -r;
  else if (tree)
    cache_store_tree (dir, l, sections, nsections, start);
  else
    listing_add_page (dir, l, &page, start);
  /* A reply that neither adds, ends nor moves on would be asked for
   * again and again: the daemon is not listing this directory. */
  if (r == 0 && l->n == have && !l->complete && l->next_cookie == cookie &&
      l->error == 0) {
    l->error = EIO;
    r = -EIO;
  }
  cache_unlock ();
  if (r == 0 && tree)
    rsections_free (sections, nsections);
  else if (r == 0)
    rpage_free (&page);
  pthread_mutex_unlock (&l->fetch_lock);
  return r;
}

/* Nodes given to the kernel in one reply, to take back if it fails. */
struct given {
  struct node **v;
  size_t n, cap;
};

static int
given_add (struct given *gv, struct node *n)
{
  if (gv->n == gv->cap) {
    size_t cap = gv->cap ? gv->cap * 2 : 32;
    struct node **nv = realloc (gv->v, cap * sizeof *nv);
    if (nv == NULL)
      return -1;
    gv->v = nv;
    gv->cap = cap;
  }
  gv->v[gv->n++] = n;
  return 0;
}

/* Add one entry at buf+used; returns the bytes it took, or 0 if it
 * does not fit (or cannot be recorded). */
static size_t
add_entry (fuse_req_t req, bool plus, char *buf, size_t room,
           const char *name, const struct stat *st, struct node *n,
           bool fresh, off_t next, struct given *gv)
{
  if (!plus)
    return fuse_add_direntry (req, buf, room, name, st, next);
  struct fuse_entry_param ep;
  memset (&ep, 0, sizeof ep);
  report_stat (st, &ep.attr);
  /* A status that is not fresh is left out: ino 0 makes the kernel
   * list the name without caching anything for it. */
  if (n && fresh) {
    ep.ino = node_id (n);
    ep.generation = n->generation;
    ep.attr_timeout = config.attr_timeout;
    ep.entry_timeout = config.entry_timeout;
  }
  size_t need = fuse_add_direntry_plus (req, NULL, 0, name, &ep, next);
  if (need > room)
    return 0;
  if (ep.ino) {
    if (given_add (gv, n) == -1)
      return 0;
    ++n->nlookup;
  }
  return fuse_add_direntry_plus (req, buf, room, name, &ep, next);
}

/* The entry at position idx of the directory (0 ".", 1 "..").
 * Returns 1 with st/name/n set, 0 at the end, -1 to skip (a name
 * removed since the listing was made), or -errno.  Lock held. */
static int
entry_at (struct dirh *dh, off_t idx, struct stat *st, const char **name,
          struct node **n, bool *fresh)
{
  struct node *dir = dh->dir;
  *n = NULL;
  *fresh = false;
  if (idx < 2) {
    memset (st, 0, sizeof *st);
    st->st_mode = S_IFDIR;
    st->st_ino = reported_ino (dir->dev, dir->ino);
    if (idx == 1 && dir->names)
      st->st_ino = reported_ino (dir->names->parent->dev,
                                 dir->names->parent->ino);
    *name = idx == 0 ? "." : "..";
    return 1;
  }
  struct listing *l = dh->l;
  size_t i = idx - 2;
  if (i >= l->n)
    return l->error ? -l->error : 0;
  struct dentry *d = l->v[i];
  if (d->child == NULL)
    return -1;
  *n = d->child;
  *st = d->child->st;
  *fresh = node_attrs_fresh (d->child) && atomic_load (&d->child->dirty) == 0;
  *name = d->name;
  return 1;
}

static void
do_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
            struct fuse_file_info *fi, bool plus)
{
  const char *op = plus ? "readdirplus" : "readdir";
  TRACE ("%s (%#lx, %zu bytes at %lld)", op, (unsigned long) ino, size,
         (long long) off);
  struct dirh *dh = (struct dirh *) (uintptr_t) fi->fh;
  cache_lock ();
  if (off == 0 || dh->l == NULL) {
    listing_unref (dh->l);
    dh->l = listing_for (dh->dir);
  }
  cache_unlock ();
  char *buf = malloc (size);
  if (dh->l == NULL || buf == NULL) {
    free (buf);
    reply_err (req, op, ENOMEM);
    return;
  }
  size_t used = 0;
  struct given gv = { 0 };
  int err = 0;
  for (off_t idx = off;; ++idx) {
    struct stat st;
    const char *name;
    struct node *n;
    bool fresh;
    cache_lock ();
    size_t have = dh->l->n;
    int r = entry_at (dh, idx, &st, &name, &n, &fresh);
    if (r == -1) {
      cache_unlock ();
      continue;
    }
    if (r == 0 && !dh->l->complete) {
      cache_unlock ();
      int f = fetch_more (dh->dir, dh->l, have);
      if (f == 0) {
        --idx; /* try this position again */
        continue;
      }
      r = f;
      cache_lock ();
    }
    if (r <= 0) {
      cache_unlock ();
      if (r < 0 && used == 0)
        err = -r;
      break;
    }
    size_t k = add_entry (req, plus, buf + used, size - used, name, &st, n,
                          fresh, idx + 1, &gv);
    cache_unlock ();
    if (k == 0)
      break;
    used += k;
  }
  if (err) {
    reply_err (req, op, err);
  } else {
    TRACE ("%s = %zu bytes", op, used);
    if (fuse_reply_buf (req, buf, used) != 0) {
      cache_lock ();
      for (size_t i = 0; i < gv.n; ++i)
        node_forget (gv.v[i], 1);
      cache_unlock ();
    }
  }
  free (gv.v);
  free (buf);
}

static void
gm_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
            struct fuse_file_info *fi)
{
  do_readdir (req, ino, size, off, fi, false);
}

static void
gm_readdirplus (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                struct fuse_file_info *fi)
{
  do_readdir (req, ino, size, off, fi, true);
}

static void
gm_fsyncdir (fuse_req_t req, fuse_ino_t ino, int datasync,
             struct fuse_file_info *fi)
{
  TRACE ("fsyncdir (%#lx)", (unsigned long) ino);
  /* Directory entries have no handle: make everything durable. */
  reply_err (req, "fsyncdir", config.read_only ? 0 : -remote_sync ());
}

/* ---- Filesystem ---- */

static void
gm_statfs (fuse_req_t req, fuse_ino_t ino)
{
  TRACE ("statfs (%#lx)", (unsigned long) ino);
  release_flush (); /* space held by released files shows as free */
  cache_lock ();
  char *path = node_path (node_of (ino));
  cache_unlock ();
  struct statvfs sv;
  int r = remote_statvfs (path ? path : "/", &sv);
  free (path);
  if (r < 0)
    reply_err (req, "statfs", -r);
  else
    fuse_reply_statfs (req, &sv);
}

static void
gm_access (fuse_req_t req, fuse_ino_t ino, int mask)
{
  TRACE ("access (%#lx, %#o)", (unsigned long) ino, mask);
  struct stat st;
  bool fresh;
  int r = node_status (node_of (ino), NULL, &st, &fresh);
  if (r < 0) {
    reply_err (req, "access", -r);
    return;
  }
  if (mask == F_OK) {
    reply_err (req, "access", 0);
    return;
  }
  if ((mask & W_OK) && config.read_only) {
    reply_err (req, "access", EROFS);
    return;
  }
  struct stat rep;
  report_stat (&st, &rep);
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  int bits;
  if (ctx->uid == 0) {
    /* root: anything, but executing needs an x bit somewhere. */
    bits = R_OK | W_OK;
    if (S_ISDIR (rep.st_mode) || (rep.st_mode & 0111))
      bits |= X_OK;
  } else {
    int shift = 0;
    if (ctx->uid == rep.st_uid)
      shift = 6;
    else {
      bool in_group = ctx->gid == rep.st_gid;
      gid_t groups[64];
      int ng = fuse_req_getgroups (req, 64, groups);
      for (int i = 0; !in_group && i < ng && i < 64; ++i)
        in_group = groups[i] == rep.st_gid;
      shift = in_group ? 3 : 0;
    }
    bits = (rep.st_mode >> shift) & 7;
  }
  reply_err (req, "access", (mask & ~bits) ? EACCES : 0);
}

/* ---- Extended attributes ---- */

static void
give_xattr (fuse_req_t req, const char *op, const char *value, size_t len,
            size_t size)
{
  if (size == 0) {
    TRACE ("%s = size %zu", op, len);
    fuse_reply_xattr (req, len);
  } else if (len > size)
    reply_err (req, op, ERANGE);
  else {
    TRACE ("%s = %zu bytes", op, len);
    fuse_reply_buf (req, value, len);
  }
}

/* Make n's xattr cache fresh (a status call brings them along).
 * Writes do not matter here: the kernel asks for security.capability
 * before every write, and that must not cost a round trip.  Returns
 * 0, or -errno. */
static int
refresh_xattrs (struct node *n)
{
  cache_lock ();
  bool ok = node_xattrs_fresh (n);
  if (!ok)
    n->st_expires = 0;
  cache_unlock ();
  if (ok)
    return 0;
  struct stat st;
  bool fresh;
  return node_status (n, NULL, &st, &fresh);
}

static void
gm_getxattr (fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
  TRACE ("getxattr (%#lx, \"%s\", %zu)", (unsigned long) ino, name, size);
  struct node *n = node_of (ino);
  int r = refresh_xattrs (n);
  if (r < 0) {
    reply_err (req, "getxattr", -r);
    return;
  }
  cache_lock ();
  if (n->xattrs_valid) {
    const char *v;
    size_t vlen;
    int f = xattrs_find (n->xattrs, n->xattrs_len, name, &v, &vlen);
    if (f == 1)
      give_xattr (req, "getxattr", v, vlen, size);
    cache_unlock ();
    if (f != 1)
      reply_err (req, "getxattr", f == 0 ? ENODATA : EIO);
    return;
  }
  /* Too many or too large to come with the status: ask for this one. */
  char *path = node_path (n);
  cache_unlock ();
  if (path == NULL) {
    reply_err (req, "getxattr", errno);
    return;
  }
  char *value;
  size_t len;
  r = remote_getxattr (path, name, &value, &len);
  free (path);
  if (r < 0)
    reply_err (req, "getxattr", -r);
  else {
    give_xattr (req, "getxattr", value, len, size);
    free (value);
  }
}

static void
gm_listxattr (fuse_req_t req, fuse_ino_t ino, size_t size)
{
  TRACE ("listxattr (%#lx, %zu)", (unsigned long) ino, size);
  struct node *n = node_of (ino);
  int r = refresh_xattrs (n);
  if (r < 0) {
    reply_err (req, "listxattr", -r);
    return;
  }
  char *names = NULL;
  size_t len = 0;
  cache_lock ();
  char *path = NULL;
  if (n->xattrs_valid)
    r = xattrs_names (n->xattrs, n->xattrs_len, &names, &len) == 0 ? 0
                                                                   : -EIO;
  else if ((path = node_path (n)) == NULL)
    r = -errno;
  cache_unlock ();
  if (path)
    r = remote_listxattr (path, &names, &len);
  free (path);
  if (r < 0)
    reply_err (req, "listxattr", -r);
  else
    give_xattr (req, "listxattr", names, len, size);
  free (names);
}

static bool
is_acl (const char *name)
{
  return strcmp (name, "system.posix_acl_access") == 0 ||
         strcmp (name, "system.posix_acl_default") == 0;
}

/* After a change of n's xattrs: they and the status are stale (an
 * ACL can change the mode, which the kernel has cached too). */
static void
xattrs_done (struct node *n, const char *name)
{
  cache_lock ();
  node_xattrs_changed (n);
  cache_unlock ();
  if (is_acl (name))
    queue_inval (node_id (n), NULL);
}

/* The permission bits an access ACL amounts to if it is minimal
 * (only the owner, group and other entries, as acl_from_mode makes
 * them), or -1.  Format: version 2, then 8-byte entries (16-bit tag,
 * 16-bit permissions, 32-bit id), all little-endian. */
static int
minimal_acl_mode (const char *value, size_t size)
{
  static const unsigned tags[3] = { 0x01, 0x04, 0x20 };
  const unsigned char *v = (const unsigned char *) value;
  if (size != 4 + 3 * 8 || v[0] != 2 || v[1] || v[2] || v[3])
    return -1;
  int mode = 0;
  for (int i = 0; i < 3; ++i) {
    const unsigned char *ent = v + 4 + 8 * i;
    unsigned tag = ent[0] | ent[1] << 8, perm = ent[2] | ent[3] << 8;
    if (tag != tags[i] || perm > 7)
      return -1;
    mode = mode << 3 | perm;
  }
  return mode;
}

/* Setting a minimal access ACL that matches the mode, on a file that
 * has no ACL, changes nothing but the change time: cp -a does it for
 * every file it copies.  Answer it without a round trip. */
static bool
acl_is_noop (struct node *n, const char *name, const char *value,
             size_t size, int flags)
{
  if (flags != 0 || strcmp (name, "system.posix_acl_access") != 0)
    return false;
  int mode = minimal_acl_mode (value, size);
  if (mode < 0)
    return false;
  const char *v;
  size_t len;
  cache_lock ();
  bool noop = node_attrs_fresh (n) && node_xattrs_fresh (n) &&
              (int) (n->st.st_mode & 0777) == mode &&
              xattrs_find (n->xattrs, n->xattrs_len, name, &v, &len) == 0;
  cache_unlock ();
  return noop;
}

static void
gm_setxattr (fuse_req_t req, fuse_ino_t ino, const char *name,
             const char *value, size_t size, int flags)
{
  TRACE ("setxattr (%#lx, \"%s\", %zu bytes, %#x)", (unsigned long) ino,
         name, size, flags);
  if (config.read_only) {
    reply_err (req, "setxattr", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  if (acl_is_noop (n, name, value, size, flags)) {
    reply_err (req, "setxattr (no change)", 0);
    return;
  }
  cache_lock ();
  char *path = node_path (n);
  cache_unlock ();
  int r = path ? remote_setxattr (path, name, value, size, flags) : -errno;
  free (path);
  if (r == 0)
    xattrs_done (n, name);
  reply_err (req, "setxattr", -r);
}

static void
gm_removexattr (fuse_req_t req, fuse_ino_t ino, const char *name)
{
  TRACE ("removexattr (%#lx, \"%s\")", (unsigned long) ino, name);
  if (config.read_only) {
    reply_err (req, "removexattr", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  const char *v;
  size_t len;
  cache_lock ();
  /* Known to be absent (cp -a removes default ACLs it never set). */
  bool absent = node_xattrs_fresh (n) &&
                xattrs_find (n->xattrs, n->xattrs_len, name, &v, &len) == 0;
  char *path = absent ? NULL : node_path (n);
  cache_unlock ();
  if (absent) {
    reply_err (req, "removexattr", ENODATA);
    return;
  }
  int r = path ? remote_removexattr (path, name) : -errno;
  free (path);
  if (r == 0)
    xattrs_done (n, name);
  reply_err (req, "removexattr", -r);
}

/* ---- Session ---- */

static void
gm_init (void *userdata, struct fuse_conn_info *conn)
{
  (void) userdata;
  unsigned want = FUSE_CAP_ATOMIC_O_TRUNC | FUSE_CAP_READDIRPLUS |
                  FUSE_CAP_CACHE_SYMLINKS | FUSE_CAP_AUTO_INVAL_DATA |
                  FUSE_CAP_ASYNC_READ | FUSE_CAP_PARALLEL_DIROPS;
  conn->want |= want & conn->capable;
  /* Always readdirplus: a listing already carries every status. */
  conn->want &= ~(FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_WRITEBACK_CACHE |
                  FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
                  FUSE_CAP_SPLICE_MOVE);
  conn->max_write = FUSE_IO_MAX;
  conn->max_read = 0; /* no limit below the kernel's own */
  conn->max_readahead = FUSE_IO_MAX;
  conn->time_gran = 1;
  debug ("kernel capabilities %#x, using %#x; max_write %u",
         conn->capable, conn->want, conn->max_write);
}

static void
gm_destroy (void *userdata)
{
  (void) userdata;
  fileio_finish ();
}

static const struct fuse_lowlevel_ops ops = {
  .init = gm_init,
  .destroy = gm_destroy,
  .lookup = gm_lookup,
  .forget = gm_forget,
  .forget_multi = gm_forget_multi,
  .getattr = gm_getattr,
  .setattr = gm_setattr,
  .readlink = gm_readlink,
  .mknod = gm_mknod,
  .mkdir = gm_mkdir,
  .symlink = gm_symlink,
  .link = gm_link,
  .unlink = gm_unlink,
  .rmdir = gm_rmdir,
  .rename = gm_rename,
  .open = gm_open,
  .create = gm_create,
  .read = gm_read,
  .write = gm_write,
  .flush = gm_flush,
  .release = gm_release,
  .fsync = gm_fsync,
  .fallocate = gm_fallocate,
  .lseek = gm_lseek,
  .opendir = gm_opendir,
  .readdir = gm_readdir,
  .readdirplus = gm_readdirplus,
  .releasedir = gm_releasedir,
  .fsyncdir = gm_fsyncdir,
  .statfs = gm_statfs,
  .access = gm_access,
  .getxattr = gm_getxattr,
  .listxattr = gm_listxattr,
  .setxattr = gm_setxattr,
  .removexattr = gm_removexattr,
};

struct fuse_session *
fs_new_session (struct fuse_args *args)
{
  cache_stale_name_hook = stale_name;
  session = fuse_session_new (args, &ops, sizeof ops, NULL);
  return session;
}

int
fs_start_background (void)
{
  if (pthread_create (&inval_thread, NULL, inval_main, NULL) != 0)
    return -1;
  inval_started = true;
  return 0;
}

void
fs_stop_background (void)
{
  if (!inval_started)
    return;
  pthread_mutex_lock (&inval_lock);
  inval_stop = true;
  pthread_cond_signal (&inval_cond);
  pthread_mutex_unlock (&inval_lock);
  pthread_join (inval_thread, NULL);
  inval_started = false;
}
