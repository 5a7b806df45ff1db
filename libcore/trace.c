/* Trace messages: "name arg arg ..." on entry, "name = result" on exit.
 * Secret arguments print as "***" whatever they hold. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"

struct guestfs_int_trace {
  FILE *f;
  char *buf;
  size_t len;
};

struct guestfs_int_trace *
guestfs_int_trace_open (guestfs_h *g, const char *name)
{
  struct guestfs_int_trace *tb = safe_calloc (g, 1, sizeof *tb);
  tb->f = open_memstream (&tb->buf, &tb->len);
  if (tb->f == NULL)
    g->abort_cb ();
  fputs (name, tb->f);
  return tb;
}

static void
emit (guestfs_h *g, const char *buf, size_t len)
{
  guestfs_int_call_callbacks_message (g, GUESTFS_EVENT_TRACE, buf, len);
}

void
guestfs_int_trace_send (guestfs_h *g, struct guestfs_int_trace *tb)
{
  fclose (tb->f);
  emit (g, tb->buf, tb->len);
  free (tb->buf);
  free (tb);
}

/* Quote a string so that control characters cannot forge trace lines. */
static void
put_quoted (FILE *f, const char *s)
{
  fputc ('"', f);
  for (; *s; ++s) {
    unsigned char c = *s;
    if (c == '"' || c == '\\')
      fprintf (f, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf (f, "\\x%02x", c);
    else
      fputc (c, f);
  }
  fputc ('"', f);
}

void
guestfs_int_trace_str (struct guestfs_int_trace *tb, const char *s)
{
  fputc (' ', tb->f);
  if (s)
    put_quoted (tb->f, s);
  else
    fputs ("NULL", tb->f);
}

void
guestfs_int_trace_ptr (struct guestfs_int_trace *tb, const void *p)
{
  fprintf (tb->f, " %p", p);
}

void
guestfs_int_trace_optstr (struct guestfs_int_trace *tb, const char *s)
{
  guestfs_int_trace_str (tb, s);
}

void
guestfs_int_trace_secret (struct guestfs_int_trace *tb, const char *s)
{
  (void) s;
  fputs (" \"***\"", tb->f);
}

void
guestfs_int_trace_int (struct guestfs_int_trace *tb, int i)
{
  fprintf (tb->f, " %d", i);
}

void
guestfs_int_trace_int64 (struct guestfs_int_trace *tb, int64_t i)
{
  fprintf (tb->f, " %" PRIi64, i);
}

void
guestfs_int_trace_bool (struct guestfs_int_trace *tb, int b)
{
  fputs (b ? " true" : " false", tb->f);
}

static void
put_list (FILE *f, char *const *l)
{
  fputc ('[', f);
  for (size_t i = 0; l && l[i]; ++i) {
    if (i)
      fputs (", ", f);
    put_quoted (f, l[i]);
  }
  fputc (']', f);
}

void
guestfs_int_trace_strlist (struct guestfs_int_trace *tb, char *const *l)
{
  fputc (' ', tb->f);
  put_list (tb->f, l);
}

void
guestfs_int_trace_buffer (struct guestfs_int_trace *tb, size_t size)
{
  fprintf (tb->f, " <buffer of %zu bytes>", size);
}

void
guestfs_int_trace_opt_bool (struct guestfs_int_trace *tb, const char *n,
                            int b)
{
  fprintf (tb->f, " \"%s:%s\"", n, b ? "true" : "false");
}

void
guestfs_int_trace_opt_int (struct guestfs_int_trace *tb, const char *n, int i)
{
  fprintf (tb->f, " \"%s:%d\"", n, i);
}

void
guestfs_int_trace_opt_int64 (struct guestfs_int_trace *tb, const char *n,
                             int64_t i)
{
  fprintf (tb->f, " \"%s:%" PRIi64 "\"", n, i);
}

void
guestfs_int_trace_opt_str (struct guestfs_int_trace *tb, const char *n,
                           const char *s)
{
  fprintf (tb->f, " %s:", n);
  put_quoted (tb->f, s ? s : "");
}

void
guestfs_int_trace_opt_strlist (struct guestfs_int_trace *tb, const char *n,
                               char *const *l)
{
  fprintf (tb->f, " %s:", n);
  put_list (tb->f, l);
}

/* ---- Return values ---- */

static void __attribute__ ((format (printf, 3, 4)))
ret_printf (guestfs_h *g, const char *name, const char *fs, ...)
{
  char *body = NULL, *msg = NULL;
  va_list ap;
  va_start (ap, fs);
  int r = vasprintf (&body, fs, ap);
  va_end (ap);
  if (r == -1 || asprintf (&msg, "%s = %s", name, body) == -1)
    g->abort_cb ();
  emit (g, msg, strlen (msg));
  free (body);
  free (msg);
}

void
guestfs_int_trace_ret_int (guestfs_h *g, const char *name, int r)
{
  ret_printf (g, name, "%d%s", r, r == -1 ? " (error)" : "");
}

void
guestfs_int_trace_ret_bool (guestfs_h *g, const char *name, int r)
{
  ret_printf (g, name, "%s", r == -1 ? "-1 (error)" : r ? "1" : "0");
}

void
guestfs_int_trace_ret_int64 (guestfs_h *g, const char *name, int64_t r)
{
  ret_printf (g, name, "%" PRIi64 "%s", r, r == -1 ? " (error)" : "");
}

static char *
quoted (guestfs_h *g, const char *s)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (f == NULL)
    g->abort_cb ();
  put_quoted (f, s);
  fclose (f);
  return buf;
}

void
guestfs_int_trace_ret_str (guestfs_h *g, const char *name, const char *r)
{
  if (r == NULL) {
    ret_printf (g, name, "NULL");
    return;
  }
  char *q = quoted (g, r);
  ret_printf (g, name, "%s", q);
  free (q);
}

void
guestfs_int_trace_ret_secret (guestfs_h *g, const char *name, const void *r)
{
  ret_printf (g, name, "%s", r ? "\"***\"" : "NULL (error)");
}

static void
ret_list (guestfs_h *g, const char *name, char *const *r)
{
  if (r == NULL) {
    ret_printf (g, name, "NULL (error)");
    return;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (f == NULL)
    g->abort_cb ();
  put_list (f, r);
  fclose (f);
  ret_printf (g, name, "%s", buf);
  free (buf);
}

void
guestfs_int_trace_ret_strlist (guestfs_h *g, const char *name, char *const *r)
{
  ret_list (g, name, r);
}

void
guestfs_int_trace_ret_hash (guestfs_h *g, const char *name, char *const *r)
{
  ret_list (g, name, r);
}

void
guestfs_int_trace_ret_ptr (guestfs_h *g, const char *name, const void *r)
{
  ret_printf (g, name, "%s", r ? "<struct>" : "NULL (error)");
}

void
guestfs_int_trace_ret_buffer (guestfs_h *g, const char *name, const char *r,
                              size_t size)
{
  if (r == NULL)
    ret_printf (g, name, "NULL (error)");
  else
    ret_printf (g, name, "<buffer of %zu bytes>", size);
}
