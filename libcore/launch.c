/* launch, shutdown and kill_subprocess: moving the handle between
 * CONFIG and READY, whatever the backend. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "internal-actions.h"
#include "guestfs_protocol.h"
#include "wire.h"

/* The inactivity deadline on the daemon connection (the timeout
 * backend setting).  The daemon sends a heartbeat every few seconds
 * while an action runs (daemon/proto.c), so only an appliance that has
 * stopped altogether goes quiet.  Two minutes is far beyond any pause
 * of an honest appliance under TCG on a loaded host, yet short enough
 * that a program (or a guestmount) stuck on a dead one gets its error. */
#define DEFAULT_IO_TIMEOUT_S 120

static int
set_io_timeout (guestfs_h *g)
{
  const char *s = guestfs_int_get_backend_setting (g, "timeout");
  long secs = DEFAULT_IO_TIMEOUT_S;
  if (s) {
    char *end;
    errno = 0;
    secs = strtol (s, &end, 10);
    if (errno || end == s || *end || secs < 0 || secs > INT_MAX / 1000) {
      guestfs_int_error_errno (g, EINVAL, "launch: timeout=%s: not a "
                               "number of seconds", s);
      return -1;
    }
  }
  g->io_timeout_ms = secs == 0 ? -1 : (int) secs * 1000;
  clock_gettime (CLOCK_MONOTONIC, &g->last_io);
  return 0;
}

static const struct backend_ops *
choose_backend (guestfs_h *g, const char **arg)
{
  *arg = NULL;
  if (strncmp (g->backend, "unix:", 5) == 0) {
    *arg = g->backend + 5;
    return &guestfs_int_backend_unix;
  }
  return &guestfs_int_backend_qemu;
}

int
guestfs_impl_launch (guestfs_h *g)
{
  const char *arg;
  const struct backend_ops *ops = choose_backend (g, &arg);
  if (ops == &guestfs_int_backend_qemu && g->nr_drives == 0) {
    guestfs_int_error_errno (g, EINVAL, "launch: you must add at least one "
                             "drive (guestfs_add_drive_opts) before launch");
    return -1;
  }
  if (set_io_timeout (g) == -1)
    return -1;
  guestfs_int_take_user_cancel (g); /* one made before is not for launch */
  if (g->sendbuf == NULL) {
    g->sendbuf = safe_malloc (g, WIRE_BUF_SIZE);
    g->recvbuf = safe_malloc (g, WIRE_BUF_SIZE);
  }
  g->console_tail_len = 0;
  g->serial = 0;
  g->state = LAUNCHING;
  g->backend_ops = ops;
  debug (g, "launch: backend %s", g->backend);
  if (ops->launch (g, arg) == -1) {
    if (g->daemon_fd >= 0) {
      close (g->daemon_fd);
      g->daemon_fd = -1;
    }
    ops->shutdown (g, false);
    if (g->console_fd >= 0) {
      close (g->console_fd);
      g->console_fd = -1;
    }
    g->backend_ops = NULL;
    g->state = CONFIG;
    return -1;
  }
  g->state = READY;
  guestfs_int_call_callbacks_void (g, GUESTFS_EVENT_LAUNCH_DONE);
  return 0;
}

/* Drop the daemon and whatever the backend started; back to CONFIG. */
static int
stop (guestfs_h *g, bool graceful)
{
  int r = 0;
  if (g->daemon_fd >= 0) {
    close (g->daemon_fd);
    g->daemon_fd = -1;
  }
  if (g->backend_ops && g->backend_ops->shutdown (g, graceful) == -1)
    r = -1;
  guestfs_int_drain_console (g);
  if (g->console_fd >= 0) {
    close (g->console_fd);
    g->console_fd = -1;
  }
  g->backend_ops = NULL;
  g->state = CONFIG;
  guestfs_int_call_callbacks_void (g, GUESTFS_EVENT_SUBPROCESS_QUIT);
  return r;
}

void
guestfs_int_close_connection (guestfs_h *g)
{
  stop (g, false);
}

int
guestfs_impl_shutdown (guestfs_h *g)
{
  if (g->state == CONFIG)
    return 0;
  int r = 0;
  /* Unmount and flush while errors can still be reported; closing the
   * connection then lets the appliance power off. */
  if (g->state == READY && guestfs_internal_autosync (g) == -1)
    r = -1;
  if (g->state == CONFIG) /* the appliance died during the sync */
    return -1;
  if (stop (g, true) == -1)
    r = -1;
  return r;
}

int
guestfs_impl_kill_subprocess (guestfs_h *g)
{
  if (g->state == CONFIG)
    return 0;
  stop (g, false);
  return 0;
}
