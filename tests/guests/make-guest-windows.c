/* The Windows test guest: two NTFS partitions on an MBR disk, the
 * system one holding Windows' directory tree, and the registry hives
 * inspection reads, built on the host with hivex from an empty hive
 * (regf.c) and uploaded.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <hivex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guests.h"
#include "make-guest.h"
#include "regf.h"

#define IMAGE_FILE_MACHINE_AMD64 0x8664

/* ---- Registry values ---- */

/* A registry value to set: exactly one of the data fields is used,
 * chosen by type. */
struct reg_value {
  const char *name;
  hive_type type;
  const char *string;        /* REG_SZ: ASCII, stored as UTF-16LE */
  uint32_t dword;            /* REG_DWORD */
  const unsigned char *data; /* REG_BINARY */
  size_t len;
};

#define SZ(n, s)                                                               \
  {                                                                            \
    .name = (n), .type = hive_t_REG_SZ, .string = (s)                          \
  }
#define DWORD(n, v)                                                            \
  {                                                                            \
    .name = (n), .type = hive_t_REG_DWORD, .dword = (v)                        \
  }
#define BINARY(n, d, l)                                                        \
  {                                                                            \
    .name = (n), .type = hive_t_REG_BINARY, .data = (d), .len = (l)            \
  }

/* UTF-16LE with the terminating NUL Windows stores.  malloc'd. */
static char *
utf16le (const char *ascii, size_t *len)
{
  size_t n = strlen (ascii) + 1;
  char *s = malloc (2 * n);
  if (s == NULL)
    die ("out of memory");
  for (size_t i = 0; i < n; ++i) {
    if ((unsigned char)ascii[i] >= 0x80)
      die ("%s: only ASCII registry strings are supported", ascii);
    s[2 * i] = ascii[i];
    s[2 * i + 1] = 0;
  }
  *len = 2 * n;
  return s;
}

/* The key at path (components separated by backslashes) below the
 * root, created as needed. */
static hive_node_h
reg_key (hive_h *h, const char *path)
{
  char *copy = strdup (path), *save = NULL;
  if (copy == NULL)
    die ("out of memory");
  hive_node_h node = hivex_root (h);
  for (char *part = strtok_r (copy, "\\", &save); part;
       part = strtok_r (NULL, "\\", &save)) {
    errno = 0;
    hive_node_h child = hivex_node_get_child (h, node, part);
    if (child == 0 && errno != 0)
      die ("hivex_node_get_child %s: %m", part);
    if (child == 0)
      child = hivex_node_add_child (h, node, part);
    if (child == 0)
      die ("hivex_node_add_child %s: %m", part);
    node = child;
  }
  free (copy);
  return node;
}

static void
reg_set (hive_h *h, const char *path, const struct reg_value *v, size_t n)
{
  hive_node_h node = reg_key (h, path);
  hive_set_value *set = calloc (n, sizeof *set);
  unsigned char (*dwords)[4] = calloc (n, 4);
  if (set == NULL || dwords == NULL)
    die ("out of memory");
  for (size_t i = 0; i < n; ++i) {
    set[i].key = (char *)v[i].name;
    set[i].t = v[i].type;
    switch (v[i].type) {
    case hive_t_REG_SZ:
      set[i].value = utf16le (v[i].string, &set[i].len);
      break;
    case hive_t_REG_DWORD:
      for (int b = 0; b < 4; ++b)
        dwords[i][b] = (v[i].dword >> (8 * b)) & 0xff;
      set[i].value = (char *)dwords[i];
      set[i].len = 4;
      break;
    default:
      set[i].value = (char *)v[i].data;
      set[i].len = v[i].len;
      break;
    }
  }
  if (hivex_node_set_values (h, node, n, set, 0) == -1)
    die ("hivex_node_set_values %s: %m", path);
  for (size_t i = 0; i < n; ++i)
    if (v[i].type == hive_t_REG_SZ)
      free (set[i].value);
  free (set);
  free (dwords);
}

#define REG_SET(h, path, ...)                                                  \
  do {                                                                         \
    const struct reg_value v_[] = {__VA_ARGS__};                               \
    reg_set ((h), (path), v_, sizeof v_ / sizeof v_[0]);                       \
  } while (0)

/* An empty hive at path, opened for writing. */
static hive_h *
new_hive (const char *path, const char *windows_name)
{
  if (regf_write_empty (path, "ROOT", windows_name) == -1)
    die ("%s: %m", path);
  hive_h *h = hivex_open (path, HIVEX_OPEN_WRITE);
  if (h == NULL)
    die ("hivex_open %s: %m", path);
  return h;
}

static void
commit_hive (hive_h *h, const char *path)
{
  if (hivex_commit (h, path, 0) == -1)
    die ("hivex_commit %s: %m", path);
  if (hivex_close (h) == -1)
    die ("hivex_close %s: %m", path);
}

/* ---- The hives ---- */

static void
make_software_hive (const char *path)
{
  hive_h *h = new_hive (path, "\\SystemRoot\\System32\\Config\\SOFTWARE");
  REG_SET (h, "Microsoft\\Windows NT\\CurrentVersion",
           SZ ("ProductName", WINDOWS_PRODUCT_NAME),
           SZ ("EditionID", "ServerStandard"),
           SZ ("InstallationType", "Server"), SZ ("CurrentVersion", "6.3"),
           DWORD ("CurrentMajorVersionNumber", 10),
           DWORD ("CurrentMinorVersionNumber", 0),
           SZ ("CurrentBuildNumber", "20348"), SZ ("CurrentBuild", "20348"),
           DWORD ("UBR", 2113), SZ ("DisplayVersion", "21H2"),
           SZ ("SystemRoot", "C:\\Windows"), SZ ("PathName", "C:\\Windows"),
           SZ ("RegisteredOwner", "Windows User"),
           SZ ("RegisteredOrganization", ""));
  REG_SET (h, "Microsoft\\Windows\\CurrentVersion",
           SZ ("ProgramFilesDir", "C:\\Program Files"),
           SZ ("CommonFilesDir", "C:\\Program Files\\Common Files"),
           SZ ("DevicePath", "%SystemRoot%\\inf"));
  REG_SET (h,
           "Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
           "{6B1A8C4E-3F2D-4E5A-9C7B-0D1E2F3A4B5C}",
           SZ ("DisplayName", "Test Application"),
           SZ ("DisplayVersion", "1.2.3"), SZ ("Publisher", "Example Corp"),
           SZ ("InstallLocation", "C:\\Program Files\\Test Application"));
  commit_hive (h, path);
}

/* MountedDevices data for a partition of an MBR disk: the disk's
 * signature, then the partition's offset in bytes, little-endian. */
static void
mbr_mounted_device (unsigned char out[12], uint32_t signature, uint64_t offset)
{
  for (int i = 0; i < 4; ++i)
    out[i] = (signature >> (8 * i)) & 0xff;
  for (int i = 0; i < 8; ++i)
    out[4 + i] = (offset >> (8 * i)) & 0xff;
}

static void
make_system_hive (const char *path, uint32_t disk_signature,
                  uint64_t reserved_offset, uint64_t system_offset)
{
  hive_h *h = new_hive (path, "\\SystemRoot\\System32\\Config\\SYSTEM");
  unsigned char reserved[12], system[12];
  mbr_mounted_device (reserved, disk_signature, reserved_offset);
  mbr_mounted_device (system, disk_signature, system_offset);
  REG_SET (h, "MountedDevices",
           BINARY ("\\DosDevices\\C:", system, sizeof system),
           BINARY ("\\??\\Volume{0c5f9a3e-2b61-11ee-a1b2-806e6f6e6963}",
                   reserved, sizeof reserved),
           BINARY ("\\??\\Volume{0c5f9a3f-2b61-11ee-a1b2-806e6f6e6963}", system,
                   sizeof system));
  REG_SET (h, "Select", DWORD ("Current", 1), DWORD ("Default", 1),
           DWORD ("Failed", 0), DWORD ("LastKnownGood", 1));
  REG_SET (h, "ControlSet001\\Control\\ComputerName\\ComputerName",
           SZ ("ComputerName", WINDOWS_HOSTNAME));
  REG_SET (h, "ControlSet001\\Services\\Tcpip\\Parameters",
           SZ ("Hostname", WINDOWS_HOSTNAME), SZ ("Domain", ""),
           SZ ("NV Hostname", WINDOWS_HOSTNAME));
  REG_SET (h, "ControlSet001\\Control\\Session Manager\\Environment",
           SZ ("PROCESSOR_ARCHITECTURE", "AMD64"), SZ ("OS", "Windows_NT"));
  /* A stale control set that inspection must not use. */
  REG_SET (h, "ControlSet002\\Control\\ComputerName\\ComputerName",
           SZ ("ComputerName", "OLD-NAME"));
  commit_hive (h, path);
}

/* ---- The filesystems ---- */

static void
write_pe (guestfs_h *g, const char *path)
{
  unsigned char pe[1024];
  make_pe_header (pe, sizeof pe, IMAGE_FILE_MACHINE_AMD64);
  CALL (g, guestfs_write (g, path, (char *)pe, sizeof pe));
}

static void
populate_system_volume (guestfs_h *g, const char *hivedir)
{
  static const char *const dirs[] = {"/Windows/System32/config",
                                     "/Windows/System32/drivers/etc",
                                     "/Windows/SysWOW64",
                                     "/Windows/Temp",
                                     "/Program Files/Common Files",
                                     "/Program Files/Test Application",
                                     "/Program Files (x86)",
                                     "/ProgramData/Microsoft",
                                     "/Users/Administrator/Desktop",
                                     "/Users/Public/Documents",
                                     NULL};
  make_dirs (g, dirs);
  static const char *const hives[] = {"SOFTWARE", "SYSTEM",  "SAM",
                                      "SECURITY", "DEFAULT", NULL};
  for (size_t i = 0; hives[i]; ++i) {
    char *src = xasprintf ("%s/%s", hivedir, hives[i]);
    char *dst = xasprintf ("/Windows/System32/config/%s", hives[i]);
    CALL (g, guestfs_upload (g, src, dst));
    free (src);
    free (dst);
  }
  write_pe (g, "/Windows/System32/cmd.exe");
  write_pe (g, "/Windows/System32/kernel32.dll");
  write_pe (g, "/Windows/System32/ntoskrnl.exe");
  write_pe (g, "/Windows/notepad.exe");
  write_pe (g, "/Program Files/Test Application/test.exe");
  write_text (g, "/Windows/win.ini",
              "; for 16-bit app support\r\n[fonts]\r\n[extensions]\r\n");
  write_text (g, "/Windows/System32/drivers/etc/hosts",
              "# Copyright (c) Example hosts file\r\n127.0.0.1 localhost\r\n");
  write_text (g, "/Users/Administrator/Desktop/notes.txt",
              "Remember to patch.\r\n");
}

static void
populate_reserved_volume (guestfs_h *g, const char *hivedir)
{
  CALL (g, guestfs_mkdir_p (g, "/Boot"));
  char *bcd = xasprintf ("%s/BCD", hivedir);
  CALL (g, guestfs_upload (g, bcd, "/Boot/BCD"));
  free (bcd);
  write_pe (g, "/bootmgr");
}

/* The hives, in a temporary directory. */
static void
make_hives (const char *hivedir, uint32_t signature, uint64_t reserved_offset,
            uint64_t system_offset)
{
  char *p = xasprintf ("%s/SOFTWARE", hivedir);
  make_software_hive (p);
  free (p);
  p = xasprintf ("%s/SYSTEM", hivedir);
  make_system_hive (p, signature, reserved_offset, system_offset);
  free (p);
  /* Present on every system; inspection does not read them. */
  static const char *const empty[] = {"SAM", "SECURITY", "DEFAULT", "BCD",
                                      NULL};
  for (size_t i = 0; empty[i]; ++i) {
    p = xasprintf ("%s/%s", hivedir, empty[i]);
    if (regf_write_empty (p, "ROOT", empty[i]) == -1)
      die ("%s: %m", p);
    free (p);
  }
}

static void
remove_hives (const char *hivedir)
{
  static const char *const names[] = {"SOFTWARE", "SYSTEM", "SAM", "SECURITY",
                                      "DEFAULT",  "BCD",    NULL};
  for (size_t i = 0; names[i]; ++i) {
    char *p = xasprintf ("%s/%s", hivedir, names[i]);
    unlink (p);
    free (p);
  }
  rmdir (hivedir);
}

/* The MBR disk signature, which sfdisk chose, as libblkid reports it. */
static uint32_t
disk_signature (guestfs_h *g, const char *disk)
{
  char **tags;
  CALLP (g, tags, guestfs_blkid (g, disk));
  uint32_t sig = 0;
  bool found = false;
  for (size_t i = 0; tags[i] && tags[i + 1]; i += 2)
    if (strcmp (tags[i], "PTUUID") == 0) {
      sig = (uint32_t)strtoul (tags[i + 1], NULL, 16);
      found = true;
    }
  for (size_t i = 0; tags[i]; ++i)
    free (tags[i]);
  free (tags);
  if (!found)
    die ("%s: no disk signature (PTUUID)", disk);
  return sig;
}

static uint64_t
partition_offset (guestfs_h *g, const char *disk, int partnum)
{
  struct guestfs_partition_list *parts;
  CALLP (g, parts, guestfs_part_list (g, disk));
  uint64_t start = 0;
  for (uint32_t i = 0; i < parts->len; ++i)
    if (parts->val[i].part_num == partnum)
      start = parts->val[i].part_start;
  guestfs_free_partition_list (parts);
  if (start == 0)
    die ("%s: no partition %d", disk, partnum);
  return start;
}

#define SECTORS(bytes) ((bytes) / 512)

void
make_windows (const char *output)
{
  create_raw (output, 512 * MiB);
  guestfs_h *g = open_image (output, NULL);
  char *disk = first_disk (g);
  char *reserved = partition (disk, 1), *system = partition (disk, 2);

  CALL (g, guestfs_part_init (g, disk, "mbr"));
  add_partition (g, disk, 2048, 2048 + SECTORS (64 * MiB) - 1);
  add_partition (g, disk, 2048 + SECTORS (64 * MiB), SECTORS (512 * MiB) - 1);
  CALL (g, guestfs_part_set_mbr_id (g, disk, 1, 0x07));
  CALL (g, guestfs_part_set_mbr_id (g, disk, 2, 0x07));
  CALL (g, guestfs_part_set_bootable (g, disk, 1, 1));
  CALL (g, guestfs_mkfs_opts (g, "ntfs", reserved, GUESTFS_MKFS_OPTS_LABEL,
                              "System Reserved", -1));
  CALL (g, guestfs_mkfs (g, "ntfs", system));

  char *hivedir = xasprintf ("%s.hives", output);
  if (mkdir (hivedir, 0755) == -1 && errno != EEXIST)
    die ("%s: %m", hivedir);
  make_hives (hivedir, disk_signature (g, disk), partition_offset (g, disk, 1),
              partition_offset (g, disk, 2));

  CALL (g, guestfs_mount (g, system, "/"));
  populate_system_volume (g, hivedir);
  CALL (g, guestfs_umount (g, "/"));
  CALL (g, guestfs_mount (g, reserved, "/"));
  populate_reserved_volume (g, hivedir);
  close_image (g);

  remove_hives (hivedir);
  free (hivedir);
  free (reserved);
  free (system);
  free (disk);
}
