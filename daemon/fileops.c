/* Special files, links, ownership, times, and path queries. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* ---- mknod and friends ---- */

/* On the host, a device node in the scratch directory would give the
 * guest (through every later open by the daemon) the host's devices,
 * unless the filesystem ignores device nodes. */
static bool
device_nodes_allowed (void)
{
  if (!host_mode)
    return true;
  int fd = sysroot_open ("/", O_PATH | O_DIRECTORY, 0);
  struct statvfs sv;
  bool nodev = fd != -1 && fstatvfs (fd, &sv) == 0 && (sv.f_flag & ST_NODEV);
  if (fd != -1)
    close (fd);
  return nodev;
}

struct node {
  mode_t mode;
  dev_t dev;
};

static int
mknod_at (int dirfd, const char *base, void *opaque)
{
  const struct node *n = opaque;
  return mknodat (dirfd, base, n->mode, n->dev);
}

int
do_mknod (int mode, int devmajor, int devminor, const char *path)
{
  mode_t type = mode & S_IFMT;
  if (mode < 0 || (mode & ~(S_IFMT | 07777)) ||
      (type != 0 && type != S_IFREG && type != S_IFBLK && type != S_IFCHR &&
       type != S_IFIFO && type != S_IFSOCK)) {
    reply_with_error_errno (EINVAL, "mode: %#o is not a file type and "
                            "permissions", mode);
    return -1;
  }
  if (devmajor < 0 || devminor < 0) {
    reply_with_error_errno (EINVAL, "devmajor, devminor: %d:%d are not "
                            "device numbers", devmajor, devminor);
    return -1;
  }
  if ((type == S_IFBLK || type == S_IFCHR) && !device_nodes_allowed ()) {
    reply_with_error_errno (EPERM, "%s: device nodes are refused when the "
                            "daemon runs on the host (unless its directory "
                            "is on a nodev mount)", path);
    return -1;
  }
  struct node n = { .mode = mode, .dev = makedev (devmajor, devminor) };
  return at_parent (path, mknod_at, &n);
}

/* The typed variants take permission bits only. */
static int
mknod_typed (mode_t type, int mode, int devmajor, int devminor,
             const char *path)
{
  if (mode < 0 || mode > 07777) {
    reply_with_error_errno (EINVAL, "mode: %#o is not permission bits",
                            mode);
    return -1;
  }
  return do_mknod (mode | type, devmajor, devminor, path);
}

int
do_mkfifo (int mode, const char *path)
{
  return mknod_typed (S_IFIFO, mode, 0, 0, path);
}

int
do_mknod_b (int mode, int devmajor, int devminor, const char *path)
{
  return mknod_typed (S_IFBLK, mode, devmajor, devminor, path);
}

int
do_mknod_c (int mode, int devmajor, int devminor, const char *path)
{
  return mknod_typed (S_IFCHR, mode, devmajor, devminor, path);
}

/* ---- Links ---- */

/* The forced variants replace anything but a directory. */
static int
remove_existing (int dirfd, const char *base)
{
  if (unlinkat (dirfd, base, 0) == -1 && errno != ENOENT)
    return -1;
  return 0;
}

static int
link_at (int tdir, const char *tbase, int ldir, const char *lbase,
         void *opaque)
{
  bool force = opaque != NULL;
  if (force && remove_existing (ldir, lbase) == -1)
    return -1;
  /* No AT_SYMLINK_FOLLOW: a symbolic link gets a second name itself,
   * its target (which could name anything) is never resolved. */
  return linkat (tdir, tbase, ldir, lbase, 0);
}

int
do_ln (const char *target, const char *linkname)
{
  return at_parents (target, linkname, link_at, NULL);
}

int
do_ln_f (const char *target, const char *linkname)
{
  return at_parents (target, linkname, link_at, (void *) "force");
}

static int
symlink_replace_at (int dirfd, const char *base, void *opaque)
{
  if (remove_existing (dirfd, base) == -1)
    return -1;
  return symlinkat ((const char *) opaque, dirfd, base);
}

int
do_ln_sf (const char *target, const char *linkname)
{
  return at_parent (linkname, symlink_replace_at, (void *) target);
}

/* ---- Owner and times ---- */

struct owner {
  uid_t uid;
  gid_t gid;
};

static int
chown_fd (int fd, void *opaque)
{
  const struct owner *o = opaque;
  return fchownat (fd, "", o->uid, o->gid, AT_EMPTY_PATH);
}

static int
change_owner (int owner, int group, const char *path, bool follow)
{
  if (owner < -1 || group < -1) {
    reply_with_error_errno (EINVAL, "owner, group: %d, %d: ids are >= 0, "
                            "or -1 for no change", owner, group);
    return -1;
  }
  struct owner o = { .uid = (uid_t) owner, .gid = (gid_t) group };
  return at_path_fd (path, follow, chown_fd, &o);
}

int
do_chown (int owner, int group, const char *path)
{
  return change_owner (owner, group, path, true);
}

int
do_lchown (int owner, int group, const char *path)
{
  return change_owner (owner, group, path, false);
}

int
do_truncate (const char *path)
{
  return do_truncate_size (path, 0);
}

/* -1 and -2 are the traditional spellings of UTIME_NOW and UTIME_OMIT. */
static int
make_timespec (const char *argname, int64_t secs, int64_t nsecs,
               struct timespec *ts)
{
  ts->tv_sec = secs;
  if (nsecs == -1 || nsecs == UTIME_NOW)
    ts->tv_nsec = UTIME_NOW;
  else if (nsecs == -2 || nsecs == UTIME_OMIT)
    ts->tv_nsec = UTIME_OMIT;
  else if (nsecs >= 0 && nsecs <= 999999999)
    ts->tv_nsec = nsecs;
  else {
    reply_with_error_errno (EINVAL, "%s: %" PRIi64 " is not a number of "
                            "nanoseconds", argname, nsecs);
    return -1;
  }
  return 0;
}

static int
utimens_fd (int fd, void *opaque)
{
  return utimensat (fd, "", opaque, AT_EMPTY_PATH);
}

int
do_utimens (const char *path, int64_t atsecs, int64_t atnsecs,
            int64_t mtsecs, int64_t mtnsecs)
{
  struct timespec ts[2];
  if (make_timespec ("atnsecs", atsecs, atnsecs, &ts[0]) == -1 ||
      make_timespec ("mtnsecs", mtsecs, mtnsecs, &ts[1]) == -1)
    return -1;
  return at_path_fd (path, false, utimens_fd, ts);
}

/* ---- Path queries ---- */

/* The host path the kernel gives for a descriptor, as a guest path.
 * Anything not under the sysroot (which would be a bug) is refused
 * rather than shown. */
static char *
guest_path_of_fd (int fd, const char *path)
{
  char *proc = sysroot_fd_path (fd);
  char host[PATH_MAX + 1];
  ssize_t n = proc ? readlink (proc, host, PATH_MAX) : -1;
  free (proc);
  if (n == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  host[n] = '\0';
  const char *rest = host + sysroot_len;
  if (strncmp (host, sysroot, sysroot_len) != 0 ||
      (*rest != '\0' && *rest != '/')) {
    reply_with_error_errno (EXDEV, "%s: resolves outside the guest "
                            "filesystem", path);
    return NULL;
  }
  char *r = strdup (*rest ? rest : "/");
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

char *
do_realpath (const char *path)
{
  int fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *r = guest_path_of_fd (fd, path);
  close (fd);
  return r;
}

guestfs_int_statvfs *
do_statvfs (const char *path)
{
  int fd = sysroot_open (path, O_PATH, 0);
  struct statvfs sv;
  if (fd == -1 || fstatvfs (fd, &sv) == -1) {
    reply_with_perror ("%s", path);
    if (fd != -1)
      close (fd);
    return NULL;
  }
  close (fd);
  guestfs_int_statvfs *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  r->bsize = sv.f_bsize;
  r->frsize = sv.f_frsize;
  r->blocks = sv.f_blocks;
  r->bfree = sv.f_bfree;
  r->bavail = sv.f_bavail;
  r->files = sv.f_files;
  r->ffree = sv.f_ffree;
  r->favail = sv.f_favail;
  r->fsid = sv.f_fsid;
  r->flag = sv.f_flag;
  r->namemax = sv.f_namemax;
  return r;
}

/* ---- mkdtemp, mktemp ---- */

#define TEMPLATE_SUFFIX "XXXXXX"

static void
fill_random_name (char *x)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char rnd[sizeof TEMPLATE_SUFFIX - 1];
  if (getrandom (rnd, sizeof rnd, 0) != (ssize_t) sizeof rnd)
    for (size_t i = 0; i < sizeof rnd; ++i)
      rnd[i] = (unsigned char) random ();
  for (size_t i = 0; i < sizeof rnd; ++i)
    x[i] = chars[rnd[i] % (sizeof chars - 1)];
}

/* A temporary name being made: the template, what to append to it,
 * a file or a directory, and the path made. */
struct temp_name {
  const char *tmpl;
  const char *suffix;
  bool file;
  char *made;
};

static int
make_temp_entry (int dirfd, const char *name, bool file)
{
  if (!file)
    return mkdirat (dirfd, name, 0700);
  int fd = openat (dirfd, name,
                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY |
                       O_CLOEXEC,
                   0600);
  return fd == -1 ? -1 : close (fd);
}

/* Try names until one is free. */
static int
make_temp_at (int dirfd, const char *base, void *opaque)
{
  struct temp_name *t = opaque;
  char *name;
  if (asprintf (&name, "%s%s", base, t->suffix) == -1)
    return -1;
  char *x = name + strlen (base) - (sizeof TEMPLATE_SUFFIX - 1);
  int r = -1;
  for (int tries = 0; tries < 1000; ++tries) {
    fill_random_name (x);
    r = make_temp_entry (dirfd, name, t->file);
    if (r == 0 || errno != EEXIST)
      break;
  }
  if (r == 0 &&
      asprintf (&t->made, "%.*s%s", (int) (strlen (t->tmpl) - strlen (base)),
                t->tmpl, name) == -1)
    r = -1, t->made = NULL;
  free (name);
  return r;
}

static char *
make_temp (const char *tmpl, const char *suffix, bool file)
{
  size_t len = strlen (tmpl), slen = sizeof TEMPLATE_SUFFIX - 1;
  if (len < slen + 1 || strcmp (tmpl + len - slen, TEMPLATE_SUFFIX) != 0 ||
      tmpl[len - slen - 1] == '/' ||
      memchr (tmpl + len - slen, '/', slen) != NULL) {
    reply_with_error_errno (EINVAL, "tmpl: \"%s\" does not end in a name "
                            "ending with " TEMPLATE_SUFFIX, tmpl);
    return NULL;
  }
  if (strchr (suffix, '/')) {
    reply_with_error_errno (EINVAL, "suffix: \"%s\" contains /", suffix);
    return NULL;
  }
  struct temp_name t = { tmpl, suffix, file, NULL };
  if (at_parent (tmpl, make_temp_at, &t) == -1)
    return NULL;
  return t.made;
}

char *
do_mkdtemp (const char *tmpl)
{
  return make_temp (tmpl, "", false);
}

char *
do_mktemp (const char *tmpl, const char *suffix)
{
  return make_temp (tmpl, OPTARG_SET (0) ? suffix : "", true);
}

/* ---- readlinklist ---- */

/* The target of the link name in dir, or "" if it cannot be read. */
static char *
link_target_or_empty (int dirfd, const char *dir, const char *name)
{
  char *base;
  int fd = sysroot_open_entry_parent (dirfd, dir, name, &base);
  char target[PATH_MAX + 1];
  ssize_t n = -1;
  if (fd != -1) {
    n = readlinkat (fd, base, target, sizeof target - 1);
    close (fd);
    free (base);
  }
  if (n < 0)
    n = 0;
  target[n] = '\0';
  return strdup (target);
}

char **
do_internal_readlinklist (const char *path, char *const *names)
{
  int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  struct stringsbuf sb = { 0 };
  size_t bytes = 0;
  bool failed = false;
  /* Stop early rather than build a reply too large to send: the
   * library asks again for the names not answered. */
  for (size_t i = 0;
       names[i] && !failed && (i == 0 || bytes < REPLY_BUDGET); ++i) {
    char *t = link_target_or_empty (dirfd, path, names[i]);
    if (t == NULL) {
      reply_with_perror ("malloc");
      failed = true;
      break;
    }
    bytes += strlen (t) + 8; /* length word and padding */
    failed = add_string_nodup (&sb, t) == -1;
  }
  close (dirfd);
  if (failed) {
    free_stringsbuf (&sb);
    return NULL;
  }
  return take_strings (&sb);
}
