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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MiB (UINT64_C (1) << 20)
#define GiB (UINT64_C (1) << 30)
#define TiB (UINT64_C (1) << 40)

static guestfs_h *g;
static char *disk_a, *disk_b, *disk_c;
static char *std_a; /* disk_a under its /dev/sd* name */

/* ---- Small helpers ---- */

#define OKP(var, call)                                                         \
  do {                                                                         \
    var = (call);                                                              \
    if (var == NULL) {                                                         \
      fprintf (stderr, "%s:%d: FAIL: %s: %s\n", __FILE__, __LINE__, #call,     \
               guestfs_last_error (g));                                        \
      ++test_failures;                                                         \
    }                                                                          \
  } while (0)

static double section_start;

static void
section (const char *name)
{
  double t = now ();
  if (section_start)
    printf (" (%.1f s)\n", t - section_start);
  section_start = t;
  if (name) {
    printf ("%s", name);
    fflush (stdout);
  }
}

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

static void
launch_or_skip (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_scratch (g, GiB, -1) == -1 ||
      guestfs_add_drive_scratch (g, 3 * TiB, -1) == -1 ||
      guestfs_add_drive_scratch (g, 512 * MiB, -1) == -1) {
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
  test_btrfs ();
  test_gpt_large ();
  test_lvm ();
  test_luks ();
  test_list_filesystems ();
  section ("shutdown");
  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  section (NULL);
  printf ("total %.1f s\n", now () - start);
  return test_result ();
}
