/* Looking into a file's contents with host tools: grep (and zgrep),
 * hexdump, strings, and file(1) after decompression (zfile).
 *
 * Each tool reads the file as its stdin, a descriptor opened inside
 * the sysroot, never a path; an option-like pattern is kept from the
 * tool by "--".
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* Open path, a regular file, for reading by a tool; replies on
 * failure. */
static int
open_for_tool (const char *path)
{
  int fd = open_regular_file (path);
  /* The tools expect blocking reads. */
  if (fd != -1 && fcntl (fd, F_SETFL, 0) == -1) {
    reply_with_perror ("%s", path);
    close (fd);
    return -1;
  }
  return fd;
}

static char *
tool_on_file (const char *const *argv, const char *path)
{
  int fd = open_for_tool (path);
  if (fd == -1)
    return NULL;
  char *out = run_tool (argv, fd, -1);
  close (fd);
  return out;
}

/* ---- grep ---- */

#define GREP_MAX_ARGS 8

char **
do_grep (const char *regex, const char *path, int extended, int fixed,
         int insensitive, int compressed)
{
  extended = OPTARG_SET (0) && extended;
  fixed = OPTARG_SET (1) && fixed;
  if (extended && fixed) {
    reply_with_error_errno (EINVAL, "can't use 'extended' and 'fixed' "
                            "flags at the same time");
    return NULL;
  }
  const char *argv[GREP_MAX_ARGS];
  size_t n = 0;
  argv[n++] = OPTARG_SET (3) && compressed ? "zgrep" : "grep";
  if (extended)
    argv[n++] = "-E";
  if (fixed)
    argv[n++] = "-F";
  if (OPTARG_SET (2) && insensitive)
    argv[n++] = "-i";
  argv[n++] = "--";
  argv[n++] = regex;
  argv[n] = NULL;
  int fd = open_for_tool (path);
  if (fd == -1)
    return NULL;
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdin_fd = fd;
  char *out = NULL, *err = NULL;
  int status = run_command_opts (&out, &err, argv, &opts);
  int saved = errno;
  close (fd);
  /* grep's status 1 is "no line matched": an empty list. */
  if (status == -1 && saved == E2BIG)
    reply_with_error_errno (E2BIG, "%s: the matching lines do not fit in "
                            "a reply (see PROTOCOL LIMITS)", path);
  else if (status == -1)
    reply_with_perror_errno (saved, "%s", argv[0]);
  else if (!(WIFEXITED (status) && WEXITSTATUS (status) == 1) &&
           reply_if_command_failed (argv[0], status, err) == -1)
    status = -1;
  free (err);
  if (status == -1) {
    free (out);
    return NULL;
  }
  return split_lines (out);
}

/* ---- hexdump, strings ---- */

char *
do_hexdump (const char *path)
{
  const char *argv[] = { "hexdump", "-C", NULL };
  return tool_on_file (argv, path);
}

char **
do_strings_e (const char *encoding, const char *path)
{
  if (strlen (encoding) != 1 || strchr ("sSbBlL", encoding[0]) == NULL) {
    reply_with_error_errno (EINVAL, "encoding: \"%s\" is not one of s, S, "
                            "b, l, B, L", encoding);
    return NULL;
  }
  const char *argv[] = { "strings", "-a", "-e", encoding, NULL };
  return split_lines (tool_on_file (argv, path));
}

/* ---- zfile ---- */

char *
do_zfile (const char *meth, const char *path)
{
  const char *decompress;
  if (strcmp (meth, "gzip") == 0 || strcmp (meth, "compress") == 0)
    decompress = "zcat";
  else if (strcmp (meth, "bzip2") == 0)
    decompress = "bzcat";
  else {
    reply_with_error_errno (EINVAL, "meth: \"%s\" is not one of gzip, "
                            "compress, bzip2", meth);
    return NULL;
  }
  int fd = open_for_tool (path);
  if (fd == -1)
    return NULL;
  const char *first[] = { decompress, NULL };
  const char *second[] = { "file", "-b", "-", NULL };
  char *out = run_pipeline (first, fd, second, NULL);
  close (fd);
  if (out)
    out[strcspn (out, "\n")] = '\0';
  return out;
}
