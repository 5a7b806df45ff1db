/* The squashfs group: mksquashfs of a guest directory (its working
 * directory, resolved in the sysroot) into a temporary file of the
 * daemon's, sent to the library and removed. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"
#include "fileout.h"

static const char *const compressors[] = {"gzip", "lzo",  "lz4",
                                          "xz",   "zstd", NULL};

static bool
known_compressor (const char *c)
{
  for (const char *const *k = compressors; *k; ++k)
    if (strcmp (*k, c) == 0)
      return true;
  return false;
}

/* Optional argument positions. */
enum { OPT_COMPRESS, OPT_EXCLUDES };
#define HAS_OPT(o) ((optargs_bitmask & (UINT64_C (1) << (o))) != 0)

static const char **
mksquashfs_argv (const char *out, const char *compress, char *const *excludes)
{
  size_t n_ex =
      HAS_OPT (OPT_EXCLUDES) && excludes ? count_strings (excludes) : 0;
  const char **argv = calloc (10 + n_ex, sizeof *argv);
  if (argv == NULL)
    return NULL;
  size_t n = 0;
  argv[n++] = "mksquashfs";
  argv[n++] = ".";
  argv[n++] = out;
  argv[n++] = "-noappend";
  argv[n++] = "-no-progress";
  if (HAS_OPT (OPT_COMPRESS)) {
    argv[n++] = "-comp";
    argv[n++] = compress;
  }
  if (n_ex) { /* -e and its patterns come last */
    argv[n++] = "-wildcards";
    argv[n++] = "-e";
    for (size_t i = 0; i < n_ex; ++i)
      argv[n++] = excludes[i];
  }
  argv[n] = NULL;
  return argv;
}

static int
make_and_send (const char *path, int dirfd, const char *out,
               const char *compress, char *const *excludes)
{
  CLEANUP_FREE const char **argv = mksquashfs_argv (out, compress, excludes);
  if (argv == NULL) {
    reply_with_perror ("calloc");
    return -1;
  }
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = dirfd;
  CLEANUP_FREE char *err = NULL;
  int status = run_command_opts (NULL, &err, argv, &opts);
  if (status == -1) {
    reply_with_perror ("mksquashfs");
    return -1;
  }
  if (reply_if_command_failed ("mksquashfs", status, err) == -1)
    return -1;
  CLEANUP_CLOSE int fd = open (out, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", out);
    return -1;
  }
  return send_fd_contents (fd, path);
}

int
do_mksquashfs (const char *path, const char *compress, char *const *excludes)
{
  if (HAS_OPT (OPT_COMPRESS) && !known_compressor (compress)) {
    reply_with_error_errno (EINVAL,
                            "%s: unknown compression (gzip, lzo, "
                            "lz4, xz or zstd)",
                            compress);
    return -1;
  }
  CLEANUP_CLOSE int dirfd = sysroot_open (path, O_RDONLY | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  char tmpdir[] = "/tmp/squashfsXXXXXX";
  if (mkdtemp (tmpdir) == NULL) {
    reply_with_perror ("mkdtemp");
    return -1;
  }
  CLEANUP_FREE char *out = NULL;
  int r = -1;
  if (asprintf (&out, "%s/fs.sqsh", tmpdir) == -1)
    reply_with_perror ("asprintf");
  else
    r = make_and_send (path, dirfd, out, compress, excludes);
  if (out)
    unlink (out);
  rmdir (tmpdir);
  return r;
}
