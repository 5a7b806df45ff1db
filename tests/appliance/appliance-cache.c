/* The appliance cache: built once, reused while its inputs are the
 * same, rebuilt when one changes, and built once when two launches race
 * for it. */
#define _GNU_SOURCE 1
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance.h"
#include "harness.h"

struct identity {
  ino_t ino;
  struct timespec mtime;
};

static struct identity
identify (const char *path)
{
  struct stat st;
  struct identity id = { 0, { 0, 0 } };
  if (stat (path, &st) == 0) {
    id.ino = st.st_ino;
    id.mtime = st.st_mtim;
  }
  return id;
}

static bool
same (struct identity a, struct identity b)
{
  return a.ino == b.ino && a.mtime.tv_sec == b.mtime.tv_sec &&
         a.mtime.tv_nsec == b.mtime.tv_nsec;
}

/* Locate into cachedir; returns the identity of the root disk. */
static struct identity
locate (const char *supermin_d, const char *cachedir)
{
  struct appliance_files ap = { NULL, NULL, NULL };
  char err[4096];
  if (appliance_locate (NULL, supermin_d, cachedir, 0, NULL, NULL, &ap, err,
                        sizeof err) == -1) {
    fprintf (stderr, "FAIL: appliance_locate: %s\n", err);
    ++test_failures;
    return (struct identity) { 0, { 0, 0 } };
  }
  CHECK (access (ap.kernel, R_OK) == 0);
  CHECK (access (ap.initrd, R_OK) == 0);
  struct identity id = identify (ap.root ? ap.root : ap.initrd);
  appliance_files_free (&ap);
  return id;
}

static void
run_sh (char *cmd)
{
  if (cmd == NULL || system (cmd) != 0) {
    fprintf (stderr, "command failed: %s\n", cmd ? cmd : "(none)");
    exit (EXIT_FAILURE);
  }
  free (cmd);
}

static char *
fmt2 (const char *a, const char *b, bool change)
{
  char *cmd;
  int r = change ? asprintf (&cmd, "cd '%s' && echo changed > extra && "
                             "tar -rf '%s/zz-init.tar' extra", a, b)
                 : asprintf (&cmd, "cp -a '%s' '%s'", a, b);
  return r == -1 ? NULL : cmd;
}

int
main (void)
{
  const char *built = appliance_default_supermin_d ();
  if (access (built, R_OK) == -1)
    skip ("%s is missing: the appliance target was not built", built);
  char *tmp = test_tmpdir ();
  char *supermin_d, *cachedir, *racedir;
  if (asprintf (&supermin_d, "%s/supermin.d", tmp) == -1 ||
      asprintf (&cachedir, "%s/cache", tmp) == -1 ||
      asprintf (&racedir, "%s/race", tmp) == -1)
    abort ();
  run_sh (fmt2 (built, supermin_d, false));

  struct identity first = locate (supermin_d, cachedir);
  CHECK (first.ino != 0);
  struct identity again = locate (supermin_d, cachedir);
  CHECK (same (first, again)); /* reused, not rebuilt */

  /* Change an input: the init tarball gets one more file. */
  run_sh (fmt2 (tmp, supermin_d, true));
  struct identity rebuilt = locate (supermin_d, cachedir);
  CHECK (rebuilt.ino != 0 && !same (first, rebuilt));
  CHECK (same (rebuilt, locate (supermin_d, cachedir)));

  /* Two launches racing on an empty cache both get a whole appliance. */
  pid_t kids[2];
  for (int i = 0; i < 2; ++i)
    if ((kids[i] = fork ()) == 0) {
      struct identity id = locate (supermin_d, racedir);
      _exit (id.ino != 0 && test_failures == 0 ? 0 : 1);
    }
  for (int i = 0; i < 2; ++i) {
    int status;
    waitpid (kids[i], &status, 0);
    CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  }
  free (supermin_d);
  free (cachedir);
  free (racedir);
  free (tmp);
  return test_result ();
}
