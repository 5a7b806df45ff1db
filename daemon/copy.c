/* cp, cp_r, cp_a and mv, done in the daemon rather than by running
 * cp(1) and mv(1) on host paths, which a guest symbolic link could
 * redirect.  Every name is opened relative to a directory descriptor,
 * with O_NOFOLLOW below the top. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* A recursive copy: links are copied as links, never followed. */
struct tree_copy {
  bool preserve;     /* cp -a: owner, mode, times, xattrs, hard links */
  mode_t umask;      /* applied to new modes unless preserving */
  int top_dir;       /* the parent of the top destination */
  void *links;       /* hard-linked inodes already copied (preserve) */
};

/* ---- Regular files ---- */

static int
copy_range (int in, int out, off_t start, off_t end)
{
  static char buf[1024 * 1024];
  while (start < end) {
    size_t want = end - start < (off_t) sizeof buf ? (size_t) (end - start)
                                                   : sizeof buf;
    ssize_t n = pread (in, buf, want, start);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      return n == 0 ? 0 : -1; /* it shrank: copy what there was */
    for (ssize_t done = 0; done < n;) {
      ssize_t w = pwrite (out, buf + done, n - done, start + done);
      if (w == -1 && errno != EINTR)
        return -1;
      done += w > 0 ? w : 0;
    }
    start += n;
  }
  return 0;
}

/* Copy the data extents only, so that holes stay holes (as cp's
 * default --sparse=auto does). */
static int
copy_contents (int in, int out, off_t size)
{
  for (off_t pos = 0; pos < size;) {
    off_t data = lseek (in, pos, SEEK_DATA);
    if (data == -1 && errno == ENXIO)
      break; /* a hole up to the end */
    if (data == -1)
      data = pos; /* no hole information */
    off_t hole = lseek (in, data, SEEK_HOLE);
    if (hole == -1 || hole > size)
      hole = size;
    if (copy_range (in, out, data, hole) == -1)
      return -1;
    pos = hole;
  }
  return ftruncate (out, size);
}

/* Open dname for writing without following a link there: a symbolic
 * link in the destination is replaced rather than written through. */
static int
open_dest_file (int ddir, const char *dname, mode_t mode)
{
  int flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NOCTTY |
              O_CLOEXEC;
  int fd = openat (ddir, dname, flags, mode);
  if (fd == -1 && errno == ELOOP && unlinkat (ddir, dname, 0) == 0)
    fd = openat (ddir, dname, flags, mode);
  return fd;
}

static int
copy_regular (int in, int ddir, const char *dname, const struct stat *st)
{
  int out = open_dest_file (ddir, dname, st->st_mode & 07777);
  if (out == -1)
    return -1;
  int r = copy_contents (in, out, st->st_size);
  int saved = errno;
  if (close (out) == -1 && r == 0)
    return -1;
  errno = saved;
  return r;
}

/* ---- Metadata ---- */

/* cp -a: what cannot be preserved (ownership as non-root, attributes
 * a filesystem refuses) is skipped silently, as cp does. */
static void
preserve_metadata (const struct tree_copy *t, int sdir, const char *sname,
                   int ddir, const char *dname, const struct stat *st)
{
  if (!t->preserve)
    return;
  int sfd = openat (sdir, sname, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  int dfd = openat (ddir, dname, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (sfd != -1 && dfd != -1) {
    (void) copy_xattrs (sfd, dfd);
    (void) fchownat (dfd, "", st->st_uid, st->st_gid, AT_EMPTY_PATH);
    /* After chown, which may clear set-id bits. */
    if (!S_ISLNK (st->st_mode)) {
      char *p = sysroot_fd_path (dfd);
      if (p)
        (void) chmod (p, st->st_mode & 07777);
      free (p);
    }
    struct timespec ts[2] = { st->st_atim, st->st_mtim };
    (void) utimensat (dfd, "", ts, AT_EMPTY_PATH);
  }
  if (sfd != -1)
    close (sfd);
  if (dfd != -1)
    close (dfd);
}

/* Without -a a new file's mode is the original's less the umask. */
static mode_t
new_mode (const struct tree_copy *t, const struct stat *st)
{
  return t->preserve ? st->st_mode & 07777 : st->st_mode & 0777 & ~t->umask;
}

/* ---- Hard links (cp -a) ---- */

struct link_entry {
  struct inode_key key; /* first: compared as an inode_key */
  char *dest;           /* relative to top_dir */
};

static void
free_link (void *p)
{
  struct link_entry *e = p;
  free (e->dest);
  free (e);
}

/* 1 if st was copied before and dname is now a link to that copy;
 * 0 if it is new (and remembered as rel); -1 on error. */
static int
link_if_seen (struct tree_copy *t, const struct stat *st, int ddir,
              const char *dname, const char *rel)
{
  if (!t->preserve || st->st_nlink < 2 || S_ISDIR (st->st_mode))
    return 0;
  struct inode_key key = { st->st_dev, st->st_ino };
  struct link_entry **found = tfind (&key, &t->links, compare_inode_keys);
  if (found)
    return linkat (t->top_dir, (*found)->dest, ddir, dname, 0) == 0 ? 1 : -1;
  struct link_entry *e = malloc (sizeof *e);
  if (e == NULL || (e->dest = strdup (rel)) == NULL) {
    free (e);
    return -1;
  }
  e->key = key;
  if (tsearch (e, &t->links, compare_inode_keys) == NULL) {
    free_link (e);
    return -1;
  }
  return 0;
}

/* ---- The tree ---- */

static int copy_entry (struct tree_copy *t, int sdir, const char *sname,
                       int ddir, const char *dname, const char *rel);

/* One entry of a directory being copied. */
struct copy_step {
  struct tree_copy *t;
  int dfd;
  const char *rel;
};

static int
copy_child (int sdir, const char *name, void *opaque)
{
  const struct copy_step *s = opaque;
  char *sub;
  if (asprintf (&sub, "%s/%s", s->rel, name) == -1)
    return -1;
  int r = copy_entry (s->t, sdir, name, s->dfd, name, sub);
  free (sub);
  return r;
}

static int
copy_directory (struct tree_copy *t, int sdir, const char *sname, int ddir,
                const char *dname, const char *rel)
{
  /* Owner-writable while filling it; the final mode comes after. */
  if (mkdirat (ddir, dname, 0700) == -1 && errno != EEXIST)
    return -1;
  int sfd = openat (sdir, sname,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sfd == -1)
    return -1;
  int dfd = openat (ddir, dname, O_PATH | O_DIRECTORY | O_NOFOLLOW |
                                   O_CLOEXEC);
  if (dfd == -1) {
    close (sfd);
    return -1;
  }
  struct copy_step step = { t, dfd, rel };
  int r = for_each_entry (sfd, copy_child, &step);
  int saved = errno;
  close (dfd);
  errno = saved;
  return r;
}

static int
copy_symlink (int sdir, const char *sname, int ddir, const char *dname)
{
  char target[PATH_MAX + 1];
  ssize_t n = readlinkat (sdir, sname, target, PATH_MAX);
  if (n == -1)
    return -1;
  target[n] = '\0';
  if (symlinkat (target, ddir, dname) == 0)
    return 0;
  if (errno != EEXIST || unlinkat (ddir, dname, 0) == -1)
    return -1;
  return symlinkat (target, ddir, dname);
}

static int
copy_file_at (struct tree_copy *t, int sdir, const char *sname, int ddir,
              const char *dname, const struct stat *st)
{
  int in = openat (sdir, sname, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
  if (in == -1)
    return -1;
  struct stat mode = *st;
  mode.st_mode = S_IFREG | new_mode (t, st);
  int r = copy_regular (in, ddir, dname, &mode);
  int saved = errno;
  close (in);
  errno = saved;
  return r;
}

static int
copy_by_type (struct tree_copy *t, int sdir, const char *sname, int ddir,
              const char *dname, const char *rel, const struct stat *st)
{
  switch (st->st_mode & S_IFMT) {
  case S_IFREG:
    return copy_file_at (t, sdir, sname, ddir, dname, st);
  case S_IFDIR:
    return copy_directory (t, sdir, sname, ddir, dname, rel);
  case S_IFLNK:
    return copy_symlink (sdir, sname, ddir, dname);
  default: /* devices, FIFOs, sockets: a new node of the same kind */
    return mknodat (ddir, dname, (st->st_mode & S_IFMT) | new_mode (t, st),
                    st->st_rdev);
  }
}

/* Copy sname in sdir to dname in ddir, never following a symbolic
 * link; rel names the copy relative to top_dir. */
static int
copy_entry (struct tree_copy *t, int sdir, const char *sname, int ddir,
            const char *dname, const char *rel)
{
  struct stat st;
  if (fstatat (sdir, sname, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  int seen = link_if_seen (t, &st, ddir, dname, rel);
  if (seen != 0)
    return seen == 1 ? 0 : -1;
  if (copy_by_type (t, sdir, sname, ddir, dname, rel, &st) == -1)
    return -1;
  if (S_ISDIR (st.st_mode) && !t->preserve) {
    /* Directories were created 0700 to be filled. */
    char *p;
    int fd = openat (ddir, dname, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd != -1 && (p = sysroot_fd_path (fd)) != NULL) {
      (void) chmod (p, new_mode (t, &st));
      free (p);
    }
    if (fd != -1)
      close (fd);
  }
  preserve_metadata (t, sdir, sname, ddir, dname, &st);
  return 0;
}

/* ---- The top ---- */

/* cp and mv put src inside dest when dest is a directory. */
static char *
target_path (const char *src, const char *dest)
{
  int fd = sysroot_open (dest, O_PATH | O_DIRECTORY, 0);
  if (fd == -1)
    return strdup (dest);
  close (fd);
  size_t len = strlen (src);
  while (len > 1 && src[len - 1] == '/')
    --len;
  size_t start = len;
  while (start > 0 && src[start - 1] != '/')
    --start;
  char *r;
  if (asprintf (&r, "%s%s%.*s", dest,
                dest[strlen (dest) - 1] == '/' ? "" : "/",
                (int) (len - start), src + start) == -1)
    return NULL;
  return r;
}

static bool
same_inode (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Is the directory dirfd (where the copy goes) src or inside it?
 * Climbs with ".." up to the sysroot's root, only looking. */
static bool
inside (int dirfd, const struct stat *src)
{
  struct stat root, st;
  int rootfd = sysroot_open ("/", O_PATH | O_DIRECTORY, 0);
  if (rootfd == -1 || fstat (rootfd, &root) == -1) {
    if (rootfd != -1)
      close (rootfd);
    return false;
  }
  close (rootfd);
  int fd = fcntl (dirfd, F_DUPFD_CLOEXEC, 0);
  bool found = false;
  while (fd != -1 && fstat (fd, &st) == 0) {
    if ((found = same_inode (&st, src)) || same_inode (&st, &root))
      break;
    int up = openat (fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    close (fd);
    fd = up;
  }
  if (fd != -1)
    close (fd);
  return found;
}

static int
copy_top (struct tree_copy *t, int sdir, const char *sbase, int tdir,
          const char *tbase)
{
  struct stat st;
  if (fstatat (sdir, sbase, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  if (S_ISDIR (st.st_mode) && inside (tdir, &st)) {
    errno = EINVAL;
    return -1;
  }
  t->top_dir = tdir;
  int r = copy_entry (t, sdir, sbase, tdir, tbase, tbase);
  int saved = errno;
  tdestroy (t->links, free_link);
  t->links = NULL;
  errno = saved;
  return r;
}

static int
copy_at (int sdir, const char *sbase, int tdir, const char *tbase,
         void *opaque)
{
  return copy_top (opaque, sdir, sbase, tdir, tbase);
}

static int
copy_tree (const char *src, const char *dest, bool preserve)
{
  char *target = target_path (src, dest);
  if (target == NULL) {
    reply_with_perror ("malloc");
    return -1;
  }
  mode_t mask = umask (0);
  umask (mask);
  struct tree_copy t = { .preserve = preserve, .umask = mask };
  int r = at_parents (src, target, copy_at, &t);
  free (target);
  return r;
}

/* Plain cp follows a symbolic link src, so src is resolved in full
 * (inside the sysroot) and only its contents are copied. */
struct plain_copy {
  int in;
  struct stat st;
};

static int
plain_copy_at (int dirfd, const char *base, void *opaque)
{
  const struct plain_copy *c = opaque;
  return copy_regular (c->in, dirfd, base, &c->st);
}

int
do_cp (const char *src, const char *dest)
{
  struct plain_copy c;
  c.in = sysroot_open (src, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (c.in == -1 || fstat (c.in, &c.st) == -1) {
    reply_with_perror ("%s", src);
    if (c.in != -1)
      close (c.in);
    return -1;
  }
  int r = -1;
  char *target = NULL;
  if (!S_ISREG (c.st.st_mode))
    reply_with_error_errno (S_ISDIR (c.st.st_mode) ? EISDIR : EINVAL,
                            "%s: not a regular file (use cp_r or cp_a)",
                            src);
  else if ((target = target_path (src, dest)) == NULL)
    reply_with_perror ("malloc");
  else {
    mode_t mask = umask (0);
    umask (mask);
    c.st.st_mode = S_IFREG | (c.st.st_mode & 0777 & ~mask);
    r = at_parent (target, plain_copy_at, &c);
  }
  free (target);
  close (c.in);
  return r;
}

int
do_cp_r (const char *src, const char *dest)
{
  return copy_tree (src, dest, false);
}

int
do_cp_a (const char *src, const char *dest)
{
  return copy_tree (src, dest, true);
}

/* ---- mv ---- */

static int
rename_at (int sdir, const char *sbase, int tdir, const char *tbase,
           void *opaque)
{
  bool *crossed = opaque;
  if (renameat (sdir, sbase, tdir, tbase) == 0)
    return 0;
  if (errno != EXDEV)
    return -1;
  /* Another filesystem: copy everything, then remove the original. */
  *crossed = true;
  struct tree_copy t = { .preserve = true };
  return copy_top (&t, sdir, sbase, tdir, tbase);
}

int
do_mv (const char *src, const char *dest)
{
  char *target = target_path (src, dest);
  if (target == NULL) {
    reply_with_perror ("malloc");
    return -1;
  }
  bool crossed = false;
  int r = at_parents (src, target, rename_at, &crossed);
  free (target);
  if (r == 0 && crossed)
    r = do_rm_rf (src);
  return r;
}
