/* The unix:PATH backend: connect to a guestfsd already listening on a
 * Unix socket.  There is no subprocess and no console. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "guestfs-internal.h"

#define UNIX_LAUNCH_TIMEOUT_MS 30000

/* A connection to the daemon's socket.  Returns the descriptor, or -1
 * with the error set. */
static int
connect_daemon (guestfs_h *g, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path) {
    guestfs_int_error_errno (g, ENAMETOOLONG, "launch: %s: socket path is "
                             "too long", path);
    return -1;
  }
  strcpy (addr.sun_path, path);
  int s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s == -1) {
    perrorf (g, "launch: socket");
    return -1;
  }
  /* A non-blocking connect to a Unix socket completes at once or fails;
   * EAGAIN means the backlog is full, which a one-client daemon never
   * has. */
  if (connect (s, (struct sockaddr *) &addr, sizeof addr) == -1) {
    perrorf (g, "launch: connect to the daemon at %s", path);
    close (s);
    return -1;
  }
  return s;
}

static int
unix_launch (guestfs_h *g, const char *path)
{
  g->daemon_fd = connect_daemon (g, path);
  if (g->daemon_fd == -1)
    return -1;
  g->backend_data = safe_strdup (g, path);
  int r = guestfs_int_wait_for_launch_flag (g, UNIX_LAUNCH_TIMEOUT_MS);
  if (r == -2)
    guestfs_int_error_errno (g, ETIMEDOUT, "launch: the daemon at %s did not "
                             "answer within %d seconds", path,
                             UNIX_LAUNCH_TIMEOUT_MS / 1000);
  return r == 0 ? 0 : -1;
}

static int
unix_shutdown (guestfs_h *g, bool graceful)
{
  (void) graceful;
  free (g->backend_data);
  g->backend_data = NULL;
  return 0;
}

/* The daemon accepts a few more connections beside the first
 * (guestfsd --listen). */
static int
unix_open_channel (guestfs_h *g)
{
  return connect_daemon (g, g->backend_data);
}

const struct backend_ops guestfs_int_backend_unix = {
  .name = "unix",
  .launch = unix_launch,
  .shutdown = unix_shutdown,
  .open_channel = unix_open_channel,
};
