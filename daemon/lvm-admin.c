/* LVM administration beyond creating and listing (lvm.c): renaming,
 * resizing physical volumes, new UUIDs, the device filter, metadata,
 * and removing everything.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* "/dev/VG/LV" or "VG/LV" or "LV": the last component is the name. */
static const char *
lv_base_name (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash ? slash + 1 : path;
}

int
do_lvrename (const char *logvol, const char *newlogvol)
{
  if (check_lvm_name ("newlogvol", lv_base_name (newlogvol)) == -1)
    return -1;
  if (logvol[0] == '-' || newlogvol[0] == '-') {
    reply_with_error_errno (EINVAL, "%s: not a logical volume", logvol);
    return -1;
  }
  const char *args[] = {"lvrename", "--", logvol, newlogvol, NULL};
  if (lvm_or_reply (logvol, args, NULL) == -1)
    return -1;
  return ensure_lv_nodes ();
}

int
do_vgrename (const char *volgroup, const char *newvolgroup)
{
  if (check_lvm_name ("volgroup", volgroup) == -1 ||
      check_lvm_name ("newvolgroup", newvolgroup) == -1)
    return -1;
  const char *args[] = {"vgrename", "--", volgroup, newvolgroup, NULL};
  if (lvm_or_reply (volgroup, args, NULL) == -1)
    return -1;
  /* The links of the old name go with lvm's own node handling; make
   * sure those of the new one are there. */
  const char *mknodes[] = {"vgmknodes", NULL};
  if (lvm_or_reply (newvolgroup, mknodes, NULL) == -1)
    return -1;
  return ensure_lv_nodes ();
}

int
do_lvresize_free (const char *lv, int percent)
{
  if (percent < 0 || percent > 100) {
    reply_with_error_errno (EINVAL, "percent: %d: must be 0 to 100", percent);
    return -1;
  }
  char extents[32];
  snprintf (extents, sizeof extents, "+%d%%FREE", percent);
  const char *args[] = {"lvresize", "--force", "--extents", extents,
                        "--",       lv,        NULL};
  return lvm_or_reply (lv, args, NULL);
}

int
do_pvresize (const char *device)
{
  const char *args[] = {"pvresize", "--yes", "--", device, NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_pvresize_size (const char *device, int64_t size)
{
  if (size <= 0) {
    reply_with_error_errno (EINVAL, "size: %" PRIi64 ": must be positive",
                            size);
    return -1;
  }
  char bytes[32];
  snprintf (bytes, sizeof bytes, "%" PRIi64 "b", size);
  const char *args[] = {"pvresize", "--yes", "--setphysicalvolumesize",
                        bytes,      "--",    device,
                        NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_pvchange_uuid (const char *device)
{
  const char *args[] = {"pvchange", "--uuid", "--", device, NULL};
  return lvm_or_reply (device, args, NULL);
}

int
do_pvchange_uuid_all (void)
{
  const char *args[] = {"pvchange", "--uuid", "--all", NULL};
  return lvm_or_reply ("all physical volumes", args, NULL);
}

int
do_vgchange_uuid (const char *vg)
{
  if (check_lvm_name ("vg", vg) == -1)
    return -1;
  const char *args[] = {"vgchange", "--uuid", "--", vg, NULL};
  return lvm_or_reply (vg, args, NULL);
}

int
do_vgchange_uuid_all (void)
{
  const char *args[] = {"vgchange", "--uuid", NULL};
  return lvm_or_reply ("all volume groups", args, NULL);
}

/* ---- Metadata ---- */

char *
do_vgmeta (const char *vgname, size_t *size_r)
{
  if (check_lvm_name ("vgname", vgname) == -1)
    return NULL;
  char tmpl[] = "/tmp/vgmetaXXXXXX";
  CLEANUP_CLOSE int fd = mkstemp (tmpl);
  if (fd == -1) {
    reply_with_perror ("mkstemp");
    return NULL;
  }
  const char *args[] = {"vgcfgbackup", "--file", tmpl, "--", vgname, NULL};
  int r = lvm_or_reply (vgname, args, NULL);
  char *buf = NULL;
  struct stat st;
  if (r == 0) {
    /* vgcfgbackup replaced the file: read the new one. */
    CLEANUP_CLOSE int in = open (tmpl, O_RDONLY | O_CLOEXEC);
    if (in == -1 || fstat (in, &st) == -1)
      reply_with_perror ("%s", tmpl);
    else if ((buf = malloc (st.st_size ? st.st_size : 1)) == NULL)
      reply_with_perror ("malloc");
    else if (pread_full (in, buf, st.st_size, 0) != st.st_size) {
      reply_with_perror ("%s", tmpl);
      free (buf);
      buf = NULL;
    } else
      *size_r = st.st_size;
  }
  unlink (tmpl);
  return buf;
}

/* ---- The device filter ---- */

/* Deactivate everything, set the filter, scan again: volume groups on
 * devices now hidden must not stay active. */
static int
change_filter (char *filter)
{
  if (do_vg_activate_all (0) == -1) {
    free (filter);
    return -1;
  }
  set_lvm_filter (filter);
  return do_vgscan ();
}

int
do_lvm_set_filter (char *const *devices)
{
  size_t len = 64;
  for (size_t i = 0; devices[i]; ++i) {
    /* '|' delimits the patterns; '"' the strings of the configuration. */
    if (strpbrk (devices[i], "|\"\\")) {
      reply_with_error_errno (EINVAL, "devices: \"%s\": not a device name",
                              devices[i]);
      return -1;
    }
    len += strlen (devices[i]) + 16;
  }
  char *filter = malloc (len);
  if (filter == NULL) {
    reply_with_perror ("malloc");
    return -1;
  }
  char *q = filter + sprintf (filter, "devices { filter = [ ");
  for (size_t i = 0; devices[i]; ++i)
    q += sprintf (q, "\"a|^%s$|\", ", devices[i]);
  sprintf (q, "\"r|.*|\" ] }");
  return change_filter (filter);
}

int
do_lvm_clear_filter (void)
{
  return change_filter (NULL);
}

/* ---- Removing everything ---- */

/* The first words of an lvm report. */
static char **
names (const char *cmd, const char *field)
{
  const char *args[] = {cmd, "--noheadings", "-o", field, NULL};
  char *out = NULL;
  if (lvm_or_reply (cmd, args, &out) == -1)
    return NULL;
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *w = strtok_r (out, " \n", &save); w;
       w = strtok_r (NULL, " \n", &save))
    if (add_string (&sb, w) == -1) {
      free (out);
      free_stringsbuf (&sb);
      return NULL;
    }
  free (out);
  return take_strings (&sb);
}

static int
remove_each (const char *cmd, const char *field, const char *remove,
             bool yes)
{
  CLEANUP_FREE_STRING_LIST char **list = names (cmd, field);
  if (list == NULL)
    return -1;
  for (size_t i = 0; list[i]; ++i) {
    const char *args[] = {remove, "--force", yes ? "--yes" : "--force", "--",
                          list[i], NULL};
    if (lvm_or_reply (list[i], args, NULL) == -1)
      return -1;
  }
  return 0;
}

int
do_lvm_remove_all (void)
{
  if (remove_each ("lvs", "lv_path", "lvremove", false) == -1 ||
      remove_each ("vgs", "vg_name", "vgremove", false) == -1 ||
      remove_each ("pvs", "pv_name", "pvremove", true) == -1)
    return -1;
  return 0;
}

/* ---- Questions ---- */

int
do_is_lv (const char *mountable)
{
  if (strncmp (mountable, "btrfsvol:", 9) == 0)
    return 0;
  char *kname = block_kernel_name (mountable);
  if (kname == NULL) {
    reply_with_perror ("%s", mountable);
    return -1;
  }
  bool lv = strncmp (kname, "dm-", 3) == 0 && dm_is_logical_volume (kname);
  free (kname);
  return lv;
}
