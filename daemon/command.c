/* Running external programs: fork and exec, never a shell.
 *
 * The child's stdout and stderr are pipes read with poll(2) while its
 * stdin is fed, so a child that writes a lot before it reads everything
 * cannot deadlock against the daemon.  stdout is either captured (up
 * to a message's worth) or streamed to a callback; stderr is captured
 * for error messages.
 *
 * Guest programs (command, sh) run chrooted into the sysroot.  Host
 * programs (tar, ls, file, the checksum tools) get guest data only
 * through descriptors resolved inside the sysroot; when the daemon
 * runs on the host, a program that writes into the guest tree is also
 * confined with Landlock to writing beneath that one directory, so that
 * a symbolic link planted by the guest cannot make it write elsewhere.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"

/* Enough of stderr for an error message. */
#define STDERR_MAX 65536
/* Captured stdout beyond what a reply can carry is useless. */
#define STDOUT_MAX REPLY_BUDGET

/* ---- The child ---- */

static void __attribute__ ((noreturn))
child_fail (const char *what)
{
  /* stderr is the pipe already: the parent puts this in its message. */
  fprintf (stderr, "%s: %s\n", what, strerror (errno));
  _exit (127);
}

static int
open_stdin (const struct command_opts *o, const int in_pipe[2])
{
  if (o->stdin_pipe)
    return in_pipe[0];
  if (o->stdin_fd >= 0)
    return o->stdin_fd;
  return open ("/dev/null", O_RDONLY);
}

/* dup2, but also right when the descriptor already has its number
 * (dup2 would then leave close-on-exec set). */
static int
move_fd (int from, int to)
{
  if (from == to)
    return fcntl (to, F_SETFD, 0);
  return dup2 (from, to);
}

static void __attribute__ ((noreturn))
run_child (const char *const *argv, const struct command_opts *o,
           const int in_pipe[2], const int out_pipe[2], const int err_pipe[2])
{
  signal (SIGPIPE, SIG_DFL);
  int in = open_stdin (o, in_pipe);
  if (in == -1 || move_fd (in, 0) == -1 || move_fd (out_pipe[1], 1) == -1 ||
      move_fd (err_pipe[1], 2) == -1)
    _exit (127);
  if (o->cwd_fd >= 0 && fchdir (o->cwd_fd) == -1)
    child_fail ("fchdir");
  if (o->confine_fd >= 0 && confine_writes (o->confine_fd) == -1)
    child_fail ("confining the program with Landlock");
  if (o->chroot_sysroot &&
      (chroot (sysroot_len ? sysroot : "/") == -1 || chdir ("/") == -1))
    child_fail ("chroot");
  closefrom (3);
  execvp (argv[0], (char *const *) argv);
  child_fail (argv[0]);
}

/* ---- The parent ---- */

static void
close_pipe (int p[2])
{
  for (int i = 0; i < 2; ++i)
    if (p[i] >= 0)
      close (p[i]);
}

int
command_start (struct command *cmd, const char *const *argv,
               const struct command_opts *opts)
{
  int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
  int err_pipe[2] = { -1, -1 };
  memset (cmd, 0, sizeof *cmd);
  cmd->opts = opts;
  cmd->out.max = STDOUT_MAX;
  cmd->err.max = STDERR_MAX;
  if ((opts->stdin_pipe && pipe2 (in_pipe, O_CLOEXEC) == -1) ||
      pipe2 (out_pipe, O_CLOEXEC) == -1 || pipe2 (err_pipe, O_CLOEXEC) == -1)
    goto fail;
  fflush (stderr);
  cmd->pid = fork ();
  if (cmd->pid == -1)
    goto fail;
  if (cmd->pid == 0)
    run_child (argv, opts, in_pipe, out_pipe, err_pipe);
  close (out_pipe[1]);
  close (err_pipe[1]);
  if (in_pipe[0] >= 0)
    close (in_pipe[0]);
  cmd->in_fd = in_pipe[1];
  cmd->out_fd = out_pipe[0];
  cmd->err_fd = err_pipe[0];
  /* Writes to the child never block the loop: poll says when. */
  if (cmd->in_fd >= 0)
    fcntl (cmd->in_fd, F_SETFL, O_NONBLOCK);
  debug ("started %s, pid %d", argv[0], (int) cmd->pid);
  return 0;

fail:;
  int saved = errno;
  close_pipe (in_pipe);
  close_pipe (out_pipe);
  close_pipe (err_pipe);
  errno = saved;
  return -1;
}

/* Keep the first max bytes; count the rest as truncated. */
static int
buf_append (struct command_buf *b, const char *data, size_t len)
{
  size_t room = b->max - b->len;
  if (len > room) {
    b->truncated = true;
    len = room;
  }
  if (b->len + len + 1 > b->alloc) {
    size_t n = b->alloc ? b->alloc : 4096;
    while (n < b->len + len + 1)
      n *= 2;
    char *p = realloc (b->data, n);
    if (p == NULL)
      return -1;
    b->data = p;
    b->alloc = n;
  }
  memcpy (b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

/* Read what one output pipe has.  At end of file the pipe is closed
 * and *fd set to -1. */
static int
drain (struct command *cmd, int *fd, struct command_buf *b, bool is_stdout)
{
  char buf[65536];
  ssize_t n = read (*fd, buf, sizeof buf);
  if (n == -1)
    return errno == EINTR || errno == EAGAIN ? 0 : -1;
  if (n == 0) {
    close (*fd);
    *fd = -1;
    return 0;
  }
  if (is_stdout && cmd->opts->stdout_cb) {
    if (!cmd->cancelled && cmd->opts->stdout_cb (cmd->opts->opaque, buf, n)
                             == -1) {
      /* Stop the producer; its remaining output is discarded. */
      cmd->cancelled = true;
      kill (cmd->pid, SIGKILL);
    }
    return 0;
  }
  return buf_append (b, buf, n);
}

/* Move data between the daemon and the child until all of buf is
 * written (buf != NULL), or until both outputs reach end of file. */
static int
pump (struct command *cmd, const char *buf, size_t len)
{
  for (;;) {
    bool writing = buf != NULL && len > 0;
    if (buf != NULL && !writing)
      return 0;
    if (!writing && cmd->out_fd == -1 && cmd->err_fd == -1)
      return 0;
    struct pollfd p[3] = {
      { .fd = writing ? cmd->in_fd : -1, .events = POLLOUT },
      { .fd = cmd->out_fd, .events = POLLIN },
      { .fd = cmd->err_fd, .events = POLLIN },
    };
    if (poll (p, 3, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (p[1].revents && drain (cmd, &cmd->out_fd, &cmd->out, true) == -1)
      return -1;
    if (p[2].revents && drain (cmd, &cmd->err_fd, &cmd->err, false) == -1)
      return -1;
    if (writing && p[0].revents) {
      ssize_t n = write (cmd->in_fd, buf, len);
      if (n == -1 && errno != EAGAIN && errno != EINTR)
        return -1; /* EPIPE: the child is gone */
      if (n > 0) {
        buf += n;
        len -= n;
      }
    }
  }
}

int
command_write (struct command *cmd, const void *buf, size_t len)
{
  if (cmd->in_fd == -1) {
    errno = EPIPE;
    return -1;
  }
  return pump (cmd, buf, len);
}

static char *
take_buf (struct command_buf *b)
{
  char *s = b->data ? b->data : strdup ("");
  b->data = NULL;
  return s;
}

int
command_finish (struct command *cmd, char **stdout_r, char **stderr_r)
{
  if (stdout_r)
    *stdout_r = NULL;
  if (stderr_r)
    *stderr_r = NULL;
  if (cmd->in_fd >= 0) {
    close (cmd->in_fd);
    cmd->in_fd = -1;
  }
  int r = pump (cmd, NULL, 0);
  int saved = errno;
  if (r == -1) /* a read error: do not wait forever for the child */
    kill (cmd->pid, SIGKILL);
  if (cmd->out_fd >= 0)
    close (cmd->out_fd);
  if (cmd->err_fd >= 0)
    close (cmd->err_fd);
  int status;
  while (waitpid (cmd->pid, &status, 0) == -1)
    if (errno != EINTR) {
      r = -1;
      saved = errno;
      break;
    }
  if (r == 0 && cmd->cancelled) {
    r = -1;
    saved = ECANCELED;
  }
  if (r == 0 && stdout_r && (*stdout_r = take_buf (&cmd->out)) == NULL)
    r = -1, saved = errno;
  if (stderr_r)
    *stderr_r = take_buf (&cmd->err);
  free (cmd->out.data);
  free (cmd->err.data);
  cmd->out.data = cmd->err.data = NULL;
  if (r == 0 && cmd->out.truncated && !cmd->opts->stdout_cb) {
    r = -1; /* the caller could not reply with all of it */
    saved = E2BIG;
  }
  if (r == -1) {
    if (stdout_r) {
      free (*stdout_r);
      *stdout_r = NULL;
    }
    errno = saved;
    return -1;
  }
  return status;
}

int
run_command_opts (char **stdout_r, char **stderr_r, const char *const *argv,
                  const struct command_opts *opts)
{
  struct command cmd;
  if (command_start (&cmd, argv, opts) == -1)
    return -1;
  return command_finish (&cmd, stdout_r, stderr_r);
}

int
run_command (char **stdout_r, char **stderr_r, const char *const *argv)
{
  static const struct command_opts defaults = COMMAND_OPTS_INIT;
  return run_command_opts (stdout_r, stderr_r, argv, &defaults);
}

char *
one_line_message (const char *err)
{
  while (*err == '\n' || *err == ' ' || *err == '\r')
    ++err;
  size_t len = strlen (err);
  while (len > 0 && (err[len - 1] == '\n' || err[len - 1] == ' ' ||
                     err[len - 1] == '\r'))
    --len;
  if (len > 2048) /* an error message is no place for pages of text */
    len = 2048;
  char *r = malloc (2 * len + 1), *p = r;
  if (r == NULL)
    return NULL;
  for (size_t i = 0; i < len; ++i)
    if (err[i] != '\n')
      *p++ = err[i];
    else if (i + 1 < len && err[i + 1] != '\n') {
      *p++ = ';';
      *p++ = ' ';
    }
  *p = '\0';
  return r;
}

int
reply_if_command_failed (const char *what, int status, const char *err)
{
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  char *e = one_line_message (err ? err : "");
  if (WIFSIGNALED (status))
    reply_with_error ("%s: killed by signal %d%s%s", what, WTERMSIG (status),
                      e && *e ? ": " : "", e ? e : "");
  else
    reply_with_error ("%s: exited with status %d%s%s", what,
                      WEXITSTATUS (status), e && *e ? ": " : "",
                      e ? e : "");
  free (e);
  return -1;
}
