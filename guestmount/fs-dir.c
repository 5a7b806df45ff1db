/* Directories: opendir, readdir, readdirplus, releasedir, fsyncdir.
 * A directory handle reads the directory's cached listing (cache.h),
 * fetching its pages as the kernel reads on.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "fs-ops.h"

struct dirh {
  struct node *dir;     /* referenced */
  struct listing *l;    /* referenced, or NULL */
};

void
gm_opendir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("opendir (%#lx)", (unsigned long) ino);
  struct dirh *dh = calloc (1, sizeof *dh);
  if (dh == NULL) {
    reply_err (req, "opendir", ENOMEM);
    return;
  }
  struct node *n = node_of (ino);
  bool valid;
  {
    SCOPED_LOCK (&cache_mutex);
    dh->dir = n;
    node_ref (n);
    /* The kernel may keep what it cached of this directory as long as
     * our own listing is still valid: both see every change made
     * through the mount. */
    valid = n->listing && n->listing->complete && n->listing->expires > now ();
  }
  fi->fh = (uintptr_t) dh;
  fi->cache_readdir = 1;
  fi->keep_cache = valid;
  if (fuse_reply_open (req, fi) != 0) {
    cache_unref (n);
    free (dh);
  }
}

void
gm_releasedir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("releasedir (%#lx)", (unsigned long) ino);
  struct dirh *dh = (struct dirh *) (uintptr_t) fi->fh;
  {
    SCOPED_LOCK (&cache_mutex);
    listing_unref (dh->l);
    node_unref (dh->dir);
  }
  free (dh);
  fuse_reply_err (req, 0);
}

/* Fetch the next page of l (unless another reader just did).  0 or
 * -errno. */
static int
fetch_more (struct node *dir, struct listing *l, size_t have)
{
  SCOPED_LOCK (&l->fetch_lock);
  CLEANUP_FREE char *path = NULL;
  int64_t cookie;
  uint64_t start;
  size_t budget;
  {
    SCOPED_LOCK (&cache_mutex);
    if (l->complete || l->error || l->n > have)
      return -l->error;
    path = node_path (dir);
    cookie = l->next_cookie;
    start = cache_epoch ();
    /* Walking a tree: the directories below come in the same trip. */
    budget = cookie == 0 && l->n == 0 ? cache_walk_budget (dir) : 0;
  }
  bool tree = budget > 0;
  int r = path ? 0 : -errno;
  struct rpage page;
  struct rsection *sections = NULL;
  size_t nsections = 0;
  if (r == 0 && tree)
    r = remote_readdir_tree (path, budget, &sections, &nsections);
  else if (r == 0)
    r = remote_readdir (path, cookie, &page);
  {
    SCOPED_LOCK (&cache_mutex);
    if (r < 0)
      l->error = -r;
    else if (tree)
      cache_store_tree (dir, l, sections, nsections, start);
    else
      listing_add_page (dir, l, &page, start);
    /* A listing that goes nowhere (cache-listing.c) has failed. */
    if (r == 0 && l->error)
      r = -l->error;
  }
  if (r == 0 && tree)
    rsections_free (sections, nsections);
  else if (r == 0)
    rpage_free (&page);
  return r;
}

/* Is l read to its end (or failed)?  *have: its length now. */
static bool
listing_done (struct listing *l, size_t *have, int *err)
{
  SCOPED_LOCK (&cache_mutex);
  *have = l->n;
  *err = -l->error;
  return l->complete || l->error;
}

int
dir_list_whole (struct node *dir)
{
  struct listing *l;
  {
    SCOPED_LOCK (&cache_mutex);
    l = listing_for (dir);
  }
  if (l == NULL)
    return -ENOMEM;
  size_t have;
  int r = 0;
  while (r == 0 && !listing_done (l, &have, &r))
    r = fetch_more (dir, l, have);
  {
    SCOPED_LOCK (&cache_mutex);
    listing_unref (l);
  }
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

/* Add one entry at buf; returns the bytes it took, or 0 if it does
 * not fit (or cannot be recorded).  Lock held. */
static size_t
add_entry (fuse_req_t req, bool plus, char *buf, size_t room,
           const char *name, const struct stat *st, struct node *n,
           bool fresh, off_t next, struct given *gv)
{
  if (!plus)
    return fuse_add_direntry (req, buf, room, name, st, next);
  /* A status that is not fresh is left out: ino 0 makes the kernel
   * list the name without caching anything for it. */
  struct fuse_entry_param ep;
  if (n && fresh)
    entry_param (&ep, n, st, true);
  else {
    memset (&ep, 0, sizeof ep);
    report_stat (st, &ep.attr);
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

/* Add the entry at position idx to buf, if it fits (*took: the bytes
 * it took, 0 if it did not).  Returns what entry_at does, or 2 if the
 * listing must be fetched further first (*have: its length now). */
static int
add_entry_at (fuse_req_t req, bool plus, struct dirh *dh, off_t idx,
              char *buf, size_t room, struct given *gv, size_t *have,
              size_t *took)
{
  struct stat st;
  const char *name = NULL;
  struct node *n;
  bool fresh;
  SCOPED_LOCK (&cache_mutex);
  *have = dh->l->n;
  int r = entry_at (dh, idx, &st, &name, &n, &fresh);
  if (r == 0 && !dh->l->complete)
    return 2;
  if (r == 1)
    *took = add_entry (req, plus, buf, room, name, &st, n, fresh, idx + 1,
                       gv);
  return r;
}

static void
do_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
            struct fuse_file_info *fi, bool plus)
{
  const char *op = plus ? "readdirplus" : "readdir";
  TRACE ("%s (%#lx, %zu bytes at %lld)", op, (unsigned long) ino, size,
         (long long) off);
  struct dirh *dh = (struct dirh *) (uintptr_t) fi->fh;
  {
    SCOPED_LOCK (&cache_mutex);
    if (off == 0 || dh->l == NULL) {
      listing_unref (dh->l);
      dh->l = listing_for (dh->dir);
    }
  }
  CLEANUP_FREE char *buf = malloc (size);
  if (dh->l == NULL || buf == NULL) {
    reply_err (req, op, ENOMEM);
    return;
  }
  size_t used = 0;
  struct given gv = { 0 };
  int err = 0;
  for (off_t idx = off;; ++idx) {
    size_t have, took = 0;
    int r = add_entry_at (req, plus, dh, idx, buf + used, size - used, &gv,
                          &have, &took);
    if (r == -1)
      continue;
    if (r == 2) {
      r = fetch_more (dh->dir, dh->l, have);
      if (r == 0) {
        --idx; /* try this position again */
        continue;
      }
    }
    if (r <= 0) {
      if (r < 0 && used == 0)
        err = -r;
      break;
    }
    if (took == 0)
      break;
    used += took;
  }
  if (err) {
    reply_err (req, op, err);
  } else {
    TRACE ("%s = %zu bytes", op, used);
    if (fuse_reply_buf (req, buf, used) != 0) {
      SCOPED_LOCK (&cache_mutex);
      for (size_t i = 0; i < gv.n; ++i)
        node_forget (gv.v[i], 1);
    }
  }
  free (gv.v);
}

void
gm_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
            struct fuse_file_info *fi)
{
  do_readdir (req, ino, size, off, fi, false);
}

void
gm_readdirplus (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                struct fuse_file_info *fi)
{
  do_readdir (req, ino, size, off, fi, true);
}

void
gm_fsyncdir (fuse_req_t req, fuse_ino_t ino, int datasync,
             struct fuse_file_info *fi)
{
  TRACE ("fsyncdir (%#lx)", (unsigned long) ino);
  /* Directory entries have no handle: make everything durable. */
  reply_err (req, "fsyncdir", config.read_only ? 0 : -remote_sync ());
}
