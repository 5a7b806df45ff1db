/* The guest filesystem of a library handle on a FUSE mount, served by
 * the program itself: what libcore's guestfs_mount_local,
 * guestfs_mount_local_run and guestfs_umount_local call (local.c).
 * The operations and the cache are guestmount's, which keep their
 * state per process: one such mount at a time in a process.
 *
 * This header uses no FUSE or guestmount type, so that the library's
 * files can include it beside their own.  Errors: -1 with errno set
 * and the reason in why.
 */
#ifndef GUESTMOUNT_LOCAL_H
#define GUESTMOUNT_LOCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "guestfs.h"

struct local_options {
  const char *mountpoint;
  bool read_only;
  const char *fuse_options; /* comma-separated, for libfuse; may be NULL */
  double cache_timeout;     /* seconds, our caches and the kernel's */
  bool debug_calls;         /* trace each FUSE operation on stderr */
  bool verbose;
  const char *fsname;       /* what mount(8) shows as the source */
};

/* Mount h's guest filesystem (the mounts made in the appliance) at
 * o->mountpoint; it is served once local_run is called. */
extern int local_mount (guestfs_h *h, const struct local_options *o,
                        char *why, size_t why_len);
/* Serve the mount until it is unmounted.  The caller must not hold
 * the handle's lock: the operations make calls on it. */
extern int local_run (guestfs_h *h, char *why, size_t why_len);
/* Unmount the mount of h (retrying for 5 s while it is busy, if
 * retry).  local_run then returns. */
extern int local_unmount (guestfs_h *h, bool retry, char *why,
                          size_t why_len);
/* Whether h has a mount, mounted or running. */
extern bool local_is_mounted (guestfs_h *h);

#endif
