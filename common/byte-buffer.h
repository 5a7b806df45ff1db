/* Growable byte buffers: the one way the daemon, the library and
 * guestmount grow a buffer they append bytes to.  The buffer is any
 * (pointer, capacity) pair of the caller's structure; it grows by
 * doubling, starting at a first capacity the caller chooses.
 */
#ifndef GUESTFS_BYTE_BUFFER_H
#define GUESTFS_BYTE_BUFFER_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Make room for need bytes in *buf.  0, or -1 (errno ENOMEM) with the
 * buffer unchanged. */
static inline int
byte_buffer_reserve (char **buf, size_t *cap, size_t need, size_t first)
{
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap : first;
  while (c < need) {
    if (c > SIZE_MAX / 2) {
      errno = ENOMEM;
      return -1;
    }
    c *= 2;
  }
  char *nb = realloc (*buf, c);
  if (nb == NULL)
    return -1;
  *buf = nb;
  *cap = c;
  return 0;
}

/* Append n bytes at p to the *len bytes in *buf.  0, or -1 (errno
 * ENOMEM) with the buffer unchanged. */
static inline int
byte_buffer_append (char **buf, size_t *len, size_t *cap, const void *p,
                    size_t n, size_t first)
{
  if (n > SIZE_MAX - *len) {
    errno = ENOMEM;
    return -1;
  }
  if (byte_buffer_reserve (buf, cap, *len + n, first) == -1)
    return -1;
  memcpy (*buf + *len, p, n);
  *len += n;
  return 0;
}

#endif /* GUESTFS_BYTE_BUFFER_H */
