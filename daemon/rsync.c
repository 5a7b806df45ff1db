/* rsync, rsync_in, rsync_out: rsync(1) between two guest directories,
 * or between one and an rsync daemon reached over the network.
 *
 * rsync is given no guest path: the source is named relative to the
 * directory it starts in (the source's parent, or the source itself
 * for a name ending in "/"), the destination through descriptor 3,
 * its parent directory opened inside the sysroot.  On the host it may
 * only write beneath that directory (Landlock).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

#define RSYNC_MAX_ARGS 8

/* A guest path as rsync is given it: dirfd, open inside the sysroot,
 * and a name relative to it ("./NAME", or "./" for the directory
 * itself). */
struct rsync_end {
  int dirfd;
  char *name;
};

static bool
ends_in_slash (const char *path)
{
  return path[strlen (path) - 1] == '/';
}

/* Replies on failure. */
static int
open_end (const char *path, struct rsync_end *e)
{
  char *base = NULL;
  if (ends_in_slash (path)) {
    e->dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
    e->name = strdup ("./");
  }
  else {
    e->dirfd = sysroot_open_parent (path, &base);
    if (e->dirfd != -1 && asprintf (&e->name, "./%s", base) == -1)
      e->name = NULL;
  }
  free (base);
  if (e->dirfd == -1 || e->name == NULL) {
    reply_with_perror ("%s", path);
    if (e->dirfd != -1)
      close (e->dirfd);
    free (e->name);
    return -1;
  }
  return 0;
}

static void
close_end (struct rsync_end *e)
{
  if (e->dirfd != -1)
    close (e->dirfd);
  free (e->name);
}

/* The destination through descriptor 3: "/proc/self/fd/3/NAME". */
static char *
dest_argument (const struct rsync_end *dest)
{
  char *r;
  if (asprintf (&r, "/proc/self/fd/3/%s", dest->name + 2) == -1) {
    reply_with_perror ("malloc");
    return NULL;
  }
  return r;
}

static int
run_rsync (const char *subject, const char *from, const char *to,
           int archive, int deletedest, struct command_opts *opts)
{
  const char *argv[RSYNC_MAX_ARGS];
  size_t n = 0;
  argv[n++] = "rsync";
  if (OPTARG_SET (0) && archive)
    argv[n++] = "--archive";
  if (OPTARG_SET (1) && deletedest)
    argv[n++] = "--delete";
  argv[n++] = "--";
  argv[n++] = from;
  argv[n++] = to;
  argv[n] = NULL;
  char *err = NULL;
  int status = run_command_opts (NULL, &err, argv, opts);
  int r;
  if (status == -1) {
    reply_with_perror ("%s", subject);
    r = -1;
  }
  else
    r = reply_if_command_failed ("rsync", status, err);
  free (err);
  return r;
}

static int
check_remote (const char *remote)
{
  if (remote[0] == '\0' || remote[0] == '-') {
    reply_with_error_errno (EINVAL, "remote: \"%s\" is not an rsync "
                            "address", remote);
    return -1;
  }
  return 0;
}

static int
check_host_confinement (const char *dest)
{
  if (host_mode && !can_confine_commands ()) {
    reply_with_error_errno (ENOTSUP, "%s: rsync on the host needs Landlock "
                            "to keep it inside the directory, and this "
                            "kernel lacks it", dest);
    return -1;
  }
  return 0;
}

/* rsync into dest (a guest path) from from, started in cwd_fd. */
static int
rsync_into (const char *dest, const char *from, int cwd_fd, int archive,
            int deletedest)
{
  struct rsync_end d = { -1, NULL };
  if (check_host_confinement (dest) == -1 || open_end (dest, &d) == -1)
    return -1;
  char *to = dest_argument (&d);
  int r = -1;
  if (to) {
    struct command_opts opts = COMMAND_OPTS_INIT;
    opts.cwd_fd = cwd_fd;
    opts.keep_fd = d.dirfd;
    if (host_mode)
      opts.confine_fd = d.dirfd;
    r = run_rsync (dest, from, to, archive, deletedest, &opts);
  }
  free (to);
  close_end (&d);
  return r;
}

int
do_rsync (const char *src, const char *dest, int archive, int deletedest)
{
  struct rsync_end s = { -1, NULL };
  if (open_end (src, &s) == -1)
    return -1;
  int r = rsync_into (dest, s.name, s.dirfd, archive, deletedest);
  close_end (&s);
  return r;
}

int
do_rsync_in (const char *remote, const char *dest, int archive,
             int deletedest)
{
  if (check_remote (remote) == -1)
    return -1;
  return rsync_into (dest, remote, -1, archive, deletedest);
}

int
do_rsync_out (const char *src, const char *remote, int archive,
              int deletedest)
{
  if (check_remote (remote) == -1)
    return -1;
  struct rsync_end s = { -1, NULL };
  if (open_end (src, &s) == -1)
    return -1;
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = s.dirfd;
  int r = run_rsync (src, s.name, remote, archive, deletedest, &opts);
  close_end (&s);
  return r;
}
