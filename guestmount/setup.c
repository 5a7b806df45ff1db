/* Preparing the guest: drives, launch, encrypted devices, mounts.
 *
 * Everything here runs before the FUSE mount exists, so any failure
 * is reported on stderr and leaves nothing behind but a handle that
 * the caller closes (which stops the appliance).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "guestmount.h"

/* ---- Command line pieces ---- */

int
parse_mount_arg (const char *arg, struct mount_opt *m)
{
  memset (m, 0, sizeof m[0]);
  /* A btrfs subvolume names its device after a "btrfsvol:" prefix. */
  const char *dev_end = arg;
  if (strncmp (arg, "btrfsvol:", 9) == 0)
    dev_end = arg + 9;
  dev_end = strchr (dev_end, ':');
  const char *fields[3] = { NULL, NULL, NULL };
  if (dev_end) {
    const char *p = dev_end + 1;
    for (int i = 0; i < 3 && p; ++i) {
      fields[i] = p;
      const char *c = i < 2 ? strchr (p, ':') : NULL;
      p = c ? c + 1 : NULL;
    }
  }
  size_t dlen = dev_end ? (size_t) (dev_end - arg) : strlen (arg);
  if (dlen == 0)
    return -1;
  m->device = strndup (arg, dlen);
  for (int i = 0; i < 3; ++i) {
    if (fields[i] == NULL)
      break;
    const char *end = i < 2 ? strchr (fields[i], ':') : NULL;
    size_t len = end ? (size_t) (end - fields[i]) : strlen (fields[i]);
    char *v = strndup (fields[i], len);
    if (i == 0)
      m->mountpoint = v;
    else if (i == 1)
      m->options = v;
    else
      m->fstype = v;
  }
  if (m->mountpoint == NULL || m->mountpoint[0] == '\0') {
    free (m->mountpoint);
    m->mountpoint = strdup ("/");
  }
  if (m->mountpoint[0] != '/')
    return -1;
  if (m->fstype && m->fstype[0] == '\0') {
    free (m->fstype);
    m->fstype = NULL;
  }
  return 0;
}

static char *
read_key_file (const char *filename)
{
  FILE *f = fopen (filename, "r");
  if (f == NULL) {
    fprintf (stderr, "%s: --key: %s: %m\n", program_name, filename);
    return NULL;
  }
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n = getdelim (&buf, &cap, '\0', f);
  fclose (f);
  if (n <= 0) {
    fprintf (stderr, "%s: --key: %s: the file is empty\n", program_name,
             filename);
    free (buf);
    return NULL;
  }
  if (buf[n - 1] == '\n')
    buf[n - 1] = '\0';
  return buf;
}

int
parse_key_arg (const char *arg, struct key_opt *k)
{
  memset (k, 0, sizeof *k);
  /* The ID may itself contain colons (a device path rarely does, but
   * be exact): the method is the last ":key:" or ":file:". */
  const char *key = strstr (arg, ":key:");
  const char *file = strstr (arg, ":file:");
  if (key && (!file || key < file)) {
    k->id = strndup (arg, key - arg);
    k->key = strdup (key + 5);
  } else if (file) {
    k->id = strndup (arg, file - arg);
    k->key = read_key_file (file + 6);
    if (k->key == NULL)
      return -1;
  } else
    return -1;
  return k->id && k->id[0] && k->key ? 0 : -1;
}

/* ---- Drives ---- */

static int
add_drives (const struct setup *s)
{
  for (size_t i = 0; i < s->nr_drives; ++i) {
    const struct drive_opt *d = &s->drives[i];
    struct guestfs_add_drive_opts_argv o = {
      .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK,
      .readonly = config.read_only,
    };
    if (d->format) {
      o.bitmask |= GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK;
      o.format = d->format;
    }
    if (d->blocksize) {
      o.bitmask |= GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK;
      o.blocksize = d->blocksize;
    }
    char *servers[] = { d->server, NULL };
    if (d->protocol) {
      o.bitmask |= GUESTFS_ADD_DRIVE_OPTS_PROTOCOL_BITMASK |
                   GUESTFS_ADD_DRIVE_OPTS_SERVER_BITMASK;
      o.protocol = d->protocol;
      o.server = servers;
    }
    if (d->username) {
      o.bitmask |= GUESTFS_ADD_DRIVE_OPTS_USERNAME_BITMASK;
      o.username = d->username;
    }
    if (d->secret) {
      o.bitmask |= GUESTFS_ADD_DRIVE_OPTS_SECRET_BITMASK;
      o.secret = d->secret;
    }
    if (guestfs_add_drive_opts_argv (g, d->filename, &o) == -1)
      return -1;
  }
  return 0;
}

/* ---- Keys ---- */

static char *
read_line (FILE *f)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline (&line, &cap, f);
  if (n <= 0) {
    free (line);
    return NULL;
  }
  if (line[n - 1] == '\n')
    line[n - 1] = '\0';
  return line;
}

/* Ask for a key on stdin or the terminal. */
static char *
prompt_key (const struct setup *s, const char *dev)
{
  if (s->keys_from_stdin)
    return read_line (stdin);
  FILE *tty = fopen ("/dev/tty", "r+");
  if (tty == NULL) {
    fprintf (stderr, "%s: %s is encrypted and there is no terminal to ask "
             "for its key: use --key or --keys-from-stdin\n", program_name,
             dev);
    return NULL;
  }
  fprintf (tty, "Enter key or passphrase (\"%s\"): ", dev);
  fflush (tty);
  struct termios old, quiet;
  bool restore = false;
  if (!s->echo_keys && tcgetattr (fileno (tty), &old) == 0) {
    quiet = old;
    quiet.c_lflag &= ~ECHO;
    restore = tcsetattr (fileno (tty), TCSAFLUSH, &quiet) == 0;
  }
  char *key = read_line (tty);
  if (restore) {
    tcsetattr (fileno (tty), TCSAFLUSH, &old);
    fputc ('\n', tty);
  }
  fclose (tty);
  return key;
}

/* The name users know a device by: /dev/sdX whatever the appliance
 * calls its disks (vdX for virtio-blk, hdX, xvdX), as in -m. */
static char *
canonical_device (const char *dev)
{
  const char *p = NULL;
  if (strncmp (dev, "/dev/vd", 7) == 0 || strncmp (dev, "/dev/hd", 7) == 0)
    p = dev + 7;
  else if (strncmp (dev, "/dev/xvd", 8) == 0)
    p = dev + 8;
  char *r;
  if (p == NULL || asprintf (&r, "/dev/sd%s", p) == -1)
    r = strdup (dev);
  return r;
}

static bool
same_device (const char *a, const char *b)
{
  char *ca = canonical_device (a), *cb = canonical_device (b);
  bool same = ca && cb && strcmp (ca, cb) == 0;
  free (ca);
  free (cb);
  return same;
}

static char *
key_for (const struct setup *s, const char *dev, const char *uuid)
{
  for (size_t i = 0; i < s->nr_keys; ++i) {
    const char *id = s->keys[i].id;
    if (same_device (id, dev) || (uuid && strcmp (id, uuid) == 0) ||
        strcmp (id, "all") == 0)
      return strdup (s->keys[i].key);
  }
  char *name = canonical_device (dev);
  char *key = name ? prompt_key (s, name) : NULL;
  free (name);
  return key;
}

static void
wipe_free (char *key)
{
  if (key) {
    explicit_bzero (key, strlen (key));
    free (key);
  }
}

/* Open one LUKS device as /dev/mapper/luks-UUID (or -NAME). */
static int
open_encrypted (const struct setup *s, const char *dev)
{
  char *uuid = guestfs_vfs_uuid (g, dev);
  char *key = key_for (s, dev, uuid);
  char *name = canonical_device (dev);
  if (key == NULL || name == NULL) {
    fprintf (stderr, "%s: no key for the encrypted device %s\n",
             program_name, name ? name : dev);
    free (name);
    free (key);
    free (uuid);
    return -1;
  }
  char *map;
  const char *base = strrchr (dev, '/');
  if (asprintf (&map, "luks-%s", uuid && uuid[0] ? uuid : base + 1) == -1) {
    wipe_free (key);
    free (uuid);
    free (name);
    return -1;
  }
  struct guestfs_cryptsetup_open_argv o = {
    .bitmask = GUESTFS_CRYPTSETUP_OPEN_READONLY_BITMASK,
    .readonly = config.read_only,
  };
  int r = guestfs_cryptsetup_open_argv (g, dev, key, map, &o);
  if (r == -1)
    fprintf (stderr, "%s: could not open the encrypted device %s (wrong "
             "key?)\n", program_name, name);
  wipe_free (key);
  free (map);
  free (uuid);
  free (name);
  return r;
}

static int
open_encrypted_list (const struct setup *s, char **devs)
{
  for (size_t i = 0; devs && devs[i]; ++i) {
    char *type = guestfs_vfs_type (g, devs[i]);
    bool luks = type && strcmp (type, "crypto_LUKS") == 0;
    free (type);
    if (luks && open_encrypted (s, devs[i]) == -1)
      return -1;
  }
  return 0;
}

static void
free_list (char **l)
{
  for (size_t i = 0; l && l[i]; ++i)
    free (l[i]);
  free (l);
}

/* Open every LUKS device (whole disks, partitions, logical volumes),
 * then activate the volume groups they may hold. */
static int
decrypt (const struct setup *s)
{
  guestfs_error_handler_cb cb;
  void *data;
  cb = guestfs_get_error_handler (g, &data);
  /* vfs_type fails on devices with no filesystem: not an error here. */
  guestfs_set_error_handler (g, NULL, NULL);
  char **devs = guestfs_list_devices (g);
  char **parts = guestfs_list_partitions (g);
  char **lvs = guestfs_lvs (g);
  guestfs_set_error_handler (g, cb, data);
  int r = open_encrypted_list (s, devs);
  if (r == 0)
    r = open_encrypted_list (s, parts);
  if (r == 0)
    r = open_encrypted_list (s, lvs);
  free_list (devs);
  free_list (parts);
  free_list (lvs);
  if (r == 0 && (guestfs_vgscan (g) == -1 ||
                 guestfs_vg_activate_all (g, 1) == -1))
    r = -1;
  return r;
}

/* ---- Mounts ---- */

static int
mount_one (const char *dev, const char *mp, const char *options,
           const char *fstype)
{
  const char *opts = options ? options : config.read_only ? "ro" : "";
  if (fstype)
    return guestfs_mount_vfs (g, opts, fstype, dev, mp);
  return guestfs_mount_options (g, opts, dev, mp);
}

static int
mount_given (const struct setup *s)
{
  for (size_t i = 0; i < s->nr_mounts; ++i) {
    const struct mount_opt *m = &s->mounts[i];
    if (mount_one (m->device, m->mountpoint, m->options, m->fstype) == -1) {
      fprintf (stderr, "%s: could not mount %s on %s in the guest\n",
               program_name, m->device, m->mountpoint);
      return -1;
    }
  }
  return 0;
}

#if defined(LIBGUESTFS_HAVE_INSPECT_OS) &&                                   \
  defined(LIBGUESTFS_HAVE_INSPECT_GET_MOUNTPOINTS)
static int
compare_mountpoints (const void *a, const void *b)
{
  /* Shorter first: / before /boot before /boot/efi. */
  const char *const *x = a, *const *y = b;
  size_t lx = strlen (x[0]), ly = strlen (y[0]);
  return lx < ly ? -1 : lx > ly ? 1 : strcmp (x[0], y[0]);
}

static int
mount_inspected (void)
{
  char **roots = guestfs_inspect_os (g);
  if (roots == NULL)
    return -1;
  size_t n = 0;
  while (roots[n])
    ++n;
  if (n != 1) {
    fprintf (stderr, "%s: -i: %s\n", program_name,
             n == 0 ? "no operating system was found on the disk"
                    : "the disk holds several operating systems; use -m "
                      "to say which filesystems to mount");
    free_list (roots);
    return -1;
  }
  char **mps = guestfs_inspect_get_mountpoints (g, roots[0]);
  free_list (roots);
  if (mps == NULL)
    return -1;
  size_t pairs = 0;
  while (mps[pairs * 2])
    ++pairs;
  qsort (mps, pairs, 2 * sizeof (char *), compare_mountpoints);
  int r = 0;
  for (size_t i = 0; i < pairs && r == 0; ++i) {
    const char *mp = mps[2 * i], *dev = mps[2 * i + 1];
    if (mount_one (dev, mp, NULL, NULL) == -1) {
      if (strcmp (mp, "/") == 0)
        r = -1;
      else
        fprintf (stderr, "%s: warning: could not mount %s on %s in the "
                 "guest (continuing)\n", program_name, dev, mp);
    }
  }
  free_list (mps);
  return r;
}
#else
static int
mount_inspected (void)
{
  fprintf (stderr, "%s: -i: this build of the library has no inspection "
           "(use -m)\n", program_name);
  return -1;
}
#endif

int
setup_guest (const struct setup *s, bool unix_backend)
{
  if (add_drives (s) == -1 || guestfs_launch (g) == -1)
    return -1;
  if ((s->inspector || s->nr_keys > 0 || s->keys_from_stdin) &&
      !unix_backend && decrypt (s) == -1)
    return -1;
  if (s->inspector)
    return mount_inspected ();
  return mount_given (s);
}
