/* Walking trees (find, find0, du, checksums_out) and describing files
 * with host tools (ll, file, checksum).
 *
 * The walk opens each directory relative to its parent's descriptor
 * with O_NOFOLLOW, so it never leaves the tree it started in.  Tools
 * get a file as their stdin or a directory as their working directory,
 * never a path.
 */
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

/* ---- The walk ---- */

struct walk {
  walk_fn fn;
  void *opaque;
  char *failed; /* rel of the entry that failed, for the message */
};

static int walk_dir (struct walk *w, int fd, const char *prefix);

/* One entry of a directory being walked. */
struct walk_step {
  struct walk *w;
  const char *prefix;
};

static int
walk_entry (int dirfd, const char *name, void *opaque)
{
  struct walk_step *s = opaque;
  struct walk *w = s->w;
  char *rel;
  if (asprintf (&rel, "%s%s%s", s->prefix, *s->prefix ? "/" : "", name)
      == -1)
    return -1;
  struct stat st;
  int r = 0;
  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
    r = errno == ENOENT ? 0 : -1; /* vanished meanwhile */
  else if (w->fn (dirfd, name, rel, &st, w->opaque) == -1)
    r = -1;
  else if (S_ISDIR (st.st_mode)) {
    int fd = openat (dirfd, name,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    r = fd == -1 ? -1 : walk_dir (w, fd, rel);
  }
  if (r == -1 && w->failed == NULL)
    w->failed = rel; /* the deepest name that failed */
  else
    free (rel);
  return r;
}

/* Walk the directory open as fd (which this closes). */
static int
walk_dir (struct walk *w, int fd, const char *prefix)
{
  struct walk_step s = { w, prefix };
  return for_each_entry (fd, walk_entry, &s);
}

/* Walk everything below directory; replies on failure. */
int
walk_tree (const char *directory, walk_fn fn, void *opaque)
{
  int fd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", directory);
    return -1;
  }
  struct walk w = { fn, opaque, NULL };
  if (walk_dir (&w, fd, "") == 0)
    return 0;
  int err = errno;
  if (w.failed)
    reply_with_perror_errno (err, "%s%s%s", directory,
                             directory[1] ? "/" : "", w.failed);
  else
    reply_with_perror_errno (err, "%s", directory);
  free (w.failed);
  return -1;
}

/* ---- find, find0 ---- */

struct names {
  struct stringsbuf sb;
  size_t bytes;
};

static int
collect_name (int dirfd, const char *name, const char *rel,
              const struct stat *st, void *opaque)
{
  (void) dirfd, (void) name, (void) st;
  struct names *n = opaque;
  n->bytes += strlen (rel) + 8; /* length word and padding */
  if (n->bytes > REPLY_BUDGET) {
    errno = E2BIG; /* would not fit in the reply: find0 has no limit */
    return -1;
  }
  return add_string (&n->sb, rel);
}

char **
do_find (const char *directory)
{
  struct names n = { .bytes = 0 };
  if (walk_tree (directory, collect_name, &n) == -1) {
    free_stringsbuf (&n.sb);
    return NULL;
  }
  sort_strings (n.sb.argv, n.sb.size);
  return take_strings (&n.sb);
}

/* Output to a FileOut, sent in large chunks. */
struct out_buf {
  char data[65536];
  size_t len;
};

static int
out_flush (struct out_buf *o)
{
  int r = o->len ? send_file_write (o->data, o->len) : 0;
  o->len = 0;
  return r;
}

static int
out_write (struct out_buf *o, const char *s, size_t len)
{
  while (len > 0) {
    size_t n = sizeof o->data - o->len < len ? sizeof o->data - o->len : len;
    memcpy (o->data + o->len, s, n);
    o->len += n;
    s += n;
    len -= n;
    if (o->len == sizeof o->data && out_flush (o) == -1)
      return -1;
  }
  return 0;
}

/* End a FileOut action: flush and send the end chunk. */
static int
out_finish (struct out_buf *o, const char *what)
{
  if (out_flush (o) == -1) {
    reply_with_error_errno (ECANCELED, "%s: cancelled", what);
    return -1;
  }
  send_file_end (0);
  return 0;
}

static int
send_name0 (int dirfd, const char *name, const char *rel,
            const struct stat *st, void *opaque)
{
  (void) dirfd, (void) name, (void) st;
  return out_write (opaque, rel, strlen (rel) + 1);
}

int
do_find0 (const char *directory)
{
  struct out_buf *o = calloc (1, sizeof *o);
  if (o == NULL) {
    reply_with_perror ("calloc");
    return -1;
  }
  int r = walk_tree (directory, send_name0, o);
  if (r == 0)
    r = out_finish (o, directory);
  free (o);
  return r;
}

static int
send_entry0 (int dirfd, const char *name, void *opaque)
{
  (void) dirfd;
  return out_write (opaque, name, strlen (name) + 1);
}

int
do_ls0 (const char *dir)
{
  int fd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", dir);
    return -1;
  }
  struct out_buf *o = calloc (1, sizeof *o);
  if (o == NULL) {
    reply_with_perror ("calloc");
    close (fd);
    return -1;
  }
  int r = for_each_entry (fd, send_entry0, o);
  if (r == -1)
    reply_with_perror ("%s", dir);
  else
    r = out_finish (o, dir);
  free (o);
  return r;
}

/* ---- du ---- */

struct usage {
  uint64_t bytes;
  void *seen; /* tsearch tree of hard-linked inodes already counted */
};

/* Count st unless it is another name of an inode already counted. */
static int
count_usage (struct usage *u, const struct stat *st)
{
  if (st->st_nlink > 1 && !S_ISDIR (st->st_mode)) {
    struct inode_key *k = malloc (sizeof *k);
    if (k == NULL)
      return -1;
    k->dev = st->st_dev;
    k->ino = st->st_ino;
    struct inode_key **found = tsearch (k, &u->seen, compare_inode_keys);
    if (found == NULL) {
      free (k);
      return -1;
    }
    if (*found != k) {
      free (k);
      return 0;
    }
  }
  u->bytes += (uint64_t) st->st_blocks * 512;
  return 0;
}

static int
add_usage (int dirfd, const char *name, const char *rel,
           const struct stat *st, void *opaque)
{
  (void) dirfd, (void) name, (void) rel;
  return count_usage (opaque, st);
}

int64_t
do_du (const char *path)
{
  struct stat st;
  if (sysroot_lstat (path, &st) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  struct usage u = { 0, NULL };
  int r = count_usage (&u, &st);
  if (r == -1)
    reply_with_perror ("%s", path);
  else if (S_ISDIR (st.st_mode))
    r = walk_tree (path, add_usage, &u);
  tdestroy (u.seen, free);
  /* du's kilobytes round up. */
  return r == -1 ? -1 : (int64_t) ((u.bytes + 1023) / 1024);
}

/* ---- Tools: ll, file, checksums ---- */

/* Run argv with stdin_fd or in cwd_fd and return its stdout; replies
 * (with the tool's stderr) on failure. */
char *
run_tool (const char *const *argv, int stdin_fd, int cwd_fd)
{
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdin_fd = stdin_fd;
  opts.cwd_fd = cwd_fd;
  char *out = NULL, *err = NULL;
  int status = run_command_opts (&out, &err, argv, &opts);
  if (status == -1 && errno == E2BIG)
    reply_with_error_errno (E2BIG, "%s: the output does not fit in a "
                            "reply (see PROTOCOL LIMITS)", argv[0]);
  else if (status == -1)
    reply_with_perror ("%s", argv[0]);
  else if (reply_if_command_failed (argv[0], status, err) == -1) {
    free (out);
    out = NULL;
  }
  free (err);
  return out;
}

/* ls with option, run in directory. */
static char *
ls_in (const char *directory, const char *option)
{
  int fd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", directory);
    return NULL;
  }
  const char *argv[] = { "ls", option, NULL };
  char *out = run_tool (argv, -1, fd);
  close (fd);
  return out;
}

char *
do_ll (const char *directory)
{
  return ls_in (directory, "-la");
}

char *
do_llz (const char *directory)
{
  return ls_in (directory, "-laZ");
}

static void
chomp (char *s)
{
  size_t n = strlen (s);
  while (n > 0 && s[n - 1] == '\n')
    s[--n] = '\0';
}

/* What file(1) would say of a file it does not open. */
static const char *
describe_special (mode_t mode)
{
  switch (mode & S_IFMT) {
  case S_IFDIR: return "directory";
  case S_IFLNK: return "symbolic link";
  case S_IFCHR: return "character device";
  case S_IFBLK: return "block device";
  case S_IFIFO: return "FIFO";
  case S_IFSOCK: return "socket";
  default: return NULL;
  }
}

char *
do_file (const char *path)
{
  struct stat st;
  if (sysroot_lstat (path, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  /* Never open a FIFO (it would block) or a device. */
  const char *special = describe_special (st.st_mode);
  if (special) {
    char *r = strdup (special);
    if (r == NULL)
      reply_with_perror ("strdup");
    return r;
  }
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NOFOLLOW, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  const char *argv[] = { "file", "-zb", "-", NULL };
  char *out = run_tool (argv, fd, -1);
  close (fd);
  if (out)
    chomp (out);
  return out;
}

static const char *
checksum_program (const char *csumtype)
{
  static const struct {
    const char *type, *program;
  } kinds[] = {
    { "crc", "cksum" },         { "md5", "md5sum" },
    { "sha1", "sha1sum" },      { "sha224", "sha224sum" },
    { "sha256", "sha256sum" },  { "sha384", "sha384sum" },
    { "sha512", "sha512sum" },
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
    if (strcmp (csumtype, kinds[i].type) == 0)
      return kinds[i].program;
  reply_with_error_errno (EINVAL, "csumtype: \"%s\" is not one of crc, md5, "
                          "sha1, sha224, sha256, sha384, sha512", csumtype);
  return NULL;
}

/* Checksum what fd reads.  The tools print "SUM  -" (cksum: "CRC
 * SIZE"): keep the sum, and for cksum the size too if with_size. */
static char *
checksum_fd (const char *program, int fd, bool with_size)
{
  const char *argv[] = { program, NULL };
  char *out = run_tool (argv, fd, -1);
  if (out == NULL)
    return NULL;
  size_t n = strcspn (out, " \n");
  if (with_size && strcmp (program, "cksum") == 0 && out[n] == ' ')
    n += 1 + strcspn (out + n + 1, " \n");
  out[n] = '\0';
  return out;
}

char *
do_checksum (const char *csumtype, const char *path)
{
  const char *program = checksum_program (csumtype);
  if (program == NULL)
    return NULL;
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  struct stat st;
  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    if (fd != -1)
      close (fd);
    return NULL;
  }
  if (!S_ISREG (st.st_mode)) {
    close (fd);
    reply_with_error_errno (EINVAL, "%s: not a regular file", path);
    return NULL;
  }
  char *sum = checksum_fd (program, fd, false);
  close (fd);
  return sum;
}

char *
do_checksum_device (const char *csumtype, const char *device)
{
  const char *program = checksum_program (csumtype);
  if (program == NULL)
    return NULL;
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  char *sum = checksum_fd (program, fd, false);
  close (fd);
  return sum;
}

struct sums {
  const char *program;
  struct out_buf out;
};

static int
send_checksum (int dirfd, const char *name, const char *rel,
               const struct stat *st, void *opaque)
{
  struct sums *s = opaque;
  if (!S_ISREG (st->st_mode))
    return 0;
  int fd = openat (dirfd, name,
                   O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1)
    return -1;
  char *sum = checksum_fd (s->program, fd, true);
  close (fd);
  if (sum == NULL) {
    errno = EIO;
    return -1;
  }
  bool crc = strcmp (s->program, "cksum") == 0;
  char *line;
  int r = asprintf (&line, "%s%s./%s\n", sum, crc ? " " : "  ", rel);
  free (sum);
  if (r == -1)
    return -1;
  r = out_write (&s->out, line, strlen (line));
  free (line);
  return r;
}

int
do_checksums_out (const char *csumtype, const char *directory)
{
  const char *program = checksum_program (csumtype);
  if (program == NULL)
    return -1;
  struct sums *s = calloc (1, sizeof *s);
  if (s == NULL) {
    reply_with_perror ("calloc");
    return -1;
  }
  s->program = program;
  int r = walk_tree (directory, send_checksum, s);
  if (r == 0)
    r = out_finish (&s->out, directory);
  free (s);
  return r;
}
