/* Memory for keys (see secret.h). */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "secret.h"

/* Each block starts with its mapping's length; the secret follows,
 * aligned for anything. */
#define HEADER 16

static size_t
mapping_size (size_t size)
{
  size_t page = (size_t) sysconf (_SC_PAGESIZE);
  return (size + HEADER + page - 1) / page * page;
}

char *
guestfs_int_secret_alloc (size_t size)
{
  if (size > ((size_t) -1) / 2) {
    errno = ENOMEM;
    return NULL;
  }
  size_t len = mapping_size (size);
  char *base = mmap (NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return NULL;
  /* Both are best effort: a secret that cannot be locked (a low
   * RLIMIT_MEMLOCK) is still kept out of core dumps and wiped. */
  (void) mlock (base, len);
  (void) madvise (base, len, MADV_DONTDUMP);
  memcpy (base, &len, sizeof len);
  return base + HEADER;
}

char *
guestfs_int_secret_strndup (const char *s, size_t len)
{
  size_t n = strnlen (s, len);
  char *p = guestfs_int_secret_alloc (n + 1);
  if (p)
    memcpy (p, s, n);
  return p;
}

static size_t
capacity (const char *p)
{
  size_t len;
  memcpy (&len, p - HEADER, sizeof len);
  return len - HEADER;
}

char *
guestfs_int_secret_realloc (char *p, size_t size)
{
  if (p == NULL)
    return guestfs_int_secret_alloc (size);
  size_t old = capacity (p);
  if (size <= old)
    return p;
  char *n = guestfs_int_secret_alloc (size);
  if (n == NULL)
    return NULL;
  memcpy (n, p, old);
  guestfs_int_secret_free (p);
  return n;
}

void
guestfs_int_secret_free (char *p)
{
  if (p == NULL)
    return;
  int saved = errno;
  char *base = p - HEADER;
  size_t len;
  memcpy (&len, base, sizeof len);
  explicit_bzero (base, len);
  munlock (base, len);
  munmap (base, len);
  errno = saved;
}
