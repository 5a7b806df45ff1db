#define _GNU_SOURCE 1
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake-daemon.h"

/* The fake's exit status when the library hung up while it wrote. */
#define EXIT_PEER_GONE 3

char *fake_scratch;
static char *inbuf; /* the call being served */

/* ---- Replies ---- */

void
fake_send_bytes (int sock, const void *b, size_t len)
{
  if (wire_write_full (sock, b, len) == -1)
    _exit (EXIT_PEER_GONE); /* the test's own checks will say more */
}

void
fake_send_u32 (int sock, uint32_t v)
{
  char b[4];
  wire_put_u32 (b, v);
  fake_send_bytes (sock, b, 4);
}

struct guestfs_message_header
fake_reply_header (const struct fake_request *req,
                   enum guestfs_message_status status)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = req->proc, .direction = GUESTFS_DIRECTION_REPLY,
    .serial = req->serial, .status = status,
  };
  return h;
}

void
fake_send_message_extra (int sock, const struct guestfs_message_header *h,
                         xdrproc_t xdrp, const void *body, const void *extra,
                         size_t extra_len)
{
  ssize_t n = wire_encode_message (fake_scratch, WIRE_BUF_SIZE, h, xdrp,
                                   (void *) body);
  if (n < 0 || (size_t) n + extra_len > WIRE_BUF_SIZE)
    _exit (4);
  if (extra_len)
    memcpy (fake_scratch + n, extra, extra_len);
  wire_put_u32 (fake_scratch, n - 4 + extra_len);
  fake_send_bytes (sock, fake_scratch, n + extra_len);
}

void
fake_send_message (int sock, const struct guestfs_message_header *h,
                   xdrproc_t xdrp, const void *body)
{
  fake_send_message_extra (sock, h, xdrp, body, NULL, 0);
}

void
fake_send_ok (int sock, const struct fake_request *req, xdrproc_t xdrp,
              const void *body)
{
  struct guestfs_message_header h = fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message (sock, &h, xdrp, body);
}

void
fake_send_error (int sock, const struct fake_request *req,
                 const char *errno_name, const char *msg)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_ERROR);
  struct guestfs_message_error e = {
    .errno_string = (char *) errno_name, .error_message = (char *) msg,
  };
  fake_send_message (sock, &h, (xdrproc_t) xdr_guestfs_message_error, &e);
}

void
fake_send_chunk (int sock, int32_t cancel, uint32_t data_len, size_t have,
                 char fill)
{
  size_t body = 8 + ((have + 3) & ~(size_t) 3);
  wire_put_u32 (fake_scratch, body);
  wire_put_u32 (fake_scratch + 4, cancel);
  wire_put_u32 (fake_scratch + 8, data_len);
  memset (fake_scratch + 12, fill, body - 8);
  fake_send_bytes (sock, fake_scratch, 4 + body);
}

void
fake_stall (int sock)
{
  char b[4096];
  while (read (sock, b, sizeof b) > 0)
    ;
  _exit (0);
}

/* ---- Serving ---- */

/* Read messages until a call, skipping flag words and anything that is
 * not a call (FileIn chunks), and hand it to serve.  Returns serve's
 * verdict, or false at EOF. */
static bool
serve_next (int sock, const struct fake_daemon *f)
{
  for (;;) {
    char lb[4];
    if (wire_read_full (sock, lb, 4) != 0)
      return false;
    uint32_t len = wire_get_u32 (lb);
    if (len > GUESTFS_MESSAGE_MAX)
      continue;
    if (wire_read_full (sock, inbuf, len) != 0)
      return false;
    XDR xdr;
    struct guestfs_message_header h;
    if (wire_decode_header (&xdr, inbuf, len, &h) == -1)
      continue;
    bool call = h.prog == GUESTFS_PROGRAM &&
                h.direction == GUESTFS_DIRECTION_CALL;
    struct fake_request req = { .proc = h.proc, .serial = h.serial,
                                .args = &xdr };
    bool more = call ? f->serve (sock, &req, f->opaque) : true;
    xdr_destroy (&xdr);
    if (call)
      return more;
  }
}

static void __attribute__ ((noreturn))
run_fake (int listener, const struct fake_daemon *f)
{
  alarm (f->timeout);
  fake_scratch = malloc (WIRE_BUF_SIZE + 64);
  inbuf = malloc (WIRE_BUF_SIZE);
  if (fake_scratch == NULL || inbuf == NULL)
    _exit (2);
  int sock = accept (listener, NULL, NULL);
  if (sock == -1)
    _exit (2);
  close (listener);
  char word[4];
  wire_put_u32 (word, f->launch_word);
  fake_send_bytes (sock, word, f->launch_len ? f->launch_len : 4);
  if (f->launch_len && f->launch_len < 4)
    fake_stall (sock);
  if (f->serve)
    while (serve_next (sock, f))
      ;
  _exit (0);
}

void
fake_daemon_start (struct fake_daemon *f, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path) {
    fprintf (stderr, "fake daemon: socket path too long: %s\n", path);
    exit (EXIT_FAILURE);
  }
  strcpy (addr.sun_path, path);
  unlink (path);
  int l = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l == -1 || bind (l, (struct sockaddr *) &addr, sizeof addr) == -1 ||
      listen (l, 1) == -1) {
    perror ("fake daemon socket");
    exit (EXIT_FAILURE);
  }
  f->backend = xasprintf ("unix:%s", path);
  f->pid = test_fork ();
  if (f->pid == 0)
    run_fake (l, f);
  close (l);
}

void
fake_daemon_finish (struct fake_daemon *f, const char *name)
{
  int status;
  if (waitpid (f->pid, &status, 0) != f->pid || !WIFEXITED (status) ||
      (WEXITSTATUS (status) != 0 &&
       WEXITSTATUS (status) != EXIT_PEER_GONE)) {
    fprintf (stderr, "%s: FAIL: the fake daemon ended with status %#x\n",
             name, status);
    ++test_failures;
  }
  free (f->backend);
  f->backend = NULL;
}
