/* Contents of small files fetched ahead of their open: when the files
 * of a directory are opened one after the other, the next ones come in
 * one fuse_read_files call, and are kept (up to FILE_DATA_CACHE bytes,
 * oldest dropped first) until opened.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cache-internal.h"

static struct node *fdata_head, *fdata_tail; /* oldest first */
static size_t fdata_total;
/* Broadcast when a batch ends.  Readers that open the files of one
 * directory at once (xargs -P, a file manager's thumbnails) would each
 * fetch the same next batch; instead the later ones wait for the batch
 * that already holds their file. */
static pthread_cond_t batch_done = PTHREAD_COND_INITIALIZER;

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

void
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
         !c->fetching && c->st.st_size <= BATCH_FILE_MAX &&
         atomic_load (&c->dirty) == 0 && c->files == NULL;
}

/* When the last batch was fetched: a program reading one directory
 * after another reads the first file of the next one too. */
static double last_batch;

size_t
cache_plan_batch (struct node *dir, struct node *n, char ***names,
                  struct node ***members)
{
  double t = now ();
  bool walk = dir->last_open > t - READ_WALK_WINDOW ||
              last_batch > t - READ_WALK_WINDOW;
  dir->last_open = t;
  struct listing *l = dir->listing;
  if (!walk || l == NULL || l->n == 0 || !worth_batching (n))
    return 0;
  char **v = malloc ((BATCH_FILES + 1) * sizeof *v);
  struct node **m = malloc (BATCH_FILES * sizeof *m);
  if (v == NULL || m == NULL) {
    free (v);
    free (m);
    return 0;
  }
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
    m[count] = c;
    bytes += cost;
    ++count;
    dir->pick_pos = i + 1;
  }
  v[count] = NULL;
  if (count < 2) { /* nothing gained over a plain open */
    for (size_t i = 0; i < count; ++i)
      free (v[i]);
    free (v);
    free (m);
    return 0;
  }
  for (size_t i = 0; i < count; ++i) {
    m[i]->fetching = true;
    node_ref (m[i]);
  }
  *names = v;
  *members = m;
  last_batch = t;
  return count;
}

void
cache_end_batch (struct node **members, size_t count)
{
  for (size_t i = 0; i < count; ++i) {
    members[i]->fetching = false;
    node_unref (members[i]);
  }
  free (members);
  pthread_cond_broadcast (&batch_done);
}

void
cache_wait_batch (struct node *n)
{
  while (n->fetching)
    pthread_cond_wait (&batch_done, &cache_mutex);
}
