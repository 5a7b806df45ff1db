/* test_guest_path: the C side of tests/guests/test-guest-path, which
 * owns the cache (see guests.h).  One implementation of the cache, in
 * the script, serves the C and the shell tests alike.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guests.h"
#include "guests-internal.h"
#include "harness.h"

struct cached_path {
  char *kind;
  char *path;
};
static struct cached_path known[16];
static size_t nr_known;

static const char *
remember (const char *kind, char *path)
{
  if (nr_known < sizeof known / sizeof known[0]) {
    known[nr_known].kind = strdup (kind);
    known[nr_known].path = path;
    ++nr_known;
  }
  return path;
}

/* Run argv, returning its stdout (malloc'd, NUL-terminated) and wait
 * status; its stderr goes to ours, so the build's progress shows in the
 * test log. */
static char *
run_capturing_stdout (const char *const *argv, int *status)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) == -1)
    return NULL;
  pid_t pid = fork ();
  if (pid == -1) {
    close (fds[0]);
    close (fds[1]);
    return NULL;
  }
  if (pid == 0) {
    dup2 (fds[1], 1);
    execv (argv[0], (char *const *)argv);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (fds[1]);
  size_t len = 0, alloc = 256;
  char *out = malloc (alloc);
  ssize_t n;
  while (out && (n = read (fds[0], out + len, alloc - len - 1)) != 0) {
    if (n == -1) {
      if (errno == EINTR)
        continue;
      break;
    }
    len += n;
    if (alloc - len < 64) {
      char *bigger = realloc (out, alloc *= 2);
      if (bigger == NULL) {
        free (out);
        out = NULL;
      }
      out = bigger;
    }
  }
  close (fds[0]);
  while (waitpid (pid, status, 0) == -1 && errno == EINTR)
    ;
  if (out)
    out[len] = '\0';
  return out;
}

char *
test_guest_build (const char *kind, char **reason)
{
  const char *argv[] = {TEST_GUEST_PATH_SCRIPT, kind, NULL};
  int status = 0;
  char *out = run_capturing_stdout (argv, &status);
  if (out == NULL) {
    if (asprintf (reason, "%s: %s", TEST_GUEST_PATH_SCRIPT, strerror (errno)) ==
        -1)
      *reason = NULL;
    return NULL;
  }
  out[strcspn (out, "\n")] = '\0';
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || *out != '/') {
    if (asprintf (reason,
                  "test guest \"%s\" could not be built (status "
                  "%d; see the messages above)",
                  kind, status) == -1)
      *reason = NULL;
    free (out);
    return NULL;
  }
  return out;
}

const char *
test_guest_path (const char *kind)
{
  for (size_t i = 0; i < nr_known; ++i)
    if (strcmp (known[i].kind, kind) == 0)
      return known[i].path;
  char *reason = NULL;
  char *path = test_guest_build (kind, &reason);
  if (path == NULL)
    skip ("%s", reason ? reason : kind);
  return remember (kind, path);
}

const char *
test_guest_overlay (const char *kind)
{
  const char *base = test_guest_path (kind);
  char *dir = test_tmpdir ();
  char *overlay, *cmd;
  const char *base_format = strcmp (kind, "qcow2") == 0 ? "qcow2" : "raw";
  if (asprintf (&overlay, "%s/%s-overlay.qcow2", dir, kind) == -1 ||
      asprintf (&cmd, "qemu-img create -q -f qcow2 -b '%s' -F %s '%s'", base,
                base_format, overlay) == -1)
    skip ("out of memory");
  if (system (cmd) != 0)
    skip ("cannot make an overlay of %s (%s failed)", base, cmd);
  free (cmd);
  free (dir);
  /* The caller keeps the path until exit: hold it here, so that it is
   * never a leak. */
  static char *overlays[16];
  static size_t nr_overlays;
  if (nr_overlays < sizeof overlays / sizeof overlays[0])
    overlays[nr_overlays++] = overlay;
  return overlay;
}
