/* tar_in and tar_out: GNU tar run in the guest directory.
 *
 * tar starts in the directory already resolved inside the sysroot (an
 * fchdir to its descriptor), so the names it is given are relative and
 * never pass through a path the guest controls.  tar itself does not
 * follow symbolic links when it packs, and when it unpacks on the host
 * it is confined to writing beneath that directory (see command.c).
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

/* Enough for every fixed option, the excludes are counted apart. */
#define TAR_FIXED_ARGS 16

static const char *
compress_option (const char *compress)
{
  static const struct {
    const char *name, *option;
  } kinds[] = {
    { "gzip", "--gzip" }, { "bzip2", "--bzip2" }, { "xz", "--xz" },
    { "zstd", "--zstd" }, { "lzop", "--lzop" }, { "compress", "--compress" },
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
    if (strcmp (compress, kinds[i].name) == 0)
      return kinds[i].option;
  return NULL;
}

struct tar_flags {
  const char *compress; /* "" for none */
  bool xattrs, selinux, acls, numericowner;
};

/* Build the argument list: tar MODE -f - [options] [extra...].  The
 * strings are static or belong to the caller; only the array is
 * malloc'd. */
static const char **
tar_argv (const char *mode, const struct tar_flags *f,
          char *const *excludes, const char *last)
{
  const char *z = NULL;
  if (f->compress[0] && (z = compress_option (f->compress)) == NULL) {
    reply_with_error_errno (EINVAL, "compress: \"%s\" is not one of gzip, "
                            "bzip2, xz, zstd, lzop, compress", f->compress);
    return NULL;
  }
  size_t nex = count_strings (excludes);
  const char **argv = calloc (TAR_FIXED_ARGS + 2 * nex, sizeof (char *));
  if (argv == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  size_t n = 0;
  argv[n++] = "tar";
  argv[n++] = mode;
  argv[n++] = "-f";
  argv[n++] = "-";
  if (z)
    argv[n++] = z;
  if (f->numericowner)
    argv[n++] = "--numeric-owner";
  if (f->xattrs) {
    argv[n++] = "--xattrs";
    argv[n++] = "--xattrs-include=*"; /* not only user.* */
  }
  if (f->selinux)
    argv[n++] = "--selinux";
  if (f->acls)
    argv[n++] = "--acls";
  for (size_t i = 0; i < nex; ++i) {
    argv[n++] = "--exclude";
    argv[n++] = excludes[i];
  }
  if (last)
    argv[n++] = last;
  return argv;
}

static int
open_directory (const char *directory)
{
  int fd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (fd == -1)
    reply_with_perror ("%s", directory);
  return fd;
}

static int
unpack (const char *directory, int dirfd, const char **argv)
{
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = dirfd;
  if (host_mode)
    opts.confine_fd = dirfd;
  return command_receive_input (directory, argv, &opts);
}

int
do_tar_in (const char *directory, const char *compress, int xattrs,
           int selinux, int acls)
{
  if (host_mode && !can_confine_commands ()) {
    reply_with_error_errno (ENOTSUP, "%s: unpacking on the host needs "
                            "Landlock to keep tar inside the directory, "
                            "and this kernel lacks it", directory);
    return -1;
  }
  struct tar_flags f = { compress, xattrs, selinux, acls, false };
  const char **argv = tar_argv ("-x", &f, NULL, NULL);
  if (argv == NULL)
    return -1;
  int dirfd = open_directory (directory);
  int r = dirfd == -1 ? -1 : unpack (directory, dirfd, argv);
  if (dirfd != -1)
    close (dirfd);
  free (argv);
  return r;
}

/* ---- tar_out ---- */

int
do_tar_out (const char *directory, const char *compress, int numericowner,
            char *const *excludes, int xattrs, int selinux, int acls)
{
  struct tar_flags f = { compress, xattrs, selinux, acls, numericowner };
  const char **argv = tar_argv ("-c", &f, excludes, ".");
  if (argv == NULL)
    return -1;
  int dirfd = open_directory (directory);
  if (dirfd == -1) {
    free (argv);
    return -1;
  }
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = dirfd;
  int r = command_send_output (directory, argv, &opts, NULL, NULL);
  close (dirfd);
  free (argv);
  return r;
}
