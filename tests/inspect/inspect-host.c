/* Inspection against a guestfsd running on the host: it has no disks
 * to look at, so inspect_os refuses (EPERM) rather than look at the
 * host's, and the cache stays empty.
 *
 * The daemon's rpm database reader works on the scratch directory as on
 * a mounted guest: none there, an empty one made by the host's rpm, a
 * damaged one.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static void
check_rpm_databases (struct test_daemon *td, guestfs_h *g)
{
  CHECK_ERROR_NULL (g, guestfs_internal_list_rpm_applications (g), ENOENT,
                    "no rpm database");
  OK (g, guestfs_mkdir_p (g, "/usr/lib/sysimage/rpm"));
  char *dir = test_root_path (td, "/usr/lib/sysimage/rpm");
  char *cmd = xasprintf ("rpm --dbpath '%s' --define '_db_backend sqlite' "
                         "--initdb",
                         dir);
  if (system ("command -v rpm >/dev/null") != 0)
    printf ("rpm is not installed: the empty database is not tried\n");
  else if (system (cmd) != 0) {
    fprintf (stderr, "FAIL: %s\n", cmd);
    ++test_failures;
  } else {
    struct guestfs_application2_list *apps =
        guestfs_internal_list_rpm_applications (g);
    CHECK (apps != NULL && apps->len == 0);
    if (apps)
      guestfs_free_application2_list (apps);
    else
      fprintf (stderr, "empty rpm database: %s\n", guestfs_last_error (g));
    OK (g, guestfs_rm_f (g, "/usr/lib/sysimage/rpm/rpmdb.sqlite-shm"));
    OK (g, guestfs_rm_f (g, "/usr/lib/sysimage/rpm/rpmdb.sqlite-wal"));
  }
  free (cmd);
  free (dir);
  static const char junk[] = "SQLite format 3\0not a database at all";
  OK (g, guestfs_write (g, "/usr/lib/sysimage/rpm/rpmdb.sqlite", junk,
                        sizeof junk));
  CHECK_ERROR_NULL (g, guestfs_internal_list_rpm_applications (g), 0,
                    "/usr/lib/sysimage/rpm/rpmdb.sqlite: ");
  /* The daemon is still there. */
  CHECK (guestfs_is_dir (g, "/usr/lib/sysimage/rpm") == 1);
}

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
  check_rpm_databases (&td, g);
  test_daemon_stop (&td, g);
  return test_result ();
}
