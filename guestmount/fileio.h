/* Open files (fileio.c): each holds a daemon handle, a read-ahead
 * buffer and a write buffer.
 *
 * Reads: a read that continues the previous one doubles the amount
 * fetched (up to IO_MAX), so a sequential reader makes few, large
 * daemon calls whatever size the kernel asks for; the first bytes of
 * a file come with the open.  A buffer is used only while the node's
 * data generation is unchanged: every write, truncation or hole punch
 * bumps it.
 *
 * Writes: contiguous writes are gathered into one pwrite of up to
 * IO_MAX.  Anything that must see the data (a read, a status request,
 * a truncation, fsync, flush on close, lseek for holes) sends the
 * node's pending writes first.  A failed deferred write is reported
 * by the next write, flush or fsync of that file.
 *
 * Attribute changes: a change of the times or the permission bits
 * that follows buffered writes (cp -p, cp -a) waits with them and is
 * sent in the same call (fuse_pwrite_setattr), usually at the flush
 * of close.  Its failure is reported like a failed write.
 *
 * Releases: closing a daemon handle is deferred and the handles are
 * sent with the next open (or in a batch), saving a round trip per
 * file for the common open-read-close pattern.
 */
#ifndef GUESTMOUNT_FILEIO_H
#define GUESTMOUNT_FILEIO_H

#include <pthread.h>

#include "cache.h"
#include "extent-map.h"

struct fh {
  struct fh *next;      /* node->files, under cache_lock */
  struct fh *dprev, *dnext; /* files with buffered writes */
  struct fh *aprev, *anext; /* every open file, for the end */
  struct node *node;    /* referenced */
  int64_t handle;       /* -1: none yet (contents fetched ahead) */
  int flags;
  atomic_uint refs;
  pthread_mutex_t lock; /* buffers below */

  char *ra;             /* read-ahead: ra_len bytes at ra_off */
  size_t ra_len;
  off_t ra_off;
  uint64_t ra_gen;
  bool ra_eof;          /* the file ends at ra_off + ra_len */
  off_t seq_next;       /* where a sequential read would continue */
  uint64_t direct_ahead; /* the images are being read up to here */
  size_t window;

  char *wb;             /* write buffer: wb_len bytes at wb_off */
  size_t wb_len, wb_cap;
  off_t wb_off;
  double wb_since;
  int write_err;        /* a deferred write failed (errno) */
  struct attr_change pend; /* deferred change (valid 0: none), sent
                              after wb; only while wb_len > 0 */

  struct extent_map *map; /* direct reads (direct.h), valid at map_gen */
  uint64_t map_gen;
  bool map_tried;
};

/* A new open file for n (takes e's prefetched data). */
extern struct fh *fh_new (struct node *n, struct rentry *e, int flags,
                          size_t prefetch);
/* A read-only open served from contents fetched ahead: no daemon
 * handle until a read goes beyond them (takes data). */
extern struct fh *fh_new_prefetched (struct node *n, char *data, size_t len,
                                     bool whole, int flags);
/* The daemon handle of fh, opening one now if it has none.  0 or
 * -errno. */
extern int fh_handle (struct fh *fh, int64_t *handle);
/* The kernel closed its last reference to the file. */
extern void fh_release (struct fh *fh);

/* Read and reply: 0 if replied, else -errno (caller replies). */
extern int fh_read (struct fh *fh, size_t size, off_t off, fuse_req_t req);
/* Returns size or -errno. */
extern int fh_write (struct fh *fh, const char *buf, size_t size, off_t off);
/* Send buffered writes; report a deferred error.  0 or -errno. */
extern int fh_flush (struct fh *fh);

/* Send every buffered write of n (errors are kept for its files),
 * but those of except (which may be NULL). */
extern void node_flush_writes_except (struct node *n, struct fh *except);
#define node_flush_writes(n) node_flush_writes_except ((n), NULL)
/* An open file of n holding buffered writes, referenced (put it back
 * with fh_put), or NULL. */
extern struct fh *node_dirty_file (struct node *n);
/* If fh holds buffered writes, send them with the change c in one
 * call: 1 (e filled), 0 if there was nothing buffered, or -errno. */
extern int fh_flush_with_change (struct fh *fh, const struct attr_change *c,
                                 struct rentry *e);
/* Defer the change c (times and permission bits only) until fh's
 * buffered writes are sent: true if deferred, false if c must be
 * made now. */
extern bool fh_defer_change (struct fh *fh, const struct attr_change *c);
/* The size of n changed in a way the write path does not follow
 * (truncation, fallocate): its known size is no longer known. */
extern void node_size_changed (struct node *n);

/* A daemon handle open on n, referenced through *fh_out (put it back
 * with fh_put), or -1 if none. */
extern int64_t node_open_handle (struct node *n, struct fh **fh_out);
extern void fh_put (struct fh *fh);

/* Deferred releases. */
extern size_t release_take (int64_t *buf, size_t max);
extern void release_flush (void);

/* Flush writes and releases that have waited too long. */
extern void fileio_maintenance (void);
/* At unmount: every buffered write out, every daemon handle released
 * (also those of files the kernel never released, if the connection
 * was aborted), so that nothing keeps the guest filesystems busy. */
extern void fileio_finish (void);

#endif
