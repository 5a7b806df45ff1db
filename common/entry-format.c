/* The fuse_entry format (see entry-format.h). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "entry-format.h"
#include "byte-buffer.h"

uint64_t
entry_get_be64 (const void *p)
{
  const unsigned char *b = p;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v = (v << 8) | b[i];
  return v;
}

void
entry_put_be64 (void *p, uint64_t v)
{
  unsigned char *b = p;
  for (int i = 7; i >= 0; --i) {
    b[i] = v & 0xff;
    v >>= 8;
  }
}

/* ---- Packed extended attributes ---- */

static int
pack_bytes (struct xattr_packer *p, const void *data, size_t len)
{
  return byte_buffer_append (&p->buf, &p->len, &p->cap, data, len, 1024);
}

int
xattr_pack (struct xattr_packer *p, const char *name, const void *value,
            size_t value_len)
{
  if (name[0] == '\0' || value_len > UINT32_MAX) {
    errno = EINVAL;
    return -1;
  }
  unsigned char be[4] = { value_len >> 24, value_len >> 16, value_len >> 8,
                          value_len };
  if (pack_bytes (p, name, strlen (name) + 1) == -1 ||
      pack_bytes (p, be, 4) == -1 || pack_bytes (p, value, value_len) == -1)
    return -1;
  return 0;
}

void
xattr_iter_init (struct xattr_iter *it, const char *blk, size_t len)
{
  it->p = blk;
  it->end = blk + len;
}

int
xattr_iter_next (struct xattr_iter *it, const char **name,
                 const char **value, size_t *value_len)
{
  if (it->p == it->end)
    return 0;
  const char *nul = memchr (it->p, '\0', it->end - it->p);
  if (nul == NULL || nul == it->p || it->end - nul - 1 < 4)
    return -1;
  const unsigned char *l = (const unsigned char *) nul + 1;
  size_t len = ((size_t) l[0] << 24) | ((size_t) l[1] << 16) |
               ((size_t) l[2] << 8) | l[3];
  const char *v = nul + 5;
  if ((size_t) (it->end - v) < len)
    return -1;
  *name = it->p;
  *value = v;
  *value_len = len;
  it->p = v + len;
  return 1;
}

int
xattrs_find (const char *blk, size_t len, const char *name,
             const char **value, size_t *value_len)
{
  struct xattr_iter it;
  xattr_iter_init (&it, blk, len);
  const char *n;
  int r;
  while ((r = xattr_iter_next (&it, &n, value, value_len)) == 1)
    if (strcmp (n, name) == 0)
      return 1;
  return r;
}

int
xattrs_names (const char *blk, size_t len, char **names, size_t *names_len)
{
  struct xattr_iter it;
  xattr_iter_init (&it, blk, len);
  const char *n, *v;
  size_t vl, total = 0;
  int r;
  while ((r = xattr_iter_next (&it, &n, &v, &vl)) == 1)
    total += strlen (n) + 1;
  if (r == -1 || names == NULL)
    return r;
  char *out = malloc (total ? total : 1);
  if (out == NULL)
    return -1;
  xattr_iter_init (&it, blk, len);
  size_t pos = 0;
  while (xattr_iter_next (&it, &n, &v, &vl) == 1) {
    size_t l = strlen (n) + 1;
    memcpy (out + pos, n, l);
    pos += l;
  }
  *names = out;
  *names_len = total;
  return 0;
}

/* ---- Handle lists ---- */

char *
handle_list_pack (const int64_t *handles, size_t n)
{
  char *buf = malloc (n ? n * HANDLE_LIST_ITEM : 1);
  if (buf == NULL)
    return NULL;
  for (size_t i = 0; i < n; ++i)
    entry_put_be64 (buf + i * HANDLE_LIST_ITEM, handles[i]);
  return buf;
}

bool
handle_list_whole (size_t size)
{
  return size % HANDLE_LIST_ITEM == 0;
}

size_t
handle_list_count (size_t size)
{
  return size / HANDLE_LIST_ITEM;
}

int64_t
handle_list_get (const char *list, size_t i)
{
  return (int64_t) entry_get_be64 (list + i * HANDLE_LIST_ITEM);
}
