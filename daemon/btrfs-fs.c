/* btrfs filesystems and their devices: mkfs, resize, sync, show,
 * defragment, device add/delete/replace, seeding and btrfstune.
 *
 * Device arguments arrive checked and translated by the dispatcher;
 * guest paths are resolved inside the sysroot (btrfs.h).
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs.h"
#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* The words of mkfs.btrfs's command line before the devices: the
 * program and -f, two for each of seven options, "--" and the NULL. */
#define MKFS_HEAD_WORDS (2 + 7 * 2 + 1 + 1)

static bool
is_power_of_2 (int n)
{
  return n > 0 && (n & (n - 1)) == 0;
}

static bool
is_profile (const char *s)
{
  static const char *const profiles[] = {"single", "dup",    "raid0",
                                         "raid1",  "raid10", NULL};
  for (size_t i = 0; profiles[i]; ++i)
    if (strcmp (s, profiles[i]) == 0)
      return true;
  return false;
}

/* Check a power-of-two size option and add it; -1 with a reply. */
static int
add_size_option (const char **argv, size_t *n, char *buf, size_t bufsz,
                 const char *flag, const char *name, int value)
{
  if (!is_power_of_2 (value)) {
    reply_with_error_errno (EINVAL, "%s: %d is not a power of two", name,
                            value);
    return -1;
  }
  snprintf (buf, bufsz, "%d", value);
  argv[(*n)++] = flag;
  argv[(*n)++] = buf;
  return 0;
}

static int
add_profile_option (const char **argv, size_t *n, const char *flag,
                    const char *name, const char *value)
{
  if (!is_profile (value)) {
    reply_with_error_errno (EINVAL, "%s: \"%s\" is not a btrfs profile", name,
                            value);
    return -1;
  }
  argv[(*n)++] = flag;
  argv[(*n)++] = value;
  return 0;
}

int
do_mkfs_btrfs (char *const *devices, int64_t allocstart, int64_t bytecount,
               const char *datatype, int leafsize, const char *label,
               const char *metadata, int nodesize, int sectorsize)
{
  (void)allocstart; /* mkfs.btrfs dropped --alloc-start (4.14.1) */
  if (devices[0] == NULL) {
    reply_with_error_errno (EINVAL, "devices: the list is empty");
    return -1;
  }
  /* The options, then "--"; the devices are added after them. */
  const char *argv[MKFS_HEAD_WORDS];
  char bytes[24], leaf[16], node[16], sector[16];
  size_t n = 0;
  argv[n++] = "mkfs.btrfs";
  argv[n++] = "-f"; /* overwrite what the devices held */
  if (OPTARG_SET (1)) {
    if (bytecount <= 0) {
      reply_with_error_errno (EINVAL, "bytecount: %" PRIi64 " is not positive",
                              bytecount);
      return -1;
    }
    snprintf (bytes, sizeof bytes, "%" PRIi64, bytecount);
    argv[n++] = "--byte-count";
    argv[n++] = bytes;
  }
  if ((OPTARG_SET (2) &&
       add_profile_option (argv, &n, "--data", "datatype", datatype) == -1) ||
      (OPTARG_SET (3) &&
       add_size_option (argv, &n, leaf, sizeof leaf, "--nodesize", "leafsize",
                        leafsize) == -1) ||
      (OPTARG_SET (5) && add_profile_option (argv, &n, "--metadata", "metadata",
                                             metadata) == -1) ||
      (OPTARG_SET (6) &&
       add_size_option (argv, &n, node, sizeof node, "--nodesize", "nodesize",
                        nodesize) == -1) ||
      (OPTARG_SET (7) &&
       add_size_option (argv, &n, sector, sizeof sector, "--sectorsize",
                        "sectorsize", sectorsize) == -1))
    return -1;
  if (OPTARG_SET (4)) {
    argv[n++] = "--label";
    argv[n++] = label;
  }
  argv[n++] = "--";
  argv[n] = NULL;
  return btrfs_run_devices (devices[0], argv, devices, NULL);
}

int
do_btrfs_filesystem_resize (const char *mountpoint, int64_t size)
{
  char sz[24] = "max";
  if (OPTARG_SET (0)) {
    if (size <= 0) {
      reply_with_error_errno (EINVAL, "size: %" PRIi64 " is not positive",
                              size);
      return -1;
    }
    snprintf (sz, sizeof sz, "%" PRIi64, size);
  }
  const char *args[] = {"filesystem", "resize", "--", sz, NULL};
  /* The kernel refuses a size it cannot shrink to with EINVAL. */
  return btrfs_run_on (mountpoint, args, NULL, "Invalid argument", EINVAL);
}

int
do_btrfs_filesystem_sync (const char *fs)
{
  const char *args[] = {"filesystem", "sync", "--", NULL};
  return btrfs_run_on (fs, args, NULL, NULL, 0);
}

/* The device of a "devid N size S used U path DEV" line, or NULL. */
static const char *
devid_line_path (const char *line)
{
  line += strspn (line, " \t");
  if (strncmp (line, "devid ", 6) != 0)
    return NULL;
  const char *p = strstr (line, " path ");
  return p ? p + 6 : NULL;
}

/* Output of "btrfs filesystem show DEV":
 *   Label: none  uuid: 99a1b6ba-...
 *           Total devices 2 FS bytes used 1.12MiB
 *           devid    1 size 10.00GiB used 2.00GiB path /dev/sda
 *           devid    2 size 10.00GiB used 2.00GiB path /dev/sdb
 *           *** Some devices missing            (if so)
 */
static char **
parse_filesystem_show (const char *device, char *out)
{
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save)) {
    if (strstr (l, "Some devices missing")) {
      reply_with_error_errno (ENODEV,
                              "%s: some devices of the filesystem "
                              "are missing",
                              device);
      goto fail;
    }
    const char *path = devid_line_path (l);
    if (path == NULL)
      continue;
    CLEANUP_FREE char *dev = canonical_device_name (path);
    if (dev == NULL) {
      reply_with_perror ("%s", path);
      goto fail;
    }
    if (add_string (&sb, dev) == -1)
      goto fail;
  }
  if (sb.size == 0) {
    reply_with_error_errno (EIO, "%s: btrfs filesystem show listed no device",
                            device);
    goto fail;
  }
  return take_strings (&sb);

fail:
  free_stringsbuf (&sb);
  return NULL;
}

char **
do_btrfs_filesystem_show (const char *device)
{
  if (btrfs_refuse_on_host (device) == -1)
    return NULL;
  CLEANUP_FREE char *type = probe_tag (device, "TYPE");
  if (type == NULL)
    return NULL;
  if (strcmp (type, "btrfs") != 0) {
    reply_with_error_errno (EINVAL, "%s: not a btrfs filesystem", device);
    return NULL;
  }
  const char *argv[] = {"btrfs", "filesystem", "show", "--", device, NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run (device, argv, &out, NULL, 0) == -1)
    return NULL;
  return parse_filesystem_show (device, out);
}

int
do_btrfs_filesystem_defragment (const char *path, int flush,
                                const char *compress)
{
  const char *args[8] = {"filesystem", "defragment", "-r"};
  size_t n = 3;
  CLEANUP_FREE char *copt = NULL;
  if (OPTARG_SET (0) && flush)
    args[n++] = "-f";
  if (OPTARG_SET (1)) {
    if (strcmp (compress, "zlib") != 0 && strcmp (compress, "lzo") != 0 &&
        strcmp (compress, "zstd") != 0) {
      reply_with_error_errno (EINVAL, "compress: unknown method \"%s\"",
                              compress);
      return -1;
    }
    if (asprintf (&copt, "-c%s", compress) == -1) {
      reply_with_perror ("asprintf");
      return -1;
    }
    args[n++] = copt;
  }
  args[n++] = "--";
  args[n] = NULL;
  return btrfs_run_on (path, args, NULL, NULL, 0);
}

/* "btrfs device add|delete [-f] -- DEVICES... PATH" */
static int
device_command (const char *verb, char *const *devices, const char *fs)
{
  if (devices[0] == NULL)
    return 0;
  CLEANUP_FREE char *host = btrfs_host_path (fs);
  if (host == NULL)
    return -1;
  const char *head[] = {"btrfs", "device", verb, "--", NULL};
  const char *head_add[] = {"btrfs", "device",
                            verb,    "-f", /* overwrite what the devices held */
                            "--",    NULL};
  return btrfs_run_devices (fs, strcmp (verb, "add") == 0 ? head_add : head,
                            devices, host);
}

int
do_btrfs_device_add (char *const *devices, const char *fs)
{
  return device_command ("add", devices, fs);
}

int
do_btrfs_device_delete (char *const *devices, const char *fs)
{
  return device_command ("delete", devices, fs);
}

int
do_btrfs_replace (const char *srcdev, const char *targetdev,
                  const char *mntpoint)
{
  /* -B: return when the copy is done; -f: overwrite targetdev. */
  const char *args[] = {"replace", "start", "-B",      "-f",
                        "--",      srcdev,  targetdev, NULL};
  return btrfs_run_on (mntpoint, args, NULL, NULL, 0);
}

/* btrfstune on an unmounted device. */
static int
btrfstune (const char *device, const char *const *opts)
{
  if (btrfs_refuse_on_host (device) == -1)
    return -1;
  const char *argv[8] = {"btrfstune"};
  size_t n = 1;
  for (; opts[n - 1]; ++n)
    argv[n] = opts[n - 1];
  argv[n++] = device;
  argv[n] = NULL;
  return btrfs_run (device, argv, NULL, "mounted", EBUSY);
}

int
do_btrfs_set_seeding (const char *device, int seeding)
{
  /* Clearing the flag needs -f: btrfstune asks for it, as a seeding
   * filesystem may be the base of others. */
  const char *on[] = {"-S", "1", NULL}, *off[] = {"-S", "0", "-f", NULL};
  return btrfstune (device, seeding ? on : off);
}

int
do_btrfstune_seeding (const char *device, int seeding)
{
  return do_btrfs_set_seeding (device, seeding);
}

int
do_btrfstune_enable_extended_inode_refs (const char *device)
{
  const char *opts[] = {"-r", NULL};
  return btrfstune (device, opts);
}

int
do_btrfstune_enable_skinny_metadata_extent_refs (const char *device)
{
  const char *opts[] = {"-x", NULL};
  return btrfstune (device, opts);
}
