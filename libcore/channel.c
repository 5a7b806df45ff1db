/* Extra channels to a launched appliance (common/guestfs-channel.h). */
#include <config.h>

#include <errno.h>
#include <unistd.h>

#include "guestfs-channel.h"
#include "guestfs-internal.h"
#include "wire.h"

/* A channel handle's backend: the connection is all it has. */
static int
channel_launch (guestfs_h *g, const char *arg)
{
  (void) arg;
  guestfs_int_error_errno (g, EINVAL, "launch: a channel handle cannot be "
                           "launched");
  return -1;
}

static int
channel_shutdown (guestfs_h *g, bool graceful)
{
  (void) g;
  (void) graceful;
  return 0;
}

const struct backend_ops guestfs_int_backend_channel = {
  .name = "channel",
  .launch = channel_launch,
  .shutdown = channel_shutdown,
};

/* A handle made ready on fd, which it takes.  NULL with the error set
 * on g. */
static guestfs_h *
channel_handle (guestfs_h *g, int fd)
{
  guestfs_h *h = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT |
                                       GUESTFS_CREATE_NO_CLOSE_ON_EXIT);
  if (h == NULL) {
    close (fd);
    perrorf (g, "open channel");
    return NULL;
  }
  h->autosync = false; /* the appliance is g's */
  h->error_cb = g->error_cb;
  h->error_cb_data = g->error_cb_data;
  h->io_timeout_ms = g->io_timeout_ms;
  h->sendbuf = safe_malloc (h, WIRE_BUF_SIZE);
  h->recvbuf = safe_malloc (h, WIRE_BUF_SIZE);
  h->backend_ops = &guestfs_int_backend_channel;
  h->daemon_fd = fd;
  h->state = LAUNCHING;
  clock_gettime (CLOCK_MONOTONIC, &h->last_io);
  if (guestfs_int_wait_for_launch_flag (h, g->io_timeout_ms) != 0) {
    guestfs_int_error_errno (g, EIO, "open channel: the daemon did not "
                             "answer on the new channel: %s",
                             guestfs_last_error (h) ? guestfs_last_error (h)
                                                    : "timed out");
    guestfs_close (h);
    return NULL;
  }
  h->state = READY;
  return h;
}

GUESTFS_DLL_PUBLIC guestfs_h *
guestfs_int_open_channel (guestfs_h *g)
{
  guestfs_int_lock (g);
  guestfs_h *h = NULL;
  if (guestfs_int_check_ready (g, "open_channel") == 0) {
    if (g->backend_ops->open_channel == NULL)
      guestfs_int_error_errno (g, ENOTSUP, "open channel: the %s backend "
                               "has no extra channels",
                               g->backend_ops->name);
    else {
      int fd = g->backend_ops->open_channel (g);
      if (fd >= 0)
        h = channel_handle (g, fd);
    }
  }
  guestfs_int_unlock (g);
  return h;
}
