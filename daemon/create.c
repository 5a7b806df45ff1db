/* Making new names: fuse_mkdir, fuse_mknod, fuse_symlink and fuse_link,
 * each answering with the new file's entry (entry.c), and fuse_rename,
 * which moves a name.  The name is made in its opened parent directory
 * (at_new_name, at_parents), so a link in the guest cannot redirect
 * it; "/", "." and ".." already exist (EEXIST).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"
#include "entry.h"

/* ---- Whose a new file is ----
 *
 * The daemon creates as root; the caller says who the creator is.  A
 * set-group-ID directory already gave the new file its group (and a
 * new directory its set-group-ID bit) in the guest's kernel, so the
 * group is left alone there.  Changing the owner clears the
 * set-user-ID and set-group-ID bits of a file that is not a directory:
 * they are put back as the caller asked. */

struct new_owner
new_owner_of (unsigned uid_optarg, int64_t uid, unsigned gid_optarg,
              int64_t gid)
{
  return (struct new_owner) {
    .uid = OPTARG_SET (uid_optarg) && uid >= 0 ? uid : -1,
    .gid = OPTARG_SET (gid_optarg) && gid >= 0 ? gid : -1,
  };
}

int
give_new_owner (int dirfd, const char *base, const struct new_owner *o,
                mode_t mode)
{
  if (o->uid < 0 && o->gid < 0)
    return 0;
  struct stat dir, st;
  if (fstat (dirfd, &dir) == -1)
    return -1;
  uid_t uid = o->uid < 0 ? (uid_t) -1 : (uid_t) o->uid;
  gid_t gid = o->gid < 0 || (dir.st_mode & S_ISGID) ? (gid_t) -1
                                                    : (gid_t) o->gid;
  if (fchownat (dirfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) == -1 ||
      fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  mode_t lost = mode & (S_ISUID | S_ISGID) & ~st.st_mode;
  if (lost && !S_ISLNK (st.st_mode) &&
      fchmodat (dirfd, base, (st.st_mode | lost) & 07777, 0) == -1)
    return -1;
  return 0;
}

/* ---- Creating ---- */

/* Make the name base in dirfd; how says what to make. */
typedef int (*create_fn) (int dirfd, const char *base, const void *how);

struct creation {
  const char *path;
  create_fn create;
  const void *how;
  struct new_owner owner;
  mode_t mode;                   /* what was asked (for the owner) */
  guestfs_int_fuse_entry *entry; /* the result; NULL after a reply */
};

/* Called in the parent directory, with the umask cleared (the
 * caller's mode is exact).  A failure to describe the new name has
 * already been replied to, so only a failure to make it is -1. */
static int
create_in (int dirfd, const char *base, void *opaque)
{
  struct creation *c = opaque;
  mode_t old = umask (0);
  int r = c->create (dirfd, base, c->how);
  int err = errno;
  umask (old);
  if (r == -1) {
    errno = err;
    return -1;
  }
  /* A new name that cannot be given its owner is taken back. */
  if (give_new_owner (dirfd, base, &c->owner, c->mode) == -1) {
    err = errno;
    unlinkat (dirfd, base, S_ISDIR (c->mode) ? AT_REMOVEDIR : 0);
    errno = err;
    return -1;
  }
  c->entry = entry_at (c->path, dirfd, base);
  return 0;
}

static guestfs_int_fuse_entry *
create_and_describe (const char *path, create_fn create, const void *how,
                     mode_t mode, struct new_owner owner)
{
  struct creation c = { .path = path, .create = create, .how = how,
                        .owner = owner, .mode = mode };
  if (at_new_name (path, create_in, &c) == -1)
    return NULL;
  return c.entry;
}

static int
create_dir (int dirfd, const char *base, const void *how)
{
  return mkdirat (dirfd, base, *(const mode_t *) how);
}

guestfs_int_fuse_entry *
do_fuse_mkdir (const char *path, int mode, int64_t uid, int64_t gid)
{
  mode_t m = mode & 07777;
  return create_and_describe (path, create_dir, &m, S_IFDIR | m,
                              new_owner_of (0, uid, 1, gid));
}

struct node_spec {
  mode_t mode;
  dev_t rdev;
};

static int
create_node (int dirfd, const char *base, const void *how)
{
  const struct node_spec *n = how;
  return mknodat (dirfd, base, n->mode, n->rdev);
}

guestfs_int_fuse_entry *
do_fuse_mknod (const char *path, int mode, int64_t rdev, int64_t uid,
               int64_t gid)
{
  mode_t type = mode & S_IFMT;
  if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK &&
      type != S_IFCHR && type != S_IFBLK) {
    reply_with_error_errno (EINVAL, "%s: mode %#o is not a file type "
                            "mknod can create", path, mode);
    return NULL;
  }
  struct node_spec n = { .mode = mode & (S_IFMT | 07777), .rdev = rdev };
  return create_and_describe (path, create_node, &n, n.mode,
                              new_owner_of (0, uid, 1, gid));
}

static int
create_symlink (int dirfd, const char *base, const void *how)
{
  return symlinkat (how, dirfd, base);
}

guestfs_int_fuse_entry *
do_fuse_symlink (const char *target, const char *linkname, int64_t uid,
                 int64_t gid)
{
  return create_and_describe (linkname, create_symlink, target, S_IFLNK,
                              new_owner_of (0, uid, 1, gid));
}

/* fuse_link: the target's parent is opened first, then the new name's
 * (at_new_name); the link is made, and described, in the second. */
struct link_call {
  const char *target, *linkname;
  int odir;
  const char *obase;
  guestfs_int_fuse_entry *entry; /* the result; NULL after a reply */
};

static int
link_in (int ndir, const char *nbase, void *opaque)
{
  struct link_call *l = opaque;
  if (linkat (l->odir, l->obase, ndir, nbase, 0) == -1)
    reply_with_perror ("%s to %s", l->linkname, l->target);
  else
    l->entry = entry_at (l->linkname, ndir, nbase);
  return 0; /* replied above, or by entry_at, if anything failed */
}

static int
link_from (int odir, const char *obase, void *opaque)
{
  struct link_call *l = opaque;
  l->odir = odir;
  l->obase = obase;
  at_new_name (l->linkname, link_in, l); /* replies itself */
  return 0;
}

guestfs_int_fuse_entry *
do_fuse_link (const char *target, const char *linkname)
{
  struct link_call l = { .target = target, .linkname = linkname };
  if (at_parent (target, link_from, &l) == -1)
    return NULL;
  return l.entry;
}

static int
rename_in (int odir, const char *obase, int ndir, const char *nbase,
           void *opaque)
{
  return renameat2 (odir, obase, ndir, nbase, *(const int *) opaque);
}

int
do_fuse_rename (const char *oldpath, const char *newpath, int flags)
{
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) {
    reply_with_error_errno (EINVAL, "flags %#x: only RENAME_NOREPLACE and "
                            "RENAME_EXCHANGE are allowed", flags);
    return -1;
  }
  return at_parents (oldpath, newpath, rename_in, &flags);
}
