/* Device arguments: the checks and the /dev/sd* name translation.
 *
 * Callers name disks /dev/sda, /dev/sdb, ... whatever the appliance's
 * kernel calls them.  A /dev/sd* name that does not exist is tried as
 * /dev/hd* and then as /dev/vd*; return values are never translated.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"

static bool
is_block_device (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISBLK (st.st_mode);
}

/* Replace the "/dev/sd" prefix of *dev with prefix, if that names a
 * block device. */
static bool
try_prefix (char **dev, const char *prefix)
{
  char *alt;
  if (asprintf (&alt, "%s%s", prefix, *dev + strlen ("/dev/sd")) == -1)
    return false;
  if (!is_block_device (alt)) {
    free (alt);
    return false;
  }
  free (*dev);
  *dev = alt;
  return true;
}

static bool
has_dotdot_component (const char *p)
{
  for (const char *c = strstr (p, ".."); c; c = strstr (c + 1, ".."))
    if ((c == p || c[-1] == '/') && (c[2] == '\0' || c[2] == '/'))
      return true;
  return false;
}

int
resolve_device (const char *argname, char **dev)
{
  const char *d = *dev;
  if (strncmp (d, "/dev/", 5) != 0 || has_dotdot_component (d)) {
    reply_with_error_errno (EINVAL, "%s: \"%s\" is not a device name (it "
                            "must start with /dev/)", argname, d);
    return -1;
  }
  if (host_mode) {
    /* Never let a test daemon touch the host's disks. */
    reply_with_error_errno (EPERM, "%s: %s: devices are not available when "
                            "guestfsd runs on the host", argname, d);
    return -1;
  }
  if (is_block_device (d))
    return 0;
  if (strncmp (d, "/dev/sd", 7) == 0 &&
      (try_prefix (dev, "/dev/hd") || try_prefix (dev, "/dev/vd")))
    return 0;
  int err = errno == 0 ? ENOENT : errno;
  struct stat st;
  if (stat (d, &st) == 0)
    err = ENOTBLK;
  reply_with_error_errno (err, "%s: %s: %s", argname, d, strerror (err));
  return -1;
}

int
resolve_mountable (const char *argname, char **mountable)
{
  return resolve_device (argname, mountable);
}

int
resolve_device_list (const char *argname, char **devs, u_int n)
{
  for (u_int i = 0; i < n; ++i)
    if (resolve_device (argname, &devs[i]) == -1)
      return -1;
  return 0;
}
