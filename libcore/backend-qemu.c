/* The qemu backend (the default, also called "direct"): find or build
 * the appliance, choose the accelerator, start qemu with the drives,
 * and wait for the daemon's launch flag on the virtio-serial channel.
 *
 * The library listens on a Unix socket in the handle's temporary
 * directory and qemu connects to it as the chardev behind the
 * org.libguestfs.channel.0 port.  qemu's stdout and stderr (the serial
 * console and its own messages) come back on a pipe that the protocol
 * code drains into the appliance log event.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "appliance.h"
#include "qemu.h"
#include "backend-qemu.h"

#define DEFAULT_LAUNCH_TIMEOUT_S 300
#define SHUTDOWN_GRACE_MS 30000
#define ERRLEN 4096


long
guestfs_int_elapsed_ms (const struct timespec *start)
{
  struct timespec now;
  clock_gettime (CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 +
         (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void
appliance_log (void *opaque, const char *msg)
{
  guestfs_h *g = opaque;
  debug (g, "appliance: %s", msg);
}

/* The last lines of the console, for launch errors. */
static char *
console_tail (guestfs_h *g, size_t max)
{
  size_t len = g->console_tail_len;
  const char *start = g->console_tail;
  if (len > max) {
    start += len - max;
    len = max;
    const char *nl = memchr (start, '\n', len);
    if (nl) {
      len -= nl + 1 - start;
      start = nl + 1;
    }
  }
  return safe_asprintf (g, "%.*s", (int) len, start);
}

static void __attribute__ ((format (printf, 3, 4)))
launch_error (guestfs_h *g, int err, const char *fs, ...)
{
  guestfs_int_drain_console (g);
  char *what;
  va_list ap;
  va_start (ap, fs);
  if (vasprintf (&what, fs, ap) == -1)
    g->abort_cb ();
  va_end (ap);
  char *tail = console_tail (g, 2000);
  guestfs_int_error_errno (g, err, "launch: %s%s%s", what,
                           *tail ? "\nThe appliance's console ended with:\n"
                                 : "",
                           tail);
  free (tail);
  free (what);
}

int
guestfs_int_qemu_listen_unix (guestfs_h *g, const char *path, int *fd)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path) {
    guestfs_int_error_errno (g, ENAMETOOLONG, "launch: %s: socket path is "
                             "too long (set TMPDIR to a shorter directory)",
                             path);
    return -1;
  }
  strcpy (addr.sun_path, path);
  unlink (path);
  *fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (*fd == -1 || bind (*fd, (struct sockaddr *) &addr, sizeof addr) == -1 ||
      listen (*fd, 1) == -1) {
    perrorf (g, "launch: %s", path);
    return -1;
  }
  return 0;
}

static int
listen_socket (guestfs_h *g, struct qemu_data *q)
{
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return -1;
  q->sock_path = safe_asprintf (g, "%s/guestfsd.sock", g->tmpdir);
  return guestfs_int_qemu_listen_unix (g, q->sock_path, &q->listen_fd);
}

int
guestfs_int_qemu_choose_accel (guestfs_h *g, const char *qemu, const char *cachedir,
              const char **accel)
{
  unsigned flags = 0;
  if (guestfs_int_get_backend_setting (g, "force_tcg"))
    flags |= QEMU_ACCEL_FORCE_TCG;
  if (guestfs_int_get_backend_setting (g, "force_kvm"))
    flags |= QEMU_ACCEL_FORCE_KVM;
  if (flags == (QEMU_ACCEL_FORCE_TCG | QEMU_ACCEL_FORCE_KVM)) {
    guestfs_int_error_errno (g, EINVAL, "launch: force_tcg and force_kvm "
                             "cannot both be set");
    return -1;
  }
  char reason[512];
  enum qemu_accel_choice c = qemu_choose_accel (qemu, cachedir, flags, 0,
                                                reason, sizeof reason);
  *accel = c == QEMU_ACCEL_KVM ? "kvm" : "tcg";
  debug (g, "accelerator %s: %s", *accel, reason);
  return 0;
}

/* Drives as qemu sees them.  Formats are never probed unless the
 * caller asked for "auto": a raw image could pretend to be qcow2. */
static struct qemu_drive *
make_drives (guestfs_h *g)
{
  struct qemu_drive *d = safe_calloc (g, g->nr_drives ? g->nr_drives : 1,
                                      sizeof *d);
  for (size_t i = 0; i < g->nr_drives; ++i) {
    const struct drive *src = &g->drives[i];
    d[i].path = src->filename;
    d[i].format = src->format == NULL ? "raw"
                  : strcmp (src->format, "auto") == 0 ? NULL : src->format;
    d[i].readonly = src->readonly;
    d[i].cachemode = src->cachemode;
    d[i].blocksize = src->blocksize;
  }
  return d;
}

static int
start_qemu (guestfs_h *g, struct qemu_data *q,
            const struct appliance_files *ap, const char *qemu,
            const char *accel)
{
  struct qemu_drive *drives = make_drives (g);
  struct qemu_config cfg = {
    .qemu = qemu,
    .accel = accel,
    .memsize_mb = g->memsize,
    .iface = QEMU_IFACE_VIRTIO_BLK,
    .kernel = ap->kernel,
    .initrd = ap->initrd,
    .root = ap->root,
    .channel_socket = q->sock_path,
    .drives = drives,
    .ndrives = g->nr_drives,
    .append = g->append,
    .verbose = g->verbose,
  };
  int r = guestfs_int_qemu_start (g, q, &cfg);
  free (drives);
  return r;
}

int
guestfs_int_qemu_start (guestfs_h *g, struct qemu_data *q,
                        const struct qemu_config *cfg)
{
  char err[ERRLEN];
  char **argv = qemu_build_argv (cfg, err, sizeof err);
  if (argv == NULL) {
    guestfs_int_error_errno (g, EINVAL, "launch: %s", err);
    return -1;
  }
  if (g->verbose)
    for (size_t i = 0; argv[i]; ++i)
      debug (g, "qemu argv[%zu]: %s", i, argv[i]);

  int pipefd[2];
  if (pipe2 (pipefd, O_CLOEXEC) == -1) {
    perrorf (g, "launch: pipe");
    qemu_free_argv (argv);
    return -1;
  }
  int r = qemu_spawn (argv, pipefd[1], &q->pid, err, sizeof err);
  qemu_free_argv (argv);
  close (pipefd[1]);
  if (r == -1) {
    close (pipefd[0]);
    guestfs_int_error_errno (g, ENOENT, "launch: %s", err);
    return -1;
  }
  fcntl (pipefd[0], F_SETFL, O_NONBLOCK);
  g->console_fd = pipefd[0];
  return 0;
}

/* Has qemu exited?  Reaps it and records a message if so. */
static bool
qemu_exited (guestfs_h *g, struct qemu_data *q, int *status)
{
  if (q->pid <= 0)
    return true;
  if (waitpid (q->pid, status, WNOHANG) != q->pid)
    return false;
  q->pid = 0;
  return true;
}

static void
explain_exit (guestfs_h *g, int status)
{
  guestfs_int_drain_console (g);
  char *tail = console_tail (g, 4096);
  /* qemu refuses an image another process holds the write lock on:
   * the one case worth a sentence of its own. */
  if (strstr (tail, "Failed to get") && strstr (tail, "lock"))
    launch_error (g, EBUSY, "a disk image is in use by another process "
                  "(qemu could not lock it); add it read-only, or stop the "
                  "program using it");
  else if (WIFEXITED (status))
    launch_error (g, EIO, "qemu exited with status %d before the appliance "
                  "was ready", WEXITSTATUS (status));
  else
    launch_error (g, EIO, "qemu was killed by signal %d before the "
                  "appliance was ready", WTERMSIG (status));
  free (tail);
}

/* Accept qemu's connection, watching the console and qemu itself. */
static int
accept_channel (guestfs_h *g, struct qemu_data *q, int timeout_ms,
                const struct timespec *start)
{
  return guestfs_int_qemu_accept (g, q, q->listen_fd, &g->daemon_fd,
                                  timeout_ms, start);
}

int
guestfs_int_qemu_accept (guestfs_h *g, struct qemu_data *q, int listen_fd,
                         int *fd, int timeout_ms, const struct timespec *start)
{
  for (;;) {
    int c = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c >= 0) {
      *fd = c;
      return 0;
    }
    if (errno != EAGAIN && errno != EINTR) {
      perrorf (g, "launch: accept");
      return -1;
    }
    int status;
    if (qemu_exited (g, q, &status)) {
      explain_exit (g, status);
      return -1;
    }
    if (guestfs_int_elapsed_ms (start) > timeout_ms) {
      launch_error (g, ETIMEDOUT, "qemu did not connect to the channel");
      return -1;
    }
    struct pollfd fds[2] = {
      { .fd = listen_fd, .events = POLLIN },
      { .fd = g->console_fd, .events = POLLIN },
    };
    if (poll (fds, g->console_fd >= 0 ? 2 : 1, 100) > 0 && fds[1].revents)
      guestfs_int_drain_console (g);
  }
}

int
guestfs_int_qemu_launch_timeout_ms (guestfs_h *g)
{
  const char *s = guestfs_int_get_backend_setting (g, "launch_timeout");
  long secs = s ? strtol (s, NULL, 10) : 0;
  return (secs > 0 ? secs : DEFAULT_LAUNCH_TIMEOUT_S) * 1000;
}

/* Wait for the launch flag, but give up as soon as qemu dies. */
int
guestfs_int_qemu_wait_for_daemon (guestfs_h *g, struct qemu_data *q, int timeout_ms,
                 const struct timespec *start)
{
  for (;;) {
    long left = timeout_ms - guestfs_int_elapsed_ms (start);
    if (left <= 0) {
      launch_error (g, ETIMEDOUT, "the appliance did not start in time");
      return -1;
    }
    int r = guestfs_int_wait_for_launch_flag (g, left < 500 ? left : 500);
    if (r == 0)
      return 0;
    int status;
    if (qemu_exited (g, q, &status)) {
      explain_exit (g, status);
      return -1;
    }
    if (r == -1) {
      /* The channel closed: usually qemu is on its way out, and its exit
       * status and messages say more than the closed channel does. */
      char *why = safe_strdup (g, guestfs_last_error (g));
      if (guestfs_int_qemu_wait_exit (g, q, 2000, &status))
        explain_exit (g, status);
      else
        launch_error (g, EIO, "%s", why + (strncmp (why, "launch: ", 8)
                                           ? 0 : 8));
      free (why);
      return -1;
    }
  }
}

static int
qemu_launch (guestfs_h *g, const char *arg)
{
  (void) arg;
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  struct qemu_data *q = safe_calloc (g, 1, sizeof *q);
  q->listen_fd = -1;
  g->backend_data = q;

  char err[ERRLEN];
  char *cachedir = guestfs_get_cachedir (g);
  struct appliance_files ap = { NULL, NULL, NULL };
  const char *qemu = g->qemu ? g->qemu : qemu_default_binary ();
  const char *accel;
  int r = -1;
  if (appliance_locate (g->path, appliance_default_supermin_d (), cachedir,
                        g->verbose, appliance_log, g, &ap, err,
                        sizeof err) == -1) {
    guestfs_int_error_errno (g, ENOENT, "launch: the appliance: %s", err);
    goto out;
  }
  debug (g, "appliance ready after %ld ms: kernel %s", guestfs_int_elapsed_ms (&start),
         ap.kernel);
  if (guestfs_int_qemu_choose_accel (g, qemu, cachedir, &accel) == -1)
    goto out;
  if (guestfs_int_saved_launch (g, q, &ap, qemu, accel, &start) == 1) {
    debug (g, "launched in %ld ms", guestfs_int_elapsed_ms (&start));
    r = 0;
    goto out;
  }
  if (listen_socket (g, q) == -1 || start_qemu (g, q, &ap, qemu, accel) == -1)
    goto out;
  int timeout = guestfs_int_qemu_launch_timeout_ms (g);
  if (accept_channel (g, q, timeout, &start) == -1 ||
      guestfs_int_qemu_wait_for_daemon (g, q, timeout, &start) == -1)
    goto out;
  debug (g, "launched in %ld ms", guestfs_int_elapsed_ms (&start));
  r = 0;
out:
  appliance_files_free (&ap);
  free (cachedir);
  return r;
}

static void
free_qemu_data (guestfs_h *g, struct qemu_data *q)
{
  if (q->listen_fd >= 0)
    close (q->listen_fd);
  if (q->sock_path)
    unlink (q->sock_path);
  free (q->sock_path);
  free (q);
  g->backend_data = NULL;
}

/* Wait up to ms for qemu to exit on its own, draining the console. */
bool
guestfs_int_qemu_wait_exit (guestfs_h *g, struct qemu_data *q, int ms, int *status)
{
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  while (!qemu_exited (g, q, status)) {
    if (guestfs_int_elapsed_ms (&start) >= ms)
      return false;
    struct pollfd pfd = { .fd = g->console_fd, .events = POLLIN };
    if (poll (&pfd, g->console_fd >= 0 ? 1 : 0, 20) > 0)
      guestfs_int_drain_console (g);
  }
  return true;
}

static int
qemu_shutdown (guestfs_h *g, bool graceful)
{
  struct qemu_data *q = g->backend_data;
  if (q == NULL)
    return 0;
  int r = 0, status = 0;
  /* The daemon exits when its connection closes (the caller closed it
   * already); init then syncs and powers off, and qemu exits. */
  if (q->pid > 0 && !(graceful && guestfs_int_qemu_wait_exit (g, q, SHUTDOWN_GRACE_MS,
                                              &status))) {
    if (graceful)
      guestfs_int_error_errno (g, ETIMEDOUT, "shutdown: the appliance did "
                               "not stop in %d s; killed it",
                               SHUTDOWN_GRACE_MS / 1000), r = -1;
    kill (q->pid, SIGKILL);
    waitpid (q->pid, &status, 0);
    q->pid = 0;
  }
  else if (graceful && !(WIFEXITED (status) && WEXITSTATUS (status) == 0)) {
    guestfs_int_error_errno (g, EIO, "shutdown: qemu exited with status "
                             "%#x", status);
    r = -1;
  }
  free_qemu_data (g, q);
  return r;
}

const struct backend_ops guestfs_int_backend_qemu = {
  .name = "qemu",
  .launch = qemu_launch,
  .shutdown = qemu_shutdown,
};
