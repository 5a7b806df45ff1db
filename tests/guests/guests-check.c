/* The test guests: build each kind (through the cache), then look at
 * all of them in one appliance and check that they hold what guests.h
 * says.  Also checks the cache: a second request is answered from it,
 * and two concurrent requests for a missing guest build it once.
 */
#define _GNU_SOURCE 1
#include <hivex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guests.h"
#include "guests-internal.h"
#include "harness.h"

static guestfs_h *g;
static char *tmpdir;

/* The file contains the text. */
#define CHECK_CONTAINS(path, text)                                             \
  do {                                                                         \
    char *c_ = guestfs_cat (g, (path));                                        \
    if (c_ == NULL || strstr (c_, (text)) == NULL) {                           \
      fprintf (stderr, "%s:%d: FAIL: %s lacks \"%s\" (%s)\n", __FILE__,        \
               __LINE__, (path), (text), c_ ? c_ : guestfs_last_error (g));    \
      ++test_failures;                                                         \
    }                                                                          \
    free (c_);                                                                 \
  } while (0)

/* ---- Building ---- */

static const char *const kinds[] = {"debian",  "fedora", "luks",
                                    "windows", "vfat",   "qcow2"};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };
static char *paths[NKINDS];

static void
build_all (void)
{
  for (size_t i = 0; i < NKINDS; ++i) {
    double t = now ();
    char *reason = NULL;
    paths[i] = test_guest_build (kinds[i], &reason);
    if (paths[i] == NULL) {
      fprintf (stderr, "FAIL: %s\n", reason ? reason : kinds[i]);
      ++test_failures;
      free (reason);
      continue;
    }
    printf ("%-8s %s (%.1f s)\n", kinds[i], paths[i], now () - t);
  }
}

/* A second request is answered from the cache, quickly. */
static void
check_cached (void)
{
  double t = now ();
  char *reason = NULL;
  char *again = test_guest_build ("debian", &reason);
  CHECK (again && paths[0] && strcmp (again, paths[0]) == 0);
  CHECK (now () - t < 5);
  free (again);
  free (reason);
}

/* Two requests at once for a guest not in the cache: one builds, the
 * other waits for the lock and gets the same image. */
static void
check_concurrent_build (void)
{
  char *cache = xasprintf ("%s/cache", tmpdir);
  char *cmd = xasprintf ("export GUESTFS_TEST_GUESTS_DIR='%s'; "
                         "'%s' vfat > '%s/1' 2> '%s/e1' & "
                         "'%s' vfat > '%s/2' 2> '%s/e2'; wait $!",
                         cache, TEST_GUEST_PATH_SCRIPT, tmpdir, tmpdir,
                         TEST_GUEST_PATH_SCRIPT, tmpdir, tmpdir);
  CHECK (system (cmd) == 0);
  free (cmd);
  cmd = xasprintf ("cmp -s '%s/1' '%s/2' && test -s '%s/1' && "
                   "test $(cat '%s/e1' '%s/e2' | grep -c 'building') = 1",
                   tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
  CHECK (system (cmd) == 0);
  free (cmd);
  /* Nothing is left behind but the image and the lock. */
  cmd = xasprintf ("test $(ls -A '%s' | grep -v -c -e '^vfat-.*\\.img$' "
                   "-e '^vfat\\.lock$') = 0",
                   cache);
  CHECK (system (cmd) == 0);
  free (cmd);
  free (cache);
}

/* ---- Looking at them ---- */

static char *disks[NKINDS + 1]; /* appliance names; the qcow2 base last */

static void
add_drives (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  for (size_t i = 0; i < NKINDS; ++i)
    if (guestfs_add_drive_opts (
            g, paths[i], GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
            GUESTFS_ADD_DRIVE_OPTS_FORMAT,
            strcmp (kinds[i], "qcow2") == 0 ? "qcow2" : "raw", -1) == -1)
      skip ("add_drive: %s", guestfs_last_error (g));
  char *base = xasprintf ("%s.base", paths[NKINDS - 1]);
  if (guestfs_add_drive_ro (g, base) == -1)
    skip ("add_drive: %s", guestfs_last_error (g));
  free (base);
  if (guestfs_launch (g) == -1)
    skip ("launch: %s", guestfs_last_error (g));
  char **devs = guestfs_list_devices (g);
  size_t n = 0;
  while (devs && devs[n])
    ++n;
  if (n != NKINDS + 1) {
    fprintf (stderr, "FAIL: %zu devices, expected %d\n", n, NKINDS + 1);
    exit (EXIT_FAILURE);
  }
  for (size_t i = 0; i < n; ++i)
    disks[i] = devs[i];
  free (devs);
}

static void
check_debian_layout (const char *disk, char **fs)
{
  char *boot = xasprintf ("%s1", disk);
  CHECK_CALL_STREQ (g, guestfs_part_get_parttype (g, disk), "msdos");
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, boot), "ext4");
  const char *t = hash_get (fs, "/dev/debian-vg/root");
  CHECK (t && strcmp (t, "ext4") == 0);
  t = hash_get (fs, "/dev/debian-vg/swap_1");
  CHECK (t && strcmp (t, "swap") == 0);
  OK (g, guestfs_mount_ro (g, "/dev/debian-vg/root", "/"));
  OK (g, guestfs_mount_ro (g, boot, "/boot"));
  char *uuid = guestfs_vfs_uuid (g, boot);
  CHECK (uuid && *uuid);
  if (uuid) {
    char *line = xasprintf ("UUID=%s /boot", uuid);
    CHECK_CONTAINS ("/etc/fstab", line);
    free (line);
  }
  free (uuid);
  CHECK_CONTAINS ("/etc/fstab", "/dev/mapper/debian--vg-root /");
  CHECK_CONTAINS ("/etc/fstab", "/dev/mapper/debian--vg-swap_1 none");
  free (boot);
}

static void
check_debian_files (void)
{
  CHECK_CONTAINS ("/etc/os-release", "VERSION_ID=\"12\"");
  CHECK_CALL_STREQ (g, guestfs_readlink (g, "/etc/os-release"),
                    "../usr/lib/os-release");
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/etc/debian_version"), "12.5\n");
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/etc/hostname"), DEBIAN_HOSTNAME "\n");
  CHECK_CONTAINS ("/var/lib/dpkg/status", "Package: bash\n");
  CHECK_CALL_STREQ (g, guestfs_readlink (g, "/etc/localtime"),
                    "/usr/share/zoneinfo/Etc/UTC");
  CHECK (guestfs_is_file (g, "/boot/grub/grub.cfg") == 1);
  CHECK (guestfs_is_fifo (g, "/home/user/pipe") == 1);
  size_t size;
  char *elf = guestfs_pread (g, "/bin/sh", 4, 0, &size);
  CHECK (elf && size == 4 && memcmp (elf, "\177ELF", 4) == 0);
  free (elf);

  char **all = guestfs_find (g, DEBIAN_TREE_DIR);
  size_t files = 0;
  for (size_t i = 0; all && all[i]; ++i)
    files += strstr (all[i], ".txt") != NULL;
  CHECK (files == DEBIAN_TREE_FILES);
  free_list (all);
}

static void
check_debian_metadata (void)
{
  struct guestfs_statns *a = guestfs_lstatns (g, DEBIAN_HARDLINK_DIR "/a");
  struct guestfs_statns *c = guestfs_lstatns (g, DEBIAN_HARDLINK_DIR "/c");
  CHECK (a && c && a->st_nlink == 3 && a->st_ino == c->st_ino);
  guestfs_free_statns (a);
  guestfs_free_statns (c);

  size_t len;
  char *v = guestfs_getxattr (g, DEBIAN_XATTR_FILE, "user.binary", &len);
  CHECK (v && len == 4 && memcmp (v, "\x01\x00\xff\x7f", 4) == 0);
  free (v);
  v = guestfs_getxattr (g, DEBIAN_XATTR_FILE, "user.comment", &len);
  CHECK (v && len == 20 && memcmp (v, "checked by the tests", 20) == 0);
  free (v);

  /* Six entries: version word + 6 * 8 bytes; the named user is 1001
   * with rwx (entry 2: tag 2, perm 7, id 1001). */
  v = guestfs_getxattr (g, DEBIAN_ACL_DIR, "system.posix_acl_access", &len);
  CHECK (v && len == 4 + 6 * 8);
  if (v && len == 4 + 6 * 8)
    CHECK (memcmp (v + 12, "\x02\x00\x07\x00\xe9\x03\x00\x00", 8) == 0);
  free (v);
  struct guestfs_statns *s = guestfs_statns (g, DEBIAN_ACL_DIR);
  CHECK (s && (s->st_mode & 0777) == 0770); /* mask rwx, other none */
  guestfs_free_statns (s);

  s = guestfs_statns (g, DEBIAN_SPARSE_FILE);
  CHECK (s && s->st_size == INT64_C (1) << 30);
  CHECK (s && s->st_blocks * 512 < 1024 * 1024);
  guestfs_free_statns (s);

  char **names = guestfs_ls (g, DEBIAN_NAMES_DIR);
  CHECK (list_has (names, "new\nline.txt"));
  CHECK (list_has (names, "日本語.txt"));
  CHECK (list_has (names, "with space.txt"));
  free_list (names);
}

static void
check_fedora (const char *disk, char **fs)
{
  char *esp = xasprintf ("%s1", disk), *root = xasprintf ("%s2", disk);
  CHECK_CALL_STREQ (g, guestfs_part_get_parttype (g, disk), "gpt");
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, esp), "vfat");
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, root), "btrfs");
  char *sub = xasprintf ("btrfsvol:%s/root", root);
  CHECK (hash_get (fs, sub) != NULL);
  OK (g, guestfs_mount_options (g, "ro,subvol=root", root, "/"));
  OK (g, guestfs_mount_options (g, "ro,subvol=home", root, "/home"));
  OK (g, guestfs_mount_ro (g, esp, "/boot/efi"));
  CHECK_CONTAINS ("/etc/os-release", "ID=fedora\n");
  char *uuid = guestfs_vfs_uuid (g, root);
  if (uuid) {
    char *line = xasprintf ("UUID=%s /home", uuid);
    CHECK_CONTAINS ("/etc/fstab", line);
    free (line);
  }
  free (uuid);
  CHECK_CONTAINS ("/etc/fstab", "subvol=root");
  CHECK (guestfs_is_symlink (g, "/var/lib/rpm") == 1);
  CHECK (guestfs_is_file (g, "/var/lib/rpm/rpmdb.sqlite") == 1);
  /* A real SQLite database, made by rpm, with the files it keeps. */
  size_t dbsize;
  char *db = guestfs_pread (g, "/var/lib/rpm/rpmdb.sqlite", 16, 0, &dbsize);
  CHECK (db && dbsize == 16 && memcmp (db, "SQLite format 3", 16) == 0);
  free (db);
  CHECK (guestfs_filesize (g, "/var/lib/rpm/rpmdb.sqlite") > 4096);
  CHECK (guestfs_is_file (g, "/var/lib/rpm/rpmdb.sqlite-shm") == 1);
  CHECK (guestfs_is_file (g, "/home/fedora/.bashrc") == 1);
  CHECK (guestfs_is_file (g, "/boot/efi/EFI/fedora/grub.cfg") == 1);
  size_t size;
  char *elf = guestfs_pread (g, "/usr/bin/bash", 20, 0, &size);
  CHECK (elf && size == 20 && memcmp (elf, "\177ELF\2\1", 6) == 0 &&
         (unsigned char)elf[18] == 183);
  free (elf);
  free (sub);
  free (esp);
  free (root);
}

static void
check_luks (const char *disk)
{
  char *crypt = xasprintf ("%s2", disk);
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, crypt), "crypto_LUKS");
  double t = now ();
  OK (g, guestfs_luks_open_ro (g, crypt, LUKS_GUEST_KEY, "testcrypt"));
  printf ("luks_open: %.1f s\n", now () - t);
  OK (g, guestfs_vgscan (g));
  OK (g, guestfs_vg_activate_all (g, 1));
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, "/dev/vgubuntu/root"), "ext4");
  OK (g, guestfs_mount_ro (g, "/dev/vgubuntu/root", "/"));
  CHECK_CONTAINS ("/etc/lsb-release", "DISTRIB_RELEASE=22.04");
  CHECK_CONTAINS ("/etc/fstab", "/dev/mapper/vgubuntu-root /");
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/etc/hostname"), LUKS_HOSTNAME "\n");
  OK (g, guestfs_umount_all (g));
  char *vg[] = {"vgubuntu", NULL};
  OK (g, guestfs_vg_activate (g, 0, vg));
  OK (g, guestfs_luks_close (g, "/dev/mapper/testcrypt"));
  free (crypt);
}

/* Download a hive and open it on the host. */
static hive_h *
fetch_hive (const char *path)
{
  char *local = xasprintf ("%s/hive", tmpdir);
  hive_h *h = NULL;
  if (guestfs_download (g, path, local) == 0)
    h = hivex_open (local, 0);
  CHECK (h != NULL);
  free (local);
  return h;
}

static hive_node_h
hive_walk (hive_h *h, const char *const *names)
{
  hive_node_h n = hivex_root (h);
  for (size_t i = 0; n && names[i]; ++i)
    n = hivex_node_get_child (h, n, names[i]);
  return n;
}

static void
check_windows_hives (const char *disk)
{
  hive_h *h = fetch_hive ("/Windows/System32/config/SOFTWARE");
  if (h) {
    static const char *const cv[] = {"Microsoft", "Windows NT",
                                     "CurrentVersion", NULL};
    hive_node_h n = hive_walk (h, cv);
    CHECK (n != 0);
    hive_value_h v = n ? hivex_node_get_value (h, n, "ProductName") : 0;
    CHECK_CALL_STREQ (g, v ? hivex_value_string (h, v) : NULL,
                      WINDOWS_PRODUCT_NAME);
    v = n ? hivex_node_get_value (h, n, "CurrentMajorVersionNumber") : 0;
    CHECK (v && hivex_value_dword (h, v) == 10);
    hivex_close (h);
  }
  h = fetch_hive ("/Windows/System32/config/SYSTEM");
  if (h) {
    static const char *const md[] = {"MountedDevices", NULL};
    hive_node_h n = hive_walk (h, md);
    hive_value_h v = n ? hivex_node_get_value (h, n, "\\DosDevices\\C:") : 0;
    size_t len = 0;
    hive_type type;
    char *data = v ? hivex_value_value (h, v, &type, &len) : NULL;
    CHECK (data && len == 12 && type == hive_t_REG_BINARY);
    /* The disk signature and the offset of partition 2. */
    char **tags = guestfs_blkid (g, disk);
    const char *ptuuid = hash_get (tags, "PTUUID");
    struct guestfs_partition_list *parts = guestfs_part_list (g, disk);
    if (data && len == 12 && ptuuid && parts && parts->len == 2) {
      uint32_t sig = strtoul (ptuuid, NULL, 16);
      uint64_t off = 0;
      uint32_t got_sig = 0;
      for (int i = 7; i >= 0; --i)
        off = off << 8 | (unsigned char)data[4 + i];
      for (int i = 3; i >= 0; --i)
        got_sig = got_sig << 8 | (unsigned char)data[i];
      CHECK (got_sig == sig);
      CHECK (off == parts->val[1].part_start);
    } else
      CHECK (!"MountedDevices, PTUUID or partitions missing");
    if (parts)
      guestfs_free_partition_list (parts);
    free_list (tags);
    free (data);
    hivex_close (h);
  }
}

static void
check_windows (const char *disk)
{
  char *reserved = xasprintf ("%s1", disk), *system = xasprintf ("%s2", disk);
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, reserved), "ntfs");
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, reserved), "System Reserved");
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, system), "ntfs");
  OK (g, guestfs_mount_ro (g, system, "/"));
  CHECK (guestfs_is_file (g, "/Windows/System32/cmd.exe") == 1);
  CHECK (guestfs_is_dir (g, "/Program Files (x86)") == 1);
  check_windows_hives (disk);
  OK (g, guestfs_umount_all (g));
  OK (g, guestfs_mount_ro (g, reserved, "/"));
  CHECK (guestfs_is_file (g, "/Boot/BCD") == 1);
  OK (g, guestfs_umount_all (g));
  free (reserved);
  free (system);
}

static void
check_vfat (const char *disk)
{
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, disk), "vfat");
  CHECK_CALL_STREQ (g, guestfs_vfs_label (g, disk), "TESTVFAT");
  OK (g, guestfs_mount_ro (g, disk, "/"));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/docs/letters/hello.txt"),
                    "hello, world\n");
  CHECK (guestfs_is_file (g, "/docs/Long File Name.txt") == 1);
  struct guestfs_statns *s = guestfs_statns (g, "/photos/2023/img0001.jpg");
  CHECK (s && s->st_size == 4096);
  guestfs_free_statns (s);
  OK (g, guestfs_umount_all (g));
}

static void
check_qcow2 (const char *overlay, const char *base)
{
  CHECK_CALL_STREQ (g, guestfs_vfs_type (g, overlay), "ext4");
  OK (g, guestfs_mount_ro (g, overlay, "/"));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/hello.txt"), QCOW2_OVERLAY_HELLO);
  CHECK (guestfs_is_file (g, "/overlay-only.txt") == 1);
  CHECK (guestfs_is_file (g, "/base-only.txt") == 1);
  OK (g, guestfs_umount_all (g));
  OK (g, guestfs_mount_ro (g, base, "/"));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/hello.txt"), QCOW2_BASE_HELLO);
  CHECK (guestfs_is_file (g, "/overlay-only.txt") == 0);
  OK (g, guestfs_umount_all (g));
}

int
main (void)
{
  tmpdir = test_tmpdir ();
  double t = now ();
  build_all ();
  printf ("all guests: %.1f s\n", now () - t);
  if (test_failures)
    return test_result ();
  check_cached ();
  check_concurrent_build ();

  add_drives ();
  char **fs = guestfs_list_filesystems (g);
  CHECK (fs != NULL);
  check_debian_layout (disks[0], fs);
  check_debian_files ();
  check_debian_metadata ();
  OK (g, guestfs_umount_all (g));
  check_fedora (disks[1], fs);
  OK (g, guestfs_umount_all (g));
  check_luks (disks[2]);
  check_windows (disks[3]);
  check_vfat (disks[4]);
  check_qcow2 (disks[5], disks[6]);
  free_list (fs);

  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  for (size_t i = 0; i < NKINDS; ++i)
    free (paths[i]);
  for (size_t i = 0; i <= NKINDS; ++i)
    free (disks[i]);
  return test_result ();
}
