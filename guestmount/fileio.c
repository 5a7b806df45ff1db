/* Open files: read-ahead, write coalescing, deferred releases.
 * See fileio.h.
 *
 * Lock order: fh->lock, then cache_lock or dirty_lock (never the
 * other way round while waiting for fh->lock).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "direct.h"
#include "fileio.h"
#include "byte-buffer.h"

/* Buffered writes older than this are sent even if nobody asks. */
#define WRITE_MAX_AGE 1.0
/* Deferred releases older than this are sent on their own. */
#define RELEASE_MAX_AGE 1.0

static pthread_mutex_t dirty_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fh *dirty_head;

/* Every open file (not yet released by the kernel). */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fh *all_head;

static pthread_mutex_t release_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t releases[RELEASE_BATCH];
static size_t nr_releases;
static double oldest_release;

/* ---- Deferred releases ---- */

static void
release_later (int64_t handle)
{
  int64_t batch[RELEASE_BATCH];
  size_t n = 0;
  pthread_mutex_lock (&release_lock);
  if (nr_releases == RELEASE_BATCH) {
    n = nr_releases;
    memcpy (batch, releases, n * sizeof *batch);
    nr_releases = 0;
  }
  if (nr_releases == 0)
    oldest_release = now ();
  releases[nr_releases++] = handle;
  pthread_mutex_unlock (&release_lock);
  if (n > 0)
    remote_close (batch, n);
}

size_t
release_take (int64_t *buf, size_t max)
{
  SCOPED_LOCK (&release_lock);
  size_t n = nr_releases < max ? nr_releases : max;
  memcpy (buf, releases + nr_releases - n, n * sizeof *buf);
  nr_releases -= n;
  return n;
}

void
release_flush (void)
{
  int64_t batch[RELEASE_BATCH];
  size_t n = release_take (batch, RELEASE_BATCH);
  if (n > 0)
    remote_close (batch, n);
}

/* ---- Life of an open file ---- */

static struct fh *
fh_alloc (struct node *n, int64_t handle, int flags, char *data, size_t len,
          bool eof);

struct fh *
fh_new (struct node *n, struct rentry *e, int flags, size_t prefetch)
{
  bool eof = e->data_len < prefetch || (off_t) e->data_len == e->st.st_size;
  struct fh *fh = fh_alloc (n, e->handle, flags, e->data, e->data_len, eof);
  if (fh == NULL)
    return NULL;
  e->data = NULL;
  SCOPED_LOCK (&cache_mutex);
  /* The only open file: the size the daemon just gave is the one the
   * kernel has, and stays known while every change comes through fh
   * writes (a deferred attribute change is answered from it). */
  if (n->files == fh && fh->next == NULL) {
    n->size_known = true;
    n->known_size = e->st.st_size;
  } else if (flags & O_TRUNC)
    n->size_known = false;
  return fh;
}

void
node_size_changed (struct node *n)
{
  SCOPED_LOCK (&cache_mutex);
  n->size_known = false;
}

struct fh *
fh_new_prefetched (struct node *n, char *data, size_t len, bool whole,
                   int flags)
{
  struct fh *fh = fh_alloc (n, -1, flags, data, len, whole);
  if (fh == NULL)
    free (data);
  return fh;
}

static struct fh *
fh_alloc (struct node *n, int64_t handle, int flags, char *data, size_t len,
          bool eof)
{
  struct fh *fh = calloc (1, sizeof *fh);
  if (fh == NULL)
    return NULL;
  pthread_mutex_init (&fh->lock, NULL);
  atomic_init (&fh->refs, 1);
  fh->handle = handle;
  fh->flags = flags;
  fh->window = OPEN_PREFETCH;
  if (data) {
    fh->ra = data;
    fh->ra_len = len;
    fh->ra_off = 0;
    fh->ra_eof = eof;
  }
  {
    SCOPED_LOCK (&cache_mutex);
    fh->node = n;
    node_ref (n);
    fh->ra_gen = atomic_load (&n->data_gen);
    fh->next = n->files;
    n->files = fh;
  }
  SCOPED_LOCK (&all_lock);
  fh->anext = all_head;
  if (all_head)
    all_head->aprev = fh;
  all_head = fh;
  return fh;
}

static void
forget_open (struct fh *fh)
{
  SCOPED_LOCK (&all_lock);
  if (fh->aprev)
    fh->aprev->anext = fh->anext;
  else if (all_head == fh)
    all_head = fh->anext;
  if (fh->anext)
    fh->anext->aprev = fh->aprev;
  fh->aprev = fh->anext = NULL;
}

static void
fh_get (struct fh *fh)
{
  atomic_fetch_add (&fh->refs, 1);
}

/* The last reference: the daemon handle can go. */
void
fh_put (struct fh *fh)
{
  if (atomic_fetch_sub (&fh->refs, 1) != 1)
    return;
  if (fh->handle >= 0)
    release_later (fh->handle);
  free (fh->ra);
  free (fh->wb);
  extent_map_free (fh->map);
  pthread_mutex_destroy (&fh->lock);
  cache_unref (fh->node);
  free (fh);
}

void
fh_release (struct fh *fh)
{
  forget_open (fh);
  int r = fh_flush (fh);
  if (r < 0)
    debug ("release: buffered writes lost: %s", strerror (-r));
  {
    SCOPED_LOCK (&cache_mutex);
    for (struct fh **pp = &fh->node->files; *pp; pp = &(*pp)->next)
      if (*pp == fh) {
        *pp = fh->next;
        break;
      }
  }
  fh_put (fh);
}

int64_t
node_open_handle (struct node *n, struct fh **fh_out)
{
  SCOPED_LOCK (&cache_mutex);
  struct fh *fh = n->files;
  while (fh && fh->handle < 0)
    fh = fh->next;
  if (fh)
    fh_get (fh);
  *fh_out = fh;
  return fh ? fh->handle : -1;
}

/* Open a daemon handle for a file that had none (fh->lock held). */
static int
ensure_handle (struct fh *fh)
{
  if (fh->handle >= 0)
    return 0;
  CLEANUP_FREE char *path = cache_path_of (fh->node);
  if (path == NULL)
    return -errno;
  struct rentry e;
  int r = remote_open (path, O_RDONLY, 0, NULL, 0, NULL, 0, &e);
  if (r < 0)
    return r;
  if (!node_is (fh->node, &e.st)) {
    remote_close (&e.handle, 1); /* another file has the name now */
    r = -ESTALE;
  } else
    fh->handle = e.handle;
  rentry_free (&e);
  return r;
}

int
fh_handle (struct fh *fh, int64_t *handle)
{
  SCOPED_LOCK (&fh->lock);
  int r = ensure_handle (fh);
  *handle = fh->handle;
  return r;
}

/* ---- Writes ---- */

static void
mark_dirty (struct fh *fh)
{
  fh->wb_since = now ();
  atomic_fetch_add (&fh->node->dirty, 1);
  SCOPED_LOCK (&dirty_lock);
  fh->dprev = NULL;
  fh->dnext = dirty_head;
  if (dirty_head)
    dirty_head->dprev = fh;
  dirty_head = fh;
}

static void
mark_clean (struct fh *fh)
{
  pthread_mutex_lock (&dirty_lock);
  if (fh->dprev)
    fh->dprev->dnext = fh->dnext;
  else
    dirty_head = fh->dnext;
  if (fh->dnext)
    fh->dnext->dprev = fh->dprev;
  fh->dprev = fh->dnext = NULL;
  pthread_mutex_unlock (&dirty_lock);
  atomic_fetch_sub (&fh->node->dirty, 1);
}

/* The contents changed: read-ahead everywhere is stale, and so is
 * the status (size, times).  end: where the write ended (0: the
 * data was already counted; -1: unknown after a failure). */
static void
contents_changed (struct node *n, off_t end)
{
  atomic_fetch_add (&n->data_gen, 1);
  SCOPED_LOCK (&cache_mutex);
  node_written (n);
  if (end < 0)
    n->size_known = false;
  else if (end > n->known_size)
    n->known_size = end;
}

/* Changes that may wait for the data before them.  Not a change of
 * size (it orders with the data), of owner (it clears the set-id
 * bits a later mode may set), nor a time set to "now". */
#define DEFERRABLE_CHANGES \
  (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME)

/* c applied after into: one change with the same result. */
static void
merge_change (struct attr_change *into, const struct attr_change *c)
{
  if (c->valid & FUSE_SET_ATTR_MODE)
    into->st.st_mode = c->st.st_mode;
  if (c->valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW)) {
    into->valid &= ~(FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW);
    into->st.st_atim = c->st.st_atim;
  }
  if (c->valid & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
    into->valid &= ~(FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW);
    into->st.st_mtim = c->st.st_mtim;
  }
  into->valid |= c->valid;
}

/* Send the write buffer, with the deferred change (fh->lock held). */
static int
flush_locked (struct fh *fh)
{
  if (fh->wb_len == 0)
    return 0;
  int r;
  if (fh->pend.valid) {
    struct rentry e;
    r = remote_pwrite_setattr (fh->handle, fh->wb, fh->wb_len, fh->wb_off,
                               &fh->pend, &e);
    if (r == 0)
      rentry_free (&e);
    fh->pend.valid = 0;
  } else
    r = remote_pwrite (fh->handle, fh->wb, fh->wb_len, fh->wb_off);
  fh->wb_len = 0;
  mark_clean (fh);
  contents_changed (fh->node, r < 0 ? -1 : 0);
  return r < 0 ? r : 0;
}

bool
fh_defer_change (struct fh *fh, const struct attr_change *c)
{
  if (c->valid == 0 || (c->valid & ~DEFERRABLE_CHANGES))
    return false;
  SCOPED_LOCK (&fh->lock);
  if (fh->wb_len == 0 || fh->write_err)
    return false;
  merge_change (&fh->pend, c);
  return true;
}

static int
take_write_error (struct fh *fh)
{
  int err = fh->write_err;
  fh->write_err = 0;
  return -err;
}

int
fh_flush (struct fh *fh)
{
  SCOPED_LOCK (&fh->lock);
  int r = flush_locked (fh);
  if (r == 0)
    r = take_write_error (fh);
  return r;
}

int
fh_write (struct fh *fh, const char *buf, size_t size, off_t off)
{
  SCOPED_LOCK (&fh->lock);
  int r = take_write_error (fh);
  if (r < 0)
    return r;
  /* A deferred change of the times must not precede this write. */
  if (fh->wb_len > 0 &&
      (off != fh->wb_off + (off_t) fh->wb_len ||
       fh->wb_len + size > IO_MAX || fh->pend.valid)) {
    r = flush_locked (fh);
    if (r < 0)
      return r;
  }
  bool sync = fh->flags & (O_SYNC | O_DSYNC);
  if (sync || size > IO_MAX / 2) {
    r = remote_pwrite (fh->handle, buf, size, off);
    contents_changed (fh->node, r < 0 ? -1 : off + r);
    return r;
  }
  /* The gathered writes stay within IO_MAX (flushed above), a power of
   * two, so the buffer never grows beyond it. */
  bool first = fh->wb_len == 0;
  if (byte_buffer_append (&fh->wb, &fh->wb_len, &fh->wb_cap, buf, size,
                          256 * 1024) == -1)
    return -ENOMEM;
  if (first) {
    fh->wb_off = off;
    mark_dirty (fh);
  }
  contents_changed (fh->node, off + (off_t) size);
  r = size;
  /* Send it as soon as another full-size request could not fit. */
  if (fh->wb_len + FUSE_IO_MAX > IO_MAX) {
    int f = flush_locked (fh);
    if (f < 0)
      r = f;
  }
  return r;
}

/* Flush in the background: an error is kept for the file. */
static void
flush_keep_error (struct fh *fh)
{
  SCOPED_LOCK (&fh->lock);
  int r = flush_locked (fh);
  if (r < 0 && fh->write_err == 0)
    fh->write_err = -r;
}

void
node_flush_writes_except (struct node *n, struct fh *except)
{
  if (atomic_load (&n->dirty) == 0)
    return;
  struct fh *list[64];
  size_t k = 0;
  {
    SCOPED_LOCK (&cache_mutex);
    for (struct fh *fh = n->files; fh && k < 64; fh = fh->next) {
      if (fh == except)
        continue;
      fh_get (fh);
      list[k++] = fh;
    }
  }
  for (size_t i = 0; i < k; ++i) {
    flush_keep_error (list[i]);
    fh_put (list[i]);
  }
}

struct fh *
node_dirty_file (struct node *n)
{
  if (atomic_load (&n->dirty) == 0)
    return NULL;
  SCOPED_LOCK (&dirty_lock);
  struct fh *found = NULL;
  for (struct fh *fh = dirty_head; fh && !found; fh = fh->dnext)
    if (fh->node == n)
      found = fh;
  if (found)
    fh_get (found);
  return found;
}

int
fh_flush_with_change (struct fh *fh, const struct attr_change *c,
                      struct rentry *e)
{
  SCOPED_LOCK (&fh->lock);
  int r = take_write_error (fh);
  /* A change of size or owner goes after the deferred one. */
  if (r == 0 && fh->pend.valid &&
      (c->valid & (FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)))
    r = flush_locked (fh);
  if (r == 0 && fh->wb_len > 0) {
    struct attr_change all = fh->pend;
    merge_change (&all, c);
    r = remote_pwrite_setattr (fh->handle, fh->wb, fh->wb_len, fh->wb_off,
                               &all, e);
    fh->pend.valid = 0;
    fh->wb_len = 0;
    mark_clean (fh);
    contents_changed (fh->node, r < 0 ? -1 : 0);
    if (r == 0)
      r = 1;
  }
  return r;
}

/* ---- Reads ---- */

static bool
ra_serves (const struct fh *fh, off_t off, size_t size, uint64_t gen)
{
  if (fh->ra == NULL || fh->ra_gen != gen || off < fh->ra_off)
    return false;
  off_t end = fh->ra_off + (off_t) fh->ra_len;
  return off + (off_t) size <= end || (fh->ra_eof && off <= end);
}

static void
drop_ra (struct fh *fh)
{
  free (fh->ra);
  fh->ra = NULL;
  fh->ra_len = 0;
}

/* How much to fetch for a read of size at off.  The kernel's
 * read-ahead requests can arrive a little out of order, so a read
 * near where the last one ended still counts as sequential. */
static size_t
fetch_size (struct fh *fh, off_t off, size_t size)
{
  off_t gap = off - fh->seq_next;
  bool seq = gap >= -(off_t) fh->window && gap <= (off_t) fh->window;
  if (seq) {
    size_t w = fh->window * 2;
    fh->window = w > IO_MAX ? IO_MAX : w;
    return size > fh->window ? size : fh->window;
  }
  if (fh->window > OPEN_PREFETCH)
    fh->window /= 2; /* random reads: back off, but not at once */
  return size;
}

/* A sequential reader of a mapped file: keep the host's kernel reading
 * the image DIRECT_AHEAD ahead of it, in DIRECT_AHEAD / 2 steps.  Its
 * own read-ahead on the image is as small as the disk's read_ahead_kb
 * (128 KiB here), one request at a time: on a disk with some latency
 * that is far from what the disk can do. */
#define DIRECT_AHEAD (16 * 1024 * 1024)

static void
direct_read_ahead (struct fh *fh, off_t off, size_t n)
{
  if (off != fh->seq_next || n == 0)
    return;
  uint64_t end = (uint64_t) off + n;
  if (fh->direct_ahead < end)
    fh->direct_ahead = end;
  if (fh->direct_ahead - end >= DIRECT_AHEAD / 2)
    return;
  direct_prefetch (fh->map, fh->direct_ahead, DIRECT_AHEAD / 2);
  fh->direct_ahead += DIRECT_AHEAD / 2;
}

/* Serve a read from the images if the file's map allows (fh->lock
 * held): 0 if replied, 1 if the daemon must serve it.  The map is
 * fetched once per open, under the data generation of the time, so
 * that a change through the mount during or after the call retires
 * it. */
static int
direct_read (struct fh *fh, size_t size, off_t off, uint64_t gen,
             fuse_req_t req)
{
  if (!direct_enabled ())
    return 1;
  if (!fh->map_tried) {
    fh->map_tried = true;
    if (ensure_handle (fh) == 0) {
      CLEANUP_FREE char *path = config.verbose ? cache_path_of (fh->node)
                                               : NULL;
      fh->map = direct_map (fh->handle, path ? path : "?");
      fh->map_gen = gen;
    }
  }
  if (fh->map == NULL || fh->map_gen != gen)
    return 1;
  CLEANUP_FREE char *buf = malloc (size ? size : 1);
  if (buf == NULL)
    return 1;
  ssize_t n = direct_pread (fh->map, buf, size, off);
  if (n < 0)
    return 1;
  fuse_reply_buf (req, buf, n);
  direct_read_ahead (fh, off, n);
  fh->seq_next = off + n;
  return 0;
}

int
fh_read (struct fh *fh, size_t size, off_t off, fuse_req_t req)
{
  node_flush_writes (fh->node);
  SCOPED_LOCK (&fh->lock);
  uint64_t gen = atomic_load (&fh->node->data_gen);
  if (ra_serves (fh, off, size, gen)) {
    size_t start = off - fh->ra_off;
    size_t n = fh->ra_len - start < size ? fh->ra_len - start : size;
    fuse_reply_buf (req, fh->ra + start, n);
    fh->seq_next = off + n;
    if (start + n == fh->ra_len && !fh->ra_eof)
      drop_ra (fh); /* all used: the next read fetches more */
    return 0;
  }
  if (direct_read (fh, size, off, gen, req) == 0)
    return 0;
  size_t want = fetch_size (fh, off, size);
  char *buf;
  size_t len;
  int r = ensure_handle (fh);
  if (r == 0)
    r = remote_pread (fh->handle, want, off, &buf, &len);
  if (r < 0)
    return r;
  size_t n = len < size ? len : size;
  fuse_reply_buf (req, buf, n);
  fh->seq_next = off + n;
  drop_ra (fh);
  if (len > n || len < want) { /* more than asked for, or the end */
    fh->ra = buf;
    fh->ra_off = off;
    fh->ra_len = len;
    fh->ra_gen = gen;
    fh->ra_eof = len < want;
  } else
    free (buf);
  return 0;
}

/* ---- Background work ---- */

void
fileio_maintenance (void)
{
  double t = now ();
  struct fh *list[64];
  size_t k = 0;
  pthread_mutex_lock (&dirty_lock);
  for (struct fh *fh = dirty_head; fh && k < 64; fh = fh->dnext)
    if (t - fh->wb_since > WRITE_MAX_AGE) {
      fh_get (fh);
      list[k++] = fh;
    }
  pthread_mutex_unlock (&dirty_lock);
  for (size_t i = 0; i < k; ++i) {
    flush_keep_error (list[i]);
    fh_put (list[i]);
  }
  pthread_mutex_lock (&release_lock);
  bool old = nr_releases > 0 && t - oldest_release > RELEASE_MAX_AGE;
  pthread_mutex_unlock (&release_lock);
  if (old)
    release_flush ();
}

void
fileio_finish (void)
{
  for (;;) {
    pthread_mutex_lock (&dirty_lock);
    struct fh *fh = dirty_head;
    if (fh)
      fh_get (fh);
    pthread_mutex_unlock (&dirty_lock);
    if (fh == NULL)
      break;
    flush_keep_error (fh);
    fh_put (fh);
  }
  /* Files the kernel still had open when the loop stopped. */
  for (;;) {
    pthread_mutex_lock (&all_lock);
    struct fh *fh = all_head;
    pthread_mutex_unlock (&all_lock);
    if (fh == NULL)
      break;
    fh_release (fh);
  }
  release_flush ();
}
