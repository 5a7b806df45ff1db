/* The daemon's side of the protocol: read a request, dispatch it, send
 * exactly one reply (or none, if the library cancelled a FileIn), and
 * carry FileIn/FileOut chunks and progress messages.
 *
 * Requests on one connection are served one at a time.  The daemon
 * may have several connections (guestfsd.c), each served by a thread
 * of its own with its own state (struct connection); requests of
 * different connections overlap only where both are concurrent
 * actions (lock_daemon).  Anything malformed gets an error
 * reply when the header could be read, and ends the connection when
 * even the framing is broken (there is no way to resynchronise).
 *
 * The library gives up on an appliance that sends nothing for a while
 * (its timeout setting).  So that long actions (mkfs, fsck, tar, big
 * copies, a sync) are never cut, a heartbeat thread sends a progress
 * message whenever a request has been served for HEARTBEAT_S seconds
 * without anything sent (one heartbeat thread per connection): it
 * repeats the request's last progress, or pulses 0 of 1 (activity of
 * unknown length, closed by 1 of 1 before the reply) if the action
 * reports none.  Every message goes out whole
 * under send_lock, so heartbeats only ever fall between messages.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "errnostring.h"
#include "handles.h"
#include "proc-table.h"
#include "util.h"
#include "wire.h"

__thread uint64_t optargs_bitmask;
__thread const char *current_proc_name = "";

/* One connection to the library, served by one thread.  The main
 * channel is served by the main thread; each extra channel
 * (guestfsd.c) by a thread of its own.  Everything below that
 * belongs to a connection is reached through conn, which is the
 * serving thread's own. */
struct connection {
  int sock;
  bool broken;
  char *msgbuf;   /* incoming request */
  char *outbuf;   /* outgoing reply or chunk */
  char *chunkbuf;

  /* State of the request being served. */
  unsigned cur_proc, cur_serial;
  bool replied;
  enum { FI_NONE, FI_PENDING, FI_DONE } file_in;
  bool library_cancelled;
  enum { FO_NONE, FO_STARTED, FO_ENDED } file_out;
  struct progress_limiter progress;

  /* Heartbeats: the connection's own thread. */
  pthread_mutex_t send_lock;
  pthread_cond_t serving_changed;
  /* Under send_lock: */
  bool serving; /* a request is being served */
  struct timespec last_send;
  uint64_t last_position, last_total;
  bool progress_sent, pulse_open;
};

static __thread struct connection *conn;

void
request_context_save (struct request_context *rc)
{
  rc->connection = conn;
  rc->proc_name = current_proc_name;
  rc->optargs_bitmask = optargs_bitmask;
}

void
request_context_adopt (const struct request_context *rc)
{
  conn = rc->connection;
  current_proc_name = rc->proc_name;
  optargs_bitmask = rc->optargs_bitmask;
}

/* ---- Sending, and heartbeats ---- */

#define HEARTBEAT_S 5

static void
send_bytes_locked (const void *buf, size_t len)
{
  if (conn->broken)
    return;
  if (wire_write_full (conn->sock, buf, len) == -1) {
    fprintf (stderr, "guestfsd: write to the library: %m\n");
    conn->broken = true;
  }
  clock_gettime (CLOCK_MONOTONIC, &conn->last_send);
}

static void
send_bytes (const void *buf, size_t len)
{
  pthread_mutex_lock (&conn->send_lock);
  send_bytes_locked (buf, len);
  pthread_mutex_unlock (&conn->send_lock);
}

static void
send_progress_locked (uint64_t position, uint64_t total)
{
  char b[WIRE_PROGRESS_LEN];
  wire_encode_progress (b, conn->cur_proc, conn->cur_serial, position, total);
  send_bytes_locked (b, sizeof b);
  conn->last_position = position;
  conn->last_total = total;
  conn->progress_sent = true;
}

static void
send_heartbeat_locked (void)
{
  if (conn->progress_sent)
    send_progress_locked (conn->last_position, conn->last_total);
  else {
    send_progress_locked (0, 1);
    conn->pulse_open = true;
  }
}

/* Before the reply: a pulse ends at 1 of 1. */
static void
close_pulse (void)
{
  pthread_mutex_lock (&conn->send_lock);
  if (conn->pulse_open && conn->last_position == 0 && conn->last_total == 1)
    send_progress_locked (1, 1);
  conn->pulse_open = false;
  pthread_mutex_unlock (&conn->send_lock);
}

static void *
heartbeat_thread (void *arg)
{
  conn = arg;
  pthread_mutex_lock (&conn->send_lock);
  for (;;) {
    while (!conn->serving)
      pthread_cond_wait (&conn->serving_changed, &conn->send_lock);
    struct timespec due = conn->last_send;
    due.tv_sec += HEARTBEAT_S;
    pthread_cond_timedwait (&conn->serving_changed, &conn->send_lock, &due);
    if (conn->serving &&
        guestfs_int_ms_since (&conn->last_send) >= HEARTBEAT_S * 1000)
      send_heartbeat_locked ();
  }
  return NULL;
}

/* Signals are for the main thread: every other thread blocks them. */
int
start_thread (void *(*fn) (void *), void *arg)
{
  sigset_t all, old;
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old);
  pthread_t t;
  int r = pthread_create (&t, NULL, fn, arg);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (r != 0) {
    errno = r;
    return -1;
  }
  pthread_detach (t);
  return 0;
}

/* A connection and its heartbeat thread.  Neither is ever freed: a
 * connection that ends leaves its heartbeat thread waiting for a
 * request that never comes, and guestfsd.c bounds the number of
 * connections. */
static struct connection *
new_connection (int sock)
{
  struct connection *c = calloc (1, sizeof *c);
  if (c == NULL)
    return NULL;
  c->sock = sock;
  pthread_mutex_init (&c->send_lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&c->serving_changed, &attr);
  pthread_condattr_destroy (&attr);
  c->msgbuf = malloc (GUESTFS_MESSAGE_MAX);
  c->outbuf = malloc (WIRE_BUF_SIZE);
  c->chunkbuf = malloc (GUESTFS_MESSAGE_MAX);
  if (!c->msgbuf || !c->outbuf || !c->chunkbuf ||
      start_thread (heartbeat_thread, c) == -1) {
    free (c->msgbuf);
    free (c->outbuf);
    free (c->chunkbuf);
    free (c);
    return NULL;
  }
  return c;
}

/* The connection's buffers go when it ends (the heartbeat thread uses
 * none of them). */
static void
end_connection (struct connection *c)
{
  pthread_mutex_lock (&c->send_lock);
  c->broken = true;
  c->serving = false;
  free (c->msgbuf);
  free (c->outbuf);
  free (c->chunkbuf);
  c->msgbuf = c->outbuf = c->chunkbuf = NULL;
  pthread_mutex_unlock (&c->send_lock);
}

/* A request starts or ends: heartbeats follow it. */
static void
set_serving (bool on, unsigned proc, unsigned serial)
{
  pthread_mutex_lock (&conn->send_lock);
  conn->serving = on;
  if (on) {
    conn->cur_proc = proc;
    conn->cur_serial = serial;
    conn->progress_sent = conn->pulse_open = false;
    clock_gettime (CLOCK_MONOTONIC, &conn->last_send);
  }
  pthread_cond_signal (&conn->serving_changed);
  pthread_mutex_unlock (&conn->send_lock);
}

static void
send_flag (uint32_t flag)
{
  char b[4];
  wire_put_u32 (b, flag);
  send_bytes (b, 4);
}

static void
send_message (enum guestfs_message_status status, xdrproc_t xdrp, void *body)
{
  struct guestfs_message_header hdr = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = conn->cur_proc, .direction = GUESTFS_DIRECTION_REPLY,
    .serial = conn->cur_serial, .status = status,
  };
  close_pulse ();
  ssize_t n =
    wire_encode_message (conn->outbuf, WIRE_BUF_SIZE, &hdr, xdrp, body);
  if (n == -1) {
    /* Only a reply can be too large: say so instead. */
    struct guestfs_message_error err = {
      .errno_string = (char *) "E2BIG",
      .error_message = (char *) "reply is over the protocol's message limit",
    };
    hdr.status = GUESTFS_STATUS_ERROR;
    n = wire_encode_message (conn->outbuf, WIRE_BUF_SIZE, &hdr,
                             (xdrproc_t) xdr_guestfs_message_error, &err);
  }
  send_bytes (conn->outbuf, n);
}

void
reply (xdrproc_t xdrp, char *ret)
{
  if (conn->replied) {
    fprintf (stderr, "guestfsd: %s: replied twice\n", current_proc_name);
    return;
  }
  conn->replied = true;
  send_message (GUESTFS_STATUS_OK, xdrp, ret);
}

static void
send_error (int err, const char *msg)
{
  if (conn->file_in == FI_PENDING)
    cancel_receive ();
  if (conn->file_out == FO_STARTED)
    send_file_end (1);
  if (conn->library_cancelled || conn->replied)
    return;
  conn->replied = true;
  const char *name = err ? guestfs_int_errno_to_string (err) : NULL;
  struct guestfs_message_error e = {
    .errno_string = (char *) (name ? name : ""),
    .error_message = (char *) msg,
  };
  debug ("error: %s", msg);
  send_message (GUESTFS_STATUS_ERROR, (xdrproc_t) xdr_guestfs_message_error,
                &e);
}

static void
vreply_error (int err, bool with_strerror, const char *fs, va_list ap)
{
  char *body = NULL, *msg = NULL;
  if (vasprintf (&body, fs, ap) == -1)
    body = NULL;
  int r;
  if (with_strerror)
    r = asprintf (&msg, "%s: %s: %s", current_proc_name,
                  body ? body : "error", strerror (err));
  else
    r = asprintf (&msg, "%s: %s", current_proc_name, body ? body : "error");
  /* Name the caller's devices as the caller does. */
  if (r != -1)
    callers_names_in_text (msg);
  send_error (err, r == -1 ? "out of memory" : msg);
  free (body);
  if (r != -1)
    free (msg);
}

void
reply_with_error_errno (int err, const char *fs, ...)
{
  va_list ap;
  va_start (ap, fs);
  vreply_error (err, false, fs, ap);
  va_end (ap);
}

void
reply_with_perror_errno (int err, const char *fs, ...)
{
  va_list ap;
  va_start (ap, fs);
  vreply_error (err, true, fs, ap);
  va_end (ap);
}

/* ---- FileIn ---- */

/* Read one chunk.  Returns 1 for data (in data and len), 0 for the final
 * chunk, -2 for a library cancel, -1 for a protocol error. */
static int
read_chunk (const char **data, size_t *len)
{
  char lenbuf[4];
  if (wire_read_full (conn->sock, lenbuf, 4) != 0)
    goto broken;
  uint32_t n = wire_get_u32 (lenbuf);
  if (n > GUESTFS_MESSAGE_MAX)
    goto broken;
  if (wire_read_full (conn->sock, conn->chunkbuf, n) != 0)
    goto broken;
  struct guestfs_chunk chunk;
  memset (&chunk, 0, sizeof chunk);
  XDR xdr;
  xdrmem_create (&xdr, conn->chunkbuf, n, XDR_DECODE);
  /* Decode in place: the data stays in chunkbuf until the next read. */
  bool_t ok = xdr_int (&xdr, &chunk.cancel) &&
              xdr_u_int (&xdr, &chunk.data.data_len) &&
              chunk.data.data_len <= GUESTFS_MAX_CHUNK_SIZE &&
              chunk.data.data_len <= n - xdr_getpos (&xdr);
  size_t pos = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (!ok)
    goto broken;
  if (chunk.cancel)
    return -2;
  *data = conn->chunkbuf + pos;
  *len = chunk.data.data_len;
  return *len > 0 ? 1 : 0;

broken:
  fprintf (stderr, "guestfsd: %s: broken file chunk\n", current_proc_name);
  conn->broken = true;
  return -1;
}

int
cancel_receive (void)
{
  if (conn->file_in != FI_PENDING)
    return 0;
  conn->file_in = FI_DONE;
  /* Ask the library to stop, then swallow what it already sent. */
  send_flag (GUESTFS_CANCEL_FLAG);
  const char *data;
  size_t len;
  int r;
  while ((r = read_chunk (&data, &len)) == 1)
    ;
  if (r == -2)
    conn->library_cancelled = false; /* it stopped because we asked */
  return r == -1 ? -1 : 0;
}

int
receive_file (receive_cb cb, void *opaque)
{
  if (conn->file_in != FI_PENDING) {
    errno = EPROTO;
    return -1;
  }
  for (;;) {
    const char *data;
    size_t len;
    int r = read_chunk (&data, &len);
    if (r == 0) {
      conn->file_in = FI_DONE;
      return 0;
    }
    if (r == -2) {
      conn->file_in = FI_DONE;
      conn->library_cancelled = true;
      errno = ECANCELED;
      return -2;
    }
    if (r == -1) {
      conn->file_in = FI_DONE;
      errno = EPROTO;
      return -1;
    }
    if (cb (opaque, data, len) == -1) {
      int saved = errno;
      cancel_receive ();
      errno = saved;
      return -1;
    }
  }
}

/* ---- FileOut ---- */

bool
file_out_started (void)
{
  return conn->file_out != FO_NONE;
}

/* Did the library write a cancel word while we were sending? */
static bool
library_wants_cancel (void)
{
  struct pollfd pfd = { .fd = conn->sock, .events = POLLIN };
  if (poll (&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
    return false;
  char b[4];
  if (wire_read_full (conn->sock, b, 4) != 0) {
    conn->broken = true;
    return true;
  }
  return wire_get_u32 (b) == GUESTFS_CANCEL_FLAG;
}

static void
start_file_out (void)
{
  if (conn->file_out == FO_NONE) {
    reply (NULL, NULL);
    conn->file_out = FO_STARTED;
  }
}

int
send_file_write (const void *buf, size_t len)
{
  start_file_out ();
  const char *p = buf;
  while (len > 0) {
    if (conn->broken || library_wants_cancel ()) {
      errno = ECANCELED;
      return -1;
    }
    size_t n = len < GUESTFS_MAX_CHUNK_SIZE ? len : GUESTFS_MAX_CHUNK_SIZE;
    ssize_t m = wire_encode_chunk (conn->outbuf, WIRE_BUF_SIZE, 0, p, n);
    send_bytes (conn->outbuf, m);
    p += n;
    len -= n;
  }
  return 0;
}

int
send_file_end (int cancel)
{
  start_file_out ();
  if (conn->file_out != FO_STARTED)
    return 0;
  conn->file_out = FO_ENDED;
  ssize_t m = wire_encode_chunk (conn->outbuf, WIRE_BUF_SIZE, cancel, NULL, 0);
  send_bytes (conn->outbuf, m);
  if (cancel) {
    /* An error reply follows a cancel chunk: allow it. */
    conn->replied = false;
  }
  return conn->broken ? -1 : 0;
}

/* ---- Progress ---- */

void
notify_progress (uint64_t position, uint64_t total)
{
  if (!guestfs_int_progress_due (&conn->progress, position, total))
    return;
  pthread_mutex_lock (&conn->send_lock);
  send_progress_locked (position, total);
  pthread_mutex_unlock (&conn->send_lock);
}

/* ---- The request loop ---- */

/* Requests of different connections run at the same time only if
 * both are concurrent (the fuse_* actions, which act on files through
 * descriptors): they take the daemon lock shared.  Every other action
 * (mount, umount, sync, LVM scans, Augeas...) changes or depends on
 * state of the whole daemon and takes it exclusive. */
/* Writers first: a stream of reads on the extra channels must not keep
 * an unmount or a sync waiting. */
static pthread_rwlock_t daemon_lock =
  PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

static void
lock_daemon (bool shared)
{
  if (shared)
    pthread_rwlock_rdlock (&daemon_lock);
  else
    pthread_rwlock_wrlock (&daemon_lock);
}

static void
unlock_daemon (void)
{
  pthread_rwlock_unlock (&daemon_lock);
}

static void serve_requests (void);

/* A request carrying a key is wiped once it has been served: the
 * action wipes its decoded copy (luks.c), this is the received one. */
static void
serve_request (char *body, size_t len)
{
  struct guestfs_message_header hdr;
  XDR xdr;
  if (wire_decode_header (&xdr, body, len, &hdr) == -1) {
    fprintf (stderr, "guestfsd: malformed message header\n");
    conn->broken = true;
    return;
  }
  set_serving (true, hdr.proc, hdr.serial);
  conn->replied = conn->library_cancelled = conn->progress.sent = false;
  conn->file_out = FO_NONE;
  const struct proc_info *pi = proc_lookup (hdr.proc);
  current_proc_name = pi ? pi->name : "guestfsd";
  conn->file_in = pi && pi->file_in ? FI_PENDING : FI_NONE;

  if (hdr.prog != GUESTFS_PROGRAM || hdr.vers != GUESTFS_PROTOCOL_VERSION)
    reply_with_error_errno (EPROTO, "wrong program (%x) or version (%u)",
                            hdr.prog, hdr.vers);
  else if (hdr.direction != GUESTFS_DIRECTION_CALL ||
           hdr.status != GUESTFS_STATUS_OK)
    reply_with_error_errno (EPROTO, "message is not a call");
  else {
    debug ("proc %u (%s) serial %u", hdr.proc, current_proc_name, hdr.serial);
    lock_daemon (pi && pi->concurrent);
    dispatch_incoming_message (hdr.proc, &xdr);
    unlock_daemon ();
  }
  xdr_destroy (&xdr);

  if (conn->file_in == FI_PENDING) /* an action forgot its chunks */
    cancel_receive ();
  if (conn->file_out == FO_STARTED)
    send_file_end (0);
  if (!conn->replied && !conn->library_cancelled)
    reply_with_error_errno (EIO, "internal error: the action sent no reply");
  current_proc_name = "";
  set_serving (false, 0, 0);
  if (pi && pi->has_key)
    explicit_bzero (body, len);
}

/* The main connection owns the daemon's per-client state (handles,
 * Augeas, hivex): it is released when that connection ends. */
void
serve_connection (int s, bool main_connection)
{
  conn = new_connection (s);
  if (conn == NULL) {
    perror ("guestfsd: connection");
    if (main_connection)
      exit (EXIT_FAILURE);
    return;
  }
  serve_requests ();
  end_connection (conn);
  if (main_connection) {
    lock_daemon (false);
    handles_release_all ();
    augeas_close_at_end (NULL);
    hivex_close_at_end (NULL);
    unlock_daemon ();
  }
}

static void
serve_requests (void)
{
  send_flag (GUESTFS_LAUNCH_FLAG);

  while (!conn->broken) {
    char lenbuf[4];
    int r = wire_read_full (conn->sock, lenbuf, 4);
    if (r == WIRE_EOF) {
      debug ("the library closed the connection");
      return;
    }
    if (r != 0) {
      fprintf (stderr, "guestfsd: read: %m\n");
      return;
    }
    uint32_t len = wire_get_u32 (lenbuf);
    if (len == GUESTFS_CANCEL_FLAG)
      continue; /* a cancel that crossed the end of a transfer */
    if (len > GUESTFS_MESSAGE_MAX) {
      fprintf (stderr, "guestfsd: message length %u is over the limit\n",
               len);
      return;
    }
    if (wire_read_full (conn->sock, conn->msgbuf, len) != 0) {
      fprintf (stderr, "guestfsd: truncated message\n");
      return;
    }
    serve_request (conn->msgbuf, len);
  }
}
