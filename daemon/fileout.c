/* FileOut helpers shared by the optional groups: a record stream
 * (common/record-stream.h) sent as chunks, and a file sent as it is.
 * A program's standard output is stream.c's command_send_output. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "fileout.h"

static int
send_chunk (const void *buf, size_t len)
{
  return send_file_write (buf, len);
}

void
record_writer_init (struct record_writer *w)
{
  *w = (struct record_writer){.flush = send_chunk};
}

int
record_writer_end (struct record_writer *w, const char *what)
{
  if (record_finish (w) == -1) {
    reply_with_error_errno (ECANCELED, "%s: cancelled", what);
    return -1;
  }
  send_file_end (0);
  return 0;
}

int
send_fd_contents (int fd, const char *what)
{
  static char *buf;
  if (buf == NULL && (buf = malloc (GUESTFS_MAX_CHUNK_SIZE)) == NULL) {
    reply_with_perror ("malloc");
    return -1;
  }
  for (;;) {
    ssize_t r = read (fd, buf, GUESTFS_MAX_CHUNK_SIZE);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      reply_with_perror ("%s", what);
      return -1;
    }
    if (r == 0)
      break;
    if (send_file_write (buf, r) == -1) {
      reply_with_error_errno (ECANCELED, "%s: cancelled", what);
      return -1;
    }
  }
  send_file_end (0);
  return 0;
}
