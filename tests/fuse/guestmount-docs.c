/* Every option guestmount and guestunmount accept is documented in
 * their manual page and in --help, and every option the manual page
 * documents is accepted.  The programs list what their getopt tables
 * hold with --long-options and --short-options.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_OPTS 128

struct optset {
  char *v[MAX_OPTS];
  size_t n;
};

static void
add (struct optset *s, const char *opt, size_t len)
{
  for (size_t i = 0; i < s->n; ++i)
    if (strlen (s->v[i]) == len && strncmp (s->v[i], opt, len) == 0)
      return;
  if (s->n < MAX_OPTS)
    s->v[s->n++] = strndup (opt, len);
}

static void
clear (struct optset *s)
{
  for (size_t i = 0; i < s->n; ++i)
    free (s->v[i]);
  s->n = 0;
}

static bool
has (const struct optset *s, const char *opt)
{
  for (size_t i = 0; i < s->n; ++i)
    if (strcmp (s->v[i], opt) == 0)
      return true;
  return false;
}

/* Lines of a command's output, each an option. */
static void
from_program (struct optset *s, const char *prog, const char *arg)
{
  char *cmd;
  if (asprintf (&cmd, "'%s' %s", prog, arg) == -1)
    abort ();
  FILE *p = popen (cmd, "r");
  char line[256];
  while (p && fgets (line, sizeof line, p)) {
    line[strcspn (line, "\n")] = '\0';
    if (line[0] == '-')
      add (s, line, strlen (line));
  }
  CHECK (p && pclose (p) == 0);
  free (cmd);
}

/* The options in "=item B<-x>" lines of the OPTIONS section. */
static void
from_pod (struct optset *s, const char *pod)
{
  FILE *f = fopen (pod, "r");
  CHECK (f != NULL);
  char line[512];
  bool in_options = false;
  while (f && fgets (line, sizeof line, f)) {
    if (strncmp (line, "=head1 ", 7) == 0)
      in_options = strncmp (line + 7, "OPTIONS", 7) == 0;
    if (!in_options || strncmp (line, "=item B<-", 9) != 0)
      continue;
    const char *opt = line + 8;
    size_t len = strcspn (opt, ">= ");
    add (s, opt, len);
  }
  if (f)
    fclose (f);
}

static char *
help_text (const char *prog)
{
  char *cmd;
  if (asprintf (&cmd, "'%s' --help", prog) == -1)
    abort ();
  FILE *p = popen (cmd, "r");
  size_t cap = 65536, n = 0;
  char *buf = calloc (1, cap);
  size_t r;
  while (p && (r = fread (buf + n, 1, cap - 1 - n, p)) > 0)
    n += r;
  if (p)
    pclose (p);
  free (cmd);
  return buf;
}

static void
check_program (const char *prog, const char *pod)
{
  struct optset accepted = { 0 }, documented = { 0 };
  from_program (&accepted, prog, "--long-options");
  from_program (&accepted, prog, "--short-options");
  /* The two listing options themselves. */
  add (&accepted, "--long-options", 14);
  add (&accepted, "--short-options", 15);
  from_pod (&documented, pod);
  CHECK (accepted.n > 5 && documented.n > 5);
  char *help = help_text (prog);
  for (size_t i = 0; i < accepted.n; ++i) {
    if (!has (&documented, accepted.v[i])) {
      fprintf (stderr, "FAIL: %s accepts %s, not documented in %s\n", prog,
               accepted.v[i], pod);
      ++test_failures;
    }
    /* --help names every option (short ones next to their long form). */
    char *needle;
    if (asprintf (&needle, "%s%s", accepted.v[i],
                  accepted.v[i][1] == '-' ? "" : ",") == -1)
      abort ();
    if (strstr (help, needle) == NULL) {
      fprintf (stderr, "FAIL: %s --help does not mention %s\n", prog,
               accepted.v[i]);
      ++test_failures;
    }
    free (needle);
  }
  for (size_t i = 0; i < documented.n; ++i)
    if (!has (&accepted, documented.v[i])) {
      fprintf (stderr, "FAIL: %s documents %s, which %s does not accept\n",
               pod, documented.v[i], prog);
      ++test_failures;
    }
  fprintf (stderr, "%s: %zu options accepted, %zu documented\n", prog,
           accepted.n, documented.n);
  free (help);
  clear (&accepted);
  clear (&documented);
}

int
main (void)
{
  check_program (GUESTMOUNT_PATH, SOURCE_DIR "/man/guestmount.1.pod");
  check_program (GUESTUNMOUNT_PATH, SOURCE_DIR "/man/guestunmount.1.pod");
  return test_result ();
}
