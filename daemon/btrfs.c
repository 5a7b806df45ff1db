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
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

/* The btrfs tool writes through host paths: on the host (tests) that
 * is not worth the risk, and no btrfs is there to be had anyway. */
static int
refuse_on_host (const char *path)
{
  if (!host_mode)
    return 0;
  reply_with_error_errno (EPERM,
                          "%s: btrfs is not available when guestfsd "
                          "runs on the host",
                          path);
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

/* The host path of a new or existing name: its parent directory
 * resolved, the last component appended as it is. */
static char *
resolve_entry (const char *path)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *proc = sysroot_fd_path (dirfd);
  char *dir = proc ? realpath (proc, NULL) : NULL;
  char *r = NULL;
  if (dir == NULL || asprintf (&r, "%s/%s", dir, base) == -1) {
    reply_with_perror ("%s", path);
    r = NULL;
  }
  free (proc);
  free (dir);
  free (base);
  close (dirfd);
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
subvolume_lines (const char *subject, const char *dir)
{
  const char *argv[] = {"btrfs", "subvolume", "list", "--", dir, NULL};
  char *out = NULL;
  if (run_or_reply (subject, argv, &out) == -1)
    return NULL;
  struct stringsbuf sb = {0};
  char *save = NULL;
  for (char *l = strtok_r (out, "\n", &save); l;
       l = strtok_r (NULL, "\n", &save)) {
    struct subvol_line s;
    if (!parse_subvol_line (l, &s))
      continue;
    if (add_string (&sb, l) == -1) {
      free (out);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  free (out);
  return take_strings (&sb);
}

static char **list_btrfs_subvolume_lines (const char *dev);

/* The subvolume lines of fs: a guest directory or a mountable. */
static char **
subvolumes_of (const char *fs)
{
  bool is_mountable =
      strncmp (fs, "/dev/", 5) == 0 || strncmp (fs, "btrfsvol:", 9) == 0;
  if (!is_mountable) {
    if (check_pathname ("fs", fs) == -1 || refuse_on_host (fs) == -1)
      return NULL;
    char *dir = resolve_dir (fs);
    if (dir == NULL)
      return NULL;
    char **r = subvolume_lines (fs, dir);
    free (dir);
    return r;
  }
  char *mountable = strdup (fs), *dev, *subvol;
  if (mountable == NULL) {
    reply_with_perror ("strdup");
    return NULL;
  }
  if (resolve_mountable ("fs", &mountable) == -1 ||
      split_mountable (mountable, &dev, &subvol) == -1) {
    free (mountable);
    return NULL;
  }
  free (mountable);
  free (subvol);
  char **r = list_btrfs_subvolume_lines (dev);
  free (dev);
  return r;
}

static char **
list_btrfs_subvolume_lines (const char *dev)
{
  /* The top of the filesystem, whatever its default subvolume. */
  char *dir = scratch_mount (dev, "btrfs", "ro,subvolid=5");
  if (dir == NULL)
    return NULL;
  char **r = subvolume_lines (dev, dir);
  release_scratch_mount (dir);
  return r;
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

int
do_btrfs_subvolume_create (const char *dest, const char *qgroupid)
{
  if (refuse_on_host (dest) == -1)
    return -1;
  char *path = resolve_entry (dest);
  if (path == NULL)
    return -1;
  const char *argv[8] = {"btrfs", "subvolume", "create"};
  size_t n = 3;
  if (OPTARG_SET (0) && qgroupid) {
    argv[n++] = "-i";
    argv[n++] = qgroupid;
  }
  argv[n++] = "--";
  argv[n++] = path;
  argv[n] = NULL;
  int r = run_or_reply (dest, argv, NULL);
  free (path);
  return r;
}

int
do_btrfs_subvolume_delete (const char *subvolume)
{
  if (refuse_on_host (subvolume) == -1)
    return -1;
  char *path = resolve_entry (subvolume);
  if (path == NULL)
    return -1;
  const char *argv[] = {"btrfs", "subvolume", "delete", "--", path, NULL};
  int r = run_or_reply (subvolume, argv, NULL);
  free (path);
  return r;
}
