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

static bool
wait_for_socket (const char *path, pid_t pid)
{
  for (int i = 0; i < 500; ++i) {
    struct stat st;
    if (stat (path, &st) == 0 && S_ISSOCK (st.st_mode))
      return true;
    if (waitpid (pid, NULL, WNOHANG) == pid)
      return false;
    usleep (10000);
  }
  return false;
}

guestfs_h *
test_daemon_start (struct test_daemon *td)
{
  td->dir = test_tmpdir ();
  if (asprintf (&td->root, "%s/root", td->dir) == -1 ||
      asprintf (&td->sock, "%s/sock", td->dir) == -1 ||
      mkdir (td->root, 0755) == -1) {
    perror ("test_daemon_start");
    exit (EXIT_FAILURE);
  }
  pid_t parent = getpid ();
  td->pid = fork ();
  if (td->pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (td->pid == 0) {
    /* The daemon must not outlive a test killed by ctest's timeout. */
    prctl (PR_SET_PDEATHSIG, SIGKILL);
    if (getppid () != parent)
      _exit (EXIT_FAILURE);
    const char *v = getenv ("LIBGUESTFS_DEBUG");
    execl (GUESTFSD_PATH, "guestfsd", "--sysroot", td->root, "--listen",
           "-c", td->sock, v && strcmp (v, "1") == 0 ? "-v" : NULL,
           (char *) NULL);
    perror (GUESTFSD_PATH);
    _exit (EXIT_FAILURE);
  }
  daemon_pid = td->pid;
  atexit (kill_daemon_at_exit);
  if (!wait_for_socket (td->sock, td->pid)) {
    fprintf (stderr, "guestfsd did not create %s\n", td->sock);
    exit (EXIT_FAILURE);
  }
  guestfs_h *g = guestfs_create ();
  char *backend;
  if (g == NULL || asprintf (&backend, "unix:%s", td->sock) == -1) {
    perror ("guestfs_create");
    exit (EXIT_FAILURE);
  }
  if (guestfs_set_backend (g, backend) == -1 || guestfs_launch (g) == -1)
    exit (EXIT_FAILURE);
  free (backend);
  return g;
}

void
test_daemon_stop (struct test_daemon *td, guestfs_h *g)
{
  guestfs_close (g);
  /* The daemon exits when the connection closes. */
  int status;
  for (int i = 0; i < 500; ++i) {
    if (waitpid (td->pid, &status, WNOHANG) == td->pid) {
      daemon_pid = 0;
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        fprintf (stderr, "FAIL: guestfsd exited with status %#x\n", status);
        ++test_failures;
      }
      break;
    }
    usleep (10000);
  }
  kill_daemon_at_exit ();
  free (td->root);
  free (td->sock);
  free (td->dir);
}

char *
test_root_path (struct test_daemon *td, const char *path)
{
  char *p;
  if (asprintf (&p, "%s%s", td->root, path) == -1)
    abort ();
  return p;
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
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) == -1)
    abort ();
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
