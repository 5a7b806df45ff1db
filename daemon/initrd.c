/* initrd_list and initrd_cat: an initramfs (a cpio archive, maybe
 * compressed) read with cpio(1) from a descriptor.  Nothing is ever
 * unpacked to a disk: cpio lists, or writes the one member to its
 * stdout, so the archive's names cannot make it write anywhere.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* The decompressor for the archive's first bytes, NULL for a plain
 * cpio archive, or "" if the file is neither. */
static const char *
decompressor_of (const unsigned char *m, size_t n)
{
  static const struct {
    const char *magic;
    size_t len;
    const char *program;
  } kinds[] = {
    { "\x1f\x8b", 2, "zcat" },
    { "\xfd" "7zXZ", 6, "xzcat" },
    { "\x28\xb5\x2f\xfd", 4, "zstdcat" },
    { "BZh", 3, "bzcat" },
    { "070701", 6, NULL },
    { "070702", 6, NULL },
    { "070707", 6, NULL },
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
    if (n >= kinds[i].len && memcmp (m, kinds[i].magic, kinds[i].len) == 0)
      return kinds[i].program;
  return "";
}

/* Run cpio with args on the archive at path, decompressed if needed;
 * its stdout, or NULL after replying. */
static char *
run_cpio (const char *path, const char *const *cpio_argv, size_t *len_r)
{
  int fd = open_regular_file (path);
  if (fd == -1)
    return NULL;
  unsigned char magic[6];
  ssize_t n = pread_full (fd, (char *) magic, sizeof magic, 0);
  const char *decompress = n > 0 ? decompressor_of (magic, n) : "";
  char *out = NULL;
  if (decompress && *decompress == '\0')
    reply_with_error_errno (EINVAL, "%s: not an initramfs (a cpio archive, "
                            "plain or compressed)", path);
  else if (fcntl (fd, F_SETFL, 0) == -1)
    reply_with_perror ("%s", path);
  else if (decompress) {
    const char *first[] = { decompress, NULL };
    out = run_pipeline (first, fd, cpio_argv, len_r);
  }
  else {
    struct command_opts opts = COMMAND_OPTS_INIT;
    opts.stdin_fd = fd;
    struct command cmd;
    char *err = NULL;
    int status = -1;
    if (command_start (&cmd, cpio_argv, &opts) == 0)
      status = command_finish (&cmd, &out, &err);
    if (status == -1)
      reply_with_perror ("cpio");
    else if (reply_if_command_failed ("cpio", status, err) == -1) {
      free (out);
      out = NULL;
    }
    else if (len_r)
      *len_r = cmd.out.len;
    free (err);
  }
  close (fd);
  return out;
}

char **
do_initrd_list (const char *path)
{
  const char *argv[] = { "cpio", "--quiet", "-i", "-t", NULL };
  return split_lines (run_cpio (path, argv, NULL));
}

/* cpio takes patterns: escape the wildcard characters of the name. */
static char *
glob_escape (const char *s)
{
  char *r = malloc (2 * strlen (s) + 1), *p = r;
  if (r == NULL)
    return NULL;
  for (; *s; ++s) {
    if (strchr ("*?[]\\", *s))
      *p++ = '\\';
    *p++ = *s;
  }
  *p = '\0';
  return r;
}

char *
do_initrd_cat (const char *initrdpath, const char *filename, size_t *size_r)
{
  if (filename[0] == '\0' || filename[0] == '/') {
    reply_with_error_errno (EINVAL, "filename: \"%s\": give the name "
                            "without its leading /", filename);
    return NULL;
  }
  char *pattern = glob_escape (filename);
  if (pattern == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  /* Listing first tells a missing member (ENOENT) from an empty one. */
  char **names = do_initrd_list (initrdpath);
  if (names == NULL) {
    free (pattern);
    return NULL;
  }
  bool found = false;
  for (size_t i = 0; names[i] && !found; ++i)
    found = strcmp (names[i], filename) == 0;
  free_strings (names);
  char *out = NULL;
  if (!found)
    reply_with_error_errno (ENOENT, "%s: %s: not in the archive", initrdpath,
                            filename);
  else {
    const char *argv[] = { "cpio", "--quiet", "-i", "--to-stdout", pattern,
                           NULL };
    out = run_cpio (initrdpath, argv, size_r);
  }
  free (pattern);
  return out;
}
