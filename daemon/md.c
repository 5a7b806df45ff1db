/* Linux md (software RAID) arrays, with mdadm.
 *
 * There is no udev in the appliance: mdadm then makes the device
 * nodes (/dev/mdN and the /dev/md/NAME link) itself, and the kernel
 * loads the md modules on first use.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

static int
refuse_on_host (const char *subject)
{
  if (host_mode) {
    reply_with_error_errno (EPERM, "%s: md arrays are not available when "
                            "guestfsd runs on the host", subject);
    return -1;
  }
  return 0;
}

static int
check_md_name (const char *name)
{
  size_t len = strlen (name);
  if (len == 0 || len > 32 || name[0] == '-' || name[0] == '.' ||
      strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_-.") != len) {
    reply_with_error_errno (EINVAL, "name: \"%s\": not a usable md name "
                            "(letters, digits and _-. only)", name);
    return -1;
  }
  return 0;
}

int
do_md_create (const char *name, char *const *devices, int64_t missingbitmap,
              int nrdevices, int spare, int64_t chunk, const char *level)
{
  if (check_md_name (name) == -1 || refuse_on_host (name) == -1)
    return -1;
  uint64_t missing = OPTARG_SET (0) ? (uint64_t)missingbitmap : 0;
  spare = OPTARG_SET (2) ? spare : 0;
  size_t ndevices = count_strings (devices);
  size_t total = ndevices + (size_t)__builtin_popcountll (missing);
  if (!OPTARG_SET (1))
    nrdevices = (int)total - spare;
  /* Every device and every missing slot is a member or a spare. */
  if (ndevices == 0 || spare < 0 || nrdevices < 1 ||
      (size_t)nrdevices + (size_t)spare != total || total > 64 ||
      (total < 64 && (missing >> total) != 0)) {
    reply_with_error_errno (EINVAL,
                            "%s: %zu devices and %d missing ones do not "
                            "make %d members and %d spares",
                            name, ndevices, __builtin_popcountll (missing),
                            nrdevices, spare);
    return -1;
  }
  if (OPTARG_SET (3) && (chunk < 1024 || chunk % 1024 != 0)) {
    reply_with_error_errno (EINVAL, "chunk: %" PRIi64 ": must be a multiple "
                            "of 1024 bytes", chunk);
    return -1;
  }
  const char *lvl = OPTARG_SET (4) ? level : "raid1";
  if (*lvl == '\0' || lvl[0] == '-' || strchr (lvl, '=')) {
    reply_with_error_errno (EINVAL, "level: \"%s\": not a RAID level", lvl);
    return -1;
  }
  struct argbuf b = {.n = 0};
  argbuf_add (&b, "mdadm");
  argbuf_add (&b, "--create");
  argbuf_add (&b, "--run");
  argbuf_addf (&b, NULL, "/dev/md/%s", name);
  argbuf_addf (&b, NULL, "--level=%s", lvl);
  argbuf_addf (&b, NULL, "--raid-devices=%d", nrdevices);
  if (spare)
    argbuf_addf (&b, NULL, "--spare-devices=%d", spare);
  if (OPTARG_SET (3))
    argbuf_addf (&b, NULL, "--chunk=%" PRIi64, chunk / 1024);
  for (size_t slot = 0, d = 0; slot < total; ++slot)
    argbuf_add (&b, (missing >> slot) & 1 ? "missing" : devices[d++]);
  return argbuf_run_or_reply (&b, name, NULL);
}

int
do_md_stop (const char *md)
{
  if (refuse_on_host (md) == -1)
    return -1;
  const char *argv[] = {"mdadm", "--stop", md, NULL};
  return run_or_reply (md, argv, NULL);
}

char **
do_md_detail (const char *md)
{
  if (refuse_on_host (md) == -1)
    return NULL;
  const char *argv[] = {"mdadm", "--detail", "--export", md, NULL};
  char *out = NULL;
  if (run_or_reply (md, argv, &out) == -1)
    return NULL;
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    char *eq = strchr (line, '=');
    if (eq == NULL)
      continue;
    *eq = '\0';
    char *key = strncmp (line, "MD_", 3) == 0 ? line + 3 : line;
    for (char *p = key; *p; ++p)
      *p = (char)tolower ((unsigned char)*p);
    if (add_string (&sb, key) == -1 || add_string (&sb, eq + 1) == -1) {
      free (out);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  free (out);
  return take_strings (&sb);
}

/* ---- /proc/mdstat ---- */

/* One member, "vdb1[1](W)(F)", into e.  Returns -1 if malformed. */
static int
parse_member (char *word, guestfs_int_mdstat *e)
{
  char *bracket = strchr (word, '[');
  if (bracket == NULL)
    return -1;
  *bracket = '\0';
  e->mdstat_index = (int32_t)strtol (bracket + 1, NULL, 10);
  char flags[16] = "";
  size_t n = 0;
  for (char *p = strchr (bracket + 1, '('); p && n < sizeof flags - 1;
       p = strchr (p + 1, '('))
    flags[n++] = p[1];
  flags[n] = '\0';
  if (asprintf (&e->mdstat_device, "/dev/%s", word) == -1)
    return -1;
  /* The member as callers name disks: /dev/sdb1 for vdb1. */
  callers_device_name (e->mdstat_device);
  e->mdstat_flags = strdup (flags);
  return e->mdstat_flags ? 0 : -1;
}

/* The members on kname's line: "md127 : active raid1 vdc[1] vdb[0]". */
static guestfs_int_mdstat_list *
parse_mdstat_line (char *line)
{
  guestfs_int_mdstat_list *r = calloc (1, sizeof *r);
  if (r == NULL)
    return NULL;
  r->guestfs_int_mdstat_list_val = calloc (64, sizeof (guestfs_int_mdstat));
  if (r->guestfs_int_mdstat_list_val == NULL) {
    free (r);
    return NULL;
  }
  char *save = NULL;
  for (char *w = strtok_r (line, " \n", &save); w && r->guestfs_int_mdstat_list_len < 64;
       w = strtok_r (NULL, " \n", &save)) {
    if (strchr (w, '[') == NULL)
      continue; /* the name, ":", the state, the level */
    guestfs_int_mdstat *e =
        &r->guestfs_int_mdstat_list_val[r->guestfs_int_mdstat_list_len];
    if (parse_member (w, e) == -1)
      return r; /* what was parsed so far */
    ++r->guestfs_int_mdstat_list_len;
  }
  return r;
}

guestfs_int_mdstat_list *
do_md_stat (const char *md)
{
  if (refuse_on_host (md) == -1)
    return NULL;
  CLEANUP_FREE char *kname = block_kernel_name (md);
  if (kname == NULL) {
    reply_with_perror ("%s", md);
    return NULL;
  }
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/mdstat", "r");
  if (fp == NULL) {
    reply_with_perror ("/proc/mdstat");
    return NULL;
  }
  char line[4096];
  size_t klen = strlen (kname);
  while (fgets (line, sizeof line, fp))
    if (strncmp (line, kname, klen) == 0 && line[klen] == ' ') {
      guestfs_int_mdstat_list *r = parse_mdstat_line (line + klen);
      if (r == NULL)
        reply_with_perror ("malloc");
      return r;
    }
  reply_with_error_errno (ENOENT, "%s: not an md array", md);
  return NULL;
}
