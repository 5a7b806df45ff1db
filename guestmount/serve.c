/* Serving a guest filesystem on a FUSE mount: what guestmount and the
 * library's guestfs_mount_local share, around the operations (fs.c).
 * The configuration and the handle, the root node, the mount options,
 * the loop, periodic maintenance and unmounting.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "cleanup.h"
#include "fileio.h"
#include "fs.h"
#include "sanitize.h"

struct gm_config config = {
  .timeout = 60,
  .entry_timeout = -1,
  .attr_timeout = -1,
  .negative_timeout = -1,
};
guestfs_h *g;
const char *program_name = "guestmount";
void (*fs_daemon_lost_hook) (void);

void
gm_message (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  flockfile (stderr);
  fprintf (stderr, "%s: ", program_name);
  guestfs_int_vfprintf_sanitized (stderr, 0, fmt, ap);
  fputc ('\n', stderr);
  funlockfile (stderr);
  va_end (ap);
}

void
fs_daemon_lost (void)
{
  if (fs_daemon_lost_hook)
    fs_daemon_lost_hook ();
}

int
fs_init_root (void)
{
  struct rentry e;
  int r = remote_lstat ("/", &e);
  if (r < 0) {
    gm_message ("the guest's / cannot be examined: %s", strerror (-r));
    return -1;
  }
  if (!S_ISDIR (e.st.st_mode)) {
    gm_message ("the guest's / is not a directory");
    rentry_free (&e);
    return -1;
  }
  r = cache_init (&e);
  rentry_free (&e);
  if (r == -1)
    gm_message ("out of memory");
  return r;
}

/* ---- Mount options ---- */

bool
fuse_option_in (const char *opts, const char *name)
{
  size_t n = strlen (name);
  for (const char *p = opts; p && *p;) {
    if (strncmp (p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
    p = strchr (p, ',');
    p = p ? p + 1 : NULL;
  }
  return false;
}

static char *
escape_commas (const char *s)
{
  char *out = malloc (strlen (s) * 2 + 1), *o = out;
  if (out == NULL)
    return NULL;
  for (; *s; ++s) {
    if (*s == ',' || *s == '\\')
      *o++ = '\\';
    *o++ = *s;
  }
  *o = '\0';
  return out;
}

bool
fs_have_fusermount (void)
{
  const char *path = getenv ("PATH");
  CLEANUP_FREE char *dirs = strdup (path ? path : "/usr/bin:/bin");
  char *save = NULL;
  for (char *d = dirs ? strtok_r (dirs, ":", &save) : NULL; d;
       d = strtok_r (NULL, ":", &save)) {
    CLEANUP_FREE char *f = NULL;
    if (asprintf (&f, "%s/fusermount3", d) != -1 && access (f, X_OK) == 0)
      return true;
  }
  return false;
}

/* With auto_unmount, libfuse mounts through fusermount3 (for root
 * too), which stays behind holding one end of a socket whose other end
 * only this process has, and unmounts when that socket closes, however
 * the process ended. */
char *
fs_mount_options (const char *fsname, const char *subtype, bool auto_unmount,
                  const char *user_opts)
{
  CLEANUP_FREE char *name = escape_commas (fsname);
  char *opts;
  if (name == NULL ||
      asprintf (&opts, "fsname=%s,subtype=%s,nosuid,nodev%s%s%s%s%s", name,
                subtype, auto_unmount ? ",auto_unmount" : "",
                config.read_only ? ",ro" : "",
                fuse_option_in (user_opts, "allow_other")
                  ? ",default_permissions"
                  : "",
                user_opts && *user_opts ? "," : "",
                user_opts ? user_opts : "") == -1)
    return NULL;
  return opts;
}

/* ---- The loop and its upkeep ---- */

int
fs_run_loop (struct fuse_session *se)
{
  struct fuse_loop_config *lc = fuse_loop_cfg_create ();
  if (lc == NULL)
    return -1;
  fuse_loop_cfg_set_max_threads (lc, 16);
  fuse_loop_cfg_set_idle_threads (lc, 4);
  int r = fuse_session_loop_mt (se, lc);
  fuse_loop_cfg_destroy (lc);
  return r;
}

void
fs_maintenance (void)
{
  cache_lock ();
  cache_expire ();
  cache_unlock ();
  fileio_maintenance ();
}

/* ---- Unmounting ---- */

/* fusermount3 -u [-z] for a mount made by an unprivileged user. */
static int
run_fusermount (const char *mountpoint, bool lazy)
{
  pid_t pid = fork ();
  if (pid == -1)
    return -1;
  if (pid == 0) {
    sigset_t none;
    sigemptyset (&none);
    pthread_sigmask (SIG_SETMASK, &none, NULL);
    int null = open ("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2 (null, 1);
      dup2 (null, 2);
    }
    if (lazy)
      execlp ("fusermount3", "fusermount3", "-u", "-q", "-z", mountpoint,
              (char *) NULL);
    else
      execlp ("fusermount3", "fusermount3", "-u", "-q", mountpoint,
              (char *) NULL);
    _exit (127);
  }
  int status;
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

/* The mountpoint's path is resolved again here: a symbolic link put in
 * its place since the mount must not send the unmount elsewhere. */
int
fs_unmount (const char *mountpoint, bool lazy)
{
  if (geteuid () == 0)
    return umount2 (mountpoint, UMOUNT_NOFOLLOW | (lazy ? MNT_DETACH : 0));
  return run_fusermount (mountpoint, lazy);
}
