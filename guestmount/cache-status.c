/* Status and extended attributes of a node, as cached and as
 * reported to the kernel (with -o uid=, gid=, umask=, and the inode
 * numbers of several guest filesystems made unique).
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cache-internal.h"

bool
node_attrs_fresh (const struct node *n)
{
  return n->st_expires > now ();
}

/* Inode numbers as the kernel sees them.  One mount can hold several
 * guest filesystems (/ and /boot, say), each numbering its own inodes
 * (both roots are usually 2), while the mount has a single st_dev:
 * programs such as find and rsync -H would see one file.  So the
 * filesystem at / keeps its numbers, and each other one gets a small
 * index in the top 8 bits, in the order they are first seen: unique,
 * and stable for the life of the mount. */
#define INO_INDEX_SHIFT 56
#define INO_INDEX_MAX 255

static pthread_mutex_t ino_devs_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t ino_devs[INO_INDEX_MAX];
static size_t nr_ino_devs;

/* The index of guest filesystem dev (0: the one at /), given to it
 * the first time it is seen (once 255 are known, all others get 255). */
static size_t
dev_index (int64_t dev)
{
  SCOPED_LOCK (&ino_devs_lock);
  size_t i = 0;
  while (i < nr_ino_devs && ino_devs[i] != dev)
    ++i;
  if (i == nr_ino_devs && nr_ino_devs < INO_INDEX_MAX)
    ino_devs[nr_ino_devs++] = dev;
  return i;
}

uint64_t
reported_ino (int64_t dev, int64_t ino)
{
  size_t i = dev_index (dev);
  if (i == 0)
    return ino;
  return ((uint64_t) i << INO_INDEX_SHIFT) |
         ((uint64_t) ino & ((UINT64_C (1) << INO_INDEX_SHIFT) - 1));
}

void
report_stat (const struct stat *in, struct stat *out)
{
  *out = *in;
  out->st_ino = reported_ino (in->st_dev, in->st_ino);
  if (config.force_uid)
    out->st_uid = config.uid;
  if (config.force_gid)
    out->st_gid = config.gid;
  if (config.umask_set)
    out->st_mode &= ~config.umask;
  /* The preferred I/O size of this mount, not of the guest's disk:
   * large requests are what make FUSE over the daemon fast, and
   * programs such as cp size their buffers from it. */
  out->st_blksize = FUSE_IO_MAX;
}

void
node_stat (const struct node *n, struct stat *st)
{
  report_stat (&n->st, st);
}

static bool
contents_differ (const struct stat *a, const struct stat *b)
{
  return a->st_size != b->st_size ||
         a->st_mtim.tv_sec != b->st_mtim.tv_sec ||
         a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

bool
node_update (struct node *n, struct rentry *e, uint64_t start)
{
  if (n->inval_epoch > start)
    return false;
  if (n->st.st_ino != 0 && contents_differ (&n->st, &e->st))
    atomic_fetch_add (&n->data_gen, 1); /* read-ahead is stale */
  n->st = e->st;
  n->st_expires = now () + config.timeout;
  if (e->link) {
    free (n->link);
    n->link = e->link;
    e->link = NULL;
  }
  free (n->xattrs);
  n->xattrs = NULL;
  n->xattrs_len = 0;
  n->xattrs_valid = e->xattrs_complete;
  n->xattrs_expires = n->st_expires;
  if (e->xattrs_complete) {
    n->xattrs = e->xattrs;
    n->xattrs_len = e->xattrs_len;
    e->xattrs = NULL;
  }
  return true;
}

void
node_changed (struct node *n)
{
  n->inval_epoch = epoch_next ();
  n->st_expires = 0;
}

bool
node_xattrs_fresh (const struct node *n)
{
  return n->xattrs_valid && n->xattrs_expires > now ();
}

void
node_written (struct node *n)
{
  node_changed (n);
  const char *v;
  size_t len;
  if (n->xattrs_valid &&
      xattrs_find (n->xattrs, n->xattrs_len, "security.capability", &v,
                   &len) != 0)
    n->xattrs_valid = false;
}

void
node_xattrs_changed (struct node *n)
{
  node_changed (n);
  free (n->xattrs);
  n->xattrs = NULL;
  n->xattrs_len = 0;
  n->xattrs_valid = false;
}
