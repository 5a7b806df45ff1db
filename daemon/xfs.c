/* The XFS calls of the edit group: xfs_growfs and xfs_info, running
 * the xfsprogs tools on the mount point (resolved inside the sysroot)
 * or on the device. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* ---- xfs_growfs ---- */

enum {
  OPT_DATASEC,
  OPT_LOGSEC,
  OPT_RTSEC,
  OPT_DATASIZE,
  OPT_LOGSIZE,
  OPT_RTSIZE,
  OPT_RTEXTSIZE,
  OPT_MAXPCT
};

struct growfs_args {
  const char *argv[24];
  size_t n;
  char numbers[5][32];
  size_t nnumbers;
};

static void
add_flag (struct growfs_args *a, int opt, int value, const char *flag)
{
  if (OPTARG_SET (opt) && value)
    a->argv[a->n++] = flag;
}

/* Replies and returns -1 for a negative value. */
static int
add_size (struct growfs_args *a, int opt, const char *name, int64_t value,
          const char *flag)
{
  if (!OPTARG_SET (opt))
    return 0;
  if (value < 0) {
    reply_with_error_errno (EINVAL, "%s must be >= 0", name);
    return -1;
  }
  char *s = a->numbers[a->nnumbers++];
  snprintf (s, sizeof a->numbers[0], "%" PRIi64, value);
  a->argv[a->n++] = flag;
  a->argv[a->n++] = s;
  return 0;
}

int
do_xfs_growfs (const char *path, int datasec, int logsec, int rtsec,
               int64_t datasize, int64_t logsize, int64_t rtsize,
               int64_t rtextsize, int maxpct)
{
  struct growfs_args a = {.argv = {"xfs_growfs"}, .n = 1};
  add_flag (&a, OPT_DATASEC, datasec, "-d");
  add_flag (&a, OPT_LOGSEC, logsec, "-l");
  add_flag (&a, OPT_RTSEC, rtsec, "-r");
  if (add_size (&a, OPT_DATASIZE, "datasize", datasize, "-D") == -1 ||
      add_size (&a, OPT_LOGSIZE, "logsize", logsize, "-L") == -1 ||
      add_size (&a, OPT_RTSIZE, "rtsize", rtsize, "-R") == -1 ||
      add_size (&a, OPT_RTEXTSIZE, "rtextsize", rtextsize, "-e") == -1 ||
      add_size (&a, OPT_MAXPCT, "maxpct", maxpct, "-m") == -1)
    return -1;
  CLEANUP_FREE char *dir = resolve_dir (path);
  if (dir == NULL)
    return -1;
  a.argv[a.n++] = dir;
  a.argv[a.n] = NULL;
  return run_or_reply (path, a.argv, NULL);
}

/* ---- xfs_info ----
 *
 *   meta-data=/dev/sda1      isize=512    agcount=4, agsize=16384 blks
 *            =               sectsz=512   attr=2, projid32bit=1
 *   data     =               bsize=4096   blocks=65536, imaxpct=25
 *            =               sunit=0      swidth=0 blks
 *   naming   =version 2      bsize=4096   ascii-ci=0, ftype=1
 *   log      =internal log   bsize=4096   blocks=16384, version=2
 *            =               sectsz=512   sunit=0 blks, lazy-count=1
 *   realtime =none           extsz=4096   blocks=0, rtextents=0
 *
 * A line that starts with "=" continues the section above it; the
 * same key means different fields in different sections.
 */

enum field_kind { U32, U64, NAME };

struct xfs_field {
  const char *section, *key; /* key "" is the section's own value */
  enum field_kind kind;
  size_t offset;
};

#define F(section, key, kind, field)                                           \
  {                                                                            \
    section, key, kind, offsetof (guestfs_int_xfsinfo, field)                  \
  }

static const struct xfs_field xfs_fields[] = {
    F ("meta-data", "", NAME, xfs_mntpoint),
    F ("meta-data", "isize", U32, xfs_inodesize),
    F ("meta-data", "agcount", U32, xfs_agcount),
    F ("meta-data", "agsize", U32, xfs_agsize),
    F ("meta-data", "sectsz", U32, xfs_sectsize),
    F ("meta-data", "attr", U32, xfs_attr),
    F ("data", "bsize", U32, xfs_blocksize),
    F ("data", "blocks", U64, xfs_datablocks),
    F ("data", "imaxpct", U32, xfs_imaxpct),
    F ("data", "sunit", U32, xfs_sunit),
    F ("data", "swidth", U32, xfs_swidth),
    F ("naming", "version", U32, xfs_dirversion),
    F ("naming", "bsize", U32, xfs_dirblocksize),
    F ("naming", "ascii-ci", U32, xfs_cimode),
    F ("log", "", NAME, xfs_logname),
    F ("log", "bsize", U32, xfs_logblocksize),
    F ("log", "blocks", U32, xfs_logblocks),
    F ("log", "version", U32, xfs_logversion),
    F ("log", "sectsz", U32, xfs_logsectsize),
    F ("log", "sunit", U32, xfs_logsunit),
    F ("log", "lazy-count", U32, xfs_lazycount),
    F ("realtime", "", NAME, xfs_rtname),
    F ("realtime", "extsz", U32, xfs_rtextsize),
    F ("realtime", "blocks", U64, xfs_rtblocks),
    F ("realtime", "rtextents", U64, xfs_rtextents),
};

static const struct xfs_field *
find_field (const char *section, const char *key)
{
  for (size_t i = 0; i < sizeof xfs_fields / sizeof xfs_fields[0]; ++i)
    if (strcmp (xfs_fields[i].section, section) == 0 &&
        strcmp (xfs_fields[i].key, key) == 0)
      return &xfs_fields[i];
  return NULL;
}

/* Store value (up to the first space or comma) in field f of info. */
static int
store (guestfs_int_xfsinfo *info, const struct xfs_field *f, const char *value)
{
  char *p = (char *)info + f->offset;
  size_t len = strcspn (value, " ,");
  if (f->kind == NAME) {
    char **s = (char **)p;
    if (*s == NULL && (*s = strndup (value, len)) == NULL)
      return -1;
  } else if (f->kind == U32)
    *(u_int *)p = strtoul (value, NULL, 10);
  else
    *(u_quad_t *)p = strtoull (value, NULL, 10);
  return 0;
}

/* One line: its section (or the one before, for a continuation) and
 * its key=value pairs.  The naming section's own value is "version N". */
static int
parse_line (guestfs_int_xfsinfo *info, char *line, char *section,
            size_t section_size)
{
  char *eq = strchr (line, '=');
  if (eq == NULL)
    return 0;
  size_t len = strcspn (line, " =");
  if (len > 0)
    snprintf (section, section_size, "%.*s", (int)len, line);
  const char *value = eq + 1;
  const struct xfs_field *own = find_field (section, "");
  if (strncmp (value, "version ", 8) == 0)
    own = find_field (section, "version"), value += 8;
  if (*value != ' ' && own && store (info, own, value) == -1)
    return -1;
  for (char *p = eq + 1; (p = strchr (p, '=')) != NULL; ++p) {
    char *key = p;
    while (key > line && key[-1] != ' ')
      --key;
    *p = '\0';
    const struct xfs_field *f = find_field (section, key);
    *p = '=';
    if (f && store (info, f, p + 1) == -1)
      return -1;
  }
  return 0;
}

static void
free_xfsinfo (guestfs_int_xfsinfo *info)
{
  free (info->xfs_mntpoint);
  free (info->xfs_logname);
  free (info->xfs_rtname);
  free (info);
}

static guestfs_int_xfsinfo *
parse_xfs_info (char *out)
{
  guestfs_int_xfsinfo *info = malloc (sizeof *info);
  if (info == NULL)
    return NULL;
  memset (info, 0xff, sizeof *info); /* every number -1 */
  info->xfs_mntpoint = info->xfs_logname = info->xfs_rtname = NULL;
  char section[32] = "";
  char *save = NULL;
  for (char *line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    if (parse_line (info, line, section, sizeof section) == -1)
      goto fail;
  char **names[] = {&info->xfs_mntpoint, &info->xfs_logname, &info->xfs_rtname};
  for (size_t i = 0; i < 3; ++i)
    if (*names[i] == NULL && (*names[i] = strdup ("")) == NULL)
      goto fail;
  return info;
fail:
  free_xfsinfo (info);
  return NULL;
}

guestfs_int_xfsinfo *
do_xfs_info (const char *pathordevice)
{
  CLEANUP_FREE char *target = NULL;
  if (strncmp (pathordevice, "/dev/", 5) == 0) {
    target = strdup (pathordevice);
    if (target == NULL || resolve_device ("pathordevice", &target) == -1) {
      if (target == NULL)
        reply_with_perror ("strdup");
      return NULL;
    }
  } else if (check_pathname ("pathordevice", pathordevice) == -1 ||
             (target = resolve_dir (pathordevice)) == NULL)
    return NULL;
  const char *argv[] = {"xfs_info", "--", target, NULL};
  CLEANUP_FREE char *out = NULL;
  if (run_or_reply (pathordevice, argv, &out) == -1)
    return NULL;
  guestfs_int_xfsinfo *info = parse_xfs_info (out);
  if (info == NULL)
    reply_with_perror ("%s", pathordevice);
  return info;
}
