/* internal_list_rpm_applications: the packages of the guest's rpm
 * database, for inspect_list_applications2.
 *
 * librpm reads the database, as in libguestfs, but neither in place nor
 * in the daemon's own process:
 *
 * - The database files are first copied into a private directory of
 *   the appliance.  SQLite must create the -shm and -wal files beside a
 *   WAL-mode database (rpm's) even to read it: on a guest mounted
 *   read-only that fails whenever the guest does not already have them,
 *   and on a guest mounted read-write it writes into the guest.  The
 *   copy reads the same whatever the mount, and the guest is never
 *   written.  (libguestfs instead chroots into the guest and opens the
 *   database where it is.)
 * - librpm runs in a child, guestfsd started again with
 *   --list-rpm-database (rpm-list.c): a crash, a loop or a runaway
 *   allocation on a hostile database ends that process, not the
 *   daemon, and its output is bounded like any program's.
 * - The guest's rpm configuration is not read (libguestfs reads it
 *   inside the chroot): its macros can expand to shell commands.  The
 *   database is looked for where rpm has kept it, and the backend named
 *   by its files.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"
#include "record-stream.h"
#include "byte-buffer.h"

/* The most the database files may take in the appliance (a large
 * Fedora installation's rpmdb.sqlite is a few hundred MiB). */
#define RPMDB_COPY_MAX (INT64_C (1) << 30)
/* The longest field of a package that is taken. */
#define RPM_FIELD_MAX (1024 * 1024)

/* Where rpm keeps its database: Fedora 36 and later, then older
 * systems (on newer ones a link to the first). */
static const char *const rpmdb_dirs[] = {"/usr/lib/sysimage/rpm",
                                         "/var/lib/rpm", NULL};

struct rpmdb_format {
  const char *backend; /* librpm's name; NULL: not readable here */
  const char *file;    /* the main file, which identifies the format */
  const char *journal; /* copied with it when the guest has it */
};
static const struct rpmdb_format rpmdb_formats[] = {
    {"sqlite", "rpmdb.sqlite", "rpmdb.sqlite-wal"},
    /* Berkeley DB, read by librpm's own read-only reader. */
    {"bdb_ro", "Packages", NULL},
    /* SUSE's ndb: Debian's librpm is built without it. */
    {NULL, "Packages.db", NULL},
    {NULL, NULL, NULL},
};

/* ---- Finding and copying the database ---- */

/* Open the regular file dir/name of the guest, or -1 (errno set). */
static int
open_guest_file (const char *dir, const char *name, char **path_r)
{
  char *path;
  if (asprintf (&path, "%s/%s", dir, name) == -1)
    return -1;
  int fd = sysroot_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  struct stat st;
  if (fd >= 0 && (fstat (fd, &st) == -1 || !S_ISREG (st.st_mode))) {
    close (fd);
    fd = -1;
    errno = EINVAL;
  }
  if (fd == -1) {
    int saved = errno;
    free (path);
    errno = saved;
    return -1;
  }
  *path_r = path;
  return fd;
}

/* The first database found: its format and the open main file, whose
 * guest path goes in *path_r.  Replies if there is none. */
static const struct rpmdb_format *
find_rpmdb (int *fd_r, char **path_r, const char **dir_r)
{
  for (size_t d = 0; rpmdb_dirs[d]; ++d)
    for (const struct rpmdb_format *f = rpmdb_formats; f->file; ++f) {
      int fd = open_guest_file (rpmdb_dirs[d], f->file, path_r);
      if (fd == -1)
        continue;
      if (f->backend == NULL) {
        reply_with_error_errno (ENOTSUP,
                                "%s: this rpm database format (ndb) cannot "
                                "be read here",
                                *path_r);
        close (fd);
        free (*path_r);
        return NULL;
      }
      *fd_r = fd;
      *dir_r = rpmdb_dirs[d];
      return f;
    }
  reply_with_error_errno (ENOENT, "no rpm database in %s or %s", rpmdb_dirs[0],
                          rpmdb_dirs[1]);
  return NULL;
}

/* Copy src into a new file name of dirfd, taking from *room. */
static int
copy_into (int src, int dirfd, const char *name, int64_t *room)
{
  enum { CHUNK = 1024 * 1024 };
  struct stat st;
  if (fstat (src, &st) == -1)
    return -1;
  if (st.st_size > *room) { /* refused before anything is copied */
    errno = EFBIG;
    return -1;
  }
  CLEANUP_CLOSE int dst =
      openat (dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  CLEANUP_FREE char *buf = malloc (CHUNK);
  if (dst == -1 || buf == NULL)
    return -1;
  for (off_t off = 0;;) {
    ssize_t n = read (src, buf, CHUNK);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      return n;
    if (n > *room) {
      errno = EFBIG;
      return -1;
    }
    *room -= n;
    if (pwrite_all (dst, buf, n, off) == -1)
      return -1;
    off += n;
  }
}

static int
remove_entry (int dirfd, const char *name, void *opaque)
{
  (void)opaque;
  if (unlinkat (dirfd, name, 0) == -1)
    debug ("rpm: removing %s: %m", name);
  return 0;
}

static void
remove_copy (char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    for_each_entry (fd, remove_entry, NULL); /* closes fd */
  if (rmdir (dir) == -1)
    debug ("rpm: removing %s: %m", dir);
}

/* Copy the database's files (main file fd, at path) into the directory
 * copy_fd; replies on failure. */
static int
copy_files (const struct rpmdb_format *f, int fd, const char *path,
            const char *dir, int copy_fd)
{
  int64_t room = RPMDB_COPY_MAX;
  if (copy_into (fd, copy_fd, f->file, &room) == -1) {
    reply_with_perror ("copying %s", path);
    return -1;
  }
  CLEANUP_FREE char *journal_path = NULL;
  CLEANUP_CLOSE int journal =
      f->journal ? open_guest_file (dir, f->journal, &journal_path) : -1;
  if (journal >= 0 && copy_into (journal, copy_fd, f->journal, &room) == -1) {
    reply_with_perror ("copying %s", journal_path);
    return -1;
  }
  return 0;
}

/* Copy the database into a new private directory, returned (malloc'd);
 * replies on failure. */
static char *
copy_rpmdb (const struct rpmdb_format *f, int fd, const char *path,
            const char *dir)
{
  char *copy = strdup ("/tmp/guestfsd-rpm.XXXXXX");
  if (copy == NULL || mkdtemp (copy) == NULL) {
    reply_with_perror ("mkdtemp");
    free (copy);
    return NULL;
  }
  CLEANUP_CLOSE int copy_fd = open (copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy_fd == -1)
    reply_with_perror ("%s", copy);
  if (copy_fd == -1 || copy_files (f, fd, path, dir, copy_fd) == -1) {
    remove_copy (copy);
    free (copy);
    return NULL;
  }
  return copy;
}

/* ---- Running librpm ---- */

/* The child's output, at most a reply's worth. */
struct output {
  char *data;
  size_t len, cap;
  bool too_big;
};

static int
gather (void *opaque, const void *buf, size_t len)
{
  struct output *o = opaque;
  if (len > REPLY_BUDGET - o->len) {
    o->too_big = true;
    return -1;
  }
  return byte_buffer_append (&o->data, &o->len, &o->cap, buf, len, 65536);
}

/* librpm's message, which names files of the copy, naming the guest's
 * directory instead (malloc'd, or NULL). */
static char *
guest_message (const char *err, const char *copy, const char *dir)
{
  CLEANUP_FREE char *line = one_line_message (err ? err : "");
  if (line == NULL)
    return NULL;
  size_t copy_len = strlen (copy), n = 0;
  for (const char *p = line; (p = strstr (p, copy)); p += copy_len)
    ++n;
  char *r = malloc (strlen (line) + n * strlen (dir) + 1), *q = r;
  if (r == NULL)
    return NULL;
  for (const char *p = line, *hit;; p = hit + copy_len) {
    hit = strstr (p, copy);
    size_t len = hit ? (size_t)(hit - p) : strlen (p);
    q = mempcpy (q, p, len);
    if (hit == NULL)
      break;
    q = stpcpy (q, dir);
  }
  *q = '\0';
  return r;
}

/* Run rpm-list.c's child on the copy of the database of the guest's
 * directory dir (main file path), its output into o.  Replies on
 * failure. */
static int
run_rpm_list (const char *backend, const char *copy, const char *dir,
              const char *path, struct output *o)
{
  const char *argv[] = {"/proc/self/exe", RPM_LIST_OPTION, backend, copy, NULL};
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdout_cb = gather;
  opts.opaque = o;
  CLEANUP_FREE char *err = NULL;
  int status = run_command_opts (NULL, &err, argv, &opts);
  if (status == -1 && o->too_big) {
    reply_with_error_errno (E2BIG,
                            "%s: the package list is too large for one "
                            "reply",
                            path);
    return -1;
  }
  if (status == -1) {
    reply_with_perror ("running librpm");
    return -1;
  }
  CLEANUP_FREE char *msg = guest_message (err, copy, dir);
  if (WIFSIGNALED (status)) {
    reply_with_error ("%s: librpm was killed by signal %d (%s)%s%s", path,
                      WTERMSIG (status), strsignal (WTERMSIG (status)),
                      msg && *msg ? ": " : "", msg ? msg : "");
    return -1;
  }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    reply_with_error ("%s: %s", path,
                      msg && *msg ? msg : "librpm could not read it");
    return -1;
  }
  if (msg && *msg)
    debug ("rpm: %s", msg);
  return 0;
}

/* ---- The list ---- */

struct package {
  guestfs_int_application2 app;
  size_t seq; /* position in librpm's iteration */
};

static void
free_package_fields (guestfs_int_application2 *a)
{
  xdr_free ((xdrproc_t)xdr_guestfs_int_application2, (char *)a);
}

static bool
get_field (FILE *fp, char **s)
{
  return record_get_bytes (fp, RPM_FIELD_MAX, true, s, NULL) == RECORD_OK;
}

/* One record of the child's stream: RECORD_OK, RECORD_EOF, or
 * RECORD_BAD for a malformed one (a is then left empty). */
static enum record_status
read_package (FILE *fp, guestfs_int_application2 *a)
{
  memset (a, 0, sizeof *a);
  enum record_status r = record_at_end (fp);
  if (r != RECORD_OK)
    return r;
  uint64_t epoch;
  if (get_field (fp, &a->app2_name) &&
      record_get_u64 (fp, &epoch) == RECORD_OK && epoch <= UINT32_MAX &&
      get_field (fp, &a->app2_version) && get_field (fp, &a->app2_release) &&
      get_field (fp, &a->app2_arch) && get_field (fp, &a->app2_url) &&
      get_field (fp, &a->app2_summary) &&
      get_field (fp, &a->app2_description)) {
    a->app2_epoch = (int32_t)(uint32_t)epoch; /* as libguestfs: int32 */
    return RECORD_OK;
  }
  free_package_fields (a);
  memset (a, 0, sizeof *a);
  return RECORD_BAD;
}

/* The fields rpm has no value for, empty as XDR needs them. */
static bool
fill_empty_fields (guestfs_int_application2 *a)
{
  char **empty[] = {
      &a->app2_display_name, &a->app2_install_path,   &a->app2_trans_path,
      &a->app2_publisher,    &a->app2_source_package, &a->app2_spare1,
      &a->app2_spare2,       &a->app2_spare3,         &a->app2_spare4};
  for (size_t i = 0; i < sizeof empty / sizeof empty[0]; ++i)
    if (*empty[i] == NULL && (*empty[i] = strdup ("")) == NULL)
      return false;
  return true;
}

/* By name; packages of the same name in the reverse of librpm's order,
 * which is where libguestfs leaves them (it collects them at the front
 * of a list, then sorts it by name, stably). */
static int
compare_packages (const void *x, const void *y)
{
  const struct package *a = x, *b = y;
  int c = strcmp (a->app.app2_name, b->app.app2_name);
  if (c)
    return c;
  return a->seq < b->seq ? 1 : a->seq > b->seq ? -1 : 0;
}

static void
free_packages (struct package *p, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    free_package_fields (&p[i].app);
  free (p);
}

/* Read the packages of the child's stream into *p_r and *n_r (in the
 * stream's order); replies on failure. */
static int
read_packages (const struct output *o, struct package **p_r, size_t *n_r)
{
  *p_r = NULL;
  *n_r = 0;
  if (o->len == 0)
    return 0;
  FILE *fp = fmemopen (o->data, o->len, "r");
  if (fp == NULL) {
    reply_with_perror ("fmemopen");
    return -1;
  }
  int ret = 0;
  for (;;) {
    guestfs_int_application2 a;
    enum record_status r = read_package (fp, &a);
    if (r == RECORD_EOF)
      break;
    struct package *q =
        r == RECORD_OK ? realloc (*p_r, (*n_r + 1) * sizeof **p_r) : NULL;
    if (q == NULL) {
      if (r == RECORD_OK) {
        free_package_fields (&a);
        reply_with_perror ("realloc");
      } else
        reply_with_error ("librpm's package list is malformed");
      ret = -1;
      break;
    }
    *p_r = q;
    q[*n_r].app = a;
    q[*n_r].seq = *n_r;
    if (!fill_empty_fields (&q[(*n_r)++].app)) {
      reply_with_perror ("strdup");
      ret = -1;
      break;
    }
  }
  fclose (fp);
  return ret;
}

/* The list from the child's output, sorted; replies on failure. */
static guestfs_int_application2_list *
parse_rpm_list (const struct output *o)
{
  struct package *p;
  size_t n;
  if (read_packages (o, &p, &n) == -1) {
    free_packages (p, n);
    return NULL;
  }
  if (n > 1) /* p is NULL when there are none */
    qsort (p, n, sizeof *p, compare_packages);
  guestfs_int_application2_list *r = calloc (1, sizeof *r);
  guestfs_int_application2 *v = calloc (n ? n : 1, sizeof *v);
  if (r == NULL || v == NULL) {
    free (r);
    free (v);
    free_packages (p, n);
    reply_with_perror ("calloc");
    return NULL;
  }
  for (size_t i = 0; i < n; ++i)
    v[i] = p[i].app;
  free (p);
  r->guestfs_int_application2_list_len = n;
  r->guestfs_int_application2_list_val = v;
  return r;
}

guestfs_int_application2_list *
do_internal_list_rpm_applications (void)
{
  int fd;
  CLEANUP_FREE char *path = NULL;
  const char *dir;
  const struct rpmdb_format *f = find_rpmdb (&fd, &path, &dir);
  if (f == NULL)
    return NULL;
  char *copy = copy_rpmdb (f, fd, path, dir);
  close (fd);
  if (copy == NULL)
    return NULL;
  struct output o = {0};
  guestfs_int_application2_list *r = NULL;
  if (run_rpm_list (f->backend, copy, dir, path, &o) == 0)
    r = parse_rpm_list (&o);
  free (o.data);
  remove_copy (copy);
  free (copy);
  if (r)
    debug ("rpm: %s: %u packages", path, r->guestfs_int_application2_list_len);
  return r;
}
