/* internal_inspect: find the operating systems on the guest's disks.
 *
 * Every filesystem list_filesystems reports (apart from swap and
 * locked encrypted devices) is mounted on a private directory in the
 * appliance, read-only and with nodev, nosuid and noexec, looked at,
 * and unmounted.  Nothing under the sysroot is touched, so whatever the
 * caller has mounted stays as it is.  A journal is never replayed (ext3
 * and ext4 are mounted with noload, xfs with norecovery): inspection
 * does not write to the disks, and a read-only disk works as well.
 *
 * Nothing in this path may reply with an error for a problem of one
 * filesystem (replies are sent at once, and the call goes on to the
 * next filesystem): failures here are quiet and the filesystem is
 * passed over.  Only running out of memory fails the call.
 */
#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "inspect.h"
#include "storage.h"

#define BTRFSVOL_PREFIX "btrfsvol:"

/* ---- The answer ---- */

/* Facts whose values are device names or mountables: answered as
 * callers name disks, as every other reply is. */
static bool
fact_names_a_device (const char *key)
{
  return strcmp (key, "root") == 0 || strcmp (key, "filesystem") == 0 ||
         strncmp (key, "mountpoint:", strlen ("mountpoint:")) == 0 ||
         strncmp (key, "drive:", strlen ("drive:")) == 0;
}

void
add_fact (struct inspect_ctx *ctx, const char *key, const char *value)
{
  if (ctx->failed)
    return;
  if (add_string (&ctx->facts, key) == -1 ||
      add_string (&ctx->facts, value) == -1) {
    ctx->failed = true;
    return;
  }
  if (fact_names_a_device (key))
    callers_device_name (ctx->facts.argv[ctx->facts.size - 1]);
}

void
add_fact_int (struct inspect_ctx *ctx, const char *key, int v)
{
  char buf[16];
  snprintf (buf, sizeof buf, "%d", v);
  add_fact (ctx, key, buf);
}

const char *
listed_type (struct inspect_ctx *ctx, const char *mountable)
{
  for (size_t i = 0; ctx->filesystems[i] && ctx->filesystems[i + 1]; i += 2)
    if (strcmp (ctx->filesystems[i], mountable) == 0)
      return ctx->filesystems[i + 1];
  return NULL;
}

/* ---- The device index ---- */

static char *
dup_or_empty (const char *s)
{
  return strdup (s ? s : "");
}

/* libblkid's view of dev, without replying on failure. */
static bool
probe_device (struct device_info *d)
{
  flush_block_cache (d->dev);
  blkid_probe pr = blkid_new_probe_from_filename (d->dev);
  const char *uuid = NULL, *label = NULL, *partuuid = NULL, *partlabel = NULL;
  if (pr) {
    blkid_probe_enable_superblocks (pr, 1);
    blkid_probe_set_superblocks_flags (
        pr, BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE);
    blkid_probe_enable_partitions (pr, 1);
    blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
    if (blkid_do_safeprobe (pr) == 0) {
      blkid_probe_lookup_value (pr, "UUID", &uuid, NULL);
      blkid_probe_lookup_value (pr, "LABEL", &label, NULL);
      blkid_probe_lookup_value (pr, "PART_ENTRY_UUID", &partuuid, NULL);
      blkid_probe_lookup_value (pr, "PART_ENTRY_NAME", &partlabel, NULL);
    }
  }
  d->uuid = dup_or_empty (uuid);
  d->label = dup_or_empty (label);
  d->partuuid = dup_or_empty (partuuid);
  d->partlabel = dup_or_empty (partlabel);
  if (pr)
    blkid_free_probe (pr);
  return d->uuid && d->label && d->partuuid && d->partlabel;
}

const struct device_info *
inspect_devices (struct inspect_ctx *ctx, size_t *n)
{
  if (!ctx->devices_probed) {
    ctx->devices_probed = true;
    size_t count = count_strings (ctx->filesystems) / 2;
    ctx->devices = calloc (count ? count : 1, sizeof *ctx->devices);
    if (ctx->devices == NULL)
      ctx->failed = true;
    for (size_t i = 0; ctx->devices && ctx->filesystems[2 * i] && i < count;
         ++i) {
      const char *dev = ctx->filesystems[2 * i];
      if (strncmp (dev, BTRFSVOL_PREFIX, strlen (BTRFSVOL_PREFIX)) == 0)
        continue;
      struct device_info *d = &ctx->devices[ctx->nr_devices++];
      d->dev = strdup (dev);
      d->type = strdup (ctx->filesystems[2 * i + 1]);
      if (d->dev == NULL || d->type == NULL || !probe_device (d))
        ctx->failed = true;
    }
  }
  *n = ctx->nr_devices;
  return ctx->devices;
}

static void
free_devices (struct inspect_ctx *ctx)
{
  for (size_t i = 0; i < ctx->nr_devices; ++i) {
    struct device_info *d = &ctx->devices[i];
    free (d->dev);
    free (d->type);
    free (d->uuid);
    free (d->label);
    free (d->partuuid);
    free (d->partlabel);
  }
  free (ctx->devices);
}

/* Read a small sysfs file as a number. */
static bool
read_sysfs_number (const char *path, uint64_t *v)
{
  FILE *f = fopen (path, "re");
  if (f == NULL)
    return false;
  unsigned long long n;
  bool ok = fscanf (f, "%llu", &n) == 1;
  fclose (f);
  *v = n;
  return ok;
}

bool
partition_position (const char *dev, char **disk_kname, uint64_t *start)
{
  char *kname = block_kernel_name (dev);
  if (kname == NULL)
    return false;
  char *path = NULL, *sysdir = NULL;
  bool ok = false;
  /* /sys/class/block/vda2 links to .../block/vda/vda2. */
  if (asprintf (&path, "/sys/class/block/%s", kname) != -1 &&
      (sysdir = realpath (path, NULL)) != NULL) {
    char *start_path = NULL;
    if (asprintf (&start_path, "%s/start", sysdir) != -1 &&
        read_sysfs_number (start_path, start)) {
      char *slash = strrchr (sysdir, '/');
      *slash = '\0';
      slash = strrchr (sysdir, '/');
      *disk_kname = strdup (slash ? slash + 1 : sysdir);
      ok = *disk_kname != NULL;
    }
    free (start_path);
  }
  free (path);
  free (sysdir);
  free (kname);
  return ok;
}

/* ---- Private mounts ---- */

/* The device of a listed mountable and its btrfs subvolume (NULL for
 * none): the device is the longest prefix that is a block device. */
static bool
split_listed_mountable (const char *mountable, char **dev, char **subvol)
{
  *dev = *subvol = NULL;
  if (strncmp (mountable, BTRFSVOL_PREFIX, strlen (BTRFSVOL_PREFIX)) != 0) {
    *dev = strdup (mountable);
    return *dev != NULL;
  }
  const char *spec = mountable + strlen (BTRFSVOL_PREFIX);
  for (const char *slash = strrchr (spec, '/'); slash && slash > spec;) {
    char *d = strndup (spec, (size_t)(slash - spec));
    struct stat st;
    if (d && stat (d, &st) == 0 && S_ISBLK (st.st_mode)) {
      *dev = d;
      *subvol = strdup (slash + 1);
      return *subvol != NULL;
    }
    free (d);
    do
      --slash;
    while (slash > spec && *slash != '/');
  }
  return false;
}

/* Options that keep a read-only mount from writing: no journal replay. */
static const char *
no_write_options (const char *fstype)
{
  if (strcmp (fstype, "ext3") == 0 || strcmp (fstype, "ext4") == 0)
    return "noload";
  if (strcmp (fstype, "xfs") == 0)
    return "norecovery";
  return "";
}

/* mount(2), and if the filesystem is already mounted read-write (the
 * kernel refuses a read-only second mount with EBUSY), a second mount
 * sharing it, made read-only at once: that writes nothing either. */
static int
mount_readonly (const char *dev, const char *dir, const char *type,
                const char *data)
{
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  if (mount (dev, dir, type, flags | MS_RDONLY, *data ? data : NULL) == 0)
    return 0;
  if (errno != EBUSY)
    return -1;
  if (mount (dev, dir, type, flags, NULL) == -1)
    return -1;
  if (mount (NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL) ==
      -1) {
    umount2 (dir, MNT_DETACH);
    return -1;
  }
  return 0;
}

static int
mount_ntfs_3g (const char *dev, const char *dir)
{
  const char *argv[] = {"ntfs-3g", "-o", "ro,nodev,nosuid,noexec",
                        dev,       dir,  NULL};
  return run_capture (argv, NULL, NULL) == 0 ? 0 : -1;
}

/* Mount the candidate on a new private directory: the directory
 * (malloc'd), or NULL. */
static char *
mount_candidate (const char *mountable, const char *fstype)
{
  char *dev, *subvol, *data = NULL;
  if (!split_listed_mountable (mountable, &dev, &subvol))
    return NULL;
  char *dir = strdup ("/tmp/guestfsd-inspect.XXXXXX");
  int r = -1;
  if (dir == NULL || mkdtemp (dir) == NULL)
    goto out;
  if (subvol)
    r = asprintf (&data, "subvol=%s", subvol);
  else
    r = (data = strdup (no_write_options (fstype))) ? 0 : -1;
  if (r == -1) {
    data = NULL;
    goto out;
  }
  if (strcmp (fstype, "ntfs") == 0) {
    r = mount_readonly (dev, dir, "ntfs3", "");
    if (r == -1 && errno == ENODEV)
      r = mount_ntfs_3g (dev, dir);
  } else
    r = mount_readonly (dev, dir, fstype, data);
  if (r == -1)
    debug ("inspect: %s: not mounted as %s: %m", mountable, fstype);
out:
  if (r == -1 && dir) {
    rmdir (dir);
    free (dir);
    dir = NULL;
  }
  free (data);
  free (dev);
  free (subvol);
  return dir;
}

static void
unmount_candidate (char *dir)
{
  if (umount2 (dir, 0) == -1 && umount2 (dir, MNT_DETACH) == -1)
    debug ("inspect: umount %s: %m", dir);
  if (rmdir (dir) == -1)
    debug ("inspect: rmdir %s: %m", dir);
  free (dir);
}

/* ---- Candidates ---- */

static bool
worth_mounting (const char *type)
{
  static const char *const skipped[] = {
      "swap", "crypto_LUKS", "BitLocker", "unknown", "", NULL};
  for (size_t i = 0; skipped[i]; ++i)
    if (strcmp (type, skipped[i]) == 0)
      return false;
  return true;
}

static void
inspect_candidate (struct inspect_ctx *ctx, const char *mountable,
                   const char *fstype)
{
  char *dir = mount_candidate (mountable, fstype);
  if (dir == NULL)
    return;
  struct inspect_fs fs = {.mountable = mountable,
                          .fstype = fstype,
                          .root_fd =
                              open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC)};
  if (fs.root_fd >= 0) {
    char *systemroot = NULL;
    if (is_linux_root (fs.root_fd))
      inspect_linux (ctx, &fs);
    else if ((systemroot = windows_systemroot (fs.root_fd)) != NULL)
      inspect_windows (ctx, &fs, systemroot);
    free (systemroot);
    close (fs.root_fd);
  }
  unmount_candidate (dir);
}

char **
do_internal_inspect (void)
{
  struct inspect_ctx ctx = {.facts = {0}};
  ctx.filesystems = do_list_filesystems ();
  if (ctx.filesystems == NULL)
    return NULL;
  ctx.disks = list_guest_disks ();
  if (ctx.disks == NULL) {
    free_strings (ctx.filesystems);
    return NULL;
  }
  ctx.lvs = group_available ("lvm2") ? list_logical_volumes () : NULL;

  for (size_t i = 0;
       ctx.filesystems[i] && ctx.filesystems[i + 1] && !ctx.failed; i += 2)
    if (worth_mounting (ctx.filesystems[i + 1]))
      inspect_candidate (&ctx, ctx.filesystems[i], ctx.filesystems[i + 1]);

  free_devices (&ctx);
  free_strings (ctx.filesystems);
  free_strings (ctx.disks);
  free_strings (ctx.lvs);
  if (ctx.failed) {
    free_stringsbuf (&ctx.facts);
    reply_with_error_errno (ENOMEM, "out of memory");
    return NULL;
  }
  return take_strings (&ctx.facts);
}
