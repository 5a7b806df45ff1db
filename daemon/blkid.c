/* What is on a device: filesystem type, label and UUID, through
 * libblkid's low-level probing.  Probing reads the device itself every
 * time (no blkid cache), so the answer reflects what was just written.
 */
#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

enum probe_what {
  PROBE_SUPERBLOCKS = 1,
  PROBE_PARTITIONS = 2, /* the partition table on a disk, or the entry
                           describing a partition */
};

/* A probe of dev, or NULL after replying. */
static blkid_probe
new_probe (const char *dev, unsigned what)
{
  /* A partition and its disk have separate page caches: drop ours so
   * the probe sees writes made through the other one. */
  flush_block_cache (dev);
  blkid_probe pr = blkid_new_probe_from_filename (dev);
  if (pr == NULL) {
    reply_with_perror ("%s", dev);
    return NULL;
  }
  blkid_probe_enable_superblocks (pr, (what & PROBE_SUPERBLOCKS) != 0);
  if (what & PROBE_SUPERBLOCKS)
    blkid_probe_set_superblocks_flags (
        pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE |
                BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION);
  blkid_probe_enable_partitions (pr, (what & PROBE_PARTITIONS) != 0);
  if (what & PROBE_PARTITIONS)
    blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
  return pr;
}

/* Run the probe.  Returns 0 (found something), 1 (nothing) or -1
 * after replying. */
static int
run_probe (blkid_probe pr, const char *dev)
{
  int r = blkid_do_safeprobe (pr);
  if (r == -2) {
    reply_with_error_errno (EIO,
                            "%s: several different signatures were "
                            "found (use guestfs_wipefs to remove stale "
                            "ones)",
                            dev);
    return -1;
  }
  if (r < 0) {
    reply_with_error_errno (EIO, "%s: probing failed", dev);
    return -1;
  }
  return r;
}

char *
probe_tag (const char *dev, const char *tag)
{
  blkid_probe pr = new_probe (dev, PROBE_SUPERBLOCKS);
  if (pr == NULL)
    return NULL;
  char *r = NULL;
  int found = run_probe (pr, dev);
  if (found != -1) {
    const char *value = NULL;
    if (found == 1 || blkid_probe_lookup_value (pr, tag, &value, NULL) != 0)
      value = "";
    r = strdup (value);
    if (r == NULL)
      reply_with_perror ("strdup");
  }
  blkid_free_probe (pr);
  return r;
}

/* The same without replying: NULL if dev cannot be probed or holds
 * several signatures. */
static char *
quiet_probe (const char *dev, unsigned what, const char *tag)
{
  flush_block_cache (dev);
  blkid_probe pr = blkid_new_probe_from_filename (dev);
  if (pr == NULL)
    return NULL;
  blkid_probe_enable_superblocks (pr, (what & PROBE_SUPERBLOCKS) != 0);
  if (what & PROBE_SUPERBLOCKS)
    blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_TYPE);
  blkid_probe_enable_partitions (pr, (what & PROBE_PARTITIONS) != 0);
  if (what & PROBE_PARTITIONS)
    blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
  int found = blkid_do_safeprobe (pr);
  const char *value = NULL;
  char *r = NULL;
  if (found >= 0) {
    if (found == 1 || blkid_probe_lookup_value (pr, tag, &value, NULL) != 0)
      value = "";
    r = strdup (value);
  }
  blkid_free_probe (pr);
  return r;
}

char *
probe_type_quiet (const char *dev)
{
  return quiet_probe (dev, PROBE_SUPERBLOCKS, "TYPE");
}

bool
is_mbr_extended_partition (const char *dev)
{
  /* GPT types are GUIDs: only an MBR entry has a type like "0x5". */
  char *type = quiet_probe (dev, PROBE_PARTITIONS, "PART_ENTRY_TYPE");
  bool r = type && (strcmp (type, "0x5") == 0 || strcmp (type, "0xf") == 0 ||
                    strcmp (type, "0x85") == 0);
  free (type);
  return r;
}

/* The tag of the device under a mountable (a btrfs subvolume shares
 * its filesystem's type, label and UUID). */
static char *
mountable_tag (const char *mountable, const char *tag)
{
  char *dev, *subvol;
  if (split_mountable (mountable, &dev, &subvol) == -1)
    return NULL;
  char *r = probe_tag (dev, tag);
  free (dev);
  free (subvol);
  return r;
}

char *
do_vfs_type (const char *mountable)
{
  return mountable_tag (mountable, "TYPE");
}

char *
do_vfs_label (const char *mountable)
{
  return mountable_tag (mountable, "LABEL");
}

char *
do_vfs_uuid (const char *mountable)
{
  return mountable_tag (mountable, "UUID");
}

char **
do_blkid (const char *device)
{
  blkid_probe pr = new_probe (device, PROBE_SUPERBLOCKS | PROBE_PARTITIONS);
  if (pr == NULL)
    return NULL;
  struct stringsbuf sb = {0};
  int found = run_probe (pr, device);
  if (found == -1)
    goto fail;
  int n = found == 0 ? blkid_probe_numof_values (pr) : 0;
  for (int i = 0; i < n; ++i) {
    const char *name, *data;
    size_t len;
    if (blkid_probe_get_value (pr, i, &name, &data, &len) != 0)
      continue;
    /* Values are NUL-terminated strings; keep binary ones out. */
    if (len == 0 || data[len - 1] != '\0' || memchr (data, 0, len - 1))
      continue;
    if (add_string (&sb, name) == -1 || add_string (&sb, data) == -1)
      goto fail;
  }
  blkid_free_probe (pr);
  return take_strings (&sb);

fail:
  blkid_free_probe (pr);
  free_stringsbuf (&sb);
  return NULL;
}

/* ---- Finding a filesystem ---- */

/* The first device (not the appliance's) whose tag is value, by a
 * fresh probe of every block device (no cache: there is no udev). */
static char *
findfs (const char *tag, const char *value)
{
  if (host_mode) {
    reply_with_error_errno (EPERM, "devices are not available when guestfsd "
                                   "runs on the host");
    return NULL;
  }
  char *token;
  if (asprintf (&token, "%s=%s", tag, value) == -1) {
    reply_with_perror ("asprintf");
    return NULL;
  }
  const char *argv[] = {"blkid", "-c", "/dev/null", "-o", "device",
                        "-t",    token, NULL};
  char *out = NULL, *err = NULL;
  int r = run_capture (argv, &out, &err);
  char *found = NULL;
  /* 2: nothing has the tag. */
  if (r != 0 && r != 2)
    reply_with_program_error (0, "blkid", r, err, "%s", token);
  else {
    char *save = NULL;
    for (char *dev = out ? strtok_r (out, "\n", &save) : NULL;
         dev && !found; dev = strtok_r (NULL, "\n", &save))
      if (!is_appliance_device (dev))
        found = canonical_device_name (dev);
    if (found == NULL)
      reply_with_error_errno (ENOENT, "%s: no filesystem has it", token);
  }
  free (out);
  free (err);
  free (token);
  return found;
}

char *
do_findfs_label (const char *label)
{
  return findfs ("LABEL", label);
}

char *
do_findfs_uuid (const char *uuid)
{
  return findfs ("UUID", uuid);
}
