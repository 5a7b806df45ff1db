/* Escaping untrusted text for a terminal (see sanitize.h). */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* The code point of the well-formed UTF-8 sequence at s (at most len
 * bytes), and its length in *n; -1 if there is none. */
static int32_t
decode_utf8 (const unsigned char *s, size_t len, size_t *n)
{
  unsigned char c = s[0];
  size_t need;
  int32_t cp, min;
  if (c >= 0xc2 && c <= 0xdf)
    need = 2, cp = c & 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef)
    need = 3, cp = c & 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4)
    need = 4, cp = c & 0x07, min = 0x10000;
  else
    return -1;
  if (len < need)
    return -1;
  for (size_t i = 1; i < need; ++i) {
    if ((s[i] & 0xc0) != 0x80)
      return -1;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return -1;
  *n = need;
  return cp;
}

/* Code points a terminal acts on, or that reorder what is shown. */
static bool
is_hidden_control (int32_t cp)
{
  return (cp >= 0x80 && cp <= 0x9f) ||       /* C1: CSI, OSC, ... */
         (cp >= 0x200e && cp <= 0x200f) ||   /* LRM, RLM */
         (cp >= 0x202a && cp <= 0x202e) ||   /* embeddings, overrides */
         (cp >= 0x2066 && cp <= 0x2069);     /* isolates */
}

void
guestfs_int_fput_sanitized (const char *str, size_t len, int flags, FILE *f)
{
  const unsigned char *s = (const unsigned char *) str;
  bool multiline = flags & GUESTFS_SANITIZE_MULTILINE;
  for (size_t i = 0; i < len;) {
    unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7f) {
      fputc (c, f);
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (multiline && (c == '\n' || c == '\t'))
        fputc (c, f);
      else if (!(multiline && c == '\r' && i + 1 < len && s[i + 1] == '\n'))
        fprintf (f, "\\x%02x", c);
      ++i;
      continue;
    }
    size_t n;
    int32_t cp = decode_utf8 (s + i, len - i, &n);
    if (cp == -1) {
      fprintf (f, "\\x%02x", c);
      ++i;
    } else {
      if (is_hidden_control (cp))
        fprintf (f, "\\u%04x", (unsigned) cp);
      else
        fwrite (s + i, 1, n, f);
      i += n;
    }
  }
}

char *
guestfs_int_sanitize (const char *s, int flags)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream (&buf, &size);
  if (f == NULL)
    return NULL;
  guestfs_int_fput_sanitized (s, strlen (s), flags, f);
  if (fclose (f) != 0) {
    free (buf);
    return NULL;
  }
  return buf;
}

void
guestfs_int_vfprintf_sanitized (FILE *f, int flags, const char *fmt,
                                va_list ap)
{
  char *text;
  int len = vasprintf (&text, fmt, ap);
  if (len < 0) {
    fputs ("(out of memory)", f);
    return;
  }
  guestfs_int_fput_sanitized (text, len, flags, f);
  free (text);
}
