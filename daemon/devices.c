/* Device names: the checks and the /dev/sd* name translation, both
 * ways.
 *
 * Callers name disks /dev/sda, /dev/sdb, ... whatever the appliance's
 * kernel calls them, as with libguestfs.  A /dev/sd* name that does not
 * exist is tried as /dev/hd* and then as /dev/vd*.  Replies name disks
 * the same way: a device name the kernel calls /dev/vdX or /dev/hdX
 * (with or without a partition number, alone or inside a btrfs
 * mountable) is answered as /dev/sdX.  Which replies hold device names
 * is declared once, in the action table (ret_devices).
 *
 * A mountable is a device or "btrfsvol:DEVICE/SUBVOLUME", a btrfs
 * subvolume to be mounted with subvol=.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "storage.h"

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

/* Check and translate *dev without replying: 0, or an errno value. */
static int
translate_device (char **dev)
{
  const char *d = *dev;
  if (strncmp (d, "/dev/", 5) != 0 || has_dotdot_component (d))
    return EINVAL;
  if (host_mode)
    return EPERM;
  /* The appliance's own disk looks absent: it is not the guest's, and
   * /dev/sdX one past the last drive would otherwise translate to it. */
  bool own = false;
  if (is_block_device (d)) {
    /* The saved appliance's own disk is /dev/sda (virtio-scsi), while
     * the guest's drives are /dev/vd*: /dev/sda then means /dev/vda. */
    if (!is_appliance_device (d))
      return 0;
    own = true;
  }
  int err = own || errno == 0 ? ENOENT : errno;
  if (strncmp (d, "/dev/sd", 7) == 0 &&
      (try_prefix (dev, "/dev/hd") || try_prefix (dev, "/dev/vd")))
    return is_appliance_device (*dev) ? ENOENT : 0;
  struct stat st;
  if (!own && stat (d, &st) == 0)
    err = ENOTBLK;
  return err;
}

static void
reply_bad_device (int err, const char *argname, const char *d)
{
  if (err == EINVAL)
    reply_with_error_errno (EINVAL, "%s: \"%s\" is not a device name (it "
                            "must start with /dev/)", argname, d);
  else if (err == EPERM)
    /* Never let a test daemon touch the host's disks. */
    reply_with_error_errno (EPERM, "%s: %s: devices are not available when "
                            "guestfsd runs on the host", argname, d);
  else
    reply_with_error_errno (err, "%s: %s: %s", argname, d, strerror (err));
}

int
resolve_device (const char *argname, char **dev)
{
  /* Errors name the device as the caller gave it, not its translation. */
  char *given = strdup (*dev);
  int err = given ? translate_device (dev) : ENOMEM;
  if (err)
    reply_bad_device (err, argname, given ? given : *dev);
  free (given);
  return err ? -1 : 0;
}

#define BTRFSVOL_PREFIX "btrfsvol:"

/* "btrfsvol:DEV/SUBVOL": DEV may itself hold slashes (/dev/VG/LV), so
 * the device is the shortest prefix ending before a slash that names a
 * block device, and the rest is the subvolume.  The result is rebuilt
 * from the translated device name. */
static int
resolve_btrfsvol (const char *argname, char **mountable)
{
  const char *spec = *mountable + strlen (BTRFSVOL_PREFIX);
  int err = EINVAL;
  if (strncmp (spec, "/dev/", 5) != 0) {
    reply_with_error_errno (EINVAL, "%s: %s: expected btrfsvol:/dev/DEVICE/"
                            "SUBVOLUME", argname, *mountable);
    return -1;
  }
  for (const char *slash = strchr (spec + 5, '/'); slash;
       slash = strchr (slash + 1, '/')) {
    char *dev = strndup (spec, slash - spec);
    if (dev == NULL) {
      reply_with_perror ("strndup");
      return -1;
    }
    err = translate_device (&dev);
    if (err == EINVAL || err == EPERM) {
      reply_bad_device (err, argname, dev);
      free (dev);
      return -1;
    }
    if (err) {
      free (dev);
      continue;
    }
    const char *subvol = slash + 1;
    while (*subvol == '/')
      ++subvol;
    if (*subvol == '\0' || has_dotdot_component (subvol)) {
      reply_with_error_errno (EINVAL, "%s: %s: the subvolume must be a "
                              "path inside the filesystem, without \"..\"",
                              argname, *mountable);
      free (dev);
      return -1;
    }
    char *r;
    if (asprintf (&r, BTRFSVOL_PREFIX "%s/%s", dev, subvol) == -1) {
      reply_with_perror ("asprintf");
      free (dev);
      return -1;
    }
    free (dev);
    free (*mountable);
    *mountable = r;
    return 0;
  }
  reply_with_error_errno (err == EINVAL ? EINVAL : ENOENT,
                          "%s: %s: no block device in the form "
                          "btrfsvol:/dev/DEVICE/SUBVOLUME",
                          argname, *mountable);
  return -1;
}

int
resolve_mountable (const char *argname, char **mountable)
{
  if (strncmp (*mountable, BTRFSVOL_PREFIX, strlen (BTRFSVOL_PREFIX)) == 0)
    return resolve_btrfsvol (argname, mountable);
  return resolve_device (argname, mountable);
}

int
split_mountable (const char *mountable, char **dev, char **subvol)
{
  *dev = *subvol = NULL;
  if (strncmp (mountable, BTRFSVOL_PREFIX, strlen (BTRFSVOL_PREFIX)) != 0) {
    *dev = strdup (mountable);
    if (*dev == NULL) {
      reply_with_perror ("strdup");
      return -1;
    }
    return 0;
  }
  /* Already resolved: the device is the prefix that is a block device. */
  const char *spec = mountable + strlen (BTRFSVOL_PREFIX);
  if (strncmp (spec, "/dev/", 5) != 0) {
    reply_with_error_errno (EINVAL, "%s: not a btrfs subvolume", mountable);
    return -1;
  }
  for (const char *slash = strchr (spec + 5, '/'); slash;
       slash = strchr (slash + 1, '/')) {
    char *d = strndup (spec, slash - spec);
    if (d == NULL) {
      reply_with_perror ("strndup");
      return -1;
    }
    if (is_block_device (d)) {
      *dev = d;
      *subvol = strdup (slash + 1);
      if (*subvol == NULL) {
        reply_with_perror ("strdup");
        free (d);
        *dev = NULL;
        return -1;
      }
      return 0;
    }
    free (d);
  }
  reply_with_error_errno (ENOENT, "%s: no such device", mountable);
  return -1;
}

int
resolve_device_list (const char *argname, char **devs, u_int n)
{
  for (u_int i = 0; i < n; ++i)
    if (resolve_device (argname, &devs[i]) == -1)
      return -1;
  return 0;
}

/* Length of the kernel disk name at p ("/dev/vdb" of "/dev/vdb2"),
 * or 0 if p does not start with one (/dev/vdX or /dev/hdX, X one to
 * three letters).  *end: past the partition number, if any. */
static size_t
kernel_disk_name (const char *p, const char **end)
{
  if (strncmp (p, "/dev/vd", 7) != 0 && strncmp (p, "/dev/hd", 7) != 0)
    return 0;
  size_t letters = strspn (p + 7, "abcdefghijklmnopqrstuvwxyz");
  if (letters == 0 || letters > 3)
    return 0;
  *end = p + 7 + letters;
  *end += strspn (*end, "0123456789");
  return 7 + letters;
}

/* The callers' name has the same length as the kernel's: /dev/vdb2 and
 * /dev/sdb2.  So every translation below is done in place. */
static void
rename_disk_at (char *p)
{
  p[5] = 's';
}

void
callers_device_name (char *name)
{
  if (host_mode || name == NULL)
    return;
  char *dev = name;
  const char *end;
  bool btrfsvol =
      strncmp (dev, BTRFSVOL_PREFIX, strlen (BTRFSVOL_PREFIX)) == 0;
  if (btrfsvol)
    dev += strlen (BTRFSVOL_PREFIX);
  if (kernel_disk_name (dev, &end) && (*end == '\0' || (btrfsvol && *end == '/')))
    rename_disk_at (dev);
}

void
callers_device_names (char **names, size_t first, size_t step)
{
  size_t n = count_strings (names);
  for (size_t i = first; i < n; i += step)
    callers_device_name (names[i]);
}

void
callers_names_in_text (char *text)
{
  if (host_mode || text == NULL)
    return;
  for (char *p = strstr (text, "/dev/"); p; p = strstr (p + 1, "/dev/")) {
    const char *end;
    bool word_start = p == text || !(isalnum ((unsigned char)p[-1]) ||
                                     p[-1] == '/' || p[-1] == '_');
    if (word_start && kernel_disk_name (p, &end) &&
        !isalnum ((unsigned char)*end) && *end != '_')
      rename_disk_at (p);
  }
}
