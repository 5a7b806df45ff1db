/* The library's side of the protocol.
 *
 * guestfs_int_rpc is the one path every daemon action takes: encode the
 * request, send it and any FileIn chunks, read the reply and any
 * FileOut chunks, decode.  Everything read from the daemon is hostile
 * input: lengths are checked before anything is allocated or read,
 * serial and procedure must match the call, and any malformed message
 * drops the connection (EIO) rather than guessing where the next
 * message starts.
 *
 * While waiting, the console (if the backend has one) is read as well,
 * so that a chatty appliance can never block on a full pipe.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "errnostring.h"
#include "guestfs_protocol.h"
#include "util.h"
#include "wire.h"

/* ---- Console ---- */

static void
remember_console (guestfs_h *g, const char *buf, size_t len)
{
  const size_t cap = sizeof g->console_tail;
  if (len >= cap) {
    memcpy (g->console_tail, buf + len - cap, cap);
    g->console_tail_len = cap;
    return;
  }
  if (g->console_tail_len + len > cap) {
    size_t drop = g->console_tail_len + len - cap;
    memmove (g->console_tail, g->console_tail + drop,
             g->console_tail_len - drop);
    g->console_tail_len -= drop;
  }
  memcpy (g->console_tail + g->console_tail_len, buf, len);
  g->console_tail_len += len;
}

void
guestfs_int_console_output (guestfs_h *g, const char *buf, size_t len)
{
  remember_console (g, buf, len);
  guestfs_int_call_callbacks_message (g, GUESTFS_EVENT_APPLIANCE, buf, len);
}

void
guestfs_int_drain_console (guestfs_h *g)
{
  if (g->console_fd == -1)
    return;
  char buf[4096];
  for (;;) {
    ssize_t n = read (g->console_fd, buf, sizeof buf);
    if (n > 0) {
      guestfs_int_console_output (g, buf, n);
      continue;
    }
    if (n == 0) { /* qemu closed its end: it is exiting */
      close (g->console_fd);
      g->console_fd = -1;
    }
    return; /* EAGAIN or error */
  }
}

/* ---- Low-level I/O on the daemon socket ---- */

/* While waiting to write, how often to look whether the daemon has
 * sent anything (heartbeats we are not reading yet still show it is
 * alive). */
#define QUEUED_CHECK_MS 1000

/* A byte moved: the inactivity deadline starts again. */
static void
note_io (guestfs_h *g)
{
  clock_gettime (CLOCK_MONOTONIC, &g->last_io);
}

/* Take a pending guestfs_user_cancel: clear the flag and the eventfd.
 * Returns whether there was one. */
bool
guestfs_int_take_user_cancel (guestfs_h *g)
{
  uint64_t n;
  while (read (g->cancel_fd, &n, sizeof n) > 0)
    ;
  bool was = g->user_cancel;
  g->user_cancel = 0;
  return was;
}

static int write_daemon (guestfs_h *g, const void *buf, size_t len);

static int
send_cancel_word (guestfs_h *g)
{
  char b[4];
  wire_put_u32 (b, GUESTFS_CANCEL_FLAG);
  return write_daemon (g, b, 4);
}

/* A user cancel during a FileOut: the first asks the daemon to stop
 * (a cancel chunk and an error reply follow), a second one drops the
 * connection.  Returns 0 to go on, or -1 with errno ECANCELED (or the
 * write's error). */
static int
fileout_user_cancel (guestfs_h *g)
{
  switch (g->fileout_cancel) {
  case CANCEL_SENDS_WORD:
    g->fileout_cancel = CANCEL_USER_WORD_SENT;
    return send_cancel_word (g);
  case CANCEL_WORD_SENT:
    g->fileout_cancel = CANCEL_USER_WORD_SENT;
    return 0;
  case CANCEL_DROPS: case CANCEL_USER_WORD_SENT:
    break;
  }
  errno = ECANCELED;
  return -1;
}

/* guestfs_user_cancel woke a wait.  Outside a FileOut the call cannot
 * be stopped without losing step with the daemon: the wait fails with
 * ECANCELED and the caller drops the connection. */
static int
cancel_during_wait (guestfs_h *g)
{
  guestfs_int_take_user_cancel (g);
  return fileout_user_cancel (g);
}

/* How long the next poll may sleep, or -1 for ever; 0 once the
 * deadline has passed.  timeout_ms >= 0 is a deadline from start;
 * otherwise the inactivity deadline applies. */
static long
time_left (guestfs_h *g, int timeout_ms, const struct timespec *start)
{
  long left;
  if (timeout_ms >= 0)
    left = timeout_ms - guestfs_int_ms_since (start);
  else if (g->io_timeout_ms >= 0)
    left = g->io_timeout_ms - guestfs_int_ms_since (&g->last_io);
  else
    return -1;
  return left > 0 ? left : 0;
}

/* Wait until the daemon socket is readable (or writable), reading the
 * console meanwhile.  timeout_ms < 0: the inactivity deadline
 * (g->io_timeout_ms after the last byte).  Returns 0, or -1 with errno
 * ETIMEDOUT, ECANCELED (guestfs_user_cancel) or the poll error. */
static int
wait_daemon (guestfs_h *g, short events, int timeout_ms)
{
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  int queued = -1; /* bytes from the daemon waiting while we write */
  for (;;) {
    long left = time_left (g, timeout_ms, &start);
    if (left == 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    if (events == POLLOUT && (left < 0 || left > QUEUED_CHECK_MS))
      left = QUEUED_CHECK_MS;
    struct pollfd fds[3] = {
      { .fd = g->daemon_fd, .events = events },
      { .fd = g->cancel_fd, .events = POLLIN },
      { .fd = g->console_fd, .events = POLLIN },
    };
    int nfds = g->console_fd >= 0 ? 3 : 2;
    int r = poll (fds, nfds, left);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (nfds == 3 && fds[2].revents)
      guestfs_int_drain_console (g);
    /* A call that is moving takes its cancel at the next step. */
    if (fds[0].revents)
      return 0;
    if (fds[1].revents && cancel_during_wait (g) == -1)
      return -1;
    int n;
    if (events == POLLOUT && ioctl (g->daemon_fd, FIONREAD, &n) == 0) {
      if (queued >= 0 && n > queued)
        note_io (g);
      queued = n;
    }
  }
}

/* Read exactly len bytes.  Returns 0, or -1 on error or EOF (errno 0
 * at a clean EOF before the first byte). */
static int
read_daemon (guestfs_h *g, void *buf, size_t len)
{
  char *p = buf;
  size_t got = 0;
  while (got < len) {
    if (wait_daemon (g, POLLIN, -1) == -1)
      return -1;
    ssize_t r = read (g->daemon_fd, p + got, len - got);
    if (r == -1) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return -1;
    }
    if (r == 0) {
      errno = got == 0 ? 0 : EPROTO;
      return -1;
    }
    note_io (g);
    got += r;
  }
  return 0;
}

static int
write_daemon (guestfs_h *g, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0) {
    if (wait_daemon (g, POLLOUT, -1) == -1)
      return -1;
    ssize_t r = write (g->daemon_fd, p, len);
    if (r == -1) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return -1;
    }
    note_io (g);
    p += r;
    len -= r;
  }
  return 0;
}

void
guestfs_int_connection_lost (guestfs_h *g)
{
  if (g->state == CONFIG)
    return;
  guestfs_int_close_connection (g);
}

/* Report that the daemon went away, stalled or misbehaved, and drop
 * it (which kills qemu). */
static int
lost (guestfs_h *g, const char *name, const char *what)
{
  int err = errno;
  if (what == NULL && err == ETIMEDOUT)
    guestfs_int_error_errno (g, ETIMEDOUT, "%s: the appliance sent and "
                             "took nothing for %d seconds (see the timeout "
                             "backend setting in guestfs(3)); it was "
                             "stopped", name, g->io_timeout_ms / 1000);
  else if (what == NULL && err == ECANCELED)
    guestfs_int_error_errno (g, EINTR, "%s: operation cancelled by user; "
                             "the appliance was stopped", name);
  else if (what == NULL)
    guestfs_int_error_errno (g, EIO, "%s: the appliance closed the "
                             "connection unexpectedly%s%s", name,
                             err ? ": " : "", err ? strerror (err) : "");
  else
    guestfs_int_error_errno (g, EIO, "%s: protocol error: %s", name, what);
  guestfs_int_connection_lost (g);
  return -1;
}

static void
dispatch_progress (guestfs_h *g, const struct guestfs_progress *p)
{
  uint64_t array[4] = { p->proc, p->serial, p->position, p->total };
  /* Hostile or not, position never exceeds total in what we pass on. */
  if (array[2] > array[3])
    array[2] = array[3];
  guestfs_int_call_callbacks_array (g, GUESTFS_EVENT_PROGRESS, array, 4);
}

/* Progress messages and stray cancel words a call may receive: a burst,
 * then a steady rate well above what the daemon's limiter and its
 * heartbeats send (common/util.c, daemon/proto.c).  More is a daemon
 * keeping a call alive for ever with flags alone. */
#define FLAG_WORDS_BURST 256
#define FLAG_WORDS_PER_S 16

static int
count_flag_word (guestfs_h *g, const char *name)
{
  long allowed = FLAG_WORDS_BURST +
                 FLAG_WORDS_PER_S * (guestfs_int_ms_since (&g->call_start) / 1000);
  if (++g->flag_words > (unsigned long) allowed)
    return lost (g, name, "more progress messages than the daemon ever "
                 "sends");
  return 0;
}

/* The body of a progress message whose flag word was just read. */
static int
take_progress (guestfs_h *g, const char *name)
{
  char body[GUESTFS_PROGRESS_SIZE];
  struct guestfs_progress p;
  if (read_daemon (g, body, sizeof body) == -1)
    return lost (g, name, NULL);
  if (wire_decode_progress (body, sizeof body, &p) == -1)
    return lost (g, name, "malformed progress message");
  dispatch_progress (g, &p);
  return 0;
}

/* Read the next length word that is not a flag word, handling progress
 * messages and stray cancel words on the way.  Returns the length, or
 * -1 (connection dropped, error set). */
static int64_t
read_length (guestfs_h *g, const char *name)
{
  for (;;) {
    char b[4];
    if (read_daemon (g, b, 4) == -1)
      return lost (g, name, NULL);
    uint32_t len = wire_get_u32 (b);
    if (len == GUESTFS_CANCEL_FLAG || len == GUESTFS_PROGRESS_FLAG) {
      if (count_flag_word (g, name) == -1)
        return -1;
      /* A cancel word is one that crossed the end of a FileIn. */
      if (len == GUESTFS_PROGRESS_FLAG && take_progress (g, name) == -1)
        return -1;
      continue;
    }
    if (len > GUESTFS_MESSAGE_MAX)
      return lost (g, name, "message length over the limit");
    return len;
  }
}

/* ---- Progress for FileIn, which only the library can measure ---- */

static void
library_progress (guestfs_h *g, struct progress_limiter *pl, unsigned proc,
                  unsigned serial, uint64_t pos, uint64_t total)
{
  if (!guestfs_int_progress_due (pl, pos, total))
    return;
  struct guestfs_progress p = {
    .proc = proc, .serial = serial, .position = pos, .total = total,
  };
  dispatch_progress (g, &p);
}

/* ---- FileIn ---- */

enum send_result {
  SEND_OK,             /* all chunks sent, read the reply */
  SEND_DAEMON_CANCEL,  /* daemon refused: an error reply follows */
  SEND_LOCAL_CANCEL,   /* we cancelled: no reply follows, error set */
  SEND_LOST,           /* connection dropped, error set */
};

static int
send_chunk (guestfs_h *g, int cancel, const char *data, size_t len)
{
  ssize_t n = wire_encode_chunk (g->sendbuf, WIRE_BUF_SIZE, cancel, data,
                                 len);
  if (n == -1)
    return -1;
  return write_daemon (g, g->sendbuf, n);
}

/* Has the daemon asked us to stop?  Handles progress on the way. */
static int
daemon_cancelled (guestfs_h *g, const char *name)
{
  for (;;) {
    struct pollfd pfd = { .fd = g->daemon_fd, .events = POLLIN };
    if (poll (&pfd, 1, 0) <= 0)
      return 0;
    char b[4];
    if (read_daemon (g, b, 4) == -1)
      return lost (g, name, NULL);
    uint32_t w = wire_get_u32 (b);
    if (w == GUESTFS_CANCEL_FLAG)
      return 1;
    if (w != GUESTFS_PROGRESS_FLAG)
      return lost (g, name, "unexpected message during a file transfer");
    if (count_flag_word (g, name) == -1 || take_progress (g, name) == -1)
      return -1;
  }
}

static enum send_result
send_file (guestfs_h *g, const struct guestfs_int_call *c, int fd,
           unsigned serial)
{
  struct stat st;
  uint64_t total = fstat (fd, &st) == 0 && S_ISREG (st.st_mode)
                     ? (uint64_t) st.st_size : 0;
  uint64_t pos = 0;
  struct progress_limiter pl = { .sent = false };
  char *buf = g->recvbuf; /* free while sending: replies come later */

  for (;;) {
    int dc = daemon_cancelled (g, c->name);
    if (dc == -1)
      return SEND_LOST;
    if (dc == 1) {
      if (send_chunk (g, 1, NULL, 0) == -1) {
        lost (g, c->name, NULL);
        return SEND_LOST;
      }
      return SEND_DAEMON_CANCEL;
    }
    if (guestfs_int_take_user_cancel (g)) {
      if (send_chunk (g, 1, NULL, 0) == -1) {
        lost (g, c->name, NULL);
        return SEND_LOST;
      }
      guestfs_int_error_errno (g, EINTR, "%s: operation cancelled by user",
                               c->name);
      return SEND_LOCAL_CANCEL;
    }
    ssize_t n = read (fd, buf, GUESTFS_MAX_CHUNK_SIZE);
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1) {
      int err = errno;
      if (send_chunk (g, 1, NULL, 0) == -1) {
        lost (g, c->name, NULL);
        return SEND_LOST;
      }
      errno = err;
      perrorf (g, "%s: %s", c->name, c->file_in);
      return SEND_LOCAL_CANCEL;
    }
    if (send_chunk (g, 0, buf, n) == -1) {
      lost (g, c->name, NULL);
      return SEND_LOST;
    }
    if (n == 0)
      return SEND_OK;
    pos += n;
    library_progress (g, &pl, c->proc, serial, pos,
                      total > pos ? total : pos);
  }
}

/* ---- Messages ---- */

/* Read one reply and check it answers this call.  On success *xdr is
 * positioned after the header and the caller must xdr_destroy it. */
static int
read_reply (guestfs_h *g, const struct guestfs_int_call *c, unsigned serial,
            XDR *xdr, size_t *len_r, struct guestfs_message_header *hdr)
{
  int64_t len = read_length (g, c->name);
  if (len == -1)
    return -1;
  if (read_daemon (g, g->recvbuf, len) == -1)
    return lost (g, c->name, NULL);
  if (wire_decode_header (xdr, g->recvbuf, len, hdr) == -1)
    return lost (g, c->name, "malformed reply header");
  if (hdr->prog != GUESTFS_PROGRAM || hdr->vers != GUESTFS_PROTOCOL_VERSION ||
      hdr->direction != GUESTFS_DIRECTION_REPLY || hdr->proc != c->proc ||
      hdr->serial != serial ||
      (hdr->status != GUESTFS_STATUS_OK &&
       hdr->status != GUESTFS_STATUS_ERROR)) {
    xdr_destroy (xdr);
    return lost (g, c->name, "the reply does not match the call");
  }
  *len_r = len;
  return 0;
}

/* Decode an error reply into the handle's error.  Always returns -1. */
static int
take_error_reply (guestfs_h *g, const struct guestfs_int_call *c, XDR *xdr,
                  size_t len)
{
  struct guestfs_message_error err;
  memset (&err, 0, sizeof err);
  int r = wire_decode_rest (xdr, len, (xdrproc_t) xdr_guestfs_message_error,
                            &err);
  xdr_destroy (xdr);
  if (r == -1)
    return lost (g, c->name, "malformed error reply");
  int errnum = err.errno_string[0]
                 ? guestfs_int_string_to_errno (err.errno_string) : 0;
  guestfs_int_error_errno (g, errnum, "%s", err.error_message);
  xdr_free ((xdrproc_t) xdr_guestfs_message_error, (char *) &err);
  return -1;
}

/* ---- FileOut ---- */

/* After the library's cancel word, the daemon may still have chunks on
 * the way (it looks for the word between chunks); more than this is a
 * daemon that does not stop. */
#define CHUNKS_AFTER_CANCEL 16

struct sink {
  int fd;
  bool sparse; /* a regular file: zero blocks become holes */
  off_t pos;
  off_t limit; /* a regular file cannot grow past this */
  int err;     /* first local write error */
};

/* The largest file the caller could want: what the target's
 * filesystem holds, and the process's RLIMIT_FSIZE.  A daemon sending
 * zeros for ever would otherwise never fill anything. */
static off_t
file_size_limit (int fd)
{
  off_t limit = INT64_MAX;
  long bits = fpathconf (fd, _PC_FILESIZEBITS);
  if (bits > 1 && bits < 64)
    limit = ((off_t) 1 << (bits - 1)) - 1;
  struct rlimit rl;
  if (getrlimit (RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      (uint64_t) rl.rlim_cur < (uint64_t) limit)
    limit = rl.rlim_cur;
  return limit;
}

static void
sink_write (struct sink *s, const char *data, size_t len)
{
  if (s->err)
    return;
  if (s->sparse && (off_t) len > s->limit - s->pos) {
    s->err = EFBIG;
    return;
  }
  if (s->sparse && guestfs_int_is_zero (data, len)) {
    s->pos += len;
    return;
  }
  while (len > 0) {
    ssize_t r = s->sparse ? pwrite (s->fd, data, len, s->pos)
                          : write (s->fd, data, len);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      s->err = errno;
      return;
    }
    data += r;
    len -= r;
    s->pos += r;
  }
}

/* Read one chunk.  Returns 1 with data, 0 at the end, 2 at a daemon
 * cancel chunk, -1 when the connection was dropped. */
static int
read_chunk (guestfs_h *g, const char *name, const char **data, size_t *len)
{
  int64_t n = read_length (g, name);
  if (n == -1)
    return -1;
  if (read_daemon (g, g->recvbuf, n) == -1)
    return lost (g, name, NULL);
  XDR xdr;
  int cancel = 0;
  u_int dlen = 0;
  xdrmem_create (&xdr, g->recvbuf, n, XDR_DECODE);
  bool ok = xdr_int (&xdr, &cancel) && xdr_u_int (&xdr, &dlen) &&
            dlen <= GUESTFS_MAX_CHUNK_SIZE && dlen <= n - xdr_getpos (&xdr) &&
            (cancel == 0 || cancel == 1) && (!cancel || dlen == 0);
  size_t pos = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (!ok)
    return lost (g, name, "malformed file chunk");
  if (cancel)
    return 2;
  *data = g->recvbuf + pos;
  *len = dlen;
  return dlen > 0 ? 1 : 0;
}

/* Receive the chunks after a successful FileOut reply.  A user cancel
 * or a local write error asks the daemon to stop; it then ends the
 * stream with a cancel chunk and an error reply. */
static int
receive_file (guestfs_h *g, const struct guestfs_int_call *c, int fd,
              unsigned serial)
{
  struct stat st;
  struct sink s = {
    .fd = fd, .sparse = fstat (fd, &st) == 0 && S_ISREG (st.st_mode),
  };
  s.limit = s.sparse ? file_size_limit (fd) : INT64_MAX;
  unsigned after_cancel = 0;
  g->fileout_cancel = CANCEL_SENDS_WORD;
  for (;;) {
    if (guestfs_int_take_user_cancel (g) && fileout_user_cancel (g) == -1)
      return lost (g, c->name, NULL);
    if (g->fileout_cancel == CANCEL_SENDS_WORD && s.err) {
      g->fileout_cancel = CANCEL_WORD_SENT;
      if (send_cancel_word (g) == -1)
        return lost (g, c->name, NULL);
    }
    const char *data = NULL;
    size_t len = 0;
    int r = read_chunk (g, c->name, &data, &len);
    if (r == -1)
      return -1;
    if (r == 1) {
      if (g->fileout_cancel != CANCEL_SENDS_WORD &&
          ++after_cancel > CHUNKS_AFTER_CANCEL)
        return lost (g, c->name, "the appliance went on sending after "
                     "the transfer was cancelled");
      sink_write (&s, data, len);
      continue;
    }
    bool user = g->fileout_cancel == CANCEL_USER_WORD_SENT;
    if (r == 2) {
      /* An error reply follows the cancel chunk. */
      XDR xdr;
      size_t mlen;
      struct guestfs_message_header hdr;
      if (read_reply (g, c, serial, &xdr, &mlen, &hdr) == -1)
        return -1;
      if (hdr.status != GUESTFS_STATUS_ERROR) {
        xdr_destroy (&xdr);
        return lost (g, c->name, "no error after a cancelled transfer");
      }
      take_error_reply (g, c, &xdr, mlen);
      if (g->fileout_cancel == CANCEL_SENDS_WORD)
        return -1; /* the daemon's own error is the one to report */
    }
    /* End of the stream (normal or cancelled). */
    if (r == 0 && s.sparse && !s.err && ftruncate (fd, s.pos) == -1)
      s.err = errno;
    if (user) {
      guestfs_int_error_errno (g, EINTR, "%s: operation cancelled by user",
                               c->name);
      return -1;
    }
    if (s.err) {
      errno = s.err;
      perrorf (g, "%s: %s", c->name, c->file_out);
      return -1;
    }
    return 0;
  }
}

/* ---- The call ---- */

static int
open_local_files (guestfs_h *g, const struct guestfs_int_call *c, int *in_fd,
                  int *out_fd)
{
  *in_fd = *out_fd = -1;
  if (c->file_in) {
    *in_fd = open (c->file_in, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (*in_fd == -1) {
      perrorf (g, "%s: %s", c->name, c->file_in);
      return -1;
    }
  }
  if (c->file_out) {
    *out_fd = open (c->file_out,
                    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
    if (*out_fd == -1) {
      perrorf (g, "%s: %s", c->name, c->file_out);
      if (*in_fd >= 0)
        close (*in_fd);
      return -1;
    }
  }
  return 0;
}

static int
close_local_file (guestfs_h *g, const struct guestfs_int_call *c, int fd,
                  int r)
{
  if (fd == -1)
    return r;
  if (close (fd) == -1 && r == 0) {
    perrorf (g, "%s: close", c->name);
    return -1;
  }
  return r;
}

static int
request_too_big (guestfs_h *g, const struct guestfs_int_call *c)
{
  guestfs_int_error_errno (g, E2BIG, "%s: the request is over the "
                           "protocol's message limit (see PROTOCOL "
                           "LIMITS in guestfs(3))", c->name);
  return -1;
}

/* A request carrying a Key is encoded into its own buffer, locked in
 * memory (never swapped), left out of core dumps, and wiped once sent,
 * instead of lingering in the send buffer. */
static int
send_secret_request (guestfs_h *g, const struct guestfs_int_call *c,
                     const struct guestfs_message_header *hdr)
{
  long page = sysconf (_SC_PAGESIZE);
  size_t need = 4 + 64 + xdr_sizeof (c->args_xdr, c->args);
  if (need > WIRE_BUF_SIZE)
    return request_too_big (g, c);
  size_t size = (need + page - 1) / page * page;
  char *buf = mmap (NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED) {
    perrorf (g, "%s: mmap", c->name);
    return -1;
  }
  madvise (buf, size, MADV_DONTDUMP);
  if (mlock (buf, size) == -1)
    debug (g, "%s: mlock: %s (the key may reach swap)", c->name,
           strerror (errno));
  int r = 0;
  ssize_t n = wire_encode_message (buf, size, hdr, c->args_xdr, c->args);
  if (n == -1)
    r = request_too_big (g, c);
  else if (write_daemon (g, buf, n) == -1)
    r = lost (g, c->name, NULL);
  explicit_bzero (buf, size);
  munlock (buf, size);
  munmap (buf, size);
  return r;
}

static int
send_request (guestfs_h *g, const struct guestfs_int_call *c, unsigned serial)
{
  struct guestfs_message_header hdr = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = c->proc, .direction = GUESTFS_DIRECTION_CALL, .serial = serial,
    .status = GUESTFS_STATUS_OK,
  };
  if (c->secret && c->args_xdr)
    return send_secret_request (g, c, &hdr);
  ssize_t n = wire_encode_message (g->sendbuf, WIRE_BUF_SIZE, &hdr,
                                   c->args_xdr, c->args);
  if (n == -1)
    return request_too_big (g, c);
  if (write_daemon (g, g->sendbuf, n) == -1)
    return lost (g, c->name, NULL);
  return 0;
}

static int
rpc_locked (guestfs_h *g, struct guestfs_int_call *c, int in_fd, int out_fd)
{
  unsigned serial = ++g->serial;
  if (send_request (g, c, serial) == -1)
    return -1;
  if (in_fd >= 0) {
    switch (send_file (g, c, in_fd, serial)) {
    case SEND_OK: case SEND_DAEMON_CANCEL: break;
    case SEND_LOCAL_CANCEL: case SEND_LOST: return -1;
    }
  }
  XDR xdr;
  size_t len;
  struct guestfs_message_header hdr;
  if (read_reply (g, c, serial, &xdr, &len, &hdr) == -1)
    return -1;
  if (hdr.status == GUESTFS_STATUS_ERROR)
    return take_error_reply (g, c, &xdr, len);
  int r = wire_decode_rest (&xdr, len, c->ret_xdr, c->ret);
  xdr_destroy (&xdr);
  if (r == -1)
    return lost (g, c->name, "malformed reply");
  if (out_fd >= 0 && receive_file (g, c, out_fd, serial) == -1) {
    if (c->ret_xdr)
      xdr_free (c->ret_xdr, c->ret);
    return -1;
  }
  return 0;
}

int
guestfs_int_rpc (guestfs_h *g, struct guestfs_int_call *c)
{
  int in_fd, out_fd;
  if (open_local_files (g, c, &in_fd, &out_fd) == -1)
    return -1;
  guestfs_int_take_user_cancel (g); /* one made before this call is not for it */
  note_io (g);
  g->call_start = g->last_io;
  g->flag_words = 0;
  g->fileout_cancel = CANCEL_DROPS;
  g->state = BUSY;
  int r = rpc_locked (g, c, in_fd, out_fd);
  g->fileout_cancel = CANCEL_DROPS;
  if (g->state == BUSY)
    g->state = READY;
  r = close_local_file (g, c, in_fd, r);
  r = close_local_file (g, c, out_fd, r);
  return r;
}

int
guestfs_int_wait_for_launch_flag (guestfs_h *g, int timeout_ms)
{
  if (wait_daemon (g, POLLIN, timeout_ms) == -1) {
    if (errno == ETIMEDOUT)
      return -2;
    perrorf (g, "launch: waiting for the appliance");
    return -1;
  }
  /* The first byte is here; the rest must follow within the
   * inactivity deadline. */
  note_io (g);
  char b[4];
  if (read_daemon (g, b, 4) == -1) {
    if (errno == ETIMEDOUT)
      guestfs_int_error_errno (g, ETIMEDOUT, "launch: the appliance "
                               "stopped in the middle of the launch flag "
                               "for %d seconds (see the timeout backend "
                               "setting in guestfs(3))",
                               g->io_timeout_ms / 1000);
    else
      guestfs_int_error_errno (g, EIO, "launch: the appliance closed the "
                               "connection before it was ready");
    return -1;
  }
  if (wire_get_u32 (b) != GUESTFS_LAUNCH_FLAG) {
    guestfs_int_error_errno (g, EIO, "launch: the appliance sent %#x "
                             "instead of the launch flag",
                             wire_get_u32 (b));
    return -1;
  }
  return 0;
}
