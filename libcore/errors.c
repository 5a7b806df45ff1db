/* Error reporting: last_error/last_errno per thread, the error handler,
 * and allocation that calls the out-of-memory handler instead of
 * returning NULL. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"

struct error_data {
  struct error_data *next; /* every thread's, for guestfs_close */
  char *last_error;
  int last_errnum;
};

static void
default_error_cb (guestfs_h *g, void *opaque, const char *msg)
{
  (void) opaque;
  fprintf (stderr, "%s: error: %s\n", g->program ? g->program : "libguestfs",
           msg);
}

static void __attribute__ ((noreturn))
default_abort_cb (void)
{
  abort ();
}

void
guestfs_int_init_error_handling (guestfs_h *g)
{
  pthread_key_create (&g->error_key, NULL);
  pthread_mutex_init (&g->error_list_lock, NULL);
  g->error_cb = default_error_cb;
  g->abort_cb = default_abort_cb;
}

static struct error_data *
get_error_data (guestfs_h *g)
{
  struct error_data *d = pthread_getspecific (g->error_key);
  if (d)
    return d;
  d = calloc (1, sizeof *d);
  if (d == NULL)
    g->abort_cb ();
  pthread_mutex_lock (&g->error_list_lock);
  d->next = g->error_list;
  g->error_list = d;
  pthread_mutex_unlock (&g->error_list_lock);
  pthread_setspecific (g->error_key, d);
  return d;
}

void
guestfs_int_free_error_data (guestfs_h *g)
{
  struct error_data *d = g->error_list;
  while (d) {
    struct error_data *next = d->next;
    free (d->last_error);
    free (d);
    d = next;
  }
  g->error_list = NULL;
  pthread_key_delete (g->error_key);
  pthread_mutex_destroy (&g->error_list_lock);
}

static void
set_last_error (guestfs_h *g, int errnum, char *msg)
{
  struct error_data *d = get_error_data (g);
  free (d->last_error);
  d->last_error = msg;
  d->last_errnum = errnum;
  if (g->error_cb)
    g->error_cb (g, g->error_cb_data, msg);
}

static void
verror (guestfs_h *g, int errnum, bool add_strerror, const char *fs,
        va_list ap)
{
  char *msg;
  if (vasprintf (&msg, fs, ap) == -1)
    g->abort_cb ();
  if (add_strerror) {
    char *full;
    if (asprintf (&full, "%s: %s", msg, strerror (errnum)) == -1)
      g->abort_cb ();
    free (msg);
    msg = full;
  }
  set_last_error (g, errnum, msg);
}

void
guestfs_int_error_errno (guestfs_h *g, int errnum, const char *fs, ...)
{
  va_list ap;
  va_start (ap, fs);
  verror (g, errnum, false, fs, ap);
  va_end (ap);
}

void
guestfs_int_perrorf (guestfs_h *g, const char *fs, ...)
{
  int errnum = errno;
  va_list ap;
  va_start (ap, fs);
  verror (g, errnum, true, fs, ap);
  va_end (ap);
}

GUESTFS_DLL_PUBLIC const char *
guestfs_last_error (guestfs_h *g)
{
  return get_error_data (g)->last_error;
}

GUESTFS_DLL_PUBLIC int
guestfs_last_errno (guestfs_h *g)
{
  return get_error_data (g)->last_errnum;
}

GUESTFS_DLL_PUBLIC void
guestfs_set_error_handler (guestfs_h *g, guestfs_error_handler_cb cb,
                           void *opaque)
{
  g->error_cb = cb;
  g->error_cb_data = opaque;
}

GUESTFS_DLL_PUBLIC guestfs_error_handler_cb
guestfs_get_error_handler (guestfs_h *g, void **opaque_rtn)
{
  if (opaque_rtn)
    *opaque_rtn = g->error_cb_data;
  return g->error_cb;
}

/* A stack of handlers, to silence errors for a while (libguestfs's
 * programs push a NULL handler around calls expected to fail). */
struct pushed_handler {
  guestfs_error_handler_cb cb;
  void *opaque;
  struct pushed_handler *next;
};

GUESTFS_DLL_PUBLIC void
guestfs_push_error_handler (guestfs_h *g, guestfs_error_handler_cb cb,
                            void *opaque)
{
  struct pushed_handler *p = safe_malloc (g, sizeof *p);
  p->cb = g->error_cb;
  p->opaque = g->error_cb_data;
  guestfs_int_lock (g);
  p->next = g->pushed_handlers;
  g->pushed_handlers = p;
  guestfs_int_unlock (g);
  guestfs_set_error_handler (g, cb, opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_pop_error_handler (guestfs_h *g)
{
  guestfs_int_lock (g);
  struct pushed_handler *p = g->pushed_handlers;
  if (p)
    g->pushed_handlers = p->next;
  guestfs_int_unlock (g);
  /* Popping more than was pushed restores the default, as in
   * libguestfs. */
  if (p == NULL) {
    guestfs_set_error_handler (g, default_error_cb, NULL);
    return;
  }
  guestfs_set_error_handler (g, p->cb, p->opaque);
  free (p);
}

void
guestfs_int_free_pushed_handlers (guestfs_h *g)
{
  while (g->pushed_handlers) {
    struct pushed_handler *p = g->pushed_handlers;
    g->pushed_handlers = p->next;
    free (p);
  }
}

GUESTFS_DLL_PUBLIC void
guestfs_set_out_of_memory_handler (guestfs_h *g, guestfs_abort_cb cb)
{
  /* NULL cannot be honoured: there is no way to continue. */
  g->abort_cb = cb ? cb : default_abort_cb;
}

GUESTFS_DLL_PUBLIC guestfs_abort_cb
guestfs_get_out_of_memory_handler (guestfs_h *g)
{
  return g->abort_cb;
}

void *
guestfs_int_safe_malloc (guestfs_h *g, size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    g->abort_cb ();
  return p;
}

void *
guestfs_int_safe_calloc (guestfs_h *g, size_t n, size_t s)
{
  void *p = calloc (n ? n : 1, s ? s : 1);
  if (p == NULL)
    g->abort_cb ();
  return p;
}

void *
guestfs_int_safe_realloc (guestfs_h *g, void *ptr, size_t n)
{
  void *p = realloc (ptr, n ? n : 1);
  if (p == NULL)
    g->abort_cb ();
  return p;
}

char *
guestfs_int_safe_strdup (guestfs_h *g, const char *s)
{
  char *p = strdup (s);
  if (p == NULL)
    g->abort_cb ();
  return p;
}

char *
guestfs_int_safe_asprintf (guestfs_h *g, const char *fs, ...)
{
  char *p;
  va_list ap;
  va_start (ap, fs);
  int r = vasprintf (&p, fs, ap);
  va_end (ap);
  if (r == -1)
    g->abort_cb ();
  return p;
}

/* What an FL_UNAVAILABLE action says (see generator/actions_unavailable.c).
 * A group of which nothing is implemented gets libguestfs's own message
 * for a group left out of its build, word for word, since programs
 * match it; any other action says that it is not implemented yet. */
void
guestfs_int_unavailable (guestfs_h *g, const char *name, const char *group,
                         int group_missing)
{
  if (group && group_missing)
    guestfs_int_error_errno (g, ENOTSUP,
                             "%s: feature '%s' is not available in this\n"
                             "build of libguestfs.  Read 'AVAILABILITY' in "
                             "the guestfs(3) man page for\n"
                             "how to check for the availability of features.",
                             name, group);
  else
    guestfs_int_error_errno (g, ENOTSUP,
                             "%s: not implemented yet by this library%s%s%s "
                             "(see AVAILABILITY in guestfs(3))",
                             name, group ? " (optional group '" : "",
                             group ? group : "", group ? "'" : "");
}
