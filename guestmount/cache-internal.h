/* What the cache's own files share; the rest of guestmount sees only
 * cache.h.  Everything here is called with the cache lock held.
 *
 *   cache.c           nodes: the (dev, ino) table, references, freeing,
 *                     the epoch, set-up and expiry
 *   cache-names.c     the names of nodes (guest paths) and the dentries;
 *                     lookups, and what operations do to names
 *   cache-listing.c   listings of whole directories, by page or by tree
 *   cache-status.c    status and extended attributes of a node, and the
 *                     status as reported to the kernel
 *   cache-prefetch.c  contents of small files fetched ahead of their open
 */
#ifndef GUESTMOUNT_CACHE_INTERNAL_H
#define GUESTMOUNT_CACHE_INTERNAL_H

#include "cache.h"

/* ---- cache.c ---- */

/* Mix the bits of a hash (for the tables' bucket numbers). */
extern uint64_t hash_mix64 (uint64_t h);
/* A new value of the epoch, for an invalidation happening now. */
extern uint64_t epoch_next (void);
/* n no longer stands for its (dev, ino): a new file reusing the inode
 * number gets a node of its own. */
extern void node_unhash (struct node *n);

/* ---- cache-names.c ---- */

extern int dentries_init (void);
/* Drop expired dentries (and the oldest while there are too many). */
extern void dentries_expire (double t);
extern struct dentry *dentry_find (struct node *dir, const char *name);
extern void dentry_unref (struct dentry *d);
/* Point dir/name at child (NULL: no such name) unless an operation
 * changed the name after start.  Returns the dentry if set. */
extern struct dentry *dentry_set (struct node *dir, const char *name,
                                  struct node *child, uint64_t start);
extern void node_add_name (struct node *n, struct node *dir,
                           const char *name);
/* A node being freed: its cached children and its own names go. */
extern void node_drop_names (struct node *n);

/* ---- cache-listing.c ---- */

/* Add d to l; -1 if l is full or out of memory. */
extern int listing_append (struct listing *l, struct dentry *d);
extern void drop_listing (struct node *dir);
/* Drop expired listings (all of them while there are too many names). */
extern void listings_expire (double t);

/* ---- cache-prefetch.c ---- */

extern void fdata_drop (struct node *n);

#endif
