/* The qemu backend: boot the appliance. */
#include <config.h>

#include <errno.h>

#include "guestfs-internal.h"

static int
qemu_launch (guestfs_h *g, const char *arg)
{
  (void) arg;
  guestfs_int_error_errno (g, ENOTSUP, "launch: the qemu backend is not "
                           "available in this build; use unix:PATH");
  return -1;
}

static int
qemu_shutdown (guestfs_h *g, bool graceful)
{
  (void) g;
  (void) graceful;
  return 0;
}

const struct backend_ops guestfs_int_backend_qemu = {
  .name = "qemu",
  .launch = qemu_launch,
  .shutdown = qemu_shutdown,
};
