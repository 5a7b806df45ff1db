/* Library-side file actions built on daemon calls. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "appliance.h"
#include "internal-actions.h"
#include "guestfs_protocol.h"

/* A batch must fit in a request (the names).  The daemon keeps each
 * reply within a message itself, answering only the first names of a
 * batch if need be, so a batch may take several calls. */
#define BATCH_NAME_BYTES (GUESTFS_MESSAGE_MAX / 2)
#define BATCH_MAX_NAMES 16384

static size_t
batch_size (char *const *names)
{
  size_t n = 0, bytes = 0;
  while (names[n] && n < BATCH_MAX_NAMES) {
    size_t b = strlen (names[n]) + 8; /* length word plus padding */
    if (n > 0 && bytes + b > BATCH_NAME_BYTES)
      break;
    bytes += b;
    ++n;
  }
  return n;
}

/* Ask the daemon about batch (n names, NULL-terminated), append the
 * answers to acc, and return how many names were answered: 1 to n, or
 * -1 on error. */
typedef ssize_t (*batch_fn) (guestfs_h *g, const char *path, char **batch,
                             size_t n, void *acc);

static ssize_t
bad_batch_reply (guestfs_h *g, const char *name, size_t got, size_t n)
{
  guestfs_int_error_errno (g, EIO, "%s: the daemon answered %zu names of "
                           "%zu", name, got, n);
  return -1;
}

/* An empty list is still one call, so that a bad path is an error. */
static int
for_each_batch (guestfs_h *g, const char *name, const char *path,
                char *const *names, batch_fn fn, void *acc)
{
  size_t total = guestfs_int_count_strings (names), done = 0;
  do {
    size_t n = batch_size (names + done);
    char **batch = safe_calloc (g, n + 1, sizeof (char *));
    memcpy (batch, names + done, n * sizeof (char *));
    ssize_t answered = fn (g, path, batch, n, acc);
    free (batch);
    if (answered == -1)
      return -1;
    /* A hostile daemon must not make this loop forever or overrun. */
    if ((answered == 0 && n > 0) || (size_t) answered > n)
      return bad_batch_reply (g, name, answered, n);
    done += answered;
  } while (done < total);
  return 0;
}

/* ---- lstatnslist ---- */

static ssize_t
lstatns_batch (guestfs_h *g, const char *path, char **batch, size_t n,
               void *acc)
{
  struct guestfs_statns_list *r = acc;
  struct guestfs_statns_list *part =
    guestfs_internal_lstatnslist (g, path, batch);
  if (part == NULL)
    return -1;
  size_t got = part->len;
  if (got != n) { /* one entry per name, always */
    guestfs_free_statns_list (part);
    return bad_batch_reply (g, "lstatnslist", got, n);
  }
  if (n) /* an empty list may come with a NULL array */
    memcpy (r->val + r->len, part->val, n * sizeof *r->val);
  r->len += n;
  free (part->val); /* the entries' contents moved to r */
  free (part);
  return n;
}

struct guestfs_statns_list *
guestfs_impl_lstatnslist (guestfs_h *g, const char *path, char *const *names)
{
  size_t total = guestfs_int_count_strings (names);
  struct guestfs_statns_list *r = safe_malloc (g, sizeof *r);
  r->len = 0;
  r->val = safe_calloc (g, total ? total : 1, sizeof *r->val);
  if (for_each_batch (g, "lstatnslist", path, names, lstatns_batch, r)
      == -1) {
    guestfs_free_statns_list (r);
    return NULL;
  }
  return r;
}

/* ---- readlinklist ---- */

struct string_acc {
  char **v;
  size_t len;
};

static ssize_t
readlink_batch (guestfs_h *g, const char *path, char **batch, size_t n,
                void *acc)
{
  struct string_acc *r = acc;
  char **part = guestfs_internal_readlinklist (g, path, batch);
  if (part == NULL)
    return -1;
  size_t got = guestfs_int_count_strings (part);
  if (got > n) {
    guestfs_int_free_string_list (part);
    return bad_batch_reply (g, "readlinklist", got, n);
  }
  memcpy (r->v + r->len, part, got * sizeof (char *));
  r->len += got;
  free (part); /* the strings moved to r */
  return got;
}

char **
guestfs_impl_readlinklist (guestfs_h *g, const char *path,
                           char *const *names)
{
  size_t total = guestfs_int_count_strings (names);
  struct string_acc r = { safe_calloc (g, total + 1, sizeof (char *)), 0 };
  if (for_each_batch (g, "readlinklist", path, names, readlink_batch, &r)
      == -1) {
    guestfs_int_free_string_list (r.v);
    return NULL;
  }
  return r.v;
}

/* ---- lxattrlist ---- */

/* The number of attributes a header entry announces, or -1 if the
 * entry is not a header.  An empty value (a name that could not be
 * read) announces none. */
static long long
header_count (const struct guestfs_xattr *x)
{
  if (x->attrname[0] != '\0' || x->attrval_len > 9)
    return -1;
  long long n = 0;
  for (uint32_t i = 0; i < x->attrval_len; ++i) {
    if (x->attrval[i] < '0' || x->attrval[i] > '9')
      return -1;
    n = n * 10 + (x->attrval[i] - '0');
  }
  return n;
}

/* How many names the flat list answers, or -1 if it is malformed. */
static ssize_t
count_answered (const struct guestfs_xattr_list *part)
{
  size_t i = 0, files = 0;
  while (i < part->len) {
    long long n = header_count (&part->val[i]);
    if (n == -1 || (unsigned long long) n >= part->len - i)
      return -1;
    i += 1 + n;
    ++files;
  }
  return files;
}

static ssize_t
lxattr_batch (guestfs_h *g, const char *path, char **batch, size_t n,
              void *acc)
{
  struct guestfs_xattr_list *r = acc;
  struct guestfs_xattr_list *part =
    guestfs_internal_lxattrlist (g, path, batch);
  if (part == NULL)
    return -1;
  ssize_t got = count_answered (part);
  if (got < 0 || (size_t) got > n) {
    guestfs_free_xattr_list (part);
    return bad_batch_reply (g, "lxattrlist", got < 0 ? 0 : got, n);
  }
  r->val = safe_realloc (g, r->val, (r->len + part->len + 1) * sizeof *r->val);
  if (part->len)
    memcpy (r->val + r->len, part->val, part->len * sizeof *r->val);
  r->len += part->len;
  free (part->val); /* the entries' contents moved to r */
  free (part);
  return got;
}

struct guestfs_xattr_list *
guestfs_impl_lxattrlist (guestfs_h *g, const char *path, char *const *names)
{
  struct guestfs_xattr_list *r = safe_malloc (g, sizeof *r);
  r->len = 0;
  r->val = safe_malloc (g, sizeof *r->val);
  if (for_each_batch (g, "lxattrlist", path, names, lxattr_batch, r)
      == -1) {
    guestfs_free_xattr_list (r);
    return NULL;
  }
  return r;
}

char *
guestfs_impl_get_cachedir (guestfs_h *g)
{
  if (g->cachedir)
    return safe_asprintf (g, "%s/.guestfs-cache-%ju", g->cachedir,
                          (uintmax_t) geteuid ());
  char *d = appliance_default_cachedir ();
  if (d == NULL)
    g->abort_cb ();
  return d;
}

/* readdir in pages: each ends in a marker entry with an empty name,
 * "C" with the cookie to continue from, or "E" at the end. */
struct guestfs_dirent_list *
guestfs_impl_readdir (guestfs_h *g, const char *dir)
{
  struct guestfs_dirent_list *r = safe_calloc (g, 1, sizeof *r);
  int64_t cookie = 0;
  for (;;) {
    struct guestfs_dirent_list *page =
      guestfs_internal_readdir (g, dir, cookie);
    if (page == NULL) {
      guestfs_free_dirent_list (r);
      return NULL;
    }
    struct guestfs_dirent *last = page->len ? &page->val[page->len - 1]
                                            : NULL;
    if (last == NULL || last->name[0] != '\0' ||
        (last->ftyp != 'C' && last->ftyp != 'E') ||
        (last->ftyp == 'C' && (page->len < 2 || last->ino == cookie))) {
      guestfs_int_error_errno (g, EIO, "readdir: %s: the daemon sent a "
                               "malformed page", dir);
      guestfs_free_dirent_list (page);
      guestfs_free_dirent_list (r);
      return NULL;
    }
    bool end = last->ftyp == 'E';
    cookie = last->ino;
    free (last->name);
    size_t n = page->len - 1;
    r->val = safe_realloc (g, r->val, (r->len + n) * sizeof *r->val);
    memcpy (r->val + r->len, page->val, n * sizeof *r->val);
    r->len += n;
    free (page->val); /* the entries' names now belong to r */
    free (page);
    if (end)
      return r;
  }
}
