/* Data inside files: partial reads and writes, filling, transfers of a
 * range, and block copies between files.  Offsets are 64-bit all the
 * way, so files above 4 GiB work.
 *
 * Files are opened with O_NONBLOCK: a FIFO planted by the guest then
 * gives an error instead of hanging the daemon, and regular files and
 * devices behave as usual. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* The unit of filling and copying. */
#define BLOCK_SIZE (1024 * 1024)

static int
check_not_negative (const char *argname, int64_t v)
{
  if (v < 0) {
    reply_with_error_errno (EINVAL, "%s: %" PRIi64 " is negative", argname,
                            v);
    return -1;
  }
  return 0;
}

/* ---- pread, pwrite, and their device forms ---- */

/* Read count bytes at offset of fd (what names it in errors). */
static char *
pread_fd (int fd, const char *what, int count, int64_t offset,
          size_t *size_r)
{
  char *buf = malloc (count ? count : 1);
  ssize_t n = buf ? pread_full (fd, buf, count, offset) : -1;
  int err = errno;
  close (fd);
  if (n == -1) {
    reply_with_perror_errno (err, "%s", what);
    free (buf);
    return NULL;
  }
  *size_r = n;
  return buf;
}

static int
check_pread_args (int count, int64_t offset)
{
  if (check_not_negative ("count", count) == -1 ||
      check_not_negative ("offset", offset) == -1)
    return -1;
  if (count > REPLY_BUDGET) {
    reply_with_error_errno (E2BIG, "count: %d bytes do not fit in a reply "
                            "(use download_offset)", count);
    return -1;
  }
  return 0;
}

char *
do_pread (const char *path, int count, int64_t offset, size_t *size_r)
{
  if (check_pread_args (count, offset) == -1)
    return NULL;
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return pread_fd (fd, path, count, offset, size_r);
}

char *
do_pread_device (const char *device, int count, int64_t offset,
                 size_t *size_r)
{
  if (check_pread_args (count, offset) == -1)
    return NULL;
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  return pread_fd (fd, device, count, offset, size_r);
}

/* One pwrite(2) of content at offset; closes fd. */
static int
pwrite_fd (int fd, const char *what, const char *content, size_t size,
           int64_t offset)
{
  ssize_t r;
  do
    r = pwrite (fd, content, size, offset);
  while (r == -1 && errno == EINTR);
  if (r == -1 || close (fd) == -1) {
    int err = errno;
    if (r == -1)
      close (fd);
    reply_with_perror_errno (err, "%s", what);
    return -1;
  }
  return r;
}

int
do_pwrite (const char *path, const char *content, size_t content_size,
           int64_t offset)
{
  if (check_not_negative ("offset", offset) == -1)
    return -1;
  int fd = sysroot_open (path, O_WRONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  return pwrite_fd (fd, path, content, content_size, offset);
}

int
do_pwrite_device (const char *device, const char *content,
                  size_t content_size, int64_t offset)
{
  if (check_not_negative ("offset", offset) == -1)
    return -1;
  int fd = open (device, O_WRONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return -1;
  }
  return pwrite_fd (fd, device, content, content_size, offset);
}

/* ---- fill, fill_pattern ---- */

/* Write len bytes to path by repeating block, whose size is a multiple
 * of the pattern it holds. */
static int
write_repeated (const char *path, const char *block, size_t blen,
                uint64_t len)
{
  int fd = sysroot_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY |
                                 O_NONBLOCK, 0666);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  uint64_t done = 0;
  notify_progress (0, len);
  while (done < len) {
    size_t n = len - done < blen ? len - done : blen;
    if (pwrite_all (fd, block, n, done) == -1) {
      reply_with_perror ("%s", path);
      close (fd);
      return -1;
    }
    done += n;
    notify_progress (done, len);
  }
  if (close (fd) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  return 0;
}

static char *
repeat_pattern (const char *pattern, size_t plen, size_t *blen)
{
  size_t reps = plen >= BLOCK_SIZE ? 1 : BLOCK_SIZE / plen;
  char *b = malloc (reps * plen);
  if (b == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  for (size_t i = 0; i < reps; ++i)
    memcpy (b + i * plen, pattern, plen);
  *blen = reps * plen;
  return b;
}

static int
fill_with (const char *pattern, size_t plen, int len, const char *path)
{
  if (check_not_negative ("len", len) == -1)
    return -1;
  if (plen == 0 && len > 0) {
    reply_with_error_errno (EINVAL, "pattern: an empty pattern cannot "
                            "fill %d bytes", len);
    return -1;
  }
  size_t blen = 0;
  char *block = plen ? repeat_pattern (pattern, plen, &blen) : NULL;
  if (plen && block == NULL)
    return -1;
  int r = write_repeated (path, block, blen, len);
  free (block);
  return r;
}

int
do_fill (int c, int len, const char *path)
{
  if (c < 0 || c > 255) {
    reply_with_error_errno (EINVAL, "c: %d is not a byte value (0 to 255)",
                            c);
    return -1;
  }
  char byte = (char) c;
  return fill_with (&byte, 1, len, path);
}

int
do_fill_pattern (const char *pattern, int len, const char *path)
{
  return fill_with (pattern, strlen (pattern), len, path);
}

/* ---- upload_offset, download_offset ---- */

struct at_offset {
  int fd;
  off_t pos;
};

static int
write_chunk_at (void *opaque, const void *buf, size_t len)
{
  struct at_offset *w = opaque;
  if (pwrite_all (w->fd, buf, len, w->pos) == -1)
    return -1;
  w->pos += len;
  return 0;
}

int
do_upload_offset (const char *remotefilename, int64_t offset)
{
  if (check_not_negative ("offset", offset) == -1)
    return -1;
  /* No O_TRUNC: the point is to overwrite a part in place. */
  struct at_offset w = { .pos = offset };
  w.fd = sysroot_open (remotefilename,
                       O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK, 0666);
  if (w.fd == -1) {
    reply_with_perror ("%s", remotefilename);
    return -1;
  }
  int r = receive_file (write_chunk_at, &w);
  int err = errno;
  if (close (w.fd) == -1 && r == 0)
    r = -1, err = errno;
  return reply_if_receive_failed (r, err, remotefilename);
}

/* Refuse a range beyond the end of a regular file before sending any
 * of it. */
static int
check_range (int fd, const char *path, uint64_t offset, uint64_t size)
{
  struct stat st;
  if (fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  if (S_ISDIR (st.st_mode)) {
    reply_with_perror_errno (EISDIR, "%s", path);
    return -1;
  }
  if (S_ISREG (st.st_mode) && (offset > (uint64_t) st.st_size ||
                               size > (uint64_t) st.st_size - offset)) {
    reply_with_error_errno (EINVAL, "%s: offset %" PRIu64 " + size %"
                            PRIu64 " is beyond the end of the file (%"
                            PRIu64 " bytes)", path, offset, size,
                            (uint64_t) st.st_size);
    return -1;
  }
  return 0;
}

static int
send_range (int fd, const char *path, uint64_t offset, uint64_t size)
{
  char *buf = malloc (GUESTFS_MAX_CHUNK_SIZE);
  if (buf == NULL) {
    reply_with_perror ("malloc");
    return -1;
  }
  uint64_t done = 0;
  notify_progress (0, size);
  while (done < size) {
    size_t want = size - done < GUESTFS_MAX_CHUNK_SIZE
                    ? size - done : GUESTFS_MAX_CHUNK_SIZE;
    ssize_t n = pread_full (fd, buf, want, offset + done);
    if (n <= 0) {
      /* The file shrank under us: the error ends the transfer. */
      if (n == 0)
        reply_with_error_errno (EIO, "%s: end of file after %" PRIu64
                                " of %" PRIu64 " bytes", path, done, size);
      else
        reply_with_perror ("%s", path);
      free (buf);
      return -1;
    }
    if (send_file_write (buf, n) == -1) {
      reply_with_error_errno (ECANCELED, "%s: cancelled", path);
      free (buf);
      return -1;
    }
    done += n;
    notify_progress (done, size);
  }
  free (buf);
  send_file_end (0);
  return 0;
}

int
do_download_offset (const char *remotefilename, int64_t offset,
                    int64_t size)
{
  if (check_not_negative ("offset", offset) == -1 ||
      check_not_negative ("size", size) == -1)
    return -1;
  int fd = sysroot_open (remotefilename, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", remotefilename);
    return -1;
  }
  int r = check_range (fd, remotefilename, offset, size);
  if (r == 0)
    r = send_range (fd, remotefilename, offset, size);
  close (fd);
  return r;
}

/* ---- copy_file_to_file ---- */

/* Positions of the optional arguments in optargs_bitmask. */
enum { OPT_SRCOFFSET, OPT_DESTOFFSET, OPT_SIZE, OPT_SPARSE, OPT_APPEND };
#define HAS_OPT(o) ((optargs_bitmask & (UINT64_C (1) << (o))) != 0)

struct copy {
  int in, out;
  const char *src, *dest;
  off_t in_pos, out_pos;
  uint64_t want; /* UINT64_MAX: to the end of src */
  uint64_t done;
  bool sparse;
  off_t src_size; /* -1 if src is not a regular file */
};

/* With sparse, skip a hole of src in one step: it reads as zeros. */
static void
skip_hole (struct copy *c)
{
  if (!c->sparse || c->src_size < 0)
    return;
  off_t data = lseek (c->in, c->in_pos, SEEK_DATA);
  if (data == -1 && errno == ENXIO)
    data = c->src_size; /* a hole up to the end */
  if (data <= c->in_pos)
    return;
  uint64_t skip = data - c->in_pos;
  if (skip > c->want - c->done)
    skip = c->want - c->done;
  c->in_pos += skip;
  c->out_pos += skip;
  c->done += skip;
}

static int
write_block (const struct copy *c, const char *buf, size_t n)
{
  return c->sparse ? pwrite_sparse (c->out, buf, n, c->out_pos)
                   : pwrite_all (c->out, buf, n, c->out_pos);
}

static int
copy_blocks (struct copy *c, char *buf)
{
  uint64_t total = c->want != UINT64_MAX ? c->want
                   : c->src_size > c->in_pos ? (uint64_t) (c->src_size -
                                                           c->in_pos)
                                             : 0;
  notify_progress (0, total);
  while (c->done < c->want) {
    skip_hole (c);
    if (c->done == c->want)
      break;
    size_t want = c->want - c->done < BLOCK_SIZE ? c->want - c->done
                                                 : BLOCK_SIZE;
    ssize_t n = pread_full (c->in, buf, want, c->in_pos);
    if (n == -1) {
      reply_with_perror ("%s", c->src);
      return -1;
    }
    if (n == 0)
      break;
    if (write_block (c, buf, n) == -1) {
      reply_with_perror ("%s", c->dest);
      return -1;
    }
    c->in_pos += n;
    c->out_pos += n;
    c->done += n;
    notify_progress (c->done, total > c->done ? total : c->done);
  }
  if (c->want != UINT64_MAX && c->done < c->want) {
    reply_with_error_errno (EIO, "%s: end of file after %" PRIu64 " of %"
                            PRIu64 " bytes", c->src, c->done, c->want);
    return -1;
  }
  return 0;
}

/* Open dest without truncating, then refuse src itself: truncating
 * or appending to the file being read would lose or repeat data. */
static int
open_dest (struct copy *c, bool dest_is_device, bool append)
{
  c->out = dest_is_device
               ? open (c->dest, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
               : sysroot_open (c->dest,
                               O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK,
                               0666);
  struct stat sst, dst;
  if (c->out == -1 || fstat (c->in, &sst) == -1 ||
      fstat (c->out, &dst) == -1) {
    reply_with_perror ("%s", c->out == -1 ? c->dest : c->src);
    return -1;
  }
  /* A device is never truncated: copying within one is allowed. */
  if (!dest_is_device && sst.st_dev == dst.st_dev &&
      sst.st_ino == dst.st_ino) {
    reply_with_error_errno (EINVAL, "%s and %s are the same file", c->src,
                            c->dest);
    return -1;
  }
  c->src_size = S_ISREG (sst.st_mode) ? sst.st_size : -1;
  if (!S_ISREG (dst.st_mode))
    return 0;
  if (append)
    c->out_pos = dst.st_size;
  else if (ftruncate (c->out, 0) == -1) {
    reply_with_perror ("%s", c->dest);
    return -1;
  }
  return 0;
}

/* Skipped blocks at the end leave dest short: extend it. */
static int
extend_dest (struct copy *c)
{
  struct stat st;
  if (fstat (c->out, &st) == -1 ||
      (S_ISREG (st.st_mode) && st.st_size < c->out_pos &&
       ftruncate (c->out, c->out_pos) == -1) ||
      close (c->out) == -1) {
    c->out = -1;
    reply_with_perror ("%s", c->dest);
    return -1;
  }
  c->out = -1;
  return 0;
}

static int
check_copy_args (int64_t srcoffset, int64_t destoffset, int64_t size,
                 int append)
{
  if (check_not_negative ("srcoffset", srcoffset) == -1 ||
      check_not_negative ("destoffset", destoffset) == -1 ||
      check_not_negative ("size", size) == -1)
    return -1;
  if (append && HAS_OPT (OPT_DESTOFFSET)) {
    reply_with_error_errno (EINVAL, "destoffset and append cannot be "
                            "combined");
    return -1;
  }
  return 0;
}

/* copy_file_to_file and its device variants: src and dest are guest
 * paths, or devices (already resolved) if src_is_device or
 * dest_is_device. */
static int
copy_with_options (const char *src, bool src_is_device, const char *dest,
                   bool dest_is_device, int64_t srcoffset,
                   int64_t destoffset, int64_t size, int sparse, int append)
{
  if (check_copy_args (srcoffset, destoffset, size, append) == -1)
    return -1;
  struct copy c = {
    .src = src, .dest = dest, .in_pos = srcoffset, .out_pos = destoffset,
    .want = HAS_OPT (OPT_SIZE) ? (uint64_t) size : UINT64_MAX,
    .sparse = sparse, .out = -1,
  };
  c.in = src_is_device
             ? open (src, O_RDONLY | O_CLOEXEC)
             : sysroot_open (src, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (c.in == -1) {
    reply_with_perror ("%s", src);
    return -1;
  }
  char *buf = malloc (BLOCK_SIZE);
  int r = -1;
  if (buf == NULL)
    reply_with_perror ("malloc");
  else if (open_dest (&c, dest_is_device, append) == 0 &&
           copy_blocks (&c, buf) == 0)
    r = extend_dest (&c);
  free (buf);
  close (c.in);
  if (c.out != -1)
    close (c.out);
  return r;
}

int
do_copy_file_to_file (const char *src, const char *dest, int64_t srcoffset,
                      int64_t destoffset, int64_t size, int sparse,
                      int append)
{
  return copy_with_options (src, false, dest, false, srcoffset, destoffset,
                            size, sparse, append);
}

int
do_copy_device_to_device (const char *src, const char *dest,
                          int64_t srcoffset, int64_t destoffset, int64_t size,
                          int sparse, int append)
{
  return copy_with_options (src, true, dest, true, srcoffset, destoffset,
                            size, sparse, append);
}

int
do_copy_device_to_file (const char *src, const char *dest, int64_t srcoffset,
                        int64_t destoffset, int64_t size, int sparse,
                        int append)
{
  return copy_with_options (src, true, dest, false, srcoffset, destoffset,
                            size, sparse, append);
}

int
do_copy_file_to_device (const char *src, const char *dest, int64_t srcoffset,
                        int64_t destoffset, int64_t size, int sparse,
                        int append)
{
  return copy_with_options (src, false, dest, true, srcoffset, destoffset,
                            size, sparse, append);
}

/* ---- equal ---- */

/* Compare what a and b read: 1 if the same bytes, 0 if not, -1 on a
 * read error (errno). */
static int
same_contents (int a, int b, char *buf_a, char *buf_b)
{
  for (off_t pos = 0;; pos += BLOCK_SIZE) {
    ssize_t na = pread_full (a, buf_a, BLOCK_SIZE, pos);
    ssize_t nb = na == -1 ? -1 : pread_full (b, buf_b, BLOCK_SIZE, pos);
    if (nb == -1)
      return -1;
    if (na != nb || memcmp (buf_a, buf_b, na) != 0)
      return 0;
    if (na < BLOCK_SIZE)
      return 1;
  }
}

int
open_regular_file (const char *path)
{
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  struct stat st;
  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    if (fd != -1)
      close (fd);
    return -1;
  }
  if (!S_ISREG (st.st_mode)) {
    reply_with_error_errno (S_ISDIR (st.st_mode) ? EISDIR : EINVAL,
                            "%s: not a regular file", path);
    close (fd);
    return -1;
  }
  return fd;
}

int
do_equal (const char *file1, const char *file2)
{
  int a = open_regular_file (file1);
  if (a == -1)
    return -1;
  int b = open_regular_file (file2);
  char *buf = b == -1 ? NULL : malloc (2 * BLOCK_SIZE);
  int r = -1;
  if (b != -1 && buf == NULL)
    reply_with_perror ("malloc");
  else if (buf) {
    r = same_contents (a, b, buf, buf + BLOCK_SIZE);
    if (r == -1)
      reply_with_perror ("%s and %s", file1, file2);
  }
  free (buf);
  close (a);
  if (b != -1)
    close (b);
  return r;
}

/* ---- dd, copy_size: between devices and files ---- */

/* Open spec, a device (/dev/...) or a guest path, replying on error. */
static int
open_device_or_path (const char *argname, const char *spec, int flags,
                     char **resolved)
{
  *resolved = strdup (spec);
  if (*resolved == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  bool device = strncmp (spec, "/dev/", 5) == 0;
  if (device ? resolve_device (argname, resolved) == -1
             : check_pathname (argname, spec) == -1)
    return -1;
  int fd = device ? open (*resolved, (flags & ~O_CREAT) | O_CLOEXEC)
                  : sysroot_open (spec, flags | O_NOCTTY, 0666);
  if (fd == -1)
    reply_with_perror ("%s", spec);
  return fd;
}

/* Copy want bytes (UINT64_MAX: all) from src to dest, neither
 * truncated: a device has its size, and a file is overwritten in
 * place, as dd with conv=notrunc does. */
static int
copy_between (const char *src, const char *dest, uint64_t want)
{
  char *rs = NULL, *rd = NULL;
  struct copy c = { .in = -1, .out = -1, .src = src, .dest = dest,
                    .want = want, .src_size = -1 };
  char *buf = malloc (BLOCK_SIZE);
  int r = -1;
  if (buf == NULL) {
    reply_with_perror ("malloc");
    goto out;
  }
  c.in = open_device_or_path ("src", src, O_RDONLY, &rs);
  if (c.in == -1)
    goto out;
  c.out = open_device_or_path ("dest", dest, O_WRONLY | O_CREAT, &rd);
  if (c.out == -1)
    goto out;
  struct stat st;
  if (fstat (c.in, &st) == 0 && S_ISREG (st.st_mode))
    c.src_size = st.st_size;
  r = copy_blocks (&c, buf);
  if (r == 0 && fsync (c.out) == -1 && errno != EINVAL) {
    reply_with_perror ("%s", dest);
    r = -1;
  }
out:
  if (c.in >= 0)
    close (c.in);
  if (c.out >= 0 && close (c.out) == -1 && r == 0) {
    reply_with_perror ("%s", dest);
    r = -1;
  }
  free (buf);
  free (rs);
  free (rd);
  return r;
}

int
do_dd (const char *src, const char *dest)
{
  return copy_between (src, dest, UINT64_MAX);
}

int
do_copy_size (const char *src, const char *dest, int64_t size)
{
  if (check_not_negative ("size", size) == -1)
    return -1;
  return copy_between (src, dest, size);
}
