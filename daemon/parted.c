/* Partition tables: MBR and GPT.
 *
 * Tables are read with libblkid, which parses them from the disk in
 * this process (no text output to parse), and written with sfdisk,
 * which handles both formats, any disk size, and exact sector positions
 * without "helpful" alignment.  sfdisk runs with --no-reread so that a
 * disk with one partition mounted can still get another one; it then
 * tells the kernel about each changed partition, and reread_partitions
 * makes sure the device nodes are there before we return.
 */
#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

/* GPT attribute bits (UEFI spec). */
#define GPT_ATTR_LEGACY_BOOT 2
#define MBR_ACTIVE_FLAG 0x80

/* ---- Reading the table ---- */

struct ptable {
  blkid_probe pr;
  blkid_partlist list;
  bool gpt;
};

static void
close_ptable (struct ptable *t)
{
  if (t->pr)
    blkid_free_probe (t->pr);
  t->pr = NULL;
}

/* Read the partition table of device.  Replies (EINVAL if there is
 * none) and returns -1 on error. */
static int
open_ptable (const char *device, struct ptable *t)
{
  *t = (struct ptable){0};
  flush_block_cache (device);
  t->pr = blkid_new_probe_from_filename (device);
  if (t->pr == NULL) {
    reply_with_perror ("%s", device);
    return -1;
  }
  blkid_probe_enable_superblocks (t->pr, 0);
  blkid_probe_enable_partitions (t->pr, 1);
  t->list = blkid_probe_get_partitions (t->pr);
  blkid_parttable tab = t->list ? blkid_partlist_get_table (t->list) : NULL;
  if (tab == NULL) {
    reply_with_error_errno (EINVAL, "%s: no partition table found", device);
    close_ptable (t);
    return -1;
  }
  const char *type = blkid_parttable_get_type (tab);
  t->gpt = type && strcmp (type, "gpt") == 0;
  return 0;
}

static blkid_partition
find_partition (const struct ptable *t, const char *device, int partnum)
{
  int n = blkid_partlist_numof_partitions (t->list);
  for (int i = 0; i < n; ++i) {
    blkid_partition p = blkid_partlist_get_partition (t->list, i);
    if (p && blkid_partition_get_partno (p) == partnum)
      return p;
  }
  reply_with_error_errno (ENOENT, "%s: there is no partition %d", device,
                          partnum);
  return NULL;
}

/* Open the table and find partition partnum in it. */
static blkid_partition
open_partition (const char *device, int partnum, struct ptable *t)
{
  if (partnum < 1) {
    reply_with_error_errno (EINVAL,
                            "partnum: %d: partitions are numbered "
                            "from 1",
                            partnum);
    return NULL;
  }
  if (open_ptable (device, t) == -1)
    return NULL;
  blkid_partition p = find_partition (t, device, partnum);
  if (p == NULL)
    close_ptable (t);
  return p;
}

/* ---- Running sfdisk ---- */

/* Run sfdisk with args after the common options, script (if not NULL)
 * on its stdin, then bring the kernel's view up to date. */
static int
sfdisk (const char *device, const char *const *args, const char *script)
{
  const char *argv[16] = {"sfdisk", "--no-reread", "--quiet"};
  size_t n = 3;
  for (size_t i = 0; args[i] && n < 15; ++i)
    argv[n++] = args[i];
  argv[n] = NULL;
  char *err = NULL;
  int r = script ? run_with_input (argv, script, strlen (script), NULL, &err)
                 : run_capture (argv, NULL, &err);
  if (r != 0) {
    reply_with_program_error (r == -1 ? 0 : EIO, "sfdisk", r, err, "%s",
                              device);
    free (err);
    return -1;
  }
  free (err);
  return reread_partitions (device);
}

static int
sfdisk_partnum (const char *device, const char *option, int partnum,
                const char *value)
{
  char num[16];
  snprintf (num, sizeof num, "%d", partnum);
  /* "--": a value starting with "-" is not an option. */
  const char *args[] = {option, "--", device, num, value, NULL};
  return sfdisk (device, args, NULL);
}

/* ---- Creating tables ---- */

/* The sfdisk label for a parttype argument, or NULL after replying. */
static const char *
label_type (const char *parttype)
{
  if (strcmp (parttype, "mbr") == 0 || strcmp (parttype, "msdos") == 0 ||
      strcmp (parttype, "dos") == 0)
    return "dos";
  if (strcmp (parttype, "gpt") == 0 || strcmp (parttype, "efi") == 0)
    return "gpt";
  reply_with_error_errno (EINVAL,
                          "parttype: \"%s\": unknown partition table "
                          "type (use \"mbr\" or \"gpt\")",
                          parttype);
  return NULL;
}

static int
write_new_table (const char *device, const char *parttype,
                 const char *partition)
{
  const char *label = label_type (parttype);
  if (label == NULL)
    return -1;
  char *script;
  if (asprintf (&script, "label: %s\n%s", label, partition) == -1) {
    reply_with_perror ("asprintf");
    return -1;
  }
  /* Wipe old signatures too: a filesystem left on the whole disk would
   * make the disk's content ambiguous. */
  const char *args[] = {"--wipe", "always", "--", device, NULL};
  int r = sfdisk (device, args, script);
  free (script);
  return r;
}

int
do_part_init (const char *device, const char *parttype)
{
  return write_new_table (device, parttype, "");
}

int
do_part_disk (const char *device, const char *parttype)
{
  /* No size: the rest of the disk, up to what the table can address. */
  return write_new_table (device, parttype, "start=2048, type=L\n");
}

/* ---- Adding partitions ---- */

enum part_kind { PRIMARY, EXTENDED, LOGICAL };

static int
parse_prlogex (const char *prlogex, enum part_kind *kind)
{
  if (strcmp (prlogex, "p") == 0 || strcmp (prlogex, "primary") == 0)
    *kind = PRIMARY;
  else if (strcmp (prlogex, "e") == 0 || strcmp (prlogex, "extended") == 0)
    *kind = EXTENDED;
  else if (strcmp (prlogex, "l") == 0 || strcmp (prlogex, "logical") == 0)
    *kind = LOGICAL;
  else {
    reply_with_error_errno (EINVAL,
                            "prlogex: \"%s\": expected \"p\", \"e\" "
                            "or \"l\"",
                            prlogex);
    return -1;
  }
  return 0;
}

/* The extended partition of an MBR table, or NULL. */
static blkid_partition
extended_partition (const struct ptable *t)
{
  int n = blkid_partlist_numof_partitions (t->list);
  for (int i = 0; i < n; ++i) {
    blkid_partition p = blkid_partlist_get_partition (t->list, i);
    if (p && blkid_partition_is_extended (p))
      return p;
  }
  return NULL;
}

/* Is [start, end] (512-byte units) inside partition p? */
static bool
inside (blkid_partition p, int64_t start, int64_t end)
{
  int64_t ps = blkid_partition_get_start (p);
  int64_t pe = ps + blkid_partition_get_size (p) - 1;
  return start >= ps && end <= pe;
}

/* sfdisk decides primary or logical from where the partition lies:
 * check that this agrees with what the caller asked for. */
static int
check_kind (const char *device, const struct ptable *t, enum part_kind kind,
            int64_t start512, int64_t end512)
{
  if (t->gpt && kind != PRIMARY) {
    reply_with_error_errno (EINVAL, "%s: GPT has only primary partitions",
                            device);
    return -1;
  }
  blkid_partition ext = t->gpt ? NULL : extended_partition (t);
  if (kind == EXTENDED && ext) {
    reply_with_error_errno (EINVAL,
                            "%s: there is an extended partition "
                            "already",
                            device);
    return -1;
  }
  bool in_ext = ext && inside (ext, start512, end512);
  if (kind == LOGICAL && !in_ext) {
    reply_with_error_errno (EINVAL,
                            "%s: a logical partition must lie inside "
                            "the extended partition",
                            device);
    return -1;
  }
  if (kind != LOGICAL && in_ext) {
    reply_with_error_errno (EINVAL,
                            "%s: sectors %" PRIi64 "-%" PRIi64
                            " are inside the extended partition: use \"l\"",
                            device, start512, end512);
    return -1;
  }
  return 0;
}

/* The last sector a partition may use, in units of the sector size. */
static int64_t
last_usable_sector (const char *device, bool gpt, int ss)
{
  int64_t size = do_blockdev_getsize64 (device);
  if (size == -1)
    return -1;
  int64_t last = size / ss - 1;
  if (gpt) /* the backup table: 16 KiB of entries and a header */
    last -= (16384 + ss - 1) / ss + 1;
  return last;
}

int
do_part_add (const char *device, const char *prlogex, int64_t startsect,
             int64_t endsect)
{
  enum part_kind kind;
  if (parse_prlogex (prlogex, &kind) == -1)
    return -1;
  int ss = do_blockdev_getss (device);
  if (ss == -1)
    return -1;
  struct ptable t;
  if (open_ptable (device, &t) == -1)
    return -1;
  if (endsect < 0) {
    int64_t last = last_usable_sector (device, t.gpt, ss);
    if (last == -1) {
      close_ptable (&t);
      return -1;
    }
    endsect = last + 1 + endsect;
  }
  if (startsect < 0 || endsect < startsect) {
    reply_with_error_errno (
        EINVAL, "%s: sectors %" PRIi64 " to %" PRIi64 ": not a valid range",
        device, startsect, endsect);
    close_ptable (&t);
    return -1;
  }
  int64_t f = ss / 512;
  int r = check_kind (device, &t, kind, startsect * f, (endsect + 1) * f - 1);
  close_ptable (&t);
  if (r == -1)
    return -1;
  char *script;
  if (asprintf (&script, "start=%" PRIi64 ", size=%" PRIi64 ", type=%s\n",
                startsect, endsect - startsect + 1,
                kind == EXTENDED ? "Ex" : "L") == -1) {
    reply_with_perror ("asprintf");
    return -1;
  }
  const char *args[] = {"--append", "--", device, NULL};
  r = sfdisk (device, args, script);
  free (script);
  return r;
}

int
do_part_del (const char *device, int partnum)
{
  struct ptable t;
  if (open_partition (device, partnum, &t) == NULL)
    return -1;
  close_ptable (&t);
  return sfdisk_partnum (device, "--delete", partnum, NULL);
}

/* ---- Listing ---- */

guestfs_int_partition_list *
do_part_list (const char *device)
{
  struct ptable t;
  if (open_ptable (device, &t) == -1)
    return NULL;
  int n = blkid_partlist_numof_partitions (t.list);
  guestfs_int_partition_list *r = calloc (1, sizeof *r);
  if (r == NULL ||
      (n > 0 && (r->guestfs_int_partition_list_val =
                     calloc (n, sizeof (guestfs_int_partition))) == NULL)) {
    reply_with_perror ("calloc");
    free (r);
    close_ptable (&t);
    return NULL;
  }
  for (int i = 0; i < n; ++i) {
    blkid_partition p = blkid_partlist_get_partition (t.list, i);
    guestfs_int_partition *e = &r->guestfs_int_partition_list_val[i];
    /* libblkid counts in 512-byte units whatever the sector size. */
    uint64_t start = (uint64_t)blkid_partition_get_start (p) * 512;
    uint64_t size = (uint64_t)blkid_partition_get_size (p) * 512;
    e->part_num = blkid_partition_get_partno (p);
    e->part_start = start;
    e->part_size = size;
    e->part_end = start + size - 1;
  }
  r->guestfs_int_partition_list_len = n;
  close_ptable (&t);
  return r;
}

char *
do_part_get_parttype (const char *device)
{
  struct ptable t;
  if (open_ptable (device, &t) == -1)
    return NULL;
  const char *type =
      blkid_parttable_get_type (blkid_partlist_get_table (t.list));
  /* The API names MBR tables "msdos" (libblkid says "dos"). */
  char *r = strdup (type == NULL                ? "unknown"
                    : strcmp (type, "dos") == 0 ? "msdos"
                                                : type);
  if (r == NULL)
    reply_with_perror ("strdup");
  close_ptable (&t);
  return r;
}

/* ---- Partition names ---- */

/* The sysfs directory of a partition device, or NULL after replying
 * (EINVAL if it is not a partition). */
static char *
partition_sysfs_dir (const char *partition)
{
  char *kname = block_kernel_name (partition);
  if (kname == NULL) {
    reply_with_perror ("%s", partition);
    return NULL;
  }
  char *dir, *partfile;
  if (asprintf (&dir, "/sys/class/block/%s", kname) == -1) {
    reply_with_perror ("asprintf");
    free (kname);
    return NULL;
  }
  free (kname);
  if (asprintf (&partfile, "%s/partition", dir) == -1) {
    reply_with_perror ("asprintf");
    free (dir);
    return NULL;
  }
  bool is_part = access (partfile, F_OK) == 0;
  free (partfile);
  if (!is_part) {
    reply_with_error_errno (EINVAL, "%s: not a partition", partition);
    free (dir);
    return NULL;
  }
  return dir;
}

char *
do_part_to_dev (const char *partition)
{
  char *dir = partition_sysfs_dir (partition);
  if (dir == NULL)
    return NULL;
  /* /sys/class/block/sda1 links to .../block/sda/sda1. */
  char *real = realpath (dir, NULL);
  free (dir);
  if (real == NULL) {
    reply_with_perror ("%s", partition);
    return NULL;
  }
  char *slash = strrchr (real, '/');
  if (slash)
    *slash = '\0';
  slash = strrchr (real, '/');
  char *r;
  if (asprintf (&r, "/dev/%s", slash ? slash + 1 : real) == -1) {
    reply_with_perror ("asprintf");
    r = NULL;
  }
  free (real);
  return r;
}

int
do_part_to_partnum (const char *partition)
{
  char *dir = partition_sysfs_dir (partition);
  if (dir == NULL)
    return -1;
  char *path;
  int n = -1;
  if (asprintf (&path, "%s/partition", dir) != -1) {
    FILE *f = fopen (path, "r");
    if (f) {
      if (fscanf (f, "%d", &n) != 1)
        n = -1;
      fclose (f);
    }
    free (path);
  }
  free (dir);
  if (n < 1)
    reply_with_error_errno (EIO, "%s: cannot read the partition number",
                            partition);
  return n < 1 ? -1 : n;
}

/* ---- MBR type byte, bootable flag, GPT names ---- */

int
do_part_get_mbr_id (const char *device, int partnum)
{
  struct ptable t;
  blkid_partition p = open_partition (device, partnum, &t);
  if (p == NULL)
    return -1;
  int r = -1;
  if (t.gpt)
    reply_with_error_errno (EINVAL, "%s: not an MBR partition table", device);
  else
    r = blkid_partition_get_type (p);
  close_ptable (&t);
  return r;
}

int
do_part_set_mbr_id (const char *device, int partnum, int idbyte)
{
  if (idbyte < 1 || idbyte > 255) {
    reply_with_error_errno (EINVAL, "idbyte: %d: not between 1 and 255",
                            idbyte);
    return -1;
  }
  struct ptable t;
  if (open_partition (device, partnum, &t) == NULL)
    return -1;
  bool gpt = t.gpt;
  close_ptable (&t);
  if (gpt) {
    reply_with_error_errno (EINVAL, "%s: not an MBR partition table", device);
    return -1;
  }
  char hex[8];
  snprintf (hex, sizeof hex, "%x", idbyte);
  return sfdisk_partnum (device, "--part-type", partnum, hex);
}

static bool
is_bootable (const struct ptable *t, blkid_partition p)
{
  unsigned long long flags = blkid_partition_get_flags (p);
  if (t->gpt)
    return (flags >> GPT_ATTR_LEGACY_BOOT) & 1;
  return (flags & MBR_ACTIVE_FLAG) != 0;
}

int
do_part_get_bootable (const char *device, int partnum)
{
  struct ptable t;
  blkid_partition p = open_partition (device, partnum, &t);
  if (p == NULL)
    return -1;
  int r = is_bootable (&t, p);
  close_ptable (&t);
  return r;
}

/* The GPT attributes as sfdisk spells them.  Bits 3-47 are reserved
 * by the specification and sfdisk cannot set them. */
static char *
gpt_attrs_string (unsigned long long flags)
{
  static const char *const names[] = {"RequiredPartition", "NoBlockIOProtocol",
                                      "LegacyBIOSBootable"};
  char buf[512] = "";
  size_t len = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (!((flags >> bit) & 1) || (bit > 2 && bit < 48))
      continue;
    len += snprintf (buf + len, sizeof buf - len, "%s", len ? "," : "");
    if (bit <= 2)
      len += snprintf (buf + len, sizeof buf - len, "%s", names[bit]);
    else
      len += snprintf (buf + len, sizeof buf - len, "GUID:%d", bit);
  }
  return strdup (buf);
}

/* On MBR, sfdisk --activate sets exactly the partitions listed active
 * and clears the others ("-" alone: none).  Making partnum active
 * makes it the only one, as the boot code expects; clearing it leaves
 * any other active partition as it is. */
static int
mbr_set_active (const char *device, const struct ptable *t, int partnum,
                bool bootable)
{
  const char *args[16] = {"--activate", "--", device};
  char nums[8][16];
  size_t n = 3, k = 0;
  int count = blkid_partlist_numof_partitions (t->list);
  for (int i = 0; i < count && k < 8; ++i) {
    blkid_partition p = blkid_partlist_get_partition (t->list, i);
    int num = blkid_partition_get_partno (p);
    if (bootable ? num == partnum : num != partnum && is_bootable (t, p)) {
      snprintf (nums[k], sizeof nums[k], "%d", num);
      args[n++] = nums[k++];
    }
  }
  if (k == 0)
    args[n++] = "-";
  args[n] = NULL;
  return sfdisk (device, args, NULL);
}

int
do_part_set_bootable (const char *device, int partnum, int bootable)
{
  struct ptable t;
  blkid_partition p = open_partition (device, partnum, &t);
  if (p == NULL)
    return -1;
  int r;
  if (t.gpt) {
    unsigned long long flags = blkid_partition_get_flags (p);
    flags &= ~(1ULL << GPT_ATTR_LEGACY_BOOT);
    flags |= (unsigned long long)(bootable != 0) << GPT_ATTR_LEGACY_BOOT;
    char *attrs = gpt_attrs_string (flags);
    if (attrs == NULL) {
      reply_with_perror ("strdup");
      r = -1;
    } else
      r = sfdisk_partnum (device, "--part-attrs", partnum, attrs);
    free (attrs);
  } else
    r = mbr_set_active (device, &t, partnum, bootable);
  close_ptable (&t);
  return r;
}

static int
require_gpt (const char *device, int partnum, struct ptable *t,
             blkid_partition *p)
{
  *p = open_partition (device, partnum, t);
  if (*p == NULL)
    return -1;
  if (!t->gpt) {
    reply_with_error_errno (EINVAL, "%s: partition names exist on GPT only",
                            device);
    close_ptable (t);
    return -1;
  }
  return 0;
}

int
do_part_set_name (const char *device, int partnum, const char *name)
{
  struct ptable t;
  blkid_partition p;
  if (require_gpt (device, partnum, &t, &p) == -1)
    return -1;
  close_ptable (&t);
  return sfdisk_partnum (device, "--part-label", partnum, name);
}

char *
do_part_get_name (const char *device, int partnum)
{
  struct ptable t;
  blkid_partition p;
  if (require_gpt (device, partnum, &t, &p) == -1)
    return NULL;
  const char *name = blkid_partition_get_name (p);
  char *r = strdup (name ? name : "");
  if (r == NULL)
    reply_with_perror ("strdup");
  close_ptable (&t);
  return r;
}

/* ---- Partition kinds and resizing ---- */

char *
do_part_get_mbr_part_type (const char *device, int partnum)
{
  struct ptable t;
  blkid_partition p = open_partition (device, partnum, &t);
  if (p == NULL)
    return NULL;
  const char *kind = t.gpt                              ? "primary"
                     : blkid_partition_is_extended (p) ? "extended"
                     : blkid_partition_is_logical (p)  ? "logical"
                                                        : "primary";
  close_ptable (&t);
  char *r = strdup (kind);
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

int
do_part_resize (const char *device, int partnum, int64_t endsect)
{
  int ss = do_blockdev_getss (device);
  if (ss == -1)
    return -1;
  struct ptable t;
  blkid_partition p = open_partition (device, partnum, &t);
  if (p == NULL)
    return -1;
  /* libblkid counts 512-byte sectors; the table, logical ones. */
  int64_t start = blkid_partition_get_start (p) / (ss / 512);
  close_ptable (&t);
  if (endsect < start) {
    reply_with_error_errno (EINVAL,
                            "%s: endsect: %" PRIi64 " is before the start "
                            "of partition %d (sector %" PRIi64 ")",
                            device, endsect, partnum, start);
    return -1;
  }
  char script[96];
  snprintf (script, sizeof script, "start=%" PRIi64 ", size=%" PRIi64 "\n",
            start, endsect - start + 1);
  char num[16];
  snprintf (num, sizeof num, "%d", partnum);
  const char *args[] = {"-N", num, "--", device, NULL};
  return sfdisk (device, args, script);
}

/* ---- libguestfs's deprecated sfdisk calls ----
 *
 * Old sfdisk took a geometry (cylinders, heads, sectors) and sizes in
 * cylinders or MiB; util-linux's sfdisk has neither, counts in sectors
 * and takes sizes with a suffix. */

/* lines joined as an sfdisk script.  mib: a number without a suffix in
 * the first two fields is MiB (sfdiskM); a start of 0 means "the
 * first usable sector", as it did. */
static char *
sfdisk_script (char *const *lines, bool mib)
{
  size_t len = 1;
  for (size_t i = 0; lines[i]; ++i)
    len += 2 * strlen (lines[i]) + 16;
  char *s = malloc (len), *q = s;
  if (s == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  for (size_t i = 0; lines[i]; ++i) {
    if (strchr (lines[i], '\n')) {
      reply_with_error_errno (EINVAL, "lines: a line contains a newline");
      free (s);
      return NULL;
    }
    const char *p = lines[i];
    for (int field = 0; mib && field < 2; ++field) {
      size_t n = strcspn (p, ",");
      bool number = n > 0 && strspn (p, "0123456789") == n;
      if (number && !(field == 0 && strtoll (p, NULL, 10) == 0))
        q += sprintf (q, "%.*sMiB", (int)n, p);
      p += n;
      if (*p != ',')
        break;
      *q++ = *p++;
    }
    q += sprintf (q, "%s\n", p);
  }
  *q = '\0';
  return s;
}

static int
sfdisk_lines (const char *device, const char *partnum, char *const *lines,
              bool mib)
{
  if (lines[0] == NULL) {
    reply_with_error_errno (EINVAL, "lines: the list is empty");
    return -1;
  }
  char *script = sfdisk_script (lines, mib);
  if (script == NULL)
    return -1;
  const char *args[] = {partnum ? "-N" : "--", partnum ? partnum : device,
                        partnum ? "--" : NULL, device, NULL};
  int r = sfdisk (device, args, script);
  free (script);
  return r;
}

int
do_sfdisk (const char *device, int cyls, int heads, int sectors,
           char *const *lines)
{
  (void)cyls, (void)heads, (void)sectors;
  return sfdisk_lines (device, NULL, lines, false);
}

int
do_sfdiskM (const char *device, char *const *lines)
{
  return sfdisk_lines (device, NULL, lines, true);
}

int
do_sfdisk_N (const char *device, int partnum, int cyls, int heads,
             int sectors, const char *line)
{
  (void)cyls, (void)heads, (void)sectors;
  if (partnum < 1) {
    reply_with_error_errno (EINVAL, "partnum: %d: partitions are numbered "
                            "from 1", partnum);
    return -1;
  }
  char num[16];
  snprintf (num, sizeof num, "%d", partnum);
  char *const lines[] = {(char *)line, NULL};
  return sfdisk_lines (device, num, lines, false);
}

static char *
sfdisk_show (const char *device, const char *option)
{
  const char *argv[] = {"sfdisk", option, "--", device, NULL};
  char *out = NULL;
  if (run_or_reply (device, argv, &out) == -1)
    return NULL;
  return out;
}

char *
do_sfdisk_l (const char *device)
{
  return sfdisk_show (device, "--list");
}

char *
do_sfdisk_kernel_geometry (const char *device)
{
  return sfdisk_show (device, "--show-geometry");
}

char *
do_sfdisk_disk_geometry (const char *device)
{
  return sfdisk_show (device, "--show-pt-geometry");
}

/* ---- GPT GUIDs and attributes (sgdisk) ---- */

static bool
is_guid (const char *s)
{
  if (strlen (s) != 36)
    return false;
  for (int i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !strchr ("0123456789abcdefABCDEF", s[i]))
      return false;
  }
  return true;
}

static int
check_guid (const char *guid)
{
  if (!is_guid (guid)) {
    reply_with_error_errno (EINVAL, "guid: \"%s\": not a GUID", guid);
    return -1;
  }
  return 0;
}

static char *
upper_dup (const char *s)
{
  char *r = strdup (s ? s : "");
  if (r == NULL)
    reply_with_perror ("strdup");
  for (char *p = r; p && *p; ++p)
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  return r;
}

/* Run sgdisk OPTION device, then update the kernel's view. */
static int
sgdisk (const char *device, const char *option)
{
  const char *argv[] = {"sgdisk", option, "--", device, NULL};
  char *out = NULL;
  if (run_or_reply (device, argv, &out) == -1)
    return -1;
  free (out);
  return reread_partitions (device);
}

static int
sgdisk_partnum (const char *device, const char *option, int partnum,
                const char *value)
{
  char *arg;
  if (asprintf (&arg, "%s=%d:%s", option, partnum, value) == -1) {
    reply_with_perror ("asprintf");
    return -1;
  }
  int r = sgdisk (device, arg);
  free (arg);
  return r;
}

static int
require_gpt_table (const char *device, struct ptable *t)
{
  if (open_ptable (device, t) == -1)
    return -1;
  if (!t->gpt) {
    reply_with_error_errno (EINVAL, "%s: not a GPT partition table", device);
    close_ptable (t);
    return -1;
  }
  return 0;
}

/* A GPT partition, or NULL after replying. */
static blkid_partition
gpt_partition (const char *device, int partnum, struct ptable *t)
{
  blkid_partition p = open_partition (device, partnum, t);
  if (p && !t->gpt) {
    reply_with_error_errno (EINVAL, "%s: not a GPT partition table", device);
    close_ptable (t);
    return NULL;
  }
  return p;
}

int
do_part_expand_gpt (const char *device)
{
  struct ptable t;
  if (require_gpt_table (device, &t) == -1)
    return -1;
  close_ptable (&t);
  return sgdisk (device, "--move-second-header");
}

char *
do_part_get_disk_guid (const char *device)
{
  struct ptable t;
  if (require_gpt_table (device, &t) == -1)
    return NULL;
  char *r = upper_dup (
      blkid_parttable_get_id (blkid_partlist_get_table (t.list)));
  close_ptable (&t);
  return r;
}

static int
set_disk_guid (const char *device, const char *guid)
{
  struct ptable t;
  if (require_gpt_table (device, &t) == -1)
    return -1;
  close_ptable (&t);
  char arg[64];
  snprintf (arg, sizeof arg, "--disk-guid=%s", guid);
  return sgdisk (device, arg);
}

int
do_part_set_disk_guid (const char *device, const char *guid)
{
  if (check_guid (guid) == -1)
    return -1;
  return set_disk_guid (device, guid);
}

int
do_part_set_disk_guid_random (const char *device)
{
  return set_disk_guid (device, "R"); /* sgdisk: a random GUID */
}

/* A string property of a GPT partition, in capitals. */
static char *
gpt_partition_string (const char *device, int partnum,
                      const char *(*get) (blkid_partition))
{
  struct ptable t;
  blkid_partition p = gpt_partition (device, partnum, &t);
  if (p == NULL)
    return NULL;
  char *r = upper_dup (get (p));
  close_ptable (&t);
  return r;
}

char *
do_part_get_gpt_guid (const char *device, int partnum)
{
  return gpt_partition_string (device, partnum, blkid_partition_get_uuid);
}

char *
do_part_get_gpt_type (const char *device, int partnum)
{
  return gpt_partition_string (device, partnum,
                               blkid_partition_get_type_string);
}

static int
set_gpt_partition (const char *device, int partnum, const char *option,
                   const char *value)
{
  struct ptable t;
  if (gpt_partition (device, partnum, &t) == NULL)
    return -1;
  close_ptable (&t);
  return sgdisk_partnum (device, option, partnum, value);
}

int
do_part_set_gpt_guid (const char *device, int partnum, const char *guid)
{
  if (check_guid (guid) == -1)
    return -1;
  return set_gpt_partition (device, partnum, "--partition-guid", guid);
}

int
do_part_set_gpt_type (const char *device, int partnum, const char *guid)
{
  if (check_guid (guid) == -1)
    return -1;
  return set_gpt_partition (device, partnum, "--typecode", guid);
}

int64_t
do_part_get_gpt_attributes (const char *device, int partnum)
{
  struct ptable t;
  blkid_partition p = gpt_partition (device, partnum, &t);
  if (p == NULL)
    return -1;
  int64_t r = (int64_t)blkid_partition_get_flags (p);
  close_ptable (&t);
  return r;
}

int
do_part_set_gpt_attributes (const char *device, int partnum,
                            int64_t attributes)
{
  char value[32];
  snprintf (value, sizeof value, "=:%016" PRIx64, (uint64_t)attributes);
  return set_gpt_partition (device, partnum, "--attributes", value);
}
