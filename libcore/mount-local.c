/* mount_local, mount_local_run, umount_local: the handle's guest
 * filesystem on a FUSE mount served by the calling program, with
 * guestmount's FUSE operations and cache (guestmount/local.h).
 */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "guestfs-internal.h"
#include "internal-actions.h"
#include "local.h"

/* libguestfs's default: 60 seconds of caching. */
#define DEFAULT_CACHE_TIMEOUT 60

int
guestfs_impl_mount_local (guestfs_h *g, const char *localmountpoint,
                          const struct guestfs_mount_local_argv *optargs)
{
  uint64_t m = optargs->bitmask;
  int timeout = (m & GUESTFS_MOUNT_LOCAL_CACHETIMEOUT_BITMASK)
                  ? optargs->cachetimeout
                  : DEFAULT_CACHE_TIMEOUT;
  if (timeout < 0) {
    guestfs_int_error_errno (g, EINVAL, "mount_local: cachetimeout: %d is "
                             "negative", timeout);
    return -1;
  }
  struct local_options o = {
    .mountpoint = localmountpoint,
    .read_only = (m & GUESTFS_MOUNT_LOCAL_READONLY_BITMASK) &&
                 optargs->readonly,
    .fuse_options = (m & GUESTFS_MOUNT_LOCAL_OPTIONS_BITMASK)
                      ? optargs->options
                      : NULL,
    .cache_timeout = timeout,
    .debug_calls = (m & GUESTFS_MOUNT_LOCAL_DEBUGCALLS_BITMASK) &&
                   optargs->debugcalls,
    .verbose = g->verbose,
    .fsname = g->nr_drives > 0 && g->drives[0].filename[0]
                ? g->drives[0].filename
                : "libguestfs",
  };
  char why[256];
  if (local_mount (g, &o, why, sizeof why) == -1) {
    guestfs_int_error_errno (g, errno, "mount_local: %s", why);
    return -1;
  }
  debug (g, "mount_local: %s mounted", localmountpoint);
  return 0;
}

/* The FUSE operations call the API on this handle from worker
 * threads, so the handle's lock (taken by this call's stub) is let go
 * while the mount is served.  Errors of those calls are answers to the
 * kernel, not the program's business: no error handler meanwhile. */
int
guestfs_impl_mount_local_run (guestfs_h *g)
{
  if (!local_is_mounted (g)) {
    guestfs_int_error_errno (g, EINVAL, "mount_local_run: you must call "
                             "guestfs_mount_local first");
    return -1;
  }
  guestfs_push_error_handler (g, NULL, NULL);
  char why[256];
  guestfs_int_unlock (g);
  int r = local_run (g, why, sizeof why);
  int err = errno;
  guestfs_int_lock (g);
  guestfs_pop_error_handler (g);
  if (r == -1) {
    guestfs_int_error_errno (g, err, "mount_local_run: %s", why);
    return -1;
  }
  return 0;
}

int
guestfs_impl_umount_local (guestfs_h *g,
                           const struct guestfs_umount_local_argv *optargs)
{
  bool retry = (optargs->bitmask & GUESTFS_UMOUNT_LOCAL_RETRY_BITMASK) &&
               optargs->retry;
  char why[256];
  if (local_unmount (g, retry, why, sizeof why) == -1) {
    guestfs_int_error_errno (g, errno, "umount_local: %s", why);
    return -1;
  }
  return 0;
}
