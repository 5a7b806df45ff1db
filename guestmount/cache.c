/* Nodes: the table of nodes by guest (st_dev, st_ino), references
 * and freeing, the epoch, set-up and expiry.  See cache.h for the
 * model and the locking rule, cache-internal.h for how the cache's
 * files divide the work.
 *
 * Reference counting: node->refs counts the dentries pointing at the
 * node, the names of other nodes that have it as their parent, open
 * files and directories, and operations in progress; node->nlookup
 * counts the kernel's references.  A node is freed when both are zero.
 * A cached subtree the kernel does not use is held only by dentries,
 * which expire: expiry is what eventually frees it.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cache-internal.h"

pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

static struct node *root;
static uint64_t epoch = 1;
static uint64_t next_generation = 1;
static size_t nr_nodes;

/* ---- The table of nodes by (dev, ino) ---- */

static struct node **id_table;
static size_t id_buckets, id_count;

uint64_t
hash_mix64 (uint64_t h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

static size_t
id_hash (int64_t dev, int64_t ino)
{
  return hash_mix64 ((uint64_t) ino * 31 + (uint64_t) dev) & (id_buckets - 1);
}

/* Grow the table when it holds more entries than buckets.  On
 * allocation failure it stays as it is (longer chains). */
static void
id_grow (void)
{
  if (id_count < id_buckets)
    return;
  size_t nb = id_buckets * 2;
  struct node **t = calloc (nb, sizeof *t);
  if (t == NULL)
    return;
  size_t old = id_buckets;
  struct node **ot = id_table;
  id_table = t;
  id_buckets = nb;
  for (size_t i = 0; i < old; ++i)
    for (struct node *n = ot[i], *next; n; n = next) {
      next = n->id_next;
      size_t h = id_hash (n->dev, n->ino);
      n->id_next = t[h];
      t[h] = n;
    }
  free (ot);
}

static struct node *
id_find (int64_t dev, int64_t ino)
{
  for (struct node *n = id_table[id_hash (dev, ino)]; n; n = n->id_next)
    if (n->dev == dev && n->ino == ino)
      return n;
  return NULL;
}

static void
id_insert (struct node *n)
{
  id_grow ();
  size_t h = id_hash (n->dev, n->ino);
  n->id_next = id_table[h];
  id_table[h] = n;
  n->hashed = true;
  ++id_count;
}

/* A node that no longer stands for (dev, ino): a new file that reuses
 * the inode number must get a node of its own. */

/* A node that no longer stands for (dev, ino): a new file that reuses
 * the inode number must get a node of its own. */
void
node_unhash (struct node *n)
{
  if (!n->hashed)
    return;
  for (struct node **pp = &id_table[id_hash (n->dev, n->ino)]; *pp;
       pp = &(*pp)->id_next)
    if (*pp == n) {
      *pp = n->id_next;
      break;
    }
  n->hashed = false;
  --id_count;
}

/* ---- Nodes ---- */

static struct node *
node_new (int64_t dev, int64_t ino, mode_t type)
{
  struct node *n = calloc (1, sizeof *n);
  if (n == NULL)
    return NULL;
  n->dev = dev;
  n->ino = ino;
  n->type = type;
  n->generation = next_generation++;
  ++nr_nodes;
  return n;
}

void
node_ref (struct node *n)
{
  ++n->refs;
}

static void node_free (struct node *n);

static void
maybe_free (struct node *n)
{
  if (n->refs == 0 && n->nlookup == 0 && n != root)
    node_free (n);
}

void
node_unref (struct node *n)
{
  if (n == NULL)
    return;
  --n->refs;
  maybe_free (n);
}

void
node_forget (struct node *n, uint64_t count)
{
  n->nlookup = count > n->nlookup ? 0 : n->nlookup - count;
  maybe_free (n);
}

struct node *
cache_root (void)
{
  return root;
}

struct node *
node_of (fuse_ino_t ino)
{
  return ino == FUSE_ROOT_ID ? root : (struct node *) (uintptr_t) ino;
}

fuse_ino_t
node_id (struct node *n)
{
  return n == root ? FUSE_ROOT_ID : (fuse_ino_t) (uintptr_t) n;
}

char *
cache_path_of (struct node *n)
{
  SCOPED_LOCK (&cache_mutex);
  return node_path (n);
}

void
cache_unref (struct node *n)
{
  SCOPED_LOCK (&cache_mutex);
  node_unref (n);
}

void
cache_forget (struct node *n, uint64_t count)
{
  SCOPED_LOCK (&cache_mutex);
  node_forget (n, count);
}

uint64_t
cache_epoch (void)
{
  return epoch;
}

uint64_t
epoch_next (void)
{
  return ++epoch;
}

size_t
cache_nr_nodes (void)
{
  return nr_nodes;
}

/* ---- The node a reply describes ---- */

struct node *
cache_enter (struct node *dir, const char *name, struct rentry *e,
             uint64_t start, bool *fresh)
{
  mode_t type = e->st.st_mode & S_IFMT;
  struct node *n = id_find (e->st.st_dev, e->st.st_ino);
  if (n && n->type != type) {
    node_unhash (n); /* the number was reused by a new file */
    n = NULL;
  }
  if (n == NULL) {
    n = node_new (e->st.st_dev, e->st.st_ino, type);
    if (n == NULL)
      return NULL;
    id_insert (n);
  }
  node_ref (n);
  *fresh = node_update (n, e, start);
  if (dir && dentry_set (dir, name, n, start))
    node_add_name (n, dir, name);
  return n;
}

/* ---- Freeing and expiry ---- */

static void
node_free (struct node *n)
{
  node_unhash (n);
  drop_listing (n);
  node_drop_names (n);
  fdata_drop (n);
  free (n->link);
  free (n->xattrs);
  free (n);
  --nr_nodes;
}

void
cache_expire (void)
{
  double t = now ();
  listings_expire (t);
  dentries_expire (t);
}

int
cache_init (struct rentry *e)
{
  id_buckets = 1024;
  id_table = calloc (id_buckets, sizeof *id_table);
  if (id_table == NULL || dentries_init () == -1)
    return -1;
  root = node_new (e->st.st_dev, e->st.st_ino, S_IFDIR);
  if (root == NULL)
    return -1;
  /* The filesystem at / is the one whose inode numbers are kept. */
  (void) reported_ino (e->st.st_dev, e->st.st_ino);
  id_insert (root);
  root->refs = 1; /* for ever */
  root->nlookup = 1;
  node_update (root, e, epoch);
  return 0;
}
