/* Open-file handles and the fuse_* actions that use them: open (with
 * a prefetch of the start of the file), pread, pwrite, fsync,
 * fallocate, lseek, fstat and close.
 *
 * A handle is a slot in a fixed table plus a generation number, so a
 * stale or forged number from the library is refused (EBADF) instead
 * of reaching a descriptor that was since reused.  The table is
 * bounded: a client that never closes cannot exhaust the daemon's
 * descriptors, and everything is released when the client
 * disconnects, or before filesystems are unmounted.
 *
 * Connections are served by several threads (guestfsd.c), and a handle
 * opened on one may be used on another: the table is under
 * table_lock, and an action works on a duplicate of the handle's
 * descriptor, so a close on another connection never pulls the
 * descriptor from under a read (or lets its number be reused).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "daemon-actions.h"
#include "entry-format.h"
#include "entry.h"
#include "handles.h"

#define READ_AHEAD (8 * 1024 * 1024)     /* for sequential preads */
/* How much of a file's data read or written through a handle the
 * guest's page cache keeps behind the reader or writer (see
 * drop_behind). */
#define CACHE_WINDOW (16 * 1024 * 1024)
#define PREFETCH_MAX (1024 * 1024)       /* fuse_open */

#define SLOT_BITS 16
#define SLOT_MASK ((1 << SLOT_BITS) - 1)

struct slot {
  int fd;          /* -1: free */
  uint32_t gen;    /* bumped on every reuse of the slot */
  int64_t next;    /* where a sequential read would continue */
  bool written;    /* written through this handle */
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
/* Under table_lock: */
static struct slot slots[MAX_HANDLES];
static bool initialised;
static size_t nr_open;

static void
init_table (void)
{
  if (initialised)
    return;
  /* Start generations somewhere arbitrary, so that numbers from an
   * earlier connection are unlikely to be accepted by this one. */
  uint32_t seed = (uint32_t) time (NULL) ^ (uint32_t) getpid ();
  for (size_t i = 0; i < MAX_HANDLES; ++i) {
    slots[i].fd = -1;
    slots[i].gen = (seed + i * 2654435761u) & 0x7fffffff;
  }
  /* Each handle is a descriptor: make sure the table can be filled. */
  struct rlimit rl;
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
      rl.rlim_cur < MAX_HANDLES + 256) {
    rl.rlim_cur = rl.rlim_max < MAX_HANDLES + 256 ? rl.rlim_max
                                                  : MAX_HANDLES + 256;
    setrlimit (RLIMIT_NOFILE, &rl);
  }
  initialised = true;
}

int64_t
handle_add (int fd)
{
  SCOPED_LOCK (&table_lock);
  init_table ();
  for (size_t i = 0; i < MAX_HANDLES; ++i) {
    if (slots[i].fd != -1)
      continue;
    slots[i].fd = fd;
    slots[i].gen = (slots[i].gen + 1) & 0x7fffffff;
    slots[i].next = 0;
    slots[i].written = false;
    ++nr_open;
    return ((int64_t) slots[i].gen << SLOT_BITS) | (int64_t) i;
  }
  errno = EMFILE;
  return -1;
}

static struct slot *
find_slot (int64_t handle)
{
  if (!initialised || handle < 0)
    return NULL;
  uint64_t slot = (uint64_t) handle & SLOT_MASK;
  uint64_t gen = (uint64_t) handle >> SLOT_BITS;
  if (slot >= MAX_HANDLES || slots[slot].fd == -1 || slots[slot].gen != gen)
    return NULL;
  return &slots[slot];
}

int
handle_fd (int64_t handle)
{
  int fd;
  {
    SCOPED_LOCK (&table_lock);
    struct slot *s = find_slot (handle);
    fd = s ? fcntl (s->fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (s && fd == -1) {
      reply_with_perror ("handle %" PRIi64, handle);
      return -1;
    }
  }
  if (fd == -1)
    reply_with_error_errno (EBADF, "handle %" PRIi64 " is not open", handle);
  return fd;
}

bool
handle_read_continues (int64_t handle, int64_t offset, size_t len)
{
  SCOPED_LOCK (&table_lock);
  struct slot *s = find_slot (handle);
  if (s == NULL)
    return false;
  bool cont = offset == s->next;
  s->next = offset + len;
  return cont;
}

void
handle_note_write (int64_t handle)
{
  SCOPED_LOCK (&table_lock);
  struct slot *s = find_slot (handle);
  if (s)
    s->written = true;
}

int
handle_close (int64_t handle)
{
  int fd;
  bool written;
  {
    SCOPED_LOCK (&table_lock);
    struct slot *s = find_slot (handle);
    if (s == NULL) {
      errno = EBADF;
      return -1;
    }
    fd = s->fd;
    written = s->written;
    s->fd = -1;
    --nr_open;
  }
  /* Start writing the file's data out now, in the background: what
   * is on its way to the disk by the time the filesystems are synced
   * and unmounted does not have to be waited for then. */
  if (written)
    sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  /* What is clean leaves the guest's page cache (see drop_behind). */
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  return close (fd);
}

/* File data cached in the guest is little use: the host's kernel keeps
 * what it read through the mount in its own page cache, and reads of
 * mapped files go around the guest altogether.  Every page the guest
 * touches stays in qemu's memory, though, so a 500 MB copy would grow
 * qemu by 500 MB.  So a handle's reads and writes keep only the last
 * CACHE_WINDOW or two of the file cached: when one crosses a window
 * boundary, the window before the last is written out (waiting for it)
 * and dropped, and the last one starts its way to the disk.  The
 * drop is advice: a page some other user holds stays. */
static void
drop_behind (int fd, int64_t offset, size_t len, bool written)
{
  int64_t end = offset + (int64_t) len;
  int64_t boundary = end / CACHE_WINDOW * CACHE_WINDOW;
  if (len == 0 || boundary <= offset || boundary < 2 * CACHE_WINDOW)
    return;
  int64_t old = boundary - 2 * CACHE_WINDOW;
  if (written) {
    sync_file_range (fd, boundary - CACHE_WINDOW, CACHE_WINDOW,
                     SYNC_FILE_RANGE_WRITE);
    sync_file_range (fd, old, CACHE_WINDOW,
                     SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                         SYNC_FILE_RANGE_WAIT_AFTER);
  }
  posix_fadvise (fd, old, CACHE_WINDOW, POSIX_FADV_DONTNEED);
}

void
handles_release_all (void)
{
  SCOPED_LOCK (&table_lock);
  if (!initialised || nr_open == 0)
    return;
  for (size_t i = 0; i < MAX_HANDLES; ++i)
    if (slots[i].fd != -1) {
      close (slots[i].fd);
      slots[i].fd = -1;
    }
  debug ("released %zu open handles", nr_open);
  nr_open = 0;
}

void
handles_release_at_end (int *unused)
{
  (void) unused;
  handles_release_all ();
}

/* ---- The fuse_* actions on handles ---- */

#define OPEN_FLAGS_HONOURED                                                  \
  (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_SYNC | O_DSYNC | O_NOATIME)

static int
prefetch_into (guestfs_int_fuse_entry *e, int fd, int prefetch)
{
  size_t want = prefetch > PREFETCH_MAX ? PREFETCH_MAX : (size_t) prefetch;
  if (e->st_size >= 0 && (uint64_t) e->st_size < want)
    want = e->st_size;
  if (want == 0)
    return 0;
  char *buf = malloc (want);
  ssize_t got = buf ? pread_full (fd, buf, want, 0) : -1;
  if (got == -1) {
    free (buf);
    return -1;
  }
  e->data.data_val = buf;
  e->data.data_len = got;
  return 0;
}

/* O_CREAT for a caller who said whose a new file is: made in its
 * parent (O_EXCL first, to know whether this call made it), then
 * given its owner (create.c).  Returns the descriptor or -1. */
struct owned_open {
  int oflags;
  mode_t mode;
  const struct new_owner *owner;
  int fd;
};

static int
open_owned_in (int dirfd, const char *base, void *opaque)
{
  struct owned_open *o = opaque;
  mode_t old = umask (0);
  o->fd = openat (dirfd, base, o->oflags | O_EXCL, o->mode);
  umask (old);
  if (o->fd == -1 && errno == EEXIST && !(o->oflags & O_EXCL)) {
    o->fd = openat (dirfd, base, o->oflags & ~O_CREAT, 0);
    return o->fd == -1 ? -1 : 0;
  }
  if (o->fd == -1)
    return -1;
  if (give_new_owner (dirfd, base, o->owner, S_IFREG | o->mode) == -1) {
    int err = errno;
    close (o->fd);
    unlinkat (dirfd, base, 0);
    errno = err;
    return o->fd = -1;
  }
  return 0;
}

static int
open_owned (const char *path, int oflags, mode_t mode,
            const struct new_owner *owner)
{
  char *base;
  int dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    if (errno == EBUSY || errno == EINVAL)
      errno = EISDIR; /* "/", "." and "..": directories */
    return -1;
  }
  struct owned_open o = { .oflags = oflags, .mode = mode, .owner = owner };
  int r = open_owned_in (dirfd, base, &o);
  int err = errno;
  close (dirfd);
  free (base);
  errno = err;
  return r == -1 ? -1 : o.fd;
}

/* Open and check that it is a regular file.  O_NONBLOCK keeps a FIFO
 * that raced into place from blocking the daemon. */
static int
open_regular (const char *path, int flags, int mode,
              const struct new_owner *owner)
{
  int oflags = (flags & OPEN_FLAGS_HONOURED) | O_NOFOLLOW | O_NOCTTY |
               O_NONBLOCK;
  int fd;
  if ((oflags & O_CREAT) && (owner->uid >= 0 || owner->gid >= 0))
    fd = open_owned (path, oflags, mode & 07777, owner);
  else if (oflags & O_CREAT) {
    mode_t old = umask (0);
    fd = sysroot_open (path, oflags, mode & 07777);
    umask (old);
  } else
    fd = sysroot_open (path, oflags, 0);
  if (fd == -1)
    return -1;
  struct stat st;
  int err = 0;
  if (fstat (fd, &st) == -1)
    err = errno;
  else if (S_ISDIR (st.st_mode))
    err = EISDIR;
  else if (!S_ISREG (st.st_mode))
    err = EINVAL;
  if (err) {
    close (fd);
    errno = err;
    return -1;
  }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* Release a sequence of 8-byte big-endian handles.  Returns 0, or the
 * first errno and sets *bad to the handle that failed. */
static int
release_handles (const char *handles, size_t size, int64_t *bad)
{
  int first_err = 0;
  for (size_t i = 0; i < handle_list_count (size); ++i) {
    int64_t h = handle_list_get (handles, i);
    if (handle_close (h) == -1 && first_err == 0) {
      first_err = errno;
      *bad = h;
    }
  }
  return first_err;
}

guestfs_int_fuse_entry *
do_fuse_open (const char *path, int flags, int mode, int prefetch,
              const char *release, size_t release_size, int64_t uid,
              int64_t gid)
{
  struct new_owner owner = new_owner_of (0, uid, 1, gid);
  int64_t bad;
  if (release_handles (release, release_size, &bad) != 0)
    debug ("fuse_open: could not release handle %" PRIi64, bad);
  int fd = open_regular (path, flags, mode, &owner);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  guestfs_int_fuse_entry *e = entry_of_fd (fd);
  if (e == NULL) {
    close (fd);
    return NULL;
  }
  if (prefetch > 0 && (flags & O_ACCMODE) != O_WRONLY &&
      prefetch_into (e, fd, prefetch) == -1) {
    reply_with_perror ("%s: read", path);
    goto fail;
  }
  e->handle = handle_add (fd);
  if (e->handle == -1) {
    reply_with_error_errno (EMFILE, "%s: too many open handles (the limit "
                            "is %d)", path, MAX_HANDLES);
    goto fail;
  }
  return e;

fail:
  close (fd);
  entry_free (e);
  return NULL;
}

char *
do_fuse_pread (int64_t handle, int count, int64_t offset, size_t *size_r)
{
  if (count < 0 || count > IO_MAX || offset < 0) {
    reply_with_error_errno (EINVAL, "count %d or offset %" PRIi64 " out of "
                            "range (count is at most %d)", count, offset,
                            IO_MAX);
    return NULL;
  }
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  char *buf = malloc (count ? count : 1);
  if (buf == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  ssize_t got = pread_full (fd, buf, count, offset);
  if (got == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    free (buf);
    return NULL;
  }
  *size_r = got;
  /* A sequential reader: start reading what it will ask for next, so
   * that the disk works while this reply travels. */
  if (handle_read_continues (handle, offset, *size_r) &&
      *size_r == (size_t) count)
    posix_fadvise (fd, offset + count, READ_AHEAD, POSIX_FADV_WILLNEED);
  drop_behind (fd, offset, *size_r, false);
  return buf;
}

int
do_fuse_pwrite (int64_t handle, const char *content, size_t content_size,
                int64_t offset)
{
  if (content_size > IO_MAX || offset < 0) {
    reply_with_error_errno (EINVAL, "%zu bytes at offset %" PRIi64 ": out "
                            "of range (at most %d bytes)", content_size,
                            offset, IO_MAX);
    return -1;
  }
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  handle_note_write (handle);
  if (pwrite_all (fd, content, content_size, offset) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return -1;
  }
  drop_behind (fd, offset, content_size, true);
  return content_size;
}

int
do_fuse_fsync (int64_t handle, int datasync)
{
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  if ((datasync ? fdatasync (fd) : fsync (fd)) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return -1;
  }
  return 0;
}

int
do_fuse_close (const char *handles, size_t handles_size)
{
  if (!handle_list_whole (handles_size)) {
    reply_with_error_errno (EINVAL, "handles: %zu bytes is not a whole "
                            "number of 8-byte handles", handles_size);
    return -1;
  }
  int64_t first_bad = 0;
  int first_err = release_handles (handles, handles_size, &first_bad);
  if (first_err) {
    reply_with_perror_errno (first_err, "handle %" PRIi64, first_bad);
    return -1;
  }
  return 0;
}

int
do_fuse_fallocate (int64_t handle, int mode, int64_t offset, int64_t length)
{
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  if (fallocate (fd, mode, offset, length) == -1) {
    reply_with_perror ("handle %" PRIi64, handle);
    return -1;
  }
  return 0;
}

int64_t
do_fuse_lseek (int64_t handle, int64_t offset, int whence)
{
  if (whence != SEEK_DATA && whence != SEEK_HOLE) {
    reply_with_error_errno (EINVAL, "whence %d is not SEEK_DATA or "
                            "SEEK_HOLE", whence);
    return -1;
  }
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return -1;
  off_t r = lseek (fd, offset, whence);
  if (r == -1) {
    reply_with_perror ("handle %" PRIi64 ": offset %" PRIi64, handle,
                       offset);
    return -1;
  }
  return r;
}

guestfs_int_fuse_entry *
do_fuse_fstat (int64_t handle)
{
  CLEANUP_CLOSE int fd = handle_fd (handle);
  if (fd == -1)
    return NULL;
  return entry_of_fd (fd);
}
