/* guestmount internals shared by its source files: the configuration,
 * the numbers that shape the traffic, setup.c's and control.c's
 * interfaces.  The other parts have headers of their own.
 *
 *   guestmount.c     start-up, the mountpoint, the FUSE mount, shut-down
 *   options.c/.h     command line: usage, the options, -o handling
 *   daemonize.c/.h   daemonizing, the pid file, the --fd handshake
 *   setup.c          drives, keys, guest mounts, inspection
 *   control.c        the thread that unmounts on signals or a lost daemon
 *   watcher.c/.h     the process that unmounts if guestmount is killed
 *   mountinfo.c/.h   what is mounted where
 *   remote.c/.h      daemon calls: errno mapping, checking every reply
 *   cache.h          nodes, names, listings, attributes, xattrs:
 *     cache.c          nodes: the (dev, ino) table, references, expiry
 *     cache-names.c    names, paths, dentries; what operations do to them
 *     cache-listing.c  directory listings (pages, trees)
 *     cache-status.c   status and xattrs, and what the kernel is shown
 *     cache-prefetch.c small files fetched ahead of their open
 *   fileio.c/.h      open files: read-ahead, write coalescing, releases
 *   direct.c/.h      reads served from raw images by extent maps
 *   fs.c/.h          the FUSE operations table (which file does what)
 *   fs-ops.h         the FUSE operations, by file:
 *     fs-attr.c        lookup, status, attributes, access, statfs
 *     fs-names.c       create, link, rename, remove
 *     fs-file.c        open files
 *     fs-dir.c         directories and their listings
 *     fs-xattr.c       extended attributes and ACLs
 *     fs-reply.c       replies the operations share
 *   kernel-inval.c/.h telling the kernel to drop what it cached
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

#include "entry-format.h"
#include "guestfs.h"

/* ---- Configuration (guestmount.c; options.c fills it in) ---- */

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
  bool no_direct_read; /* --no-direct-read: every read through the daemon */
};

extern struct gm_config config;
extern guestfs_h *g;
extern const char *program_name;

/* A message on stderr: "guestmount: ", the text, a newline.  The text
 * may hold guest names and daemon errors, so it is printed escaped
 * (see common/sanitize.h). */
extern void gm_message (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* Debug message (with -v). */
#define debug(fs, ...)                                                       \
  do {                                                                       \
    if (config.verbose)                                                      \
      gm_message (fs, ##__VA_ARGS__);                                        \
  } while (0)

/* ---- Numbers that shape the traffic ---- */

/* Largest read or write sent to the daemon: IO_MAX, its limit
 * (entry-format.h). */
/* Extra channels to the daemon for concurrent reads (remote.c): as
 * many as the appliance has (libcore/backend-qemu.c). */
#define GUESTMOUNT_CHANNELS 3
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
/* Two lookups that miss the cache in one directory this close together
 * make a lookup walk (a program opening names it never listed, such as
 * xargs cat): the directory is then listed whole, as a readdir would,
 * and its other names need no round trip of their own. */
#define LOOKUP_WALK_WINDOW 2.0
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
  char *key;        /* the passphrase, in secret memory (common/secret.h) */
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
/* Parse --key ID:key:STRING or ID:file:FILENAME.  The key is kept in
 * secret memory and wiped from arg. */
extern int parse_key_arg (char *arg, struct key_opt *k);
/* Wipe the keys: the encrypted devices are open (or will not be). */
extern void forget_keys (struct setup *s);

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

/* ---- Time ---- */

extern double now (void);

#endif
