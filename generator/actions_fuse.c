/* Open-file handles and batched metadata, the calls guestmount is built on.
 *
 * Procedure numbers 500-599: stable, append-only.
 *
 * Two ideas shape these calls.  Metadata comes in batches: one
 * fuse_readdir page carries the status, symbolic link target and
 * extended attributes of every name in a directory, and every call
 * that creates or changes a file returns the file's new status, so a
 * FUSE request costs one round trip at most.  Data goes through open
 * handles held by the daemon, so a read or write is one positional
 * call, not an open, a transfer and a close.
 */
#include "generator.h"

#define ENTRY_DOC                                                            \
  "Returns a C<fuse_entry> with the status of the file (not following a "  \
  "symbolic link), its link target and its extended attributes."

#define HANDLE_DOC                                                           \
  "C<handle> comes from C<guestfs_fuse_open>."

/* The owner of what a call creates: the optional uid and gid. */
#define OWNER_DOC                                                            \
  "The optional C<uid> and C<gid> say whose the new file is, as a "          \
  "kernel filesystem makes it the creating process's (its fsuid and "        \
  "fsgid): it gets that owner, except that in a set-group-ID directory "     \
  "its group is the directory's.  Set-user-ID and set-group-ID bits of "     \
  "C<mode> are kept.  Without them the new file is the daemon's (root's).  "

const struct action actions_fuse[] = {
  { .name = "fuse_readdir", .proc = 500, .ret = R_STRUCTLIST,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "dir" }, { A_INT64, "cookie" },
              { A_INT, "size" } },
    .shortdesc = "read a page of directory entries with their status",
    .doc = "Return the entries of C<dir> after position C<cookie> (0: "
           "from the start), without C<.> and C<..>, in the order the "
           "filesystem gives them.  Each entry carries its name, the "
           "C<cookie> to pass to read on after it, its status (not "
           "following symbolic links), its symbolic link target and its "
           "extended attributes.\n\n"
           "A page holds as many entries as fit in about C<size> bytes "
           "(at most 3 MiB; at least one entry is returned).  When the "
           "directory has no more entries the page ends with an entry "
           "whose name is empty and whose C<flags> has bit 0 set, so a "
           "directory of any size is read in pages with no message-size "
           "limit.  Extended attributes larger than 64 KiB in all are "
           "left out of the page (C<flags> bit 1 clear): ask for them "
           "with C<guestfs_fuse_getxattr>.  A name that disappears "
           "while the page is read has a non-zero C<err>." },
  { .name = "fuse_lstat", .proc = 501, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get the status, link target and xattrs of a file",
    .doc = "Examine C<path> without following a final symbolic link.  "
           ENTRY_DOC },
  { .name = "fuse_open", .proc = 502, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "path" }, { A_INT, "flags" }, { A_INT, "mode" },
              { A_INT, "prefetch" }, { A_BUFFERIN, "release" } },
    .optargs = { { O_INT64, "uid" }, { O_INT64, "gid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "open a file and return a handle",
    .doc = "Open the regular file C<path> and return a handle for the "
           "positional calls (C<guestfs_fuse_pread> and so on) in the "
           "C<handle> field, with the status of the opened file.\n\n"
           "C<flags> are Linux C<open(2)> flags: the access mode, "
           "C<O_CREAT>, C<O_EXCL>, C<O_TRUNC>, C<O_SYNC>, C<O_DSYNC> and "
           "C<O_NOATIME> are honoured; other flags are ignored.  A "
           "symbolic link as the last component is refused (C<ELOOP>).  "
           "A created file gets exactly C<mode> (no umask applies).  "
           OWNER_DOC "The owner is given only to a file this call "
           "creates.\n\n"
           "If C<prefetch> is positive and the file is readable, up to "
           "C<prefetch> bytes (at most 1 MiB) from its start are returned "
           "in C<data>, saving a round trip for small files.\n\n"
           "C<release> lists handles to release first, in the format of "
           "C<guestfs_fuse_close> (it may be empty): a client that "
           "defers its releases sends them with its next open instead of "
           "spending a round trip on each.  Failures to release them are "
           "not reported.\n\n"
           "The daemon holds at most 1024 handles (C<EMFILE> beyond).  "
           "Handles are released by C<guestfs_fuse_close>, and all at "
           "once when the library disconnects." },
  { .name = "fuse_pread", .proc = 503, .ret = R_BUFFEROUT,
    .args = { { A_INT64, "handle" }, { A_INT, "count" },
              { A_INT64, "offset" } },
    .shortdesc = "read from an open handle",
    .doc = "Read up to C<count> bytes (at most 2 MiB) at C<offset>.  Fewer "
           "bytes are returned only at the end of the file.  " HANDLE_DOC },
  { .name = "fuse_pwrite", .proc = 504, .ret = R_INT,
    .args = { { A_INT64, "handle" }, { A_BUFFERIN, "content" },
              { A_INT64, "offset" } },
    .shortdesc = "write to an open handle",
    .doc = "Write C<content> (at most 2 MiB) at C<offset> and return the "
           "number of bytes written, which is all of them unless an error "
           "occurs.  The handle must have been opened for writing.  "
           HANDLE_DOC },
  { .name = "fuse_fstat", .proc = 505, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_INT64, "handle" } },
    .shortdesc = "get the status of an open handle",
    .doc = "Return the status and extended attributes of the open file, "
           "which need not have a name any more.  " HANDLE_DOC },
  { .name = "fuse_fsync", .proc = 506, .ret = R_ERR,
    .args = { { A_INT64, "handle" }, { A_BOOL, "datasync" } },
    .shortdesc = "flush an open handle to disk",
    .doc = "C<fsync(2)> the open file, or C<fdatasync(2)> if C<datasync> "
           "is true.  " HANDLE_DOC },
  { .name = "fuse_setattr", .proc = 507, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_INT64, "size" }, { O_INT64, "uid" },
                 { O_INT64, "gid" }, { O_INT, "mode" },
                 { O_INT64, "atime_sec" }, { O_INT64, "atime_nsec" },
                 { O_INT64, "mtime_sec" }, { O_INT64, "mtime_nsec" } },
    .shortdesc = "change several attributes of a file at once",
    .doc = "Change the attributes given as optional arguments, in this "
           "order: C<size> (truncate or extend a regular file), C<uid> "
           "and C<gid> (either may be -1: unchanged), C<mode> (the "
           "permission bits; refused with C<EOPNOTSUPP> on a symbolic "
           "link), then the times.  A time is set if its C<_sec> or "
           "C<_nsec> argument is given; C<_nsec> may be the Linux "
           "C<UTIME_NOW> or C<UTIME_OMIT> value.  A final symbolic link "
           "is not followed.  " ENTRY_DOC },
  { .name = "fuse_fsetattr", .proc = 508, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_INT64, "handle" } },
    .optargs = { { O_INT64, "size" }, { O_INT64, "uid" },
                 { O_INT64, "gid" }, { O_INT, "mode" },
                 { O_INT64, "atime_sec" }, { O_INT64, "atime_nsec" },
                 { O_INT64, "mtime_sec" }, { O_INT64, "mtime_nsec" } },
    .shortdesc = "change several attributes of an open handle",
    .doc = "Like C<guestfs_fuse_setattr>, on an open file.  " HANDLE_DOC },
  { .name = "fuse_close", .proc = 509, .ret = R_ERR,
    .args = { { A_BUFFERIN, "handles" } },
    .shortdesc = "release open handles",
    .doc = "Release every handle in C<handles>, a sequence of 8-byte "
           "big-endian handle numbers, so that many can be released in "
           "one call.  All are released even if one fails; the first "
           "failure is reported." },
  { .name = "fuse_fallocate", .proc = 510, .ret = R_ERR,
    .args = { { A_INT64, "handle" }, { A_INT, "mode" },
              { A_INT64, "offset" }, { A_INT64, "length" } },
    .shortdesc = "allocate or deallocate space in an open file",
    .doc = "C<fallocate(2)> with the Linux C<mode> flags (for example "
           "C<FALLOC_FL_KEEP_SIZE> and C<FALLOC_FL_PUNCH_HOLE>), as the "
           "guest filesystem supports them.  " HANDLE_DOC },
  { .name = "fuse_lseek", .proc = 511, .ret = R_INT64,
    .args = { { A_INT64, "handle" }, { A_INT64, "offset" },
              { A_INT, "whence" } },
    .shortdesc = "find data or a hole in an open file",
    .doc = "C<lseek(2)> with C<whence> C<SEEK_DATA> (3) or C<SEEK_HOLE> "
           "(4): return where the next data or hole at or after "
           "C<offset> starts (C<ENXIO> past the end).  Lets copies of "
           "sparse files skip their holes.  " HANDLE_DOC },
  { .name = "fuse_mkdir", .proc = 512, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "path" }, { A_INT, "mode" } },
    .optargs = { { O_INT64, "uid" }, { O_INT64, "gid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "create a directory and return its status",
    .doc = "Create the directory C<path> with exactly C<mode> (no umask "
           "applies, but a default ACL of the parent does).  " OWNER_DOC
           ENTRY_DOC },
  { .name = "fuse_mknod", .proc = 513, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "path" }, { A_INT, "mode" },
              { A_INT64, "rdev" } },
    .optargs = { { O_INT64, "uid" }, { O_INT64, "gid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "create a special or regular file and return its status",
    .doc = "C<mknod(2)>: C<mode> holds the file type (regular, FIFO, "
           "socket, character or block device) and exactly the "
           "permission bits; C<rdev> is the Linux device number of a "
           "device.  " OWNER_DOC ENTRY_DOC },
  { .name = "fuse_symlink", .proc = 514, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_STRING, "target" }, { A_PATHNAME, "linkname" } },
    .optargs = { { O_INT64, "uid" }, { O_INT64, "gid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "create a symbolic link and return its status",
    .doc = "Create C<linkname> pointing to C<target>, stored as given.  "
           OWNER_DOC ENTRY_DOC },
  { .name = "fuse_link", .proc = 515, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "target" }, { A_PATHNAME, "linkname" } },
    .shortdesc = "create a hard link and return its status",
    .doc = "Create the hard link C<linkname> to the existing file "
           "C<target> (a final symbolic link is linked, not followed).  "
           ENTRY_DOC },
  { .name = "fuse_rename", .proc = 516, .ret = R_ERR,
    .args = { { A_PATHNAME, "oldpath" }, { A_PATHNAME, "newpath" },
              { A_INT, "flags" } },
    .shortdesc = "rename a file with renameat2 flags",
    .doc = "C<renameat2(2)>: C<flags> may hold the Linux "
           "C<RENAME_NOREPLACE> (1) or C<RENAME_EXCHANGE> (2).  A guest "
           "filesystem that does not support them gives C<EINVAL>." },
  { .name = "fuse_setxattr", .proc = 517, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "name" },
              { A_BUFFERIN, "value" }, { A_INT, "flags" } },
    .shortdesc = "set an extended attribute to a binary value",
    .doc = "Set the extended attribute C<name> of C<path> (not following "
           "a final symbolic link) to C<value>, which may hold any bytes.  "
           "C<flags> may be C<XATTR_CREATE> (1) or C<XATTR_REPLACE> (2).  "
           "POSIX ACLs are the C<system.posix_acl_access> and "
           "C<system.posix_acl_default> attributes." },
  { .name = "fuse_removexattr", .proc = 518, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "name" } },
    .shortdesc = "remove an extended attribute",
    .doc = "Remove the extended attribute C<name> of C<path>, not "
           "following a final symbolic link." },
  { .name = "fuse_getxattr", .proc = 519, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "name" } },
    .shortdesc = "get one extended attribute",
    .doc = "Return the value of the extended attribute C<name> of "
           "C<path>, not following a final symbolic link (C<ENODATA> if "
           "it has none)." },
  { .name = "fuse_readdir_tree", .proc = 520, .ret = R_STRUCTLIST,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "dir" }, { A_INT, "size" },
              { A_INT, "maxdirs" } },
    .shortdesc = "read a directory and the directories below it",
    .doc = "Like C<guestfs_fuse_readdir> from the start of C<dir>, then, "
           "while the reply stays within about C<size> bytes (at most "
           "3 MiB) and C<maxdirs> directories (at most 10000), the "
           "directories below it, breadth first: a program walking a "
           "tree gets many directories in one round trip.\n\n"
           "The reply is a sequence of sections, one per directory.  A "
           "section starts with an entry whose C<flags> has bit 2 (4) "
           "set, whose C<name> is the directory's path relative to "
           "C<dir> (empty for C<dir> itself) and whose status is the "
           "directory's own; then come its entries as in "
           "C<guestfs_fuse_readdir>, and the end marker if the directory "
           "was read to its end.  Only the last section can lack the end "
           "marker: the rest of that directory can be read with "
           "C<guestfs_fuse_readdir> from the last entry's C<cookie>.  "
           "Symbolic links to directories are not followed." },
  { .name = "fuse_read_files", .proc = 521, .ret = R_STRUCTLIST,
    .ret_struct = "fuse_entry",
    .args = { { A_PATHNAME, "dir" }, { A_STRINGLIST, "names" },
              { A_INT, "size" } },
    .shortdesc = "read several small files of a directory at once",
    .doc = "For each name in C<names> (names in C<dir>, without "
           "slashes), in order, return its status, extended attributes "
           "and, for a regular file, its contents in C<data> (up to 1 "
           "MiB per file; C<data> is all of the file when its length is "
           "C<st_size>).  A symbolic link is not followed.  A name that "
           "cannot be read has a non-zero C<err>.\n\n"
           "The reply stops before the entry that would take it beyond "
           "about C<size> bytes (at most 3 MiB; the first entry is always "
           "returned), so the caller asks again for the rest.  This lets "
           "a program that reads every file of a directory (C<tar>, "
           "C<rsync>, C<cp -r>) get many small files in one round trip." },
  { .name = "fuse_pwrite_setattr", .proc = 522, .ret = R_STRUCT,
    .ret_struct = "fuse_entry",
    .args = { { A_INT64, "handle" }, { A_BUFFERIN, "content" },
              { A_INT64, "offset" } },
    .optargs = { { O_INT64, "size" }, { O_INT64, "uid" },
                 { O_INT64, "gid" }, { O_INT, "mode" },
                 { O_INT64, "atime_sec" }, { O_INT64, "atime_nsec" },
                 { O_INT64, "mtime_sec" }, { O_INT64, "mtime_nsec" } },
    .shortdesc = "write to an open handle, then change its attributes",
    .doc = "C<guestfs_fuse_pwrite> followed by C<guestfs_fuse_fsetattr> "
           "in one round trip: a client that gathers writes sends the "
           "last of them with the attribute change that follows them "
           "(C<cp -p> sets the times right after writing).  Nothing is "
           "changed if the write fails.  " ENTRY_DOC },
  { .name = "fuse_extents", .proc = 523, .ret = R_BUFFEROUT,
    .args = { { A_INT64, "handle" } },
    .shortdesc = "where an open file's data lies on the drives",
    .doc = "Flush the open file's data to disk and return where it lies "
           "on the added drives, so that a client can read it from the "
           "disk image itself.  The map is a sequence of big-endian "
           "64-bit words: the file size, the number of extents, then for "
           "each extent its offset in the file, the index of the drive "
           "(in the order the drives were added), the byte offset on the "
           "drive, the length and flags (bit 0: allocated but unwritten, "
           "reads as zeros).  Bytes no extent covers are holes.  Offsets "
           "go through the partition table and linear device-mapper "
           "targets (LVM).\n\n"
           "Refused with C<EOPNOTSUPP> when the data cannot be read "
           "from a drive as it is: filesystems other than ext2/3/4, XFS "
           "and FAT (btrfs addresses are not drive offsets), encrypted, "
           "RAID or other device-mapper targets, and compressed, "
           "encoded, inline, unaligned, delayed or unknown extents.  "
           "The map is true until the file or its filesystem changes.  "
           HANDLE_DOC },
  { .name = "fuse_drive_nbd", .ret = R_STRING,
    .args = { { A_INT, "index" } },
    .shortdesc = "serve a drive read-only over NBD from the appliance's qemu",
    .doc = "Have the running appliance's qemu serve drive C<index> (in "
           "the order the drives were added) read-only over NBD, through "
           "qemu's own block layer (so images of every format, backing "
           "files included, read as the guest sees them), on a Unix "
           "socket in the handle's private temporary directory.  Returns "
           "the NBD URI (C<nbd+unix:///EXPORT?socket=PATH>), for "
           "L<guestmount(1)>'s direct reads.  The socket and the exports "
           "last as long as the appliance.  Fails with C<ENOTSUP> when "
           "the backend has no qemu monitor." },
  { .name = NULL },
};
