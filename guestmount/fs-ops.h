/* The FUSE low-level operations: each one, under the file that
 * implements it, and what they share.  fs.c's operations table is the
 * index; fs.h is what the rest of guestmount sees.
 *
 * Each operation finds its nodes, builds guest paths under the cache
 * lock, makes at most one daemon call without the lock (two for a few
 * rare fallbacks), stores the result, and replies.  Status comes from
 * the cache when it is fresh; every change made through the mount
 * invalidates exactly what it changed (cache.h), and the kernel keeps
 * its own entry and attribute caches for the same time.  Lock order:
 * a file's lock (fileio.h), then the cache lock; the cache lock is
 * never held across a daemon call.
 */
#ifndef GUESTMOUNT_FS_OPS_H
#define GUESTMOUNT_FS_OPS_H

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "cache.h"
#include "cleanup.h"
#include "fileio.h"

#define TRACE(fs, ...)                                                       \
  do {                                                                       \
    if (config.trace)                                                        \
      gm_message (fs, ##__VA_ARGS__);                                        \
  } while (0)

/* ---- fs-reply.c: replies, traced with -x ---- */

/* Reply with an error (err > 0) or success (0). */
extern void reply_err (fuse_req_t req, const char *op, int err);
/* The entry the kernel is given for n: st is the status to report,
 * fresh whether it may be cached. */
extern void entry_param (struct fuse_entry_param *ep, struct node *n,
                         const struct stat *st, bool fresh);
/* Reply with an entry for n, counting the kernel's new reference. */
extern void give_entry (fuse_req_t req, const char *op, struct node *n,
                        const struct stat *st, bool fresh);
extern void give_negative (fuse_req_t req, const char *op);
extern void give_attr (fuse_req_t req, const char *op,
                       const struct stat *st, bool fresh);

/* Whether a name can be sent to the daemon (the kernel checks too). */
static inline int
check_name (const char *name)
{
  return strlen (name) > NAME_MAX ? ENAMETOOLONG : 0;
}

static inline struct fh *
fh_of (struct fuse_file_info *fi)
{
  return fi ? (struct fh *) (uintptr_t) fi->fh : NULL;
}

/* ---- fs-attr.c: lookup, status, attributes ---- */

/* The fresh status of n, from the cache or the daemon (by fh's handle
 * if there is one).  0 or -errno. */
extern int node_status (struct node *n, struct fh *fh, struct stat *st,
                        bool *fresh);
/* An operation changed n and returned e: store its status; whether it
 * may be cached. */
extern bool store_change (struct node *n, struct rentry *e);
/* Make the change c to n (fh: the open file it came through, or
 * NULL), deferred with buffered writes when it can be (then *fresh
 * is false and *st is the status n will have).  0 with *st, or
 * -errno. */
extern int change_attrs (struct node *n, struct fh *fh,
                         const struct attr_change *c, struct stat *st,
                         bool *fresh);

extern void gm_lookup (fuse_req_t req, fuse_ino_t parent, const char *name);
/* List dir whole into the cache, as a readdir from its start does.  0
 * or -errno. */
extern int dir_list_whole (struct node *dir);
extern void gm_forget (fuse_req_t req, fuse_ino_t ino, uint64_t nlookup);
extern void gm_forget_multi (fuse_req_t req, size_t count,
                             struct fuse_forget_data *forgets);
extern void gm_getattr (fuse_req_t req, fuse_ino_t ino,
                        struct fuse_file_info *fi);
extern void gm_setattr (fuse_req_t req, fuse_ino_t ino, struct stat *attr,
                        int to_set, struct fuse_file_info *fi);
extern void gm_readlink (fuse_req_t req, fuse_ino_t ino);
extern void gm_access (fuse_req_t req, fuse_ino_t ino, int mask);
extern void gm_statfs (fuse_req_t req, fuse_ino_t ino);

/* ---- fs-names.c: creating, linking, renaming, removing names ---- */

extern void gm_create (fuse_req_t req, fuse_ino_t parent, const char *name,
                       mode_t mode, struct fuse_file_info *fi);
extern void gm_mknod (fuse_req_t req, fuse_ino_t parent, const char *name,
                      mode_t mode, dev_t rdev);
extern void gm_mkdir (fuse_req_t req, fuse_ino_t parent, const char *name,
                      mode_t mode);
extern void gm_symlink (fuse_req_t req, const char *link, fuse_ino_t parent,
                        const char *name);
extern void gm_link (fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
                     const char *newname);
extern void gm_unlink (fuse_req_t req, fuse_ino_t parent, const char *name);
extern void gm_rmdir (fuse_req_t req, fuse_ino_t parent, const char *name);
extern void gm_rename (fuse_req_t req, fuse_ino_t parent, const char *name,
                       fuse_ino_t newparent, const char *newname,
                       unsigned int flags);

/* ---- fs-file.c: open files (the buffers are fileio.c's) ---- */

extern void gm_open (fuse_req_t req, fuse_ino_t ino,
                     struct fuse_file_info *fi);
extern void gm_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                     struct fuse_file_info *fi);
extern void gm_write (fuse_req_t req, fuse_ino_t ino, const char *buf,
                      size_t size, off_t off, struct fuse_file_info *fi);
extern void gm_flush (fuse_req_t req, fuse_ino_t ino,
                      struct fuse_file_info *fi);
extern void gm_release (fuse_req_t req, fuse_ino_t ino,
                        struct fuse_file_info *fi);
extern void gm_fsync (fuse_req_t req, fuse_ino_t ino, int datasync,
                      struct fuse_file_info *fi);
extern void gm_fallocate (fuse_req_t req, fuse_ino_t ino, int mode,
                          off_t offset, off_t length,
                          struct fuse_file_info *fi);
extern void gm_lseek (fuse_req_t req, fuse_ino_t ino, off_t off, int whence,
                      struct fuse_file_info *fi);

/* ---- fs-dir.c: directories and their listings ---- */

extern void gm_opendir (fuse_req_t req, fuse_ino_t ino,
                        struct fuse_file_info *fi);
extern void gm_readdir (fuse_req_t req, fuse_ino_t ino, size_t size,
                        off_t off, struct fuse_file_info *fi);
extern void gm_readdirplus (fuse_req_t req, fuse_ino_t ino, size_t size,
                            off_t off, struct fuse_file_info *fi);
extern void gm_releasedir (fuse_req_t req, fuse_ino_t ino,
                           struct fuse_file_info *fi);
extern void gm_fsyncdir (fuse_req_t req, fuse_ino_t ino, int datasync,
                         struct fuse_file_info *fi);

/* ---- fs-xattr.c: extended attributes and ACLs ---- */

extern void gm_getxattr (fuse_req_t req, fuse_ino_t ino, const char *name,
                         size_t size);
extern void gm_listxattr (fuse_req_t req, fuse_ino_t ino, size_t size);
extern void gm_setxattr (fuse_req_t req, fuse_ino_t ino, const char *name,
                         const char *value, size_t size, int flags);
extern void gm_removexattr (fuse_req_t req, fuse_ino_t ino,
                            const char *name);

#endif
