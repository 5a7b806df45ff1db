/* Daemonizing, the pid file and the --fd handshake (see the comment
 * at the top of guestmount.c for the order of start-up).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemonize.h"
#include "guestmount.h"
#include "options.h"

/* ---- Daemonizing ---- */

static int status_pipe = -1;

/* Fork; the parent waits for the child's status and exits with it. */
void
daemonize_start (void)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) == -1) {
    perror ("pipe2");
    exit (EXIT_FAILURE);
  }
  pid_t pid = fork ();
  if (pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (pid > 0) {
    forget_keys (&setup); /* the child has them */
    close (fds[1]);
    char b;
    ssize_t r;
    while ((r = read (fds[0], &b, 1)) == -1 && errno == EINTR)
      ;
    if (r == 1 && b == 0)
      _exit (EXIT_SUCCESS);
    /* No status byte: the child failed (and said why). */
    int status;
    while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
      ;
    _exit (WIFEXITED (status) && WEXITSTATUS (status) != 0
             ? WEXITSTATUS (status)
             : EXIT_FAILURE);
  }
  close (fds[0]);
  status_pipe = fds[1];
}

/* The mount is ready: detach from the terminal and tell the parent. */
void
daemonize_ready (void)
{
  if (status_pipe == -1)
    return;
  setsid ();
  if (chdir ("/") == -1)
    debug ("chdir /: %m");
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2 (null, 0);
    dup2 (null, 1);
    if (!config.verbose)
      dup2 (null, 2);
    close (null);
  }
  char b = 0;
  if (write (status_pipe, &b, 1) != 1)
    debug ("status pipe: %m");
  close (status_pipe);
  status_pipe = -1;
}

/* ---- Pid file ---- */

/* The pid file is often in a directory others can write to (/tmp,
 * /run/user), and guestmount often runs as root: whatever is found at
 * the name must not be followed, opened as a device or truncated
 * unless it is an ordinary file of its own.  The name is made absolute
 * before anything else, since guestmount moves to / when it detaches
 * and removes the file at the end. */
static char *pid_file_abs;
static int pid_fd = -1;
static struct stat pid_st;

static void
pid_file_error (const char *why)
{
  gm_message ("--pid-file %s: %s", pid_file, why);
}

/* The directory resolved, the last name kept as it is (it may be a
 * symbolic link, which must be seen as one). */
static char *
absolute_pid_file (void)
{
  CLEANUP_FREE char *copy = strdup (pid_file);
  if (copy == NULL)
    return NULL;
  char *slash = strrchr (copy, '/');
  const char *base = slash ? slash + 1 : copy;
  const char *dir = slash ? (slash == copy ? "/" : copy) : ".";
  if (slash)
    *slash = '\0';
  if (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0) {
    errno = EISDIR;
    return NULL;
  }
  CLEANUP_FREE char *real_dir = realpath (dir, NULL);
  char *r;
  if (real_dir == NULL ||
      asprintf (&r, "%s%s%s", real_dir, strcmp (real_dir, "/") ? "/" : "",
                base) == -1)
    return NULL;
  return r;
}

/* Open an existing pid file: only a regular file with no other name,
 * looked at without opening what it is (a device or a FIFO) and
 * reopened through the descriptor, so that nothing can be swapped in
 * between. */
static int
open_existing_pid_file (void)
{
  CLEANUP_CLOSE int pfd =
    open (pid_file_abs, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (pfd == -1 || fstat (pfd, &st) == -1) {
    pid_file_error (strerror (errno));
    return -1;
  }
  if (S_ISLNK (st.st_mode)) {
    pid_file_error ("is a symbolic link: refusing to follow it");
    return -1;
  }
  if (!S_ISREG (st.st_mode)) {
    pid_file_error ("exists and is not a regular file: refusing to use it");
    return -1;
  }
  if (st.st_nlink != 1) {
    pid_file_error ("has other names (hard links): refusing to use it");
    return -1;
  }
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", pfd);
  int fd = open (proc, O_WRONLY | O_CLOEXEC);
  if (fd == -1)
    pid_file_error (strerror (errno));
  return fd;
}

/* Open and lock the pid file before anything else, so that a second
 * guestmount using it fails early; its contents come when ready. */
int
pid_file_lock (void)
{
  if (pid_file == NULL)
    return 0;
  pid_file_abs = absolute_pid_file ();
  if (pid_file_abs == NULL) {
    pid_file_error (strerror (errno));
    return -1;
  }
  pid_fd = open (pid_file_abs,
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (pid_fd == -1 && errno != EEXIST) {
    pid_file_error (strerror (errno));
    return -1;
  }
  if (pid_fd == -1 && (pid_fd = open_existing_pid_file ()) == -1)
    return -1;
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  if (fcntl (pid_fd, F_SETLK, &fl) == -1 || fstat (pid_fd, &pid_st) == -1) {
    pid_file_error (errno == EAGAIN || errno == EACCES
                      ? "in use by another process"
                      : strerror (errno));
    close (pid_fd);
    pid_fd = -1;
    return -1;
  }
  return 0;
}

int
pid_file_write (void)
{
  if (pid_fd == -1)
    return 0;
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%ld\n", (long) getpid ());
  if (ftruncate (pid_fd, 0) == -1 || pwrite (pid_fd, buf, n, 0) != n) {
    pid_file_error (strerror (errno));
    return -1;
  }
  return 0;
}

/* Remove the file only if the name still is the file we locked. */
void
pid_file_remove (void)
{
  if (pid_fd == -1)
    return;
  struct stat st;
  if (lstat (pid_file_abs, &st) == 0 && st.st_dev == pid_st.st_dev &&
      st.st_ino == pid_st.st_ino)
    unlink (pid_file_abs);
  close (pid_fd);
  pid_fd = -1;
  free (pid_file_abs);
  pid_file_abs = NULL;
}

void
signal_ready_fd (void)
{
  if (ready_fd < 0)
    return;
  char b = 0;
  if (write (ready_fd, &b, 1) != 1)
    debug ("--fd %d: %m", ready_fd);
  close (ready_fd);
  ready_fd = -1;
}
