/* Helpers shared by the host-daemon tests. */
#ifndef GUESTFS_TEST_DAEMON_UTIL_H
#define GUESTFS_TEST_DAEMON_UTIL_H

#include <stdint.h>
#include <sys/types.h>

#include "harness.h"

/* The host path of a guest path, in one of a few rotating static
 * buffers (enough for the arguments of one check). */
extern const char *host_path (struct test_daemon *td, const char *guest);

/* Files on the host. */
extern void write_host_file (const char *path, const void *data, size_t len);
/* size bytes of reproducible pseudo-random data. */
extern void make_random_file (const char *path, uint64_t size,
                              uint64_t seed);
/* A content hash of a file, or 0 if it cannot be read. */
extern uint64_t hash_file (const char *path);
extern off_t file_size (const char *path);

/* Progress events, recorded by progress_recorder. */
struct progress_log {
  size_t n;
  uint64_t first_pos, last_pos, last_total;
  uint64_t proc;
  int non_monotonic;   /* positions that went backwards */
  int over_total;      /* positions beyond their total */
  int cancel_after;    /* call guestfs_user_cancel on this event (0: no) */
};
extern void progress_recorder (guestfs_h *g, void *opaque, uint64_t event,
                               int h, int flags, const char *buf,
                               size_t buf_len, const uint64_t *array,
                               size_t array_len);
/* Check that a transfer of total bytes reported sane progress. */
extern void check_progress (const char *what, const struct progress_log *p,
                            uint64_t total);

#endif
