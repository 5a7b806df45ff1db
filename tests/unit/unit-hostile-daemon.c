/* The library against a daemon that breaks the protocol.
 *
 * Each case forks a fake daemon on a Unix socket (the unix:PATH
 * backend connects to it).  The fake sends the launch flag, reads one
 * request and answers it wrongly; afterwards it answers any further
 * request well, so that a case where the library rightly keeps the
 * connection (an error reply is not a protocol error) can still shut
 * down cleanly.  Every malformed reply must make the call fail with
 * EIO and a message and drop the handle back to CONFIG; nothing may
 * crash, leak or hang (alarm() turns a hang into a failure).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake-daemon.h"

#define CASE_TIMEOUT 20

/* What a fake does after answering the first request. */
enum after { KEEP_SERVING, HANG_UP };

typedef enum after (*misbehaviour) (int sock, const struct fake_request *req);

static char *sockdir;

/* ---- Writing broken chunks ---- */

/* A chunk with arbitrary fields: cancel word, data length word, then
 * `have` bytes of data, inside a message of the right length. */
static void
send_raw_chunk (int sock, int32_t cancel, uint32_t data_len, size_t have)
{
  fake_send_chunk (sock, cancel, data_len, have, 'd');
}

static void
send_data_chunk (int sock, size_t len)
{
  send_raw_chunk (sock, 0, len, len);
}

static void
send_ok (int sock, const struct fake_request *req)
{
  fake_send_ok (sock, req, NULL, NULL);
}

/* ---- Running one case ---- */

/* The case's misbehaviour, for the first call only (the fake's copy
 * is its own: it is set before the fork). */
static misbehaviour first_call;
static bool misbehaved;

/* The first call gets the misbehaviour.  After it: answer calls that
 * return nothing (ping, autosync at shutdown) and refuse the rest,
 * until the library hangs up. */
static bool
serve_case (int sock, const struct fake_request *req, void *opaque)
{
  (void) opaque;
  if (!misbehaved) {
    misbehaved = true;
    return first_call (sock, req) == KEEP_SERVING;
  }
  if (req->proc == GUESTFS_PROC_PING_DAEMON ||
      req->proc == GUESTFS_PROC_INTERNAL_AUTOSYNC)
    send_ok (sock, req);
  else
    fake_send_error (sock, req, "ENOTSUP", "fake daemon: not implemented");
  return true;
}

static struct fake_daemon
start_fake (uint32_t launch_word, misbehaviour fn)
{
  static int n;
  char *path = xasprintf ("%s/s%d", sockdir, n++);
  first_call = fn;
  misbehaved = false;
  struct fake_daemon f = {
    .launch_word = launch_word, .serve = fn ? serve_case : NULL,
    .timeout = CASE_TIMEOUT,
  };
  fake_daemon_start (&f, path);
  free (path);
  return f;
}

static guestfs_h *
launch_against (struct fake_daemon *f)
{
  guestfs_h *g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  if (g == NULL)
    abort ();
  /* The errors are expected: keep them off stderr. */
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_set_backend (g, f->backend) == -1 || guestfs_launch (g) == -1) {
    fprintf (stderr, "FAIL: launch: %s\n", guestfs_last_error (g));
    ++test_failures;
  }
  return g;
}

static void
expect_lost (guestfs_h *g, const char *name, int r, const char *text)
{
  if (r != -1) {
    fprintf (stderr, "%s: FAIL: the call succeeded\n", name);
    ++test_failures;
    return;
  }
  const char *msg = guestfs_last_error (g);
  int err = guestfs_last_errno (g);
  if (err != EIO || msg == NULL || (text && strstr (msg, text) == NULL)) {
    fprintf (stderr, "%s: FAIL: errno %d, message \"%s\" (want EIO, \"%s\")\n",
             name, err, msg ? msg : "(none)", text ? text : "");
    ++test_failures;
  }
  if (guestfs_get_state (g) != 0) {
    fprintf (stderr, "%s: FAIL: state %d after a protocol error\n", name,
             guestfs_get_state (g));
    ++test_failures;
  }
  /* The handle is back in CONFIG: calls say so, nothing crashes. */
  CHECK_ERROR (g, guestfs_ping_daemon (g), EINVAL, "launch");
}

/* A call made against a fake, with its result checked by expect_lost. */
typedef int (*call_fn) (guestfs_h *g);

static void
lost_case (const char *name, misbehaviour fn, call_fn call, const char *text)
{
  alarm (CASE_TIMEOUT);
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, fn);
  guestfs_h *g = launch_against (&f);
  expect_lost (g, name, call (g), text);
  guestfs_close (g);
  fake_daemon_finish (&f, name);
  alarm (0);
}

/* ---- The calls ---- */

static int
call_ping (guestfs_h *g)
{
  return guestfs_ping_daemon (g);
}

static int
call_cat (guestfs_h *g)
{
  char *s = guestfs_cat (g, "/file");
  free (s);
  return s ? 0 : -1;
}

static int
call_ls (guestfs_h *g)
{
  char **l = guestfs_ls (g, "/dir");
  if (l == NULL)
    return -1;
  for (size_t i = 0; l[i]; ++i)
    free (l[i]);
  free (l);
  return 0;
}

static int
call_lstatnslist (guestfs_h *g)
{
  char *names[] = { (char *) "a", (char *) "b", (char *) "c", NULL };
  struct guestfs_statns_list *l = guestfs_lstatnslist (g, "/dir", names);
  guestfs_free_statns_list (l);
  return l ? 0 : -1;
}

static char *download_target;
static char *upload_source;

static int
call_download (guestfs_h *g)
{
  return guestfs_download (g, "/file", download_target);
}

static int
call_upload (guestfs_h *g)
{
  return guestfs_upload (g, upload_source, "/file");
}

/* ---- Misbehaviours ---- */

static enum after
wrong_serial (int sock, const struct fake_request *req)
{
  struct fake_request r = *req;
  r.serial += 1;
  send_ok (sock, &r);
  return KEEP_SERVING;
}

static enum after
wrong_proc (int sock, const struct fake_request *req)
{
  struct fake_request r = *req;
  r.proc = GUESTFS_PROC_SYNC;
  send_ok (sock, &r);
  return KEEP_SERVING;
}

static enum after
wrong_direction (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  h.direction = GUESTFS_DIRECTION_CALL;
  fake_send_message (sock, &h, NULL, NULL);
  return KEEP_SERVING;
}

static enum after
wrong_status (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  h.status = 2;
  fake_send_message (sock, &h, NULL, NULL);
  return KEEP_SERVING;
}

static enum after
wrong_program (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  h.vers = GUESTFS_PROTOCOL_VERSION + 1;
  fake_send_message (sock, &h, NULL, NULL);
  return KEEP_SERVING;
}

static enum after
oversized_length (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, GUESTFS_MESSAGE_MAX + 1);
  return KEEP_SERVING;
}

static enum after
huge_length (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, 0xfffffff0);
  return KEEP_SERVING;
}

static enum after
truncated_message (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  ssize_t n =
    wire_encode_message (fake_scratch, WIRE_BUF_SIZE, &h, NULL, NULL);
  wire_put_u32 (fake_scratch, 100); /* promise more than is sent */
  fake_send_bytes (sock, fake_scratch, n);
  return HANG_UP;
}

static enum after
eof_mid_header (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, 24);
  fake_send_bytes (sock, "\x20\x00\xf5\xf5\x00\x00", 6);
  return HANG_UP;
}

static enum after
eof_mid_length (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_bytes (sock, "\x00\x00", 2);
  return HANG_UP;
}

static enum after
eof_at_once (int sock, const struct fake_request *req)
{
  (void) sock;
  (void) req;
  return HANG_UP;
}

static enum after
short_header (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, 12);
  fake_send_bytes (sock, "garbagegarba", 12);
  return KEEP_SERVING;
}

static enum after
garbage_header (int sock, const struct fake_request *req)
{
  (void) req;
  char junk[40];
  for (size_t i = 0; i < sizeof junk; ++i)
    junk[i] = (char) (i * 37 + 11);
  fake_send_u32 (sock, sizeof junk);
  fake_send_bytes (sock, junk, sizeof junk);
  return KEEP_SERVING;
}

static enum after
trailing_garbage (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message_extra (sock, &h, NULL, NULL, "JUNK", 4);
  return KEEP_SERVING;
}

static enum after
string_with_nul (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message_extra (sock, &h, NULL, NULL, "\0\0\0\x03" "a\0b\0", 8);
  return KEEP_SERVING;
}

static enum after
huge_list_count (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message_extra (sock, &h, NULL, NULL, "\x7f\xff\xff\xff", 4);
  return KEEP_SERVING;
}

/* A list that promises three strings and holds one: the decoder has
 * allocated the array and the first string when it fails. */
static enum after
truncated_list (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message_extra (sock, &h, NULL, NULL,
                           "\0\0\0\x03" "\0\0\0\x01" "a\0\0\0", 12);
  return KEEP_SERVING;
}

/* A statns list far longer than any message could carry. */
static enum after
huge_struct_list (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  fake_send_message_extra (sock, &h, NULL, NULL, "\x00\x10\x00\x00", 4);
  return KEEP_SERVING;
}

/* Valid, but one entry where three names were asked about. */
static enum after
short_struct_list (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_OK);
  char body[4 + 22 * 8];
  memset (body, 0, sizeof body);
  wire_put_u32 (body, 1);
  fake_send_message_extra (sock, &h, NULL, NULL, body, sizeof body);
  return KEEP_SERVING;
}

static enum after
error_bad_errno (int sock, const struct fake_request *req)
{
  fake_send_error (sock, req, "EBOGUS", "mkdir: /x: fake failure");
  return KEEP_SERVING;
}

static enum after
error_no_errno (int sock, const struct fake_request *req)
{
  fake_send_error (sock, req, "", "mkdir: /x: fake failure without errno");
  return KEEP_SERVING;
}

static enum after
error_nul_in_message (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_ERROR);
  fake_send_message_extra (sock, &h, NULL, NULL,
                           "\0\0\0\x06" "ENOENT\0\0"
                           "\0\0\0\x03" "a\0b\0", 20);
  return KEEP_SERVING;
}

static enum after
error_trailing (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_ERROR);
  struct guestfs_message_error e = {
    .errno_string = (char *) "ENOENT", .error_message = (char *) "gone",
  };
  fake_send_message_extra (sock, &h, (xdrproc_t) xdr_guestfs_message_error,
                           &e, "\0\0\0\0", 4);
  return KEEP_SERVING;
}

static enum after
error_truncated (int sock, const struct fake_request *req)
{
  struct guestfs_message_header h =
    fake_reply_header (req, GUESTFS_STATUS_ERROR);
  fake_send_message_extra (sock, &h, NULL, NULL, "\0\0\0\x06" "ENOENT\0\0",
                           12);
  return KEEP_SERVING;
}

static enum after
progress_then_eof (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, GUESTFS_PROGRESS_FLAG);
  fake_send_bytes (sock, "\0\0\0\x01\0\0", 6);
  return HANG_UP;
}

static enum after
chunk_over_limit (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_data_chunk (sock, 1000);
  send_data_chunk (sock, GUESTFS_MAX_CHUNK_SIZE + 4);
  return KEEP_SERVING;
}

static enum after
chunk_length_past_end (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_raw_chunk (sock, 0, 5000, 100);
  return KEEP_SERVING;
}

static enum after
chunk_bad_cancel (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_raw_chunk (sock, 7, 0, 0);
  return KEEP_SERVING;
}

static enum after
chunk_cancel_with_data (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_raw_chunk (sock, 1, 8, 8);
  return KEEP_SERVING;
}

static enum after
chunk_message_over_limit (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  fake_send_u32 (sock, GUESTFS_MESSAGE_MAX + 8);
  return KEEP_SERVING;
}

static enum after
chunks_then_eof (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_data_chunk (sock, 4096);
  send_data_chunk (sock, 4096);
  fake_send_u32 (sock, 8 + 4096);
  fake_send_bytes (sock, "\0\0\0\0\0\0\x10\0", 8);
  return HANG_UP;
}

static enum after
cancel_then_ok (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_data_chunk (sock, 100);
  send_raw_chunk (sock, 1, 0, 0);
  send_ok (sock, req); /* an error reply must follow a cancel */
  return KEEP_SERVING;
}

static enum after
garbage_during_upload (int sock, const struct fake_request *req)
{
  (void) req;
  fake_send_u32 (sock, 0x12345678);
  return KEEP_SERVING;
}

/* ---- Cases that are not protocol errors ---- */

static enum after
behave (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  return KEEP_SERVING;
}

static void
test_fake_is_sane (void)
{
  /* The fake itself, answering correctly: otherwise every failure
   * below could be the fake's fault. */
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, behave);
  guestfs_h *g = launch_against (&f);
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
  CHECK (guestfs_ping_daemon (g) == 0);
  CHECK (guestfs_get_state (g) == 2);
  guestfs_close (g);
  fake_daemon_finish (&f, "sane");
}

static void
test_error_replies (void)
{
  /* Well-formed error replies: the call fails, the handle stays. */
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, error_bad_errno);
  guestfs_h *g = launch_against (&f);
  CHECK_ERROR (g, guestfs_mkdir (g, "/x"), EINVAL, "fake failure");
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
  guestfs_close (g);
  fake_daemon_finish (&f, "bad errno name");

  f = start_fake (GUESTFS_LAUNCH_FLAG, error_no_errno);
  g = launch_against (&f);
  CHECK (guestfs_mkdir (g, "/x") == -1);
  CHECK (guestfs_last_errno (g) == 0);
  CHECK (guestfs_last_error (g) &&
         strstr (guestfs_last_error (g), "without errno"));
  CHECK (guestfs_get_state (g) == 2);
  guestfs_close (g);
  fake_daemon_finish (&f, "no errno");
}

static uint64_t last_position, last_total;
static int progress_calls;

static void
progress_cb (guestfs_h *g, void *opaque, uint64_t event, int h, int flags,
             const char *buf, size_t buf_len, const uint64_t *array,
             size_t array_len)
{
  if (array_len == 4) {
    last_position = array[2];
    last_total = array[3];
    ++progress_calls;
  }
}

static enum after
progress_past_total (int sock, const struct fake_request *req)
{
  char b[WIRE_PROGRESS_LEN];
  wire_encode_progress (b, req->proc, req->serial, 5000, 100);
  fake_send_bytes (sock, b, sizeof b);
  fake_send_u32 (sock, GUESTFS_CANCEL_FLAG); /* stray: ignored */
  send_ok (sock, req);
  return KEEP_SERVING;
}

static void
test_progress_and_flags (void)
{
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, progress_past_total);
  guestfs_h *g = launch_against (&f);
  guestfs_set_event_callback (g, progress_cb, GUESTFS_EVENT_PROGRESS, 0,
                              NULL);
  CHECK (guestfs_ping_daemon (g) == 0);
  CHECK (progress_calls == 1);
  CHECK (last_total == 100 && last_position <= last_total);
  CHECK (guestfs_get_state (g) == 2);
  guestfs_close (g);
  fake_daemon_finish (&f, "progress");
}

static enum after
cancel_then_error (int sock, const struct fake_request *req)
{
  send_ok (sock, req);
  send_data_chunk (sock, 100);
  send_raw_chunk (sock, 1, 0, 0);
  fake_send_error (sock, req, "ENOSPC", "download: /file: disk full");
  return KEEP_SERVING;
}

static void
test_daemon_cancelled_download (void)
{
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, cancel_then_error);
  guestfs_h *g = launch_against (&f);
  CHECK_ERROR (g, call_download (g), ENOSPC, "disk full");
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
  guestfs_close (g);
  fake_daemon_finish (&f, "daemon cancel");
}

/* A well-formed reply whose content does not fit the call: an error,
 * but the stream is still in step, so the handle stays usable. */
static void
test_inconsistent_reply (void)
{
  struct fake_daemon f = start_fake (GUESTFS_LAUNCH_FLAG, short_struct_list);
  guestfs_h *g = launch_against (&f);
  CHECK_ERROR (g, call_lstatnslist (g), EIO, "lstatnslist");
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
  guestfs_close (g);
  fake_daemon_finish (&f, "short struct list");
}

static void
test_launch_failures (void)
{
  struct fake_daemon f = start_fake (0xdeadbeef, NULL);
  guestfs_h *g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK (guestfs_set_backend (g, f.backend) == 0);
  CHECK_ERROR (g, guestfs_launch (g), EIO, "launch flag");
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  fake_daemon_finish (&f, "bad launch flag");

  /* A fake that accepts and hangs up before the flag. */
  f = start_fake (GUESTFS_LAUNCH_FLAG, NULL);
  g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK (guestfs_set_backend (g, f.backend) == 0);
  CHECK (guestfs_launch (g) == 0); /* the flag arrives, then EOF */
  expect_lost (g, "eof after launch", guestfs_ping_daemon (g), NULL);
  guestfs_close (g);
  fake_daemon_finish (&f, "eof after launch");

  /* Nobody listening. */
  g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  guestfs_set_error_handler (g, NULL, NULL);
  char *b;
  if (asprintf (&b, "unix:%s/nobody", sockdir) == -1)
    abort ();
  CHECK (guestfs_set_backend (g, b) == 0);
  CHECK_ERROR (g, guestfs_launch (g), ENOENT, "nobody");
  CHECK (guestfs_get_state (g) == 0);
  free (b);
  guestfs_close (g);
}

/* Random replies: whatever they are, a clean failure. */
static uint64_t rng_state = 88172645463325252ULL;

static uint32_t
rng (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static enum after
random_reply (int sock, const struct fake_request *req)
{
  (void) req;
  size_t len = rng () % 200;
  fake_send_u32 (sock, len);
  for (size_t i = 0; i < len; ++i)
    fake_scratch[i] = rng ();
  fake_send_bytes (sock, fake_scratch, len);
  return KEEP_SERVING;
}

static void
make_local_files (void)
{
  if (asprintf (&download_target, "%s/downloaded", sockdir) == -1 ||
      asprintf (&upload_source, "%s/upload", sockdir) == -1)
    abort ();
  int fd = open (upload_source, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd == -1 || ftruncate (fd, 4 * GUESTFS_MAX_CHUNK_SIZE) == -1)
    abort ();
  close (fd);
}

int
main (void)
{
  signal (SIGPIPE, SIG_IGN);
  sockdir = test_tmpdir ();
  make_local_files ();

  test_fake_is_sane ();
  test_error_replies ();
  test_progress_and_flags ();
  test_daemon_cancelled_download ();
  test_inconsistent_reply ();
  test_launch_failures ();

  lost_case ("wrong serial", wrong_serial, call_ping, "does not match");
  lost_case ("wrong proc", wrong_proc, call_ping, "does not match");
  lost_case ("wrong direction", wrong_direction, call_ping, "does not match");
  lost_case ("wrong status", wrong_status, call_ping, "does not match");
  lost_case ("wrong version", wrong_program, call_ping, "does not match");
  lost_case ("oversized length", oversized_length, call_ping, "over the limit");
  lost_case ("huge length", huge_length, call_ping, "over the limit");
  lost_case ("truncated message", truncated_message, call_ping, "closed");
  lost_case ("eof mid header", eof_mid_header, call_ping, "closed");
  lost_case ("eof mid length", eof_mid_length, call_ping, "closed");
  lost_case ("eof at once", eof_at_once, call_ping, "closed");
  lost_case ("short header", short_header, call_ping, "header");
  lost_case ("garbage header", garbage_header, call_ping, "does not match");
  lost_case ("trailing garbage", trailing_garbage, call_ping,
             "malformed reply");
  lost_case ("string with NUL", string_with_nul, call_cat, "malformed reply");
  lost_case ("huge list count", huge_list_count, call_ls, "malformed reply");
  lost_case ("truncated list", truncated_list, call_ls, "malformed reply");
  lost_case ("huge struct list", huge_struct_list, call_lstatnslist,
             "malformed reply");
  lost_case ("error with NUL", error_nul_in_message, call_ping,
             "malformed error");
  lost_case ("error with trailing garbage", error_trailing, call_ping,
             "malformed error");
  lost_case ("truncated error", error_truncated, call_ping,
             "malformed error");
  lost_case ("progress then eof", progress_then_eof, call_ping, "closed");
  lost_case ("chunk over limit", chunk_over_limit, call_download, "chunk");
  lost_case ("chunk length past end", chunk_length_past_end, call_download,
             "chunk");
  lost_case ("chunk bad cancel", chunk_bad_cancel, call_download, "chunk");
  lost_case ("cancel chunk with data", chunk_cancel_with_data, call_download,
             "chunk");
  lost_case ("chunk message over limit", chunk_message_over_limit,
             call_download, "over the limit");
  lost_case ("eof mid chunk", chunks_then_eof, call_download, "closed");
  lost_case ("cancel then ok", cancel_then_ok, call_download,
             "no error after");
  lost_case ("garbage during upload", garbage_during_upload, call_upload,
             NULL);
  for (int i = 0; i < 20; ++i)
    lost_case ("random reply", random_reply, call_ping, NULL);

  free (download_target);
  free (upload_source);
  return test_result ();
}
