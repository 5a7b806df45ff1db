/* launch, shutdown and kill_subprocess: moving the handle between
 * CONFIG and READY, whatever the backend. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "internal-actions.h"
#include "guestfs_protocol.h"
#include "wire.h"

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
