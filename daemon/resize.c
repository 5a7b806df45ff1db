/* Resizing filesystems and reading their sizes: resize2fs (and _size,
 * _M), ntfsresize, vfs_minimum_size, tune2fs_l; and set_uuid_random.
 *
 * Each runs the filesystem's own tool on the device, as libguestfs
 * does, and takes its answers from the tool's output.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* ---- ext2/3/4 ---- */

int
do_resize2fs (const char *device)
{
  const char *argv[] = {"resize2fs", "--", device, NULL};
  return run_or_reply (device, argv, NULL);
}

int
do_resize2fs_size (const char *device, int64_t size)
{
  /* resize2fs takes the size in units; 1 KiB ones lose nothing that
   * matters (a block is at least 1 KiB). */
  if (size < 1024) {
    reply_with_error_errno (EINVAL,
                            "%s: size %" PRIi64 " is too small "
                            "(must be >= 1K)",
                            device, size);
    return -1;
  }
  char kib[32];
  snprintf (kib, sizeof kib, "%" PRIi64 "K", size / 1024);
  const char *argv[] = {"resize2fs", "--", device, kib, NULL};
  return run_or_reply (device, argv, NULL);
}

int
do_resize2fs_M (const char *device)
{
  const char *argv[] = {"resize2fs", "-M", "--", device, NULL};
  return run_or_reply (device, argv, NULL);
}

/* tune2fs shows absent values so; libguestfs returns them as "". */
static const char *
tune2fs_value (const char *v)
{
  if (strcmp (v, "<none>") == 0 || strcmp (v, "<not available>") == 0 ||
      strcmp (v, "(none)") == 0)
    return "";
  return v;
}

char **
do_tune2fs_l (const char *device)
{
  const char *argv[] = {"tune2fs", "-l", "--", device, NULL};
  CLEANUP_FREE char *out = NULL;
  if (run_or_reply (device, argv, &out) == -1)
    return NULL;
  struct stringsbuf sb = {0};
  char *line, *save = NULL;
  for (line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    /* The first line is the program's version. */
    if (strncmp (line, "tune2fs ", 8) == 0)
      continue;
    char *colon = strchr (line, ':');
    const char *value = "";
    if (colon) {
      *colon = '\0';
      value = colon + 1;
      value += strspn (value, " \t");
    }
    if (add_string (&sb, line) == -1 ||
        add_string (&sb, tune2fs_value (value)) == -1) {
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  return take_strings (&sb);
}

/* The value of "key" in tune2fs -l output, as a number. */
static int64_t
tune2fs_number (const char *device, const char *key)
{
  CLEANUP_FREE_STRING_LIST char **kv = do_tune2fs_l (device);
  if (kv == NULL)
    return -1;
  for (size_t i = 0; kv[i] && kv[i + 1]; i += 2)
    if (strcmp (kv[i], key) == 0)
      return strtoll (kv[i + 1], NULL, 10);
  reply_with_error_errno (EIO, "%s: tune2fs -l shows no \"%s\"", device, key);
  return -1;
}

/* The number after prefix on a line of text, or -1. */
static int64_t
number_after (const char *text, const char *prefix)
{
  for (const char *p = text; p; p = strchr (p, '\n')) {
    p += *p == '\n';
    if (strncmp (p, prefix, strlen (prefix)) == 0)
      return strtoll (p + strlen (prefix), NULL, 10);
  }
  return -1;
}

static int64_t
ext_minimum_size (const char *device)
{
  const char *argv[] = {"resize2fs", "-P", "--", device, NULL};
  CLEANUP_FREE char *out = NULL;
  if (run_or_reply (device, argv, &out) == -1)
    return -1;
  int64_t blocks =
      number_after (out, "Estimated minimum size of the filesystem: ");
  if (blocks < 0) {
    reply_with_error_errno (EIO, "%s: resize2fs -P gave no estimate", device);
    return -1;
  }
  int64_t block_size = tune2fs_number (device, "Block size");
  return block_size == -1 ? -1 : blocks * block_size;
}

/* ---- NTFS ---- */

enum { NTFSRESIZE_SIZE, NTFSRESIZE_FORCE };

int
do_ntfsresize (const char *device, int64_t size, int force)
{
  const char *argv[8] = {"ntfsresize", "-P"};
  size_t n = 2;
  char size_str[32];
  if (OPTARG_SET (NTFSRESIZE_SIZE)) {
    if (size <= 0) {
      reply_with_error_errno (EINVAL,
                              "%s: size %" PRIi64 " is zero or "
                              "negative",
                              device, size);
      return -1;
    }
    snprintf (size_str, sizeof size_str, "%" PRIi64, size);
    argv[n++] = "--size";
    argv[n++] = size_str;
  }
  if (OPTARG_SET (NTFSRESIZE_FORCE) && force)
    argv[n++] = "--force";
  argv[n++] = device;
  argv[n] = NULL;
  /* ntfsresize asks before it changes anything. */
  static const char yes[] = "y\n";
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int status = run_with_input (argv, yes, sizeof yes - 1, &out, &err);
  if (status != 0) {
    reply_with_program_error (EIO, "ntfsresize", status, err, "%s", device);
    return -1;
  }
  return 0;
}

static int64_t
ntfs_minimum_size (const char *device)
{
  const char *argv[] = {"ntfsresize", "--info", device, NULL};
  CLEANUP_FREE char *out = NULL;
  if (run_or_reply (device, argv, &out) == -1)
    return -1;
  int64_t bytes = number_after (out, "You might resize at ");
  if (bytes < 0) {
    reply_with_error_errno (EIO, "%s: ntfsresize --info gave no minimum size",
                            device);
    return -1;
  }
  return bytes;
}

int64_t
do_vfs_minimum_size (const char *mountable)
{
  CLEANUP_FREE char *dev = NULL, *subvol = NULL;
  if (split_mountable (mountable, &dev, &subvol) == -1)
    return -1;
  CLEANUP_FREE char *type = probe_tag (dev, "TYPE");
  if (type == NULL)
    return -1;
  if (subvol == NULL && strncmp (type, "ext", 3) == 0)
    return ext_minimum_size (dev);
  if (subvol == NULL && strcmp (type, "ntfs") == 0)
    return ntfs_minimum_size (dev);
  reply_with_error_errno (ENOTSUP,
                          "%s: the minimum size of a \"%s\" "
                          "filesystem is not known",
                          mountable, subvol ? "btrfs subvolume" : type);
  return -1;
}

/* ---- UUID ---- */

int
do_set_uuid_random (const char *device)
{
  unsigned char b[16];
  if (getrandom (b, sizeof b, 0) != sizeof b) {
    reply_with_perror ("getrandom");
    return -1;
  }
  b[6] = (b[6] & 0x0f) | 0x40; /* version 4: random */
  b[8] = (b[8] & 0x3f) | 0x80; /* RFC 4122 variant */
  char uuid[37];
  snprintf (uuid, sizeof uuid,
            "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
            "%02x%02x%02x%02x%02x%02x",
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
            b[11], b[12], b[13], b[14], b[15]);
  return do_set_uuid (device, uuid);
}
