/* FileIn and FileOut through a program: the upload fed to its stdin
 * (tar_in, base64_in), or its stdout sent as the download (tar_out,
 * base64_out, compress_out, cpio_out).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "daemon.h"

/* How the program ended: its wait status and what it said. */
struct program_end {
  bool finished;
  int status;
  char *err;
};

static void
wait_program (struct command *cmd, struct program_end *e)
{
  e->finished = true;
  e->status = command_finish (cmd, NULL, &e->err);
}

/* Reply with how the program ended if it failed. */
static int
report_program (struct program_end *e, const char *program,
                const char *subject)
{
  int r;
  if (e->status == -1) {
    reply_with_perror ("%s", subject);
    r = -1;
  }
  else
    r = reply_if_command_failed (program, e->status, e->err);
  free (e->err);
  e->err = NULL;
  return r;
}

/* ---- FileIn ---- */

struct feed {
  struct command cmd;
  struct program_end end;
};

/* When the program stops reading, its exit status decides: a clean
 * exit (it had what it needed, the rest is padding) swallows the rest
 * of the upload, a failure cancels it. */
static int
feed_program (void *opaque, const void *buf, size_t len)
{
  struct feed *f = opaque;
  if (f->end.finished)
    return 0;
  if (command_write (&f->cmd, buf, len) == 0)
    return 0;
  if (errno != EPIPE)
    return -1;
  wait_program (&f->cmd, &f->end);
  if (f->end.status != 0) {
    errno = EPIPE;
    return -1;
  }
  return 0;
}

int
command_receive_input (const char *subject, const char *const *argv,
                       struct command_opts *opts)
{
  opts->stdin_pipe = true;
  struct feed f = { .end = { .finished = false } };
  if (command_start (&f.cmd, argv, opts) == -1) {
    reply_with_perror ("%s", argv[0]);
    return -1;
  }
  int r = receive_file (feed_program, &f);
  int err = errno;
  if (!f.end.finished)
    wait_program (&f.cmd, &f.end);
  /* The program's own message says best what went wrong. */
  if (report_program (&f.end, argv[0], subject) == -1)
    return -1;
  return reply_if_receive_failed (r, err, subject);
}

/* ---- FileOut ---- */

static int
send_output (void *opaque, const void *buf, size_t len)
{
  (void) opaque;
  return send_file_write (buf, len);
}

int
command_send_output (const char *subject, const char *const *argv,
                     struct command_opts *opts, command_feed_fn feed,
                     void *feed_opaque)
{
  opts->stdout_cb = send_output;
  opts->stdin_pipe = feed != NULL;
  struct command cmd;
  if (command_start (&cmd, argv, opts) == -1) {
    reply_with_perror ("%s", argv[0]);
    return -1;
  }
  int fed = feed ? feed (&cmd, feed_opaque) : 0;
  struct program_end end;
  wait_program (&cmd, &end);
  if (fed == -1) {
    free (end.err);
    return -1;
  }
  if (report_program (&end, argv[0], subject) == -1)
    return -1;
  send_file_end (0);
  return 0;
}

/* ---- A pipeline of two programs ---- */

static int
feed_second (void *opaque, const void *buf, size_t len)
{
  return command_write (opaque, buf, len);
}

/* Reply for a pipeline: the second program's failure says most, then
 * the first's, unless the first was only stopped because the second
 * had read all it wanted. */
static int
report_pipeline (const char *const *first, int s1, int err1,
                 const char *e1, const char *const *second, int s2,
                 int err2, const char *e2)
{
  if (s2 == -1) {
    if (err2 == E2BIG)
      reply_with_error_errno (E2BIG, "%s: the output does not fit in a "
                              "reply (see PROTOCOL LIMITS)", second[0]);
    else
      reply_with_perror_errno (err2, "%s", second[0]);
    return -1;
  }
  if (reply_if_command_failed (second[0], s2, e2) == -1)
    return -1;
  if (s1 == -1 && err1 == ECANCELED)
    return 0;
  if (s1 == -1) {
    reply_with_perror_errno (err1, "%s", first[0]);
    return -1;
  }
  return reply_if_command_failed (first[0], s1, e1);
}

char *
run_pipeline (const char *const *first, int in_fd,
              const char *const *second, size_t *len_r)
{
  struct command_opts o2 = COMMAND_OPTS_INIT;
  o2.stdin_pipe = true;
  struct command c2;
  if (command_start (&c2, second, &o2) == -1) {
    reply_with_perror ("%s", second[0]);
    return NULL;
  }
  struct command_opts o1 = COMMAND_OPTS_INIT;
  o1.stdin_fd = in_fd;
  o1.stdout_cb = feed_second;
  o1.opaque = &c2;
  struct command c1;
  char *e1 = NULL, *e2 = NULL, *out = NULL;
  int s1 = -1, err1 = 0;
  if (command_start (&c1, first, &o1) == -1)
    err1 = errno;
  else {
    s1 = command_finish (&c1, NULL, &e1);
    err1 = errno;
  }
  int s2 = command_finish (&c2, &out, &e2);
  int err2 = errno;
  if (report_pipeline (first, s1, err1, e1, second, s2, err2, e2) == -1) {
    free (out);
    out = NULL;
  }
  else if (len_r)
    *len_r = c2.out.len;
  free (e1);
  free (e2);
  return out;
}
