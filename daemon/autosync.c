/* What the daemon does before the appliance stops: unmount the guest
 * filesystems (innermost first, umount_all_under_sysroot in mount.c)
 * and flush everything. */
#include <config.h>

#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"
#include "handles.h"

int
do_internal_autosync (void)
{
  /* Open handles would keep their filesystems busy. */
  handles_release_all ();
  /* On the host (tests) or with -r, filesystems are not ours to
   * unmount. */
  if (!host_mode && sysroot_len > 0 && umount_all_under_sysroot () == -1)
    return -1;
  sync ();
  return 0;
}
