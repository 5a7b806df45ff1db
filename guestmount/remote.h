/* Daemon calls (remote.c): one wrapper per fuse_* action, mapping
 * the library's errors to errno values and checking every reply (its
 * sizes, names and packed attributes) before the rest of guestmount
 * uses it.  No lock of guestmount is held across any of them.
 */
#ifndef GUESTMOUNT_REMOTE_H
#define GUESTMOUNT_REMOTE_H

#include "guestmount.h"

/* A fuse_entry from the daemon, checked. */
struct rentry {
  char *name;          /* listings only */
  int64_t cookie;
  int64_t handle;
  struct stat st;
  char *link;          /* symbolic links only */
  char *xattrs;        /* packed (see guestfs(3) fuse_entry) */
  size_t xattrs_len;
  bool xattrs_complete;
  char *data;          /* fuse_open prefetch */
  size_t data_len;
};

extern void rentry_free (struct rentry *e);

/* Every function returns 0 (or a count) on success and -errno on
 * failure. */
extern int remote_lstat (const char *path, struct rentry *e);
/* One page of a directory listing. */
struct rpage {
  struct rentry *v;  /* n entries (malloc'd) */
  size_t n;
  bool end;          /* the directory ends with this page */
  bool skipped;      /* names left out (unreadable or not valid names) */
  int64_t next;      /* cookie of the following page */
};
extern int remote_readdir (const char *dir, int64_t cookie,
                           struct rpage *p);
extern void rpage_free (struct rpage *p);
/* A directory and the directories below it (fuse_readdir_tree). */
struct rsection {
  struct rentry dir;   /* its status; dir.name is its relative path */
  struct rpage page;   /* its entries (page.end: all of them) */
};
extern int remote_readdir_tree (const char *dir, size_t budget,
                                struct rsection **v, size_t *n);
extern void rsections_free (struct rsection *v, size_t n);
/* Status and contents of several names of dir (fuse_read_files):
 * p->v holds those that could be read, in order. */
extern int remote_read_files (const char *dir, char *const *names,
                              struct rpage *p);
/* Who creates a file: the calling process's fsuid and fsgid, which a
 * kernel filesystem makes the new file's owner (fuse_req_ctx). */
struct creator {
  uid_t uid;
  gid_t gid;
};
/* cr: the creator of a file O_CREAT makes (NULL: the daemon's). */
extern int remote_open (const char *path, int flags, mode_t mode,
                        const struct creator *cr, int prefetch,
                        const int64_t *release, size_t nr_release,
                        struct rentry *e);
extern int remote_pread (int64_t handle, size_t count, off_t offset,
                         char **buf, size_t *len);
/* The extent map of an open file, unchecked (extent-map.h). */
extern int remote_extents (int64_t handle, char **buf, size_t *len);
extern int remote_pwrite (int64_t handle, const char *buf, size_t len,
                          off_t offset);
extern int remote_fstat (int64_t handle, struct rentry *e);
extern int remote_fsync (int64_t handle, bool datasync);
extern int remote_close (const int64_t *handles, size_t n);
extern int remote_fallocate (int64_t handle, int mode, off_t offset,
                             off_t length);
extern int64_t remote_lseek (int64_t handle, off_t offset, int whence);

/* Attribute changes for remote_setattr (FUSE_SET_ATTR_* bits). */
struct attr_change {
  int valid;
  struct stat st;
};
/* By handle if handle >= 0, else by path. */
extern int remote_setattr (const char *path, int64_t handle,
                           const struct attr_change *c, struct rentry *e);

/* A write, then a change by handle, in one call. */
extern int remote_pwrite_setattr (int64_t handle, const char *buf,
                                  size_t len, off_t offset,
                                  const struct attr_change *c,
                                  struct rentry *e);
extern int remote_mkdir (const char *path, mode_t mode,
                         const struct creator *cr, struct rentry *e);
extern int remote_mknod (const char *path, mode_t mode, dev_t rdev,
                         const struct creator *cr, struct rentry *e);
extern int remote_symlink (const char *target, const char *path,
                           const struct creator *cr, struct rentry *e);
extern int remote_link (const char *target, const char *path,
                        struct rentry *e);
extern int remote_unlink (const char *path);
extern int remote_rmdir (const char *path);
extern int remote_rename (const char *from, const char *to, int flags);
extern int remote_setxattr (const char *path, const char *name,
                            const char *value, size_t size, int flags);
extern int remote_removexattr (const char *path, const char *name);
extern int remote_getxattr (const char *path, const char *name, char **value,
                            size_t *size);
/* Names of all extended attributes (each NUL-terminated). */
extern int remote_listxattr (const char *path, char **names, size_t *len);
extern int remote_statvfs (const char *path, struct statvfs *sv);
extern int remote_sync (void);

/* Daemon round trips so far (for -v). */
extern uint64_t remote_calls (void);

#endif
