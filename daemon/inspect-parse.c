/* Inspection: parsers of guest content (see inspect-parse.h).  No
 * daemon state: the unit tests link this file on its own.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inspect-parse.h"

static uint16_t
get16 (const unsigned char *p, bool little_endian)
{
  return little_endian ? (uint16_t)(p[0] | p[1] << 8)
                       : (uint16_t)(p[1] | p[0] << 8);
}

static uint32_t
get_le32 (const unsigned char *p)
{
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* ---- Executables ---- */

const char *
elf_architecture (const unsigned char *buf, size_t len)
{
  enum { ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1, ELFDATA2MSB = 2 };
  if (len < 20 || memcmp (buf, "\177ELF", 4) != 0)
    return NULL;
  int class = buf[4], data = buf[5];
  if ((class != ELFCLASS32 && class != ELFCLASS64) ||
      (data != ELFDATA2LSB && data != ELFDATA2MSB) || buf[6] != 1)
    return NULL;
  bool is64 = class == ELFCLASS64, le = data == ELFDATA2LSB;
  switch (get16 (buf + 18, le)) {
  case 2:
    return "sparc";
  case 3:
    return "i386";
  case 8:
    return is64 ? "mips64" : "mips";
  case 20:
    return "ppc";
  case 21:
    return le ? "ppc64le" : "ppc64";
  case 22:
    return is64 ? "s390x" : "s390";
  case 40:
    return "arm";
  case 43:
    return "sparc64";
  case 50:
    return "ia64";
  case 62:
    return "x86_64";
  case 183:
    return "aarch64";
  case 243:
    return is64 ? "riscv64" : "riscv32";
  case 258:
    return "loongarch64";
  case 0x9026:
    return "alpha";
  default:
    return NULL;
  }
}

const char *
pe_architecture (const unsigned char *buf, size_t len)
{
  if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
    return NULL;
  uint64_t pe = get_le32 (buf + 0x3c);
  /* The signature and the machine field must be inside the buffer. */
  if (pe < 0x40 || pe + 6 > len || memcmp (buf + pe, "PE\0\0", 4) != 0)
    return NULL;
  switch (get16 (buf + pe + 4, true)) {
  case 0x014c:
    return "i386";
  case 0x8664:
    return "x86_64";
  case 0xaa64:
    return "aarch64";
  case 0x01c0:
  case 0x01c4:
    return "arm";
  case 0x0200:
    return "ia64";
  default:
    return NULL;
  }
}

/* ---- KEY=VALUE files ---- */

/* Parse the value starting at p (up to end): a malloc'd string, or NULL
 * if it is malformed. */
static char *
parse_kv_value (const char *p, const char *end)
{
  char *out = malloc ((size_t)(end - p) + 1);
  if (out == NULL)
    return NULL;
  size_t n = 0;
  if (p < end && *p == '"') {
    for (++p; p < end && *p != '"'; ++p) {
      if (*p == '\\' && p + 1 < end && strchr ("\"\\$`", p[1]))
        ++p;
      out[n++] = *p;
    }
    if (p >= end) /* no closing quote */
      goto malformed;
  } else if (p < end && *p == '\'') {
    for (++p; p < end && *p != '\''; ++p)
      out[n++] = *p;
    if (p >= end)
      goto malformed;
  } else {
    while (p < end && !isspace ((unsigned char)*p) && *p != '#')
      out[n++] = *p++;
  }
  out[n] = '\0';
  return out;

malformed:
  free (out);
  return NULL;
}

char *
kv_lookup (const char *text, size_t len, const char *key)
{
  size_t keylen = strlen (key);
  char *value = NULL;
  const char *end = text + len;
  for (const char *line = text; line < end;) {
    const char *eol = memchr (line, '\n', (size_t)(end - line));
    if (eol == NULL)
      eol = end;
    const char *p = line;
    while (p < eol && (*p == ' ' || *p == '\t'))
      ++p;
    /* A NUL byte makes the line unusable: skip it. */
    if (memchr (p, '\0', (size_t)(eol - p)) == NULL &&
        (size_t)(eol - p) > keylen && memcmp (p, key, keylen) == 0 &&
        p[keylen] == '=') {
      char *v = parse_kv_value (p + keylen + 1, eol);
      if (v) {
        free (value);
        value = v;
      }
    }
    line = eol + 1;
  }
  return value;
}

/* ---- Versions and names ---- */

/* A number of 1 to 9 digits at *p, advancing p. */
static bool
parse_small_number (const char **p, int *n)
{
  const char *s = *p;
  int v = 0, digits = 0;
  while (isdigit ((unsigned char)*s)) {
    if (++digits > 9)
      return false;
    v = v * 10 + (*s - '0');
    ++s;
  }
  if (digits == 0)
    return false;
  *n = v;
  *p = s;
  return true;
}

bool
parse_version (const char *s, int *major, int *minor)
{
  int ma, mi = 0;
  if (s == NULL || !parse_small_number (&s, &ma))
    return false;
  if (*s == '.' && isdigit ((unsigned char)s[1])) {
    ++s;
    if (!parse_small_number (&s, &mi))
      mi = 0;
  }
  *major = ma;
  *minor = mi;
  return true;
}

bool
parse_release_line (const char *line, int *major, int *minor)
{
  const char *p = strstr (line, "release ");
  if (p == NULL)
    return false;
  p += strlen ("release ");
  while (*p == ' ')
    ++p;
  return parse_version (p, major, minor);
}

char *
clean_text (const char *text, size_t len, size_t max, bool first_line)
{
  char *out = malloc (len + 1);
  if (out == NULL)
    return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len && text[i] != '\0'; ++i) {
    unsigned char c = text[i];
    if (first_line && c == '\n')
      break;
    if (c < 0x20 || c == 0x7f)
      c = ' ';
    if (c == ' ' && (n == 0 || out[n - 1] == ' '))
      continue;
    out[n++] = (char)c;
  }
  while (n > 0 && out[n - 1] == ' ')
    --n;
  if (n > max) {
    n = max;
    /* Do not leave half a UTF-8 sequence at the end. */
    while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
      --n;
  }
  out[n] = '\0';
  if (n == 0) {
    free (out);
    return NULL;
  }
  return out;
}

bool
valid_hostname (const char *s)
{
  size_t len = strlen (s);
  if (len == 0 || len > 253)
    return false;
  for (size_t i = 0; i < len; ++i)
    if (!isalnum ((unsigned char)s[i]) && !strchr ("-_.", s[i]))
      return false;
  return true;
}

/* ---- /etc/fstab ---- */

/* Undo fstab's octal escapes (\040 for a space) in place. */
static void
unescape_octal (char *s)
{
  char *o = s;
  for (; *s; ++s) {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
        s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      char c = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      if (c == '\0') /* would cut the string: keep the escape */
        *o++ = *s;
      else {
        *o++ = c;
        s += 3;
      }
    } else
      *o++ = *s;
  }
  *o = '\0';
}

bool
fstab_parse_line (char *line, struct fstab_entry *e)
{
  char *fields[4] = {NULL, NULL, NULL, NULL}, *save = NULL;
  size_t n = 0;
  for (char *t = strtok_r (line, " \t\r\n", &save); t && n < 4;
       t = strtok_r (NULL, " \t\r\n", &save)) {
    if (n == 0 && t[0] == '#')
      return false;
    fields[n++] = t;
  }
  if (n < 3)
    return false;
  unescape_octal (fields[0]);
  unescape_octal (fields[1]);
  *e = (struct fstab_entry){.spec = fields[0],
                            .mountpoint = fields[1],
                            .vfstype = fields[2],
                            .options = fields[3] ? fields[3] : "defaults"};
  return true;
}

char *
mount_option (const char *options, const char *name)
{
  size_t len = strlen (name);
  for (const char *p = options; *p;) {
    size_t optlen = strcspn (p, ",");
    if (optlen >= len && strncmp (p, name, len) == 0) {
      if (optlen == len)
        return strdup ("");
      if (p[len] == '=')
        return strndup (p + len + 1, optlen - len - 1);
    }
    p += optlen;
    if (*p == ',')
      ++p;
  }
  return NULL;
}

/* Copy one part of a device-mapper name, undoubling dashes, up to the
 * single dash that ends it (or the end).  Returns the position after
 * it, or NULL if the part is empty. */
static const char *
copy_dm_part (const char *p, char *out, size_t *n)
{
  size_t start = *n;
  while (*p) {
    if (p[0] == '-' && p[1] == '-') {
      out[(*n)++] = '-';
      p += 2;
    } else if (p[0] == '-')
      break;
    else
      out[(*n)++] = *p++;
  }
  return *n > start ? p : NULL;
}

char *
lv_of_mapper_name (const char *name)
{
  size_t len = strlen (name);
  char *out = malloc (len + sizeof "/dev//");
  if (out == NULL)
    return NULL;
  size_t n = 0;
  memcpy (out, "/dev/", 5);
  n = 5;
  const char *p = copy_dm_part (name, out, &n);
  if (p == NULL || *p != '-')
    goto invalid;
  out[n++] = '/';
  p = copy_dm_part (p + 1, out, &n);
  /* A second single dash: an LVM internal layer (VG-LV-real, ...). */
  if (p == NULL || *p != '\0')
    goto invalid;
  out[n] = '\0';
  return out;

invalid:
  free (out);
  return NULL;
}

bool
parse_guest_disk_name (const char *dev, int *disk, int *partition)
{
  static const char *const prefixes[] = {"/dev/sd", "/dev/vd", "/dev/hd",
                                         "/dev/xvd"};
  const char *p = NULL;
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0] && !p; ++i)
    if (strncmp (dev, prefixes[i], strlen (prefixes[i])) == 0)
      p = dev + strlen (prefixes[i]);
  if (p == NULL)
    return false;
  /* Disk letters: a..z, then aa..zz (bijective base 26). */
  int index = 0, letters = 0;
  while (*p >= 'a' && *p <= 'z') {
    if (++letters > 2)
      return false;
    index = index * 26 + (*p - 'a' + 1);
    ++p;
  }
  if (letters == 0)
    return false;
  int part = 0;
  if (*p) {
    if (*p == '0' || !parse_small_number (&p, &part) || *p || part > 256)
      return false;
  }
  *disk = index - 1;
  *partition = part;
  return true;
}

/* The number of names in a path: runs of characters between slashes. */
static size_t
path_components (const char *p)
{
  size_t n = 0;
  bool in_name = false;
  for (; *p; ++p) {
    if (*p == '/')
      in_name = false;
    else if (!in_name) {
      in_name = true;
      ++n;
    }
  }
  return n;
}

int
compare_mountpoints (const char *a, const char *b)
{
  size_t ca = path_components (a), cb = path_components (b);
  if (ca != cb)
    return ca < cb ? -1 : 1;
  return strcmp (a, b);
}

/* ---- Distributions ---- */

struct distro {
  const char *id;     /* os-release ID or DISTRIB_ID, lower case */
  const char *distro; /* libguestfs's name */
};

static const struct distro distros[] = {
    {"debian", "debian"},
    {"ubuntu", "ubuntu"},
    {"linuxmint", "linuxmint"},
    {"kali", "kalilinux"},
    {"fedora", "fedora"},
    {"rhel", "rhel"},
    {"redhatenterpriseserver", "rhel"},
    {"redhatenterpriseworkstation", "rhel"},
    {"centos", "centos"},
    {"rocky", "rocky"},
    {"almalinux", "almalinux"},
    {"ol", "oraclelinux"},
    {"oracleserver", "oraclelinux"},
    {"scientific", "scientificlinux"},
    {"opensuse", "opensuse"},
    {"opensuse-leap", "opensuse"},
    {"opensuse-tumbleweed", "opensuse"},
    {"opensuse-microos", "opensuse"},
    {"sles", "sles"},
    {"sled", "sles"},
    {"arch", "archlinux"},
    {"archlinux", "archlinux"},
    {"alpine", "alpinelinux"},
    {"gentoo", "gentoo"},
    {"void", "voidlinux"},
    {"mageia", "mageia"},
    {"altlinux", "altlinux"},
};

const char *
distro_of_id (const char *id)
{
  for (size_t i = 0; i < sizeof distros / sizeof distros[0]; ++i)
    if (strcasecmp (id, distros[i].id) == 0)
      return distros[i].distro;
  return NULL;
}

static bool
is_one_of (const char *s, const char *const *list)
{
  for (size_t i = 0; list[i]; ++i)
    if (strcmp (s, list[i]) == 0)
      return true;
  return false;
}

static const char *const deb_distros[] = {"debian", "ubuntu", "linuxmint",
                                          "kalilinux", NULL};
static const char *const rhel_like[] = {
    "rhel",        "centos",          "rocky", "almalinux",
    "oraclelinux", "scientificlinux", NULL};
static const char *const rpm_distros[] = {
    "fedora",    "rhel",        "centos",          "rocky",
    "almalinux", "oraclelinux", "scientificlinux", "opensuse",
    "sles",      "mageia",      "altlinux",        NULL};

const char *
package_format_of_distro (const char *distro)
{
  if (is_one_of (distro, deb_distros))
    return "deb";
  if (is_one_of (distro, rpm_distros))
    return "rpm";
  if (strcmp (distro, "archlinux") == 0)
    return "pacman";
  if (strcmp (distro, "alpinelinux") == 0)
    return "apk";
  if (strcmp (distro, "gentoo") == 0)
    return "ebuild";
  if (strcmp (distro, "voidlinux") == 0)
    return "xbps";
  return NULL;
}

const char *
package_manager_of_distro (const char *distro, int major)
{
  if (is_one_of (distro, deb_distros) || strcmp (distro, "altlinux") == 0)
    return "apt";
  if (strcmp (distro, "fedora") == 0)
    return major >= 22 ? "dnf" : "yum";
  if (is_one_of (distro, rhel_like))
    return major >= 8 ? "dnf" : "yum";
  if (strcmp (distro, "opensuse") == 0 || strcmp (distro, "sles") == 0)
    return "zypper";
  if (strcmp (distro, "mageia") == 0)
    return "urpmi";
  if (strcmp (distro, "archlinux") == 0)
    return "pacman";
  if (strcmp (distro, "alpinelinux") == 0)
    return "apk";
  if (strcmp (distro, "gentoo") == 0)
    return "portage";
  if (strcmp (distro, "voidlinux") == 0)
    return "xbps";
  return NULL;
}

/* ---- Windows ---- */

bool
parse_mbr_mounted_device (const unsigned char *data, size_t len,
                          uint32_t *signature, uint64_t *offset)
{
  if (len != 12)
    return false;
  *signature = get_le32 (data);
  *offset = get_le32 (data + 4) | (uint64_t)get_le32 (data + 8) << 32;
  return true;
}

bool
parse_gpt_mounted_device (const unsigned char *data, size_t len, char guid[37])
{
  if (len != 24 || memcmp (data, "DMIO:ID:", 8) != 0)
    return false;
  const unsigned char *g = data + 8;
  snprintf (guid, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
            (unsigned)get_le32 (g), (unsigned)get16 (g + 4, true),
            (unsigned)get16 (g + 6, true), g[8], g[9], g[10], g[11], g[12],
            g[13], g[14], g[15]);
  return true;
}

bool
parse_dos_device_name (const char *name, char *letter)
{
  static const char prefix[] = "\\DosDevices\\";
  size_t plen = sizeof prefix - 1;
  if (strncasecmp (name, prefix, plen) != 0 || strlen (name) != plen + 2 ||
      !isalpha ((unsigned char)name[plen]) || name[plen + 1] != ':')
    return false;
  *letter = (char)toupper ((unsigned char)name[plen]);
  return true;
}
