/* Encoded, compressed and archived downloads and uploads: base64_in,
 * base64_out, compress_out, compress_device_out and cpio_out.  The
 * data passes through base64(1), the compressors or cpio(1), which
 * read a descriptor or names relative to the directory they start in,
 * never a guest path (see stream.c for the FileIn/FileOut side).
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

/* ---- base64 ---- */

static int
write_to_fd (void *opaque, const void *buf, size_t len)
{
  int fd = *(int *) opaque;
  for (size_t done = 0; done < len;) {
    ssize_t n = write (fd, (const char *) buf + done, len - done);
    if (n == -1 && errno != EINTR)
      return -1;
    done += n > 0 ? (size_t) n : 0;
  }
  return 0;
}

int
do_base64_in (const char *filename)
{
  int fd = sysroot_open (filename, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY,
                         0666);
  if (fd == -1) {
    reply_with_perror ("%s", filename);
    return -1;
  }
  const char *argv[] = { "base64", "-d", NULL };
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdout_cb = write_to_fd;
  opts.opaque = &fd;
  int r = command_receive_input (filename, argv, &opts);
  if (close (fd) == -1 && r == 0) {
    reply_with_perror ("%s", filename);
    r = -1;
  }
  return r;
}

/* Send what argv prints, reading fd (closed here). */
static int
send_filtered (const char *subject, const char *const *argv, int fd)
{
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdin_fd = fd;
  int r = command_send_output (subject, argv, &opts, NULL, NULL);
  close (fd);
  return r;
}

static int
open_file (const char *path)
{
  int fd = sysroot_open (path, O_RDONLY | O_NOCTTY, 0);
  if (fd == -1)
    reply_with_perror ("%s", path);
  return fd;
}

int
do_base64_out (const char *filename)
{
  int fd = open_file (filename);
  if (fd == -1)
    return -1;
  const char *argv[] = { "base64", NULL };
  return send_filtered (filename, argv, fd);
}

/* ---- compress_out, compress_device_out ---- */

/* The compressor's argv for ctype and level (the optional argument's
 * value if given), in args; level_buf holds "-N". */
static int
compressor_argv (const char *ctype, bool has_level, int level,
                 const char *args[5], char level_buf[4])
{
  static const struct {
    const char *ctype;
    bool levels;
  } kinds[] = {
    { "compress", false }, { "gzip", true }, { "bzip2", true },
    { "xz", true },        { "lzop", true },
  };
  size_t i = 0;
  while (i < sizeof kinds / sizeof kinds[0] &&
         strcmp (ctype, kinds[i].ctype) != 0)
    ++i;
  if (i == sizeof kinds / sizeof kinds[0]) {
    reply_with_error_errno (EINVAL, "ctype: \"%s\" is not one of compress, "
                            "gzip, bzip2, xz, lzop", ctype);
    return -1;
  }
  if (has_level && (!kinds[i].levels || level < 1 || level > 9)) {
    reply_with_error_errno (EINVAL, "level: %d is not a level of %s "
                            "(1 to 9%s)", level, ctype,
                            kinds[i].levels ? "" : ", and compress has none");
    return -1;
  }
  size_t n = 0;
  args[n++] = kinds[i].ctype;
  args[n++] = "-c";
  /* compress exits with 2 when the output is larger (random data),
   * having written it all the same; -f makes that a success. */
  if (!kinds[i].levels)
    args[n++] = "-f";
  if (has_level) {
    snprintf (level_buf, 4, "-%d", level);
    args[n++] = level_buf;
  }
  args[n] = NULL;
  return 0;
}

static int
compress_fd (const char *ctype, const char *subject, int fd, int level)
{
  const char *argv[5];
  char level_buf[4];
  if (compressor_argv (ctype, OPTARG_SET (0), level, argv, level_buf) == -1) {
    close (fd);
    return -1;
  }
  return send_filtered (subject, argv, fd);
}

int
do_compress_out (const char *ctype, const char *file, int level)
{
  int fd = open_file (file);
  return fd == -1 ? -1 : compress_fd (ctype, file, fd, level);
}

int
do_compress_device_out (const char *ctype, const char *device, int level)
{
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return -1;
  }
  return compress_fd (ctype, device, fd, level);
}

/* ---- cpio_out ---- */

/* cpio is given the names on its stdin, "." first, as find(1) run in
 * the directory would list them. */
static int
feed_name (int dirfd, const char *name, const char *rel,
           const struct stat *st, void *opaque)
{
  (void) dirfd, (void) name, (void) st;
  struct command *cpio = opaque;
  char *line;
  int len = asprintf (&line, "./%s", rel);
  if (len == -1)
    return -1;
  int r = command_write (cpio, line, len + 1);
  free (line);
  return r;
}

struct cpio_names {
  const char *directory;
};

static int
feed_names (struct command *cpio, void *opaque)
{
  const struct cpio_names *c = opaque;
  if (command_write (cpio, ".", 2) == -1) {
    reply_with_perror ("cpio");
    return -1;
  }
  return walk_tree (c->directory, feed_name, cpio);
}

int
do_cpio_out (const char *directory, const char *format)
{
  if (!OPTARG_SET (0))
    format = "newc";
  if (strcmp (format, "newc") != 0 && strcmp (format, "crc") != 0) {
    reply_with_error_errno (EINVAL, "format: \"%s\" is not one of newc, "
                            "crc", format);
    return -1;
  }
  int dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", directory);
    return -1;
  }
  const char *argv[] = { "cpio", "--quiet", "-0", "-o", "-H", format, NULL };
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.cwd_fd = dirfd;
  struct cpio_names c = { directory };
  int r = command_send_output (directory, argv, &opts, feed_names, &c);
  close (dirfd);
  return r;
}
