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
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "guestmount.h"
#include "sanitize.h"
#include "secret.h"

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

/* ---- Keys ----
 *
 * Keys live in secret memory (common/secret.h: locked, left out of core
 * dumps, wiped when freed), are read from unbuffered streams so that no
 * copy stays in a stdio buffer, and are forgotten as soon as the
 * encrypted devices are open.  Meanwhile the process is not dumpable:
 * no core file, no ptrace by the same user. */

/* The largest key file cryptsetup reads by default. */
#define KEY_MAX (8 * 1024 * 1024)

static void
protect_keys (void)
{
  static bool done;
  if (!done && prctl (PR_SET_DUMPABLE, 0) == -1)
    debug ("prctl PR_SET_DUMPABLE: %m");
  done = true;
}

/* Read up to delim (not kept) or the end into secret memory.  f must be
 * unbuffered (set before its first read).  NULL at the end of the input
 * or on an error (errno set, EFBIG if too long). */
static char *
read_secret (FILE *f, int delim)
{
  size_t cap = 256, n = 0;
  char *s = guestfs_int_secret_alloc (cap);
  int c = EOF;
  while (s && (c = getc (f)) != EOF && c != delim) {
    if (n + 1 == cap) {
      char *bigger = cap < KEY_MAX ? guestfs_int_secret_realloc (s, cap * 2)
                                   : NULL;
      if (bigger == NULL) {
        guestfs_int_secret_free (s);
        errno = cap < KEY_MAX ? ENOMEM : EFBIG;
        return NULL;
      }
      s = bigger;
      cap *= 2;
    }
    s[n++] = (char) c;
  }
  if (s && n == 0 && c == EOF) {
    guestfs_int_secret_free (s);
    errno = ferror (f) ? EIO : 0;
    return NULL;
  }
  return s;
}

static char *
read_key_file (const char *filename)
{
  FILE *f = fopen (filename, "r");
  if (f == NULL) {
    gm_message ("--key: %s: %m", filename);
    return NULL;
  }
  setvbuf (f, NULL, _IONBF, 0);
  char *key = read_secret (f, '\0');
  int e = errno;
  fclose (f);
  if (key == NULL) {
    errno = e;
    gm_message ("--key: %s: %s", filename,
                e ? strerror (e) : "the file is empty");
    return NULL;
  }
  size_t n = strlen (key);
  if (n > 0 && key[n - 1] == '\n')
    key[n - 1] = '\0';
  return key;
}

int
parse_key_arg (char *arg, struct key_opt *k)
{
  memset (k, 0, sizeof *k);
  protect_keys ();
  /* The ID may itself contain colons (a device path rarely does, but
   * be exact): the method is the last ":key:" or ":file:". */
  char *key = strstr (arg, ":key:");
  const char *file = strstr (arg, ":file:");
  if (key && (!file || key < file)) {
    k->id = strndup (arg, key - arg);
    k->key = guestfs_int_secret_strndup (key + 5, strlen (key + 5));
    /* Not left in the arguments either (/proc/PID/cmdline shows them). */
    explicit_bzero (key + 5, strlen (key + 5));
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

/* Ask for a key on stdin or the terminal. */
static char *
prompt_key (const struct setup *s, const char *dev)
{
  protect_keys ();
  if (s->keys_from_stdin) {
    static bool unbuffered;
    if (!unbuffered)
      setvbuf (stdin, NULL, _IONBF, 0); /* before its first read */
    unbuffered = true;
    return read_secret (stdin, '\n');
  }
  FILE *tty = fopen ("/dev/tty", "r+");
  if (tty == NULL) {
    gm_message ("%s is encrypted and there is no terminal to ask for its "
                "key: use --key or --keys-from-stdin", dev);
    return NULL;
  }
  fputs ("Enter key or passphrase (\"", tty);
  guestfs_int_fput_sanitized (dev, strlen (dev), 0, tty);
  fputs ("\"): ", tty);
  fflush (tty);
  setvbuf (tty, NULL, _IONBF, 0);
  struct termios old, quiet;
  bool restore = false;
  if (!s->echo_keys && tcgetattr (fileno (tty), &old) == 0) {
    quiet = old;
    quiet.c_lflag &= ~ECHO;
    restore = tcsetattr (fileno (tty), TCSAFLUSH, &quiet) == 0;
  }
  char *key = read_secret (tty, '\n');
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
      return guestfs_int_secret_strndup (s->keys[i].key,
                                         strlen (s->keys[i].key));
  }
  char *name = canonical_device (dev);
  char *key = name ? prompt_key (s, name) : NULL;
  free (name);
  return key;
}

/* Open one LUKS device as /dev/mapper/luks-UUID (or -NAME). */
static int
open_encrypted (const struct setup *s, const char *dev)
{
  char *uuid = guestfs_vfs_uuid (g, dev);
  char *key = key_for (s, dev, uuid);
  char *name = canonical_device (dev);
  if (key == NULL || name == NULL) {
    gm_message ("no key for the encrypted device %s", name ? name : dev);
    free (name);
    guestfs_int_secret_free (key);
    free (uuid);
    return -1;
  }
  char *map;
  const char *base = strrchr (dev, '/');
  if (asprintf (&map, "luks-%s", uuid && uuid[0] ? uuid : base + 1) == -1) {
    guestfs_int_secret_free (key);
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
    gm_message ("could not open the encrypted device %s (wrong key?)",
                name);
  guestfs_int_secret_free (key);
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
      gm_message ("could not mount %s on %s in the guest", m->device,
                  m->mountpoint);
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
    gm_message ("-i: %s",
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
        gm_message ("warning: could not mount %s on %s in the guest "
                    "(continuing)", dev, mp);
    }
  }
  free_list (mps);
  return r;
}
#else
static int
mount_inspected (void)
{
  gm_message ("-i: this build of the library has no inspection (use -m)");
  return -1;
}
#endif

void
forget_keys (struct setup *s)
{
  for (size_t i = 0; i < s->nr_keys; ++i) {
    guestfs_int_secret_free (s->keys[i].key);
    s->keys[i].key = NULL;
  }
  if (prctl (PR_SET_DUMPABLE, 1) == -1)
    debug ("prctl PR_SET_DUMPABLE: %m");
}

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
