/* Lookup, status and attributes: lookup, forget, getattr, setattr,
 * readlink, access, statfs.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "fs-ops.h"

/* Fetch n's status: by an open handle if it has one (which also works
 * after the last name is gone), else by path.  Fills e; returns 0 or
 * -errno.  *start is the epoch before the call. */
static int
fetch_status (struct node *n, struct fh *fh, struct rentry *e,
              uint64_t *start)
{
  struct fh *tmp = NULL;
  int64_t h = fh && fh->handle >= 0 ? fh->handle : node_open_handle (n, &tmp);
  CLEANUP_FREE char *path = NULL;
  {
    SCOPED_LOCK (&cache_mutex);
    *start = cache_epoch ();
    if (h < 0)
      path = node_path (n);
  }
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
  return r;
}

int
node_status (struct node *n, struct fh *fh, struct stat *st, bool *fresh)
{
  node_flush_writes (n);
  {
    SCOPED_LOCK (&cache_mutex);
    if (node_attrs_fresh (n)) {
      *st = n->st;
      *fresh = true;
      return 0;
    }
  }
  struct rentry e;
  uint64_t start;
  int r = fetch_status (n, fh, &e, &start);
  if (r < 0)
    return r;
  *st = e.st;
  {
    SCOPED_LOCK (&cache_mutex);
    *fresh = node_update (n, &e, start);
  }
  rentry_free (&e);
  return 0;
}

bool
store_change (struct node *n, struct rentry *e)
{
  SCOPED_LOCK (&cache_mutex);
  node_changed (n);
  return node_update (n, e, cache_epoch ());
}

/* ---- Lookup ---- */

/* What the cache knows of dir/name: see cache_lookup (*st: the status
 * of *n when the answer is 1). */
static int
lookup_cached (struct node *dir, const char *name, struct node **n,
               struct stat *st)
{
  SCOPED_LOCK (&cache_mutex);
  int hit = cache_lookup (dir, name, n);
  if (hit == 1)
    *st = (*n)->st;
  return hit;
}

/* Is this miss in dir part of a lookup walk (LOOKUP_WALK_WINDOW)? */
static bool
lookup_walk (struct node *dir)
{
  double t = now ();
  SCOPED_LOCK (&cache_mutex);
  bool walk = dir->last_miss > t - LOOKUP_WALK_WINDOW;
  dir->last_miss = t;
  return walk;
}

void
gm_lookup (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  TRACE ("lookup (%#lx, \"%s\")", (unsigned long) parent, name);
  int err = check_name (name);
  if (err) {
    reply_err (req, "lookup", err);
    return;
  }
  struct node *dir = node_of (parent), *n;
  struct stat st;
  int hit = lookup_cached (dir, name, &n, &st);
  if (hit == -1 && lookup_walk (dir) && dir_list_whole (dir) == 0) {
    cache_unref (n);
    hit = lookup_cached (dir, name, &n, &st);
  }
  if (hit == 1) {
    give_entry (req, "lookup", n, &st, true);
    cache_unref (n);
    return;
  }
  if (hit == 0) {
    give_negative (req, "lookup");
    return;
  }
  if (n)
    node_flush_writes (n); /* its status must include them */
  uint64_t start;
  CLEANUP_FREE char *path = NULL;
  {
    SCOPED_LOCK (&cache_mutex);
    node_unref (n);
    start = cache_epoch ();
    path = child_path (dir, name);
  }
  if (path == NULL) {
    reply_err (req, "lookup", errno);
    return;
  }
  struct rentry e;
  int r = remote_lstat (path, &e);
  if (r == -ENOENT || r == -ENOTDIR) {
    {
      SCOPED_LOCK (&cache_mutex);
      cache_negative (dir, name, start);
    }
    give_negative (req, "lookup");
    return;
  }
  if (r < 0) {
    reply_err (req, "lookup", -r);
    return;
  }
  bool fresh;
  {
    SCOPED_LOCK (&cache_mutex);
    n = cache_enter (dir, name, &e, start, &fresh);
  }
  if (n == NULL)
    reply_err (req, "lookup", ENOMEM);
  else
    give_entry (req, "lookup", n, &e.st, fresh);
  rentry_free (&e);
  cache_unref (n);
}

void
gm_forget (fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
  cache_forget (node_of (ino), nlookup);
  fuse_reply_none (req);
}

void
gm_forget_multi (fuse_req_t req, size_t count,
                 struct fuse_forget_data *forgets)
{
  {
    SCOPED_LOCK (&cache_mutex);
    for (size_t i = 0; i < count; ++i)
      node_forget (node_of (forgets[i].ino), forgets[i].nlookup);
  }
  fuse_reply_none (req);
}

/* ---- Status and attributes ---- */

void
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

/* What n's status will be once the change c, deferred with the
 * buffered writes of one of its files, is made; false if that cannot
 * be known exactly (the kernel takes the size from the reply). */
static bool
predict_change (struct node *n, const struct attr_change *c, struct stat *st)
{
  SCOPED_LOCK (&cache_mutex);
  if (!n->size_known)
    return false;
  *st = n->st;
  st->st_size = n->known_size;
  if (c->valid & FUSE_SET_ATTR_MODE)
    st->st_mode = (st->st_mode & S_IFMT) | (c->st.st_mode & 07777);
  if (c->valid & FUSE_SET_ATTR_ATIME)
    st->st_atim = c->st.st_atim;
  if (c->valid & FUSE_SET_ATTR_MTIME)
    st->st_mtim = c->st.st_mtim;
  clock_gettime (CLOCK_REALTIME, &st->st_ctim);
  return true;
}

/* Defer c with the buffered writes of fh, or of a file of n that has
 * some (futimens and fchmod come without the file): true with the
 * status to report in *st.  It is kept in the cache, stale, so that
 * the next status request sends the change and asks again. */
static bool
defer_change (struct node *n, struct fh *fh, const struct attr_change *c,
              struct stat *st)
{
  struct fh *dirty = fh ? NULL : node_dirty_file (n);
  struct fh *target = fh ? fh : dirty;
  bool done = false;
  if (target && predict_change (n, c, st)) {
    node_flush_writes_except (n, target); /* other files' data first */
    done = fh_defer_change (target, c);
  }
  if (dirty)
    fh_put (dirty);
  if (done) {
    SCOPED_LOCK (&cache_mutex);
    n->st = *st;
    node_changed (n);
  }
  return done;
}

int
change_attrs (struct node *n, struct fh *fh, const struct attr_change *c,
              struct stat *st, bool *fresh)
{
  if (defer_change (n, fh, c, st)) {
    *fresh = false;
    return 0;
  }
  /* Buffered writes land first: a later one would undo a truncation
   * or a time set by cp -p.  Those of this very file go in the same
   * call as the change. */
  struct fh *tmp = NULL;
  /* futimens and fchmod come without the file: any file of the node
   * with writes waiting will do. */
  struct fh *dirty = fh ? NULL : node_dirty_file (n);
  if (dirty)
    fh = dirty;
  node_flush_writes_except (n, fh);
  struct rentry e;
  int r = fh ? fh_flush_with_change (fh, c, &e) : 0;
  if (dirty) {
    fh_put (dirty);
    fh = NULL;
  }
  if (r == 0) {
    int64_t h = fh && fh->handle >= 0 ? fh->handle : -1;
    CLEANUP_FREE char *path = cache_path_of (n);
    if (h < 0 && path == NULL)
      h = node_open_handle (n, &tmp); /* no name left: only a handle */
    r = (h < 0 && path == NULL) ? -ENOENT : remote_setattr (path, h, c, &e);
  }
  if (tmp)
    fh_put (tmp);
  if (c->valid & FUSE_SET_ATTR_SIZE) {
    atomic_fetch_add (&n->data_gen, 1);
    node_size_changed (n);
  }
  if (r < 0)
    return r;
  *fresh = store_change (n, &e);
  *st = e.st;
  rentry_free (&e);
  return 0;
}

void
gm_setattr (fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
            struct fuse_file_info *fi)
{
  TRACE ("setattr (%#lx, valid %#x)", (unsigned long) ino, to_set);
  if (config.read_only) {
    reply_err (req, "setattr", EROFS);
    return;
  }
  struct attr_change c = {
    .valid = to_set & (FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_MODE |
                       FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID |
                       FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
                       FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW),
    .st = *attr,
  };
  struct stat st;
  bool fresh;
  int r = change_attrs (node_of (ino), fh_of (fi), &c, &st, &fresh);
  if (r < 0)
    reply_err (req, "setattr", -r);
  else
    give_attr (req, fresh ? "setattr" : "setattr (deferred)", &st, fresh);
}

/* n's symbolic link target if known (a copy). */
static char *
link_of (struct node *n)
{
  SCOPED_LOCK (&cache_mutex);
  return n->link ? strdup (n->link) : NULL;
}

void
gm_readlink (fuse_req_t req, fuse_ino_t ino)
{
  TRACE ("readlink (%#lx)", (unsigned long) ino);
  struct node *n = node_of (ino);
  /* A symbolic link's target never changes: no expiry. */
  CLEANUP_FREE char *link = link_of (n);
  if (link == NULL) {
    struct stat st;
    bool fresh;
    {
      SCOPED_LOCK (&cache_mutex);
      n->st_expires = 0; /* the target comes with a fresh status */
    }
    int r = node_status (n, NULL, &st, &fresh);
    if (r < 0) {
      reply_err (req, "readlink", -r);
      return;
    }
    link = link_of (n);
    if (link == NULL) {
      reply_err (req, "readlink", S_ISLNK (st.st_mode) ? ENOMEM : EINVAL);
      return;
    }
  }
  TRACE ("readlink = \"%s\"", link);
  fuse_reply_readlink (req, link);
}

void
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

/* ---- The filesystem ---- */

void
gm_statfs (fuse_req_t req, fuse_ino_t ino)
{
  TRACE ("statfs (%#lx)", (unsigned long) ino);
  release_flush (); /* space held by released files shows as free */
  CLEANUP_FREE char *path = cache_path_of (node_of (ino));
  struct statvfs sv;
  int r = remote_statvfs (path ? path : "/", &sv);
  if (r < 0)
    reply_err (req, "statfs", -r);
  else
    fuse_reply_statfs (req, &sv);
}
