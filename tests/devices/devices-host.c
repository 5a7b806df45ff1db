/* The device actions against a guestfsd running on the host: every
 * one that would reach the host's disks, volume groups or mounts must
 * refuse (EPERM) instead, and the harmless ones must still work. */
#define _GNU_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int
main (void)
{
  struct test_daemon td;
  guestfs_h *g = test_daemon_start (&td);
  guestfs_set_error_handler (g, NULL, NULL);

  const char *host_disk = "/dev/sda";
  CHECK_ERROR_NULL (g, guestfs_list_devices (g), EPERM, "on the host");
  CHECK_ERROR_NULL (g, guestfs_list_partitions (g), EPERM, "on the host");
  CHECK_ERROR_NULL (g, guestfs_list_dm_devices (g), EPERM, "on the host");
  CHECK_ERROR_NULL (g, guestfs_list_filesystems (g), EPERM, "on the host");
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, host_disk), EPERM, host_disk);
  CHECK_ERROR (g, guestfs_part_init (g, host_disk, "gpt"), EPERM, host_disk);
  CHECK_ERROR (g, guestfs_mkfs (g, "ext4", host_disk), EPERM, host_disk);
  CHECK_ERROR (g, guestfs_zero_device (g, host_disk), EPERM, host_disk);
  CHECK_ERROR (g, guestfs_luks_close (g, "/dev/mapper/x"), EPERM, NULL);
  CHECK_ERROR (g, guestfs_mount (g, host_disk, "/"), EPERM, host_disk);
  CHECK_ERROR (g, guestfs_mount (g, "btrfsvol:/dev/sda1/x", "/"), EPERM, NULL);
  CHECK_ERROR (g, guestfs_umount (g, "/"), EPERM, NULL);
  CHECK_ERROR_NULL (g, guestfs_vgs (g), EPERM, "LVM");
  CHECK_ERROR_NULL (g, guestfs_lvs (g), EPERM, "LVM");
  CHECK_ERROR (g, guestfs_vg_activate_all (g, 0), EPERM, "LVM");
  CHECK_ERROR (g, guestfs_vgremove (g, "vg"), EPERM, "LVM");
  CHECK_ERROR (g, guestfs_btrfs_subvolume_create (g, "/sub"), EPERM, "/sub");
  CHECK_ERROR_NULL (g, guestfs_btrfs_subvolume_list (g, "/"), EPERM, NULL);
  CHECK_ERROR (g, guestfs_btrfs_filesystem_sync (g, "/"), EPERM, "/");
  CHECK_ERROR (g, guestfs_btrfs_quota_enable (g, "/", 1), EPERM, NULL);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_snapshot (g, "/a", "/b"), EPERM,
               NULL);
  CHECK_ERROR (g, guestfs_btrfs_fsck (g, host_disk, -1), EPERM, host_disk);
  CHECK_ERROR_NULL (g, guestfs_btrfs_filesystem_show (g, host_disk), EPERM,
                    host_disk);

  /* Argument checks come before anything else. */
  CHECK_ERROR (g, guestfs_blockdev_getss (g, "/dev/../etc/passwd"), EINVAL,
               "not a device name");
  CHECK_ERROR (g, guestfs_mkfs (g, "ext4", "sda"), EINVAL, "sda");
  CHECK_ERROR (g, guestfs_mount (g, "btrfsvol:sda1/x", "/"), EINVAL, NULL);

  /* Harmless: nothing mounted, groups known. */
  char **m = guestfs_mounts (g);
  CHECK (m && m[0] == NULL);
  free_list (m);
  m = guestfs_mountpoints (g);
  CHECK (m && m[0] == NULL);
  free_list (m);
  CHECK (guestfs_umount_all (g) == 0);
  char **groups = guestfs_available_all_groups (g);
  CHECK (groups && groups[0]);
  free_list (groups);
  const char *none[] = {NULL};
  CHECK (guestfs_available (g, (char **)none) == 0);
  const char *bad[] = {"nonsense", NULL};
  CHECK_ERROR (g, guestfs_feature_available (g, (char **)bad), EINVAL,
               "nonsense");

  test_daemon_stop (&td, g);
  return test_result ();
}
