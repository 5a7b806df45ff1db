/* Creating, linking, renaming and removing names: create, mknod,
 * mkdir, symlink, link, unlink, rmdir, rename.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "fs-ops.h"

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
  char *path;
  {
    SCOPED_LOCK (&cache_mutex);
    path = child_path (dir, name);
  }
  if (path == NULL)
    reply_err (req, op, errno);
  return path;
}

/* Reply to an operation that made dir/name: r is what the daemon
 * call returned, e the new entry, stored and given to the kernel. */
static void
reply_created (fuse_req_t req, const char *op, struct node *dir,
               const char *name, int r, struct rentry *e)
{
  if (r < 0) {
    reply_err (req, op, -r);
    return;
  }
  bool fresh;
  struct node *n;
  {
    SCOPED_LOCK (&cache_mutex);
    n = cache_created (dir, name, e, &fresh);
  }
  if (n == NULL)
    reply_err (req, op, ENOMEM);
  else {
    give_entry (req, op, n, &e->st, fresh);
    cache_unref (n);
  }
  rentry_free (e);
}

/* A new file is its creator's, as on a kernel filesystem: the calling
 * process's fsuid and fsgid (the daemon keeps a set-group-ID
 * directory's group).  A caller that wants another owner (cp -a,
 * rsync, tar as root) sets it next, as it would anywhere. */
static struct creator
creator_of (fuse_req_t req)
{
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  return (struct creator) { .uid = ctx->uid, .gid = ctx->gid };
}

void
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
  struct creator cr = creator_of (req);
  int r = remote_open (path, fi->flags | O_CREAT, mode & 07777, &cr, 0, rel,
                       nrel, &e);
  free (path);
  if (r < 0) {
    reply_err (req, "create", -r);
    return;
  }
  bool fresh;
  struct node *n;
  {
    SCOPED_LOCK (&cache_mutex);
    n = cache_created (dir, name, &e, &fresh);
    if (n)
      ++n->nlookup;
  }
  struct fh *fh = n ? fh_new (n, &e, fi->flags, 0) : NULL;
  if (fh == NULL) {
    remote_close (&e.handle, 1);
    reply_err (req, "create", ENOMEM);
  } else {
    struct fuse_entry_param ep;
    entry_param (&ep, n, &e.st, fresh);
    fi->fh = (uintptr_t) fh;
    fi->keep_cache = 1;
    fi->direct_io = config.direct_io;
    TRACE ("create = ino %lld handle %lld", (long long) e.st.st_ino,
           (long long) fh->handle);
    if (fuse_reply_create (req, &ep, fi) != 0) {
      fh_release (fh);
      cache_forget (n, 1);
    }
  }
  if (n) {
    SCOPED_LOCK (&cache_mutex);
    if (fh == NULL)
      node_forget (n, 1);
    node_unref (n);
  }
  rentry_free (&e);
}

void
gm_mknod (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
          dev_t rdev)
{
  TRACE ("mknod (%#lx, \"%s\", %o)", (unsigned long) parent, name, mode);
  struct node *dir = node_of (parent);
  CLEANUP_FREE char *path = path_for_new (req, "mknod", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  struct creator cr = creator_of (req);
  int r = remote_mknod (path, mode, rdev, &cr, &e);
  reply_created (req, "mknod", dir, name, r, &e);
}

void
gm_mkdir (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
  TRACE ("mkdir (%#lx, \"%s\", %o)", (unsigned long) parent, name, mode);
  struct node *dir = node_of (parent);
  CLEANUP_FREE char *path = path_for_new (req, "mkdir", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  struct creator cr = creator_of (req);
  int r = remote_mkdir (path, mode & 07777, &cr, &e);
  reply_created (req, "mkdir", dir, name, r, &e);
}

void
gm_symlink (fuse_req_t req, const char *link, fuse_ino_t parent,
            const char *name)
{
  TRACE ("symlink (\"%s\", %#lx, \"%s\")", link, (unsigned long) parent,
         name);
  struct node *dir = node_of (parent);
  CLEANUP_FREE char *path = path_for_new (req, "symlink", dir, name);
  if (path == NULL)
    return;
  struct rentry e;
  struct creator cr = creator_of (req);
  int r = remote_symlink (link, path, &cr, &e);
  reply_created (req, "symlink", dir, name, r, &e);
}

void
gm_link (fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
         const char *newname)
{
  TRACE ("link (%#lx, %#lx, \"%s\")", (unsigned long) ino,
         (unsigned long) newparent, newname);
  struct node *n = node_of (ino), *dir = node_of (newparent);
  CLEANUP_FREE char *path = path_for_new (req, "link", dir, newname);
  if (path == NULL)
    return;
  CLEANUP_FREE char *target = cache_path_of (n);
  if (target == NULL) {
    reply_err (req, "link", errno);
    return;
  }
  struct rentry e;
  int r = remote_link (target, path, &e);
  reply_created (req, "link", dir, newname, r, &e);
}

static void
remove_name (fuse_req_t req, const char *op, fuse_ino_t parent,
             const char *name, int (*call) (const char *))
{
  TRACE ("%s (%#lx, \"%s\")", op, (unsigned long) parent, name);
  struct node *dir = node_of (parent);
  CLEANUP_FREE char *path = path_for_new (req, op, dir, name);
  if (path == NULL)
    return;
  int r = call (path);
  if (r == 0) {
    SCOPED_LOCK (&cache_mutex);
    cache_removed (dir, name);
  }
  reply_err (req, op, -r);
}

void
gm_unlink (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  remove_name (req, "unlink", parent, name, remote_unlink);
}

void
gm_rmdir (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  remove_name (req, "rmdir", parent, name, remote_rmdir);
}

void
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
  CLEANUP_FREE char *from = path_for_new (req, "rename", d1, name);
  if (from == NULL)
    return;
  CLEANUP_FREE char *to = path_for_new (req, "rename", d2, newname);
  if (to == NULL)
    return;
  int r = remote_rename (from, to, flags);
  if (r == 0) {
    SCOPED_LOCK (&cache_mutex);
    cache_renamed (d1, name, d2, newname, flags);
  }
  reply_err (req, "rename", -r);
}
