/* The Linux test guests: debian, fedora and luks.
 *
 * Each looks, to inspection and to tools that walk filesystems, like a
 * small installed system: the partitioning and volume layout an
 * installer makes, /etc/fstab naming filesystems the way that
 * installer does, the release files, a package database, an ELF
 * executable at /bin/sh or /usr/bin/bash, and (debian) a tree with the
 * kinds of files that trouble copying and listing tools.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guests.h"
#include "make-guest.h"

#define EM_X86_64 62
#define EM_AARCH64 183

/* ---- Pieces common to the Linux guests ---- */

/* The directories of a merged-/usr system, and its compatibility links
 * (relative, as distributions make them). */
static void
make_usrmerge_skeleton (guestfs_h *g)
{
  static const char *const dirs[] = {
      "/etc/default", "/usr/bin",       "/usr/sbin",
      "/usr/lib",     "/usr/share/doc", "/usr/share/zoneinfo/Etc",
      "/var/log",     "/var/tmp",       "/var/cache",
      "/home",        "/root",          "/tmp",
      "/dev",         "/proc",          "/sys",
      "/run",         "/srv",           "/opt",
      "/mnt",         "/media",         NULL};
  make_dirs (g, dirs);
  CALL (g, guestfs_ln_s (g, "usr/bin", "/bin"));
  CALL (g, guestfs_ln_s (g, "usr/sbin", "/sbin"));
  CALL (g, guestfs_ln_s (g, "usr/lib", "/lib"));
  CALL (g, guestfs_chmod (g, 01777, "/tmp"));
  CALL (g, guestfs_chmod (g, 01777, "/var/tmp"));
  CALL (g, guestfs_chmod (g, 0700, "/root"));
}

/* The host's own shell, a real ELF executable of the host's
 * architecture. */
static void
install_host_shell (guestfs_h *g, const char *path)
{
  const char *candidates[] = {"/usr/bin/dash", "/bin/dash", "/bin/sh", NULL};
  for (size_t i = 0; candidates[i]; ++i)
    if (access (candidates[i], R_OK) == 0) {
      CALL (g, guestfs_upload (g, candidates[i], path));
      CALL (g, guestfs_chmod (g, 0755, path));
      return;
    }
  die ("no shell on this host to copy into the guest");
}

/* An executable that is only an ELF header for machine: enough for
 * inspection to tell the architecture. */
static void
install_elf_stub (guestfs_h *g, const char *path, uint16_t machine)
{
  unsigned char elf[512];
  make_elf_header (elf, sizeof elf, machine);
  CALL (g, guestfs_write (g, path, (char *)elf, sizeof elf));
  CALL (g, guestfs_chmod (g, 0755, path));
}

static void
write_passwd_files (guestfs_h *g)
{
  write_text (g, "/etc/passwd",
              "root:x:0:0:root:/root:/bin/bash\n"
              "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
              "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
              "user:x:1000:1000:Test User,,,:/home/user:/bin/bash\n");
  write_text (g, "/etc/group",
              "root:x:0:\ndaemon:x:1:\nusers:x:100:\n"
              "nogroup:x:65534:\nuser:x:1000:\n");
  write_text (g, "/etc/shadow",
              "root:*:19700:0:99999:7:::\n"
              "user:!:19700:0:99999:7:::\n");
  CALL (g, guestfs_chmod (g, 0640, "/etc/shadow"));
}

static void
write_hostname (guestfs_h *g, const char *hostname)
{
  write_textf (g, "/etc/hostname", "%s\n", hostname);
  write_textf (g, "/etc/hosts",
               "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n\n"
               "::1\tlocalhost ip6-localhost ip6-loopback\n",
               hostname);
}

/* Sectors of 512 bytes. */
#define SECTORS(bytes) ((bytes) / 512)

/* ---- debian ---- */

/* A /var/lib/dpkg/status stanza. */
static void
append_dpkg_package (char **status, const char *name, const char *version,
                     const char *arch, const char *section, const char *summary)
{
  char *s = xasprintf ("%sPackage: %s\n"
                       "Status: install ok installed\n"
                       "Priority: optional\n"
                       "Section: %s\n"
                       "Installed-Size: %zu\n"
                       "Maintainer: Test Maintainers <maint@example.org>\n"
                       "Architecture: %s\n"
                       "Version: %s\n"
                       "Description: %s\n"
                       " A package listed for the inspection tests.\n\n",
                       *status, name, section, 100 + strlen (name) * 37, arch,
                       version, summary);
  free (*status);
  *status = s;
}

static void
write_dpkg_database (guestfs_h *g)
{
  static const char *const pkgs[][5] = {
      {"base-files", "12.4+deb12u5", "amd64", "admin", "base system files"},
      {"bash", "5.2.15-2+b2", "amd64", "shells", "GNU Bourne Again SHell"},
      {"coreutils", "9.1-1", "amd64", "utils", "GNU core utilities"},
      {"dash", "0.5.12-2", "amd64", "shells", "POSIX-compliant shell"},
      {"libc6", "2.36-9+deb12u4", "amd64", "libs", "GNU C Library"},
      {"linux-image-6.1.0-18-amd64", "6.1.76-1", "amd64", "kernel",
       "Linux 6.1 for 64-bit PCs"},
      {"lvm2", "2.03.16-2", "amd64", "admin", "Linux Logical Volume Manager"},
      {"openssh-server", "1:9.2p1-2+deb12u2", "amd64", "net",
       "secure shell (SSH) server"},
      {"tzdata", "2024a-0+deb12u1", "all", "localization",
       "time zone and daylight-saving time data"},
  };
  char *status = strdup ("");
  for (size_t i = 0; i < sizeof pkgs / sizeof pkgs[0]; ++i)
    append_dpkg_package (&status, pkgs[i][0], pkgs[i][1], pkgs[i][2],
                         pkgs[i][3], pkgs[i][4]);
  write_text (g, "/var/lib/dpkg/status", status);
  free (status);
  CALL (g, guestfs_touch (g, "/var/lib/dpkg/lock"));
}

/* About 3000 text files of varied sizes (0 to 16 KiB) in 60
 * directories: enough files that listing, copying and walking tools
 * meet more than one batch or readdir buffer. */
static void
write_file_tree (guestfs_h *g)
{
  enum { DIRS = 60, FILES_PER_DIR = 50 };
  uint64_t state = UINT64_C (0x6465626961); /* "debia" */
  static const char *const words[] = {
      "disk",    "image",  "guest", "volume", "sector",    "inode", "block",
      "journal", "extent", "mount", "device", "partition", "table", "root"};
  size_t nwords = sizeof words / sizeof words[0];
  char *buf = malloc (17 * 1024);
  if (buf == NULL)
    die ("out of memory");
  for (int d = 0; d < DIRS; ++d) {
    char *dir = xasprintf ("%s/d%02d", DEBIAN_TREE_DIR, d);
    CALL (g, guestfs_mkdir_p (g, dir));
    for (int f = 0; f < FILES_PER_DIR; ++f) {
      size_t size = next_random (&state) % (16 * 1024);
      if (f == 0)
        size = 0; /* some empty files too */
      size_t len = 0;
      while (len < size) {
        const char *w = words[next_random (&state) % nwords];
        int n = snprintf (buf + len, 17 * 1024 - len, "%s%c", w,
                          next_random (&state) % 8 == 0 ? '\n' : ' ');
        len += n;
      }
      if (len > size)
        len = size;
      char *path = xasprintf ("%s/f%04d.txt", dir, d * FILES_PER_DIR + f);
      CALL (g, guestfs_write (g, path, buf, len));
      free (path);
    }
    free (dir);
  }
  free (buf);
}

/* An ACL as system.posix_acl_access/default store it: a version word
 * and (tag, permissions, id) entries, little-endian, ordered by tag and
 * then id, as the kernel requires. */
struct acl_entry {
  uint16_t tag;
  uint16_t perm;
  uint32_t id;
};
enum {
  ACL_USER_OBJ = 0x01,
  ACL_USER = 0x02,
  ACL_GROUP_OBJ = 0x04,
  ACL_GROUP = 0x08,
  ACL_MASK = 0x10,
  ACL_OTHER = 0x20,
};
#define ACL_NO_ID 0xffffffffu

static size_t
encode_acl (unsigned char *buf, const struct acl_entry *e, size_t n)
{
  const uint32_t version = 2;
  size_t off = 0;
  for (int i = 0; i < 4; ++i)
    buf[off++] = (version >> (8 * i)) & 0xff;
  for (size_t i = 0; i < n; ++i) {
    buf[off++] = e[i].tag & 0xff;
    buf[off++] = e[i].tag >> 8;
    buf[off++] = e[i].perm & 0xff;
    buf[off++] = e[i].perm >> 8;
    for (int b = 0; b < 4; ++b)
      buf[off++] = (e[i].id >> (8 * b)) & 0xff;
  }
  return off;
}

static void
set_acl (guestfs_h *g, const char *path, const char *xattr,
         const struct acl_entry *e, size_t n)
{
  unsigned char buf[4 + 8 * 16];
  size_t len = encode_acl (buf, e, n);
  CALL (g, guestfs_setxattr (g, xattr, (char *)buf, len, path));
}

/* user::rwx user:1001:rwx group::r-x group:1002:r-x mask::rwx other::--- */
static void
write_acl_files (guestfs_h *g)
{
  static const struct acl_entry shared[] = {
      {ACL_USER_OBJ, 7, ACL_NO_ID},  {ACL_USER, 7, 1001},
      {ACL_GROUP_OBJ, 5, ACL_NO_ID}, {ACL_GROUP, 5, 1002},
      {ACL_MASK, 7, ACL_NO_ID},      {ACL_OTHER, 0, ACL_NO_ID}};
  size_t n = sizeof shared / sizeof shared[0];
  CALL (g, guestfs_mkdir (g, DEBIAN_ACL_DIR));
  set_acl (g, DEBIAN_ACL_DIR, "system.posix_acl_access", shared, n);
  set_acl (g, DEBIAN_ACL_DIR, "system.posix_acl_default", shared, n);
  write_text (g, DEBIAN_ACL_DIR "/notes.txt", "shared with user 1001\n");
  set_acl (g, DEBIAN_ACL_DIR "/notes.txt", "system.posix_acl_access", shared,
           n);
}

static void
write_xattr_files (guestfs_h *g)
{
  write_text (g, DEBIAN_XATTR_FILE, "a file with extended attributes\n");
  const char *comment = "checked by the tests";
  CALL (g, guestfs_setxattr (g, "user.comment", comment, strlen (comment),
                             DEBIAN_XATTR_FILE));
  CALL (g, guestfs_setxattr (g, "user.mime_type", "text/plain", 10,
                             DEBIAN_XATTR_FILE));
  /* Binary, with a NUL inside. */
  CALL (g, guestfs_setxattr (g, "user.binary", "\x01\x00\xff\x7f", 4,
                             DEBIAN_XATTR_FILE));
}

/* Names that break naive tools: spaces, a newline, a tab, UTF-8, a
 * leading dash, glob and shell characters. */
static void
write_awkward_names (guestfs_h *g)
{
  static const char *const names[] = {"with space.txt", "new\nline.txt",
                                      "tab\there.txt",  "日本語.txt",
                                      "café-ñ.txt",     "-leading-dash",
                                      "*star?[x]",      "back\\slash",
                                      "'quote\"",       NULL};
  CALL (g, guestfs_mkdir (g, DEBIAN_NAMES_DIR));
  for (size_t i = 0; names[i]; ++i) {
    char *path = xasprintf ("%s/%s", DEBIAN_NAMES_DIR, names[i]);
    write_textf (g, path, "%zu\n", i);
    free (path);
  }
}

static void
write_links (guestfs_h *g)
{
  /* Hard links: three names for one inode. */
  CALL (g, guestfs_mkdir (g, DEBIAN_HARDLINK_DIR));
  write_text (g, DEBIAN_HARDLINK_DIR "/a", "one inode, three names\n");
  CALL (g, guestfs_ln (g, DEBIAN_HARDLINK_DIR "/a", DEBIAN_HARDLINK_DIR "/b"));
  CALL (g, guestfs_ln (g, DEBIAN_HARDLINK_DIR "/a", DEBIAN_HARDLINK_DIR "/c"));
  /* Absolute symbolic links, meaningful inside the guest only. */
  write_text (g, "/usr/share/zoneinfo/Etc/UTC", "TZif2 (placeholder)\n");
  CALL (g, guestfs_ln_s (g, "/usr/share/zoneinfo/Etc/UTC", "/etc/localtime"));
  CALL (g, guestfs_ln_s (g, "/etc/hostname", "/home/user/hostname-link"));
  /* A dangling link and a link to a directory. */
  CALL (g, guestfs_ln_s (g, "/nonexistent/target", "/home/user/dangling"));
  CALL (g, guestfs_ln_s (g, "../../usr/share", "/home/user/share-link"));
}

static void
write_sparse_file (guestfs_h *g)
{
  CALL (g, guestfs_touch (g, DEBIAN_SPARSE_FILE));
  CALL (g, guestfs_truncate_size (g, DEBIAN_SPARSE_FILE, GiB));
  static const int64_t offsets[] = {0, 512 * MiB, GiB - 4096};
  for (size_t i = 0; i < 3; ++i) {
    char block[4096];
    memset (block, 'a' + (int)i, sizeof block);
    CALL (g, guestfs_pwrite (g, DEBIAN_SPARSE_FILE, block, sizeof block,
                             offsets[i]));
  }
}

static void
write_boot_files (guestfs_h *g)
{
  static const char *const kernel = "6.1.0-18-amd64";
  unsigned char blob[64 * 1024];
  uint64_t state = 0x626f6f74; /* "boot" */
  for (size_t i = 0; i < sizeof blob; ++i)
    blob[i] = next_random (&state) & 0xff;
  char *p = xasprintf ("/boot/vmlinuz-%s", kernel);
  CALL (g, guestfs_write (g, p, (char *)blob, sizeof blob));
  free (p);
  p = xasprintf ("/boot/initrd.img-%s", kernel);
  CALL (g, guestfs_write (g, p, (char *)blob, sizeof blob / 2));
  free (p);
  p = xasprintf ("/boot/config-%s", kernel);
  write_text (g, p, "CONFIG_64BIT=y\nCONFIG_X86_64=y\n");
  free (p);
  CALL (g, guestfs_mkdir (g, "/boot/grub"));
  write_textf (g, "/boot/grub/grub.cfg",
               "menuentry 'Debian GNU/Linux' {\n"
               "\tlinux /vmlinuz-%s root=/dev/mapper/debian--vg-root ro\n"
               "\tinitrd /initrd.img-%s\n}\n",
               kernel, kernel);
  p = xasprintf ("boot/vmlinuz-%s", kernel);
  CALL (g, guestfs_ln_s (g, p, "/vmlinuz"));
  free (p);
}

static void
write_debian_etc (guestfs_h *g, const char *boot_uuid)
{
  /* Debian keeps os-release in /usr/lib and links to it from /etc. */
  write_text (g, "/usr/lib/os-release",
              "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
              "NAME=\"Debian GNU/Linux\"\n"
              "VERSION_ID=\"12\"\n"
              "VERSION=\"12 (bookworm)\"\n"
              "VERSION_CODENAME=bookworm\n"
              "ID=debian\n"
              "HOME_URL=\"https://www.debian.org/\"\n"
              "SUPPORT_URL=\"https://www.debian.org/support\"\n"
              "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n");
  CALL (g, guestfs_ln_s (g, "../usr/lib/os-release", "/etc/os-release"));
  write_text (g, "/etc/debian_version", "12.5\n");
  write_hostname (g, DEBIAN_HOSTNAME);
  write_textf (g, "/etc/fstab",
               "# /etc/fstab: static file system information.\n"
               "#\n"
               "# <file system> <mount point>   <type>  <options>       "
               "<dump>  <pass>\n"
               "/dev/mapper/debian--vg-root /               ext4    "
               "errors=remount-ro 0       1\n"
               "# /boot was on /dev/sda1 during installation\n"
               "UUID=%s /boot           ext4    defaults        0       2\n"
               "/dev/mapper/debian--vg-swap_1 none            swap    sw"
               "              0       0\n"
               "/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     "
               "0       0\n",
               boot_uuid);
  write_text (g, "/etc/machine-id", "5f6c1d3a9b2e4c7d8e0f1a2b3c4d5e6f\n");
  write_passwd_files (g);
}

void
make_debian (const char *output)
{
  create_raw (output, GiB);
  guestfs_h *g = open_image (output, NULL);
  char *disk = first_disk (g);
  char *boot = partition (disk, 1), *pv = partition (disk, 2);

  CALL (g, guestfs_part_init (g, disk, "mbr"));
  add_partition (g, disk, 2048, 2048 + SECTORS (256 * MiB) - 1);
  add_partition (g, disk, 2048 + SECTORS (256 * MiB), SECTORS (GiB) - 1);
  CALL (g, guestfs_part_set_bootable (g, disk, 1, 1));
  CALL (g, guestfs_part_set_mbr_id (g, disk, 2, 0x8e));
  CALL (g, guestfs_pvcreate (g, pv));
  char *pvs[] = {pv, NULL};
  CALL (g, guestfs_vgcreate (g, "debian-vg", pvs));
  CALL (g, guestfs_lvcreate (g, "root", "debian-vg", 640));
  CALL (g, guestfs_lvcreate (g, "swap_1", "debian-vg", 64));
  CALL (g, guestfs_mkfs (g, "ext4", boot));
  CALL (g, guestfs_mkfs (g, "ext4", "/dev/debian-vg/root"));
  CALL (g, guestfs_mkswap (g, "/dev/debian-vg/swap_1"));

  CALL (g, guestfs_mount (g, "/dev/debian-vg/root", "/"));
  CALL (g, guestfs_mkdir (g, "/boot"));
  CALL (g, guestfs_mount (g, boot, "/boot"));
  char *boot_uuid = fs_uuid (g, boot);

  make_usrmerge_skeleton (g);
  static const char *const dirs[] = {"/var/lib/dpkg/info", "/etc/apt",
                                     "/home/user", NULL};
  make_dirs (g, dirs);
  install_host_shell (g, "/usr/bin/dash");
  CALL (g, guestfs_ln_s (g, "dash", "/usr/bin/sh"));
  write_debian_etc (g, boot_uuid);
  write_dpkg_database (g);
  write_boot_files (g);
  write_file_tree (g);
  write_links (g);
  write_xattr_files (g);
  write_acl_files (g);
  write_awkward_names (g);
  write_sparse_file (g);
  CALL (g, guestfs_mkfifo (g, 0644, "/home/user/pipe"));
  CALL (g, guestfs_mknod_c (g, 0666, 1, 3, "/dev/null"));
  CALL (g, guestfs_chown (g, 1000, 1000, "/home/user"));
  CALL (g, guestfs_chown (g, 1000, 1000, DEBIAN_NAMES_DIR));
  CALL (g, guestfs_lchown (g, 1000, 1000, "/home/user/dangling"));

  close_image (g);
  free (boot_uuid);
  free (boot);
  free (pv);
  free (disk);
}

/* ---- fedora ---- */

/* The rpm database is made by the host's rpm tools, as a distribution
 * build makes one: a package with no files for each FEDORA_RPMS entry
 * (rpmbuild), then a new database (rpm --initdb) into which they are
 * installed one by one (rpm -i --justdb), in the table's order.
 * (--force-debian: Debian's rpm otherwise warns, when installing, that
 * it is not Debian's package manager.) */

static void
run_or_die (const char *cmd)
{
  int status = system (cmd);
  if (status != 0)
    die ("%s: failed (status %d; the rpm tools come with Debian's rpm "
         "package, see scripts/build-packages)",
         cmd, status);
}

static void
write_spec (const char *path, const struct test_rpm *p)
{
  FILE *f = fopen (path, "w");
  if (f == NULL)
    die ("%s: %m", path);
  fprintf (f, "Name: %s\n", p->name);
  if (p->epoch)
    fprintf (f, "Epoch: %d\n", p->epoch);
  fprintf (f,
           "Version: %s\nRelease: %s\nSummary: %s\nLicense: MIT\nURL: %s\n"
           "%s\n%%description\n%s\n\n%%files\n",
           p->version, p->release, p->summary, p->url,
           strcmp (p->arch, "noarch") == 0 ? "BuildArch: noarch\n" : "",
           FEDORA_RPM_DESCRIPTION);
  if (fclose (f) == EOF)
    die ("%s: %m", path);
}

/* Build the database in a new directory under tmp: its path. */
static char *
build_rpmdb (const char *tmp)
{
  static const struct test_rpm rpms[] = FEDORA_RPMS;
  /* The rpm files' names, predictable; no build host of ours inside. */
  const char *defines = "--define '_build_name_fmt "
                        "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm' "
                        "--define '_buildhost build.example.com' "
                        "--define 'debug_package %{nil}'";
  char *db = xasprintf ("%s/db", tmp);
  char *cmd = xasprintf ("rpm --dbpath '%s' --define '_db_backend sqlite' "
                         "--initdb",
                         db);
  run_or_die (cmd);
  free (cmd);
  for (size_t i = 0; i < sizeof rpms / sizeof rpms[0]; ++i) {
    const struct test_rpm *p = &rpms[i];
    char *spec = xasprintf ("%s/%zu.spec", tmp, i);
    write_spec (spec, p);
    cmd = xasprintf ("rpmbuild -bb --quiet --target %s "
                     "--define '_topdir %s/top' --define '_rpmdir %s' %s "
                     "'%s' >/dev/null",
                     p->arch, tmp, tmp, defines, spec);
    run_or_die (cmd);
    free (cmd);
    cmd = xasprintf ("rpm --force-debian --dbpath '%s' "
                     "--define '_db_backend sqlite' -i "
                     "--justdb --nodeps --noscripts --notriggers --ignorearch "
                     "--ignoreos '%s/%s-%s-%s.%s.rpm'",
                     db, tmp, p->name, p->version, p->release, p->arch);
    run_or_die (cmd);
    free (cmd);
    free (spec);
  }
  return db;
}

/* Upload every file of the host directory dir into the guest's dest. */
static void
upload_dir (guestfs_h *g, const char *dir, const char *dest)
{
  DIR *d = opendir (dir);
  if (d == NULL)
    die ("%s: %m", dir);
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (e->d_type != DT_REG)
      continue;
    char *from = xasprintf ("%s/%s", dir, e->d_name);
    char *to = xasprintf ("%s/%s", dest, e->d_name);
    CALL (g, guestfs_upload (g, from, to));
    CALL (g, guestfs_chmod (g, 0644, to));
    free (from);
    free (to);
  }
  closedir (d);
}

void
make_fedora (const char *output)
{
  /* The rpm tools first: if they are missing, nothing is booted. */
  const char *tmpdir = getenv ("TMPDIR");
  char *tmp = xasprintf ("%s/make-guest-rpm.XXXXXX",
                         tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (mkdtemp (tmp) == NULL)
    die ("%s: %m", tmp);
  if (strchr (tmp, '\''))
    die ("%s: quotes in the temporary directory are not supported", tmp);
  char *rpmdb = build_rpmdb (tmp);

  create_raw (output, 512 * MiB);
  guestfs_h *g = open_image (output, NULL);
  char *disk = first_disk (g);
  char *esp = partition (disk, 1), *root = partition (disk, 2);

  CALL (g, guestfs_part_init (g, disk, "gpt"));
  add_partition (g, disk, 2048, 2048 + SECTORS (64 * MiB) - 1);
  add_partition (g, disk, 2048 + SECTORS (64 * MiB),
                 SECTORS (512 * MiB) - 2048);
  CALL (g, guestfs_part_set_name (g, disk, 1, "EFI System Partition"));
  CALL (g, guestfs_part_set_name (g, disk, 2, "fedora"));
  CALL (g,
        guestfs_mkfs_opts (g, "vfat", esp, GUESTFS_MKFS_OPTS_LABEL, "EFI", -1));
  CALL (g, guestfs_mkfs_opts (g, "btrfs", root, GUESTFS_MKFS_OPTS_LABEL,
                              "fedora", -1));

  /* Subvolumes made at the top of the filesystem, then mounted as the
   * installed system mounts them. */
  CALL (g, guestfs_mount (g, root, "/"));
  CALL (g, guestfs_btrfs_subvolume_create (g, "/root"));
  CALL (g, guestfs_btrfs_subvolume_create (g, "/home"));
  CALL (g, guestfs_umount (g, "/"));
  CALL (g, guestfs_mount_options (g, "subvol=root", root, "/"));
  CALL (g, guestfs_mkdir_p (g, "/home"));
  CALL (g, guestfs_mount_options (g, "subvol=home", root, "/home"));
  CALL (g, guestfs_mkdir_p (g, "/boot/efi"));
  CALL (g, guestfs_mount (g, esp, "/boot/efi"));
  char *root_uuid = fs_uuid (g, root), *esp_uuid = fs_uuid (g, esp);

  make_usrmerge_skeleton (g);
  static const char *const dirs[] = {
      "/usr/lib/sysimage/rpm", "/var/lib",     "/etc/sysconfig",
      "/boot/efi/EFI/fedora",  "/home/fedora", NULL};
  make_dirs (g, dirs);
  /* Fedora's rpm database moved to /usr; /var/lib/rpm points there. */
  CALL (g, guestfs_ln_s (g, "../../usr/lib/sysimage/rpm", "/var/lib/rpm"));
  upload_dir (g, rpmdb, "/usr/lib/sysimage/rpm");
  CALL (g, guestfs_mkdir_p (g, "/usr/lib/rpm"));
  write_text (g, "/usr/lib/rpm/rpmrc",
              "# The test guest's rpmrc: rpm's defaults.\n");
  write_text (g, "/usr/lib/rpm/macros",
              "%_usr\t\t\t/usr\n"
              "%_var\t\t\t/var\n"
              "%_dbpath\t\t%{_usr}/lib/sysimage/rpm\n"
              "%_db_backend\t\tsqlite\n");
  /* An aarch64 guest: inspection reads the architecture from here. */
  install_elf_stub (g, "/usr/bin/bash", EM_AARCH64);
  CALL (g, guestfs_ln_s (g, "bash", "/usr/bin/sh"));

  write_text (g, "/usr/lib/os-release",
              "NAME=\"Fedora Linux\"\n"
              "VERSION=\"39 (Server Edition)\"\n"
              "ID=fedora\n"
              "VERSION_ID=39\n"
              "VERSION_CODENAME=\"\"\n"
              "PLATFORM_ID=\"platform:f39\"\n"
              "PRETTY_NAME=\"Fedora Linux 39 (Server Edition)\"\n"
              "ANSI_COLOR=\"0;38;2;60;110;180\"\n"
              "CPE_NAME=\"cpe:/o:fedoraproject:fedora:39\"\n"
              "HOME_URL=\"https://fedoraproject.org/\"\n"
              "VARIANT=\"Server Edition\"\n"
              "VARIANT_ID=server\n");
  CALL (g, guestfs_ln_s (g, "../usr/lib/os-release", "/etc/os-release"));
  write_text (g, "/etc/fedora-release", "Fedora release 39 (Thirty Nine)\n");
  CALL (g, guestfs_ln_s (g, "fedora-release", "/etc/redhat-release"));
  CALL (g, guestfs_ln_s (g, "fedora-release", "/etc/system-release"));
  write_hostname (g, FEDORA_HOSTNAME);
  write_textf (g, "/etc/fstab",
               "\n#\n# /etc/fstab\n# Created by anaconda\n#\n"
               "UUID=%s /                       btrfs   "
               "subvol=root,compress=zstd:1 0 0\n"
               "UUID=%s /boot/efi               vfat    "
               "umask=0077,shortname=winnt 0 2\n"
               "UUID=%s /home                   btrfs   "
               "subvol=home,compress=zstd:1 0 0\n",
               root_uuid, esp_uuid, root_uuid);
  write_passwd_files (g);
  write_text (g, "/boot/efi/EFI/fedora/grub.cfg",
              "search --no-floppy --fs-uuid --set=dev (placeholder)\n");
  write_text (g, "/home/fedora/.bashrc", "# .bashrc\n");
  CALL (g, guestfs_chown (g, 1000, 1000, "/home/fedora"));

  close_image (g);
  char *cmd = xasprintf ("rm -rf '%s'", tmp);
  run_or_die (cmd);
  free (cmd);
  free (rpmdb);
  free (tmp);
  free (root_uuid);
  free (esp_uuid);
  free (esp);
  free (root);
  free (disk);
}

/* ---- luks ---- */

void
make_luks (const char *output)
{
  create_raw (output, 512 * MiB);
  guestfs_h *g = open_image (output, NULL);
  char *disk = first_disk (g);
  char *boot = partition (disk, 1), *crypt = partition (disk, 2);

  CALL (g, guestfs_part_init (g, disk, "mbr"));
  add_partition (g, disk, 2048, 2048 + SECTORS (128 * MiB) - 1);
  add_partition (g, disk, 2048 + SECTORS (128 * MiB), SECTORS (512 * MiB) - 1);
  CALL (g, guestfs_part_set_bootable (g, disk, 1, 1));
  CALL (g, guestfs_mkfs (g, "ext4", boot));
  CALL (g, guestfs_luks_format (g, crypt, LUKS_GUEST_KEY, 0));
  CALL (g, guestfs_luks_open (g, crypt, LUKS_GUEST_KEY, "sda2_crypt"));
  char *pvs[] = {"/dev/mapper/sda2_crypt", NULL};
  CALL (g, guestfs_pvcreate (g, pvs[0]));
  CALL (g, guestfs_vgcreate (g, "vgubuntu", pvs));
  CALL (g, guestfs_lvcreate (g, "root", "vgubuntu", 300));
  CALL (g, guestfs_lvcreate (g, "swap_1", "vgubuntu", 32));
  CALL (g, guestfs_mkfs (g, "ext4", "/dev/vgubuntu/root"));
  CALL (g, guestfs_mkswap (g, "/dev/vgubuntu/swap_1"));

  CALL (g, guestfs_mount (g, "/dev/vgubuntu/root", "/"));
  CALL (g, guestfs_mkdir (g, "/boot"));
  CALL (g, guestfs_mount (g, boot, "/boot"));
  char *boot_uuid = fs_uuid (g, boot), *luks_uuid = fs_uuid (g, crypt);

  make_usrmerge_skeleton (g);
  static const char *const dirs[] = {"/var/lib/dpkg", "/home/ubuntu", NULL};
  make_dirs (g, dirs);
  install_host_shell (g, "/usr/bin/dash");
  CALL (g, guestfs_ln_s (g, "dash", "/usr/bin/sh"));
  install_elf_stub (g, "/usr/bin/bash", EM_X86_64);
  write_text (g, "/usr/lib/os-release",
              "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n"
              "NAME=\"Ubuntu\"\n"
              "VERSION_ID=\"22.04\"\n"
              "VERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\n"
              "VERSION_CODENAME=jammy\n"
              "ID=ubuntu\n"
              "ID_LIKE=debian\n"
              "UBUNTU_CODENAME=jammy\n");
  CALL (g, guestfs_ln_s (g, "../usr/lib/os-release", "/etc/os-release"));
  write_text (g, "/etc/lsb-release",
              "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n"
              "DISTRIB_CODENAME=jammy\n"
              "DISTRIB_DESCRIPTION=\"Ubuntu 22.04.4 LTS\"\n");
  write_text (g, "/etc/debian_version", "bookworm/sid\n");
  write_hostname (g, LUKS_HOSTNAME);
  write_textf (g, "/etc/crypttab", "sda2_crypt UUID=%s none luks,discard\n",
               luks_uuid);
  write_textf (g, "/etc/fstab",
               "# /etc/fstab: static file system information.\n"
               "/dev/mapper/vgubuntu-root /               ext4    "
               "errors=remount-ro 0       1\n"
               "UUID=%s /boot           ext4    defaults        0       1\n"
               "/dev/mapper/vgubuntu-swap_1 none            swap    sw"
               "              0       0\n",
               boot_uuid);
  write_text (g, "/var/lib/dpkg/status",
              "Package: ubuntu-minimal\nStatus: install ok installed\n"
              "Architecture: amd64\nVersion: 1.481.1\n"
              "Description: Minimal core of Ubuntu\n\n");
  write_passwd_files (g);

  close_image (g);
  free (boot_uuid);
  free (luks_uuid);
  free (boot);
  free (crypt);
  free (disk);
}
