/* Text files as lines (read_lines, head, tail) and counts (wc_*).
 *
 * Files are read as a stream, keeping only the lines the answer needs,
 * so that head and tail work on files of any size; only the answer has
 * to fit in a reply.  O_NONBLOCK keeps a guest FIFO from hanging the
 * daemon.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static FILE *
open_text (const char *path)
{
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  FILE *f = fd == -1 ? NULL : fdopen (fd, "r");
  if (f == NULL) {
    reply_with_perror ("%s", path);
    if (fd != -1)
      close (fd);
  }
  return f;
}

/* ---- Lines ---- */

/* What to keep: the lines from number `from' (1-based) on, at most
 * `max' of them, and of those all but the last `drop' (or only the
 * last `last', if not 0). */
struct selection {
  size_t from, max, drop, last;
};

/* Lines held back: the last `limit' seen, oldest first. */
struct ring {
  char **v;
  size_t cap, start, len, limit;
};

static char *
ring_push (struct ring *r, char *line)
{
  char *oldest = NULL;
  if (r->len == r->limit) {
    oldest = r->v[r->start];
    r->v[r->start] = line;
    r->start = (r->start + 1) % r->cap;
    return oldest;
  }
  if (r->len == r->cap) {
    size_t n = r->cap ? r->cap * 2 : 64;
    if (n > r->limit)
      n = r->limit;
    char **v = malloc (n * sizeof *v);
    if (v == NULL)
      return line; /* the caller sees its own line back: out of memory */
    for (size_t i = 0; i < r->len; ++i)
      v[i] = r->v[(r->start + i) % r->cap];
    free (r->v);
    r->v = v;
    r->cap = n;
    r->start = 0;
  }
  r->v[(r->start + r->len++) % r->cap] = line;
  return NULL;
}

static void
ring_free (struct ring *r)
{
  for (size_t i = 0; i < r->len; ++i)
    free (r->v[(r->start + i) % r->cap]);
  free (r->v);
}

struct collected {
  struct stringsbuf sb;
  size_t bytes;
};

/* Take a line into the answer, if it still fits in a reply. */
static int
answer_line (struct collected *c, char *line)
{
  c->bytes += strlen (line) + 8;
  if (c->bytes > REPLY_BUDGET) {
    free (line);
    errno = E2BIG;
    return -1;
  }
  return add_string_nodup (&c->sb, line) == -1 ? -2 : 0;
}

static void
strip_ending (char *line, ssize_t len)
{
  if (len > 0 && line[len - 1] == '\n')
    line[--len] = '\0';
  if (len > 0 && line[len - 1] == '\r')
    line[--len] = '\0';
}

/* Feed one line through the selection.  -1: errno, -2: replied. */
static int
select_line (const struct selection *s, struct ring *held,
             struct collected *c, char *line)
{
  if (s->drop || s->last) {
    char *out = ring_push (held, line);
    if (out == line) {
      free (line);
      errno = ENOMEM;
      return -1;
    }
    if (out && s->drop)
      return answer_line (c, out);
    free (out);
    return 0;
  }
  return answer_line (c, line);
}

static int
read_selection (FILE *f, const struct selection *s, struct collected *c)
{
  struct ring held = { .limit = s->drop ? s->drop : s->last };
  char *line = NULL;
  size_t alloc = 0, nr = 0, taken = 0;
  ssize_t len;
  int r = 0;
  while (r == 0 && taken < s->max && (len = getline (&line, &alloc, f)) != -1) {
    if (++nr < s->from)
      continue;
    strip_ending (line, len);
    char *copy = strdup (line);
    r = copy ? select_line (s, &held, c, copy) : -1;
    ++taken;
  }
  if (r == 0 && ferror (f))
    r = -1;
  free (line);
  /* tail: the held lines are the answer. */
  for (size_t i = 0; r == 0 && s->last && i < held.len; ++i) {
    char **slot = &held.v[(held.start + i) % held.cap];
    r = answer_line (c, *slot);
    *slot = NULL;
  }
  ring_free (&held);
  return r;
}

static char **
lines_of (const char *path, const struct selection *s)
{
  FILE *f = open_text (path);
  if (f == NULL)
    return NULL;
  struct collected c = { .bytes = 0 };
  int r = read_selection (f, s, &c);
  int err = errno;
  fclose (f);
  if (r == -1) {
    if (err == E2BIG)
      reply_with_error_errno (E2BIG, "%s: the lines do not fit in a reply "
                              "(see PROTOCOL LIMITS)", path);
    else
      reply_with_perror_errno (err, "%s", path);
  }
  if (r != 0) {
    free_stringsbuf (&c.sb);
    return NULL;
  }
  return take_strings (&c.sb);
}

char **
do_read_lines (const char *path)
{
  struct selection s = { .from = 1, .max = SIZE_MAX };
  return lines_of (path, &s);
}

char **
do_head_n (int nrlines, const char *path)
{
  struct selection s = { .from = 1, .max = SIZE_MAX };
  if (nrlines >= 0)
    s.max = nrlines;
  else
    s.drop = -(long) nrlines;
  return lines_of (path, &s);
}

char **
do_head (const char *path)
{
  return do_head_n (10, path);
}

char **
do_tail_n (int nrlines, const char *path)
{
  struct selection s = { .from = 1, .max = SIZE_MAX };
  if (nrlines > 0)
    s.last = nrlines;
  else if (nrlines < 0)
    s.from = -(long) nrlines;
  else
    s.max = 0;
  return lines_of (path, &s);
}

char **
do_tail (const char *path)
{
  return do_tail_n (10, path);
}

/* ---- Counts ---- */

struct counts {
  uint64_t lines, words, bytes;
};

static bool
is_word_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

static int
count_file (const char *path, struct counts *n)
{
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  static char buf[65536];
  bool in_word = false;
  ssize_t r;
  memset (n, 0, sizeof *n);
  while ((r = read (fd, buf, sizeof buf)) != 0) {
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      reply_with_perror ("%s", path);
      close (fd);
      return -1;
    }
    for (ssize_t i = 0; i < r; ++i) {
      bool space = is_word_space (buf[i]);
      n->lines += buf[i] == '\n';
      n->words += !space && !in_word;
      in_word = !space;
    }
    n->bytes += r;
  }
  close (fd);
  return 0;
}

static int
count_result (const char *path, uint64_t v)
{
  if (v > INT_MAX) {
    reply_with_error_errno (EOVERFLOW, "%s: the count does not fit in an "
                            "int", path);
    return -1;
  }
  return v;
}

int
do_wc_l (const char *path)
{
  struct counts n;
  return count_file (path, &n) == -1 ? -1 : count_result (path, n.lines);
}

int
do_wc_w (const char *path)
{
  struct counts n;
  return count_file (path, &n) == -1 ? -1 : count_result (path, n.words);
}

int
do_wc_c (const char *path)
{
  struct counts n;
  return count_file (path, &n) == -1 ? -1 : count_result (path, n.bytes);
}
