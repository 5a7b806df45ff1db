/* Encrypted devices (LUKS, BitLocker) through cryptsetup.
 *
 * Keys reach cryptsetup only through its stdin (--key-file=-, which
 * takes every byte as the key), written from the decoded request
 * itself: never on a command line, which /proc shows to anyone, never
 * in a file, never in the debug log.  The dispatcher wipes the decoded
 * key and the received message once the action is done (whether it ran
 * or not), so the daemon keeps no copy around.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "daemon-actions.h"
#include "storage.h"

/* cryptsetup's documented exit codes. */
enum {
  CS_WRONG_PARAMS = 1,
  CS_NO_PERMISSION = 2, /* no key slot opens with the key */
  CS_NO_MEMORY = 3,
  CS_WRONG_DEVICE = 4,
  CS_BUSY = 5,
};

static int
errno_of_status (int status)
{
  switch (status) {
  case CS_NO_PERMISSION:
    return EPERM;
  case CS_NO_MEMORY:
    return ENOMEM;
  case CS_WRONG_DEVICE:
    return ENODEV;
  case CS_BUSY:
    return EBUSY;
  default:
    return EINVAL;
  }
}

/* Run cryptsetup with input on stdin; on failure reply about device. */
static int
cryptsetup (const char *device, const char *const *argv, const char *input,
            size_t len)
{
  char *err = NULL;
  int r = run_with_input (argv, input, len, NULL, &err);
  if (r == 0) {
    free (err);
    return 0;
  }
  if (r == CS_NO_PERMISSION)
    reply_with_error_errno (EPERM,
                            "%s: wrong key or passphrase (no key slot "
                            "opens with it)",
                            device);
  else
    reply_with_program_error (r == -1 ? 0 : errno_of_status (r), "cryptsetup",
                              r, err, "%s", device);
  free (err);
  return -1;
}

static int
check_mapname (const char *mapname)
{
  size_t len = strlen (mapname);
  if (len == 0 || len >= 128 || mapname[0] == '-' || mapname[0] == '.' ||
      strchr (mapname, '/') || strcmp (mapname, "control") == 0) {
    reply_with_error_errno (EINVAL,
                            "mapname: \"%s\": not a usable "
                            "device-mapper name",
                            mapname);
    return -1;
  }
  return 0;
}

/* libdevmapper creates the node itself (no udev); give it a moment to
 * be sure it is there before the caller uses it. */
static int
wait_for_node (const char *mapname)
{
  char path[160];
  snprintf (path, sizeof path, "/dev/mapper/%s", mapname);
  for (int i = 0; i < 200; ++i) {
    struct stat st;
    if (stat (path, &st) == 0 && S_ISBLK (st.st_mode))
      return 0;
    nanosleep (&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
  }
  reply_with_error_errno (ETIMEDOUT, "%s: the device node did not appear",
                          path);
  return -1;
}

int
do_luks_format (const char *device, const char *key, int keyslot)
{
  if (keyslot < 0 || keyslot > 31) {
    reply_with_error_errno (EINVAL, "keyslot: %d: must be 0 to 31", keyslot);
    return -1;
  }
  char slot[16];
  snprintf (slot, sizeof slot, "%d", keyslot);
  /* Argon2id's default memory cost is up to 1 GiB, more than the
   * appliance has: cap it so the device opens here too. */
  const char *argv[] = {"cryptsetup",   "luksFormat",     "--batch-mode",
                        "--type",       "luks2",          "--pbkdf",
                        "argon2id",     "--pbkdf-memory", "65536",
                        "--key-file=-", "--key-slot",     slot,
                        "--",           device,           NULL};
  return cryptsetup (device, argv, key, strlen (key));
}

/* The --type for an encrypted device: given, or what it looks like. */
static const char *
crypt_type (const char *device, const char *crypttype)
{
  if (crypttype) {
    if (strcmp (crypttype, "luks") == 0 || strcmp (crypttype, "bitlk") == 0)
      return crypttype;
    reply_with_error_errno (EINVAL,
                            "crypttype: \"%s\": expected \"luks\" or "
                            "\"bitlk\"",
                            crypttype);
    return NULL;
  }
  char *type = probe_tag (device, "TYPE");
  if (type == NULL)
    return NULL;
  bool bitlk = strcmp (type, "BitLocker") == 0;
  free (type);
  return bitlk ? "bitlk" : "luks";
}

static int
open_encrypted (const char *device, const char *key, const char *mapname,
                bool readonly, const char *crypttype, const char *cipher)
{
  const char *type;
  if (check_mapname (mapname) == -1 ||
      (type = crypt_type (device, crypttype)) == NULL)
    return -1;
  const char *argv[16] = {"cryptsetup", "open", "--type", type, "--key-file=-"};
  size_t n = 5;
  if (readonly)
    argv[n++] = "--readonly";
  if (cipher) {
    argv[n++] = "--cipher";
    argv[n++] = cipher;
  }
  argv[n++] = "--";
  argv[n++] = device;
  argv[n++] = mapname;
  argv[n] = NULL;
  if (cryptsetup (device, argv, key, strlen (key)) == -1)
    return -1;
  return wait_for_node (mapname);
}

int
do_cryptsetup_open (const char *device, const char *key, const char *mapname,
                    int readonly, const char *crypttype, const char *cipher)
{
  return open_encrypted (device, key, mapname, OPTARG_SET (0) && readonly,
                         OPTARG_SET (1) ? crypttype : NULL,
                         OPTARG_SET (2) ? cipher : NULL);
}

int
do_luks_open (const char *device, const char *key, const char *mapname)
{
  return open_encrypted (device, key, mapname, false, "luks", NULL);
}

int
do_luks_open_ro (const char *device, const char *key, const char *mapname)
{
  return open_encrypted (device, key, mapname, true, "luks", NULL);
}

/* The device-mapper name of /dev/mapper/NAME (or /dev/dm-N). */
static char *
dm_name (const char *device)
{
  char *kname = block_kernel_name (device);
  if (kname == NULL || strncmp (kname, "dm-", 3) != 0) {
    reply_with_error_errno (EINVAL,
                            "%s: not a device-mapper device (give "
                            "the /dev/mapper name, not the encrypted device)",
                            device);
    free (kname);
    return NULL;
  }
  char path[128];
  snprintf (path, sizeof path, "/sys/block/%s/dm/name", kname);
  free (kname);
  FILE *f = fopen (path, "r");
  char *line = NULL;
  size_t n = 0;
  if (f == NULL || getline (&line, &n, f) <= 0) {
    reply_with_perror ("%s", path);
    if (f)
      fclose (f);
    free (line);
    return NULL;
  }
  fclose (f);
  line[strcspn (line, "\n")] = '\0';
  return line;
}

int
do_cryptsetup_close (const char *device)
{
  char *name = dm_name (device);
  if (name == NULL)
    return -1;
  const char *argv[] = {"cryptsetup", "close", "--", name, NULL};
  int r = cryptsetup (device, argv, NULL, 0);
  free (name);
  return r;
}

int
do_luks_close (const char *device)
{
  return do_cryptsetup_close (device);
}

int
do_luks_add_key (const char *device, const char *key, const char *newkey,
                 int keyslot)
{
  int r = -1;
  char *input = NULL;
  size_t len = strlen (key) + strlen (newkey) + 2;
  char slot[16];
  snprintf (slot, sizeof slot, "%d", keyslot);
  if (keyslot < 0 || keyslot > 31) {
    reply_with_error_errno (EINVAL, "keyslot: %d: must be 0 to 31", keyslot);
    goto out;
  }
  /* Both keys come through stdin, each ended by a newline, as if typed
   * at cryptsetup's two prompts: so neither may contain one. */
  if (strchr (key, '\n') || strchr (newkey, '\n')) {
    reply_with_error_errno (EINVAL,
                            "%s: keys added with luks_add_key cannot "
                            "contain a newline",
                            device);
    goto out;
  }
  input = malloc (len + 1);
  if (input == NULL) {
    reply_with_perror ("malloc");
    goto out;
  }
  snprintf (input, len + 1, "%s\n%s\n", key, newkey);
  const char *argv[] = {
      "cryptsetup", "luksAddKey", "--batch-mode", "--pbkdf-memory", "65536",
      "--key-slot", slot,         "--",           device,           NULL};
  r = cryptsetup (device, argv, input, len);

out:
  if (input) {
    explicit_bzero (input, len);
    free (input);
  }
  return r;
}
