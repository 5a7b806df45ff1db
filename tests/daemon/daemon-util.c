#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-util.h"

const char *
host_path (struct test_daemon *td, const char *guest)
{
  static char bufs[4][PATH_MAX];
  static unsigned next;
  char *b = bufs[next++ % 4];
  snprintf (b, PATH_MAX, "%s%s", td->root, guest);
  return b;
}

void
write_host_file (const char *path, const void *data, size_t len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1 || write (fd, data, len) != (ssize_t) len || close (fd) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

void
make_random_file (const char *path, uint64_t size, uint64_t seed)
{
  enum { BLOCK = 1 << 20 };
  uint64_t *b = malloc (BLOCK);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (b == NULL || fd == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  uint64_t x = seed | 1;
  for (uint64_t done = 0; done < size;) {
    for (size_t i = 0; i < BLOCK / 8; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      b[i] = x;
    }
    size_t n = size - done < BLOCK ? size - done : BLOCK;
    if (write (fd, b, n) != (ssize_t) n) {
      perror (path);
      exit (EXIT_FAILURE);
    }
    done += n;
  }
  close (fd);
  free (b);
}

uint64_t
hash_file (const char *path)
{
  enum { BLOCK = 1 << 20 };
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return 0;
  unsigned char *b = malloc (BLOCK);
  /* FNV-1a over 8-byte words: fast enough for 100 MiB, and any changed,
   * missing or extra byte changes it. */
  uint64_t h = UINT64_C (0xcbf29ce484222325), total = 0;
  ssize_t n;
  while ((n = read (fd, b, BLOCK)) > 0) {
    for (ssize_t i = 0; i < n; i += 8) {
      uint64_t w = 0;
      memcpy (&w, b + i, n - i < 8 ? (size_t) (n - i) : 8);
      h = (h ^ w) * UINT64_C (0x100000001b3);
    }
    total += n;
  }
  close (fd);
  free (b);
  return n < 0 ? 0 : h ^ total;
}

off_t
file_size (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 ? st.st_size : -1;
}

void
progress_recorder (guestfs_h *g, void *opaque, uint64_t event, int h,
                   int flags, const char *buf, size_t buf_len,
                   const uint64_t *array, size_t array_len)
{
  struct progress_log *p = opaque;
  if (event != GUESTFS_EVENT_PROGRESS || array_len < 4)
    return;
  if (p->n == 0)
    p->first_pos = array[2];
  else if (array[2] < p->last_pos)
    ++p->non_monotonic;
  if (array[2] > array[3])
    ++p->over_total;
  p->proc = array[0];
  p->last_pos = array[2];
  p->last_total = array[3];
  ++p->n;
  if (p->cancel_after && p->n == (size_t) p->cancel_after)
    guestfs_user_cancel (g);
}

void
check_progress (const char *what, const struct progress_log *p,
                uint64_t total)
{
  if (p->n < 2 || p->non_monotonic || p->over_total ||
      p->last_pos != total || p->last_total != total) {
    fprintf (stderr, "%s: FAIL: %zu progress events, last %llu/%llu "
             "(want >= 2 ending at %llu), %d backwards, %d over total\n",
             what, p->n, (unsigned long long) p->last_pos,
             (unsigned long long) p->last_total, (unsigned long long) total,
             p->non_monotonic, p->over_total);
    ++test_failures;
  }
}
