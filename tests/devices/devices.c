/* Devices, partitions, LVM, LUKS, filesystems and mounting, run in the
 * appliance.
 *
 * One boot for everything (booting is the slow part under emulation),
 * with three scratch disks:
 *   A, 1 GiB:  MBR with primary, extended and logical partitions, one
 *              filesystem of each type;
 *   B, 3 TiB (sparse): GPT with a partition beyond 2 TiB;
 *   C, 512 MiB: GPT, LVM on partition 1 and LUKS on partition 2.
 * Device names come from list_devices (the appliance may call them
 * sdX or vdX); arguments also exercise the /dev/sd* translation.
 */
#define _GNU_SOURCE 1
#include <stdarg.h>
#include <inttypes.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices-util.h"
#include "harness.h"

#define MiB (UINT64_C (1) << 20)
#define GiB (UINT64_C (1) << 30)
#define TiB (UINT64_C (1) << 40)

static guestfs_h *g;
static char *disk_a, *disk_b, *disk_c;
static char *std_a; /* disk_a under its /dev/sd* name */

/* ---- Small helpers ---- */

/* Partition n of disk: /dev/sda + 5 → /dev/sda5. */
static char *
part (const char *disk, int n)
{
  return xasprintf ("%s%d", disk, n);
}

static void
check_vfs_type (const char *dev, const char *want)
{
  char *t;
  OKP (t, guestfs_vfs_type (g, dev));
  if (t && strcmp (t, want) != 0) {
    fprintf (stderr, "FAIL: vfs_type %s is \"%s\", expected \"%s\"\n", dev, t,
             want);
    ++test_failures;
  }
  free (t);
}

/* Mount dev on /, write a file, read it back, unmount, check it. */
static void
write_and_check (const char *dev, const char *fstype, const char *options)
{
  char *msg = xasprintf ("hello from %s on %s\n", fstype, dev);
  if (options)
    OK (g, guestfs_mount_options (g, options, dev, "/"));
  else
    OK (g, guestfs_mount (g, dev, "/"));
  OK (g, guestfs_mkdir (g, "/dir"));
  OK (g, guestfs_write (g, "/dir/file", msg, strlen (msg)));
  OK (g, guestfs_sync (g));
  char *back;
  OKP (back, guestfs_cat (g, "/dir/file"));
  CHECK_STREQ (back, msg);
  free (back);
  OK (g, guestfs_umount (g, "/"));
  /* Again after a remount: the data reached the disk. */
  OK (g, guestfs_mount_ro (g, dev, "/"));
  OKP (back, guestfs_cat (g, "/dir/file"));
  CHECK_STREQ (back, msg);
  free (back);
  CHECK_ERROR (g, guestfs_touch (g, "/dir/new"), EROFS, NULL);
  OK (g, guestfs_umount (g, "/"));
  free (msg);
}

/* A failure that makes the rest pointless: stop the appliance too. */
static _Noreturn void
bail (void)
{
  guestfs_close (g);
  exit (EXIT_FAILURE);
}

/* ---- The tests ---- */

static void
test_discovery (void)
{
  section ("discovery and device errors");
  char **devs;
  OKP (devs, guestfs_list_devices (g));
  CHECK (list_len (devs) == 3);
  if (list_len (devs) != 3) {
    fprintf (stderr, "FAIL: list_devices gave %zu disks, cannot go on\n",
             list_len (devs));
    bail ();
  }
  disk_a = strdup (devs[0]);
  disk_b = strdup (devs[1]);
  disk_c = strdup (devs[2]);
  free_list (devs);
  /* Sorted, and the appliance's own disk is not among them. */
  CHECK (strcmp (disk_a, disk_b) < 0 && strcmp (disk_b, disk_c) < 0);
  /* Named as libguestfs names them, whatever the appliance's kernel
   * calls them; every other reply below uses these names. */
  CHECK (strcmp (disk_a, "/dev/sda") == 0 && strcmp (disk_c, "/dev/sdc") == 0);
  /* The disks are named in the order they were added. */
  if (guestfs_blockdev_getsize64 (g, disk_a) != (int64_t)GiB ||
      guestfs_blockdev_getsize64 (g, disk_b) != (int64_t)(3 * TiB)) {
    fprintf (stderr,
             "FAIL: the disks are not named in the order they were "
             "added (sizes of %s, %s: %" PRIi64 ", %" PRIi64 ")\n",
             disk_a, disk_b, guestfs_blockdev_getsize64 (g, disk_a),
             guestfs_blockdev_getsize64 (g, disk_b));
    bail ();
  }
  CHECK (guestfs_blockdev_getsize64 (g, disk_a) == (int64_t)GiB);
  CHECK (guestfs_blockdev_getsize64 (g, disk_b) == (int64_t)(3 * TiB));
  CHECK (guestfs_blockdev_getsz (g, disk_c) == (int64_t)(512 * MiB / 512));
  CHECK (guestfs_blockdev_getss (g, disk_a) == 512);
  CHECK (guestfs_blockdev_getro (g, disk_a) == 0);
  /* The standard /dev/sd* name works whatever the appliance calls the
   * disk (/dev/vda is /dev/sda, ...). */
  std_a = xasprintf ("/dev/sd%s", disk_a + strlen ("/dev/sd"));
  if (guestfs_blockdev_getsize64 (g, std_a) != (int64_t)GiB) {
    /* Never go on with a name that may be some other disk. */
    fprintf (stderr, "FAIL: %s does not name %s\n", std_a, disk_a);
    bail ();
  }

  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/sdz"), ENOENT,
               "/dev/sdz");
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/null"), ENOTBLK,
               "/dev/null");
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/../dev/sda"), EINVAL,
               "/dev/../dev/sda");
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "sda"), EINVAL, "sda");

  char **groups;
  OKP (groups, guestfs_available_all_groups (g));
  CHECK (list_has (groups, "lvm2") && list_has (groups, "luks"));
  free_list (groups);
  const char *want[] = {"lvm2",      "luks",   "xfs", "btrfs",
                        "ntfsprogs", "ntfs3g", NULL};
  OK (g, guestfs_available (g, (char **)want));
  CHECK (guestfs_feature_available (g, (char **)want) == 1);
  const char *bad[] = {"lvm2", "no-such-group", NULL};
  CHECK_ERROR (g, guestfs_available (g, (char **)bad), EINVAL, "no-such-group");
}

/* Disk A: MBR with 2 primaries and an extended partition holding five
 * logical ones. */
static void
test_mbr (void)
{
  section ("MBR partitions");
  OK (g, guestfs_part_init (g, disk_a, "mbr"));
  char *t;
  OKP (t, guestfs_part_get_parttype (g, disk_a));
  CHECK_STREQ (t, "msdos");
  free (t);
  static const struct {
    const char *kind;
    int64_t start, end;
  } layout[] = {
      {"p", 2048, 657407},     /* 1: 320 MiB, xfs */
      {"p", 657408, 788479},   /* 2: 64 MiB, ext4 */
      {"e", 788480, -1},       /* 3: extended, to the end */
      {"l", 790528, 921599},   /* 5: 64 MiB, vfat */
      {"l", 923648, 1185791},  /* 6: 128 MiB, btrfs */
      {"l", 1187840, 1253375}, /* 7: 32 MiB, ntfs */
      {"l", 1255424, 1288191}, /* 8: 16 MiB, swap */
      {"l", 1290240, 1355775}, /* 9: 32 MiB, ext2 then erased */
  };
  for (size_t i = 0; i < sizeof layout / sizeof layout[0]; ++i)
    OK (g, guestfs_part_add (g, std_a, layout[i].kind, layout[i].start,
                          layout[i].end));

  struct guestfs_partition_list *pl;
  OKP (pl, guestfs_part_list (g, disk_a));
  if (pl) {
    CHECK (pl->len == 8);
    CHECK (pl->len > 0 && pl->val[0].part_num == 1 &&
           pl->val[0].part_start == 2048 * 512 &&
           pl->val[0].part_end == 657408 * 512 - 1 &&
           pl->val[0].part_size == 320 * MiB);
    CHECK (pl->len > 2 && pl->val[2].part_num == 3 &&
           pl->val[2].part_end == GiB - 1);
    CHECK (pl->len > 3 && pl->val[3].part_num == 5 &&
           pl->val[3].part_start == 790528 * 512);
    guestfs_free_partition_list (pl);
  }

  char **parts;
  OKP (parts, guestfs_list_partitions (g));
  char *p1 = part (disk_a, 1), *p5 = part (disk_a, 5), *p9 = part (disk_a, 9);
  CHECK (list_has (parts, p1) && list_has (parts, p5) && list_has (parts, p9));
  /* Sorted numerically: sda9 before sda10 would be; here 1..9. */
  CHECK (parts && strcmp (parts[0], p1) == 0);
  free_list (parts);

  OKP (t, guestfs_part_to_dev (g, p5));
  CHECK_STREQ (t, disk_a);
  free (t);
  CHECK (guestfs_part_to_partnum (g, p5) == 5);
  CHECK_ERROR (g, guestfs_part_to_partnum (g, disk_a), EINVAL,
               "not a partition");

  CHECK (guestfs_part_get_mbr_id (g, disk_a, 1) == 0x83);
  CHECK (guestfs_part_get_mbr_id (g, disk_a, 3) == 0x05);
  OK (g, guestfs_part_set_mbr_id (g, disk_a, 2, 0x8e));
  CHECK (guestfs_part_get_mbr_id (g, disk_a, 2) == 0x8e);
  OK (g, guestfs_part_set_mbr_id (g, disk_a, 2, 0x83));
  CHECK (guestfs_part_get_bootable (g, disk_a, 1) == 0);
  OK (g, guestfs_part_set_bootable (g, disk_a, 1, 1));
  CHECK (guestfs_part_get_bootable (g, disk_a, 1) == 1);
  OK (g, guestfs_part_set_bootable (g, disk_a, 2, 1));
  CHECK (guestfs_part_get_bootable (g, disk_a, 1) == 0);
  CHECK (guestfs_part_get_bootable (g, disk_a, 2) == 1);
  OK (g, guestfs_part_set_bootable (g, disk_a, 2, 0));
  CHECK (guestfs_part_get_bootable (g, disk_a, 2) == 0);
  CHECK_ERROR (g, guestfs_part_set_name (g, disk_a, 1, "x"), EINVAL, "GPT");
  CHECK_ERROR (g, guestfs_part_add (g, disk_a, "p", 1400000, 1500000), EINVAL,
               "extended");
  CHECK_ERROR (g, guestfs_part_add (g, disk_a, "x", 1400000, 1500000), EINVAL,
               "prlogex");
  CHECK_ERROR (g, guestfs_part_get_mbr_id (g, disk_a, 4), ENOENT, NULL);
  CHECK_ERROR (g, guestfs_part_init (g, disk_b, "sun"), EINVAL, "sun");
  free (p1);
  free (p5);
  free (p9);
}

/* One filesystem of each type on disk A, written, reread and checked. */
static void
test_filesystems (void)
{
  static const struct {
    int partnum;
    const char *fstype, *label;
  } fs[] = {
      {1, "xfs", "XFSLBL"},   {2, "ext4", "EXTLBL"}, {5, "vfat", "FATLBL"},
      {7, "ntfs", "NTFSLBL"}, {9, "ext2", NULL},
  };
  for (size_t i = 0; i < sizeof fs / sizeof fs[0]; ++i) {
    char *dev = part (disk_a, fs[i].partnum);
    char *title = xasprintf ("mkfs, mount, fsck: %s", fs[i].fstype);
    section (title);
    free (title);
    if (fs[i].label)
      OK (g, guestfs_mkfs_opts (g, fs[i].fstype, dev, GUESTFS_MKFS_OPTS_LABEL,
                             fs[i].label, -1));
    else
      OK (g, guestfs_mkfs (g, fs[i].fstype, dev));
    check_vfs_type (dev, fs[i].fstype);
    write_and_check (dev, fs[i].fstype, NULL);
    if (strcmp (fs[i].fstype, "ntfs") != 0) /* no fsck.ntfs */
      CHECK (guestfs_fsck (g, fs[i].fstype, dev) == 0);
    if (fs[i].label) {
      char *l;
      OKP (l, guestfs_vfs_label (g, dev));
      CHECK_STREQ (l, fs[i].label);
      free (l);
    }
    free (dev);
  }

  section ("labels, UUIDs, blkid, e2fsck");
  char *p2 = part (disk_a, 2), *p8 = part (disk_a, 8), *p9 = part (disk_a, 9);
  OK (g, guestfs_set_label (g, p2, "relabelled"));
  char *s;
  OKP (s, guestfs_vfs_label (g, p2));
  CHECK_STREQ (s, "relabelled");
  free (s);
  CHECK_ERROR (g, guestfs_set_label (g, p2, "a label that is far too long"),
               EINVAL, "16");
  /* tune2fs changes the UUID of a checksummed ext4 only if it was
   * checked after its last mount. */
  OK (g, guestfs_e2fsck (g, p2, GUESTFS_E2FSCK_FORCEALL, 1, -1));
  OK (g, guestfs_set_uuid (g, p2, "01234567-89ab-cdef-0123-456789abcdef"));
  OKP (s, guestfs_vfs_uuid (g, p2));
  CHECK_STREQ (s, "01234567-89ab-cdef-0123-456789abcdef");
  free (s);
  OK (g, guestfs_e2fsck (g, p2, -1));
  OK (g, guestfs_e2fsck (g, p2, GUESTFS_E2FSCK_CORRECT, 1, -1));
  CHECK_ERROR (g,
               guestfs_e2fsck (g, p2, GUESTFS_E2FSCK_CORRECT, 1,
                               GUESTFS_E2FSCK_FORCEALL, 1, -1),
               EINVAL, NULL);

  char **b;
  OKP (b, guestfs_blkid (g, p2));
  CHECK_STREQ (hash_get (b, "TYPE"), "ext4");
  CHECK_STREQ (hash_get (b, "LABEL"), "relabelled");
  CHECK_STREQ (hash_get (b, "PART_ENTRY_NUMBER"), "2");
  CHECK_STREQ (hash_get (b, "PART_ENTRY_SCHEME"), "dos");
  free_list (b);

  OK (g, guestfs_mkswap_opts (g, p8, GUESTFS_MKSWAP_OPTS_LABEL, "swappy", -1));
  check_vfs_type (p8, "swap");
  OKP (s, guestfs_vfs_label (g, p8));
  CHECK_STREQ (s, "swappy");
  free (s);

  /* mkfs options reach the filesystem. */
  OK (g, guestfs_mkfs_opts (g, "ext4", p9, GUESTFS_MKFS_OPTS_BLOCKSIZE, 1024,
                         GUESTFS_MKFS_OPTS_INODE, 256,
                         GUESTFS_MKFS_OPTS_FEATURES, "^has_journal", -1));
  OKP (b, guestfs_blkid (g, p9));
  CHECK_STREQ (hash_get (b, "BLOCK_SIZE"), "1024");
  CHECK_STREQ (hash_get (b, "TYPE"), "ext4");
  free_list (b);

  /* Mount options: flags and filesystem data. */
  OK (g, guestfs_mount_options (g, "noatime,errors=remount-ro,ro", p9, "/"));
  CHECK_ERROR (g, guestfs_touch (g, "/x"), EROFS, NULL);
  OK (g, guestfs_umount_opts (g, "/", GUESTFS_UMOUNT_OPTS_LAZYUNMOUNT, 1, -1));
  CHECK_ERROR (g, guestfs_mount_options (g, "no_such_option", p9, "/"), EINVAL,
               p9);

  /* Erasing. */
  OK (g, guestfs_wipefs (g, p9));
  check_vfs_type (p9, "");
  OK (g, guestfs_mkfs (g, "ext2", p9));
  OK (g, guestfs_zero (g, p9));
  check_vfs_type (p9, "");
  OK (g, guestfs_mkfs (g, "ext2", p9));
  OK (g, guestfs_zero_device (g, p9));
  check_vfs_type (p9, "");

  /* Each tool's spelling of the options (a FAT cluster is given in
   * sectors): the filesystem shows the result.  (xfs needs 300 MB, more
   * than this partition has.) */
  struct { const char *fstype; int blocksize; } sized[] = {
    { "vfat", 4096 }, { "ext4", 2048 }, { "ntfs", 8192 },
  };
  for (size_t i = 0; i < sizeof sized / sizeof sized[0]; ++i) {
    OK (g, guestfs_mkfs_opts (g, sized[i].fstype, p9,
                           GUESTFS_MKFS_OPTS_BLOCKSIZE, sized[i].blocksize,
                           -1));
    OK (g, guestfs_mount (g, p9, "/"));
    struct guestfs_statvfs *sv = guestfs_statvfs (g, "/");
    CHECK (sv && sv->bsize == sized[i].blocksize);
    guestfs_free_statvfs (sv);
    OK (g, guestfs_umount (g, "/"));
  }
  OK (g, guestfs_wipefs (g, p9));

  /* Errors. */
  CHECK_ERROR (g, guestfs_mkfs (g, "foofs", p9), EINVAL, "foofs");
  CHECK_ERROR (g, guestfs_mkfs_opts (g, "vfat", p9,
                                     GUESTFS_MKFS_OPTS_BLOCKSIZE, 1000, -1),
               EINVAL, "cluster");
  CHECK_ERROR (g, guestfs_mkfs_opts (g, "btrfs", p9,
                                     GUESTFS_MKFS_OPTS_BLOCKSIZE, 4096, -1),
               EINVAL, "blocksize");
  CHECK_ERROR (
      g, guestfs_mkfs_opts (g, "vfat", p9, GUESTFS_MKFS_OPTS_INODE, 256, -1),
      EINVAL, "inode");
  char *p1 = part (disk_a, 1);
  CHECK_ERROR (g, guestfs_mount_vfs (g, "", "xfs", p2, "/"), EINVAL, p2);
  CHECK_ERROR (g, guestfs_mount (g, p9, "/"), EINVAL, p9);
  OK (g, guestfs_mount (g, p2, "/"));
  CHECK_ERROR (g, guestfs_mount (g, p1, "/nonexistent"), ENOENT,
               "/nonexistent");
  CHECK_ERROR (g, guestfs_mount_options (g, "bind", p1, "/dir"), EINVAL,
               "bind");
  /* Nested mounts, listed and unmounted innermost first. */
  OK (g, guestfs_mount (g, p1, "/dir"));
  char **m;
  OKP (m, guestfs_mounts (g));
  CHECK (list_len (m) == 2 && strcmp (m[0], p2) == 0 && strcmp (m[1], p1) == 0);
  free_list (m);
  OKP (m, guestfs_mountpoints (g));
  CHECK_STREQ (hash_get (m, p2), "/");
  CHECK_STREQ (hash_get (m, p1), "/dir");
  free_list (m);
  CHECK_ERROR (g, guestfs_umount (g, "/"), EBUSY, NULL);
  OK (g, guestfs_umount (g, p1)); /* by device */
  OK (g, guestfs_mount (g, p1, "/dir"));
  OK (g, guestfs_umount_all (g));
  OKP (m, guestfs_mounts (g));
  CHECK (list_len (m) == 0);
  free_list (m);
  CHECK_ERROR (g, guestfs_umount (g, "/"), EINVAL, "not a mount point");
  free (p1);
  free (p2);
  free (p8);
  free (p9);
}

static void
test_btrfs (void)
{
  section ("btrfs subvolumes");
  char *p6 = part (disk_a, 6);
  OK (g,
      guestfs_mkfs_opts (g, "btrfs", p6, GUESTFS_MKFS_OPTS_LABEL, "BTR", -1));
  check_vfs_type (p6, "btrfs");
  OK (g, guestfs_mount (g, p6, "/"));
  OK (g, guestfs_btrfs_subvolume_create (g, "/sub1"));
  OK (g, guestfs_btrfs_subvolume_create (g, "/sub2"));
  OK (g, guestfs_write (g, "/sub1/in-sub1", "1", 1));
  struct guestfs_btrfssubvolume_list *sl;
  OKP (sl, guestfs_btrfs_subvolume_list (g, "/"));
  if (sl) {
    CHECK (sl->len == 2);
    CHECK (sl->len == 2 &&
           strcmp (sl->val[0].btrfssubvolume_path, "sub1") == 0 &&
           sl->val[0].btrfssubvolume_id >= 256 &&
           sl->val[0].btrfssubvolume_top_level_id == 5);
    guestfs_free_btrfssubvolume_list (sl);
  }
  OK (g, guestfs_btrfs_subvolume_delete (g, "/sub2"));
  OK (g, guestfs_umount (g, "/"));

  /* Listing from the device: a private mount. */
  OKP (sl, guestfs_btrfs_subvolume_list (g, p6));
  CHECK (sl && sl->len == 1);
  if (sl)
    guestfs_free_btrfssubvolume_list (sl);

  /* Mounting a subvolume, two ways. */
  char *vol = xasprintf ("btrfsvol:%s/sub1", p6);
  OK (g, guestfs_mount (g, vol, "/"));
  CHECK (guestfs_is_file (g, "/in-sub1") == 1);
  char **m;
  OKP (m, guestfs_mounts (g));
  CHECK (list_len (m) == 1 && strcmp (m[0], vol) == 0);
  free_list (m);
  char *t;
  OKP (t, guestfs_vfs_type (g, vol));
  CHECK_STREQ (t, "btrfs");
  free (t);
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_mount_options (g, "subvol=sub1", p6, "/"));
  CHECK (guestfs_is_file (g, "/in-sub1") == 1);
  OK (g, guestfs_umount (g, "/"));
  CHECK_ERROR (g, guestfs_mount (g, "btrfsvol:/dev/sdz1/sub1", "/"), ENOENT,
               NULL);
  char *dotdot = xasprintf ("btrfsvol:%s/../x", p6);
  CHECK_ERROR (g, guestfs_mount (g, dotdot, "/"), EINVAL, NULL);
  free (dotdot);
  free (vol);
  free (p6);
}

/* Disk B: GPT on 3 TiB, with partitions wholly beyond 2 TiB. */
static void
test_gpt_large (void)
{
  section ("GPT above 2 TiB");
  const int64_t two_tib = 2 * TiB / 512; /* in sectors */
  OK (g, guestfs_part_init (g, disk_b, "gpt"));
  char *t;
  OKP (t, guestfs_part_get_parttype (g, disk_b));
  CHECK_STREQ (t, "gpt");
  free (t);
  OK (g, guestfs_part_add (g, disk_b, "p", 2048, two_tib - 1));
  OK (g, guestfs_part_add (g, disk_b, "p", two_tib, two_tib + 131071));
  OK (g, guestfs_part_add (g, disk_b, "p", two_tib + 131072, -1));
  struct guestfs_partition_list *pl;
  OKP (pl, guestfs_part_list (g, disk_b));
  if (pl) {
    CHECK (pl->len == 3);
    CHECK (pl->len == 3 && pl->val[1].part_start == 2 * TiB &&
           pl->val[1].part_size == 64 * MiB);
    /* -1: the last sector before the backup table. */
    CHECK (pl->len == 3 && pl->val[2].part_end == 3 * TiB - 33 * 512 - 1);
    guestfs_free_partition_list (pl);
  }
  char *p2 = part (disk_b, 2), *p3 = part (disk_b, 3);
  CHECK (guestfs_blockdev_getsize64 (g, p2) == (int64_t)(64 * MiB));
  OK (g, guestfs_part_set_name (g, disk_b, 2, "beyond 2 TiB"));
  OKP (t, guestfs_part_get_name (g, disk_b, 2));
  CHECK_STREQ (t, "beyond 2 TiB");
  free (t);
  OK (g, guestfs_part_set_bootable (g, disk_b, 2, 1));
  CHECK (guestfs_part_get_bootable (g, disk_b, 2) == 1);
  OK (g, guestfs_part_set_bootable (g, disk_b, 2, 0));
  CHECK (guestfs_part_get_bootable (g, disk_b, 2) == 0);
  CHECK_ERROR (g, guestfs_part_get_mbr_id (g, disk_b, 1), EINVAL, "MBR");
  CHECK_ERROR (g, guestfs_part_add (g, disk_b, "e", 100, 200), EINVAL, "GPT");
  /* A filesystem beyond 2 TiB really lands there. */
  OK (g, guestfs_mkfs (g, "ext4", p2));
  write_and_check (p2, "ext4", NULL);
  OK (g, guestfs_part_del (g, disk_b, 3));
  char **parts;
  OKP (parts, guestfs_list_partitions (g));
  CHECK (list_has (parts, p2) && !list_has (parts, p3));
  free_list (parts);
  free (p2);
  free (p3);
}

/* Disk C, partition 1: LVM. */
static void
test_lvm (void)
{
  section ("LVM");
  /* part_disk first, replaced at once by the table the rest uses. */
  OK (g, guestfs_part_disk (g, disk_c, "mbr"));
  struct guestfs_partition_list *pl;
  OKP (pl, guestfs_part_list (g, disk_c));
  CHECK (pl && pl->len == 1 && pl->val[0].part_start == MiB &&
         pl->val[0].part_end == 512 * MiB - 1);
  if (pl)
    guestfs_free_partition_list (pl);
  OK (g, guestfs_blockdev_setro (g, disk_c));
  CHECK (guestfs_blockdev_getro (g, disk_c) == 1);
  OK (g, guestfs_blockdev_setrw (g, disk_c));
  CHECK (guestfs_blockdev_getro (g, disk_c) == 0);
  OK (g, guestfs_blockdev_flushbufs (g, disk_c));
  OK (g, guestfs_blockdev_rereadpt (g, disk_c));
  OK (g, guestfs_part_init (g, disk_c, "gpt"));
  OK (g, guestfs_part_add (g, disk_c, "p", 2048, 526335)); /* 256 MiB */
  OK (g, guestfs_part_add (g, disk_c, "p", 526336, -1));   /* the rest */
  char *pv = part (disk_c, 1);
  OK (g, guestfs_pvcreate (g, pv));
  check_vfs_type (pv, "LVM2_member");
  const char *pvs[] = {pv, NULL};
  OK (g, guestfs_vgcreate (g, "VG", (char **)pvs));
  OK (g, guestfs_lvcreate (g, "LV1", "VG", 64));
  OK (g, guestfs_lvcreate_free (g, "LV2", "VG", 50));
  CHECK_ERROR (g, guestfs_lvcreate (g, "-bad", "VG", 8), EINVAL, "-bad");
  CHECK_ERROR (g, guestfs_lvcreate (g, "LV3", "NOVG", 8), 0, "NOVG");

  char **l;
  OKP (l, guestfs_pvs (g));
  CHECK (list_len (l) == 1 && list_has (l, pv));
  free_list (l);
  OKP (l, guestfs_vgs (g));
  CHECK (list_len (l) == 1 && list_has (l, "VG"));
  free_list (l);
  OKP (l, guestfs_lvs (g));
  CHECK (list_len (l) == 2 && list_has (l, "/dev/VG/LV1") &&
         list_has (l, "/dev/VG/LV2"));
  free_list (l);

  struct guestfs_lvm_lv_list *lvs;
  OKP (lvs, guestfs_lvs_full (g));
  if (lvs) {
    CHECK (lvs->len == 2);
    for (uint32_t i = 0; i < lvs->len; ++i)
      if (strcmp (lvs->val[i].lv_name, "LV1") == 0) {
        CHECK (lvs->val[i].lv_size == 64 * MiB);
        /* 32 characters, no NUL: libguestfs's char[32]. */
        CHECK (strnlen (lvs->val[i].lv_uuid, 32) == 32 &&
               memchr (lvs->val[i].lv_uuid, ' ', 32) == NULL);
        CHECK (lvs->val[i].snap_percent == -1);
      }
    guestfs_free_lvm_lv_list (lvs);
  }
  struct guestfs_lvm_vg_list *vgs;
  OKP (vgs, guestfs_vgs_full (g));
  CHECK (vgs && vgs->len == 1 && vgs->val[0].lv_count == 2 &&
         vgs->val[0].pv_count == 1);
  if (vgs)
    guestfs_free_lvm_vg_list (vgs);
  struct guestfs_lvm_pv_list *pvl;
  OKP (pvl, guestfs_pvs_full (g));
  CHECK (pvl && pvl->len == 1 && pvl->val[0].pv_size > 250 * MiB);
  CHECK (pvl && pvl->len == 1 && strcmp (pvl->val[0].pv_name, pv) == 0);
  if (pvl)
    guestfs_free_lvm_pv_list (pvl);

  OK (g, guestfs_mkfs (g, "ext4", "/dev/VG/LV1"));
  write_and_check ("/dev/VG/LV1", "ext4", NULL);
  OK (g, guestfs_mount (g, "/dev/VG/LV1", "/"));
  OKP (l, guestfs_mounts (g));
  CHECK (list_len (l) == 1 && list_has (l, "/dev/VG/LV1"));
  free_list (l);
  OK (g, guestfs_umount (g, "/"));
  char **dm;
  OKP (dm, guestfs_list_dm_devices (g));
  CHECK (list_len (dm) == 0); /* LVs are not listed */
  free_list (dm);

  OK (g, guestfs_lvresize (g, "/dev/VG/LV2", 32));
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/VG/LV2") == (int64_t)(32 * MiB));

  /* Deactivated, the nodes go; activated, they come back. */
  OK (g, guestfs_vg_activate_all (g, 0));
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/VG/LV1"), ENOENT, NULL);
  OK (g, guestfs_vgscan (g));
  const char *vgnames[] = {"VG", NULL};
  OK (g, guestfs_vg_activate (g, 1, (char **)vgnames));
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/VG/LV1") == (int64_t)(64 * MiB));
  check_vfs_type ("/dev/VG/LV1", "ext4");

  char **fs;
  OKP (fs, guestfs_list_filesystems (g));
  CHECK_STREQ (hash_get (fs, "/dev/VG/LV1"), "ext4");
  CHECK_STREQ (hash_get (fs, "/dev/VG/LV2"), "unknown");
  CHECK (hash_get (fs, pv) == NULL); /* a PV is no filesystem */
  free_list (fs);

  OK (g, guestfs_lvremove (g, "/dev/VG/LV2"));
  OKP (l, guestfs_lvs (g));
  CHECK (list_len (l) == 1);
  free_list (l);
  OK (g, guestfs_vgremove (g, "VG"));
  OK (g, guestfs_pvremove (g, pv));
  check_vfs_type (pv, "");
  OKP (l, guestfs_vgs (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  free (pv);
}

/* Disk C, partition 2: LUKS.  Every unlock costs seconds under
 * emulation (the key derivation is made to be slow), so each one here
 * tests something different. */
static void
test_luks (void)
{
  section ("LUKS");
  char *dev = part (disk_c, 2);
  OK (g, guestfs_luks_format (g, dev, "correct horse", 0));
  check_vfs_type (dev, "crypto_LUKS");
  CHECK_ERROR (g, guestfs_luks_open (g, dev, "wrong key", "secret"), EPERM,
               "wrong key");
  OK (g, guestfs_ping_daemon (g)); /* the handle is still usable */
  OK (g, guestfs_cryptsetup_open (g, dev, "correct horse", "secret",
                               GUESTFS_CRYPTSETUP_OPEN_CRYPTTYPE, "luks", -1));
  char **dm;
  OKP (dm, guestfs_list_dm_devices (g));
  CHECK (list_len (dm) == 1 && list_has (dm, "/dev/mapper/secret"));
  free_list (dm);
  OK (g, guestfs_mkfs (g, "ext4", "/dev/mapper/secret"));
  write_and_check ("/dev/mapper/secret", "ext4", NULL);
  char **fs;
  OKP (fs, guestfs_list_filesystems (g));
  CHECK_STREQ (hash_get (fs, dev), "crypto_LUKS");
  CHECK_STREQ (hash_get (fs, "/dev/mapper/secret"), "ext4");
  free_list (fs);
  CHECK_ERROR (g, guestfs_luks_close (g, dev), EINVAL, "mapper");
  OK (g, guestfs_luks_close (g, "/dev/mapper/secret"));
  OKP (dm, guestfs_list_dm_devices (g));
  CHECK (list_len (dm) == 0);
  free_list (dm);

  OK (g, guestfs_luks_add_key (g, dev, "correct horse", "battery staple", 1));
  OK (g, guestfs_luks_open_ro (g, dev, "battery staple", "again"));
  CHECK (guestfs_blockdev_getro (g, "/dev/mapper/again") == 1);
  OK (g, guestfs_mount_ro (g, "/dev/mapper/again", "/"));
  CHECK (guestfs_is_file (g, "/dir/file") == 1);
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_cryptsetup_close (g, "/dev/mapper/again"));
  CHECK_ERROR (g, guestfs_luks_open (g, dev, "correct horse", "a/b"), EINVAL,
               "mapname");
  CHECK_ERROR (g, guestfs_luks_format (g, dev, "k", 32), EINVAL, "keyslot");
  free (dev);
}

static void
test_list_filesystems (void)
{
  section ("list_filesystems");
  char **fs;
  OKP (fs, guestfs_list_filesystems (g));
  char *p1 = part (disk_a, 1), *p3 = part (disk_a, 3), *p6 = part (disk_a, 6),
       *p7 = part (disk_a, 7), *p8 = part (disk_a, 8), *p9 = part (disk_a, 9);
  char *vol = xasprintf ("btrfsvol:%s/sub1", p6);
  CHECK_STREQ (hash_get (fs, p1), "xfs");
  CHECK_STREQ (hash_get (fs, p6), "btrfs");
  CHECK_STREQ (hash_get (fs, vol), "btrfs");
  CHECK_STREQ (hash_get (fs, p7), "ntfs");
  CHECK_STREQ (hash_get (fs, p8), "swap");
  CHECK_STREQ (hash_get (fs, p9), "unknown");
  CHECK (hash_get (fs, p3) == NULL);     /* extended partition */
  CHECK (hash_get (fs, disk_a) == NULL); /* partitioned disk */
  free_list (fs);
  free (vol);
  free (p1);
  free (p3);
  free (p6);
  free (p7);
  free (p8);
  free (p9);
}

/* Whole-device copies, checksums and compressed downloads, loop
 * mounts and remounts: an ext2 image made on partition 9 (left wiped
 * by test_filesystems, and wiped again at the end), copied to a file
 * of the ext4 partition 2. */
static void
test_device_copies_and_loops (void)
{
  section ("device copies, checksums, loop mounts");
  char *p2 = part (disk_a, 2), *p9 = part (disk_a, 9);
  OK (g, guestfs_mkfs (g, "ext2", p9));
  OK (g, guestfs_mount (g, p9, "/"));
  OK (g, guestfs_mkdir (g, "/sub"));
  OK (g, guestfs_write (g, "/hello", "hello from the image", 20));
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_mount (g, p2, "/"));
  /* The ext2 partition as a file, checked both ways. */
  OK (g, guestfs_copy_device_to_file (g, p9, "/p9.img", -1));
  char *dev_sum, *file_sum;
  OKP (dev_sum, guestfs_checksum_device (g, "md5", p9));
  OKP (file_sum, guestfs_checksum (g, "md5", "/p9.img"));
  CHECK_STREQ (file_sum, dev_sum);
  free (file_sum);
  /* compress_device_out, decompressed on the host. */
  char *dir = test_tmpdir ();
  char *gz = xasprintf ("%s/p9.gz", dir);
  OK (g, guestfs_compress_device_out (g, "gzip", p9, gz,
                                      GUESTFS_COMPRESS_DEVICE_OUT_LEVEL, 1,
                                      -1));
  char *cmd = xasprintf ("zcat %s | md5sum", gz);
  FILE *f = popen (cmd, "r");
  char host_sum[64] = "";
  CHECK (f && fscanf (f, "%32s", host_sum) == 1);
  if (f)
    pclose (f);
  CHECK_STREQ (host_sum, dev_sum);
  free (dev_sum);
  unlink (gz);
  rmdir (dir);
  free (cmd);
  free (gz);
  free (dir);
  CHECK_ERROR_NULL (g, guestfs_checksum_device (g, "md4", p9), EINVAL,
                    "csumtype");
  CHECK_ERROR_NULL (g, guestfs_checksum_device (g, "md5", "/dev/sdz"),
                    ENOENT, "/dev/sdz");

  /* The image, loop-mounted: the file test_filesystems wrote. */
  OK (g, guestfs_mkdir (g, "/loop"));
  OK (g, guestfs_mount_loop (g, "/p9.img", "/loop"));
  char *back;
  OKP (back, guestfs_cat (g, "/loop/hello"));
  CHECK_STREQ (back, "hello from the image");
  free (back);
  OK (g, guestfs_remount (g, "/loop", GUESTFS_REMOUNT_RW, 0, -1));
  CHECK_ERROR (g, guestfs_touch (g, "/loop/new"), EROFS, NULL);
  OK (g, guestfs_remount (g, "/loop", GUESTFS_REMOUNT_RW, 1, -1));
  OK (g, guestfs_touch (g, "/loop/new"));
  CHECK_ERROR (g, guestfs_remount (g, "/loop/sub", GUESTFS_REMOUNT_RW, 1,
                                   -1),
               EINVAL, "not a mount point");
  OK (g, guestfs_umount (g, "/loop"));
  OK (g, guestfs_write (g, "/notfs", "not a filesystem", 16));
  CHECK_ERROR (g, guestfs_mount_loop (g, "/notfs", "/loop"), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_mount_loop (g, "/nothere", "/loop"), ENOENT,
               "/nothere");

  /* Back to a device, in place; ext2 leaves its first KiB unused. */
  CHECK (guestfs_pwrite (g, "/p9.img", "XYZ", 3, 0) == 3);
  OK (g, guestfs_copy_file_to_device (g, "/p9.img", p9,
                                      GUESTFS_COPY_FILE_TO_DEVICE_SIZE, (int64_t) 3,
                                      GUESTFS_COPY_FILE_TO_DEVICE_DESTOFFSET, (int64_t) 512, -1));
  size_t n;
  char *s = guestfs_pread_device (g, p9, 3, 512, &n);
  CHECK (s && n == 3 && memcmp (s, "XYZ", 3) == 0);
  free (s);
  OK (g, guestfs_copy_device_to_device (
             g, p9, p9, GUESTFS_COPY_DEVICE_TO_DEVICE_SRCOFFSET, (int64_t) 512,
             GUESTFS_COPY_DEVICE_TO_DEVICE_DESTOFFSET, (int64_t) 600,
             GUESTFS_COPY_DEVICE_TO_DEVICE_SIZE, (int64_t) 3, -1));
  s = guestfs_pread_device (g, p9, 3, 600, &n);
  CHECK (s && n == 3 && memcmp (s, "XYZ", 3) == 0);
  free (s);
  CHECK_ERROR (g, guestfs_copy_device_to_file (
                      g, p9, "/x", GUESTFS_COPY_DEVICE_TO_FILE_SRCOFFSET,
                      (int64_t) -1, -1),
               EINVAL, "srcoffset");
  CHECK (guestfs_fsck (g, "ext2", p9) == 0);
  OK (g, guestfs_wipefs (g, p9));

  /* The appliance's kernel. */
  struct guestfs_utsname *u = guestfs_utsname (g);
  CHECK (u && strcmp (u->uts_sysname, "Linux") == 0);
  guestfs_free_utsname (u);
  char *msgs;
  OKP (msgs, guestfs_dmesg (g));
  CHECK (msgs && strstr (msgs, "Linux version"));
  free (msgs);
  OK (g, guestfs_umount (g, "/"));
  free (p2);
  free (p9);
}

/* Raw device data: positional reads and writes, and copies. */
static void
test_device_data (void)
{
  section ("device data");
  CHECK (guestfs_pwrite_device (g, disk_c, "device data", 11, MiB) == 11);
  size_t n;
  char *s = guestfs_pread_device (g, disk_c, 11, MiB, &n);
  CHECK (s && n == 11 && memcmp (s, "device data", 11) == 0);
  free (s);
  /* At the end of the device, reads come back short. */
  s = guestfs_pread_device (g, disk_c, 100, 512 * MiB - 10, &n);
  CHECK (s && n == 10);
  free (s);
  OK (g, guestfs_copy_size (g, disk_c, disk_b, 2 * MiB));
  s = guestfs_pread_device (g, disk_b, 11, MiB, &n);
  CHECK (s && n == 11 && memcmp (s, "device data", 11) == 0);
  free (s);
  CHECK_ERROR (g, guestfs_copy_size (g, disk_c, disk_b, 513 * MiB), EIO,
               "end of file");
  CHECK_ERROR_NULL (g, guestfs_pread_device (g, "/dev/sdz", 1, 0, &n), ENOENT,
                    "/dev/sdz");
  CHECK_ERROR (g, guestfs_dd (g, "relative", disk_b), EINVAL, "src");
  /* Leave the disks as the next sections expect them: zeroed. */
  char zeros[11] = { 0 };
  CHECK (guestfs_pwrite_device (g, disk_c, zeros, 11, MiB) == 11);
  CHECK (guestfs_pwrite_device (g, disk_b, zeros, 11, MiB) == 11);
}

/* ---- Storage maintenance (actions_storage.c) ---- */

/* The value of key in tune2fs_l's table of dev, or "" (malloc'd). */
static char *
tune2fs_value (const char *dev, const char *key)
{
  char **h;
  OKP (h, guestfs_tune2fs_l (g, dev));
  char *r = strdup (h && hash_get (h, key) ? hash_get (h, key) : "");
  free_list (h);
  return r;
}

static void
check_tune2fs (const char *dev, const char *key, const char *want)
{
  char *v = tune2fs_value (dev, key);
  if (strcmp (v, want) != 0) {
    fprintf (stderr, "FAIL: tune2fs_l %s: %s is \"%s\", expected \"%s\"\n",
             dev, key, v, want);
    ++test_failures;
  }
  free (v);
}

/* Disks by number, block device questions, the kernel's state. */
static void
test_block_questions (void)
{
  section ("block devices: questions");
  CHECK (guestfs_nr_devices (g) == 3);
  CHECK (guestfs_device_index (g, disk_b) == 1);
  CHECK (guestfs_device_index (g, std_a) == 0);
  char *p2 = part (disk_a, 2);
  CHECK_ERROR (g, guestfs_device_index (g, p2), ENOENT, p2);
  CHECK (guestfs_max_disks (g) >= 3);
  CHECK (guestfs_is_whole_device (g, disk_a) == 1);
  CHECK (guestfs_is_whole_device (g, p2) == 0);
  CHECK (guestfs_is_lv (g, p2) == 0);
  int bsz = guestfs_blockdev_getbsz (g, disk_a);
  CHECK (bsz >= 512 && bsz <= 65536 && (bsz & (bsz - 1)) == 0);
  OK (g, guestfs_blockdev_setbsz (g, disk_a, 4096));
  OK (g, guestfs_blockdev_setra (g, disk_a, 512));
  CHECK_ERROR (g, guestfs_blockdev_setra (g, disk_a, -1), EINVAL, "sectors");
  OK (g, guestfs_drop_caches (g, 3));
  CHECK_ERROR (g, guestfs_drop_caches (g, 4), EINVAL, "whattodrop");
  CHECK (guestfs_filesystem_available (g, "ext4") == 1);
  CHECK (guestfs_filesystem_available (g, "xfs") == 1);
  CHECK (guestfs_filesystem_available (g, "nosuchfs") == 0);
  char **h;
  OKP (h, guestfs_list_disk_labels (g));
  CHECK (list_len (h) == 2);
  CHECK_STREQ (hash_get (h, "scratchc"), disk_c);
  free_list (h);
  free (p2);
}

/* Disk A, partition 2 (ext4, 64 MiB) and 5 (64 MiB): e2fsprogs. */
static void
test_ext2 (void)
{
  section ("ext2/3/4");
  char *p2 = part (disk_a, 2), *p5 = part (disk_a, 5);
  static const char uuid1[] = "01234567-89ab-cdef-0123-456789abcdef";
  static const char uuid2[] = "fedcba98-7654-3210-fedc-ba9876543210";
  /* ext3: the kernel sets generation numbers only without metadata
   * checksums, which ext4 has by default. */
  OK (g, guestfs_mke2fs (g, p2, GUESTFS_MKE2FS_FSTYPE, "ext3",
                         GUESTFS_MKE2FS_BLOCKSIZE, (int64_t)4096,
                         GUESTFS_MKE2FS_LABEL,
                         "e2first", GUESTFS_MKE2FS_UUID, uuid1,
                         GUESTFS_MKE2FS_RESERVEDBLOCKSPERCENTAGE, 0,
                         GUESTFS_MKE2FS_FORCECREATE, 1, -1));
  check_vfs_type (p2, "ext3");
  CHECK_CALL_STREQ (g, guestfs_get_e2label (g, p2), "e2first");
  CHECK_CALL_STREQ (g, guestfs_get_e2uuid (g, p2), uuid1);
  check_tune2fs (p2, "Block size", "4096");
  check_tune2fs (p2, "Reserved block count", "0");
  OK (g, guestfs_set_e2label (g, p2, "e2second"));
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, p2), "e2second");
  OK (g, guestfs_set_e2uuid (g, p2, uuid2));
  CHECK_CALL_STREQ (g, guestfs_vfs_uuid (g, p2), uuid2);
  CHECK_CALL_STREQ (g, guestfs_findfs_label (g, "e2second"), p2);
  CHECK_CALL_STREQ (g, guestfs_findfs_uuid (g, uuid2), p2);
  CHECK_ERROR_NULL (g, guestfs_findfs_label (g, "nosuchlabel"), ENOENT,
                    "nosuchlabel");
  CHECK_ERROR (g, guestfs_mke2fs (g, p2, GUESTFS_MKE2FS_BLOCKSIZE,
                                  (int64_t)-1, -1),
               EINVAL, "blocksize");

  OK (g, guestfs_tune2fs (g, p2, GUESTFS_TUNE2FS_MAXMOUNTCOUNT, 25,
                          GUESTFS_TUNE2FS_ERRORBEHAVIOR, "panic",
                          GUESTFS_TUNE2FS_INTERVALBETWEENCHECKS, 86400, -1));
  check_tune2fs (p2, "Maximum mount count", "25");
  check_tune2fs (p2, "Errors behavior", "Panic");
  check_tune2fs (p2, "Check interval", "86400 (1 day)");
  CHECK_ERROR (g, guestfs_tune2fs (g, p2, GUESTFS_TUNE2FS_ERRORBEHAVIOR,
                                   "explode", -1),
               EINVAL, "errorbehavior");

  /* Attributes and generation numbers of files. */
  OK (g, guestfs_mount (g, p2, "/"));
  OK (g, guestfs_write (g, "/f", "data", 4));
  char *a;
  OKP (a, guestfs_get_e2attrs (g, "/f"));
  CHECK (a && !strchr (a, 'A') && !strchr (a, 'd'));
  free (a);
  OK (g, guestfs_set_e2attrs (g, "/f", "Ad", -1));
  OKP (a, guestfs_get_e2attrs (g, "/f"));
  CHECK (a && strchr (a, 'A') && strchr (a, 'd'));
  free (a);
  OK (g, guestfs_set_e2attrs (g, "/f", "A", GUESTFS_SET_E2ATTRS_CLEAR, 1, -1));
  OKP (a, guestfs_get_e2attrs (g, "/f"));
  CHECK (a && !strchr (a, 'A') && strchr (a, 'd'));
  free (a);
  CHECK_ERROR (g, guestfs_set_e2attrs (g, "/f", "Z", -1), EINVAL, "Z");
  CHECK_ERROR_NULL (g, guestfs_get_e2attrs (g, "/nothing"), ENOENT, NULL);
  OK (g, guestfs_set_e2generation (g, "/f", 123456789));
  CHECK (guestfs_get_e2generation (g, "/f") == 123456789);
  CHECK_ERROR (g, guestfs_set_e2generation (g, "/f", -1), EINVAL,
               "generation");
  OK (g, guestfs_rm_rf (g, "/lost+found"));
  OK (g, guestfs_mklost_and_found (g, "/"));
  CHECK (guestfs_is_dir (g, "/lost+found") == 1);
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_e2fsck_f (g, p2));

  OK (g, guestfs_mkfs_b (g, "ext4", 1024, p2));
  check_tune2fs (p2, "Block size", "1024");

  /* External journals: on p5, found by device, label and UUID. */
  OK (g, guestfs_mke2journal (g, 4096, p5));
  check_vfs_type (p5, "jbd");
  OK (g, guestfs_mke2fs_J (g, "ext4", 4096, p2, p5));
  check_vfs_type (p2, "ext4");
  OK (g, guestfs_mke2journal_L (g, 4096, "jlabel", p5));
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, p5), "jlabel");
  OK (g, guestfs_mke2fs_JL (g, "ext3", 4096, p2, "jlabel"));
  check_vfs_type (p2, "ext3");
  OK (g, guestfs_mke2journal_U (g, 4096, uuid1, p5));
  CHECK_CALL_STREQ (g, guestfs_vfs_uuid (g, p5), uuid1);
  OK (g, guestfs_mke2fs_JU (g, "ext4", 4096, p2, uuid1));
  check_tune2fs (p2, "Journal UUID", uuid1);
  CHECK_ERROR (g, guestfs_mke2journal (g, 0, p5), EINVAL, "blocksize");
  free (p2);
  free (p5);
}

/* Disk A, partition 1 (xfs) and 7 (ntfs). */
static void
test_xfs_ntfs (void)
{
  section ("xfs and ntfs maintenance");
  char *p1 = part (disk_a, 1), *p7 = part (disk_a, 7), *p2 = part (disk_a, 2);
  static const char uuid[] = "11111111-2222-3333-4444-555555555555";
  OK (g, guestfs_xfs_admin (g, p1, GUESTFS_XFS_ADMIN_LABEL, "xfslabel",
                            GUESTFS_XFS_ADMIN_UUID, uuid, -1));
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, p1), "xfslabel");
  CHECK_CALL_STREQ (g, guestfs_vfs_uuid (g, p1), uuid);
  CHECK_ERROR (g, guestfs_xfs_admin (g, p1, GUESTFS_XFS_ADMIN_LABEL,
                                     "thirteen-long", -1),
               ERANGE, "label");
  CHECK (guestfs_xfs_repair (g, p1, GUESTFS_XFS_REPAIR_NOMODIFY, 1, -1) == 0);
  CHECK (guestfs_xfs_repair (g, p1, -1) == 0);
  CHECK_ERROR (g, guestfs_xfs_repair (g, p1, GUESTFS_XFS_REPAIR_MAXMEM,
                                      (int64_t)-5, -1),
               EINVAL, "maxmem");

  CHECK (guestfs_ntfs_3g_probe (g, 1, p7) == 0);
  CHECK (guestfs_ntfs_3g_probe (g, 0, p1) > 0); /* not NTFS */
  OK (g, guestfs_ntfsresize_size (g, p7, 24 * MiB));
  check_vfs_type (p7, "ntfs");
  OK (g, guestfs_ntfsfix (g, p7, GUESTFS_NTFSFIX_CLEARBADSECTORS, 1, -1));
  CHECK (guestfs_ntfs_3g_probe (g, 1, p7) == 0);
  free (p1);
  free (p2);
  free (p7);
}

static void
check_part_size (const char *disk, int n, uint64_t want)
{
  struct guestfs_partition_list *pl;
  OKP (pl, guestfs_part_list (g, disk));
  bool found = false;
  for (uint32_t i = 0; pl && i < pl->len; ++i)
    if (pl->val[i].part_num == n) {
      found = true;
      if (pl->val[i].part_size != want) {
        fprintf (stderr,
                 "FAIL: partition %d of %s: %" PRIu64 " bytes, expected "
                 "%" PRIu64 "\n",
                 n, disk, pl->val[i].part_size, want);
        ++test_failures;
      }
    }
  CHECK (found);
  if (pl)
    guestfs_free_partition_list (pl);
}

/* Disk A again, from a new table: kinds, resizing, sfdisk. */
static void
test_part_maintenance (void)
{
  section ("partitions: kinds, resizing, sfdisk");
  OK (g, guestfs_part_init (g, disk_a, "mbr"));
  OK (g, guestfs_part_add (g, disk_a, "p", 2048, 206847));
  OK (g, guestfs_part_add (g, disk_a, "e", 411648, -1));
  OK (g, guestfs_part_add (g, disk_a, "l", 413696, 619519));
  CHECK_CALL_STREQ (g, guestfs_part_get_mbr_part_type (g, disk_a, 1),
                    "primary");
  CHECK_CALL_STREQ (g, guestfs_part_get_mbr_part_type (g, disk_a, 2),
                    "extended");
  CHECK_CALL_STREQ (g, guestfs_part_get_mbr_part_type (g, disk_a, 5),
                    "logical");
  OK (g, guestfs_part_resize (g, disk_a, 1, 411647));
  check_part_size (disk_a, 1, 200 * MiB);
  OK (g, guestfs_part_resize (g, disk_a, 1, 104447));
  check_part_size (disk_a, 1, 50 * MiB);
  char *p1 = part (disk_a, 1);
  CHECK (guestfs_blockdev_getsize64 (g, p1) == (int64_t)(50 * MiB));
  free (p1);
  CHECK_ERROR (g, guestfs_part_resize (g, disk_a, 1, 100), EINVAL, "endsect");
  CHECK_ERROR (g, guestfs_part_resize (g, disk_a, 9, 100000), ENOENT, NULL);

  const char *lines[] = {"2048,204800,L", "206848,,L", NULL};
  OK (g, guestfs_sfdisk (g, disk_a, 0, 0, 0, (char **)lines));
  check_part_size (disk_a, 1, 100 * MiB);
  OK (g, guestfs_sfdisk_N (g, disk_a, 2, 0, 0, 0, "206848,102400"));
  check_part_size (disk_a, 2, 50 * MiB);
  const char *mlines[] = {",100", ",50", NULL};
  OK (g, guestfs_sfdiskM (g, disk_a, (char **)mlines));
  check_part_size (disk_a, 1, 100 * MiB);
  check_part_size (disk_a, 2, 50 * MiB);
  char *s;
  OKP (s, guestfs_sfdisk_l (g, disk_a));
  char *p2 = part (disk_a, 2);
  CHECK (s && strstr (s, p2));
  free (s);
  free (p2);
  OKP (s, guestfs_sfdisk_kernel_geometry (g, disk_a));
  CHECK (s && strstr (s, "cylinders"));
  free (s);
  OKP (s, guestfs_sfdisk_disk_geometry (g, disk_a));
  CHECK (s && strstr (s, "heads"));
  free (s);
  const char *bad[] = {"nonsense,here", NULL};
  CHECK_ERROR (g, guestfs_sfdisk (g, disk_a, 0, 0, 0, (char **)bad), EIO,
               "sfdisk");
}

/* Disk A as GPT: GUIDs and attributes. */
static void
test_gpt_guids (void)
{
  section ("GPT GUIDs and attributes");
  CHECK_ERROR_NULL (g, guestfs_part_get_disk_guid (g, disk_a), EINVAL, "GPT");
  OK (g, guestfs_part_init (g, disk_a, "gpt"));
  OK (g, guestfs_part_add (g, disk_a, "p", 2048, 206847));
  static const char linux_fs[] = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
  static const char guid1[] = "01234567-89AB-CDEF-0123-456789ABCDEF";
  static const char guid2[] = "FEDCBA98-7654-3210-FEDC-BA9876543210";
  OK (g, guestfs_part_set_gpt_type (g, disk_a, 1, linux_fs));
  CHECK_CALL_STREQ (g, guestfs_part_get_gpt_type (g, disk_a, 1), linux_fs);
  OK (g, guestfs_part_set_gpt_guid (g, disk_a, 1, "01234567-89ab-cdef-0123-456789abcdef"));
  CHECK_CALL_STREQ (g, guestfs_part_get_gpt_guid (g, disk_a, 1), guid1);
  OK (g, guestfs_part_set_disk_guid (g, disk_a, guid2));
  CHECK_CALL_STREQ (g, guestfs_part_get_disk_guid (g, disk_a), guid2);
  OK (g, guestfs_part_set_disk_guid_random (g, disk_a));
  char *s;
  OKP (s, guestfs_part_get_disk_guid (g, disk_a));
  CHECK (s && strlen (s) == 36 && strcmp (s, guid2) != 0);
  free (s);
  int64_t attrs = (INT64_C (1) << 0) | (INT64_C (1) << 2) | (INT64_C (1) << 60);
  OK (g, guestfs_part_set_gpt_attributes (g, disk_a, 1, attrs));
  CHECK (guestfs_part_get_gpt_attributes (g, disk_a, 1) == attrs);
  CHECK (guestfs_part_get_bootable (g, disk_a, 1) == 1);
  OK (g, guestfs_part_expand_gpt (g, disk_a));
  CHECK_CALL_STREQ (g, guestfs_part_get_gpt_guid (g, disk_a, 1), guid1);
  CHECK_CALL_STREQ (g, guestfs_part_get_mbr_part_type (g, disk_a, 1),
                    "primary");
  CHECK_ERROR (g, guestfs_part_set_gpt_guid (g, disk_a, 1, "not-a-guid"),
               EINVAL, "guid");
  CHECK_ERROR (g, guestfs_part_set_gpt_type (g, disk_a, 2, linux_fs), ENOENT,
               NULL);
}

static char *
first_value (char **l)
{
  char *r = strdup (l && l[0] ? l[0] : "");
  free_list (l);
  return r;
}

/* Disk C: renaming, resizing, UUIDs, the filter, removing everything. */
static void
test_lvm_admin (void)
{
  section ("LVM administration");
  OK (g, guestfs_part_init (g, disk_c, "gpt"));
  OK (g, guestfs_part_add (g, disk_c, "p", 2048, 526335)); /* 256 MiB */
  OK (g, guestfs_part_add (g, disk_c, "p", 526336, -1));
  char *pv = part (disk_c, 1), *pv2 = part (disk_c, 2);
  OK (g, guestfs_pvcreate (g, pv));
  OK (g, guestfs_pvresize_size (g, pv, 128 * MiB));
  struct guestfs_lvm_pv_list *pvl;
  OKP (pvl, guestfs_pvs_full (g));
  CHECK (pvl && pvl->len == 1 && pvl->val[0].pv_size <= 128 * MiB &&
         pvl->val[0].pv_size > 120 * MiB);
  if (pvl)
    guestfs_free_lvm_pv_list (pvl);
  OK (g, guestfs_pvresize (g, pv));
  OKP (pvl, guestfs_pvs_full (g));
  CHECK (pvl && pvl->len == 1 && pvl->val[0].pv_size > 250 * MiB);
  if (pvl)
    guestfs_free_lvm_pv_list (pvl);

  const char *pvs[] = {pv, NULL};
  OK (g, guestfs_vgcreate (g, "VGA", (char **)pvs));
  OK (g, guestfs_lvcreate (g, "LVA", "VGA", 32));
  OK (g, guestfs_lvrename (g, "/dev/VGA/LVA", "/dev/VGA/LVB"));
  char **l;
  OKP (l, guestfs_lvs (g));
  CHECK (list_len (l) == 1 && list_has (l, "/dev/VGA/LVB"));
  free_list (l);
  CHECK (guestfs_is_lv (g, "/dev/VGA/LVB") == 1);
  CHECK (guestfs_is_lv (g, "/dev/mapper/VGA-LVB") == 1);
  CHECK (guestfs_is_lv (g, pv) == 0);
  OK (g, guestfs_vgrename (g, "VGA", "VGB"));
  OKP (l, guestfs_vgs (g));
  CHECK (list_len (l) == 1 && list_has (l, "VGB"));
  free_list (l);
  OKP (l, guestfs_lvs (g));
  CHECK (list_len (l) == 1 && list_has (l, "/dev/VGB/LVB"));
  free_list (l);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/VGB/LVB") == (int64_t)(32 * MiB));
  OK (g, guestfs_lvresize_free (g, "/dev/VGB/LVB", 100));
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/VGB/LVB") > (int64_t)(240 * MiB));
  CHECK_ERROR (g, guestfs_lvresize_free (g, "/dev/VGB/LVB", 101), EINVAL,
               "percent");
  CHECK_ERROR (g, guestfs_vgrename (g, "VGB", "-x"), EINVAL, "newvolgroup");

  size_t size;
  char *meta = guestfs_vgmeta (g, "VGB", &size);
  CHECK (meta && size > 0 && memmem (meta, size, "VGB {", 5) &&
         memmem (meta, size, "LVB {", 5));
  free (meta);

  /* New UUIDs only for inactive volume groups. */
  OK (g, guestfs_vg_activate_all (g, 0));
  char *old = guestfs_pvuuid (g, pv), *now;
  OK (g, guestfs_pvchange_uuid (g, pv));
  OKP (now, guestfs_pvuuid (g, pv));
  CHECK (old && now && strcmp (old, now) != 0);
  free (old);
  free (now);
  OK (g, guestfs_pvchange_uuid_all (g));
  old = guestfs_vguuid (g, "VGB");
  OK (g, guestfs_vgchange_uuid (g, "VGB"));
  OKP (now, guestfs_vguuid (g, "VGB"));
  CHECK (old && now && strcmp (old, now) != 0);
  free (old);
  free (now);
  OK (g, guestfs_vgchange_uuid_all (g));

  /* The filter hides the PV, so its VG; clearing brings it back. */
  const char *only2[] = {pv2, NULL};
  OK (g, guestfs_lvm_set_filter (g, (char **)only2));
  OKP (l, guestfs_vgs (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  OK (g, guestfs_lvm_clear_filter (g));
  char *vg;
  OKP (vg, first_value (guestfs_vgs (g)));
  CHECK_STREQ (vg, "VGB");
  free (vg);

  OK (g, guestfs_pvcreate (g, pv2));
  OK (g, guestfs_lvm_remove_all (g));
  OKP (l, guestfs_pvs (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  OKP (l, guestfs_vgs (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  free (pv);
  free (pv2);
}

/* Disk C, partition 2: more LUKS.  A wrong key is tested in
 * test_luks: each key derivation costs seconds under emulation. */
static void
test_luks_slots (void)
{
  section ("LUKS ciphers and key slots");
  char *dev = part (disk_c, 2);
  OK (g, guestfs_luks_format_cipher (g, dev, "first key", 0,
                                     "aes-cbc-essiv:sha256"));
  check_vfs_type (dev, "crypto_LUKS");
  CHECK_ERROR (g, guestfs_luks_kill_slot (g, dev, "first key", 32), EINVAL,
               "keyslot");
  /* The last slot may go too: then nothing opens the device (which
   * cryptsetup finds out without deriving a key). */
  OK (g, guestfs_luks_kill_slot (g, dev, "first key", 0));
  CHECK_ERROR (g, guestfs_luks_open (g, dev, "first key", "gone"), EINVAL,
               "keyslot");
  free (dev);
}

/* Disks A and C whole: an md mirror. */
static void
test_md (void)
{
  section ("md");
  OK (g, guestfs_wipefs (g, disk_a));
  OK (g, guestfs_wipefs (g, disk_c));
  const char *devs[] = {disk_a, disk_c, NULL};
  CHECK_ERROR (g, guestfs_md_create (g, "bad/name", (char **)devs, -1),
               EINVAL, "name");
  CHECK_ERROR (g, guestfs_md_create (g, "r1", (char **)devs,
                                     GUESTFS_MD_CREATE_NRDEVICES, 5, -1),
               EINVAL, "r1");
  OK (g, guestfs_md_create (g, "r1", (char **)devs,
                            GUESTFS_MD_CREATE_LEVEL, "raid1", -1));
  char **l;
  OKP (l, guestfs_list_md_devices (g));
  CHECK (list_len (l) == 1);
  char *md = strdup (l && l[0] ? l[0] : "/dev/md-missing");
  free_list (l);
  char **h;
  OKP (h, guestfs_md_detail (g, md));
  CHECK_STREQ (hash_get (h, "level"), "raid1");
  CHECK_STREQ (hash_get (h, "devices"), "2");
  free_list (h);
  struct guestfs_mdstat_list *st;
  OKP (st, guestfs_md_stat (g, md));
  CHECK (st && st->len == 2);
  for (uint32_t i = 0; st && i < st->len; ++i) {
    CHECK (strcmp (st->val[i].mdstat_device, disk_a) == 0 ||
           strcmp (st->val[i].mdstat_device, disk_c) == 0);
    CHECK (st->val[i].mdstat_index == 0 || st->val[i].mdstat_index == 1);
    CHECK_STREQ (st->val[i].mdstat_flags, "");
  }
  if (st)
    guestfs_free_mdstat_list (st);
  OK (g, guestfs_mkfs (g, "ext4", md));
  check_vfs_type (md, "ext4");
  CHECK (guestfs_is_whole_device (g, md) == 0);
  CHECK_ERROR_NULL (g, guestfs_md_stat (g, disk_b), ENOENT, NULL);
  OK (g, guestfs_md_stop (g, md));
  OKP (l, guestfs_list_md_devices (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  check_vfs_type (disk_a, "linux_raid_member");
  free (md);
}

/* Windows dynamic disks: none here, and asking about one fails. */
static void
test_ldm (void)
{
  section ("ldm");
  char **l;
  OKP (l, guestfs_ldmtool_scan (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  const char *devs[] = {disk_b, NULL};
  OKP (l, guestfs_ldmtool_scan_devices (g, (char **)devs));
  CHECK (list_len (l) == 0);
  free_list (l);
  OK (g, guestfs_ldmtool_create_all (g));
  OKP (l, guestfs_list_ldm_volumes (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  OKP (l, guestfs_list_ldm_partitions (g));
  CHECK (list_len (l) == 0);
  free_list (l);
  OK (g, guestfs_ldmtool_remove_all (g));
  char *s = guestfs_ldmtool_diskgroup_name (g, "00000000-0000-0000-0000-000000000000");
  CHECK (s == NULL);
  free (s);
  const char *groups[] = {"ldm", "mdadm", "gdisk", "lvm2", "luks", "xfs",
                          "ntfs3g", "ntfsprogs", "linuxfsuuid", NULL};
  CHECK (guestfs_feature_available (g, (char **)groups) == 1);
}

static void
launch_or_skip (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_scratch (g, GiB, -1) == -1 ||
      guestfs_add_drive_scratch (g, 3 * TiB, -1) == -1 ||
      guestfs_add_drive_scratch (g, 512 * MiB, GUESTFS_ADD_DRIVE_SCRATCH_LABEL,
                                 "scratchc", -1) == -1) {
    fprintf (stderr, "FAIL: add_drive_scratch: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  double t = now ();
  test_launch_or_skip (g);
  printf ("launch (%.1f s)\n", now () - t);
}

int
main (void)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  double start = now ();
  launch_or_skip ();
  test_discovery ();
  test_device_data ();
  test_mbr ();
  test_filesystems ();
  test_device_copies_and_loops ();
  test_btrfs ();
  test_gpt_large ();
  test_lvm ();
  test_luks ();
  test_list_filesystems ();
  test_block_questions ();
  test_ext2 ();
  test_xfs_ntfs ();
  test_part_maintenance ();
  test_gpt_guids ();
  test_lvm_admin ();
  test_luks_slots ();
  test_md ();
  test_ldm ();
  section ("shutdown");
  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  section (NULL);
  printf ("total %.1f s\n", now () - start);
  return test_result ();
}
