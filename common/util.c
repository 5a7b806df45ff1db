#include <config.h>

#include <string.h>

#include "util.h"

bool
guestfs_int_is_zero (const void *p, size_t len)
{
  const char *b = p;
  return len == 0 || (b[0] == 0 && memcmp (b, b + 1, len - 1) == 0);
}

long
guestfs_int_ms_since (const struct timespec *t)
{
  struct timespec now;
  clock_gettime (CLOCK_MONOTONIC, &now);
  return (now.tv_sec - t->tv_sec) * 1000 +
         (now.tv_nsec - t->tv_nsec) / 1000000;
}

#define PROGRESS_INTERVAL_NS 333000000LL

bool
guestfs_int_progress_due (struct progress_limiter *pl, uint64_t position,
                          uint64_t total)
{
  struct timespec now;
  clock_gettime (CLOCK_MONOTONIC, &now);
  long long since = (now.tv_sec - pl->last.tv_sec) * 1000000000LL +
                    (now.tv_nsec - pl->last.tv_nsec);
  if (pl->sent && position != total && since < PROGRESS_INTERVAL_NS)
    return false;
  pl->sent = true;
  pl->last = now;
  return true;
}
