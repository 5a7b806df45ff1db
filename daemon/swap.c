/* Swap: making swap areas (mkswap_L, mkswap_U, mkswap_file) and
 * letting the appliance swap on them (swapon_*, swapoff_*).
 *
 * A swap file is opened inside the sysroot: mkswap gets the descriptor
 * as its stdin, swapon(2) and swapoff(2) its /proc/self/fd/N.  Labels and UUIDs
 * are looked up with libblkid, which reads the devices themselves.
 */
#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/swap.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

int
do_mkswap_L (const char *label, const char *device)
{
  return mkswap_device (device, label, NULL);
}

int
do_mkswap_U (const char *uuid, const char *device)
{
  return mkswap_device (device, NULL, uuid);
}

/* The host path of a guest file, for code that needs a name: replies
 * on error.  *fd is the descriptor to close afterwards. */
static char *
guest_file_path (const char *path, int *fd)
{
  *fd = sysroot_open (path, O_RDONLY, 0);
  char *p = *fd == -1 ? NULL : sysroot_fd_path (*fd);
  if (p == NULL)
    reply_with_perror ("%s", path);
  return p;
}

/* mkswap gets the file, opened inside the sysroot, as its stdin: a
 * name of ours would mean nothing in its process. */
int
do_mkswap_file (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_RDWR | O_NOCTTY | O_NONBLOCK, 0);
  if (fd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.stdin_fd = fd;
  const char *argv[] = {"mkswap", "-f", "--", "/dev/stdin", NULL};
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int status = run_command_opts (&out, &err, argv, &opts);
  if (status == -1) {
    reply_with_perror ("mkswap");
    return -1;
  }
  return reply_if_command_failed (path, status, err);
}

static int
swap_on_off (const char *what, const char *path, bool on)
{
  if ((on ? swapon (path, 0) : swapoff (path)) == -1) {
    reply_with_perror ("%s", what);
    return -1;
  }
  return 0;
}

int
do_swapon_device (const char *device)
{
  return swap_on_off (device, device, true);
}

int
do_swapoff_device (const char *device)
{
  return swap_on_off (device, device, false);
}

static int
swap_file (const char *file, bool on)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *path = guest_file_path (file, &fd);
  return path ? swap_on_off (file, path, on) : -1;
}

int
do_swapon_file (const char *file)
{
  return swap_file (file, true);
}

int
do_swapoff_file (const char *file)
{
  return swap_file (file, false);
}

/* The device whose swap signature has tag (LABEL or UUID) = value. */
static int
swap_tag (const char *tag, const char *value, bool on)
{
  CLEANUP_FREE char *device = blkid_evaluate_tag (tag, value, NULL);
  if (device == NULL) {
    reply_with_error_errno (ENOENT, "%s=%s: no such device", tag, value);
    return -1;
  }
  return swap_on_off (value, device, on);
}

int
do_swapon_label (const char *label)
{
  return swap_tag ("LABEL", label, true);
}

int
do_swapoff_label (const char *label)
{
  return swap_tag ("LABEL", label, false);
}

int
do_swapon_uuid (const char *uuid)
{
  return swap_tag ("UUID", uuid, true);
}

int
do_swapoff_uuid (const char *uuid)
{
  return swap_tag ("UUID", uuid, false);
}
