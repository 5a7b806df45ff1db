/* The daemon against a hostile library: hand-made requests over a
 * socketpair (guestfsd -c fd:N) that the real library would never
 * send.  Requests it can parse the framing of get an error reply and
 * the daemon keeps serving; broken framing ends the connection, and
 * the daemon exits cleanly either way (under the sanitizers a leak
 * would show as a non-zero exit status). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "errnostring.h"
#include "proc-table.h"
#include "wire.h"

static char *root;
static char *buf; /* WIRE_BUF_SIZE */

struct daemon {
  pid_t pid;
  int sock;
  unsigned serial;
};

static struct daemon
start (void)
{
  int sv[2];
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
    abort ();
  struct daemon d = { .sock = sv[0] };
  d.pid = fork ();
  if (d.pid == 0) {
    char fdarg[32];
    int fd = dup (sv[1]); /* without CLOEXEC */
    snprintf (fdarg, sizeof fdarg, "fd:%d", fd);
    execl (GUESTFSD_PATH, "guestfsd", "--sysroot", root, "-c", fdarg,
           (char *) NULL);
    _exit (127);
  }
  close (sv[1]);
  char b[4];
  CHECK (wire_read_full (d.sock, b, 4) == 0);
  CHECK (wire_get_u32 (b) == GUESTFS_LAUNCH_FLAG);
  return d;
}

static void
stop (struct daemon *d, const char *what)
{
  close (d->sock);
  int status;
  CHECK (waitpid (d->pid, &status, 0) == d->pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    fprintf (stderr, "%s: FAIL: guestfsd ended with status %#x\n", what,
             status);
    ++test_failures;
  }
}

static void
send_raw (struct daemon *d, const void *b, size_t len)
{
  CHECK (wire_write_full (d->sock, b, len) == 0);
}

/* A call with its body given as raw bytes. */
static void
send_call (struct daemon *d, unsigned proc, const void *body, size_t len)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION, .proc = proc,
    .direction = GUESTFS_DIRECTION_CALL, .serial = ++d->serial,
    .status = GUESTFS_STATUS_OK,
  };
  ssize_t n = wire_encode_message (buf, WIRE_BUF_SIZE, &h, NULL, NULL);
  if (len)
    memcpy (buf + n, body, len);
  wire_put_u32 (buf, n - 4 + len);
  send_raw (d, buf, n + len);
}

struct reply {
  int ok;          /* 1: OK status, 0: error, -1: no reply (EOF) */
  int err;         /* errno of an error reply */
  char msg[256];
};

static struct reply
read_reply (struct daemon *d)
{
  struct reply r = { .ok = -1 };
  char lb[4];
  uint32_t len;
  do {
    if (wire_read_full (d->sock, lb, 4) != 0)
      return r;
    len = wire_get_u32 (lb);
  } while (len == GUESTFS_CANCEL_FLAG);
  if (len > GUESTFS_MESSAGE_MAX || wire_read_full (d->sock, buf, len) != 0)
    return r;
  XDR xdr;
  struct guestfs_message_header h;
  if (wire_decode_header (&xdr, buf, len, &h) == -1)
    return r;
  CHECK (h.serial == d->serial && h.direction == GUESTFS_DIRECTION_REPLY);
  if (h.status == GUESTFS_STATUS_OK) {
    r.ok = 1;
  }
  else {
    struct guestfs_message_error e;
    memset (&e, 0, sizeof e);
    CHECK (wire_decode_rest (&xdr, len,
                             (xdrproc_t) xdr_guestfs_message_error, &e) == 0);
    r.ok = 0;
    if (e.errno_string) {
      r.err = e.errno_string[0] ? guestfs_int_string_to_errno (e.errno_string)
                                : 0;
      snprintf (r.msg, sizeof r.msg, "%s", e.error_message);
    }
    xdr_free ((xdrproc_t) xdr_guestfs_message_error, (char *) &e);
  }
  xdr_destroy (&xdr);
  return r;
}

static void
expect_error (struct daemon *d, const char *what, int err, const char *text)
{
  struct reply r = read_reply (d);
  if (r.ok != 0 || (err && r.err != err) ||
      (text && strstr (r.msg, text) == NULL)) {
    fprintf (stderr, "%s: FAIL: reply %d, errno %d, \"%s\" (want error %d "
             "\"%s\")\n", what, r.ok, r.err, r.msg, err, text ? text : "");
    ++test_failures;
  }
}

static void
expect_ok (struct daemon *d, const char *what)
{
  struct reply r = read_reply (d);
  if (r.ok != 1) {
    fprintf (stderr, "%s: FAIL: reply %d \"%s\"\n", what, r.ok, r.msg);
    ++test_failures;
  }
}

static void
ping (struct daemon *d, const char *what)
{
  send_call (d, GUESTFS_PROC_PING_DAEMON, NULL, 0);
  expect_ok (d, what);
}

static bool
root_has (const char *name)
{
  char *p;
  struct stat st;
  if (asprintf (&p, "%s/%s", root, name) == -1)
    abort ();
  bool r = lstat (p, &st) == 0;
  free (p);
  return r;
}

static void
test_bad_requests (void)
{
  struct daemon d = start ();
  ping (&d, "first ping");

  /* Embedded NUL: the API cannot send it, the daemon must refuse it
   * rather than act on "/a". */
  send_call (&d, GUESTFS_PROC_MKDIR, "\0\0\0\x04/a\0b", 8);
  expect_error (&d, "NUL in path", EINVAL, "decode");
  CHECK (!root_has ("a"));
  send_call (&d, GUESTFS_PROC_MKDIR, "\0\0\0\x03/ok\0", 8);
  expect_ok (&d, "mkdir /ok");
  CHECK (root_has ("ok"));

  /* A relative path, checked by the daemon too. */
  send_call (&d, GUESTFS_PROC_MKDIR, "\0\0\0\x03rel\0", 8);
  expect_error (&d, "relative path", EINVAL, "path");
  CHECK (!root_has ("rel"));

  /* Truncated and over-long arguments. */
  send_call (&d, GUESTFS_PROC_MKDIR, "\0\0\0\x10/abc", 8);
  expect_error (&d, "truncated args", EINVAL, "decode");
  send_call (&d, GUESTFS_PROC_MKDIR, "\x7f\xff\xff\xff", 4);
  expect_error (&d, "huge string", EINVAL, "decode");
  send_call (&d, GUESTFS_PROC_MKDIR, "", 0);
  expect_error (&d, "no args", EINVAL, "decode");
  send_call (&d, GUESTFS_PROC_INTERNAL_LSTATNSLIST,
             "\0\0\0\x01/\0\0\0\x7f\xff\xff\xff", 12);
  expect_error (&d, "huge list", EINVAL, "decode");
  send_call (&d, GUESTFS_PROC_INTERNAL_LSTATNSLIST,
             "\0\0\0\x01/\0\0\0\0\0\0\x03\0\0\0\x01x\0\0\0", 20);
  expect_error (&d, "short list", EINVAL, "decode");

  /* Unknown procedures, wrong program, replies sent as calls. */
  send_call (&d, 0, NULL, 0);
  expect_error (&d, "proc 0", ENOSYS, "unknown procedure");
  send_call (&d, 0x7fffffff, NULL, 0);
  expect_error (&d, "proc huge", ENOSYS, "unknown procedure");
  struct guestfs_message_header h = {
    .prog = 0x12345678, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = GUESTFS_PROC_PING_DAEMON, .direction = GUESTFS_DIRECTION_CALL,
    .serial = ++d.serial, .status = GUESTFS_STATUS_OK,
  };
  ssize_t n = wire_encode_message (buf, WIRE_BUF_SIZE, &h, NULL, NULL);
  send_raw (&d, buf, n);
  expect_error (&d, "wrong program", EPROTO, "program");
  h.prog = GUESTFS_PROGRAM;
  h.direction = GUESTFS_DIRECTION_REPLY;
  h.serial = ++d.serial;
  n = wire_encode_message (buf, WIRE_BUF_SIZE, &h, NULL, NULL);
  send_raw (&d, buf, n);
  expect_error (&d, "reply as call", EPROTO, "not a call");

  /* Stray cancel words between requests are ignored. */
  send_raw (&d, "\xff\xff\xee\xee\xff\xff\xee\xee", 8);
  ping (&d, "ping after stray cancels");

  /* An upload whose chunks are fine, then one that is not. */
  send_call (&d, GUESTFS_PROC_UPLOAD, "\0\0\0\x03/up\0", 8);
  ssize_t m = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, "data", 4);
  send_raw (&d, buf, m);
  m = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, NULL, 0);
  send_raw (&d, buf, m);
  expect_ok (&d, "upload");
  CHECK (root_has ("up"));
  ping (&d, "ping after upload");
  stop (&d, "bad requests");
}

static void
test_broken_framing (void)
{
  /* Each of these leaves no way to find the next message: the daemon
   * hangs up, and exits with status 0. */
  struct daemon d = start ();
  send_raw (&d, "\x00\x40\x00\x01", 4); /* over the limit */
  CHECK (read_reply (&d).ok == -1);
  stop (&d, "length over the limit");

  d = start ();
  send_raw (&d, "\x00\x00\x00\x08" "abcdefgh", 12); /* short header */
  CHECK (read_reply (&d).ok == -1);
  stop (&d, "short header");

  d = start ();
  send_raw (&d, "\x00\x00\x01\x00" "abc", 7); /* then EOF */
  shutdown (d.sock, SHUT_WR);
  CHECK (read_reply (&d).ok == -1);
  stop (&d, "truncated message");

  /* A FileIn chunk over the chunk limit. */
  d = start ();
  send_call (&d, GUESTFS_PROC_UPLOAD, "\0\0\0\x04/up2", 8);
  size_t big = GUESTFS_MAX_CHUNK_SIZE + 4;
  wire_put_u32 (buf, 8 + big);
  wire_put_u32 (buf + 4, 0);
  wire_put_u32 (buf + 8, big);
  memset (buf + 12, 'x', big);
  send_raw (&d, buf, 12 + big);
  CHECK (read_reply (&d).ok != 1);
  stop (&d, "chunk over the limit");

  /* A chunk whose data length runs past its message. */
  d = start ();
  send_call (&d, GUESTFS_PROC_UPLOAD, "\0\0\0\x04/up3", 8);
  send_raw (&d, "\0\0\0\x0c" "\0\0\0\0" "\0\0\x10\0" "abcd", 16);
  CHECK (read_reply (&d).ok != 1);
  stop (&d, "chunk past its end");

  /* EOF in the middle of an upload. */
  d = start ();
  send_call (&d, GUESTFS_PROC_UPLOAD, "\0\0\0\x04/up4", 8);
  ssize_t m = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, "data", 4);
  send_raw (&d, buf, m);
  shutdown (d.sock, SHUT_WR);
  CHECK (read_reply (&d).ok != 1);
  stop (&d, "eof in upload");
}

int
main (void)
{
  signal (SIGPIPE, SIG_IGN);
  alarm (100);
  char *dir = test_tmpdir ();
  if (asprintf (&root, "%s/root", dir) == -1 || mkdir (root, 0755) == -1)
    abort ();
  buf = malloc (WIRE_BUF_SIZE + 64);
  test_bad_requests ();
  test_broken_framing ();
  free (buf);
  free (root);
  free (dir);
  return test_result ();
}
