/* Inspection.
 *
 * Procedure numbers 600-699: stable, append-only.
 *
 * The daemon does all the reading in one call (internal_inspect); the
 * library keeps what it answered in the handle, and every
 * inspect_get_* is a lookup in that copy.
 */
#include "generator.h"

#define ROOT_DOC                                                             \
  "C<root> is one of the roots C<guestfs_inspect_os> returned; any other "   \
  "string fails with C<EINVAL>.  "

#define CACHED_DOC                                                           \
  "Like every C<guestfs_inspect_get_*> call, this returns what the last "    \
  "C<guestfs_inspect_os> found, without looking at the disks again."

const struct action actions_inspect[] = {
  { .name = "internal_inspect", .proc = 600, .ret = R_HASHTABLE,
    .flags = FL_INTERNAL,
    .shortdesc = "inspect the disks for operating systems (one message)",
    .doc = "The daemon side of C<guestfs_inspect_os>: a flat list of "
           "facts, each a key and a value.  The key C<root> starts the "
           "facts of a new operating system; C<mountpoint:DIR>, "
           "C<drive:LETTER> and C<filesystem> may repeat; the other keys "
           "are the names of the C<guestfs_inspect_get_*> calls.  This "
           "format is not stable." },

  { .name = "inspect_os", .ret = R_STRINGLIST,
    .shortdesc = "inspect disk and return list of operating systems found",
    .doc = "Look at every filesystem of the added disks for installed "
           "operating systems, and return the root filesystem of each one "
           "found (an empty list if there are none).  Call it after "
           "C<guestfs_launch>, once any encrypted devices have been opened "
           "(C<guestfs_luks_open>, then C<guestfs_vgscan> and "
           "C<guestfs_vg_activate_all> for volume groups inside): LUKS "
           "devices that are still locked are passed over, and so is swap.\n\n"
           "Each filesystem is examined through a private read-only mount "
           "of its own, so the guest filesystem mounted at C</> and "
           "everything below it stay as they are, and nothing is written "
           "to the disks.  A filesystem is the root of a Linux system if it "
           "has C</etc> and a release file (C</etc/os-release>, "
           "C</usr/lib/os-release>, C</etc/lsb-release>, "
           "C</etc/redhat-release>, C</etc/debian_version>) or an "
           "C</etc/fstab>; it is the root of a Windows system if it holds "
           "C<Windows/System32/config> (names compared without regard to "
           "case, as Windows compares them).\n\n"
           "For Linux, the release files give the distribution and version, "
           "C</etc/fstab> gives the other filesystems and where they are "
           "mounted (names such as C<UUID=>, C<LABEL=>, C<PARTUUID=>, "
           "C</dev/mapper/VG-LV>, C</dev/VG/LV> and C</dev/sdXN> are "
           "matched with the devices of the appliance, and a btrfs "
           "C<subvol=> option with the C<btrfsvol:> mountable of that "
           "subvolume), C</etc/hostname> the host name, and the ELF header "
           "of a shell or other common program the architecture.  For "
           "Windows, the C<SOFTWARE> and C<SYSTEM> registry hives give the "
           "product, version, computer name and drive letters, and the "
           "header of C<cmd.exe> the architecture.\n\n"
           "The content of the guest is treated as untrusted: files are "
           "opened with every symbolic link resolved inside the filesystem "
           "being examined, only regular files are read, and at most 1 MiB "
           "of each; text that cannot be understood is ignored rather than "
           "failing the call.\n\n"
           "What is found is kept in the handle, replacing anything an "
           "earlier call found, and the C<guestfs_inspect_get_*> calls "
           "return it: they do not read the disks again.  If the disks "
           "change, call this again." },
  { .name = "inspect_get_roots", .ret = R_STRINGLIST, .flags = FL_ANY_STATE,
    .shortdesc = "return list of operating systems found by last inspection",
    .doc = "Return the roots the last C<guestfs_inspect_os> found, in the "
           "same order, or an empty list if it was never called or found "
           "nothing." },
  { .name = "inspect_get_type", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get type of inspected operating system",
    .doc = "Return the kind of operating system: C<linux>, C<windows>, or "
           "C<unknown>.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_distro", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get distro of inspected operating system",
    .doc = "Return the distribution, in the lower-case spelling "
           "libguestfs uses: C<debian>, C<ubuntu>, C<linuxmint>, "
           "C<kalilinux>, C<fedora>, C<rhel>, C<centos>, C<rocky>, "
           "C<almalinux>, C<oraclelinux>, C<opensuse>, C<sles>, "
           "C<archlinux>, C<alpinelinux>, C<gentoo>, C<voidlinux>, "
           "C<mageia>, C<altlinux>, C<windows>, or C<unknown>.  New "
           "values may be added.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_product_name", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get product name of inspected operating system",
    .doc = "Return the name of the product as the system describes itself "
           "(for example C<Fedora Linux 39 (Server Edition)> or C<Windows "
           "Server 2022 Standard>), for people to read rather than "
           "programs to parse, or C<unknown>.  For Debian, whose "
           "F<os-release> gives only the major version, it is the first "
           "line of F</etc/debian_version> (C<12.5>), as libguestfs "
           "gives it.  Control characters are left out.  " ROOT_DOC
           CACHED_DOC },
  { .name = "inspect_get_product_variant", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get product variant of inspected operating system",
    .doc = "Return the variant of the product: for Linux the C<VARIANT> "
           "of F<os-release> (such as C<Server Edition>), for Windows the "
           "installation type (C<Client>, C<Server>, C<Server Core>), or "
           "C<unknown>.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_major_version", .ret = R_INT, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get major version of inspected operating system",
    .doc = "Return the major version number of the operating system, or 0 "
           "if it is not known.  For Windows this is the kernel's version "
           "(10 for Windows 10, 11 and Server 2016 to 2022; 6 for Windows "
           "8.1), not the marketing name.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_minor_version", .ret = R_INT, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get minor version of inspected operating system",
    .doc = "Return the minor version number, or 0.  For Debian, whose "
           "F<os-release> gives only the major version, it comes from "
           "F</etc/debian_version> (C<12.5> gives 12 and 5; a testing "
           "release such as C<bookworm/sid> keeps F<os-release>'s).  "
           ROOT_DOC
           CACHED_DOC },
  { .name = "inspect_get_hostname", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get hostname of the operating system",
    .doc = "Return the host name the system gives itself (for Linux from "
           "F</etc/hostname>, F</etc/HOSTNAME> or F</etc/sysconfig/network>; "
           "for Windows the computer name in the registry), or C<unknown>.  "
           "A name with characters no host name has is ignored.  " ROOT_DOC
           CACHED_DOC },
  { .name = "inspect_get_arch", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get architecture of inspected operating system",
    .doc = "Return the architecture the system's programs are built for, "
           "named as C<uname -m> names it: C<x86_64>, C<i386>, C<aarch64>, "
           "C<arm>, C<ppc64>, C<ppc64le>, C<s390x>, C<riscv64>, ... or "
           "C<unknown>.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_package_format", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get package format used by the operating system",
    .doc = "Return the format of the system's software packages: C<deb>, "
           "C<rpm>, C<pacman>, C<apk>, C<ebuild>, C<xbps>, or C<unknown>.  "
           "It comes from the package database found on the disk "
           "(F</var/lib/dpkg/status>, F</var/lib/rpm>, ...), else from the "
           "distribution.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_package_management", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get package management tool used by the operating system",
    .doc = "Return the tool that installs packages: C<apt>, C<dnf>, "
           "C<yum>, C<zypper>, C<pacman>, C<apk>, C<portage>, C<xbps>, "
           "C<urpmi>, or C<unknown>.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_format", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get format of inspected operating system",
    .doc = "Return C<installed>: the disk holds an installed system (install "
           "and live media are not recognised).  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_mountpoints", .ret = R_HASHTABLE,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get mountpoints of inspected operating system",
    .doc = "Return a table of mount point to mountable: where each "
           "filesystem of the system is mounted, as its F</etc/fstab> says "
           "(only the entries whose filesystem was found on the added "
           "disks), with C</> always present and mapped to C<root>.  The "
           "entries are sorted so that a directory comes before anything "
           "below it: mounting them in the order given, with "
           "C<guestfs_mount_ro> or C<guestfs_mount_options>, works.  A "
           "btrfs subvolume is given as C<btrfsvol:DEVICE/SUBVOLUME>.  For "
           "Windows the table has just C</>.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_filesystems", .ret = R_STRINGLIST,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get filesystems associated with inspected operating system",
    .doc = "Return every filesystem that belongs to the system: the root, "
           "the filesystems of C<guestfs_inspect_get_mountpoints> and the "
           "swap devices its F</etc/fstab> names.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_drive_mappings", .ret = R_HASHTABLE,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get drive letter mappings",
    .doc = "For Windows, return a table of drive letter (C<C>, C<D>, ...) "
           "to the device holding that drive, from the C<MountedDevices> "
           "key of the C<SYSTEM> hive: a partition of an MBR disk is found "
           "by the disk's signature and the partition's offset, a GPT "
           "partition by its unique GUID.  Letters whose device is not "
           "among the added disks are left out.  For other systems the "
           "table is empty.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_windows_systemroot", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get Windows systemroot of inspected operating system",
    .doc = "Return the path of the Windows directory in the root "
           "filesystem, spelt as it is on the disk (for example "
           "C</Windows> or C</WINNT>).  Fails with C<EINVAL> if the system "
           "is not Windows.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_windows_software_hive", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get the path of the Windows software hive",
    .doc = "Return the path, in the root filesystem, of the C<SOFTWARE> "
           "registry hive, spelt as it is on the disk, to be read with "
           "hivex.  Fails with C<EINVAL> if the system is not Windows or "
           "has no such hive.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_windows_system_hive", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get the path of the Windows system hive",
    .doc = "Return the path of the C<SYSTEM> registry hive, like "
           "C<guestfs_inspect_get_windows_software_hive>.  " ROOT_DOC
           CACHED_DOC },
  { .name = "inspect_get_windows_current_control_set", .ret = R_STRING,
    .flags = FL_ANY_STATE, .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get Windows CurrentControlSet of inspected operating system",
    .doc = "Return the control set the system boots with (for example "
           "C<ControlSet001>), from the C<Select> key of the C<SYSTEM> "
           "hive.  Fails with C<EINVAL> if the system is not Windows or "
           "the hive does not say.  " ROOT_DOC CACHED_DOC },
  { .name = "inspect_get_build_id", .ret = R_STRING, .flags = FL_ANY_STATE,
    .args = { { A_MOUNTABLE, "root" } },
    .shortdesc = "get the system build ID",
    .doc = "Return the build of the system: for Windows the "
           "C<CurrentBuildNumber> of the registry (C<20348> for Server "
           "2022), for Linux the C<BUILD_ID> of F<os-release> when it has "
           "one; otherwise C<unknown>.  " ROOT_DOC CACHED_DOC },
  /* Library-side, from what inspection found and the guest's files
   * (mounted by the caller, as libguestfs requires). */
  { .name = "inspect_get_osinfo", .ret = R_STRING,
    .args = { { A_STRING, "root" } }, .flags = FL_ANY_STATE,
    .shortdesc = "get a possible osinfo short ID corresponding to this "
                 "operating system",
    .doc = "Return the libosinfo short ID of the operating system at "
           "C<root> (C<debian12>, C<fedora39>, C<ubuntu22.04>, "
           "C<win2k22>, ...), derived from its distribution, version and "
           "product as libguestfs does, or C<unknown>." },
  { .name = "inspect_get_icon", .ret = R_BUFFEROUT,
    .args = { { A_STRING, "root" } },
    .optargs = { { O_BOOL, "favicon" }, { O_BOOL, "highquality" } },
    .shortdesc = "get the icon corresponding to this operating system",
    .doc = "Return the icon of the operating system at C<root> as a PNG.  "
           "This library finds none yet and returns an empty buffer, which "
           "is libguestfs's answer for a guest without an icon." },
  { .name = "inspect_list_applications2", .ret = R_STRUCTLIST,
    .ret_struct = "application2", .args = { { A_STRING, "root" } },
    .shortdesc = "get list of applications installed in the operating system",
    .doc = "Return the packages installed in the operating system at "
           "C<root>, sorted by name (packages of the same name stay in "
           "the order libguestfs gives them), from its package database; "
           "the guest's filesystems must be mounted.\n\n"
           "For a Linux guest whose package format is C<deb>, the database "
           "is F</var/lib/dpkg/status>: a Debian version "
           "C<EPOCH:VERSION-RELEASE> is split into C<app2_epoch>, "
           "C<app2_version> and C<app2_release>; C<app2_summary> is the "
           "first line of the description and C<app2_description> the "
           "rest.\n\n"
           "For C<rpm>, the guest's rpm database, read by librpm as "
           "C<guestfs_internal_list_rpm_applications> describes: name, "
           "epoch, version, release, architecture, URL, summary and "
           "description of every package; an rpm database that cannot be "
           "read is an error.\n\n"
           "Other guests give an empty list." },
  { .name = "internal_list_rpm_applications", .proc = 601,
    .ret = R_STRUCTLIST, .ret_struct = "application2",
    .shortdesc = "internal list rpm applications",
    .doc = "The daemon side of C<guestfs_inspect_list_applications2> for "
           "an rpm-based guest, whose filesystems must be mounted: the "
           "packages of its rpm database, sorted by name.  The database "
           "is the first of F</usr/lib/sysimage/rpm> and F</var/lib/rpm> "
           "holding an SQLite (F<rpmdb.sqlite>) or Berkeley DB "
           "(F<Packages>) database; the guest's own rpm configuration is "
           "not read.  The database files are copied into the appliance "
           "(at most 1 GiB) and read there by librpm in a process of its "
           "own, so a guest mounted read-only is read as it is and "
           "nothing is written to it; a database that librpm cannot read "
           "whole (missing, corrupt, too large, or a header that fails its "
           "digest check) is an error.  Each package gives C<app2_name>, "
           "C<app2_epoch> (0 if it has none), C<app2_version>, "
           "C<app2_release>, C<app2_arch>, C<app2_url>, C<app2_summary> "
           "and C<app2_description>; the other fields are empty." },
  { .name = "inspect_list_applications", .ret = R_STRUCTLIST,
    .ret_struct = "application", .args = { { A_STRING, "root" } },
    .shortdesc = "get list of applications installed in the operating system",
    .doc = "The same as C<guestfs_inspect_list_applications2>, in the "
           "older structure without C<app2_arch>." },
  { .name = NULL },
};
