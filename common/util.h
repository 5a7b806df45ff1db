/* Small pieces the library and the daemon both need. */
#ifndef GUESTFS_COMMON_UTIL_H
#define GUESTFS_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* True if all len bytes of p are zero (true for len 0). */
extern bool guestfs_int_is_zero (const void *p, size_t len);

/* Progress messages: the first, the last (position == total), and at
 * most three a second in between, whoever sends them. */
struct progress_limiter {
  struct timespec last;
  bool sent;
};
/* Milliseconds of CLOCK_MONOTONIC since t. */
extern long guestfs_int_ms_since (const struct timespec *t);

extern bool guestfs_int_progress_due (struct progress_limiter *pl,
                                      uint64_t position, uint64_t total);

#endif
