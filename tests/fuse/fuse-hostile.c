/* A hostile daemon: it speaks the protocol correctly but describes
 * files that cannot exist (a name with a slash, "..", no file type,
 * a negative size, a truncated xattr block, an endless listing, an
 * open that returns more than was asked...).  guestmount must turn
 * each into EIO or leave the entry out, keep serving the rest, and
 * when the daemon finally breaks the protocol itself, unmount and
 * exit with status 1, never crash or hang.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mountenv.h"
#include "wire.h"

#define CHECK_ERRNO(call, e)                                                 \
  do {                                                                       \
    errno = 0;                                                               \
    long r_ = (long) (call);                                                 \
    if (r_ != -1 || errno != (e)) {                                          \
      fprintf (stderr, "%s:%d: FAIL: %s: returned %ld errno %d (%s), "      \
               "expected errno %d (%s)\n", __FILE__, __LINE__, #call, r_,    \
               errno, strerror (errno), (e), strerror (e));                  \
      ++test_failures;                                                       \
    }                                                                        \
  } while (0)

/* ---- The fake daemon ---- */

static int conn = -1;
static char msg[GUESTFS_MESSAGE_MAX + 4];
static char out[GUESTFS_MESSAGE_MAX + 4];

static void
send_reply (unsigned proc, unsigned serial, int status, xdrproc_t xdrp,
            void *body)
{
  struct guestfs_message_header hdr = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = proc, .direction = GUESTFS_DIRECTION_REPLY, .serial = serial,
    .status = status,
  };
  ssize_t n = wire_encode_message (out, sizeof out, &hdr, xdrp, body);
  if (n > 0)
    wire_write_full (conn, out, n);
}

static void
send_error (unsigned proc, unsigned serial, const char *err)
{
  struct guestfs_message_error e = {
    .errno_string = (char *) err,
    .error_message = (char *) "refused by the test daemon",
  };
  send_reply (proc, serial, GUESTFS_STATUS_ERROR,
              (xdrproc_t) xdr_guestfs_message_error, &e);
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
reply_entry (unsigned proc, unsigned serial, guestfs_int_fuse_entry *e)
{
  struct guestfs_fuse_lstat_ret r = { .r = *e };
  send_reply (proc, serial, GUESTFS_STATUS_OK,
              (xdrproc_t) xdr_guestfs_fuse_lstat_ret, &r);
}

static void
reply_list (unsigned serial, guestfs_int_fuse_entry *v, size_t n)
{
  struct guestfs_fuse_readdir_ret r = {
    .r = { .guestfs_int_fuse_entry_list_len = n,
           .guestfs_int_fuse_entry_list_val = v },
  };
  send_reply (GUESTFS_PROC_FUSE_READDIR, serial, GUESTFS_STATUS_OK,
              (xdrproc_t) xdr_guestfs_fuse_readdir_ret, &r);
}

static char long_link[5000];
static char bad_xattrs[] = { 'u', 's', 'e', 'r', '.', 'x', 0, 0, 0, 0, 9 };

/* The entries of a listing page (v has room for 16). */
static size_t
page_of (guestfs_int_fuse_entry *v, const char *dir, int64_t cookie);

static void
serve_readdir (unsigned serial, const char *dir, int64_t cookie)
{
  guestfs_int_fuse_entry v[16];
  reply_list (serial, v, page_of (v, dir, cookie));
}

/* A tree is just the directory itself here, as one section (a walk
 * asks for it this way). */
static void
serve_readdir_tree (unsigned serial, const char *dir)
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
  send_reply (GUESTFS_PROC_FUSE_READDIR_TREE, serial, GUESTFS_STATUS_OK,
              (xdrproc_t) xdr_guestfs_fuse_readdir_tree_ret, &r);
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
    v[n++] = entry ("", 0, 0);
    v[n - 1].flags = 1;
  } else if (strcmp (dir, "/endless") == 0) {
    /* Always the same page, never an end. */
    v[n++] = entry ("again", 30, S_IFREG | 0644);
    v[0].cookie = cookie;
  } else if (strcmp (dir, "/afterend") == 0) {
    v[n++] = entry ("", 0, 0);
    v[0].flags = 1;
    v[n++] = entry ("late", 31, S_IFREG | 0644);
  }
  /* "/stuck": an empty page that does not end the directory. */
  return n;
}

static void
serve_lstat (unsigned serial, const char *path)
{
  guestfs_int_fuse_entry e;
  if (strcmp (path, "/") == 0)
    e = entry ("", 1, S_IFDIR | 0755);
  else if (strcmp (path, "/xattrbad") == 0) {
    e = entry ("", 16, S_IFREG | 0644);
    e.xattrs.xattrs_val = bad_xattrs;
    e.xattrs.xattrs_len = sizeof bad_xattrs;
  } else {
    send_error (GUESTFS_PROC_FUSE_LSTAT, serial, "ENOENT");
    return;
  }
  reply_entry (GUESTFS_PROC_FUSE_LSTAT, serial, &e);
}

static void
serve_open (unsigned serial, struct guestfs_fuse_open_args *a)
{
  if (strcmp (a->path, "/killer") == 0) {
    /* Break the protocol: a reply for another call. */
    send_reply (GUESTFS_PROC_FUSE_OPEN, serial + 1000, GUESTFS_STATUS_OK,
                NULL, NULL);
    return;
  }
  /* More prefetched data than asked for, and more than the file. */
  static char data[1 << 20];
  guestfs_int_fuse_entry e = entry ("", 10, S_IFREG | 0644);
  e.handle = 7;
  e.data.data_val = data;
  e.data.data_len = (u_int) a->prefetch + 1;
  reply_entry (GUESTFS_PROC_FUSE_OPEN, serial, &e);
}

static void
serve (unsigned proc, unsigned serial, XDR *xdr)
{
  switch (proc) {
  case GUESTFS_PROC_UMASK: {
    struct guestfs_umask_ret r = { .r = 022 };
    send_reply (proc, serial, GUESTFS_STATUS_OK,
                (xdrproc_t) xdr_guestfs_umask_ret, &r);
    return;
  }
  case GUESTFS_PROC_FUSE_LSTAT: {
    struct guestfs_fuse_lstat_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_lstat_args (xdr, &a))
      serve_lstat (serial, a.path);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_lstat_args, (char *) &a);
    return;
  }
  case GUESTFS_PROC_FUSE_READDIR: {
    struct guestfs_fuse_readdir_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_readdir_args (xdr, &a))
      serve_readdir (serial, a.dir, a.cookie);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_readdir_args, (char *) &a);
    return;
  }
  case GUESTFS_PROC_FUSE_READDIR_TREE: {
    struct guestfs_fuse_readdir_tree_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_readdir_tree_args (xdr, &a))
      serve_readdir_tree (serial, a.dir);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_readdir_tree_args, (char *) &a);
    return;
  }
  case GUESTFS_PROC_FUSE_OPEN: {
    struct guestfs_fuse_open_args a;
    memset (&a, 0, sizeof a);
    if (xdr_guestfs_fuse_open_args (xdr, &a))
      serve_open (serial, &a);
    xdr_free ((xdrproc_t) xdr_guestfs_fuse_open_args, (char *) &a);
    return;
  }
  case GUESTFS_PROC_FUSE_GETXATTR: {
    struct guestfs_fuse_getxattr_ret r = { .r = { 1, (char *) "v" } };
    send_reply (proc, serial, GUESTFS_STATUS_OK,
                (xdrproc_t) xdr_guestfs_fuse_getxattr_ret, &r);
    return;
  }
  case GUESTFS_PROC_FUSE_CLOSE: case GUESTFS_PROC_INTERNAL_AUTOSYNC:
    send_reply (proc, serial, GUESTFS_STATUS_OK, NULL, NULL);
    return;
  default:
    send_error (proc, serial, "ENOSYS");
  }
}

static void
fake_daemon (const char *path)
{
  memset (long_link, 'l', sizeof long_link - 1);
  int s = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  snprintf (addr.sun_path, sizeof addr.sun_path, "%s", path);
  if (bind (s, (struct sockaddr *) &addr, sizeof addr) == -1 ||
      listen (s, 1) == -1)
    _exit (1);
  conn = accept (s, NULL, NULL);
  char flag[4];
  wire_put_u32 (flag, GUESTFS_LAUNCH_FLAG);
  wire_write_full (conn, flag, 4);
  for (;;) {
    char lenbuf[4];
    if (wire_read_full (conn, lenbuf, 4) != 0)
      _exit (0);
    uint32_t len = wire_get_u32 (lenbuf);
    if (len > GUESTFS_MESSAGE_MAX || wire_read_full (conn, msg, len) != 0)
      _exit (0);
    XDR xdr;
    struct guestfs_message_header hdr;
    if (wire_decode_header (&xdr, msg, len, &hdr) == -1)
      _exit (0);
    serve (hdr.proc, hdr.serial, &xdr);
    xdr_destroy (&xdr);
  }
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
  pid_t parent = getpid ();
  env->daemon_pid = fork ();
  if (env->daemon_pid == 0) {
    prctl (PR_SET_PDEATHSIG, SIGKILL);
    if (getppid () != parent)
      _exit (1);
    fake_daemon (env->sock);
    _exit (0);
  }
  for (int i = 0; i < 200 && access (env->sock, F_OK) == -1; ++i)
    usleep (10000);
  int status = run_guestmount (env, (const char *[]) { "--pid-file",
                                                       env->pidfile,
                                                       env->mnt, NULL },
                               NULL);
  CHECK (status == 0);
  if (status != 0)
    return test_result ();
  size_t len;
  char *pid = read_file_all (env->pidfile, &len);
  env->gm_pid = pid ? atoi (pid) : 0;
  free (pid);

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
