/* Running the builder's helper programs (supermin, decompressors) with
 * their output passed to the log line by line. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance-internal.h"

/* One line of a helper's output: to the log, and to the tail kept for
 * error messages (most recent lines that fit). */
static void
emit_line (struct ctx *c, const char *prog, const char *line, size_t linelen,
           char *tail, size_t taillen)
{
  debug (c, "%s: %.*s", prog, (int) linelen, line);
  if (tail == NULL || taillen == 0)
    return;
  size_t tl = strlen (tail);
  while (tl + linelen + 2 > taillen && tl > 0) {
    char *p = strchr (tail, '\n');
    if (p == NULL) {
      tail[0] = '\0';
      tl = 0;
      break;
    }
    memmove (tail, p + 1, strlen (p + 1) + 1);
    tl = strlen (tail);
  }
  if (tl + linelen + 2 <= taillen) {
    memcpy (tail + tl, line, linelen);
    tail[tl + linelen] = '\n';
    tail[tl + linelen + 1] = '\0';
  }
}

/* Runs argv with stdin from in_fd (or /dev/null if -1) and stdout into
 * out_fd (or a log pipe if -1).  Output that is not redirected is passed
 * to the log callback line by line, and the tail of it kept for error
 * messages.  Returns the wait status, or -1 if the program could not be
 * started. */
int
run_program (struct ctx *c, char *const argv[], int in_fd, int out_fd,
             char *tail, size_t taillen)
{
  int pfd[2];
  pid_t pid;
  int status;
  char buf[4096];
  size_t used = 0;
  int errpipe[2];
  int child_errno = 0;

  char *prog = find_program (argv[0]);

  if (tail && taillen)
    tail[0] = '\0';
  if (prog == NULL) {
    errno = ENOENT;
    return fail_errno (c, "cannot run %s", argv[0]);
  }
  if (pipe2 (pfd, O_CLOEXEC) == -1) {
    free (prog);
    return fail_errno (c, "pipe");
  }
  /* Reports exec failure; closed by a successful exec (O_CLOEXEC). */
  if (pipe2 (errpipe, O_CLOEXEC) == -1) {
    close (pfd[0]); close (pfd[1]);
    free (prog);
    return fail_errno (c, "pipe");
  }
  pid = fork ();
  if (pid == -1) {
    close (pfd[0]); close (pfd[1]); close (errpipe[0]); close (errpipe[1]);
    free (prog);
    return fail_errno (c, "fork");
  }
  if (pid == 0) {
    /* Only async-signal-safe calls between fork and exec. */
    struct sigaction sa;
    int null = open ("/dev/null", O_RDWR|O_CLOEXEC);
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction (SIGPIPE, &sa, NULL);
    dup2 (in_fd >= 0 ? in_fd : null, 0);
    dup2 (out_fd >= 0 ? out_fd : pfd[1], 1);
    dup2 (pfd[1], 2);
    execv (prog, argv);
    int e = errno;
    if (write (errpipe[1], &e, sizeof e) == -1)
      _exit (126);
    _exit (127);
  }
  free (prog);
  close (pfd[1]);
  close (errpipe[1]);
  if (read (errpipe[0], &child_errno, sizeof child_errno) != sizeof child_errno)
    child_errno = 0;
  close (errpipe[0]);

  for (;;) {
    ssize_t r = read (pfd[0], buf + used, sizeof buf - 1 - used);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    used += r;
    buf[used] = '\0';
    char *nl;
    /* Emit complete lines; a line longer than the buffer is split. */
    while ((nl = strchr (buf, '\n')) != NULL || used == sizeof buf - 1) {
      size_t linelen = nl ? (size_t) (nl - buf) : used;
      emit_line (c, argv[0], buf, linelen, tail, taillen);
      size_t consumed = nl ? linelen + 1 : linelen;
      memmove (buf, buf + consumed, used - consumed);
      used -= consumed;
      buf[used] = '\0';
    }
  }
  if (used > 0)
    emit_line (c, argv[0], buf, used, tail, taillen);
  close (pfd[0]);
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return fail_errno (c, "waitpid");
  if (child_errno) {
    errno = child_errno;
    return fail_errno (c, "cannot run %s", argv[0]);
  }
  return status;
}

void
strip_trailing_newline (char *s)
{
  size_t n = strlen (s);
  while (n > 0 && s[n-1] == '\n')
    s[--n] = '\0';
}
