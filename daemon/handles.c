/* Open-file handles for the fuse_* actions.
 *
 * A handle is a slot in a fixed table plus a generation number, so a
 * stale or forged number from the library is refused (EBADF) instead
 * of reaching a descriptor that was since reused.  The table is
 * bounded: a client that never closes cannot exhaust the daemon's
 * descriptors, and everything is released when the client
 * disconnects, or before filesystems are unmounted.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "handles.h"

#define SLOT_BITS 16
#define SLOT_MASK ((1 << SLOT_BITS) - 1)

struct slot {
  int fd;          /* -1: free */
  uint32_t gen;    /* bumped on every reuse of the slot */
  int64_t next;    /* where a sequential read would continue */
  bool written;    /* written through this handle */
};

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
  struct slot *s = find_slot (handle);
  if (s == NULL) {
    reply_with_error_errno (EBADF, "handle %" PRIi64 " is not open", handle);
    return -1;
  }
  return s->fd;
}

bool
handle_read_continues (int64_t handle, int64_t offset, size_t len)
{
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
  struct slot *s = find_slot (handle);
  if (s)
    s->written = true;
}

int
handle_close (int64_t handle)
{
  struct slot *s = find_slot (handle);
  if (s == NULL) {
    errno = EBADF;
    return -1;
  }
  int fd = s->fd;
  s->fd = -1;
  --nr_open;
  /* Start writing the file's data out now, in the background: what
   * is on its way to the disk by the time the filesystems are synced
   * and unmounted does not have to be waited for then. */
  if (s->written)
    sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  return close (fd);
}

void
fuse_handles_release_all (void)
{
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
fuse_handles_release_at_end (int *unused)
{
  (void) unused;
  fuse_handles_release_all ();
}
