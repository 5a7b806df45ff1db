/* Filesystem maintenance in the appliance, on a scratch disk: resizing
 * ext4 and NTFS, superblock details, random UUIDs, minimum sizes,
 * trimming, zeroing free space, testing for zeros, swap on devices,
 * labels, UUIDs and files, and XFS geometry and growing.
 *
 * /dev/sda: partition 1 (256 MiB) and partition 2 (the rest). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "edit-util.h"

#define MiB (1024 * 1024)
#define P1 "/dev/sda1"
#define P2 "/dev/sda2"

static guestfs_h *g;

/* tune2fs -l's value for key, as a number (-1 if missing). */
static int64_t
superblock_number (const char *device, const char *key)
{
  char **kv = guestfs_tune2fs_l (g, device);
  int64_t r = -1;
  for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
    if (strcmp (kv[i], key) == 0)
      r = strtoll (kv[i + 1], NULL, 10);
  free_list (kv);
  return r;
}

static const char *
superblock_value (char **kv, const char *key)
{
  for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
    if (strcmp (kv[i], key) == 0)
      return kv[i + 1];
  return NULL;
}

static int64_t
ext_size (const char *device)
{
  return superblock_number (device, "Block count") *
         superblock_number (device, "Block size");
}

static void
test_ext_resize (void)
{
  CHECK (guestfs_mkfs (g, "ext4", P1) == 0);
  int64_t part = guestfs_blockdev_getsize64 (g, P1);
  CHECK (part == 256 * MiB);
  CHECK (ext_size (P1) == part);

  char **kv = guestfs_tune2fs_l (g, P1);
  const char *magic = superblock_value (kv, "Filesystem magic number");
  const char *name = superblock_value (kv, "Filesystem volume name");
  CHECK (magic && strcmp (magic, "0xEF53") == 0);
  CHECK (name && strcmp (name, "") == 0); /* <none> */
  CHECK (superblock_value (kv, "tune2fs 1.47.0 (5-Feb-2023)") == NULL);
  free_list (kv);

  CHECK (guestfs_resize2fs_size (g, P1, 100 * MiB + 512) == 0);
  CHECK (ext_size (P1) == 100 * MiB);
  CHECK_ERROR (g, guestfs_resize2fs_size (g, P1, 1000), EINVAL, "too small");
  /* Growing back: resize2fs wants a check first, as in libguestfs. */
  CHECK (guestfs_e2fsck (g, P1, GUESTFS_E2FSCK_FORCEALL, 1, -1) == 0);
  CHECK (guestfs_resize2fs (g, P1) == 0);
  CHECK (ext_size (P1) == part);

  int64_t min = guestfs_vfs_minimum_size (g, P1);
  CHECK (min > 0 && min < part);
  CHECK (guestfs_e2fsck (g, P1, GUESTFS_E2FSCK_FORCEALL, 1, -1) == 0);
  CHECK (guestfs_resize2fs_M (g, P1) == 0);
  int64_t shrunk = ext_size (P1);
  CHECK (shrunk > 0 && shrunk <= min);
  CHECK (guestfs_e2fsck (g, P1, GUESTFS_E2FSCK_FORCEALL, 1, -1) == 0);
  CHECK (guestfs_resize2fs (g, P1) == 0);

  char *before = guestfs_vfs_uuid (g, P1);
  CHECK (guestfs_set_uuid_random (g, P1) == 0);
  char *after = guestfs_vfs_uuid (g, P1);
  CHECK (before && after && strcmp (before, after) != 0);
  CHECK (after && strlen (after) == 36 && after[14] == '4');
  free (before);
  free (after);

  CHECK_ERROR (g, guestfs_resize2fs (g, P2), 0, "resize2fs");
  CHECK_ERROR (g, guestfs_vfs_minimum_size (g, P2), ENOTSUP, NULL);
}

static void
test_zeros (void)
{
  CHECK (guestfs_zero_device (g, P2) == 0);
  CHECK (guestfs_is_zero_device (g, P2) == 1);
  CHECK (guestfs_pwrite_device (g, P2, "x", 1, 100 * MiB) == 1);
  CHECK (guestfs_is_zero_device (g, P2) == 0);

  CHECK (guestfs_mount (g, P1, "/") == 0);
  CHECK (guestfs_fill (g, 0, 3 * MiB, "/zeros") == 0);
  CHECK (guestfs_is_zero (g, "/zeros") == 1);
  CHECK (guestfs_touch (g, "/empty") == 0);
  CHECK (guestfs_is_zero (g, "/empty") == 1);
  CHECK (guestfs_pwrite (g, "/zeros", "y", 1, 2 * MiB) == 1);
  CHECK (guestfs_is_zero (g, "/zeros") == 0);
  CHECK_ERROR (g, guestfs_is_zero (g, "/nonexistent"), ENOENT, NULL);

  /* Fill the disk with data, free it, zero the free space: the
   * filesystem is as it was, with nothing left behind. */
  CHECK (guestfs_fill (g, 'z', 64 * MiB, "/data") == 0);
  CHECK (guestfs_rm (g, "/data") == 0);
  struct guestfs_statvfs *before = guestfs_statvfs (g, "/");
  CHECK (guestfs_zero_free_space (g, "/") == 0);
  struct guestfs_statvfs *after = guestfs_statvfs (g, "/");
  CHECK (before && after && before->bfree == after->bfree);
  guestfs_free_statvfs (before);
  guestfs_free_statvfs (after);
  char **names = guestfs_ls (g, "/");
  CHECK (names && names[0] && strcmp (names[0], "empty") == 0 && names[1] &&
         strcmp (names[1], "lost+found") == 0 && names[2] &&
         strcmp (names[2], "zeros") == 0 && names[3] == NULL);
  free_list (names);

  /* Trimming: the virtio disk takes discards (qemu ignores them). */
  CHECK (guestfs_fstrim (g, "/", -1) == 0);
  CHECK (guestfs_fstrim (g, "/", GUESTFS_FSTRIM_MINIMUMFREEEXTENT,
                         (int64_t)4096, GUESTFS_FSTRIM_OFFSET, (int64_t)0,
                         -1) == 0);
  CHECK_ERROR (g,
               guestfs_fstrim (g, "/", GUESTFS_FSTRIM_LENGTH, (int64_t)-1, -1),
               EINVAL, "negative");
  CHECK_ERROR (g, guestfs_fstrim (g, "/nonexistent", -1), ENOENT, NULL);
  CHECK (guestfs_umount (g, "/") == 0);

  CHECK (guestfs_zerofree (g, P1) == 0);
  CHECK (guestfs_blkdiscard (g, P2) == 0);
  int zeroes = guestfs_blkdiscardzeroes (g, P2);
  CHECK (zeroes == 0 || zeroes == 1);
}

static void
test_swap (void)
{
  CHECK (guestfs_mkswap_L (g, "SWAPLABEL", P2) == 0);
  char *label = guestfs_vfs_label (g, P2);
  CHECK (label && strcmp (label, "SWAPLABEL") == 0);
  free (label);
  CHECK (guestfs_swapon_label (g, "SWAPLABEL") == 0);
  CHECK_ERROR (g, guestfs_swapon_device (g, P2), EBUSY, NULL);
  CHECK (guestfs_swapoff_label (g, "SWAPLABEL") == 0);
  CHECK_ERROR (g, guestfs_swapon_label (g, "NOSUCHLABEL"), ENOENT, NULL);

  static const char uuid[] = "5a3e7c1d-2b4f-4e6a-9c8d-0f1e2d3c4b5a";
  CHECK (guestfs_mkswap_U (g, uuid, P2) == 0);
  char *got = guestfs_vfs_uuid (g, P2);
  CHECK (got && strcmp (got, uuid) == 0);
  free (got);
  CHECK (guestfs_swapon_uuid (g, uuid) == 0);
  CHECK (guestfs_swapoff_uuid (g, uuid) == 0);

  CHECK (guestfs_swapon_device (g, P2) == 0);
  CHECK (guestfs_swapoff_device (g, P2) == 0);
  CHECK_ERROR (g, guestfs_swapoff_device (g, P2), EINVAL, NULL);

  CHECK (guestfs_mount (g, P1, "/") == 0);
  CHECK (guestfs_fill (g, 0, 32 * MiB, "/swapfile") == 0);
  CHECK (guestfs_chmod (g, 0600, "/swapfile") == 0);
  CHECK (guestfs_mkswap_file (g, "/swapfile") == 0);
  CHECK (guestfs_swapon_file (g, "/swapfile") == 0);
  CHECK (guestfs_swapoff_file (g, "/swapfile") == 0);
  CHECK_ERROR (g, guestfs_mkswap_file (g, "/nonexistent"), ENOENT, NULL);
  CHECK (guestfs_umount (g, "/") == 0);
}

static void
test_ntfs (void)
{
  CHECK (guestfs_mkfs (g, "ntfs", P2) == 0);
  int64_t part = guestfs_blockdev_getsize64 (g, P2);
  int64_t min = guestfs_vfs_minimum_size (g, P2);
  CHECK (min > 0 && min < part);
  CHECK (guestfs_ntfsresize_opts (g, P2, GUESTFS_NTFSRESIZE_OPTS_SIZE,
                                  (int64_t)200 * MiB, -1) == 0);
  /* Marked for a check by Windows: only force resizes again. */
  CHECK_ERROR (g, guestfs_ntfsresize (g, P2), 0, "ntfsresize");
  CHECK (guestfs_ntfsresize_opts (g, P2, GUESTFS_NTFSRESIZE_OPTS_FORCE, 1,
                                  -1) == 0);
  CHECK_ERROR (g,
               guestfs_ntfsresize_opts (g, P2, GUESTFS_NTFSRESIZE_OPTS_SIZE,
                                        (int64_t)0, -1),
               EINVAL, NULL);
}

static void
test_xfs (void)
{
  CHECK (guestfs_mkfs (g, "xfs", P2) == 0);
  int64_t part = guestfs_blockdev_getsize64 (g, P2);
  struct guestfs_xfsinfo *dev = guestfs_xfs_info (g, P2);
  CHECK (dev && dev->xfs_blocksize == 4096 &&
         dev->xfs_datablocks == (uint64_t)part / 4096);
  /* The device as the appliance's kernel names it (/dev/vda2). */
  const char *devname = dev ? strrchr (dev->xfs_mntpoint, '/') : NULL;
  CHECK (devname && strcmp (devname + 2, "da2") == 0);
  if (dev)
    printf ("xfs_info %s: meta-data=%s\n", P2, dev->xfs_mntpoint);
  CHECK (dev && strcmp (dev->xfs_logname, "internal") == 0);
  CHECK (dev && strcmp (dev->xfs_rtname, "none") == 0);
  CHECK (dev && dev->xfs_dirversion == 2 && dev->xfs_logversion == 2);
  CHECK (dev && dev->xfs_agcount >= 1 && dev->xfs_inodesize >= 256 &&
         dev->xfs_sectsize == 512 && dev->xfs_logsectsize == 512);
  CHECK (dev && dev->xfs_rtblocks == 0 && dev->xfs_rtextents == 0);

  CHECK (guestfs_mount (g, P2, "/") == 0);
  struct guestfs_xfsinfo *mounted = guestfs_xfs_info (g, "/");
  CHECK (mounted && dev && mounted->xfs_datablocks == dev->xfs_datablocks &&
         mounted->xfs_agsize == dev->xfs_agsize);
  CHECK (guestfs_xfs_growfs (g, "/", GUESTFS_XFS_GROWFS_DATASEC, 1,
                             GUESTFS_XFS_GROWFS_MAXPCT, 30, -1) == 0);
  struct guestfs_xfsinfo *grown = guestfs_xfs_info (g, "/");
  CHECK (grown && grown->xfs_imaxpct == 30);
  CHECK_ERROR (
      g,
      guestfs_xfs_growfs (g, "/", GUESTFS_XFS_GROWFS_DATASIZE, (int64_t)-1, -1),
      EINVAL, "datasize");
  CHECK_ERROR (g, guestfs_xfs_growfs (g, "/nonexistent", -1), ENOENT, NULL);
  CHECK (guestfs_umount (g, "/") == 0);
  guestfs_free_xfsinfo (dev);
  guestfs_free_xfsinfo (mounted);
  guestfs_free_xfsinfo (grown);
}

int
main (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_scratch (g, 1024 * MiB, -1) == -1) {
    fprintf (stderr, "FAIL: add_drive_scratch: %s\n", guestfs_last_error (g));
    return 1;
  }
  if (guestfs_launch (g) == -1) {
    int e = guestfs_last_errno (g);
    if (e == ENOTSUP || e == ENOENT)
      skip ("cannot boot the appliance here: %s", guestfs_last_error (g));
    fprintf (stderr, "FAIL: launch: %s\n", guestfs_last_error (g));
    return 1;
  }
  CHECK (guestfs_part_init (g, "/dev/sda", "mbr") == 0);
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048, 2048 + 256 * 2048 - 1) ==
         0);
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048 + 256 * 2048, -2048) == 0);

  test_ext_resize ();
  test_zeros ();
  test_swap ();
  test_ntfs ();
  test_xfs ();

  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
  return test_result ();
}
