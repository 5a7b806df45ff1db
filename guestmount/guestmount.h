/* guestmount internals shared by its source files.
 *
 *   guestmount.c  command line, start-up, daemonizing, shutdown
 *   setup.c       drives, keys, guest mounts, inspection
 *   control.c     the thread that unmounts on signals or a lost daemon
 *   remote.c      daemon calls: errno mapping, checking every reply
 *   cache.c       nodes, names, directory listings, attributes, xattrs
 *   fileio.c      open files: read-ahead, write coalescing, releases
 *   fs.c          the FUSE low-level operations
 */
#ifndef GUESTMOUNT_H
#define GUESTMOUNT_H

#define FUSE_USE_VERSION 312

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <fuse_lowlevel.h>

#include "guestfs.h"

/* ---- Configuration (guestmount.c) ---- */

struct gm_config {
  bool read_only;
  bool verbose;
  bool trace;          /* -x: library calls and FUSE operations */
  double timeout;      /* --dir-cache-timeout: our and the kernel's caches */
  double entry_timeout, attr_timeout, negative_timeout; /* kernel */
  bool force_uid, force_gid;
  uid_t uid;
  gid_t gid;
  mode_t umask;        /* -o umask=: applied to reported modes */
  bool umask_set;
  bool direct_io;      /* -o direct_io: bypass the kernel page cache */
};

extern struct gm_config config;
extern guestfs_h *g;
extern const char *program_name;

/* Debug message (with -v): "guestmount: ..." on stderr. */
#define debug(fs, ...)                                                       \
  do {                                                                       \
    if (config.verbose)                                                      \
      fprintf (stderr, "guestmount: " fs "\n", ##__VA_ARGS__);               \
  } while (0)

/* ---- Numbers that shape the traffic ---- */

/* Largest read or write sent to the daemon (its limit too). */
#define IO_MAX (2 * 1024 * 1024)
/* Bytes read with a read-only open, so small files need no pread. */
#define OPEN_PREFETCH (128 * 1024)
/* Budget of one directory page. */
#define READDIR_PAGE (2 * 1024 * 1024)
/* Most directories listed by one fuse_readdir_tree. */
#define READDIR_TREE_DIRS 4096
/* A directory listed this soon after its parent is part of a walk
 * through the tree (find, ls -R, rsync, tar): list what is below it
 * too. */
#define TREE_WALK_WINDOW 10.0
/* The kernel's largest FUSE read and write (its 256-page limit). */
#define FUSE_IO_MAX (1024 * 1024)
/* Reading the files of a directory one after the other: files up to
 * this size come in batches (fuse_read_files) of up to READDIR_PAGE
 * bytes and this many names, and are kept until opened. */
#define BATCH_FILE_MAX (256 * 1024)
#define BATCH_FILES 256
#define FILE_DATA_CACHE (64 * 1024 * 1024)
/* Two opens in a directory this close together make a read walk. */
#define READ_WALK_WINDOW 2.0
/* Releases sent with the next open, or on their own beyond this. */
#define RELEASE_BATCH 64
/* Cached names beyond which idle listings are dropped. */
#define CACHE_MAX_NAMES 500000

/* ---- setup.c ---- */

struct drive_opt {
  char *filename;   /* local file, or export/path on the server */
  char *format;     /* NULL: probe */
  int blocksize;    /* 0: default */
  /* A remote image (-a URI), else all NULL. */
  char *protocol, *server, *username, *secret;
};

/* ---- uri.c ---- */

/* Fills d's filename and, for a URI, protocol, server, username and
 * secret from an -a argument.  Returns 0, or -1 with *why saying what
 * is wrong (NULL: out of memory). */
int drive_opt_from_uri (const char *arg, struct drive_opt *d,
                        const char **why);

struct mount_opt {
  char *device;
  char *mountpoint; /* in the guest */
  char *options;    /* NULL: default */
  char *fstype;     /* NULL: probe */
};

struct key_opt {
  char *id;         /* device name or LUKS UUID */
  char *key;        /* the passphrase (read from file if from_file) */
};

struct setup {
  struct drive_opt *drives;
  size_t nr_drives;
  struct mount_opt *mounts;
  size_t nr_mounts;
  struct key_opt *keys;
  size_t nr_keys;
  bool inspector;
  bool keys_from_stdin;
  bool echo_keys;
};

/* Add the drives, launch, open encrypted devices, mount.  Prints the
 * reason and returns -1 on failure. */
extern int setup_guest (const struct setup *s, bool unix_backend);
/* Parse -m DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]]. */
extern int parse_mount_arg (const char *arg, struct mount_opt *m);
/* Parse --key ID:key:STRING or ID:file:FILENAME. */
extern int parse_key_arg (const char *arg, struct key_opt *k);

/* ---- control.c ---- */

/* Block SIGINT, SIGTERM and SIGHUP (in this and all later threads)
 * and collect them for the control thread. */
extern int control_block_signals (void);
/* Start the thread that unmounts when one of them arrives or the
 * daemon is lost, and does periodic maintenance.  Call from the thread
 * that will run the FUSE loop. */
extern int control_start (const char *mountpoint, struct fuse_session *se);
/* The FUSE loop has returned. */
extern void control_loop_done (void);
extern void control_stop (void);
/* The daemon went away: unmount at once; exit status 1. */
extern void control_daemon_lost (void);
extern bool control_daemon_was_lost (void);

/* ---- remote.c ---- */

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
extern int remote_open (const char *path, int flags, mode_t mode,
                        int prefetch, const int64_t *release,
                        size_t nr_release, struct rentry *e);
extern int remote_pread (int64_t handle, size_t count, off_t offset,
                         char **buf, size_t *len);
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
extern int remote_mkdir (const char *path, mode_t mode, struct rentry *e);
extern int remote_mknod (const char *path, mode_t mode, dev_t rdev,
                         struct rentry *e);
extern int remote_symlink (const char *target, const char *path,
                           struct rentry *e);
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

/* Find name in a packed xattr block: 1 found, 0 not, -1 malformed. */
extern int xattrs_find (const char *blk, size_t len, const char *name,
                        const char **value, size_t *vlen);
/* Check a packed block; lists its names (NUL-terminated each) into
 * *names if names is not NULL.  Returns 0 or -1 if malformed. */
extern int xattrs_names (const char *blk, size_t len, char **names,
                         size_t *names_len);

/* ---- Time ---- */

extern double now (void);

#endif
