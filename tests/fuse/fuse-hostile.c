/* A hostile daemon: it speaks the protocol correctly but describes
 * files that cannot exist (a name with a slash, "..", no file type,
 * a negative size, a truncated xattr block, an endless listing, one
 * whose cookies go round in circles, an open that returns more than
 * was asked...).  guestmount must turn
 * each into EIO or leave the entry out, keep serving the rest, and
 * when the daemon finally breaks the protocol itself, unmount and
 * exit with status 1, never crash or hang.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fake-daemon.h"
#include "mountenv.h"

/* ---- The fake daemon ---- */

static void
send_error (int sock, const struct fake_request *req, const char *err)
{
  fake_send_error (sock, req, err, "refused by the test daemon");
}

/* A plausible entry; tests spoil one field at a time. */
static guestfs_int_fuse_entry
entry (const char *name, int64_t ino, mode_t mode)
{
  guestfs_int_fuse_entry e;
  memset (&e, 0, sizeof e);
  e.name = (char *) name;
  e.link = (char *) "";
  e.cookie = ino;
  e.st_dev = 1;
  e.st_ino = ino;
  e.st_mode = mode;
  e.st_nlink = 1;
  e.st_size = 10;
  e.flags = 2; /* xattrs complete (none) */
  return e;
}

static void
reply_entry (int sock, const struct fake_request *req,
             guestfs_int_fuse_entry *e)
{
  struct guestfs_fuse_lstat_ret r = { .r = *e };
  fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_fuse_lstat_ret, &r);
}

static void
reply_list (int sock, const struct fake_request *req,
            guestfs_int_fuse_entry *v, size_t n)
{
  struct guestfs_fuse_readdir_ret r = {
    .r = { .guestfs_int_fuse_entry_list_len = n,
           .guestfs_int_fuse_entry_list_val = v },
  };
  fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_fuse_readdir_ret, &r);
}

static char long_link[5000];
static char bad_xattrs[] = { 'u', 's', 'e', 'r', '.', 'x', 0, 0, 0, 0, 9 };

/* The entries of a listing page (v has room for 16). */
static size_t
page_of (guestfs_int_fuse_entry *v, const char *dir, int64_t cookie);

static void
serve_readdir (int sock, const struct fake_request *req, const char *dir,
               int64_t cookie)
{
  guestfs_int_fuse_entry v[16];
  reply_list (sock, req, v, page_of (v, dir, cookie));
}

/* A tree is just the directory itself here, as one section (a walk
 * asks for it this way). */
static void
serve_readdir_tree (int sock, const struct fake_request *req,
                    const char *dir)
{
  guestfs_int_fuse_entry v[17];
  v[0] = entry ("", 99, S_IFDIR | 0755);
  v[0].flags = 4;
  size_t n = 1 + page_of (v + 1, dir, 0);
  if (strcmp (dir, "/sectionfile") == 0)
    v[0].st_mode = S_IFREG | 0644; /* a section that is no directory */
  struct guestfs_fuse_readdir_tree_ret r = {
    .r = { .guestfs_int_fuse_entry_list_len = n,
           .guestfs_int_fuse_entry_list_val = v },
  };
  fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_fuse_readdir_tree_ret, &r);
}

static size_t
page_of (guestfs_int_fuse_entry *v, const char *dir, int64_t cookie)
{
  size_t n = 0;
  if (strcmp (dir, "/") == 0) {
    v[n++] = entry ("good", 10, S_IFREG | 0644);
    v[n++] = entry ("bad/slash", 11, S_IFREG | 0644);
    v[n++] = entry ("..", 12, S_IFDIR | 0755);
    v[n++] = entry ("notype", 13, 0644);
    v[n] = entry ("negsize", 14, S_IFREG | 0644);
    v[n++].st_size = -1;
    v[n] = entry ("longlink", 15, S_IFLNK | 0777);
    v[n++].link = long_link;
    v[n] = entry ("xattrbad", 16, S_IFREG | 0644);
    v[n].xattrs.xattrs_val = bad_xattrs;
    v[n++].xattrs.xattrs_len = sizeof bad_xattrs;
    v[n++] = entry ("endless", 17, S_IFDIR | 0755);
    v[n++] = entry ("stuck", 18, S_IFDIR | 0755);
    v[n++] = entry ("afterend", 19, S_IFDIR | 0755);
    v[n++] = entry ("killer", 20, S_IFREG | 0644);
    v[n++] = entry ("sectionfile", 21, S_IFDIR | 0755);
    v[n++] = entry ("cycle", 22, S_IFDIR | 0755);
    v[n++] = entry ("skipping", 23, S_IFDIR | 0755);
    v[n++] = entry ("", 0, 0);
    v[n - 1].flags = 1;
  } else if (strcmp (dir, "/endless") == 0) {
    /* Always the same page, never an end. */
    v[n++] = entry ("again", 30, S_IFREG | 0644);
    v[0].cookie = cookie;
  } else if (strcmp (dir, "/cycle") == 0) {
    /* Pages that always move on, to cookies seen before: 1, 2, 1... */
    bool second = cookie == 1;
    v[n++] = entry (second ? "two" : "one", 40 + second, S_IFREG | 0644);
    v[0].cookie = second ? 2 : 1;
  } else if (strcmp (dir, "/skipping") == 0) {
    /* Always a new cookie, never a name that can be kept. */
    v[n++] = entry ("unreadable", 50, S_IFREG | 0644);
    v[0].err = EACCES;
    v[0].cookie = cookie + 1;
  } else if (strcmp (dir, "/afterend") == 0) {
    v[n++] = entry ("", 0, 0);
    v[0].flags = 1;
    v[n++] = entry ("late", 31, S_IFREG | 0644);
  }
  /* "/stuck": an empty page that does not end the directory. */
  return n;
}

static void
serve_lstat (int sock, const struct fake_request *req, const char *path)
{
  guestfs_int_fuse_entry e;
  if (strcmp (path, "/") == 0)
    e = entry ("", 1, S_IFDIR | 0755);
  else if (strcmp (path, "/xattrbad") == 0) {
    e = entry ("", 16, S_IFREG | 0644);
    e.xattrs.xattrs_val = bad_xattrs;
    e.xattrs.xattrs_len = sizeof bad_xattrs;
  } else {
    send_error (sock, req, "ENOENT");
    return;
  }
  reply_entry (sock, req, &e);
}

static void
serve_open (int sock, const struct fake_request *req,
            struct guestfs_fuse_open_args *a)
{
  if (strcmp (a->path, "/killer") == 0) {
    /* Break the protocol: a reply for another call. */
    struct fake_request other = *req;
    other.serial += 1000;
    fake_send_ok (sock, &other, NULL, NULL);
    return;
  }
  /* More prefetched data than asked for, and more than the file. */
  static char data[1 << 20];
  guestfs_int_fuse_entry e = entry ("", 10, S_IFREG | 0644);
  e.handle = 7;
  e.data.data_val = data;
  e.data.data_len = (u_int) a->prefetch + 1;
  reply_entry (sock, req, &e);
}

static bool
serve (int sock, const struct fake_request *req, void *opaque)
{
  (void) opaque;
  switch (req->proc) {
  case GUESTFS_PROC_UMASK: {
    struct guestfs_umask_ret r = { .r = 022 };
    fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_umask_ret, &r);
    break;
  }
  case GUESTFS_PROC_FUSE_LSTAT: {
    struct guestfs_fuse_lstat_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_lstat_args (req->args, &a))
      serve_lstat (sock, req, a.path);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_lstat_args, (char *) &a);
    break;
  }
  case GUESTFS_PROC_FUSE_READDIR: {
    struct guestfs_fuse_readdir_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_readdir_args (req->args, &a))
      serve_readdir (sock, req, a.dir, a.cookie);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_readdir_args, (char *) &a);
    break;
  }
  case GUESTFS_PROC_FUSE_READDIR_TREE: {
    struct guestfs_fuse_readdir_tree_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_readdir_tree_args (req->args, &a))
      serve_readdir_tree (sock, req, a.dir);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_readdir_tree_args, (char *) &a);
    break;
  }
  case GUESTFS_PROC_FUSE_OPEN: {
    struct guestfs_fuse_open_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_open_args (req->args, &a))
      serve_open (sock, req, &a);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_open_args, (char *) &a);
    break;
  }
  case GUESTFS_PROC_FUSE_GETXATTR: {
    struct guestfs_fuse_getxattr_ret r = { .r = { 1, (char *) "v" } };
    fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_fuse_getxattr_ret, &r);
    break;
  }
  case GUESTFS_PROC_FUSE_CLOSE: case GUESTFS_PROC_INTERNAL_AUTOSYNC:
    fake_send_ok (sock, req, NULL, NULL);
    break;
  default:
    send_error (sock, req, "ENOSYS");
  }
  return true;
}

/* ---- The test ---- */

static int
list_errno (const char *dir)
{
  DIR *d = opendir (dir);
  if (d == NULL)
    return errno;
  errno = 0;
  while (readdir (d))
    errno = 0;
  int e = errno;
  closedir (d);
  return e;
}

int
main (void)
{
  require_fuse ();
  struct mountenv *env = mountenv_new ();
  memset (long_link, 'l', sizeof long_link - 1);
  struct fake_daemon fake = {
    .launch_word = GUESTFS_LAUNCH_FLAG, .serve = serve,
  };
  fake_daemon_start (&fake, env->sock);
  env->daemon_pid = fake.pid; /* killed at exit with the mount */
  free (fake.backend);
  int status = run_guestmount (env, (const char *[]) { "--pid-file",
                                                       env->pidfile,
                                                       env->mnt, NULL },
                               NULL);
  CHECK (status == 0);
  if (status != 0)
    return test_result ();
  mountenv_read_pid (env);

  /* The impossible names are left out; the others are listed. */
  CHECK (listed (env->mnt, "good") && listed (env->mnt, "xattrbad"));
  CHECK (!listed (env->mnt, "bad") && !listed (env->mnt, "notype") &&
         !listed (env->mnt, "negsize") && !listed (env->mnt, "longlink"));
  struct stat st;
  CHECK (stat (in_mnt (env, "good"), &st) == 0 && st.st_size == 10);
  /* What was left out is not there (the daemon says so when asked:
   * a listing with holes does not answer for missing names). */
  CHECK_ERRNO (stat (in_mnt (env, "notype"), &st), ENOENT);
  /* A malformed xattr block is not used: the value is asked for. */
  char v[8];
  CHECK (getxattr (in_mnt (env, "xattrbad"), "user.x", v, sizeof v) == 1 &&
         v[0] == 'v');
  /* Listings that never end, make no progress or go on after their
   * end are I/O errors. */
  CHECK (list_errno (in_mnt (env, "endless")) == EIO);
  CHECK (list_errno (in_mnt (env, "stuck")) == EIO);
  CHECK (list_errno (in_mnt (env, "afterend")) == EIO);
  CHECK (list_errno (in_mnt (env, "sectionfile")) == EIO);
  /* Nor do listings that go round in circles or add nothing while
   * moving on: they end (EIO) after a bounded number of pages. */
  CHECK (list_errno (in_mnt (env, "cycle")) == EIO);
  CHECK (list_errno (in_mnt (env, "skipping")) == EIO);
  /* An open reply carrying more than it may is an I/O error. */
  CHECK_ERRNO (open (in_mnt (env, "good"), O_RDONLY), EIO);
  CHECK (alive (env->gm_pid) && is_mountpoint (env->mnt));

  /* Now a reply that does not match its call: the connection is
   * dropped, and the mount goes with it. */
  CHECK_ERRNO (open (in_mnt (env, "killer"), O_RDONLY), EIO);
  CHECK (wait_exit (env->gm_pid, 30) == 1);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (access (env->pidfile, F_OK) == -1);
  return test_result ();
}
