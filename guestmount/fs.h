/* The FUSE side of guestmount, as the rest of it sees it.  fs.c's
 * operations table lists every operation and the file that
 * implements it; fs-ops.h is the FUSE side's own header.  serve.c has
 * what guestmount and the library's guestfs_mount_local (local.c)
 * share around the operations. */
#ifndef GUESTMOUNT_FS_H
#define GUESTMOUNT_FS_H

#include "guestmount.h"

/* A session serving the guest filesystem (the cache must be set up). */
extern struct fuse_session *fs_new_session (struct fuse_args *args);
/* The thread that passes invalidations to the kernel
 * (kernel-inval.c). */
extern int fs_start_background (void);
extern void fs_stop_background (void);

/* ---- serve.c ---- */

/* Called when the daemon went away (from a FUSE worker): the server
 * sets it to take the mount down. */
extern void (*fs_daemon_lost_hook) (void);
extern void fs_daemon_lost (void);
/* The cache's root: the status of the guest's "/".  Prints the reason
 * and returns -1 on failure. */
extern int fs_init_root (void);
/* Whether the comma-separated opts (may be NULL) hold option name. */
extern bool fuse_option_in (const char *opts, const char *name);
/* Whether fusermount3 is on $PATH (needed for auto_unmount). */
extern bool fs_have_fusermount (void);
/* The -o string for libfuse: our defaults, then user_opts (may be
 * NULL).  NULL if out of memory. */
extern char *fs_mount_options (const char *fsname, const char *subtype,
                               bool auto_unmount, const char *user_opts);
/* Serve se with up to 16 worker threads until it ends. */
extern int fs_run_loop (struct fuse_session *se);
/* Once a second while serving: expire the cache, send writes and
 * releases that have waited too long. */
extern void fs_maintenance (void);
/* Unmount mountpoint (detach it if lazy).  -1 with errno on failure. */
extern int fs_unmount (const char *mountpoint, bool lazy);

#endif
