/* Listings: a whole directory in daemon order, filled a page at a
 * time (fuse_readdir) or with the directories below it in one reply
 * (fuse_readdir_tree).  A complete listing also answers "no such
 * file" without a round trip (cache_lookup).
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cache-internal.h"

/* Largest listing accepted from the daemon (about 600 MiB of names
 * cached): a directory that never ends is a hostile one, and must not
 * take the host's memory. */
#define LISTING_MAX 2000000

/* Directories that hold a listing. */
struct listing_link {
  struct listing_link *next;
  struct node *dir;
};

static struct listing_link *listing_dirs;

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

/* A daemon could list a directory forever: with pages whose next
 * cookie is one a page was already asked with (a cycle, however long),
 * or that keep moving on without adding a name.  Either ends the
 * listing after a bounded number of pages: true if l, about to go on
 * to next after a page that added a name or not, goes nowhere. */
#define IDLE_PAGES_MAX 16

static bool
goes_nowhere (struct listing *l, int64_t next, bool added)
{
  l->idle_pages = added ? 0 : l->idle_pages + 1;
  if (l->idle_pages > IDLE_PAGES_MAX)
    return true;
  int64_t *v = realloc (l->cookies, (l->nr_cookies + 1) * sizeof *v);
  if (v == NULL)
    return true;
  l->cookies = v;
  v[l->nr_cookies++] = l->next_cookie;
  for (size_t i = 0; i < l->nr_cookies; ++i)
    if (v[i] == next)
      return true;
  return false;
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
  free (l->cookies);
  pthread_mutex_destroy (&l->fetch_lock);
  free (l);
}

int
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

/* Take dir's listing away from it. */
static void
detach_listing (struct node *dir)
{
  struct listing *l = dir->listing;
  dir->listing = NULL;
  listing_unref (l);
}

void
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
  detach_listing (dir);
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

void
listings_expire (double t)
{
  for (struct listing_link **pp = &listing_dirs; *pp;) {
    struct listing_link *k = *pp;
    if (k->dir->listing->expires > t &&
        cache_nr_dentries () <= CACHE_MAX_NAMES) {
      pp = &k->next;
      continue;
    }
    struct node *dir = k->dir;
    *pp = k->next;
    free (k);
    detach_listing (dir);
  }
}

void
listing_add_page (struct node *dir, struct listing *l, struct rpage *p,
                  uint64_t start)
{
  size_t before = l->n;
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
  if (!p->end && goes_nowhere (l, p->next, l->n > before))
    l->error = EIO;
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
