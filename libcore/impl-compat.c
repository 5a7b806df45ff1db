/* Library-side conveniences of libguestfs, built from daemon calls:
 * device and mountable names, stat in seconds, file size, recursive
 * copies in and out, and a few LUKS and LVM helpers.  Programs written
 * for libguestfs (virt-df, virt-filesystems, virt-copy-out, ...) call
 * them first. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "fileutil.h"
#include "qemu.h"

/* ---- Names ---- */

/* The device-mapper name of /dev/VG/LV: "-" in either part doubled. */
static char *
mapper_name (guestfs_h *g, const char *vg, const char *lv)
{
  size_t n = strlen (vg) + strlen (lv);
  char *r = safe_malloc (g, sizeof "/dev/mapper/" + 2 * n + 1), *q = r;
  q += sprintf (q, "/dev/mapper/");
  for (const char *p = vg; *p; ++p)
    q += sprintf (q, *p == '-' ? "--" : "%c", *p);
  *q++ = '-';
  for (const char *p = lv; *p; ++p)
    q += sprintf (q, *p == '-' ? "--" : "%c", *p);
  *q = '\0';
  return r;
}

char *
guestfs_impl_lvm_canonical_lv_name (guestfs_h *g, const char *lvname)
{
  CLEANUP_FREE_STRING_LIST char **lvs = guestfs_lvs (g);
  if (lvs == NULL)
    return NULL;
  for (char **p = lvs; *p; ++p) {
    /* lvs gives /dev/VG/LV. */
    if (strcmp (*p, lvname) == 0)
      return safe_strdup (g, *p);
    const char *vg = *p + 5, *slash = strchr (vg, '/');
    if (strncmp (*p, "/dev/", 5) != 0 || slash == NULL)
      continue;
    CLEANUP_FREE char *vgname = safe_asprintf (g, "%.*s", (int) (slash - vg),
                                               vg);
    CLEANUP_FREE char *mapper = mapper_name (g, vgname, slash + 1);
    if (strcmp (mapper, lvname) == 0)
      return safe_strdup (g, *p);
  }
  guestfs_int_error_errno (g, EINVAL, "lvm_canonical_lv_name: %s: not a "
                           "logical volume", lvname);
  return NULL;
}

char *
guestfs_impl_canonical_device_name (guestfs_h *g, const char *device)
{
  if ((strncmp (device, "/dev/vd", 7) == 0 ||
       strncmp (device, "/dev/hd", 7) == 0) && device[7]) {
    char *r = safe_strdup (g, device);
    r[5] = 's';
    return r;
  }
  if (strncmp (device, "/dev/mapper/", 12) == 0) {
    /* Not a logical volume (a LUKS mapping, say): unchanged. */
    guestfs_push_error_handler (g, NULL, NULL);
    char *r = guestfs_lvm_canonical_lv_name (g, device);
    guestfs_pop_error_handler (g);
    if (r)
      return r;
  }
  return safe_strdup (g, device);
}

/* "btrfsvol:DEVICE/SUBVOLUME": DEVICE is /dev/NAME, SUBVOLUME the rest. */
static bool
split_btrfsvol (const char *m, const char **dev, size_t *devlen,
                const char **subvol)
{
  if (strncmp (m, "btrfsvol:/dev/", 14) != 0)
    return false;
  const char *slash = strchr (m + 14, '/');
  if (slash == NULL || slash[1] == '\0')
    return false;
  *dev = m + 9;
  *devlen = (size_t) (slash - *dev);
  *subvol = slash + 1;
  return true;
}

char *
guestfs_impl_mountable_device (guestfs_h *g, const char *mountable)
{
  const char *dev, *subvol;
  size_t devlen;
  if (split_btrfsvol (mountable, &dev, &devlen, &subvol))
    return safe_asprintf (g, "%.*s", (int) devlen, dev);
  return safe_strdup (g, mountable);
}

char *
guestfs_impl_mountable_subvolume (guestfs_h *g, const char *mountable)
{
  const char *dev, *subvol;
  size_t devlen;
  if (!split_btrfsvol (mountable, &dev, &devlen, &subvol)) {
    guestfs_int_error_errno (g, EINVAL, "mountable_subvolume: %s: not a "
                             "btrfs subvolume", mountable);
    return NULL;
  }
  return safe_strdup (g, subvol);
}

/* ---- Status ---- */

static void
stat_from_statns (struct guestfs_stat *st, const struct guestfs_statns *ns)
{
  st->dev = ns->st_dev;
  st->ino = ns->st_ino;
  st->mode = ns->st_mode;
  st->nlink = ns->st_nlink;
  st->uid = ns->st_uid;
  st->gid = ns->st_gid;
  st->rdev = ns->st_rdev;
  st->size = ns->st_size;
  st->blksize = ns->st_blksize;
  st->blocks = ns->st_blocks;
  st->atime = ns->st_atime_sec;
  st->mtime = ns->st_mtime_sec;
  st->ctime = ns->st_ctime_sec;
}

static struct guestfs_stat *
stat_of (guestfs_h *g, struct guestfs_statns *ns)
{
  if (ns == NULL)
    return NULL;
  struct guestfs_stat *st = safe_malloc (g, sizeof *st);
  stat_from_statns (st, ns);
  guestfs_free_statns (ns);
  return st;
}

struct guestfs_stat *
guestfs_impl_stat (guestfs_h *g, const char *path)
{
  return stat_of (g, guestfs_statns (g, path));
}

struct guestfs_stat *
guestfs_impl_lstat (guestfs_h *g, const char *path)
{
  return stat_of (g, guestfs_lstatns (g, path));
}

struct guestfs_stat_list *
guestfs_impl_lstatlist (guestfs_h *g, const char *path, char *const *names)
{
  struct guestfs_statns_list *ns = guestfs_lstatnslist (g, path, names);
  if (ns == NULL)
    return NULL;
  struct guestfs_stat_list *r = safe_malloc (g, sizeof *r);
  r->len = ns->len;
  r->val = safe_calloc (g, ns->len ? ns->len : 1, sizeof *r->val);
  for (uint32_t i = 0; i < ns->len; ++i)
    stat_from_statns (&r->val[i], &ns->val[i]);
  guestfs_free_statns_list (ns);
  return r;
}

int64_t
guestfs_impl_filesize (guestfs_h *g, const char *file)
{
  struct guestfs_statns *ns = guestfs_statns (g, file);
  if (ns == NULL)
    return -1;
  int64_t size = ns->st_size;
  guestfs_free_statns (ns);
  return size;
}

/* ---- Recursive copies: host tar on one end of a pipe ---- */

/* Runs tar with argv[1..] in dir, its stdin (to_tar) or stdout (the
 * other way) on the pipe end fd.  Returns the pid, or -1. */
static pid_t
spawn_tar (guestfs_h *g, char *const argv[], int fd, bool to_tar)
{
  CLEANUP_FREE char *prog = find_program ("tar");
  if (prog == NULL) {
    perrorf (g, "tar");
    return -1;
  }
  pid_t pid = fork ();
  if (pid == -1) {
    perrorf (g, "fork");
    return -1;
  }
  if (pid == 0) {
    /* Only async-signal-safe calls from here to exec. */
    if (dup2 (fd, to_tar ? 0 : 1) == -1)
      _exit (126);
    if (close_range (3, ~0U, 0) == -1)
      for (int i = 3; i < 1024; ++i)
        close (i);
    execv (prog, argv);
    _exit (127);
  }
  return pid;
}

static int
wait_tar (guestfs_h *g, const char *fn, pid_t pid)
{
  int status;
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR) {
      perrorf (g, "%s: waitpid", fn);
      return -1;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    guestfs_int_error_errno (g, EIO, "%s: tar on the host failed (status "
                             "%d)", fn, status);
    return -1;
  }
  return 0;
}

/* The library's end of the pipe, as a file name for tar_in/tar_out. */
typedef int (*pipe_call) (guestfs_h *g, const char *pipe_path,
                          const char *guest_dir);

static int
tar_in_from (guestfs_h *g, const char *pipe_path, const char *guest_dir)
{
  return guestfs_tar_in (g, pipe_path, guest_dir);
}

static int
tar_out_to (guestfs_h *g, const char *pipe_path, const char *guest_dir)
{
  return guestfs_tar_out (g, guest_dir, pipe_path);
}

/* Host tar (argv) on one end of a pipe, call on the other: tar reads
 * what the call writes (to_tar), or the other way round. */
static int
through_tar (guestfs_h *g, const char *fn, char *const argv[], bool to_tar,
             pipe_call call, const char *guest_dir)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) == -1) {
    perrorf (g, "%s: pipe", fn);
    return -1;
  }
  int tar_end = to_tar ? p[0] : p[1], our_end = to_tar ? p[1] : p[0];
  pid_t pid = spawn_tar (g, argv, tar_end, to_tar);
  close (tar_end);
  if (pid == -1) {
    close (our_end);
    return -1;
  }
  CLEANUP_FREE char *path = safe_asprintf (g, "/dev/fd/%d", our_end);
  int r = call (g, path, guest_dir);
  close (our_end);
  if (wait_tar (g, fn, pid) == -1)
    r = -1;
  return r;
}

int
guestfs_impl_copy_in (guestfs_h *g, const char *localpath,
                      const char *remotedir)
{
  const char *fn = "copy_in";
  if (access (localpath, R_OK) == -1) {
    perrorf (g, "%s: %s", fn, localpath);
    return -1;
  }
  int isdir = guestfs_is_dir (g, remotedir);
  if (isdir <= 0) {
    if (isdir == 0)
      guestfs_int_error_errno (g, ENOTDIR, "%s: %s: not a directory", fn,
                               remotedir);
    return -1;
  }
  CLEANUP_FREE char *dcopy = safe_strdup (g, localpath);
  CLEANUP_FREE char *bcopy = safe_strdup (g, localpath);
  char *argv[] = { (char *) "tar", (char *) "-C", dirname (dcopy),
                   (char *) "-cf", (char *) "-", (char *) "--",
                   basename (bcopy), NULL };
  return through_tar (g, fn, argv, false, tar_in_from, remotedir);
}

int
guestfs_impl_copy_out (guestfs_h *g, const char *remotepath,
                       const char *localdir)
{
  const char *fn = "copy_out";
  struct stat st;
  if (stat (localdir, &st) == -1 || !S_ISDIR (st.st_mode)) {
    guestfs_int_error_errno (g, ENOTDIR, "%s: %s: not a directory", fn,
                             localdir);
    return -1;
  }
  CLEANUP_FREE char *bcopy = safe_strdup (g, remotepath);
  const char *base = strcmp (remotepath, "/") == 0 ? "." : basename (bcopy);
  CLEANUP_FREE char *dest = safe_asprintf (g, "%s/%s", localdir, base);
  int isfile = guestfs_is_file (g, remotepath);
  if (isfile == -1)
    return -1;
  if (isfile)
    return guestfs_download (g, remotepath, dest);
  if (mkdir (dest, 0777) == -1 && errno != EEXIST) {
    perrorf (g, "%s: %s", fn, dest);
    return -1;
  }
  char *argv[] = { (char *) "tar", (char *) "-C", dest, (char *) "-xf",
                   (char *) "-", NULL };
  return through_tar (g, fn, argv, true, tar_out_to, remotepath);
}

/* ---- LUKS and LVM ---- */

char *
guestfs_impl_luks_uuid (guestfs_h *g, const char *device)
{
  /* blkid reads the UUID of the LUKS header like any other. */
  return guestfs_vfs_uuid (g, device);
}

int
guestfs_impl_lvm_scan (guestfs_h *g, int activate)
{
  return activate ? guestfs_vg_activate_all (g, 1) : 0;
}
