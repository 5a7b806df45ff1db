/* Inspection of Windows systems, from the registry.
 *
 * The SOFTWARE hive gives the product and its version, the SYSTEM hive
 * the computer name and the drive letters (MountedDevices).  Hives are
 * read with libhivex, which is written to be safe with corrupt and
 * hostile hives; it opens them through /proc/self/fd of a descriptor
 * opened inside the candidate, so a link in the guest cannot point it
 * at a file of the appliance.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect-parse.h"
#include "inspect.h"
#include "storage.h"

/* Real hives are tens to hundreds of MiB; a "hive" of gigabytes is not
 * one (and hivex would map all of it). */
#define MAX_HIVE_SIZE (INT64_C (1) << 30)
#define MIN_HIVE_SIZE 8192

char *
windows_systemroot (int root_fd)
{
  static const char *const candidates[] = {"/Windows", "/WINNT", NULL};
  for (size_t i = 0; candidates[i]; ++i) {
    char *dir = guest_find_nocase (root_fd, candidates[i]);
    if (dir == NULL)
      continue;
    char *config_path = NULL, *config = NULL;
    if (asprintf (&config_path, "%s/System32/config", dir) != -1)
      config = guest_find_nocase (root_fd, config_path);
    bool ok = config && guest_is_dir (root_fd, config);
    free (config_path);
    free (config);
    if (ok)
      return dir;
    free (dir);
  }
  return NULL;
}

/* ---- Hives ---- */

/* The path of a hive (as spelt on the disk), or NULL. */
static char *
hive_path (int root_fd, const char *systemroot, const char *name)
{
  char *p, *found = NULL;
  if (asprintf (&p, "%s/System32/config/%s", systemroot, name) != -1) {
    found = guest_find_nocase (root_fd, p);
    free (p);
  }
  return found;
}

static hive_h *
open_hive (int root_fd, const char *path)
{
  int fd = guest_open (root_fd, path, O_RDONLY);
  if (fd == -1)
    return NULL;
  struct stat st;
  hive_h *h = NULL;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) &&
      st.st_size >= MIN_HIVE_SIZE && st.st_size <= MAX_HIVE_SIZE) {
    char procpath[64];
    snprintf (procpath, sizeof procpath, "/proc/self/fd/%d", fd);
    h = hivex_open (procpath, 0);
    if (h == NULL)
      debug ("inspect: %s: not a hive: %m", path);
  }
  close (fd);
  return h;
}

/* The key at a backslash-separated path below the root, or 0. */
static hive_node_h
hive_key (hive_h *h, const char *path)
{
  char *copy = strdup (path), *save = NULL;
  hive_node_h node = copy ? hivex_root (h) : 0;
  for (char *part = copy ? strtok_r (copy, "\\", &save) : NULL; part && node;
       part = strtok_r (NULL, "\\", &save))
    node = hivex_node_get_child (h, node, part);
  free (copy);
  return node;
}

/* A REG_SZ or REG_EXPAND_SZ value as clean UTF-8 text (malloc'd), or
 * NULL. */
static char *
hive_string (hive_h *h, hive_node_h node, const char *name)
{
  hive_value_h v = node ? hivex_node_get_value (h, node, name) : 0;
  hive_type t;
  size_t len;
  if (v == 0 || hivex_value_type (h, v, &t, &len) == -1 ||
      (t != hive_t_REG_SZ && t != hive_t_REG_EXPAND_SZ))
    return NULL;
  char *s = hivex_value_string (h, v);
  if (s == NULL)
    return NULL;
  char *clean = clean_text (s, strlen (s), INSPECT_MAX_TEXT, true);
  free (s);
  return clean;
}

static bool
hive_dword (hive_h *h, hive_node_h node, const char *name, int32_t *out)
{
  hive_value_h v = node ? hivex_node_get_value (h, node, name) : 0;
  hive_type t;
  size_t len;
  if (v == 0 || hivex_value_type (h, v, &t, &len) == -1 ||
      (t != hive_t_REG_DWORD && t != hive_t_REG_DWORD_BIG_ENDIAN) || len != 4)
    return false;
  errno = 0;
  int32_t d = hivex_value_dword (h, v);
  if (d == -1 && errno != 0)
    return false;
  *out = d;
  return true;
}

/* ---- SOFTWARE ---- */

static void
read_software (struct inspect_ctx *ctx, hive_h *h)
{
  hive_node_h cv = hive_key (h, "Microsoft\\Windows NT\\CurrentVersion");
  if (cv == 0)
    return;
  char *s = hive_string (h, cv, "ProductName");
  if (s)
    add_fact (ctx, "product_name", s);
  free (s);
  s = hive_string (h, cv, "InstallationType");
  if (s)
    add_fact (ctx, "product_variant", s);
  free (s);
  s = hive_string (h, cv, "CurrentBuildNumber");
  if (s)
    add_fact (ctx, "build_id", s);
  free (s);

  /* Windows 10 and later keep "6.3" in CurrentVersion for old programs
   * and give the real version in two numbers. */
  int32_t major, minor;
  int ma = 0, mi = 0;
  if (hive_dword (h, cv, "CurrentMajorVersionNumber", &major) && major >= 0) {
    ma = major;
    mi = hive_dword (h, cv, "CurrentMinorVersionNumber", &minor) && minor >= 0
             ? minor
             : 0;
  } else {
    s = hive_string (h, cv, "CurrentVersion");
    if (s == NULL || !parse_version (s, &ma, &mi))
      ma = mi = 0;
    free (s);
  }
  add_fact_int (ctx, "major_version", ma);
  add_fact_int (ctx, "minor_version", mi);
}

/* ---- SYSTEM ---- */

/* The disk (its kernel name, malloc'd) whose MBR signature is sig. */
static char *
disk_with_signature (struct inspect_ctx *ctx, uint32_t sig)
{
  for (size_t i = 0; ctx->disks[i]; ++i) {
    int fd = open (ctx->disks[i], O_RDONLY | O_CLOEXEC);
    unsigned char mbr[512];
    bool match = fd >= 0 && pread (fd, mbr, sizeof mbr, 0) == sizeof mbr &&
                 mbr[510] == 0x55 && mbr[511] == 0xaa &&
                 (mbr[440] | (uint32_t)mbr[441] << 8 |
                  (uint32_t)mbr[442] << 16 | (uint32_t)mbr[443] << 24) == sig;
    if (fd >= 0)
      close (fd);
    if (match) {
      const char *slash = strrchr (ctx->disks[i], '/');
      return strdup (slash ? slash + 1 : ctx->disks[i]);
    }
  }
  return NULL;
}

/* The partition of an MBR disk with signature sig starting at offset
 * bytes. */
static const char *
mbr_partition (struct inspect_ctx *ctx, uint32_t sig, uint64_t offset)
{
  if (offset % 512 != 0)
    return NULL;
  char *disk = disk_with_signature (ctx, sig);
  if (disk == NULL)
    return NULL;
  size_t n;
  const struct device_info *d = inspect_devices (ctx, &n);
  const char *found = NULL;
  for (size_t i = 0; i < n && !found; ++i) {
    char *parent = NULL;
    uint64_t start;
    if (partition_position (d[i].dev, &parent, &start) &&
        strcmp (parent, disk) == 0 && start == offset / 512)
      found = d[i].dev;
    free (parent);
  }
  free (disk);
  return found;
}

static const char *
gpt_partition (struct inspect_ctx *ctx, const char *guid)
{
  size_t n;
  const struct device_info *d = inspect_devices (ctx, &n);
  for (size_t i = 0; i < n; ++i)
    if (strcasecmp (d[i].partuuid, guid) == 0)
      return d[i].dev;
  return NULL;
}

static void
read_drive_letters (struct inspect_ctx *ctx, hive_h *h)
{
  hive_node_h md = hive_key (h, "MountedDevices");
  hive_value_h *values = md ? hivex_node_values (h, md) : NULL;
  bool seen['Z' - 'A' + 1] = {false};
  for (size_t i = 0; values && values[i]; ++i) {
    char *name = hivex_value_key (h, values[i]);
    char letter;
    /* Names differing in case only: the first one counts. */
    if (name == NULL || !parse_dos_device_name (name, &letter) ||
        seen[letter - 'A']) {
      free (name);
      continue;
    }
    free (name);
    seen[letter - 'A'] = true;
    hive_type t;
    size_t len = 0;
    char *data = hivex_value_value (h, values[i], &t, &len);
    uint32_t sig;
    uint64_t offset;
    char guid[37];
    const char *dev = NULL;
    if (data &&
        parse_mbr_mounted_device ((unsigned char *)data, len, &sig, &offset))
      dev = mbr_partition (ctx, sig, offset);
    else if (data &&
             parse_gpt_mounted_device ((unsigned char *)data, len, guid))
      dev = gpt_partition (ctx, guid);
    free (data);
    if (dev) {
      char key[] = "drive:?";
      key[6] = letter;
      add_fact (ctx, key, dev);
    }
  }
  free (values);
}

static void
read_system (struct inspect_ctx *ctx, hive_h *h)
{
  int32_t current;
  hive_node_h select = hive_key (h, "Select");
  if (hive_dword (h, select, "Current", &current) && current >= 1 &&
      current <= 999) {
    char set[32];
    snprintf (set, sizeof set, "ControlSet%03d", (int)current);
    add_fact (ctx, "windows_current_control_set", set);
    char *path;
    if (asprintf (&path, "%s\\Control\\ComputerName\\ComputerName", set) !=
        -1) {
      char *name = hive_string (h, hive_key (h, path), "ComputerName");
      if (name && valid_hostname (name))
        add_fact (ctx, "hostname", name);
      free (name);
      free (path);
    }
  }
  read_drive_letters (ctx, h);
}

/* ---- The facts ---- */

static const char *
windows_arch (int root_fd, const char *systemroot)
{
  char *p, *cmd = NULL;
  if (asprintf (&p, "%s/System32/cmd.exe", systemroot) != -1) {
    cmd = guest_find_nocase (root_fd, p);
    free (p);
  }
  if (cmd == NULL)
    return NULL;
  size_t len;
  char *head = guest_read (root_fd, cmd, 4096, &len);
  const char *arch = head ? pe_architecture ((unsigned char *)head, len) : NULL;
  free (head);
  free (cmd);
  return arch;
}

void
inspect_windows (struct inspect_ctx *ctx, const struct inspect_fs *fs,
                 const char *systemroot)
{
  add_fact (ctx, "root", fs->mountable);
  add_fact (ctx, "type", "windows");
  add_fact (ctx, "distro", "windows");
  add_fact (ctx, "format", "installed");
  add_fact (ctx, "windows_systemroot", systemroot);
  const char *arch = windows_arch (fs->root_fd, systemroot);
  if (arch)
    add_fact (ctx, "arch", arch);

  char *software = hive_path (fs->root_fd, systemroot, "SOFTWARE");
  hive_h *h = software ? open_hive (fs->root_fd, software) : NULL;
  if (h) {
    add_fact (ctx, "windows_software_hive", software);
    read_software (ctx, h);
    hivex_close (h);
  }
  free (software);

  char *system = hive_path (fs->root_fd, systemroot, "SYSTEM");
  h = system ? open_hive (fs->root_fd, system) : NULL;
  if (h) {
    add_fact (ctx, "windows_system_hive", system);
    read_system (ctx, h);
    hivex_close (h);
  }
  free (system);

  add_fact (ctx, "mountpoint:/", fs->mountable);
  add_fact (ctx, "filesystem", fs->mountable);
}
