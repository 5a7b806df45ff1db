/* list_filesystems: every device that may hold a filesystem, with its
 * type.
 *
 * Probing is best effort: a device that cannot be probed is listed as
 * "unknown" rather than failing the whole listing, since callers use
 * this to explore disks they know nothing about.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

struct fs_list {
  struct stringsbuf sb; /* device, type, device, type, ... */
  bool saw_lvm;         /* an LVM physical volume was seen */
};

static int
add_fs (struct fs_list *l, const char *dev, const char *type)
{
  if (add_string (&l->sb, dev) == -1 || add_string (&l->sb, type) == -1)
    return -1;
  return 0;
}

/* btrfsvol:DEV/SUBVOL for every subvolume; none if they cannot be
 * listed (the filesystem itself is listed anyway). */
static int
add_btrfs_subvolumes (struct fs_list *l, const char *dev)
{
  char **paths = list_btrfs_subvolume_paths (dev);
  if (paths == NULL)
    return 0;
  int r = 0;
  for (size_t i = 0; paths[i] && r == 0; ++i) {
    char *m;
    if (asprintf (&m, "btrfsvol:%s/%s", dev, paths[i]) == -1) {
      reply_with_perror ("asprintf");
      r = -1;
      break;
    }
    r = add_fs (l, m, "btrfs");
    free (m);
  }
  free_strings (paths);
  return r;
}

static int
check_device (struct fs_list *l, const char *dev)
{
  char *type = probe_type_quiet (dev);
  int r = 0;
  if (type == NULL || *type == '\0')
    r = add_fs (l, dev, "unknown");
  else if (strlen (type) > 7 &&
           strcmp (type + strlen (type) - 7, "_member") == 0)
    /* LVM2_member, linux_raid_member: parts of something else. */
    l->saw_lvm |= strcmp (type, "LVM2_member") == 0;
  else {
    r = add_fs (l, dev, type);
    if (r == 0 && strcmp (type, "btrfs") == 0)
      r = add_btrfs_subvolumes (l, dev);
  }
  free (type);
  return r;
}

/* Is part a partition of disk?  sda → sda1, nvme0n1 → nvme0n1p1. */
static bool
is_partition_of (const char *part, const char *disk)
{
  size_t len = strlen (disk);
  if (strncmp (part, disk, len) != 0)
    return false;
  const char *rest = part + len;
  if (*rest == 'p' && len > 0 && isdigit ((unsigned char)disk[len - 1]))
    ++rest;
  return *rest && strspn (rest, "0123456789") == strlen (rest);
}

static bool
has_partitions (const char *disk, char *const *partitions)
{
  for (size_t i = 0; partitions[i]; ++i)
    if (is_partition_of (partitions[i], disk))
      return true;
  return false;
}

static bool
any_active_lv (void)
{
  DIR *d = opendir ("/sys/block");
  bool found = false;
  struct dirent *e;
  while (d && !found && (e = readdir (d)) != NULL)
    found =
        strncmp (e->d_name, "dm-", 3) == 0 && dm_is_logical_volume (e->d_name);
  if (d)
    closedir (d);
  return found;
}

static int
check_devices (struct fs_list *l, char **disks, char **partitions)
{
  for (size_t i = 0; disks[i]; ++i)
    if (!has_partitions (disks[i], partitions) &&
        check_device (l, disks[i]) == -1)
      return -1;
  for (size_t i = 0; partitions[i]; ++i)
    if (!is_mbr_extended_partition (partitions[i]) &&
        check_device (l, partitions[i]) == -1)
      return -1;
  return 0;
}

static int
check_list (struct fs_list *l, char **devs)
{
  for (size_t i = 0; devs && devs[i]; ++i)
    if (check_device (l, devs[i]) == -1)
      return -1;
  return 0;
}

char **
do_list_filesystems (void)
{
  struct fs_list l = {.sb = {0}};
  char **disks = do_list_devices ();
  if (disks == NULL)
    return NULL;
  char **partitions = do_list_partitions ();
  char **dm = partitions ? do_list_dm_devices () : NULL;
  char **lvs = NULL;
  int r = -1;
  if (dm == NULL || check_devices (&l, disks, partitions) == -1 ||
      check_list (&l, dm) == -1)
    goto out;
  /* Running lvm is slow: only when there are physical volumes, or
   * logical volumes already active. */
  if (l.saw_lvm || any_active_lv ()) {
    lvs = group_available ("lvm2") ? list_logical_volumes () : NULL;
    if (check_list (&l, lvs) == -1)
      goto out;
  }
  r = 0;
out:
  free_strings (disks);
  free_strings (partitions);
  free_strings (dm);
  free_strings (lvs);
  if (r == -1) {
    free_stringsbuf (&l.sb);
    return NULL;
  }
  return take_strings (&l.sb);
}
