#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

int test_failures;

void
check_error_ (const char *file, int line, guestfs_h *g, const char *call,
              bool failed, int err, const char *text)
{
  if (!failed) {
    fprintf (stderr, "%s:%d: FAIL: %s succeeded, expected an error\n", file,
             line, call);
    ++test_failures;
    return;
  }
  int got = guestfs_last_errno (g);
  const char *msg = guestfs_last_error (g);
  if (err && got != err) {
    fprintf (stderr, "%s:%d: FAIL: %s: errno %d (%s), expected %d (%s); "
             "message: %s\n", file, line, call, got, strerror (got), err,
             strerror (err), msg ? msg : "(none)");
    ++test_failures;
  }
  if (text && (msg == NULL || strstr (msg, text) == NULL)) {
    fprintf (stderr, "%s:%d: FAIL: %s: message \"%s\" lacks \"%s\"\n", file,
             line, call, msg ? msg : "(none)", text);
    ++test_failures;
  }
}

void
check_streq_ (const char *file, int line, const char *expr, const char *got,
              const char *want)
{
  if ((got == NULL) != (want == NULL) ||
      (got && strcmp (got, want) != 0)) {
    fprintf (stderr, "%s:%d: FAIL: %s is \"%s\", expected \"%s\"\n", file,
             line, expr, got ? got : "(null)", want ? want : "(null)");
    ++test_failures;
  }
}

void
check_call_streq_ (const char *file, int line, guestfs_h *g,
                   const char *expr, char *got, const char *want)
{
  if (got == NULL || strcmp (got, want) != 0) {
    fprintf (stderr, "%s:%d: FAIL: %s is \"%s\", expected \"%s\"%s%s\n", file,
             line, expr, got ? got : "(error)", want, got ? "" : ": ",
             got ? "" : guestfs_last_error (g));
    ++test_failures;
  }
  free (got);
}

void
check_errno_ (const char *file, int line, const char *call, long r, int got,
              int want)
{
  if (r != -1 || got != want) {
    fprintf (stderr, "%s:%d: FAIL: %s: returned %ld errno %d (%s), "
             "expected errno %d (%s)\n", file, line, call, r, got,
             strerror (got), want, strerror (want));
    ++test_failures;
  }
}

void
skip (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fputs ("SKIP: ", stdout);
  vprintf (fmt, ap);
  putchar ('\n');
  va_end (ap);
  fflush (stdout);
  exit (SKIP_EXIT);
}

int
test_result (void)
{
  if (test_failures) {
    fprintf (stderr, "%d check(s) failed\n", test_failures);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

/* ---- Temporary directories, removed at exit even after failures ---- */

static char *tmpdirs[16];
static size_t nr_tmpdirs;
static pid_t owner_pid;

static void
remove_tmpdirs (void)
{
  if (getpid () != owner_pid)
    return;
  for (size_t i = 0; i < nr_tmpdirs; ++i) {
    char *cmd;
    /* The daemon may have left read-only directories: make them
     * writable first so that rm -rf can clean up. */
    if (asprintf (&cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'",
                  tmpdirs[i], tmpdirs[i]) != -1) {
      if (system (cmd) != 0)
        fprintf (stderr, "warning: could not remove %s\n", tmpdirs[i]);
      free (cmd);
    }
  }
  nr_tmpdirs = 0;
}

char *
test_tmpdir (void)
{
  const char *base = getenv ("TMPDIR");
  char *t;
  if (asprintf (&t, "%s/guestfs-testXXXXXX", base ? base : "/tmp") == -1 ||
      mkdtemp (t) == NULL) {
    perror ("mkdtemp");
    exit (EXIT_FAILURE);
  }
  if (nr_tmpdirs == 0) {
    owner_pid = getpid ();
    atexit (remove_tmpdirs);
  }
  if (nr_tmpdirs < sizeof tmpdirs / sizeof tmpdirs[0])
    tmpdirs[nr_tmpdirs++] = strdup (t);
  return t;
}

/* ---- The host daemon ---- */

pid_t
test_fork (void)
{
  fflush (NULL);
  pid_t parent = getpid ();
  pid_t pid = fork ();
  if (pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (pid == 0) {
    /* The child must not outlive a test killed by ctest's timeout. */
    prctl (PR_SET_PDEATHSIG, SIGKILL);
    if (getppid () != parent)
      _exit (EXIT_FAILURE);
  }
  return pid;
}

static void
exec_daemon (const char *root, const char *sock, const char *log)
{
  bool verbose = log != NULL;
  if (log) {
    int fd = open (log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0)
      dup2 (fd, 2);
  } else {
    const char *v = getenv ("LIBGUESTFS_DEBUG");
    verbose = v && strcmp (v, "1") == 0;
  }
  execl (GUESTFSD_PATH, "guestfsd", "--sysroot", root, "--listen", "-c",
         sock, verbose ? "-v" : NULL, (char *) NULL);
  perror (GUESTFSD_PATH);
  _exit (EXIT_FAILURE);
}

pid_t
test_spawn_daemon (const char *root, const char *sock, const char *log)
{
  unlink (sock);
  pid_t pid = test_fork ();
  if (pid == 0)
    exec_daemon (root, sock, log);
  /* Started once it listens (a bound on a start-up, not a check). */
  for (int i = 0; i < 1000; ++i) {
    struct stat st;
    if (stat (sock, &st) == 0 && S_ISSOCK (st.st_mode))
      return pid;
    if (waitpid (pid, NULL, WNOHANG) == pid)
      break;
    usleep (10000);
  }
  fprintf (stderr, "guestfsd did not create %s\n", sock);
  kill (pid, SIGKILL);
  exit (EXIT_FAILURE);
}

int
test_reap_daemon (pid_t pid)
{
  int status = -1;
  for (int i = 0; i < 1000; ++i) {
    if (waitpid (pid, &status, WNOHANG) == pid)
      return status;
    usleep (10000);
  }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  fprintf (stderr, "FAIL: guestfsd %d did not exit by itself\n", (int) pid);
  ++test_failures;
  return status;
}

guestfs_h *
test_connect (const char *sock)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    abort ();
  char *backend = xasprintf ("unix:%s", sock);
  if (guestfs_set_backend (g, backend) == -1 || guestfs_launch (g) == -1) {
    fprintf (stderr, "launch against %s failed\n", sock);
    exit (EXIT_FAILURE);
  }
  free (backend);
  return g;
}

static pid_t daemon_pid;

static void
kill_daemon_at_exit (void)
{
  if (daemon_pid > 0) {
    kill (daemon_pid, SIGKILL);
    waitpid (daemon_pid, NULL, 0);
    daemon_pid = 0;
  }
}

guestfs_h *
test_daemon_start (struct test_daemon *td)
{
  td->dir = test_tmpdir ();
  td->root = xasprintf ("%s/root", td->dir);
  td->sock = xasprintf ("%s/sock", td->dir);
  if (mkdir (td->root, 0755) == -1) {
    perror (td->root);
    exit (EXIT_FAILURE);
  }
  td->pid = daemon_pid = test_spawn_daemon (td->root, td->sock, NULL);
  atexit (kill_daemon_at_exit);
  return test_connect (td->sock);
}

void
test_daemon_stop (struct test_daemon *td, guestfs_h *g)
{
  guestfs_close (g);
  /* The daemon exits when the connection closes. */
  int status = test_reap_daemon (td->pid);
  daemon_pid = 0;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    fprintf (stderr, "FAIL: guestfsd exited with status %#x\n", status);
    ++test_failures;
  }
  free (td->root);
  free (td->sock);
  free (td->dir);
}

char *
test_root_path (struct test_daemon *td, const char *path)
{
  return xasprintf ("%s%s", td->root, path);
}

void
test_launch_or_skip (guestfs_h *g)
{
  if (guestfs_launch (g) == -1) {
    int e = guestfs_last_errno (g);
    /* No qemu, no appliance, or a build without the qemu backend:
     * nothing to test here.  Anything else is a failure. */
    if (e == ENOTSUP || e == ENOENT)
      skip ("cannot boot the appliance here: %s", guestfs_last_error (g));
    fprintf (stderr, "FAIL: launch: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
}

/* ---- Small helpers ---- */

char *
xvasprintf (const char *fmt, va_list ap)
{
  char *s;
  if (vasprintf (&s, fmt, ap) == -1)
    abort ();
  return s;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = xvasprintf (fmt, ap);
  va_end (ap);
  return s;
}

void
free_list (char **l)
{
  for (size_t i = 0; l && l[i]; ++i)
    free (l[i]);
  free (l);
}

size_t
list_len (char *const *l)
{
  size_t n = 0;
  while (l && l[n])
    ++n;
  return n;
}

bool
list_has (char *const *l, const char *s)
{
  for (size_t i = 0; l && l[i]; ++i)
    if (strcmp (l[i], s) == 0)
      return true;
  return false;
}

const char *
hash_get (char *const *h, const char *key)
{
  for (size_t i = 0; h && h[i] && h[i + 1]; i += 2)
    if (strcmp (h[i], key) == 0)
      return h[i + 1];
  return NULL;
}

double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_log_event (guestfs_h *g, void *opaque, uint64_t event, int event_handle,
                int flags, const char *buf, size_t buf_len,
                const uint64_t *array, size_t array_len)
{
  (void) g; (void) event; (void) event_handle; (void) flags;
  (void) array; (void) array_len;
  struct test_log *log = opaque;
  char *text = realloc (log->text, log->len + buf_len + 2);
  if (text == NULL)
    abort ();
  log->text = text;
  memcpy (text + log->len, buf, buf_len);
  log->len += buf_len;
  text[log->len++] = '\n';
  text[log->len] = '\0';
}

int
test_log_attach (guestfs_h *g, struct test_log *log, uint64_t events_mask)
{
  return guestfs_set_event_callback (g, test_log_event, events_mask, 0, log) ==
                 -1
             ? -1
             : 0;
}

bool
test_log_has (const struct test_log *log, const char *text)
{
  return log->text && strstr (log->text, text);
}

void
test_log_clear (struct test_log *log)
{
  free (log->text);
  log->text = NULL;
  log->len = 0;
}

void
host_create_sized (const char *path, off_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1 || ftruncate (fd, size) == -1 || close (fd) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

char *
host_read (const char *path, size_t *len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return NULL;
  size_t alloc = 4096, n = 0;
  char *b = malloc (alloc + 1);
  ssize_t r = 0;
  while (b && (r = read (fd, b + n, alloc - n)) > 0) {
    n += r;
    if (n == alloc)
      b = realloc (b, (alloc *= 2) + 1);
  }
  close (fd);
  if (b == NULL || r < 0) {
    free (b);
    return NULL;
  }
  b[n] = '\0';
  if (len)
    *len = n;
  return b;
}

bool
host_content_is (const char *path, const void *want, size_t len)
{
  size_t n;
  char *b = host_read (path, &n);
  bool ok = b && n == len && memcmp (b, want, len) == 0;
  free (b);
  return ok;
}

bool
host_exists (const char *path)
{
  struct stat st;
  return lstat (path, &st) == 0;
}

long
proc_status_field (pid_t pid, const char *field)
{
  char path[64], line[512];
  snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
  FILE *fp = fopen (path, "r");
  long v = -1;
  size_t len = strlen (field);
  while (fp && fgets (line, sizeof line, fp))
    if (strncmp (line, field, len) == 0 && line[len] == ':')
      v = strtol (line + len + 1, NULL, 10);
  if (fp)
    fclose (fp);
  return v;
}

/* Search one mapping [start, end) of mem for needle, a chunk at a time
 * (chunks overlap by len - 1 bytes, so nothing straddling is missed). */
static bool
mapping_holds (int mem, unsigned long start, unsigned long end,
               const void *needle, size_t len)
{
  enum { CHUNK = 1 << 20 };
  static char buf[CHUNK];
  for (unsigned long at = start; at < end;) {
    size_t want = end - at < CHUNK ? end - at : CHUNK;
    ssize_t n = pread (mem, buf, want, (off_t) at);
    if (n <= 0)
      return false; /* not readable (a guard page, vvar...) */
    if (memmem (buf, n, needle, len))
      return true;
    if ((size_t) n < len || at + n >= end)
      break;
    at += n - (len - 1);
  }
  return false;
}

int
process_memory_holds (pid_t pid, const void *needle, size_t len)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/maps", (int) pid);
  FILE *maps = fopen (path, "r");
  snprintf (path, sizeof path, "/proc/%d/mem", (int) pid);
  int mem = open (path, O_RDONLY | O_CLOEXEC);
  if (maps == NULL || mem == -1) {
    if (maps)
      fclose (maps);
    if (mem >= 0)
      close (mem);
    return -1;
  }
  int found = 0, readable = 0;
  char line[512];
  while (!found && fgets (line, sizeof line, maps)) {
    unsigned long start, end;
    char perms[8];
    /* Mappings beyond 1 GiB are reservations (AddressSanitizer's
     * shadow memory, terabytes of it), not data a program fills. */
    if (sscanf (line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
        perms[0] != 'r' || end - start > (1UL << 30))
      continue;
    char probe;
    if (pread (mem, &probe, 1, (off_t) start) == 1)
      ++readable;
    found = mapping_holds (mem, start, end, needle, len);
  }
  fclose (maps);
  close (mem);
  return readable || found ? found : -1;
}
