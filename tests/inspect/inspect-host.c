/* Inspection against a guestfsd running on the host: it has no disks
 * to look at, so inspect_os refuses (EPERM) rather than look at the
 * host's, and the cache stays empty.
 */
#include <stdlib.h>

#include "harness.h"

int
main (void)
{
  struct test_daemon td;
  guestfs_h *g = test_daemon_start (&td);
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK_ERROR_NULL (g, guestfs_inspect_os (g), EPERM,
                    "inspect_os: devices are not available");
  char **roots = guestfs_inspect_get_roots (g);
  CHECK (roots != NULL && roots[0] == NULL);
  free (roots);
  CHECK_ERROR_NULL (g, guestfs_inspect_get_distro (g, "/dev/sda1"), EINVAL,
                    "/dev/sda1");
  test_daemon_stop (&td, g);
  return test_result ();
}
