/* Names: the names a node is known by (which is how its guest path
 * is built), and the dentries, each caching what one name in one
 * directory is (a node, or nothing); what operations do to names
 * (create, remove, rename) and lookups in the cache.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cache-internal.h"

/* Names remembered per node (hard links), for paths and invalidation. */
#define NAMES_MAX 256
/* Deepest path accepted (a loop in a corrupt filesystem stops here). */
#define DEPTH_MAX 4096

static struct dentry **d_table;
static size_t d_buckets, d_count;

/* Dentries by expiry (oldest first), for dentries_expire. */
static struct dentry *lru_head, *lru_tail;

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
void
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
  for (struct node *cur = n; cur != cache_root ();) {
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

/* ---- Dentries ---- */

static size_t
d_hash (const struct node *parent, const char *name)
{
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char *p = (const unsigned char *) name; *p; ++p)
    h = (h ^ *p) * 1099511628211ULL;
  return hash_mix64 (h ^ (uintptr_t) parent) & (d_buckets - 1);
}

/* Grow the table when it holds more entries than buckets.  On
 * allocation failure it stays as it is (longer chains). */
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

struct dentry *
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

void
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
struct dentry *
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
    d->mod_epoch = epoch_next ();
  return d;
}

size_t
cache_nr_dentries (void)
{
  return d_count;
}

int
dentries_init (void)
{
  d_buckets = 1024;
  d_table = calloc (d_buckets, sizeof *d_table);
  return d_table ? 0 : -1;
}

void
dentries_expire (double t)
{
  while (lru_head && (lru_head->expires <= t || d_count > CACHE_MAX_NAMES))
    dentry_unhash (lru_head);
}

void
node_drop_names (struct node *n)
{
  while (n->children)
    dentry_unhash (n->children);
  while (n->names) {
    struct name *nm = n->names;
    n->names = nm->next;
    name_free (nm);
  }
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
cache_created (struct node *dir, const char *name, struct rentry *e,
               bool *fresh)
{
  node_changed (dir);
  if (dentry_modify (dir, name) == NULL)
    return NULL;
  struct node *n = cache_enter (dir, name, e, cache_epoch (), fresh);
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
    node_unhash (n);
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

