/* Creating, checking, labelling and erasing filesystems. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "util.h"
#include "storage.h"

enum fs_family {
  FS_EXT,
  FS_XFS,
  FS_FAT,
  FS_BTRFS,
  FS_NTFS,
  FS_SWAP,
  FS_UNKNOWN
};

static enum fs_family
fs_family (const char *fstype)
{
  static const struct {
    const char *name;
    enum fs_family family;
  } known[] = {
      {"ext2", FS_EXT},  {"ext3", FS_EXT},    {"ext4", FS_EXT},
      {"xfs", FS_XFS},   {"vfat", FS_FAT},    {"fat", FS_FAT},
      {"msdos", FS_FAT}, {"btrfs", FS_BTRFS}, {"ntfs", FS_NTFS},
      {"swap", FS_SWAP},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; ++i)
    if (strcmp (fstype, known[i].name) == 0)
      return known[i].family;
  return FS_UNKNOWN;
}

/* ---- mkfs ---- */

/* The command line being built, with room for every option. */
struct cmdline {
  const char *argv[32];
  char nums[4][32]; /* storage for numeric arguments */
  size_t n, nnums;
};

static void
add_arg (struct cmdline *c, const char *arg)
{
  if (c->n < 31)
    c->argv[c->n++] = arg;
  c->argv[c->n] = NULL;
}

/* prefix then the number: "-b" "4096" with prefix "", or "size=4096". */
static void
add_num (struct cmdline *c, const char *prefix, int value)
{
  char *buf = c->nums[c->nnums++ % 4];
  snprintf (buf, sizeof c->nums[0], "%s%d", prefix, value);
  add_arg (c, buf);
}

/* Options as the caller gave them (0 / NULL when not given). */
struct mkfs_opts {
  int blocksize, inode, sectorsize;
  const char *features, *label;
};

static int
refuse_option (const char *fstype, const char *option)
{
  reply_with_error_errno (EINVAL,
                          "%s: the %s option does not apply to this "
                          "filesystem type",
                          fstype, option);
  return -1;
}

/* How one mkfs program spells each option.  A NULL flag means the
 * option does not apply to that filesystem type; a number is passed as
 * the flag, then prefix and value ("-b" "4096", or "-b" "size=4096"). */
struct numeric_flag {
  const char *flag, *prefix;
};

struct mkfs_tool {
  enum fs_family family;
  const char *program;
  const char *fixed[3]; /* always given, after the program */
  bool pass_type;       /* "-t FSTYPE" (mke2fs makes ext2, 3 and 4) */
  struct numeric_flag blocksize, inode, sectorsize;
  const char *features, *label;
};

static const struct mkfs_tool mkfs_tools[] = {
  { FS_EXT, "mke2fs", { "-q", "-F" }, true,
    { "-b", "" }, { "-I", "" }, { NULL, NULL }, "-O", "-L" },
  { FS_XFS, "mkfs.xfs", { "-f" }, false,
    { "-b", "size=" }, { "-i", "size=" }, { "-s", "size=" }, NULL, "-L" },
  /* FAT's blocksize is a cluster: passed in sectors (see below). */
  { FS_FAT, "mkfs.fat", { "-I" }, false,
    { "-s", "" }, { NULL, NULL }, { "-S", "" }, NULL, "-n" },
  { FS_BTRFS, "mkfs.btrfs", { "-f" }, false,
    { NULL, NULL }, { NULL, NULL }, { "--sectorsize", "" }, NULL, "-L" },
  /* -Q: do not zero the whole device. */
  { FS_NTFS, "mkntfs", { "-Q", "-F" }, false,
    { "-c", "" }, { NULL, NULL }, { "-s", "" }, NULL, "-L" },
  { FS_SWAP, "mkswap", { "-f" }, false,
    { NULL, NULL }, { NULL, NULL }, { NULL, NULL }, NULL, "-L" },
};

static const struct mkfs_tool *
find_mkfs_tool (enum fs_family family)
{
  for (size_t i = 0; i < sizeof mkfs_tools / sizeof mkfs_tools[0]; ++i)
    if (mkfs_tools[i].family == family)
      return &mkfs_tools[i];
  return NULL;
}

/* A FAT cluster is 1 to 128 sectors: turn blocksize into that count. */
static int
fat_cluster_sectors (const char *fstype, const struct mkfs_opts *o)
{
  int ss = o->sectorsize ? o->sectorsize : 512;
  if (o->blocksize % ss != 0 || o->blocksize / ss > 128) {
    reply_with_error_errno (EINVAL,
                            "%s: blocksize %d: the cluster size must "
                            "be 1 to 128 sectors of %d bytes",
                            fstype, o->blocksize, ss);
    return -1;
  }
  return o->blocksize / ss;
}

static int
add_numeric (struct cmdline *c, const char *fstype, const char *option,
             const struct numeric_flag *f, int value)
{
  if (value == 0)
    return 0;
  if (f->flag == NULL)
    return refuse_option (fstype, option);
  add_arg (c, f->flag);
  add_num (c, f->prefix, value);
  return 0;
}

static int
add_text (struct cmdline *c, const char *fstype, const char *option,
          const char *flag, const char *value)
{
  if (value == NULL)
    return 0;
  if (flag == NULL)
    return refuse_option (fstype, option);
  add_arg (c, flag);
  add_arg (c, value);
  return 0;
}

static int
build_mkfs (struct cmdline *c, const struct mkfs_tool *t, const char *fstype,
            const struct mkfs_opts *o)
{
  int blocksize = o->blocksize;
  if (t->family == FS_FAT && blocksize &&
      (blocksize = fat_cluster_sectors (fstype, o)) == -1)
    return -1;
  add_arg (c, t->program);
  for (size_t i = 0; i < 3 && t->fixed[i]; ++i)
    add_arg (c, t->fixed[i]);
  if (t->pass_type) {
    add_arg (c, "-t");
    add_arg (c, fstype);
  }
  if (add_text (c, fstype, "features", t->features, o->features) == -1 ||
      add_numeric (c, fstype, "inode", &t->inode, o->inode) == -1 ||
      add_numeric (c, fstype, "blocksize", &t->blocksize, blocksize) == -1 ||
      add_numeric (c, fstype, "sectorsize", &t->sectorsize,
                   o->sectorsize) == -1 ||
      add_text (c, fstype, "label", t->label, o->label) == -1)
    return -1;
  return 0;
}

static int
check_positive (const char *name, int value)
{
  if (value < 0) {
    reply_with_error_errno (EINVAL, "%s: %d: must be positive", name, value);
    return -1;
  }
  return 0;
}

int
do_mkfs (const char *fstype, const char *device, int blocksize,
         const char *features, int inode, int sectorsize, const char *label)
{
  struct mkfs_opts o = {
      .blocksize = OPTARG_SET (0) ? blocksize : 0,
      .features = OPTARG_SET (1) ? features : NULL,
      .inode = OPTARG_SET (2) ? inode : 0,
      .sectorsize = OPTARG_SET (3) ? sectorsize : 0,
      .label = OPTARG_SET (4) ? label : NULL,
  };
  if (check_positive ("blocksize", o.blocksize) == -1 ||
      check_positive ("inode", o.inode) == -1 ||
      check_positive ("sectorsize", o.sectorsize) == -1)
    return -1;
  const struct mkfs_tool *tool = find_mkfs_tool (fs_family (fstype));
  if (tool == NULL) {
    reply_with_error_errno (EINVAL,
                            "fstype: \"%s\": unknown or unsupported "
                            "filesystem type",
                            fstype);
    return -1;
  }
  struct cmdline c = {.n = 0};
  if (build_mkfs (&c, tool, fstype, &o) == -1)
    return -1;
  /* mkntfs knows no "--"; the device name starts with /dev/ anyway. */
  if (strcmp (c.argv[0], "mkntfs") != 0)
    add_arg (&c, "--");
  add_arg (&c, device);
  return run_or_reply (device, c.argv, NULL);
}

int
mkswap_device (const char *device, const char *label, const char *uuid)
{
  const char *argv[10] = {"mkswap", "-f"};
  size_t n = 2;
  if (label) {
    argv[n++] = "-L";
    argv[n++] = label;
  }
  if (uuid) {
    argv[n++] = "-U";
    argv[n++] = uuid;
  }
  argv[n++] = "--";
  argv[n++] = device;
  argv[n] = NULL;
  return run_or_reply (device, argv, NULL);
}

int
do_mkswap (const char *device, const char *label, const char *uuid)
{
  return mkswap_device (device, OPTARG_SET (0) ? label : NULL,
                        OPTARG_SET (1) ? uuid : NULL);
}

/* ---- Erasing ---- */

/* After erasing a whole disk's partition table, the kernel should
 * forget its partitions.  Not possible for a partition or while one
 * is in use, which is fine: then there is nothing or nothing safe to
 * do. */
static void
forget_partitions (const char *device)
{
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (ioctl (fd, BLKRRPART) == -1)
      debug ("%s: BLKRRPART: %m", device);
    close (fd);
  }
}

int
do_wipefs (const char *device)
{
  const char *argv[] = {"wipefs", "--all", "--", device, NULL};
  if (run_or_reply (device, argv, NULL) == -1)
    return -1;
  forget_partitions (device);
  return 0;
}

#define ZERO_CHUNK (1024 * 1024)

/* Zero [start, end) of the open device fd, writing only the chunks
 * that are not zero already (reading is cheaper than writing and keeps
 * sparse images sparse).  progress_base/total: for progress events. */
static int
zero_range (int fd, const char *device, uint64_t start, uint64_t end,
            uint64_t progress_base, uint64_t total, char *buf)
{
  static const char zeroes[ZERO_CHUNK];
  for (uint64_t off = start; off < end;) {
    size_t len = end - off < ZERO_CHUNK ? end - off : ZERO_CHUNK;
    ssize_t r = pread (fd, buf, len, off);
    if (r <= 0) {
      reply_with_perror ("%s: reading at %llu", device,
                         (unsigned long long)off);
      return -1;
    }
    if (!guestfs_int_is_zero (buf, r) && pwrite (fd, zeroes, r, off) != r) {
      reply_with_perror ("%s: writing at %llu", device,
                         (unsigned long long)off);
      return -1;
    }
    off += r;
    notify_progress (progress_base + (off - start), total);
  }
  return 0;
}

/* Zero the listed ranges of device, then flush. */
static int
zero_ranges (const char *device, const uint64_t (*ranges)[2], size_t n)
{
  int fd = open (device, O_RDWR | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return -1;
  }
  char *buf = malloc (ZERO_CHUNK);
  if (buf == NULL) {
    reply_with_perror ("malloc");
    close (fd);
    return -1;
  }
  uint64_t total = 0, done = 0;
  for (size_t i = 0; i < n; ++i)
    total += ranges[i][1] - ranges[i][0];
  int r = 0;
  for (size_t i = 0; i < n && r == 0; ++i) {
    r = zero_range (fd, device, ranges[i][0], ranges[i][1], done, total, buf);
    done += ranges[i][1] - ranges[i][0];
  }
  free (buf);
  if (r == 0 && fsync (fd) == -1) {
    reply_with_perror ("%s: fsync", device);
    r = -1;
  }
  close (fd);
  if (r == 0)
    forget_partitions (device);
  return r;
}

int
do_zero (const char *device)
{
  int64_t size = do_blockdev_getsize64 (device);
  if (size == -1)
    return -1;
  uint64_t s = size, head = s < ZERO_CHUNK ? s : ZERO_CHUNK;
  uint64_t tail = s > 2 * ZERO_CHUNK ? s - ZERO_CHUNK : head;
  uint64_t ranges[2][2] = {{0, head}, {tail, s}};
  return zero_ranges (device, ranges, tail < s ? 2 : 1);
}

int
do_zero_device (const char *device)
{
  int64_t size = do_blockdev_getsize64 (device);
  if (size == -1)
    return -1;
  uint64_t ranges[1][2] = {{0, (uint64_t)size}};
  return zero_ranges (device, ranges, 1);
}

/* ---- Checking ---- */

int
do_fsck (const char *fstype, const char *device)
{
  if (fstype[0] == '\0' || strspn (fstype, "abcdefghijklmnopqrstuvwxyz0123456"
                                           "789") != strlen (fstype)) {
    reply_with_error_errno (EINVAL, "fstype: \"%s\": not a filesystem type",
                            fstype);
    return -1;
  }
  /* -a: repair what is safe without asking, as at boot. */
  const char *argv[] = {"fsck", "-a", "-t", fstype, device, NULL};
  char *err = NULL;
  int r = run_capture (argv, NULL, &err);
  if (r == -1)
    reply_with_program_error (0, "fsck", r, err, "%s", device);
  free (err);
  return r;
}

int
do_e2fsck (const char *device, int correct, int forceall)
{
  correct = OPTARG_SET (0) && correct;
  forceall = OPTARG_SET (1) && forceall;
  if (correct && forceall) {
    reply_with_error_errno (EINVAL,
                            "%s: only one of correct and forceall "
                            "may be set",
                            device);
    return -1;
  }
  const char *argv[] = {
      "e2fsck", "-f",   correct ? "-p" : forceall ? "-y" : "-n",
      "--",     device, NULL};
  char *out = NULL, *err = NULL;
  int r = run_capture (argv, &out, &err);
  /* 1: errors were corrected, which is what was asked for. */
  if (r != 0 && r != 1) {
    reply_with_program_error (r == -1 ? 0 : EIO, "e2fsck", r,
                              err && *err ? err : out, "%s", device);
    r = -1;
  }
  free (out);
  free (err);
  return r == -1 ? -1 : 0;
}

/* ---- Labels and UUIDs ---- */

/* The type of the filesystem on dev, as a family. */
static int
probe_family (const char *dev, enum fs_family *family, char **type)
{
  *type = probe_tag (dev, "TYPE");
  if (*type == NULL)
    return -1;
  *family = fs_family (*type);
  return 0;
}

static int
check_label_length (const char *type, const char *label, size_t max)
{
  if (strlen (label) > max) {
    reply_with_error_errno (EINVAL,
                            "label: \"%s\": %s labels are at most %zu "
                            "bytes",
                            label, type, max);
    return -1;
  }
  return 0;
}

int
do_set_label (const char *mountable, const char *label)
{
  char *dev, *subvol, *type = NULL;
  enum fs_family family;
  if (split_mountable (mountable, &dev, &subvol) == -1)
    return -1;
  int r = -1;
  if (probe_family (dev, &family, &type) == -1)
    goto out;
  const char *argv[8] = {NULL};
  switch (family) {
  case FS_EXT:
    if (check_label_length (type, label, 16) == -1)
      goto out;
    memcpy (argv, (const char *[]){"tune2fs", "-L", label, "--", dev, NULL},
            6 * sizeof (char *));
    break;
  case FS_XFS:
    if (check_label_length (type, label, 12) == -1)
      goto out;
    memcpy (argv, (const char *[]){"xfs_admin", "-L", label, dev, NULL},
            5 * sizeof (char *));
    break;
  case FS_FAT:
    if (check_label_length (type, label, 11) == -1)
      goto out;
    memcpy (argv, (const char *[]){"fatlabel", "--", dev, label, NULL},
            5 * sizeof (char *));
    break;
  case FS_NTFS:
    memcpy (argv, (const char *[]){"ntfslabel", "--", dev, label, NULL},
            5 * sizeof (char *));
    break;
  case FS_BTRFS:
    memcpy (argv,
            (const char *[]){"btrfs", "filesystem", "label", "--", dev, label,
                             NULL},
            7 * sizeof (char *));
    break;
  case FS_SWAP:
    if (check_label_length (type, label, 16) == -1)
      goto out;
    memcpy (argv, (const char *[]){"swaplabel", "-L", label, "--", dev, NULL},
            6 * sizeof (char *));
    break;
  default:
    reply_with_error_errno (ENOTSUP,
                            "%s: setting the label of a \"%s\" "
                            "filesystem is not supported",
                            mountable, *type ? type : "(unknown)");
    goto out;
  }
  r = run_or_reply (mountable, argv, NULL);
out:
  free (type);
  free (dev);
  free (subvol);
  return r;
}

int
do_set_uuid (const char *device, const char *uuid)
{
  char *type;
  enum fs_family family;
  if (probe_family (device, &family, &type) == -1)
    return -1;
  const char *argv[8] = {NULL};
  switch (family) {
  case FS_EXT:
    memcpy (argv, (const char *[]){"tune2fs", "-U", uuid, "--", device, NULL},
            6 * sizeof (char *));
    break;
  case FS_XFS:
    memcpy (argv, (const char *[]){"xfs_admin", "-U", uuid, device, NULL},
            5 * sizeof (char *));
    break;
  case FS_BTRFS:
    memcpy (argv, (const char *[]){"btrfstune", "-f", "-U", uuid, device, NULL},
            6 * sizeof (char *));
    break;
  case FS_SWAP:
    memcpy (argv, (const char *[]){"swaplabel", "-U", uuid, "--", device, NULL},
            6 * sizeof (char *));
    break;
  default:
    reply_with_error_errno (ENOTSUP,
                            "%s: setting the UUID of a \"%s\" "
                            "filesystem is not supported",
                            device, *type ? type : "(unknown)");
    free (type);
    return -1;
  }
  free (type);
  return run_or_reply (device, argv, NULL);
}
