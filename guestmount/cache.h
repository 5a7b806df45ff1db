/* Nodes, names, directory listings and the metadata cache (cache.c
 * and the cache-*.c files; cache-internal.h says which holds what).
 *
 * A node is one guest file, keyed by the guest's (st_dev, st_ino), so
 * every hard link of a file is the same node and the same kernel
 * inode; its FUSE node id is its address.  A node knows its names
 * (parent node + component), which is how a path is built for a
 * daemon call.  A dentry caches what one name in one directory is
 * (a node, or nothing), and a listing caches a whole directory in
 * daemon order, which also lets a complete listing answer "no such
 * file" without a round trip.
 *
 * Everything here is protected by one lock (cache_mutex); it is never
 * held across a daemon call.  Results of a call are stored only if
 * nothing invalidated the same node or name since the call started:
 * every invalidation takes a new value of a global epoch, and a call
 * notes the epoch when it starts.
 */
#ifndef GUESTMOUNT_CACHE_H
#define GUESTMOUNT_CACHE_H

#include <pthread.h>
#include <stdatomic.h>

#include "remote.h"

struct fh;
struct listing;

struct name {
  struct name *next;
  struct node *parent; /* referenced */
  char name[];
};

struct node {
  struct node *id_next; /* (dev, ino) table chain */
  bool hashed;          /* findable by (dev, ino) */
  int64_t dev, ino;
  mode_t type;          /* S_IFMT bits */
  uint64_t generation;

  uint64_t nlookup;     /* the kernel's references */
  unsigned refs;        /* ours */

  struct name *names;
  size_t nr_names;

  struct stat st;       /* last known status */
  double st_expires;    /* valid while now < st_expires */
  char *link;           /* symbolic link target, when known */
  char *xattrs;         /* packed, valid while xattrs_valid */
  size_t xattrs_len;
  bool xattrs_valid;
  double xattrs_expires; /* apart from st_expires: writes change the
                            status, not the extended attributes */
  uint64_t inval_epoch; /* epoch of the last invalidation */

  atomic_uint_fast64_t data_gen; /* bumped by every change of contents */
  struct fh *files;     /* open files (fileio.c) */
  atomic_uint dirty;    /* open files holding buffered writes */
  bool size_known;      /* known_size is the size the kernel was shown:
                           every change since a lone open came through
                           the mount (fileio.c) */
  off_t known_size;

  struct listing *listing; /* directories: cached contents or NULL */
  double listed_at;        /* when the daemon last listed it */
  double last_open;        /* directories: a file in it was opened */
  double last_miss;        /* directories: a lookup in it missed */
  size_t pick_pos;         /* directories: where the last batch ended */

  char *fdata;             /* files: contents fetched ahead of an open */
  bool fetching;           /* files: in a batch on its way */
  size_t fdata_len;
  bool fdata_whole;
  uint64_t fdata_gen;      /* data_gen they belong to */
  double fdata_expires;
  struct node *fdata_prev, *fdata_next; /* all nodes holding fdata */
  struct dentry *children; /* directories: cached names */
};

struct dentry {
  struct dentry *hnext;              /* hash chain */
  struct dentry *sib_prev, *sib_next; /* parent's children */
  struct dentry *lru_prev, *lru_next; /* by expiry */
  struct node *parent;               /* referenced */
  struct node *child;                /* referenced; NULL: no such name */
  struct listing *in_listing;        /* newest listing holding it */
  double expires;
  uint64_t mod_epoch;                /* last change by an operation */
  unsigned refs;                     /* the hash table + listings */
  bool hashed;
  char name[];
};

struct listing {
  unsigned refs;
  pthread_mutex_t fetch_lock; /* one page fetch at a time */
  struct dentry **v;
  size_t n, cap;
  bool complete;
  bool partial;               /* some names were left out */
  int64_t next_cookie;
  int64_t *cookies;           /* every cookie a page was asked with */
  size_t nr_cookies;
  unsigned idle_pages;        /* pages in a row that added no name */
  double expires;
  int error;                  /* a failed fetch, reported to readers */
};

/* The cache lock.  Take it for a block with SCOPED_LOCK (&cache_mutex)
 * (common/cleanup.h), which cannot be left without unlocking; for a
 * single call, cache_path_of, cache_unref and cache_forget take it
 * themselves. */
extern pthread_mutex_t cache_mutex;
#define cache_lock() pthread_mutex_lock (&cache_mutex)
#define cache_unlock() pthread_mutex_unlock (&cache_mutex)

/* Set up the root node from the status of "/". */
extern int cache_init (struct rentry *root);
extern struct node *cache_root (void);
/* The node of a FUSE node id. */
extern struct node *node_of (fuse_ino_t ino);
extern fuse_ino_t node_id (struct node *n);
/* node_path, node_unref and node_forget for a caller that does not
 * hold the lock: these take it for the moment they need it. */
extern char *cache_path_of (struct node *n);
extern void cache_unref (struct node *n);
extern void cache_forget (struct node *n, uint64_t count);

/* The rest is called with the lock held. */

extern uint64_t cache_epoch (void);
extern void node_ref (struct node *n);
extern void node_unref (struct node *n);
/* The kernel dropped count references. */
extern void node_forget (struct node *n, uint64_t count);

/* The guest path of a node, or of a name in a directory (malloc'd).
 * NULL with errno ENOENT for a node that no longer has a name. */
extern char *node_path (struct node *n);
extern char *child_path (struct node *dir, const char *name);

/* Is st the status of n's file (same guest dev, inode and type)? */
static inline bool
node_is (const struct node *n, const struct stat *st)
{
  return (int64_t) st->st_ino == n->ino && (int64_t) st->st_dev == n->dev &&
         (st->st_mode & S_IFMT) == n->type;
}

extern bool node_attrs_fresh (const struct node *n);
extern bool node_xattrs_fresh (const struct node *n);
/* The contents of n changed (a write): the status is stale, and so
 * is a security.capability attribute, which the guest removes. */
extern void node_written (struct node *n);
/* Status as reported to the kernel (with -o uid=, gid=, umask=). */
extern void node_stat (const struct node *n, struct stat *st);
extern void report_stat (const struct stat *in, struct stat *out);
/* The inode number the kernel sees for a guest (st_dev, st_ino). */
extern uint64_t reported_ino (int64_t dev, int64_t ino);

/* Store what a call that started at epoch start returned for
 * dir/name (dir may be NULL for a node reached without a name).
 * Returns the node, referenced, and sets *fresh if the status was
 * stored (else it is older than an invalidation and must be used
 * with a zero timeout).  NULL on allocation failure. */
extern struct node *cache_enter (struct node *dir, const char *name,
                                 struct rentry *e, uint64_t start,
                                 bool *fresh);
/* Store a fresh status for n (from an operation on it). */
extern bool node_update (struct node *n, struct rentry *e, uint64_t start);
/* dir/name was just created (or linked) by an operation. */
extern struct node *cache_created (struct node *dir, const char *name,
                                   struct rentry *e, bool *fresh);
/* Called (lock held) when a name the kernel may have cached turns out
 * to have changed without going through this mount. */
extern void (*cache_stale_name_hook) (struct node *dir, const char *name);
/* No such name (a failed lookup that started at start). */
extern void cache_negative (struct node *dir, const char *name,
                            uint64_t start);

/* Lookup in the cache: 1 with *out (referenced) if the name is known
 * with a fresh status, 0 if it is known not to exist, -1 unknown (then
 * *out is the node the name had, referenced, or NULL). */
extern int cache_lookup (struct node *dir, const char *name,
                         struct node **out);

/* Something about n changed: its status must be fetched again. */
extern void node_changed (struct node *n);
extern void node_xattrs_changed (struct node *n);

/* Operations that changed names. */
extern void cache_removed (struct node *dir, const char *name);
extern void cache_renamed (struct node *dir1, const char *name1,
                           struct node *dir2, const char *name2, int flags);

/* Listings.  listing_for returns the directory's current listing, or
 * a new empty one, referenced. */
extern struct listing *listing_for (struct node *dir);
extern void listing_unref (struct listing *l);
/* Store a page fetched at start; takes its entries. */
extern void listing_add_page (struct node *dir, struct listing *l,
                              struct rpage *p, uint64_t start);

/* Store a fuse_readdir_tree reply for dir (its first section goes to
 * l); the directories below get listings of their own.  Takes the
 * entries. */
extern void cache_store_tree (struct node *dir, struct listing *l,
                              struct rsection *v, size_t n, uint64_t start);
/* Is dir being listed as part of a walk through the tree?  Then the
 * budget to list it and what is below it (else 0). */
extern size_t cache_walk_budget (struct node *dir);

/* Contents fetched ahead (fuse_read_files). */
extern void cache_store_files (struct node *dir, struct rpage *p,
                               uint64_t start);
/* Take the fetched contents of n if they are still good. */
extern bool node_take_fdata (struct node *n, char **data, size_t *len,
                             bool *whole);
/* A read-only open of n in dir: is dir being read file after file?
 * Then choose the files to fetch with n (n first) and return their
 * count: their names (malloc'd, NULL-terminated) and their nodes, which
 * are marked as being fetched until cache_end_batch. */
extern size_t cache_plan_batch (struct node *dir, struct node *n,
                                char ***names, struct node ***members);
/* The batch is stored (or failed): other opens waiting for one of its
 * files go on.  Frees members. */
extern void cache_end_batch (struct node **members, size_t count);
/* If n is in a batch on its way, wait for it to end (the cache lock
 * held). */
extern void cache_wait_batch (struct node *n);

/* Drop expired names (and more if the cache is too big). */
extern void cache_expire (void);
/* Counters for -v. */
extern size_t cache_nr_nodes (void);
extern size_t cache_nr_dentries (void);

#endif
