/* What the btrfs files share (btrfs.c: subvolumes; btrfs-fs.c:
 * filesystems and devices; btrfs-maint.c: quotas, balance, scrub,
 * checks).  All of it replies on error. */
#ifndef GUESTFSD_BTRFS_H
#define GUESTFSD_BTRFS_H

#include <stdbool.h>

/* EPERM when guestfsd runs on the host: the btrfs tools write through
 * host paths, and no btrfs is there to be had anyway. */
extern int btrfs_refuse_on_host (const char *subject);

/* The host path of the existing guest path, which must be on a btrfs
 * filesystem (EINVAL otherwise), resolved inside the sysroot. */
extern char *btrfs_host_path (const char *path);

/* The host path of a new name: its parent directory resolved inside
 * the sysroot, the last component appended as it is. */
extern char *btrfs_new_host_path (const char *path);

/* Run "btrfs ARGS... HOST", HOST being the host path of the guest path
 * (on btrfs); the output in *out if out is not NULL.  A failure is
 * replied with errno errnum_if (0: none) when the tool's error output
 * holds the text if_text (NULL: never). */
extern int btrfs_run_on (const char *path, const char *const *args, char **out,
                         const char *if_text, int errnum_if);

/* Run the complete command line argv; on failure reply naming subject,
 * with errno errnum_if when the error output holds if_text. */
extern int btrfs_run (const char *subject, const char *const *argv, char **out,
                      const char *if_text, int errnum_if);

/* Run the command line head, then the devices, then last (if not
 * NULL), as btrfs_run. */
extern int btrfs_run_devices (const char *subject, const char *const *head,
                              char *const *devices, const char *last);

/* Call fn with the host directory of fs: a guest directory on a
 * mounted btrfs filesystem, or a mountable, then mounted (top of the
 * filesystem, read-write if writable) in a private directory for the
 * time of the call.  Returns what fn returns, -1 if it could not be
 * called. */
typedef int (*btrfs_dir_fn) (const char *dir, void *opaque);
extern int with_btrfs_fs (const char *fs, bool writable, btrfs_dir_fn fn,
                          void *opaque);

#endif
