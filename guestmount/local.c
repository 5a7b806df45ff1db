/* guestfs_mount_local: guestmount's operations and cache serving a
 * library handle inside the calling program (local.h).
 *
 * The program's handle becomes the `g` the operations call, the
 * mount is made at local_mount and served by local_run in the calling
 * thread, with guestmount's worker threads; a thread of our own does
 * the once-a-second upkeep that guestmount's control thread does.  The
 * mount ends when it is unmounted (local_unmount, fusermount3 -u, or
 * umount as root); if the daemon goes away it is detached.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "cleanup.h"
#include "fs.h"
#include "local.h"

static pthread_mutex_t local_lock = PTHREAD_MUTEX_INITIALIZER;
static guestfs_h *owner;               /* the handle mounted, or NULL */
static struct fuse_session *session;
static char *mountpoint;
static bool served;                    /* the cache is per process */
static atomic_bool upkeep_stop;

static int
fail (int err, char *why, size_t why_len, const char *msg)
{
  snprintf (why, why_len, "%s", msg);
  errno = err;
  return -1;
}

/* The daemon went away: detach the mount, which ends the loop. */
static void
local_daemon_lost (void)
{
  gm_message ("the appliance or daemon went away: unmounting %s",
              mountpoint ? mountpoint : "");
  if (mountpoint)
    fs_unmount (mountpoint, true);
}

static void
set_config (const struct local_options *o)
{
  config.read_only = o->read_only;
  config.verbose = o->verbose;
  config.trace = o->debug_calls;
  config.timeout = o->cache_timeout;
  config.entry_timeout = config.attr_timeout = config.negative_timeout =
    o->cache_timeout;
  config.no_direct_read = true; /* the handle's drives are not ours */
}

int
local_mount (guestfs_h *h, const struct local_options *o, char *why,
             size_t why_len)
{
  SCOPED_LOCK (&local_lock);
  if (owner == h)
    return fail (EBUSY, why, why_len, "filesystem is already mounted locally");
  if (owner)
    return fail (EBUSY, why, why_len,
                 "another handle of this process has a local mount");
  if (served)
    return fail (EBUSY, why, why_len,
                 "this process has served a local mount already: the "
                 "FUSE cache serves one mount per process");
  program_name = "libguestfs";
  g = h;
  set_config (o);
  fs_daemon_lost_hook = local_daemon_lost;
  if (fs_init_root () == -1)
    return fail (EIO, why, why_len, "the guest's / cannot be examined");
  served = true;
  char *opts = fs_mount_options (o->fsname, "guestfs", fs_have_fusermount (),
                                 o->fuse_options);
  if (opts == NULL)
    return fail (ENOMEM, why, why_len, "out of memory");
  char *argv[] = { (char *) "libguestfs", (char *) "-o", opts, NULL };
  struct fuse_args args = FUSE_ARGS_INIT (3, argv);
  struct fuse_session *se = fs_new_session (&args);
  fuse_opt_free_args (&args);
  free (opts);
  if (se == NULL)
    return fail (EINVAL, why, why_len, "the FUSE options were refused");
  mountpoint = realpath (o->mountpoint, NULL);
  if (mountpoint == NULL) {
    int err = errno;
    fuse_session_destroy (se);
    snprintf (why, why_len, "%s: %s", o->mountpoint, strerror (err));
    errno = err;
    return -1;
  }
  if (fuse_session_mount (se, mountpoint) != 0) {
    fuse_session_destroy (se);
    free (mountpoint);
    mountpoint = NULL;
    return fail (EIO, why, why_len, "the FUSE mount failed");
  }
  session = se;
  owner = h;
  return 0;
}

static void *
upkeep_main (void *arg)
{
  (void) arg;
  while (!atomic_load (&upkeep_stop)) {
    poll (NULL, 0, 1000);
    if (!atomic_load (&upkeep_stop))
      fs_maintenance ();
  }
  return NULL;
}

int
local_run (guestfs_h *h, char *why, size_t why_len)
{
  struct fuse_session *se;
  {
    SCOPED_LOCK (&local_lock);
    if (owner != h || session == NULL)
      return fail (EINVAL, why, why_len,
                   "you must call guestfs_mount_local first");
    se = session;
  }
  pthread_t upkeep;
  atomic_store (&upkeep_stop, false);
  bool upkeep_started = pthread_create (&upkeep, NULL, upkeep_main, NULL) == 0;
  int r = fs_start_background () == 0 ? fs_run_loop (se) : -1;
  atomic_store (&upkeep_stop, true);
  if (upkeep_started)
    pthread_join (upkeep, NULL);
  fuse_session_unmount (se);
  fs_stop_background ();
  fuse_session_destroy (se); /* sends the last writes and releases */
  SCOPED_LOCK (&local_lock);
  session = NULL;
  owner = NULL;
  free (mountpoint);
  mountpoint = NULL;
  if (r != 0)
    return fail (EIO, why, why_len, "the FUSE loop failed");
  return 0;
}

int
local_unmount (guestfs_h *h, bool retry, char *why, size_t why_len)
{
  CLEANUP_FREE char *mp = NULL;
  {
    SCOPED_LOCK (&local_lock);
    if (owner != h || mountpoint == NULL)
      return fail (EINVAL, why, why_len, "no filesystem is mounted locally");
    mp = strdup (mountpoint);
    if (mp == NULL)
      return fail (ENOMEM, why, why_len, "out of memory");
  }
  for (int tries = retry ? 5 : 1;; sleep (1)) {
    if (fs_unmount (mp, false) == 0)
      return 0;
    if (--tries == 0)
      break;
  }
  snprintf (why, why_len, "%s: the unmount failed (busy?)", mp);
  errno = EBUSY;
  return -1;
}

bool
local_is_mounted (guestfs_h *h)
{
  SCOPED_LOCK (&local_lock);
  return owner == h;
}
