/* Inspection of Linux systems: release files, /etc/fstab, host name,
 * architecture, package database.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "inspect-parse.h"
#include "inspect.h"
#include "storage.h"

#define BTRFSVOL_PREFIX "btrfsvol:"

static const char *const release_files[] = {
    "/etc/os-release",     "/usr/lib/os-release", "/etc/lsb-release",
    "/etc/redhat-release", "/etc/debian_version", NULL};

bool
is_linux_root (int root_fd)
{
  if (!guest_is_dir (root_fd, "/etc"))
    return false;
  for (size_t i = 0; release_files[i]; ++i)
    if (guest_is_file (root_fd, release_files[i]))
      return true;
  return guest_is_file (root_fd, "/etc/fstab");
}

/* ---- What the release files say ---- */

struct linux_release {
  char *distro; /* libguestfs's name, or NULL */
  char *product_name, *product_variant, *build_id;
  int major, minor;
};

static void
free_release (struct linux_release *r)
{
  free (r->distro);
  free (r->product_name);
  free (r->product_variant);
  free (r->build_id);
}

/* A value of a KEY=VALUE file, cleaned for display. */
static char *
kv_text (const char *text, size_t len, const char *key)
{
  char *v = kv_lookup (text, len, key);
  if (v == NULL)
    return NULL;
  char *clean = clean_text (v, strlen (v), INSPECT_MAX_TEXT, true);
  free (v);
  return clean;
}

static char *
distro_name (const char *id)
{
  const char *d = id ? distro_of_id (id) : NULL;
  return d ? strdup (d) : NULL;
}

/* os-release(5): /etc/os-release, else /usr/lib/os-release. */
static bool
read_os_release (int root_fd, struct linux_release *r)
{
  size_t len;
  char *text = guest_read (root_fd, "/etc/os-release", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    text = guest_read (root_fd, "/usr/lib/os-release", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return false;
  char *id = kv_lookup (text, len, "ID");
  char *version = kv_lookup (text, len, "VERSION_ID");
  r->distro = distro_name (id);
  r->product_name = kv_text (text, len, "PRETTY_NAME");
  if (r->product_name == NULL)
    r->product_name = kv_text (text, len, "NAME");
  r->product_variant = kv_text (text, len, "VARIANT");
  r->build_id = kv_text (text, len, "BUILD_ID");
  parse_version (version, &r->major, &r->minor);
  bool useful = id != NULL || r->product_name != NULL;
  free (id);
  free (version);
  free (text);
  return useful;
}

/* /etc/lsb-release (Ubuntu and its relatives before os-release). */
static bool
read_lsb_release (int root_fd, struct linux_release *r)
{
  size_t len;
  char *text = guest_read (root_fd, "/etc/lsb-release", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return false;
  char *id = kv_lookup (text, len, "DISTRIB_ID");
  char *version = kv_lookup (text, len, "DISTRIB_RELEASE");
  r->distro = distro_name (id);
  r->product_name = kv_text (text, len, "DISTRIB_DESCRIPTION");
  parse_version (version, &r->major, &r->minor);
  bool useful = r->distro != NULL;
  free (id);
  free (version);
  free (text);
  return useful;
}

/* /etc/redhat-release: "Fedora release 39 (Thirty Nine)", "CentOS
 * Linux release 7.9.2009 (Core)", "Red Hat Enterprise Linux ...". */
static bool
read_redhat_release (int root_fd, struct linux_release *r)
{
  size_t len;
  char *text =
      guest_read (root_fd, "/etc/redhat-release", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return false;
  r->product_name = clean_text (text, len, INSPECT_MAX_TEXT, true);
  free (text);
  if (r->product_name == NULL)
    return false;
  static const struct {
    const char *prefix, *distro;
  } families[] = {
      {"Fedora", "fedora"},
      {"Red Hat Enterprise Linux", "rhel"},
      {"CentOS", "centos"},
      {"Rocky Linux", "rocky"},
      {"AlmaLinux", "almalinux"},
      {"Oracle Linux", "oraclelinux"},
      {"Scientific Linux", "scientificlinux"},
      {"Mageia", "mageia"},
  };
  for (size_t i = 0; i < sizeof families / sizeof families[0]; ++i)
    if (strncmp (r->product_name, families[i].prefix,
                 strlen (families[i].prefix)) == 0)
      r->distro = strdup (families[i].distro);
  parse_release_line (r->product_name, &r->major, &r->minor);
  return true;
}

/* /etc/debian_version: "12.5", or "bookworm/sid" on testing. */
static bool
read_debian_version (int root_fd, int *major, int *minor, char **text_r)
{
  size_t len;
  char *text =
      guest_read (root_fd, "/etc/debian_version", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return false;
  char *line = clean_text (text, len, INSPECT_MAX_TEXT, true);
  free (text);
  bool ok = line && parse_version (line, major, minor);
  if (text_r)
    *text_r = line;
  else
    free (line);
  return ok;
}

/* Debian's os-release has the major version only.  As libguestfs
 * does, debian_version then names the product ("12.5") and gives the
 * point release; a version it cannot parse ("bookworm/sid") keeps
 * os-release's. */
static void
prefer_debian_version (int root_fd, struct linux_release *r)
{
  int major, minor;
  char *text = NULL;
  bool parsed = read_debian_version (root_fd, &major, &minor, &text);
  if (text == NULL || *text == '\0') {
    free (text);
    return;
  }
  free (r->product_name);
  r->product_name = text;
  if (parsed) {
    r->major = major;
    r->minor = minor;
  }
}

static void
reset_release (struct linux_release *r)
{
  free_release (r);
  *r = (struct linux_release){0};
}

static void
read_release (int root_fd, struct linux_release *r)
{
  bool found = read_os_release (root_fd, r);
  if (!found) {
    reset_release (r);
    found = read_lsb_release (root_fd, r);
  }
  if (!found) {
    reset_release (r);
    found = read_redhat_release (root_fd, r);
  }
  if (!found) {
    /* Debian before os-release (6 and older): debian_version alone. */
    reset_release (r);
    char *text = NULL;
    if (guest_is_file (root_fd, "/etc/debian_version")) {
      read_debian_version (root_fd, &r->major, &r->minor, &text);
      r->distro = strdup ("debian");
      r->product_name = text;
    }
  } else if (r->distro && strcmp (r->distro, "debian") == 0 && r->minor == 0)
    prefer_debian_version (root_fd, r);
}

/* ---- Host name ---- */

/* The first line of path that is neither blank nor a comment. */
static char *
first_meaningful_line (int root_fd, const char *path)
{
  size_t len;
  char *text = guest_read (root_fd, path, INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return NULL;
  char *result = NULL;
  for (char *line = text, *next; line && !result; line = next) {
    next = strchr (line, '\n');
    if (next)
      *next++ = '\0';
    char *clean = clean_text (line, strlen (line), 256, true);
    if (clean && clean[0] != '#')
      result = clean;
    else
      free (clean);
  }
  free (text);
  return result;
}

static char *
linux_hostname (int root_fd)
{
  char *name = first_meaningful_line (root_fd, "/etc/hostname");
  if (name == NULL)
    name = first_meaningful_line (root_fd, "/etc/HOSTNAME");
  if (name == NULL) {
    size_t len;
    char *text =
        guest_read (root_fd, "/etc/sysconfig/network", INSPECT_MAX_FILE, &len);
    if (text)
      name = kv_lookup (text, len, "HOSTNAME");
    free (text);
  }
  if (name && !valid_hostname (name)) {
    free (name);
    name = NULL;
  }
  return name;
}

/* ---- Architecture ---- */

static const char *
linux_arch (int root_fd)
{
  static const char *const programs[] = {
      "/usr/bin/bash", "/bin/bash",    "/usr/bin/ls", "/bin/ls",
      "/bin/sh",       "/usr/bin/sh",  "/bin/echo",   "/usr/bin/env",
      "/sbin/init",    "/bin/busybox", NULL};
  for (size_t i = 0; programs[i]; ++i) {
    size_t len;
    char *head = guest_read (root_fd, programs[i], 64, &len);
    const char *arch =
        head ? elf_architecture ((unsigned char *)head, len) : NULL;
    free (head);
    if (arch)
      return arch;
  }
  return NULL;
}

/* ---- Packages ---- */

static const char *
package_format_on_disk (int root_fd)
{
  if (guest_is_file (root_fd, "/var/lib/dpkg/status"))
    return "deb";
  if (guest_is_dir (root_fd, "/var/lib/rpm") ||
      guest_is_dir (root_fd, "/usr/lib/sysimage/rpm"))
    return "rpm";
  if (guest_is_dir (root_fd, "/var/lib/pacman"))
    return "pacman";
  if (guest_is_file (root_fd, "/lib/apk/db/installed"))
    return "apk";
  if (guest_is_dir (root_fd, "/var/db/pkg"))
    return "ebuild";
  if (guest_is_dir (root_fd, "/var/db/xbps"))
    return "xbps";
  return NULL;
}

/* ---- /etc/fstab ---- */

struct fstab_result {
  struct stringsbuf mountpoints; /* mountpoint, mountable, ... */
  struct stringsbuf swaps;
};

static bool
in_list (char **list, const char *s)
{
  for (size_t i = 0; list && list[i]; ++i)
    if (strcmp (list[i], s) == 0)
      return true;
  return false;
}

/* The device whose tag (UUID, LABEL, ...) is value. */
static const char *
device_by_tag (struct inspect_ctx *ctx, const char *tag, const char *value)
{
  size_t n;
  const struct device_info *d = inspect_devices (ctx, &n);
  for (size_t i = 0; i < n; ++i) {
    const char *v = strcmp (tag, "UUID") == 0        ? d[i].uuid
                    : strcmp (tag, "LABEL") == 0     ? d[i].label
                    : strcmp (tag, "PARTUUID") == 0  ? d[i].partuuid
                    : strcmp (tag, "PARTLABEL") == 0 ? d[i].partlabel
                                                     : "";
    /* UUIDs are compared without case: fstab writers differ. */
    bool uuid = strcmp (tag, "UUID") == 0 || strcmp (tag, "PARTUUID") == 0;
    if (*v && (uuid ? strcasecmp (v, value) == 0 : strcmp (v, value) == 0))
      return d[i].dev;
  }
  return NULL;
}

/* /dev/sdb2 in the guest: the same disk (by order) and partition here. */
static char *
device_by_guest_name (struct inspect_ctx *ctx, const char *spec)
{
  int disk, part;
  if (!parse_guest_disk_name (spec, &disk, &part))
    return NULL;
  size_t ndisks = count_strings (ctx->disks);
  if (disk < 0 || (size_t)disk >= ndisks)
    return NULL;
  const char *d = ctx->disks[disk];
  char *dev;
  if (part == 0)
    dev = strdup (d);
  else {
    size_t len = strlen (d);
    bool digit_end = len > 0 && d[len - 1] >= '0' && d[len - 1] <= '9';
    if (asprintf (&dev, "%s%s%d", d, digit_end ? "p" : "", part) == -1)
      dev = NULL;
  }
  struct stat st;
  if (dev && (stat (dev, &st) == -1 || !S_ISBLK (st.st_mode))) {
    free (dev);
    dev = NULL;
  }
  return dev;
}

/* The device an fstab spec names, as list_filesystems names it
 * (malloc'd), or NULL. */
static char *
resolve_spec (struct inspect_ctx *ctx, const char *spec)
{
  static const struct {
    const char *prefix, *tag;
  } tagged[] = {
      {"UUID=", "UUID"},
      {"LABEL=", "LABEL"},
      {"PARTUUID=", "PARTUUID"},
      {"PARTLABEL=", "PARTLABEL"},
      {"/dev/disk/by-uuid/", "UUID"},
      {"/dev/disk/by-label/", "LABEL"},
      {"/dev/disk/by-partuuid/", "PARTUUID"},
      {"/dev/disk/by-partlabel/", "PARTLABEL"},
  };
  for (size_t i = 0; i < sizeof tagged / sizeof tagged[0]; ++i) {
    size_t plen = strlen (tagged[i].prefix);
    if (strncmp (spec, tagged[i].prefix, plen) == 0) {
      const char *value = spec + plen;
      /* LABEL="x" is accepted by mount(8) too. */
      char *unquoted = NULL;
      size_t vlen = strlen (value);
      if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"')
        value = unquoted = strndup (value + 1, vlen - 2);
      const char *dev =
          value ? device_by_tag (ctx, tagged[i].tag, value) : NULL;
      free (unquoted);
      return dev ? strdup (dev) : NULL;
    }
  }
  if (strncmp (spec, "/dev/mapper/", 12) == 0) {
    char *lv = lv_of_mapper_name (spec + 12);
    if (lv && in_list (ctx->lvs, lv))
      return lv;
    free (lv);
    /* A device-mapper device opened under the same name (LUKS). */
    return listed_type (ctx, spec) ? strdup (spec) : NULL;
  }
  if (in_list (ctx->lvs, spec))
    return strdup (spec);
  return device_by_guest_name (ctx, spec);
}

/* The mountable of an fstab entry: the device, or for a btrfs
 * subvolume its btrfsvol: name, which must be a listed subvolume. */
static char *
entry_mountable (struct inspect_ctx *ctx, const struct fstab_entry *e)
{
  char *dev = resolve_spec (ctx, e->spec);
  if (dev == NULL || strcmp (e->vfstype, "btrfs") != 0)
    return dev;
  char *subvol = mount_option (e->options, "subvol");
  if (subvol == NULL)
    return dev;
  const char *s = subvol;
  while (*s == '/')
    ++s;
  char *m = NULL;
  if (*s == '\0') /* the top of the filesystem */
    m = strdup (dev);
  else if (asprintf (&m, "%s%s/%s", BTRFSVOL_PREFIX, dev, s) == -1)
    m = NULL;
  else if (listed_type (ctx, m) == NULL) {
    free (m);
    m = NULL;
  }
  free (subvol);
  free (dev);
  return m;
}

static bool
has_mountpoint (struct stringsbuf *sb, const char *mp)
{
  for (size_t i = 0; i + 1 < sb->size; i += 2)
    if (strcmp (sb->argv[i], mp) == 0)
      return true;
  return false;
}

/* An absolute path of printable characters, of a sensible length. */
static bool
plausible_mountpoint (const char *mp)
{
  if (mp[0] != '/' || strlen (mp) > PATH_MAX)
    return false;
  for (const unsigned char *p = (const unsigned char *)mp; *p; ++p)
    if (*p < 0x20 || *p == 0x7f)
      return false;
  return true;
}

static void
add_fstab_entry (struct inspect_ctx *ctx, struct fstab_result *r,
                 const struct fstab_entry *e)
{
  bool swap = strcmp (e->vfstype, "swap") == 0;
  if (!swap && (!plausible_mountpoint (e->mountpoint) ||
                has_mountpoint (&r->mountpoints, e->mountpoint) ||
                r->mountpoints.size / 2 >= INSPECT_MAX_MOUNTPOINTS))
    return;
  if (swap && r->swaps.size >= INSPECT_MAX_MOUNTPOINTS)
    return;
  char *m = entry_mountable (ctx, e);
  if (m == NULL)
    return;
  int err;
  if (swap)
    err = in_list (r->swaps.argv, m) ? 0 : add_string (&r->swaps, m);
  else
    err = add_string (&r->mountpoints, e->mountpoint) == -1 ||
                  add_string (&r->mountpoints, m) == -1
              ? -1
              : 0;
  if (err == -1)
    ctx->failed = true;
  free (m);
}

static void
read_fstab (struct inspect_ctx *ctx, int root_fd, struct fstab_result *r)
{
  size_t len;
  char *text = guest_read (root_fd, "/etc/fstab", INSPECT_MAX_FILE, &len);
  if (text == NULL)
    return;
  for (char *line = text, *next; line && line < text + len; line = next) {
    next = strchr (line, '\n');
    if (next)
      *next++ = '\0';
    struct fstab_entry e;
    if (fstab_parse_line (line, &e))
      add_fstab_entry (ctx, r, &e);
  }
  free (text);
}

/* ---- The facts ---- */

struct mountpoint {
  const char *dir, *mountable;
};

static int
compare_mountpoint_entries (const void *a, const void *b)
{
  const struct mountpoint *x = a, *y = b;
  return compare_mountpoints (x->dir, y->dir);
}

/* "/" is the root itself, whatever fstab says; the rest sorted so that
 * mounting in order works. */
static void
add_mountpoint_facts (struct inspect_ctx *ctx, const struct inspect_fs *fs,
                      struct fstab_result *r)
{
  size_t n = r->mountpoints.size / 2;
  struct mountpoint *mp = calloc (n + 1, sizeof *mp);
  if (mp == NULL) {
    ctx->failed = true;
    return;
  }
  size_t k = 0;
  mp[k++] = (struct mountpoint){"/", fs->mountable};
  for (size_t i = 0; i < n; ++i)
    if (strcmp (r->mountpoints.argv[2 * i], "/") != 0)
      mp[k++] = (struct mountpoint){r->mountpoints.argv[2 * i],
                                    r->mountpoints.argv[2 * i + 1]};
  qsort (mp, k, sizeof *mp, compare_mountpoint_entries);

  struct stringsbuf seen = {0};
  for (size_t i = 0; i < k; ++i) {
    char *key;
    if (asprintf (&key, "mountpoint:%s", mp[i].dir) == -1) {
      ctx->failed = true;
      break;
    }
    add_fact (ctx, key, mp[i].mountable);
    free (key);
    if (!in_list (seen.argv, mp[i].mountable) &&
        add_string (&seen, mp[i].mountable) == -1)
      ctx->failed = true;
  }
  for (size_t i = 0; i < r->swaps.size; ++i)
    if (!in_list (seen.argv, r->swaps.argv[i]) &&
        add_string (&seen, r->swaps.argv[i]) == -1)
      ctx->failed = true;
  for (size_t i = 0; i < seen.size; ++i)
    add_fact (ctx, "filesystem", seen.argv[i]);
  free_stringsbuf (&seen);
  free (mp);
}

void
inspect_linux (struct inspect_ctx *ctx, const struct inspect_fs *fs)
{
  struct linux_release rel = {0};
  read_release (fs->root_fd, &rel);

  add_fact (ctx, "root", fs->mountable);
  add_fact (ctx, "type", "linux");
  add_fact (ctx, "format", "installed");
  if (rel.distro)
    add_fact (ctx, "distro", rel.distro);
  if (rel.product_name)
    add_fact (ctx, "product_name", rel.product_name);
  if (rel.product_variant)
    add_fact (ctx, "product_variant", rel.product_variant);
  if (rel.build_id)
    add_fact (ctx, "build_id", rel.build_id);
  add_fact_int (ctx, "major_version", rel.major);
  add_fact_int (ctx, "minor_version", rel.minor);

  char *hostname = linux_hostname (fs->root_fd);
  if (hostname)
    add_fact (ctx, "hostname", hostname);
  free (hostname);
  const char *arch = linux_arch (fs->root_fd);
  if (arch)
    add_fact (ctx, "arch", arch);

  const char *format = package_format_on_disk (fs->root_fd);
  if (format == NULL && rel.distro)
    format = package_format_of_distro (rel.distro);
  const char *manager =
      rel.distro ? package_manager_of_distro (rel.distro, rel.major) : NULL;
  if (manager == NULL && format && strcmp (format, "deb") == 0)
    manager = "apt";
  if (format)
    add_fact (ctx, "package_format", format);
  if (manager)
    add_fact (ctx, "package_management", manager);

  struct fstab_result r = {.mountpoints = {0}, .swaps = {0}};
  read_fstab (ctx, fs->root_fd, &r);
  add_mountpoint_facts (ctx, fs, &r);
  free_stringsbuf (&r.mountpoints);
  free_stringsbuf (&r.swaps);
  free_release (&rel);
}
