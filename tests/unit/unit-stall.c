/* The library against a daemon that stalls, floods or will not stop.
 *
 * Each case forks the fake daemon (tests/fake-daemon.c), which
 * misbehaves on the first call and answers any later one (autosync at
 * close) with an empty success.  Every case
 * must end in bounded time: a stalled daemon by the inactivity
 * deadline (the timeout backend setting, 1 s here) or by
 * guestfs_user_cancel, a flood by the library's bounds, a large answer
 * by parsing it in linear time.  alarm() turns a hang into a failure.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake-daemon.h"

#define CASE_TIMEOUT 30

/* What the fake does with the first call; notify is a pipe to the
 * test, written when the fake has reached the point the test waits
 * for. */
typedef void (*behaviour) (int sock, const struct fake_request *req,
                           int notify);

static char *sockdir;

/* ---- The fake daemon's side ---- */

static void
send_chunk (int sock, size_t len, char fill)
{
  fake_send_chunk (sock, 0, len, len, fill);
}

static void
send_cancel_chunk (int sock)
{
  fake_send_chunk (sock, 1, 0, 0, 0);
}

static void
notify_test (int notify)
{
  if (write (notify, "x", 1) != 1)
    _exit (5);
}

/* Wait for the library's cancel word (FileOut). */
static void
await_cancel_word (int sock)
{
  char b[4];
  do
    if (wire_read_full (sock, b, 4) != 0)
      _exit (6);
  while (wire_get_u32 (b) != GUESTFS_CANCEL_FLAG);
}

struct script {
  behaviour first;
  int notify;
  bool done;
};

/* After the first call, every call gets an empty success; where the
 * library still waits for its first reply, the fake's next read is a
 * stall. */
static bool
serve (int sock, const struct fake_request *req, void *opaque)
{
  struct script *s = opaque;
  if (s->done)
    fake_send_ok (sock, req, NULL, NULL);
  else {
    s->done = true;
    s->first (sock, req, s->notify);
  }
  return true;
}

struct fake {
  struct fake_daemon d;
  struct script script;
  int notify; /* the test's end of the pipe */
};

static void
start_fake (struct fake *f, unsigned launch_len, behaviour fn)
{
  static int n;
  int p[2];
  if (pipe2 (p, O_CLOEXEC) == -1)
    abort ();
  f->script = (struct script){ .first = fn, .notify = p[1] };
  f->d = (struct fake_daemon){
    .launch_word = GUESTFS_LAUNCH_FLAG, .launch_len = launch_len,
    .serve = serve, .opaque = &f->script, .timeout = CASE_TIMEOUT,
  };
  char *path = xasprintf ("%s/s%d", sockdir, n++);
  fake_daemon_start (&f->d, path);
  free (path);
  close (p[1]);
  f->notify = p[0];
}

static void
finish_fake (struct fake *f, const char *name)
{
  fake_daemon_finish (&f->d, name);
  close (f->notify);
}

static guestfs_h *
handle_for (struct fake *f, const char *timeout)
{
  guestfs_h *g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  if (g == NULL)
    abort ();
  guestfs_set_error_handler (g, NULL, NULL);
  char *settings[] = { (char *) timeout, NULL };
  CHECK (guestfs_set_backend (g, f->d.backend) == 0);
  CHECK (guestfs_set_backend_settings (g, settings) == 0);
  return g;
}

static guestfs_h *
launch_against (struct fake *f, const char *timeout)
{
  guestfs_h *g = handle_for (f, timeout);
  if (guestfs_launch (g) == -1) {
    fprintf (stderr, "FAIL: launch: %s\n", guestfs_last_error (g));
    ++test_failures;
  }
  return g;
}

/* The call failed with err and a message holding text, and the handle
 * is back in CONFIG (the connection was dropped) or still READY. */
static void
expect_failure (guestfs_h *g, const char *name, int r, int err,
                const char *text, int state)
{
  const char *msg = guestfs_last_error (g);
  if (r != -1 || guestfs_last_errno (g) != err || msg == NULL ||
      strstr (msg, text) == NULL || guestfs_get_state (g) != state) {
    fprintf (stderr, "%s: FAIL: r %d, errno %d, message \"%s\", state %d "
             "(want -1, %d, \"%s\", %d)\n", name, r, guestfs_last_errno (g),
             msg ? msg : "(none)", guestfs_get_state (g), err, text, state);
    ++test_failures;
  }
}

/* ---- Calls ---- */

static char *download_target;

static int
call_ping (guestfs_h *g)
{
  return guestfs_ping_daemon (g);
}

static int
call_download (guestfs_h *g)
{
  return guestfs_download (g, "/file", download_target);
}

static int
call_download_full (guestfs_h *g)
{
  return guestfs_download (g, "/file", "/dev/full");
}

/* ---- Stalls: the inactivity deadline ---- */

static void
say_nothing (int sock, const struct fake_request *req, int notify)
{
  (void) sock, (void) req, (void) notify;
}

static void
stop_mid_length (int sock, const struct fake_request *req, int notify)
{
  (void) req, (void) notify;
  fake_send_bytes (sock, "\0\0", 2);
}

/* A download's reply, and then no chunk. */
static void
reply_then_nothing (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  fake_send_ok (sock, req, NULL, NULL);
}

static void
stop_mid_progress (int sock, const struct fake_request *req, int notify)
{
  (void) req, (void) notify;
  fake_send_u32 (sock, GUESTFS_PROGRESS_FLAG);
  fake_send_bytes (sock, "\0\0\0\x01\0\0", 6);
}

static void
stop_mid_file (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  fake_send_ok (sock, req, NULL, NULL);
  send_chunk (sock, 4096, 'd');
  fake_send_u32 (sock, 8 + 4096);
  fake_send_bytes (sock, "\0\0\0\0\0\0\x10\0", 8);
}

static void
stall_case (const char *name, behaviour fn, int (*call) (guestfs_h *))
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, fn);
  guestfs_h *g = launch_against (&f, "timeout=1");
  expect_failure (g, name, call (g), ETIMEDOUT, "sent and took nothing", 0);
  /* The handle is unusable until launched again, as after a crash. */
  CHECK_ERROR (g, guestfs_ping_daemon (g), EINVAL, "launch");
  guestfs_close (g);
  finish_fake (&f, name);
  alarm (0);
}

static void
test_stalled_launch_flag (void)
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 2, say_nothing);
  guestfs_h *g = handle_for (&f, "timeout=1");
  expect_failure (g, "mid launch flag", guestfs_launch (g), ETIMEDOUT,
                  "launch flag", 0);
  guestfs_close (g);
  finish_fake (&f, "mid launch flag");
  alarm (0);
}

static void
test_bad_timeout_setting (void)
{
  struct fake f;
  start_fake (&f, 0, say_nothing);
  guestfs_h *g = handle_for (&f, "timeout=soon");
  CHECK_ERROR (g, guestfs_launch (g), EINVAL, "timeout=soon");
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  /* The fake never saw a connection: end it. */
  kill (f.d.pid, SIGKILL);
  waitpid (f.d.pid, NULL, 0);
  close (f.notify);
  free (f.d.backend);
}

/* ---- guestfs_user_cancel wakes a stuck call ---- */

struct canceller {
  guestfs_h *g;
  int notify;
  int times; /* cancel after each of this many notifications */
};

static void *
cancel_when_told (void *arg)
{
  struct canceller *c = arg;
  for (int i = 0; i < c->times; ++i) {
    char b;
    if (read (c->notify, &b, 1) != 1)
      break;
    guestfs_user_cancel (c->g);
  }
  return NULL;
}

static void
got_request (int sock, const struct fake_request *req, int notify)
{
  (void) sock, (void) req;
  notify_test (notify);
}

/* A FileOut that stalls; after the cancel word it ends the stream as
 * an honest daemon does. */
static void
stall_then_honour_cancel (int sock, const struct fake_request *req, int notify)
{
  fake_send_ok (sock, req, NULL, NULL);
  send_chunk (sock, 4096, 'd');
  notify_test (notify);
  await_cancel_word (sock);
  send_cancel_chunk (sock);
  fake_send_error (sock, req, "EINTR", "download: cancelled");
}

/* A FileOut that stalls and ignores the cancel word. */
static void
stall_ignoring_cancel (int sock, const struct fake_request *req, int notify)
{
  fake_send_ok (sock, req, NULL, NULL);
  send_chunk (sock, 4096, 'd');
  notify_test (notify);
  await_cancel_word (sock);
  notify_test (notify);
}

static void
cancel_case (const char *name, behaviour fn, int (*call) (guestfs_h *),
             int times, int err, const char *text, int state)
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, fn);
  /* No deadline: only the cancel can end these calls. */
  guestfs_h *g = launch_against (&f, "timeout=0");
  struct canceller c = { g, f.notify, times };
  pthread_t t;
  if (pthread_create (&t, NULL, cancel_when_told, &c) != 0)
    abort ();
  expect_failure (g, name, call (g), err, text, state);
  pthread_join (t, NULL);
  guestfs_close (g);
  finish_fake (&f, name);
  alarm (0);
}

/* ---- Floods ---- */

static void
progress_for_ever (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  char b[WIRE_PROGRESS_LEN];
  wire_encode_progress (b, req->proc, req->serial, 1, 2);
  for (;;)
    fake_send_bytes (sock, b, sizeof b);
}

static void
cancel_words_for_ever (int sock, const struct fake_request *req, int notify)
{
  (void) req, (void) notify;
  for (;;)
    fake_send_u32 (sock, GUESTFS_CANCEL_FLAG);
}

static void
chunks_for_ever (int sock, const struct fake_request *req, char c)
{
  fake_send_ok (sock, req, NULL, NULL);
  for (;;)
    send_chunk (sock, GUESTFS_MAX_CHUNK_SIZE, c);
}

static void
data_for_ever (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  chunks_for_ever (sock, req, 'd');
}

static void
zeros_for_ever (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  chunks_for_ever (sock, req, 0);
}

/* Zeros until the cancel word, then the end an honest daemon sends. */
static void
zeros_until_cancel (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  fake_send_ok (sock, req, NULL, NULL);
  for (;;) {
    char b[4];
    ssize_t n = recv (sock, b, 4, MSG_DONTWAIT | MSG_PEEK);
    if (n == 4 && wire_get_u32 (b) == GUESTFS_CANCEL_FLAG)
      break;
    send_chunk (sock, GUESTFS_MAX_CHUNK_SIZE, 0);
  }
  send_cancel_chunk (sock);
  fake_send_error (sock, req, "ECANCELED", "download: cancelled by the library");
}

static void
flood_case (const char *name, behaviour fn, int (*call) (guestfs_h *),
            const char *text)
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, fn);
  guestfs_h *g = launch_against (&f, "timeout=0");
  expect_failure (g, name, call (g), EIO, text, 0);
  guestfs_close (g);
  finish_fake (&f, name);
  alarm (0);
}

/* Downloads into a regular file stop growing at RLIMIT_FSIZE. */
static void
test_file_size_limit (void)
{
  struct rlimit old, small = { 8 << 20, 8 << 20 };
  getrlimit (RLIMIT_FSIZE, &old);
  small.rlim_max = old.rlim_max;
  CHECK (setrlimit (RLIMIT_FSIZE, &small) == 0);
  flood_case ("zeros for ever", zeros_for_ever, call_download,
              "went on sending");

  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, zeros_until_cancel);
  guestfs_h *g = launch_against (&f, "timeout=0");
  expect_failure (g, "zeros until cancel", call_download (g), EFBIG,
                  download_target, 2);
  guestfs_close (g);
  finish_fake (&f, "zeros until cancel");
  alarm (0);
  CHECK (setrlimit (RLIMIT_FSIZE, &old) == 0);
}

/* ---- A list count the message cannot hold ---- */

static void
huge_struct_list (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  struct guestfs_message_header h = fake_reply_header (req,
                                                      GUESTFS_STATUS_OK);
  /* Just under a million entries of ~180 bytes each, in 4 bytes. */
  fake_send_message_extra (sock, &h, NULL, NULL, "\x00\x0f\xff\xff", 4);
}

/* In a child (VmPeak starts afresh at fork), the decoder must refuse
 * the count without reserving memory for it. */
static void
test_list_count_bound (void)
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, huge_struct_list);
  fflush (NULL);
  pid_t pid = fork ();
  if (pid == 0) {
    guestfs_h *g = launch_against (&f, "timeout=0");
    char *names[] = { (char *) "a", NULL };
    long before = proc_status_field (getpid (), "VmSize");
    struct guestfs_statns_list *l = guestfs_lstatnslist (g, "/dir", names);
    long peak = proc_status_field (getpid (), "VmPeak");
    expect_failure (g, "huge struct list", l ? 0 : -1, EIO,
                    "malformed reply", 0);
    guestfs_free_statns_list (l);
    if (peak - before > 64 * 1024) {
      fprintf (stderr, "huge struct list: FAIL: %ld KiB reserved\n",
               peak - before);
      ++test_failures;
    }
    guestfs_close (g);
    _exit (test_failures ? 1 : 0);
  }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid && WIFEXITED (status) &&
         WEXITSTATUS (status) == 0);
  finish_fake (&f, "huge struct list");
  alarm (0);
}

/* ---- Inspection facts: many roots ---- */

#define MANY_ROOTS 100000

/* Pairs "root", "/dev/sdN" (and with dup, the first root again at the
 * end): parsing that pairwise would take minutes. */
static void
many_roots (int sock, const struct fake_request *req, bool dup)
{
  size_t n = 2 * MANY_ROOTS + (dup ? 2 : 0);
  guestfs_str *v = calloc (n, sizeof *v);
  if (v == NULL)
    _exit (4);
  for (size_t i = 0; i < MANY_ROOTS; ++i) {
    v[2 * i] = (char *) "root";
    if (asprintf (&v[2 * i + 1], "/dev/sd%zu", i) == -1)
      _exit (4);
  }
  if (dup) {
    v[n - 2] = (char *) "root";
    v[n - 1] = v[1];
  }
  struct guestfs_internal_inspect_ret ret = { { n, v } };
  fake_send_ok (sock, req, (xdrproc_t) xdr_guestfs_internal_inspect_ret,
                &ret);
}

static void
many_distinct_roots (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  many_roots (sock, req, false);
}

static void
many_roots_one_twice (int sock, const struct fake_request *req, int notify)
{
  (void) notify;
  many_roots (sock, req, true);
}

static void
test_many_roots (void)
{
  alarm (CASE_TIMEOUT);
  struct fake f;
  start_fake (&f, 0, many_distinct_roots);
  guestfs_h *g = launch_against (&f, "timeout=0");
  char **roots = guestfs_inspect_os (g);
  CHECK (roots != NULL);
  size_t n = 0;
  for (; roots && roots[n]; ++n)
    free (roots[n]);
  free (roots);
  CHECK (n == MANY_ROOTS);
  char *t = guestfs_inspect_get_type (g, "/dev/sd99999");
  CHECK (t && strcmp (t, "unknown") == 0);
  free (t);
  guestfs_close (g);
  finish_fake (&f, "many roots");

  start_fake (&f, 0, many_roots_one_twice);
  g = launch_against (&f, "timeout=0");
  CHECK_ERROR_NULL (g, guestfs_inspect_os (g), EIO, "root named twice");
  guestfs_close (g);
  finish_fake (&f, "a root twice");
  alarm (0);
}

int
main (void)
{
  signal (SIGPIPE, SIG_IGN);
  signal (SIGXFSZ, SIG_IGN);
  sockdir = test_tmpdir ();
  download_target = xasprintf ("%s/downloaded", sockdir);

  test_bad_timeout_setting ();
  test_stalled_launch_flag ();
  stall_case ("no reply", say_nothing, call_ping);
  stall_case ("mid length", stop_mid_length, call_ping);
  stall_case ("mid progress", stop_mid_progress, call_ping);
  stall_case ("after the reply", reply_then_nothing, call_download);
  stall_case ("mid chunk", stop_mid_file, call_download);

  cancel_case ("cancel a stuck call", got_request, call_ping, 1, EINTR,
               "cancelled by user; the appliance was stopped", 0);
  cancel_case ("cancel a stuck download", stall_then_honour_cancel,
               call_download, 1, EINTR, "cancelled by user", 2);
  cancel_case ("cancel a download twice", stall_ignoring_cancel,
               call_download, 2, EINTR,
               "cancelled by user; the appliance was stopped", 0);

  flood_case ("progress for ever", progress_for_ever, call_ping,
              "more progress messages");
  flood_case ("cancel words for ever", cancel_words_for_ever, call_ping,
              "more progress messages");
  flood_case ("data past a write error", data_for_ever, call_download_full,
              "went on sending");
  test_file_size_limit ();
  test_list_count_bound ();
  test_many_roots ();

  free (download_target);
  return test_result ();
}
