/* Inspection of guests that were tampered with: links aimed outside
 * the guest, FIFOs and devices where files should be, oversized and
 * malformed files, corrupt and misleading registry hives, names in the
 * wrong case, damaged rpm databases.  Inspection must not hang, crash,
 * read the appliance's own files or believe nonsense, and must still
 * report what it can.
 * Also: the answers are cached until inspect_os is called again.
 *
 * The guests are changed through qcow2 overlays of the cached images,
 * in a temporary directory.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guests.h"
#include "inspect-util.h"
#include "regf.h"

#define DEBIAN_ROOT "/dev/debian-vg/root"

static guestfs_h *g;
static char *boot; /* the debian guest's /boot partition */

static void
write_file (const char *path, const char *content, size_t len)
{
  OK (g, guestfs_write (g, path, content, len));
}

static void
write_str (const char *path, const char *content)
{
  write_file (path, content, strlen (content));
}

static void
mount_debian (void)
{
  OK (g, guestfs_mount (g, DEBIAN_ROOT, "/"));
  OK (g, guestfs_mount (g, boot, "/boot"));
}

/* Unmount, inspect again, and check that the debian root is found. */
static void
reinspect (const char *what)
{
  OK (g, guestfs_umount_all (g));
  double t = now ();
  char **roots = guestfs_inspect_os (g);
  double took = now () - t;
  printf ("%s: inspect_os %.1f s\n", what, took);
  CHECK (took < 60); /* nothing made it hang */
  CHECK (list_has (roots, DEBIAN_ROOT));
  free_list (roots);
}

/* ---- Linux ---- */

/* The answers stay those of the last inspect_os until it is called
 * again. */
static void
test_cached_until_reinspected (void)
{
  mount_debian ();
  write_str ("/etc/hostname", "renamed-host\n");
  OK (g, guestfs_umount_all (g));
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, DEBIAN_ROOT),
                    DEBIAN_HOSTNAME);
  reinspect ("hostname changed");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, DEBIAN_ROOT),
                    "renamed-host");
}

/* A filesystem the caller has mounted read-write is inspected too, and
 * stays mounted read-write. */
static void
test_inspect_while_mounted_rw (void)
{
  mount_debian ();
  char **roots = guestfs_inspect_os (g);
  CHECK (list_has (roots, DEBIAN_ROOT));
  free_list (roots);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, DEBIAN_ROOT),
                    "renamed-host");
  write_str ("/etc/still-writable", "yes\n");
  write_str ("/boot/still-writable", "yes\n");
  const char *mounted[] = {DEBIAN_ROOT, boot, NULL};
  CHECK_LIST (g, guestfs_mounts (g), mounted);
  OK (g, guestfs_umount_all (g));
}

/* Links in the guest resolve inside it, however far they climb: the
 * answer comes from the guest's file, which only resolution inside the
 * guest reaches (with /usr/lib/os-release gone there is no other way
 * to it); followed anywhere else the link would miss it, and the
 * appliance (itself a Debian 12) must not be what is read either. */
static void
test_links_stay_inside (void)
{
  mount_debian ();
  OK (g, guestfs_rm (g, "/etc/os-release"));
  OK (g, guestfs_rm (g, "/usr/lib/os-release"));
  OK (g, guestfs_mkdir_p (g, "/usr/share/hostile"));
  OK (g, guestfs_ln_s (g, "/../../../../../../usr/share/hostile/release",
                       "/etc/os-release"));
  OK (g, guestfs_ln_s (g, "../../../../../usr/share/hostile/data",
                       "/usr/share/hostile/release"));
  write_str ("/usr/share/hostile/data",
             "ID=nonesuch\nPRETTY_NAME=\"Inside \001the\tguest\"\n"
             "VERSION_ID=3.14\n");
  reinspect ("os-release link");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_distro (g, DEBIAN_ROOT), "unknown");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_name (g, DEBIAN_ROOT),
                    "Inside the guest");
  CHECK (guestfs_inspect_get_major_version (g, DEBIAN_ROOT) == 3);
  CHECK (guestfs_inspect_get_minor_version (g, DEBIAN_ROOT) == 14);
  /* An unknown distribution: the package format from the disk, and
   * the manager that goes with it. */
  CHECK_CALL_STREQ (g, guestfs_inspect_get_package_format (g, DEBIAN_ROOT),
                    "deb");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_package_management (g, DEBIAN_ROOT),
                    "apt");
}

/* A FIFO, a device and a malformed name where host names are kept. */
static void
test_hostname_traps (void)
{
  mount_debian ();
  OK (g, guestfs_rm (g, "/etc/hostname"));
  OK (g, guestfs_mkfifo (g, 0644, "/etc/hostname"));
  OK (g, guestfs_ln_s (g, "/dev/null", "/etc/HOSTNAME"));
  OK (g, guestfs_mkdir_p (g, "/etc/sysconfig"));
  write_str ("/etc/sysconfig/network", "HOSTNAME=\"bad host;name\"\n");
  reinspect ("hostname traps");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, DEBIAN_ROOT),
                    "unknown");
}

/* Broken executables: a truncated ELF header, a link loop; then a good
 * header further down the list of programs looked at. */
static void
test_arch_garbage (void)
{
  mount_debian ();
  write_str ("/usr/bin/dash", "\177ELF\002\001");
  OK (g, guestfs_ln_s (g, "bash", "/usr/bin/bash"));
  reinspect ("broken executables");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_arch (g, DEBIAN_ROOT), "unknown");

  mount_debian ();
  unsigned char elf[64] = "\177ELF\002\001\001";
  elf[18] = 243; /* RISC-V */
  write_file ("/usr/bin/ls", (char *)elf, sizeof elf);
  reinspect ("riscv64 ls");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_arch (g, DEBIAN_ROOT), "riscv64");
}

static char *
boot_tag (const char *tag)
{
  char **tags = guestfs_blkid (g, boot);
  char *v = NULL;
  for (size_t i = 0; tags && tags[i] && tags[i + 1]; i += 2)
    if (strcmp (tags[i], tag) == 0)
      v = strdup (tags[i + 1]);
  free_list (tags);
  if (v == NULL) {
    fprintf (stderr, "FAIL: %s has no %s\n", boot, tag);
    ++test_failures;
    v = strdup ("none");
  }
  return v;
}

/* An fstab of every kind of nonsense around a few good lines, longer
 * than inspection reads. */
static void
test_fstab_garbage (void)
{
  char *uuid = boot_tag ("UUID"), *partuuid = boot_tag ("PART_ENTRY_UUID");
  mount_debian ();
  char *good = xasprintf ("UUID=%s /boot ext4 defaults 0 2\n"
                          "UUID= /empty-uuid ext4 defaults\n"
                          "LABEL=\"unterminated /no-label ext4\n"
                          "/dev/mapper/- /bad-mapper ext4\n"
                          "/dev/sdzz99 /no-disk ext4\n"
                          "/dev/vda1 /by-name ext4 defaults\n"
                          "PARTUUID=%s /by-partuuid ext4 defaults\n"
                          "proc /proc proc defaults 0 0\n"
                          "tmpfs /tmp tmpfs defaults 0 0\n"
                          "UUID=%s relative/mountpoint ext4\n"
                          "UUID=%s /with\\012newline ext4\n"
                          "UUID=0000-0000 /boot vfat defaults\n"
                          "/dev/debian-vg/swap_1 none swap sw 0 0\n"
                          "\t\t  \n# comment\n",
                          uuid, partuuid, uuid, uuid);
  /* Then more mount points than are kept, and a line past the 1 MiB
   * that is read. */
  size_t len = strlen (good), cap = 2 * 1024 * 1024;
  char *text = malloc (cap + 256);
  memcpy (text, good, len);
  for (int i = 0; i < 1000; ++i)
    len += sprintf (text + len, "/dev/vda1 /many/m%04d ext4\n", i);
  while (len < cap - 100)
    len += sprintf (text + len, "%s\n",
                    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  len += sprintf (text + len, "UUID=%s /after-limit ext4\n", uuid);
  write_file ("/etc/fstab", text, len);
  reinspect ("fstab garbage");

  char **mps = guestfs_inspect_get_mountpoints (g, DEBIAN_ROOT);
  CHECK (mps != NULL);
  size_t n = list_len (mps) / 2;
  CHECK (n >= 200 && n <= 257);
  const char *want[] = {"/",  DEBIAN_ROOT,    "/boot", boot, "/by-name",
                        boot, "/by-partuuid", boot,    NULL};
  for (size_t i = 0; mps && want[i] && i < 2 * n; ++i)
    if (strcmp (mps[i], want[i]) != 0) {
      fprintf (stderr, "FAIL: mountpoint %zu is %s, expected %s\n", i, mps[i],
               want[i]);
      ++test_failures;
    }
  static const char *const absent[] = {
      "/empty-uuid",    "/no-label", "/bad-mapper",         "/no-disk",
      "/proc",          "/tmp",      "relative/mountpoint", "/after-limit",
      "/with\nnewline", NULL};
  for (size_t i = 0; mps && i < 2 * n; i += 2)
    for (size_t j = 0; absent[j]; ++j)
      if (strcmp (mps[i], absent[j]) == 0) {
        fprintf (stderr, "FAIL: %s is a mountpoint\n", absent[j]);
        ++test_failures;
      }
  /* Everything the entries name: still just three filesystems. */
  const char *fss[] = {DEBIAN_ROOT, boot, "/dev/debian-vg/swap_1", NULL};
  CHECK_LIST (g, guestfs_inspect_get_filesystems (g, DEBIAN_ROOT), fss);
  free_list (mps);
  free (text);
  free (good);
  free (uuid);
  free (partuuid);
}

/* Release files too big to read whole, or not files at all. */
static void
test_release_files (void)
{
  mount_debian ();
  OK (g, guestfs_rm (g, "/etc/os-release"));
  OK (g, guestfs_mkdir (g, "/etc/os-release")); /* a directory */
  size_t cap = 2 * 1024 * 1024, len = 0;
  char *text = malloc (cap + 64);
  while (len < cap - 64)
    len += sprintf (text + len, "JUNK%06zu=%s\n", len, "junk junk junk");
  len += sprintf (text + len, "ID=fedora\nVERSION_ID=99\n");
  write_file ("/usr/lib/os-release", text, len);
  free (text);
  reinspect ("oversized os-release");
  /* ID= lies past the 1 MiB read: debian_version is what is left. */
  CHECK_CALL_STREQ (g, guestfs_inspect_get_distro (g, DEBIAN_ROOT), "debian");
  CHECK (guestfs_inspect_get_major_version (g, DEBIAN_ROOT) == 12);
  CHECK (guestfs_inspect_get_minor_version (g, DEBIAN_ROOT) == 5);
}

/* ---- The rpm database ---- */

static char *fedora_part, *fedora_root; /* btrfs partition, root subvolume */
#define RPMDB_DIR "/usr/lib/sysimage/rpm"
#define RPMDB RPMDB_DIR "/rpmdb.sqlite"

static void
mount_fedora (void)
{
  OK (g, guestfs_mount_options (g, "subvol=root", fedora_part, "/"));
}

/* Remove the database and the files SQLite keeps beside it. */
static void
remove_rpmdb (void)
{
  OK (g, guestfs_rm_f (g, RPMDB));
  OK (g, guestfs_rm_f (g, RPMDB "-shm"));
  OK (g, guestfs_rm_f (g, RPMDB "-wal"));
}

/* Deterministic junk. */
static char *
junk (size_t len, uint64_t seed)
{
  char *buf = malloc (len);
  for (size_t i = 0; i < len; ++i) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    buf[i] = seed >> 56;
  }
  return buf;
}

/* Listing the applications fails with err (0: any) and text in the
 * message, and the daemon is still there to answer. */
static void
check_rpm_error (const char *what, int err, const char *text)
{
  double t = now ();
  struct guestfs_application2_list *apps =
      guestfs_inspect_list_applications2 (g, fedora_root);
  printf ("%s: %.1f s: %s\n", what, now () - t,
          apps ? "(listed)" : guestfs_last_error (g));
  check_error_ (__FILE__, __LINE__, g, what, apps == NULL, err, text);
  if (apps)
    guestfs_free_application2_list (apps);
  CHECK (guestfs_is_dir (g, RPMDB_DIR) == 1);
}

/* Listing the applications gives n of them. */
static void
check_rpm_count (const char *what, uint32_t n)
{
  struct guestfs_application2_list *apps =
      guestfs_inspect_list_applications2 (g, fedora_root);
  if (apps == NULL || apps->len != n) {
    fprintf (stderr, "FAIL: %s: %s\n", what,
             apps ? "wrong number of applications" : guestfs_last_error (g));
    ++test_failures;
  }
  if (apps)
    guestfs_free_application2_list (apps);
}

/* A database reached through an absolute link resolves inside the
 * guest; then damaged databases of each kind, one too large to copy,
 * none at all: errors, never a crash or a hang, and never an empty
 * list that would pass for a guest without packages. */
static void
test_rpmdb_hostile (void)
{
  mount_fedora ();
  OK (g, guestfs_mkdir_p (g, "/usr/share/hostile"));
  OK (g, guestfs_mv (g, RPMDB, "/usr/share/hostile/rpmdb.sqlite"));
  OK (g, guestfs_ln_s (g, "/../../../usr/share/hostile/rpmdb.sqlite", RPMDB));
  check_rpm_count ("rpmdb.sqlite through a link", 7);
  OK (g, guestfs_rm (g, RPMDB));
  OK (g, guestfs_mv (g, "/usr/share/hostile/rpmdb.sqlite", RPMDB));

  /* One byte of one package's summary changed (wherever SQLite has
   * the text: free pages may hold old copies): its header no longer
   * matches its digest. */
  char *tmp = test_tmpdir ();
  char *local = xasprintf ("%s/rpmdb.sqlite", tmp);
  OK (g, guestfs_download (g, RPMDB, local));
  size_t len;
  char *db = host_read (local, &len);
  const char *summary = "Timezone data";
  size_t found = 0;
  for (char *at = db; at && (at = memmem (at, len - (at - db), summary,
                                          strlen (summary)));
       at += strlen (summary), ++found)
    OK (g, guestfs_pwrite (g, RPMDB, "D", 1, at - db));
  CHECK (found > 0);
  check_rpm_error ("changed header", 0, "digest");
  for (char *at = db; at && (at = memmem (at, len - (at - db), summary,
                                          strlen (summary)));
       at += strlen (summary))
    OK (g, guestfs_pwrite (g, RPMDB, "T", 1, at - db));
  check_rpm_count ("header restored", 7);
  free (db);
  free (local);
  free (tmp);

  /* Cut short: the tables lie past the end. */
  OK (g, guestfs_truncate_size (g, RPMDB, 8192));
  check_rpm_error ("truncated rpmdb.sqlite", 0, RPMDB);

  /* SQLite's header, then junk. */
  remove_rpmdb ();
  char *bytes = junk (65536, 1);
  memcpy (bytes, "SQLite format 3", 16);
  write_file (RPMDB, bytes, 65536);
  check_rpm_error ("junk rpmdb.sqlite", 0, RPMDB);

  /* The old Berkeley DB format, read by librpm's own reader. */
  remove_rpmdb ();
  write_file (RPMDB_DIR "/Packages", bytes, 65536);
  free (bytes);
  check_rpm_error ("junk Packages", 0, RPMDB_DIR "/Packages");
  OK (g, guestfs_rm (g, RPMDB_DIR "/Packages"));

  /* 2 GiB (sparse): refused before anything is copied. */
  OK (g, guestfs_touch (g, RPMDB));
  OK (g, guestfs_truncate_size (g, RPMDB, INT64_C (2) << 30));
  check_rpm_error ("2 GiB rpmdb.sqlite", EFBIG, RPMDB);

  /* A FIFO is not a database (and is never opened for reading). */
  remove_rpmdb ();
  OK (g, guestfs_mkfifo (g, 0644, RPMDB));
  check_rpm_error ("FIFO rpmdb.sqlite", ENOENT, "no rpm database");
  OK (g, guestfs_umount_all (g));
}

/* ---- Windows ---- */

static char *windows_c;

static void
mount_windows (void)
{
  OK (g, guestfs_mount (g, windows_c, "/"));
}

static void
reinspect_windows (const char *what)
{
  OK (g, guestfs_umount_all (g));
  char **roots = guestfs_inspect_os (g);
  printf ("%s: %zu roots\n", what, list_len (roots));
  CHECK (list_has (roots, windows_c));
  free_list (roots);
}

/* Windows compares names without case; so does inspection. */
static void
test_windows_case (void)
{
  mount_windows ();
  OK (g, guestfs_rename (g, "/Windows", "/WINDOWS"));
  OK (g, guestfs_rename (g, "/WINDOWS/System32", "/WINDOWS/system32"));
  OK (g, guestfs_rename (g, "/WINDOWS/system32/config",
                         "/WINDOWS/system32/CONFIG"));
  reinspect_windows ("renamed");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_windows_systemroot (g, windows_c),
                    "/WINDOWS");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_windows_software_hive (g, windows_c),
                    "/WINDOWS/system32/CONFIG/SOFTWARE");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_name (g, windows_c),
                    WINDOWS_PRODUCT_NAME);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_arch (g, windows_c), "x86_64");
}

/* A hive with values of the wrong types and odd contents, built like
 * the real ones (regf.c, then hivex). */
static void
make_misleading_hives (const char *dir, char **software, char **system)
{
  *software = xasprintf ("%s/SOFTWARE", dir);
  *system = xasprintf ("%s/SYSTEM", dir);
  hive_h *h;
  static const char ctl[] = "S\0e\0r\0\x01\0v\0e\0r\0\0"; /* "Ser\1ver" */
  static const char ten[] = "1\0"
                            "0\0\0"; /* "10" */
  static const char six[] = "6\0.\0"
                            "1\0\0"; /* "6.1" */
  char dword[4] = {7, 0, 0, 0};
  if (regf_write_empty (*software, "ROOT", "SOFTWARE") == -1 ||
      (h = hivex_open (*software, HIVEX_OPEN_WRITE)) == NULL)
    skip ("cannot make a hive: %m");
  hive_node_h n = hivex_node_add_child (h, hivex_root (h), "Microsoft");
  n = hivex_node_add_child (h, n, "Windows NT");
  n = hivex_node_add_child (h, n, "CurrentVersion");
  hive_set_value sv[] = {
      {(char *)"ProductName", hive_t_REG_DWORD, 4, dword},
      {(char *)"CurrentMajorVersionNumber", hive_t_REG_SZ, sizeof ten - 1,
       (char *)ten},
      {(char *)"CurrentVersion", hive_t_REG_SZ, sizeof six - 1, (char *)six},
      {(char *)"InstallationType", hive_t_REG_SZ, sizeof ctl - 1, (char *)ctl},
  };
  CHECK (n && hivex_node_set_values (h, n, 4, sv, 0) == 0);
  CHECK (hivex_commit (h, NULL, 0) == 0);
  hivex_close (h);

  if (regf_write_empty (*system, "ROOT", "SYSTEM") == -1 ||
      (h = hivex_open (*system, HIVEX_OPEN_WRITE)) == NULL)
    skip ("cannot make a hive: %m");
  char big[4] = {(char)0xff, (char)0xff, (char)0xff, 0x7f};
  static const char wrong_disk[12] = {1, 2, 3, 4, 0, 0, 0x10};
  hive_set_value sel = {(char *)"Current", hive_t_REG_DWORD, 4, big};
  n = hivex_node_add_child (h, hivex_root (h), "Select");
  CHECK (n && hivex_node_set_values (h, n, 1, &sel, 0) == 0);
  hive_set_value md[] = {
      {(char *)"\\DosDevices\\C:", hive_t_REG_BINARY, 12, (char *)wrong_disk},
      {(char *)"\\DosDevices\\E:", hive_t_REG_BINARY, 3, (char *)wrong_disk},
      {(char *)"\\DosDevices\\F:", hive_t_REG_BINARY, 24,
       (char *)"DMIO:ID:\1\2\3\4\5\6\7\10\11\12\13\14\15\16\17\20"},
  };
  n = hivex_node_add_child (h, hivex_root (h), "MountedDevices");
  CHECK (n && hivex_node_set_values (h, n, 3, md, 0) == 0);
  CHECK (hivex_commit (h, NULL, 0) == 0);
  hivex_close (h);
}

static void
test_windows_misleading_hives (void)
{
  char *dir = test_tmpdir (), *software, *system;
  make_misleading_hives (dir, &software, &system);
  mount_windows ();
  OK (g, guestfs_upload (g, software, "/WINDOWS/system32/CONFIG/SOFTWARE"));
  OK (g, guestfs_upload (g, system, "/WINDOWS/system32/CONFIG/SYSTEM"));
  reinspect_windows ("misleading hives");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_name (g, windows_c),
                    "unknown");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_variant (g, windows_c),
                    "Ser ver");
  CHECK (guestfs_inspect_get_major_version (g, windows_c) == 6);
  CHECK (guestfs_inspect_get_minor_version (g, windows_c) == 1);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, windows_c), "unknown");
  const char *none[] = {NULL};
  CHECK_LIST (g, guestfs_inspect_get_drive_mappings (g, windows_c), none);
  CHECK_ERROR_NULL (
      g, guestfs_inspect_get_windows_current_control_set (g, windows_c), EINVAL,
      "control set");
  free (software);
  free (system);
  free (dir);
}

/* Hives that are not hives: garbage with the right magic, and a file
 * too short to be one.  The system is still found. */
static void
test_windows_corrupt_hives (void)
{
  mount_windows ();
  size_t len = 64 * 1024;
  char *junk = malloc (len);
  uint64_t s = 0x68697665; /* "hive" */
  for (size_t i = 0; i < len; ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    junk[i] = (char)s;
  }
  memcpy (junk, "regf", 4);
  write_file ("/WINDOWS/system32/CONFIG/SOFTWARE", junk, len);
  write_file ("/WINDOWS/system32/CONFIG/SYSTEM", junk, 4096);
  free (junk);
  reinspect_windows ("corrupt hives");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_type (g, windows_c), "windows");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_name (g, windows_c),
                    "unknown");
  CHECK (guestfs_inspect_get_major_version (g, windows_c) == 0);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, windows_c), "unknown");
  CHECK_ERROR_NULL (g, guestfs_inspect_get_windows_software_hive (g, windows_c),
                    EINVAL, "SOFTWARE");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_windows_systemroot (g, windows_c),
                    "/WINDOWS");
}

int
main (void)
{
  const char *images[] = {test_guest_overlay ("debian"),
                          test_guest_overlay ("windows"),
                          test_guest_overlay ("fedora"), NULL};
  g = launch_with (images);
  boot = disk_name (g, 0, 1);
  windows_c = disk_name (g, 1, 2);
  fedora_part = disk_name (g, 2, 2);
  fedora_root = xasprintf ("btrfsvol:%s/root", fedora_part);
  char **roots = guestfs_inspect_os (g);
  CHECK (list_len (roots) == 3);
  CHECK (list_has (roots, fedora_root));
  free_list (roots);

  test_cached_until_reinspected ();
  test_inspect_while_mounted_rw ();
  test_links_stay_inside ();
  test_hostname_traps ();
  test_arch_garbage ();
  test_fstab_garbage ();
  test_release_files ();
  test_rpmdb_hostile ();
  test_windows_case ();
  test_windows_misleading_hives ();
  test_windows_corrupt_hives ();

  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  free (boot);
  free (windows_c);
  free (fedora_part);
  free (fedora_root);
  return test_result ();
}
