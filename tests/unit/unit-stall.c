/* The library against a daemon that stalls, floods or will not stop.
 *
 * Each case forks a fake daemon on a Unix socket (the unix:PATH
 * backend connects to it), as unit-hostile-daemon does.  Every case
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
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "wire.h"

#define CASE_TIMEOUT 30

struct request {
  unsigned proc, serial;
};

/* What the fake does; notify is a pipe to the test, written when the
 * fake has reached the point the test waits for. */
typedef void (*behaviour) (int sock, const struct request *req, int notify);

static char *sockdir;
static char *scratch;

/* ---- The fake daemon ---- */

static void
send_bytes (int sock, const void *b, size_t len)
{
  if (wire_write_full (sock, b, len) == -1)
    _exit (3); /* the library hung up: expected in most cases */
}

static void
send_u32 (int sock, uint32_t v)
{
  char b[4];
  wire_put_u32 (b, v);
  send_bytes (sock, b, 4);
}

static void
send_reply (int sock, const struct request *req,
            enum guestfs_message_status status, xdrproc_t xdrp,
            const void *body)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = req->proc, .direction = GUESTFS_DIRECTION_REPLY,
    .serial = req->serial, .status = status,
  };
  ssize_t n = wire_encode_message (scratch, WIRE_BUF_SIZE, &h, xdrp, body);
  if (n < 0)
    _exit (4);
  send_bytes (sock, scratch, n);
}

static void
send_error (int sock, const struct request *req, const char *errname,
            const char *msg)
{
  struct guestfs_message_error e = {
    .errno_string = (char *) errname, .error_message = (char *) msg,
  };
  send_reply (sock, req, GUESTFS_STATUS_ERROR,
              (xdrproc_t) xdr_guestfs_message_error, &e);
}

/* A FileOut data chunk of len bytes of c. */
static void
send_chunk (int sock, size_t len, char c)
{
  size_t body = 8 + ((len + 3) & ~(size_t) 3);
  wire_put_u32 (scratch, body);
  wire_put_u32 (scratch + 4, 0);
  wire_put_u32 (scratch + 8, len);
  memset (scratch + 12, c, body - 8);
  send_bytes (sock, scratch, 4 + body);
}

static void
send_cancel_chunk (int sock)
{
  ssize_t n = wire_encode_chunk (scratch, WIRE_BUF_SIZE, 1, NULL, 0);
  if (n < 0)
    _exit (4);
  send_bytes (sock, scratch, n);
}

static void
notify_test (int notify)
{
  if (write (notify, "x", 1) != 1)
    _exit (5);
}

static int
read_request (int sock, struct request *req)
{
  char lb[4];
  if (wire_read_full (sock, lb, 4) != 0)
    return -1;
  uint32_t len = wire_get_u32 (lb);
  if (len > GUESTFS_MESSAGE_MAX || wire_read_full (sock, scratch, len) != 0)
    return -1;
  XDR xdr;
  struct guestfs_message_header h;
  if (wire_decode_header (&xdr, scratch, len, &h) == -1)
    return -1;
  xdr_destroy (&xdr);
  req->proc = h.proc;
  req->serial = h.serial;
  return 0;
}

/* Send nothing more; read (and drop) whatever comes until the library
 * hangs up. */
static void __attribute__ ((noreturn))
stall (int sock)
{
  char b[4096];
  while (read (sock, b, sizeof b) > 0)
    ;
  _exit (0);
}

/* After the case: answer every request well (autosync at close), send
 * nothing else.  Where the library still waits for its first reply,
 * this is a stall. */
static void __attribute__ ((noreturn))
serve_well (int sock)
{
  struct request req;
  while (read_request (sock, &req) == 0)
    send_reply (sock, &req, GUESTFS_STATUS_OK, NULL, NULL);
  _exit (0);
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

struct fake {
  pid_t pid;
  char *backend;
  int notify; /* read end */
};

static struct fake
start_fake (const char *launch_bytes, size_t launch_len, behaviour fn)
{
  static int n;
  struct fake f;
  char *path;
  if (asprintf (&path, "%s/s%d", sockdir, n++) == -1 ||
      asprintf (&f.backend, "unix:%s", path) == -1)
    abort ();
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  strcpy (addr.sun_path, path);
  int l = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int p[2];
  if (l == -1 || bind (l, (struct sockaddr *) &addr, sizeof addr) == -1 ||
      listen (l, 1) == -1 || pipe2 (p, O_CLOEXEC) == -1) {
    perror ("fake daemon");
    exit (EXIT_FAILURE);
  }
  fflush (NULL);
  f.pid = fork ();
  if (f.pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (f.pid == 0) {
    alarm (CASE_TIMEOUT);
    close (p[0]);
    int sock = accept (l, NULL, NULL);
    if (sock == -1)
      _exit (2);
    close (l);
    send_bytes (sock, launch_bytes, launch_len);
    if (launch_len < 4)
      stall (sock);
    struct request req;
    if (read_request (sock, &req) == 0)
      fn (sock, &req, p[1]);
    serve_well (sock);
  }
  close (p[1]);
  close (l);
  free (path);
  f.notify = p[0];
  return f;
}

static void
finish_fake (struct fake *f, const char *name)
{
  int status;
  if (waitpid (f->pid, &status, 0) != f->pid || !WIFEXITED (status) ||
      (WEXITSTATUS (status) != 0 && WEXITSTATUS (status) != 3)) {
    fprintf (stderr, "%s: FAIL: the fake daemon ended with status %#x\n",
             name, status);
    ++test_failures;
  }
  close (f->notify);
  free (f->backend);
}

static char launch_flag[4];

static guestfs_h *
handle_for (struct fake *f, const char *timeout)
{
  guestfs_h *g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  if (g == NULL)
    abort ();
  guestfs_set_error_handler (g, NULL, NULL);
  char *settings[] = { (char *) timeout, NULL };
  CHECK (guestfs_set_backend (g, f->backend) == 0);
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
say_nothing (int sock, const struct request *req, int notify)
{
  (void) sock, (void) req, (void) notify;
}

static void
stop_mid_length (int sock, const struct request *req, int notify)
{
  (void) req, (void) notify;
  send_bytes (sock, "\0\0", 2);
}

/* A download's reply, and then no chunk. */
static void
reply_then_nothing (int sock, const struct request *req, int notify)
{
  (void) notify;
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
}

static void
stop_mid_progress (int sock, const struct request *req, int notify)
{
  (void) req, (void) notify;
  send_u32 (sock, GUESTFS_PROGRESS_FLAG);
  send_bytes (sock, "\0\0\0\x01\0\0", 6);
}

static void
stop_mid_file (int sock, const struct request *req, int notify)
{
  (void) notify;
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
  send_chunk (sock, 4096, 'd');
  send_u32 (sock, 8 + 4096);
  send_bytes (sock, "\0\0\0\0\0\0\x10\0", 8);
}

static void
stall_case (const char *name, behaviour fn, int (*call) (guestfs_h *))
{
  alarm (CASE_TIMEOUT);
  struct fake f = start_fake (launch_flag, 4, fn);
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
  struct fake f = start_fake (launch_flag, 2, say_nothing);
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
  struct fake f = start_fake (launch_flag, 4, say_nothing);
  guestfs_h *g = handle_for (&f, "timeout=soon");
  CHECK_ERROR (g, guestfs_launch (g), EINVAL, "timeout=soon");
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  /* The fake never saw a connection: end it. */
  kill (f.pid, SIGKILL);
  waitpid (f.pid, NULL, 0);
  close (f.notify);
  free (f.backend);
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
got_request (int sock, const struct request *req, int notify)
{
  (void) sock, (void) req;
  notify_test (notify);
}

/* A FileOut that stalls; after the cancel word it ends the stream as
 * an honest daemon does. */
static void
stall_then_honour_cancel (int sock, const struct request *req, int notify)
{
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
  send_chunk (sock, 4096, 'd');
  notify_test (notify);
  await_cancel_word (sock);
  send_cancel_chunk (sock);
  send_error (sock, req, "EINTR", "download: cancelled");
}

/* A FileOut that stalls and ignores the cancel word. */
static void
stall_ignoring_cancel (int sock, const struct request *req, int notify)
{
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
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
  struct fake f = start_fake (launch_flag, 4, fn);
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
progress_for_ever (int sock, const struct request *req, int notify)
{
  (void) notify;
  char b[WIRE_PROGRESS_LEN];
  wire_encode_progress (b, req->proc, req->serial, 1, 2);
  for (;;)
    send_bytes (sock, b, sizeof b);
}

static void
cancel_words_for_ever (int sock, const struct request *req, int notify)
{
  (void) req, (void) notify;
  for (;;)
    send_u32 (sock, GUESTFS_CANCEL_FLAG);
}

static void
chunks_for_ever (int sock, const struct request *req, char c)
{
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
  for (;;)
    send_chunk (sock, GUESTFS_MAX_CHUNK_SIZE, c);
}

static void
data_for_ever (int sock, const struct request *req, int notify)
{
  (void) notify;
  chunks_for_ever (sock, req, 'd');
}

static void
zeros_for_ever (int sock, const struct request *req, int notify)
{
  (void) notify;
  chunks_for_ever (sock, req, 0);
}

/* Zeros until the cancel word, then the end an honest daemon sends. */
static void
zeros_until_cancel (int sock, const struct request *req, int notify)
{
  (void) notify;
  send_reply (sock, req, GUESTFS_STATUS_OK, NULL, NULL);
  for (;;) {
    char b[4];
    ssize_t n = recv (sock, b, 4, MSG_DONTWAIT | MSG_PEEK);
    if (n == 4 && wire_get_u32 (b) == GUESTFS_CANCEL_FLAG)
      break;
    send_chunk (sock, GUESTFS_MAX_CHUNK_SIZE, 0);
  }
  send_cancel_chunk (sock);
  send_error (sock, req, "ECANCELED", "download: cancelled by the library");
}

static void
flood_case (const char *name, behaviour fn, int (*call) (guestfs_h *),
            const char *text)
{
  alarm (CASE_TIMEOUT);
  struct fake f = start_fake (launch_flag, 4, fn);
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
  struct fake f = start_fake (launch_flag, 4, zeros_until_cancel);
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
huge_struct_list (int sock, const struct request *req, int notify)
{
  (void) notify;
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION,
    .proc = req->proc, .direction = GUESTFS_DIRECTION_REPLY,
    .serial = req->serial, .status = GUESTFS_STATUS_OK,
  };
  ssize_t n = wire_encode_message (scratch, WIRE_BUF_SIZE, &h, NULL, NULL);
  if (n < 0)
    _exit (4);
  /* Just under a million entries of ~180 bytes each, in 4 bytes. */
  memcpy (scratch + n, "\x00\x0f\xff\xff", 4);
  wire_put_u32 (scratch, n);
  send_bytes (sock, scratch, n + 4);
}

static long
vm_kib (const char *field)
{
  FILE *fp = fopen ("/proc/self/status", "r");
  char line[256];
  long v = -1;
  size_t len = strlen (field);
  while (fp && fgets (line, sizeof line, fp))
    if (strncmp (line, field, len) == 0 && line[len] == ':')
      v = strtol (line + len + 1, NULL, 10);
  if (fp)
    fclose (fp);
  return v;
}

/* In a child (VmPeak starts afresh at fork), the decoder must refuse
 * the count without reserving memory for it. */
static void
test_list_count_bound (void)
{
  alarm (CASE_TIMEOUT);
  struct fake f = start_fake (launch_flag, 4, huge_struct_list);
  fflush (NULL);
  pid_t pid = fork ();
  if (pid == 0) {
    guestfs_h *g = launch_against (&f, "timeout=0");
    char *names[] = { (char *) "a", NULL };
    long before = vm_kib ("VmSize");
    struct guestfs_statns_list *l = guestfs_lstatnslist (g, "/dir", names);
    long peak = vm_kib ("VmPeak");
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
many_roots (int sock, const struct request *req, bool dup)
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
  send_reply (sock, req, GUESTFS_STATUS_OK,
              (xdrproc_t) xdr_guestfs_internal_inspect_ret, &ret);
}

static void
many_distinct_roots (int sock, const struct request *req, int notify)
{
  (void) notify;
  many_roots (sock, req, false);
}

static void
many_roots_one_twice (int sock, const struct request *req, int notify)
{
  (void) notify;
  many_roots (sock, req, true);
}

static void
test_many_roots (void)
{
  alarm (CASE_TIMEOUT);
  struct fake f = start_fake (launch_flag, 4, many_distinct_roots);
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

  f = start_fake (launch_flag, 4, many_roots_one_twice);
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
  wire_put_u32 (launch_flag, GUESTFS_LAUNCH_FLAG);
  scratch = malloc (WIRE_BUF_SIZE + 64);
  if (scratch == NULL ||
      asprintf (&download_target, "%s/downloaded", sockdir) == -1)
    abort ();

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

  free (scratch);
  free (download_target);
  return test_result ();
}
