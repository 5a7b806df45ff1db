/* Open files: open, read, write, flush, release, fsync, fallocate,
 * lseek.  The buffers behind them (read-ahead, gathered writes,
 * deferred releases) are fileio.c's.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "fs-ops.h"

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
  bool whole, have;
  struct node *dir;
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  CLEANUP_FREE char *dirpath = NULL;
  struct node **members = NULL;
  size_t nmembers = 0;
  uint64_t start;
  {
    SCOPED_LOCK (&cache_mutex);
    cache_wait_batch (n);
    have = node_take_fdata (n, &data, &len, &whole);
    dir = n->names ? n->names->parent : NULL;
    start = cache_epoch ();
    if (!have && dir &&
        (nmembers = cache_plan_batch (dir, n, &names, &members)) > 0) {
      dirpath = node_path (dir);
      node_ref (dir);
    }
  }
  if (have)
    return give_prefetched (req, n, fi, data, len, whole);
  if (names == NULL)
    return false;
  struct rpage page;
  int r = dirpath ? remote_read_files (dirpath, names, &page) : -ENOENT;
  {
    SCOPED_LOCK (&cache_mutex);
    if (r == 0) {
      cache_store_files (dir, &page, start);
      have = node_take_fdata (n, &data, &len, &whole);
    }
    cache_end_batch (members, nmembers);
    node_unref (dir);
  }
  if (r == 0)
    rpage_free (&page);
  return have && give_prefetched (req, n, fi, data, len, whole);
}

void
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
  char *path = cache_path_of (n);
  if (path == NULL) {
    reply_err (req, "open", errno);
    return;
  }
  int prefetch = acc != O_WRONLY && !(flags & O_TRUNC) ? OPEN_PREFETCH : 0;
  int64_t rel[RELEASE_BATCH];
  size_t nrel = release_take (rel, RELEASE_BATCH);
  struct rentry e;
  int r = remote_open (path, flags & ~(O_CREAT | O_EXCL), 0, NULL, prefetch,
                       rel, nrel, &e);
  free (path);
  if (r == 0 && !node_is (n, &e.st)) {
    /* The name now belongs to another file (changed outside). */
    remote_close (&e.handle, 1);
    rentry_free (&e);
    r = -ESTALE;
  }
  if (r < 0) {
    reply_err (req, "open", -r);
    return;
  }
  if (flags & O_TRUNC)
    atomic_fetch_add (&n->data_gen, 1);
  store_change (n, &e);
  struct fh *fh = fh_new (n, &e, flags, prefetch);
  if (fh == NULL) {
    remote_close (&e.handle, 1);
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

void
gm_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
         struct fuse_file_info *fi)
{
  TRACE ("read (%#lx, %zu bytes at %lld)", (unsigned long) ino, size,
         (long long) off);
  int r = fh_read (fh_of (fi), size, off, req);
  if (r < 0)
    reply_err (req, "read", -r);
}

void
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

void
gm_flush (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("flush (%#lx)", (unsigned long) ino);
  reply_err (req, "flush", -fh_flush (fh_of (fi)));
}

void
gm_release (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  TRACE ("release (%#lx)", (unsigned long) ino);
  fh_release (fh_of (fi));
  reply_err (req, "release", 0);
}

void
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

void
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
  node_size_changed (n);
  {
    SCOPED_LOCK (&cache_mutex);
    node_changed (n);
  }
  reply_err (req, "fallocate", -r);
}

void
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
