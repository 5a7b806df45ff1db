/* Moving file contents: whole-file reads and writes in one message, and
 * upload/download of any size as chunk streams. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static int
write_all (int fd, const char *buf, size_t len)
{
  while (len > 0) {
    ssize_t r = write (fd, buf, len);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    buf += r;
    len -= r;
  }
  return 0;
}

static int
write_file (const char *path, int flags, const char *content, size_t size)
{
  int fd = sysroot_open (path, O_WRONLY | O_CREAT | O_NOCTTY | flags, 0666);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  /* A close error can be the write failing (NFS, quota): report it. */
  if (write_all (fd, content, size) == -1 || close (fd) == -1) {
    int err = errno;
    close (fd);
    reply_with_perror_errno (err, "%s", path);
    return -1;
  }
  return 0;
}

int
do_write (const char *path, const char *content, size_t content_size)
{
  return write_file (path, O_TRUNC, content, content_size);
}

int
do_write_append (const char *path, const char *content, size_t content_size)
{
  return write_file (path, O_APPEND, content, content_size);
}

/* libguestfs's guestfs_write and guestfs_write_append sent small
 * contents through these. */
int
do_internal_write (const char *path, const char *content, size_t content_size)
{
  return do_write (path, content, content_size);
}

int
do_internal_write_append (const char *path, const char *content,
                          size_t content_size)
{
  return do_write_append (path, content, content_size);
}

/* The largest file that fits in a reply, leaving room for the header
 * and the length word of the buffer. */
#define READ_FILE_MAX (GUESTFS_MESSAGE_MAX - 4096)

char *
do_read_file (const char *path, size_t *size_r)
{
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  struct stat st;
  if (fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    close (fd);
    return NULL;
  }
  if (S_ISDIR (st.st_mode)) {
    close (fd);
    reply_with_perror_errno (EISDIR, "%s", path);
    return NULL;
  }
  size_t alloc = S_ISREG (st.st_mode) && st.st_size < READ_FILE_MAX
                   ? (size_t) st.st_size + 1 : 65536;
  char *buf = malloc (alloc);
  size_t len = 0;
  for (;;) {
    if (buf == NULL) {
      reply_with_perror ("malloc");
      close (fd);
      return NULL;
    }
    if (len == alloc) {
      if (alloc > READ_FILE_MAX) {
        free (buf);
        close (fd);
        reply_with_error_errno (EFBIG, "%s: the file is larger than a "
                                "message can carry (use download)", path);
        return NULL;
      }
      alloc *= 2;
      char *nb = realloc (buf, alloc);
      if (nb == NULL)
        free (buf);
      buf = nb;
      continue;
    }
    ssize_t r = read (fd, buf + len, alloc - len);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      reply_with_perror ("%s", path);
      free (buf);
      close (fd);
      return NULL;
    }
    if (r == 0)
      break;
    len += r;
  }
  close (fd);
  if (len > READ_FILE_MAX) {
    free (buf);
    reply_with_error_errno (EFBIG, "%s: the file is larger than a message "
                            "can carry (use download)", path);
    return NULL;
  }
  *size_r = len;
  return buf;
}

char *
do_cat (const char *path)
{
  size_t size;
  char *buf = do_read_file (path, &size);
  if (buf == NULL)
    return NULL;
  if (memchr (buf, '\0', size) != NULL) {
    free (buf);
    reply_with_error_errno (EINVAL, "%s: the file holds NUL bytes (use "
                            "read_file for binary data)", path);
    return NULL;
  }
  char *s = realloc (buf, size + 1);
  if (s == NULL) {
    free (buf);
    reply_with_perror ("realloc");
    return NULL;
  }
  s[size] = '\0';
  return s;
}

int
do_truncate_size (const char *path, int64_t size)
{
  if (size < 0) {
    reply_with_error_errno (EINVAL, "size: %" PRIi64 " is negative", size);
    return -1;
  }
  int fd = sysroot_open (path, O_WRONLY | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1 || ftruncate (fd, size) == -1) {
    reply_with_perror ("%s", path);
    if (fd != -1)
      close (fd);
    return -1;
  }
  close (fd);
  return 0;
}

/* ---- upload ---- */

struct upload_state {
  int fd;
  off_t pos;
  bool sparse; /* a regular file: zero blocks become holes */
};

static int
upload_chunk (void *opaque, const void *buf, size_t len)
{
  struct upload_state *u = opaque;
  const char *p = buf;
  /* In a regular file, blocks of zeros become holes, so that a sparse
   * file stays sparse. */
  int r = u->sparse ? pwrite_sparse (u->fd, p, len, u->pos)
                    : write_all (u->fd, p, len);
  u->pos += len;
  return r;
}

int
do_upload (const char *remotefilename)
{
  struct upload_state u = { .pos = 0 };
  u.fd = sysroot_open (remotefilename,
                       O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, 0666);
  if (u.fd == -1) {
    reply_with_perror ("%s", remotefilename);
    return -1;
  }
  struct stat st;
  u.sparse = fstat (u.fd, &st) == 0 && S_ISREG (st.st_mode);
  int r = receive_file (upload_chunk, &u);
  int err = errno;
  /* Extend over a trailing hole; devices and pipes keep their size. */
  if (r == 0 && u.sparse && ftruncate (u.fd, u.pos) == -1)
    r = -1, err = errno;
  if (close (u.fd) == -1 && r == 0)
    r = -1, err = errno;
  return reply_if_receive_failed (r, err, remotefilename);
}

/* ---- download ---- */

int
do_download (const char *remotefilename)
{
  int fd = sysroot_open (remotefilename, O_RDONLY | O_NOCTTY, 0);
  if (fd == -1) {
    reply_with_perror ("%s", remotefilename);
    return -1;
  }
  struct stat st;
  int err = fstat (fd, &st) == -1 ? errno
            : S_ISDIR (st.st_mode) ? EISDIR : 0;
  if (err) {
    close (fd);
    reply_with_perror_errno (err, "%s", remotefilename);
    return -1;
  }
  uint64_t total = S_ISREG (st.st_mode) ? (uint64_t) st.st_size : 0;
  static char *buf;
  if (buf == NULL && (buf = malloc (GUESTFS_MAX_CHUNK_SIZE)) == NULL) {
    close (fd);
    reply_with_perror ("malloc");
    return -1;
  }
  uint64_t pos = 0;
  notify_progress (0, total);
  for (;;) {
    ssize_t r = read (fd, buf, GUESTFS_MAX_CHUNK_SIZE);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      err = errno;
      close (fd);
      reply_with_perror_errno (err, "%s", remotefilename);
      return -1;
    }
    if (r == 0)
      break;
    if (send_file_write (buf, r) == -1) {
      close (fd);
      reply_with_error_errno (ECANCELED, "%s: cancelled", remotefilename);
      return -1;
    }
    pos += r;
    notify_progress (pos, total > pos ? total : pos);
  }
  close (fd);
  send_file_end (0);
  return 0;
}
