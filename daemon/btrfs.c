/* btrfs subvolumes.
 *
 * The btrfs tool works on a mounted filesystem and takes a path.  A
 * guest path is first resolved inside the sysroot (symbolic links stay
 * in the guest) and the tool gets the resolved host path; nothing
 * changes the guest tree between the two, since the daemon does one
 * thing at a time.  For a device, the filesystem is mounted read-only
 * in a private directory for the time of the listing.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "btrfs.h"
#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

int
btrfs_refuse_on_host (const char *subject)
{
  if (!host_mode)
    return 0;
  reply_with_error_errno (EPERM,
                          "%s: btrfs is not available when guestfsd "
                          "runs on the host",
                          subject);
  return -1;
}

/* The host path of guest directory path, resolved inside the sysroot. */
char *
resolve_dir (const char *path)
{
  int fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *proc = sysroot_fd_path (fd);
  char *host = proc ? realpath (proc, NULL) : NULL;
  if (host == NULL)
    reply_with_perror ("%s", path);
  free (proc);
  close (fd);
  return host;
}

char *
btrfs_host_path (const char *path)
{
  if (btrfs_refuse_on_host (path) == -1)
    return NULL;
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  struct statfs sf;
  if (fd == -1 || fstatfs (fd, &sf) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (sf.f_type != BTRFS_SUPER_MAGIC) {
    reply_with_error_errno (EINVAL, "%s: not on a btrfs filesystem", path);
    return NULL;
  }
  CLEANUP_FREE char *proc = sysroot_fd_path (fd);
  char *host = proc ? realpath (proc, NULL) : NULL;
  if (host == NULL)
    reply_with_perror ("%s", path);
  return host;
}

char *
btrfs_new_host_path (const char *path)
{
  if (btrfs_refuse_on_host (path) == -1)
    return NULL;
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  CLEANUP_FREE char *proc = sysroot_fd_path (dirfd);
  CLEANUP_FREE char *dir = proc ? realpath (proc, NULL) : NULL;
  char *r = NULL;
  if (dir == NULL || asprintf (&r, "%s/%s", dir, base) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

int
btrfs_run (const char *subject, const char *const *argv, char **out,
           const char *if_text, int errnum_if)
{
  CLEANUP_FREE char *err = NULL, *stdout_text = NULL;
  int r = run_capture (argv, &stdout_text, &err);
  if (r != 0) {
    /* Some messages go to stdout. */
    bool matches = if_text && ((err && strstr (err, if_text)) ||
                               (stdout_text && strstr (stdout_text, if_text)));
    int errnum = matches ? errnum_if : 0;
    bool quiet = err == NULL || err[strspn (err, " \n")] == '\0';
    reply_with_program_error (errnum, argv[0], r, quiet ? stdout_text : err,
                              "%s", subject);
    return -1;
  }
  if (out) {
    *out = stdout_text;
    stdout_text = NULL;
  }
  return 0;
}

int
btrfs_run_devices (const char *subject, const char *const *head,
                   char *const *devices, const char *last)
{
  size_t nh = count_strings ((char *const *)head);
  size_t nd = count_strings (devices);
  CLEANUP_FREE const char **argv = calloc (nh + nd + 2, sizeof *argv);
  if (argv == NULL) {
    reply_with_perror ("calloc");
    return -1;
  }
  memcpy (argv, head, nh * sizeof *argv);
  memcpy (argv + nh, devices, nd * sizeof *argv);
  argv[nh + nd] = last;
  return btrfs_run (subject, argv, NULL, NULL, 0);
}

/* The longest command line built here: "btrfs", the action's words
 * and options, the path. */
#define MAX_BTRFS_ARGS 16

int
btrfs_run_on (const char *path, const char *const *args, char **out,
              const char *if_text, int errnum_if)
{
  CLEANUP_FREE char *host = btrfs_host_path (path);
  if (host == NULL)
    return -1;
  const char *argv[MAX_BTRFS_ARGS + 3] = {"btrfs"};
  size_t n = 1;
  for (; args[n - 1] && n <= MAX_BTRFS_ARGS; ++n)
    argv[n] = args[n - 1];
  argv[n++] = host;
  argv[n] = NULL;
  return btrfs_run (path, argv, out, if_text, errnum_if);
}

int
with_btrfs_fs (const char *fs, bool writable, btrfs_dir_fn fn, void *opaque)
{
  bool is_mountable =
      strncmp (fs, "/dev/", 5) == 0 || strncmp (fs, "btrfsvol:", 9) == 0;
  if (!is_mountable) {
    if (check_pathname ("fs", fs) == -1)
      return -1;
    CLEANUP_FREE char *dir = btrfs_host_path (fs);
    return dir ? fn (dir, opaque) : -1;
  }
  CLEANUP_FREE char *mountable = strdup (fs);
  CLEANUP_FREE char *dev = NULL, *subvol = NULL;
  if (mountable == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  if (resolve_mountable ("fs", &mountable) == -1 ||
      split_mountable (mountable, &dev, &subvol) == -1)
    return -1;
  /* The top of the filesystem, whatever its default subvolume. */
  char *dir =
      scratch_mount (dev, "btrfs", writable ? "subvolid=5" : "ro,subvolid=5");
  if (dir == NULL)
    return -1;
  int r = fn (dir, opaque);
  release_scratch_mount (dir);
  return r;
}

/* "ID 256 gen 7 top level 5 path a/b" */
struct subvol_line {
  uint64_t id, top_level;
  const char *path;
};

static bool
parse_subvol_line (const char *line, struct subvol_line *s)
{
  int off = 0;
  unsigned long long id, gen, top;
  if (sscanf (line, "ID %llu gen %llu top level %llu path %n", &id, &gen, &top,
              &off) != 3 ||
      off == 0)
    return false;
  *s = (struct subvol_line){.id = id, .top_level = top, .path = line + off};
  return true;
}

/* The output of "btrfs subvolume list" for the mounted directory dir,
 * one line per subvolume (malloc'd lines in a string list). */
static char **
subvolume_lines (const char *dir)
{
  const char *argv[] = {"btrfs", "subvolume", "list", "--", dir, NULL};
  CLEANUP_FREE char *out = NULL;
  if (run_or_reply (dir, argv, &out) == -1)
    return NULL;
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save)) {
    struct subvol_line s;
    if (parse_subvol_line (l, &s) && add_string (&sb, l) == -1) {
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  return take_strings (&sb);
}

static int
subvolume_lines_fn (const char *dir, void *linesp)
{
  *(char ***)linesp = subvolume_lines (dir);
  return *(char ***)linesp ? 0 : -1;
}

/* The subvolume lines of fs: a guest directory or a mountable. */
static char **
subvolumes_of (const char *fs)
{
  char **lines = NULL;
  if (with_btrfs_fs (fs, false, subvolume_lines_fn, &lines) == -1)
    return NULL;
  return lines;
}

/* For list_filesystems, where a damaged btrfs is no reason to fail:
 * everything here is quiet. */
char **
list_btrfs_subvolume_paths (const char *dev)
{
  char *dir = strdup ("/tmp/guestfsd-mnt.XXXXXX");
  if (dir == NULL || mkdtemp (dir) == NULL) {
    free (dir);
    return NULL;
  }
  struct stringsbuf sb = {0};
  char *out = NULL;
  bool ok = false;
  if (mount (dev, dir, "btrfs", MS_RDONLY, "subvolid=5") == -1) {
    rmdir (dir);
    free (dir);
    return NULL;
  }
  const char *argv[] = {"btrfs", "subvolume", "list", "--", dir, NULL};
  if (run_capture (argv, &out, NULL) == 0) {
    ok = true;
    char *save = NULL;
    for (char *l = strtok_r (out, "\n", &save); l && ok;
         l = strtok_r (NULL, "\n", &save)) {
      struct subvol_line sv;
      if (parse_subvol_line (l, &sv))
        ok = add_string (&sb, sv.path) == 0;
    }
  }
  free (out);
  release_scratch_mount (dir);
  if (!ok) {
    free_stringsbuf (&sb);
    return NULL;
  }
  return take_strings (&sb);
}

guestfs_int_btrfssubvolume_list *
do_btrfs_subvolume_list (const char *fs)
{
  char **lines = subvolumes_of (fs);
  if (lines == NULL)
    return NULL;
  size_t n = count_strings (lines);
  guestfs_int_btrfssubvolume_list *r = calloc (1, sizeof *r);
  guestfs_int_btrfssubvolume *v = calloc (n ? n : 1, sizeof *v);
  if (r == NULL || v == NULL) {
    reply_with_perror ("calloc");
    goto fail;
  }
  r->guestfs_int_btrfssubvolume_list_val = v;
  for (size_t i = 0; i < n; ++i) {
    struct subvol_line s;
    parse_subvol_line (lines[i], &s); /* kept only if it parsed */
    v[i].btrfssubvolume_id = s.id;
    v[i].btrfssubvolume_top_level_id = s.top_level;
    v[i].btrfssubvolume_path = strdup (s.path);
    r->guestfs_int_btrfssubvolume_list_len = i + 1;
    if (v[i].btrfssubvolume_path == NULL) {
      reply_with_perror ("strdup");
      xdr_free ((xdrproc_t)xdr_guestfs_int_btrfssubvolume_list, (char *)r);
      v = NULL;
      goto fail;
    }
  }
  free_strings (lines);
  return r;

fail:
  free (v);
  free (r);
  free_strings (lines);
  return NULL;
}

/* "btrfs subvolume create|snapshot [-r] [-i QGROUP] [SOURCE] DEST" */
static int
make_subvolume (const char *source, const char *dest, bool ro,
                const char *qgroupid)
{
  CLEANUP_FREE char *src = source ? btrfs_host_path (source) : NULL;
  if (source && src == NULL)
    return -1;
  CLEANUP_FREE char *path = btrfs_new_host_path (dest);
  if (path == NULL)
    return -1;
  const char *argv[10] = {"btrfs", "subvolume", source ? "snapshot" : "create"};
  size_t n = 3;
  if (ro)
    argv[n++] = "-r";
  if (qgroupid) {
    argv[n++] = "-i";
    argv[n++] = qgroupid;
  }
  argv[n++] = "--";
  if (src)
    argv[n++] = src;
  argv[n++] = path;
  argv[n] = NULL;
  return btrfs_run (dest, argv, NULL, NULL, 0);
}

int
do_btrfs_subvolume_create (const char *dest, const char *qgroupid)
{
  return make_subvolume (NULL, dest, false, OPTARG_SET (0) ? qgroupid : NULL);
}

int
do_btrfs_subvolume_snapshot (const char *source, const char *dest, int ro,
                             const char *qgroupid)
{
  return make_subvolume (source, dest, OPTARG_SET (0) && ro,
                         OPTARG_SET (1) ? qgroupid : NULL);
}

int
do_btrfs_subvolume_delete (const char *subvolume)
{
  CLEANUP_FREE char *path = btrfs_new_host_path (subvolume);
  if (path == NULL)
    return -1;
  const char *argv[] = {"btrfs", "subvolume", "delete", "--", path, NULL};
  return btrfs_run (subvolume, argv, NULL, "Not a Btrfs subvolume", EINVAL);
}

int
do_btrfs_subvolume_set_default (int64_t id, const char *fs)
{
  if (id < 0) {
    reply_with_error_errno (EINVAL, "id: %" PRIi64 " is negative", id);
    return -1;
  }
  char ids[24];
  snprintf (ids, sizeof ids, "%" PRIi64, id);
  const char *args[] = {"subvolume", "set-default", "--", ids, NULL};
  return btrfs_run_on (fs, args, NULL, "No such file", ENOENT);
}

/* "ID 5 (FS_TREE)" or "ID 256 gen 7 top level 5 path a" */
static int
get_default_fn (const char *dir, void *idp)
{
  /* No "--": this command takes no options, and dir is absolute. */
  const char *argv[] = {"btrfs", "subvolume", "get-default", dir, NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run (dir, argv, &out, NULL, 0) == -1)
    return -1;
  unsigned long long id;
  if (sscanf (out, "ID %llu", &id) != 1 || id > INT64_MAX) {
    reply_with_error_errno (EIO,
                            "unexpected output of btrfs subvolume "
                            "get-default: %.80s",
                            out);
    return -1;
  }
  *(int64_t *)idp = id;
  return 0;
}

int64_t
do_btrfs_subvolume_get_default (const char *fs)
{
  int64_t id = -1;
  if (with_btrfs_fs (fs, false, get_default_fn, &id) == -1)
    return -1;
  return id;
}

/* ---- btrfs subvolume show ----
 *
 *   a                                    (path from the top)
 *           Name:                   a
 *           UUID:                   e7369c4f-...
 *           Parent UUID:            -
 *           ...
 *           Snapshot(s):
 *                                   snap
 *                                   dir/snap2
 *
 * becomes path, a, Name, a, UUID, ..., Parent UUID, "", Snapshot(s),
 * "snap,dir/snap2".  Nothing but strings goes back to the library. */

/* Add key and value ("-" becoming "") to sb; 0 or -1 (ENOMEM). */
static int
add_pair (struct stringsbuf *sb, const char *key, const char *value)
{
  if (strcmp (value, "-") == 0)
    value = "";
  return add_string (sb, key) == -1 || add_string (sb, value) == -1 ? -1 : 0;
}

/* The indented lines after "Snapshot(s):", joined with commas; *i is
 * left on the first line that is not one of them. */
static char *
join_snapshots (char **lines, size_t *i)
{
  char *joined = strdup ("");
  for (; joined && lines[*i] && !strchr (lines[*i], ':'); ++*i) {
    const char *name = lines[*i] + strspn (lines[*i], " \t");
    if (*name == '\0')
      continue;
    char *more;
    if (asprintf (&more, "%s%s%s", joined, *joined ? "," : "", name) == -1)
      more = NULL;
    free (joined);
    joined = more;
  }
  return joined;
}

/* Reply on error (add_string replies for itself). */
static char **
parse_subvolume_show (char *out)
{
  struct stringsbuf sb = {0}, lb = {0};
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save))
    if (add_string (&lb, l) == -1)
      goto fail;
  lines = take_strings (&lb);
  if (lines == NULL)
    goto fail;
  if (lines[0] == NULL) {
    reply_with_error_errno (EIO, "btrfs subvolume show printed nothing");
    goto fail;
  }
  if (add_pair (&sb, "path", lines[0]) == -1)
    goto fail;
  for (size_t i = 1; lines[i];) {
    char *key = lines[i] + strspn (lines[i], " \t");
    char *colon = strchr (key, ':');
    ++i;
    if (colon == NULL)
      continue;
    *colon = '\0';
    const char *value = colon + 1 + strspn (colon + 1, " \t");
    CLEANUP_FREE char *snaps = NULL;
    if (strcmp (key, "Snapshot(s)") == 0) {
      value = snaps = join_snapshots (lines, &i);
      if (snaps == NULL) {
        reply_with_perror ("asprintf");
        goto fail;
      }
    }
    if (add_pair (&sb, key, value) == -1)
      goto fail;
  }
  return take_strings (&sb);

fail:
  free_stringsbuf (&lb);
  free_stringsbuf (&sb);
  return NULL;
}

char **
do_btrfs_subvolume_show (const char *subvolume)
{
  const char *args[] = {"subvolume", "show", "--", NULL};
  CLEANUP_FREE char *out = NULL;
  if (btrfs_run_on (subvolume, args, &out, "Not a Btrfs subvolume", EINVAL) ==
      -1)
    return NULL;
  return parse_subvolume_show (out);
}
