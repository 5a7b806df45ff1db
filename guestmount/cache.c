/* Nodes, names, directory listings and the metadata cache.
 * See cache.h for the model and the locking rule.
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

#include "cache.h"

pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

static struct node *root;
static uint64_t epoch = 1;
static uint64_t next_generation = 1;
static size_t nr_nodes;

/* Largest listing accepted from the daemon (about 600 MiB of names
 * cached): a directory that never ends is a hostile one, and must not
 * take the host's memory. */
#define LISTING_MAX 2000000
/* Names remembered per node (hard links), for paths and invalidation. */
#define NAMES_MAX 256
/* Deepest path accepted (a loop in a corrupt filesystem stops here). */
#define DEPTH_MAX 4096

/* ---- Hash tables ---- */

static struct node **id_table;
static size_t id_buckets, id_count;

static struct dentry **d_table;
static size_t d_buckets, d_count;

/* Dentries by expiry (oldest first), for cache_expire. */
static struct dentry *lru_head, *lru_tail;

/* Directories that hold a listing. */
struct listing_link {
  struct listing_link *next;
  struct node *dir;
};

static uint64_t
mix64 (uint64_t h)
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
  return mix64 ((uint64_t) ino * 31 + (uint64_t) dev) & (id_buckets - 1);
}

static size_t
d_hash (const struct node *parent, const char *name)
{
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char *p = (const unsigned char *) name; *p; ++p)
    h = (h ^ *p) * 1099511628211ULL;
  return mix64 (h ^ (uintptr_t) parent) & (d_buckets - 1);
}

/* Grow a table when it holds more entries than buckets.  On
 * allocation failure the table stays as it is (longer chains). */
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

static void
d_grow (void)
{
  if (d_count < d_buckets)
    return;
  size_t nb = d_buckets * 2;
  struct dentry **t = calloc (nb, sizeof *t);
  if (t == NULL)
    return;
  size_t old = d_buckets;
  struct dentry **ot = d_table;
  d_table = t;
  d_buckets = nb;
  for (size_t i = 0; i < old; ++i)
    for (struct dentry *d = ot[i], *next; d; d = next) {
      next = d->hnext;
      size_t h = d_hash (d->parent, d->name);
      d->hnext = t[h];
      t[h] = d;
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
static void
id_remove (struct node *n)
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

uint64_t
cache_epoch (void)
{
  return epoch;
}

size_t
cache_nr_nodes (void)
{
  return nr_nodes;
}

size_t
cache_nr_dentries (void)
{
  return d_count;
}

/* ---- Names ---- */

static bool
is_ancestor (const struct node *a, const struct node *n)
{
  for (int depth = 0; n && depth < DEPTH_MAX; ++depth) {
    if (n == a)
      return true;
    n = n->names ? n->names->parent : NULL;
  }
  return false;
}

static void
name_free (struct name *nm)
{
  struct node *p = nm->parent;
  free (nm);
  node_unref (p);
}

static void
node_remove_name (struct node *n, struct node *dir, const char *name)
{
  for (struct name **pp = &n->names; *pp; pp = &(*pp)->next)
    if ((*pp)->parent == dir && strcmp ((*pp)->name, name) == 0) {
      struct name *nm = *pp;
      *pp = nm->next;
      --n->nr_names;
      name_free (nm);
      return;
    }
}

/* A directory has one name: a new one replaces the old (unless it
 * would make the directory its own ancestor, which only a corrupt
 * filesystem can claim).  A file collects the names of its links. */
static void
node_add_name (struct node *n, struct node *dir, const char *name)
{
  for (struct name *nm = n->names; nm; nm = nm->next)
    if (nm->parent == dir && strcmp (nm->name, name) == 0)
      return;
  if (S_ISDIR (n->type)) {
    if (is_ancestor (n, dir))
      return;
  } else if (n->nr_names >= NAMES_MAX)
    return;
  size_t len = strlen (name) + 1;
  struct name *nm = malloc (sizeof *nm + len);
  if (nm == NULL)
    return;
  memcpy (nm->name, name, len);
  nm->parent = dir;
  node_ref (dir);
  if (S_ISDIR (n->type))
    while (n->names) {
      struct name *old = n->names;
      n->names = old->next;
      --n->nr_names;
      name_free (old);
    }
  nm->next = n->names;
  n->names = nm;
  ++n->nr_names;
}

char *
node_path (struct node *n)
{
  const struct name *parts[DEPTH_MAX];
  size_t depth = 0, len = 0;
  for (struct node *cur = n; cur != root;) {
    if (cur->names == NULL) {
      errno = ENOENT;
      return NULL;
    }
    if (depth == DEPTH_MAX) {
      errno = ELOOP;
      return NULL;
    }
    parts[depth++] = cur->names;
    len += strlen (cur->names->name) + 1;
    cur = cur->names->parent;
  }
  char *p = malloc (len + 2);
  if (p == NULL)
    return NULL;
  if (depth == 0) {
    strcpy (p, "/");
    return p;
  }
  char *q = p;
  while (depth > 0) {
    const char *c = parts[--depth]->name;
    size_t l = strlen (c);
    *q++ = '/';
    memcpy (q, c, l);
    q += l;
  }
  *q = '\0';
  return p;
}

char *
child_path (struct node *dir, const char *name)
{
  char *dp = node_path (dir);
  if (dp == NULL)
    return NULL;
  char *p;
  int r = asprintf (&p, "%s%s%s", dp, strcmp (dp, "/") == 0 ? "" : "/",
                    name);
  free (dp);
  return r == -1 ? NULL : p;
}

/* ---- Status ---- */

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

uint64_t
reported_ino (int64_t dev, int64_t ino)
{
  pthread_mutex_lock (&ino_devs_lock);
  size_t i = 0;
  while (i < nr_ino_devs && ino_devs[i] != dev)
    ++i;
  if (i == nr_ino_devs && nr_ino_devs < INO_INDEX_MAX)
    ino_devs[nr_ino_devs++] = dev;
  pthread_mutex_unlock (&ino_devs_lock);
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
  n->inval_epoch = ++epoch;
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

/* ---- Listings ---- */

static struct listing_link *listing_dirs;

static void dentry_unref (struct dentry *d);

static struct listing *
listing_new (void)
{
  struct listing *l = calloc (1, sizeof *l);
  if (l == NULL)
    return NULL;
  pthread_mutex_init (&l->fetch_lock, NULL);
  l->refs = 1;
  l->expires = now () + config.timeout;
  return l;
}

void
listing_unref (struct listing *l)
{
  if (l == NULL || --l->refs > 0)
    return;
  for (size_t i = 0; i < l->n; ++i) {
    if (l->v[i]->in_listing == l)
      l->v[i]->in_listing = NULL;
    dentry_unref (l->v[i]);
  }
  free (l->v);
  pthread_mutex_destroy (&l->fetch_lock);
  free (l);
}

static int
listing_append (struct listing *l, struct dentry *d)
{
  if (l->n == l->cap) {
    if (l->cap >= LISTING_MAX)
      return -1;
    size_t cap = l->cap ? l->cap * 2 : 64;
    struct dentry **nv = realloc (l->v, cap * sizeof *nv);
    if (nv == NULL)
      return -1;
    l->v = nv;
    l->cap = cap;
  }
  l->v[l->n++] = d;
  ++d->refs;
  d->in_listing = l;
  return 0;
}

static void
drop_listing (struct node *dir)
{
  if (dir->listing == NULL)
    return;
  for (struct listing_link **pp = &listing_dirs; *pp; pp = &(*pp)->next)
    if ((*pp)->dir == dir) {
      struct listing_link *k = *pp;
      *pp = k->next;
      free (k);
      break;
    }
  struct listing *l = dir->listing;
  dir->listing = NULL;
  listing_unref (l);
}

struct listing *
listing_for (struct node *dir)
{
  if (dir->listing && dir->listing->expires > now () &&
      dir->listing->error == 0) {
    ++dir->listing->refs;
    return dir->listing;
  }
  drop_listing (dir);
  struct listing *l = listing_new ();
  struct listing_link *k = malloc (sizeof *k);
  if (l == NULL || k == NULL) {
    free (k);
    listing_unref (l);
    return NULL;
  }
  k->dir = dir;
  k->next = listing_dirs;
  listing_dirs = k;
  dir->listing = l;
  ++l->refs;
  return l;
}

/* ---- Dentries ---- */

static void
lru_unlink (struct dentry *d)
{
  if (d->lru_prev)
    d->lru_prev->lru_next = d->lru_next;
  else if (lru_head == d)
    lru_head = d->lru_next;
  if (d->lru_next)
    d->lru_next->lru_prev = d->lru_prev;
  else if (lru_tail == d)
    lru_tail = d->lru_prev;
  d->lru_prev = d->lru_next = NULL;
}

static void
lru_append (struct dentry *d)
{
  d->lru_prev = lru_tail;
  d->lru_next = NULL;
  if (lru_tail)
    lru_tail->lru_next = d;
  else
    lru_head = d;
  lru_tail = d;
}

static void
touch (struct dentry *d)
{
  d->expires = now () + config.timeout;
  lru_unlink (d);
  lru_append (d);
}

static struct dentry *
dentry_find (struct node *dir, const char *name)
{
  for (struct dentry *d = d_table[d_hash (dir, name)]; d; d = d->hnext)
    if (d->parent == dir && strcmp (d->name, name) == 0)
      return d;
  return NULL;
}

static void
set_child (struct dentry *d, struct node *child)
{
  struct node *old = d->child;
  if (old == child)
    return;
  if (child)
    node_ref (child);
  d->child = child;
  if (old) {
    node_remove_name (old, d->parent, d->name);
    node_unref (old);
  }
}

static void
dentry_unref (struct dentry *d)
{
  if (--d->refs > 0)
    return;
  set_child (d, NULL);
  free (d);
}

static struct dentry *
dentry_get (struct node *dir, const char *name)
{
  struct dentry *d = dentry_find (dir, name);
  if (d)
    return d;
  size_t len = strlen (name) + 1;
  d = calloc (1, sizeof *d + len);
  if (d == NULL)
    return NULL;
  memcpy (d->name, name, len);
  d->parent = dir;
  d->refs = 1;
  d->hashed = true;
  d_grow ();
  size_t h = d_hash (dir, name);
  d->hnext = d_table[h];
  d_table[h] = d;
  ++d_count;
  d->sib_next = dir->children;
  if (dir->children)
    dir->children->sib_prev = d;
  dir->children = d;
  touch (d);
  return d;
}

/* Remove from the table (listings may still hold it). */
static void
dentry_unhash (struct dentry *d)
{
  if (!d->hashed)
    return;
  for (struct dentry **pp = &d_table[d_hash (d->parent, d->name)]; *pp;
       pp = &(*pp)->hnext)
    if (*pp == d) {
      *pp = d->hnext;
      break;
    }
  if (d->sib_prev)
    d->sib_prev->sib_next = d->sib_next;
  else
    d->parent->children = d->sib_next;
  if (d->sib_next)
    d->sib_next->sib_prev = d->sib_prev;
  d->sib_prev = d->sib_next = NULL;
  lru_unlink (d);
  d->hashed = false;
  --d_count;
  dentry_unref (d);
}

void (*cache_stale_name_hook) (struct node *dir, const char *name);

/* Point dir/name at child (NULL: no such name) unless an operation
 * changed the name after start.  Returns the dentry if set. */
static struct dentry *
dentry_set (struct node *dir, const char *name, struct node *child,
            uint64_t start)
{
  struct dentry *d = dentry_get (dir, name);
  if (d == NULL || d->mod_epoch > start)
    return NULL;
  /* The name changed behind the kernel's back (not through this
   * mount): its cached name must go. */
  if (d->child && d->child != child && d->child->nlookup > 0 &&
      cache_stale_name_hook)
    cache_stale_name_hook (dir, name);
  set_child (d, child);
  touch (d);
  if (child && dir->listing && d->in_listing != dir->listing)
    listing_append (dir->listing, d);
  return d;
}

/* Mark dir/name as changed by an operation now. */
static struct dentry *
dentry_modify (struct node *dir, const char *name)
{
  struct dentry *d = dentry_get (dir, name);
  if (d)
    d->mod_epoch = ++epoch;
  return d;
}

/* ---- Lookups and results ---- */

int
cache_lookup (struct node *dir, const char *name, struct node **out)
{
  double t = now ();
  struct dentry *d = dentry_find (dir, name);
  *out = NULL;
  if (d && d->expires > t) {
    if (d->child == NULL)
      return 0;
    *out = d->child;
    node_ref (*out);
    return d->child->st_expires > t ? 1 : -1;
  }
  if (d == NULL && dir->listing && dir->listing->complete &&
      !dir->listing->partial && dir->listing->expires > t)
    return 0;
  return -1;
}

struct node *
cache_enter (struct node *dir, const char *name, struct rentry *e,
             uint64_t start, bool *fresh)
{
  mode_t type = e->st.st_mode & S_IFMT;
  struct node *n = id_find (e->st.st_dev, e->st.st_ino);
  if (n && n->type != type) {
    id_remove (n); /* the number was reused by a new file */
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

struct node *
cache_created (struct node *dir, const char *name, struct rentry *e,
               bool *fresh)
{
  node_changed (dir);
  if (dentry_modify (dir, name) == NULL)
    return NULL;
  struct node *n = cache_enter (dir, name, e, epoch, fresh);
  /* A directory just made is empty: that is a complete listing, and
   * lookups in it (cp -r, tar x) need no round trip. */
  if (n && S_ISDIR (n->type) && n->listing == NULL) {
    struct listing *l = listing_for (n);
    if (l) {
      l->complete = true;
      listing_unref (l);
    }
  }
  return n;
}

void
cache_negative (struct node *dir, const char *name, uint64_t start)
{
  dentry_set (dir, name, NULL, start);
}

/* A name of n is gone; if it was the last, the inode number is free
 * for reuse by the guest. */
static void
victim_gone (struct node *n)
{
  node_changed (n);
  if (S_ISDIR (n->type) || n->st.st_nlink <= 1 || n->names == NULL)
    id_remove (n);
}

void
cache_removed (struct node *dir, const char *name)
{
  node_changed (dir);
  struct dentry *d = dentry_modify (dir, name);
  if (d == NULL)
    return;
  struct node *victim = d->child;
  if (victim) {
    node_ref (victim);
    set_child (d, NULL);
    victim_gone (victim);
    node_unref (victim);
  }
  touch (d);
}

void
cache_renamed (struct node *dir1, const char *name1, struct node *dir2,
               const char *name2, int flags)
{
  node_changed (dir1);
  node_changed (dir2);
  struct dentry *d1 = dentry_modify (dir1, name1);
  struct dentry *d2 = dentry_modify (dir2, name2);
  if (d1 == NULL || d2 == NULL) {
    /* Cannot record the change: forget both directories' names. */
    if (d1)
      dentry_unhash (d1);
    if (d2)
      dentry_unhash (d2);
    drop_listing (dir1);
    drop_listing (dir2);
    return;
  }
  struct node *a = d1->child, *b = d2->child;
  if (a && a == b && !(flags & RENAME_EXCHANGE))
    return; /* two links to one file: rename(2) does nothing */
  if (a)
    node_ref (a);
  if (b)
    node_ref (b);
  set_child (d1, (flags & RENAME_EXCHANGE) ? b : NULL);
  set_child (d2, a);
  if (a) {
    node_add_name (a, dir2, name2);
    node_changed (a);
  } else {
    /* The moved file was not cached: the new name is unknown. */
    dentry_unhash (d2);
    d2 = NULL;
    drop_listing (dir2);
  }
  if (b) {
    if (flags & RENAME_EXCHANGE) {
      node_add_name (b, dir1, name1);
      node_changed (b);
    } else
      victim_gone (b);
  } else if (flags & RENAME_EXCHANGE) {
    dentry_unhash (d1);
    d1 = NULL;
    drop_listing (dir1);
  }
  if (d1)
    touch (d1);
  if (d2) {
    touch (d2);
    if (d2->child && dir2->listing && d2->in_listing != dir2->listing)
      listing_append (dir2->listing, d2);
  }
  if (d1 && d1->child && dir1->listing && d1->in_listing != dir1->listing)
    listing_append (dir1->listing, d1);
  node_unref (a);
  node_unref (b);
}

void
listing_add_page (struct node *dir, struct listing *l, struct rpage *p,
                  uint64_t start)
{
  for (size_t i = 0; i < p->n; ++i) {
    bool fresh;
    struct rentry *e = &p->v[i];
    struct node *c = cache_enter (dir, e->name, e, start, &fresh);
    struct dentry *d = dentry_find (dir, e->name);
    /* Skipped if an operation removed the name meanwhile. */
    if (d && d->child && d->in_listing != l && listing_append (l, d) == -1)
      l->error = EIO;
    node_unref (c);
  }
  l->next_cookie = p->next;
  l->partial |= p->skipped;
  if (p->end)
    l->complete = true;
  dir->listed_at = now ();
}

/* The node at a path relative to dir, through cached names only. */
static struct node *
resolve_relative (struct node *dir, const char *rel)
{
  struct node *cur = dir;
  const char *p = rel;
  while (*p && cur) {
    const char *slash = strchr (p, '/');
    size_t len = slash ? (size_t) (slash - p) : strlen (p);
    char comp[NAME_MAX + 1];
    if (len == 0 || len > NAME_MAX)
      return NULL;
    memcpy (comp, p, len);
    comp[len] = '\0';
    if (strcmp (comp, ".") == 0 || strcmp (comp, "..") == 0)
      return NULL;
    struct dentry *d = dentry_find (cur, comp);
    cur = d ? d->child : NULL;
    p += len + (slash ? 1 : 0);
  }
  return cur;
}

void
cache_store_tree (struct node *dir, struct listing *l, struct rsection *v,
                  size_t n, uint64_t start)
{
  double t = now ();
  listing_add_page (dir, l, &v[0].page, start);
  dir->listed_at = t;
  for (size_t i = 1; i < n; ++i) {
    struct node *sub = resolve_relative (dir, v[i].dir.name);
    /* Not where the reply says, or changed since the call: skip. */
    if (sub == NULL || !node_is (sub, &v[i].dir.st) ||
        sub->inval_epoch > start)
      continue;
    if (sub->listing && sub->listing->expires > t && !sub->listing->error)
      continue; /* already known */
    struct listing *sl = listing_for (sub);
    if (sl == NULL)
      continue;
    listing_add_page (sub, sl, &v[i].page, start);
    sub->listed_at = t;
    listing_unref (sl);
  }
}

size_t
cache_walk_budget (struct node *dir)
{
  if (dir->names == NULL ||
      dir->names->parent->listed_at <= now () - TREE_WALK_WINDOW)
    return 0;
  /* The whole budget at once: a walk that found only part of a wide
   * directory's subtree would pay one trip per remaining sibling. */
  return READDIR_PAGE;
}

/* ---- Contents fetched ahead ---- */

static struct node *fdata_head, *fdata_tail; /* oldest first */
static size_t fdata_total;

/* Take n's contents off the books (the caller frees or keeps them). */
static char *
fdata_unlink (struct node *n)
{
  char *data = n->fdata;
  if (data == NULL)
    return NULL;
  if (n->fdata_prev)
    n->fdata_prev->fdata_next = n->fdata_next;
  else
    fdata_head = n->fdata_next;
  if (n->fdata_next)
    n->fdata_next->fdata_prev = n->fdata_prev;
  else
    fdata_tail = n->fdata_prev;
  n->fdata_prev = n->fdata_next = NULL;
  fdata_total -= n->fdata_len;
  n->fdata = NULL;
  return data;
}

static void
fdata_drop (struct node *n)
{
  free (fdata_unlink (n));
  n->fdata_len = 0;
}

static void
fdata_attach (struct node *n, struct rentry *e)
{
  fdata_drop (n);
  while (fdata_head && fdata_total + e->data_len > FILE_DATA_CACHE)
    fdata_drop (fdata_head);
  n->fdata = e->data;
  n->fdata_len = e->data_len;
  n->fdata_whole = (off_t) e->data_len == e->st.st_size;
  n->fdata_gen = atomic_load (&n->data_gen);
  n->fdata_expires = now () + config.timeout;
  e->data = NULL;
  n->fdata_prev = fdata_tail;
  n->fdata_next = NULL;
  if (fdata_tail)
    fdata_tail->fdata_next = n;
  else
    fdata_head = n;
  fdata_tail = n;
  fdata_total += n->fdata_len;
}

void
cache_store_files (struct node *dir, struct rpage *p, uint64_t start)
{
  for (size_t i = 0; i < p->n; ++i) {
    struct rentry *e = &p->v[i];
    bool fresh;
    struct node *n = cache_enter (dir, e->name, e, start, &fresh);
    if (n && fresh && e->data && S_ISREG (n->type))
      fdata_attach (n, e);
    node_unref (n);
  }
}

bool
node_take_fdata (struct node *n, char **data, size_t *len, bool *whole)
{
  if (n->fdata == NULL)
    return false;
  if (n->fdata_gen != atomic_load (&n->data_gen) ||
      n->fdata_expires <= now ()) {
    fdata_drop (n);
    return false;
  }
  *len = n->fdata_len;
  *whole = n->fdata_whole;
  *data = fdata_unlink (n);
  n->fdata_len = 0;
  return true;
}

/* Where n is in listing l (searching from hint), or l->n. */
static size_t
listing_index (const struct listing *l, const struct node *n, size_t hint)
{
  for (size_t k = 0; k < l->n; ++k) {
    size_t i = (hint + k) % l->n;
    if (l->v[i]->child == n)
      return i;
  }
  return l->n;
}

/* A small file worth fetching ahead.  The size is the last one known
 * (it only sizes the batch: the daemon sends what is there). */
static bool
worth_batching (const struct node *c)
{
  return c && S_ISREG (c->type) && c->st.st_ino != 0 && c->fdata == NULL &&
         c->st.st_size <= BATCH_FILE_MAX && atomic_load (&c->dirty) == 0 &&
         c->files == NULL;
}

/* When the last batch was fetched: a program reading one directory
 * after another reads the first file of the next one too. */
static double last_batch;

size_t
cache_plan_batch (struct node *dir, struct node *n, char ***names)
{
  double t = now ();
  bool walk = dir->last_open > t - READ_WALK_WINDOW ||
              last_batch > t - READ_WALK_WINDOW;
  dir->last_open = t;
  struct listing *l = dir->listing;
  if (!walk || l == NULL || l->n == 0 || !worth_batching (n))
    return 0;
  char **v = malloc ((BATCH_FILES + 1) * sizeof *v);
  if (v == NULL)
    return 0;
  size_t count = 0, bytes = 0;
  size_t at = listing_index (l, n, dir->pick_pos);
  /* n itself, then the files after it in listing order (wrapping
   * round), as long as the batch has room. */
  for (size_t k = 0; at < l->n && k < l->n && count < BATCH_FILES; ++k) {
    size_t i = (at + k) % l->n;
    struct dentry *d = l->v[i];
    struct node *c = d->child;
    if (k > 0 && (!worth_batching (c) || c == n))
      continue;
    size_t cost = c->st.st_size + strlen (d->name) + 256;
    if (count > 0 && bytes + cost > READDIR_PAGE)
      break;
    v[count] = strdup (d->name);
    if (v[count] == NULL)
      break;
    bytes += cost;
    ++count;
    dir->pick_pos = i + 1;
  }
  v[count] = NULL;
  if (count < 2) { /* nothing gained over a plain open */
    for (size_t i = 0; i < count; ++i)
      free (v[i]);
    free (v);
    return 0;
  }
  *names = v;
  last_batch = t;
  return count;
}

/* ---- Freeing and expiry ---- */

static void
node_free (struct node *n)
{
  id_remove (n);
  drop_listing (n);
  while (n->children)
    dentry_unhash (n->children);
  while (n->names) {
    struct name *nm = n->names;
    n->names = nm->next;
    name_free (nm);
  }
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
  for (struct listing_link **pp = &listing_dirs; *pp;) {
    struct listing_link *k = *pp;
    if (k->dir->listing->expires > t && d_count <= CACHE_MAX_NAMES) {
      pp = &k->next;
      continue;
    }
    struct node *dir = k->dir;
    *pp = k->next;
    free (k);
    struct listing *l = dir->listing;
    dir->listing = NULL;
    listing_unref (l);
  }
  while (lru_head && (lru_head->expires <= t || d_count > CACHE_MAX_NAMES))
    dentry_unhash (lru_head);
}

int
cache_init (struct rentry *e)
{
  id_buckets = 1024;
  d_buckets = 1024;
  id_table = calloc (id_buckets, sizeof *id_table);
  d_table = calloc (d_buckets, sizeof *d_table);
  if (id_table == NULL || d_table == NULL)
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
