/* The hivex group: reading and editing Windows Registry hives.
 *
 * One hive open at a time per daemon, as in libguestfs.  hivex opens
 * files by name, so it is given /proc/self/fd/N of a descriptor
 * resolved inside the sysroot (kept open while the hive is: a commit
 * without a file name opens it again through it).  A commit to another
 * file creates that file in its directory, not following a symbolic
 * link, and hands hivex the new file's descriptor.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static hive_h *hive;
static int hive_fd = -1; /* the hive file, O_PATH */

static void
close_hive (void)
{
  if (hive)
    hivex_close (hive);
  hive = NULL;
  if (hive_fd >= 0)
    close (hive_fd);
  hive_fd = -1;
}

static int
need_hive (void)
{
  if (hive == NULL) {
    reply_with_error ("you must call 'hivex-open' first to initialize the "
                      "hivex handle");
    return -1;
  }
  return 0;
}

/* Positions of hivex_open's optional arguments in optargs_bitmask. */
enum { OPT_VERBOSE, OPT_DEBUG, OPT_WRITE, OPT_UNSAFE };
#define HAS_OPT(o) ((optargs_bitmask & (UINT64_C (1) << (o))) != 0)

static int
open_flags (int verbose, int debug, int write, int unsafe)
{
  int flags = 0;
  if (HAS_OPT (OPT_VERBOSE) && verbose)
    flags |= HIVEX_OPEN_VERBOSE;
  if (HAS_OPT (OPT_DEBUG) && debug)
    flags |= HIVEX_OPEN_DEBUG;
  if (HAS_OPT (OPT_WRITE) && write)
    flags |= HIVEX_OPEN_WRITE;
  if (HAS_OPT (OPT_UNSAFE) && unsafe)
    flags |= HIVEX_OPEN_UNSAFE;
  return flags;
}

int
do_hivex_open (const char *filename, int verbose, int debug, int write,
               int unsafe)
{
  close_hive ();
  hive_fd = sysroot_open (filename, O_PATH, 0);
  struct stat st;
  if (hive_fd == -1 || fstat (hive_fd, &st) == -1) {
    reply_with_perror ("%s", filename);
    close_hive ();
    return -1;
  }
  /* hivex opens the file itself: a FIFO or a device planted by the
   * guest must not reach it. */
  if (!S_ISREG (st.st_mode)) {
    reply_with_error_errno (EINVAL, "%s: not a regular file", filename);
    close_hive ();
    return -1;
  }
  CLEANUP_FREE char *path = sysroot_fd_path (hive_fd);
  if (path)
    hive = hivex_open (path, open_flags (verbose, debug, write, unsafe));
  if (hive == NULL) {
    reply_with_perror ("hivex failed to open %s", filename);
    close_hive ();
    return -1;
  }
  return 0;
}

int
do_hivex_close (void)
{
  if (need_hive () == -1)
    return -1;
  close_hive ();
  return 0;
}

/* Commit to a new file: created (or truncated) in its directory,
 * never through a symbolic link. */
static int
commit_to (const char *filename)
{
  if (check_pathname ("filename", filename) == -1)
    return -1;
  char *base;
  int dirfd = sysroot_open_parent (filename, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", filename);
    return -1;
  }
  int fd =
      openat (dirfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  int err = errno;
  close (dirfd);
  free (base);
  if (fd == -1) {
    reply_with_perror_errno (err, "%s", filename);
    return -1;
  }
  CLEANUP_FREE char *path = sysroot_fd_path (fd);
  int r = path ? hivex_commit (hive, path, 0) : -1;
  err = errno;
  close (fd);
  if (r == -1)
    reply_with_perror_errno (err, "%s", filename);
  return r;
}

int
do_hivex_commit (const char *filename)
{
  if (need_hive () == -1)
    return -1;
  if (filename)
    return commit_to (filename);
  if (hivex_commit (hive, NULL, 0) == -1) {
    reply_with_perror ("failed");
    return -1;
  }
  return 0;
}

/* ---- Nodes ---- */

int64_t
do_hivex_root (void)
{
  if (need_hive () == -1)
    return -1;
  hive_node_h r = hivex_root (hive);
  if (r == 0) {
    reply_with_perror ("failed");
    return -1;
  }
  return r;
}

char *
do_hivex_node_name (int64_t nodeh)
{
  if (need_hive () == -1)
    return NULL;
  char *r = hivex_node_name (hive, nodeh);
  if (r == NULL)
    reply_with_perror ("failed");
  return r;
}

/* A hivex list of handles (0-terminated) as an array of API structs,
 * each of which holds just the handle (elem_size bytes, the handle
 * first).  Replies on error. */
static void *
handle_array (const size_t *handles, size_t elem_size, u_int *len)
{
  size_t n = 0;
  while (handles[n])
    ++n;
  char *v = calloc (n ? n : 1, elem_size);
  if (v == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    int64_t h = handles[i];
    memcpy (v + i * elem_size, &h, sizeof h);
  }
  *len = n;
  return v;
}

guestfs_int_hivex_node_list *
do_hivex_node_children (int64_t nodeh)
{
  if (need_hive () == -1)
    return NULL;
  CLEANUP_FREE hive_node_h *children = hivex_node_children (hive, nodeh);
  if (children == NULL) {
    reply_with_perror ("failed");
    return NULL;
  }
  guestfs_int_hivex_node_list *ret = calloc (1, sizeof *ret);
  if (ret == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  ret->guestfs_int_hivex_node_list_val =
      handle_array (children, sizeof (guestfs_int_hivex_node),
                    &ret->guestfs_int_hivex_node_list_len);
  if (ret->guestfs_int_hivex_node_list_val == NULL) {
    free (ret);
    return NULL;
  }
  return ret;
}

int64_t
do_hivex_node_get_child (int64_t nodeh, const char *name)
{
  if (need_hive () == -1)
    return -1;
  /* 0 with errno 0: no such child, not an error. */
  errno = 0;
  hive_node_h r = hivex_node_get_child (hive, nodeh, name);
  if (r == 0 && errno != 0) {
    reply_with_perror ("failed");
    return -1;
  }
  return r;
}

int64_t
do_hivex_node_parent (int64_t nodeh)
{
  if (need_hive () == -1)
    return -1;
  hive_node_h r = hivex_node_parent (hive, nodeh);
  if (r == 0) {
    reply_with_perror ("failed");
    return -1;
  }
  return r;
}

int64_t
do_hivex_node_add_child (int64_t parent, const char *name)
{
  if (need_hive () == -1)
    return -1;
  hive_node_h r = hivex_node_add_child (hive, parent, name);
  if (r == 0) {
    reply_with_perror ("failed");
    return -1;
  }
  return r;
}

int
do_hivex_node_delete_child (int64_t nodeh)
{
  if (need_hive () == -1)
    return -1;
  if (hivex_node_delete_child (hive, nodeh) == -1) {
    reply_with_perror ("failed");
    return -1;
  }
  return 0;
}

/* ---- Values ---- */

guestfs_int_hivex_value_list *
do_hivex_node_values (int64_t nodeh)
{
  if (need_hive () == -1)
    return NULL;
  CLEANUP_FREE hive_value_h *values = hivex_node_values (hive, nodeh);
  if (values == NULL) {
    reply_with_perror ("failed");
    return NULL;
  }
  guestfs_int_hivex_value_list *ret = calloc (1, sizeof *ret);
  if (ret == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  ret->guestfs_int_hivex_value_list_val =
      handle_array (values, sizeof (guestfs_int_hivex_value),
                    &ret->guestfs_int_hivex_value_list_len);
  if (ret->guestfs_int_hivex_value_list_val == NULL) {
    free (ret);
    return NULL;
  }
  return ret;
}

int64_t
do_hivex_node_get_value (int64_t nodeh, const char *key)
{
  if (need_hive () == -1)
    return -1;
  /* 0 with errno 0: no such value, not an error. */
  errno = 0;
  hive_value_h r = hivex_node_get_value (hive, nodeh, key);
  if (r == 0 && errno != 0) {
    reply_with_perror ("failed");
    return -1;
  }
  return r;
}

char *
do_hivex_value_key (int64_t valueh)
{
  if (need_hive () == -1)
    return NULL;
  char *r = hivex_value_key (hive, valueh);
  if (r == NULL)
    reply_with_perror ("failed");
  return r;
}

int64_t
do_hivex_value_type (int64_t valueh)
{
  if (need_hive () == -1)
    return -1;
  hive_type t;
  if (hivex_value_type (hive, valueh, &t, NULL) == -1) {
    reply_with_perror ("failed");
    return -1;
  }
  return t;
}

char *
do_hivex_value_value (int64_t valueh, size_t *size_r)
{
  if (need_hive () == -1)
    return NULL;
  hive_type t;
  size_t size;
  char *r = hivex_value_value (hive, valueh, &t, &size);
  if (r == NULL) {
    reply_with_perror ("failed");
    return NULL;
  }
  *size_r = size;
  return r;
}

char *
do_hivex_value_string (int64_t valueh)
{
  if (need_hive () == -1)
    return NULL;
  char *r = hivex_value_string (hive, valueh);
  if (r == NULL)
    reply_with_perror ("failed");
  return r;
}

char *
do_hivex_value_utf8 (int64_t valueh)
{
  return do_hivex_value_string (valueh);
}

int
do_hivex_node_set_value (int64_t nodeh, const char *key, int64_t t,
                         const char *val, size_t val_size)
{
  if (need_hive () == -1)
    return -1;
  hive_set_value v = {
      .key = (char *)key,
      .t = t,
      .len = val_size,
      .value = (char *)val,
  };
  if (hivex_node_set_value (hive, nodeh, &v, 0) == -1) {
    reply_with_perror ("failed");
    return -1;
  }
  return 0;
}

void
hivex_close_at_end (int *unused)
{
  (void)unused;
  close_hive ();
}
