/* Running the storage tools (sfdisk, lvm, cryptsetup, mkfs.*, ...) on
 * top of command.c, with the conventions the storage actions share:
 * decoded exit statuses, the full command line in the verbose log, and
 * error replies that carry the tool's own explanation.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage.h"

static void
log_command (const char *const *argv)
{
  if (!verbose)
    return;
  /* One write, so the line does not interleave with the console. */
  size_t len = 0;
  for (size_t i = 0; argv[i]; ++i)
    len += strlen (argv[i]) + 1;
  char *line = malloc (len + 1);
  if (line == NULL)
    return;
  char *p = line;
  for (size_t i = 0; argv[i]; ++i)
    p += sprintf (p, "%s%s", i ? " " : "", argv[i]);
  fprintf (stderr, "guestfsd: run: %s\n", line);
  free (line);
}

static int
decode_status (int status)
{
  if (status == -1)
    return -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

static void
log_failure (const char *const *argv, int r, char *const *err)
{
  if (!verbose || r == 0)
    return;
  if (r == -1)
    fprintf (stderr, "guestfsd: %s: %m\n", argv[0]);
  else
    fprintf (stderr, "guestfsd: %s: status %d: %s\n", argv[0], r,
             err && *err ? *err : "");
}

int
run_capture (const char *const *argv, char **out, char **err)
{
  log_command (argv);
  int r = decode_status (run_command (out, err, argv));
  log_failure (argv, r, err);
  return r;
}

int
run_with_input (const char *const *argv, const void *in, size_t len, char **out,
                char **err)
{
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdin_pipe = true;
  struct command cmd;
  log_command (argv);
  if (command_start (&cmd, argv, &opts) == -1)
    return -1;
  /* EPIPE means the program stopped reading, for example because it
   * rejected its arguments first: its status and message tell why. */
  if (command_write (&cmd, in, len) == -1 && errno != EPIPE)
    debug ("%s: writing its input: %m", argv[0]);
  int r = decode_status (command_finish (&cmd, out, err));
  log_failure (argv, r, err);
  return r;
}

void
reply_with_program_error (int errnum, const char *program, int status,
                          const char *err, const char *fs, ...)
{
  int saved = errno;
  char *prefix = NULL;
  va_list ap;
  va_start (ap, fs);
  if (vasprintf (&prefix, fs, ap) == -1)
    prefix = NULL;
  va_end (ap);
  const char *pre = prefix ? prefix : "";
  char *text = one_line_message (err ? err : "");
  if (status == -1) {
    int e = errnum ? errnum : saved;
    reply_with_error_errno (e, "%s: %s: %s", pre, program, strerror (e));
  } else if (text && *text)
    reply_with_error_errno (errnum, "%s: %s: %s", pre, program, text);
  else
    reply_with_error_errno (errnum, "%s: %s failed with status %d", pre,
                            program, status);
  free (text);
  free (prefix);
}

int
run_or_reply (const char *subject, const char *const *argv, char **out)
{
  char *err = NULL, *stdout_text = NULL;
  int r = run_capture (argv, &stdout_text, &err);
  if (r != 0) {
    /* Some tools (tune2fs) explain a failure on stdout. */
    bool quiet = err == NULL || err[strspn (err, " \n")] == '\0';
    reply_with_program_error (0, argv[0], r, quiet ? stdout_text : err, "%s",
                              subject);
    free (stdout_text);
    free (err);
    return -1;
  }
  if (out)
    *out = stdout_text;
  else
    free (stdout_text);
  free (err);
  return 0;
}

bool
program_exists (const char *name)
{
  const char *path = getenv ("PATH");
  if (path == NULL)
    path = "/usr/sbin:/usr/bin:/sbin:/bin";
  while (*path) {
    size_t len = strcspn (path, ":");
    char *candidate;
    if (asprintf (&candidate, "%.*s/%s", (int)len, path, name) != -1) {
      bool ok = access (candidate, X_OK) == 0;
      free (candidate);
      if (ok)
        return true;
    }
    path += len;
    if (*path == ':')
      ++path;
  }
  return false;
}

void
argbuf_add (struct argbuf *b, const char *arg)
{
  if (b->n < ARGBUF_MAX - 1)
    b->argv[b->n++] = arg;
  else
    b->overflow = true;
}

void
argbuf_addf (struct argbuf *b, const char *option, const char *fmt, ...)
{
  char *s = NULL;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) == -1)
    s = NULL;
  va_end (ap);
  if (s == NULL || b->nowned == ARGBUF_MAX) {
    free (s);
    b->overflow = true;
    return;
  }
  b->owned[b->nowned++] = s;
  if (option)
    argbuf_add (b, option);
  argbuf_add (b, s);
}

const char *const *
argbuf_argv (struct argbuf *b)
{
  if (b->overflow) {
    reply_with_error_errno (E2BIG, "%s: too many arguments", b->argv[0]);
    return NULL;
  }
  b->argv[b->n] = NULL;
  return b->argv;
}

void
argbuf_free (struct argbuf *b)
{
  for (size_t i = 0; i < b->nowned; ++i)
    free (b->owned[i]);
  b->nowned = 0;
}

int
argbuf_run_or_reply (struct argbuf *b, const char *subject, char **out)
{
  const char *const *argv = argbuf_argv (b);
  int r = argv ? run_or_reply (subject, argv, out) : -1;
  argbuf_free (b);
  return r;
}
