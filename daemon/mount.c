/* Mounting guest filesystems under the sysroot, and unmounting them.
 *
 * Filesystems are mounted with mount(2) directly rather than mount(8):
 * the kernel's own errno reaches the caller (EINVAL for a filesystem
 * of another type, EBUSY, ENOENT, ...), there is no program to start
 * (slow under emulation), and the mount point is a descriptor resolved
 * inside the guest's root (/proc/self/fd/N), so a symbolic link in the
 * guest cannot aim a mount at the appliance's own directories.  The
 * type, when not given, comes from libblkid.  Options are split into
 * the generic flags mount(2) takes and the filesystem's own data, as
 * mount(8) does.  Without options the kernel's defaults apply
 * (read-write, suid, dev, exec, relatime).
 *
 * NTFS is mounted with the kernel's ntfs3 driver when the kernel has
 * one; otherwise with ntfs-3g (FUSE), as mount(8) would.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "daemon-actions.h"
#include "storage.h"

/* ---- /proc/self/mountinfo ---- */

/* Undo the octal escapes (\040 for a space, ...) of mountinfo. */
static void
unescape (char *s)
{
  char *o = s;
  for (; *s; ++s) {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
        s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 3;
    } else
      *o++ = *s;
  }
  *o = '\0';
}

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE
 * SOURCE SUPEROPTIONS" */
static int
parse_mountinfo_line (char *line, struct mount_entry *e)
{
  char *save = NULL, *f[6], *t;
  size_t n = 0;
  for (char *p = line; n < 6 && (t = strtok_r (p, " \n", &save)); p = NULL)
    f[n++] = t;
  if (n < 6)
    return -1;
  while ((t = strtok_r (NULL, " \n", &save)) && strcmp (t, "-") != 0)
    ;
  char *type = t ? strtok_r (NULL, " \n", &save) : NULL;
  char *source = type ? strtok_r (NULL, " \n", &save) : NULL;
  if (source == NULL)
    return -1;
  unescape (f[3]);
  unescape (f[4]);
  unescape (source);
  *e = (struct mount_entry){.root = strdup (f[3]),
                            .mountpoint = strdup (f[4]),
                            .fstype = strdup (type),
                            .source = strdup (source)};
  return 0;
}

static bool
under_sysroot (const char *path)
{
  if (sysroot_len == 0)
    return true;
  return strncmp (path, sysroot, sysroot_len) == 0 &&
         (path[sysroot_len] == '\0' || path[sysroot_len] == '/');
}

static void
free_entry_fields (struct mount_entry *e)
{
  free (e->source);
  free (e->mountpoint);
  free (e->fstype);
  free (e->root);
}

void
free_mount_entries (struct mount_entry *m, size_t n)
{
  for (size_t i = 0; m && i < n; ++i)
    free_entry_fields (&m[i]);
  free (m);
}

struct mount_entry *
list_sysroot_mounts (size_t *n_r)
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  if (f == NULL) {
    reply_with_perror ("/proc/self/mountinfo");
    return NULL;
  }
  struct mount_entry *m = NULL;
  size_t n = 0, alloc = 0;
  char *line = NULL;
  size_t len = 0;
  while (getline (&line, &len, f) > 0) {
    struct mount_entry e;
    if (parse_mountinfo_line (line, &e) == -1)
      continue;
    if (!e.mountpoint || !under_sysroot (e.mountpoint) ||
        (sysroot_len == 0 && strcmp (e.mountpoint, "/") == 0)) {
      free_entry_fields (&e);
      continue;
    }
    if (n == alloc) {
      alloc = alloc ? alloc * 2 : 8;
      struct mount_entry *p = realloc (m, alloc * sizeof *m);
      if (p == NULL) {
        free_entry_fields (&e);
        goto nomem;
      }
      m = p;
    }
    m[n++] = e;
    if (!e.source || !e.fstype || !e.root)
      goto nomem;
  }
  free (line);
  fclose (f);
  *n_r = n;
  /* Never NULL on success, even with nothing mounted. */
  return m ? m : calloc (1, sizeof *m);

nomem:
  reply_with_perror ("malloc");
  free (line);
  fclose (f);
  free_mount_entries (m, n);
  return NULL;
}

/* ---- Mount options ---- */

struct flag_option {
  const char *name;
  unsigned long flag;
  bool clear; /* the option turns the flag off */
};

static const struct flag_option flag_options[] = {
    {"ro", MS_RDONLY, false},
    {"rw", MS_RDONLY, true},
    {"nosuid", MS_NOSUID, false},
    {"suid", MS_NOSUID, true},
    {"nodev", MS_NODEV, false},
    {"dev", MS_NODEV, true},
    {"noexec", MS_NOEXEC, false},
    {"exec", MS_NOEXEC, true},
    {"sync", MS_SYNCHRONOUS, false},
    {"async", MS_SYNCHRONOUS, true},
    {"dirsync", MS_DIRSYNC, false},
    {"noatime", MS_NOATIME, false},
    {"atime", MS_NOATIME, true},
    {"nodiratime", MS_NODIRATIME, false},
    {"diratime", MS_NODIRATIME, true},
    {"relatime", MS_RELATIME, false},
    {"norelatime", MS_RELATIME, true},
    {"strictatime", MS_STRICTATIME, false},
    {"lazytime", MS_LAZYTIME, false},
    {"nolazytime", MS_LAZYTIME, true},
    {"silent", MS_SILENT, false},
    {"loud", MS_SILENT, true},
    {"defaults", 0, false},
};

/* Options that would change what is mounted rather than how: a bind or
 * move mount could graft an appliance directory into the guest. */
static bool
is_forbidden_option (const char *o)
{
  static const char *const forbidden[] = {"bind", "rbind", "move", "remount",
                                          "loop"};
  for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; ++i)
    if (strcmp (o, forbidden[i]) == 0)
      return true;
  return false;
}

/* Split options into mount flags and the filesystem's data (a malloc'd
 * string, comma-separated).  Replies on error. */
static int
parse_options (const char *options, unsigned long *flags, char **data)
{
  *flags = 0;
  char *copy = strdup (options), *d = calloc (1, strlen (options) + 1);
  if (copy == NULL || d == NULL) {
    reply_with_perror ("malloc");
    free (copy);
    free (d);
    return -1;
  }
  char *save = NULL;
  for (char *o = strtok_r (copy, ",", &save); o;
       o = strtok_r (NULL, ",", &save)) {
    if (is_forbidden_option (o)) {
      reply_with_error_errno (EINVAL, "options: \"%s\" is not allowed", o);
      free (copy);
      free (d);
      return -1;
    }
    const struct flag_option *f = NULL;
    for (size_t i = 0; i < sizeof flag_options / sizeof flag_options[0]; ++i)
      if (strcmp (o, flag_options[i].name) == 0)
        f = &flag_options[i];
    if (f && f->clear)
      *flags &= ~f->flag;
    else if (f)
      *flags |= f->flag;
    else {
      if (*d)
        strcat (d, ",");
      strcat (d, o);
    }
  }
  free (copy);
  *data = d;
  return 0;
}

/* ---- Mounting ---- */

static bool
kernel_has_filesystem (const char *fstype)
{
  FILE *f = fopen ("/proc/filesystems", "r");
  bool found = false;
  char *line = NULL;
  size_t n = 0;
  while (f && !found && getline (&line, &n, f) > 0) {
    char *name = strrchr (line, '\t');
    name = name ? name + 1 : line;
    name[strcspn (name, "\n")] = '\0';
    found = strcmp (name, fstype) == 0;
  }
  free (line);
  if (f)
    fclose (f);
  return found;
}

/* Is the kernel's ntfs3 driver there, loaded or as a module?  (Not in
 * Debian 12's kernel, for one.)  The answer cannot change: asked once. */
static bool
have_ntfs3 (void)
{
  static int known = -1;
  if (known == -1) {
    /* Not loaded yet: mount(2) would load it through request_module. */
    const char *argv[] = {"modprobe", "-q", "-n", "ntfs3", NULL};
    known =
        kernel_has_filesystem ("ntfs3") || run_capture (argv, NULL, NULL) == 0;
  }
  return known;
}

/* The host path a descriptor stands for ("/sysroot/boot"), for the
 * programs that need a path (ntfs-3g).  malloc'd or NULL. */
static char *
fd_to_path (const char *target)
{
  return realpath (target, NULL);
}

static int
mount_fuse_ntfs (const char *subject, const char *dev, const char *options,
                 const char *target)
{
  char *dir = fd_to_path (target);
  if (dir == NULL) {
    reply_with_perror ("%s", target);
    return -1;
  }
  const char *argv[8] = {"ntfs-3g"};
  size_t n = 1;
  if (*options) {
    argv[n++] = "-o";
    argv[n++] = options;
  }
  argv[n++] = dev;
  argv[n++] = dir;
  argv[n] = NULL;
  int r = run_or_reply (subject, argv, NULL);
  free (dir);
  return r;
}

static bool
device_is_readonly (const char *dev)
{
  int fd = open (dev, O_RDONLY | O_CLOEXEC);
  int ro = 0;
  if (fd >= 0) {
    if (ioctl (fd, BLKROGET, &ro) == -1)
      ro = 0;
    close (fd);
  }
  return ro != 0;
}

static void
reply_mount_error (int err, const char *subject, const char *fstype)
{
  if (err == EINVAL)
    reply_with_error_errno (EINVAL,
                            "%s: cannot mount it as %s: wrong "
                            "filesystem type, bad option or damaged "
                            "filesystem",
                            subject, fstype);
  else if (err == ENODEV)
    reply_with_error_errno (ENODEV,
                            "%s: the kernel does not support "
                            "filesystem type \"%s\"",
                            subject, fstype);
  else
    reply_with_error_errno (err, "%s: mounting as %s: %s", subject, fstype,
                            strerror (err));
}

/* The option that mounts a filesystem without replaying its journal. */
static const char *
skip_journal_option (const char *fstype)
{
  if (strcmp (fstype, "ext3") == 0 || strcmp (fstype, "ext4") == 0)
    return "noload";
  if (strcmp (fstype, "xfs") == 0)
    return "norecovery";
  if (strcmp (fstype, "btrfs") == 0)
    return "rescue=nologreplay";
  return NULL;
}

/* A read-only drive cannot replay a journal, so the filesystem of a
 * guest that is running or crashed would not mount at all: mount it
 * without the replay, which shows its last consistent state. */
static int
mount_skipping_journal (const char *dev, const char *target,
                        const char *fstype, unsigned long flags,
                        const char *data)
{
  const char *opt = skip_journal_option (fstype);
  char *with = NULL;
  if (opt == NULL || asprintf (&with, "%s%s%s", data, *data ? "," : "",
                               opt) == -1)
    return -1;
  debug ("%s needs journal recovery: mounting it with %s", dev, opt);
  int r = mount (dev, target, fstype, flags | MS_RDONLY, with);
  free (with);
  return r;
}

/* mount(2), and if a writable mount of a read-only drive is refused,
 * read-only as mount(8) would. */
static int
mount_syscall (const char *dev, const char *target, const char *fstype,
               unsigned long flags, const char *data)
{
  if (mount (dev, target, fstype, flags, *data ? data : NULL) == 0)
    return 0;
  int err = errno;
  if (!device_is_readonly (dev)) {
    errno = err;
    return -1;
  }
  if ((err == EROFS || err == EACCES) && !(flags & MS_RDONLY)) {
    debug ("%s is read-only: mounting it read-only", dev);
    if (mount (dev, target, fstype, flags | MS_RDONLY, *data ? data : NULL) ==
        0)
      return 0;
    err = errno;
  }
  if (mount_skipping_journal (dev, target, fstype, flags, data) == 0)
    return 0;
  errno = err;
  return -1;
}

static int
check_vfstype (const char *fstype)
{
  size_t len = strlen (fstype);
  if (len == 0 || len > 64 || fstype[0] == '-' ||
      strspn (fstype, "abcdefghijklmnopqrstuvwxyz0123456789._-") != len) {
    reply_with_error_errno (EINVAL, "vfstype: \"%s\": not a filesystem type",
                            fstype);
    return -1;
  }
  return 0;
}

int
mount_device_at (const char *subject, const char *dev, const char *fstype,
                 const char *options, const char *target)
{
  char *detected = NULL;
  if (fstype == NULL) {
    detected = probe_tag (dev, "TYPE");
    if (detected == NULL)
      return -1;
    if (*detected == '\0') {
      reply_with_error_errno (EINVAL, "%s: no filesystem was found on %s",
                              subject, dev);
      free (detected);
      return -1;
    }
    fstype = detected;
  } else if (check_vfstype (fstype) == -1)
    return -1;
  int r = -1;
  unsigned long flags;
  char *data = NULL;
  if (strcmp (fstype, "ntfs-3g") == 0 ||
      (strcmp (fstype, "ntfs") == 0 && !have_ntfs3 ())) {
    r = mount_fuse_ntfs (subject, dev, options, target);
    goto out;
  }
  if (strcmp (fstype, "ntfs") == 0)
    fstype = "ntfs3";
  if (parse_options (options, &flags, &data) == -1)
    goto out;
  r = mount_syscall (dev, target, fstype, flags, data);
  if (r == -1)
    reply_mount_error (errno, subject, fstype);
out:
  free (data);
  free (detected);
  return r;
}

/* Options plus "subvol=PATH" for a btrfs subvolume. */
static char *
options_with_subvol (const char *options, const char *subvol)
{
  char *r;
  if (subvol == NULL)
    r = strdup (options);
  else if (asprintf (&r, "%s%ssubvol=%s", options, *options ? "," : "",
                     subvol) == -1)
    r = NULL;
  if (r == NULL)
    reply_with_perror ("malloc");
  return r;
}

static int
mount_mountable (const char *options, const char *vfstype,
                 const char *mountable, const char *mountpoint)
{
  char *dev, *subvol;
  if (split_mountable (mountable, &dev, &subvol) == -1)
    return -1;
  int r = -1;
  char *opts = options_with_subvol (options, subvol);
  int fd = -1;
  if (opts == NULL)
    goto out;
  if (subvol && strchr (subvol, ',')) {
    reply_with_error_errno (EINVAL,
                            "%s: a subvolume name cannot contain a "
                            "comma",
                            mountable);
    goto out;
  }
  fd = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("mountpoint: %s", mountpoint);
    goto out;
  }
  char *target = sysroot_fd_path (fd);
  if (target == NULL) {
    reply_with_perror ("malloc");
    goto out;
  }
  r = mount_device_at (mountable, dev, vfstype, opts, target);
  free (target);
out:
  if (fd >= 0)
    close (fd);
  free (opts);
  free (dev);
  free (subvol);
  return r;
}

int
do_mount (const char *mountable, const char *mountpoint)
{
  return mount_mountable ("", NULL, mountable, mountpoint);
}

int
do_mount_ro (const char *mountable, const char *mountpoint)
{
  return mount_mountable ("ro", NULL, mountable, mountpoint);
}

int
do_mount_options (const char *options, const char *mountable,
                  const char *mountpoint)
{
  return mount_mountable (options, NULL, mountable, mountpoint);
}

int
do_mount_vfs (const char *options, const char *vfstype, const char *mountable,
              const char *mountpoint)
{
  return mount_mountable (options, vfstype, mountable, mountpoint);
}

/* ---- Scratch mounts for the daemon's own use ---- */

char *
scratch_mount (const char *dev, const char *fstype, const char *options)
{
  char *dir = strdup ("/tmp/guestfsd-mnt.XXXXXX");
  if (dir == NULL || mkdtemp (dir) == NULL) {
    reply_with_perror ("mkdtemp");
    free (dir);
    return NULL;
  }
  if (mount_device_at (dev, dev, fstype, options, dir) == -1) {
    rmdir (dir);
    free (dir);
    return NULL;
  }
  return dir;
}

void
release_scratch_mount (char *dir)
{
  if (dir == NULL)
    return;
  if (umount2 (dir, 0) == -1 && umount2 (dir, MNT_DETACH) == -1)
    debug ("umount %s: %m", dir);
  if (rmdir (dir) == -1)
    debug ("rmdir %s: %m", dir);
  free (dir);
}

/* ---- Listing ---- */

/* The mountable a mount entry stands for: the device's canonical name,
 * or btrfsvol:DEV/SUBVOL for a btrfs subvolume other than the top. */
static char *
entry_mountable (const struct mount_entry *e)
{
  char *dev = canonical_device_name (e->source);
  if (dev == NULL || strcmp (e->fstype, "btrfs") != 0 ||
      strcmp (e->root, "/") == 0)
    return dev;
  char *r;
  if (asprintf (&r, "btrfsvol:%s%s", dev, e->root) == -1)
    r = NULL;
  free (dev);
  return r;
}

/* The guest path of a mount point under the sysroot. */
static const char *
guest_path (const char *mountpoint)
{
  const char *p = mountpoint + sysroot_len;
  return *p ? p : "/";
}

static bool
is_device_mount (const struct mount_entry *e)
{
  return strncmp (e->source, "/dev/", 5) == 0;
}

static char **
list_mounts (bool with_mountpoints)
{
  size_t n;
  struct mount_entry *m = list_sysroot_mounts (&n);
  if (m == NULL)
    return NULL;
  struct stringsbuf sb = {0};
  for (size_t i = 0; i < n; ++i) {
    if (!is_device_mount (&m[i]))
      continue;
    char *mountable = entry_mountable (&m[i]);
    if (mountable == NULL) {
      reply_with_perror ("malloc");
      goto fail;
    }
    if (add_string_nodup (&sb, mountable) == -1 ||
        (with_mountpoints &&
         add_string (&sb, guest_path (m[i].mountpoint)) == -1))
      goto fail;
  }
  free_mount_entries (m, n);
  return take_strings (&sb);

fail:
  free_mount_entries (m, n);
  free_stringsbuf (&sb);
  return NULL;
}

char **
do_mounts (void)
{
  return list_mounts (false);
}

char **
do_mountpoints (void)
{
  return list_mounts (true);
}

/* ---- Unmounting ---- */

/* The mount point (host path) where device was mounted last, or NULL
 * after replying. */
static char *
find_device_mountpoint (const char *device)
{
  char *want = canonical_device_name (device);
  size_t n;
  struct mount_entry *m = want ? list_sysroot_mounts (&n) : NULL;
  if (m == NULL) {
    if (want == NULL)
      reply_with_perror ("malloc");
    free (want);
    return NULL;
  }
  char *r = NULL;
  for (size_t i = n; i-- > 0 && r == NULL;) {
    if (!is_device_mount (&m[i]))
      continue;
    char *have = canonical_device_name (m[i].source);
    if (have && strcmp (have, want) == 0)
      r = strdup (m[i].mountpoint);
    free (have);
  }
  if (r == NULL)
    reply_with_error_errno (EINVAL, "%s: not mounted", device);
  free_mount_entries (m, n);
  free (want);
  return r;
}

/* The host path of a guest directory that must be a mount point. */
static char *
find_path_mountpoint (const char *path)
{
  int fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *proc = sysroot_fd_path (fd);
  char *host = proc ? fd_to_path (proc) : NULL;
  int err = errno;
  free (proc);
  close (fd);
  if (host == NULL) {
    reply_with_error_errno (err, "%s: %s", path, strerror (err));
    return NULL;
  }
  size_t n;
  struct mount_entry *m = list_sysroot_mounts (&n);
  if (m == NULL) {
    free (host);
    return NULL;
  }
  bool found = false;
  for (size_t i = 0; i < n && !found; ++i)
    found = strcmp (m[i].mountpoint, host) == 0;
  free_mount_entries (m, n);
  if (!found) {
    reply_with_error_errno (EINVAL, "%s: not a mount point", path);
    free (host);
    return NULL;
  }
  return host;
}

int
do_umount (const char *pathordevice, int force, int lazyunmount)
{
  if (host_mode) {
    /* Nothing of ours can be mounted there: leave the host alone. */
    reply_with_error_errno (EPERM,
                            "%s: unmounting is not available when "
                            "guestfsd runs on the host",
                            pathordevice);
    return -1;
  }
  int flags = (OPTARG_SET (0) && force ? MNT_FORCE : 0) |
              (OPTARG_SET (1) && lazyunmount ? MNT_DETACH : 0);
  char *dir;
  if (strncmp (pathordevice, "/dev/", 5) == 0) {
    char *dev = strdup (pathordevice);
    if (dev == NULL) {
      reply_with_perror ("strdup");
      return -1;
    }
    if (resolve_device ("pathordevice", &dev) == -1) {
      free (dev);
      return -1;
    }
    dir = find_device_mountpoint (dev);
    free (dev);
  } else {
    if (check_pathname ("pathordevice", pathordevice) == -1)
      return -1;
    dir = find_path_mountpoint (pathordevice);
  }
  if (dir == NULL)
    return -1;
  augeas_release_for_unmount (dir);
  int r = umount2 (dir, flags);
  if (r == -1)
    reply_with_perror ("%s", pathordevice);
  free (dir);
  return r;
}

/* Put m in unmounting order: deepest first (a mount point inside
 * another is always longer), and among mounts stacked on the same
 * directory the later one first.  An insertion sort, stable, run on
 * the list reversed: there are only a few mounts. */
static void
sort_for_unmount (struct mount_entry *m, size_t n)
{
  for (size_t i = 0; i < n / 2; ++i) {
    struct mount_entry t = m[i];
    m[i] = m[n - 1 - i];
    m[n - 1 - i] = t;
  }
  for (size_t i = 1; i < n; ++i) {
    struct mount_entry e = m[i];
    size_t len = strlen (e.mountpoint), j = i;
    for (; j > 0 && strlen (m[j - 1].mountpoint) < len; --j)
      m[j] = m[j - 1];
    m[j] = e;
  }
}

int
umount_all_under_sysroot (void)
{
  size_t n;
  struct mount_entry *m = list_sysroot_mounts (&n);
  if (m == NULL)
    return -1;
  sort_for_unmount (m, n);
  if (n > 0)
    augeas_release_for_unmount (NULL);
  for (size_t i = 0; i < n; ++i)
    if (umount (m[i].mountpoint) == -1) {
      reply_with_perror ("umount %s", m[i].mountpoint);
      free_mount_entries (m, n);
      return -1;
    }
  free_mount_entries (m, n);
  return 0;
}

int
do_umount_all (void)
{
  /* On the host the scratch directory is not ours to unmount in, and
   * with -r the "guest" is the running system itself. */
  if (host_mode || sysroot_len == 0)
    return 0;
  return umount_all_under_sysroot ();
}

/* ---- mkmountpoint, rmmountpoint ---- */

/* Directories made in the guest root before anything is mounted
 * there (in the appliance, the sysroot's own directory). */
int
do_mkmountpoint (const char *exemptpath)
{
  if (check_pathname ("exemptpath", exemptpath) == -1)
    return -1;
  return do_mkdir (exemptpath);
}

int
do_rmmountpoint (const char *exemptpath)
{
  if (check_pathname ("exemptpath", exemptpath) == -1)
    return -1;
  return do_rmdir (exemptpath);
}

/* ---- mount_loop ---- */

static int
refuse_mount_on_host (const char *what)
{
  if (!host_mode)
    return 0;
  reply_with_error_errno (EPERM, "%s: mounting is not available when "
                          "guestfsd runs on the host", what);
  return -1;
}

/* Attach file_fd to a free loop device, detached again when its last
 * user (the mount) goes.  Returns the device's descriptor and sets
 * dev (/dev/loopN), or -1 with errno. */
static int
attach_loop (int file_fd, bool readonly, char dev[32])
{
  int ctl = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (ctl == -1)
    return -1;
  int fd = -1;
  /* Another process may take the free device first: try again. */
  for (int tries = 0; tries < 16 && fd == -1; ++tries) {
    int n = ioctl (ctl, LOOP_CTL_GET_FREE);
    if (n == -1)
      break;
    snprintf (dev, 32, "/dev/loop%d", n);
    fd = open (dev, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd == -1)
      break;
    struct loop_config c = { .fd = file_fd };
    c.info.lo_flags = LO_FLAGS_AUTOCLEAR | (readonly ? LO_FLAGS_READ_ONLY : 0);
    if (ioctl (fd, LOOP_CONFIGURE, &c) == 0)
      break;
    int err = errno;
    close (fd);
    fd = -1;
    if (err != EBUSY) {
      errno = err;
      break;
    }
  }
  int err = errno;
  close (ctl);
  errno = err;
  return fd;
}

int
do_mount_loop (const char *file, const char *mountpoint)
{
  if (refuse_mount_on_host (file) == -1)
    return -1;
  bool readonly = false;
  int file_fd = sysroot_open (file, O_RDWR | O_NOCTTY, 0);
  if (file_fd == -1 && (errno == EROFS || errno == EACCES)) {
    readonly = true;
    file_fd = sysroot_open (file, O_RDONLY | O_NOCTTY, 0);
  }
  if (file_fd == -1) {
    reply_with_perror ("%s", file);
    return -1;
  }
  int target_fd = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  char *target = target_fd == -1 ? NULL : sysroot_fd_path (target_fd);
  char dev[32];
  int loop_fd = -1, r = -1;
  if (target == NULL)
    reply_with_perror ("mountpoint: %s", mountpoint);
  else if ((loop_fd = attach_loop (file_fd, readonly, dev)) == -1)
    reply_with_perror ("%s: setting up a loop device", file);
  else {
    r = mount_device_at (file, dev, NULL, readonly ? "ro" : "", target);
    if (r == -1)
      (void) ioctl (loop_fd, LOOP_CLR_FD);
  }
  /* With autoclear, the loop device lives as long as the mount. */
  if (loop_fd != -1)
    close (loop_fd);
  free (target);
  if (target_fd != -1)
    close (target_fd);
  close (file_fd);
  return r;
}

/* ---- remount ---- */

/* The flags of a mount that a remount must give again, or the kernel
 * would reset them. */
static unsigned long
kept_mount_flags (const char *dir)
{
  static const struct {
    unsigned long st, ms;
  } flags[] = {
    { ST_NOSUID, MS_NOSUID },         { ST_NODEV, MS_NODEV },
    { ST_NOEXEC, MS_NOEXEC },         { ST_SYNCHRONOUS, MS_SYNCHRONOUS },
    { ST_MANDLOCK, MS_MANDLOCK },     { ST_NOATIME, MS_NOATIME },
    { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
  };
  struct statvfs sv;
  unsigned long r = 0;
  if (statvfs (dir, &sv) == 0)
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; ++i)
      if (sv.f_flag & flags[i].st)
        r |= flags[i].ms;
  return r;
}

int
do_remount (const char *mountpoint, int rw)
{
  if (!OPTARG_SET (0)) {
    reply_with_error_errno (EINVAL, "%s: the optional argument rw must be "
                            "given", mountpoint);
    return -1;
  }
  if (refuse_mount_on_host (mountpoint) == -1)
    return -1;
  char *dir = find_path_mountpoint (mountpoint);
  if (dir == NULL)
    return -1;
  unsigned long flags = MS_REMOUNT | kept_mount_flags (dir) |
                        (rw ? 0 : MS_RDONLY);
  int r = mount (NULL, dir, NULL, flags, NULL);
  if (r == -1)
    reply_with_perror ("%s", mountpoint);
  free (dir);
  return r;
}
