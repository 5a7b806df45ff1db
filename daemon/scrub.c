/* The scrub group: overwriting devices, files and free space with
 * scrub(1)'s patterns.  Guest paths reach scrub as one name inside a
 * directory resolved in the sysroot (its working directory), so a
 * symbolic link planted by the guest cannot send it elsewhere. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static int
run_scrub (const char *const *argv, int cwd_fd)
{
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = cwd_fd;
  if (host_mode && cwd_fd != -1)
    opts.confine_fd = cwd_fd;
  CLEANUP_FREE char *err = NULL;
  int status = run_command_opts (NULL, &err, argv, &opts);
  if (status == -1) {
    reply_with_perror ("scrub");
    return -1;
  }
  return reply_if_command_failed ("scrub", status, err);
}

int
do_scrub_device (const char *device)
{
  const char *argv[] = {"scrub", "--force", device, NULL};
  return run_scrub (argv, -1);
}

/* What the last component of a path must be before scrub runs on it. */
enum expect { EXPECT_REGULAR_FILE, EXPECT_NOTHING };

static int
check_name (int dirfd, const char *base, enum expect expect)
{
  struct stat st;
  int r = fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW);
  if (expect == EXPECT_NOTHING) {
    errno = EEXIST;
    return r == 0 ? -1 : 0;
  }
  if (r == 0 && !S_ISREG (st.st_mode)) {
    errno = EINVAL; /* a link's target is not scrubbed through it */
    return -1;
  }
  return r;
}

/* scrub OPTION NAME in the directory holding path's last component. */
static int
scrub_name (const char *path, const char *option, enum expect expect)
{
  char *base;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  CLEANUP_FREE char *b = base;
  if (dirfd == -1 || check_name (dirfd, base, expect) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  /* An option's argument is taken as it is; a file name needs "--". */
  const char *argv[] = {"scrub", option, base, NULL, NULL};
  if (expect == EXPECT_REGULAR_FILE) {
    argv[2] = "--";
    argv[3] = base;
  }
  return run_scrub (argv, dirfd);
}

int
do_scrub_file (const char *file)
{
  return scrub_name (file, "--remove", EXPECT_REGULAR_FILE);
}

int
do_scrub_freespace (const char *dir)
{
  /* scrub creates the directory, fills it and removes it all. */
  return scrub_name (dir, "--freespace", EXPECT_NOTHING);
}
