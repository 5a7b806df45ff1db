/* The btrfs calls, run in the appliance.
 *
 * One boot, four sparse scratch disks: A, B and C of 1 GiB for the
 * btrfs filesystems (multi-device, added, removed, replaced), D of
 * 256 MiB with ext4, for a path that is not on btrfs and for the image
 * file.  Device names come from list_devices.
 */
#define _GNU_SOURCE 1
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices-util.h"
#include "harness.h"

#define MiB (INT64_C (1) << 20)
#define GiB (INT64_C (1) << 30)

static guestfs_h *g;
static char *disk_a, *disk_b, *disk_c, *disk_d;

/* The devices btrfs_filesystem_show lists for dev, as one string
 * ("/dev/sda /dev/sdb"), or "" after an error. */
static char *
shown_devices (const char *dev)
{
  char **l;
  OKP (l, guestfs_btrfs_filesystem_show (g, dev));
  char *s = strdup ("");
  for (size_t i = 0; l && l[i]; ++i) {
    char *t = xasprintf ("%s%s%s", s, *s ? " " : "", l[i]);
    free (s);
    s = t;
  }
  free_list (l);
  return s;
}

static void
check_shown (const char *dev, const char *want)
{
  char *got = shown_devices (dev);
  CHECK_STREQ (got, want);
  free (got);
}

/* The ID of subvolume path (from the top), or -1. */
static int64_t
subvolume_id (const char *fs, const char *path)
{
  struct guestfs_btrfssubvolume_list *l;
  OKP (l, guestfs_btrfs_subvolume_list (g, fs));
  int64_t id = -1;
  for (size_t i = 0; l && i < l->len; ++i)
    if (strcmp (l->val[i].btrfssubvolume_path, path) == 0)
      id = l->val[i].btrfssubvolume_id;
  if (l)
    guestfs_free_btrfssubvolume_list (l);
  return id;
}

static void
check_default (const char *fs, int64_t want)
{
  int64_t got = guestfs_btrfs_subvolume_get_default (g, fs);
  if (got != want) {
    fprintf (stderr,
             "FAIL: btrfs_subvolume_get_default %s: %" PRIi64
             ", expected %" PRIi64 " (%s)\n",
             fs, got, want, got == -1 ? guestfs_last_error (g) : "");
    ++test_failures;
  }
}

/* The quota group id in the list, or NULL. */
static struct guestfs_btrfsqgroup *
find_qgroup (struct guestfs_btrfsqgroup_list *l, const char *id)
{
  for (size_t i = 0; l && i < l->len; ++i)
    if (strcmp (l->val[i].btrfsqgroup_id, id) == 0)
      return &l->val[i];
  return NULL;
}

/* ---- The tests ---- */

static void
test_mkfs (void)
{
  section ("mkfs, show, offline tools");
  char *none[] = {NULL};
  CHECK_ERROR (g, guestfs_mkfs_btrfs (g, none, -1), EINVAL, "devices");
  char *a[] = {disk_a, NULL}, *ab[] = {disk_a, disk_b, NULL};
  CHECK_ERROR (
      g, guestfs_mkfs_btrfs (g, a, GUESTFS_MKFS_BTRFS_DATATYPE, "raid7", -1),
      EINVAL, "raid7");
  CHECK_ERROR (
      g, guestfs_mkfs_btrfs (g, a, GUESTFS_MKFS_BTRFS_NODESIZE, 10000, -1),
      EINVAL, "nodesize");
  CHECK_ERROR (
      g,
      guestfs_mkfs_btrfs (g, a, GUESTFS_MKFS_BTRFS_BYTECOUNT, INT64_C (0), -1),
      EINVAL, "bytecount");
  CHECK_ERROR_NULL (g, guestfs_btrfs_filesystem_show (g, "/dev/sdz"), ENOENT,
                    "/dev/sdz");

  /* Two devices, mirrored. */
  OK (g, guestfs_mkfs_btrfs (g, ab, GUESTFS_MKFS_BTRFS_DATATYPE, "raid1",
                             GUESTFS_MKFS_BTRFS_METADATA, "raid1",
                             GUESTFS_MKFS_BTRFS_LABEL, "TWO", -1));
  char *want = xasprintf ("%s %s", disk_a, disk_b);
  check_shown (disk_b, want);
  free (want);

  /* Then one, with every setting. */
  OK (g, guestfs_mkfs_btrfs (g, a, GUESTFS_MKFS_BTRFS_ALLOCSTART, INT64_C (0),
                             GUESTFS_MKFS_BTRFS_BYTECOUNT, 900 * MiB,
                             GUESTFS_MKFS_BTRFS_DATATYPE, "single",
                             GUESTFS_MKFS_BTRFS_LABEL, "BT",
                             GUESTFS_MKFS_BTRFS_METADATA, "dup",
                             GUESTFS_MKFS_BTRFS_NODESIZE, 16384,
                             GUESTFS_MKFS_BTRFS_SECTORSIZE, 4096, -1));
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, disk_a), "btrfs");
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, disk_a), "BT");
  check_shown (disk_a, disk_a);
  /* Not btrfs (D has ext4), not a device. */
  CHECK_ERROR_NULL (g, guestfs_btrfs_filesystem_show (g, disk_d), EINVAL,
                    "not a btrfs");

  OK (g, guestfs_btrfs_fsck (g, disk_a, -1));
  OK (g, guestfs_btrfs_fsck (g, disk_a, GUESTFS_BTRFS_FSCK_SUPERBLOCK,
                             INT64_C (1), -1));
  CHECK_ERROR (g,
               guestfs_btrfs_fsck (g, disk_a, GUESTFS_BTRFS_FSCK_SUPERBLOCK,
                                   INT64_C (-1), -1),
               EINVAL, "superblock");
  /* An empty disk has no filesystem to check. */
  CHECK_ERROR (g, guestfs_btrfs_fsck (g, disk_c, -1), EIO, NULL);
  OK (g, guestfs_btrfs_rescue_super_recover (g, disk_a));
  OK (g, guestfs_btrfs_rescue_chunk_recover (g, disk_a));
  OK (g, guestfs_btrfstune_enable_extended_inode_refs (g, disk_a));
  OK (g, guestfs_btrfstune_enable_skinny_metadata_extent_refs (g, disk_a));
  OK (g, guestfs_btrfs_fsck (g, disk_a, GUESTFS_BTRFS_FSCK_REPAIR, 1, -1));
}

static void
test_seeding (void)
{
  section ("seeding");
  /* A seeding filesystem can only be mounted read-only. */
  OK (g, guestfs_btrfs_set_seeding (g, disk_a, 1));
  CHECK_ERROR (g, guestfs_mount (g, disk_a, "/"), EACCES, NULL);
  OK (g, guestfs_mount_ro (g, disk_a, "/"));
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_btrfs_set_seeding (g, disk_a, 0));
  OK (g, guestfs_btrfstune_seeding (g, disk_a, 1));
  CHECK_ERROR (g, guestfs_mount (g, disk_a, "/"), EACCES, NULL);
  OK (g, guestfs_btrfstune_seeding (g, disk_a, 0));
  OK (g, guestfs_mount (g, disk_a, "/"));
  OK (g, guestfs_touch (g, "/x"));
  /* Not while it is mounted. */
  CHECK_ERROR (g, guestfs_btrfs_set_seeding (g, disk_a, 1), EBUSY, NULL);
  OK (g, guestfs_umount (g, "/"));
}

static void
test_subvolumes (void)
{
  section ("subvolumes, snapshots, default");
  OK (g, guestfs_mount (g, disk_a, "/"));
  OK (g, guestfs_mkdir (g, "/dir"));
  OK (g, guestfs_btrfs_subvolume_create (g, "/s1"));
  OK (g, guestfs_write (g, "/s1/f", "data", 4));
  OK (g, guestfs_btrfs_subvolume_snapshot_opts (
             g, "/s1", "/dir/ro", GUESTFS_BTRFS_SUBVOLUME_SNAPSHOT_OPTS_RO, 1,
             -1));
  OK (g, guestfs_btrfs_subvolume_snapshot (g, "/s1", "/rw"));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/dir/ro/f"), "data");
  CHECK_ERROR (g, guestfs_touch (g, "/dir/ro/g"), EROFS, NULL);
  OK (g, guestfs_touch (g, "/rw/g"));
  /* A snapshot is not a copy: s1's new file is not in it. */
  OK (g, guestfs_touch (g, "/s1/later"));
  CHECK (guestfs_exists (g, "/rw/later") == 0);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_snapshot (g, "/nothing", "/n"),
               ENOENT, "/nothing");
  CHECK_ERROR (g, guestfs_btrfs_subvolume_snapshot (g, "s1", "/n"), EINVAL,
               NULL);

  int64_t s1 = subvolume_id ("/", "s1");
  CHECK (s1 >= 256);
  CHECK (subvolume_id ("/", "dir/ro") > s1);

  char **h;
  OKP (h, guestfs_btrfs_subvolume_show (g, "/s1"));
  if (h) {
    CHECK_STREQ (hash_get (h, "path"), "s1");
    CHECK_STREQ (hash_get (h, "Name"), "s1");
    CHECK_STREQ (hash_get (h, "Parent UUID"), "");
    const char *id = hash_get (h, "Subvolume ID");
    CHECK (id && strtoll (id, NULL, 10) == s1);
    CHECK_STREQ (hash_get (h, "Snapshot(s)"), "dir/ro,rw");
    free_list (h);
  }
  OKP (h, guestfs_btrfs_subvolume_show (g, "/dir/ro"));
  if (h) {
    CHECK_STREQ (hash_get (h, "Flags"), "readonly");
    CHECK_STREQ (hash_get (h, "Snapshot(s)"), "");
    free_list (h);
  }
  CHECK_ERROR_NULL (g, guestfs_btrfs_subvolume_show (g, "/dir"), EINVAL,
                    "/dir");
  CHECK_ERROR_NULL (g, guestfs_btrfs_subvolume_show (g, "/nothing"), ENOENT,
                    "/nothing");

  check_default ("/", 5);
  OK (g, guestfs_btrfs_subvolume_set_default (g, s1, "/"));
  check_default ("/", s1);
  /* Through a mountable: a private mount of the same filesystem. */
  check_default (disk_a, s1);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_set_default (g, 99999, "/"), ENOENT,
               NULL);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_set_default (g, -1, "/"), EINVAL,
               NULL);
  OK (g, guestfs_btrfs_subvolume_set_default (g, 5, "/"));
  check_default ("/", 5);
  char *vol = xasprintf ("btrfsvol:%s/dir/ro", disk_a);
  check_default (vol, 5);
  free (vol);

  OK (g, guestfs_btrfs_subvolume_delete (g, "/rw"));
  CHECK (subvolume_id ("/", "rw") == -1);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_delete (g, "/dir"), EINVAL, NULL);
  OK (g, guestfs_btrfs_filesystem_sync (g, "/"));
}

static void
test_quotas (void)
{
  section ("quotas");
  int64_t s1 = subvolume_id ("/", "s1");
  char *q_s1 = xasprintf ("0/%" PRIi64, s1);
  OK (g, guestfs_btrfs_quota_enable (g, "/", 1));
  OK (g, guestfs_btrfs_qgroup_create (g, "1/100", "/"));
  OK (g, guestfs_btrfs_qgroup_assign (g, q_s1, "1/100", "/"));
  CHECK_ERROR (g, guestfs_btrfs_qgroup_create (g, "1-100", "/"), EINVAL,
               "1-100");
  CHECK_ERROR (g, guestfs_btrfs_qgroup_assign (g, "x", "1/100", "/"), EINVAL,
               NULL);

  /* 1 MiB more in s1, counted after a rescan. */
  char *mib = calloc (1, MiB);
  OK (g, guestfs_write (g, "/s1/big", mib, MiB));
  free (mib);
  OK (g, guestfs_sync (g));
  OK (g, guestfs_btrfs_quota_rescan (g, "/"));
  struct guestfs_btrfsqgroup_list *l;
  OKP (l, guestfs_btrfs_qgroup_show (g, "/"));
  struct guestfs_btrfsqgroup *q = find_qgroup (l, q_s1);
  CHECK (find_qgroup (l, "0/5") != NULL);
  CHECK (q && q->btrfsqgroup_rfer >= (uint64_t)MiB &&
         q->btrfsqgroup_excl >= (uint64_t)MiB);
  struct guestfs_btrfsqgroup *parent = find_qgroup (l, "1/100");
  CHECK (parent && q && parent->btrfsqgroup_rfer == q->btrfsqgroup_rfer);
  if (l)
    guestfs_free_btrfsqgroup_list (l);

  OK (g, guestfs_btrfs_qgroup_limit (g, "/s1", 10 * MiB));
  CHECK_ERROR (g, guestfs_btrfs_qgroup_limit (g, "/s1", -1), EINVAL, "size");
  OK (g, guestfs_btrfs_qgroup_remove (g, q_s1, "1/100", "/"));
  OK (g, guestfs_btrfs_qgroup_destroy (g, "1/100", "/"));
  OKP (l, guestfs_btrfs_qgroup_show (g, "/"));
  CHECK (l && find_qgroup (l, "1/100") == NULL && find_qgroup (l, q_s1));
  if (l)
    guestfs_free_btrfsqgroup_list (l);

  /* Through the device, then nothing left to show. */
  OK (g, guestfs_btrfs_quota_enable (g, disk_a, 0));
  CHECK_ERROR_NULL (g, guestfs_btrfs_qgroup_show (g, "/"), ENOTSUP, NULL);
  CHECK_ERROR (g, guestfs_btrfs_quota_rescan (g, "/"), ENOTSUP, NULL);
  free (q_s1);
}

/* The size of the filesystem mounted at / as statvfs sees it. */
static int64_t
fs_bytes (void)
{
  struct guestfs_statvfs *st;
  OKP (st, guestfs_statvfs (g, "/"));
  int64_t r = st ? st->blocks * st->frsize : -1;
  guestfs_free_statvfs (st);
  return r;
}

static void
test_devices (void)
{
  section ("devices, balance, resize");
  char *b[] = {disk_b, NULL}, *none[] = {NULL};
  OK (g, guestfs_btrfs_device_add (g, none, "/"));
  OK (g, guestfs_btrfs_device_add (g, b, "/"));
  char *want = xasprintf ("%s %s", disk_a, disk_b);
  check_shown (disk_a, want);
  free (want);
  OK (g, guestfs_btrfs_filesystem_balance (g, "/"));
  struct guestfs_btrfsbalance *bs;
  OKP (bs, guestfs_btrfs_balance_status (g, "/"));
  CHECK (bs && strcmp (bs->btrfsbalance_status, "none") == 0 &&
         bs->btrfsbalance_total == 0);
  guestfs_free_btrfsbalance (bs);
  CHECK_ERROR (g, guestfs_btrfs_balance_pause (g, "/"), ENOENT, NULL);
  CHECK_ERROR (g, guestfs_btrfs_balance_cancel (g, "/"), ENOENT, NULL);
  CHECK_ERROR (g, guestfs_btrfs_balance_resume (g, "/"), ENOENT, NULL);
  OK (g, guestfs_btrfs_device_delete (g, b, "/"));
  check_shown (disk_a, disk_a);
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/s1/f"), "data");

  OK (g, guestfs_btrfs_replace (g, disk_a, disk_c, "/"));
  check_shown (disk_c, disk_c);
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/s1/f"), "data");
  /* A device of the filesystem cannot be the target. */
  CHECK_ERROR (g, guestfs_btrfs_replace (g, disk_c, disk_c, "/"), 0, NULL);

  /* mkfs used 900 MiB of A; the replacement has C's 1 GiB to grow to. */
  OK (g, guestfs_btrfs_filesystem_resize (
             g, "/", GUESTFS_BTRFS_FILESYSTEM_RESIZE_SIZE, 600 * MiB, -1));
  int64_t small = fs_bytes ();
  CHECK (small > 0 && small <= 600 * MiB);
  OK (g, guestfs_btrfs_filesystem_resize (g, "/", -1));
  int64_t big = fs_bytes ();
  CHECK (big - small >= 300 * MiB && big <= GiB);
  CHECK_ERROR (
      g,
      guestfs_btrfs_filesystem_resize (
          g, "/", GUESTFS_BTRFS_FILESYSTEM_RESIZE_SIZE, INT64_C (0), -1),
      EINVAL, "size");
}

static void
test_scrub_defragment (void)
{
  section ("scrub, defragment");
  CHECK_ERROR (g, guestfs_btrfs_scrub_resume (g, "/"), ENOENT, NULL);
  OK (g, guestfs_btrfs_scrub_start (g, "/"));
  struct guestfs_btrfsscrub *s;
  OKP (s, guestfs_btrfs_scrub_status (g, "/"));
  CHECK (s && s->btrfsscrub_tree_extents_scrubbed > 0 &&
         s->btrfsscrub_data_bytes_scrubbed >= (uint64_t)MiB &&
         s->btrfsscrub_csum_errors == 0 && s->btrfsscrub_read_errors == 0 &&
         s->btrfsscrub_uncorrectable_errors == 0 &&
         s->btrfsscrub_last_physical > 0);
  guestfs_free_btrfsscrub (s);
  CHECK_ERROR (g, guestfs_btrfs_scrub_cancel (g, "/"), ENOENT, NULL);

  OK (g, guestfs_btrfs_filesystem_defragment (
             g, "/", GUESTFS_BTRFS_FILESYSTEM_DEFRAGMENT_FLUSH, 1,
             GUESTFS_BTRFS_FILESYSTEM_DEFRAGMENT_COMPRESS, "zstd", -1));
  OK (g, guestfs_btrfs_filesystem_defragment (
             g, "/s1/big", GUESTFS_BTRFS_FILESYSTEM_DEFRAGMENT_COMPRESS, "zlib",
             -1));
  CHECK_ERROR (
      g,
      guestfs_btrfs_filesystem_defragment (
          g, "/", GUESTFS_BTRFS_FILESYSTEM_DEFRAGMENT_COMPRESS, "gzip", -1),
      EINVAL, "gzip");
  CHECK (guestfs_filesize (g, "/s1/big") == MiB);
  OK (g, guestfs_umount (g, "/"));
  OK (g, guestfs_btrfs_fsck (g, disk_c, -1));
}

/* Paths off btrfs, and the image, written to D's ext4. */
static void
test_not_btrfs_and_image (void)
{
  section ("paths off btrfs, image");
  OK (g, guestfs_mount (g, disk_d, "/"));
  CHECK_ERROR (g, guestfs_btrfs_filesystem_sync (g, "/"), EINVAL,
               "not on a btrfs");
  CHECK_ERROR_NULL (g, guestfs_btrfs_scrub_status (g, "/"), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_btrfs_subvolume_create (g, "/nothing/s"), ENOENT,
               NULL);
  char *c[] = {disk_c, NULL}, *none[] = {NULL};
  OK (g, guestfs_btrfs_image (g, c, "/c.img", GUESTFS_BTRFS_IMAGE_COMPRESSLEVEL,
                              2, -1));
  CHECK (guestfs_filesize (g, "/c.img") > 0);
  OK (g, guestfs_btrfs_image (g, c, "/c0.img", -1));
  CHECK (guestfs_filesize (g, "/c0.img") > guestfs_filesize (g, "/c.img"));
  CHECK_ERROR (g, guestfs_btrfs_image (g, none, "/x.img", -1), EINVAL,
               "source");
  CHECK_ERROR (g,
               guestfs_btrfs_image (g, c, "/x.img",
                                    GUESTFS_BTRFS_IMAGE_COMPRESSLEVEL, 10, -1),
               EINVAL, "compresslevel");
  OK (g, guestfs_umount (g, "/"));
}

static void
launch_or_skip (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  for (int i = 0; i < 3; ++i)
    if (guestfs_add_drive_scratch (g, GiB, -1) == -1) {
      fprintf (stderr, "FAIL: add_drive_scratch: %s\n", guestfs_last_error (g));
      exit (EXIT_FAILURE);
    }
  if (guestfs_add_drive_scratch (g, 256 * MiB, -1) == -1) {
    fprintf (stderr, "FAIL: add_drive_scratch: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  double t = now ();
  test_launch_or_skip (g);
  printf ("launch (%.1f s)\n", now () - t);
  if (guestfs_feature_available (g, (char *[]){"btrfs", NULL}) != 1)
    skip ("the appliance has no btrfs");
  char **devs = guestfs_list_devices (g);
  if (devs == NULL || list_len (devs) != 4) {
    fprintf (stderr, "FAIL: list_devices: expected 4 disks\n");
    exit (EXIT_FAILURE);
  }
  disk_a = strdup (devs[0]);
  disk_b = strdup (devs[1]);
  disk_c = strdup (devs[2]);
  disk_d = strdup (devs[3]);
  free_list (devs);
  if (guestfs_blockdev_getsize64 (g, disk_d) != 256 * MiB) {
    fprintf (stderr, "FAIL: the disks are not in the order they were added\n");
    exit (EXIT_FAILURE);
  }
  if (guestfs_mkfs (g, "ext4", disk_d) == -1) {
    fprintf (stderr, "FAIL: mkfs ext4: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
}

int
main (void)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  double start = now ();
  launch_or_skip ();
  test_mkfs ();
  test_seeding ();
  test_subvolumes ();
  test_quotas ();
  test_devices ();
  test_scrub_defragment ();
  test_not_btrfs_and_image ();
  section ("shutdown");
  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  section (NULL);
  printf ("total %.1f s\n", now () - start);
  return test_result ();
}
