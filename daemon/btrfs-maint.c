/* btrfs maintenance: quotas and quota groups, balance, scrub, and the
 * offline checks (fsck, rescue, image).
 *
 * The tools' reports are parsed here, in the appliance; the library
 * gets the structures.  Every number is parsed whole (an unexpected
 * report is an EIO error, never a half-filled answer).
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs.h"
#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* A whole decimal number: "123" and nothing else. */
static bool
parse_u64 (const char *s, uint64_t *v)
{
  if (*s < '0' || *s > '9')
    return false;
  char *end;
  errno = 0;
  unsigned long long x = strtoull (s, &end, 10);
  if (errno || *end)
    return false;
  *v = x;
  return true;
}

/* ---- Quotas ---- */

static int
quota_enable_fn (const char *dir, void *enablep)
{
  /* No "--": this command takes no options, and dir is absolute. */
  const char *argv[] = {"btrfs", "quota",
                        *(int *)enablep ? "enable" : "disable", dir, NULL};
  return btrfs_run (dir, argv, NULL, NULL, 0);
}

int
do_btrfs_quota_enable (const char *fs, int enable)
{
  return with_btrfs_fs (fs, true, quota_enable_fn, &enable);
}

static int
quota_rescan_fn (const char *dir, void *unused)
{
  (void)unused;
  /* -w: return when the numbers are right.  The kernel refuses a
   * rescan with EINVAL when quotas are off. */
  const char *argv[] = {"btrfs", "quota", "rescan", "-w", "--", dir, NULL};
  return btrfs_run (dir, argv, NULL, "Invalid argument", ENOTSUP);
}

int
do_btrfs_quota_rescan (const char *fs)
{
  return with_btrfs_fs (fs, true, quota_rescan_fn, NULL);
}

/* LEVEL/ID, as "0/257" or "1/100". */
static int
check_qgroupid (const char *name, const char *id)
{
  size_t level = strspn (id, "0123456789");
  if (level > 0 && id[level] == '/' && id[level + 1] &&
      id[level + 1 + strspn (id + level + 1, "0123456789")] == '\0')
    return 0;
  reply_with_error_errno (EINVAL,
                          "%s: \"%s\" is not a quota group ID "
                          "(LEVEL/ID)",
                          name, id);
  return -1;
}

int
do_btrfs_qgroup_limit (const char *subvolume, int64_t size)
{
  if (size < 0) {
    reply_with_error_errno (EINVAL, "size: %" PRIi64 " is negative", size);
    return -1;
  }
  char sz[24];
  snprintf (sz, sizeof sz, "%" PRIi64, size);
  const char *args[] = {"qgroup", "limit", "--", sz, NULL};
  return btrfs_run_on (subvolume, args, NULL, "quota not enabled", ENOTSUP);
}

/* "btrfs qgroup create|destroy ID PATH" */
static int
qgroup_command (const char *verb, const char *qgroupid, const char *path)
{
  if (check_qgroupid ("qgroupid", qgroupid) == -1)
    return -1;
  const char *args[] = {"qgroup", verb, "--", qgroupid, NULL};
  return btrfs_run_on (path, args, NULL, "quota not enabled", ENOTSUP);
}

int
do_btrfs_qgroup_create (const char *qgroupid, const char *subvolume)
{
  return qgroup_command ("create", qgroupid, subvolume);
}

int
do_btrfs_qgroup_destroy (const char *qgroupid, const char *subvolume)
{
  return qgroup_command ("destroy", qgroupid, subvolume);
}

/* "btrfs qgroup assign|remove SRC DST PATH" */
static int
qgroup_relation (const char *verb, const char *src, const char *dst,
                 const char *path)
{
  if (check_qgroupid ("src", src) == -1 || check_qgroupid ("dst", dst) == -1)
    return -1;
  const char *args[] = {"qgroup", verb, "--", src, dst, NULL};
  return btrfs_run_on (path, args, NULL, "quota not enabled", ENOTSUP);
}

int
do_btrfs_qgroup_assign (const char *src, const char *dst, const char *path)
{
  return qgroup_relation ("assign", src, dst, path);
}

int
do_btrfs_qgroup_remove (const char *src, const char *dst, const char *path)
{
  return qgroup_relation ("remove", src, dst, path);
}

/* One line of "btrfs qgroup show --raw" after its two heading lines:
 *   0/257          16384        16384   snap
 * Returns false for the headings. */
static bool
parse_qgroup_line (char *line, guestfs_int_btrfsqgroup *q)
{
  char *save = NULL;
  char *id = strtok_r (line, " \t", &save);
  char *rfer = strtok_r (NULL, " \t", &save);
  char *excl = strtok_r (NULL, " \t", &save);
  uint64_t r, e;
  if (id == NULL || rfer == NULL || excl == NULL ||
      strspn (id, "0123456789/") != strlen (id) || !strchr (id, '/') ||
      !parse_u64 (rfer, &r) || !parse_u64 (excl, &e))
    return false;
  q->btrfsqgroup_id = strdup (id);
  q->btrfsqgroup_rfer = r;
  q->btrfsqgroup_excl = e;
  return true;
}

static guestfs_int_btrfsqgroup_list *
parse_qgroup_show (char *out)
{
  size_t lines = 1;
  for (const char *p = out; (p = strchr (p, '\n')); ++p)
    ++lines;
  guestfs_int_btrfsqgroup_list *r = calloc (1, sizeof *r);
  guestfs_int_btrfsqgroup *v = calloc (lines, sizeof *v);
  if (r == NULL || v == NULL) {
    reply_with_perror ("calloc");
    free (r);
    free (v);
    return NULL;
  }
  r->guestfs_int_btrfsqgroup_list_val = v;
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save)) {
    guestfs_int_btrfsqgroup *q = &v[r->guestfs_int_btrfsqgroup_list_len];
    if (!parse_qgroup_line (l, q))
      continue;
    ++r->guestfs_int_btrfsqgroup_list_len;
    if (q->btrfsqgroup_id == NULL) {
      reply_with_perror ("strdup");
      xdr_free ((xdrproc_t)xdr_guestfs_int_btrfsqgroup_list, (char *)r);
      free (r);
      return NULL;
    }
  }
  return r;
}

guestfs_int_btrfsqgroup_list *
do_btrfs_qgroup_show (const char *path)
{
  const char *args[] = {"qgroup", "show", "--raw", "--", NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run_on (path, args, &out, "quotas not enabled", ENOTSUP) == -1)
    return NULL;
  return parse_qgroup_show (out);
}

/* ---- Balance ---- */

int
do_btrfs_filesystem_balance (const char *fs)
{
  /* Without a filter, "balance start" waits 10 s for a change of mind
   * unless told that a full balance is meant. */
  const char *args[] = {"balance", "start", "--full-balance", "--", NULL};
  return btrfs_run_on (fs, args, NULL, NULL, 0);
}

/* "btrfs balance pause|cancel|resume PATH": with no balance, the tool
 * says "Not running" or "Not in progress". */
static int
balance_command (const char *verb, const char *path)
{
  const char *args[] = {"balance", verb, "--", NULL};
  return btrfs_run_on (path, args, NULL, "Not ", ENOENT);
}

int
do_btrfs_balance_pause (const char *path)
{
  return balance_command ("pause", path);
}

int
do_btrfs_balance_cancel (const char *path)
{
  return balance_command ("cancel", path);
}

int
do_btrfs_balance_resume (const char *path)
{
  return balance_command ("resume", path);
}

/* Output of "btrfs balance status":
 *   No balance found on '/x'
 * or
 *   Balance on '/x' is running          (or paused)
 *   3 out of about 8 chunks balanced (3 considered), 62% left
 */
static int
parse_balance_status (const char *out, guestfs_int_btrfsbalance *b)
{
  const char *state = NULL;
  if (strstr (out, "No balance found"))
    state = "none";
  else if (strstr (out, "' is running"))
    state = "running";
  else if (strstr (out, "' is paused"))
    state = "paused";
  if (state == NULL)
    goto bad;
  b->btrfsbalance_status = strdup (state);
  if (b->btrfsbalance_status == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  if (strcmp (state, "none") == 0)
    return 0;
  const char *counts = strchr (out, '\n');
  unsigned long long balanced, total, considered, left;
  if (counts == NULL ||
      sscanf (counts + 1,
              "%llu out of about %llu chunks balanced (%llu considered), "
              "%llu%% left",
              &balanced, &total, &considered, &left) != 4)
    goto bad;
  b->btrfsbalance_balanced = balanced;
  b->btrfsbalance_total = total;
  b->btrfsbalance_considered = considered;
  b->btrfsbalance_left = left;
  return 0;

bad:
  reply_with_error_errno (EIO,
                          "unexpected output of btrfs balance status: "
                          "%.80s",
                          out);
  return -1;
}

guestfs_int_btrfsbalance *
do_btrfs_balance_status (const char *path)
{
  const char *args[] = {"balance", "status", "--", NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run_on (path, args, &out, NULL, 0) == -1)
    return NULL;
  guestfs_int_btrfsbalance *b = calloc (1, sizeof *b);
  if (b == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  if (parse_balance_status (out, b) == -1) {
    xdr_free ((xdrproc_t)xdr_guestfs_int_btrfsbalance, (char *)b);
    free (b);
    return NULL;
  }
  return b;
}

/* ---- Scrub ---- */

int
do_btrfs_scrub_start (const char *path)
{
  /* -B: in the foreground, so that the call returns with the scrub
   * done and no process is left holding the filesystem. */
  const char *args[] = {"scrub", "start", "-B", "--", NULL};
  return btrfs_run_on (path, args, NULL, NULL, 0);
}

int
do_btrfs_scrub_cancel (const char *path)
{
  const char *args[] = {"scrub", "cancel", "--", NULL};
  return btrfs_run_on (path, args, NULL, "not running", ENOENT);
}

int
do_btrfs_scrub_resume (const char *path)
{
  const char *args[] = {"scrub", "resume", "-B", "--", NULL};
  return btrfs_run_on (path, args, NULL, "nothing to resume", ENOENT);
}

/* The counters of "btrfs scrub status -R", one "\tNAME: N" line each. */
static const struct {
  const char *name;
  size_t offset;
} scrub_fields[] = {
#define F(n)                                                                   \
  {                                                                            \
#n, offsetof(guestfs_int_btrfsscrub, btrfsscrub_##n)                       \
  }
    F (data_extents_scrubbed), F (tree_extents_scrubbed),
    F (data_bytes_scrubbed),   F (tree_bytes_scrubbed),
    F (read_errors),           F (csum_errors),
    F (verify_errors),         F (no_csum),
    F (csum_discards),         F (super_errors),
    F (malloc_errors),         F (uncorrectable_errors),
    F (unverified_errors),     F (corrected_errors),
    F (last_physical),
#undef F
};
#define NR_SCRUB_FIELDS (sizeof scrub_fields / sizeof scrub_fields[0])

/* Set the field named by "NAME: N"; false if line is not one. */
static bool
parse_scrub_line (const char *line, guestfs_int_btrfsscrub *s)
{
  line += strspn (line, " \t");
  const char *colon = strchr (line, ':');
  if (colon == NULL)
    return false;
  for (size_t i = 0; i < NR_SCRUB_FIELDS; ++i) {
    const char *name = scrub_fields[i].name;
    if (strlen (name) == (size_t)(colon - line) &&
        strncmp (line, name, colon - line) == 0)
      return parse_u64 (colon + 1 + strspn (colon + 1, " "),
                        (uint64_t *)((char *)s + scrub_fields[i].offset));
  }
  return false;
}

guestfs_int_btrfsscrub *
do_btrfs_scrub_status (const char *path)
{
  const char *args[] = {"scrub", "status", "-R", "--", NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run_on (path, args, &out, NULL, 0) == -1)
    return NULL;
  guestfs_int_btrfsscrub *s = calloc (1, sizeof *s);
  if (s == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  /* "no stats available": no scrub yet, every counter zero. */
  bool none = strstr (out, "no stats available") != NULL;
  size_t found = 0;
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save))
    found += parse_scrub_line (l, s);
  if (found == 0 && !none) {
    reply_with_error_errno (EIO,
                            "%s: btrfs scrub status reported no "
                            "counters",
                            path);
    free (s);
    return NULL;
  }
  return s;
}

/* ---- Offline checks ---- */

int
do_btrfs_fsck (const char *device, int64_t superblock, int repair)
{
  if (btrfs_refuse_on_host (device) == -1)
    return -1;
  const char *argv[8] = {"btrfs", "check"};
  size_t n = 2;
  char sb[24];
  if (OPTARG_SET (0)) {
    if (superblock < 0) {
      reply_with_error_errno (EINVAL, "superblock: %" PRIi64 " is negative",
                              superblock);
      return -1;
    }
    snprintf (sb, sizeof sb, "%" PRIi64, superblock);
    argv[n++] = "--super";
    argv[n++] = sb;
  }
  if (OPTARG_SET (1) && repair) {
    argv[n++] = "--repair";
  }
  argv[n++] = "--";
  argv[n++] = device;
  argv[n] = NULL;
  CLEANUP_FREE char *err = NULL;
  int r = run_capture (argv, NULL, &err);
  if (r == 0)
    return 0;
  /* Status 1 is errors found (or a filesystem it cannot read). */
  reply_with_program_error (r == 1 ? EIO : 0, "btrfs check", r, err, "%s",
                            device);
  return -1;
}

/* "btrfs rescue WHAT -y DEVICE" */
static int
rescue (const char *what, const char *device)
{
  if (btrfs_refuse_on_host (device) == -1)
    return -1;
  const char *argv[] = {"btrfs", "rescue", what, "-y", "--", device, NULL};
  return btrfs_run (device, argv, NULL, NULL, 0);
}

int
do_btrfs_rescue_chunk_recover (const char *device)
{
  return rescue ("chunk-recover", device);
}

int
do_btrfs_rescue_super_recover (const char *device)
{
  return rescue ("super-recover", device);
}

int
do_btrfs_image (char *const *source, const char *image, int compresslevel)
{
  if (source[0] == NULL) {
    reply_with_error_errno (EINVAL, "source: the list is empty");
    return -1;
  }
  char level[12];
  if (OPTARG_SET (0)) {
    if (compresslevel < 0 || compresslevel > 9) {
      reply_with_error_errno (EINVAL, "compresslevel: %d is not 0 to 9",
                              compresslevel);
      return -1;
    }
    snprintf (level, sizeof level, "%d", compresslevel);
  }
  CLEANUP_FREE char *host = btrfs_new_host_path (image);
  if (host == NULL)
    return -1;
  const char *head[6] = {"btrfs-image"};
  size_t n = 1;
  if (OPTARG_SET (0)) {
    head[n++] = "-c";
    head[n++] = level;
  }
  /* Several sources are the devices of one filesystem (-m). */
  if (source[1])
    head[n++] = "-m";
  head[n] = NULL;
  return btrfs_run_devices (image, head, source, host);
}
