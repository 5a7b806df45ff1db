/* LVM: physical volumes, volume groups, logical volumes.
 *
 * There is no udev, no lvmetad and no dmeventd in the appliance, so
 * every lvm command runs with a configuration that tells it so: the
 * device list comes from scanning /dev rather than udev, device-mapper
 * nodes and /dev/VG/LV links are created by lvm itself instead of udev
 * rules (the appliance's init also sets DM_DISABLE_UDEV for
 * libdevmapper), and nothing waits for udev cookies.  Metadata backups
 * are off: the appliance's /etc is thrown away at the end anyway.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

static const char lvm_config[] =
    "devices { obtain_device_list_from_udev = 0 use_devicesfile = 0 } "
    "activation { udev_sync = 0 udev_rules = 0 monitoring = 0 } "
    "backup { backup = 0 archive = 0 }";

/* lvm_set_filter's devices { filter = [...] } section, or NULL: the
 * filter lasts as long as the appliance, like libguestfs's edit of its
 * lvm.conf. */
static char *lvm_filter;

void
set_lvm_filter (char *filter)
{
  free (lvm_filter);
  lvm_filter = filter;
}

int
run_lvm (const char *const *args, char **out, char **err)
{
  if (host_mode) {
    /* The host's volume groups are not the guest's. */
    errno = EPERM;
    return -1;
  }
  char *config = NULL;
  if (lvm_filter && asprintf (&config, "%s %s", lvm_config, lvm_filter) == -1)
    return -1;
  const char *argv[32] = {"lvm", args[0], "--config",
                          config ? config : lvm_config};
  size_t n = 4;
  for (size_t i = 1; args[i] && n < 31; ++i)
    argv[n++] = args[i];
  argv[n] = NULL;
  int r = run_capture (argv, out, err);
  free (config);
  return r;
}

int
lvm_or_reply (const char *subject, const char *const *args, char **out)
{
  if (host_mode) {
    reply_with_error_errno (EPERM,
                            "%s: LVM is not available when guestfsd "
                            "runs on the host",
                            subject);
    return -1;
  }
  char *err = NULL;
  int r = run_lvm (args, out, &err);
  if (r != 0) {
    if (out && r > 0) {
      free (*out);
      *out = NULL;
    }
    char what[64];
    snprintf (what, sizeof what, "lvm %s", args[0]);
    reply_with_program_error (0, what, r, err, "%s", subject);
    free (err);
    return -1;
  }
  free (err);
  return 0;
}

/* VG and LV names go on lvm's command line: accept only what LVM
 * itself accepts, which also rules out anything looking like an
 * option. */
int
check_lvm_name (const char *argname, const char *name)
{
  size_t len = strlen (name);
  bool ok = len > 0 && len < 128 && name[0] != '-' &&
            strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
                          "XYZ0123456789+_.-") == len &&
            strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
  if (!ok)
    reply_with_error_errno (EINVAL,
                            "%s: \"%s\": not a valid LVM name (letters, "
                            "digits and +_.- only, not starting with -)",
                            argname, name);
  return ok ? 0 : -1;
}

/* ---- Device-mapper names ---- */

static char *
read_sysfs_line (const char *kname, const char *file)
{
  char path[256];
  snprintf (path, sizeof path, "/sys/block/%s/%s", kname, file);
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return NULL;
  char *line = NULL;
  size_t n = 0;
  ssize_t len = getline (&line, &n, f);
  fclose (f);
  if (len <= 0) {
    free (line);
    return NULL;
  }
  line[strcspn (line, "\n")] = '\0';
  return line;
}

bool
dm_is_logical_volume (const char *kname)
{
  char *uuid = read_sysfs_line (kname, "dm/uuid");
  bool r = uuid && strncmp (uuid, "LVM-", 4) == 0;
  free (uuid);
  return r;
}

/* "vg--a-lv" → "vg-a", "lv": in device-mapper names of LVs a single
 * dash separates the VG from the LV and a double dash is a dash. */
static int
split_dm_lv_name (const char *dmname, char **vg, char **lv)
{
  char *v = malloc (strlen (dmname) + 1), *l = NULL;
  if (v == NULL)
    return -1;
  char *o = v;
  const char *p = dmname;
  for (; *p; ++p) {
    if (p[0] == '-' && p[1] == '-')
      *o++ = *p++;
    else if (p[0] == '-')
      break;
    else
      *o++ = *p;
  }
  *o = '\0';
  if (*p != '-' || (l = malloc (strlen (p))) == NULL) {
    free (v);
    return -1;
  }
  o = l;
  for (++p; *p; ++p) {
    *o++ = *p;
    if (p[0] == '-' && p[1] == '-')
      ++p;
  }
  *o = '\0';
  *vg = v;
  *lv = l;
  return 0;
}

/* For a device-mapper device that is a public LV: "/dev/VG/LV". */
static char *
lv_path_of_dm (const char *kname)
{
  char *uuid = read_sysfs_line (kname, "dm/uuid");
  /* "LVM-" and two 32-character UUIDs; a suffix marks LVM's internal
   * layers (snapshot origins, thin pool parts). */
  bool public_lv =
      uuid && strncmp (uuid, "LVM-", 4) == 0 && strlen (uuid) == 4 + 64;
  free (uuid);
  if (!public_lv)
    return NULL;
  char *name = read_sysfs_line (kname, "dm/name"), *vg, *lv, *r = NULL;
  if (name && split_dm_lv_name (name, &vg, &lv) == 0) {
    if (asprintf (&r, "/dev/%s/%s", vg, lv) == -1)
      r = NULL;
    free (vg);
    free (lv);
  }
  free (name);
  return r;
}

char *
canonical_device_name (const char *dev)
{
  char *kname = block_kernel_name (dev);
  char *r = NULL;
  if (kname && strncmp (kname, "dm-", 3) == 0)
    r = lv_path_of_dm (kname);
  free (kname);
  return r ? r : strdup (dev);
}

/* lvm creates the nodes itself with the configuration above; if any
 * active LV still lacks its /dev/VG/LV link, have lvm make them. */
int
ensure_lv_nodes (void)
{
  DIR *d = opendir ("/sys/block");
  if (d == NULL)
    return 0;
  bool missing = false;
  struct dirent *e;
  while (!missing && (e = readdir (d)) != NULL) {
    if (strncmp (e->d_name, "dm-", 3) != 0)
      continue;
    char *path = lv_path_of_dm (e->d_name);
    struct stat st;
    missing = path && stat (path, &st) == -1;
    free (path);
  }
  closedir (d);
  if (!missing)
    return 0;
  const char *args[] = {"vgmknodes", NULL};
  return lvm_or_reply ("creating device nodes", args, NULL);
}

/* ---- Creating and removing ---- */

int
do_pvcreate (const char *device)
{
  const char *args[] = {"pvcreate", "--force", "--yes", "--", device, NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_vgcreate (const char *volgroup, char *const *physvols)
{
  if (check_lvm_name ("volgroup", volgroup) == -1)
    return -1;
  size_t n = count_strings (physvols);
  if (n == 0) {
    reply_with_error_errno (EINVAL, "%s: physvols: the list is empty",
                            volgroup);
    return -1;
  }
  if (n > 24) {
    reply_with_error_errno (E2BIG, "%s: physvols: at most 24 at a time",
                            volgroup);
    return -1;
  }
  const char *args[32] = {"vgcreate", "--yes", "--", volgroup};
  for (size_t i = 0; i < n; ++i)
    args[4 + i] = physvols[i];
  args[4 + n] = NULL;
  return lvm_or_reply (volgroup, args, NULL);
}

static int
lvcreate (const char *logvol, const char *volgroup, const char *sizeopt,
          const char *size)
{
  if (check_lvm_name ("logvol", logvol) == -1 ||
      check_lvm_name ("volgroup", volgroup) == -1)
    return -1;
  const char *args[] = {
      "lvcreate", "--yes", "--wipesignatures", "y", sizeopt, size, "--name",
      logvol,     "--",    volgroup,           NULL};
  if (lvm_or_reply (logvol, args, NULL) == -1)
    return -1;
  return ensure_lv_nodes ();
}

int
do_lvcreate (const char *logvol, const char *volgroup, int mbytes)
{
  if (mbytes <= 0) {
    reply_with_error_errno (EINVAL, "mbytes: %d: must be positive", mbytes);
    return -1;
  }
  char size[32];
  snprintf (size, sizeof size, "%dm", mbytes);
  return lvcreate (logvol, volgroup, "--size", size);
}

int
do_lvcreate_free (const char *logvol, const char *volgroup, int percent)
{
  if (percent <= 0 || percent > 100) {
    reply_with_error_errno (EINVAL, "percent: %d: must be 1 to 100", percent);
    return -1;
  }
  char size[32];
  snprintf (size, sizeof size, "%d%%FREE", percent);
  return lvcreate (logvol, volgroup, "--extents", size);
}

int
do_lvremove (const char *device)
{
  const char *args[] = {"lvremove", "--force", "--", device, NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_vgremove (const char *vgname)
{
  if (check_lvm_name ("vgname", vgname) == -1)
    return -1;
  const char *args[] = {"vgremove", "--force", "--", vgname, NULL};
  return lvm_or_reply (vgname, args, NULL);
}

int
do_pvremove (const char *device)
{
  const char *args[] = {"pvremove", "--force", "--yes", "--", device, NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_lvresize (const char *device, int mbytes)
{
  if (mbytes <= 0) {
    reply_with_error_errno (EINVAL, "mbytes: %d: must be positive", mbytes);
    return -1;
  }
  char size[32];
  snprintf (size, sizeof size, "%dm", mbytes);
  const char *args[] = {"lvresize", "--force", "--size", size,
                        "--",       device,    NULL};
  return lvm_or_reply (device, args, NULL);
}

/* ---- Scanning and activation ---- */

int
do_vgscan (void)
{
  const char *args[] = {"vgscan", NULL};
  return lvm_or_reply ("vgscan", args, NULL);
}

int
do_vg_activate (int activate, char *const *volgroups)
{
  size_t n = count_strings (volgroups);
  if (n > 24) {
    reply_with_error_errno (E2BIG, "volgroups: at most 24 at a time");
    return -1;
  }
  const char *args[32] = {"vgchange", "--activate", activate ? "y" : "n", "--"};
  for (size_t i = 0; i < n; ++i) {
    if (check_lvm_name ("volgroups", volgroups[i]) == -1)
      return -1;
    args[4 + i] = volgroups[i];
  }
  args[4 + n] = NULL;
  if (lvm_or_reply (n ? volgroups[0] : "all volume groups", args, NULL) == -1)
    return -1;
  return activate ? ensure_lv_nodes () : 0;
}

int
do_vg_activate_all (int activate)
{
  char *none[] = {NULL};
  return do_vg_activate (activate, none);
}

/* ---- Reports ---- */

/* Run an lvm report command: one line per object, fields separated by
 * '|', a character LVM allows in no name, tag or device path it
 * prints.  Returns the lines (leading blanks removed), or NULL. */
/* The non-empty lines of lvm's output (freed here), leading blanks
 * removed, and with first_word only up to the next blank.  NULL if out
 * of memory. */
static char **
report_lines (char *out, bool first_word)
{
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    line += strspn (line, " ");
    if (first_word)
      line[strcspn (line, " ")] = '\0';
    if (*line && add_string (&sb, line) == -1) {
      free (out);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  free (out);
  return take_strings (&sb);
}

static char **
lvm_report (const char *cmd, const char *fields)
{
  const char *args[] = {
      cmd, "--noheadings", "--units", "b", "--nosuffix", "--separator",
      "|", "-o",           fields,    NULL};
  char *out = NULL;
  if (lvm_or_reply (cmd, args, &out) == -1)
    return NULL;
  return report_lines (out, false);
}

/* Split a report line into exactly n fields (in place). */
static int
split_fields (char *line, char **fields, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    fields[i] = line;
    char *sep = strchr (line, '|');
    if (sep == NULL) {
      if (i != n - 1)
        break;
      return 0;
    }
    *sep = '\0';
    line = sep + 1;
    if (i == n - 1)
      break;
  }
  reply_with_error_errno (EIO, "lvm: unexpected report line");
  return -1;
}

char **
do_pvs (void)
{
  char **r = lvm_report ("pvs", "pv_name");
  if (r)
    sort_device_names (r, count_strings (r));
  return r;
}

char **
do_vgs (void)
{
  char **r = lvm_report ("vgs", "vg_name");
  if (r)
    sort_strings (r, count_strings (r));
  return r;
}

/* "VG/LV" lines (the separator doubling as the path's slash). */
static const char *const lvs_args[] = {
    "lvs",      "--noheadings",   "--separator", "/", "-o", "vg_name,lv_name",
    "--select", "lv_role=public", NULL};

static char **
parse_lv_lines (char *out)
{
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    while (*line == ' ')
      ++line;
    char *s;
    if (*line == '\0')
      continue;
    if (asprintf (&s, "/dev/%s", line) == -1 ||
        add_string_nodup (&sb, s) == -1) {
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  sort_strings (sb.argv, sb.size);
  return take_strings (&sb);
}

char **
list_logical_volumes (void)
{
  char *out = NULL;
  if (run_lvm (lvs_args, &out, NULL) != 0) {
    free (out);
    return NULL;
  }
  char **r = parse_lv_lines (out);
  free (out);
  return r;
}

char **
do_lvs (void)
{
  char *out = NULL;
  if (lvm_or_reply ("lvs", lvs_args, &out) == -1)
    return NULL;
  char **r = parse_lv_lines (out);
  free (out);
  if (r == NULL)
    reply_with_perror ("malloc");
  return r;
}

/* Field conversions for the *_full structs.  LVM prints UUIDs with
 * dashes; the structs hold the 32 characters alone.  A number LVM
 * leaves empty (not applicable) becomes -1. */
static char *
str_field (const char *s)
{
  return strdup (s);
}

/* LVM prints UUIDs as 38 characters with dashes; the API has them as
 * libguestfs does, the 32 others in a char[32] with no NUL.  Anything
 * else fills the rest with spaces. */
static void
uuid_field (char out[32], const char *s)
{
  size_t n = 0;
  memset (out, ' ', 32);
  for (; *s && n < 32; ++s)
    if (*s != '-')
      out[n++] = *s;
}

static int64_t
int_field (const char *s)
{
  return *s ? strtoll (s, NULL, 10) : -1;
}

static float
percent_field (const char *s)
{
  return *s ? strtof (s, NULL) : -1;
}

#define PV_FIELDS                                                              \
  "pv_name,pv_uuid,pv_fmt,pv_size,dev_size,pv_free,pv_used,pv_attr,"           \
  "pv_pe_count,pv_pe_alloc_count,pv_tags,pe_start,pv_mda_count,pv_mda_free"
#define VG_FIELDS                                                              \
  "vg_name,vg_uuid,vg_fmt,vg_attr,vg_size,vg_free,vg_sysid,vg_extent_size,"    \
  "vg_extent_count,vg_free_count,max_lv,max_pv,pv_count,lv_count,"             \
  "snap_count,vg_seqno,vg_tags,vg_mda_count,vg_mda_free"
#define LV_FIELDS                                                              \
  "lv_name,lv_uuid,lv_attr,lv_major,lv_minor,lv_kernel_major,"                 \
  "lv_kernel_minor,lv_size,seg_count,origin,snap_percent,copy_percent,"        \
  "move_pv,lv_tags,mirror_log,lv_modules"

/* A physical volume's name, as callers name disks (/dev/sda1). */
static char *
pv_name_field (const char *s)
{
  char *name = str_field (s);
  callers_device_name (name);
  return name;
}

/* Each fill function returns false if it ran out of memory. */
static bool
fill_pv (void *elem, char **f)
{
  guestfs_int_lvm_pv *pv = elem;
  pv->pv_name = pv_name_field (f[0]);
  uuid_field (pv->pv_uuid, f[1]);
  pv->pv_fmt = str_field (f[2]);
  pv->pv_size = int_field (f[3]);
  pv->dev_size = int_field (f[4]);
  pv->pv_free = int_field (f[5]);
  pv->pv_used = int_field (f[6]);
  pv->pv_attr = str_field (f[7]);
  pv->pv_pe_count = int_field (f[8]);
  pv->pv_pe_alloc_count = int_field (f[9]);
  pv->pv_tags = str_field (f[10]);
  pv->pe_start = int_field (f[11]);
  pv->pv_mda_count = int_field (f[12]);
  pv->pv_mda_free = int_field (f[13]);
  return pv->pv_name && pv->pv_fmt && pv->pv_attr && pv->pv_tags;
}

static bool
fill_vg (void *elem, char **f)
{
  guestfs_int_lvm_vg *vg = elem;
  vg->vg_name = str_field (f[0]);
  uuid_field (vg->vg_uuid, f[1]);
  vg->vg_fmt = str_field (f[2]);
  vg->vg_attr = str_field (f[3]);
  vg->vg_size = int_field (f[4]);
  vg->vg_free = int_field (f[5]);
  vg->vg_sysid = str_field (f[6]);
  vg->vg_extent_size = int_field (f[7]);
  vg->vg_extent_count = int_field (f[8]);
  vg->vg_free_count = int_field (f[9]);
  vg->max_lv = int_field (f[10]);
  vg->max_pv = int_field (f[11]);
  vg->pv_count = int_field (f[12]);
  vg->lv_count = int_field (f[13]);
  vg->snap_count = int_field (f[14]);
  vg->vg_seqno = int_field (f[15]);
  vg->vg_tags = str_field (f[16]);
  vg->vg_mda_count = int_field (f[17]);
  vg->vg_mda_free = int_field (f[18]);
  return vg->vg_name && vg->vg_fmt && vg->vg_attr &&
         vg->vg_sysid && vg->vg_tags;
}

static bool
fill_lv (void *elem, char **f)
{
  guestfs_int_lvm_lv *lv = elem;
  lv->lv_name = str_field (f[0]);
  uuid_field (lv->lv_uuid, f[1]);
  lv->lv_attr = str_field (f[2]);
  lv->lv_major = int_field (f[3]);
  lv->lv_minor = int_field (f[4]);
  lv->lv_kernel_major = int_field (f[5]);
  lv->lv_kernel_minor = int_field (f[6]);
  lv->lv_size = int_field (f[7]);
  lv->seg_count = int_field (f[8]);
  lv->origin = str_field (f[9]);
  lv->snap_percent = percent_field (f[10]);
  lv->copy_percent = percent_field (f[11]);
  lv->move_pv = str_field (f[12]);
  lv->lv_tags = str_field (f[13]);
  lv->mirror_log = str_field (f[14]);
  lv->modules = str_field (f[15]);
  return lv->lv_name && lv->lv_attr && lv->origin &&
         lv->move_pv && lv->lv_tags && lv->mirror_log && lv->modules;
}

/* The generated list structs all have this layout. */
struct any_list {
  u_int len;
  char *val;
};

/* Run a report and fill list with one struct of elem_size bytes per
 * line.  Returns list, or NULL after replying (list freed with
 * free_list, an xdr function). */
static void *
full_report (const char *cmd, const char *fields, size_t nfields,
             size_t elem_size, bool (*fill) (void *elem, char **f),
             xdrproc_t free_list)
{
  struct any_list *list = calloc (1, sizeof *list);
  char **lines = lvm_report (cmd, fields);
  if (list == NULL || lines == NULL) {
    if (list == NULL)
      reply_with_perror ("calloc");
    free (list);
    free_strings (lines);
    return NULL;
  }
  size_t n = count_strings (lines);
  list->val = calloc (n ? n : 1, elem_size);
  if (list->val == NULL) {
    reply_with_perror ("calloc");
    goto fail;
  }
  for (size_t i = 0; i < n; ++i) {
    char *f[24];
    if (split_fields (lines[i], f, nfields) == -1)
      goto fail;
    list->len = i + 1; /* what xdr_free must look at */
    if (!fill (list->val + i * elem_size, f)) {
      reply_with_perror ("strdup");
      goto fail;
    }
  }
  free_strings (lines);
  return list;

fail:
  free_strings (lines);
  xdr_free (free_list, (char *)list);
  free (list);
  return NULL;
}

guestfs_int_lvm_pv_list *
do_pvs_full (void)
{
  return full_report ("pvs", PV_FIELDS, 14, sizeof (guestfs_int_lvm_pv),
                      fill_pv, (xdrproc_t)xdr_guestfs_int_lvm_pv_list);
}

guestfs_int_lvm_vg_list *
do_vgs_full (void)
{
  return full_report ("vgs", VG_FIELDS, 19, sizeof (guestfs_int_lvm_vg),
                      fill_vg, (xdrproc_t)xdr_guestfs_int_lvm_vg_list);
}

guestfs_int_lvm_lv_list *
do_lvs_full (void)
{
  return full_report ("lvs", LV_FIELDS, 16, sizeof (guestfs_int_lvm_lv),
                      fill_lv, (xdrproc_t)xdr_guestfs_int_lvm_lv_list);
}

/* ---- UUIDs of one object ---- */

/* The lines of one field of one LVM object (a PV, VG or LV), blanks
 * trimmed, as libguestfs reports them (UUIDs with their dashes). */
static char **
object_field (const char *cmd, const char *field, const char *object)
{
  const char *args[] = {cmd, "--noheadings", "-o", field, "--", object, NULL};
  char *out = NULL;
  if (lvm_or_reply (cmd, args, &out) == -1)
    return NULL;
  char **r = report_lines (out, true);
  if (r == NULL)
    reply_with_perror ("malloc");
  return r;
}

/* The one value of a field of one object. */
static char *
object_value (const char *cmd, const char *field, const char *object)
{
  char **lines = object_field (cmd, field, object);
  if (lines == NULL)
    return NULL;
  char *r = NULL;
  if (lines[0] == NULL || lines[1] != NULL)
    reply_with_error_errno (EINVAL, "%s: expected one %s", object, field);
  else {
    r = lines[0];
    lines[0] = NULL;
  }
  free_strings (lines);
  return r;
}

char *
do_pvuuid (const char *device)
{
  return object_value ("pvs", "pv_uuid", device);
}

char *
do_lvuuid (const char *device)
{
  return object_value ("lvs", "lv_uuid", device);
}

char *
do_vguuid (const char *vgname)
{
  if (check_lvm_name ("vgname", vgname) == -1)
    return NULL;
  return object_value ("vgs", "vg_uuid", vgname);
}

char **
do_vgpvuuids (const char *vgname)
{
  if (check_lvm_name ("vgname", vgname) == -1)
    return NULL;
  return object_field ("vgs", "pv_uuid", vgname);
}

char **
do_vglvuuids (const char *vgname)
{
  if (check_lvm_name ("vgname", vgname) == -1)
    return NULL;
  return object_field ("vgs", "lv_uuid", vgname);
}
