/* Record streams: see record-stream.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record-stream.h"
#include "byte-buffer.h"

/* ---- Writing ---- */

static void
put (struct record_writer *w, const void *p, size_t len)
{
  if (w->failed)
    return;
  if (byte_buffer_append (&w->buf, &w->len, &w->cap, p, len,
                          RECORD_FLUSH_SIZE) == -1) {
    w->failed = true;
    return;
  }
  if (w->len >= RECORD_FLUSH_SIZE) {
    if (w->flush (w->buf, w->len) == -1)
      w->failed = true;
    w->len = 0;
  }
}

void
record_put_u64 (struct record_writer *w, uint64_t v)
{
  unsigned char b[8];
  for (int i = 7; i >= 0; --i, v >>= 8)
    b[i] = v & 0xff;
  put (w, b, sizeof b);
}

void
record_put_bytes (struct record_writer *w, const void *p, size_t len)
{
  if (len > RECORD_STRING_MAX)
    len = RECORD_STRING_MAX; /* the reader would refuse more */
  unsigned char b[4] = {len >> 24, len >> 16, len >> 8, len};
  put (w, b, sizeof b);
  put (w, p, len);
}

void
record_put_string (struct record_writer *w, const char *s)
{
  record_put_bytes (w, s ? s : "", s ? strlen (s) : 0);
}

int
record_finish (struct record_writer *w)
{
  if (!w->failed && w->len > 0 && w->flush (w->buf, w->len) == -1)
    w->failed = true;
  free (w->buf);
  w->buf = NULL;
  w->len = w->cap = 0;
  return w->failed ? -1 : 0;
}

/* ---- Reading ---- */

enum record_status
record_at_end (FILE *fp)
{
  int c = getc (fp);
  if (c == EOF)
    return ferror (fp) ? RECORD_BAD : RECORD_EOF;
  ungetc (c, fp);
  return RECORD_OK;
}

static enum record_status
get_exact (FILE *fp, void *p, size_t len)
{
  return len == 0 || fread (p, 1, len, fp) == len ? RECORD_OK : RECORD_BAD;
}

enum record_status
record_get_u64 (FILE *fp, uint64_t *v)
{
  unsigned char b[8];
  if (get_exact (fp, b, sizeof b) != RECORD_OK)
    return RECORD_BAD;
  *v = 0;
  for (size_t i = 0; i < sizeof b; ++i)
    *v = (*v << 8) | b[i];
  return RECORD_OK;
}

enum record_status
record_get_bytes (FILE *fp, size_t max, bool text, char **s, size_t *len_r)
{
  unsigned char b[4];
  *s = NULL;
  if (get_exact (fp, b, sizeof b) != RECORD_OK)
    return RECORD_BAD;
  size_t len =
      (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
  if (len > max || len > RECORD_STRING_MAX)
    return RECORD_BAD;
  char *p = malloc (len + 1);
  if (p == NULL)
    return RECORD_BAD;
  if (get_exact (fp, p, len) != RECORD_OK ||
      (text && memchr (p, '\0', len) != NULL)) {
    free (p);
    return RECORD_BAD;
  }
  p[len] = '\0';
  *s = p;
  if (len_r)
    *len_r = len;
  return RECORD_OK;
}
