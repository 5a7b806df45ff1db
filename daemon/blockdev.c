/* Block devices: listing disks, partitions and device-mapper devices,
 * and the blockdev ioctls.
 *
 * Everything is read from sysfs, which is what the kernel knows right
 * now, not from a cache: there is no udev in the appliance.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* ---- Sorting device names ---- */

/* "/dev/sdab12" → prefix "sd", letters "ab", number 12.  Returns false
 * for names of another shape (nvme0n1p1, mapper names). */
struct disk_name {
  const char *prefix;
  size_t prefix_len;
  const char *letters;
  size_t letters_len;
  const char *rest;
};

static bool
parse_disk_name (const char *dev, struct disk_name *d)
{
  static const char *const prefixes[] = {"xvd", "ubd", "sd", "hd", "vd"};
  if (strncmp (dev, "/dev/", 5) != 0)
    return false;
  dev += 5;
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
    size_t n = strlen (prefixes[i]);
    if (strncmp (dev, prefixes[i], n) != 0)
      continue;
    const char *p = dev + n;
    size_t letters = strspn (p, "abcdefghijklmnopqrstuvwxyz");
    if (letters == 0 ||
        strspn (p + letters, "0123456789") != strlen (p + letters))
      return false;
    *d = (struct disk_name){.prefix = dev,
                            .prefix_len = n,
                            .letters = p,
                            .letters_len = letters,
                            .rest = p + letters};
    return true;
  }
  return false;
}

static int
compare_device_names (const void *pa, const void *pb)
{
  const char *a = *(char *const *)pa, *b = *(char *const *)pb;
  struct disk_name da, db;
  if (!parse_disk_name (a, &da) || !parse_disk_name (b, &db) ||
      da.prefix_len != db.prefix_len ||
      strncmp (da.prefix, db.prefix, da.prefix_len) != 0)
    return strverscmp (a, b);
  /* The kernel names the 27th disk sdaa: shorter names come first. */
  if (da.letters_len != db.letters_len)
    return da.letters_len < db.letters_len ? -1 : 1;
  int c = strncmp (da.letters, db.letters, da.letters_len);
  if (c)
    return c;
  long na = *da.rest ? atol (da.rest) : 0, nb = *db.rest ? atol (db.rest) : 0;
  return na < nb ? -1 : na > nb;
}

void
sort_device_names (char **list, size_t n)
{
  if (n > 1) /* qsort's array may not be NULL, even when empty */
    qsort (list, n, sizeof (char *), compare_device_names);
}

/* ---- sysfs ---- */

char *
block_kernel_name (const char *dev)
{
  struct stat st;
  if (stat (dev, &st) == -1)
    return NULL;
  if (!S_ISBLK (st.st_mode)) {
    errno = ENOTBLK;
    return NULL;
  }
  char link[64], target[PATH_MAX];
  snprintf (link, sizeof link, "/sys/dev/block/%u:%u", major (st.st_rdev),
            minor (st.st_rdev));
  ssize_t n = readlink (link, target, sizeof target - 1);
  if (n == -1)
    return NULL;
  target[n] = '\0';
  const char *slash = strrchr (target, '/');
  return strdup (slash ? slash + 1 : target);
}

/* The kernel name of the whole disk holding block device devno ("vda"
 * for vda or vda2), or NULL. */
static char *
whole_disk_name (dev_t devno)
{
  char link[64], target[PATH_MAX];
  snprintf (link, sizeof link, "/sys/dev/block/%u:%u", major (devno),
            minor (devno));
  ssize_t n = readlink (link, target, sizeof target - 1);
  if (n == -1)
    return NULL;
  target[n] = '\0';
  /* A partition's sysfs directory sits inside its disk's. */
  char partfile[PATH_MAX + 16];
  snprintf (partfile, sizeof partfile, "%s/partition", link);
  if (access (partfile, F_OK) == 0) {
    char *slash = strrchr (target, '/');
    if (slash)
      *slash = '\0';
  }
  const char *slash = strrchr (target, '/');
  return strdup (slash ? slash + 1 : target);
}

/* The disk holding the appliance's own root filesystem (kernel name),
 * which is not one of the guest's disks.  NULL when there is none (the
 * root is not on a disk). */
static char *
appliance_disk (void)
{
  struct stat st;
  if (stat ("/", &st) == -1 || major (st.st_dev) == 0)
    return NULL;
  return whole_disk_name (st.st_dev);
}

bool
is_appliance_device (const char *path)
{
  static char *own;
  static bool looked;
  if (!looked) {
    own = appliance_disk ();
    looked = true;
  }
  struct stat st;
  if (own == NULL || stat (path, &st) == -1 || !S_ISBLK (st.st_mode))
    return false;
  char *name = whole_disk_name (st.st_rdev);
  bool r = name && strcmp (name, own) == 0;
  free (name);
  return r;
}

static bool
is_disk_name (const char *name)
{
  static const char *const prefixes[] = {"sd",  "hd",  "vd",
                                         "xvd", "ubd", "nvme"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i)
    if (strncmp (name, prefixes[i], strlen (prefixes[i])) == 0)
      return true;
  return false;
}

static int
refuse_on_host (void)
{
  if (host_mode) {
    /* The host's disks are not the guest's. */
    reply_with_error_errno (EPERM, "devices are not available when guestfsd "
                                   "runs on the host");
    return -1;
  }
  return 0;
}

char **
list_guest_disks (void)
{
  if (refuse_on_host () == -1)
    return NULL;
  DIR *d = opendir ("/sys/block");
  if (d == NULL) {
    reply_with_perror ("/sys/block");
    return NULL;
  }
  char *own = appliance_disk ();
  struct stringsbuf sb = {0};
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (!is_disk_name (e->d_name) || (own && strcmp (e->d_name, own) == 0))
      continue;
    char *dev;
    if (asprintf (&dev, "/dev/%s", e->d_name) == -1 ||
        add_string_nodup (&sb, dev) == -1) {
      closedir (d);
      free (own);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  closedir (d);
  free (own);
  sort_device_names (sb.argv, sb.size);
  return take_strings (&sb);
}

char **
do_list_devices (void)
{
  return list_guest_disks ();
}

/* Add the partitions of disk (kernel name) that sysfs shows. */
static int
add_partitions_of (struct stringsbuf *sb, const char *disk)
{
  char dir[PATH_MAX];
  snprintf (dir, sizeof dir, "/sys/block/%s", disk);
  DIR *d = opendir (dir);
  if (d == NULL) {
    reply_with_perror ("%s", dir);
    return -1;
  }
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (strncmp (e->d_name, disk, strlen (disk)) != 0)
      continue;
    char path[PATH_MAX + 300];
    snprintf (path, sizeof path, "%s/%s/partition", dir, e->d_name);
    if (access (path, F_OK) != 0)
      continue;
    char *dev;
    if (asprintf (&dev, "/dev/%s", e->d_name) == -1 ||
        add_string_nodup (sb, dev) == -1) {
      closedir (d);
      return -1;
    }
  }
  closedir (d);
  return 0;
}

char **
do_list_partitions (void)
{
  char **disks = list_guest_disks ();
  if (disks == NULL)
    return NULL;
  struct stringsbuf sb = {0};
  for (size_t i = 0; disks[i]; ++i)
    if (add_partitions_of (&sb, disks[i] + 5) == -1) {
      free_strings (disks);
      free_stringsbuf (&sb);
      return NULL;
    }
  free_strings (disks);
  sort_device_names (sb.argv, sb.size);
  return take_strings (&sb);
}

char **
do_list_dm_devices (void)
{
  if (refuse_on_host () == -1)
    return NULL;
  DIR *d = opendir ("/dev/mapper");
  if (d == NULL) {
    if (errno == ENOENT)
      return take_strings (&(struct stringsbuf){0});
    reply_with_perror ("/dev/mapper");
    return NULL;
  }
  struct stringsbuf sb = {0};
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp (e->d_name, "control") == 0)
      continue;
    char *dev;
    if (asprintf (&dev, "/dev/mapper/%s", e->d_name) == -1) {
      reply_with_perror ("asprintf");
      goto fail;
    }
    char *kname = block_kernel_name (dev);
    bool keep = kname && !dm_is_logical_volume (kname);
    free (kname);
    if (!keep)
      free (dev);
    else if (add_string_nodup (&sb, dev) == -1)
      goto fail;
  }
  closedir (d);
  sort_strings (sb.argv, sb.size);
  return take_strings (&sb);

fail:
  closedir (d);
  free_stringsbuf (&sb);
  return NULL;
}

/* ---- Partition table changes ---- */

/* Wait (briefly) until every partition of disk that sysfs lists has
 * its device node.  devtmpfs creates nodes as the kernel adds the
 * devices, but this makes no assumption about how fast. */
static int
wait_for_partition_nodes (const char *disk)
{
  struct stringsbuf sb = {0};
  if (add_partitions_of (&sb, disk) == -1)
    return -1;
  for (int tries = 0; tries < 500; ++tries) {
    bool all = true;
    for (size_t i = 0; i < sb.size && all; ++i) {
      struct stat st;
      all = stat (sb.argv[i], &st) == 0 && S_ISBLK (st.st_mode);
    }
    if (all) {
      free_stringsbuf (&sb);
      return 0;
    }
    nanosleep (&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
  }
  reply_with_error_errno (ETIMEDOUT,
                          "%s: the partition device nodes did not "
                          "appear",
                          disk);
  free_stringsbuf (&sb);
  return -1;
}

int
reread_partitions (const char *disk)
{
  int fd = open (disk, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", disk);
    return -1;
  }
  /* EBUSY: a partition is in use, and the tools have then told the
   * kernel about each changed partition instead (BLKPG). */
  if (ioctl (fd, BLKRRPART) == -1 && errno != EBUSY && errno != EINVAL) {
    reply_with_perror ("%s: re-reading the partition table", disk);
    close (fd);
    return -1;
  }
  close (fd);
  char *kname = block_kernel_name (disk);
  if (kname == NULL) {
    reply_with_perror ("%s", disk);
    return -1;
  }
  int r = wait_for_partition_nodes (kname);
  free (kname);
  return r;
}

void
flush_block_cache (const char *dev)
{
  int fd = open (dev, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (ioctl (fd, BLKFLSBUF) == -1)
      debug ("%s: BLKFLSBUF: %m", dev);
    close (fd);
  }
}

/* ---- The blockdev ioctls ---- */

static int
open_device (const char *device, int flags)
{
  int fd = open (device, flags | O_CLOEXEC);
  if (fd == -1)
    reply_with_perror ("%s", device);
  return fd;
}

int64_t
do_blockdev_getsize64 (const char *device)
{
  int fd = open_device (device, O_RDONLY);
  if (fd == -1)
    return -1;
  uint64_t size;
  int r = ioctl (fd, BLKGETSIZE64, &size);
  if (r == -1)
    reply_with_perror ("%s: BLKGETSIZE64", device);
  close (fd);
  return r == -1 ? -1 : (int64_t)size;
}

int64_t
do_blockdev_getsz (const char *device)
{
  int64_t size = do_blockdev_getsize64 (device);
  return size == -1 ? -1 : size / 512;
}

int
do_blockdev_getss (const char *device)
{
  int fd = open_device (device, O_RDONLY);
  if (fd == -1)
    return -1;
  int ss;
  int r = ioctl (fd, BLKSSZGET, &ss);
  if (r == -1)
    reply_with_perror ("%s: BLKSSZGET", device);
  close (fd);
  return r == -1 ? -1 : ss;
}

static int
simple_ioctl (const char *device, unsigned long req, const char *reqname,
              void *arg)
{
  int fd = open_device (device, O_RDONLY);
  if (fd == -1)
    return -1;
  int r = ioctl (fd, req, arg);
  if (r == -1)
    reply_with_perror ("%s: %s", device, reqname);
  close (fd);
  return r == -1 ? -1 : 0;
}

int
do_blockdev_rereadpt (const char *device)
{
  if (simple_ioctl (device, BLKRRPART, "re-reading the partition table",
                    NULL) == -1)
    return -1;
  char *kname = block_kernel_name (device);
  if (kname == NULL) {
    reply_with_perror ("%s", device);
    return -1;
  }
  int r = wait_for_partition_nodes (kname);
  free (kname);
  return r;
}

int
do_blockdev_flushbufs (const char *device)
{
  return simple_ioctl (device, BLKFLSBUF, "BLKFLSBUF", NULL);
}

int
do_blockdev_getro (const char *device)
{
  int ro = 0;
  if (simple_ioctl (device, BLKROGET, "BLKROGET", &ro) == -1)
    return -1;
  return ro != 0;
}

int
do_blockdev_setro (const char *device)
{
  int ro = 1;
  return simple_ioctl (device, BLKROSET, "BLKROSET", &ro);
}

int
do_blockdev_setrw (const char *device)
{
  int ro = 0;
  return simple_ioctl (device, BLKROSET, "BLKROSET", &ro);
}

int
do_blockdev_getbsz (const char *device)
{
  int bsz;
  if (simple_ioctl (device, BLKBSZGET, "BLKBSZGET", &bsz) == -1)
    return -1;
  return bsz;
}

/* libguestfs's blockdev_setbsz never changed anything (the block size
 * set by BLKBSZSET lasts only while the descriptor is open), and was
 * deprecated as a no-op: the device is checked, nothing else. */
int
do_blockdev_setbsz (const char *device, int blocksize)
{
  if (blocksize <= 0) {
    reply_with_error_errno (EINVAL, "blocksize: %d: must be positive",
                            blocksize);
    return -1;
  }
  int fd = open_device (device, O_RDONLY);
  if (fd == -1)
    return -1;
  close (fd);
  return 0;
}

int
do_blockdev_setra (const char *device, int sectors)
{
  if (sectors < 0) {
    reply_with_error_errno (EINVAL, "sectors: %d: must not be negative",
                            sectors);
    return -1;
  }
  return simple_ioctl (device, BLKRASET, "BLKRASET",
                       (void *)(unsigned long)sectors);
}

/* ---- Disks by number ---- */

int
do_device_index (const char *device)
{
  char **disks = list_guest_disks ();
  if (disks == NULL)
    return -1;
  int r = -1;
  for (size_t i = 0; disks[i]; ++i)
    if (strcmp (disks[i], device) == 0)
      r = (int)i;
  free_strings (disks);
  if (r == -1)
    reply_with_error_errno (ENOENT, "%s: not one of the whole disks added",
                            device);
  return r;
}

int
do_nr_devices (void)
{
  char **disks = list_guest_disks ();
  if (disks == NULL)
    return -1;
  int n = (int)count_strings (disks);
  free_strings (disks);
  return n;
}

/* A whole disk has a "device" in sysfs; partitions, device-mapper and
 * md devices do not. */
int
do_is_whole_device (const char *device)
{
  char *kname = block_kernel_name (device);
  if (kname == NULL) {
    reply_with_perror ("%s", device);
    return -1;
  }
  char path[PATH_MAX];
  snprintf (path, sizeof path, "/sys/block/%s/device", kname);
  free (kname);
  return access (path, F_OK) == 0;
}

/* ---- md devices ---- */

char **
do_list_md_devices (void)
{
  if (refuse_on_host () == -1)
    return NULL;
  DIR *d = opendir ("/sys/block");
  if (d == NULL) {
    reply_with_perror ("/sys/block");
    return NULL;
  }
  struct stringsbuf sb = {0};
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (strncmp (e->d_name, "md", 2) != 0)
      continue;
    /* An md device that exists but holds no array (after md_stop, or
     * opened once by a probe) has no array_state worth listing. */
    char path[PATH_MAX];
    snprintf (path, sizeof path, "/sys/block/%s/md/array_state", e->d_name);
    CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
    char state[32] = "";
    if (fp == NULL || fgets (state, sizeof state, fp) == NULL ||
        strncmp (state, "clear", 5) == 0 || strncmp (state, "inactive", 8) == 0)
      continue;
    char *dev;
    if (asprintf (&dev, "/dev/%s", e->d_name) == -1 ||
        add_string_nodup (&sb, dev) == -1) {
      closedir (d);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  closedir (d);
  sort_device_names (sb.argv, sb.size);
  return take_strings (&sb);
}
