/* The appliance's qemu as a confined, well-parented process: under a
 * seccomp filter, as an unprivileged user when the caller is root, with
 * valid stdio when the caller has none, and living as long as the
 * process, whichever thread launched it. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "qemu-procs.h"

/* A hang guard for waits on other processes, not a timing assertion. */
#define GUARD_MS 120000

static char *disk;

static guestfs_h *
launched (void)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL || guestfs_add_drive_opts (g, disk,
                                           GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                           "raw", -1) == -1 ||
      guestfs_launch (g) == -1)
    return NULL;
  return g;
}

/* As root, qemu runs as another user and cannot write the caller's
 * TMPDIR when it is private: it still gets a place for the appliance
 * disk's overlay. */
static void
test_private_tmpdir (void)
{
  if (geteuid () != 0)
    return;
  char *private = test_tmpdir ();
  CHECK (chmod (private, 0700) == 0);
  const char *old = getenv ("TMPDIR");
  char *saved = old ? strdup (old) : NULL;
  setenv ("TMPDIR", private, 1);
  guestfs_h *g = launched ();
  CHECK (g != NULL);
  CHECK (g && guestfs_ping_daemon (g) == 0);
  guestfs_close (g);
  if (saved)
    setenv ("TMPDIR", saved, 1);
  else
    unsetenv ("TMPDIR");
  free (saved);
  free (private);
}

static void *
launch_in_thread (void *arg)
{
  *(guestfs_h **) arg = launched ();
  return NULL;
}

/* Launch from a thread that then exits: the appliance lives on. */
static guestfs_h *
launch_from_dead_thread (void)
{
  guestfs_h *g = NULL;
  pthread_t t;
  if (pthread_create (&t, NULL, launch_in_thread, &g) != 0)
    abort ();
  pthread_join (t, NULL);
  return g;
}

/* One appliance for both: launched from a thread that has exited, and
 * confined. */
static void
test_thread_exits_and_sandbox (void)
{
  guestfs_h *g = launch_from_dead_thread ();
  CHECK (g != NULL);
  pid_t q = qemu_child_of (getpid ());
  CHECK (q > 0);
  CHECK (proc_status_field (q, "Seccomp") == 2);
  if (geteuid () == 0)
    CHECK (proc_status_field (q, "Uid") > 0);
  /* The disk reached qemu as a descriptor, not as a name to open. */
  CHECK (count_qemu_using (disk) == 1);
  CHECK (g && guestfs_ping_daemon (g) == 0);
  char **devs = g ? guestfs_list_devices (g) : NULL;
  CHECK (devs && devs[0] && !devs[1]);
  for (size_t i = 0; devs && devs[i]; ++i)
    free (devs[i]);
  free (devs);
  guestfs_close (g);
}

/* Wait until pid has exited (it need not be our child). */
static bool
exits (pid_t pid)
{
  int fd = syscall (SYS_pidfd_open, pid, 0);
  if (fd == -1)
    return errno == ESRCH;
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int r = poll (&p, 1, GUARD_MS);
  close (fd);
  return r == 1;
}

/* A process that launched from a finished thread is SIGKILLed: its
 * qemu goes with it. */
static void
test_process_killed (void)
{
  int p[2];
  if (pipe (p) == -1)
    abort ();
  fflush (NULL);
  pid_t child = fork ();
  if (child == 0) {
    close (p[0]);
    guestfs_h *g = launch_from_dead_thread ();
    pid_t q = g ? qemu_child_of (getpid ()) : -1;
    if (write (p[1], &q, sizeof q) != sizeof q)
      _exit (1);
    pause ();
    _exit (0);
  }
  close (p[1]);
  pid_t q = -1;
  CHECK (read (p[0], &q, sizeof q) == sizeof q);
  close (p[0]);
  CHECK (q > 0);
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  CHECK (q > 0 && exits (q));
}

/* Where qemu's descriptor fd points. */
static void
fd_target (pid_t q, int fd, char *buf, size_t len)
{
  char link[64];
  snprintf (link, sizeof link, "/proc/%d/fd/%d", (int) q, fd);
  ssize_t n = readlink (link, buf, len - 1);
  buf[n > 0 ? n : 0] = '\0';
}

/* A caller that starts with 0, 1 and 2 closed: qemu still gets
 * /dev/null and the console pipe, and the appliance works. */
static void
test_stdio_closed (void)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) == -1)
    abort ();
  fflush (NULL);
  pid_t child = fork ();
  if (child == 0) {
    /* The report pipe stays at 3 or above. */
    int report = fcntl (p[1], F_DUPFD_CLOEXEC, 10);
    close (0);
    close (1);
    close (2);
    guestfs_h *g = launched ();
    char out[3][256] = { "", "", "" };
    pid_t q = g ? qemu_child_of (getpid ()) : -1;
    for (int fd = 0; fd < 3 && q > 0; ++fd)
      fd_target (q, fd, out[fd], sizeof out[fd]);
    int ping = g ? guestfs_ping_daemon (g) : -1;
    dprintf (report, "%d\n%s\n%s\n%s\n", ping, out[0], out[1], out[2]);
    guestfs_close (g);
    _exit (0);
  }
  close (p[1]);
  char buf[2048] = "";
  size_t got = 0;
  ssize_t n;
  while ((n = read (p[0], buf + got, sizeof buf - 1 - got)) > 0)
    got += n;
  buf[got] = '\0';
  close (p[0]);
  waitpid (child, NULL, 0);
  char *lines[4] = { NULL };
  char *save = NULL, *s = buf;
  for (int i = 0; i < 4; ++i, s = NULL)
    lines[i] = strtok_r (s, "\n", &save);
  if (!lines[0] || !lines[3]) {
    fprintf (stderr, "FAIL: stdio closed: the child said \"%s\"\n", buf);
    ++test_failures;
    return;
  }
  CHECK (strcmp (lines[0], "0") == 0);
  CHECK (strcmp (lines[1], "/dev/null") == 0);
  CHECK (strncmp (lines[2], "pipe:", 5) == 0);
  CHECK (strcmp (lines[2], lines[3]) == 0);
}

int
main (void)
{
  signal (SIGPIPE, SIG_IGN);
  char *tmp = test_tmpdir ();
  if (asprintf (&disk, "%s/disk.img", tmp) == -1)
    abort ();
  int fd = open (disk, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd == -1 || ftruncate (fd, 64 << 20) == -1 || close (fd) == -1)
    abort ();

  test_thread_exits_and_sandbox ();
  test_private_tmpdir ();
  test_process_killed ();
  test_stdio_closed ();

  free (disk);
  free (tmp);
  return test_result ();
}
