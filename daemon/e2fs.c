/* ext2/3/4: file attributes and generation numbers (the
 * FS_IOC_[GS]ETFLAGS and FS_IOC_[GS]ETVERSION ioctls), and the e2fsprogs
 * calls: mke2fs with every option, external journals, tune2fs,
 * mklost+found.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* ---- File attributes ---- */

/* The attributes in lsattr's order, with chattr's letters. */
static const struct {
  char letter;
  unsigned long flag;
} attr_letters[] = {
    {'s', 0x00000001}, /* FS_SECRM_FL */
    {'u', 0x00000002}, /* FS_UNRM_FL */
    {'S', 0x00000008}, /* FS_SYNC_FL */
    {'D', 0x00010000}, /* FS_DIRSYNC_FL */
    {'i', 0x00000010}, /* FS_IMMUTABLE_FL */
    {'a', 0x00000020}, /* FS_APPEND_FL */
    {'d', 0x00000040}, /* FS_NODUMP_FL */
    {'A', 0x00000080}, /* FS_NOATIME_FL */
    {'c', 0x00000004}, /* FS_COMPR_FL */
    {'E', 0x00000800}, /* FS_ENCRYPT_FL */
    {'j', 0x00004000}, /* FS_JOURNAL_DATA_FL */
    {'I', 0x00001000}, /* FS_INDEX_FL */
    {'t', 0x00008000}, /* FS_NOTAIL_FL */
    {'T', 0x00020000}, /* FS_TOPDIR_FL */
    {'e', 0x00080000}, /* FS_EXTENT_FL */
    {'C', 0x00800000}, /* FS_NOCOW_FL */
    {'x', 0x02000000}, /* FS_DAX_FL */
    {'F', 0x40000000}, /* FS_CASEFOLD_FL */
    {'N', 0x10000000}, /* FS_INLINE_DATA_FL */
    {'P', 0x20000000}, /* FS_PROJINHERIT_FL */
    {'V', 0x00100000}, /* FS_VERITY_FL */
    {'m', 0x00000400}, /* FS_NOCOMP_FL */
};
#define N_ATTRS (sizeof attr_letters / sizeof attr_letters[0])

/* Open file for an ioctl: not a symbolic link's target outside the
 * guest (sysroot_open resolves inside it), never blocking on a FIFO. */
static int
open_for_ioctl (const char *file)
{
  int fd = sysroot_open (file, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
  if (fd == -1)
    reply_with_perror ("%s", file);
  return fd;
}

static int
get_flags (const char *file, int fd, unsigned long req, const char *what,
           long *value)
{
  /* The kernel reads and writes an int, whatever the ioctl's name says. */
  int v = 0;
  if (ioctl (fd, req, &v) == -1) {
    reply_with_perror ("%s: %s", file, what);
    return -1;
  }
  *value = (unsigned int)v;
  return 0;
}

char *
do_get_e2attrs (const char *file)
{
  CLEANUP_CLOSE int fd = open_for_ioctl (file);
  long flags;
  if (fd == -1 || get_flags (file, fd, FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS",
                             &flags) == -1)
    return NULL;
  char buf[N_ATTRS + 1];
  size_t n = 0;
  for (size_t i = 0; i < N_ATTRS; ++i)
    if (flags & attr_letters[i].flag)
      buf[n++] = attr_letters[i].letter;
  buf[n] = '\0';
  char *r = strdup (buf);
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

int
do_set_e2attrs (const char *file, const char *attrs, int clear)
{
  unsigned long mask = 0;
  for (const char *p = attrs; *p; ++p) {
    size_t i = 0;
    while (i < N_ATTRS && attr_letters[i].letter != *p)
      ++i;
    if (i == N_ATTRS) {
      reply_with_error_errno (EINVAL, "attrs: \"%s\": unknown attribute '%c'",
                              attrs, *p);
      return -1;
    }
    mask |= attr_letters[i].flag;
  }
  CLEANUP_CLOSE int fd = open_for_ioctl (file);
  long flags;
  if (fd == -1 || get_flags (file, fd, FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS",
                             &flags) == -1)
    return -1;
  int v = (int)(OPTARG_SET (0) && clear ? flags & ~mask : flags | mask);
  if (ioctl (fd, FS_IOC_SETFLAGS, &v) == -1) {
    reply_with_perror ("%s: FS_IOC_SETFLAGS", file);
    return -1;
  }
  return 0;
}

int64_t
do_get_e2generation (const char *file)
{
  CLEANUP_CLOSE int fd = open_for_ioctl (file);
  long gen;
  if (fd == -1 || get_flags (file, fd, FS_IOC_GETVERSION,
                             "FS_IOC_GETVERSION", &gen) == -1)
    return -1;
  return gen;
}

int
do_set_e2generation (const char *file, int64_t generation)
{
  if (generation < 0 || generation > UINT32_MAX) {
    reply_with_error_errno (EINVAL,
                            "generation: %" PRIi64 ": not 0 to 4294967295",
                            generation);
    return -1;
  }
  CLEANUP_CLOSE int fd = open_for_ioctl (file);
  if (fd == -1)
    return -1;
  int v = (int)(uint32_t)generation;
  if (ioctl (fd, FS_IOC_SETVERSION, &v) == -1) {
    reply_with_perror ("%s: FS_IOC_SETVERSION", file);
    return -1;
  }
  return 0;
}

/* ---- Command lines ---- */

struct e2cmd {
  struct argbuf a;
  char ext[512];      /* mke2fs -E, comma-separated */
  char features[512]; /* mke2fs -O, comma-separated */
};

static void
arg (struct e2cmd *c, const char *a)
{
  argbuf_add (&c->a, a);
}

#define argf(c, option, ...) argbuf_addf (&(c)->a, option, __VA_ARGS__)

static void
e2cmd_free (struct e2cmd *c)
{
  argbuf_free (&c->a);
}

static void
append_list (char *list, size_t size, const char *item)
{
  size_t len = strlen (list);
  snprintf (list + len, size - len, "%s%s", len ? "," : "", item);
}

/* Numbers going to a command line: refuse negative ones. */
static int
check_nonneg (const char *name, int64_t v)
{
  if (v < 0) {
    reply_with_error_errno (EINVAL, "%s: %" PRIi64 ": must not be negative",
                            name, v);
    return -1;
  }
  return 0;
}

/* A string going to a command line as an option's value. */
static int
check_value (const char *name, const char *v)
{
  if (v[0] == '-' || strchr (v, ',')) {
    reply_with_error_errno (EINVAL, "%s: \"%s\": not a usable value", name,
                            v);
    return -1;
  }
  return 0;
}

/* Run the finished command (device last) and reply on failure. */
static int
e2cmd_run (struct e2cmd *c, const char *device)
{
  arg (c, "--");
  arg (c, device);
  return argbuf_run_or_reply (&c->a, device, NULL);
}

/* ---- mke2fs ---- */

struct num_opt {
  int bit;
  const char *name, *option; /* option: "-b"; "=stride" for -E */
};

static const struct num_opt mke2fs_nums[] = {
    {1, "blocksize", "-b"},           {2, "fragsize", "-f"},
    {3, "blockspergroup", "-g"},      {4, "numberofgroups", "-G"},
    {5, "bytesperinode", "-i"},       {6, "inodesize", "-I"},
    {8, "numberofinodes", "-N"},      {9, "stridesize", "=stride"},
    {10, "stripewidth", "=stripe_width"},
    {11, "maxonlineresize", "=resize"},
};

static const struct {
  int bit;
  const char *option, *name;
} mke2fs_strings[] = {
    {15, "-L", "label"},     {16, "-M", "lastmounteddir"},
    {17, "-o", "creatoros"}, {18, "-t", "fstype"},
    {19, "-T", "usagetype"}, {20, "-U", "uuid"},
};

/* Features (-O), each turned on or, "^feature", off. */
static const struct {
  int bit;
  const char *feature;
} mke2fs_features[] = {
    {28, "extent"},      {29, "filetype"},     {30, "flex_bg"},
    {31, "has_journal"}, {32, "journal_dev"},  {33, "large_file"},
    {34, "quota"},       {35, "resize_inode"}, {36, "sparse_super"},
    {37, "uninit_bg"},
};

int
do_mke2fs (const char *device, int64_t blockscount, int64_t blocksize,
           int64_t fragsize, int64_t blockspergroup, int64_t numberofgroups,
           int64_t bytesperinode, int64_t inodesize, int64_t journalsize,
           int64_t numberofinodes, int64_t stridesize, int64_t stripewidth,
           int64_t maxonlineresize, int reservedblockspercentage,
           int mmpupdateinterval, const char *journaldevice, const char *label,
           const char *lastmounteddir, const char *creatoros,
           const char *fstype, const char *usagetype, const char *uuid,
           int forcecreate, int writesbandgrouponly, int lazyitableinit,
           int lazyjournalinit, int testfs, int discard, int quotatype,
           int extent, int filetype, int flexbg, int hasjournal,
           int journaldev, int largefile, int quota, int resizeinode,
           int sparsesuper, int uninitbg)
{
  const int64_t nums[] = {blocksize,     fragsize,      blockspergroup,
                          numberofgroups, bytesperinode, inodesize,
                          numberofinodes, stridesize,    stripewidth,
                          maxonlineresize};
  const char *strings[] = {label,  lastmounteddir, creatoros,
                           fstype, usagetype,      uuid};
  const int features[] = {extent,     filetype,   flexbg,   hasjournal,
                          journaldev, largefile,  quota,    resizeinode,
                          sparsesuper, uninitbg};
  struct e2cmd c = {.a = {.n = 0}};
  arg (&c, "mke2fs");
  arg (&c, "-q");
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; ++i) {
    const struct num_opt *o = &mke2fs_nums[i];
    if (!OPTARG_SET (o->bit))
      continue;
    if (check_nonneg (o->name, nums[i]) == -1)
      goto fail;
    if (o->option[0] == '=') {
      char item[64];
      snprintf (item, sizeof item, "%s=%" PRIi64, o->option + 1, nums[i]);
      append_list (c.ext, sizeof c.ext, item);
    } else
      argf (&c, o->option, "%" PRIi64, nums[i]);
  }
  if (OPTARG_SET (7) || OPTARG_SET (14)) {
    if (OPTARG_SET (7) && check_nonneg ("journalsize", journalsize) == -1)
      goto fail;
    if (OPTARG_SET (14) && check_value ("journaldevice", journaldevice) == -1)
      goto fail;
    char j[512] = "";
    if (OPTARG_SET (7))
      snprintf (j, sizeof j, "size=%" PRIi64, journalsize);
    if (OPTARG_SET (14))
      append_list (j, sizeof j, "device=");
    argf (&c, "-J", "%s%s", j, OPTARG_SET (14) ? journaldevice : "");
  }
  if (OPTARG_SET (12)) {
    if (check_nonneg ("reservedblockspercentage", reservedblockspercentage))
      goto fail;
    argf (&c, "-m", "%d", reservedblockspercentage);
  }
  if (OPTARG_SET (13)) {
    if (check_nonneg ("mmpupdateinterval", mmpupdateinterval) == -1)
      goto fail;
    char item[64];
    snprintf (item, sizeof item, "mmp_update_interval=%d", mmpupdateinterval);
    append_list (c.ext, sizeof c.ext, item);
  }
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i) {
    if (!OPTARG_SET (mke2fs_strings[i].bit))
      continue;
    if (check_value (mke2fs_strings[i].name, strings[i]) == -1)
      goto fail;
    arg (&c, mke2fs_strings[i].option);
    arg (&c, strings[i]);
  }
  if (OPTARG_SET (21) && forcecreate)
    arg (&c, "-F");
  if (OPTARG_SET (22) && writesbandgrouponly)
    arg (&c, "-S");
  if (OPTARG_SET (23))
    append_list (c.ext, sizeof c.ext,
                 lazyitableinit ? "lazy_itable_init=1" : "lazy_itable_init=0");
  if (OPTARG_SET (24))
    append_list (c.ext, sizeof c.ext,
                 lazyjournalinit ? "lazy_journal_init=1"
                                 : "lazy_journal_init=0");
  if (OPTARG_SET (25) && testfs)
    append_list (c.ext, sizeof c.ext, "test_fs");
  if (OPTARG_SET (26))
    append_list (c.ext, sizeof c.ext, discard ? "discard" : "nodiscard");
  if (OPTARG_SET (27) && quotatype)
    append_list (c.ext, sizeof c.ext, "quotatype=usrquota:grpquota");
  for (size_t i = 0; i < sizeof features / sizeof features[0]; ++i) {
    if (!OPTARG_SET (mke2fs_features[i].bit))
      continue;
    char item[64];
    snprintf (item, sizeof item, "%s%s", features[i] ? "" : "^",
              mke2fs_features[i].feature);
    append_list (c.features, sizeof c.features, item);
  }
  if (*c.ext) {
    arg (&c, "-E");
    arg (&c, c.ext);
  }
  if (*c.features) {
    arg (&c, "-O");
    arg (&c, c.features);
  }
  arg (&c, "--");
  arg (&c, device);
  if (OPTARG_SET (0)) {
    if (check_nonneg ("blockscount", blockscount) == -1)
      goto fail;
    argf (&c, NULL, "%" PRIi64, blockscount);
  }
  return argbuf_run_or_reply (&c.a, device, NULL);

fail:
  e2cmd_free (&c);
  return -1;
}

/* ---- External journals ---- */

static int
check_blocksize (int blocksize)
{
  if (blocksize <= 0) {
    reply_with_error_errno (EINVAL, "blocksize: %d: must be positive",
                            blocksize);
    return -1;
  }
  return 0;
}

static int
mke2journal (int blocksize, const char *option, const char *value,
             const char *device)
{
  if (check_blocksize (blocksize) == -1 ||
      (value && check_value (option, value) == -1))
    return -1;
  struct e2cmd c = {.a = {.n = 0}};
  arg (&c, "mke2fs");
  arg (&c, "-q");
  arg (&c, "-F");
  arg (&c, "-O");
  arg (&c, "journal_dev");
  argf (&c, "-b", "%d", blocksize);
  if (value) {
    arg (&c, option);
    arg (&c, value);
  }
  return e2cmd_run (&c, device);
}

int
do_mke2journal (int blocksize, const char *device)
{
  return mke2journal (blocksize, NULL, NULL, device);
}

int
do_mke2journal_L (int blocksize, const char *label, const char *device)
{
  return mke2journal (blocksize, "-L", label, device);
}

int
do_mke2journal_U (int blocksize, const char *uuid, const char *device)
{
  return mke2journal (blocksize, "-U", uuid, device);
}

/* journal: "/dev/sdb1", "LABEL=..." or "UUID=...". */
static int
mke2fs_with_journal (const char *fstype, int blocksize, const char *device,
                     const char *how, const char *journal)
{
  if (check_blocksize (blocksize) == -1 || check_value ("fstype", fstype) ||
      check_value ("journal", journal) == -1)
    return -1;
  struct e2cmd c = {.a = {.n = 0}};
  arg (&c, "mke2fs");
  arg (&c, "-q");
  arg (&c, "-F");
  arg (&c, "-t");
  arg (&c, fstype);
  argf (&c, "-b", "%d", blocksize);
  argf (&c, "-J", "device=%s%s", how, journal);
  return e2cmd_run (&c, device);
}

int
do_mke2fs_J (const char *fstype, int blocksize, const char *device,
             const char *journal)
{
  return mke2fs_with_journal (fstype, blocksize, device, "", journal);
}

int
do_mke2fs_JL (const char *fstype, int blocksize, const char *device,
              const char *label)
{
  return mke2fs_with_journal (fstype, blocksize, device, "LABEL=", label);
}

int
do_mke2fs_JU (const char *fstype, int blocksize, const char *device,
              const char *uuid)
{
  return mke2fs_with_journal (fstype, blocksize, device, "UUID=", uuid);
}

/* ---- tune2fs ---- */

int
do_set_e2uuid (const char *device, const char *uuid)
{
  if (check_value ("uuid", uuid) == -1)
    return -1;
  const char *argv[] = {"tune2fs", "-U", uuid, "--", device, NULL};
  return run_or_reply (device, argv, NULL);
}

int
do_tune2fs (const char *device, int force, int maxmountcount, int mountcount,
            const char *errorbehavior, int64_t group,
            int intervalbetweenchecks, int reservedblockspercentage,
            const char *lastmounteddirectory, int64_t reservedblockscount,
            int64_t user)
{
  struct e2cmd c = {.a = {.n = 0}};
  arg (&c, "tune2fs");
  if (OPTARG_SET (0) && force)
    arg (&c, "-f");
  /* maxmountcount may be -1: no limit. */
  if (OPTARG_SET (1))
    argf (&c, "-c", "%d", maxmountcount);
  if (OPTARG_SET (2)) {
    if (check_nonneg ("mountcount", mountcount) == -1)
      goto fail;
    argf (&c, "-C", "%d", mountcount);
  }
  if (OPTARG_SET (3)) {
    if (strcmp (errorbehavior, "continue") != 0 &&
        strcmp (errorbehavior, "remount-ro") != 0 &&
        strcmp (errorbehavior, "panic") != 0) {
      reply_with_error_errno (EINVAL,
                              "errorbehavior: \"%s\": must be continue, "
                              "remount-ro or panic",
                              errorbehavior);
      goto fail;
    }
    arg (&c, "-e");
    arg (&c, errorbehavior);
  }
  if (OPTARG_SET (4)) {
    if (check_nonneg ("group", group) == -1)
      goto fail;
    argf (&c, "-g", "%" PRIi64, group);
  }
  if (OPTARG_SET (5)) {
    if (check_nonneg ("intervalbetweenchecks", intervalbetweenchecks) == -1)
      goto fail;
    argf (&c, "-i", "%ds", intervalbetweenchecks);
  }
  if (OPTARG_SET (6)) {
    if (check_nonneg ("reservedblockspercentage", reservedblockspercentage))
      goto fail;
    argf (&c, "-m", "%d", reservedblockspercentage);
  }
  if (OPTARG_SET (7)) {
    if (check_value ("lastmounteddirectory", lastmounteddirectory) == -1)
      goto fail;
    arg (&c, "-M");
    arg (&c, lastmounteddirectory);
  }
  if (OPTARG_SET (8)) {
    if (check_nonneg ("reservedblockscount", reservedblockscount) == -1)
      goto fail;
    argf (&c, "-r", "%" PRIi64, reservedblockscount);
  }
  if (OPTARG_SET (9)) {
    if (check_nonneg ("user", user) == -1)
      goto fail;
    argf (&c, "-u", "%" PRIi64, user);
  }
  return e2cmd_run (&c, device);

fail:
  e2cmd_free (&c);
  return -1;
}

/* ---- lost+found ---- */

int
do_mklost_and_found (const char *mountpoint)
{
  CLEANUP_CLOSE int dirfd =
      sysroot_open (mountpoint, O_RDONLY | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", mountpoint);
    return -1;
  }
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = dirfd;
  const char *argv[] = {"mklost+found", NULL};
  char *err = NULL;
  int status = run_command_opts (NULL, &err, argv, &opts);
  if (status == -1) {
    reply_with_perror ("%s: mklost+found", mountpoint);
    free (err);
    return -1;
  }
  int r = reply_if_command_failed (mountpoint, status, err);
  free (err);
  return r;
}
