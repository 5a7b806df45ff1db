/* Optional groups of libguestfs built on the appliance's tools and
 * libraries: POSIX ACLs, file capabilities, SELinux, the systemd
 * journal, inotify, The Sleuth Kit, YARA, scrub, squashfs, boot
 * loaders, f2fs and kernel modules.
 *
 * Procedure numbers 1300-1399: stable, append-only.
 *   1300-1307  acl, linuxcaps, selinux, selinuxrelabel
 *   1308-1315  journal
 *   1316-1321  inotify
 *   1322-1325  sleuthkit, libtsk
 *   1326-1328  libyara
 *   1329-1337  scrub, squashfs, boot loaders, f2fs, kernel modules
 */
#include "generator.h"

#define ACLTYPE_DOC                                                          \
  "C<acltype> is C<access> (the ACL checked on access to the file) or "      \
  "C<default> (the ACL a directory gives to what is created in it); "        \
  "anything else fails with C<EINVAL>."

#define JOURNAL_NEED_OPEN_DOC                                                \
  "Fails unless C<guestfs_journal_open> was called first."

#define INOTIFY_NEED_INIT_DOC                                                \
  "Fails unless C<guestfs_inotify_init> was called first."

#define TSK_DOC                                                              \
  "C<device> holds a filesystem The Sleuth Kit reads (ext2/3/4, FAT, "       \
  "NTFS, ...); it need not be mounted, and should not be mounted "           \
  "read-write while it is read."

#define TSK_DIRENT_DOC                                                       \
  "Each entry has: C<tsk_inode>, the inode number; C<tsk_type>, C<b> "       \
  "block device, C<c> character device, C<d> directory, C<f> named pipe, "   \
  "C<l> symbolic link, C<r> regular file, C<s> socket, C<h> shadow inode, "  \
  "C<w> whiteout, C<u> unknown; C<tsk_size> in bytes (-1 if unknown); "      \
  "C<tsk_name>, the path from the root of the filesystem (without a "        \
  "leading C</>); C<tsk_flags>, the logical I<or> of 1 (the entry is "       \
  "allocated: not a deleted one), 2 (a deleted entry whose inode is used "   \
  "by another file now, so its metadata is not its own) and 4 (the data "    \
  "is compressed); the access, modification, change and creation times in " \
  "seconds and nanoseconds (0 where the filesystem has none); "              \
  "C<tsk_nlink>, the number of links; C<tsk_link>, the target of a "         \
  "symbolic link (else empty); C<tsk_spare1>, 0."

const struct action actions_optional[] = {
  /* ---- POSIX ACLs, capabilities, SELinux ---- */
  { .name = "acl_get_file", .proc = 1300, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "acltype" } },
    .group = "acl",
    .shortdesc = "get the POSIX ACL attached to a file",
    .doc = "Return the POSIX Access Control List of C<path> as text, in "
           "the long form of L<acl(5)>, one entry a line.  " ACLTYPE_DOC
           "  A file with no ACL of its own gives the three entries of its "
           "mode; a directory with no default ACL gives an empty string." },
  { .name = "acl_set_file", .proc = 1301, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "acltype" },
              { A_STRING, "acl" } },
    .group = "acl",
    .shortdesc = "set the POSIX ACL attached to a file",
    .doc = "Set the POSIX Access Control List of C<path> from C<acl>, in "
           "the long or short text form of L<acl(5)> (entries separated by "
           "commas or new lines).  " ACLTYPE_DOC "  An ACL with named "
           "users or groups needs a C<mask> entry.  Text that is not a valid "
           "ACL fails with C<EINVAL>; a default ACL on a file that is not a "
           "directory fails as the kernel says (C<EACCES>).  Users and groups "
           "are numeric, or names looked up in the appliance (not the guest)." },
  { .name = "acl_delete_def_file", .proc = 1302, .ret = R_ERR,
    .args = { { A_PATHNAME, "dir" } },
    .group = "acl",
    .shortdesc = "delete the default POSIX ACL of a directory",
    .doc = "Delete the default POSIX Access Control List of the directory "
           "C<dir>.  A directory without one is left as it is." },
  { .name = "cap_get_file", .proc = 1303, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .group = "linuxcaps",
    .shortdesc = "get the Linux capabilities attached to a file",
    .doc = "Return the Linux capabilities attached to C<path>, in the text "
           "form of L<cap_to_text(3)> (for example C<cap_net_raw=ep>).  A "
           "file with no capabilities gives an empty string." },
  { .name = "cap_set_file", .proc = 1304, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "cap" } },
    .group = "linuxcaps",
    .shortdesc = "set the Linux capabilities attached to a file",
    .doc = "Set the Linux capabilities of the regular file C<path> from "
           "C<cap>, in the text form of L<cap_from_text(3)>.  Text that is "
           "not a capability set fails with C<EINVAL>." },
  { .name = "getcon", .proc = 1305, .ret = R_STRING,
    .group = "selinux",
    .shortdesc = "get SELinux security context",
    .doc = "Get the security context of the daemon, as the appliance "
           "kernel's security module gives it (L<getcon(3)>).  Debian's "
           "kernel runs AppArmor rather than SELinux, so in this appliance "
           "it is C<unconfined>.  See C<guestfs_selinux_relabel> for "
           "labelling a guest's files, which needs no SELinux in the "
           "appliance." },
  { .name = "setcon", .proc = 1306, .ret = R_ERR,
    .args = { { A_STRING, "context" } },
    .group = "selinux",
    .shortdesc = "set SELinux security context",
    .doc = "Set the security context of the daemon to C<context> "
           "(L<setcon(3)>).  This needs an appliance kernel running SELinux "
           "with a policy that has the context: in this appliance every "
           "context fails, with C<EINVAL>." },
  { .name = "selinux_relabel", .proc = 1307, .ret = R_ERR,
    .args = { { A_PATHNAME, "specfile" }, { A_PATHNAME, "path" } },
    .optargs = { { O_INT, "force" } },
    .group = "selinuxrelabel",
    .shortdesc = "relabel parts of the filesystem",
    .doc = "Set the SELinux labels (the C<security.selinux> extended "
           "attribute) of the files beneath C<path> from the file contexts "
           "C<specfile> (usually "
           "C</etc/selinux/targeted/contexts/files/file_contexts>), with "
           "L<setfiles(8)>.  The guest's filesystem should be mounted at "
           "C</>; both paths are in it.  C<force> (default false) resets "
           "the whole context, not only its type.  This works without "
           "SELinux running in the appliance." },

  /* ---- systemd journal ---- */
  { .name = "journal_open", .proc = 1308, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" } },
    .group = "journal",
    .shortdesc = "open the systemd journal",
    .doc = "Open the systemd journal files in C<directory> (for example "
           "C</var/log/journal/MACHINE-ID> of a mounted guest) for reading, "
           "positioned before the first entry, closing any journal opened "
           "before.  Call C<guestfs_journal_next> to reach the first entry, "
           "and C<guestfs_journal_close> at the end." },
  { .name = "journal_close", .proc = 1309, .ret = R_ERR,
    .group = "journal",
    .shortdesc = "close the systemd journal",
    .doc = "Close the journal opened by C<guestfs_journal_open>.  "
           JOURNAL_NEED_OPEN_DOC },
  { .name = "journal_next", .proc = 1310, .ret = R_BOOL,
    .group = "journal",
    .shortdesc = "move to the next journal entry",
    .doc = "Move to the next journal entry: true if there is one, false at "
           "the end of the journal.  " JOURNAL_NEED_OPEN_DOC },
  { .name = "journal_skip", .proc = 1311, .ret = R_INT64,
    .args = { { A_INT64, "skip" } },
    .group = "journal",
    .shortdesc = "skip forwards or backwards in the journal",
    .doc = "Skip C<skip> entries forwards (backwards if negative) and "
           "return how many were skipped, in absolute value: fewer at an "
           "end of the journal.  " JOURNAL_NEED_OPEN_DOC },
  { .name = "internal_journal_get", .proc = 1312, .ret = R_ERR,
    .args = { { A_FILEOUT, "filename" } },
    .shortdesc = "the fields of the current journal entry, as a stream",
    .doc = "The daemon side of C<guestfs_journal_get>: each field of the "
           "current entry (as far as the data threshold) as a 32-bit "
           "big-endian length and that many bytes, C<NAME=value>." },
  { .name = "journal_get", .ret = R_STRUCTLIST, .ret_struct = "xattr",
    .group = "journal",
    .shortdesc = "read the current journal entry",
    .doc = "Return the fields of the current journal entry, each as a "
           "name (C<attrname>, such as C<MESSAGE> or C<_PID>) and a value "
           "(C<attrval>, binary: it need not be text).  A field may appear "
           "more than once.  Values longer than the data threshold "
           "(C<guestfs_journal_set_data_threshold>) may be truncated "
           "(sd-journal truncates the fields it stored compressed).  "
           JOURNAL_NEED_OPEN_DOC "  An entry the library cannot read (a field "
           "without C<=>, a length beyond the end of the data) fails with "
           "C<EIO>." },
  { .name = "journal_get_data_threshold", .proc = 1313, .ret = R_INT64,
    .group = "journal",
    .shortdesc = "get the data threshold for reading journal entries",
    .doc = "Return the data threshold: the number of bytes of each "
           "compressed field C<guestfs_journal_get> returns at most (0: no "
           "limit).  "
           JOURNAL_NEED_OPEN_DOC },
  { .name = "journal_set_data_threshold", .proc = 1314, .ret = R_ERR,
    .args = { { A_INT64, "threshold" } },
    .group = "journal",
    .shortdesc = "set the data threshold for reading journal entries",
    .doc = "Set the data threshold (see "
           "C<guestfs_journal_get_data_threshold>); a negative one fails "
           "with C<EINVAL>.  " JOURNAL_NEED_OPEN_DOC },
  { .name = "journal_get_realtime_usec", .proc = 1315, .ret = R_INT64,
    .group = "journal",
    .shortdesc = "get the timestamp of the current journal entry",
    .doc = "Return the time of the current journal entry, in microseconds "
           "since the Unix epoch.  " JOURNAL_NEED_OPEN_DOC },

  /* ---- inotify ---- */
  { .name = "inotify_init", .proc = 1316, .ret = R_ERR,
    .args = { { A_INT, "maxevents" } },
    .group = "inotify",
    .shortdesc = "create an inotify handle",
    .doc = "Create an inotify handle in the daemon (closing any previous "
           "one), for watching guest files with L<inotify(7)>.  "
           "C<maxevents> is the most events queued before the kernel drops "
           "some and reports C<IN_Q_OVERFLOW>: 0 keeps the appliance's "
           "default; a negative number fails with C<EINVAL>.  The handle "
           "is per daemon: watches are lost when the appliance stops." },
  { .name = "inotify_add_watch", .proc = 1317, .ret = R_INT64,
    .args = { { A_PATHNAME, "path" }, { A_INT, "mask" } },
    .group = "inotify",
    .shortdesc = "add an inotify watch",
    .doc = "Watch C<path> (a file or a directory) for the events in "
           "C<mask>, a set of C<IN_*> flags of E<lt>sys/inotify.hE<gt>.  "
           "Returns the watch descriptor.  " INOTIFY_NEED_INIT_DOC },
  { .name = "inotify_rm_watch", .proc = 1318, .ret = R_ERR,
    .args = { { A_INT, "wd" } },
    .group = "inotify",
    .shortdesc = "remove an inotify watch",
    .doc = "Remove the watch C<wd>; a number that is not a watch fails "
           "with C<EINVAL>.  " INOTIFY_NEED_INIT_DOC },
  { .name = "inotify_read", .proc = 1319, .ret = R_STRUCTLIST,
    .ret_struct = "inotify_event",
    .group = "inotify",
    .shortdesc = "return list of inotify events",
    .doc = "Return the events queued since the last call, without waiting "
           "(an empty list if there are none).  Each has the watch "
           "descriptor, the mask, the cookie that pairs the two halves of a "
           "rename, and the name of the file inside a watched directory "
           "(empty for the watched file itself).  If more are queued than "
           "fit in a reply, the rest are kept for the next call.  "
           INOTIFY_NEED_INIT_DOC },
  { .name = "inotify_files", .proc = 1320, .ret = R_STRINGLIST,
    .group = "inotify",
    .shortdesc = "return list of watched files that had events",
    .doc = "Read the queued events (as C<guestfs_inotify_read> does) and "
           "return the names of files inside watched directories they "
           "carry, sorted and each once.  "
           INOTIFY_NEED_INIT_DOC },
  { .name = "inotify_close", .proc = 1321, .ret = R_ERR,
    .group = "inotify",
    .shortdesc = "close the inotify handle",
    .doc = "Close the inotify handle, dropping its watches and queued "
           "events.  " INOTIFY_NEED_INIT_DOC },

  /* ---- The Sleuth Kit ---- */
  { .name = "download_inode", .proc = 1322, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "inode" },
              { A_FILEOUT, "filename" } },
    .group = "sleuthkit",
    .shortdesc = "download a file to the local machine given its inode",
    .doc = "Download the contents of inode C<inode> of the filesystem on "
           "C<device> to the host file C<filename>, with L<icat(1)>: this "
           "works for deleted files whose data is still there.  "
           TSK_DOC "  An inode number that is not one fails." },
  { .name = "download_blocks", .proc = 1323, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "start" },
              { A_INT64, "stop" }, { A_FILEOUT, "filename" } },
    .optargs = { { O_INT, "unallocated" } },
    .group = "sleuthkit",
    .shortdesc = "download the given data units from the disk",
    .doc = "Download the filesystem's data units (blocks, clusters) from "
           "C<start> to C<stop> inclusive on C<device> to the host file "
           "C<filename>, with L<blkls(1)>.  With C<unallocated> true only "
           "the unallocated ones among them are written.  C<start> "
           "greater than C<stop>, or a negative one, fails with C<EINVAL>.  "
           TSK_DOC },
  { .name = "internal_filesystem_walk", .proc = 1324, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_FILEOUT, "filename" } },
    .shortdesc = "the entries of a filesystem, as a stream",
    .doc = "The daemon side of C<guestfs_filesystem_walk>: the entries "
           "as a record stream (F<common/record-stream.h>)." },
  { .name = "internal_find_inode", .proc = 1325, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "inode" },
              { A_FILEOUT, "filename" } },
    .shortdesc = "the entries naming an inode, as a stream",
    .doc = "The daemon side of C<guestfs_find_inode>, in the stream of "
           "C<guestfs_internal_filesystem_walk>." },
  { .name = "filesystem_walk", .ret = R_STRUCTLIST,
    .ret_struct = "tsk_dirent",
    .args = { { A_DEVICE, "device" } },
    .group = "libtsk",
    .shortdesc = "walk through the filesystem content",
    .doc = "Walk the filesystem on C<device> with The Sleuth Kit and "
           "return every entry of it, deleted ones included (C<.> and "
           "C<..> left out).  " TSK_DOC "\n\n" TSK_DIRENT_DOC },
  { .name = "find_inode", .ret = R_STRUCTLIST, .ret_struct = "tsk_dirent",
    .args = { { A_DEVICE, "device" }, { A_INT64, "inode" } },
    .group = "libtsk",
    .shortdesc = "search the entries associated to the given inode",
    .doc = "Return the entries of the filesystem on C<device> that name "
           "inode C<inode> (several for a file with hard links), as "
           "C<guestfs_filesystem_walk> describes them.  A negative inode "
           "fails with C<EINVAL>.  " TSK_DOC },

  /* ---- YARA ---- */
  { .name = "yara_load", .proc = 1326, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" } },
    .group = "libyara",
    .shortdesc = "load yara rules within libguestfs",
    .doc = "Upload the YARA rules in the host file C<filename> into the "
           "daemon, replacing any loaded before.  Rules may be compiled "
           "(by L<yarac(1)>) or source, which is compiled here; source that "
           "does not compile fails with C<EINVAL>, quoting the compiler's "
           "message.  Source rules may not C<include> other files.  Call "
           "C<guestfs_yara_destroy> to release them." },
  { .name = "yara_destroy", .proc = 1327, .ret = R_ERR,
    .group = "libyara",
    .shortdesc = "destroy previously loaded yara rules",
    .doc = "Release the rules loaded by C<guestfs_yara_load>.  Fails if "
           "none were loaded." },
  { .name = "internal_yara_scan", .proc = 1328, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_FILEOUT, "filename" } },
    .shortdesc = "the rules matching a file, as a stream",
    .doc = "The daemon side of C<guestfs_yara_scan>: for each matching "
           "rule, two strings (the path and the rule's name), each a "
           "32-bit big-endian length and that many bytes." },
  { .name = "yara_scan", .ret = R_STRUCTLIST, .ret_struct = "yara_detection",
    .args = { { A_PATHNAME, "path" } },
    .group = "libyara",
    .shortdesc = "scan a file with the loaded yara rules",
    .doc = "Scan the regular file C<path> with the rules loaded by "
           "C<guestfs_yara_load>, and return one entry per matching rule: "
           "C<yara_name>, the path scanned, and C<yara_rule>, the rule's "
           "name.  Fails unless rules were loaded." },

  /* ---- scrub, squashfs, boot loaders, f2fs, modules ---- */
  { .name = "scrub_device", .proc = 1329, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "scrub",
    .shortdesc = "scrub (securely wipe) a device",
    .doc = "Overwrite all of C<device> with patterns, with L<scrub(1)>'s "
           "default method, so that its previous contents are "
           "unrecoverable.  This takes several passes over the device." },
  { .name = "scrub_file", .proc = 1330, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" } },
    .group = "scrub",
    .shortdesc = "scrub (securely wipe) a file",
    .doc = "Overwrite the regular file C<file> with patterns and remove "
           "it, with L<scrub(1)>.  A symbolic link fails with C<EINVAL> "
           "(its target is not scrubbed).  On a copy-on-write or "
           "journalling filesystem old copies of the data may remain." },
  { .name = "scrub_freespace", .proc = 1331, .ret = R_ERR,
    .args = { { A_PATHNAME, "dir" } },
    .group = "scrub",
    .shortdesc = "scrub (securely wipe) free space",
    .doc = "Create the directory C<dir> (which must not exist), fill the "
           "free space of its filesystem with files of patterns written by "
           "L<scrub(1)>, and remove them and the directory." },
  { .name = "mksquashfs", .proc = 1332, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_FILEOUT, "filename" } },
    .optargs = { { O_STRING, "compress" }, { O_STRINGLIST, "excludes" } },
    .group = "squashfs",
    .shortdesc = "create a squashfs filesystem",
    .doc = "Make a squashfs filesystem of the directory C<path> with "
           "L<mksquashfs(1)> and download it to the host file "
           "C<filename>.  C<compress> names the compression (C<gzip>, "
           "C<lzo>, C<lz4>, C<xz>, C<zstd>; the default is gzip); a name "
           "not in that list fails with C<EINVAL>.  C<excludes> are "
           "wildcard patterns of files to leave out." },
  { .name = "syslinux", .proc = 1333, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_STRING, "directory" } },
    .group = "syslinux",
    .shortdesc = "install the SYSLINUX bootloader",
    .doc = "Install SYSLINUX on the unmounted FAT filesystem C<device>, "
           "with L<syslinux(1)>.  C<directory> (default the root) is the "
           "directory of the filesystem that receives F<ldlinux.sys>; its "
           "configuration goes in F<syslinux.cfg> there.  This does not "
           "write a master boot record: copy F<mbr.bin> of the SYSLINUX "
           "package to the disk for that." },
  { .name = "extlinux", .proc = 1334, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" } },
    .group = "extlinux",
    .shortdesc =
        "install the SYSLINUX bootloader on an ext2/3/4 or btrfs filesystem",
    .doc = "Install EXTLINUX in C<directory> of a mounted ext2/3/4 or "
           "btrfs filesystem, with L<extlinux(1)>; its configuration goes in "
           "F<extlinux.conf> there.  This does not write a master boot "
           "record." },
  { .name = "grub_install", .proc = 1335, .ret = R_ERR,
    .args = { { A_PATHNAME, "root" }, { A_DEVICE, "device" } },
    .group = "grub",
    .shortdesc = "install GRUB 1",
    .doc = "Install GRUB for BIOS computers (the C<i386-pc> platform) on "
           "C<device>, with L<grub-install(8)>, its files in "
           "C<root>F</boot/grub> of the mounted guest.  Despite the name, "
           "this is GRUB 2, the only GRUB Debian has; the guest's own "
           "configuration (F<grub.cfg>) is not written." },
  { .name = "f2fs_expand", .proc = 1336, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "f2fs",
    .shortdesc = "expand a f2fs filesystem",
    .doc = "Grow the unmounted f2fs filesystem on C<device> to the size of "
           "the device, with L<resize.f2fs(8)>." },
  { .name = "modprobe", .proc = 1337, .ret = R_ERR,
    .args = { { A_STRING, "modulename" } },
    .group = "linuxmodules",
    .shortdesc = "load a kernel module",
    .doc = "Load the kernel module C<modulename> (and what it needs) into "
           "the appliance's kernel, with L<modprobe(8)>.  A name that is "
           "not a module fails with C<ENOENT>; a name with characters other "
           "than letters, digits, C<_> and C<-> fails with C<EINVAL>." },

  { .name = NULL },
};
