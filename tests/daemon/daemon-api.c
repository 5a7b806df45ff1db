/* The library's API around the calls, against a host guestfsd: trace
 * output (no buffer contents), events (close, launch_done,
 * subprocess_quit, progress through the old one-callback interface),
 * per-thread errors, state checks, the three ways of passing optional
 * arguments, and the debugging calls on the host: what they refuse
 * there, and those that end the daemon (each on a daemon of its own). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon-util.h"
#include "guestfs_protocol.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))

/* ---- Trace ---- */

static char *trace_text; /* every trace message, one per line */

static void
trace_recorder (guestfs_h *h, void *opaque, uint64_t event, int eh, int flags,
                const char *buf, size_t len, const uint64_t *array,
                size_t array_len)
{
  char *t;
  if (asprintf (&t, "%s%.*s\n", trace_text ? trace_text : "", (int) len,
                buf) == -1)
    abort ();
  free (trace_text);
  trace_text = t;
}

static void
test_trace (void)
{
  static const char secret[] = "SECRET-CONTENT-1234";
  int cb = guestfs_set_event_callback (g, trace_recorder, GUESTFS_EVENT_TRACE,
                                       0, NULL);
  CHECK (cb >= 0);
  CHECK (guestfs_set_trace (g, 1) == 0);
  CHECK (guestfs_get_trace (g) == 1);
  CHECK (guestfs_write (g, "/traced", secret, sizeof secret - 1) == 0);
  size_t size;
  char *back = guestfs_read_file (g, "/traced", &size);
  CHECK (back && size == sizeof secret - 1);
  free (back);
  CHECK (guestfs_mkdir (g, "/traced-dir\n") == 0);
  CHECK (guestfs_set_trace (g, 0) == 0);
  CHECK (guestfs_mkdir (g, "/untraced") == 0);
  guestfs_delete_event_callback (g, cb);

  CHECK (trace_text != NULL);
  if (trace_text == NULL)
    return;
  CHECK (strstr (trace_text, "write \"/traced\" <buffer of 19 bytes>\n"));
  CHECK (strstr (trace_text, "write = 0\n"));
  CHECK (strstr (trace_text, "read_file \"/traced\"\n"));
  CHECK (strstr (trace_text, "read_file = <buffer of 19 bytes>\n"));
  CHECK (strstr (trace_text, "SECRET") == NULL);
  /* Control characters are quoted, so a path cannot forge a line. */
  CHECK (strstr (trace_text, "mkdir \"/traced-dir\\x0a\"\n"));
  CHECK (strstr (trace_text, "untraced") == NULL);
  free (trace_text);
  trace_text = NULL;
}

/* A remote drive's password (add_drive_opts's secret) is traced as
 * ***, with LIBGUESTFS_TRACE as with set_trace. */
static void
test_trace_secret (void)
{
  setenv ("LIBGUESTFS_TRACE", "1", 1);
  guestfs_h *h = guestfs_create ();
  unsetenv ("LIBGUESTFS_TRACE");
  CHECK (h != NULL);
  if (h == NULL)
    return;
  CHECK (guestfs_set_event_callback (h, trace_recorder, GUESTFS_EVENT_TRACE,
                                     0, NULL) >= 0);
  CHECK (guestfs_get_trace (h) == 1);
  const char *servers[] = { "127.0.0.1:8080", NULL };
  CHECK (guestfs_add_drive_opts (h, "/disk.img",
                                 GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_PROTOCOL, "http",
                                 GUESTFS_ADD_DRIVE_OPTS_SERVER, servers,
                                 GUESTFS_ADD_DRIVE_OPTS_USERNAME, "someone",
                                 GUESTFS_ADD_DRIVE_OPTS_SECRET, "hunter2-PW",
                                 -1) == 0);
  guestfs_close (h);
  CHECK (trace_text != NULL);
  if (trace_text == NULL)
    return;
  CHECK (strstr (trace_text, "add_drive \"/disk.img\"") != NULL);
  CHECK (strstr (trace_text, " username:\"someone\"") != NULL);
  CHECK (strstr (trace_text, " secret:\"***\"") != NULL);
  CHECK (strstr (trace_text, "hunter2") == NULL);
  free (trace_text);
  trace_text = NULL;
}

/* ---- Events ---- */

static char event_order[64];

static void
event_recorder (guestfs_h *h, void *opaque, uint64_t event, int eh, int flags,
                const char *buf, size_t len, const uint64_t *array,
                size_t array_len)
{
  char c = event == GUESTFS_EVENT_LAUNCH_DONE       ? 'L'
           : event == GUESTFS_EVENT_SUBPROCESS_QUIT ? 'Q'
           : event == GUESTFS_EVENT_CLOSE           ? 'C'
                                                    : 0;
  size_t n = strlen (event_order);
  if (c && n + 1 < sizeof event_order)
    event_order[n] = c;
}

static int legacy_launch, legacy_quit, legacy_close;

static void
on_launch (guestfs_h *h, void *opaque)
{
  legacy_launch += opaque == &legacy_launch;
}

static void
on_quit (guestfs_h *h, void *opaque)
{
  legacy_quit += opaque == &legacy_quit;
}

static void
on_close (guestfs_h *h, void *opaque)
{
  legacy_close += opaque == &legacy_close;
}

static void
test_lifecycle_events (void)
{
  /* A second daemon, so that a fresh handle can be launched. */
  char *dir = test_tmpdir (), *root, *sock;
  if (asprintf (&root, "%s/root", dir) == -1 ||
      asprintf (&sock, "%s/sock", dir) == -1 || mkdir (root, 0755) == -1)
    abort ();
  pid_t pid = test_spawn_daemon (root, sock, NULL);

  guestfs_h *h = guestfs_create ();
  CHECK (guestfs_set_event_callback (h, event_recorder,
                                     GUESTFS_EVENT_LAUNCH_DONE |
                                       GUESTFS_EVENT_SUBPROCESS_QUIT |
                                       GUESTFS_EVENT_CLOSE,
                                     0, NULL) >= 0);
  guestfs_set_launch_done_callback (h, on_launch, &legacy_launch);
  guestfs_set_subprocess_quit_callback (h, on_quit, &legacy_quit);
  guestfs_set_close_callback (h, on_close, &legacy_close);
  char *backend;
  if (asprintf (&backend, "unix:%s", sock) == -1)
    abort ();
  CHECK (guestfs_set_backend (h, backend) == 0);
  free (backend);
  CHECK (guestfs_get_state (h) == 0);
  CHECK (strcmp (event_order, "") == 0);
  CHECK (guestfs_launch (h) == 0);
  CHECK (guestfs_get_state (h) == 2);
  CHECK (strcmp (event_order, "L") == 0 && legacy_launch == 1);
  CHECK (guestfs_ping_daemon (h) == 0);
  CHECK (guestfs_shutdown (h) == 0);
  CHECK (guestfs_get_state (h) == 0);
  CHECK (strcmp (event_order, "LQ") == 0 && legacy_quit == 1);
  CHECK (guestfs_shutdown (h) == 0); /* again: nothing to do */
  CHECK (strcmp (event_order, "LQ") == 0);
  guestfs_close (h);
  CHECK (strcmp (event_order, "LQC") == 0 && legacy_close == 1);
  int status = test_reap_daemon (pid);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  free (root);
  free (sock);
  free (dir);
}

struct legacy_progress {
  int calls, bad_proc, backwards;
  uint64_t last_pos, last_total;
};

static void
legacy_progress_cb (guestfs_h *h, void *opaque, int proc, int serial,
                    uint64_t position, uint64_t total)
{
  struct legacy_progress *p = opaque;
  p->bad_proc += proc != GUESTFS_PROC_DOWNLOAD;
  p->backwards += p->calls > 0 && position < p->last_pos;
  p->last_pos = position;
  p->last_total = total;
  ++p->calls;
}

static void
test_legacy_progress (void)
{
  const uint64_t size = 3 * 1024 * 1024 + 5;
  make_random_file (H ("/prog"), size, 3);
  char *local;
  if (asprintf (&local, "%s/prog", td.dir) == -1)
    abort ();
  struct legacy_progress p = { 0 };
  guestfs_set_progress_callback (g, legacy_progress_cb, &p);
  CHECK (guestfs_download (g, "/prog", local) == 0);
  CHECK (p.calls >= 2 && p.bad_proc == 0 && p.backwards == 0);
  CHECK (p.last_pos == size && p.last_total == size);
  CHECK (hash_file (local) == hash_file (H ("/prog")));

  int before = p.calls;
  guestfs_set_progress_callback (g, NULL, NULL);
  CHECK (guestfs_download (g, "/prog", local) == 0);
  CHECK (p.calls == before);
  free (local);
}

/* ---- Errors are per thread ---- */

static pthread_barrier_t barrier;

struct thread_case {
  const char *path;
  int (*call) (guestfs_h *, const char *);
  int want_errno;
  int failures;
};

static void *
provoke (void *arg)
{
  struct thread_case *c = arg;
  pthread_barrier_wait (&barrier);
  for (int i = 0; i < 300; ++i) {
    int r = c->call (g, c->path);
    /* Give the other thread a chance to fail in between. */
    if ((i & 7) == 0)
      sched_yield ();
    const char *msg = guestfs_last_error (g);
    if (r != -1 || guestfs_last_errno (g) != c->want_errno || msg == NULL ||
        strstr (msg, c->path) == NULL)
      ++c->failures;
  }
  return NULL;
}

static void
test_thread_errors (void)
{
  CHECK (guestfs_touch (g, "/afile") == 0);
  guestfs_set_error_handler (g, NULL, NULL);
  struct thread_case a = { "/missing-a/x", guestfs_mkdir, ENOENT, 0 };
  struct thread_case b = { "/afile", guestfs_rmdir, ENOTDIR, 0 };
  pthread_t ta, tb;
  pthread_barrier_init (&barrier, NULL, 2);
  CHECK (pthread_create (&ta, NULL, provoke, &a) == 0);
  CHECK (pthread_create (&tb, NULL, provoke, &b) == 0);
  pthread_join (ta, NULL);
  pthread_join (tb, NULL);
  pthread_barrier_destroy (&barrier);
  CHECK (a.failures == 0);
  CHECK (b.failures == 0);
  /* This thread made no failing call since: its error is its own. */
  CHECK (guestfs_mkdir (g, "/afile") == -1);
  CHECK (guestfs_last_errno (g) == EEXIST);
}

/* ---- States ---- */

static void
test_states (void)
{
  guestfs_h *h = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  guestfs_set_error_handler (h, NULL, NULL);
  CHECK (guestfs_get_state (h) == 0);
  CHECK (guestfs_is_config (h) == 1 && guestfs_is_ready (h) == 0);
  CHECK_ERROR (h, guestfs_mkdir (h, "/x"), EINVAL, "launch");
  CHECK_ERROR (h, guestfs_ping_daemon (h), EINVAL, "launch");
  CHECK_ERROR_NULL (h, guestfs_cat (h, "/x"), EINVAL, "launch");
  CHECK_ERROR (h, guestfs_upload (h, "/dev/null", "/x"), EINVAL, "launch");
  /* The backend is not reached: no drive, no daemon, a clear error. */
  CHECK_ERROR (h, guestfs_launch (h), EINVAL, "drive");
  CHECK (guestfs_get_state (h) == 0);
  struct guestfs_version *v = guestfs_version (h);
  CHECK (v && v->major >= 1);
  guestfs_free_version (v);
  guestfs_close (h);

  /* Configuration calls once launched. */
  CHECK (guestfs_is_ready (g) == 1);
  CHECK_ERROR (g, guestfs_set_backend (g, "direct"), EINVAL, "CONFIG");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/dev/null", -1), EINVAL,
               "CONFIG");
  CHECK_ERROR (g, guestfs_launch (g), EINVAL, "CONFIG");
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
}

/* ---- Optional arguments, three ways ---- */

static int
is_file_va (guestfs_h *h, const char *path, ...)
{
  va_list ap;
  va_start (ap, path);
  int r = guestfs_is_file_opts_va (h, path, ap);
  va_end (ap);
  return r;
}

static int
add_drive_va (guestfs_h *h, const char *file, ...)
{
  va_list ap;
  va_start (ap, file);
  int r = guestfs_add_drive_opts_va (h, file, ap);
  va_end (ap);
  return r;
}

struct outcome {
  int r, err;
  char msg[512];
};

static struct outcome
outcome_of (guestfs_h *h, int r)
{
  struct outcome o = { .r = r, .err = r == -1 ? guestfs_last_errno (h) : 0 };
  const char *m = guestfs_last_error (h);
  snprintf (o.msg, sizeof o.msg, "%s", r == -1 && m ? m : "");
  return o;
}

/* The three forms must agree on the result, the errno and the message.
 * (An unknown option is the one exception: the varargs forms name its
 * number, the argv form only sees a bitmask.) */
static void
check_same (const char *what, struct outcome a, struct outcome b,
            struct outcome c, int want_r, int want_err)
{
  bool unknown = strstr (what, "unknown") != NULL;
  if (a.r != want_r || b.r != want_r || c.r != want_r ||
      a.err != want_err || b.err != want_err || c.err != want_err ||
      strcmp (a.msg, b.msg) != 0 ||
      (!unknown && strcmp (a.msg, c.msg) != 0) ||
      (want_r == -1 && (a.msg[0] == '\0' || c.msg[0] == '\0'))) {
    fprintf (stderr, "%s: FAIL: varargs %d/%d \"%s\", va %d/%d \"%s\", "
             "argv %d/%d \"%s\"; want %d/%d\n", what, a.r, a.err, a.msg, b.r,
             b.err, b.msg, c.r, c.err, c.msg, want_r, want_err);
    ++test_failures;
  }
}

#define IS_FILE_3(what, want_r, want_err, argv, ...)                          \
  do {                                                                        \
    struct guestfs_is_file_opts_argv o_ = argv;                               \
    struct outcome a_ =                                                       \
      outcome_of (g, guestfs_is_file_opts (g, "/lnk", __VA_ARGS__));          \
    struct outcome b_ = outcome_of (g, is_file_va (g, "/lnk", __VA_ARGS__));  \
    struct outcome c_ =                                                       \
      outcome_of (g, guestfs_is_file_opts_argv (g, "/lnk", &o_));             \
    check_same (what, a_, b_, c_, want_r, want_err);                          \
  } while (0)

static void
test_is_file_forms (void)
{
  CHECK (guestfs_write (g, "/target", "t", 1) == 0);
  CHECK (guestfs_ln_s (g, "target", "/lnk") == 0);
  const uint64_t follow = GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS_BITMASK;
  IS_FILE_3 ("follow", 1, 0,
             ((struct guestfs_is_file_opts_argv) { .bitmask = follow,
                                                   .followsymlinks = 1 }),
             GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1);
  IS_FILE_3 ("no follow", 0, 0,
             ((struct guestfs_is_file_opts_argv) { .bitmask = follow,
                                                   .followsymlinks = 0 }),
             GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 0, -1);
  /* Absent: the default, whatever the struct field holds. */
  IS_FILE_3 ("default", 0, 0,
             ((struct guestfs_is_file_opts_argv) { .bitmask = 0,
                                                   .followsymlinks = 1 }),
             -1);
  CHECK (guestfs_is_file_opts_argv (g, "/lnk", NULL) == 0);
  CHECK (guestfs_is_file (g, "/lnk") == 0);
  guestfs_set_error_handler (g, NULL, NULL);
  IS_FILE_3 ("unknown", -1, EINVAL,
             ((struct guestfs_is_file_opts_argv) { .bitmask = 1 << 7 }), 7, 1,
             -1);
  CHECK (guestfs_is_file_opts (g, "/lnk", GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS,
                               1, GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 0,
                               -1) == -1);
  CHECK (guestfs_last_errno (g) == EINVAL);
  CHECK (guestfs_get_state (g) == 2);
}

#define ADD_DRIVE_3(h, what, file, want_r, want_err, argv, ...)               \
  do {                                                                        \
    struct guestfs_add_drive_opts_argv o_ = argv;                             \
    struct outcome a_ =                                                       \
      outcome_of (h, guestfs_add_drive_opts (h, file, __VA_ARGS__));          \
    struct outcome b_ = outcome_of (h, add_drive_va (h, file, __VA_ARGS__));  \
    struct outcome c_ =                                                       \
      outcome_of (h, guestfs_add_drive_opts_argv (h, file, &o_));             \
    check_same (what, a_, b_, c_, want_r, want_err);                          \
  } while (0)

#define DRIVE_ARGV(...) ((struct guestfs_add_drive_opts_argv) { __VA_ARGS__ })

static void
test_add_drive_forms (void)
{
  char *disk, *missing, *colon;
  if (asprintf (&disk, "%s/disk.img", td.dir) == -1 ||
      asprintf (&missing, "%s/missing.img", td.dir) == -1 ||
      asprintf (&colon, "%s/a:b.img", td.dir) == -1)
    abort ();
  int fd = open (disk, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK (fd >= 0 && ftruncate (fd, 1024 * 1024) == 0);
  close (fd);
  write_host_file (colon, "", 0);

  guestfs_h *h = guestfs_create ();
  guestfs_set_error_handler (h, NULL, NULL);
  ADD_DRIVE_3 (h, "all options", disk, 0, 0,
               DRIVE_ARGV (.bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK |
                                      GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK |
                                      GUESTFS_ADD_DRIVE_OPTS_NAME_BITMASK |
                                      GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK |
                                      GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK |
                                      GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK,
                           .readonly = 1, .format = "raw",
                           .name = "disk", .label = "data",
                           .cachemode = "unsafe", .blocksize = 4096),
               GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
               GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
               GUESTFS_ADD_DRIVE_OPTS_NAME, "disk",
               GUESTFS_ADD_DRIVE_OPTS_LABEL, "data",
               GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "unsafe",
               GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE, 4096, -1);
  ADD_DRIVE_3 (h, "no options", disk, 0, 0, DRIVE_ARGV (.bitmask = 0), -1);
  ADD_DRIVE_3 (h, "bad format", disk, -1, EINVAL,
               DRIVE_ARGV (.bitmask = GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK,
                           .format = "raw; rm -rf"),
               GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw; rm -rf", -1);
  ADD_DRIVE_3 (h, "bad label", disk, -1, EINVAL,
               DRIVE_ARGV (.bitmask = GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK,
                           .label = "not a label"),
               GUESTFS_ADD_DRIVE_OPTS_LABEL, "not a label", -1);
  ADD_DRIVE_3 (h, "bad blocksize", disk, -1, EINVAL,
               DRIVE_ARGV (.bitmask = GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK,
                           .blocksize = 1000),
               GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE, 1000, -1);
  ADD_DRIVE_3 (h, "bad cachemode", disk, -1, EINVAL,
               DRIVE_ARGV (.bitmask = GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK,
                           .cachemode = "none"),
               GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "none", -1);
  ADD_DRIVE_3 (h, "unknown option", disk, -1, EINVAL,
               DRIVE_ARGV (.bitmask = UINT64_C (1) << 40), 40, 0, -1);
  ADD_DRIVE_3 (h, "missing file", missing, -1, ENOENT,
               DRIVE_ARGV (.bitmask = 0), -1);
  ADD_DRIVE_3 (h, "colon", colon, -1, EINVAL, DRIVE_ARGV (.bitmask = 0), -1);
  CHECK_ERROR (h, guestfs_add_drive_opts (h, disk,
                                          GUESTFS_ADD_DRIVE_OPTS_FORMAT, "bad!",
                                          -1),
               EINVAL, "format");
  CHECK_ERROR (h, guestfs_add_drive_opts (h, missing, -1), ENOENT,
               "missing.img");
  CHECK (guestfs_get_state (h) == 0);
  guestfs_close (h);
  free (disk);
  free (missing);
  free (colon);
}

/* ---- Debugging calls ---- */

static void
test_debug_on_host (void)
{
  char *const none[] = {NULL};
  char *help = guestfs_debug (g, "help", none);
  CHECK (help && strncmp (help, "Commands supported: help ", 25) == 0);
  free (help);
  char *const words[] = {(char *) "word", (char *) "two", NULL};
  CHECK_CALL_STREQ (g, guestfs_debug (g, "print", words), "ok");
  char *const twelve[] = {(char *) "12", NULL};
  CHECK_ERROR_NULL (g, guestfs_debug (g, "error", twelve), EROFS,
                    "aaaaaaaaaaaa");
  /* What would act on the host is refused. */
  char *const cmd[] = {(char *) "id", NULL};
  CHECK_ERROR_NULL (g, guestfs_debug (g, "sh", cmd), EPERM, "host");
  CHECK_ERROR_NULL (g, guestfs_debug (g, "ls", none), EPERM, "host");
  CHECK_ERROR_NULL (g, guestfs_debug (g, "nosuchcommand", none), EINVAL,
                    "unknown");
  char *src = xasprintf ("%s/upload-src", td.dir);
  write_host_file (src, "x", 1);
  char *dest = xasprintf ("%s/upload-dest", td.dir);
  CHECK_ERROR (g, guestfs_debug_upload (g, src, dest, 0600), EPERM, "host");
  CHECK_ERROR (g, guestfs_internal_upload (g, src, dest, 0600), EPERM, "host");
  CHECK (!host_exists (dest));
  CHECK_ERROR (g, guestfs_internal_rhbz914931 (g, src, 0), EINVAL, "count");
  /* Fewer chunks than count: the upload is received whole. */
  OK (g, guestfs_internal_rhbz914931 (g, src, 2));
  CHECK (guestfs_ping_daemon (g) == 0);
  OK (g, guestfs_internal_write (g, "/iw", "abc", 3));
  OK (g, guestfs_internal_write_append (g, "/iw", "def", 3));
  CHECK (host_content_is (H ("/iw"), "abcdef", 6));
  free (src);
  free (dest);
}

/* A daemon of its own, a handle on it, and the host file to upload. */
struct own_daemon {
  char *dir, *root, *sock;
  pid_t pid;
  guestfs_h *h;
};

static void
own_daemon_start (struct own_daemon *d)
{
  d->dir = test_tmpdir ();
  d->root = xasprintf ("%s/root", d->dir);
  d->sock = xasprintf ("%s/sock", d->dir);
  if (mkdir (d->root, 0755) == -1)
    abort ();
  d->pid = test_spawn_daemon (d->root, d->sock, NULL);
  d->h = test_connect (d->sock);
}

/* The daemon's end; a clean exit or not, as expected. */
static void
own_daemon_end (struct own_daemon *d, bool clean)
{
  guestfs_close (d->h);
  int status = test_reap_daemon (d->pid);
  CHECK ((WIFEXITED (status) && WEXITSTATUS (status) == 0) == clean);
  free (d->dir);
  free (d->root);
  free (d->sock);
}

static void
test_daemon_endings (void)
{
  /* The crashes are on purpose: no core files. */
  struct rlimit no_core = {0, 0};
  setrlimit (RLIMIT_CORE, &no_core);

  struct own_daemon d;
  own_daemon_start (&d);
  OK (d.h, guestfs_internal_exit (d.h));
  CHECK (guestfs_ping_daemon (d.h) == -1);
  own_daemon_end (&d, true);

  own_daemon_start (&d);
  char *const none[] = {NULL};
  CHECK_ERROR_NULL (d.h, guestfs_debug (d.h, "segv", none), 0, NULL);
  own_daemon_end (&d, false);

  /* The daemon dies during an upload: the call fails, without hanging. */
  own_daemon_start (&d);
  char *src = xasprintf ("%s/chunk", d.dir);
  write_host_file (src, "one chunk", 9);
  CHECK_ERROR (d.h, guestfs_internal_rhbz914931 (d.h, src, 1), 0, NULL);
  free (src);
  own_daemon_end (&d, false);
}

int
main (void)
{
  g = test_daemon_start (&td);
  test_trace ();
  test_trace_secret ();
  test_lifecycle_events ();
  test_legacy_progress ();
  test_states ();
  test_is_file_forms ();
  test_add_drive_forms ();
  test_thread_errors ();
  test_debug_on_host ();
  test_daemon_endings ();
  test_daemon_stop (&td, g);
  return test_result ();
}
