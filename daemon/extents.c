/* guestfs_fuse_extents: where an open file's data lies on the drives,
 * so that guestmount can read it from the image (see extent-map.h for
 * the format).
 *
 * The daemon parses the filesystem, the host only copies bytes: so
 * anything that is not plainly "these bytes of the file are those
 * bytes of a drive" is refused with EOPNOTSUPP and the client keeps
 * reading through the daemon.  FIEMAP gives offsets on the
 * filesystem's block device; a partition adds its start, a linear
 * device-mapper target (LVM) its offset on the device below, down to a
 * whole disk, which names its drive by the serial the library gives it
 * ("d<index>").  Filesystems are allowed by name: btrfs reports
 * logical addresses and ntfs-3g no extents at all.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "daemon-actions.h"
#include "extent-map.h"
#include "handles.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

/* Extents FIEMAP returns per call. */
#define FIEMAP_BATCH 512
/* Device stacking deeper than this is not followed. */
#define MAX_DEPTH 6
/* Device-mapper tables remembered during one call. */
#define MAX_TABLES 8
#define MAX_SEGMENTS 256

#define FIEMAP_REFUSED                                                       \
  (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED | \
   FIEMAP_EXTENT_DATA_ENCRYPTED | FIEMAP_EXTENT_NOT_ALIGNED |               \
   FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL)

struct segment {        /* one linear target line, in bytes */
  uint64_t start, length, target_offset;
  dev_t target;
};

struct dm_table {
  dev_t dev;
  size_t n;
  struct segment seg[MAX_SEGMENTS];
};

struct mapping {        /* the state of one call */
  struct extent *out;
  size_t n, cap;
  struct dm_table *tables[MAX_TABLES];
  size_t nr_tables;
  const char *why;      /* the reason for refusing */
};

static bool
refuse (struct mapping *m, const char *why)
{
  m->why = why;
  return false;
}

static bool
sysfs_read (dev_t dev, const char *file, char *buf, size_t size)
{
  char path[128];
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/%s", major (dev),
            minor (dev), file);
  CLEANUP_FCLOSE FILE *fp = fopen (path, "re");
  if (fp == NULL || fgets (buf, size, fp) == NULL)
    return false;
  buf[strcspn (buf, "\n")] = '\0';
  return true;
}

static bool
sysfs_u64 (dev_t dev, const char *file, uint64_t *v)
{
  char buf[32], *end;
  if (!sysfs_read (dev, file, buf, sizeof buf))
    return false;
  errno = 0;
  *v = strtoull (buf, &end, 10);
  return errno == 0 && end != buf && *end == '\0';
}

static bool
sysfs_has (dev_t dev, const char *file)
{
  char path[128];
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/%s", major (dev),
            minor (dev), file);
  return access (path, F_OK) == 0;
}

static bool
append (struct mapping *m, const struct extent *e)
{
  if (m->n == EXTENT_MAX)
    return refuse (m, "too many extents");
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct extent *p = realloc (m->out, cap * sizeof *p);
    if (p == NULL)
      return refuse (m, "out of memory");
    m->out = p;
    m->cap = cap;
  }
  m->out[m->n++] = *e;
  return true;
}

/* ---- Device-mapper tables ---- */

static bool
parse_table (struct dm_table *t, char *text, struct mapping *m)
{
  for (char *line = strtok (text, "\n"); line; line = strtok (NULL, "\n")) {
    uint64_t start, len, off;
    unsigned maj, min;
    char type[32];
    int end = 0;
    if (sscanf (line, "%" SCNu64 " %" SCNu64 " %31s", &start, &len,
                type) != 3)
      return refuse (m, "an unreadable device-mapper table");
    if (strcmp (type, "linear") != 0)
      return refuse (m, "a device-mapper target other than linear "
                        "(encryption, RAID, snapshots...)");
    if (sscanf (line, "%*u %*u %*s %u:%u %" SCNu64 "%n", &maj, &min, &off,
                &end) != 3 || line[end] != '\0' || t->n == MAX_SEGMENTS ||
        start > UINT64_MAX / 512 || len > UINT64_MAX / 512 ||
        off > UINT64_MAX / 512)
      return refuse (m, "an unreadable device-mapper table");
    t->seg[t->n++] = (struct segment) { .start = start * 512,
                                        .length = len * 512,
                                        .target_offset = off * 512,
                                        .target = makedev (maj, min) };
  }
  return true;
}

static struct dm_table *
dm_table (struct mapping *m, dev_t dev)
{
  for (size_t i = 0; i < m->nr_tables; ++i)
    if (m->tables[i]->dev == dev)
      return m->tables[i];
  if (m->nr_tables == MAX_TABLES) {
    refuse (m, "too many device-mapper devices");
    return NULL;
  }
  char maj[16], min[16];
  snprintf (maj, sizeof maj, "%u", major (dev));
  snprintf (min, sizeof min, "%u", minor (dev));
  const char *argv[] = { "dmsetup", "table", "-j", maj, "-m", min, NULL };
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int status = run_command (&out, &err, argv);
  if (status != 0 || out == NULL) {
    refuse (m, "dmsetup table failed");
    return NULL;
  }
  struct dm_table *t = calloc (1, sizeof *t);
  if (t == NULL) {
    refuse (m, "out of memory");
    return NULL;
  }
  t->dev = dev;
  if (!parse_table (t, out, m)) {
    free (t);
    return NULL;
  }
  m->tables[m->nr_tables++] = t;
  return t;
}

/* ---- Down the stack of devices ---- */

static bool map_range (struct mapping *m, dev_t dev, uint64_t off,
                       uint64_t len, uint64_t logical, int depth);

static bool
map_through_dm (struct mapping *m, dev_t dev, uint64_t off, uint64_t len,
                uint64_t logical, int depth)
{
  const struct dm_table *t = dm_table (m, dev);
  if (t == NULL)
    return false;
  while (len > 0) {
    const struct segment *s = NULL;
    for (size_t i = 0; i < t->n && s == NULL; ++i)
      if (off >= t->seg[i].start && off - t->seg[i].start < t->seg[i].length)
        s = &t->seg[i];
    if (s == NULL)
      return refuse (m, "an extent outside the device-mapper table");
    uint64_t in = off - s->start;
    uint64_t n = s->length - in < len ? s->length - in : len;
    if (s->target_offset > UINT64_MAX - s->length ||
        !map_range (m, s->target, s->target_offset + in, n, logical,
                    depth + 1))
      return false;
    off += n;
    len -= n;
    logical += n;
  }
  return true;
}

static bool
map_through_partition (struct mapping *m, dev_t dev, uint64_t off,
                       uint64_t len, uint64_t logical, int depth)
{
  uint64_t start, size;
  char parent[32];
  unsigned maj, min;
  if (!sysfs_u64 (dev, "start", &start) || !sysfs_u64 (dev, "size", &size) ||
      !sysfs_read (dev, "../dev", parent, sizeof parent) ||
      sscanf (parent, "%u:%u", &maj, &min) != 2)
    return refuse (m, "a partition whose start is unknown");
  if (start > UINT64_MAX / 1024 || size > UINT64_MAX / 1024 ||
      off >= size * 512 || len > size * 512 - off)
    return refuse (m, "an extent outside its partition");
  return map_range (m, makedev (maj, min), start * 512 + off, len, logical,
                    depth + 1);
}

/* A whole disk: one of the added drives if its serial says so. */
static bool
map_on_disk (struct mapping *m, dev_t dev, uint64_t off, uint64_t len,
             uint64_t logical)
{
  char serial[32];
  unsigned index;
  int end = 0;
  uint64_t size;
  if (!sysfs_read (dev, "serial", serial, sizeof serial) ||
      sscanf (serial, "d%u%n", &index, &end) != 1 || serial[end] != '\0')
    return refuse (m, "a disk that is not one of the added drives");
  if (!sysfs_u64 (dev, "size", &size) || size > UINT64_MAX / 1024 ||
      off >= size * 512 || len > size * 512 - off)
    return refuse (m, "an extent outside its disk");
  struct extent e = { .logical = logical, .physical = off, .length = len,
                      .drive = index };
  return append (m, &e);
}

static bool
map_range (struct mapping *m, dev_t dev, uint64_t off, uint64_t len,
           uint64_t logical, int depth)
{
  if (depth > MAX_DEPTH)
    return refuse (m, "devices stacked too deep");
  if (sysfs_has (dev, "dm"))
    return map_through_dm (m, dev, off, len, logical, depth);
  if (sysfs_has (dev, "md") || sysfs_has (dev, "loop"))
    return refuse (m, "a RAID or loop device");
  if (sysfs_has (dev, "partition"))
    return map_through_partition (m, dev, off, len, logical, depth);
  return map_on_disk (m, dev, off, len, logical);
}

/* ---- FIEMAP ---- */

static bool
filesystem_mappable (int fd, struct mapping *m)
{
  struct statfs sf;
  if (fstatfs (fd, &sf) == -1)
    return refuse (m, "statfs failed");
  switch ((unsigned long) sf.f_type) {
  case EXT4_SUPER_MAGIC: /* also ext2 and ext3 */
  case XFS_SUPER_MAGIC:
  case MSDOS_SUPER_MAGIC:
    return true;
  default:
    return refuse (m, "a filesystem whose extents are not drive offsets");
  }
}

/* With data journalling, flushed data may still be only in the journal,
 * not yet where FIEMAP says it lies. */
static bool
data_journalled (int fd, dev_t dev)
{
  int flags = 0;
  if (ioctl (fd, FS_IOC_GETFLAGS, &flags) == 0 && flags & FS_JOURNAL_DATA_FL)
    return true;
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/self/mountinfo", "re");
  if (fp == NULL)
    return true;
  char want[32];
  snprintf (want, sizeof want, " %u:%u ", major (dev), minor (dev));
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0;
  while (getline (&line, &cap, fp) != -1) {
    const char *at = strstr (line, want);
    if (at && strstr (at, " - ") && strstr (strstr (at, " - "),
                                            "data=journal"))
      return true;
  }
  return false;
}

/* One extent of the file: zeros, or bytes down the device stack.  Only
 * what lies before the end of the file's last sector is reported
 * (space allocated beyond it reads as nothing). */
static bool
map_extent (struct mapping *m, const struct fiemap_extent *fe, dev_t dev,
            uint64_t size)
{
  uint64_t end = (size + EXTENT_ALIGN - 1) / EXTENT_ALIGN * EXTENT_ALIGN;
  if (fe->fe_flags & FIEMAP_REFUSED)
    return refuse (m, "a compressed, encoded, inline, unaligned, delayed "
                      "or unknown extent");
  if (fe->fe_logical % EXTENT_ALIGN || fe->fe_physical % EXTENT_ALIGN ||
      fe->fe_length % EXTENT_ALIGN || fe->fe_length == 0)
    return refuse (m, "an extent not aligned to sectors");
  if (fe->fe_logical >= end)
    return true;
  uint64_t len = fe->fe_length < end - fe->fe_logical
                   ? fe->fe_length : end - fe->fe_logical;
  if (fe->fe_flags & FIEMAP_EXTENT_UNWRITTEN) {
    struct extent e = { .logical = fe->fe_logical, .length = len,
                        .flags = EXTENT_ZERO };
    return append (m, &e);
  }
  return map_range (m, dev, fe->fe_physical, len, fe->fe_logical, 0);
}

/* Walk the file's extents (flushing delayed allocation first). */
static int
map_file (int fd, dev_t dev, uint64_t size, struct mapping *m)
{
  size_t bytes = sizeof (struct fiemap) +
                 FIEMAP_BATCH * sizeof (struct fiemap_extent);
  CLEANUP_FREE struct fiemap *fm = calloc (1, bytes);
  if (fm == NULL)
    return refuse (m, "out of memory"), 0;
  uint64_t start = 0;
  for (;;) {
    memset (fm, 0, bytes);
    fm->fm_start = start;
    fm->fm_length = FIEMAP_MAX_OFFSET - start;
    fm->fm_flags = FIEMAP_FLAG_SYNC;
    fm->fm_extent_count = FIEMAP_BATCH;
    if (ioctl (fd, FS_IOC_FIEMAP, fm) == -1)
      return -1;
    if (fm->fm_mapped_extents == 0)
      return 0;
    for (unsigned i = 0; i < fm->fm_mapped_extents; ++i)
      if (!map_extent (m, &fm->fm_extents[i], dev, size))
        return 0;
    const struct fiemap_extent *last =
      &fm->fm_extents[fm->fm_mapped_extents - 1];
    if (last->fe_flags & FIEMAP_EXTENT_LAST ||
        last->fe_logical + last->fe_length <= start)
      return 0;
    start = last->fe_logical + last->fe_length;
  }
}

static void
put_word (unsigned char *p, uint64_t v)
{
  for (int i = 7; i >= 0; --i, v >>= 8)
    p[i] = v & 0xff;
}

static char *
encode (const struct mapping *m, uint64_t size, size_t *size_r)
{
  size_t len = (EXTENT_HEADER_WORDS + m->n * EXTENT_WORDS) * 8;
  unsigned char *buf = malloc (len), *p = buf;
  if (buf == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  put_word (p, size);
  put_word (p + 8, m->n);
  p += EXTENT_HEADER_WORDS * 8;
  for (size_t i = 0; i < m->n; ++i, p += EXTENT_WORDS * 8) {
    const struct extent *e = &m->out[i];
    put_word (p, e->logical);
    put_word (p + 8, e->drive);
    put_word (p + 16, e->physical);
    put_word (p + 24, e->length);
    put_word (p + 32, e->flags);
  }
  *size_r = len;
  return (char *) buf;
}

static void
mapping_free (struct mapping *m)
{
  for (size_t i = 0; i < m->nr_tables; ++i)
    free (m->tables[i]);
  free (m->out);
}

char *
do_fuse_extents (int64_t handle, size_t *size_r)
{
  int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  struct mapping m = { 0 };
  struct stat st;
  char *ret = NULL;
  if (fstat (fd, &st) == -1)
    reply_with_perror ("handle %" PRIi64, handle);
  else if (!S_ISREG (st.st_mode) || major (st.st_dev) == 0)
    reply_with_error_errno (EOPNOTSUPP, "not a file on a block device");
  else if (!filesystem_mappable (fd, &m))
    reply_with_error_errno (EOPNOTSUPP, "%s", m.why);
  else if (data_journalled (fd, st.st_dev))
    reply_with_error_errno (EOPNOTSUPP, "the file's data is journalled");
  else if (map_file (fd, st.st_dev, st.st_size, &m) == -1)
    reply_with_perror_errno (errno == ENOTTY ? EOPNOTSUPP : errno,
                             "FIEMAP");
  else if (m.why)
    reply_with_error_errno (EOPNOTSUPP, "%s", m.why);
  else
    ret = encode (&m, st.st_size, size_r);
  mapping_free (&m);
  return ret;
}
