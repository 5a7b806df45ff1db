/* guestmount: a guest filesystem as a host directory (see guestmount(1)).
 *
 * Start-up follows qemu-storage-daemon --daemonize: the process forks
 * at once and the parent waits for a status byte from the child, so
 * the command returns only when the mountpoint is usable (status 0),
 * or with the child's failure status after the child has printed the
 * reason and cleaned up.  The child launches the appliance, mounts
 * the guest filesystems and the FUSE mount, writes and locks the pid
 * file, and only then detaches.  After the FUSE mount ends, the child
 * syncs and stops the appliance before it removes the pid file and
 * exits: a script that waits for the pid finds the image complete.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cleanup.h"
#include "daemonize.h"
#include "sanitize.h"
#include "fileio.h"
#include "direct.h"
#include "fs.h"
#include "guestmount.h"
#include "mountinfo.h"
#include "options.h"
#include "remote.h"
#include "watcher.h"

/* The mountpoint made absolute (check_mountpoint). */
static char *mountpoint_abs;

/* ---- The mountpoint ---- */

static bool
is_mounted (const char *path)
{
  struct mount_entry e;
  return mountinfo_at (path, &e);
}

/* The kernel reads ahead only 128 KiB at a time on a FUSE mount,
 * which makes a sequential reader cost eight requests per MiB.  Let it
 * send requests as large as the mount allows (root only; harmless if
 * it cannot be done). */
static void
raise_read_ahead (void)
{
  struct mount_entry e;
  char *path;
  if (!mountinfo_at (mountpoint_abs, &e) ||
      asprintf (&path, "/sys/class/bdi/%s/read_ahead_kb", e.dev) == -1)
    return;
  FILE *f = fopen (path, "r+");
  unsigned kb = 0;
  if (f && fscanf (f, "%u", &kb) == 1 && kb < FUSE_IO_MAX / 1024) {
    rewind (f);
    fprintf (f, "%u\n", FUSE_IO_MAX / 1024);
    debug ("%s: read-ahead %u KiB", path, FUSE_IO_MAX / 1024);
  }
  if (f)
    fclose (f);
  free (path);
}

static int
check_mountpoint (void)
{
  struct stat st;
  if (stat (mountpoint, &st) == -1) {
    gm_message ("%s: %m", mountpoint);
    return -1;
  }
  if (!S_ISDIR (st.st_mode)) {
    gm_message ("%s: not a directory", mountpoint);
    return -1;
  }
  free (mountpoint_abs);
  mountpoint_abs = realpath (mountpoint, NULL);
  if (mountpoint_abs == NULL) {
    gm_message ("%s: %m", mountpoint);
    return -1;
  }
  if (is_mounted (mountpoint_abs)) {
    gm_message ("%s: something is mounted there already (busy)",
                mountpoint);
    return -1;
  }
  return 0;
}

/* ---- Start-up and shut-down ---- */

static bool
backend_is_unix (void)
{
  char *b = guestfs_get_backend (g);
  bool r = b && strncmp (b, "unix:", 5) == 0;
  free (b);
  return r;
}

/* The library's messages, printed as it would print them itself but
 * escaped: its errors quote the daemon, the appliance's console and the
 * traces quote the guest. */
static void
print_library_error (guestfs_h *h, void *opaque, const char *msg)
{
  gm_message ("error: %s", msg);
}

static void
print_library_event (guestfs_h *h, void *opaque, uint64_t event, int handle,
                     int flags, const char *buf, size_t len,
                     const uint64_t *array, size_t array_len)
{
  const char *prefix = "libguestfs: ", *end = "\n";
  int how = GUESTFS_SANITIZE_MULTILINE;
  if (event == GUESTFS_EVENT_TRACE) {
    if (!config.trace)
      return;
    prefix = "libguestfs: trace: ";
    how = 0;
  } else if (event == GUESTFS_EVENT_WARNING)
    prefix = "libguestfs: warning: ";
  else if (!config.verbose)
    return;
  else if (event == GUESTFS_EVENT_APPLIANCE)
    prefix = end = ""; /* console output, lines as they come */
  flockfile (stderr);
  fputs (prefix, stderr);
  guestfs_int_fput_sanitized (buf, len, how, stderr);
  fputs (end, stderr);
  funlockfile (stderr);
}

static int
create_handle (void)
{
  g = guestfs_create ();
  if (g == NULL) {
    gm_message ("could not create the libguestfs handle");
    return -1;
  }
  guestfs_set_program (g, program_name);
  guestfs_set_error_handler (g, print_library_error, NULL);
  if (guestfs_set_event_callback (g, print_library_event,
                                  GUESTFS_EVENT_APPLIANCE |
                                    GUESTFS_EVENT_LIBRARY |
                                    GUESTFS_EVENT_TRACE |
                                    GUESTFS_EVENT_WARNING,
                                  0, NULL) == -1)
    return -1;
  if (config.verbose)
    guestfs_set_verbose (g, 1);
  if (config.trace)
    guestfs_set_trace (g, 1);
  guestfs_set_autosync (g, !no_sync);
  if (config.no_saved_appliance &&
      guestfs_set_backend_setting (g, "saved_appliance", "0") == -1)
    return -1;
  return 0;
}

/* Whether the mount can outlive guestmount killed by SIGKILL: see
 * fs_mount_options.  Without fusermount3 a root mount still works,
 * but a killed guestmount leaves a dead mount behind. */
static bool
auto_unmount (void)
{
  if (fs_have_fusermount ())
    return true;
  gm_message ("warning: fusermount3 was not found: if guestmount is "
              "killed, its mount stays behind");
  return false;
}

/* The -o string for libfuse: our defaults, then the user's. */
static char *
mount_options (void)
{
  /* The first image's name; an NBD export may have none, and the
   * kernel refuses an empty fsname. */
  const struct drive_opt *first = setup.nr_drives ? &setup.drives[0] : NULL;
  return fs_mount_options (first && first->filename[0] ? first->filename
                           : first && first->protocol  ? first->protocol
                                                       : "guestmount",
                           "guestmount", auto_unmount (), fuse_opts);
}

static struct fuse_session *
mount_fuse (void)
{
  char *opts = mount_options ();
  if (opts == NULL)
    return NULL;
  char *argv[] = { (char *) program_name, (char *) "-o", opts, NULL };
  struct fuse_args args = FUSE_ARGS_INIT (3, argv);
  struct fuse_session *se = fs_new_session (&args);
  fuse_opt_free_args (&args);
  free (opts);
  if (se == NULL) {
    gm_message ("the FUSE options were refused (see --fuse-help)");
    return NULL;
  }
  if (check_mountpoint () == -1 ||
      fuse_session_mount (se, mountpoint_abs) != 0) {
    gm_message ("%s: the FUSE mount failed", mountpoint);
    fuse_session_destroy (se);
    return NULL;
  }
  if (geteuid () == 0)
    raise_read_ahead ();
  return se;
}

/* Stop the appliance, syncing first unless -n. */
static int
finish_guest (void)
{
  if (g == NULL)
    return 0;
  int r = 0;
  remote_channels_close ();
  if (guestfs_is_ready (g) == 1) {
    double t = now ();
    guestfs_set_error_handler (g, NULL, NULL);
    if (no_sync)
      guestfs_kill_subprocess (g);
    else if (guestfs_shutdown (g) == -1) {
      gm_message ("syncing the disks failed: %s", guestfs_last_error (g));
      r = -1;
    }
    debug ("appliance stopped in %.2f s", now () - t);
  }
  guestfs_close (g);
  g = NULL;
  return r;
}

/* Until the mount exists, SIGINT, SIGTERM and SIGHUP only note that
 * start-up must stop.  (They are not blocked yet: qemu, started
 * meanwhile, would inherit the mask.) */
static volatile sig_atomic_t interrupted;

static void
note_interrupt (int sig)
{
  (void) sig;
  interrupted = 1;
}

static void
catch_startup_signals (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = note_interrupt;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
}

static int
check_interrupted (void)
{
  if (!interrupted)
    return 0;
  gm_message ("interrupted");
  return -1;
}

/* libfuse's messages: during start-up they explain a refused mount;
 * once the session is over, it complains about a mount that is
 * already gone, which is no news. */
static bool fuse_quiet;

static void
fuse_log_message (enum fuse_log_level level, const char *fmt, va_list ap)
{
  if (fuse_quiet && !config.verbose)
    return;
  if (level > FUSE_LOG_NOTICE && !config.verbose)
    return;
  flockfile (stderr);
  fprintf (stderr, "%s: ", program_name);
  guestfs_int_vfprintf_sanitized (stderr, GUESTFS_SANITIZE_MULTILINE, fmt,
                                  ap);
  funlockfile (stderr);
}

/* Everything after the handle exists.  Returns the exit status. */
static int
serve (void)
{
  bool unix_backend = backend_is_unix ();
  if (setup.nr_drives == 0 && !unix_backend) {
    gm_message ("no disk image: use -a IMAGE");
    return EXIT_FAILURE;
  }
  if (setup.nr_drives > 0 && !setup.inspector && setup.nr_mounts == 0) {
    gm_message ("nothing to mount: use -m DEVICE or -i");
    return EXIT_FAILURE;
  }
  int r = setup_guest (&setup, unix_backend);
  forget_keys (&setup);
  if (r == -1 || guestfs_umask (g, 0) == -1 || fs_init_root () == -1)
    return EXIT_FAILURE;
  direct_init (&setup, !config.no_direct_read);
  /* From here on signals go to the control thread (blocked before any
   * thread starts); one that came during start-up ends it now. */
  if (control_block_signals () == -1) {
    perror ("signalfd");
    return EXIT_FAILURE;
  }
  if (check_interrupted () == -1)
    return EXIT_FAILURE;
  /* From here on, errors are answers to FUSE requests, not messages. */
  guestfs_set_error_handler (g, NULL, NULL);
  remote_channels_open (GUESTMOUNT_CHANNELS);
  struct fuse_session *se = mount_fuse ();
  if (se == NULL)
    return EXIT_FAILURE;
  watcher_mounted ();
  if (control_start (mountpoint_abs, se) == -1 || fs_start_background () ||
      pid_file_write () == -1) {
    gm_message ("start-up failed");
    fuse_session_unmount (se);
    fuse_session_destroy (se);
    control_stop ();
    fs_stop_background ();
    return EXIT_FAILURE;
  }
  debug ("%s is ready", mountpoint_abs);
  signal_ready_fd ();
  daemonize_ready ();
  fs_run_loop (se);
  control_loop_done ();
  /* Unmounts if the loop was stopped rather than unmounted; otherwise
   * it only notes that the mount is gone. */
  fuse_quiet = true;
  fuse_session_unmount (se);
  fs_stop_background ();
  fuse_session_destroy (se); /* sends the last writes and releases */
  control_stop ();
  direct_finish ();
  debug ("%llu daemon calls; %zu nodes and %zu names cached at the end",
         (unsigned long long) remote_calls (), cache_nr_nodes (),
         cache_nr_dentries ());
  return control_daemon_was_lost () ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
  signal (SIGPIPE, SIG_IGN);
  fuse_set_log_func (fuse_log_message);
  fs_daemon_lost_hook = control_daemon_lost;
  parse_args (argc, argv);
  if (check_mountpoint () == -1)
    exit (EXIT_FAILURE);
  if (!no_fork)
    daemonize_start ();
  /* Now, while this process has one thread and nothing open. */
  if (watcher_start (mountpoint_abs) == -1)
    exit (EXIT_FAILURE);
  catch_startup_signals ();
  int status = EXIT_FAILURE;
  if (pid_file_lock () == 0 && create_handle () == 0)
    status = serve ();
  /* The mount is gone (serve unmounted it or never made it). */
  watcher_done ();
  if (finish_guest () == -1)
    status = EXIT_FAILURE;
  pid_file_remove ();
  exit (status);
}
