/* Filesystem maintenance in the appliance, on a scratch disk: resizing
 * ext4 and NTFS, superblock details, random UUIDs, minimum sizes,
 * trimming, zeroing free space, testing for zeros, swap on devices,
 * labels, UUIDs and files, XFS geometry and growing, NTFS images
 * (ntfsclone) and files by inode (ntfscat), ISO 9660 descriptors; and
 * the debugging calls: debug, uploads into the appliance and the
 * internal writes.
 *
 * /dev/sda: partition 1 (256 MiB) and partition 2 (the rest). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "edit-util.h"

#define MiB (1024 * 1024)
#define P1 "/dev/sda1"
#define P2 "/dev/sda2"

static guestfs_h *g;
static char *tmpdir;

static char *
host_file (const char *name, const char *content)
{
  char *path = xasprintf ("%s/%s", tmpdir, name);
  FILE *fp = fopen (path, "w");
  if (fp == NULL || fputs (content, fp) == EOF || fclose (fp) == EOF)
    abort ();
  return path;
}

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

/* ---- NTFS images and inodes ---- */

#define NTFS_TEXT "hello from ntfs\n"

static void
test_ntfscat (int64_t ino)
{
  /* A file of the guest, by the inode its mount showed. */
  char *out = xasprintf ("%s/ntfscat", tmpdir);
  OK (g, guestfs_ntfscat_i (g, P2, ino, out));
  CHECK (host_content_is (out, NTFS_TEXT, strlen (NTFS_TEXT)));
  /* $Boot (MFT record 7): the boot sector, as the device holds it. */
  OK (g, guestfs_ntfscat_i (g, P2, 7, out));
  size_t len = 0, dev_len = 0;
  char *boot = host_read (out, &len);
  char *dev = guestfs_pread_device (g, P2, 8192, 0, &dev_len);
  CHECK (boot && dev && len == 8192 && dev_len == 8192 &&
         memcmp (boot, dev, 8192) == 0 && memcmp (boot + 3, "NTFS    ", 8) == 0);
  free (boot);
  free (dev);
  CHECK_ERROR (g, guestfs_ntfscat_i (g, P2, -1, out), EINVAL, "negative");
  CHECK_ERROR (g, guestfs_ntfscat_i (g, P2, 999999, out), 0, "ntfscat");
  CHECK_ERROR (g, guestfs_ntfscat_i (g, "/dev/sdz", 7, out), ENOENT, NULL);
  free (out);
}

static void
test_ntfsclone (void)
{
  CHECK (guestfs_mkfs (g, "ntfs", P2) == 0);
  CHECK (guestfs_mount (g, P2, "/") == 0);
  CHECK (guestfs_write (g, "/hello.txt", NTFS_TEXT, strlen (NTFS_TEXT)) == 0);
  struct guestfs_statns *st = guestfs_statns (g, "/hello.txt");
  CHECK (st != NULL);
  CHECK (guestfs_umount (g, "/") == 0);
  if (st)
    test_ntfscat (st->st_ino);
  guestfs_free_statns (st);

  char *img = xasprintf ("%s/ntfs.img", tmpdir);
  OK (g, guestfs_ntfsclone_out (g, P2, img, -1));
  size_t len = 0;
  char *data = host_read (img, &len);
  CHECK (data && len > 16 && memcmp (data, "\0ntfsclone-image", 16) == 0);
  free (data);
  /* Restored over a wiped device, the filesystem and its file are back. */
  CHECK (guestfs_wipefs (g, P2) == 0);
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, P2), "");
  OK (g, guestfs_ntfsclone_in (g, img, P2));
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, P2), "ntfs");
  CHECK (guestfs_mount (g, P2, "/") == 0);
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/hello.txt"), NTFS_TEXT);
  CHECK (guestfs_umount (g, "/") == 0);

  char *meta = xasprintf ("%s/ntfs-meta.img", tmpdir);
  OK (g, guestfs_ntfsclone_out (g, P2, meta,
                                GUESTFS_NTFSCLONE_OUT_METADATAONLY, 1,
                                GUESTFS_NTFSCLONE_OUT_FORCE, 1, -1));
  CHECK (host_exists (meta));
  free (meta);

  char *junk = host_file ("junk.img", "not an ntfsclone image\n");
  CHECK_ERROR (g, guestfs_ntfsclone_in (g, junk, P2), 0, "ntfsclone");
  CHECK_ERROR (g, guestfs_ntfsclone_out (g, P1, img, -1), 0, "ntfsclone");
  free (junk);
  free (img);
}

/* ---- ISO 9660 ---- */

/* An ISO made by genisoimage on the host, its volume id "GUESTFSISO";
 * *t0 and *t1 bracket its making.  NULL if genisoimage is missing. */
static char *
make_iso (time_t *t0, time_t *t1)
{
  char *dir = xasprintf ("%s/isodir", tmpdir);
  char *iso = xasprintf ("%s/test.iso", tmpdir);
  char *cmd = xasprintf ("mkdir -p %s && echo iso > %s/file.txt && "
                         "genisoimage -quiet -V GUESTFSISO -A GUESTFSAPP "
                         "-o %s %s",
                         dir, dir, iso, dir);
  *t0 = time (NULL);
  int r = system (cmd);
  *t1 = time (NULL);
  free (cmd);
  free (dir);
  if (r != 0) {
    printf ("genisoimage failed or is missing (package genisoimage, "
            "scripts/build-packages): the ISO cases are not run\n");
    free (iso);
    return NULL;
  }
  return iso;
}

static void
check_isoinfo (struct guestfs_isoinfo *info, time_t t0, time_t t1)
{
  CHECK (info != NULL);
  if (info == NULL)
    return;
  CHECK_STREQ (info->iso_volume_id, "GUESTFSISO");
  CHECK_STREQ (info->iso_application_id, "GUESTFSAPP");
  CHECK_STREQ (info->iso_volume_set_id, "");
  CHECK (info->iso_volume_set_size == 1);
  CHECK (info->iso_volume_sequence_number == 1);
  CHECK (info->iso_logical_block_size == 2048);
  CHECK (info->iso_volume_space_size > 16);
  /* Made now: the descriptor's local time and offset give UTC. */
  CHECK (info->iso_volume_creation_t >= t0 - 1 &&
         info->iso_volume_creation_t <= t1 + 1);
  CHECK (info->iso_volume_expiration_t == -1);
  guestfs_free_isoinfo (info);
}

static void
test_isoinfo (void)
{
  time_t t0, t1;
  char *iso = make_iso (&t0, &t1);
  CHECK (guestfs_mount (g, P1, "/") == 0);
  if (iso) {
    CHECK (guestfs_upload (g, iso, "/cd.iso") == 0);
    check_isoinfo (guestfs_isoinfo (g, "/cd.iso"), t0, t1);
    CHECK (guestfs_copy_file_to_device (g, "/cd.iso", P2, -1) == 0);
    check_isoinfo (guestfs_isoinfo_device (g, P2), t0, t1);
    free (iso);
  }
  CHECK_ERROR_NULL (g, guestfs_isoinfo (g, "/"), EISDIR, NULL);
  CHECK_ERROR_NULL (g, guestfs_isoinfo (g, "/nonexistent"), ENOENT, NULL);
  CHECK_ERROR_NULL (g, guestfs_isoinfo (g, "relative"), EINVAL, NULL);
  CHECK (guestfs_umount (g, "/") == 0);
  CHECK_ERROR_NULL (g, guestfs_isoinfo_device (g, P1), EINVAL,
                    "not an ISO");
}

/* ---- Debugging calls ---- */

/* guestfs_debug with the arguments, NULL-terminated. */
static char *
debug (const char *subcmd, ...)
{
  const char *args[8];
  size_t n = 0;
  va_list ap;
  va_start (ap, subcmd);
  while (n < 7 && (args[n] = va_arg (ap, const char *)) != NULL)
    ++n;
  va_end (ap);
  args[n] = NULL;
  return guestfs_debug (g, subcmd, (char *const *) args);
}

static int progress_events;
static uint64_t progress_last, progress_total;

static void
on_progress (guestfs_h *h, void *opaque, uint64_t event, int eh, int flags,
             const char *buf, size_t len, const uint64_t *array,
             size_t array_len)
{
  if (array_len >= 4) {
    ++progress_events;
    progress_last = array[2];
    progress_total = array[3];
  }
}

static void
test_debug_commands (void)
{
  CHECK_CALL_STREQ (g, debug ("help", NULL),
                    "Commands supported: help binaries bmap bmap_device "
                    "bmap_file core_pattern device_speed env error fds ldd "
                    "ls ll print progress qtrace segv setenv sh spew");
  /* Not chrooted, with $root; errors in the output. */
  CHECK_CALL_STREQ (g, debug ("sh", "echo", "$root;", "echo", "err", ">&2",
                              NULL),
                    "/sysroot\nerr\n");
  CHECK_ERROR_NULL (g, debug ("sh", "echo oops; exit 3", NULL), 0, "oops");
  CHECK_ERROR_NULL (g, debug ("sh", NULL), EINVAL, "usage");
  CHECK_ERROR_NULL (g, debug ("nosuchcommand", NULL), EINVAL, "unknown");
  CHECK_ERROR_NULL (g, debug ("error", "12", NULL), EROFS, "aaaaaaaaaaaa");
  CHECK_ERROR_NULL (g, debug ("error", "x", NULL), EINVAL, "usage");

  CHECK_CALL_STREQ (g, debug ("setenv", "GUESTFS_TEST_VAR", "v1", NULL), "ok");
  char *env = debug ("env", NULL);
  CHECK (env && strstr (env, "\nGUESTFS_TEST_VAR=v1\n"));
  free (env);
  char *ls = debug ("ls", "/", NULL);
  CHECK (ls && strstr (ls, "\nsysroot\n"));
  free (ls);
  char *ll = debug ("ll", "-d", "/sysroot", NULL);
  CHECK (ll && ll[0] == 'd' && strstr (ll, "/sysroot"));
  free (ll);
  char *ldd = debug ("ldd", "/bin/sh", NULL);
  if (ldd == NULL || strstr (ldd, "libc.so") == NULL)
    fprintf (stderr, "ldd: %s\n", ldd ? ldd : guestfs_last_error (g));
  CHECK (ldd && strstr (ldd, "libc.so"));
  free (ldd);
  char *fds = debug ("fds", NULL);
  CHECK (fds && strstr (fds, " 0 "));
  free (fds);
  CHECK_CALL_STREQ (g, debug ("print", "printed", "on", "console", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("spew", "3", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("core_pattern", "core", NULL), "ok");

  int eh = guestfs_set_event_callback (g, on_progress, GUESTFS_EVENT_PROGRESS,
                                       0, NULL);
  CHECK_CALL_STREQ (g, debug ("progress", "1", NULL), "ok");
  CHECK (progress_events >= 1 && progress_last == progress_total &&
         progress_total > 0);
  guestfs_delete_event_callback (g, eh);
  CHECK_ERROR_NULL (g, debug ("progress", "0", NULL), EINVAL, "usage");

  char *bytes = debug ("device_speed", "/dev/sda", "r", "1", NULL);
  CHECK (bytes && strtoll (bytes, NULL, 10) > 0);
  free (bytes);
  CHECK_ERROR_NULL (g, debug ("device_speed", "/dev/sda", "x", "1", NULL),
                    EINVAL, "usage");
  CHECK_CALL_STREQ (g, debug ("qtrace", "/dev/sda", "on", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("qtrace", "/dev/sda", "off", NULL), "ok");

  CHECK (guestfs_mount (g, P1, "/") == 0);
  CHECK (guestfs_write (g, "/bmapped", "data", 4) == 0);
  CHECK_ERROR_NULL (g, debug ("bmap", NULL), EINVAL, "bmap_file");
  CHECK_CALL_STREQ (g, debug ("bmap_file", "/bmapped", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("bmap", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("bmap_file", "/", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("bmap", NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("bmap_device", P2, NULL), "ok");
  CHECK_CALL_STREQ (g, debug ("bmap", NULL), "ok");
  CHECK_ERROR_NULL (g, debug ("bmap_file", "/nonexistent", NULL), ENOENT,
                    NULL);
  CHECK (guestfs_umount (g, "/") == 0);
}

static void
test_uploads (void)
{
  char *src = host_file ("upload.txt", "uploaded into the appliance\n");
  OK (g, guestfs_debug_upload (g, src, "/tmp/debug-upload", 0640));
  CHECK_CALL_STREQ (g, debug ("sh", "cat /tmp/debug-upload", NULL),
                    "uploaded into the appliance\n");
  CHECK_CALL_STREQ (g, debug ("sh", "stat -c %a /tmp/debug-upload", NULL),
                    "640\n");
  OK (g, guestfs_internal_upload (g, src, "/tmp/internal-upload", 0600));
  CHECK_CALL_STREQ (g, debug ("sh", "cat /tmp/internal-upload; "
                                    "stat -c %a /tmp/internal-upload", NULL),
                    "uploaded into the appliance\n600\n");
  CHECK_ERROR (g, guestfs_debug_upload (g, src, "tmp/relative", 0600), EINVAL,
               "absolute");
  CHECK_ERROR (g, guestfs_internal_upload (g, src, "/nonexistent/x", 0600),
               ENOENT, NULL);
  free (src);

  CHECK (guestfs_mount (g, P1, "/") == 0);
  OK (g, guestfs_internal_write (g, "/iw", "new file contents", 17));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/iw"), "new file contents");
  OK (g, guestfs_internal_write (g, "/iw", "\n\n", 2));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/iw"), "\n\n");
  OK (g, guestfs_internal_write (g, "/iw", "", 0));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/iw"), "");
  OK (g, guestfs_internal_write_append (g, "/iw", "line1\n", 6));
  OK (g, guestfs_internal_write_append (g, "/iw", "line2", 5));
  OK (g, guestfs_internal_write_append (g, "/new-append", "x", 1));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/iw"), "line1\nline2");
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/new-append"), "x");
  CHECK_ERROR (g, guestfs_internal_write (g, "/nonexistent/f", "x", 1),
               ENOENT, NULL);
  CHECK_ERROR (g, guestfs_internal_write_append (g, "relative", "x", 1),
               EINVAL, NULL);
  CHECK_ERROR (g, guestfs_internal_write (g, "/", "x", 1), EISDIR, NULL);
  CHECK (guestfs_umount (g, "/") == 0);
}

int
main (void)
{
  tmpdir = test_tmpdir ();
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
  test_ntfsclone ();
  test_isoinfo ();
  test_debug_commands ();
  test_uploads ();

  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
  return test_result ();
}
