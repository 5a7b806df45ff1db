/* Giving free space back and testing for zeros: fstrim, blkdiscard,
 * blkdiscardzeroes, zerofree, zero_free_space, is_zero,
 * is_zero_device.
 *
 * fstrim and the discards are the ioctls (FITRIM, BLKDISCARD,
 * BLKDISCARDZEROES) the util-linux programs make, on descriptors
 * resolved inside the sysroot.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

#define CHUNK (1024 * 1024)

enum { OPT_OFFSET, OPT_LENGTH, OPT_MINIMUMFREEEXTENT };

/* An optional byte count: unset gives dflt, negative is refused. */
static int
optional_bytes (int opt, const char *name, int64_t value, __u64 dflt,
                __u64 *out)
{
  if (!OPTARG_SET (opt)) {
    *out = dflt;
    return 0;
  }
  if (value < 0) {
    reply_with_error_errno (EINVAL, "%s: %" PRIi64 " is negative", name, value);
    return -1;
  }
  *out = value;
  return 0;
}

int
do_fstrim (const char *mountpoint, int64_t offset, int64_t length,
           int64_t minimumfreeextent)
{
  struct fstrim_range range;
  if (optional_bytes (OPT_OFFSET, "offset", offset, 0, &range.start) == -1 ||
      optional_bytes (OPT_LENGTH, "length", length, UINT64_MAX, &range.len) ==
          -1 ||
      optional_bytes (OPT_MINIMUMFREEEXTENT, "minimumfreeextent",
                      minimumfreeextent, 0, &range.minlen) == -1)
    return -1;
  /* Blocks still dirty in the page cache are not free yet. */
  sync ();
  CLEANUP_CLOSE int fd = sysroot_open (mountpoint, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1 || ioctl (fd, FITRIM, &range) == -1) {
    reply_with_perror ("%s", mountpoint);
    return -1;
  }
  return 0;
}

int
do_blkdiscard (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_WRONLY | O_CLOEXEC);
  uint64_t size;
  if (fd == -1 || ioctl (fd, BLKGETSIZE64, &size) == -1) {
    reply_with_perror ("%s", device);
    return -1;
  }
  uint64_t range[2] = {0, size};
  if (ioctl (fd, BLKDISCARD, range) == -1) {
    reply_with_perror ("%s: discard", device);
    return -1;
  }
  return 0;
}

int
do_blkdiscardzeroes (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  unsigned int zeroes = 0;
  if (fd == -1 || ioctl (fd, BLKDISCARDZEROES, &zeroes) == -1) {
    reply_with_perror ("%s", device);
    return -1;
  }
  return zeroes != 0;
}

int
do_zerofree (const char *device)
{
  const char *argv[] = {"zerofree", device, NULL};
  return run_or_reply (device, argv, NULL);
}

/* ---- Zeroing free space ---- */

/* A new file in dir that nobody else can see: unnamed (O_TMPFILE)
 * where the filesystem allows it, else a fresh name removed at once. */
static int
open_scratch_file (int dirfd)
{
  int fd = openat (dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
    return fd;
  for (unsigned i = 0; i < 100; ++i) {
    char name[64];
    snprintf (name, sizeof name, ".guestfs-zero-%u-%u", (unsigned)getpid (),
              (unsigned)rand ());
    fd = openat (dirfd, name,
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      unlinkat (dirfd, name, 0);
      return fd;
    }
    if (errno != EEXIST)
      return -1;
  }
  errno = EEXIST;
  return -1;
}

int
do_zero_free_space (const char *directory)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  CLEANUP_CLOSE int fd = dirfd == -1 ? -1 : open_scratch_file (dirfd);
  if (fd == -1) {
    reply_with_perror ("%s", directory);
    return -1;
  }
  CLEANUP_FREE char *zeros = calloc (1, CHUNK);
  if (zeros == NULL) {
    reply_with_perror ("calloc");
    return -1;
  }
  /* Progress against the free space there was at the start. */
  struct statvfs sv;
  uint64_t total =
      fstatvfs (fd, &sv) == 0 ? (uint64_t)sv.f_bavail * sv.f_frsize : 0;
  uint64_t written = 0;
  for (;;) {
    ssize_t r = write (fd, zeros, CHUNK);
    if (r == -1 && errno == ENOSPC)
      break;
    if (r == -1) {
      reply_with_perror ("%s: write", directory);
      return -1;
    }
    written += r;
    if (written < total)
      notify_progress (written, total);
  }
  if (fsync (fd) == -1 && errno != ENOSPC) {
    reply_with_perror ("%s: fsync", directory);
    return -1;
  }
  return 0;
}

/* ---- Testing for zeros ---- */

/* 1 if everything read from fd is zero, 0 if not, -1 (errno) on a
 * read error. */
static int
all_zero (int fd)
{
  CLEANUP_FREE char *buf = malloc (CHUNK);
  if (buf == NULL)
    return -1;
  for (;;) {
    ssize_t r = read (fd, buf, CHUNK);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      return r == 0 ? 1 : -1;
    if (buf[0] != 0 || memcmp (buf, buf + 1, r - 1) != 0)
      return 0;
  }
}

int
do_is_zero (const char *path)
{
  /* O_NONBLOCK: a FIFO planted by the guest gives an error, not a
   * hang (see data.c). */
  CLEANUP_CLOSE int fd =
      sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  int r = fd == -1 ? -1 : all_zero (fd);
  if (r == -1)
    reply_with_perror ("%s", path);
  return r;
}

int
do_is_zero_device (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  int r = fd == -1 ? -1 : all_zero (fd);
  if (r == -1)
    reply_with_perror ("%s", device);
  return r;
}
