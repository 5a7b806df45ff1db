/* Test guests: realistic disk images made by make-guest through the
 * library's own API, kept in a cache between test runs.
 *
 *   const char *img = test_guest_path ("debian");
 *
 * returns the path of the cached image, building it first if needed
 * (with a lock, so that tests running at the same time build it once),
 * or calls skip() saying why it cannot.  Images are shared: add them
 * read-only (guestfs_add_drive_ro), or through an overlay of your own
 * (test_guest_overlay) to change them.
 *
 * The cache is ${XDG_CACHE_HOME:-$HOME/.cache}/guestfs-test-guests, or
 * $GUESTFS_TEST_GUESTS_DIR; an image is named KIND-HASH.img, where HASH
 * covers the recipe (make-guest's sources), so a changed recipe makes
 * new images and the old ones are removed.
 *
 * What the guests hold is written down here, for the recipes and the
 * tests that check them alike.
 */
#ifndef TEST_GUESTS_GUESTS_H
#define TEST_GUESTS_GUESTS_H

/* debian: 1 GiB raw, MBR.
 *   partition 1  ext4, /boot (bootable), named by UUID= in /etc/fstab
 *   partition 2  LVM PV of VG "debian-vg": LV root (ext4, 640 MiB, /,
 *                /dev/mapper/debian--vg-root in fstab) and LV swap_1
 *                (swap, /dev/mapper/debian--vg-swap_1)
 * Debian 12.5 (/usr/lib/os-release, /etc/os-release a relative link to
 * it, /etc/debian_version), dpkg database, x86_64 /usr/bin/dash (the
 * host's own), /bin -> usr/bin, and the files below. */
#define DEBIAN_HOSTNAME "debian-test"
#define DEBIAN_TREE_DIR "/usr/share/test-data" /* d00..d59/f0000..f2999.txt */
#define DEBIAN_TREE_FILES 3000
#define DEBIAN_HARDLINK_DIR "/home/user/hardlinks"  /* a, b, c: one inode */
#define DEBIAN_XATTR_FILE "/home/user/xattrs.txt"   /* user.comment, ... */
#define DEBIAN_ACL_DIR "/home/user/shared"          /* access + default ACL */
#define DEBIAN_NAMES_DIR "/home/user/names"         /* spaces, newline, UTF-8 */
#define DEBIAN_SPARSE_FILE "/var/lib/sparse-1G.img" /* 3 data blocks */

/* fedora: 512 MiB raw, GPT.
 *   partition 1  vfat "EFI", /boot/efi
 *   partition 2  btrfs "fedora", subvolumes root (/) and home (/home),
 *                fstab by UUID= with subvol= options
 * Fedora 39 Server, /usr/bin/bash an aarch64 ELF header, and a real rpm
 * database (SQLite, with its -shm and -wal files) in
 * /usr/lib/sysimage/rpm (/var/lib/rpm links there) made by the host's
 * rpm tools: the packages of FEDORA_RPMS (no files), installed one by
 * one in that order (kernel-core twice, the older version first), each
 * with the description FEDORA_RPM_DESCRIPTION.  /usr/lib/rpm/macros
 * names the database, as Fedora's does. */
#define FEDORA_HOSTNAME "fedora-test.example.com"
struct test_rpm {
  const char *name;
  int epoch; /* 0: the package has no Epoch tag */
  const char *version, *release, *arch, *url, *summary;
};
#define FEDORA_RPMS                                                            \
  {                                                                            \
    {"tzdata", 0, "2024a", "2.fc39", "noarch",                                 \
     "https://www.iana.org/time-zones", "Timezone data"},                      \
    {"kernel-core", 0, "6.5.6", "300.fc39", "aarch64",                         \
     "https://www.kernel.org/", "The Linux kernel"},                           \
    {"bash", 0, "5.2.26", "1.fc39", "aarch64",                                 \
     "https://www.gnu.org/software/bash", "The GNU Bourne Again shell"},       \
    {"openssl-libs", 1, "3.1.1", "4.fc39", "aarch64",                          \
     "http://www.openssl.org/",                                                \
     "A general purpose cryptography library with TLS implementation"},        \
    {"kernel-core", 0, "6.8.9", "100.fc39", "aarch64",                         \
     "https://www.kernel.org/", "The Linux kernel"},                           \
    {"shadow-utils", 2, "4.14.0", "2.fc39", "aarch64",                         \
     "https://github.com/shadow-maint/shadow",                                 \
     "Utilities for managing accounts and shadow password files"},             \
    {"fedora-release-server", 0, "39", "36", "noarch",                         \
     "https://fedoraproject.org/", "Fedora Server Edition release files"},     \
  }
#define FEDORA_RPM_DESCRIPTION                                                 \
  "A package listed for the inspection tests.\nIt installs no files."

/* luks: 512 MiB raw, MBR.
 *   partition 1  ext4, /boot
 *   partition 2  LUKS2, key LUKS_GUEST_KEY, holding VG "vgubuntu": LV
 *                root (ext4, /) and LV swap_1
 * Ubuntu 22.04 (os-release and lsb-release), x86_64. */
#define LUKS_GUEST_KEY "guestfs-test-passphrase"
#define LUKS_HOSTNAME "ubuntu-crypt"

/* windows: 512 MiB raw, MBR.
 *   partition 1  NTFS "System Reserved" (bootable, no drive letter)
 *   partition 2  NTFS, C:, with /Windows/System32 (cmd.exe an x86-64 PE
 *                header), /Windows/System32/config/{SOFTWARE,SYSTEM}
 *                made with hivex: Windows Server 2022 Standard, 10.0,
 *                build 20348, computer name WINDOWS_HOSTNAME, and
 *                MountedDevices giving C: (MBR signature + offset). */
#define WINDOWS_HOSTNAME "WIN-GUESTFS01"
#define WINDOWS_PRODUCT_NAME "Windows Server 2022 Standard"

/* vfat: a bare 64 MiB vfat filesystem labelled TESTVFAT, no partition
 * table: /README.TXT, /docs/letters/hello.txt, /photos/2023/...  */

/* qcow2: a qcow2 overlay whose raw base (KIND-HASH.img.base, next to
 * it) is a bare ext4 filesystem.  /hello.txt differs between the two;
 * /base-only.txt is in both, /overlay-only.txt only in the overlay. */
#define QCOW2_BASE_HELLO "written to the base\n"
#define QCOW2_OVERLAY_HELLO "written through the overlay\n"

/* The path of the cached image of kind, built if needed; calls skip()
 * if it cannot be built here.  The string lives until exit. */
extern const char *test_guest_path (const char *kind);

/* A qcow2 overlay (in a temporary directory removed at exit) of the
 * cached image of kind, for tests that modify a guest.  Add it with
 * format "qcow2".  The string lives until exit. */
extern const char *test_guest_overlay (const char *kind);

#endif
